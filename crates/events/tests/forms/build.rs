//! Four events (a host's 12290 in the 10-item layout, a client's 12288 and 12289, an 8198)
//! written in each form the tools give them in, and the test that every form reads the same.

use serde_json::{Value, json};
use volact_events::forms::Form;

use super::{meaning, read};

pub(crate) const CMID: &str = "5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11";
pub(crate) const ACT: &str = "2ffd8952-423e-4903-b993-72a1aa44cf82";
const SPP_GUID: &str = "{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}";

/// One event as Windows stores it.
pub(crate) struct Ev {
    pub(crate) id: u32,
    pub(crate) source: &'static str,
    pub(crate) channel: &'static str,
    pub(crate) computer: &'static str,
    pub(crate) time: &'static str,
    pub(crate) record: u64,
    pub(crate) items: Vec<String>,
    /// The message Event Viewer and wevtutil show, in English and French (the Info list or
    /// the `hr=` lines after it).
    pub(crate) message: [String; 2],
}

pub(crate) fn events() -> Vec<Ev> {
    let host: Vec<String> = [
        "0x0",
        "25",
        "pc7.contoso.com",
        CMID,
        "2026/11/24 9:30",
        "0",
        "1",
        "259200",
        ACT,
    ]
    .map(str::to_owned)
    .to_vec();
    let joined = host.join(",");
    let mut host_items = vec![joined.clone()];
    host_items.extend(host);
    let request = format!(
        "0xC004F074, 0x0, kms01.contoso.com:1688, {CMID}, 2026/11/24 9:29, 0, 2, 43200, {ACT}, 25"
    );
    let response = "0xC004F074, 0x0, 0, 0, 0, 120, 10080, 2026/11/24 9:29".to_owned();
    let rule = format!(
        "RuleId=eeba1977-569e-4571-b639-7623d8bfecc0;Action=AutoActivate;AppId=55c92734-d682-4d71-983e-d6ec3f16059f;SkuId={ACT};NotificationInterval=1440;Trigger=TimerEvent"
    );
    vec![
        Ev {
            id: 12290,
            source: "KmsRequests",
            channel: "Key Management Service",
            computer: "kms01.contoso.com",
            time: "2026-11-24T09:30:12",
            record: 77,
            items: host_items,
            message: [
                format!("An activation request has been processed.\nInfo:\n{joined}"),
                format!("Une demande d’activation a été traitée.\nInformations :\n{joined}"),
            ],
        },
        Ev {
            id: 12288,
            source: "Software Protection Platform Service",
            channel: "Application",
            computer: "pc1.contoso.com",
            time: "2026-11-24T09:29:40",
            record: 501,
            items: vec![request.clone()],
            message: [
                format!(
                    "The client has sent an activation request to the key management service machine.\nInfo:\n{request}"
                ),
                format!("Le client a envoyé une demande d’activation.\nInformations :\n{request}"),
            ],
        },
        Ev {
            id: 12289,
            source: "Software Protection Platform Service",
            channel: "Application",
            computer: "pc1.contoso.com",
            time: "2026-11-24T09:29:41",
            record: 502,
            items: vec![response.clone()],
            message: [
                format!(
                    "The client has processed an activation response from the key management service machine.\nInfo:\n{response}"
                ),
                format!("Le client a traité une réponse d’activation.\nInformations :\n{response}"),
            ],
        },
        Ev {
            id: 8198,
            source: "Software Protection Platform Service",
            channel: "Application",
            computer: "pc1.contoso.com",
            time: "2026-11-24T09:29:42",
            record: 503,
            items: vec!["hr=0xC004F074".to_owned(), rule.clone()],
            message: [
                format!(
                    "License Activation (slui.exe) failed with the following error code:\nhr=0xC004F074\nCommand-line arguments:\n{rule}"
                ),
                format!(
                    "Échec de l’activation de licence (slui.exe) avec le code d’erreur suivant :\nhr=0xC004F074\nArguments de ligne de commande :\n{rule}"
                ),
            ],
        },
    ]
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// One `<Event>`; `marks` writes Event Viewer's XML View tree markers (`- `) on its own lines.
pub(crate) fn event_xml(e: &Ev, marks: bool) -> String {
    let (m, nl) = if marks { ("- ", "\n") } else { ("", "") };
    let pad = if marks { "  " } else { "" };
    let mut s = format!(
        "{m}<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">{nl}{m}<System>{nl}\
         {pad}<Provider Name=\"Microsoft-Windows-Security-SPP\" Guid=\"{SPP_GUID}\" EventSourceName=\"{}\" />{nl}\
         {pad}<EventID Qualifiers=\"16384\">{}</EventID>{nl}{pad}<Level>4</Level>{nl}\
         {pad}<Keywords>0x80000000000000</Keywords>{nl}{pad}<TimeCreated SystemTime=\"{}.0000000Z\" />{nl}\
         {pad}<EventRecordID>{}</EventRecordID>{nl}{pad}<Channel>{}</Channel>{nl}\
         {pad}<Computer>{}</Computer>{nl}{pad}<Security />{nl}{pad}</System>{nl}{m}<EventData>{nl}",
        e.source, e.id, e.time, e.record, e.channel, e.computer
    );
    for it in &e.items {
        s.push_str(&format!("{pad}<Data>{}</Data>{nl}", esc(it)));
    }
    s.push_str(&format!("{pad}</EventData>{nl}{pad}</Event>\n"));
    s
}

/// `wevtutil qe … /f:xml`: events one after another, no root.
pub(crate) fn wevtutil_xml() -> String {
    events().iter().map(|e| event_xml(e, false)).collect()
}

/// EvtxECmd `--xml`: whole events, with all insertion strings joined with ", " in one `<Data>`
/// and an empty `<Binary>` (EvtxECmd's own rendering of classic events).
pub(crate) fn evtxecmd_xml() -> String {
    events()
        .into_iter()
        .map(|mut e| {
            e.items = vec![e.items.join(", ")];
            event_xml(&e, false).replace("</EventData>", "<Binary></Binary></EventData>")
        })
        .collect()
}

/// Event Viewer "Save as XML": an `<Events>` root.
pub(crate) fn saved_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Events>\n{}</Events>\n",
        wevtutil_xml()
    )
}

/// Event Viewer's XML View, copied with its markers, one event after another.
pub(crate) fn xml_view_paste() -> String {
    events().iter().map(|e| event_xml(e, true) + "\n").collect()
}

/// `wevtutil qe … /f:text`, with the header labels of `lang` (0 English, 1 French).
pub(crate) fn wevtutil_text(lang: usize) -> String {
    // French as we translate it (wevtutil takes its labels from its .mui file), with the
    // space French puts before a colon.
    let labels: Vec<&str> = [
        "Log Name|Source|Date|Event ID|Task|Level|Opcode|Keyword|User|User Name|Computer|Description",
        "Nom du journal |Source |Date |ID de l’événement |Tâche |Niveau |Opcode |Mot clé |Utilisateur |Nom d’utilisateur |Ordinateur |Description ",
    ][lang]
        .split('|')
        .collect();
    let mut s = String::new();
    for (i, e) in events().iter().enumerate() {
        let values = [
            e.channel.to_owned(),
            "Microsoft-Windows-Security-SPP".to_owned(),
            // Newer wevtutil writes UTC with a `Z`, older ones local time without.
            format!("{}.000{}", e.time, if lang == 1 { "Z" } else { "" }),
            e.id.to_string(),
            "N/A".into(),
            "Information".into(),
            "N/A".into(),
            "Classic".into(),
            "N/A".into(),
            "N/A".into(),
            e.computer.to_owned(),
            String::new(),
        ];
        s.push_str(&format!("Event[{i}]:\r\n"));
        for (l, v) in labels.iter().zip(values) {
            s.push_str(&format!("  {l}: {v}\r\n"));
        }
        s.push_str(&e.message[lang].replace('\n', "\r\n"));
        s.push_str("\r\n\r\n");
    }
    s
}

fn data_json(items: &[String]) -> Value {
    match items {
        [one] => json!({ "Data": { "#text": one } }),
        _ => json!({ "Data": { "#text": items } }),
    }
}

/// The `Event` object `evtx_dump` writes for a record.
fn evtx_dump_object(e: &Ev) -> Value {
    json!({"Event": {
        "#attributes": {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"},
        "System": {
            "Provider": {"#attributes": {"Name": "Microsoft-Windows-Security-SPP", "Guid": SPP_GUID, "EventSourceName": e.source}},
            "EventID": {"#attributes": {"Qualifiers": 16384}, "#text": e.id},
            "Version": 0, "Level": 4, "Task": 0, "Opcode": 0, "Keywords": "0x80000000000000",
            "TimeCreated": {"#attributes": {"SystemTime": format!("{}.0000000Z", e.time)}},
            "EventRecordID": e.record, "Correlation": null,
            "Execution": {"#attributes": {"ProcessID": 0, "ThreadID": 0}},
            "Channel": e.channel, "Computer": e.computer, "Security": null
        },
        "EventData": data_json(&e.items)
    }})
}

/// `evtx_dump -o json`: "Record N" then the object, pretty-printed.
pub(crate) fn evtx_dump_json() -> String {
    events()
        .iter()
        .map(|e| {
            format!(
                "Record {}\n{}\n",
                e.record,
                serde_json::to_string_pretty(&evtx_dump_object(e)).unwrap()
            )
        })
        .collect()
}

/// `evtx_dump -o jsonl`: one object a line.
pub(crate) fn evtx_dump_jsonl() -> String {
    events()
        .iter()
        .map(|e| format!("{}\n", evtx_dump_object(e)))
        .collect()
}

/// EvtxECmd's payload: the EventData as JSON, classic insertion strings joined with ", ".
fn evtxecmd_payload(e: &Ev) -> String {
    json!({"EventData": {"Data": e.items.join(", "), "Binary": ""}}).to_string()
}

/// EvtxECmd `--json`: JSON Lines.
pub(crate) fn evtxecmd_json() -> String {
    events()
        .iter()
        .map(|e| {
            let v = json!({
                "PayloadData1": "", "PayloadData2": "", "UserName": "", "RemoteHost": "",
                "ExecutableInfo": "", "MapDescription": "",
                "ChunkNumber": 0, "Computer": e.computer,
                "Payload": evtxecmd_payload(e),
                "Channel": e.channel, "Provider": "Microsoft-Windows-Security-SPP",
                "EventId": e.id, "EventRecordId": e.record.to_string(),
                "ProcessId": 0, "ThreadId": 0, "Level": "Info", "Keywords": "Classic",
                "SourceFile": "C:\\Temp\\Application.evtx", "ExtraDataOffset": 0,
                "HiddenRecord": false,
                "TimeCreated": format!("{}.0000000+00:00", e.time),
                "RecordNumber": e.record
            });
            format!("{v}\n")
        })
        .collect()
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// EvtxECmd `--csv`.
pub(crate) fn evtxecmd_csv() -> String {
    let mut s = "RecordNumber,EventRecordId,TimeCreated,EventId,Level,Provider,Channel,ProcessId,ThreadId,Computer,ChunkNumber,UserId,MapDescription,UserName,RemoteHost,PayloadData1,PayloadData2,PayloadData3,PayloadData4,PayloadData5,PayloadData6,ExecutableInfo,HiddenRecord,SourceFile,Keywords,ExtraDataOffset,Payload\r\n".to_owned();
    for e in events() {
        let cells = [
            e.record.to_string(),
            e.record.to_string(),
            format!("{}.0000000", e.time.replace('T', " ")),
            e.id.to_string(),
            "Info".into(),
            "Microsoft-Windows-Security-SPP".into(),
            e.channel.into(),
            "0".into(),
            "0".into(),
            e.computer.into(),
            "0".into(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            "False".into(),
            "C:\\Temp\\Application.evtx".into(),
            "Classic".into(),
            "0".into(),
            evtxecmd_payload(&e),
        ];
        let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        s.push_str(&row.join(","));
        s.push_str("\r\n");
    }
    s
}

/// Wazuh alerts (`alerts.json`): JSON Lines, insertion strings joined with ", ".
pub(crate) fn wazuh() -> String {
    events()
        .iter()
        .map(|e| {
            let v = json!({
                "timestamp": "2026-11-24T09:31:00.000+0000",
                "rule": {"level": 3, "description": "Windows application event", "id": "60602"},
                "agent": {"id": "001", "name": e.computer},
                "manager": {"name": "wazuh"},
                "id": "1764000000.1234",
                "decoder": {"name": "windows_eventchannel"},
                "data": {"win": {
                    "system": {
                        "providerName": "Microsoft-Windows-Security-SPP",
                        "providerGuid": SPP_GUID, "eventSourceName": e.source,
                        "eventID": e.id.to_string(), "version": "0", "level": "4",
                        "task": "0", "opcode": "0", "keywords": "0x80000000000000",
                        "systemTime": format!("{}.0000000Z", e.time),
                        "eventRecordID": e.record.to_string(), "channel": e.channel,
                        "computer": e.computer, "severityValue": "INFORMATION",
                        "message": e.message[0]
                    },
                    "eventdata": {"data": e.items.join(", ")}
                }},
                "location": "EventChannel"
            });
            format!("{v}\n")
        })
        .collect()
}

/// hayabusa-style event JSON (`system` and `event_data.Data` as an array), as one top-level
/// array.
pub(crate) fn hayabusa_array() -> String {
    let all: Vec<Value> = events()
        .iter()
        .map(|e| {
            json!({
                "system": {
                    "provider": "Microsoft-Windows-Security-SPP", "guid": SPP_GUID,
                    "event_source_name": e.source, "event_id": e.id, "level": 4,
                    "keywords": 36028797018963968u64,
                    "time_created": format!("{}+00:00", e.time),
                    "event_record_id": e.record, "channel": e.channel,
                    "computer": e.computer
                },
                "event_data": {"Data": e.items},
                "message": e.message[0]
            })
        })
        .collect();
    serde_json::to_string_pretty(&all).unwrap()
}

#[test]
fn every_form_reads_into_the_same_events() {
    let (native, form) = read(wevtutil_xml().as_bytes());
    assert_eq!(form, Form::EventXml);
    let want = meaning(&native);
    // What Windows means by these four records.
    let host = native.host.as_ref().expect("host view");
    assert_eq!(host.clients.len(), 1);
    let c = &host.clients[0];
    assert_eq!(
        (c.name.as_str(), c.cmid.as_str()),
        ("pc7.contoso.com", CMID)
    );
    assert_eq!(c.min_count, Some(25));
    assert_eq!(c.minutes_to_expiry, Some(259_200));
    assert_eq!(c.activation_id.as_deref(), Some(ACT));
    let client = native.client.as_ref().expect("client view");
    assert_eq!(client.attempts.len(), 1);
    assert_eq!(native.slui_failures_total, 1);
    assert_eq!(native.stats.events_used, 4);
    assert_eq!(native.stats.records_partial, 0);

    let forms: [(&str, String, Form); 11] = [
        ("evtxecmd xml", evtxecmd_xml(), Form::EventXml),
        ("save as xml", saved_xml(), Form::EventXml),
        ("xml view paste", xml_view_paste(), Form::XmlViewPaste),
        ("wevtutil text en", wevtutil_text(0), Form::WevtutilText),
        ("wevtutil text fr", wevtutil_text(1), Form::WevtutilText),
        ("evtx_dump json", evtx_dump_json(), Form::EvtxDumpJson),
        ("evtx_dump jsonl", evtx_dump_jsonl(), Form::EvtxDumpJson),
        ("evtxecmd json", evtxecmd_json(), Form::EvtxEcmdJson),
        ("evtxecmd csv", evtxecmd_csv(), Form::EvtxEcmdCsv),
        ("wazuh", wazuh(), Form::WazuhJson),
        ("hayabusa array", hayabusa_array(), Form::EventJson),
    ];
    for (what, text, expected_form) in forms {
        let (r, form) = read(text.as_bytes());
        assert_eq!(form, expected_form, "{what}");
        assert_eq!(r.stats.records_read, 4, "{what}: {:?}", r.stats);
        assert_eq!(meaning(&r), want, "{what}");
        assert!(r.warnings.is_empty(), "{what}: {:?}", r.warnings);
    }
}

#[test]
fn converters_keep_the_record_fields() {
    for (what, text) in [
        ("evtx_dump", evtx_dump_jsonl()),
        ("evtxecmd", evtxecmd_json()),
        ("wazuh", wazuh()),
        ("hayabusa", hayabusa_array()),
    ] {
        let (r, _) = read(text.as_bytes());
        let host = r.host.as_ref().expect(what);
        let c = &host.clients[0];
        assert_eq!(
            c.last_seen.map(|t| t.to_string()).as_deref(),
            Some("2026-11-24T09:30:12Z"),
            "{what}"
        );
        let s = r.slui_failures.first().expect(what);
        assert_eq!(s.computer.as_deref(), Some("pc1.contoso.com"), "{what}");
    }
}

#[test]
fn wevtutil_text_of_other_events_says_what_was_read() {
    let text = "Event[0]:\r\n  Log Name: System\r\n  Source: Service Control Manager\r\n  \
                Date: 2026-11-24T09:00:00.000\r\n  Event ID: 7036\r\n  Task: N/A\r\n  \
                Level: Information\r\n  Opcode: N/A\r\n  Keyword: Classic\r\n  User: N/A\r\n  \
                User Name: N/A\r\n  Computer: pc1\r\n  Description:\r\nThe Software Protection \
                service entered the running state.\r\n\r\nEvent[1]:\r\n  Log Name: System\r\n  \
                Source: EventLog\r\n  Date: 2026-11-24T09:00:01.000\r\n  Event ID: 6005\r\n  \
                Description:\r\nThe Event log service was started.\r\n";
    let mut an = volact_events::analyze::Analyzer::new(Default::default());
    let before = volact_events::source::Counts::of(&an);
    let form = volact_events::source::read_stream_typed("w", text.as_bytes(), &mut an).unwrap();
    let s = volact_events::source::summary("w".into(), &an, &before, Ok(form));
    assert_eq!(s.form, Some("wevtutil_text"));
    assert_eq!(
        (s.records_read, s.records_skipped, s.events_used),
        (2, 2, 0)
    );
    assert_eq!(
        s.nothing_used,
        Some(volact_events::analyze::NothingUsed::NoActivationEvents { records: 2 })
    );
}

/// PowerShell `Get-WinEvent … | ConvertTo-Json > events.json` (Windows PowerShell writes
/// UTF-16 LE with a BOM): an array of records with `Properties[].Value`.
pub(crate) fn powershell_utf16() -> Vec<u8> {
    let all: Vec<Value> = events()
        .iter()
        .map(|e| {
            let secs = volact_core::event::Timestamp::parse(&format!("{}Z", e.time))
                .unwrap()
                .unix();
            json!({
                "Id": e.id, "Version": 0, "Qualifiers": 16384, "Level": 4, "Task": 0,
                "Keywords": 36028797018963968u64, "RecordId": e.record,
                "ProviderName": "Microsoft-Windows-Security-SPP",
                "ProviderId": "e23b33b0-c8c9-472c-a5f9-f2bdfea0f156",
                "LogName": e.channel, "ProcessId": 0, "ThreadId": 0,
                "MachineName": e.computer, "UserId": null,
                "TimeCreated": format!("/Date({})/", secs * 1000),
                "LevelDisplayName": "Information",
                "Properties": e.items.iter().map(|i| json!({"Value": i})).collect::<Vec<_>>(),
                "Message": e.message[0]
            })
        })
        .collect();
    let text = serde_json::to_string_pretty(&all)
        .unwrap()
        .replace('/', "\\/");
    let mut b = vec![0xFF, 0xFE];
    b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    b
}

#[test]
fn powershell_json_in_utf16_reads_the_same() {
    let (native, _) = read(wevtutil_xml().as_bytes());
    let (r, form) = read(&powershell_utf16());
    assert_eq!(form, Form::PowerShellJson);
    assert_eq!(r.stats.records_read, 4);
    assert_eq!(meaning(&r), meaning(&native));
    let host = r.host.as_ref().unwrap();
    assert_eq!(
        host.clients[0].last_seen.map(|t| t.to_string()).as_deref(),
        Some("2026-11-24T09:30:12Z")
    );
}
