//! One host's walk (its name, TCP, RPC and, when the KMS hosts are the time sources, the clock)
//! and its verdict; every host with bounded concurrency.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use tokio::task::JoinSet;

use super::common::{Ctx, ms, skipped, worst};
use super::{clock, dns, rpc, tcp};
use crate::advice::{self, HostCmd};
use crate::model::*;
use crate::progress::Progress;
use crate::sntp;
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
    let lang = ctx.lang;
    let mut stages = Vec::new();
    let mut next: Vec<HostCmd> = Vec::new();

    // 1. DNS: the host's addresses.
    let (s, addrs) = dns::host_addresses(&t, pre, ctx).await;
    if s.status == Status::Fail {
        next.extend([HostCmd::NslookupHost, HostCmd::Ipconfig]);
    }
    stages.push(s);

    // 2. TCP and 3. RPC.
    if ctx.want_tcp {
        match addrs.first().map(|ip| SocketAddr::new(*ip, t.port)) {
            None => {
                stages.push(skipped(Stage::Tcp, lang));
                if ctx.want_rpc {
                    stages.push(skipped(Stage::Rpc, lang));
                }
            }
            Some(sa) => {
                let (s, stream) = tcp::connect(sa, ctx).await;
                stages.push(s);
                match stream {
                    None => {
                        next.extend([HostCmd::TestPort, HostCmd::Firewall, HostCmd::Dlv]);
                        if ctx.want_rpc {
                            stages.push(skipped(Stage::Rpc, lang));
                        }
                    }
                    Some(mut stream) if ctx.want_rpc => {
                        let s = rpc::bind(&mut stream, sa, ctx).await;
                        if s.status == Status::Fail {
                            next.extend([HostCmd::Dlv, HostCmd::Netstat, HostCmd::Skms]);
                        }
                        stages.push(s);
                    }
                    Some(_) => {}
                }
            }
        }
    }

    // 4. Clock, when the KMS hosts are the time sources.
    if ctx.clock_on_hosts {
        match addrs.first() {
            None => stages.push(skipped(Stage::Clock, lang)),
            Some(ip) => {
                let sa = SocketAddr::new(*ip, ctx.ntp_port);
                let (o, took) = sntp::query(sa, ctx.timeout).await;
                let mut s = clock::clock_stage(&o, ctx.warn_s, lang, &sa.to_string());
                s.latency_ms = Some(ms(took));
                s.address = Some(sa.to_string());
                if s.status == Status::Fail || s.status == Status::Warn {
                    next.push(HostCmd::W32tm);
                }
                stages.push(s);
            }
        }
    }
    host_verdict(t, stages, next, lang)
}

/// The host's verdict from its stages: the worst status, the first failing stage, the codes
/// without repeats and the next commands.
fn host_verdict(
    t: Target,
    stages: Vec<StageResult>,
    next: Vec<HostCmd>,
    lang: volact_core::Lang,
) -> HostReport {
    let display = t.display();
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
    let mut next_commands = Vec::new();
    for c in next {
        for nc in c.render(&t, lang) {
            if !next_commands.contains(&nc) {
                next_commands.push(nc);
            }
        }
    }
    if first_failure.is_none() && status != Status::Skip {
        next_commands.push(advice::skms(&display, lang));
        next_commands.push(advice::ato(lang));
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
        next_commands,
    }
}
