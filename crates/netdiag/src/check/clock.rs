//! The clock stage: one KMS host's SNTP answer, and the clock verdict over every source asked
//! (`--time-server`, else the KMS hosts, else the domain).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use tokio::time::Instant;

use super::common::{Ctx, LOOKUP_CONCURRENCY, has_key, map_bounded, ms};
use super::dns::DiscoveryRun;
use super::host::HostRun;
use crate::dns;
use crate::finding::{Outcome, Probe, Verdict, clock_limit_s};
use crate::model::*;
use crate::sntp::{self, SntpOutcome};
use crate::target::{self, Target};

/// More than this offset, in seconds, and KMS refuses the client (0xC004F06C).
pub const CLOCK_FAIL_S: f64 = volact_core::kms::CLOCK_LIMIT_SECS as f64;

/// Asks the KMS host at `ip` for the time.
pub(crate) async fn host_clock(ip: std::net::IpAddr, ctx: &Ctx) -> Probe {
    let sa = SocketAddr::new(ip, ctx.ntp_port);
    let (o, took) = sntp::query(sa, ctx.timeout).await;
    let mut p = Probe::new(Outcome::from_sntp(&o, &sa.to_string(), ctx.warn_s));
    p.latency_ms = Some(ms(took));
    p.address = Some(sa.to_string());
    p.data = serde_json::to_value(&o).unwrap_or_default();
    p
}

/// Where the clock stage takes its time sources from.
pub(crate) struct Sources<'a> {
    /// `--time-server` sources (none shaped like a product key).
    pub(crate) time_servers: &'a [Target],
    /// SRV discovery, when it ran: its domains are the fallback sources.
    pub(crate) discovery: Option<&'a DiscoveryRun>,
    /// The hosts' walks, whose clock stages asked the KMS hosts.
    pub(crate) hosts: &'a [HostRun],
    /// The fallback domains when discovery did not run (`--domain`, else the search list).
    pub(crate) domains: &'a [String],
}

/// What the clock stage found, language-free (the report's [`ClockReport`] is assembled from it).
pub(crate) struct ClockRun {
    /// The verdict: no usable time, or the largest offset judged.
    pub(crate) verdict: Verdict,
    /// The largest offset, in seconds (`None` without a usable time).
    pub(crate) offset_s: Option<f64>,
    /// The warning level, in seconds.
    pub(crate) warn_s: f64,
    /// Every source asked.
    pub(crate) sources: Vec<ClockSource>,
}

/// The clock verdict: `--time-server`, else each KMS host's answer, else the domain's.
pub(crate) async fn clock(src: Sources<'_>, ctx: &Ctx) -> ClockRun {
    let sources = gather(&src, ctx).await;
    // The answer with the largest offset (the first of equals), and who gave it.
    let worst = sources
        .iter()
        .filter_map(|s| match s.outcome {
            SntpOutcome::Answer { offset_s, .. } => Some((offset_s, s)),
            _ => None,
        })
        .fold(None, |m: Option<(f64, &ClockSource)>, x| match m {
            Some(y) if y.0.abs() >= x.0.abs() => Some(y),
            _ => Some(x),
        });
    let verdict = match worst {
        None => {
            let asked: Vec<String> = sources.iter().map(|s| s.server.clone()).take(5).collect();
            Verdict::NoTime {
                more: sources.len() - asked.len(),
                asked,
                unusable: sources.iter().find_map(|s| match &s.outcome {
                    SntpOutcome::Unusable { reason, detail } => {
                        Some((s.server.clone(), *reason, detail.clone()))
                    }
                    _ => None,
                }),
                hint: src.time_servers.is_empty(),
            }
        }
        Some((offset_s, source)) => Verdict::ClockOffset {
            status: if offset_s.abs() > clock_limit_s() {
                Status::Fail
            } else if offset_s.abs() > ctx.warn_s {
                Status::Warn
            } else {
                Status::Pass
            },
            role: source.role,
            server: source.server.clone(),
            offset_s,
            warn_s: ctx.warn_s,
        },
    };
    ClockRun {
        verdict,
        offset_s: worst.map(|(o, _)| o),
        warn_s: ctx.warn_s,
        sources,
    }
}

/// Asks the time sources: the `--time-server` ones, else takes the KMS hosts' answers and, when
/// none answered, asks the domains.
async fn gather(src: &Sources<'_>, ctx: &Ctx) -> Vec<ClockSource> {
    if !src.time_servers.is_empty() {
        return ask_all(src.time_servers.to_vec(), "argument", ctx).await;
    }
    let mut sources = Vec::new();
    for h in src.hosts {
        if let Some(s) = h.probes.iter().find(|p| {
            p.outcome.stage() == Stage::Clock && !matches!(p.outcome, Outcome::Skipped { .. })
        }) {
            let outcome: SntpOutcome =
                serde_json::from_value(s.data.clone()).unwrap_or(SntpOutcome::NoAnswer);
            sources.push(ClockSource {
                server: target::join(&h.target.host, ctx.ntp_port),
                address: s.address.clone(),
                role: "kms-host",
                outcome,
                latency_ms: s.latency_ms.unwrap_or_default(),
            });
        }
    }
    // Many KMS hosts do not serve NTP: fall back to the domain (its domain controllers).
    let answered = sources
        .iter()
        .any(|s| matches!(s.outcome, SntpOutcome::Answer { .. }));
    if !answered {
        let domains: Vec<String> = match src.discovery {
            Some(d) => d.domains.iter().map(|d| d.domain.clone()).collect(),
            None => src.domains.to_vec(),
        };
        let targets: Vec<Target> = domains
            .into_iter()
            .filter(|d| !has_key(d) && target::valid_hostname(d))
            .map(|d| Target {
                host: d,
                port: ctx.ntp_port,
                origin: Origin::Argument,
            })
            .collect();
        sources.extend(ask_all(targets, "domain", ctx).await);
    }
    sources
}

/// Asks every target, a bounded number at once, in order.
async fn ask_all(targets: Vec<Target>, role: &'static str, ctx: &Ctx) -> Vec<ClockSource> {
    let resolver = ctx.resolver.clone();
    let timeout = ctx.timeout;
    let got = map_bounded(targets, LOOKUP_CONCURRENCY, |t| {
        let resolver = resolver.clone();
        async move { ask(&t, role, resolver, timeout).await }
    })
    .await;
    got.into_iter().flatten().collect()
}

async fn ask(
    t: &Target,
    role: &'static str,
    resolver: Option<Arc<TokioResolver>>,
    timeout: Duration,
) -> ClockSource {
    let start = Instant::now();
    let ip = match t.ip() {
        Some(ip) => Some(ip),
        None => match resolver {
            Some(r) => tokio::time::timeout(timeout * 3, dns::addresses(&r, &t.host))
                .await
                .ok()
                .and_then(Result::ok)
                .and_then(|a| a.first().copied()),
            None => None,
        },
    };
    let Some(ip) = ip else {
        return ClockSource {
            server: t.display(),
            address: None,
            role,
            outcome: SntpOutcome::IoError {
                error: "the name has no address".into(),
            },
            latency_ms: ms(start.elapsed()),
        };
    };
    let sa = SocketAddr::new(ip, t.port);
    let (outcome, _) = sntp::query(sa, timeout).await;
    ClockSource {
        server: t.display(),
        address: Some(sa.to_string()),
        role,
        outcome,
        latency_ms: ms(start.elapsed()),
    }
}
