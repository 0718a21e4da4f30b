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
