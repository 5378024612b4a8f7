//! Property tests over every parser of outside input: Rails-style request
//! parameters, `acct:` handles, `Signature` headers, activity JSON, HTML
//! sanitizing, Markdown and paging parameters. None may panic; nesting stays
//! within its limit; sanitized HTML is a fixed point of the sanitizer and
//! carries no script.
//!
//! `cargo test` runs a few cases of each (64); set `STAFFROOM_PROPTEST_CASES`
//! for a long run (e.g. 100000).

use proptest::prelude::*;
use proptest::test_runner::Config;
use regex::Regex;
use serde_json::Value;
use staffroom::{
    api::{
        pagination::PageParams,
        params::{Tree, MAX_DEPTH, MAX_PARAMS},
    },
    core::{accounts::parse_acct, text},
    federation::inbox::checks::{
        envelope, key_owner_host, parse_body, signature_params, MAX_DEPTH as ACTIVITY_DEPTH,
        MAX_SIGNATURE_PARAMS,
    },
};
use std::sync::LazyLock;

fn config() -> Config {
    let cases = std::env::var("STAFFROOM_PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(64);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn depth(v: &Value) -> usize {
    // Iterative: the property must not itself overflow on a deep value.
    let mut deepest = 0;
    let mut stack = vec![(v, 1usize)];
    while let Some((v, d)) = stack.pop() {
        deepest = deepest.max(d);
        match v {
            Value::Array(items) => stack.extend(items.iter().map(|i| (i, d + 1))),
            Value::Object(map) => stack.extend(map.values().map(|i| (i, d + 1))),
            _ => {}
        }
    }
    deepest
}

/// Pieces parameter names are made of, brackets weighted heavily.
fn param_key() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => Just("[".to_string()),
            4 => Just("]".to_string()),
            2 => Just("[]".to_string()),
            2 => "[a-z0-9_]{1,6}",
            1 => ".{0,4}",
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("Create"),
            Just("Note"),
            Just("Announce"),
            Just("https://peer.test/users/x"),
            Just("https://www.w3.org/ns/activitystreams#Public"),
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(40, 400, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::hash_map(
                prop_oneof![
                    Just("id".to_string()),
                    Just("type".to_string()),
                    Just("actor".to_string()),
                    Just("object".to_string()),
                    Just("to".to_string()),
                    Just("tag".to_string()),
                    Just("content".to_string()),
                    "[a-z]{1,8}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Tag soup: pieces of hostile and ordinary HTML in any order.
fn html() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("<p>"),
            Just("</p>"),
            Just("<div>"),
            Just("</div>"),
            Just("<br>"),
            Just("<script>alert(1)</script>"),
            Just("<script>"),
            Just("</script>"),
            Just("<a href=\"javascript:alert(1)\">"),
            Just("<a href=\"https://x.test/\">"),
            Just("<a href=\"  JaVaScRiPt:alert(1)\">"),
            Just("</a>"),
            Just("<a class=\"mention evil\">"),
            Just("<img src=x onerror=alert(1)>"),
            Just("<span class=\"h-card\" onclick=\"x()\">"),
            Just("</span>"),
            Just("<style>p{}</style>"),
            Just("<iframe src=x>"),
            Just("<svg><script>1</script></svg>"),
            Just("<math><mi>x</mi></math>"),
            Just("<table><tr><td>"),
            Just("<blockquote>"),
            Just("</blockquote>"),
            Just("<pre><code>"),
            Just("<!--"),
            Just("-->"),
            Just("&amp;"),
            Just("&lt;"),
            Just("<"),
            Just(">"),
            Just("\""),
            Just("'"),
            Just("text"),
            Just("\u{202e}"),
            Just("<ul><li>"),
            Just("<form><input>"),
            Just("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"),
            Just("<template><script>"),
            Just("<object data=x>"),
            Just("<base href=x>"),
        ]
        .prop_map(str::to_string),
        0..30,
    )
    .prop_map(|parts| parts.concat())
}

fn markdown() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("> "),
            Just("- "),
            Just("1. "),
            Just("# "),
            Just("\n"),
            Just("\n\n"),
            Just("`"),
            Just("```\n"),
            Just("**"),
            Just("_"),
            Just("~~"),
            Just("[x](javascript:alert(1))"),
            Just("[x](https://x.test)"),
            Just("![i](https://x.test/i.png)"),
            Just("<script>alert(1)</script>"),
            Just("<a href=\"javascript:x\">"),
            Just("|a|b|\n|-|-|\n|c|d|\n"),
            Just("    "),
            Just("[a]: javascript:x\n[a]"),
            Just("&#106;avascript:"),
            Just("text"),
            Just("<"),
            Just("]"),
            Just("["),
            Just("("),
            Just(")"),
        ]
        .prop_map(str::to_string),
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>").unwrap());
static ATTR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"([a-zA-Z-]+)="([^"]*)""#).unwrap());
const ALLOWED_TAGS: &[&str] = &[
    "p",
    "br",
    "span",
    "a",
    "del",
    "s",
    "pre",
    "blockquote",
    "code",
    "b",
    "strong",
    "u",
    "i",
    "em",
    "ul",
    "ol",
    "li",
];

/// Only allowed tags, only `href`, `rel` and `class` attributes, links only
/// to http, https and mailto.
fn assert_no_script(html: &str) -> Result<(), TestCaseError> {
    for tag in TAG.captures_iter(html) {
        let name = tag[1].to_ascii_lowercase();
        prop_assert!(
            ALLOWED_TAGS.contains(&name.as_str()),
            "tag <{name}> in {html}"
        );
        for attr in ATTR.captures_iter(&tag[2]) {
            let key = attr[1].to_ascii_lowercase();
            prop_assert!(
                ["href", "rel", "class"].contains(&key.as_str()),
                "{key} in {html}"
            );
            if key == "href" {
                let url = attr[2].trim().to_ascii_lowercase();
                prop_assert!(
                    ["http:", "https:", "mailto:"]
                        .iter()
                        .any(|s| url.starts_with(s)),
                    "href {url} in {html}"
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parameters_never_panic_and_stay_within_their_depth(
        pairs in prop::collection::vec((param_key(), ".{0,8}"), 0..20),
        raw in prop::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut tree = Tree::default();
        for (k, v) in &pairs {
            if tree.insert(k, v.clone()).is_err() {
                break;
            }
        }
        prop_assert!(depth(&tree.into_value()) <= MAX_DEPTH + 2);
        let mut tree = Tree::default();
        let _ = tree.insert_form(&raw);
        prop_assert!(depth(&tree.into_value()) <= MAX_DEPTH + 2);
    }

    #[test]
    fn acct_handles_never_panic(acct in "@?[a-z_.@/ \\[\\]:0-9-]{0,40}|.{0,40}") {
        if let Ok((user, host)) = parse_acct(&acct, "district-a.test") {
            prop_assert!(!user.is_empty());
            prop_assert!(!user.contains('/') && !user.chars().any(char::is_whitespace));
            prop_assert!(host.is_none_or(|h| !h.is_empty() && !h.contains(['@', '/', ' '])));
        }
    }

    #[test]
    fn signature_headers_never_panic(
        parts in prop::collection::vec(
            prop_oneof![
                Just("keyId=\"https://peer.test/actor#main-key\"".to_string()),
                Just("headers=\"(request-target) host date digest\"".to_string()),
                Just("signature=\"AAAA\"".to_string()),
                Just("algorithm=\"hs2019\"".to_string()),
                Just(",".to_string()), Just("=".to_string()), Just("\"".to_string()),
                ".{0,10}",
            ],
            0..24,
        ),
    ) {
        let header = parts.join(",");
        if let Ok(params) = signature_params(&header) {
            prop_assert!(params.len() <= MAX_SIGNATURE_PARAMS);
            for (i, (k, _)) in params.iter().enumerate() {
                prop_assert!(!params[..i].iter().any(|(other, _)| other == k));
            }
        }
        let _ = key_owner_host(&header);
    }

    #[test]
    fn activity_json_never_panics_and_stays_within_its_depth(
        value in json_value(),
        raw in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let text = value.to_string();
        match parse_body(text.as_bytes(), 256 * 1024) {
            Ok(parsed) => {
                prop_assert!(depth(&parsed) <= ACTIVITY_DEPTH + 1);
                let _ = envelope(&parsed);
            }
            Err(_) => prop_assert!(depth(&value) > ACTIVITY_DEPTH || text.contains("\\u0000")),
        }
        if let Ok(parsed) = parse_body(&raw, 256 * 1024) {
            let _ = envelope(&parsed);
        }
    }

    /// SECURITY.md HTML 1: remote HTML keeps only the allowlist.
    #[test]
    fn sanitized_html_is_a_fixed_point_without_script(input in html()) {
        let once = text::sanitize_html(&input);
        assert_no_script(&once)?;
        prop_assert_eq!(text::sanitize_html(&once), once.clone());
    }

    #[test]
    fn markdown_renders_without_script(input in markdown()) {
        let html = text::render_markdown(&input);
        assert_no_script(&html)?;
        prop_assert_eq!(text::sanitize_html(&html), html);
    }

    #[test]
    fn paging_parameters_never_panic(
        max_id in ".{0,24}", min_id in ".{0,24}", limit in any::<u64>(),
    ) {
        let params: PageParams = serde_json::from_value(serde_json::json!({
            "max_id": max_id, "min_id": min_id, "limit": limit.to_string(),
        })).unwrap();
        let page = params.page(20, 40);
        prop_assert!((1..=40).contains(&page.limit));
    }
}

/// Worst cases at the size limits, each parsed once: deep nesting must be
/// refused or handled without recursion, never overflow the stack.
#[test]
fn the_deepest_inputs_are_refused_or_handled() {
    let deep_key = format!("a{}=x", "[".repeat(500_000));
    assert!(Tree::default().insert_form(deep_key.as_bytes()).is_err());
    let many = "a=1&".repeat(MAX_PARAMS + 1);
    assert!(Tree::default().insert_form(many.as_bytes()).is_err());
    let deep_json = "[".repeat(200_000) + &"]".repeat(200_000);
    assert!(parse_body(deep_json.as_bytes(), 1 << 20).is_err());
    let html = text::sanitize_html(&"<blockquote><span>".repeat(50_000));
    assert!(html.len() < 2_000_000);
    let md = text::render_markdown(&"> ".repeat(100_000));
    assert!(!md.contains("<script"));
    let md = text::render_markdown(&("- ".repeat(5_000) + "x"));
    assert!(!md.contains("<script"));
    let md = text::render_markdown(&"[".repeat(100_000));
    assert!(md.contains('['));
    assert!(signature_params(&"a=b,".repeat(10_000)).is_err());
    assert!(parse_acct(&"a".repeat(100_000), "district-a.test").is_err());
}
