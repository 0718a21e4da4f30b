//! Chunk reading: the walk over one chunk's records (header checks, template lookup, value
//! sizes), each record handed on as not activation, a lane-typed host request or raw fields.

use std::borrow::Cow;
use std::collections::HashMap;

use volact_core::event::{TYPED_IDS, Timestamp, is_activation_provider};

use super::binxml::*;
use super::lane::*;
use super::value::*;
use crate::xml::MAX_ITEMS;
#[cfg(test)]
use crate::xml::RawEvent;

/// One record read by the fast path.
#[cfg(test)]
pub(crate) enum FastRecord {
    /// Not an activation record (provider or ID).
    Other,
    /// A candidate activation record.
    Raw(RawEvent),
}

/// One record as the walker sees it.
pub(super) enum Rec<'a> {
    /// Not an activation record (provider or ID).
    Other,
    /// A candidate activation record.
    Raw(RecView<'a>),
    /// A 12290 typed by the lane (its client name is in the batch's `names`).
    Host(HostRec),
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

/// The fields of a candidate activation record; `items` borrows the walker's reused buffer.
pub(super) struct RecView<'a> {
    pub(super) provider: Option<Cow<'a, str>>,
    pub(super) id: Option<u32>,
    pub(super) time: Timestamp,
    pub(super) record_id: u64,
    pub(super) channel: Option<Cow<'a, str>>,
    pub(super) computer: Option<Cow<'a, str>>,
    pub(super) items: &'a Items,
    #[cfg_attr(not(test), allow(dead_code))]
    pub(super) items_cut: bool,
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
pub(super) fn lean_event(
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
pub(super) fn field<'t>(
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

/// The event's time (seconds since 1970) from its `TimeCreated/@SystemTime` value, as the
/// renderer writes it; `Err` (the renderer reads the chunk) when it is not a FILETIME value.
pub(super) fn event_time(t: &Template, sizes: &[(u8, usize, usize)], chunk: &[u8]) -> R<i64> {
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

/// A record's header, checked as the `evtx` crate checks it.
struct Header {
    /// The whole record's size (from its header).
    size: usize,
    record_id: u64,
    /// Where the record's values may end (its trailing size copy).
    rec_end: usize,
    /// The template definition's offset.
    def: usize,
    /// Where the substitution count is (after an inline template definition).
    values: usize,
}

/// Reads the header of the record at `p` (ending before `end`) up to its template instance.
#[inline]
fn header(chunk: &[u8], p: usize, end: usize) -> R<Header> {
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
    Ok(Header {
        size,
        record_id,
        rec_end: p + size - 4,
        def,
        values: q,
    })
}

/// A chunk's templates, parsed once each, and where each one's definition is.
#[derive(Default)]
struct ChunkTemplates {
    parsed: Vec<Template>,
    by_def: HashMap<u32, usize, crate::guid::FxBuild>,
    /// The definition and index of the previous record's template.
    last: Option<(usize, usize)>,
}

impl ChunkTemplates {
    /// The template defined at `def`, parsed on first use.
    #[inline]
    fn get(&mut self, chunk: &[u8], def: usize) -> R<&Template> {
        // Most records of a chunk use the template the previous one used: found without a lookup.
        let at = match self.last {
            Some((d, i)) if d == def => i,
            _ => {
                let i = match self.by_def.entry(def as u32) {
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
                        self.parsed.push(t);
                        *v.insert(self.parsed.len() - 1)
                    }
                };
                self.last = Some((def, i));
                i
            }
        };
        Ok(&self.parsed[at])
    }
}

/// Reads the substitution descriptors at `q` into `sizes` (type, start, length of each value)
/// and checks the values as the renderer does: known types, inside the record, nothing but
/// the end of the stream after them.
#[inline]
fn value_sizes(
    chunk: &[u8],
    q: usize,
    rec_end: usize,
    sizes: &mut Vec<(u8, usize, usize)>,
) -> R<()> {
    let count = u32_at(chunk, q)? as usize;
    let q = q + 4;
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
    Ok(())
}

/// The record's provider name (`Name`, else `EventSourceName`) and event ID.
#[inline]
fn provider_and_id<'t>(
    t: &'t Template,
    sizes: &[(u8, usize, usize)],
    chunk: &[u8],
) -> R<(Option<Cow<'t, str>>, Option<u32>)> {
    let provider = match field(sizes, chunk, &t.provider)? {
        Some(p) if !p.is_empty() => Some(p),
        _ => field(sizes, chunk, &t.source_name)?.filter(|s| !s.is_empty()),
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
        src => field(sizes, chunk, src)?.and_then(|s| s.trim().parse().ok()),
    };
    Ok((provider, id))
}

/// The data items of a record: the template's items, then those of its nested BinXML value
/// (classic events). Returns whether items were cut.
fn data_items(
    chunk: &[u8],
    t: &Template,
    sizes: &[(u8, usize, usize)],
    items: &mut Items,
    nested_templates: &mut Templates,
) -> R<bool> {
    items.clear();
    let mut cut = false;
    push_template_items(chunk, &t.data, sizes, items, &mut cut)?;
    if let Some(n) = t.nested
        && let Some(&(ty, start, len)) = sizes.get(usize::from(n))
    {
        match ty {
            0x00 => {}
            0x21 => cut = parse_nested(chunk, start, len, items, nested_templates)?,
            _ => return Err("event data of an unexpected type"),
        }
    }
    Ok(cut)
}

/// Walks the records of one chunk, calling `f` for each.
/// With `lane` (the batch's name buffer), 12290 requests the lane can type come as
/// [`Rec::Host`].
pub(super) fn walk_chunk(
    chunk: &[u8],
    free_space: usize,
    mut lane: Option<&mut Vec<u8>>,
    mut f: impl FnMut(Rec<'_>),
) -> R<()> {
    let end = free_space.min(chunk.len());
    let last_id = u64_at(chunk, 32).ok();
    let mut templates = ChunkTemplates::default();
    let mut nested_templates: Templates = HashMap::default();
    let mut items = Items::default();
    let mut p = 512usize;
    let mut sizes: Vec<(u8, usize, usize)> = Vec::with_capacity(32); // (type, start, len)
    let mut lane_cache = LaneCache::default();
    // The `evtx` crate walks while a record starts before the free-space offset (its header may
    // run past it); anything this walk does not read exactly as that one goes to the renderer.
    while p < end {
        let h = header(chunk, p, end)?;
        let t = templates.get(chunk, h.def)?;
        value_sizes(chunk, h.values, h.rec_end, &mut sizes)?;
        let (provider, id) = provider_and_id(t, &sizes, chunk)?;
        let activation = match (&provider, id) {
            (Some(_), _) if t.provider_activation.is_some() => t.provider_activation == Some(true),
            (Some(p), _) => is_activation_provider(p),
            (None, Some(id)) => TYPED_IDS.contains(&id),
            (None, None) => true, // let the slow path's reader decide (no ID: counted as such)
        };
        if !activation {
            f(Rec::Other);
        } else {
            let secs = event_time(t, &sizes, chunk)?;
            if let Some(names) = lane.as_deref_mut()
                && id == Some(HOST_REQUEST_ID)
                && let Some(h) = lane_record(chunk, t, &sizes, secs, names, &mut lane_cache)
            {
                f(Rec::Host(h));
            } else {
                let nested_cut = data_items(chunk, t, &sizes, &mut items, &mut nested_templates)?;
                f(Rec::Raw(RecView {
                    provider,
                    id,
                    time: Timestamp::from_unix(secs, true),
                    record_id: h.record_id,
                    channel: field(&sizes, chunk, &t.channel)?.filter(|s| !s.is_empty()),
                    computer: field(&sizes, chunk, &t.computer)?.filter(|s| !s.is_empty()),
                    items_cut: t.data.len() > MAX_ITEMS || nested_cut,
                    items: &items,
                }));
            }
        }
        p += h.size;
        // The header's last record ends the chunk, as the `evtx` crate's walk ends it.
        if Some(h.record_id) == last_id {
            break;
        }
    }
    Ok(())
}
