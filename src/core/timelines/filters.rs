//! Filters: keywords and statuses a teacher does not want to see (or wants
//! a warning for) in some contexts. A matched status carries the match;
//! a `hide` filter leaves it out altogether.

use crate::core::hidden::apply_for;
use crate::core::{
    error::{CoreError, CoreResult},
    found, text,
    views::StatusView,
    Core,
};
pub use crate::core::{hidden::Matcher, views::FilterMatch};
use crate::db::{
    self,
    filters::{self, Filter, FilteredStatus, Keyword},
    statuses, DbConn,
};

/// Where a filter applies.
pub const CONTEXTS: &[&str] = &["home", "notifications", "public", "thread", "account"];
const ACTIONS: &[&str] = &["warn", "hide", "blur"];
const MAX_KEYWORDS: usize = 100;

/// A filter with its keywords and statuses.
#[derive(Debug, Clone)]
pub struct FilterView {
    pub filter: Filter,
    pub keywords: Vec<Keyword>,
    pub statuses: Vec<FilteredStatus>,
}

/// A keyword to add, change (`id`) or remove (`destroy`).
#[derive(Debug, Clone, Default)]
pub struct KeywordInput {
    pub id: Option<i64>,
    pub keyword: String,
    pub whole_word: bool,
    pub destroy: bool,
}

/// What a person sets on a filter; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct FilterInput {
    pub title: Option<String>,
    pub context: Option<Vec<String>>,
    pub action: Option<String>,
    /// Seconds from now; `Some(None)` removes the expiry.
    pub expires_in: Option<Option<i64>>,
    pub keywords: Vec<KeywordInput>,
}

fn check(input: &FilterInput) -> CoreResult<()> {
    if let Some(contexts) = &input.context {
        if contexts.is_empty() || contexts.iter().any(|c| !CONTEXTS.contains(&c.as_str())) {
            return Err(CoreError::Invalid(format!(
                "Validation failed: context must be some of {}",
                CONTEXTS.join(", ")
            )));
        }
    }
    if let Some(a) = &input.action {
        if !ACTIONS.contains(&a.as_str()) {
            return Err(CoreError::Invalid(
                "Validation failed: filter_action must be warn, hide or blur".into(),
            ));
        }
    }
    if input.keywords.len() > MAX_KEYWORDS
        || input
            .keywords
            .iter()
            .any(|k| !k.destroy && (k.keyword.trim().is_empty() || k.keyword.chars().count() > 200))
    {
        return Err(CoreError::Invalid(
            "Validation failed: keywords must have 1 to 200 characters".into(),
        ));
    }
    Ok(())
}

fn view(conn: &mut DbConn, filter: Filter) -> CoreResult<FilterView> {
    Ok(FilterView {
        keywords: filters::keywords(conn, &[filter.id])?,
        statuses: filters::statuses(conn, &[filter.id])?,
        filter,
    })
}

fn apply_input(
    conn: &mut DbConn,
    core: &Core,
    f: &mut Filter,
    input: FilterInput,
) -> CoreResult<()> {
    if let Some(t) = input.title {
        f.title = text::clean_label(&t, 200);
    }
    if let Some(c) = input.context {
        f.context = serde_json::to_string(&c).unwrap_or_else(|_| "[]".into());
    }
    if let Some(a) = input.action {
        f.action = a;
    }
    if let Some(expiry) = input.expires_in {
        f.expires_at = expiry
            .filter(|s| *s > 0)
            .map(|s| db::now() + chrono::Duration::seconds(s.min(10 * 365 * 86_400)));
    }
    for k in input.keywords {
        match k.id {
            Some(id) => {
                let Some(mut existing) =
                    filters::keyword(conn, id)?.filter(|e| e.filter_id == f.id)
                else {
                    continue;
                };
                if k.destroy {
                    filters::delete_keyword(conn, id)?;
                } else {
                    existing.keyword = k.keyword;
                    existing.whole_word = k.whole_word;
                    filters::update_keyword(conn, &existing)?;
                }
            }
            None if !k.destroy => filters::insert_keyword(
                conn,
                &Keyword {
                    id: core.next_id(),
                    filter_id: f.id,
                    keyword: k.keyword,
                    whole_word: k.whole_word,
                },
            )?,
            None => {}
        }
    }
    Ok(())
}

impl Core {
    /// A status `viewer` may read, with its filters for `context` applied;
    /// `None` if a filter hides it.
    pub async fn status_in_context(
        &self,
        viewer: Option<i64>,
        id: i64,
        context: &'static str,
    ) -> CoreResult<Option<StatusView>> {
        self.read(move |conn, _| {
            let status = found(statuses::visible(conn, id, viewer)?)?;
            let view = crate::core::views::status_view(conn, status, viewer)?;
            Ok(apply_for(conn, viewer, context, vec![view])?.pop())
        })
        .await
    }

    pub async fn filters(&self, me: i64) -> CoreResult<Vec<FilterView>> {
        self.read(move |conn, _| {
            let list = filters::of_owner(conn, me)?;
            list.into_iter().map(|f| view(conn, f)).collect()
        })
        .await
    }

    pub async fn filter(&self, me: i64, id: i64) -> CoreResult<FilterView> {
        self.read(move |conn, _| {
            let f = found(filters::get(conn, me, id)?)?;
            view(conn, f)
        })
        .await
    }

    pub async fn create_filter(&self, me: i64, input: FilterInput) -> CoreResult<FilterView> {
        check(&input)?;
        if input.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Err(CoreError::Invalid(
                "Validation failed: Title can't be blank".into(),
            ));
        }
        if input.context.is_none() {
            return Err(CoreError::Invalid(
                "Validation failed: Context can't be blank".into(),
            ));
        }
        self.write(move |conn, core| {
            let mut f = Filter {
                id: core.next_id(),
                account_id: me,
                title: String::new(),
                context: "[]".into(),
                action: "warn".into(),
                expires_at: None,
                created_at: db::now(),
            };
            filters::insert(conn, &f)?;
            apply_input(conn, core, &mut f, input)?;
            filters::update(conn, &f)?;
            view(conn, f)
        })
        .await
    }

    pub async fn update_filter(
        &self,
        me: i64,
        id: i64,
        input: FilterInput,
    ) -> CoreResult<FilterView> {
        check(&input)?;
        self.write(move |conn, core| {
            let mut f = found(filters::get(conn, me, id)?)?;
            apply_input(conn, core, &mut f, input)?;
            filters::update(conn, &f)?;
            view(conn, f)
        })
        .await
    }

    pub async fn delete_filter(&self, me: i64, id: i64) -> CoreResult<()> {
        self.write(move |conn, _| {
            found(filters::get(conn, me, id)?)?;
            Ok(filters::delete(conn, id)?)
        })
        .await
    }

    /// A keyword of one of `me`'s filters, with its filter.
    pub async fn filter_keyword(&self, me: i64, id: i64) -> CoreResult<(Keyword, Filter)> {
        self.read(move |conn, _| {
            let k = found(filters::keyword(conn, id)?)?;
            let f = found(filters::get(conn, me, k.filter_id)?)?;
            Ok((k, f))
        })
        .await
    }

    /// Change (`Some`) or remove (`None`) one keyword of `me`'s filters.
    pub async fn set_filter_keyword(
        &self,
        me: i64,
        id: i64,
        change: Option<(String, bool)>,
    ) -> CoreResult<Option<Keyword>> {
        let (k, f) = self.filter_keyword(me, id).await?;
        let destroy = change.is_none();
        let (keyword, whole_word) = change.unwrap_or((k.keyword.clone(), k.whole_word));
        let input = FilterInput {
            keywords: vec![KeywordInput {
                id: Some(k.id),
                keyword,
                whole_word,
                destroy,
            }],
            ..Default::default()
        };
        let v = self.update_filter(me, f.id, input).await?;
        Ok(v.keywords.into_iter().find(|x| x.id == id))
    }

    /// Add a keyword to one of `me`'s filters.
    pub async fn add_filter_keyword(
        &self,
        me: i64,
        filter_id: i64,
        keyword: String,
        whole_word: bool,
    ) -> CoreResult<Keyword> {
        let before: Vec<i64> = self
            .filter(me, filter_id)
            .await?
            .keywords
            .iter()
            .map(|k| k.id)
            .collect();
        let input = FilterInput {
            keywords: vec![KeywordInput {
                keyword,
                whole_word,
                ..Default::default()
            }],
            ..Default::default()
        };
        let v = self.update_filter(me, filter_id, input).await?;
        v.keywords
            .into_iter()
            .find(|k| !before.contains(&k.id))
            .ok_or(CoreError::NotFound)
    }

    /// Filter one status `me` may read.
    pub async fn add_filter_status(
        &self,
        me: i64,
        filter_id: i64,
        status_id: i64,
    ) -> CoreResult<FilteredStatus> {
        self.write(move |conn, core| {
            found(filters::get(conn, me, filter_id)?)?;
            found(statuses::visible(conn, status_id, Some(me))?)?;
            let s = FilteredStatus {
                id: core.next_id(),
                filter_id,
                status_id,
            };
            filters::insert_status(conn, &s)?;
            Ok(s)
        })
        .await
    }

    /// One filtered status of `me`'s; with `remove`, it stops being filtered.
    pub async fn filter_status(
        &self,
        me: i64,
        id: i64,
        remove: bool,
    ) -> CoreResult<FilteredStatus> {
        self.write(move |conn, _| {
            let s = found(filters::filtered_status(conn, id)?)?;
            found(filters::get(conn, me, s.filter_id)?)?;
            if remove {
                filters::delete_status(conn, id)?;
            }
            Ok(s)
        })
        .await
    }
}
