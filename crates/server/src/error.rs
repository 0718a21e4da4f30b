//! API errors: always `{"error":"<kind>","message":"<English sentence>"}` with the right status.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered to the client. The message never echoes request bodies; where it quotes
/// input (a code in the path, a query parameter), product keys are redacted first, in any form
/// (see `redact::scrub`).
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) kind: &'static str,
    pub(crate) message: String,
    pub(crate) retry_after: Option<u32>,
}

#[derive(Serialize)]
struct Body<'a> {
    error: &'a str,
    message: &'a str,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        let message = message.into();
        let message = crate::redact::scrub(&message).into_owned();
        Self {
            status,
            kind,
            message,
            retry_after: None,
        }
    }

    pub(crate) fn bad(kind: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, kind, message)
    }

    pub(crate) fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!(
                "The request body is larger than this endpoint accepts ({}).",
                human_size(limit)
            ),
        )
    }

    pub(crate) fn unsupported_type(expected: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            format!("This endpoint accepts {expected}."),
        )
    }

    pub(crate) fn busy() -> Self {
        Self {
            retry_after: Some(1),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy",
                "The server is busy with other analyses; try again in a moment.",
            )
        }
    }

    pub(crate) fn timeout() -> Self {
        Self {
            retry_after: Some(5),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                "The request took longer than the server allows and was stopped.",
            )
        }
    }

    pub(crate) fn body_timeout() -> Self {
        Self::new(
            StatusCode::REQUEST_TIMEOUT,
            "body_timeout",
            "The request body did not arrive in time.",
        )
    }

    pub(crate) fn internal(what: &str) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("An internal error stopped the request: {what}."),
        )
    }

    pub(crate) fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "There is no such route; see /api/openapi.json for the API.",
        )
    }

    pub(crate) fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "This route does not accept that method; see /api/openapi.json.",
        )
    }

    /// The JSON body bytes.
    pub(crate) fn body(&self) -> Vec<u8> {
        serde_json::to_vec(&Body {
            error: self.kind,
            message: &self.message,
        })
        .unwrap_or_else(|_| b"{\"error\":\"internal\",\"message\":\"\"}".to_vec())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (self.status, self.body()).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(s) = self.retry_after {
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(s));
        }
        r
    }
}

/// `1 MiB`, `64 MiB`, `512 KiB`, `100 bytes`.
pub(crate) fn human_size(n: usize) -> String {
    if n >= 1 << 20 && n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else if n >= 1 << 10 && n.is_multiple_of(1 << 10) {
        format!("{} KiB", n >> 10)
    } else {
        format!("{n} bytes")
    }
}

/// A JSON body error without any of the input: serde's messages can quote what was sent (a
/// product key, say), so only the category and the position are kept.
pub(crate) fn json_error(e: &serde_json::Error, shape: &str) -> ApiError {
    use serde_json::error::Category;
    let what = match e.classify() {
        Category::Syntax => "is not valid JSON",
        Category::Eof => "ends too early",
        Category::Data => "has a missing, unknown or wrongly typed field",
        Category::Io => "could not be read",
    };
    ApiError::bad(
        "bad_json",
        format!(
            "The body {what} (line {}, column {}); expected {shape}.",
            e.line(),
            e.column()
        ),
    )
}
