//! Profiles: what teachers show about themselves (name, note, fields,
//! pictures) and their posting preferences; changes reach their followers.

use crate::core::{
    error::{CoreError, CoreResult},
    found,
    ports::Outgoing,
    text, visibility, Core,
};
use crate::db::{self, accounts, accounts::Account, users, users::User};

/// Longest profile note (bio), in characters, as on Mastodon.
pub const NOTE_MAX_CHARS: usize = 500;
/// Longest display name, in characters (as on Mastodon).
pub const DISPLAY_NAME_MAX_CHARS: usize = 30;

/// At most this many profile fields (school, subjects, grade bands ...).
pub const MAX_FIELDS: usize = 4;
const FIELD_MAX_CHARS: usize = 255;

/// Profile changes a teacher makes; `None` leaves a field as it is.
#[derive(Debug, Default, Clone)]
pub struct ProfileChanges {
    pub display_name: Option<String>,
    /// Plain text; links, mentions and hashtags become HTML.
    pub note: Option<String>,
    pub locked: Option<bool>,
    pub bot: Option<bool>,
    pub discoverable: Option<bool>,
    /// Profile fields as (name, plain-text value); replaces all of them.
    pub fields: Option<Vec<(String, String)>>,
    /// Defaults for new posts.
    pub posting: PostingPreferences,
    /// New profile pictures (image files as uploaded).
    pub avatar: Option<Vec<u8>>,
    pub header: Option<Vec<u8>>,
}

/// Defaults for new posts; `None` leaves one as it is.
#[derive(Debug, Default, Clone)]
pub struct PostingPreferences {
    pub visibility: Option<crate::core::visibility::Visibility>,
    pub sensitive: Option<bool>,
    /// An empty string clears it.
    pub language: Option<String>,
}

fn check_fields(fields: &[(String, String)]) -> CoreResult<()> {
    if fields.len() > MAX_FIELDS {
        return Err(CoreError::Invalid(format!(
            "Validation failed: at most {MAX_FIELDS} profile fields"
        )));
    }
    if fields
        .iter()
        .any(|(n, v)| n.chars().count() > FIELD_MAX_CHARS || v.chars().count() > FIELD_MAX_CHARS)
    {
        return Err(CoreError::Invalid(format!(
            "Validation failed: profile fields have at most {FIELD_MAX_CHARS} characters"
        )));
    }
    Ok(())
}

/// Give `a` the new avatar and header (URLs of stored images), deleting
/// the files they replace.
pub(in crate::core) fn set_images(
    core: &Core,
    a: &mut Account,
    avatar: Option<String>,
    header: Option<String>,
) -> CoreResult<()> {
    let mut replaced = vec![];
    if let Some(url) = avatar {
        replaced.extend(a.avatar_url.replace(url));
    }
    if let Some(url) = header {
        replaced.extend(a.header_url.replace(url));
    }
    for old in replaced {
        if let Some(key) = old.strip_prefix(&core.uris().file("")) {
            core.files().delete(key)?;
        }
    }
    Ok(())
}

impl Core {
    /// Check, crop and keep a new avatar or header; returns its URL.
    pub(in crate::core) async fn store_profile_image(
        &self,
        which: &str,
        bytes: Vec<u8>,
        width: u32,
        height: u32,
    ) -> CoreResult<String> {
        let limits = self.settings().media.clone();
        if bytes.len() > limits.upload_max_bytes {
            return Err(CoreError::TooLarge(format!(
                "the {which} is larger than {} bytes",
                limits.upload_max_bytes
            )));
        }
        if !crate::core::images::Kind::sniff(&bytes).is_some_and(|k| k.is_image()) {
            return Err(CoreError::Invalid(format!(
                "Validation failed: the {which} must be a JPEG, PNG, GIF or WebP image"
            )));
        }
        let image = tokio::task::spawn_blocking(move || {
            crate::core::images::profile_image(&bytes, limits.max_pixels, width, height)
        })
        .await
        .map_err(|e| CoreError::Internal(e.to_string()))??;
        let key = format!(
            "{}/{which}.{}",
            crate::core::stored_files::new_folder("accounts"),
            image.extension
        );
        self.files().put(&key, &image.bytes)?;
        Ok(self.uris().file(&key))
    }

    /// The login identity (with posting preferences) of a local account.
    pub async fn user_of(&self, account_id: i64) -> CoreResult<User> {
        self.read(move |conn, _| found(users::by_account(conn, account_id)?))
            .await
    }

    /// Change a local account's profile and tell its followers.
    pub async fn update_profile(
        &self,
        account_id: i64,
        changes: ProfileChanges,
    ) -> CoreResult<Account> {
        if changes
            .note
            .as_ref()
            .is_some_and(|n| n.chars().count() > NOTE_MAX_CHARS)
        {
            return Err(CoreError::Invalid(format!(
                "the note is longer than {NOTE_MAX_CHARS} characters"
            )));
        }
        if changes
            .display_name
            .as_ref()
            .is_some_and(|n| n.trim().chars().count() > DISPLAY_NAME_MAX_CHARS)
        {
            return Err(CoreError::Invalid(format!(
                "Validation failed: Display name is too long (maximum is {DISPLAY_NAME_MAX_CHARS} characters)"
            )));
        }
        if let Some(fields) = &changes.fields {
            check_fields(fields)?;
        }
        if let Some(lang) = changes
            .posting
            .language
            .as_deref()
            .filter(|l| !l.is_empty())
        {
            crate::core::text::check_language(lang)?;
        }
        let mut changes = changes;
        let avatar = match changes.avatar.take() {
            Some(bytes) => Some(self.store_profile_image("avatar", bytes, 400, 400).await?),
            None => None,
        };
        let header = match changes.header.take() {
            Some(bytes) => Some(self.store_profile_image("header", bytes, 1500, 500).await?),
            None => None,
        };
        self.write(move |conn, core| {
            let mut a = found(accounts::by_id(conn, account_id)?)?;
            if let Some(name) = changes.display_name {
                a.display_name = text::clean_label(&name, DISPLAY_NAME_MAX_CHARS);
            }
            if let Some(note) = changes.note {
                a.note = text::render_plain(&note, &[], core.uris().base());
            }
            if let Some(locked) = changes.locked {
                a.locked = locked;
            }
            if let Some(bot) = changes.bot {
                a.bot = bot;
            }
            if let Some(discoverable) = changes.discoverable {
                a.discoverable = discoverable;
            }
            set_images(core, &mut a, avatar, header)?;
            if let Some(fields) = changes.fields {
                let list: Vec<serde_json::Value> = fields
                    .iter()
                    .filter(|(n, v)| !n.trim().is_empty() || !v.trim().is_empty())
                    .map(|(n, v)| {
                        serde_json::json!({
                            "name": text::clean_label(n, FIELD_MAX_CHARS),
                            "value": text::render_line(v.trim(), core.uris().base()),
                        })
                    })
                    .collect();
                a.fields = serde_json::Value::Array(list).to_string();
            }
            let p = changes.posting;
            if p.visibility.is_some() || p.sensitive.is_some() || p.language.is_some() {
                let user = found(users::by_account(conn, a.id)?)?;
                let language = match p.language {
                    Some(l) if l.is_empty() => None,
                    Some(l) => Some(l),
                    None => user.default_language.clone(),
                };
                users::set_preferences(
                    conn,
                    user.id,
                    p.visibility
                        .map_or(user.default_visibility.as_str(), |v| v.as_str()),
                    p.sensitive.unwrap_or(user.default_sensitive),
                    language.as_deref(),
                )?;
            }
            a.updated_at = db::now();
            accounts::update(conn, &a)?;
            let recipients = visibility::profile_recipients(conn, &a)?;
            core.outbound()
                .enqueue(conn, Outgoing::UpdateProfile { account: &a }, &recipients)?;
            Ok(a)
        })
        .await
    }
}
