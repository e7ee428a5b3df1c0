//! HTTP errors: a status, a stable code and a message, sent as `{"error": {"code", "message"}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

use crate::error::Error;

/// An HTTP error: status, stable code, message.
#[derive(Debug)]
pub struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub(crate) fn bad(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        match e {
            Error::Query(m) => ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_query",
                format!("bad query: {m}"),
            ),
            Error::InvalidArgument(m) => ApiError::bad(m),
            Error::ArticleNotFound(id) => ApiError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("no article with id {id:?}"),
            ),
            e @ Error::Cluster { .. } => {
                ApiError::new(StatusCode::BAD_GATEWAY, "cluster", e.to_string())
            }
            other => {
                eprintln!("byline serve: internal error: {other}");
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "internal error",
                )
            }
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'a str,
    message: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code,
                message: &self.message,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_reveals_nothing() {
        let e = ApiError::from(Error::io(
            "/secret/path/meta.json",
            std::io::Error::other("disk on fire"),
        ));
        assert_eq!(
            (e.status, e.code, e.message.as_str()),
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error"
            )
        );
    }
}
