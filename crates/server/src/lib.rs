//! `volact serve`: the JSON HTTP API (`/api/v1`, described by `/api/openapi.json`) and the
//! help-desk web page, both built from what `volact-core`, `volact-scan`, `volact-events` and
//! `volact-netdiag` compute. Nothing here activates anything, and nothing uploaded is stored:
//! bodies are read into memory, analysed and dropped.
//!
//! Every answer of the API is the JSON the CLI prints with `--format json` for the same input
//! (see `docs/serve.md`). Errors are `{"error": "<kind>", "message": "<sentence>"}`.

mod analyze;
mod assets;
mod codes;
mod conn;
mod doctor;
mod error;
pub mod events;
mod hosts;
pub mod keys;
mod log;
mod products;
mod redact;
mod request;
mod state;

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::body::HttpBody as _;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use bytes::Bytes;
use tokio::sync::Semaphore;

pub use crate::analyze::PASTED;
pub use crate::conn::{connection_cap, raise_fd_limit};
use crate::error::ApiError;
pub use crate::log::{AccessLog, LOG_QUEUE, SharedWriter};
pub use crate::state::Config;
use crate::state::{AppState, json_response};

/// The OpenAPI document served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// The Content-Security-Policy header of every response: no inline script or style, nothing
/// from elsewhere.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Every route: the API (also listed in the OpenAPI document) and the page.
fn routes() -> Vec<(&'static str, MethodRouter<Arc<AppState>>)> {
    vec![
        ("/healthz", get(healthz)),
        ("/api/openapi.json", get(openapi)),
        ("/api/v1/codes", get(codes::list)),
        ("/api/v1/codes/{code}", get(codes::one)),
        ("/api/v1/products", get(products::handler)),
        ("/api/v1/analyze", post(analyze::handler)),
        ("/api/v1/events", post(events::handler)),
        ("/api/v1/keys/check", post(keys::handler)),
        ("/api/v1/doctor", post(doctor::handler)),
        ("/", get(assets::index)),
        ("/code/{code}", get(assets::index)),
        ("/assets/app.js", get(assets::app_js)),
        ("/assets/app.css", get(assets::app_css)),
        ("/favicon.svg", get(assets::favicon)),
    ]
}

/// The paths of the API that the OpenAPI document describes (`/healthz` and everything under
/// `/api/`), in axum's `{param}` syntax, which is also OpenAPI's.
pub fn api_paths() -> Vec<&'static str> {
    routes()
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| *p == "/healthz" || p.starts_with("/api/"))
        .collect()
}

async fn healthz(State(st): State<Arc<AppState>>) -> Response {
    json_response(StatusCode::OK, st.health.clone())
}

async fn openapi() -> Response {
    json_response(StatusCode::OK, Bytes::from_static(OPENAPI.as_bytes()))
}

async fn not_found() -> ApiError {
    ApiError::not_found()
}

static NOSNIFF: HeaderValue = HeaderValue::from_static("nosniff");
static NO_REFERRER: HeaderValue = HeaderValue::from_static("no-referrer");
static DENY: HeaderValue = HeaderValue::from_static("DENY");
static NO_STORE: HeaderValue = HeaderValue::from_static("no-store");
static CSP_VALUE: HeaderValue = HeaderValue::from_static(CSP);

/// Around every request: the overall timeout, JSON for 405s, the security headers, the access
/// log.
async fn common(State(st): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let refused = st.hosts.refuse(&req);
    let logged = st.log.enabled().then(|| {
        (
            req.method().clone(),
            req.uri()
                .path_and_query()
                .map_or_else(|| req.uri().path().to_owned(), |p| p.as_str().to_owned()),
        )
    });
    let mut resp = match refused {
        Some(e) => e.into_response(),
        None => match tokio::time::timeout(st.cfg.request_timeout, next.run(req)).await {
            Ok(r) => r,
            Err(_) => ApiError::timeout().into_response(),
        },
    };
    if resp.status() == StatusCode::METHOD_NOT_ALLOWED
        && !resp.headers().contains_key(header::CONTENT_TYPE)
    {
        let allow = resp.headers().get(header::ALLOW).cloned();
        resp = ApiError::method_not_allowed().into_response();
        if let Some(a) = allow {
            resp.headers_mut().insert(header::ALLOW, a);
        }
    }
    let h = resp.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, CSP_VALUE.clone());
    h.insert(header::X_CONTENT_TYPE_OPTIONS, NOSNIFF.clone());
    h.insert(header::REFERRER_POLICY, NO_REFERRER.clone());
    h.insert(header::X_FRAME_OPTIONS, DENY.clone());
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, NO_STORE.clone());
    }
    if let Some((method, path)) = logged {
        let bytes = resp.body().size_hint().exact();
        st.log
            .log(&method, &path, resp.status(), bytes, start.elapsed());
    }
    resp
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::internal("a bug stopped the request").into_response()
}

/// The router with every route and security layer. Builds the serialised answers of every
/// knowledge-base code (both languages) first, and starts the access-log writer if asked.
pub fn router(cfg: Config) -> Router {
    let cache = codes::cache();
    debug_assert!(cache.len() > 0);
    let health = serde_json::to_vec(&serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
    }))
    .unwrap_or_default();
    let budget_kib = cfg
        .max_body_memory
        .max(cfg.max_upload + (1 << 20))
        .div_ceil(1024)
        .min(u32::MAX as usize >> 1);
    let st = Arc::new(AppState {
        heavy: Arc::new(Semaphore::new(cfg.max_heavy.max(1))),
        budget: Arc::new(Semaphore::new(budget_kib)),
        budget_kib,
        hosts: hosts::Hosts::new(cfg.listen, &cfg.allowed_hosts),
        log: log::Logger::start(&cfg.access_log, cfg.lang),
        health: Bytes::from(health),
        cfg,
    });
    let mut r = Router::new();
    for (path, m) in routes() {
        r = r.route(path, m);
    }
    r.fallback(not_found)
        .layer(DefaultBodyLimit::disable())
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            panic_response,
        ))
        .layer(axum::middleware::from_fn_with_state(st.clone(), common))
        .with_state(st)
}

/// The send buffer of every connection, in bytes.
const SEND_BUFFER: usize = 64 * 1024;

/// Serves `router(cfg)` on `listener` until `shutdown` completes, then lets requests in flight
/// finish (for at most 10 seconds). HTTP/1.1 with keep-alive; a client that does not send its
/// request line and headers within `cfg.header_read_timeout` is disconnected, and so is one that
/// does not read its answer (`write_timeout`, `response_write_timeout`).
///
/// Raises the soft open-file limit to the hard one where the system allows, and keeps the
/// connections below it: at `max_connections` (or the limit less an eighth) the connection idle
/// the longest is closed; when all are answering requests a new one is closed at once.
pub async fn serve(
    listener: tokio::net::TcpListener,
    mut cfg: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt as _;

    let header_timeout = cfg.header_read_timeout;
    let (stall, total) = (cfg.write_timeout, cfg.response_write_timeout);
    let cap = connection_cap(cfg.max_connections, raise_fd_limit());
    if cfg.listen.is_none() {
        cfg.listen = listener.local_addr().ok();
    }
    let app = router(cfg);
    let registry = conn::Registry::new(cap);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut shutdown => break,
        };
        let (stream, _peer) = match accepted {
            Ok(a) => a,
            Err(_) => {
                // Out of file descriptors or a connection reset before accept: keep serving.
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let Some(admitted) = registry.admit() else {
            // Every connection is answering a request: this one is closed at once.
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        // A small send buffer: a client that does not read holds at most this much of the
        // system's memory (Linux doubles it), not the megabytes TCP autotuning would give it.
        let _ = socket2::SockRef::from(&stream).set_send_buffer_size(SEND_BUFFER);
        let info = admitted.info.clone();
        let io = conn::TimedIo::new(stream, info.clone(), stall, total);
        let app = app.clone();
        let busy_info = info.clone();
        let svc =
            hyper::service::service_fn(move |req: axum::http::Request<hyper::body::Incoming>| {
                let busy = busy_info.busy();
                let fut = app.clone().oneshot(req.map(Body::new));
                async move {
                    // The connection counts as busy until its answer is written (or dropped).
                    let r = fut.await;
                    r.map(|resp| resp.map(|inner| Body::new(conn::BusyBody { inner, _busy: busy })))
                }
            });
        let mut builder = hyper::server::conn::http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(header_timeout)
            .max_buf_size(64 * 1024)
            .keep_alive(true);
        let conn = graceful.watch(builder.serve_connection(TokioIo::new(io), svc));
        tokio::spawn(async move {
            let _admitted = admitted;
            tokio::select! {
                _ = conn => {}
                () = info.close.notified() => {}
            }
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(10)) => {}
    }
    Ok(())
}
