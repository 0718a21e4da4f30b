//! The JSON API without a socket: every endpoint through `tower::ServiceExt::oneshot`, every error
//! status, both languages, product keys kept out of responses and the access log.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;
use volact_core::Lang;
use volact_server::{AccessLog, Config, router};

mod attack;
mod doctor;
mod events;
mod page;
mod products;

const KEY: &str = "BCDFG-HJKMN-PQRTV-WXY23-46789";
const KEY_TAIL: &str = "46789";

struct Resp {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(500)])
            )
        })
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map_or("", |v| v.to_str().unwrap_or(""))
    }
    /// Asserts an error answer: status, JSON `{"error": kind, "message": ...}`.
    fn assert_error(&self, status: StatusCode, kind: &str) {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(self.header("content-type"), "application/json");
        let v = self.json();
        assert_eq!(v["error"], kind, "{v}");
        let m = v["message"].as_str().unwrap();
        assert!(m.len() > 10 && m.ends_with('.'), "{m}");
        assert_eq!(v.as_object().unwrap().len(), 2, "{v}");
    }
}

async fn send(app: &Router, req: Request<Body>) -> Resp {
    let r = app.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let body = r.into_body().collect().await.unwrap().to_bytes().to_vec();
    Resp {
        status,
        headers,
        body,
    }
}

async fn get(app: &Router, uri: &str) -> Resp {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post(app: &Router, uri: &str, ct: Option<&str>, body: impl Into<Body>) -> Resp {
    let mut b = Request::post(uri);
    if let Some(ct) = ct {
        b = b.header(header::CONTENT_TYPE, ct);
    }
    send(app, b.body(body.into()).unwrap()).await
}

fn app() -> Router {
    router(Config::default())
}

fn logged_app(cfg: Config) -> (Router, Arc<Mutex<Vec<String>>>) {
    let mem = Arc::new(Mutex::new(Vec::new()));
    let app = router(Config {
        access_log: AccessLog::Memory(mem.clone()),
        ..cfg
    });
    (app, mem)
}

/// What `volact explain --format json CODE` gives for one argument: its only result, with the
/// report's schema_version.
fn cli_explanation(arg: &str, lang: Lang) -> Value {
    let mut c = volact_core::explain::Collector::new();
    c.add_argument(arg);
    let report = c.report(lang);
    assert_eq!(report.results.len(), 1, "{arg}");
    let mut v = serde_json::to_value(&report.results[0]).unwrap();
    v["schema_version"] = report.schema_version.into();
    v
}

#[tokio::test]
async fn healthz_and_security_headers() {
    let r = get(&app(), "/healthz").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json(),
        serde_json::json!({"status": "ok", "version": env!("CARGO_PKG_VERSION")})
    );
    assert_eq!(r.header("content-security-policy"), volact_server::CSP);
    assert!(volact_server::CSP.contains("script-src 'self';"));
    assert!(!volact_server::CSP.contains("unsafe-inline"));
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert_eq!(r.header("referrer-policy"), "no-referrer");
    assert_eq!(r.header("x-frame-options"), "DENY");
    assert_eq!(r.header("cache-control"), "no-store");
}

#[tokio::test]
async fn one_code_in_every_form_is_the_cli_explanation() {
    let app = app();
    for lang in Lang::ALL {
        for form in [
            "0xC004F074",
            "C004F074",
            "c004f074",
            "-1073418124",
            "3221549172",
            "SL_E_VL_BINDING_SERVICE_UNAVAILABLE",
        ] {
            let r = get(&app, &format!("/api/v1/codes/{form}?lang={}", lang.tag())).await;
            assert_eq!(r.status, StatusCode::OK, "{form}: {}", r.text());
            assert_eq!(r.header("content-type"), "application/json");
            assert_eq!(r.header("cache-control"), "no-store");
            let v = r.json();
            assert_eq!(v, cli_explanation(form, lang), "{form} {lang}");
            assert_eq!(v["code"], "0xC004F074");
            assert_eq!(v["lang"], lang.tag());
            assert_eq!(v["known"], true);
        }
    }
    // A Win32 number, a symbolic name from Windows' tables, a code outside the knowledge base.
    for (arg, code, known) in [
        ("1722", "0x800706BA", true),
        ("SL_E_VL_INVALID_TIMESTAMP", "0xC004F06C", true),
        ("0x8007000E", "0x8007000E", false),
        ("0xDEAD0001", "0xDEAD0001", false),
    ] {
        let r = get(&app, &format!("/api/v1/codes/{arg}")).await;
        assert_eq!(r.status, StatusCode::OK, "{arg}");
        let v = r.json();
        assert_eq!(v["code"], code, "{arg}");
        assert_eq!(v["known"], known, "{arg}");
        assert_eq!(v, cli_explanation(arg, Lang::En), "{arg}");
    }
}

/// The edges of what the OpenAPI document's pattern for `{code}` allows are what the server takes.
#[tokio::test]
async fn numeric_edges_match_the_documented_pattern() {
    let app = app();
    for ok in [
        "0",
        "-0",
        "0x0",
        "0X1f",
        "00001722",
        "-2147483648",
        "4294967295",
        "0x00000000C004F074",
        "ffffffff",
        "-000000000000001",
    ] {
        let r = get(&app, &format!("/api/v1/codes/{ok}")).await;
        assert_eq!(r.status, StatusCode::OK, "{ok}: {}", r.text());
    }
    for bad in [
        "-2147483649",
        "4294967296",
        "0x123456789",
        "0x",
        "%200x1",
        "0x1%20",
        "+1",
        "1e3",
        "0000000000000000000000001",
    ] {
        let r = get(&app, &format!("/api/v1/codes/{bad}")).await;
        r.assert_error(StatusCode::BAD_REQUEST, "bad_code");
    }
}

#[tokio::test]
async fn explanation_snapshots_in_both_languages() {
    let app = app();
    let en = get(&app, "/api/v1/codes/0xC004F074?lang=en").await.json();
    insta::assert_json_snapshot!("explain_c004f074_en", en);
    let zh = get(&app, "/api/v1/codes/0xC004F074?lang=zh-TW")
        .await
        .json();
    insta::assert_json_snapshot!("explain_c004f074_zh", zh);
    assert_ne!(en["message"], zh["message"]);
}

#[tokio::test]
async fn bad_codes_and_parameters_are_400() {
    let app = app();
    for path in [
        "/api/v1/codes/zzz",
        "/api/v1/codes/0xZZ",
        "/api/v1/codes/99999999999",
        "/api/v1/codes/%20",
        "/api/v1/codes/%FF%FE",
    ] {
        get(&app, path)
            .await
            .assert_error(StatusCode::BAD_REQUEST, "bad_code");
    }
    // A product key in the path is not a code, and is not repeated in the answer.
    let r = get(&app, &format!("/api/v1/codes/{KEY}")).await;
    r.assert_error(StatusCode::BAD_REQUEST, "bad_code");
    assert!(!r.text().contains(&KEY[..23]), "{}", r.text());
    for lang in ["fr", "EN", "zh-tw", "english"] {
        get(&app, &format!("/api/v1/codes/0xC004F074?lang={lang}"))
            .await
            .assert_error(StatusCode::BAD_REQUEST, "bad_lang");
    }
    // Empty parameters mean "absent".
    let v = get(&app, "/api/v1/codes?lang=&type=&q=").await.json();
    assert_eq!(v["lang"], "en");
    assert_eq!(v["total"], volact_core::kb::list(None).len());
    get(&app, "/api/v1/codes?type=oem")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_type");
    get(&app, &format!("/api/v1/codes?q={}", "a".repeat(300)))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "query_too_long");
    get(&app, &format!("/api/v1/codes?q={}", "a".repeat(9000)))
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_query");
}

#[tokio::test]
async fn list_and_search_match_the_knowledge_base() {
    let app = app();
    let v = get(&app, "/api/v1/codes").await.json();
    let all = volact_core::kb::list(None);
    assert_eq!(v["total"], all.len());
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["lang"], "en");
    let rows = v["results"].as_array().unwrap();
    assert_eq!(rows.len(), all.len());
    for (row, e) in rows.iter().zip(&all) {
        assert_eq!(row["code"], e.code.to_string());
        assert_eq!(row["message"], e.en.message);
        assert!(row.get("score").is_none());
    }
    let v = get(&app, "/api/v1/codes?type=kms-host&lang=zh-TW")
        .await
        .json();
    let hosts = volact_core::kb::list(Some(volact_core::kb::ActivationType::KmsHost));
    assert_eq!(v["total"], hosts.len());
    assert_eq!(v["type"], "kms-host");
    assert_eq!(v["results"][0]["message"], hosts[0].zh_tw.message);
    for row in v["results"].as_array().unwrap() {
        assert!(
            row["activation_types"]
                .as_array()
                .unwrap()
                .contains(&"kms-host".into())
        );
    }
    // Search, in either language, best first, as `volact search`.
    for q in ["DNS", "寬限期", "1688"] {
        let v = get(
            &app,
            &format!("/api/v1/codes?q={}&lang=zh-TW", urlencode(q)),
        )
        .await
        .json();
        let hits = volact_core::kb::search(q);
        assert!(!hits.is_empty(), "{q}");
        assert_eq!(v["total"], hits.len(), "{q}");
        assert_eq!(v["query"], q);
        assert_eq!(v["results"][0]["code"], hits[0].entry.code.to_string());
        assert_eq!(v["results"][0]["score"], hits[0].score);
    }
    let v = get(&app, "/api/v1/codes?q=nothing-matches-this")
        .await
        .json();
    assert_eq!(v["total"], 0);
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

const PASTE: &str = "\
Error: 0xC004F074 <script>window.__pwned=1</script>
Name: Windows(R), ServerStandard edition
Description: Windows(R) Operating System, VOLUME_KMSCLIENT channel
Partial Product Key: 2YT43
License Status: Notification
Notification Reason: 0xC004F056.
key typed: BCDFG-HJKMN-PQRTV-WXY23-46789
";

fn scan_json(text: &str, lang: Lang) -> Value {
    let scan = volact_scan::scan_str("pasted", text, &volact_scan::Options::default());
    serde_json::from_str(&volact_scan::render::json(&scan.report(lang))).unwrap()
}

#[tokio::test]
async fn analyze_gives_the_scan_report_with_keys_redacted() {
    let (app, log) = logged_app(Config::default());
    for lang in Lang::ALL {
        let q = format!("/api/v1/analyze?lang={}", lang.tag());
        let plain = post(&app, &q, Some("text/plain; charset=utf-8"), PASTE).await;
        assert_eq!(plain.status, StatusCode::OK, "{}", plain.text());
        assert_eq!(plain.header("content-type"), "application/json");
        let v = plain.json();
        assert_eq!(v, scan_json(PASTE, lang));
        assert_eq!(v["lang"], lang.tag());
        assert_eq!(v["inputs"][0]["path"], "pasted");
        assert_eq!(v["summary"][0]["code"], "0xC004F074");
        assert!(!v["snapshots"].as_array().unwrap().is_empty(), "{v}");
        let json = post(
            &app,
            &q,
            Some("application/json"),
            serde_json::to_vec(&serde_json::json!({ "text": PASTE })).unwrap(),
        )
        .await;
        assert_eq!(json.json(), v);
        for r in [&plain, &json] {
            assert!(!r.text().contains(&KEY[..23]), "key leaked");
        }
    }
    // UTF-16 LE with a BOM, as Windows tools write it.
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(PASTE.encode_utf16().flat_map(u16::to_le_bytes));
    let r = post(&app, "/api/v1/analyze", Some("text/plain"), utf16).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["summary"][0]["code"], "0xC004F074");
    assert_eq!(r.json()["inputs"][0]["encoding"], "UTF-16LE");
    // No content type: read as text.
    let r = post(&app, "/api/v1/analyze", None, "0x8007232B").await;
    assert_eq!(r.json()["summary"][0]["code"], "0x8007232B");
    let lines = log.lock().unwrap().join("");
    assert!(
        lines.contains("POST /api/v1/analyze?lang=zh-TW 200 "),
        "{lines}"
    );
    assert!(!lines.contains(KEY_TAIL), "{lines}");
}

/// Every string value in a JSON document.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn pasted_script_comes_back_only_as_json_string_data() {
    let r = post(&app(), "/api/v1/analyze", Some("text/plain"), PASTE).await;
    assert_eq!(r.header("content-type"), "application/json");
    assert_eq!(r.header("x-content-type-options"), "nosniff");
    assert!(
        r.header("content-security-policy")
            .starts_with("default-src 'none'")
    );
    let v = r.json();
    let mut all = Vec::new();
    strings(&v, &mut all);
    assert!(all.iter().any(|s| s.contains("<script>")), "context kept");
    // Every occurrence in the raw body is inside one of those strings.
    let raw = r.text();
    let in_strings: usize = all.iter().map(|s| s.matches("<script>").count()).sum();
    assert_eq!(raw.matches("<script>").count(), in_strings);
}

#[tokio::test]
async fn analyze_errors() {
    let small = router(Config {
        max_text: 100,
        ..Config::default()
    });
    post(
        &small,
        "/api/v1/analyze",
        Some("text/plain"),
        "x".repeat(101),
    )
    .await
    .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");
    // Without a Content-Length (streamed), the limit holds too.
    let stream = futures_body(vec![vec![b'x'; 60], vec![b'y'; 60]]);
    send(
        &small,
        Request::post("/api/v1/analyze")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(stream)
            .unwrap(),
    )
    .await
    .assert_error(StatusCode::PAYLOAD_TOO_LARGE, "body_too_large");
    let app = app();
    post(&app, "/api/v1/analyze", Some("image/png"), "x")
        .await
        .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    let r = post(
        &app,
        "/api/v1/analyze",
        Some("application/json"),
        format!("{{\"text\": \"{KEY}\""),
    )
    .await;
    r.assert_error(StatusCode::BAD_REQUEST, "bad_json");
    assert!(!r.text().contains(KEY_TAIL));
    post(
        &app,
        "/api/v1/analyze",
        Some("application/json"),
        "{\"txt\": 1}",
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "bad_json");
    get(&app, "/api/v1/analyze")
        .await
        .assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    for path in ["/api/v1/analyze", "/api/v1/events"] {
        post(&app, path, None, "")
            .await
            .assert_error(StatusCode::BAD_REQUEST, "empty_body");
    }
    post(&app, "/api/v1/analyze", Some("text/plain"), "")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "empty_body");
    // An empty file that says what it is: the empty report, as for an empty file on the CLI.
    let r = post(&app, "/api/v1/events", Some("text/plain"), "").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["stats"]["events_used"], 0);
    post(&app, "/api/v1/keys/check", Some("text/plain"), "")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "empty_body");
    post(&app, "/api/v1/keys/check", Some("application/json"), "")
        .await
        .assert_error(StatusCode::BAD_REQUEST, "bad_json");
}

/// A body sent in the given pieces, without a length.
fn futures_body(pieces: Vec<Vec<u8>>) -> Body {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<bytes::Bytes, std::io::Error>>(8);
    tokio::spawn(async move {
        for p in pieces {
            if tx.send(Ok(p.into())).await.is_err() {
                return;
            }
        }
    });
    Body::from_stream(tokio_stream(rx))
}

/// A stream over a channel, without a dependency on tokio-stream.
fn tokio_stream(
    mut rx: tokio::sync::mpsc::Receiver<Result<bytes::Bytes, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> + Send + 'static {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

/// A body that sends `first` and then never ends (until the returned sender is dropped).
fn hanging_body(
    first: &[u8],
) -> (
    Body,
    tokio::sync::mpsc::Sender<Result<bytes::Bytes, std::io::Error>>,
) {
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    tx.try_send(Ok(bytes::Bytes::copy_from_slice(first)))
        .unwrap();
    (Body::from_stream(tokio_stream(rx)), tx)
}

/// Waits until a hanging body's first piece was taken by the server.
async fn until_taken(tx: &tokio::sync::mpsc::Sender<Result<bytes::Bytes, std::io::Error>>) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while tx.capacity() < tx.max_capacity() {
        assert!(
            std::time::Instant::now() < deadline,
            "the first request never started"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_body_still_arriving_holds_no_analysis_slot() {
    let app = router(Config {
        max_heavy: 1,
        busy_wait: Duration::from_millis(50),
        ..Config::default()
    });
    // The first analysis waits for the rest of its body, without the only slot.
    let (body, tx) = hanging_body(b"0xC004F074 ");
    let first = tokio::spawn({
        let app = app.clone();
        async move {
            send(
                &app,
                Request::post("/api/v1/analyze")
                    .header(header::CONTENT_TYPE, "text/plain")
                    .body(body)
                    .unwrap(),
            )
            .await
        }
    });
    until_taken(&tx).await;
    for path in ["/api/v1/analyze", "/api/v1/events"] {
        let r = post(&app, path, Some("text/plain"), "0x8007232B").await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.text());
    }
    assert_eq!(
        get(&app, "/api/v1/codes/0xC004F074").await.status,
        StatusCode::OK
    );
    // The first one finishes once its body is complete.
    tx.send(Ok("0x8007232B\n".into())).await.unwrap();
    drop(tx);
    let r = first.await.unwrap();
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["totals"]["distinct_codes"], 2);
}

#[tokio::test]
async fn bodies_held_at_once_are_bounded_with_503_and_retry_after() {
    // The budget is the largest upload plus 1 MiB: one body of almost 1 MiB fills it.
    let app = router(Config {
        max_upload: 8 * 1024,
        max_body_memory: 0,
        busy_wait: Duration::from_millis(50),
        ..Config::default()
    });
    let big = vec![b'x'; 1_000_000];
    let (body, tx) = hanging_body(&big);
    let first = tokio::spawn({
        let app = app.clone();
        async move {
            send(
                &app,
                Request::post("/api/v1/analyze")
                    .header(header::CONTENT_TYPE, "text/plain")
                    .body(body)
                    .unwrap(),
            )
            .await
        }
    });
    until_taken(&tx).await;
    tokio::time::sleep(Duration::from_millis(50)).await;
    // About 55 KiB are left: bodies larger than that wait, then get 503.
    for (path, n) in [("/api/v1/analyze", 100_000), ("/api/v1/keys/check", 60_000)] {
        let r = post(&app, path, Some("text/plain"), vec![b'y'; n]).await;
        r.assert_error(StatusCode::SERVICE_UNAVAILABLE, "busy");
        assert_eq!(r.header("retry-after"), "1");
    }
    // Light requests are not held up.
    assert_eq!(
        get(&app, "/api/v1/codes/0xC004F074").await.status,
        StatusCode::OK
    );
    tx.send(Ok(" 0x8007232B\n".into())).await.unwrap();
    drop(tx);
    let r = first.await.unwrap();
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // Its memory is free again.
    let r = post(
        &app,
        "/api/v1/analyze",
        Some("text/plain"),
        vec![b'y'; 100_000],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[tokio::test]
async fn a_body_that_stops_arriving_gets_408() {
    let app = router(Config {
        body_timeout: Duration::from_millis(100),
        ..Config::default()
    });
    let (body, _tx) = hanging_body(b"0xC004F074");
    send(
        &app,
        Request::post("/api/v1/analyze")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(body)
            .unwrap(),
    )
    .await
    .assert_error(StatusCode::REQUEST_TIMEOUT, "body_timeout");
}

#[tokio::test]
async fn a_request_over_the_overall_deadline_gets_503() {
    let app = router(Config {
        request_timeout: Duration::from_millis(100),
        ..Config::default()
    });
    let (body, _tx) = hanging_body(b"0xC004F074");
    let r = send(
        &app,
        Request::post("/api/v1/analyze")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(body)
            .unwrap(),
    )
    .await;
    r.assert_error(StatusCode::SERVICE_UNAVAILABLE, "timeout");
    assert_eq!(r.header("content-security-policy"), volact_server::CSP);
}

#[tokio::test]
async fn unknown_routes_and_methods_are_json() {
    let app = app();
    for path in [
        "/api/v1/nope",
        "/api/v2/codes",
        "/nope",
        "/code/",
        "/assets/x.js",
    ] {
        let r = get(&app, path).await;
        r.assert_error(StatusCode::NOT_FOUND, "not_found");
        assert_eq!(r.header("cache-control"), "no-store");
    }
    let r = send(
        &app,
        Request::delete("/api/v1/codes/0xC004F074")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    r.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    assert!(r.header("allow").contains("GET"), "{:?}", r.headers);
    let r = get(&app, "/api/v1/keys/check").await;
    r.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
    assert_eq!(r.header("allow"), "POST");
}

#[tokio::test]
async fn key_check_matches_the_cli_and_never_returns_the_key() {
    let (app, log) = logged_app(Config::default());
    for lang in Lang::ALL {
        for typed in [
            KEY,
            "bcdfg-hjkmn-pqrtv-wxy23-46789",
            "BCDFG–HJKMN-PQRTV-WXY23-4678I",
            " ",
        ] {
            let q = format!("/api/v1/keys/check?lang={}", lang.tag());
            let body = serde_json::to_vec(&serde_json::json!({ "key": typed })).unwrap();
            let r = post(&app, &q, Some("application/json"), body).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            assert_eq!(r.text(), volact_server::keys::check_json(typed, lang));
            assert!(!r.text().contains("HJKMN") && !r.text().contains("hjkmn"));
            let v = r.json();
            assert_eq!(v["schema_version"], 1);
            assert_eq!(v["related_codes"][0], "0xC004F050");
            if typed == KEY {
                assert_eq!(v["exact"], true);
                assert_eq!(v["redacted"], "*****-*****-*****-*****-46789");
            } else {
                assert_eq!(v["exact"], false);
                assert!(!v["messages"].as_array().unwrap().is_empty());
            }
            let plain = post(&app, &q, Some("text/plain"), typed.to_owned()).await;
            assert_eq!(plain.text(), r.text());
        }
    }
    let zh = post(
        &app,
        "/api/v1/keys/check?lang=zh-TW",
        Some("application/json"),
        "{\"key\":\"bcdfg-hjkmn-pqrtv-wxy23-46789\"}",
    )
    .await
    .json();
    assert!(zh["messages"][0].as_str().unwrap().contains("小寫"), "{zh}");
    // Malformed bodies: the error never quotes them.
    for bad in [
        format!("{{\"key\": \"{KEY}\""),
        format!("{{\"key\": \"{KEY}\", }}"),
        format!("{{\"{KEY}\": 1}}"),
        format!("{{\"key\": [\"{KEY}\"]}}"),
        format!("\"{KEY}\""),
        KEY.to_owned(),
    ] {
        let r = post(&app, "/api/v1/keys/check", Some("application/json"), bad).await;
        r.assert_error(StatusCode::BAD_REQUEST, "bad_json");
        assert!(!r.text().contains(KEY_TAIL), "{}", r.text());
    }
    post(
        &app,
        "/api/v1/keys/check",
        Some("application/json"),
        serde_json::to_vec(&serde_json::json!({ "key": "K".repeat(5000) })).unwrap(),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "key_too_long");
    post(&app, "/api/v1/keys/check", Some("application/xml"), "<k/>")
        .await
        .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    post(
        &app,
        "/api/v1/keys/check",
        Some("text/plain"),
        vec![0xFFu8, 0x00],
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "bad_encoding");
    let lines = log.lock().unwrap().join("");
    assert!(
        lines.contains("POST /api/v1/keys/check?lang=en 200"),
        "{lines}"
    );
    assert!(
        !lines.contains(KEY_TAIL) && !lines.contains("HJKMN"),
        "{lines}"
    );
}

#[tokio::test]
async fn access_log_one_line_per_request_without_bodies() {
    let (app, log) = logged_app(Config::default());
    get(&app, "/api/v1/codes/0xC004F074").await;
    get(&app, &format!("/api/v1/codes/{KEY}?lang=en")).await;
    post(
        &app,
        "/api/v1/analyze",
        Some("text/plain"),
        "secret-body 0xC004F074",
    )
    .await;
    let lines = log.lock().unwrap().clone();
    assert_eq!(lines.len(), 3, "{lines:?}");
    let fields: Vec<&str> = lines[0].split(' ').collect();
    assert_eq!(fields.len(), 6, "{}", lines[0]);
    assert_eq!(fields[1], "GET");
    assert_eq!(fields[2], "/api/v1/codes/0xC004F074");
    assert_eq!(fields[3], "200");
    assert!(fields[4].parse::<u64>().unwrap() > 1000);
    assert!(fields[5].ends_with("ms\n"));
    assert!(
        lines[1].contains("/api/v1/codes/*****-*****-*****-*****-46789?lang=en 400"),
        "{}",
        lines[1]
    );
    assert!(!lines.join("").contains("secret-body"));
    assert!(!lines.join("").contains("HJKMN"));
}

#[tokio::test]
async fn keys_in_queries_paths_and_pasted_text_never_come_back() {
    let (app, log) = logged_app(Config::default());
    for form in events::key_forms() {
        let enc = urlencode(&form);
        // Searched for: the answer repeats the query.
        for lang in ["en", "zh-TW"] {
            let r = get(&app, &format!("/api/v1/codes?q={enc}&lang={lang}")).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.text());
            events::assert_no_key(&r.text(), &format!("q={form:?}"));
            // The last group stays, as it was written (full width stays full width).
            let q = r.json()["query"].as_str().unwrap().to_owned();
            assert!(
                q.contains("46789") || q.contains("４６７８９"),
                "{}",
                r.text()
            );
        }
        // As a code: the error quotes it.
        let r = get(&app, &format!("/api/v1/codes/{enc}")).await;
        r.assert_error(StatusCode::BAD_REQUEST, "bad_code");
        events::assert_no_key(&r.text(), &format!("code {form:?}"));
        // Other parameters quoted in errors.
        for q in ["lang", "type", "since"] {
            let path = if q == "since" {
                "/api/v1/events"
            } else {
                "/api/v1/codes"
            };
            let r = if q == "since" {
                post(&app, &format!("{path}?{q}={enc}"), Some("text/plain"), "x").await
            } else {
                get(&app, &format!("{path}?{q}={enc}")).await
            };
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
            events::assert_no_key(&r.text(), &format!("{q}={form:?}"));
        }
        // Pasted, as text and as JSON.
        let text = format!("Error 0xC004F074\nkey: {form}\n{form}\n");
        let r = post(&app, "/api/v1/analyze", Some("text/plain"), text.clone()).await;
        assert_eq!(r.status, StatusCode::OK);
        events::assert_no_key(&r.text(), &format!("analyze {form:?}"));
        let r = post(
            &app,
            "/api/v1/analyze?lang=zh-TW",
            Some("application/json"),
            serde_json::to_vec(&serde_json::json!({ "text": text })).unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        events::assert_no_key(&r.text(), &format!("analyze JSON {form:?}"));
    }
    // The access log, with the key escaped in every way a client may escape it.
    for path in [
        "/api/v1/codes/BCDFG%2DHJKMN%2DPQRTV%2DWXY23%2D46789",
        "/api/v1/codes/BCDFG%2dHJKMN%2dPQRTV%2dWXY23%2d46789",
        "/api/v1/codes?q=BCDFG%09-HJKMN-PQRTV-WXY23-46789",
        "/api/v1/codes?q=BCDFG+HJKMN+PQRTV+WXY23+46789",
        "/api/v1/codes/%EF%BC%A2%EF%BC%A3%EF%BC%A4%EF%BC%A6%EF%BC%A7%EF%BC%8D%EF%BC%A8%EF%BC%AA%EF%BC%AB%EF%BC%AD%EF%BC%AE%EF%BC%8D%EF%BC%B0%EF%BC%B1%EF%BC%B2%EF%BC%B4%EF%BC%B6%EF%BC%8D%EF%BC%B7%EF%BC%B8%EF%BC%B9%EF%BC%92%EF%BC%93%EF%BC%8D46789",
    ] {
        get(&app, path).await;
    }
    let lines = log.lock().unwrap().join("");
    events::assert_no_key(&lines, "access log");
    assert!(lines.contains("46789"), "{lines}");
    for l in lines.lines() {
        assert!(!l.contains("%EF%BC%A2"), "{l}");
    }
}
