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

/// Every line of the security checklist (`tests/fixtures/SECURITY.md`, a
/// copy of the project's design note) is named by a test, in a comment of
/// the form `SECURITY.md <Section> <N>` (`Inbox`, `Fetching`, `HTML`, `API`).
#[test]
fn every_line_of_the_security_checklist_is_named_by_a_test() {
    let checklist = std::fs::read_to_string(root().join("tests/fixtures/SECURITY.md")).unwrap();
    let mut lines: Vec<(String, String)> = vec![];
    let mut section = None;
    for line in checklist.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = [
                ("Inbox", "Inbox"),
                ("Fetching", "Fetching"),
                ("HTML", "HTML"),
                ("Mastodon API", "API"),
            ]
            .iter()
            .find(|(start, _)| heading.starts_with(start))
            .map(|(_, name)| name.to_string());
            continue;
        }
        let Some(section) = &section else { continue };
        let Some((number, _)) = line.split_once(". ") else {
            continue;
        };
        if !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()) {
            lines.push((section.clone(), number.to_string()));
        }
    }
    assert!(lines.len() >= 30, "the checklist was not read: {lines:?}");
    // Test files whole; in the server's sources, only their test modules
    // (a tag in the code it tests is not a test).
    let read = |p: &PathBuf| std::fs::read_to_string(p).unwrap_or_default();
    let mut texts: Vec<String> = files(&root().join("tests"), &[".rs"])
        .iter()
        .filter(|p| !p.ends_with("tests/it/repository.rs"))
        .map(read)
        .collect();
    texts.extend(files(&root().join("src"), &[".rs"]).iter().filter_map(|p| {
        let text = read(p);
        text.find("#[cfg(test)]").map(|at| text[at..].to_string())
    }));
    let text = texts.join("\n");
    let missing: Vec<String> = lines
        .iter()
        .map(|(section, n)| format!("SECURITY.md {section} {n}"))
        .filter(|tag| {
            !text.match_indices(tag.as_str()).any(|(at, _)| {
                !text[at + tag.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit())
            })
        })
        .collect();
    assert!(
        missing.is_empty(),
        "checklist lines no test names:\n{}",
        missing.join("\n")
    );
}

/// The core knows nothing of HTTP or ActivityPub: no file under `src/core/`
/// names actix, the federation crate, reqwest or an edge module (`api`,
/// `federation`, `web`, `cli`, `server`, `throttle`).
#[test]
fn the_core_imports_no_edge() {
    let forbidden = [
        "actix_web",
        "actix_",
        "activitypub_federation",
        "reqwest",
        "crate::api",
        "crate::federation",
        "crate::web",
        "crate::cli",
        "crate::server",
        "crate::throttle",
    ];
    let mut found = vec![];
    for path in files(&root().join("src/core"), &[".rs"]) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if forbidden.iter().any(|f| code.contains(f)) {
                found.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the core imports an edge:\n{}",
        found.join("\n")
    );
}
