//! The activation events volact explains by their ID (`volact explain 12288`): where Windows
//! logs each one, what it records, and the sentence that says so.

use serde::Serialize;

use crate::code::{ErrorCode, Form};
use crate::kb::{self, Lang};

/// Where an activation event is logged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventMachine {
    /// The KMS client (or any machine that activates).
    Client,
    /// The KMS host.
    KmsHost,
}

/// An activation event volact knows by its ID: where Windows logs it and what it records.
struct EventInfo {
    id: u16,
    machine: EventMachine,
    log: &'static str,
    source: &'static str,
    /// Whether `volact events` reads its fields (otherwise it lists the codes the event carries).
    typed: bool,
    title: [&'static str; 2],
    records: [&'static str; 2],
}

const SPP: &str = "Microsoft-Windows-Security-SPP";
const SPP_OR_SLC: &str =
    "Microsoft-Windows-Security-SPP / Microsoft-Windows-Security-Licensing-SLC";
const SLC: &str = "Microsoft-Windows-Security-Licensing-SLC";
const APP: &str = "Application";
const KMS_LOG: &str = "Key Management Service";

/// The activation events, by ID: the seven that `volact events` reads field by field (see
/// [`crate::event`]) and the other activation events the knowledge base points to.
const EVENTS: &[EventInfo] = &[
    EventInfo {
        id: 12288,
        machine: EventMachine::Client,
        log: APP,
        source: SPP_OR_SLC,
        typed: true,
        title: [
            "the KMS client sent an activation request to a KMS host",
            "KMS 用戶端已向 KMS 主機送出啟用要求",
        ],
        records: [
            "the result code, the KMS host and port it contacted, the client machine ID (CMID), the client's time, whether it is a virtual machine, its license state and time left, and the count it needs (25 or 5)",
            "結果代碼、所連絡的 KMS 主機與連接埠、用戶端電腦識別碼 (CMID)、用戶端時間、是否為虛擬機器、授權狀態與剩餘時間，以及所需的計數（25 或 5）",
        ],
    },
    EventInfo {
        id: 12289,
        machine: EventMachine::Client,
        log: APP,
        source: SPP_OR_SLC,
        typed: true,
        title: [
            "the KMS client processed the KMS host's answer",
            "KMS 用戶端已處理 KMS 主機的回應",
        ],
        records: [
            "the result code, whether the client is now activated, the count the host reported, the activation and renewal intervals, and the client's time",
            "結果代碼、用戶端是否已啟用、主機回報的目前計數、啟用與更新間隔，以及用戶端時間",
        ],
    },
    EventInfo {
        id: 12290,
        machine: EventMachine::KmsHost,
        log: KMS_LOG,
        source: SPP_OR_SLC,
        typed: true,
        title: [
            "the KMS host processed a client's activation request",
            "KMS 主機已處理用戶端的啟用要求",
        ],
        records: [
            "the result returned to the client, the count the client needs, the client's name and machine ID (CMID), its time, whether it is a virtual machine, its license state and time left, and the Activation ID",
            "回傳給用戶端的結果、用戶端所需的計數、用戶端名稱與電腦識別碼 (CMID)、用戶端時間、是否為虛擬機器、授權狀態與剩餘時間，以及啟用識別碼",
        ],
    },
    EventInfo {
        id: 12293,
        machine: EventMachine::KmsHost,
        log: APP,
        source: SPP_OR_SLC,
        typed: true,
        title: [
            "the KMS host could not publish its _vlmcs._tcp SRV record in DNS",
            "KMS 主機無法在 DNS 中發佈其 _vlmcs._tcp SRV 記錄",
        ],
        records: [
            "the error code of the DNS update and the domain it tried",
            "DNS 更新的錯誤碼，以及嘗試發佈的網域",
        ],
    },
    EventInfo {
        id: 12294,
        machine: EventMachine::KmsHost,
        log: APP,
        source: SPP_OR_SLC,
        typed: true,
        title: [
            "the KMS host published its _vlmcs._tcp SRV record in DNS",
            "KMS 主機已在 DNS 中發佈其 _vlmcs._tcp SRV 記錄",
        ],
        records: ["the domain it was published in", "發佈所在的網域"],
    },
    EventInfo {
        id: 8198,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: true,
        title: [
            "an activation attempt (slui.exe or the automatic activation task) failed",
            "一次啟用嘗試（slui.exe 或自動啟用工作）失敗",
        ],
        records: [
            "the failure code as hr=0x… and the rule that ran (RuleId=…;Action=…)",
            "以 hr=0x… 表示的失敗代碼，以及執行的規則（RuleId=…;Action=…）",
        ],
    },
    EventInfo {
        id: 1003,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: true,
        title: [
            "the Software Protection service finished a licensing status check",
            "軟體保護服務已完成授權狀態檢查",
        ],
        records: [
            "the products (SKU IDs) it checked, each with a status code",
            "所檢查的產品（SKU 識別碼），每項各有一個狀態代碼",
        ],
    },
    EventInfo {
        id: 12321,
        machine: EventMachine::Client,
        log: APP,
        source: SLC,
        typed: false,
        title: [
            "token-based activation failed (a warning)",
            "以權杖為基礎的啟用失敗（警告）",
        ],
        records: ["the failure code as HR=0x…", "以 HR=0x… 表示的失敗代碼"],
    },
    EventInfo {
        id: 8229,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: false,
        title: [
            "the Software Protection service could not start the activation user interface (a warning)",
            "軟體保護服務無法啟動啟用使用者介面（警告）",
        ],
        records: [
            "the error code (often 0x80070005, access denied) and the path of SLUI.exe",
            "錯誤碼（常見為 0x80070005，存取遭拒）以及 SLUI.exe 的路徑",
        ],
    },
    EventInfo {
        id: 8200,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: false,
        title: ["license acquisition failed", "授權取得失敗"],
        records: ["the failure code as hr=0x…", "以 hr=0x… 表示的失敗代碼"],
    },
    EventInfo {
        id: 8208,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: false,
        title: ["acquiring a genuine ticket failed", "正版票證取得失敗"],
        records: ["the failure code as hr=0x…", "以 hr=0x… 表示的失敗代碼"],
    },
    EventInfo {
        id: 8209,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: false,
        title: [
            "the genuine state of Windows was set (for example to non-genuine)",
            "Windows 的正版狀態已被設定（例如設為非正版）",
        ],
        records: ["the new genuine state", "新的正版狀態"],
    },
    EventInfo {
        id: 8196,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: false,
        title: [
            "the license activation scheduler could not activate Windows automatically",
            "授權啟用排程器無法自動啟用 Windows",
        ],
        records: ["the failure code", "失敗代碼"],
    },
];

/// The number of an activation event, explained: where it is logged and what it records.
///
/// Filled when a number written in decimal (`12288`) is the ID of an activation event; the rest of
/// the [`Explanation`](crate::explain::Explanation) is then the secondary reading of the same number as a Win32 error.
#[derive(Clone, Debug, Serialize)]
pub struct EventIdOut {
    /// The event ID.
    pub id: u16,
    /// The machine that logs it.
    pub machine: EventMachine,
    /// The log it is in, as Windows names it (`Application`, `Key Management Service`).
    pub log: &'static str,
    /// The event source (provider).
    pub source: &'static str,
    /// What the event says happened, in the chosen language.
    pub title: &'static str,
    /// What it records, in the chosen language.
    pub records: &'static str,
    /// Where to find it and how volact reads it, in the chosen language.
    pub where_to_look: String,
    /// Whether `volact events` reads its fields (otherwise it counts the codes the event carries).
    pub read_by_volact_events: bool,
    /// Knowledge-base entries that point to this event.
    pub codes: Vec<ErrorCode>,
    /// The number read as a Win32 error instead: one line.
    pub as_win32: String,
}

/// The activation event a decimal number names, if any.
pub(crate) fn event_of(
    code: ErrorCode,
    form: Form,
    lang: Lang,
    as_win32: &str,
) -> Option<EventIdOut> {
    if form != Form::Win32Decimal {
        return None;
    }
    let id = u16::try_from(code.value() & 0xFFFF).ok()?;
    let info = EVENTS.iter().find(|e| e.id == id)?;
    let i = match lang {
        Lang::En => 0,
        Lang::ZhTw => 1,
    };
    let volact = if info.typed {
        match lang {
            Lang::En => "`volact events <exported .evtx or .xml>` reads its fields",
            Lang::ZhTw => "`volact events <匯出的 .evtx 或 .xml>` 會讀取其欄位",
        }
    } else {
        match lang {
            Lang::En => "`volact events <exported .evtx or .xml>` lists the codes it carries",
            Lang::ZhTw => "`volact events <匯出的 .evtx 或 .xml>` 會列出其中的代碼",
        }
    };
    let where_to_look = match (lang, info.machine, info.log) {
        (Lang::En, EventMachine::KmsHost, KMS_LOG) => format!(
            "On the KMS host, in Event Viewer under Applications and Services Logs > {KMS_LOG} (wevtutil qe \"{KMS_LOG}\" /q:\"*[System[(EventID={id})]]\" /f:text); {volact}."
        ),
        (Lang::En, m, log) => format!(
            "On the {}, in Event Viewer under Windows Logs > {log}, filtered on event ID {id} (wevtutil qe {log} /q:\"*[System[(EventID={id})]]\" /f:text); {volact}.",
            if m == EventMachine::KmsHost {
                "KMS host"
            } else {
                "client"
            }
        ),
        (Lang::ZhTw, EventMachine::KmsHost, KMS_LOG) => format!(
            "在 KMS 主機上，事件檢視器的「應用程式及服務記錄檔」>「{KMS_LOG}」（wevtutil qe \"{KMS_LOG}\" /q:\"*[System[(EventID={id})]]\" /f:text）；{volact}。"
        ),
        (Lang::ZhTw, m, log) => format!(
            "在{}上，事件檢視器的「Windows 記錄」>「{}」，以事件識別碼 {id} 篩選（wevtutil qe {log} /q:\"*[System[(EventID={id})]]\" /f:text）；{volact}。",
            if m == EventMachine::KmsHost {
                " KMS 主機"
            } else {
                "用戶端"
            },
            if log == APP { "應用程式" } else { log }
        ),
    };
    let codes = kb::entries()
        .iter()
        .filter(|e| e.events.contains(&id))
        .map(|e| e.code)
        .collect();
    Some(EventIdOut {
        id,
        machine: info.machine,
        log: info.log,
        source: info.source,
        title: info.title[i],
        records: info.records[i],
        where_to_look,
        read_by_volact_events: info.typed,
        codes,
        as_win32: as_win32.to_owned(),
    })
}

/// The IDs of the activation events volact explains (`volact explain 12288`).
pub fn event_ids() -> impl Iterator<Item = u16> {
    EVENTS.iter().map(|e| e.id)
}

/// Whether a number is the ID of an activation event volact explains.
pub fn is_event_id(n: u32) -> bool {
    EVENTS.iter().any(|e| u32::from(e.id) == n)
}

/// One sentence about a number that is an activation event ID.
pub fn describe_event(ev: &EventIdOut, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{} is the ID of an activation event, not an error code: {} (logged on the {} in the {} log).",
            ev.id,
            ev.title,
            match ev.machine {
                EventMachine::Client => "client",
                EventMachine::KmsHost => "KMS host",
            },
            ev.log
        ),
        Lang::ZhTw => format!(
            "{} 是啟用事件的識別碼，不是錯誤碼：{}（記錄在{}的「{}」記錄檔中）。",
            ev.id,
            ev.title,
            match ev.machine {
                EventMachine::Client => "用戶端",
                EventMachine::KmsHost => " KMS 主機",
            },
            if ev.log == "Application" {
                "應用程式"
            } else {
                ev.log
            }
        ),
    }
}
