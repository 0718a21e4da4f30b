//! The text and Markdown document: the one walk over the sections of a report, and how it
//! writes headings, lists and tables in each style.

use std::fmt;

use volact_core::out;

use super::words::*;
use crate::analyze::Report;

/// A text or Markdown report being written: the one walk over the sections of a [`Report`],
/// over the toolkit's document builder (headings, lists, tables in either style).
pub(super) struct Doc<W>(out::Doc<W>);

impl<W> std::ops::Deref for Doc<W> {
    type Target = out::Doc<W>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<W> std::ops::DerefMut for Doc<W> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

impl<W: fmt::Write> Doc<W> {
    /// Writes the whole report into `o` in `style`.
    pub(super) fn render(r: &Report, style: out::Style, o: W) -> W {
        let mut d = Self(out::Doc::new(o, style, r.lang));
        d.heading(1, r.lang.pick("KMS event report", "KMS 事件報告"));
        d.stats(&r.stats);
        if d.is_text() {
            d.inputs(r);
        } else {
            d.nothing_used(r);
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
        if let Some(v) = &r.spp {
            d.spp(v);
        }
        if d.is_text() {
            d.slui_and_other_codes(r);
            d.footer(r);
        }
        d.0.finish()
    }

    /// "… N more" under a list cut at [`TEXT_ROWS`] (plain text only).
    pub(super) fn more(&mut self, len: usize) {
        if self.is_text() && len > TEXT_ROWS {
            let more = self.lang().pick(
                "more (all of them: --format json)",
                "筆未列出（完整清單：--format json）",
            );
            self.note(&format!("… {} {more}", len - TEXT_ROWS));
        }
    }

    pub(super) fn stats(&mut self, s: &crate::analyze::Stats) {
        let lang = self.lang();
        let labels = [
            lang.pick("records read", "讀取記錄"),
            lang.pick("activation events used", "使用的啟用事件"),
            lang.pick("skipped", "略過"),
        ];
        let values = [s.records_read, s.events_used, s.records_skipped].map(|v| v.to_string());
        match self.style() {
            out::Style::Text => {
                let colon = lang.pick(":", "：");
                let fields: Vec<String> = labels
                    .iter()
                    .zip(&values)
                    .map(|(k, v)| format!("{k}{colon} {v}"))
                    .collect();
                self.line(fields.join("  "));
            }
            out::Style::Markdown => {
                self.table_head_ruled(&labels.join(" | "), "|---:|---:|---:|");
                self.row(&values);
                self.line("");
            }
        }
        for sk in &s.skipped {
            self.bullet('-', &format!("{}: {}", sk.label, sk.count));
        }
        for p in &s.partial {
            let label = self.prose(p.label);
            self.bullet('-', &format!("{label}: {}", p.count));
        }
        if !self.is_text() {
            return;
        }
        for e in bad_texts(s, lang) {
            self.line(format!("    {e}"));
        }
        if s.damaged_chunks > 0 {
            let label = lang.pick("damaged .evtx chunks skipped:", "略過的損毀 .evtx 區塊：");
            self.item(&format!("{label} {}", s.damaged_chunks));
        }
    }

    pub(super) fn inputs(&mut self, r: &Report) {
        let lang = self.lang();
        for i in &r.inputs {
            let s = match &i.error {
                Some(e) => format!("{}: {} {e}", i.name, lang.pick("not read:", "無法讀取：")),
                None => format!(
                    "{} ({}): {} {}, {} {}, {} {}",
                    i.name,
                    form_or_kind(i),
                    lang.pick("read", "讀取"),
                    i.records_read,
                    lang.pick("used", "使用"),
                    i.events_used,
                    lang.pick("skipped", "略過"),
                    i.records_skipped
                ),
            };
            self.item(&s);
            if let Some(n) = &i.nothing_used {
                self.line(format!("    {}", n.message(i.form.unwrap_or("-"), lang)));
            }
        }
    }

    /// Prose for a list item: as it is in plain text, escaped in Markdown.
    fn prose(&self, s: &str) -> String {
        if self.is_text() {
            s.to_owned()
        } else {
            volact_core::out::md::text(s).into_owned()
        }
    }

    /// Markdown: why an input gave no activation event (plain text says it under each input).
    pub(super) fn nothing_used(&mut self, r: &Report) {
        let lang = self.lang();
        for i in &r.inputs {
            if let Some(n) = &i.nothing_used {
                let s = format!("{}: {}", i.name, n.message(i.form.unwrap_or("-"), lang));
                let s = self.prose(&s);
                self.bullet('-', &s);
            }
        }
    }

    pub(super) fn warnings(&mut self, r: &Report) {
        let lang = self.lang();
        if self.is_text() {
            if r.warnings_total == 0 {
                return;
            }
            self.line(format!(
                "{} ({})",
                lang.pick("Warnings", "警告"),
                r.warnings_total
            ));
        }
        for w in warning_texts(r, lang) {
            let w = self.esc(&w).into_owned();
            self.bullet('!', &w);
        }
        let hidden = r.warnings_total.saturating_sub(r.warnings.len() as u64);
        if self.is_text() && hidden > 0 {
            self.note(&format!("… {hidden} {}", lang.pick("more", "則未列出")));
        }
    }

    pub(super) fn notes(&mut self, r: &Report) {
        let lang = self.lang();
        if r.note_details.is_empty() {
            return;
        }
        if self.is_text() {
            self.line(lang.pick("Notes", "附註").to_owned());
        }
        for n in &r.note_details {
            let n = self.esc(&n.message(lang)).into_owned();
            self.bullet('-', &n);
        }
    }

    pub(super) fn attention(&mut self, r: &Report) {
        use volact_core::finding::Level;
        let lang = self.lang();
        self.findings(
            r,
            |l| l > Level::Ok,
            lang.pick("Needs attention", "需要注意"),
            '*',
        );
        self.findings(
            r,
            |l| l == Level::Ok,
            lang.pick("Worth knowing", "供參考"),
            '-',
        );
    }

    /// The findings whose level `keep` accepts, under `title`, each marked with `mark`.
    fn findings(
        &mut self,
        r: &Report,
        keep: impl Fn(volact_core::finding::Level) -> bool,
        title: &str,
        mark: char,
    ) {
        let shown: Vec<_> = r.findings.iter().filter(|f| keep(f.level)).collect();
        if shown.is_empty() {
            return;
        }
        // A section in Markdown; a list after a blank line in plain text.
        if self.is_text() {
            self.line("");
            self.heading(3, title);
        } else {
            self.heading(2, title);
        }
        for f in shown {
            let s = crate::phrases::phrase(&f.kind, self.lang());
            self.bullet(mark, &s);
            self.commands(f);
        }
    }

    /// The next commands of a finding under it, each with the elevation mark of volact's
    /// commands table (`[elevated prompt]` in text, `*(elevated prompt)*` in Markdown).
    fn commands(&mut self, f: &volact_core::finding::Finding<crate::analyze::ReportFinding>) {
        use volact_core::commands::{markdown_mark, text_mark};
        let lang = self.lang();
        for c in crate::analyze::marked(f) {
            if self.is_text() {
                let mark = text_mark(c.elevated, lang);
                let sep = if mark.is_empty() { "" } else { "  " };
                self.line(format!("      {}{sep}{mark}", c.run));
            } else {
                let run = volact_core::out::md::code(&c.run);
                self.line(format!("  - {run}{}", markdown_mark(c.elevated, lang)));
            }
        }
    }

    /// 8198 events and codes of other activation events (plain text only).
    pub(super) fn slui_and_other_codes(&mut self, r: &Report) {
        let lang = self.lang();
        if r.slui_failures_total > 0 {
            self.line("");
            let title = lang.pick(
                "License Activation (slui.exe) failures (8198)",
                "授權啟用（slui.exe）失敗（8198）",
            );
            self.heading_with(3, title, &r.slui_failures_total.to_string());
            for s in r.slui_failures.iter().take(TEXT_ROWS) {
                let later = if s.transient {
                    lang.pick("  (recovered later)", "  （之後已恢復）")
                } else {
                    ""
                };
                self.item(&format!(
                    "{}  {}  {}{later}",
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
                lang.pick("Codes in other activation events", "其他啟用事件中的代碼"),
            );
            for c in &r.other_codes {
                self.item(&format!(
                    "{:>8}  {} {}  {}",
                    c.code.count,
                    lang.pick("event", "事件"),
                    c.event_id,
                    code_line(&c.code)
                ));
            }
        }
    }

    pub(super) fn footer(&mut self, r: &Report) {
        let nothing = r.client.is_none()
            && r.host.is_none()
            && r.other_codes.is_empty()
            && r.slui_failures_total == 0
            && r.spp.is_none();
        let s = if nothing && r.stats.events_used > 0 {
            let n = r.stats.events_used;
            match self.lang() {
                volact_core::Lang::En => format!(
                    "{n} activation event(s) read; none of them reports a KMS request, a \
                     response or an error code."
                ),
                volact_core::Lang::ZhTw => {
                    format!("已讀取 {n} 筆啟用事件，但都沒有 KMS 要求、回應或錯誤代碼。")
                }
            }
        } else if nothing {
            self.lang()
                .pick("No activation events found.", "找不到啟用事件。")
                .to_owned()
        } else {
            self.lang()
                .pick(
                    "Explain a code in full: volact explain <code>",
                    "查看代碼的完整說明：volact explain <代碼>",
                )
                .to_owned()
        };
        self.line(format!("\n{s}"));
    }
}

/// The kind of an input, and its form where that says more (`xml: event_viewer_xml_view`).
fn form_or_kind(i: &crate::analyze::InputSummary) -> String {
    let kind = i.kind.unwrap_or("-");
    match i.form {
        Some(f) if !matches!(f, "evtx" | "event_xml" | "text" | "json" | "csv") => {
            format!("{kind}: {f}")
        }
        _ => kind.to_owned(),
    }
}
