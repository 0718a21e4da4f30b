//! `POST /api/v1/keys/check`: the shape of a product key, answered redacted, as
//! `volact key check --format json`. The key is held only in memory for the check, never logged
//! and never echoed, also not in errors about a malformed body.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use volact_core::Lang;
use volact_core::key;

use crate::error::{ApiError, json_error};
use crate::request::{require_body, text_or_json};
use crate::state::AppState;

/// Longest key text accepted, in characters (the CLI reads at most this many bytes).
pub const MAX_KEY_INPUT: usize = 4096;

#[derive(Deserialize)]
struct KeyBody {
    key: String,
}

/// Checks `typed` the way `volact key check` checks the first non-empty line of its input, and
/// returns the JSON the CLI prints (pretty, with a final newline).
pub fn check_json(typed: &str, lang: Lang) -> String {
    let line = typed
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim_end_matches('\r');
    let mut s = serde_json::to_string_pretty(&key::report(line, lang)).unwrap_or_default();
    s.push('\n');
    // The report holds only the redacted form (and the messages only positions and characters).
    s
}

/// The bodies this endpoint accepts, named when another type is sent.
const ACCEPTS: &str = "application/json {\"key\": \"...\"} or text/plain";

/// `POST /api/v1/keys/check?lang=`: `{"key": "..."}` (or the key as `text/plain`).
pub(crate) async fn handler(
    State(st): State<Arc<AppState>>,
    req: Request,
) -> Result<Response, ApiError> {
    let limit = st.cfg.max_text.min(64 * 1024);
    let (lang, json, received) = text_or_json(req, &st, true, ACCEPTS, limit).await?;
    let bytes = received.bytes;
    // As before the key is parsed: its bytes leave the memory budget once read.
    drop(received._permit);
    let typed = if json {
        serde_json::from_slice::<KeyBody>(&bytes)
            .map_err(|e| json_error(&e, "{\"key\": \"...\"}"))?
            .key
    } else {
        require_body(&bytes)?;
        String::from_utf8(bytes.to_vec())
            .map_err(|_| ApiError::bad("bad_encoding", "The key is not valid UTF-8 text."))?
    };
    drop(bytes);
    if typed.chars().count() > MAX_KEY_INPUT {
        return Err(ApiError::bad(
            "key_too_long",
            format!(
                "The key text is longer than {MAX_KEY_INPUT} characters; a product key has 29 characters."
            ),
        ));
    }
    let out = check_json(&typed, lang);
    drop(typed);
    Ok(crate::state::json_response(StatusCode::OK, out.into()))
}
