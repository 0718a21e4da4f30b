//! Aggregating typed chunks in file order on the calling thread; chunks the fast path declined
//! are rendered by the `evtx` crate and read back as XML; checksums checked, not enforced.

use std::sync::Arc;

use evtx::ParserSettings;

use super::filter::*;
use super::input::*;
use super::msg::*;
use super::pool::*;
use super::typer::*;
use crate::WarningKind;
use crate::analyze::{Analyzer, SkipReason};
use crate::xml::XmlEventReader;

pub(super) fn consume<I: Input>(
    rx: &std::sync::mpsc::Receiver<Done>,
    shared: &Shared<'_, I>,
    mut helper: Typer,
    garbage: &[std::sync::mpsc::Sender<Typed>],
    name: &str,
    an: &mut Analyzer,
) {
    let mut c = Consumer {
        settings: Arc::new(ParserSettings::new().validate_checksums(false)),
        warm_keys: Vec::new(),
        bad_crc: 0,
        bad_run: None,
        last_number: None,
        garbage,
        name,
    };
    // Groups that arrived before their turn; the channel closes when every worker has ended.
    let mut early: std::collections::BTreeMap<usize, Done> = std::collections::BTreeMap::new();
    let mut next = 0usize;
    loop {
        let got = match early.remove(&next) {
            Some(d) => Ok(d),
            None => match rx.try_recv() {
                Ok(d) => Ok(d),
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    // Type a group here rather than wait (it waits in `early` if it is not next).
                    match claim(shared, &mut helper.pool, false) {
                        Some((group, chunks)) => Ok(Done {
                            group,
                            worker: garbage.len() - 1,
                            msgs: helper.group(chunks),
                        }),
                        None => rx.recv().map_err(|_| ()),
                    }
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => Err(()),
            },
        };
        // Every worker has ended (a gap means one of them panicked: the scope reports it).
        let Ok(done) = got else { break };
        if done.group != next {
            early.insert(done.group, done);
            continue;
        }
        next += 1;
        for msg in done.msgs {
            c.chunk(msg, done.worker, an);
        }
        shared.lock().in_flight -= 1;
        shared.room.notify_one();
    }
    c.finish(an);
}

/// A run of chunks that cannot be read: how many, the first one's error, and whether any of
/// them holds record signatures.
pub(super) struct BadRun {
    pub(super) count: usize,
    pub(super) error: String,
    pub(super) records: bool,
}

/// The aggregating side's state across chunks.
pub(super) struct Consumer<'a> {
    pub(super) settings: Arc<ParserSettings>,
    pub(super) warm_keys: Vec<u128>,
    pub(super) bad_crc: u64,
    /// Runs of unreadable chunks are reported once.
    pub(super) bad_run: Option<BadRun>,
    /// The last record number the previous chunk's header lists.
    pub(super) last_number: Option<u64>,
    pub(super) garbage: &'a [std::sync::mpsc::Sender<Typed>],
    pub(super) name: &'a str,
}

impl Consumer<'_> {
    /// Aggregates the next chunk (in file order), typed by worker `worker`.
    fn chunk(&mut self, msg: Msg, worker: usize, an: &mut Analyzer) {
        let name = self.name;
        match msg {
            Msg::BadChunk { error, records } => match &mut self.bad_run {
                Some(run) => {
                    run.count += 1;
                    run.records |= records;
                }
                None => {
                    self.bad_run = Some(BadRun {
                        count: 1,
                        error,
                        records,
                    });
                }
            },
            Msg::Short(bytes) => {
                flush_bad_run(an, name, self.bad_run.take());
                an.warn(name, WarningKind::Truncated { bytes });
            }
            Msg::Chunk(chunk) => self.loaded(chunk, worker, an),
        }
    }

    /// Aggregates a loaded chunk, typed by worker `worker`.
    fn loaded(&mut self, chunk: Loaded, worker: usize, an: &mut Analyzer) {
        let name = self.name;
        // A damaged chunk with records in between: its records are reported as damaged, so
        // the numbers around it are not compared.
        if self.bad_run.as_ref().is_some_and(|r| r.records) {
            self.last_number = None;
        }
        flush_bad_run(an, name, self.bad_run.take());
        // Record numbers absent between this chunk and the previous one (a chunk zeroed, or
        // records cleared): a note, so that every record number is accounted for. A chunk
        // that starts lower (the log wrapped around) is not a gap. Only headers whose checksums
        // match are trusted for this.
        match chunk.numbers.filter(|_| chunk.crc_ok) {
            None => self.last_number = None,
            Some((first, last)) => {
                if let Some(prev) = self.last_number
                    && first > prev.saturating_add(1)
                {
                    an.note(
                        name,
                        WarningKind::RecordsAbsent {
                            first: prev + 1,
                            last: first - 1,
                        },
                    );
                }
                self.last_number = Some(last);
            }
        }
        if !chunk.crc_ok {
            self.bad_crc += 1;
        }
        let read = match chunk.body {
            Body::Skipped { read, corrupt } => {
                an.read(read + corrupt);
                an.skip_n(SkipReason::OtherEvent, read);
                an.skip_n(SkipReason::CorruptRecord, corrupt);
                Some(read + corrupt)
            }
            Body::Fast(items) => {
                let read = items.items.len() as u64;
                an.read(read);
                self.warm_keys.clear();
                self.warm_keys
                    .extend(items.items.iter().filter_map(|it| match it {
                        crate::fastbin::Item::Host(h) => h.cmid(),
                        _ => None,
                    }));
                std::hint::black_box(an.warm(&self.warm_keys));
                for it in &items.items {
                    match it {
                        crate::fastbin::Item::Other => an.skip(SkipReason::OtherEvent),
                        crate::fastbin::Item::Ev(e) => an.typed_ref(e),
                        crate::fastbin::Item::Host(h) => an.host_in(&h.host_in(&items.names)),
                    }
                }
                // Back to the worker that typed it, to be reused (dropped here if it has ended).
                let _ = self.garbage[worker].send(items);
                Some(read)
            }
            Body::Slow(mut data) => slow_chunk(&mut data, &self.settings, chunk.n, name, an),
        };
        // Records the chunk header lists that could not be read (all of them when the chunk
        // could not be parsed): said, not lost silently.
        if let Some(listed) = chunk.listed
            && let read = read.unwrap_or(0)
            && read < listed
        {
            an.warn(
                name,
                WarningKind::RecordsMissing {
                    chunk: chunk.n,
                    listed,
                    read,
                },
            );
        }
        if let Some(bytes) = chunk.cut {
            an.warn(name, WarningKind::Truncated { bytes });
        }
    }

    fn finish(&mut self, an: &mut Analyzer) {
        // Chunks after the last readable one that hold no record at all are space the log had
        // set aside and not used yet (or left from an earlier file): not damage.
        if let Some(run) = self.bad_run.take()
            && run.records
        {
            flush_bad_run(an, self.name, Some(run));
        }
        if self.bad_crc > 0 {
            an.warn(
                self.name,
                WarningKind::BadChecksums {
                    chunks: self.bad_crc,
                },
            );
        }
    }
}

/// Reads one chunk through the `evtx` crate: render each record to XML, read it back. Returns
/// the records read, or `None` when the chunk cannot be parsed at all.
pub(super) fn slow_chunk(
    data: &mut evtx::EvtxChunkData,
    settings: &Arc<ParserSettings>,
    n: u64,
    name: &str,
    an: &mut Analyzer,
) -> Option<u64> {
    match data.parse(Arc::clone(settings)) {
        Ok(mut parsed) => return Some(slow_records(&mut parsed, n, name, an)),
        // A damaged string table: the crate reads each name where the records point to it
        // anyway, so the chunk is read again without the table.
        Err(evtx::err::ChunkError::FailedToBuildStringCache { .. }) => {}
        Err(e) => {
            chunk_not_parsed(n, &e, name, an);
            return None;
        }
    }
    let mut bytes = std::mem::take(&mut data.data);
    bytes[128..384].fill(0);
    *data = match evtx::EvtxChunkData::new(bytes, false) {
        Ok(d) => d,
        Err(e) => {
            chunk_not_parsed(n, &e, name, an);
            return None;
        }
    };
    match data.parse(Arc::clone(settings)) {
        Ok(mut parsed) => Some(slow_records(&mut parsed, n, name, an)),
        Err(e) => {
            chunk_not_parsed(n, &e, name, an);
            None
        }
    }
}

pub(super) fn chunk_not_parsed(n: u64, e: &evtx::err::ChunkError, name: &str, an: &mut Analyzer) {
    an.warn(
        name,
        WarningKind::ChunkNotParsed {
            chunk: usize::try_from(n).unwrap_or(usize::MAX),
            error: e.to_string(),
        },
    );
    an.count_bad_chunk();
}

/// The records of a parsed chunk, rendered and read back; returns how many were read.
pub(super) fn slow_records(
    parsed: &mut evtx::EvtxChunk<'_>,
    n: u64,
    name: &str,
    an: &mut Analyzer,
) -> u64 {
    let chunk = usize::try_from(n).unwrap_or(usize::MAX);
    let mut errors = 0u32;
    let mut read = 0u64;
    for rec in parsed.iter() {
        an.read(1);
        read += 1;
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                an.skip(SkipReason::CorruptRecord);
                an.warn(
                    name,
                    WarningKind::RecordUnreadable {
                        chunk,
                        error: e.to_string(),
                    },
                );
                errors += 1;
                if errors >= MAX_RECORD_ERRORS {
                    an.warn(name, WarningKind::TooManyDamagedRecords { chunk });
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
    read
}

pub(super) fn flush_bad_run(an: &mut Analyzer, name: &str, run: Option<BadRun>) {
    if let Some(run) = run {
        for _ in 0..run.count {
            an.count_bad_chunk();
        }
        an.warn(
            name,
            WarningKind::ChunksSkipped {
                count: run.count,
                error: run.error,
            },
        );
    }
}
