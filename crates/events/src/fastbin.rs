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
//! sizes) makes [`read_chunk`] return `Err`; the caller then reads the whole chunk with the `evtx`
//! crate instead, so the fast path never changes results, only speed.

use std::borrow::Cow;
use std::collections::HashMap;

use volact_core::event::{TYPED_IDS, Timestamp, is_activation_provider};

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
    channel: Option<Src>,
    computer: Option<Src>,
    data: Vec<Src>,
    /// A substitution of type BinXml (0x21) holding the whole `EventData` / `UserData`, as
    /// classic events (Security-SPP, Security-Licensing-SLC) are logged by Windows.
    nested: Option<u16>,
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

fn u8_at(b: &[u8], p: usize) -> R<u8> {
    b.get(p).copied().ok_or("out of bounds")
}
fn u16_at(b: &[u8], p: usize) -> R<u16> {
    Ok(u16::from_le_bytes(
        b.get(p..p + 2)
            .ok_or("out of bounds")?
            .try_into()
            .map_err(|_| "bounds")?,
    ))
}
fn u32_at(b: &[u8], p: usize) -> R<u32> {
    Ok(u32::from_le_bytes(
        b.get(p..p + 4)
            .ok_or("out of bounds")?
            .try_into()
            .map_err(|_| "bounds")?,
    ))
}
fn u64_at(b: &[u8], p: usize) -> R<u64> {
    Ok(u64::from_le_bytes(
        b.get(p..p + 8)
            .ok_or("out of bounds")?
            .try_into()
            .map_err(|_| "bounds")?,
    ))
}

fn utf16_str(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() / 2);
    push_utf16(&mut s, b);
    s
}

/// Appends UTF-16LE `b` (an odd last byte ignored, bad units as U+FFFD) to `out`, then removes
/// trailing NULs it added.
fn push_utf16(out: &mut String, b: &[u8]) {
    let start = out.len();
    push_utf16_raw(out, b);
    while out.len() > start && out.ends_with('\0') {
        out.pop();
    }
}

/// Appends UTF-16LE `b` (an odd last byte ignored, bad units as U+FFFD) to `out`.
fn push_utf16_raw(out: &mut String, b: &[u8]) {
    // Fast path: ASCII (every high byte zero), narrowed through a stack buffer.
    if b.len().is_multiple_of(2) && is_ascii_utf16(b) {
        let mut tmp = [0u8; 128];
        for part in b.chunks(2 * tmp.len()) {
            let n = part.len() / 2;
            for (d, c) in tmp.iter_mut().zip(part.chunks_exact(2)) {
                *d = c[0];
            }
            // Every byte is below 0x80, so this is valid UTF-8.
            out.push_str(std::str::from_utf8(&tmp[..n]).unwrap_or_default());
        }
        return;
    }
    let units = b.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]]));
    out.extend(char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')));
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
    templates: &mut HashMap<u32, Template>,
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

/// Appends the item(s) of one Data value: a UTF-16 string array (type 0x81) repeats its element
/// once per string, as MS-EVEN6 array expansion (and the `evtx` crate) does.
fn push_items(ty: u8, v: &[u8], items: &mut Items, cut: &mut bool) -> R<()> {
    if ty == 0x81 {
        // Split at NUL units; a final NUL ends the last string (no empty item after it).
        let n = v.len() / 2;
        let unit = |i: usize| u16::from_le_bytes([v[2 * i], v[2 * i + 1]]);
        let mut start = 0;
        let mut part = |a: usize, b: usize| {
            if items.len() < MAX_ITEMS {
                push_utf16_raw(&mut items.buf, &v[2 * a..2 * b]);
                items.end_item();
            } else {
                *cut = true;
            }
        };
        for i in 0..n {
            if unit(i) == 0 {
                part(start, i);
                start = i + 1;
            }
        }
        if n == 0 || unit(n - 1) != 0 {
            part(start, n);
        }
        return Ok(());
    }
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
}

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
    walk_chunk(chunk, free_space, |r| {
        out.push(match r {
            Rec::Other => FastRecord::Other,
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

/// Reads and types the records of one chunk (as [`RawEvent::into_event`] would type them);
/// `Err` means "use the slow path for this chunk".
/// The events are appended to `out` (a vector reused from chunk to chunk); on `Err` it may hold
/// some of the chunk's records.
pub(crate) fn read_chunk_events(
    chunk: &[u8],
    free_space: usize,
    out: &mut Vec<Result<volact_core::event::Event, crate::xml::Unused>>,
) -> R<()> {
    walk_chunk(chunk, free_space, |r| {
        out.push(match r {
            Rec::Other => Err(crate::xml::Unused::NotActivation),
            Rec::Raw(v) => {
                let mut strs = [""; MAX_ITEMS];
                let mut n = 0;
                for (slot, it) in strs.iter_mut().zip(v.items.iter()) {
                    *slot = it;
                    n += 1;
                }
                lean_event(v, &strs[..n])
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

/// Walks the records of one chunk, calling `f` for each.
fn walk_chunk(chunk: &[u8], free_space: usize, mut f: impl FnMut(Rec<'_>)) -> R<()> {
    let end = free_space.min(chunk.len());
    let mut templates: HashMap<u32, Template> = HashMap::new();
    let mut nested_templates: HashMap<u32, Template> = HashMap::new();
    let mut items = Items::default();
    let mut p = 512usize;
    let mut sizes: Vec<(u8, usize, usize)> = Vec::with_capacity(32); // (type, start, len)
    while p + 24 <= end {
        if u32_at(chunk, p)? != 0x0000_2a2a {
            return Err("record magic");
        }
        let size = u32_at(chunk, p + 4)? as usize;
        if size < 28 || p + size > end || u32_at(chunk, p + size - 4)? as usize != size {
            return Err("record size");
        }
        let record_id = u64_at(chunk, p + 8)?;
        let filetime = u64_at(chunk, p + 16)?;
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
        let t = match templates.entry(def as u32) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(v) => {
                let t = parse_template(chunk, def)?;
                if t.event_id.is_none() {
                    return Err("template without EventID");
                }
                v.insert(t)
            }
        };
        let t = &*t;
        let count = u32_at(chunk, q)? as usize;
        q += 4;
        if count > 4096 || q + 4 * count > rec_end {
            return Err("substitution count");
        }
        sizes.clear();
        let mut v = q + 4 * count;
        for i in 0..count {
            let len = usize::from(u16_at(chunk, q + 4 * i)?);
            let ty = u8_at(chunk, q + 4 * i + 2)?;
            sizes.push((ty, v, len));
            v += len;
        }
        if v > rec_end {
            return Err("values out of the record");
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
            (Some(p), _) => is_activation_provider(p),
            (None, Some(id)) => TYPED_IDS.contains(&id),
            (None, None) => true, // let the slow path's reader decide (no ID: counted as such)
        };
        if !activation {
            f(Rec::Other);
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
            let secs = (filetime / 10_000_000) as i64 - 11_644_473_600;
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
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real Application log (classic Security-SPP events, EventData as nested BinXML with its
    /// own template) goes through the fast path, not the fallback.
    #[test]
    fn real_classic_events_use_the_fast_path() {
        let p = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/evtx/Application_no_crc32.evtx"
        );
        let Ok(bytes) = std::fs::read(p) else {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI is set but {p} is missing"
            );
            eprintln!("skipping: {p} not found");
            return;
        };
        let chunk = &bytes[4096..4096 + 65_536];
        let free = u32::from_le_bytes(chunk[48..52].try_into().unwrap()) as usize;
        let recs = read_chunk(chunk, free).expect("fast path reads the chunk");
        assert_eq!(recs.len(), 17);
        let raws: Vec<&RawEvent> = recs
            .iter()
            .filter_map(|r| match r {
                FastRecord::Raw(r) => Some(r),
                FastRecord::Other => None,
            })
            .collect();
        assert_eq!(raws.len(), 6);
        let status = raws.iter().find(|r| r.id == Some(1003)).unwrap();
        assert_eq!(
            status.provider.as_deref(),
            Some("Microsoft-Windows-Security-SPP")
        );
        assert_eq!(status.channel.as_deref(), Some("Application"));
        assert!(
            status.items.iter().any(|i| i.contains("0xC004F014")),
            "{:?}",
            status.items
        );
    }
}
