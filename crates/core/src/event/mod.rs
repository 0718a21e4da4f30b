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
//! | 12308 / 8213 / 8214 / 8215 | client, Application | Active Directory-based activation succeeded (SKU, AO name, AO DN) / failed (error code, KMS ID or SKU, AO) |
//! | 8233 | client, Application | rules engine: failed volume activation (reason code, AppId, SkuId, trigger) |
//! | 12309 / 12310 | VM guest / Hyper-V host, Application | Automatic VM Activation response / request (`hr`) |
//! | 12320 | client, Application | token-based activation succeeded (SKU) |
//! | 8196 / 8230 / 1058 / 16384 | client, Application | scheduler could not activate (code) / schedule re-checked (licensing state) / ACPI key not installed (code) / service restart scheduled (time, reason) |
//!
//! The last five rows are [`SppEvent`]s ([`SPP_IDS`]), read only from an activation provider.
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

mod extra;
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

/// Client: the license activation scheduler could not activate automatically (Windows 7).
pub const AUTO_ACTIVATION_FAILED: u32 = 8196;
/// Client: the rules engine re-evaluated its schedule (carries the licensing state).
pub const SCHEDULE_REEVALUATED: u32 = 8230;
/// Client: the rules engine reported a failed volume-license activation attempt.
pub const VL_ACTIVATION_FAILED: u32 = 8233;
/// Client: installing the product key from the firmware (ACPI) table failed (a warning).
pub const ACPI_KEY_FAILED: u32 = 1058;
/// Client: the Software Protection service scheduled its own restart.
pub const RESTART_SCHEDULED: u32 = 16384;
/// Client: Active Directory-based activation succeeded.
pub const AD_ACTIVATED: u32 = 12308;
/// Client: the activation object could not be read from Active Directory.
pub const AD_OBJECT_NOT_RETRIEVED: u32 = 8213;
/// Client: the Active Directory activation object is not usable.
pub const AD_OBJECT_NOT_USABLE: u32 = 8214;
/// Client: Active Directory-based activation failed.
pub const AD_ACTIVATION_FAILED: u32 = 8215;
/// Guest: processed an Automatic VM Activation response from the Hyper-V host.
pub const AVMA_RESPONSE: u32 = 12309;
/// Hyper-V host: processed an Automatic VM Activation request.
pub const AVMA_REQUEST: u32 = 12310;
/// Client: token-based activation succeeded.
pub const TOKEN_ACTIVATED: u32 = 12320;

/// The Software Protection events read into [`SppEvent`]s. They are read only when the provider
/// is an activation provider ([`is_activation_provider`]): several of these numbers are used by
/// other providers too (1058 by Group Policy, for one), so they are not in [`TYPED_IDS`].
pub const SPP_IDS: [u32; 12] = [
    AUTO_ACTIVATION_FAILED,
    SCHEDULE_REEVALUATED,
    VL_ACTIVATION_FAILED,
    ACPI_KEY_FAILED,
    RESTART_SCHEDULED,
    AD_ACTIVATED,
    AD_OBJECT_NOT_RETRIEVED,
    AD_OBJECT_NOT_USABLE,
    AD_ACTIVATION_FAILED,
    AVMA_RESPONSE,
    AVMA_REQUEST,
    TOKEN_ACTIVATED,
];

/// The Application ID of Windows in the Software Protection platform (`AppId=` of 8198/8233).
pub const WINDOWS_APP_ID: &str = "55c92734-d682-4d71-983e-d6ec3f16059f";
/// The Application ID of Office (2013 and later) in the Software Protection platform.
pub const OFFICE_APP_ID: &str = "0ff1ce15-a989-479d-af46-f275c6370663";

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
    /// 8196, 8230, 8233, 1058, 16384, 12308, 8213, 8214, 8215, 12309, 12310, 12320
    /// ([`SPP_IDS`]): the event is in `event`.
    Spp(SppEvent),
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
            EventData::Spp(s) => s.kind(),
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
            EventData::Spp(s) => s.code().into_iter().collect(),
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

/// One of the Software Protection events of [`SPP_IDS`], with its typed facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SppEvent {
    /// 8196: the license activation scheduler could not activate automatically.
    AutoActivationFailed {
        /// The error code.
        code: Option<ErrorCode>,
    },
    /// 8230: the rules engine re-evaluated its schedule.
    ScheduleReevaluated(RulesState),
    /// 8233: the rules engine reported a failed volume-license activation attempt.
    VlActivationFailed(VlFailure),
    /// 1058: installing the product key from the ACPI table failed.
    AcpiKeyFailed {
        /// The error code.
        code: Option<ErrorCode>,
    },
    /// 16384: the service scheduled its own restart (a routine re-check).
    RestartScheduled {
        /// When the restart is due.
        at: Option<Timestamp>,
        /// Why (`RulesEngine`, …).
        reason: Option<String>,
    },
    /// 12308: Active Directory-based activation succeeded.
    AdActivated(AdActivation),
    /// 8213: the activation object could not be read from Active Directory.
    AdObjectNotRetrieved(AdActivation),
    /// 8214: the Active Directory activation object is not usable.
    AdObjectNotUsable(AdActivation),
    /// 8215: Active Directory-based activation failed.
    AdActivationFailed(AdActivation),
    /// 12309: a guest processed the Hyper-V host's Automatic VM Activation response.
    AvmaResponse(Avma),
    /// 12310: a Hyper-V host processed a guest's Automatic VM Activation request.
    AvmaRequest(Avma),
    /// 12320: token-based activation succeeded.
    TokenActivated {
        /// `Sku Id=`.
        sku_id: Option<String>,
    },
}

impl SppEvent {
    /// A short stable name: `ad_activated`, `vl_activation_failed`, ….
    pub fn kind(&self) -> &'static str {
        match self {
            SppEvent::AutoActivationFailed { .. } => "auto_activation_failed",
            SppEvent::ScheduleReevaluated(_) => "schedule_reevaluated",
            SppEvent::VlActivationFailed(_) => "vl_activation_failed",
            SppEvent::AcpiKeyFailed { .. } => "acpi_key_failed",
            SppEvent::RestartScheduled { .. } => "restart_scheduled",
            SppEvent::AdActivated(_) => "ad_activated",
            SppEvent::AdObjectNotRetrieved(_) => "ad_object_not_retrieved",
            SppEvent::AdObjectNotUsable(_) => "ad_object_not_usable",
            SppEvent::AdActivationFailed(_) => "ad_activation_failed",
            SppEvent::AvmaResponse(_) => "avma_response",
            SppEvent::AvmaRequest(_) => "avma_request",
            SppEvent::TokenActivated { .. } => "token_activated",
        }
    }

    /// What the event says, in a few words (the label of the event in lists).
    pub fn title(&self, lang: crate::Lang) -> &'static str {
        let (en, zh) = match self {
            SppEvent::AutoActivationFailed { .. } => {
                ("automatic activation could not run", "自動啟用未能執行")
            }
            SppEvent::ScheduleReevaluated(_) => {
                ("licensing schedule re-checked", "授權排程已重新評估")
            }
            SppEvent::VlActivationFailed(_) => {
                ("volume activation attempt failed", "大量授權啟用嘗試失敗")
            }
            SppEvent::AcpiKeyFailed { .. } => (
                "firmware (ACPI) product key not installed",
                "未能安裝韌體 (ACPI) 中的產品金鑰",
            ),
            SppEvent::RestartScheduled { .. } => (
                "service restart scheduled (routine)",
                "已排定服務重新啟動（例行）",
            ),
            SppEvent::AdActivated(_) => (
                "activated through Active Directory",
                "已透過 Active Directory 啟用",
            ),
            SppEvent::AdObjectNotRetrieved(_) => {
                ("AD activation object not readable", "無法讀取 AD 啟用物件")
            }
            SppEvent::AdObjectNotUsable(_) => {
                ("AD activation object not usable", "AD 啟用物件無法使用")
            }
            SppEvent::AdActivationFailed(_) => (
                "Active Directory activation failed",
                "Active Directory 啟用失敗",
            ),
            SppEvent::AvmaResponse(_) => (
                "VM processed its Hyper-V host's AVMA answer",
                "虛擬機器已處理 Hyper-V 主機的 AVMA 回應",
            ),
            SppEvent::AvmaRequest(_) => (
                "Hyper-V host processed a VM's AVMA request",
                "Hyper-V 主機已處理虛擬機器的 AVMA 要求",
            ),
            SppEvent::TokenActivated { .. } => {
                ("token-based activation succeeded", "權杖型啟用成功")
            }
        };
        lang.pick(en, zh)
    }

    /// The code the event carries (8233: its reason; 8230: the last consumption reason).
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            SppEvent::AutoActivationFailed { code } | SppEvent::AcpiKeyFailed { code } => *code,
            SppEvent::ScheduleReevaluated(r) => r.last_reason,
            SppEvent::VlActivationFailed(v) => v.reason,
            SppEvent::AdActivated(a)
            | SppEvent::AdObjectNotRetrieved(a)
            | SppEvent::AdObjectNotUsable(a)
            | SppEvent::AdActivationFailed(a) => a.code,
            SppEvent::AvmaResponse(a) | SppEvent::AvmaRequest(a) => a.code,
            SppEvent::RestartScheduled { .. } | SppEvent::TokenActivated { .. } => None,
        }
    }

    /// The product (SKU ID) the event is about, when it names one.
    pub fn sku_id(&self) -> Option<&str> {
        match self {
            SppEvent::ScheduleReevaluated(r) => r.sku_id.as_deref(),
            SppEvent::VlActivationFailed(v) => v.sku_id.as_deref(),
            SppEvent::AdActivated(a)
            | SppEvent::AdObjectNotRetrieved(a)
            | SppEvent::AdObjectNotUsable(a)
            | SppEvent::AdActivationFailed(a) => a.sku_id.as_deref(),
            SppEvent::TokenActivated { sku_id } => sku_id.as_deref(),
            _ => None,
        }
    }

    /// Whether the event says the machine is activated now: 12308, 12320, a 12309 with a
    /// success code, or an 8230 whose state is `SL_LICENSING_STATUS_LICENSED`.
    pub fn is_success(&self) -> bool {
        match self {
            SppEvent::AdActivated(_) | SppEvent::TokenActivated { .. } => true,
            SppEvent::AvmaResponse(a) => a.code.is_some_and(|c| c.value() == 0),
            SppEvent::ScheduleReevaluated(r) => r.is_licensed(),
            _ => false,
        }
    }
}

/// 8230: the licensing state the rules engine re-evaluated (from its `Key=Value;…` list).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct RulesState {
    /// `AppId=`.
    pub app_id: Option<String>,
    /// `SkuId=`.
    pub sku_id: Option<String>,
    /// `LicenseState=` (`SL_LICENSING_STATUS_LICENSED`, …).
    pub license_state: Option<String>,
    /// `ProductKeyType=` (`Volume:GVLK`, `Retail:TB:Eval`, …).
    pub product_key_type: Option<String>,
    /// `PartialProductKey=`: at most the last five characters.
    pub partial_key: Option<String>,
    /// `GraceEndDate=`, as logged.
    pub grace_end: Option<String>,
    /// `LastConsumptionReason=`.
    pub last_reason: Option<ErrorCode>,
}

impl RulesState {
    /// Whether the state is `SL_LICENSING_STATUS_LICENSED`.
    pub fn is_licensed(&self) -> bool {
        self.license_state
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("SL_LICENSING_STATUS_LICENSED"))
    }
}

/// 8233: a failed volume-license activation attempt.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct VlFailure {
    /// `Reason:` (an HRESULT such as 0x8007007B).
    pub reason: Option<ErrorCode>,
    /// `AppId =` ([`OFFICE_APP_ID`] for Office, [`WINDOWS_APP_ID`] for Windows).
    pub app_id: Option<String>,
    /// `SkuId =`.
    pub sku_id: Option<String>,
    /// `Trigger=`.
    pub trigger: Option<String>,
}

impl VlFailure {
    /// Whether the attempt was Office's.
    pub fn is_office(&self) -> bool {
        self.app_id.as_deref() == Some(OFFICE_APP_ID)
    }
}

/// 12308, 8213, 8214, 8215: Active Directory-based activation (each event fills its fields).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct AdActivation {
    /// `Error Code =` (8213, 8214, 8215).
    pub code: Option<ErrorCode>,
    /// `Kms Id =` (8213, 8214).
    pub kms_id: Option<String>,
    /// `Sku Id =` (8215, 12308).
    pub sku_id: Option<String>,
    /// `AO name =` (8214, 12308).
    pub ao_name: Option<String>,
    /// `AO DN =` (8214, 12308).
    pub ao_dn: Option<String>,
}

/// 12309 / 12310: Automatic VM Activation.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Avma {
    /// `Returned hr=`.
    pub code: Option<ErrorCode>,
    /// The second insertion string, as logged.
    pub detail: Option<String>,
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

    const IDS: [u32; 15] = [
        12288, 12289, 12290, 12293, 12294, 8198, 1003, 16394, 0, 8233, 12308, 8214, 12309, 16384,
        8230,
    ];

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
