//! The checks `volact doctor` would run from the analysed machine, language-free: what stage, on
//! what, and why. The rules in `analyze/plan.rs` build them; their words are written at report
//! time by [`crate::phrases::target`] and [`crate::phrases::reason`].
//!
//! Adding a planned check: a [`CheckReason`] variant (and a [`CheckTarget`] one if it looks at
//! something that is not a name), its sentence pair in `phrases.rs`, the rule in
//! `analyze/plan.rs`, and a test.

use volact_core::kms::Stage;

/// A check `volact doctor` would run from the machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCheck {
    /// `dns`, `tcp`, `rpc` or `clock`.
    pub check: Stage,
    /// What it would look at.
    pub target: CheckTarget,
    /// Why.
    pub reason: CheckReason,
}

/// What a planned check looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckTarget {
    /// A name as it is: `_vlmcs._tcp.corp.example.com`, `kms01:1688`, a time server.
    Name(String),
    /// Each host the SRV records name (known only when the lookup runs).
    SrvHosts,
    /// The analysed KMS host, whose name the bundle does not give, on its port.
    ThisHost {
        /// Its KMS port.
        port: u16,
    },
    /// A time server (the machine names none).
    AnyTimeServer,
}

impl CheckTarget {
    /// The name, when the target is one that `volact doctor` can be given.
    pub fn name(&self) -> Option<&str> {
        match self {
            Self::Name(n) => Some(n),
            _ => None,
        }
    }
}

/// Why a check is planned.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CheckReason {
    /// TCP to the forced KMS host.
    ForcedHostTcp,
    /// The DCE/RPC bind that shows whether a KMS service answers.
    KmsRpc,
    /// The SRV lookup a client makes in a domain, through the machine's DNS servers.
    SrvLookup {
        /// The DNS servers of the machine's adapters, each once.
        dns_servers: Vec<String>,
    },
    /// TCP to the port an SRV record gives.
    SrvHostTcp,
    /// The host's KMS port through its firewall, from a client.
    HostFirewall,
    /// The host's clock, which its clients must be within the limit of.
    HostClock,
    /// The client's clock, which must be within the limit of the KMS host's.
    ClientClock,
}
