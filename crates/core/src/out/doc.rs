//! A document written once and rendered as plain text or Markdown.

use std::fmt::{self, Write};

use crate::lang::Lang;

/// How a [`Doc`] writes headings, lists and tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Plain text: `== Section ==` headings, indented items and rows, for terminals and logs.
    Text,
    /// Markdown: `#` headings, `-` lists and tables, for tickets and wikis.
    Markdown,
}

/// A text or Markdown document being written into `W`. Every method writes in the style chosen at
/// creation; a renderer walks its report once and gets both forms.
///
/// ```
/// use volact_core::out::{Doc, Style};
/// use volact_core::Lang;
///
/// let mut d = Doc::new(String::new(), Style::Markdown, Lang::En);
/// d.heading(1, "KMS report");
/// d.table_head(&["host", "count"]);
/// d.row(&["kms|01", "25"]);
/// assert_eq!(d.finish(), "# KMS report\n\n| host | count |\n|---|---|\n| kms\\|01 | 25 |\n");
///
/// let mut d = Doc::new(String::new(), Style::Text, Lang::ZhTw);
/// d.heading(2, "主機");
/// d.kv("計數", "25");
/// assert_eq!(d.finish(), "\n== 主機 ==\n  計數：25\n");
/// ```
#[derive(Debug)]
pub struct Doc<W> {
    out: W,
    style: Style,
    lang: Lang,
}

impl<W: Write> Doc<W> {
    /// A document written into `out`.
    pub fn new(out: W, style: Style, lang: Lang) -> Self {
        Self { out, style, lang }
    }

    /// The style it writes in.
    pub fn style(&self) -> Style {
        self.style
    }

    /// The language of its words.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// Whether it writes plain text.
    pub fn is_text(&self) -> bool {
        self.style == Style::Text
    }

    /// `text` in plain text, `markdown` in Markdown.
    pub fn pick<'a>(&self, text: &'a str, markdown: &'a str) -> &'a str {
        match self.style {
            Style::Text => text,
            Style::Markdown => markdown,
        }
    }

    /// The writer, to write something the builder has no method for.
    pub fn out(&mut self) -> &mut W {
        &mut self.out
    }

    /// The finished document.
    pub fn finish(self) -> W {
        self.out
    }

    /// One line as it is.
    pub fn line(&mut self, s: impl fmt::Display) {
        let _ = writeln!(self.out, "{s}");
    }

    /// `s` made safe for a Markdown table cell or list item (unchanged in plain text).
    pub fn esc<'a>(&self, s: &'a str) -> std::borrow::Cow<'a, str> {
        match self.style {
            Style::Text => s.into(),
            Style::Markdown => super::md::cell(s),
        }
    }

    /// An identifier (code, CMID, command): as code in Markdown, as it is in plain text.
    pub fn code(&self, s: impl fmt::Display) -> String {
        match self.style {
            Style::Text => s.to_string(),
            Style::Markdown => super::md::code(&s.to_string()),
        }
    }

    /// Level 1 is the document title (none in plain text), level 2 a section (`== Title ==` in
    /// plain text), level 3 a list or table (`Title:` in plain text).
    pub fn heading(&mut self, level: usize, title: &str) {
        self.heading_with(level, title, "");
    }

    /// A heading; `figures` follow a plain-text list title (`Title: 12`).
    pub fn heading_with(&mut self, level: usize, title: &str, figures: &str) {
        let colon = self.lang.pick(":", "：");
        let _ = match (self.style, level) {
            (Style::Text, 1) => Ok(()),
            (Style::Text, 2) => writeln!(self.out, "\n== {title} =="),
            (Style::Text, _) if figures.is_empty() => writeln!(self.out, "{title}{colon}"),
            (Style::Text, _) => writeln!(self.out, "{title}{colon} {figures}"),
            (Style::Markdown, 1) => writeln!(self.out, "# {title}\n"),
            (Style::Markdown, _) => writeln!(self.out, "\n{} {title}\n", "#".repeat(level)),
        };
    }

    /// The title of a table: a list title in plain text, a blank line in Markdown.
    pub fn caption(&mut self, title: &str) {
        match self.style {
            Style::Text => self.heading(3, title),
            Style::Markdown => self.line(""),
        }
    }

    /// A list item: indented in plain text, `- ` in Markdown.
    pub fn item(&mut self, s: &str) {
        match self.style {
            Style::Text => self.line(format_args!("  {s}")),
            Style::Markdown => self.line(format_args!("- {s}")),
        }
    }

    /// A list item with a plain-text `mark` (`-`, `*`, `!`); Markdown shows `!` (a warning) as ⚠.
    pub fn bullet(&mut self, mark: char, s: &str) {
        match self.style {
            Style::Text => self.line(format_args!("  {mark} {s}")),
            Style::Markdown if mark == '!' => self.line(format_args!("- ⚠ {s}")),
            Style::Markdown => self.line(format_args!("- {s}")),
        }
    }

    /// A numbered list item (`n` from 1).
    pub fn numbered(&mut self, n: usize, s: &str) {
        match self.style {
            Style::Text => self.line(format_args!("  {n}. {s}")),
            Style::Markdown => self.line(format_args!("{n}. {s}")),
        }
    }

    /// A labelled value: `  label: value` in plain text, `- **label**: value` in Markdown.
    pub fn kv(&mut self, label: &str, value: &str) {
        let colon = self.lang.pick(": ", "：");
        match self.style {
            Style::Text => self.line(format_args!("  {label}{colon}{value}")),
            Style::Markdown => self.line(format_args!("- **{label}**{colon}{value}")),
        }
    }

    /// A line after a list or table: indented in plain text, a paragraph in Markdown.
    pub fn note(&mut self, s: &str) {
        match self.style {
            Style::Text => self.line(format_args!("  {s}")),
            Style::Markdown => self.line(format_args!("\n{s}")),
        }
    }

    /// A paragraph: a line in plain text, a line and a blank line in Markdown.
    pub fn para(&mut self, s: &str) {
        match self.style {
            Style::Text => self.line(s),
            Style::Markdown => self.line(format_args!("{s}\n")),
        }
    }

    /// Column names: indented and joined by ` | ` in plain text, a table head in Markdown.
    pub fn table_head(&mut self, columns: &[&str]) {
        let rule: String = columns.iter().map(|_| "|---").collect();
        self.table_head_ruled(&columns.join(" | "), &format!("{rule}|"));
    }

    /// Column names already joined, with a Markdown alignment `rule` (`|---|--:|`).
    pub fn table_head_ruled(&mut self, columns: &str, rule: &str) {
        match self.style {
            Style::Text => self.line(format_args!("  {columns}")),
            Style::Markdown => self.line(format_args!("| {columns} |\n{rule}")),
        }
    }

    /// A table row: the cells joined by ` | ` (escaped in Markdown).
    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let cells: Vec<_> = cells.iter().map(|c| self.esc(c.as_ref())).collect();
        match self.style {
            Style::Text => self.line(format_args!("  {}", cells.join(" | "))),
            Style::Markdown => self.line(format_args!("| {} |", cells.join(" | "))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(f: impl Fn(&mut Doc<String>)) -> (String, String) {
        let mut t = Doc::new(String::new(), Style::Text, Lang::En);
        let mut m = Doc::new(String::new(), Style::Markdown, Lang::En);
        f(&mut t);
        f(&mut m);
        (t.finish(), m.finish())
    }

    #[test]
    fn lists_and_notes() {
        let (t, m) = both(|d| {
            d.heading_with(3, "Clients", "12");
            d.bullet('!', "late");
            d.numbered(1, "run slmgr /ato");
            d.note("more");
        });
        assert_eq!(t, "Clients: 12\n  ! late\n  1. run slmgr /ato\n  more\n");
        assert_eq!(m, "\n### Clients\n\n- ⚠ late\n1. run slmgr /ato\n\nmore\n");
    }

    #[test]
    fn code_and_kv() {
        let (t, m) = both(|d| {
            let c = d.code("0xC004F074");
            d.kv("code", &c);
        });
        assert_eq!(t, "  code: 0xC004F074\n");
        assert_eq!(m, "- **code**: `0xC004F074`\n");
    }
}
