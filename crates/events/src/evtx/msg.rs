//! What the stages of the pipeline hand each other: raw chunks (read), typed chunks (to be
//! aggregated), and the sizes of the groups they travel in.

/// Bytes in a chunk.
pub(super) const CHUNK: usize = 65_536;

/// Chunks claimed together (fewer thread hand-overs).
pub(super) const GROUP: usize = 8;

/// Groups claimed and not yet aggregated, at most.
pub(super) const WINDOW: usize = 16;

/// A chunk as read. (Not boxed: the usual variant is the large one, moved a few times per
/// chunk; a box would be an allocation per chunk.)
#[allow(clippy::large_enum_variant)]
pub(super) enum Raw {
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

/// A group typed by worker `worker`, to aggregate as group `group`.
pub(super) struct Done {
    pub(super) group: usize,
    pub(super) worker: usize,
    pub(super) msgs: Vec<Msg>,
}

/// What the reading stage hands to the aggregating stage, chunk by chunk, in order.
pub(super) enum Msg {
    /// A chunk that cannot be read: why, and whether its bytes hold record signatures.
    BadChunk { error: String, records: bool },
    /// The input ended this many bytes into a chunk, too early for its header.
    Short(u64),
    /// A loaded chunk.
    Chunk(Loaded),
}

/// A loaded chunk: its number in the file, whether its checksums match, the records its header
/// lists (and their first and last numbers), where the input ended inside it (if it did), and
/// its records.
pub(super) struct Loaded {
    pub(super) n: u64,
    pub(super) crc_ok: bool,
    pub(super) listed: Option<u64>,
    pub(super) numbers: Option<(u64, u64)>,
    pub(super) cut: Option<u64>,
    pub(super) body: Body,
}

/// The records of one chunk, typed by the fast path.
pub(super) type Typed = crate::fastbin::Batch;

pub(super) enum Body {
    /// No activation provider in the chunk: its records counted and skipped unread (`corrupt`
    /// of them damaged).
    Skipped { read: u64, corrupt: u64 },
    /// Records typed by the fast path.
    Fast(Typed),
    /// Needs the `evtx` crate's renderer.
    Slow(Box<evtx::EvtxChunkData>),
}
