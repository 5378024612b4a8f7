"""Shared helpers for the scripted-client tests.

The Rust test `tests/it/mastodon_clients.rs` starts the Staffroom servers and
runs these scripts with the Python of `STAFFROOM_TEST_PYTHON`, passing the
servers and accounts in `STAFFROOM_CLIENT_*` environment variables.
"""

import os
import socket
import sys
import time

DEADLINE_SECONDS = 30

_getaddrinfo = socket.getaddrinfo


def _loopback_for_test_hosts(host, *args, **kwargs):
    """The servers' made-up host names (`district-a.test`) are loopback, as
    their `dev_hosts` setting says; a client must reach them by those names
    because the servers put them in every URL they return."""
    if isinstance(host, str) and host.endswith(".test"):
        host = "127.0.0.1"
    return _getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _loopback_for_test_hosts


def env(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"missing environment variable {name}")
    return value


def eventually(what, check, deadline=DEADLINE_SECONDS):
    """Poll `check` until it returns something truthy; fail after `deadline` seconds."""
    end = time.monotonic() + deadline
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {deadline}s waiting for {what}")
        time.sleep(0.2)


def step(text):
    print(f"- {text}", flush=True)
