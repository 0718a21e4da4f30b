//! Typing one chunk: through the fast path of `fastbin` when it can, counting its records.

use super::checksum::checksums_match;
use super::error::*;
use super::filter::*;
use super::msg::*;

/// What a thread needs to check and type chunks, kept from group to group.
pub(super) struct Typer {
    pub(super) mode: ReadMode,
    pub(super) needles: Needles,
    /// Typed batches to reuse.
    pub(super) spare: Vec<Typed>,
    /// Chunk buffers to reuse.
    pub(super) pool: Vec<Vec<u8>>,
    /// Batches the aggregating thread has finished with.
    pub(super) garbage: std::sync::mpsc::Receiver<Typed>,
}

impl Typer {
    pub(super) fn new(mode: ReadMode, garbage: std::sync::mpsc::Receiver<Typed>) -> Self {
        Self {
            mode,
            needles: Needles::new(),
            spare: Vec::new(),
            pool: Vec::new(),
            garbage,
        }
    }

    pub(super) fn group(&mut self, chunks: Vec<Raw>) -> Vec<Msg> {
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
        Msg::Chunk(Loaded {
            n,
            crc_ok,
            listed,
            numbers,
            cut,
            body,
        })
    }
}

/// The records of a chunk as the `evtx` crate's record walk finds them (from byte 512 up to the
/// free-space offset or the header's last record, ending cleanly at zeros or a record header
/// cut by the chunk's end): how many are whole, and how many are damaged (at most one: the walk
/// does not go past a damaged record).
pub(super) fn count_records(chunk: &[u8], h: &evtx::EvtxChunkHeader) -> (u64, u64) {
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
