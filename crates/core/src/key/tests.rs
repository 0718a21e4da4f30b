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
    assert!(
        c.issues.iter().any(|i| matches!(i,
        KeyIssue::InvalidCharacter { position: 29, character, maybe: "D, Q" } if character == "O"))
    );
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
