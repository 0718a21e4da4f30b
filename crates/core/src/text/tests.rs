use super::*;

#[test]
fn boms_win() {
    assert_eq!(sniff(b"\xEF\xBB\xBFabc"), (TextEncoding::Utf8, 3));
    assert_eq!(sniff(b"\xFE\xFF\0a"), (TextEncoding::Utf16Be, 2));
}

#[test]
fn zero_patterns() {
    let le: Vec<u8> = "Error 0xC004F074"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let be: Vec<u8> = "Error 0xC004F074"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    assert_eq!(sniff(&le), (TextEncoding::Utf16Le, 0));
    assert_eq!(sniff(&be), (TextEncoding::Utf16Be, 0));
    assert_eq!(
        sniff(&[0; 64]),
        (TextEncoding::Utf8, 0),
        "all zeros is not text"
    );
    assert_eq!(sniff(b"ab"), (TextEncoding::Utf8, 0), "too short to tell");
}

#[test]
fn long_lines_are_cut_without_splitting_codes() {
    let big = "x".repeat(200_000) + "\nshort\r\n";
    let mut r = Utf8Reader::new(big.as_bytes());
    let mut line = Vec::new();
    assert_eq!(
        read_line_bounded(&mut r, &mut line, MAX_LINE).unwrap(),
        Some(true)
    );
    assert!(line.len() <= MAX_LINE && line.len() > MAX_LINE / 2);
    assert_eq!(
        read_line_bounded(&mut r, &mut line, MAX_LINE).unwrap(),
        Some(false)
    );
    assert_eq!(line, b"short");
    assert_eq!(
        read_line_bounded(&mut r, &mut line, MAX_LINE).unwrap(),
        None
    );
    // A full-width code across the limit is dropped whole, never kept in part.
    for code in ["０ｘＣ００４Ｆ０７４", "0xC004F074"] {
        for shift in 0..code.len() {
            let pad = "y ".repeat(100);
            let text = format!("{}{code} tail\n", &pad[..200 - shift]);
            let mut line = Vec::new();
            let mut r = Utf8Reader::new(text.as_bytes());
            read_line_bounded(&mut r, &mut line, 200).unwrap();
            let kept = String::from_utf8(line).unwrap();
            let visible = kept.trim_end();
            assert!(
                !visible.ends_with(|c: char| c.is_alphanumeric()) || visible.ends_with('y'),
                "{shift}: {kept:?}"
            );
        }
    }
}

#[test]
fn cut_point_rules() {
    assert_eq!(cut_point(b"abc def", CUT_WINDOW), 4);
    assert_eq!(cut_point(b"", CUT_WINDOW), 0);
    let s = "錯".repeat(10);
    let c = cut_point(s.as_bytes(), CUT_WINDOW);
    assert!(std::str::from_utf8(&s.as_bytes()[..c]).is_ok());
    let long = vec![b'a'; 100];
    let c = cut_point(&long, CUT_WINDOW);
    assert!(c > 0 && c <= 100);
    let fw = "錯誤０ｘＣ００４Ｆ０７４".as_bytes();
    assert_eq!(cut_point(fw, CUT_WINDOW), "錯".len());
    // The text read so far may end inside a full-width character (its lead byte 0xEF).
    let partial = &"錯錯０ｘＣ".as_bytes()[.."錯錯０ｘ".len() + 1];
    assert_eq!(cut_point(partial, CUT_WINDOW), "錯".len());
}

#[test]
fn lines_in_utf16() {
    let le: Vec<u8> = "a 0xC004F074\r\nb\r\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut seen = Vec::new();
    let st = for_each_line(&le[..], MAX_LINE, |l, _| seen.push(l.to_vec())).unwrap();
    assert_eq!(seen, [b"a 0xC004F074".to_vec(), b"b".to_vec()]);
    assert_eq!((st.lines, st.cut, st.replaced), (2, 0, false));
}
