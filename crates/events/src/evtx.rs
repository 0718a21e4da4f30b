//! `.evtx` files through the `evtx` crate, chunk by chunk.
//!
//! Cheap filtering before rendering: a chunk whose bytes do not contain the UTF-16 name of an
//! activation provider (`Security-SPP`, `Security-Licensing-SLC`, `Software Protection`) cannot
//! hold an activation event (the provider name is either literal in the chunk's template or a
//! substitution value in the record), so its records are counted and skipped without parsing.
//! Records of the other chunks are read by the fast path of `fastbin` (template values read
//! directly, no rendering); a chunk it cannot handle is rendered to XML by the `evtx` crate and
//! read by [`crate::xml`]. Chunks are dealt in groups to two worker threads that check and type
//! them, and aggregated in file order on the calling thread (which first reads the per-CMID state
//! a chunk will update, so that its cache misses overlap).
//!
//! Checksums are checked but not enforced: a chunk with a wrong CRC32 is read (its events are
//! kept) and reported in a warning; a chunk that cannot be parsed at all is skipped with a warning.

use crate::WarningKind;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use evtx::{EvtxParser, ParserSettings};

use crate::analyze::{Analyzer, SkipReason};
use crate::xml::XmlEventReader;

/// Records per chunk at most (a record is at least 24 bytes).
const MAX_RECORDS_PER_CHUNK: u64 = 65_536 / 24;
/// Consecutive record errors in one chunk after which the rest of the chunk is abandoned.
const MAX_RECORD_ERRORS: u32 = 32;

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Whether the bytes contain the UTF-16LE name of an activation provider.
pub fn chunk_may_hold_activation(data: &[u8], needles: &[memchr::memmem::Finder<'_>]) -> bool {
    needles.iter().any(|f| f.find(data).is_some())
}

/// The needles of [`chunk_may_hold_activation`], searched in fewer passes: `Security-` followed
/// by `SPP` or `Licensing-SLC`, or `Software Protection` (all UTF-16LE).
struct Needles {
    security: memchr::memmem::Finder<'static>,
    spp: Vec<u8>,
    slc: Vec<u8>,
    software: memchr::memmem::Finder<'static>,
}

impl Needles {
    fn new() -> Self {
        Self {
            security: memchr::memmem::Finder::new(&utf16("Security-")).into_owned(),
            spp: utf16("SPP"),
            slc: utf16("Licensing-SLC"),
            software: memchr::memmem::Finder::new(&utf16("Software Protection")).into_owned(),
        }
    }

    /// The same answer as [`chunk_may_hold_activation`] with its three names.
    fn hit(&self, data: &[u8]) -> bool {
        let n = self.security.needle().len();
        self.security.find_iter(data).any(|at| {
            let rest = &data[at + n..];
            rest.starts_with(&self.spp) || rest.starts_with(&self.slc)
        }) || self.software.find(data).is_some()
    }
}

/// Reads one .evtx stream into `an`; `name` is used in warnings. Returns `Err` only when the file
/// header cannot be read at all.
pub fn read_evtx<R: Read + Seek + Send>(
    input: R,
    name: &str,
    an: &mut Analyzer,
) -> Result<(), evtx::err::EvtxError> {
    read_evtx_with(input, name, an, true)
}

/// Like [`read_evtx`]; `fast = false` renders every candidate record through the `evtx` crate
/// instead of reading template values directly (tests compare both).
pub fn read_evtx_with<R: Read + Seek + Send>(
    input: R,
    name: &str,
    an: &mut Analyzer,
    fast: bool,
) -> Result<(), evtx::err::EvtxError> {
    let mode = if fast {
        ReadMode::Typed
    } else {
        ReadMode::Rendered
    };
    read_evtx_mode(input, name, an, mode)
}

/// How the records of chunks holding activation events are read. Every mode gives the same
/// report; tests compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadMode {
    /// Rendered to XML by the `evtx` crate and read back (the slowest, the reference).
    Rendered,
    /// Template values read directly, every record typed through its data items.
    Values,
    /// Like `Values`, and 12290 requests of the usual layout typed straight from their UTF-16
    /// values without allocating (the default).
    Typed,
}

/// Like [`read_evtx`], reading in `mode`.
pub fn read_evtx_mode<R: Read + Seek + Send>(
    input: R,
    name: &str,
    an: &mut Analyzer,
    mode: ReadMode,
) -> Result<(), evtx::err::EvtxError> {
    let mut input = input;
    let len = input.seek(SeekFrom::End(0)).ok();
    input
        .seek(SeekFrom::Start(0))
        .map_err(evtx::err::EvtxError::from)?;
    if let Some(len) = len {
        let rest = len.saturating_sub(4096) % 65_536;
        if len > 4096 && rest != 0 {
            an.warn(name, WarningKind::Truncated { bytes: rest });
        }
    }
    let parser = EvtxParser::from_read_seek(input)?
        .with_configuration(ParserSettings::new().validate_checksums(false));
    // Two stages on two threads: this scope's worker reads chunks, checks them and types the
    // records of the fast path; the calling thread aggregates (and renders the rare chunks the
    // fast path cannot read). A bounded channel keeps memory at a few chunks.
    // Chunks are dealt round-robin to WORKERS threads; the aggregating thread takes the results
    // back in the same order, so the report does not depend on scheduling.
    let mut to_workers = Vec::with_capacity(WORKERS);
    let mut from_workers: Vec<std::sync::mpsc::Receiver<Vec<Msg>>> = Vec::with_capacity(WORKERS);
    let mut garbage: Vec<std::sync::mpsc::Sender<Typed>> = Vec::with_capacity(WORKERS);
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            let (wtx, wrx) = std::sync::mpsc::sync_channel::<Group>(2);
            let (otx, orx) = std::sync::mpsc::sync_channel::<Vec<Msg>>(2);
            // Typed chunks go back to their worker to be freed there (not bounded: the worker
            // empties it before each chunk, and at most a few chunks are in flight).
            let (gtx, grx) = std::sync::mpsc::channel::<Typed>();
            to_workers.push(wtx);
            from_workers.push(orx);
            garbage.push(gtx);
            scope.spawn(move || work(&wrx, mode, &otx, &grx));
        }
        scope.spawn(move || deal(parser, &to_workers));
        // Owned here, so that if `consume` panics they are dropped while unwinding, the
        // threads' sends fail and they end (instead of waiting for ever for a reader).
        let (from_workers, garbage) = (
            std::mem::take(&mut from_workers),
            std::mem::take(&mut garbage),
        );
        consume(&from_workers, &garbage, name, an);
    });
    Ok(())
}

/// Threads that check and type chunks (the machine this was tuned on has 2 cores).
const WORKERS: usize = 2;

/// Chunks handed over together (fewer thread hand-overs: each wakes a sleeping thread).
const GROUP: usize = 8;

/// Chunks as read, in file order.
type Group = Vec<Result<evtx::EvtxChunkData, String>>;

/// Reads the chunks and deals them to the workers in turn, [`GROUP`] at a time.
fn deal<R: Read + Seek>(mut parser: EvtxParser<R>, workers: &[std::sync::mpsc::SyncSender<Group>]) {
    let mut group: Group = Vec::with_capacity(GROUP);
    let mut n = 0usize;
    for chunk in parser.chunks() {
        group.push(chunk.map_err(|e| e.to_string()));
        if group.len() == GROUP {
            let full = std::mem::replace(&mut group, Vec::with_capacity(GROUP));
            if workers[n % workers.len()].send(full).is_err() {
                return;
            }
            n += 1;
        }
    }
    if !group.is_empty() {
        let _ = workers[n % workers.len()].send(group);
    }
}

/// What the reading stage hands to the aggregating stage, chunk by chunk, in order.
enum Msg {
    /// A chunk the `evtx` crate could not load.
    BadChunk(String),
    /// A loaded chunk.
    Chunk { crc_ok: bool, body: Body },
}

/// The records of one chunk, typed by the fast path.
type Typed = crate::fastbin::Batch;

enum Body {
    /// No activation provider in the chunk: this many records skipped unread.
    Skipped(u64),
    /// Records typed by the fast path.
    Fast(Typed),
    /// Needs the `evtx` crate's renderer.
    Slow(Box<evtx::EvtxChunkData>),
}

fn work(
    rx: &std::sync::mpsc::Receiver<Group>,
    mode: ReadMode,
    tx: &std::sync::mpsc::SyncSender<Vec<Msg>>,
    garbage: &std::sync::mpsc::Receiver<Typed>,
) {
    let needles = Needles::new();
    let mut spare: Vec<Typed> = Vec::new();
    for group in rx.iter() {
        let mut out = Vec::with_capacity(group.len());
        for chunk in group {
            out.push(work_chunk(chunk, mode, &needles, &mut spare, garbage));
        }
        if tx.send(out).is_err() {
            return;
        }
    }
}

fn work_chunk(
    chunk: Result<evtx::EvtxChunkData, String>,
    mode: ReadMode,
    needles: &Needles,
    spare: &mut Vec<Typed>,
    garbage: &std::sync::mpsc::Receiver<Typed>,
) -> Msg {
    {
        let data = match chunk {
            Ok(d) => d,
            Err(e) => return Msg::BadChunk(e),
        };
        let crc_ok = checksums_match(&data.data, data.header.free_space_offset);
        let body = if !needles.hit(&data.data) {
            let h = &data.header;
            Body::Skipped(
                h.last_event_record_number
                    .checked_sub(h.first_event_record_number)
                    .map_or(0, |d| (d + 1).min(MAX_RECORDS_PER_CHUNK)),
            )
        } else {
            let mut events = spare.pop().unwrap_or_default();
            events.clear();
            let ok = mode != ReadMode::Rendered
                && crate::fastbin::read_chunk_items(
                    &data.data,
                    data.header.free_space_offset as usize,
                    &mut events,
                    mode == ReadMode::Typed,
                )
                .is_ok();
            if ok {
                Body::Fast(events)
            } else {
                events.clear();
                spare.push(events);
                Body::Slow(Box::new(data))
            }
        };
        // Free what the aggregating thread has finished with here, not on that thread, and keep
        // the vectors for the next chunks.
        while let Ok(mut done) = garbage.try_recv() {
            done.clear();
            if spare.len() < 2 * GROUP {
                spare.push(done);
            }
        }
        Msg::Chunk { crc_ok, body }
    }
}

fn consume(
    rxs: &[std::sync::mpsc::Receiver<Vec<Msg>>],
    garbage: &[std::sync::mpsc::Sender<Typed>],
    name: &str,
    an: &mut Analyzer,
) {
    let settings = Arc::new(ParserSettings::new().validate_checksums(false));
    let mut warm_keys: Vec<u128> = Vec::new();
    let mut bad_crc = 0u64;
    // Runs of unreadable chunks are reported once: (count, first error).
    let mut bad_run: Option<(usize, String)> = None;
    // Group g comes from worker g % n; the first missing one is the end.
    let groups = (0..).map_while(|g: usize| rxs[g % rxs.len()].recv().ok().map(|m| (g, m)));
    let in_order = groups.flat_map(|(g, msgs)| msgs.into_iter().map(move |m| (g, m)));
    for (i, (g, msg)) in in_order.enumerate() {
        let (crc_ok, body) = match msg {
            Msg::BadChunk(e) => {
                an.count_bad_chunk();
                bad_run = Some(match bad_run.take() {
                    Some((n, first)) => (n + 1, first),
                    None => (1, e),
                });
                continue;
            }
            Msg::Chunk { crc_ok, body } => (crc_ok, body),
        };
        flush_bad_run(an, name, bad_run.take());
        if !crc_ok {
            bad_crc += 1;
        }
        match body {
            Body::Skipped(n) => {
                an.read(n);
                an.skip_n(SkipReason::OtherEvent, n);
            }
            Body::Fast(items) => {
                an.read(items.items.len() as u64);
                warm_keys.clear();
                warm_keys.extend(items.items.iter().filter_map(|it| match it {
                    crate::fastbin::Item::Host(h) => h.cmid(),
                    _ => None,
                }));
                std::hint::black_box(an.warm(&warm_keys));
                for it in &items.items {
                    match it {
                        crate::fastbin::Item::Other => an.skip(SkipReason::OtherEvent),
                        crate::fastbin::Item::Ev(e) => an.typed_ref(e),
                        crate::fastbin::Item::Host(h) => an.host_in(&h.host_in(&items.names)),
                    }
                }
                // If the worker has ended, the events are simply dropped here.
                let _ = garbage[g % garbage.len()].send(items);
            }
            Body::Slow(mut data) => slow_chunk(&mut data, &settings, i, name, an),
        }
    }
    flush_bad_run(an, name, bad_run.take());
    if bad_crc > 0 {
        an.warn(name, WarningKind::BadChecksums { chunks: bad_crc });
    }
}

/// Reads one chunk through the `evtx` crate: render each record to XML, read it back.
fn slow_chunk(
    data: &mut evtx::EvtxChunkData,
    settings: &Arc<ParserSettings>,
    i: usize,
    name: &str,
    an: &mut Analyzer,
) {
    let mut parsed = match data.parse(Arc::clone(settings)) {
        Ok(c) => c,
        Err(e) => {
            an.warn(
                name,
                WarningKind::ChunkNotParsed {
                    chunk: i,
                    error: e.to_string(),
                },
            );
            an.count_bad_chunk();
            return;
        }
    };
    let mut errors = 0u32;
    for rec in parsed.iter() {
        an.read(1);
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                an.skip(SkipReason::CorruptRecord);
                an.warn(
                    name,
                    WarningKind::RecordUnreadable {
                        chunk: i,
                        error: e.to_string(),
                    },
                );
                errors += 1;
                if errors >= MAX_RECORD_ERRORS {
                    an.warn(name, WarningKind::TooManyDamagedRecords { chunk: i });
                    break;
                }
                continue;
            }
        };
        errors = 0;
        let record_id = rec.event_record_id;
        let xml = match rec.into_xml_bytes() {
            Ok(x) => x,
            Err(e) => {
                an.skip(SkipReason::CorruptRecord);
                an.warn(
                    name,
                    WarningKind::RecordNotRendered {
                        record: record_id,
                        error: e.to_string(),
                    },
                );
                continue;
            }
        };
        let mut xr = XmlEventReader::new(xml.data.as_slice());
        match xr.next_event() {
            Ok(Some(mut raw)) => {
                raw.record_id = raw.record_id.or(Some(record_id));
                an.raw(raw);
            }
            Ok(None) => an.skip(SkipReason::CorruptRecord),
            Err(e) => {
                an.skip(SkipReason::CorruptRecord);
                an.warn(
                    name,
                    WarningKind::RecordBadXml {
                        record: record_id,
                        error: e.to_string(),
                    },
                );
            }
        }
    }
}

fn flush_bad_run(an: &mut Analyzer, name: &str, run: Option<(usize, String)>) {
    if let Some((count, error)) = run {
        an.warn(name, WarningKind::ChunksSkipped { count, error });
    }
}

/// Checks the chunk header CRC32 (bytes 0-120 and 128-512) and the event-records CRC32 (512 up to
/// the free-space offset) against the stored values, whatever the chunk's "no CRC32" flag says.
pub fn checksums_match(chunk: &[u8], free_space_offset: u32) -> bool {
    if chunk.len() < 512 {
        return false;
    }
    let stored =
        |at: usize| u32::from_le_bytes([chunk[at], chunk[at + 1], chunk[at + 2], chunk[at + 3]]);
    let mut h = Vec::with_capacity(504);
    h.extend_from_slice(&chunk[..120]);
    h.extend_from_slice(&chunk[128..512]);
    let header_ok = evtx::checksum_ieee(&h) == stored(124);
    let end = (free_space_offset as usize).clamp(512, chunk.len());
    let data_ok = evtx::checksum_ieee(&chunk[512..end]) == stored(52);
    header_ok && data_ok
}
