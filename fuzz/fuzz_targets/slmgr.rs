//! The slmgr /dli, /dlv, /xpr parser and its diagnosis on arbitrary text: never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use volact_core::Lang;
use volact_scan::slmgr;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for s in slmgr::parse(&text) {
        let _ = slmgr::diagnose(&s, Lang::En);
        let _ = slmgr::diagnose(&s, Lang::ZhTw);
    }
});
