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
    /// The Hyper-V host of virtual machines activated by Automatic VM Activation (AVMA).
    HyperVHost,
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

/// The activation events, by ID: the ones that `volact events` reads field by field (see
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
    // 8196 and the entries below: message table of sppsvc.exe (libyal/winevt-kb,
    // docs/sources/message-files/MessageFile-sppsvc.exe.md); 8196 is in the Windows 7 table only.
    EventInfo {
        id: 8196,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: true,
        title: [
            "the license activation scheduler (sppuinotify.dll) could not activate Windows automatically",
            "授權啟用排程器 (sppuinotify.dll) 無法自動啟用 Windows",
        ],
        records: [
            "the error code; the scheduler tries again later, so one such event followed by a successful activation needs nothing",
            "錯誤碼；排程器稍後會再試，因此若之後有成功的啟用，單一此類事件無須處理",
        ],
    },
    EventInfo {
        id: 8230,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: true,
        title: [
            "the rules engine re-checked its licensing schedule (routine, information only)",
            "規則引擎已重新評估授權排程（例行，僅供參考）",
        ],
        records: [
            "the licensing state it found as Key=Value pairs: AppId, SkuId, LicenseState, ProductKeyType, the last five characters of the key, the grace end date and the last consumption reason; a LICENSED state counts as proof of activation",
            "以 Key=Value 列出其所見的授權狀態：AppId、SkuId、LicenseState、ProductKeyType、金鑰最後五個字元、寬限期結束日與最後一次使用原因；狀態為 LICENSED 即表示已啟用",
        ],
    },
    EventInfo {
        id: 8233,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: true,
        title: [
            "the rules engine reported a failed volume-license (KMS/AD) activation attempt",
            "規則引擎回報一次失敗的大量授權（KMS/AD）啟用嘗試",
        ],
        records: [
            "the reason code (0x8007007B: no KMS host found in DNS, 0xC004F074: no KMS host answered, …), the AppId (0ff1ce15-a989-479d-af46-f275c6370663 is Office, 55c92734-d682-4d71-983e-d6ec3f16059f is Windows), the SkuId and the trigger; the client retries on its schedule",
            "原因代碼（0x8007007B：DNS 中找不到 KMS 主機；0xC004F074：沒有 KMS 主機回應…）、AppId（0ff1ce15-a989-479d-af46-f275c6370663 為 Office，55c92734-d682-4d71-983e-d6ec3f16059f 為 Windows）、SkuId 與觸發原因；用戶端會依排程重試",
        ],
    },
    // 1058: KB 2916670 (ACTIVATION-FACTS: safe to ignore on OEM-activated machines); the number is
    // also a Group Policy (Userenv) event, which volact never reads as this one.
    EventInfo {
        id: 1058,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: true,
        title: [
            "the Software Protection service could not install the product key stored in the firmware (ACPI table), a warning",
            "軟體保護服務無法安裝韌體（ACPI 表）中儲存的產品金鑰（警告）",
        ],
        records: [
            "the error code; on OEM machines that are activated it is usually harmless (activation data left over from manufacturing). Only this provider's 1058 is meant: Group Policy logs a different 1058",
            "錯誤碼；在已啟用的 OEM 電腦上通常無害（工廠生產時留下的啟用資料）。僅指此來源的 1058：群組原則另有不同的 1058",
        ],
    },
    EventInfo {
        id: 16384,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: true,
        title: [
            "the Software Protection service scheduled its own restart (routine)",
            "軟體保護服務排定了自身的重新啟動（例行）",
        ],
        records: [
            "when the restart is due and why (RulesEngine and the like); it is a scheduled re-check, not a problem",
            "重新啟動的預定時間與原因（例如 RulesEngine）；這是排定的重新檢查，不是問題",
        ],
    },
    // ADBA: REAL-EVIDENCE §6 and windows-itpro-docs
    // activate-using-active-directory-based-activation-client.md.
    EventInfo {
        id: 12308,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: true,
        title: [
            "the machine activated through Active Directory (AD-based activation)",
            "此電腦已透過 Active Directory 啟用（AD 型啟用）",
        ],
        records: [
            "the SKU ID, the name and the distinguished name of the activation object it used; such clients never contact a KMS host, so the host's count does not grow from them",
            "SKU 識別碼，以及所用啟用物件的名稱與辨別名稱；這類用戶端不會連絡 KMS 主機，因此不會增加主機的計數",
        ],
    },
    EventInfo {
        id: 8213,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: true,
        title: [
            "the activation object could not be read from Active Directory",
            "無法從 Active Directory 讀取啟用物件",
        ],
        records: [
            "the error code (0x80072030: no Activation Objects container in the forest, …) and the KMS ID the client looked for; the client then falls back to KMS",
            "錯誤碼（0x80072030：樹系中沒有 Activation Objects 容器…）與用戶端所找的 KMS 識別碼；用戶端之後會改用 KMS",
        ],
    },
    EventInfo {
        id: 8214,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: true,
        title: [
            "the Active Directory activation object is not usable",
            "Active Directory 啟用物件無法使用",
        ],
        records: [
            "the error code (0xC004F081: object missing or invalid, 0xC004F082: name too long, …), the KMS ID, and the object's name and distinguished name",
            "錯誤碼（0xC004F081：物件不存在或無效；0xC004F082：名稱過長…）、KMS 識別碼，以及物件的名稱與辨別名稱",
        ],
    },
    EventInfo {
        id: 8215,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: true,
        title: [
            "Active Directory-based activation failed",
            "Active Directory 型啟用失敗",
        ],
        records: [
            "the error code (0xC004F083: the schema does not support AD activation, 0xC004F081, …) and the SKU ID",
            "錯誤碼（0xC004F083：結構描述不支援 AD 啟用；0xC004F081…）與 SKU 識別碼",
        ],
    },
    EventInfo {
        id: 12309,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: true,
        title: [
            "a virtual machine processed the Automatic VM Activation (AVMA) answer of its Hyper-V host",
            "虛擬機器已處理其 Hyper-V 主機的自動虛擬機器啟用 (AVMA) 回應",
        ],
        records: [
            "the result as hr=0x… (0x0: activated) and a detail string; logged inside the guest",
            "以 hr=0x… 表示的結果（0x0 表示已啟用）與一段詳細資料；記錄在客體作業系統內",
        ],
    },
    EventInfo {
        id: 12310,
        machine: EventMachine::HyperVHost,
        log: APP,
        source: SPP,
        typed: true,
        title: [
            "the Hyper-V host processed an Automatic VM Activation (AVMA) request of a virtual machine",
            "Hyper-V 主機已處理虛擬機器的自動虛擬機器啟用 (AVMA) 要求",
        ],
        records: [
            "the result as hr=0x… and a detail string",
            "以 hr=0x… 表示的結果與一段詳細資料",
        ],
    },
    EventInfo {
        id: 12320,
        machine: EventMachine::Client,
        log: APP,
        source: SPP,
        typed: true,
        title: ["token-based activation succeeded", "權杖型啟用成功"],
        records: [
            "the SKU ID that was activated; a token-based activation that fails is logged as 12321 instead",
            "已啟用的 SKU 識別碼；權杖型啟用失敗時則記錄為 12321",
        ],
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
            match m {
                EventMachine::KmsHost => "KMS host",
                EventMachine::HyperVHost => "Hyper-V host",
                EventMachine::Client => "client",
            }
        ),
        (Lang::ZhTw, EventMachine::KmsHost, KMS_LOG) => format!(
            "在 KMS 主機上，事件檢視器的「應用程式及服務記錄檔」>「{KMS_LOG}」（wevtutil qe \"{KMS_LOG}\" /q:\"*[System[(EventID={id})]]\" /f:text）；{volact}。"
        ),
        (Lang::ZhTw, m, log) => format!(
            "在{}上，事件檢視器的「Windows 記錄」>「{}」，以事件識別碼 {id} 篩選（wevtutil qe {log} /q:\"*[System[(EventID={id})]]\" /f:text）；{volact}。",
            match m {
                EventMachine::KmsHost => " KMS 主機",
                EventMachine::HyperVHost => " Hyper-V 主機",
                EventMachine::Client => "用戶端",
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
                EventMachine::HyperVHost => "Hyper-V host",
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
                EventMachine::HyperVHost => " Hyper-V 主機",
            },
            if ev.log == "Application" {
                "應用程式"
            } else {
                ev.log
            }
        ),
    }
}
