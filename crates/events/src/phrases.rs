//! Every sentence of the events reports' findings, in both languages, in one place: the
//! analysis returns language-free [`Finding`](volact_core::finding::Finding)s and these
//! functions word them at report time.
//!
//! Adding a finding to the host report: one [`ReportFinding`] variant (with its facts) in
//! `analyze/report.rs`, the rule that finds it in `analyze/findings.rs`, one arm in [`phrase`],
//! one test in `analyze/tests/findings.rs`.

use volact_core::Lang;
use volact_core::kms::{CLIENT_THRESHOLD, SERVER_THRESHOLD};

use crate::analyze::{Outcome, ReportFinding, SkipReason};

/// The sentence of a finding in `lang`.
pub fn phrase(kind: &ReportFinding, lang: Lang) -> String {
    match kind {
        ReportFinding::ClientFailures { .. } => lang.pick(
            "activation attempts failed (see the codes below)",
            "有啟用嘗試失敗（代碼見下方）",
        ).to_owned(),
        ReportFinding::NoResponse { .. } => lang.pick(
            "requests got no response (12288 without 12289): host unreachable, port 1688 blocked, or the answer was lost",
            "有要求沒有收到回應（只有 12288 沒有 12289）：主機無法連線、連接埠 1688 被封鎖，或回應遺失",
        ).to_owned(),
        ReportFinding::HostErrors { .. } => lang.pick(
            "the KMS host returned error codes to clients",
            "KMS 主機曾傳回錯誤代碼給用戶端",
        ).to_owned(),
        ReportFinding::ClockSkew { limit_secs, .. } => {
            let hours = limit_secs / 3600;
            lang.pick(
                format!("client clocks differ from the host by more than {hours} hours (0xC004F06C)"),
                format!("有用戶端時鐘與主機相差超過 {hours} 小時（0xC004F06C）"),
            )
        }
        ReportFinding::ClonedCmids { .. } => lang.pick(
            "several client names share one CMID (images cloned without sysprep): the count does not grow",
            "多個用戶端名稱共用同一個 CMID（映像未經 sysprep 即複製）：計數不會增加",
        ).to_owned(),
        ReportFinding::CountBelowClientThreshold { threshold, .. } => lang.pick(
            format!("the count is below {threshold}: client operating systems do not activate"),
            format!("計數低於 {threshold}：用戶端作業系統無法啟用"),
        ),
        ReportFinding::CountBelowServerThreshold { threshold, .. } => lang.pick(
            format!("the count is below {threshold}: server operating systems do not activate"),
            format!("計數低於 {threshold}：伺服器作業系統無法啟用"),
        ),
        ReportFinding::DnsPublishingFailed { .. } => lang.pick(
            "the host could not publish its SRV record in DNS (12293)",
            "主機無法在 DNS 發佈 SRV 記錄（12293）",
        ).to_owned(),
        ReportFinding::SluiFailures { .. } => lang.pick(
            "License Activation (slui.exe) failed (8198)",
            "授權啟用（slui.exe）失敗（8198）",
        ).to_owned(),
        ReportFinding::DamagedInput { .. } => lang.pick(
            "some input was damaged or unreadable (see the warnings)",
            "部分輸入已損毀或無法讀取（見警告）",
        ).to_owned(),
    }
}

/// The sentence of a finding known only by its identifier (the strings of a report's
/// `attention`), with the facts its sentence needs taken from the domain constants; empty for
/// an unknown identifier.
pub fn attention_text(id: &str, lang: Lang) -> String {
    let kind = match id {
        "client_failures" => ReportFinding::ClientFailures {
            failed: 0,
            attempts: 0,
        },
        "no_response" => ReportFinding::NoResponse { no_response: 0 },
        "host_errors" => ReportFinding::HostErrors { requests: 0 },
        "clock_skew" => ReportFinding::ClockSkew {
            requests: 0,
            clients: 0,
            limit_secs: crate::analyze::MAX_SKEW_SECS,
        },
        "cloned_cmids" => ReportFinding::ClonedCmids { cmids: 0 },
        "count_below_client_threshold" => ReportFinding::CountBelowClientThreshold {
            count: 0,
            threshold: CLIENT_THRESHOLD,
        },
        "count_below_server_threshold" => ReportFinding::CountBelowServerThreshold {
            count: 0,
            threshold: SERVER_THRESHOLD,
        },
        "dns_publishing_failed" => ReportFinding::DnsPublishingFailed { failures: 0 },
        "slui_failures" => ReportFinding::SluiFailures { failures: 0 },
        "damaged_input" => ReportFinding::DamagedInput {
            damaged_chunks: 0,
            damaged_records: 0,
            warnings: 0,
        },
        _ => return String::new(),
    };
    phrase(&kind, lang)
}

/// The label of a skip reason.
pub fn skip_reason(r: SkipReason, lang: Lang) -> &'static str {
    match r {
        SkipReason::OtherEvent => lang.pick("not an activation event", "非啟用相關事件"),
        SkipReason::NoEventId => lang.pick("no event ID", "沒有事件識別碼"),
        SkipReason::BadData => lang.pick(
            "activation event with unreadable data",
            "啟用事件的資料無法解讀",
        ),
        SkipReason::CorruptRecord => lang.pick("damaged record", "損毀的記錄"),
        SkipReason::OutsideTimeRange => {
            lang.pick("outside --since/--until", "不在 --since/--until 範圍內")
        }
        SkipReason::NoTime => lang.pick(
            "no time, but --since/--until given",
            "沒有時間，但指定了 --since/--until",
        ),
        SkipReason::OtherClient => {
            lang.pick("another client than --client", "不是 --client 指定的用戶端")
        }
        SkipReason::Limit => lang.pick("over the memory limit", "超過記憶體上限"),
    }
}

/// The label of an attempt's outcome.
pub fn outcome(o: Outcome, lang: Lang) -> &'static str {
    match o {
        Outcome::Activated => lang.pick("activated", "已啟用"),
        Outcome::NotActivated => lang.pick("answered, not activated", "有回應但未啟用"),
        Outcome::Failed => lang.pick("failed", "失敗"),
        Outcome::NoResponse => lang.pick("no response", "沒有回應"),
    }
}
