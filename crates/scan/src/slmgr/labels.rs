//! The words slmgr prints, per UI language, as data: one table per language in
//! `crates/scan/labels/<lang>.tsv` (`key<TAB>text<TAB>source`), read once. A localised line is
//! brought back to the English line slmgr.vbs would print (its built-in constants), so that one
//! reader ([`super::parse`]) serves every language, and the language of each match is counted.
//!
//! Table format: `#` starts a comment; `@source WHERE` sets the source of the rows after it; a row
//! is `key`, `text` and optionally its own source, separated by tabs. A key may have several rows
//! (spellings seen in different builds). `{}` in a template marks where the value stands.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// How a key's text is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A label: the value follows it after a colon.
    Label,
    /// A whole line (its start is enough).
    Line,
    /// A line with a value inside (`{}`), such as `/xpr`'s "will expire {}".
    Template,
    /// A value word (license states, units).
    Value,
}

/// Every key a table may use, its kind, and whether every language table must have it.
pub(crate) const KEYS: &[(&str, Kind, bool)] = &[
    ("service_version", Kind::Label, true),
    ("name", Kind::Label, true),
    ("description", Kind::Label, true),
    ("activation_id", Kind::Label, true),
    ("application_id", Kind::Label, true),
    ("extended_pid", Kind::Label, true),
    ("product_key_channel", Kind::Label, true),
    ("installation_id", Kind::Label, true),
    ("use_license_url", Kind::Label, false),
    ("validation_url", Kind::Label, false),
    ("partial_product_key", Kind::Label, true),
    ("license_status", Kind::Label, true),
    ("notification_reason", Kind::Label, true),
    ("volume_expiration", Kind::Label, true),
    ("timebased_expiration", Kind::Label, false),
    ("time_remaining", Kind::Label, true),
    ("windows_rearm", Kind::Label, true),
    ("sku_rearm", Kind::Label, true),
    ("app_rearm", Kind::Label, false),
    ("trusted_time", Kind::Label, true),
    ("activation_type", Kind::Label, true),
    ("latest_activation", Kind::Line, false),
    ("ask_ato", Kind::Line, false),
    ("client_section", Kind::Line, true),
    ("cmid", Kind::Label, true),
    ("registered_kms_name", Kind::Label, true),
    ("srv_lookup_domain", Kind::Label, false),
    ("kms_name_from_dns", Kind::Label, true),
    ("dns_discovery_failed", Kind::Line, true),
    ("kms_ip", Kind::Label, true),
    ("kms_extended_pid", Kind::Label, true),
    ("activation_interval", Kind::Label, true),
    ("renewal_interval", Kind::Label, true),
    ("host_caching_on", Kind::Line, true),
    ("host_caching_off", Kind::Line, true),
    ("host_section", Kind::Line, true),
    ("current_count", Kind::Label, true),
    ("listening_port", Kind::Label, true),
    ("dns_publishing_on", Kind::Line, true),
    ("dns_publishing_off", Kind::Line, true),
    ("priority", Kind::Label, true),
    ("requests_section", Kind::Line, true),
    ("total_requests", Kind::Label, true),
    ("failed_requests", Kind::Label, true),
    ("req_unlicensed", Kind::Label, true),
    ("req_licensed", Kind::Label, true),
    ("req_oob", Kind::Label, true),
    ("req_oot", Kind::Label, true),
    ("req_non_genuine", Kind::Label, true),
    ("req_notification", Kind::Label, true),
    ("ad_section", Kind::Line, false),
    ("ao_name", Kind::Label, false),
    ("ao_dn", Kind::Label, false),
    ("ao_extended_pid", Kind::Label, false),
    ("ao_activation_id", Kind::Label, false),
    ("ao_list", Kind::Line, false),
    ("ao_none", Kind::Line, false),
    ("xpr_volume", Kind::Template, true),
    ("xpr_timebased", Kind::Template, false),
    ("xpr_permanent", Kind::Line, true),
    ("xpr_notification", Kind::Line, true),
    ("xpr_oob", Kind::Template, true),
    ("xpr_oot", Kind::Template, false),
    ("xpr_non_genuine", Kind::Template, false),
    ("xpr_extended", Kind::Template, false),
    ("ato_activating", Kind::Template, true),
    ("ato_success", Kind::Line, true),
    ("ato_failed", Kind::Line, false),
    ("error", Kind::Label, true),
    ("state_unlicensed", Kind::Value, true),
    ("state_licensed", Kind::Value, true),
    ("state_oob", Kind::Value, true),
    ("state_oot", Kind::Value, true),
    ("state_non_genuine", Kind::Value, true),
    ("state_notification", Kind::Value, true),
    ("state_extended", Kind::Value, true),
    ("unit_minutes", Kind::Value, true),
    ("unit_days", Kind::Value, true),
];

/// The tables: BCP-47 tag and text. English first: its texts are what lines are brought back to.
pub(crate) const TABLES: &[(&str, &str)] = &[
    ("en", include_str!("../../labels/en.tsv")),
    ("zh-TW", include_str!("../../labels/zh-TW.tsv")),
    ("zh-CN", include_str!("../../labels/zh-CN.tsv")),
    ("ja", include_str!("../../labels/ja.tsv")),
    ("ko", include_str!("../../labels/ko.tsv")),
    ("de", include_str!("../../labels/de.tsv")),
    ("fr", include_str!("../../labels/fr.tsv")),
    ("es", include_str!("../../labels/es.tsv")),
    ("it", include_str!("../../labels/it.tsv")),
    ("pt-BR", include_str!("../../labels/pt-BR.tsv")),
    ("ru", include_str!("../../labels/ru.tsv")),
];

/// One row of a table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Row {
    /// Index into [`TABLES`].
    pub lang: usize,
    /// Index into [`KEYS`].
    pub key: usize,
    /// The text as printed.
    pub text: String,
    /// Where the text comes from (`unverified` when no real capture or copy backs it).
    pub source: String,
}

/// A table that does not read.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum TableError {
    /// A row without a tab between key and text.
    #[error("{lang} line {line}: expected `key<TAB>text[<TAB>source]`")]
    Shape { lang: &'static str, line: usize },
    /// A key not in [`KEYS`].
    #[error("{lang} line {line}: unknown key `{key}`")]
    UnknownKey {
        lang: &'static str,
        line: usize,
        key: String,
    },
    /// A row before any `@source` and without its own source.
    #[error("{lang} line {line}: no source for this label")]
    NoSource { lang: &'static str, line: usize },
    /// A required key that a table lacks.
    #[error("{lang}: required key `{key}` missing")]
    Missing {
        lang: &'static str,
        key: &'static str,
    },
}

/// The index of `key` in [`KEYS`].
pub(crate) fn key_index(key: &str) -> Option<usize> {
    KEYS.iter().position(|(k, _, _)| *k == key)
}

/// Reads one table of [`TABLES`].
pub(crate) fn read_table(lang: usize) -> Result<Vec<Row>, TableError> {
    let (tag, text) = TABLES[lang];
    read_rows(lang, tag, text)
}

/// Reads a table's text (tests of the format).
#[cfg(test)]
pub(crate) fn read_table_text(tag: &'static str, text: &str) -> Result<Vec<Row>, TableError> {
    read_rows(usize::MAX, tag, text)
}

fn read_rows(lang: usize, tag: &'static str, text: &str) -> Result<Vec<Row>, TableError> {
    let mut source = None::<String>;
    let mut rows = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim_end_matches('\r');
        if l.trim().is_empty() || l.starts_with('#') {
            continue;
        }
        if let Some(s) = l.strip_prefix("@source ") {
            source = Some(s.trim().to_owned());
            continue;
        }
        let mut cols = l.split('\t');
        let (Some(key), Some(txt)) = (cols.next(), cols.next()) else {
            return Err(TableError::Shape { lang: tag, line });
        };
        let key_ix = key_index(key).ok_or_else(|| TableError::UnknownKey {
            lang: tag,
            line,
            key: key.to_owned(),
        })?;
        let src = match cols.next().filter(|s| !s.trim().is_empty()) {
            Some(s) => s.trim().to_owned(),
            None => source
                .clone()
                .ok_or(TableError::NoSource { lang: tag, line })?,
        };
        if txt.trim().is_empty() {
            return Err(TableError::Shape { lang: tag, line });
        }
        rows.push(Row {
            lang,
            key: key_ix,
            text: txt.trim().to_owned(),
            source: src,
        });
    }
    for (k, (key, _, required)) in KEYS.iter().enumerate() {
        if *required && lang != usize::MAX && !rows.iter().any(|r| r.key == k) {
            return Err(TableError::Missing { lang: tag, key });
        }
    }
    Ok(rows)
}

/// Every row of every table, and the rows by the first character of their text.
struct Index {
    rows: Vec<Row>,
    by_first: HashMap<char, Vec<usize>>,
    /// Templates that start with their value (`{} wird aktiviert`): tried on every line.
    leading: Vec<usize>,
    /// The English text of each key (its shortest English row).
    en: Vec<String>,
    /// Per row: whether another language prints the same text (it then says nothing of the language).
    shared: Vec<bool>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        // A table that does not read is a build mistake the `every_table_reads` test reports;
        // at run time its rows are simply not used.
        let mut rows: Vec<Row> = (0..TABLES.len())
            .filter_map(|l| read_table(l).ok())
            .flatten()
            .collect();
        // Longest text first, so `Requests with License Status Licensed` wins over shorter ones.
        rows.sort_by_key(|r| std::cmp::Reverse(r.text.chars().count()));
        let mut by_first: HashMap<char, Vec<usize>> = HashMap::new();
        let mut leading = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if KEYS[r.key].1 == Kind::Value {
                continue;
            }
            if r.text.starts_with("{}") {
                leading.push(i);
            } else if let Some(c) = r.text.chars().next() {
                // Both cases of the first letter: labels match ignoring ASCII case.
                by_first.entry(c.to_ascii_lowercase()).or_default().push(i);
                if c.to_ascii_uppercase() != c.to_ascii_lowercase() {
                    by_first.entry(c.to_ascii_uppercase()).or_default().push(i);
                }
            }
        }
        let en = (0..KEYS.len())
            .map(|k| {
                rows.iter()
                    .filter(|r| r.lang == 0 && r.key == k)
                    .min_by_key(|r| r.text.len())
                    .map_or_else(String::new, |r| r.text.clone())
            })
            .collect();
        let shared = rows
            .iter()
            .map(|r| {
                rows.iter()
                    .any(|o| o.lang != r.lang && o.text.eq_ignore_ascii_case(&r.text))
            })
            .collect();
        Index {
            rows,
            by_first,
            leading,
            en,
            shared,
        }
    })
}

/// The English text of a key (the first English row).
pub(crate) fn english(key: usize) -> &'static str {
    index().en.get(key).map_or("", String::as_str)
}

/// The BCP-47 tag of a table.
pub(crate) fn tag(lang: usize) -> &'static str {
    TABLES.get(lang).map_or("unknown", |t| t.0)
}

/// Full-width colons and typographic apostrophes as ASCII, so `：` and `’` match `:` and `'`.
pub(crate) fn normalise(t: &str) -> Cow<'_, str> {
    if t.contains(['：', '’']) {
        Cow::Owned(t.replace('：', ":").replace('’', "'"))
    } else {
        Cow::Borrowed(t)
    }
}

/// A line brought back to English: the English line and the language whose label matched.
pub(crate) struct Translated<'a> {
    /// The line as slmgr prints it in English.
    pub line: Cow<'a, str>,
    /// The table whose label matched; `None` when several languages print the same text.
    pub lang: Option<usize>,
}

/// Brings a trimmed slmgr line back to English, when a table knows its label.
pub(crate) fn translate(t: &str) -> Option<Translated<'_>> {
    let first = t.chars().next()?;
    let ix = index();
    let bucket = ix.by_first.get(&first).map_or(&[][..], Vec::as_slice);
    for &i in bucket.iter().chain(&ix.leading) {
        let r = &ix.rows[i];
        if let Some(line) = rewrite(t, r) {
            return Some(Translated {
                line,
                lang: (!ix.shared[i]).then_some(r.lang),
            });
        }
    }
    None
}

/// The English form of `t` when row `r` matches it.
fn rewrite<'a>(t: &'a str, r: &Row) -> Option<Cow<'a, str>> {
    let (_, kind, _) = KEYS[r.key];
    let en = english(r.key);
    // English as slmgr prints it stays as it is; anything else (another language, or a space
    // before the colon as French writes it) is rewritten.
    let english_as_is = r.lang == 0;
    match kind {
        Kind::Label => {
            let after = strip_prefix_ci(t, &r.text)?;
            let value = after.trim_start().strip_prefix(':')?.trim();
            Some(keep_or(t, english_as_is && after.starts_with(':'), || {
                format!("{en}: {value}")
            }))
        }
        Kind::Line => {
            let rest = strip_prefix_ci(t, &r.text)?;
            Some(keep_or(t, english_as_is, || format!("{en}{rest}")))
        }
        Kind::Template => {
            let value = fill(t, &r.text)?;
            Some(keep_or(t, english_as_is, || {
                en.replacen("{}", value.trim(), 1)
            }))
        }
        Kind::Value => None,
    }
}

/// `t` itself when `keep`, else the line `english` makes.
fn keep_or<'a>(t: &'a str, keep: bool, english: impl FnOnce() -> String) -> Cow<'a, str> {
    if keep {
        Cow::Borrowed(t)
    } else {
        Cow::Owned(english())
    }
}

/// `t` without the prefix `p`, ignoring ASCII case.
fn strip_prefix_ci<'a>(t: &'a str, p: &str) -> Option<&'a str> {
    let head = t.get(..p.len())?;
    head.eq_ignore_ascii_case(p).then(|| &t[p.len()..])
}

/// The value a template `before{}after` holds in `t`.
fn fill<'a>(t: &'a str, template: &str) -> Option<&'a str> {
    let (before, after) = template.split_once("{}")?;
    let rest = strip_prefix_ci(t, before)?;
    let after = after.trim_end_matches(['.', '。']);
    let rest = rest.trim_end().trim_end_matches(['.', '。']).trim_end();
    let value = if after.is_empty() {
        rest
    } else {
        rest.strip_suffix(after.trim())?
    };
    (!value.trim().is_empty()).then_some(value)
}

/// The key of a value word (a license state or a unit) in any table, ignoring case and a final
/// full stop; `prefix` accepts texts that start with it.
pub(crate) fn value_key(v: &str) -> Option<usize> {
    let v = v.trim().trim_end_matches(['.', '。']).trim();
    if v.is_empty() {
        return None;
    }
    let ix = index();
    ix.rows
        .iter()
        .filter(|r| KEYS[r.key].1 == Kind::Value)
        .find(|r| {
            let t = r.text.trim_end_matches(['.', '。']);
            v.eq_ignore_ascii_case(t)
                || (t.chars().count() >= 3
                    && v.get(..t.len()).is_some_and(|h| h.eq_ignore_ascii_case(t)))
        })
        .map(|r| r.key)
}

/// Whether `word` is a minutes unit of any table (`minute(s)`, `分钟`, `Minute(n)`, …).
pub(crate) fn is_minutes_word(word: &str) -> bool {
    let k = key_index("unit_minutes");
    let w = word.trim();
    !w.is_empty()
        && index()
            .rows
            .iter()
            .filter(|r| Some(r.key) == k)
            .any(|r| w.starts_with(r.text.as_str()))
}

/// Texts whose presence marks slmgr output in any table's language (for a block filter): the
/// license status label, which every `/dli` and `/dlv` prints, and `/ato`'s success line in
/// the scripts other than Latin (the filter hands the parsers the text around a marker, so the
/// whole block is read). Few words, so that the filter's multi-word search stays in its
/// fastest form (at most 32 words with the others).
pub(crate) fn markers() -> Vec<&'static str> {
    let ix = index();
    let mut out: Vec<&'static str> = ix
        .rows
        .iter()
        // `/ato` alone prints its success line; in Latin script it starts with everyday words
        // (`Le produit`, `Das Produkt`) that would stop the search all over an English log.
        .filter(|r| match KEYS[r.key].0 {
            "license_status" => true,
            "ato_success" => !r.text.starts_with(|c: char| c.is_ascii()),
            _ => false,
        })
        // One-character words (`分`) would mark nearly every Japanese or Chinese text.
        .filter(|r| r.text.chars().count() >= 2)
        .map(|r| r.text.as_str())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}
