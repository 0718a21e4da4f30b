//! The knowledge base: every activation error volact explains in full, in English and Traditional
//! Chinese, compiled in from `data/kb/*.toml` and validated by `build.rs`.
//!
//! Lookups go through [`lookup`] (by code or alias), [`by_name`] (by symbolic name), [`search`]
//! (words in either language) and [`list`] (by activation type).

use std::str::FromStr;

use serde::Serialize;

use crate::code::ErrorCode;
pub use crate::lang::Lang;

mod data {
    use super::{ActivationType, Check, Command, Entry, Source, Text};
    use crate::code::ErrorCode;
    include!(concat!(env!("OUT_DIR"), "/kb_data.rs"));
}

/// How a code is met: with a Multiple Activation Key, on a KMS client, or on a KMS host.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActivationType {
    /// Multiple Activation Key (activation against Microsoft's servers).
    Mak,
    /// A machine activating against a KMS host.
    KmsClient,
    /// The KMS host itself (its CSVLK, DNS publishing, ...).
    KmsHost,
}

impl ActivationType {
    /// Every type, in display order.
    pub const ALL: [ActivationType; 3] = [
        ActivationType::Mak,
        ActivationType::KmsClient,
        ActivationType::KmsHost,
    ];

    /// The stable identifier: `mak`, `kms-client`, `kms-host`.
    pub fn id(self) -> &'static str {
        match self {
            ActivationType::Mak => "mak",
            ActivationType::KmsClient => "kms-client",
            ActivationType::KmsHost => "kms-host",
        }
    }

    /// A label in the given language.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ActivationType::Mak => lang.pick("MAK", "MAK (多次啟用金鑰)"),
            ActivationType::KmsClient => lang.pick("KMS client", "KMS 用戶端"),
            ActivationType::KmsHost => lang.pick("KMS host", "KMS 主機"),
        }
    }
}

impl FromStr for ActivationType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "mak" => Ok(ActivationType::Mak),
            "kms-client" | "client" => Ok(ActivationType::KmsClient),
            "kms-host" | "host" => Ok(ActivationType::KmsHost),
            _ => Err(format!(
                "unknown activation type {s:?}: use mak, kms-client or kms-host"
            )),
        }
    }
}

/// An automated check that `volact doctor` can run to confirm or rule out a code: the same type
/// as [`crate::kms::Stage`].
pub use crate::kms::Stage as Check;

/// The text of an entry in one language.
#[derive(Debug, Serialize)]
pub struct Text {
    /// One-sentence message.
    pub message: &'static str,
    /// Likely causes, most likely first.
    pub causes: &'static [&'static str],
    /// Troubleshooting steps, in order.
    pub steps: &'static [&'static str],
    /// A remark about the code or its documentation.
    pub note: Option<&'static str>,
}

/// A command worth running for an entry.
#[derive(Debug)]
pub struct Command {
    /// The command line, with placeholders in angle brackets.
    pub run: &'static str,
    /// What it does, in English.
    pub en: &'static str,
    /// What it does, in Traditional Chinese.
    pub zh_tw: &'static str,
    /// Whether it needs an elevated prompt.
    pub elevated: bool,
}

impl Command {
    /// The purpose in the given language.
    pub fn purpose(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::ZhTw => self.zh_tw,
        }
    }
}

/// A source document cited by entries.
#[derive(Debug, Serialize)]
pub struct Source {
    /// Short tag used in the data files.
    pub tag: &'static str,
    /// Title of the document.
    pub title: &'static str,
    /// Who published it.
    pub publisher: &'static str,
    /// Date of the version read, when known.
    pub date: Option<&'static str>,
    /// Where the document is kept (repository path or archive).
    pub location: &'static str,
    /// Where it is published, when it has an address.
    pub url: Option<&'static str>,
}

/// One knowledge-base entry.
#[derive(Debug)]
pub struct Entry {
    /// The code, as documented.
    pub code: ErrorCode,
    /// Its symbolic name, when any source names it.
    pub name: Option<&'static str>,
    /// Other values that mean the same entry.
    pub aliases: &'static [ErrorCode],
    /// Activation types it occurs with.
    pub types: &'static [ActivationType],
    /// Related event IDs.
    pub events: &'static [u16],
    /// Automated checks that apply.
    pub checks: &'static [Check],
    /// Entries worth reading next.
    pub related: &'static [ErrorCode],
    /// Documents the entry is based on.
    pub sources: &'static [&'static Source],
    /// Whether the code is one of the 30 of the seed page.
    pub seed: bool,
    /// English text.
    pub en: Text,
    /// Traditional Chinese text.
    pub zh_tw: Text,
    /// Commands to run.
    pub commands: &'static [Command],
    /// The data file that defines it.
    pub file: &'static str,
}

impl Entry {
    /// The text in the given language.
    pub fn text(&self, lang: Lang) -> &Text {
        match lang {
            Lang::En => &self.en,
            Lang::ZhTw => &self.zh_tw,
        }
    }
}

/// Every entry, sorted by code.
pub fn entries() -> &'static [Entry] {
    data::ENTRIES
}

/// Every cited source, sorted by tag.
pub fn sources() -> &'static [Source] {
    data::SOURCES
}

/// The entry for a code or one of its aliases.
///
/// ```
/// use volact_core::{kb, ErrorCode};
/// let e = kb::lookup(ErrorCode::new(0xC004F074)).unwrap();
/// assert_eq!(e.name, Some("SL_E_VL_BINDING_SERVICE_UNAVAILABLE"));
/// ```
#[inline]
pub fn lookup(code: ErrorCode) -> Option<&'static Entry> {
    let idx = data::INDEX;
    let i = idx.partition_point(|(v, _)| *v < code.0);
    match idx.get(i) {
        Some((v, e)) if *v == code.0 => data::ENTRIES.get(usize::from(*e)),
        _ => None,
    }
}

/// Every value [`lookup`] finds an entry for (codes and aliases), in ascending order: for callers
/// that build a filter over the knowledge base.
pub fn values() -> impl Iterator<Item = u32> {
    data::INDEX.iter().map(|(v, _)| *v)
}

/// The entry with this symbolic name (case-insensitive).
pub fn by_name(name: &str) -> Option<&'static Entry> {
    data::ENTRIES
        .iter()
        .find(|e| e.name.is_some_and(|n| n.eq_ignore_ascii_case(name.trim())))
}

/// Entries that occur with `ty`, or all entries for `None`, sorted by code.
pub fn list(ty: Option<ActivationType>) -> Vec<&'static Entry> {
    data::ENTRIES
        .iter()
        .filter(|e| ty.is_none_or(|t| e.types.contains(&t)))
        .collect()
}

/// A search hit.
#[derive(Debug)]
pub struct Hit {
    /// The entry found.
    pub entry: &'static Entry,
    /// Relevance: higher is better.
    pub score: u32,
}

/// Finds entries where every word of `query` occurs, in either language, in the code, name,
/// message, causes, steps, notes, commands or event IDs. Case-insensitive; Chinese words match as
/// substrings, so `寬限期` finds the grace-period entries. Best hits first.
pub fn search(query: &str) -> Vec<Hit> {
    let words: Vec<String> = query
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | ';' | '"' | '\'' | '，' | '、')))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<Hit> = data::ENTRIES
        .iter()
        .filter_map(|e| {
            let mut total = 0;
            for w in &words {
                let s = score_word(e, w);
                if s == 0 {
                    return None;
                }
                total += s;
            }
            Some(Hit {
                entry: e,
                score: total,
            })
        })
        .collect();
    hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.entry.code.cmp(&b.entry.code)));
    hits
}

fn contains(hay: &str, needle: &str) -> bool {
    if hay.is_ascii() && needle.is_ascii() {
        hay.as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    } else {
        hay.to_lowercase().contains(needle)
    }
}

fn score_word(e: &Entry, w: &str) -> u32 {
    let mut s = 0;
    let code = e.code.to_string();
    let bare = code.trim_start_matches("0x");
    if code.eq_ignore_ascii_case(w) || bare.eq_ignore_ascii_case(w) {
        s += 100;
    } else if contains(&code, w) {
        s += 20;
    }
    if let Some(n) = e.name {
        if n.eq_ignore_ascii_case(w) {
            s += 100;
        } else if contains(n, w) {
            s += 15;
        }
    }
    for a in e.aliases {
        if contains(&a.to_string(), w) {
            s += 20;
        }
    }
    for t in [&e.en, &e.zh_tw] {
        if contains(t.message, w) {
            s += 10;
        }
        s += 3 * t.causes.iter().filter(|c| contains(c, w)).count() as u32;
        s += 2 * t.steps.iter().filter(|c| contains(c, w)).count() as u32;
        if t.note.is_some_and(|n| contains(n, w)) {
            s += 1;
        }
    }
    for c in e.commands {
        if contains(c.run, w) || contains(c.en, w) || contains(c.zh_tw, w) {
            s += 2;
        }
    }
    if w.bytes().all(|b| b.is_ascii_digit()) && e.events.iter().any(|ev| ev.to_string() == w) {
        s += 5;
    }
    for t in e.types {
        if t.id() == w || t.label(Lang::En).eq_ignore_ascii_case(w) || t.label(Lang::ZhTw) == w {
            s += 5;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_sorted_and_unique() {
        let e = entries();
        assert!(e.windows(2).all(|w| w[0].code < w[1].code));
        assert!(data::INDEX.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn every_entry_resolves_by_code_alias_and_name() {
        for e in entries() {
            assert!(std::ptr::eq(lookup(e.code).unwrap(), e));
            for a in e.aliases {
                assert!(std::ptr::eq(lookup(*a).unwrap(), e));
            }
            if let Some(n) = e.name {
                assert_eq!(by_name(n).map(|x| x.code), Some(e.code), "{n}");
            }
        }
    }

    #[test]
    fn seed_has_thirty_codes() {
        assert_eq!(entries().iter().filter(|e| e.seed).count(), 30);
    }

    #[test]
    fn locale_mapping() {
        assert_eq!(Lang::from_locale("zh_TW.UTF-8"), Some(Lang::ZhTw));
        assert_eq!(Lang::from_locale("zh-Hant-HK"), Some(Lang::ZhTw));
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Some(Lang::En));
        assert_eq!(Lang::from_locale("C"), Some(Lang::En));
        assert_eq!(Lang::from_locale(""), None);
        assert_eq!("zh_tw".parse::<Lang>(), Ok(Lang::ZhTw));
        assert!("fr".parse::<Lang>().is_err());
    }
}
