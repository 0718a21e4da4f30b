//! `volact explain`.

use crate::util::{codes, json, run, stdout};

/// The 30 codes of the seed page (Microsoft's zh-TW "Troubleshooting activation error codes").
const SEED: [&str; 30] = [
    "0xC004C001",
    "0xC004C003",
    "0xC004C008",
    "0xC004B100",
    "0xC004C020",
    "0xC004C021",
    "0xC004F009",
    "0xC004F00F",
    "0xC004F014",
    "0xC004F02C",
    "0xC004F035",
    "0xC004F038",
    "0xC004F039",
    "0xC004F041",
    "0xC004F042",
    "0xC004F050",
    "0xC004F051",
    "0xC004F064",
    "0xC004F065",
    "0xC004F06C",
    "0x80070005",
    "0x8007232A",
    "0x8007232B",
    "0x800706BA",
    "0x8007251D",
    "0xC004F074",
    "0x8004FE21",
    "0x80092328",
    "0x8007007B",
    "0x80070490",
];

/// The codes of ACTIVATION-FACTS §1.3 (other Microsoft activation articles).
const EXTRA: [&str; 14] = [
    "0xC004F015",
    "0xC004E002",
    "0xC004E015",
    "0xC004F063",
    "0x8007000D",
    "0x8007267C",
    "0xC0020017",
    "0x8007139F",
    "0x80072338",
    "0xC004F011",
    "0xC004F200",
    "0xC004C4A2",
    "0x80072EE7",
    "0xC004F056",
];

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

#[test]
fn every_seed_and_extra_code_explains_in_both_languages() {
    let all: Vec<&str> = SEED.iter().chain(EXTRA.iter()).copied().collect();
    for lang in ["en", "zh-TW"] {
        let mut args = vec!["--lang", lang, "explain", "--format", "json"];
        args.extend(&all);
        let (v, exit) = json(&args, b"");
        assert_eq!(exit, 0, "all codes are known");
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["lang"], lang);
        let results = v["results"].as_array().unwrap();
        assert_eq!(results.len(), all.len());
        for (r, want) in results.iter().zip(&all) {
            assert_eq!(r["code"], *want);
            assert_eq!(r["known"], true, "{want}");
            let msg = r["message"].as_str().unwrap();
            assert!(!msg.is_empty());
            assert_eq!(
                has_cjk(msg),
                lang == "zh-TW",
                "{want} message language: {msg}"
            );
            assert!(!r["causes"].as_array().unwrap().is_empty(), "{want}");
            assert!(!r["steps"].as_array().unwrap().is_empty(), "{want}");
            assert!(
                !r["activation_types"].as_array().unwrap().is_empty(),
                "{want}"
            );
            assert!(!r["sources"].as_array().unwrap().is_empty(), "{want}");
            let seed = SEED.contains(want);
            assert_eq!(r["seed"], seed, "{want}");
        }
    }
}

#[test]
fn every_input_form_resolves() {
    for form in [
        "0xC004F074",
        "0XC004F074",
        "C004F074",
        "c004f074",
        "-1073418124",
        "3221549172",
        "錯誤: 0xC004F074 無法啟用",
        "Error: 0xC004F074 The Software Licensing Service reported that the computer could not be activated.",
    ] {
        let (v, exit) = json(&["explain", "-f", "json", form], b"");
        assert_eq!(exit, 0, "{form}");
        assert_eq!(codes(&v), ["0xC004F074"], "{form}");
        assert_eq!(
            v["results"][0]["name"],
            "SL_E_VL_BINDING_SERVICE_UNAVAILABLE"
        );
    }
    let (v, _) = json(&["explain", "-f", "json", "Code 0x8007232b"], b"");
    assert_eq!(codes(&v), ["0x8007232B"]);
    let (v, _) = json(&["explain", "-f", "json", "hr=0x80072EE7"], b"");
    assert_eq!(codes(&v), ["0x80072EE7"]);
}

#[test]
fn slui_switch_is_not_a_code() {
    let (v, exit) = json(&["explain", "-f", "json", "slui 0x2a 0x87E10BC6"], b"");
    assert_eq!(codes(&v), ["0x87E10BC6"]);
    // 0x87E10BC6 is in no table we have: decoded honestly, reported as not known.
    let r = &v["results"][0];
    assert_eq!(r["known"], false);
    assert_eq!(r["coverage"], "unknown");
    assert!(r["name"].is_null());
    assert_eq!(r["facility"]["number"], 0x7E1);
    assert_eq!(exit, 1);
}

#[test]
fn json_contract_for_known_and_win32_codes() {
    let (v, _) = json(&["explain", "-f", "json", "0x80070005"], b"");
    let r = &v["results"][0];
    for key in [
        "code",
        "name",
        "known",
        "facility",
        "message",
        "activation_types",
        "causes",
        "steps",
        "commands",
    ] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    assert_eq!(r["facility"]["name"], "FACILITY_WIN32");
    assert_eq!(r["decoded"]["win32"]["code"], 5);
    assert_eq!(r["decoded"]["win32"]["names"][0], "ERROR_ACCESS_DENIED");
    assert!(r["commands"][0]["run"].is_string());
}

#[test]
fn win32_codes_outside_the_kb_are_named() {
    let (v, exit) = json(&["explain", "-f", "json", "0x80070002", "1722"], b"");
    assert_eq!(exit, 1, "0x80070002 is not in the knowledge base");
    let r = &v["results"][0];
    assert_eq!(r["known"], false);
    assert_eq!(r["coverage"], "named");
    assert_eq!(r["decoded"]["win32"]["names"][0], "ERROR_FILE_NOT_FOUND");
    assert_eq!(v["results"][1]["code"], "0x800706BA");
    // And the whole run is "attention" because one code is not fully known.
    let out = run(&["explain", "0x80070002"], b"");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn alias_resolves_to_its_entry() {
    let (v, exit) = json(&["explain", "-f", "json", "0x4004F065"], b"");
    assert_eq!(exit, 0);
    assert_eq!(v["results"][0]["entry_code"], "0xC004F065");
    assert_eq!(v["results"][0]["known"], true);
}

#[test]
fn stdin_and_arguments_together() {
    let (v, exit) = json(
        &["explain", "-f", "json", "-", "0x8007232B"],
        "Windows Script Host\r\n錯誤: 0xC004F074\r\nhr=0xC004F06C\r\n".as_bytes(),
    );
    assert_eq!(exit, 0);
    assert_eq!(codes(&v), ["0xC004F074", "0xC004F06C", "0x8007232B"]);
    assert!(v["results"][0]["input"].as_str().unwrap().contains("錯誤"));
}

#[test]
fn utf16_stdin() {
    let text = "Error: 0xC004F074\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let (v, _) = json(&["explain", "-f", "json", "-"], &bytes);
    assert_eq!(codes(&v), ["0xC004F074"]);
}

#[test]
fn text_output_has_the_sections() {
    let out = run(&["--lang", "en", "explain", "0xC004F074"], b"");
    let s = stdout(&out);
    for want in [
        "0xC004F074",
        "Likely causes",
        "Steps",
        "Commands",
        "Sources",
        "1. ",
    ] {
        assert!(s.contains(want), "missing {want:?} in\n{s}");
    }
    assert!(!s.contains('\u{1b}'), "no colour when not a terminal");
    let out = run(&["--lang", "zh-TW", "explain", "0xC004F074"], b"");
    let s = stdout(&out);
    for want in ["可能的原因", "疑難排解步驟", "指令"] {
        assert!(s.contains(want), "missing {want:?}");
    }
    let out = run(&["--color", "always", "explain", "0xC004F074"], b"");
    assert!(stdout(&out).contains('\u{1b}'));
}

#[test]
fn language_from_the_environment() {
    let out = crate::util::volact()
        .env("LANG", "zh_TW.UTF-8")
        .args(["explain", "-f", "json", "0xC004F074"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lang"], "zh-TW");
    let out = crate::util::volact()
        .env("LANG", "zh_TW.UTF-8")
        .env("VOLACT_LANG", "en")
        .args(["explain", "-f", "json", "0xC004F074"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["lang"], "en");
}

#[test]
fn markdown_output() {
    let out = run(&["explain", "--format", "markdown", "0xC004F06C"], b"");
    let s = stdout(&out);
    assert!(
        s.starts_with("## `0xC004F06C` SL\\_E\\_VL\\_INVALID\\_TIMESTAMP"),
        "{s}"
    );
    assert!(s.contains("### Steps"));
}

#[test]
fn symbolic_names_resolve() {
    let (v, exit) = json(
        &[
            "explain",
            "-f",
            "json",
            "SL_E_VL_INVALID_TIMESTAMP",
            "error_access_denied",
            "DNS_ERROR_RCODE_NAME_ERROR",
        ],
        b"",
    );
    assert_eq!(exit, 0);
    assert_eq!(codes(&v), ["0xC004F06C", "0x80070005", "0x8007232B"]);
    assert_eq!(v["results"][0]["form"], "name");
}
