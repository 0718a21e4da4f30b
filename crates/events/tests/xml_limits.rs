//! Hostile XML (issue 14, item 13): time and memory stay bounded for any input, what is over a
//! limit is cut with a warning that says what and where, and the records before and after it are
//! still counted. The inputs are generated while they are read (tens of MB, never held in
//! memory); instead of timing, the tests check what the parser was given: the most bytes it held
//! for one XML event, and the deepest nesting.

use std::io::{self, Read};

use volact_core::Lang;
use volact_events::analyze::{Analyzer, Options, Report, SkipReason};
use volact_events::source::read_stream;
use volact_events::xml::{
    CutWhat, MAX_ATTRIBUTE_VALUE, MAX_ATTRIBUTES, MAX_DEPTH, MAX_ITEM_TEXT, MAX_TAG, XmlEventReader,
};
use volact_events::{Warning, WarningKind};

/// Most bytes the parser may hold for one XML event: the longest tag and one attribute value,
/// with room for a character finished over the limit and the closing bytes.
const PEAK_BOUND: usize = MAX_TAG + MAX_ATTRIBUTE_VALUE + 64;

/// Writes repetition `i` of a part.
type Make = Box<dyn FnMut(u64, &mut Vec<u8>) + Send>;

/// A reader that writes `parts` in order: each part is `count` repetitions of what `make`
/// writes for repetition `i`.
struct Gen {
    parts: Vec<(u64, Make)>,
    part: usize,
    i: u64,
    buf: Vec<u8>,
    pos: usize,
    total: u64,
}

impl Gen {
    fn new() -> Self {
        Self {
            parts: Vec::new(),
            part: 0,
            i: 0,
            buf: Vec::new(),
            pos: 0,
            total: 0,
        }
    }

    fn once(self, s: &str) -> Self {
        let s = s.as_bytes().to_vec();
        self.repeat(1, move |_, out| out.extend_from_slice(&s))
    }

    fn repeat(mut self, count: u64, make: impl FnMut(u64, &mut Vec<u8>) + Send + 'static) -> Self {
        self.parts.push((count, Box::new(make)));
        self
    }
}

impl Read for Gen {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.buf.len() {
            self.buf.clear();
            self.pos = 0;
            // Repetitions in blocks of about 64 KiB.
            while self.buf.len() < 64 * 1024 {
                let Some((count, make)) = self.parts.get_mut(self.part) else {
                    break;
                };
                if self.i >= *count {
                    self.part += 1;
                    self.i = 0;
                    continue;
                }
                make(self.i, &mut self.buf);
                self.i += 1;
            }
            if self.buf.is_empty() {
                return Ok(0);
            }
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        self.total += n as u64;
        Ok(n)
    }
}

/// A 12290 host request from `client`, with `data` (raw XML) after its client-name item.
fn request(client: &str, cmid: u32) -> String {
    format!(
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
         <Provider Name='Microsoft-Windows-Security-Licensing-SLC'/><EventID>12290</EventID>\
         <TimeCreated SystemTime='2026-11-24T06:14:58Z'/><Computer>kms01</Computer></System>\
         <EventData><Data>1</Data><Data>0x0</Data><Data>25</Data><Data>{client}</Data>\
         <Data>5cd1d6d4-3d4b-4a65-9d1b-{cmid:012}</Data><Data>2026/11/24 6:14</Data><Data>0</Data>\
         <Data>1</Data><Data>259200</Data><Data>2ffd8952-423e-4903-b993-72a1aa44cf82</Data>\
         </EventData></Event>\n"
    )
}

/// The part of a request before its System element's Provider, and after it.
fn request_parts(client: &str, cmid: u32) -> (String, String) {
    let r = request(client, cmid);
    let at = r.find("<Provider").unwrap();
    let end = at + r[at..].find("/>").unwrap();
    (r[..end].to_owned(), r[end..].to_owned())
}

/// What one input gave: the report, and the reader's own figures (a second pass).
struct Read2 {
    report: Report,
    peak: usize,
    deepest: u64,
    bytes: u64,
}

fn read_both(make: impl Fn() -> Gen) -> Read2 {
    let mut an = Analyzer::new(Options::default());
    read_stream("hostile.xml", make(), &mut an).unwrap();
    let report = an.report(Lang::En);
    let mut g = make();
    let mut xr = XmlEventReader::new(io::BufReader::new(&mut g));
    while let Ok(Some(_)) = xr.next_event() {}
    let (peak, deepest) = (xr.peak_buffered(), xr.deepest());
    drop(xr);
    Read2 {
        report,
        peak,
        deepest,
        bytes: g.total,
    }
}

fn cut_of(r: &Report, what: CutWhat) -> volact_events::xml::XmlCut {
    r.warning_details
        .iter()
        .find_map(|w| match &w.kind {
            WarningKind::XmlCut(c) if c.what == what => Some(c.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no {what:?} warning in {:?}", r.warnings))
}

fn clients(r: &Report) -> Vec<String> {
    r.host
        .as_ref()
        .map(|h| h.clients.iter().map(|c| c.name.clone()).collect())
        .unwrap_or_default()
}

/// Checks the bounds, and that `before` and `after` (and `middle`, when it is a record) were
/// read and used.
fn check(r: &Read2, want_clients: &[&str], what: CutWhat) {
    assert!(r.bytes > 10_000_000, "the input is only {} bytes", r.bytes);
    assert!(
        r.peak <= PEAK_BOUND,
        "{what:?}: the parser held {} bytes for one XML event (bound {PEAK_BOUND})",
        r.peak
    );
    assert!(
        r.deepest <= MAX_DEPTH as u64,
        "{what:?}: depth {}",
        r.deepest
    );
    assert_eq!(clients(&r.report), want_clients, "{what:?}");
    assert_eq!(
        r.report.stats.records_read,
        r.report.stats.events_used + r.report.stats.records_skipped,
        "{what:?}: every record accounted for"
    );
    assert!(
        !r.report
            .warning_details
            .iter()
            .any(|w| matches!(w.kind, WarningKind::XmlRestUnread { .. })),
        "{what:?}: {:?}",
        r.report.warnings
    );
    let c = cut_of(&r.report, what);
    // The warning says what and where, in both languages.
    let w = Warning::new("hostile.xml", WarningKind::XmlCut(c.clone()));
    let en = w.message(Lang::En);
    assert!(
        en.starts_with("hostile.xml: XML: ")
            && en.contains(&format!(
                "(the first at line {}, byte {})",
                c.line, c.offset
            )),
        "{en}"
    );
    let zh = w.message(Lang::ZhTw);
    assert!(
        zh.contains(&format!("第一處在第 {} 行，第 {} 位元組", c.line, c.offset)),
        "{zh}"
    );
    let j = serde_json::to_value(&w).unwrap();
    assert_eq!(j["kind"], "xml_cut");
    assert_eq!(j["line"], c.line);
}

/// One million (and one hundred thousand) distinct attributes on one element: the first
/// `MAX_ATTRIBUTES` are kept (the provider's name is among them), the record is read.
#[test]
fn a_million_attributes() {
    for n in [100_000u64, 1_000_000] {
        let r = read_both(|| {
            let (head, tail) = request_parts("middle", 2);
            Gen::new()
                .once(&request("before", 1))
                .once(&head)
                .repeat(n, |i, o| {
                    o.extend_from_slice(format!(" a{i}='x'").as_bytes())
                })
                .once(&tail)
                .once(&request("after", 3))
        });
        if n == 100_000 {
            assert!(r.bytes > 1_000_000);
            continue;
        }
        check(&r, &["after", "before", "middle"], CutWhat::Attributes);
        let c = cut_of(&r.report, CutWhat::Attributes);
        assert_eq!((c.count, c.limit), (1, MAX_ATTRIBUTES as u64));
        assert_eq!(c.line, 2, "the Provider tag of the second record");
    }
}

/// 30 MB of unclosed nesting, and a deep record inside closed nesting: skipped and counted.
#[test]
fn deep_nesting() {
    let r = read_both(|| {
        Gen::new()
            .once(&request("before", 1))
            .repeat(10_000_000, |_, o| o.extend_from_slice(b"<a>"))
    });
    check(&r, &["before"], CutWhat::Depth);
    let r = read_both(|| {
        Gen::new()
            .once(&request("before", 1))
            .repeat(4_000_000, |_, o| o.extend_from_slice(b"<x:a k='v'>"))
            .once(&request("deep", 2))
            .repeat(4_000_000, |_, o| o.extend_from_slice(b"</x:a>"))
            .once(&request("after", 3))
    });
    check(&r, &["after", "before"], CutWhat::Depth);
    let c = cut_of(&r.report, CutWhat::Depth);
    assert_eq!((c.count, c.records), (1, 1));
    let s = &r.report.stats;
    assert_eq!((s.records_read, s.events_used), (3, 2));
    assert_eq!(s.skipped[0].reason, SkipReason::Limit);
    assert!(r.report.warnings[0].contains("including 1 <Event> record(s)"));
}

/// A text run with `>` every KiB (which once reset a guard), inside a Data item: cut, and the
/// item keeps its first `MAX_ITEM_TEXT` bytes.
#[test]
fn long_text_with_gt_every_kib() {
    let r = read_both(|| {
        let m = request("middle", 2);
        let at = m.find("<Data>1</Data>").unwrap() + "<Data>".len();
        let (head, tail) = (m[..at].to_owned(), m[at + 1..].to_owned());
        Gen::new()
            .once(&request("before", 1))
            .once(&head)
            .repeat(30_000, |_, o| {
                o.extend(std::iter::repeat_n(b'x', 1023));
                o.push(b'>');
            })
            .once(&tail)
            .once(&request("after", 3))
    });
    // The middle record is read; its first item (not used for 12290) keeps its first
    // MAX_ITEM_TEXT bytes.
    check(&r, &["after", "before", "middle"], CutWhat::Text);
    assert_eq!(r.report.stats.records_read, 3);
    let m = request("middle", 2);
    let at = m.find("<Data>1</Data>").unwrap() + "<Data>".len();
    let mut xr = XmlEventReader::new(io::BufReader::new(
        Gen::new()
            .once(&m[..at])
            .repeat(30_000, |_, o| {
                o.extend(std::iter::repeat_n(b'x', 1023));
                o.push(b'>');
            })
            .once(&m[at + 1..]),
    ));
    let raw = xr.next_event().unwrap().unwrap();
    assert_eq!(raw.items[0].len(), MAX_ITEM_TEXT);
    assert_eq!(raw.items[3], "middle");
}

/// Comments, CDATA sections, processing instructions and DOCTYPEs of tens of MB with `>` every
/// KiB, an attribute value and an element name of tens of MB, and a `&` never closed.
#[test]
fn long_markup_values_and_names() {
    type Case = (CutWhat, &'static str, &'static [u8], &'static str);
    let cases: [Case; 7] = [
        (CutWhat::Comment, "<!--", b">-", "-->"),
        (CutWhat::Cdata, "<Data><![CDATA[", b"]>", "]]></Data>"),
        (CutWhat::ProcessingInstruction, "<?pi ", b">", "?>"),
        (CutWhat::Doctype, "<!DOCTYPE e [<!ENTITY x '", b"<>", "'>]>"),
        (CutWhat::AttributeValue, "<Data a='", b">\"", "'>v</Data>"),
        (CutWhat::Name, "<Data", b"n", ">v</Data>"),
        (CutWhat::Text, "<Data>&", b"amp", "</Data>"),
    ];
    for (what, open, fill, close) in cases {
        let r = read_both(|| {
            Gen::new()
                .once(&request("before", 1))
                .once(&format!("<Other>{open}"))
                .repeat(20_000, move |_, o| {
                    o.extend(std::iter::repeat_n(b'y', 1024 - fill.len()));
                    o.extend_from_slice(fill);
                })
                .once(&format!("{close}</Other>\n"))
                .once(&request("after", 3))
        });
        check(&r, &["after", "before"], what);
        assert_eq!(r.report.stats.records_read, 2, "{what:?}");
    }
}

/// Markup starting with `<!` that quick-xml does not know would stop it (the rest of the file
/// unread): it is skipped up to its `>`, and the records after it are read.
#[test]
fn unknown_bang_markup_is_skipped() {
    for bad in ["<!x>", "<![x]]>", "<!-x-->", "<!DOCTYPO a>", "<!>"] {
        let xml = format!(
            "<Events>{}{bad}{}</Events>",
            request("before", 1),
            request("after", 2)
        );
        let mut an = Analyzer::new(Options::default());
        volact_events::source::read_xml("bang.xml", xml.as_bytes(), &mut an);
        let r = an.report(Lang::ZhTw);
        assert_eq!(clients(&r), ["after", "before"], "{bad}");
        let c = cut_of(&r, CutWhat::Markup);
        assert_eq!(
            (c.count, c.line, c.offset),
            (1, 2, 8 + request("before", 1).len() as u64),
            "{bad}"
        );
        assert!(
            r.warning_details[0]
                .message(Lang::ZhTw)
                .contains("未知標記")
        );
    }
}

/// Well-formed XML is passed through unchanged: a file of many events read in blocks of any
/// size gives the same records, and no warning.
#[test]
fn well_formed_input_is_untouched() {
    let mut xml = String::from("<?xml version='1.0'?>\n<!DOCTYPE Events>\n<Events>\n");
    for i in 0..200 {
        xml.push_str(&request(&format!("pc{i}"), i));
        xml.push_str("<!-- a comment -- with > inside --><?pi x?>\n");
    }
    xml.push_str("</Events>\n");
    let mut an = Analyzer::new(Options::default());
    volact_events::source::read_xml("ok.xml", xml.as_bytes(), &mut an);
    let r = an.report(Lang::En);
    assert_eq!((r.stats.records_read, r.stats.events_used), (200, 200));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.host.unwrap().clients_total, 200);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]

    /// Any soup of markup pieces, some repeated thousands of times: no panic, the parser never
    /// holds more than the bound for one XML event nor nests deeper than MAX_DEPTH, and every
    /// record is accounted for.
    #[test]
    fn any_markup_soup_stays_bounded(
        pieces in proptest::collection::vec(
            (proptest::sample::select(vec![
                "<a>", "</a>", "<Event>", "</Event>", "<!--", "-->", "<![CDATA[", "]]>", "<?p ",
                "?>", "<!DOCTYPE d [", "]>", "'", "\"", ">", "<", "&", " k='v'", "<b/>", "\n",
                "<EventData><Data>", "</Data></EventData>",
            ]), 1u64..3000),
            1..12,
        ),
        filler in 1usize..2000,
    ) {
        let fill = "y>".repeat(filler / 2 + 1);
        let make = || {
            let mut g = Gen::new().once(&request("first", 1));
            for (piece, n) in pieces.clone() {
                let fill = fill.clone();
                g = g.repeat(n, move |i, o| {
                    o.extend_from_slice(piece.as_bytes());
                    if i % 7 == 0 {
                        o.extend_from_slice(fill.as_bytes());
                    }
                });
            }
            g
        };
        let mut an = Analyzer::new(Options::default());
        read_stream("soup.xml", make(), &mut an).unwrap();
        let r = an.report(Lang::En);
        proptest::prop_assert_eq!(
            r.stats.records_read,
            r.stats.events_used + r.stats.records_skipped
        );
        proptest::prop_assert!(r.stats.records_read >= 1);
        let mut xr = XmlEventReader::new(io::BufReader::new(make()));
        while let Ok(Some(_)) = xr.next_event() {}
        proptest::prop_assert!(xr.peak_buffered() <= PEAK_BOUND);
        proptest::prop_assert!(xr.deepest() <= MAX_DEPTH as u64);
    }
}
