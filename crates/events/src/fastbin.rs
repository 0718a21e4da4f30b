//! A fast path for the records of one EVTX chunk: reads the substitution values of each record's
//! template instance directly, without rendering XML.
//!
//! Windows writes every record as a template instance: the template (the `<Event>` tree with
//! placeholders) is defined once per chunk, and each record carries only its values. This module
//! walks each template definition once to learn which placeholder feeds `Provider/@Name`,
//! `EventID`, `Channel`, `Computer` and the `EventData/Data` (or `UserData`) items, then reads just
//! those values from each record. Non-activation records cost a few bounds-checked reads.
//!
//! Anything unusual (nested BinXML values, arrays, mixed content, unknown tokens, inconsistent
//! sizes) makes `read_chunk` return `Err`; the caller then reads the whole chunk with the `evtx`
//! crate instead, so the fast path never changes results, only speed.
//!
//! Host requests (12290) whose data items are string values go through a typed lane
//! (`lane_12290`): fields parsed where they are in the UTF-16 values, CMID and Activation ID as
//! 128-bit values, no allocation. It declines anything unusual, and the record is then typed
//! through its data items and `parse_data` like every other event; property tests check that it
//! types exactly as `parse_data` does.

use std::borrow::Cow;
use std::collections::HashMap;

use volact_core::event::{TYPED_IDS, Timestamp, is_activation_provider};

use crate::guid::{join, split};
use crate::xml::MAX_ITEMS;
#[cfg(test)]
use crate::xml::RawEvent;

/// Where a field's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Src {
    Lit(String),
    Sub(u16),
}

#[derive(Debug, Default)]
struct Template {
    provider: Option<Src>,
    source_name: Option<Src>,
    event_id: Option<Src>,
    /// `TimeCreated/@SystemTime`: the event's time as the renderer writes it (the record
    /// header's copy is not used: on damaged records the two may differ).
    time: Option<Src>,
    channel: Option<Src>,
    computer: Option<Src>,
    data: Vec<Src>,
    /// A substitution of type BinXml (0x21) holding the whole `EventData` / `UserData`, as
    /// classic events (Security-SPP, Security-Licensing-SLC) are logged by Windows.
    nested: Option<u16>,
    /// Whether the provider is an activation provider, when the template names it literally
    /// (checked once per template instead of once per record).
    provider_activation: Option<bool>,
    /// When the data items are the substitutions `first..first + count` in order and nothing is
    /// nested (as 12290 is logged): the lane takes them as one run of adjacent values.
    data_run: Option<(u16, u16)>,
}

impl Template {
    /// The [`Template::data_run`] of this template's fields.
    fn data_run(&self) -> Option<(u16, u16)> {
        if self.nested.is_some() || self.data.is_empty() || self.data.len() > MAX_LANE_ITEMS {
            return None;
        }
        let Some(Src::Sub(first)) = self.data.first() else {
            return None;
        };
        let consecutive = self
            .data
            .iter()
            .zip(*first..)
            .all(|(d, i)| *d == Src::Sub(i));
        consecutive.then_some((*first, self.data.len() as u16))
    }
}

/// One record read by the fast path.
#[cfg(test)]
pub(crate) enum FastRecord {
    /// Not an activation record (provider or ID).
    Other,
    /// A candidate activation record.
    Raw(RawEvent),
}

type R<T> = Result<T, &'static str>;

/// A chunk's templates by offset (hashed with the analyzer's Fx hasher: looked up per record).
type Templates = HashMap<u32, Template, crate::guid::FxBuild>;

fn u8_at(b: &[u8], p: usize) -> R<u8> {
    b.get(p).copied().ok_or("out of bounds")
}
/// The `N` bytes at `p`.
fn le<const N: usize>(b: &[u8], p: usize) -> R<[u8; N]> {
    b.get(p..p + N)
        .ok_or("out of bounds")?
        .try_into()
        .map_err(|_| "bounds")
}
fn u16_at(b: &[u8], p: usize) -> R<u16> {
    le(b, p).map(u16::from_le_bytes)
}
fn u32_at(b: &[u8], p: usize) -> R<u32> {
    le(b, p).map(u32::from_le_bytes)
}
fn u64_at(b: &[u8], p: usize) -> R<u64> {
    le(b, p).map(u64::from_le_bytes)
}

fn utf16_str(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() / 2);
    push_utf16(&mut s, b);
    s
}

/// Appends UTF-16LE `b` (an odd last byte ignored, bad units as U+FFFD) to `out`, up to its
/// first NUL (a string ends there, as the renderer ends it), line ends as XML reads them (CR LF
/// and a lone CR become LF).
fn push_utf16(out: &mut String, b: &[u8]) {
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
fn push_utf16_raw(out: &mut String, b: &[u8]) {
    // Fast path: ASCII (every high byte zero).
    if b.len().is_multiple_of(2) && is_ascii_utf16(b) {
        push_ascii_units(out, A(b));
        return;
    }
    let units = b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]]));
    out.extend(char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')));
}

/// Appends UTF-16LE text already checked to be ASCII, narrowed through a stack buffer.
fn push_ascii_units(out: &mut String, a: A<'_>) {
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
fn push_ascii_bytes(out: &mut Vec<u8>, a: A<'_>) {
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
fn is_ascii_utf16(b: &[u8]) -> bool {
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

/// The data items of one record, in one reused buffer (no allocation per item).
#[derive(Debug, Default)]
pub(crate) struct Items {
    buf: String,
    ends: Vec<usize>,
}

impl Items {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn clear(&mut self) {
        self.buf.clear();
        self.ends.clear();
    }

    fn push_str(&mut self, s: &str) {
        self.buf.push_str(s);
        self.ends.push(self.buf.len());
    }

    fn end_item(&mut self) {
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

/// The name stored at chunk offset `off`: next(4) hash(2) count(2) UTF-16.
fn name_at(chunk: &[u8], off: usize) -> R<(String, usize)> {
    let n = usize::from(u16_at(chunk, off + 6)?);
    let bytes = chunk
        .get(off + 8..off + 8 + 2 * n)
        .ok_or("name out of bounds")?;
    Ok((utf16_str(bytes), 8 + 2 * n + 2))
}

/// Reads a name reference at `p`; returns the name and the new position (skipping an inline name).
fn name_ref(chunk: &[u8], p: usize) -> R<(String, usize)> {
    let off = u32_at(chunk, p)? as usize;
    let (name, len) = name_at(chunk, off)?;
    let next = p + 4;
    Ok((name, if off == next { next + len } else { next }))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    None,
    Attr,
}

fn parse_template(chunk: &[u8], def: usize) -> R<Template> {
    let size = u32_at(chunk, def + 20)? as usize;
    let start = def + 24;
    let end = start.checked_add(size).ok_or("size")?;
    if end > chunk.len() {
        return Err("template out of bounds");
    }
    let mut t = Template::default();
    let mut stack: Vec<String> = Vec::new();
    let mut attr = String::new();
    let mut ctx = Ctx::None;
    let mut pieces_in_element = 0u32;
    let mut p = start;
    let assign = |t: &mut Template, stack: &[String], attr: &str, ctx: Ctx, src: Src| -> R<()> {
        let el = stack.last().map(String::as_str).unwrap_or("");
        let parent = stack
            .len()
            .checked_sub(2)
            .and_then(|i| stack.get(i))
            .map(String::as_str);
        let in_user_data = stack.iter().any(|s| s == "UserData");
        match (ctx, el, attr) {
            (Ctx::Attr, "Provider", "Name") => t.provider = Some(src),
            (Ctx::Attr, "Provider", "EventSourceName") => t.source_name = Some(src),
            (Ctx::Attr, "TimeCreated", "SystemTime") => t.time = Some(src),
            (Ctx::Attr, _, _) => {}
            (Ctx::None, "EventID", _) if parent == Some("System") => t.event_id = Some(src),
            (Ctx::None, "Channel", _) if parent == Some("System") => t.channel = Some(src),
            (Ctx::None, "Computer", _) if parent == Some("System") => t.computer = Some(src),
            (Ctx::None, "Data", _) if parent == Some("EventData") => t.data.push(src),
            (Ctx::None, _, _) if in_user_data && el != "UserData" => t.data.push(src),
            (Ctx::None, _, _) if parent == Some("EventData") || el == "EventData" => {
                // Other EventData content (e.g. <Binary>): not an item.
            }
            _ => {}
        }
        Ok(())
    };
    while p < end {
        let tok = u8_at(chunk, p)?;
        match tok {
            0x00 => break,
            0x0F => p += 4,
            0x01 | 0x41 => {
                let (name, np) = name_ref(chunk, p + 7)?;
                p = np;
                if tok == 0x41 {
                    p += 4;
                }
                stack.push(name);
                ctx = Ctx::None;
                pieces_in_element = 0;
            }
            0x02 => {
                p += 1;
                ctx = Ctx::None;
            }
            0x03 | 0x04 => {
                p += 1;
                stack.pop();
                ctx = Ctx::None;
                pieces_in_element = 0;
            }
            0x06 | 0x46 => {
                let (name, np) = name_ref(chunk, p + 1)?;
                attr = name;
                ctx = Ctx::Attr;
                p = np;
            }
            0x05 | 0x45 => {
                let ty = u8_at(chunk, p + 1)?;
                if ty != 0x01 {
                    return Err("literal value of a non-string type");
                }
                let n = usize::from(u16_at(chunk, p + 2)?);
                let s = utf16_str(
                    chunk
                        .get(p + 4..p + 4 + 2 * n)
                        .ok_or("literal out of bounds")?,
                );
                p += 4 + 2 * n;
                if ctx == Ctx::None {
                    pieces_in_element += 1;
                    if pieces_in_element > 1 {
                        return Err("mixed element content");
                    }
                }
                assign(&mut t, &stack, &attr, ctx, Src::Lit(s))?;
                if ctx == Ctx::Attr {
                    ctx = Ctx::None;
                }
            }
            0x0D | 0x0E => {
                let id = u16_at(chunk, p + 1)?;
                let ty = u8_at(chunk, p + 3)?;
                p += 4;
                if ty == 0x21 {
                    // Nested BinXML where the event data goes; elsewhere it feeds nothing we read.
                    let el = stack.last().map(String::as_str);
                    if ctx == Ctx::None && matches!(el, Some("Event" | "EventData" | "UserData")) {
                        if t.nested.is_some() {
                            return Err("two nested BinXML values");
                        }
                        t.nested = Some(id);
                    }
                    if ctx == Ctx::Attr {
                        ctx = Ctx::None;
                    }
                    continue;
                }
                // Arrays and other types are only a problem if a field we read uses them:
                // `value_text` refuses them then, and the chunk goes to the slow path.
                if ctx == Ctx::None {
                    pieces_in_element += 1;
                    if pieces_in_element > 1 {
                        return Err("mixed element content");
                    }
                }
                assign(&mut t, &stack, &attr, ctx, Src::Sub(id))?;
                if ctx == Ctx::Attr {
                    ctx = Ctx::None;
                }
            }
            0x07 | 0x47 => {
                let n = usize::from(u16_at(chunk, p + 1)?);
                p += 3 + 2 * n;
                pieces_in_element += 1;
            }
            0x08 | 0x48 => {
                p += 3;
                pieces_in_element += 1;
            }
            0x09 | 0x49 => {
                let (_, np) = name_ref(chunk, p + 1)?;
                p = np;
                pieces_in_element += 1;
            }
            0x0A => {
                let (_, np) = name_ref(chunk, p + 1)?;
                p = np;
            }
            0x0B => {
                let n = usize::from(u16_at(chunk, p + 1)?);
                p += 3 + 2 * n;
            }
            _ => return Err("unknown token in template"),
        }
    }
    Ok(t)
}

/// Reads the `Data` texts (or `UserData` leaf texts) of a nested BinXML fragment (elements
/// without dependency identifiers, literal values). Returns whether items were cut.
fn parse_nested(
    chunk: &[u8],
    start: usize,
    len: usize,
    items: &mut Items,
    templates: &mut Templates,
) -> R<bool> {
    let end = start.checked_add(len).ok_or("size")?;
    if end > chunk.len() {
        return Err("nested value out of bounds");
    }
    // (name, has child elements)
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut text = String::new();
    let mut in_attr = false;
    let mut cut = false;
    let mut p = start;
    while p < end {
        let tok = u8_at(chunk, p)?;
        match tok {
            0x00 => break,
            0x0F => p += 4,
            0x01 | 0x41 => {
                let (name, np) = name_ref(chunk, p + 5)?;
                p = np + if tok == 0x41 { 4 } else { 0 };
                if let Some(top) = stack.last_mut() {
                    top.1 = true;
                }
                stack.push((name, false));
                text.clear();
                in_attr = false;
            }
            0x02 => {
                p += 1;
                in_attr = false;
            }
            0x03 | 0x04 => {
                p += 1;
                in_attr = false;
                let Some((name, has_child)) = stack.pop() else {
                    return Err("unbalanced nested BinXML");
                };
                let parent = stack.last().map(|(n, _)| n.as_str());
                let in_user_data = stack.iter().any(|(n, _)| n == "UserData");
                let is_item = (name == "Data" && parent == Some("EventData"))
                    || (in_user_data && !has_child && name != "UserData");
                if is_item {
                    if items.len() < MAX_ITEMS {
                        items.push_str(&text);
                    } else {
                        cut = true;
                    }
                }
                text.clear();
            }
            0x06 | 0x46 => {
                let (_, np) = name_ref(chunk, p + 1)?;
                p = np;
                in_attr = true;
            }
            0x05 | 0x45 => {
                let ty = u8_at(chunk, p + 1)?;
                if ty != 0x01 {
                    return Err("nested literal of a non-string type");
                }
                let n = usize::from(u16_at(chunk, p + 2)?);
                let bytes = chunk
                    .get(p + 4..p + 4 + 2 * n)
                    .ok_or("literal out of bounds")?;
                p += 4 + 2 * n;
                if in_attr {
                    in_attr = false;
                } else if text.len() < crate::xml::MAX_ITEM_TEXT {
                    push_utf16(&mut text, bytes);
                }
            }
            0x07 | 0x47 => {
                let n = usize::from(u16_at(chunk, p + 1)?);
                let bytes = chunk
                    .get(p + 3..p + 3 + 2 * n)
                    .ok_or("CDATA out of bounds")?;
                p += 3 + 2 * n;
                push_utf16(&mut text, bytes);
            }
            0x08 | 0x48 => {
                let c = u16_at(chunk, p + 1)?;
                p += 3;
                text.push(char::from_u32(u32::from(c)).unwrap_or('\u{FFFD}'));
            }
            0x09 | 0x49 => {
                let (name, np) = name_ref(chunk, p + 1)?;
                p = np;
                text.push(match name.as_str() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => return Err("unknown entity"),
                });
            }
            0x0C => {
                // A nested template instance (how Windows logs classic events' EventData).
                let def = u32_at(chunk, p + 6)? as usize;
                let mut q = p + 10;
                if def == q {
                    q += 24 + u32_at(chunk, q + 20)? as usize;
                }
                let t = match templates.entry(def as u32) {
                    std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        let t = parse_template(chunk, def)?;
                        if t.nested.is_some() {
                            return Err("doubly nested BinXML");
                        }
                        v.insert(t)
                    }
                };
                let count = u32_at(chunk, q)? as usize;
                q += 4;
                if count > 4096 || q + 4 * count > end {
                    return Err("nested substitution count");
                }
                let mut v = q + 4 * count;
                let mut vals: Vec<(u8, usize, usize)> = Vec::with_capacity(count);
                for i in 0..count {
                    let len = usize::from(u16_at(chunk, q + 4 * i)?);
                    vals.push((u8_at(chunk, q + 4 * i + 2)?, v, len));
                    v += len;
                }
                if v > end {
                    return Err("nested values out of bounds");
                }
                for d in &t.data {
                    match d {
                        Src::Lit(l) => {
                            if items.len() < MAX_ITEMS {
                                items.push_str(l);
                            } else {
                                cut = true;
                            }
                        }
                        Src::Sub(i) => match vals.get(usize::from(*i)) {
                            Some(&(ty, s0, l)) => {
                                push_items(ty, &chunk[s0..s0 + l], items, &mut cut)?;
                            }
                            None => push_items(0x01, &[], items, &mut cut)?,
                        },
                    }
                }
                p = v;
            }
            _ => return Err("unexpected token in nested BinXML"),
        }
    }
    Ok(cut)
}

/// Appends the item of one Data value. Arrays (types 0x81-0x95) are refused (the chunk goes to
/// the renderer): the renderer's expansion of them into items is not reproduced here.
fn push_items(ty: u8, v: &[u8], items: &mut Items, cut: &mut bool) -> R<()> {
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
fn value_text(ty: u8, v: &[u8]) -> R<Option<String>> {
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

/// One record as the walker sees it.
enum Rec<'a> {
    /// Not an activation record (provider or ID).
    Other,
    /// A candidate activation record.
    Raw(RecView<'a>),
    /// A 12290 typed by the lane (its client name is in the batch's `names`).
    Host(HostRec),
}

/// The event ID of a host's activation request.
const HOST_REQUEST_ID: u32 = 12290;

/// A 12290 host request typed straight from its UTF-16 values, without allocating: what
/// `parse_data` would make of it, with the CMID and Activation ID as 128-bit values and the
/// client name kept in the batch's name buffer.
///
/// Packed (80 bytes, no 16-byte alignment): which optional fields are present is in `has`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HostRec {
    /// Event time (seconds since 1970, UTC).
    time: i64,
    /// Client timestamp (seconds since 1970, as written: no zone).
    client_time: i64,
    minutes: u64,
    cmid: [u64; 2],
    activation_id: [u64; 2],
    code: u32,
    min_count: u32,
    state: u32,
    /// Start and end of the client name in the batch's name buffer.
    name: [u32; 2],
    vm: bool,
    /// Which of the optional fields are present (`HAS_*`).
    has: u8,
}

const HAS_MIN_COUNT: u8 = 1;
const HAS_NAME: u8 = 2;
const HAS_CMID: u8 = 4;
const HAS_CLIENT_TIME: u8 = 8;
const HAS_VM: u8 = 16;
const HAS_STATE: u8 = 32;
const HAS_MINUTES: u8 = 64;
const HAS_ACTIVATION_ID: u8 = 128;

/// The fields of a [`HostRec`], unpacked.
struct HostFields {
    time: i64,
    code: u32,
    min_count: Option<u32>,
    name: Option<(u32, u32)>,
    cmid: Option<u128>,
    client_time: Option<Timestamp>,
    vm: Option<bool>,
    state: Option<u32>,
    minutes: Option<u64>,
    activation_id: Option<u128>,
}

impl HostRec {
    fn pack(f: &HostFields) -> Self {
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

    fn has(&self, b: u8) -> bool {
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

/// What the fast path makes of one record.
#[derive(Debug)]
pub(crate) enum Item {
    /// Not an activation event (provider or ID).
    Other,
    /// Typed as [`crate::xml::RawEvent::into_event`] would type it (boxed: rarer than the
    /// other two, and much larger).
    Ev(Box<Result<volact_core::event::Event, crate::xml::Unused>>),
    /// A 12290 typed by the lane.
    Host(HostRec),
}

/// The records of one chunk, typed; reused from chunk to chunk.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    /// One per record, in order.
    pub(crate) items: Vec<Item>,
    /// The client names of the [`Item::Host`] items (ASCII).
    pub(crate) names: Vec<u8>,
}

impl Batch {
    /// Empties the batch, keeping its memory.
    pub(crate) fn clear(&mut self) {
        self.items.clear();
        self.names.clear();
    }
}

/// ASCII text held as UTF-16LE, every high byte checked to be zero: unit `i` is byte `2 * i`.
/// The lane parses the values where they are, without narrowing or copying them.
#[derive(Clone, Copy)]
struct A<'a>(&'a [u8]);

impl<'a> A<'a> {
    fn len(self) -> usize {
        self.0.len() / 2
    }

    fn is_empty(self) -> bool {
        self.0.len() < 2
    }

    fn at(self, i: usize) -> u8 {
        self.0[2 * i]
    }

    fn get(self, i: usize) -> Option<u8> {
        self.0.get(2 * i).copied()
    }

    fn slice(self, from: usize, to: usize) -> A<'a> {
        A(&self.0[2 * from..2 * to])
    }

    fn bytes(self) -> impl Iterator<Item = u8> + 'a {
        self.0.chunks_exact(2).map(|c| c[0])
    }

    fn is(self, s: &[u8]) -> bool {
        self.len() == s.len() && self.bytes().zip(s).all(|(a, b)| a == *b)
    }
}

/// White space as `str::trim` sees it, within ASCII.
fn is_ws(b: u8) -> bool {
    b <= b' ' && (b == b' ' || (b'\t'..=b'\r').contains(&b))
}

fn trim(s: A<'_>) -> A<'_> {
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
fn looks_hresult(s: A<'_>) -> bool {
    let s = trim(s);
    s.len() > 2
        && s.len() <= 10
        && s.at(0) == b'0'
        && (s.at(1) | 0x20) == b'x'
        && s.slice(2, s.len()).bytes().all(|b| b.is_ascii_hexdigit())
}

/// An unsigned decimal number of digits only; `None` when it is not one (or overflows).
fn lane_num(s: A<'_>, max: u64) -> Option<u64> {
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
fn digits_at(s: A<'_>, i: &mut usize) -> Option<u32> {
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
fn lane_time(s: A<'_>, day: &mut Option<DayMemo>) -> Option<Timestamp> {
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
fn time_of_day(s: A<'_>, i: &mut usize) -> Option<(u32, u32, u32)> {
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
fn word(b: &[u8], k: usize) -> u64 {
    b.get(8 * k..8 * k + 8)
        .and_then(|c| <[u8; 8]>::try_from(c).ok())
        .map_or(0, u64::from_le_bytes)
}

/// The date text [`lane_time`] read last (`YYYY/M/D `, as UTF-16LE in the first 24 bytes, compared
/// under `mask`) and its day number: the requests of a chunk are mostly from one day.
#[derive(Clone, Copy, Default)]
struct DayMemo {
    prefix: [u64; 3],
    mask: [u64; 3],
    /// Units of the date text, the space included.
    units: u8,
    days: i64,
}

impl DayMemo {
    /// The memo of the first `units` units of `s` (`None` when they do not fit in 24 bytes).
    fn new(s: A<'_>, units: usize, days: i64) -> Option<Self> {
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
struct LaneCache {
    guids: GuidCache,
    day: Option<DayMemo>,
}

/// A GUID field as `normalise_guid` reads it, when it is a GUID: `Ok(None)` when empty,
/// `Err` when it is something else (the record then goes the general way).
/// The last GUIDs the lane read, by their UTF-16 text: a chunk's requests carry a handful of
/// Activation IDs, so most are found here instead of being parsed again.
struct GuidCache {
    entries: [([u8; 72], u128); 4],
    /// The last eight bytes of each entry's text, compared first (GUIDs differ there).
    tails: [u64; 4],
    /// Entries in use.
    filled: usize,
    next: usize,
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
    fn get(&mut self, s: A<'_>) -> Result<Option<u128>, ()> {
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

fn lane_guid(s: A<'_>) -> Result<Option<u128>, ()> {
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
fn ascii_without_comma(b: &[u8]) -> bool {
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
fn lane_12290(
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
    for (item, b) in items.iter_mut().zip(raw) {
        if !checked && !ascii_without_comma(b) {
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
fn lane_record(
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
        let (Some(&(_, from, _)), Some(&(_, at, len))) = (run.first(), run.last()) else {
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

/// Data items the lane takes (a 12290 has nine, ten with Windows' `Data[0]`).
const MAX_LANE_ITEMS: usize = 10;

/// The fields of a candidate activation record; `items` borrows the walker's reused buffer.
struct RecView<'a> {
    provider: Option<Cow<'a, str>>,
    id: Option<u32>,
    time: Timestamp,
    record_id: u64,
    channel: Option<Cow<'a, str>>,
    computer: Option<Cow<'a, str>>,
    items: &'a Items,
    #[cfg_attr(not(test), allow(dead_code))]
    items_cut: bool,
}

/// Reads the records of one chunk; `Err` means "use the slow path for this chunk".
#[cfg(test)]
pub(crate) fn read_chunk(chunk: &[u8], free_space: usize) -> R<Vec<FastRecord>> {
    let mut out = Vec::new();
    walk_chunk(chunk, free_space, None, |r| {
        out.push(match r {
            Rec::Other | Rec::Host(_) => FastRecord::Other,
            Rec::Raw(v) => FastRecord::Raw(RawEvent {
                provider: v.provider.map(Cow::into_owned),
                id: v.id,
                time: Some(v.time),
                record_id: Some(v.record_id),
                channel: v.channel.map(Cow::into_owned),
                computer: v.computer.map(Cow::into_owned),
                items: v.items.iter().map(str::to_owned).collect(),
                items_cut: v.items_cut,
            }),
        });
    })?;
    Ok(out)
}

/// Reads and types the records of one chunk (as [`crate::xml::RawEvent::into_event`] would
/// type them); `Err` means "use the slow path for this chunk".
/// The events are appended to `out` (a vector reused from chunk to chunk); on `Err` it may hold
/// some of the chunk's records.
/// With `lane`, 12290 requests with the usual layout are typed by the allocation-free lane
/// ([`Item::Host`]); without it, every record is typed the general way (tests compare both).
pub(crate) fn read_chunk_items(
    chunk: &[u8],
    free_space: usize,
    out: &mut Batch,
    lane: bool,
) -> R<()> {
    let Batch { items, names } = out;
    walk_chunk(chunk, free_space, lane.then_some(names), |r| {
        items.push(match r {
            Rec::Other => Item::Other,
            Rec::Host(h) => Item::Host(h),
            Rec::Raw(v) => {
                let mut strs = [""; MAX_ITEMS];
                let mut n = 0;
                for (slot, it) in strs.iter_mut().zip(v.items.iter()) {
                    *slot = it;
                    n += 1;
                }
                Item::Ev(Box::new(lean_event(v, &strs[..n])))
            }
        });
    })
}

/// Types one record as [`crate::xml::make_event`] does, but leaves out the provider, channel and
/// computer of 12290 host requests: the analyzer never reads them for those (it reads the data
/// and the time), and copying three strings per record is a large share of the cost of a host
/// log. Every other event keeps them.
fn lean_event(
    v: RecView<'_>,
    items: &[&str],
) -> Result<volact_core::event::Event, crate::xml::Unused> {
    use crate::xml::Unused;
    use volact_core::event::{Event, EventData};
    let id = v.id.ok_or(Unused::NoId)?;
    let typed = TYPED_IDS.contains(&id);
    match v.provider.as_deref().map(is_activation_provider) {
        Some(true) => {}
        None if typed => {}
        _ => return Err(Unused::NotActivation),
    }
    let data = volact_core::event::parse_data(id, items).map_err(Unused::Bad)?;
    let keep = !matches!(data, EventData::HostRequest(_));
    let own = |c: Option<Cow<'_, str>>| if keep { c.map(Cow::into_owned) } else { None };
    Ok(Event {
        id,
        provider: own(v.provider),
        channel: own(v.channel),
        computer: own(v.computer),
        time: Some(v.time),
        record_id: Some(v.record_id),
        data,
    })
}

/// The text of a template field for one record (`sizes`: type, start, length of each value);
/// template literals are borrowed, not copied.
fn field<'t>(
    sizes: &[(u8, usize, usize)],
    chunk: &[u8],
    src: &'t Option<Src>,
) -> R<Option<Cow<'t, str>>> {
    match src {
        None => Ok(None),
        Some(Src::Lit(s)) => Ok(Some(Cow::Borrowed(s.as_str()))),
        Some(Src::Sub(i)) => match sizes.get(usize::from(*i)) {
            None => Ok(None),
            Some(&(ty, start, len)) => {
                Ok(value_text(ty, &chunk[start..start + len])?.map(Cow::Owned))
            }
        },
    }
}

/// The value types the `evtx` crate knows (MS-EVEN6: 0x00-0x15, handles, BinXML, EvtXml and
/// the arrays 0x81-0x95); a substitution of any other type makes it refuse the record.
const VALUE_TYPES: [bool; 256] = {
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
fn size_fits(ty: u8, len: usize) -> bool {
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
const MAX_FILETIME: u64 = MAX_HEADER_FILETIME;

/// The latest record-header FILETIME the `evtx` crate reads (its time type ends at
/// 9999-12-30 22:00:00.999999999 UTC); a later one ends its walk of the chunk.
const MAX_HEADER_FILETIME: u64 = (253_402_207_200 + 11_644_473_600) * 10_000_000 + 9_999_999;

/// The event's time (seconds since 1970) from its `TimeCreated/@SystemTime` value, as the
/// renderer writes it; `Err` (the renderer reads the chunk) when it is not a FILETIME value.
fn event_time(t: &Template, sizes: &[(u8, usize, usize)], chunk: &[u8]) -> R<i64> {
    let Some(Src::Sub(i)) = &t.time else {
        return Err("event time not a substitution");
    };
    match sizes.get(usize::from(*i)) {
        Some(&(0x11, start, 8)) => {
            let ft = u64_at(chunk, start)?;
            if ft > MAX_FILETIME {
                return Err("event time out of range");
            }
            Ok((ft / 10_000_000) as i64 - 11_644_473_600)
        }
        _ => Err("event time not a FILETIME value"),
    }
}

/// Walks the records of one chunk, calling `f` for each.
/// With `lane` (the batch's name buffer), 12290 requests the lane can type come as
/// [`Rec::Host`].
fn walk_chunk(
    chunk: &[u8],
    free_space: usize,
    mut lane: Option<&mut Vec<u8>>,
    mut f: impl FnMut(Rec<'_>),
) -> R<()> {
    let end = free_space.min(chunk.len());
    let last_id = u64_at(chunk, 32).ok();
    // The chunk's templates, parsed once each, and where each one's definition is.
    let mut parsed: Vec<Template> = Vec::new();
    let mut templates: HashMap<u32, usize, crate::guid::FxBuild> = HashMap::default();
    let mut last: Option<(usize, usize)> = None;
    let mut nested_templates: Templates = HashMap::default();
    let mut items = Items::default();
    let mut p = 512usize;
    let mut sizes: Vec<(u8, usize, usize)> = Vec::with_capacity(32); // (type, start, len)
    let mut lane_cache = LaneCache::default();
    // The `evtx` crate walks while a record starts before the free-space offset (its header may
    // run past it); anything this walk does not read exactly as that one goes to the renderer.
    while p < end {
        if p + 24 > end {
            return Err("record header past the free space");
        }
        if u32_at(chunk, p)? != 0x0000_2a2a {
            return Err("record magic");
        }
        // The `evtx` crate ends the chunk at a record whose header time it cannot hold.
        if u64_at(chunk, p + 16)? > MAX_HEADER_FILETIME {
            return Err("record header time out of range");
        }
        let size = u32_at(chunk, p + 4)? as usize;
        if size < 28 || p + size > end || u32_at(chunk, p + size - 4)? as usize != size {
            return Err("record size");
        }
        let record_id = u64_at(chunk, p + 8)?;
        let rec_end = p + size - 4;
        let mut q = p + 24;
        if u8_at(chunk, q)? != 0x0F {
            return Err("no fragment header");
        }
        q += 4;
        if u8_at(chunk, q)? != 0x0C {
            return Err("not a template instance");
        }
        let def = u32_at(chunk, q + 6)? as usize;
        q += 10;
        if def == q {
            let dsize = u32_at(chunk, q + 20)? as usize;
            q += 24 + dsize;
        }
        // Most records of a chunk use the template the previous one used: found without a lookup.
        let at = match last {
            Some((d, i)) if d == def => i,
            _ => {
                let i = match templates.entry(def as u32) {
                    std::collections::hash_map::Entry::Occupied(e) => *e.get(),
                    std::collections::hash_map::Entry::Vacant(v) => {
                        let mut t = parse_template(chunk, def)?;
                        if t.event_id.is_none() {
                            return Err("template without EventID");
                        }
                        if let Some(Src::Lit(p)) = &t.provider
                            && !p.is_empty()
                        {
                            t.provider_activation = Some(is_activation_provider(p));
                        }
                        t.data_run = t.data_run();
                        parsed.push(t);
                        *v.insert(parsed.len() - 1)
                    }
                };
                last = Some((def, i));
                i
            }
        };
        let t = &parsed[at];
        let count = u32_at(chunk, q)? as usize;
        q += 4;
        if count > 4096 || q + 4 * count > rec_end {
            return Err("substitution count");
        }
        sizes.clear();
        let mut v = q + 4 * count;
        let desc = chunk.get(q..q + 4 * count).ok_or("out of bounds")?;
        let mut unknown = false;
        sizes.extend(desc.chunks_exact(4).map(|d| {
            let len = usize::from(u16::from_le_bytes([d[0], d[1]]));
            let start = v;
            v += len;
            unknown |= !VALUE_TYPES[usize::from(d[2])] || !size_fits(d[2], len);
            (d[2], start, len)
        }));
        if v > rec_end {
            return Err("values out of the record");
        }
        // What the renderer refuses: a value type it does not know, or anything but the end of
        // the stream after the values.
        if unknown {
            return Err("value of an unknown type");
        }
        if v < rec_end && chunk[v] != 0 {
            return Err("bytes after the values");
        }
        let provider = match field(&sizes, chunk, &t.provider)? {
            Some(p) if !p.is_empty() => Some(p),
            _ => field(&sizes, chunk, &t.source_name)?.filter(|s| !s.is_empty()),
        };
        let id: Option<u32> = match &t.event_id {
            // The usual case: a 16-bit integer substitution, read without text.
            Some(Src::Sub(i))
                if sizes
                    .get(usize::from(*i))
                    .is_some_and(|&(ty, _, len)| ty == 0x06 && len >= 2) =>
            {
                let (_, start, _) = sizes[usize::from(*i)];
                Some(u32::from(u16::from_le_bytes([
                    chunk[start],
                    chunk[start + 1],
                ])))
            }
            src => field(&sizes, chunk, src)?.and_then(|s| s.trim().parse().ok()),
        };
        let activation = match (&provider, id) {
            (Some(_), _) if t.provider_activation.is_some() => t.provider_activation == Some(true),
            (Some(p), _) => is_activation_provider(p),
            (None, Some(id)) => TYPED_IDS.contains(&id),
            (None, None) => true, // let the slow path's reader decide (no ID: counted as such)
        };
        if !activation {
            f(Rec::Other);
            p += size;
            if Some(record_id) == last_id {
                break;
            }
            continue;
        }
        let secs = event_time(t, &sizes, chunk)?;
        if let Some(names) = lane.as_deref_mut()
            && id == Some(HOST_REQUEST_ID)
            && let Some(h) = lane_record(chunk, t, &sizes, secs, names, &mut lane_cache)
        {
            f(Rec::Host(h));
        } else {
            items.clear();
            let mut nested_cut = false;
            for d in &t.data {
                match d {
                    Src::Lit(l) => {
                        if items.len() < MAX_ITEMS {
                            items.push_str(l);
                        } else {
                            nested_cut = true;
                        }
                    }
                    Src::Sub(i) => match sizes.get(usize::from(*i)) {
                        Some(&(ty, start, len)) => {
                            push_items(
                                ty,
                                &chunk[start..start + len],
                                &mut items,
                                &mut nested_cut,
                            )?;
                        }
                        None => push_items(0x01, &[], &mut items, &mut nested_cut)?,
                    },
                }
            }
            if let Some(n) = t.nested
                && let Some(&(ty, start, len)) = sizes.get(usize::from(n))
            {
                match ty {
                    0x00 => {}
                    0x21 => {
                        nested_cut =
                            parse_nested(chunk, start, len, &mut items, &mut nested_templates)?;
                    }
                    _ => return Err("event data of an unexpected type"),
                }
            }
            f(Rec::Raw(RecView {
                provider,
                id,
                time: Timestamp::from_unix(secs, true),
                record_id,
                channel: field(&sizes, chunk, &t.channel)?.filter(|s| !s.is_empty()),
                computer: field(&sizes, chunk, &t.computer)?.filter(|s| !s.is_empty()),
                items_cut: t.data.len() > MAX_ITEMS || nested_cut,
                items: &items,
            }));
        }
        p += size;
        // The header's last record ends the chunk, as the `evtx` crate's walk ends it.
        if Some(record_id) == last_id {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real Application log's classic Security-SPP events carry string arrays (type 0x81)
    /// in their EventData: the fast path refuses such a chunk, so the renderer reads it and every
    /// read mode gives one report (`robustness.rs::application_log_with_wrong_crcs_gives_its_spp_codes_and_a_warning`
    /// checks what the renderer makes of it: 17 records, the 1003 codes).
    #[test]
    fn real_classic_events_with_string_arrays_go_to_the_renderer() {
        let p = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/evtx/Application_no_crc32.evtx"
        );
        let p = std::env::var("VOLACT_SHARED_DATA")
            .map(|d| format!("{d}/evtx/Application_no_crc32.evtx"))
            .unwrap_or_else(|_| p.to_owned());
        let Ok(bytes) = std::fs::read(&p) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but {p} is missing"
            );
            eprintln!("skipping: {p} not found");
            return;
        };
        let chunk = &bytes[4096..4096 + 65_536];
        let free = u32::from_le_bytes(chunk[48..52].try_into().unwrap()) as usize;
        assert_eq!(
            read_chunk(chunk, free).err(),
            Some("value type not handled by the fast path")
        );
    }

    /// A KMS host log as the EVTX writer lays it out goes through the fast path: every record is
    /// a candidate activation record of the KMS provider.
    #[test]
    fn generated_host_records_use_the_fast_path() {
        use volact_testsupport::evtx::kms::{HostLog, HostLogSpec};
        let spec = HostLogSpec {
            clients: 5,
            max_records: Some(40),
            ..HostLogSpec::default()
        };
        let events: Vec<_> = HostLog::new(spec).map(|(e, _)| e).collect();
        let bytes = volact_testsupport::evtx::to_bytes(&events);
        let chunk = &bytes[4096..4096 + 65_536];
        let free = u32::from_le_bytes(chunk[48..52].try_into().unwrap()) as usize;
        let recs = read_chunk(chunk, free).expect("fast path reads the chunk");
        assert_eq!(recs.len(), 40);
        for r in &recs {
            let FastRecord::Raw(r) = r else {
                panic!("a 12290 record was not taken as a candidate")
            };
            assert_eq!(r.id, Some(HOST_REQUEST_ID));
            assert!(r.time.is_some());
        }
    }

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    /// What the general way makes of the items: `parse_data`, then the analyzer's view of it.
    fn general(items: &[String]) -> Option<volact_core::event::HostRequest> {
        let strs: Vec<&str> = items.iter().map(String::as_str).collect();
        match volact_core::event::parse_data(HOST_REQUEST_ID, &strs) {
            Ok(volact_core::event::EventData::HostRequest(h)) => Some(h),
            _ => None,
        }
    }

    /// Runs the lane on `items` (as UTF-16LE values, each with `nuls` trailing NULs) and checks
    /// it against `parse_data`: the lane either declines (`None`) or gives exactly the same
    /// request. Returns whether the lane took the record.
    fn check_lane(items: &[String], nuls: usize) -> bool {
        let raw: Vec<Vec<u8>> = items
            .iter()
            .map(|s| {
                let mut b = utf16le(s);
                b.extend(std::iter::repeat_n(0u8, 2 * nuls));
                b
            })
            .collect();
        let refs: Vec<&[u8]> = raw.iter().map(Vec::as_slice).collect();
        let mut names = b"earlier-name".to_vec();
        // Twice with one cache: the second time, remembered values (the date, the Activation
        // ID) are used, and must give the same answer.
        let mut cache = LaneCache::default();
        let first = lane_12290(1_795_000_000, &refs, false, &mut names, &mut cache);
        names.truncate("earlier-name".len());
        let lane = lane_12290(1_795_000_000, &refs, false, &mut names, &mut cache);
        assert_eq!(first.is_some(), lane.is_some(), "items {items:?}");
        let general = general(items);
        match (&lane, &general) {
            (None, _) => false,
            (Some(l), Some(g)) => {
                let t = Some(Timestamp::from_unix(1_795_000_000, true));
                assert_eq!(
                    l.host_in(&names),
                    crate::analyze::host::HostIn::of(t, g),
                    "items {items:?}"
                );
                true
            }
            (Some(l), None) => panic!("lane took {items:?} as {l:?}, parse_data refused it"),
        }
    }

    fn guid_text(g: u128, upper: bool, braces: bool) -> String {
        let mut t = crate::guid::format_guid(g);
        if upper {
            t.make_ascii_uppercase();
        }
        if braces { format!("{{{t}}}") } else { t }
    }

    use proptest::prelude::*;

    /// One valid 12290 as Windows (or an export) writes it, in the forms the lane takes.
    fn valid_items() -> impl Strategy<Value = (Vec<String>, usize)> {
        let code = (any::<u32>(), any::<bool>(), 0usize..3, any::<bool>()).prop_map(
            |(c, upper, zeros, big_x)| {
                let x = if big_x { "0X" } else { "0x" };
                let digits = if upper {
                    format!("{c:X}")
                } else {
                    format!("{c:x}")
                };
                format!("{x}{}{digits}", "0".repeat(zeros))
            },
        );
        let num = |max: u64| {
            prop_oneof![
                Just(String::new()),
                (0..=max).prop_map(|n| n.to_string()),
                (0..=max).prop_map(|n| format!("00{n}")),
            ]
        };
        let guid = prop_oneof![
            Just(String::new()),
            (any::<u128>(), any::<bool>(), any::<bool>()).prop_map(|(g, u, b)| guid_text(g, u, b)),
        ];
        let time = prop_oneof![
            Just(String::new()),
            (
                1601i64..=9999,
                1u32..=12,
                1u32..=28,
                0u32..24,
                0u32..60,
                proptest::option::of(0u32..60)
            )
                .prop_map(|(y, m, d, h, mi, s)| match s {
                    Some(s) => format!("{y}/{m}/{d} {h}:{mi:02}:{s:02}"),
                    None => format!("{y}/{m}/{d} {h}:{mi:02}"),
                }),
        ];
        let name = "[A-Za-z0-9 .\\-_]{0,40}";
        let vm = prop_oneof![
            Just(String::new()),
            Just("0".to_owned()),
            Just("1".to_owned())
        ];
        let ws = prop_oneof![Just(""), Just(" "), Just("\t"), Just("  ")];
        (
            (code, num(u64::from(u32::MAX)), name, guid.clone(), time),
            (vm, num(u64::from(u32::MAX)), num(u64::MAX), guid),
            any::<bool>(),
            ws,
            0usize..2,
        )
            .prop_map(
                |((c, mc, n, cmid, t), (vm, st, min, aid), data0, ws, nuls)| {
                    let mut items: Vec<String> = Vec::new();
                    if data0 {
                        items.push("0".to_owned());
                    }
                    for f in [c, mc, n, cmid, t, vm, st, min, aid] {
                        items.push(format!("{ws}{f}{ws}"));
                    }
                    (items, nuls)
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// On valid data the lane takes the record and types it exactly as `parse_data`.
        #[test]
        fn lane_agrees_with_parse_data_on_valid_data((items, nuls) in valid_items()) {
            prop_assert!(check_lane(&items, nuls), "lane declined {:?}", items);
        }

        /// On odd data (any text, commas, other forms, missing or extra fields) the lane either
        /// declines, so the record goes the general way, or agrees with `parse_data`.
        #[test]
        fn lane_declines_or_agrees_on_odd_data(
            items in proptest::collection::vec(
                prop_oneof![
                    "\\PC{0,12}",
                    "[0-9xXa-fA-F ,{}/:+-]{0,40}",
                    Just("0x0".to_owned()),
                    Just("hr=0xC004F038".to_owned()),
                    Just("true".to_owned()),
                    Just("+5".to_owned()),
                    Just("2026-11-24 14:00".to_owned()),
                    Just("2026/11/24".to_owned()),
                    Just("2026/2/30 1:00".to_owned()),
                    Just("{5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11".to_owned()),
                ],
                0..13,
            ),
            nuls in 0usize..2,
        ) {
            check_lane(&items, nuls);
        }

        /// GUIDs read from UTF-16 four digits at a time agree with the byte reader, and both
        /// read back what `format_guid` writes.
        #[test]
        fn guid_readers_agree(text in "[0-9a-fA-F\\-gG{}/:@`]{36}", g in any::<u128>()) {
            let units: [u8; 72] = utf16le(&text).try_into().unwrap();
            prop_assert_eq!(
                crate::guid::parse_guid_units(&units),
                crate::guid::parse_guid(text.as_bytes())
            );
            let f = crate::guid::format_guid(g);
            let units: [u8; 72] = utf16le(&f.to_uppercase()).try_into().unwrap();
            prop_assert_eq!(crate::guid::parse_guid(f.as_bytes()), Some(g));
            prop_assert_eq!(crate::guid::parse_guid_units(&units), Some(g));
        }
    }

    /// Decimal numbers read as `str::parse` reads digits-only text, on both sides of 19 digits.
    #[test]
    fn lane_numbers_read_as_parse_does() {
        for t in [
            "0",
            "42",
            "9999999999999999999",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "0000000000000000000000042",
            "12a",
            "-1",
            "",
        ] {
            let want = t
                .parse::<u64>()
                .ok()
                .filter(|_| t.bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(lane_num(A(&utf16le(t)), u64::MAX), want, "{t}");
            assert_eq!(
                lane_num(A(&utf16le(t)), u64::from(u32::MAX)),
                want.filter(|v| *v <= u64::from(u32::MAX)),
                "{t}"
            );
        }
    }

    /// ASCII text narrowed four units at a time gives the same bytes at every length, appended
    /// after what the buffer held.
    #[test]
    fn ascii_units_narrow_to_their_bytes() {
        let text = "PC-0042.corp.contoso.example-host-name-x";
        for n in 0..=text.len() {
            let units = utf16le(&text[..n]);
            let mut out = b"before:".to_vec();
            push_ascii_bytes(&mut out, A(&units));
            assert_eq!(out, format!("before:{}", &text[..n]).into_bytes(), "{n}");
        }
    }

    /// A unit outside ASCII whose low byte is a digit, a letter or a dash (`Ł` is U+0141, `ĭ`
    /// U+012D) is not that character: the GUID is not read.
    #[test]
    fn guid_units_with_a_high_byte_are_not_digits() {
        let good = "5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11";
        let units: [u8; 72] = utf16le(good).try_into().unwrap();
        assert!(crate::guid::parse_guid_units(&units).is_some());
        for (at, c) in [(0, 'Ł'), (35, 'Ł'), (8, 'ĭ'), (23, 'ĭ'), (20, '\u{0130}')] {
            let mut text: Vec<char> = good.chars().collect();
            text[at] = c;
            let text: String = text.into_iter().collect();
            let units: [u8; 72] = utf16le(&text).try_into().unwrap();
            assert_eq!(crate::guid::parse_guid_units(&units), None, "{text}");
        }
    }

    #[test]
    fn remembered_dates_check_the_time_as_the_parser_does() {
        let mut cache = LaneCache::default();
        let units = |t: &str| utf16le(t);
        let read = |t: &str, cache: &mut LaneCache| lane_time(A(&units(t)), &mut cache.day);
        assert!(read("2026/11/24 9:30", &mut cache).is_some());
        for t in [
            "2026/11/24 0:00",
            "2026/11/24 23:59:59",
            "2026/11/24 23:59:60",
            "2026/11/24 24:00",
            "2026/11/24 12:60",
            "2026/11/24 12:00:61",
            "2026/11/25 1:02:03",
            "2026/2/29 1:00",
            "2028/2/29 1:00",
        ] {
            let want = Timestamp::parse(t);
            let cold = read(t, &mut LaneCache::default());
            let warm = read(t, &mut cache);
            assert_eq!(cold.map(Timestamp::unix), want.map(Timestamp::unix), "{t}");
            assert_eq!(warm.map(Timestamp::unix), want.map(Timestamp::unix), "{t}");
            // And again after a valid time of the same date.
            let _ = read("2026/11/24 9:30", &mut cache);
            let again = read(t, &mut cache);
            assert_eq!(again.map(Timestamp::unix), want.map(Timestamp::unix), "{t}");
        }
        // Texts that start like the remembered date but are not that date and a time in the
        // lane's form: the lane leaves them to the parser (`None`) or agrees with it.
        for t in [
            "2026/11/2 9:30",
            "2026/11/24  9:30",
            "2026/11/24 9:30 ",
            "2026/11/24 9:3x",
            "2026/11/240 9:30",
            "2026/11/24 ",
            "2026/11/24 12345:00",
            "2026/11/24 9:30:00:00",
        ] {
            let want = Timestamp::parse(t).map(Timestamp::unix);
            let _ = read("2026/11/24 9:30", &mut cache);
            for got in [read(t, &mut cache), read(t, &mut LaneCache::default())] {
                assert!(
                    got.is_none() || got.map(Timestamp::unix) == want,
                    "{t}: {got:?}"
                );
            }
        }
        assert_eq!(
            read("2026/11/24 10:45:07", &mut cache).map(Timestamp::unix),
            Timestamp::parse("2026/11/24 10:45:07").map(Timestamp::unix)
        );
    }

    /// Commas in any item, one or two, with and without `Data[0]` and extra items: whatever the
    /// lane takes, it types as `parse_data` does (two commas in one item make that item the
    /// whole Info string).
    #[test]
    fn lane_and_parse_data_agree_on_commas() {
        let base = [
            "0",
            "0x0",
            "25",
            "pc1.contoso.com",
            "5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11",
            "2026/11/24 9:30",
            "0",
            "2",
            "100",
            "2ffd8952-423e-4903-b993-72a1aa44cf82",
        ];
        let mut taken = 0;
        for skip_first in [false, true] {
            for extra in [0usize, 1, 2] {
                let mut items: Vec<String> = base[usize::from(skip_first)..]
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect();
                items.extend((0..extra).map(|k| format!("extra{k}")));
                for at in 0..items.len() {
                    for commas in [",", ", x,", "0x0, 5, a"] {
                        let mut v = items.clone();
                        v[at].push_str(commas);
                        if check_lane(&v, 0) {
                            taken += 1;
                        }
                    }
                }
            }
        }
        // The lane leaves every record with a comma to the general way.
        assert!(taken == 0, "the lane took {taken} records with commas");
        let plain: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
        assert!(check_lane(&plain, 0));
    }

    #[test]
    fn lane_examples() {
        let items = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        // As Windows logs it (with Data[0]) and as the Info line gives it.
        for v in [
            &[
                "0",
                "0xC004F038",
                "25",
                "pc1.contoso.com",
                "{5CD1D6D4-3D4B-4A65-9D1B-6F8E2F0C1A11}",
                "2026/11/24 9:30",
                "0",
                "2",
                "100",
                "2ffd8952-423e-4903-b993-72a1aa44cf82",
            ][..],
            &["0x0", "5", "srv", "", "", "", "", "", ""],
        ] {
            assert!(check_lane(&items(v), 0), "{v:?}");
            assert!(check_lane(&items(v), 1), "{v:?}");
        }
        // Forms the lane leaves to the general way.
        for v in [
            &["0", "hr=0x0", "25", "pc1", "", "", "", "", "", ""][..],
            &["0x0", "+25", "pc1", "", "", "", "", "", ""],
            &["0x0", "25", "pc1", "not-a-guid", "", "", "", "", ""],
            &[
                "0x0",
                "25",
                "pc1",
                "",
                "11/24/2026 2:00:00 PM",
                "",
                "",
                "",
                "",
            ],
            &["0x0", "25", "pc1", "", "", "true", "", "", ""],
            &["0x0, 25, pc1, c1, , 0, 1, 0, a"],
            &["0x0", "25", "電腦", "", "", "", "", "", ""],
        ] {
            assert!(!check_lane(&items(v), 0), "{v:?}");
        }
    }
}
