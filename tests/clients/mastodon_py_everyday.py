"""Mastodon.py across two live Staffroom servers, covering the everyday API
group by group: start-up calls, streaming, media, favourites, reblogs,
bookmarks, replies, polls, edits and deletes (with the counts and
notifications they cause on the origin server), notifications and markers,
profiles, mutes and blocks, featured tags, direct conversations, followed
tags, lists and filters.
"""

import struct
import threading
import zlib

from mastodon import Mastodon, MastodonNotFoundError, StreamListener

from support import env, eventually, step

A = env("STAFFROOM_CLIENT_A_BASE")
B = env("STAFFROOM_CLIENT_B_BASE")
A_DOMAIN = env("STAFFROOM_CLIENT_A_DOMAIN")
B_DOMAIN = env("STAFFROOM_CLIENT_B_DOMAIN")
PASSWORD = env("STAFFROOM_CLIENT_PASSWORD")
ALICE_EMAIL = env("STAFFROOM_CLIENT_A_EMAIL")
BOB_LOGIN = env("STAFFROOM_CLIENT_B_USERNAME")
SCOPES = ["read", "write", "follow", "push"]


def sign_in(base, login):
    client_id, client_secret = Mastodon.create_app(
        "Mastodon.py everyday test", scopes=SCOPES, api_base_url=base
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
    api.log_in(username=login, password=PASSWORD, scopes=SCOPES, allow_http=True)
    return api


def png(width, height):
    """A real PNG image (a colour gradient), made without any imaging library."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 4 % 256, y * 4 % 256, 128)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


class Recorder(StreamListener):
    """Keeps every streaming event it is given."""

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()
        self.updates = []
        self.notifications = []
        self.edits = []

    def on_status_update(self, status):
        with self.lock:
            self.edits.append(status)

    def edit_with(self, uri, text):
        with self.lock:
            return next((s for s in self.edits if s.uri == uri and text in s.content), None)

    def on_update(self, status):
        with self.lock:
            self.updates.append(status)

    def on_notification(self, notification):
        with self.lock:
            self.notifications.append(notification)

    def update_with(self, uri):
        with self.lock:
            return next((s for s in self.updates if s.uri == uri), None)

    def notification_about(self, kind, uri):
        with self.lock:
            return next(
                (
                    n
                    for n in self.notifications
                    if n.type == kind and n.status is not None and n.status.uri == uri
                ),
                None,
            )


def find(statuses, uri):
    return next((s for s in statuses if s.uri == uri), None)


def resolve(api, handle):
    found = api.search_v2(handle, resolve=True, result_type="accounts")
    assert len(found.accounts) == 1, found
    return found.accounts[0]


step("log in on both servers; Alice and Bob follow each other")
alice = sign_in(A, ALICE_EMAIL)
bob = sign_in(B, BOB_LOGIN)
alice_handle = f"alice@{A_DOMAIN}"
bob_handle = f"{BOB_LOGIN}@{B_DOMAIN}"
bob_at_a = resolve(alice, bob_handle)
alice_at_b = resolve(bob, alice_handle)
alice.account_follow(bob_at_a.id)
bob.account_follow(alice_at_b.id)
eventually("both follows accepted", lambda: (
    alice.account_relationships(bob_at_a.id)[0].following
    and bob.account_relationships(alice_at_b.id)[0].following
))

step("what apps call at start-up")
assert alice.custom_emojis() == []
assert alice.announcements() == []
assert isinstance(alice.trending_tags(), list)
assert isinstance(alice.trending_statuses(), list)
assert isinstance(alice.instance_rules(), list)
assert B_DOMAIN in alice.instance_peers(), alice.instance_peers()
assert len(alice.instance_activity()) == 12
assert alice.preferences()["posting:default:visibility"] == "public"
assert isinstance(alice.suggestions(), list)
assert alice.filters_v2() == []
assert alice.markers_get(["home", "notifications"]) is not None

step("both listen on the streaming API (server-sent events)")
alice_events, bob_events = Recorder(), Recorder()
alice_stream = alice.stream_user(alice_events, run_async=True, reconnect_async=False)
bob_stream = bob.stream_user(bob_events, run_async=True, reconnect_async=False)
eventually("the streams to open", lambda: alice_stream.is_receiving() and bob_stream.is_receiving())

step("Bob uploads a picture with alt text and focus, and posts it")
media = bob.media_post(
    png(64, 48), mime_type="image/png", description="Bridge", focus=(0.25, -0.5),
    file_name="bridge.png",
)
assert media.type == "image", media
assert media.meta.original.width == 64 and media.meta.original.height == 48, media.meta
assert media.blurhash
media = bob.media_update(media.id, description="Index-card bridge holding 40 pennies")
assert media.description == "Index-card bridge holding 40 pennies"
post = bob.status_post("Which bridge held more pennies? #engineering", media_ids=[media])
assert post.media_attachments[0].id == media.id

seen = eventually("Bob's post in Alice's home timeline", lambda: find(alice.timeline_home(), post.uri))
attachment = seen.media_attachments[0]
assert attachment.type == "image", attachment
assert attachment.description == "Index-card bridge holding 40 pennies"
assert attachment.url and attachment.preview_url
eventually("Alice's stream to deliver Bob's post", lambda: alice_events.update_with(post.uri))

step("Alice favourites, reblogs, bookmarks and replies; Bob's server counts them")
alice.status_favourite(seen.id)
alice.status_reblog(seen.id)
alice.status_bookmark(seen.id)
reply = alice.status_reply(seen, "Looks sturdy! What tape did you use?")
assert reply.in_reply_to_id == seen.id
assert find(alice.bookmarks(), post.uri) is not None
assert find(alice.favourites(), post.uri) is not None


def counted():
    s = bob.status(post.id)
    return s if (s.favourites_count, s.reblogs_count, s.replies_count) == (1, 1, 1) else None


eventually("favourite, reblog and reply counts at Bob's server", counted)
kinds = {n.type for n in bob.notifications()}
assert {"favourite", "reblog", "mention"} <= kinds, kinds
only_favourites = bob.notifications(types=["favourite"])
assert [n.type for n in only_favourites] == ["favourite"]
assert only_favourites[0].account.acct == alice_handle
assert [a.acct for a in bob.status_favourited_by(post.id)] == [alice_handle]
assert [a.acct for a in bob.status_reblogged_by(post.id)] == [alice_handle]

step("Bob's stream gets the remote reply and its notification within seconds")
eventually("the reply as an update on Bob's stream", lambda: bob_events.update_with(reply.uri))
eventually(
    "the mention notification on Bob's stream",
    lambda: bob_events.notification_about("mention", reply.uri),
)

step("Bob's poll: Alice votes, the totals change at Bob's server")
poll_post = bob.status_post(
    "Best bridge design for grade 4?",
    poll=bob.make_poll(["Beam", "Arch", "Truss"], expires_in=3600),
)
poll_seen = eventually("the poll at Alice's server", lambda: find(alice.timeline_home(), poll_post.uri))
voted = alice.poll_vote(poll_seen.poll.id, [2])
assert voted.voted and voted.own_votes == [2], voted


def tallied():
    poll = bob.status(poll_post.id).poll
    return poll if poll.votes_count == 1 and poll.options[2].votes_count == 1 else None


eventually("Alice's vote counted at Bob's server", tallied)

step("Bob pins the post; Alice sees it pinned on his profile")
bob.status_pin(post.id)
assert [s.id for s in bob.account_statuses(bob.me().id, pinned=True)] == [post.id]
eventually("the pin at Alice's server", lambda: [
    s.uri for s in alice.account_statuses(bob_at_a.id, pinned=True)] == [post.uri])

step("Bob edits his post; the edit and its history reach Alice")
bob.status_update(post.id, "Which bridge held more pennies? The truss! #engineering", media_ids=[media.id])
edited = eventually("the edit at Alice's server", lambda: (
    lambda s: s if "The truss!" in s.content else None)(alice.status(seen.id)))
assert edited.edited_at is not None
assert len(alice.status_history(seen.id)) == 2
assert "The truss!" in bob.status_source(post.id).text
eventually("the status.update on Alice's stream", lambda: alice_events.edit_with(post.uri, "The truss!"))

step("Alice deletes her reply; it disappears at Bob's server")
alice.status_delete(reply.id)
eventually("the reply gone from Bob's thread", lambda: find(
    bob.status_context(post.id).descendants, reply.uri) is None)
eventually("the reply count back to 0", lambda: bob.status(post.id).replies_count == 0)

step("notifications: unread count, markers, dismiss, clear")
notes = bob.notifications()
assert bob.notifications_unread_count().count >= 3
bob.markers_set(["notifications"], [notes[0].id])
assert bob.notifications_unread_count().count == 0
assert bob.markers_get(["notifications"]).notifications.last_read_id == notes[0].id
bob.notifications_dismiss(notes[-1].id)
assert notes[-1].id not in [n.id for n in bob.notifications()]
bob.notifications_clear()
assert bob.notifications() == []

step("Alice updates her profile; the Update reaches Bob's server")
alice.account_update_credentials(
    display_name="Alice Nguyen", note="Grade 5 science, Maple Elementary",
    fields=[("Subjects", "Science, Robotics")],
)
profile = eventually("the profile update at Bob's server", lambda: (
    lambda a: a if a.display_name == "Alice Nguyen" else None)(bob.account(alice_at_b.id)))
assert "Maple Elementary" in profile.note
assert profile.fields[0].name == "Subjects"

step("mutes, blocks, domain blocks, featured tags and familiar followers")
alice.account_mute(bob_at_a.id)
assert [a.id for a in alice.mutes()] == [bob_at_a.id]
alice.account_unmute(bob_at_a.id)
assert alice.mutes() == []
alice.domain_block("spam.example")
assert alice.domain_blocks() == ["spam.example"]
alice.domain_unblock("spam.example")
alice.featured_tag_create("engineering")
assert [t.name for t in alice.account_featured_tags(alice.me().id)] == ["engineering"]
familiar = alice.account_familiar_followers([bob_at_a.id])
assert familiar[0].id == bob_at_a.id

step("a direct message is a conversation; reading it clears unread")
dm = bob.status_post(f"@{alice_handle} can I borrow your bridge rubric?", visibility="direct")
conversation = eventually("the conversation at Alice's server", lambda: next(
    (c for c in alice.conversations() if c.last_status and c.last_status.uri == dm.uri), None))
assert conversation.unread
alice.conversations_read(conversation.id)
assert not next(c for c in alice.conversations() if c.id == conversation.id).unread
assert find(alice.timeline_home(), dm.uri) is not None

step("followed tags, lists and filters shape Alice's timelines")
alice.tag_follow("robotics")
assert [t.name for t in alice.followed_tags()] == ["robotics"]
lst = alice.list_create("Bridge builders")
alice.list_accounts_add(lst.id, [bob_at_a.id])
assert [a.id for a in alice.list_accounts(lst.id)] == [bob_at_a.id]
alice.create_filter_v2(
    "Unit spoilers", ["home"], "warn",
    keywords_attributes=[{"keyword": "spoiler", "whole_word": True}],
)
tagged = bob.status_post("Spoiler alert: #robotics arm demo tomorrow")
eventually("the tagged post on Alice's tag timeline", lambda: find(alice.timeline_hashtag("robotics"), tagged.uri))
eventually("Bob's post in the list timeline", lambda: find(alice.timeline_list(lst.id), tagged.uri))
home_copy = eventually("the post at home", lambda: find(alice.timeline_home(), tagged.uri))
assert home_copy.filtered and home_copy.filtered[0].filter.title == "Unit spoilers", home_copy.filtered

step("a block cuts the follow both ways and is listed")
alice.account_block(bob_at_a.id)
assert [a.id for a in alice.blocks()] == [bob_at_a.id]
eventually("Bob's follow of Alice removed by the block", lambda: not bob.account_relationships(
    alice_at_b.id)[0].following)
alice.account_unblock(bob_at_a.id)
assert alice.blocks() == []

alice_stream.close()
bob_stream.close()
print("ok: Mastodon.py everyday API", flush=True)
