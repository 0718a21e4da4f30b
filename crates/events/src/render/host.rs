//! The host sections of the text and Markdown report: the count, codes, per-day requests,
//! skewed clocks, cloned CMIDs, clients and DNS publishing.

use volact_core::out;

use super::doc::*;
use super::words::*;

impl<W: std::fmt::Write> Doc<W> {
    pub(super) fn host(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang();
        self.heading(2, lang.pick("KMS host view", "KMS 主機檢視"));
        if h.requests > 0 {
            let requests = field(
                lang.pick("requests processed (12290):", "已處理要求（12290）："),
                h.requests,
            );
            let clients = field(
                lang.pick("clients (name + CMID):", "用戶端（名稱 + CMID）："),
                h.clients_total,
            );
            match self.style() {
                out::Style::Text => self.line(format!("{requests}  {clients}")),
                out::Style::Markdown => {
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
                lang.pick(
                    "clients outside the 30-day window (no longer counted):",
                    "超出 30 天範圍的用戶端（已不列入計數）：",
                ),
                h.clients_outside_window,
            ));
        }
        self.families(h);
        self.host_codes(h);
        self.per_day(h);
        self.skewed(h);
        self.cloned(h);
        self.dns_failures(h);
        self.clients(h);
    }

    /// The clients by product family (Windows client against 25, servers and Office against 5),
    /// each with its products; a breakdown beside the count, which keeps its own rules.
    pub(super) fn families(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang();
        if h.families.is_empty() {
            return;
        }
        self.caption(lang.pick("Clients by product family", "各產品系列的用戶端"));
        if !self.is_text() {
            let columns = [
                lang.pick("family", "產品系列"),
                lang.pick("product", "產品"),
                lang.pick("clients", "用戶端"),
                lang.pick(
                    "refused (0xC004F042/0xC004F015)",
                    "被拒（0xC004F042/0xC004F015）",
                ),
            ];
            self.table_head_ruled(&columns.join(" | "), "|---|---|---:|---:|");
        }
        for f in &h.families {
            let label = family_label(f.family, lang);
            let needs = f.threshold.map_or(String::new(), |t| {
                lang.pick(format!(" (a host needs {t})"), format!("（主機需要 {t}）"))
            });
            match self.style() {
                out::Style::Text => {
                    let colon = lang.pick(": ", "：");
                    self.item(&format!("{label}{colon}{}{needs}", f.clients));
                }
                out::Style::Markdown => {
                    let all = lang.pick("all", "全部");
                    let cells = [
                        format!("{label}{needs}"),
                        all.to_owned(),
                        f.clients.to_string(),
                        String::new(),
                    ];
                    self.row(&cells);
                }
            }
            for p in f.products.iter().take(TEXT_ROWS) {
                let name = self
                    .esc(&product_cell(p.product, Some(&p.activation_id)))
                    .into_owned();
                match self.style() {
                    out::Style::Text => {
                        let refused = if p.refused > 0 {
                            lang.pick(
                                format!("  ({} refused: 0xC004F042/0xC004F015)", p.refused),
                                format!("（{} 台被拒：0xC004F042/0xC004F015）", p.refused),
                            )
                        } else {
                            String::new()
                        };
                        self.line(format!("    {:>8}  {name}{refused}", p.clients));
                    }
                    out::Style::Markdown => {
                        self.row(&[
                            String::new(),
                            name,
                            p.clients.to_string(),
                            p.refused.to_string(),
                        ]);
                    }
                }
            }
            self.more(f.products.len());
        }
    }

    pub(super) fn host_codes(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang();
        if h.codes.is_empty() {
            return;
        }
        self.caption(lang.pick("Codes returned to clients", "傳回給用戶端的代碼"));
        // Plain text lists the codes without column names.
        if !self.is_text() {
            let columns = [
                lang.pick("code", "代碼"),
                lang.pick("meaning", "說明"),
                lang.pick("count", "次數"),
            ];
            self.table_head_ruled(&columns.join(" | "), "|---|---|---:|");
        }
        for c in &h.codes {
            match self.style() {
                out::Style::Text => self.item(&format!("{:>8}  {}", c.count, code_line(c))),
                out::Style::Markdown => {
                    let code = self.code(c.code);
                    self.row(&[code, c.summary.to_string(), c.count.to_string()]);
                }
            }
        }
    }

    /// The newest [`TEXT_DAYS`] of the per-day histogram.
    pub(super) fn per_day(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang();
        if h.per_day.is_empty() {
            return;
        }
        self.heading(3, per_day_header(lang));
        self.table_head_ruled(per_day_columns(lang), "|---|---:|---:|---:|---:|");
        let start = h.per_day.len().saturating_sub(TEXT_DAYS);
        for d in &h.per_day[start..] {
            let figures = [d.requests, d.activated, d.count_too_low, d.failed];
            match self.style() {
                out::Style::Text => {
                    let figures = figures.map(|n| format!("{n:>8}"));
                    self.item(&format!("{}  {}", d.date, figures.join("  ")));
                }
                out::Style::Markdown => {
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

    pub(super) fn skewed(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang();
        if h.skewed.is_empty() {
            return;
        }
        let title = self.pick(
            lang.pick(
                "Clients with clocks more than 4 hours off (0xC004F06C)",
                "時鐘相差超過 4 小時的用戶端（0xC004F06C）",
            ),
            lang.pick(
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
            match self.style() {
                out::Style::Text => self.item(&format!(
                    "{name}  {cmid}  {skew}  ({} {})",
                    s.requests,
                    lang.pick("requests", "次要求")
                )),
                out::Style::Markdown => self.item(&format!("{name} {cmid} {skew}")),
            }
        }
        self.more(h.skewed.len());
    }

    pub(super) fn cloned(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang();
        if h.cloned.is_empty() {
            return;
        }
        let title = self.pick(
            lang.pick(
                "CMIDs shared by several names (cloned images; the count stays stuck)",
                "多個名稱共用的 CMID（複製的映像；計數停滯）",
            ),
            lang.pick("CMIDs shared by several names", "多個名稱共用的 CMID"),
        );
        self.heading_with(3, title, &h.cloned.len().to_string());
        for c in h.cloned.iter().take(TEXT_ROWS) {
            let names = self.esc(&names(&c.names, c.names_total)).into_owned();
            let line = format!("{}: {names}", self.code(&c.cmid));
            self.item(&line);
        }
        self.more(h.cloned.len());
    }

    /// The per-client table of the host view, cut at [`TEXT_ROWS`].
    pub(super) fn clients(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang();
        if h.clients.is_empty() {
            return;
        }
        self.caption(lang.pick("Clients", "用戶端"));
        self.table_head_ruled(
            lang.pick("name | CMID | last request | last code | license state | VM | min count | requests | product | family",
                "名稱 | CMID | 最後要求 | 最後代碼 | 授權狀態 | 虛擬機器 | 最低計數 | 要求次數 | 產品 | 產品系列",
            ),
            "|---|---|---|---|---|---|---:|---:|---|---|",
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
            let note = match self.style() {
                out::Style::Text => format!(
                    "… {hidden} {}",
                    lang.pick(
                        "more (all of them: --format csv or --clients-csv FILE)",
                        "筆未列出（完整清單：--format csv 或 --clients-csv 檔案）",
                    )
                ),
                out::Style::Markdown => format!("… {hidden}"),
            };
            self.note(&note);
        }
    }

    /// The count the host would have now: a line with the thresholds in plain text, one list
    /// item in Markdown.
    pub(super) fn count(&mut self, c: &crate::analyze::CountNow) {
        let lang = self.lang();
        let count = match self.style() {
            out::Style::Text => c.count.to_string(),
            out::Style::Markdown => format!("**{}**", c.count),
        };
        let count = field(
            lang.pick("count the host would have now:", "主機目前應有的計數："),
            count,
        );
        let cmids = field(lang.pick("distinct CMIDs", "不同的 CMID"), c.distinct_cmids);
        let os = [
            field(lang.pick("client OS", "用戶端作業系統"), c.client_os),
            field(lang.pick("server OS", "伺服器作業系統"), c.server_os),
        ]
        .join(", ");
        let cap = field(lang.pick("cap", "上限"), c.cap);
        if !self.is_text() {
            self.item(&format!("{count} ({cmids}, {os}, {cap})"));
            return;
        }
        let days = field(lang.pick("30 days:", "30 天："), c.window_start);
        self.line(format!("{count}  ({days} … {})", c.now));
        let unknown = field(lang.pick("unknown", "未知"), c.unknown_os);
        self.item(&format!("{cmids} ({os}, {unknown}); {cap}"));
        let thresholds = [
            (
                lang.pick("client OS threshold", "用戶端作業系統門檻"),
                c.client_threshold,
                c.client_os_activates,
            ),
            (
                lang.pick("server OS threshold", "伺服器作業系統門檻"),
                c.server_threshold,
                c.server_os_activates,
            ),
        ];
        for (label, threshold, activates) in thresholds {
            let reached = if activates {
                lang.pick("reached", "已達到")
            } else {
                lang.pick("NOT reached", "未達到")
            };
            self.item(&format!("{label} {threshold}: {reached}"));
        }
    }

    /// 12293 events: with the 12294 count in plain text, only when some failed in Markdown.
    pub(super) fn dns_failures(&mut self, h: &crate::analyze::HostView) {
        let lang = self.lang();
        let shown = match self.style() {
            out::Style::Text => h.dns_failures_total > 0 || h.dns_published > 0,
            out::Style::Markdown => !h.dns_failures.is_empty(),
        };
        if !shown {
            return;
        }
        let title = self.pick(
            lang.pick("DNS publishing failed (12293)", "DNS 發佈失敗（12293）"),
            lang.pick("DNS publishing failures (12293)", "DNS 發佈失敗（12293）"),
        );
        let figures = format!(
            "{}  {} {}",
            h.dns_failures_total,
            lang.pick("succeeded (12294):", "成功（12294）："),
            h.dns_published
        );
        self.heading_with(3, title, &figures);
        for d in h.dns_failures.iter().take(TEXT_ROWS) {
            let domain = self.esc(d.domain.as_deref().unwrap_or("-"));
            let code = self
                .esc(&d.code.as_ref().map_or_else(|| "-".to_owned(), code_line))
                .into_owned();
            match self.style() {
                out::Style::Text => self.item(&format!(
                    "{}  {}  {domain}  {code}",
                    ts(d.time),
                    d.computer.as_deref().unwrap_or("-")
                )),
                out::Style::Markdown => self.item(&format!("{} {domain} {code}", ts(d.time))),
            }
        }
    }
}
