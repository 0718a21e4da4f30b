//! Reading text input of any size and encoding in bounded memory.
//!
//! Standard input may be UTF-8, or UTF-16 (little or big endian) as Windows tools such as
//! PowerShell's `>` redirection write it, with or without a byte-order mark. It may also be
//! gigabytes of noise or one enormous line. [`for_each_chunk`] decodes it incrementally and hands
//! out pieces of text that end at a line break whenever one is near, so memory stays bounded by
//! the chunk size.

use std::io::Read;

use encoding_rs::{Decoder, Encoding, UTF_8, UTF_16BE, UTF_16LE};
use volact_core::text::TextEncoding;

/// Bytes read per call.
const READ_SIZE: usize = 256 * 1024;
/// Longest piece of text handed out without a line break; longer lines are cut here, keeping a
/// small tail so a code split by the cut is still seen whole in the next piece.
const MAX_PIECE: usize = 1024 * 1024;
/// Characters kept from a cut line for the next piece (longer than any code with its context).
const OVERLAP: usize = 64;

/// What was learnt while reading.
#[derive(Debug, Default, Clone)]
pub(crate) struct ReadStats {
    /// Bytes read.
    pub(crate) bytes: u64,
    /// The encoding used.
    pub(crate) encoding: &'static str,
    /// Whether invalid sequences were replaced by U+FFFD.
    pub(crate) replaced: bool,
}

/// The encoding of the start of a stream, as `volact_core::text::sniff` decides it.
fn sniff(head: &[u8]) -> &'static Encoding {
    match volact_core::text::sniff(head).0 {
        TextEncoding::Utf8 => UTF_8,
        TextEncoding::Utf16Le => UTF_16LE,
        TextEncoding::Utf16Be => UTF_16BE,
    }
}

/// Reads `reader` to the end, calling `f` with decoded pieces of text.
pub(crate) fn for_each_chunk(
    mut reader: impl Read,
    mut f: impl FnMut(&str),
) -> std::io::Result<ReadStats> {
    let mut stats = ReadStats::default();
    let mut buf = vec![0u8; READ_SIZE];
    let mut decoder: Option<Decoder> = None;
    let mut pending = String::new();
    loop {
        let n = match reader.read(&mut buf) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        stats.bytes += n as u64;
        let last = n == 0;
        let dec = decoder.get_or_insert_with(|| {
            let enc = sniff(&buf[..n]);
            stats.encoding = enc.name();
            // BOM handling: the decoder strips a BOM of its own encoding.
            enc.new_decoder_with_bom_removal()
        });
        let need = dec.max_utf8_buffer_length(n).unwrap_or(n * 3 + 16);
        pending.reserve(need);
        let (_, _, replaced) = dec.decode_to_string(&buf[..n], &mut pending, last);
        stats.replaced |= replaced;
        if last {
            if !pending.is_empty() {
                f(&pending);
            }
            return Ok(stats);
        }
        // Hand out everything up to the last line break.
        if let Some(i) = pending.rfind('\n') {
            f(&pending[..=i]);
            pending.drain(..=i);
        }
        if pending.len() > MAX_PIECE {
            let cut = cut_point(&pending);
            f(&pending[..cut]);
            pending.drain(..cut);
        }
    }
}

/// Where to cut a long line: after the last white space (else the last other ASCII punctuation)
/// among its final [`OVERLAP`] bytes, so a code is never split; failing both, at a character
/// boundary (the word there is too long to be a code anyway).
fn cut_point(s: &str) -> usize {
    let tail_start = s.len() - OVERLAP;
    let b = s.as_bytes();
    let after = |pred: fn(&u8) -> bool| {
        b[tail_start..]
            .iter()
            .rposition(pred)
            .map(|i| tail_start + i + 1)
    };
    if let Some(c) = after(u8::is_ascii_whitespace) {
        return c;
    }
    if let Some(c) = after(|x| x.is_ascii_punctuation() && *x != b'-' && *x != b'_') {
        return c;
    }
    let mut cut = tail_start;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(bytes: &[u8]) -> (String, ReadStats) {
        let mut s = String::new();
        let st = for_each_chunk(bytes, |c| s.push_str(c)).unwrap();
        (s, st)
    }

    #[test]
    fn utf8_passthrough() {
        let (s, st) = collect("錯誤: 0xC004F074\n".as_bytes());
        assert_eq!(s, "錯誤: 0xC004F074\n");
        assert_eq!(st.encoding, "UTF-8");
        assert!(!st.replaced);
    }

    #[test]
    fn utf16le_with_and_without_bom() {
        let text = "Error: 0xC004F074\r\n";
        let mut le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let (s, st) = collect(&le);
        assert_eq!(s, text);
        assert_eq!(st.encoding, "UTF-16LE");
        le.splice(0..0, [0xFF, 0xFE]);
        assert_eq!(collect(&le).0, text);
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(collect(&be).0, text);
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let (s, st) = collect(b"a\xff\xfe\xfdb 0xC004F074");
        assert!(st.replaced);
        assert!(s.contains("0xC004F074"));
    }

    #[test]
    fn long_line_is_cut_with_overlap() {
        let mut data = Vec::new();
        while data.len() < MAX_PIECE + READ_SIZE * 2 {
            data.extend_from_slice(b"noise 0xC004F074 ");
        }
        let expected = data.len() / 17;
        let mut max = 0;
        let mut all = String::new();
        for_each_chunk(&data[..], |c| {
            max = max.max(c.len());
            all.push_str(c);
        })
        .unwrap();
        assert!(max <= MAX_PIECE + READ_SIZE * 3, "piece of {max} bytes");
        assert_eq!(all.len(), data.len());
        // No code was split between pieces.
        let mut count = 0;
        for_each_chunk(&data[..], |c| count += c.matches("0xC004F074").count()).unwrap();
        assert_eq!(count, expected);
    }
}
