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

/// Longest `q` accepted.
const MAX_QUERY: usize = 256;

/// `GET /api/v1/products?q=&family=&gvlk=&lang=`.
pub(crate) async fn handler(uri: Uri) -> Result<Response, ApiError> {
    let q = Query::parse(&uri)?;
    let lang = q.lang()?;
    let family = match q.get("family") {
        None | Some("") => None,
        Some(f) => Some(f.parse::<Family>().map_err(|_| {
            ApiError::bad(
                "bad_family",
                format!(
                    "family {:?} is not a product family: use windows, server or office.",
                    short(f)
                ),
            )
        })?),
    };
    let gvlk = match q.get("gvlk") {
        None | Some("" | "0" | "false") => false,
        Some("1" | "true") => true,
        Some(v) => {
            return Err(ApiError::bad(
                "bad_gvlk",
                format!("gvlk {:?} is not 1, true, 0 or false.", short(v)),
            ));
        }
    };
    let words = q.get("q").map(str::trim).filter(|w| !w.is_empty());
    if words.is_some_and(|w| w.chars().count() > MAX_QUERY) {
        return Err(ApiError::bad(
            "query_too_long",
            format!("q is longer than {MAX_QUERY} characters."),
        ));
    }
    let found: Vec<&'static products::Product> = match words {
        None => products::list(family),
        Some(w) => products::search(w)
            .into_iter()
            .filter(|p| family.is_none_or(|f| p.family == f))
            .collect(),
    };
    let doc = Doc::new(&found, lang, words, family, gvlk);
    let body = serde_json::to_vec(&doc).map_err(|_| ApiError::internal("the answer"))?;
    Ok(crate::state::json_response(
        axum::http::StatusCode::OK,
        Bytes::from(body),
    ))
}
