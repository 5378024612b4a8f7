//! Every inbox check of SECURITY.md items 1-10: the bad input is sent by a
//! fake remote server and refused with a clear status, and nothing is
//! stored. A correctly signed activity is accepted first, so a refusal can
//! only come from the one thing each case gets wrong.
//!
//! `Rig` (here) is the district and the fake remote server every file uses:
//! `input_limits` (item 1), `signatures` (2-4, and 12: nothing written
//! before they are checked), `keys_and_actors` (5-6), `embedded_objects`
//! (7-8), `ownership` (9-10).

mod embedded_objects;
mod input_limits;
mod keys_and_actors;
mod ownership;
mod signatures;

use crate::common::{
    fake_peer::{FakePeer, Signing},
    Instance,
};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
static SEQ: AtomicUsize = AtomicUsize::new(0);

struct Rig {
    a: Instance,
    evil: FakePeer,
}

impl Rig {
    async fn new() -> Rig {
        Rig::with(&[]).await
    }

    async fn with(settings: &[(&str, &str)]) -> Rig {
        let a = Instance::start_with("district-a", settings).await;
        let evil = FakePeer::start("evil").await;
        evil.add_actor("mallory");
        evil.add_actor("eve");
        Rig { a, evil }
    }

    fn inbox(&self) -> String {
        format!("{}/inbox", self.a.base())
    }

    fn id(&self, peer: &FakePeer, kind: &str) -> String {
        peer.url(&format!("/{kind}/{}", SEQ.fetch_add(1, Ordering::SeqCst)))
    }

    fn note(&self, actor: &str, content: &str) -> Value {
        json!({
            "type": "Note", "id": self.id(&self.evil, "notes"), "attributedTo": self.evil.actor(actor),
            "to": [PUBLIC], "cc": [], "content": content, "published": "2026-11-22T10:00:00Z"
        })
    }

    fn create(&self, actor: &str, note: Value) -> Value {
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "type": "Create", "id": self.id(&self.evil, "activities"), "actor": self.evil.actor(actor),
            "to": [PUBLIC], "object": note
        })
    }

    async fn send(&self, actor: &str, activity: &Value, signing: &Signing) -> StatusCode {
        self.evil
            .send(&self.inbox(), &self.a.domain, activity, actor, signing)
            .await
            .status()
    }

    /// What an accepted activity could have written.
    async fn snapshot(&self) -> Vec<i64> {
        let mut out = vec![];
        for t in [
            "statuses",
            "follows",
            "notifications",
            "received_activities",
            "tombstones",
            "mentions",
            "favourites",
            "pins",
        ] {
            out.push(self.a.count(t, "").await);
        }
        out
    }

    /// Send and expect `expected`, with nothing stored.
    async fn refused(
        &self,
        what: &str,
        actor: &str,
        activity: &Value,
        signing: &Signing,
        expected: StatusCode,
    ) {
        let before = self.snapshot().await;
        let status = self.send(actor, activity, signing).await;
        assert_eq!(
            status, expected,
            "{what}: expected {expected}, got {status}"
        );
        assert_eq!(
            self.snapshot().await,
            before,
            "{what}: something was stored"
        );
    }

    /// A valid post is accepted and stored (the control case).
    async fn accepted_post(&self, actor: &str, content: &str) -> Value {
        let note = self.note(actor, content);
        let status = self
            .send(
                actor,
                &self.create(actor, note.clone()),
                &Signing::default(),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::ACCEPTED,
            "a correct activity must be accepted"
        );
        let id = note["id"].as_str().unwrap();
        assert_eq!(
            self.a.count("statuses", &format!("ap_id = '{id}'")).await,
            1
        );
        note
    }
}
