//! parse_info / parse_data / the text recogniser on arbitrary input: never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use volact_core::event::text::TextEventReader;
use volact_core::event::{parse_data, parse_info, Timestamp};

const IDS: [u32; 9] = [12288, 12289, 12290, 12293, 12294, 8198, 1003, 16394, 0];

fuzz_target!(|data: &[u8]| {
    let Some((&sel, rest)) = data.split_first() else { return };
    let id = IDS[usize::from(sel) % IDS.len()];
    let text = String::from_utf8_lossy(rest);
    let _ = parse_info(id, &text);
    let items: Vec<&str> = text.split('\u{1}').collect();
    let _ = parse_data(id, &items);
    let _ = Timestamp::parse(&text);
    let mut r = TextEventReader::new();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        r.push_line(line, i as u64 + 1, &mut out);
    }
    r.finish(&mut out);
});
