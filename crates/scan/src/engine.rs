//! The hot loop: finding codes in blocks of UTF-8 text without looking closely at most of it.
//!
//! Every code the finder of `volact-core` accepts contains a run of exactly eight ASCII hex
//! digits (`0xC004F074`, `C004F074`) or ten decimal digits (`-1073418124`, `3221549172`), except
//! full-width spellings, which start with the UTF-8 bytes `EF BC`/`EF BD`. So a block is searched
//! for runs of eight or more hex digits eight bytes at a time ([`hex_lanes`]), plus `memchr` for
//! `0xEF`; runs of other lengths are dropped, and only a window of a few bytes around the rest is
//! handed to [`volact_core::find::find_codes_with`]. Lines are located and numbered only when a
//! code is found. Structured inputs (slmgr output, event text) are parsed only in blocks where
//! one of their keywords occurs, plus a margin of lines around them.

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

const LANES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// For eight bytes read as a little-endian word, the high bit of each byte lane whose byte is an
/// ASCII hex digit (SWAR range checks; no lane can carry into the next).
fn hex_lanes(w: u64) -> u64 {
    let ascii = !w & HIGH;
    let x = w & !HIGH;
    let digit = (x + LANES * (0x80 - 0x30)) & !(x + LANES * (0x7F - 0x39));
    let y = x | (LANES * 0x20);
    let alpha = (y + LANES * (0x80 - 0x61)) & !(y + LANES * (0x7F - 0x66));
    (digit | alpha) & ascii & HIGH
}

/// Start of the first run of at least eight ASCII hex digits that starts at or after `i`,
/// looking at eight bytes per step.
fn next_hex_run(b: &[u8], i: usize) -> Option<usize> {
    let n = b.len();
    let mut run = 0usize;
    let mut p = i;
    while p + 8 <= n {
        let w = u64::from_le_bytes(b[p..p + 8].try_into().expect("eight bytes"));
        let not_hex = !hex_lanes(w) & HIGH;
        if not_hex == 0 {
            return Some(p - run);
        }
        let lead = (not_hex.trailing_zeros() / 8) as usize;
        if run + lead >= 8 {
            return Some(p - run);
        }
        run = (not_hex.leading_zeros() / 8) as usize;
        p += 8;
    }
    while p < n {
        if HEX[b[p] as usize] {
            run += 1;
            if run == 8 {
                return Some(p + 1 - run);
            }
        } else {
            run = 0;
        }
        p += 1;
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
    enum Search {
        Teddy(aho_corasick::packed::Searcher),
        Each(Vec<memchr::memmem::Finder<'static>>),
    }
    static SEARCH: OnceLock<Search> = OnceLock::new();
    let search = SEARCH.get_or_init(|| {
        match aho_corasick::packed::Config::new()
            .builder()
            .extend(KEYWORDS)
            .build()
        {
            Some(s) => Search::Teddy(s),
            // No SIMD searcher on this CPU: one memmem pass per keyword.
            None => Search::Each(
                KEYWORDS
                    .iter()
                    .map(|k| memchr::memmem::Finder::new(k.as_bytes()))
                    .collect(),
            ),
        }
    });
    match search {
        Search::Teddy(s) => s.find(b).is_some(),
        Search::Each(f) => f.iter().any(|f| f.find(b).is_some()),
    }
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

/// The line being looked at in [`FileScan::codes`].
#[derive(Clone, Copy, Debug)]
struct Cur {
    /// Start and end (past the line feed) in the block.
    ls: usize,
    le: usize,
    /// Its number.
    ln: u64,
    /// Characters counted from the line start up to `col_byte` (plus a cut line's carry).
    col_byte: usize,
    col_chars: u64,
    /// Whether it was given to the event-text reader.
    fed: bool,
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
            owned = block
                .iter()
                .copied()
                .filter(|c| *c != 0)
                .collect::<Vec<u8>>();
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
    /// two after its digits. Only when a code is found is its line located, once per line, so an
    /// enormous line with many codes costs no more than a short one.
    fn codes(&mut self, b: &[u8], feed_events: bool) {
        let mut pos = 0;
        let mut counted = 0;
        let mut ln = self.line;
        let mut fw = next_fullwidth(b, 0);
        let mut found: Vec<(usize, Found)> = Vec::new();
        let mut cur: Option<Cur> = None;
        loop {
            if fw.is_some_and(|f| f < pos) {
                fw = next_fullwidth(b, pos);
            }
            let hex = next_hex_run(b, pos);
            let (c, mut whole_line) = match (hex, fw) {
                (Some(h), Some(f)) if f < h => (f, true),
                (Some(h), _) => (h, false),
                (None, Some(f)) => (f, true),
                (None, None) => break,
            };
            found.clear();
            let mut next = c + 1;
            if !whole_line {
                let run_end = c + b[c..].iter().take_while(|x| HEX[**x as usize]).count();
                // Codes have exactly eight hex digits (`0x…`, bare) or ten decimal ones: longer
                // runs (hashes, 64-bit addresses) cannot hold one.
                if !matches!(run_end - c, 8 | 10) {
                    pos = run_end;
                    continue;
                }
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
                        find_codes_with(t, |mut f| {
                            f.start += ws;
                            f.end += ws;
                            found.push((ws, f));
                            true
                        });
                        next = run_end;
                    }
                    Err(_) => whole_line = true,
                }
            }
            if !whole_line && found.is_empty() {
                pos = next;
                continue;
            }
            // The line holding the candidate, located once per line.
            let line = match cur {
                Some(l) if c < l.le => l,
                _ => {
                    let ls =
                        memchr::memrchr(b'\n', &b[counted..c]).map_or(counted, |i| counted + i + 1);
                    let le = memchr::memchr(b'\n', &b[c..]).map_or(b.len(), |i| c + i + 1);
                    ln += count_nl(&b[counted..ls]);
                    counted = ls;
                    Cur {
                        ls,
                        le,
                        ln,
                        col_byte: ls,
                        col_chars: if ls == 0 { self.col_carry } else { 0 },
                        fed: false,
                    }
                }
            };
            let mut line = line;
            let any = if whole_line {
                next = line.le;
                self.whole_line_codes(b, &mut line, pos)
            } else {
                for (_, f) in &found {
                    self.window_code(b, &mut line, f);
                }
                true
            };
            let abs = self.offset + line.ls as u64;
            if any
                && feed_events
                && !line.fed
                && abs >= self.events_fed
                && !(line.ls == 0 && self.col_carry > 0)
                && line.le - line.ls <= MAX_STRUCTURED_LINE
            {
                let text = String::from_utf8_lossy(&b[line.ls..line.le]);
                let text = redact(text.trim_end_matches(['\n', '\r']));
                self.events.push_line(&text, line.ln);
                self.events_fed = self.offset + line.le as u64;
                line.fed = true;
            }
            cur = Some(line);
            pos = next;
        }
    }

    /// Column (from 1) of byte `at` of the current line, counting characters incrementally.
    fn column(b: &[u8], line: &mut Cur, at: usize) -> u64 {
        if at >= line.col_byte {
            line.col_chars += b[line.col_byte..at]
                .iter()
                .filter(|x| **x & 0xC0 != 0x80)
                .count() as u64;
            line.col_byte = at;
        }
        line.col_chars + 1
    }

    /// Records a code the finder saw in a window (`f` holds block offsets), judging it with the
    /// text around it.
    fn window_code(&mut self, b: &[u8], line: &mut Cur, f: &Found) {
        let radius = 4 * (self.opts.context_chars + 48);
        let mut cs = f.start.saturating_sub(radius).max(line.ls);
        while cs < f.start && b[cs] & 0xC0 == 0x80 {
            cs += 1;
        }
        let mut ce = (f.end + radius).min(line.le);
        while ce < line.le && b[ce] & 0xC0 == 0x80 {
            ce += 1;
        }
        let col = Self::column(b, line, f.start);
        let masked = mask_wrapped_keys(b, line.ls, line.le, cs, ce);
        let text = String::from_utf8_lossy(masked.as_deref().unwrap_or(&b[cs..ce]));
        let text = text.trim_end_matches(['\n', '\r']);
        let mut local = f.clone();
        local.start -= cs;
        local.end -= cs;
        if local.end > text.len() || !text.is_char_boundary(local.start) {
            return;
        }
        if self.opts.all_codes || plausible(&local, text) {
            self.record(&local, text, line.ln, col);
        }
    }

    /// Finds and records the codes of a whole line (full-width text, or invalid UTF-8 near a
    /// candidate), ignoring codes that start before `floor` (already handled). Returns whether
    /// the finder saw any code.
    fn whole_line_codes(&mut self, b: &[u8], line: &mut Cur, floor: usize) -> bool {
        let raw = &b[line.ls..line.le];
        let text: Cow<'_, str> = match std::str::from_utf8(raw) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => {
                self.out.invalid_utf8_lines += 1;
                String::from_utf8_lossy(raw)
            }
        };
        let lossy = matches!(text, Cow::Owned(_));
        let text = text.trim_end_matches(['\n', '\r']);
        let floor = floor.saturating_sub(line.ls);
        let mut codes: Vec<Found> = Vec::new();
        find_codes_with(text, |f| {
            if lossy || f.start >= floor {
                codes.push(f);
            }
            true
        });
        let any = !codes.is_empty();
        let carry = if line.ls == 0 { self.col_carry } else { 0 };
        let mut chars_at = (0usize, 0u64);
        for f in codes {
            if !(self.opts.all_codes || plausible(&f, text)) {
                continue;
            }
            chars_at.1 += text[chars_at.0..f.start].chars().count() as u64;
            chars_at.0 = f.start;
            self.record(&f, text, line.ln, carry + chars_at.1 + 1);
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
        if !(cut || from == 0 && self.col_carry > 0) {
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

/// How far before a line's start and after its end a key wrapped across the line break is looked
/// for (a key with escapes for every separator and a few invisible characters fits).
const WRAP_REACH: usize = 512;

/// A key wrapped across lines (`...key QXBCD-FGHJK-` then `MPRTV-WXY23-46789`): the part of it in
/// `b[cs..ce]`, a window of the line `b[ls..le]`, is masked (every letter, digit and non-ASCII
/// byte becomes `*`, so offsets stay the same), since the line alone no longer looks like a key.
/// `None` when no key crosses the line's start or end.
fn mask_wrapped_keys(b: &[u8], ls: usize, le: usize, cs: usize, ce: usize) -> Option<Vec<u8>> {
    let keyish = |x: u8| x >= 0x80 || x.is_ascii_alphanumeric() || b"-\\%&; \t".contains(&x);
    let mut masks: Vec<(usize, usize)> = Vec::new();
    let mut look = |from: usize, to: usize, cut: usize| {
        let mut from = from;
        while from < to && b[from] & 0xC0 == 0x80 {
            from += 1;
        }
        let mut to = to;
        while to > from && to < b.len() && b[to] & 0xC0 == 0x80 {
            to -= 1;
        }
        let Ok(t) = std::str::from_utf8(&b[from..to]) else {
            return;
        };
        for k in volact_core::key::find_keys(t) {
            let (ks, ke) = (from + k.start, from + k.end);
            if ks < cut && cut < ke {
                masks.push((ks, ke));
            }
        }
    };
    // The break before the line: its last byte before `\r\n` and the line's first byte.
    if ls > 0 && ls < le && keyish(b[ls]) {
        let mut p = ls - 1;
        while p > 0 && matches!(b[p], b'\n' | b'\r') {
            p -= 1;
        }
        if keyish(b[p]) {
            look(ls.saturating_sub(WRAP_REACH), (ls + WRAP_REACH).min(le), ls);
        }
    }
    // The break at the line's end.
    if le < b.len() && le > ls && keyish(b[le]) {
        let mut p = le - 1;
        while p > ls && matches!(b[p], b'\n' | b'\r') {
            p -= 1;
        }
        if keyish(b[p]) {
            look(
                le.saturating_sub(WRAP_REACH).max(ls),
                (le + WRAP_REACH).min(b.len()),
                p + 1,
            );
        }
    }
    if masks.is_empty() {
        return None;
    }
    let mut out = b[cs..ce].to_vec();
    for (ks, ke) in masks {
        for i in ks.max(cs)..ke.min(ce) {
            let x = out[i - cs];
            if x >= 0x80 || x.is_ascii_alphanumeric() {
                out[i - cs] = b'*';
            }
        }
    }
    Some(out)
}

/// Redacts product keys in a line before a parser sees it (`redact_keys_in` is cheap on lines
/// that cannot hold a key).
fn redact(line: &str) -> Cow<'_, str> {
    volact_core::key::redact_keys_in(line)
}

/// Is `c` part of a word that the context would rather not cut (a GUID, an ID)?
fn keyish(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '-' | '‐' | '‑' | '‒' | '–' | '—' | '－' | '−')
}

/// The text around a code, at most about `width` characters each side, never cutting a product
/// key, with product keys redacted. Keys are looked for in a wider window (every key found is
/// shorter than [`volact_core::key::MAX_KEY_SPAN`] bytes), so one that the window would cut is
/// either shown whole, redacted, or left out.
pub(crate) fn context(text: &str, start: usize, end: usize, width: usize) -> String {
    let mut a = text[..start]
        .char_indices()
        .rev()
        .take(width)
        .last()
        .map_or(start, |(i, _)| i);
    // Widen to the start of a word that could be an ID (a GUID), or drop it if it is longer.
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
    let mut b = text[end..]
        .char_indices()
        .take(width)
        .last()
        .map_or(end, |(i, c)| end + i + c.len_utf8());
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
    // Then never cut a product key in any form (spaces for dashes, escapes...).
    let margin = volact_core::key::MAX_KEY_SPAN;
    let mut wa = a.saturating_sub(margin);
    while !text.is_char_boundary(wa) {
        wa -= 1;
    }
    let mut wb = (b + margin).min(text.len());
    while !text.is_char_boundary(wb) {
        wb += 1;
    }
    for k in volact_core::key::find_keys(&text[wa..wb]) {
        let (ks, ke) = (wa + k.start, wa + k.end);
        // A key cut by the window's start: shown whole if it ends before the code, else left out.
        if ks < a && a < ke {
            a = if ke <= start { ks } else { ke.min(start) };
        }
        if ks < b && b < ke {
            b = if ks >= end { ke } else { ks.max(end) };
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
        assert_eq!(
            next_hex_run(b"xx 0xC004F074 yy", 0).map(|i| i <= 5),
            Some(true)
        );
        assert_eq!(next_hex_run(b"no codes here at all, only words", 0), None);
        assert_eq!(next_hex_run(b"1234567", 0), None);
        assert!(next_hex_run(b"12345678", 0).is_some());
        assert!(next_hex_run(b"zzzzzzzzzzzzzzzzz12345678", 0).is_some());
        // Every position of a run is found from any start before it.
        let s = b"a deadbee cafe 0x8007232B.";
        let r = next_hex_run(s, 0).unwrap();
        assert!(
            r <= 17
                && s[r..]
                    .windows(8)
                    .any(|w| w.iter().all(u8::is_ascii_hexdigit))
        );
    }

    #[test]
    fn hex_lanes_match_the_table() {
        for v in 0..=255u8 {
            for lane in 0..8 {
                let mut bytes = [b'z'; 8];
                bytes[lane] = v;
                let m = hex_lanes(u64::from_le_bytes(bytes));
                assert_eq!(m != 0, HEX[v as usize], "{v:#x} in lane {lane}");
            }
        }
        // Runs across word boundaries and in the tail.
        for len in 0..40 {
            for at in 0..20 {
                let mut s = vec![b'.'; 64];
                for x in &mut s[at..(at + len).min(64)] {
                    *x = b'a';
                }
                let want = (len >= 8 && at + 8 <= 64).then_some(at);
                assert_eq!(next_hex_run(&s, 0), want, "len {len} at {at}");
            }
        }
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
    fn context_never_cuts_glued_or_spaced_keys() {
        for key in [
            "xBCDFG-HJKMN-PQRTV-WXY23-46789foo",
            "BCDFG HJKMN PQRTV WXY23 46789",
            "BCDFG - HJKMN - PQRTV - WXY23 - 46789",
            "ＢＣＤＦＧ－ＨＪＫＭＮ－ＰＱＲＴＶ－ＷＸＹ２３－４６７８９",
        ] {
            for pad in 0..40 {
                let line = format!("{} {key} error 0xC004F074 {key} after", "y".repeat(pad));
                let at = line.find("0xC004F074").unwrap();
                for width in [5, 10, 20, 30, 45, 80] {
                    let c = context(&line, at, at + 10, width);
                    for group in ["HJKMN", "PQRTV", "ＨＪＫＭＮ", "ＰＱＲＴＶ"] {
                        assert!(!c.contains(group), "{key} {width}: {c}");
                    }
                    assert!(c.contains("0xC004F074"), "{key} {width}: {c}");
                }
            }
        }
    }

    #[test]
    fn lines_fed_to_parsers_are_redacted() {
        for line in [
            "Description: key 12BCDFG-HJKMN-PQRTV-WXY23-46789x",
            "Description: key BCDFG HJKMN PQRTV WXY23 46789",
        ] {
            assert!(!redact(line).contains("PQRTV"), "{line}");
        }
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
