"""The `toot` command line client against a live Staffroom server, the way
a teacher uses it: `toot login` (the browser flow: toot prints a URL, the
teacher signs in and authorizes in the browser, then pastes the code shown),
then post, upload, timeline, follow and notifications. A second teacher on
another district, driven with Mastodon.py, makes the follow and the
notifications real.
"""

import os
import re
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests
from mastodon import Mastodon

from support import env, eventually, step

A = env("STAFFROOM_CLIENT_A_BASE")
B = env("STAFFROOM_CLIENT_B_BASE")
A_DOMAIN = env("STAFFROOM_CLIENT_A_DOMAIN")
B_DOMAIN = env("STAFFROOM_CLIENT_B_DOMAIN")
PASSWORD = env("STAFFROOM_CLIENT_PASSWORD")
ALICE_EMAIL = env("STAFFROOM_CLIENT_A_EMAIL")
BOB_LOGIN = env("STAFFROOM_CLIENT_B_USERNAME")
HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG_HOME = tempfile.mkdtemp(prefix="toot-config-")
TOOT_ENV = dict(os.environ, XDG_CONFIG_HOME=CONFIG_HOME, NO_COLOR="1", COLUMNS="120")


def toot(*args, input=None):
    """Run `toot ARGS`; fail with its output unless it succeeds."""
    run = subprocess.run(
        [sys.executable, os.path.join(HERE, "toot_shim.py"), *args],
        input=input, capture_output=True, text=True, env=TOOT_ENV, timeout=60,
    )
    assert run.returncode == 0, f"toot {' '.join(args)} failed:\n{run.stdout}\n{run.stderr}"
    return run.stdout


class Form(HTMLParser):
    """The first form of a page: its action and its fields."""

    def __init__(self):
        super().__init__()
        self.action, self.fields, self.code, self._in_code = None, {}, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action")
        elif tag == "input" and attrs.get("name"):
            self.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "code":
            self._in_code = True

    def handle_endtag(self, tag):
        if tag == "code":
            self._in_code = False

    def handle_data(self, data):
        if self._in_code and data.strip():
            self.code = data.strip()


def browser_sign_in(url, login, password):
    """What the teacher does in the browser: open the link, sign in, authorize,
    and read the code shown."""
    browser = requests.Session()
    page = browser.get(url, timeout=10)
    assert page.status_code == 200, page.text
    form = Form()
    form.feed(page.text)
    assert form.action, page.text
    fields = dict(form.fields, login=login, password=password, decision="approve")
    done = browser.post(urljoin(page.url, form.action), data=fields, timeout=10)
    assert done.status_code == 200, done.text
    shown = Form()
    shown.feed(done.text)
    assert shown.code, done.text
    return shown.code


step("toot login: the browser flow with a pasted authorization code")
login = subprocess.Popen(
    [sys.executable, os.path.join(HERE, "toot_shim.py"), "login", "--instance", A],
    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    text=True, env=TOOT_ENV,
)
url = None
lines = []
while url is None:
    line = login.stdout.readline()
    assert line, f"toot login ended early:\n{''.join(lines)}\n{login.stderr.read()}"
    lines.append(line)
    if line.strip().startswith("http"):
        url = line.strip()
assert "/oauth/authorize" in url and "urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob" in url, url
code = browser_sign_in(url, ALICE_EMAIL, PASSWORD)
out, err = login.communicate(input=f"n\n{code}\n", timeout=60)
assert login.returncode == 0, f"{out}\n{err}"
assert "Successfully logged in" in out, out
whoami = toot("whoami")
assert "@alice" in whoami, whoami

step("toot post and toot timelines home")
posted = toot("post", "Hello from toot! Our #robotics club meets Tuesdays.")
match = re.search(r"Toot posted: (\S+)", posted)
assert match, posted
home = toot("timelines", "home", "--no-pager", "--no-clear")
assert "Our #robotics club meets Tuesdays" in home, home

step("toot upload, and a post with an attachment and its description")
picture = os.path.join(CONFIG_HOME, "circuit.png")
with open(os.path.join(HERE, "fixtures", "circuit.png"), "rb") as src, open(picture, "wb") as dst:
    dst.write(src.read())
uploaded = toot("upload", picture, "--description", "A breadboard circuit")
assert re.search(r"Successfully uploaded media ID \d+, type 'image'", uploaded), uploaded
with_media = toot("post", "Today's circuit", "--media", picture, "--description", "LED on a breadboard", "--json")
assert '"LED on a breadboard"' in with_media, with_media

step("toot follow a teacher in another district; her posts reach the timeline")
bob_id, bob_secret = Mastodon.create_app("toot test helper", scopes=["read", "write"], api_base_url=B)
bob = Mastodon(client_id=bob_id, client_secret=bob_secret, api_base_url=B)
bob.log_in(username=BOB_LOGIN, password=PASSWORD, scopes=["read", "write"], allow_http=True)
followed = toot("follow", f"{BOB_LOGIN}@{B_DOMAIN}")
assert "You are now following" in followed, followed
alice_at_b = eventually("Alice among Bob's followers", lambda: next(
    (a for a in bob.account_followers(bob.me().id) if a.acct == f"alice@{A_DOMAIN}"), None))
bobs = bob.status_post("Sharing my electricity unit plan #science", visibility="public")
eventually("Bob's post in toot's home timeline", lambda: "my electricity unit plan" in toot(
    "timelines", "home", "--no-pager", "--no-clear"))

step("toot notifications: Bob follows back, favourites and replies")
bob.account_follow(alice_at_b.id)
alice_post = bob.search_v2(match.group(1), resolve=True, result_type="statuses").statuses[0]
assert "Tuesdays" in alice_post.content, alice_post
bob.status_favourite(alice_post.id)
bob.status_reply(alice_post, "Can my class join by video?")
last = {}


def notifications_shown():
    last["text"] = text = toot("notifications")
    wanted = ["Can my class join by video?", "favourited your status", "now follows you"]
    return text if all(w in text for w in wanted) else None


try:
    eventually("the notifications in toot", notifications_shown)
except AssertionError:
    print(last.get("text"), flush=True)
    raise
mentions = toot("notifications", "--type", "mention", "--json")
assert "Can my class join by video?" in mentions and '"favourite"' not in mentions, mentions
print("ok: toot", flush=True)
