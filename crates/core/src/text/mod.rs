//! Guessing how a byte stream from a Windows machine is encoded.
//!
//! Windows tools write UTF-16 (PowerShell 5.1's `>`, `cscript //U`, `wevtutil`), often with a
//! byte-order mark and sometimes without; everything else volact reads is UTF-8. [`sniff`] is the
//! one place that decides, so every reader (explain's stdin, scan, events, collect) agrees.
//!
//! This module is also the one bounded text reader of volact:
//! - [`Pieces`] hands out UTF-8 text in pieces that end at line breaks (scan, the CLI's stdin);
//! - [`Utf8Reader`] decodes to UTF-8 behind `Read`/`BufRead` (the XML reader of events);
//! - [`read_line_bounded`] and [`for_each_line`] give lines of bounded length (events' text logs).
//!
//! Every one of them cuts an over-long line by the same rule, [`cut_point`], which never splits an
//! error code, full-width forms (`０ｘＣ００４Ｆ０７４`) included.

use std::io::{self, BufRead, Read};

mod pieces;
mod utf8;

pub use pieces::{MAX_PIECE, Pieces, READ_SIZE, looks_binary, read_full};
pub use utf8::Utf8Reader;

/// How far back from a cut a code-safe place is looked for.
pub const CUT_WINDOW: usize = 64 * 1024;

/// The longest line [`for_each_line`] hands out by default; the rest of a longer line is dropped
/// (and the line reported as cut).
pub const MAX_LINE: usize = 64 * 1024;

/// The encodings volact tells apart by looking at the start of a stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    /// UTF-8 (also the answer when nothing points to UTF-16).
    Utf8,
    /// UTF-16, little endian (what Windows writes).
    Utf16Le,
    /// UTF-16, big endian.
    Utf16Be,
}

impl TextEncoding {
    /// The usual name: `UTF-8`, `UTF-16LE`, `UTF-16BE`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
        }
    }
}

/// How many bytes of the head [`sniff`] looks at for the zero-byte pattern.
pub const SNIFF_LEN: usize = 4096;

/// Guesses the encoding from the head of a stream: a byte-order mark first, then the pattern of
/// zero bytes that UTF-16 text in the ASCII range leaves (at least 70 % of one half zero, under
/// 10 % of the other), else UTF-8. Returns the encoding and the length of the byte-order mark
/// (0 when there is none).
///
/// ```
/// use volact_core::text::{sniff, TextEncoding};
/// assert_eq!(sniff(b"\xFF\xFEa\0"), (TextEncoding::Utf16Le, 2));
/// assert_eq!(sniff(b"0\0x\0C\x000\0"), (TextEncoding::Utf16Le, 0));
/// assert_eq!(sniff(b"0xC004F074"), (TextEncoding::Utf8, 0));
/// ```
pub fn sniff(head: &[u8]) -> (TextEncoding, usize) {
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return (TextEncoding::Utf8, 3);
    }
    if head.starts_with(&[0xFF, 0xFE]) {
        return (TextEncoding::Utf16Le, 2);
    }
    if head.starts_with(&[0xFE, 0xFF]) {
        return (TextEncoding::Utf16Be, 2);
    }
    let n = head.len().min(SNIFF_LEN) & !1;
    if n >= 4 {
        let even_zero = head[..n].iter().step_by(2).filter(|b| **b == 0).count();
        let odd_zero = head[1..n].iter().step_by(2).filter(|b| **b == 0).count();
        let half = n / 2;
        if odd_zero * 10 >= half * 7 && even_zero * 10 < half {
            return (TextEncoding::Utf16Le, 0);
        }
        if even_zero * 10 >= half * 7 && odd_zero * 10 < half {
            return (TextEncoding::Utf16Be, 0);
        }
    }
    (TextEncoding::Utf8, 0)
}

/// Whether a byte can be part of a code or touch one in a way that changes how it is read.
fn sticky(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'{' | b'+')
}

/// Where to cut an enormous line: just after an ASCII byte that cannot be part of a code or change
/// how a neighbouring code is read (white space, punctuation other than `-`, `_`, `{`), searched
/// in the last `window` bytes ([`CUT_WINDOW`] for the readers here); failing that, before a non-ASCII character that is not
/// full-width ASCII; failing both, at a character boundary (such a run cannot hold a code).
pub fn cut_point(s: &[u8], window: usize) -> usize {
    let len = s.len();
    if len == 0 {
        return 0;
    }
    let from = len.saturating_sub(window);
    if let Some(i) = s[from..].iter().rposition(|b| b.is_ascii() && !sticky(*b)) {
        return from + i + 1;
    }
    // Before a lead byte of a non-full-width character.
    let mut i = len - 1;
    while i > from {
        let b = s[i];
        // A lead byte 0xEF at the very end may begin a full-width character: not a place to cut.
        if b >= 0xC0 && !(b == 0xEF && (i + 1 == len || matches!(s[i + 1], 0xBC | 0xBD))) {
            return i;
        }
        i -= 1;
    }
    let mut i = len - 1;
    while i > 0 && (s[i] & 0xC0) == 0x80 {
        i -= 1;
    }
    if i == 0 { len } else { i }
}

/// `Read::read` for a reader whose own buffer is the source (a [`BufRead`] that decodes or filters
/// in [`BufRead::fill_buf`]): copies what is buffered into `buf` and consumes it.
pub fn read_buffered<R: BufRead + ?Sized>(r: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let avail = r.fill_buf()?;
    let n = avail.len().min(buf.len());
    buf[..n].copy_from_slice(&avail[..n]);
    r.consume(n);
    Ok(n)
}

/// Reads one line (without its terminator) into `line`, keeping at most `max` bytes: a longer
/// line is cut at [`cut_point`] within its first `max` bytes, so no code is split, and the rest of
/// it is dropped. Returns `Ok(None)` at the end of input, otherwise whether the line was cut.
pub fn read_line_bounded<R: BufRead>(
    r: &mut R,
    line: &mut Vec<u8>,
    max: usize,
) -> io::Result<Option<bool>> {
    line.clear();
    let mut any = false;
    let mut cut = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        any = true;
        let (take, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        if !cut {
            let room = max.saturating_sub(line.len());
            let keep = take.min(room);
            line.extend_from_slice(&buf[..keep]);
            if keep < take {
                cut = true;
                let at = cut_point(line, CUT_WINDOW.min(max));
                line.truncate(at);
            }
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

/// What [`for_each_line`] learnt while reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineStats {
    /// Lines handed out.
    pub lines: u64,
    /// Lines longer than the limit (cut, their rest dropped).
    pub cut: u64,
    /// Whether invalid sequences were replaced by U+FFFD.
    pub replaced: bool,
}

/// Decodes `reader` (any encoding [`sniff`] tells apart) and calls `f` with each line, without its
/// terminator, and whether it was cut at `max` bytes.
///
/// ```
/// let mut seen = Vec::new();
/// let st = volact_core::text::for_each_line(&b"a\r\nbb\n"[..], 1024, |l, cut| {
///     seen.push((String::from_utf8_lossy(l).into_owned(), cut));
/// })
/// .unwrap();
/// assert_eq!(seen, [("a".to_owned(), false), ("bb".to_owned(), false)]);
/// assert_eq!(st.lines, 2);
/// ```
pub fn for_each_line<R: Read>(
    reader: R,
    max: usize,
    mut f: impl FnMut(&[u8], bool),
) -> io::Result<LineStats> {
    let mut r = Utf8Reader::new(reader);
    let mut line = Vec::new();
    let mut st = LineStats {
        lines: 0,
        cut: 0,
        replaced: false,
    };
    while let Some(cut) = read_line_bounded(&mut r, &mut line, max)? {
        st.lines += 1;
        st.cut += u64::from(cut);
        f(&line, cut);
    }
    st.replaced = r.had_replacements();
    Ok(st)
}

/// Calls `f` with each piece of text [`Pieces`] hands out (and whether it ends in a cut) and
/// returns the reader, for its byte count, encoding and `replaced` flag.
pub fn for_each_piece<R: Read>(reader: R, mut f: impl FnMut(&[u8], bool)) -> io::Result<Pieces<R>> {
    let mut p = Pieces::new(reader)?;
    while let Some((text, cut)) = p.next_piece()? {
        f(text, cut);
    }
    Ok(p)
}

#[cfg(test)]
mod tests;
