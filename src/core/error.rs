//! What can go wrong in a domain operation, independent of any protocol.

use crate::db::DbError;

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The thing does not exist, or the caller may not know it does.
    #[error("Record not found")]
    NotFound,
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The input is not acceptable.
    #[error("{0}")]
    Invalid(String),
    /// A concurrent write got there first (a unique key): trying again
    /// will find what it wrote.
    #[error("already exists: {0}")]
    Conflict(String),
    /// The input is larger than allowed.
    #[error("{0}")]
    TooLarge(String),
    /// Wrong credentials.
    #[error("{0}")]
    Unauthorized(String),
    /// This server's own policy refused to contact another server (an
    /// internal address, a refused scheme or port, a blocked domain).
    #[error("{0}")]
    Refused(String),
    /// Another server failed or could not be reached.
    #[error("remote server: {0}")]
    Remote(String),
    /// Our database is unreachable or busy; try again later.
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

pub type CoreResult<T> = Result<T, CoreError>;

impl From<diesel::result::Error> for CoreError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => CoreError::NotFound,
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                CoreError::Conflict(info.message().to_string())
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                CoreError::Unavailable(info.message().to_string())
            }
            Error::DatabaseError(DatabaseErrorKind::Unknown, info)
                if info.message().contains("locked") || info.message().contains("busy") =>
            {
                CoreError::Unavailable(info.message().to_string())
            }
            other => CoreError::Internal(other.to_string()),
        }
    }
}

impl From<DbError> for CoreError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(m) => CoreError::Unavailable(m),
            DbError::Query(q) => q.into(),
        }
    }
}
