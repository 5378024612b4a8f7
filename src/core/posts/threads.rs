//! Threads: a status with the replies above and below it.

use crate::core::{error::CoreResult, found, views, views::StatusView, Core};
use crate::db::statuses::{self, Status};
use std::collections::HashMap;

/// How far up a thread and how many replies down a context goes.
const MAX_ANCESTORS: usize = 100;
const MAX_DESCENDANTS: usize = 4096;

impl Core {
    /// The thread around a status: its ancestors (oldest first) and its
    /// descendants (depth first), as far as `viewer` may read them.
    pub async fn context(
        &self,
        viewer: Option<i64>,
        id: i64,
    ) -> CoreResult<(Vec<StatusView>, Vec<StatusView>)> {
        self.read(move |conn, _| {
            let status = found(statuses::visible(conn, id, viewer)?)?;
            let hidden = crate::core::hidden::hidden_for_viewer(conn, viewer)?;
            let mut ancestors = vec![];
            let mut cursor = status.clone();
            while let Some(pid) = cursor.in_reply_to_id {
                if ancestors.len() >= MAX_ANCESTORS {
                    break;
                }
                match statuses::visible(conn, pid, viewer)? {
                    Some(parent) => {
                        ancestors.push(parent.clone());
                        cursor = parent;
                    }
                    None => break,
                }
            }
            ancestors.reverse();
            let mut children: HashMap<i64, Vec<Status>> = HashMap::new();
            let mut frontier = vec![status.id];
            let mut total = 0;
            while !frontier.is_empty() && total < MAX_DESCENDANTS {
                let level = statuses::replies_to(conn, &frontier, viewer, &hidden)?;
                total += level.len();
                frontier = level.iter().map(|s| s.id).collect();
                for s in level {
                    if let Some(p) = s.in_reply_to_id {
                        children.entry(p).or_default().push(s);
                    }
                }
            }
            let mut descendants = vec![];
            let mut stack: Vec<Status> = children.remove(&status.id).unwrap_or_default();
            stack.reverse();
            while let Some(s) = stack.pop() {
                if let Some(mut kids) = children.remove(&s.id) {
                    kids.reverse();
                    stack.extend(kids);
                }
                descendants.push(s);
            }
            let ancestors = views::status_views(conn, ancestors, viewer)?;
            let descendants = views::status_views(conn, descendants, viewer)?;
            Ok((
                crate::core::hidden::apply_for(conn, viewer, "thread", ancestors)?,
                crate::core::hidden::apply_for(conn, viewer, "thread", descendants)?,
            ))
        })
        .await
    }
}
