//! `POST /api/v1/analyze`: pasted text through `volact-scan`, as `volact scan --format json -`.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::response::Response;
use serde::Deserialize;

use crate::error::{ApiError, json_error};
use crate::request::{CancelOnDrop, require_body, text_or_json};
use crate::state::AppState;

/// The input name the report gives pasted text.
pub const PASTED: &str = "pasted";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pasted {
    text: String,
}

/// The bodies this endpoint accepts, named when another type is sent.
const ACCEPTS: &str =
    "text/plain (UTF-8 or UTF-16 with a BOM) or application/json {\"text\": \"...\"}";

/// `POST /api/v1/analyze?lang=`: body `text/plain` (UTF-8, or UTF-16 with a BOM) or
/// `application/json` `{"text": "..."}`.
pub(crate) async fn handler(
    State(st): State<Arc<AppState>>,
    req: Request,
) -> Result<Response, ApiError> {
    // The body first, the analysis slot only once it is complete: a client dripping its body
    // holds no slot.
    let (lang, json, received) = text_or_json(req, &st, false, ACCEPTS, st.cfg.max_text).await?;
    require_body(&received.bytes)?;
    let text = if json {
        Some(
            serde_json::from_slice::<Pasted>(&received.bytes)
                .map_err(|e| json_error(&e, "{\"text\": \"...\"}"))?
                .text,
        )
    } else {
        None
    };
    let permit = st.heavy_permit().await?;
    let cancel = CancelOnDrop::new();
    let flag = cancel.flag();
    let out = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let received = received;
        if flag.load(std::sync::atomic::Ordering::Acquire) {
            return String::new();
        }
        let opts = volact_scan::Options::default();
        let scan = match &text {
            Some(t) => volact_scan::scan_str(PASTED, t, &opts),
            None => volact_scan::scan_bytes(PASTED, &received.bytes, &opts),
        };
        drop(received);
        drop(text);
        let report = scan.report(lang);
        let s = volact_scan::render::json(&report);
        crate::redact::scrub_json(&s)
    })
    .await
    .map_err(|_| ApiError::internal("the analysis failed"))?;
    drop(cancel);
    crate::state::heavy_response(&st, out).await
}
