//! What `slmgr.vbs /dli`, `/dlv` and `/xpr` print about one product: the license snapshot and
//! its KMS client and host sections, as read by [`super::parse`].

use serde::Serialize;
use volact_core::ErrorCode;

/// What slmgr prints on its `License Status:` line, as the one license state type of volact.
/// Text volact does not know reads as [`UNKNOWN_STATE`] (slmgr prints words, not the number).
pub use volact_core::kms::LicenseState;

/// The state of a `License Status:` text volact does not know.
pub const UNKNOWN_STATE: LicenseState = LicenseState::Other(u32::MAX);

/// Reads a `License Status:` value, in English or in any language of the label tables.
pub(crate) fn parse_state(s: &str) -> LicenseState {
    let state = parse_state_en(s);
    if state != UNKNOWN_STATE {
        return state;
    }
    let key = super::labels::value_key(s).map(|k| super::labels::KEYS[k].0);
    match key {
        Some("state_unlicensed") => LicenseState::Unlicensed,
        Some("state_licensed") => LicenseState::Licensed,
        Some("state_oob") => LicenseState::OobGrace,
        Some("state_oot") => LicenseState::OotGrace,
        Some("state_non_genuine") => LicenseState::NonGenuineGrace,
        Some("state_notification") => LicenseState::Notification,
        Some("state_extended") => LicenseState::ExtendedGrace,
        _ => UNKNOWN_STATE,
    }
}

/// Reads an English `License Status:` value.
fn parse_state_en(s: &str) -> LicenseState {
    let l = s.trim().trim_end_matches('.').to_ascii_lowercase();
    if l == "unlicensed" {
        LicenseState::Unlicensed
    } else if l == "licensed" {
        LicenseState::Licensed
    } else if l.starts_with("initial grace") {
        LicenseState::OobGrace
    } else if l.starts_with("additional grace") {
        LicenseState::OotGrace
    } else if l.starts_with("non-genuine grace") {
        LicenseState::NonGenuineGrace
    } else if l.starts_with("notification") {
        LicenseState::Notification
    } else if l.starts_with("extended grace") {
        LicenseState::ExtendedGrace
    } else {
        UNKNOWN_STATE
    }
}

/// Whether the state is one of the grace periods.
pub(crate) fn is_grace(s: LicenseState) -> bool {
    matches!(
        s,
        LicenseState::OobGrace
            | LicenseState::OotGrace
            | LicenseState::NonGenuineGrace
            | LicenseState::ExtendedGrace
    )
}

/// The word scan's JSON has always used for a state (`initial-grace`, `other`, …).
pub fn state_id(s: LicenseState) -> &'static str {
    match s {
        LicenseState::Unlicensed => "unlicensed",
        LicenseState::Licensed => "licensed",
        LicenseState::OobGrace => "initial-grace",
        LicenseState::OotGrace => "additional-grace",
        LicenseState::NonGenuineGrace => "non-genuine-grace",
        LicenseState::Notification => "notification",
        LicenseState::ExtendedGrace => "extended-grace",
        LicenseState::Other(_) => "other",
    }
}

/// Serialises `Snapshot::license_state` with [`state_id`].
fn serialize_state<S: serde::Serializer>(
    s: &Option<LicenseState>,
    out: S,
) -> Result<S::Ok, S::Error> {
    match s {
        Some(s) => out.serialize_str(state_id(*s)),
        None => out.serialize_none(),
    }
}

/// Which product family a snapshot is about.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Product {
    /// Windows (or a product slmgr names without saying Office).
    #[default]
    Windows,
    /// Office: read from `ospp.vbs /dstatus` or `/act`, or an slmgr product named `Office …`.
    Office,
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

/// The `AD Activation client information` section (Active Directory-based activation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AdClient {
    /// `Activation Object name:`.
    pub ao_name: Option<String>,
    /// `AO DN:`.
    pub ao_dn: Option<String>,
    /// `AO extended PID:`.
    pub ao_extended_pid: Option<String>,
    /// `AO activation ID:`.
    pub ao_activation_id: Option<String>,
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
    /// The license state read from it (serialised as [`state_id`] says).
    #[serde(serialize_with = "serialize_state")]
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
    /// The Active Directory-based activation section, when printed.
    pub ad_client: Option<AdClient>,
    /// The language the output was in (BCP-47: `en`, `zh-CN`, …), or `unknown` when no label
    /// of any table was read (values then come from their shape only).
    pub language: String,
    /// Windows or Office.
    pub product: Product,
    /// What an activation attempt (`slmgr /ato`, `ospp.vbs /act`) gave: success or failure.
    pub activation_succeeded: Option<bool>,
    /// `ERROR CODE:` (ospp) or the code of slmgr's `Error:` line after an activation attempt.
    pub error_code: Option<ErrorCode>,
    /// `ERROR DESCRIPTION:` (ospp) or the rest of slmgr's `Error:` line.
    pub error_description: Option<String>,
    /// The code of ospp's `NOTICE: A KB article has been detected for activation failure:` line.
    pub kb_notice: Option<ErrorCode>,
    /// ospp's `FOR MORE INFORMATION PLEASE VISIT:` address.
    pub more_info: Option<String>,
    /// The edition in volact's product table that the Activation ID names (or, when no known ID
    /// was printed, the edition whose published KMS client setup key ends with the partial key).
    pub edition: Option<super::known::Edition>,
    /// The edition whose published KMS client setup key (GVLK) ends with the partial product key:
    /// the installed key is that GVLK. `None` when the partial key is no published GVLK.
    pub gvlk_edition: Option<&'static str>,
    /// A KMS host's host key (CSVLK group), named by its Activation ID, with what it activates
    /// and what it cannot.
    pub host_key: Option<super::known::HostKey>,
    /// Fields read from the shape of a value (a GUID, a five-character key, `host:port`, …)
    /// because their label was not in any table.
    pub read_by_shape: Vec<&'static str>,
}

impl Snapshot {
    pub(crate) fn is_meaningful(&self) -> bool {
        self.license_status.is_some()
            || self.channel.is_some()
            || self.service_version.is_some()
            || self.kms_client.is_some()
            || self.partial_product_key.is_some()
            || self.kms_host.is_some()
            || self.ad_client.is_some()
            || self.xpr.is_some()
            || self.activation_succeeded.is_some()
            || self.error_code.is_some()
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
