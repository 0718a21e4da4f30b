//! The EVTX writer of volact-testsupport produces files that two independent readers accept: the
//! `evtx` crate (through volact's own reader and directly) and the pure-Python `python-evtx`.

mod common;

use common::{TempDir, python_dump, python_evtx, report_of};
use volact_core::Lang;
use volact_events::analyze::Options;
use volact_events::evtx::checksums_match;
use volact_testsupport::evtx::kms::{
    HostLog, HostLogSpec, client_application_log, host_application_log,
};
use volact_testsupport::evtx::{CHUNK_SIZE, EvtxEvent, FILE_HEADER_SIZE, to_bytes};

/// Writes a few kinds of logs and returns (file name, events written).
fn fixtures(dir: &TempDir) -> Vec<(std::path::PathBuf, Vec<EvtxEvent>)> {
    let spec = HostLogSpec {
        clients: 60,
        clones: 4,
        skewed: 2,
        days: 30,
        max_records: Some(700),
        ..HostLogSpec::default()
    };
    let kms: Vec<EvtxEvent> = HostLog::new(spec).map(|(e, _)| e).collect();
    let (app, _) = host_application_log(3, 2, 40, 1_790_000_000);
    let client = client_application_log(
        "pc1.contoso.test",
        "kms01.contoso.test:1688",
        &[
            (0, Some((0xC004_F038, false, 3))),
            (0x8007_06BA, None),
            (0, Some((0, true, 26))),
        ],
        1_790_000_000,
    );
    // Unicode and long values too.
    let odd = vec![EvtxEvent::new(
        "Microsoft-Windows-Security-SPP",
        "Application",
        8198,
        1_790_000_000,
        "電腦-01",
        vec![
            "hr=0xC004F074".into(),
            format!(
                "RuleId=eeba1977-569e-4571-b639-7623d8bfecc0;Action=AutoActivate;{}",
                "x".repeat(3000)
            ),
        ],
    )];
    let mut out = Vec::new();
    for (name, evs) in [
        ("kms.evtx", kms),
        ("app.evtx", app),
        ("client.evtx", client),
        ("odd.evtx", odd),
    ] {
        let p = dir.path(name);
        std::fs::write(&p, to_bytes(&evs)).unwrap();
        out.push((p, evs));
    }
    out
}

#[test]
fn evtx_crate_reads_every_record_with_valid_checksums() {
    let dir = TempDir::new("writer");
    for (path, written) in fixtures(&dir) {
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!((bytes.len() - FILE_HEADER_SIZE) % CHUNK_SIZE, 0);
        for chunk in bytes[FILE_HEADER_SIZE..].chunks(CHUNK_SIZE) {
            let free = u32::from_le_bytes(chunk[48..52].try_into().unwrap());
            assert!(
                checksums_match(chunk, free),
                "{}: bad chunk CRC",
                path.display()
            );
        }
        // The evtx crate with checksum validation on: every record, in order, same values.
        let mut p = evtx::EvtxParser::from_path(&path)
            .unwrap()
            .with_configuration(evtx::ParserSettings::new().validate_checksums(true));
        let recs: Vec<_> = p.records_json_value().map(|r| r.unwrap()).collect();
        assert_eq!(recs.len(), written.len(), "{}", path.display());
        for (i, (r, w)) in recs.iter().zip(&written).enumerate() {
            assert_eq!(r.event_record_id, i as u64 + 1);
            let sys = &r.data["Event"]["System"];
            assert_eq!(sys["Provider"]["#attributes"]["Name"], w.provider.as_str());
            assert_eq!(sys["Channel"], w.channel.as_str());
            assert_eq!(sys["Computer"], w.computer.as_str());
            assert_eq!(sys["EventID"]["#text"], u64::from(w.event_id));
            assert_eq!(r.timestamp.as_second(), w.time);
            let data = &r.data["Event"]["EventData"]["Data"]["#text"];
            let got: Vec<String> = match data {
                serde_json::Value::Array(a) => a
                    .iter()
                    .map(|v| v.as_str().unwrap_or("").to_owned())
                    .collect(),
                serde_json::Value::String(s) => vec![s.clone()],
                other => panic!("unexpected data {other}"),
            };
            assert_eq!(got, w.data, "{} record {}", path.display(), i + 1);
        }
    }
}

#[test]
fn python_evtx_reads_every_record() {
    if !python_evtx() {
        return;
    }
    let dir = TempDir::new("writer-py");
    for (path, written) in fixtures(&dir) {
        let v = python_dump(&path);
        assert_eq!(v["header_ok"], true, "{}: file header", path.display());
        let chunks = v["chunks_ok"].as_array().unwrap();
        assert!(
            !chunks.is_empty() && chunks.iter().all(|c| c == true),
            "{}: chunks {chunks:?}",
            path.display()
        );
        let recs = v["records"].as_array().unwrap();
        assert_eq!(recs.len(), written.len(), "{}", path.display());
        for (i, (r, w)) in recs.iter().zip(&written).enumerate() {
            assert_eq!(r["record_id"], i as u64 + 1);
            assert_eq!(r["id"], u64::from(w.event_id));
            assert_eq!(r["provider"], w.provider.as_str());
            assert_eq!(r["channel"], w.channel.as_str());
            assert_eq!(r["computer"], w.computer.as_str());
            let data: Vec<&str> = r["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.as_str().unwrap())
                .collect();
            assert_eq!(data, w.data, "{} record {}", path.display(), i + 1);
        }
    }
    // The KMS log spans several chunks, so templates and names are re-defined per chunk.
    let kms = std::fs::read(dir.path("kms.evtx")).unwrap();
    assert!((kms.len() - FILE_HEADER_SIZE) / CHUNK_SIZE >= 3);
}

#[test]
fn volact_reads_the_written_logs() {
    let dir = TempDir::new("writer-volact");
    let files = fixtures(&dir);
    let paths: Vec<&std::path::Path> = files.iter().map(|(p, _)| p.as_path()).collect();
    let r = report_of(&paths, Options::default(), Lang::En);
    let total: usize = files.iter().map(|(_, w)| w.len()).sum();
    assert_eq!(r.stats.records_read, total as u64);
    // Everything but the 40 noise events is an activation event.
    assert_eq!(r.stats.events_used, total as u64 - 40);
    assert_eq!(r.stats.records_skipped, 40);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let h = r.host.unwrap();
    assert_eq!(h.requests, 700);
    assert_eq!((h.dns_failures_total, h.dns_published), (3, 2));
    let c = r.client.unwrap();
    assert_eq!(
        (c.attempts_total, c.activated, c.failed, c.no_response),
        (3, 1, 1, 1)
    );
    assert_eq!(r.slui_failures_total, 1);
    assert_eq!(r.slui_failures[0].computer.as_deref(), Some("電腦-01"));
}

/// A host log in which the typed lane's records and records it leaves to the general way
/// (other forms of the same clients' data, unreadable data) interleave, so that the order of the
/// "latest" values across both ways is exercised.
fn mixed_host_log() -> Vec<EvtxEvent> {
    use volact_testsupport::evtx::kms::{KMS_CHANNEL, SLC};
    let spec = HostLogSpec {
        clients: 40,
        clones: 3,
        skewed: 2,
        days: 20,
        max_records: Some(600),
        ..HostLogSpec::default()
    };
    let mut out = Vec::new();
    for (i, (mut e, _)) in HostLog::new(spec).enumerate() {
        match i % 7 {
            // The Info line as one item (the general way), same client and CMID.
            1 => e.data = vec![e.data[1..].join(", ")],
            // A decimal code, `+` signs, another time form, a non-ASCII name suffix.
            2 => e.data[1] = format!("{}", u32::from_str_radix(&e.data[1][2..], 16).unwrap()),
            3 => e.data[2] = format!("+{}", e.data[2]),
            4 => e.data[5] = "11/24/2026 2:00:00 PM".to_owned(),
            5 if i % 3 == 0 => e.data[3] = format!("{}-電腦", e.data[3]),
            // A comma inside one value (the lane checks all values in one pass and must still
            // see it).
            0 if i % 11 == 0 => e.data[3] = format!("{},x", e.data[3]),
            // Unreadable data: counted as bad, in file order.
            6 if i % 5 == 0 => e.data[7] = "seven".to_owned(),
            _ => {}
        }
        // The joined copy in Data[0] says what the items say, as on a real host.
        if e.data.len() == 10 {
            e.data[0] = e.data[1..].join(",");
        }
        out.push(e);
    }
    out.push(EvtxEvent::new(
        SLC,
        KMS_CHANNEL,
        12290,
        1_790_000_000,
        "kms01",
        vec!["0".into(), "0x0".into()],
    ));
    out
}

#[test]
fn fast_path_and_evtx_crate_rendering_agree() {
    use volact_events::analyze::Analyzer;
    use volact_events::evtx::{ReadMode, read_evtx_mode};
    let dir = TempDir::new("fast-slow");
    let mixed = dir.path("mixed.evtx");
    std::fs::write(&mixed, to_bytes(&mixed_host_log())).unwrap();
    let mut paths: Vec<std::path::PathBuf> = fixtures(&dir).into_iter().map(|(p, _)| p).collect();
    paths.push(mixed.clone());
    for path in &paths {
        let reports: Vec<serde_json::Value> =
            [ReadMode::Typed, ReadMode::Values, ReadMode::Rendered]
                .into_iter()
                .map(|mode| {
                    let mut a = Analyzer::new(Options::default());
                    read_evtx_mode(std::fs::File::open(path).unwrap(), "x", &mut a, mode).unwrap();
                    serde_json::to_value(a.report(Lang::En)).unwrap()
                })
                .collect();
        assert_eq!(reports[0], reports[1], "{} typed/values", path.display());
        assert_eq!(reports[0], reports[2], "{} typed/rendered", path.display());
        // And a file read at its chunks' offsets (how the CLI reads files).
        let mut a = Analyzer::new(Options::default());
        let f = std::fs::File::open(path).unwrap();
        volact_events::evtx::read_evtx_file_mode(&f, "x", &mut a, ReadMode::Values).unwrap();
        assert_eq!(
            reports[0],
            serde_json::to_value(a.report(Lang::En)).unwrap(),
            "{} at offsets",
            path.display()
        );
    }
    // The mixed log really mixes both ways, and the filters agree too.
    let mut a = Analyzer::new(Options::default());
    read_evtx_mode(
        std::fs::File::open(&mixed).unwrap(),
        "x",
        &mut a,
        ReadMode::Typed,
    )
    .unwrap();
    let r = a.report(Lang::En);
    assert!(
        r.stats
            .skipped
            .iter()
            .any(|s| s.reason == volact_events::analyze::SkipReason::BadData)
    );
    assert!(
        r.host
            .as_ref()
            .unwrap()
            .clients
            .iter()
            .any(|c| c.name.contains("電腦"))
    );
    let some_client = r.host.unwrap().clients[3].name.clone();
    let t0 = r.stats.oldest.unwrap().unix() + 5 * 86_400;
    let filtered: Vec<serde_json::Value> = [ReadMode::Typed, ReadMode::Rendered]
        .into_iter()
        .map(|mode| {
            let mut a = Analyzer::new(Options {
                since: Some(volact_core::event::Timestamp::from_unix(t0, true)),
                client: Some(some_client.to_uppercase()),
                ..Options::default()
            });
            read_evtx_mode(std::fs::File::open(&mixed).unwrap(), "x", &mut a, mode).unwrap();
            serde_json::to_value(a.report(Lang::En)).unwrap()
        })
        .collect();
    assert_eq!(filtered[0], filtered[1]);
    assert!(filtered[0]["host"]["requests"].as_u64().unwrap() > 0);
    // And on the real logs (classic SPP templates written by Windows, damaged chunks).
    for f in [
        "evtx/Application_no_crc32.evtx",
        "evtx/sample_with_a_bad_chunk_magic.evtx",
        "evtx/system.evtx",
        "evtx/sysmon.evtx",
    ] {
        let Some(p) = common::shared(f) else {
            return;
        };
        let reports: Vec<serde_json::Value> =
            [ReadMode::Typed, ReadMode::Values, ReadMode::Rendered]
                .into_iter()
                .map(|mode| {
                    let mut a = Analyzer::new(Options::default());
                    read_evtx_mode(std::fs::File::open(&p).unwrap(), "x", &mut a, mode).unwrap();
                    serde_json::to_value(a.report(Lang::En)).unwrap()
                })
                .collect();
        assert_eq!(reports[0], reports[1], "{f}");
        assert_eq!(reports[0], reports[2], "{f}");
    }
}
