//! The hand-written binary-XML fast path (`ReadMode::Typed`, `ReadMode::Values`) against the
//! reference path (`ReadMode::Rendered`: the `evtx` crate's renderer) on arbitrary chunks: the
//! same report, or a panic. The input becomes chunks of a .evtx file whose signatures and
//! checksums are made right (a chunk with wrong checksums goes to the reference path in every
//! mode, so only chunks that pass the check test the fast path); a stream that cannot seek must
//! give the same report too.
//!
//!   cargo +nightly fuzz run evtx_modes -- -max_total_time=60
//!
//! Seeds: chunks of logs the test writer makes (for example `gen_kms_log`, an example of
//! volact-testsupport), cut at 65,536-byte boundaries after their 4,096-byte file header.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use volact_core::Lang;
use volact_events::analyze::{Analyzer, Options};
use volact_events::evtx::{ReadMode, read_evtx_mode, read_evtx_stream_mode, set_checksums};

const CHUNK: usize = 65_536;

fn report(file: &[u8], mode: ReadMode, stream: bool) -> String {
    let mut an = Analyzer::new(Options::default());
    let r = if stream {
        read_evtx_stream_mode(file, "fuzz", &mut an, mode)
    } else {
        read_evtx_mode(Cursor::new(file), "fuzz", &mut an, mode)
    };
    match r {
        Ok(()) => serde_json::to_string(&an.report(Lang::En)).unwrap_or_default(),
        Err(e) => format!("error: {e}"),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut file = vec![0u8; 4096];
    file[..8].copy_from_slice(b"ElfFile\0");
    for piece in data.chunks(CHUNK).take(4) {
        let mut c = vec![0u8; CHUNK];
        c[..piece.len()].copy_from_slice(piece);
        c[..8].copy_from_slice(b"ElfChnk\0");
        set_checksums(&mut c);
        file.extend_from_slice(&c);
    }
    let reference = report(&file, ReadMode::Rendered, false);
    for (mode, stream) in [
        (ReadMode::Values, false),
        (ReadMode::Typed, false),
        (ReadMode::Typed, true),
    ] {
        let got = report(&file, mode, stream);
        assert_eq!(
            got, reference,
            "{mode:?} (stream: {stream}) differs from the reference"
        );
    }
});
