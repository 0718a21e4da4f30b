//! Reading standard input of any size and encoding in bounded memory, through the one bounded
//! text reader of volact, [`volact_core::text`].
//!
//! Standard input may be UTF-8, or UTF-16 (little or big endian) as Windows tools such as
//! PowerShell's `>` redirection write it, with or without a byte-order mark. It may also be
//! gigabytes of noise or one enormous line. [`for_each_chunk`] hands out pieces of text that end
//! at a line break, or, inside an enormous line, at `text::cut_point`, which never splits a code
//! (full-width forms such as `０ｘＣ００４Ｆ０７４` included); memory stays bounded by
//! `text::MAX_PIECE`.

use std::io::Read;

/// What was learnt while reading.
#[derive(Debug, Default, Clone)]
pub(crate) struct ReadStats {
    /// Bytes read.
    pub(crate) bytes: u64,
    /// The encoding used: `UTF-8`, `UTF-16LE` or `UTF-16BE`.
    pub(crate) encoding: &'static str,
    /// Whether invalid sequences were replaced by U+FFFD.
    pub(crate) replaced: bool,
}

/// Reads `reader` to the end, calling `f` with decoded pieces of text (bytes that are not UTF-8
/// read as U+FFFD).
pub(crate) fn for_each_chunk(
    reader: impl Read,
    mut f: impl FnMut(&str),
) -> std::io::Result<ReadStats> {
    let pieces =
        volact_core::text::for_each_piece(reader, |piece, _| f(&String::from_utf8_lossy(piece)))?;
    Ok(ReadStats {
        bytes: pieces.bytes,
        encoding: pieces.encoding().name(),
        replaced: pieces.replaced,
    })
}

#[cfg(test)]
mod tests;
