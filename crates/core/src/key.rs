//! Product keys: shape checks and redaction.
//!
//! A Windows product key is five groups of five characters joined by ASCII hyphens
//! (`XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`). Keys use a 24-character alphabet without the letters and
//! digits that are easy to confuse (no A, E, I, L, O, S, U, Z, 0, 1, 5), plus `N`, which appears in
//! keys since Windows 8. Keys are secrets: nothing in this module keeps, logs or prints a whole key;
//! [`redact`] keeps only the last five characters, which is what Windows itself shows as the
//! "partial product key".
//!
//! Related codes: 0xC004F050 (the key is not valid) and 0x80070490 (a mistyped MAK).

use serde::Serialize;

/// Characters a product key can contain.
pub const ALPHABET: &str = "BCDFGHJKMNPQRTVWXY2346789";

/// What is wrong, or worth knowing, about a typed key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum KeyIssue {
    /// Nothing was given.
    Empty,
    /// Leading or trailing spaces, tabs or line breaks (harmless once trimmed).
    SurroundingWhitespace,
    /// Spaces inside the key.
    InnerWhitespace {
        /// How many.
        count: usize,
    },
    /// A dash that is not the ASCII hyphen-minus: en dash, em dash, full-width hyphen, minus sign...
    WrongDash {
        /// 1-based position in the typed key.
        position: usize,
        /// The Unicode code point, as `U+2013`.
        codepoint: String,
        /// Its usual name.
        name: &'static str,
    },
    /// Full-width letters or digits, as a Chinese or Japanese input method types them.
    FullWidth {
        /// How many.
        count: usize,
    },
    /// Lower-case letters (Windows accepts them, but a copy from a document may hide other damage).
    Lowercase {
        /// How many.
        count: usize,
    },
    /// A character that never occurs in product keys.
    InvalidCharacter {
        /// 1-based position in the typed key.
        position: usize,
        /// The character, shown only when it is not a key character itself (never a key digit).
        character: String,
        /// Valid characters it is commonly mistaken for.
        maybe: &'static str,
    },
    /// Not five groups of five.
    WrongShape {
        /// The lengths of the groups found.
        groups: Vec<usize>,
    },
}

/// The result of checking a key. Holds only the redacted form, never the key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyCheck {
    /// The key as Windows would want it typed, redacted: `*****-*****-*****-*****-ABCDE`.
    pub redacted: String,
    /// Whether the key has the right shape and characters once trivial problems (spaces, case,
    /// full-width forms, wrong dashes) are repaired.
    pub well_formed: bool,
    /// Whether it was already exactly right as typed.
    pub exact: bool,
    /// Everything found, in the order met.
    pub issues: Vec<KeyIssue>,
}

fn dash_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2010}' => "hyphen",
        '\u{2011}' => "non-breaking hyphen",
        '\u{2012}' => "figure dash",
        '\u{2013}' => "en dash",
        '\u{2014}' => "em dash",
        '\u{2015}' => "horizontal bar",
        '\u{2212}' => "minus sign",
        '\u{FE58}' => "small em dash",
        '\u{FE63}' => "small hyphen-minus",
        '\u{FF0D}' => "full-width hyphen-minus",
        '\u{30FC}' => "katakana prolonged sound mark",
        '\u{2E3A}' | '\u{2E3B}' => "long dash",
        '_' => "underscore",
        _ => return None,
    })
}

fn confusable(c: char) -> &'static str {
    match c {
        'O' | '0' => "D, Q",
        'I' | 'L' | '1' => "T, 7",
        'S' | '5' => "6, 9",
        'Z' => "2",
        'U' => "V",
        'A' => "4",
        'E' => "F",
        _ => "",
    }
}

/// Redacts anything key-like: keeps the last five characters, masks the rest with `*`, keeping the
/// dashes where they were. Strings of five characters or fewer are masked entirely.
///
/// ```
/// assert_eq!(volact_core::key::redact("ABCDE-FGHIJ-KLMNO-PQRST-VWXY2"), "*****-*****-*****-*****-VWXY2");
/// ```
pub fn redact(key: &str) -> String {
    let chars: Vec<char> = key.trim().chars().collect();
    let significant: Vec<usize> = chars
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_alphanumeric())
        .map(|(i, _)| i)
        .collect();
    let keep_from = if significant.len() > 5 {
        significant[significant.len() - 5]
    } else {
        usize::MAX
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i >= keep_from || !c.is_alphanumeric() {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

/// Checks a typed product key. The returned value holds only the redacted key.
pub fn check(typed: &str) -> KeyCheck {
    let mut issues = Vec::new();
    if typed.trim().is_empty() {
        return KeyCheck {
            redacted: String::new(),
            well_formed: false,
            exact: false,
            issues: vec![KeyIssue::Empty],
        };
    }
    if typed.trim() != typed {
        issues.push(KeyIssue::SurroundingWhitespace);
    }
    let inner_ws = typed.trim().chars().filter(|c| c.is_whitespace()).count();
    if inner_ws > 0 {
        issues.push(KeyIssue::InnerWhitespace { count: inner_ws });
    }
    let mut fullwidth = 0;
    let mut lowercase = 0;
    let mut bad_chars = false;
    // Repaired key: ASCII upper-case, ASCII hyphens, no spaces.
    let mut repaired = String::new();
    for (pos, c) in typed.trim().chars().enumerate() {
        let position = pos + 1;
        if c.is_whitespace() {
            continue;
        }
        if c == '-' {
            repaired.push('-');
            continue;
        }
        if let Some(name) = dash_name(c) {
            issues.push(KeyIssue::WrongDash {
                position,
                codepoint: format!("U+{:04X}", c as u32),
                name,
            });
            repaired.push('-');
            continue;
        }
        let mut a = c;
        if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
            fullwidth += 1;
            a = char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c);
        }
        if a.is_ascii_lowercase() {
            lowercase += 1;
            a = a.to_ascii_uppercase();
        }
        if !ALPHABET.contains(a) {
            bad_chars = true;
            let shown = if a.is_ascii_graphic() {
                a.to_string()
            } else {
                format!("U+{:04X}", c as u32)
            };
            issues.push(KeyIssue::InvalidCharacter {
                position,
                character: shown,
                maybe: confusable(a),
            });
        }
        repaired.push(a);
    }
    if fullwidth > 0 {
        issues.push(KeyIssue::FullWidth { count: fullwidth });
    }
    if lowercase > 0 {
        issues.push(KeyIssue::Lowercase { count: lowercase });
    }
    let groups: Vec<usize> = repaired.split('-').map(|g| g.chars().count()).collect();
    let shape_ok = groups == [5, 5, 5, 5, 5];
    if !shape_ok {
        issues.push(KeyIssue::WrongShape { groups });
    }
    let well_formed = shape_ok && !bad_chars;
    KeyCheck {
        redacted: redact(&repaired),
        well_formed,
        exact: well_formed && issues.is_empty(),
        issues,
    }
}

/// Finds 5x5 key-shaped runs in `text` and masks all but the last five characters of each, so logs and
/// reports never carry a whole key. Dashes may be any of the dash look-alikes above.
pub fn redact_keys_in(text: &str) -> std::borrow::Cow<'_, str> {
    let spans = if text.is_ascii() {
        // Every key has four dashes; ASCII text (nearly every line of a report) is read as
        // bytes, without a table of characters.
        if text.bytes().filter(|&b| b == b'-').count() < 4 {
            return std::borrow::Cow::Borrowed(text);
        }
        let b = text.as_bytes();
        key_spans(b.len(), text.len(), |i| (i, char::from(b[i])))
    } else {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        key_spans(chars.len(), text.len(), |i| chars[i])
    };
    if spans.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (s, e) in spans {
        out.push_str(&text[last..s]);
        out.push_str(&redact(&text[s..e]));
        last = e;
    }
    out.push_str(&text[last..]);
    std::borrow::Cow::Owned(out)
}

/// The byte ranges of the key-shaped runs among `n` characters; `at(i)` is the byte offset and
/// the character of the `i`-th one, `len` the text's length in bytes.
fn key_spans(n: usize, len: usize, at: impl Fn(usize) -> (usize, char)) -> Vec<(usize, usize)> {
    let is_key_char = |c: char| c.is_ascii_alphanumeric();
    let is_dash = |c: char| c == '-' || dash_name(c).is_some_and(|_| c != '_');
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < n {
        // A key starts at a word boundary.
        if is_key_char(at(i).1) && (i == 0 || !is_key_char(at(i - 1).1)) {
            let mut j = i;
            let mut ok = true;
            for g in 0..5 {
                for _ in 0..5 {
                    if j < n && is_key_char(at(j).1) {
                        j += 1;
                    } else {
                        ok = false;
                        break;
                    }
                }
                if !ok {
                    break;
                }
                if g < 4 {
                    if j < n && is_dash(at(j).1) {
                        j += 1;
                    } else {
                        ok = false;
                        break;
                    }
                }
            }
            if ok && (j == n || !is_key_char(at(j).1)) {
                let start = at(i).0;
                let end = if j < n { at(j).0 } else { len };
                spans.push((start, end));
                i = j;
                continue;
            }
        }
        i += 1;
    }
    spans
}

/// Codes worth reading when Windows rejects a key whose shape is right.
pub const RELATED_CODES: [&str; 2] = ["0xC004F050", "0x80070490"];

impl KeyIssue {
    /// The issue in words, in `lang`.
    pub fn describe(&self, lang: crate::Lang) -> String {
        use crate::Lang;
        match (self, lang) {
            (KeyIssue::Empty, Lang::En) => "no key was given".into(),
            (KeyIssue::Empty, Lang::ZhTw) => "沒有輸入金鑰".into(),
            (KeyIssue::SurroundingWhitespace, Lang::En) => {
                "spaces or line breaks around the key (harmless once removed)".into()
            }
            (KeyIssue::SurroundingWhitespace, Lang::ZhTw) => {
                "金鑰前後有空白或換行（移除即可）".into()
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    // A made-up key in the right alphabet; not a real product key.
    const KEY: &str = "BCDFG-HJKMN-PQRTV-WXY23-46789";

    #[test]
    fn good_key() {
        let c = check(KEY);
        assert!(c.well_formed && c.exact, "{c:?}");
        assert_eq!(c.redacted, "*****-*****-*****-*****-46789");
    }

    #[test]
    fn wrong_dashes_are_found_and_repaired() {
        let c = check("BCDFG\u{2013}HJKMN\u{2014}PQRTV\u{FF0D}WXY23-46789");
        assert!(c.well_formed && !c.exact);
        let dashes: Vec<_> = c
            .issues
            .iter()
            .filter_map(|i| match i {
                KeyIssue::WrongDash { name, position, .. } => Some((*name, *position)),
                _ => None,
            })
            .collect();
        assert_eq!(
            dashes,
            [
                ("en dash", 6),
                ("em dash", 12),
                ("full-width hyphen-minus", 18)
            ]
        );
    }

    #[test]
    fn spaces_lowercase_fullwidth() {
        let c = check("  bcdfg-hjkmn-pqrtv-wxy23-４６７８９ \n");
        assert!(c.well_formed);
        assert!(c.issues.contains(&KeyIssue::SurroundingWhitespace));
        assert!(c.issues.contains(&KeyIssue::Lowercase { count: 18 }));
        assert!(c.issues.contains(&KeyIssue::FullWidth { count: 5 }));
        assert_eq!(c.redacted, "*****-*****-*****-*****-46789");
        let c = check("BCDFG - HJKMN-PQRTV-WXY23-46789");
        assert!(c.issues.contains(&KeyIssue::InnerWhitespace { count: 2 }));
    }

    #[test]
    fn confusable_letters() {
        let c = check("BCDFG-HJKMN-PQRTV-WXY23-4678O");
        assert!(!c.well_formed);
        assert!(c.issues.iter().any(|i| matches!(i,
            KeyIssue::InvalidCharacter { position: 29, character, maybe: "D, Q" } if character == "O")));
    }

    #[test]
    fn wrong_shape() {
        let c = check("BCDFG-HJKMN-PQRTV-WXY23");
        assert!(!c.well_formed);
        assert!(c.issues.contains(&KeyIssue::WrongShape {
            groups: vec![5, 5, 5, 5]
        }));
        assert_eq!(check("").issues, [KeyIssue::Empty]);
    }

    proptest::proptest! {
        /// ASCII text is read as bytes: the same runs are found as when it is read as characters.
        #[test]
        fn ascii_and_char_readings_find_the_same_keys(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    "[A-Za-z0-9]{5}",
                    proptest::strategy::Just("-".to_owned()),
                    proptest::strategy::Just("_".to_owned()),
                    "[ .,:\"=x-]{0,3}",
                    "[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}",
                ],
                0..20,
            )
        ) {
            let t: String = parts.concat();
            let b = t.as_bytes();
            let chars: Vec<(usize, char)> = t.char_indices().collect();
            let by_bytes = key_spans(b.len(), t.len(), |i| (i, char::from(b[i])));
            let by_chars = key_spans(chars.len(), t.len(), |i| chars[i]);
            proptest::prop_assert_eq!(&by_bytes, &by_chars);
            if t.bytes().filter(|&c| c == b'-').count() < 4 {
                proptest::prop_assert!(by_chars.is_empty());
            }
            // No whole key survives.
            let r = redact_keys_in(&t);
            for (s, e) in by_chars {
                let key = &t[s..e];
                proptest::prop_assert!(!r.contains(key), "{} kept in {}", key, r);
            }
        }
    }

    #[test]
    fn redaction_in_text() {
        let t = format!("Installed key {KEY}. Partial Product Key: 46789");
        let r = redact_keys_in(&t);
        assert!(!r.contains("BCDFG"));
        assert!(r.contains("*****-*****-*****-*****-46789"));
        let t = "key BCDFG\u{2013}HJKMN\u{2013}PQRTV\u{2013}WXY23\u{2013}46789 end";
        assert!(!redact_keys_in(t).contains("HJKMN"));
        assert_eq!(redact_keys_in("no keys here"), "no keys here");
        // Not keys: GUIDs and longer groups stay.
        let g = "e23b33b0-c8c9-472c-a5f9-f2bdfea0f156";
        assert_eq!(redact_keys_in(g), g);
    }
}
