/// The per-CMID state stays within three cache lines with its key (a host log updates one
/// per request, for tens of thousands of CMIDs).
#[test]
fn a_cmid_slot_fits_in_three_cache_lines() {
    let slot = std::mem::size_of::<(u128, crate::analyze::store::CmidAgg)>();
    assert!(slot <= 192, "{slot} bytes");
}

#[test]
fn client_names_read_back_inline_or_not() {
    use crate::analyze::store::Name;
    for s in [
        "",
        "a",
        "PC-0001",
        "1234567890123456789012",
        "12345678901234567890123",
        "電腦-01",
        "ä".repeat(11).as_str(),
        "ä".repeat(12).as_str(),
    ] {
        let n = Name::new(s);
        assert_eq!(n.as_str(), s);
        assert_eq!(n.is_heap(), s.len() > Name::INLINE, "{s}");
        assert_eq!(String::from(n.clone()), s);
    }
    assert!(std::mem::size_of::<Name>() <= 24);
}

#[test]
fn packed_timestamps_read_back() {
    use crate::analyze::store::OptTs;
    use volact_core::event::Timestamp;
    assert_eq!(OptTs::new(None).get(), None);
    for secs in [0, 1, -1, 1_700_000_000, -62_135_596_800, 253_402_300_799] {
        for utc in [false, true] {
            let t = Timestamp::from_unix(secs, utc);
            assert_eq!(OptTs::new(Some(t)).get(), Some(t));
            assert_eq!(OptTs::new(Some(t)).unix(), Some(secs));
        }
    }
}

#[test]
fn a_code_count_beyond_32_bits_moves_to_the_map() {
    use crate::analyze::store::CodeTally;
    use volact_core::ErrorCode;
    let c = ErrorCode::new(0xC004_F038);
    let mut t = CodeTally::Few {
        len: 1,
        codes: [c, ErrorCode::new(0)],
        counts: [u32::MAX, 0],
    };
    t.add(c);
    assert!(matches!(t, CodeTally::Many(_)));
    assert_eq!(t.iter().collect::<Vec<_>>(), [(c, u64::from(u32::MAX) + 1)]);
    let mut t = CodeTally::default();
    for code in [1, 2, 1, 3] {
        t.add(ErrorCode::new(code));
    }
    let got: Vec<(u32, u64)> = t.iter().map(|(c, n)| (c.value(), n)).collect();
    assert_eq!(got, [(1, 2), (2, 1), (3, 1)]);
}
