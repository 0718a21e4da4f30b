//! Which lines the structured parsers (slmgr output, event text) see: the lines within
//! [`MARGIN`] bytes of one of their keywords, in regions that may start in the previous block (its
//! tail is kept) and run on into the next one. The rest of a block is never decoded for them,
//! except the lines holding a code (bare event `Info` lines), which [`FileScan::codes`] hands to
//! the event-text reader in order, after the regions before them.

use super::filter::next_keyword;
use super::swar::count_nl;
use super::{FileScan, MARGIN};

/// A stretch of a block given to the parsers: whole lines `start..end`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Region {
    start: usize,
    end: usize,
    /// Feed the previous block's tail first (a keyword near the block's start).
    with_carry: bool,
    /// It runs on into the next block (no gap after it).
    continues: bool,
}

impl FileScan<'_> {
    /// Finds the regions of block `b` (`cut`: it ends inside a line); returns whether it has any.
    pub(super) fn plan(&mut self, b: &[u8], cut: bool) -> bool {
        let mut regions: Vec<(usize, usize, bool)> = Vec::new();
        self.next_region = 0;
        self.region_cursor = (0, self.line);
        // Raw spans (before aligning to lines); the end may pass the block's end.
        let mut open: Option<(usize, usize, bool)> =
            (self.pending > 0).then_some((0, self.pending, false));
        let mut pos = 0;
        while let Some(h) = next_keyword(&b[pos..]).map(|i| pos + i) {
            let (s, e) = (h.saturating_sub(MARGIN), h + MARGIN);
            let carry = h < MARGIN;
            open = match open {
                Some((os, oe, oc)) if s <= oe => {
                    Some((os, oe.max(e), oc || (carry && self.pending == 0)))
                }
                Some(r) => {
                    regions.push(r);
                    Some((s, e, carry && self.pending == 0))
                }
                None => Some((s, e, carry && self.pending == 0)),
            };
            pos = h + 1;
        }
        regions.extend(open);
        let usable = if cut {
            memchr::memrchr(b'\n', b).map_or(0, |i| i + 1)
        } else {
            b.len()
        };
        self.pending = regions.last().map_or(0, |r| r.1.saturating_sub(b.len()));
        self.regions = regions_of(b, &regions, usable);
        if let Some(last) = self.regions.last_mut() {
            last.continues = self.pending > 0 && last.end == usable;
        }
        !self.regions.is_empty()
    }

    /// Feeds the regions that start at or before `at` (all of them with `usize::MAX`).
    pub(super) fn feed_regions_upto(&mut self, b: &[u8], at: usize) {
        while let Some(&r) = self.regions.get(self.next_region) {
            if r.start > at {
                break;
            }
            self.next_region += 1;
            if r.with_carry {
                let (off, line, carry) = std::mem::take(&mut self.carry);
                self.feed(&carry, off, line, false);
            }
            let (pos, line) = self.region_cursor;
            let line = line + count_nl(&b[pos..r.start]);
            self.region_cursor = (r.start, line);
            let (off, skip) = (
                self.offset + r.start as u64,
                r.start == 0 && self.col_carry > 0,
            );
            self.feed(&b[r.start..r.end], off, line, skip);
            if !r.continues {
                self.gap();
            }
        }
    }

    /// Keeps the tail of block `b` for a region that the next block may open near its start.
    pub(super) fn keep_tail(&mut self, b: &[u8], cut: bool, nl: u64) {
        let mut v = std::mem::take(&mut self.carry.2);
        v.clear();
        if self.pending > 0 {
            self.carry = (0, 1, v);
            return;
        }
        let from = if b.len() > MARGIN {
            memchr::memchr(b'\n', &b[b.len() - MARGIN..])
                .map_or(b.len(), |i| b.len() - MARGIN + i + 1)
        } else {
            0
        };
        let line = self.line + nl - count_nl(&b[from..]);
        if !(cut || from == 0 && self.col_carry > 0) {
            v.extend_from_slice(&b[from..]);
        }
        self.carry = (self.offset + from as u64, line, v);
    }
}

/// Aligns raw spans to whole lines (starts back to a line start, ends on to a line end, at most
/// `usable`), merging those that then touch.
fn regions_of(b: &[u8], raw: &[(usize, usize, bool)], usable: usize) -> Vec<Region> {
    let mut out: Vec<Region> = Vec::with_capacity(raw.len());
    for &(s, e, with_carry) in raw {
        let start = if s == 0 {
            0
        } else {
            memchr::memrchr(b'\n', &b[..s]).map_or(0, |i| i + 1)
        };
        let end = if e >= usable {
            usable
        } else {
            memchr::memchr(b'\n', &b[e..usable]).map_or(usable, |i| e + i + 1)
        };
        match out.last_mut() {
            Some(l) if start <= l.end => {
                l.end = l.end.max(end);
                l.with_carry |= with_carry;
            }
            _ if start < end || with_carry => out.push(Region {
                start,
                end: end.max(start),
                with_carry,
                continues: false,
            }),
            _ => {}
        }
    }
    out
}
