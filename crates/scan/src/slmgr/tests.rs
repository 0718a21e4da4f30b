use volact_core::finding::Level;
use volact_core::{ErrorCode, Lang};

use super::*;
use crate::report::DiagnosisOut;

/// The diagnosis of a snapshot, worded in `lang` as the report does.
fn diagnose(s: &Snapshot, lang: Lang) -> Vec<DiagnosisOut> {
    super::diagnose(s)
        .into_iter()
        .map(|d| DiagnosisOut::new(d, lang))
        .collect()
}

// Written from the label list of ACTIVATION-FACTS §4 (values invented): an activated KMS
// client (/dlv), a KMS host (/dli) and a KMS client in notification mode (/dli).
const CLIENT_DLV: &str = include_str!("../../tests/data/slmgr-client-dlv.txt");

const HOST_DLI: &str = include_str!("../../tests/data/slmgr-host-dli.txt");

const UNACTIVATED_DLI: &str = include_str!("../../tests/data/slmgr-unactivated-dli.txt");

#[test]
fn activated_kms_client() {
    let s = parse(CLIENT_DLV);
    assert_eq!(s.len(), 1);
    let s = &s[0];
    assert_eq!(s.name.as_deref(), Some("Windows(R), Enterprise edition"));
    assert_eq!(s.channel.as_deref(), Some("VOLUME_KMSCLIENT"));
    assert_eq!(s.service_version.as_deref(), Some("10.0.19041.3636"));
    assert_eq!(s.partial_product_key.as_deref(), Some("2YT43"));
    assert_eq!(s.license_state, Some(LicenseState::Licensed));
    assert_eq!(s.expiration_minutes, Some(259_185));
    assert_eq!(s.rearm_count, Some(1001));
    assert_eq!(s.line, 1);
    let c = s.kms_client.as_ref().unwrap();
    assert_eq!(
        c.kms_name_from_dns.as_deref(),
        Some("kms01.corp.example:1688")
    );
    assert_eq!(c.renewal_interval_minutes, Some(10080));
    assert_eq!(c.host_caching, Some(true));
    let d = diagnose(s, Lang::En);
    assert_eq!(d.len(), 2);
    assert_eq!(d[0].kind(), "licensed");
    // 2YT43 ends Microsoft's published KMS client setup key of Windows Enterprise.
    assert_eq!(d[1].kind(), "gvlk-installed");
    assert!(d[1].message.contains("Enterprise"), "{}", d[1].message);
    assert!(d[0].message.contains("179"));
    assert_eq!(d[0].level(), Level::Ok);
}

#[test]
fn kms_host_below_client_threshold() {
    let s = parse(HOST_DLI);
    assert_eq!(s.len(), 1);
    let h = s[0].kms_host.as_ref().unwrap();
    assert_eq!(h.current_count, Some(12));
    assert_eq!(h.listening_port, Some(1688));
    assert_eq!(h.total_requests, Some(140));
    assert_eq!(h.failed_requests, Some(31));
    assert_eq!(h.requests_by_status.len(), 6);
    assert_eq!(
        h.requests_by_status[2],
        ("Initial grace period".to_owned(), 41)
    );
    let d = diagnose(&s[0], Lang::En);
    let below = d
        .iter()
        .find(|d| d.kind() == "kms-count-below-threshold")
        .unwrap();
    assert_eq!(below.code(), Some(ErrorCode::new(0xC004F038)));
    assert_eq!(below.level(), Level::Warning);
    assert!(below.message.contains("25"));
    assert!(d.iter().any(|d| d.kind() == "kms-failed-requests"));
    let zh = diagnose(&s[0], Lang::ZhTw);
    assert!(zh.iter().any(|d| d.message.contains("0xC004F038")));
}

#[test]
fn host_count_under_five_blocks_servers_too() {
    let text = HOST_DLI.replace("Current count: 12", "Current count: 3");
    let d = diagnose(&parse(&text)[0], Lang::En);
    let below = d
        .iter()
        .find(|d| d.kind() == "kms-count-below-threshold")
        .unwrap();
    assert!(below.message.contains("servers"));
    let text = HOST_DLI.replace("Current count: 12", "Current count: 25");
    let d = diagnose(&parse(&text)[0], Lang::En);
    assert!(d.iter().any(|d| d.kind() == "kms-count-sufficient"));
}

#[test]
fn unactivated_client_in_notification() {
    let s = parse(UNACTIVATED_DLI);
    assert_eq!(s.len(), 1);
    let s = &s[0];
    assert_eq!(s.license_state, Some(LicenseState::Notification));
    assert_eq!(s.notification_reason, Some(ErrorCode::new(0xC004F056)));
    assert!(s.asks_for_ato);
    assert!(s.kms_client.as_ref().unwrap().dns_discovery_failed);
    let d = diagnose(s, Lang::En);
    assert_eq!(d[0].kind(), "notification");
    assert_eq!(d[0].code(), Some(ErrorCode::new(0xC004F056)));
    assert!(d.iter().any(|d| d.kind() == "kms-host-not-found"));
}

#[test]
fn grace_period_and_xpr() {
    let s = parse(
        "Name: Windows(R), Enterprise edition\nDescription: Windows(R) Operating System, VOLUME_KMSCLIENT channel\nLicense Status: Initial grace period\nTime remaining: 43200 minute(s) (30 day(s))\n",
    );
    let d = diagnose(&s[0], Lang::En);
    assert_eq!(d[0].kind(), "grace-period");
    assert!(d[0].message.contains("30 day"));
    let x = parse(
        "Windows(R), Enterprise edition:\n    Volume activation will expire 5/23/2027 9:12:44 AM\n",
    );
    assert_eq!(x.len(), 1);
    assert_eq!(x[0].name.as_deref(), Some("Windows(R), Enterprise edition"));
    assert_eq!(x[0].license_state, Some(LicenseState::Licensed));
    let x = parse("Windows(R), Professional edition:\n    The machine is permanently activated.\n");
    assert_eq!(x[0].license_state, Some(LicenseState::Licensed));
}

#[test]
fn several_products_and_noise() {
    let text = format!("noise line\n{HOST_DLI}\nunrelated\n{UNACTIVATED_DLI}");
    let s = parse(&text);
    assert_eq!(s.len(), 2);
    assert_eq!(s[0].line, 2);
    assert!(s[1].line > s[0].end_line);
}

#[test]
fn keys_in_values_are_redacted() {
    let s = parse(
        "Name: Windows\nDescription: key ABCDE-FGHIJ-KLMNO-PQRST-VWXY2 pasted\nLicense Status: Licensed\n",
    );
    let d = s[0].description.as_deref().unwrap();
    assert!(!d.contains("ABCDE"));
    assert!(d.contains("VWXY2"));
}

#[test]
fn unknown_states_and_json_words_stay() {
    let s = parse("Name: Windows\nLicense Status: Something new\n");
    assert_eq!(s[0].license_state, Some(UNKNOWN_STATE));
    assert!(super::diagnose(&s[0]).is_empty());
    let v = serde_json::to_value(&s[0]).unwrap();
    assert_eq!(v["license_state"], "other");
    let s = parse("Name: Windows\nLicense Status: Initial grace period\n");
    let v = serde_json::to_value(&s[0]).unwrap();
    assert_eq!(v["license_state"], "initial-grace");
    let d = serde_json::to_value(diagnose(&s[0], Lang::En)).unwrap();
    assert_eq!(d[0]["kind"], "grace-period");
    assert_eq!(d[0]["severity"], "attention");
    assert_eq!(d[0]["code"], serde_json::Value::Null);
    assert!(
        d[0]["message"]
            .as_str()
            .unwrap()
            .contains("initial grace period")
    );
}

// Every diagnosis in both languages: `tests_products::every_diagnosis_is_worded_in_both_languages`.

#[test]
fn ad_activation_section() {
    let text = "\
Name: Windows(R), Enterprise edition
Description: Windows(R) Operating System, VOLUME_KMSCLIENT channel
Partial Product Key: NPPR9
License Status: Licensed
Remaining Windows rearm count: 1001

AD Activation client information
    Activation Object name: Win10-AO
    AO DN: CN=Win10-AO,CN=Activation Objects,CN=Microsoft SPP,CN=Services,CN=Configuration,DC=corp,DC=example
    AO extended PID: 06401-04598-000-000000-03-1033-19041.0000-1012024
    AO activation ID: 73111121-5638-40f6-bc11-f1d7b0d64300
";
    let s = parse(text);
    assert_eq!(s.len(), 1);
    let a = s[0].ad_client.as_ref().unwrap();
    assert_eq!(a.ao_name.as_deref(), Some("Win10-AO"));
    assert!(a.ao_dn.as_deref().unwrap().starts_with("CN=Win10-AO"));
    assert_eq!(
        a.ao_activation_id.as_deref(),
        Some("73111121-5638-40f6-bc11-f1d7b0d64300")
    );
    assert!(a.ao_extended_pid.is_some());
    assert_eq!(s[0].language, "en");
    // The AO activation ID names the edition; the machine was activated by AD.
    let e = s[0].edition.unwrap();
    assert_eq!(e.named_by, NamedBy::ActivationId);
    assert_eq!(
        e.product.name,
        "Windows 11 Enterprise / Windows 10 Enterprise"
    );
    let kinds: Vec<_> = super::diagnose(&s[0])
        .iter()
        .map(|f| volact_core::finding::Kind::id(&f.kind))
        .collect();
    assert_eq!(kinds, ["licensed", "activated-by-ad"]);
}

#[test]
fn ao_list_gives_one_snapshot_per_activation_object() {
    // The layout slmgr.vbs prints for /ao-list (its English strings; values invented).
    let text = "\
Activation Objects
    Activation Object name: WS2019-CSVLK
        Activation ID: 8449b1fb-f0ea-497a-99ab-66ca96e9a0f5
        Partial Product Key: 6XBNX
        AO extended PID: 06401-04598-000-000000-03-1033-17763.0000-1012024
        AO DN: CN=8449b1fb,CN=Activation Objects,CN=Microsoft SPP,CN=Services,CN=Configuration,DC=corp,DC=example

    Activation Object name: Office-2021
        Activation ID: 47f3b983-7c53-4d45-abc6-bcd91e2dd90a
        Partial Product Key: 9FGHJ
        AO extended PID: 05426-04598-000-000000-03-1033-17763.0000-1012024
        AO DN: CN=47f3b983,CN=Activation Objects,CN=Microsoft SPP,CN=Services,CN=Configuration,DC=corp,DC=example
";
    let s = parse(text);
    assert_eq!(s.len(), 2, "{s:#?}");
    assert_eq!(s[0].name.as_deref(), Some("WS2019-CSVLK"));
    assert_eq!(s[0].partial_product_key.as_deref(), Some("6XBNX"));
    assert_eq!(
        s[1].activation_id.as_deref(),
        Some("47f3b983-7c53-4d45-abc6-bcd91e2dd90a")
    );
    let a = s[1].ad_client.as_ref().unwrap();
    assert_eq!(a.ao_name.as_deref(), Some("Office-2021"));
    assert!(a.ao_dn.as_deref().unwrap().starts_with("CN=47f3b983"));
    assert!(a.ao_extended_pid.is_some());
    let kinds = |s: &Snapshot| -> Vec<&str> {
        super::diagnose(s)
            .iter()
            .map(|f| volact_core::finding::Kind::id(&f.kind))
            .collect()
    };
    assert_eq!(kinds(&s[0]), ["ad-activation-object"]);
}
