//! `.evtx` files through the `evtx` crate, chunk by chunk.
//!
//! Cheap filtering before rendering: a chunk whose bytes do not contain the UTF-16 name of an
//! activation provider (`Security-SPP`, `Security-Licensing-SLC`, `Software Protection`) cannot
//! hold an activation event (the provider name is either literal in the chunk's template or a
//! substitution value in the record), so its records are counted and skipped without parsing.
//! Records of the other chunks are read by the fast path of `fastbin` (template values read
//! directly, no rendering); a chunk it cannot handle is rendered to XML by the `evtx` crate and
//! read by [`crate::xml`]. Chunks are checked and typed on two worker threads and aggregated in
//! file order on the calling thread.
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
    let mut from_workers = Vec::with_capacity(WORKERS);
    let mut garbage = Vec::with_capacity(WORKERS);
    std::thread::scope(|scope| {
        for _ in 0..WORKERS {
            let (wtx, wrx) =
                std::sync::mpsc::sync_channel::<Result<evtx::EvtxChunkData, String>>(2);
            let (otx, orx) = std::sync::mpsc::sync_channel::<Msg>(2);
            // Typed chunks go back to their worker to be freed there (not bounded: the worker
            // empties it before each chunk, and at most a few chunks are in flight).
            let (gtx, grx) = std::sync::mpsc::channel::<Typed>();
            to_workers.push(wtx);
            from_workers.push(orx);
            garbage.push(gtx);
            scope.spawn(move || work(&wrx, fast, &otx, &grx));
        }
        scope.spawn(move || deal(parser, &to_workers));
        consume(&from_workers, &garbage, name, an);
    });
    Ok(())
}

/// Threads that check and type chunks (the machine this was tuned on has 2 cores).
const WORKERS: usize = 2;

/// Reads the chunks and deals them to the workers in turn.
fn deal<R: Read + Seek>(
    mut parser: EvtxParser<R>,
    workers: &[std::sync::mpsc::SyncSender<Result<evtx::EvtxChunkData, String>>],
) {
    for (i, chunk) in parser.chunks().enumerate() {
        if workers[i % workers.len()]
            .send(chunk.map_err(|e| e.to_string()))
            .is_err()
        {
            return;
        }
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
type Typed = Vec<Result<volact_core::event::Event, crate::xml::Unused>>;

enum Body {
    /// No activation provider in the chunk: this many records skipped unread.
    Skipped(u64),
    /// Records typed by the fast path.
    Fast(Typed),
    /// Needs the `evtx` crate's renderer.
    Slow(Box<evtx::EvtxChunkData>),
}

fn work(
    rx: &std::sync::mpsc::Receiver<Result<evtx::EvtxChunkData, String>>,
    fast: bool,
    tx: &std::sync::mpsc::SyncSender<Msg>,
    garbage: &std::sync::mpsc::Receiver<Typed>,
) {
    let needles_owned: Vec<Vec<u8>> = [
        "Security-SPP",
        "Security-Licensing-SLC",
        "Software Protection",
    ]
    .iter()
    .map(|s| utf16(s))
    .collect();
    let needles: Vec<memchr::memmem::Finder<'_>> = needles_owned
        .iter()
        .map(memchr::memmem::Finder::new)
        .collect();
    let mut spare: Vec<Typed> = Vec::new();
    for chunk in rx.iter() {
        let data = match chunk {
            Ok(d) => d,
            Err(e) => {
                if tx.send(Msg::BadChunk(e)).is_err() {
                    return;
                }
                continue;
            }
        };
        let crc_ok = checksums_match(&data.data, data.header.free_space_offset);
        let body = if !chunk_may_hold_activation(&data.data, &needles) {
            let h = &data.header;
            Body::Skipped(
                h.last_event_record_number
                    .checked_sub(h.first_event_record_number)
                    .map_or(0, |d| (d + 1).min(MAX_RECORDS_PER_CHUNK)),
            )
        } else {
            let mut events = spare.pop().unwrap_or_default();
            events.clear();
            let ok = fast
                && crate::fastbin::read_chunk_events(
                    &data.data,
                    data.header.free_space_offset as usize,
                    &mut events,
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
            if spare.len() < 4 {
                spare.push(done);
            }
        }
        if tx.send(Msg::Chunk { crc_ok, body }).is_err() {
            return;
        }
    }
}

fn consume(
    rxs: &[std::sync::mpsc::Receiver<Msg>],
    garbage: &[std::sync::mpsc::Sender<Typed>],
    name: &str,
    an: &mut Analyzer,
) {
    let settings = Arc::new(ParserSettings::new().validate_checksums(false));
    let mut bad_crc = 0u64;
    // Runs of unreadable chunks are reported once: (count, first error).
    let mut bad_run: Option<(usize, String)> = None;
    // Chunk i comes from worker i % n; the first missing one is the end.
    let in_order = (0..).map_while(|i: usize| rxs[i % rxs.len()].recv().ok());
    for (i, msg) in in_order.enumerate() {
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
                an.read(items.len() as u64);
                for it in &items {
                    an.typed_ref(it);
                }
                // If the worker has ended, the events are simply dropped here.
                let _ = garbage[i % garbage.len()].send(items);
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
