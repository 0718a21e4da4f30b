//! From events to the client and host reports, in bounded memory.
//!
//! Host events (12290) are aggregated as they arrive (per client, per CMID, per code), so a log
//! of millions of requests needs memory proportional to the number of distinct clients only.
//! Client events (12288/12289) are kept (up to [`MAX_CLIENT_EVENTS`]) because pairing needs them
//! in time order.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use volact_core::event::{
    ClientRequest, ClientResponse, Event, EventData, HostPort, HostRequest, LicenseState, Timestamp,
};
use volact_core::explain::explain;
use volact_core::{ErrorCode, Form, Lang};

use crate::xml::{RawEvent, Unused};

/// Client events (12288/12289) kept for pairing; more are counted as skipped.
pub const MAX_CLIENT_EVENTS: usize = 200_000;
/// Distinct (client name, CMID) rows kept for the host view.
pub const MAX_CLIENTS: usize = 200_000;
/// Warnings kept (the rest are counted).
pub const MAX_WARNINGS: usize = 100;
/// Listed items (DNS failures, 8198 events, examples) kept per list.
pub const MAX_LISTED: usize = 1000;
/// Names kept per CMID.
pub const MAX_NAMES_PER_CMID: usize = 20;
/// More than this many seconds between client timestamp and event time fails with 0xC004F06C.
pub const MAX_SKEW_SECS: i64 = 4 * 3600;
/// The host counts distinct CMIDs from this many days.
pub const COUNT_WINDOW_DAYS: i64 = 30;
/// Minimum count client operating systems need.
pub const CLIENT_THRESHOLD: u32 = 25;
/// Minimum count server operating systems (and volume Office) need.
pub const SERVER_THRESHOLD: u32 = 5;
/// The count never exceeds this (twice the highest policy, 2 × 25).
pub const COUNT_CAP: u32 = 50;
/// Days kept in the per-day histogram of host requests (the newest ones; the requests of older
/// days are counted in [`HostView::per_day_omitted`]).
pub const MAX_DAYS: usize = 4000;
/// The code a KMS host returns when its count is too low (`SL_E_VL_NOT_ENOUGH_COUNT`).
pub const COUNT_TOO_LOW: u32 = 0xC004_F038;

/// What to keep.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Keep events logged at or after this time.
    pub since: Option<Timestamp>,
    /// Keep events logged at or before this time.
    pub until: Option<Timestamp>,
    /// "Now" for the host count (default: the newest host event).
    pub now: Option<Timestamp>,
    /// Keep only this client (name, short name or CMID; case-insensitive).
    pub client: Option<String>,
}

/// Why a record was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Not an activation event (another provider or event ID).
    OtherEvent,
    /// No event ID could be found.
    NoEventId,
    /// An activation event whose data does not have the documented layout.
    BadData,
    /// A damaged record (evtx) that could not be parsed.
    CorruptRecord,
    /// Outside `--since` / `--until`.
    OutsideTimeRange,
    /// `--since` / `--until` given, but the event has no time.
    NoTime,
    /// Another client than `--client`.
    OtherClient,
    /// Over a memory limit (see the constants of this module).
    Limit,
}

impl SkipReason {
    /// All reasons, in report order.
    pub const ALL: [SkipReason; 8] = [
        SkipReason::OtherEvent,
        SkipReason::NoEventId,
        SkipReason::BadData,
        SkipReason::CorruptRecord,
        SkipReason::OutsideTimeRange,
        SkipReason::NoTime,
        SkipReason::OtherClient,
        SkipReason::Limit,
    ];

    /// Stable identifier.
    pub fn id(self) -> &'static str {
        match self {
            SkipReason::OtherEvent => "other_event",
            SkipReason::NoEventId => "no_event_id",
            SkipReason::BadData => "bad_data",
            SkipReason::CorruptRecord => "corrupt_record",
            SkipReason::OutsideTimeRange => "outside_time_range",
            SkipReason::NoTime => "no_time",
            SkipReason::OtherClient => "other_client",
            SkipReason::Limit => "limit",
        }
    }

    /// Label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (SkipReason::OtherEvent, Lang::En) => "not an activation event",
            (SkipReason::NoEventId, Lang::En) => "no event ID",
            (SkipReason::BadData, Lang::En) => "activation event with unreadable data",
            (SkipReason::CorruptRecord, Lang::En) => "damaged record",
            (SkipReason::OutsideTimeRange, Lang::En) => "outside --since/--until",
            (SkipReason::NoTime, Lang::En) => "no time, but --since/--until given",
            (SkipReason::OtherClient, Lang::En) => "another client than --client",
            (SkipReason::Limit, Lang::En) => "over the memory limit",
            (SkipReason::OtherEvent, Lang::ZhTw) => "非啟用相關事件",
            (SkipReason::NoEventId, Lang::ZhTw) => "沒有事件識別碼",
            (SkipReason::BadData, Lang::ZhTw) => "啟用事件的資料無法解讀",
            (SkipReason::CorruptRecord, Lang::ZhTw) => "損毀的記錄",
            (SkipReason::OutsideTimeRange, Lang::ZhTw) => "不在 --since/--until 範圍內",
            (SkipReason::NoTime, Lang::ZhTw) => "沒有時間，但指定了 --since/--until",
            (SkipReason::OtherClient, Lang::ZhTw) => "不是 --client 指定的用戶端",
            (SkipReason::Limit, Lang::ZhTw) => "超過記憶體上限",
        }
    }
}

/// A CMID or Activation ID as the analyzer keeps it: a GUID (the usual case) as its 128 bits,
/// anything else as the normalised text. A text that is a lower-case GUID is always kept as
/// `Guid`, so both forms of the same value are one key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum GuidKey {
    /// `8-4-4-4-12` hexadecimal digits, in written order.
    Guid(u128),
    /// Anything else (normalised as `volact_core` does: trimmed, no braces, lower case).
    Text(Box<str>),
}

/// A borrowed [`GuidKey`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GuidRef<'a> {
    /// See [`GuidKey::Guid`].
    Guid(u128),
    /// See [`GuidKey::Text`].
    Text(&'a str),
}

impl GuidRef<'_> {
    /// The key of a normalised GUID text (`Guid` only when it reads back identically).
    pub(crate) fn of(s: &str) -> GuidRef<'_> {
        match parse_guid_lower(s.as_bytes()) {
            Some(g) => GuidRef::Guid(g),
            None => GuidRef::Text(s),
        }
    }
}

impl GuidKey {
    fn is_empty(&self) -> bool {
        matches!(self, GuidKey::Text(t) if t.is_empty())
    }

    fn text(&self) -> String {
        match self {
            GuidKey::Guid(g) => format_guid(*g),
            GuidKey::Text(t) => t.to_string(),
        }
    }
}

/// Where the 32 hexadecimal digits of a GUID text are.
const GUID_DIGITS: [usize; 32] = [
    0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29,
    30, 31, 32, 33, 34, 35,
];

/// The value of each byte as a hexadecimal digit (either case), 0xFF for the others.
const HEX: [u8; 256] = {
    let mut t = [0xFF_u8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (lower case) from its 128 bits.
pub(crate) fn format_guid(g: u128) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut b = [b'-'; 36];
    let mut j = 0;
    // Two digits per byte, most significant first; dashes after bytes 4, 6, 8 and 10.
    for (i, x) in g.to_be_bytes().into_iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            j += 1;
        }
        b[j] = HEX[usize::from(x >> 4)];
        b[j + 1] = HEX[usize::from(x & 0xF)];
        j += 2;
    }
    // Hexadecimal digits and dashes: ASCII.
    std::str::from_utf8(&b)
        .map(str::to_owned)
        .unwrap_or_default()
}

/// The 128 bits of `8-4-4-4-12` hexadecimal digits (either case), or `None`.
pub(crate) fn parse_guid(b: &[u8]) -> Option<u128> {
    let b: &[u8; 36] = b.try_into().ok()?;
    if b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
        return None;
    }
    let (mut hi, mut lo, mut bad) = (0u64, 0u64, 0u8);
    for &i in &GUID_DIGITS[..16] {
        let d = HEX[usize::from(b[i])];
        bad |= d;
        hi = (hi << 4) | u64::from(d & 0xF);
    }
    for &i in &GUID_DIGITS[16..] {
        let d = HEX[usize::from(b[i])];
        bad |= d;
        lo = (lo << 4) | u64::from(d & 0xF);
    }
    (bad & 0xF0 == 0).then_some((u128::from(hi) << 64) | u128::from(lo))
}

/// Like [`parse_guid`], for the text as UTF-16LE (72 bytes): every high byte must be zero, and
/// the low bytes are read as [`parse_guid`] reads its bytes.
pub(crate) fn parse_guid_units(b: &[u8; 72]) -> Option<u128> {
    let mut high = 0u64;
    for c in b.chunks_exact(8) {
        high |= u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]])
            & 0xFF00_FF00_FF00_FF00;
    }
    if high != 0 || b[16] != b'-' || b[26] != b'-' || b[36] != b'-' || b[46] != b'-' {
        return None;
    }
    let (mut hi, mut lo, mut bad) = (0u64, 0u64, 0u8);
    for &i in &GUID_DIGITS[..16] {
        let d = HEX[usize::from(b[2 * i])];
        bad |= d;
        hi = (hi << 4) | u64::from(d & 0xF);
    }
    for &i in &GUID_DIGITS[16..] {
        let d = HEX[usize::from(b[2 * i])];
        bad |= d;
        lo = (lo << 4) | u64::from(d & 0xF);
    }
    (bad & 0xF0 == 0).then_some((u128::from(hi) << 64) | u128::from(lo))
}

/// Like [`parse_guid`], for lower-case digits only (so that formatting gives `b` back).
fn parse_guid_lower(b: &[u8]) -> Option<u128> {
    if b.iter().any(u8::is_ascii_uppercase) {
        return None;
    }
    parse_guid(b)
}

/// A 12290 request as the host aggregation reads it, from a typed [`HostRequest`] or from the
/// allocation-free lane of the `.evtx` fast path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct HostIn<'a> {
    pub(crate) time: Option<Timestamp>,
    pub(crate) code: Option<ErrorCode>,
    pub(crate) min_count: Option<u32>,
    /// The client name as UTF-8 (checked: from a `String`, or ASCII from the lane), kept as bytes
    /// so that the lane's names need no check per request.
    pub(crate) client: Option<&'a [u8]>,
    pub(crate) cmid: Option<GuidRef<'a>>,
    pub(crate) client_time: Option<Timestamp>,
    pub(crate) vm: Option<bool>,
    pub(crate) license_state: Option<LicenseState>,
    pub(crate) minutes_to_expiry: Option<u64>,
    pub(crate) activation_id: Option<GuidRef<'a>>,
}

impl<'a> HostIn<'a> {
    pub(crate) fn of(time: Option<Timestamp>, h: &'a HostRequest) -> Self {
        Self {
            time,
            code: h.code,
            min_count: h.min_count,
            client: h.client.as_deref().map(str::as_bytes),
            cmid: h.cmid.as_deref().map(GuidRef::of),
            client_time: h.client_time,
            vm: h.vm,
            license_state: h.license_state,
            minutes_to_expiry: h.minutes_to_expiry,
            activation_id: h.activation_id.as_deref().map(GuidRef::of),
        }
    }
}

/// How often each code occurred: inline while there are few codes (the usual case: one or two
/// per client, kept in the row itself), a map beyond that.
#[derive(Debug, Clone)]
enum CodeTally {
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
    const FEW: usize = 2;

    fn add(&mut self, c: ErrorCode) {
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

    fn first_count(&self) -> u64 {
        match self {
            CodeTally::Few { counts, .. } => u64::from(counts[0]),
            CodeTally::Many(_) => 0,
        }
    }

    fn iter(&self) -> Box<dyn Iterator<Item = (ErrorCode, u64)> + '_> {
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

/// How often the host returned each code: the first [`HostCodes::FEW`] codes in a short list
/// searched in order (a host returns a handful of codes, and this is updated on every request),
/// any further ones in a map (so that a log of many codes costs no more than a map).
#[derive(Debug, Default)]
struct HostCodes {
    few: Vec<(ErrorCode, u64)>,
    more: BTreeMap<ErrorCode, u64>,
}

impl HostCodes {
    const FEW: usize = 16;

    fn add(&mut self, c: ErrorCode) {
        if let Some(e) = self.few.iter_mut().find(|e| e.0 == c) {
            e.1 += 1;
        } else if self.few.len() < Self::FEW {
            self.few.push((c, 1));
        } else {
            *self.more.entry(c).or_default() += 1;
        }
    }

    /// Every code once, with its count (in no particular order).
    fn iter(&self) -> impl Iterator<Item = (ErrorCode, u64)> + '_ {
        self.few
            .iter()
            .copied()
            .chain(self.more.iter().map(|(c, n)| (*c, *n)))
    }
}

/// An optional timestamp in eight bytes: `(secs << 2) | (utc << 1) | 1`, 0 for none. Seconds are
/// kept within ±2^60 (about 36 billion years, far beyond any date a log can hold).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct OptTs(i64);

impl OptTs {
    const LIMIT: i64 = 1 << 60;

    fn new(t: Option<Timestamp>) -> Self {
        match t {
            None => Self(0),
            Some(t) => {
                let secs = t.unix().clamp(-Self::LIMIT, Self::LIMIT);
                Self((secs << 2) | (i64::from(t.is_utc()) << 1) | 1)
            }
        }
    }

    fn get(self) -> Option<Timestamp> {
        (self.0 != 0).then(|| Timestamp::from_unix(self.0 >> 2, self.0 & 2 != 0))
    }

    fn unix(self) -> Option<i64> {
        (self.0 != 0).then_some(self.0 >> 2)
    }
}

/// One client row (a client name under a CMID), packed into about two cache lines: a host log
/// updates every field of its row on each request, for tens of thousands of rows.
#[derive(Debug, Default)]
struct ClientAgg {
    name: Name,
    requests: u64,
    skewed_requests: u64,
    first_seen: OptTs,
    last_seen: OptTs,
    last_client_time: OptTs,
    /// Valid with [`ClientAgg::HAS_MINUTES`].
    minutes_to_expiry: u64,
    /// Valid with [`ClientAgg::HAS_SKEW`].
    max_skew: i64,
    codes: CodeTally,
    /// Valid with [`ClientAgg::HAS_CODE`].
    last_code: u32,
    /// The state's number, valid with [`ClientAgg::HAS_STATE`].
    license_state: u32,
    /// Valid with [`ClientAgg::HAS_MIN_COUNT`].
    min_count: u32,
    /// The Activation ID when it is a GUID (with [`ClientAgg::HAS_GUID_ID`]), as two halves so
    /// that the row needs no 16-byte alignment.
    activation_guid: [u64; 2],
    /// The Activation ID when it is not a GUID (rare).
    activation_text: Option<Box<str>>,
    vm: Option<bool>,
    flags: u8,
}

/// A client name: up to 22 bytes kept inline (nearly every NetBIOS name and many FQDNs), so that
/// finding a client's row among its CMID's rows reads no other memory; longer ones on the heap.
#[derive(Debug, Clone)]
enum Name {
    Inline { len: u8, bytes: [u8; Name::INLINE] },
    Heap(Box<str>),
}

impl Name {
    const INLINE: usize = 22;

    fn new(s: &str) -> Self {
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

    fn as_bytes(&self) -> &[u8] {
        match self {
            Name::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Name::Heap(s) => s.as_bytes(),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Copied whole from a `str`, so valid.
            Name::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Name::Heap(s) => s,
        }
    }

    fn is_heap(&self) -> bool {
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
    const HAS_MINUTES: u8 = 1;
    const HAS_SKEW: u8 = 2;
    const HAS_GUID_ID: u8 = 4;
    const HAS_CODE: u8 = 8;
    const HAS_STATE: u8 = 16;
    const HAS_MIN_COUNT: u8 = 32;

    fn has(&self, bit: u8) -> bool {
        self.flags & bit != 0
    }

    fn set_flag(&mut self, bit: u8, on: bool) {
        self.flags = (self.flags & !bit) | if on { bit } else { 0 };
    }

    fn last_code(&self) -> Option<ErrorCode> {
        self.has(Self::HAS_CODE)
            .then(|| ErrorCode::new(self.last_code))
    }

    fn license_state(&self) -> Option<LicenseState> {
        self.has(Self::HAS_STATE)
            .then(|| LicenseState::from_number(self.license_state))
    }

    fn min_count(&self) -> Option<u32> {
        self.has(Self::HAS_MIN_COUNT).then_some(self.min_count)
    }

    /// Sets the values that come from the newest request.
    fn set_latest(
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

    fn new(name: &str) -> Self {
        Self {
            name: Name::new(name),
            ..Self::default()
        }
    }

    fn minutes_to_expiry(&self) -> Option<u64> {
        (self.flags & Self::HAS_MINUTES != 0).then_some(self.minutes_to_expiry)
    }

    fn max_skew(&self) -> Option<i64> {
        (self.flags & Self::HAS_SKEW != 0).then_some(self.max_skew)
    }

    fn set_minutes_to_expiry(&mut self, m: Option<u64>) {
        self.minutes_to_expiry = m.unwrap_or(0);
        self.flags =
            (self.flags & !Self::HAS_MINUTES) | if m.is_some() { Self::HAS_MINUTES } else { 0 };
    }

    fn activation_id(&self) -> Option<GuidRef<'_>> {
        if self.flags & Self::HAS_GUID_ID != 0 {
            return Some(GuidRef::Guid(crate::fastbin::join(self.activation_guid)));
        }
        self.activation_text.as_deref().map(GuidRef::Text)
    }

    fn set_activation_id(&mut self, id: Option<GuidRef<'_>>) {
        if self.activation_id() == id {
            return;
        }
        self.flags &= !Self::HAS_GUID_ID;
        self.activation_text = None;
        match id {
            None => {}
            Some(GuidRef::Guid(g)) => {
                self.activation_guid = crate::fastbin::split(g);
                self.flags |= Self::HAS_GUID_ID;
            }
            Some(GuidRef::Text(t)) => self.activation_text = Some(t.into()),
        }
    }

    fn set_max_skew(&mut self, s: i64) {
        self.max_skew = s;
        self.flags |= Self::HAS_SKEW;
    }
}

#[derive(Debug, Default)]
struct CmidAgg {
    last: OptTs,
    min_count: Option<u32>,
    /// One row per client name using this CMID.
    rows: Rows,
}

/// The rows of one CMID: the first inline (in the map's slot, next to the CMID: one place in
/// memory for the usual CMID with one name), the others (clones) beside.
#[derive(Debug, Default)]
struct Rows {
    first: Option<ClientAgg>,
    // Boxed: one pointer in the CMID's slot instead of three words (clones are rare).
    #[allow(clippy::box_collection)]
    more: Option<Box<Vec<ClientAgg>>>,
}

impl Rows {
    fn more(&self) -> &[ClientAgg] {
        self.more.as_deref().map_or(&[], Vec::as_slice)
    }

    fn len(&self) -> usize {
        usize::from(self.first.is_some()) + self.more().len()
    }

    fn first(&self) -> Option<&ClientAgg> {
        self.first.as_ref()
    }

    fn iter(&self) -> impl Iterator<Item = &ClientAgg> {
        self.first.iter().chain(self.more().iter())
    }

    fn push(&mut self, r: ClientAgg) {
        if self.first.is_none() {
            self.first = Some(r);
        } else {
            self.more.get_or_insert_default().push(r);
        }
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut ClientAgg> {
        self.first
            .iter_mut()
            .chain(self.more.as_deref_mut().into_iter().flatten())
    }

    fn get_mut(&mut self, i: usize) -> Option<&mut ClientAgg> {
        match i {
            0 => self.first.as_mut(),
            _ => self.more.as_deref_mut()?.get_mut(i - 1),
        }
    }
}

/// The per-CMID state. GUID CMIDs (nearly all) are keyed by their 128-bit value, which keeps a
/// slot (key and state) at 192 bytes, three cache lines; any other CMID text is kept beside.
#[derive(Debug, Default)]
struct CmidMap {
    guid: HashMap<u128, CmidAgg, FxBuild>,
    text: HashMap<Box<str>, CmidAgg, FxBuild>,
}

impl CmidMap {
    /// The state of `cmid`; created when absent if `create`, else `None`.
    fn get_mut(&mut self, cmid: GuidRef<'_>, create: bool) -> Option<&mut CmidAgg> {
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

    fn iter(&self) -> impl Iterator<Item = (GuidKey, &CmidAgg)> {
        self.guid
            .iter()
            .map(|(g, c)| (GuidKey::Guid(*g), c))
            .chain(self.text.iter().map(|(t, c)| (GuidKey::Text(t.clone()), c)))
    }
}

/// FxHash (rustc's hasher): the maps are keyed by CMIDs from the logs, and SipHash's DoS
/// resistance costs more here than it protects (the inputs are the user's own logs).
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
}

pub(crate) type FxBuild = std::hash::BuildHasherDefault<Fx>;

/// Requests of one day by outcome: requests, activated, count too low, failed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct DayAgg([u64; 4]);

impl DayAgg {
    fn of(code: Option<ErrorCode>) -> Self {
        let mut d = [1, 0, 0, 0];
        match code.map(ErrorCode::value) {
            Some(0) => d[1] = 1,
            Some(COUNT_TOO_LOW) => d[2] = 1,
            _ => d[3] = 1,
        }
        Self(d)
    }

    fn add(&mut self, o: Self) {
        for (a, b) in self.0.iter_mut().zip(o.0) {
            *a += b;
        }
    }
}

/// Adds `d` to day `day` (days since 1970-01-01), keeping the newest [`MAX_DAYS`] days: the
/// requests of a day that is dropped (or never kept) are added to `omitted`. The kept days are
/// the newest ones whatever the order of arrival.
fn day_add(map: &mut BTreeMap<i64, DayAgg>, omitted: &mut u64, day: i64, d: DayAgg) {
    if let Some(e) = map.get_mut(&day) {
        e.add(d);
        return;
    }
    if map.len() >= MAX_DAYS {
        match map.first_key_value() {
            Some((&oldest, _)) if oldest < day => {
                if let Some((_, old)) = map.pop_first() {
                    *omitted += old.0[0];
                }
            }
            _ => {
                *omitted += d.0[0];
                return;
            }
        }
    }
    map.insert(day, d);
}

/// Records a request in a CMID's count state: its newest time, and the minimum count of its
/// newest request (a request without a time counts as newest only while none has a time).
#[inline]
fn note_cmid(last: &mut OptTs, min_count: &mut Option<u32>, h: &HostIn<'_>) {
    let newer = match (h.time, last.unix()) {
        (Some(t), Some(l)) => t.unix() >= l,
        (Some(_), None) => true,
        (None, l) => l.is_none(),
    };
    if newer {
        if h.time.is_some() {
            *last = OptTs::new(h.time);
        }
        *min_count = h.min_count.or(*min_count);
    }
}

/// A CMID's state for the host count: its newest request and that request's minimum count.
#[derive(Debug, Default, Clone, Copy)]
struct CmidLast {
    last: OptTs,
    min_count: Option<u32>,
}

/// What the host count needs from every host request of the log, whatever `--since`, `--until`
/// or `--client` keep: the count, its thresholds and its 30-day window describe the host, not
/// the requests shown. Kept only when a filter is given (without one, the client rows hold the
/// same state). At most [`MAX_CLIENTS`] CMIDs, like the rows.
#[derive(Debug, Default)]
struct WholeLog {
    guid: HashMap<u128, CmidLast, FxBuild>,
    text: HashMap<Box<str>, CmidLast, FxBuild>,
    /// The newest host request (the default "now").
    newest: Option<Timestamp>,
}

impl WholeLog {
    fn add(&mut self, h: &HostIn<'_>) {
        if let Some(t) = h.time
            && self.newest.is_none_or(|n| t.unix() > n.unix())
        {
            self.newest = Some(t);
        }
        let full = self.guid.len() + self.text.len() >= MAX_CLIENTS;
        let e = match h.cmid {
            None | Some(GuidRef::Text("")) => return,
            Some(GuidRef::Guid(g)) if full => self.guid.get_mut(&g),
            Some(GuidRef::Guid(g)) => Some(self.guid.entry(g).or_default()),
            Some(GuidRef::Text(t)) if self.text.contains_key(t) => self.text.get_mut(t),
            Some(GuidRef::Text(_)) if full => None,
            Some(GuidRef::Text(t)) => Some(self.text.entry(t.into()).or_default()),
        };
        if let Some(e) = e {
            note_cmid(&mut e.last, &mut e.min_count, h);
        }
    }

    fn get(&self, cmid: CmidOf<'_>) -> Option<&CmidLast> {
        match cmid {
            CmidOf::Guid(g) => self.guid.get(&g),
            CmidOf::Text(t) => self.text.get(t),
        }
    }
}

/// The host count's window: `(start, now]` in seconds since 1970.
#[derive(Debug, Clone, Copy)]
struct Window {
    start: i64,
    now: i64,
}

impl Window {
    /// Whether a CMID whose newest request is `last` is in the count.
    fn counts(self, last: OptTs) -> bool {
        last.unix().is_some_and(|t| t > self.start && t <= self.now)
    }

    /// Whether a CMID whose newest request is `last` is left out of the count because that
    /// request is outside the window (a CMID without a time is neither in nor out).
    fn outside(self, last: OptTs) -> bool {
        last.unix().is_some() && !self.counts(last)
    }
}

/// Collects events from any number of inputs.
#[derive(Debug, Default)]
pub struct Analyzer {
    opts: Options,
    client_filter: Option<String>,
    read: u64,
    used: u64,
    skipped: BTreeMap<SkipReason, u64>,
    bad_examples: Vec<crate::BadExample>,
    warnings: Vec<crate::Warning>,
    warnings_total: u64,
    notes: Vec<crate::Warning>,
    records_absent: u64,
    bad_chunks: u64,
    client_events: Vec<Event>,
    slui: Vec<Event>,
    slui_total: u64,
    client_rows: usize,
    cmids: CmidMap,
    host_requests: u64,
    host_codes: HostCodes,
    /// Requests of the current day not yet added to `per_day` (most logs are in time order).
    day_pending: Option<(i64, DayAgg)>,
    per_day: BTreeMap<i64, DayAgg>,
    per_day_omitted: u64,
    skewed_requests: u64,
    dns_failures: Vec<Event>,
    dns_failures_total: u64,
    dns_published: u64,
    other_codes: BTreeMap<(u32, ErrorCode), u64>,
    newest_host: Option<Timestamp>,
    /// Whether `--since`, `--until` or `--client` is given: then the host count comes from
    /// `whole_log`, not from the (filtered) client rows.
    filtering: bool,
    /// The count's state from every host request, filters or not (kept only when filtering).
    whole_log: WholeLog,
    newest: Option<Timestamp>,
    oldest: Option<Timestamp>,
}

fn norm_name(s: &str) -> String {
    let s = s.trim();
    // The same as `to_lowercase` on ASCII text, and faster.
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

impl Analyzer {
    /// An empty analyzer.
    pub fn new(opts: Options) -> Self {
        let client_filter = opts.client.as_deref().map(norm_name);
        let filtering = opts.since.is_some() || opts.until.is_some() || client_filter.is_some();
        Self {
            opts,
            client_filter,
            filtering,
            ..Self::default()
        }
    }

    /// Counts `n` records read.
    pub fn read(&mut self, n: u64) {
        self.read += n;
    }

    /// Records read so far.
    pub fn records_read(&self) -> u64 {
        self.read
    }

    /// Activation events used so far.
    pub fn events_used(&self) -> u64 {
        self.used
    }

    /// Records skipped so far.
    pub fn records_skipped(&self) -> u64 {
        self.skipped.values().sum()
    }

    /// Counts one skipped record.
    pub fn skip(&mut self, why: SkipReason) {
        self.skip_n(why, 1);
    }

    /// Counts `n` skipped records.
    pub fn skip_n(&mut self, why: SkipReason, n: u64) {
        if n > 0 {
            *self.skipped.entry(why).or_default() += n;
        }
    }

    /// Records a warning (at most [`MAX_WARNINGS`] kept, all counted).
    pub fn warn(&mut self, file: &str, kind: crate::WarningKind) {
        self.warnings_total += 1;
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(crate::Warning::new(file, kind));
        }
    }

    /// Records a neutral note (not damage; at most [`MAX_WARNINGS`] kept): record numbers
    /// absent from a log are counted in [`Stats::records_absent`].
    pub fn note(&mut self, file: &str, kind: crate::WarningKind) {
        if let crate::WarningKind::RecordsAbsent { first, last } = kind {
            self.records_absent += last.saturating_sub(first) + 1;
        }
        if self.notes.len() < MAX_WARNINGS {
            self.notes.push(crate::Warning::new(file, kind));
        }
    }

    /// Counts a chunk that could not be read.
    pub fn count_bad_chunk(&mut self) {
        self.bad_chunks += 1;
    }

    /// A raw XML event (the record was already counted as read).
    pub fn raw(&mut self, raw: RawEvent) {
        self.typed(raw.into_event());
    }

    /// A typed event, or why the record is not one (the record was already counted as read).
    pub fn typed(&mut self, r: Result<Event, Unused>) {
        match r {
            Ok(ev) => self.event(ev),
            Err(Unused::NotActivation) => self.skip(SkipReason::OtherEvent),
            Err(Unused::NoId) => self.skip(SkipReason::NoEventId),
            Err(Unused::Bad(why)) => self.bad_info(&why),
        }
    }

    /// Like [`Analyzer::typed`], for an event the caller keeps (it is cloned only if listed).
    pub fn typed_ref(&mut self, r: &Result<Event, Unused>) {
        match r {
            Ok(ev) => self.event_ref(ev),
            Err(Unused::NotActivation) => self.skip(SkipReason::OtherEvent),
            Err(Unused::NoId) => self.skip(SkipReason::NoEventId),
            Err(Unused::Bad(why)) => self.bad_info(why),
        }
    }

    /// An activation event whose data could not be read (the record was already counted).
    pub fn bad(&mut self, why: crate::BadExample) {
        self.skip(SkipReason::BadData);
        if self.bad_examples.len() < 20 {
            self.bad_examples.push(why);
        }
    }

    fn bad_info(&mut self, e: &volact_core::event::InfoError) {
        let id = match e {
            volact_core::event::InfoError::Empty { id }
            | volact_core::event::InfoError::MissingCode { id }
            | volact_core::event::InfoError::BadField { id, .. } => Some(*id),
            _ => None,
        };
        self.bad(crate::BadExample::new(None, id, e.into()));
    }

    /// Whether a host request's client name or CMID matches `--client`.
    fn host_matches(&self, client: Option<&[u8]>, cmid: Option<GuidRef<'_>>) -> bool {
        let Some(f) = &self.client_filter else {
            return true;
        };
        let name_matches = |n: &[u8]| {
            let n = norm_name(&String::from_utf8_lossy(n));
            n == *f || n.split('.').next() == Some(f.as_str())
        };
        let want = f.trim_matches(['{', '}']);
        client.is_some_and(name_matches)
            || match cmid {
                None => false,
                Some(GuidRef::Text(c)) => c == want,
                Some(GuidRef::Guid(g)) => parse_guid_lower(want.as_bytes()) == Some(g),
            }
    }

    /// Applies `--since`/`--until` to an event time: `Err` is why the event is skipped.
    fn in_range(&self, time: Option<Timestamp>) -> Result<(), SkipReason> {
        if self.opts.since.is_some() || self.opts.until.is_some() {
            let Some(t) = time else {
                return Err(SkipReason::NoTime);
            };
            if self.opts.since.is_some_and(|s| t.unix() < s.unix())
                || self.opts.until.is_some_and(|u| t.unix() > u.unix())
            {
                return Err(SkipReason::OutsideTimeRange);
            }
        }
        Ok(())
    }

    fn seen(&mut self, time: Option<Timestamp>) {
        if let Some(t) = time {
            if self.newest.is_none_or(|n| t.unix() > n.unix()) {
                self.newest = Some(t);
            }
            if self.oldest.is_none_or(|o| t.unix() < o.unix()) {
                self.oldest = Some(t);
            }
        }
    }

    /// Reads (and discards) the memory that [`Analyzer::host_in`] will update for requests
    /// with these CMIDs: the map slots (with their first rows), then the names and code counts
    /// they point to. Called for a whole chunk of requests before they are aggregated, so the
    /// cache misses of many requests overlap instead of coming one after another (a host log has
    /// tens of thousands of CMIDs, far more than the cache holds). Changes nothing.
    pub(crate) fn warm(&self, cmids: &[u128]) -> usize {
        let t = |t: OptTs| t.0 as usize;
        let mut x = 0usize;
        // Pass 1: the slots (independent loads, so the processor overlaps their misses).
        let slots: Vec<&CmidAgg> = cmids
            .iter()
            .filter_map(|g| self.cmids.guid.get(g))
            .collect();
        // Pass 2: every field of the slot and its first row (all their cache lines).
        for e in &slots {
            x ^= t(e.last)
                ^ e.min_count.map_or(0, |m| m as usize)
                ^ usize::from(e.rows.more.is_some());
            if let Some(r) = e.rows.first() {
                x ^= r.requests as usize
                    ^ t(r.first_seen)
                    ^ t(r.last_seen)
                    ^ t(r.last_client_time)
                    ^ r.last_code as usize
                    ^ r.license_state as usize
                    ^ r.minutes_to_expiry as usize
                    ^ usize::from(r.vm == Some(true))
                    ^ r.activation_guid[0] as usize
                    ^ r.min_count as usize
                    ^ r.skewed_requests as usize
                    ^ r.max_skew as usize
                    ^ usize::from(r.flags)
                    ^ r.codes.first_count() as usize;
            }
        }
        // Pass 3: what the rows point to (a name too long to be kept inline).
        for e in &slots {
            if let Some(r) = e.rows.first()
                && r.name.is_heap()
            {
                x ^= r.name.as_bytes().first().copied().map_or(0, usize::from);
            }
        }
        x
    }

    /// A 12290 read by the `.evtx` fast path's typed lane (the record was already counted as
    /// read): the same as [`Analyzer::event_ref`] with the typed event.
    pub(crate) fn host_in(&mut self, h: &HostIn<'_>) {
        if self.filtering {
            self.whole_log.add(h);
        }
        if let Err(why) = self.in_range(h.time) {
            self.skip(why);
            return;
        }
        if !self.host_matches(h.client, h.cmid) {
            self.skip(SkipReason::OtherClient);
            return;
        }
        self.seen(h.time);
        if self.host(h) {
            self.used += 1;
        } else {
            self.skip(SkipReason::Limit);
        }
    }

    fn matches_client(&self, ev: &Event) -> bool {
        let Some(f) = &self.client_filter else {
            return true;
        };
        let name_matches = |n: &str| {
            let n = norm_name(n);
            n == *f || n.split('.').next() == Some(f.as_str())
        };
        let cmid_matches = |c: &Option<String>| {
            c.as_deref()
                .is_some_and(|c| c == f.trim_matches(['{', '}']))
        };
        match &ev.data {
            EventData::HostRequest(h) => self.host_matches(
                h.client.as_deref().map(str::as_bytes),
                h.cmid.as_deref().map(GuidRef::of),
            ),
            EventData::ClientRequest(r) => {
                ev.computer.as_deref().is_some_and(name_matches) || cmid_matches(&r.cmid)
            }
            EventData::ClientResponse(_) | EventData::SluiFailed(_) => {
                ev.computer.as_deref().is_some_and(name_matches)
            }
            _ => true,
        }
    }

    /// An activation event (the record was already counted as read).
    pub fn event(&mut self, ev: Event) {
        self.event_ref(&ev);
    }

    /// Like [`Analyzer::event`], for an event the caller keeps (it is cloned only if listed).
    pub fn event_ref(&mut self, ev: &Event) {
        if self.filtering
            && let EventData::HostRequest(h) = &ev.data
        {
            self.whole_log.add(&HostIn::of(ev.time, h));
        }
        if let Err(why) = self.in_range(ev.time) {
            self.skip(why);
            return;
        }
        if !self.matches_client(ev) {
            self.skip(SkipReason::OtherClient);
            return;
        }
        self.seen(ev.time);
        match &ev.data {
            EventData::HostRequest(h) => {
                if self.host(&HostIn::of(ev.time, h)) {
                    self.used += 1;
                } else {
                    self.skip(SkipReason::Limit);
                }
            }
            EventData::ClientRequest(_) | EventData::ClientResponse(_) => {
                if self.client_events.len() < MAX_CLIENT_EVENTS {
                    self.client_events.push(ev.clone());
                    self.used += 1;
                } else {
                    self.skip(SkipReason::Limit);
                }
            }
            EventData::DnsPublishFailed(_) => {
                self.used += 1;
                self.dns_failures_total += 1;
                if self.dns_failures.len() < MAX_LISTED {
                    self.dns_failures.push(ev.clone());
                }
            }
            EventData::DnsPublished(_) => {
                self.used += 1;
                self.dns_published += 1;
            }
            EventData::SluiFailed(s) => {
                self.used += 1;
                self.slui_total += 1;
                if let Some(c) = s.code {
                    *self.other_codes.entry((ev.id, c)).or_default() += 1;
                }
                if self.slui.len() < MAX_LISTED {
                    self.slui.push(ev.clone());
                }
            }
            EventData::LicensingStatus(_) | EventData::Other { .. } => {
                self.used += 1;
                for c in ev.data.codes() {
                    if self.other_codes.len() < MAX_LISTED {
                        *self.other_codes.entry((ev.id, c)).or_default() += 1;
                    }
                }
            }
        }
    }

    fn host(&mut self, h: &HostIn<'_>) -> bool {
        let name = h.client.unwrap_or(b"");
        let cmid = h.cmid.unwrap_or(GuidRef::Text(""));
        let full = self.client_rows >= MAX_CLIENTS;
        let Some(entry) = self.cmids.get_mut(cmid, !full) else {
            return false;
        };
        let pos = entry.rows.iter().position(|r| {
            // Nearly always written the same way each time: compared exactly first.
            let n = r.name.as_bytes();
            n == name || n.eq_ignore_ascii_case(name)
        });
        let idx = match pos {
            Some(i) => i,
            None if full => return false,
            None => {
                entry
                    .rows
                    .push(ClientAgg::new(&String::from_utf8_lossy(name)));
                self.client_rows += 1;
                entry.rows.len() - 1
            }
        };
        self.host_requests += 1;
        if let Some(c) = h.code {
            self.host_codes.add(c);
        }
        if let Some(t) = h.time {
            if self.newest_host.is_none_or(|n| t.unix() > n.unix()) {
                self.newest_host = Some(t);
            }
            let day = t.unix().div_euclid(86_400);
            match &mut self.day_pending {
                Some((d, agg)) if *d == day => agg.add(DayAgg::of(h.code)),
                pending => {
                    if let Some((d, agg)) = pending.take() {
                        day_add(&mut self.per_day, &mut self.per_day_omitted, d, agg);
                    }
                    *pending = Some((day, DayAgg::of(h.code)));
                }
            }
        }
        let skew = match (h.time, h.client_time) {
            (Some(t), Some(c)) if t.is_utc() => Some(c.unix() - t.unix()),
            _ => None,
        };
        let skewed = skew.is_some_and(|s| s.abs() > MAX_SKEW_SECS);
        if skewed {
            self.skewed_requests += 1;
        }
        note_cmid(&mut entry.last, &mut entry.min_count, h);
        let Some(a) = entry.rows.get_mut(idx) else {
            return false;
        };
        a.requests += 1;
        if let Some(c) = h.code {
            a.codes.add(c);
        }
        if skewed {
            a.skewed_requests += 1;
        }
        if let Some(s) = skew
            && a.max_skew().is_none_or(|m| s.abs() > m.abs())
        {
            a.set_max_skew(s);
        }
        if let Some(t) = h.time
            && a.first_seen.unix().is_none_or(|f| t.unix() < f)
        {
            a.first_seen = OptTs::new(Some(t));
        }
        let latest = match (h.time, a.last_seen.unix()) {
            (Some(t), Some(l)) => t.unix() >= l,
            (Some(_), None) | (None, None) => true,
            (None, Some(_)) => false,
        };
        if latest {
            if h.time.is_some() {
                a.last_seen = OptTs::new(h.time);
            }
            a.last_client_time = OptTs::new(h.client_time);
            a.set_latest(h.code, h.license_state, h.min_count);
            a.set_minutes_to_expiry(h.minutes_to_expiry);
            a.vm = h.vm;
            a.set_activation_id(h.activation_id);
        }
        true
    }

    /// Builds the report in `lang`.
    pub fn report(self, lang: Lang) -> Report {
        self.report_with(lang, ClientRows::All)
    }

    /// Like [`Analyzer::report`], with only the client rows `rows` asks for in
    /// [`HostView::clients`] (`clients_total` and the other sections stay complete). The text
    /// and Markdown reports show the first rows only, and building tens of thousands of rows
    /// they would not show is most of the cost of a large report.
    pub fn report_with(mut self, lang: Lang, rows: ClientRows) -> Report {
        if let Some((d, agg)) = self.day_pending.take() {
            day_add(&mut self.per_day, &mut self.per_day_omitted, d, agg);
        }
        let code_counts = Codes::new(lang);
        let client = self.client_view(lang);
        let host = self.host_view(lang, &code_counts, rows);
        self.cmids = CmidMap::default();
        let mut other: Vec<OtherCode> = self
            .other_codes
            .iter()
            .map(|((id, c), n)| OtherCode {
                event_id: *id,
                code: CodeCount::new(*c, *n, lang),
            })
            .collect();
        other.sort_by(|a, b| {
            b.code
                .count
                .cmp(&a.code.count)
                .then(a.event_id.cmp(&b.event_id))
        });
        let slui: Vec<SluiRow> = self
            .slui
            .iter()
            .filter_map(|e| match &e.data {
                EventData::SluiFailed(s) => Some(SluiRow {
                    time: e.time,
                    computer: e.computer.clone(),
                    code: s.code.map(|c| CodeCount::new(c, 1, lang)),
                    trigger: s.trigger.clone(),
                    sku_id: s.sku_id.clone(),
                }),
                _ => None,
            })
            .collect();
        let skipped: Vec<SkipCount> = SkipReason::ALL
            .iter()
            .filter_map(|r| {
                self.skipped.get(r).map(|n| SkipCount {
                    reason: *r,
                    label: r.label(lang),
                    count: *n,
                })
            })
            .collect();
        let mut report = Report {
            schema_version: 1,
            lang,
            stats: Stats {
                records_read: self.read,
                events_used: self.used,
                records_skipped: self.skipped.values().sum(),
                skipped,
                bad_examples: self
                    .bad_examples
                    .iter()
                    .map(|b| b.message(Lang::En))
                    .collect(),
                bad_example_details: self.bad_examples,
                damaged_chunks: self.bad_chunks,
                records_absent: self.records_absent,
                oldest: self.oldest,
                newest: self.newest,
            },
            warnings: self.warnings.iter().map(|w| w.message(Lang::En)).collect(),
            warnings_total: self.warnings_total,
            warning_details: self.warnings,
            notes: self.notes.iter().map(|w| w.message(Lang::En)).collect(),
            note_details: self.notes,
            attention: Vec::new(),
            client,
            host,
            slui_failures: slui,
            slui_failures_total: self.slui_total,
            other_codes: other,
            inputs: Vec::new(),
        };
        report.attention = attention(&report);
        report
    }

    fn client_view(&self, lang: Lang) -> Option<ClientView> {
        if self.client_events.is_empty() {
            return None;
        }
        let mut evs: Vec<&Event> = self.client_events.iter().collect();
        evs.sort_by(|a, b| {
            let ka = (
                a.computer.as_deref().map(norm_name),
                a.time.map(|t| t.unix()),
                a.record_id,
            );
            let kb = (
                b.computer.as_deref().map(norm_name),
                b.time.map(|t| t.unix()),
                b.record_id,
            );
            ka.cmp(&kb).then(a.id.cmp(&b.id))
        });
        let mut attempts: Vec<Attempt> = Vec::new();
        let mut orphan_responses = 0u64;
        let mut i = 0;
        while i < evs.len() {
            let e = evs[i];
            match &e.data {
                EventData::ClientRequest(r) => {
                    let next = evs.get(i + 1).filter(|n| {
                        n.computer.as_deref().map(norm_name) == e.computer.as_deref().map(norm_name)
                    });
                    let resp = match next.map(|n| (&n.data, n)) {
                        Some((EventData::ClientResponse(resp), n)) => {
                            i += 1;
                            Some((resp, n.time))
                        }
                        _ => None,
                    };
                    attempts.push(Attempt::new(e, r, resp, lang));
                }
                EventData::ClientResponse(_) => orphan_responses += 1,
                _ => {}
            }
            i += 1;
        }
        let mut hosts: BTreeMap<String, HostContact> = BTreeMap::new();
        for a in &attempts {
            let key = a
                .kms
                .as_ref()
                .map_or_else(|| "-".to_owned(), HostPort::to_string);
            let h = hosts.entry(key.clone()).or_insert_with(|| HostContact {
                kms: key,
                attempts: 0,
                activated: 0,
                failed: 0,
                no_response: 0,
                last_current_count: None,
            });
            h.attempts += 1;
            match a.outcome {
                Outcome::Activated => h.activated += 1,
                Outcome::NoResponse => h.no_response += 1,
                Outcome::Failed | Outcome::NotActivated => h.failed += 1,
            }
            if let Some(c) = a.response.as_ref().and_then(|r| r.current_count) {
                h.last_current_count = Some(c);
            }
        }
        let mut codes: BTreeMap<ErrorCode, u64> = BTreeMap::new();
        for a in &attempts {
            if let Some(c) = a.code.as_ref() {
                *codes.entry(c.code).or_default() += 1;
            }
        }
        let mut code_list: Vec<CodeCount> = codes
            .iter()
            .map(|(c, n)| CodeCount::new(*c, *n, lang))
            .collect();
        code_list.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
        let last_current_count = attempts
            .iter()
            .rev()
            .find_map(|a| a.response.as_ref().and_then(|r| r.current_count));
        Some(ClientView {
            attempts_total: attempts.len() as u64,
            activated: attempts
                .iter()
                .filter(|a| a.outcome == Outcome::Activated)
                .count() as u64,
            failed: attempts
                .iter()
                .filter(|a| matches!(a.outcome, Outcome::Failed | Outcome::NotActivated))
                .count() as u64,
            no_response: attempts
                .iter()
                .filter(|a| a.outcome == Outcome::NoResponse)
                .count() as u64,
            responses_without_request: orphan_responses,
            last_current_count,
            hosts: hosts.into_values().collect(),
            codes: code_list,
            attempts,
        })
    }

    /// The host view; takes the client rows out of `self.cmids`.
    fn host_view(&mut self, lang: Lang, code_counts: &Codes, rows: ClientRows) -> Option<HostView> {
        if self.host_requests == 0 && self.dns_failures_total == 0 && self.dns_published == 0 {
            return None;
        }
        let count = self.count_now();
        let mut cloned: Vec<CloneRow> = self
            .cmids
            .iter()
            .filter(|(cmid, c)| c.rows.len() > 1 && !cmid.is_empty())
            .map(|(cmid, c)| {
                let mut names: Vec<String> =
                    c.rows.iter().map(|r| r.name.as_str().to_owned()).collect();
                names.sort_by_cached_key(|n| norm_name(n));
                names.truncate(MAX_NAMES_PER_CMID);
                CloneRow {
                    cmid: cmid.text(),
                    names,
                    names_total: c.rows.len() as u64,
                }
            })
            .collect();
        cloned.sort_by(|a, b| b.names_total.cmp(&a.names_total).then(a.cmid.cmp(&b.cmid)));
        let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        let (clients, skewed, clients_total, outside) =
            self.take_clients_upto(lang, threads, rows.limit());
        let dns_failures: Vec<DnsRow> = self
            .dns_failures
            .iter()
            .filter_map(|e| match &e.data {
                EventData::DnsPublishFailed(d) => Some(DnsRow {
                    time: e.time,
                    computer: e.computer.clone(),
                    domain: d.domain.clone(),
                    code: d.code.map(|c| CodeCount::new(c, 1, lang)),
                }),
                _ => None,
            })
            .collect();
        Some(HostView {
            requests: self.host_requests,
            clients_total: clients_total as u64,
            clients_outside_window: outside,
            count,
            codes: code_counts.list(self.host_codes.iter()),
            skewed_requests: self.skewed_requests,
            skewed,
            cloned,
            dns_failures,
            dns_failures_total: self.dns_failures_total,
            dns_published: self.dns_published,
            clients,
            per_day: self
                .per_day
                .iter()
                .map(|(day, d)| {
                    let (y, m, dd, ..) = Timestamp::from_unix(day * 86_400, true).civil();
                    DayCount {
                        date: format!("{y:04}-{m:02}-{dd:02}"),
                        requests: d.0[0],
                        activated: d.0[1],
                        count_too_low: d.0[2],
                        failed: d.0[3],
                    }
                })
                .collect(),
            per_day_omitted: self.per_day_omitted,
        })
    }

    /// The client rows in report order, built on up to `threads` threads; their names are
    /// moved out of the map.
    #[cfg(test)]
    fn take_clients(&mut self, lang: Lang, threads: usize) -> Vec<ClientRow> {
        self.take_clients_upto(lang, threads, usize::MAX).0
    }

    /// Like `take_clients`, building only the first `limit` rows; also gives the
    /// rows of clients with skewed clocks (all of them, in the same order), the number of rows
    /// and how many of them are outside the count's window.
    fn take_clients_upto(
        &mut self,
        lang: Lang,
        threads: usize,
        limit: usize,
    ) -> (Vec<ClientRow>, Vec<SkewRow>, usize, u64) {
        // Sorted by normalised name, then CMID (stable), before the rows are built. The sort
        // compares the first 16 bytes of the normalised names as one integer and looks further
        // only on a tie, so it allocates nothing; the rows are then built from the map's state,
        // their names moved out, not copied.
        let window = self.window().map(|(_, w)| w);
        let mut order: Vec<RowRef<'_>> = Vec::with_capacity(self.client_rows);
        let (filtering, whole_log) = (self.filtering, &self.whole_log);
        let cmids = &mut self.cmids;
        let guid = cmids.guid.iter_mut().map(|(g, c)| (CmidOf::Guid(*g), c));
        let text = cmids.text.iter_mut().map(|(t, c)| (CmidOf::Text(t), c));
        for (cmid, c) in guid.chain(text) {
            let empty = matches!(cmid, CmidOf::Text(t) if t.is_empty());
            let shared = c.rows.len() > 1 && !empty;
            // The CMID's newest request in the whole log decides whether it is in the count.
            let last = if filtering {
                whole_log.get(cmid).map_or(OptTs::default(), |w| w.last)
            } else {
                c.last
            };
            let outside_window = !empty && window.is_some_and(|w| w.outside(last));
            for a in c.rows.iter_mut() {
                order.push(RowRef {
                    prefix: name_prefix(a.name.as_str()),
                    cmid,
                    shared,
                    outside_window,
                    agg: a,
                });
            }
        }
        let mut order = sorted(order);
        let total = order.len();
        let outside = order.iter().filter(|r| r.outside_window).count() as u64;
        let skewed = order
            .iter()
            .filter(|r| r.agg.skewed_requests > 0)
            .map(|r| SkewRow {
                name: r.agg.name.as_str().to_owned(),
                cmid: r.cmid.text(),
                requests: r.agg.skewed_requests,
                max_skew_secs: r.agg.max_skew().unwrap_or(0),
            })
            .collect();
        order.truncate(limit);
        (client_rows(order, lang, threads), skewed, total, outside)
    }

    /// The host count's window, from `--now` or the newest host request of the whole log.
    fn window(&self) -> Option<(Timestamp, Window)> {
        let newest = if self.filtering {
            self.whole_log.newest
        } else {
            self.newest_host
        };
        let now = self.opts.now.or(newest)?;
        let start = now.unix() - COUNT_WINDOW_DAYS * 86_400;
        Some((
            now,
            Window {
                start,
                now: now.unix(),
            },
        ))
    }

    /// The count the host would have at "now", from every host request of the log (filters
    /// choose the rows shown, not the count).
    fn count_now(&self) -> Option<CountNow> {
        let (now, window) = self.window()?;
        let start = window.start;
        let (mut client_os, mut server_os, mut unknown) = (0u64, 0u64, 0u64);
        let mut highest_policy = 0u32;
        let mut tally = |last: OptTs, min_count: Option<u32>| {
            if !window.counts(last) {
                return;
            }
            match min_count {
                Some(n) if n >= CLIENT_THRESHOLD => client_os += 1,
                Some(n) if n > 0 => server_os += 1,
                _ => unknown += 1,
            }
            if let Some(n) = min_count {
                highest_policy = highest_policy.max(n);
            }
        };
        if self.filtering {
            let w = &self.whole_log;
            for c in w.guid.values().chain(w.text.values()) {
                tally(c.last, c.min_count);
            }
        } else {
            for c in self.cmids.guid.values() {
                tally(c.last, c.min_count);
            }
            for (t, c) in &self.cmids.text {
                if !t.is_empty() {
                    tally(c.last, c.min_count);
                }
            }
        }
        let distinct = client_os + server_os + unknown;
        let cap = if highest_policy == 0 {
            COUNT_CAP
        } else {
            (highest_policy.saturating_mul(2)).min(COUNT_CAP)
        };
        let count = distinct.min(u64::from(cap)) as u32;
        Some(CountNow {
            now,
            window_start: Timestamp::from_unix(start, now.is_utc()),
            distinct_cmids: distinct,
            client_os,
            server_os,
            unknown_os: unknown,
            cap,
            count,
            client_threshold: CLIENT_THRESHOLD,
            server_threshold: SERVER_THRESHOLD,
            client_os_activates: count >= CLIENT_THRESHOLD,
            server_os_activates: count >= SERVER_THRESHOLD,
        })
    }
}

/// A CMID as the report sorts and prints it.
#[derive(Clone, Copy)]
enum CmidOf<'a> {
    Guid(u128),
    Text(&'a str),
}

impl CmidOf<'_> {
    fn text(self) -> String {
        match self {
            CmidOf::Guid(g) => format_guid(g),
            CmidOf::Text(t) => t.to_owned(),
        }
    }

    /// The order of the texts (for two GUIDs, of their values: lower-case hexadecimal digits of
    /// one length in the same positions sort as the numbers do).
    fn cmp(self, other: Self) -> std::cmp::Ordering {
        match (self, other) {
            (CmidOf::Guid(a), CmidOf::Guid(b)) => a.cmp(&b),
            (CmidOf::Text(a), CmidOf::Text(b)) => a.cmp(b),
            (a, b) => a.text().cmp(&b.text()),
        }
    }
}

/// Which client rows a report carries (see [`Analyzer::report_with`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientRows {
    /// Every client (JSON, NDJSON, CSV).
    All,
    /// The first rows in report order (at most this many).
    First(usize),
}

impl ClientRows {
    fn limit(self) -> usize {
        match self {
            ClientRows::All => usize::MAX,
            ClientRows::First(n) => n,
        }
    }
}

/// A client row on its way into the report, with its sort key.
struct RowRef<'a> {
    /// The first 16 bytes of the normalised name, big-endian, zero-padded.
    prefix: u128,
    cmid: CmidOf<'a>,
    shared: bool,
    outside_window: bool,
    agg: &'a mut ClientAgg,
}

impl RowRef<'_> {
    /// Normalised name, then CMID text: the order of `(norm_name(name), cmid text)`.
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.prefix
            .cmp(&other.prefix)
            .then_with(|| cmp_norm_names(self.agg.name.as_str(), other.agg.name.as_str()))
            .then_with(|| self.cmid.cmp(other.cmid))
    }
}

/// `rows` in the order of [`RowRef::cmp`], stable: sorted by (name prefix, position) as plain
/// integers first, then each run of equal prefixes (rare: names alike in their first 16 bytes)
/// by the whole key.
fn sorted(rows: Vec<RowRef<'_>>) -> Vec<RowRef<'_>> {
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
fn name_prefix(name: &str) -> u128 {
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
fn cmp_norm_names(a: &str, b: &str) -> std::cmp::Ordering {
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
const ROWS_PER_THREAD: usize = 4096;

/// The report rows of `order`, in order; each row's name is moved out of its state. Large
/// reports are built in parts on up to `threads` threads (the reading threads have ended by now), the
/// parts then joined in order, so the result does not depend on the number of threads.
fn client_rows(mut order: Vec<RowRef<'_>>, lang: Lang, threads: usize) -> Vec<ClientRow> {
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
fn client_rows_part(order: Vec<RowRef<'_>>, lang: Lang, rows: &mut Vec<ClientRow>) {
    let codes = Codes::new(lang);
    let mut activation_ids: HashMap<u128, String, FxBuild> = HashMap::default();
    rows.extend(order.into_iter().map(|r| {
        let a = r.agg;
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
            activation_id: a.activation_id().map(|k| match k {
                GuidRef::Guid(g) => activation_ids
                    .entry(g)
                    .or_insert_with(|| format_guid(g))
                    .clone(),
                GuidRef::Text(t) => t.to_owned(),
            }),
            min_count: a.min_count(),
            os: os_kind(a.min_count()),
            skewed_requests: a.skewed_requests,
            max_skew_secs: a.max_skew(),
            shared_cmid: r.shared,
            outside_window: r.outside_window,
        }
    }));
}

fn os_kind(min_count: Option<u32>) -> Option<&'static str> {
    match min_count {
        Some(n) if n >= CLIENT_THRESHOLD => Some("client"),
        Some(n) if n > 0 => Some("server"),
        _ => None,
    }
}

fn attention(r: &Report) -> Vec<&'static str> {
    let mut a = Vec::new();
    if let Some(c) = &r.client {
        if c.failed > 0 {
            a.push("client_failures");
        }
        if c.no_response > 0 {
            a.push("no_response");
        }
    }
    if let Some(h) = &r.host {
        if h.codes.iter().any(|c| c.code.value() != 0) {
            a.push("host_errors");
        }
        if h.skewed_requests > 0 {
            a.push("clock_skew");
        }
        if !h.cloned.is_empty() {
            a.push("cloned_cmids");
        }
        if let Some(n) = &h.count {
            if n.client_os > 0 && !n.client_os_activates {
                a.push("count_below_client_threshold");
            }
            if n.server_os > 0 && !n.server_os_activates {
                a.push("count_below_server_threshold");
            }
        }
        if h.dns_failures_total > 0 {
            a.push("dns_publishing_failed");
        }
    }
    if r.slui_failures_total > 0 {
        a.push("slui_failures");
    }
    if r.stats.damaged_chunks > 0
        || r.stats
            .skipped
            .iter()
            .any(|s| matches!(s.reason, SkipReason::CorruptRecord | SkipReason::BadData))
        || r.warnings_total > 0
    {
        a.push("damaged_input");
    }
    a
}

/// Explained codes, each explained once per report (a host log has tens of thousands of client
/// rows but only a few distinct codes).
struct Codes {
    lang: Lang,
    cache: std::cell::RefCell<HashMap<ErrorCode, CodeCount, FxBuild>>,
}

impl Codes {
    fn new(lang: Lang) -> Self {
        Self {
            lang,
            cache: std::cell::RefCell::new(HashMap::default()),
        }
    }

    fn one(&self, code: ErrorCode, count: u64) -> CodeCount {
        let mut cache = self.cache.borrow_mut();
        let c = cache
            .entry(code)
            .or_insert_with(|| CodeCount::new(code, 0, self.lang));
        CodeCount { count, ..c.clone() }
    }

    /// The codes of `m`, most frequent first.
    fn list(&self, m: impl Iterator<Item = (ErrorCode, u64)>) -> Vec<CodeCount> {
        let mut v: Vec<CodeCount> = m.map(|(c, n)| self.one(c, n)).collect();
        v.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
        v
    }
}

/// A code with its name, one-line explanation and how often it occurred.
#[derive(Debug, Clone, Serialize)]
pub struct CodeCount {
    /// The code.
    pub code: ErrorCode,
    /// Its symbolic name.
    pub name: Option<&'static str>,
    /// One line from the knowledge base (or the decoding); shared by every row with the code.
    pub summary: std::sync::Arc<str>,
    /// Whether the knowledge base explains it (`volact explain` gives the steps).
    pub known: bool,
    /// Occurrences.
    pub count: u64,
}

impl CodeCount {
    fn new(code: ErrorCode, count: u64, lang: Lang) -> Self {
        let e = explain(code, Form::PrefixedHex, lang);
        Self {
            code,
            name: e.name,
            summary: if code.value() == 0 {
                match lang {
                    Lang::En => "success".into(),
                    Lang::ZhTw => "成功".into(),
                }
            } else {
                e.summary.into()
            },
            known: e.known,
            count,
        }
    }
}

/// A license state with its label.
#[derive(Debug, Clone, Serialize)]
pub struct StateOut {
    /// The number 0-6 (or other).
    pub value: u32,
    /// Stable identifier.
    pub name: &'static str,
    /// Label in the report's language.
    pub label: std::borrow::Cow<'static, str>,
}

impl StateOut {
    fn new(s: LicenseState, lang: Lang) -> Self {
        Self {
            value: s.number(),
            name: s.id(),
            label: s.label_cow(lang),
        }
    }
}

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 12289 with success and the activated flag.
    Activated,
    /// 12289 with success but not activated.
    NotActivated,
    /// 12289 with an error code.
    Failed,
    /// 12288 without 12289.
    NoResponse,
}

impl Outcome {
    /// Label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Outcome::Activated, Lang::En) => "activated",
            (Outcome::NotActivated, Lang::En) => "answered, not activated",
            (Outcome::Failed, Lang::En) => "failed",
            (Outcome::NoResponse, Lang::En) => "no response",
            (Outcome::Activated, Lang::ZhTw) => "已啟用",
            (Outcome::NotActivated, Lang::ZhTw) => "有回應但未啟用",
            (Outcome::Failed, Lang::ZhTw) => "失敗",
            (Outcome::NoResponse, Lang::ZhTw) => "沒有回應",
        }
    }
}

/// The 12289 part of an attempt.
#[derive(Debug, Clone, Serialize)]
pub struct ResponseOut {
    /// When it was logged.
    pub time: Option<Timestamp>,
    /// Its code.
    pub code: Option<ErrorCode>,
    /// Activated flag.
    pub activated: Option<bool>,
    /// The host's current count.
    pub current_count: Option<u32>,
    /// Activation interval (minutes).
    pub activation_interval: Option<u32>,
    /// Renewal interval (minutes).
    pub renewal_interval: Option<u32>,
}

/// One activation attempt of a client (12288, and its 12289 when there is one).
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    /// The client (computer that logged the events).
    pub computer: Option<String>,
    /// When the request was logged.
    pub time: Option<Timestamp>,
    /// The KMS host used.
    pub kms: Option<HostPort>,
    /// The client's CMID.
    pub cmid: Option<String>,
    /// License state when the request was sent.
    pub license_state: Option<StateOut>,
    /// Minimum count the client needs.
    pub min_count: Option<u32>,
    /// Code of the request (12288).
    pub request_code: Option<ErrorCode>,
    /// The response, if any.
    pub response: Option<ResponseOut>,
    /// How it ended.
    pub outcome: Outcome,
    /// The code that tells the outcome (the response's, else the request's), explained.
    pub code: Option<CodeCount>,
}

impl Attempt {
    fn new(
        e: &Event,
        r: &ClientRequest,
        resp: Option<(&ClientResponse, Option<Timestamp>)>,
        lang: Lang,
    ) -> Self {
        let response = resp.map(|(p, t)| ResponseOut {
            time: t,
            code: p.code,
            activated: p.activated,
            current_count: p.current_count,
            activation_interval: p.activation_interval,
            renewal_interval: p.renewal_interval,
        });
        let outcome = match &response {
            None => Outcome::NoResponse,
            Some(p) if p.code.is_some_and(|c| c.value() != 0) => Outcome::Failed,
            Some(p) if p.activated == Some(true) => Outcome::Activated,
            Some(_) => Outcome::NotActivated,
        };
        let code = response
            .as_ref()
            .and_then(|p| p.code)
            .filter(|c| c.value() != 0)
            .or(r.code);
        Self {
            computer: e.computer.clone(),
            time: e.time,
            kms: r.kms.clone(),
            cmid: r.cmid.clone(),
            license_state: r.license_state.map(|s| StateOut::new(s, lang)),
            min_count: r.min_count,
            request_code: r.code,
            response,
            outcome,
            code: code.map(|c| CodeCount::new(c, 1, lang)),
        }
    }
}

/// A KMS host as seen by clients.
#[derive(Debug, Clone, Serialize)]
pub struct HostContact {
    /// `host:port`.
    pub kms: String,
    /// Attempts sent to it.
    pub attempts: u64,
    /// Activated.
    pub activated: u64,
    /// Failed or not activated.
    pub failed: u64,
    /// Without response.
    pub no_response: u64,
    /// The last count it reported.
    pub last_current_count: Option<u32>,
}

/// The client view (12288/12289).
#[derive(Debug, Clone, Serialize)]
pub struct ClientView {
    /// Attempts found.
    pub attempts_total: u64,
    /// Activated.
    pub activated: u64,
    /// Failed or answered without activation.
    pub failed: u64,
    /// 12288 without 12289.
    pub no_response: u64,
    /// 12289 without a 12288 before it.
    pub responses_without_request: u64,
    /// The count the host reported last.
    pub last_current_count: Option<u32>,
    /// Hosts contacted.
    pub hosts: Vec<HostContact>,
    /// Codes of the attempts.
    pub codes: Vec<CodeCount>,
    /// Every attempt, in order (by computer, then time).
    pub attempts: Vec<Attempt>,
}

/// One client as the host saw it.
#[derive(Debug, Clone, Serialize)]
pub struct ClientRow {
    /// Client name.
    pub name: String,
    /// CMID.
    pub cmid: String,
    /// Requests.
    pub requests: u64,
    /// First request (event time).
    pub first_seen: Option<Timestamp>,
    /// Last request (event time).
    pub last_seen: Option<Timestamp>,
    /// Client timestamp of the last request.
    pub last_client_time: Option<Timestamp>,
    /// Code returned to the last request.
    pub last_code: Option<CodeCount>,
    /// All codes returned, by count.
    pub codes: Vec<CodeCount>,
    /// License state at the last request.
    pub license_state: Option<StateOut>,
    /// Minutes to expiry at the last request.
    pub minutes_to_expiry: Option<u64>,
    /// VM flag.
    pub vm: Option<bool>,
    /// Activation ID (product SKU).
    pub activation_id: Option<String>,
    /// Minimum count the client needs (25 client OS, 5 server OS).
    pub min_count: Option<u32>,
    /// `client` or `server` from the minimum count.
    pub os: Option<&'static str>,
    /// Requests whose client time was more than 4 hours off.
    pub skewed_requests: u64,
    /// Largest difference, client time minus event time, in seconds.
    pub max_skew_secs: Option<i64>,
    /// Whether other client names use the same CMID.
    pub shared_cmid: bool,
    /// Whether the CMID's newest request (in the whole log, whatever the filters) is outside
    /// the count's 30-day window, so that it no longer counts toward the host's count.
    pub outside_window: bool,
}

/// The count the host would have now.
#[derive(Debug, Clone, Serialize)]
pub struct CountNow {
    /// "Now": `--now` or the newest host event.
    pub now: Timestamp,
    /// Start of the 30-day window (exclusive).
    pub window_start: Timestamp,
    /// Distinct CMIDs in the window (before the cap).
    pub distinct_cmids: u64,
    /// Of which client operating systems (minimum count 25).
    pub client_os: u64,
    /// Of which server operating systems (minimum count 5).
    pub server_os: u64,
    /// Of which without a minimum count.
    pub unknown_os: u64,
    /// The cap: twice the highest minimum count seen, at most 50.
    pub cap: u32,
    /// The count.
    pub count: u32,
    /// 25.
    pub client_threshold: u32,
    /// 5.
    pub server_threshold: u32,
    /// Whether client operating systems activate at this count.
    pub client_os_activates: bool,
    /// Whether server operating systems activate at this count.
    pub server_os_activates: bool,
}

/// A client with a skewed clock.
#[derive(Debug, Clone, Serialize)]
pub struct SkewRow {
    /// Client name.
    pub name: String,
    /// CMID.
    pub cmid: String,
    /// Requests with more than 4 hours difference.
    pub requests: u64,
    /// Largest difference (client minus event time), seconds.
    pub max_skew_secs: i64,
}

/// A CMID used by several client names.
#[derive(Debug, Clone, Serialize)]
pub struct CloneRow {
    /// The CMID.
    pub cmid: String,
    /// Names (up to 20).
    pub names: Vec<String>,
    /// How many names in all.
    pub names_total: u64,
}

/// A DNS publishing failure (12293).
#[derive(Debug, Clone, Serialize)]
pub struct DnsRow {
    /// When.
    pub time: Option<Timestamp>,
    /// The host.
    pub computer: Option<String>,
    /// The domain.
    pub domain: Option<String>,
    /// The code, explained.
    pub code: Option<CodeCount>,
}

/// The host view (12290, 12293, 12294).
#[derive(Debug, Clone, Serialize)]
pub struct HostView {
    /// Requests processed (12290).
    pub requests: u64,
    /// Distinct (name, CMID) pairs.
    pub clients_total: u64,
    /// Of those, the ones outside the count's 30-day window ([`ClientRow::outside_window`]).
    pub clients_outside_window: u64,
    /// The count the host would have now, from every host request of the log (`--since`,
    /// `--until` and `--client` choose the rows shown, not the count).
    pub count: Option<CountNow>,
    /// Codes returned, by count.
    pub codes: Vec<CodeCount>,
    /// Requests with a clock difference over 4 hours.
    pub skewed_requests: u64,
    /// Clients with such requests.
    pub skewed: Vec<SkewRow>,
    /// CMIDs shared by several names.
    pub cloned: Vec<CloneRow>,
    /// DNS publishing failures (up to 1000 listed).
    pub dns_failures: Vec<DnsRow>,
    /// DNS publishing failures in all.
    pub dns_failures_total: u64,
    /// DNS publishing successes (12294).
    pub dns_published: u64,
    /// Per client, in order of normalised name, then CMID: every client, or the first ones of a
    /// report made with [`ClientRows::First`] (`clients_total` counts them all).
    pub clients: Vec<ClientRow>,
    /// Requests per day (UTC) by outcome, oldest first; days without requests are absent.
    /// Requests without an event time are not in it; only the newest [`MAX_DAYS`] days are kept.
    pub per_day: Vec<DayCount>,
    /// Requests of older days beyond [`MAX_DAYS`], not in `per_day`.
    pub per_day_omitted: u64,
}

/// Activation requests the host processed on one day (UTC).
#[derive(Debug, Clone, Serialize)]
pub struct DayCount {
    /// `YYYY-MM-DD` (UTC, from the event time).
    pub date: String,
    /// Requests that day.
    pub requests: u64,
    /// Answered with success (code 0x0).
    pub activated: u64,
    /// Refused because the count is too low (0xC004F038).
    pub count_too_low: u64,
    /// Any other code (or none).
    pub failed: u64,
}

/// An 8198 event.
#[derive(Debug, Clone, Serialize)]
pub struct SluiRow {
    /// When.
    pub time: Option<Timestamp>,
    /// Where.
    pub computer: Option<String>,
    /// `hr=`.
    pub code: Option<CodeCount>,
    /// `Trigger=`.
    pub trigger: Option<String>,
    /// `SkuId=`.
    pub sku_id: Option<String>,
}

/// Codes carried by other activation events (8198, 1003, other SPP events).
#[derive(Debug, Clone, Serialize)]
pub struct OtherCode {
    /// The event ID.
    pub event_id: u32,
    /// The code and its count.
    pub code: CodeCount,
}

/// Records skipped for one reason.
#[derive(Debug, Clone, Serialize)]
pub struct SkipCount {
    /// The reason.
    pub reason: SkipReason,
    /// Its label.
    pub label: &'static str,
    /// How many.
    pub count: u64,
}

/// What was read.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Records read (events in .evtx/XML, recognised events in text).
    pub records_read: u64,
    /// Activation events used.
    pub events_used: u64,
    /// Records skipped.
    pub records_skipped: u64,
    /// Why.
    pub skipped: Vec<SkipCount>,
    /// Examples of unreadable activation data (up to 20), in English.
    pub bad_examples: Vec<String>,
    /// The same examples, each with a stable `kind` and its details (renderers write them in
    /// the report's language).
    pub bad_example_details: Vec<crate::BadExample>,
    /// .evtx chunks that could not be read.
    pub damaged_chunks: u64,
    /// Record numbers absent between the chunks of .evtx logs (not damage; see
    /// [`Report::notes`]).
    #[serde(skip_serializing_if = "is_zero")]
    pub records_absent: u64,
    /// Oldest event used.
    pub oldest: Option<Timestamp>,
    /// Newest event used.
    pub newest: Option<Timestamp>,
}

/// One input.
#[derive(Debug, Clone, Serialize)]
pub struct InputSummary {
    /// Path or `-`.
    pub name: String,
    /// `evtx`, `xml`, `text`, or null when it could not be opened.
    pub kind: Option<&'static str>,
    /// Records read from it.
    pub records_read: u64,
    /// Activation events used from it.
    pub events_used: u64,
    /// Records skipped from it.
    pub records_skipped: u64,
    /// Why it could not be read (entirely), if so.
    pub error: Option<String>,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The whole report; its serde form is the JSON output.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Changes on any incompatible change.
    pub schema_version: u32,
    /// Language of the texts.
    pub lang: Lang,
    /// Inputs read.
    pub inputs: Vec<InputSummary>,
    /// Counts.
    pub stats: Stats,
    /// Warnings (up to 100).
    pub warnings: Vec<String>,
    /// Warnings in all.
    pub warnings_total: u64,
    /// The kept warnings again, each with a stable `kind` and its details, in the order of
    /// `warnings` (renderers write them in the report's language).
    pub warning_details: Vec<crate::Warning>,
    /// Neutral notes, not damage (up to 100): record numbers absent from a log, in English.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The same notes with a stable `kind` and details (renderers write them in the report's
    /// language).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub note_details: Vec<crate::Warning>,
    /// What needs attention (stable identifiers).
    pub attention: Vec<&'static str>,
    /// The client view, when client events were found.
    pub client: Option<ClientView>,
    /// The host view, when host events were found.
    pub host: Option<HostView>,
    /// 8198 events (up to 1000).
    pub slui_failures: Vec<SluiRow>,
    /// 8198 events in all.
    pub slui_failures_total: u64,
    /// Codes from 8198, 1003 and other activation events.
    pub other_codes: Vec<OtherCode>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use volact_core::event::parse_info;

    fn host_event(t: i64, info: &str) -> Event {
        let mut e = Event::new(12290, parse_info(12290, info).unwrap());
        e.time = Some(Timestamp::from_unix(t, true));
        e
    }

    const T0: i64 = 1_795_000_000;

    /// The host's code counts are exact past the short list, whatever the order of arrival.
    #[test]
    fn host_codes_count_every_code_once() {
        let mut codes = HostCodes::default();
        let mut want: BTreeMap<ErrorCode, u64> = BTreeMap::new();
        for i in 0..2_000u32 {
            // 40 distinct codes, the first far more frequent than the others.
            let c = ErrorCode::new(0xC004_F000 + if i % 3 == 0 { 0 } else { (i * 31) % 40 });
            codes.add(c);
            *want.entry(c).or_default() += 1;
        }
        assert_eq!(codes.few.len(), HostCodes::FEW);
        let got: BTreeMap<ErrorCode, u64> = codes.iter().collect();
        assert_eq!(got.len(), codes.iter().count(), "a code listed twice");
        assert_eq!(got, want);
    }

    #[test]
    fn count_cap_thresholds_skew_and_clones() {
        let mut an = Analyzer::new(Options::default());
        let day = 86_400;
        // 30 client-OS CMIDs inside the window, 3 outside; 2 servers.
        for i in 0..33 {
            let t = if i < 30 { T0 - i * 3600 } else { T0 - 40 * day };
            an.read(1);
            an.event(host_event(
                t,
                &format!(
                    "0x0, 25, pc{i}, 00000000-0000-0000-0000-{i:012}, 2026/1/1 0:00, 0, 1, 0, a"
                ),
            ));
        }
        for i in 0..2 {
            an.read(1);
            an.event(host_event(
                T0,
                &format!("0xC004F038, 5, srv{i}, 10000000-0000-0000-0000-{i:012}, 2026/1/1 0:00, 1, 2, 0, b"),
            ));
        }
        // A clone: another name with pc0's CMID.
        an.event(host_event(
            T0 - 10,
            "0x0, 25, clone-of-pc0, 00000000-0000-0000-0000-000000000000, 2026/1/1 0:00, 0, 1, 0, a",
        ));
        let r = an.report(Lang::En);
        let h = r.host.unwrap();
        let c = h.count.unwrap();
        assert_eq!((c.distinct_cmids, c.client_os, c.server_os), (32, 30, 2));
        assert_eq!((c.cap, c.count), (50, 32));
        assert!(c.client_os_activates && c.server_os_activates);
        assert_eq!(h.cloned.len(), 1);
        assert_eq!(h.cloned[0].names, ["clone-of-pc0", "pc0"]);
        // Client timestamps are in 2026-01-01 while events are in 2026-11: all skewed.
        assert_eq!(h.skewed_requests, 36);
        assert_eq!(h.codes[0].code.value(), 0);
        assert!(r.attention.contains(&"cloned_cmids"));
        assert!(r.attention.contains(&"host_errors"));
    }

    #[test]
    fn per_day_histogram_by_outcome() {
        let mut an = Analyzer::new(Options::default());
        let day = 86_400;
        // 2026-11-19T00:00:00Z is day 20_776 since 1970.
        let d0 = 20_776 * day;
        let info = |code: &str, i: u32| {
            format!("{code}, 25, pc{i}, 00000000-0000-0000-0000-{i:012}, , 0, 1, 0, a")
        };
        for (t, code) in [
            (d0 + 10, "0x0"),
            (d0 + day - 1, "0xC004F038"),
            (d0 + day - 1, "0xC004F06C"),
            (d0 + 2 * day, "0x0"), // next-but-one day; the day between is absent
            (d0 - 1, "0xC004F038"), // the evening before
            (d0 + 2 * day + 5, "0xC004F042"),
        ] {
            an.event(host_event(t, &info(code, 1)));
        }
        // No event time: counted as a request, not in the histogram.
        an.event(Event::new(
            12290,
            parse_info(12290, &info("0x0", 2)).unwrap(),
        ));
        let h = an.report(Lang::En).host.unwrap();
        assert_eq!(h.requests, 7);
        let got: Vec<(&str, [u64; 4])> = h
            .per_day
            .iter()
            .map(|d| {
                (
                    d.date.as_str(),
                    [d.requests, d.activated, d.count_too_low, d.failed],
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("2026-11-18", [1, 0, 1, 0]),
                ("2026-11-19", [3, 1, 1, 1]),
                ("2026-11-21", [2, 1, 0, 1]),
            ]
        );
        assert_eq!(h.per_day_omitted, 0);
        let j = serde_json::to_value(&h.per_day[0]).unwrap();
        assert_eq!(
            j,
            serde_json::json!({"date":"2026-11-18","requests":1,"activated":0,"count_too_low":1,"failed":0})
        );
    }

    #[test]
    fn many_codes_per_client_and_clones_are_counted() {
        let mut an = Analyzer::new(Options::default());
        let codes = [
            "0x0",
            "0xC004F038",
            "0x0",
            "0xC004F06C",
            "0xC004F042",
            "0xC004F038",
            "0x0",
        ];
        for (i, c) in codes.iter().enumerate() {
            an.event(host_event(
                T0 + i as i64,
                &format!("{c}, 25, PC1, 5CD1D6D4-3D4B-4A65-9D1B-6F8E2F0C1A11, , 0, 1, 0, A"),
            ));
        }
        // The same CMID under another name, and the first name in another case.
        an.event(host_event(
            T0 + 100,
            "0x0, 25, pc2, {5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11}, , 0, 1, 0, a",
        ));
        an.event(host_event(
            T0 + 200,
            "0x0, 25, pc1, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, , 0, 1, 0, a",
        ));
        let h = an.report(Lang::En).host.unwrap();
        assert_eq!(h.clients.len(), 2);
        let pc1 = &h.clients[0];
        assert_eq!((pc1.name.as_str(), pc1.requests), ("PC1", 8));
        assert_eq!(pc1.cmid, "5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11");
        let got: Vec<(u32, u64)> = pc1
            .codes
            .iter()
            .map(|c| (c.code.value(), c.count))
            .collect();
        assert_eq!(
            got,
            [(0, 4), (0xC004_F038, 2), (0xC004_F042, 1), (0xC004_F06C, 1)]
        );
        assert_eq!(h.cloned.len(), 1);
        assert_eq!(h.cloned[0].names, ["PC1", "pc2"]);
        assert!(h.clients.iter().all(|c| c.shared_cmid));
        assert_eq!(pc1.activation_id.as_deref(), Some("a"));
    }

    #[test]
    fn per_day_keeps_the_newest_days_in_any_order() {
        let one = DayAgg::of(Some(ErrorCode::new(0)));
        let days: Vec<i64> = (0..(MAX_DAYS as i64 + 300)).collect();
        // Forward, backward and interleaved arrival keep the same newest MAX_DAYS days.
        let orders: [Vec<i64>; 3] = [
            days.clone(),
            days.iter().rev().copied().collect(),
            days.iter()
                .copied()
                .filter(|d| d % 2 == 0)
                .chain(days.iter().copied().filter(|d| d % 2 == 1))
                .collect(),
        ];
        for order in orders {
            let (mut map, mut omitted) = (BTreeMap::new(), 0u64);
            for &d in &order {
                day_add(&mut map, &mut omitted, d, one);
                day_add(&mut map, &mut omitted, d, one);
            }
            assert_eq!(map.len(), MAX_DAYS);
            assert_eq!(map.first_key_value().map(|(k, _)| *k), Some(300));
            assert!(map.values().all(|d| d.0 == [2, 2, 0, 0]));
            assert_eq!(omitted, 600);
        }
    }

    #[test]
    fn server_only_cap_is_ten() {
        let mut an = Analyzer::new(Options::default());
        for i in 0..12 {
            an.event(host_event(
                T0,
                &format!("0x0, 5, srv{i}, 10000000-0000-0000-0000-{i:012}, , 0, 1, 0, b"),
            ));
        }
        let c = an.report(Lang::En).host.unwrap().count.unwrap();
        assert_eq!((c.distinct_cmids, c.cap, c.count), (12, 10, 10));
        assert!(c.server_os_activates && !c.client_os_activates);
    }

    #[test]
    fn client_pairing() {
        let mut an = Analyzer::new(Options::default());
        let req = |t: i64, code: &str| {
            let mut e = Event::new(
                12288,
                parse_info(12288, &format!("{code}, 0x0, kms:1688, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/1/1 0:00, 0, 2, 100, a, 25")).unwrap(),
            );
            e.time = Some(Timestamp::from_unix(t, true));
            e.computer = Some("pc1".into());
            e
        };
        let resp = |t: i64, code: &str, act: u8| {
            let mut e = Event::new(
                12289,
                parse_info(
                    12289,
                    &format!("{code}, 0x0, {act}, 0, 7, 120, 10080, 2026/1/1 0:00"),
                )
                .unwrap(),
            );
            e.time = Some(Timestamp::from_unix(t, true));
            e.computer = Some("pc1".into());
            e
        };
        an.event(req(T0, "0x0"));
        an.event(resp(T0 + 1, "0xC004F038", 0));
        an.event(req(T0 + 100, "0x800706BA"));
        an.event(req(T0 + 200, "0x0"));
        an.event(resp(T0 + 201, "0x0", 1));
        let r = an.report(Lang::En);
        let c = r.client.unwrap();
        let outcomes: Vec<Outcome> = c.attempts.iter().map(|a| a.outcome).collect();
        assert_eq!(
            outcomes,
            [Outcome::Failed, Outcome::NoResponse, Outcome::Activated]
        );
        assert_eq!(
            c.attempts[0].code.as_ref().unwrap().code.value(),
            0xC004_F038
        );
        assert_eq!(
            c.attempts[1].code.as_ref().unwrap().code.value(),
            0x8007_06BA
        );
        assert_eq!(c.last_current_count, Some(7));
        assert_eq!(c.hosts.len(), 1);
        assert_eq!(
            (
                c.hosts[0].activated,
                c.hosts[0].failed,
                c.hosts[0].no_response
            ),
            (1, 1, 1)
        );
        assert!(r.attention.contains(&"no_response"));
    }

    #[test]
    fn filters() {
        let mut an = Analyzer::new(Options {
            since: Some(Timestamp::from_unix(T0 - 100, true)),
            client: Some("PC1".into()),
            ..Options::default()
        });
        an.event(host_event(T0, "0x0, 25, pc1.contoso.com, c1, , 0, 1, 0, a"));
        an.event(host_event(T0, "0x0, 25, pc2.contoso.com, c2, , 0, 1, 0, a"));
        an.event(host_event(T0 - 1000, "0x0, 25, pc1, c1, , 0, 1, 0, a"));
        an.event(Event::new(
            12290,
            parse_info(12290, "0x0, 25, pc1, c1").unwrap(),
        ));
        assert_eq!(an.events_used(), 1);
        let r = an.report(Lang::ZhTw);
        let reasons: Vec<(SkipReason, u64)> = r
            .stats
            .skipped
            .iter()
            .map(|s| (s.reason, s.count))
            .collect();
        assert_eq!(
            reasons,
            [
                (SkipReason::OutsideTimeRange, 1),
                (SkipReason::NoTime, 1),
                (SkipReason::OtherClient, 1)
            ]
        );
    }
}

#[cfg(test)]
mod report_order {
    use super::*;
    use proptest::prelude::*;
    use volact_core::event::{EventData, HostRequest};

    /// Names that share long prefixes, differ in case, white space or non-ASCII letters, and
    /// CMIDs that are GUIDs (either case, braces) or other text.
    fn name() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "desktop-finance-01",
            "Desktop-Finance-02",
            "desktop-finance-010",
            "DESKTOP-FINANCE-0",
            "desktop-finance-01 ",
            "workstation-0001.corp.example.com",
            "workstation-0001.corp.example.co",
            "電腦-01",
            "電腦-02",
            "Äbc-long-name-shared-prefix-1",
            "äbc-long-name-shared-prefix-2",
            " pc1",
            "PC1.",
            "a",
            "",
        ])
        .prop_map(str::to_owned)
    }

    fn cmid() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<u128>().prop_map(format_guid),
            any::<u128>().prop_map(|g| format!("{{{}}}", format_guid(g).to_uppercase())),
            prop::sample::select(vec![
                "",
                "not-a-guid",
                "zz",
                "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0x"
            ])
            .prop_map(str::to_owned),
        ]
    }

    /// Text and Markdown made from a report with only the rows they show are the same as from
    /// the full report; `clients_total` and the skewed-clock list stay complete.
    #[test]
    fn first_rows_render_as_all_rows() {
        let fill = || {
            let mut an = Analyzer::new(Options::default());
            for i in 0..300u32 {
                let info = format!(
                    "0x0, 25, pc{:03}, {:08x}-0000-0000-0000-000000000000, {}, 0, 1, 0, a",
                    (i * 7) % 300,
                    i / 2,
                    if i % 9 == 0 { "2020/1/1 0:00" } else { "" }
                );
                let mut e =
                    Event::new(12290, volact_core::event::parse_info(12290, &info).unwrap());
                e.time = Some(Timestamp::from_unix(1_795_000_000 + i64::from(i), true));
                an.event(e);
            }
            an
        };
        for lang in [Lang::En, Lang::ZhTw] {
            let all = fill().report_with(lang, ClientRows::All);
            let first = fill().report_with(lang, ClientRows::First(crate::render::TEXT_ROWS));
            let (ha, hf) = (all.host.as_ref().unwrap(), first.host.as_ref().unwrap());
            assert_eq!(
                (ha.clients.len(), hf.clients.len()),
                (300, crate::render::TEXT_ROWS)
            );
            assert_eq!((ha.clients_total, hf.clients_total), (300, 300));
            assert_eq!(ha.skewed.len(), 34);
            assert_eq!(
                serde_json::to_string(&ha.skewed).unwrap(),
                serde_json::to_string(&hf.skewed).unwrap()
            );
            assert_eq!(crate::render::text(&all), crate::render::text(&first));
            assert_eq!(
                crate::render::markdown(&all),
                crate::render::markdown(&first)
            );
        }
    }

    /// Rows built on several threads are the rows built on one, in the same order.
    #[test]
    fn rows_on_threads_equal_rows_on_one() {
        let fill = || {
            let mut an = Analyzer::new(Options::default());
            for i in 0..9_000u32 {
                // Some clones (two names on one CMID), codes and states that vary.
                let info = format!(
                    "0x{:X}, 25, PC{:05}.corp, {:08x}-0000-0000-0000-000000000000, 2026/1/1 0:00, {}, {}, {}, {:08x}-1111-2222-3333-444444444444",
                    if i % 7 == 0 { 0xC004_F06Cu32 } else { 0 },
                    (i * 7919) % 9_000,
                    i / 2,
                    i % 2,
                    i % 7,
                    i * 13,
                    i % 3
                );
                let mut e =
                    Event::new(12290, volact_core::event::parse_info(12290, &info).unwrap());
                e.time = Some(Timestamp::from_unix(1_795_000_000 + i64::from(i), true));
                an.event(e);
            }
            an
        };
        let one = fill().take_clients(Lang::ZhTw, 1);
        let four = fill().take_clients(Lang::ZhTw, 4);
        assert_eq!(one.len(), 9_000);
        assert_eq!(
            serde_json::to_string(&one).unwrap(),
            serde_json::to_string(&four).unwrap()
        );
    }

    proptest! {
        /// Client rows come out ordered by normalised name, then CMID text, as a plain sort of
        /// those strings orders them (the report sorts by integer prefixes first).
        #[test]
        fn rows_sort_as_their_text_keys(rows in prop::collection::vec((name(), cmid()), 1..60)) {
            let mut an = Analyzer::new(Options::default());
            for (i, (n, c)) in rows.iter().enumerate() {
                let mut e = Event::new(
                    12290,
                    EventData::HostRequest(HostRequest {
                        client: (!n.is_empty()).then(|| n.clone()),
                        cmid: (!c.is_empty()).then(|| c.clone()),
                        ..HostRequest::default()
                    }),
                );
                e.time = Some(Timestamp::from_unix(1_795_000_000 + i as i64, true));
                an.event(e);
            }
            let r = an.report(Lang::En);
            let got: Vec<(String, String)> = r
                .host
                .map(|h| h.clients.into_iter().map(|c| (norm_name(&c.name), c.cmid)).collect())
                .unwrap_or_default();
            let mut want = got.clone();
            want.sort();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn guid_text_is_the_usual_form(g in any::<u128>()) {
            let want = format!(
                "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
                g >> 96,
                (g >> 80) & 0xFFFF,
                (g >> 64) & 0xFFFF,
                (g >> 48) & 0xFFFF,
                g & 0xFFFF_FFFF_FFFF
            );
            prop_assert_eq!(format_guid(g), want);
        }
    }
}

#[cfg(test)]
mod layout {
    /// The per-CMID state stays within three cache lines with its key (a host log updates one
    /// per request, for tens of thousands of CMIDs).
    #[test]
    fn a_cmid_slot_fits_in_three_cache_lines() {
        let slot = std::mem::size_of::<(u128, super::CmidAgg)>();
        assert!(slot <= 192, "{slot} bytes");
    }

    #[test]
    fn client_names_read_back_inline_or_not() {
        use super::Name;
        for s in [
            "",
            "a",
            "PC-0001",
            "1234567890123456789012",
            "12345678901234567890123",
            "電腦-01",
            "ä".repeat(11).as_str(),
            "ä".repeat(12).as_str(),
        ] {
            let n = Name::new(s);
            assert_eq!(n.as_str(), s);
            assert_eq!(n.is_heap(), s.len() > Name::INLINE, "{s}");
            assert_eq!(String::from(n.clone()), s);
        }
        assert!(std::mem::size_of::<Name>() <= 24);
    }

    #[test]
    fn packed_timestamps_read_back() {
        use super::{OptTs, Timestamp};
        assert_eq!(OptTs::new(None).get(), None);
        for secs in [0, 1, -1, 1_700_000_000, -62_135_596_800, 253_402_300_799] {
            for utc in [false, true] {
                let t = Timestamp::from_unix(secs, utc);
                assert_eq!(OptTs::new(Some(t)).get(), Some(t));
                assert_eq!(OptTs::new(Some(t)).unix(), Some(secs));
            }
        }
    }

    #[test]
    fn a_code_count_beyond_32_bits_moves_to_the_map() {
        use super::{CodeTally, ErrorCode};
        let c = ErrorCode::new(0xC004_F038);
        let mut t = CodeTally::Few {
            len: 1,
            codes: [c, ErrorCode::new(0)],
            counts: [u32::MAX, 0],
        };
        t.add(c);
        assert!(matches!(t, CodeTally::Many(_)));
        assert_eq!(t.iter().collect::<Vec<_>>(), [(c, u64::from(u32::MAX) + 1)]);
        let mut t = CodeTally::default();
        for code in [1, 2, 1, 3] {
            t.add(ErrorCode::new(code));
        }
        let got: Vec<(u32, u64)> = t.iter().map(|(c, n)| (c.value(), n)).collect();
        assert_eq!(got, [(1, 2), (2, 1), (3, 1)]);
    }
}
