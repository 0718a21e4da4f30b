//! Azure's KMS endpoints, as Microsoft lists them for Azure virtual machines (global and national
//! clouds), and the facts `doctor` adds when one of them cannot be reached. Language-free: the
//! words are in `phrases.rs`.

use serde::Serialize;
use volact_core::kms::Stage;

use crate::advice::Cmd;
use crate::model::Relation;

/// The Azure cloud a KMS endpoint belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AzureCloud {
    /// Global Azure: `azkms.core.windows.net`.
    Global,
    /// Azure operated by 21Vianet (China): `azkms.core.chinacloudapi.cn`, `kms.core.chinacloudapi.cn`.
    China,
    /// Azure Government (US): `kms.core.usgovcloudapi.net`.
    UsGovernment,
    /// Azure Germany, a closed national cloud: `kms.core.cloudapi.de`.
    GermanyLegacy,
}

/// Every Azure KMS endpoint name Microsoft gives, with its cloud; the first name of a cloud is the
/// one to use.
pub const ENDPOINTS: &[(&str, AzureCloud)] = &[
    ("azkms.core.windows.net", AzureCloud::Global),
    ("azkms.core.chinacloudapi.cn", AzureCloud::China),
    ("kms.core.chinacloudapi.cn", AzureCloud::China),
    ("kms.core.usgovcloudapi.net", AzureCloud::UsGovernment),
    ("kms.core.cloudapi.de", AzureCloud::GermanyLegacy),
];

/// The addresses Microsoft publishes for the global endpoint, for routes that bypass forced
/// tunnelling.
pub const GLOBAL_ADDRESSES: [&str; 2] = ["20.118.99.224", "40.83.235.53"];

impl AzureCloud {
    /// The stable identifier: `global`, `china`, `us-government`, `germany-legacy`.
    pub fn id(self) -> &'static str {
        match self {
            AzureCloud::Global => "global",
            AzureCloud::China => "china",
            AzureCloud::UsGovernment => "us-government",
            AzureCloud::GermanyLegacy => "germany-legacy",
        }
    }

    /// The endpoint to use for this cloud.
    pub fn endpoint(self) -> &'static str {
        ENDPOINTS
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("azkms.core.windows.net", |(h, _)| h)
    }
}

/// The Azure cloud whose KMS endpoint `host` is, if it is one (case and a final dot ignored); the
/// global endpoint's published addresses count as the global endpoint.
pub fn cloud_of(host: &str) -> Option<AzureCloud> {
    let h = host.strip_suffix('.').unwrap_or(host);
    if GLOBAL_ADDRESSES.contains(&h) {
        return Some(AzureCloud::Global);
    }
    ENDPOINTS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(h))
        .map(|(_, c)| *c)
}

/// The stage at which an Azure KMS endpoint failed, when it is one Microsoft explains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AzureFailure {
    /// The name did not resolve (custom DNS servers).
    Dns,
    /// TCP 1688 was refused or timed out (forced tunnelling, routes, NSG, firewall).
    Tcp,
}

impl AzureFailure {
    /// The Azure failure for a host's first failing stage: DNS or TCP; `None` otherwise.
    pub(crate) fn from_stage(first_failure: Option<Stage>) -> Option<Self> {
        match first_failure? {
            Stage::Dns => Some(AzureFailure::Dns),
            Stage::Tcp => Some(AzureFailure::Tcp),
            _ => None,
        }
    }
}

/// What Windows reports when an Azure VM cannot reach the endpoint: 0x800705B4 (the timeout
/// Microsoft's Azure article is about) and 0xC004F074.
pub(crate) const CODES: [(u32, Relation); 2] = [
    (0x8007_05B4, Relation::Predicts),
    (0xC004_F074, Relation::Predicts),
];

/// The commands Microsoft's Azure articles give, for `cloud` on `port`.
pub(crate) fn commands(cloud: AzureCloud, failure: AzureFailure, port: u16) -> Vec<Cmd> {
    let host = cloud.endpoint().to_owned();
    let mut v = Vec::new();
    if failure == AzureFailure::Dns {
        v.push(Cmd::NslookupHost { host: host.clone() });
    }
    v.push(Cmd::TestPort {
        host: host.clone(),
        port,
    });
    v.push(Cmd::Skms {
        target: format!("{host}:{port}"),
    });
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_endpoint_is_recognised_and_nothing_else() {
        for (h, c) in ENDPOINTS {
            assert_eq!(cloud_of(h), Some(*c));
            assert_eq!(cloud_of(&h.to_uppercase()), Some(*c));
            assert_eq!(cloud_of(&format!("{h}.")), Some(*c));
        }
        assert_eq!(cloud_of("20.118.99.224"), Some(AzureCloud::Global));
        assert_eq!(cloud_of("40.83.235.53"), Some(AzureCloud::Global));
        assert_eq!(cloud_of("20.118.99.225"), None);
        assert_eq!(AzureCloud::China.endpoint(), "azkms.core.chinacloudapi.cn");
        assert_eq!(AzureCloud::Global.endpoint(), "azkms.core.windows.net");
        for other in [
            "kms.contoso.com",
            "azkms.core.windows.net.evil.example",
            "core.windows.net",
            "xazkms.core.windows.net",
            "",
        ] {
            assert_eq!(cloud_of(other), None, "{other}");
        }
    }

    #[test]
    fn only_dns_and_tcp_failures_are_azure_failures() {
        assert_eq!(
            AzureFailure::from_stage(Some(Stage::Tcp)),
            Some(AzureFailure::Tcp)
        );
        assert_eq!(
            AzureFailure::from_stage(Some(Stage::Dns)),
            Some(AzureFailure::Dns)
        );
        assert_eq!(AzureFailure::from_stage(Some(Stage::Rpc)), None);
        assert_eq!(AzureFailure::from_stage(None), None);
        let c = commands(AzureCloud::Global, AzureFailure::Tcp, 1688);
        let runs: Vec<String> = c.iter().map(Cmd::run).collect();
        assert_eq!(
            runs[0],
            "Test-NetConnection azkms.core.windows.net -Port 1688"
        );
        assert!(runs[1].ends_with("slmgr.vbs /skms azkms.core.windows.net:1688"));
        assert_eq!(
            commands(AzureCloud::Global, AzureFailure::Dns, 1688).len(),
            3
        );
    }
}
