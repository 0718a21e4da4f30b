//! GUID keys and hashing: CMIDs and Activation IDs as 128-bit values (or normalised text),
//! parsed and formatted without allocating, and the hasher of the maps keyed by them.

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
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, GuidKey::Text(t) if t.is_empty())
    }

    pub(crate) fn text(&self) -> String {
        match self {
            GuidKey::Guid(g) => format_guid(*g),
            GuidKey::Text(t) => t.to_string(),
        }
    }
}

/// Where the 32 hexadecimal digits of a GUID text are.
pub(crate) const GUID_DIGITS: [usize; 32] = [
    0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17, 19, 20, 21, 22, 24, 25, 26, 27, 28, 29,
    30, 31, 32, 33, 34, 35,
];

/// The value of each byte as a hexadecimal digit (either case), 0xFF for the others.
pub(crate) const HEX: [u8; 256] = {
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
    pub(crate) const HEX: &[u8; 16] = b"0123456789abcdef";
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
pub(crate) fn parse_guid_lower(b: &[u8]) -> Option<u128> {
    if b.iter().any(u8::is_ascii_uppercase) {
        return None;
    }
    parse_guid(b)
}

/// A 128-bit value as its high and low halves (8-byte aligned, so packed rows need no 16-byte
/// alignment).
pub(crate) fn split(g: u128) -> [u64; 2] {
    [(g >> 64) as u64, g as u64]
}

/// The inverse of [`split`].
pub(crate) fn join(g: [u64; 2]) -> u128 {
    (u128::from(g[0]) << 64) | u128::from(g[1])
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
