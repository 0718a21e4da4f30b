//! Product keys never reach standard output or standard error, whatever their form and wherever
//! they come from: search queries, rejected argument values (clap's usage errors), file names in
//! "cannot open" messages and warnings, event data in JSON reports, scanned text.

use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::util::{run, stderr, stdout, volact};

/// A made-up key in the product-key alphabet (not a real product key), in several forms.
const KEY: &str = "BCDFG-HJKMN-PQRTV-WXY23-46789";
const FORMS: &[&str] = &[
    "BCDFG-HJKMN-PQRTV-WXY23-46789",
    "ＢＣＤＦＧ－ＨＪＫＭＮ－ＰＱＲＴＶ－ＷＸＹ２３－４６７８９",
    "BCDFG\u{2013}HJKMN\u{2212}PQRTV\u{2010}WXY23\u{2015}46789",
    "xBCDFG-HJKMN-PQRTV-WXY23-46789foo",
    "BCDFG - HJKMN - PQRTV - WXY23 - 46789",
    "BCDFG HJKMN PQRTV WXY23 46789",
    "bcdfg-hjkmn-pqrtv-wxy23-46789",
];

/// The text as a reader would take it: JSON escapes decoded, full width folded, upper case, only
/// letters and digits kept. The key's first four groups must not be there in a row.
fn assert_no_key(what: &str, s: &str) {
    let mut decoded = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&'u') {
            chars.next();
            let hex: String = chars.by_ref().take(4).collect();
            if let Some(d) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                decoded.push(d);
            }
            continue;
        }
        decoded.push(c);
    }
    let folded: String = decoded
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap(),
            c => c,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase();
    for run in ["BCDFGHJKMN", "HJKMNPQRTV", "PQRTVWXY23"] {
        assert!(!folded.contains(run), "{what}: key leaked in {s:?}");
    }
}

fn assert_output_clean(what: &str, o: &Output) {
    assert_no_key(&format!("{what} (stdout)"), &stdout(o));
    assert_no_key(&format!("{what} (stderr)"), &stderr(o));
}

#[test]
fn search_queries_are_redacted_in_every_format() {
    for form in FORMS {
        for format in ["text", "json", "markdown"] {
            let o = run(&["search", "-f", format, form], b"");
            assert_output_clean(&format!("search -f {format} {form}"), &o);
        }
    }
}

#[test]
fn usage_errors_do_not_repeat_keys() {
    for form in FORMS {
        for args in [
            vec!["explain", "--format", form, "0xC004F074"],
            vec!["events", "--since", form, "-"],
            vec!["--lang", form, "explain", "0xC004F074"],
            vec![form],
            vec!["scan", "--context", form, "-"],
        ] {
            let o = run(&args, b"");
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            assert_output_clean(&format!("{args:?}"), &o);
        }
    }
}

#[test]
fn missing_files_are_named_redacted() {
    for form in FORMS {
        let path = format!("/nonexistent-volact/{form}.evtx");
        for args in [
            vec!["scan", path.as_str()],
            vec!["events", path.as_str()],
            vec!["events", "-f", "json", path.as_str()],
            vec!["events", "--clients-csv", path.as_str(), "-"],
            vec!["analyze", path.as_str()],
        ] {
            let o = run(&args, b"");
            assert_ne!(o.status.code(), Some(0), "{args:?}");
            assert_output_clean(&format!("{args:?}"), &o);
        }
    }
}

#[test]
fn doctor_explain_is_redacted() {
    for form in FORMS {
        let o = run(&["doctor", "--explain", form], b"");
        assert_output_clean(&format!("doctor --explain {form}"), &o);
    }
}

/// A temp directory removed on drop.
struct Dir(PathBuf);

impl Dir {
    fn new() -> Self {
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "volact-cli-redaction-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(unix)]
#[test]
fn keys_in_file_names_are_redacted_in_warnings_and_reports() {
    let d = Dir::new();
    // File names may hold control characters on Unix; JSON writes them as escapes inside the key.
    let names = [
        "key BCDFG-HJKMN-PQRTV-WXY23-46789.evtx",
        "BCD\tFG-HJKMN-PQRTV-WXY23-46789.evtx",
        "BCDFG\u{1}-HJKMN\n-PQRTV-WXY23-46789.evtx",
        "ＢＣＤＦＧ－HJKMN-PQRTV-WXY23-46789.txt",
    ];
    for name in names {
        std::fs::write(d.0.join(name), b"ElfFile\0 damaged").unwrap();
    }
    for format in ["text", "json", "ndjson", "csv", "markdown"] {
        let o = volact()
            .current_dir(&d.0)
            .args(["events", "-f", format, "."])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_output_clean(&format!("events -f {format}"), &o);
        let o = volact()
            .current_dir(&d.0)
            .args(["scan", "-a", "-f", format, "."])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_output_clean(&format!("scan -f {format}"), &o);
    }
}

#[test]
fn keys_in_event_data_are_redacted_in_json_and_ndjson() {
    // XML character references put a tab and a line break inside the key; full-width and
    // look-alike dashes in another field. JSON writes the tab and line break as `\t` and `\n`.
    let xml = "<Events><Event><System><Provider Name='Microsoft-Windows-Security-Licensing-SLC'/>\
        <EventID>12293</EventID><TimeCreated SystemTime='2026-11-24T06:00:00Z'/>\
        <Computer>ＢＣＤＦＧ－ＨＪＫＭＮ\u{2013}PQRTV-WXY23-46789</Computer></System><EventData>\
        <Data>0x8007232B</Data><Data>BCD&#9;FG-HJKMN&#10;-PQRTV-WXY23-46789.contoso.test</Data>\
        </EventData></Event></Events>";
    for format in ["json", "ndjson", "text", "csv", "markdown"] {
        let o = run(&["events", "-f", format, "-"], xml.as_bytes());
        assert_output_clean(&format!("events -f {format}"), &o);
    }
    // UTF-16 text in.
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(xml.encode_utf16().flat_map(u16::to_le_bytes));
    let o = run(&["events", "-f", "json", "-"], &bytes);
    assert_output_clean("events UTF-16", &o);
    assert!(stdout(&o).contains("46789"), "{}", stdout(&o));
}

#[test]
fn scan_redacts_glued_and_spaced_keys() {
    let text = format!(
        "error 0xC004F074 key x{KEY}foo\nerror 0xC004F074 key BCDFG HJKMN PQRTV WXY23 46789 here\n\
         0xC004F074 123BCDFG-HJKMN-PQRTV-WXY23-46789\n0xC004F074 ＢＣＤＦＧ－ＨＪＫＭＮ－ＰＱＲＴＶ－ＷＸＹ２３－４６７８９\n"
    );
    for format in ["text", "json", "ndjson", "csv", "markdown"] {
        let o = run(&["scan", "-f", format, "-"], text.as_bytes());
        assert_output_clean(&format!("scan -f {format}"), &o);
        assert!(stdout(&o).contains("0xC004F074"));
    }
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let o = run(&["scan", "-f", "json", "-"], &utf16);
    assert_output_clean("scan UTF-16", &o);
}

#[test]
fn own_texts_are_not_taken_for_keys() {
    // The shape a key should have is explained with a placeholder, which stays as it is.
    let o = run(&["key", "check"], b"BCDFG-HJKMN\n");
    assert!(
        stdout(&o).contains("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX"),
        "{}",
        stdout(&o)
    );
    // The whole knowledge base, in both languages, and the help.
    for args in [
        vec!["list"],
        vec!["--lang", "zh-TW", "list"],
        vec!["list", "-f", "json"],
        vec!["--help"],
        vec!["key", "check", "--help"],
        vec!["--lang", "zh-TW", "--help"],
        vec!["--lang", "zh-TW", "key", "check", "--help"],
    ] {
        let o = run(&args, b"");
        assert!(!stdout(&o).contains("*****"), "{args:?}: {}", stdout(&o));
    }
}
