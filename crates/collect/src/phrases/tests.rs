//! Every finding and planned check has its sentence in both languages.

use volact_core::finding::Kind;
use volact_core::{ErrorCode, Lang};

use super::*;

/// One of each finding. The match below has no wildcard: a new variant does not compile until it
/// is added here, with its sentence checked by the test.
fn one_of_each() -> Vec<FindingKind> {
    let snapshot = volact_scan::slmgr::parse(
        "Name: Windows(R), Enterprise edition\nDescription: Windows(R) Operating System, VOLUME_KMSCLIENT channel\n\
         Partial Product Key: 2YT43\nLicense Status: Initial grace period\nTime remaining: 43200 minute(s) (30 day(s))\n",
    );
    let all = vec![
        FindingKind::ProductNotLicensed {
            product: "Windows(R), Enterprise edition".into(),
            status: "Notification".into(),
            reason: Some(ErrorCode::new(0xC004_F009)),
        },
        FindingKind::SlmgrNotParsed {},
        FindingKind::HostCountLow { count: 18 },
        FindingKind::HostDnsPublishingOff {},
        FindingKind::HostFailedRequests {
            failed: 37,
            total: 412,
        },
        FindingKind::ForcedKmsHost {
            host: "kms-old.corp.example.com:1688".into(),
        },
        FindingKind::DnsDiscoveryFailed {},
        FindingKind::NoDnsSuffix {},
        FindingKind::NoDnsServers {},
        FindingKind::ClockUnsynchronised {},
        FindingKind::StepFailed {
            step: "ipconfig-all".into(),
            error: "Access is denied.".into(),
        },
        FindingKind::StepNote {
            step: "registry".into(),
            note: "could not read HKU\\S-1-5-20".into(),
        },
        FindingKind::KeysRedacted { count: 2 },
        FindingKind::EventLogs {
            finding: volact_events::ReportFinding::NoResponse { no_response: 1 },
        },
        FindingKind::SlmgrDiagnosis {
            diagnosis: volact_scan::slmgr::Diagnosis::KmsClientNotActivated,
            product: snapshot[0].name.clone(),
        },
    ];
    for k in &all {
        match k {
            FindingKind::ProductNotLicensed { .. }
            | FindingKind::SlmgrNotParsed {}
            | FindingKind::HostCountLow { .. }
            | FindingKind::HostDnsPublishingOff {}
            | FindingKind::HostFailedRequests { .. }
            | FindingKind::ForcedKmsHost { .. }
            | FindingKind::DnsDiscoveryFailed {}
            | FindingKind::NoDnsSuffix {}
            | FindingKind::NoDnsServers {}
            | FindingKind::ClockUnsynchronised {}
            | FindingKind::StepFailed { .. }
            | FindingKind::StepNote { .. }
            | FindingKind::KeysRedacted { .. }
            | FindingKind::EventLogs { .. }
            | FindingKind::SlmgrDiagnosis { .. } => {}
        }
    }
    all
}

#[test]
fn every_finding_is_said_in_both_languages() {
    let all = one_of_each();
    let mut ids = std::collections::HashSet::new();
    for k in &all {
        assert!(ids.insert(k.id()), "{} twice", k.id());
        let en = finding(k, Lang::En);
        let zh = finding(k, Lang::ZhTw);
        assert!(!en.is_empty() && !zh.is_empty(), "{}", k.id());
        assert_ne!(en, zh, "{}", k.id());
        assert!(
            en.is_ascii() || matches!(k, FindingKind::ProductNotLicensed { .. }),
            "{en}"
        );
        assert!(!zh.is_ascii(), "{zh}");
    }
}

#[test]
fn sentences_carry_their_facts() {
    let all = one_of_each();
    let en = |i: usize| finding(&all[i], Lang::En);
    assert!(en(0).starts_with(
        "Windows(R), Enterprise edition: license status is \"Notification\", not Licensed. Notification reason 0xC004F009: "
    ));
    assert_eq!(
        en(2),
        "The KMS host's count is 18: Windows client OSes activate only at 25 or more (servers at 5), so they get 0xC004F038 until enough distinct machines ask."
    );
    assert!(en(4).starts_with("37 of 412 requests"));
    assert!(en(5).contains("forced to kms-old.corp.example.com:1688 ("));
    assert!(en(9).contains("more than 4 hours"));
    assert_eq!(
        en(10),
        "Collection step ipconfig-all failed: Access is denied."
    );
    assert_eq!(
        finding(&all[11], Lang::ZhTw),
        "收集步驟 registry：could not read HKU\\S-1-5-20"
    );
    assert!(en(12).starts_with("2 product key(s)"));
    assert!(en(13).starts_with("Event logs: requests got no response"));
    assert!(en(14).starts_with("KMS client not activated"), "{}", en(14));
}

#[test]
fn every_planned_check_is_said_in_both_languages() {
    let reasons = [
        CheckReason::ForcedHostTcp,
        CheckReason::KmsRpc,
        CheckReason::SrvLookup {
            dns_servers: vec!["10.20.0.10".into(), "10.20.0.11".into()],
        },
        CheckReason::SrvHostTcp,
        CheckReason::HostFirewall,
        CheckReason::HostClock,
        CheckReason::ClientClock,
    ];
    for r in &reasons {
        let (en, zh) = (reason(r, Lang::En), reason(r, Lang::ZhTw));
        assert!(en.is_ascii() && !zh.is_ascii(), "{en} / {zh}");
    }
    assert_eq!(
        reason(&reasons[2], Lang::En),
        "the SRV lookup a KMS client makes in this domain (through 10.20.0.10, 10.20.0.11)"
    );
    assert_eq!(
        reason(&reasons[2], Lang::ZhTw),
        "KMS 用戶端在此網域進行的 SRV 查詢（透過 10.20.0.10、10.20.0.11）"
    );
    assert_eq!(
        reason(&CheckReason::SrvHostTcp, Lang::En),
        "TCP to the port the record gives (1688 by default)"
    );
    assert_eq!(
        target(&CheckTarget::ThisHost { port: 1688 }, Lang::En),
        "this host:1688"
    );
    assert_eq!(
        target(&CheckTarget::ThisHost { port: 1688 }, Lang::ZhTw),
        "此主機:1688"
    );
    assert_eq!(
        target(&CheckTarget::Name("kms01:1688".into()), Lang::ZhTw),
        "kms01:1688"
    );
    assert_eq!(
        target(&CheckTarget::AnyTimeServer, Lang::ZhTw),
        "時間伺服器"
    );
    assert_eq!(
        target(&CheckTarget::SrvHosts, Lang::En),
        "each host the SRV records name"
    );
}

#[test]
fn bundle_warnings_are_said_in_both_languages() {
    let w = BundleWarning::Refused {
        file: "events/a.evtx".into(),
        why: Refusal::FileLimit {
            limit: 32 * 1024 * 1024,
        },
    };
    assert_eq!(
        w.message(Lang::En),
        "events/a.evtx: skipped: it expands to more than 32 MiB, the limit for one file; it was not read"
    );
    assert_eq!(
        w.message(Lang::ZhTw),
        "events/a.evtx：已略過（解壓縮後超過單一檔案的上限 32 MiB，未讀取）"
    );
}

/// Every command a finding recommends is a row of volact's commands table, and the JSON and the
/// text carry its mark: `slmgr /ckms` and `w32tm /resync` need an elevated prompt, `/dlv` not.
#[test]
fn every_finding_command_carries_the_table_mark() {
    use volact_core::commands;
    use volact_core::finding::{Finding, Level};
    let mut n = 0;
    for k in one_of_each() {
        let f = Finding::new(k.clone(), Level::Warning);
        let f = k.commands().into_iter().fold(f, Finding::with_command);
        let marked = crate::wire::marked(&f);
        assert_eq!(
            marked.len(),
            f.commands.len(),
            "{}: {:?}",
            k.id(),
            f.commands
        );
        for (run, m) in f.commands.iter().zip(&marked) {
            let row = commands::lookup(run).unwrap();
            assert_eq!(Some(m.elevated), row.elevated(k.case()), "{run}");
            assert_eq!(m.runs_on, row.runs_on, "{run}");
            n += 1;
        }
        let v = serde_json::to_value(crate::wire::FindingOut::new(&f, Lang::En)).unwrap();
        match v.get("commands") {
            Some(c) => assert_eq!(c.as_array().unwrap().len(), marked.len()),
            None => assert!(marked.is_empty(), "{}", k.id()),
        }
    }
    assert!(n >= 10, "{n}");
    let forced = &one_of_each()[5];
    let cmds = forced.commands();
    assert!(cmds[0].ends_with("slmgr.vbs /ckms"), "{cmds:?}");
    assert!(commands::mark(&cmds[0], None).unwrap().elevated);
    let clock = FindingKind::ClockUnsynchronised {}.commands();
    assert!(!commands::mark(&clock[0], None).unwrap().elevated);
    assert!(commands::mark(&clock[1], None).unwrap().elevated);
}

/// An events finding in the analysis carries the commands `volact events` gives it, with the
/// same marks: a retail-channel machine's `slmgr /ato` is a KMS client's (no elevation).
#[test]
fn event_log_findings_carry_the_events_commands() {
    use volact_core::finding::{Finding, Level};
    let no_response = &one_of_each()[13];
    assert!(matches!(no_response, FindingKind::EventLogs { .. }));
    assert!(no_response.commands()[0].starts_with("nslookup -type=srv _vlmcs._tcp."));
    let retail = volact_events::ReportFinding::RetailChannel {
        failures: 1,
        skus: vec![volact_events::analyze::SkuKey::new(
            "73111121-5638-40f6-bc11-f1d7b0d64300",
        )],
    };
    let k = FindingKind::EventLogs {
        finding: retail.clone(),
    };
    assert_eq!(k.commands(), retail.commands());
    let f = k
        .commands()
        .into_iter()
        .fold(Finding::new(k, Level::Warning), Finding::with_command);
    let marked = crate::wire::marked(&f);
    assert_eq!(marked.len(), f.commands.len());
    let ato = marked.iter().find(|m| m.run.ends_with("/ato")).unwrap();
    assert!(!ato.elevated);
    let v = serde_json::to_value(crate::wire::FindingOut::new(&f, Lang::En)).unwrap();
    assert!(
        v["commands"][0]["run"]
            .as_str()
            .unwrap()
            .ends_with("/ipk NPPR9-FWDCX-D2C8J-H872K-2YT43")
    );
}
