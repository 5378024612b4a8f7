//! Signing outgoing requests (draft-cavage HTTP signatures, rsa-sha256),
//! covering `(request-target) host date digest content-type`.

use base64::{engine::general_purpose::STANDARD, Engine};
use openssl::{
    hash::MessageDigest,
    pkey::{PKey, Private},
    sign::Signer,
};
use reqwest::header::{HeaderMap, HeaderValue};
use std::time::SystemTime;
use url::Url;

/// The headers of a signed POST of `body` to `url`.
pub fn signed_post_headers(
    url: &Url,
    body: &[u8],
    key_id: &str,
    key: &PKey<Private>,
    content_type: &str,
) -> Result<HeaderMap, String> {
    let date = httpdate::fmt_http_date(SystemTime::now());
    let digest = format!("SHA-256={}", STANDARD.encode(openssl::sha::sha256(body)));
    let host = crate::federation::host_of(url);
    let target = match url.query() {
        Some(q) => format!("post {}?{q}", url.path()),
        None => format!("post {}", url.path()),
    };
    let signing_string = format!(
        "(request-target): {target}\nhost: {host}\ndate: {date}\ndigest: {digest}\ncontent-type: {content_type}"
    );
    let mut signer = Signer::new(MessageDigest::sha256(), key).map_err(|e| e.to_string())?;
    signer
        .update(signing_string.as_bytes())
        .map_err(|e| e.to_string())?;
    let signature = STANDARD.encode(signer.sign_to_vec().map_err(|e| e.to_string())?);
    let header = format!(
        r#"keyId="{key_id}",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="{signature}""#
    );
    let mut headers = HeaderMap::new();
    let value = |s: &str| HeaderValue::from_str(s).map_err(|e| e.to_string());
    headers.insert("host", value(&host)?);
    headers.insert("date", value(&date)?);
    headers.insert("digest", value(&digest)?);
    headers.insert("content-type", value(content_type)?);
    headers.insert("signature", value(&header)?);
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::{rsa::Rsa, sign::Verifier};

    #[test]
    fn signature_verifies_over_the_documented_string() {
        let key = PKey::from_rsa(Rsa::generate(2048).unwrap()).unwrap();
        let url = Url::parse("http://b.test:8002/inbox").unwrap();
        let h = signed_post_headers(
            &url,
            b"{}",
            "http://a.test/users/x#main-key",
            &key,
            "application/activity+json",
        )
        .unwrap();
        assert_eq!(h["host"], "b.test:8002");
        let sig = h["signature"].to_str().unwrap();
        let b64 = sig
            .rsplit("signature=\"")
            .next()
            .unwrap()
            .trim_end_matches('"');
        let signing = format!(
            "(request-target): post /inbox\nhost: b.test:8002\ndate: {}\ndigest: {}\ncontent-type: application/activity+json",
            h["date"].to_str().unwrap(),
            h["digest"].to_str().unwrap()
        );
        let mut v = Verifier::new(MessageDigest::sha256(), &key).unwrap();
        v.update(signing.as_bytes()).unwrap();
        assert!(v.verify(&STANDARD.decode(b64).unwrap()).unwrap());
    }
}
