//! Chunks dealt in groups to the worker threads and the calling thread: reading them (a file's
//! at their offsets, a stream's one group after another), checking and typing them.

use std::io::Read;

use super::error::*;
use super::input::*;
use super::msg::*;
use super::typer::*;
use volact_core::out::fmt::count as grouped;

/// Worker threads: one fewer than the processors (the calling thread aggregates, and types
/// chunks too when it would otherwise wait), at least one, at most eight.
pub(super) fn workers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get().saturating_sub(1))
        .clamp(1, 8)
}

/// The input and the progress through it, shared by the workers.
pub(super) struct State<I> {
    pub(super) input: I,
    /// The next chunk to read.
    pub(super) next_chunk: u64,
    /// Whole chunks after the file header, as the `evtx` crate counts them (unknown for a
    /// stream: `u64::MAX`).
    pub(super) chunk_count: u64,
    /// The number the next group gets.
    pub(super) next_group: usize,
    /// Groups claimed and not yet aggregated.
    pub(super) in_flight: usize,
    /// No chunk is left.
    pub(super) ended: bool,
    /// The aggregating side stopped: claim nothing more.
    pub(super) closed: bool,
    /// Chunks read ahead (one read call fills a group's buffers), with the bytes each got.
    pub(super) ahead: std::collections::VecDeque<(Vec<u8>, usize)>,
    /// The read error that ended reading ahead (it belongs to the first chunk not read whole).
    pub(super) read_error: Option<String>,
    /// Chunks were read at their offsets: `input`'s position must be set before it is read.
    pub(super) positioned: bool,
}

pub(super) struct Shared<'a, I> {
    pub(super) state: std::sync::Mutex<State<I>>,
    /// Signalled when a group has been aggregated or the pipeline closed.
    pub(super) room: std::sync::Condvar,
    /// The input, read at offsets (a file).
    pub(super) at: Option<&'a dyn ReadAt>,
}

impl<I> Shared<'_, I> {
    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, State<I>> {
        // A worker that panicked while reading leaves the state as it was between two chunks.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

pub(super) struct CloseOnDrop<'a, 'b, I>(pub(super) &'a Shared<'b, I>);

impl<I> Drop for CloseOnDrop<'_, '_, I> {
    fn drop(&mut self) {
        self.0.lock().closed = true;
        self.0.room.notify_all();
    }
}

/// Reads the next chunk that is not all zeros into a buffer from `pool`, as the `evtx` crate's
/// chunk iterator does: `None` at the end (the input's end, or a bad chunk past the chunk count).
pub(super) fn next_chunk<I: Input>(st: &mut State<I>, pool: &mut Vec<Vec<u8>>) -> Option<Raw> {
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
pub(super) fn read_failed(n: u64, got: usize, error: &str) -> Raw {
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
pub(super) fn open_chunk(
    n: u64,
    mut buf: Vec<u8>,
    got: usize,
    pool: &mut Vec<Vec<u8>>,
) -> Option<Raw> {
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
pub(super) fn chunk_error(n: u64, e: evtx::err::ChunkError) -> String {
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
pub(super) fn read_ahead<I: Input>(st: &mut State<I>, pool: &mut Vec<Vec<u8>>) {
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
pub(super) fn fill_vectored<R: Read>(
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
pub(super) fn claim<I: Input>(
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
pub(super) fn read_chunks_at(
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

pub(super) fn work<I: Input>(
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
