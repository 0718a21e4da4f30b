//! The analysis of a bundle: what the machine is, what slmgr, the event logs and the registry say,
//! which codes appear where, what is wrong, and which `volact doctor` checks would confirm it from
//! that machine. Offline: nothing here touches the network.

use serde::Serialize;
use volact_core::kb::Check;
use volact_core::{ErrorCode, Lang, explain, find};

use crate::bundle::{Bundle, BundleWarning};
use crate::manifest::{FileKind, StepStatus};
use crate::model::{DnsConfig, RegistryDump, SystemInfo};
use volact_scan::slmgr::{self, Snapshot};

/// Version of the JSON of [`Analysis`]. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// The registry key of the Software Protection Platform (ACTIVATION-FACTS §3.3).
pub const SPP_KEY: &str = r"Microsoft\Windows NT\CurrentVersion\SoftwareProtectionPlatform";

/// The whole analysis of one bundle.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Language of the texts.
    pub lang: Lang,
    /// What the bundle is and how collection went.
    pub bundle: BundleInfo,
    /// The machine.
    pub machine: Machine,
    /// Products with an installed key, from `slmgr /dlv` (products without a key are counted only).
    pub products: Vec<Snapshot>,
    /// Products `/dlv all` listed without a key.
    pub products_without_key: usize,
    /// KMS settings from the registry.
    pub settings: KmsSettings,
    /// DNS client settings, when collected.
    pub dns: Option<DnsConfig>,
    /// Windows Time status, when collected.
    pub time: Option<TimeStatus>,
    /// The first time server configured for Windows Time (`W32Time\Parameters\NtpServer`).
    pub ntp_server: Option<String>,
    /// Event log files in the bundle.
    pub event_logs: Vec<EventLog>,
    /// `volact events` over all of them: client attempts, host view, codes, what needs attention.
    pub events: Option<volact_events::Report>,
    /// `volact scan` over the text files (slmgr, w32tm, ipconfig, registry and DNS dumps).
    pub scan: volact_scan::ScanReport,
    /// Every distinct error code found in the bundle, with where it was seen.
    pub codes: Vec<CodeSeen>,
    /// What looks wrong or worth knowing, most serious first.
    pub findings: Vec<Finding>,
    /// The checks `volact doctor` would run from that machine to confirm the findings.
    pub checks: Vec<PlannedCheck>,
    /// The `volact doctor` command line that runs them, from that machine or its network.
    pub doctor_command: String,
}

/// Bundle facts.
#[derive(Debug, Clone, Serialize)]
pub struct BundleInfo {
    /// The bundle file.
    pub path: String,
    /// When it was collected.
    pub created_utc: String,
    /// The volact version that collected it.
    pub volact_version: String,
    /// `windows` or `recorded: ...`.
    pub source: String,
    /// Product keys masked while collecting.
    pub keys_redacted: usize,
    /// Each step, how it ended.
    pub steps: Vec<StepSummary>,
    /// Problems met while reading the bundle, in English.
    pub warnings: Vec<String>,
    /// The same problems, each with a stable `kind` and its details (renderers write them in
    /// the report's language).
    pub warning_details: Vec<crate::bundle::BundleWarning>,
    /// Files read and skipped, bytes decompressed (reading is bounded; see [`crate::MAX_TOTAL`]).
    pub read: crate::bundle::ReadStats,
}

/// One collection step.
#[derive(Debug, Clone, Serialize)]
pub struct StepSummary {
    /// Step id.
    pub id: String,
    /// What ran.
    pub command: String,
    /// How it ended.
    pub status: StepStatus,
    /// Exit code, if any.
    pub exit_code: Option<i32>,
    /// Milliseconds.
    pub duration_ms: u64,
    /// The error, if any.
    pub error: Option<String>,
}

/// What the machine is.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Machine {
    /// Identity and OS, when collected.
    pub system: Option<SystemInfo>,
    /// Activation roles seen: `kms-client`, `kms-host`, `mak`.
    pub roles: Vec<&'static str>,
}

/// KMS-related registry values (ACTIVATION-FACTS §3.3), as found.
#[derive(Debug, Clone, Serialize, Default)]
pub struct KmsSettings {
    /// `KeyManagementServiceName` (forced KMS host; set by `slmgr /skms`).
    pub kms_name: Option<String>,
    /// `KeyManagementServicePort`.
    pub kms_port: Option<u16>,
    /// `KeyManagementServiceListeningPort` (host).
    pub listening_port: Option<u16>,
    /// `DisableDnsPublishing` (host).
    pub disable_dns_publishing: Option<bool>,
    /// `DnsDomainPublishList` (host).
    pub dns_publish_list: Vec<String>,
    /// `EnableKmsLowPriority` (host).
    pub low_priority: Option<bool>,
    /// `VLActivationInterval` in minutes.
    pub activation_interval: Option<u64>,
    /// `VLRenewalInterval` in minutes.
    pub renewal_interval: Option<u64>,
    /// `SkipRearm`.
    pub skip_rearm: Option<bool>,
    /// `DiscoveredKeyManagementServiceName` (NetworkService hive cache), when readable.
    pub discovered_name: Option<String>,
    /// `DiscoveredKeyManagementServicePort`.
    pub discovered_port: Option<u16>,
}

/// `w32tm /query /status`, English labels.
#[derive(Debug, Clone, Serialize, Default)]
pub struct TimeStatus {
    /// `Source:`.
    pub source: Option<String>,
    /// `Last Successful Sync Time:`.
    pub last_sync: Option<String>,
    /// `Stratum:`.
    pub stratum: Option<String>,
    /// Whether the source is the machine's own clock (not synchronised with anything).
    pub unsynchronised: bool,
}

/// One event log file of the bundle.
#[derive(Debug, Clone, Serialize)]
pub struct EventLog {
    /// File in the bundle.
    pub file: String,
    /// `application` (client events) or `kms` (host events).
    pub log: &'static str,
    /// Records read.
    pub records: u64,
    /// Activation events among them.
    pub activation_events: u64,
    /// What could not be read, if anything.
    pub note: Option<String>,
}

/// A code and where it was seen.
#[derive(Debug, Clone, Serialize)]
pub struct CodeSeen {
    /// The code.
    pub code: ErrorCode,
    /// Its symbolic name.
    pub name: Option<&'static str>,
    /// Whether the knowledge base explains it.
    pub known: bool,
    /// One line: the message, or what the decoding says.
    pub summary: String,
    /// Bundle files it appears in.
    pub files: Vec<String>,
    /// Times seen.
    pub count: usize,
}

/// How serious a finding is.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Activation is failing or will fail.
    Error,
    /// Likely to cause trouble, or evidence is missing.
    Warning,
    /// Worth knowing.
    Info,
}

/// One observation.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// How serious.
    pub level: Level,
    /// Stable identifier (`forced-kms-host`, `host-count-low`, ...).
    pub id: &'static str,
    /// The text, in the analysis language.
    pub text: String,
    /// Codes it relates to.
    pub codes: Vec<ErrorCode>,
}

/// A check `volact doctor` would run from the machine.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedCheck {
    /// `dns`, `tcp`, `rpc` or `clock`.
    pub check: Check,
    /// What it would look at (`_vlmcs._tcp.corp.example.com`, `kms01:1688`).
    pub target: String,
    /// Why, in the analysis language.
    pub reason: String,
}

/// `bundle` with product keys redacted in every name and manifest string (a copy only when one
/// held a key).
fn with_names_redacted(bundle: &Bundle) -> std::borrow::Cow<'_, Bundle> {
    use volact_core::key::redact_keys_in;
    let r = |s: &str| redact_keys_in(s).into_owned();
    fn redact_json(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) => {
                if let std::borrow::Cow::Owned(o) = redact_keys_in(s) {
                    *s = o;
                }
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(redact_json),
            serde_json::Value::Object(o) => o.values_mut().for_each(redact_json),
            _ => {}
        }
    }
    let manifest = serde_json::to_value(&bundle.manifest)
        .ok()
        .and_then(|mut v| {
            let before = v.clone();
            redact_json(&mut v);
            (v != before)
                .then(|| serde_json::from_value(v).ok())
                .flatten()
        });
    let path = bundle.path.to_string_lossy();
    let names_hold_keys = manifest.is_some()
        || redact_keys_in(&path) != path
        || bundle
            .files
            .iter()
            .any(|f| redact_keys_in(&f.name) != f.name)
        || bundle.warnings.iter().any(|w| redact_keys_in(w) != *w)
        || bundle
            .warning_details
            .iter()
            .any(|w| redact_keys_in(&w.message(Lang::En)) != w.message(Lang::En));
    if !names_hold_keys {
        return std::borrow::Cow::Borrowed(bundle);
    }
    let mut b = bundle.clone();
    if let Some(m) = manifest {
        b.manifest = m;
    }
    b.path = r(&path).into();
    for f in &mut b.files {
        f.name = r(&f.name);
    }
    for w in &mut b.warnings {
        *w = r(w);
    }
    for w in &mut b.warning_details {
        match w {
            BundleWarning::KeysMasked { file, .. }
            | BundleWarning::NotJson { file }
            | BundleWarning::Refused { file, .. } => {
                *file = r(file);
            }
            BundleWarning::Missing { file, step } => {
                *file = r(file);
                *step = r(step);
            }
            BundleWarning::Skipped { file, error } => {
                *file = r(file);
                *error = r(error);
            }
            BundleWarning::TooManyFiles { .. } => {}
        }
    }
    std::borrow::Cow::Owned(b)
}

pub(crate) fn t(lang: Lang, en: &str, zh: &str) -> String {
    match lang {
        Lang::En => en.to_owned(),
        Lang::ZhTw => zh.to_owned(),
    }
}

/// Analyses a bundle in one language.
pub fn analyze(bundle: &Bundle, lang: Lang) -> Analysis {
    // Member names, the manifest and the bundle's own path come from whoever wrote the zip:
    // product keys in them are redacted before anything is built from them.
    let redacted = with_names_redacted(bundle);
    let bundle = redacted.as_ref();
    let m = &bundle.manifest;
    let steps: Vec<StepSummary> = m
        .steps
        .iter()
        .map(|s| StepSummary {
            id: s.id.clone(),
            command: s.command.clone(),
            status: s.status,
            exit_code: s.exit_code,
            duration_ms: s.duration_ms,
            error: s.error.clone(),
        })
        .collect();
    let system = bundle
        .file(FileKind::System)
        .and_then(|f| serde_json::from_slice::<SystemInfo>(&f.data).ok());
    let registry = bundle
        .file(FileKind::Registry)
        .and_then(|f| serde_json::from_slice::<RegistryDump>(&f.data).ok())
        .unwrap_or_default();
    let dns = bundle
        .file(FileKind::Dns)
        .and_then(|f| serde_json::from_slice::<DnsConfig>(&f.data).ok());
    let snapshot = bundle
        .file(FileKind::Slmgr)
        .map(|f| slmgr::parse(&f.text()));
    let time = bundle
        .files
        .iter()
        .find(|f| f.step == "w32tm-status")
        .map(|f| parse_w32tm(&f.text()));
    let settings = settings(&registry);
    let ntp_server = registry
        .value(r"W32Time\Parameters", "NtpServer")
        .and_then(|v| {
            let first = v.as_text();
            let first = first.split([' ', ',']).next()?.trim().to_owned();
            (!first.is_empty()).then_some(first)
        });
    // A parsed dump can take many times its size; it is not needed past this point.
    drop(registry);
    let mut warning_details = bundle.warning_details.clone();
    for kind in [FileKind::Registry, FileKind::Dns, FileKind::System] {
        if let Some(f) = bundle.file(kind)
            && serde_json::from_slice::<serde::de::IgnoredAny>(&f.data).is_err()
        {
            warning_details.push(crate::bundle::BundleWarning::NotJson {
                file: f.name.clone(),
            });
        }
    }
    let warnings = warning_details
        .iter()
        .map(|w| w.message(Lang::En))
        .collect();
    let events = crate::events::read(bundle, lang);
    let codes = codes_in(bundle, &events.codes, lang);
    let scan = scan(bundle, lang);
    let (products, without): (Vec<_>, Vec<_>) = snapshot
        .clone()
        .unwrap_or_default()
        .into_iter()
        .partition(|p| p.partial_product_key.is_some());
    let roles = roles(&products, &settings);
    let mut a = Analysis {
        schema_version: SCHEMA_VERSION,
        lang,
        bundle: BundleInfo {
            path: bundle.path.display().to_string(),
            created_utc: m.created_utc.clone(),
            volact_version: m.volact_version.clone(),
            source: m.source.clone(),
            keys_redacted: m.keys_redacted,
            steps,
            warnings,
            warning_details,
            read: bundle.stats.clone(),
        },
        machine: Machine { system, roles },
        products,
        products_without_key: without.len(),
        settings,
        dns,
        time,
        ntp_server,
        event_logs: events.logs,
        events: events.report,
        scan,
        codes,
        findings: Vec::new(),
        checks: Vec::new(),
        doctor_command: String::new(),
    };
    a.findings = findings(&a, snapshot.as_ref(), bundle, lang);
    a.checks = plan_checks(&a, lang);
    a.doctor_command = doctor_command(&a);
    a
}

impl Analysis {
    /// Whether anything needs attention: an error or warning finding.
    pub fn needs_attention(&self) -> bool {
        self.findings.iter().any(|f| f.level <= Level::Warning)
    }
}

fn port(v: Option<u64>) -> Option<u16> {
    v.and_then(|p| u16::try_from(p).ok())
}

fn settings(r: &RegistryDump) -> KmsSettings {
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

fn roles(products: &[Snapshot], s: &KmsSettings) -> Vec<&'static str> {
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

fn parse_w32tm(text: &str) -> TimeStatus {
    let mut t = TimeStatus::default();
    for line in text.lines() {
        let Some((label, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match label.trim() {
            "Source" => t.source = Some(value.to_owned()),
            "Last Successful Sync Time" => t.last_sync = Some(value.to_owned()),
            "Stratum" => t.stratum = Some(value.to_owned()),
            _ => {}
        }
    }
    t.unsynchronised = t.source.as_deref().is_some_and(|s| {
        let s = s.to_ascii_lowercase();
        s.contains("local cmos clock") || s.contains("free-running system clock")
    });
    t
}

/// Runs `volact scan` over the text files of the bundle (not the event exports: `volact events`
/// reads those).
fn scan(bundle: &Bundle, lang: Lang) -> volact_scan::ScanReport {
    let opts = volact_scan::Options {
        threads: 1,
        ..volact_scan::Options::default()
    };
    let mut all: Option<volact_scan::Scan> = None;
    for f in bundle
        .files
        .iter()
        .filter(|f| f.kind.is_text() && f.kind != FileKind::EventXml)
    {
        let one = volact_scan::scan_bytes(&f.name, &f.data, &opts);
        match &mut all {
            Some(a) => a.extend(one),
            None => all = Some(one),
        }
    }
    all.unwrap_or_else(|| volact_scan::scan_bytes("-", b"", &opts))
        .report(lang)
}

fn codes_in(
    bundle: &Bundle,
    event_codes: &[(String, ErrorCode, u64)],
    lang: Lang,
) -> Vec<CodeSeen> {
    let mut out: Vec<CodeSeen> = Vec::new();
    let mut add = |code: ErrorCode, form: volact_core::Form, n: usize, file: &str| {
        if let Some(c) = out.iter_mut().find(|c| c.code == code) {
            c.count += n;
            if !c.files.iter().any(|x| x == file) {
                c.files.push(file.to_owned());
            }
        } else if out.len() < 1000 {
            let e = explain::explain(code, form, lang);
            out.push(CodeSeen {
                code,
                name: e.name,
                known: e.known,
                summary: e.summary,
                files: vec![file.to_owned()],
                count: n,
            });
        }
    };
    for f in &bundle.files {
        match f.kind {
            FileKind::Evtx | FileKind::EventXml => {
                for (file, code, n) in event_codes.iter().filter(|x| x.0 == f.name) {
                    add(
                        *code,
                        volact_core::Form::PrefixedHex,
                        usize::try_from(*n).unwrap_or(usize::MAX),
                        file,
                    );
                }
            }
            _ => {
                // The JSON dumps carry the collector's own error messages ("Access is denied.
                // (os error 5)"): small decimal Win32 numbers there are about collecting, not
                // activation.
                let json = matches!(
                    f.kind,
                    FileKind::Registry | FileKind::Dns | FileKind::System
                );
                // Streamed: a file full of codes does not become a list of all of them.
                find::find_codes_with(&f.text(), |found| {
                    if json && found.form == volact_core::Form::Win32Decimal {
                        return true;
                    }
                    // Success values that no table names are numbers that merely look like
                    // codes (w32tm's `ReferenceId: 0x0A14000A`, flags fields).
                    let success = found.code.value() & 0x8000_0000 == 0;
                    if found.code.value() != 0 && (!success || find::is_recognised(found.code)) {
                        add(found.code, found.form, 1, &f.name);
                    }
                    true
                });
            }
        }
    }
    out
}

fn findings(
    a: &Analysis,
    snap: Option<&Vec<Snapshot>>,
    bundle: &Bundle,
    lang: Lang,
) -> Vec<Finding> {
    let mut f = Vec::new();
    let mut push = |level, id, text: String, codes: Vec<ErrorCode>| {
        f.push(Finding {
            level,
            id,
            text,
            codes,
        });
    };
    // Products.
    for p in &a.products {
        if p.license_status.as_deref() != Some("Licensed") {
            let status = p.license_status.as_deref().unwrap_or("?");
            let reason = p.notification_reason;
            let name = p.name.as_deref().unwrap_or("?");
            let mut text = match lang {
                Lang::En => format!("{name}: license status is \"{status}\", not Licensed."),
                Lang::ZhTw => format!("{name}：授權狀態為「{status}」，尚未授權。"),
            };
            if let Some(r) = reason {
                let e = explain::explain(r, volact_core::Form::PrefixedHex, lang);
                text.push_str(&match lang {
                    Lang::En => format!(" Notification reason {r}: {}", e.summary),
                    Lang::ZhTw => format!(" 通知原因 {r}：{}", e.summary),
                });
            }
            push(
                Level::Error,
                "product-not-licensed",
                text,
                reason.into_iter().collect(),
            );
        }
    }
    if let Some(s) = snap
        && s.is_empty()
        && bundle
            .file(FileKind::Slmgr)
            .is_some_and(|f| !f.data.is_empty())
    {
        push(
            Level::Info,
            "slmgr-not-parsed",
            t(
                lang,
                "The slmgr output has no English labels (a localised Windows?); products were not read, but the codes in it were.",
                "slmgr 輸出沒有英文標籤（可能是非英文版 Windows）；未讀取產品資訊，但仍找出了其中的錯誤碼。",
            ),
            vec![],
        );
    }
    let is_host = a.machine.roles.contains(&"kms-host");
    let is_client = a.machine.roles.contains(&"kms-client");
    // Host.
    let host = a.products.iter().find_map(|p| p.kms_host.as_ref());
    if let Some(h) = host
        && let Some(n) = h.current_count
        && n < 25
    {
        let text = match lang {
            Lang::En => format!(
                "The KMS host's count is {n}: Windows client OSes activate only at 25 or more (servers at 5), so they get 0xC004F038 until enough distinct machines ask."
            ),
            Lang::ZhTw => format!(
                "KMS 主機目前計數為 {n}：Windows 用戶端作業系統要到 25 以上才會啟用（伺服器為 5），在足夠多台不同電腦提出要求之前會收到 0xC004F038。"
            ),
        };
        let level = if n < 5 { Level::Error } else { Level::Warning };
        push(level, "host-count-low", text, vec![code(0xC004_F038)]);
    }
    let publishing_off = host.and_then(|h| h.dns_publishing) == Some(false)
        || a.settings.disable_dns_publishing == Some(true);
    if is_host && publishing_off {
        push(
            Level::Warning,
            "host-dns-publishing-off",
            t(
                lang,
                "DNS publishing is off on this KMS host (DisableDnsPublishing / slmgr /cdns): it does not register _vlmcs._tcp, so clients find it only through a manual SRV record or slmgr /skms.",
                "此 KMS 主機已關閉 DNS 發布（DisableDnsPublishing／slmgr /cdns）：不會登錄 _vlmcs._tcp，用戶端只能透過手動建立的 SRV 記錄或 slmgr /skms 找到它。",
            ),
            vec![code(0x8007_232B)],
        );
    }
    if let Some(h) = host
        && let (Some(total), Some(failed)) = (h.total_requests, h.failed_requests)
        && failed > 0
    {
        let text = match lang {
            Lang::En => format!(
                "{failed} of {total} requests to this KMS host failed; the host's Key Management Service log (event 12290) names each client and the code it got."
            ),
            Lang::ZhTw => format!(
                "此 KMS 主機收到的 {total} 個要求中有 {failed} 個失敗；主機的「金鑰管理服務」記錄（事件 12290）列出每個用戶端及其收到的錯誤碼。"
            ),
        };
        push(Level::Warning, "host-failed-requests", text, vec![]);
    }
    // Client discovery.
    if is_client {
        let kc = a.products.iter().find_map(|p| p.kms_client.as_ref());
        let forced = a.settings.kms_name.clone().or_else(|| {
            kc.and_then(|c| c.registered_kms_name.clone())
                .filter(|n| !n.is_empty())
        });
        if let Some(name) = forced {
            let port = a.settings.kms_port.unwrap_or(1688);
            let shown = if name.contains(':') {
                name
            } else {
                format!("{name}:{port}")
            };
            let text = match lang {
                Lang::En => format!(
                    "The KMS host is forced to {shown} (KeyManagementServiceName, set by slmgr /skms): DNS auto-discovery is off. If that host was retired or renamed, clients get 0xC004F074; clear it with slmgr /ckms (elevated) or set the right host."
                ),
                Lang::ZhTw => format!(
                    "KMS 主機被指定為 {shown}（KeyManagementServiceName，由 slmgr /skms 設定）：DNS 自動探索已停用。若該主機已停用或改名，用戶端會收到 0xC004F074；請以系統管理員身分執行 slmgr /ckms 清除，或改設正確的主機。"
                ),
            };
            push(
                Level::Warning,
                "forced-kms-host",
                text,
                vec![code(0xC004_F074)],
            );
        } else {
            if kc.is_some_and(|c| c.dns_discovery_failed) {
                push(
                    Level::Error,
                    "dns-discovery-failed",
                    t(
                        lang,
                        "slmgr reports that DNS auto-discovery found no KMS host: no _vlmcs._tcp SRV record was found in the domains this client searches.",
                        "slmgr 顯示 DNS 自動探索找不到 KMS 主機：在此用戶端搜尋的網域中找不到 _vlmcs._tcp SRV 記錄。",
                    ),
                    vec![code(0x8007_232B)],
                );
            }
            if let Some(d) = &a.dns
                && lookup_domains(a).is_empty()
                && d.adapters.iter().all(|x| x.suffix.is_none())
            {
                push(
                    Level::Warning,
                    "no-dns-suffix",
                    t(
                        lang,
                        "This client has no primary DNS suffix, no suffix search list and no connection-specific suffix: it has no domain in which to look up _vlmcs._tcp. Set a suffix or use slmgr /skms-domain or /skms.",
                        "此用戶端沒有主要 DNS 尾碼、尾碼搜尋清單或連線專屬尾碼：沒有可查詢 _vlmcs._tcp 的網域。請設定尾碼，或使用 slmgr /skms-domain 或 /skms。",
                    ),
                    vec![code(0x8007_232B)],
                );
            }
        }
    }
    if let Some(d) = &a.dns
        && !d.adapters.is_empty()
        && d.adapters.iter().all(|x| x.dns_servers.is_empty())
    {
        push(
            Level::Warning,
            "no-dns-servers",
            t(
                lang,
                "No adapter has a DNS server: KMS discovery through DNS cannot work.",
                "沒有任何網路介面卡設定 DNS 伺服器：無法透過 DNS 探索 KMS。",
            ),
            vec![code(0x8007_232B)],
        );
    }
    // Time.
    if let Some(tm) = &a.time
        && tm.unsynchronised
    {
        push(
            Level::Warning,
            "clock-unsynchronised",
            t(
                lang,
                "Windows Time is not synchronised with any server (its source is the local clock): a clock more than 4 hours off the KMS host's gives 0xC004F06C.",
                "Windows 時間服務未與任何伺服器同步（來源是本機時鐘）：與 KMS 主機相差超過 4 小時會產生 0xC004F06C。",
            ),
            vec![code(0xC004_F06C)],
        );
    }
    // Collection.
    for s in &a.bundle.steps {
        if s.status == StepStatus::Failed {
            let err = s.error.as_deref().unwrap_or("?");
            let text = match lang {
                Lang::En => format!("Collection step {} failed: {err}", s.id),
                Lang::ZhTw => format!("收集步驟 {} 失敗：{err}", s.id),
            };
            push(Level::Warning, "step-failed", text, vec![]);
        } else if s.status == StepStatus::Ok
            && let Some(note) = &s.error
        {
            let text = match lang {
                Lang::En => format!("Collection step {}: {note}", s.id),
                Lang::ZhTw => format!("收集步驟 {}：{note}", s.id),
            };
            push(Level::Info, "step-note", text, vec![]);
        }
    }
    if a.bundle.keys_redacted > 0 {
        let n = a.bundle.keys_redacted;
        let text = match lang {
            Lang::En => format!(
                "{n} product key(s) were masked to their last five characters while collecting."
            ),
            Lang::ZhTw => format!("收集時已將 {n} 組產品金鑰遮蔽為只剩最後五個字元。"),
        };
        push(Level::Info, "keys-redacted", text, vec![]);
    }
    // What `volact events` flagged in the event logs.
    if let Some(r) = &a.events {
        for id in &r.attention {
            let text = volact_events::render::attention_text(id, lang);
            if text.is_empty() {
                continue;
            }
            let level = if *id == "damaged_input" {
                Level::Info
            } else {
                Level::Warning
            };
            let text = match lang {
                Lang::En => format!("Event logs: {text}."),
                Lang::ZhTw => format!("事件記錄：{text}。"),
            };
            push(level, id, text, vec![]);
        }
    }
    // What `volact scan`'s slmgr diagnosis adds about products with a key (the states and host
    // counters it shares with the findings above are not repeated).
    const COVERED: &[&str] = &[
        "licensed",
        "unlicensed",
        "notification",
        "kms-count-below-threshold",
        "kms-failed-requests",
        "kms-dns-publishing-off",
    ];
    for snap in &a.scan.snapshots {
        if snap.snapshot.partial_product_key.is_none() {
            continue;
        }
        for d in &snap.diagnosis {
            let level = match d.level() {
                volact_core::finding::Level::Ok => continue,
                volact_core::finding::Level::Info => Level::Info,
                _ => Level::Warning,
            };
            if COVERED.contains(&d.kind()) {
                continue;
            }
            push(
                level,
                d.kind(),
                d.message.clone(),
                d.code().into_iter().collect(),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    f.retain(|x| seen.insert((x.id, x.text.clone())));
    f.sort_by_key(|x| x.level);
    f
}

fn code(v: u32) -> ErrorCode {
    ErrorCode::new(v)
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

fn plan_checks(a: &Analysis, lang: Lang) -> Vec<PlannedCheck> {
    let mut c = Vec::new();
    let servers: Vec<String> = a
        .dns
        .iter()
        .flat_map(|d| {
            d.adapters
                .iter()
                .flat_map(|x| x.dns_servers.iter().cloned())
        })
        .fold(Vec::new(), |mut v, s| {
            if !v.contains(&s) {
                v.push(s);
            }
            v
        });
    let via = if servers.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::En => format!(" (through {})", servers.join(", ")),
            Lang::ZhTw => format!("（透過 {}）", servers.join("、")),
        }
    };
    let forced = forced_host(a);
    if let Some(target) = forced.clone() {
        c.push(PlannedCheck {
            check: Check::Tcp,
            target: target.clone(),
            reason: t(
                lang,
                "the forced KMS host must accept TCP connections on its port",
                "被指定的 KMS 主機必須能在其連接埠接受 TCP 連線",
            ),
        });
        c.push(PlannedCheck {
            check: Check::Rpc,
            target,
            reason: t(
                lang,
                "a DCE/RPC bind shows whether a KMS service answers there",
                "以 DCE/RPC bind 確認該處是否有 KMS 服務回應",
            ),
        });
    } else if a.machine.roles.contains(&"kms-client") || a.machine.roles.contains(&"kms-host") {
        for d in lookup_domains(a) {
            c.push(PlannedCheck {
                check: Check::Dns,
                target: format!("_vlmcs._tcp.{d}"),
                reason: format!(
                    "{}{via}",
                    t(
                        lang,
                        "the SRV lookup a KMS client makes in this domain",
                        "KMS 用戶端在此網域進行的 SRV 查詢",
                    )
                ),
            });
        }
        if a.machine.roles.contains(&"kms-client") {
            c.push(PlannedCheck {
                check: Check::Tcp,
                target: t(
                    lang,
                    "each host the SRV records name",
                    "SRV 記錄列出的每一部主機",
                ),
                reason: t(
                    lang,
                    "TCP to the port the record gives (1688 by default)",
                    "連到記錄所指定的連接埠（預設 1688）",
                ),
            });
            c.push(PlannedCheck {
                check: Check::Rpc,
                target: t(
                    lang,
                    "each host the SRV records name",
                    "SRV 記錄列出的每一部主機",
                ),
                reason: t(
                    lang,
                    "a DCE/RPC bind shows whether a KMS service answers there",
                    "以 DCE/RPC bind 確認該處是否有 KMS 服務回應",
                ),
            });
        }
    }
    if a.machine.roles.contains(&"kms-host") {
        let port = a
            .products
            .iter()
            .find_map(|p| p.kms_host.as_ref()?.listening_port)
            .or(a.settings.listening_port)
            .unwrap_or(1688);
        let name = a
            .machine
            .system
            .as_ref()
            .and_then(|s| s.computer_name.clone())
            .unwrap_or_else(|| t(lang, "this host", "此主機"));
        c.push(PlannedCheck {
            check: Check::Tcp,
            target: format!("{name}:{port}"),
            reason: t(
                lang,
                "run from a client: the host's firewall must allow its KMS port (the rule exists but is off by default)",
                "請從用戶端執行：主機的防火牆必須允許 KMS 連接埠（規則預設存在但未啟用）",
            ),
        });
    }
    let time_target = a
        .time
        .as_ref()
        .filter(|t| !t.unsynchronised)
        .and_then(|t| t.source.clone())
        .or_else(|| a.ntp_server.clone())
        .or_else(|| forced.clone())
        .unwrap_or_else(|| t(lang, "a time server", "時間伺服器"));
    let host_only = a.machine.roles == ["kms-host"];
    c.push(PlannedCheck {
        check: Check::Clock,
        target: time_target,
        reason: if host_only {
            t(
                lang,
                "clients whose clock is more than 4 hours off this host's (UTC) get 0xC004F06C",
                "用戶端時鐘與此主機（UTC）相差超過 4 小時會收到 0xC004F06C",
            )
        } else {
            t(
                lang,
                "the clock must be within 4 hours of the KMS host's (UTC)",
                "時鐘與 KMS 主機（UTC）的差距必須在 4 小時以內",
            )
        },
    });
    c
}

/// The forced KMS host, `host:port`, from the registry or slmgr.
fn forced_host(a: &Analysis) -> Option<String> {
    let name = a.settings.kms_name.clone().or_else(|| {
        a.products
            .iter()
            .find_map(|p| p.kms_client.as_ref()?.registered_kms_name.clone())
    })?;
    Some(if name.contains(':') {
        name
    } else {
        format!("{name}:{}", a.settings.kms_port.unwrap_or(1688))
    })
}

/// `volact doctor` with the hosts, domains, DNS server and time source of that machine.
fn doctor_command(a: &Analysis) -> String {
    let mut cmd = String::from("volact doctor");
    let quote = |s: &str| {
        if s.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:_[]".contains(c))
        {
            s.to_owned()
        } else {
            format!("\"{}\"", s.replace('"', ""))
        }
    };
    if let Some(h) = forced_host(a) {
        cmd.push_str(&format!(" --kms {}", quote(&h)));
    } else {
        for d in lookup_domains(a) {
            cmd.push_str(&format!(" --domain {}", quote(&d)));
        }
        if let Some(server) = a
            .dns
            .iter()
            .flat_map(|d| d.adapters.iter().flat_map(|x| x.dns_servers.first()))
            .next()
        {
            cmd.push_str(&format!(" --dns-server {}", quote(server)));
        }
    }
    if a.machine.roles.contains(&"kms-host")
        && let Some(tc) = a
            .checks
            .iter()
            .find(|c| c.check == Check::Tcp && !c.target.contains(' '))
        && !cmd.contains(" --kms ")
    {
        cmd.push_str(&format!(" --kms {}", quote(&tc.target)));
    }
    if let Some(tc) = a.checks.iter().find(|c| c.check == Check::Clock)
        && !tc.target.contains(' ')
        && tc.target.contains('.')
    {
        cmd.push_str(&format!(" --time-server {}", quote(&tc.target)));
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w32tm_english() {
        let t = parse_w32tm(
            "Leap Indicator: 0(no warning)\r\nStratum: 1 (primary reference - syncd by radio clock)\r\n\
             Source: Local CMOS Clock\r\nLast Successful Sync Time: unspecified\r\n",
        );
        assert!(t.unsynchronised);
        assert_eq!(t.source.as_deref(), Some("Local CMOS Clock"));
        let t = parse_w32tm("Source: dc01.corp.example.com\r\n");
        assert!(!t.unsynchronised);
    }

    #[test]
    fn constant_codes_parse() {
        assert_eq!(code(0xC004_F038).to_string(), "0xC004F038");
    }
}
