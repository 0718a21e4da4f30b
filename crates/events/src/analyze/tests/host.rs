use std::collections::BTreeMap;

use volact_core::event::{Event, Timestamp};
use volact_core::{ErrorCode, Lang};

use crate::analyze::host::*;
use crate::analyze::*;
use volact_core::event::parse_info;

fn host_event(t: i64, info: &str) -> Event {
    let mut e = Event::new(12290, parse_info(12290, info).unwrap());
    e.time = Some(Timestamp::from_unix(t, true));
    e
}

const T0: i64 = 1_795_000_000;

/// The host's code counts are exact past the short list, whatever the order of arrival.
#[test]
fn host_codes_count_every_code_once() {
    let mut codes = HostCodes::default();
    let mut want: BTreeMap<ErrorCode, u64> = BTreeMap::new();
    for i in 0..2_000u32 {
        // 40 distinct codes, the first far more frequent than the others.
        let c = ErrorCode::new(0xC004_F000 + if i % 3 == 0 { 0 } else { (i * 31) % 40 });
        codes.add(c);
        *want.entry(c).or_default() += 1;
    }
    assert_eq!(codes.few.len(), HostCodes::FEW);
    let got: BTreeMap<ErrorCode, u64> = codes.iter().collect();
    assert_eq!(got.len(), codes.iter().count(), "a code listed twice");
    assert_eq!(got, want);
}

#[test]
fn count_cap_thresholds_skew_and_clones() {
    let mut an = Analyzer::new(Options::default());
    let day = 86_400;
    // 30 client-OS CMIDs inside the window, 3 outside; 2 servers.
    for i in 0..33 {
        let t = if i < 30 { T0 - i * 3600 } else { T0 - 40 * day };
        an.read(1);
        an.event(host_event(
            t,
            &format!("0x0, 25, pc{i}, 00000000-0000-0000-0000-{i:012}, 2026/1/1 0:00, 0, 1, 0, a"),
        ));
    }
    for i in 0..2 {
        an.read(1);
        an.event(host_event(
            T0,
            &format!(
                "0xC004F038, 5, srv{i}, 10000000-0000-0000-0000-{i:012}, 2026/1/1 0:00, 1, 2, 0, b"
            ),
        ));
    }
    // A clone: another name with pc0's CMID.
    an.event(host_event(
        T0 - 10,
        "0x0, 25, clone-of-pc0, 00000000-0000-0000-0000-000000000000, 2026/1/1 0:00, 0, 1, 0, a",
    ));
    let r = an.report(Lang::En);
    let h = r.host.unwrap();
    let c = h.count.unwrap();
    assert_eq!((c.distinct_cmids, c.client_os, c.server_os), (32, 30, 2));
    assert_eq!((c.cap, c.count), (50, 32));
    assert!(c.client_os_activates && c.server_os_activates);
    assert_eq!(h.cloned.len(), 1);
    assert_eq!(h.cloned[0].names, ["clone-of-pc0", "pc0"]);
    // Client timestamps are in 2026-01-01 while events are in 2026-11: all skewed.
    assert_eq!(h.skewed_requests, 36);
    assert_eq!(h.codes[0].code.value(), 0);
    assert!(r.attention.contains(&"cloned_cmids"));
    assert!(r.attention.contains(&"host_errors"));
}

#[test]
fn per_day_histogram_by_outcome() {
    let mut an = Analyzer::new(Options::default());
    let day = 86_400;
    // 2026-11-19T00:00:00Z is day 20_776 since 1970.
    let d0 = 20_776 * day;
    let info = |code: &str, i: u32| {
        format!("{code}, 25, pc{i}, 00000000-0000-0000-0000-{i:012}, , 0, 1, 0, a")
    };
    for (t, code) in [
        (d0 + 10, "0x0"),
        (d0 + day - 1, "0xC004F038"),
        (d0 + day - 1, "0xC004F06C"),
        (d0 + 2 * day, "0x0"),  // next-but-one day; the day between is absent
        (d0 - 1, "0xC004F038"), // the evening before
        (d0 + 2 * day + 5, "0xC004F042"),
    ] {
        an.event(host_event(t, &info(code, 1)));
    }
    // No event time: counted as a request, not in the histogram.
    an.event(Event::new(
        12290,
        parse_info(12290, &info("0x0", 2)).unwrap(),
    ));
    let h = an.report(Lang::En).host.unwrap();
    assert_eq!(h.requests, 7);
    let got: Vec<(&str, [u64; 4])> = h
        .per_day
        .iter()
        .map(|d| {
            (
                d.date.as_str(),
                [d.requests, d.activated, d.count_too_low, d.failed],
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("2026-11-18", [1, 0, 1, 0]),
            ("2026-11-19", [3, 1, 1, 1]),
            ("2026-11-21", [2, 1, 0, 1]),
        ]
    );
    assert_eq!(h.per_day_omitted, 0);
    let j = serde_json::to_value(&h.per_day[0]).unwrap();
    assert_eq!(
        j,
        serde_json::json!({"date":"2026-11-18","requests":1,"activated":0,"count_too_low":1,"failed":0})
    );
}

#[test]
fn many_codes_per_client_and_clones_are_counted() {
    let mut an = Analyzer::new(Options::default());
    let codes = [
        "0x0",
        "0xC004F038",
        "0x0",
        "0xC004F06C",
        "0xC004F042",
        "0xC004F038",
        "0x0",
    ];
    for (i, c) in codes.iter().enumerate() {
        an.event(host_event(
            T0 + i as i64,
            &format!("{c}, 25, PC1, 5CD1D6D4-3D4B-4A65-9D1B-6F8E2F0C1A11, , 0, 1, 0, A"),
        ));
    }
    // The same CMID under another name, and the first name in another case.
    an.event(host_event(
        T0 + 100,
        "0x0, 25, pc2, {5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11}, , 0, 1, 0, a",
    ));
    an.event(host_event(
        T0 + 200,
        "0x0, 25, pc1, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, , 0, 1, 0, a",
    ));
    let h = an.report(Lang::En).host.unwrap();
    assert_eq!(h.clients.len(), 2);
    let pc1 = &h.clients[0];
    assert_eq!((pc1.name.as_str(), pc1.requests), ("PC1", 8));
    assert_eq!(pc1.cmid, "5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11");
    let got: Vec<(u32, u64)> = pc1
        .codes
        .iter()
        .map(|c| (c.code.value(), c.count))
        .collect();
    assert_eq!(
        got,
        [(0, 4), (0xC004_F038, 2), (0xC004_F042, 1), (0xC004_F06C, 1)]
    );
    assert_eq!(h.cloned.len(), 1);
    assert_eq!(h.cloned[0].names, ["PC1", "pc2"]);
    assert!(h.clients.iter().all(|c| c.shared_cmid));
    assert_eq!(pc1.activation_id.as_deref(), Some("a"));
}

#[test]
fn per_day_keeps_the_newest_days_in_any_order() {
    let one = DayAgg::of(Some(ErrorCode::new(0)));
    let days: Vec<i64> = (0..(MAX_DAYS as i64 + 300)).collect();
    // Forward, backward and interleaved arrival keep the same newest MAX_DAYS days.
    let orders: [Vec<i64>; 3] = [
        days.clone(),
        days.iter().rev().copied().collect(),
        days.iter()
            .copied()
            .filter(|d| d % 2 == 0)
            .chain(days.iter().copied().filter(|d| d % 2 == 1))
            .collect(),
    ];
    for order in orders {
        let (mut map, mut omitted) = (BTreeMap::new(), 0u64);
        for &d in &order {
            day_add(&mut map, &mut omitted, d, one);
            day_add(&mut map, &mut omitted, d, one);
        }
        assert_eq!(map.len(), MAX_DAYS);
        assert_eq!(map.first_key_value().map(|(k, _)| *k), Some(300));
        assert!(map.values().all(|d| d.0 == [2, 2, 0, 0]));
        assert_eq!(omitted, 600);
    }
}

#[test]
fn server_only_cap_is_ten() {
    let mut an = Analyzer::new(Options::default());
    for i in 0..12 {
        an.event(host_event(
            T0,
            &format!("0x0, 5, srv{i}, 10000000-0000-0000-0000-{i:012}, , 0, 1, 0, b"),
        ));
    }
    let c = an.report(Lang::En).host.unwrap().count.unwrap();
    assert_eq!((c.distinct_cmids, c.cap, c.count), (12, 10, 10));
    assert!(c.server_os_activates && !c.client_os_activates);
}

#[test]
fn client_pairing() {
    let mut an = Analyzer::new(Options::default());
    let req = |t: i64, code: &str| {
        let mut e = Event::new(
            12288,
            parse_info(12288, &format!("{code}, 0x0, kms:1688, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/1/1 0:00, 0, 2, 100, a, 25")).unwrap(),
        );
        e.time = Some(Timestamp::from_unix(t, true));
        e.computer = Some("pc1".into());
        e
    };
    let resp = |t: i64, code: &str, act: u8| {
        let mut e = Event::new(
            12289,
            parse_info(
                12289,
                &format!("{code}, 0x0, {act}, 0, 7, 120, 10080, 2026/1/1 0:00"),
            )
            .unwrap(),
        );
        e.time = Some(Timestamp::from_unix(t, true));
        e.computer = Some("pc1".into());
        e
    };
    an.event(req(T0, "0x0"));
    an.event(resp(T0 + 1, "0xC004F038", 0));
    an.event(req(T0 + 100, "0x800706BA"));
    an.event(req(T0 + 200, "0x0"));
    an.event(resp(T0 + 201, "0x0", 1));
    let r = an.report(Lang::En);
    let c = r.client.unwrap();
    let outcomes: Vec<Outcome> = c.attempts.iter().map(|a| a.outcome).collect();
    assert_eq!(
        outcomes,
        [Outcome::Failed, Outcome::NoResponse, Outcome::Activated]
    );
    assert_eq!(
        c.attempts[0].code.as_ref().unwrap().code.value(),
        0xC004_F038
    );
    assert_eq!(
        c.attempts[1].code.as_ref().unwrap().code.value(),
        0x8007_06BA
    );
    assert_eq!(c.last_current_count, Some(7));
    assert_eq!(c.hosts.len(), 1);
    assert_eq!(
        (
            c.hosts[0].activated,
            c.hosts[0].failed,
            c.hosts[0].no_response
        ),
        (1, 1, 1)
    );
    assert!(r.attention.contains(&"no_response"));
}

#[test]
fn filters() {
    let mut an = Analyzer::new(Options {
        since: Some(Timestamp::from_unix(T0 - 100, true)),
        client: Some("PC1".into()),
        ..Options::default()
    });
    an.event(host_event(T0, "0x0, 25, pc1.contoso.com, c1, , 0, 1, 0, a"));
    an.event(host_event(T0, "0x0, 25, pc2.contoso.com, c2, , 0, 1, 0, a"));
    an.event(host_event(T0 - 1000, "0x0, 25, pc1, c1, , 0, 1, 0, a"));
    an.event(Event::new(
        12290,
        parse_info(12290, "0x0, 25, pc1, c1").unwrap(),
    ));
    assert_eq!(an.events_used(), 1);
    let r = an.report(Lang::ZhTw);
    let reasons: Vec<(SkipReason, u64)> = r
        .stats
        .skipped
        .iter()
        .map(|s| (s.reason, s.count))
        .collect();
    assert_eq!(
        reasons,
        [
            (SkipReason::OutsideTimeRange, 1),
            (SkipReason::NoTime, 1),
            (SkipReason::OtherClient, 1)
        ]
    );
}
