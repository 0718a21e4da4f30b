//! The hot loop: finding codes in blocks of UTF-8 text without looking closely at most of it.
//!
//! Every code the finder of `volact-core` accepts contains a run of exactly eight ASCII hex
//! digits (`0xC004F074`, `C004F074`) or ten decimal digits (`-1073418124`, `3221549172`), except
//! full-width spellings, which start with the UTF-8 bytes `EF BC`/`EF BD`. So a block is searched
//! for runs of eight or more hex digits eight bytes at a time ([`swar`]), plus `memchr` for
//! `0xEF`; runs of other lengths are dropped, and only a window of a few bytes around the rest is
//! handed to [`volact_core::find::find_codes_with`]. Lines are located and numbered only when a
//! code is found. Structured inputs (slmgr output, event text) are parsed only in blocks where
//! one of their keywords occurs, plus a margin of lines around them.

mod context;
mod filter;
pub(crate) mod rank;
mod regions;
mod swar;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::HashMap;

use volact_core::ErrorCode;
use volact_core::event::text::{TextEvent, TextProblem};
use volact_core::find::{Found, find_codes_with};

use crate::options::Options;
use crate::report::model::{Match, Place};
use crate::slmgr::{SlmgrParser, Snapshot};
use crate::structured::EventSink;
use context::{context, mask_wrapped_keys, redact};
use rank::{Rank, rank};
use swar::{HEX, count_nl, hex_run_end, next_fullwidth, next_hex_run};

/// Distinct codes counted per input before the rest are only counted in total (listed codes and
/// the values only `--all-codes` lists each have their own allowance, so that the second can
/// never crowd out the first).
pub(crate) const MAX_DISTINCT: usize = 10_000;
/// Lines fed to the structured parsers around a block that holds one of their keywords.
const MARGIN: usize = 8 * 1024;
/// Longest line given to the structured parsers.
const MAX_STRUCTURED_LINE: usize = 16 * 1024;

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
    /// The best rank any of its occurrences had.
    pub(crate) rank: Rank,
}

/// What scanning one input produced (language-independent).
#[derive(Debug, Default)]
pub(crate) struct Found1 {
    /// Matches kept in detail with their rank, in input order; each rank keeps up to the detail
    /// limit on its own, so values of a lower rank never crowd out a known code.
    pub(crate) matches: Vec<(Rank, Match)>,
    /// Matches kept, by rank.
    kept: [usize; 4],
    pub(crate) matches_total: u64,
    pub(crate) codes: Vec<CodeStat>,
    index: HashMap<ErrorCode, usize>,
    /// Distinct codes counted: listed ones, and values only `--all-codes` lists.
    distinct: [usize; 2],
    pub(crate) distinct_dropped: u64,
    /// Values no table knows outside an error context ([`Rank::Other`]): how many, and on how
    /// many lines (also when `--all-codes` lists them).
    pub(crate) other_values: u64,
    pub(crate) other_lines: u64,
    /// Decoded offset just past the last line counted in `other_lines`.
    other_line_end: u64,
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
    /// Bytes at the start of the next block still inside a region of this one.
    pending: usize,
    /// The regions of the current block given to the parsers, the next one to feed, and where
    /// line counting for them stands (block offset, line number).
    regions: Vec<regions::Region>,
    next_region: usize,
    region_cursor: (usize, u64),
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
            pending: 0,
            regions: Vec::new(),
            next_region: 0,
            region_cursor: (0, 1),
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
        let nl = count_nl(b);
        self.plan(b, cut);
        self.codes(b);
        self.feed_regions_upto(b, usize::MAX);
        self.keep_tail(b, cut, nl);
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

    /// Finds the codes of a block, and gives the lines holding a listed one to the event-text
    /// reader (bare `Info` lines carry no keyword, only a code) when no region fed them, after
    /// the regions before them.
    ///
    /// A candidate (a run of eight or more hex digits) is checked by the finder on a window of a
    /// few bytes around it, which decides exactly as the whole line would: a code's start is at
    /// most two bytes before its digits, and the finder looks at most one byte before a code and
    /// two after its digits. Only when a code is found is its line located, once per line, so an
    /// enormous line with many codes costs no more than a short one.
    fn codes(&mut self, b: &[u8]) {
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
                let run_end = hex_run_end(b, c);
                // Codes have exactly eight hex digits (`0x…`, bare) or ten decimal ones: longer
                // runs (hashes, 64-bit addresses) cannot hold one.
                if !matches!(run_end - c, 8 | 10) {
                    pos = run_end;
                    continue;
                }
                match quick(b, c, run_end) {
                    Quick::Nothing => {
                        pos = run_end;
                        continue;
                    }
                    Quick::Prefixed(code) => {
                        // Most values of a noisy log end here: counted, nothing stored.
                        if !self.opts.all_codes && rank(code, b, c - 2) == Rank::Other {
                            self.count_other(b, c);
                            pos = run_end;
                            continue;
                        }
                    }
                    Quick::Finder => {}
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
                let mut any = false;
                for (_, f) in &found {
                    any |= self.window_code(b, &mut line, f);
                }
                any
            };
            if any && !line.fed {
                self.feed_regions_upto(b, line.ls);
            }
            let abs = self.offset + line.ls as u64;
            if any
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

    /// Counts a value of [`Rank::Other`] at byte `at` of the block, and its line once.
    fn count_other(&mut self, b: &[u8], at: usize) {
        let out = &mut self.out;
        out.other_values += 1;
        if self.offset + at as u64 >= out.other_line_end {
            out.other_lines += 1;
            let le = memchr::memchr(b'\n', &b[at..]).map_or(b.len(), |i| at + i + 1);
            out.other_line_end = self.offset + le as u64;
        }
    }

    /// Records a code the finder saw in a window (`f` holds block offsets), judging it with the
    /// text around it. Returns whether it was recorded.
    fn window_code(&mut self, b: &[u8], line: &mut Cur, f: &Found) -> bool {
        let r = rank(f.code, &b[line.ls..line.le], f.start - line.ls);
        if r == Rank::Other {
            self.count_other(b, f.start);
            if !self.opts.all_codes {
                return false;
            }
        }
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
            return false;
        }
        self.record(&local, text, line.ln, col, r);
        true
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
        let carry = if line.ls == 0 { self.col_carry } else { 0 };
        let mut chars_at = (0usize, 0u64);
        let mut any = false;
        for f in codes {
            let r = rank(f.code, text.as_bytes(), f.start);
            if r == Rank::Other {
                // Offsets of a repaired line may differ from the block's: count it at its start.
                let at = if lossy { line.ls } else { line.ls + f.start };
                self.count_other(b, at);
                if !self.opts.all_codes {
                    continue;
                }
            }
            any = true;
            chars_at.1 += text[chars_at.0..f.start].chars().count() as u64;
            chars_at.0 = f.start;
            self.record(&f, text, line.ln, carry + chars_at.1 + 1, r);
        }
        any
    }

    fn record(&mut self, f: &Found, text: &str, ln: u64, col: u64, rank: Rank) {
        let out = &mut self.out;
        out.matches_total += 1;
        let allowance = usize::from(rank == Rank::Other);
        match out.index.get(&f.code) {
            Some(&i) => {
                let s = &mut out.codes[i];
                s.count += 1;
                s.last = (ln, col);
                s.rank = s.rank.min(rank);
            }
            None if out.distinct[allowance] < MAX_DISTINCT => {
                out.distinct[allowance] += 1;
                out.index.insert(f.code, out.codes.len());
                out.codes.push(CodeStat {
                    code: f.code,
                    count: 1,
                    first: (ln, col),
                    last: (ln, col),
                    rank,
                });
            }
            None => {
                out.distinct_dropped += 1;
                return;
            }
        }
        let kept = &mut out.kept[rank as usize];
        if self.opts.max_matches == 0 || *kept < self.opts.max_matches {
            *kept += 1;
            out.matches.push((
                rank,
                Match {
                    place: Place {
                        path: self.path.to_owned(),
                        line: ln,
                        column: col,
                    },
                    code: f.code,
                    form: f.form,
                    context: context(text, f.start, f.end, self.opts.context_chars),
                },
            ));
        }
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

/// What the finder would make of a candidate run of hex digits `b[c..run_end]` (8 or 10 long),
/// decided without it for the common shapes.
enum Quick {
    /// No code there.
    Nothing,
    /// `0x` + eight hex digits: that code (its start is `c - 2`).
    Prefixed(ErrorCode),
    /// Ask the finder.
    Finder,
}

/// The finder's rules for `0x` + hex digits, GUID groups and bare digits (see
/// `volact_core::find`): a window of the candidate holds that code or nothing.
fn quick(b: &[u8], c: usize, run_end: usize) -> Quick {
    let word = |x: u8| x.is_ascii_alphanumeric() || x == b'_';
    let run = run_end - c;
    if c >= 2 && b[c - 2] == b'0' && b[c - 1] | 0x20 == b'x' {
        let alone = (c < 3 || !word(b[c - 3])) && (run_end >= b.len() || !word(b[run_end]));
        if run != 8 || !alone {
            return Quick::Nothing;
        }
        let v = b[c..run_end].iter().fold(0u32, |v, x| {
            let d = match x {
                b'0'..=b'9' => x - b'0',
                _ => (x | 0x20) - b'a' + 10,
            };
            v << 4 | u32::from(d)
        });
        return Quick::Prefixed(ErrorCode::new(v));
    }
    if run == 8 {
        let digits = b[c..run_end].iter().all(u8::is_ascii_digit);
        let guid = (c > 0 && matches!(b[c - 1], b'-' | b'{'))
            || (run_end + 1 < b.len() && b[run_end] == b'-' && HEX[b[run_end + 1] as usize]);
        if digits || guid {
            return Quick::Nothing;
        }
    }
    Quick::Finder
}
