//! The findings of a report: the same identifiers as `attention`, their facts and codes, and
//! their sentences in both languages.

use volact_core::event::{Event, Timestamp, parse_info};
use volact_core::finding::{Kind, Level};
use volact_core::{ErrorCode, Lang};

use crate::analyze::*;
use crate::phrases::phrase;

fn host_event(t: i64, info: &str) -> Event {
    let mut e = Event::new(12290, parse_info(12290, info).unwrap());
    e.time = Some(Timestamp::from_unix(t, true));
    e
}

/// A host log with three client-OS machines (the count is below 25) and a skewed clock: the
/// findings carry the count, the threshold, the skew, and the code each one predicts.
#[test]
fn host_findings_carry_their_facts_and_codes() {
    let t0 = 1_795_000_000;
    let mut an = Analyzer::new(Options::default());
    for i in 0..3 {
        an.read(1);
        an.event(host_event(
            t0 - i * 60,
            &format!(
                "0xC004F038, 25, pc{i}, 00000000-0000-0000-0000-{i:012}, 2026/1/1 0:00, 0, 1, 0, a"
            ),
        ));
    }
    let r = an.report(Lang::En);
    let ids: Vec<&str> = r.findings.iter().map(|f| f.id()).collect();
    assert_eq!(ids, r.attention);
    assert!(ids.contains(&"count_below_client_threshold"), "{ids:?}");
    let below = r
        .findings
        .iter()
        .find(|f| f.id() == "count_below_client_threshold")
        .unwrap();
    assert_eq!(
        below.kind,
        ReportFinding::CountBelowClientThreshold {
            count: 3,
            threshold: 25
        }
    );
    assert_eq!(below.level, Level::Error);
    assert_eq!(below.codes, [ErrorCode::new(0xC004_F038)]);
    let errors = r.findings.iter().find(|f| f.id() == "host_errors").unwrap();
    assert_eq!(errors.kind, ReportFinding::HostErrors { requests: 3 });
    // The client time 2026/1/1 is years before the event time: every request is skewed.
    let skew = r.findings.iter().find(|f| f.id() == "clock_skew").unwrap();
    assert_eq!(
        skew.kind,
        ReportFinding::ClockSkew {
            requests: 3,
            clients: 3,
            limit_secs: 4 * 3600
        }
    );
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["findings"][0]["kind"], v["attention"][0]);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "count_below_client_threshold")
        .unwrap();
    assert_eq!(f["level"], "error");
    assert_eq!(f["codes"][0], "0xC004F038");
    assert_eq!(f["facts"]["count"], 3);
    assert_eq!(f["facts"]["threshold"], 25);
}

/// Every finding has a sentence in both languages, and a stable identifier of its own.
#[test]
fn every_finding_has_its_sentences() {
    let all = super::commands::one_of_each();
    let mut ids = std::collections::BTreeSet::new();
    for k in &all {
        assert!(ids.insert(k.id()), "{} twice", k.id());
        for lang in [Lang::En, Lang::ZhTw] {
            let s = phrase(k, lang);
            assert!(!s.is_empty(), "{}", k.id());
        }
        assert_ne!(phrase(k, Lang::En), phrase(k, Lang::ZhTw), "{}", k.id());
    }
    assert_eq!(
        phrase(&all[3], Lang::En),
        "client clocks differ from the host by more than 4 hours (0xC004F06C)"
    );
    assert_eq!(
        phrase(&all[5], Lang::ZhTw),
        "計數低於 25：用戶端作業系統無法啟用"
    );
}

/// A client whose last request is older than the 30-day window is no longer counted: the report
/// says so as a finding worth knowing (level ok, so not in `attention`), with how many and the
/// window.
#[test]
fn clients_outside_the_window_are_a_finding() {
    let t0 = 1_795_000_000;
    let mut an = Analyzer::new(Options::default());
    for (i, age_days) in [(0, 0), (1, 40)] {
        an.read(1);
        an.event(host_event(
            t0 - age_days * 86_400,
            &format!(
                "0x0, 25, pc{i}, 00000000-0000-0000-0000-{i:012}, 2026/11/24 14:14, 0, 1, 0, a"
            ),
        ));
    }
    let r = an.report(Lang::En);
    let f = r
        .findings
        .iter()
        .find(|f| f.id() == "clients_outside_window")
        .expect("finding");
    assert_eq!(
        f.kind,
        ReportFinding::ClientsOutsideWindow {
            clients: 1,
            window_days: 30
        }
    );
    assert_eq!(f.level, Level::Ok);
    assert!(!r.attention.contains(&"clients_outside_window"));
    assert_eq!(
        phrase(&f.kind, Lang::ZhTw),
        "有 1 個用戶端最後一次要求已超過 30 天：主機不再將它們計入計數"
    );
}
