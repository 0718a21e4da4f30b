//! The slmgr /dli, /dlv, /xpr parser, its diagnosis and its sentences on arbitrary text: never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use volact_core::Lang;
use volact_scan::slmgr;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for s in slmgr::parse(&text) {
        for d in slmgr::diagnose(&s) {
            let _ = volact_scan::phrases::diagnosis(&d.kind, Lang::En);
            let _ = volact_scan::phrases::diagnosis(&d.kind, Lang::ZhTw);
        }
    }
});
