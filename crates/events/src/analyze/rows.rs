//! Client rows: the host's per-client state sorted into report order (normalised name, then
//! CMID) and turned into [`ClientRow`]s, on several threads for large reports.

use std::collections::HashMap;

use volact_core::Lang;
use volact_core::products::Family;

use super::options::CLIENT_THRESHOLD;
use super::report::{ClientRow, Codes, StateOut};
use super::store::{ClientAgg, norm_name};
use crate::guid::*;

/// A CMID as the report sorts and prints it.
#[derive(Clone, Copy)]
pub(super) enum CmidOf<'a> {
    Guid(u128),
    Text(&'a str),
}

impl CmidOf<'_> {
    pub(super) fn text(self) -> String {
        match self {
            CmidOf::Guid(g) => format_guid(g),
            CmidOf::Text(t) => t.to_owned(),
        }
    }

    /// The order of the texts (for two GUIDs, of their values: lower-case hexadecimal digits of
    /// one length in the same positions sort as the numbers do).
    pub(super) fn cmp(self, other: Self) -> std::cmp::Ordering {
        match (self, other) {
            (CmidOf::Guid(a), CmidOf::Guid(b)) => a.cmp(&b),
            (CmidOf::Text(a), CmidOf::Text(b)) => a.cmp(b),
            (a, b) => a.text().cmp(&b.text()),
        }
    }
}

/// Which client rows a report carries (see `Analyzer::report_with`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientRows {
    /// Every client (JSON, NDJSON, CSV).
    All,
    /// The first rows in report order (at most this many).
    First(usize),
}

impl ClientRows {
    pub(super) fn limit(self) -> usize {
        match self {
            ClientRows::All => usize::MAX,
            ClientRows::First(n) => n,
        }
    }
}

/// A client row on its way into the report, with its sort key.
pub(super) struct RowRef<'a> {
    /// The first 16 bytes of the normalised name, big-endian, zero-padded.
    pub(super) prefix: u128,
    pub(super) cmid: CmidOf<'a>,
    pub(super) shared: bool,
    pub(super) outside_window: bool,
    pub(super) agg: &'a mut ClientAgg,
}

impl RowRef<'_> {
    /// Normalised name, then CMID text: the order of `(norm_name(name), cmid text)`.
    pub(super) fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.prefix
            .cmp(&other.prefix)
            .then_with(|| cmp_norm_names(self.agg.name.as_str(), other.agg.name.as_str()))
            .then_with(|| self.cmid.cmp(other.cmid))
    }
}

/// `rows` in the order of [`RowRef::cmp`], stable: sorted by (name prefix, position) as plain
/// integers first, then each run of equal prefixes (rare: names alike in their first 16 bytes)
/// by the whole key.
pub(super) fn sorted(rows: Vec<RowRef<'_>>) -> Vec<RowRef<'_>> {
    let mut keys: Vec<(u128, u32)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.prefix, i as u32))
        .collect();
    keys.sort_unstable();
    let mut start = 0;
    while start < keys.len() {
        let p = keys[start].0;
        let end = start + keys[start..].iter().take_while(|k| k.0 == p).count();
        if end - start > 1 {
            keys[start..end].sort_by(|a, b| rows[a.1 as usize].cmp(&rows[b.1 as usize]));
        }
        start = end;
    }
    let mut slots: Vec<Option<RowRef<'_>>> = rows.into_iter().map(Some).collect();
    keys.iter()
        .filter_map(|&(_, i)| slots.get_mut(i as usize).and_then(Option::take))
        .collect()
}

/// The first 16 bytes of [`norm_name`] as a big-endian integer (zero-padded): integers compare
/// as the byte strings' first 16 bytes do.
pub(super) fn name_prefix(name: &str) -> u128 {
    let mut b = [0u8; 16];
    let t = name.trim();
    if t.is_ascii() {
        for (d, c) in b.iter_mut().zip(t.bytes()) {
            *d = c.to_ascii_lowercase();
        }
    } else {
        for (d, c) in b.iter_mut().zip(norm_name(t).bytes()) {
            *d = c;
        }
    }
    u128::from_be_bytes(b)
}

/// `norm_name(a).cmp(&norm_name(b))`, without allocating for ASCII names.
pub(super) fn cmp_norm_names(a: &str, b: &str) -> std::cmp::Ordering {
    let (ta, tb) = (a.trim(), b.trim());
    if ta.is_ascii() && tb.is_ascii() {
        ta.bytes()
            .map(|c| c.to_ascii_lowercase())
            .cmp(tb.bytes().map(|c| c.to_ascii_lowercase()))
    } else {
        norm_name(ta).cmp(&norm_name(tb))
    }
}

/// Rows below which [`client_rows`] uses one thread (a thread costs more than it saves).
pub(super) const ROWS_PER_THREAD: usize = 4096;

/// The report rows of `order`, in order; each row's name is moved out of its state. Large
/// reports are built in parts on up to `threads` threads (the reading threads have ended by now), the
/// parts then joined in order, so the result does not depend on the number of threads.
pub(super) fn client_rows(
    mut order: Vec<RowRef<'_>>,
    lang: Lang,
    threads: usize,
) -> Vec<ClientRow> {
    let threads = threads.min(order.len() / ROWS_PER_THREAD).clamp(1, 8);
    if threads == 1 {
        let mut rows = Vec::with_capacity(order.len());
        client_rows_part(order, lang, &mut rows);
        return rows;
    }
    let mut rows = Vec::with_capacity(order.len());
    let per = order.len().div_ceil(threads);
    let mut parts = Vec::with_capacity(threads);
    while order.len() > per {
        parts.push(order.split_off(order.len() - per));
    }
    let first = order;
    std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .rev()
            .map(|part| {
                s.spawn(move || {
                    let mut rows = Vec::with_capacity(part.len());
                    client_rows_part(part, lang, &mut rows);
                    rows
                })
            })
            .collect();
        client_rows_part(first, lang, &mut rows);
        for h in handles {
            match h.join() {
                Ok(mut part) => rows.append(&mut part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        rows
    })
}

/// [`client_rows`] on one thread: appends the rows of `order` to `rows`.
pub(super) fn client_rows_part(order: Vec<RowRef<'_>>, lang: Lang, rows: &mut Vec<ClientRow>) {
    let codes = Codes::new(lang);
    type Named = (String, Option<&'static str>, Option<Family>);
    let mut activation_ids: HashMap<u128, Named, FxBuild> = HashMap::default();
    rows.extend(order.into_iter().map(|r| {
        let a = r.agg;
        let (activation_id, product, family) = match a.activation_id() {
            Some(GuidRef::Guid(g)) => {
                let (id, p, f) = activation_ids.entry(g).or_insert_with(|| {
                    let id = format_guid(g);
                    let (p, f) = super::products::name_of(&id);
                    (id, p, f)
                });
                (Some(id.clone()), *p, *f)
            }
            Some(GuidRef::Text(t)) => {
                let (p, f) = super::products::name_of(t);
                (Some(t.to_owned()), p, f)
            }
            None => (None, None, None),
        };
        ClientRow {
            name: std::mem::take(&mut a.name).into(),
            cmid: r.cmid.text(),
            requests: a.requests,
            first_seen: a.first_seen.get(),
            last_seen: a.last_seen.get(),
            last_client_time: a.last_client_time.get(),
            last_code: a.last_code().map(|c| codes.one(c, 1)),
            codes: codes.list(a.codes.iter()),
            license_state: a.license_state().map(|s| StateOut::new(s, lang)),
            minutes_to_expiry: a.minutes_to_expiry(),
            vm: a.vm,
            activation_id,
            product,
            family,
            min_count: a.min_count(),
            os: os_kind(a.min_count()),
            skewed_requests: a.skewed_requests,
            max_skew_secs: a.max_skew(),
            shared_cmid: r.shared,
            outside_window: r.outside_window,
        }
    }));
}

pub(super) fn os_kind(min_count: Option<u32>) -> Option<&'static str> {
    match min_count {
        Some(n) if n >= CLIENT_THRESHOLD => Some("client"),
        Some(n) if n > 0 => Some("server"),
        _ => None,
    }
}
