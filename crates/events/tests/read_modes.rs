//! Every way of reading a `.evtx` file gives one report, on damaged files too: the fast path and
//! the `evtx` crate's renderer, a file read at offsets, a buffer and a stream that cannot seek.
//! Single bits are flipped across a generated KMS log (in chunk headers, string and template
//! tables, templates and values) and every mode must give the same report.

mod common;

use std::io::Cursor;

use common::TempDir;
use volact_core::Lang;
use volact_events::analyze::{Analyzer, Options};
use volact_events::evtx::{ReadMode, read_evtx_file_mode, read_evtx_mode, read_evtx_stream_mode};
use volact_testsupport::evtx::kms::{HostLog, HostLogSpec};
use volact_testsupport::evtx::{CHUNK_SIZE, FILE_HEADER_SIZE, to_bytes};

/// The report of `bytes` read one way, as JSON (or the error).
fn report(bytes: &[u8], file: &std::path::Path, way: usize) -> Result<serde_json::Value, String> {
    let mut an = Analyzer::new(Options {
        now: volact_core::event::Timestamp::parse("2026-12-01"),
        ..Options::default()
    });
    let r = match way {
        0 => read_evtx_mode(Cursor::new(bytes), "log", &mut an, ReadMode::Rendered),
        1 => read_evtx_mode(Cursor::new(bytes), "log", &mut an, ReadMode::Values),
        2 => read_evtx_mode(Cursor::new(bytes), "log", &mut an, ReadMode::Typed),
        3 => {
            let f = std::fs::File::open(file).unwrap();
            read_evtx_file_mode(&f, "log", &mut an, ReadMode::Typed)
        }
        _ => read_evtx_stream_mode(bytes, "log", &mut an, ReadMode::Typed),
    };
    r.map(|()| serde_json::to_value(an.report(Lang::En)).unwrap())
        .map_err(|e| e.to_string())
}

const WAYS: [&str; 5] = [
    "rendered",
    "values",
    "typed",
    "typed file at offsets",
    "typed stream",
];

#[test]
fn every_read_mode_gives_one_report_on_single_bit_damage() {
    let spec = HostLogSpec {
        clients: 80,
        clones: 2,
        skewed: 2,
        max_records: Some(3000),
        ..HostLogSpec::default()
    };
    let full = to_bytes(&HostLog::new(spec).map(|(e, _)| e).collect::<Vec<_>>());
    let chunks = (full.len() - FILE_HEADER_SIZE) / CHUNK_SIZE;
    assert!(chunks >= 10, "{chunks}");
    // Where to flip: every part of the first chunk's header (record numbers, offsets,
    // checksums, the string table at 128-384, the template table at 384-512), the first
    // records (resident templates, names, values), and a spread over the whole file.
    let mut at: Vec<usize> = Vec::new();
    let c0 = FILE_HEADER_SIZE;
    at.extend((0..512).step_by(23).map(|o| c0 + o));
    at.extend((512..4096).step_by(181).map(|o| c0 + o));
    let c3 = FILE_HEADER_SIZE + 3 * CHUNK_SIZE;
    at.extend((128..512).step_by(53).map(|o| c3 + o));
    at.extend((FILE_HEADER_SIZE..full.len()).step_by(24_593));
    at.extend([0, 8, 24, 40, 42, 120, 124]);
    let dir = TempDir::new("modes");
    let file = dir.path("log.evtx");
    let mut differ = Vec::new();
    for (i, &pos) in at.iter().enumerate() {
        let mut b = full.clone();
        b[pos] ^= 1 << (i % 8);
        std::fs::write(&file, &b).unwrap();
        let reference = report(&b, &file, 0);
        for (way, what) in WAYS.iter().enumerate().skip(1) {
            if report(&b, &file, way) != reference {
                differ.push(format!("bit {} of byte {pos}: {what}", i % 8));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} mutants read differently: {differ:?}",
        differ.len(),
        at.len()
    );
}

/// Damage the checksums do not reveal (a chunk rewritten with matching checksums), of the kinds
/// the fast path reads as the renderer does: a NUL inside a string value ends it, a CR inside
/// one is read as a line feed, and the event
/// time is the one the record's `TimeCreated` holds, not the record header's copy. (The
/// `evtx_modes` fuzz target looks for more.)
#[test]
fn the_fast_path_reads_checksummed_oddities_as_the_renderer() {
    let spec = HostLogSpec {
        clients: 20,
        max_records: Some(120),
        ..HostLogSpec::default()
    };
    let mut events: Vec<_> = HostLog::new(spec).map(|(e, _)| e).collect();
    for (i, e) in events.iter_mut().enumerate().step_by(7) {
        let k = i % e.data.len();
        e.data[k].push_str("\0after-a-nul");
        // And a line end inside a value (XML reads CR LF and a lone CR as LF).
        let j = (i / 7 + 1) % e.data.len();
        e.data[j] = format!("{}\r\nx\ry", e.data[j]);
    }
    let mut b = to_bytes(&events);
    // The first record's header time, an hour later; the chunk's checksums made right again.
    let at = FILE_HEADER_SIZE + 512 + 16;
    let ft = u64::from_le_bytes(b[at..at + 8].try_into().unwrap()) + 3600 * 10_000_000;
    b[at..at + 8].copy_from_slice(&ft.to_le_bytes());
    volact_events::evtx::set_checksums(&mut b[FILE_HEADER_SIZE..FILE_HEADER_SIZE + CHUNK_SIZE]);
    let dir = TempDir::new("modes-odd");
    let file = dir.path("log.evtx");
    std::fs::write(&file, &b).unwrap();
    let reference = report(&b, &file, 0).unwrap();
    assert_eq!(reference["warnings_total"], 0, "{}", reference["warnings"]);
    for (way, what) in WAYS.iter().enumerate().skip(1) {
        assert_eq!(report(&b, &file, way).unwrap(), reference, "{what}");
    }
}

/// The offsets of the records of the chunk at `c` (walked by their sizes up to the header's
/// free-space offset).
fn record_offsets(b: &[u8], c: usize) -> Vec<usize> {
    let u32_at = |p: usize| u32::from_le_bytes(b[p..p + 4].try_into().unwrap()) as usize;
    let free = u32_at(c + 48);
    let mut p = 512;
    let mut out = Vec::new();
    while p < free && b[c + p..c + p + 4] == *b"**\0\0" {
        out.push(c + p);
        p += u32_at(c + p + 4);
    }
    out
}

/// Where the descriptor (size, type) of substitution value `i` of the record at `r` is (records
/// of the test writer: a template instance, its definition inline in the first record using it).
fn value_descriptor(b: &[u8], c: usize, r: usize, i: usize) -> usize {
    let u32_at = |p: usize| u32::from_le_bytes(b[p..p + 4].try_into().unwrap()) as usize;
    assert_eq!(&b[r + 24..r + 30], &[0x0F, 1, 1, 0, 0x0C, 1]);
    let def = u32_at(r + 34);
    let mut q = r + 38;
    if c + def == q {
        q += 24 + u32_at(q + 20);
    }
    assert!(i < u32_at(q));
    q + 4 + 4 * i
}

/// Every mode's report of `b` (written to a file too), checked against the renderer's.
fn assert_one_report(b: &[u8], tag: &str) -> serde_json::Value {
    let dir = TempDir::new(tag);
    let file = dir.path("log.evtx");
    std::fs::write(&file, b).unwrap();
    let reference = report(b, &file, 0).unwrap();
    for (way, what) in WAYS.iter().enumerate().skip(1) {
        assert_eq!(report(b, &file, way).unwrap(), reference, "{tag}: {what}");
    }
    reference
}

fn small_log(records: u64) -> Vec<u8> {
    let spec = HostLogSpec {
        clients: 10,
        max_records: Some(records),
        ..HostLogSpec::default()
    };
    to_bytes(&HostLog::new(spec).map(|(e, _)| e).collect::<Vec<_>>())
}

/// A string value retyped as a string array (0x81), with checksums made right: the fast path
/// does not expand arrays as the renderer does, so it hands the chunk to the renderer and
/// every mode reads the records alike (found by the `evtx_modes` fuzz target).
#[test]
fn a_string_array_value_reads_alike_in_every_mode() {
    let c = FILE_HEADER_SIZE;
    for (k, nth) in [(3usize, 0usize), (5, 1), (7, 3)] {
        let mut b = small_log(40);
        let recs = record_offsets(&b, c);
        assert!(recs.len() >= 40, "{}", recs.len());
        let size = |b: &[u8], d: usize| usize::from(u16::from_le_bytes([b[d], b[d + 1]]));
        // The `nth` non-empty Data value (values 8 on are the Data items), retyped.
        let data_value = |b: &[u8], r: usize| {
            (8..)
                .map(|i| (i, value_descriptor(b, c, r, i)))
                .filter(|&(_, d)| size(b, d) >= 4)
                .nth(nth)
                .unwrap()
        };
        let (_, d) = data_value(&b, recs[k]);
        assert_eq!(b[d + 2], 0x01);
        b[d + 2] = 0x81;
        // The same in a later record, with a NUL as its second unit (an array of two strings).
        let (i, d) = data_value(&b, recs[k + 10]);
        b[d + 2] = 0x81;
        let first = d - 4 * i;
        let n = u32::from_le_bytes(b[first - 4..first].try_into().unwrap()) as usize;
        let v = first + 4 * n + (0..i).map(|j| size(&b, first + 4 * j)).sum::<usize>();
        b[v + 2..v + 4].copy_from_slice(&[0, 0]);
        volact_events::evtx::set_checksums(&mut b[c..c + CHUNK_SIZE]);
        let r = assert_one_report(&b, "modes-array");
        assert_eq!(r["stats"]["records_read"], 40, "{r}");
    }
}

/// Damage the `evtx` crate's record walk stops at, with checksums made right: a record header
/// time beyond what it can hold, a record header that starts before the free-space offset and
/// ends after it. The fast path must not read on past where the renderer's walk ends.
#[test]
fn the_fast_path_stops_where_the_renderers_walk_stops() {
    let c = FILE_HEADER_SIZE;
    // A header time past the end of year 9999 (in the middle of the chunk).
    let mut b = small_log(40);
    let recs = record_offsets(&b, c);
    b[recs[20] + 16..recs[20] + 24].copy_from_slice(&u64::MAX.to_le_bytes());
    volact_events::evtx::set_checksums(&mut b[c..c + CHUNK_SIZE]);
    assert_one_report(&b, "modes-walk-time");
    // The free-space offset a few bytes into the last record's header.
    let mut b = small_log(40);
    let recs = record_offsets(&b, c);
    let last = recs[recs.len() - 1] - c;
    b[c + 48..c + 52].copy_from_slice(&(last as u32 + 10).to_le_bytes());
    volact_events::evtx::set_checksums(&mut b[c..c + CHUNK_SIZE]);
    assert_one_report(&b, "modes-walk-free");
}

/// A chunk zeroed between used ones: its record numbers are said to be absent (a note, not
/// damage), so that every record number is accounted for, alike in every mode.
#[test]
fn record_numbers_absent_between_chunks_are_noted() {
    let spec = HostLogSpec {
        clients: 30,
        max_records: Some(1200),
        ..HostLogSpec::default()
    };
    let whole = to_bytes(&HostLog::new(spec).map(|(e, _)| e).collect::<Vec<_>>());
    let mut b = whole.clone();
    let chunks = (b.len() - FILE_HEADER_SIZE) / CHUNK_SIZE;
    assert!(chunks >= 3, "{chunks}");
    let c1 = FILE_HEADER_SIZE + CHUNK_SIZE;
    let number = |b: &[u8], at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap());
    let (first, last) = (number(&b, c1 + 8), number(&b, c1 + 16));
    b[c1..c1 + CHUNK_SIZE].fill(0);
    let r = assert_one_report(&b, "modes-gap");
    let absent = last - first + 1;
    assert_eq!(r["stats"]["records_absent"], absent, "{}", r["stats"]);
    assert_eq!(r["stats"]["records_read"], 1200 - absent);
    assert_eq!(r["warnings_total"], 0, "{}", r["warnings"]);
    assert_eq!(r["note_details"][0]["kind"], "records_absent");
    assert_eq!(
        (
            r["note_details"][0]["first"].as_u64(),
            r["note_details"][0]["last"].as_u64()
        ),
        (Some(first), Some(last))
    );
    let fmt = |n: u64| {
        let s = n.to_string();
        let mut out = String::new();
        for (i, ch) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(ch);
        }
        out
    };
    let want = format!(
        "records {}–{} are not in the file ({absent} records;",
        fmt(first),
        fmt(last)
    );
    assert!(
        r["notes"][0].as_str().unwrap().contains(&want),
        "{}",
        r["notes"]
    );
    assert!(
        !r["attention"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "damaged_input"),
        "{}",
        r["attention"]
    );
    // In Traditional Chinese too, and in the text report.
    let mut an = Analyzer::new(Options::default());
    read_evtx_mode(Cursor::new(&b), "log", &mut an, ReadMode::Typed).unwrap();
    let zh = volact_events::render::text(&an.report(Lang::ZhTw));
    assert!(
        zh.contains(&format!("{}–{} 不在此檔案中", fmt(first), fmt(last))),
        "{zh}"
    );
    // Unchanged, the same log has no note.
    let r = assert_one_report(&whole, "modes-nogap");
    assert!(
        r.get("notes").is_none() && r["stats"].get("records_absent").is_none(),
        "{r}"
    );
}

/// The shared sample `2-vss_7-System.evtx` really lacks records 1,156-1,417: said as a note.
#[test]
fn a_real_gap_in_a_system_log_is_noted() {
    let Some(path) = common::shared("evtx/2-vss_7-System.evtx") else {
        return;
    };
    let b = std::fs::read(&path).unwrap();
    let r = assert_one_report(&b, "modes-real-gap");
    let notes: Vec<&str> = r["notes"]
        .as_array()
        .map(|a| a.iter().filter_map(|n| n.as_str()).collect())
        .unwrap_or_default();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("records 1,156–1,417 are not in the file (262 records;")),
        "{notes:?}"
    );
}

/// Values whose sizes are not what their type holds, with checksums made right (found by the
/// `evtx_modes` fuzz target: a string of 35 bytes, its neighbour one byte longer): the fast path
/// hands the chunk to the renderer, which refuses such a record, and every mode reads alike.
#[test]
fn values_of_odd_sizes_read_alike_in_every_mode() {
    let c = FILE_HEADER_SIZE;
    // (substitution to shorten by a byte, the next one lengthened by it): the computer name
    // (a string) and the first Data item; the level (1 byte) and the task (2 bytes).
    for (k, i) in [(5usize, 7usize), (9, 2)] {
        let mut b = small_log(40);
        let recs = record_offsets(&b, c);
        let d = value_descriptor(&b, c, recs[k], i);
        let size = |b: &[u8], d: usize| u16::from_le_bytes([b[d], b[d + 1]]);
        let (a, n) = (size(&b, d), size(&b, d + 4));
        b[d..d + 2].copy_from_slice(&(a - 1).to_le_bytes());
        b[d + 4..d + 6].copy_from_slice(&(n + 1).to_le_bytes());
        volact_events::evtx::set_checksums(&mut b[c..c + CHUNK_SIZE]);
        let r = assert_one_report(&b, "modes-odd-size");
        assert_eq!(r["stats"]["records_read"], 40, "{}", r["stats"]);
    }
}
