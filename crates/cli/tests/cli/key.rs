//! `volact key check`: shape checks; the key never appears whole in any output.

use crate::util::{json, run, stderr, stdout};

// Made-up keys in the product-key alphabet; not real product keys.
const KEY: &str = "BCDFG-HJKMN-PQRTV-WXY23-46789";

fn assert_redacted(s: &str) {
    for group in ["BCDFG", "HJKMN", "PQRTV", "WXY23"] {
        assert!(!s.contains(group), "key group {group} leaked: {s}");
    }
}

#[test]
fn good_key_from_stdin() {
    let out = run(&["key", "check"], format!("{KEY}\n").as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let s = stdout(&out);
    assert!(s.contains("*****-*****-*****-*****-46789"), "{s}");
    assert!(s.contains("typed exactly right"));
    assert_redacted(&s);
    assert_redacted(&stderr(&out));
}

#[test]
fn wrong_dashes_in_both_languages_and_json() {
    let typed = "BCDFG\u{2014}HJKMN\u{2013}PQRTV\u{FF0D}WXY23-46789\n";
    let (v, exit) = json(&["key", "check", "-f", "json"], typed.as_bytes());
    assert_eq!(exit, 1);
    assert_eq!(v["well_formed"], true);
    assert_eq!(v["exact"], false);
    let kinds: Vec<&str> = v["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["wrong-dash", "wrong-dash", "wrong-dash"]);
    assert_eq!(v["issues"][0]["name"], "em dash");
    assert_redacted(&v.to_string());
    let out = run(&["--lang", "zh-TW", "key", "check"], typed.as_bytes());
    let s = stdout(&out);
    assert!(s.contains("連字號"), "{s}");
    assert_redacted(&s);
}

#[test]
fn invalid_characters_and_shape() {
    let (v, exit) = json(
        &["key", "check", "-f", "json"],
        b"bcdfg-hjkmn-pqrtv-wxy23-4678O\n",
    );
    assert_eq!(exit, 1);
    assert_eq!(v["well_formed"], false);
    let s = v.to_string();
    assert!(
        s.contains("invalid-character") && s.contains("lowercase"),
        "{s}"
    );
    assert_redacted(&s.to_uppercase());
    let (v, _) = json(&["key", "check", "-f", "json"], b"BCDFG-HJKMN\n");
    assert_eq!(v["issues"][0]["kind"], "wrong-shape");
    let (v, _) = json(&["key", "check", "-f", "json"], b"");
    assert_eq!(v["issues"][0]["kind"], "empty");
}

#[test]
fn key_as_argument_warns_about_history() {
    let out = run(&["key", "check", KEY], b"");
    assert!(stderr(&out).contains("shell history"));
    assert_redacted(&stdout(&out));
    assert_redacted(&stderr(&out));
}
