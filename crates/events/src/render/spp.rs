//! The Software Protection section of the text and Markdown report: per client, which events it
//! logged, how its failures ended and its last successful activation; then the events.

use volact_core::out;

use super::doc::*;
use super::words::*;
use crate::analyze::SppView;

impl<W: std::fmt::Write> Doc<W> {
    pub(super) fn spp(&mut self, v: &SppView) {
        let lang = self.lang();
        self.heading(
            2,
            lang.pick(
                "Software Protection events per client",
                "各用戶端的軟體保護事件",
            ),
        );
        if !self.is_text() {
            self.table_head_ruled(
                lang.pick(
                    "client | events | transient failures | persistent failures | last activation | AD activation object",
                    "用戶端 | 事件 | 暫時性失敗 | 持續性失敗 | 最後一次啟用 | AD 啟用物件",
                ),
                "|---|---|---|---|---|---|",
            );
        }
        for c in v.clients.iter().take(TEXT_ROWS) {
            let events: Vec<String> = c
                .events
                .iter()
                .map(|e| format!("{}×{}", e.event_id, e.count))
                .collect();
            let name = if c.computer.is_empty() {
                "-"
            } else {
                c.computer.as_str()
            };
            match self.style() {
                out::Style::Text => {
                    let mut s = format!(
                        "{name}  {}  {} {}, {} {}",
                        events.join(" "),
                        lang.pick("transient", "暫時性"),
                        c.failures_transient,
                        lang.pick("persistent", "持續性"),
                        c.failures_persistent
                    );
                    if c.last_success.is_some() {
                        s.push_str(&format!(
                            ", {} {}",
                            lang.pick("last activation", "最後一次啟用"),
                            ts(c.last_success)
                        ));
                    }
                    if let Some(ao) = &c.ad_object {
                        s.push_str(&format!(", AD: {ao}"));
                    }
                    self.item(&s);
                }
                out::Style::Markdown => self.row(&[
                    name.to_owned(),
                    events.join(" "),
                    c.failures_transient.to_string(),
                    c.failures_persistent.to_string(),
                    ts(c.last_success),
                    opt(c.ad_object.as_ref()),
                ]),
            }
        }
        self.more(v.clients.len());
        if self.is_text() && !v.events.is_empty() {
            self.heading(3, lang.pick("Events", "事件"));
            for e in v.events.iter().take(TEXT_ROWS) {
                let mut s = format!(
                    "{}  {}  {} {}",
                    ts(e.time),
                    e.computer.as_deref().unwrap_or("-"),
                    e.event_id,
                    e.title
                );
                if let Some(c) = e.code.as_ref() {
                    s.push_str(&format!("  {}", code_line(c)));
                }
                if e.office {
                    s.push_str("  (Office)");
                }
                if let Some(d) = &e.detail {
                    s.push_str(&format!("  [{d}]"));
                }
                match e.transient {
                    Some(true) => s.push_str(lang.pick("  (recovered later)", "  （之後已恢復）")),
                    Some(false) => s.push_str(lang.pick("  (not recovered)", "  （之後未恢復）")),
                    None => {}
                }
                self.item(&s);
            }
            self.more(v.events.len());
        }
    }
}
