//! The two CRC32 checksums of a chunk (header, event records): checked, and written by tests.

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
