//! Product keys kept out of every answer, message and log line, whatever their form: the text is
//! first read the way a person reads it (full-width letters and digits as ASCII, every dash
//! look-alike as `-`, control characters and spaces around dashes dropped, zero-width characters
//! removed), then keys are masked to their last five characters with `volact_core::key`.

use std::borrow::Cow;

use volact_core::key;

/// Characters that are invisible or only separate (removed before looking for keys).
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn dash(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'
            | '\u{2011}'
            | '\u{2012}'
            | '\u{2013}'
            | '\u{2014}'
            | '\u{2015}'
            | '\u{2212}'
            | '\u{FE58}'
            | '\u{FE63}'
            | '\u{FF0D}'
            | '\u{30FC}'
            | '\u{2E3A}'
            | '\u{2E3B}'
    )
}

/// The text as a reader sees it (see the module comment).
fn normalise(s: &str) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(s.len());
    for c in s.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' if c != '\u{FF0D}' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '\u{3000}' => ' ',
            c if dash(c) => '-',
            c if c.is_control() => ' ',
            c => c,
        };
        if invisible(c) {
            continue;
        }
        // Spaces before a dash and after one go.
        if c == '-' {
            while out.last().is_some_and(|p| p.is_whitespace()) {
                out.pop();
            }
        } else if c.is_whitespace() && out.last() == Some(&'-') {
            continue;
        }
        out.push(c);
    }
    out
}

fn in_alphabet(c: char) -> bool {
    key::ALPHABET.contains(c.to_ascii_uppercase()) && c.is_ascii_alphanumeric()
}

/// The end of a key that starts at `i`: five groups of five letters or digits separated by
/// dashes (glued to other text or not), or by single spaces when every character is one a key
/// can hold.
fn key_at(t: &[char], i: usize) -> Option<usize> {
    'sep: for sep in ['-', ' '] {
        let mut j = i;
        for g in 0..5 {
            if g > 0 {
                if t.get(j) != Some(&sep) {
                    continue 'sep;
                }
                j += 1;
            }
            for _ in 0..5 {
                match t.get(j) {
                    Some(&c) if sep == '-' && c.is_ascii_alphanumeric() => {}
                    Some(&c) if sep == ' ' && in_alphabet(c) => {}
                    _ => continue 'sep,
                }
                j += 1;
            }
        }
        // Spaces as separators only count between whole words.
        if sep == ' '
            && (t.get(j).is_some_and(char::is_ascii_alphanumeric)
                || (i > 0 && t[i - 1].is_ascii_alphanumeric()))
        {
            continue;
        }
        return Some(j);
    }
    None
}

/// `s` with every product key masked; `s` itself (borrowed) when it holds none. When a key is
/// found the answer is the normalised text, masked.
pub(crate) fn scrub(s: &str) -> Cow<'_, str> {
    // Fast path: ASCII without a dash, a space or a tab has nothing the normalisation below would
    // join, but may still hold a key core finds (line breaks for dashes, `%2D`, `\u002D`, `&#45;`),
    // so core still reads it (it passes over text that cannot hold a key at once).
    if s.is_ascii() && !s.contains('-') && !s.contains(' ') && !s.contains('\t') {
        return key::redact_keys_in(s);
    }
    let t = normalise(s);
    let mut out = String::with_capacity(s.len());
    let mut found = false;
    let mut i = 0;
    while i < t.len() {
        if t[i].is_ascii_alphanumeric()
            && let Some(end) = key_at(&t, i)
        {
            let k: String = t[i..end].iter().collect();
            out.push_str(&key::redact(&k));
            found = true;
            i = end;
            continue;
        }
        out.push(t[i]);
        i += 1;
    }
    // Whatever core recognises as well (it learns more forms over time).
    let core = key::redact_keys_in(&out);
    if let Cow::Owned(o) = core {
        return Cow::Owned(o);
    }
    if found {
        Cow::Owned(out)
    } else {
        // Core reads the text as given too: what the normalisation dropped (a soft hyphen, a
        // zero-width space) may be all that separates the groups of a key.
        key::redact_keys_in(s)
    }
}

/// JSON text with every string literal (keys of objects too) scrubbed; a literal without a key is
/// left byte for byte as it was, so the formatting stays the CLI's.
pub(crate) fn scrub_json(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i;
        i += 1;
        while i < b.len() && b[i] != b'"' {
            if b[i] == b'\\' {
                i += 1;
            }
            i += 1;
        }
        let end = (i + 1).min(b.len());
        i = end;
        let lit = &text[start..end];
        if let Ok(s) = serde_json::from_str::<String>(lit)
            && let Cow::Owned(clean) = scrub(&s)
            && let Ok(enc) = serde_json::to_string(&clean)
        {
            out.push_str(&text[last..start]);
            out.push_str(&enc);
            last = end;
        }
    }
    out.push_str(&text[last..]);
    out
}

/// `%XX` escapes decoded (and `+` as a space), as the server decodes a path or query; bytes that
/// are not UTF-8 become U+FFFD.
pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'%' if i + 2 < b.len() => {
                if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "BCDFG-HJKMN-PQRTV-WXY23-46789";

    fn clean(s: &str) -> String {
        scrub(s).into_owned()
    }

    #[test]
    fn every_form_of_a_key_is_masked() {
        let forms = [
            KEY.to_owned(),
            format!("key {KEY} here"),
            format!("x{KEY}y"),
            format!("{KEY}\tclient"),
            "BCDFG\t-HJKMN-PQRTV-WXY23-46789".to_owned(),
            "BCDFG - HJKMN - PQRTV - WXY23 - 46789".to_owned(),
            "BCDFG HJKMN PQRTV WXY23 46789".to_owned(),
            "ＢＣＤＦＧ－ＨＪＫＭＮ－ＰＱＲＴＶ－ＷＸＹ２３－４６７８９".to_owned(),
            "BCDFG‐HJKMN—PQRTV–WXY23−46789".to_owned(),
            "BCDFG-HJ\u{200B}KMN-PQRTV-WXY23-46789".to_owned(),
            "BCDFG-HJKMN-PQRTV-WXY23-46789.evtx".to_owned(),
            "bcdfg-hjkmn-pqrtv-wxy23-46789".to_owned(),
        ];
        for f in forms {
            let c = clean(&f);
            assert!(
                c.contains("*****-*****-*****-*****-") || c.contains("***** ***** ***** *****"),
                "{f:?} -> {c:?}"
            );
            for g in ["BCDFG", "HJKMN", "PQRTV", "WXY23", "bcdfg"] {
                assert!(!c.contains(g), "{f:?} -> {c:?}");
            }
        }
    }

    #[test]
    fn text_without_keys_is_untouched() {
        for s in [
            "0xC004F074",
            "Error 0xC004F074: the KMS host could not be reached",
            "2026-11-24T14:00:00Z",
            "6c1c9d2e-5a7e-4d1c-9b3c-0f2d3e4a5b6c",
            "寬限期 - 到期",
            "the quick brown fox jumps over",
            "ABOUT THESE WORDS WHICH LOOKS",
        ] {
            assert!(matches!(scrub(s), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn json_strings_are_scrubbed_in_place() {
        let v = serde_json::json!({
            "a": "BCDFG\t-HJKMN-PQRTV-WXY23-46789",
            "b": "ＢＣＤＦＧ－ＨＪＫＭＮ－ＰＱＲＴＶ－ＷＸＹ２３－４６７８９",
            "c": "plain \"quoted\" text",
            "BCDFG-HJKMN-PQRTV-WXY23-46789": 1,
        });
        let text = serde_json::to_string_pretty(&v).unwrap();
        let out = scrub_json(&text);
        assert!(!out.contains("BCDFG") && !out.contains("ＢＣＤ"), "{out}");
        assert!(out.contains("plain \\\"quoted\\\" text"), "{out}");
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["c"], v["c"]);
        // Without a key nothing changes, byte for byte.
        let plain =
            serde_json::to_string_pretty(&serde_json::json!({"x": "a\tb", "y": [1, "é"]})).unwrap();
        assert_eq!(scrub_json(&plain), plain);
    }

    mod prop {
        use super::super::*;
        use proptest::prelude::*;

        /// Letters and digits a key never holds, and other text around a key.
        const AROUND: &[char] = &[
            'a', 'e', 'i', 'o', 'u', 'z', 'A', 'E', 'I', 'O', 'U', 'Z', ' ', '.', ':', 'é', '寬',
            '\t', '"',
        ];
        const SEPARATORS: &[&str] = &["-", " - ", "\t-", "-\t", "－", "—", "‐", " －　"];

        fn fold(s: &str) -> String {
            s.chars()
                .map(|c| match c {
                    '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                    c => c,
                })
                .collect::<String>()
                .to_ascii_uppercase()
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]
            #[test]
            fn no_form_of_a_key_survives(
                key in proptest::collection::vec(0usize..25, 25),
                wide in proptest::collection::vec(any::<bool>(), 25),
                lower in any::<bool>(),
                seps in proptest::collection::vec(0usize..SEPARATORS.len(), 4),
                before in proptest::collection::vec(0usize..AROUND.len(), 0..6),
                after in proptest::collection::vec(0usize..AROUND.len(), 0..6),
            ) {
                let alphabet: Vec<char> = key::ALPHABET.chars().collect();
                let chars: Vec<char> = key.iter().map(|&i| alphabet[i]).collect();
                let groups: Vec<String> =
                    chars.chunks(5).map(|g| g.iter().collect()).collect();
                let mut text: String = before.iter().map(|&i| AROUND[i]).collect();
                for (i, c) in chars.iter().enumerate() {
                    if i > 0 && i % 5 == 0 {
                        text.push_str(SEPARATORS[seps[i / 5 - 1]]);
                    }
                    let c = if lower { c.to_ascii_lowercase() } else { *c };
                    if wide[i] {
                        text.push(char::from_u32(c as u32 + 0xFEE0).unwrap_or(c));
                    } else {
                        text.push(c);
                    }
                }
                text.extend(after.iter().map(|&i| AROUND[i]));
                let plain = scrub(&text).into_owned();
                let json = scrub_json(&serde_json::to_string_pretty(&serde_json::json!({"v": text})).unwrap());
                let back: serde_json::Value = serde_json::from_str(&json).unwrap();
                for out in [fold(&plain), fold(back["v"].as_str().unwrap()), fold(&json)] {
                    for g in &groups[..4] {
                        prop_assert!(!out.contains(g.as_str()), "{text:?} -> {out:?}");
                    }
                    prop_assert!(out.contains(groups[4].as_str()), "{text:?} -> {out:?}");
                }
            }
        }
    }

    #[test]
    fn percent_escapes_are_decoded() {
        assert_eq!(
            percent_decode("/api/v1/codes/BCDFG%2DHJKMN%09-x%zz+y%"),
            "/api/v1/codes/BCDFG-HJKMN\t-x%zz y%"
        );
        assert_eq!(percent_decode("%E5%AF%AC"), "寬");
    }
}
