//! The shape of a typed key: its alphabet, the issues a check reports, and redaction of one key.

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

pub(super) fn dash_name(c: char) -> Option<&'static str> {
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
