//! KMS events in every layout Windows and export tools write them give one report: the 10-item
//! 12290 of a modern host (the joined list, then the nine fields), 9 items, the Info line alone
//! (Vista era), and the flattened forms of EvtxECmd and Wazuh; from both providers
//! (Security-SPP with the `KmsRequests` source, and the older Security-Licensing-SLC); through
//! every EVTX read mode and the XML reader.

mod common;

use common::{TempDir, report_of};
use volact_core::Lang;
use volact_core::event::{EventData, parse_data, parse_info};
use volact_events::analyze::{Analyzer, Options};
use volact_events::evtx::{ReadMode, read_evtx_mode};
use volact_testsupport::evtx::app::{AppLog, AppLogSpec};
use volact_testsupport::evtx::kms::{
    HostLog, HostLogSpec, KMS_SOURCE, Layout, SPP, client_application_log_with,
};
use volact_testsupport::evtx::{EvtxEvent, to_bytes};
use volact_testsupport::real_capture;

const LAYOUTS: [Layout; 4] = [
    Layout::Joined,
    Layout::Fields,
    Layout::InfoOnly,
    Layout::LeadingZero,
];
const MODES: [ReadMode; 3] = [ReadMode::Typed, ReadMode::Values, ReadMode::Rendered];

/// The JSON report of `bytes` read in `mode`, without the input names.
fn report(bytes: &[u8], mode: ReadMode) -> serde_json::Value {
    let mut a = Analyzer::new(Options::default());
    read_evtx_mode(std::io::Cursor::new(bytes), "x", &mut a, mode).unwrap();
    serde_json::to_value(a.report(Lang::En)).unwrap()
}

/// Checks that the log `log` writes in each layout gives the report `want` in each read mode.
fn same_everywhere(log: impl Fn(Layout) -> Vec<EvtxEvent>, want: &serde_json::Value) {
    for layout in LAYOUTS {
        let bytes = to_bytes(&log(layout));
        for mode in MODES {
            assert_eq!(&report(&bytes, mode), want, "{layout:?} {mode:?}");
        }
    }
}

fn host_log(layout: Layout) -> Vec<EvtxEvent> {
    let spec = HostLogSpec {
        clients: 80,
        clones: 4,
        skewed: 3,
        days: 30,
        max_records: Some(1500),
        layout,
        ..HostLogSpec::default()
    };
    HostLog::new(spec).map(|(e, _)| e).collect()
}

#[test]
fn the_default_host_log_is_the_modern_layout() {
    let e = &host_log(Layout::default())[0];
    assert_eq!(e.provider, SPP);
    assert_eq!(e.source.as_deref(), Some(KMS_SOURCE));
    assert_eq!(e.channel, "Key Management Service");
    assert_eq!(e.qualifiers, 16384);
    assert_eq!(e.data.len(), 10);
    assert_eq!(e.data[0], e.data[1..].join(","));
}

#[test]
fn host_report_is_the_same_in_every_layout_and_read_mode() {
    let written = host_log(Layout::Joined);
    let n = written.len();
    assert!(n > 1000, "{n}");
    let want = report(&to_bytes(&written), ReadMode::Rendered);
    assert_eq!(want["stats"]["records_read"], n);
    assert_eq!(want["stats"]["events_used"], n);
    assert_eq!(want["host"]["requests"], n);
    assert!(
        want["host"]["cloned"]
            .as_array()
            .is_some_and(|c| !c.is_empty())
    );
    same_everywhere(host_log, &want);
}

#[test]
fn client_report_is_the_same_in_every_layout_and_read_mode() {
    let attempts = [
        (0, Some((0xC004_F038, false, 3))),
        (0x8007_06BA, None),
        (0, Some((0, true, 26))),
    ];
    let log = |l| {
        client_application_log_with(l, "pc1.contoso.test", "kms:1688", &attempts, 1_790_000_000)
    };
    let want = report(&to_bytes(&log(Layout::Joined)), ReadMode::Rendered);
    assert_eq!(want["client"]["attempts_total"], 3);
    assert_eq!(want["client"]["activated"], 1);
    assert_eq!(want["client"]["last_current_count"], 26);
    same_everywhere(log, &want);
}

/// An Application log with KMS client events among other providers' events: every record is
/// read, the KMS events are used, the others are counted as not activation events.
#[test]
fn application_log_among_other_providers() {
    let spec = AppLogSpec {
        records: 4000,
        ..AppLogSpec::default()
    };
    let mut log = AppLog::new(spec);
    let events: Vec<EvtxEvent> = log.by_ref().collect();
    let w = log.written();
    let bytes = to_bytes(&events);
    let want = report(&bytes, ReadMode::Rendered);
    assert_eq!(want["stats"]["records_read"], 4000);
    assert_eq!(
        want["stats"]["events_used"],
        w.requests + w.responses + w.slui + w.spp_other
    );
    assert_eq!(want["client"]["attempts_total"], w.requests);
    // A request that failed has no answer.
    assert_eq!(want["client"]["no_response"], w.failed_requests);
    assert_eq!(want["slui_failures_total"], w.slui);
    for mode in MODES {
        assert_eq!(report(&bytes, mode), want, "{mode:?}");
    }
}

/// The XML reader accepts both providers and reads the 10-item, 9-item, single-item and
/// flattened forms of one 12290 as the same request.
#[test]
fn xml_reader_reads_every_layout_from_both_providers() {
    let fields = [
        "0x0",
        "25",
        "pc1.contoso.test",
        "5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11",
        "2026/11/24 9:30",
        "1",
        "1",
        "259200",
        "2ffd8952-423e-4903-b993-72a1aa44cf82",
    ];
    let joined = fields.join(",");
    let ten: Vec<String> = std::iter::once(joined.clone())
        .chain(fields.iter().map(|s| (*s).to_owned()))
        .collect();
    let forms: Vec<Vec<String>> = vec![
        ten.clone(),
        fields.iter().map(|s| (*s).to_owned()).collect(),
        vec![joined],
        vec![ten.join(", ")],
    ];
    let providers = [
        r#"<Provider Name="Microsoft-Windows-Security-SPP" Guid="{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}" EventSourceName="KmsRequests"/>"#,
        r#"<Provider Name="Microsoft-Windows-Security-Licensing-SLC"/>"#,
    ];
    let dir = TempDir::new("layouts-xml");
    let mut reports = Vec::new();
    for (i, items) in forms.iter().enumerate() {
        for (k, p) in providers.iter().enumerate() {
            let data: String = items.iter().map(|d| format!("<Data>{d}</Data>")).collect();
            let xml = format!(
                "<Events><Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">\
                 <System>{p}<EventID Qualifiers=\"16384\">12290</EventID><Level>4</Level>\
                 <Keywords>0x80000000000000</Keywords>\
                 <TimeCreated SystemTime=\"2026-11-24T09:30:05.000Z\"/><EventRecordID>7</EventRecordID>\
                 <Channel>Key Management Service</Channel><Computer>kms01</Computer></System>\
                 <EventData>{data}</EventData></Event></Events>"
            );
            let path = dir.path(&format!("f{i}-{k}.xml"));
            std::fs::write(&path, xml).unwrap();
            let r = report_of(&[&path], Options::default(), Lang::En);
            let mut v = serde_json::to_value(&r).unwrap();
            assert_eq!(v["stats"]["events_used"], 1, "form {i} provider {k}: {v}");
            assert_eq!(v["host"]["requests"], 1, "form {i} provider {k}");
            v["inputs"] = serde_json::Value::Null;
            reports.push(v);
        }
    }
    assert!(reports.windows(2).all(|w| w[0] == w[1]));
}

/// Microsoft's published 12290 and 12288 Info lines (KB974998) read in each layout they could
/// have come from, with the values Microsoft shows.
#[test]
fn microsofts_published_info_lines_read_in_every_layout() {
    let Some(text) = real_capture("event-12288-12290-eventviewer-text-msdocs.txt") else {
        return;
    };
    let info_after = |id: &str| -> String {
        let at = text
            .find(&format!("Event ID: {id}"))
            .expect("event in sample");
        let rest = &text[at..];
        let info = rest.find("Info:").expect("Info line") + "Info:".len();
        rest[info..]
            .trim_start()
            .lines()
            .next()
            .unwrap()
            .trim()
            .to_owned()
    };
    let host = info_after("12290");
    let EventData::HostRequest(h) = parse_info(12290, &host).unwrap() else {
        panic!("{host}")
    };
    assert_eq!(h.code.unwrap().value(), 0xC004_F06C);
    assert_eq!(h.min_count, Some(5));
    assert_eq!(h.client.as_deref(), Some("<KMS Client name>"));
    assert_eq!(h.minutes_to_expiry, Some(41520));
    assert_eq!(
        h.activation_id.as_deref(),
        Some("68531fb9-5511-4989-97be-d11a0f55633f")
    );
    let client = info_after("12288");
    let EventData::ClientRequest(c) = parse_info(12288, &client).unwrap() else {
        panic!("{client}")
    };
    assert_eq!(c.min_count, Some(5));
    assert_eq!(c.minutes_to_expiry, Some(41760));
    for (id, line, sep) in [(12290, host, ","), (12288, client, ", ")] {
        let fields: Vec<&str> = line.split(sep).collect();
        let want = parse_info(id, &line).unwrap();
        let mut ten = vec![line.as_str()];
        ten.extend(&fields);
        let flat = ten.join(", ");
        for items in [&ten[..], &fields[..], &[line.as_str()], &[flat.as_str()]] {
            assert_eq!(parse_data(id, items).as_ref(), Ok(&want), "{id} {items:?}");
        }
    }
}

/// A 12290 whose provider `Name` is empty is judged by its event source, `KmsRequests`, in
/// every read mode (the chunk pre-filter included).
#[test]
fn a_record_named_only_by_its_kms_source_is_read() {
    let mut events = host_log(Layout::Joined);
    events.truncate(50);
    for e in &mut events {
        e.provider = String::new();
    }
    let bytes = to_bytes(&events);
    for mode in MODES {
        let r = report(&bytes, mode);
        assert_eq!(r["stats"]["events_used"], 50, "{mode:?}");
        assert_eq!(r["host"]["requests"], 50, "{mode:?}");
    }
}
