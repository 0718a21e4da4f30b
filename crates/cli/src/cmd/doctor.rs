//! `volact doctor`: staged live checks of KMS discovery, TCP, the KMS RPC interface and the clock.
//! Everything but argument handling and the exit code lives in `volact-netdiag`.

use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr};

use anyhow::Context;
use volact_core::ErrorCode;
use volact_netdiag::model::Origin;
use volact_netdiag::{Observer, Options, Progress, SystemDns, render, target};

use crate::Ctx;
use crate::args::{DoctorArgs, Format};
use crate::exit::{Exit, Failure};

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
        Format::Json => super::print_json(&report)?,
        Format::Ndjson => super::print(ctx, &render::ndjson(&report))?,
        // clap accepts text, json and ndjson only here.
        Format::Text | Format::Csv | Format::Markdown => {
            super::print(ctx, &render::text(&report, ctx.color))?
        }
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
        let b = crate::output::progress_bar(hosts as u64, crate::output::Unit::Items);
        b.set_message("hosts");
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
