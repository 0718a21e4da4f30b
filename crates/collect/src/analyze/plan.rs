//! The plan of `volact doctor` checks that would confirm the findings from that machine, and the
//! command line that runs them. Language-free: the words are in `phrases.rs`.

use volact_core::kms::{PORT, SRV_PREFIX, Stage};

use super::facts::{forced_host, lookup_domains};
use crate::analysis::Analysis;
use crate::check::{CheckReason, CheckTarget, PlannedCheck};

/// The checks `volact doctor` would run from that machine: discovery (the forced host, or the SRV
/// lookups and the hosts they name), the host's own port, and the clock.
pub(super) fn plan_checks(a: &Analysis) -> Vec<PlannedCheck> {
    let mut c = Vec::new();
    let forced = forced_host(a);
    let is_client = a.machine.roles.contains(&"kms-client");
    let is_host = a.machine.roles.contains(&"kms-host");
    if let Some(host) = &forced {
        let target = CheckTarget::Name(host.clone());
        c.push(check(
            Stage::Tcp,
            target.clone(),
            CheckReason::ForcedHostTcp,
        ));
        c.push(check(Stage::Rpc, target, CheckReason::KmsRpc));
    } else if is_client || is_host {
        let dns_servers = dns_servers(a);
        for d in lookup_domains(a) {
            let target = CheckTarget::Name(format!("{SRV_PREFIX}.{d}"));
            let reason = CheckReason::SrvLookup {
                dns_servers: dns_servers.clone(),
            };
            c.push(check(Stage::Dns, target, reason));
        }
        if is_client {
            c.push(check(
                Stage::Tcp,
                CheckTarget::SrvHosts,
                CheckReason::SrvHostTcp,
            ));
            c.push(check(
                Stage::Rpc,
                CheckTarget::SrvHosts,
                CheckReason::KmsRpc,
            ));
        }
    }
    if is_host {
        c.push(host_port_check(a));
    }
    c.push(clock_check(a, forced));
    c
}

fn check(check: Stage, target: CheckTarget, reason: CheckReason) -> PlannedCheck {
    PlannedCheck {
        check,
        target,
        reason,
    }
}

/// The DNS servers of the machine's adapters, each once.
fn dns_servers(a: &Analysis) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in a
        .dns
        .iter()
        .flat_map(|d| d.adapters.iter().flat_map(|x| &x.dns_servers))
    {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}

/// The host's KMS port, to be tried from a client (the firewall rule is off by default).
fn host_port_check(a: &Analysis) -> PlannedCheck {
    let port = a
        .products
        .iter()
        .find_map(|p| p.kms_host.as_ref()?.listening_port)
        .or(a.settings.listening_port)
        .unwrap_or(PORT);
    let target = match a
        .machine
        .system
        .as_ref()
        .and_then(|s| s.computer_name.clone())
    {
        Some(name) => CheckTarget::Name(format!("{name}:{port}")),
        None => CheckTarget::ThisHost { port },
    };
    check(Stage::Tcp, target, CheckReason::HostFirewall)
}

/// The clock against the machine's time source (or the forced host), within the clock limit.
fn clock_check(a: &Analysis, forced: Option<String>) -> PlannedCheck {
    let target = a
        .time
        .as_ref()
        .filter(|t| !t.unsynchronised)
        .and_then(|t| t.source.clone())
        .or_else(|| a.ntp_server.clone())
        .or(forced)
        .map_or(CheckTarget::AnyTimeServer, CheckTarget::Name);
    let reason = if a.machine.roles == ["kms-host"] {
        CheckReason::HostClock
    } else {
        CheckReason::ClientClock
    };
    check(Stage::Clock, target, reason)
}

/// `volact doctor` with the hosts, domains, DNS server and time source of that machine.
pub(super) fn doctor_command(a: &Analysis) -> String {
    let mut cmd = String::from("volact doctor");
    let quote = |s: &str| {
        if s.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:_[]".contains(c))
        {
            s.to_owned()
        } else {
            format!("\"{}\"", s.replace('"', ""))
        }
    };
    if let Some(h) = forced_host(a) {
        cmd.push_str(&format!(" --kms {}", quote(&h)));
    } else {
        for d in lookup_domains(a) {
            cmd.push_str(&format!(" --domain {}", quote(&d)));
        }
        if let Some(server) = a
            .dns
            .iter()
            .flat_map(|d| d.adapters.iter().flat_map(|x| x.dns_servers.first()))
            .next()
        {
            cmd.push_str(&format!(" --dns-server {}", quote(server)));
        }
    }
    if a.machine.roles.contains(&"kms-host")
        && let Some(host) = a
            .checks
            .iter()
            .filter(|c| c.check == Stage::Tcp)
            .find_map(|c| c.target.name().filter(|n| !n.contains(' ')))
        && !cmd.contains(" --kms ")
    {
        cmd.push_str(&format!(" --kms {}", quote(host)));
    }
    if let Some(clock) = a.checks.iter().find(|c| c.check == Stage::Clock)
        && let Some(server) = clock.target.name()
        && !server.contains(' ')
        && server.contains('.')
    {
        cmd.push_str(&format!(" --time-server {}", quote(server)));
    }
    cmd
}
