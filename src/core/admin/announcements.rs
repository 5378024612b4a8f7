//! Announcements: notices an admin posts to everyone on this server. Apps
//! show the current ones above the home timeline; each teacher can dismiss
//! them (mark read) and react with an emoji.

use crate::core::{
    error::{CoreError, CoreResult},
    found, text, Core,
};
use crate::db::{
    self,
    announcements::{self as store, Announcement},
};
use chrono::NaiveDateTime;

/// Longest announcement, in characters.
pub const MAX_CHARS: usize = 5000;

/// What an admin writes.
#[derive(Debug, Clone, Default)]
pub struct NewAnnouncement {
    pub text: String,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub all_day: bool,
}

/// One emoji's reactions to an announcement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reaction {
    pub name: String,
    pub count: i64,
    /// Whether the viewer reacted so.
    pub me: bool,
}

/// An announcement as one teacher sees it.
#[derive(Debug, Clone)]
pub struct AnnouncementView {
    pub announcement: Announcement,
    pub read: bool,
    pub reactions: Vec<Reaction>,
}

fn views(
    conn: &mut db::DbConn,
    list: Vec<Announcement>,
    viewer: i64,
) -> CoreResult<Vec<AnnouncementView>> {
    let ids: Vec<i64> = list.iter().map(|a| a.id).collect();
    let read = store::read_among(conn, viewer, &ids)?;
    let reactions = store::reactions(conn, &ids)?;
    Ok(list
        .into_iter()
        .map(|a| {
            let mut grouped: Vec<Reaction> = vec![];
            for (_, account, name) in reactions.iter().filter(|r| r.0 == a.id) {
                let i = match grouped.iter().position(|r| r.name == *name) {
                    Some(i) => i,
                    None => {
                        grouped.push(Reaction {
                            name: name.clone(),
                            count: 0,
                            me: false,
                        });
                        grouped.len() - 1
                    }
                };
                grouped[i].count += 1;
                grouped[i].me |= *account == viewer;
            }
            AnnouncementView {
                read: read.contains(&a.id),
                reactions: grouped,
                announcement: a,
            }
        })
        .collect())
}

/// A reaction must be one Unicode emoji (this server has no custom emojis).
fn valid_reaction(name: &str) -> CoreResult<String> {
    let name = name.trim();
    emojis::get(name)
        .map(|e| e.as_str().to_string())
        .ok_or_else(|| {
            CoreError::Invalid("Validation failed: Name is not a recognized emoji".into())
        })
}

impl Core {
    /// Post an announcement (admins, from the command line).
    pub async fn create_announcement(&self, new: NewAnnouncement) -> CoreResult<Announcement> {
        let body = new.text.trim().to_string();
        if body.is_empty() {
            return Err(CoreError::Invalid("an announcement needs text".into()));
        }
        if body.chars().count() > MAX_CHARS {
            return Err(CoreError::TooLarge(format!(
                "an announcement has at most {MAX_CHARS} characters"
            )));
        }
        if let (Some(start), Some(end)) = (new.starts_at, new.ends_at) {
            if end <= start {
                return Err(CoreError::Invalid(
                    "an announcement must end after it starts".into(),
                ));
            }
        }
        let now = db::now();
        let a = Announcement {
            id: self.next_id(),
            content: text::render_plain(&body, &[], self.uris().base()),
            text: body,
            starts_at: new.starts_at,
            ends_at: new.ends_at,
            all_day: new.all_day,
            published_at: now,
            updated_at: now,
        };
        let stored = a.clone();
        self.write(move |conn, _| Ok(store::insert(conn, &stored)?))
            .await?;
        Ok(a)
    }

    /// Every announcement, current or not, newest first (for admins).
    pub async fn all_announcements(&self) -> CoreResult<Vec<Announcement>> {
        self.read(|conn, _| Ok(store::all(conn)?)).await
    }

    pub async fn delete_announcement(&self, id: i64) -> CoreResult<()> {
        self.write(move |conn, _| match store::delete(conn, id)? {
            true => Ok(()),
            false => Err(CoreError::NotFound),
        })
        .await
    }

    /// The announcements showing now, newest first; dismissed ones too when
    /// `with_dismissed`.
    pub async fn announcements(
        &self,
        viewer: i64,
        with_dismissed: bool,
    ) -> CoreResult<Vec<AnnouncementView>> {
        self.read(move |conn, _| {
            let list = store::current(conn, db::now())?;
            let mut list = views(conn, list, viewer)?;
            list.retain(|v| with_dismissed || !v.read);
            Ok(list)
        })
        .await
    }

    /// Mark a current announcement read.
    pub async fn dismiss_announcement(&self, viewer: i64, id: i64) -> CoreResult<()> {
        self.write(move |conn, _| {
            current(conn, id)?;
            Ok(store::mark_read(conn, id, viewer)?)
        })
        .await
    }

    /// Add (`on`) or take back an emoji reaction to a current announcement.
    pub async fn react_to_announcement(
        &self,
        viewer: i64,
        id: i64,
        name: &str,
        on: bool,
    ) -> CoreResult<()> {
        let name = valid_reaction(name)?;
        self.write(move |conn, _| {
            current(conn, id)?;
            if on {
                store::add_reaction(conn, id, viewer, &name)?;
            } else {
                store::remove_reaction(conn, id, viewer, &name)?;
            }
            Ok(())
        })
        .await
    }
}

/// The announcement `id` if it is showing now.
fn current(conn: &mut db::DbConn, id: i64) -> CoreResult<Announcement> {
    let a = found(store::get(conn, id)?)?;
    let now = db::now();
    let started = a.starts_at.is_none_or(|s| s <= now);
    let ended = a.ends_at.is_some_and(|e| e <= now);
    if started && !ended {
        Ok(a)
    } else {
        Err(CoreError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::valid_reaction;

    #[test]
    fn reactions_are_single_unicode_emojis() {
        assert_eq!(valid_reaction("🍎").unwrap(), "🍎");
        assert!(valid_reaction(":blobcat:").is_err());
        assert!(valid_reaction("hello").is_err());
        assert!(valid_reaction("").is_err());
    }
}
