//! The next commands to run: language-free command lines ([`Cmd`]); what each one is for is
//! written in `phrases.rs`.

use volact_core::commands::{self, Case};
use volact_core::kms;

use crate::target::Target;

const SLMGR: &str = r"cscript //nologo %windir%\system32\slmgr.vbs";

/// A command worth running next, with the facts its command line needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Cmd {
    /// Point the client at a KMS host explicitly (`slmgr /skms`).
    Skms {
        /// `host:port`, or a placeholder.
        target: String,
    },
    /// Activate after fixing (`slmgr /ato`).
    Ato,
    /// Look the SRV record up the way Windows does.
    NslookupSrv {
        /// The domain.
        domain: String,
        /// The DNS server to ask, when one is known.
        server: Option<String>,
    },
    /// Force the SRV lookup domain (`slmgr /skms-domain`).
    SkmsDomain {
        /// The domain.
        domain: String,
    },
    /// The client's DNS configuration (`ipconfig /all`).
    Ipconfig,
    /// Check the DNS server is reachable on port 53.
    DnsPort {
        /// The DNS server.
        server: String,
    },
    /// Check the KMS host publishes its SRV record.
    HostPublishing,
    /// Check that a host name resolves (`nslookup HOST`).
    NslookupHost {
        /// The host name.
        host: String,
    },
    /// Test the KMS port from the client.
    TestPort {
        /// The host.
        host: String,
        /// The port.
        port: u16,
    },
    /// Open the firewall on the KMS host.
    Firewall,
    /// Who listens on the port.
    Netstat {
        /// The port.
        port: u16,
    },
    /// KMS host status (`slmgr /dlv`).
    Dlv,
    /// Clock status (`w32tm /query /status`).
    W32tmStatus,
    /// Resynchronise the clock (`w32tm /resync`).
    W32tmResync,
}

impl Cmd {
    /// `slmgr /skms` with the placeholder `<kms-host>:1688`.
    pub(crate) fn skms_placeholder() -> Self {
        Cmd::Skms {
            target: format!("<kms-host>:{}", kms::PORT),
        }
    }

    /// Where to run it: `client` or `kms-host`.
    pub(crate) fn on(&self) -> &'static str {
        match self {
            Cmd::HostPublishing | Cmd::Firewall | Cmd::Netstat { .. } | Cmd::Dlv => "kms-host",
            _ => "client",
        }
    }

    /// The activation `slmgr /ato` performs here: doctor checks KMS, so KMS activation.
    pub(crate) fn case(&self) -> Option<Case> {
        match self {
            Cmd::Ato => Some(Case::Kms),
            _ => None,
        }
    }

    /// Its mark from volact's commands table (elevation, where it runs).
    pub(crate) fn mark(&self) -> Option<commands::Marked> {
        commands::mark(&self.run(), self.case())
    }

    /// The command line.
    pub(crate) fn run(&self) -> String {
        match self {
            Cmd::Skms { target } => format!("{SLMGR} /skms {target}"),
            Cmd::Ato => format!("{SLMGR} /ato"),
            Cmd::NslookupSrv {
                domain,
                server: Some(s),
            } => format!("nslookup -type=srv {}.{domain} {s}", kms::SRV_PREFIX),
            Cmd::NslookupSrv {
                domain,
                server: None,
            } => format!("nslookup -type=srv {}.{domain}", kms::SRV_PREFIX),
            Cmd::SkmsDomain { domain } => format!("{SLMGR} /skms-domain {domain}"),
            Cmd::Ipconfig => "ipconfig /all".into(),
            Cmd::DnsPort { server } => format!("Test-NetConnection {server} -Port 53"),
            Cmd::HostPublishing => r#"reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\SoftwareProtectionPlatform" /v DisableDnsPublishing"#.into(),
            Cmd::NslookupHost { host } => format!("nslookup {host}"),
            Cmd::TestPort { host, port } => format!("Test-NetConnection {host} -Port {port}"),
            Cmd::Firewall => r#"netsh advfirewall firewall set rule name="Key Management Service (TCP-In)" new enable=yes"#.into(),
            Cmd::Netstat { port } => format!("netstat -ano | findstr :{port}"),
            Cmd::Dlv => format!("{SLMGR} /dlv"),
            Cmd::W32tmStatus => "w32tm /query /status /verbose".into(),
            Cmd::W32tmResync => "w32tm /resync".into(),
        }
    }
}

/// A next command for one host, made concrete once the host is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HostCmd {
    /// `nslookup HOST`.
    NslookupHost,
    /// `ipconfig /all`.
    Ipconfig,
    /// `Test-NetConnection HOST -Port PORT`.
    TestPort,
    /// Enable the KMS firewall rule on the host.
    Firewall,
    /// `slmgr /dlv` on the host.
    Dlv,
    /// `netstat` on the host.
    Netstat,
    /// `slmgr /skms <kms-host>:1688`.
    Skms,
    /// `w32tm` status and resync.
    W32tm,
}

impl HostCmd {
    /// The commands for host `t`.
    pub(crate) fn cmds(self, t: &Target) -> Vec<Cmd> {
        match self {
            HostCmd::NslookupHost => vec![Cmd::NslookupHost {
                host: t.host.clone(),
            }],
            HostCmd::Ipconfig => vec![Cmd::Ipconfig],
            HostCmd::TestPort => vec![Cmd::TestPort {
                host: t.host.clone(),
                port: t.port,
            }],
            HostCmd::Firewall => vec![Cmd::Firewall],
            HostCmd::Dlv => vec![Cmd::Dlv],
            HostCmd::Netstat => vec![Cmd::Netstat { port: t.port }],
            HostCmd::Skms => vec![Cmd::skms_placeholder()],
            HostCmd::W32tm => vec![Cmd::W32tmStatus, Cmd::W32tmResync],
        }
    }
}

#[cfg(test)]
pub(crate) mod tests;
