//! Every sentence `volact analyze` writes about its findings and planned checks, in English and
//! Traditional Chinese, from the typed facts of [`FindingKind`], [`CheckTarget`] and
//! [`CheckReason`]. One arm per variant; a third language is one more argument to each `pick`.

use volact_core::kms::{CLIENT_THRESHOLD, CLOCK_LIMIT_SECS, PORT, SERVER_THRESHOLD};
use volact_core::out::fmt::bytes;
use volact_core::{Form, Lang, explain};

use crate::check::{CheckReason, CheckTarget};
use crate::finding::FindingKind;
use crate::warning::{BundleWarning, Refusal};

/// The clock limit in hours, as the sentences say it.
const CLOCK_HOURS: i64 = CLOCK_LIMIT_SECS / 3600;

/// The finding as one or two sentences in `lang`.
pub fn finding(k: &FindingKind, lang: Lang) -> String {
    match k {
        FindingKind::ProductNotLicensed {
            product,
            status,
            reason,
        } => {
            let mut text = lang.pick(
                format!("{product}: license status is \"{status}\", not Licensed."),
                format!("{product}：授權狀態為「{status}」，尚未授權。"),
            );
            if let Some(r) = reason {
                let summary = explain::explain(*r, Form::PrefixedHex, lang).summary;
                text.push_str(&lang.pick(
                    format!(" Notification reason {r}: {summary}"),
                    format!(" 通知原因 {r}：{summary}"),
                ));
            }
            text
        }
        FindingKind::SlmgrNotParsed {} => lang.pick(
            "The slmgr output has no English labels (a localised Windows?); products were not read, but the codes in it were.",
            "slmgr 輸出沒有英文標籤（可能是非英文版 Windows）；未讀取產品資訊，但仍找出了其中的錯誤碼。",
        ).to_owned(),
        FindingKind::HostCountLow { count } => lang.pick(
            format!(
                "The KMS host's count is {count}: Windows client OSes activate only at {CLIENT_THRESHOLD} or more (servers at {SERVER_THRESHOLD}), so they get 0xC004F038 until enough distinct machines ask."
            ),
            format!(
                "KMS 主機目前計數為 {count}：Windows 用戶端作業系統要到 {CLIENT_THRESHOLD} 以上才會啟用（伺服器為 {SERVER_THRESHOLD}），在足夠多台不同電腦提出要求之前會收到 0xC004F038。"
            ),
        ),
        FindingKind::HostDnsPublishingOff {} => lang.pick(
            "DNS publishing is off on this KMS host (DisableDnsPublishing / slmgr /cdns): it does not register _vlmcs._tcp, so clients find it only through a manual SRV record or slmgr /skms.",
            "此 KMS 主機已關閉 DNS 發布（DisableDnsPublishing／slmgr /cdns）：不會登錄 _vlmcs._tcp，用戶端只能透過手動建立的 SRV 記錄或 slmgr /skms 找到它。",
        ).to_owned(),
        FindingKind::HostFailedRequests { failed, total } => lang.pick(
            format!(
                "{failed} of {total} requests to this KMS host failed; the host's Key Management Service log (event 12290) names each client and the code it got."
            ),
            format!(
                "此 KMS 主機收到的 {total} 個要求中有 {failed} 個失敗；主機的「金鑰管理服務」記錄（事件 12290）列出每個用戶端及其收到的錯誤碼。"
            ),
        ),
        FindingKind::ForcedKmsHost { host } => lang.pick(
            format!(
                "The KMS host is forced to {host} (KeyManagementServiceName, set by slmgr /skms): DNS auto-discovery is off. If that host was retired or renamed, clients get 0xC004F074; clear it with slmgr /ckms or set the right host."
            ),
            format!(
                "KMS 主機被指定為 {host}（KeyManagementServiceName，由 slmgr /skms 設定）：DNS 自動探索已停用。若該主機已停用或改名，用戶端會收到 0xC004F074；請以 slmgr /ckms 清除，或改設正確的主機。"
            ),
        ),
        FindingKind::DnsDiscoveryFailed {} => lang.pick(
            "slmgr reports that DNS auto-discovery found no KMS host: no _vlmcs._tcp SRV record was found in the domains this client searches.",
            "slmgr 顯示 DNS 自動探索找不到 KMS 主機：在此用戶端搜尋的網域中找不到 _vlmcs._tcp SRV 記錄。",
        ).to_owned(),
        FindingKind::NoDnsSuffix {} => lang.pick(
            "This client has no primary DNS suffix, no suffix search list and no connection-specific suffix: it has no domain in which to look up _vlmcs._tcp. Set a suffix or use slmgr /skms-domain or /skms.",
            "此用戶端沒有主要 DNS 尾碼、尾碼搜尋清單或連線專屬尾碼：沒有可查詢 _vlmcs._tcp 的網域。請設定尾碼，或使用 slmgr /skms-domain 或 /skms。",
        ).to_owned(),
        FindingKind::NoDnsServers {} => lang.pick(
            "No adapter has a DNS server: KMS discovery through DNS cannot work.",
            "沒有任何網路介面卡設定 DNS 伺服器：無法透過 DNS 探索 KMS。",
        ).to_owned(),
        FindingKind::ClockUnsynchronised {} => lang.pick(
            format!(
                "Windows Time is not synchronised with any server (its source is the local clock): a clock more than {CLOCK_HOURS} hours off the KMS host's gives 0xC004F06C."
            ),
            format!(
                "Windows 時間服務未與任何伺服器同步（來源是本機時鐘）：與 KMS 主機相差超過 {CLOCK_HOURS} 小時會產生 0xC004F06C。"
            ),
        ),
        FindingKind::StepFailed { step, error } => lang.pick(
            format!("Collection step {step} failed: {error}"),
            format!("收集步驟 {step} 失敗：{error}"),
        ),
        FindingKind::StepNote { step, note } => lang.pick(
            format!("Collection step {step}: {note}"),
            format!("收集步驟 {step}：{note}"),
        ),
        FindingKind::KeysRedacted { count } => lang.pick(
            format!(
                "{count} product key(s) were masked to their last five characters while collecting."
            ),
            format!("收集時已將 {count} 組產品金鑰遮蔽為只剩最後五個字元。"),
        ),
        FindingKind::EventLogs { finding } => {
            let what = volact_events::phrases::phrase(finding, lang);
            lang.pick(
                format!("Event logs: {what}."),
                format!("事件記錄：{what}。"),
            )
        }
        // `volact scan` writes the sentences of its slmgr diagnosis.
        FindingKind::SlmgrDiagnosis { diagnosis, .. } => {
            volact_scan::phrases::diagnosis(diagnosis, lang)
        }
    }
}

/// What a planned check looks at, in `lang`.
pub fn target(t: &CheckTarget, lang: Lang) -> String {
    match t {
        CheckTarget::Name(name) => name.clone(),
        CheckTarget::SrvHosts => lang
            .pick("each host the SRV records name", "SRV 記錄列出的每一部主機")
            .to_owned(),
        CheckTarget::ThisHost { port } => format!("{}:{port}", lang.pick("this host", "此主機")),
        CheckTarget::AnyTimeServer => lang.pick("a time server", "時間伺服器").to_owned(),
    }
}

/// Why a check is planned, in `lang`.
pub fn reason(r: &CheckReason, lang: Lang) -> String {
    match r {
        CheckReason::ForcedHostTcp => lang.pick(
            "the forced KMS host must accept TCP connections on its port",
            "被指定的 KMS 主機必須能在其連接埠接受 TCP 連線",
        ).to_owned(),
        CheckReason::KmsRpc => lang.pick(
            "a DCE/RPC bind shows whether a KMS service answers there",
            "以 DCE/RPC bind 確認該處是否有 KMS 服務回應",
        ).to_owned(),
        CheckReason::SrvLookup { dns_servers } => {
            let mut s = lang
                .pick(
                    "the SRV lookup a KMS client makes in this domain",
                    "KMS 用戶端在此網域進行的 SRV 查詢",
                )
                .to_owned();
            if !dns_servers.is_empty() {
                s.push_str(&lang.pick(
                    format!(" (through {})", dns_servers.join(", ")),
                    format!("（透過 {}）", dns_servers.join("、")),
                ));
            }
            s
        }
        CheckReason::SrvHostTcp => lang.pick(
            format!("TCP to the port the record gives ({PORT} by default)"),
            format!("連到記錄所指定的連接埠（預設 {PORT}）"),
        ),
        CheckReason::HostFirewall => lang.pick(
            "run from a client: the host's firewall must allow its KMS port (the rule exists but is off by default)",
            "請從用戶端執行：主機的防火牆必須允許 KMS 連接埠（規則預設存在但未啟用）",
        ).to_owned(),
        CheckReason::HostClock => lang.pick(
            format!(
                "clients whose clock is more than {CLOCK_HOURS} hours off this host's (UTC) get 0xC004F06C"
            ),
            format!("用戶端時鐘與此主機（UTC）相差超過 {CLOCK_HOURS} 小時會收到 0xC004F06C"),
        ),
        CheckReason::ClientClock => lang.pick(
            format!("the clock must be within {CLOCK_HOURS} hours of the KMS host's (UTC)"),
            format!("時鐘與 KMS 主機（UTC）的差距必須在 {CLOCK_HOURS} 小時以內"),
        ),
    }
}

impl Refusal {
    /// The reason as words in `lang` (no file name).
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::FileLimit { limit }, Lang::En) => format!(
                "it expands to more than {}, the limit for one file; it was not read",
                bytes(*limit, lang)
            ),
            (Self::FileLimit { limit }, Lang::ZhTw) => {
                format!("解壓縮後超過單一檔案的上限 {}，未讀取", bytes(*limit, lang))
            }
            (Self::TotalLimit { limit }, Lang::En) => format!(
                "the bundle's limit of {} decompressed in all was reached; it was not read",
                bytes(*limit, lang)
            ),
            (Self::TotalLimit { limit }, Lang::ZhTw) => {
                format!(
                    "已達整個套件的解壓縮總量上限 {}，未讀取",
                    bytes(*limit, lang)
                )
            }
            (Self::Ratio { limit }, Lang::En) => format!(
                "it expands more than {limit} times its compressed size, which real data never does (a zip bomb); it was not read"
            ),
            (Self::Ratio { limit }, Lang::ZhTw) => format!(
                "解壓縮後超過壓縮大小的 {limit} 倍，真實資料不會如此（疑似壓縮炸彈），未讀取"
            ),
            (Self::NestedArchive { format }, Lang::En) => format!(
                "it is itself an archive ({format}); archives inside a bundle are not opened"
            ),
            (Self::NestedArchive { format }, Lang::ZhTw) => {
                format!("此檔案本身是壓縮封存檔（{format}）；套件內的封存檔不會被開啟")
            }
            (Self::Duplicate, Lang::En) => {
                "the manifest lists it more than once; it was read once".to_owned()
            }
            (Self::Duplicate, Lang::ZhTw) => "資訊清單列出此檔案不只一次；只讀取一次".to_owned(),
        }
    }
}

impl BundleWarning {
    /// The problem as a sentence in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (
                Self::KeysMasked {
                    file,
                    count: Some(n),
                },
                Lang::En,
            ) => {
                format!("{file}: {n} unredacted product key(s) found and masked")
            }
            (
                Self::KeysMasked {
                    file,
                    count: Some(n),
                },
                Lang::ZhTw,
            ) => {
                format!("{file}：發現 {n} 組未遮蔽的產品金鑰，已遮蔽")
            }
            (Self::KeysMasked { file, count: None }, Lang::En) => {
                format!("{file}: unredacted product key(s) found and masked")
            }
            (Self::KeysMasked { file, count: None }, Lang::ZhTw) => {
                format!("{file}：發現未遮蔽的產品金鑰，已遮蔽")
            }
            (Self::Missing { file, step }, Lang::En) => {
                format!("{file}: listed by step {step} but missing from the zip")
            }
            (Self::Missing { file, step }, Lang::ZhTw) => {
                format!("{file}：收集步驟 {step} 列出了此檔案，但 zip 中沒有")
            }
            (Self::Skipped { file, error }, Lang::En) => format!("{file}: skipped: {error}"),
            (Self::Skipped { file, error }, Lang::ZhTw) => {
                format!("{file}：已略過（{error}）")
            }
            (Self::NotJson { file }, Lang::En) => format!("{file}: not valid JSON; ignored"),
            (Self::NotJson { file }, Lang::ZhTw) => {
                format!("{file}：不是有效的 JSON，已忽略")
            }
            (Self::Refused { file, why }, Lang::En) => {
                format!("{file}: skipped: {}", why.message(Lang::En))
            }
            (Self::Refused { file, why }, Lang::ZhTw) => {
                format!("{file}：已略過（{}）", why.message(Lang::ZhTw))
            }
            (Self::TooManyFiles { count, limit }, Lang::En) => format!(
                "the manifest lists {count} more files than the {limit} a bundle can hold; they were not read"
            ),
            (Self::TooManyFiles { count, limit }, Lang::ZhTw) => {
                format!("資訊清單列出的檔案比套件上限 {limit} 個多出 {count} 個；這些檔案未讀取")
            }
        }
    }
}

#[cfg(test)]
mod tests;
