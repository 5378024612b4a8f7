//! Objects: statuses as `Note`s (and the `Article`/`Page` shapes others send).

pub mod note;
pub mod note_json;
mod received;
pub mod record;
pub mod values;
