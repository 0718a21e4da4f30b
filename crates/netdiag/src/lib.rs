//! # volact-netdiag
//!
//! Staged live checks the way a KMS client walks them: DNS SRV discovery, TCP 1688, a DCE/RPC bind
//! to the KMS interface (and nothing more), and the clock.
//!
//! The probe never activates anything: on the RPC stage it sends exactly one PDU, the `bind` for
//! the KMS interface, reads the reply in bounded memory and closes the connection. It never sends
//! an RPC `request`, so a KMS host never counts, charges or activates anything because of it.
//!
//! [`run`] is the synchronous entry point (it starts its own Tokio runtime); [`run_async`] runs
//! inside an existing runtime. Both return a [`Report`], whose serde form is the JSON wire format;
//! [`render`] turns it into text or NDJSON in English or Traditional Chinese.
//!
//! ```no_run
//! use volact_netdiag::{Options, Progress, target};
//! let mut opts = Options::default();
//! opts.hosts.push(target::parse("kms.contoso.com", 1688, volact_netdiag::model::Origin::Argument).unwrap());
//! let report = volact_netdiag::run(&opts, &Progress::Hidden).unwrap();
//! println!("{}", volact_netdiag::render::text(&report, false));
//! ```

mod advice;
mod check;
pub mod dns;
pub mod model;
pub mod render;
pub mod rpc;
pub mod sntp;
pub mod target;

use std::net::SocketAddr;
use std::time::Duration;

use volact_core::kb::Check;
use volact_core::{ErrorCode, Lang};

pub use check::{CLOCK_FAIL_S, LOOKUP_CONCURRENCY};
pub use dns::SystemDns;
pub use model::{Report, SCHEMA_VERSION, Stage, Status};
pub use target::Target;

/// Default per-stage timeout.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(3);
/// Default number of hosts probed at once: a fleet of 1,000 unreachable hosts ends in about one
/// timeout.
pub const DEFAULT_CONCURRENCY: usize = 1024;
/// Default clock warning level: 5 minutes (Kerberos' default tolerance). KMS itself fails above
/// 4 hours ([`CLOCK_FAIL_S`]).
pub const DEFAULT_CLOCK_WARN_S: f64 = 300.0;

/// Errors of the library. Findings about the network are not errors: they are in the report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The async runtime could not start.
    #[error("cannot start the network runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// A file could not be read.
    #[error("cannot read {what}")]
    Read {
        /// What was being read.
        what: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// A code named by `--explain` has no checks, or is unknown.
    #[error("{0}")]
    NoChecks(String),
}

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
    /// [`model::Summary::not_probed`] with the reason.
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

/// Whether and how to show progress.
#[derive(Debug)]
pub enum Progress {
    /// No progress output.
    Hidden,
    /// A progress bar on standard error (the caller decides it is a terminal).
    Bar,
}

impl Progress {
    fn bar(&self, total: usize) -> Option<indicatif::ProgressBar> {
        match self {
            Progress::Hidden => None,
            Progress::Bar if total > 1 => {
                let b = indicatif::ProgressBar::with_draw_target(
                    Some(total as u64),
                    indicatif::ProgressDrawTarget::stderr(),
                );
                if let Ok(style) = indicatif::ProgressStyle::with_template(
                    "{spinner} {pos}/{len} hosts [{bar:30}] {elapsed}",
                ) {
                    b.set_style(style.progress_chars("=> "));
                }
                Some(b)
            }
            Progress::Bar => None,
        }
    }
}

/// Runs the checks inside the current Tokio runtime.
pub async fn run_async(opts: &Options, progress: &Progress) -> Report {
    check::run(opts, progress).await
}

/// Runs the checks on a runtime of its own (for the CLI and other synchronous callers).
pub fn run(opts: &Options, progress: &Progress) -> Result<Report, Error> {
    let mut opts = opts.clone();
    opts.concurrency = fit_concurrency(opts.concurrency);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    let report = rt.block_on(check::run(&opts, progress));
    // Do not wait for stray resolver tasks.
    rt.shutdown_background();
    Ok(report)
}

/// Keeps the number of sockets in flight within the process's file limit (raising the soft limit
/// when allowed).
#[cfg(unix)]
fn fit_concurrency(want: usize) -> usize {
    let want = want.max(1);
    let need = want as u64 + 128;
    match rlimit::increase_nofile_limit(need) {
        Ok(got) if got >= need => want,
        Ok(got) => (got.saturating_sub(128).max(16) as usize).min(want),
        Err(_) => want.min(256),
    }
}

#[cfg(not(unix))]
fn fit_concurrency(want: usize) -> usize {
    want.max(1)
}
