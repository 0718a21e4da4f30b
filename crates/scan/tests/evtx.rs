//! Windows event log files (`.evtx`) given to scan: skipped with the reason `evtx` and the
//! command that reads them, per file and in the summary of every format, and counted as needing
//! attention (exit code 1), never as "nothing found".

use volact_core::Lang;
use volact_scan::{Options, SkipReason, Source, Status, Verdict, render, scan, scan_bytes};

/// The start of an event log file: its magic number, then a header of zero bytes.
fn fake_evtx() -> Vec<u8> {
    let mut v = b"ElfFile\0".to_vec();
    v.resize(4096, 0);
    v
}

#[test]
fn an_event_log_names_the_command_that_reads_it() {
    let r = scan_bytes("Application.evtx", &fake_evtx(), &Options::default()).report(Lang::En);
    assert_eq!(r.inputs[0].status, Status::Skipped);
    assert_eq!(r.inputs[0].skip_reason, Some(SkipReason::Evtx));
    assert_eq!(r.totals.evtx_skipped, 1);
    assert_eq!(r.verdict(), Verdict::Attention);
    let text = render::text(&r, false);
    assert!(
        text.contains("skipped: Application.evtx (Windows event log, which scan does not read: volact events Application.evtx)"),
        "{text}"
    );
    assert!(
        text.contains("1 Windows event log file(s) (.evtx) skipped"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&render::json(&r)).unwrap();
    assert_eq!(json["inputs"][0]["skip_reason"], "evtx");
    assert_eq!(json["totals"]["evtx_skipped"], 1);
    assert!(render::csv(&r).contains("skipped-evtx,Application.evtx,"));
    assert!(render::markdown(&r).contains("volact events Application.evtx"));
    let zh = scan_bytes("a.evtx", &fake_evtx(), &Options::default()).report(Lang::ZhTw);
    assert!(render::text(&zh, false).contains("請改用 volact events a.evtx"));
}

#[test]
fn told_by_magic_or_by_name_and_scanned_with_binary() {
    // Renamed, still an event log by its magic number.
    let r = scan_bytes("log.bin", &fake_evtx(), &Options::default()).report(Lang::En);
    assert_eq!(r.inputs[0].skip_reason, Some(SkipReason::Evtx));
    // A damaged one without the magic number, by its name.
    let r = scan_bytes("Sys.EVTX", &[0u8; 512], &Options::default()).report(Lang::En);
    assert_eq!(r.inputs[0].skip_reason, Some(SkipReason::Evtx));
    // Other binary files keep their reason and verdict.
    let r = scan_bytes("crash.dmp", &[0u8; 512], &Options::default()).report(Lang::En);
    assert_eq!(r.inputs[0].skip_reason, Some(SkipReason::Binary));
    assert_eq!(r.verdict(), Verdict::NothingFound);
    // `--binary` scans it as asked.
    let opts = Options {
        binary: true,
        ..Options::default()
    };
    let r = scan_bytes("a.evtx", &fake_evtx(), &opts).report(Lang::En);
    assert_eq!(r.inputs[0].status, Status::Read);
}

#[test]
fn real_event_logs_in_a_folder() {
    let Some(dir) = volact_testsupport::shared_data("evtx") else {
        return;
    };
    let r = scan(&[Source::Path(dir)], &Options::default(), None)
        .unwrap()
        .report(Lang::En);
    let evtx: Vec<_> = r
        .inputs
        .iter()
        .filter(|i| i.path.ends_with(".evtx"))
        .collect();
    assert!(evtx.len() >= 3, "{}", evtx.len());
    for i in &evtx {
        assert_eq!(i.skip_reason, Some(SkipReason::Evtx), "{}", i.path);
    }
    assert_eq!(r.totals.evtx_skipped, evtx.len() as u64);
    assert_eq!(r.verdict(), Verdict::Attention);
}
