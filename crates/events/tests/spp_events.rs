//! The Software Protection events beyond the KMS ones (8196, 8230, 8233, 1058, 16384, 12308,
//! 8213-8215, 12309, 12310, 12320) and what the report makes of them: real samples from
//! `../shared/data/real` and constructed `<Event>` XML for each ID, the transient-vs-persistent
//! rule of 8198 (both ways, and whatever the order of the inputs), and the rendered forms.

mod common;

use volact_core::Lang;
use volact_core::finding::Level;
use volact_events::analyze::{Analyzer, Options, Report};
use volact_events::render;
use volact_events::{ReportFinding, phrases};

const SPP: &str = "Microsoft-Windows-Security-SPP";
const WIN_SKU: &str = "4de7cb65-cdf1-4de9-8ae8-e3cce27b9f2c";
const OFFICE: &str = "0ff1ce15-a989-479d-af46-f275c6370663";

/// One `<Event>` as `wevtutil qe /f:xml` writes it, with unnamed Data items.
fn xml(provider: &str, id: u32, computer: &str, time: &str, data: &[&str]) -> String {
    let items: String = data
        .iter()
        .map(|d| {
            format!(
                "<Data>{}</Data>",
                d.replace('&', "&amp;").replace('<', "&lt;")
            )
        })
        .collect();
    format!(
        "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>\
         <Provider Name=\"{provider}\" EventSourceName=\"Software Protection Platform Service\"/>\
         <EventID Qualifiers=\"16384\">{id}</EventID><Level>4</Level>\
         <TimeCreated SystemTime=\"{time}\"/><Channel>Application</Channel>\
         <Computer>{computer}</Computer></System><EventData>{items}</EventData></Event>\n"
    )
}

fn slui(computer: &str, time: &str, hr: &str, sku: &str) -> String {
    let rule = format!(
        "RuleId=31e71c49-8da7-4a2f-ad92-45d98a1c79ba;Action=AutoActivate;AppId=55c92734-d682-4d71-983e-d6ec3f16059f;SkuId={sku};NotificationInterval=1440;Trigger=UserLogon;SessionId=2"
    );
    xml(SPP, 8198, computer, time, &[&format!("hr={hr}"), &rule])
}

/// A KMS attempt that activated: 12288 then 12289 with the activated flag.
fn kms_activation(computer: &str, time: &str, sku: &str) -> String {
    let req = format!(
        "0x0, 0x0, kms01.contoso.com:1688, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/11/24 14:14, 0, 2, 43200, {sku}, 25"
    );
    xml(SPP, 12288, computer, time, &[&req])
        + &xml(
            SPP,
            12289,
            computer,
            time,
            &["0x0,0x0,1,0,37,120,10080,2026/11/24 14:14"],
        )
}

fn report(inputs: &[String], lang: Lang) -> Report {
    let mut an = Analyzer::new(Options::default());
    for (i, x) in inputs.iter().enumerate() {
        volact_events::source::read_stream(&format!("in{i}.xml"), x.as_bytes(), &mut an).unwrap();
    }
    an.report(lang)
}

fn finding<'a>(
    r: &'a Report,
    id: &str,
) -> Option<&'a volact_core::finding::Finding<ReportFinding>> {
    r.findings.iter().find(|f| f.id() == id)
}

#[test]
fn transient_8198_followed_by_activation_is_ok_not_an_alarm() {
    let logs = [
        slui("PC1", "2026-11-24T08:00:05Z", "0x8007232B", WIN_SKU),
        slui("PC1", "2026-11-24T08:01:05Z", "0x8007232B", WIN_SKU),
        kms_activation("PC1", "2026-11-24T08:05:00Z", WIN_SKU),
    ];
    // Whatever the order of the inputs, the event times decide.
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
        let inputs: Vec<String> = order.iter().map(|i| logs[*i].clone()).collect();
        let r = report(&inputs, Lang::En);
        assert!(finding(&r, "slui_failures").is_none(), "{:?}", r.attention);
        let t = finding(&r, "slui_transient").expect("transient");
        assert_eq!(t.level, Level::Ok);
        let ReportFinding::SluiTransient {
            failures,
            clients,
            span_secs,
            first,
            last,
        } = &t.kind
        else {
            panic!()
        };
        assert_eq!((*failures, *clients, *span_secs), (2, 1, Some(60)));
        assert!(first.unwrap() < last.unwrap());
        assert!(!r.attention.contains(&"slui_transient"));
        assert!(r.slui_failures.iter().all(|s| s.transient));
        let text = phrases::phrase(&t.kind, Lang::En);
        assert!(
            text.contains("transient") && text.contains("1 min 00 s"),
            "{text}"
        );
    }
}

#[test]
fn persistent_8198_without_later_activation_is_an_error_with_its_code() {
    // The activation came before the failures; another machine's activation does not count,
    // nor does an activation of another SKU.
    let other_sku = "2ffd8952-423e-4903-b993-72a1aa44cf82";
    let inputs = [
        kms_activation("PC1", "2026-11-24T07:00:00Z", WIN_SKU),
        slui("PC1", "2026-11-24T08:00:05Z", "0x8007232B", WIN_SKU),
        kms_activation("PC2", "2026-11-24T09:00:00Z", WIN_SKU),
        kms_activation("PC1", "2026-11-24T09:00:00Z", other_sku),
    ]
    .to_vec();
    let r = report(&inputs, Lang::En);
    let p = finding(&r, "slui_failures").expect("persistent");
    assert_eq!(p.level, Level::Error);
    assert_eq!(p.kind, ReportFinding::SluiFailures { failures: 1 });
    assert_eq!(p.codes[0].to_string(), "0x8007232B");
    assert!(finding(&r, "slui_transient").is_none());
    assert!(r.attention.contains(&"slui_failures"));
    let v = r.spp.as_ref().unwrap();
    let o = v.failures_of(8198).unwrap();
    assert_eq!((o.transient, o.persistent), (0, 1));
    // Both ways on one machine: one resolved, one after the last success.
    let inputs = [
        slui("PC1", "2026-11-24T08:00:05Z", "0x8007232B", WIN_SKU),
        kms_activation("PC1", "2026-11-24T08:05:00Z", WIN_SKU),
        slui("PC1", "2026-11-25T08:00:05Z", "0xC004F074", WIN_SKU),
    ]
    .to_vec();
    let r = report(&inputs, Lang::ZhTw);
    assert_eq!(
        finding(&r, "slui_failures").unwrap().kind,
        ReportFinding::SluiFailures { failures: 1 }
    );
    assert_eq!(
        finding(&r, "slui_failures").unwrap().codes[0].to_string(),
        "0xC004F074"
    );
    assert!(finding(&r, "slui_transient").is_some());
    let zh = phrases::phrase(&finding(&r, "slui_transient").unwrap().kind, Lang::ZhTw);
    assert!(zh.contains("暫時性"), "{zh}");
}

#[test]
fn every_new_event_id_from_constructed_xml() {
    let sku = "2ffd8952-423e-4903-b993-72a1aa44cf82";
    let dn = "CN=Win,CN=Activation Objects,CN=Microsoft SPP,CN=Services,CN=Configuration,DC=contoso,DC=com";
    let t = "2026-11-24T08:00:00Z";
    let log = [
        xml(SPP, 8196, "PC1", t, &["0x8007232B"]),
        xml(
            SPP,
            8230,
            "PC1",
            t,
            &[&format!(
                "=AppId=x;LicenseState=SL_LICENSING_STATUS_LICENSED;SkuId={sku}"
            )],
        ),
        xml(
            SPP,
            8233,
            "PC2",
            t,
            &["0x8007007B", OFFICE, sku, "TimerEvent"],
        ),
        xml(SPP, 1058, "PC3", t, &["0xC004F057"]),
        xml(
            SPP,
            16384,
            "PC3",
            t,
            &["2026-11-25T08:00:00Z", "RulesEngine"],
        ),
        xml(SPP, 12308, "PC4", t, &[sku, "Windows Srv 2022", dn]),
        xml(
            SPP,
            8213,
            "PC5",
            t,
            &["0x80072030", "bbb97b3b-8ca4-4a28-9717-89fabd42c4ac"],
        ),
        xml(
            SPP,
            8214,
            "PC5",
            t,
            &[
                "0xC004F081",
                "bbb97b3b-8ca4-4a28-9717-89fabd42c4ac",
                "Office",
                dn,
            ],
        ),
        xml(SPP, 8215, "PC5", t, &["0xC004F083", sku]),
        xml(SPP, 12309, "VM1", t, &["0x0", "ok"]),
        xml(SPP, 12310, "HV1", t, &["0xC004FD01", "vm2"]),
        xml(SPP, 12320, "PC6", t, &[sku]),
    ]
    .concat();
    let r = report(&[log], Lang::En);
    let v = r.spp.as_ref().expect("spp view");
    assert_eq!(v.events_total, 12);
    assert_eq!(r.stats.events_used, 12);
    for id in [
        8196, 8230, 8233, 1058, 16384, 12308, 8213, 8214, 8215, 12309, 12310, 12320,
    ] {
        assert_eq!(v.count_of(id), 1, "{id}");
    }
    let ids: Vec<&str> = r.findings.iter().map(|f| f.id()).collect();
    // PC1's licensed 8230 has the same time as its 8196: only a later success resolves a failure.
    for want in [
        "auto_activation_failed",
        "vl_activation_failed",
        "ad_activation_failed",
        "ad_activated",
        "avma_results",
        "token_activated",
        "acpi_key_warnings",
        "routine_events",
    ] {
        assert!(ids.contains(&want), "{want} in {ids:?}");
    }
    let f = |id| finding(&r, id).unwrap();
    assert_eq!(
        f("vl_activation_failed").kind,
        ReportFinding::VlActivationFailed {
            failures: 1,
            transient: 0,
            office: 1
        }
    );
    assert_eq!(f("vl_activation_failed").codes[0].to_string(), "0x8007007B");
    assert_eq!(
        f("ad_activation_failed").kind,
        ReportFinding::AdActivationFailed {
            failures: 3,
            transient: 0,
            clients: 1
        }
    );
    let ad_codes: Vec<String> = f("ad_activation_failed")
        .codes
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(ad_codes, ["0x80072030", "0xC004F081", "0xC004F083"]);
    assert_eq!(f("ad_activation_failed").level, Level::Error);
    assert_eq!(
        f("ad_activated").kind,
        ReportFinding::AdActivated {
            activations: 1,
            clients: 1
        }
    );
    assert_eq!(f("ad_activated").level, Level::Ok);
    assert_eq!(
        f("avma_results").kind,
        ReportFinding::AvmaResults {
            activated: 1,
            failed: 1
        }
    );
    assert_eq!(f("avma_results").codes[0].to_string(), "0xC004FD01");
    assert_eq!(
        f("token_activated").kind,
        ReportFinding::TokenActivated { activations: 1 }
    );
    assert_eq!(f("acpi_key_warnings").level, Level::Ok);
    assert_eq!(
        f("routine_events").kind,
        ReportFinding::RoutineEvents {
            restarts_scheduled: 1,
            schedule_rechecks: 1
        }
    );
    // Noise stays out of `attention`.
    for quiet in [
        "ad_activated",
        "token_activated",
        "acpi_key_warnings",
        "routine_events",
    ] {
        assert!(!r.attention.contains(&quiet), "{quiet}");
    }
    // Per client: PC4 used the AD activation object "Windows Srv 2022".
    let pc4 = v.clients.iter().find(|c| c.computer == "PC4").unwrap();
    assert_eq!(pc4.ad_object.as_deref(), Some("Windows Srv 2022"));
    assert!(pc4.last_success.is_some());
    let office = v.events.iter().find(|e| e.event_id == 8233).unwrap();
    assert!(office.office && office.transient == Some(false));
    // Every format carries them.
    let text = render::text(&r);
    assert!(
        text.contains("Software Protection events per client"),
        "{text}"
    );
    assert!(
        text.contains("PC4") && text.contains("AD: Windows Srv 2022"),
        "{text}"
    );
    assert!(text.contains("(Office)"), "{text}");
    let md = render::markdown(&r);
    assert!(md.contains("| PC4 |"), "{md}");
    let nd = render::ndjson(&r);
    assert_eq!(nd.matches("\"type\":\"spp_event\"").count(), 12, "{nd}");
    assert!(nd.contains("\"type\":\"spp_client\""));
    let csv = render::csv(&r);
    assert!(csv.starts_with("time,computer,event_id,event,"), "{csv}");
    assert_eq!(csv.lines().count(), 13);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["spp"]["events_total"], 12);
    let zh = render::text(&report(
        &[xml(SPP, 12308, "PC4", t, &[sku, "W", dn])],
        Lang::ZhTw,
    ));
    assert!(zh.contains("各用戶端的軟體保護事件"), "{zh}");
}

#[test]
fn colliding_ids_from_other_providers_are_not_read() {
    // 1058 is also Group Policy's "processing of Group Policy failed"; 16384 and 12308 are
    // plain numbers other providers use.
    let log = [
        xml(
            "Microsoft-Windows-GroupPolicy",
            1058,
            "PC1",
            "2026-11-24T08:00:00Z",
            &["0x35"],
        ),
        xml("Userenv", 1058, "PC1", "2026-11-24T08:00:00Z", &["gpt.ini"]),
        xml(
            "Some-Other-Provider",
            16384,
            "PC1",
            "2026-11-24T08:00:00Z",
            &["x", "y"],
        ),
        xml(
            "Some-Other-Provider",
            12308,
            "PC1",
            "2026-11-24T08:00:00Z",
            &["x"],
        ),
    ]
    .concat();
    let r = report(&[log], Lang::En);
    assert!(r.spp.is_none());
    assert_eq!(r.stats.events_used, 0);
    assert_eq!(r.stats.records_skipped, 4);
}

/// The real 8198 pasted from Event Viewer's XML View (hr=0x800704CF at logon), with the
/// tree markers removed, then the same machine activated: transient.
#[test]
fn real_8198_xml_view_sample_then_activation_is_transient() {
    let Some(p) = common::shared("real/event-8198-xml-hr-0x800704CF.xml") else {
        return;
    };
    let raw = std::fs::read_to_string(p).unwrap();
    let body = raw.split_once('\n').unwrap().1;
    let event = body.trim().trim_start_matches("- ").replace(" - <", " <");
    let r = report(std::slice::from_ref(&event), Lang::En);
    let p = finding(&r, "slui_failures").expect("alone it is persistent");
    assert_eq!(p.codes[0].to_string(), "0x800704CF");
    assert_eq!(r.slui_failures[0].sku_id.as_deref(), Some(WIN_SKU));
    assert_eq!(r.slui_failures[0].trigger.as_deref(), Some("UserLogon"));
    let later = kms_activation("DESKTOP-B7DJOVT", "2025-08-30T04:10:00Z", WIN_SKU);
    let r = report(&[later, event], Lang::En);
    assert!(finding(&r, "slui_failures").is_none(), "{:?}", r.attention);
    assert_eq!(finding(&r, "slui_transient").unwrap().level, Level::Ok);
}

/// Real records of hayabusa-sample-evtx (8198 hr=0x80072EE7 and 8230) rebuilt as XML from their
/// JSON rendering: the 8230 says the machine is licensed for its SKU.
#[test]
fn real_8230_and_8198_json_samples() {
    let (Some(a), Some(b)) = (
        common::shared("real/event-8198-json-hayabusa-sample-evtx-hr-0x80072EE7.json"),
        common::shared("real/event-8230-json-evtx-hayabusa-sample.json"),
    ) else {
        return;
    };
    let as_xml = |p: std::path::PathBuf| {
        let raw = std::fs::read_to_string(p).unwrap();
        let body = raw.split_once('\n').unwrap().1;
        let j: serde_json::Value = serde_json::from_str(body).unwrap();
        let s = &j["system"];
        let data: Vec<&str> = j["event_data"]["Data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect();
        xml(
            s["provider"].as_str().unwrap(),
            u32::try_from(s["event_id"].as_u64().unwrap()).unwrap(),
            s["computer"].as_str().unwrap(),
            s["time_created"].as_str().unwrap(),
            &data,
        )
    };
    let r = report(&[as_xml(a), as_xml(b)], Lang::En);
    let v = r.spp.as_ref().unwrap();
    assert_eq!((v.count_of(8198), v.count_of(8230)), (1, 1));
    let ev = v.events.iter().find(|e| e.event_id == 8230).unwrap();
    assert_eq!(ev.detail.as_deref(), Some("SL_LICENSING_STATUS_LICENSED"));
    assert_eq!(
        ev.sku_id.as_deref(),
        Some("3f4c0546-36c6-46a8-a37f-be13cdd0cf25")
    );
    assert!(ev.routine);
    // Different machines: the 8198 stays persistent; the 8230 is routine.
    assert_eq!(
        finding(&r, "slui_failures").unwrap().codes[0].to_string(),
        "0x80072EE7"
    );
    assert_eq!(
        finding(&r, "routine_events").unwrap().kind,
        ReportFinding::RoutineEvents {
            restarts_scheduled: 0,
            schedule_rechecks: 1
        }
    );
}

/// The real cs-CZ Event Viewer copy of a 16384: its XML part is a routine restart.
#[test]
fn real_16384_cs_cz_copy_is_routine() {
    let Some(p) = common::shared("real/event-16384-cs-CZ-eventviewer-copy-text-with-xml.txt")
    else {
        return;
    };
    let raw = std::fs::read_to_string(p).unwrap();
    let xml_part = &raw[raw.find("<Event").unwrap()..];
    let r = report(&[xml_part.to_owned()], Lang::En);
    let v = r.spp.as_ref().unwrap();
    assert_eq!(v.count_of(16384), 1);
    let e = &v.events[0];
    assert_eq!(
        (e.event, e.detail.as_deref()),
        ("restart_scheduled", Some("RulesEngine"))
    );
    assert!(r.attention.is_empty(), "{:?}", r.attention);
    assert_eq!(finding(&r, "routine_events").unwrap().level, Level::Ok);
}

/// The real 12308 text of Microsoft Q&A 478271 (a WS2012R2 host whose count stays 0): the client
/// activated through AD, which the report says explains a KMS count that does not grow.
#[test]
fn real_12308_adba_success_explains_a_flat_kms_count() {
    let Some(p) = common::shared("real/event-12308-adba-success-and-kms-host-dlv-en.txt") else {
        return;
    };
    let raw = std::fs::read_to_string(p).unwrap();
    let msg = &raw[raw
        .find("Active Directory Activation has succeeded.")
        .unwrap()..];
    let data = volact_core::event::parse_info(12308, msg).unwrap();
    let mut ev = volact_core::event::Event::new(12308, data);
    ev.provider = Some(SPP.into());
    ev.computer = Some("client1".into());
    let mut an = Analyzer::new(Options::default());
    an.read(1);
    an.event(ev);
    let r = an.report(Lang::En);
    let v = r.spp.as_ref().unwrap();
    let e = &v.events[0];
    assert_eq!(
        e.detail.as_deref(),
        Some("Windows(R) Operating System, VOLUME_KMS_2012-R2_WIN10 channel")
    );
    let f = finding(&r, "ad_activated").unwrap();
    assert_eq!(
        f.kind,
        ReportFinding::AdActivated {
            activations: 1,
            clients: 1
        }
    );
    let s = phrases::phrase(&f.kind, Lang::En);
    assert!(
        s.contains("KMS count that does not grow is expected"),
        "{s}"
    );
}

#[test]
fn client_filter_applies_to_software_protection_events() {
    let t = "2026-11-24T08:00:00Z";
    let log = [
        xml(SPP, 12320, "PC1", t, &[WIN_SKU]),
        xml(SPP, 12320, "PC2.contoso.com", t, &[WIN_SKU]),
    ]
    .concat();
    let opts = Options {
        client: Some("pc2".into()),
        ..Options::default()
    };
    let mut an = Analyzer::new(opts);
    volact_events::source::read_stream("in.xml", log.as_bytes(), &mut an).unwrap();
    let r = an.report(Lang::En);
    let v = r.spp.as_ref().unwrap();
    assert_eq!(v.clients.len(), 1);
    assert_eq!(v.clients[0].computer, "PC2.contoso.com");
    assert_eq!(r.stats.records_skipped, 1);
}
