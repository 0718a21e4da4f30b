//! Reading requests: query parameters, the language, content types and bounded bodies.

use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, Uri, header};
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use volact_core::Lang;

use crate::error::ApiError;

/// Query parameters, first value of each name kept.
pub(crate) struct Query(Vec<(String, String)>);

impl Query {
    pub(crate) fn parse(uri: &Uri) -> Result<Self, ApiError> {
        let q = uri.query().unwrap_or("");
        if q.len() > 8192 {
            return Err(ApiError::bad(
                "bad_query",
                "The query string is longer than 8192 bytes.",
            ));
        }
        serde_urlencoded::from_str::<Vec<(String, String)>>(q)
            .map(Query)
            .map_err(|_| ApiError::bad("bad_query", "The query string cannot be decoded."))
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `lang=en|zh-TW`, exactly; English when absent or empty.
    pub(crate) fn lang(&self) -> Result<Lang, ApiError> {
        match self.get("lang") {
            None | Some("" | "en") => Ok(Lang::En),
            Some("zh-TW") => Ok(Lang::ZhTw),
            Some(s) => Err(ApiError::bad(
                "bad_lang",
                format!(
                    "lang {:?} is not a supported language: use en or zh-TW.",
                    short(s)
                ),
            )),
        }
    }
}

/// At most 40 characters of user input for an error message.
pub(crate) fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// The media type without parameters, lower case (`text/plain`), or `None` when absent.
pub(crate) fn media_type(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(header::CONTENT_TYPE)?;
    let s = String::from_utf8_lossy(v.as_bytes());
    Some(
        s.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase(),
    )
}

/// Whether a media type is JSON (`application/json` or `application/*+json`).
pub(crate) fn is_json(mt: &str) -> bool {
    mt == "application/json" || (mt.starts_with("application/") && mt.ends_with("+json"))
}

/// Rejects at once a body whose declared length is above `limit`.
pub(crate) fn check_length(headers: &HeaderMap, limit: usize) -> Result<(), ApiError> {
    if let Some(len) = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.trim().parse::<u64>().ok())
        && len > limit as u64
    {
        return Err(ApiError::too_large(limit));
    }
    Ok(())
}

/// 400 for an empty body where one is required.
pub(crate) fn require_body(bytes: &[u8]) -> Result<(), ApiError> {
    if bytes.is_empty() {
        return Err(ApiError::bad(
            "empty_body",
            "The request body is empty; this endpoint needs one.",
        ));
    }
    Ok(())
}

/// Reads the whole body into memory (never to disk), at most `limit` bytes, within `timeout`.
pub(crate) async fn read_body(
    body: Body,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, ApiError> {
    let read = async move {
        let mut body = body;
        let mut buf = BytesMut::new();
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| {
                ApiError::bad("bad_body", "The request body could not be read to its end.")
            })?;
            if let Ok(data) = frame.into_data() {
                if buf.len() + data.len() > limit {
                    return Err(ApiError::too_large(limit));
                }
                buf.extend_from_slice(&data);
            }
        }
        Ok(buf.freeze())
    };
    tokio::time::timeout(timeout, read)
        .await
        .map_err(|_| ApiError::body_timeout())?
}
