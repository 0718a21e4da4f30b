//! What to check and how: [`Options`], and the checks a code names.

use std::net::SocketAddr;
use std::time::Duration;

use volact_core::kb::Check;
use volact_core::{ErrorCode, Lang};

use crate::dns::SystemDns;
use crate::error::Error;
use crate::target::{self, Target};

/// Default per-stage timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);
/// Default number of hosts probed at once: a fleet of 1,000 unreachable hosts ends in about one
/// timeout.
pub const DEFAULT_CONCURRENCY: usize = 1024;
/// Default clock warning level: 5 minutes (Kerberos' default tolerance). KMS itself fails above
/// 4 hours ([`crate::CLOCK_FAIL_S`]).
pub const DEFAULT_CLOCK_WARN_S: f64 = 300.0;

/// What to check and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// Language of the report's texts.
    pub lang: Lang,
    /// `--domain`: domains whose `_vlmcs._tcp` SRV records to look up. Empty: the system's search
    /// list (when no host is given either).
    pub domains: Vec<String>,
    /// `--kms` and `--hosts-file` hosts.
    pub hosts: Vec<Target>,
    /// Lines of the hosts file read (for the summary).
    pub hosts_file_lines: usize,
    /// Lines of the hosts file skipped: the count, and up to 100 reasons.
    pub hosts_file_skipped: (usize, Vec<String>),
    /// `--dns-server`: ask this server instead of the system's.
    pub dns_server: Option<SocketAddr>,
    /// Where the system's DNS configuration comes from.
    pub system_dns: SystemDns,
    /// `--time-server`: SNTP sources (default port 123).
    pub time_servers: Vec<Target>,
    /// The SNTP port used when asking KMS hosts or the domain (123).
    pub ntp_port: u16,
    /// Per-stage timeout.
    pub timeout: Duration,
    /// The checks to run, in walk order.
    pub checks: Vec<Check>,
    /// The code that chose the checks (`--explain`).
    pub explain: Option<ErrorCode>,
    /// Hosts probed at once.
    pub concurrency: usize,
    /// Clock offset above which a warning is given, in seconds.
    pub clock_warn_s: f64,
    /// The most hosts one run probes, given and SRV-discovered together (`None`: no limit). The
    /// rest are not probed (their names are not even resolved) and are counted in
    /// [`crate::model::Summary::not_probed`] with the reason.
    pub max_hosts: Option<usize>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            lang: Lang::En,
            domains: vec![],
            hosts: vec![],
            hosts_file_lines: 0,
            hosts_file_skipped: (0, vec![]),
            dns_server: None,
            system_dns: SystemDns::Auto,
            time_servers: vec![],
            ntp_port: target::NTP_PORT,
            timeout: DEFAULT_TIMEOUT,
            checks: all_checks(),
            explain: None,
            concurrency: DEFAULT_CONCURRENCY,
            clock_warn_s: DEFAULT_CLOCK_WARN_S,
            max_hosts: None,
        }
    }
}

/// Every check, in walk order.
pub fn all_checks() -> Vec<Check> {
    vec![Check::Dns, Check::Tcp, Check::Rpc, Check::Clock]
}

/// The checks the knowledge-base entry of `code` names (`--explain`), in walk order.
pub fn checks_for(code: ErrorCode) -> Result<Vec<Check>, Error> {
    let Some(entry) = volact_core::kb::lookup(code) else {
        return Err(Error::NoChecks(format!(
            "{code} is not in the knowledge base, so no checks are known for it (try `volact explain {code}`)"
        )));
    };
    let checks: Vec<Check> = all_checks()
        .into_iter()
        .filter(|c| entry.checks.contains(c))
        .collect();
    if checks.is_empty() {
        return Err(Error::NoChecks(format!(
            "{code} ({}) is not a network or clock problem: its entry names no doctor checks (see `volact explain {code}`)",
            entry.name.unwrap_or("no name")
        )));
    }
    Ok(checks)
}
