//! Real samples nobody on the project wrote, and damaged input: partial results, warnings, no panic.

mod common;

use std::io::Cursor;

use common::{TempDir, report_of, shared};
use proptest::prelude::*;
use volact_core::Lang;
use volact_events::analyze::{Analyzer, Options, SkipReason};
use volact_events::source::read_stream;
use volact_testsupport::evtx::kms::{HostLog, HostLogSpec};
use volact_testsupport::evtx::{CHUNK_SIZE, FILE_HEADER_SIZE, to_bytes};

#[test]
fn application_log_with_wrong_crcs_gives_its_spp_codes_and_a_warning() {
    let Some(p) = shared("evtx/Application_no_crc32.evtx") else {
        return;
    };
    let r = report_of(&[&p], Options::default(), Lang::En);
    assert_eq!(r.stats.records_read, 17);
    // 900, 902, 1003, 1066, 16388, 16394 of Microsoft-Windows-Security-SPP.
    assert_eq!(r.stats.events_used, 6);
    let mut codes: Vec<String> = r
        .other_codes
        .iter()
        .map(|c| c.code.code.to_string())
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        ["0xC004E003", "0xC004F009", "0xC004F014", "0xC004F034"]
    );
    assert!(r.other_codes.iter().all(|c| c.event_id == 1003));
    assert!(
        r.warnings.iter().any(|w| w.contains("wrong CRC32")),
        "{:?}",
        r.warnings
    );
    assert!(r.attention.contains(&"damaged_input"));
    assert!(r.client.is_none() && r.host.is_none());
}

/// The kinds of a report's warnings, and the records its `records_missing` warnings say could
/// not be read.
fn kinds_and_missing(r: &volact_events::Report) -> (Vec<String>, u64) {
    let v = serde_json::to_value(r).unwrap();
    let details = v["warning_details"].as_array().unwrap();
    let kinds = details
        .iter()
        .map(|w| w["kind"].as_str().unwrap().to_owned())
        .collect();
    let missing = details
        .iter()
        .filter(|w| w["kind"] == "records_missing")
        .map(|w| w["listed"].as_u64().unwrap() - w["read"].as_u64().unwrap())
        .sum();
    (kinds, missing)
}

#[test]
fn corrupt_chunk_keeps_the_rest() {
    let Some(p) = shared("evtx/sample_with_a_bad_chunk_magic.evtx") else {
        return;
    };
    let r = report_of(&[&p], Options::default(), Lang::En);
    // Counted record by record (as the `evtx` crate reads them), not from the chunk headers.
    assert_eq!(r.stats.records_read, 270);
    assert!(r.stats.damaged_chunks >= 1);
    assert!(
        r.warnings.iter().any(|w| w.contains("cannot be read")),
        "{:?}",
        r.warnings
    );
    // Chunks 0, 7 and 9 hold zeros where their headers list records (116 of them in chunk 0):
    // said, with the numbers.
    let (_, missing) = kinds_and_missing(&r);
    assert_eq!(missing, 116 + 65 + 16, "{:?}", r.warnings);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("chunk 0: its header lists 130 records but 14 could be read")),
        "{:?}",
        r.warnings
    );
    assert_eq!(r.stats.events_used, 0);
}

/// The count is what was read: a chunk header whose record numbers are damaged changes nothing
/// (it used to be trusted for chunks without activation events: 1,160 became 3,771).
#[test]
fn a_damaged_chunk_header_does_not_change_the_count() {
    let Some(p) = shared("evtx/2-vss_7-System.evtx") else {
        return;
    };
    let bytes = std::fs::read(&p).unwrap();
    let r = read_bytes(bytes.clone());
    assert_eq!(r.stats.records_read, 1160);
    assert_eq!(r.warnings_total, 0, "{:?}", r.warnings);
    let dir = TempDir::new("vss-header");
    // Each record-number field of the chunk header (first/last number, first/last ID), in the
    // first and in a later chunk, set far too high or low.
    for chunk in [0usize, 3] {
        for field in [8usize, 16, 24, 32] {
            for value in [u64::MAX, 0, 1 << 40, 5000] {
                let mut b = bytes.clone();
                let at = FILE_HEADER_SIZE + chunk * CHUNK_SIZE + field;
                b[at..at + 8].copy_from_slice(&value.to_le_bytes());
                let f = dir.path("v.evtx");
                std::fs::write(&f, &b).unwrap();
                let r = report_of(&[&f], Options::default(), Lang::En);
                assert!(
                    r.stats.records_read <= 1160,
                    "chunk {chunk} field {field} = {value}: {}",
                    r.stats.records_read
                );
                // The damage is reported (the header checksum no longer matches).
                assert!(
                    r.warnings_total > 0,
                    "chunk {chunk} field {field} = {value}"
                );
            }
        }
    }
}

/// A zeroed tail inside a chunk: the records before it are read, the others are reported as
/// missing with their number, not lost silently.
#[test]
fn a_zeroed_tail_is_reported() {
    let Some(p) = shared("evtx/2-vss_7-System.evtx") else {
        return;
    };
    let mut b = std::fs::read(&p).unwrap();
    // From the middle of chunk 9 (records 1038-1155) to the end of the file.
    let from = FILE_HEADER_SIZE + 9 * CHUNK_SIZE + 30_000;
    b[from..].fill(0);
    let r = read_bytes(b);
    let (kinds, missing) = kinds_and_missing(&r);
    assert!(r.stats.records_read < 1155, "{}", r.stats.records_read);
    assert!(kinds.iter().any(|k| k == "records_missing"), "{kinds:?}");
    // Chunks 0-8 whole, chunk 9 partly, and what it lacks said.
    assert_eq!(r.stats.records_read + missing, 1155);
}

/// Unused chunks at the end of a log (space set aside and never written, here holding leftover
/// bytes without any record) are not damage.
#[test]
fn unused_trailing_chunks_are_not_damage() {
    let Some(p) = shared("evtx/sysmon.evtx") else {
        return;
    };
    let r = report_of(&[&p], Options::default(), Lang::En);
    assert_eq!(r.stats.records_read, 358);
    assert_eq!(r.stats.damaged_chunks, 0);
    assert_eq!(r.warnings_total, 0, "{:?}", r.warnings);
    assert!(!r.attention.contains(&"damaged_input"), "{:?}", r.attention);
}

#[test]
fn logs_without_activation_events_yield_nothing() {
    for f in [
        "evtx/security.evtx",
        "evtx/system.evtx",
        "evtx/2-vss_7-System.evtx",
        "evtx/sysmon.evtx",
    ] {
        let Some(p) = shared(f) else { return };
        let r = report_of(&[&p], Options::default(), Lang::En);
        assert!(r.stats.records_read > 300, "{f}: {}", r.stats.records_read);
        assert_eq!(r.stats.events_used, 0, "{f}");
        assert_eq!(r.stats.skipped[0].reason, SkipReason::OtherEvent);
        assert!(
            r.client.is_none() && r.host.is_none() && r.other_codes.is_empty(),
            "{f}"
        );
    }
}

fn small_host_log() -> Vec<u8> {
    let spec = HostLogSpec {
        clients: 50,
        clones: 2,
        skewed: 1,
        max_records: Some(400),
        ..HostLogSpec::default()
    };
    let evs: Vec<_> = HostLog::new(spec).map(|(e, _)| e).collect();
    to_bytes(&evs)
}

fn read_bytes(bytes: Vec<u8>) -> volact_events::Report {
    let mut an = Analyzer::new(Options::default());
    let _ = read_stream("bytes", Cursor::new(bytes), &mut an);
    an.report(Lang::En)
}

#[test]
fn truncated_files_keep_every_record_before_the_cut() {
    let full = small_host_log();
    let chunks = (full.len() - FILE_HEADER_SIZE) / CHUNK_SIZE;
    assert!(chunks >= 3);
    let whole = read_bytes(full.clone());
    assert_eq!(whole.stats.events_used, 400);
    assert_eq!(whole.warnings_total, 0, "{:?}", whole.warnings);
    let first = records_in_chunk(&full, 0);
    for cut in [
        FILE_HEADER_SIZE + 100,
        FILE_HEADER_SIZE + CHUNK_SIZE + 7000,
        full.len() - 1,
    ] {
        let r = read_bytes(full[..cut].to_vec());
        assert!(r.stats.events_used <= 400, "cut at {cut}");
        let v = serde_json::to_value(&r).unwrap();
        let kinds: Vec<&str> = v["warning_details"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["kind"].as_str().unwrap())
            .collect();
        assert!(kinds.contains(&"truncated"), "cut at {cut}: {kinds:?}");
        // What the cut chunk's header lists and could not be read is said, with the number.
        let missing: u64 = v["warning_details"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["kind"] == "records_missing")
            .map(|w| w["listed"].as_u64().unwrap() - w["read"].as_u64().unwrap())
            .sum();
        if cut == FILE_HEADER_SIZE + CHUNK_SIZE + 7000 {
            // The records of the cut chunk before the cut are read too.
            assert!(r.stats.events_used > first, "{}", r.stats.events_used);
            let listed = first + records_in_chunk(&full, 1);
            assert_eq!(r.stats.records_read + missing, listed);
        }
        if cut == full.len() - 1 {
            // The last byte is free space: every record is there.
            assert_eq!(r.stats.events_used, 400);
            assert_eq!(missing, 0);
        }
    }
}

/// A `.evtx` cut inside its file header: the error says how long the header is and where the
/// input ends, in both languages.
#[test]
fn a_file_cut_inside_its_header_says_where() {
    let full = small_host_log();
    let dir = TempDir::new("header-cut");
    for (cut, at) in [(8, "byte 8 "), (127, "byte 127 "), (4095, "byte 4,095 ")] {
        let p = dir.path(&format!("cut{cut}.evtx"));
        std::fs::write(&p, &full[..cut]).unwrap();
        for (lang, words) in [
            (Lang::En, ["file header", "4,096 bytes", at]),
            (
                Lang::ZhTw,
                ["檔頭", "4,096 位元組", &format!("第 {}", &at[5..])],
            ),
        ] {
            let mut an = Analyzer::new(Options::default());
            let s = volact_events::source::read_input_in(&p, &mut an, lang);
            let e = s.error.expect("not readable");
            for w in words {
                assert!(e.contains(w.trim_end()), "{cut} {lang:?}: {e}");
            }
            assert!(!e.contains("deserialize"), "{e}");
            assert_eq!(s.kind, None);
        }
        // A stream cut there says the same.
        let mut an = Analyzer::new(Options::default());
        let e = read_stream("-", Cursor::new(full[..cut].to_vec()), &mut an).unwrap_err();
        assert!(
            e.contains("4,096 bytes") && e.contains(at.trim_end()),
            "{e}"
        );
    }
    // Even inside the signature: cut, not "not a .evtx file".
    let mut an = Analyzer::new(Options::default());
    let e = volact_events::evtx::read_evtx(Cursor::new(&full[..5]), "x", &mut an).unwrap_err();
    assert!(e.to_string().contains("ends at byte 5 "), "{e}");
    let e = volact_events::evtx::read_evtx(Cursor::new(b"<Events>".to_vec()), "x", &mut an);
    assert!(e.unwrap_err().to_string().contains("signature"));
}

#[test]
fn flipped_bytes_never_panic_and_are_reported() {
    let full = small_host_log();
    let dir = TempDir::new("flip");
    for (i, at) in [
        FILE_HEADER_SIZE + 600,
        FILE_HEADER_SIZE + 5000,
        FILE_HEADER_SIZE + CHUNK_SIZE + 300,
        FILE_HEADER_SIZE + 130,
    ]
    .into_iter()
    .enumerate()
    {
        let mut b = full.clone();
        for k in 0..64 {
            b[at + k] ^= 0x5A;
        }
        let p = dir.path(&format!("flip{i}.evtx"));
        std::fs::write(&p, b).unwrap();
        let r = report_of(&[&p], Options::default(), Lang::En);
        assert!(
            r.stats.events_used < 400 || r.warnings_total > 0,
            "flip at {at}"
        );
        assert!(r.warnings_total > 0, "flip at {at}: no warning");
    }
}

#[test]
fn unreadable_paths_are_reported_per_input() {
    let dir = TempDir::new("missing");
    let r = report_of(&[&dir.path("nope.evtx")], Options::default(), Lang::En);
    assert!(
        r.inputs[0]
            .error
            .as_deref()
            .unwrap()
            .contains("cannot open")
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_bytes_as_any_input(bytes in proptest::collection::vec(any::<u8>(), 0..4096), kind in 0u8..4) {
        let mut b = match kind {
            0 => b"ElfFile\0".to_vec(),
            1 => b"<Event><System><EventID>12290</EventID></System><EventData><Data>".to_vec(),
            2 => b"Log Name: Key Management Service\nEvent ID: 12290\nInfo:\n0x0, ".to_vec(),
            _ => Vec::new(),
        };
        b.extend(bytes);
        let _ = read_bytes(b);
    }

    #[test]
    fn any_chunk_damage(pos in 0usize..(3 * 65536), val in any::<u8>(), len in 1usize..512) {
        let mut b = small_host_log();
        let at = FILE_HEADER_SIZE + pos.min(b.len() - FILE_HEADER_SIZE - 1);
        let end = (at + len).min(b.len());
        for x in &mut b[at..end] {
            *x = val;
        }
        let r = read_bytes(b);
        prop_assert!(r.stats.records_read <= 400 + 3000);
    }
}

#[test]
fn zh_tw_report_of_damaged_text_is_in_chinese() {
    let mut data = b"Source: Security-SPP\nEvent ID: 12290\nInfo:\n0x0, lots, pc\n".to_vec();
    data.extend_from_slice(b"junk \xff\xfe here\n");
    let mut an = Analyzer::new(Options::default());
    read_stream("damaged.txt", Cursor::new(data), &mut an).unwrap();
    let r = an.report(Lang::ZhTw);
    assert_eq!(r.warnings_total, 1, "{:?}", r.warnings);
    // The JSON contract keeps the English text and adds the kind.
    assert!(
        r.warnings[0].contains("invalid byte sequences"),
        "{:?}",
        r.warnings
    );
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["warning_details"][0]["kind"], "bytes_replaced");
    assert_eq!(v["stats"]["bad_example_details"][0]["kind"], "bad_field");
    for out in [
        volact_events::render::text(&r),
        volact_events::render::markdown(&r),
    ] {
        assert!(out.contains("無效的位元組序列已被取代"), "{out}");
        assert!(!out.contains("invalid byte sequences"), "{out}");
    }
    let out = volact_events::render::text(&r);
    assert!(out.contains("事件 12290：欄位 1"), "{out}");
    assert!(!out.contains("is not valid"), "{out}");
}

#[test]
fn zh_tw_warnings_of_a_damaged_evtx_are_in_chinese() {
    let Some(p) = shared("evtx/sample_with_a_bad_chunk_magic.evtx") else {
        return;
    };
    let r = report_of(&[&p], Options::default(), Lang::ZhTw);
    let out = volact_events::render::text(&r);
    assert!(out.contains("總和檢查碼錯誤"), "{out}");
    assert!(out.contains("區塊無法讀取，已略過"), "{out}");
    for en in [
        "wrong CRC32",
        "cannot be read and was skipped",
        "were read anyway",
    ] {
        assert!(!out.contains(en), "{en}: {out}");
    }
}

/// Records the chunk at `index` holds, from its header (first and last record numbers).
fn records_in_chunk(file: &[u8], index: usize) -> u64 {
    let c = FILE_HEADER_SIZE + index * CHUNK_SIZE;
    let u64_at = |p: usize| u64::from_le_bytes(file[c + p..c + p + 8].try_into().unwrap());
    u64_at(16) - u64_at(8) + 1
}

#[test]
fn an_all_zero_chunk_between_used_ones_is_passed_over_as_the_evtx_crate_does() {
    let mut b = small_host_log();
    let chunks = (b.len() - FILE_HEADER_SIZE) / CHUNK_SIZE;
    assert!(chunks >= 3);
    let lost = records_in_chunk(&b, 1);
    let at = FILE_HEADER_SIZE + CHUNK_SIZE;
    b[at..at + CHUNK_SIZE].fill(0);
    let r = read_bytes(b);
    // A dirty file may hold empty chunks: nothing is damaged, the other chunks are all read.
    assert_eq!(r.stats.records_read, 400 - lost);
    assert_eq!(r.stats.events_used, 400 - lost);
    assert_eq!(r.stats.damaged_chunks, 0);
    assert_eq!(r.warnings_total, 0, "{:?}", r.warnings);
}

/// A reader that fails for good once `ok` bytes have been read (a disk or network error).
struct FailsAfter {
    inner: Cursor<Vec<u8>>,
    ok: u64,
}

impl std::io::Read for FailsAfter {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.ok.saturating_sub(self.inner.position());
        if left == 0 {
            return Err(std::io::Error::other("device error"));
        }
        let n = buf.len().min(left as usize);
        self.inner.read(&mut buf[..n])
    }
}

impl std::io::Seek for FailsAfter {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(to)
    }
}

#[test]
fn a_read_error_midway_keeps_the_chunks_before_it_and_ends() {
    let b = small_host_log();
    let first_two = records_in_chunk(&b, 0) + records_in_chunk(&b, 1);
    // Fails inside the third chunk.
    let ok = (FILE_HEADER_SIZE + 2 * CHUNK_SIZE + 1000) as u64;
    let mut an = Analyzer::new(Options::default());
    volact_events::evtx::read_evtx(
        FailsAfter {
            inner: Cursor::new(b),
            ok,
        },
        "failing",
        &mut an,
    )
    .unwrap();
    let r = an.report(Lang::En);
    assert_eq!(r.stats.records_read, first_two);
    assert_eq!(r.stats.events_used, first_two);
    // The chunk cut by the error is reported as unreadable, and reading stops there.
    assert_eq!(r.stats.damaged_chunks, 1, "{:?}", r.warnings);
    assert!(
        r.warnings.iter().any(|w| w.contains("cannot be read")),
        "{:?}",
        r.warnings
    );
}

/// A file is read at the chunks' offsets, by every thread at once; a stream through its position.
/// Whole, cut anywhere, with an empty chunk, with damaged bytes: both give the same report.
#[test]
fn files_read_at_offsets_give_what_streams_give() {
    let full = small_host_log();
    let dir = TempDir::new("at-offsets");
    let mut variants: Vec<Vec<u8>> = vec![full.clone()];
    for cut in [
        FILE_HEADER_SIZE + 100,
        FILE_HEADER_SIZE + CHUNK_SIZE,
        FILE_HEADER_SIZE + CHUNK_SIZE + 7000,
        full.len() - 1,
    ] {
        variants.push(full[..cut].to_vec());
    }
    let mut zero = full.clone();
    zero[FILE_HEADER_SIZE + CHUNK_SIZE..FILE_HEADER_SIZE + 2 * CHUNK_SIZE].fill(0);
    variants.push(zero);
    let mut flipped = full.clone();
    for k in 0..64 {
        flipped[FILE_HEADER_SIZE + CHUNK_SIZE + 300 + k] ^= 0x5A;
    }
    variants.push(flipped);
    // A file longer than its last whole chunk: the tail is read through the position.
    let mut tail = full.clone();
    tail.extend_from_slice(&full[FILE_HEADER_SIZE..FILE_HEADER_SIZE + 3000]);
    variants.push(tail);
    for (i, bytes) in variants.into_iter().enumerate() {
        let p = dir.path(&format!("v{i}.evtx"));
        std::fs::write(&p, &bytes).unwrap();
        let mut an = Analyzer::new(Options::default());
        let file = std::fs::File::open(&p).unwrap();
        let at = volact_events::evtx::read_evtx_file(&file, "bytes", &mut an)
            .map(|()| serde_json::to_value(an.report(Lang::En)).unwrap())
            .map_err(|e| e.to_string());
        let mut an = Analyzer::new(Options::default());
        let streamed = volact_events::evtx::read_evtx(Cursor::new(bytes), "bytes", &mut an)
            .map(|()| serde_json::to_value(an.report(Lang::En)).unwrap())
            .map_err(|e| e.to_string());
        assert_eq!(at, streamed, "variant {i}");
    }
}
