//! API errors in Mastodon's shape: `{"error": "...", "error_description": "..."}`.

use crate::core::error::CoreError;
use actix_web::{http::StatusCode, HttpResponse, ResponseError};
use serde_json::json;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub error: String,
    pub description: Option<String>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, error: impl Into<String>) -> ApiError {
        ApiError {
            status,
            error: error.into(),
            description: None,
        }
    }

    /// An OAuth error: a short code and a sentence.
    pub fn oauth(status: StatusCode, code: &str, description: impl Into<String>) -> ApiError {
        ApiError {
            status,
            error: code.into(),
            description: Some(description.into()),
        }
    }

    pub fn not_found() -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "Record not found")
    }

    pub fn unauthorized() -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "The access token is invalid")
    }

    pub fn unprocessable(msg: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, msg)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.status, self.error)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut body = json!({ "error": self.error });
        if let Some(d) = &self.description {
            body["error_description"] = json!(d);
        }
        HttpResponse::build(self.status).json(body)
    }
}

impl From<CoreError> for ApiError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::NotFound => ApiError::not_found(),
            CoreError::Forbidden(m) => ApiError::new(StatusCode::FORBIDDEN, m),
            CoreError::Invalid(m) => ApiError::unprocessable(m),
            CoreError::Conflict(m) => ApiError::unprocessable(format!("already exists: {m}")),
            CoreError::TooLarge(m) => ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, m),
            CoreError::Unauthorized(m) => ApiError::new(StatusCode::UNAUTHORIZED, m),
            CoreError::Remote(m) => ApiError::new(StatusCode::BAD_GATEWAY, m),
            CoreError::Refused(m) => ApiError::unprocessable(m),
            CoreError::Unavailable(m) => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, m),
            CoreError::Internal(m) => {
                tracing::error!("internal error: {m}");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
            }
        }
    }
}
