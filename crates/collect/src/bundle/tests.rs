//! Unit tests of piece-wise redaction and archive sniffing.

use super::*;

#[test]
fn text_is_redacted_piece_by_piece_and_copied_only_when_a_key_is_found() {
    let line = "Partial Product Key: none here, just text\r\n";
    let mut text = line.repeat(3 * REDACT_PIECE / line.len());
    assert!(redact_text_in_pieces(text.as_bytes()).is_none());
    // Keys in the first and last pieces, one across no piece boundary (pieces end at lines).
    text.insert_str(10, "\nNPPR9-FWDCX-D2C8J-H872K-2YT43\n");
    text.push_str("key NPPR9-FWDCX-D2C8J-H872K-2YT43 at the end");
    let (out, n) = redact_text_in_pieces(text.as_bytes()).unwrap();
    assert_eq!(n, 2);
    let out = String::from_utf8(out).unwrap();
    assert!(!out.contains("NPPR9-FWDCX"));
    assert_eq!(out.matches("*****-*****-*****-*****-2YT43").count(), 2);
    assert_eq!(out.len(), text.len());
}

#[test]
fn archive_magic() {
    assert_eq!(archive_format(b"PK\x03\x04rest"), Some("zip"));
    assert_eq!(archive_format(b"\x1f\x8b\x08"), Some("gzip"));
    assert_eq!(archive_format(b"Name: Windows"), None);
    assert_eq!(archive_format(b""), None);
}
