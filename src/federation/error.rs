//! Federation errors and the HTTP status each one answers with.

use super::egress::{refusal_in, EgressError, Refusal};
use crate::core::error::CoreError;
use activitypub_federation::error::Error as ApError;
use actix_web::{http::StatusCode, HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum FedError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// This server's egress policy refused a request to another server.
    #[error("refused to contact another server: {0}")]
    Refused(String),
    #[error("not found")]
    NotFound,
    #[error("gone")]
    Gone,
    #[error("{0}")]
    TooLarge(String),
    /// A transient failure on our side or the sender's key server: retry later.
    #[error("{0}")]
    Unavailable(String),
    /// Nothing to do: already applied, or a kind of activity we do not use.
    #[error("{0}")]
    Ignored(String),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type FedResult<T> = Result<T, FedError>;

impl FedError {
    pub fn status(&self) -> StatusCode {
        match self {
            FedError::BadRequest(_) => StatusCode::BAD_REQUEST,
            FedError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            FedError::Forbidden(_) | FedError::Refused(_) => StatusCode::FORBIDDEN,
            FedError::NotFound => StatusCode::NOT_FOUND,
            FedError::Gone => StatusCode::GONE,
            FedError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            FedError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            FedError::Ignored(_) => StatusCode::ACCEPTED,
            FedError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl ResponseError for FedError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status()).json(serde_json::json!({ "error": self.to_string() }))
    }
}

impl From<CoreError> for FedError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::NotFound => FedError::NotFound,
            CoreError::Forbidden(m) => FedError::Forbidden(m),
            CoreError::Refused(m) => FedError::Refused(m),
            CoreError::Invalid(m) | CoreError::TooLarge(m) => FedError::BadRequest(m),
            CoreError::Unauthorized(m) => FedError::Unauthorized(m),
            // A concurrent copy of the same object won: the sender retries.
            CoreError::Remote(m) | CoreError::Unavailable(m) | CoreError::Conflict(m) => {
                FedError::Unavailable(m)
            }
            CoreError::Internal(m) => FedError::Internal(m),
        }
    }
}

impl From<ApError> for FedError {
    fn from(e: ApError) -> Self {
        let text = e.to_string();
        match e {
            ApError::NotFound => FedError::NotFound,
            ApError::ObjectDeleted(_) => FedError::Gone,
            ApError::ActivitySignatureInvalid => FedError::Unauthorized(text),
            ApError::ActivityBodyDigestInvalid => FedError::BadRequest(text),
            ApError::UrlVerificationError(m) if m.contains("blocked") => {
                FedError::Forbidden(m.into())
            }
            ApError::UrlVerificationError(m) if m.starts_with(Refusal::CRATE_PREFIX) => {
                FedError::Refused(m.into())
            }
            // The crate's DNS check (production): logged here, the crate does not.
            ApError::DomainResolveError(ref host) => {
                tracing::warn!("egress: refused {host}: it resolves to a non-public address");
                FedError::Refused(text)
            }
            ApError::Reqwest(ref e) if refusal_in(e).is_some() => {
                FedError::Refused(refusal_in(e).map(|r| r.to_string()).unwrap_or(text))
            }
            ApError::ReqwestMiddleware(ref e) if refusal_in(e).is_some() => {
                FedError::Refused(refusal_in(e).map(|r| r.to_string()).unwrap_or(text))
            }
            // Could not reach the other server (e.g. to fetch a key): let the sender retry.
            ApError::Reqwest(_)
            | ApError::ReqwestMiddleware(_)
            | ApError::RequestLimit
            | ApError::IoError(_) => FedError::Unavailable(text),
            ApError::Other(m)
                if m.contains("signature") || m.contains("Header") || m.contains("header") =>
            {
                FedError::Unauthorized(m)
            }
            _ => FedError::BadRequest(text),
        }
    }
}

impl From<serde_json::Error> for FedError {
    fn from(e: serde_json::Error) -> Self {
        FedError::BadRequest(format!("invalid JSON: {e}"))
    }
}

impl From<url::ParseError> for FedError {
    fn from(e: url::ParseError) -> Self {
        FedError::BadRequest(format!("invalid URL: {e}"))
    }
}

impl From<EgressError> for FedError {
    fn from(e: EgressError) -> Self {
        match e {
            EgressError::Refused(r) => FedError::Refused(r.to_string()),
            EgressError::Failed(e) => FedError::Unavailable(e.to_string()),
        }
    }
}
