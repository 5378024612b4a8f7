//! The streaming hub of one process: the open connections with their
//! streams, and the delivery of committed events to them, each rendered as
//! its viewer may see it.

use super::streams::Stream;
use crate::{
    api::mastodon::entities::{
        conversation::conversation, notification::notification, status::status,
    },
    core::{events::Event, ports::EventBus, timelines::StreamAudience, Core},
};
use std::{
    collections::{HashMap, HashSet},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
};
use tokio::sync::mpsc;

/// How many messages may wait for a slow client before new ones are dropped.
pub const QUEUE: usize = 256;

/// One message for a client.
#[derive(Debug, Clone)]
pub struct Message {
    pub stream: Vec<String>,
    pub event: &'static str,
    /// A JSON document as a string (for `delete`, the bare id).
    pub payload: String,
}

struct Subscriber {
    account_id: Option<i64>,
    token_id: Option<i64>,
    streams: HashSet<Stream>,
    tx: mpsc::Sender<Message>,
}

/// The connections of this process.
pub struct Hub {
    core: Core,
    runtime: tokio::runtime::Handle,
    next: AtomicU64,
    subscribers: Mutex<HashMap<u64, Subscriber>>,
}

impl Hub {
    /// A hub whose deliveries run on the current tokio runtime.
    pub fn new(core: Core) -> Arc<Hub> {
        Arc::new(Hub {
            core,
            runtime: tokio::runtime::Handle::current(),
            next: AtomicU64::new(1),
            subscribers: Mutex::new(HashMap::new()),
        })
    }

    fn subs(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Subscriber>> {
        self.subscribers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Register a connection of `account_id` (with token `token_id`);
    /// returns its id and the messages for it.
    pub fn connect(
        &self,
        account_id: Option<i64>,
        token_id: Option<i64>,
    ) -> (u64, mpsc::Receiver<Message>) {
        let (tx, rx) = mpsc::channel(QUEUE);
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.subs().insert(
            id,
            Subscriber {
                account_id,
                token_id,
                streams: HashSet::new(),
                tx,
            },
        );
        (id, rx)
    }

    pub fn subscribe(&self, id: u64, stream: Stream) {
        if let Some(s) = self.subs().get_mut(&id) {
            s.streams.insert(stream);
        }
    }

    pub fn unsubscribe(&self, id: u64, stream: &Stream) {
        if let Some(s) = self.subs().get_mut(&id) {
            s.streams.remove(stream);
        }
    }

    pub fn disconnect(&self, id: u64) {
        self.subs().remove(&id);
    }

    /// Open connections (for tests and the instance statistics).
    pub fn connections(&self) -> usize {
        self.subs().len()
    }

    /// Deliver committed events, in order, off the caller's task.
    pub fn dispatch(self: &Arc<Self>, events: Vec<Event>) {
        let hub = self.clone();
        self.runtime.spawn(async move {
            for event in events {
                if let Err(e) = hub.deliver(event).await {
                    tracing::warn!("streaming: {event:?}: {e}");
                }
            }
        });
    }

    /// (viewer, streams it matched, sender) for every subscriber `matches` picks.
    fn targets(
        &self,
        matches: impl Fn(Option<i64>, &Stream) -> bool,
    ) -> Vec<(Option<i64>, Vec<Stream>, mpsc::Sender<Message>)> {
        self.subs()
            .values()
            .filter_map(|s| {
                let hit: Vec<Stream> = s
                    .streams
                    .iter()
                    .filter(|st| matches(s.account_id, st))
                    .cloned()
                    .collect();
                (!hit.is_empty()).then(|| (s.account_id, hit, s.tx.clone()))
            })
            .collect()
    }

    async fn deliver(&self, event: Event) -> Result<(), String> {
        match event {
            Event::StatusCreated { status_id } => self.status(status_id, "update").await,
            Event::StatusUpdated { status_id } => self.status(status_id, "status.update").await,
            Event::StatusDeleted { status_id } => {
                for (_, streams, tx) in
                    self.targets(|_, st| !matches!(st, Stream::UserNotification | Stream::Direct))
                {
                    send(&tx, &streams[..1], "delete", status_id.to_string());
                }
                Ok(())
            }
            Event::ConversationUpdated {
                account_id,
                conversation_id,
            } => {
                let targets = self.targets(|viewer, st| {
                    viewer == Some(account_id) && matches!(st, Stream::Direct)
                });
                if targets.is_empty() {
                    return Ok(());
                }
                let c = match self.core.conversation(account_id, conversation_id).await {
                    Ok(c) => c,
                    Err(crate::core::error::CoreError::NotFound) => return Ok(()),
                    Err(e) => return Err(e.to_string()),
                };
                let payload = serde_json::to_string(&conversation(&c, &self.core))
                    .map_err(|e| e.to_string())?;
                for (_, streams, tx) in targets {
                    send(&tx, &streams, "conversation", payload.clone());
                }
                Ok(())
            }
            Event::TokenRevoked { token_id } => {
                // Dropping the sender ends the connection.
                self.subs().retain(|_, s| s.token_id != Some(token_id));
                Ok(())
            }
            Event::Notified {
                account_id,
                notification_id,
            } => {
                let targets = self.targets(|viewer, st| {
                    viewer == Some(account_id)
                        && matches!(st, Stream::User | Stream::UserNotification)
                });
                if targets.is_empty() {
                    return Ok(());
                }
                let n = match self.core.notification(account_id, notification_id).await {
                    Ok(n) => n,
                    Err(crate::core::error::CoreError::NotFound) => return Ok(()),
                    Err(e) => return Err(e.to_string()),
                };
                let payload = serde_json::to_string(&notification(&n, &self.core))
                    .map_err(|e| e.to_string())?;
                for (_, streams, tx) in targets {
                    for st in &streams {
                        send(
                            &tx,
                            std::slice::from_ref(st),
                            "notification",
                            payload.clone(),
                        );
                    }
                }
                Ok(())
            }
        }
    }

    async fn status(&self, status_id: i64, event: &'static str) -> Result<(), String> {
        let Some(audience) = self
            .core
            .stream_audience(status_id)
            .await
            .map_err(|e| e.to_string())?
        else {
            return Ok(());
        };
        let targets = self.targets(|viewer, st| reaches(&audience, viewer, st));
        // One rendering per viewer and filter context: what it shows depends
        // on who looks; nothing for a viewer who hides one of its authors or
        // whose filters hide it.
        let mut rendered: HashMap<(Option<i64>, &'static str), Option<String>> = HashMap::new();
        for (viewer, streams, tx) in targets {
            for st in &streams {
                let context = st.filter_context();
                if let std::collections::hash_map::Entry::Vacant(slot) =
                    rendered.entry((viewer, context))
                {
                    slot.insert(self.render(&audience, viewer, context).await?);
                }
                if let Some(Some(payload)) = rendered.get(&(viewer, context)) {
                    send(&tx, std::slice::from_ref(st), event, payload.clone());
                }
            }
        }
        Ok(())
    }

    /// The status as `viewer` sees it in `context`, or `None` if it should not see it.
    async fn render(
        &self,
        audience: &StreamAudience,
        viewer: Option<i64>,
        context: &'static str,
    ) -> Result<Option<String>, String> {
        if let Some(me) = viewer {
            let hidden = self.core.hidden(me).await.map_err(|e| e.to_string())?;
            if audience.authors.iter().any(|a| hidden.hides(a)) {
                return Ok(None);
            }
        }
        match self
            .core
            .status_in_context(viewer, audience.status.id, context)
            .await
        {
            Ok(Some(view)) => serde_json::to_string(&status(&view, &self.core))
                .map(Some)
                .map_err(|e| e.to_string()),
            Ok(None) | Err(_) => Ok(None),
        }
    }
}

/// Whether a status with `audience` belongs on stream `st` of `viewer`.
fn reaches(audience: &StreamAudience, viewer: Option<i64>, st: &Stream) -> bool {
    let has_tag = |t: &String| audience.tags.contains(t);
    match st {
        Stream::User => viewer.is_some_and(|v| audience.home.contains(&v)),
        Stream::Public => audience.public,
        Stream::PublicLocal => audience.public && audience.local,
        Stream::PublicRemote => audience.public && !audience.local,
        Stream::Hashtag(t) => audience.public && has_tag(t),
        Stream::HashtagLocal(t) => audience.public && audience.local && has_tag(t),
        Stream::List(id) => viewer.is_some_and(|v| audience.lists.contains(&(*id, v))),
        Stream::UserNotification | Stream::Direct => false,
    }
}

fn send(tx: &mpsc::Sender<Message>, streams: &[Stream], event: &'static str, payload: String) {
    let stream = streams.first().map(Stream::names).unwrap_or_default();
    // A client too slow to keep up loses messages rather than the server's memory.
    let _ = tx.try_send(Message {
        stream,
        event,
        payload,
    });
}

impl EventBus for Arc<Hub> {
    fn publish(&self, events: Vec<Event>) {
        self.dispatch(events);
    }
}

/// Events through PostgreSQL, so that every app process sharing the
/// database hears them; each process's listener hands them to its hub.
pub struct PgBus {
    db: crate::db::Db,
}

impl PgBus {
    pub fn new(db: crate::db::Db) -> PgBus {
        PgBus { db }
    }

    /// Listen for events from every process and deliver them to `hub`.
    pub fn listen(url: String, hub: Arc<Hub>) {
        std::thread::Builder::new()
            .name("event-listener".into())
            .spawn(move || {
                crate::db::notify::listen(&url, |payload| {
                    match serde_json::from_str::<Vec<Event>>(&payload) {
                        Ok(events) => hub.dispatch(events),
                        Err(e) => tracing::warn!("event listener: bad payload: {e}"),
                    }
                })
            })
            .expect("start the event listener thread");
    }
}

impl EventBus for PgBus {
    fn publish(&self, events: Vec<Event>) {
        let db = self.db.clone();
        tokio::task::spawn_blocking(move || {
            // NOTIFY payloads are limited to 8000 bytes: send in chunks.
            for chunk in events.chunks(50) {
                let payload = serde_json::to_string(chunk).unwrap_or_default();
                let sent = db.get().map_err(|e| e.to_string()).and_then(|mut c| {
                    crate::db::notify::notify(&mut c, &payload).map_err(|e| e.to_string())
                });
                if let Err(e) = sent {
                    tracing::warn!("events: cannot notify: {e}");
                }
            }
        });
    }
}
