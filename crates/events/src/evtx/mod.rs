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

use std::io::{Read, Seek, SeekFrom};

use crate::analyze::Analyzer;

mod checksum;
mod consume;
mod error;
mod filter;
mod input;
mod msg;
mod pool;
mod typer;

pub use checksum::{checksums_match, set_checksums};
use consume::*;
pub use error::{FILE_HEADER, ReadError, ReadMode};
pub use filter::chunk_may_hold_activation;
use input::*;
use msg::*;
use pool::*;
use typer::*;

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

/// Like [`read_evtx`], reading in `mode`.
pub fn read_evtx_mode<R: Read + Seek + Send>(
    input: R,
    name: &str,
    an: &mut Analyzer,
    mode: ReadMode,
) -> Result<(), ReadError> {
    let mut input = input;
    let len = length(&mut input)?;
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
    let len = length(&mut input)?;
    read_evtx_from(Seekable(input), Some(len), Some(file), name, an, mode)
}

/// The length of a seekable input, which is left at its start.
fn length(input: &mut impl Seek) -> Result<u64, ReadError> {
    let io = |e: std::io::Error| ReadError::Io {
        at: 0,
        error: e.to_string(),
    };
    let len = input.seek(SeekFrom::End(0)).map_err(io)?;
    input.seek(SeekFrom::Start(0)).map_err(io)?;
    Ok(len)
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
