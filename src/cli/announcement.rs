//! `staffroom announcement create|list|delete`

use super::AnnouncementCommand;
use crate::{config::Settings, core::admin::NewAnnouncement, server};
use chrono::{DateTime, NaiveDateTime, SubsecRound};

fn time(flag: &str, value: Option<String>) -> Result<Option<NaiveDateTime>, String> {
    value
        .map(|v| {
            DateTime::parse_from_rfc3339(&v)
                .map(|t| t.naive_utc().trunc_subsecs(6))
                .map_err(|_| {
                    format!("--{flag}: `{v}` is not an RFC 3339 time such as 2026-12-01T08:00:00Z")
                })
        })
        .transpose()
}

pub async fn run(command: AnnouncementCommand, settings: Settings) -> Result<(), String> {
    let core = server::build(settings)?.core;
    core.check_domain().await.map_err(|e| e.to_string())?;
    match command {
        AnnouncementCommand::Create {
            text,
            starts_at,
            ends_at,
            all_day,
        } => {
            let a = core
                .create_announcement(NewAnnouncement {
                    text,
                    starts_at: time("starts-at", starts_at)?,
                    ends_at: time("ends-at", ends_at)?,
                    all_day,
                })
                .await
                .map_err(|e| e.to_string())?;
            println!("Announcement {} posted.", a.id);
        }
        AnnouncementCommand::List => {
            let all = core.all_announcements().await.map_err(|e| e.to_string())?;
            if all.is_empty() {
                println!(
                    "No announcements. Post one with: staffroom announcement create --text TEXT"
                );
            }
            let show = |t: Option<NaiveDateTime>| {
                t.map_or("-".to_string(), |t| t.format("%Y-%m-%d %H:%M").to_string())
            };
            for a in all {
                println!(
                    "{:<20} {:<16} {:<16} {}",
                    a.id,
                    show(a.starts_at),
                    show(a.ends_at),
                    a.text.lines().next().unwrap_or_default()
                );
            }
        }
        AnnouncementCommand::Delete { id } => {
            core.delete_announcement(id)
                .await
                .map_err(|e| format!("announcement {id}: {e}"))?;
            println!("Announcement {id} deleted.");
        }
    }
    Ok(())
}
