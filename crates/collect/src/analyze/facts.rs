//! The facts read from the bundle's files: the KMS settings in the registry, the activation roles,
//! the time server, the domains a client searches and the forced KMS host.

use volact_core::kms::PORT;
use volact_scan::slmgr::Snapshot;

use crate::analysis::{Analysis, KmsSettings};
use crate::model::RegistryDump;

/// The registry key of the Software Protection Platform (ACTIVATION-FACTS §3.3).
pub const SPP_KEY: &str = r"Microsoft\Windows NT\CurrentVersion\SoftwareProtectionPlatform";

fn port(v: Option<u64>) -> Option<u16> {
    v.and_then(|p| u16::try_from(p).ok())
}

pub(super) fn settings(r: &RegistryDump) -> KmsSettings {
    let v = |name: &str| r.value(SPP_KEY, name);
    let flag = |name: &str| v(name).and_then(|x| x.as_u64()).map(|n| n != 0);
    KmsSettings {
        kms_name: v("KeyManagementServiceName")
            .map(|x| x.as_text())
            .filter(|s| !s.trim().is_empty()),
        kms_port: port(v("KeyManagementServicePort").and_then(|x| x.as_u64())),
        listening_port: port(v("KeyManagementServiceListeningPort").and_then(|x| x.as_u64())),
        disable_dns_publishing: flag("DisableDnsPublishing"),
        dns_publish_list: v("DnsDomainPublishList")
            .map(|x| x.as_list())
            .unwrap_or_default(),
        low_priority: flag("EnableKmsLowPriority"),
        activation_interval: v("VLActivationInterval").and_then(|x| x.as_u64()),
        renewal_interval: v("VLRenewalInterval").and_then(|x| x.as_u64()),
        skip_rearm: flag("SkipRearm"),
        discovered_name: v("DiscoveredKeyManagementServiceName")
            .map(|x| x.as_text())
            .filter(|s| !s.trim().is_empty()),
        discovered_port: port(v("DiscoveredKeyManagementServicePort").and_then(|x| x.as_u64())),
    }
}

pub(super) fn roles(products: &[Snapshot], s: &KmsSettings) -> Vec<&'static str> {
    let mut r = Vec::new();
    let channel = |p: &Snapshot, what: &str| {
        [&p.product_key_channel, &p.channel]
            .iter()
            .any(|c| c.as_deref().is_some_and(|c| c.contains(what)))
            || p.description.as_deref().is_some_and(|d| d.contains(what))
    };
    if products
        .iter()
        .any(|p| p.kms_host.is_some() || channel(p, "CSVLK"))
        || s.listening_port.is_some()
        || s.disable_dns_publishing.is_some()
    {
        r.push("kms-host");
    }
    if products
        .iter()
        .any(|p| channel(p, "GVLK") || channel(p, "KMSCLIENT"))
    {
        r.push("kms-client");
    }
    if products.iter().any(|p| channel(p, "MAK")) {
        r.push("mak");
    }
    r
}

/// The first time server configured for Windows Time (`W32Time\Parameters\NtpServer`).
pub(super) fn ntp_server(registry: &RegistryDump) -> Option<String> {
    registry
        .value(r"W32Time\Parameters", "NtpServer")
        .and_then(|v| {
            let first = v.as_text();
            let first = first.split([' ', ',']).next()?.trim().to_owned();
            (!first.is_empty()).then_some(first)
        })
}

/// The domains a client would search for `_vlmcs._tcp`, in order, without duplicates.
pub fn lookup_domains(a: &Analysis) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |d: &str| {
        let d = d.trim().trim_end_matches('.').to_ascii_lowercase();
        if !d.is_empty() && !out.contains(&d) {
            out.push(d);
        }
    };
    if let Some(srv) = a
        .products
        .iter()
        .find_map(|p| p.kms_client.as_ref()?.srv_lookup_domain.clone())
    {
        add(&srv);
    }
    if let Some(d) = &a.dns {
        if let Some(p) = &d.primary_suffix {
            add(p);
        }
        for s in &d.search_list {
            add(s);
        }
        for ad in &d.adapters {
            if let Some(s) = &ad.suffix {
                add(s);
            }
        }
    }
    if let Some(u) = a
        .machine
        .system
        .as_ref()
        .and_then(|s| s.user_dns_domain.clone())
    {
        add(&u);
    }
    out
}

/// The forced KMS host, `host:port`, from the registry or slmgr (the finding and the planned
/// checks both use this one).
pub(super) fn forced_host(a: &Analysis) -> Option<String> {
    let name = a.settings.kms_name.clone().or_else(|| {
        a.products
            .iter()
            .find_map(|p| p.kms_client.as_ref()?.registered_kms_name.clone())
            .filter(|n| !n.is_empty())
    })?;
    Some(if name.contains(':') {
        name
    } else {
        format!("{name}:{}", a.settings.kms_port.unwrap_or(PORT))
    })
}
