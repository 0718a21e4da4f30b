//! The units key finding works on: a character, or an escape that stands for one, with its class.

use super::shape::dash_name;

/// The longest unit in bytes: an HTML reference (`&` and up to 17 bytes to the `;`), a terminal
/// colour sequence (cut there).
pub(super) const MAX_UNIT_BYTES: usize = 18;
/// Most backslashes in front of one escape (`\\u002D` is how a JSON writer escapes a text that
/// itself held `\u002D`).
pub(super) const MAX_BACKSLASHES: usize = 4;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Class {
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
pub(super) struct Unit {
    pub(super) end: usize,
    pub(super) class: Class,
    pub(super) ch: u8,
    pub(super) lower: bool,
}

/// Dash look-alikes that stand between groups (not `_`, which joins words in identifiers).
pub(super) fn is_dash(c: char) -> bool {
    c == '-'
        || (c != '_' && dash_name(c).is_some())
        || matches!(c, '\u{2043}' | '\u{FE31}' | '\u{FE32}')
}

/// Invisible characters that do not end a word: controls and format characters, and the
/// replacement character (what is left of a character that could not be decoded, such as a dash
/// in UTF-16 text read as bytes).
pub(super) fn is_invisible(c: char) -> bool {
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
pub(super) fn ends_word(u: &Unit) -> bool {
    u.class == Class::Invisible && matches!(u.ch, b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// Class of a decoded character, with the folded key character.
pub(super) fn classify(c: char, end: usize) -> Unit {
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
pub(super) const ASCII_CLASS: [Class; 128] = {
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
pub(super) enum ByteClass {
    Key,
    Other,
    Separator,
    Decode,
}

pub(super) const BYTE_CLASS: [ByteClass; 256] = {
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

pub(super) fn hex(b: u8) -> Option<u32> {
    (b as char).to_digit(16)
}

/// `n` hex digits at `b[i..]`.
pub(super) fn hex_n(b: &[u8], i: usize, n: usize) -> Option<u32> {
    let d = b.get(i..i + n)?;
    d.iter().try_fold(0u32, |v, &x| Some(v * 16 + hex(x)?))
}

/// A JSON-style escape at `b[i]` (a backslash): its end and the character it stands for.
pub(super) fn backslash_escape(b: &[u8], i: usize) -> Option<(usize, char)> {
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
pub(super) fn percent_escape(b: &[u8], i: usize) -> Option<(usize, char)> {
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
pub(super) fn entity_escape(b: &[u8], i: usize) -> Option<(usize, char)> {
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
pub(super) fn csi_end(b: &[u8], i: usize) -> Option<usize> {
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
pub(super) fn unit_fast(s: &str, i: usize) -> Unit {
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
pub(super) fn unit_at(s: &str, i: usize) -> Unit {
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
