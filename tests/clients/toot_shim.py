"""Runs the `toot` command line client as installed from PyPI, with the test
servers' made-up host names resolving to loopback (see support.py)."""

import support  # noqa: F401  (installs the host-name mapping)
from toot.cli import cli

if __name__ == "__main__":
    cli()
