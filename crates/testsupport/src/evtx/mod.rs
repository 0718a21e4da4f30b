//! An EVTX writer: file header, chunks with correct CRC32 and BinXML records.
//!
//! Produces files in the layout Windows writes (see the `[MS-EVEN6]`-era format notes that the
//! `evtx` crate and `python-evtx` implement): a 4 KiB file header, 64 KiB chunks each with a
//! 512-byte header (common-string and template tables, header and event-records CRC32), and records
//! whose BinXML is a fragment header, a template instance (the template definition is resident in
//! the first record of a chunk that uses it, later records point to it) and the substitution values.
//! Element and attribute names are defined once per chunk and referenced afterwards.
//!
//! Each distinct (provider, provider GUID, event source, channel, number of `<Data>` items) gets
//! one template (`Guid` and `EventSourceName` are written only when the event has them):
//!
//! ```xml
//! <Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
//!   <System>
//!     <Provider Name="{provider}" Guid="{guid}" EventSourceName="{source}"/>
//!     <EventID Qualifiers="%0">%1</EventID>
//!     <Level>%2</Level><Task>%3</Task><Keywords>%4</Keywords>
//!     <TimeCreated SystemTime="%5"/>
//!     <EventRecordID>%6</EventRecordID>
//!     <Channel>{channel}</Channel>
//!     <Computer>%7</Computer>
//!     <Security/>
//!   </System>
//!   <EventData><Data>%8</Data>…</EventData>
//! </Event>
//! ```
//!
//! ```
//! use volact_testsupport::evtx::{EvtxEvent, EvtxWriter};
//! let mut w = EvtxWriter::new(std::io::Cursor::new(Vec::new()));
//! w.push(&EvtxEvent::new("Microsoft-Windows-Security-SPP", "Application", 12288, 1_700_000_000, "pc1",
//!                        vec!["0x0, 0x0, kms:1688".into()])).unwrap();
//! let bytes = w.finish().unwrap().into_inner();
//! assert_eq!(&bytes[..8], b"ElfFile\0");
//! assert_eq!(bytes.len(), 4096 + 65_536);
//! ```

pub mod app;
pub mod kms;

use std::collections::HashMap;
use std::io::{self, Seek, SeekFrom, Write};

/// Size of a chunk.
pub const CHUNK_SIZE: usize = 65_536;
/// Size of the file header block.
pub const FILE_HEADER_SIZE: usize = 4096;
const CHUNK_HEADER_SIZE: usize = 512;
const XMLNS: &str = "http://schemas.microsoft.com/win/2004/08/events/event";

/// One event to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvtxEvent {
    /// Provider name, literal in the template (`Microsoft-Windows-Security-SPP`).
    pub provider: String,
    /// The provider's GUID (`{E23B33B0-…}`), literal in the template when set.
    pub provider_guid: Option<String>,
    /// The classic event source (`Provider/@EventSourceName`, e.g. `KmsRequests`), literal in the
    /// template when set.
    pub source: Option<String>,
    /// Channel, literal in the template (`Application`, `Key Management Service`).
    pub channel: String,
    /// Event ID.
    pub event_id: u16,
    /// Qualifiers (classic events log 16384 for Security-SPP).
    pub qualifiers: u16,
    /// Level (4 = information, 2 = error, 3 = warning).
    pub level: u8,
    /// When the event was logged, seconds since 1970 (UTC).
    pub time: i64,
    /// Computer name.
    pub computer: String,
    /// The `<Data>` items, in order.
    pub data: Vec<String>,
    /// The `Name` attribute of each `<Data>` item (manifest events); empty for unnamed items
    /// (classic events such as Security-SPP's).
    pub data_names: Vec<String>,
}

impl EvtxEvent {
    /// The same event with a provider GUID and an event source (`EventSourceName`).
    pub fn with_source(mut self, guid: &str, source: &str) -> Self {
        self.provider_guid = Some(guid.to_owned());
        self.source = Some(source.to_owned());
        self
    }

    /// An information-level event with qualifiers 16384 (as classic Security-SPP events are logged).
    pub fn new(
        provider: &str,
        channel: &str,
        event_id: u16,
        time: i64,
        computer: &str,
        data: Vec<String>,
    ) -> Self {
        Self {
            provider: provider.to_owned(),
            provider_guid: None,
            source: None,
            channel: channel.to_owned(),
            event_id,
            qualifiers: 16384,
            level: 4,
            time,
            computer: computer.to_owned(),
            data,
            data_names: Vec::new(),
        }
    }

    /// The same event with named `<Data>` items: `(name, value)` pairs replace the data.
    pub fn with_named_data(mut self, pairs: &[(&str, String)]) -> Self {
        self.data_names = pairs.iter().map(|(n, _)| (*n).to_owned()).collect();
        self.data = pairs.iter().map(|(_, v)| v.clone()).collect();
        self
    }
}

/// What the writer did, for tests that compare with readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WriteSummary {
    /// Records written.
    pub records: u64,
    /// Chunks written.
    pub chunks: u64,
}

/// Writes an EVTX file to `W` in a streaming way: a chunk is written as soon as it is full, so
/// memory stays at one chunk whatever the number of records. The file header is written at the
/// start (as a placeholder) and completed by [`EvtxWriter::finish`], which seeks back.
pub struct EvtxWriter<W: Write + Seek> {
    out: W,
    chunk: Chunk,
    next_record_id: u64,
    summary: WriteSummary,
    started: bool,
}

impl<W: Write + Seek> EvtxWriter<W> {
    /// A writer; nothing is written until the first [`EvtxWriter::push`] or [`EvtxWriter::finish`].
    pub fn new(out: W) -> Self {
        Self {
            out,
            chunk: Chunk::new(1),
            next_record_id: 1,
            summary: WriteSummary::default(),
            started: false,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.out.write_all(&[0u8; FILE_HEADER_SIZE])?;
            self.started = true;
        }
        Ok(())
    }

    /// Appends one record (record IDs count from 1).
    pub fn push(&mut self, ev: &EvtxEvent) -> io::Result<()> {
        self.start()?;
        let id = self.next_record_id;
        if !self.chunk.try_push(ev, id) {
            if self.chunk.records == 0 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "event too large for one EVTX chunk",
                ));
            }
            self.flush_chunk()?;
            if !self.chunk.try_push(ev, id) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "event too large for one EVTX chunk",
                ));
            }
        }
        self.next_record_id += 1;
        self.summary.records += 1;
        Ok(())
    }

    fn flush_chunk(&mut self) -> io::Result<()> {
        let first = self.next_record_id;
        let full = std::mem::replace(&mut self.chunk, Chunk::new(first));
        if full.records > 0 {
            self.out.write_all(&full.finish())?;
            self.summary.chunks += 1;
        }
        Ok(())
    }

    /// Writes the last chunk and the file header; returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.start()?;
        self.flush_chunk()?;
        let chunks = self.summary.chunks;
        let mut h = vec![0u8; FILE_HEADER_SIZE];
        h[..8].copy_from_slice(b"ElfFile\0");
        put_u64(&mut h, 8, 0); // first chunk number
        put_u64(&mut h, 16, chunks.saturating_sub(1)); // last chunk number
        put_u64(&mut h, 24, self.next_record_id); // next record identifier
        put_u32(&mut h, 32, 128); // header size
        put_u16(&mut h, 36, 1); // minor version
        put_u16(&mut h, 38, 3); // major version
        put_u16(&mut h, 40, FILE_HEADER_SIZE as u16); // header block size
        put_u16(&mut h, 42, u16::try_from(chunks).unwrap_or(u16::MAX)); // number of chunks
        put_u32(&mut h, 120, 0); // flags: clean
        let crc = crc32fast::hash(&h[..120]);
        put_u32(&mut h, 124, crc);
        self.out.seek(SeekFrom::Start(0))?;
        self.out.write_all(&h)?;
        self.out.seek(SeekFrom::End(0))?;
        self.out.flush()?;
        Ok(self.out)
    }

    /// Records and chunks written so far.
    pub fn summary(&self) -> WriteSummary {
        self.summary
    }
}

/// Writes `events` into an in-memory EVTX file.
pub fn to_bytes(events: &[EvtxEvent]) -> Vec<u8> {
    let mut w = EvtxWriter::new(io::Cursor::new(Vec::new()));
    for e in events {
        w.push(e).expect("in-memory write");
    }
    w.finish().expect("in-memory write").into_inner()
}

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}
fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}
fn put_u64(b: &mut [u8], at: usize, v: u64) {
    b[at..at + 8].copy_from_slice(&v.to_le_bytes());
}

/// The hash Windows stores with element names (65599 multiplier over UTF-16 units, low 16 bits).
pub fn name_hash(name: &str) -> u16 {
    let mut h: u32 = 0;
    for u in name.encode_utf16() {
        h = h.wrapping_mul(65_599).wrapping_add(u32::from(u));
    }
    h as u16
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Seconds since 1970 to a Windows FILETIME.
pub fn filetime(unix: i64) -> u64 {
    ((unix + 11_644_473_600).max(0) as u64) * 10_000_000
}

#[derive(Hash, PartialEq, Eq, Clone)]
struct TemplateKey {
    provider: String,
    provider_guid: Option<String>,
    source: Option<String>,
    channel: String,
    data: usize,
    names: Vec<String>,
}

struct Chunk {
    buf: Vec<u8>,
    names: HashMap<String, u32>,
    templates: HashMap<TemplateKey, (u32, u32)>, // (template id, definition offset)
    records: u64,
    first_record: u64,
    last_record_offset: u32,
    /// An element's start tag is written but not yet closed with `>` (0x02) or `/>` (0x03).
    pending_start: bool,
}

// Value types.
const T_STRING: u8 = 0x01;
const T_U8: u8 = 0x04;
const T_U16: u8 = 0x06;
const T_U64: u8 = 0x0A;
const T_FILETIME: u8 = 0x11;
const T_HEX64: u8 = 0x15;

impl Chunk {
    fn new(first_record: u64) -> Self {
        let mut buf = Vec::with_capacity(CHUNK_SIZE);
        buf.resize(CHUNK_HEADER_SIZE, 0);
        Self {
            buf,
            names: HashMap::new(),
            templates: HashMap::new(),
            records: 0,
            first_record,
            last_record_offset: 0,
            pending_start: false,
        }
    }

    fn pos(&self) -> u32 {
        self.buf.len() as u32
    }

    /// Writes the record; on overflow restores the chunk and returns false.
    fn try_push(&mut self, ev: &EvtxEvent, record_id: u64) -> bool {
        let saved_len = self.buf.len();
        let saved_names = self.names.clone();
        let saved_templates = self.templates.clone();
        self.write_record(ev, record_id);
        if self.buf.len() > CHUNK_SIZE {
            self.buf.truncate(saved_len);
            self.names = saved_names;
            self.templates = saved_templates;
            return false;
        }
        self.last_record_offset = saved_len as u32;
        self.records += 1;
        true
    }

    fn write_record(&mut self, ev: &EvtxEvent, record_id: u64) {
        let start = self.buf.len();
        self.buf.extend_from_slice(&[0x2a, 0x2a, 0, 0]);
        self.buf.extend_from_slice(&[0; 4]); // size, patched
        self.buf.extend_from_slice(&record_id.to_le_bytes());
        self.buf.extend_from_slice(&filetime(ev.time).to_le_bytes());
        // BinXML: fragment header, template instance, values.
        self.buf.extend_from_slice(&[0x0F, 0x01, 0x01, 0x00]);
        let key = TemplateKey {
            provider: ev.provider.clone(),
            provider_guid: ev.provider_guid.clone(),
            source: ev.source.clone(),
            channel: ev.channel.clone(),
            data: ev.data.len(),
            names: ev.data_names.clone(),
        };
        self.buf.push(0x0C);
        self.buf.push(0x01);
        match self.templates.get(&key).copied() {
            Some((id, def)) => {
                self.buf.extend_from_slice(&id.to_le_bytes());
                self.buf.extend_from_slice(&def.to_le_bytes());
            }
            None => {
                let n = self.templates.len() as u32 + 1;
                let guid = template_guid(&key, n);
                let id = u32::from_le_bytes([guid[0], guid[1], guid[2], guid[3]]);
                self.buf.extend_from_slice(&id.to_le_bytes());
                let def = self.pos() + 4;
                self.buf.extend_from_slice(&def.to_le_bytes());
                self.write_template(&key, &guid, def);
                self.templates.insert(key, (id, def));
            }
        }
        // Substitution values.
        let mut values: Vec<(u8, Vec<u8>)> = vec![
            (T_U16, ev.qualifiers.to_le_bytes().to_vec()),
            (T_U16, ev.event_id.to_le_bytes().to_vec()),
            (T_U8, vec![ev.level]),
            (T_U16, 0u16.to_le_bytes().to_vec()),
            (T_HEX64, 0x0080_0000_0000_0000u64.to_le_bytes().to_vec()),
            (T_FILETIME, filetime(ev.time).to_le_bytes().to_vec()),
            (T_U64, record_id.to_le_bytes().to_vec()),
            (T_STRING, utf16(&ev.computer)),
        ];
        for d in &ev.data {
            values.push((T_STRING, utf16(d)));
        }
        self.buf
            .extend_from_slice(&(values.len() as u32).to_le_bytes());
        for (ty, v) in &values {
            let size = u16::try_from(v.len()).unwrap_or(u16::MAX);
            self.buf.extend_from_slice(&size.to_le_bytes());
            self.buf.push(*ty);
            self.buf.push(0);
        }
        for (_, v) in &values {
            let n = v.len().min(usize::from(u16::MAX));
            self.buf.extend_from_slice(&v[..n]);
        }
        let size = (self.buf.len() - start + 4) as u32;
        self.buf.extend_from_slice(&size.to_le_bytes());
        self.buf[start + 4..start + 8].copy_from_slice(&size.to_le_bytes());
    }

    fn write_template(&mut self, key: &TemplateKey, guid: &[u8; 16], def: u32) {
        debug_assert_eq!(self.pos(), def);
        self.buf.extend_from_slice(&0u32.to_le_bytes()); // next template in the bucket
        self.buf.extend_from_slice(guid);
        let size_at = self.buf.len();
        self.buf.extend_from_slice(&[0; 4]); // data size, patched
        let body = self.buf.len();
        self.buf.extend_from_slice(&[0x0F, 0x01, 0x01, 0x00]);
        // <Event xmlns=...>
        let ev = self.open("Event", &[("xmlns", Attr::Text(XMLNS))]);
        {
            let sys = self.open("System", &[]);
            let mut attrs = vec![("Name", Attr::Text(&key.provider))];
            if let Some(g) = &key.provider_guid {
                attrs.push(("Guid", Attr::Text(g)));
            }
            if let Some(s) = &key.source {
                attrs.push(("EventSourceName", Attr::Text(s)));
            }
            let p = self.open("Provider", &attrs);
            self.close(p);
            let e = self.open("EventID", &[("Qualifiers", Attr::Sub(0, T_U16))]);
            self.sub(1, T_U16);
            self.close(e);
            self.leaf_sub("Level", 2, T_U8);
            self.leaf_sub("Task", 3, T_U16);
            self.leaf_sub("Keywords", 4, T_HEX64);
            let t = self.open("TimeCreated", &[("SystemTime", Attr::Sub(5, T_FILETIME))]);
            self.close(t);
            self.leaf_sub("EventRecordID", 6, T_U64);
            let c = self.open("Channel", &[]);
            self.text(&key.channel);
            self.close(c);
            self.leaf_sub("Computer", 7, T_STRING);
            let s = self.open("Security", &[]);
            self.close(s);
            self.close(sys);
        }
        {
            let ed = self.open("EventData", &[]);
            for i in 0..key.data {
                match key.names.get(i) {
                    Some(n) => {
                        let d = self.open("Data", &[("Name", Attr::Text(n))]);
                        self.sub(8 + i as u16, T_STRING);
                        self.close(d);
                    }
                    None => self.leaf_sub("Data", 8 + i as u16, T_STRING),
                }
            }
            self.close(ed);
        }
        self.close(ev);
        self.buf.push(0x00); // end of fragment
        let size = (self.buf.len() - body) as u32;
        self.buf[size_at..size_at + 4].copy_from_slice(&size.to_le_bytes());
    }

    /// Writes a name reference (and the name itself the first time in this chunk).
    fn name(&mut self, name: &str) {
        if let Some(&off) = self.names.get(name) {
            self.buf.extend_from_slice(&off.to_le_bytes());
            return;
        }
        let off = self.pos() + 4;
        self.buf.extend_from_slice(&off.to_le_bytes());
        self.buf.extend_from_slice(&0u32.to_le_bytes()); // next string in the bucket
        self.buf.extend_from_slice(&name_hash(name).to_le_bytes());
        self.buf
            .extend_from_slice(&(name.encode_utf16().count() as u16).to_le_bytes());
        self.buf.extend_from_slice(&utf16(name));
        self.buf.extend_from_slice(&[0, 0]);
        self.names.insert(name.to_owned(), off);
    }

    /// Open start element; returns the offset of its data-size field.
    fn open(&mut self, name: &str, attrs: &[(&str, Attr<'_>)]) -> Open {
        self.start_content();
        self.buf.push(if attrs.is_empty() { 0x01 } else { 0x41 });
        self.buf.extend_from_slice(&0xFFFFu16.to_le_bytes()); // dependency identifier
        let size_at = self.buf.len();
        self.buf.extend_from_slice(&[0; 4]);
        self.name(name);
        if !attrs.is_empty() {
            let list_at = self.buf.len();
            self.buf.extend_from_slice(&[0; 4]);
            for (i, (an, av)) in attrs.iter().enumerate() {
                self.buf.push(if i + 1 < attrs.len() { 0x46 } else { 0x06 });
                self.name(an);
                match av {
                    Attr::Text(t) => self.text(t),
                    Attr::Sub(id, ty) => self.sub(*id, *ty),
                }
            }
            let n = (self.buf.len() - list_at - 4) as u32;
            self.buf[list_at..list_at + 4].copy_from_slice(&n.to_le_bytes());
        }
        self.pending_start = true;
        Open { size_at }
    }

    /// Closes an element: `</x>` after content, or `/>` when nothing was written inside.
    fn close(&mut self, o: Open) {
        if self.pending_start {
            self.buf.push(0x03);
            self.pending_start = false;
        } else {
            self.buf.push(0x04);
        }
        let n = (self.buf.len() - o.size_at - 4) as u32;
        self.buf[o.size_at..o.size_at + 4].copy_from_slice(&n.to_le_bytes());
    }

    /// `<name>%id</name>`.
    fn leaf_sub(&mut self, name: &str, id: u16, ty: u8) {
        let o = self.open(name, &[]);
        self.sub(id, ty);
        self.close(o);
    }

    /// A substitution (as element content after `open`, or as an attribute value).
    fn sub(&mut self, id: u16, ty: u8) {
        self.start_content();
        self.buf.push(0x0D);
        self.buf.extend_from_slice(&id.to_le_bytes());
        self.buf.push(ty);
    }

    fn text(&mut self, t: &str) {
        self.start_content();
        self.buf.push(0x05);
        self.buf.push(T_STRING);
        self.buf
            .extend_from_slice(&(t.encode_utf16().count() as u16).to_le_bytes());
        self.buf.extend_from_slice(&utf16(t));
    }

    /// Writes the close-start-element token (0x02) when the element's start tag is still open.
    fn start_content(&mut self) {
        // Attribute values are written by `open` before it sets `pending_start`, so they never
        // close a start tag.
        if self.pending_start {
            self.buf.push(0x02);
            self.pending_start = false;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        let free = self.buf.len() as u32;
        self.buf.resize(CHUNK_SIZE, 0);
        let b = &mut self.buf;
        b[..8].copy_from_slice(b"ElfChnk\0");
        let last = self.first_record + self.records - 1;
        put_u64(b, 8, self.first_record);
        put_u64(b, 16, last);
        put_u64(b, 24, self.first_record);
        put_u64(b, 32, last);
        put_u32(b, 40, 128);
        put_u32(b, 44, self.last_record_offset);
        put_u32(b, 48, free);
        // Common-string table: 64 buckets by hash, chained through each name's "next" field.
        let mut names: Vec<(String, u32)> =
            self.names.iter().map(|(k, v)| (k.clone(), *v)).collect();
        names.sort_by_key(|(_, o)| *o);
        for (name, off) in names {
            let bucket = 128 + usize::from(name_hash(&name) % 64) * 4;
            let head = u32::from_le_bytes(b[bucket..bucket + 4].try_into().expect("4 bytes"));
            put_u32(b, off as usize, head);
            put_u32(b, bucket, off);
        }
        // Template table: 32 buckets by template id.
        let mut temps: Vec<(u32, u32)> = self.templates.values().copied().collect();
        temps.sort_by_key(|(_, o)| *o);
        for (id, off) in temps {
            let bucket = 384 + (id % 32) as usize * 4;
            let head = u32::from_le_bytes(b[bucket..bucket + 4].try_into().expect("4 bytes"));
            put_u32(b, off as usize, head);
            put_u32(b, bucket, off);
        }
        put_u32(b, 120, 0); // flags
        let data_crc = crc32fast::hash(&b[CHUNK_HEADER_SIZE..free as usize]);
        put_u32(b, 52, data_crc);
        let mut h = crc32fast::Hasher::new();
        h.update(&b[..120]);
        h.update(&b[128..512]);
        put_u32(b, 124, h.finalize());
        self.buf
    }
}

struct Open {
    size_at: usize,
}

enum Attr<'a> {
    Text(&'a str),
    Sub(u16, u8),
}

fn template_guid(key: &TemplateKey, n: u32) -> [u8; 16] {
    // Deterministic: FNV-1a over the key, spread over 16 bytes.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in key
        .provider
        .bytes()
        .chain([0])
        .chain(key.provider_guid.iter().flat_map(|g| g.bytes()))
        .chain([0])
        .chain(key.source.iter().flat_map(|g| g.bytes()))
        .chain([0])
        .chain(key.channel.bytes())
        .chain(key.names.iter().flat_map(|n| n.bytes().chain([0])))
        .chain((key.data as u32).to_le_bytes())
        .chain(n.to_le_bytes())
    {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    let mut g = [0u8; 16];
    g[..8].copy_from_slice(&h.to_le_bytes());
    g[8..].copy_from_slice(&h.rotate_left(29).wrapping_mul(31).to_le_bytes());
    g
}
