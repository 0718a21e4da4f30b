//! The findings: the rules that turn the analysis into what looks wrong or worth knowing.

use volact_core::{ErrorCode, Lang, explain};
use volact_scan::slmgr::Snapshot;

use super::facts::lookup_domains;
use crate::analysis::{Analysis, Finding, Level};
use crate::bundle::Bundle;
use crate::manifest::{FileKind, StepStatus};

pub(super) fn t(lang: Lang, en: &str, zh: &str) -> String {
    match lang {
        Lang::En => en.to_owned(),
        Lang::ZhTw => zh.to_owned(),
    }
}

/// The findings about a bundle, most serious first (each id and text once).
pub(super) fn findings(
    a: &Analysis,
    snap: Option<&Vec<Snapshot>>,
    bundle: &Bundle,
    lang: Lang,
) -> Vec<Finding> {
    let mut f = Findings(Vec::new());
    products(&mut f, a, snap, bundle, lang);
    host(&mut f, a, lang);
    client_discovery(&mut f, a, lang);
    dns_and_time(&mut f, a, lang);
    collection(&mut f, a, lang);
    from_events(&mut f, a, lang);
    from_slmgr_diagnosis(&mut f, a);
    let mut f = f.0;
    let mut seen = std::collections::HashSet::new();
    f.retain(|x| seen.insert((x.id, x.text.clone())));
    f.sort_by_key(|x| x.level);
    f
}

/// The findings so far.
struct Findings(Vec<Finding>);

impl Findings {
    fn push(&mut self, level: Level, id: &'static str, text: String, codes: Vec<ErrorCode>) {
        self.0.push(Finding {
            level,
            id,
            text,
            codes,
        });
    }
}

/// Products that are not licensed, and slmgr output that could not be read.
fn products(
    f: &mut Findings,
    a: &Analysis,
    snap: Option<&Vec<Snapshot>>,
    bundle: &Bundle,
    lang: Lang,
) {
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
            f.push(
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
        f.push(
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
}

/// The KMS host's count, DNS publishing and failed requests.
fn host(f: &mut Findings, a: &Analysis, lang: Lang) {
    let is_host = a.machine.roles.contains(&"kms-host");
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
        f.push(level, "host-count-low", text, vec![code(0xC004_F038)]);
    }
    let publishing_off = host.and_then(|h| h.dns_publishing) == Some(false)
        || a.settings.disable_dns_publishing == Some(true);
    if is_host && publishing_off {
        f.push(
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
        f.push(Level::Warning, "host-failed-requests", text, vec![]);
    }
}

/// How a KMS client finds its host: forced, or DNS auto-discovery and the domains it searches.
fn client_discovery(f: &mut Findings, a: &Analysis, lang: Lang) {
    let is_client = a.machine.roles.contains(&"kms-client");
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
            f.push(
                Level::Warning,
                "forced-kms-host",
                text,
                vec![code(0xC004_F074)],
            );
        } else {
            if kc.is_some_and(|c| c.dns_discovery_failed) {
                f.push(
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
                f.push(
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
}

/// DNS servers and Windows Time.
fn dns_and_time(f: &mut Findings, a: &Analysis, lang: Lang) {
    if let Some(d) = &a.dns
        && !d.adapters.is_empty()
        && d.adapters.iter().all(|x| x.dns_servers.is_empty())
    {
        f.push(
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
    if let Some(tm) = &a.time
        && tm.unsynchronised
    {
        f.push(
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
}

/// Collection steps that failed or left a note, and keys masked while collecting.
fn collection(f: &mut Findings, a: &Analysis, lang: Lang) {
    for s in &a.bundle.steps {
        if s.status == StepStatus::Failed {
            let err = s.error.as_deref().unwrap_or("?");
            let text = match lang {
                Lang::En => format!("Collection step {} failed: {err}", s.id),
                Lang::ZhTw => format!("收集步驟 {} 失敗：{err}", s.id),
            };
            f.push(Level::Warning, "step-failed", text, vec![]);
        } else if s.status == StepStatus::Ok
            && let Some(note) = &s.error
        {
            let text = match lang {
                Lang::En => format!("Collection step {}: {note}", s.id),
                Lang::ZhTw => format!("收集步驟 {}：{note}", s.id),
            };
            f.push(Level::Info, "step-note", text, vec![]);
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
        f.push(Level::Info, "keys-redacted", text, vec![]);
    }
}

/// What `volact events` flagged in the event logs.
fn from_events(f: &mut Findings, a: &Analysis, lang: Lang) {
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
            f.push(level, id, text, vec![]);
        }
    }
}

/// What `volact scan`'s slmgr diagnosis adds about products with a key (the states and host
/// counters it shares with the findings above are not repeated).
fn from_slmgr_diagnosis(f: &mut Findings, a: &Analysis) {
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
            let level = match d.severity {
                volact_scan::slmgr::Severity::Ok => continue,
                volact_scan::slmgr::Severity::Info => Level::Info,
                volact_scan::slmgr::Severity::Attention => Level::Warning,
            };
            if COVERED.contains(&d.kind) {
                continue;
            }
            f.push(
                level,
                d.kind,
                d.message.clone(),
                d.code.into_iter().collect(),
            );
        }
    }
}

fn code(v: u32) -> ErrorCode {
    ErrorCode::new(v)
}
