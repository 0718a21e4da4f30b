//! One test per Software Protection finding: each comes from its events, with its level, facts
//! and codes, and has a sentence in both languages.

use serde_json::json;
use volact_core::Lang;
use volact_core::event::{Event, Timestamp, parse_data};
use volact_core::finding::{Finding, Level};

use crate::analyze::*;
use crate::phrases::phrase;

const SKU: &str = "2ffd8952-423e-4903-b993-72a1aa44cf82";

fn ev(id: u32, pc: &str, t: i64, items: &[&str]) -> Event {
    let mut e = Event::new(id, parse_data(id, items).unwrap());
    e.provider = Some("Microsoft-Windows-Security-SPP".into());
    e.computer = Some(pc.into());
    e.time = Some(Timestamp::from_unix(t, true));
    e
}

fn slui(pc: &str, t: i64, hr: &str) -> Event {
    let rule = format!(
        "RuleId=31e71c49-8da7-4a2f-ad92-45d98a1c79ba;Action=AutoActivate;SkuId={SKU};Trigger=UserLogon"
    );
    ev(8198, pc, t, &[&format!("hr={hr}"), &rule])
}

fn report(events: Vec<Event>) -> Report {
    let mut an = Analyzer::new(Options::default());
    for e in events {
        an.read(1);
        an.event(e);
    }
    an.report(Lang::En)
}

/// The finding `id`, checked to have a sentence in both languages, its level, its facts (as in
/// the JSON) and its codes.
fn check(r: &Report, id: &str, level: Level, facts: serde_json::Value, codes: &[u32]) {
    let f = one(r, id);
    assert_eq!(f.level, level, "{id}");
    assert_eq!(serde_json::to_value(&f.kind).unwrap(), facts, "{id}");
    let got: Vec<u32> = f.codes.iter().map(|c| c.value()).collect();
    assert_eq!(got, codes, "{id}");
}

/// The finding `id`, checked to have a sentence in both languages.
fn one(r: &Report, id: &str) -> Finding<ReportFinding> {
    let f = r
        .findings
        .iter()
        .find(|f| f.id() == id)
        .unwrap_or_else(|| panic!("{id} not in {:?}", r.findings))
        .clone();
    for lang in Lang::ALL {
        assert!(!phrase(&f.kind, lang).is_empty());
    }
    assert_ne!(phrase(&f.kind, Lang::En), phrase(&f.kind, Lang::ZhTw));
    assert_eq!(r.attention.contains(&id), f.level > Level::Ok, "{id}");
    f
}

const T: i64 = 1_795_000_000;

#[test]
fn slui_transient() {
    let r = report(vec![
        slui("pc1", T, "0x8007232B"),
        slui("pc1", T + 90, "0x8007232B"),
        ev(12320, "PC1", T + 600, &[SKU]),
    ]);
    let facts = json!({"failures": 2, "clients": 1, "first": "2026-11-18T11:06:40Z",
                       "last": "2026-11-18T11:08:10Z", "span_secs": 90});
    check(&r, "slui_transient", Level::Ok, facts, &[0x8007_232B]);
    let f = one(&r, "slui_transient");
    assert!(
        matches!(f.kind, ReportFinding::SluiTransient { first: Some(t), .. } if t == Timestamp::from_unix(T, true))
    );
}

#[test]
fn slui_failures_persistent() {
    let r = report(vec![
        ev(12320, "pc1", T - 600, &[SKU]),
        slui("pc1", T, "0xC004F074"),
    ]);
    check(
        &r,
        "slui_failures",
        Level::Error,
        json!({"failures": 1}),
        &[0xC004_F074],
    );
}

#[test]
fn auto_activation_failed() {
    let r = report(vec![ev(8196, "pc1", T, &["0x8007232B"])]);
    let facts = json!({"failures": 1, "transient": 0});
    check(
        &r,
        "auto_activation_failed",
        Level::Warning,
        facts,
        &[0x8007_232B],
    );
    // Followed by an AD activation: worth knowing only.
    let r = report(vec![
        ev(8196, "pc1", T, &["0x8007232B"]),
        ev(12308, "pc1", T + 60, &[SKU, "AO", "CN=AO,DC=x"]),
    ]);
    assert_eq!(one(&r, "auto_activation_failed").level, Level::Ok);
}

#[test]
fn vl_activation_failed() {
    let office = volact_core::event::OFFICE_APP_ID;
    let r = report(vec![ev(
        8233,
        "pc1",
        T,
        &["0xC004F074", office, SKU, "TimerEvent"],
    )]);
    let facts = json!({"failures": 1, "transient": 0, "office": 1});
    check(
        &r,
        "vl_activation_failed",
        Level::Warning,
        facts,
        &[0xC004_F074],
    );
}

#[test]
fn ad_activation_failed() {
    let r = report(vec![ev(8215, "pc1", T, &["0xC004F083", SKU])]);
    let facts = json!({"failures": 1, "transient": 0, "clients": 1});
    check(
        &r,
        "ad_activation_failed",
        Level::Error,
        facts,
        &[0xC004_F083],
    );
}

#[test]
fn ad_activated() {
    let r = report(vec![ev(12308, "pc1", T, &[SKU, "AO", "CN=AO,DC=x"])]);
    let facts = json!({"activations": 1, "clients": 1});
    check(&r, "ad_activated", Level::Ok, facts, &[]);
}

#[test]
fn avma_results() {
    let r = report(vec![
        ev(12309, "vm1", T, &["0x0", "x"]),
        ev(12310, "hv1", T, &["0xC004FD02", "y"]),
    ]);
    let facts = json!({"activated": 1, "failed": 1});
    check(&r, "avma_results", Level::Warning, facts, &[0xC004_FD02]);
}

#[test]
fn token_activated() {
    let r = report(vec![ev(12320, "pc1", T, &[SKU])]);
    check(
        &r,
        "token_activated",
        Level::Ok,
        json!({"activations": 1}),
        &[],
    );
}

#[test]
fn acpi_key_warnings() {
    let r = report(vec![ev(1058, "pc1", T, &["0xC004F057"])]);
    check(
        &r,
        "acpi_key_warnings",
        Level::Ok,
        json!({"warnings": 1}),
        &[0xC004_F057],
    );
}

#[test]
fn routine_events() {
    let r = report(vec![
        ev(16384, "pc1", T, &["2026-11-25T08:00:00Z", "RulesEngine"]),
        ev(
            16384,
            "pc1",
            T + 1,
            &["2026-11-26T08:00:00Z", "RulesEngine"],
        ),
    ]);
    let facts = json!({"restarts_scheduled": 2, "schedule_rechecks": 0});
    check(&r, "routine_events", Level::Ok, facts, &[]);
    assert!(r.attention.is_empty());
}
