//! The plan of `volact doctor` checks that would confirm the findings from that machine, and the
//! command line that runs them.

use volact_core::Lang;
use volact_core::kb::Check;

use super::facts::{forced_host, lookup_domains};
use super::findings::t;
use crate::analysis::{Analysis, PlannedCheck};

/// The checks `volact doctor` would run from that machine: discovery (the forced host, or the SRV
/// lookups and the hosts they name), the host's own port, and the clock.
pub(super) fn plan_checks(a: &Analysis, lang: Lang) -> Vec<PlannedCheck> {
    let mut c = Vec::new();
    let forced = forced_host(a);
    if let Some(target) = forced.clone() {
        forced_host_checks(&mut c, target, lang);
    } else if a.machine.roles.contains(&"kms-client") || a.machine.roles.contains(&"kms-host") {
        discovery_checks(&mut c, a, lang);
    }
    if a.machine.roles.contains(&"kms-host") {
        c.push(host_port_check(a, lang));
    }
    c.push(clock_check(a, forced, lang));
    c
}

/// TCP and RPC to the forced KMS host.
fn forced_host_checks(c: &mut Vec<PlannedCheck>, target: String, lang: Lang) {
    c.push(PlannedCheck {
        check: Check::Tcp,
        target: target.clone(),
        reason: t(
            lang,
            "the forced KMS host must accept TCP connections on its port",
            "被指定的 KMS 主機必須能在其連接埠接受 TCP 連線",
        ),
    });
    c.push(PlannedCheck {
        check: Check::Rpc,
        target,
        reason: t(
            lang,
            "a DCE/RPC bind shows whether a KMS service answers there",
            "以 DCE/RPC bind 確認該處是否有 KMS 服務回應",
        ),
    });
}

/// The DNS servers of the machine's adapters, each once, as words: ` (through a, b)`.
fn through_servers(a: &Analysis, lang: Lang) -> String {
    let servers: Vec<String> = a
        .dns
        .iter()
        .flat_map(|d| {
            d.adapters
                .iter()
                .flat_map(|x| x.dns_servers.iter().cloned())
        })
        .fold(Vec::new(), |mut v, s| {
            if !v.contains(&s) {
                v.push(s);
            }
            v
        });
    if servers.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::En => format!(" (through {})", servers.join(", ")),
            Lang::ZhTw => format!("（透過 {}）", servers.join("、")),
        }
    }
}

/// The SRV lookup in each domain the client searches, then (on a client) TCP and RPC to the hosts
/// the records name.
fn discovery_checks(c: &mut Vec<PlannedCheck>, a: &Analysis, lang: Lang) {
    let via = through_servers(a, lang);
    for d in lookup_domains(a) {
        c.push(PlannedCheck {
            check: Check::Dns,
            target: format!("_vlmcs._tcp.{d}"),
            reason: format!(
                "{}{via}",
                t(
                    lang,
                    "the SRV lookup a KMS client makes in this domain",
                    "KMS 用戶端在此網域進行的 SRV 查詢",
                )
            ),
        });
    }
    if a.machine.roles.contains(&"kms-client") {
        c.push(PlannedCheck {
            check: Check::Tcp,
            target: t(
                lang,
                "each host the SRV records name",
                "SRV 記錄列出的每一部主機",
            ),
            reason: t(
                lang,
                "TCP to the port the record gives (1688 by default)",
                "連到記錄所指定的連接埠（預設 1688）",
            ),
        });
        c.push(PlannedCheck {
            check: Check::Rpc,
            target: t(
                lang,
                "each host the SRV records name",
                "SRV 記錄列出的每一部主機",
            ),
            reason: t(
                lang,
                "a DCE/RPC bind shows whether a KMS service answers there",
                "以 DCE/RPC bind 確認該處是否有 KMS 服務回應",
            ),
        });
    }
}

/// The host's KMS port, to be tried from a client (the firewall rule is off by default).
fn host_port_check(a: &Analysis, lang: Lang) -> PlannedCheck {
    let port = a
        .products
        .iter()
        .find_map(|p| p.kms_host.as_ref()?.listening_port)
        .or(a.settings.listening_port)
        .unwrap_or(1688);
    let name = a
        .machine
        .system
        .as_ref()
        .and_then(|s| s.computer_name.clone())
        .unwrap_or_else(|| t(lang, "this host", "此主機"));
    PlannedCheck {
        check: Check::Tcp,
        target: format!("{name}:{port}"),
        reason: t(
            lang,
            "run from a client: the host's firewall must allow its KMS port (the rule exists but is off by default)",
            "請從用戶端執行：主機的防火牆必須允許 KMS 連接埠（規則預設存在但未啟用）",
        ),
    }
}

/// The clock against the machine's time source (or the forced host), within the 4-hour limit.
fn clock_check(a: &Analysis, forced: Option<String>, lang: Lang) -> PlannedCheck {
    let time_target = a
        .time
        .as_ref()
        .filter(|t| !t.unsynchronised)
        .and_then(|t| t.source.clone())
        .or_else(|| a.ntp_server.clone())
        .or_else(|| forced.clone())
        .unwrap_or_else(|| t(lang, "a time server", "時間伺服器"));
    let host_only = a.machine.roles == ["kms-host"];
    PlannedCheck {
        check: Check::Clock,
        target: time_target,
        reason: if host_only {
            t(
                lang,
                "clients whose clock is more than 4 hours off this host's (UTC) get 0xC004F06C",
                "用戶端時鐘與此主機（UTC）相差超過 4 小時會收到 0xC004F06C",
            )
        } else {
            t(
                lang,
                "the clock must be within 4 hours of the KMS host's (UTC)",
                "時鐘與 KMS 主機（UTC）的差距必須在 4 小時以內",
            )
        },
    }
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
        && let Some(tc) = a
            .checks
            .iter()
            .find(|c| c.check == Check::Tcp && !c.target.contains(' '))
        && !cmd.contains(" --kms ")
    {
        cmd.push_str(&format!(" --kms {}", quote(&tc.target)));
    }
    if let Some(tc) = a.checks.iter().find(|c| c.check == Check::Clock)
        && !tc.target.contains(' ')
        && tc.target.contains('.')
    {
        cmd.push_str(&format!(" --time-server {}", quote(&tc.target)));
    }
    cmd
}
