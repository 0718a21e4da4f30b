//! A key check in words, in both languages: the phrases of the key module.

use serde::Serialize;

use super::shape::{KeyCheck, KeyIssue, check};

/// Codes worth reading when Windows rejects a key whose shape is right.
pub const RELATED_CODES: [&str; 2] = ["0xC004F050", "0x80070490"];

impl KeyIssue {
    /// The issue in words, in `lang`.
    pub fn describe(&self, lang: crate::Lang) -> String {
        match self {
            KeyIssue::Empty => lang.pick("no key was given", "沒有輸入金鑰").into(),
            KeyIssue::SurroundingWhitespace => lang
                .pick(
                    "spaces or line breaks around the key (harmless once removed)",
                    "金鑰前後有空白或換行（移除即可）",
                )
                .into(),
            KeyIssue::InnerWhitespace { count } => lang.pick(
                format!("{count} space(s) inside the key: type the groups joined by hyphens only"),
                format!("金鑰中間有 {count} 個空白：各組之間只能用連字號連接"),
            ),
            KeyIssue::WrongDash {
                position,
                codepoint,
                name,
            } => lang.pick(
                format!(
                    "position {position}: {name} ({codepoint}) instead of the hyphen '-' (common when a key is copied from a document or e-mail)"
                ),
                format!(
                    "第 {position} 個字元：{name}（{codepoint}）不是連字號 '-'（從文件或郵件複製金鑰時常見）"
                ),
            ),
            KeyIssue::FullWidth { count } => lang.pick(
                format!(
                    "{count} full-width character(s), as a Chinese or Japanese input method types them: switch to half-width input"
                ),
                format!("有 {count} 個全形字元：請切換為半形輸入"),
            ),
            KeyIssue::Lowercase { count } => lang.pick(
                format!(
                    "{count} lower-case letter(s): keys are upper case (Windows usually accepts either)"
                ),
                format!("有 {count} 個小寫字母：金鑰一律為大寫（Windows 通常兩者都接受）"),
            ),
            KeyIssue::InvalidCharacter {
                position,
                character,
                maybe,
            } => {
                let hint = if maybe.is_empty() {
                    String::new()
                } else {
                    lang.pick(
                        format!("; check the source, it is often a misread {maybe}"),
                        format!("；請核對來源，常是 {maybe} 看錯"),
                    )
                };
                lang.pick(
                    format!(
                        "position {position}: '{character}' never appears in product keys{hint}"
                    ),
                    format!("第 {position} 個字元：產品金鑰不會出現 '{character}'{hint}"),
                )
            }
            KeyIssue::WrongShape { groups } => lang.pick(
                format!(
                    "expected 5 groups of 5 characters (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX), found groups of {groups:?}"
                ),
                format!(
                    "應為 5 組、每組 5 個字元（XXXXX-XXXXX-XXXXX-XXXXX-XXXXX），實際各組長度為 {groups:?}"
                ),
            ),
        }
    }
}

/// What `volact key check --format json` and `POST /api/v1/keys/check` answer: only the redacted
/// key, never the key itself.
#[derive(Clone, Debug, Serialize)]
pub struct KeyReport {
    /// The JSON schema version (`explain::SCHEMA_VERSION`).
    pub schema_version: u32,
    /// The check.
    #[serde(flatten)]
    pub check: KeyCheck,
    /// Each issue in words, in the report's language.
    pub messages: Vec<String>,
    /// [`RELATED_CODES`].
    pub related_codes: [&'static str; 2],
}

/// Checks `typed` and describes its issues in `lang`.
pub fn report(typed: &str, lang: crate::Lang) -> KeyReport {
    let check = check(typed);
    let messages = check.issues.iter().map(|i| i.describe(lang)).collect();
    KeyReport {
        schema_version: crate::explain::SCHEMA_VERSION,
        check,
        messages,
        related_codes: RELATED_CODES,
    }
}
