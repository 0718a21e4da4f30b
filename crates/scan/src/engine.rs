//! The hot loop: finding codes in blocks of UTF-8 text without looking at most of it.
//!
//! Every code the finder of `volact-core` accepts contains a run of at least eight ASCII hex
//! digits (`0xC004F074`, `C004F074`, `-1073418124`, `3221549172`), except full-width spellings,
//! which start with the UTF-8 bytes `EF BC`/`EF BD`. So a block is searched for such runs with a
//! skip loop that looks at one byte in eight on ordinary text (a run of eight must cover every
//! eighth byte), plus `memchr` for `0xEF`; only the lines holding a candidate are decoded and
//! handed to [`volact_core::find::find_codes_with`]. Line numbers are counted lazily between
//! candidates. Structured inputs (slmgr output, event text) are parsed only in blocks where one
//! of their keywords occurs, plus a margin of lines around them.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use volact_core::find::{Found, find_codes_with};
use volact_core::{ErrorCode, kb, names};

use crate::Options;
use crate::report::{Match, Place};
use crate::slmgr::{SlmgrParser, Snapshot};
use crate::structured::EventSink;
use volact_core::event::text::{TextEvent, TextProblem};

/// Distinct codes counted per input before the rest are only counted in total.
pub(crate) const MAX_DISTINCT: usize = 10_000;
/// Lines fed to the structured parsers around a block that holds one of their keywords.
const MARGIN: usize = 8 * 1024;
/// Longest line given to the structured parsers.
const MAX_STRUCTURED_LINE: usize = 16 * 1024;

static HEX: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = c.is_ascii_hexdigit();
        i += 1;
    }
    t
};

/// Start of the next run of at least eight ASCII hex digits at or after `i`, or a position just
/// before it (a candidate; the finder decides).
fn next_hex_run(b: &[u8], mut i: usize) -> Option<usize> {
    let n = b.len();
    while i + 8 <= n {
        let p = i + 7;
        if !HEX[b[p] as usize] {
            i = p + 1;
            continue;
        }
        let mut k = 1;
        while k < 8 && HEX[b[p - k] as usize] {
            k += 1;
        }
        if k == 8 {
            return Some(i);
        }
        i = p - k + 1;
    }
    None
}

fn next_fullwidth(b: &[u8], mut i: usize) -> Option<usize> {
    while let Some(j) = memchr::memchr(0xEF, &b[i..]) {
        let p = i + j;
        if p + 1 < b.len() && matches!(b[p + 1], 0xBC | 0xBD) {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

/// Counts line feeds; written so that the compiler vectorises it (byte counters over runs of
/// at most 255 bytes).
pub(crate) fn count_nl(b: &[u8]) -> u64 {
    let mut n = 0u64;
    for chunk in b.chunks(255) {
        let c = chunk
            .iter()
            .fold(0u8, |a, &x| a.wrapping_add(u8::from(x == b'\n')));
        n += u64::from(c);
    }
    n
}

/// Words that mark slmgr output or event text; a block holding none of them is not given to
/// the structured parsers (except lines holding a code, for bare event `Info` lines).
const KEYWORDS: &[&str] = &[
    "License Status",
    "Product Key",
    "Key Management Service",
    "Software licensing service",
    "will expire",
    "permanently activated",
    "grace period",
    "Notification mode",
    "Event ID",
    "Log Name",
    "Security-SPP",
    "Security-Licensing",
    "事件識別碼",
    "記錄檔名稱",
];

fn is_hot(b: &[u8]) -> bool {
    static FINDERS: OnceLock<Vec<memchr::memmem::Finder<'static>>> = OnceLock::new();
    FINDERS
        .get_or_init(|| {
            KEYWORDS
                .iter()
                .map(|k| memchr::memmem::Finder::new(k.as_bytes()))
                .collect()
        })
        .iter()
        .any(|f| f.find(b).is_some())
}

/// Whether a value found by the finder is reported without `--all-codes`.
fn plausible(f: &Found, text: &str) -> bool {
    let code = f.code;
    let v = code.value();
    if kb::lookup(code).is_some() {
        return true;
    }
    if v >= 0x8000_0000 {
        names::is_named(v) || code.decode().facility_name.is_some() || !noise_field(text, f.start)
    } else if v >= 0x4000_0000 {
        names::is_named(v)
    } else if v == 0 {
        result_field(text, f.start)
    } else {
        false
    }
}

/// Whether the words just before `at` say the value is not a result: an address, a hash, flags.
fn noise_field(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(24);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = text[from..at].to_ascii_lowercase();
    [
        "addr", "ptr", "pointer", "handle", "crc", "hash", "checksum", "flags", "mask", "base",
        "offset", "seed", "cookie", "magic", "sig", " at ", "@",
    ]
    .iter()
    .any(|w| before.contains(w))
}

/// Whether the words just before `at` say the value is a result (`hr=`, `Error:`, `status`, …).
fn result_field(text: &str, at: usize) -> bool {
    let mut from = at.saturating_sub(24);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = text[from..at].to_ascii_lowercase();
    [
        "hr", "result", "error", "status", "code", "reason", "錯誤", "結果",
    ]
    .iter()
    .any(|w| before.contains(w))
}

/// Per-code statistics of one input.
#[derive(Clone, Debug)]
pub(crate) struct CodeStat {
    pub(crate) code: ErrorCode,
    pub(crate) count: u64,
    pub(crate) first: (u64, u64),
    pub(crate) last: (u64, u64),
}

/// What scanning one input produced (language-independent).
#[derive(Debug, Default)]
pub(crate) struct Found1 {
    pub(crate) matches: Vec<Match>,
    pub(crate) matches_total: u64,
    pub(crate) codes: Vec<CodeStat>,
    index: HashMap<ErrorCode, usize>,
    pub(crate) distinct_dropped: u64,
    pub(crate) snapshots: Vec<Snapshot>,
    pub(crate) events: Vec<TextEvent>,
    pub(crate) event_problems: (Vec<TextProblem>, u64),
    pub(crate) lines: u64,
    pub(crate) invalid_utf8_lines: u64,
}

/// Scans one stream of blocks.
pub(crate) struct FileScan<'a> {
    opts: &'a Options,
    path: &'a str,
    pub(crate) out: Found1,
    /// Line number of the first line of the next block.
    line: u64,
    /// Characters already seen on that line (when the previous block was a cut long line).
    col_carry: u64,
    slmgr: SlmgrParser,
    events: EventSink,
    /// Decoded offset of the next block.
    offset: u64,
    /// Everything before this decoded offset was fed to the slmgr parser (or skipped on purpose).
    slmgr_fed: u64,
    /// The same for the event-text reader (which also gets lines holding codes in quiet blocks).
    events_fed: u64,
    prev_hot: bool,
    /// Whether the text so far ends with a line feed.
    ends_nl: bool,
    /// Tail of the previous block: its decoded offset, first line number and bytes.
    carry: (u64, u64, Vec<u8>),
}

impl<'a> FileScan<'a> {
    pub(crate) fn new(opts: &'a Options, path: &'a str) -> Self {
        FileScan {
            opts,
            path,
            out: Found1::default(),
            line: 1,
            col_carry: 0,
            slmgr: SlmgrParser::new(),
            events: EventSink::new(),
            offset: 0,
            slmgr_fed: 0,
            events_fed: 0,
            prev_hot: false,
            ends_nl: false,
            carry: (0, 1, Vec::new()),
        }
    }

    /// Scans one block; `cut` says it ends inside a line.
    pub(crate) fn block(&mut self, block: &[u8], cut: bool) {
        let owned;
        let b: &[u8] = if memchr::memchr(0, block).is_some() {
            // UTF-16 text inside a UTF-8 stream, or binary data scanned on request: reading it
            // without NUL bytes finds ASCII codes in both.
            owned = block.iter().copied().filter(|c| *c != 0).collect::<Vec<u8>>();
            &owned
        } else {
            block
        };
        let hot = is_hot(b);
        let nl = count_nl(b);
        self.structured(b, cut, hot, nl);
        self.codes(b, !hot);
        let tail = match memchr::memrchr(b'\n', b) {
            Some(i) => &b[i + 1..],
            None => b,
        };
        if cut {
            let chars = String::from_utf8_lossy(tail).chars().count() as u64;
            self.col_carry = if nl == 0 {
                self.col_carry + chars
            } else {
                chars
            };
        } else {
            self.col_carry = 0;
        }
        self.line += nl;
        self.offset += b.len() as u64;
        if let Some(&last) = b.last() {
            self.ends_nl = last == b'\n';
        }
    }

    /// Finds the codes of a block; `feed_events` gives the lines holding one to the event-text
    /// reader (bare `Info` lines carry no keyword, only a code).
    ///
    /// A candidate (a run of eight or more hex digits) is checked by the finder on a window of a
    /// few bytes around it, which decides exactly as the whole line would: a code's start is at
    /// most two bytes before its digits, and the finder looks at most one byte before a code and
    /// two after its digits. Only when a code is found is its line located and decoded.
    fn codes(&mut self, b: &[u8], feed_events: bool) {
        let mut pos = 0;
        let mut counted = 0;
        let mut ln = self.line;
        let mut fw = next_fullwidth(b, 0);
        let mut found: Vec<(usize, Found)> = Vec::new();
        loop {
            if fw.is_some_and(|f| f < pos) {
                fw = next_fullwidth(b, pos);
            }
            let hex = next_hex_run(b, pos);
            let (c, whole_line) = match (hex, fw) {
                (Some(h), Some(f)) if f < h => (f, true),
                (Some(h), _) => (h, false),
                (None, Some(f)) => (f, true),
                (None, None) => break,
            };
            found.clear();
            let mut next = c + 1;
            let mut whole_line = whole_line;
            if !whole_line {
                let run_end = c + b[c..].iter().take_while(|x| HEX[**x as usize]).count();
                let mut ws = c.saturating_sub(3);
                while ws < c && b[ws] & 0xC0 == 0x80 {
                    ws += 1;
                }
                let mut we = (run_end + 2).min(b.len());
                while we < b.len() && b[we] & 0xC0 == 0x80 {
                    we += 1;
                }
                match std::str::from_utf8(&b[ws..we]) {
                    Ok(t) => {
                        find_codes_with(t, |f| {
                            found.push((ws, f));
                            true
                        });
                        next = run_end;
                    }
                    Err(_) => whole_line = true,
                }
            }
            if whole_line || !found.is_empty() {
                // The line holding the candidate.
                let ls =
                    memchr::memrchr(b'\n', &b[counted..c]).map_or(counted, |i| counted + i + 1);
                let le = memchr::memchr(b'\n', &b[c..]).map_or(b.len(), |i| c + i + 1);
                ln += count_nl(&b[counted..ls]);
                counted = ls;
                let carry = if ls == 0 { self.col_carry } else { 0 };
                let any = self.line_codes(&b[ls..le], ls, pos, ln, carry, whole_line, &found);
                if whole_line {
                    next = le;
                }
                let abs = self.offset + ls as u64;
                if any
                    && feed_events
                    && abs >= self.events_fed
                    && carry == 0
                    && le - ls <= MAX_STRUCTURED_LINE
                {
                    let text = String::from_utf8_lossy(&b[ls..le]);
                    let text = redact(text.trim_end_matches(['\n', '\r']));
                    self.events.push_line(&text, ln);
                    self.events_fed = self.offset + le as u64;
                }
            }
            pos = next;
        }
    }

    /// Records the codes of one line (`ls`: its offset in the block). With `whole_line`, the
    /// finder runs on the whole line and codes starting before `floor` (already handled) are
    /// ignored; otherwise `found` holds what the finder saw in a window (offsets from its start,
    /// given with each). Returns whether there was any code (plausible or not).
    #[allow(clippy::too_many_arguments)]
    fn line_codes(
        &mut self,
        line: &[u8],
        ls: usize,
        floor: usize,
        ln: u64,
        carry: u64,
        whole_line: bool,
        found: &[(usize, Found)],
    ) -> bool {
        let text: Cow<'_, str> = match std::str::from_utf8(line) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => {
                self.out.invalid_utf8_lines += 1;
                String::from_utf8_lossy(line)
            }
        };
        let lossy = matches!(text, Cow::Owned(_));
        let text = text.trim_end_matches(['\n', '\r']);
        let mut codes: Vec<Found> = Vec::new();
        if whole_line || lossy {
            let floor = floor.saturating_sub(ls);
            find_codes_with(text, |f| {
                if f.start >= floor || lossy {
                    codes.push(f);
                }
                true
            });
        } else {
            for (base, f) in found {
                let mut f = f.clone();
                f.start = f.start + base - ls;
                f.end = f.end + base - ls;
                if f.end <= text.len() {
                    codes.push(f);
                }
            }
        }
        let any = !codes.is_empty();
        let all = self.opts.all_codes;
        let mut chars_at = (0usize, 0u64);
        for f in codes {
            if !(all || plausible(&f, text)) {
                continue;
            }
            let col = carry + 1 + {
                chars_at.1 += text[chars_at.0..f.start].chars().count() as u64;
                chars_at.0 = f.start;
                chars_at.1
            };
            self.record(&f, text, ln, col);
        }
        any
    }

    fn record(&mut self, f: &Found, text: &str, ln: u64, col: u64) {
        let out = &mut self.out;
        out.matches_total += 1;
        match out.index.get(&f.code) {
            Some(&i) => {
                let s = &mut out.codes[i];
                s.count += 1;
                s.last = (ln, col);
            }
            None if out.codes.len() < MAX_DISTINCT => {
                out.index.insert(f.code, out.codes.len());
                out.codes.push(CodeStat {
                    code: f.code,
                    count: 1,
                    first: (ln, col),
                    last: (ln, col),
                });
            }
            None => {
                out.distinct_dropped += 1;
                return;
            }
        }
        if self.opts.max_matches == 0 || out.matches.len() < self.opts.max_matches {
            out.matches.push(Match {
                place: Place {
                    path: self.path.to_owned(),
                    line: ln,
                    column: col,
                },
                code: f.code,
                form: f.form,
                context: context(text, f.start, f.end, self.opts.context_chars),
            });
        }
    }

    fn structured(&mut self, b: &[u8], cut: bool, hot: bool, nl: u64) {
        if hot {
            if !self.prev_hot {
                let (off, line, carry) = std::mem::take(&mut self.carry);
                self.feed(&carry, off, line, false);
            }
            self.feed_block(b, cut);
        } else if self.prev_hot {
            // The lines just after a hot block may still belong to a snapshot or an event.
            let end = if b.len() > MARGIN {
                memchr::memrchr(b'\n', &b[..MARGIN]).map_or(0, |i| i + 1)
            } else if cut {
                memchr::memrchr(b'\n', b).map_or(0, |i| i + 1)
            } else {
                b.len()
            };
            let (off, line) = (self.offset, self.line);
            self.feed(&b[..end], off, line, self.col_carry > 0);
            self.gap();
        }
        self.prev_hot = hot;
        if hot {
            self.carry.2.clear();
            return;
        }
        // Keep the tail for the next block.
        let from = if b.len() > MARGIN {
            memchr::memchr(b'\n', &b[b.len() - MARGIN..])
                .map_or(b.len(), |i| b.len() - MARGIN + i + 1)
        } else {
            0
        };
        let line = self.line + nl - count_nl(&b[from..]);
        let mut v = std::mem::take(&mut self.carry.2);
        v.clear();
        if !cut && !(from == 0 && self.col_carry > 0) {
            v.extend_from_slice(&b[from..]);
        }
        self.carry = (self.offset + from as u64, line, v);
    }

    fn feed_block(&mut self, b: &[u8], cut: bool) {
        let end = if cut {
            memchr::memrchr(b'\n', b).map_or(0, |i| i + 1)
        } else {
            b.len()
        };
        let (off, line) = (self.offset, self.line);
        self.feed(&b[..end], off, line, self.col_carry > 0);
    }

    /// Feeds whole lines of `b` (decoded offset `off`, first line number `line`) to the parsers,
    /// skipping what was fed already; `skip_first` drops a first line that continues a cut one.
    fn feed(&mut self, b: &[u8], off: u64, mut line: u64, skip_first: bool) {
        let mut start = 0usize;
        let mut first = true;
        while start < b.len() {
            let end = memchr::memchr(b'\n', &b[start..]).map_or(b.len(), |i| start + i + 1);
            let abs = off + start as u64;
            let wanted = !(first && skip_first) && end - start <= MAX_STRUCTURED_LINE;
            if wanted && (abs >= self.slmgr_fed || abs >= self.events_fed) {
                let raw = &b[start..end];
                let text = String::from_utf8_lossy(raw);
                let text = redact(text.trim_end_matches(['\n', '\r']));
                if abs >= self.slmgr_fed {
                    self.slmgr.push_line(&text, line);
                }
                if abs >= self.events_fed {
                    self.events.push_line(&text, line);
                }
            }
            first = false;
            line += 1;
            start = end;
        }
        let end = off + b.len() as u64;
        self.slmgr_fed = self.slmgr_fed.max(end);
        self.events_fed = self.events_fed.max(end);
    }

    /// A stretch of text was not given to the parsers: close what they had open.
    fn gap(&mut self) {
        self.slmgr.flush();
        self.out.snapshots.extend(self.slmgr.take_done());
    }

    /// Ends the input.
    pub(crate) fn finish(mut self) -> Found1 {
        self.gap();
        let (events, problems) = self.events.finish();
        self.out.events = events;
        self.out.event_problems = problems;
        self.out.lines = if self.offset == 0 {
            0
        } else if self.ends_nl {
            self.line - 1
        } else {
            self.line
        };
        self.out
    }
}

/// Whether a line may hold a product key: some `XXXXX-XXXXX-` run (ASCII), or any non-ASCII
/// text (look-alike dashes and full-width characters are left to the full check).
fn may_hold_key(line: &str) -> bool {
    let b = line.as_bytes();
    if b.len() < 29 {
        return false;
    }
    if !b.is_ascii() {
        return true;
    }
    let alnum = |r: &[u8]| r.iter().all(u8::is_ascii_alphanumeric);
    memchr::memchr_iter(b'-', b).any(|i| {
        i >= 5 && i + 6 < b.len() && b[i + 6] == b'-' && alnum(&b[i - 5..i]) && alnum(&b[i + 1..i + 6])
    })
}

/// Redacts product keys in a line before a parser sees it (cheap when no key can be there).
fn redact(line: &str) -> Cow<'_, str> {
    if may_hold_key(line) {
        volact_core::key::redact_keys_in(line)
    } else {
        Cow::Borrowed(line)
    }
}

/// Is `c` part of something that could be a product key (so a context window must not cut it)?
fn keyish(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '－' | '−')
}

/// The text around a code, at most about `width` characters each side, never cutting a word that
/// could be a product key, with product keys redacted.
pub(crate) fn context(text: &str, start: usize, end: usize, width: usize) -> String {
    let mut a = start;
    let mut n = 0;
    for (i, _) in text[..start].char_indices().rev() {
        if n == width {
            break;
        }
        a = i;
        n += 1;
    }
    // Widen to the start of a key-like word, or drop it if it is longer than any key.
    if a > 0 {
        let w0 = a;
        let mut steps = 0;
        while a > 0 && steps < 40 {
            let prev = text[..a].chars().next_back().expect("a > 0");
            if !keyish(prev) {
                break;
            }
            a -= prev.len_utf8();
            steps += 1;
        }
        if a > 0 && text[..a].chars().next_back().is_some_and(keyish) {
            a = w0;
            while a < start {
                let c = text[a..].chars().next().expect("a < start");
                a += c.len_utf8();
                if !keyish(c) {
                    break;
                }
            }
        }
    }
    let mut b = end;
    let mut n = 0;
    for (i, c) in text[end..].char_indices() {
        if n == width {
            break;
        }
        b = end + i + c.len_utf8();
        n += 1;
    }
    if b < text.len() {
        let w0 = b;
        let mut steps = 0;
        while b < text.len() && steps < 40 {
            let c = text[b..].chars().next().expect("b < len");
            if !keyish(c) {
                break;
            }
            b += c.len_utf8();
            steps += 1;
        }
        if b < text.len() && text[b..].chars().next().is_some_and(keyish) {
            b = w0;
            while b > end {
                let c = text[..b].chars().next_back().expect("b > end");
                b -= c.len_utf8();
                if !keyish(c) {
                    break;
                }
            }
        }
    }
    let mut s = String::with_capacity(b - a + 8);
    if a > 0 {
        s.push('…');
    }
    s.push_str(text[a..b].trim());
    if b < text.len() {
        s.push('…');
    }
    volact_core::key::redact_keys_in(&s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_run_skip_search() {
        assert_eq!(next_hex_run(b"xx 0xC004F074 yy", 0).map(|i| i <= 5), Some(true));
        assert_eq!(next_hex_run(b"no codes here at all, only words", 0), None);
        assert_eq!(next_hex_run(b"1234567", 0), None);
        assert!(next_hex_run(b"12345678", 0).is_some());
        assert!(next_hex_run(b"zzzzzzzzzzzzzzzzz12345678", 0).is_some());
        // Every position of a run is found from any start before it.
        let s = b"a deadbee cafe 0x8007232B.";
        let r = next_hex_run(s, 0).unwrap();
        assert!(r <= 17 && s[r..].windows(8).any(|w| w.iter().all(u8::is_ascii_hexdigit)));
    }

    #[test]
    fn count_lines() {
        assert_eq!(count_nl(b"a\nb\n\nc"), 3);
        assert_eq!(count_nl(b""), 0);
    }

    #[test]
    fn context_keeps_keys_redacted_and_whole() {
        let line = format!(
            "{} ABCDE-FGHIJ-KLMNO-PQRST-VWXY2 error 0xC004F074 after",
            "x".repeat(300)
        );
        let at = line.find("0xC004F074").unwrap();
        let c = context(&line, at, at + 10, 30);
        assert!(c.contains("VWXY2"), "{c}");
        assert!(!c.contains("ABCDE") && !c.contains("PQRST"), "{c}");
        let c = context(&line, at, at + 10, 10);
        assert!(!c.contains("PQRST"), "{c}");
    }

    #[test]
    fn zero_only_in_result_fields() {
        let opts = Options::default();
        let mut s = FileScan::new(&opts, "t");
        s.block(b"ptr 0x00000000 flags\nhr=0x00000000\n", false);
        let out = s.finish();
        assert_eq!(out.matches.len(), 1);
        assert_eq!(out.matches[0].place.line, 2);
    }

    #[test]
    fn lines_and_columns() {
        let opts = Options::default();
        let mut s = FileScan::new(&opts, "t");
        s.block("a\r\n錯誤：0xC004F074 x 0x8007232B\r\n".as_bytes(), false);
        s.block(b"\nlast 0xC004F074", false);
        let out = s.finish();
        let places: Vec<(u64, u64)> = out
            .matches
            .iter()
            .map(|m| (m.place.line, m.place.column))
            .collect();
        assert_eq!(places, [(2, 4), (2, 17), (4, 6)]);
        assert_eq!(out.lines, 4);
        assert_eq!(out.codes.len(), 2);
        assert_eq!(out.codes[0].count, 2);
        assert_eq!(out.codes[0].last, (4, 6));
    }

    #[test]
    fn cut_lines_keep_counting_columns() {
        let opts = Options::default();
        let mut s = FileScan::new(&opts, "t");
        s.block(b"abc ", true);
        s.block(b"0xC004F074\n", false);
        let out = s.finish();
        assert_eq!(
            (out.matches[0].place.line, out.matches[0].place.column),
            (1, 5)
        );
    }
}
