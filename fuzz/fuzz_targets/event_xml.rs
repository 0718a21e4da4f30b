//! The streaming event XML reader (and, through sniffing, the whole input path) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use volact_events::analyze::{Analyzer, Options};
use volact_events::xml::XmlEventReader;

fuzz_target!(|data: &[u8]| {
    let mut r = XmlEventReader::new(data);
    for _ in 0..10_000 {
        match r.next_event() {
            Ok(Some(raw)) => {
                let _ = raw.into_event();
            }
            _ => break,
        }
    }
    let mut an = Analyzer::new(Options::default());
    let _ = volact_events::source::read_stream("fuzz", data, &mut an);
    let _ = an.report(volact_core::Lang::En);
});
