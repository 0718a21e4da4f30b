//! `POST /api/v1/events`: .evtx, XML and text uploads, raw or multipart, against the library
//! driven the way the CLI drives it (a file read through `source::read_input`).

use std::path::PathBuf;

use axum::http::StatusCode;
use serde_json::Value;
use volact_core::Lang;
use volact_events::analyze::{Analyzer, Options};
use volact_server::Config;
use volact_testsupport::evtx::kms::{HostLog, HostLogSpec, client_application_log};
use volact_testsupport::evtx::to_bytes;

use super::{KEY, KEY_TAIL, app, logged_app, post, router};

fn host_log() -> Vec<u8> {
    let spec = HostLogSpec {
        clients: 30,
        clones: 2,
        skewed: 1,
        days: 20,
        seed: 5,
        ..HostLogSpec::default()
    };
    let events: Vec<_> = HostLog::new(spec).map(|(e, _)| e).collect();
    to_bytes(&events)
}

/// A temp file removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, data: &[u8]) -> Self {
        // One directory per call: tests run in parallel and several write a file of the same
        // name (a shared path let one test truncate the file another was reading).
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "volact-server-test-{}-{n}-{name}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, data).unwrap();
        Self(p)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(d) = self.0.parent() {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

/// What `volact events --format json FILE` computes, with the input named `name`.
fn cli_report(data: &[u8], file: &str, name: &str, lang: Lang, opts: Options) -> Value {
    let t = TempFile::new(file, data);
    let mut an = Analyzer::new(opts);
    let mut s = volact_events::source::read_input(&t.0, &mut an);
    s.name = name.to_owned();
    let mut report = an.report(lang);
    report.inputs = vec![s];
    let text = serde_json::to_string_pretty(&report).unwrap();
    let redacted: String = text
        .split_inclusive('\n')
        .map(|l| volact_core::key::redact_keys_in(l).into_owned())
        .collect();
    serde_json::from_str(&redacted).unwrap()
}

pub(crate) fn multipart(file_name: &str, data: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----volactTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn evtx_upload_raw_and_multipart_is_the_cli_report() {
    let log = host_log();
    let app = app();
    for lang in Lang::ALL {
        let q = format!("/api/v1/events?lang={}", lang.tag());
        let raw = post(&app, &q, Some("application/octet-stream"), log.clone()).await;
        assert_eq!(raw.status, StatusCode::OK, "{}", raw.text());
        assert_eq!(raw.header("content-type"), "application/json");
        let v = raw.json();
        assert_eq!(
            v,
            cli_report(&log, "kms.evtx", "upload", lang, Options::default())
        );
        assert_eq!(v["inputs"][0]["name"], "upload");
        assert_eq!(v["inputs"][0]["kind"], "evtx");
        assert!(
            v["host"]["requests"].as_u64().unwrap() > 30,
            "{}",
            v["host"]
        );
        assert!(!v["host"]["clients"].as_array().unwrap().is_empty());

        let (ct, body) = multipart("C:\\logs\\kms.evtx", &log);
        let mp = post(&app, &q, Some(&ct), body).await;
        assert_eq!(mp.status, StatusCode::OK, "{}", mp.text());
        let v = mp.json();
        assert_eq!(v["inputs"][0]["name"], "kms.evtx");
        assert_eq!(
            v,
            cli_report(&log, "kms.evtx", "kms.evtx", lang, Options::default())
        );
    }
}

#[tokio::test]
async fn filters_are_the_cli_options() {
    let log = host_log();
    let app = app();
    let r = post(
        &app,
        "/api/v1/events?since=2026-11-10&until=2026-11-15&now=2026-11-16T00:00:00Z",
        Some("application/octet-stream"),
        log.clone(),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let t = |s: &str| volact_core::event::Timestamp::parse(s).unwrap();
    let until = t("2026-11-15");
    let opts = Options {
        since: Some(t("2026-11-10")),
        until: Some(volact_core::event::Timestamp::from_unix(
            until.unix() + 86_399,
            until.is_utc(),
        )),
        now: Some(t("2026-11-16T00:00:00Z")),
        client: None,
    };
    let want = cli_report(&log, "kms.evtx", "upload", Lang::En, opts);
    assert_eq!(r.json(), want);
    let all = post(&app, "/api/v1/events", None, log).await.json();
    assert!(
        r.json()["stats"]["events_used"].as_u64() < all["stats"]["events_used"].as_u64(),
        "the filter keeps fewer events"
    );
    for bad in ["since=yesterday", "until=2026-13-45", "now=%3Cscript%3E"] {
        post(&app, &format!("/api/v1/events?{bad}"), None, "x")
            .await
            .assert_error(StatusCode::BAD_REQUEST, "bad_time");
    }
}

#[tokio::test]
async fn xml_and_text_uploads() {
    let xml = "<Events><Event><System><Provider Name='Microsoft-Windows-Security-Licensing-SLC'/><EventID>12293</EventID><TimeCreated SystemTime='2026-11-24T06:00:00Z'/><Computer>kms01</Computer></System><EventData><Data>0x8007232B</Data><Data>contoso.test</Data></EventData></Event></Events>";
    let app = app();
    let r = post(&app, "/api/v1/events", Some("application/xml"), xml).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["inputs"][0]["kind"], "xml");
    assert_eq!(v["stats"]["events_used"], 1);
    assert_eq!(
        v,
        cli_report(
            xml.as_bytes(),
            "e.xml",
            "upload",
            Lang::En,
            Options::default()
        )
    );
    // UTF-16 with a BOM, as wevtutil writes it.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(xml.encode_utf16().flat_map(u16::to_le_bytes));
    let r = post(&app, "/api/v1/events", Some("text/xml"), utf16).await;
    assert_eq!(r.json()["stats"]["events_used"], 1);
    // A client log as Event Viewer text is read too; a key in it never comes back.
    let client = client_application_log(
        "pc1.contoso.test",
        "kms01.contoso.test:1688",
        &[(0xC004_F074, None)],
        1_794_000_000,
    );
    let evtx = to_bytes(&client);
    let r = post(&app, "/api/v1/events", None, evtx.clone()).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.json()["client"].is_object(), "{}", r.text());
    let text = format!(
        "Log Name: Application\nSource: Microsoft-Windows-Security-SPP\nEvent ID: 12288\nDescription:\nThe client has sent an activation request to the key management service machine.\nInfo:\n0xC004F074, 0x0, kms01.contoso.test:1688, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/11/18 11:06, 0, 2, 43200, {KEY}, 25\n"
    );
    let (app, log) = logged_app(Config::default());
    let r = post(&app, "/api/v1/events", Some("text/plain"), text.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(!r.text().contains(&KEY[..23]));
    assert_eq!(
        r.json(),
        cli_report(
            text.as_bytes(),
            "e.txt",
            "upload",
            Lang::En,
            Options::default()
        )
    );
    assert!(!log.lock().unwrap().join("").contains(KEY_TAIL));
}

#[tokio::test]
async fn damaged_uploads_give_warnings_or_422_never_500() {
    let app = app();
    let log = host_log();
    // Cut in the middle of a chunk: what was read is reported, with a warning.
    let cut = &log[..log.len().min(4096 + 65_536 / 2)];
    let r = post(&app, "/api/v1/events", None, cut.to_vec()).await;
    assert!(
        r.status == StatusCode::OK || r.status == StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.text()
    );
    if r.status == StatusCode::OK {
        let v = r.json();
        assert!(
            v["inputs"][0]["error"].is_string() || v["warnings_total"].as_u64() > Some(0),
            "{v}"
        );
    }
    // Flipped bytes inside the records.
    let mut flipped = log.clone();
    for i in (5000..flipped.len()).step_by(97) {
        flipped[i] ^= 0x5A;
    }
    let r = post(&app, "/api/v1/events", None, flipped).await;
    assert!(
        r.status == StatusCode::OK || r.status == StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.text()
    );
    // Only a file header: nothing at all can be read.
    let mut header_only = b"ElfFile\0".to_vec();
    header_only.extend_from_slice(&[0xAB; 100]);
    let r = post(&app, "/api/v1/events", None, header_only).await;
    r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unreadable_log");
    // Malformed XML keeps what was read.
    let r = post(
        &app,
        "/api/v1/events",
        Some("application/xml"),
        "<Events><Event><System><EventID>12293</Event",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.json()["warnings_total"].as_u64().unwrap() > 0,
        "{}",
        r.text()
    );
    // Random bytes that are not a log at all: read as text, nothing found.
    let noise: Vec<u8> = (0..10_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let r = post(&app, "/api/v1/events", None, noise).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["stats"]["events_used"], 0);
}

#[tokio::test]
async fn upload_errors() {
    let small = router(Config {
        max_upload: 1000,
        ..Config::default()
    });
    post(&small, "/api/v1/events", None, vec![b'x'; 1001])
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");
    let (ct, body) = multipart("big.evtx", &[b'x'; 5000]);
    post(&small, "/api/v1/events", Some(&ct), body)
        .await
        .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");
    let app = app();
    post(&app, "/api/v1/events", Some("application/json"), "{}")
        .await
        .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    post(&app, "/api/v1/events", Some("multipart/form-data"), "x")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_multipart");
    let (ct, _) = multipart("a.evtx", b"");
    post(
        &app,
        "/api/v1/events",
        Some(&ct),
        "------volactTestBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nx\r\n------volactTestBoundary7MA4YWxkTrZu0gW--\r\n",
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "bad_multipart");
    let (ct2, mut two) = multipart("a.evtx", b"<Events/>");
    two.truncate(two.len() - "------volactTestBoundary7MA4YWxkTrZu0gW--\r\n".len());
    two.extend_from_slice(b"------volactTestBoundary7MA4YWxkTrZu0gW\r\nContent-Disposition: form-data; name=\"extra\"\r\n\r\n42\r\n------volactTestBoundary7MA4YWxkTrZu0gW--\r\n");
    post(&app, "/api/v1/events", Some(&ct2), two)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_multipart");
    post(
        &app,
        "/api/v1/events",
        Some(&ct),
        "------volactTestBoundary7MA4YWxkTrZu0gW--\r\n",
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "bad_multipart");
    post(&app, "/api/v1/events?lang=de", None, "x")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_lang");
}

/// The key KEY written the ways a person or a program may write it.
pub(super) fn key_forms() -> Vec<String> {
    vec![
        KEY.to_owned(),
        "ＢＣＤＦＧ－ＨＪＫＭＮ－ＰＱＲＴＶ－ＷＸＹ２３－４６７８９".to_owned(),
        "BCDFG\t-HJKMN-PQRTV-WXY23-46789".to_owned(),
        "BCDFG-HJKMN-PQRTV-WXY23\t-46789".to_owned(),
        "BCDFG - HJKMN - PQRTV - WXY23 - 46789".to_owned(),
        "BCDFG HJKMN PQRTV WXY23 46789".to_owned(),
        format!("x{KEY}y"),
        "BCDFG‐HJKMN—PQRTV–WXY23−46789".to_owned(),
    ]
}

/// No group of KEY but the last, in ASCII or full width, in `text` or in any string of it once
/// decoded as JSON.
pub(super) fn assert_no_key(text: &str, what: &str) {
    let mut texts = vec![text.to_owned()];
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        let mut all = Vec::new();
        super::strings(&v, &mut all);
        texts.extend(all);
    }
    for t in texts {
        let folded: String = t
            .chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                c => c,
            })
            .collect();
        for g in ["BCDFG", "HJKMN", "PQRTV", "WXY23"] {
            assert!(
                !folded.to_ascii_uppercase().contains(g),
                "{what}: {g} in {}",
                &t[..t.len().min(3000)]
            );
        }
    }
}

#[tokio::test]
async fn keys_in_names_and_data_never_come_back() {
    let (app, log) = logged_app(Config::default());
    for form in key_forms() {
        // In the events themselves: the computer and the domain.
        let xml = format!(
            "<Events><Event><System><Provider Name='Microsoft-Windows-Security-Licensing-SLC'/><EventID>12293</EventID><TimeCreated SystemTime='2026-11-24T06:00:00Z'/><Computer>{form}</Computer></System><EventData><Data>0x8007232B</Data><Data>{form}</Data></EventData></Event></Events>"
        );
        let r = post(
            &app,
            "/api/v1/events?lang=zh-TW",
            Some("application/xml"),
            xml.clone(),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_no_key(&r.text(), &format!("events data {form:?}"));
        // As the client filter.
        let r = post(
            &app,
            &format!("/api/v1/events?client={}", super::urlencode(&form)),
            Some("application/xml"),
            xml.clone(),
        )
        .await;
        assert_no_key(&r.text(), &format!("events client {form:?}"));
        // As the uploaded file's name.
        let (ct, body) = multipart(&format!("C:\\logs\\{form}.xml"), xml.as_bytes());
        let r = post(&app, "/api/v1/events", Some(&ct), body).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        assert_no_key(&r.text(), &format!("file name {form:?}"));
        // A damaged .evtx named after the key: the warnings name the file.
        let mut log = host_log();
        log.truncate(log.len() - 1000);
        let (ct, body) = multipart(&format!("{form}.evtx"), &log);
        let r = post(&app, "/api/v1/events?lang=zh-TW", Some(&ct), body).await;
        assert_no_key(&r.text(), &format!("damaged file name {form:?}"));
    }
    let lines = log.lock().unwrap().join("");
    assert_no_key(&lines, "access log");
}

/// The warnings about a damaged `.evtx` come in the language asked for, as the CLI writes them.
#[tokio::test]
async fn warnings_about_damage_are_in_the_language_asked_for() {
    let app = app();
    let mut log = host_log();
    log.truncate(log.len() - 1000);
    let mut texts = Vec::new();
    for lang in [Lang::En, Lang::ZhTw] {
        let r = post(
            &app,
            &format!("/api/v1/events?lang={}", lang.tag()),
            Some("application/octet-stream"),
            log.clone(),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let v = r.json();
        let warnings: Vec<String> = v["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .map(|w| w.as_str().unwrap().to_owned())
            .collect();
        assert!(
            !warnings.is_empty(),
            "a truncated file is warned about: {v}"
        );
        // The same sentences the library writes for that language, from the details.
        let mut an = Analyzer::new(Options::default());
        volact_events::evtx::read_evtx(std::io::Cursor::new(&log[..]), "upload", &mut an).unwrap();
        let report = an.report(lang);
        let want: Vec<String> = report
            .warning_details
            .iter()
            .map(|w| w.message(lang))
            .collect();
        assert_eq!(warnings, want, "{lang}");
        texts.push(warnings);
    }
    assert_ne!(
        texts[0], texts[1],
        "the zh-TW warnings are not the English ones"
    );
    assert!(
        texts[1]
            .iter()
            .all(|w| w.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))),
        "{:?}",
        texts[1]
    );
}

/// A `.evtx` upload cut inside its file header: the 422 message says what is wrong in the
/// language asked for (the library's own sentence for that language).
#[tokio::test]
async fn a_cut_evtx_is_refused_in_the_language_asked_for() {
    let app = app();
    let cut = host_log()[..2000].to_vec();
    let mut an = Analyzer::new(Options::default());
    let err = volact_events::evtx::read_evtx(std::io::Cursor::new(&cut[..]), "upload", &mut an)
        .unwrap_err();
    let r = post(&app, "/api/v1/events?lang=zh-TW", None, cut.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let v = r.json();
    assert_eq!(v["error"], "unreadable_log", "{v}");
    let m = v["message"].as_str().unwrap();
    assert!(m.contains(&err.message(Lang::ZhTw)), "{m}");
    assert!(m.contains("2,000") && !m.contains("file header"), "{m}");
    let r = post(&app, "/api/v1/events?lang=en", None, cut).await;
    r.assert_error(StatusCode::UNPROCESSABLE_ENTITY, "unreadable_log");
    let m = r.json()["message"].as_str().unwrap().to_owned();
    assert!(m.contains(&err.message(Lang::En)), "{m}");
}
