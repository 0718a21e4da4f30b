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
        "Requests per day (UTC, newest days)",
        "每日要求次數（UTC，最近幾天）",
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

/// `label value`, as in "attempts: 3".
fn field(label: &str, value: impl std::fmt::Display) -> String {
    format!("{label} {value}")
}

fn code_line(c: &CodeCount) -> String {
    match c.name {
        Some(n) if c.summary.starts_with(n) => format!("{} {}", c.code, c.summary),
        Some(n) => format!("{} {n}: {}", c.code, c.summary),
        None => format!("{}: {}", c.code, c.summary),
    }
}

/// A client's clock skew (client time minus host time: positive means the client is ahead of the
/// KMS host) in the words of [`volact_core::clock`]: "the client's clock is 7 h 15 min ahead of
/// the KMS host", "用戶端的時鐘比 KMS 主機慢 6 小時 00 分".
pub fn skew(secs: i64, lang: Lang) -> String {
    use volact_core::clock::{Party, describe};
    // Exact for every skew a log can hold (|secs| < 2^53).
    describe(secs as f64, Party::ClientClock, Party::KmsHost, lang)
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
    Doc::render(r, Style::Text)
}

/// Markdown.
pub fn markdown(r: &Report) -> String {
    Doc::render(r, Style::Markdown)
}

/// How a [`Doc`] writes headings, lists and tables.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Plain text: indented lines, with details Markdown leaves out (inputs, hosts contacted,
    /// 8198 events, other codes).
    Text,
    /// Markdown: `#` headings, `-` lists and tables, for tickets and wikis.
    Markdown,
}

/// A text or Markdown report being written: the one walk over the sections of a [`Report`].
struct Doc {
    o: String,
    style: Style,
    lang: Lang,
}

impl Doc {
    fn render(r: &Report, style: Style) -> String {
        let mut d = Self {
            o: String::new(),
            style,
            lang: r.lang,
        };
        d.heading(1, l(r.lang, "KMS event report", "KMS 事件報告"));
        d.stats(&r.stats);
        if d.is_text() {
            d.inputs(r);
        }
        d.warnings(r);
        d.notes(r);
        d.attention(r);
        if let Some(h) = &r.host {
            d.host(h);
        }
        if let Some(c) = &r.client {
            d.client(c);
        }
        if d.is_text() {
            d.slui_and_other_codes(r);
            d.footer(r);
        }
        d.o
    }

    fn is_text(&self) -> bool {
        self.style == Style::Text
    }

    /// `text` in plain text, `markdown` in Markdown.
    fn pick<'a>(&self, text: &'a str, markdown: &'a str) -> &'a str {
        match self.style {
            Style::Text => text,
            Style::Markdown => markdown,
        }
    }

    fn line(&mut self, s: impl std::fmt::Display) {
        let _ = writeln!(self.o, "{s}");
    }

    /// `s` with the characters that would break a Markdown table or list item replaced.
    fn esc(&self, s: &str) -> String {
        match self.style {
            Style::Text => s.to_owned(),
            Style::Markdown => md(s),
        }
    }

    /// An identifier (code, CMID): `s` as code in Markdown.
    fn code(&self, s: impl std::fmt::Display) -> String {
        match self.style {
            Style::Text => s.to_string(),
            Style::Markdown => format!("`{s}`"),
        }
    }

    /// Level 1 is the document title (none in plain text), level 2 a section (`== Title ==`
    /// in plain text), level 3 a list or table (`Title:` in plain text).
    fn heading(&mut self, level: usize, title: &str) {
        self.heading_with(level, title, "");
    }

    /// A heading; `figures` follow a plain-text list title (`Title: 12`).
    fn heading_with(&mut self, level: usize, title: &str, figures: &str) {
        let colon = l(self.lang, ":", "：");
        let _ = match (self.style, level) {
            (Style::Text, 1) => Ok(()),
            (Style::Text, 2) => writeln!(self.o, "\n== {title} =="),
            (Style::Text, _) if figures.is_empty() => writeln!(self.o, "{title}{colon}"),
            (Style::Text, _) => writeln!(self.o, "{title}{colon} {figures}"),
            (Style::Markdown, 1) => writeln!(self.o, "# {title}\n"),
            (Style::Markdown, _) => writeln!(self.o, "\n{} {title}\n", "#".repeat(level)),
        };
    }

    /// The title of a table: a list title in plain text, a blank line in Markdown.
    fn caption(&mut self, title: &str) {
        match self.style {
            Style::Text => self.heading(3, title),
            Style::Markdown => self.line(""),
        }
    }

    /// A list item: indented in plain text, `- ` in Markdown.
    fn item(&mut self, s: &str) {
        match self.style {
            Style::Text => self.line(format!("  {s}")),
            Style::Markdown => self.line(format!("- {s}")),
        }
    }

    /// A list item with a plain-text `mark` (`-`, `*`, `!`); Markdown shows `!` (a warning) as ⚠.
    fn bullet(&mut self, mark: char, s: &str) {
        match self.style {
            Style::Text => self.line(format!("  {mark} {s}")),
            Style::Markdown if mark == '!' => self.line(format!("- ⚠ {s}")),
            Style::Markdown => self.line(format!("- {s}")),
        }
    }

    /// A line after a list or table: indented in plain text, a paragraph in Markdown.
    fn note(&mut self, s: &str) {
        match self.style {
            Style::Text => self.line(format!("  {s}")),
            Style::Markdown => self.line(format!("\n{s}")),
        }
    }

    /// The column names (`a | b | c`): indented in plain text, a table head with the
    /// alignment `rule` in Markdown.
    fn table_head(&mut self, columns: &str, rule: &str) {
        match self.style {
            Style::Text => self.line(format!("  {columns}")),
            Style::Markdown => self.line(format!("| {columns} |\n{rule}")),
        }
    }

    /// A table row: the cells joined by ` | ` (escaped in Markdown).
    fn row(&mut self, cells: &[String]) {
        let cells: Vec<String> = cells.iter().map(|c| self.esc(c)).collect();
        match self.style {
            Style::Text => self.line(format!("  {}", cells.join(" | "))),
            Style::Markdown => self.line(format!("| {} |", cells.join(" | "))),
        }
    }

    /// "… N more" under a list cut at [`TEXT_ROWS`] (plain text only).
    fn more(&mut self, len: usize) {
        if self.is_text() && len > TEXT_ROWS {
            let more = l(
                self.lang,
                "more (all of them: --format json)",
                "筆未列出（完整清單：--format json）",
            );
            self.note(&format!("… {} {more}", len - TEXT_ROWS));
        }
    }

    fn stats(&mut self, s: &crate::analyze::Stats) {
        let lang = self.lang;
        let labels = [
            l(lang, "records read", "讀取記錄"),
            l(lang, "activation events used", "使用的啟用事件"),
            l(lang, "skipped", "略過"),
        ];
        let values = [s.records_read, s.events_used, s.records_skipped].map(|v| v.to_string());
        match self.style {
            Style::Text => {
                let colon = l(lang, ":", "：");
                let fields: Vec<String> = labels
                    .iter()
                    .zip(&values)
                    .map(|(k, v)| format!("{k}{colon} {v}"))
                    .collect();
                self.line(fields.join("  "));
            }
            Style::Markdown => {
                self.table_head(&labels.join(" | "), "|---:|---:|---:|");
                self.row(&values);
                self.line("");
            }
        }
        for sk in &s.skipped {
            self.bullet('-', &format!("{}: {}", sk.label, sk.count));
        }
        if !self.is_text() {
            return;
        }
        for e in bad_texts(s, lang) {
            self.line(format!("    {e}"));
        }
        if s.damaged_chunks > 0 {
            let label = l(
                lang,
                "damaged .evtx chunks skipped:",
                "略過的損毀 .evtx 區塊：",
            );
            self.item(&format!("{label} {}", s.damaged_chunks));
        }
    }

    fn inputs(&mut self, r: &Report) {
        let lang = self.lang;
        for i in &r.inputs {
            let s = match &i.error {
                Some(e) => format!("{}: {} {e}", i.name, l(lang, "not read:", "無法讀取：")),
                None => format!(
                    "{} ({}): {} {}, {} {}, {} {}",
                    i.name,
                    i.kind.unwrap_or("-"),
                    l(lang, "read", "讀取"),
                    i.records_read,
                    l(lang, "used", "使用"),
                    i.events_used,
                    l(lang, "skipped", "略過"),
                    i.records_skipped
                ),
            };
            self.item(&s);
        }
    }

    fn warnings(&mut self, r: &Report) {
        let lang = self.lang;
        if self.is_text() {
            if r.warnings_total == 0 {
                return;
            }
            self.line(format!(
                "{} ({})",
                l(lang, "Warnings", "警告"),
                r.warnings_total
            ));
        }
        for w in warning_texts(r, lang) {
            self.bullet('!', &self.esc(&w));
        }
        let hidden = r.warnings_total.saturating_sub(r.warnings.len() as u64);
        if self.is_text() && hidden > 0 {
            self.note(&format!("… {hidden} {}", l(lang, "more", "則未列出")));
        }
    }

    fn notes(&mut self, r: &Report) {
        let lang = self.lang;
        if r.note_details.is_empty() {
            return;
        }
        if self.is_text() {
            self.line(l(lang, "Notes", "附註").to_owned());
        }
        for n in &r.note_details {
            self.bullet('-', &self.esc(&n.message(lang)));
        }
    }

    fn attention(&mut self, r: &Report) {
        if r.attention.is_empty() {
            return;
        }
        let title = l(self.lang, "Needs attention", "需要注意");
        // A section in Markdown; a list after a blank line in plain text.
        if self.is_text() {
            self.line("");
            self.heading(3, title);
        } else {
            self.heading(2, title);
        }
        for a in &r.attention {
            self.bullet('*', attention_text(a, self.lang));
        }
    }

    fn host(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang;
        self.heading(2, l(lang, "KMS host view", "KMS 主機檢視"));
        if h.requests > 0 {
            let requests = field(
                l(lang, "requests processed (12290):", "已處理要求（12290）："),
                h.requests,
            );
            let clients = field(
                l(lang, "clients (name + CMID):", "用戶端（名稱 + CMID）："),
                h.clients_total,
            );
            match self.style {
                Style::Text => self.line(format!("{requests}  {clients}")),
                Style::Markdown => {
                    self.item(&requests);
                    self.item(&clients);
                }
            }
        }
        if let Some(c) = &h.count {
            self.count(c);
        }
        if h.clients_outside_window > 0 {
            self.item(&field(
                l(
                    lang,
                    "clients outside the 30-day window (no longer counted):",
                    "超出 30 天範圍的用戶端（已不列入計數）：",
                ),
                h.clients_outside_window,
            ));
        }
        self.host_codes(h);
        self.per_day(h);
        self.skewed(h);
        self.cloned(h);
        self.dns_failures(h);
        self.clients(h);
    }

    fn host_codes(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang;
        if h.codes.is_empty() {
            return;
        }
        self.caption(l(lang, "Codes returned to clients", "傳回給用戶端的代碼"));
        // Plain text lists the codes without column names.
        if !self.is_text() {
            let columns = [
                l(lang, "code", "代碼"),
                l(lang, "meaning", "說明"),
                l(lang, "count", "次數"),
            ];
            self.table_head(&columns.join(" | "), "|---|---|---:|");
        }
        for c in &h.codes {
            match self.style {
                Style::Text => self.item(&format!("{:>8}  {}", c.count, code_line(c))),
                Style::Markdown => self.row(&[
                    self.code(c.code),
                    c.summary.to_string(),
                    c.count.to_string(),
                ]),
            }
        }
    }

    /// The newest [`TEXT_DAYS`] of the per-day histogram.
    fn per_day(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang;
        if h.per_day.is_empty() {
            return;
        }
        self.heading(3, per_day_header(lang));
        self.table_head(per_day_columns(lang), "|---|---:|---:|---:|---:|");
        let start = h.per_day.len().saturating_sub(TEXT_DAYS);
        for d in &h.per_day[start..] {
            let figures = [d.requests, d.activated, d.count_too_low, d.failed];
            match self.style {
                Style::Text => {
                    let figures = figures.map(|n| format!("{n:>8}"));
                    self.item(&format!("{}  {}", d.date, figures.join("  ")));
                }
                Style::Markdown => {
                    let mut cells = vec![d.date.to_string()];
                    cells.extend(figures.map(|n| n.to_string()));
                    self.row(&cells);
                }
            }
        }
        if let Some(m) = per_day_more(h, lang) {
            self.note(&m);
        }
    }

    fn skewed(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang;
        if h.skewed.is_empty() {
            return;
        }
        let title = self.pick(
            l(
                lang,
                "Clients with clocks more than 4 hours off (0xC004F06C)",
                "時鐘相差超過 4 小時的用戶端（0xC004F06C）",
            ),
            l(
                lang,
                "Clocks more than 4 hours off (0xC004F06C)",
                "時鐘相差超過 4 小時（0xC004F06C）",
            ),
        );
        self.heading_with(3, title, &h.skewed.len().to_string());
        for s in h.skewed.iter().take(TEXT_ROWS) {
            let (name, cmid, skew) = (
                self.esc(&s.name),
                self.code(&s.cmid),
                skew(s.max_skew_secs, lang),
            );
            match self.style {
                Style::Text => self.item(&format!(
                    "{name}  {cmid}  {skew}  ({} {})",
                    s.requests,
                    l(lang, "requests", "次要求")
                )),
                Style::Markdown => self.item(&format!("{name} {cmid} {skew}")),
            }
        }
        self.more(h.skewed.len());
    }

    fn cloned(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang;
        if h.cloned.is_empty() {
            return;
        }
        let title = self.pick(
            l(
                lang,
                "CMIDs shared by several names (cloned images; the count stays stuck)",
                "多個名稱共用的 CMID（複製的映像；計數停滯）",
            ),
            l(lang, "CMIDs shared by several names", "多個名稱共用的 CMID"),
        );
        self.heading_with(3, title, &h.cloned.len().to_string());
        for c in h.cloned.iter().take(TEXT_ROWS) {
            let names = self.esc(&names(&c.names, c.names_total));
            self.item(&format!("{}: {names}", self.code(&c.cmid)));
        }
        self.more(h.cloned.len());
    }

    /// The per-client table of the host view, cut at [`TEXT_ROWS`].
    fn clients(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang;
        if h.clients.is_empty() {
            return;
        }
        self.caption(l(lang, "Clients", "用戶端"));
        self.table_head(
            l(
                lang,
                "name | CMID | last request | last code | license state | VM | min count | requests",
                "名稱 | CMID | 最後要求 | 最後代碼 | 授權狀態 | 虛擬機器 | 最低計數 | 要求次數",
            ),
            "|---|---|---|---|---|---|---:|---:|",
        );
        for c in h.clients.iter().take(TEXT_ROWS) {
            self.row(&client_cells(c, lang));
        }
        let shown = h.clients.len().min(TEXT_ROWS);
        let total = usize::try_from(h.clients_total)
            .unwrap_or(usize::MAX)
            .max(h.clients.len());
        if total > shown {
            let hidden = total - shown;
            let note = match self.style {
                Style::Text => format!(
                    "… {hidden} {}",
                    l(
                        lang,
                        "more (all of them: --format csv or --clients-csv FILE)",
                        "筆未列出（完整清單：--format csv 或 --clients-csv 檔案）",
                    )
                ),
                Style::Markdown => format!("… {hidden}"),
            };
            self.note(&note);
        }
    }

    /// The count the host would have now: a line with the thresholds in plain text, one list
    /// item in Markdown.
    fn count(&mut self, c: &crate::analyze::CountNow) {
        let lang = self.lang;
        let count = match self.style {
            Style::Text => c.count.to_string(),
            Style::Markdown => format!("**{}**", c.count),
        };
        let count = field(
            l(
                lang,
                "count the host would have now:",
                "主機目前應有的計數：",
            ),
            count,
        );
        let cmids = field(l(lang, "distinct CMIDs", "不同的 CMID"), c.distinct_cmids);
        let os = [
            field(l(lang, "client OS", "用戶端作業系統"), c.client_os),
            field(l(lang, "server OS", "伺服器作業系統"), c.server_os),
        ]
        .join(", ");
        let cap = field(l(lang, "cap", "上限"), c.cap);
        if !self.is_text() {
            self.item(&format!("{count} ({cmids}, {os}, {cap})"));
            return;
        }
        let days = field(l(lang, "30 days:", "30 天："), c.window_start);
        self.line(format!("{count}  ({days} … {})", c.now));
        let unknown = field(l(lang, "unknown", "未知"), c.unknown_os);
        self.item(&format!("{cmids} ({os}, {unknown}); {cap}"));
        let thresholds = [
            (
                l(lang, "client OS threshold", "用戶端作業系統門檻"),
                c.client_threshold,
                c.client_os_activates,
            ),
            (
                l(lang, "server OS threshold", "伺服器作業系統門檻"),
                c.server_threshold,
                c.server_os_activates,
            ),
        ];
        for (label, threshold, activates) in thresholds {
            let reached = if activates {
                l(lang, "reached", "已達到")
            } else {
                l(lang, "NOT reached", "未達到")
            };
            self.item(&format!("{label} {threshold}: {reached}"));
        }
    }

    /// 12293 events: with the 12294 count in plain text, only when some failed in Markdown.
    fn dns_failures(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang;
        let shown = match self.style {
            Style::Text => h.dns_failures_total > 0 || h.dns_published > 0,
            Style::Markdown => !h.dns_failures.is_empty(),
        };
        if !shown {
            return;
        }
        let title = self.pick(
            l(
                lang,
                "DNS publishing failed (12293)",
                "DNS 發佈失敗（12293）",
            ),
            l(
                lang,
                "DNS publishing failures (12293)",
                "DNS 發佈失敗（12293）",
            ),
        );
        let figures = format!(
            "{}  {} {}",
            h.dns_failures_total,
            l(lang, "succeeded (12294):", "成功（12294）："),
            h.dns_published
        );
        self.heading_with(3, title, &figures);
        for d in h.dns_failures.iter().take(TEXT_ROWS) {
            let domain = self.esc(d.domain.as_deref().unwrap_or("-"));
            let code = self.esc(&d.code.as_ref().map_or_else(|| "-".to_owned(), code_line));
            match self.style {
                Style::Text => self.item(&format!(
                    "{}  {}  {domain}  {code}",
                    ts(d.time),
                    d.computer.as_deref().unwrap_or("-")
                )),
                Style::Markdown => self.item(&format!("{} {domain} {code}", ts(d.time))),
            }
        }
    }

    fn client(&mut self, c: &crate::analyze::ClientView) {
        let lang = self.lang;
        self.heading(2, l(lang, "KMS client view", "KMS 用戶端檢視"));
        let figures = [
            (l(lang, "attempts:", "嘗試："), c.attempts_total),
            (l(lang, "activated:", "已啟用："), c.activated),
            (l(lang, "failed:", "失敗："), c.failed),
            (l(lang, "no response:", "沒有回應："), c.no_response),
        ]
        .map(|(k, v)| field(k, v));
        match self.style {
            Style::Text => self.line(figures.join("  ")),
            Style::Markdown => self.item(&figures.join(", ")),
        }
        if self.is_text() {
            self.client_details(c);
        }
        self.caption(l(lang, "Attempts", "嘗試記錄"));
        // Plain text lists the attempts without column names.
        if !self.is_text() {
            self.table_head(
                l(
                    lang,
                    "time | client | host | outcome | code",
                    "時間 | 用戶端 | 主機 | 結果 | 代碼",
                ),
                "|---|---|---|---|---|",
            );
        }
        for a in c.attempts.iter().take(TEXT_ROWS) {
            let computer = a.computer.as_deref().unwrap_or("-");
            let kms = opt(a.kms.as_ref());
            let outcome = a.outcome.label(lang);
            match self.style {
                Style::Text => {
                    let code = a
                        .code
                        .as_ref()
                        .filter(|x| x.code.value() != 0)
                        .map_or_else(String::new, |x| format!("  {}", code_line(x)));
                    self.item(&format!(
                        "{}  {computer} -> {kms}  {outcome}{code}",
                        ts(a.time)
                    ));
                }
                Style::Markdown => self.row(&[
                    ts(a.time),
                    computer.to_owned(),
                    kms,
                    outcome.to_owned(),
                    a.code.as_ref().map_or_else(|| "-".to_owned(), code_line),
                ]),
            }
        }
        self.more(c.attempts.len());
    }

    /// The last count, hosts contacted and codes of the client view (plain text only).
    fn client_details(&mut self, c: &crate::analyze::ClientView) {
        let lang = self.lang;
        if let Some(n) = c.last_current_count {
            self.line(format!(
                "{} {n}",
                l(
                    lang,
                    "current count last reported by the host:",
                    "主機最後回報的目前計數："
                )
            ));
        }
        if !c.hosts.is_empty() {
            self.heading(3, l(lang, "Hosts contacted", "連絡過的主機"));
            for h in &c.hosts {
                self.item(&format!(
                    "{}  {} {}, {} {}, {} {}, {} {}, {} {}",
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
                ));
            }
        }
        if c.codes.iter().any(|x| x.code.value() != 0) {
            self.heading(3, l(lang, "Codes", "代碼"));
            for x in c.codes.iter().filter(|x| x.code.value() != 0) {
                self.item(&format!("{:>8}  {}", x.count, code_line(x)));
            }
        }
    }

    /// 8198 events and codes of other activation events (plain text only).
    fn slui_and_other_codes(&mut self, r: &Report) {
        let lang = self.lang;
        if r.slui_failures_total > 0 {
            self.line("");
            let title = l(
                lang,
                "License Activation (slui.exe) failures (8198)",
                "授權啟用（slui.exe）失敗（8198）",
            );
            self.heading_with(3, title, &r.slui_failures_total.to_string());
            for s in r.slui_failures.iter().take(TEXT_ROWS) {
                self.item(&format!(
                    "{}  {}  {}",
                    ts(s.time),
                    s.computer.as_deref().unwrap_or("-"),
                    s.code.as_ref().map_or_else(|| "-".to_owned(), code_line)
                ));
            }
        }
        if !r.other_codes.is_empty() {
            self.line("");
            self.heading(
                3,
                l(
                    lang,
                    "Codes in other activation events",
                    "其他啟用事件中的代碼",
                ),
            );
            for c in &r.other_codes {
                self.item(&format!(
                    "{:>8}  {} {}  {}",
                    c.code.count,
                    l(lang, "event", "事件"),
                    c.event_id,
                    code_line(&c.code)
                ));
            }
        }
    }

    fn footer(&mut self, r: &Report) {
        let nothing = r.client.is_none()
            && r.host.is_none()
            && r.other_codes.is_empty()
            && r.slui_failures_total == 0;
        let s = if nothing {
            l(self.lang, "No activation events found.", "找不到啟用事件。")
        } else {
            l(
                self.lang,
                "Explain a code in full: volact explain <code>",
                "查看代碼的完整說明：volact explain <代碼>",
            )
        };
        self.line(format!("\n{s}"));
    }
}

fn names(n: &[String], total: u64) -> String {
    let mut s = n.join(", ");
    if total > n.len() as u64 {
        let _ = write!(s, ", … (+{})", total - n.len() as u64);
    }
    s
}

/// The mark after the last request of a client outside the count's window.
fn outside_mark(lang: Lang) -> &'static str {
    l(
        lang,
        " (outside the 30-day window, not counted)",
        "（超出 30 天範圍，不列入計數）",
    )
}

fn client_cells(c: &ClientRow, lang: Lang) -> Vec<String> {
    let mut last = ts(c.last_seen);
    if c.outside_window {
        last.push_str(outside_mark(lang));
    }
    vec![
        c.name.clone(),
        c.cmid.clone(),
        last,
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
            "outside_window",
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
                    c.outside_window.to_string(),
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
/// `note`, `host_code`, `day`, `client`, `skew`, `clone`, `dns_failure`, `attempt`,
/// `host_contact`, `slui_failure`, `other_code`.
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
    for n in &r.note_details {
        let text = n.message(Lang::En);
        push_line(
            &mut o,
            "note",
            &WarningLine {
                text: &text,
                kind: Some(n.kind_id()),
            },
        );
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
