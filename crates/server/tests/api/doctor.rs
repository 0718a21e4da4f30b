//! `POST /api/v1/doctor`: off unless allowed; when allowed, the netdiag report against loopback
//! peers only.

use std::net::Ipv4Addr;

use axum::http::StatusCode;
use serde_json::{Value, json};
use volact_server::Config;
use volact_testsupport::peers::{
    Behavior, Counters, DnsPeer, RpcAnswer, SntpPeer, SrvFloodPeer, TcpPeer, Zone,
};

use super::{KEY, KEY_TAIL, app, post, router};

fn doctor_app() -> axum::Router {
    router(Config {
        allow_doctor: true,
        ..Config::default()
    })
}

async fn doctor(app: &axum::Router, lang: &str, body: Value) -> super::Resp {
    post(
        app,
        &format!("/api/v1/doctor?lang={lang}"),
        Some("application/json"),
        serde_json::to_vec(&body).unwrap(),
    )
    .await
}

fn stage<'a>(host: &'a Value, name: &str) -> &'a Value {
    host["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == name)
        .unwrap_or_else(|| panic!("no {name} stage in {host}"))
}

#[tokio::test]
async fn disabled_by_default() {
    let r = doctor(&app(), "en", json!({"targets": ["127.0.0.1:1688"]})).await;
    r.assert_error(StatusCode::FORBIDDEN, "doctor_disabled");
    // Even a malformed body gets the same answer: nothing is read.
    post(&app(), "/api/v1/doctor", Some("application/json"), "{")
        .await
        .assert_error(StatusCode::FORBIDDEN, "doctor_disabled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn checks_a_loopback_kms_host_in_both_languages() {
    let rpc = TcpPeer::start(Behavior::Rpc(RpcAnswer::Accept)).unwrap();
    let ntp = SntpPeer::start(30.0).unwrap();
    let app = doctor_app();
    let mut summaries = Vec::new();
    for lang in ["en", "zh-TW"] {
        let r = doctor(
            &app,
            lang,
            json!({
                "targets": [rpc.addr.to_string()],
                "time_servers": [ntp.addr.to_string()],
                "timeout_ms": 2000
            }),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let v = r.json();
        assert_eq!(v["schema_version"], 1);
        assert_eq!(v["lang"], lang);
        assert_eq!(v["timeout_ms"], 2000);
        assert_eq!(v["status"], "pass", "{v}");
        let host = &v["hosts"][0];
        assert_eq!(host["target"], rpc.addr.to_string());
        assert_eq!(stage(host, "tcp")["status"], "pass");
        assert_eq!(stage(host, "rpc")["status"], "pass");
        summaries.push(stage(host, "rpc")["summary"].as_str().unwrap().to_owned());
    }
    assert_ne!(summaries[0], summaries[1], "both languages");
    // One bind per run, never an activation request.
    assert_eq!(Counters::get(&rpc.counters.binds), 2);
    assert_eq!(Counters::get(&rpc.counters.requests), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn discovery_through_a_loopback_dns_server_and_checks_from_a_code() {
    let rpc = TcpPeer::start(Behavior::Rpc(RpcAnswer::Nak)).unwrap();
    let dns = DnsPeer::start(&[Zone::new("contoso.test")
        .kms_srv(0, 0, rpc.addr.port(), "kms1")
        .a("kms1", Ipv4Addr::LOCALHOST)])
    .unwrap();
    let app = doctor_app();
    let r = doctor(
        &app,
        "en",
        json!({
            "domains": ["contoso.test"],
            "dns_server": dns.addr.to_string(),
            "checks": ["rpc", "dns", "tcp"],
            "timeout_ms": 2000
        }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let v = r.json();
    assert_eq!(v["checks"], json!(["dns", "tcp", "rpc"]));
    assert!(v["discovery"].is_object(), "{v}");
    let host = &v["hosts"][0];
    assert_eq!(host["port"], rpc.addr.port());
    assert_eq!(stage(host, "rpc")["status"], "fail", "{host}");
    assert_eq!(v["status"], "fail");
    // A code chooses the checks, as `--explain`.
    let r = doctor(
        &app,
        "en",
        json!({"targets": [rpc.addr.to_string()], "explain": "0x800706BA", "timeout_ms": 500}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["explain"]["code"]["code"], "0x800706BA");
}

#[tokio::test]
async fn bad_requests() {
    let app = doctor_app();
    let many: Vec<String> = (0..65).map(|i| format!("127.0.0.1:{}", 1000 + i)).collect();
    for body in [
        json!({}),
        json!({"targets": []}),
        json!({"targets": many}),
        json!({"targets": ["127.0.0.1"], "timeout_ms": 0}),
        json!({"targets": ["127.0.0.1"], "timeout_ms": 60_000}),
        json!({"targets": ["bad host"]}),
        json!({"targets": ["h:99999"]}),
        json!({"domains": ["not a domain"]}),
        json!({"targets": ["127.0.0.1"], "dns_server": "dns.example"}),
        json!({"targets": ["127.0.0.1"], "explain": "0xC004F074", "checks": ["tcp"]}),
        json!({"targets": ["127.0.0.1"], "checks": ["ping"]}),
        json!({"targets": ["127.0.0.1"], "checks": []}),
        json!({"targets": ["127.0.0.1"], "explain": "0xC004F050"}),
        json!({"targets": ["127.0.0.1"], "explain": "nonsense"}),
    ] {
        let r = doctor(&app, "en", body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        r.assert_error(StatusCode::BAD_REQUEST, "bad_doctor_request");
    }
    // A product key given as a host is refused without being repeated.
    let r = doctor(&app, "en", json!({"targets": [KEY]})).await;
    r.assert_error(StatusCode::BAD_REQUEST, "bad_doctor_request");
    assert!(!r.text().contains(&KEY[..23]), "{}", r.text());
    for body in [
        "{\"targets\": [\"127.0.0.1\"], \"port\": 1}".to_owned(),
        format!("{{\"{KEY}\": 1}}"),
        "[1, 2]".to_owned(),
        "not json".to_owned(),
    ] {
        let r = post(&app, "/api/v1/doctor", Some("application/json"), body).await;
        r.assert_error(StatusCode::BAD_REQUEST, "bad_json");
        assert!(!r.text().contains(KEY_TAIL));
    }
    post(&app, "/api/v1/doctor", Some("text/plain"), "{}")
        .await
        .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
}

/// A page of another site must not make a user's browser start probes: a JSON content type is
/// required (a browser sends it cross-site only after a preflight, which is never allowed), and
/// `Origin` / `Sec-Fetch-Site` must say the request comes from this server's own page.
#[tokio::test]
async fn cross_site_requests_are_refused() {
    let app = doctor_app();
    let body = || serde_json::to_vec(&json!({})).unwrap();
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
    ] {
        post(&app, "/api/v1/doctor", ct, body())
            .await
            .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    }
    let with = |headers: &[(&str, &str)]| {
        let mut b = axum::http::Request::post("/api/v1/doctor")
            .header("content-type", "application/json")
            .header("host", "localhost:8080");
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(axum::body::Body::from(body())).unwrap()
    };
    for headers in [
        vec![("origin", "http://evil.example")],
        vec![("origin", "http://localhost:9999")],
        vec![("origin", "https://localhost:8080")],
        vec![("origin", "null")],
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![
            ("origin", "http://localhost:8080"),
            ("sec-fetch-site", "cross-site"),
        ],
    ] {
        let r = super::send(&app, with(&headers)).await;
        r.assert_error(StatusCode::FORBIDDEN, "cross_origin");
    }
    // The server's own page, and clients that are not browsers, get past the check (and then
    // fail on the empty request, as they should).
    for headers in [
        vec![],
        vec![
            ("origin", "http://localhost:8080"),
            ("sec-fetch-site", "same-origin"),
        ],
        vec![("sec-fetch-site", "none")],
    ] {
        let r = super::send(&app, with(&headers)).await;
        r.assert_error(StatusCode::BAD_REQUEST, "bad_doctor_request");
    }
}

/// One request never probes more than 64 hosts, however many targets a domain's SRV answer
/// lists.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_domain_with_1900_srv_targets_probes_at_most_64_hosts() {
    let peer = TcpPeer::start(Behavior::AcceptClose).unwrap();
    let dns = SrvFloodPeer::start("m.t", 1900, peer.addr.port()).unwrap();
    let r = doctor(
        &doctor_app(),
        "en",
        json!({
            "domains": ["m.t"],
            "dns_server": dns.addr.to_string(),
            "checks": ["dns", "tcp"],
            "timeout_ms": 3000
        }),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        &r.text()[..r.text().len().min(2000)]
    );
    let v = r.json();
    let records = v["discovery"]["domains"][0]["records"]
        .as_array()
        .map_or(0, Vec::len);
    let hosts = v["hosts"].as_array().map_or(0, Vec::len);
    let connections = Counters::get(&peer.counters.connections);
    eprintln!("{records} SRV records read, {hosts} hosts in the report, {connections} connections");
    assert_eq!(records, 1900, "every SRV record is listed");
    assert_eq!(hosts, 64, "exactly the documented limit is probed");
    assert!(connections <= 64, "{connections} connections");
    assert_eq!(v["summary"]["not_probed"], 1836, "{}", v["summary"]);
    assert!(
        v["summary"]["not_probed_reason"]
            .as_str()
            .is_some_and(|r| !r.is_empty()),
        "the report says why: {}",
        v["summary"]
    );
}
