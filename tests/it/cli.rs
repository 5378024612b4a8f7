//! The command line: migrate, user create/list, and one-line errors for bad
//! input and bad configuration.

use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_staffroom");

/// Run the binary with a fresh SQLite data directory and dev-mode settings.
fn staffroom(dir: &std::path::Path, extra_env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("STAFFROOM_")) {
        cmd.env_remove(k);
    }
    cmd.env("STAFFROOM_DATA_DIR", dir)
        .env("STAFFROOM_DOMAIN", "district-a.test:8001")
        .env("STAFFROOM_DEV_MODE", "true")
        .envs(extra_env.iter().copied())
        .args(args)
        .output()
        .expect("run staffroom")
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn create(dir: &std::path::Path, name: &str, email: &str, role: &str) -> Output {
    staffroom(
        dir,
        &[],
        &[
            "user",
            "create",
            name,
            "--email",
            email,
            "--password",
            "long enough password",
            "--role",
            role,
        ],
    )
}

#[test]
fn migrate_then_create_and_list_users() {
    let dir = tempfile::tempdir().unwrap();
    let out = staffroom(dir.path(), &[], &["migrate"]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(text(&out).0.contains("Applied"));
    let out = staffroom(dir.path(), &[], &["migrate"]);
    assert!(text(&out).0.contains("up to date"));
    assert!(dir.path().join("staffroom.db").exists());

    let out = create(dir.path(), "maria", "maria@a.example", "admin");
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(text(&out).0.contains("@maria@district-a.test:8001"));
    let out = create(dir.path(), "dev", "dev@a.example", "user");
    assert!(out.status.success(), "{:?}", text(&out));

    let (list, _) = text(&staffroom(dir.path(), &[], &["user", "list"]));
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(list.contains("maria") && list.contains("admin"));
    assert!(list.contains("dev@a.example"));
}

#[test]
fn bad_user_input_gets_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    assert!(create(dir.path(), "maria", "maria@a.example", "user")
        .status
        .success());
    let cases = [
        ("maria", "other@a.example", "user", "taken"),
        ("MARIA", "other@a.example", "user", "taken"),
        ("bad name", "x@a.example", "user", "username"),
        ("dots.in.name", "x@a.example", "user", "username"),
        ("actor", "x@a.example", "user", "reserved"),
        ("ok_name", "not-an-email", "user", "mail"),
        ("ok_name", "x@a.example", "superuser", "role"),
    ];
    for (name, email, role, expected) in cases {
        let out = create(dir.path(), name, email, role);
        let (_, err) = text(&out);
        assert!(!out.status.success(), "{name} {email} {role} was accepted");
        assert!(
            err.to_lowercase().contains(expected),
            "{name}/{email}/{role}: {err}"
        );
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    let short = staffroom(
        dir.path(),
        &[],
        &[
            "user",
            "create",
            "shorty",
            "--email",
            "s@a.example",
            "--password",
            "abc",
        ],
    );
    assert!(!short.status.success());
    assert!(text(&short).1.to_lowercase().contains("password"));
    let (list, _) = text(&staffroom(dir.path(), &[], &["user", "list"]));
    assert_eq!(list.lines().count(), 1, "only maria exists: {list}");
}

#[test]
fn bad_configuration_names_the_key_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[(&str, &str)], &str); 4] = [
        (&[("STAFFROOM_BIND", "not-an-address")], "bind"),
        (
            &[("STAFFROOM_DATABASE_URL", "mysql://localhost/x")],
            "database_url",
        ),
        (&[("STAFFROOM_DEV_MODE", "perhaps")], "STAFFROOM_DEV_MODE"),
        (&[("STAFFROOM_FEDERATION_MODE", "sometimes")], "mode"),
    ];
    for (env, key) in cases {
        let out = staffroom(dir.path(), env, &["migrate"]);
        let (_, err) = text(&out);
        assert!(!out.status.success(), "{env:?} was accepted");
        assert!(err.contains(key), "{env:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    }
    // A config file with an unknown key.
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, "[instance]\ntitel = \"typo\"\n").unwrap();
    let out = staffroom(
        dir.path(),
        &[],
        &["--config", file.to_str().unwrap(), "migrate"],
    );
    assert!(!out.status.success());
    assert!(text(&out).1.contains("instance.titel"), "{:?}", text(&out));
    // A missing config file.
    let out = staffroom(
        dir.path(),
        &[],
        &["--config", "/nonexistent.toml", "migrate"],
    );
    assert!(!out.status.success());
    assert!(text(&out).1.contains("/nonexistent.toml"));
    // Dev hosts without dev mode are refused.
    let out = staffroom(
        dir.path(),
        &[
            ("STAFFROOM_DEV_MODE", "false"),
            ("STAFFROOM_DEV_HOSTS", "*.test=127.0.0.1"),
        ],
        &["migrate"],
    );
    assert!(!out.status.success());
    assert!(text(&out).1.contains("dev_hosts"));
}
