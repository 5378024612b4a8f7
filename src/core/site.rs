//! This server itself: its instance actor's keys, its domain, its statistics
//! and contact address.

use super::{
    crypto,
    error::{CoreError, CoreResult},
    Core,
};
use crate::db::{self, accounts, site, users};

#[derive(Debug, Clone, Copy, Default)]
pub struct SiteStats {
    pub users: i64,
    pub active_month: i64,
    pub active_halfyear: i64,
    pub local_posts: i64,
    pub domains: i64,
}

impl Core {
    /// Hourly upkeep (and at start): forget old inbox activity ids, sent
    /// activities and idempotency keys, refresh the query planner's
    /// statistics.
    pub async fn housekeeping(&self) -> CoreResult<()> {
        self.prune_activity_log().await?;
        self.prune_sent_activities().await?;
        self.write(|conn, _| {
            db::idempotency::prune(conn, db::now() - chrono::Duration::days(1))?;
            Ok(())
        })
        .await?;
        self.write(|conn, _| Ok(db::refresh_statistics(conn)?))
            .await
    }

    /// The instance actor's (public, private) keys, made on first use.
    pub async fn instance_keys(&self) -> CoreResult<(String, String)> {
        if let Some(k) = self.read(|conn, _| Ok(site::keys(conn)?)).await? {
            return Ok(k);
        }
        let (public, private) = tokio::task::spawn_blocking(crypto::generate_keypair)
            .await
            .map_err(|e| CoreError::Internal(e.to_string()))??;
        self.write(move |conn, _| {
            if let Some(k) = site::keys(conn)? {
                return Ok(k);
            }
            site::insert_keys(conn, &public, &private)?;
            Ok((public, private))
        })
        .await
    }

    /// Refuse a database whose accounts were made for another domain: their
    /// ids are fixed, so serving them under this one would break federation.
    pub async fn check_domain(&self) -> CoreResult<()> {
        let base = format!("{}/", self.uris().base());
        let first = self
            .read(|conn, _| Ok(accounts::first_local(conn)?))
            .await?;
        match first {
            Some(a) if !a.ap_id.starts_with(&base) => Err(CoreError::Invalid(format!(
                "config: `domain` gives {base} but this database's accounts live at {} (set STAFFROOM_DOMAIN to match, or use a new database)",
                a.ap_id.trim_end_matches(&format!("users/{}", a.username))
            ))),
            _ => Ok(()),
        }
    }

    pub async fn site_stats(&self) -> CoreResult<SiteStats> {
        self.read(|conn, _| {
            let now = db::now();
            Ok(SiteStats {
                users: users::count(conn)?,
                active_month: db::statuses::active_local_authors(
                    conn,
                    now - chrono::Duration::days(30),
                )?,
                active_halfyear: db::statuses::active_local_authors(
                    conn,
                    now - chrono::Duration::days(180),
                )?,
                local_posts: db::statuses::count_local(conn)?,
                domains: accounts::remote_domains(conn)?.len() as i64,
            })
        })
        .await
    }

    /// Where people can write about this server.
    pub async fn contact_email(&self) -> CoreResult<String> {
        let configured = self.settings().instance.contact_email.clone();
        if !configured.is_empty() {
            return Ok(configured);
        }
        self.read(|conn, _| Ok(users::first_admin_email(conn)?.unwrap_or_default()))
            .await
    }
}
