//! `HOST[:PORT]` targets and the `--hosts-file` format (one target per line, `#` comments).

use std::io::BufRead;
use std::net::{IpAddr, SocketAddr};

use crate::error::Error;
use crate::model::Origin;

/// The KMS port.
pub const KMS_PORT: u16 = volact_core::kms::PORT;
/// The NTP port.
pub const NTP_PORT: u16 = 123;
/// The most hosts one run takes from a hosts file.
pub const MAX_HOSTS: usize = 100_000;
/// Longest line of a hosts file that is read (longer lines are skipped, not stored).
pub const MAX_LINE: usize = 1024;

/// A host to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Host name or address (IPv6 without brackets).
    pub host: String,
    /// Port.
    pub port: u16,
    /// Where it came from.
    pub origin: Origin,
}

impl Target {
    /// `host:port`, with brackets around IPv6 addresses.
    pub fn display(&self) -> String {
        join(&self.host, self.port)
    }

    /// The address, when the host is an IP literal.
    pub fn ip(&self) -> Option<IpAddr> {
        self.host.parse().ok()
    }
}

/// `host:port`, with brackets around IPv6 addresses.
pub fn join(host: &str, port: u16) -> String {
    if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    }
}

/// Parses `HOST`, `HOST:PORT`, `IPv4:PORT`, `[IPv6]:PORT` or a bare IPv6 address.
pub fn parse(s: &str, default_port: u16, origin: Origin) -> Result<Target, String> {
    let s = s.trim();
    if s.is_empty() {
        return Err("empty host".into());
    }
    let redacted = volact_core::key::redact_keys_in(s);
    if redacted != s {
        return Err(format!(
            "{redacted} looks like a product key, not a host; it is not sent anywhere"
        ));
    }
    if let Ok(sa) = s.parse::<SocketAddr>() {
        return Ok(Target {
            host: sa.ip().to_string(),
            port: sa.port(),
            origin,
        });
    }
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Ok(Target {
            host: ip.to_string(),
            port: default_port,
            origin,
        });
    }
    let (host, port) = match s.rsplit_once(':') {
        Some((h, p)) => {
            let port: u16 = p
                .parse()
                .map_err(|_| format!("bad port {p:?} in {s:?} (expected 1-65535)"))?;
            if port == 0 {
                return Err(format!("port 0 in {s:?}"));
            }
            (h, port)
        }
        None => (s, default_port),
    };
    let host = host.trim_end_matches('.');
    if !valid_hostname(host) {
        return Err(format!(
            "{host:?} is not a host name (letters, digits, '-', '_' and '.', at most 253 characters)"
        ));
    }
    Ok(Target {
        host: host.to_ascii_lowercase(),
        port,
        origin,
    })
}

/// Checks a domain to search (`--domain`): trims it and one trailing dot, lower-cases it, and
/// refuses anything that is not a DNS name or that holds a product key (the error shows only
/// the redacted form; nothing is sent anywhere).
pub fn parse_domain(s: &str) -> Result<String, String> {
    let redacted = volact_core::key::redact_keys_in(s);
    if redacted != s {
        return Err(format!(
            "{:?} looks like a product key, not a domain; it is not sent anywhere",
            redacted.trim()
        ));
    }
    let d = s.trim().trim_end_matches('.');
    if !valid_hostname(d) {
        return Err(format!("{d:?} is not a DNS domain name"));
    }
    Ok(d.to_ascii_lowercase())
}

/// Whether `s` is a plausible DNS host name.
pub fn valid_hostname(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// What a hosts file gave.
#[derive(Clone, Debug, Default)]
pub struct HostsFile {
    /// The targets, in file order, without repeats.
    pub targets: Vec<Target>,
    /// Lines read.
    pub lines: usize,
    /// Lines skipped and why (`line N: reason`), at most 100 kept.
    pub skipped: Vec<String>,
    /// Lines skipped in total.
    pub skipped_count: usize,
}

/// Reads a hosts file: one `HOST[:PORT]` per line; blank lines and `#` comments (whole-line or
/// after the target) are ignored; repeated targets are kept once. Memory is bounded: lines longer
/// than [`MAX_LINE`] are skipped without being stored, and at most [`MAX_HOSTS`] targets are kept.
pub fn read_hosts(reader: impl BufRead, source: &str) -> Result<HostsFile, Error> {
    let mut out = HostsFile::default();
    let mut seen = std::collections::HashSet::new();
    // The limit counts the line break too (up to CRLF), so a line of `MAX_LINE` bytes is kept.
    volact_core::text::for_each_line(reader, MAX_LINE + 2, |line, too_long| {
        out.lines += 1;
        let line_no = out.lines;
        let skip = |why: String, out: &mut HostsFile| {
            out.skipped_count += 1;
            if out.skipped.len() < 100 {
                // A pasted product key must never be echoed.
                let why = volact_core::key::redact_keys_in(&why).into_owned();
                out.skipped.push(format!("{source}:{line_no}: {why}"));
            }
        };
        if too_long {
            skip(format!("line longer than {MAX_LINE} bytes"), &mut out);
            return;
        }
        let text = String::from_utf8_lossy(line);
        let text = text.trim_start_matches('\u{feff}');
        let text = text.split('#').next().unwrap_or("").trim();
        if text.is_empty() {
            return;
        }
        if out.targets.len() >= MAX_HOSTS {
            skip(format!("more than {MAX_HOSTS} hosts"), &mut out);
            return;
        }
        match parse(text, KMS_PORT, Origin::HostsFile { line: line_no }) {
            Ok(t) => {
                if seen.insert((t.host.clone(), t.port)) {
                    out.targets.push(t);
                } else {
                    skip(format!("{} repeats an earlier line", t.display()), &mut out);
                }
            }
            Err(e) => skip(e, &mut out),
        }
    })
    .map_err(|e| Error::Read {
        what: source.to_owned(),
        source: e,
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests;
