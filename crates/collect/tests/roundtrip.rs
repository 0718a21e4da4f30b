//! `collect` → bundle → `analyze` on recorded machines, with keys redacted everywhere.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use volact_collect::{
    Bundle, BundleError, Captured, CapturedFile, Collector, Content, FileKind, FindingKind, Level,
    StepStatus, analyze, collect_into, phrases, recorded, render,
};
use volact_core::Lang;
use volact_testsupport::evtx::{EvtxEvent, to_bytes};

/// The public GVLK of Windows Enterprise that the client recording contains in full.
const CLIENT_KEY: &str = "NPPR9-FWDCX-D2C8J-H872K-2YT43";
/// The (made-up) KMS host key the host recording's registry contains.
const HOST_KEY: &str = "VCQ7B-HF4X9-JR8TD-M6PYG-KW3QB";

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Replays a recording into an in-memory bundle and reads it back.
fn replay(name: &str) -> (Vec<u8>, Bundle) {
    let (source, collectors) = recorded(&data(name)).expect("recording loads");
    let zip = collect_bytes(&collectors, &source);
    let bundle = Bundle::read(Cursor::new(zip.clone()), Path::new("bundle.zip")).unwrap();
    (zip, bundle)
}

fn collect_bytes(collectors: &[Box<dyn Collector>], source: &str) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    collect_into(
        collectors,
        source,
        &mut out,
        Path::new("bundle.zip"),
        &mut |_| {},
    )
    .unwrap();
    out.into_inner()
}

/// Every entry of the zip, decompressed.
fn entries(zip: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).unwrap();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().into_owned(), b)
        })
        .collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// No form of `key` (ASCII, UTF-16LE, first group alone) is anywhere in `bytes`.
fn assert_no_key(bytes: &[u8], key: &str, what: &str) {
    let first = &key[..5];
    assert!(!contains(bytes, key.as_bytes()), "{what} holds the key");
    assert!(
        !contains(bytes, &utf16(key)),
        "{what} holds the key in UTF-16"
    );
    assert!(
        !contains(bytes, first.as_bytes()),
        "{what} holds the key's first group"
    );
}

fn all_outputs(bundle: &Bundle) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for lang in Lang::ALL {
        let a = analyze(bundle, lang);
        out.push((format!("json {lang:?}"), serde_json::to_string(&a).unwrap()));
        out.push((format!("text {lang:?}"), render::text(&a, true)));
        out.push((format!("markdown {lang:?}"), render::markdown(&a)));
        out.push((format!("ndjson {lang:?}"), render::ndjson(&a)));
        out.push((format!("csv {lang:?}"), render::csv(&a)));
    }
    out
}

#[test]
fn client_keys_are_redacted_in_the_bundle_and_every_output() {
    let (zip, bundle) = replay("kms-client");
    // The recording really holds the key (slmgr output in UTF-16LE, and the registry).
    let raw = std::fs::read(data("kms-client/slmgr-dlv.utf16le.txt")).unwrap();
    assert!(contains(&raw, &utf16(CLIENT_KEY)));
    assert_no_key(&zip, CLIENT_KEY, "the zip file");
    for (name, bytes) in entries(&zip) {
        assert_no_key(&bytes, CLIENT_KEY, &name);
    }
    assert_eq!(bundle.manifest.keys_redacted, 2);
    assert!(bundle.manifest.keys_redacted_before_writing);
    let slmgr = bundle.file(FileKind::Slmgr).unwrap().text().into_owned();
    assert!(slmgr.contains("Installed product key *****-*****-*****-*****-2YT43 successfully."));
    for (what, out) in all_outputs(&bundle) {
        assert_no_key(out.as_bytes(), CLIENT_KEY, &what);
    }
}

#[test]
fn client_analysis() {
    let (_, bundle) = replay("kms-client");
    assert!(bundle.warnings.is_empty(), "{:?}", bundle.warnings);
    let m = &bundle.manifest;
    let ids: Vec<&str> = m.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "system",
            "slmgr-dlv",
            "events-application",
            "events-kms",
            "registry",
            "dns",
            "w32tm-status",
            "ipconfig-all"
        ]
    );
    assert_eq!(m.steps[3].status, StepStatus::NotApplicable);
    assert_eq!(m.steps[3].exit_code, Some(15007));
    let slmgr_file = &m.steps[1].files[0];
    assert_eq!(slmgr_file.source_encoding.as_deref(), Some("UTF-16LE"));

    let a = analyze(&bundle, Lang::En);
    assert_eq!(a.machine.roles, ["kms-client"]);
    assert_eq!(a.products.len(), 1);
    assert_eq!(a.products_without_key, 2);
    let p = &a.products[0];
    assert_eq!(p.partial_product_key.as_deref(), Some("2YT43"));
    assert_eq!(p.license_status.as_deref(), Some("Notification"));
    assert_eq!(
        a.settings.kms_name.as_deref(),
        Some("kms-old.corp.example.com")
    );
    assert_eq!(a.settings.kms_port, Some(1688));
    let finding_ids: Vec<&str> = a.findings.iter().map(|f| f.id()).collect();
    assert_eq!(
        finding_ids,
        [
            "product-not-licensed",
            "forced-kms-host",
            "no_response",
            "slui_failures",
            "kms-client-not-activated",
            "step-note",
            "keys-redacted"
        ]
    );
    assert_eq!(a.findings[0].level, Level::Error);
    let codes: Vec<String> = a.codes.iter().map(|c| c.code.to_string()).collect();
    assert_eq!(codes, ["0xC004F009", "0xC004F074"]);
    assert_eq!(a.codes[1].files, ["events/application-spp.xml"]);
    assert_eq!(a.codes[1].count, 3);
    // `volact events` read the Application export: three 12288 without 12289, three 8198.
    assert_eq!(a.event_logs.len(), 1);
    assert_eq!(a.event_logs[0].records, 13);
    let ev = a.events.as_ref().unwrap();
    let client = ev.client.as_ref().unwrap();
    assert_eq!((client.attempts_total, client.no_response), (3, 3));
    assert_eq!(client.hosts[0].kms, "kms-old.corp.example.com:1688");
    assert_eq!(ev.slui_failures_total, 3);
    // `volact scan` read the text files and parsed the slmgr snapshots.
    assert!(
        a.scan
            .snapshots
            .iter()
            .any(|s| s.snapshot.partial_product_key.as_deref() == Some("2YT43"))
    );
    let targets: Vec<String> = a
        .checks
        .iter()
        .map(|c| phrases::target(&c.target, a.lang))
        .collect();
    let checks: Vec<(&str, &str)> = a
        .checks
        .iter()
        .zip(&targets)
        .map(|(c, t)| (c.check.id(), t.as_str()))
        .collect();
    assert_eq!(
        checks,
        [
            ("tcp", "kms-old.corp.example.com:1688"),
            ("rpc", "kms-old.corp.example.com:1688"),
            ("clock", "DC01.corp.example.com")
        ]
    );
    assert_eq!(
        a.doctor_command,
        "volact doctor --kms kms-old.corp.example.com:1688 --time-server DC01.corp.example.com"
    );
    assert!(a.needs_attention());
}

#[test]
fn host_analysis_and_redaction() {
    let (zip, bundle) = replay("kms-host");
    for (name, bytes) in entries(&zip) {
        assert_no_key(&bytes, HOST_KEY, &name);
    }
    for (what, out) in all_outputs(&bundle) {
        assert_no_key(out.as_bytes(), HOST_KEY, &what);
    }
    let a = analyze(&bundle, Lang::ZhTw);
    assert_eq!(a.machine.roles, ["kms-host"]);
    let h = a.products[0].kms_host.as_ref().unwrap();
    assert_eq!(h.current_count, Some(18));
    let finding_ids: Vec<&str> = a.findings.iter().map(|f| f.id()).collect();
    assert_eq!(
        finding_ids,
        [
            "host-count-low",
            "host-dns-publishing-off",
            "host-failed-requests",
            "clock-unsynchronised",
            // From `volact events` over the three 12290 records in the log.
            "host_errors",
            "count_below_client_threshold",
            "count_below_server_threshold",
            "keys-redacted"
        ]
    );
    assert_eq!(a.findings[0].kind, FindingKind::HostCountLow { count: 18 });
    let text = phrases::finding(&a.findings[0].kind, a.lang);
    assert!(text.contains("計數為 18"), "{text}");
    let kms = a.event_logs.iter().find(|e| e.log == "kms").unwrap();
    assert_eq!((kms.records, kms.activation_events), (3, 3));
    let host = a.events.as_ref().unwrap().host.as_ref().unwrap();
    assert_eq!((host.requests, host.clients_total), (3, 3));
    assert!(a.codes.iter().any(|c| c.code.to_string() == "0xC004F038"));
    let dns: Vec<String> = a
        .checks
        .iter()
        .filter(|c| c.check.id() == "dns")
        .map(|c| phrases::target(&c.target, a.lang))
        .collect();
    assert_eq!(
        dns,
        ["_vlmcs._tcp.corp.example.com", "_vlmcs._tcp.example.com"]
    );
    assert!(
        a.checks
            .iter()
            .any(|c| c.target.name() == Some("KMS01:1688"))
    );
    assert_eq!(
        a.doctor_command,
        "volact doctor --domain corp.example.com --domain example.com --dns-server 10.20.0.10 \
         --kms KMS01:1688 --time-server time.windows.com"
    );
}

/// A collector returning a binary event log, as the live `wevtutil epl` step does.
struct EvtxCollector(Vec<u8>);

impl Collector for EvtxCollector {
    fn id(&self) -> &str {
        "events-application"
    }
    fn command(&self) -> String {
        "wevtutil.exe epl Application <temp>.evtx".into()
    }
    fn collect(&self) -> Captured {
        Captured {
            exit_code: Some(0),
            files: vec![CapturedFile {
                name: "events/application-spp.evtx".into(),
                kind: FileKind::Evtx,
                content: Content::Binary(self.0.clone()),
            }],
            ..Captured::default()
        }
    }
}

/// A collector that fails, as a missing program does.
struct Broken;

impl Collector for Broken {
    fn id(&self) -> &str {
        "w32tm-status"
    }
    fn command(&self) -> String {
        "w32tm.exe /query /status".into()
    }
    fn collect(&self) -> Captured {
        Captured::failed(format!("cannot start: not found; key {CLIENT_KEY}"))
    }
}

#[test]
fn binary_event_logs_are_masked_in_place_and_still_searched() {
    let spp = "Microsoft-Windows-Security-SPP";
    let evtx = to_bytes(&[
        EvtxEvent::new(
            spp,
            "Application",
            8198,
            1_795_000_000,
            "pc1",
            vec![
                "hr=0xC004F074".into(),
                "RuleId=eeba1977;Action=AutoActivate".into(),
            ],
        ),
        EvtxEvent::new(
            spp,
            "Application",
            1066,
            1_795_000_100,
            "pc1",
            vec![format!("Installed key {CLIENT_KEY}")],
        ),
    ]);
    assert!(contains(&evtx, &utf16(CLIENT_KEY)));
    let collectors: Vec<Box<dyn Collector>> =
        vec![Box::new(EvtxCollector(evtx.clone())), Box::new(Broken)];
    let zip = collect_bytes(&collectors, "test");
    for (name, bytes) in entries(&zip) {
        assert_no_key(&bytes, CLIENT_KEY, &name);
    }
    let bundle = Bundle::read(Cursor::new(zip), Path::new("b.zip")).unwrap();
    let f = bundle.file(FileKind::Evtx).unwrap();
    assert_eq!(f.data.len(), evtx.len(), "masking keeps every offset");
    assert!(contains(&f.data, &utf16("*****-*****-*****-*****-2YT43")));
    assert_eq!(bundle.manifest.keys_redacted, 1);
    let broken = &bundle.manifest.steps[1];
    assert_eq!(broken.status, StepStatus::Failed);
    assert!(broken.error.as_deref().unwrap().contains("*****-2YT43"));
    let a = analyze(&bundle, Lang::En);
    assert!(a.findings.iter().any(|f| f.id() == "step-failed"));
    // `volact events` parsed the binary log: the 8198 code is found.
    assert_eq!(a.event_logs[0].records, 2);
    let c = a
        .codes
        .iter()
        .find(|c| c.code.to_string() == "0xC004F074")
        .unwrap();
    assert_eq!(c.files, ["events/application-spp.evtx"]);
}

fn zip_with(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn bad_bundles_are_refused_with_reasons() {
    let p = Path::new("x.zip");
    let e = Bundle::read(Cursor::new(b"not a zip at all".to_vec()), p).unwrap_err();
    assert!(matches!(e, BundleError::Zip { .. }), "{e}");
    let e = Bundle::read(Cursor::new(zip_with(&[("a.txt", b"x")])), p).unwrap_err();
    assert!(e.to_string().contains("no manifest.json"), "{e}");
    let e = Bundle::read(Cursor::new(zip_with(&[("manifest.json", b"{]")])), p).unwrap_err();
    assert!(e.to_string().contains("not JSON"), "{e}");
    let e = Bundle::read(
        Cursor::new(zip_with(&[("manifest.json", br#"{"format":"other"}"#)])),
        p,
    )
    .unwrap_err();
    assert!(matches!(e, BundleError::NotABundle { .. }), "{e}");
    let newer = br#"{"format":"volact-bundle","format_version":99}"#;
    let e = Bundle::read(Cursor::new(zip_with(&[("manifest.json", newer)])), p).unwrap_err();
    assert!(
        matches!(e, BundleError::NewerFormat { found: 99, .. }),
        "{e}"
    );

    // A truncated bundle: an error, not a panic.
    let (zip, _) = replay("kms-client");
    let cut = &zip[..zip.len() / 2];
    assert!(Bundle::read(Cursor::new(cut.to_vec()), p).is_err());
}

#[test]
fn missing_and_damaged_files_are_reported_and_the_rest_is_analysed() {
    let (zip, bundle) = replay("kms-client");
    // Rebuild the zip without slmgr-dlv.txt and with a damaged registry.json.
    let kept: Vec<(String, Vec<u8>)> = entries(&zip)
        .into_iter()
        .filter(|(n, _)| n != "slmgr-dlv.txt")
        .map(|(n, b)| {
            if n == "registry.json" {
                (n, b"{ broken".to_vec())
            } else {
                (n, b)
            }
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = kept
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let damaged = Bundle::read(Cursor::new(zip_with(&refs)), Path::new("d.zip")).unwrap();
    assert_eq!(damaged.files.len(), bundle.files.len() - 1);
    assert!(
        damaged
            .warnings
            .iter()
            .any(|w| w.contains("slmgr-dlv.txt") && w.contains("missing"))
    );
    let a = analyze(&damaged, Lang::En);
    assert!(
        a.bundle
            .warnings
            .iter()
            .any(|w| w.contains("registry.json"))
    );
    assert!(a.products.is_empty());
    assert!(
        a.codes.iter().any(|c| c.code.to_string() == "0xC004F074"),
        "events still read"
    );
}

#[test]
fn zh_tw_analysis_of_a_damaged_bundle_warns_in_chinese() {
    let (zip, _) = replay("kms-client");
    let kept: Vec<(String, Vec<u8>)> = entries(&zip)
        .into_iter()
        .filter(|(n, _)| n != "slmgr-dlv.txt")
        .map(|(n, b)| {
            if n == "registry.json" {
                (n, b"{ broken".to_vec())
            } else {
                (n, b)
            }
        })
        .collect();
    let refs: Vec<(&str, &[u8])> = kept
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let damaged = Bundle::read(Cursor::new(zip_with(&refs)), Path::new("d.zip")).unwrap();
    let a = analyze(&damaged, Lang::ZhTw);
    // The JSON contract keeps the English texts, with a kind beside them.
    assert!(
        a.bundle
            .warnings
            .iter()
            .any(|w| w.contains("not valid JSON"))
    );
    let v = serde_json::to_value(&a).unwrap();
    let kinds: Vec<&str> = v["bundle"]["warning_details"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"missing") && kinds.contains(&"not_json"),
        "{kinds:?}"
    );
    for out in [render::text(&a, false), render::markdown(&a)] {
        assert!(out.contains("zip 中沒有"), "{out}");
        assert!(out.contains("不是有效的 JSON，已忽略"), "{out}");
        for en in ["missing from the zip", "not valid JSON"] {
            assert!(!out.contains(en), "{en}: {out}");
        }
    }
}

#[test]
fn recordings_cannot_point_outside_their_folder() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("volact-collect-bad-recording");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("recording.json"),
        r#"{"description":"x","steps":[{"id":"a","command":"c","files":[{"name":"n","path":"../secret","kind":"text"}]}]}"#,
    )
    .unwrap();
    let e = recorded(&dir).err().expect("refused");
    assert!(e.to_string().contains("outside the recording"), "{e}");
    std::fs::write(dir.join("recording.json"), "{").unwrap();
    assert!(matches!(
        recorded(&dir).err(),
        Some(BundleError::BadRecording { .. })
    ));
}

#[test]
fn written_bundle_file_round_trips() {
    let (source, collectors) = recorded(&data("kms-host")).unwrap();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("volact-collect-file");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("host.zip");
    let mut seen = Vec::new();
    let m = volact_collect::collect_to_file(&collectors, &source, &path, &mut |p| {
        if let volact_collect::Progress::Done(r) = p {
            seen.push(r.id.clone());
        }
    })
    .unwrap();
    assert_eq!(seen.len(), 8);
    let b = Bundle::open(&path).unwrap();
    assert_eq!(b.manifest, m);
    // No partial file is left behind.
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(left.is_empty());
}
