//! What `slmgr.vbs /dli`, `/dlv` and `/xpr` print about one product: the license snapshot and
//! its KMS client and host sections, as read by [`super::parse`].

use serde::Serialize;
use volact_core::ErrorCode;

/// The license state, from the `License Status:` line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LicenseState {
    /// `Unlicensed` (0).
    Unlicensed,
    /// `Licensed` (1).
    Licensed,
    /// `Initial grace period` (2, OOB grace).
    InitialGrace,
    /// `Additional grace period (KMS license expired or hardware out of tolerance)` (3).
    AdditionalGrace,
    /// `Non-genuine grace period.` (4).
    NonGenuineGrace,
    /// `Notification` (5).
    Notification,
    /// `Extended grace period` (6).
    ExtendedGrace,
    /// Something else.
    Other,
}

impl LicenseState {
    pub(crate) fn parse(s: &str) -> LicenseState {
        let l = s.trim().trim_end_matches('.').to_ascii_lowercase();
        if l == "unlicensed" {
            LicenseState::Unlicensed
        } else if l == "licensed" {
            LicenseState::Licensed
        } else if l.starts_with("initial grace") {
            LicenseState::InitialGrace
        } else if l.starts_with("additional grace") {
            LicenseState::AdditionalGrace
        } else if l.starts_with("non-genuine grace") {
            LicenseState::NonGenuineGrace
        } else if l.starts_with("notification") {
            LicenseState::Notification
        } else if l.starts_with("extended grace") {
            LicenseState::ExtendedGrace
        } else {
            LicenseState::Other
        }
    }

    /// The `LicenseStatus` number WMI uses, when there is one.
    pub fn number(self) -> Option<u8> {
        match self {
            LicenseState::Unlicensed => Some(0),
            LicenseState::Licensed => Some(1),
            LicenseState::InitialGrace => Some(2),
            LicenseState::AdditionalGrace => Some(3),
            LicenseState::NonGenuineGrace => Some(4),
            LicenseState::Notification => Some(5),
            LicenseState::ExtendedGrace => Some(6),
            LicenseState::Other => None,
        }
    }

    pub(crate) fn is_grace(self) -> bool {
        matches!(
            self,
            LicenseState::InitialGrace
                | LicenseState::AdditionalGrace
                | LicenseState::NonGenuineGrace
                | LicenseState::ExtendedGrace
        )
    }
}

/// The `Key Management Service client information` section.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KmsClient {
    /// `Client Machine ID (CMID):`.
    pub cmid: Option<String>,
    /// `Registered KMS machine name:` (set with `/skms`).
    pub registered_kms_name: Option<String>,
    /// `Registered KMS SRV record lookup domain:`.
    pub srv_lookup_domain: Option<String>,
    /// `KMS machine name from DNS:`.
    pub kms_name_from_dns: Option<String>,
    /// `DNS auto-discovery: KMS name not available`.
    pub dns_discovery_failed: bool,
    /// `KMS machine IP address:`.
    pub kms_ip: Option<String>,
    /// `KMS machine extended PID:`.
    pub kms_extended_pid: Option<String>,
    /// `Activation interval:` in minutes.
    pub activation_interval_minutes: Option<u64>,
    /// `Renewal interval:` in minutes.
    pub renewal_interval_minutes: Option<u64>,
    /// `KMS host caching is enabled|disabled`.
    pub host_caching: Option<bool>,
}

/// The host section: `Key Management Service is enabled on this machine` and what follows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct KmsHost {
    /// `Current count:`.
    pub current_count: Option<u64>,
    /// `Listening on Port:`.
    pub listening_port: Option<u16>,
    /// `DNS publishing enabled|disabled`.
    pub dns_publishing: Option<bool>,
    /// `KMS priority:`.
    pub priority: Option<String>,
    /// `Total requests received:`.
    pub total_requests: Option<u64>,
    /// `Failed requests received:`.
    pub failed_requests: Option<u64>,
    /// `Requests with License Status …:` lines, in order: (status as printed, count).
    pub requests_by_status: Vec<(String, u64)>,
}

/// One product's license information as `slmgr /dli`, `/dlv` or `/xpr` printed it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Snapshot {
    /// First line of the snapshot (1-based).
    pub line: u64,
    /// Last line that belonged to it.
    pub end_line: u64,
    /// `Software licensing service version:` (`/dlv`).
    pub service_version: Option<String>,
    /// `Name:`.
    pub name: Option<String>,
    /// `Description:`.
    pub description: Option<String>,
    /// The channel named in the description (`VOLUME_KMSCLIENT`, `VOLUME_KMS_C`, `RETAIL`, …).
    pub channel: Option<String>,
    /// `Activation ID:`.
    pub activation_id: Option<String>,
    /// `Application ID:`.
    pub application_id: Option<String>,
    /// `Extended PID:`.
    pub extended_pid: Option<String>,
    /// `Product Key Channel:`.
    pub product_key_channel: Option<String>,
    /// `Partial Product Key:` (the last five characters only; slmgr never prints more).
    pub partial_product_key: Option<String>,
    /// `License Status:` as printed.
    pub license_status: Option<String>,
    /// The license state read from it.
    pub license_state: Option<LicenseState>,
    /// `Notification Reason:`.
    pub notification_reason: Option<ErrorCode>,
    /// `Volume activation expiration:` (or another `… expiration:` line) as printed.
    pub expiration: Option<String>,
    /// Minutes read from the expiration line.
    pub expiration_minutes: Option<u64>,
    /// `Time remaining:` as printed.
    pub time_remaining: Option<String>,
    /// Minutes read from the time-remaining line.
    pub time_remaining_minutes: Option<u64>,
    /// `Remaining Windows rearm count:` (or SKU/App rearm count).
    pub rearm_count: Option<i64>,
    /// `Trusted time:`.
    pub trusted_time: Option<String>,
    /// `Configured Activation Type:`.
    pub activation_type: Option<String>,
    /// What `/xpr` printed (`Volume activation will expire …`, `The machine is permanently activated.`).
    pub xpr: Option<String>,
    /// Whether slmgr asked to run `/ato` (an unactivated KMS client).
    pub asks_for_ato: bool,
    /// The KMS client section, when printed.
    pub kms_client: Option<KmsClient>,
    /// The KMS host section, when printed.
    pub kms_host: Option<KmsHost>,
}

impl Snapshot {
    pub(crate) fn is_meaningful(&self) -> bool {
        self.license_status.is_some()
            || self.channel.is_some()
            || self.service_version.is_some()
            || self.kms_client.is_some()
            || self.partial_product_key.is_some()
            || self.kms_host.is_some()
            || self.xpr.is_some()
    }

    /// Whether the description names a KMS client channel (`VOLUME_KMSCLIENT`) or the key channel is a GVLK.
    pub fn is_kms_client(&self) -> bool {
        self.channel.as_deref() == Some("VOLUME_KMSCLIENT")
            || self
                .product_key_channel
                .as_deref()
                .is_some_and(|c| c.contains("GVLK"))
            || self.kms_client.is_some()
    }

    /// Whether the product name says Windows Server.
    pub fn is_server(&self) -> bool {
        let n = self.name.as_deref().unwrap_or("").to_ascii_lowercase();
        n.contains("server")
    }
}
