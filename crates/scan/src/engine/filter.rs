//! Which blocks the structured parsers see (keywords of slmgr output and event text).

use std::sync::OnceLock;

/// Words that mark slmgr output or event text; a block holding none of them is not given to
/// the structured parsers (except lines holding a code, for bare event `Info` lines); a block
/// holding one gives them the lines around it (`regions.rs`).
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

/// Where the first keyword of `b` starts.
pub(super) fn next_keyword(b: &[u8]) -> Option<usize> {
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
        Search::Teddy(s) => s.find(b).map(|m| m.start()),
        Search::Each(f) => f.iter().filter_map(|f| f.find(b)).min(),
    }
}
