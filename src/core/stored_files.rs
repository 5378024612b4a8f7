//! Stored files as they are named and served: every new file gets a folder
//! named by 128 random bits (never by a time-ordered id, which could be
//! counted), and a file may be cached publicly only when everyone may see
//! it (a profile image, or an attachment of a public or unlisted post).
//! Files stored under the older id-based names keep working: the database
//! records each file's full key.

use crate::core::{crypto, error::CoreResult, visibility::Visibility, Core};
use crate::db::{media, statuses};

/// Random bytes in the folder name of each new file (128 bits).
const NAME_BYTES: usize = 16;

/// A new, unguessable folder for files under `prefix` (`media`, `cache`,
/// `accounts`): `prefix/<32 hex digits>`.
pub(crate) fn new_folder(prefix: &str) -> String {
    format!("{prefix}/{}", crypto::random_hex(NAME_BYTES))
}

/// Who may keep a copy of a served file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caching {
    /// Shared caches too: everyone may see the file.
    Public,
    /// Only the viewer's own browser or app: an attachment of a post not
    /// everyone may see, an upload not attached yet, or a file no
    /// attachment names.
    Private,
}

/// A file to serve.
#[derive(Debug, Clone)]
pub struct ServedFile {
    pub bytes: Vec<u8>,
    pub caching: Caching,
}

impl Core {
    /// The file stored under `key`, with how it may be cached; `None` if
    /// there is none.
    pub async fn served_file(&self, key: String) -> CoreResult<Option<ServedFile>> {
        let core = self.clone();
        let k = key.clone();
        let bytes = tokio::task::spawn_blocking(move || core.files().get(&k))
            .await
            .map_err(|e| crate::core::error::CoreError::Internal(e.to_string()))??;
        let Some(bytes) = bytes else {
            return Ok(None);
        };
        let caching = self.caching_of(key).await?;
        Ok(Some(ServedFile { bytes, caching }))
    }

    async fn caching_of(&self, key: String) -> CoreResult<Caching> {
        if key.starts_with("accounts/") {
            // Avatars and headers of people and boards: shown to everyone.
            return Ok(Caching::Public);
        }
        self.read(move |conn, _| {
            let Some(status_id) = media::by_key(conn, &key)?.and_then(|m| m.status_id) else {
                return Ok(Caching::Private);
            };
            let public =
                statuses::by_id(conn, status_id)?.is_some_and(|s| Visibility::of(&s).is_public());
            Ok(if public {
                Caching::Public
            } else {
                Caching::Private
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_are_random_and_carry_128_bits() {
        let a = new_folder("media");
        let b = new_folder("media");
        assert_ne!(a, b);
        let name = a.strip_prefix("media/").unwrap();
        assert_eq!(name.len(), 32);
        assert!(name.bytes().all(|c| c.is_ascii_hexdigit()));
    }
}
