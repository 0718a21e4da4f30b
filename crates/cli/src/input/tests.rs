use super::*;
use volact_core::text::{MAX_PIECE, READ_SIZE};

fn collect(bytes: &[u8]) -> (String, ReadStats) {
    let mut s = String::new();
    let st = for_each_chunk(bytes, |c| s.push_str(c)).unwrap();
    (s, st)
}

#[test]
fn utf8_passthrough() {
    let (s, st) = collect("錯誤: 0xC004F074\n".as_bytes());
    assert_eq!(s, "錯誤: 0xC004F074\n");
    assert_eq!(st.encoding, "UTF-8");
    assert!(!st.replaced);
}

#[test]
fn utf16le_with_and_without_bom() {
    let text = "Error: 0xC004F074\r\n";
    let mut le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let (s, st) = collect(&le);
    assert_eq!(s, text);
    assert_eq!(st.encoding, "UTF-16LE");
    le.splice(0..0, [0xFF, 0xFE]);
    assert_eq!(collect(&le).0, text);
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert_eq!(collect(&be).0, text);
}

#[test]
fn invalid_utf8_is_replaced() {
    let (s, st) = collect(b"a\xff\xfe\xfdb 0xC004F074");
    assert!(st.replaced);
    assert!(s.contains("0xC004F074"));
}

#[test]
fn long_line_is_cut_between_codes() {
    let mut data = Vec::new();
    while data.len() < MAX_PIECE + READ_SIZE * 2 {
        data.extend_from_slice(b"noise 0xC004F074 ");
    }
    let expected = data.len() / 17;
    let mut max = 0;
    let mut all = String::new();
    for_each_chunk(&data[..], |c| {
        max = max.max(c.len());
        all.push_str(c);
    })
    .unwrap();
    assert!(max <= MAX_PIECE + READ_SIZE * 3, "piece of {max} bytes");
    assert_eq!(all.len(), data.len());
    // No code was split between pieces.
    let mut count = 0;
    for_each_chunk(&data[..], |c| count += c.matches("0xC004F074").count()).unwrap();
    assert_eq!(count, expected);
}

#[test]
fn full_width_codes_are_not_split() {
    // One line of full-width codes between Chinese characters: no ASCII to cut after.
    let code = "０ｘＣ００４Ｆ０７４";
    let mut data = String::new();
    while data.len() < MAX_PIECE + READ_SIZE * 2 {
        data.push('錯');
        data.push_str(code);
    }
    let expected = data.matches(code).count();
    let mut count = 0;
    let mut pieces = 0;
    for_each_chunk(data.as_bytes(), |c| {
        pieces += 1;
        count += c.matches(code).count();
    })
    .unwrap();
    assert!(pieces > 1, "the line was cut");
    assert_eq!(count, expected);
}
