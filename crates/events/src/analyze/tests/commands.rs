//! Every command an events finding recommends is a row of volact's commands table, and the JSON,
//! the text and the Markdown carry the row's mark.

use volact_core::commands::{self, Case};
use volact_core::finding::{Finding, Kind, Level};

use crate::analyze::*;

/// Windows 11 Enterprise / Windows 10 Enterprise, a KMS client SKU of the products table.
const ENTERPRISE: &str = "73111121-5638-40f6-bc11-f1d7b0d64300";
/// A SKU no product row names (the 8198 of a public sample).
const RETAIL_SKU: &str = "4de7cb65-cdf1-4de9-8ae8-e3cce27b9f2c";

/// One of each finding. The match has no wildcard: a new variant does not compile until it is
/// added here.
pub(super) fn one_of_each() -> Vec<ReportFinding> {
    let all = vec![
        ReportFinding::ClientFailures {
            failed: 1,
            attempts: 2,
        },
        ReportFinding::NoResponse { no_response: 1 },
        ReportFinding::HostErrors { requests: 1 },
        ReportFinding::ClockSkew {
            requests: 1,
            clients: 1,
            limit_secs: MAX_SKEW_SECS,
        },
        ReportFinding::ClonedCmids { cmids: 1 },
        ReportFinding::CountBelowClientThreshold {
            count: 3,
            threshold: 25,
        },
        ReportFinding::CountBelowServerThreshold {
            count: 3,
            threshold: 5,
        },
        ReportFinding::ClientsOutsideWindow {
            clients: 2,
            window_days: 30,
        },
        ReportFinding::DnsPublishingFailed { failures: 1 },
        ReportFinding::SluiFailures { failures: 1 },
        ReportFinding::SluiTransient {
            failures: 2,
            clients: 1,
            first: None,
            last: None,
            span_secs: None,
        },
        ReportFinding::AutoActivationFailed {
            failures: 1,
            transient: 0,
        },
        ReportFinding::VlActivationFailed {
            failures: 2,
            transient: 0,
            office: 1,
        },
        ReportFinding::AdActivationFailed {
            failures: 1,
            transient: 0,
            clients: 1,
        },
        ReportFinding::AdObjectNotFound { failures: 1 },
        ReportFinding::AdSchemaTooOld { failures: 1 },
        ReportFinding::RetailChannel {
            failures: 2,
            skus: vec![SkuKey::new(ENTERPRISE), SkuKey::new(RETAIL_SKU)],
        },
        ReportFinding::HostKeyCannotServe {
            clients: 3,
            products: vec![
                ProductNeed::new(ENTERPRISE, 2),
                ProductNeed::new(RETAIL_SKU, 1),
            ],
        },
        ReportFinding::AdActivated {
            activations: 1,
            clients: 1,
        },
        ReportFinding::AvmaResults {
            activated: 1,
            failed: 1,
        },
        ReportFinding::TokenActivated { activations: 1 },
        ReportFinding::AcpiKeyWarnings { warnings: 1 },
        ReportFinding::RoutineEvents {
            restarts_scheduled: 1,
            schedule_rechecks: 1,
        },
        ReportFinding::DamagedInput {
            damaged_chunks: 1,
            damaged_records: 0,
            warnings: 1,
        },
    ];
    for k in &all {
        match k {
            ReportFinding::ClientFailures { .. }
            | ReportFinding::NoResponse { .. }
            | ReportFinding::HostErrors { .. }
            | ReportFinding::ClockSkew { .. }
            | ReportFinding::ClonedCmids { .. }
            | ReportFinding::CountBelowClientThreshold { .. }
            | ReportFinding::CountBelowServerThreshold { .. }
            | ReportFinding::ClientsOutsideWindow { .. }
            | ReportFinding::DnsPublishingFailed { .. }
            | ReportFinding::SluiFailures { .. }
            | ReportFinding::SluiTransient { .. }
            | ReportFinding::AutoActivationFailed { .. }
            | ReportFinding::VlActivationFailed { .. }
            | ReportFinding::AdActivationFailed { .. }
            | ReportFinding::AdObjectNotFound { .. }
            | ReportFinding::AdSchemaTooOld { .. }
            | ReportFinding::RetailChannel { .. }
            | ReportFinding::HostKeyCannotServe { .. }
            | ReportFinding::AdActivated { .. }
            | ReportFinding::AvmaResults { .. }
            | ReportFinding::TokenActivated { .. }
            | ReportFinding::AcpiKeyWarnings { .. }
            | ReportFinding::RoutineEvents { .. }
            | ReportFinding::DamagedInput { .. } => {}
        }
    }
    all
}

/// Every recommended command has a row, and its mark (JSON, text) is the row's for the
/// finding's case: a KMS client's `slmgr /ato` needs no elevation, a host key's online
/// activation does.
/// `k` as the rules make it: with its commands attached.
fn with_commands(k: &ReportFinding) -> Finding<ReportFinding> {
    let f = Finding::new(k.clone(), Level::Warning);
    k.commands().into_iter().fold(f, Finding::with_command)
}

#[test]
fn every_finding_command_carries_the_table_mark() {
    let mut n = 0;
    for k in one_of_each() {
        let f = with_commands(&k);
        let marks = marked(&f);
        assert_eq!(marks.len(), f.commands.len(), "{}", k.id());
        for m in &marks {
            let row = commands::lookup(&m.run).expect("a row of the commands table");
            let want = (row.elevated(k.case()), row.runs_on);
            assert_eq!((Some(m.elevated), m.runs_on), want, "{}", m.run);
            n += 1;
        }
    }
    assert!(n >= 20, "{n}");
    let ato = |k: &ReportFinding| {
        let m = marked(&with_commands(k));
        m.into_iter().find(|m| m.id == "slmgr-ato").unwrap()
    };
    let all = one_of_each();
    let retail = all.iter().find(|k| k.id() == "retail_channel").unwrap();
    let host = all
        .iter()
        .find(|k| k.id() == "host_key_cannot_serve")
        .unwrap();
    assert_eq!(retail.case(), Some(Case::Kms));
    assert!(!ato(retail).elevated);
    assert!(ato(host).elevated);
    // The GVLK of a known KMS client SKU is in the command; an unknown SKU gets none.
    let cmds = retail.commands();
    assert!(
        cmds[0].ends_with("slmgr.vbs /ipk NPPR9-FWDCX-D2C8J-H872K-2YT43"),
        "{cmds:?}"
    );
    assert_eq!(cmds.iter().filter(|c| c.contains("/ipk")).count(), 1);
    let skew = all
        .iter()
        .find(|k| k.id() == "clock_skew")
        .unwrap()
        .commands();
    assert!(commands::mark(&skew[1], None).unwrap().elevated);
}

/// A report's JSON carries the commands and, as an addition, each with its mark; text and
/// Markdown write the mark after the command.
#[test]
fn reports_write_commands_with_their_marks() {
    use volact_core::event::{Event, Timestamp, parse_info};
    let info = "0xC004F06C, 25, pc1, 11111111-2222-3333-4444-555555555555, 2020/1/1 0:00, 0, 2, 0, 73111121-5638-40f6-bc11-f1d7b0d64300";
    let mut e = Event::new(12290, parse_info(12290, info).unwrap());
    e.time = Some(Timestamp::from_unix(1_795_000_000, true));
    let mut an = Analyzer::new(Options::default());
    an.read(1);
    an.event(e);
    let r = an.report(volact_core::Lang::En);
    let v = serde_json::to_value(&r).unwrap();
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "clock_skew")
        .unwrap();
    assert_eq!(f["commands"][1], "w32tm /resync");
    assert_eq!(f["command_marks"][1]["run"], "w32tm /resync");
    assert_eq!(f["command_marks"][1]["elevated"], true);
    assert_eq!(f["command_marks"][0]["elevated"], false);
    assert_eq!(f["command_marks"][1]["runs_on"], "any");
    let text = crate::render::text(&r);
    assert!(
        text.contains("      w32tm /resync  [elevated prompt]\n"),
        "{text}"
    );
    assert!(text.contains("      w32tm /query /status\n"), "{text}");
    let md = crate::render::markdown(&r);
    assert!(
        md.contains("  - `w32tm /resync` *(elevated prompt)*\n"),
        "{md}"
    );
}
