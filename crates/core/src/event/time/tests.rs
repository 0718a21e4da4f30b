use super::*;

#[test]
fn forms() {
    let t = |s: &str| Timestamp::parse(s).map(|t| t.to_string());
    assert_eq!(
        t("2026/11/24 14:14").as_deref(),
        Some("2026-11-24T14:14:00")
    );
    assert_eq!(t("2009/1/5 1:09").as_deref(), Some("2009-01-05T01:09:00"));
    assert_eq!(
        t("11/24/2026 2:14:58 PM").as_deref(),
        Some("2026-11-24T14:14:58")
    );
    assert_eq!(
        t("11/24/2026 12:01:00 AM").as_deref(),
        Some("2026-11-24T00:01:00")
    );
    assert_eq!(
        t("2026/11/24 上午 12:01:00").as_deref(),
        Some("2026-11-24T00:01:00")
    );
    assert_eq!(
        t("24/11/2026 14:00").as_deref(),
        Some("2026-11-24T14:00:00")
    );
    assert_eq!(
        t("2026-11-24T14:14:58.1234567Z").as_deref(),
        Some("2026-11-24T14:14:58Z")
    );
    assert_eq!(
        t("2026-11-24T22:14:58+08:00").as_deref(),
        Some("2026-11-24T14:14:58Z")
    );
    assert_eq!(t("  2026-11-24 ").as_deref(), Some("2026-11-24T00:00:00"));
    assert_eq!(
        Timestamp::parse("1970-01-01T00:00:00Z"),
        Some(Timestamp::from_unix(0, true))
    );
}

#[test]
fn rejects() {
    for s in [
        "",
        "2026/13/01 00:00",
        "2026/02/30 00:00",
        "2026/1/1 24:00",
        "abc",
        "1/2/3",
        "2026/1/1 13:00 PM",
        "2026-01-01T00:00:00+99:00",
        "99999/1/1",
        // Found by cargo-fuzz (event_info): a multi-byte character in the zone offset.
        "2026/11/24 9-3d4b-4a65-\0\u{FFFD}",
        "2026-01-01T00:00+\u{FFFD}1",
    ] {
        assert_eq!(Timestamp::parse(s), None, "{s}");
    }
}

#[test]
fn civil_round_trip() {
    for days in [-1000_i64, -1, 0, 1, 59, 365, 10_957, 20_000, 2_932_896] {
        let (y, m, d) = civil_from_days(days);
        assert_eq!(days_from_civil(y, m, d), days);
    }
    let t = Timestamp::from_civil(2024, 2, 29, 23, 59, 59, true).unwrap();
    assert_eq!(t.civil(), (2024, 2, 29, 23, 59, 59));
}
