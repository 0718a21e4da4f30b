//! The report, assembled at the end of a run from the walk's language-free facts
//! ([`crate::check`]'s `Walk`): every sentence is written here from `phrases.rs`, in the report's
//! language, with the codes' knowledge-base summaries; then the verdicts over hosts, discovery
//! and clock, and the counts.

use volact_core::Lang;
use volact_core::finding::Kind;

use volact_core::kms::Stage;

use crate::advice::Cmd;
use crate::azure::{self, AzureFailure};
use crate::check::{ClockRun, DiscoveryRun, DomainRun, HostRun, NotProbed, Walk, ms, worst};
use crate::finding::Probe;
use crate::model::*;
use crate::options::Options;
use crate::phrases;
use crate::target::Target;

/// The report of `walk` in `opts.lang`, redacted (no product key in any text).
pub(crate) fn report(opts: &Options, walk: Walk) -> Report {
    let lang = opts.lang;
    let Walk {
        started,
        discovery,
        hosts,
        clock,
        not_probed,
    } = walk;
    let hosts: Vec<HostReport> = hosts.into_iter().map(|h| host(h, lang)).collect();
    let discovery = discovery.map(|d| self::discovery(d, lang));
    let clock = clock.map(|c| self::clock(c, lang));
    let mut report = verdict(opts, not_probed, discovery, hosts, clock);
    report.summary.elapsed_ms = ms(started.elapsed());
    // Names, addresses, errors and replies come from arguments, files and peers: no product key
    // leaves in any of them, whatever the format.
    report.redact_keys();
    report
}

/// The codes with their knowledge-base summaries in `lang`.
fn code_refs(codes: Vec<(u32, Relation)>, lang: Lang) -> Vec<CodeRef> {
    codes
        .into_iter()
        .map(|(c, r)| CodeRef::new(c, r, lang))
        .collect()
}

fn next_commands(cmds: &[Cmd], lang: Lang) -> Vec<NextCommand> {
    cmds.iter().map(|c| c.next(lang)).collect()
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
        codes: code_refs(p.outcome.codes(), lang),
        data: p.data,
    }
}

/// The host's verdict from what its stages found: the worst status, the first failing stage,
/// the codes without repeats and the next commands; in `lang`.
fn host(h: HostRun, lang: Lang) -> HostReport {
    let HostRun { target: t, probes } = h;
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
    let azure = azure_note(&t, first_failure, lang);
    HostReport {
        target: display,
        host: t.host,
        port: t.port,
        origin: t.origin,
        status,
        stages,
        first_failure,
        codes,
        next_commands: next_commands(&next, lang),
        azure,
    }
}

/// For one of Azure's KMS endpoints that failed at DNS or TCP: Microsoft's causes, the codes and
/// the commands, in `lang`; `None` for every other host or stage.
fn azure_note(t: &Target, first_failure: Option<Stage>, lang: Lang) -> Option<AzureNote> {
    let cloud = azure::cloud_of(&t.host)?;
    let failure = AzureFailure::from_stage(first_failure)?;
    Some(AzureNote {
        cloud,
        endpoint: cloud.endpoint().to_owned(),
        failure,
        summary: phrases::azure(cloud, failure, t.port, lang),
        codes: code_refs(azure::CODES.to_vec(), lang),
        next_commands: next_commands(&azure::commands(cloud, failure, t.port), lang),
    })
}

/// SRV discovery in `lang`.
fn discovery(d: DiscoveryRun, lang: Lang) -> Discovery {
    Discovery {
        dns_servers: d.dns_servers,
        dns_servers_from: d.dns_servers_from,
        search_list: d.search_list,
        status: d.status,
        summary: phrases::verdict(&d.verdict, lang),
        domains: d.domains.into_iter().map(|dl| domain(dl, lang)).collect(),
        next_commands: next_commands(&d.next, lang),
    }
}

/// One domain's SRV lookup in `lang`.
fn domain(d: DomainRun, lang: Lang) -> DomainLookup {
    DomainLookup {
        domain: d.domain,
        query: d.query,
        source: d.source,
        outcome: d.outcome,
        status: d.status,
        summary: phrases::verdict(&d.verdict, lang),
        latency_ms: d.latency_ms,
        codes: code_refs(d.verdict.codes(), lang),
        records: d.records,
        detail: d.detail,
    }
}

/// The clock stage in `lang`.
fn clock(c: ClockRun, lang: Lang) -> ClockReport {
    ClockReport {
        status: c.verdict.clock_status(),
        summary: phrases::verdict(&c.verdict, lang),
        offset_s: c.offset_s,
        warn_above_s: c.warn_s,
        fail_above_s: crate::CLOCK_FAIL_S,
        sources: c.sources,
        codes: code_refs(c.verdict.codes(), lang),
        next_commands: next_commands(&c.verdict.commands(), lang),
    }
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
        not_probed_reason: not_probed
            .verdict(opts.max_hosts)
            .map(|v| phrases::verdict(&v, lang)),
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

#[cfg(test)]
mod tests;
