//! `MediaAttachment`.

use super::id;
use crate::{core::Core, db::media::Media};
use serde_json::{json, Value};

fn size(w: Option<i32>, h: Option<i32>) -> Option<Value> {
    let (w, h) = (w?, h?);
    Some(json!({
        "width": w, "height": h, "size": format!("{w}x{h}"),
        "aspect": if h > 0 { w as f64 / h as f64 } else { 1.0 },
    }))
}

pub fn media(m: &Media, core: &Core) -> Value {
    let file = |key: &Option<String>| key.as_ref().map(|k| core.uris().file(k));
    let url = file(&m.file_key).or_else(|| m.remote_url.clone());
    let preview =
        file(&m.preview_key).or_else(|| (m.kind == "image").then(|| url.clone()).flatten());
    let mut meta = serde_json::Map::new();
    if let Some(o) = size(m.width, m.height) {
        meta.insert("original".into(), o);
    }
    if let Some(s) = size(m.preview_width, m.preview_height) {
        meta.insert("small".into(), s);
    }
    if let (Some(x), Some(y)) = (m.focus_x, m.focus_y) {
        meta.insert("focus".into(), json!({"x": x, "y": y}));
    }
    json!({
        "id": id(m.id),
        "type": m.kind,
        "url": url,
        "preview_url": preview,
        "remote_url": m.remote_url,
        "preview_remote_url": null,
        "text_url": null,
        "meta": meta,
        "description": (!m.description.is_empty()).then(|| m.description.clone()),
        "blurhash": m.blurhash,
    })
}
