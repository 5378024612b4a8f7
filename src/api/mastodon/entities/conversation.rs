//! `Conversation`.

use super::{
    account::{account, Account},
    id,
    status::{status, Status},
};
use crate::core::{posts::ConversationView, Core};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Conversation {
    pub id: String,
    pub unread: bool,
    pub accounts: Vec<Account>,
    pub last_status: Option<Status>,
}

pub fn conversation(v: &ConversationView, core: &Core) -> Conversation {
    Conversation {
        id: id(v.conversation.id),
        unread: v.conversation.unread,
        accounts: v.accounts.iter().map(|a| account(a, core)).collect(),
        last_status: v.last_status.as_ref().map(|s| status(s, core)),
    }
}
