//! Human-readable rendering of explanations and listings: plain text (optionally styled with ANSI
//! colours) and Markdown, in English or Traditional Chinese. JSON is the serde form of the models in
//! [`crate::explain`].

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};

pub use crate::event_id::describe_event;
use crate::explain::{Coverage, EventIdOut, EventMachine, ExplainReport, Explanation};
use crate::kb::{Entry, Lang};
pub use crate::phrases::describe_unknown;
use crate::phrases::severity_word;

/// Labels of the user interface, per language.
struct Labels {
    types: &'static str,
    decoded: &'static str,
    events: &'static str,
    checks: &'static str,
    causes: &'static str,
    steps: &'static str,
    commands: &'static str,
    elevated: &'static str,
    note: &'static str,
    related: &'static str,
    sources: &'static str,
    found_in: &'static str,
    alias_of: &'static str,
    severity: &'static str,
    facility: &'static str,
    code: &'static str,
    signed: &'static str,
    win32: &'static str,
    not_in_kb: &'static str,
    no_code: &'static str,
    other_names: &'static str,
    event_id: &'static str,
    event_log: &'static str,
    event_records: &'static str,
    event_where: &'static str,
    event_codes: &'static str,
    as_win32: &'static str,
}

const EN: Labels = Labels {
    types: "Activation type",
    decoded: "Decoded",
    events: "Event IDs",
    checks: "volact doctor checks",
    causes: "Likely causes",
    steps: "Steps",
    commands: "Commands",
    elevated: "elevated prompt",
    note: "Note",
    related: "See also",
    sources: "Sources",
    found_in: "Found in",
    alias_of: "Explained under",
    severity: "severity",
    facility: "facility",
    code: "code",
    signed: "signed",
    win32: "Win32 error",
    not_in_kb: "Not in the knowledge base: volact can decode this code but has no tested advice for it.",
    no_code: "No error code found in",
    other_names: "Also named",
    event_id: "Event ID",
    event_log: "Log",
    event_records: "Records",
    event_where: "Where to look",
    event_codes: "Codes that point to it",
    as_win32: "Read as a Win32 error code instead",
};

const ZH: Labels = Labels {
    types: "啟用類型",
    decoded: "解碼",
    events: "事件識別碼",
    checks: "volact doctor 檢查項目",
    causes: "可能的原因",
    steps: "疑難排解步驟",
    commands: "指令",
    elevated: "需要提升權限的命令提示字元",
    note: "附註",
    related: "另請參閱",
    sources: "資料來源",
    found_in: "出現於",
    alias_of: "說明請見",
    severity: "嚴重性",
    facility: "設施",
    code: "代碼",
    signed: "有號十進位",
    win32: "Win32 錯誤",
    not_in_kb: "知識庫中沒有這個代碼：volact 可以解碼，但沒有經過驗證的處理建議。",
    no_code: "找不到錯誤碼：",
    other_names: "其他名稱",
    event_id: "事件識別碼",
    event_log: "記錄檔",
    event_records: "記錄內容",
    event_where: "查看位置",
    event_codes: "提到此事件的錯誤碼",
    as_win32: "改以 Win32 錯誤碼解讀",
};

fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &EN,
        Lang::ZhTw => &ZH,
    }
}

/// The event block's lines (label, value), shared by the text and Markdown renderers.
fn event_facts(ev: &EventIdOut, lang: Lang, l: &Labels) -> Vec<(&'static str, String)> {
    let machine = match (lang, ev.machine) {
        (Lang::En, EventMachine::Client) => "client",
        (Lang::En, EventMachine::KmsHost) => "KMS host",
        (Lang::ZhTw, EventMachine::Client) => "用戶端",
        (Lang::ZhTw, EventMachine::KmsHost) => "KMS 主機",
        (Lang::En, EventMachine::HyperVHost) => "Hyper-V host",
        (Lang::ZhTw, EventMachine::HyperVHost) => "Hyper-V 主機",
    };
    let source = match lang {
        Lang::En => "source",
        Lang::ZhTw => "來源",
    };
    let mut v = vec![
        (
            l.event_log,
            format!("{} ({machine}; {source} {})", ev.log, ev.source),
        ),
        (l.event_records, ev.records.to_owned()),
        (l.event_where, ev.where_to_look.clone()),
    ];
    if !ev.codes.is_empty() {
        let codes: Vec<String> = ev.codes.iter().map(ToString::to_string).collect();
        v.push((l.event_codes, codes.join(", ")));
    }
    v
}

/// Styling for text output; all styles are empty when colour is off.
struct Paint {
    head: Style,
    code: Style,
    dim: Style,
    warn: Style,
    cmd: Style,
}

impl Paint {
    fn new(color: bool) -> Self {
        if !color {
            let s = Style::new();
            return Self {
                head: s,
                code: s,
                dim: s,
                warn: s,
                cmd: s,
            };
        }
        Self {
            head: Style::new().bold().underline(),
            code: Style::new().bold().fg_color(Some(AnsiColor::Cyan.into())),
            dim: Style::new().dimmed(),
            warn: Style::new().fg_color(Some(AnsiColor::Yellow.into())),
            cmd: Style::new().fg_color(Some(AnsiColor::Green.into())),
        }
    }
}

fn p(style: Style, s: &str) -> String {
    format!("{style}{s}{style:#}")
}

fn decoded_line(e: &Explanation, l: &Labels) -> String {
    let mut s = format!(
        "{} {} · {} {}",
        l.severity,
        severity_word(e.severity, e.lang),
        l.facility,
        e.facility.number
    );
    if let Some(n) = e.facility.name {
        let _ = write!(s, " ({n})");
    }
    let _ = write!(
        s,
        " · {} 0x{:04X} ({}) · {} {}",
        l.code, e.decoded.code, e.decoded.code, l.signed, e.signed
    );
    if let Some(w) = &e.decoded.win32 {
        let _ = write!(s, " · {} {}", l.win32, w.code);
        if let Some(n) = w.names.first() {
            let _ = write!(s, " {n}");
        }
    }
    if let Some(nt) = &e.decoded.ntstatus {
        let _ = write!(s, " · NTSTATUS {}", nt.value);
        if let Some(n) = nt.names.first() {
            let _ = write!(s, " {n}");
        }
    }
    s
}

/// The short facts shown under a code's heading, in display order.
#[derive(Clone, Copy)]
enum Fact {
    AliasOf,
    Types,
    Decoded,
    OtherNames,
    Events,
    Checks,
    FoundIn,
}

impl Fact {
    fn text(self, l: &Labels) -> &'static str {
        match self {
            Fact::AliasOf => l.alias_of,
            Fact::Types => l.types,
            Fact::Decoded => l.decoded,
            Fact::OtherNames => l.other_names,
            Fact::Events => l.events,
            Fact::Checks => l.checks,
            Fact::FoundIn => l.found_in,
        }
    }
}

/// The facts of an explanation that have a value, shared by the text and Markdown renderers.
fn facts(e: &Explanation, l: &Labels) -> Vec<(Fact, String)> {
    let mut v = Vec::new();
    if let Some(ec) = e.entry_code {
        v.push((Fact::AliasOf, ec.to_string()));
    }
    if !e.activation_types.is_empty() {
        let types: Vec<&str> = e.activation_types.iter().map(|t| t.label(e.lang)).collect();
        v.push((Fact::Types, types.join(", ")));
    }
    v.push((Fact::Decoded, decoded_line(e, l)));
    if !e.other_names.is_empty() {
        v.push((Fact::OtherNames, e.other_names.join(", ")));
    }
    if !e.event_ids.is_empty() {
        let ev: Vec<String> = e.event_ids.iter().map(u16::to_string).collect();
        v.push((Fact::Events, ev.join(", ")));
    }
    if !e.checks.is_empty() {
        let checks: Vec<&str> = e.checks.iter().map(|c| c.id()).collect();
        v.push((Fact::Checks, checks.join(", ")));
    }
    if let Some(ctx) = &e.input {
        v.push((Fact::FoundIn, ctx.clone()));
    }
    v
}

/// Renders an explanation report as text. `color` adds ANSI styles.
pub fn report_text(r: &ExplainReport, color: bool) -> String {
    let l = labels(r.lang);
    let pt = Paint::new(color);
    let mut out = String::new();
    for (i, e) in r.results.iter().enumerate() {
        if i > 0 {
            out.push_str("\n────────────────────────────────────────\n\n");
        }
        let mut summary = &e.summary;
        if let Some(ev) = &e.event {
            let _ = writeln!(
                out,
                "{}  {}",
                p(pt.code, &format!("{} {}", l.event_id, ev.id)),
                ev.title
            );
            let _ = writeln!(out, "{}", e.summary);
            out.push('\n');
            for (label, value) in event_facts(ev, r.lang, l) {
                let _ = writeln!(out, "  {label}: {value}");
            }
            out.push('\n');
            let _ = writeln!(out, "{}", p(pt.head, l.as_win32));
            summary = &ev.as_win32;
        }
        let _ = write!(out, "{}", p(pt.code, &e.code.to_string()));
        if let Some(n) = e.name {
            let _ = write!(out, "  {}", p(pt.code, n));
        }
        out.push('\n');
        let _ = writeln!(out, "{summary}");
        out.push('\n');
        for (label, value) in facts(e, l) {
            let shown = match label {
                Fact::Decoded | Fact::FoundIn => p(pt.dim, &value),
                _ => value,
            };
            let _ = writeln!(out, "  {}: {shown}", label.text(l));
        }
        if e.coverage != Coverage::Known {
            out.push('\n');
            let _ = writeln!(out, "{}", p(pt.warn, l.not_in_kb));
            continue;
        }
        out.push('\n');
        let _ = writeln!(out, "{}", p(pt.head, l.causes));
        for c in e.causes {
            let _ = writeln!(out, "  - {c}");
        }
        out.push('\n');
        let _ = writeln!(out, "{}", p(pt.head, l.steps));
        for (n, s) in e.steps.iter().enumerate() {
            let _ = writeln!(out, "  {}. {s}", n + 1);
        }
        if !e.commands.is_empty() {
            out.push('\n');
            let _ = writeln!(out, "{}", p(pt.head, l.commands));
            for c in &e.commands {
                let _ = write!(out, "  {}", p(pt.cmd, c.run));
                if c.elevated {
                    let _ = write!(out, "  {}", p(pt.warn, &format!("[{}]", l.elevated)));
                }
                out.push('\n');
                let _ = writeln!(out, "      {}", c.purpose);
            }
        }
        if let Some(n) = e.note {
            out.push('\n');
            let _ = writeln!(out, "{}: {n}", p(pt.head, l.note));
        }
        if !e.related.is_empty() {
            out.push('\n');
            let _ = writeln!(out, "{}", p(pt.head, l.related));
            for rel in &e.related {
                let _ = writeln!(
                    out,
                    "  {} {} — {}",
                    rel.code,
                    rel.name.unwrap_or(""),
                    rel.message
                );
            }
        }
        out.push('\n');
        let _ = writeln!(out, "{}", p(pt.head, l.sources));
        for s in &e.sources {
            let _ = write!(out, "  [{}] {}", s.tag, s.title);
            if let Some(u) = s.url {
                let _ = write!(out, " <{u}>");
            }
            out.push('\n');
        }
    }
    for u in &r.unmatched {
        let _ = writeln!(out, "{} {u}", l.no_code);
    }
    out
}

/// Escapes text for Markdown paragraphs and list items (the toolkit's one rule).
fn md(s: &str) -> std::borrow::Cow<'_, str> {
    crate::out::md::text(s)
}

/// Renders an explanation report as Markdown.
pub fn report_markdown(r: &ExplainReport) -> String {
    let l = labels(r.lang);
    let mut out = String::new();
    for e in &r.results {
        let mut summary = &e.summary;
        if let Some(ev) = &e.event {
            let _ = writeln!(out, "## {} {} — {}\n", l.event_id, ev.id, md(ev.title));
            let _ = writeln!(out, "{}\n", md(&e.summary));
            for (label, value) in event_facts(ev, r.lang, l) {
                let _ = writeln!(out, "- **{label}**: {}", md(&value));
            }
            let _ = writeln!(out, "\n### {}\n", l.as_win32);
            summary = &ev.as_win32;
        }
        let heading = if e.event.is_some() { "####" } else { "##" };
        let _ = write!(out, "{heading} `{}`", e.code);
        if let Some(n) = e.name {
            let _ = write!(out, " {}", md(n));
        }
        out.push_str("\n\n");
        let _ = writeln!(out, "{}\n", md(summary));
        for (label, value) in facts(e, l) {
            let shown = match label {
                Fact::FoundIn | Fact::AliasOf => format!("`{}`", value.replace('`', "'")),
                _ => md(&value).into_owned(),
            };
            let _ = writeln!(out, "- **{}**: {shown}", label.text(l));
        }
        out.push('\n');
        if e.coverage != Coverage::Known {
            let _ = writeln!(out, "> {}\n", md(l.not_in_kb));
            continue;
        }
        let _ = writeln!(out, "### {}\n", l.causes);
        for c in e.causes {
            let _ = writeln!(out, "- {}", md(c));
        }
        let _ = writeln!(out, "\n### {}\n", l.steps);
        for (n, s) in e.steps.iter().enumerate() {
            let _ = writeln!(out, "{}. {}", n + 1, md(s));
        }
        if !e.commands.is_empty() {
            let _ = writeln!(out, "\n### {}\n", l.commands);
            for c in &e.commands {
                let el = if c.elevated {
                    format!(" *({})*", l.elevated)
                } else {
                    String::new()
                };
                let _ = writeln!(out, "- `{}`{el}: {}", c.run, md(c.purpose));
            }
        }
        if let Some(n) = e.note {
            let _ = writeln!(out, "\n> **{}**: {}", l.note, md(n));
        }
        if !e.related.is_empty() {
            let _ = writeln!(out, "\n### {}\n", l.related);
            for rel in &e.related {
                let _ = writeln!(
                    out,
                    "- `{}` {} — {}",
                    rel.code,
                    md(rel.name.unwrap_or("")),
                    md(rel.message)
                );
            }
        }
        let _ = writeln!(out, "\n### {}\n", l.sources);
        for s in &e.sources {
            match s.url {
                Some(u) => {
                    let _ = writeln!(out, "- \\[{}\\] [{}]({u})", s.tag, md(s.title));
                }
                None => {
                    let _ = writeln!(out, "- \\[{}\\] {}", s.tag, md(s.title));
                }
            }
        }
        out.push('\n');
    }
    for u in &r.unmatched {
        let _ = writeln!(out, "> {} `{}`\n", l.no_code, u.replace('`', "'"));
    }
    out
}

/// One line per entry: code, name, types, message. Used by `list` and `search`.
pub fn entries_text(entries: &[&Entry], lang: Lang, color: bool) -> String {
    let pt = Paint::new(color);
    let mut out = String::new();
    for e in entries {
        let types: Vec<&str> = e.types.iter().map(|t| t.id()).collect();
        let _ = writeln!(
            out,
            "{}  {:<46} {:<26} {}",
            p(pt.code, &e.code.to_string()),
            e.name.unwrap_or("-"),
            types.join(","),
            e.text(lang).message
        );
    }
    out
}

/// A Markdown table of entries.
pub fn entries_markdown(entries: &[&Entry], lang: Lang) -> String {
    let (c, n, t, m) = match lang {
        Lang::En => ("Code", "Name", "Type", "Message"),
        Lang::ZhTw => ("錯誤碼", "名稱", "啟用類型", "訊息"),
    };
    let mut out = format!("| {c} | {n} | {t} | {m} |\n|---|---|---|---|\n");
    for e in entries {
        let types: Vec<&str> = e.types.iter().map(|t| t.label(lang)).collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            e.code,
            md(e.name.unwrap_or("—")),
            md(&types.join(", ")),
            md(e.text(lang).message)
        );
    }
    out
}
