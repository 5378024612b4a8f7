//! Text: what local people type becomes HTML; what remote servers send is sanitized.

use crate::core::error::{CoreError, CoreResult};
use regex::Regex;
use std::sync::LazyLock;

/// A mention in typed text, as written: `@user` or `@user@host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handle {
    pub username: String,
    pub domain: Option<String>,
}

/// A handle found in the text and the profile page it links to.
#[derive(Debug, Clone)]
pub struct MentionLink {
    pub handle: Handle,
    pub href: String,
}

static TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r#"(?P<url>https?://[^\s<>"]+)"#,
        r"|@(?P<user>[A-Za-z0-9_]+)(?:@(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.\-]*[A-Za-z0-9])?(?::[0-9]{1,5})?))?",
        r"|#(?P<tag>[\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*)",
    ))
    .expect("token regex compiles")
});

/// A mention or hashtag must not continue a word, an address or a path.
fn at_boundary(text: &str, start: usize) -> bool {
    text[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '_' | '@' | '/' | '.' | '#')))
}

/// The `@user@host` handles in `text`, in order, without duplicates.
pub fn handles(text: &str) -> Vec<Handle> {
    let mut out: Vec<Handle> = vec![];
    for cap in TOKEN.captures_iter(text) {
        let (Some(user), Some(whole)) = (cap.name("user"), cap.get(0)) else {
            continue;
        };
        if !at_boundary(text, whole.start()) {
            continue;
        }
        let handle = Handle {
            username: user.as_str().to_string(),
            domain: cap.name("host").map(|h| h.as_str().to_ascii_lowercase()),
        };
        if !out.iter().any(|h| same_handle(h, &handle)) {
            out.push(handle);
        }
    }
    out
}

fn same_handle(a: &Handle, b: &Handle) -> bool {
    a.username.eq_ignore_ascii_case(&b.username) && a.domain == b.domain
}

/// A hashtag name as typed (`#Robotics` or `robotics`), lowercased, if it is one.
pub fn tag_name(input: &str) -> Option<String> {
    static NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*$").expect("tag regex compiles")
    });
    let name = input.trim().trim_start_matches('#');
    (name.chars().count() <= 100 && NAME.is_match(name)).then(|| name.to_lowercase())
}

/// The hashtags in `text`, lowercased, without duplicates.
pub fn hashtags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = vec![];
    for cap in TOKEN.captures_iter(text) {
        if let (Some(tag), Some(whole)) = (cap.name("tag"), cap.get(0)) {
            let tag = tag.as_str().to_lowercase();
            if at_boundary(text, whole.start()) && !out.contains(&tag) {
                out.push(tag);
            }
        }
    }
    out
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Plain text as typed in an app, turned into HTML: paragraphs, line breaks,
/// links, mentions of the accounts in `mentions`, and hashtags.
pub fn render_plain(text: &str, mentions: &[MentionLink], base_url: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| p.trim_matches('\n'))
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            format!(
                "<p>{}</p>",
                render_inline(p, mentions, base_url).replace('\n', "<br>")
            )
        })
        .collect();
    paragraphs.concat()
}

/// One line of plain text as HTML with its links and hashtags (profile field values).
pub fn render_line(text: &str, base_url: &str) -> String {
    render_inline(text, &[], base_url)
}

fn render_inline(text: &str, mentions: &[MentionLink], base_url: &str) -> String {
    let mut out = String::new();
    let mut last = 0;
    for cap in TOKEN.captures_iter(text) {
        let Some(whole) = cap.get(0) else { continue };
        let rendered = if let Some(url) = cap.name("url") {
            let url = url
                .as_str()
                .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'', '"']);
            let end = whole.start() + url.len();
            out.push_str(&escape(&text[last..whole.start()]));
            out.push_str(&format!(
                r#"<a href="{0}" target="_blank" rel="nofollow noopener noreferrer">{0}</a>"#,
                escape(url)
            ));
            last = end;
            continue;
        } else if !at_boundary(text, whole.start()) {
            None
        } else if let Some(user) = cap.name("user") {
            let handle = Handle {
                username: user.as_str().to_string(),
                domain: cap.name("host").map(|h| h.as_str().to_ascii_lowercase()),
            };
            mentions.iter().find(|m| same_handle(&m.handle, &handle)).map(|m| {
                format!(
                    r#"<span class="h-card"><a href="{}" class="u-url mention">@<span>{}</span></a></span>"#,
                    escape(&m.href),
                    escape(&handle.username)
                )
            })
        } else {
            cap.name("tag").map(|tag| {
                format!(
                    r#"<a href="{}/tags/{}" class="mention hashtag" rel="tag">#<span>{}</span></a>"#,
                    base_url,
                    escape(&tag.as_str().to_lowercase()),
                    escape(tag.as_str())
                )
            })
        };
        if let Some(html) = rendered {
            out.push_str(&escape(&text[last..whole.start()]));
            out.push_str(&html);
            last = whole.end();
        }
    }
    out.push_str(&escape(&text[last..]));
    out
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    // `empty()` clears only the tags: the default attributes (`title`,
    // `lang`, `hreflang` ...) are cleared here too.
    let mut b = ammonia::Builder::empty();
    b.generic_attributes(Default::default())
        .tag_attributes(Default::default())
        .generic_attribute_prefixes(Default::default());
    b.add_tags([
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
    ])
    .add_tag_attributes("a", ["href"])
    .add_allowed_classes(
        "a",
        ["mention", "hashtag", "u-url", "h-card", "status-link"],
    )
    .add_allowed_classes("span", ["h-card", "invisible", "ellipsis"])
    .url_schemes(["http", "https", "mailto"].into_iter().collect())
    .url_relative(ammonia::UrlRelative::Deny)
    .link_rel(Some("nofollow noopener noreferrer"))
    .strip_comments(true);
    b
});

/// Markdown as written on this server (board descriptions, threads), as
/// sanitized HTML.
pub fn render_markdown(markdown: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let mut out = String::new();
    html::push_html(
        &mut out,
        Parser::new_ext(
            markdown,
            Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES,
        ),
    );
    sanitize_html(&out)
}

/// HTML from another server, reduced to the allowed tags, classes and links.
///
/// Cleaning is repeated until the output no longer changes (at most a few
/// times): a removed element can leave markup that parses differently the
/// second time (`<p><div><p>` becomes `<p><p>`), and what is stored must be
/// exactly what a second cleaning would give.
///
/// HTML nested deeper than [`MAX_HTML_DEPTH`] is kept as text only: the
/// HTML parser's work grows with the square of the nesting, and no real
/// post nests that deep.
pub fn sanitize_html(html: &str) -> String {
    if html_depth(html) > MAX_HTML_DEPTH {
        let text = html_to_text(html);
        return format!("<p>{}</p>", escape(text.trim()));
    }
    let mut out = SANITIZER.clean(&html.replace('\0', "")).to_string();
    for _ in 0..4 {
        let again = SANITIZER.clean(&out).to_string();
        if again == out {
            break;
        }
        out = again;
    }
    out
}

static LANGUAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})?$").expect("regex"));

/// A language code as posts carry it (`en`, `es`, `zh-Hant`).
pub fn check_language(lang: &str) -> CoreResult<()> {
    if LANGUAGE.is_match(lang) {
        Ok(())
    } else {
        Err(CoreError::Invalid(format!(
            "Validation failed: unknown language `{lang}`"
        )))
    }
}

/// Deepest nesting of HTML elements given to the sanitizer as HTML.
pub const MAX_HTML_DEPTH: usize = 64;

/// How deep the elements of `html` may nest, counted without parsing it:
/// every start tag of an element that has content opens a level, every end
/// tag closes one. Unclosed tags count as open, so this never undercounts.
fn html_depth(html: &str) -> usize {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr",
    ];
    let bytes = html.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while let Some(offset) = bytes[i..].iter().position(|&b| b == b'<') {
        let start = i + offset + 1;
        i = start;
        match bytes.get(start) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(b) if b.is_ascii_alphabetic() => {
                let name_end = bytes[start..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .map_or(bytes.len(), |n| start + n);
                let name = html[start..name_end].to_ascii_lowercase();
                let tag_end = bytes[name_end..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(bytes.len(), |n| name_end + n);
                let self_closing = tag_end > 0 && bytes.get(tag_end - 1) == Some(&b'/');
                if !VOID.contains(&name.as_str()) && !self_closing {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
            _ => {}
        }
    }
    deepest
}

/// The text of an HTML fragment, for plain-text views.
pub fn html_to_text(html: &str) -> String {
    static BREAK: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)<br\s*/?>|</p>\s*<p[^>]*>").expect("regex"));
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<[^>]*>").expect("regex"));
    let text = BREAK.replace_all(html, "\n");
    let text = TAG.replace_all(&text, "");
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// A display name or label without bidirectional overrides, zero-width and
/// control characters (which can disguise names and links), trimmed.
pub fn clean_label(s: &str, max_chars: usize) -> String {
    s.chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(*c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .take(max_chars)
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_nested_too_deep_is_kept_as_text() {
        assert_eq!(html_depth("<p>a<br>b<img src=x/></p><p><b>c</b></p>"), 2);
        assert_eq!(html_depth("<p>a<p>b<p>c"), 3);
        let deep = "<blockquote>".repeat(10_000) + "<script>x</script>hi";
        let out = sanitize_html(&deep);
        assert!(!out.contains("<blockquote") && !out.contains("<script"));
        assert!(out.ends_with("hi</p>"), "{out}");
        let ok = "<blockquote>".repeat(MAX_HTML_DEPTH) + "x";
        assert!(sanitize_html(&ok).contains("<blockquote>"));
    }

    #[test]
    fn finds_local_and_remote_handles() {
        let h = handles("hi @bob@District-B.test:8002 and @carol, not me@example.com or @bob@district-b.test:8002");
        assert_eq!(
            h,
            vec![
                Handle {
                    username: "bob".into(),
                    domain: Some("district-b.test:8002".into())
                },
                Handle {
                    username: "carol".into(),
                    domain: None
                },
            ]
        );
    }

    /// SECURITY.md HTML 2: names, shortcodes and text are escaped, never
    /// concatenated into HTML.
    #[test]
    fn renders_links_mentions_and_tags_escaped() {
        let m = vec![MentionLink {
            handle: Handle {
                username: "bob".into(),
                domain: Some("b.test".into()),
            },
            href: "http://b.test/@bob".into(),
        }];
        let html = render_plain(
            "Hi @bob@b.test <b>x</b>\nsee https://ex.org/a?b=1&c=2.\n\n#NGSS rocks",
            &m,
            "http://a.test",
        );
        assert!(html.starts_with("<p>Hi <span class=\"h-card\"><a href=\"http://b.test/@bob\" class=\"u-url mention\">@<span>bob</span></a></span> &lt;b&gt;x&lt;/b&gt;<br>see "));
        assert!(html.contains(r#"<a href="https://ex.org/a?b=1&amp;c=2" target="_blank""#));
        assert!(html.contains(">https://ex.org/a?b=1&amp;c=2</a>.</p>"));
        assert!(html.contains(r#"<p><a href="http://a.test/tags/ngss" class="mention hashtag" rel="tag">#<span>NGSS</span></a> rocks</p>"#));
        assert_eq!(hashtags("#NGSS and #ngss, #3rd x#no"), vec!["ngss", "3rd"]);
    }

    #[test]
    fn unresolved_mentions_stay_text() {
        assert_eq!(
            render_plain("@ghost hi", &[], "http://a"),
            "<p>@ghost hi</p>"
        );
    }

    /// SECURITY.md HTML 1: the allowlist of tags, classes and link schemes.
    #[test]
    fn sanitizer_keeps_allowlist_only() {
        let dirty = r#"<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">x</a> <a href="https://ok.example" class="mention evil">ok</a><img src=x></p>"#;
        let clean = sanitize_html(dirty);
        assert!(!clean.contains("script"));
        assert!(!clean.contains("onclick"));
        assert!(!clean.contains("javascript"));
        assert!(!clean.contains("<img"));
        assert!(!clean.contains("evil"));
        assert!(clean.contains(r#"<a href="https://ok.example" class="mention" rel="nofollow noopener noreferrer">ok</a>"#));
    }

    /// SECURITY.md HTML 4: bidirectional and zero-width characters.
    #[test]
    fn labels_lose_bidi_and_zero_width_characters() {
        assert_eq!(clean_label("  Ma\u{202E}ria\u{200B}\n ", 30), "Maria");
        assert_eq!(html_to_text("<p>a &amp; b</p><p>c<br>d</p>"), "a & b\nc\nd");
    }
}
