//! The activation event model: one [`Event`] type that every reader (.evtx, XML, text) produces.
//!
//! Windows logs KMS activation in a handful of events (field layouts as documented for the
//! Volume Activation Technical Reference and the KMS troubleshooting articles):
//!
//! | ID | where | payload |
//! |---|---|---|
//! | 12288 | client, Application | request sent: HRESULT, status, `host:port`, CMID, client time, VM, license state, minutes to expiry, Activation ID, minimum count |
//! | 12289 | client, Application | response processed: HRESULT, status, activated, host's current count, intervals, client time |
//! | 12290 | host, Key Management Service | request processed: HRESULT, minimum count, client name, CMID, client time, VM, license state, minutes to expiry, Activation ID |
//! | 12293 / 12294 | host, Application | DNS publishing failed (HRESULT, domain) / succeeded (domain) |
//! | 8198 | client, Application | slui activation failed: `hr=0x…` and a `RuleId=…;Action=…` string |
//! | 1003 | client, Application | licensing status lines with embedded codes and SKU GUIDs |
//!
//! [`parse_info`] reads the comma-separated "Info" string that Event Viewer shows; [`parse_data`]
//! reads the separate `<Data>` items of the XML form. [`text::TextEventReader`] recognises whole
//! events in pasted or logged text.
//!
//! ```
//! use volact_core::event::{parse_info, EventData, LicenseState};
//! let d = parse_info(12290, "0xC004F06C, 25, pc1.contoso.com, 5cd1d6d4-3d4b-4a65-9d1b-000000000001, \
//!                             2026/11/20 9:30, 0, 1, 259200, 2ffd8952-1b8b-4d2a-9b49-000000000002").unwrap();
//! let EventData::HostRequest(h) = d else { panic!() };
//! assert_eq!(h.code.unwrap().to_string(), "0xC004F06C");
//! assert_eq!(h.license_state, Some(LicenseState::Licensed));
//! ```

mod info;
pub mod text;
mod time;

use std::fmt;

use serde::{Serialize, Serializer};

use crate::code::ErrorCode;

pub use info::{InfoError, parse_data, parse_info};
pub use time::Timestamp;

pub use crate::kms::LicenseState;

/// KMS client: activation request sent.
pub const CLIENT_REQUEST: u32 = 12288;
/// KMS client: activation response processed.
pub const CLIENT_RESPONSE: u32 = 12289;
/// KMS host: activation request processed.
pub const HOST_REQUEST: u32 = 12290;
/// KMS host: publishing the SRV record to DNS failed.
pub const DNS_PUBLISH_FAILED: u32 = 12293;
/// KMS host: publishing the SRV record to DNS succeeded.
pub const DNS_PUBLISHED: u32 = 12294;
/// Client: License Activation (slui.exe) failed.
pub const SLUI_FAILED: u32 = 8198;
/// Client: licensing status check completed.
pub const LICENSING_STATUS: u32 = 1003;

/// The event IDs with a typed payload.
pub const TYPED_IDS: [u32; 7] = [
    CLIENT_REQUEST,
    CLIENT_RESPONSE,
    HOST_REQUEST,
    DNS_PUBLISH_FAILED,
    DNS_PUBLISHED,
    SLUI_FAILED,
    LICENSING_STATUS,
];

/// Longest string value kept from a field; longer values are cut (at a character boundary).
pub const MAX_FIELD: usize = 512;

/// Whether an event provider (or Event Viewer "Source") is one of the activation providers:
/// `Microsoft-Windows-Security-SPP` (source "Security-SPP", "Software Protection Platform
/// Service", or "KmsRequests", the source of a host's 12290) or
/// `Microsoft-Windows-Security-Licensing-SLC`, with or without the `Microsoft-Windows-` prefix,
/// any case.
pub fn is_activation_provider(name: &str) -> bool {
    // ASCII case-insensitive, without allocating (called for every record).
    let starts = |n: &str, p: &str| {
        n.len() >= p.len() && n.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
    };
    let n = name.trim();
    const PREFIX: &str = "microsoft-windows-";
    // The matched prefix is ASCII, so its end is a character boundary.
    let n = if starts(n, PREFIX) {
        &n[PREFIX.len()..]
    } else {
        n
    };
    starts(n, "security-spp")
        || starts(n, "security-licensing-slc")
        || n.eq_ignore_ascii_case("software protection platform service")
        || n.eq_ignore_ascii_case("sppsvc")
        || n.eq_ignore_ascii_case("kmsrequests")
}

/// One event, from any reader.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    /// Event ID (12288, 12290, …).
    pub id: u32,
    /// Provider name as logged (`Microsoft-Windows-Security-SPP`), when known.
    pub provider: Option<String>,
    /// Log name (`Application`, `Key Management Service`), when known.
    pub channel: Option<String>,
    /// When the event was logged: UTC for .evtx and XML, as written for text.
    pub time: Option<Timestamp>,
    /// The computer that logged it.
    pub computer: Option<String>,
    /// Event record ID, when known.
    pub record_id: Option<u64>,
    /// The typed payload.
    pub data: EventData,
}

impl Event {
    /// An event with only its ID and payload.
    pub fn new(id: u32, data: EventData) -> Self {
        Self {
            id,
            provider: None,
            channel: None,
            time: None,
            computer: None,
            record_id: None,
            data,
        }
    }
}

/// The typed payload of an event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventData {
    /// 12288.
    ClientRequest(ClientRequest),
    /// 12289.
    ClientResponse(ClientResponse),
    /// 12290.
    HostRequest(HostRequest),
    /// 12293.
    DnsPublishFailed(DnsPublish),
    /// 12294.
    DnsPublished(DnsPublish),
    /// 8198.
    SluiFailed(SluiFailed),
    /// 1003.
    LicensingStatus(LicensingStatus),
    /// Any other Security-SPP / Security-Licensing-SLC event: only the codes it carries.
    Other {
        /// Codes found in the event data, in order, without duplicates.
        codes: Vec<ErrorCode>,
    },
}

impl EventData {
    /// A short stable name of the variant: `client_request`, `host_request`, …, `other`.
    pub fn kind(&self) -> &'static str {
        match self {
            EventData::ClientRequest(_) => "client_request",
            EventData::ClientResponse(_) => "client_response",
            EventData::HostRequest(_) => "host_request",
            EventData::DnsPublishFailed(_) => "dns_publish_failed",
            EventData::DnsPublished(_) => "dns_published",
            EventData::SluiFailed(_) => "slui_failed",
            EventData::LicensingStatus(_) => "licensing_status",
            EventData::Other { .. } => "other",
        }
    }

    /// Every code the payload carries (the HRESULT of typed events; embedded codes otherwise).
    pub fn codes(&self) -> Vec<ErrorCode> {
        match self {
            EventData::ClientRequest(r) => r.code.into_iter().collect(),
            EventData::ClientResponse(r) => r.code.into_iter().collect(),
            EventData::HostRequest(r) => r.code.into_iter().collect(),
            EventData::DnsPublishFailed(r) | EventData::DnsPublished(r) => {
                r.code.into_iter().collect()
            }
            EventData::SluiFailed(r) => r.code.into_iter().collect(),
            EventData::LicensingStatus(r) => r.codes.clone(),
            EventData::Other { codes } => codes.clone(),
        }
    }
}

/// A KMS host as the client names it: `kms01.contoso.com:1688`, `[fd00::1]:1688`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct HostPort {
    /// Host name or address (IPv6 without brackets).
    pub host: String,
    /// Port, when given.
    pub port: Option<u16>,
}

impl HostPort {
    /// Parses `host`, `host:port`, `[v6]:port` or a bare IPv6 address; `None` when empty.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        if let Some(rest) = s.strip_prefix('[')
            && let Some((h, after)) = rest.split_once(']')
        {
            let port = after.strip_prefix(':').and_then(|p| p.trim().parse().ok());
            return Some(Self {
                host: clip(h),
                port,
            });
        }
        match s.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') && !h.is_empty() => match p.trim().parse() {
                Ok(port) => Some(Self {
                    host: clip(h),
                    port: Some(port),
                }),
                Err(_) => Some(Self {
                    host: clip(s),
                    port: None,
                }),
            },
            _ => Some(Self {
                host: clip(s),
                port: None,
            }),
        }
    }
}

impl fmt::Display for HostPort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.host.contains(':'), self.port) {
            (true, Some(p)) => write!(f, "[{}]:{p}", self.host),
            (false, Some(p)) => write!(f, "{}:{p}", self.host),
            (_, None) => f.write_str(&self.host),
        }
    }
}

/// The status flags of 12288/12289 (hex in the Info string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct StatusFlags(pub u32);

impl StatusFlags {
    /// The documented flag names set in this value (unknown bits are left out).
    pub fn names(self) -> Vec<&'static str> {
        const FLAGS: [(u32, &str); 5] = [
            (0x0000_0008, "SL_VL_BINDING_STATUS_OTHER_PC"),
            (
                0x0100_0000,
                "SL_VL_BINDING_ERROR_NO_BINDING_SERVER_REGISTRATION",
            ),
            (
                0x0200_0000,
                "SL_VL_BINDING_ERROR_INVALID_REGISTRATION_DATA_TYPE",
            ),
            (0x0400_0000, "SL_VL_BINDING_ERROR_NOT_ENOUGH_COUNT"),
            (0x0800_0000, "SL_VL_BINDING_ERROR_NOT_WINDOWS_SLP"),
        ];
        FLAGS
            .iter()
            .filter(|(bit, _)| self.0 & bit != 0)
            .map(|(_, n)| *n)
            .collect()
    }
}

impl fmt::Display for StatusFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:X}", self.0)
    }
}

impl Serialize for StatusFlags {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// 12288: the client sent an activation request.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ClientRequest {
    /// Field 0: HRESULT of the attempt.
    pub code: Option<ErrorCode>,
    /// Field 1: status flags.
    pub status: Option<StatusFlags>,
    /// Field 2: the KMS host the client used.
    pub kms: Option<HostPort>,
    /// Field 3: client machine ID (lower case, no braces).
    pub cmid: Option<String>,
    /// Field 4: client timestamp.
    pub client_time: Option<Timestamp>,
    /// Field 5: VM flag (documented as unused by older sources).
    pub vm: Option<bool>,
    /// Field 6: license state.
    pub license_state: Option<LicenseState>,
    /// Field 7: minutes until the current state expires.
    pub minutes_to_expiry: Option<u64>,
    /// Field 8: Activation ID (SKU).
    pub activation_id: Option<String>,
    /// Field 9: minimum count this client needs (25 client OS, 5 server OS).
    pub min_count: Option<u32>,
}

/// 12289: the client processed the host's response.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct ClientResponse {
    /// Field 0: HRESULT.
    pub code: Option<ErrorCode>,
    /// Field 1: status flags.
    pub status: Option<StatusFlags>,
    /// Field 2: whether the client is now activated.
    pub activated: Option<bool>,
    /// Field 4: the host's current count.
    pub current_count: Option<u32>,
    /// Field 5: activation interval in minutes (used while not activated).
    pub activation_interval: Option<u32>,
    /// Field 6: renewal interval in minutes (used once activated).
    pub renewal_interval: Option<u32>,
    /// Field 7: client timestamp.
    pub client_time: Option<Timestamp>,
}

/// 12290: the host processed a request.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct HostRequest {
    /// Field 0: HRESULT returned to the client.
    pub code: Option<ErrorCode>,
    /// Field 1: minimum count the client needs (25 client OS, 5 server OS).
    pub min_count: Option<u32>,
    /// Field 2: client name (FQDN).
    pub client: Option<String>,
    /// Field 3: client machine ID (lower case, no braces).
    pub cmid: Option<String>,
    /// Field 4: client timestamp.
    pub client_time: Option<Timestamp>,
    /// Field 5: VM flag.
    pub vm: Option<bool>,
    /// Field 6: client license state.
    pub license_state: Option<LicenseState>,
    /// Field 7: minutes until the client's state expires.
    pub minutes_to_expiry: Option<u64>,
    /// Field 8: Activation ID (SKU).
    pub activation_id: Option<String>,
}

/// 12293 / 12294: DNS publishing of the KMS SRV record.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct DnsPublish {
    /// The HRESULT (12293 only).
    pub code: Option<ErrorCode>,
    /// The DNS domain.
    pub domain: Option<String>,
}

/// 8198: License Activation (slui.exe) failed.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct SluiFailed {
    /// `hr=`.
    pub code: Option<ErrorCode>,
    /// `RuleId=`.
    pub rule_id: Option<String>,
    /// `Action=`.
    pub action: Option<String>,
    /// `AppId=`.
    pub app_id: Option<String>,
    /// `SkuId=`.
    pub sku_id: Option<String>,
    /// `Trigger=`.
    pub trigger: Option<String>,
}

/// 1003: licensing status check completed.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct LicensingStatus {
    /// `Application Id=`.
    pub app_id: Option<String>,
    /// SKU GUIDs of the status lines, in order, without duplicates.
    pub skus: Vec<String>,
    /// `0x…` codes embedded in the status lines, in order, without duplicates.
    pub codes: Vec<ErrorCode>,
}

/// Cuts `s` (trimmed) to [`MAX_FIELD`] bytes at a character boundary.
pub(crate) fn clip(s: &str) -> String {
    let s = s.trim();
    if s.len() <= MAX_FIELD {
        return s.to_owned();
    }
    let mut end = MAX_FIELD;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers() {
        for p in [
            "Microsoft-Windows-Security-SPP",
            "Security-SPP",
            "microsoft-windows-security-licensing-slc",
            "Software Protection Platform Service",
        ] {
            assert!(is_activation_provider(p), "{p}");
        }
        for p in ["Service Control Manager", "Microsoft-Windows-Sysmon", ""] {
            assert!(!is_activation_provider(p), "{p}");
        }
    }

    #[test]
    fn host_port() {
        let h = HostPort::parse("kms01.contoso.com:1688").unwrap();
        assert_eq!((h.host.as_str(), h.port), ("kms01.contoso.com", Some(1688)));
        assert_eq!(h.to_string(), "kms01.contoso.com:1688");
        let h = HostPort::parse("[fd00::1]:1688").unwrap();
        assert_eq!((h.host.as_str(), h.port), ("fd00::1", Some(1688)));
        assert_eq!(h.to_string(), "[fd00::1]:1688");
        assert_eq!(HostPort::parse("fd00::1").unwrap().port, None);
        assert_eq!(HostPort::parse("kms").unwrap().port, None);
        assert_eq!(HostPort::parse("kms:abc").unwrap().host, "kms:abc");
        assert_eq!(HostPort::parse("  "), None);
    }

    #[test]
    fn license_states_and_flags() {
        for n in 0..=7 {
            assert_eq!(LicenseState::from_number(n).number(), n);
        }
        assert_eq!(LicenseState::from_number(3).id(), "oot_grace");
        assert_eq!(
            LicenseState::from_number(9).label(crate::Lang::ZhTw),
            "未知狀態 9"
        );
        assert_eq!(
            StatusFlags(0x0400_0008).names(),
            [
                "SL_VL_BINDING_STATUS_OTHER_PC",
                "SL_VL_BINDING_ERROR_NOT_ENOUGH_COUNT"
            ]
        );
        assert_eq!(StatusFlags(0x0400_0008).to_string(), "0x4000008");
    }

    #[test]
    fn clip_is_char_safe() {
        let long = "檔".repeat(400);
        let c = clip(&long);
        assert!(c.len() <= MAX_FIELD && long.starts_with(&c));
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::text::TextEventReader;
    use super::{Timestamp, parse_data, parse_info};

    const IDS: [u32; 9] = [12288, 12289, 12290, 12293, 12294, 8198, 1003, 16394, 0];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn parsers_never_panic(id in proptest::sample::select(IDS.to_vec()), s in "\\PC{0,300}") {
            let _ = parse_info(id, &s);
            let items: Vec<&str> = s.split(',').collect();
            let _ = parse_data(id, &items);
            let _ = Timestamp::parse(&s);
        }

        #[test]
        fn shaped_lists_never_panic(id in proptest::sample::select(IDS.to_vec()),
                                    fields in proptest::collection::vec("(0x[0-9A-Fa-f]{0,9}|[0-9]{0,12}|[ -~]{0,20}|\\{?[0-9a-f-]{36}\\}?)", 0..14)) {
            let joined = fields.join(", ");
            let _ = parse_info(id, &joined);
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            let _ = parse_data(id, &refs);
        }

        #[test]
        fn text_reader_never_panics(lines in proptest::collection::vec(
            "(Log Name: |Source: |Event ID: |Info:|Date: |Computer: |Description:|hr=0x|RuleId=|Publishing the Key Management Service DNS failed )?[ -~檔資訊：]{0,80}", 0..40)) {
            let mut r = TextEventReader::new();
            let mut out = Vec::new();
            for (i, l) in lines.iter().enumerate() {
                r.push_line(l, i as u64 + 1, &mut out);
            }
            r.finish(&mut out);
            prop_assert!(out.len() <= lines.len() + 1);
        }
    }
}
