//! Integration tests of `volact-scan`: encodings, gzip, directories and globs, binary and
//! truncated files, structured inputs, redaction, bounded memory on enormous lines, and property
//! tests (any bytes never panic; a code embedded anywhere in noise is found where it is).

use std::io::{Read, Write};
use std::path::Path;

use proptest::prelude::*;
use volact_core::Lang;
use volact_scan::{
    Options, ScanReport, SkipReason, Source, Status, Verdict, render, scan, scan_bytes, scan_read,
    scan_str,
};

const CLIENT: &str = include_str!("data/slmgr-client-dlv.txt");
const HOST: &str = include_str!("data/slmgr-host-dli.txt");
const UNACTIVATED: &str = include_str!("data/slmgr-unactivated-dli.txt");
const EVENTS: &str = include_str!("data/event-viewer-12288.txt");
const KEY: &str = "ABCDE-FGHIJ-KLMNO-PQRST-VWXY2";

fn report_of(bytes: &[u8]) -> ScanReport {
    scan_bytes("t", bytes, &Options::default()).report(Lang::En)
}

fn places(r: &ScanReport) -> Vec<(String, u64, u64)> {
    r.matches
        .iter()
        .map(|m| (m.m.code.to_string(), m.m.place.line, m.m.place.column))
        .collect()
}

fn utf16le(s: &str, bom: bool) -> Vec<u8> {
    let mut v: Vec<u8> = if bom { vec![0xFF, 0xFE] } else { vec![] };
    v.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
    v
}

fn utf16be(s: &str, bom: bool) -> Vec<u8> {
    let mut v: Vec<u8> = if bom { vec![0xFE, 0xFF] } else { vec![] };
    v.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    v
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

const SAMPLE: &str = "first line\r\n錯誤：0xC004F074 無法啟用\r\nhr=0x8007232B and -1073418124\r\n";

fn expected_sample() -> Vec<(String, u64, u64)> {
    vec![
        ("0xC004F074".into(), 2, 4),
        ("0x8007232B".into(), 3, 4),
        ("0xC004F074".into(), 3, 19),
    ]
}

#[test]
fn utf8_crlf_lines_and_columns() {
    let r = report_of(SAMPLE.as_bytes());
    assert_eq!(places(&r), expected_sample());
    assert_eq!(r.inputs[0].encoding, Some("UTF-8"));
    assert_eq!(r.inputs[0].lines, 3);
    assert_eq!(r.summary.len(), 2);
    assert_eq!(r.summary[0].count, 2);
    assert_eq!(r.summary[0].first.line, 2);
    assert_eq!(r.summary[0].last.column, 19);
}

#[test]
fn utf16_le_and_be_with_and_without_bom() {
    for (bytes, enc) in [
        (utf16le(SAMPLE, true), "UTF-16LE"),
        (utf16le(SAMPLE, false), "UTF-16LE"),
        (utf16be(SAMPLE, true), "UTF-16BE"),
        (utf16be(SAMPLE, false), "UTF-16BE"),
    ] {
        let r = report_of(&bytes);
        assert_eq!(r.inputs[0].encoding, Some(enc));
        assert_eq!(places(&r), expected_sample(), "{enc}");
    }
}

#[test]
fn gzip_is_read_transparently() {
    let r = report_of(&gzip(SAMPLE.as_bytes()));
    assert!(r.inputs[0].gzip);
    assert_eq!(places(&r), expected_sample());
    // gzip of UTF-16 too.
    let r = report_of(&gzip(&utf16le(SAMPLE, true)));
    assert_eq!(places(&r), expected_sample());
}

#[test]
fn truncated_gzip_keeps_what_was_read_and_reports_the_error() {
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!("line {i} hr=0xC004F074\n"));
    }
    let gz = gzip(text.as_bytes());
    let cut = &gz[..gz.len() / 2];
    let r = report_of(cut);
    assert_eq!(r.inputs[0].status, Status::Error);
    assert!(r.inputs[0].error.is_some());
    assert!(r.totals.matches > 1000, "{}", r.totals.matches);
    assert_eq!(r.verdict(), Verdict::IoError);
}

#[test]
fn truncated_utf16_and_invalid_utf8_are_read() {
    let mut b = utf16le("x 0xC004F074\r\n", true);
    b.push(0x41); // half a code unit
    let r = report_of(&b);
    assert_eq!(r.totals.matches, 1);
    assert!(r.inputs[0].replaced);
    let r = report_of(b"caf\xe9 \xff 0xC004F074 \xfe\n");
    assert_eq!(places(&r), [("0xC004F074".into(), 1, 8)]);
    assert!(r.inputs[0].replaced);
}

#[test]
fn latin1_bytes_in_utf8_input_set_replaced_even_without_a_code_nearby() {
    // Issue 14 item 5: the flag was only set when a code stood on the damaged line.
    let r = report_of(b"Name: caf\xe9 cr\xe8me\nError: 0xC004F074\n");
    assert!(r.inputs[0].replaced);
    assert_eq!(r.totals.matches, 1);
    let r = report_of(b"r\xe9sum\xe9 without any code\n");
    assert!(r.inputs[0].replaced);
    let r = report_of("clean UTF-8: 錯誤 0xC004F074\n".as_bytes());
    assert!(!r.inputs[0].replaced);
}

#[test]
fn mixed_encodings_in_one_stream() {
    // UTF-8 log with a UTF-16LE block appended (PowerShell `>>` into a UTF-8 file).
    let mut b = b"utf8 part hr=0x8007232B\n".to_vec();
    b.extend(utf16le("utf16 part Error: 0xC004F074\n", false));
    b.extend(b"back to utf8 0xC004F038\n");
    let r = scan_bytes("mixed", &b, &Options::default()).report(Lang::En);
    let codes: Vec<String> = r.matches.iter().map(|m| m.m.code.to_string()).collect();
    assert_eq!(codes, ["0x8007232B", "0xC004F074", "0xC004F038"]);
}

#[test]
fn binary_is_skipped_unless_asked() {
    let data = b"\x7fELF\x02\x01\x01\0\0\0\0\0 payload 0xC004F074 \0\0";
    let r = report_of(data);
    assert_eq!(r.inputs[0].status, Status::Skipped);
    assert_eq!(r.inputs[0].skip_reason, Some(SkipReason::Binary));
    assert_eq!(r.totals.skipped, 1);
    assert_eq!(r.verdict(), Verdict::NothingFound);
    let opts = Options {
        binary: true,
        ..Options::default()
    };
    let r = scan_bytes("bin", data, &opts).report(Lang::En);
    assert_eq!(r.totals.matches, 1);
}

#[test]
fn noise_is_not_reported_unless_all_codes() {
    let text = "ptr 0x00000000 at 0xDEADBEEF hash 0xFFFFFFFF addr 0x7FF6A1B2 0x00007FF6A1B2C3D4\n\
                {e23b33b0-c8c9-472c-a5f9-f2bdfea0f156} deadbeef 1700000000\n";
    let r = report_of(text.as_bytes());
    assert_eq!(r.totals.matches, 0);
    // Not reported, but counted, with the lines they are on.
    assert_eq!((r.totals.other_values, r.totals.other_lines), (4, 1));
    assert_eq!(r.verdict(), Verdict::NothingFound);
    let opts = Options {
        all_codes: true,
        ..Options::default()
    };
    let r = scan_str("t", text, &opts).report(Lang::En);
    assert_eq!(r.totals.matches, 4);
    assert_eq!(r.totals.other_values, 4);
    // Listing them does not change the verdict.
    assert_eq!(r.verdict(), Verdict::NothingFound);
    // A result field makes 0x00000000 count; an unknown failure code counts without noise words.
    let r = report_of(b"hr=0x00000000\nslui.exe 0x2a 0x87E10BC6\n");
    let codes: Vec<String> = r.summary.iter().map(|c| c.code.to_string()).collect();
    assert_eq!(codes, ["0x00000000", "0x87E10BC6"]);
}

#[test]
fn verdicts() {
    assert_eq!(report_of(b"hr=0xC004F074\n").verdict(), Verdict::Ok);
    assert_eq!(
        report_of(b"nothing here\n").verdict(),
        Verdict::NothingFound
    );
    assert_eq!(report_of(b"").verdict(), Verdict::NothingFound);
    // Unknown failure code.
    assert_eq!(report_of(b"hr=0x87E10BC6\n").verdict(), Verdict::Attention);
    // Known code but a failing diagnosis.
    assert_eq!(
        report_of(UNACTIVATED.as_bytes()).verdict(),
        Verdict::Attention
    );
    assert_eq!(report_of(CLIENT.as_bytes()).verdict(), Verdict::Ok);
}

#[test]
fn slmgr_snapshots_client_host_unactivated() {
    let text = format!("{CLIENT}\n----\n{HOST}\n----\n{UNACTIVATED}");
    let r = report_of(text.as_bytes());
    assert_eq!(r.snapshots.len(), 3);
    let kinds: Vec<Vec<&str>> = r
        .snapshots
        .iter()
        .map(|s| s.diagnosis.iter().map(|d| d.kind()).collect())
        .collect();
    // 2YT43: the published KMS client setup key of Windows Enterprise.
    assert_eq!(kinds[0], ["licensed", "gvlk-installed"]);
    assert!(kinds[1].contains(&"kms-count-below-threshold"));
    assert!(kinds[2].contains(&"notification"));
    assert!(kinds[2].contains(&"kms-host-not-found"));
    assert_eq!(
        r.snapshots[1]
            .snapshot
            .kms_host
            .as_ref()
            .unwrap()
            .current_count,
        Some(12)
    );
    // The notification reason is also a match.
    assert!(r.summary.iter().any(|c| c.code.to_string() == "0xC004F056"));
}

#[test]
fn event_text_is_parsed_into_events() {
    let text = format!(
        "some log\n{EVENTS}\n0xC004F074, 0x0, kms01.contoso.com:1688, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/11/24 14:20, 0, 2, 43200, 2ffd8952-423e-4903-b993-72a1aa44cf82, 25\n"
    );
    let r = report_of(text.as_bytes());
    let ids: Vec<u32> = r.events.iter().map(|e| e.event.id).collect();
    assert_eq!(ids[..2], [12288, 12289]);
    assert_eq!(r.events[0].line, 2);
    assert_eq!(
        r.events[0].event.computer.as_deref(),
        Some("pc1.contoso.com")
    );
    // The bare Info line at the end, outside any header block.
    assert_eq!(ids.len(), 3, "{ids:?}");
}

#[test]
fn bare_info_lines_far_from_keywords_are_found() {
    // A quiet megabyte of noise, then a bare 12288 Info line with no keyword around it.
    let mut text = "noise line without anything of interest\n".repeat(40_000);
    text.push_str("0xC004F074, 0x0, kms01.contoso.com:1688, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/11/24 14:20, 0, 2, 43200, 2ffd8952-423e-4903-b993-72a1aa44cf82, 25\n");
    text.push_str(&"more noise\n".repeat(1000));
    let r = report_of(text.as_bytes());
    assert_eq!(r.events.len(), 1);
    assert_eq!(r.events[0].line, 40_001);
}

#[test]
fn structures_across_block_boundaries() {
    // Put an slmgr snapshot right where a 1 MiB block ends.
    let filler = "filler line of a quiet log\n";
    let n = (1024 * 1024 - 300) / filler.len();
    let text = format!("{}{HOST}{}", filler.repeat(n), filler.repeat(50_000));
    let r = report_of(text.as_bytes());
    assert_eq!(r.snapshots.len(), 1);
    let s = &r.snapshots[0].snapshot;
    assert_eq!(s.line, n as u64 + 1);
    assert_eq!(
        s.name.as_deref(),
        Some("Windows(R), ServerStandard edition")
    );
    assert_eq!(s.kms_host.as_ref().unwrap().failed_requests, Some(31));
}

#[test]
fn keys_are_redacted_in_every_format() {
    let text = format!(
        "Error: 0xC004F074 after slmgr /ipk {KEY}\nName: Windows\nDescription: {KEY} VOLUME_KMSCLIENT channel\nLicense Status: Licensed\n"
    );
    let r = report_of(text.as_bytes());
    assert!(r.totals.matches >= 1);
    for (fmt, out) in [
        ("text", render::text(&r, false)),
        ("text-color", render::text(&r, true)),
        ("json", render::json(&r)),
        ("ndjson", render::ndjson(&r)),
        ("csv", render::csv(&r)),
        ("markdown", render::markdown(&r)),
    ] {
        assert!(!out.contains("ABCDE"), "{fmt}: {out}");
        assert!(!out.contains("PQRST"), "{fmt}: {out}");
        assert!(out.contains("VWXY2"), "{fmt}: {out}");
    }
}

#[test]
fn json_contract() {
    let text = format!("hr=0xC004F074\n{HOST}");
    let r = report_of(text.as_bytes());
    let v: serde_json::Value = serde_json::from_str(&render::json(&r)).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["lang"], "en");
    let s = &v["summary"][0];
    for k in [
        "code", "name", "coverage", "severity", "count", "files", "first", "last", "meaning",
    ] {
        assert!(s.get(k).is_some(), "summary.{k}");
    }
    let m = &v["matches"][0];
    assert_eq!(m["path"], "t");
    assert_eq!(m["line"], 1);
    assert_eq!(m["column"], 4);
    assert_eq!(m["code"], "0xC004F074");
    assert_eq!(m["coverage"], "known");
    assert!(m["context"].is_string());
    let sn = &v["snapshots"][0];
    assert_eq!(sn["path"], "t");
    assert_eq!(sn["kms_host"]["current_count"], 12);
    assert_eq!(sn["diagnosis"][1]["code"], "0xC004F038");
    assert!(v["events"].is_array());
    assert_eq!(v["inputs"][0]["status"], "read");
    assert_eq!(v["totals"]["matches"], 1);
    // NDJSON: one object per line with a type, header first.
    let nd = render::ndjson(&r);
    let types: Vec<String> = nd
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["type"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(types.first().map(String::as_str), Some("header"));
    assert!(types.iter().any(|t| t == "snapshot"));
    assert!(types.iter().any(|t| t == "match"));
    // CSV: a header and one row per match plus diagnosis rows.
    let csv = render::csv(&r);
    assert!(csv.starts_with("kind,path,line,column,code,"));
    assert!(
        csv.lines()
            .any(|l| l.starts_with("match,t,1,4,0xC004F074,"))
    );
    assert!(
        csv.lines()
            .any(|l| l.starts_with("diagnosis,t,2,,0xC004F038,"))
    );
}

#[test]
fn both_languages() {
    let r = scan_str("t", HOST, &Options::default()).report(Lang::ZhTw);
    let t = render::text(&r, false);
    assert!(t.contains("slmgr 授權快照"));
    assert!(t.contains("KMS 主機計數為 12"));
    let r = scan_str("t", "hr=0xC004F074", &Options::default()).report(Lang::ZhTw);
    assert!(render::markdown(&r).contains("依代碼彙總"));
}

fn write(dir: &Path, rel: &str, data: &[u8]) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, data).unwrap();
}

#[test]
fn directories_globs_order_and_errors() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "b.log", b"hr=0x8007232B\n");
    write(d.path(), "a.log", b"hr=0xC004F074\n");
    write(
        d.path(),
        "sub/c.txt",
        &utf16le("Error: 0xC004F038\r\n", true),
    );
    write(d.path(), "sub/d.log.gz", &gzip(b"x\nhr=0xC004F06C\n"));
    write(d.path(), "sub/skip.bin", b"\0\0\0\x01binary 0xC004F074");
    write(d.path(), "old/e.log", b"hr=0xC004F074\n");
    let src = [Source::Path(d.path().to_path_buf())];
    let opts = Options::default();
    let r = scan(&src, &opts, None).unwrap().report(Lang::En);
    let names: Vec<String> = r
        .inputs
        .iter()
        .map(|i| {
            Path::new(&i.path)
                .strip_prefix(d.path())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    assert_eq!(
        names,
        [
            "a.log",
            "b.log",
            "old/e.log",
            "sub/c.txt",
            "sub/d.log.gz",
            "sub/skip.bin"
        ]
    );
    assert_eq!(r.totals.read, 5);
    assert_eq!(r.totals.skipped, 1);
    assert_eq!(r.summary[0].code.to_string(), "0xC004F074");
    assert_eq!(r.summary[0].files, 2);
    // Include and exclude globs; the order of results stays the input order with 1 or 2 threads.
    for threads in [1, 2] {
        let opts = Options {
            globs: vec!["*.log".into(), "*.gz".into(), "!old/**".into()],
            threads,
            ..Options::default()
        };
        let r = scan(&src, &opts, None).unwrap().report(Lang::En);
        let codes: Vec<String> = r.matches.iter().map(|m| m.m.code.to_string()).collect();
        assert_eq!(codes, ["0xC004F074", "0x8007232B", "0xC004F06C"]);
    }
    // A missing path is an I/O error; the rest is still reported.
    let src = [
        Source::Path(d.path().join("a.log")),
        Source::Path(d.path().join("missing.log")),
    ];
    let r = scan(&src, &Options::default(), None)
        .unwrap()
        .report(Lang::En);
    assert_eq!(r.totals.errors, 1);
    assert_eq!(r.totals.matches, 1);
    assert_eq!(r.verdict(), Verdict::IoError);
    // A bad glob is refused.
    let opts = Options {
        globs: vec!["[".into()],
        ..Options::default()
    };
    assert!(scan(&[Source::Path(d.path().into())], &opts, None).is_err());
}

/// A reader producing one enormous line of noise with codes in it, without holding it.
struct Generator {
    left: usize,
    unit: &'static [u8],
    at: usize,
}

impl Read for Generator {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.left);
        for b in &mut buf[..n] {
            *b = self.unit[self.at];
            self.at = (self.at + 1) % self.unit.len();
        }
        self.left -= n;
        Ok(n)
    }
}

#[test]
fn enormous_line_in_bounded_pieces() {
    let unit: &'static [u8] = b"noise noise 0xC004F074 noise ";
    let total = unit.len() * 400_000; // 11.6 MB on one line
    let g = Generator {
        left: total,
        unit,
        at: 0,
    };
    let opts = Options {
        max_matches: 10,
        ..Options::default()
    };
    let r = scan_read("gen", g, &opts).report(Lang::En);
    assert_eq!(r.totals.matches, 400_000);
    assert_eq!(r.matches.len(), 10);
    assert!(r.matches_truncated);
    assert_eq!(r.totals.lines, 1);
    let last = &r.summary[0].last;
    assert_eq!(last.line, 1);
    assert_eq!(last.column, (total - unit.len() + 13) as u64);
}

fn noise_strategy() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-z \\n.,:;=()\\[\\]/]{0,200}").unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2000)) {
        let r = scan_bytes("p", &data, &Options { binary: true, ..Options::default() }).report(Lang::En);
        let _ = render::text(&r, true);
        let _ = render::csv(&r);
        let _ = render::ndjson(&r);
    }

    #[test]
    fn any_utf16_never_panics(units in proptest::collection::vec(any::<u16>(), 0..1000)) {
        let mut b = vec![0xFF, 0xFE];
        b.extend(units.iter().flat_map(|u| u.to_le_bytes()));
        let _ = scan_bytes("p", &b, &Options::default()).report(Lang::En);
    }

    #[test]
    fn a_code_in_noise_is_found_where_it_is(before in noise_strategy(), after in noise_strategy(), utf16 in any::<bool>()) {
        let text = format!("{before} 0xC004F074 {after}");
        let at = before.len() + 1;
        let line = before.matches('\n').count() as u64 + 1;
        let col = (at - before.rfind('\n').map_or(0, |i| i + 1)) as u64 + 1;
        let bytes = if utf16 { utf16le(&text, true) } else { text.into_bytes() };
        let r = report_of(&bytes);
        prop_assert_eq!(r.totals.matches, 1);
        prop_assert_eq!(r.matches[0].m.place.line, line);
        prop_assert_eq!(r.matches[0].m.place.column, col);
    }
}

#[test]
fn zh_tw_text_shows_event_problems_in_chinese() {
    let text = "Source: Security-SPP\nEvent ID: 12290\nInfo:\n0x0, lots, pc\n\
                Source: Security-SPP\nEvent ID: 12288\nDescription: x\n";
    let r = scan_str("t", text, &Options::default()).report(Lang::ZhTw);
    assert_eq!(r.event_problems.len(), 2, "{:?}", r.event_problems);
    let out = render::text(&r, false);
    assert!(out.contains("事件 12290：欄位 1"), "{out}");
    assert!(out.contains("描述之後沒有 Info 行"), "{out}");
    assert!(
        !out.contains("is not valid") && !out.contains("no Info line"),
        "{out}"
    );
    // JSON keeps the English reason and adds a stable kind.
    let v: serde_json::Value = serde_json::from_str(&render::json(&r)).unwrap();
    assert_eq!(v["event_problems"][0]["kind"], "bad_field");
    assert!(
        v["event_problems"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("is not valid")
    );
    assert_eq!(v["event_problems"][1]["kind"], "no_info");
}
