//! Unit tests of the analysis helpers.

use super::w32tm::parse_w32tm;
use volact_core::ErrorCode;

#[test]
fn w32tm_english() {
    let t = parse_w32tm(
        "Leap Indicator: 0(no warning)\r\nStratum: 1 (primary reference - syncd by radio clock)\r\n\
         Source: Local CMOS Clock\r\nLast Successful Sync Time: unspecified\r\n",
    );
    assert!(t.unsynchronised);
    assert_eq!(t.source.as_deref(), Some("Local CMOS Clock"));
    let t = parse_w32tm("Source: dc01.corp.example.com\r\n");
    assert!(!t.unsynchronised);
}

#[test]
fn constant_codes_parse() {
    assert_eq!(ErrorCode::new(0xC004_F038).to_string(), "0xC004F038");
}
