//! File storage: the core's `FileStore` port, on the local disk under the
//! data directory. Keys are relative paths of plain names; anything that
//! could leave the root (`..`, absolute paths) is refused.

use crate::core::{
    error::{CoreError, CoreResult},
    ports::FileStore,
};
use std::{
    fs,
    io::ErrorKind,
    path::{Path, PathBuf},
    time::SystemTime,
};

pub struct LocalFiles {
    root: PathBuf,
}

impl LocalFiles {
    pub fn new(root: impl Into<PathBuf>) -> LocalFiles {
        LocalFiles { root: root.into() }
    }

    fn path(&self, key: &str) -> CoreResult<PathBuf> {
        let ok = !key.is_empty()
            && key.split('/').all(|part| {
                !part.is_empty()
                    && part != "."
                    && part != ".."
                    && part
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
            });
        if ok {
            Ok(self.root.join(key))
        } else {
            Err(CoreError::NotFound)
        }
    }
}

fn io(e: std::io::Error) -> CoreError {
    CoreError::Internal(format!("file store: {e}"))
}

impl FileStore for LocalFiles {
    fn put(&self, key: &str, bytes: &[u8]) -> CoreResult<()> {
        let path = self.path(key)?;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io)?;
        }
        // Write aside, then rename: a reader never sees half a file.
        let partial = path.with_extension("partial");
        fs::write(&partial, bytes).map_err(io)?;
        fs::rename(&partial, &path).map_err(io)
    }

    fn get(&self, key: &str) -> CoreResult<Option<Vec<u8>>> {
        match fs::read(self.path(key)?) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io(e)),
        }
    }

    fn delete(&self, key: &str) -> CoreResult<()> {
        match fs::remove_file(self.path(key)?) {
            Err(e) if e.kind() != ErrorKind::NotFound => Err(io(e)),
            _ => Ok(()),
        }
    }

    fn list(&self, prefix: &str) -> CoreResult<Vec<(String, u64)>> {
        let mut out: Vec<(String, u64, SystemTime)> = vec![];
        let start = self.path(prefix)?;
        walk(&self.root, &start, &mut out)?;
        out.sort_by_key(|(_, _, t)| *t);
        Ok(out.into_iter().map(|(k, n, _)| (k, n)).collect())
    }
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, u64, SystemTime)>) -> CoreResult<()> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io)?;
        let meta = entry.metadata().map_err(io)?;
        if meta.is_dir() {
            walk(root, &entry.path(), out)?;
        } else if let Ok(rel) = entry.path().strip_prefix(root) {
            let key = rel.to_string_lossy().replace('\\', "/");
            out.push((
                key,
                meta.len(),
                meta.modified().unwrap_or(SystemTime::UNIX_EPOCH),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_and_refuses_escaping_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = LocalFiles::new(dir.path());
        store.put("media/1/original.png", b"abc").unwrap();
        assert_eq!(
            store.get("media/1/original.png").unwrap(),
            Some(b"abc".to_vec())
        );
        assert_eq!(store.get("media/2/original.png").unwrap(), None);
        assert_eq!(
            store.list("media").unwrap(),
            vec![("media/1/original.png".into(), 3)]
        );
        for bad in [
            "../etc/passwd",
            "/etc/passwd",
            "media/../../x",
            "media//x",
            "",
        ] {
            assert!(store.get(bad).is_err(), "{bad}");
            assert!(store.put(bad, b"x").is_err(), "{bad}");
        }
        store.delete("media/1/original.png").unwrap();
        assert_eq!(store.get("media/1/original.png").unwrap(), None);
    }
}
