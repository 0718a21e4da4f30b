//! `volact scan`: inputs (files, directories with globs, stdin, UTF-16, gzip, binary), exit codes,
//! redaction in every format, the JSON contract, snapshots in both languages, and bounded memory
//! on one enormous line streamed through standard input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::util::{run, stderr, stdout, volact};

const CLIENT: &str = include_str!("../../../scan/tests/data/slmgr-client-dlv.txt");
const HOST: &str = include_str!("../../../scan/tests/data/slmgr-host-dli.txt");
const UNACTIVATED: &str = include_str!("../../../scan/tests/data/slmgr-unactivated-dli.txt");
const EVENTS: &str = include_str!("../../../scan/tests/data/event-viewer-12288.txt");
const KEY: &str = "ABCDE-FGHIJ-KLMNO-PQRST-VWXY2";

/// A scratch directory removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let p = std::env::temp_dir().join(format!("volact-scan-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Scratch(p)
    }

    fn file(&self, rel: &str, data: &[u8]) -> &Self {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, data).unwrap();
        self
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn utf16le(s: &str) -> Vec<u8> {
    let mut v = vec![0xFF, 0xFE];
    v.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
    v
}

/// A gzip member with stored (uncompressed) deflate blocks, so the test needs no compressor.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    let chunks: Vec<&[u8]> = if data.is_empty() {
        vec![&[][..]]
    } else {
        data.chunks(65535).collect()
    };
    for (i, c) in chunks.iter().enumerate() {
        out.push(u8::from(i + 1 == chunks.len()));
        let len = c.len() as u16;
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend_from_slice(c);
    }
    // CRC-32 (IEEE) and size.
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    out.extend((!crc).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

/// The fixture folder used by the snapshots: slmgr output of three machines, event text, a
/// UTF-16 log, a gzip log, a binary file and an excluded file.
fn fixture(name: &str) -> Scratch {
    let s = Scratch::new(name);
    s.file("pc1/slmgr-dlv.txt", CLIENT.as_bytes())
        .file("kms01/slmgr-dli.txt", HOST.as_bytes())
        .file("pc2/slmgr-dli.txt", UNACTIVATED.as_bytes())
        .file("pc1/events.txt", EVENTS.as_bytes())
        .file(
            "pc2/setup.log",
            &utf16le("2026-11-24 09:00:00, Error SPP Activation failed: hr=0xC004F074\r\n"),
        )
        .file(
            "pc2/old.log.gz",
            &gzip_stored(b"2026-10-01 08:00:00 hr=0x8007232B\n"),
        )
        .file("pc2/crash.dmp", b"MDMP\x93\xa7\0\0\0\0 0xC004F074")
        .file("pc2/skip.bak", b"hr=0xC004F06C\n");
    s
}

fn scan_in(dir: &Path, args: &[&str]) -> std::process::Output {
    volact()
        .current_dir(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run volact")
}

#[test]
fn stdin_text_and_json() {
    let out = run(
        &["scan", "--format", "json", "-"],
        b"first\nError: 0xC004F074 and hr=0x8007232B\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    let m = &v["matches"][1];
    assert_eq!(
        (m["path"].as_str(), m["line"].as_u64(), m["column"].as_u64()),
        (Some("<stdin>"), Some(2), Some(26))
    );
    assert_eq!(m["code"], "0x8007232B");
    // Without a path, a piped standard input is read.
    let out = run(&["scan"], b"hr=0xC004F074\n");
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("0xC004F074"));
}

#[test]
fn utf16_stdin() {
    let out = run(
        &["scan", "-f", "csv", "-"],
        &utf16le("x\r\nhr=0xC004F074\r\n"),
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("match,<stdin>,2,4,0xC004F074,"));
}

/// CSV is RFC 4180 with CRLF line ends, and a cell a spreadsheet would run as a formula is
/// defused with a leading `'` (issue #15: `volact_core::out::csv`).
#[test]
fn csv_has_crlf_and_defuses_formulas() {
    let out = run(
        &["scan", "-f", "csv", "-"],
        b"=HYPERLINK(1) hr=0xC004F074\n",
    );
    assert_eq!(out.status.code(), Some(0));
    let csv = stdout(&out);
    assert!(csv.starts_with("kind,path,line,column,code,name,coverage,meaning,context\r\n"));
    assert!(csv.lines().all(|l| !l.ends_with('\r')));
    assert_eq!(csv.matches("\r\n").count(), csv.matches('\n').count());
    assert!(csv.contains(",'=HYPERLINK(1) hr=0xC004F074\r\n"), "{csv}");
}

#[test]
fn directories_globs_binary_gzip() {
    let f = fixture("dirs");
    let out = scan_in(f.path(), &["scan", "-f", "json", "-g", "!*.bak", "."]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let inputs: Vec<(String, String)> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["path"].as_str().unwrap().replace('\\', "/"),
                i["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let want = [
        ("./kms01/slmgr-dli.txt", "read"),
        ("./pc1/events.txt", "read"),
        ("./pc1/slmgr-dlv.txt", "read"),
        ("./pc2/crash.dmp", "skipped"),
        ("./pc2/old.log.gz", "read"),
        ("./pc2/setup.log", "read"),
        ("./pc2/slmgr-dli.txt", "read"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(inputs, want);
    assert_eq!(v["inputs"][4]["gzip"], true);
    assert_eq!(v["inputs"][5]["encoding"], "UTF-16LE");
    assert_eq!(v["inputs"][3]["skip_reason"], "binary");
    assert_eq!(v["snapshots"].as_array().unwrap().len(), 3);
    assert_eq!(v["events"].as_array().unwrap().len(), 2);
    // A failing diagnosis (KMS count 12, a client in notification mode) needs attention.
    assert_eq!(out.status.code(), Some(1));
    // Only *.log and *.gz files; --binary reads the dump.
    let out = scan_in(f.path(), &["scan", "-f", "csv", "-g", "*.log*", "."]);
    let csv = stdout(&out);
    assert_eq!(csv.lines().filter(|l| l.starts_with("match,")).count(), 2);
    let out = scan_in(
        f.path(),
        &["scan", "-f", "json", "--binary", "pc2/crash.dmp"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totals"]["matches"], 1);
}

#[test]
fn exit_codes() {
    let f = Scratch::new("exit");
    f.file("known.log", b"hr=0xC004F074\n")
        .file("unknown.log", b"hr=0x87E10BC6\n")
        .file("empty.log", b"nothing to see\n");
    let code = |args: &[&str]| scan_in(f.path(), args).status.code();
    assert_eq!(code(&["scan", "known.log"]), Some(0));
    assert_eq!(code(&["scan", "unknown.log"]), Some(1));
    assert_eq!(code(&["scan", "empty.log"]), Some(3));
    let out = scan_in(f.path(), &["scan", "known.log", "missing.log"]);
    assert_eq!(out.status.code(), Some(4));
    assert!(stderr(&out).contains("missing.log"));
    assert!(
        stdout(&out).contains("0xC004F074"),
        "the rest is still reported"
    );
    assert_eq!(code(&["scan", "-g", "[", "."]), Some(2));
    let out = scan_in(f.path(), &["scan", "empty.log"]);
    assert!(stdout(&out).contains("No activation code"));
}

#[test]
fn keys_are_redacted_in_every_format() {
    let text = format!(
        "Error: 0xC004F074 after slmgr /ipk {KEY}\nName: Windows\nDescription: {KEY} VOLUME_KMSCLIENT channel\nLicense Status: Licensed\n"
    );
    for fmt in ["text", "json", "ndjson", "csv", "markdown"] {
        let out = run(&["scan", "--format", fmt, "-"], text.as_bytes());
        let s = stdout(&out);
        assert!(s.contains("VWXY2"), "{fmt}: {s}");
        assert!(!s.contains("ABCDE") && !s.contains("KLMNO"), "{fmt}: {s}");
    }
    let out = run(&["--color", "always", "scan", "-"], text.as_bytes());
    assert!(!stdout(&out).contains("ABCDE"));
}

fn normalise(s: &str) -> String {
    s.replace('\\', "/")
}

#[test]
fn snapshot_text_en() {
    let f = fixture("snap-en");
    let out = scan_in(f.path(), &["--lang", "en", "scan", "-g", "!*.bak", "."]);
    insta::assert_snapshot!("scan_text_en", normalise(&stdout(&out)));
}

#[test]
fn snapshot_text_zh() {
    let f = fixture("snap-zh");
    let out = scan_in(f.path(), &["--lang", "zh-TW", "scan", "-g", "!*.bak", "."]);
    insta::assert_snapshot!("scan_text_zh", normalise(&stdout(&out)));
}

#[test]
fn snapshot_markdown_zh_and_csv_en() {
    let f = fixture("snap-md");
    let out = scan_in(
        f.path(),
        &["--lang", "zh-TW", "scan", "-f", "markdown", "kms01", "pc2"],
    );
    insta::assert_snapshot!("scan_markdown_zh", normalise(&stdout(&out)));
    let out = scan_in(f.path(), &["--lang", "en", "scan", "-f", "csv", "."]);
    insta::assert_snapshot!("scan_csv_en", normalise(&stdout(&out)));
}

#[test]
fn snapshot_json_en() {
    let out = run(
        &["--lang", "en", "scan", "-f", "json", "-"],
        format!("{UNACTIVATED}\nhr=0xC004F074\n").as_bytes(),
    );
    insta::assert_snapshot!("scan_json_en", stdout(&out));
}

/// Peak resident memory of a running child, from /proc (Linux only).
#[cfg(target_os = "linux")]
fn peak_kib(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

#[test]
fn enormous_line_through_stdin_in_bounded_memory() {
    const TOTAL: usize = 200 * 1024 * 1024;
    // About 1 KiB of noise per code, so the (debug-built) test spends its time streaming.
    let unit: &'static [u8] = Box::leak(
        format!(
            "{}0xC004F074 {}",
            "noise ".repeat(4),
            "lorem ipsum ".repeat(85)
        )
        .into_bytes()
        .into_boxed_slice(),
    );
    let mut child = volact()
        .args(["scan", "-f", "json", "--max-matches", "3", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let block: Vec<u8> = unit
            .iter()
            .copied()
            .cycle()
            .take(unit.len() * 16_000)
            .collect();
        let mut sent = 0;
        while sent < TOTAL {
            let n = block.len().min(TOTAL - sent);
            if input.write_all(&block[..n]).is_err() {
                break;
            }
            sent += n;
        }
        sent
    });
    #[cfg(target_os = "linux")]
    let peak = {
        let pid = child.id();
        let mut peak = 0;
        while !writer.is_finished() {
            if let Some(k) = peak_kib(pid) {
                peak = peak.max(k);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        peak
    };
    let sent = writer.join().unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(sent, TOTAL);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected = (TOTAL / unit.len()) as u64 + u64::from(TOTAL % unit.len() >= 34);
    assert_eq!(v["totals"]["matches"].as_u64(), Some(expected));
    assert_eq!(v["totals"]["lines"], 1);
    assert_eq!(v["matches"].as_array().unwrap().len(), 3);
    #[cfg(target_os = "linux")]
    assert!(peak < 64 * 1024, "peak resident memory {peak} KiB");
}

/// A servicing log: a known code among handles, flags and session values no table knows.
const NOISY: &[u8] = b"2026-11-24 09:00:00, Info CBS handle 0x1a2b3c4d flags 0x00000004\n\
2026-11-24 09:00:01, Info CSI Session 0x9e8d7c6b object 0xfedcba98\n\
2026-11-24 09:00:02, Error SPP Activation failed: hr=0xC004F074\n\
2026-11-24 09:00:03, Info CBS cookie=0x8badf00d\n";

#[test]
fn other_values_are_counted_and_all_codes_lists_them() {
    let f = Scratch::new("allcodes");
    f.file("CBS.log", NOISY);
    let out = scan_in(f.path(), &["scan", "CBS.log"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let first = text.lines().find(|l| l.contains("0x")).unwrap();
    assert!(first.contains("0xC004F074"), "{text}");
    assert!(!text.contains("0x9E8D7C6B"), "{text}");
    assert!(
        text.contains("5 other hex value(s) on 3 line(s)")
            && text.contains("--all-codes lists them"),
        "{text}"
    );
    // Listed last with --all-codes, in every format; the exit code does not change.
    let out = scan_in(
        f.path(),
        &["scan", "--all-codes", "--format", "json", "CBS.log"],
    );
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let summary = v["summary"].as_array().unwrap();
    assert_eq!(summary.len(), 6);
    assert_eq!(summary[0]["rank"], "known");
    assert!(
        summary[1..].iter().all(|c| c["rank"] == "other"),
        "{summary:?}"
    );
    assert_eq!(v["totals"]["other_values"], 5);
    assert_eq!(v["totals"]["other_lines"], 3);
    let out = scan_in(
        f.path(),
        &["scan", "--all-codes", "--format", "csv", "CBS.log"],
    );
    let csv = stdout(&out);
    assert!(csv.lines().nth(1).unwrap().contains("0xC004F074"), "{csv}");
    assert!(csv.contains("0x9E8D7C6B"));
    assert!(csv.contains("other-values,,3,5,"));
    // In Chinese.
    let out = scan_in(f.path(), &["scan", "--lang", "zh-TW", "CBS.log"]);
    assert!(
        stdout(&out).contains("加上 --all-codes 即可列出"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_folder_of_event_logs_points_to_volact_events() {
    let f = Scratch::new("evtx");
    let mut evtx = b"ElfFile\0".to_vec();
    evtx.resize(4096, 0);
    f.file("logs/Application.evtx", &evtx)
        .file("logs/System.evtx", &evtx);
    let out = scan_in(f.path(), &["scan", "logs"]);
    // Evidence that needs the other command: attention, not "nothing found".
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let sep = std::path::MAIN_SEPARATOR;
    assert!(
        text.contains(&format!(
            "skipped: logs{sep}Application.evtx (Windows event log, which scan does not read: volact events logs{sep}Application.evtx)"
        )),
        "{text}"
    );
    assert!(
        text.contains("2 Windows event log file(s) (.evtx) skipped"),
        "{text}"
    );
    assert!(text.contains("`volact events PATH`"));
    let out = scan_in(f.path(), &["scan", "--format", "json", "logs/System.evtx"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"][0]["skip_reason"], "evtx");
    assert_eq!(v["totals"]["evtx_skipped"], 1);
    let out = scan_in(f.path(), &["scan", "--lang", "zh-TW", "logs"]);
    assert!(
        stdout(&out).contains("已略過 2 個 Windows 事件記錄檔"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn localised_slmgr_and_ospp_from_a_real_capture_give_snapshots() {
    // A zh-CN Windows: slmgr speaks Simplified Chinese, ospp.vbs English.
    let Some(p) = volact_testsupport::shared_data(
        "real/slmgr-dlv-ato-zh-CN-ltsc2019-kms-client-and-ospp-dstatus.txt",
    ) else {
        return;
    };
    let dir = p.parent().unwrap();
    let name = p.file_name().unwrap().to_str().unwrap();
    let out = scan_in(dir, &["scan", "--format", "json", name]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let snaps = v["snapshots"].as_array().unwrap();
    let zh: Vec<_> = snaps.iter().filter(|s| s["language"] == "zh-CN").collect();
    let office: Vec<_> = snaps.iter().filter(|s| s["product"] == "office").collect();
    assert!(!zh.is_empty(), "{snaps:#?}");
    assert!(!office.is_empty(), "{snaps:#?}");
    assert!(
        zh.iter().any(|s| s["license_status"] == "已授权"),
        "{zh:#?}"
    );
    assert!(
        office
            .iter()
            .any(|s| s["license_status"] == "---LICENSED---"),
        "{office:#?}"
    );
}
