//! Activities: one file per type, each with its wire struct, the builder of
//! what we send, and the checks and effects of what we receive.

pub mod announce;
pub mod answer;
pub mod block;
pub mod create;
pub mod delete;
pub mod dislike;
pub mod featured;
pub mod follow;
pub mod like;
pub mod moderation;
pub mod undo;
pub mod update;

use super::{actors::record::ActorRecord, error::FedError, FedData};
use crate::{
    core::Core,
    db::{accounts::Account, statuses::Status},
};
use activitypub_federation::{fetch::object_id::ObjectId, traits::Activity};
use async_trait::async_trait;
use serde::Deserialize;
use url::Url;

/// Declares the activity types the inbox applies: the enum they are read
/// into (chosen by `type`) and its `Activity` impl, which hands each call
/// to the type's own file.
macro_rules! inbox_activities {
    ($($variant:ident($ty:ty)),+ $(,)?) => {
        /// The activity types the inbox applies; others are accepted and ignored.
        pub const HANDLED: &[&str] = &[$(stringify!($variant)),+];

        /// Any activity the inbox applies.
        #[derive(Debug, Clone, Deserialize)]
        #[serde(untagged)]
        pub enum InboxActivity {
            $($variant($ty)),+
        }

        #[async_trait]
        impl Activity for InboxActivity {
            type DataType = Core;
            type Error = FedError;

            fn id(&self) -> &Url {
                match self {
                    $(InboxActivity::$variant(a) => a.id()),+
                }
            }

            fn actor(&self) -> &Url {
                match self {
                    $(InboxActivity::$variant(a) => a.actor()),+
                }
            }

            async fn verify(&self, data: &FedData) -> Result<(), FedError> {
                match self {
                    $(InboxActivity::$variant(a) => a.verify(data).await),+
                }
            }

            async fn receive(self, data: &FedData) -> Result<(), FedError> {
                match self {
                    $(InboxActivity::$variant(a) => a.receive(data).await),+
                }
            }
        }
    };
}

inbox_activities! {
    Follow(follow::Follow),
    Accept(answer::Accept),
    Reject(answer::Reject),
    Undo(undo::Undo),
    Create(create::Create),
    Update(update::Update),
    Delete(delete::Delete),
    Like(like::Like),
    Dislike(dislike::Dislike),
    Announce(announce::Announce),
    Add(featured::Add),
    Remove(featured::Remove),
    Block(block::Block),
    Lock(moderation::Lock),
}

/// A status this server already has (local or remote), by its id; an
/// activity about an unknown one has nothing to act on.
pub(crate) async fn known_status(id: &Url, data: &FedData) -> Result<Status, FedError> {
    data.status_by_ap_id(id.as_str())
        .await?
        .filter(|s| !s.is_reblog())
        .ok_or_else(|| FedError::Ignored(format!("unknown object {id}")))
}

/// The sending actor's account (already fetched and verified by the inbox).
pub(crate) async fn actor_account(
    actor: &ObjectId<ActorRecord>,
    data: &FedData,
) -> Result<Account, FedError> {
    Ok(actor.dereference(data).await?.account)
}

/// A local account by its ActivityPub id.
pub(crate) async fn local_account(id: &Url, data: &FedData) -> Result<Account, FedError> {
    match data.account_by_ap_id(id.as_str()).await? {
        Some(a) if a.is_local() && a.deleted_at.is_none() => Ok(a),
        _ => Err(FedError::NotFound),
    }
}
