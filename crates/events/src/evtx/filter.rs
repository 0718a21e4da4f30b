//! The cheap test before any parsing: whether a chunk's bytes can hold an activation event
//! (the UTF-16 name of an activation provider), and the per-chunk limits.

/// Records per chunk at most (a record is at least 24 bytes).
pub(super) const MAX_RECORDS_PER_CHUNK: u64 = 65_536 / 24;

/// Consecutive record errors in one chunk after which the rest of the chunk is abandoned.
pub(super) const MAX_RECORD_ERRORS: u32 = 32;

pub(super) fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// Whether the bytes contain the UTF-16LE name of an activation provider.
pub fn chunk_may_hold_activation(data: &[u8], needles: &[memchr::memmem::Finder<'_>]) -> bool {
    needles.iter().any(|f| f.find(data).is_some())
}

/// The needles of [`chunk_may_hold_activation`], searched in fewer passes: `Security-` followed
/// by `SPP` or `Licensing-SLC`, `Software Protection`, or `KmsRequests` (the event source of a
/// host's 12290, which names the provider when its `Name` is empty) (all UTF-16LE).
pub(super) struct Needles {
    pub(super) security: memchr::memmem::Finder<'static>,
    pub(super) spp: Vec<u8>,
    pub(super) slc: Vec<u8>,
    pub(super) software: memchr::memmem::Finder<'static>,
    pub(super) kms: memchr::memmem::Finder<'static>,
}

impl Needles {
    pub(super) fn new() -> Self {
        Self {
            security: memchr::memmem::Finder::new(&utf16("Security-")).into_owned(),
            spp: utf16("SPP"),
            slc: utf16("Licensing-SLC"),
            software: memchr::memmem::Finder::new(&utf16("Software Protection")).into_owned(),
            kms: memchr::memmem::Finder::new(&utf16("KmsRequests")).into_owned(),
        }
    }

    /// The same answer as [`chunk_may_hold_activation`] with its four names.
    pub(super) fn hit(&self, data: &[u8]) -> bool {
        let n = self.security.needle().len();
        self.security.find_iter(data).any(|at| {
            let rest = &data[at + n..];
            rest.starts_with(&self.spp) || rest.starts_with(&self.slc)
        }) || self.software.find(data).is_some()
            || self.kms.find(data).is_some()
    }
}
