//! The walk: discovery, then every host (bounded concurrency), then the clock; and the verdicts.

use std::collections::{BTreeMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use serde_json::json;
use tokio::net::TcpStream;
use tokio::task::JoinSet;
use tokio::time::Instant;
use volact_core::Lang;
use volact_core::clock::{self, Party};
use volact_core::kb::Check;

use crate::advice::{self, tr};
use crate::dns::{self, DnsConfig};
use crate::model::*;
use crate::rpc::{self, BindReply};
use crate::sntp::{self, SntpOutcome, Unusable};
use crate::target::{self, Target};
use crate::{Options, Progress};

/// More than this offset, in seconds, and KMS refuses the client (0xC004F06C).
pub const CLOCK_FAIL_S: f64 = 4.0 * 3600.0;

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

struct Ctx {
    lang: Lang,
    timeout: Duration,
    resolver: Option<Arc<TokioResolver>>,
    want_tcp: bool,
    want_rpc: bool,
    clock_on_hosts: bool,
    ntp_port: u16,
    warn_s: f64,
}

fn worst<'a>(it: impl IntoIterator<Item = &'a Status>) -> Status {
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
async fn map_bounded<I, T, F, Fut>(items: Vec<I>, limit: usize, f: F) -> Vec<Option<T>>
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

/// Hosts that were not probed, and why.
#[derive(Default)]
struct NotProbed {
    over_limit: usize,
    keys: usize,
    names: Vec<String>,
}

impl NotProbed {
    fn add(&mut self, display: String, key: bool) {
        if key {
            self.keys += 1;
        } else {
            self.over_limit += 1;
        }
        if self.names.len() < 100 {
            self.names
                .push(volact_core::key::redact_keys_in(&display).into_owned());
        }
    }

    fn reason(&self, limit: Option<usize>, lang: Lang) -> Option<String> {
        let mut parts = Vec::new();
        if self.over_limit > 0 {
            let n = self.over_limit;
            let max = limit.unwrap_or_default();
            parts.push(match lang {
                Lang::En => format!(
                    "{n} host(s) not probed: one run probes at most {max} hosts (given and discovered together)"
                ),
                Lang::ZhTw => format!(
                    "{n} 部主機未檢查：每次執行最多檢查 {max} 部主機（指定的與自動探索到的合計）"
                ),
            });
        }
        if self.keys > 0 {
            let n = self.keys;
            parts.push(match lang {
                Lang::En => format!(
                    "{n} host(s) not probed: they look like product keys, which are never sent over the network"
                ),
                Lang::ZhTw => format!("{n} 部主機未檢查：看起來是產品金鑰，金鑰絕不會送上網路"),
            });
        }
        (!parts.is_empty()).then(|| {
            parts.join(match lang {
                Lang::En => "; ",
                Lang::ZhTw => "；",
            }) + match lang {
                Lang::En => ".",
                Lang::ZhTw => "。",
            }
        })
    }
}

/// Runs every stage the options ask for.
pub(crate) async fn run(opts: &Options, progress: &Progress) -> Report {
    let started = Instant::now();
    let lang = opts.lang;
    let want = |c: Check| opts.checks.contains(&c);
    let cfg = dns::config(opts.dns_server, &opts.system_dns);
    let resolver = dns::resolver(&cfg, opts.timeout).map(Arc::new);
    let limit = opts.max_hosts.unwrap_or(usize::MAX);
    let mut not_probed = NotProbed::default();

    let explicit_hosts = !opts.hosts.is_empty();
    let need_hosts = want(Check::Tcp)
        || want(Check::Rpc)
        || (want(Check::Clock) && opts.time_servers.is_empty());
    let run_discovery = (want(Check::Dns) && (!opts.domains.is_empty() || !explicit_hosts))
        || (need_hosts && !explicit_hosts);

    let mut hosts: Vec<(Target, Option<Vec<IpAddr>>)> = Vec::new();
    for t in &opts.hosts {
        let key = has_key(&t.host);
        if key || hosts.len() >= limit {
            not_probed.add(t.display(), key);
        } else {
            hosts.push((t.clone(), None));
        }
    }
    let mut discovery = None;
    if run_discovery {
        let seen: HashSet<(String, u16)> = hosts
            .iter()
            .map(|(t, _)| (t.host.clone(), t.port))
            .collect();
        let budget = limit.saturating_sub(hosts.len());
        let (d, found) = discover(opts, &cfg, resolver.clone(), seen, budget).await;
        for (t, addrs) in found.probe {
            hosts.push((t, Some(addrs)));
        }
        for name in found.over_limit {
            not_probed.add(name, false);
        }
        discovery = Some(d);
    }

    let mut time_servers = Vec::new();
    for t in &opts.time_servers {
        if has_key(&t.host) {
            not_probed.add(t.display(), true);
        } else {
            time_servers.push(t.clone());
        }
    }
    let clock_on_hosts = want(Check::Clock) && opts.time_servers.is_empty() && !hosts.is_empty();
    let ctx = Arc::new(Ctx {
        lang,
        timeout: opts.timeout,
        resolver: resolver.clone(),
        want_tcp: want(Check::Tcp) || want(Check::Rpc),
        want_rpc: want(Check::Rpc),
        clock_on_hosts,
        ntp_port: opts.ntp_port,
        warn_s: opts.clock_warn_s,
    });

    let host_reports = if ctx.want_tcp || ctx.clock_on_hosts || want(Check::Dns) {
        check_hosts(hosts, ctx.clone(), opts.concurrency, progress).await
    } else {
        Vec::new()
    };

    let clock = if want(Check::Clock) {
        Some(
            clock(
                opts,
                &time_servers,
                &ctx,
                &cfg,
                discovery.as_ref(),
                &host_reports,
            )
            .await,
        )
    } else {
        None
    };

    let mut summary = Summary {
        hosts: host_reports.len(),
        hosts_file_lines: opts.hosts_file_lines,
        hosts_file_skipped: opts.hosts_file_skipped.0,
        skipped: opts.hosts_file_skipped.1.clone(),
        not_probed: not_probed.over_limit + not_probed.keys,
        not_probed_reason: not_probed.reason(opts.max_hosts, lang),
        not_probed_hosts: std::mem::take(&mut not_probed.names),
        ..Summary::default()
    };
    for h in &host_reports {
        match h.status {
            Status::Pass | Status::Skip => summary.pass += 1,
            Status::Warn => summary.warn += 1,
            Status::Fail => summary.fail += 1,
            Status::Unknown => summary.unknown += 1,
        }
    }
    let mut statuses: Vec<Status> = host_reports.iter().map(|h| h.status).collect();
    let mut firsts: Vec<Stage> = host_reports
        .iter()
        .filter_map(|h| h.first_failure)
        .collect();
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
    summary.elapsed_ms = ms(started.elapsed());
    let mut report = Report {
        schema_version: SCHEMA_VERSION,
        lang,
        checks: opts.checks.clone(),
        timeout_ms: opts.timeout.as_millis() as u64,
        explain: opts.explain.map(|code| ExplainTarget {
            code: CodeRef::new(code.value(), Relation::Explains, lang),
            checks: opts.checks.clone(),
        }),
        discovery,
        hosts: host_reports,
        clock,
        status: worst(&statuses),
        first_failure: firsts.into_iter().min(),
        summary,
    };
    // Names, addresses, errors and replies come from arguments, files and peers: no product key
    // leaves in any of them, whatever the format.
    report.redact_keys();
    report
}

/// What discovery hands to the host stage.
struct Found {
    /// The SRV targets to probe, with their addresses, in order.
    probe: Vec<(Target, Vec<IpAddr>)>,
    /// `host:port` of the targets left out by the host limit.
    over_limit: Vec<String>,
}

async fn discover(
    opts: &Options,
    cfg: &DnsConfig,
    resolver: Option<Arc<TokioResolver>>,
    mut seen: HashSet<(String, u16)>,
    budget: usize,
) -> (Discovery, Found) {
    let lang = opts.lang;
    let domains: Vec<(String, DomainSource)> = if opts.domains.is_empty() {
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
    };
    let servers: Vec<String> = cfg.servers.iter().map(ToString::to_string).collect();
    let first_server = cfg.servers.first().map(|s| s.ip().to_string());
    let mut next = Vec::new();
    let mut found = Found {
        probe: vec![],
        over_limit: vec![],
    };
    if domains.is_empty() {
        next.push(advice::ipconfig(lang));
        return (
            Discovery {
                dns_servers: servers,
                dns_servers_from: cfg.from,
                search_list: cfg.search.clone(),
                status: Status::Unknown,
                summary: tr(
                    lang,
                    "No domain to search: give --domain (the system has no DNS suffix search list).",
                    "沒有可搜尋的網域：請用 --domain 指定（系統沒有 DNS 尾碼搜尋清單）。",
                ),
                domains: vec![],
                next_commands: next,
            },
            found,
        );
    }
    // 1. The SRV queries, a bounded number at once.
    let timeout = opts.timeout;
    let looked: Vec<Option<(DomainLookup, Vec<dns::Srv>)>> =
        map_bounded(domains, LOOKUP_CONCURRENCY, |(domain, source)| {
            let resolver = resolver.clone();
            async move { lookup_domain(domain, source, resolver, timeout, lang).await }
        })
        .await;
    let mut looked: Vec<(DomainLookup, Vec<dns::Srv>)> = looked.into_iter().flatten().collect();

    // 2. Which targets are probed: in domain order then record order, new (host, port) pairs
    //    until the budget is spent. Only their names are resolved (and those of targets that
    //    repeat a host given or already chosen).
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    let mut to_resolve: Vec<String> = Vec::new();
    let mut resolve_set: HashSet<String> = HashSet::new();
    let mut over: Vec<(usize, usize)> = Vec::new();
    for (di, (_, srvs)) in looked.iter().enumerate() {
        for (ri, s) in srvs.iter().enumerate() {
            if s.target == "." || !s.host_name || !target::valid_hostname(&s.target) {
                continue;
            }
            let pair = (s.target.clone(), s.port);
            let repeat = seen.contains(&pair);
            if !repeat {
                if chosen.len() >= budget {
                    over.push((di, ri));
                    continue;
                }
                seen.insert(pair);
                chosen.push((di, ri));
            }
            if resolve_set.insert(s.target.clone()) {
                to_resolve.push(s.target.clone());
            }
        }
    }
    let addrs: BTreeMap<String, Vec<IpAddr>> = match &resolver {
        Some(r) => {
            let got = map_bounded(to_resolve.clone(), LOOKUP_CONCURRENCY, |name| {
                let r = r.clone();
                async move {
                    let a = tokio::time::timeout(timeout * 3, dns::addresses(&r, &name)).await;
                    (name, a.ok().and_then(Result::ok).unwrap_or_default())
                }
            })
            .await;
            got.into_iter().flatten().collect()
        }
        None => BTreeMap::new(),
    };
    let over_set: HashSet<(usize, usize)> = over.iter().copied().collect();
    let mut domains_out = Vec::with_capacity(looked.len());
    for (di, (mut dl, srvs)) in looked.drain(..).enumerate() {
        if dl.outcome != LookupOutcome::Found {
            domains_out.push(dl);
            continue;
        }
        let mut records = Vec::with_capacity(srvs.len());
        for (ri, s) in srvs.into_iter().enumerate() {
            let mut flags = vec![];
            let mut addresses = vec![];
            if s.target == "." {
                flags.push(SrvFlag::NoService);
            } else if !s.host_name || !target::valid_hostname(&s.target) {
                flags.push(SrvFlag::BadTarget);
            } else if over_set.contains(&(di, ri)) {
                flags.push(SrvFlag::NotProbed);
            } else {
                addresses = addrs.get(&s.target).cloned().unwrap_or_default();
                if addresses.is_empty() {
                    flags.push(SrvFlag::NoAddress);
                }
            }
            if s.port != target::KMS_PORT && s.target != "." {
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
        for &(cd, cr) in &chosen {
            if cd == di {
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
        }
        for &(od, or) in &over {
            if od == di {
                found
                    .over_limit
                    .push(target::join(&records[or].target, records[or].port));
            }
        }
        finish_domain(&mut dl, records, lang);
        domains_out.push(dl);
    }
    let domains = domains_out;
    let any_found = domains.iter().any(|d| d.outcome == LookupOutcome::Found);
    let arg_failed = domains
        .iter()
        .any(|d| d.source == DomainSource::Argument && d.status == Status::Fail);
    let status = if arg_failed || !any_found {
        Status::Fail
    } else {
        worst(
            domains
                .iter()
                .filter(|d| d.outcome == LookupOutcome::Found)
                .map(|d| &d.status),
        )
    };
    let tried: Vec<&str> = domains.iter().map(|d| d.domain.as_str()).collect();
    let hosts_found = domains
        .iter()
        .flat_map(|d| &d.records)
        .filter(|r| {
            !r.flags
                .iter()
                .any(|f| matches!(f, SrvFlag::NoService | SrvFlag::BadTarget))
        })
        .count();
    let summary = match (status, lang) {
        (Status::Fail, Lang::En) => format!(
            "KMS discovery failed: no usable _vlmcs._tcp record (tried {}).",
            tried.join(", ")
        ),
        (Status::Fail, Lang::ZhTw) => format!(
            "KMS 自動探索失敗：找不到可用的 _vlmcs._tcp 記錄（已嘗試 {}）。",
            tried.join("、")
        ),
        (_, Lang::En) => format!(
            "KMS discovery found {hosts_found} host(s) (tried {}).",
            tried.join(", ")
        ),
        (_, Lang::ZhTw) => format!(
            "KMS 自動探索找到 {hosts_found} 部主機（已嘗試 {}）。",
            tried.join("、")
        ),
    };
    for d in &domains {
        if d.status != Status::Pass {
            next.push(advice::nslookup_srv(
                &d.domain,
                first_server.as_deref(),
                lang,
            ));
        }
    }
    if status == Status::Fail {
        if domains.iter().any(|d| {
            matches!(
                d.outcome,
                LookupOutcome::ServerFailure | LookupOutcome::NoDnsServer | LookupOutcome::Refused
            )
        }) {
            next.push(advice::ipconfig(lang));
            if let Some(s) = &first_server {
                next.push(advice::dns_port(s, lang));
            }
        }
        if domains.iter().any(|d| {
            matches!(
                d.outcome,
                LookupOutcome::NameNotFound | LookupOutcome::NoRecords | LookupOutcome::NoService
            )
        }) {
            next.push(advice::host_publishing(lang));
            if let Some(d) = domains.first() {
                next.push(advice::skms_domain(&d.domain, lang));
            }
        }
        next.push(advice::skms("<kms-host>:1688", lang));
    }
    (
        Discovery {
            dns_servers: servers,
            dns_servers_from: cfg.from,
            search_list: cfg.search.clone(),
            status,
            summary,
            domains,
            next_commands: next,
        },
        found,
    )
}

/// Sets a domain's records, outcome, status and summary once its targets are known.
fn finish_domain(dl: &mut DomainLookup, records: Vec<SrvRecord>, lang: Lang) {
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
        dl.summary = lookup_summary(LookupOutcome::NoService, &query, lang);
        dl.codes = dns::code_for(LookupOutcome::NoService)
            .map(|c| {
                vec![
                    CodeRef::new(c, Relation::Predicts, lang),
                    CodeRef::new(0xC004_F074, Relation::Predicts, lang),
                ]
            })
            .unwrap_or_default();
        return;
    }
    let flagged = dl.records.iter().any(|r| !r.flags.is_empty());
    dl.status = if flagged { Status::Warn } else { Status::Pass };
    dl.summary = match lang {
        Lang::En => format!(
            "{query}: {n} record(s){}",
            if flagged { ", some need attention" } else { "" }
        ),
        Lang::ZhTw => format!(
            "{query}：{n} 筆記錄{}",
            if flagged {
                "，其中有需要注意的記錄"
            } else {
                ""
            }
        ),
    };
}

/// The SRV query of one domain. A found domain comes back with its raw records (its summary is
/// set by [`finish_domain`] once the targets are resolved).
async fn lookup_domain(
    domain: String,
    source: DomainSource,
    resolver: Option<Arc<TokioResolver>>,
    timeout: Duration,
    lang: Lang,
) -> (DomainLookup, Vec<dns::Srv>) {
    let query = format!("_vlmcs._tcp.{domain}.");
    let start = Instant::now();
    let fail = |outcome: LookupOutcome, detail: Option<String>, latency: Option<f64>| {
        let code = dns::code_for(outcome);
        let summary = lookup_summary(outcome, &query, lang);
        (
            DomainLookup {
                domain: domain.clone(),
                query: query.clone(),
                source,
                outcome,
                status: Status::Fail,
                summary,
                latency_ms: latency,
                codes: code
                    .map(|c| vec![CodeRef::new(c, Relation::Explains, lang)])
                    .unwrap_or_default(),
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
        DomainLookup {
            domain,
            query,
            source,
            outcome: LookupOutcome::Found,
            status: Status::Pass,
            summary: String::new(),
            latency_ms: latency,
            codes: vec![],
            records: vec![],
            detail: None,
        },
        srvs,
    )
}

fn outcome_text(o: LookupOutcome, lang: Lang) -> &'static str {
    let (en, zh) = match o {
        LookupOutcome::Found => ("records found", "找到記錄"),
        LookupOutcome::NameNotFound => (
            "the name does not exist (NXDOMAIN)",
            "名稱不存在（NXDOMAIN）",
        ),
        LookupOutcome::NoRecords => (
            "the name has no SRV records (NODATA)",
            "名稱沒有 SRV 記錄（NODATA）",
        ),
        LookupOutcome::ServerFailure => (
            "the DNS server failed or did not answer",
            "DNS 伺服器失敗或沒有回應",
        ),
        LookupOutcome::Refused => ("the DNS server refused the query", "DNS 伺服器拒絕了查詢"),
        LookupOutcome::NoDnsServer => (
            "no DNS server is configured on this machine",
            "這台電腦沒有設定 DNS 伺服器",
        ),
        LookupOutcome::BadName => ("not a valid domain name", "不是有效的網域名稱"),
        LookupOutcome::NoService => (
            "the domain publishes no KMS service (its SRV target is \".\", meaning \"no service here\"), so a client finds no KMS host",
            "此網域聲明不提供 KMS 服務（SRV 目標為「.」，表示「這裡沒有此服務」），用戶端因此找不到 KMS 主機",
        ),
        LookupOutcome::Error => ("the lookup failed", "查詢失敗"),
    };
    match lang {
        Lang::En => en,
        Lang::ZhTw => zh,
    }
}

fn lookup_summary(o: LookupOutcome, query: &str, lang: Lang) -> String {
    let text = outcome_text(o, lang);
    match lang {
        Lang::En => format!("{query}: {text}"),
        Lang::ZhTw => format!("{query}：{text}"),
    }
}

async fn check_hosts(
    hosts: Vec<(Target, Option<Vec<IpAddr>>)>,
    ctx: Arc<Ctx>,
    concurrency: usize,
    progress: &Progress,
) -> Vec<HostReport> {
    let total = hosts.len();
    let bar = progress.bar(total);
    let limit = concurrency.max(1);
    let mut set = JoinSet::new();
    let mut out: Vec<Option<HostReport>> = (0..total).map(|_| None).collect();
    let mut done = |r: Result<(usize, HostReport), tokio::task::JoinError>| {
        if let Ok((i, h)) = r {
            out[i] = Some(h);
        }
        if let Some(b) = &bar {
            b.inc(1);
        }
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
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    out.into_iter().flatten().collect()
}

fn stage(stage: Stage, status: Status, outcome: &'static str, summary: String) -> StageResult {
    StageResult {
        stage,
        status,
        outcome,
        summary,
        latency_ms: None,
        address: None,
        codes: vec![],
        data: serde_json::Value::Null,
    }
}

async fn check_host(t: Target, pre: Option<Vec<IpAddr>>, ctx: &Ctx) -> HostReport {
    let lang = ctx.lang;
    let display = t.display();
    let mut stages = Vec::new();
    let mut next: Vec<advice_cmd::Cmd> = Vec::new();

    // 1. DNS: the host's addresses.
    let addrs: Vec<IpAddr> = if let Some(ip) = t.ip() {
        stages.push(stage(
            Stage::Dns,
            Status::Skip,
            "address-given",
            tr(
                lang,
                "An IP address was given; no name to resolve.",
                "給的是 IP 位址，不需解析名稱。",
            ),
        ));
        vec![ip]
    } else {
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
        match res {
            Ok(a) => {
                let list: Vec<String> = a.iter().map(ToString::to_string).collect();
                let mut s = stage(
                    Stage::Dns,
                    Status::Pass,
                    if from_srv {
                        "srv-target-resolved"
                    } else {
                        "resolved"
                    },
                    match lang {
                        Lang::En => format!("{} resolves to {}.", t.host, list.join(", ")),
                        Lang::ZhTw => format!("{} 解析為 {}。", t.host, list.join("、")),
                    },
                );
                if !from_srv {
                    s.latency_ms = Some(ms(start.elapsed()));
                }
                s.data = json!({ "addresses": list });
                stages.push(s);
                a
            }
            Err((o, detail)) => {
                let mut s = stage(
                    Stage::Dns,
                    Status::Fail,
                    "no-address",
                    match lang {
                        Lang::En => {
                            format!("{} has no address: {}.", t.host, outcome_text(o, lang))
                        }
                        Lang::ZhTw => {
                            format!("{} 沒有位址：{}。", t.host, outcome_text(o, lang))
                        }
                    },
                );
                s.latency_ms = Some(ms(start.elapsed()));
                if let Some(c) = dns::code_for(if o == LookupOutcome::Found {
                    LookupOutcome::NoRecords
                } else {
                    o
                }) {
                    s.codes.push(CodeRef::new(c, Relation::Explains, lang));
                }
                s.codes
                    .push(CodeRef::new(0xC004_F074, Relation::Predicts, lang));
                if !detail.is_empty() {
                    s.data = json!({ "resolver": detail });
                }
                stages.push(s);
                next.push(advice_cmd::Cmd::NslookupHost);
                next.push(advice_cmd::Cmd::Ipconfig);
                vec![]
            }
        }
    };

    // 2. TCP and 3. RPC.
    let addr = addrs.first().map(|ip| SocketAddr::new(*ip, t.port));
    if ctx.want_tcp {
        match addr {
            None => stages.push(skipped(Stage::Tcp, lang)),
            Some(sa) => {
                let start = Instant::now();
                let conn = tokio::time::timeout(ctx.timeout, TcpStream::connect(sa)).await;
                let latency = ms(start.elapsed());
                match conn {
                    Ok(Ok(mut stream)) => {
                        let mut s = stage(
                            Stage::Tcp,
                            Status::Pass,
                            "connected",
                            match lang {
                                Lang::En => format!("Connected to {sa}."),
                                Lang::ZhTw => format!("已連線到 {sa}。"),
                            },
                        );
                        s.latency_ms = Some(latency);
                        s.address = Some(sa.to_string());
                        stages.push(s);
                        if ctx.want_rpc {
                            let (reply, took) = rpc::probe(&mut stream, ctx.timeout).await;
                            drop(stream);
                            let mut s = rpc_stage(&reply, lang);
                            s.latency_ms = Some(ms(took));
                            s.address = Some(sa.to_string());
                            s.data = serde_json::to_value(&reply).unwrap_or_default();
                            if s.status == Status::Fail {
                                next.push(advice_cmd::Cmd::Dlv);
                                next.push(advice_cmd::Cmd::Netstat);
                                next.push(advice_cmd::Cmd::Skms);
                            }
                            stages.push(s);
                        }
                    }
                    other => {
                        let (outcome, en, zh) = match &other {
                            Err(_) => (
                                "timed-out",
                                "no answer within the timeout (filtered, or the host is down)",
                                "逾時沒有回應（被過濾，或主機已關機）",
                            ),
                            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => (
                                "refused",
                                "connection refused: nothing listens on the port, or a firewall rejects it",
                                "連線被拒：這個連接埠沒有程式接聽，或被防火牆拒絕",
                            ),
                            Ok(Err(_)) => ("unreachable", "the connection failed", "連線失敗"),
                            Ok(Ok(_)) => ("connected", "", ""),
                        };
                        let mut s = stage(
                            Stage::Tcp,
                            Status::Fail,
                            outcome,
                            match lang {
                                Lang::En => format!("{sa}: {en}."),
                                Lang::ZhTw => format!("{sa}：{zh}。"),
                            },
                        );
                        s.latency_ms = Some(latency);
                        s.address = Some(sa.to_string());
                        if let Ok(Err(e)) = &other {
                            s.data = json!({ "error": e.to_string() });
                        }
                        s.codes
                            .push(CodeRef::new(0x8007_06BA, Relation::Explains, lang));
                        if outcome == "timed-out" {
                            s.codes
                                .push(CodeRef::new(0xC004_F039, Relation::Explains, lang));
                        }
                        s.codes
                            .push(CodeRef::new(0xC004_F074, Relation::Predicts, lang));
                        stages.push(s);
                        next.push(advice_cmd::Cmd::TestPort);
                        next.push(advice_cmd::Cmd::Firewall);
                        next.push(advice_cmd::Cmd::Dlv);
                        if ctx.want_rpc {
                            stages.push(skipped(Stage::Rpc, lang));
                        }
                    }
                }
            }
        }
        if addr.is_none() && ctx.want_rpc {
            stages.push(skipped(Stage::Rpc, lang));
        }
    }

    // 4. Clock, when the KMS hosts are the time sources.
    if ctx.clock_on_hosts {
        match addrs.first() {
            None => stages.push(skipped(Stage::Clock, lang)),
            Some(ip) => {
                let sa = SocketAddr::new(*ip, ctx.ntp_port);
                let (o, took) = sntp::query(sa, ctx.timeout).await;
                let mut s = clock_stage(&o, ctx.warn_s, lang, &sa.to_string());
                s.latency_ms = Some(ms(took));
                s.address = Some(sa.to_string());
                if s.status == Status::Fail || s.status == Status::Warn {
                    next.push(advice_cmd::Cmd::W32tm);
                }
                stages.push(s);
            }
        }
    }

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

/// Next commands, rendered once the host is known.
mod advice_cmd {
    use super::*;

    pub(super) enum Cmd {
        NslookupHost,
        Ipconfig,
        TestPort,
        Firewall,
        Dlv,
        Netstat,
        Skms,
        W32tm,
    }

    impl Cmd {
        pub(super) fn render(&self, t: &Target, lang: Lang) -> Vec<NextCommand> {
            match self {
                Cmd::NslookupHost => vec![NextCommand {
                    on: "client",
                    run: format!("nslookup {}", t.host),
                    purpose: tr(
                        lang,
                        "Check that the host name resolves from the client.",
                        "確認用戶端能解析這個主機名稱。",
                    ),
                }],
                Cmd::Ipconfig => vec![advice::ipconfig(lang)],
                Cmd::TestPort => vec![advice::test_port(&t.host, t.port, lang)],
                Cmd::Firewall => vec![advice::firewall(lang)],
                Cmd::Dlv => vec![advice::dlv(lang)],
                Cmd::Netstat => vec![advice::netstat(t.port, lang)],
                Cmd::Skms => vec![advice::skms("<kms-host>:1688", lang)],
                Cmd::W32tm => vec![advice::w32tm_status(lang), advice::w32tm_resync(lang)],
            }
        }
    }
}

fn skipped(st: Stage, lang: Lang) -> StageResult {
    stage(
        st,
        Status::Skip,
        "skipped",
        tr(
            lang,
            "Not run: an earlier stage failed.",
            "未執行：前一個階段已失敗。",
        ),
    )
}

fn rpc_stage(reply: &BindReply, lang: Lang) -> StageResult {
    let (status, outcome, en, zh, codes): (
        Status,
        &'static str,
        String,
        String,
        &[(u32, Relation)],
    ) = match reply {
        BindReply::Accepted { .. } => (
            Status::Pass,
            "accepted",
            "The KMS RPC interface is present: the bind was accepted.".into(),
            "KMS 的 RPC 介面存在：繫結已被接受。".into(),
            &[],
        ),
        BindReply::Rejected { result, reason } => (
            Status::Fail,
            "rejected",
            format!(
                "An RPC server answered but rejected the KMS interface (result {result}, reason {reason}): this is not a KMS host."
            ),
            format!(
                "有 RPC 伺服器回應，但拒絕了 KMS 介面（result {result}，reason {reason}）：這不是 KMS 主機。"
            ),
            &[(0xC004_F074, Relation::Predicts)],
        ),
        BindReply::Nak { reason } => (
            Status::Fail,
            "bind-nak",
            format!(
                "An RPC server refused the bind (bind_nak{}): an RPC endpoint, but not serving KMS.",
                reason.map(|r| format!(", reason {r}")).unwrap_or_default()
            ),
            format!(
                "RPC 伺服器拒絕了繫結（bind_nak{}）：是 RPC 端點，但沒有提供 KMS。",
                reason.map(|r| format!("，reason {r}")).unwrap_or_default()
            ),
            &[(0xC004_F074, Relation::Predicts)],
        ),
        BindReply::OtherPdu { ptype } => (
            Status::Fail,
            "unexpected-pdu",
            format!("A DCE/RPC peer answered with packet type {ptype} instead of a bind reply."),
            format!("DCE/RPC 對端回覆了封包類型 {ptype}，而不是繫結回覆。"),
            &[(0xC004_F074, Relation::Predicts)],
        ),
        BindReply::NotDceRpc { why, .. } => (
            Status::Fail,
            "not-dcerpc",
            format!("Something else listens on this port: the reply is not DCE/RPC ({why})."),
            format!("這個連接埠上是別的服務：回覆不是 DCE/RPC（{why}）。"),
            &[(0xC004_F074, Relation::Predicts)],
        ),
        BindReply::Closed => (
            Status::Fail,
            "closed",
            "The peer closed the connection without answering the bind: not a KMS host.".into(),
            "對端沒有回覆繫結就關閉了連線：不是 KMS 主機。".into(),
            &[(0xC004_F074, Relation::Predicts)],
        ),
        BindReply::NoReply { bytes } => (
            Status::Fail,
            "no-reply",
            format!("No complete reply to the bind within the timeout ({bytes} bytes arrived)."),
            format!("逾時內沒有收到完整的繫結回覆（收到 {bytes} 位元組）。"),
            &[
                (0xC004_F039, Relation::Explains),
                (0xC004_F074, Relation::Predicts),
            ],
        ),
        BindReply::IoError { error } => (
            Status::Fail,
            "io-error",
            format!("The connection failed during the bind: {error}."),
            format!("繫結期間連線失敗：{error}。"),
            &[
                (0x8007_06BA, Relation::Explains),
                (0xC004_F074, Relation::Predicts),
            ],
        ),
    };
    let mut s = stage(
        Stage::Rpc,
        status,
        outcome,
        match lang {
            Lang::En => en,
            Lang::ZhTw => zh,
        },
    );
    s.codes = codes
        .iter()
        .map(|(c, r)| CodeRef::new(*c, *r, lang))
        .collect();
    s
}

/// "This machine is 2 h 00 min behind `reference`", in volact's one convention.
fn offset_sentence(offset_s: f64, reference: Party<'_>, lang: Lang) -> String {
    clock::capitalized(&clock::describe(
        offset_s,
        Party::ThisMachine,
        reference,
        lang,
    ))
}

/// "no usable time from this source: the server's own clock is not synchronised (stratum=16)".
pub(crate) fn unusable_text(reason: Unusable, detail: &str, lang: Lang) -> String {
    let why = reason.describe(lang);
    match lang {
        Lang::En => format!("no usable time from this source: {why} ({detail})"),
        Lang::ZhTw => format!("此來源沒有可用的時間：{why}（{detail}）"),
    }
}

fn clock_stage(o: &SntpOutcome, warn_s: f64, lang: Lang, server: &str) -> StageResult {
    let reference = Party::Named {
        en: server,
        zh: server,
    };
    let mut s = match o {
        SntpOutcome::Answer { offset_s, .. } => {
            let a = offset_s.abs();
            let said = offset_sentence(*offset_s, reference, lang);
            if a > CLOCK_FAIL_S {
                let mut s = stage(
                    Stage::Clock,
                    Status::Fail,
                    "offset-fail",
                    match lang {
                        Lang::En => {
                            format!("{said}: more than 4 hours apart, KMS refuses the client.")
                        }
                        Lang::ZhTw => format!("{said}：相差超過 4 小時，KMS 會拒絕用戶端。"),
                    },
                );
                s.codes
                    .push(CodeRef::new(0xC004_F06C, Relation::Predicts, lang));
                s.codes
                    .push(CodeRef::new(0xC004_F074, Relation::Predicts, lang));
                s
            } else if a > warn_s {
                let level = clock::magnitude(warn_s, lang);
                stage(
                    Stage::Clock,
                    Status::Warn,
                    "offset-warn",
                    match lang {
                        Lang::En => format!(
                            "{said}: under the 4-hour KMS limit, but above the {level} warning level."
                        ),
                        Lang::ZhTw => {
                            format!("{said}：未超過 KMS 的 4 小時上限，但超過 {level}的警告門檻。")
                        }
                    },
                )
            } else {
                stage(
                    Stage::Clock,
                    Status::Pass,
                    "offset-ok",
                    match lang {
                        Lang::En => format!("{said}."),
                        Lang::ZhTw => format!("{said}。"),
                    },
                )
            }
        }
        SntpOutcome::NoAnswer => stage(
            Stage::Clock,
            Status::Skip,
            "no-answer",
            match lang {
                Lang::En => format!(
                    "{server} did not answer SNTP; the clock could not be compared with it."
                ),
                Lang::ZhTw => format!("{server} 沒有回應 SNTP，無法比對時鐘。"),
            },
        ),
        SntpOutcome::Unusable { reason, detail } => {
            let text = unusable_text(*reason, detail, lang);
            stage(
                Stage::Clock,
                Status::Skip,
                "no-usable-time",
                match lang {
                    Lang::En => format!("{server}: {text}; the clock was not compared with it."),
                    Lang::ZhTw => format!("{server}：{text}；未與它比對時鐘。"),
                },
            )
        }
        SntpOutcome::IoError { error } => stage(
            Stage::Clock,
            Status::Skip,
            "io-error",
            match lang {
                Lang::En => format!("{server}: SNTP query failed ({error})."),
                Lang::ZhTw => format!("{server}：SNTP 查詢失敗（{error}）。"),
            },
        ),
    };
    s.data = serde_json::to_value(o).unwrap_or_default();
    s
}

async fn clock(
    opts: &Options,
    time_servers: &[Target],
    ctx: &Ctx,
    cfg: &DnsConfig,
    discovery: Option<&Discovery>,
    hosts: &[HostReport],
) -> ClockReport {
    let lang = opts.lang;
    let mut sources = Vec::new();
    if !time_servers.is_empty() {
        let resolver = ctx.resolver.clone();
        let timeout = ctx.timeout;
        let got = map_bounded(time_servers.to_vec(), LOOKUP_CONCURRENCY, |t| {
            let resolver = resolver.clone();
            async move { ask(&t, "argument", resolver, timeout).await }
        })
        .await;
        sources.extend(got.into_iter().flatten());
    } else {
        for h in hosts {
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
            let domains: Vec<String> = match discovery {
                Some(d) => d.domains.iter().map(|d| d.domain.clone()).collect(),
                None if !opts.domains.is_empty() => opts.domains.clone(),
                None => cfg.search.clone(),
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
            let resolver = ctx.resolver.clone();
            let timeout = ctx.timeout;
            let got = map_bounded(targets, LOOKUP_CONCURRENCY, |t| {
                let resolver = resolver.clone();
                async move { ask(&t, "domain", resolver, timeout).await }
            })
            .await;
            sources.extend(got.into_iter().flatten());
        }
    }
    let mut asked: Vec<&str> = sources.iter().map(|s| s.server.as_str()).take(5).collect();
    let more = sources.len().saturating_sub(asked.len());
    let more_text = match lang {
        Lang::En => format!("and {more} more"),
        Lang::ZhTw => format!("及另外 {more} 個"),
    };
    if more > 0 {
        asked.push(&more_text);
    }
    let mut codes = Vec::new();
    let mut next = Vec::new();
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
    let (status, summary) = match worst {
        None => {
            next.push(advice::w32tm_status(lang));
            let asked = if asked.is_empty() {
                tr(lang, "none could be asked", "沒有可詢問的來源")
            } else {
                asked.join(match lang {
                    Lang::En => ", ",
                    Lang::ZhTw => "、",
                })
            };
            let hint = if time_servers.is_empty() {
                tr(
                    lang,
                    " Give --time-server (for example a domain controller).",
                    "請用 --time-server 指定時間來源（例如網域控制站）。",
                )
            } else {
                String::new()
            };
            let unusable = sources.iter().find_map(|s| match &s.outcome {
                SntpOutcome::Unusable { reason, detail } => Some((s, *reason, detail)),
                _ => None,
            });
            (
                Status::Unknown,
                match (unusable, lang) {
                    (Some((s, reason, detail)), Lang::En) => format!(
                        "No time source gave a usable time (asked: {asked}); the clock was NOT checked. {}: {}.{hint}",
                        s.server,
                        unusable_text(reason, detail, lang)
                    ),
                    (Some((s, reason, detail)), Lang::ZhTw) => format!(
                        "沒有任何時間來源提供可用的時間（已詢問：{asked}）；時鐘並未檢查。{}：{}。{hint}",
                        s.server,
                        unusable_text(reason, detail, lang)
                    ),
                    (None, Lang::En) => format!(
                        "No time source answered (asked: {asked}); the clock was NOT checked.{hint}"
                    ),
                    (None, Lang::ZhTw) => {
                        format!("沒有任何時間來源回應（已詢問：{asked}）；時鐘並未檢查。{hint}")
                    }
                },
            )
        }
        Some((o, src)) => {
            let (en, zh) = match src.role {
                "kms-host" => (
                    format!("the KMS host's time ({})", src.server),
                    format!("KMS 主機（{}）的時間", src.server),
                ),
                "domain" => (
                    format!("the domain's time source ({})", src.server),
                    format!("網域的時間來源（{}）", src.server),
                ),
                _ => (
                    format!("the time source ({})", src.server),
                    format!("時間來源（{}）", src.server),
                ),
            };
            let said = offset_sentence(o, Party::Named { en: &en, zh: &zh }, lang);
            if o.abs() > CLOCK_FAIL_S {
                codes.push(CodeRef::new(0xC004_F06C, Relation::Predicts, lang));
                codes.push(CodeRef::new(0xC004_F074, Relation::Predicts, lang));
                next.push(advice::w32tm_status(lang));
                next.push(advice::w32tm_resync(lang));
                (
                    Status::Fail,
                    match lang {
                        Lang::En => format!(
                            "{said}: more than 4 hours apart, KMS activation fails with 0xC004F06C."
                        ),
                        Lang::ZhTw => {
                            format!("{said}：相差超過 4 小時，KMS 啟用會以 0xC004F06C 失敗。")
                        }
                    },
                )
            } else if o.abs() > ctx.warn_s {
                next.push(advice::w32tm_status(lang));
                next.push(advice::w32tm_resync(lang));
                let level = clock::magnitude(ctx.warn_s, lang);
                (
                    Status::Warn,
                    match lang {
                        Lang::En => format!(
                            "{said}: within the 4-hour KMS limit, but above the {level} warning level (Kerberos allows 5 minutes)."
                        ),
                        Lang::ZhTw => format!(
                            "{said}：在 KMS 的 4 小時上限內，但超過 {level}的警告門檻（Kerberos 只容許 5 分鐘）。"
                        ),
                    },
                )
            } else {
                (
                    Status::Pass,
                    match lang {
                        Lang::En => format!("{said}: fine."),
                        Lang::ZhTw => format!("{said}：正常。"),
                    },
                )
            }
        }
    };
    let worst_offset = worst.map(|(o, _)| o);
    ClockReport {
        status,
        summary,
        offset_s: worst_offset,
        warn_above_s: ctx.warn_s,
        fail_above_s: CLOCK_FAIL_S,
        sources,
        codes,
        next_commands: next,
    }
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
