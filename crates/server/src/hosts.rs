//! The `Host` check against DNS rebinding: a page of another site whose name was made to point at
//! this machine would send its own name in `Host`. Only the names the server listens as are
//! accepted: the listen address itself, the loopback names (`localhost`, `127.0.0.1`, `[::1]`)
//! when it listens on loopback or on every address, any IP address when it listens on every
//! address, and the names given with `volact serve --allow-host`. A request without `Host` (HTTP/1.0)
//! is served.

use std::net::{IpAddr, SocketAddr};

use axum::extract::Request;
use axum::http::{StatusCode, header};

use crate::error::ApiError;
use crate::request::short;

const LOOPBACK: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The host names accepted.
#[derive(Debug)]
pub(crate) struct Hosts {
    names: Vec<String>,
    any_ip: bool,
}

/// A host name as compared: lower case, without a final dot or IPv6 brackets.
fn canonical(name: &str) -> String {
    // One final dot is the fully qualified spelling of the same name; more is not a host name.
    let n = name.trim();
    let n = n.strip_suffix('.').unwrap_or(n).to_ascii_lowercase();
    let n = n
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .map_or(n.clone(), str::to_owned);
    // An IP address in its usual spelling.
    n.parse::<IpAddr>().map_or(n, |ip| ip.to_string())
}

/// The host part of a `Host` header value (`name`, `name:port`, `[v6]:port`).
pub(crate) fn host_part(value: &str) -> &str {
    let v = value.trim();
    if let Some(rest) = v.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("");
    }
    match v.rsplit_once(':') {
        Some((h, port)) if !h.contains(':') && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => v,
    }
}

impl Hosts {
    pub(crate) fn new(listen: Option<SocketAddr>, extra: &[String]) -> Self {
        let mut names: Vec<String> = extra
            .iter()
            .map(|n| canonical(host_part(n)))
            .filter(|n| !n.is_empty())
            .collect();
        let mut any_ip = false;
        let ip = listen.map(|a| a.ip());
        match ip {
            None => names.extend(LOOPBACK.map(str::to_owned)),
            Some(ip) if ip.is_loopback() => {
                names.extend(LOOPBACK.map(str::to_owned));
                names.push(ip.to_string());
            }
            Some(ip) if ip.is_unspecified() => {
                any_ip = true;
                names.extend(LOOPBACK.map(str::to_owned));
            }
            Some(ip) => names.push(ip.to_string()),
        }
        names.sort();
        names.dedup();
        Self { names, any_ip }
    }

    /// Whether `host` (the host part of a `Host` header) names this server.
    pub(crate) fn allows(&self, host: &str) -> bool {
        let h = canonical(host);
        if self.names.contains(&h) {
            return true;
        }
        if let Ok(ip) = h.parse::<IpAddr>() {
            // Every 127.x address is this machine's loopback.
            return self.any_ip
                || (ip.is_loopback() && self.names.iter().any(|n| n == "localhost"));
        }
        false
    }

    /// `Some(421 bad_host)` when the request names another host (in `Host`, or in an
    /// absolute-form request target).
    pub(crate) fn refuse(&self, req: &Request) -> Option<ApiError> {
        let mut given: Vec<String> = Vec::new();
        for v in req.headers().get_all(header::HOST) {
            given.push(String::from_utf8_lossy(v.as_bytes()).into_owned());
        }
        if let Some(a) = req.uri().authority() {
            given.push(a.as_str().to_owned());
        }
        let bad = given.iter().find(|v| !self.allows(host_part(v)))?;
        Some(ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            "bad_host",
            format!(
                "This server does not answer for the host {:?}: use the address it listens on, or start it with --allow-host NAME.",
                short(host_part(bad))
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(listen: &str, extra: &[&str]) -> Hosts {
        Hosts::new(
            Some(listen.parse().unwrap()),
            &extra.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
        )
    }

    #[test]
    fn loopback_listener_accepts_loopback_names_only() {
        let h = hosts("127.0.0.1:8080", &[]);
        for ok in [
            "localhost",
            "LOCALHOST.",
            "127.0.0.1",
            "::1",
            "[::1]",
            "127.0.0.2",
        ] {
            assert!(h.allows(host_part(ok)), "{ok}");
        }
        for bad in [
            "evil.example",
            "localhost.evil.example",
            "localhost..",
            "10.0.0.1",
            "",
            "0.0.0.0",
        ] {
            assert!(!h.allows(host_part(bad)), "{bad}");
        }
        assert_eq!(host_part("localhost:8080"), "localhost");
        assert_eq!(host_part("[::1]:8080"), "::1");
    }

    #[test]
    fn other_listeners_and_extra_names() {
        let h = hosts(
            "192.0.2.7:80",
            &["kms-help.corp.example", "Proxy.Example:443"],
        );
        assert!(h.allows("192.0.2.7"));
        assert!(h.allows("kms-help.corp.example"));
        assert!(h.allows("proxy.example"));
        assert!(!h.allows("localhost"));
        assert!(!h.allows("192.0.2.8"));
        let any = hosts("0.0.0.0:80", &[]);
        assert!(any.allows("192.0.2.8") && any.allows("localhost") && any.allows("::1"));
        assert!(!any.allows("rebind.evil.example"));
    }
}
