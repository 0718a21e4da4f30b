//! Event text (Event Viewer copies and support-article excerpts) found inside scanned text.
//!
//! Parsing is `volact_core::event::text`'s job; this module only feeds it lines and keeps what it
//! returns, with a bound on how many events one input may hold in memory.

use volact_core::event::text::{TextEvent, TextEventReader, TextProblem};

/// Events kept per input (the rest are counted).
pub(crate) const MAX_EVENTS: usize = 100_000;

/// Collects typed events from text lines.
#[derive(Default)]
pub(crate) struct EventSink {
    reader: TextEventReader,
    events: Vec<TextEvent>,
    buf: Vec<TextEvent>,
    pub(crate) dropped: u64,
}

impl EventSink {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push_line(&mut self, line: &str, line_no: u64) {
        self.reader.push_line(line, line_no, &mut self.buf);
        self.keep();
    }

    fn keep(&mut self) {
        for e in self.buf.drain(..) {
            if self.events.len() < MAX_EVENTS {
                self.events.push(e);
            } else {
                self.dropped += 1;
            }
        }
    }

    /// Ends the input: the events, the problems kept and the number of problems.
    pub(crate) fn finish(mut self) -> (Vec<TextEvent>, (Vec<TextProblem>, u64)) {
        self.reader.finish(&mut self.buf);
        self.keep();
        let problems = (self.reader.problems().to_vec(), self.reader.problem_count());
        (self.events, problems)
    }
}
