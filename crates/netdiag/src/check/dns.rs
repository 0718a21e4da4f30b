//! The DNS stage: SRV discovery over the domains (`_vlmcs._tcp.<domain>`), and the addresses of
//! each host probed.

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use serde_json::json;
use tokio::time::Instant;
use volact_core::kms;

use super::common::{Ctx, LOOKUP_CONCURRENCY, has_key, map_bounded, ms, worst};
use crate::advice::Cmd;
use crate::dns::{self, DnsConfig};
use crate::finding::{Outcome, Probe, Verdict};
use crate::model::*;
use crate::options::Options;
use crate::target::{self, Target};

/// What discovery found, language-free (the report's [`Discovery`] is assembled from it).
pub(crate) struct DiscoveryRun {
    /// The DNS servers asked.
    pub(crate) dns_servers: Vec<String>,
    /// `argument`, `system` or `none`.
    pub(crate) dns_servers_from: &'static str,
    /// The system's search list.
    pub(crate) search_list: Vec<String>,
    /// Pass, warn, fail, or unknown (no domain to search).
    pub(crate) status: Status,
    /// What it found over every domain.
    pub(crate) verdict: Verdict,
    /// One per domain tried, in order.
    pub(crate) domains: Vec<DomainRun>,
    /// What to run next.
    pub(crate) next: Vec<Cmd>,
}

/// One domain's SRV lookup, language-free (the report's [`DomainLookup`] is assembled from it).
pub(crate) struct DomainRun {
    /// The domain.
    pub(crate) domain: String,
    /// `_vlmcs._tcp.<domain>.`
    pub(crate) query: String,
    /// Where the domain came from.
    pub(crate) source: DomainSource,
    /// What the lookup gave.
    pub(crate) outcome: LookupOutcome,
    /// Pass, warn (records with flags) or fail.
    pub(crate) status: Status,
    /// What it found: the sentence and codes follow from it.
    pub(crate) verdict: Verdict,
    /// How long the lookup took, in milliseconds.
    pub(crate) latency_ms: Option<f64>,
    /// The records.
    pub(crate) records: Vec<SrvRecord>,
    /// The resolver's own message, for failures.
    pub(crate) detail: Option<String>,
}

/// What discovery hands to the host stage.
pub(crate) struct Found {
    /// The SRV targets to probe, with their addresses, in order.
    pub(crate) probe: Vec<(Target, Vec<IpAddr>)>,
    /// `host:port` of the targets left out by the host limit.
    pub(crate) over_limit: Vec<String>,
}

/// Which SRV records are probed, by (domain index, record index).
#[derive(Default)]
struct Choice {
    /// New `(host, port)` pairs within the budget, in domain then record order.
    chosen: Vec<(usize, usize)>,
    /// New pairs over the budget.
    over: Vec<(usize, usize)>,
    /// The target names to resolve (chosen ones and repeats of hosts already chosen).
    to_resolve: Vec<String>,
}

/// The domains to search: `--domain`, else the system's search list.
fn domains_to_search(opts: &Options, cfg: &DnsConfig) -> Vec<(String, DomainSource)> {
    if opts.domains.is_empty() {
        cfg.search
            .iter()
            .map(|d| (d.clone(), DomainSource::SearchList))
            .collect()
    } else {
        opts.domains
            .iter()
            .map(|d| {
                (
                    d.trim_end_matches('.').to_ascii_lowercase(),
                    DomainSource::Argument,
                )
            })
            .collect()
    }
}

/// Runs SRV discovery over the domains; `seen` are the hosts already chosen, `budget` how many
/// more may be probed.
pub(crate) async fn discover(
    opts: &Options,
    cfg: &DnsConfig,
    resolver: Option<Arc<TokioResolver>>,
    seen: HashSet<(String, u16)>,
    budget: usize,
) -> (DiscoveryRun, Found) {
    let domains = domains_to_search(opts, cfg);
    let mut found = Found {
        probe: vec![],
        over_limit: vec![],
    };
    let mut discovery = DiscoveryRun {
        dns_servers: cfg.servers.iter().map(ToString::to_string).collect(),
        dns_servers_from: cfg.from,
        search_list: cfg.search.clone(),
        status: Status::Unknown,
        verdict: Verdict::NoDomain,
        domains: vec![],
        next: vec![Cmd::Ipconfig],
    };
    if domains.is_empty() {
        return (discovery, found);
    }
    // 1. The SRV queries, a bounded number at once.
    let timeout = opts.timeout;
    let looked: Vec<Option<(DomainRun, Vec<dns::Srv>)>> =
        map_bounded(domains, LOOKUP_CONCURRENCY, |(domain, source)| {
            let resolver = resolver.clone();
            async move { lookup_domain(domain, source, resolver, timeout).await }
        })
        .await;
    let looked: Vec<(DomainRun, Vec<dns::Srv>)> = looked.into_iter().flatten().collect();

    // 2. Which targets are probed; only their names are resolved.
    let choice = choose(&looked, seen, budget);
    let addrs = resolve_targets(resolver.as_ref(), &choice.to_resolve, timeout).await;

    // 3. Each domain's records, flagged, and the targets handed to the host stage.
    let over_set: HashSet<(usize, usize)> = choice.over.iter().copied().collect();
    for (di, (mut dl, srvs)) in looked.into_iter().enumerate() {
        if dl.outcome != LookupOutcome::Found {
            discovery.domains.push(dl);
            continue;
        }
        let records = flag_records(srvs, |ri| over_set.contains(&(di, ri)), &addrs);
        for &(_, cr) in choice.chosen.iter().filter(|(cd, _)| *cd == di) {
            let r = &records[cr];
            found.probe.push((
                Target {
                    host: r.target.clone(),
                    port: r.port,
                    origin: Origin::Srv {
                        domain: dl.domain.clone(),
                    },
                },
                r.addresses.clone(),
            ));
        }
        for &(_, or) in choice.over.iter().filter(|(od, _)| *od == di) {
            found
                .over_limit
                .push(target::join(&records[or].target, records[or].port));
        }
        finish_domain(&mut dl, records);
        discovery.domains.push(dl);
    }
    discovery.status = discovery_status(&discovery.domains);
    discovery.verdict = discovery_verdict(&discovery.domains, discovery.status);
    let server = cfg.servers.first().map(|s| s.ip().to_string());
    discovery.next = discovery_next(&discovery.domains, discovery.status, server);
    (discovery, found)
}

/// Which targets are probed: in domain order then record order, new `(host, port)` pairs until
/// the budget is spent. Only their names are resolved (and those of targets that repeat a host
/// given or already chosen).
fn choose(
    looked: &[(DomainRun, Vec<dns::Srv>)],
    mut seen: HashSet<(String, u16)>,
    budget: usize,
) -> Choice {
    let mut choice = Choice::default();
    let mut resolve_set: HashSet<String> = HashSet::new();
    for (di, (_, srvs)) in looked.iter().enumerate() {
        for (ri, s) in srvs.iter().enumerate() {
            if s.target == "." || !s.host_name || !target::valid_hostname(&s.target) {
                continue;
            }
            let pair = (s.target.clone(), s.port);
            if !seen.contains(&pair) {
                if choice.chosen.len() >= budget {
                    choice.over.push((di, ri));
                    continue;
                }
                seen.insert(pair);
                choice.chosen.push((di, ri));
            }
            if resolve_set.insert(s.target.clone()) {
                choice.to_resolve.push(s.target.clone());
            }
        }
    }
    choice
}

/// The addresses of the SRV targets, a bounded number of lookups at once.
async fn resolve_targets(
    resolver: Option<&Arc<TokioResolver>>,
    names: &[String],
    timeout: Duration,
) -> BTreeMap<String, Vec<IpAddr>> {
    let Some(r) = resolver else {
        return BTreeMap::new();
    };
    let got = map_bounded(names.to_vec(), LOOKUP_CONCURRENCY, |name| {
        let r = r.clone();
        async move {
            let a = tokio::time::timeout(timeout * 3, dns::addresses(&r, &name)).await;
            (name, a.ok().and_then(Result::ok).unwrap_or_default())
        }
    })
    .await;
    got.into_iter().flatten().collect()
}

/// A found domain's records with their addresses and what looks wrong; `over(ri)` says the
/// record was left out by the host limit.
fn flag_records(
    srvs: Vec<dns::Srv>,
    over: impl Fn(usize) -> bool,
    addrs: &BTreeMap<String, Vec<IpAddr>>,
) -> Vec<SrvRecord> {
    let mut records = Vec::with_capacity(srvs.len());
    for (ri, s) in srvs.into_iter().enumerate() {
        let mut flags = vec![];
        let mut addresses = vec![];
        if s.target == "." {
            flags.push(SrvFlag::NoService);
        } else if !s.host_name || !target::valid_hostname(&s.target) {
            flags.push(SrvFlag::BadTarget);
        } else if over(ri) {
            flags.push(SrvFlag::NotProbed);
        } else {
            addresses = addrs.get(&s.target).cloned().unwrap_or_default();
            if addresses.is_empty() {
                flags.push(SrvFlag::NoAddress);
            }
        }
        if s.port != kms::PORT && s.target != "." {
            flags.push(SrvFlag::NonDefaultPort);
        }
        records.push(SrvRecord {
            priority: s.priority,
            weight: s.weight,
            port: s.port,
            target: s.target,
            addresses,
            flags,
        });
    }
    records
}

/// Fail when no domain has records or a `--domain` given failed; else the worst found domain.
fn discovery_status(domains: &[DomainRun]) -> Status {
    let any_found = domains.iter().any(|d| d.outcome == LookupOutcome::Found);
    let arg_failed = domains
        .iter()
        .any(|d| d.source == DomainSource::Argument && d.status == Status::Fail);
    if arg_failed || !any_found {
        Status::Fail
    } else {
        worst(
            domains
                .iter()
                .filter(|d| d.outcome == LookupOutcome::Found)
                .map(|d| &d.status),
        )
    }
}

/// Discovery's verdict: failed, or how many hosts the records name.
fn discovery_verdict(domains: &[DomainRun], status: Status) -> Verdict {
    let tried: Vec<String> = domains.iter().map(|d| d.domain.clone()).collect();
    if status == Status::Fail {
        return Verdict::DiscoveryFailed { tried };
    }
    let hosts_found = domains
        .iter()
        .flat_map(|d| &d.records)
        .filter(|r| {
            !r.flags
                .iter()
                .any(|f| matches!(f, SrvFlag::NoService | SrvFlag::BadTarget))
        })
        .count();
    Verdict::Discovered { hosts_found, tried }
}

fn discovery_next(domains: &[DomainRun], status: Status, server: Option<String>) -> Vec<Cmd> {
    let mut next = Vec::new();
    for d in domains {
        if d.status != Status::Pass {
            next.push(Cmd::NslookupSrv {
                domain: d.domain.clone(),
                server: server.clone(),
            });
        }
    }
    if status != Status::Fail {
        return next;
    }
    if domains.iter().any(|d| {
        matches!(
            d.outcome,
            LookupOutcome::ServerFailure | LookupOutcome::NoDnsServer | LookupOutcome::Refused
        )
    }) {
        next.push(Cmd::Ipconfig);
        if let Some(s) = &server {
            next.push(Cmd::DnsPort { server: s.clone() });
        }
    }
    if domains.iter().any(|d| {
        matches!(
            d.outcome,
            LookupOutcome::NameNotFound | LookupOutcome::NoRecords | LookupOutcome::NoService
        )
    }) {
        next.push(Cmd::HostPublishing);
        if let Some(d) = domains.first() {
            next.push(Cmd::SkmsDomain {
                domain: d.domain.clone(),
            });
        }
    }
    next.push(Cmd::skms_placeholder());
    next
}

/// Sets a domain's records, outcome, status and verdict once its targets are known.
fn finish_domain(dl: &mut DomainRun, records: Vec<SrvRecord>) {
    let query = dl.query.clone();
    let n = records.len();
    let no_service = records
        .iter()
        .all(|r| r.flags.contains(&SrvFlag::NoService));
    dl.records = records;
    if no_service {
        // RFC 2782: a lone "." target means the service is decidedly not available here.
        dl.outcome = LookupOutcome::NoService;
        dl.status = Status::Fail;
        dl.verdict = Verdict::NoService { query };
        return;
    }
    let flagged = dl.records.iter().any(|r| !r.flags.is_empty());
    dl.status = if flagged { Status::Warn } else { Status::Pass };
    dl.verdict = Verdict::Records {
        query,
        count: n,
        flagged,
    };
}

/// The SRV query of one domain. A found domain comes back with its raw records (its verdict is
/// set by [`finish_domain`] once the targets are resolved).
async fn lookup_domain(
    domain: String,
    source: DomainSource,
    resolver: Option<Arc<TokioResolver>>,
    timeout: Duration,
) -> (DomainRun, Vec<dns::Srv>) {
    let query = format!("{}.{domain}.", kms::SRV_PREFIX);
    let start = Instant::now();
    let fail = |outcome: LookupOutcome, detail: Option<String>, latency: Option<f64>| {
        (
            DomainRun {
                domain: domain.clone(),
                query: query.clone(),
                source,
                outcome,
                status: Status::Fail,
                verdict: Verdict::LookupFailed {
                    query: query.clone(),
                    outcome,
                },
                latency_ms: latency,
                records: vec![],
                detail,
            },
            vec![],
        )
    };
    if has_key(&domain) {
        // Never put a product key into a DNS query.
        return fail(
            LookupOutcome::BadName,
            Some("looks like a product key; not queried".into()),
            None,
        );
    }
    if !target::valid_hostname(&domain) {
        return fail(LookupOutcome::BadName, Some(format!("{domain:?}")), None);
    }
    let Some(r) = resolver else {
        return fail(LookupOutcome::NoDnsServer, None, None);
    };
    // The resolver has its own timeout; this bounds the whole lookup whatever happens.
    let got = tokio::time::timeout(timeout * 3, dns::srv(&r, &domain)).await;
    let latency = Some(ms(start.elapsed()));
    let srvs = match got {
        Err(_) => {
            return fail(
                LookupOutcome::ServerFailure,
                Some("timed out".into()),
                latency,
            );
        }
        Ok(Err((o, e))) => return fail(o, Some(e), latency),
        Ok(Ok(v)) => v,
    };
    (
        DomainRun {
            domain,
            verdict: Verdict::Records {
                query: query.clone(),
                count: 0,
                flagged: false,
            },
            query,
            source,
            outcome: LookupOutcome::Found,
            status: Status::Pass,
            latency_ms: latency,
            records: vec![],
            detail: None,
        },
        srvs,
    )
}

/// The host's addresses: given as an IP address (skipped), found by discovery, or looked up.
/// What was found, and the addresses (empty when the stage failed).
pub(crate) async fn host_addresses(
    t: &Target,
    pre: Option<Vec<IpAddr>>,
    ctx: &Ctx,
) -> (Probe, Vec<IpAddr>) {
    if let Some(ip) = t.ip() {
        return (Probe::new(Outcome::AddressGiven), vec![ip]);
    }
    let start = Instant::now();
    let (res, from_srv) = match pre {
        Some(a) if !a.is_empty() => (Ok(a), true),
        Some(_) | None => match &ctx.resolver {
            None => (Err((LookupOutcome::NoDnsServer, String::new())), false),
            Some(r) => (
                tokio::time::timeout(ctx.timeout * 3, dns::addresses(r, &t.host))
                    .await
                    .unwrap_or(Err((LookupOutcome::ServerFailure, "timed out".into()))),
                false,
            ),
        },
    };
    let host = t.host.clone();
    match res {
        Ok(addresses) => {
            let list: Vec<String> = addresses.iter().map(ToString::to_string).collect();
            let mut p = Probe::new(if from_srv {
                Outcome::SrvTargetResolved {
                    host,
                    addresses: addresses.clone(),
                }
            } else {
                Outcome::Resolved {
                    host,
                    addresses: addresses.clone(),
                }
            });
            if !from_srv {
                p.latency_ms = Some(ms(start.elapsed()));
            }
            p.data = json!({ "addresses": list });
            (p, addresses)
        }
        Err((lookup, detail)) => {
            let mut p = Probe::new(Outcome::NoAddress { host, lookup });
            p.latency_ms = Some(ms(start.elapsed()));
            if !detail.is_empty() {
                p.data = json!({ "resolver": detail });
            }
            (p, vec![])
        }
    }
}
