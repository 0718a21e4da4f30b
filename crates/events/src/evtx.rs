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
use crate::digits::grouped;
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

/// Bytes in the file header block; chunks start after it.
pub const FILE_HEADER: u64 = 4096;

/// Why a `.evtx` input could not be read at all (its file header is missing or not one).
/// Anything after the file header is read as far as it goes and reported in warnings instead.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    /// The input ends inside the 4,096-byte file header.
    HeaderCut {
        /// Bytes the input holds.
        len: u64,
    },
    /// The input does not start with the `ElfFile` signature.
    NotEvtx,
    /// Reading failed before the file header was complete.
    Io {
        /// Bytes read before the error.
        at: u64,
        /// The system's message.
        error: String,
    },
}

impl ReadError {
    /// The problem as a sentence in `lang` (without the file name).
    pub fn message(&self, lang: volact_core::Lang) -> String {
        use volact_core::Lang;
        let head = grouped(FILE_HEADER);
        match (self, lang) {
            (ReadError::HeaderCut { len }, Lang::En) => format!(
                "the file header of a .evtx file is {head} bytes, but this input ends at byte {} \
                 (cut short?): no record can be read",
                grouped(*len)
            ),
            (ReadError::HeaderCut { len }, Lang::ZhTw) => format!(
                ".evtx 檔案的檔頭有 {head} 位元組，但此輸入在第 {} 位元組就結束了（可能被截斷）：無法讀取任何記錄",
                grouped(*len)
            ),
            (ReadError::NotEvtx, Lang::En) => {
                "it does not start with the .evtx signature \"ElfFile\"".to_owned()
            }
            (ReadError::NotEvtx, Lang::ZhTw) => "開頭不是 .evtx 檔案的識別字「ElfFile」".to_owned(),
            (ReadError::Io { at, error }, Lang::En) => format!(
                "reading failed at byte {} of the {head}-byte file header: {error}",
                grouped(*at)
            ),
            (ReadError::Io { at, error }, Lang::ZhTw) => format!(
                "讀取 {head} 位元組的檔頭時，在第 {} 位元組失敗：{error}",
                grouped(*at)
            ),
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(volact_core::Lang::En))
    }
}

impl std::error::Error for ReadError {}

/// Reads one .evtx input that can seek (a buffer, a file) into `an`; `name` is used in
/// warnings. Returns `Err` only when the file header cannot be read.
pub fn read_evtx<R: Read + Seek + Send>(
    input: R,
    name: &str,
    an: &mut Analyzer,
) -> Result<(), ReadError> {
    read_evtx_with(input, name, an, true)
}

/// Like [`read_evtx`]; `fast = false` renders every candidate record through the `evtx` crate
/// instead of reading template values directly (tests compare both).
pub fn read_evtx_with<R: Read + Seek + Send>(
    input: R,
    name: &str,
    an: &mut Analyzer,
    fast: bool,
) -> Result<(), ReadError> {
    let mode = if fast {
        ReadMode::Typed
    } else {
        ReadMode::Rendered
    };
    read_evtx_mode(input, name, an, mode)
}

/// How the records of chunks holding activation events are read. Every mode gives the same
/// report (damaged chunks, those whose checksums are wrong, are read by the `evtx` crate in
/// every mode); tests compare them.
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
) -> Result<(), ReadError> {
    let mut input = input;
    let io = |e: std::io::Error| ReadError::Io {
        at: 0,
        error: e.to_string(),
    };
    let len = input.seek(SeekFrom::End(0)).map_err(io)?;
    input.seek(SeekFrom::Start(0)).map_err(io)?;
    read_evtx_from(Seekable(input), Some(len), None, name, an, mode)
}

/// Reads one .evtx stream that cannot seek (standard input, a pipe) chunk by chunk, in bounded
/// memory (at most a few hundred chunks of 64 KiB are held at once, whatever the stream's
/// length), giving the report [`read_evtx`] gives for the same bytes.
pub fn read_evtx_stream<R: Read + Send>(
    input: R,
    name: &str,
    an: &mut Analyzer,
) -> Result<(), ReadError> {
    read_evtx_stream_mode(input, name, an, ReadMode::Typed)
}

/// Like [`read_evtx_stream`], reading in `mode`.
pub fn read_evtx_stream_mode<R: Read + Send>(
    input: R,
    name: &str,
    an: &mut Analyzer,
    mode: ReadMode,
) -> Result<(), ReadError> {
    read_evtx_from(Streamed(input), None, None, name, an, mode)
}

/// Like [`read_evtx`], for a file: the threads read their chunks at their offsets, each at its
/// own pace, instead of one after another through the file's position under a lock (a thread
/// copying half a megabyte from the kernel held the others up).
pub fn read_evtx_file(
    file: &std::fs::File,
    name: &str,
    an: &mut Analyzer,
) -> Result<(), ReadError> {
    read_evtx_file_mode(file, name, an, ReadMode::Typed)
}

/// Like [`read_evtx_file`], reading in `mode`.
pub fn read_evtx_file_mode(
    file: &std::fs::File,
    name: &str,
    an: &mut Analyzer,
    mode: ReadMode,
) -> Result<(), ReadError> {
    let mut input = file;
    let io = |e: std::io::Error| ReadError::Io {
        at: 0,
        error: e.to_string(),
    };
    let len = input.seek(SeekFrom::End(0)).map_err(io)?;
    input.seek(SeekFrom::Start(0)).map_err(io)?;
    read_evtx_from(Seekable(input), Some(len), Some(file), name, an, mode)
}

/// What chunks are read from: an input that can seek, or a stream that cannot.
trait Input: Read + Send {
    /// Moves to byte `pos` (only asked of inputs also read at offsets).
    fn seek_to(&mut self, pos: u64) -> std::io::Result<()>;
}

/// An input that can seek.
struct Seekable<R>(R);

impl<R: Read> Read for Seekable<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }

    fn read_vectored(&mut self, bufs: &mut [std::io::IoSliceMut<'_>]) -> std::io::Result<usize> {
        self.0.read_vectored(bufs)
    }
}

impl<R: Read + Seek + Send> Input for Seekable<R> {
    fn seek_to(&mut self, pos: u64) -> std::io::Result<()> {
        self.0.seek(SeekFrom::Start(pos)).map(|_| ())
    }
}

/// A stream: read in order, never moved.
struct Streamed<R>(R);

impl<R: Read> Read for Streamed<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }

    fn read_vectored(&mut self, bufs: &mut [std::io::IoSliceMut<'_>]) -> std::io::Result<usize> {
        self.0.read_vectored(bufs)
    }
}

impl<R: Read + Send> Input for Streamed<R> {
    fn seek_to(&mut self, _pos: u64) -> std::io::Result<()> {
        Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
    }
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

/// Reads from `input` (positioned at its start; `len` bytes long when known); with `at`, the
/// whole chunks the file's length promises are read at their offsets through `at` (the same
/// file), the rest (a file that grew) through `input`.
fn read_evtx_from<I: Input>(
    input: I,
    len: Option<u64>,
    at: Option<&dyn ReadAt>,
    name: &str,
    an: &mut Analyzer,
    mode: ReadMode,
) -> Result<(), ReadError> {
    let mut input = input;
    // The file header: only its signature matters here (the chunks are read at
    // 4096 + n × 65536, as the `evtx` crate reads them, into buffers that are used again).
    let mut head = vec![0u8; FILE_HEADER as usize];
    let mut slice = [std::io::IoSliceMut::new(&mut head)];
    let (got, error) = fill_vectored(&mut input, &mut slice);
    let sig = b"ElfFile\0";
    let seen = got.min(sig.len());
    if head[..seen] != sig[..seen] || (got == 0 && error.is_none()) {
        return Err(ReadError::NotEvtx);
    }
    if let Some(error) = error {
        return Err(ReadError::Io {
            at: got as u64,
            error,
        });
    }
    if got < FILE_HEADER as usize {
        return Err(ReadError::HeaderCut { len: got as u64 });
    }
    let shared = Shared {
        state: std::sync::Mutex::new(State {
            input,
            next_chunk: 0,
            chunk_count: len.map_or(u64::MAX, |l| l.saturating_sub(FILE_HEADER) / CHUNK as u64),
            next_group: 0,
            in_flight: 0,
            ended: false,
            closed: false,
            ahead: std::collections::VecDeque::with_capacity(GROUP),
            read_error: None,
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
struct State<I> {
    input: I,
    /// The next chunk to read.
    next_chunk: u64,
    /// Whole chunks after the file header, as the `evtx` crate counts them (unknown for a
    /// stream: `u64::MAX`).
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
    /// The read error that ended reading ahead (it belongs to the first chunk not read whole).
    read_error: Option<String>,
    /// Chunks were read at their offsets: `input`'s position must be set before it is read.
    positioned: bool,
}

struct Shared<'a, I> {
    state: std::sync::Mutex<State<I>>,
    /// Signalled when a group has been aggregated or the pipeline closed.
    room: std::sync::Condvar,
    /// The input, read at offsets (a file).
    at: Option<&'a dyn ReadAt>,
}

impl<I> Shared<'_, I> {
    fn lock(&self) -> std::sync::MutexGuard<'_, State<I>> {
        // A worker that panicked while reading leaves the state as it was between two chunks.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

struct CloseOnDrop<'a, 'b, I>(&'a Shared<'b, I>);

impl<I> Drop for CloseOnDrop<'_, '_, I> {
    fn drop(&mut self) {
        self.0.lock().closed = true;
        self.0.room.notify_all();
    }
}

/// A chunk as read. (Not boxed: the usual variant is the large one, moved a few times per
/// chunk; a box would be an allocation per chunk.)
#[allow(clippy::large_enum_variant)]
enum Raw {
    /// A chunk with its header parsed: its number in the file, and where the input ended inside
    /// it, if it did (the missing bytes are read as zeros: the records before the cut count).
    Chunk {
        n: u64,
        data: evtx::EvtxChunkData,
        cut: Option<u64>,
    },
    /// A chunk that cannot be read: why, and whether its bytes hold record signatures (a run of
    /// such chunks at the end of the file without any is unused space, not damage).
    Bad { error: String, records: bool },
    /// The input ends this many bytes into a chunk, too early for its header.
    Short(u64),
}

/// Reads the next chunk that is not all zeros into a buffer from `pool`, as the `evtx` crate's
/// chunk iterator does: `None` at the end (the input's end, or a bad chunk past the chunk count).
fn next_chunk<I: Input>(st: &mut State<I>, pool: &mut Vec<Vec<u8>>) -> Option<Raw> {
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
            if let Some(e) = st.read_error.take() {
                pool.push(buf);
                return Some(read_failed(n, got, &e));
            }
        }
        return match open_chunk(n, buf, got, pool) {
            None => continue,
            // Past the chunks the file's length promises, a chunk that cannot be read is where
            // the file ends, not an error.
            Some(Raw::Bad { .. }) if n >= st.chunk_count => {
                st.ended = true;
                None
            }
            Some(r) => Some(r),
        };
    }
}

/// Chunk `n`, which a read error cut after `got` bytes.
fn read_failed(n: u64, got: usize, error: &str) -> Raw {
    let at = FILE_HEADER + n * CHUNK as u64 + got as u64;
    Raw::Bad {
        error: format!(
            "reading chunk {n} failed at byte {} of the input: {error}",
            grouped(at)
        ),
        records: true,
    }
}

/// Chunk `n`'s buffer as read (`got` bytes of it): `None` for an empty chunk (dirty files may
/// hold them between used ones: passed over, as the `evtx` crate does) or when nothing was read,
/// else the chunk with its header parsed, or why it cannot be. Buffers not kept go back to `pool`.
fn open_chunk(n: u64, mut buf: Vec<u8>, got: usize, pool: &mut Vec<Vec<u8>>) -> Option<Raw> {
    if got == 0 {
        pool.push(buf);
        return None;
    }
    if got < CHUNK {
        buf[got..].fill(0);
        if got < 512 || !buf.starts_with(b"ElfChnk\0") {
            pool.push(buf);
            return Some(Raw::Short(got as u64));
        }
    } else if buf.iter().all(|b| *b == 0) {
        pool.push(buf);
        return None;
    }
    let records = !buf.starts_with(b"ElfChnk\0") && memchr::memmem::find(&buf, b"**\0\0").is_some();
    Some(match evtx::EvtxChunkData::new(buf, false) {
        Ok(data) => Raw::Chunk {
            n,
            data,
            cut: (got < CHUNK).then_some(got as u64),
        },
        Err(e) => Raw::Bad {
            error: chunk_error(n, e),
            records,
        },
    })
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
/// the input, as it ends the `evtx` crate's reading; it is kept in `st.read_error`).
fn read_ahead<I: Input>(st: &mut State<I>, pool: &mut Vec<Vec<u8>>) {
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
    let (got, error) = {
        let mut slices: Vec<std::io::IoSliceMut<'_>> = bufs
            .iter_mut()
            .map(|b| std::io::IoSliceMut::new(b))
            .collect();
        fill_vectored(&mut st.input, &mut slices)
    };
    st.read_error = error;
    for (i, b) in bufs.into_iter().enumerate() {
        let n = got.saturating_sub(i * CHUNK).min(CHUNK);
        st.ahead.push_back((b, n));
    }
}

/// Reads until every slice is full or the input ends; the bytes read, and the read error that
/// ended it, if one did.
fn fill_vectored<R: Read>(
    r: &mut R,
    mut slices: &mut [std::io::IoSliceMut<'_>],
) -> (usize, Option<String>) {
    let mut n = 0;
    while !slices.is_empty() {
        match r.read_vectored(slices) {
            Ok(0) => break,
            Ok(k) => {
                n += k;
                std::io::IoSliceMut::advance_slices(&mut slices, k);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return (n, Some(e.to_string())),
        }
    }
    (n, None)
}

/// Claims the next group: its number and up to [`GROUP`] chunks; `None` when the input is done
/// or the pipeline closed. While [`WINDOW`] groups are in flight it waits, or with `wait` false
/// returns `None`.
fn claim<I: Input>(
    shared: &Shared<'_, I>,
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
        let at = FILE_HEADER + st.next_chunk * CHUNK as u64;
        st.positioned = false;
        if st.input.seek_to(at).is_err() {
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
/// through the position: empty chunks are left out, and a short read (or a read error) ends the
/// group; the flag says it did.
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
        let mut error = None;
        while got < CHUNK {
            match at.read_at(&mut buf[got..], FILE_HEADER + n * CHUNK as u64 + got as u64) {
                Ok(0) => break,
                Ok(k) => got += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    error = Some(e.to_string());
                    break;
                }
            }
        }
        if let Some(e) = error {
            pool.push(buf);
            group.push(read_failed(n, got, &e));
            return (group, true);
        }
        let short = got != CHUNK;
        if let Some(c) = open_chunk(n, buf, got, pool) {
            group.push(c);
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

fn work<I: Input>(
    worker: usize,
    shared: &Shared<'_, I>,
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
        let (n, data, cut) = match chunk {
            Raw::Chunk { n, data, cut } => (n, data, cut),
            Raw::Bad { error, records } => return Msg::BadChunk { error, records },
            Raw::Short(bytes) => return Msg::Short(bytes),
        };
        let crc_ok = checksums_match(&data.data, data.header.free_space_offset);
        let h = &data.header;
        // The records the chunk header lists (when its numbers make sense), to compare with the
        // records read from it.
        let listed = h
            .last_event_record_number
            .checked_sub(h.first_event_record_number)
            .filter(|d| *d < MAX_RECORDS_PER_CHUNK)
            .map(|d| d + 1);
        let numbers = listed.map(|_| (h.first_event_record_number, h.last_event_record_number));
        let body = if !self.needles.hit(&data.data) {
            // Counted record by record as the `evtx` crate walks them (not from the header,
            // whose numbers may be damaged).
            let (read, corrupt) = count_records(&data.data, &data.header);
            self.pool.push(data.data);
            Body::Skipped { read, corrupt }
        } else {
            let mut events = self.spare.pop().unwrap_or_default();
            events.clear();
            // A chunk whose checksums are wrong is damaged (or was never checksummed): the
            // `evtx` crate reads it in every mode, so that every mode gives the same report.
            let ok = self.mode != ReadMode::Rendered
                && crc_ok
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
        Msg::Chunk {
            n,
            crc_ok,
            listed,
            numbers,
            cut,
            body,
        }
    }
}

/// The records of a chunk as the `evtx` crate's record walk finds them (from byte 512 up to the
/// free-space offset or the header's last record, ending cleanly at zeros or a record header
/// cut by the chunk's end): how many are whole, and how many are damaged (at most one: the walk
/// does not go past a damaged record).
fn count_records(chunk: &[u8], h: &evtx::EvtxChunkHeader) -> (u64, u64) {
    let end = (h.free_space_offset as usize).min(chunk.len());
    let mut p = 512usize;
    let mut read = 0u64;
    while p < end {
        let Some(head) = chunk.get(p..p + 24) else {
            break;
        };
        if head[..4] != *b"**\0\0" {
            // Zeros end the records; anything else is a damaged record.
            return (read, u64::from(head[..4] != [0; 4]));
        }
        let size = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as usize;
        let id = u64::from_le_bytes(head[8..16].try_into().unwrap_or_default());
        if size < 28 || p + size > chunk.len() {
            return (read, 1);
        }
        read += 1;
        if id == h.last_event_record_id {
            break;
        }
        p += size;
    }
    (read, 0)
}

/// What the reading stage hands to the aggregating stage, chunk by chunk, in order.
enum Msg {
    /// A chunk that cannot be read: why, and whether its bytes hold record signatures.
    BadChunk { error: String, records: bool },
    /// The input ended this many bytes into a chunk, too early for its header.
    Short(u64),
    /// A loaded chunk: its number in the file, whether its checksums match, the records its
    /// header lists (and their first and last numbers), where the input ended inside it (if it
    /// did), and its records.
    Chunk {
        n: u64,
        crc_ok: bool,
        listed: Option<u64>,
        numbers: Option<(u64, u64)>,
        cut: Option<u64>,
        body: Body,
    },
}

/// The records of one chunk, typed by the fast path.
type Typed = crate::fastbin::Batch;

enum Body {
    /// No activation provider in the chunk: its records counted and skipped unread (`corrupt`
    /// of them damaged).
    Skipped { read: u64, corrupt: u64 },
    /// Records typed by the fast path.
    Fast(Typed),
    /// Needs the `evtx` crate's renderer.
    Slow(Box<evtx::EvtxChunkData>),
}

fn consume<I: Input>(
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
struct BadRun {
    count: usize,
    error: String,
    records: bool,
}

/// The aggregating side's state across chunks.
struct Consumer<'a> {
    settings: Arc<ParserSettings>,
    warm_keys: Vec<u128>,
    bad_crc: u64,
    /// Runs of unreadable chunks are reported once.
    bad_run: Option<BadRun>,
    /// The last record number the previous chunk's header lists.
    last_number: Option<u64>,
    garbage: &'a [std::sync::mpsc::Sender<Typed>],
    name: &'a str,
}

impl Consumer<'_> {
    /// Aggregates the next chunk (in file order), typed by worker `worker`.
    fn chunk(&mut self, msg: Msg, worker: usize, an: &mut Analyzer) {
        let name = self.name;
        let (n, crc_ok, listed, numbers, cut, body) = match msg {
            Msg::BadChunk { error, records } => {
                match &mut self.bad_run {
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
                }
                return;
            }
            Msg::Short(bytes) => {
                flush_bad_run(an, name, self.bad_run.take());
                an.warn(name, WarningKind::Truncated { bytes });
                return;
            }
            Msg::Chunk {
                n,
                crc_ok,
                listed,
                numbers,
                cut,
                body,
            } => (n, crc_ok, listed, numbers, cut, body),
        };
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
        match numbers.filter(|_| crc_ok) {
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
        if !crc_ok {
            self.bad_crc += 1;
        }
        let read = match body {
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
            Body::Slow(mut data) => slow_chunk(&mut data, &self.settings, n, name, an),
        };
        // Records the chunk header lists that could not be read (all of them when the chunk
        // could not be parsed): said, not lost silently.
        if let Some(listed) = listed
            && let read = read.unwrap_or(0)
            && read < listed
        {
            an.warn(
                name,
                WarningKind::RecordsMissing {
                    chunk: n,
                    listed,
                    read,
                },
            );
        }
        if let Some(bytes) = cut {
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
fn slow_chunk(
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

fn chunk_not_parsed(n: u64, e: &evtx::err::ChunkError, name: &str, an: &mut Analyzer) {
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
fn slow_records(parsed: &mut evtx::EvtxChunk<'_>, n: u64, name: &str, an: &mut Analyzer) -> u64 {
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

fn flush_bad_run(an: &mut Analyzer, name: &str, run: Option<BadRun>) {
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

/// Writes the two CRC32 checksums [`checksums_match`] checks into a chunk of at least 512 bytes
/// (tests and the fuzz target build damaged chunks whose checksums still match, to reach the
/// fast path).
pub fn set_checksums(chunk: &mut [u8]) {
    if chunk.len() < 512 {
        return;
    }
    let free = u32::from_le_bytes([chunk[48], chunk[49], chunk[50], chunk[51]]);
    let end = (free as usize).clamp(512, chunk.len());
    let data = evtx::checksum_ieee(&chunk[512..end]);
    chunk[52..56].copy_from_slice(&data.to_le_bytes());
    let mut h = Vec::with_capacity(504);
    h.extend_from_slice(&chunk[..120]);
    h.extend_from_slice(&chunk[128..512]);
    let header = evtx::checksum_ieee(&h);
    chunk[124..128].copy_from_slice(&header.to_le_bytes());
}
