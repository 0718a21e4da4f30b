use super::*;

fn p(s: &str) -> Result<(String, u16), String> {
    parse(s, 1688, Origin::Argument).map(|t| (t.host, t.port))
}

#[test]
fn target_forms() {
    assert_eq!(p("kms1.contoso.com"), Ok(("kms1.contoso.com".into(), 1688)));
    assert_eq!(
        p("KMS1.contoso.com.:1689"),
        Ok(("kms1.contoso.com".into(), 1689))
    );
    assert_eq!(p("10.0.0.5"), Ok(("10.0.0.5".into(), 1688)));
    assert_eq!(p("10.0.0.5:99"), Ok(("10.0.0.5".into(), 99)));
    assert_eq!(p("::1"), Ok(("::1".into(), 1688)));
    assert_eq!(p("[::1]:1700"), Ok(("::1".into(), 1700)));
    assert!(p("host:99999").is_err());
    assert!(p("host:0").is_err());
    assert!(p("bad host").is_err());
    assert!(p("").is_err());
    let key = p("ABCDE-FGHIJ-KLMNO-PQRST-VWXYZ").unwrap_err();
    assert!(!key.contains("ABCDE") && key.contains("VWXYZ"), "{key}");
    for d in [
        "ABCDE-FGHIJ-KLMNO-PQRST-VWXYZ",
        "abcde-fghij-klmno-pqrst-vwxyz.contoso.com",
        " ABCDE-FGHIJ-KLMNO-PQRST-VWXYZ. ",
    ] {
        let e = parse_domain(d).unwrap_err();
        assert!(!e.to_ascii_uppercase().contains("ABCDE"), "{e}");
        assert!(e.to_ascii_uppercase().contains("VWXYZ"), "{e}");
    }
    assert_eq!(parse_domain("Contoso.COM.").unwrap(), "contoso.com");
    assert!(parse_domain("-bad domain").is_err());
    assert_eq!(
        parse("::1", 1688, Origin::Argument).unwrap().display(),
        "[::1]:1688"
    );
}

#[test]
fn hosts_file_counts_and_bounds() {
    let long = "a".repeat(5000);
    let text = format!(
        "# fleet\n\nkms1:1688\nkms1\n127.0.0.1:9 # lab\n{long}\nnot a host\n\u{feff}kms2\n"
    );
    let h = read_hosts(text.as_bytes(), "hosts.txt").unwrap();
    let got: Vec<String> = h.targets.iter().map(Target::display).collect();
    assert_eq!(got, ["kms1:1688", "127.0.0.1:9", "kms2:1688"]);
    assert_eq!(h.lines, 8);
    assert_eq!(h.skipped_count, 3);
    assert!(h.skipped[0].starts_with("hosts.txt:4:"), "{:?}", h.skipped);
    assert!(h.skipped[1].contains("longer than"));
}

#[test]
fn a_utf16_hosts_file_is_read() {
    // Notepad and PowerShell's `>` write UTF-16 with a byte-order mark.
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(
        "kms1\r\nkms2:1689\r\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    let h = read_hosts(&bytes[..], "hosts.txt").unwrap();
    let got: Vec<String> = h.targets.iter().map(Target::display).collect();
    assert_eq!(got, ["kms1:1688", "kms2:1689"]);
    assert_eq!(h.lines, 2);
    assert_eq!(h.skipped_count, 0);
}

#[test]
fn a_line_of_exactly_the_limit_is_kept() {
    let name = "a".repeat(MAX_LINE);
    let h = read_hosts(format!("{name}\r\n").as_bytes(), "hosts.txt").unwrap();
    assert_eq!(h.lines, 1);
    // Kept, then refused as a host name (too long for DNS), not as a long line.
    assert!(
        !h.skipped.iter().any(|s| s.contains("longer than")),
        "{:?}",
        h.skipped
    );
}
