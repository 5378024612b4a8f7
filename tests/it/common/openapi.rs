//! Validation of our JSON against the community OpenAPI description of the
//! Mastodon API, kept in `tests/fixtures/mastodon-openapi.json` (source and
//! license in `tests/fixtures/README.md`).

use serde_json::{json, Value};
use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{Arc, Mutex, OnceLock},
};

fn spec() -> &'static Value {
    static SPEC: OnceLock<Value> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mastodon-openapi.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        serde_json::from_str(&text).expect("the OpenAPI description is JSON")
    })
}

fn validator(entity: &str) -> Arc<jsonschema::Validator> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<jsonschema::Validator>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut map = cache.lock().unwrap();
    map.entry(entity.to_string())
        .or_insert_with(|| {
            let spec = spec();
            assert!(
                spec["components"]["schemas"][entity].is_object(),
                "no schema {entity} in the OpenAPI description"
            );
            let schema = json!({
                "$ref": format!("#/components/schemas/{entity}"),
                "components": spec["components"],
            });
            Arc::new(
                jsonschema::options()
                    .should_validate_formats(true)
                    .build(&schema)
                    .expect("the schema compiles"),
            )
        })
        .clone()
}

/// Panic with every mismatch if `value` is not a valid `entity`.
pub fn validate(entity: &str, value: &Value) {
    let v = validator(entity);
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("  {e} (at {})", e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{entity} does not match the Mastodon OpenAPI schema:\n{}\n{}",
        errors.join("\n"),
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}

/// Validate every element of a JSON array.
pub fn validate_all(entity: &str, list: &Value) {
    for item in list.as_array().expect("a JSON array") {
        validate(entity, item);
    }
}

/// The OpenAPI document of Staffroom's own API, as the server serves it.
pub fn staffroom_document() -> Value {
    serde_json::from_str(include_str!("../../../src/api/staffroom/openapi.json"))
        .expect("the Staffroom OpenAPI document parses")
}

/// Check `value` against the schema `entity` of the OpenAPI document `doc`.
pub fn conforms(doc: &Value, entity: &str, value: &Value) {
    let schema = serde_json::json!({"$ref": format!("#/components/schemas/{entity}"), "components": doc["components"]});
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{entity}: {errors:?}\n{value:#}");
}

/// Check `value` against the schema `entity` of Staffroom's own API.
pub fn validate_staffroom(entity: &str, value: &Value) {
    conforms(&staffroom_document(), entity, value);
}
