//! `volact doctor`: staged live checks of KMS discovery, TCP, the KMS RPC interface and the clock.
//! Everything but argument handling and the exit code lives in `volact-netdiag`.

use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use volact_core::ErrorCode;
use volact_netdiag::model::Origin;
use volact_netdiag::{Observer, Options, Progress, SystemDns, render, target};

use crate::Ctx;
use crate::exit::{Exit, Failure};

const AFTER_HELP: &str = "\
Stages, in the order a KMS client walks them:
  dns    SRV _vlmcs._tcp.<domain> for each --domain, else each suffix of the system's search list;
         then the A/AAAA addresses of every host
  tcp    a TCP connection to HOST:PORT (1688 unless given)
  rpc    one DCE/RPC bind to the KMS interface, then the connection is closed: volact never sends
         an activation request, so no KMS host counts or activates anything because of it
  clock  SNTP to --time-server, else to each KMS host, else to the domain; more than 4 hours
         apart fails KMS (0xC004F06C), more than --clock-warn (5 minutes) warns

Exit codes:
  0  every check passed (warnings may be printed)
  1  attention: a blocking stage failed, or a check could not be decided (no time source answered,
     no domain to search)
  2  usage error (bad arguments; --explain with a code that names no doctor checks)
  3  the hosts file holds no host
  4  the hosts file could not be read

Examples:
  volact doctor --domain contoso.com
  volact doctor --kms kms1.contoso.com --time-server dc1.contoso.com
  volact doctor --explain 0xC004F074 --domain contoso.com
  volact doctor --hosts-file fleet.txt --timeout 2s --format ndjson > fleet.ndjson";

/// Output formats of `volact doctor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum DoctorFormat {
    /// Readable text.
    Text,
    /// One JSON document.
    Json,
    /// One JSON object per line: discovery, each host, clock, summary.
    Ndjson,
}

/// Arguments of `volact doctor`.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub(crate) struct DoctorArgs {
    /// Domain whose _vlmcs._tcp SRV records to look up (repeatable). Default: the system's DNS
    /// suffix search list, when no host is given.
    #[arg(long = "domain", short = 'd', value_name = "DOMAIN")]
    pub(crate) domains: Vec<String>,

    /// KMS host to check directly: HOST or HOST:PORT (port 1688 unless given; repeatable).
    #[arg(long = "kms", short = 'k', value_name = "HOST[:PORT]")]
    pub(crate) kms: Vec<String>,

    /// Ask this DNS server instead of the system's: IP or IP:PORT (an IPv6 address in brackets before :PORT).
    // Checked in `run`, so a mistyped value (even a pasted product key) is only ever shown
    // redacted.
    #[arg(long, value_name = "IP[:PORT]")]
    pub(crate) dns_server: Option<String>,

    /// SNTP time source: HOST or HOST:PORT (port 123 unless given; repeatable). Default: each KMS host,
    /// else the domain.
    #[arg(long = "time-server", short = 't', value_name = "HOST[:PORT]")]
    pub(crate) time_servers: Vec<String>,

    /// File with one HOST or HOST:PORT per line (blank lines and # comments ignored); "-" reads
    /// standard input.
    #[arg(long, value_name = "FILE")]
    pub(crate) hosts_file: Option<PathBuf>,

    /// Timeout of each stage: 500ms, 3s, 1m, or plain seconds.
    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = parse_duration)]
    pub(crate) timeout: Duration,

    /// Hosts probed at once.
    #[arg(long, value_name = "N", default_value_t = volact_netdiag::DEFAULT_CONCURRENCY,
          value_parser = parse_concurrency)]
    pub(crate) concurrency: usize,

    /// Probe at most N hosts in all (given and discovered by SRV together); the rest are listed as
    /// not probed. Default: no limit.
    #[arg(long, value_name = "N", value_parser = parse_max_hosts)]
    pub(crate) max_hosts: Option<usize>,

    /// Run only the checks that this code's knowledge-base entry names (e.g. 0xC004F074).
    #[arg(long, value_name = "CODE", allow_hyphen_values = true)]
    pub(crate) explain: Option<String>,

    /// Clock offset above which a warning is given (KMS itself fails above 4 hours).
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub(crate) clock_warn: Duration,

    /// Output format.
    #[arg(long, short, value_enum, default_value_t = DoctorFormat::Text)]
    pub(crate) format: DoctorFormat,

    /// Read the DNS servers and search list from this resolv.conf-format file instead of the
    /// system's (for tests and unusual setups).
    #[arg(long, value_name = "FILE", hide = true)]
    pub(crate) resolv_conf: Option<PathBuf>,

    /// The SNTP port used when asking KMS hosts or the domain (for tests).
    #[arg(long, value_name = "PORT", default_value_t = 123, hide = true)]
    pub(crate) ntp_port: u16,
}

fn parse_concurrency(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=65_536).contains(&n) => Ok(n),
        _ => Err(format!("{s:?} is not a number from 1 to 65536")),
    }
}

fn parse_max_hosts(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{s:?} is not a number of hosts (1 or more)")),
    }
}

/// `s` with every product key masked, for error messages.
fn shown(s: &str) -> String {
    volact_core::key::redact_keys_in(s).into_owned()
}

fn parse_dns_server(s: &str) -> Result<SocketAddr, String> {
    let t = s.trim();
    if let Ok(sa) = t.parse::<SocketAddr>() {
        return Ok(sa);
    }
    t.parse::<IpAddr>()
        .map(|ip| SocketAddr::new(ip, 53))
        .map_err(|_| {
            format!(
                "--dns-server {:?} is not IP or IP:PORT (IPv6 with a port: [::1]:53)",
                shown(s)
            )
        })
}

/// `500ms`, `3s`, `2m`, `1h`, or plain seconds (`1.5`).
fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let (num, unit) = match t.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&t[..i], &t[i..]),
        None => (t, "s"),
    };
    let n: f64 = num
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a duration (examples: 500ms, 3s, 1m)"))?;
    let secs = match unit {
        "ms" => n / 1000.0,
        "s" => n,
        "m" | "min" => n * 60.0,
        "h" => n * 3600.0,
        _ => {
            return Err(format!(
                "unknown unit {unit:?} in {s:?} (use ms, s, m or h)"
            ));
        }
    };
    if !secs.is_finite() || secs <= 0.0 || secs > 86_400.0 {
        return Err(format!("{s:?} must be above zero and at most a day"));
    }
    Ok(Duration::from_secs_f64(secs))
}

fn usage(msg: String) -> anyhow::Error {
    Failure(Exit::Usage, msg).into()
}

/// Runs `volact doctor`.
pub(crate) fn run(ctx: &Ctx, args: DoctorArgs) -> anyhow::Result<Exit> {
    // Every name and address is checked before anything is sent: a product key pasted into one
    // of them is refused here, and shown only redacted.
    let dns_server = args
        .dns_server
        .as_deref()
        .map(parse_dns_server)
        .transpose()
        .map_err(usage)?;
    let mut opts = Options {
        lang: ctx.lang,
        timeout: args.timeout,
        concurrency: args.concurrency,
        max_hosts: args.max_hosts,
        clock_warn_s: args.clock_warn.as_secs_f64(),
        dns_server,
        ntp_port: args.ntp_port,
        system_dns: args
            .resolv_conf
            .clone()
            .map_or(SystemDns::Auto, SystemDns::ResolvConf),
        ..Options::default()
    };
    for d in &args.domains {
        let d = target::parse_domain(d).map_err(|e| usage(format!("--domain: {e}")))?;
        opts.domains.push(d);
    }
    for k in &args.kms {
        let t = target::parse(k, target::KMS_PORT, Origin::Argument)
            .map_err(|e| usage(format!("--kms: {e}")))?;
        opts.hosts.push(t);
    }
    for s in &args.time_servers {
        let t = target::parse(s, target::NTP_PORT, Origin::Argument)
            .map_err(|e| usage(format!("--time-server: {e}")))?;
        opts.time_servers.push(t);
    }
    if let Some(code) = &args.explain {
        let code = ErrorCode::parse(code)
            .map_err(|e| usage(shown(&format!("--explain {:?}: {e}", shown(code)))))?;
        opts.checks = volact_netdiag::checks_for(code).map_err(|e| usage(e.to_string()))?;
        opts.explain = Some(code);
    }
    if let Some(path) = &args.hosts_file {
        let hf = if path.as_os_str() == "-" {
            if std::io::stdin().is_terminal() {
                eprintln!(
                    "volact: reading hosts from standard input; end with Ctrl-D (Ctrl-Z then Enter on Windows)"
                );
            }
            target::read_hosts(std::io::stdin().lock(), "<stdin>")
        } else {
            let f = std::fs::File::open(path).map_err(|e| {
                Failure(
                    Exit::Io,
                    shown(&format!("cannot read hosts file {}: {e}", path.display())),
                )
            })?;
            target::read_hosts(
                std::io::BufReader::new(f),
                &shown(&path.display().to_string()),
            )
        }
        .map_err(|e| Failure(Exit::Io, shown(&format!("{e}: {}", error_source(&e)))))?;
        if hf.targets.is_empty() {
            for s in &hf.skipped {
                eprintln!("volact: skipped {s}");
            }
            return Err(Failure(
                Exit::NothingFound,
                shown(&format!(
                    "no host in {} ({} lines read, {} skipped)",
                    path.display(),
                    hf.lines,
                    hf.skipped_count
                )),
            )
            .into());
        }
        opts.hosts_file_lines = hf.lines;
        opts.hosts_file_skipped = (hf.skipped_count, hf.skipped);
        let mut seen: std::collections::HashSet<(String, u16)> = opts
            .hosts
            .iter()
            .map(|t| (t.host.clone(), t.port))
            .collect();
        for t in hf.targets {
            if seen.insert((t.host.clone(), t.port)) {
                opts.hosts.push(t);
            }
        }
    }
    let bar = HostsBar::default();
    let progress = if std::io::stderr().is_terminal() && opts.hosts.len() > 1 {
        Progress::To(&bar)
    } else {
        Progress::Hidden
    };
    let report = volact_netdiag::run(&opts, &progress).context("volact doctor")?;
    match args.format {
        DoctorFormat::Text => super::print(ctx, &render::text(&report, ctx.color))?,
        DoctorFormat::Json => super::print_json(&report)?,
        DoctorFormat::Ndjson => super::print(ctx, &render::ndjson(&report))?,
    }
    Ok(if report.needs_attention() {
        Exit::Attention
    } else {
        Exit::Ok
    })
}

/// The progress bar of the host stage, on standard error (drawn only for more than one host).
#[derive(Default)]
struct HostsBar(std::sync::OnceLock<indicatif::ProgressBar>);

impl Observer for HostsBar {
    fn start(&self, hosts: usize) {
        if hosts <= 1 {
            return;
        }
        let b = indicatif::ProgressBar::with_draw_target(
            Some(hosts as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {pos}/{len} hosts [{bar:30}] {elapsed}",
        ) {
            b.set_style(style.progress_chars("=> "));
        }
        let _ = self.0.set(b);
    }

    fn host_done(&self) {
        if let Some(b) = self.0.get() {
            b.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(b) = self.0.get() {
            b.finish_and_clear();
        }
    }
}

fn error_source(e: &volact_netdiag::Error) -> String {
    std::error::Error::source(e)
        .map(ToString::to_string)
        .unwrap_or_default()
}
