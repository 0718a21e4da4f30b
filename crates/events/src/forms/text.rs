//! Text inputs: what [`TextEventReader`] recognises (Event Viewer copies with English or
//! Traditional Chinese labels, `wevtutil qe /f:text` in any language, support articles, bare
//! Info lines), plus the event XML that an Event Viewer copy carries after its header. A copy
//! made on a Windows in another language has labels the reader does not know (cs-CZ: `Název
//! protokolu:`, `Kód XML události:`): its XML is read instead, as event XML.
//!
//! An event found both in a header and in the XML after it is used once (the XML's): events
//! found in text wait [`HOLD_LINES`] lines for XML that repeats them.

use std::collections::VecDeque;
use std::io::{self, Read};

use volact_core::event::text::{TextEvent, TextEventReader};

use super::Form;
use crate::analyze::{Analyzer, SkipReason};
use crate::xml::XmlEventReader;

/// Lines an event found in text waits for XML that repeats it.
pub const HOLD_LINES: u64 = 80;
/// Events held at most (older ones are used without waiting).
const MAX_HELD: usize = 256;
/// Bytes of one embedded `<Event>` block kept at most; a longer block is read up to there
/// (the XML reader then reports where it stops).
pub const MAX_XML_BLOCK: usize = 1024 * 1024;

/// What the text reader has seen, for the form of the input.
#[derive(Default)]
struct Seen {
    wevtutil: bool,
    xml_blocks: u64,
}

/// Reads text into `an`; the form it was recognised as.
pub fn read_text<R: Read>(name: &str, r: R, an: &mut Analyzer) -> io::Result<Form> {
    let mut st = State {
        reader: TextEventReader::new(),
        out: Vec::new(),
        held: VecDeque::new(),
        xml: None,
        seen: Seen::default(),
    };
    let mut line_no = 0u64;
    let lines = volact_core::text::for_each_line(r, crate::decode::MAX_LINE, |line, _| {
        line_no += 1;
        let s = String::from_utf8_lossy(line);
        st.line(name, &s, line_no, an);
    })?;
    st.finish(name, an);
    let reader = &st.reader;
    for p in reader.problems() {
        an.read(1);
        an.bad(crate::BadExample::new(
            Some(format!("{name}:{}", p.line)),
            p.id,
            p.kind.clone(),
        ));
    }
    // Event headers of other providers are records too: read, and skipped for that reason.
    an.read(reader.other_events());
    an.skip_n(SkipReason::OtherEvent, reader.other_events());
    let unlisted = reader.problem_count() - reader.problems().len() as u64;
    if unlisted > 0 {
        an.read(unlisted);
        an.skip_n(SkipReason::BadData, unlisted);
    }
    if lines.cut > 0 {
        an.warn(
            name,
            crate::WarningKind::LinesCut {
                count: lines.cut,
                max: crate::decode::MAX_LINE,
            },
        );
    }
    if lines.replaced {
        an.warn(name, crate::WarningKind::BytesReplaced);
    }
    Ok(if st.seen.wevtutil {
        Form::WevtutilText
    } else if st.seen.xml_blocks > 0 {
        Form::EventViewerCopy
    } else {
        Form::Text
    })
}

struct State {
    reader: TextEventReader,
    out: Vec<TextEvent>,
    held: VecDeque<TextEvent>,
    /// An `<Event>` block being collected: its first line and its text.
    xml: Option<(u64, String)>,
    seen: Seen,
}

impl State {
    fn line(&mut self, name: &str, s: &str, line_no: u64, an: &mut Analyzer) {
        let t = s.trim().trim_start_matches('\u{feff}');
        if let Some((_, buf)) = self.xml.as_mut() {
            if buf.len() + s.len() < MAX_XML_BLOCK {
                buf.push_str(s);
                buf.push('\n');
            }
            if t.contains("</Event>") || buf.len() + s.len() >= MAX_XML_BLOCK {
                self.end_xml(name, an);
            }
            return;
        }
        let markup = t.trim_start_matches(['-', ' ']);
        if (markup.starts_with("<Event ") || markup.starts_with("<Event>"))
            && !self.reader.in_event_xml()
        {
            let mut buf = String::with_capacity(s.len() + 1);
            buf.push_str(s);
            buf.push('\n');
            self.xml = Some((line_no, buf));
            if t.contains("</Event>") {
                self.end_xml(name, an);
            }
            return;
        }
        if !self.seen.wevtutil && t.starts_with("Event[") && t.ends_with("]:") {
            self.seen.wevtutil = true;
        }
        self.reader.push_line(s, line_no, &mut self.out);
        self.take(line_no, an);
    }

    /// Moves the reader's new events to the held queue; uses those held long enough.
    fn take(&mut self, line_no: u64, an: &mut Analyzer) {
        self.held.extend(self.out.drain(..));
        while let Some(first) = self.held.front() {
            if line_no.saturating_sub(first.line) <= HOLD_LINES && self.held.len() <= MAX_HELD {
                break;
            }
            if let Some(te) = self.held.pop_front() {
                use_text_event(te, an);
            }
        }
    }

    /// Reads the collected `<Event>` block; events held from the header above it with the same
    /// ID are the same event, and give way to the XML.
    fn end_xml(&mut self, name: &str, an: &mut Analyzer) {
        let Some((line, buf)) = self.xml.take() else {
            return;
        };
        self.seen.xml_blocks += 1;
        let mut xr = XmlEventReader::new(buf.as_bytes());
        loop {
            match xr.next_event() {
                Ok(Some(raw)) => {
                    if let Some(id) = raw.id {
                        self.held.retain(|te| {
                            te.event.id != id || line.saturating_sub(te.line) > HOLD_LINES
                        });
                    }
                    an.read(1);
                    super::deliver(an, raw);
                }
                Ok(None) => break,
                Err(e) => {
                    an.warn(
                        name,
                        crate::WarningKind::XmlRestUnread {
                            error: format!("line {line}: {e}"),
                        },
                    );
                    break;
                }
            }
        }
    }

    fn finish(&mut self, name: &str, an: &mut Analyzer) {
        if self.xml.is_some() {
            self.end_xml(name, an);
        }
        self.reader.finish(&mut self.out);
        self.held.extend(self.out.drain(..));
        for te in self.held.drain(..) {
            use_text_event(te, an);
        }
    }
}

/// Counts and uses one event recognised in text (partial when some of its fields were hidden).
fn use_text_event(te: TextEvent, an: &mut Analyzer) {
    an.read(1);
    if let Some(how) = te.redacted {
        an.partial(how);
    }
    an.event(te.event);
}
