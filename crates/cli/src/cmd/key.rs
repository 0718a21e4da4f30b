//! `volact key check`: the shape of a product key, printed redacted. The key is read from standard
//! input (without echo on a terminal), held only in memory, and never written anywhere.

use std::io::{IsTerminal, Read};

use anyhow::Context;
use volact_core::Lang;
use volact_core::key;

use crate::Ctx;
use crate::args::{Format, KeyCheckArgs};
use crate::exit::Exit;

/// Longest input read as a key; anything longer is not a key and is not kept.
const MAX_KEY_INPUT: u64 = 4096;

fn read_key(args: &KeyCheckArgs, lang: Lang) -> anyhow::Result<String> {
    if let Some(k) = &args.key {
        eprintln!(
            "{}",
            lang.pick(
                "volact: warning: a key given as an argument may be saved in your shell history; pipe it on standard input instead",
                "volact：警告：以參數提供的金鑰可能會留在命令列歷程記錄中；建議改由標準輸入傳入",
            )
        );
        return Ok(k.clone());
    }
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        let prompt = lang.pick("Product key (not shown): ", "產品金鑰（輸入時不會顯示）：");
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

pub(crate) fn check(ctx: &Ctx, args: KeyCheckArgs) -> anyhow::Result<Exit> {
    let typed = read_key(&args, ctx.lang)?;
    let report = key::report(&typed, ctx.lang);
    drop(typed);
    let (result, messages) = (&report.check, &report.messages);
    match args.format {
        Format::Json => super::print_json(&report)?,
        // clap accepts text and json only here.
        Format::Text | Format::Ndjson | Format::Csv | Format::Markdown => {
            let (k, verdict, issues, related) = ctx.lang.pick(
                (
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
                (
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
            );
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
                for m in messages {
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
