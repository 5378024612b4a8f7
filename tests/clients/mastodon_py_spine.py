"""Mastodon.py against two live Staffroom servers: register an app, log in,
resolve and follow a teacher in another district, post, read the home
timeline, reply, read the reply's context, and see edits and deletes arrive.
"""

from mastodon import Mastodon, MastodonNotFoundError

from support import env, eventually, step

A = env("STAFFROOM_CLIENT_A_BASE")
B = env("STAFFROOM_CLIENT_B_BASE")
B_DOMAIN = env("STAFFROOM_CLIENT_B_DOMAIN")
PASSWORD = env("STAFFROOM_CLIENT_PASSWORD")
ALICE_EMAIL = env("STAFFROOM_CLIENT_A_EMAIL")
BOB_LOGIN = env("STAFFROOM_CLIENT_B_USERNAME")
SCOPES = ["read", "write", "follow"]


def sign_in(base, login):
    client_id, client_secret = Mastodon.create_app(
        "Mastodon.py spine test", scopes=SCOPES, api_base_url=base
    )
    api = Mastodon(
        client_id=client_id, client_secret=client_secret, api_base_url=base
    )
    # Test servers speak plain http (dev mode).
    api.log_in(username=login, password=PASSWORD, scopes=SCOPES, allow_http=True)
    return api


step("register apps and log in (Alice by e-mail, Bob by username)")
alice = sign_in(A, ALICE_EMAIL)
bob = sign_in(B, BOB_LOGIN)
me = alice.me()
assert me.username == "alice", me
assert bob.me().username == BOB_LOGIN
instance = alice.instance()
assert "Staffroom" in instance.version, instance.version

step("Alice resolves bob@district-b and follows him")
handle = f"{BOB_LOGIN}@{B_DOMAIN}"
found = alice.search_v2(handle, resolve=True, result_type="accounts")
assert len(found.accounts) == 1, found
bob_at_a = found.accounts[0]
assert bob_at_a.acct == handle, bob_at_a.acct
alice.account_follow(bob_at_a.id)
eventually(
    "the follow to be accepted",
    lambda: alice.account_relationships(bob_at_a.id)[0].following,
)

step("Bob posts; it reaches Alice's home timeline")
post = bob.status_post(
    "Students built bridges from index cards today. #engineering", visibility="public"
)


def in_home(uri):
    return next((s for s in alice.timeline_home() if s.uri == uri), None)


seen = eventually("Bob's post in Alice's home timeline", lambda: in_home(post.uri))
assert seen.account.acct == handle
assert "index cards" in seen.content

step("Alice replies; she reads the context and Bob sees the reply")
reply = alice.status_post(
    f"@{handle} how long did the build take?", in_reply_to_id=seen.id
)
assert reply.in_reply_to_id == seen.id
context = alice.status_context(seen.id)
assert [s.uri for s in context.descendants] == [reply.uri], context


def reply_at_bob():
    descendants = bob.status_context(post.id).descendants
    return next((s for s in descendants if s.uri == reply.uri), None)


reply_seen = eventually("the reply in Bob's thread", reply_at_bob)
assert reply_seen.in_reply_to_id == post.id
eventually(
    "Bob's mention notification",
    lambda: any(n.type == "mention" for n in bob.notifications()),
)
parent_context = bob.status_context(reply_seen.id)
assert [s.uri for s in parent_context.ancestors] == [post.uri], parent_context

step("Bob edits his post; the edit reaches Alice")
bob.status_update(post.id, "Students built bridges from index cards and tape. #engineering")
eventually(
    "the edit at Alice's server",
    lambda: "and tape" in alice.status(seen.id).content,
)

step("Bob deletes his post; it disappears at Alice's server")
bob.status_delete(post.id)


def gone():
    try:
        alice.status(seen.id)
        return False
    except MastodonNotFoundError:
        return True


eventually("the delete at Alice's server", gone)
assert in_home(post.uri) is None
print("ok: Mastodon.py spine", flush=True)
