//! `GET /api/v1/products`: the JSON of `volact products --format json`, its parameters and errors,
//! and product keys: whole GVLKs only with gvlk=1, a typed key never echoed or logged.

use volact_core::products::{self, Doc, Family};

use super::*;

/// What `volact products --format json [--family F] [--gvlk] [Q]` prints, as a value.
fn cli_products(q: Option<&str>, family: Option<Family>, gvlk: bool, lang: Lang) -> Value {
    let found = products::find(q.unwrap_or(""), family);
    serde_json::to_value(Doc::new(&found, lang, q, family, gvlk)).unwrap()
}

#[tokio::test]
async fn list_and_search_are_the_cli_json() {
    let app = app();
    let r = get(&app, "/api/v1/products").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), "application/json");
    assert_eq!(r.json(), cli_products(None, None, false, Lang::En));
    assert!(r.json()["count"].as_u64().unwrap() >= 150);
    for (uri, q, family, gvlk, lang) in [
        (
            "/api/v1/products?q=LTSC%202019&gvlk=1",
            Some("LTSC 2019"),
            None,
            true,
            Lang::En,
        ),
        (
            "/api/v1/products?q=ltsc+2019&lang=zh-TW",
            Some("ltsc 2019"),
            None,
            false,
            Lang::ZhTw,
        ),
        (
            "/api/v1/products?family=office&gvlk=true",
            None,
            Some(Family::Office),
            true,
            Lang::En,
        ),
        (
            "/api/v1/products?q=2D5A5A60-3040-48BF-BEB0-FCD770C20CE0",
            Some("2D5A5A60-3040-48BF-BEB0-FCD770C20CE0"),
            None,
            false,
            Lang::En,
        ),
        (
            "/api/v1/products?q=WFG99&family=server",
            Some("WFG99"),
            Some(Family::Server),
            false,
            Lang::En,
        ),
        (
            "/api/v1/products?q=&family=&gvlk=&lang=",
            None,
            None,
            false,
            Lang::En,
        ),
        (
            "/api/v1/products?q=nothing%20like%20this",
            Some("nothing like this"),
            None,
            false,
            Lang::En,
        ),
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert_eq!(r.json(), cli_products(q, family, gvlk, lang), "{uri}");
    }
    let v = get(
        &app,
        "/api/v1/products?q=2d5a5a60-3040-48bf-beb0-fcd770c20ce0",
    )
    .await
    .json();
    assert_eq!(v["products"][0]["name"], "Windows 10 Enterprise LTSB 2016");
    assert_eq!(v["products"][0]["kms_count"], 25);
    assert_eq!(v["count"], 1);
}

#[tokio::test]
async fn whole_gvlks_only_when_asked() {
    let app = app();
    let pro = "W269N-WFGWX-YVC9B-4J6C9-T83GX";
    let with = get(&app, "/api/v1/products?q=Windows+11+Pro&gvlk=1").await;
    assert!(with.text().contains(pro));
    let without = get(&app, "/api/v1/products?q=Windows+11+Pro").await;
    assert!(!without.text().contains(pro));
    assert!(without.text().contains("T83GX"));
}

#[tokio::test]
async fn a_typed_key_is_never_echoed_or_logged() {
    let (app, log) = logged_app(Config::default());
    let r = get(
        &app,
        &format!("/api/v1/products?q={}&gvlk=1", urlencode(KEY)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.text().contains(KEY), "{}", r.text());
    assert!(r.text().contains(KEY_TAIL));
    assert_eq!(r.json()["count"], 0);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(!log.lock().unwrap().join("\n").contains(KEY));
}

/// `(query string, error kind)` of requests the endpoint refuses with 400.
const BAD: &[(&str, &str)] = &[
    ("family=linux", "bad_family"),
    ("gvlk=yes", "bad_gvlk"),
    ("lang=fr", "bad_lang"),
];

#[tokio::test]
async fn bad_parameters_are_400() {
    let app = app();
    for (query, kind) in BAD {
        let r = get(&app, &format!("/api/v1/products?{query}")).await;
        r.assert_error(StatusCode::BAD_REQUEST, kind);
    }
    let long = format!("/api/v1/products?q={}", "a".repeat(300));
    get(&app, &long)
        .await
        .assert_error(StatusCode::BAD_REQUEST, "query_too_long");
    let r = post(&app, "/api/v1/products", None, "").await;
    r.assert_error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed");
}
