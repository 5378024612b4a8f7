//! Reading a board's members from its own server: the board's followers
//! collection, fetched with requests signed by this server's instance actor
//! (a private board lists its members only to its members' servers).
//! Used to decide whether another server may read a members-only post of
//! ours that was posted in that board. Bounded in pages and items; nothing
//! is kept.

use super::{
    error::{FedError, FedResult},
    host_of,
    objects::values::url_of,
    same_host, FedData,
};
use activitypub_federation::fetch::fetch_object_http;
use serde_json::Value;
use url::Url;

/// At most this many collection pages are read per question.
pub const MAX_PAGES: usize = 25;
/// At most this many members are looked at per question.
pub const MAX_ITEMS: usize = 2_000;

/// Whether the collection at `followers` (on the board's server, `board`)
/// lists an actor on the server `domain` (`host[:port]`).
pub async fn lists_member_on(
    board: &Url,
    followers: &Url,
    domain: &str,
    data: &FedData,
) -> FedResult<bool> {
    if !same_host(board, followers) {
        return Err(FedError::BadRequest(
            "a board's followers collection must be on the board's server".into(),
        ));
    }
    let collection = fetch(followers, data).await?;
    // The first page: a link, embedded, or the items in the collection itself.
    let mut page = match collection.get("first") {
        Some(Value::String(first)) => Some(fetch(&on_board_server(board, first)?, data).await?),
        Some(first @ Value::Object(_)) => Some(first.clone()),
        _ => Some(collection),
    };
    let mut seen = 0;
    for read in 1..=MAX_PAGES {
        let Some(current) = page.take() else { break };
        for item in items(&current) {
            seen += 1;
            if seen > MAX_ITEMS {
                return Ok(false);
            }
            if url_of(item).is_some_and(|u| host_of(&u) == domain) {
                return Ok(true);
            }
        }
        if read == MAX_PAGES {
            break;
        }
        page = match current.get("next") {
            Some(Value::String(next)) => Some(fetch(&on_board_server(board, next)?, data).await?),
            Some(Value::Object(next)) => match next.get("id").and_then(Value::as_str) {
                Some(next) => Some(fetch(&on_board_server(board, next)?, data).await?),
                None => None,
            },
            _ => None,
        };
    }
    Ok(false)
}

async fn fetch(url: &Url, data: &FedData) -> FedResult<Value> {
    Ok(fetch_object_http::<_, Value>(url, data).await?.object)
}

/// A page link, which must stay on the board's server.
fn on_board_server(board: &Url, link: &str) -> FedResult<Url> {
    let url = Url::parse(link)?;
    if !same_host(board, &url) {
        return Err(FedError::BadRequest(
            "a board's followers collection links to another server".into(),
        ));
    }
    Ok(url)
}

fn items(page: &Value) -> impl Iterator<Item = &Value> {
    ["orderedItems", "items"]
        .into_iter()
        .filter_map(|k| page.get(k))
        .flat_map(|v| match v {
            Value::Array(list) => list.iter().collect::<Vec<_>>(),
            other => vec![other],
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_are_read_from_either_list_as_ids_or_objects() {
        let page = json!({"orderedItems": ["https://a.example/users/x", {"id": "https://b.example:8443/u/y"}, 7],
                          "items": "https://c.example/users/z"});
        let hosts: Vec<String> = items(&page)
            .filter_map(url_of)
            .map(|u| host_of(&u))
            .collect();
        assert_eq!(hosts, ["a.example", "b.example:8443", "c.example"]);
    }

    #[test]
    fn page_links_stay_on_the_board_server() {
        let board = Url::parse("https://b.example/users/coaches").unwrap();
        assert!(
            on_board_server(&board, "https://b.example/users/coaches/followers?page=2").is_ok()
        );
        assert!(on_board_server(&board, "https://evil.example/followers?page=2").is_err());
        assert!(on_board_server(&board, "not a url").is_err());
    }
}
