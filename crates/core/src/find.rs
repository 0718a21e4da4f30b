//! Finding error codes inside free text: pasted dialogs in English or Chinese, slmgr output,
//! `hr=0x...` fields, log lines.
//!
//! The rules, most certain first:
//! - `0x` followed by exactly eight hex digits is a code (`Error: 0xC004F074`, `hr=0x80072EE7`,
//!   `錯誤：0xC004F074`). Longer runs (`0x00007FF6A1B2C3D4`, addresses) and shorter ones are not:
//!   `slui 0x2a 0x87E10BC6` yields only `0x87E10BC6`, because `0x2a` is a slui switch.
//! - Eight hex digits without a prefix (`C004F074`) count when they stand alone, look like a failure
//!   or informational code, and the value is known to the knowledge base or the name tables; the
//!   first group of a GUID (`e23b33b0-c8c9-...`) never counts.
//! - Decimal forms (`-1073418124`, `3221549172`) count only when the value is known or named, so
//!   timestamps and counters are not reported as codes.
//! - A small decimal number (1 to 65535) counts as a Win32 error only right after a word for
//!   "error" (`error 1722`, `Error: 1722`, `error code 5`, `Fehler 1722`, `erreur`, `errore`,
//!   `錯誤 1722`, `错误代码 1722`, `エラー 1722`, `오류 1722`), and only when Windows names that
//!   error or the number is an activation event ID; other bare numbers are never codes.
//!
//! Full-width digits and letters (`０ｘＣ００４Ｆ０７４`, as typed with a Chinese input method)
//! are read as their ASCII twins.

use serde::Serialize;

use crate::code::{ErrorCode, Form};
use crate::kb;
use crate::names;

/// A code found in text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Found {
    /// The code.
    pub code: ErrorCode,
    /// How it was written.
    pub form: Form,
    /// Byte offset of the first character of the code in the text.
    pub start: usize,
    /// Byte offset just past the code.
    pub end: usize,
}

/// Whether a value is known to the knowledge base or any name table.
pub fn is_recognised(code: ErrorCode) -> bool {
    kb::lookup(code).is_some() || names::is_named(code.value())
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn hex_run(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .take_while(|b| b.is_ascii_hexdigit())
        .count()
}

/// Finds every code in `text`, in order of appearance (duplicates included).
///
/// ```
/// use volact_core::find::find_codes;
/// let found = find_codes("slui 0x2a 0x87E10BC6 / 錯誤: 0xC004F074");
/// let codes: Vec<String> = found.iter().map(|f| f.code.to_string()).collect();
/// assert_eq!(codes, ["0x87E10BC6", "0xC004F074"]);
/// ```
pub fn find_codes(text: &str) -> Vec<Found> {
    let mut out = Vec::new();
    find_codes_with(text, |f| {
        out.push(f);
        true
    });
    out
}

/// Calls `sink` for every code in `text`, in order; stops early when `sink` returns `false`.
pub fn find_codes_with(text: &str, mut sink: impl FnMut(Found) -> bool) {
    if text.bytes().any(|b| b == 0xEF) && has_fullwidth(text) {
        // Rare: map full-width ASCII to ASCII, then translate offsets back.
        let (ascii, map) = fold_fullwidth(text);
        scan(&ascii, &mut |mut f: Found| {
            f.start = map[f.start];
            f.end = map[f.end];
            sink(f)
        });
    } else {
        scan(text, &mut sink);
    }
}

fn has_fullwidth(text: &str) -> bool {
    text.chars().any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c))
}

/// Replaces full-width ASCII characters by ASCII and returns, for each byte offset of the result
/// (and one past the end), the matching offset in the original.
fn fold_fullwidth(text: &str) -> (String, Vec<usize>) {
    let mut s = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    for (i, c) in text.char_indices() {
        let c2 = if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
            char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c)
        } else {
            c
        };
        for _ in 0..c2.len_utf8() {
            map.push(i);
        }
        s.push(c2);
    }
    map.push(text.len());
    (s, map)
}

/// Words for "error" after which a small decimal number is a Win32 error (ASCII ones matched
/// without regard to case, at the start of a word).
const ERROR_WORDS: &[&str] = &[
    "errore",
    "erreur",
    "error",
    "fehler",
    "錯誤",
    "错误",
    "エラー",
    "오류",
];
/// Words for "code" that may stand between the word for "error" and the number.
const CODE_WORDS: &[&str] = &[
    "code",
    "no.",
    "nr.",
    "碼",
    "码",
    "代碼",
    "代码",
    "コード",
    "코드",
];

fn starts_with_ci(b: &[u8], word: &str) -> bool {
    b.len() >= word.len() && b[..word.len()].eq_ignore_ascii_case(word.as_bytes())
}

/// Skips separators between a word for "error" and its number: white space, `:`, `=`, `#`, `(`,
/// `[`, quotes, and their full-width forms.
fn skip_separators(text: &str, mut i: usize) -> usize {
    for c in text[i..].chars() {
        if c.is_whitespace()
            || matches!(
                c,
                ':' | '=' | '#' | '(' | '[' | '"' | '\'' | '：' | '（' | '「' | '＃'
            )
        {
            i += c.len_utf8();
        } else {
            break;
        }
    }
    i
}

/// At `i`, a word for "error" followed by a small decimal number: the number's span and value.
fn error_number_at(text: &str, i: usize) -> Option<(usize, usize, u32)> {
    let b = text.as_bytes();
    // Longer words first where one begins another ("errore" before "error").
    let word = ERROR_WORDS.iter().find(|w| starts_with_ci(&b[i..], w))?;
    let after = i + word.len();
    // The ASCII words must end there ("errors 5", "errorlevel 1" are not it).
    if word.is_ascii() && after < b.len() && is_word(b[after]) {
        return None;
    }
    let mut j = skip_separators(text, after);
    if let Some(cw) = CODE_WORDS.iter().find(|w| starts_with_ci(&b[j..], w)) {
        let end = j + cw.len();
        if !(cw.is_ascii() && cw.ends_with(|c: char| c.is_ascii_alphabetic()))
            || end >= b.len()
            || !is_word(b[end])
        {
            j = skip_separators(text, end);
        }
    }
    let digits = b[j..].iter().take_while(|x| x.is_ascii_digit()).count();
    if digits == 0 || digits > 5 {
        return None;
    }
    let end = j + digits;
    // Not part of a longer token: a word, a version, a date, a time, a hex number, a range.
    if end < b.len()
        && (is_word(b[end])
            || (matches!(b[end], b'.' | b',' | b'-' | b'/' | b':')
                && end + 1 < b.len()
                && b[end + 1].is_ascii_digit()))
    {
        return None;
    }
    let v: u32 = text[j..end].parse().ok()?;
    if !(1..=0xFFFF).contains(&v) {
        return None;
    }
    let code = ErrorCode::from_win32(v as u16);
    (names::is_named(code.value()) || kb::lookup(code).is_some() || crate::event_id::is_event_id(v))
        .then_some((j, end, v))
}

fn scan(text: &str, sink: &mut dyn FnMut(Found) -> bool) {
    let b = text.as_bytes();
    let n = b.len();
    let mut i = 0;
    while i < n {
        let c = b[i];
        let prev_word = i > 0 && is_word(b[i - 1]);
        // A word for "error" and a small decimal number: a Win32 error.
        if !prev_word
            && matches!(c | 0x20, b'e' | b'f') | (c >= 0xE3)
            && let Some((start, end, v)) = error_number_at(text, i)
        {
            if !sink(Found {
                code: ErrorCode::from_win32(v as u16),
                form: Form::Win32Decimal,
                start,
                end,
            }) {
                return;
            }
            i = end;
            continue;
        }
        // 0x + hex digits.
        if c == b'0' && i + 1 < n && (b[i + 1] | 0x20) == b'x' && !prev_word {
            let run = hex_run(b, i + 2);
            let end = i + 2 + run;
            let next_word = end < n && is_word(b[end]);
            if run == 8 && !next_word {
                let v = u32::from_str_radix(&text[i + 2..end], 16).expect("8 hex digits");
                if !sink(Found {
                    code: ErrorCode::new(v),
                    form: Form::PrefixedHex,
                    start: i,
                    end,
                }) {
                    return;
                }
            }
            i = end.max(i + 2);
            while i < n && is_word(b[i]) {
                i += 1;
            }
            continue;
        }
        if prev_word {
            i += 1;
            continue;
        }
        // A word starting here: bare hex or decimal.
        if c.is_ascii_hexdigit() {
            let run = hex_run(b, i);
            let end = i + run;
            let next_word = end < n && is_word(b[end]);
            if run == 8 && !next_word {
                let in_guid =
                    (end < n && b[end] == b'-' && end + 1 < n && b[end + 1].is_ascii_hexdigit())
                        || (i > 0 && matches!(b[i - 1], b'-' | b'{'));
                let has_letter = b[i..end].iter().any(u8::is_ascii_alphabetic);
                if !in_guid && has_letter {
                    let v = u32::from_str_radix(&text[i..end], 16).expect("8 hex digits");
                    let code = ErrorCode::new(v);
                    if v >> 30 != 0 && is_recognised(code) {
                        if !sink(Found {
                            code,
                            form: Form::BareHex,
                            start: i,
                            end,
                        }) {
                            return;
                        }
                        i = end;
                        continue;
                    }
                }
            }
            if c.is_ascii_digit() {
                let digits = b[i..].iter().take_while(|x| x.is_ascii_digit()).count();
                let dend = i + digits;
                if digits == 10 && !(dend < n && is_word(b[dend])) {
                    let negative = i > 0 && b[i - 1] == b'-' && (i < 2 || !is_word(b[i - 2]));
                    let parsed: Option<(u32, Form, usize)> = if negative {
                        text[i..dend]
                            .parse::<i64>()
                            .ok()
                            .filter(|v| *v <= 1 << 31)
                            .map(|v| ((-v) as i32 as u32, Form::SignedDecimal, i - 1))
                    } else {
                        text[i..dend]
                            .parse::<u64>()
                            .ok()
                            .and_then(|v| u32::try_from(v).ok())
                            .filter(|v| *v >= 0x8000_0000)
                            .map(|v| (v, Form::UnsignedDecimal, i))
                    };
                    if let Some((v, form, start)) = parsed {
                        let code = ErrorCode::new(v);
                        if is_recognised(code)
                            && !sink(Found {
                                code,
                                form,
                                start,
                                end: dend,
                            })
                        {
                            return;
                        }
                    }
                }
            }
            i = end.max(i + 1);
            while i < n && is_word(b[i]) {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
}

/// Distinct codes of `text` in order of first appearance.
pub fn distinct_codes(text: &str) -> Vec<ErrorCode> {
    let mut seen = std::collections::HashSet::new();
    find_codes(text)
        .into_iter()
        .filter(|f| seen.insert(f.code))
        .map(|f| f.code)
        .collect()
}

#[cfg(test)]
mod tests;
