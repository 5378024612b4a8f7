//! Markers: where a person stopped reading their home timeline and their
//! notifications, so every app they use opens at the same place.

use crate::core::{
    error::{CoreError, CoreResult},
    Core,
};
use crate::db::{
    self,
    markers::{self, Marker},
    notifications,
};

/// The timelines that have markers.
pub const TIMELINES: &[&str] = &["home", "notifications"];

fn check(timeline: &str) -> CoreResult<()> {
    if TIMELINES.contains(&timeline) {
        Ok(())
    } else {
        Err(CoreError::Invalid(format!("unknown timeline `{timeline}`")))
    }
}

impl Core {
    /// The markers of `me` for the given timelines (unknown names are skipped).
    pub async fn markers(&self, me: i64, timelines: Vec<String>) -> CoreResult<Vec<Marker>> {
        self.read(move |conn, _| {
            let mut out = vec![];
            for t in timelines.iter().filter(|t| TIMELINES.contains(&t.as_str())) {
                out.extend(markers::get(conn, me, t)?);
            }
            Ok(out)
        })
        .await
    }

    /// Move the marker of `timeline` to `last_read_id`.
    pub async fn set_marker(
        &self,
        me: i64,
        timeline: &str,
        last_read_id: i64,
    ) -> CoreResult<Marker> {
        check(timeline)?;
        let timeline = timeline.to_string();
        self.write(move |conn, _| {
            let version = markers::get(conn, me, &timeline)?.map_or(0, |m| m.version) + 1;
            let marker = Marker {
                account_id: me,
                timeline,
                last_read_id,
                version,
                updated_at: db::now(),
            };
            markers::save(conn, &marker)?;
            Ok(marker)
        })
        .await
    }

    /// How many notifications arrived after the notifications marker, up to `limit`.
    pub async fn unread_notifications(&self, me: i64, limit: i64) -> CoreResult<i64> {
        self.read(move |conn, _| {
            let after = markers::get(conn, me, "notifications")?.map_or(0, |m| m.last_read_id);
            Ok(notifications::count_after(conn, me, after, limit)?)
        })
        .await
    }
}
