//! The readers of event JSON, CSV and text with embedded XML, each given the bytes whatever
//! they look like (sniffing would send most inputs to one reader only): never panic, always end.
#![no_main]

use libfuzzer_sys::fuzz_target;
use volact_events::analyze::{Analyzer, Options};
use volact_events::source::{read_sniffed, Kind};

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let kind = [Kind::Json, Kind::Csv, Kind::Text][usize::from(sel) % 3];
    let mut an = Analyzer::new(Options::default());
    let _ = read_sniffed(kind, "fuzz", rest, &mut an);
    let _ = an.report(volact_core::Lang::En);
    let _ = volact_core::event::text::scrub_list(&String::from_utf8_lossy(rest));
});
