//! The structured files of a bundle: registry values, DNS client settings, machine identity.

use serde::{Deserialize, Serialize};

/// Registry keys as read (`registry.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RegistryDump {
    /// Each key that was looked at, found or not.
    pub keys: Vec<RegKey>,
}

/// One registry key and its values.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RegKey {
    /// Full path, `HKLM\SOFTWARE\...`.
    pub path: String,
    /// Registry view: `64` (native), `32` (Wow6432Node) or `default`.
    pub view: String,
    /// Whether the key exists.
    pub exists: bool,
    /// Why it could not be read (access denied, ...), when it exists but was not readable.
    pub error: Option<String>,
    /// Its values.
    pub values: Vec<RegValue>,
}

/// One registry value.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RegValue {
    /// Value name (empty for the default value).
    pub name: String,
    /// `REG_SZ`, `REG_EXPAND_SZ`, `REG_MULTI_SZ`, `REG_DWORD`, `REG_QWORD`, `REG_BINARY`, ...
    #[serde(rename = "type")]
    pub ty: String,
    /// The data: a string, a number, a list of strings, or hex for binary data.
    pub data: serde_json::Value,
}

impl RegistryDump {
    /// The value `name` (case-insensitive, as in the registry) under the key whose path ends
    /// with `key_suffix` (case-insensitive), preferring the native view; failing that, under one
    /// of its subkeys (the per-application/SKU overrides `…\<AppID>\<SKUID>`).
    pub fn value(&self, key_suffix: &str, name: &str) -> Option<&RegValue> {
        let suffix = key_suffix.to_ascii_lowercase();
        let inner = format!("{suffix}\\");
        let rank = |k: &RegKey| {
            let path = k.path.to_ascii_lowercase();
            let depth = if path.ends_with(&suffix) {
                0
            } else if path.contains(&inner) {
                1
            } else {
                return None;
            };
            Some((depth, k.view != "64" && k.view != "default"))
        };
        let mut keys: Vec<(_, &RegKey)> = self
            .keys
            .iter()
            .filter_map(|k| rank(k).map(|r| (r, k)))
            .collect();
        keys.sort_by_key(|(r, _)| *r);
        keys.iter()
            .flat_map(|(_, k)| k.values.iter())
            .find(|v| v.name.eq_ignore_ascii_case(name))
    }
}

impl RegValue {
    /// The data as text: strings as they are, numbers in decimal, lists joined by `; `.
    pub fn as_text(&self) -> String {
        match &self.data {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(a) => a
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join("; "),
            v => v.to_string(),
        }
    }

    /// The data as a number: DWORD/QWORD, or a string holding a decimal number (ports are REG_SZ).
    pub fn as_u64(&self) -> Option<u64> {
        match &self.data {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// The data as a list of strings (REG_MULTI_SZ; a comma-separated REG_SZ is split).
    pub fn as_list(&self) -> Vec<String> {
        match &self.data {
            serde_json::Value::Array(a) => a
                .iter()
                .filter_map(|v| v.as_str())
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            serde_json::Value::String(s) => s
                .split([',', ' ', ';'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// The DNS client settings that decide where a KMS client looks for `_vlmcs._tcp` (`dns.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct DnsConfig {
    /// The primary DNS suffix (`Tcpip\Parameters\Domain`, or the policy's `NV Domain`).
    pub primary_suffix: Option<String>,
    /// The DNS suffix search list, in order (policy first, then `Tcpip\Parameters\SearchList`).
    pub search_list: Vec<String>,
    /// Where the search list came from: `policy`, `local` or `none`.
    pub search_list_source: String,
    /// Network adapters with TCP/IP settings.
    pub adapters: Vec<Adapter>,
}

/// One adapter's DNS settings.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Adapter {
    /// The interface GUID, `{...}`.
    pub id: String,
    /// The connection name shown in Windows (`Ethernet0`), when found.
    pub name: Option<String>,
    /// The connection-specific DNS suffix (static `Domain`, else `DhcpDomain`).
    pub suffix: Option<String>,
    /// DNS servers in order (static `NameServer`, else `DhcpNameServer`).
    pub dns_servers: Vec<String>,
    /// Whether the DNS servers came from DHCP.
    pub dhcp: bool,
}

/// Machine identity and environment (`system.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct SystemInfo {
    /// `COMPUTERNAME`.
    pub computer_name: Option<String>,
    /// `USERDNSDOMAIN` (the AD DNS domain of the signed-in user), when domain-joined.
    pub user_dns_domain: Option<String>,
    /// `USERDOMAIN`.
    pub user_domain: Option<String>,
    /// `ProductName` from `HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion`.
    pub product_name: Option<String>,
    /// `EditionID`.
    pub edition_id: Option<String>,
    /// `DisplayVersion` (e.g. `23H2`).
    pub display_version: Option<String>,
    /// `CurrentBuild` plus `.UBR`.
    pub build: Option<String>,
    /// `InstallationType` (`Client`, `Server`, `Server Core`).
    pub installation_type: Option<String>,
    /// The OEM code page used to read console tools' output.
    pub oem_code_page: Option<u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_lookup_prefers_native_view_and_ignores_case() {
        let d: RegistryDump = serde_json::from_str(
            r#"{"keys":[
              {"path":"HKLM\\SOFTWARE\\Wow6432Node\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform","view":"32","exists":true,"error":null,
               "values":[{"name":"KeyManagementServiceName","type":"REG_SZ","data":"old.example"}]},
              {"path":"HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform","view":"64","exists":true,"error":null,
               "values":[{"name":"KeyManagementServiceName","type":"REG_SZ","data":"kms01.corp.example"},
                         {"name":"KeyManagementServicePort","type":"REG_SZ","data":"1688"},
                         {"name":"DnsDomainPublishList","type":"REG_MULTI_SZ","data":["a.example","b.example,0,0"]}]}]}"#,
        )
        .unwrap();
        let v = d
            .value("SoftwareProtectionPlatform", "keymanagementservicename")
            .unwrap();
        assert_eq!(v.as_text(), "kms01.corp.example");
        let port = d.value("softwareprotectionplatform", "KeyManagementServicePort");
        assert_eq!(port.unwrap().as_u64(), Some(1688));
        let list = d.value("SoftwareProtectionPlatform", "DnsDomainPublishList");
        assert_eq!(list.unwrap().as_list(), ["a.example", "b.example,0,0"]);
        assert!(d.value("SoftwareProtectionPlatform", "Missing").is_none());
    }

    #[test]
    fn per_sku_override_is_found_below_the_key() {
        let d: RegistryDump = serde_json::from_str(
            r#"{"keys":[
              {"path":"HKLM\\X\\SoftwareProtectionPlatform","view":"64","exists":true,"error":null,"values":[]},
              {"path":"HKLM\\X\\SoftwareProtectionPlatform\\55c92734\\73111121","view":"64","exists":true,"error":null,
               "values":[{"name":"KeyManagementServiceName","type":"REG_SZ","data":"sku-kms.example"}]},
              {"path":"HKLM\\X\\SoftwareProtectionPlatformOther","view":"64","exists":true,"error":null,
               "values":[{"name":"Other","type":"REG_SZ","data":"no"}]}]}"#,
        )
        .unwrap();
        let v = d.value("SoftwareProtectionPlatform", "KeyManagementServiceName");
        assert_eq!(v.unwrap().as_text(), "sku-kms.example");
        assert!(d.value("SoftwareProtectionPlatform", "Other").is_none());
    }
}
