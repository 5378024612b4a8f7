//! The streams a client can subscribe to, by their Mastodon names.

/// One stream.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Stream {
    User,
    UserNotification,
    Public,
    PublicLocal,
    PublicRemote,
    Hashtag(String),
    HashtagLocal(String),
    List(i64),
    Direct,
}

impl Stream {
    /// From a stream name (`user`, `public:local` ...) with its `tag` or `list`.
    pub fn parse(name: &str, tag: Option<&str>, list: Option<&str>) -> Result<Stream, String> {
        let tag = || {
            tag.map(|t| t.trim().trim_start_matches('#').to_lowercase())
                .filter(|t| !t.is_empty() && t.len() <= 100)
                .ok_or_else(|| "a hashtag stream needs a `tag`".to_string())
        };
        Ok(match name {
            "user" => Stream::User,
            "user:notification" => Stream::UserNotification,
            "public" => Stream::Public,
            "public:local" => Stream::PublicLocal,
            "public:remote" => Stream::PublicRemote,
            "hashtag" => Stream::Hashtag(tag()?),
            "hashtag:local" => Stream::HashtagLocal(tag()?),
            "list" => Stream::List(
                list.and_then(|l| l.trim().parse().ok())
                    .ok_or_else(|| "a list stream needs a `list` id".to_string())?,
            ),
            "direct" => Stream::Direct,
            other => return Err(format!("unknown stream `{other}`")),
        })
    }

    /// From the path of a server-sent events URL (`user/notification`, `public/local` ...).
    pub fn from_path(path: &str, tag: Option<&str>, list: Option<&str>) -> Result<Stream, String> {
        Stream::parse(&path.trim_matches('/').replace('/', ":"), tag, list)
    }

    /// The `stream` array of an event message.
    pub fn names(&self) -> Vec<String> {
        match self {
            Stream::User => vec!["user".into()],
            Stream::UserNotification => vec!["user:notification".into()],
            Stream::Public => vec!["public".into()],
            Stream::PublicLocal => vec!["public:local".into()],
            Stream::PublicRemote => vec!["public:remote".into()],
            Stream::Hashtag(t) => vec!["hashtag".into(), t.clone()],
            Stream::HashtagLocal(t) => vec!["hashtag:local".into(), t.clone()],
            Stream::List(id) => vec!["list".into(), id.to_string()],
            Stream::Direct => vec!["direct".into()],
        }
    }

    /// Whether the stream shows a signed-in person's own things.
    pub fn is_private(&self) -> bool {
        matches!(
            self,
            Stream::User | Stream::UserNotification | Stream::List(_) | Stream::Direct
        )
    }

    /// The filter context of what it shows.
    pub fn filter_context(&self) -> &'static str {
        match self {
            Stream::User | Stream::List(_) => "home",
            Stream::UserNotification => "notifications",
            Stream::Direct => "thread",
            _ => "public",
        }
    }

    /// The token scope it needs.
    pub fn scope(&self) -> &'static str {
        match self {
            Stream::UserNotification => "read:notifications",
            _ => "read:statuses",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths_parse() {
        assert_eq!(Stream::parse("user", None, None), Ok(Stream::User));
        assert_eq!(
            Stream::from_path("user/notification", None, None),
            Ok(Stream::UserNotification)
        );
        assert_eq!(
            Stream::from_path("hashtag/local", Some("#Robotics"), None),
            Ok(Stream::HashtagLocal("robotics".into()))
        );
        assert_eq!(
            Stream::parse("list", None, Some("42")),
            Ok(Stream::List(42))
        );
        assert!(Stream::parse("hashtag", None, None).is_err());
        assert!(Stream::parse("everything", None, None).is_err());
        assert_eq!(
            Stream::Hashtag("math".into()).names(),
            vec!["hashtag".to_string(), "math".to_string()]
        );
    }
}
