//! The walk a KMS client makes: SRV discovery ([`dns`]), then every host with bounded
//! concurrency ([`host`]: its name, [`tcp`], [`rpc`] and, when the KMS hosts are the time
//! sources, [`clock`]), then the clock verdict; and the report's overall verdict.
//!
//! What runs and on which hosts is decided first ([`plan`]); the stages share [`common`].

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
use crate::model::*;
use crate::options::Options;
use crate::progress::Progress;
use common::{Ctx, ms, worst};
use plan::{NotProbed, Plan};

pub use clock::CLOCK_FAIL_S;
pub use common::LOOKUP_CONCURRENCY;

/// Runs every stage the options ask for.
pub(crate) async fn run(opts: &Options, progress: &Progress<'_>) -> Report {
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
        lang: opts.lang,
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

    let mut report = verdict(opts, plan.not_probed, discovery, host_reports, clock);
    report.summary.elapsed_ms = ms(started.elapsed());
    // Names, addresses, errors and replies come from arguments, files and peers: no product key
    // leaves in any of them, whatever the format.
    report.redact_keys();
    report
}

/// The report: the counts, the worst status and the first failing stage over discovery, hosts
/// and clock.
fn verdict(
    opts: &Options,
    mut not_probed: NotProbed,
    discovery: Option<Discovery>,
    hosts: Vec<HostReport>,
    clock: Option<ClockReport>,
) -> Report {
    let lang = opts.lang;
    let mut summary = Summary {
        hosts: hosts.len(),
        hosts_file_lines: opts.hosts_file_lines,
        hosts_file_skipped: opts.hosts_file_skipped.0,
        skipped: opts.hosts_file_skipped.1.clone(),
        not_probed: not_probed.over_limit + not_probed.keys,
        not_probed_reason: not_probed.reason(opts.max_hosts, lang),
        not_probed_hosts: std::mem::take(&mut not_probed.names),
        ..Summary::default()
    };
    for h in &hosts {
        match h.status {
            Status::Pass | Status::Skip => summary.pass += 1,
            Status::Warn => summary.warn += 1,
            Status::Fail => summary.fail += 1,
            Status::Unknown => summary.unknown += 1,
        }
    }
    let mut statuses: Vec<Status> = hosts.iter().map(|h| h.status).collect();
    let mut firsts: Vec<Stage> = hosts.iter().filter_map(|h| h.first_failure).collect();
    if let Some(d) = &discovery {
        statuses.push(d.status);
        if d.status.needs_attention() {
            firsts.push(Stage::Dns);
        }
    }
    if let Some(c) = &clock {
        statuses.push(c.status);
        if c.status.needs_attention() {
            firsts.push(Stage::Clock);
        }
    }
    Report {
        schema_version: SCHEMA_VERSION,
        lang,
        checks: opts.checks.clone(),
        timeout_ms: opts.timeout.as_millis() as u64,
        explain: opts.explain.map(|code| ExplainTarget {
            code: CodeRef::new(code.value(), Relation::Explains, lang),
            checks: opts.checks.clone(),
        }),
        discovery,
        hosts,
        clock,
        status: worst(&statuses),
        first_failure: firsts.into_iter().min(),
        summary,
    }
}
