//! `slmgr.vbs /dli`, `/dlv` and `/xpr` output (English labels), read line by line into per-product
//! license snapshots, and a diagnosis of each snapshot.
//!
//! The parser is a small state machine fed one line at a time ([`SlmgrParser::push_line`]), so it
//! works on streams and on text mixed with other log lines. A snapshot starts at `Name:` (or the
//! `Software licensing service version:` line that `/dlv` prints first) and collects the labels
//! that follow; unknown lines are ignored, and a stretch of unrelated lines ends the snapshot.

use serde::Serialize;
use volact_core::{ErrorCode, Lang};

/// Lines without any slmgr label after which an open snapshot is closed.
const MAX_GAP: u32 = 12;

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
    fn parse(s: &str) -> LicenseState {
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

    fn is_grace(self) -> bool {
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
    fn is_meaningful(&self) -> bool {
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

/// How much a diagnosis matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// All is well.
    Ok,
    /// Worth knowing.
    Info,
    /// Needs attention.
    Attention,
}

/// One finding about a snapshot.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    /// A stable identifier of the finding (`licensed`, `notification`, `kms-count-below-threshold`, …).
    pub kind: &'static str,
    /// How much it matters.
    pub severity: Severity,
    /// The code this state produces or was caused by, when there is one.
    pub code: Option<ErrorCode>,
    /// One sentence in the report's language.
    pub message: String,
}

fn days(minutes: u64) -> u64 {
    minutes / (24 * 60)
}

/// Client and server KMS activation thresholds (ACTIVATION-FACTS §3.2).
const CLIENT_THRESHOLD: u64 = 25;
const SERVER_THRESHOLD: u64 = 5;

/// What a snapshot says about the machine, in `lang`.
pub fn diagnose(s: &Snapshot, lang: Lang) -> Vec<Diagnosis> {
    let zh = lang == Lang::ZhTw;
    let mut out = Vec::new();
    let mut push = |kind, severity, code: Option<u32>, en: String, zh_text: String| {
        out.push(Diagnosis {
            kind,
            severity,
            code: code.map(ErrorCode::new),
            message: if zh { zh_text } else { en },
        });
    };
    let kms_client = s.is_kms_client();
    match s.license_state {
        Some(LicenseState::Licensed) => {
            let left = s.expiration_minutes.map(days);
            push(
                "licensed",
                Severity::Ok,
                None,
                match left {
                    Some(d) => format!("Activated; this activation is valid for {d} more day(s)."),
                    None => "Activated.".to_owned(),
                },
                match left {
                    Some(d) => format!("已啟用；這次啟用還有 {d} 天有效。"),
                    None => "已啟用。".to_owned(),
                },
            );
        }
        Some(LicenseState::Notification) => {
            let reason = s.notification_reason;
            push(
                "notification",
                Severity::Attention,
                reason.map(ErrorCode::value),
                match reason {
                    Some(r) => format!(
                        "Not activated: Windows is in notification mode, reason {r} (see the code's explanation)."
                    ),
                    None => "Not activated: Windows is in notification mode.".to_owned(),
                },
                match reason {
                    Some(r) => {
                        format!("未啟用：Windows 處於通知模式，原因碼 {r}（請看該代碼的說明）。")
                    }
                    None => "未啟用：Windows 處於通知模式。".to_owned(),
                },
            );
        }
        Some(LicenseState::Unlicensed) => push(
            "unlicensed",
            Severity::Attention,
            None,
            "Not activated: the product is unlicensed.".to_owned(),
            "未啟用：此產品沒有授權。".to_owned(),
        ),
        Some(st) if st.is_grace() => {
            let left = s.time_remaining_minutes.or(s.expiration_minutes).map(days);
            let what_en = match st {
                LicenseState::InitialGrace => "the initial grace period",
                LicenseState::AdditionalGrace => {
                    "the additional grace period (KMS activation expired or hardware changed too much)"
                }
                LicenseState::NonGenuineGrace => "the non-genuine grace period",
                _ => "the extended grace period",
            };
            let what_zh = match st {
                LicenseState::InitialGrace => "初始寬限期",
                LicenseState::AdditionalGrace => "額外寬限期（KMS 啟用已過期或硬體變動過多）",
                LicenseState::NonGenuineGrace => "非正版寬限期",
                _ => "延長寬限期",
            };
            push(
                "grace-period",
                Severity::Attention,
                None,
                match left {
                    Some(d) => format!(
                        "Not activated yet: in {what_en}, {d} day(s) left; activate before it ends."
                    ),
                    None => format!("Not activated yet: in {what_en}; activate before it ends."),
                },
                match left {
                    Some(d) => {
                        format!("尚未啟用：處於{what_zh}，剩下 {d} 天；請在期限前完成啟用。")
                    }
                    None => format!("尚未啟用：處於{what_zh}；請在期限前完成啟用。"),
                },
            );
        }
        _ => {}
    }
    let activated = s.license_state == Some(LicenseState::Licensed);
    if kms_client && !activated && s.license_state.is_some() {
        let c = s.kms_client.as_ref();
        let no_host = c.is_some_and(|c| {
            c.dns_discovery_failed
                && c.registered_kms_name.is_none()
                && c.kms_name_from_dns.is_none()
        });
        if no_host {
            push(
                "kms-host-not-found",
                Severity::Attention,
                Some(0x8007_232B),
                "KMS client without a KMS host: none is set with /skms and DNS auto-discovery found none (_vlmcs._tcp SRV record); activation fails with 0x8007232B.".to_owned(),
                "KMS 用戶端找不到 KMS 主機：沒有以 /skms 指定，DNS 自動探索也找不到（_vlmcs._tcp SRV 記錄）；啟用會以 0x8007232B 失敗。".to_owned(),
            );
        } else {
            push(
                "kms-client-not-activated",
                Severity::Attention,
                None,
                "KMS client not activated: run `slmgr.vbs /ato` and read the code it prints; check DNS and TCP 1688 to the KMS host (`volact doctor`).".to_owned(),
                "KMS 用戶端未啟用：執行 `slmgr.vbs /ato` 並查看顯示的代碼；檢查 DNS 與連到 KMS 主機的 TCP 1688（`volact doctor`）。".to_owned(),
            );
        }
    }
    if let Some(h) = &s.kms_host {
        if let Some(n) = h.current_count {
            if n < SERVER_THRESHOLD {
                push(
                    "kms-count-below-threshold",
                    Severity::Attention,
                    Some(0xC004_F038),
                    format!(
                        "KMS host count is {n}: below {SERVER_THRESHOLD} (servers) and {CLIENT_THRESHOLD} (client OS), so every KMS client it serves gets 0xC004F038 until enough distinct machines ask."
                    ),
                    format!(
                        "KMS 主機計數為 {n}：低於 {SERVER_THRESHOLD}（伺服器）與 {CLIENT_THRESHOLD}（用戶端作業系統），所以在足夠的不同電腦提出要求前，它服務的每個 KMS 用戶端都會收到 0xC004F038。"
                    ),
                );
            } else if n < CLIENT_THRESHOLD {
                push(
                    "kms-count-below-threshold",
                    Severity::Attention,
                    Some(0xC004_F038),
                    format!(
                        "KMS host count is {n}: servers and volume Office activate (threshold {SERVER_THRESHOLD}), but Windows client OS computers get 0xC004F038 until the count reaches {CLIENT_THRESHOLD}."
                    ),
                    format!(
                        "KMS 主機計數為 {n}：伺服器與大量授權 Office 可以啟用（門檻 {SERVER_THRESHOLD}），但 Windows 用戶端作業系統在計數達到 {CLIENT_THRESHOLD} 前會收到 0xC004F038。"
                    ),
                );
            } else {
                push(
                    "kms-count-sufficient",
                    Severity::Ok,
                    None,
                    format!(
                        "KMS host count is {n}: enough for both client OS ({CLIENT_THRESHOLD}) and server ({SERVER_THRESHOLD}) activation."
                    ),
                    format!(
                        "KMS 主機計數為 {n}：足以啟用用戶端作業系統（{CLIENT_THRESHOLD}）與伺服器（{SERVER_THRESHOLD}）。"
                    ),
                );
            }
        }
        if let Some(f) = h.failed_requests.filter(|f| *f > 0) {
            let total = h.total_requests.unwrap_or(0);
            push(
                "kms-failed-requests",
                Severity::Info,
                None,
                format!(
                    "The KMS host has received {f} failed request(s) out of {total}; the clients' events 12288/12289 and the host's 12290 tell why."
                ),
                format!(
                    "KMS 主機收到的 {total} 個要求中有 {f} 個失敗；用戶端事件 12288/12289 與主機的 12290 會說明原因。"
                ),
            );
        }
        if h.dns_publishing == Some(false) {
            push(
                "kms-dns-publishing-off",
                Severity::Info,
                None,
                "The KMS host does not publish its _vlmcs._tcp SRV record; clients need the record created by hand or /skms.".to_owned(),
                "KMS 主機未發佈 _vlmcs._tcp SRV 記錄；用戶端需要手動建立記錄或使用 /skms。".to_owned(),
            );
        }
    }
    out
}

/// Reads slmgr output line by line.
#[derive(Debug, Default)]
pub struct SlmgrParser {
    current: Option<Snapshot>,
    section: Section,
    gap: u32,
    /// The line before, when it may be a product name printed by `/xpr` (`Windows(R), … edition:`).
    xpr_name: Option<String>,
    done: Vec<Snapshot>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Section {
    #[default]
    Main,
    Client,
    Host,
}

fn after<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(label)?;
    Some(rest.trim())
}

fn some(v: &str) -> Option<String> {
    let v = volact_core::key::redact_keys_in(v.trim()).into_owned();
    (!v.is_empty()).then_some(v)
}

fn first_number(s: &str) -> Option<u64> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let digits: String = s[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn channel_of(description: &str) -> Option<String> {
    let i = description.find(" channel")?;
    let word = description[..i].rsplit([' ', ',']).next()?;
    let ok = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    ok.then(|| word.to_owned())
}

impl SlmgrParser {
    /// A new parser.
    pub fn new() -> Self {
        Self::default()
    }

    fn close(&mut self) {
        if let Some(s) = self.current.take()
            && s.is_meaningful()
        {
            self.done.push(s);
        }
        self.section = Section::Main;
        self.gap = 0;
    }

    fn open(&mut self, line_no: u64) -> &mut Snapshot {
        self.current.get_or_insert_with(|| Snapshot {
            line: line_no,
            end_line: line_no,
            ..Snapshot::default()
        })
    }

    /// Feeds one line (with or without its line break).
    pub fn push_line(&mut self, line: &str, line_no: u64) {
        let t = line.trim();
        if t.is_empty() {
            return;
        }
        if !self.take(t, line_no) {
            self.gap += 1;
            if self.gap > MAX_GAP {
                self.close();
            }
            // A possible /xpr product line: ends with ':' and names an edition.
            self.xpr_name =
                (t.ends_with(':') && t.len() < 200).then(|| t[..t.len() - 1].to_owned());
        } else {
            self.gap = 0;
            if let Some(s) = self.current.as_mut() {
                s.end_line = line_no;
            }
        }
    }

    /// Handles a line; returns whether it was slmgr output.
    fn take(&mut self, t: &str, n: u64) -> bool {
        if let Some(v) = after(t, "Software licensing service version:") {
            self.close();
            self.open(n).service_version = some(v);
            return true;
        }
        if let Some(v) = after(t, "Name:") {
            let keep = self
                .current
                .as_ref()
                .is_some_and(|s| s.name.is_none() && s.license_status.is_none());
            if !keep {
                self.close();
            }
            self.open(n).name = some(v);
            self.section = Section::Main;
            return true;
        }
        // /xpr
        let xpr = t.contains("will expire")
            || t.starts_with("The machine is permanently activated")
            || t.contains("grace period ends")
            || t.contains("in Notification mode");
        if xpr
            && self
                .current
                .as_ref()
                .is_none_or(|s| s.license_status.is_some())
        {
            let name = self.xpr_name.take();
            self.close();
            let first = if name.is_some() {
                n.saturating_sub(1).max(1)
            } else {
                n
            };
            let s = self.open(first);
            s.name = name.as_deref().and_then(some);
            s.end_line = n;
            s.xpr = some(t);
            if t.starts_with("The machine is permanently activated") || t.contains("will expire") {
                s.license_state = Some(LicenseState::Licensed);
            } else if t.contains("in Notification mode") {
                s.license_state = Some(LicenseState::Notification);
            } else if t.starts_with("Initial grace") {
                s.license_state = Some(LicenseState::InitialGrace);
            } else if t.starts_with("Additional grace") {
                s.license_state = Some(LicenseState::AdditionalGrace);
            } else if t.starts_with("Non-genuine grace") {
                s.license_state = Some(LicenseState::NonGenuineGrace);
            } else if t.starts_with("Extended grace") {
                s.license_state = Some(LicenseState::ExtendedGrace);
            }
            self.close();
            return true;
        }
        let strong = [
            "License Status:",
            "Partial Product Key:",
            "Key Management Service is enabled on this machine",
            "Key Management Service client information",
        ]
        .iter()
        .any(|l| t.starts_with(l));
        if self.current.is_none() && !strong {
            return false;
        }
        let section = self.section;
        let s = self.open(n);
        if let Some(v) = after(t, "Description:") {
            s.channel = channel_of(v);
            s.description = some(v);
        } else if let Some(v) = after(t, "Activation ID:") {
            s.activation_id = some(v);
        } else if let Some(v) = after(t, "Application ID:") {
            s.application_id = some(v);
        } else if let Some(v) = after(t, "Extended PID:") {
            s.extended_pid = some(v);
        } else if let Some(v) = after(t, "Product Key Channel:") {
            s.product_key_channel = some(v);
        } else if let Some(v) = after(t, "Partial Product Key:") {
            s.partial_product_key = some(v);
        } else if let Some(v) = after(t, "License Status:") {
            s.license_state = Some(LicenseState::parse(v));
            s.license_status = some(v);
        } else if let Some(v) = after(t, "Notification Reason:") {
            s.notification_reason = volact_core::find::find_codes(v)
                .first()
                .map(|f| f.code)
                .or_else(|| ErrorCode::parse(v.trim().trim_end_matches('.')).ok());
        } else if t.contains("expiration:") && !t.contains("Trusted") {
            let v = t.split_once("expiration:").map(|x| x.1).unwrap_or("");
            s.expiration_minutes = first_number(v);
            s.expiration = some(t);
        } else if let Some(v) = after(t, "Time remaining:") {
            s.time_remaining_minutes = first_number(v);
            s.time_remaining = some(v);
        } else if t.starts_with("Remaining") && t.contains("rearm count:") {
            let v = t.split_once(':').map(|x| x.1).unwrap_or("").trim();
            s.rearm_count = v.parse().ok();
        } else if let Some(v) = after(t, "Trusted time:") {
            s.trusted_time = some(v);
        } else if let Some(v) = after(t, "Configured Activation Type:") {
            s.activation_type = some(v);
        } else if t.starts_with("Please use slmgr.vbs /ato") {
            s.asks_for_ato = true;
        } else if t.starts_with("Installation ID:")
            || t.ends_with("Certificate URL:")
            || t.starts_with("Use License URL:")
            || t.starts_with("Validation URL:")
            || t.contains("Certificate URL:")
        {
            // Known labels without diagnostic value.
        } else if t.starts_with("Key Management Service client information") {
            s.kms_client.get_or_insert_with(KmsClient::default);
            self.section = Section::Client;
        } else if t.starts_with("Key Management Service is enabled on this machine")
            || t.starts_with("Key Management Service cumulative requests")
        {
            s.kms_host.get_or_insert_with(KmsHost::default);
            self.section = Section::Host;
        } else if section == Section::Client || t.starts_with("Client Machine ID") {
            let c = s.kms_client.get_or_insert_with(KmsClient::default);
            if let Some(v) = after(t, "Client Machine ID (CMID):") {
                c.cmid = some(v);
            } else if let Some(v) = after(t, "Registered KMS machine name:") {
                c.registered_kms_name = some(v);
            } else if let Some(v) = after(t, "Registered KMS SRV record lookup domain:") {
                c.srv_lookup_domain = some(v);
            } else if let Some(v) = after(t, "KMS machine name from DNS:") {
                c.kms_name_from_dns = some(v);
            } else if t.starts_with("DNS auto-discovery: KMS name not available") {
                c.dns_discovery_failed = true;
            } else if let Some(v) = after(t, "KMS machine IP address:") {
                c.kms_ip = some(v);
            } else if let Some(v) = after(t, "KMS machine extended PID:") {
                c.kms_extended_pid = some(v);
            } else if let Some(v) = after(t, "Activation interval:") {
                c.activation_interval_minutes = first_number(v);
            } else if let Some(v) = after(t, "Renewal interval:") {
                c.renewal_interval_minutes = first_number(v);
            } else if t.starts_with("KMS host caching is enabled") {
                c.host_caching = Some(true);
            } else if t.starts_with("KMS host caching is disabled") {
                c.host_caching = Some(false);
            } else {
                return false;
            }
        } else if section == Section::Host {
            let h = s.kms_host.get_or_insert_with(KmsHost::default);
            if let Some(v) = after(t, "Current count:") {
                h.current_count = first_number(v);
            } else if let Some(v) = after(t, "Listening on Port:") {
                h.listening_port = first_number(v).and_then(|p| u16::try_from(p).ok());
            } else if t.starts_with("DNS publishing enabled") {
                h.dns_publishing = Some(true);
            } else if t.starts_with("DNS publishing disabled") {
                h.dns_publishing = Some(false);
            } else if let Some(v) = after(t, "KMS priority:") {
                h.priority = some(v);
            } else if let Some(v) = after(t, "Total requests received:") {
                h.total_requests = first_number(v);
            } else if let Some(v) = after(t, "Failed requests received:") {
                h.failed_requests = first_number(v);
            } else if let Some(rest) = t.strip_prefix("Requests with License Status ") {
                if let Some((status, count)) = rest.rsplit_once(':')
                    && let Some(c) = first_number(count)
                {
                    h.requests_by_status.push((status.trim().to_owned(), c));
                }
            } else {
                return false;
            }
        } else {
            return false;
        }
        true
    }

    /// Closes the snapshot being read (at the end of an input or a gap in it).
    pub fn flush(&mut self) {
        self.close();
        self.xpr_name = None;
    }

    /// Takes the snapshots completed so far.
    pub fn take_done(&mut self) -> Vec<Snapshot> {
        std::mem::take(&mut self.done)
    }

    /// Ends the input and returns every snapshot.
    pub fn finish(mut self) -> Vec<Snapshot> {
        self.flush();
        self.done
    }
}

/// Parses a whole text (convenience for tests and the HTTP server).
pub fn parse(text: &str) -> Vec<Snapshot> {
    let mut p = SlmgrParser::new();
    for (i, line) in text.lines().enumerate() {
        p.push_line(line, i as u64 + 1);
    }
    p.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Written from the label list of ACTIVATION-FACTS §4 (values invented): an activated KMS
    // client (/dlv), a KMS host (/dli) and a KMS client in notification mode (/dli).
    const CLIENT_DLV: &str = include_str!("../tests/data/slmgr-client-dlv.txt");

    const HOST_DLI: &str = include_str!("../tests/data/slmgr-host-dli.txt");

    const UNACTIVATED_DLI: &str = include_str!("../tests/data/slmgr-unactivated-dli.txt");

    #[test]
    fn activated_kms_client() {
        let s = parse(CLIENT_DLV);
        assert_eq!(s.len(), 1);
        let s = &s[0];
        assert_eq!(s.name.as_deref(), Some("Windows(R), Enterprise edition"));
        assert_eq!(s.channel.as_deref(), Some("VOLUME_KMSCLIENT"));
        assert_eq!(s.service_version.as_deref(), Some("10.0.19041.3636"));
        assert_eq!(s.partial_product_key.as_deref(), Some("2YT43"));
        assert_eq!(s.license_state, Some(LicenseState::Licensed));
        assert_eq!(s.expiration_minutes, Some(259_185));
        assert_eq!(s.rearm_count, Some(1001));
        assert_eq!(s.line, 1);
        let c = s.kms_client.as_ref().unwrap();
        assert_eq!(
            c.kms_name_from_dns.as_deref(),
            Some("kms01.corp.example:1688")
        );
        assert_eq!(c.renewal_interval_minutes, Some(10080));
        assert_eq!(c.host_caching, Some(true));
        let d = diagnose(s, Lang::En);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].kind, "licensed");
        assert!(d[0].message.contains("179"));
        assert_eq!(d[0].severity, Severity::Ok);
    }

    #[test]
    fn kms_host_below_client_threshold() {
        let s = parse(HOST_DLI);
        assert_eq!(s.len(), 1);
        let h = s[0].kms_host.as_ref().unwrap();
        assert_eq!(h.current_count, Some(12));
        assert_eq!(h.listening_port, Some(1688));
        assert_eq!(h.total_requests, Some(140));
        assert_eq!(h.failed_requests, Some(31));
        assert_eq!(h.requests_by_status.len(), 6);
        assert_eq!(
            h.requests_by_status[2],
            ("Initial grace period".to_owned(), 41)
        );
        let d = diagnose(&s[0], Lang::En);
        let below = d
            .iter()
            .find(|d| d.kind == "kms-count-below-threshold")
            .unwrap();
        assert_eq!(below.code, Some(ErrorCode::new(0xC004F038)));
        assert_eq!(below.severity, Severity::Attention);
        assert!(below.message.contains("25"));
        assert!(d.iter().any(|d| d.kind == "kms-failed-requests"));
        let zh = diagnose(&s[0], Lang::ZhTw);
        assert!(zh.iter().any(|d| d.message.contains("0xC004F038")));
    }

    #[test]
    fn host_count_under_five_blocks_servers_too() {
        let text = HOST_DLI.replace("Current count: 12", "Current count: 3");
        let d = diagnose(&parse(&text)[0], Lang::En);
        let below = d
            .iter()
            .find(|d| d.kind == "kms-count-below-threshold")
            .unwrap();
        assert!(below.message.contains("servers"));
        let text = HOST_DLI.replace("Current count: 12", "Current count: 25");
        let d = diagnose(&parse(&text)[0], Lang::En);
        assert!(d.iter().any(|d| d.kind == "kms-count-sufficient"));
    }

    #[test]
    fn unactivated_client_in_notification() {
        let s = parse(UNACTIVATED_DLI);
        assert_eq!(s.len(), 1);
        let s = &s[0];
        assert_eq!(s.license_state, Some(LicenseState::Notification));
        assert_eq!(s.notification_reason, Some(ErrorCode::new(0xC004F056)));
        assert!(s.asks_for_ato);
        assert!(s.kms_client.as_ref().unwrap().dns_discovery_failed);
        let d = diagnose(s, Lang::En);
        assert_eq!(d[0].kind, "notification");
        assert_eq!(d[0].code, Some(ErrorCode::new(0xC004F056)));
        assert!(d.iter().any(|d| d.kind == "kms-host-not-found"));
    }

    #[test]
    fn grace_period_and_xpr() {
        let s = parse(
            "Name: Windows(R), Enterprise edition\nDescription: Windows(R) Operating System, VOLUME_KMSCLIENT channel\nLicense Status: Initial grace period\nTime remaining: 43200 minute(s) (30 day(s))\n",
        );
        let d = diagnose(&s[0], Lang::En);
        assert_eq!(d[0].kind, "grace-period");
        assert!(d[0].message.contains("30 day"));
        let x = parse(
            "Windows(R), Enterprise edition:\n    Volume activation will expire 5/23/2027 9:12:44 AM\n",
        );
        assert_eq!(x.len(), 1);
        assert_eq!(x[0].name.as_deref(), Some("Windows(R), Enterprise edition"));
        assert_eq!(x[0].license_state, Some(LicenseState::Licensed));
        let x =
            parse("Windows(R), Professional edition:\n    The machine is permanently activated.\n");
        assert_eq!(x[0].license_state, Some(LicenseState::Licensed));
    }

    #[test]
    fn several_products_and_noise() {
        let text = format!("noise line\n{HOST_DLI}\nunrelated\n{UNACTIVATED_DLI}");
        let s = parse(&text);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].line, 2);
        assert!(s[1].line > s[0].end_line);
    }

    #[test]
    fn keys_in_values_are_redacted() {
        let s = parse(
            "Name: Windows\nDescription: key ABCDE-FGHIJ-KLMNO-PQRST-VWXY2 pasted\nLicense Status: Licensed\n",
        );
        let d = s[0].description.as_deref().unwrap();
        assert!(!d.contains("ABCDE"));
        assert!(d.contains("VWXY2"));
    }
}
