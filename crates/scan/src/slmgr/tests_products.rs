//! The product table in snapshots: the edition named, the installed key recognised, the host
//! key's reach, AD-based activation, and the mark of every command a diagnosis recommends.
//! Constructed outputs (values invented; Activation IDs and key tails from the product table).

use volact_core::commands::{self, Case};
use volact_core::finding::Kind;
use volact_core::{ErrorCode, Lang};

use super::*;
use crate::phrases;

/// The one snapshot of `text` and the kinds of its diagnosis.
fn one(text: &str) -> (Snapshot, Vec<&'static str>) {
    let s = parse(text);
    assert_eq!(s.len(), 1, "{s:#?}");
    let s = s.into_iter().next().unwrap();
    let kinds = diagnose(&s).iter().map(|f| f.kind.id()).collect();
    (s, kinds)
}

/// The finding of kind `id` in the snapshot's diagnosis.
fn finding(s: &Snapshot, id: &str) -> volact_core::finding::Finding<Diagnosis> {
    diagnose(s)
        .into_iter()
        .find(|f| f.kind.id() == id)
        .unwrap_or_else(|| panic!("no {id} in {s:#?}"))
}

const PRO_WITH_ENTERPRISE_GVLK: &str = "\
Name: Windows(R), Professional edition
Description: Windows(R) Operating System, VOLUME_KMSCLIENT channel
Activation ID: 2de67392-b7a7-462a-b1ca-108dd189f588
Partial Product Key: 2YT43
License Status: Licensed
";

#[test]
fn activation_id_names_the_edition_and_its_count() {
    let (s, kinds) = one(PRO_WITH_ENTERPRISE_GVLK);
    let e = s.edition.unwrap();
    assert_eq!(e.named_by, NamedBy::ActivationId);
    assert_eq!(e.product.name, "Windows 11 Pro / Windows 10 Pro");
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["edition"]["name"], "Windows 11 Pro / Windows 10 Pro");
    assert_eq!(v["edition"]["family"], "windows");
    assert_eq!(v["edition"]["kms_count"], 25);
    assert_eq!(v["edition"]["named_by"], "activation-id");
    assert_eq!(v["host_key"], serde_json::Value::Null);
    assert_eq!(kinds, ["licensed", "gvlk-of-another-edition"]);
}

#[test]
fn gvlk_of_another_edition_says_which_key_to_install() {
    let (s, _) = one(PRO_WITH_ENTERPRISE_GVLK);
    let f = finding(&s, "gvlk-of-another-edition");
    assert_eq!(
        f.kind,
        Diagnosis::GvlkOfAnotherEdition {
            installed: "Windows 11 Enterprise / Windows 10 Enterprise",
            edition: "Windows 11 Pro / Windows 10 Pro",
            activation_id: Some("2de67392-b7a7-462a-b1ca-108dd189f588"),
            office: false,
        }
    );
    let en = phrases::diagnosis(&f.kind, Lang::En);
    assert!(
        en.contains("volact products \"2de67392-b7a7-462a-b1ca-108dd189f588\" --gvlk"),
        "{en}"
    );
    assert!(
        en.contains("`slmgr.vbs /ipk <KMS client setup key>` [elevated prompt]"),
        "{en}"
    );
    // KMS activation by /ato needs no elevation.
    assert!(en.contains("`slmgr.vbs /ato`."), "{en}");
    let zh = phrases::diagnosis(&f.kind, Lang::ZhTw);
    assert!(
        zh.contains("Windows 11 Enterprise") && zh.contains("金鑰"),
        "{zh}"
    );
    // Only published keys are named, and never whole in the scan report.
    assert!(!en.contains("W269N") && !en.contains("NPPR9"), "{en}");
}

#[test]
fn retail_key_on_a_machine_set_up_for_kms() {
    let text = "\
LICENSE NAME: Office 16, Office16ProPlusR_Retail edition
LICENSE DESCRIPTION: Office 16, RETAIL channel
LICENSE STATUS:  ---NOTIFICATIONS---
ERROR CODE: 0xC004F074
Last 5 characters of installed product key: ABCDE
";
    let (s, kinds) = one(text);
    assert_eq!(s.gvlk_edition, None);
    assert!(kinds.contains(&"kms-client-key-needed"), "{kinds:?}");
    let f = finding(&s, "kms-client-key-needed");
    assert_eq!(
        f.kind,
        Diagnosis::KmsClientKeyNeeded {
            channel: KeyChannel::Retail,
            edition: None,
            activation_id: None,
            office: true,
        }
    );
    assert_eq!(
        f.commands,
        ["ospp.vbs /inpkey:<KMS client setup key>", "ospp.vbs /act"]
    );
    let en = phrases::diagnosis(&f.kind, Lang::En);
    assert!(en.starts_with("A retail key is installed"), "{en}");
    assert!(en.contains("`volact products --gvlk`"), "{en}");
    let zh = phrases::diagnosis(&f.kind, Lang::ZhTw);
    assert!(zh.contains("零售版金鑰"), "{zh}");
}

#[test]
fn mak_with_a_kms_host_set_needs_the_kms_client_key() {
    let text = "\
Name: Windows(R), Enterprise edition
Description: Windows(R) Operating System, VOLUME_MAK channel
Partial Product Key: 2YT43
License Status: Notification
Key Management Service client information
    Registered KMS machine name: kms01.corp.example:1688
";
    let (s, kinds) = one(text);
    // The tail of a MAK is not read as a GVLK, even where it matches one.
    assert_eq!(s.gvlk_edition, None);
    assert!(kinds.contains(&"kms-client-key-needed"), "{kinds:?}");
    let f = finding(&s, "kms-client-key-needed");
    assert_eq!(
        f.commands,
        ["slmgr.vbs /ipk <KMS client setup key>", "slmgr.vbs /ato"]
    );
}

#[test]
fn kms_host_key_that_cannot_serve_newer_products() {
    let text = "\
Name: Windows(R), ServerStandard edition
Description: Windows(R) Operating System, VOLUME_KMS_WS16 channel
Activation ID: d6992aac-29e7-452a-bf10-bbfb8ccabe59
Partial Product Key: QWERT
License Status: Licensed

Key Management Service is enabled on this machine
    Current count: 30
    Listening on Port: 1688
";
    let (s, kinds) = one(text);
    let hk = s.host_key.unwrap();
    assert_eq!(hk.0.id, "ws2016");
    let missing = hk.cannot_serve();
    assert!(missing.contains(&"Windows Server 2025"), "{missing:?}");
    assert!(missing.contains(&"Windows Server 2019"), "{missing:?}");
    assert!(!missing.contains(&"Windows Server 2016"), "{missing:?}");
    assert!(
        hk.activates()
            .iter()
            .any(|p| p.name == "Windows Server 2016 Standard")
    );
    let v = serde_json::to_value(&s).unwrap();
    assert_eq!(v["host_key"]["group"], "ws2016");
    assert!(v["host_key"]["cannot_serve"].as_array().unwrap().len() >= 3);
    assert_eq!(
        kinds,
        ["licensed", "kms-count-sufficient", "host-key-cannot-serve"]
    );
    let f = finding(&s, "host-key-cannot-serve");
    assert_eq!(
        f.codes,
        [ErrorCode::new(0xC004_F042), ErrorCode::new(0xC004_F015)]
    );
    let en = phrases::diagnosis(&f.kind, Lang::En);
    assert!(
        en.contains("Volume License for Windows Server 2016"),
        "{en}"
    );
    assert!(
        en.contains("Volume License for Windows Server 2025"),
        "{en}"
    );
    assert!(en.contains("Windows Server 2019 (KB5034768)"), "{en}");
    // Activating a host key is online activation: elevated.
    assert!(en.contains("`slmgr.vbs /ato` [elevated prompt]"), "{en}");
    let facts = serde_json::to_value(f.kind).unwrap();
    assert_eq!(facts["needs"]["id"], "ws2025");
    assert_eq!(facts["host_key"]["group"], "ws2016");
    let zh = phrases::diagnosis(&f.kind, Lang::ZhTw);
    assert!(
        zh.contains("0xC004F042") && zh.contains("KB5034768"),
        "{zh}"
    );
}

#[test]
fn newest_host_key_gives_no_gap() {
    let text = "\
Name: Windows(R), ServerStandard edition
Description: Windows(R) Operating System, VOLUME_KMS_WS25 channel
Activation ID: 84e331f6-4279-48c4-ab10-b75139181351
License Status: Licensed
Key Management Service is enabled on this machine
    Current count: 30
";
    let (s, kinds) = one(text);
    assert_eq!(s.host_key.unwrap().0.id, "ws2025");
    assert!(!kinds.contains(&"host-key-cannot-serve"), "{kinds:?}");
}

#[test]
fn activated_by_ad_keeps_the_kms_count_low_by_design() {
    let text = "\
Name: Windows(R), Enterprise edition
Description: Windows(R) Operating System, VOLUME_KMSCLIENT channel
Activation ID: 73111121-5638-40f6-bc11-f1d7b0d64300
Partial Product Key: 2YT43
License Status: Licensed

AD Activation client information
    Activation Object name: WS2019-CSVLK
    AO DN: CN=8449b1fb,CN=Activation Objects,CN=Microsoft SPP,CN=Services,CN=Configuration,DC=corp,DC=example
";
    let (s, kinds) = one(text);
    assert!(s.ad_client.is_some());
    assert_eq!(kinds, ["licensed", "gvlk-installed", "activated-by-ad"]);
    let f = finding(&s, "activated-by-ad");
    assert_eq!(f.level, volact_core::finding::Level::Info);
    let en = phrases::diagnosis(&f.kind, Lang::En);
    assert!(en.contains("count stays low by design"), "{en}");
    let zh = phrases::diagnosis(&f.kind, Lang::ZhTw);
    assert!(zh.contains("設計如此"), "{zh}");
}

/// An `ospp.vbs /act` attempt failing with `code` in `channel`.
fn ospp(channel: &str, code: &str) -> String {
    format!(
        "Installed product key detected - attempting to activate the following product:\nLICENSE NAME: Office 16, Office16ProPlusVL_KMS_Client edition\nLICENSE DESCRIPTION: Office 16, {channel} channel\nERROR CODE: {code}\n"
    )
}

#[test]
fn ad_object_not_found() {
    let (s, kinds) = one(&ospp("VOLUME_KMSCLIENT", "0xC004F081"));
    assert_eq!(kinds, ["ad-object-not-found"]);
    let f = finding(&s, "ad-object-not-found");
    assert_eq!(f.codes, [ErrorCode::new(0xC004_F081)]);
    let en = phrases::diagnosis(&f.kind, Lang::En);
    assert!(
        en.contains("`slmgr.vbs /ad-activation-online <KMS host key>`"),
        "{en}"
    );
    assert!(phrases::diagnosis(&f.kind, Lang::ZhTw).contains("啟用物件"));
}

#[test]
fn ad_schema_too_old() {
    for code in ["0xC004F083", "0x80072030"] {
        let (s, kinds) = one(&ospp("VOLUME_KMSCLIENT", code));
        assert_eq!(kinds, ["ad-schema-too-old"], "{code}");
        let f = finding(&s, "ad-schema-too-old");
        let en = phrases::diagnosis(&f.kind, Lang::En);
        assert!(
            en.starts_with(code) && en.contains("Windows Server 2012 schema"),
            "{en}"
        );
        assert!(phrases::diagnosis(&f.kind, Lang::ZhTw).contains("結構描述"));
    }
}

#[test]
fn retail_channel_cannot_use_ad_activation() {
    let (s, kinds) = one(&ospp("RETAIL", "0x8007007B"));
    assert_eq!(kinds, ["ad-retail-channel"]);
    let f = finding(&s, "ad-retail-channel");
    assert_eq!(f.codes, [ErrorCode::new(0x8007_007B)]);
    let en = phrases::diagnosis(&f.kind, Lang::En);
    assert!(en.contains("cannot apply"), "{en}");
    assert!(phrases::diagnosis(&f.kind, Lang::ZhTw).contains("不適用"));
    // On a KMS client key the code is an ordinary failure.
    let (_, kinds) = one(&ospp("VOLUME_KMSCLIENT", "0x8007007B"));
    assert_eq!(kinds, ["activation-failed"]);
}

/// One diagnosis of every kind (facts from the product table).
fn one_of_each() -> Vec<Diagnosis> {
    let g = volact_core::products::groups();
    let p = &volact_core::products::all()[0];
    vec![
        Diagnosis::Licensed { minutes_left: None },
        Diagnosis::Notification { reason: None },
        Diagnosis::Unlicensed,
        Diagnosis::GracePeriod {
            state: LicenseState::OobGrace,
            minutes_left: None,
        },
        Diagnosis::KmsHostNotFound,
        Diagnosis::KmsClientNotActivated,
        Diagnosis::KmsCountBelowThreshold {
            count: 1,
            server_threshold: 5,
            client_threshold: 25,
        },
        Diagnosis::KmsCountSufficient {
            count: 30,
            server_threshold: 5,
            client_threshold: 25,
        },
        Diagnosis::KmsFailedRequests {
            failed: 1,
            total: 2,
        },
        Diagnosis::KmsDnsPublishingOff,
        Diagnosis::KmsUnreachable,
        Diagnosis::ActivationFailed {
            code: ErrorCode::new(0xC004_F050),
        },
        Diagnosis::GvlkInstalled { edition: p.name },
        Diagnosis::GvlkOfAnotherEdition {
            installed: p.name,
            edition: p.name,
            activation_id: p.activation_id,
            office: false,
        },
        Diagnosis::KmsClientKeyNeeded {
            channel: KeyChannel::Mak,
            edition: Some(p.name),
            activation_id: p.activation_id,
            office: true,
        },
        Diagnosis::KmsClientKeyNeeded {
            channel: KeyChannel::Oem,
            edition: None,
            activation_id: None,
            office: false,
        },
        Diagnosis::HostKeyCannotServe {
            host_key: HostKey(&g[3]),
            needs: &g[0],
        },
        Diagnosis::ActivatedByAd,
        Diagnosis::AdActivationObject,
        Diagnosis::AdObjectNotFound,
        Diagnosis::AdSchemaTooOld {
            code: ErrorCode::new(0xC004_F083),
        },
        Diagnosis::AdRetailChannel,
    ]
}

#[test]
fn every_diagnosis_is_worded_in_both_languages() {
    for d in one_of_each() {
        let (en, zh) = (
            phrases::diagnosis(&d, Lang::En),
            phrases::diagnosis(&d, Lang::ZhTw),
        );
        assert!(!en.is_empty() && !zh.is_empty() && en != zh, "{}", d.id());
        assert_eq!(d.finding().id(), d.id());
    }
}

#[test]
fn every_diagnosis_command_carries_the_table_mark() {
    let mut n = 0;
    for d in one_of_each() {
        let f = d.finding();
        let marked = d.marked();
        assert_eq!(
            marked.len(),
            f.commands.len(),
            "{}: {:?}",
            d.id(),
            f.commands
        );
        for ((run, case), m) in d.commands().iter().zip(&marked) {
            let row = commands::lookup(run).unwrap_or_else(|| panic!("{run}: no row"));
            assert_eq!(Some(m.elevated), row.elevated(*case), "{run}");
            assert_eq!(m.runs_on, row.runs_on, "{run}");
            assert_eq!(&m.run, run);
            // The sentence shows the command with the same mark.
            for lang in [Lang::En, Lang::ZhTw] {
                let text = phrases::diagnosis(&d, lang);
                let shown = format!("`{run}`");
                if text.contains(&shown) {
                    let marked = format!("{shown} {}", commands::text_mark(true, lang));
                    assert_eq!(text.contains(&marked), m.elevated, "{}: {text}", d.id());
                }
            }
            n += 1;
        }
        let out = crate::report::DiagnosisOut::new(f, Lang::En);
        let v = serde_json::to_value(&out).unwrap();
        match v.get("commands") {
            Some(c) => {
                assert_eq!(c.as_array().unwrap().len(), marked.len());
                assert!(c[0].get("elevated").is_some() && c[0].get("runs_on").is_some());
            }
            None => assert!(marked.is_empty(), "{}", d.id()),
        }
    }
    assert!(n >= 12, "{n}");
    // /ato is marked by the activation it performs.
    let host = Diagnosis::HostKeyCannotServe {
        host_key: HostKey(&volact_core::products::groups()[3]),
        needs: &volact_core::products::groups()[0],
    };
    assert_eq!(host.commands()[1].1, Some(Case::Online));
    assert!(host.marked()[1].elevated);
    assert!(!Diagnosis::KmsClientNotActivated.marked()[0].elevated);
}
