//! `GET /api/v1/products`: the volume products table, listed or searched, the JSON of
//! `volact products --format json` for the same query (and `--gvlk` for `gvlk=1`).
//!
//! The published KMS client setup keys (GVLKs) are the one kind of product key an answer may hold
//! whole, and only when `gvlk=1` asks for them; the search repeated in the answer is masked
//! (`products::Doc::new`), so a key the user typed never comes back.

use axum::http::Uri;
use axum::response::Response;
use bytes::Bytes;
use volact_core::products::{self, Doc, Family};

use crate::error::ApiError;
use crate::request::{Query, short};

/// `GET /api/v1/products?q=&family=&gvlk=&lang=`.
pub(crate) async fn handler(uri: Uri) -> Result<Response, ApiError> {
    let q = Query::parse(&uri)?;
    let lang = q.lang()?;
    let family = family(q.get("family"))?;
    let gvlk = gvlk(q.get("gvlk"))?;
    let words = q.get("q").map(str::trim).unwrap_or("");
    // As long as `GET /api/v1/codes` accepts.
    if words.chars().count() > 256 {
        return Err(ApiError::bad(
            "query_too_long",
            "q is longer than 256 characters.",
        ));
    }
    let found = products::find(words, family);
    let doc = Doc::new(
        &found,
        lang,
        (!words.is_empty()).then_some(words),
        family,
        gvlk,
    );
    let body = serde_json::to_vec(&doc).map_err(|_| ApiError::internal("the answer"))?;
    Ok(crate::state::json_response(
        axum::http::StatusCode::OK,
        Bytes::from(body),
    ))
}

/// `family=windows|server|office`; all when absent or empty.
fn family(v: Option<&str>) -> Result<Option<Family>, ApiError> {
    match v {
        None | Some("") => Ok(None),
        Some(f) => f.parse::<Family>().map(Some).map_err(|_| {
            ApiError::bad(
                "bad_family",
                format!(
                    "family {:?} is not a product family: use windows, server or office.",
                    short(f)
                ),
            )
        }),
    }
}

/// `gvlk=1|true|0|false`; no whole keys when absent or empty.
fn gvlk(v: Option<&str>) -> Result<bool, ApiError> {
    match v {
        None | Some("" | "0" | "false") => Ok(false),
        Some("1" | "true") => Ok(true),
        Some(v) => Err(ApiError::bad(
            "bad_gvlk",
            format!("gvlk {:?} is not 1, true, 0 or false.", short(v)),
        )),
    }
}
