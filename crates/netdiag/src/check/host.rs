//! One host's walk (its name, TCP, RPC and, when the KMS hosts are the time sources, the clock)
//! and its verdict; every host with bounded concurrency.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use tokio::task::JoinSet;

use volact_core::Lang;
use volact_core::finding::Kind;

use super::common::{Ctx, worst};
use super::{clock, dns, rpc, tcp};
use crate::advice::Cmd;
use crate::finding::{Outcome, Probe};
use crate::model::*;
use crate::phrases;
use crate::progress::Progress;
use crate::target::Target;

/// Checks every host, at most `concurrency` at once; the reports in input order.
pub(crate) async fn check_hosts(
    hosts: Vec<(Target, Option<Vec<IpAddr>>)>,
    ctx: Arc<Ctx>,
    concurrency: usize,
    progress: &Progress<'_>,
) -> Vec<HostReport> {
    let total = hosts.len();
    progress.start(total);
    let limit = concurrency.max(1);
    let mut set = JoinSet::new();
    let mut out: Vec<Option<HostReport>> = (0..total).map(|_| None).collect();
    let mut done = |r: Result<(usize, HostReport), tokio::task::JoinError>| {
        if let Ok((i, h)) = r {
            out[i] = Some(h);
        }
        progress.host_done();
    };
    // Tasks are spawned only when a slot is free, so memory stays bounded by the concurrency
    // (plus the finished reports), not by the number of hosts.
    for (i, (t, pre)) in hosts.into_iter().enumerate() {
        while set.len() >= limit {
            if let Some(r) = set.join_next().await {
                done(r);
            }
        }
        let ctx = ctx.clone();
        set.spawn(async move { (i, check_host(t, pre, &ctx).await) });
    }
    while let Some(r) = set.join_next().await {
        done(r);
    }
    progress.finish();
    out.into_iter().flatten().collect()
}

/// Walks one host's stages in order; a stage that cannot run because an earlier one failed is
/// reported as skipped.
async fn check_host(t: Target, pre: Option<Vec<IpAddr>>, ctx: &Ctx) -> HostReport {
    let skipped = |stage| Probe::new(Outcome::Skipped { stage });
    let mut probes = Vec::new();

    // 1. DNS: the host's addresses.
    let (p, addrs) = dns::host_addresses(&t, pre, ctx).await;
    probes.push(p);

    // 2. TCP and 3. RPC.
    if ctx.want_tcp {
        match addrs.first().map(|ip| SocketAddr::new(*ip, t.port)) {
            None => {
                probes.push(skipped(Stage::Tcp));
                if ctx.want_rpc {
                    probes.push(skipped(Stage::Rpc));
                }
            }
            Some(sa) => {
                let (p, stream) = tcp::connect(sa, ctx).await;
                probes.push(p);
                match stream {
                    None if ctx.want_rpc => probes.push(skipped(Stage::Rpc)),
                    Some(mut stream) if ctx.want_rpc => {
                        probes.push(rpc::bind(&mut stream, sa, ctx).await);
                    }
                    _ => {}
                }
            }
        }
    }

    // 4. Clock, when the KMS hosts are the time sources.
    if ctx.clock_on_hosts {
        probes.push(match addrs.first() {
            None => skipped(Stage::Clock),
            Some(ip) => clock::host_clock(*ip, ctx).await,
        });
    }
    host_verdict(t, probes, ctx.lang)
}

/// A stage's result in `lang`.
fn stage_result(p: Probe, lang: Lang) -> StageResult {
    StageResult {
        stage: p.outcome.stage(),
        status: p.outcome.status(),
        outcome: p.outcome.id(),
        summary: phrases::outcome(&p.outcome, lang),
        latency_ms: p.latency_ms,
        address: p.address,
        codes: p
            .outcome
            .codes()
            .into_iter()
            .map(|(c, r)| CodeRef::new(c, r, lang))
            .collect(),
        data: p.data,
    }
}

/// The host's verdict from what its stages found: the worst status, the first failing stage,
/// the codes without repeats and the next commands; in `lang`.
fn host_verdict(t: Target, probes: Vec<Probe>, lang: Lang) -> HostReport {
    let display = t.display();
    let mut next: Vec<Cmd> = Vec::new();
    for p in &probes {
        for c in p.outcome.commands().iter().flat_map(|hc| hc.cmds(&t)) {
            if !next.contains(&c) {
                next.push(c);
            }
        }
    }
    let stages: Vec<StageResult> = probes.into_iter().map(|p| stage_result(p, lang)).collect();
    let status = worst(stages.iter().map(|s| &s.status));
    let first_failure = stages
        .iter()
        .find(|s| s.status.needs_attention())
        .map(|s| s.stage);
    let mut codes: Vec<CodeRef> = Vec::new();
    for s in &stages {
        for c in &s.codes {
            if !codes.iter().any(|x| x.code == c.code) {
                codes.push(c.clone());
            }
        }
    }
    if first_failure.is_none() && status != Status::Skip {
        next.push(Cmd::Skms {
            target: display.clone(),
        });
        next.push(Cmd::Ato);
    }
    HostReport {
        target: display,
        host: t.host,
        port: t.port,
        origin: t.origin,
        status,
        stages,
        first_failure,
        codes,
        next_commands: next.iter().map(|c| c.next(lang)).collect(),
    }
}
