//! The text shown around a code: never cutting a product key or an ID, with keys redacted, also
//! keys wrapped across a line break.

use std::borrow::Cow;

/// How far before a line's start and after its end a key wrapped across the line break is looked
/// for (a key with escapes for every separator and a few invisible characters fits).
const WRAP_REACH: usize = 512;

/// A key wrapped across lines (`...key QXBCD-FGHJK-` then `MPRTV-WXY23-46789`): the part of it in
/// `b[cs..ce]`, a window of the line `b[ls..le]`, is masked (every letter, digit and non-ASCII
/// byte becomes `*`, so offsets stay the same), since the line alone no longer looks like a key.
/// `None` when no key crosses the line's start or end.
pub(super) fn mask_wrapped_keys(
    b: &[u8],
    ls: usize,
    le: usize,
    cs: usize,
    ce: usize,
) -> Option<Vec<u8>> {
    let keyish = |x: u8| x >= 0x80 || x.is_ascii_alphanumeric() || b"-\\%&; \t".contains(&x);
    let mut masks: Vec<(usize, usize)> = Vec::new();
    let mut look = |from: usize, to: usize, cut: usize| {
        let mut from = from;
        while from < to && b[from] & 0xC0 == 0x80 {
            from += 1;
        }
        let mut to = to;
        while to > from && to < b.len() && b[to] & 0xC0 == 0x80 {
            to -= 1;
        }
        let Ok(t) = std::str::from_utf8(&b[from..to]) else {
            return;
        };
        for k in volact_core::key::find_keys(t) {
            let (ks, ke) = (from + k.start, from + k.end);
            if ks < cut && cut < ke {
                masks.push((ks, ke));
            }
        }
    };
    // The break before the line: its last byte before `\r\n` and the line's first byte.
    if ls > 0 && ls < le && keyish(b[ls]) {
        let mut p = ls - 1;
        while p > 0 && matches!(b[p], b'\n' | b'\r') {
            p -= 1;
        }
        if keyish(b[p]) {
            look(ls.saturating_sub(WRAP_REACH), (ls + WRAP_REACH).min(le), ls);
        }
    }
    // The break at the line's end.
    if le < b.len() && le > ls && keyish(b[le]) {
        let mut p = le - 1;
        while p > ls && matches!(b[p], b'\n' | b'\r') {
            p -= 1;
        }
        if keyish(b[p]) {
            look(
                le.saturating_sub(WRAP_REACH).max(ls),
                (le + WRAP_REACH).min(b.len()),
                p + 1,
            );
        }
    }
    if masks.is_empty() {
        return None;
    }
    let mut out = b[cs..ce].to_vec();
    for (ks, ke) in masks {
        for i in ks.max(cs)..ke.min(ce) {
            let x = out[i - cs];
            if x >= 0x80 || x.is_ascii_alphanumeric() {
                out[i - cs] = b'*';
            }
        }
    }
    Some(out)
}

/// Redacts product keys in a line before a parser sees it (`redact_keys_in` is cheap on lines
/// that cannot hold a key).
pub(super) fn redact(line: &str) -> Cow<'_, str> {
    volact_core::key::redact_keys_in(line)
}

/// Is `c` part of a word that the context would rather not cut (a GUID, an ID)?
fn keyish(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '－' | '−')
}

/// The text around a code, at most about `width` characters each side, never cutting a product
/// key, with product keys redacted. Keys are looked for in a wider window (every key found is
/// shorter than [`volact_core::key::MAX_KEY_SPAN`] bytes), so one that the window would cut is
/// either shown whole, redacted, or left out.
pub(crate) fn context(text: &str, start: usize, end: usize, width: usize) -> String {
    let mut a = text[..start]
        .char_indices()
        .rev()
        .take(width)
        .last()
        .map_or(start, |(i, _)| i);
    // Widen to the start of a word that could be an ID (a GUID), or drop it if it is longer.
    if a > 0 {
        let w0 = a;
        let mut steps = 0;
        while a > 0 && steps < 40 {
            let prev = text[..a].chars().next_back().expect("a > 0");
            if !keyish(prev) {
                break;
            }
            a -= prev.len_utf8();
            steps += 1;
        }
        if a > 0 && text[..a].chars().next_back().is_some_and(keyish) {
            a = w0;
            while a < start {
                let c = text[a..].chars().next().expect("a < start");
                a += c.len_utf8();
                if !keyish(c) {
                    break;
                }
            }
        }
    }
    let mut b = text[end..]
        .char_indices()
        .take(width)
        .last()
        .map_or(end, |(i, c)| end + i + c.len_utf8());
    if b < text.len() {
        let w0 = b;
        let mut steps = 0;
        while b < text.len() && steps < 40 {
            let c = text[b..].chars().next().expect("b < len");
            if !keyish(c) {
                break;
            }
            b += c.len_utf8();
            steps += 1;
        }
        if b < text.len() && text[b..].chars().next().is_some_and(keyish) {
            b = w0;
            while b > end {
                let c = text[..b].chars().next_back().expect("b > end");
                b -= c.len_utf8();
                if !keyish(c) {
                    break;
                }
            }
        }
    }
    // Then never cut a product key in any form (spaces for dashes, escapes...).
    let margin = volact_core::key::MAX_KEY_SPAN;
    let mut wa = a.saturating_sub(margin);
    while !text.is_char_boundary(wa) {
        wa -= 1;
    }
    let mut wb = (b + margin).min(text.len());
    while !text.is_char_boundary(wb) {
        wb += 1;
    }
    for k in volact_core::key::find_keys(&text[wa..wb]) {
        let (ks, ke) = (wa + k.start, wa + k.end);
        // A key cut by the window's start: shown whole if it ends before the code, else left out.
        if ks < a && a < ke {
            a = if ke <= start { ks } else { ke.min(start) };
        }
        if ks < b && b < ke {
            b = if ks >= end { ke } else { ks.max(end) };
        }
    }
    let mut s = String::with_capacity(b - a + 8);
    if a > 0 {
        s.push('…');
    }
    s.push_str(text[a..b].trim());
    if b < text.len() {
        s.push('…');
    }
    volact_core::key::redact_keys_in(&s).into_owned()
}
