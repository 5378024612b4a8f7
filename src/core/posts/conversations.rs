//! Direct conversations: each thread of direct messages, as each local
//! participant sees it (who else is in it, its latest message, whether it
//! was read).

use crate::core::{
    error::{CoreError, CoreResult},
    events::{self, Event},
    found,
    views::{self, AccountView, StatusView},
    Core,
};
use crate::db::{
    self, accounts,
    accounts::Account,
    conversations::{self, Conversation},
    statuses::{self, Status},
    DbConn, Page,
};

/// A conversation with its participants and latest message.
#[derive(Debug, Clone)]
pub struct ConversationView {
    pub conversation: Conversation,
    pub accounts: Vec<AccountView>,
    pub last_status: Option<StatusView>,
}

/// The first direct message of the thread `status` belongs to.
fn thread_root(conn: &mut DbConn, status: &Status) -> CoreResult<i64> {
    let mut root = status.id;
    let mut cursor = status.in_reply_to_id;
    for _ in 0..100 {
        let Some(parent) = cursor.and_then(|id| statuses::by_id(conn, id).ok().flatten()) else {
            break;
        };
        if parent.visibility != "direct" {
            break;
        }
        root = parent.id;
        cursor = parent.in_reply_to_id;
    }
    Ok(root)
}

/// Record a direct message in the conversations of its local participants.
pub(crate) fn record_direct(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    author: &Account,
    mentioned: &[Account],
) -> CoreResult<()> {
    if status.visibility != "direct" || status.is_reblog() {
        return Ok(());
    }
    let root = thread_root(conn, status)?;
    let mut everyone: Vec<&Account> = vec![author];
    everyone.extend(mentioned.iter().filter(|m| m.id != author.id));
    for me in everyone.iter().filter(|a| a.is_local()) {
        let others = everyone.iter().filter(|a| a.id != me.id).map(|a| a.id);
        let mut c = conversations::by_root(conn, me.id, root)?.unwrap_or(Conversation {
            id: core.next_id(),
            account_id: me.id,
            root_status_id: root,
            last_status_id: status.id,
            participant_ids: "[]".into(),
            unread: false,
            updated_at: db::now(),
        });
        let mut ids = c.participants();
        ids.extend(others);
        ids.sort_unstable();
        ids.dedup();
        c.participant_ids = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
        c.last_status_id = c.last_status_id.max(status.id);
        c.unread = me.id != author.id;
        c.updated_at = db::now();
        conversations::save(conn, &c)?;
        events::emit(Event::ConversationUpdated {
            account_id: me.id,
            conversation_id: c.id,
        });
    }
    Ok(())
}

/// Before `status` is deleted: conversations it ended fall back to its parent.
pub(crate) fn forget_direct(conn: &mut DbConn, status: &Status) -> CoreResult<()> {
    for mut c in conversations::ending_with(conn, status.id)? {
        match status.in_reply_to_id {
            Some(parent) if c.root_status_id != status.id => {
                c.last_status_id = parent;
                conversations::save(conn, &c)?;
            }
            _ => conversations::delete(conn, c.id)?,
        }
    }
    Ok(())
}

fn hydrate(
    conn: &mut DbConn,
    me: i64,
    list: Vec<Conversation>,
) -> CoreResult<Vec<ConversationView>> {
    let status_ids: Vec<i64> = list.iter().map(|c| c.last_status_id).collect();
    let visible = statuses::visible_many(conn, &status_ids, Some(me))?;
    let last = views::status_views(conn, visible, Some(me))?;
    list.into_iter()
        .map(|c| {
            let people = accounts::by_ids(conn, &c.participants())?;
            Ok(ConversationView {
                accounts: views::account_views(conn, people)?,
                last_status: last
                    .iter()
                    .find(|v| v.status.id == c.last_status_id)
                    .cloned(),
                conversation: c,
            })
        })
        .collect()
}

impl Core {
    /// `me`'s conversations, most recent first (cursor: the last status id).
    pub async fn conversations(&self, me: i64, page: Page) -> CoreResult<Vec<ConversationView>> {
        self.read(move |conn, _| {
            let list = conversations::list(conn, me, &page)?;
            hydrate(conn, me, list)
        })
        .await
    }

    pub async fn conversation(&self, me: i64, id: i64) -> CoreResult<ConversationView> {
        self.read(move |conn, _| {
            let c = found(conversations::get(conn, me, id)?)?;
            hydrate(conn, me, vec![c])?.pop().ok_or(CoreError::NotFound)
        })
        .await
    }

    pub async fn read_conversation(&self, me: i64, id: i64) -> CoreResult<ConversationView> {
        self.write(move |conn, _| {
            let mut c = found(conversations::get(conn, me, id)?)?;
            c.unread = false;
            conversations::save(conn, &c)?;
            hydrate(conn, me, vec![c])?.pop().ok_or(CoreError::NotFound)
        })
        .await
    }

    /// Remove a conversation from `me`'s list (the messages stay).
    pub async fn remove_conversation(&self, me: i64, id: i64) -> CoreResult<()> {
        self.write(move |conn, _| {
            found(conversations::get(conn, me, id)?)?;
            Ok(conversations::delete(conn, id)?)
        })
        .await
    }
}
