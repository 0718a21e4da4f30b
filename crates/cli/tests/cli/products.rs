//! `volact products`: lookups, exit codes, the GVLK exception to redaction, and snapshots of every
//! format in both languages.

use insta_cmd::assert_cmd_snapshot;

use crate::util::{json, run, stderr, stdout, volact};

fn names(v: &serde_json::Value) -> Vec<String> {
    v["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn list_search_and_family() {
    let (all, exit) = json(&["products", "-f", "json"], b"");
    assert_eq!(exit, 0);
    let n = all["count"].as_u64().unwrap();
    assert_eq!(n as usize, names(&all).len());
    assert!(n >= 150, "{n}");
    let mut sum = 0;
    for family in ["windows", "server", "office"] {
        let (v, exit) = json(&["products", "--family", family, "-f", "json"], b"");
        assert_eq!(exit, 0);
        assert!(
            v["products"]
                .as_array()
                .unwrap()
                .iter()
                .all(|p| p["family"] == family)
        );
        sum += v["count"].as_u64().unwrap();
    }
    assert_eq!(sum, n);
    let (v, _) = json(&["products", "LTSC", "2019", "-f", "json"], b"");
    assert!(names(&v).iter().all(|n| n.contains("LTSC 2019")), "{v}");
    assert_eq!(v["query"], "LTSC 2019");
    let (v, _) = json(
        &[
            "products",
            "2D5A5A60-3040-48BF-BEB0-FCD770C20CE0",
            "-f",
            "json",
        ],
        b"",
    );
    assert_eq!(names(&v), ["Windows 10 Enterprise LTSB 2016"]);
    assert_eq!(v["products"][0]["kms_count"], 25);
    assert_eq!(v["products"][0]["activation_id_third_party"], true);
    let (v, _) = json(
        &["products", "wfg99", "--family", "office", "-f", "json"],
        b"",
    );
    assert_eq!(names(&v), ["Office Professional Plus 2016"]);
    assert_eq!(v["products"][0]["kms_count"], 5);
    let (v, _) = json(
        &["products", "wfg99", "--family", "server", "-f", "json"],
        b"",
    );
    assert_eq!(v["count"], 0);
    // The Activation ID of a KMS host key (slmgr /dlv on the host): what it activates.
    let office_host = "F3D89BBF-C0EC-47CE-A8FA-E5A5F97E447F";
    let (v, exit) = json(&["products", office_host, "-f", "json"], b"");
    assert_eq!((exit, v["count"].as_u64()), (0, Some(12)));
}

#[test]
fn nothing_found_is_exit_1_with_a_message() {
    let out = run(&["products", "no such edition"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no product in the table matches"),
        "{}",
        stderr(&out)
    );
    let out = run(&["--lang", "zh-TW", "products", "no such edition"], b"");
    assert!(stderr(&out).contains("產品表中沒有符合"));
    let (v, exit) = json(&["products", "no such edition", "-f", "json"], b"");
    assert_eq!((exit, v["count"].as_u64()), (1, Some(0)));
    assert_eq!(
        run(&["products", "--family", "linux"], b"").status.code(),
        Some(2)
    );
    assert_eq!(run(&["products", "-f", "yaml"], b"").status.code(), Some(2));
}

/// Published GVLKs are shown whole with --gvlk, and only then; a key the user typed stays masked.
#[test]
fn gvlks_whole_only_with_the_flag() {
    let pro = "W269N-WFGWX-YVC9B-4J6C9-T83GX";
    for format in ["text", "json", "ndjson", "csv", "markdown"] {
        let out = run(&["products", "Windows 11 Pro", "--gvlk", "-f", format], b"");
        assert!(stdout(&out).contains(pro), "{format}");
        let out = run(&["products", "Windows 11 Pro", "-f", format], b"");
        assert!(!stdout(&out).contains(pro), "{format}");
        assert!(stdout(&out).contains("T83GX"), "{format}");
    }
    // Every GVLK of the JSON is the core table's.
    let (v, _) = json(&["products", "--gvlk", "-f", "json"], b"");
    for p in v["products"].as_array().unwrap() {
        let row = volact_core::products::all()
            .iter()
            .find(|r| r.name == p["name"])
            .unwrap();
        assert_eq!(p["gvlk"], row.gvlk);
    }
    // A key that is not in the table (here a made-up one) is redacted in the echo of the search.
    let typed = "BCDFG-HJKMN-PQRTV-WXY23-46789";
    let out = run(&["products", typed, "--gvlk", "-f", "json"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(!stdout(&out).contains(typed), "{}", stdout(&out));
    let out = run(&["products", typed], b"");
    assert!(!stderr(&out).contains(typed), "{}", stderr(&out));
}

/// `volact explain` shows the row of a known Activation ID and points from key codes to the table.
#[test]
fn explain_uses_the_table() {
    let out = run(&["explain", "{2D5A5A60-3040-48BF-BEB0-FCD770C20CE0}"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("Windows 10 Enterprise LTSB 2016"));
    let (v, exit) = json(
        &[
            "explain",
            "2d5a5a60-3040-48bf-beb0-fcd770c20ce0",
            "-f",
            "json",
        ],
        b"",
    );
    assert_eq!(exit, 0);
    assert_eq!(names(&v), ["Windows 10 Enterprise LTSB 2016"]);
    // With a code too: the report, then the row.
    let both = [
        "explain",
        "0xC004F074",
        "32d2fab3-e4a8-42c2-923b-4bf4fd13e6ee",
    ];
    let out = run(&both, b"");
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.find("0xC004F074").unwrap() < text.find("LTSC 2019").unwrap());
    // An unknown GUID is not a code: nothing found, as before.
    let out = run(&["explain", "00000000-0000-0000-0000-000000000000"], b"");
    assert_eq!(out.status.code(), Some(3));
    for (code, lang, want) in [
        ("0xC004F069", "en", "`volact products`"),
        ("0xC004F015", "zh-TW", "產品金鑰與版本"),
        ("0xC004E016", "en", "`volact products`"),
    ] {
        let out = run(&["--lang", lang, "explain", code], b"");
        assert!(stdout(&out).contains(want), "{code}");
    }
    let out = run(&["explain", "0xC004F074"], b"");
    assert!(!stdout(&out).contains("volact products"));
    let (v, _) = json(&["explain", "0xC004F069", "-f", "json"], b"");
    assert!(!v.to_string().contains("volact products"));
}

/// `(snapshot name, arguments)`: every format, both languages, an empty answer, and explain.
const SNAPSHOTS: &[(&str, &[&str])] = &[
    (
        "products_text_en",
        &["--lang", "en", "products", "LTSC 2019", "--gvlk"],
    ),
    (
        "products_text_zh",
        &["--lang", "zh-TW", "products", "LTSC 2019", "--gvlk"],
    ),
    (
        "products_id_text_en",
        &[
            "--lang",
            "en",
            "products",
            "2d5a5a60-3040-48bf-beb0-fcd770c20ce0",
        ],
    ),
    (
        "products_id_text_zh",
        &[
            "--lang",
            "zh-TW",
            "products",
            "2d5a5a60-3040-48bf-beb0-fcd770c20ce0",
        ],
    ),
    (
        "products_json_en",
        &[
            "--lang",
            "en",
            "products",
            "Server 2025",
            "-f",
            "json",
            "--gvlk",
        ],
    ),
    (
        "products_json_zh",
        &["--lang", "zh-TW", "products", "Server 2025", "-f", "json"],
    ),
    (
        "products_ndjson",
        &["products", "Visio 2024", "-f", "ndjson", "--gvlk"],
    ),
    (
        "products_csv",
        &[
            "products", "--family", "office", "2021", "-f", "csv", "--gvlk",
        ],
    ),
    (
        "products_markdown_en",
        &[
            "--lang",
            "en",
            "products",
            "Windows 7",
            "-f",
            "markdown",
            "--gvlk",
        ],
    ),
    (
        "products_markdown_zh",
        &["--lang", "zh-TW", "products", "Windows 7", "-f", "markdown"],
    ),
    (
        "products_none_en",
        &["--lang", "en", "products", "Windows 95"],
    ),
    (
        "products_none_zh",
        &["--lang", "zh-TW", "products", "Windows 95"],
    ),
    (
        "explain_activation_id_zh",
        &[
            "--lang",
            "zh-TW",
            "explain",
            "59eb965c-9150-42b7-a0ec-22151b9897c5",
        ],
    ),
    (
        "explain_key_code_en",
        &["--lang", "en", "explain", "0xC004F042"],
    ),
];

#[test]
fn snapshots_of_every_format_and_language() {
    for (name, args) in SNAPSHOTS {
        assert_cmd_snapshot!(*name, volact().args(*args));
    }
}
