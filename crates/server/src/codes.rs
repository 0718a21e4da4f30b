//! `GET /api/v1/codes/{code}` and `GET /api/v1/codes`: one explanation, and the catalogue.
//!
//! Every knowledge-base code is serialised once, at start-up, in both languages and every input
//! form, so a lookup of a known code is a parse, a hash lookup and a reference-counted clone.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::Path;
use axum::extract::rejection::PathRejection;
use axum::http::Uri;
use axum::response::Response;
use bytes::Bytes;
use serde::Serialize;
use volact_core::explain::{self, Explanation};
use volact_core::kb::{self, ActivationType};
use volact_core::{ErrorCode, Form, Lang};

use crate::error::ApiError;
use crate::request::{Query, short};

/// The single-code answer: the explanation `volact explain --format json` gives for that code
/// (one element of its `results`), with the report's `schema_version` added.
#[derive(Serialize)]
struct One<'a> {
    schema_version: u32,
    #[serde(flatten)]
    explanation: &'a Explanation,
}

const FORMS: [Form; 7] = [
    Form::PrefixedHex,
    Form::BareHex,
    Form::SignedDecimal,
    Form::UnsignedDecimal,
    Form::Win32Decimal,
    Form::Win32Hex,
    Form::Name,
];

fn form_index(f: Form) -> u8 {
    match f {
        Form::PrefixedHex => 0,
        Form::BareHex => 1,
        Form::SignedDecimal => 2,
        Form::UnsignedDecimal => 3,
        Form::Win32Decimal => 4,
        Form::Win32Hex => 5,
        Form::Name => 6,
    }
}

fn lang_index(l: Lang) -> usize {
    match l {
        Lang::En => 0,
        Lang::ZhTw => 1,
    }
}

fn type_index(t: Option<ActivationType>) -> usize {
    match t {
        None => 0,
        Some(ActivationType::Mak) => 1,
        Some(ActivationType::KmsClient) => 2,
        Some(ActivationType::KmsHost) => 3,
    }
}

/// Serialised answers computed once.
pub(crate) struct Cache {
    one: HashMap<(u32, u8, u8), Bytes>,
    lists: [[Bytes; 4]; 2],
}

static CACHE: OnceLock<Cache> = OnceLock::new();

/// The cache, built on first use (the router forces it at start-up).
pub(crate) fn cache() -> &'static Cache {
    CACHE.get_or_init(Cache::build)
}

fn catalog_json(c: &volact_core::catalog::Catalog) -> Bytes {
    Bytes::from(serde_json::to_vec(c).unwrap_or_default())
}

fn one_json(code: ErrorCode, form: Form, lang: Lang) -> Bytes {
    let e = explain::explain(code, form, lang);
    let v = serde_json::to_vec(&One {
        schema_version: explain::SCHEMA_VERSION,
        explanation: &e,
    })
    .unwrap_or_default();
    Bytes::from(v)
}

impl Cache {
    fn build() -> Self {
        let mut one = HashMap::new();
        for e in kb::entries() {
            for code in std::iter::once(e.code).chain(e.aliases.iter().copied()) {
                for form in FORMS {
                    for lang in Lang::ALL {
                        one.insert(
                            (code.value(), form_index(form), lang_index(lang) as u8),
                            one_json(code, form, lang),
                        );
                    }
                }
            }
        }
        let list = |lang: Lang, ty: Option<ActivationType>| {
            catalog_json(&volact_core::catalog::list(lang, ty))
        };
        let types = [
            None,
            Some(ActivationType::Mak),
            Some(ActivationType::KmsClient),
            Some(ActivationType::KmsHost),
        ];
        let lists = Lang::ALL.map(|lang| types.map(|t| list(lang, t)));
        Self { one, lists }
    }

    /// How many single-code answers are precomputed.
    pub(crate) fn len(&self) -> usize {
        self.one.len()
    }
}

/// Reads a code the way `volact explain` reads one argument: any numeric form, or a symbolic
/// name (knowledge base first, then Windows' name tables). Free text is not searched here.
pub(crate) fn parse_code(s: &str) -> Result<(ErrorCode, Form), ApiError> {
    if s.trim() != s {
        return Err(ApiError::bad(
            "bad_code",
            "The code has spaces or line breaks around it; send the code alone.",
        ));
    }
    let bad = |why: String| {
        ApiError::bad(
            "bad_code",
            format!(
                "{why}; nor is it a symbolic name such as SL_E_VL_INVALID_TIMESTAMP, or a small Win32 error number such as 1722."
            ),
        )
    };
    match ErrorCode::parse_with_form(s) {
        Ok(cf) => Ok(cf),
        Err(e) => {
            if let Some(code) = kb::by_name(s)
                .map(|e| e.code)
                .or_else(|| volact_core::names::code_of(s))
            {
                Ok((code, Form::Name))
            } else {
                Err(bad(e.to_string()))
            }
        }
    }
}

fn json(body: Bytes) -> Response {
    crate::state::json_response(axum::http::StatusCode::OK, body)
}

/// `GET /api/v1/codes/{code}`.
pub(crate) async fn one(
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let Path(raw) =
        path.map_err(|_| ApiError::bad("bad_code", "The code in the path cannot be decoded."))?;
    let lang = Query::parse(&uri)?.lang()?;
    let (code, form) = parse_code(&raw)?;
    let key = (code.value(), form_index(form), lang_index(lang) as u8);
    if let Some(b) = cache().one.get(&key) {
        return Ok(json(b.clone()));
    }
    Ok(json(one_json(code, form, lang)))
}

/// Longest `q` accepted.
const MAX_QUERY: usize = 256;

/// `GET /api/v1/codes?type=&q=&lang=`.
pub(crate) async fn list(uri: Uri) -> Result<Response, ApiError> {
    let q = Query::parse(&uri)?;
    let lang = q.lang()?;
    let ty = match q.get("type") {
        None | Some("") => None,
        Some(t) => Some(
            ActivationType::ALL
                .into_iter()
                .find(|a| a.id() == t)
                .ok_or_else(|| {
                    ApiError::bad(
                        "bad_type",
                        format!(
                            "type {:?} is not an activation type: use mak, kms-client or kms-host.",
                            short(t)
                        ),
                    )
                })?,
        ),
    };
    let words = q.get("q").map(str::trim).filter(|w| !w.is_empty());
    let Some(words) = words else {
        return Ok(json(
            cache().lists[lang_index(lang)][type_index(ty)].clone(),
        ));
    };
    if words.chars().count() > MAX_QUERY {
        return Err(ApiError::bad(
            "query_too_long",
            format!("q is longer than {MAX_QUERY} characters."),
        ));
    }
    // The answer repeats the query: a product key in it is masked first (and so never searched
    // for either).
    let words = crate::redact::scrub(words);
    Ok(json(catalog_json(&volact_core::catalog::search(
        lang, &words, ty,
    ))))
}
