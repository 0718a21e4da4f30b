//! The Software Protection events beyond 12288-12294 (8196, 8230, 8233, 1058, 16384, 12308,
//! 8213-8215, 12309, 12310, 12320): their payloads in every shape a reader hands over (separate
//! Data items, the rendered message, one item joined with ", "), and `volact explain <id>`.

use volact_core::event::{
    AdActivation, Avma, EventData, OFFICE_APP_ID, SPP_IDS, SppEvent, TYPED_IDS, Timestamp,
    VlFailure, parse_data, parse_info,
};
use volact_core::explain::explain;
use volact_core::{ErrorCode, Form, Lang};

const SKU: &str = "2ffd8952-423e-4903-b993-72a1aa44cf82";
const KMS_ID: &str = "bbb97b3b-8ca4-4a28-9717-89fabd42c4ac";
const DN: &str = "CN=Windows Srv 2012R2,CN=Activation Objects,CN=Microsoft SPP,CN=Services,CN=Configuration,DC=contoso,DC=com";

fn spp(d: EventData) -> SppEvent {
    match d {
        EventData::Spp(s) => s,
        other => panic!("not an SPP event: {other:?}"),
    }
}

fn data(id: u32, items: &[&str]) -> SppEvent {
    spp(parse_data(id, items).unwrap())
}

fn info(id: u32, text: &str) -> SppEvent {
    spp(parse_info(id, text).unwrap())
}

#[test]
fn spp_ids_are_not_read_without_a_provider() {
    // 1058 is also a Group Policy event, 16384 and others are common numbers: none of these IDs
    // may be taken as activation events when the provider is unknown.
    for id in SPP_IDS {
        assert!(!TYPED_IDS.contains(&id), "{id}");
    }
}

#[test]
fn adba_12308_from_items_message_and_joined() {
    let want = SppEvent::AdActivated(AdActivation {
        sku_id: Some(SKU.into()),
        ao_name: Some("Windows(R) Operating System, VOLUME_KMS_2012-R2_WIN10 channel".into()),
        ao_dn: Some(DN.into()),
        ..AdActivation::default()
    });
    let name = "Windows(R) Operating System, VOLUME_KMS_2012-R2_WIN10 channel";
    let upper = SKU.to_uppercase();
    let braced = format!("{{{upper}}}");
    assert_eq!(data(12308, &[&braced, name, DN]), want);
    let msg = format!(
        "Active Directory Activation has succeeded.\nSku Id = {SKU}\nAO name = {name}\nAO DN = {DN}"
    );
    assert_eq!(info(12308, &msg), want);
    // EvtxECmd / Wazuh: one item, joined with ", " (the AO name has a ", " of its own).
    let joined = format!("{SKU}, {name}, {DN}");
    assert_eq!(data(12308, &[&joined]), want);
}

#[test]
fn adba_failures_8213_8214_8215() {
    let SppEvent::AdObjectNotRetrieved(a) = data(8213, &["0x80072030", KMS_ID]) else {
        panic!()
    };
    assert_eq!(a.code, Some(ErrorCode::new(0x8007_2030)));
    assert_eq!(a.kms_id.as_deref(), Some(KMS_ID));
    let msg = format!(
        "Active Directory Activation Object is not usable.\nError Code = 0xC004F081\nKms Id = {KMS_ID}\nAO Name = Office 2016\nAO DN = {DN}"
    );
    let SppEvent::AdObjectNotUsable(a) = info(8214, &msg) else {
        panic!()
    };
    assert_eq!(
        (
            a.code,
            a.kms_id.as_deref(),
            a.ao_name.as_deref(),
            a.ao_dn.as_deref()
        ),
        (
            Some(ErrorCode::new(0xC004_F081)),
            Some(KMS_ID),
            Some("Office 2016"),
            Some(DN)
        )
    );
    let SppEvent::AdActivationFailed(a) = data(8215, &["0xC004F083", SKU]) else {
        panic!()
    };
    assert_eq!(a.code, Some(ErrorCode::new(0xC004_F083)));
    assert_eq!(a.sku_id.as_deref(), Some(SKU));
    assert_eq!(a.kms_id, None);
}

#[test]
fn rules_engine_8233_marks_office() {
    let want = SppEvent::VlActivationFailed(VlFailure {
        reason: Some(ErrorCode::new(0x8007_007B)),
        app_id: Some(OFFICE_APP_ID.into()),
        sku_id: Some(SKU.into()),
        trigger: Some("TimerEvent".into()),
    });
    assert_eq!(
        data(8233, &["0x8007007B", OFFICE_APP_ID, SKU, "TimerEvent"]),
        want
    );
    let msg = format!(
        "The rules engine reported a failed VL activation attempt.\nReason:0x8007007B\nAppId = {OFFICE_APP_ID}, SkuId = {SKU}\nTrigger=TimerEvent"
    );
    let got = info(8233, &msg);
    assert_eq!(got, want);
    let SppEvent::VlActivationFailed(v) = got else {
        panic!()
    };
    assert!(v.is_office());
    assert_eq!(
        got_code(&SppEvent::VlActivationFailed(v)),
        Some(0x8007_007B)
    );
}

fn got_code(s: &SppEvent) -> Option<u32> {
    s.code().map(ErrorCode::value)
}

#[test]
fn avma_12309_12310_and_token_12320() {
    let SppEvent::AvmaResponse(a) = data(12309, &["0x0", "AVMA guest detail"]) else {
        panic!()
    };
    assert_eq!(
        a,
        Avma {
            code: Some(ErrorCode::new(0)),
            detail: Some("AVMA guest detail".into())
        }
    );
    assert!(SppEvent::AvmaResponse(a).is_success());
    let msg = "An Automatic VM activation request has been processed.\nReturned hr=0xC004FD01\nguest vm01";
    let SppEvent::AvmaRequest(a) = info(12310, msg) else {
        panic!()
    };
    assert_eq!(a.code, Some(ErrorCode::new(0xC004_FD01)));
    assert_eq!(a.detail.as_deref(), Some("guest vm01"));
    let t = info(
        12320,
        &format!("Token-based Activation has succeeded.\nSku Id={SKU}"),
    );
    assert_eq!(
        t,
        SppEvent::TokenActivated {
            sku_id: Some(SKU.into())
        }
    );
    assert!(t.is_success());
}

#[test]
fn routine_8230_16384_1058_8196() {
    // The real 8230 of hayabusa-sample-evtx (one Data item).
    let item = "Security-SPP-Action-StateData (REG_SZ) =AppId=55c92734-d682-4d71-983e-d6ec3f16059f;GraceEndDate=2024/02/03:22:33:07;LastConsumptionReason=0x4004fc04;LastNotificationId=Cleanup;LicenseState=SL_LICENSING_STATUS_LICENSED;PartialProductKey=YG9R6;ProductKeyType=Retail:TB:Eval;SkuId=3f4c0546-36c6-46a8-a37f-be13cdd0cf25;ruleId=379cccfb-d4e0-48fe-b0f2-0136097be147;uxDifferentiator=TIMEBASED_EVAL";
    let s = data(8230, &[item]);
    let SppEvent::ScheduleReevaluated(r) = &s else {
        panic!()
    };
    assert_eq!(
        r.sku_id.as_deref(),
        Some("3f4c0546-36c6-46a8-a37f-be13cdd0cf25")
    );
    assert_eq!(r.partial_key.as_deref(), Some("YG9R6"));
    assert_eq!(r.product_key_type.as_deref(), Some("Retail:TB:Eval"));
    assert_eq!(r.grace_end.as_deref(), Some("2024/02/03:22:33:07"));
    assert_eq!(r.last_reason, Some(ErrorCode::new(0x4004_FC04)));
    assert!(r.is_licensed() && s.is_success());
    // 16384 from its two Data items, and from the rendered English message.
    let want = SppEvent::RestartScheduled {
        at: Timestamp::parse("2018-03-06T15:17:47Z"),
        reason: Some("RulesEngine".into()),
    };
    assert_eq!(data(16384, &["2018-03-06T15:17:47Z", "RulesEngine"]), want);
    assert_eq!(
        info(
            16384,
            "Successfully scheduled Software Protection service for re-start at 2018-03-06T15:17:47Z. Reason: RulesEngine."
        ),
        want
    );
    assert_eq!(
        data(1058, &["0xC004F057"]),
        SppEvent::AcpiKeyFailed {
            code: Some(ErrorCode::new(0xC004_F057))
        }
    );
    assert_eq!(
        info(
            8196,
            "License Activation Scheduler (sppuinotify.dll) was not able to automatically activate.  Error code:\n0x8007232B"
        ),
        SppEvent::AutoActivationFailed {
            code: Some(ErrorCode::new(0x8007_232B))
        }
    );
}

#[test]
fn empty_and_odd_payloads_give_empty_facts_not_errors() {
    for id in SPP_IDS {
        let d = parse_data(id, &[]).unwrap();
        assert!(matches!(d, EventData::Spp(_)), "{id}");
        assert!(d.codes().is_empty(), "{id}");
        for junk in [
            "hr=",
            "Sku Id =",
            "=;=;",
            "檔案, , ,",
            "0x, {",
            &"x".repeat(5000),
        ] {
            let d = parse_info(id, junk).unwrap();
            assert!(matches!(d, EventData::Spp(_)), "{id} {junk:.20}");
        }
    }
}

#[test]
fn explain_names_each_new_event_in_both_languages() {
    let cases: [(u32, &str, &str); 12] = [
        (8196, "scheduler", "排程器"),
        (8230, "re-checked", "重新評估"),
        (8233, "volume-license", "大量授權"),
        (1058, "firmware", "韌體"),
        (16384, "restart", "重新啟動"),
        (12308, "Active Directory", "Active Directory"),
        (8213, "could not be read", "無法從"),
        (8214, "not usable", "無法使用"),
        (8215, "failed", "失敗"),
        (12309, "Automatic VM Activation", "自動虛擬機器啟用"),
        (12310, "Hyper-V host", "Hyper-V 主機"),
        (12320, "token-based", "權杖型"),
    ];
    for (id, en, zh) in cases {
        let (code, form) = ErrorCode::parse_with_form(&id.to_string()).unwrap();
        assert_eq!(form, Form::Win32Decimal);
        let e = explain(code, form, Lang::En);
        let ev = e.event.as_ref().unwrap_or_else(|| panic!("{id}"));
        assert_eq!(u32::from(ev.id), id);
        assert_eq!(ev.source, "Microsoft-Windows-Security-SPP");
        assert_eq!(ev.log, "Application");
        assert!(ev.read_by_volact_events, "{id}");
        assert!(ev.title.contains(en), "{id}: {}", ev.title);
        assert!(e.summary.contains("not an error code"), "{}", e.summary);
        let z = explain(code, form, Lang::ZhTw);
        let zev = z.event.as_ref().unwrap();
        assert!(zev.title.contains(zh), "{id}: {}", zev.title);
        assert!(
            zev.where_to_look.contains("應用程式"),
            "{}",
            zev.where_to_look
        );
    }
    // 8233 names the Office AppId; 12308 says the KMS host's count does not grow.
    let e = explain(ErrorCode::from_win32(8233), Form::Win32Decimal, Lang::En);
    assert!(e.event.unwrap().records.contains(OFFICE_APP_ID));
    let e = explain(ErrorCode::from_win32(12308), Form::Win32Decimal, Lang::En);
    assert!(e.event.unwrap().records.contains("count does not grow"));
    // 12310 is logged on the Hyper-V host.
    let e = explain(ErrorCode::from_win32(12310), Form::Win32Decimal, Lang::En);
    assert!(
        e.event
            .unwrap()
            .where_to_look
            .starts_with("On the Hyper-V host")
    );
    // 1058 keeps its Win32 reading second: ERROR_SERVICE_DISABLED, which the knowledge base
    // explains (0x80070422), so the second reading is that entry's message.
    let e = explain(ErrorCode::from_win32(1058), Form::Win32Decimal, Lang::En);
    assert_eq!(e.code, ErrorCode::from_win32(1058));
    assert_eq!(e.name, Some("ERROR_SERVICE_DISABLED"));
    assert!(e.event.unwrap().as_win32.contains("disabled"));
}

#[test]
fn event_viewer_copy_of_12308_and_16384_is_read_by_the_text_reader() {
    use volact_core::event::text::TextEventReader;
    let copy = format!(
        "Log Name:      Application\nSource:        Microsoft-Windows-Security-SPP\nDate:          2026/11/24 8:00:00\nEvent ID:      12308\nTask Category: None\nLevel:         Information\nComputer:      pc1.contoso.com\nDescription:\nActive Directory Activation has succeeded.\nSku Id = {SKU}\nAO name = Windows Srv 2022\nAO DN = {DN}\n\nLog Name:      Application\nSource:        Microsoft-Windows-Security-SPP\nDate:          2026/11/24 8:01:00\nEvent ID:      16384\nComputer:      pc1.contoso.com\nDescription:\nSuccessfully scheduled Software Protection service for re-start at 2026-11-25T08:00:00Z. Reason: RulesEngine.\n\nLog Name:      Application\nSource:        Microsoft-Windows-GroupPolicy\nEvent ID:      1058\nDescription:\nThe processing of Group Policy failed.\n"
    );
    let mut r = TextEventReader::new();
    let mut out = Vec::new();
    for (i, l) in copy.lines().enumerate() {
        r.push_line(l, i as u64 + 1, &mut out);
    }
    r.finish(&mut out);
    let ids: Vec<u32> = out.iter().map(|e| e.event.id).collect();
    assert_eq!(ids, [12308, 16384], "Group Policy's 1058 is not read");
    let EventData::Spp(SppEvent::AdActivated(a)) = &out[0].event.data else {
        panic!("{:?}", out[0].event.data)
    };
    assert_eq!(a.sku_id.as_deref(), Some(SKU));
    assert_eq!(a.ao_name.as_deref(), Some("Windows Srv 2022"));
    assert_eq!(a.ao_dn.as_deref(), Some(DN));
    let EventData::Spp(SppEvent::RestartScheduled { at, reason }) = &out[1].event.data else {
        panic!()
    };
    assert_eq!(*at, Timestamp::parse("2026-11-25T08:00:00Z"));
    assert_eq!(reason.as_deref(), Some("RulesEngine"));
}
