//! `volact key check`: the shape of a product key, printed redacted. The key is read from standard
//! input (without echo on a terminal), held only in memory, and never written anywhere.

use std::io::{IsTerminal, Read};

use anyhow::Context;
use serde::Serialize;
use volact_core::Lang;
use volact_core::key::{self, KeyCheck, KeyIssue};

use crate::Ctx;
use crate::args::{KeyCheckArgs, KeyFormat};
use crate::exit::Exit;

/// Longest input read as a key; anything longer is not a key and is not kept.
const MAX_KEY_INPUT: u64 = 4096;

#[derive(Serialize)]
struct KeyReport<'a> {
    schema_version: u32,
    #[serde(flatten)]
    check: &'a KeyCheck,
    messages: Vec<String>,
    related_codes: [&'static str; 2],
}

fn read_key(args: &KeyCheckArgs, lang: Lang) -> anyhow::Result<String> {
    if let Some(k) = &args.key {
        eprintln!(
            "{}",
            match lang {
                Lang::En =>
                    "volact: warning: a key given as an argument may be saved in your shell history; pipe it on standard input instead",
                Lang::ZhTw =>
                    "volact：警告：以參數提供的金鑰可能會留在命令列歷程記錄中；建議改由標準輸入傳入",
            }
        );
        return Ok(k.clone());
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let prompt = match lang {
            Lang::En => "Product key (not shown): ",
            Lang::ZhTw => "產品金鑰（輸入時不會顯示）：",
        };
        return rpassword::prompt_password(prompt).context("cannot read the key from the terminal");
    }
    let mut raw = Vec::new();
    stdin
        .lock()
        .take(MAX_KEY_INPUT)
        .read_to_end(&mut raw)
        .context("cannot read the key from standard input")?;
    // Keys pasted from Windows tools may arrive as UTF-16.
    let text = if raw.starts_with(&[0xFF, 0xFE]) || raw.starts_with(&[0xFE, 0xFF]) {
        let mut s = String::new();
        crate::input::for_each_chunk(&raw[..], |c| s.push_str(c))?;
        s
    } else {
        String::from_utf8_lossy(&raw).into_owned()
    };
    // One key per run: the first non-empty line.
    Ok(text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim_end_matches('\r')
        .to_owned())
}

fn describe(issue: &KeyIssue, lang: Lang) -> String {
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

pub(crate) fn check(ctx: &Ctx, args: KeyCheckArgs) -> anyhow::Result<Exit> {
    let typed = read_key(&args, ctx.lang)?;
    let result = key::check(&typed);
    drop(typed);
    let messages: Vec<String> = result
        .issues
        .iter()
        .map(|i| describe(i, ctx.lang))
        .collect();
    match args.format {
        KeyFormat::Json => super::print_json(&KeyReport {
            schema_version: volact_core::explain::SCHEMA_VERSION,
            check: &result,
            messages,
            related_codes: ["0xC004F050", "0x80070490"],
        })?,
        KeyFormat::Text => {
            let (k, verdict, issues, related) = match ctx.lang {
                Lang::En => (
                    "Key",
                    if result.exact {
                        "well-formed, typed exactly right"
                    } else if result.well_formed {
                        "well-formed once the problems below are fixed"
                    } else {
                        "not a valid product key"
                    },
                    "Problems",
                    "If Windows rejects it: volact explain 0xC004F050 0x80070490",
                ),
                Lang::ZhTw => (
                    "金鑰",
                    if result.exact {
                        "格式正確，輸入無誤"
                    } else if result.well_formed {
                        "修正下列問題後格式即正確"
                    } else {
                        "不是有效的產品金鑰格式"
                    },
                    "問題",
                    "若 Windows 仍拒絕此金鑰：volact explain 0xC004F050 0x80070490",
                ),
            };
            let mut out = format!(
                "{k}: {}\n{verdict}\n",
                if result.redacted.is_empty() {
                    "-"
                } else {
                    &result.redacted
                }
            );
            if !messages.is_empty() {
                out.push_str(&format!("\n{issues}:\n"));
                for m in &messages {
                    out.push_str(&format!("  - {m}\n"));
                }
            }
            out.push_str(&format!("\n{related}\n"));
            super::print(ctx, &out)?;
        }
    }
    Ok(if result.exact {
        Exit::Ok
    } else {
        Exit::Attention
    })
}
