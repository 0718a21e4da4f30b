//! The scanner on arbitrary bytes (any encoding, gzip or not, binary scanned on purpose) and
//! every renderer of its report: never panic, never print a whole product key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use volact_core::Lang;
use volact_scan::{Options, render, scan_bytes};

fuzz_target!(|data: &[u8]| {
    let opts = Options {
        binary: data.first().is_some_and(|b| b & 1 == 1),
        all_codes: data.first().is_some_and(|b| b & 2 == 2),
        max_matches: 100,
        ..Options::default()
    };
    let r = scan_bytes("fuzz", data, &opts).report(Lang::ZhTw);
    let _ = render::text(&r, true);
    let _ = render::markdown(&r);
    let _ = render::csv(&r);
    let _ = render::ndjson(&r);
    let _ = render::json(&r);
    let _ = r.verdict();
});
