//! What every stage of the walk shares: the run's context, the bounded task pool, the stage
//! constructors and the worst-status rule.

use std::sync::Arc;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use tokio::task::JoinSet;

use crate::model::Status;

/// Milliseconds, rounded to the microsecond.
pub(crate) fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// What the host and clock stages need from the options.
pub(crate) struct Ctx {
    /// Per-stage timeout.
    pub(crate) timeout: Duration,
    /// The resolver, when a DNS server is known.
    pub(crate) resolver: Option<Arc<TokioResolver>>,
    /// Run the TCP stage (asked for, or needed by the RPC stage).
    pub(crate) want_tcp: bool,
    /// Run the RPC stage.
    pub(crate) want_rpc: bool,
    /// Ask each KMS host for the time (no `--time-server` given).
    pub(crate) clock_on_hosts: bool,
    /// The SNTP port of KMS hosts and domains.
    pub(crate) ntp_port: u16,
    /// The clock warning level, in seconds.
    pub(crate) warn_s: f64,
}

/// The worst status, skipped stages aside (`Skip` when every one is skipped).
pub(crate) fn worst<'a>(it: impl IntoIterator<Item = &'a Status>) -> Status {
    it.into_iter()
        .copied()
        .filter(|s| *s != Status::Skip)
        .max()
        .unwrap_or(Status::Skip)
}

/// Name lookups (SRV queries, target addresses, time-source names) in flight at once.
pub const LOOKUP_CONCURRENCY: usize = 32;

/// Runs `f` on every item with at most `limit` tasks at once; the results in input order (`None`
/// for a task that panicked).
pub(crate) async fn map_bounded<I, T, F, Fut>(items: Vec<I>, limit: usize, f: F) -> Vec<Option<T>>
where
    T: Send + 'static,
    F: Fn(I) -> Fut,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    let limit = limit.max(1);
    let mut out: Vec<Option<T>> = (0..items.len()).map(|_| None).collect();
    let mut set = JoinSet::new();
    let put = |r: Result<(usize, T), tokio::task::JoinError>, out: &mut Vec<Option<T>>| {
        if let Ok((i, v)) = r {
            out[i] = Some(v);
        }
    };
    for (i, item) in items.into_iter().enumerate() {
        while set.len() >= limit {
            if let Some(r) = set.join_next().await {
                put(r, &mut out);
            }
        }
        let fut = f(item);
        set.spawn(async move { (i, fut.await) });
    }
    while let Some(r) = set.join_next().await {
        put(r, &mut out);
    }
    out
}

/// Whether `s` holds something shaped like a product key (core's detection).
pub(crate) fn has_key(s: &str) -> bool {
    volact_core::key::redact_keys_in(s) != s
}
