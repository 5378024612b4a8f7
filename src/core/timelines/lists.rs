//! Lists: groups of followed accounts, each a timeline of its own;
//! exclusive lists keep their members out of the home timeline.

use crate::core::{
    error::{CoreError, CoreResult},
    found, hidden,
    views::{self, AccountView, StatusView},
    Core,
};
use crate::db::{
    self, follows,
    lists::{self, List},
    statuses::Status,
    DbConn, Page,
};

/// What a list is called and how it behaves.
#[derive(Debug, Clone)]
pub struct ListSettings {
    pub title: Option<String>,
    /// `followed`, `list` or `none`.
    pub replies_policy: Option<String>,
    pub exclusive: Option<bool>,
}

fn check_policy(p: &str) -> CoreResult<()> {
    if matches!(p, "followed" | "list" | "none") {
        Ok(())
    } else {
        Err(CoreError::Invalid(format!(
            "Validation failed: replies_policy `{p}` is not followed, list or none"
        )))
    }
}

fn apply(list: &mut List, s: ListSettings) -> CoreResult<()> {
    if let Some(title) = s.title {
        let title = crate::core::text::clean_label(&title, 100);
        if title.is_empty() {
            return Err(CoreError::Invalid(
                "Validation failed: Title can't be blank".into(),
            ));
        }
        list.title = title;
    }
    if let Some(p) = s.replies_policy {
        check_policy(&p)?;
        list.replies_policy = p;
    }
    if let Some(e) = s.exclusive {
        list.exclusive = e;
    }
    Ok(())
}

impl Core {
    pub async fn lists(&self, me: i64) -> CoreResult<Vec<List>> {
        self.read(move |conn, _| Ok(lists::of_owner(conn, me)?))
            .await
    }

    pub async fn list(&self, me: i64, id: i64) -> CoreResult<List> {
        self.read(move |conn, _| found(lists::get(conn, me, id)?))
            .await
    }

    /// `me`'s lists that contain `account_id`.
    pub async fn lists_containing(&self, me: i64, account_id: i64) -> CoreResult<Vec<List>> {
        self.read(move |conn, _| Ok(lists::containing(conn, me, account_id)?))
            .await
    }

    pub async fn create_list(&self, me: i64, settings: ListSettings) -> CoreResult<List> {
        if settings
            .title
            .as_deref()
            .is_none_or(|t| t.trim().is_empty())
        {
            return Err(CoreError::Invalid(
                "Validation failed: Title can't be blank".into(),
            ));
        }
        self.write(move |conn, core| {
            if lists::of_owner(conn, me)?.len() >= 50 {
                return Err(CoreError::Invalid(
                    "Validation failed: at most 50 lists".into(),
                ));
            }
            let mut list = List {
                id: core.next_id(),
                account_id: me,
                title: String::new(),
                replies_policy: "list".into(),
                exclusive: false,
                created_at: db::now(),
            };
            apply(&mut list, settings)?;
            lists::insert(conn, &list)?;
            Ok(list)
        })
        .await
    }

    pub async fn update_list(&self, me: i64, id: i64, settings: ListSettings) -> CoreResult<List> {
        self.write(move |conn, _| {
            let mut list = found(lists::get(conn, me, id)?)?;
            apply(&mut list, settings)?;
            lists::update(conn, &list)?;
            Ok(list)
        })
        .await
    }

    pub async fn delete_list(&self, me: i64, id: i64) -> CoreResult<()> {
        self.write(move |conn, _| {
            found(lists::get(conn, me, id)?)?;
            Ok(lists::delete(conn, id)?)
        })
        .await
    }

    /// Add accounts to a list; only accounts `me` follows can be members.
    pub async fn add_to_list(&self, me: i64, id: i64, accounts: Vec<i64>) -> CoreResult<()> {
        self.write(move |conn, _| {
            found(lists::get(conn, me, id)?)?;
            let followed = follows::followed_ids(conn, me)?;
            if let Some(stranger) = accounts.iter().find(|a| !followed.contains(a)) {
                return Err(CoreError::Invalid(format!(
                    "Validation failed: you must follow account {stranger} to list it"
                )));
            }
            for a in accounts {
                lists::add_member(conn, id, a)?;
            }
            Ok(())
        })
        .await
    }

    pub async fn remove_from_list(&self, me: i64, id: i64, accounts: Vec<i64>) -> CoreResult<()> {
        self.write(move |conn, _| {
            found(lists::get(conn, me, id)?)?;
            for a in accounts {
                lists::remove_member(conn, id, a)?;
            }
            Ok(())
        })
        .await
    }

    pub async fn list_members(&self, me: i64, id: i64, page: Page) -> CoreResult<Vec<AccountView>> {
        self.read(move |conn, _| {
            found(lists::get(conn, me, id)?)?;
            let members = lists::members(conn, id, &page)?;
            views::account_views(conn, members)
        })
        .await
    }

    /// The posts of a list's members, as `me` may read them.
    pub async fn list_timeline(&self, me: i64, id: i64, page: Page) -> CoreResult<Vec<StatusView>> {
        self.ensure_home_feed(me).await?;
        self.read(move |conn, _| {
            let list = found(lists::get(conn, me, id)?)?;
            let members = lists::member_ids(conn, id)?;
            if members.is_empty() {
                return Ok(vec![]);
            }
            let hidden = hidden::hidden_for(conn, me)?;
            let mut found = db::timelines::by_accounts(conn, &members, me, &hidden, &page)?;
            // Replies: to anyone followed, to list members only, or none.
            let followed = follows::followed_ids(conn, me)?;
            found.retain(|s| reply_fits(s, &list, &members, &followed));
            let mut list = views::status_views(conn, found, Some(me))?;
            hidden::drop_hidden_reblogs(&mut list, &hidden);
            crate::core::hidden::apply_for(conn, Some(me), "home", list)
        })
        .await
    }
}

/// Whether `s` belongs in `list` by its replies policy: replies to anyone
/// followed (`followed`), to list members only (`list`), or none (`none`).
/// Not a reply, a self-reply and a reply to the owner always fit.
pub(crate) fn reply_fits(s: &Status, list: &List, members: &[i64], followed: &[i64]) -> bool {
    match (s.in_reply_to_account_id, list.replies_policy.as_str()) {
        (None, _) => true,
        (Some(to), _) if to == s.account_id || to == list.account_id => true,
        (Some(_), "none") => false,
        (Some(to), "list") => members.contains(&to),
        (Some(to), _) => followed.contains(&to),
    }
}

/// (list, owner) of the lists whose timeline `status` belongs in.
pub(crate) fn lists_for(conn: &mut DbConn, status: &Status) -> CoreResult<Vec<(i64, i64)>> {
    let mut out = vec![];
    for (id, owner) in lists::lists_with_member(conn, status.account_id)? {
        let Some(list) = lists::get(conn, owner, id)? else {
            continue;
        };
        let members = lists::member_ids(conn, id)?;
        let followed = match list.replies_policy.as_str() {
            "followed" => follows::followed_ids(conn, owner)?,
            _ => vec![],
        };
        if reply_fits(status, &list, &members, &followed) {
            out.push((id, owner));
        }
    }
    Ok(out)
}
