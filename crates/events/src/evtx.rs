//! `.evtx` files through the `evtx` crate, chunk by chunk.
//!
//! Cheap filtering before rendering: a chunk whose bytes do not contain the UTF-16 name of an
//! activation provider (`Security-SPP`, `Security-Licensing-SLC`, `Software Protection`) cannot
//! hold an activation event (the provider name is either literal in the chunk's template or a
//! substitution value in the record), so its records are counted and skipped without parsing.
//! Records of the other chunks are read by the fast path of `fastbin` (template values read
//! directly, no rendering); a chunk it cannot handle is rendered to XML by the `evtx` crate and
//! read by [`crate::xml`]. Chunks are dealt in groups to the worker threads (one per spare
//! processor) and the calling thread, which read them (a file's at their offsets, all at once; a
//! stream's through its position, one group after another), check and type them; they are
//! aggregated in file order on the calling thread (which first reads the per-CMID state a chunk
//! will update, so that its cache misses overlap).
//!
//! Checksums are checked but not enforced: a chunk with a wrong CRC32 is read (its events are
//! kept) and reported in a warning; a chunk that cannot be parsed at all is skipped with a warning.

use crate::WarningKind;
use std::io::{Read, Seek, SeekFrom};
use std::sync::Arc;

use evtx::ParserSettings;

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
    read_evtx_from(input, None, name, an, mode)
}

/// Like [`read_evtx`], for a file: the threads read their chunks at their offsets, each at its
/// own pace, instead of one after another through the file's position under a lock (a thread
/// copying half a megabyte from the kernel held the others up).
pub fn read_evtx_file(
    file: &std::fs::File,
    name: &str,
    an: &mut Analyzer,
) -> Result<(), evtx::err::EvtxError> {
    read_evtx_file_mode(file, name, an, ReadMode::Typed)
}

/// Like [`read_evtx_file`], reading in `mode`.
pub fn read_evtx_file_mode(
    file: &std::fs::File,
    name: &str,
    an: &mut Analyzer,
    mode: ReadMode,
) -> Result<(), evtx::err::EvtxError> {
    read_evtx_from(file, Some(file), name, an, mode)
}

/// Reads a file's bytes at an offset without moving a position another thread relies on.
trait ReadAt: Sync {
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize>;
}

impl ReadAt for std::fs::File {
    #[cfg(unix)]
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
        std::os::unix::fs::FileExt::read_at(self, buf, offset)
    }

    // `seek_read` moves the file's position too; the chunks read this way are read only so,
    // and the position is set again before any other read (see `claim`).
    #[cfg(windows)]
    fn read_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<usize> {
        std::os::windows::fs::FileExt::seek_read(self, buf, offset)
    }

    #[cfg(not(any(unix, windows)))]
    fn read_at(&self, _buf: &mut [u8], _offset: u64) -> std::io::Result<usize> {
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }
}

/// Reads from `input`; with `at`, the whole chunks the file's length promises are read at their
/// offsets through `at` (the same file), the rest (a file that grew) through `input`.
fn read_evtx_from<R: Read + Seek + Send>(
    input: R,
    at: Option<&dyn ReadAt>,
    name: &str,
    an: &mut Analyzer,
    mode: ReadMode,
) -> Result<(), evtx::err::EvtxError> {
    let mut input = input;
    let len = input.seek(SeekFrom::End(0))?;
    input.seek(SeekFrom::Start(0))?;
    let rest = len.saturating_sub(4096) % CHUNK as u64;
    if len > 4096 && rest != 0 {
        an.warn(name, WarningKind::Truncated { bytes: rest });
    }
    // The file header, checked as the `evtx` crate checks it; chunks are then read at
    // 4096 + n × 65536, as the crate reads them, but into buffers that are used again.
    let header = evtx::EvtxFileHeader::from_stream(&mut input)?;
    let Some(data_size) = len.checked_sub(header.header_block_size.into()) else {
        return Err(evtx::err::EvtxError::CalculationError(format!(
            "Could not calculate valid chunk count because stream size is less than evtx header \
             block size. (stream_size: {len}, header_block_size: {})",
            header.header_block_size
        )));
    };
    input.seek(SeekFrom::Start(4096))?;
    let shared = Shared {
        state: std::sync::Mutex::new(State {
            input,
            next_chunk: 0,
            chunk_count: data_size / CHUNK as u64,
            next_group: 0,
            in_flight: 0,
            ended: false,
            closed: false,
            ahead: std::collections::VecDeque::with_capacity(GROUP),
            positioned: false,
        }),
        room: std::sync::Condvar::new(),
        at,
    };
    // Worker threads (one fewer than the processors) claim groups of chunks in turn (a file's
    // read at their offsets after the claim, a stream's through its position under the lock,
    // into buffers they reuse), check and type them; the calling thread takes the results back
    // in file order and aggregates them (and renders the rare chunks the fast path cannot
    // read), so the report does not depend on scheduling. When
    // the next group is not ready, the calling thread claims and types one itself instead of
    // waiting. At most WINDOW groups are claimed and not yet aggregated, which bounds memory.
    let workers = workers();
    let (tx, rx) = std::sync::mpsc::channel::<Done>();
    let mut garbage: Vec<std::sync::mpsc::Sender<Typed>> = Vec::with_capacity(workers + 1);
    std::thread::scope(|scope| {
        for w in 0..workers {
            let (gtx, grx) = std::sync::mpsc::channel::<Typed>();
            garbage.push(gtx);
            let (tx, shared) = (tx.clone(), &shared);
            scope.spawn(move || work(w, shared, Typer::new(mode, grx), &tx));
        }
        drop(tx);
        let (gtx, grx) = std::sync::mpsc::channel::<Typed>();
        garbage.push(gtx);
        let helper = Typer::new(mode, grx);
        // If `consume` panics, the guard closes the pipeline so that the workers end.
        let _close = CloseOnDrop(&shared);
        consume(
            &rx,
            &shared,
            helper,
            &std::mem::take(&mut garbage),
            name,
            an,
        );
    });
    Ok(())
}

/// Worker threads: one fewer than the processors (the calling thread aggregates, and types
/// chunks too when it would otherwise wait), at least one, at most eight.
fn workers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .clamp(1, 8)
}

/// Bytes in a chunk.
const CHUNK: usize = 65_536;

/// Chunks claimed together (fewer thread hand-overs).
const GROUP: usize = 8;

/// Groups claimed and not yet aggregated, at most.
const WINDOW: usize = 16;

/// The input and the progress through it, shared by the workers.
struct State<R> {
    input: R,
    /// The next chunk to read.
    next_chunk: u64,
    /// Whole chunks after the file header, as the `evtx` crate counts them.
    chunk_count: u64,
    /// The number the next group gets.
    next_group: usize,
    /// Groups claimed and not yet aggregated.
    in_flight: usize,
    /// No chunk is left.
    ended: bool,
    /// The aggregating side stopped: claim nothing more.
    closed: bool,
    /// Chunks read ahead (one read call fills a group's buffers), with the bytes each got.
    ahead: std::collections::VecDeque<(Vec<u8>, usize)>,
    /// Chunks were read at their offsets: `input`'s position must be set before it is read.
    positioned: bool,
}

struct Shared<'a, R> {
    state: std::sync::Mutex<State<R>>,
    /// Signalled when a group has been aggregated or the pipeline closed.
    room: std::sync::Condvar,
    /// The input, read at offsets (a file).
    at: Option<&'a dyn ReadAt>,
}

impl<R> Shared<'_, R> {
    fn lock(&self) -> std::sync::MutexGuard<'_, State<R>> {
        // A worker that panicked while reading leaves the state as it was between two chunks.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

struct CloseOnDrop<'a, 'b, R>(&'a Shared<'b, R>);

impl<R> Drop for CloseOnDrop<'_, '_, R> {
    fn drop(&mut self) {
        self.0.lock().closed = true;
        self.0.room.notify_all();
    }
}

/// A chunk as read: its header parsed, or why it could not be read.
type Raw = Result<evtx::EvtxChunkData, String>;

/// Reads the next chunk that is not all zeros into a buffer from `pool`, as the `evtx` crate's
/// chunk iterator does: `None` at the end (a short read, or a bad chunk past the chunk count).
fn next_chunk<R: Read>(st: &mut State<R>, pool: &mut Vec<Vec<u8>>) -> Option<Raw> {
    loop {
        if st.ended {
            return None;
        }
        let n = st.next_chunk;
        st.next_chunk += 1;
        if st.ahead.is_empty() {
            read_ahead(st, pool);
        }
        let Some((buf, got)) = st.ahead.pop_front() else {
            st.ended = true;
            return None;
        };
        if got != CHUNK {
            // Nothing can follow a short read.
            st.ended = true;
        }
        return match open_chunk(buf, got, pool) {
            None => continue,
            Some(Ok(c)) => Some(Ok(c)),
            // Past the chunks the file's length promises, a chunk that cannot be read is where
            // the file ends, not an error.
            Some(Err(_)) if n >= st.chunk_count => {
                st.ended = true;
                None
            }
            Some(Err(e)) => Some(Err(chunk_error(n, e))),
        };
    }
}

/// A chunk's buffer as read (`got` bytes of it): `None` for an empty chunk (dirty files may hold
/// them between used ones: passed over, as the `evtx` crate does), an error for a short read,
/// else the chunk with its header parsed. Buffers not kept go back to `pool`.
fn open_chunk(
    buf: Vec<u8>,
    got: usize,
    pool: &mut Vec<Vec<u8>>,
) -> Option<Result<evtx::EvtxChunkData, evtx::err::ChunkError>> {
    if got != CHUNK {
        pool.push(buf);
        return Some(Err(evtx::err::ChunkError::IncompleteChunk));
    }
    if buf.iter().all(|b| *b == 0) {
        pool.push(buf);
        return None;
    }
    Some(evtx::EvtxChunkData::new(buf, false))
}

/// The message of chunk `n`'s error, as the `evtx` crate words it.
fn chunk_error(n: u64, e: evtx::err::ChunkError) -> String {
    evtx::err::EvtxError::FailedToParseChunk {
        chunk_id: n,
        source: Box::new(e),
    }
    .to_string()
}

/// Reads the next chunks' bytes (at most [`GROUP`]) into buffers from `pool` with as few read calls as
/// the input allows (one `readv` for a file), queued in `st.ahead` with the bytes each got: a
/// chunk that got fewer than [`CHUNK`] is where the input ended (or failed: a read error ends
/// the input, as it ends the `evtx` crate's reading).
fn read_ahead<R: Read>(st: &mut State<R>, pool: &mut Vec<Vec<u8>>) {
    // Up to the chunks the file's length promises (at least one: past them, a read finds the end
    // or, if the file grew, another chunk, as the `evtx` crate's reading would).
    let remaining = st
        .chunk_count
        .saturating_sub(st.next_chunk.saturating_sub(1));
    let count = usize::try_from(remaining).map_or(GROUP, |r| r.clamp(1, GROUP));
    let mut bufs: Vec<Vec<u8>> = (0..count)
        .map(|_| {
            let mut b = pool.pop().unwrap_or_default();
            b.resize(CHUNK, 0);
            b
        })
        .collect();
    let got = {
        let mut slices: Vec<std::io::IoSliceMut<'_>> = bufs
            .iter_mut()
            .map(|b| std::io::IoSliceMut::new(b))
            .collect();
        fill_vectored(&mut st.input, &mut slices)
    };
    for (i, b) in bufs.into_iter().enumerate() {
        let n = got.saturating_sub(i * CHUNK).min(CHUNK);
        st.ahead.push_back((b, n));
    }
}

/// Reads until every slice is full or the input ends; the bytes read.
fn fill_vectored<R: Read>(r: &mut R, mut slices: &mut [std::io::IoSliceMut<'_>]) -> usize {
    let mut n = 0;
    while !slices.is_empty() {
        match r.read_vectored(slices) {
            Ok(0) => break,
            Ok(k) => {
                n += k;
                std::io::IoSliceMut::advance_slices(&mut slices, k);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    n
}

/// Claims the next group: its number and up to [`GROUP`] chunks; `None` when the input is done
/// or the pipeline closed. While [`WINDOW`] groups are in flight it waits, or with `wait` false
/// returns `None`.
fn claim<R: Read + Seek>(
    shared: &Shared<'_, R>,
    pool: &mut Vec<Vec<u8>>,
    wait: bool,
) -> Option<(usize, Vec<Raw>)> {
    let mut st = shared.lock();
    while st.in_flight >= WINDOW && !st.closed {
        if !wait {
            return None;
        }
        st = shared
            .room
            .wait(st)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
    }
    if st.closed || st.ended {
        return None;
    }
    if let Some(at) = shared.at
        && st.ahead.is_empty()
        && st.next_chunk < st.chunk_count
    {
        // The whole chunks the file's length promises: this group's are taken here and read
        // outside the lock, while the other threads claim and read theirs.
        let first = st.next_chunk;
        let count = (st.chunk_count - first).min(GROUP as u64);
        st.next_chunk += count;
        st.positioned = true;
        let g = st.next_group;
        st.next_group += 1;
        st.in_flight += 1;
        drop(st);
        let (group, short) = read_chunks_at(at, first..first + count, pool);
        if short {
            // Nothing can follow a short read (the file shrank, or reading failed).
            shared.lock().ended = true;
        }
        return Some((g, group));
    }
    if st.positioned && st.ahead.is_empty() {
        // Past the chunks read at their offsets (the file grew): on through the position.
        let at = 4096 + st.next_chunk * CHUNK as u64;
        st.positioned = false;
        if st.input.seek(SeekFrom::Start(at)).is_err() {
            st.ended = true;
            return None;
        }
    }
    let mut group = Vec::with_capacity(GROUP);
    while group.len() < GROUP {
        match next_chunk(&mut st, pool) {
            Some(c) => group.push(c),
            None => break,
        }
    }
    if group.is_empty() {
        return None;
    }
    let g = st.next_group;
    st.next_group += 1;
    st.in_flight += 1;
    Some((g, group))
}

/// Reads chunks `range` at their offsets into buffers from `pool`, as [`next_chunk`] reads them
/// through the position: empty chunks are left out, and a short read (or a read error) gives the
/// chunk's error and ends the group; the flag says it did.
fn read_chunks_at(
    at: &dyn ReadAt,
    range: std::ops::Range<u64>,
    pool: &mut Vec<Vec<u8>>,
) -> (Vec<Raw>, bool) {
    let mut group = Vec::with_capacity(GROUP);
    for n in range {
        let mut buf = pool.pop().unwrap_or_default();
        buf.resize(CHUNK, 0);
        let mut got = 0;
        while got < CHUNK {
            match at.read_at(&mut buf[got..], 4096 + n * CHUNK as u64 + got as u64) {
                Ok(0) => break,
                Ok(k) => got += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let short = got != CHUNK;
        match open_chunk(buf, got, pool) {
            None => {}
            Some(c) => group.push(c.map_err(|e| chunk_error(n, e))),
        }
        if short {
            return (group, true);
        }
    }
    (group, false)
}

/// A group typed by worker `worker`, to aggregate as group `group`.
struct Done {
    group: usize,
    worker: usize,
    msgs: Vec<Msg>,
}

fn work<R: Read + Seek>(
    worker: usize,
    shared: &Shared<'_, R>,
    mut typer: Typer,
    tx: &std::sync::mpsc::Sender<Done>,
) {
    while let Some((group, chunks)) = claim(shared, &mut typer.pool, true) {
        let msgs = typer.group(chunks);
        if tx
            .send(Done {
                group,
                worker,
                msgs,
            })
            .is_err()
        {
            return;
        }
    }
}

/// What a thread needs to check and type chunks, kept from group to group.
struct Typer {
    mode: ReadMode,
    needles: Needles,
    /// Typed batches to reuse.
    spare: Vec<Typed>,
    /// Chunk buffers to reuse.
    pool: Vec<Vec<u8>>,
    /// Batches the aggregating thread has finished with.
    garbage: std::sync::mpsc::Receiver<Typed>,
}

impl Typer {
    fn new(mode: ReadMode, garbage: std::sync::mpsc::Receiver<Typed>) -> Self {
        Self {
            mode,
            needles: Needles::new(),
            spare: Vec::new(),
            pool: Vec::new(),
            garbage,
        }
    }

    fn group(&mut self, chunks: Vec<Raw>) -> Vec<Msg> {
        chunks.into_iter().map(|c| self.chunk(c)).collect()
    }

    fn chunk(&mut self, chunk: Raw) -> Msg {
        let data = match chunk {
            Ok(d) => d,
            Err(e) => return Msg::BadChunk(e),
        };
        let crc_ok = checksums_match(&data.data, data.header.free_space_offset);
        let body = if !self.needles.hit(&data.data) {
            let h = &data.header;
            let n = h
                .last_event_record_number
                .checked_sub(h.first_event_record_number)
                .map_or(0, |d| (d + 1).min(MAX_RECORDS_PER_CHUNK));
            self.pool.push(data.data);
            Body::Skipped(n)
        } else {
            let mut events = self.spare.pop().unwrap_or_default();
            events.clear();
            let ok = self.mode != ReadMode::Rendered
                && crate::fastbin::read_chunk_items(
                    &data.data,
                    data.header.free_space_offset as usize,
                    &mut events,
                    self.mode == ReadMode::Typed,
                )
                .is_ok();
            if ok {
                self.pool.push(data.data);
                Body::Fast(events)
            } else {
                events.clear();
                self.spare.push(events);
                Body::Slow(Box::new(data))
            }
        };
        // Take back what the aggregating thread has finished with (freed and reused here, not
        // on that thread).
        while let Ok(mut done) = self.garbage.try_recv() {
            done.clear();
            if self.spare.len() < 2 * GROUP {
                self.spare.push(done);
            }
        }
        self.pool.truncate(2 * GROUP);
        Msg::Chunk { crc_ok, body }
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

fn consume<R: Read + Seek>(
    rx: &std::sync::mpsc::Receiver<Done>,
    shared: &Shared<'_, R>,
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
        garbage,
        name,
    };
    // Groups that arrived before their turn; the channel closes when every worker has ended.
    let mut early: std::collections::BTreeMap<usize, Done> = std::collections::BTreeMap::new();
    let mut next = 0usize;
    let mut i = 0usize;
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
            c.chunk(msg, i, done.worker, an);
            i += 1;
        }
        shared.lock().in_flight -= 1;
        shared.room.notify_one();
    }
    c.finish(an);
}

/// The aggregating side's state across chunks.
struct Consumer<'a> {
    settings: Arc<ParserSettings>,
    warm_keys: Vec<u128>,
    bad_crc: u64,
    /// Runs of unreadable chunks are reported once: (count, first error).
    bad_run: Option<(usize, String)>,
    garbage: &'a [std::sync::mpsc::Sender<Typed>],
    name: &'a str,
}

impl Consumer<'_> {
    /// Aggregates chunk `i` (in file order), typed by worker `worker`.
    fn chunk(&mut self, msg: Msg, i: usize, worker: usize, an: &mut Analyzer) {
        let name = self.name;
        let (crc_ok, body) = match msg {
            Msg::BadChunk(e) => {
                an.count_bad_chunk();
                self.bad_run = Some(match self.bad_run.take() {
                    Some((n, first)) => (n + 1, first),
                    None => (1, e),
                });
                return;
            }
            Msg::Chunk { crc_ok, body } => (crc_ok, body),
        };
        flush_bad_run(an, name, self.bad_run.take());
        if !crc_ok {
            self.bad_crc += 1;
        }
        match body {
            Body::Skipped(n) => {
                an.read(n);
                an.skip_n(SkipReason::OtherEvent, n);
            }
            Body::Fast(items) => {
                an.read(items.items.len() as u64);
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
            }
            Body::Slow(mut data) => slow_chunk(&mut data, &self.settings, i, name, an),
        }
    }

    fn finish(&mut self, an: &mut Analyzer) {
        flush_bad_run(an, self.name, self.bad_run.take());
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
