//! Unit tests of the forms readers' parts (whole inputs are read in `tests/forms/`).

use super::json::{Piece, Splitter};
use super::*;

fn pieces(input: &str) -> Vec<String> {
    let mut sp = Splitter::new(input.as_bytes());
    let mut out = Vec::new();
    while let Some(p) = sp.next_piece().unwrap() {
        match p {
            Piece::Record => out.push(String::from_utf8(sp.st.buf.clone()).unwrap()),
            Piece::Over(_) => out.push("<over>".into()),
            Piece::CutOff => out.push("<cut>".into()),
        }
    }
    out
}

#[test]
fn the_splitter_finds_records_in_every_layout() {
    // evtx_dump: "Record N" lines between objects; braces and quotes inside strings.
    let dump = "Record 1\n{\"a\": \"}{\\\"\"}\nRecord 2\n{\n  \"b\": [1, {\"c\": 2}]\n}\n";
    assert_eq!(
        pieces(dump),
        ["{\"a\": \"}{\\\"\"}", "{\n  \"b\": [1, {\"c\": 2}]\n}"]
    );
    // A top-level array: its elements, strings and numbers between them left out.
    assert_eq!(
        pieces("[{\"x\":1}, \"{no}\", 3, {\"y\":[]}]"),
        ["{\"x\":1}", "{\"y\":[]}"]
    );
    // JSON Lines, then a record the input cuts off.
    assert_eq!(pieces("{}\n{}\n{\"z\": \"abc"), ["{}", "{}", "<cut>"]);
}

#[test]
fn list_fields_hidden_in_data_items_are_emptied() {
    let mut raw = RawEvent {
        id: Some(HOST_REQUEST),
        items: vec![
            "0x0,5,<KMS Client name>,36f27b39-2fd5-440b-be67-a09996d27a38,<DateTime>,0,2,41520,x"
                .into(),
            "<CMID>".into(),
            "25".into(),
        ],
        ..RawEvent::default()
    };
    assert_eq!(scrub_items(&mut raw), Some(Redaction::Placeholder));
    assert_eq!(
        raw.items,
        [
            "0x0,5,,36f27b39-2fd5-440b-be67-a09996d27a38,,0,2,41520,x",
            "",
            "25"
        ]
    );
    // Other events keep their data as it is.
    let mut other = RawEvent {
        id: Some(1003),
        items: vec!["<xxxx>".into()],
        ..RawEvent::default()
    };
    assert_eq!(scrub_items(&mut other), None);
}

#[test]
fn csv_headers() {
    assert!(csv::is_header(
        "RecordNumber,EventRecordId,TimeCreated,EventId,Level,Provider,Channel"
    ));
    assert!(csv::is_header("\"Event ID\",\"Channel\",\"Payload\""));
    assert!(!csv::is_header("name,cmid,requests,first_seen"));
    assert!(!csv::is_header("0xC004F074, 0x0, kms:1688, EventId"));
}
