//! The clock stage: one KMS host's SNTP answer, and the clock verdict over every source asked
//! (`--time-server`, else the KMS hosts, else the domain).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use tokio::time::Instant;

use super::common::{Ctx, LOOKUP_CONCURRENCY, has_key, map_bounded, ms};
use crate::advice::Cmd;
use crate::dns;
use crate::finding::{CLOCK_FAIL_CODES, Outcome, Probe, clock_limit_s};
use crate::model::*;
use crate::phrases::{self, ClockVerdict};
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
    pub(crate) discovery: Option<&'a Discovery>,
    /// The host reports, whose clock stages asked the KMS hosts.
    pub(crate) hosts: &'a [HostReport],
    /// The fallback domains when discovery did not run (`--domain`, else the search list).
    pub(crate) domains: &'a [String],
}

/// The clock verdict: `--time-server`, else each KMS host's answer, else the domain's.
pub(crate) async fn clock(src: Sources<'_>, ctx: &Ctx) -> ClockReport {
    let lang = ctx.lang;
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
    let mut codes = Vec::new();
    let mut next = Vec::new();
    let (status, summary) = match worst {
        None => {
            next.push(Cmd::W32tmStatus);
            let asked: Vec<&str> = sources.iter().map(|s| s.server.as_str()).take(5).collect();
            let v = ClockVerdict::NoTime {
                asked: &asked,
                more: sources.len() - asked.len(),
                unusable: sources.iter().find_map(|s| match &s.outcome {
                    SntpOutcome::Unusable { reason, detail } => {
                        Some((s.server.as_str(), *reason, detail.as_str()))
                    }
                    _ => None,
                }),
                hint: src.time_servers.is_empty(),
            };
            (Status::Unknown, phrases::clock(&v, lang))
        }
        Some((offset_s, source)) => {
            let status = if offset_s.abs() > clock_limit_s() {
                Status::Fail
            } else if offset_s.abs() > ctx.warn_s {
                Status::Warn
            } else {
                Status::Pass
            };
            if status == Status::Fail {
                codes.extend(CLOCK_FAIL_CODES.map(|(c, r)| CodeRef::new(c, r, lang)));
            }
            if status != Status::Pass {
                next.extend([Cmd::W32tmStatus, Cmd::W32tmResync]);
            }
            let v = ClockVerdict::Offset {
                status,
                role: source.role,
                server: &source.server,
                offset_s,
                warn_s: ctx.warn_s,
            };
            (status, phrases::clock(&v, lang))
        }
    };
    ClockReport {
        status,
        summary,
        offset_s: worst.map(|(o, _)| o),
        warn_above_s: ctx.warn_s,
        fail_above_s: CLOCK_FAIL_S,
        sources,
        codes,
        next_commands: next.iter().map(|c| c.next(lang)).collect(),
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
        if let Some(s) = h
            .stages
            .iter()
            .find(|s| s.stage == Stage::Clock && s.outcome != "skipped")
        {
            let outcome: SntpOutcome =
                serde_json::from_value(s.data.clone()).unwrap_or(SntpOutcome::NoAnswer);
            sources.push(ClockSource {
                server: target::join(&h.host, ctx.ntp_port),
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
