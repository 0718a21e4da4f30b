//! The client sections of the text and Markdown report: attempts, hosts contacted, codes.

use volact_core::out;

use super::doc::*;
use super::words::*;

impl<W: std::fmt::Write> Doc<W> {
    pub(super) fn client(&mut self, c: &crate::analyze::ClientView) {
        let lang = self.lang();
        self.heading(2, lang.pick("KMS client view", "KMS 用戶端檢視"));
        let figures = [
            (lang.pick("attempts:", "嘗試："), c.attempts_total),
            (lang.pick("activated:", "已啟用："), c.activated),
            (lang.pick("failed:", "失敗："), c.failed),
            (lang.pick("no response:", "沒有回應："), c.no_response),
        ]
        .map(|(k, v)| field(k, v));
        match self.style() {
            out::Style::Text => self.line(figures.join("  ")),
            out::Style::Markdown => self.item(&figures.join(", ")),
        }
        if self.is_text() {
            self.client_details(c);
        }
        self.caption(lang.pick("Attempts", "嘗試記錄"));
        // Plain text lists the attempts without column names.
        if !self.is_text() {
            self.table_head_ruled(
                lang.pick(
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
            match self.style() {
                out::Style::Text => {
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
                out::Style::Markdown => self.row(&[
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
    pub(super) fn client_details(&mut self, c: &crate::analyze::ClientView) {
        let lang = self.lang();
        if let Some(n) = c.last_current_count {
            self.line(format!(
                "{} {n}",
                lang.pick(
                    "current count last reported by the host:",
                    "主機最後回報的目前計數："
                )
            ));
        }
        if !c.hosts.is_empty() {
            self.heading(3, lang.pick("Hosts contacted", "連絡過的主機"));
            for h in &c.hosts {
                self.item(&format!(
                    "{}  {} {}, {} {}, {} {}, {} {}, {} {}",
                    h.kms,
                    lang.pick("attempts", "嘗試"),
                    h.attempts,
                    lang.pick("activated", "已啟用"),
                    h.activated,
                    lang.pick("failed", "失敗"),
                    h.failed,
                    lang.pick("no response", "沒有回應"),
                    h.no_response,
                    lang.pick("last count", "最後計數"),
                    opt(h.last_current_count)
                ));
            }
        }
        if c.codes.iter().any(|x| x.code.value() != 0) {
            self.heading(3, lang.pick("Codes", "代碼"));
            for x in c.codes.iter().filter(|x| x.code.value() != 0) {
                self.item(&format!("{:>8}  {}", x.count, code_line(x)));
            }
        }
    }
}
