//! One host's walk (its name, TCP, RPC and, when the KMS hosts are the time sources, the clock);
//! every host with bounded concurrency. The host's verdict is assembled at report time
//! (`assemble.rs`).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use tokio::task::JoinSet;

use super::common::Ctx;
use super::{clock, dns, rpc, tcp};
use crate::finding::{Outcome, Probe};
use crate::model::Stage;
use crate::progress::Progress;
use crate::target::Target;

/// What one host's walk found: its stages in order, language-free.
pub(crate) struct HostRun {
    /// The host.
    pub(crate) target: Target,
    /// What each stage found, in the order a client walks them.
    pub(crate) probes: Vec<Probe>,
}

/// Checks every host, at most `concurrency` at once; the reports in input order.
pub(crate) async fn check_hosts(
    hosts: Vec<(Target, Option<Vec<IpAddr>>)>,
    ctx: Arc<Ctx>,
    concurrency: usize,
    progress: &Progress<'_>,
) -> Vec<HostRun> {
    let total = hosts.len();
    progress.start(total);
    let limit = concurrency.max(1);
    let mut set = JoinSet::new();
    let mut out: Vec<Option<HostRun>> = (0..total).map(|_| None).collect();
    let mut done = |r: Result<(usize, HostRun), tokio::task::JoinError>| {
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
async fn check_host(t: Target, pre: Option<Vec<IpAddr>>, ctx: &Ctx) -> HostRun {
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
    HostRun { target: t, probes }
}
