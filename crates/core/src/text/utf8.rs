//! [`Utf8Reader`]: any stream Windows tools write, as UTF-8 through `Read` and `BufRead`.

use std::io::{self, BufRead, Read};

use encoding_rs::{Decoder, UTF_8, UTF_16BE, UTF_16LE};

use super::TextEncoding;

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
        let enc = match super::sniff(b).0 {
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
        super::read_buffered(self, buf)
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
}
