//! [`Pieces`]: a byte stream of any supported encoding as pieces of UTF-8 text in bounded memory.
//!
//! UTF-8 input is passed through as bytes (invalid sequences are dealt with per line, only where a
//! code candidate is found). UTF-16 (little or big endian, with or without a byte-order mark) is
//! transcoded block by block with `encoding_rs`. Blocks end at a line break whenever one is near;
//! an enormous line is cut at a place where no code can be split (see [`cut_point`](super::cut_point)), so memory
//! stays bounded by [`MAX_PIECE`] plus one read, however large the input.

use std::io::{self, Read};

use encoding_rs::{Decoder, UTF_16BE, UTF_16LE};

use super::{CUT_WINDOW, TextEncoding as Enc, cut_point, sniff};

/// Bytes read per call.
pub const READ_SIZE: usize = 1024 * 1024;
/// Longest piece of text handed out without a line break.
pub const MAX_PIECE: usize = 2 * 1024 * 1024;
/// Bytes looked at to guess the encoding and to tell text from binary.
const SNIFF: usize = 8 * 1024;

/// Whether the head of a stream read as UTF-8 looks binary: NUL bytes that are not the high
/// halves of UTF-16 ASCII text (a UTF-8 log may carry a UTF-16 part appended by another tool).
pub fn looks_binary(head: &[u8]) -> bool {
    let head = &head[..head.len().min(SNIFF)];
    if memchr::memchr(0, head).is_none() {
        return false;
    }
    if memchr::memmem::find(head, b"\0\0").is_some() {
        return true;
    }
    let texty = |b: u8| b.is_ascii_graphic() || matches!(b, b' ' | b'\r' | b'\n' | b'\t');
    let (mut nul, mut odd) = (0usize, 0usize);
    for i in memchr::memchr_iter(0, head) {
        nul += 1;
        let before = i == 0 || texty(head[i - 1]);
        let after = i + 1 >= head.len() || texty(head[i + 1]);
        if !(before && after) {
            odd += 1;
        }
    }
    odd * 10 > nul
}

/// A reader of UTF-8 text in pieces that end at a line break (or at a cut in an enormous line,
/// made by [`cut_point`]), holding at most [`MAX_PIECE`] plus one read in memory.
///
/// ```
/// use volact_core::text::Pieces;
/// let mut p = Pieces::new(&b"a 0xC004F074\r\nb\n"[..]).unwrap();
/// let (text, cut) = p.next_piece().unwrap().unwrap();
/// assert_eq!((text, cut), (&b"a 0xC004F074\r\nb\n"[..], false));
/// assert!(p.next_piece().unwrap().is_none());
/// ```
pub struct Pieces<R> {
    reader: R,
    enc: Enc,
    decoder: Option<Decoder>,
    /// Decoded (or raw UTF-8) text not yet handed out, from `consumed` on.
    pending: Vec<u8>,
    consumed: usize,
    /// Raw bytes for transcoding.
    raw: Vec<u8>,
    eof: bool,
    /// Bytes read from the reader.
    pub bytes: u64,
    /// Whether invalid sequences were met: replaced by the UTF-16 transcoder, or, in UTF-8
    /// input, bytes that are not UTF-8 (they read as U+FFFD wherever the text is shown).
    pub replaced: bool,
    /// Whether the head looked binary.
    pub binary: bool,
}

/// Reads until `buf` is full or the input ends (retrying interrupted reads); returns how many
/// bytes were read. For reading a head to sniff before handing the input on.
pub fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn read_some(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Ok(k) => return Ok(k),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

impl<R: Read> Pieces<R> {
    /// Reads the head of `reader` and decides the encoding.
    pub fn new(mut reader: R) -> io::Result<Self> {
        let mut head = vec![0u8; SNIFF];
        let n = read_full(&mut reader, &mut head)?;
        head.truncate(n);
        let (enc, bom) = sniff(&head);
        let binary = enc == Enc::Utf8 && looks_binary(&head);
        let mut b = Pieces {
            reader,
            enc,
            decoder: None,
            pending: Vec::with_capacity(READ_SIZE + 64 * 1024),
            consumed: 0,
            raw: Vec::new(),
            eof: n == 0,
            bytes: n as u64,
            replaced: false,
            binary,
        };
        match enc {
            Enc::Utf8 => b.pending.extend_from_slice(&head[bom..]),
            Enc::Utf16Le | Enc::Utf16Be => {
                let e = if enc == Enc::Utf16Le {
                    UTF_16LE
                } else {
                    UTF_16BE
                };
                b.decoder = Some(e.new_decoder_without_bom_handling());
                b.raw = vec![0u8; READ_SIZE];
                let head = head[bom..].to_vec();
                b.transcode(&head, b.eof);
            }
        }
        Ok(b)
    }

    /// The encoding used.
    pub fn encoding(&self) -> Enc {
        self.enc
    }

    fn transcode(&mut self, src: &[u8], last: bool) {
        let Some(dec) = self.decoder.as_mut() else {
            return;
        };
        let mut src = src;
        loop {
            let need = dec
                .max_utf8_buffer_length(src.len())
                .unwrap_or(src.len() * 3 + 16);
            let start = self.pending.len();
            self.pending.resize(start + need.max(16), 0);
            let (res, read, written, replaced) =
                dec.decode_to_utf8(src, &mut self.pending[start..], last);
            self.pending.truncate(start + written);
            self.replaced |= replaced;
            src = &src[read..];
            if res == encoding_rs::CoderResult::InputEmpty {
                break;
            }
        }
    }

    /// Reads one more chunk into `pending`. Returns false at end of input.
    fn fill(&mut self) -> io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        match self.enc {
            Enc::Utf8 => {
                let start = self.pending.len();
                self.pending.resize(start + READ_SIZE, 0);
                let n = read_some(&mut self.reader, &mut self.pending[start..]);
                let n = match n {
                    Ok(n) => n,
                    Err(e) => {
                        self.pending.truncate(start);
                        return Err(e);
                    }
                };
                self.pending.truncate(start + n);
                self.bytes += n as u64;
                if n == 0 {
                    self.eof = true;
                }
            }
            Enc::Utf16Le | Enc::Utf16Be => {
                let mut raw = std::mem::take(&mut self.raw);
                let n = read_some(&mut self.reader, &mut raw);
                let n = match n {
                    Ok(n) => n,
                    Err(e) => {
                        self.raw = raw;
                        return Err(e);
                    }
                };
                self.bytes += n as u64;
                if n == 0 {
                    self.eof = true;
                }
                self.transcode(&raw[..n], n == 0);
                self.raw = raw;
            }
        }
        Ok(!self.eof)
    }

    /// The next block of UTF-8 text, ending at a line break unless it is the end of the input or
    /// a cut in an enormous line (then the flag is true); `None` at the end. On a read error the
    /// text read so far stays available: call again after the error to get it.
    pub fn next_piece(&mut self) -> io::Result<Option<(&[u8], bool)>> {
        if self.consumed > 0 {
            self.pending.drain(..self.consumed);
            self.consumed = 0;
        }
        loop {
            // Enough text for a block?
            if self.pending.len() >= READ_SIZE || self.eof {
                break;
            }
            if let Err(e) = self.fill() {
                // Hand out what was read before the error on the next call.
                self.eof = true;
                self.decoder = None;
                return Err(e);
            }
        }
        if self.pending.is_empty() {
            return Ok(None);
        }
        let end = if self.eof {
            self.pending.len()
        } else if let Some(i) = memchr::memrchr(b'\n', &self.pending) {
            i + 1
        } else {
            // No line break in a whole read: keep reading until MAX_PIECE, then cut.
            loop {
                if self.pending.len() >= MAX_PIECE || self.eof {
                    break;
                }
                let before = self.pending.len();
                if let Err(e) = self.fill() {
                    self.eof = true;
                    self.decoder = None;
                    return Err(e);
                }
                if let Some(i) = memchr::memrchr(b'\n', &self.pending[before..]) {
                    let end = before + i + 1;
                    self.consumed = end;
                    self.check_utf8(end);
                    return Ok(Some((&self.pending[..end], false)));
                }
            }
            if self.eof {
                self.pending.len()
            } else {
                cut_point(&self.pending, CUT_WINDOW)
            }
        };
        let cut = self.pending[end - 1] != b'\n';
        self.consumed = end;
        self.check_utf8(end);
        Ok(Some((&self.pending[..end], cut)))
    }

    /// Notes invalid UTF-8 in the block `pending[..end]` of UTF-8 input. Blocks end at a line
    /// break, a character boundary or the end of the input, so any error is a real one.
    fn check_utf8(&mut self, end: usize) {
        if self.enc == Enc::Utf8
            && !self.replaced
            && std::str::from_utf8(&self.pending[..end]).is_err()
        {
            self.replaced = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(bytes: &[u8]) -> (Vec<u8>, Enc, usize) {
        let mut b = Pieces::new(bytes).unwrap();
        let mut out = Vec::new();
        let mut max = 0;
        while let Some((block, _)) = b.next_piece().unwrap() {
            max = max.max(block.len());
            out.extend_from_slice(block);
        }
        (out, b.encoding(), max)
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let (s, e, _) = all(b"\xEF\xBB\xBFa 0xC004F074\r\nb\n");
        assert_eq!(s, b"a 0xC004F074\r\nb\n");
        assert_eq!(e, Enc::Utf8);
        assert_eq!(all(b"x").0, b"x");
        assert_eq!(all(b"").0, b"");
    }

    #[test]
    fn utf16_both_orders_with_and_without_bom() {
        let text = "Error: 0xC004F074\r\nnext line 錯誤\r\n".repeat(3000);
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for (bytes, enc) in [(le.clone(), Enc::Utf16Le), (be.clone(), Enc::Utf16Be)] {
            let (s, e, _) = all(&bytes);
            assert_eq!(e, enc);
            assert_eq!(String::from_utf8(s).unwrap(), text);
        }
        let mut le_bom = vec![0xFF, 0xFE];
        le_bom.extend_from_slice(&le);
        assert_eq!(String::from_utf8(all(&le_bom).0).unwrap(), text);
        let mut be_bom = vec![0xFE, 0xFF];
        be_bom.extend_from_slice(&be);
        assert_eq!(String::from_utf8(all(&be_bom).0).unwrap(), text);
    }

    #[test]
    fn truncated_utf16_is_replaced_not_lost() {
        let text = "Error: 0xC004F074\n";
        let mut le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        le.push(b'A'); // half a code unit
        let mut b = Pieces::new(&le[..]).unwrap();
        let mut out = Vec::new();
        while let Some((block, _)) = b.next_piece().unwrap() {
            out.extend_from_slice(block);
        }
        assert!(b.replaced);
        assert!(String::from_utf8(out).unwrap().starts_with(text));
    }

    #[test]
    fn invalid_utf8_is_reported_as_replaced() {
        // Latin-1 bytes in otherwise UTF-8 text, with no code near them.
        let mut b = Pieces::new(&b"caf\xe9 cr\xe8me\nno code here\n"[..]).unwrap();
        while b.next_piece().unwrap().is_some() {}
        assert!(b.replaced);
        // Far from the start, after a line break, in a long line that gets cut.
        let mut data = "ok 0xC004F074\n".repeat(200_000).into_bytes();
        data.extend_from_slice(b"x\xff");
        data.extend(std::iter::repeat_n(b'y', MAX_PIECE * 2));
        let mut b = Pieces::new(&data[..]).unwrap();
        while b.next_piece().unwrap().is_some() {}
        assert!(b.replaced);
        // A truncated character at the very end is invalid too.
        let mut b = Pieces::new(&"錯".as_bytes()[..2]).unwrap();
        while b.next_piece().unwrap().is_some() {}
        assert!(b.replaced);
        // Valid UTF-8, including characters across read boundaries and cut long lines.
        let text = "錯誤 0xC004F074 ".repeat(400_000);
        let mut b = Pieces::new(text.as_bytes()).unwrap();
        while b.next_piece().unwrap().is_some() {}
        assert!(!b.replaced);
    }

    #[test]
    fn blocks_end_at_line_breaks() {
        let line = b"some noise text 0xC004F074 and more\n";
        let data: Vec<u8> = line
            .iter()
            .copied()
            .cycle()
            .take(line.len() * 100_000)
            .collect();
        let mut b = Pieces::new(&data[..]).unwrap();
        let mut total = 0;
        while let Some((block, _)) = b.next_piece().unwrap() {
            assert_eq!(*block.last().unwrap(), b'\n');
            total += block.len();
        }
        assert_eq!(total, data.len());
    }

    #[test]
    fn enormous_line_is_cut_without_splitting_codes() {
        let unit = b"noise 0xC004F074 ";
        let n = (MAX_PIECE * 3) / unit.len();
        let data: Vec<u8> = unit.iter().copied().cycle().take(unit.len() * n).collect();
        let mut b = Pieces::new(&data[..]).unwrap();
        let mut count = 0;
        let mut max = 0;
        while let Some((block, _)) = b.next_piece().unwrap() {
            max = max.max(block.len());
            count += memchr::memmem::find_iter(block, b"0xC004F074").count();
        }
        assert_eq!(count, n);
        assert!(max <= MAX_PIECE + READ_SIZE, "{max}");
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(b"\x7fELF\x02\x01\x01\0\0\0"));
        assert!(!looks_binary(b"plain text"));
        let le: Vec<u8> = "plain text here"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(sniff(&le).0, Enc::Utf16Le);
    }
}
