//! Value decoding: bounds-checked little-endian reads, UTF-16 text, the data items of a record
//! and the text of a substitution value as the renderer writes it.

use crate::xml::MAX_ITEMS;

pub(super) type R<T> = Result<T, &'static str>;

pub(super) fn u8_at(b: &[u8], p: usize) -> R<u8> {
    b.get(p).copied().ok_or("out of bounds")
}

/// The `N` bytes at `p`.
pub(super) fn le<const N: usize>(b: &[u8], p: usize) -> R<[u8; N]> {
    b.get(p..p + N)
        .ok_or("out of bounds")?
        .try_into()
        .map_err(|_| "bounds")
}

pub(super) fn u16_at(b: &[u8], p: usize) -> R<u16> {
    le(b, p).map(u16::from_le_bytes)
}

pub(super) fn u32_at(b: &[u8], p: usize) -> R<u32> {
    le(b, p).map(u32::from_le_bytes)
}

pub(super) fn u64_at(b: &[u8], p: usize) -> R<u64> {
    le(b, p).map(u64::from_le_bytes)
}

pub(super) fn utf16_str(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() / 2);
    push_utf16(&mut s, b);
    s
}

/// Appends UTF-16LE `b` (an odd last byte ignored, bad units as U+FFFD) to `out`, up to its
/// first NUL (a string ends there, as the renderer ends it), line ends as XML reads them (CR LF
/// and a lone CR become LF).
pub(super) fn push_utf16(out: &mut String, b: &[u8]) {
    let start = out.len();
    push_utf16_raw(out, b);
    if let Some(i) = out[start..].find('\0') {
        out.truncate(start + i);
    }
    if out[start..].contains('\r') {
        let text = out[start..].replace("\r\n", "\n").replace('\r', "\n");
        out.truncate(start);
        out.push_str(&text);
    }
}

/// Appends UTF-16LE `b` (an odd last byte ignored, bad units as U+FFFD) to `out`.
pub(super) fn push_utf16_raw(out: &mut String, b: &[u8]) {
    // Fast path: ASCII (every high byte zero).
    if b.len().is_multiple_of(2) && is_ascii_utf16(b) {
        push_ascii_units(out, A(b));
        return;
    }
    let units = b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]]));
    out.extend(char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')));
}

/// The data items of one record, in one reused buffer (no allocation per item).
#[derive(Debug, Default)]
pub(crate) struct Items {
    pub(super) buf: String,
    pub(super) ends: Vec<usize>,
}

impl Items {
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn clear(&mut self) {
        self.buf.clear();
        self.ends.clear();
    }

    pub(super) fn push_str(&mut self, s: &str) {
        self.buf.push_str(s);
        self.ends.push(self.buf.len());
    }

    pub(super) fn end_item(&mut self) {
        self.ends.push(self.buf.len());
    }

    /// The items, in order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(self.ends.iter().copied())
            .map(|(a, b)| &self.buf[a..b])
    }
}

/// Appends the item of one Data value. Arrays (types 0x81-0x95) are refused (the chunk goes to
/// the renderer): the renderer's expansion of them into items is not reproduced here.
pub(super) fn push_items(ty: u8, v: &[u8], items: &mut Items, cut: &mut bool) -> R<()> {
    if items.len() >= MAX_ITEMS {
        *cut = true;
        // Still refuse the types the fast path does not handle, as before.
        value_text(ty, v)?;
        return Ok(());
    }
    if ty == 0x01 {
        push_utf16(&mut items.buf, v);
        items.end_item();
        return Ok(());
    }
    items.push_str(&value_text(ty, v)?.unwrap_or_default());
    Ok(())
}

/// Renders a substitution value as text, for the types activation events use.
pub(super) fn value_text(ty: u8, v: &[u8]) -> R<Option<String>> {
    let int = |n: usize| -> R<u64> {
        let mut b = [0u8; 8];
        b[..n].copy_from_slice(v.get(..n).ok_or("short value")?);
        Ok(u64::from_le_bytes(b))
    };
    Ok(Some(match ty {
        0x00 => return Ok(None),
        0x01 => utf16_str(v),
        0x02 => {
            let mut s: String = v.iter().map(|&b| char::from(b)).collect();
            while s.ends_with('\0') {
                s.pop();
            }
            s
        }
        0x03 => (int(1)? as u8 as i8).to_string(),
        0x04 => int(1)?.to_string(),
        0x05 => (int(2)? as u16 as i16).to_string(),
        0x06 => int(2)?.to_string(),
        0x07 => (int(4)? as u32 as i32).to_string(),
        0x08 => int(4)?.to_string(),
        0x09 => (int(8)? as i64).to_string(),
        0x0A => int(8)?.to_string(),
        0x0D => (int(4)? != 0).to_string(),
        0x14 => format!("0x{:x}", int(4)?),
        0x15 => format!("0x{:x}", int(8)?),
        0x0F => {
            let g = v.get(..16).ok_or("short GUID")?;
            format!(
                "{{{:08X}-{:04X}-{:04X}-{:02X}{:02X}-{:02X}{:02X}{:02X}{:02X}{:02X}{:02X}}}",
                u32::from_le_bytes([g[0], g[1], g[2], g[3]]),
                u16::from_le_bytes([g[4], g[5]]),
                u16::from_le_bytes([g[6], g[7]]),
                g[8],
                g[9],
                g[10],
                g[11],
                g[12],
                g[13],
                g[14],
                g[15]
            )
        }
        _ => return Err("value type not handled by the fast path"),
    }))
}

/// The value types the `evtx` crate knows (MS-EVEN6: 0x00-0x15, handles, BinXML, EvtXml and
/// the arrays 0x81-0x95); a substitution of any other type makes it refuse the record.
pub(super) const VALUE_TYPES: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i <= 0x15 {
        t[i] = true;
        t[0x80 | i] = i != 0;
        i += 1;
    }
    t[0x20] = true;
    t[0x21] = true;
    t[0x23] = true;
    t
};

/// Whether a value of type `ty` may be `len` bytes long as far as the fast path is concerned:
/// a UTF-16 string of whole units, a fixed-size value of its size (anything else goes to the
/// renderer, which refuses some such values).
pub(super) fn size_fits(ty: u8, len: usize) -> bool {
    let want = match ty {
        0x01 => return len.is_multiple_of(2),
        0x03 | 0x04 => 1,
        0x05 | 0x06 => 2,
        0x07 | 0x08 | 0x0B | 0x0D | 0x14 => 4,
        0x09 | 0x0A | 0x0C | 0x11 | 0x15 => 8,
        0x0F | 0x12 => 16,
        _ => return true,
    };
    len == want
}

/// The latest FILETIME read as a time (the last the `evtx` crate's time type holds, as for
/// record headers); later ones go to the renderer.
pub(super) const MAX_FILETIME: u64 = MAX_HEADER_FILETIME;

/// The latest record-header FILETIME the `evtx` crate reads (its time type ends at
/// 9999-12-30 22:00:00.999999999 UTC); a later one ends its walk of the chunk.
pub(super) const MAX_HEADER_FILETIME: u64 =
    (253_402_207_200 + 11_644_473_600) * 10_000_000 + 9_999_999;

/// ASCII text held as UTF-16LE, every high byte checked to be zero: unit `i` is byte `2 * i`.
/// The lane parses the values where they are, without narrowing or copying them.
#[derive(Clone, Copy)]
pub(super) struct A<'a>(pub(super) &'a [u8]);

impl<'a> A<'a> {
    pub(super) fn len(self) -> usize {
        self.0.len() / 2
    }

    pub(super) fn is_empty(self) -> bool {
        self.0.len() < 2
    }

    pub(super) fn at(self, i: usize) -> u8 {
        self.0[2 * i]
    }

    pub(super) fn get(self, i: usize) -> Option<u8> {
        self.0.get(2 * i).copied()
    }

    pub(super) fn slice(self, from: usize, to: usize) -> A<'a> {
        A(&self.0[2 * from..2 * to])
    }

    pub(super) fn bytes(self) -> impl Iterator<Item = u8> + 'a {
        self.0.chunks_exact(2).map(|c| c[0])
    }

    pub(super) fn is(self, s: &[u8]) -> bool {
        self.len() == s.len() && self.bytes().zip(s).all(|(a, b)| a == *b)
    }
}

/// Appends UTF-16LE text already checked to be ASCII, narrowed through a stack buffer.
pub(super) fn push_ascii_units(out: &mut String, a: A<'_>) {
    let mut tmp = [0u8; 64];
    for part in a.0.chunks(2 * tmp.len()) {
        let n = part.len() / 2;
        for (d, c) in tmp.iter_mut().zip(part.chunks_exact(2)) {
            *d = c[0];
        }
        // Every byte is below 0x80, so this is valid UTF-8.
        out.push_str(std::str::from_utf8(&tmp[..n]).unwrap_or_default());
    }
}

/// Appends UTF-16LE text already checked to be ASCII as its bytes, four units at a time.
pub(super) fn push_ascii_bytes(out: &mut Vec<u8>, a: A<'_>) {
    out.reserve(a.len());
    let mut words = a.0.chunks_exact(8);
    for c in words.by_ref() {
        // Units u0 u1 u2 u3 (high bytes zero): OR-ing the word with itself shifted by a byte
        // puts u0 u1 at bytes 0-1 and u2 u3 at bytes 4-5.
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        let x = w | (w >> 8);
        let four = ((x & 0xFFFF) | ((x >> 16) & 0xFFFF_0000)) as u32;
        out.extend_from_slice(&four.to_le_bytes());
    }
    for c in words.remainder().chunks_exact(2) {
        out.push(c[0]);
    }
}

/// Whether every UTF-16LE unit of `b` (even length) is ASCII; eight bytes at a time.
pub(super) fn is_ascii_utf16(b: &[u8]) -> bool {
    let mut words = b.chunks_exact(8);
    let ok = words.by_ref().all(|c| {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        w & 0xFF80_FF80_FF80_FF80 == 0
    });
    ok && words
        .remainder()
        .chunks_exact(2)
        .all(|c| c[1] == 0 && c[0] < 0x80)
}
