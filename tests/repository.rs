//! Checks on the repository itself: the tests need nothing outside it.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The files under `dir` whose names end with one of `extensions`.
fn files(dir: &Path, extensions: &[&str]) -> Vec<PathBuf> {
    let mut found = vec![];
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if !name.starts_with('.') && name != "target" && name != "venv" {
                    pending.push(path);
                }
            } else if extensions.iter().any(|e| name.ends_with(e)) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// A fresh clone has no shared design folder beside it (nor any other folder of the
/// machine the tests were written on): tests read only what the repository
/// holds, copies of outside material included (`tests/fixtures/`).
#[test]
fn no_test_reads_outside_the_repository() {
    // Spelled in pieces so that this file does not name them itself.
    let outside = [
        format!("../{}", "shared"),
        format!("/work/{}", "shared"),
        format!("{}/specs/", "shared"),
        format!("{}/design/", "shared"),
        format!("join(\"..{}", "\")"),
        format!("join(\"../{}", ""),
    ];
    let mut scripts = files(
        &root().join("tests"),
        &[".rs", ".py", ".sh", ".toml", ".json"],
    );
    scripts.push(root().join(".ci/run"));
    let mut found = vec![];
    for path in scripts {
        if path.ends_with("fixtures/mastodon-openapi.json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (n, line) in text.lines().enumerate() {
            if outside.iter().any(|o| line.contains(o.as_str())) {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "tests read outside the repository (copy what they need into tests/fixtures/):\n{}",
        found.join("\n")
    );
    assert!(root()
        .join("tests/fixtures/mastodon-openapi.json")
        .is_file());
}
