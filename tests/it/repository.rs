//! Checks on the repository itself: the tests need nothing outside it.

use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
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

/// The imports of one file of the server: each module (`crate::core::posts`)
/// its `use` lines or its paths (`super::x::f`, `crate::a::b::T`) name, with
/// the line they are on.
struct Imports {
    file: PathBuf,
    module: Vec<String>,
    names: Vec<(Vec<String>, usize)>,
}

/// The module a file under `src/` is (`src/core/posts/mod.rs` is
/// `crate::core::posts`); `None` for the binary's `main.rs`.
fn module_of(src: &Path, path: &Path) -> Option<Vec<String>> {
    let mut parts: Vec<String> = path
        .strip_prefix(src)
        .ok()?
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let stem = parts.pop()?.strip_suffix(".rs")?.to_string();
    if parts.is_empty() && stem == "main" {
        return None;
    }
    if stem != "mod" && !(parts.is_empty() && stem == "lib") {
        parts.push(stem);
    }
    parts.insert(0, "crate".into());
    Some(parts)
}

/// The paths a `use` tree names: `a::{b, c::{d, self}}` is `a::b`, `a::c::d`, `a::c`.
fn use_paths(prefix: &str, tree: &str, out: &mut Vec<String>) {
    let Some(open) = tree.find('{') else {
        let path = format!("{prefix}{tree}");
        let path = path.strip_suffix("::self").unwrap_or(&path);
        if !tree.is_empty() {
            out.push(path.to_string());
        }
        return;
    };
    let prefix = format!("{prefix}{}", &tree[..open]);
    let close = tree.rfind('}').filter(|c| *c > open).unwrap_or(tree.len());
    let body = &tree[open + 1..close];
    let (mut depth, mut start) = (0, 0);
    for (i, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                use_paths(&prefix, &body[start..i], out);
                start = i + 1;
            }
            _ => {}
        }
    }
    use_paths(&prefix, &body[start..], out);
}

/// Every file of `src/` (but `main.rs`) with the modules of the crate it names.
fn imports() -> Vec<Imports> {
    let src = root().join("src");
    let modules: Vec<(PathBuf, Vec<String>)> = files(&src, &[".rs"])
        .into_iter()
        .filter_map(|p| module_of(&src, &p).map(|m| (p, m)))
        .collect();
    let known: BTreeSet<&Vec<String>> = modules.iter().map(|(_, m)| m).collect();
    // The module of the crate a path from `from` leads into (the longest
    // that exists), and whether the path names that module itself.
    let resolve = |from: &[String], path: &str, aliases: &BTreeMap<String, Vec<String>>| {
        let segments: Vec<&str> = path.split("::").collect();
        let (mut at, rest): (Vec<String>, &[&str]) = match segments[0] {
            "crate" => (vec!["crate".into()], &segments[1..]),
            "self" | "super" => {
                let up = segments
                    .iter()
                    .take_while(|s| matches!(**s, "self" | "super"))
                    .count();
                let supers = segments[..up].iter().filter(|s| **s == "super").count();
                (
                    from[..from.len().checked_sub(supers)?].to_vec(),
                    &segments[up..],
                )
            }
            first => match aliases.get(first) {
                Some(module) => (module.clone(), &segments[1..]),
                // A child module, named from its parent; else another crate.
                None if known.contains(&[from, &[first.to_string()]].concat()) => {
                    (from.to_vec(), &segments[..])
                }
                None => return None,
            },
        };
        let mut used = 0;
        for segment in rest {
            at.push(segment.to_string());
            if !known.contains(&at) {
                at.pop();
                break;
            }
            used += 1;
        }
        known.contains(&at).then_some((at, used == rest.len()))
    };
    let use_re = Regex::new(r"(?m)^\s*(?:pub(?:\([^)]*\))?\s+)?use\s+([^;]+);").unwrap();
    let rename_re = Regex::new(r"\s+as\s+\w+").unwrap();
    let path_re = Regex::new(r"\b[A-Za-z_]\w*(?:::[A-Za-z_]\w*)+").unwrap();
    modules
        .iter()
        .map(|(file, module)| {
            // Comments dropped, lines kept.
            let code: String = std::fs::read_to_string(file)
                .unwrap()
                .lines()
                .map(|line| match line.trim_start().starts_with("//") {
                    true => "",
                    false => line.split(" //").next().unwrap_or_default(),
                })
                .collect::<Vec<_>>()
                .join("\n");
            let line_at = |at: usize| code[..at].matches('\n').count() + 1;
            let mut names = vec![];
            let mut aliases = BTreeMap::new();
            let mut uses = vec![];
            for found in use_re.captures_iter(&code) {
                uses.push(found.get(0).unwrap().range());
                let tree_at = found.get(1).unwrap().start();
                let tree: String = rename_re
                    .replace_all(&found[1], "")
                    .split_whitespace()
                    .collect();
                let mut paths = vec![];
                use_paths("", &tree, &mut paths);
                for path in paths {
                    if let Some((target, whole_path)) = resolve(module, &path, &BTreeMap::new()) {
                        if whole_path {
                            let name = path.rsplit("::").next().unwrap_or_default();
                            aliases.insert(name.to_string(), target.clone());
                        }
                        names.push((target, line_at(tree_at)));
                    }
                }
            }
            for found in path_re.find_iter(&code) {
                if uses.iter().any(|u| u.contains(&found.start())) {
                    continue;
                }
                if let Some((target, _)) = resolve(module, found.as_str(), &aliases) {
                    names.push((target, line_at(found.start())));
                }
            }
            names.retain(|(target, _)| target != module);
            Imports {
                file: file.strip_prefix(root()).unwrap().to_path_buf(),
                module: module.clone(),
                names,
            }
        })
        .collect()
}

/// Who imports whom among the children of module `parent` (the files and
/// folders of its folder; its own `mod.rs` is `mod`), with where, for each
/// edge, one such import is.
fn import_graph(
    imports: &[Imports],
    parent: &[&str],
) -> BTreeMap<String, BTreeMap<String, String>> {
    let child = |module: &[String]| {
        let inside = module.len() >= parent.len() && module[..parent.len()] == *parent;
        inside.then(|| module.get(parent.len()).cloned().unwrap_or("mod".into()))
    };
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in imports {
        let Some(from) = child(&file.module) else {
            continue;
        };
        for (target, line) in &file.names {
            match child(target) {
                Some(to) if to != from => {
                    let at = format!("{}:{line}", file.file.display());
                    graph
                        .entry(from.clone())
                        .or_default()
                        .entry(to)
                        .or_insert(at);
                }
                _ => {}
            }
        }
    }
    graph
}

/// Every cycle of a graph, once each, starting at its least node.
fn cycles(graph: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<Vec<String>> {
    let mut found = vec![];
    for start in graph.keys() {
        let mut paths = vec![vec![start.clone()]];
        while let Some(path) = paths.pop() {
            let last = path.last().unwrap();
            for next in graph.get(last).into_iter().flat_map(|edges| edges.keys()) {
                if next == start {
                    found.push(path.clone());
                } else if next > start && !path.contains(next) {
                    paths.push([path.clone(), vec![next.clone()]].concat());
                }
            }
        }
    }
    found.sort();
    found
}

/// A cycle, each of its imports with where it is.
fn show_cycle(cycle: &[String], graph: &BTreeMap<String, BTreeMap<String, String>>) -> String {
    let steps = cycle.iter().zip(cycle.iter().cycle().skip(1));
    steps
        .map(|(a, b)| format!("{a} -> {b} ({})", graph[a][b]))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Imports go one way (issue 9): no two files of `federation/actors/` (or of
/// `federation/objects/`) import each other, nor do any of them in a circle;
/// the core's kernel (the files of `src/core/` itself) imports no domain
/// folder; the domain folders import each other in no circle but the known
/// debts ARCHITECTURE.md names, and those are still there (else strike them
/// from both).
#[test]
fn no_import_cycles() {
    let imports = imports();
    assert!(
        imports
            .iter()
            .any(|i| i.module.join("::") == "crate::core::ports"),
        "the sources were not read"
    );
    let mut wrong = vec![];
    for folder in [
        ["crate", "federation", "actors"],
        ["crate", "federation", "objects"],
    ] {
        let graph = import_graph(&imports, &folder);
        for cycle in cycles(&graph) {
            wrong.push(format!(
                "{}: files import each other: {}",
                folder.join("::"),
                show_cycle(&cycle, &graph)
            ));
        }
    }
    let domains: BTreeSet<String> = std::fs::read_dir(root().join("src/core"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(domains.contains("boards"), "no domains in {domains:?}");
    let core = import_graph(&imports, &["crate", "core"]);
    for (from, edges) in &core {
        for (to, at) in edges {
            if !domains.contains(from) && domains.contains(to) {
                wrong.push(format!(
                    "the kernel imports a domain: {from} -> {to} ({at})"
                ));
            }
        }
    }
    // Domains only: the kernel is below them all.
    let mut between: BTreeMap<String, BTreeMap<String, String>> = core.clone();
    between.retain(|from, _| domains.contains(from));
    between
        .values_mut()
        .for_each(|edges| edges.retain(|to, _| domains.contains(to)));
    // Boards sit on accounts and posts; those reach boards through the
    // kernel's `BoardHooks` (ARCHITECTURE.md).
    for cycle in cycles(&between) {
        wrong.push(format!(
            "core domains import each other: {}",
            show_cycle(&cycle, &between)
        ));
    }
    let edges: Vec<String> = between
        .iter()
        .flat_map(|(from, edges)| edges.keys().map(move |to| format!("{from} -> {to}")))
        .collect();
    assert!(
        wrong.is_empty(),
        "import cycles:\n{}\n(the core's domains import: {})",
        wrong.join("\n"),
        edges.join(", ")
    );
}
