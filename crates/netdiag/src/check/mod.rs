//! The walk a KMS client makes: SRV discovery ([`dns`]), then every host with bounded
//! concurrency ([`host`]: its name, [`tcp`], [`rpc`] and, when the KMS hosts are the time
//! sources, [`clock`]), then the clock verdict.
//!
//! What runs and on which hosts is decided first ([`plan`]); the stages share [`common`]. The
//! walk is language-free: it gives a [`Walk`] of typed facts, from which `assemble.rs` writes the
//! report in its language.

mod clock;
mod common;
mod dns;
mod host;
mod plan;
mod rpc;
mod tcp;

use std::sync::Arc;

use tokio::time::Instant;
use volact_core::kb::Check;

use crate::dns as resolve;
use crate::options::Options;
use crate::progress::Progress;
use common::Ctx;
use plan::Plan;

pub use clock::CLOCK_FAIL_S;
pub(crate) use clock::ClockRun;
pub use common::LOOKUP_CONCURRENCY;
pub(crate) use common::{ms, worst};
pub(crate) use dns::{DiscoveryRun, DomainRun};
pub(crate) use host::HostRun;
pub(crate) use plan::NotProbed;

/// What a run found, language-free: the report is assembled from it (`assemble.rs`).
pub(crate) struct Walk {
    /// When the run started.
    pub(crate) started: Instant,
    /// SRV discovery, when run.
    pub(crate) discovery: Option<DiscoveryRun>,
    /// Every host's walk, in input order.
    pub(crate) hosts: Vec<HostRun>,
    /// The clock stage, when run.
    pub(crate) clock: Option<ClockRun>,
    /// Hosts left out, and why.
    pub(crate) not_probed: NotProbed,
}

/// Runs every stage the options ask for.
pub(crate) async fn run(opts: &Options, progress: &Progress<'_>) -> Walk {
    let started = Instant::now();
    let want = |c: Check| opts.checks.contains(&c);
    let cfg = resolve::config(opts.dns_server, &opts.system_dns);
    let resolver = resolve::resolver(&cfg, opts.timeout).map(Arc::new);

    let mut plan = Plan::new(opts);
    let mut discovery = None;
    if plan.run_discovery {
        let (d, found) =
            dns::discover(opts, &cfg, resolver.clone(), plan.seen(), plan.budget()).await;
        plan.add_found(found.probe, found.over_limit);
        discovery = Some(d);
    }
    let time_servers = plan.time_servers(opts);
    let hosts = std::mem::take(&mut plan.hosts);

    let clock_on_hosts = want(Check::Clock) && opts.time_servers.is_empty() && !hosts.is_empty();
    let ctx = Arc::new(Ctx {
        timeout: opts.timeout,
        resolver: resolver.clone(),
        want_tcp: want(Check::Tcp) || want(Check::Rpc),
        want_rpc: want(Check::Rpc),
        clock_on_hosts,
        ntp_port: opts.ntp_port,
        warn_s: opts.clock_warn_s,
    });

    let host_reports = if ctx.want_tcp || ctx.clock_on_hosts || want(Check::Dns) {
        host::check_hosts(hosts, ctx.clone(), opts.concurrency, progress).await
    } else {
        Vec::new()
    };

    let clock = if want(Check::Clock) {
        let sources = clock::Sources {
            time_servers: &time_servers,
            discovery: discovery.as_ref(),
            hosts: &host_reports,
            domains: if opts.domains.is_empty() {
                &cfg.search
            } else {
                &opts.domains
            },
        };
        Some(clock::clock(sources, &ctx).await)
    } else {
        None
    };

    Walk {
        started,
        discovery,
        hosts: host_reports,
        clock,
        not_probed: plan.not_probed,
    }
}
