//! Profile and post pages.

use super::html;
use crate::core::{
    views::{AccountView, StatusView},
    Core,
};
use actix_web::HttpResponse;
use askama::Template;

pub struct Post {
    pub content: String,
    pub spoiler: String,
    pub url: String,
    pub date: String,
}

impl Post {
    fn of(v: &StatusView) -> Post {
        Post {
            content: v.status.content.clone(),
            spoiler: v.status.spoiler_text.clone(),
            url: v
                .status
                .url
                .clone()
                .unwrap_or_else(|| v.status.ap_id.clone()),
            date: v.status.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage<'a> {
    site_title: &'a str,
    display_name: &'a str,
    handle: String,
    note: &'a str,
    statuses_count: i64,
    following_count: i64,
    followers_count: i64,
    posts: Vec<Post>,
}

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage<'a> {
    site_title: &'a str,
    display_name: &'a str,
    handle: String,
    profile_url: String,
    post: Post,
}

fn render(t: impl Template) -> HttpResponse {
    match t.render() {
        Ok(body) => html(HttpResponse::Ok(), body, None),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

fn name(v: &AccountView) -> &str {
    if v.account.display_name.is_empty() {
        &v.account.username
    } else {
        &v.account.display_name
    }
}

pub fn profile(core: &Core, v: &AccountView, statuses: &[StatusView]) -> HttpResponse {
    render(ProfilePage {
        site_title: &core.settings().instance.title,
        display_name: name(v),
        handle: format!("{}@{}", v.account.username, core.settings().domain),
        note: &v.account.note,
        statuses_count: v.statuses_count,
        following_count: v.following_count,
        followers_count: v.followers_count,
        posts: statuses
            .iter()
            .filter(|s| s.status.visibility == "public")
            .map(Post::of)
            .collect(),
    })
}

pub fn status(core: &Core, v: &StatusView) -> HttpResponse {
    render(StatusPage {
        site_title: &core.settings().instance.title,
        display_name: name(&v.account),
        handle: format!("{}@{}", v.account.account.username, core.settings().domain),
        profile_url: core.uris().profile_page(&v.account.account.username),
        post: Post::of(v),
    })
}
