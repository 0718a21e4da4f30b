//! The typed lane of 12290 host requests: fields parsed where they are in the UTF-16 values,
//! CMID and Activation ID as 128-bit values, no allocation; anything unusual is declined and
//! typed the general way.

use volact_core::event::Timestamp;

use super::binxml::{MAX_LANE_ITEMS, Src, Template};
use super::value::*;
use crate::guid::{join, split};

/// The event ID of a host's activation request.
pub(super) const HOST_REQUEST_ID: u32 = 12290;

/// A 12290 host request typed straight from its UTF-16 values, without allocating: what
/// `parse_data` would make of it, with the CMID and Activation ID as 128-bit values and the
/// client name kept in the batch's name buffer.
///
/// Packed (80 bytes, no 16-byte alignment): which optional fields are present is in `has`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HostRec {
    /// Event time (seconds since 1970, UTC).
    pub(super) time: i64,
    /// Client timestamp (seconds since 1970, as written: no zone).
    pub(super) client_time: i64,
    pub(super) minutes: u64,
    pub(super) cmid: [u64; 2],
    pub(super) activation_id: [u64; 2],
    pub(super) code: u32,
    pub(super) min_count: u32,
    pub(super) state: u32,
    /// Start and end of the client name in the batch's name buffer.
    pub(super) name: [u32; 2],
    pub(super) vm: bool,
    /// Which of the optional fields are present (`HAS_*`).
    pub(super) has: u8,
}

pub(super) const HAS_MIN_COUNT: u8 = 1;

pub(super) const HAS_NAME: u8 = 2;

pub(super) const HAS_CMID: u8 = 4;

pub(super) const HAS_CLIENT_TIME: u8 = 8;

pub(super) const HAS_VM: u8 = 16;

pub(super) const HAS_STATE: u8 = 32;

pub(super) const HAS_MINUTES: u8 = 64;

pub(super) const HAS_ACTIVATION_ID: u8 = 128;

/// The fields of a [`HostRec`], unpacked.
pub(super) struct HostFields {
    pub(super) time: i64,
    pub(super) code: u32,
    pub(super) min_count: Option<u32>,
    pub(super) name: Option<(u32, u32)>,
    pub(super) cmid: Option<u128>,
    pub(super) client_time: Option<Timestamp>,
    pub(super) vm: Option<bool>,
    pub(super) state: Option<u32>,
    pub(super) minutes: Option<u64>,
    pub(super) activation_id: Option<u128>,
}

impl HostRec {
    pub(super) fn pack(f: &HostFields) -> Self {
        let bit = |present: bool, b: u8| if present { b } else { 0 };
        Self {
            time: f.time,
            client_time: f.client_time.map_or(0, Timestamp::unix),
            minutes: f.minutes.unwrap_or(0),
            cmid: split(f.cmid.unwrap_or(0)),
            activation_id: split(f.activation_id.unwrap_or(0)),
            code: f.code,
            min_count: f.min_count.unwrap_or(0),
            state: f.state.unwrap_or(0),
            name: f.name.map_or([0; 2], |(a, b)| [a, b]),
            vm: f.vm == Some(true),
            has: bit(f.min_count.is_some(), HAS_MIN_COUNT)
                | bit(f.name.is_some(), HAS_NAME)
                | bit(f.cmid.is_some(), HAS_CMID)
                | bit(f.client_time.is_some(), HAS_CLIENT_TIME)
                | bit(f.vm.is_some(), HAS_VM)
                | bit(f.state.is_some(), HAS_STATE)
                | bit(f.minutes.is_some(), HAS_MINUTES)
                | bit(f.activation_id.is_some(), HAS_ACTIVATION_ID),
        }
    }

    pub(super) fn has(&self, b: u8) -> bool {
        self.has & b != 0
    }

    /// The CMID, when there is one.
    pub(crate) fn cmid(&self) -> Option<u128> {
        self.has(HAS_CMID).then(|| join(self.cmid))
    }

    /// The request as the analyzer reads it; `names` is the batch's name buffer.
    pub(crate) fn host_in<'a>(&self, names: &'a [u8]) -> crate::analyze::host::HostIn<'a> {
        use crate::guid::GuidRef;
        crate::analyze::host::HostIn {
            time: Some(Timestamp::from_unix(self.time, true)),
            code: Some(volact_core::ErrorCode::new(self.code)),
            min_count: self.has(HAS_MIN_COUNT).then_some(self.min_count),
            client: if self.has(HAS_NAME) {
                names.get(self.name[0] as usize..self.name[1] as usize)
            } else {
                None
            },
            cmid: self.cmid().map(GuidRef::Guid),
            client_time: self
                .has(HAS_CLIENT_TIME)
                .then(|| Timestamp::from_unix(self.client_time, false)),
            vm: self.has(HAS_VM).then_some(self.vm),
            license_state: self
                .has(HAS_STATE)
                .then(|| volact_core::event::LicenseState::from_number(self.state)),
            minutes_to_expiry: self.has(HAS_MINUTES).then_some(self.minutes),
            activation_id: self
                .has(HAS_ACTIVATION_ID)
                .then(|| GuidRef::Guid(join(self.activation_id))),
        }
    }
}

/// White space as `str::trim` sees it, within ASCII.
pub(super) fn is_ws(b: u8) -> bool {
    b <= b' ' && (b == b' ' || (b'\t'..=b'\r').contains(&b))
}

pub(super) fn trim(s: A<'_>) -> A<'_> {
    // Nearly every field starts and ends with a visible character.
    if let ([first, ..], [.., last, _]) = (s.0, s.0)
        && *first > b' '
        && *last > b' '
    {
        return s;
    }
    let mut b = s.0;
    while let [c, _, rest @ ..] = b
        && is_ws(*c)
    {
        b = rest;
    }
    while let [rest @ .., c, _] = b
        && is_ws(*c)
    {
        b = rest;
    }
    A(b)
}

/// `0x` and 1-8 hexadecimal digits, after trimming (as `parse_data` decides where fields start).
pub(super) fn looks_hresult(s: A<'_>) -> bool {
    let s = trim(s);
    s.len() > 2
        && s.len() <= 10
        && s.at(0) == b'0'
        && (s.at(1) | 0x20) == b'x'
        && s.slice(2, s.len()).bytes().all(|b| b.is_ascii_hexdigit())
}

/// An unsigned decimal number of digits only; `None` when it is not one (or overflows).
pub(super) fn lane_num(s: A<'_>, max: u64) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    if s.len() <= 19 {
        // At most 19 digits cannot overflow 64 bits.
        for b in s.bytes() {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            v = v * 10 + u64::from(d);
        }
    } else {
        for b in s.bytes() {
            if !b.is_ascii_digit() {
                return None;
            }
            v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
        }
    }
    (v <= max).then_some(v)
}

/// Reads 1-4 digits at unit `*i`, as the time parser reads date and time parts.
pub(super) fn digits_at(s: A<'_>, i: &mut usize) -> Option<u32> {
    let start = *i;
    let mut v = 0u32;
    while let Some(b) = s.get(*i)
        && b.is_ascii_digit()
    {
        v = v * 10 + u32::from(b - b'0');
        *i += 1;
        if *i - start > 4 {
            return None;
        }
    }
    (*i > start).then_some(v)
}

/// The client timestamp form Windows writes, `YYYY/M/D H:MM` with optional `:SS`; `None` for any
/// other form (the record then goes through `Timestamp::parse`).
pub(super) fn lane_time(s: A<'_>, day: &mut Option<DayMemo>) -> Option<Timestamp> {
    // The same date text as the last time read: only the time of day is left to read.
    if let Some(memo) = *day
        && s.0.len() >= 24
        && (0..3).all(|k| word(s.0, k) & memo.mask[k] == memo.prefix[k])
    {
        let mut i = usize::from(memo.units);
        let (h, mi, sec) = time_of_day(s, &mut i)?;
        return Some(Timestamp::from_unix(
            memo.days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(sec),
            false,
        ));
    }
    let mut i = 0;
    let y = digits_at(s, &mut i)?;
    if i != 4 {
        return None;
    }
    let sep = |i: &mut usize, c: u8| -> Option<()> { (s.get(*i) == Some(c)).then(|| *i += 1) };
    sep(&mut i, b'/')?;
    let m = digits_at(s, &mut i)?;
    sep(&mut i, b'/')?;
    let d = digits_at(s, &mut i)?;
    sep(&mut i, b' ')?;
    let units = i;
    let (h, mi, sec) = time_of_day(s, &mut i)?;
    let t = Timestamp::from_civil(i64::from(y), m, d, h, mi, sec, false)?;
    let hms = i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(sec);
    *day = DayMemo::new(s, units, (t.unix() - hms) / 86_400);
    Some(t)
}

/// `H:MM` with optional `:SS` from unit `*i` to the end, each part in range (as `from_civil`
/// checks it: a leap second allowed).
pub(super) fn time_of_day(s: A<'_>, i: &mut usize) -> Option<(u32, u32, u32)> {
    let sep = |i: &mut usize, c: u8| -> Option<()> { (s.get(*i) == Some(c)).then(|| *i += 1) };
    let h = digits_at(s, i)?;
    sep(i, b':')?;
    let mi = digits_at(s, i)?;
    let sec = if *i < s.len() {
        sep(i, b':')?;
        digits_at(s, i)?
    } else {
        0
    };
    (*i == s.len() && h <= 23 && mi <= 59 && sec <= 60).then_some((h, mi, sec))
}

/// The little-endian word `k` (bytes `8k..8k + 8`) of `b`; 0 past its end.
pub(super) fn word(b: &[u8], k: usize) -> u64 {
    b.get(8 * k..8 * k + 8)
        .and_then(|c| <[u8; 8]>::try_from(c).ok())
        .map_or(0, u64::from_le_bytes)
}

/// The date text [`lane_time`] read last (`YYYY/M/D `, as UTF-16LE in the first 24 bytes, compared
/// under `mask`) and its day number: the requests of a chunk are mostly from one day.
#[derive(Clone, Copy, Default)]
pub(super) struct DayMemo {
    pub(super) prefix: [u64; 3],
    pub(super) mask: [u64; 3],
    /// Units of the date text, the space included.
    pub(super) units: u8,
    pub(super) days: i64,
}

impl DayMemo {
    /// The memo of the first `units` units of `s` (`None` when they do not fit in 24 bytes).
    pub(super) fn new(s: A<'_>, units: usize, days: i64) -> Option<Self> {
        let bytes = s.0.get(..2 * units).filter(|b| b.len() <= 24)?;
        let mut prefix = [0u8; 24];
        let mut mask = [0u8; 24];
        prefix[..bytes.len()].copy_from_slice(bytes);
        mask[..bytes.len()].fill(0xFF);
        Some(Self {
            prefix: [0, 1, 2].map(|k| word(&prefix, k)),
            mask: [0, 1, 2].map(|k| word(&mask, k)),
            units: u8::try_from(units).ok()?,
            days,
        })
    }
}

/// What the lane remembers from record to record within a chunk.
#[derive(Default)]
pub(super) struct LaneCache {
    pub(super) guids: GuidCache,
    pub(super) day: Option<DayMemo>,
}

/// A GUID field as `normalise_guid` reads it, when it is a GUID: `Ok(None)` when empty,
/// `Err` when it is something else (the record then goes the general way).
/// The last GUIDs the lane read, by their UTF-16 text: a chunk's requests carry a handful of
/// Activation IDs, so most are found here instead of being parsed again.
pub(super) struct GuidCache {
    pub(super) entries: [([u8; 72], u128); 4],
    /// The last eight bytes of each entry's text, compared first (GUIDs differ there).
    pub(super) tails: [u64; 4],
    /// Entries in use.
    pub(super) filled: usize,
    pub(super) next: usize,
}

impl Default for GuidCache {
    fn default() -> Self {
        Self {
            entries: [([0; 72], 0); 4],
            tails: [0; 4],
            filled: 0,
            next: 0,
        }
    }
}

impl GuidCache {
    /// Like [`lane_guid`], looking in the cache first.
    pub(super) fn get(&mut self, s: A<'_>) -> Result<Option<u128>, ()> {
        if let Ok(text) = <&[u8; 72]>::try_from(s.0) {
            let tail = u64::from_le_bytes([
                text[64], text[65], text[66], text[67], text[68], text[69], text[70], text[71],
            ]);
            for i in 0..self.filled {
                if self.tails[i] == tail && self.entries[i].0 == *text {
                    return Ok(Some(self.entries[i].1));
                }
            }
            let g = lane_guid(s)?;
            if let Some(v) = g {
                self.entries[self.next] = (*text, v);
                self.tails[self.next] = tail;
                self.next = (self.next + 1) % self.entries.len();
                self.filled = (self.filled + 1).min(self.entries.len());
            }
            return Ok(g);
        }
        lane_guid(s)
    }
}

pub(super) fn lane_guid(s: A<'_>) -> Result<Option<u128>, ()> {
    if s.is_empty() {
        return Ok(None);
    }
    let (mut a, mut b) = (0, s.len());
    if s.at(0) == b'{' {
        a = 1;
    }
    if b > a && s.at(b - 1) == b'}' {
        b -= 1;
    }
    let g: &[u8; 72] = s.slice(a, b).0.try_into().map_err(|_| ())?;
    crate::guid::parse_guid_units(g).map(Some).ok_or(())
}

/// Whether UTF-16LE `b` (even length) is ASCII without a comma; eight bytes at a time, without
/// a branch per word (the items are short and nearly always pass, so looking at every word is
/// cheaper than stopping early).
pub(super) fn ascii_without_comma(b: &[u8]) -> bool {
    const LO: u64 = 0x0001_0001_0001_0001;
    const HI: u64 = 0x0080_0080_0080_0080;
    if !b.len().is_multiple_of(2) {
        return false;
    }
    let mut words = b.chunks_exact(8);
    let mut high = 0u64;
    let mut comma = 0u64;
    for c in words.by_ref() {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        // Every unit below 0x80 (`high` stays zero), and none equal to ',' (a zero unit after
        // the XOR; exact once every unit is below 0x80).
        let x = w ^ (LO * u64::from(b','));
        high |= w & 0xFF80_FF80_FF80_FF80;
        comma |= x.wrapping_sub(LO) & !x & HI;
    }
    high == 0
        && comma == 0
        && words
            .remainder()
            .chunks_exact(2)
            .all(|c| c[1] == 0 && c[0] < 0x80 && c[0] != b',')
}

/// Types a 12290 from the UTF-16LE values of its data items, as `parse_data` would; `None`
/// when anything is unusual (non-ASCII text, commas, other number or time forms, bad fields), in
/// which case the caller types the record the general way. The client name is appended to
/// `names`.
pub(super) fn lane_12290(
    time: i64,
    raw: &[&[u8]],
    checked: bool,
    names: &mut Vec<u8>,
    cache: &mut LaneCache,
) -> Option<HostRec> {
    let n = raw.len();
    if n == 0 || n > MAX_LANE_ITEMS {
        return None;
    }
    let mut items: [A<'_>; MAX_LANE_ITEMS] = [A(&[]); MAX_LANE_ITEMS];
    // With ten items, the first is the leading item (on a modern host, the nine fields joined
    // with `,`): `parse_data` reads the nine items after it, whatever it holds, when they have
    // no comma. It is only checked to be ASCII, as every item the lane takes.
    for (k, (item, b)) in items.iter_mut().zip(raw).enumerate() {
        if n == 10 && k == 0 {
            if !(b.len().is_multiple_of(2) && is_ascii_utf16(b)) {
                return None;
            }
        } else if !checked && !ascii_without_comma(b) {
            return None;
        }
        // Strings end at their NULs, as `push_utf16` drops them (every high byte is zero).
        let mut b: &[u8] = b;
        while let [rest @ .., 0, _] = b {
            b = rest;
        }
        *item = A(b);
    }
    // Where the nine fields start, as `parse_data` decides it.
    let start = if n == 10 {
        1
    } else if looks_hresult(items[0]) {
        0
    } else if n > 1 && looks_hresult(items[1]) {
        1
    } else {
        0
    };
    let mut f: [A<'_>; 9] = [A(&[]); 9];
    for (k, slot) in f.iter_mut().enumerate() {
        if start + k < n {
            *slot = trim(items[start + k]);
        }
    }
    // Field 0: the HRESULT, `0x` and at most 8 significant hex digits.
    let c = f[0];
    if c.len() < 2 || c.at(0) != b'0' || (c.at(1) != b'x' && c.at(1) != b'X') {
        return None;
    }
    let mut first = 2;
    while first < c.len() && c.at(first) == b'0' {
        first += 1;
    }
    if c.len() - first > 8 {
        return None;
    }
    let mut code = 0u32;
    for b in c.slice(first, c.len()).bytes() {
        code = (code << 4) | (b as char).to_digit(16)?;
    }
    let opt_num = |v: A<'_>, max: u64| -> Result<Option<u64>, ()> {
        if v.is_empty() {
            Ok(None)
        } else {
            lane_num(v, max).map(Some).ok_or(())
        }
    };
    let min_count = opt_num(f[1], u64::from(u32::MAX)).ok()?.map(|v| v as u32);
    let cmid = lane_guid(f[3]).ok()?;
    let client_time = if f[4].is_empty() {
        None
    } else {
        Some(lane_time(f[4], &mut cache.day)?)
    };
    let vm = if f[5].is_empty() {
        None
    } else if f[5].is(b"0") {
        Some(false)
    } else if f[5].is(b"1") {
        Some(true)
    } else {
        return None;
    };
    let state = opt_num(f[6], u64::from(u32::MAX)).ok()?.map(|v| v as u32);
    let minutes = opt_num(f[7], u64::MAX).ok()?;
    let activation_id = cache.guids.get(f[8]).ok()?;
    let name = f[2].slice(0, f[2].len().min(volact_core::event::MAX_FIELD));
    // A NUL inside the name ends it for the renderer, and XML reads a CR as a line feed: the
    // general way does both.
    if name.bytes().any(|b| b == 0 || b == b'\r') {
        return None;
    }
    let name = if name.is_empty() {
        None
    } else {
        let a = u32::try_from(names.len()).ok()?;
        push_ascii_bytes(names, name);
        Some((a, u32::try_from(names.len()).ok()?))
    };
    Some(HostRec::pack(&HostFields {
        time,
        code,
        min_count,
        name,
        cmid,
        client_time,
        vm,
        state,
        minutes,
        activation_id,
    }))
}

/// The lane for one record whose template holds its data items as string substitutions (as the
/// test writer logs 12290); `None` sends the record the general way.
pub(super) fn lane_record(
    chunk: &[u8],
    t: &Template,
    sizes: &[(u8, usize, usize)],
    time: i64,
    names: &mut Vec<u8>,
    cache: &mut LaneCache,
) -> Option<HostRec> {
    if t.nested.is_some() || t.data.is_empty() || t.data.len() > MAX_LANE_ITEMS {
        return None;
    }
    let mut raw: [&[u8]; MAX_LANE_ITEMS] = [&[]; MAX_LANE_ITEMS];
    if let Some((first, count)) = t.data_run
        && let Some(run) = sizes.get(usize::from(first)..usize::from(first) + usize::from(count))
    {
        // Consecutive substitutions lie one after the other in the record: one pass checks
        // them all for non-ASCII units and commas, when each is of whole units.
        let mut even = true;
        for (slot, &(ty, start, len)) in raw.iter_mut().zip(run) {
            *slot = match ty {
                0x01 => &chunk[start..start + len],
                0x00 => &[],
                _ => return None,
            };
            even &= len % 2 == 0;
        }
        // With ten items, the leading one may hold the joined list: it is checked on its own.
        let checked_run = if run.len() == 10 { &run[1..] } else { run };
        let (Some(&(_, from, _)), Some(&(_, at, len))) = (checked_run.first(), checked_run.last())
        else {
            return None;
        };
        let checked = even && chunk.get(from..at + len).is_some_and(ascii_without_comma);
        return lane_12290(time, &raw[..run.len()], checked, names, cache);
    }
    // Any other order of substitutions (rare): each value is checked on its own.
    for (slot, d) in raw.iter_mut().zip(&t.data) {
        let Src::Sub(i) = d else { return None };
        *slot = match sizes.get(usize::from(*i)) {
            Some(&(0x01, start, len)) => &chunk[start..start + len],
            Some(&(0x00, _, _)) | None => &[],
            Some(_) => return None,
        };
    }
    lane_12290(time, &raw[..t.data.len()], false, names, cache)
}
