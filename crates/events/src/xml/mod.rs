//! Event XML, streamed: `wevtutil qe … /f:xml` (a sequence of `<Event>` elements without a root),
//! Event Viewer "Save as XML" (`<Events>` root), and single records rendered from .evtx.
//!
//! Time and memory are bounded for any input: a lexer between the input and the parser passes
//! well-formed XML through unchanged and, in one pass, cuts what is over a limit (a text run,
//! attribute value, tag, name, comment, CDATA section, processing instruction or DOCTYPE longer
//! than its limit, attributes beyond [`MAX_ATTRIBUTES`]) and skips elements nested deeper than
//! [`MAX_DEPTH`], keeping the end of each token so that the parser still sees well-formed markup
//! and every record after it. What was cut is reported ([`XmlEventReader::cuts`], then one
//! warning per kind, with where the first one is). At most [`MAX_ITEMS`] data items of
//! [`MAX_ITEM_TEXT`] bytes are kept per event.

use std::io::Read;

use crate::analyze::{Analyzer, SkipReason};
use crate::forms::Form;

mod lexer;
pub(crate) mod limits;
mod reader;
#[cfg(test)]
mod tests;

pub use crate::record::{RawEvent, Unused};
pub use limits::{
    CutWhat, MAX_ATTRIBUTE_VALUE, MAX_ATTRIBUTES, MAX_DEPTH, MAX_ITEM_TEXT, MAX_ITEMS, MAX_MARKUP,
    MAX_NAME, MAX_TAG, MAX_TEXT, XmlCut,
};
pub use reader::{XmlError, XmlEventReader};

/// Reads event XML into `an`: every `<Event>` is counted as read; malformed XML ends the input
/// with a warning (what was read is kept); what the reader cut or skipped is reported with one
/// warning per kind, and `<Event>` records inside skipped elements are counted as read and
/// skipped (`limit`).
pub fn read_xml<R: Read>(name: &str, r: R, an: &mut Analyzer) {
    read_xml_form(name, r, an);
}

/// [`read_xml`], giving the form read ([`Form::EventXml`]: the caller tells an Event Viewer
/// paste apart by its first mark). Data items holding placeholders or masks are read as absent
/// and the record counted as partial ([`crate::forms::deliver`]).
pub fn read_xml_form<R: Read>(name: &str, r: R, an: &mut Analyzer) -> Form {
    let mut xr = XmlEventReader::new(crate::decode::Utf8Reader::new(r));
    loop {
        match xr.next_event() {
            Ok(Some(raw)) => {
                an.read(1);
                crate::forms::deliver(an, raw);
            }
            Ok(None) => break,
            Err(e) => {
                an.warn(
                    name,
                    crate::WarningKind::XmlRestUnread {
                        error: e.to_string(),
                    },
                );
                break;
            }
        }
    }
    // EventData without its Event (no System part, so no event ID): records all the same.
    let orphans = xr.data_without_event();
    if orphans > 0 {
        an.read(orphans);
        an.skip_n(SkipReason::NoEventId, orphans);
    }
    let skipped = xr.records_skipped();
    if skipped > 0 {
        an.read(skipped);
        an.skip_n(SkipReason::Limit, skipped);
    }
    for cut in xr.cuts() {
        an.warn(name, crate::WarningKind::XmlCut(cut));
    }
    Form::EventXml
}
