//! Binary XML templates: which placeholder of a template definition feeds each field the
//! analysis reads (provider, event ID, time, channel, computer, data items), learnt once per
//! template; and the data items of a nested BinXML fragment (classic events).

use std::collections::HashMap;

use super::value::*;
use crate::xml::MAX_ITEMS;

/// Where a field's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Src {
    Lit(String),
    Sub(u16),
}

#[derive(Debug, Default)]
pub(super) struct Template {
    pub(super) provider: Option<Src>,
    pub(super) source_name: Option<Src>,
    pub(super) event_id: Option<Src>,
    /// `TimeCreated/@SystemTime`: the event's time as the renderer writes it (the record
    /// header's copy is not used: on damaged records the two may differ).
    pub(super) time: Option<Src>,
    pub(super) channel: Option<Src>,
    pub(super) computer: Option<Src>,
    pub(super) data: Vec<Src>,
    /// A substitution of type BinXml (0x21) holding the whole `EventData` / `UserData`, as
    /// classic events (Security-SPP, Security-Licensing-SLC) are logged by Windows.
    pub(super) nested: Option<u16>,
    /// Whether the provider is an activation provider, when the template names it literally
    /// (checked once per template instead of once per record).
    pub(super) provider_activation: Option<bool>,
    /// When the data items are the substitutions `first..first + count` in order and nothing is
    /// nested (as 12290 is logged): the lane takes them as one run of adjacent values.
    pub(super) data_run: Option<(u16, u16)>,
}

impl Template {
    /// The [`Template::data_run`] of this template's fields.
    pub(super) fn data_run(&self) -> Option<(u16, u16)> {
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

/// A chunk's templates by offset (hashed with the analyzer's Fx hasher: looked up per record).
pub(super) type Templates = HashMap<u32, Template, crate::guid::FxBuild>;

/// Element and attribute names of event XML: a chunk's templates name them again and again, so
/// they are borrowed from here instead of allocated each time.
const KNOWN_NAMES: [&str; 30] = [
    "Event",
    "System",
    "Provider",
    "Name",
    "Guid",
    "EventSourceName",
    "EventID",
    "Qualifiers",
    "Version",
    "Level",
    "Task",
    "Opcode",
    "Keywords",
    "TimeCreated",
    "SystemTime",
    "EventRecordID",
    "Correlation",
    "ActivityID",
    "Execution",
    "ProcessID",
    "ThreadID",
    "Channel",
    "Computer",
    "Security",
    "UserID",
    "EventData",
    "Data",
    "Binary",
    "UserData",
    "xmlns",
];

/// A name read from a chunk.
pub(super) type Name = std::borrow::Cow<'static, str>;

/// The UTF-16 bytes of the name stored at chunk offset `off` (next(4) hash(2) count(2) UTF-16),
/// and the length of the whole entry.
fn name_bytes(chunk: &[u8], off: usize) -> R<(&[u8], usize)> {
    let n = usize::from(u16_at(chunk, off + 6)?);
    let bytes = chunk
        .get(off + 8..off + 8 + 2 * n)
        .ok_or("name out of bounds")?;
    Ok((bytes, 8 + 2 * n + 2))
}

/// The name stored at chunk offset `off`, as [`utf16_str`] reads it (a known name borrowed).
pub(super) fn name_at(chunk: &[u8], off: usize) -> R<(Name, usize)> {
    let (bytes, len) = name_bytes(chunk, off)?;
    let known = KNOWN_NAMES.iter().find(|k| {
        k.len() * 2 == bytes.len()
            && k.bytes()
                .zip(bytes.chunks_exact(2))
                .all(|(a, u)| u[0] == a && u[1] == 0)
    });
    Ok((
        known.map_or_else(|| Name::Owned(utf16_str(bytes)), |k| Name::Borrowed(k)),
        len,
    ))
}

/// Reads a name reference at `p`; returns the name and the new position (skipping an inline name).
pub(super) fn name_ref(chunk: &[u8], p: usize) -> R<(Name, usize)> {
    let off = u32_at(chunk, p)? as usize;
    let (name, len) = name_at(chunk, off)?;
    let next = p + 4;
    Ok((name, if off == next { next + len } else { next }))
}

/// The position after a name reference at `p`, checked as [`name_ref`] checks it, without
/// reading the name.
pub(super) fn skip_name_ref(chunk: &[u8], p: usize) -> R<usize> {
    let off = u32_at(chunk, p)? as usize;
    let (_, len) = name_bytes(chunk, off)?;
    let next = p + 4;
    Ok(if off == next { next + len } else { next })
}

/// Whether a value in a template feeds an element's content or an attribute.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    None,
    Attr,
}

/// The walk over one template definition: the open elements, the current attribute, and how
/// many pieces the current element's content has (more than one is mixed content, refused).
struct TemplateWalk {
    t: Template,
    stack: Vec<Name>,
    attr: Name,
    ctx: Ctx,
    pieces_in_element: u32,
}

impl TemplateWalk {
    /// Records that `src` feeds the current element or attribute (which field, if any).
    fn assign(&mut self, src: Src) {
        let (t, stack, attr) = (&mut self.t, &self.stack, self.attr.as_ref());
        let el = stack.last().map(|s| s.as_ref()).unwrap_or("");
        let parent = stack
            .len()
            .checked_sub(2)
            .and_then(|i| stack.get(i))
            .map(|s| s.as_ref());
        let in_user_data = stack.iter().any(|s| s == "UserData");
        match (self.ctx, el, attr) {
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
    }

    /// A literal or substitution value: one piece of element content, or an attribute's value.
    fn value(&mut self, src: Src) -> R<()> {
        if self.ctx == Ctx::None {
            self.pieces_in_element += 1;
            if self.pieces_in_element > 1 {
                return Err("mixed element content");
            }
        }
        self.assign(src);
        if self.ctx == Ctx::Attr {
            self.ctx = Ctx::None;
        }
        Ok(())
    }

    /// A substitution token (0x0D/0x0E) at `p`; returns the position after it.
    fn substitution(&mut self, chunk: &[u8], p: usize) -> R<usize> {
        let id = u16_at(chunk, p + 1)?;
        let ty = u8_at(chunk, p + 3)?;
        if ty == 0x21 {
            // Nested BinXML where the event data goes; elsewhere it feeds nothing we read.
            let el = self.stack.last().map(|s| s.as_ref());
            if self.ctx == Ctx::None && matches!(el, Some("Event" | "EventData" | "UserData")) {
                if self.t.nested.is_some() {
                    return Err("two nested BinXML values");
                }
                self.t.nested = Some(id);
            }
            if self.ctx == Ctx::Attr {
                self.ctx = Ctx::None;
            }
            return Ok(p + 4);
        }
        // Arrays and other types are only a problem if a field we read uses them:
        // `value_text` refuses them then, and the chunk goes to the slow path.
        self.value(Src::Sub(id))?;
        Ok(p + 4)
    }

    /// One token at `p`; returns the position after it, or `None` at the end of the fragment.
    fn token(&mut self, chunk: &[u8], p: usize) -> R<Option<usize>> {
        let tok = u8_at(chunk, p)?;
        let next = match tok {
            0x00 => return Ok(None),
            0x0F => p + 4,
            0x01 | 0x41 => {
                let (name, np) = name_ref(chunk, p + 7)?;
                self.stack.push(name);
                self.ctx = Ctx::None;
                self.pieces_in_element = 0;
                if tok == 0x41 { np + 4 } else { np }
            }
            0x02 => {
                self.ctx = Ctx::None;
                p + 1
            }
            0x03 | 0x04 => {
                self.stack.pop();
                self.ctx = Ctx::None;
                self.pieces_in_element = 0;
                p + 1
            }
            0x06 | 0x46 => {
                let (name, np) = name_ref(chunk, p + 1)?;
                self.attr = name;
                self.ctx = Ctx::Attr;
                np
            }
            0x05 | 0x45 => {
                let (bytes, end) = string_literal(chunk, p, "literal value of a non-string type")?;
                self.value(Src::Lit(utf16_str(bytes)))?;
                end
            }
            0x0D | 0x0E => self.substitution(chunk, p)?,
            0x07 | 0x47 => {
                self.pieces_in_element += 1;
                p + 3 + 2 * usize::from(u16_at(chunk, p + 1)?)
            }
            0x08 | 0x48 => {
                self.pieces_in_element += 1;
                p + 3
            }
            0x09 | 0x49 => {
                self.pieces_in_element += 1;
                skip_name_ref(chunk, p + 1)?
            }
            0x0A => skip_name_ref(chunk, p + 1)?,
            0x0B => p + 3 + 2 * usize::from(u16_at(chunk, p + 1)?),
            _ => return Err("unknown token in template"),
        };
        Ok(Some(next))
    }
}

/// Reads the template definition at chunk offset `def`: which placeholder (or literal) feeds
/// each field the analysis reads.
pub(super) fn parse_template(chunk: &[u8], def: usize) -> R<Template> {
    let size = u32_at(chunk, def + 20)? as usize;
    let start = def + 24;
    let end = start.checked_add(size).ok_or("size")?;
    if end > chunk.len() {
        return Err("template out of bounds");
    }
    let mut w = TemplateWalk {
        t: Template::default(),
        stack: Vec::new(),
        attr: Name::Borrowed(""),
        ctx: Ctx::None,
        pieces_in_element: 0,
    };
    let mut p = start;
    while p < end {
        match w.token(chunk, p)? {
            Some(next) => p = next,
            None => break,
        }
    }
    Ok(w.t)
}

/// Appends the items of a template's data fields (`sizes`: type, start, length of each value);
/// sets `cut` when there are more than [`MAX_ITEMS`].
#[inline]
pub(super) fn push_template_items(
    chunk: &[u8],
    data: &[Src],
    sizes: &[(u8, usize, usize)],
    items: &mut Items,
    cut: &mut bool,
) -> R<()> {
    for d in data {
        match d {
            Src::Lit(l) => {
                if items.len() < MAX_ITEMS {
                    items.push_str(l);
                } else {
                    *cut = true;
                }
            }
            Src::Sub(i) => match sizes.get(usize::from(*i)) {
                Some(&(ty, start, len)) => {
                    push_items(ty, &chunk[start..start + len], items, cut)?;
                }
                None => push_items(0x01, &[], items, cut)?,
            },
        }
    }
    Ok(())
}

/// A template instance nested in a BinXML fragment (how Windows logs classic events'
/// EventData) at `p`, ending before `end`: appends its items; returns the position after it.
fn nested_instance(
    chunk: &[u8],
    p: usize,
    end: usize,
    items: &mut Items,
    templates: &mut Templates,
    cut: &mut bool,
) -> R<usize> {
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
    push_template_items(chunk, &t.data, &vals, items, cut)?;
    Ok(v)
}

/// The walk over a nested BinXML fragment: the open elements (name, whether it has child
/// elements), the current text, whether a value is an attribute's.
struct NestedWalk {
    stack: Vec<(Name, bool)>,
    text: String,
    in_attr: bool,
    cut: bool,
}

impl NestedWalk {
    /// An element ends: its text is an item when it is `EventData/Data` or a `UserData` leaf.
    fn end_element(&mut self, items: &mut Items) -> R<()> {
        self.in_attr = false;
        let Some((name, has_child)) = self.stack.pop() else {
            return Err("unbalanced nested BinXML");
        };
        let parent = self.stack.last().map(|(n, _)| n.as_ref());
        let in_user_data = self.stack.iter().any(|(n, _)| n == "UserData");
        let is_item = (name == "Data" && parent == Some("EventData"))
            || (in_user_data && !has_child && name != "UserData");
        if is_item {
            if items.len() < MAX_ITEMS {
                items.push_str(&self.text);
            } else {
                self.cut = true;
            }
        }
        self.text.clear();
        Ok(())
    }

    /// One text-bearing token at `p` (literal, CDATA, character or entity reference); returns
    /// the position after it.
    fn text_token(&mut self, chunk: &[u8], p: usize, tok: u8) -> R<usize> {
        Ok(match tok {
            0x05 | 0x45 => {
                let (bytes, end) = string_literal(chunk, p, "nested literal of a non-string type")?;
                if self.in_attr {
                    self.in_attr = false;
                } else if self.text.len() < crate::xml::MAX_ITEM_TEXT {
                    push_utf16(&mut self.text, bytes);
                }
                end
            }
            0x07 | 0x47 => {
                let n = usize::from(u16_at(chunk, p + 1)?);
                let bytes = chunk
                    .get(p + 3..p + 3 + 2 * n)
                    .ok_or("CDATA out of bounds")?;
                push_utf16(&mut self.text, bytes);
                p + 3 + 2 * n
            }
            0x08 | 0x48 => {
                let c = u16_at(chunk, p + 1)?;
                self.text
                    .push(char::from_u32(u32::from(c)).unwrap_or('\u{FFFD}'));
                p + 3
            }
            _ => {
                let (name, np) = name_ref(chunk, p + 1)?;
                self.text.push(match name.as_ref() {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => return Err("unknown entity"),
                });
                np
            }
        })
    }
}

/// Reads the `Data` texts (or `UserData` leaf texts) of a nested BinXML fragment (elements
/// without dependency identifiers, literal values). Returns whether items were cut.
pub(super) fn parse_nested(
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
    let mut w = NestedWalk {
        stack: Vec::new(),
        text: String::new(),
        in_attr: false,
        cut: false,
    };
    let mut p = start;
    while p < end {
        let tok = u8_at(chunk, p)?;
        p = match tok {
            0x00 => break,
            0x0F => p + 4,
            0x01 | 0x41 => {
                let (name, np) = name_ref(chunk, p + 5)?;
                if let Some(top) = w.stack.last_mut() {
                    top.1 = true;
                }
                w.stack.push((name, false));
                w.text.clear();
                w.in_attr = false;
                np + if tok == 0x41 { 4 } else { 0 }
            }
            0x02 => {
                w.in_attr = false;
                p + 1
            }
            0x03 | 0x04 => {
                w.end_element(items)?;
                p + 1
            }
            0x06 | 0x46 => {
                w.in_attr = true;
                skip_name_ref(chunk, p + 1)?
            }
            0x05 | 0x45 | 0x07 | 0x47 | 0x08 | 0x48 | 0x09 | 0x49 => w.text_token(chunk, p, tok)?,
            0x0C => nested_instance(chunk, p, end, items, templates, &mut w.cut)?,
            _ => return Err("unexpected token in nested BinXML"),
        };
    }
    Ok(w.cut)
}

/// Data items the lane takes (a 12290 has nine, ten with Windows' `Data[0]`).
pub(super) const MAX_LANE_ITEMS: usize = 10;

/// The UTF-16 bytes of the string literal token at `p` (value type 0x01, then its length in
/// characters) and the position after it; `non_string` is the error for a literal of another
/// type.
fn string_literal<'c>(chunk: &'c [u8], p: usize, non_string: &'static str) -> R<(&'c [u8], usize)> {
    if u8_at(chunk, p + 1)? != 0x01 {
        return Err(non_string);
    }
    let n = usize::from(u16_at(chunk, p + 2)?);
    let end = p + 4 + 2 * n;
    let bytes = chunk.get(p + 4..end).ok_or("literal out of bounds")?;
    Ok((bytes, end))
}
