//! PostgreSQL's LISTEN/NOTIFY, which carries live events between app
//! processes that share one database.

use super::DbConn;
use diesel::{connection::SimpleConnection, prelude::*, sql_types::Text, PgConnection};
use std::time::Duration;

/// The channel Staffroom's events travel on.
pub const CHANNEL: &str = "staffroom_events";

/// Send `payload` to every process listening on [`CHANNEL`].
pub fn notify(conn: &mut DbConn, payload: &str) -> QueryResult<()> {
    diesel::sql_query("SELECT pg_notify($1, $2)")
        .bind::<Text, _>(CHANNEL)
        .bind::<Text, _>(payload)
        .execute(conn)
        .map(|_| ())
}

/// Listen on [`CHANNEL`] forever (on a thread of its own), calling
/// `on_payload` for each notification; reconnects when the connection drops.
pub fn listen(url: &str, mut on_payload: impl FnMut(String)) -> ! {
    let mut backoff = Duration::from_millis(200);
    loop {
        match PgConnection::establish(url)
            .map_err(|e| e.to_string())
            .and_then(|mut conn| {
                conn.batch_execute(&format!("LISTEN {CHANNEL}"))
                    .map_err(|e| e.to_string())?;
                Ok(conn)
            }) {
            Ok(mut conn) => {
                backoff = Duration::from_millis(200);
                loop {
                    let mut failed = None;
                    for n in conn.notifications_iter() {
                        match n {
                            Ok(n) => on_payload(n.payload),
                            Err(e) => {
                                failed = Some(e.to_string());
                                break;
                            }
                        }
                    }
                    if let Some(e) = failed {
                        tracing::warn!("event listener: {e}; reconnecting");
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            Err(e) => tracing::warn!("event listener: cannot connect: {e}"),
        }
        std::thread::sleep(backoff);
        backoff = (backoff * 2).min(Duration::from_secs(10));
    }
}
