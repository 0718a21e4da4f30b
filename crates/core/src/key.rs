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

// ---------------------------------------------------------------------------------------------
// Finding keys in text.
//
// Text is read as a sequence of *units*: one character, or one escape that stands for a character
// (JSON `\t` / `\u002D` / `\uFF21`, also behind extra backslashes; Rust's `\u{1}`; URL `%2D` /
// `%EF%BC%8D`; HTML `&#45;` / `&#x2D;` / `&ndash;`; a terminal colour sequence). Each unit is decoded, folded (full-width letters and digits to
// ASCII) and sorted into a class: a key character, a dash, a space, an invisible character
// (controls such as tab and line break, zero-width and other format characters), or anything
// else. A key is then 25 key characters in five groups of five:
//
// - inside a group only invisible characters may sit between two key characters;
// - between two groups there is a separator: dashes, spaces and invisible characters, at least
//   one of them;
// - the first group may be glued to letters or digits before it when every separator holds a
//   dash, the last to letters or digits after it (`xABCDE-...-VWXYZfoo`).
//
// When every separator holds a dash the run is a key whatever its letters. When some separator is
// only spaces or invisible characters (`ABCDE FGHIJ KLMNO PQRST VWXYZ`), ordinary words could take
// that shape too, so the run must also look like a key: every character in the key alphabet, or
// upper-case letters (with or without digits), or lower-case letters with a digit or with a group
// without a vowel (five ordinary words nearly always each have one). Mixed case, or digits only,
// is not a key there. GUIDs (8-4-4-4-12) and hex numbers never take the shape, and one character
// 25 times is a placeholder (`XXXXX-XXXXX-...`), not a key.

/// The longest stretch of text, in bytes, that one key found by [`redact_keys_in`] can cover
/// (escapes, invisible characters and separators included). Code that cuts text into pieces keeps
/// this much overlap so a key is never split between two pieces.
pub const MAX_KEY_SPAN: usize = (25 + 20 * MAX_GAP + 4 * MAX_SEP) * MAX_UNIT_BYTES;

/// Most invisible units between two key characters of a group (UTF-16 text read as bytes has a NUL
/// after every character).
const MAX_GAP: usize = 8;
/// Most units in a separator between two groups.
const MAX_SEP: usize = 16;
/// The longest unit in bytes: an HTML reference (`&` and up to 17 bytes to the `;`), a terminal
/// colour sequence (cut there).
const MAX_UNIT_BYTES: usize = 18;
/// Most backslashes in front of one escape (`\\u002D` is how a JSON writer escapes a text that
/// itself held `\u002D`).
const MAX_BACKSLASHES: usize = 4;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    /// A letter or digit, ASCII or full-width.
    Key,
    /// A hyphen, minus sign or dash look-alike.
    Dash,
    /// A visible space (or `+`, a space in a URL query).
    Space,
    /// An invisible character: control (tab, line break, NUL...) or format (zero-width space, soft
    /// hyphen, byte-order mark...).
    Invisible,
    /// Anything else: ends any key.
    Other,
}

/// One unit: where it ends, its class and, for key characters, the character folded to ASCII upper
/// case and whether it was lower case.
#[derive(Clone, Copy, Debug)]
struct Unit {
    end: usize,
    class: Class,
    ch: u8,
    lower: bool,
}

/// Dash look-alikes that stand between groups (not `_`, which joins words in identifiers).
fn is_dash(c: char) -> bool {
    c == '-'
        || (c != '_' && dash_name(c).is_some())
        || matches!(c, '\u{2043}' | '\u{FE31}' | '\u{FE32}')
}

/// Invisible characters that do not end a word: controls and format characters, and the
/// replacement character (what is left of a character that could not be decoded, such as a dash
/// in UTF-16 text read as bytes).
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
            | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{FFFD}' | '\u{E0000}'..='\u{E007F}')
}

/// Whether an invisible unit also ends a word: a tab or a line break (ASCII, decoded from an
/// escape, or NEL and the Unicode line and paragraph separators). Such a unit may sit inside a key
/// (a key wrapped across lines), but letters before it are another word: a key at the start of a
/// line or a tab-separated field is not glued to the word that ends the previous one.
fn ends_word(u: &Unit) -> bool {
    u.class == Class::Invisible && matches!(u.ch, b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// Class of a decoded character, with the folded key character.
fn classify(c: char, end: usize) -> Unit {
    let mut u = Unit {
        end,
        class: Class::Other,
        ch: 0,
        lower: false,
    };
    let folded = match c {
        '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
            char::from_u32(c as u32 - 0xFEE0)
        }
        c if c.is_ascii_alphanumeric() => Some(c),
        _ => None,
    };
    if let Some(a) = folded {
        u.class = Class::Key;
        u.lower = a.is_ascii_lowercase();
        u.ch = a.to_ascii_uppercase() as u8;
    } else if is_dash(c) {
        u.class = Class::Dash;
    } else if is_invisible(c) {
        u.class = Class::Invisible;
        if c.is_whitespace() {
            // Tab, line break, NEL, line and paragraph separators: invisible inside a key, but they
            // end a word (see [`ends_word`]).
            u.ch = b'\n';
        }
    } else if c.is_whitespace() || c == '+' {
        u.class = Class::Space;
    }
    u
}

/// Classes of ASCII bytes that are a unit by themselves (`\`, `%` and `&` may start an escape).
const ASCII_CLASS: [Class; 128] = {
    let mut t = [Class::Other; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = if b.is_ascii_alphanumeric() {
            Class::Key
        } else if b == b'-' {
            Class::Dash
        } else if b == b' ' || b == b'+' {
            Class::Space
        } else if b < 0x20 || b == 0x7F {
            Class::Invisible
        } else {
            Class::Other
        };
        i += 1;
    }
    t
};

/// How the main loop reads a byte: a key character or a byte that ends a word (both without
/// further ado), a one-byte separator, or the start of something to decode (an escape, a
/// terminal sequence, a character beyond ASCII).
#[derive(Clone, Copy, PartialEq, Eq)]
enum ByteClass {
    Key,
    Other,
    Separator,
    Decode,
}

const BYTE_CLASS: [ByteClass; 256] = {
    let mut t = [ByteClass::Decode; 256];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = match ASCII_CLASS[i] {
            _ if b == b'\\' || b == b'%' || b == b'&' || b == 0x1B => ByteClass::Decode,
            Class::Key => ByteClass::Key,
            Class::Other => ByteClass::Other,
            _ => ByteClass::Separator,
        };
        i += 1;
    }
    t
};

fn hex(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

/// `n` hex digits at `b[i..]`.
fn hex_n(b: &[u8], i: usize, n: usize) -> Option<u32> {
    let d = b.get(i..i + n)?;
    d.iter().try_fold(0u32, |v, &x| Some(v * 16 + hex(x)?))
}

/// A JSON-style escape at `b[i]` (a backslash): its end and the character it stands for.
fn backslash_escape(b: &[u8], i: usize) -> Option<(usize, char)> {
    let mut j = i;
    while j < b.len() && b[j] == b'\\' && j - i < MAX_BACKSLASHES {
        j += 1;
    }
    let c = match *b.get(j)? {
        b't' => '\t',
        b'n' => '\n',
        b'r' => '\r',
        b'b' => '\u{8}',
        b'f' => '\u{C}',
        b'0' => '\0',
        // Rust's `{:?}`: `\u{1}`, `\u{ff0d}`.
        b'u' if b.get(j + 1) == Some(&b'{') => {
            let close = j
                + 2
                + b.get(j + 2..(j + 9).min(b.len()))?
                    .iter()
                    .position(|&x| x == b'}')?;
            let digits = &b[j + 2..close];
            if digits.is_empty() {
                return None;
            }
            let v = digits
                .iter()
                .try_fold(0u32, |v, &x| Some(v * 16 + hex(x)?))?;
            return Some((close + 1, char::from_u32(v).unwrap_or('\u{FFFD}')));
        }
        b'u' => {
            let v = hex_n(b, j + 1, 4)?;
            if (0xD800..0xDC00).contains(&v)
                && b.get(j + 5) == Some(&b'\\')
                && b.get(j + 6) == Some(&b'u')
                && let Some(lo) = hex_n(b, j + 7, 4)
                && (0xDC00..0xE000).contains(&lo)
            {
                let c = char::from_u32(0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00))?;
                return Some((j + 11, c));
            }
            return Some((j + 5, char::from_u32(v).unwrap_or('\u{FFFD}')));
        }
        _ => return None,
    };
    Some((j + 1, c))
}

/// A URL escape at `b[i]` (`%`): `%2D`, or a UTF-8 sequence such as `%EF%BC%8D`.
fn percent_escape(b: &[u8], i: usize) -> Option<(usize, char)> {
    let first = hex_n(b, i + 1, 2)? as u8;
    if first.is_ascii() {
        return Some((i + 3, char::from(first)));
    }
    let len = match first {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut bytes = [first, 0, 0, 0];
    for (k, slot) in bytes.iter_mut().enumerate().take(len).skip(1) {
        let at = i + 3 * k;
        if b.get(at) != Some(&b'%') {
            return None;
        }
        *slot = hex_n(b, at + 1, 2)? as u8;
    }
    let c = std::str::from_utf8(&bytes[..len]).ok()?.chars().next()?;
    Some((i + 3 * len, c))
}

/// An HTML/XML character reference at `b[i]` (`&`): `&#45;`, `&#x2D;`, or a few named ones.
fn entity_escape(b: &[u8], i: usize) -> Option<(usize, char)> {
    let semi = i
        + 1
        + b.get(i + 1..(i + 18).min(b.len()))?
            .iter()
            .position(|&x| x == b';')?;
    let body = &b[i + 1..semi];
    let c = if let Some(num) = body.strip_prefix(b"#") {
        let (digits, radix) = match num.first() {
            Some(b'x' | b'X') => (&num[1..], 16),
            _ => (num, 10),
        };
        if digits.is_empty() || digits.len() > 7 {
            return None;
        }
        let v = digits
            .iter()
            .try_fold(0u32, |v, &x| Some(v * radix + (x as char).to_digit(radix)?))?;
        char::from_u32(v).unwrap_or('\u{FFFD}')
    } else {
        match body {
            b"nbsp" | b"ensp" | b"emsp" | b"thinsp" => ' ',
            b"ndash" => '\u{2013}',
            b"mdash" => '\u{2014}',
            b"minus" => '\u{2212}',
            b"hyphen" | b"dash" => '\u{2010}',
            b"shy" => '\u{AD}',
            b"Tab" => '\t',
            b"NewLine" => '\n',
            b"ZeroWidthSpace" | b"zwsp" => '\u{200B}',
            b"zwj" => '\u{200D}',
            b"zwnj" => '\u{200C}',
            _ => return None,
        }
    };
    Some((semi + 1, c))
}

/// The end of a terminal control sequence at `b[i]` (ESC `[` parameters, final letter), as
/// coloured output holds: it is invisible.
fn csi_end(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i + 1) != Some(&b'[') {
        return None;
    }
    let mut j = i + 2;
    while j < b.len() && j - i < MAX_UNIT_BYTES {
        match b[j] {
            0x20..=0x3F => j += 1,
            0x40..=0x7E => return Some(j + 1),
            _ => return None,
        }
    }
    None
}

/// [`unit_at`], with plain ASCII bytes read at once (the common case).
#[inline(always)]
fn unit_fast(s: &str, i: usize) -> Unit {
    let x = s.as_bytes()[i];
    if BYTE_CLASS[usize::from(x)] == ByteClass::Decode {
        return unit_at(s, i);
    }
    Unit {
        end: i + 1,
        class: ASCII_CLASS[usize::from(x)],
        ch: x.to_ascii_uppercase(),
        lower: x.is_ascii_lowercase(),
    }
}

/// The unit starting at byte `i` of `s` (`i < s.len()`, on a character boundary).
fn unit_at(s: &str, i: usize) -> Unit {
    let b = s.as_bytes();
    let x = b[i];
    if x < 0x80 {
        let escaped = match x {
            b'\\' => backslash_escape(b, i),
            0x1B => {
                if let Some(end) = csi_end(b, i) {
                    return Unit {
                        end,
                        class: Class::Invisible,
                        ch: 0,
                        lower: false,
                    };
                }
                None
            }
            b'%' => percent_escape(b, i),
            b'&' => entity_escape(b, i),
            _ => {
                let class = ASCII_CLASS[x as usize];
                return Unit {
                    end: i + 1,
                    class,
                    ch: x.to_ascii_uppercase(),
                    lower: x.is_ascii_lowercase(),
                };
            }
        };
        return match escaped {
            Some((end, c)) => classify(c, end),
            None => Unit {
                end: i + 1,
                class: Class::Other,
                ch: 0,
                lower: false,
            },
        };
    }
    let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
    classify(c, i + c.len_utf8())
}

/// One key found: the byte ranges of its 25 characters, in order.
struct Found {
    chars: [(usize, usize); 25],
}

impl Found {
    fn span(&self) -> std::ops::Range<usize> {
        self.chars[0].0..self.chars[24].1
    }
}

/// Whether a run whose separators are not all dashes looks enough like a key (see the comment at
/// the top of this part): every character in the key alphabet, or upper-case letters (digits
/// allowed), or lower-case letters with a digit or with a group without a vowel (five ordinary
/// words nearly always each have one).
fn looks_like_key(units: &[Unit; 25]) -> bool {
    if units.iter().all(|u| ALPHABET.as_bytes().contains(&u.ch)) {
        return true;
    }
    let (mut letters, mut lower) = (0, 0);
    for u in units {
        if u.ch.is_ascii_uppercase() {
            letters += 1;
            lower += usize::from(u.lower);
        }
    }
    if letters == 0 {
        return false;
    }
    if lower == 0 {
        return true;
    }
    let has_digit = letters < 25;
    let vowelless_group = units
        .chunks(5)
        .any(|g| !g.iter().any(|u| b"AEIOU".contains(&u.ch)));
    lower == letters && (has_digit || vowelless_group)
}

/// Whether groups 2 to 5 follow from `p`, without recording them (most tries fail within a few
/// bytes; [`match_rest`] then records only what matched).
fn rest_has_shape(s: &str, mut p: usize) -> bool {
    let len = s.len();
    for _ in 1..5 {
        let mut n = 0;
        loop {
            if p >= len {
                return false;
            }
            let u = unit_fast(s, p);
            match u.class {
                Class::Key => break,
                Class::Other => return false,
                _ => {}
            }
            n += 1;
            if n > MAX_SEP {
                return false;
            }
            p = u.end;
        }
        for k in 0..5 {
            let mut gap = 0;
            loop {
                if p >= len {
                    return false;
                }
                let u = unit_fast(s, p);
                if u.class == Class::Invisible && k > 0 {
                    gap += 1;
                    if gap > MAX_GAP {
                        return false;
                    }
                    p = u.end;
                    continue;
                }
                if u.class != Class::Key {
                    return false;
                }
                p = u.end;
                break;
            }
        }
    }
    true
}

/// Matches groups 2 to 5 from `p` (the first unit after group 1); `glued`: group 1 follows other
/// letters or digits.
fn match_rest(s: &str, mut p: usize, g1: &[(usize, Unit); 5], glued: bool) -> Option<Found> {
    let len = s.len();
    let mut chars = [(0usize, 0usize); 25];
    let mut units = [Unit {
        end: 0,
        class: Class::Key,
        ch: 0,
        lower: false,
    }; 25];
    for (k, (start, u)) in g1.iter().enumerate() {
        chars[k] = (*start, u.end);
        units[k] = *u;
    }
    let mut all_dashed = true;
    for g in 1..5 {
        let mut n = 0;
        let mut dash = false;
        loop {
            if p >= len {
                return None;
            }
            let u = unit_fast(s, p);
            match u.class {
                Class::Key => break,
                Class::Other => return None,
                Class::Dash => dash = true,
                Class::Space | Class::Invisible => {}
            }
            n += 1;
            if n > MAX_SEP {
                return None;
            }
            p = u.end;
        }
        if n == 0 {
            return None;
        }
        all_dashed &= dash;
        for k in 0..5 {
            let mut gap = 0;
            let u = loop {
                if p >= len {
                    return None;
                }
                let u = unit_fast(s, p);
                if u.class == Class::Invisible && k > 0 {
                    gap += 1;
                    if gap > MAX_GAP {
                        return None;
                    }
                    p = u.end;
                    continue;
                }
                break u;
            };
            if u.class != Class::Key {
                return None;
            }
            chars[g * 5 + k] = (p, u.end);
            units[g * 5 + k] = u;
            p = u.end;
        }
    }
    // A placeholder (`XXXXX-XXXXX-XXXXX-XXXXX-XXXXX`, one character 25 times) holds no secret.
    if units.iter().all(|u| u.ch == units[0].ch) {
        return None;
    }
    // Without dashes, the first group must stand alone: the end of a longer word (the digits of
    // `0xC004F074` before a key written with spaces) is not taken into a key.
    if !all_dashed && (glued || !looks_like_key(&units)) {
        return None;
    }
    Some(Found { chars })
}

/// Whether ASCII text may hold a key, by two counts (nearly every line of a report fails one): a
/// key needs 25 letters or digits (an escape that stands for one holds one too), and after its
/// first character at least four bytes that can start a separator (a dash, a space, `+`, a
/// control character, or an escape). Indentation is not counted: a separator follows a group.
fn ascii_may_hold_key(b: &[u8]) -> bool {
    fn starts(x: u8) -> bool {
        (x == b'-')
            | (x == b' ')
            | (x == b'+')
            | (x < 0x20)
            | (x == 0x7F)
            | (x == b'\\')
            | (x == b'%')
            | (x == b'&')
    }
    let from = b.iter().position(|&x| !starts(x)).unwrap_or(b.len());
    let (mut alnum, mut seps) = (0u32, 0u32);
    // Byte counters over pieces of 255 bytes: the compiler turns the inner loop into vector code.
    for piece in b[from..].chunks(255) {
        let (mut a, mut s) = (0u8, 0u8);
        for &x in piece {
            a += u8::from(x.is_ascii_alphanumeric());
            s += u8::from(starts(x));
        }
        alnum += u32::from(a);
        seps += u32::from(s);
    }
    alnum >= 25 && seps >= 4
}

/// Calls `f` with every key found in `text`, left to right. Keys may overlap (in a run of six or
/// more groups every five groups in a row are a key), so that no more than one group of any key
/// is left once each is redacted.
fn each_key(text: &str, mut f: impl FnMut(&Found)) {
    let len = text.len();
    // Shortest key: 25 characters and 4 one-byte separators.
    if len < 29 {
        return;
    }
    let b = text.as_bytes();
    if b.is_ascii() && !ascii_may_hold_key(b) {
        return;
    }
    // Where the last key characters of the current word start (key characters with invisible
    // units between them), the `count`-th at `ring[count % 8]`.
    let mut ring = [0usize; 8];
    let mut count = 0usize;
    // Key characters since the last unit that ends a word (a tab or line break counts there, not
    // in `count`): more than five means group 1 is glued to the end of a longer word.
    let mut solid = 0usize;
    let mut gap = 0usize;
    let mut p = 0usize;
    while p < len {
        let x = b[p];
        let u = match BYTE_CLASS[x as usize] {
            // The common cases, read as bytes.
            ByteClass::Key => {
                ring[count & 7] = p;
                count += 1;
                solid += 1;
                gap = 0;
                p += 1;
                continue;
            }
            ByteClass::Other => {
                count = 0;
                solid = 0;
                p += 1;
                continue;
            }
            ByteClass::Separator => Unit {
                end: p + 1,
                class: ASCII_CLASS[x as usize],
                ch: x,
                lower: false,
            },
            ByteClass::Decode => unit_at(text, p),
        };
        match u.class {
            Class::Key => {
                ring[count & 7] = p;
                count += 1;
                solid += 1;
                gap = 0;
                p = u.end;
                continue;
            }
            Class::Other => {
                count = 0;
                solid = 0;
                p = u.end;
                continue;
            }
            Class::Dash | Class::Space | Class::Invisible => {}
        }
        if count >= 5 && gap == 0 && rest_has_shape(text, p) {
            let g1: [(usize, Unit); 5] = std::array::from_fn(|k| {
                let at = ring[(count - 5 + k) & 7];
                (at, unit_at(text, at))
            });
            if let Some(found) = match_rest(text, p, &g1, solid > 5) {
                f(&found);
                // The last group may start the next key. When the first separator holds no dash,
                // the first group may be a word before the real key (`tried ABCDE-FGHIJ-...`):
                // the next key may then start at the second group, so that the real key's
                // groups are all masked but its last.
                p = if first_separator_has_dash(text, &found) {
                    found.chars[20].0
                } else {
                    found.chars[5].0
                };
                count = 0;
                solid = 0;
                gap = 0;
                continue;
            }
        }
        if u.class == Class::Invisible && count > 0 {
            gap += 1;
            if gap > MAX_GAP {
                count = 0;
                solid = 0;
            }
            if ends_word(&u) {
                solid = 0;
            }
        } else {
            count = 0;
            solid = 0;
        }
        p = u.end;
    }
}

/// Whether a dash (of any form) stands between the first and the second group of `k`.
fn first_separator_has_dash(text: &str, k: &Found) -> bool {
    let (mut p, end) = (k.chars[4].1, k.chars[5].0);
    while p < end {
        let u = unit_at(text, p);
        if u.class == Class::Dash {
            return true;
        }
        p = u.end.max(p + 1);
    }
    false
}

/// The byte ranges of the product keys in `text`, from the first character of each key to the
/// last, as [`redact_keys_in`] finds them (after decoding escapes and folding full-width forms).
///
/// ```
/// let t = "key: ＡＢＣＤＥ－FGHIJ KLMNO-PQRST-VWXYZ.";
/// let r = volact_core::key::find_keys(t);
/// assert_eq!(r.len(), 1);
/// assert!(t[r[0].clone()].ends_with("VWXYZ"));
/// ```
pub fn find_keys(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    each_key(text, |k| out.push(k.span()));
    out
}

/// Finds product keys in `text` and masks all but the last five characters of each with `*`, so
/// logs and reports never carry a whole key. Returns the text and how many keys were masked.
///
/// Keys are found after decoding and normalising: full-width letters, digits and dashes, any dash
/// look-alike, spaces around or instead of the dashes, lower case, invisible characters (tab, line
/// break, NUL, zero-width space) inside or between the groups, JSON escapes (`\t`, `\u002D`,
/// `\uFF21`), URL escapes (`%2D`) and HTML character references (`&#45;`), and keys glued to other
/// letters or digits. Separators and invisible characters stay where they were; each hidden
/// character (or the escape that stood for it) becomes one `*`, so JSON stays valid JSON.
pub fn redact_keys_counted(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    let (separated, n) = redact_separated_keys(text);
    match redact_bare_keys(&separated) {
        (std::borrow::Cow::Borrowed(_), m) => (separated, n + m),
        (std::borrow::Cow::Owned(o), m) => (std::borrow::Cow::Owned(o), n + m),
    }
}

/// Whether `run` (ASCII letters and digits) is a key written without separators: 25 characters,
/// every one in the key alphabet, in one case, with letters and digits, not one character
/// repeated. Hex numbers, GUID parts, base64 and words never pass (vowels, `0`, `1`, `5`, mixed
/// case), so a lone run of this shape is taken as a key (an XML reader that drops an unknown
/// entity such as `&ndash;` turns `QXBCD&ndash;FGHJK...` into one).
fn is_bare_key(run: &[u8]) -> bool {
    run.len() == 25
        && run
            .iter()
            .all(|c| ALPHABET.as_bytes().contains(&c.to_ascii_uppercase()))
        && (run.iter().all(|c| !c.is_ascii_lowercase())
            || run.iter().all(|c| !c.is_ascii_uppercase()))
        && run.iter().any(u8::is_ascii_digit)
        && run.iter().any(u8::is_ascii_alphabetic)
        && run.iter().any(|c| *c != run[0])
}

/// Masks keys written as 25 letters and digits without separators (see [`is_bare_key`]): the
/// run must stand alone (no ASCII letter or digit on either side).
fn redact_bare_keys(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    let b = text.as_bytes();
    if b.len() < 25 {
        return (std::borrow::Cow::Borrowed(text), 0);
    }
    let mut out: Option<Vec<u8>> = None;
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if is_bare_key(&b[start..i]) {
            let o = out.get_or_insert_with(|| b.to_vec());
            o[start..start + 20].fill(b'*');
            n += 1;
        }
    }
    match out {
        // Only ASCII letters and digits were replaced by `*`: still UTF-8.
        Some(o) => (
            std::borrow::Cow::Owned(
                String::from_utf8(o)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ),
            n,
        ),
        None => (std::borrow::Cow::Borrowed(text), n),
    }
}

/// Keys with separators (every form but the bare one), masked; how many.
fn redact_separated_keys(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
    let mut out: Option<String> = None;
    let mut last = 0;
    let mut n = 0;
    each_key(text, |k| {
        n += 1;
        let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
        for &(s, e) in &k.chars[..20] {
            if s >= last {
                o.push_str(&text[last..s]);
                o.push('*');
                last = e;
            }
        }
    });
    match out {
        None => (std::borrow::Cow::Borrowed(text), 0),
        Some(mut o) => {
            o.push_str(&text[last..]);
            (std::borrow::Cow::Owned(o), n)
        }
    }
}

/// Finds product keys in `text` and masks all but the last five characters of each, so logs and
/// reports never carry a whole key. See [`redact_keys_counted`] for the forms recognised.
///
/// ```
/// use volact_core::key::redact_keys_in;
/// assert_eq!(redact_keys_in("key ABCDE-FGHIJ-KLMNO-PQRST-VWXY2."), "key *****-*****-*****-*****-VWXY2.");
/// assert_eq!(redact_keys_in("key: abcde fghij klmno pqrst vwxy2z"), "key: ***** ***** ***** ***** vwxy2z");
/// ```
pub fn redact_keys_in(text: &str) -> std::borrow::Cow<'_, str> {
    redact_keys_counted(text).0
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

    /// Redacts `t` and checks that the key `BCDFGHJKMNPQRTVWXY2346789` (any case) is gone from it
    /// once escapes are decoded, width folded and everything but letters and digits dropped, and
    /// that its last group is still there.
    #[track_caller]
    fn gone(t: &str) -> String {
        let r = redact_keys_in(t).into_owned();
        let folded: String = r
            .replace("\\u002D", "-")
            .chars()
            .map(|c| match c {
                '\u{FF10}'..='\u{FF5A}' => char::from_u32(c as u32 - 0xFEE0).unwrap(),
                c => c,
            })
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_uppercase();
        assert!(!folded.contains("HJKMNPQRTV"), "{t:?} -> {r:?}");
        assert!(folded.contains("46789"), "{t:?} -> {r:?}");
        r
    }

    #[test]
    fn full_width_and_unicode_dashes() {
        gone("ＢＣＤＦＧ－ＨＪＫＭＮ－ＰＱＲＴＶ－ＷＸＹ２３－４６７８９");
        for d in [
            '\u{2010}', '\u{2011}', '\u{2012}', '\u{2013}', '\u{2014}', '\u{2015}', '\u{2212}',
            '\u{FF0D}', '\u{FE63}',
        ] {
            gone(&format!("key BCDFG{d}HJKMN{d}PQRTV{d}WXY23{d}46789 end"));
        }
        assert_eq!(
            redact_keys_in("ＢＣＤＦＧ－ＨＪＫＭＮ－ＰＱＲＴＶ－ＷＸＹ２３－４６７８９"),
            "*****－*****－*****－*****－４６７８９"
        );
    }

    #[test]
    fn keys_without_separators() {
        // A lone run of 25 key characters, as an XML reader leaves `QXBCD&ndash;FGHJK...`.
        assert_eq!(
            redact_keys_in("<Data>QXBCDFGHJKMPRTVWXY2346789</Data>"),
            "<Data>********************46789</Data>"
        );
        assert_eq!(
            redact_keys_in("name qxbcdfghjkmprtvwxy2346789."),
            "name ********************46789."
        );
        // Not keys: hex, mixed case, letters only, one character repeated, longer runs.
        for s in [
            "0123456789ABCDEF0123456789",
            "deadbeefdeadbeefdeadbeef1",
            "QxBCDFGHJKMPRTVWXY2346789",
            "BCDFGHJKMPQRTVWXYBCDFGHJK",
            "2222222222222222222222222",
            "QXBCDFGHJKMPRTVWXY23467899",
            "6c1c9d2e5a7e4d1c9b3c0f2d3",
        ] {
            assert_eq!(redact_keys_in(s), s, "{s}");
        }
    }

    #[test]
    fn glued_keys() {
        assert_eq!(
            redact_keys_in("KEY:BCDFG-HJKMN-PQRTV-WXY23-46789foo"),
            "KEY:*****-*****-*****-*****-46789foo"
        );
        assert_eq!(
            redact_keys_in("xBCDFG-HJKMN-PQRTV-WXY23-46789"),
            "x*****-*****-*****-*****-46789"
        );
        gone("123BCDFG-HJKMN-PQRTV-WXY23-467890");
        // Nine groups: two keys sharing a group; no five groups are left whole.
        let r = redact_keys_in("BCDFG-HJKMN-PQRTV-WXY23-46789-BCDFG-HJKMN-PQRTV-WXY23");
        assert_eq!(r, "*****-*****-*****-*****-*****-*****-*****-*****-WXY23");
        // Six groups, a word before the key taken as its first group: every five in a row are
        // a key, so only the real key's last group stays (its fourth group used to).
        assert_eq!(
            redact_keys_in("(tried bcdfg-hjkmn-pqrtv-wxy23-46789, x)"),
            "(***** *****-*****-*****-*****-46789, x)"
        );
        assert_eq!(
            redact_keys_in("WORDS BCDFG HJKMN PQRTV WXY23 46789"),
            "***** *****-*****-*****-*****-46789".replace('-', " ")
        );
    }

    #[test]
    fn spaces_around_or_instead_of_dashes_and_lower_case() {
        gone("BCDFG - HJKMN - PQRTV - WXY23 - 46789");
        gone("BCDFG HJKMN PQRTV WXY23 46789");
        gone("key: bcdfg hjkmn pqrtv wxy23 46789.");
        gone("key BCDFG HJKMN PQRTV WXY23 46789foo");
        // Without dashes the first group is not the end of a longer word.
        assert_eq!(
            redact_keys_in("0xC004F074 BCDFG HJKMN PQRTV WXY23 46789"),
            "0xC004F074 ***** ***** ***** ***** 46789"
        );
        gone("bcdfg-hjkmn-pqrtv-wxy23-46789");
        gone("BCDFG\u{3000}HJKMN\u{3000}PQRTV\u{3000}WXY23\u{3000}46789");
        gone("BCDFG\tHJKMN\tPQRTV\tWXY23\t46789");
        assert_eq!(
            redact_keys_in("ABCDE FGHIJ KLMNO PQRST VWXYZ"),
            "***** ***** ***** ***** VWXYZ"
        );
        assert_eq!(
            redact_keys_in("abcde fghij klmno pqrst vwxyz"),
            "***** ***** ***** ***** vwxyz"
        );
    }

    #[test]
    fn invisible_characters_and_escapes() {
        gone("BCD\u{1}FG-HJKMN\u{200B}-PQRTV-\nWXY23-46789");
        gone(
            &"BCDFG-HJKMN-PQRTV-WXY23-46789"
                .chars()
                .flat_map(|c| [c, '\0'])
                .collect::<String>(),
        );
        // JSON text as serde_json writes it, and escapes put there by hand.
        let json = serde_json::to_string("BCD\tFG-HJKMN\n-PQR\u{1}TV-WXY23-46789").unwrap();
        let r = gone(&json);
        assert!(serde_json::from_str::<String>(&r).is_ok(), "{r}");
        let r = gone(r#"{"k":"BCDFG\u002DHJKMN\u002dPQRTV\u2013WXY23-46789"}"#);
        assert!(serde_json::from_str::<serde_json::Value>(&r).is_ok(), "{r}");
        gone(r#""\uFF22CD\u0000FG-HJKMN-PQRTV-WXY23-46789""#);
        gone(r#""BCDFG\\u002DHJKMN\\u002DPQRTV\\u002DWXY23\\u002D46789""#);
        gone("/q?k=BCDFG%2DHJKMN%2dPQRTV%EF%BC%8DWXY23%E2%80%9346789");
        gone("BCDFG&#45;HJKMN&#x2D;PQRTV&ndash;WXY23&minus;46789");
        gone("BCDFG+HJKMN+PQRTV+WXY23+46789");
        // Rust's `{:?}` and coloured terminal output.
        gone(&format!("{:?}", "BCD\u{1}FG-HJKMN-PQRTV-WXY23-46789"));
        gone("\u{1b}[1mBCDFG\u{1b}[0m-\u{1b}[33mHJKMN-PQRTV-WXY23-46789\u{1b}[0m");
    }

    #[test]
    fn not_keys() {
        for t in [
            "e23b33b0-c8c9-472c-a5f9-f2bdfea0f156",
            "{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}",
            "0xC004F074 0x8007232B 0xC004F050 0xC004C003 0x80070005",
            "12345 67890 12345 67890 12345",
            "2026-11-24T14:00:00Z 2026-11-25 12:00",
            "Which other about their could world never",
            "Thing about these words going",
            "think about these words going",
            "other about their could world",
            "WHICH-other about their could",
            "ABCDE_FGHIJ_KLMNO_PQRST_VWXYZ",
            "ABCD-EFGHI-JKLMN-OPQRS-TUVWX",
            "C:\\Users\\ABCDE\\FGHIJ\\KLMNO\\PQRST\\VWXYZ",
            "no keys here",
            "expected 5 groups of 5 characters (XXXXX-XXXXX-XXXXX-XXXXX-XXXXX)",
            "xxxxx-xxxxx-xxxxx-xxxxx-xxxxx. 00000 00000 00000 00000 00000",
            "Partial Product Key: 46789",
        ] {
            assert_eq!(redact_keys_in(t), t);
        }
        // A GUID followed by a key-shaped run.
        assert_eq!(
            find_keys("e23b33b0-c8c9-472c-a5f9-f2bdfea0f156 BCDFG-HJKMN-PQRTV-WXY23-46789").len(),
            1
        );
    }

    #[test]
    fn key_messages_are_not_taken_for_keys() {
        for lang in [crate::Lang::En, crate::Lang::ZhTw] {
            for issue in check("BCDFG-HJKMN").issues {
                let m = issue.describe(lang);
                assert_eq!(redact_keys_in(&m), m);
            }
        }
    }

    #[test]
    fn counted_and_spans() {
        let (r, n) =
            redact_keys_counted("a BCDFG-HJKMN-PQRTV-WXY23-46789 b bcdfg hjkmn pqrtv wxy23 46789");
        assert_eq!(n, 2);
        assert_eq!(
            r,
            "a *****-*****-*****-*****-46789 b ***** ***** ***** ***** 46789"
        );
        let t = "a ＢＣＤＦＧ－HJKMN-PQRTV-WXY23-46789 b";
        let spans = find_keys(t);
        assert_eq!(spans.len(), 1);
        assert_eq!(&t[spans[0].clone()], "ＢＣＤＦＧ－HJKMN-PQRTV-WXY23-46789");
        assert!(spans[0].len() <= MAX_KEY_SPAN);
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
