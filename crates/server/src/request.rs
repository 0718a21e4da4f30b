//! Reading requests: query parameters, the language, content types and bounded bodies.

use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::body::{Body, HttpBody as _};
use axum::extract::Request;
use axum::http::{HeaderMap, Uri, header};
use bytes::{Bytes, BytesMut};
use http_body_util::BodyExt;
use tokio::sync::OwnedSemaphorePermit;
use volact_core::Lang;

use crate::error::ApiError;
use crate::state::AppState;

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

/// At most 40 characters of user input for an error message, product keys masked (in every
/// form: full-width, with tabs or spaces around the dashes...).
pub(crate) fn short(s: &str) -> String {
    let s = crate::redact::scrub(s);
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

/// Whether a request body is JSON (`true`) or plain text (`false`), from its `Content-Type`: a body
/// without one is `untyped`; any type other than text/plain and JSON is refused, naming
/// `expected`.
pub(crate) fn body_is_json(
    headers: &HeaderMap,
    untyped: bool,
    expected: &str,
) -> Result<bool, ApiError> {
    match media_type(headers).as_deref() {
        None => Ok(untyped),
        Some("text/plain") => Ok(false),
        Some(mt) if is_json(mt) => Ok(true),
        Some(_) => Err(ApiError::unsupported_type(expected)),
    }
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

/// A body read into memory, with its share of the server's memory budget.
pub(crate) struct Received {
    pub(crate) bytes: Bytes,
    /// Held as long as the bytes are (moved with them into the analysis).
    pub(crate) _permit: Option<OwnedSemaphorePermit>,
}

/// Reads the whole body into memory (never to disk), at most `limit` bytes, within the server's
/// body deadline (counted once, never extended), taking its memory from the server's budget as
/// it arrives (503 busy when the budget stays full for `busy_wait`).
pub(crate) async fn read_body(
    body: Body,
    limit: usize,
    st: &AppState,
) -> Result<Received, ApiError> {
    let declared = body
        .size_hint()
        .exact()
        .and_then(|n| usize::try_from(n).ok())
        .filter(|n| *n <= limit);
    let read = async move {
        let mut body = body;
        // Memory is taken as the bytes arrive, not from the declared length: a client that
        // declares 64 MiB and drips holds only what it sent.
        let mut buf = BytesMut::with_capacity(declared.unwrap_or(0).min(1 << 20));
        let mut permit: Option<OwnedSemaphorePermit> = None;
        let mut held = 0usize;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|_| {
                ApiError::bad("bad_body", "The request body could not be read to its end.")
            })?;
            if let Ok(data) = frame.into_data() {
                if buf.len() + data.len() > limit {
                    return Err(ApiError::too_large(limit));
                }
                let need = buf.len() + data.len();
                if need > held {
                    let step = (need - held).max(16 * 1024).max(held / 4);
                    let p = st.memory(step).await?;
                    held += p.num_permits() * 1024;
                    match &mut permit {
                        Some(x) => x.merge(p),
                        None => permit = Some(p),
                    }
                }
                buf.extend_from_slice(&data);
            }
        }
        Ok(Received {
            bytes: buf.freeze(),
            _permit: permit,
        })
    };
    tokio::time::timeout(st.cfg.body_timeout, read)
        .await
        .map_err(|_| ApiError::body_timeout())?
}

/// Reads a request whose body is plain text or JSON (`POST /api/v1/analyze`,
/// `/api/v1/keys/check`) in the order every such endpoint checks it: the query's language, the
/// content type (see [`body_is_json`]), the declared length, then the body, at most `limit`
/// bytes. Returns the language, whether the body is JSON, and the body.
pub(crate) async fn text_or_json(
    req: Request,
    st: &AppState,
    untyped: bool,
    expected: &str,
    limit: usize,
) -> Result<(Lang, bool, Received), ApiError> {
    let (parts, body) = req.into_parts();
    let lang = Query::parse(&parts.uri)?.lang()?;
    let json = body_is_json(&parts.headers, untyped, expected)?;
    check_length(&parts.headers, limit)?;
    let received = read_body(body, limit, st).await?;
    Ok((lang, json, received))
}

/// Set when the request is gone (the client disconnected, or the request's deadline passed and
/// its future was dropped): the analysis it started stops at its next read.
pub(crate) struct CancelOnDrop(Arc<AtomicBool>);

impl CancelOnDrop {
    pub(crate) fn new() -> Self {
        Self(Arc::new(AtomicBool::new(false)))
    }

    pub(crate) fn flag(&self) -> Arc<AtomicBool> {
        self.0.clone()
    }
}

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Release);
    }
}

/// A reader that fails once its request is gone.
pub(crate) struct Cancellable<R> {
    inner: R,
    flag: Arc<AtomicBool>,
}

impl<R> Cancellable<R> {
    pub(crate) fn new(inner: R, flag: Arc<AtomicBool>) -> Self {
        Self { inner, flag }
    }

    fn check(&self) -> std::io::Result<()> {
        if self.flag.load(Ordering::Acquire) {
            return Err(std::io::Error::other(
                "the request was cancelled (the client left or the deadline passed)",
            ));
        }
        Ok(())
    }
}

impl<R: Read> Read for Cancellable<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.check()?;
        // Small reads, so that a cancelled request stops soon even on a reader that asks for
        // everything at once.
        let n = buf.len().min(256 * 1024);
        self.inner.read(&mut buf[..n])
    }
}

impl<R: Seek> Seek for Cancellable<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.check()?;
        self.inner.seek(pos)
    }
}
