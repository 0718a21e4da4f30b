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
        // slmgr's labels in every language of its tables, and ospp's: localised output and
        // Office snapshots reach the parsers too.
        let words: Vec<&'static str> = KEYWORDS
            .iter()
            .copied()
            .chain(
                crate::slmgr::markers()
                    .into_iter()
                    // Labels that hold a keyword (`Teilweiser Product Key`) are found by it.
                    .filter(|m| !KEYWORDS.iter().any(|k| m.contains(k))),
            )
            .collect();
        match aho_corasick::packed::Config::new()
            .builder()
            .extend(&words)
            .build()
        {
            Some(s) => Search::Teddy(s),
            // No SIMD searcher on this CPU: one memmem pass per keyword.
            None => Search::Each(
                words
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

/// How many words the filter searches for (tests: the packed searcher holds at most 64).
#[cfg(test)]
pub(super) fn keyword_count() -> usize {
    KEYWORDS.len()
        + crate::slmgr::markers()
            .into_iter()
            .filter(|m| !KEYWORDS.iter().any(|k| m.contains(k)))
            .count()
}
