//! DNS: the system's resolver configuration, SRV discovery of `_vlmcs._tcp.<domain>`, and the
//! addresses of host names, through `hickory-resolver`.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{
    LookupIpStrategy, NameServerConfig, ResolveHosts, ResolverConfig, ResolverOpts,
};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::net::{DnsError, NetError};
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::proto::rr::{Name, RData};

use crate::model::LookupOutcome;

/// The DNS configuration a run uses.
#[derive(Clone, Debug, Default)]
pub struct DnsConfig {
    /// Name servers (address and port).
    pub servers: Vec<SocketAddr>,
    /// `argument`, `system` or `none`.
    pub from: &'static str,
    /// The suffix search list (the primary domain first when the system names one).
    pub search: Vec<String>,
    /// Why the system configuration could not be read, when it could not.
    pub problem: Option<String>,
}

/// Where to read the system configuration from.
#[derive(Clone, Debug, Default)]
pub enum SystemDns {
    /// The operating system's own: `/etc/resolv.conf` on Unix, the adapters on Windows.
    #[default]
    Auto,
    /// A resolv.conf-format file (tests, and unusual Unix setups).
    ResolvConf(std::path::PathBuf),
}

/// Reads a resolv.conf: `nameserver`, `search` and `domain` lines (the last of `search` or
/// `domain` wins, as in glibc).
pub fn parse_resolv_conf(text: &str) -> (Vec<SocketAddr>, Vec<String>) {
    let mut servers = Vec::new();
    let mut search = Vec::new();
    for line in text.lines() {
        let line = line.split(['#', ';']).next().unwrap_or("");
        let mut words = line.split_whitespace();
        match words.next() {
            Some("nameserver") => {
                if let Some(ip) = words.next().and_then(|w| {
                    // Strip an IPv6 zone (fe80::1%eth0).
                    w.split('%').next().and_then(|a| a.parse::<IpAddr>().ok())
                }) {
                    servers.push(SocketAddr::new(ip, 53));
                }
            }
            Some("search") => {
                search = words
                    .filter(|w| *w != ".")
                    .map(|w| w.trim_end_matches('.').to_ascii_lowercase())
                    .collect();
            }
            Some("domain") => {
                search = words
                    .next()
                    .map(|w| vec![w.trim_end_matches('.').to_ascii_lowercase()])
                    .unwrap_or_default();
            }
            _ => {}
        }
    }
    (servers, search)
}

/// The configuration: `--dns-server` when given (the search list still comes from the system),
/// else the system's.
pub fn config(server: Option<SocketAddr>, system: &SystemDns) -> DnsConfig {
    let (sys_servers, search, problem) = read_system(system);
    match server {
        Some(s) => DnsConfig {
            servers: vec![s],
            from: "argument",
            search,
            problem,
        },
        None => DnsConfig {
            from: if sys_servers.is_empty() {
                "none"
            } else {
                "system"
            },
            servers: sys_servers,
            search,
            problem,
        },
    }
}

fn read_system(system: &SystemDns) -> (Vec<SocketAddr>, Vec<String>, Option<String>) {
    match system {
        SystemDns::ResolvConf(path) => match std::fs::read(path) {
            Ok(b) => {
                let (s, l) = parse_resolv_conf(&String::from_utf8_lossy(&b));
                (s, l, None)
            }
            Err(e) => (
                vec![],
                vec![],
                Some(format!("cannot read {}: {e}", path.display())),
            ),
        },
        SystemDns::Auto => read_os(),
    }
}

#[cfg(unix)]
fn read_os() -> (Vec<SocketAddr>, Vec<String>, Option<String>) {
    read_system(&SystemDns::ResolvConf("/etc/resolv.conf".into()))
}

#[cfg(windows)]
fn read_os() -> (Vec<SocketAddr>, Vec<String>, Option<String>) {
    match hickory_resolver::system_conf::read_system_conf() {
        Ok((cfg, _)) => {
            let servers = cfg
                .name_servers()
                .iter()
                .map(|ns| SocketAddr::new(ns.ip, 53))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            let mut search: Vec<String> = cfg
                .domain()
                .into_iter()
                .chain(cfg.search())
                .map(|n| n.to_ascii().trim_end_matches('.').to_ascii_lowercase())
                .collect();
            search.dedup();
            (servers, search, None)
        }
        Err(e) => (vec![], vec![], Some(e.to_string())),
    }
}

#[cfg(not(any(unix, windows)))]
fn read_os() -> (Vec<SocketAddr>, Vec<String>, Option<String>) {
    (
        vec![],
        vec![],
        Some("no system DNS configuration on this platform".into()),
    )
}

/// Builds a resolver for the configuration, or `None` when no server is configured.
pub fn resolver(cfg: &DnsConfig, timeout: Duration) -> Option<TokioResolver> {
    if cfg.servers.is_empty() {
        return None;
    }
    let servers = cfg
        .servers
        .iter()
        .map(|sa| {
            let mut ns = NameServerConfig::udp_and_tcp(sa.ip());
            for c in &mut ns.connections {
                c.port = sa.port();
            }
            ns
        })
        .collect();
    let search = cfg
        .search
        .iter()
        .filter_map(|s| Name::from_ascii(format!("{s}.")).ok())
        .collect();
    let rc = ResolverConfig::from_parts(None, search, servers);
    let mut opts = ResolverOpts::default();
    opts.timeout = timeout;
    opts.attempts = 1;
    opts.ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
    opts.cache_size = 256;
    if cfg.from == "argument" {
        // With a chosen server, ask it and nothing else.
        opts.use_hosts_file = ResolveHosts::Never;
    }
    let mut b = TokioResolver::builder_with_config(rc, TokioRuntimeProvider::default());
    *b.options_mut() = opts;
    b.build().ok()
}

/// One SRV answer.
#[derive(Clone, Debug)]
pub struct Srv {
    /// Priority.
    pub priority: u16,
    /// Weight.
    pub weight: u16,
    /// Port.
    pub port: u16,
    /// Target without the trailing dot; `.` when the target is the root (no service).
    pub target: String,
    /// Whether the target is a host name (every label letters, digits, `-` or `_`); only those
    /// are probed.
    pub host_name: bool,
}

/// Whether every label of `n` is made of letters, digits, `-` and `_` (and there is one).
fn host_labels(n: &Name) -> bool {
    !n.is_root()
        && n.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Classifies a resolver error the way Windows' DNS client reports it.
pub fn classify(e: &NetError) -> LookupOutcome {
    match e {
        NetError::Dns(DnsError::NoRecordsFound(nr)) => {
            if nr.response_code == ResponseCode::NXDomain {
                LookupOutcome::NameNotFound
            } else {
                LookupOutcome::NoRecords
            }
        }
        NetError::Dns(DnsError::ResponseCode(ResponseCode::Refused)) => LookupOutcome::Refused,
        NetError::Dns(DnsError::ResponseCode(ResponseCode::NXDomain)) => {
            LookupOutcome::NameNotFound
        }
        NetError::Dns(DnsError::ResponseCode(_))
        | NetError::Timeout
        | NetError::NoConnections
        | NetError::Io(_)
        | NetError::Busy => LookupOutcome::ServerFailure,
        _ => LookupOutcome::Error,
    }
}

/// Looks up `_vlmcs._tcp.<domain>.`.
pub async fn srv(r: &TokioResolver, domain: &str) -> Result<Vec<Srv>, (LookupOutcome, String)> {
    let name = Name::from_ascii(format!("{}.{domain}.", volact_core::kms::SRV_PREFIX))
        .map_err(|e| (LookupOutcome::BadName, e.to_string()))?;
    let lookup = r
        .srv_lookup(name)
        .await
        .map_err(|e| (classify(&e), e.to_string()))?;
    let mut out: Vec<Srv> = lookup
        .answers()
        .iter()
        .filter_map(|rec| match &rec.data {
            RData::SRV(s) => Some(Srv {
                priority: s.priority,
                weight: s.weight,
                port: s.port,
                // The root name (RFC 2782's "." for "no service") stays ".". A name with bytes a
                // host name cannot hold is kept as its bytes (lossy UTF-8, not `\DDD` escapes),
                // so redaction sees what a reader would, and it is never probed.
                target: if s.target.is_root() {
                    ".".to_owned()
                } else if host_labels(&s.target) {
                    s.target
                        .to_ascii()
                        .trim_end_matches('.')
                        .to_ascii_lowercase()
                } else {
                    s.target
                        .iter()
                        .map(String::from_utf8_lossy)
                        .collect::<Vec<_>>()
                        .join(".")
                },
                host_name: host_labels(&s.target),
            }),
            _ => None,
        })
        .collect();
    if out.is_empty() {
        return Err((LookupOutcome::NoRecords, "no SRV data in the answer".into()));
    }
    out.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then(b.weight.cmp(&a.weight))
            .then(a.target.cmp(&b.target))
    });
    Ok(out)
}

/// The A and AAAA addresses of a host name (A first).
pub async fn addresses(
    r: &TokioResolver,
    host: &str,
) -> Result<Vec<IpAddr>, (LookupOutcome, String)> {
    let fq = if host.contains('.') {
        format!("{host}.")
    } else {
        host.to_owned()
    };
    match r.lookup_ip(fq.as_str()).await {
        Ok(l) => {
            let v: Vec<IpAddr> = l.iter().collect();
            if v.is_empty() {
                Err((LookupOutcome::NoRecords, "no address".into()))
            } else {
                Ok(v)
            }
        }
        Err(e) => Err((classify(&e), e.to_string())),
    }
}

/// The Windows code for an outcome, as the KMS client reports it.
pub fn code_for(o: LookupOutcome) -> Option<u32> {
    match o {
        LookupOutcome::Found => None,
        LookupOutcome::NameNotFound => Some(0x8007_232B), // DNS_ERROR_RCODE_NAME_ERROR
        LookupOutcome::NoRecords => Some(0x8007_251D),    // DNS_INFO_NO_RECORDS
        LookupOutcome::ServerFailure | LookupOutcome::Error => Some(0x8007_232A), // DNS_ERROR_RCODE_SERVER_FAILURE
        LookupOutcome::Refused => Some(0x8007_232D), // DNS_ERROR_RCODE_REFUSED
        LookupOutcome::NoDnsServer => Some(0x8007_267C), // DNS_ERROR_NO_DNS_SERVERS
        LookupOutcome::BadName => Some(0x8007_007B), // ERROR_INVALID_NAME
        // Windows ignores a "." target as it ignores a missing record: no KMS host is found.
        LookupOutcome::NoService => Some(0x8007_251D),
    }
}

#[cfg(test)]
mod tests;
