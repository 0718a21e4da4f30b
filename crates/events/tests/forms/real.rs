//! The real captures of `../shared/data/real` (each read as published, without its `# source:`
//! line; a missing capture fails under CI).

use volact_core::ErrorCode;
use volact_events::analyze::NothingUsed;
use volact_events::forms::Form;
use volact_testsupport::real_capture;

use super::read;

/// A capture read as one input, or `None` (after saying why) when it is absent outside CI.
fn capture(name: &str) -> Option<(volact_events::analyze::Report, Form)> {
    real_capture(name).map(|text| read(text.as_bytes()))
}

#[test]
fn event_viewer_xml_view_paste_of_an_8198() {
    let Some((r, form)) = capture("event-8198-xml-hr-0x800704CF.xml") else {
        return;
    };
    assert_eq!(form, Form::XmlViewPaste);
    assert_eq!((r.stats.records_read, r.stats.events_used), (1, 1));
    let s = &r.slui_failures[0];
    assert_eq!(
        s.code.as_ref().map(|c| c.code),
        Some(ErrorCode::new(0x8007_04CF))
    );
    assert_eq!(s.trigger.as_deref(), Some("UserLogon"));
    assert_eq!(s.computer.as_deref(), Some("DESKTOP-B7DJOVT"));
    assert_eq!(
        s.time.map(|t| t.to_string()).as_deref(),
        Some("2025-08-30T03:50:25Z")
    );
}

#[test]
fn czech_event_viewer_copy_is_read_from_its_xml() {
    let Some((r, form)) = capture("event-16384-cs-CZ-eventviewer-copy-text-with-xml.txt") else {
        return;
    };
    assert_eq!(form, Form::EventViewerCopy);
    // One record, once (the localised header does not add a second one).
    assert_eq!((r.stats.records_read, r.stats.events_used), (1, 1));
    assert_eq!(r.stats.records_skipped, 0);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn hayabusa_json_of_an_8198_is_one_record() {
    let Some((r, form)) = capture("event-8198-json-hayabusa-sample-evtx-hr-0x80072EE7.json") else {
        return;
    };
    assert_eq!(form, Form::EventJson);
    // Read as text before, the message repeated the Data lines and gave two 8198s.
    assert_eq!((r.stats.records_read, r.stats.events_used), (1, 1));
    assert_eq!(r.slui_failures_total, 1);
    let s = &r.slui_failures[0];
    assert_eq!(
        s.code.as_ref().map(|c| c.code),
        Some(ErrorCode::new(0x8007_2EE7))
    );
    assert_eq!(s.computer.as_deref(), Some("WIN-FPV0DSIC9O6"));
    assert_eq!(
        s.sku_id.as_deref(),
        Some("c1a197b6-ba5e-4394-b9bf-b659a6c1b873")
    );
}

#[test]
fn hayabusa_json_of_an_8230_is_not_an_8198() {
    let Some((r, form)) = capture("event-8230-json-evtx-hayabusa-sample.json") else {
        return;
    };
    assert_eq!(form, Form::EventJson);
    assert_eq!(r.stats.records_read, 1);
    // Read as text before, its `RuleId=`-less state line was taken for a slui failure.
    assert_eq!(r.slui_failures_total, 0);
}

#[test]
fn placeholders_of_the_support_article_make_partial_records() {
    let Some((r, form)) = capture("event-12288-12290-eventviewer-text-msdocs.txt") else {
        return;
    };
    assert_eq!(form, Form::Text);
    assert_eq!((r.stats.records_read, r.stats.events_used), (2, 2));
    assert_eq!(r.stats.records_partial, 2);
    assert_eq!(r.stats.partial[0].reason.id(), "placeholder");
    let host = r.host.as_ref().unwrap();
    // `<KMS Client name>` is no client name: the row is known by its CMID.
    assert_eq!(host.clients[0].cmid, "36f27b39-2fd5-440b-be67-a09996d27a38");
    assert_eq!(host.clients[0].min_count, Some(5));
    let attempts = &r.client.as_ref().unwrap().attempts;
    assert_eq!(attempts[0].kms, None);
}

#[test]
fn evtxecmd_event_data_fragments_say_why_nothing_was_used() {
    let Some(text) = real_capture("evtxecmd-xml-spp-classic-eventdata-joined.xml") else {
        return;
    };
    let mut an = volact_events::analyze::Analyzer::new(Default::default());
    let dir = std::env::temp_dir().join(format!("volact-forms-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("fragments.xml");
    std::fs::write(&p, &text).unwrap();
    let s = volact_events::source::read_input(&p, &mut an);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(s.form, Some("event_xml"));
    // Four EventData elements: four records, each without an event ID, all counted.
    assert_eq!(
        (s.records_read, s.records_skipped, s.events_used),
        (4, 4, 0)
    );
    assert_eq!(s.nothing_used, Some(NothingUsed::NoEventIds { records: 4 }));
}

/// `evtx_dump` (the Rust evtx crate's tool: its `--version` says "EVTX Parser"), from the
/// benchmark cache or `$PATH`.
fn evtx_dump() -> Option<std::path::PathBuf> {
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let candidates = home
        .map(|h| h.join(".cache/volact-bench/bin/evtx_dump"))
        .into_iter()
        .chain(std::iter::once("evtx_dump".into()));
    let found = candidates.into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success() && o.stdout.starts_with(b"EVTX Parser"))
    });
    if found.is_none() {
        eprintln!("skipping: the Rust evtx_dump is not installed (cargo install evtx)");
    }
    found
}

#[test]
fn evtx_dump_output_of_a_real_log_reads_like_the_log() {
    let Some(log) = volact_testsupport::shared_data("evtx/Application_no_crc32.evtx") else {
        return;
    };
    let Some(tool) = evtx_dump() else {
        return;
    };
    let (native, _) = read(&std::fs::read(&log).unwrap());
    for mode in ["json", "jsonl"] {
        let out = std::process::Command::new(&tool)
            .args(["-o", mode])
            .arg(&log)
            .output()
            .unwrap();
        let (r, form) = read(&out.stdout);
        assert_eq!(form, Form::EvtxDumpJson, "{mode}");
        assert_eq!(
            (
                r.stats.records_read,
                r.stats.events_used,
                r.stats.records_skipped
            ),
            (
                native.stats.records_read,
                native.stats.events_used,
                native.stats.records_skipped
            ),
            "{mode}"
        );
        assert_eq!(super::meaning(&r), super::meaning(&native), "{mode}");
        assert!(r.stats.events_used > 0);
    }
}
