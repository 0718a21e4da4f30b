//! Every sentence and label of `volact scan`, in both languages, in one place. Analyses return
//! facts ([`Diagnosis`], events, counters); renderers ask here for the words at report time.
//!
//! Adding a slmgr finding: one [`Diagnosis`] variant (`slmgr/diagnose.rs`), one arm pair in
//! [`diagnosis`], one test.

use volact_core::event::EventData;
use volact_core::explain::Coverage;
use volact_core::{Lang, commands};

use crate::slmgr::{Diagnosis, KeyChannel, LicenseState, days};

/// The sentence saying what a diagnosis means, in `lang`.
pub fn diagnosis(d: &Diagnosis, lang: Lang) -> String {
    match *d {
        Diagnosis::Licensed { minutes_left } => match minutes_left.map(days) {
            Some(d) => lang.pick(
                format!("Activated; this activation is valid for {d} more day(s)."),
                format!("已啟用；這次啟用還有 {d} 天有效。"),
            ),
            None => lang.pick("Activated.", "已啟用。").to_owned(),
        },
        Diagnosis::Notification { reason } => match reason {
            Some(r) => lang.pick(
                format!(
                    "Not activated: Windows is in notification mode, reason {r} (see the code's explanation)."
                ),
                format!("未啟用：Windows 處於通知模式，原因碼 {r}（請看該代碼的說明）。"),
            ),
            None => lang
                .pick(
                    "Not activated: Windows is in notification mode.",
                    "未啟用：Windows 處於通知模式。",
                )
                .to_owned(),
        },
        Diagnosis::Unlicensed => lang
            .pick(
                "Not activated: the product is unlicensed.",
                "未啟用：此產品沒有授權。",
            )
            .to_owned(),
        Diagnosis::GracePeriod {
            state,
            minutes_left,
        } => {
            let what = grace(state, lang);
            match minutes_left.map(days) {
                Some(d) => lang.pick(
                    format!(
                        "Not activated yet: in {what}, {d} day(s) left; activate before it ends."
                    ),
                    format!("尚未啟用：處於{what}，剩下 {d} 天；請在期限前完成啟用。"),
                ),
                None => lang.pick(
                    format!("Not activated yet: in {what}; activate before it ends."),
                    format!("尚未啟用：處於{what}；請在期限前完成啟用。"),
                ),
            }
        }
        Diagnosis::KmsHostNotFound => lang
            .pick(
                "KMS client without a KMS host: none is set with /skms and DNS auto-discovery found none (_vlmcs._tcp SRV record); activation fails with 0x8007232B.",
                "KMS 用戶端找不到 KMS 主機：沒有以 /skms 指定，DNS 自動探索也找不到（_vlmcs._tcp SRV 記錄）；啟用會以 0x8007232B 失敗。",
            )
            .to_owned(),
        Diagnosis::KmsClientNotActivated => lang
            .pick(
                "KMS client not activated: run `slmgr.vbs /ato` and read the code it prints; check DNS and TCP 1688 to the KMS host (`volact doctor`).",
                "KMS 用戶端未啟用：執行 `slmgr.vbs /ato` 並查看顯示的代碼；檢查 DNS 與連到 KMS 主機的 TCP 1688（`volact doctor`）。",
            )
            .to_owned(),
        Diagnosis::KmsCountBelowThreshold {
            count: n,
            server_threshold: server,
            client_threshold: client,
        } => {
            if n < u64::from(server) {
                lang.pick(
                    format!(
                        "KMS host count is {n}: below {server} (servers) and {client} (client OS), so every KMS client it serves gets 0xC004F038 until enough distinct machines ask."
                    ),
                    format!(
                        "KMS 主機計數為 {n}：低於 {server}（伺服器）與 {client}（用戶端作業系統），所以在足夠的不同電腦提出要求前，它服務的每個 KMS 用戶端都會收到 0xC004F038。"
                    ),
                )
            } else {
                lang.pick(
                    format!(
                        "KMS host count is {n}: servers and volume Office activate (threshold {server}), but Windows client OS computers get 0xC004F038 until the count reaches {client}."
                    ),
                    format!(
                        "KMS 主機計數為 {n}：伺服器與大量授權 Office 可以啟用（門檻 {server}），但 Windows 用戶端作業系統在計數達到 {client} 前會收到 0xC004F038。"
                    ),
                )
            }
        }
        Diagnosis::KmsCountSufficient {
            count: n,
            server_threshold: server,
            client_threshold: client,
        } => lang.pick(
            format!(
                "KMS host count is {n}: enough for both client OS ({client}) and server ({server}) activation."
            ),
            format!("KMS 主機計數為 {n}：足以啟用用戶端作業系統（{client}）與伺服器（{server}）。"),
        ),
        Diagnosis::KmsFailedRequests { failed, total } => lang.pick(
            format!(
                "The KMS host has received {failed} failed request(s) out of {total}; the clients' events 12288/12289 and the host's 12290 tell why."
            ),
            format!(
                "KMS 主機收到的 {total} 個要求中有 {failed} 個失敗；用戶端事件 12288/12289 與主機的 12290 會說明原因。"
            ),
        ),
        Diagnosis::KmsDnsPublishingOff => lang
            .pick(
                "The KMS host does not publish its _vlmcs._tcp SRV record; clients need the record created by hand or /skms.",
                "KMS 主機未發佈 _vlmcs._tcp SRV 記錄；用戶端需要手動建立記錄或使用 /skms。",
            )
            .to_owned(),
        Diagnosis::KmsUnreachable | Diagnosis::ActivationFailed { .. } => attempt(d, lang),
        Diagnosis::GvlkInstalled { .. }
        | Diagnosis::GvlkOfAnotherEdition { .. }
        | Diagnosis::KmsClientKeyNeeded { .. }
        | Diagnosis::HostKeyCannotServe { .. } => key(d, lang),
        Diagnosis::ActivatedByAd
        | Diagnosis::AdActivationObject
        | Diagnosis::AdObjectNotFound
        | Diagnosis::AdSchemaTooOld { .. }
        | Diagnosis::AdRetailChannel => adba(d, lang),
    }
}

/// The commands a diagnosis recommends, each in backquotes with its elevation mark from the
/// commands table (`volact_core::commands::text_mark`), joined by `; `.
fn runs(d: &Diagnosis, lang: Lang) -> String {
    d.marked()
        .iter()
        .map(|m| {
            let mark = commands::text_mark(m.elevated, lang);
            if mark.is_empty() {
                format!("`{}`", m.run)
            } else {
                format!("`{}` {mark}", m.run)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Where the whole KMS client setup key of an edition is shown: `volact products` (the one
/// output that prints published keys whole).
fn products_cmd(query: Option<&str>) -> String {
    match query {
        Some(q) => format!("`volact products \"{q}\" --gvlk`"),
        None => "`volact products --gvlk`".to_owned(),
    }
}

/// The sentences about the installed key and the host key.
fn key(d: &Diagnosis, lang: Lang) -> String {
    let run = runs(d, lang);
    match *d {
        Diagnosis::GvlkInstalled { edition } => lang.pick(
            format!("KMS client setup key (GVLK) for {edition} installed."),
            format!("已安裝 {edition} 的 KMS 用戶端安裝金鑰（GVLK）。"),
        ),
        Diagnosis::GvlkOfAnotherEdition {
            installed,
            edition,
            activation_id,
            ..
        } => {
            let show = products_cmd(Some(activation_id.unwrap_or(edition)));
            lang.pick(
                format!(
                    "The installed key is the KMS client setup key of {installed}, not of this edition ({edition}): install this edition's key ({show} prints it whole), then activate: {run}."
                ),
                format!(
                    "已安裝的是 {installed} 的 KMS 用戶端安裝金鑰，而不是此版本（{edition}）的：請安裝此版本的金鑰（{show} 會顯示完整金鑰），再啟用：{run}。"
                ),
            )
        }
        Diagnosis::KmsClientKeyNeeded {
            channel,
            edition,
            activation_id,
            ..
        } => {
            let what = key_channel(channel, lang);
            let show = products_cmd(activation_id.or(edition));
            match edition {
                Some(e) => lang.pick(
                    format!(
                        "A {what} is installed, but this machine is set up for KMS activation: install the KMS client setup key of {e} ({show} prints it whole), then activate: {run}."
                    ),
                    format!(
                        "已安裝{what}，但這台電腦設定為 KMS 啟用：請安裝 {e} 的 KMS 用戶端安裝金鑰（{show} 會顯示完整金鑰），再啟用：{run}。"
                    ),
                ),
                None => lang.pick(
                    format!(
                        "A {what} is installed, but this machine is set up for KMS activation: install the KMS client setup key (GVLK) of this edition ({show} lists them), then activate: {run}."
                    ),
                    format!(
                        "已安裝{what}，但這台電腦設定為 KMS 啟用：請安裝此版本的 KMS 用戶端安裝金鑰（GVLK，{show} 會列出），再啟用：{run}。"
                    ),
                ),
            }
        }
        Diagnosis::HostKeyCannotServe { host_key, needs } => {
            let sep = lang.pick(", ", "、");
            let missing = host_key.cannot_serve().join(sep);
            let hosts = needs
                .hosts
                .iter()
                .map(|h| match h.update {
                    Some(u) => format!("{} ({u})", h.os),
                    None => h.os.to_owned(),
                })
                .collect::<Vec<_>>()
                .join(sep);
            let (have, want) = (host_key.0.name, needs.name);
            lang.pick(
                format!(
                    "This KMS host's key ({have}) cannot activate {missing}: their clients get 0xC004F042 or 0xC004F015. Install the host key {want} on one of {hosts} (the update in brackets first): {run}."
                ),
                format!(
                    "這台 KMS 主機的金鑰（{have}）無法啟用 {missing}：這些用戶端會收到 0xC004F042 或 0xC004F015。請在下列主機之一安裝主機金鑰 {want}：{hosts}（括號內的更新需先安裝）：{run}。"
                ),
            )
        }
        _ => String::new(),
    }
}

/// A key channel inside a sentence.
fn key_channel(c: KeyChannel, lang: Lang) -> &'static str {
    match c {
        KeyChannel::Retail => lang.pick("retail key", "零售版金鑰"),
        KeyChannel::Oem => lang.pick("OEM key", "OEM 金鑰"),
        KeyChannel::Mak => lang.pick("MAK (Multiple Activation Key)", "MAK（多次啟用金鑰）"),
    }
}

/// The sentences about Active Directory-based activation.
fn adba(d: &Diagnosis, lang: Lang) -> String {
    let run = runs(d, lang);
    match *d {
        Diagnosis::ActivatedByAd => lang
            .pick(
                "Activated by Active Directory (an activation object in the forest): no KMS host is asked, so a KMS host's count stays low by design.",
                "由 Active Directory 啟用（樹系中的啟用物件）：不會詢問 KMS 主機，所以 KMS 主機的計數偏低是設計如此。",
            )
            .to_owned(),
        Diagnosis::AdActivationObject => lang
            .pick(
                "An Active Directory activation object exists: domain-joined KMS clients of its products activate through AD, and no KMS host counts them.",
                "存在 Active Directory 啟用物件：加入網域的該產品 KMS 用戶端會透過 AD 啟用，不會被任何 KMS 主機計數。",
            )
            .to_owned(),
        Diagnosis::AdObjectNotFound => lang.pick(
            format!(
                "0xC004F081: Active Directory holds no activation object for this product. Create one with the KMS host key of a release that covers it ({run}), or let the client use a KMS host."
            ),
            format!(
                "0xC004F081：Active Directory 中沒有此產品的啟用物件。請以涵蓋它的版本的 KMS 主機金鑰建立物件（{run}），或讓用戶端改用 KMS 主機。"
            ),
        ),
        Diagnosis::AdSchemaTooOld { code } => lang.pick(
            format!(
                "{code}: the forest's schema is too old for Active Directory-based activation; it needs the Windows Server 2012 schema or later. Until it is raised, clients need a KMS host."
            ),
            format!(
                "{code}：樹系的結構描述太舊，無法使用 Active Directory 型啟用；需要 Windows Server 2012 或更新的結構描述。升級前用戶端需要 KMS 主機。"
            ),
        ),
        Diagnosis::AdRetailChannel => lang.pick(
            format!(
                "0x8007007B on a retail key: Active Directory-based activation only activates KMS client setup keys (GVLK), so it cannot apply here. Install this edition's GVLK (`volact products --gvlk`), then activate: {run}."
            ),
            format!(
                "零售版金鑰上的 0x8007007B：Active Directory 型啟用只啟用 KMS 用戶端安裝金鑰（GVLK），因此不適用。請安裝此版本的 GVLK（`volact products --gvlk`），再啟用：{run}。"
            ),
        ),
        _ => String::new(),
    }
}

/// The name of a grace period, as used inside a sentence.
fn grace(state: LicenseState, lang: Lang) -> &'static str {
    match state {
        LicenseState::OobGrace => lang.pick("the initial grace period", "初始寬限期"),
        LicenseState::OotGrace => lang.pick(
            "the additional grace period (KMS activation expired or hardware changed too much)",
            "額外寬限期（KMS 啟用已過期或硬體變動過多）",
        ),
        LicenseState::NonGenuineGrace => lang.pick("the non-genuine grace period", "非正版寬限期"),
        _ => lang.pick("the extended grace period", "延長寬限期"),
    }
}

/// `Licensed` or `Not licensed`, for a snapshot whose status line was not printed (`/xpr`).
pub(crate) fn licensed_word(state: LicenseState, lang: Lang) -> &'static str {
    if state == LicenseState::Licensed {
        lang.pick("Licensed", "已授權")
    } else {
        lang.pick("Not licensed", "未授權")
    }
}

/// What an event is, in a few words.
pub(crate) fn event_title(d: &EventData, lang: Lang) -> &'static str {
    let (en, zh) = match d {
        EventData::ClientRequest(_) => (
            "KMS client sent an activation request",
            "KMS 用戶端送出啟用要求",
        ),
        EventData::ClientResponse(_) => (
            "KMS client processed the host's response",
            "KMS 用戶端處理了主機的回應",
        ),
        EventData::HostRequest(_) => ("KMS host processed a request", "KMS 主機處理了一個要求"),
        EventData::DnsPublishFailed(_) => (
            "KMS host could not publish its SRV record",
            "KMS 主機無法發佈 SRV 記錄",
        ),
        EventData::DnsPublished(_) => (
            "KMS host published its SRV record",
            "KMS 主機已發佈 SRV 記錄",
        ),
        EventData::SluiFailed(_) => (
            "License Activation (slui.exe) failed",
            "授權啟用 (slui.exe) 失敗",
        ),
        EventData::LicensingStatus(_) => ("licensing status check", "授權狀態檢查"),
        EventData::Other { .. } => ("activation event", "啟用事件"),
        EventData::Spp(s) => return s.title(lang),
    };
    lang.pick(en, zh)
}

/// Words inside an event's one-line brief.
pub(crate) fn needs_count(lang: Lang) -> &'static str {
    lang.pick("needs count", "需要計數")
}

/// Words inside an event's one-line brief.
pub(crate) fn host_count(lang: Lang) -> &'static str {
    lang.pick("host count", "主機計數")
}

/// Whether a client was activated, in an event's brief.
pub(crate) fn activated(yes: bool, lang: Lang) -> &'static str {
    if yes {
        lang.pick("activated", "已啟用")
    } else {
        lang.pick("not activated", "未啟用")
    }
}

/// The labels of the text, Markdown and CSV renderers.
pub(crate) struct Labels {
    pub(crate) summary: &'static str,
    pub(crate) codes: &'static str,
    pub(crate) matches_in: &'static str,
    pub(crate) of: &'static str,
    pub(crate) inputs_word: &'static str,
    pub(crate) known: &'static str,
    pub(crate) named: &'static str,
    pub(crate) unknown: &'static str,
    pub(crate) times_in: &'static str,
    pub(crate) files: &'static str,
    pub(crate) first: &'static str,
    pub(crate) last: &'static str,
    pub(crate) snapshots: &'static str,
    pub(crate) license_status: &'static str,
    pub(crate) partial_key: &'static str,
    pub(crate) notification_reason: &'static str,
    pub(crate) time_remaining: &'static str,
    pub(crate) kms_client: &'static str,
    pub(crate) kms_from_dns: &'static str,
    pub(crate) kms_registered: &'static str,
    pub(crate) kms_not_found: &'static str,
    pub(crate) kms_host: &'static str,
    pub(crate) current_count: &'static str,
    pub(crate) port: &'static str,
    pub(crate) requests: &'static str,
    pub(crate) failed: &'static str,
    pub(crate) events: &'static str,
    pub(crate) details: &'static str,
    pub(crate) shown_of: &'static str,
    pub(crate) inputs: &'static str,
    pub(crate) read: &'static str,
    pub(crate) skipped: &'static str,
    pub(crate) errors: &'static str,
    pub(crate) bytes: &'static str,
    pub(crate) lines: &'static str,
    pub(crate) binary: &'static str,
    pub(crate) not_a_file: &'static str,
    pub(crate) replaced: &'static str,
    pub(crate) event_problems: &'static str,
    pub(crate) nothing: &'static str,
    pub(crate) product: &'static str,
    pub(crate) code: &'static str,
    pub(crate) name: &'static str,
    pub(crate) coverage: &'static str,
    pub(crate) count: &'static str,
    pub(crate) meaning: &'static str,
    pub(crate) place: &'static str,
    pub(crate) context: &'static str,
    pub(crate) diagnosis: &'static str,
    pub(crate) edition: &'static str,
    pub(crate) kms_count_needed: &'static str,
    pub(crate) host_key: &'static str,
    pub(crate) products_word: &'static str,
}

const EN: Labels = Labels {
    summary: "Summary by code",
    codes: "code(s)",
    matches_in: "match(es) in",
    of: "of",
    inputs_word: "input(s)",
    known: "known",
    named: "named",
    unknown: "unknown",
    times_in: "time(s) in",
    files: "file(s)",
    first: "first",
    last: "last",
    snapshots: "slmgr license snapshots",
    license_status: "License status",
    partial_key: "partial product key",
    notification_reason: "notification reason",
    time_remaining: "time remaining",
    kms_client: "KMS client",
    kms_from_dns: "KMS host from DNS",
    kms_registered: "KMS host set with /skms",
    kms_not_found: "no KMS host found by DNS",
    kms_host: "KMS host",
    current_count: "current count",
    port: "port",
    requests: "requests",
    failed: "failed",
    events: "Events",
    details: "Matches",
    shown_of: "shown of",
    inputs: "Inputs",
    read: "read",
    skipped: "skipped",
    errors: "error(s)",
    bytes: "bytes",
    lines: "lines",
    binary: "binary",
    not_a_file: "not a file",
    replaced: "invalid bytes replaced",
    event_problems: "event text that could not be read",
    nothing: "No activation code, slmgr output or event found.",
    product: "product",
    code: "Code",
    name: "Name",
    coverage: "Coverage",
    count: "Count",
    meaning: "Meaning",
    place: "Place",
    context: "Context",
    diagnosis: "Diagnosis",
    edition: "edition",
    kms_count_needed: "KMS count needed",
    host_key: "host key",
    products_word: "product(s) it activates",
};

const ZH: Labels = Labels {
    summary: "依代碼彙總",
    codes: "個代碼",
    matches_in: "筆符合，位於",
    of: "/",
    inputs_word: "個輸入",
    known: "已知",
    named: "有名稱",
    unknown: "未知",
    times_in: "次，位於",
    files: "個檔案",
    first: "首次",
    last: "最後",
    snapshots: "slmgr 授權快照",
    license_status: "授權狀態",
    partial_key: "部分產品金鑰",
    notification_reason: "通知原因",
    time_remaining: "剩餘時間",
    kms_client: "KMS 用戶端",
    kms_from_dns: "DNS 找到的 KMS 主機",
    kms_registered: "以 /skms 指定的 KMS 主機",
    kms_not_found: "DNS 找不到 KMS 主機",
    kms_host: "KMS 主機",
    current_count: "目前計數",
    port: "連接埠",
    requests: "要求",
    failed: "失敗",
    events: "事件",
    details: "符合項目",
    shown_of: "筆已顯示，共",
    inputs: "輸入",
    read: "已讀取",
    skipped: "已略過",
    errors: "個錯誤",
    bytes: "位元組",
    lines: "行",
    binary: "二進位檔",
    not_a_file: "不是檔案",
    replaced: "無效位元組已取代",
    event_problems: "無法讀取的事件文字",
    nothing: "找不到啟用錯誤碼、slmgr 輸出或事件。",
    product: "產品",
    code: "代碼",
    name: "名稱",
    coverage: "涵蓋",
    count: "次數",
    meaning: "說明",
    place: "位置",
    context: "上下文",
    diagnosis: "診斷",
    edition: "版本",
    kms_count_needed: "所需 KMS 計數",
    host_key: "主機金鑰",
    products_word: "個可啟用的產品",
};

/// The labels in `lang`.
pub(crate) fn labels(lang: Lang) -> &'static Labels {
    lang.pick(&EN, &ZH)
}

/// `known`, `named` or `unknown`, in the labels' language.
pub(crate) fn coverage(l: &Labels, c: Coverage) -> &'static str {
    match c {
        Coverage::Known => l.known,
        Coverage::Named => l.named,
        Coverage::Unknown => l.unknown,
    }
}

/// The sentence for a failed activation attempt (`slmgr /ato`, `ospp.vbs /act`, ospp's status).
fn attempt(d: &Diagnosis, lang: Lang) -> String {
    match *d {
        Diagnosis::KmsUnreachable => lang
            .pick(
                "Activation failed with 0xC004F074: no KMS host answered. Check that the KMS host name resolves (the _vlmcs._tcp SRV record or /skms), that TCP 1688 reaches it, and that its service runs (`volact doctor`).",
                "啟用以 0xC004F074 失敗：沒有任何 KMS 主機回應。請確認 KMS 主機名稱能解析（_vlmcs._tcp SRV 記錄或 /skms）、TCP 1688 連得到，且主機的服務正在執行（`volact doctor`）。",
            )
            .to_owned(),
        Diagnosis::ActivationFailed { code } => lang.pick(
            format!("Activation failed with {code} (see the code's explanation)."),
            format!("啟用以 {code} 失敗（請看該代碼的說明）。"),
        ),
        _ => String::new(),
    }
}

/// The line that stands for the values no table knows outside an error context: collapsed (the
/// default) or listed (`--all-codes`).
pub(crate) fn other_values(values: u64, lines: u64, listed: bool, lang: Lang) -> String {
    match (lang, listed) {
        (Lang::En, false) => format!(
            "{values} other hex value(s) on {lines} line(s) that no table knows and no error \
             word stands beside (handles, flags, hashes): --all-codes lists them."
        ),
        (Lang::En, true) => format!(
            "{values} hex value(s) on {lines} line(s) that no table knows and no error word \
             stands beside are listed last (--all-codes), ranked \"other\"."
        ),
        (Lang::ZhTw, false) => format!(
            "另有 {values} 個十六進位值（分布於 {lines} 行）沒有任何表格認得，旁邊也沒有表示錯誤的字詞\
             （多半是控制代碼、旗標、雜湊值）：加上 --all-codes 即可列出。"
        ),
        (Lang::ZhTw, true) => format!(
            "{values} 個沒有任何表格認得、旁邊也沒有錯誤字詞的十六進位值（分布於 {lines} 行）\
             已依 --all-codes 列在最後，等級為「other」。"
        ),
    }
}

/// Why a Windows event log file was not read, with the command that reads it.
pub(crate) fn evtx_skipped(path: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("Windows event log, which scan does not read: volact events {path}"),
        Lang::ZhTw => format!("Windows 事件記錄檔，scan 不讀取：請改用 volact events {path}"),
    }
}

/// The summary's sentence about the event log files that were skipped.
pub(crate) fn evtx_summary(count: u64, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{count} Windows event log file(s) (.evtx) skipped: scan reads text; \
             `volact events PATH` reads event logs (a file or a folder of them)."
        ),
        Lang::ZhTw => format!(
            "已略過 {count} 個 Windows 事件記錄檔（.evtx）：scan 只讀取文字；\
             事件記錄檔請用 `volact events PATH` 讀取（可指定檔案或資料夾）。"
        ),
    }
}
