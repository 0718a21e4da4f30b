//! Renderer details: CSV as RFC 4180 writes it.

use volact_core::Lang;
use volact_core::event::{Event, Timestamp, parse_info};

use crate::analyze::{Analyzer, Options};

/// CSV records end with CRLF, and a client name a spreadsheet would run as a formula is
/// defused with a leading `'` (negative numbers stay numbers).
#[test]
fn csv_is_rfc_4180_with_formulas_defused() {
    let mut an = Analyzer::new(Options::default());
    let mut e = Event::new(
        12290,
        parse_info(
            12290,
            "0x0, 25, =HYPERLINK(1), 00000000-0000-0000-0000-000000000001, 2026/11/24 9:29, 0, 1, 0, a",
        )
        .unwrap(),
    );
    e.time = Some(Timestamp::from_unix(1_795_512_600, true));
    an.read(1);
    an.event(e);
    let csv = super::clients_csv(&an.report(Lang::En));
    let lines: Vec<&str> = csv.split_inclusive('\n').collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines.iter().all(|l| l.ends_with("\r\n")), "{csv:?}");
    assert!(lines[1].starts_with("'=HYPERLINK(1),"), "{csv}");
}
