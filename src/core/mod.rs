//! The domain: every operation a teacher, an admin or another server can
//! cause (post, follow, answer a follow request, log in ...). The Mastodon API,
//! the web pages, the federation inbox and the CLI all call these methods.
//! Nothing here knows HTTP or ActivityPub JSON.
//!
//! The kernel is this folder's files: [`Core`] and its transactions, errors,
//! ids, live events, the ports the core writes to, who sees what
//! (`visibility`, `hidden`), the views clients show, text, and the server's
//! own bookkeeping (`uris`, `crypto`, `outbox`, `peers`, `site`). It depends
//! on no domain. Each domain is a folder whose `mod.rs` lists what it does:
//! `accounts`, `posts`, `timelines`, `notifications`, `boards`, `auth`,
//! `admin`. Operations are methods of [`Core`], written in the file of the
//! domain they belong to.

// The kernel.
pub mod board_hooks;
pub mod crypto;
pub mod error;
pub mod events;
pub mod hidden;
pub mod ids;
pub mod images;
pub mod inbound;
pub mod outbox;
pub mod peers;
pub mod ports;
pub mod site;
pub mod stored_files;
pub mod text;
pub mod uris;
pub mod views;
pub mod visibility;

// The domains, each depending on the kernel and on a few named functions of others.
pub mod accounts;
pub mod admin;
pub mod auth;
pub mod boards;
pub mod notifications;
pub mod posts;
pub mod timelines;

use crate::{
    config::Settings,
    db::{Db, DbConn},
};
use board_hooks::BoardHooks;
use error::{CoreError, CoreResult};
use ports::{EventBus, FileStore, Outbound, RemoteDirectory};
use std::sync::{Arc, OnceLock};

/// The domain context: storage, settings and the ports to the federation edge.
/// Cheap to clone.
#[derive(Clone)]
pub struct Core(Arc<Inner>);

struct Inner {
    db: Db,
    settings: Arc<Settings>,
    uris: uris::Uris,
    ids: Arc<ids::IdGen>,
    outbound: Arc<dyn Outbound>,
    remote: Arc<dyn RemoteDirectory>,
    files: Arc<dyn FileStore>,
    board_hooks: Arc<dyn BoardHooks>,
    events: OnceLock<Arc<dyn EventBus>>,
}

impl Core {
    pub fn new(
        db: Db,
        ids: Arc<ids::IdGen>,
        settings: Arc<Settings>,
        outbound: Arc<dyn Outbound>,
        remote: Arc<dyn RemoteDirectory>,
        files: Arc<dyn FileStore>,
        board_hooks: Arc<dyn BoardHooks>,
    ) -> Core {
        let uris = uris::Uris::new(&settings.base_url());
        Core(Arc::new(Inner {
            db,
            settings,
            uris,
            ids,
            outbound,
            remote,
            files,
            board_hooks,
            events: OnceLock::new(),
        }))
    }

    /// Where committed events go; set once when the server starts (until
    /// then, and in the CLI, events are dropped).
    pub fn set_event_bus(&self, bus: Arc<dyn EventBus>) {
        let _ = self.0.events.set(bus);
    }

    pub fn db(&self) -> &Db {
        &self.0.db
    }

    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }

    pub fn uris(&self) -> &uris::Uris {
        &self.0.uris
    }

    pub fn next_id(&self) -> i64 {
        self.0.ids.next()
    }

    pub(crate) fn outbound(&self) -> &dyn Outbound {
        &*self.0.outbound
    }

    pub(crate) fn remote(&self) -> &dyn RemoteDirectory {
        &*self.0.remote
    }

    /// How following and posting give boards their say (see `board_hooks`).
    pub(crate) fn board_hooks(&self) -> &dyn BoardHooks {
        &*self.0.board_hooks
    }

    /// Where uploaded files and cached previews are kept.
    pub fn files(&self) -> &dyn FileStore {
        &*self.0.files
    }

    /// Run `f` in a transaction; once it committed, start delivering what it
    /// queued and publish the live events it emitted.
    pub(crate) async fn write<T, F>(&self, f: F) -> CoreResult<T>
    where
        F: FnOnce(&mut DbConn, &Core) -> CoreResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let core = self.clone();
        let (result, emitted) = tokio::task::spawn_blocking(move || {
            events::begin();
            let result = core.0.db.write_blocking(|conn| f(conn, &core));
            (result, events::take())
        })
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))?;
        if result.is_ok() {
            self.0.outbound.wake();
            if let (false, Some(bus)) = (emitted.is_empty(), self.0.events.get()) {
                bus.publish(emitted);
            }
        }
        result
    }

    /// Run `f` with a connection, outside any explicit transaction.
    pub(crate) async fn read<T, F>(&self, f: F) -> CoreResult<T>
    where
        F: FnOnce(&mut DbConn, &Core) -> CoreResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let core = self.clone();
        self.0.db.read(move |conn| f(conn, &core)).await
    }
}

impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Core({})", self.0.settings.domain)
    }
}

/// `Err(NotFound)` for `None`.
pub(crate) fn found<T>(value: Option<T>) -> CoreResult<T> {
    value.ok_or(CoreError::NotFound)
}
