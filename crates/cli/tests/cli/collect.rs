//! `volact collect` and `volact analyze`: recorded machines replayed into bundles, analysed in both
//! languages and every format, with product keys masked everywhere.

use std::path::{Path, PathBuf};

use crate::util::{run, stderr, stdout};

/// Keys the recordings contain in full (a public GVLK and a made-up host key).
const KEYS: [&str; 2] = [
    "NPPR9-FWDCX-D2C8J-H872K-2YT43",
    "VCQ7B-HF4X9-JR8TD-M6PYG-KW3QB",
];

fn recording(name: &str) -> String {
    format!(
        "{}/../collect/tests/data/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-collect");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Replays a recording into a bundle file; returns its path.
fn bundle(name: &str) -> String {
    let out = tmp(&format!("{name}.zip"));
    let o = run(
        &[
            "collect",
            "--replay",
            &recording(name),
            "--out",
            out.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    out.to_str().unwrap().to_owned()
}

/// Makes the output stable: the bundle path, the collection time and step durations vary.
fn stable(s: &str, path: &str) -> String {
    let s = s.replace(path, "<bundle>");
    // RFC 3339 UTC times (`2026-11-24T14:34:54Z`) become `<time>`.
    let shape = "dddd-dd-ddTdd:dd:ddZ";
    let mut out = String::with_capacity(s.len());
    let mut rest = s.as_str();
    while !rest.is_empty() {
        let b = rest.as_bytes();
        let is_time = b.len() >= shape.len()
            && shape.bytes().zip(b).all(|(p, c)| match p {
                b'd' => c.is_ascii_digit(),
                p => p == *c,
            });
        if is_time {
            out.push_str("<time>");
            rest = &rest[shape.len()..];
        } else {
            let c = rest.chars().next().unwrap();
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    // Step durations: `12 ms` becomes `N ms`, and the padding that right-aligns them (its width
    // follows the number of digits, so it changes from run to run) becomes two spaces.
    out.lines()
        .map(|l| {
            let words: Vec<&str> = l.split(' ').collect();
            let mut kept = Vec::new();
            for (i, w) in words.iter().enumerate() {
                let number = !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
                if number && words.get(i + 1) == Some(&"ms") {
                    while kept.last() == Some(&"") {
                        kept.pop();
                    }
                    kept.extend(["", "N"]);
                } else {
                    kept.push(w);
                }
            }
            kept.join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_no_keys(s: &str, what: &str) {
    for k in KEYS {
        assert!(!s.contains(k), "{what} contains a product key");
        assert!(
            !s.contains(&k[..11]),
            "{what} contains most of a product key"
        );
    }
}

#[cfg(not(windows))]
#[test]
fn collect_off_windows_points_to_analyze() {
    for (lang, word) in [("en", "volact analyze"), ("zh-TW", "volact analyze")] {
        let o = run(
            &[
                "--lang",
                lang,
                "collect",
                "--out",
                tmp("never.zip").to_str().unwrap(),
            ],
            b"",
        );
        assert_eq!(o.status.code(), Some(2), "{lang}");
        let err = stderr(&o);
        assert!(err.contains(word), "{err}");
        assert!(err.contains("Windows"), "{err}");
        assert!(o.stdout.is_empty());
    }
    assert!(!tmp("never.zip").exists(), "nothing is written");
}

#[test]
fn collect_replay_reports_steps_and_masked_keys() {
    let out = tmp("progress.zip");
    let o = run(
        &[
            "collect",
            "--replay",
            &recording("kms-client"),
            "--out",
            out.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0));
    let s = stdout(&o);
    assert!(
        s.contains("8 steps, 0 failed; 2 product key(s) masked."),
        "{s}"
    );
    assert!(s.contains("Next: volact analyze"), "{s}");
    assert!(
        s.contains("elevated prompt"),
        "the refused registry key suggests elevation: {s}"
    );
    let e = stderr(&o);
    assert!(e.contains("[2/8] slmgr-dlv"), "{e}");
    assert!(e.contains("[4/8] events-kms") && e.contains("n/a"), "{e}");
    assert_no_keys(&s, "stdout");
    assert_no_keys(&e, "stderr");
    let zip = std::fs::read(&out).unwrap();
    for k in KEYS {
        assert!(!zip.windows(k.len()).any(|w| w == k.as_bytes()));
    }
}

#[test]
fn collect_replay_of_a_missing_recording_is_an_io_error() {
    let o = run(
        &[
            "collect",
            "--replay",
            &recording("no-such-machine"),
            "--out",
            tmp("x.zip").to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("recording.json"), "{}", stderr(&o));
}

#[test]
fn analyze_client_text_en() {
    let b = bundle("kms-client");
    let o = run(&["--lang", "en", "analyze", &b], b"");
    assert_eq!(o.status.code(), Some(1), "findings need attention");
    insta::assert_snapshot!("analyze_client_text_en", stable(&stdout(&o), &b));
}

#[test]
fn analyze_client_text_zh() {
    let b = bundle("kms-client");
    let o = run(&["--lang", "zh-TW", "analyze", &b], b"");
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("analyze_client_text_zh", stable(&stdout(&o), &b));
}

#[test]
fn analyze_host_markdown_en() {
    let b = bundle("kms-host");
    let o = run(
        &["--lang", "en", "analyze", "--format", "markdown", &b],
        b"",
    );
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("analyze_host_markdown_en", stable(&stdout(&o), &b));
}

#[test]
fn analyze_host_text_zh() {
    let b = bundle("kms-host");
    let o = run(&["--lang", "zh-TW", "analyze", &b], b"");
    assert_eq!(o.status.code(), Some(1));
    insta::assert_snapshot!("analyze_host_text_zh", stable(&stdout(&o), &b));
}

#[test]
fn analyze_json_contract() {
    let b = bundle("kms-host");
    let o = run(&["analyze", "--format", "json", &b], b"");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["lang"], "en");
    assert_eq!(v["machine"]["roles"][0], "kms-host");
    assert_eq!(v["products"][0]["kms_host"]["current_count"], 18);
    assert_eq!(v["settings"]["disable_dns_publishing"], true);
    assert_eq!(v["bundle"]["keys_redacted"], 1);
    let ids: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"host-count-low"), "{ids:?}");
    let checks: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["check"].as_str().unwrap())
        .collect();
    assert!(
        checks.contains(&"dns") && checks.contains(&"clock"),
        "{checks:?}"
    );
}

#[test]
fn every_format_and_language_masks_keys() {
    for name in ["kms-client", "kms-host"] {
        let b = bundle(name);
        for lang in ["en", "zh-TW"] {
            for format in ["text", "json", "ndjson", "csv", "markdown"] {
                let o = run(
                    &[
                        "--lang", lang, "--color", "always", "analyze", "-f", format, &b,
                    ],
                    b"",
                );
                assert_eq!(o.status.code(), Some(1), "{name} {lang} {format}");
                let s = stdout(&o);
                assert_no_keys(&s, &format!("{name} {lang} {format}"));
                match format {
                    "ndjson" => {
                        for line in s.lines() {
                            let v: serde_json::Value = serde_json::from_str(line).unwrap();
                            assert!(v["type"].is_string());
                        }
                    }
                    "csv" => assert!(s.starts_with("type,id,level,code,target,text\r\n")),
                    _ => {}
                }
            }
        }
    }
}

#[test]
fn analyze_bad_bundles_exit_4_with_a_reason() {
    let missing = tmp("missing.zip");
    let _ = std::fs::remove_file(&missing);
    let o = run(&["analyze", missing.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("missing.zip"), "{}", stderr(&o));

    let garbage = tmp("garbage.zip");
    std::fs::write(&garbage, b"PK\x03\x04 this is not really a zip").unwrap();
    let o = run(
        &["--lang", "zh-TW", "analyze", garbage.to_str().unwrap()],
        b"",
    );
    assert_eq!(o.status.code(), Some(4));
    assert!(stderr(&o).contains("無法讀取資料包"), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
}

/// A recording of a machine where nothing could run (as under a locked-down account).
fn failing_recording() -> String {
    let dir = tmp("failing-recording");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("recording.json"),
        r#"{"description": "nothing could run", "steps": [
            {"id": "slmgr-dlv", "command": "cscript.exe //nologo //U slmgr.vbs /dlv all",
             "exit_code": 1, "status": "failed",
             "error": "exit code 1: Input Error: Can not find script file"},
            {"id": "w32tm-status", "command": "w32tm.exe /query /status",
             "error": "cannot start: Access is denied. (os error 5)"}]}"#,
    )
    .unwrap();
    dir.to_str().unwrap().to_owned()
}

#[test]
fn failed_steps_exit_1_and_an_empty_bundle_exits_3() {
    let out = tmp("failing.zip");
    let o = run(
        &[
            "collect",
            "--replay",
            &failing_recording(),
            "--out",
            out.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let s = stdout(&o);
    assert!(s.contains("2 steps, 2 failed"), "{s}");
    assert!(
        s.contains("elevated prompt"),
        "access denied suggests elevation: {s}"
    );
    assert!(stderr(&o).contains("Can not find script file"));

    let o = run(&["analyze", "--format", "json", out.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let failed: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["id"] == "step-failed")
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(stderr(&o).contains("no evidence files"));
}
