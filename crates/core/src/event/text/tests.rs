//! Tests of the text event reader.

use super::*;
use crate::code::ErrorCode;
use crate::event::LicenseState;

fn read(text: &str) -> (Vec<TextEvent>, TextEventReader) {
    let mut r = TextEventReader::new();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        r.push_line(line, i as u64 + 1, &mut out);
    }
    r.finish(&mut out);
    (out, r)
}

const CMID: &str = "5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11";
const ACT: &str = "2ffd8952-423e-4903-b993-72a1aa44cf82";

#[test]
fn event_viewer_copy_details_with_xml() {
    let text = format!(
        "Log Name:      Application\r
Source:        Microsoft-Windows-Security-SPP\r
Date:          11/24/2026 2:14:58 PM\r
Event ID:      12288\r
Task Category: None\r
Level:         Information\r
Keywords:      Classic\r
User:          N/A\r
Computer:      pc1.contoso.com\r
Description:\r
The client has sent an activation request to the key management service machine.\r
Info:\r
0xC004F06C, 0x0, kms01.contoso.com:1688, {CMID}, 2026/11/24 19:14, 0, 2, 43200, {ACT}, 25\r
Event Xml:\r
<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\r
  <EventData><Data>0xC004F06C, 0x0, kms01.contoso.com:1688, {CMID}, 2026/11/24 19:14, 0, 2, 43200, {ACT}, 25</Data></EventData>\r
  <EventData><Data>0x0, 25, pc1, {CMID}, 2026/11/24 19:14, 0, 1, 100, {ACT}</Data></EventData>\r
</Event>\r
Log Name:      Application\r
Source:        Microsoft-Windows-Security-SPP\r
Date:          11/24/2026 2:14:59 PM\r
Event ID:      12289\r
Computer:      pc1.contoso.com\r
Description:\r
The client has processed an activation response from the key management service machine.\r
Info:\r
0xC004F06C, 0x0, 0, 0, 26, 120, 10080, 2026/11/24 19:14\r
"
    );
    let (ev, r) = read(&text);
    assert_eq!(ev.len(), 2, "{ev:#?}");
    assert_eq!(ev[0].line, 1);
    let e = &ev[0].event;
    assert_eq!(e.id, 12288);
    assert_eq!(e.channel.as_deref(), Some("Application"));
    assert_eq!(
        e.provider.as_deref(),
        Some("Microsoft-Windows-Security-SPP")
    );
    assert_eq!(e.time.unwrap().to_string(), "2026-11-24T14:14:58");
    let EventData::ClientRequest(c) = &e.data else {
        panic!()
    };
    assert_eq!(c.code, Some(ErrorCode::new(0xC004_F06C)));
    assert_eq!(c.license_state, Some(LicenseState::OobGrace));
    assert_eq!(ev[1].line, 19);
    let EventData::ClientResponse(c) = &ev[1].event.data else {
        panic!()
    };
    assert_eq!(c.current_count, Some(26));
    assert!(r.problems().is_empty());
}

#[test]
fn support_article_host_block_and_dns() {
    let text = format!(
        "Log Name: Key Management Service
Source: Microsoft-Windows-Security-Licensing-SLC
Event ID: 12290
Level: Information
Description:
An activation request has been processed.
Info: 0xC004F042, 25, pc7.contoso.com, {CMID}, 2026/11/24 9:30, 0, 2, 0, {ACT}

Log Name: Application
Source: Microsoft-Windows-Security-Licensing-SLC
Event ID: 12293
Description:
Publishing the Key Management Service (KMS) to DNS in the 'contoso.com' domain failed.
Info:
0x8007232B
"
    );
    let (ev, _) = read(&text);
    assert_eq!(ev.len(), 2, "{ev:#?}");
    let EventData::HostRequest(h) = &ev[0].event.data else {
        panic!()
    };
    assert_eq!(h.client.as_deref(), Some("pc7.contoso.com"));
    assert_eq!(
        ev[0].event.channel.as_deref(),
        Some("Key Management Service")
    );
    assert_eq!(
        ev[1].event.data,
        EventData::DnsPublishFailed(DnsPublish {
            code: Some(ErrorCode::new(0x8007_232B)),
            domain: Some("contoso.com".into())
        })
    );
}

#[test]
fn zh_tw_labels() {
    let text = format!(
        "記錄檔名稱:    Application\n來源:          Microsoft-Windows-Security-SPP\n日期:          2026/11/24 下午 02:14:58\n\
         事件識別碼:    12288\n電腦:          pc2\n描述:\n用戶端已傳送啟用要求。\nInfo:\n\
         0x0, 0x0, kms:1688, {CMID}, 2026/11/24 14:14, 0, 1, 259200, {ACT}, 25\n"
    );
    let (ev, _) = read(&text);
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].event.time.unwrap().to_string(), "2026-11-24T14:14:58");
    assert_eq!(ev[0].event.computer.as_deref(), Some("pc2"));
}

#[test]
fn bare_lines_and_8198() {
    let text = format!(
        "2026-11-24 10:00:01 INFO kms: 0x0, 0x0, kms01:1688, {CMID}, 2026/11/24 10:00, 0, 1, 259200, {ACT}, 25
noise line, with, commas, that, are, not, an, event
0xC004F038, 25, pc3, {CMID}, 2026/11/24 10:00, 1, 2, 1000, {ACT}
0x0, 0x0, 1, 0, 25, 120, 10080, 2026/11/24 10:00
License Activation (slui.exe) failed with the following error code:
hr=0xC004F074
Command-line arguments:
RuleId=eeba1977-569e-4571-b639-7623d8bfecc0;Action=AutoActivate;AppId=55c92734-d682-4d71-983e-d6ec3f16059f;SkuId=1cb6d605-11b3-4e14-bb30-da91c8e3983a;NotificationInterval=1440;Trigger=TimerEvent
Publishing the Key Management Service (KMS) to DNS in the 'corp.example' domain failed.
Info: 0x80072338
"
    );
    let (ev, _) = read(&text);
    let ids: Vec<(u64, u32)> = ev.iter().map(|e| (e.line, e.event.id)).collect();
    assert_eq!(
        ids,
        [(1, 12288), (3, 12290), (4, 12289), (6, 8198), (9, 12293)]
    );
    let EventData::SluiFailed(s) = &ev[3].event.data else {
        panic!()
    };
    assert_eq!(s.code, Some(ErrorCode::new(0xC004_F074)));
    assert_eq!(s.action.as_deref(), Some("AutoActivate"));
    let EventData::DnsPublishFailed(d) = &ev[4].event.data else {
        panic!()
    };
    assert_eq!(d.domain.as_deref(), Some("corp.example"));
}

#[test]
fn other_providers_and_junk_are_ignored() {
    let text = "Log Name: System\nSource: Service Control Manager\nEvent ID: 7036\nDescription:\n\
                The sppsvc service entered the running state. 0xC004F074\n\
                junk ,,,,,,,, 0x 0x0 0xzz\n\u{feff}Event ID: banana\nInfo:\n\n";
    let (ev, r) = read(text);
    assert!(ev.is_empty(), "{ev:#?}");
    assert!(r.problems().is_empty());
    // The 7036 header is an event of another provider; "banana" is no event ID.
    assert_eq!(r.other_events(), 1);
}

#[test]
fn broken_info_is_a_problem_not_an_event() {
    let text = "Source: Security-SPP\nEvent ID: 12290\nInfo:\n0x0, lots, pc\n";
    let (ev, r) = read(text);
    assert!(ev.is_empty());
    assert_eq!(r.problem_count(), 1);
    assert_eq!(r.problems()[0].line, 1);
    assert!(
        r.problems()[0].reason.contains("field 1"),
        "{:?}",
        r.problems()
    );
    let zh = r.problems()[0].message(crate::Lang::ZhTw);
    assert!(zh.contains("欄位 1") && zh.contains("事件 12290"), "{zh}");
    assert!(
        !zh.contains("is not valid") && zh.contains("最低計數"),
        "{zh}"
    );
}

#[test]
fn other_spp_event_keeps_codes() {
    let text = "Source: Microsoft-Windows-Security-SPP\nEvent ID: 16394\nDescription:\nOffline downlevel migration succeeded 0xC004F034.\n";
    let (ev, _) = read(text);
    assert_eq!(
        ev[0].event.data,
        EventData::Other {
            codes: vec![ErrorCode::new(0xC004_F034)]
        }
    );
}

#[test]
fn enormous_lines_are_bounded() {
    let mut r = TextEventReader::new();
    let mut out = Vec::new();
    r.push_line("Source: Security-SPP", 1, &mut out);
    r.push_line("Event ID: 1003", 2, &mut out);
    r.push_line("Description:", 3, &mut out);
    let big = "0xC004F014 ".repeat(100_000);
    for i in 0..50 {
        r.push_line(&big, 4 + i, &mut out);
    }
    let pending = r.pending.as_ref().unwrap();
    assert!(pending.description.len() <= MAX_DESCRIPTION);
    r.finish(&mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].event.data.codes(), [ErrorCode::new(0xC004_F014)]);
}

/// `wevtutil qe /f:text` of a 12288 and a 12289, with header labels and message words of
/// `lang` (0 English; 1 German, translated by us: wevtutil takes them from its .mui file, in
/// the same order).
fn wevtutil(lang: usize) -> String {
    let labels = [
        [
            "Log Name",
            "Source",
            "Date",
            "Event ID",
            "Task",
            "Level",
            "Opcode",
            "Keyword",
            "User",
            "User Name",
            "Computer",
            "Description",
            "Info",
        ],
        [
            "Protokollname",
            "Quelle",
            "Datum",
            "Ereignis-ID",
            "Aufgabe",
            "Ebene",
            "Opcode",
            "Schlüsselwort",
            "Benutzer",
            "Benutzername",
            "Computer",
            "Beschreibung",
            "Informationen",
        ],
    ][lang];
    let records = [
        (
            "2026-11-24T14:14:58.123",
            12288,
            format!(
                "0xC004F074, 0x0, kms01.contoso.com:1688, {CMID}, 2026/11/24 14:14, 0, 2, 43200, {ACT}, 25"
            ),
        ),
        (
            "2026-11-24T14:15:02.000",
            12289,
            "0xC004F074, 0x0, 0, 0, 0, 120, 10080, 2026/11/24 14:15".to_owned(),
        ),
    ];
    let mut s = String::new();
    for (i, (date, id, info)) in records.iter().enumerate() {
        let values = [
            "Application",
            "Microsoft-Windows-Security-SPP",
            date,
            &id.to_string(),
            "N/A",
            "Information",
            "N/A",
            "Classic",
            "N/A",
            "N/A",
            "pc1.contoso.com",
            "",
        ];
        s.push_str(&format!("Event[{i}]:\n"));
        for (l, v) in labels.iter().zip(values) {
            s.push_str(&format!("  {l}: {v}\n"));
        }
        s.push_str(&format!("(message text)\n{}:\n{info}\n\n", labels[12]));
    }
    s
}

#[test]
fn wevtutil_text_in_any_language_gives_the_same_events() {
    let (en, r_en) = read(&wevtutil(0));
    let (de, r_de) = read(&wevtutil(1));
    assert!(r_en.problems().is_empty() && r_de.problems().is_empty());
    assert_eq!(en.len(), 2, "{en:#?}");
    let ev: Vec<_> = en.iter().map(|e| &e.event).collect();
    let ev_de: Vec<_> = de.iter().map(|e| &e.event).collect();
    assert_eq!(ev, ev_de);
    let e = &en[0].event;
    assert_eq!((e.id, en[0].line), (12288, 1));
    assert_eq!(e.channel.as_deref(), Some("Application"));
    assert_eq!(e.computer.as_deref(), Some("pc1.contoso.com"));
    assert_eq!(e.time.unwrap().to_string(), "2026-11-24T14:14:58");
    let EventData::ClientRequest(c) = &e.data else {
        panic!("{e:?}")
    };
    assert_eq!(c.code, Some(ErrorCode::new(0xC004_F074)));
    assert_eq!(c.min_count, Some(25));
    assert_eq!(en[1].event.id, 12289);
    assert!(en.iter().all(|e| e.redacted.is_none()));
}

#[test]
fn placeholders_are_read_as_absent_and_marked() {
    let text = "0xC004F06C,5,<KMS Client name>,36f27b39-2fd5-440b-be67-a09996d27a38,<DateTime>,0,2,41520,68531fb9-5511-4989-97be-d11a0f55633f
0xC004F074, 0x00000000, kms.example:1688, <CMID>, 2010/09/29 17:52, 0, 2, 41760, xxxx, 5
0x0, ***, ***, ***, ***, ***, ***, ***, ***
";
    let (ev, r) = read(text);
    assert!(r.problems().is_empty(), "{:?}", r.problems());
    assert_eq!(ev.len(), 2, "{ev:#?}");
    assert_eq!(ev[0].redacted, Some(Redaction::Placeholder));
    let EventData::HostRequest(h) = &ev[0].event.data else {
        panic!()
    };
    assert_eq!((h.client.as_deref(), h.client_time), (None, None));
    assert_eq!(h.min_count, Some(5));
    assert_eq!(h.minutes_to_expiry, Some(41520));
    let EventData::ClientRequest(c) = &ev[1].event.data else {
        panic!()
    };
    assert_eq!(
        (c.cmid.as_deref(), c.activation_id.as_deref()),
        (None, None)
    );
    assert_eq!(c.code, Some(ErrorCode::new(0xC004_F074)));
    assert_eq!(ev[1].redacted, Some(Redaction::Placeholder));
}

#[test]
fn redacted_info_in_a_header_block_is_marked() {
    let text = "Log Name: Application\nSource: Microsoft-Windows-Security-SPP\nEvent ID: 12288\n\
                Description:\nThe client has sent an activation request.\nInfo:\n\
                0xC004F06C, 0x00000000, <KMS Host FQDN>:1688, 36f27b39-2fd5-440b-be67-a09996d27a38, 2010/09/29 17:52, 0, 2, 41760, 68531fb9-5511-4989-97be-d11a0f55633f, 5\n";
    let (ev, _) = read(text);
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].redacted, Some(Redaction::Placeholder));
    let EventData::ClientRequest(c) = &ev[0].event.data else {
        panic!()
    };
    assert_eq!(c.kms, None);
    assert_eq!(c.min_count, Some(5));
}
