//! `GET /api/v1/preferences`

use crate::{
    api::{auth::Auth, error::ApiResult},
    core::Core,
};
use actix_web::{web, HttpResponse};
use serde_json::json;

pub async fn get(auth: Auth, core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let me = auth.require("read:accounts")?;
    let user = core.user_of(me.id).await?;
    Ok(HttpResponse::Ok().json(json!({
        "posting:default:visibility": user.default_visibility,
        "posting:default:sensitive": user.default_sensitive,
        "posting:default:language": user.default_language,
        "posting:default:quote_policy": "nobody",
        "reading:expand:media": "default",
        "reading:expand:spoilers": false,
        "reading:autoplay:gifs": false,
    })))
}
