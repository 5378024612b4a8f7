//! `Notification`.

use super::{
    account::{account, Account},
    datetime, id,
    status::{status, Status},
};
use crate::core::{
    notifications::groups::{group_key, DEFAULT_GROUPED},
    views::NotificationView,
    Core,
};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Notification {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub group_key: String,
    pub created_at: String,
    pub account: Account,
    pub status: Option<Status>,
}

pub fn notification(n: &NotificationView, core: &Core) -> Notification {
    Notification {
        id: id(n.notification.id),
        kind: n.notification.kind.clone(),
        group_key: group_key(&n.notification, &DEFAULT_GROUPED.map(String::from)),
        created_at: datetime(n.notification.created_at),
        account: account(&n.from, core),
        status: n.status.as_ref().map(|s| status(s, core)),
    }
}
