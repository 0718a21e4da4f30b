//! Finding keys in text, in every form a key can be written in, and redacting them.

use super::shape::ALPHABET;
use super::unit::*;

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
pub(super) const MAX_GAP: usize = 8;
/// Most units in a separator between two groups.
pub(super) const MAX_SEP: usize = 16;

/// One key found: the byte ranges of its 25 characters, in order.
pub(super) struct Found {
    pub(super) chars: [(usize, usize); 25],
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
pub(super) fn looks_like_key(units: &[Unit; 25]) -> bool {
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

/// Past the separator that starts at `p`: where the next group starts, how many units the
/// separator holds and whether one is a dash; `None` when the text ends, another kind of unit
/// stands there or the separator is longer than [`MAX_SEP`].
#[inline(always)]
fn separator(s: &str, mut p: usize) -> Option<(usize, usize, bool)> {
    let (mut n, mut dash) = (0, false);
    loop {
        if p >= s.len() {
            return None;
        }
        let u = unit_fast(s, p);
        match u.class {
            Class::Key => return Some((p, n, dash)),
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
}

/// The `k`-th key character of a group, from `p` (after the first, up to [`MAX_GAP`] invisible
/// units may stand before it): where it starts and its unit; `None` when the text ends, the gap
/// is longer or another kind of unit stands there.
#[inline(always)]
fn key_char(s: &str, mut p: usize, k: usize) -> Option<(usize, Unit)> {
    let mut gap = 0;
    loop {
        if p >= s.len() {
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
        return (u.class == Class::Key).then_some((p, u));
    }
}

/// Whether groups 2 to 5 follow from `p`, without recording them (most tries fail within a few
/// bytes; [`match_rest`] then records only what matched).
pub(super) fn rest_has_shape(s: &str, mut p: usize) -> bool {
    for _ in 1..5 {
        let Some((start, _, _)) = separator(s, p) else {
            return false;
        };
        p = start;
        for k in 0..5 {
            let Some((_, u)) = key_char(s, p, k) else {
                return false;
            };
            p = u.end;
        }
    }
    true
}

/// Matches groups 2 to 5 from `p` (the first unit after group 1); `glued`: group 1 follows other
/// letters or digits.
pub(super) fn match_rest(
    s: &str,
    mut p: usize,
    g1: &[(usize, Unit); 5],
    glued: bool,
) -> Option<Found> {
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
        let (start, n, dash) = separator(s, p)?;
        if n == 0 {
            return None;
        }
        all_dashed &= dash;
        p = start;
        for k in 0..5 {
            let (start, u) = key_char(s, p, k)?;
            chars[g * 5 + k] = (start, u.end);
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
pub(super) fn ascii_may_hold_key(b: &[u8]) -> bool {
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
pub(super) fn each_key(text: &str, mut f: impl FnMut(&Found)) {
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
pub(super) fn first_separator_has_dash(text: &str, k: &Found) -> bool {
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
pub(super) fn is_bare_key(run: &[u8]) -> bool {
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
pub(super) fn redact_bare_keys(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
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
pub(super) fn redact_separated_keys(text: &str) -> (std::borrow::Cow<'_, str>, usize) {
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
