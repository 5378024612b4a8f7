//! Media: uploads (images scaled, re-encoded without metadata, with a
//! preview and blurhash; PDFs kept), descriptions and focal points,
//! attachments federating as `Document`s with a cached preview on the other
//! side, avatars, and the limits and refusals.

use crate::common::{
    eventually,
    openapi::{validate, validate_all},
    Client, Instance, FEDERATION_DEADLINE as DEADLINE,
};
use image::{codecs::jpeg::JpegEncoder, DynamicImage, Rgb, RgbImage};
use reqwest::{multipart, Method, StatusCode};
use serde_json::{json, Value};

/// A JPEG photo of `w`×`h` with an EXIF block (as phones write them).
fn photo(w: u32, h: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    let mut jpeg = vec![];
    DynamicImage::ImageRgb8(img)
        .write_with_encoder(JpegEncoder::new_with_quality(&mut jpeg, 90))
        .unwrap();
    // APP1 "Exif" with an empty big-endian TIFF directory, right after SOI.
    let tiff: &[u8] = b"MM\x00\x2a\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00";
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend_from_slice(tiff);
    let len = (app1.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

async fn upload(
    c: &Client,
    path: &str,
    bytes: Vec<u8>,
    name: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(bytes).file_name(name.to_string()),
    );
    for (k, v) in extra {
        form = form.text(k.to_string(), v.to_string());
    }
    c.http
        .post(format!("{}{path}", c.base))
        .bearer_auth(&c.token)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn fetch(url: &str, base: &str, domain_url: &str) -> reqwest::Response {
    reqwest::get(url.replace(domain_url, base)).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn images_upload_attach_and_federate_with_previews() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let alice_at_b = bob.resolve(&format!("alice@{}", a.domain)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    bob.follow(&alice_at_b).await;
    eventually("the follow", DEADLINE, || async {
        (bob.relationship(&alice_at_b).await["following"] == true).then_some(())
    })
    .await;

    // Upload a photo with alt text and a focal point.
    let res = upload(
        &alice,
        "/api/v2/media",
        photo(1200, 900),
        "bridge.jpg",
        &[
            ("description", "Index-card bridge holding 40 pennies"),
            ("focus", "0.2,-0.5"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let media: Value = res.json().await.unwrap();
    validate("MediaAttachment", &media);
    assert_eq!(media["type"], "image");
    assert_eq!(media["meta"]["original"]["width"], 1200);
    assert_eq!(media["meta"]["original"]["height"], 900);
    let small = &media["meta"]["small"];
    assert!(small["width"].as_i64().unwrap() * small["height"].as_i64().unwrap() <= 640 * 360);
    assert_eq!(media["meta"]["focus"], json!({"x": 0.2, "y": -0.5}));
    assert!(!media["blurhash"].as_str().unwrap().is_empty());
    let media_id = media["id"].as_str().unwrap().to_string();

    // The file is served as an image, safely, without its EXIF block.
    let file = fetch(media["url"].as_str().unwrap(), &a.base(), &a.url()).await;
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.headers()["content-type"], "image/jpeg");
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    assert!(file.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("sandbox"));
    let bytes = file.bytes().await.unwrap();
    assert!(
        !bytes.windows(4).any(|w| w == b"Exif"),
        "metadata is stripped"
    );
    assert_eq!(
        fetch(media["preview_url"].as_str().unwrap(), &a.base(), &a.url())
            .await
            .status(),
        StatusCode::OK
    );

    // Change the description; read it back.
    let updated = alice
        .put(
            &format!("/api/v1/media/{media_id}"),
            json!({"description": "Index-card bridge holding 42 pennies"}),
        )
        .await;
    assert_eq!(
        updated["description"],
        "Index-card bridge holding 42 pennies"
    );
    let got = alice.get(&format!("/api/v1/media/{media_id}")).await;
    assert_eq!(got["description"], "Index-card bridge holding 42 pennies");

    // Post it without text: it reaches Bob's server as a Document, shown
    // by its URL, with a preview cached there.
    let post = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "", "media_ids": [media_id], "visibility": "public"}),
        )
        .await;
    validate("Status", &post);
    assert_eq!(post["media_attachments"][0]["id"], media_id.as_str());
    let uri = post["uri"].as_str().unwrap().to_string();
    let seen = eventually("the attachment at Bob's server", DEADLINE, || async {
        let s = bob.home_status(&uri).await?;
        let m = &s["media_attachments"][0];
        m["preview_url"]
            .as_str()?
            .starts_with(&format!("{}/system/cache/", b.url()))
            .then(|| s.clone())
    })
    .await;
    let remote = &seen["media_attachments"][0];
    validate_all("MediaAttachment", &seen["media_attachments"]);
    assert_eq!(remote["url"], media["url"]);
    assert_eq!(remote["remote_url"], media["url"]);
    assert_eq!(
        remote["description"],
        "Index-card bridge holding 42 pennies"
    );
    assert_eq!(remote["blurhash"], media["blurhash"]);
    let cached = fetch(remote["preview_url"].as_str().unwrap(), &b.base(), &b.url()).await;
    assert_eq!(cached.status(), StatusCode::OK);
    assert_eq!(cached.headers()["content-type"], "image/jpeg");

    // An upload cannot be attached twice, nor by someone else.
    let again = alice
        .request(
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "again", "media_ids": [media_id]})),
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let dev = a.user("dev").await;
    assert_eq!(
        dev.status_of(Method::GET, &format!("/api/v1/media/{media_id}"))
            .await,
        StatusCode::NOT_FOUND
    );

    // A new avatar is cropped, served, and reaches Bob's server.
    let form = multipart::Form::new().part(
        "avatar",
        multipart::Part::bytes(photo(800, 600)).file_name("me.jpg"),
    );
    let res = alice
        .http
        .patch(format!("{}/api/v1/accounts/update_credentials", alice.base))
        .bearer_auth(&alice.token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let me: Value = res.json().await.unwrap();
    let avatar = me["avatar"].as_str().unwrap().to_string();
    assert!(
        avatar.starts_with(&format!("{}/system/accounts/", a.url())),
        "{avatar}"
    );
    let img = fetch(&avatar, &a.base(), &a.url())
        .await
        .bytes()
        .await
        .unwrap();
    let decoded = image::load_from_memory(&img).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (400, 400));
    eventually("the new avatar at Bob's server", DEADLINE, || async {
        let acct = bob.get(&format!("/api/v1/accounts/{alice_at_b}")).await;
        (acct["avatar"] == avatar.as_str()).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn uploads_are_checked() {
    let a = Instance::start_with(
        "district-a",
        &[
            ("STAFFROOM_MEDIA_UPLOAD_MAX_BYTES", "300000"),
            ("STAFFROOM_MEDIA_MAX_PIXELS", "1000000"),
        ],
    )
    .await;
    let alice = a.user("alice").await;

    // Too many pixels; too many bytes; not an image, whatever the name says.
    let res = upload(&alice, "/api/v1/media", photo(1200, 900), "big.jpg", &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    validate("Error", &res.json().await.unwrap());
    let noise: Vec<u8> = (0..400_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    let res = upload(&alice, "/api/v1/media", noise, "noise.png", &[]).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    for (name, body) in [
        (
            "page.png",
            b"<html><script>alert(1)</script></html>".to_vec(),
        ),
        (
            "actor.json",
            br#"{"type": "Person", "id": "https://evil.example/u"}"#.to_vec(),
        ),
    ] {
        let res = upload(&alice, "/api/v1/media", body, name, &[]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
    }
    let res = upload(
        &alice,
        "/api/v1/media",
        photo(40, 30),
        "x.jpg",
        &[("focus", "3,0")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.count("media_attachments", "").await, 0);

    // A PDF lesson plan is kept as it is and served as a download.
    let pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
        .to_vec();
    let res = upload(
        &alice,
        "/api/v2/media",
        pdf.clone(),
        "plan.pdf",
        &[("description", "Lesson plan")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    let doc: Value = res.json().await.unwrap();
    validate("MediaAttachment", &doc);
    assert_eq!(doc["type"], "unknown");
    let file = fetch(doc["url"].as_str().unwrap(), &a.base(), &a.url()).await;
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert_eq!(file.headers()["content-disposition"], "attachment");
    assert_eq!(file.bytes().await.unwrap().to_vec(), pdf);

    // At most four attachments; unknown ids are refused.
    let mut ids = vec![];
    for _ in 0..5 {
        let m: Value = upload(&alice, "/api/v1/media", photo(40, 30), "x.jpg", &[])
            .await
            .json()
            .await
            .unwrap();
        ids.push(m["id"].as_str().unwrap().to_string());
    }
    let res = alice
        .request(
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "five", "media_ids": ids})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = alice
        .request(
            Method::POST,
            "/api/v1/statuses",
            Some(json!({"status": "x", "media_ids": ["12345"]})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Nothing but served file types under /system.
    let res = reqwest::get(format!("{}/system/../staffroom.db", a.base()))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// The random part of a file URL: its path segments under `/system/` that
/// are not fixed names, each checked to be 32+ hex digits (>= 128 bits).
fn random_part(url: &str) -> Vec<String> {
    let path = url.split("/system/").nth(1).expect("a /system/ URL");
    let parts: Vec<String> = path
        .split('/')
        .filter(|p| !matches!(*p, "media" | "cache" | "accounts") && !p.contains('.'))
        .map(str::to_string)
        .collect();
    assert!(!parts.is_empty(), "{url}: no random part");
    for p in &parts {
        assert!(
            p.len() >= 32 && p.bytes().all(|c| c.is_ascii_hexdigit()),
            "{url}: `{p}` is not 128 random bits"
        );
    }
    parts
}

async fn cache_control(url: &str, a: &Instance) -> String {
    let res = fetch(url, &a.base(), &a.url()).await;
    assert_eq!(res.status(), StatusCode::OK, "{url}");
    res.headers()["cache-control"].to_str().unwrap().to_string()
}

/// SECURITY.md API 8: files live at unguessable paths (a 128-bit random
/// folder, no counter-like id: two uploads in a row share nothing), and
/// only files everyone may see (attachments of public posts, profile
/// images) may be cached publicly; attachments of followers-only and direct
/// posts and uploads not attached yet are `Cache-Control: private`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_live_at_unguessable_paths_and_private_ones_are_not_cached_publicly() {
    let mut a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let mut uploads = vec![];
    for _ in 0..3 {
        let res = upload(&alice, "/api/v2/media", photo(40, 30), "x.jpg", &[]).await;
        assert_eq!(res.status(), StatusCode::OK);
        uploads.push(res.json::<Value>().await.unwrap());
    }
    let url = |m: &Value, which: &str| m[which].as_str().unwrap().to_string();
    // Two uploads in a row: random names, nothing in common, no id in them.
    let (first, second) = (&uploads[0], &uploads[1]);
    let (r1, r2) = (
        random_part(&url(first, "url")),
        random_part(&url(second, "url")),
    );
    assert!(r1.iter().all(|p| !r2.contains(p)), "{r1:?} {r2:?}");
    for m in &uploads {
        let id = m["id"].as_str().unwrap();
        for which in ["url", "preview_url"] {
            random_part(&url(m, which));
            assert!(
                !url(m, which).contains(id),
                "{} holds the id",
                url(m, which)
            );
        }
        // The old id-based name finds nothing.
        let guess = format!("{}/system/media/{id}/original.jpg", a.base());
        assert_eq!(
            reqwest::get(&guess).await.unwrap().status(),
            StatusCode::NOT_FOUND
        );
    }

    // Not attached yet: private.
    let cc = cache_control(&url(first, "url"), &a).await;
    assert!(cc.contains("private") && !cc.contains("public"), "{cc}");

    // Followers-only and direct posts: private; a public post: cacheable.
    for (m, visibility) in [
        (&uploads[0], "private"),
        (&uploads[1], "direct"),
        (&uploads[2], "public"),
    ] {
        alice
            .post(
                "/api/v1/statuses",
                json!({"status": "bridge test", "visibility": visibility,
                       "media_ids": [m["id"]]}),
            )
            .await;
        for which in ["url", "preview_url"] {
            let cc = cache_control(&url(m, which), &a).await;
            if visibility == "public" {
                assert!(cc.starts_with("public") && cc.contains("max-age"), "{cc}");
            } else {
                assert!(
                    cc.contains("private") && !cc.contains("public"),
                    "{visibility} {which}: {cc}"
                );
            }
        }
    }

    // A file stored under the older id-based name keeps working.
    let public = &uploads[2];
    let id = public["id"].as_str().unwrap().to_string();
    let old_key = format!("media/{id}/original.jpg");
    let files = a.dir.path().join("files");
    let new_key = url(public, "url")
        .split("/system/")
        .nth(1)
        .unwrap()
        .to_string();
    std::fs::create_dir_all(files.join(format!("media/{id}"))).unwrap();
    std::fs::rename(files.join(&new_key), files.join(&old_key)).unwrap();
    let (media_id, key) = (id.parse::<i64>().unwrap(), old_key.clone());
    a.db()
        .write(move |conn| {
            use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
            use staffroom::db::schema::media_attachments as m;
            diesel::update(m::table.filter(m::id.eq(media_id)))
                .set(m::file_key.eq(Some(key)))
                .execute(conn)
                .map_err(staffroom::db::DbError::from)
        })
        .await
        .unwrap();
    let shown = alice.get(&format!("/api/v1/media/{id}")).await;
    assert_eq!(shown["url"], format!("{}/system/{old_key}", a.url()));
    assert!(cache_control(&url(&shown, "url"), &a)
        .await
        .starts_with("public"));

    // A profile image is public, at a random name too.
    let form = multipart::Form::new().part(
        "avatar",
        multipart::Part::bytes(photo(80, 80)).file_name("me.jpg"),
    );
    let me: Value = alice
        .http
        .patch(format!("{}/api/v1/accounts/update_credentials", alice.base))
        .bearer_auth(&alice.token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let avatar = me["avatar"].as_str().unwrap();
    random_part(avatar);
    assert!(!avatar.contains(alice.id().as_str()), "{avatar}");
    assert!(cache_control(avatar, &a).await.starts_with("public"));

    // Tidying (at every start, then hourly) finds files by their stored
    // keys: a file no attachment names goes, the others stay.
    let orphan = files.join(format!("media/{}/original.jpg", "ab".repeat(16)));
    std::fs::create_dir_all(orphan.parent().unwrap()).unwrap();
    std::fs::write(&orphan, photo(8, 8)).unwrap();
    a.restart().await;
    eventually("the orphan file tidied away", DEADLINE, || async {
        (!orphan.exists()).then_some(())
    })
    .await;
    for m in &uploads[..2] {
        for which in ["url", "preview_url"] {
            cache_control(&url(m, which), &a).await;
        }
    }
    cache_control(&url(&shown, "url"), &a).await;
    cache_control(avatar, &a).await;

    // Paths that could leave the file store are refused.
    for bad in [
        "/system/../staffroom.db",
        "/system/media/..%2F..%2Fstaffroom.db",
    ] {
        let res = reqwest::get(format!("{}{bad}", a.base())).await.unwrap();
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{bad}");
    }
}
