//! `POST /api/v1/keys/check`: the shape of a product key, answered redacted, as
//! `volact key check --format json`. The key is held only in memory for the check, never logged
//! and never echoed, also not in errors about a malformed body.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use volact_core::Lang;
use volact_core::key::{self, KeyCheck, KeyIssue};

use crate::AppState;
use crate::error::{ApiError, json_error};
use crate::request::{Query, check_length, is_json, media_type, read_body, require_body};

/// Longest key text accepted, in characters (the CLI reads at most this many bytes).
pub const MAX_KEY_INPUT: usize = 4096;

/// The JSON of `volact key check --format json`.
#[derive(Serialize)]
struct KeyReport<'a> {
    schema_version: u32,
    #[serde(flatten)]
    check: &'a KeyCheck,
    messages: Vec<String>,
    related_codes: [&'static str; 2],
}

#[derive(Deserialize)]
struct KeyBody {
    key: String,
}

/// The messages `volact key check` gives for each issue (kept identical to the CLI's; a CLI test
/// compares the two outputs).
pub(crate) fn describe(issue: &KeyIssue, lang: Lang) -> String {
    match (issue, lang) {
        (KeyIssue::Empty, Lang::En) => "no key was given".into(),
        (KeyIssue::Empty, Lang::ZhTw) => "沒有輸入金鑰".into(),
        (KeyIssue::SurroundingWhitespace, Lang::En) => {
            "spaces or line breaks around the key (harmless once removed)".into()
        }
        (KeyIssue::SurroundingWhitespace, Lang::ZhTw) => "金鑰前後有空白或換行（移除即可）".into(),
        (KeyIssue::InnerWhitespace { count }, Lang::En) => {
            format!("{count} space(s) inside the key: type the groups joined by hyphens only")
        }
        (KeyIssue::InnerWhitespace { count }, Lang::ZhTw) => {
            format!("金鑰中間有 {count} 個空白：各組之間只能用連字號連接")
        }
        (
            KeyIssue::WrongDash {
                position,
                codepoint,
                name,
            },
            Lang::En,
        ) => format!(
            "position {position}: {name} ({codepoint}) instead of the hyphen '-' (common when a key is copied from a document or e-mail)"
        ),
        (
            KeyIssue::WrongDash {
                position,
                codepoint,
                name,
            },
            Lang::ZhTw,
        ) => format!(
            "第 {position} 個字元：{name}（{codepoint}）不是連字號 '-'（從文件或郵件複製金鑰時常見）"
        ),
        (KeyIssue::FullWidth { count }, Lang::En) => format!(
            "{count} full-width character(s), as a Chinese or Japanese input method types them: switch to half-width input"
        ),
        (KeyIssue::FullWidth { count }, Lang::ZhTw) => {
            format!("有 {count} 個全形字元：請切換為半形輸入")
        }
        (KeyIssue::Lowercase { count }, Lang::En) => format!(
            "{count} lower-case letter(s): keys are upper case (Windows usually accepts either)"
        ),
        (KeyIssue::Lowercase { count }, Lang::ZhTw) => {
            format!("有 {count} 個小寫字母：金鑰一律為大寫（Windows 通常兩者都接受）")
        }
        (
            KeyIssue::InvalidCharacter {
                position,
                character,
                maybe,
            },
            Lang::En,
        ) => {
            let hint = if maybe.is_empty() {
                String::new()
            } else {
                format!("; check the source, it is often a misread {maybe}")
            };
            format!("position {position}: '{character}' never appears in product keys{hint}")
        }
        (
            KeyIssue::InvalidCharacter {
                position,
                character,
                maybe,
            },
            Lang::ZhTw,
        ) => {
            let hint = if maybe.is_empty() {
                String::new()
            } else {
                format!("；請核對來源，常是 {maybe} 看錯")
            };
            format!("第 {position} 個字元：產品金鑰不會出現 '{character}'{hint}")
        }
        (KeyIssue::WrongShape { groups }, Lang::En) => format!(
            "expected 5 groups of 5 characters (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX), found groups of {groups:?}"
        ),
        (KeyIssue::WrongShape { groups }, Lang::ZhTw) => format!(
            "應為 5 組、每組 5 個字元（XXXXX-XXXXX-XXXXX-XXXXX-XXXXX），實際各組長度為 {groups:?}"
        ),
    }
}

/// Checks `typed` the way `volact key check` checks the first non-empty line of its input, and
/// returns the JSON the CLI prints (pretty, with a final newline).
pub fn check_json(typed: &str, lang: Lang) -> String {
    let line = typed
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim_end_matches('\r');
    let result = key::check(line);
    let messages: Vec<String> = result.issues.iter().map(|i| describe(i, lang)).collect();
    let mut s = serde_json::to_string_pretty(&KeyReport {
        schema_version: volact_core::explain::SCHEMA_VERSION,
        check: &result,
        messages,
        related_codes: ["0xC004F050", "0x80070490"],
    })
    .unwrap_or_default();
    s.push('\n');
    // The report holds only the redacted form (and the messages only positions and characters).
    s
}

/// `POST /api/v1/keys/check?lang=`: `{"key": "..."}` (or the key as `text/plain`).
pub(crate) async fn handler(
    State(st): State<Arc<AppState>>,
    req: Request,
) -> Result<Response, ApiError> {
    let (parts, body) = req.into_parts();
    let lang = Query::parse(&parts.uri)?.lang()?;
    let json = match media_type(&parts.headers).as_deref() {
        None => true,
        Some("text/plain") => false,
        Some(mt) if is_json(mt) => true,
        Some(_) => {
            return Err(ApiError::unsupported_type(
                "application/json {\"key\": \"...\"} or text/plain",
            ));
        }
    };
    let limit = st.cfg.max_text.min(64 * 1024);
    check_length(&parts.headers, limit)?;
    let bytes = read_body(body, limit, st.cfg.body_timeout).await?;
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
    Ok(crate::json_response(StatusCode::OK, out.into()))
}
