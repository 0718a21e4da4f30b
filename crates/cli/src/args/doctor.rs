//! `volact doctor`.

use std::path::PathBuf;
use std::time::Duration;

use super::{Format, choice};

#[derive(Debug, clap::Args)]
pub(crate) struct DoctorArgs {
    #[arg(long = "domain", short = 'd', value_name = "DOMAIN")]
    pub(crate) domains: Vec<String>,

    #[arg(long = "kms", short = 'k', value_name = "HOST[:PORT]")]
    pub(crate) kms: Vec<String>,

    // Checked in `cmd::doctor::run`, so a mistyped value (even a pasted product key) is only
    // ever shown redacted.
    #[arg(long, value_name = "IP[:PORT]")]
    pub(crate) dns_server: Option<String>,

    #[arg(long = "time-server", short = 't', value_name = "HOST[:PORT]")]
    pub(crate) time_servers: Vec<String>,

    #[arg(long, value_name = "FILE")]
    pub(crate) hosts_file: Option<PathBuf>,

    #[arg(long, value_name = "DURATION", default_value = "3s", value_parser = parse_duration)]
    pub(crate) timeout: Duration,

    #[arg(long, value_name = "N", default_value_t = volact_netdiag::DEFAULT_CONCURRENCY,
          value_parser = parse_concurrency)]
    pub(crate) concurrency: usize,

    #[arg(long, value_name = "N", value_parser = parse_max_hosts)]
    pub(crate) max_hosts: Option<usize>,

    #[arg(long, value_name = "CODE", allow_hyphen_values = true)]
    pub(crate) explain: Option<String>,

    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    pub(crate) clock_warn: Duration,

    #[arg(long, short, value_parser = choice("doctor/format", Format::PROBE),
          default_value = "text")]
    pub(crate) format: Format,

    #[arg(long, value_name = "FILE", hide = true)]
    pub(crate) resolv_conf: Option<PathBuf>,

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
