//! What every handler shares: the server's configuration and state, the memory budget of heavy
//! answers and the JSON response builder.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use volact_core::Lang;

use crate::error::ApiError;
use crate::hosts;
use crate::log::{self, AccessLog};

/// What the server allows and how much.
#[derive(Debug, Clone)]
pub struct Config {
    /// Whether `POST /api/v1/doctor` may run network checks.
    pub allow_doctor: bool,
    /// Largest upload to `POST /api/v1/events`, in bytes (64 MiB).
    pub max_upload: usize,
    /// Largest text body (`POST /api/v1/analyze`), in bytes (1 MiB).
    pub max_text: usize,
    /// Heavy requests (analyze, events, doctor) running at once; more wait up to `busy_wait`,
    /// then get 503 with Retry-After (default: twice the CPUs).
    pub max_heavy: usize,
    /// How long a heavy request waits for a free slot before 503.
    pub busy_wait: Duration,
    /// Time allowed to receive a request body, counted from the start of the request and never
    /// extended (then 408). An analysis slot is taken only once the body is complete.
    pub body_timeout: Duration,
    /// Request bodies and heavy answers held in memory at once, in bytes, over all requests
    /// (at least `max_upload` plus 1 MiB); a request that would go beyond waits up to
    /// `busy_wait`, then gets 503.
    pub max_body_memory: usize,
    /// Time a write to a client may make no progress before the connection is dropped.
    pub write_timeout: Duration,
    /// Time allowed to write one answer (from its first byte) before the connection is dropped.
    pub response_write_timeout: Duration,
    /// Connections open at once; at the cap the one idle the longest is closed, and when every
    /// one is busy a new one is refused. [`serve`](crate::serve) lowers it below the open-file
    /// limit.
    pub max_connections: usize,
    /// The address the server listens on ([`serve`](crate::serve) sets it); the `Host` header
    /// must name it (or, on loopback, `localhost`), or one of `allowed_hosts`.
    pub listen: Option<SocketAddr>,
    /// More host names the `Host` header may give (`volact serve --allow-host`), for a reverse
    /// proxy or a DNS name of the machine.
    pub allowed_hosts: Vec<String>,
    /// Language of the server's own lines in the access log.
    pub lang: Lang,
    /// Time allowed for a whole request (then 503).
    pub request_timeout: Duration,
    /// Time allowed for a client to send the request line and headers (then the connection is
    /// closed); also the idle time of a kept-alive connection.
    pub header_read_timeout: Duration,
    /// The access log.
    pub access_log: AccessLog,
}

impl Default for Config {
    fn default() -> Self {
        let cpus = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            allow_doctor: false,
            max_upload: 64 << 20,
            max_text: 1 << 20,
            max_heavy: (2 * cpus).max(2),
            busy_wait: Duration::from_secs(2),
            body_timeout: Duration::from_secs(30),
            max_body_memory: 128 << 20,
            write_timeout: Duration::from_secs(10),
            response_write_timeout: Duration::from_secs(60),
            max_connections: 4096,
            listen: None,
            allowed_hosts: Vec::new(),
            lang: Lang::En,
            request_timeout: Duration::from_secs(120),
            header_read_timeout: Duration::from_secs(10),
            access_log: AccessLog::Off,
        }
    }
}

/// Shared by every handler.
pub(crate) struct AppState {
    pub(crate) cfg: Config,
    pub(crate) heavy: Arc<Semaphore>,
    /// Memory for bodies and heavy answers, in KiB.
    pub(crate) budget: Arc<Semaphore>,
    pub(crate) budget_kib: usize,
    pub(crate) hosts: hosts::Hosts,
    pub(crate) log: log::Logger,
    pub(crate) health: Bytes,
}

impl AppState {
    /// A slot for heavy work, waiting at most `busy_wait`; 503 busy otherwise. The permit is
    /// moved into the blocking task, so a slot stays taken until the work really ends.
    pub(crate) async fn heavy_permit(&self) -> Result<OwnedSemaphorePermit, ApiError> {
        if let Ok(p) = self.heavy.clone().try_acquire_owned() {
            return Ok(p);
        }
        match tokio::time::timeout(self.cfg.busy_wait, self.heavy.clone().acquire_owned()).await {
            Ok(Ok(p)) => Ok(p),
            _ => Err(ApiError::busy()),
        }
    }

    /// Memory for `bytes` more bytes of bodies or answers, waiting at most `busy_wait`; 503
    /// busy otherwise.
    pub(crate) async fn memory(&self, bytes: usize) -> Result<OwnedSemaphorePermit, ApiError> {
        let kib = bytes.div_ceil(1024).clamp(1, self.budget_kib) as u32;
        if let Ok(p) = self.budget.clone().try_acquire_many_owned(kib) {
            return Ok(p);
        }
        match tokio::time::timeout(
            self.cfg.busy_wait,
            self.budget.clone().acquire_many_owned(kib),
        )
        .await
        {
            Ok(Ok(p)) => Ok(p),
            _ => Err(ApiError::busy()),
        }
    }
}

/// A heavy answer: its memory is counted against the budget until the client has it (or the
/// connection is gone); it is written in pieces of 16 KiB, so hyper never holds much of it.
pub(crate) async fn heavy_response(st: &AppState, out: String) -> Result<Response, ApiError> {
    let permit = st.memory(out.len()).await?;
    let body = BudgetBody {
        data: Bytes::from(out),
        pos: 0,
        _permit: permit,
    };
    let mut r = Response::new(Body::new(body));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    Ok(r)
}

struct BudgetBody {
    data: Bytes,
    pos: usize,
    _permit: OwnedSemaphorePermit,
}

impl axum::body::HttpBody for BudgetBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        if self.pos >= self.data.len() {
            return std::task::Poll::Ready(None);
        }
        let end = (self.pos + 16 * 1024).min(self.data.len());
        // A copy: the whole answer is freed with the body, not with its last piece.
        let piece = Bytes::copy_from_slice(&self.data[self.pos..end]);
        self.pos = end;
        if self.pos >= self.data.len() {
            self.data = Bytes::new();
        }
        std::task::Poll::Ready(Some(Ok(http_body::Frame::data(piece))))
    }

    fn is_end_stream(&self) -> bool {
        self.pos >= self.data.len()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact((self.data.len().saturating_sub(self.pos)) as u64)
    }
}

/// A JSON response from bytes already serialised.
pub(crate) fn json_response(status: StatusCode, body: Bytes) -> Response {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}
