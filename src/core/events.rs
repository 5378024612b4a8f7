//! Live events for streaming clients: what changed, named by ids. The core
//! emits them while it writes; they are published only once the
//! transaction has committed (and dropped if it rolled back). Who gets to
//! see what is decided when they are delivered, by [`Core::stream_audience`].
//!
//! [`Core::stream_audience`]: super::Core::stream_audience

use serde::{Deserialize, Serialize};
use std::cell::RefCell;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A status (or reblog) appeared.
    StatusCreated { status_id: i64 },
    /// A status was edited.
    StatusUpdated { status_id: i64 },
    /// A status (or reblog) was deleted.
    StatusDeleted { status_id: i64 },
    /// A local account got a notification.
    Notified {
        account_id: i64,
        notification_id: i64,
    },
    /// An access token stopped being valid.
    TokenRevoked { token_id: i64 },
    /// A direct conversation of a local account changed.
    ConversationUpdated {
        account_id: i64,
        conversation_id: i64,
    },
}

thread_local! {
    /// Events of the transaction running on this thread.
    static PENDING: RefCell<Option<Vec<Event>>> = const { RefCell::new(None) };
}

/// Record `event` for the transaction running on this thread (see
/// [`Core::write`](super::Core::write)).
pub fn emit(event: Event) {
    PENDING.with(|p| {
        if let Some(list) = p.borrow_mut().as_mut() {
            list.push(event);
        }
    });
}

/// Start collecting events on this thread.
pub(super) fn begin() {
    PENDING.with(|p| *p.borrow_mut() = Some(vec![]));
}

/// Stop collecting and return what was emitted.
pub(super) fn take() -> Vec<Event> {
    PENDING.with(|p| p.borrow_mut().take().unwrap_or_default())
}
