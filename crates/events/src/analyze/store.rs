//! The packed per-client state of the host aggregation: one row per (CMID, client name), kept
//! in a map keyed by CMID, each row a couple of cache lines (a host log updates a row per
//! request, for tens of thousands of rows).

use std::collections::{BTreeMap, HashMap};

use volact_core::ErrorCode;
use volact_core::event::{LicenseState, Timestamp};

use crate::guid::*;

/// How often each code occurred: inline while there are few codes (the usual case: one or two
/// per client, kept in the row itself), a map beyond that.
#[derive(Debug, Clone)]
pub(super) enum CodeTally {
    Few {
        len: u8,
        codes: [ErrorCode; CodeTally::FEW],
        counts: [u32; CodeTally::FEW],
    },
    // Boxed: one pointer in the row instead of the map's three words (rows are per client).
    #[allow(clippy::box_collection)]
    Many(Box<BTreeMap<ErrorCode, u64>>),
}

impl Default for CodeTally {
    fn default() -> Self {
        CodeTally::Few {
            len: 0,
            codes: [ErrorCode::new(0); CodeTally::FEW],
            counts: [0; CodeTally::FEW],
        }
    }
}

impl CodeTally {
    pub(super) const FEW: usize = 2;

    pub(super) fn add(&mut self, c: ErrorCode) {
        match self {
            CodeTally::Few { len, codes, counts } => {
                let n = usize::from(*len);
                let at = codes[..n].iter().position(|e| *e == c);
                if let Some(i) = at
                    && counts[i] < u32::MAX
                {
                    counts[i] += 1;
                } else if at.is_none() && n < Self::FEW {
                    codes[n] = c;
                    counts[n] = 1;
                    *len += 1;
                } else {
                    // A third code, or a count beyond 32 bits.
                    let mut m: BTreeMap<ErrorCode, u64> = codes[..n]
                        .iter()
                        .copied()
                        .zip(counts.iter().map(|&k| u64::from(k)))
                        .collect();
                    *m.entry(c).or_default() += 1;
                    *self = CodeTally::Many(Box::new(m));
                }
            }
            CodeTally::Many(m) => *m.entry(c).or_default() += 1,
        }
    }

    pub(super) fn first_count(&self) -> u64 {
        match self {
            CodeTally::Few { counts, .. } => u64::from(counts[0]),
            CodeTally::Many(_) => 0,
        }
    }

    pub(super) fn iter(&self) -> Box<dyn Iterator<Item = (ErrorCode, u64)> + '_> {
        match self {
            CodeTally::Few { len, codes, counts } => Box::new(
                codes[..usize::from(*len)]
                    .iter()
                    .copied()
                    .zip(counts.iter().map(|&k| u64::from(k))),
            ),
            CodeTally::Many(m) => Box::new(m.iter().map(|(c, n)| (*c, *n))),
        }
    }
}

/// An optional timestamp in eight bytes: `(secs << 2) | (utc << 1) | 1`, 0 for none. Seconds are
/// kept within ±2^60 (about 36 billion years, far beyond any date a log can hold).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct OptTs(pub(super) i64);

impl OptTs {
    pub(super) const LIMIT: i64 = 1 << 60;

    pub(super) fn new(t: Option<Timestamp>) -> Self {
        match t {
            None => Self(0),
            Some(t) => {
                let secs = t.unix().clamp(-Self::LIMIT, Self::LIMIT);
                Self((secs << 2) | (i64::from(t.is_utc()) << 1) | 1)
            }
        }
    }

    pub(super) fn get(self) -> Option<Timestamp> {
        (self.0 != 0).then(|| Timestamp::from_unix(self.0 >> 2, self.0 & 2 != 0))
    }

    pub(super) fn unix(self) -> Option<i64> {
        (self.0 != 0).then_some(self.0 >> 2)
    }
}

/// One client row (a client name under a CMID), packed into about two cache lines: a host log
/// updates every field of its row on each request, for tens of thousands of rows.
#[derive(Debug, Default)]
pub(super) struct ClientAgg {
    pub(super) name: Name,
    pub(super) requests: u64,
    pub(super) skewed_requests: u64,
    pub(super) first_seen: OptTs,
    pub(super) last_seen: OptTs,
    pub(super) last_client_time: OptTs,
    /// Valid with [`ClientAgg::HAS_MINUTES`].
    pub(super) minutes_to_expiry: u64,
    /// Valid with [`ClientAgg::HAS_SKEW`].
    pub(super) max_skew: i64,
    pub(super) codes: CodeTally,
    /// Valid with [`ClientAgg::HAS_CODE`].
    pub(super) last_code: u32,
    /// The state's number, valid with [`ClientAgg::HAS_STATE`].
    pub(super) license_state: u32,
    /// Valid with [`ClientAgg::HAS_MIN_COUNT`].
    pub(super) min_count: u32,
    /// The Activation ID when it is a GUID (with [`ClientAgg::HAS_GUID_ID`]), as two halves so
    /// that the row needs no 16-byte alignment.
    pub(super) activation_guid: [u64; 2],
    /// The Activation ID when it is not a GUID (rare).
    pub(super) activation_text: Option<Box<str>>,
    pub(super) vm: Option<bool>,
    pub(super) flags: u8,
}

/// A client name: up to 22 bytes kept inline (nearly every NetBIOS name and many FQDNs), so that
/// finding a client's row among its CMID's rows reads no other memory; longer ones on the heap.
#[derive(Debug, Clone)]
pub(super) enum Name {
    Inline { len: u8, bytes: [u8; Name::INLINE] },
    Heap(Box<str>),
}

impl Name {
    pub(super) const INLINE: usize = 22;

    pub(super) fn new(s: &str) -> Self {
        if s.len() <= Self::INLINE {
            let mut bytes = [0u8; Self::INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Name::Inline {
                len: s.len() as u8,
                bytes,
            }
        } else {
            Name::Heap(s.into())
        }
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        match self {
            Name::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Name::Heap(s) => s.as_bytes(),
        }
    }

    pub(super) fn as_str(&self) -> &str {
        match self {
            // Copied whole from a `str`, so valid.
            Name::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Name::Heap(s) => s,
        }
    }

    pub(super) fn is_heap(&self) -> bool {
        matches!(self, Name::Heap(_))
    }
}

impl Default for Name {
    fn default() -> Self {
        Name::new("")
    }
}

impl From<Name> for String {
    fn from(n: Name) -> String {
        match n {
            Name::Heap(s) => s.into(),
            Name::Inline { .. } => n.as_str().to_owned(),
        }
    }
}

impl ClientAgg {
    pub(super) const HAS_MINUTES: u8 = 1;
    pub(super) const HAS_SKEW: u8 = 2;
    pub(super) const HAS_GUID_ID: u8 = 4;
    pub(super) const HAS_CODE: u8 = 8;
    pub(super) const HAS_STATE: u8 = 16;
    pub(super) const HAS_MIN_COUNT: u8 = 32;

    pub(super) fn has(&self, bit: u8) -> bool {
        self.flags & bit != 0
    }

    pub(super) fn set_flag(&mut self, bit: u8, on: bool) {
        self.flags = (self.flags & !bit) | if on { bit } else { 0 };
    }

    pub(super) fn last_code(&self) -> Option<ErrorCode> {
        self.has(Self::HAS_CODE)
            .then(|| ErrorCode::new(self.last_code))
    }

    pub(super) fn license_state(&self) -> Option<LicenseState> {
        self.has(Self::HAS_STATE)
            .then(|| LicenseState::from_number(self.license_state))
    }

    pub(super) fn min_count(&self) -> Option<u32> {
        self.has(Self::HAS_MIN_COUNT).then_some(self.min_count)
    }

    /// Sets the values that come from the newest request.
    pub(super) fn set_latest(
        &mut self,
        code: Option<ErrorCode>,
        state: Option<LicenseState>,
        min_count: Option<u32>,
    ) {
        self.last_code = code.map_or(0, ErrorCode::value);
        self.set_flag(Self::HAS_CODE, code.is_some());
        self.license_state = state.map_or(0, LicenseState::number);
        self.set_flag(Self::HAS_STATE, state.is_some());
        self.min_count = min_count.unwrap_or(0);
        self.set_flag(Self::HAS_MIN_COUNT, min_count.is_some());
    }

    pub(super) fn new(name: &str) -> Self {
        Self {
            name: Name::new(name),
            ..Self::default()
        }
    }

    pub(super) fn minutes_to_expiry(&self) -> Option<u64> {
        (self.flags & Self::HAS_MINUTES != 0).then_some(self.minutes_to_expiry)
    }

    pub(super) fn max_skew(&self) -> Option<i64> {
        (self.flags & Self::HAS_SKEW != 0).then_some(self.max_skew)
    }

    pub(super) fn set_minutes_to_expiry(&mut self, m: Option<u64>) {
        self.minutes_to_expiry = m.unwrap_or(0);
        self.flags =
            (self.flags & !Self::HAS_MINUTES) | if m.is_some() { Self::HAS_MINUTES } else { 0 };
    }

    pub(super) fn activation_id(&self) -> Option<GuidRef<'_>> {
        if self.flags & Self::HAS_GUID_ID != 0 {
            return Some(GuidRef::Guid(crate::guid::join(self.activation_guid)));
        }
        self.activation_text.as_deref().map(GuidRef::Text)
    }

    pub(super) fn set_activation_id(&mut self, id: Option<GuidRef<'_>>) {
        if self.activation_id() == id {
            return;
        }
        self.flags &= !Self::HAS_GUID_ID;
        self.activation_text = None;
        match id {
            None => {}
            Some(GuidRef::Guid(g)) => {
                self.activation_guid = crate::guid::split(g);
                self.flags |= Self::HAS_GUID_ID;
            }
            Some(GuidRef::Text(t)) => self.activation_text = Some(t.into()),
        }
    }

    pub(super) fn set_max_skew(&mut self, s: i64) {
        self.max_skew = s;
        self.flags |= Self::HAS_SKEW;
    }
}

#[derive(Debug, Default)]
pub(super) struct CmidAgg {
    pub(super) last: OptTs,
    pub(super) min_count: Option<u32>,
    /// One row per client name using this CMID.
    pub(super) rows: Rows,
}

/// The rows of one CMID: the first inline (in the map's slot, next to the CMID: one place in
/// memory for the usual CMID with one name), the others (clones) beside.
#[derive(Debug, Default)]
pub(super) struct Rows {
    pub(super) first: Option<ClientAgg>,
    // Boxed: one pointer in the CMID's slot instead of three words (clones are rare).
    #[allow(clippy::box_collection)]
    pub(super) more: Option<Box<Vec<ClientAgg>>>,
}

impl Rows {
    pub(super) fn more(&self) -> &[ClientAgg] {
        self.more.as_deref().map_or(&[], Vec::as_slice)
    }

    pub(super) fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.more().len()
    }

    pub(super) fn first(&self) -> Option<&ClientAgg> {
        self.first.as_ref()
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &ClientAgg> {
        self.first.iter().chain(self.more().iter())
    }

    pub(super) fn push(&mut self, r: ClientAgg) {
        if self.first.is_none() {
            self.first = Some(r);
        } else {
            self.more.get_or_insert_default().push(r);
        }
    }

    pub(super) fn iter_mut(&mut self) -> impl Iterator<Item = &mut ClientAgg> {
        self.first
            .iter_mut()
            .chain(self.more.as_deref_mut().into_iter().flatten())
    }

    pub(super) fn get_mut(&mut self, i: usize) -> Option<&mut ClientAgg> {
        match i {
            0 => self.first.as_mut(),
            _ => self.more.as_deref_mut()?.get_mut(i - 1),
        }
    }
}

/// The per-CMID state. GUID CMIDs (nearly all) are keyed by their 128-bit value, which keeps a
/// slot (key and state) at 192 bytes, three cache lines; any other CMID text is kept beside.
#[derive(Debug, Default)]
pub(super) struct CmidMap {
    pub(super) guid: HashMap<u128, CmidAgg, FxBuild>,
    pub(super) text: HashMap<Box<str>, CmidAgg, FxBuild>,
}

impl CmidMap {
    /// The state of `cmid`; created when absent if `create`, else `None`.
    pub(super) fn get_mut(&mut self, cmid: GuidRef<'_>, create: bool) -> Option<&mut CmidAgg> {
        match cmid {
            GuidRef::Guid(g) => {
                if create {
                    Some(self.guid.entry(g).or_default())
                } else {
                    self.guid.get_mut(&g)
                }
            }
            GuidRef::Text(t) => {
                if self.text.contains_key(t) {
                    self.text.get_mut(t)
                } else if create {
                    Some(self.text.entry(t.into()).or_default())
                } else {
                    None
                }
            }
        }
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = (GuidKey, &CmidAgg)> {
        self.guid
            .iter()
            .map(|(g, c)| (GuidKey::Guid(*g), c))
            .chain(self.text.iter().map(|(t, c)| (GuidKey::Text(t.clone()), c)))
    }
}

pub(super) fn norm_name(s: &str) -> String {
    let s = s.trim();
    // The same as `to_lowercase` on ASCII text, and faster.
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}
