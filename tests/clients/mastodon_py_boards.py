"""Mastodon.py and discussion boards: a teacher on district B follows a
board hosted on district A, sees its threads as the board's reblogs, and
starts a thread in it by mentioning the board in a public post.
"""

from mastodon import Mastodon

from support import env, eventually, step

A = env("STAFFROOM_CLIENT_A_BASE")
B = env("STAFFROOM_CLIENT_B_BASE")
A_DOMAIN = env("STAFFROOM_CLIENT_A_DOMAIN")
PASSWORD = env("STAFFROOM_CLIENT_PASSWORD")
MARIA_EMAIL = env("STAFFROOM_CLIENT_A_EMAIL")
BOB_LOGIN = env("STAFFROOM_CLIENT_B_USERNAME")
BOARD = env("STAFFROOM_CLIENT_BOARD")
SCOPES = ["read", "write", "follow"]


def sign_in(base, login):
    client_id, client_secret = Mastodon.create_app(
        "Mastodon.py boards test", scopes=SCOPES, api_base_url=base
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    api.log_in(username=login, password=PASSWORD, scopes=SCOPES, allow_http=True)
    return api


def boosted_by(api, board_acct, uri):
    return next(
        (s for s in api.timeline_home()
         if s.reblog is not None and s.account.acct == board_acct and s.reblog.uri == uri),
        None,
    )


maria = sign_in(A, MARIA_EMAIL)
bob = sign_in(B, BOB_LOGIN)
handle = f"{BOARD}@{A_DOMAIN}"

step("Bob finds the board on district A: an account with group = true")
found = bob.search_v2(handle, resolve=True, result_type="accounts").accounts
assert len(found) == 1, found
board = found[0]
assert board.group is True, board
assert board.acct == handle

step("Bob follows (joins) the board; Maria, on A, follows it too")
bob.account_follow(board.id)
eventually("Bob's membership accepted", lambda: bob.account_relationships(board.id)[0].following)
maria.account_follow(maria.account_lookup(BOARD).id)

step("Maria starts a thread by mentioning the board; Bob sees the board's reblog")
thread = maria.status_post(f"@{BOARD} Gear trains keep slipping: what worked for you?")
seen = eventually("the thread as the board's reblog at Bob's", lambda: boosted_by(bob, handle, thread.uri))
assert "Gear trains" in seen.reblog.content

step("Bob starts a thread from his app by mentioning the board")
post = bob.status_post(f"@{handle} We use rubber bands as belts. Photos tomorrow!")
eventually("Bob's thread as the board's reblog at Maria's", lambda: boosted_by(maria, BOARD, post.uri))
on_board = maria.account_statuses(maria.account_lookup(BOARD).id)
assert any(s.reblog is not None and s.reblog.uri == post.uri for s in on_board)
print("ok: Mastodon.py boards", flush=True)
