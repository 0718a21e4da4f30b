//! Renderers of a [`Report`]: text, Markdown, CSV and NDJSON, in English or Traditional Chinese.
//! (JSON is the serde form of [`Report`].)

use std::fmt::Write as _;

use serde::Serialize;
use volact_core::Lang;
use volact_core::event::Timestamp;

use crate::analyze::{ClientRow, CodeCount, Report};

/// Rows listed in text and Markdown before "…and N more" (CSV, JSON and NDJSON list all).
pub const TEXT_ROWS: usize = 50;
/// Days of the per-day histogram shown in text and Markdown (the newest; JSON lists all).
pub const TEXT_DAYS: usize = 14;

fn per_day_header(lang: Lang) -> &'static str {
    l(
        lang,
        "Requests per day (UTC, newest days):",
        "每日要求次數（UTC，最近幾天）：",
    )
}

fn per_day_columns(lang: Lang) -> &'static str {
    l(
        lang,
        "date | requests | activated | count too low (0xC004F038) | other codes",
        "日期 | 要求 | 已啟用 | 計數不足（0xC004F038） | 其他代碼",
    )
}

/// "… N earlier days (M requests) not shown", or `None` when every day is shown.
fn per_day_more(h: &crate::analyze::HostView, lang: Lang) -> Option<String> {
    let hidden = h.per_day.len().saturating_sub(TEXT_DAYS);
    if hidden == 0 && h.per_day_omitted == 0 {
        return None;
    }
    let hidden_requests: u64 =
        h.per_day[..hidden].iter().map(|d| d.requests).sum::<u64>() + h.per_day_omitted;
    Some(match lang {
        Lang::En => format!(
            "… {hidden_requests} requests on earlier days not shown{}",
            if hidden > 0 {
                format!(" ({hidden} more days in --format json)")
            } else {
                String::new()
            }
        ),
        Lang::ZhTw => format!(
            "… 更早日期的 {hidden_requests} 次要求未列出{}",
            if hidden > 0 {
                format!("（另 {hidden} 天見 --format json）")
            } else {
                String::new()
            }
        ),
    })
}

fn l(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::ZhTw => zh,
    }
}

fn ts(t: Option<Timestamp>) -> String {
    t.map_or_else(|| "-".to_owned(), |t| t.to_string())
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn code_line(c: &CodeCount) -> String {
    match c.name {
        Some(n) if c.summary.starts_with(n) => format!("{} {}", c.code, c.summary),
        Some(n) => format!("{} {n}: {}", c.code, c.summary),
        None => format!("{}: {}", c.code, c.summary),
    }
}

/// Seconds as `+5h02m` / `-6h00m`.
pub fn skew(secs: i64) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    format!("{sign}{}h{:02}m", a / 3600, a % 3600 / 60)
}

/// Sentence for an attention identifier.
pub fn attention_text(id: &str, lang: Lang) -> &'static str {
    match id {
        "client_failures" => l(
            lang,
            "activation attempts failed (see the codes below)",
            "有啟用嘗試失敗（代碼見下方）",
        ),
        "no_response" => l(
            lang,
            "requests got no response (12288 without 12289): host unreachable, port 1688 blocked, or the answer was lost",
            "有要求沒有收到回應（只有 12288 沒有 12289）：主機無法連線、連接埠 1688 被封鎖，或回應遺失",
        ),
        "host_errors" => l(
            lang,
            "the KMS host returned error codes to clients",
            "KMS 主機曾傳回錯誤代碼給用戶端",
        ),
        "clock_skew" => l(
            lang,
            "client clocks differ from the host by more than 4 hours (0xC004F06C)",
            "有用戶端時鐘與主機相差超過 4 小時（0xC004F06C）",
        ),
        "cloned_cmids" => l(
            lang,
            "several client names share one CMID (images cloned without sysprep): the count does not grow",
            "多個用戶端名稱共用同一個 CMID（映像未經 sysprep 即複製）：計數不會增加",
        ),
        "count_below_client_threshold" => l(
            lang,
            "the count is below 25: client operating systems do not activate",
            "計數低於 25：用戶端作業系統無法啟用",
        ),
        "count_below_server_threshold" => l(
            lang,
            "the count is below 5: server operating systems do not activate",
            "計數低於 5：伺服器作業系統無法啟用",
        ),
        "dns_publishing_failed" => l(
            lang,
            "the host could not publish its SRV record in DNS (12293)",
            "主機無法在 DNS 發佈 SRV 記錄（12293）",
        ),
        "slui_failures" => l(
            lang,
            "License Activation (slui.exe) failed (8198)",
            "授權啟用（slui.exe）失敗（8198）",
        ),
        "damaged_input" => l(
            lang,
            "some input was damaged or unreadable (see the warnings)",
            "部分輸入已損毀或無法讀取（見警告）",
        ),
        _ => "",
    }
}

/// Plain text.
pub fn text(r: &Report) -> String {
    let lang = r.lang;
    let mut o = String::new();
    let s = &r.stats;
    let _ = writeln!(
        o,
        "{} {}  {} {}  {} {}",
        l(lang, "records read:", "讀取記錄："),
        s.records_read,
        l(lang, "activation events used:", "使用的啟用事件："),
        s.events_used,
        l(lang, "skipped:", "略過："),
        s.records_skipped
    );
    for sk in &s.skipped {
        let _ = writeln!(o, "  - {}: {}", sk.label, sk.count);
    }
    for e in bad_texts(s, lang) {
        let _ = writeln!(o, "    {e}");
    }
    if s.damaged_chunks > 0 {
        let _ = writeln!(
            o,
            "  {} {}",
            l(
                lang,
                "damaged .evtx chunks skipped:",
                "略過的損毀 .evtx 區塊："
            ),
            s.damaged_chunks
        );
    }
    for i in &r.inputs {
        match &i.error {
            Some(e) => {
                let _ = writeln!(
                    o,
                    "  {}: {} {e}",
                    i.name,
                    l(lang, "not read:", "無法讀取：")
                );
            }
            None => {
                let _ = writeln!(
                    o,
                    "  {} ({}): {} {}, {} {}, {} {}",
                    i.name,
                    i.kind.unwrap_or("-"),
                    l(lang, "read", "讀取"),
                    i.records_read,
                    l(lang, "used", "使用"),
                    i.events_used,
                    l(lang, "skipped", "略過"),
                    i.records_skipped
                );
            }
        }
    }
    if r.warnings_total > 0 {
        let _ = writeln!(o, "{} ({})", l(lang, "Warnings", "警告"), r.warnings_total);
        for w in warning_texts(r, lang) {
            let _ = writeln!(o, "  ! {w}");
        }
        if r.warnings_total > r.warnings.len() as u64 {
            let _ = writeln!(
                o,
                "  … {} {}",
                r.warnings_total - r.warnings.len() as u64,
                l(lang, "more", "則未列出")
            );
        }
    }
    if !r.attention.is_empty() {
        let _ = writeln!(o, "\n{}", l(lang, "Needs attention:", "需要注意："));
        for a in &r.attention {
            let _ = writeln!(o, "  * {}", attention_text(a, lang));
        }
    }
    if let Some(h) = &r.host {
        let _ = writeln!(o, "\n== {} ==", l(lang, "KMS host view", "KMS 主機檢視"));
        if h.requests > 0 {
            let _ = writeln!(
                o,
                "{} {}  {} {}",
                l(lang, "requests processed (12290):", "已處理要求（12290）："),
                h.requests,
                l(lang, "clients (name + CMID):", "用戶端（名稱 + CMID）："),
                h.clients_total
            );
        }
        if let Some(c) = &h.count {
            let _ = writeln!(
                o,
                "{} {}  ({} {} … {})",
                l(
                    lang,
                    "count the host would have now:",
                    "主機目前應有的計數："
                ),
                c.count,
                l(lang, "30 days:", "30 天："),
                c.window_start,
                c.now
            );
            let _ = writeln!(
                o,
                "  {} {} ({} {}, {} {}, {} {}); {} {}",
                l(lang, "distinct CMIDs", "不同的 CMID"),
                c.distinct_cmids,
                l(lang, "client OS", "用戶端作業系統"),
                c.client_os,
                l(lang, "server OS", "伺服器作業系統"),
                c.server_os,
                l(lang, "unknown", "未知"),
                c.unknown_os,
                l(lang, "cap", "上限"),
                c.cap
            );
            let yes = l(lang, "reached", "已達到");
            let no = l(lang, "NOT reached", "未達到");
            let _ = writeln!(
                o,
                "  {} {}: {}",
                l(lang, "client OS threshold", "用戶端作業系統門檻"),
                c.client_threshold,
                if c.client_os_activates { yes } else { no }
            );
            let _ = writeln!(
                o,
                "  {} {}: {}",
                l(lang, "server OS threshold", "伺服器作業系統門檻"),
                c.server_threshold,
                if c.server_os_activates { yes } else { no }
            );
        }
        if !h.codes.is_empty() {
            let _ = writeln!(
                o,
                "{}",
                l(lang, "Codes returned to clients:", "傳回給用戶端的代碼：")
            );
            for c in &h.codes {
                let _ = writeln!(o, "  {:>8}  {}", c.count, code_line(c));
            }
        }
        if !h.per_day.is_empty() {
            let _ = writeln!(o, "{}", per_day_header(lang));
            let _ = writeln!(o, "  {}", per_day_columns(lang));
            let start = h.per_day.len().saturating_sub(TEXT_DAYS);
            for d in &h.per_day[start..] {
                let _ = writeln!(
                    o,
                    "  {}  {:>8}  {:>8}  {:>8}  {:>8}",
                    d.date, d.requests, d.activated, d.count_too_low, d.failed
                );
            }
            if let Some(m) = per_day_more(h, lang) {
                let _ = writeln!(o, "  {m}");
            }
        }
        if !h.skewed.is_empty() {
            let _ = writeln!(
                o,
                "{} {}",
                l(
                    lang,
                    "Clients with clocks more than 4 hours off (0xC004F06C):",
                    "時鐘相差超過 4 小時的用戶端（0xC004F06C）："
                ),
                h.skewed.len()
            );
            for s in h.skewed.iter().take(TEXT_ROWS) {
                let _ = writeln!(
                    o,
                    "  {}  {}  {}  ({} {})",
                    s.name,
                    s.cmid,
                    skew(s.max_skew_secs),
                    s.requests,
                    l(lang, "requests", "次要求")
                );
            }
            more(&mut o, h.skewed.len(), lang);
        }
        if !h.cloned.is_empty() {
            let _ = writeln!(
                o,
                "{} {}",
                l(
                    lang,
                    "CMIDs shared by several names (cloned images; the count stays stuck):",
                    "多個名稱共用的 CMID（複製的映像；計數停滯）："
                ),
                h.cloned.len()
            );
            for c in h.cloned.iter().take(TEXT_ROWS) {
                let _ = writeln!(o, "  {}: {}", c.cmid, names(&c.names, c.names_total));
            }
            more(&mut o, h.cloned.len(), lang);
        }
        if h.dns_failures_total > 0 || h.dns_published > 0 {
            let _ = writeln!(
                o,
                "{} {}  {} {}",
                l(
                    lang,
                    "DNS publishing failed (12293):",
                    "DNS 發佈失敗（12293）："
                ),
                h.dns_failures_total,
                l(lang, "succeeded (12294):", "成功（12294）："),
                h.dns_published
            );
            for d in h.dns_failures.iter().take(TEXT_ROWS) {
                let _ = writeln!(
                    o,
                    "  {}  {}  {}  {}",
                    ts(d.time),
                    d.computer.as_deref().unwrap_or("-"),
                    d.domain.as_deref().unwrap_or("-"),
                    d.code.as_ref().map_or_else(|| "-".to_owned(), code_line)
                );
            }
        }
        if !h.clients.is_empty() {
            let _ = writeln!(o, "{}", l(lang, "Clients:", "用戶端："));
            let _ = writeln!(
                o,
                "  {}",
                l(
                    lang,
                    "name | CMID | last request | last code | license state | VM | min count | requests",
                    "名稱 | CMID | 最後要求 | 最後代碼 | 授權狀態 | 虛擬機器 | 最低計數 | 要求次數"
                )
            );
            for c in h.clients.iter().take(TEXT_ROWS) {
                let _ = writeln!(o, "  {}", client_cells(c, lang).join(" | "));
            }
            if h.clients.len() > TEXT_ROWS {
                let _ = writeln!(
                    o,
                    "  … {} {}",
                    h.clients.len() - TEXT_ROWS,
                    l(
                        lang,
                        "more (all of them: --format csv or --clients-csv FILE)",
                        "筆未列出（完整清單：--format csv 或 --clients-csv 檔案）"
                    )
                );
            }
        }
    }
    if let Some(c) = &r.client {
        let _ = writeln!(
            o,
            "\n== {} ==",
            l(lang, "KMS client view", "KMS 用戶端檢視")
        );
        let _ = writeln!(
            o,
            "{} {}  {} {}  {} {}  {} {}",
            l(lang, "attempts:", "嘗試："),
            c.attempts_total,
            l(lang, "activated:", "已啟用："),
            c.activated,
            l(lang, "failed:", "失敗："),
            c.failed,
            l(lang, "no response:", "沒有回應："),
            c.no_response
        );
        if let Some(n) = c.last_current_count {
            let _ = writeln!(
                o,
                "{} {n}",
                l(
                    lang,
                    "current count last reported by the host:",
                    "主機最後回報的目前計數："
                )
            );
        }
        if !c.hosts.is_empty() {
            let _ = writeln!(o, "{}", l(lang, "Hosts contacted:", "連絡過的主機："));
            for h in &c.hosts {
                let _ = writeln!(
                    o,
                    "  {}  {} {}, {} {}, {} {}, {} {}, {} {}",
                    h.kms,
                    l(lang, "attempts", "嘗試"),
                    h.attempts,
                    l(lang, "activated", "已啟用"),
                    h.activated,
                    l(lang, "failed", "失敗"),
                    h.failed,
                    l(lang, "no response", "沒有回應"),
                    h.no_response,
                    l(lang, "last count", "最後計數"),
                    opt(h.last_current_count)
                );
            }
        }
        if c.codes.iter().any(|x| x.code.value() != 0) {
            let _ = writeln!(o, "{}", l(lang, "Codes:", "代碼："));
            for x in c.codes.iter().filter(|x| x.code.value() != 0) {
                let _ = writeln!(o, "  {:>8}  {}", x.count, code_line(x));
            }
        }
        let _ = writeln!(o, "{}", l(lang, "Attempts:", "嘗試記錄："));
        for a in c.attempts.iter().take(TEXT_ROWS) {
            let _ = writeln!(
                o,
                "  {}  {} -> {}  {}{}",
                ts(a.time),
                a.computer.as_deref().unwrap_or("-"),
                opt(a.kms.as_ref()),
                a.outcome.label(lang),
                a.code
                    .as_ref()
                    .filter(|x| x.code.value() != 0)
                    .map_or_else(String::new, |x| format!("  {}", code_line(x)))
            );
        }
        more(&mut o, c.attempts.len(), lang);
    }
    if r.slui_failures_total > 0 {
        let _ = writeln!(
            o,
            "\n{} {}",
            l(
                lang,
                "License Activation (slui.exe) failures (8198):",
                "授權啟用（slui.exe）失敗（8198）："
            ),
            r.slui_failures_total
        );
        for s in r.slui_failures.iter().take(TEXT_ROWS) {
            let _ = writeln!(
                o,
                "  {}  {}  {}",
                ts(s.time),
                s.computer.as_deref().unwrap_or("-"),
                s.code.as_ref().map_or_else(|| "-".to_owned(), code_line)
            );
        }
    }
    if !r.other_codes.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            l(
                lang,
                "Codes in other activation events:",
                "其他啟用事件中的代碼："
            )
        );
        for c in &r.other_codes {
            let _ = writeln!(
                o,
                "  {:>8}  {} {}  {}",
                c.code.count,
                l(lang, "event", "事件"),
                c.event_id,
                code_line(&c.code)
            );
        }
    }
    if r.client.is_none()
        && r.host.is_none()
        && r.other_codes.is_empty()
        && r.slui_failures_total == 0
    {
        let _ = writeln!(
            o,
            "\n{}",
            l(lang, "No activation events found.", "找不到啟用事件。")
        );
    } else {
        let _ = writeln!(
            o,
            "\n{}",
            l(
                lang,
                "Explain a code in full: volact explain <code>",
                "查看代碼的完整說明：volact explain <代碼>"
            )
        );
    }
    o
}

fn more(o: &mut String, len: usize, lang: Lang) {
    if len > TEXT_ROWS {
        let _ = writeln!(
            o,
            "  … {} {}",
            len - TEXT_ROWS,
            l(
                lang,
                "more (all of them: --format json)",
                "筆未列出（完整清單：--format json）"
            )
        );
    }
}

fn names(n: &[String], total: u64) -> String {
    let mut s = n.join(", ");
    if total > n.len() as u64 {
        let _ = write!(s, ", … (+{})", total - n.len() as u64);
    }
    s
}

fn client_cells(c: &ClientRow, lang: Lang) -> Vec<String> {
    vec![
        c.name.clone(),
        c.cmid.clone(),
        ts(c.last_seen),
        c.last_code
            .as_ref()
            .map_or_else(|| "-".to_owned(), |x| x.code.to_string()),
        c.license_state
            .as_ref()
            .map_or_else(|| "-".to_owned(), |s| s.label.to_string()),
        match c.vm {
            Some(true) => l(lang, "yes", "是").to_owned(),
            Some(false) => l(lang, "no", "否").to_owned(),
            None => "-".to_owned(),
        },
        opt(c.min_count),
        c.requests.to_string(),
    ]
}

/// Markdown.
pub fn markdown(r: &Report) -> String {
    let lang = r.lang;
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", l(lang, "KMS event report", "KMS 事件報告"));
    let s = &r.stats;
    let _ = writeln!(
        o,
        "| {} | {} | {} |\n|---:|---:|---:|\n| {} | {} | {} |\n",
        l(lang, "records read", "讀取記錄"),
        l(lang, "activation events used", "使用的啟用事件"),
        l(lang, "skipped", "略過"),
        s.records_read,
        s.events_used,
        s.records_skipped
    );
    for sk in &s.skipped {
        let _ = writeln!(o, "- {}: {}", sk.label, sk.count);
    }
    for w in warning_texts(r, lang) {
        let _ = writeln!(o, "- ⚠ {}", md(&w));
    }
    if !r.attention.is_empty() {
        let _ = writeln!(o, "\n## {}\n", l(lang, "Needs attention", "需要注意"));
        for a in &r.attention {
            let _ = writeln!(o, "- {}", attention_text(a, lang));
        }
    }
    if let Some(h) = &r.host {
        let _ = writeln!(o, "\n## {}\n", l(lang, "KMS host view", "KMS 主機檢視"));
        if h.requests > 0 {
            let _ = writeln!(
                o,
                "- {} {}\n- {} {}",
                l(lang, "requests processed (12290):", "已處理要求（12290）："),
                h.requests,
                l(lang, "clients (name + CMID):", "用戶端（名稱 + CMID）："),
                h.clients_total
            );
        }
        if let Some(c) = &h.count {
            let _ = writeln!(
                o,
                "- {} **{}** ({} {}, {} {}, {} {}, {} {})",
                l(
                    lang,
                    "count the host would have now:",
                    "主機目前應有的計數："
                ),
                c.count,
                l(lang, "distinct CMIDs", "不同的 CMID"),
                c.distinct_cmids,
                l(lang, "client OS", "用戶端作業系統"),
                c.client_os,
                l(lang, "server OS", "伺服器作業系統"),
                c.server_os,
                l(lang, "cap", "上限"),
                c.cap
            );
        }
        if !h.codes.is_empty() {
            let _ = writeln!(
                o,
                "\n| {} | {} | {} |\n|---|---|---:|",
                l(lang, "code", "代碼"),
                l(lang, "meaning", "說明"),
                l(lang, "count", "次數")
            );
            for c in &h.codes {
                let _ = writeln!(o, "| `{}` | {} | {} |", c.code, md(&c.summary), c.count);
            }
        }
        if !h.per_day.is_empty() {
            let _ = writeln!(
                o,
                "\n### {}\n\n| {} |\n|---|---:|---:|---:|---:|",
                per_day_header(lang).trim_end_matches([':', '：']),
                per_day_columns(lang)
            );
            let start = h.per_day.len().saturating_sub(TEXT_DAYS);
            for d in &h.per_day[start..] {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} | {} |",
                    d.date, d.requests, d.activated, d.count_too_low, d.failed
                );
            }
            if let Some(m) = per_day_more(h, lang) {
                let _ = writeln!(o, "\n{m}");
            }
        }
        if !h.skewed.is_empty() {
            let _ = writeln!(
                o,
                "\n### {}\n",
                l(
                    lang,
                    "Clocks more than 4 hours off (0xC004F06C)",
                    "時鐘相差超過 4 小時（0xC004F06C）"
                )
            );
            for s in h.skewed.iter().take(TEXT_ROWS) {
                let _ = writeln!(
                    o,
                    "- {} `{}` {}",
                    md(&s.name),
                    s.cmid,
                    skew(s.max_skew_secs)
                );
            }
        }
        if !h.cloned.is_empty() {
            let _ = writeln!(
                o,
                "\n### {}\n",
                l(lang, "CMIDs shared by several names", "多個名稱共用的 CMID")
            );
            for c in h.cloned.iter().take(TEXT_ROWS) {
                let _ = writeln!(o, "- `{}`: {}", c.cmid, md(&names(&c.names, c.names_total)));
            }
        }
        if !h.dns_failures.is_empty() {
            let _ = writeln!(
                o,
                "\n### {}\n",
                l(
                    lang,
                    "DNS publishing failures (12293)",
                    "DNS 發佈失敗（12293）"
                )
            );
            for d in h.dns_failures.iter().take(TEXT_ROWS) {
                let _ = writeln!(
                    o,
                    "- {} {} {}",
                    ts(d.time),
                    md(d.domain.as_deref().unwrap_or("-")),
                    md(&d.code.as_ref().map_or_else(|| "-".to_owned(), code_line))
                );
            }
        }
        if !h.clients.is_empty() {
            let _ = writeln!(
                o,
                "\n| {} |\n|---|---|---|---|---|---|---:|---:|",
                l(
                    lang,
                    "name | CMID | last request | last code | license state | VM | min count | requests",
                    "名稱 | CMID | 最後要求 | 最後代碼 | 授權狀態 | 虛擬機器 | 最低計數 | 要求次數"
                )
            );
            for c in h.clients.iter().take(TEXT_ROWS) {
                let cells: Vec<String> = client_cells(c, lang).iter().map(|x| md(x)).collect();
                let _ = writeln!(o, "| {} |", cells.join(" | "));
            }
            if h.clients.len() > TEXT_ROWS {
                let _ = writeln!(o, "\n… {}", h.clients.len() - TEXT_ROWS);
            }
        }
    }
    if let Some(c) = &r.client {
        let _ = writeln!(o, "\n## {}\n", l(lang, "KMS client view", "KMS 用戶端檢視"));
        let _ = writeln!(
            o,
            "- {} {}, {} {}, {} {}, {} {}",
            l(lang, "attempts:", "嘗試："),
            c.attempts_total,
            l(lang, "activated:", "已啟用："),
            c.activated,
            l(lang, "failed:", "失敗："),
            c.failed,
            l(lang, "no response:", "沒有回應："),
            c.no_response
        );
        let _ = writeln!(
            o,
            "\n| {} |\n|---|---|---|---|---|",
            l(
                lang,
                "time | client | host | outcome | code",
                "時間 | 用戶端 | 主機 | 結果 | 代碼"
            )
        );
        for a in c.attempts.iter().take(TEXT_ROWS) {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                ts(a.time),
                md(a.computer.as_deref().unwrap_or("-")),
                md(&opt(a.kms.as_ref())),
                a.outcome.label(lang),
                md(&a.code.as_ref().map_or_else(|| "-".to_owned(), code_line))
            );
        }
    }
    o
}

fn md(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn csv_row(o: &mut String, cells: &[String]) {
    let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
    o.push_str(&row.join(","));
    o.push('\n');
}

/// The per-client CSV of the host view (column names are stable identifiers, in English).
pub fn clients_csv(r: &Report) -> String {
    let mut o = String::new();
    csv_row(
        &mut o,
        &[
            "name",
            "cmid",
            "requests",
            "first_seen",
            "last_seen",
            "last_client_time",
            "last_code",
            "last_code_name",
            "codes",
            "license_state",
            "license_state_label",
            "minutes_to_expiry",
            "vm",
            "min_count",
            "os",
            "activation_id",
            "skewed_requests",
            "max_skew_secs",
            "shared_cmid",
        ]
        .map(str::to_owned),
    );
    if let Some(h) = &r.host {
        for c in &h.clients {
            let codes: Vec<String> = c
                .codes
                .iter()
                .map(|x| format!("{}={}", x.code, x.count))
                .collect();
            csv_row(
                &mut o,
                &[
                    c.name.clone(),
                    c.cmid.clone(),
                    c.requests.to_string(),
                    ts(c.first_seen),
                    ts(c.last_seen),
                    ts(c.last_client_time),
                    c.last_code
                        .as_ref()
                        .map_or_else(String::new, |x| x.code.to_string()),
                    c.last_code
                        .as_ref()
                        .and_then(|x| x.name)
                        .unwrap_or("")
                        .to_owned(),
                    codes.join(" "),
                    c.license_state
                        .as_ref()
                        .map_or_else(String::new, |s| s.value.to_string()),
                    c.license_state
                        .as_ref()
                        .map_or_else(String::new, |s| s.label.to_string()),
                    c.minutes_to_expiry
                        .map_or_else(String::new, |m| m.to_string()),
                    c.vm.map_or_else(String::new, |v| u8::from(v).to_string()),
                    c.min_count.map_or_else(String::new, |m| m.to_string()),
                    c.os.unwrap_or("").to_owned(),
                    c.activation_id.clone().unwrap_or_default(),
                    c.skewed_requests.to_string(),
                    c.max_skew_secs.map_or_else(String::new, |m| m.to_string()),
                    c.shared_cmid.to_string(),
                ],
            );
        }
    }
    o
}

/// The attempts of the client view as CSV.
pub fn attempts_csv(r: &Report) -> String {
    let mut o = String::new();
    csv_row(
        &mut o,
        &[
            "time",
            "computer",
            "kms",
            "cmid",
            "outcome",
            "code",
            "code_name",
            "request_code",
            "response_code",
            "activated",
            "current_count",
            "license_state",
            "min_count",
        ]
        .map(str::to_owned),
    );
    if let Some(c) = &r.client {
        for a in &c.attempts {
            csv_row(
                &mut o,
                &[
                    ts(a.time),
                    a.computer.clone().unwrap_or_default(),
                    a.kms.as_ref().map_or_else(String::new, ToString::to_string),
                    a.cmid.clone().unwrap_or_default(),
                    serde_json::to_value(a.outcome)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    a.code
                        .as_ref()
                        .map_or_else(String::new, |x| x.code.to_string()),
                    a.code
                        .as_ref()
                        .and_then(|x| x.name)
                        .unwrap_or("")
                        .to_owned(),
                    a.request_code.map_or_else(String::new, |x| x.to_string()),
                    a.response
                        .as_ref()
                        .and_then(|p| p.code)
                        .map_or_else(String::new, |x| x.to_string()),
                    a.response
                        .as_ref()
                        .and_then(|p| p.activated)
                        .map_or_else(String::new, |x| u8::from(x).to_string()),
                    a.response
                        .as_ref()
                        .and_then(|p| p.current_count)
                        .map_or_else(String::new, |x| x.to_string()),
                    a.license_state
                        .as_ref()
                        .map_or_else(String::new, |s| s.value.to_string()),
                    a.min_count.map_or_else(String::new, |x| x.to_string()),
                ],
            );
        }
    }
    o
}

/// `--format csv`: the per-client table when there are host events, else the attempts.
pub fn csv(r: &Report) -> String {
    if r.host.as_ref().is_some_and(|h| !h.clients.is_empty()) || r.client.is_none() {
        clients_csv(r)
    } else {
        attempts_csv(r)
    }
}

#[derive(Serialize)]
struct Line<'a, T: Serialize> {
    #[serde(rename = "type")]
    kind: &'a str,
    #[serde(flatten)]
    item: &'a T,
}

fn push_line<T: Serialize>(o: &mut String, kind: &str, item: &T) {
    if let Ok(s) = serde_json::to_string(&Line { kind, item }) {
        o.push_str(&s);
        o.push('\n');
    }
}

#[derive(Serialize)]
struct Summary<'a> {
    schema_version: u32,
    lang: Lang,
    stats: &'a crate::analyze::Stats,
    attention: &'a [&'static str],
    warnings_total: u64,
}

#[derive(Serialize)]
struct WarningLine<'a> {
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
}

/// The examples of unreadable data in `lang` (the English texts if the details do not match).
fn bad_texts(s: &crate::analyze::Stats, lang: Lang) -> Vec<String> {
    if s.bad_example_details.len() == s.bad_examples.len() {
        s.bad_example_details
            .iter()
            .map(|b| b.message(lang))
            .collect()
    } else {
        s.bad_examples.clone()
    }
}

/// The kept warnings in `lang` (the English texts if the details do not match them).
fn warning_texts(r: &Report, lang: Lang) -> Vec<String> {
    if r.warning_details.len() == r.warnings.len() {
        r.warning_details.iter().map(|w| w.message(lang)).collect()
    } else {
        r.warnings.clone()
    }
}

/// NDJSON: one object per line, each with a `type`: `summary`, `input`, `warning`, `count`,
/// `host_code`, `day`, `client`, `skew`, `clone`, `dns_failure`, `attempt`, `host_contact`,
/// `slui_failure`, `other_code`.
pub fn ndjson(r: &Report) -> String {
    let mut o = String::new();
    push_line(
        &mut o,
        "summary",
        &Summary {
            schema_version: r.schema_version,
            lang: r.lang,
            stats: &r.stats,
            attention: &r.attention,
            warnings_total: r.warnings_total,
        },
    );
    for i in &r.inputs {
        push_line(&mut o, "input", i);
    }
    for (i, w) in r.warnings.iter().enumerate() {
        let kind = r.warning_details.get(i).map(crate::Warning::kind_id);
        push_line(&mut o, "warning", &WarningLine { text: w, kind });
    }
    if let Some(h) = &r.host {
        if let Some(c) = &h.count {
            push_line(&mut o, "count", c);
        }
        for c in &h.codes {
            push_line(&mut o, "host_code", c);
        }
        for d in &h.per_day {
            push_line(&mut o, "day", d);
        }
        for c in &h.clients {
            push_line(&mut o, "client", c);
        }
        for s in &h.skewed {
            push_line(&mut o, "skew", s);
        }
        for c in &h.cloned {
            push_line(&mut o, "clone", c);
        }
        for d in &h.dns_failures {
            push_line(&mut o, "dns_failure", d);
        }
    }
    if let Some(c) = &r.client {
        for h in &c.hosts {
            push_line(&mut o, "host_contact", h);
        }
        for a in &c.attempts {
            push_line(&mut o, "attempt", a);
        }
    }
    for s in &r.slui_failures {
        push_line(&mut o, "slui_failure", s);
    }
    for c in &r.other_codes {
        push_line(&mut o, "other_code", c);
    }
    o
}
