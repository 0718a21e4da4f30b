//! The embedded page and the OpenAPI document.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use super::{app, get, send};

#[tokio::test]
async fn page_and_assets_are_embedded_with_etags() {
    let app = app();
    for (path, ct) in [
        ("/", "text/html; charset=utf-8"),
        ("/code/0xC004F074", "text/html; charset=utf-8"),
        ("/code/anything%20at%20all", "text/html; charset=utf-8"),
        ("/assets/app.js", "text/javascript; charset=utf-8"),
        ("/assets/app.css", "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let r = get(&app, path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.header("content-type"), ct, "{path}");
        assert_eq!(r.header("cache-control"), "no-cache", "{path}");
        assert_eq!(r.header("content-security-policy"), volact_server::CSP);
        assert_eq!(r.header("x-content-type-options"), "nosniff");
        assert_eq!(r.header("x-frame-options"), "DENY");
        assert!(!r.body.is_empty());
        let etag = r.header("etag").to_owned();
        assert!(etag.starts_with('"') && etag.len() == 18, "{etag}");
        let again = send(
            &app,
            Request::get(path)
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.body.is_empty());
        assert_eq!(again.header("etag"), etag);
    }
    let index = get(&app, "/").await;
    assert_eq!(
        index.body,
        include_bytes!("../../assets/index.html").to_vec()
    );
    let other = get(&app, "/code/0x8007232B").await;
    assert_eq!(other.body, index.body);
}

fn openapi() -> Value {
    serde_json::from_str(volact_server::OPENAPI).expect("the OpenAPI document parses")
}

#[tokio::test]
async fn openapi_document_lists_exactly_the_router_paths() {
    let served = get(&app(), "/api/openapi.json").await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(served.header("content-type"), "application/json");
    let doc = served.json();
    assert_eq!(doc, openapi());
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    let documented: BTreeSet<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    let routed: BTreeSet<String> = volact_server::api_paths()
        .into_iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(documented, routed);
    insta::assert_debug_snapshot!("openapi_paths", documented);
}

/// Every `$ref` points at a schema that exists, and every documented operation is routed.
#[tokio::test]
async fn openapi_refs_resolve_and_operations_are_routed() {
    let doc = openapi();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    out.push(r.clone());
                }
                o.values().for_each(|x| refs(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 10);
    for r in &all {
        let name = r.strip_prefix("#/components/schemas/").unwrap();
        assert!(schemas.contains_key(name), "{r}");
    }
    let app = app();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            assert!(op["responses"]["200"].is_object(), "{method} {path}");
            let uri = path.replace("{code}", "0xC004F074");
            let req = Request::builder()
                .method(method.to_uppercase().as_str())
                .uri(&uri)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap();
            let r = send(&app, req).await;
            assert_ne!(r.status, StatusCode::NOT_FOUND, "{method} {path}");
            assert_ne!(r.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            // Every status the server gave is documented for the operation.
            let code = r.status.as_u16().to_string();
            assert!(
                op["responses"][&code].is_object(),
                "{method} {path} answered {code}, not documented"
            );
        }
    }
}

/// The explanation schema's required fields are exactly what the server sends.
#[tokio::test]
async fn explanation_schema_matches_the_answer() {
    let doc = openapi();
    let schema = &doc["components"]["schemas"]["Explanation"];
    let required: BTreeSet<&str> = schema["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for code in ["0xC004F074", "0xDEAD0001", "1722"] {
        let v = get(&app(), &format!("/api/v1/codes/{code}")).await.json();
        let keys: BTreeSet<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, required, "{code}");
    }
    let catalog = &doc["components"]["schemas"]["CatalogRow"]["properties"];
    let row = get(&app(), "/api/v1/codes?q=DNS").await.json()["results"][0].clone();
    for k in row.as_object().unwrap().keys() {
        assert!(catalog.get(k).is_some(), "{k} not in CatalogRow");
    }
}
