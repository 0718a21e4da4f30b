//! Byte streams in any encoding Windows tools write (UTF-8, UTF-16 LE/BE with or without BOM) to
//! UTF-8, incrementally, and lines of bounded length.

use std::io::{self, BufRead, Read};

use encoding_rs::{Decoder, UTF_8, UTF_16BE, UTF_16LE};
use volact_core::text::TextEncoding;

/// Longest line handed to a text reader; the rest of a longer line is dropped (and counted).
pub const MAX_LINE: usize = 64 * 1024;

/// Wraps a reader and yields UTF-8, sniffing the encoding from a BOM or from NUL-byte patterns
/// (UTF-16 without BOM, as PowerShell and some exports write). Invalid sequences become U+FFFD.
pub struct Utf8Reader<R: Read> {
    inner: R,
    decoder: Option<Decoder>,
    inbuf: Vec<u8>,
    in_start: usize,
    in_end: usize,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
    replaced: bool,
}

impl<R: Read> Utf8Reader<R> {
    /// A decoding reader over `inner`.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            decoder: None,
            inbuf: vec![0; 64 * 1024],
            in_start: 0,
            in_end: 0,
            out: Vec::with_capacity(64 * 1024 * 3),
            out_pos: 0,
            eof: false,
            replaced: false,
        }
    }

    /// Whether invalid byte sequences were replaced so far.
    pub fn had_replacements(&self) -> bool {
        self.replaced
    }

    fn fill_in(&mut self) -> io::Result<()> {
        if self.in_start > 0 {
            self.inbuf.copy_within(self.in_start..self.in_end, 0);
            self.in_end -= self.in_start;
            self.in_start = 0;
        }
        while self.in_end < self.inbuf.len() {
            let n = match self.inner.read(&mut self.inbuf[self.in_end..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.eof = true;
                break;
            }
            self.in_end += n;
            if self.decoder.is_some() {
                break;
            }
        }
        Ok(())
    }

    fn sniff(&mut self) {
        let b = &self.inbuf[..self.in_end];
        let enc = match volact_core::text::sniff(b).0 {
            TextEncoding::Utf8 => UTF_8,
            TextEncoding::Utf16Le => UTF_16LE,
            TextEncoding::Utf16Be => UTF_16BE,
        };
        // new_decoder_with_bom_removal strips a BOM of the same encoding.
        self.decoder = Some(enc.new_decoder_with_bom_removal());
    }
}

impl<R: Read> Read for Utf8Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Utf8Reader<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.out_pos >= self.out.len() {
            self.out.clear();
            self.out_pos = 0;
            if self.in_start == self.in_end && self.eof {
                if let Some(d) = self.decoder.as_mut() {
                    // Flush the decoder's pending state once.
                    let mut tmp = [0u8; 16];
                    let (_, _, written, repl) = d.decode_to_utf8(&[], &mut tmp, true);
                    self.replaced |= repl;
                    self.out.extend_from_slice(&tmp[..written]);
                    self.decoder = Some(UTF_8.new_decoder_without_bom_handling());
                    if written > 0 {
                        break;
                    }
                }
                return Ok(&[]);
            }
            if !self.eof && (self.decoder.is_none() || self.in_end - self.in_start < 4) {
                self.fill_in()?;
            }
            if self.decoder.is_none() {
                self.sniff();
            }
            let d = self.decoder.as_mut().expect("sniffed");
            let cap = (self.in_end - self.in_start) * 3 + 16;
            self.out.resize(cap, 0);
            let (_, read, written, repl) = d.decode_to_utf8(
                &self.inbuf[self.in_start..self.in_end],
                &mut self.out,
                false,
            );
            self.replaced |= repl;
            self.in_start += read;
            self.out.truncate(written);
            if written == 0 && read == 0 && !self.eof {
                self.fill_in()?;
            }
        }
        Ok(&self.out[self.out_pos..])
    }

    fn consume(&mut self, amt: usize) {
        self.out_pos = (self.out_pos + amt).min(self.out.len());
    }
}

/// Reads one line (without its terminator) into `line`, keeping at most [`MAX_LINE`] bytes.
/// Returns `Ok(None)` at end of input, otherwise whether the line was cut.
pub fn read_line_bounded<R: BufRead>(r: &mut R, line: &mut Vec<u8>) -> io::Result<Option<bool>> {
    line.clear();
    let mut any = false;
    let mut cut = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match memchr_nl(buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        let room = MAX_LINE.saturating_sub(line.len());
        let keep = take.min(room);
        line.extend_from_slice(&buf[..keep]);
        if keep < take {
            cut = true;
        }
        r.consume(take);
        if done {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    while line.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
        line.pop();
    }
    Ok(Some(cut))
}

fn memchr_nl(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> String {
        let mut s = String::new();
        Utf8Reader::new(bytes).read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn encodings() {
        let text = "Event ID: 12288\n資訊 0xC004F074\n";
        assert_eq!(decode(text.as_bytes()), text);
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom8), text);
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let mut bomle = vec![0xFF, 0xFE];
        bomle.extend_from_slice(&le);
        assert_eq!(decode(&bomle), text);
        assert_eq!(decode(&le), text);
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let mut bombe = vec![0xFE, 0xFF];
        bombe.extend_from_slice(&be);
        assert_eq!(decode(&bombe), text);
        assert_eq!(decode(b""), "");
        assert!(decode(b"a\xFFb").contains('\u{FFFD}'));
    }

    #[test]
    fn long_input_and_lines() {
        let big = "x".repeat(200_000) + "\nshort\r\n";
        let mut r = Utf8Reader::new(big.as_bytes());
        let mut line = Vec::new();
        assert_eq!(read_line_bounded(&mut r, &mut line).unwrap(), Some(true));
        assert_eq!(line.len(), MAX_LINE);
        assert_eq!(read_line_bounded(&mut r, &mut line).unwrap(), Some(false));
        assert_eq!(line, b"short");
        assert_eq!(read_line_bounded(&mut r, &mut line).unwrap(), None);
    }
}
