//! WebFinger: answering for our accounts, and finding accounts elsewhere.
//! (Our own resolver, stricter than the crate's: the subject must match and
//! the actor must live on the WebFinger host.)

use super::{
    egress::{Egress, EgressError},
    error::{FedError, FedResult},
    host_of, FedData, AP_CONTENT_TYPE,
};
use actix_web::{HttpRequest, HttpResponse};
use serde_json::{json, Value};
use url::Url;

/// Largest document read from another server.
pub const MAX_BODY: usize = 1024 * 1024;
/// Longest `resource` asked about (an `acct:` handle or an actor URL).
pub const MAX_RESOURCE: usize = 1024;

/// An error answer: JSON (never a JRD), readable by browser clients too.
fn refuse(status: actix_web::http::StatusCode, error: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .json(json!({ "error": error }))
}

/// The `resource` and `rel` parameters of a WebFinger query (RFC 7033 §4.1:
/// `rel` may repeat; parameters come in any order).
fn parameters(query: &str) -> (Option<String>, Vec<String>) {
    let mut resource = None;
    let mut rels = vec![];
    for (key, value) in url::form_urlencoded::parse(query.as_bytes()) {
        match &*key {
            "resource" if resource.is_none() => resource = Some(value.into_owned()),
            "rel" => rels.push(value.into_owned()),
            _ => {}
        }
    }
    (resource, rels)
}

/// `GET /.well-known/webfinger?resource=acct:name@domain` (or an actor URL),
/// by RFC 7033 §4.2: 400 when `resource` is missing or not an absolute URI,
/// 404 for one this server does not know; CORS on every answer (§5).
pub async fn serve(request: HttpRequest, data: FedData) -> HttpResponse {
    use actix_web::http::StatusCode;
    let domain = data.settings().domain.clone();
    let (resource, rels) = parameters(request.query_string());
    let Some(resource) = resource else {
        return refuse(StatusCode::BAD_REQUEST, "the resource parameter is missing");
    };
    let resource = resource.trim();
    if resource.len() > MAX_RESOURCE {
        return refuse(StatusCode::BAD_REQUEST, "resource too long");
    }
    // An absolute URI has a scheme (`acct:`, `https:` ...); `alice@host`
    // and `=acct:alice@host` have none.
    let Ok(uri) = Url::parse(resource) else {
        return refuse(
            StatusCode::BAD_REQUEST,
            "the resource must be an absolute URI, such as acct:name@host",
        );
    };
    let name = match uri.scheme() {
        "acct" => match resource["acct:".len()..]
            .trim_start_matches('@')
            .rsplit_once('@')
        {
            Some((name, host)) if host.eq_ignore_ascii_case(&domain) => Some(name.to_string()),
            Some(_) => None,
            None => {
                return refuse(
                    StatusCode::BAD_REQUEST,
                    "an acct: resource is acct:name@host",
                )
            }
        },
        "http" | "https" if data.uris().is_local(resource) => {
            let path = resource.trim_start_matches(data.uris().base());
            path.strip_prefix("/users/")
                .or_else(|| path.strip_prefix("/@"))
                .map(|n| n.trim_end_matches('/').to_string())
        }
        _ => None,
    };
    let Some(name) = name.filter(|n| !n.is_empty() && !n.contains('/')) else {
        return refuse(StatusCode::NOT_FOUND, "unknown resource");
    };
    let Ok(account) = data.federated_account(&name).await else {
        return refuse(StatusCode::NOT_FOUND, "unknown account");
    };
    let u = data.uris();
    let profile = u.profile_page(&account.username);
    let links = [
        json!({"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": profile}),
        json!({"rel": "self", "type": AP_CONTENT_TYPE, "href": account.ap_id}),
    ];
    // With `rel`, only the links of those relation types (§4.3).
    let links: Vec<Value> = links
        .into_iter()
        .filter(|l| rels.is_empty() || rels.iter().any(|r| l["rel"] == r.as_str()))
        .collect();
    HttpResponse::Ok()
        .content_type("application/jrd+json; charset=utf-8")
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .json(json!({
            "subject": format!("acct:{}@{}", account.username, domain),
            "aliases": [account.ap_id, profile],
            "links": links,
        }))
}

/// Read at most `max` bytes of a response body.
pub async fn read_limited(mut response: reqwest::Response, max: usize) -> FedResult<Vec<u8>> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| FedError::Unavailable(e.to_string()))?
    {
        body.extend_from_slice(&chunk);
        if body.len() > max {
            return Err(FedError::TooLarge(format!(
                "document larger than {max} bytes"
            )));
        }
    }
    Ok(body)
}

/// The actor id `user@domain` names, asked of `domain`'s WebFinger (through
/// the egress policy: redirects are followed only to allowed addresses).
pub async fn resolve(
    egress: &Egress,
    data: &FedData,
    username: &str,
    domain: &str,
) -> FedResult<Url> {
    let scheme = data.settings().scheme();
    let subject = format!("acct:{username}@{domain}");
    let mut url = Url::parse(&format!("{scheme}://{domain}/.well-known/webfinger"))
        .map_err(|_| FedError::BadRequest(format!("invalid account domain `{domain}`")))?;
    // `domain` must be an authority, nothing more (`x.example#.y` is not).
    if url.path() != "/.well-known/webfinger" || url.query().is_some() || url.fragment().is_some() {
        return Err(FedError::BadRequest(format!(
            "invalid account domain `{domain}`"
        )));
    }
    url.query_pairs_mut().append_pair("resource", &subject);
    let response = egress
        .get(&url, "application/jrd+json, application/json", "WebFinger")
        .await
        .map_err(|e| match e {
            EgressError::Failed(e) => FedError::Unavailable(format!("WebFinger of {domain}: {e}")),
            refused => refused.into(),
        })?;
    if response.status() == reqwest::StatusCode::NOT_FOUND
        || response.status() == reqwest::StatusCode::GONE
    {
        return Err(FedError::NotFound);
    }
    if !response.status().is_success() {
        return Err(FedError::Unavailable(format!(
            "WebFinger of {domain}: HTTP {}",
            response.status()
        )));
    }
    let body = read_limited(response, MAX_BODY).await?;
    let doc: Value = serde_json::from_slice(&body)?;
    actor_link(&doc, &subject, domain)
}

/// The `self` link of a WebFinger document, checked against the query.
pub fn actor_link(doc: &Value, subject: &str, domain: &str) -> FedResult<Url> {
    let got = doc["subject"].as_str().unwrap_or_default();
    if !got.eq_ignore_ascii_case(subject) {
        return Err(FedError::BadRequest(format!(
            "WebFinger answered for `{got}`, not `{subject}`"
        )));
    }
    let link = doc["links"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|l| {
            l["rel"] == "self"
                && l["type"].as_str().is_some_and(|t| {
                    t.starts_with(AP_CONTENT_TYPE) || t.starts_with("application/ld+json")
                })
        })
        .and_then(|l| l["href"].as_str())
        .ok_or(FedError::NotFound)?;
    let href = Url::parse(link)?;
    if host_of(&href) != domain.to_ascii_lowercase() {
        return Err(FedError::BadRequest(
            "the WebFinger actor lives on another server".into(),
        ));
    }
    Ok(href)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(subject: &str, href: &str) -> Value {
        json!({"subject": subject, "links": [
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": "https://b.example/@bob"},
            {"rel": "self", "type": "application/activity+json", "href": href}]})
    }

    #[test]
    fn subject_and_actor_host_must_match_the_query() {
        let ok = actor_link(
            &doc("acct:bob@b.example", "https://b.example/users/bob"),
            "acct:bob@b.example",
            "b.example",
        );
        assert_eq!(ok.unwrap().as_str(), "https://b.example/users/bob");
        assert!(actor_link(
            &doc("acct:eve@b.example", "https://b.example/users/eve"),
            "acct:bob@b.example",
            "b.example"
        )
        .is_err());
        assert!(actor_link(
            &doc("acct:bob@b.example", "https://evil.example/users/bob"),
            "acct:bob@b.example",
            "b.example"
        )
        .is_err());
        assert!(actor_link(
            &json!({"subject": "acct:bob@b.example"}),
            "acct:bob@b.example",
            "b.example"
        )
        .is_err());
    }
}
