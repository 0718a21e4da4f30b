//! Which blocks the structured parsers see (keywords of slmgr output and event text), and which
//! values the finder accepts are reported without `--all-codes`.

use std::sync::OnceLock;

use volact_core::find::Found;
use volact_core::{kb, names};

/// Words that mark slmgr output or event text; a block holding none of them is not given to
/// the structured parsers (except lines holding a code, for bare event `Info` lines).
const KEYWORDS: &[&str] = &[
    "License Status",
    "Product Key",
    "Key Management Service",
    "Software licensing service",
    "will expire",
    "permanently activated",
    "grace period",
    "Notification mode",
    "Event ID",
    "Log Name",
    "Security-SPP",
    "Security-Licensing",
    "事件識別碼",
    "記錄檔名稱",
];

pub(super) fn is_hot(b: &[u8]) -> bool {
    enum Search {
        Teddy(aho_corasick::packed::Searcher),
        Each(Vec<memchr::memmem::Finder<'static>>),
    }
    static SEARCH: OnceLock<Search> = OnceLock::new();
    let search = SEARCH.get_or_init(|| {
        match aho_corasick::packed::Config::new()
            .builder()
            .extend(KEYWORDS)
            .build()
        {
            Some(s) => Search::Teddy(s),
            // No SIMD searcher on this CPU: one memmem pass per keyword.
            None => Search::Each(
                KEYWORDS
                    .iter()
                    .map(|k| memchr::memmem::Finder::new(k.as_bytes()))
                    .collect(),
            ),
        }
    });
    match search {
        Search::Teddy(s) => s.find(b).is_some(),
        Search::Each(f) => f.iter().any(|f| f.find(b).is_some()),
    }
}

/// Whether a value found by the finder is reported without `--all-codes`.
pub(super) fn plausible(f: &Found, text: &str) -> bool {
    let code = f.code;
    let v = code.value();
    if kb::lookup(code).is_some() {
        return true;
    }
    if v >= 0x8000_0000 {
        names::is_named(v) || code.decode().facility_name.is_some() || !noise_field(text, f.start)
    } else if v >= 0x4000_0000 {
        names::is_named(v)
    } else if v == 0 {
        result_field(text, f.start)
    } else {
        false
    }
}

/// Whether the words just before `at` say the value is not a result: an address, a hash, flags.
fn noise_field(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(24);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = text[from..at].to_ascii_lowercase();
    [
        "addr", "ptr", "pointer", "handle", "crc", "hash", "checksum", "flags", "mask", "base",
        "offset", "seed", "cookie", "magic", "sig", " at ", "@",
    ]
    .iter()
    .any(|w| before.contains(w))
}

/// Whether the words just before `at` say the value is a result (`hr=`, `Error:`, `status`, …).
fn result_field(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(24);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = text[from..at].to_ascii_lowercase();
    [
        "hr", "result", "error", "status", "code", "reason", "錯誤", "結果",
    ]
    .iter()
    .any(|w| before.contains(w))
}
