//! Product keys in every form are redacted: keys are generated in every width, separator, escape,
//! case and encoding, embedded in random text, redacted, and the output is then normalised by this
//! file's own decoder (JSON, URL and HTML escapes, full width, dash look-alikes, invisible
//! characters), independently of `volact_core::key`. No five-group key may be left.

use proptest::prelude::*;
use volact_core::key;

// ---- The oracle: an independent normaliser and key finder. ----

/// Decodes escapes the way a reader of the output would: JSON (`\uXXXX`, `\t`, behind any number
/// of backslashes, surrogate pairs), URL (`%XX`, UTF-8 sequences) and HTML character references.
fn decode_escapes(s: &str) -> String {
    let mut bytes: Vec<u8> = Vec::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            let mut j = i;
            while j < b.len() && b[j] == b'\\' {
                j += 1;
            }
            if j < b.len() {
                let simple = match b[j] {
                    b't' => Some(b'\t'),
                    b'n' => Some(b'\n'),
                    b'r' => Some(b'\r'),
                    b'b' => Some(8),
                    b'f' => Some(12),
                    _ => None,
                };
                if let Some(c) = simple {
                    bytes.push(c);
                    i = j + 1;
                    continue;
                }
                if b[j] == b'u'
                    && let Some(v) = s
                        .get(j + 1..j + 5)
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                {
                    let mut end = j + 5;
                    let mut cp = v;
                    if (0xD800..0xDC00).contains(&v)
                        && s.get(end..end + 2) == Some("\\u")
                        && let Some(lo) = s
                            .get(end + 2..end + 6)
                            .and_then(|h| u32::from_str_radix(h, 16).ok())
                    {
                        cp = 0x10000 + ((v - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF);
                        end += 6;
                    }
                    let c = char::from_u32(cp).unwrap_or('\u{FFFD}');
                    let mut buf = [0; 4];
                    bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                    i = end;
                    continue;
                }
            }
        }
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            bytes.push(v);
            i += 3;
            continue;
        }
        if b[i] == b'&'
            && let Some(semi) = s[i..].find(';').filter(|&k| k < 20)
        {
            let body = &s[i + 1..i + semi];
            let c = if let Some(h) = body.strip_prefix("#x").or(body.strip_prefix("#X")) {
                u32::from_str_radix(h, 16).ok().and_then(char::from_u32)
            } else if let Some(d) = body.strip_prefix('#') {
                d.parse::<u32>().ok().and_then(char::from_u32)
            } else {
                match body {
                    "ndash" => Some('–'),
                    "minus" => Some('−'),
                    "nbsp" => Some(' '),
                    _ => None,
                }
            };
            if let Some(c) = c {
                let mut buf = [0; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                i += semi + 1;
                continue;
            }
        }
        bytes.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Folds what a reader would take for the same character: full width to ASCII, every dash to `-`,
/// every space to ` `, lower to upper case; drops invisible characters.
fn fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap(),
                c => c,
            };
            match c {
                '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' => Some('-'),
                c if c.is_control() => None,
                '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => None,
                c if c.is_whitespace() => Some(' '),
                c => Some(c.to_ascii_uppercase()),
            }
        })
        .collect()
}

/// Whether `out`, once decoded and folded, still holds the first four groups of `key` (25
/// characters, upper case) in a row, whatever separates them.
fn still_has_key(out: &str, key: &str) -> bool {
    let alnum: String = fold(&decode_escapes(out))
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '*')
        .collect();
    alnum.contains(&key[..20])
}

/// Whether `out`, once decoded and folded, holds any run of five groups of five letters or digits
/// joined by dashes and/or spaces.
fn any_dashed_key(out: &str) -> bool {
    let f: Vec<char> = fold(&decode_escapes(out)).chars().collect();
    let alnum = |c: char| c.is_ascii_alphanumeric();
    'start: for i in 0..f.len() {
        let mut j = i;
        for g in 0..5 {
            for _ in 0..5 {
                if j < f.len() && alnum(f[j]) {
                    j += 1;
                } else {
                    continue 'start;
                }
            }
            if g < 4 {
                let s = j;
                while j < f.len() && (f[j] == '-' || f[j] == ' ') && j - s < 8 {
                    j += 1;
                }
                if j == s || !f[s..j].contains(&'-') {
                    continue 'start;
                }
            }
        }
        return true;
    }
    false
}

// ---- The generator: a key in one of many forms. ----

#[derive(Debug, Clone)]
struct Form {
    /// 0 ASCII, 1 full width, 2 mixed.
    width: u8,
    /// 0 upper, 1 lower, 2 mixed (only when every separator holds a dash).
    case: u8,
    /// The four separators.
    seps: Vec<String>,
    /// Invisible characters put inside groups: (position 0..25, character).
    inside: Vec<(usize, char)>,
    /// 0 raw text, 1 written as a JSON string by serde_json, 2 hand-written JSON escapes for some
    /// characters, 3 UTF-16LE read as if it were UTF-8 (every other byte NUL), 4 URL escapes, 5
    /// HTML character references.
    encoding: u8,
    /// Which characters get escaped in encodings 2, 4 and 5.
    escape_mask: u32,
}

fn separator() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("-".to_owned()),
        Just("\u{FF0D}".to_owned()),
        Just("\u{2010}".to_owned()),
        Just("\u{2011}".to_owned()),
        Just("\u{2012}".to_owned()),
        Just("\u{2013}".to_owned()),
        Just("\u{2014}".to_owned()),
        Just("\u{2015}".to_owned()),
        Just("\u{2212}".to_owned()),
        Just(" - ".to_owned()),
        Just(" -".to_owned()),
        Just("- ".to_owned()),
        Just("\t-\t".to_owned()),
        Just("-\n".to_owned()),
        Just("\u{200B}-".to_owned()),
        Just("\u{1}-".to_owned()),
        Just(" ".to_owned()),
        Just("  ".to_owned()),
        Just("\u{3000}".to_owned()),
        Just("\u{A0}".to_owned()),
        Just("\t".to_owned()),
    ]
}

fn form() -> impl Strategy<Value = Form> {
    (
        0u8..3,
        0u8..3,
        proptest::collection::vec(separator(), 4),
        proptest::collection::vec(
            (
                0usize..25,
                prop_oneof![
                    Just('\u{1}'),
                    Just('\t'),
                    Just('\n'),
                    Just('\u{200B}'),
                    Just('\u{AD}'),
                    Just('\u{FEFF}'),
                    Just('\0'),
                ],
            ),
            0..3,
        ),
        0u8..6,
        any::<u32>(),
    )
        .prop_map(
            |(width, case, mut seps, mut inside, encoding, escape_mask)| {
                // UTF-16 read as bytes: only ASCII survives as text (the rest is noise that no reader
                // would take for a key).
                let width = if encoding == 3 { 0 } else { width };
                if encoding == 3 {
                    inside.retain(|(_, c)| c.is_ascii());
                    for s in &mut seps {
                        if !s.is_ascii() {
                            *s = "-".into();
                        }
                    }
                }
                Form {
                    width,
                    case,
                    seps,
                    inside,
                    encoding,
                    escape_mask,
                }
            },
        )
}

/// Whether every separator holds a dash.
fn all_dashed(f: &Form) -> bool {
    f.seps.iter().all(|s| {
        s.contains('-')
            || s.contains('\u{FF0D}')
            || s.chars().any(|c| ('\u{2010}'..='\u{2212}').contains(&c))
    })
}

/// Text before a key: without dashes, a key is only a key when its first group stands alone.
fn before_key(before: &str, f: &Form) -> String {
    if all_dashed(f) {
        before.to_owned()
    } else {
        format!("{before} ")
    }
}

/// The key written in `f`'s form, before the text around it is added, and before encoding.
fn write_key(key: &str, f: &Form) -> String {
    let all_dashed = all_dashed(f);
    let mut out = String::new();
    for (i, c) in key.chars().enumerate() {
        if i > 0 && i % 5 == 0 {
            out.push_str(&f.seps[i / 5 - 1]);
        }
        for &(at, inv) in &f.inside {
            // Inside groups only (not before a group's first character).
            if at == i && i % 5 != 0 {
                out.push(inv);
            }
        }
        let c = match f.case {
            1 => c.to_ascii_lowercase(),
            2 if all_dashed && i % 2 == 0 => c.to_ascii_lowercase(),
            _ => c,
        };
        let wide = match f.width {
            1 => true,
            2 => i % 3 == 0,
            _ => false,
        };
        out.push(if wide {
            char::from_u32(c as u32 + 0xFEE0).unwrap()
        } else {
            c
        });
    }
    out
}

/// Encodes the whole text as the chosen encoding.
fn encode(text: &str, f: &Form) -> String {
    let pick = |i: usize| f.escape_mask & (1 << (i % 32)) != 0;
    match f.encoding {
        1 => serde_json::to_string(text).unwrap(),
        2 => {
            let mut s = String::from("\"");
            for (i, c) in text.chars().enumerate() {
                if c.is_control() || c == '"' || c == '\\' || pick(i) {
                    let mut buf = [0u16; 2];
                    for u in c.encode_utf16(&mut buf) {
                        s.push_str(&format!("\\u{u:04X}"));
                    }
                } else {
                    s.push(c);
                }
            }
            s.push('"');
            s
        }
        3 => {
            let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
        4 => {
            let mut s = String::new();
            for (i, c) in text.chars().enumerate() {
                if pick(i) || !c.is_ascii_graphic() {
                    let mut buf = [0; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        s.push_str(&format!("%{b:02X}"));
                    }
                } else {
                    s.push(c);
                }
            }
            s
        }
        5 => {
            let mut s = String::new();
            for (i, c) in text.chars().enumerate() {
                if pick(i) {
                    if i % 2 == 0 {
                        s.push_str(&format!("&#{};", c as u32));
                    } else {
                        s.push_str(&format!("&#x{:X};", c as u32));
                    }
                } else {
                    s.push(c);
                }
            }
            s
        }
        _ => text.to_owned(),
    }
}

/// Random surroundings: words, punctuation, full-width and CJK text, digits; may be glued to the key.
fn around() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 .,:;=\"'(){}\\[\\]/#_錯誤碼金鑰ＡＢ１２\\-]{0,40}"
}

/// A key: 25 characters from A-Z and 0-9 with at least one letter and one digit (a run of only
/// letters or only digits with spaces for dashes cannot be told from ordinary text), or 25 from
/// the product-key alphabet.
fn key_chars() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Z0-9]{25}".prop_filter("a letter and a digit", |k| {
            k.chars().any(|c| c.is_ascii_digit()) && k.chars().any(|c| c.is_ascii_uppercase())
        }),
        "[BCDFGHJKMNPQRTVWXY2346789]{25}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_key_survives_in_any_form(
        key in key_chars(),
        f in form(),
        before in around(),
        after in around(),
    ) {
        let text = format!("{}{}{after}", before_key(&before, &f), write_key(&key, &f));
        let encoded = encode(&text, &f);
        let out = key::redact_keys_in(&encoded);
        prop_assert!(!still_has_key(&out, &key), "key {} in {:?}\n from {:?}", key, out, encoded);
        // The last group stays for people to recognise the key, unless the text after it starts
        // with a separator and five more letters or digits: such a run of six groups is
        // ambiguous (the key could be its last five groups), and every five groups in a row
        // may then be masked, the key's last group included.
        let t: Vec<char> = after.chars().collect();
        let first = t.iter().position(|c| c.is_alphanumeric()).unwrap_or(t.len());
        // (In UTF-16 read as bytes a NUL stands between every two characters, so letters glued
        // after the key are a group of their own too.)
        let extra_group = (first > 0 || f.encoding == 3)
            && t.len() >= first + 5
            && t[first..first + 5].iter().all(|c| c.is_alphanumeric());
        if !extra_group {
            let mut folded: String = fold(&decode_escapes(&out)).chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            folded.make_ascii_uppercase();
            prop_assert!(folded.contains(&key[20..]), "{:?} lost the last group", out);
        }
        prop_assert!(!any_dashed_key(&out), "a dashed key left in {:?}", out);
        // JSON stays JSON.
        if matches!(f.encoding, 1 | 2) {
            prop_assert!(serde_json::from_str::<String>(&out).is_ok(), "{:?}", out);
        }
        // The count is the number of keys masked, and the spans hold them.
        let (_, n) = key::redact_keys_counted(&encoded);
        prop_assert!(n >= 1);
        for r in key::find_keys(&encoded) {
            prop_assert!(r.len() <= key::MAX_KEY_SPAN);
        }
    }

    /// The same, with the key in a JSON report that `serde_json` writes (as `volact events` does)
    /// and redacted line by line.
    #[test]
    fn no_key_survives_in_json_reports(
        key in key_chars(),
        f in form(),
        before in around(),
        after in around(),
    ) {
        let value = format!("{}{}{after}", before_key(&before, &f), write_key(&key, &f));
        let report = serde_json::json!({ "inputs": [{ "name": value, "error": null }], "n": 1 });
        let pretty = serde_json::to_string_pretty(&report).unwrap();
        let out: String = pretty.split_inclusive('\n').map(|l| key::redact_keys_in(l).into_owned()).collect();
        prop_assert!(!still_has_key(&out, &key), "{}", out);
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        let name = back["inputs"][0]["name"].as_str().unwrap().to_owned();
        prop_assert!(!still_has_key(&name, &key), "{:?}", name);
    }

    /// Text without keys goes through unchanged: GUIDs, hex codes, dates, words.
    #[test]
    fn ordinary_text_is_left_alone(
        guids in proptest::collection::vec("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", 0..4),
        hex in proptest::collection::vec("0x[0-9A-F]{8}", 0..4),
        words in "[a-z]{1,12}( [a-z]{1,4}| [a-z]{6,12}){0,10}",
    ) {
        let t = format!("{} {} {}", guids.join(" "), hex.join(" "), words);
        prop_assert_eq!(key::redact_keys_in(&t), t.as_str());
    }
}

/// Every text of the knowledge base, in both languages, goes through redaction unchanged (the CLI
/// redacts all its output, so a false alarm would damage an explanation).
#[test]
fn knowledge_base_text_is_not_taken_for_keys() {
    use volact_core::{Lang, kb, render};
    let all = kb::list(None);
    for lang in [Lang::En, Lang::ZhTw] {
        for out in [
            render::entries_text(&all, lang, false),
            render::entries_markdown(&all, lang),
            serde_json::to_string_pretty(&volact_core::catalog::list(lang, None)).unwrap(),
        ] {
            for line in out.lines() {
                assert_eq!(key::redact_keys_in(line), line);
            }
        }
    }
}

#[test]
fn oracle_finds_what_it_should() {
    let k = "ABCDE1GHIJKLMNOPQRSTVWXYZ";
    assert!(still_has_key(
        "x ＡＢＣＤＥ\\u002D1GHIJ - KLM\\u0001NO%2DPQRST-VWXYZ",
        k
    ));
    assert!(any_dashed_key("a abcde-1ghij-klmno - pqrst-vwxyz b"));
    assert!(!any_dashed_key("e23b33b0-c8c9-472c-a5f9-f2bdfea0f156"));
}
