//! Text, Markdown, NDJSON, CSV and JSON forms of an [`Analysis`], in its language, product keys
//! redacted in each.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use serde_json::json;
use volact_core::Lang;
use volact_core::finding::Level;
use volact_core::out::{csv, md, ndjson};

use crate::analysis::Analysis;
use crate::manifest::StepStatus;
use crate::phrases;
use crate::wire::{CheckOut, FindingOut};

struct Labels {
    title: &'static str,
    bundle: &'static str,
    collected: &'static str,
    source: &'static str,
    machine: &'static str,
    roles: &'static str,
    none: &'static str,
    products: &'static str,
    status: &'static str,
    channel: &'static str,
    partial_key: &'static str,
    reason: &'static str,
    without_key: &'static str,
    kms_client: &'static str,
    kms_host: &'static str,
    registered: &'static str,
    from_dns: &'static str,
    count: &'static str,
    port: &'static str,
    publishing: &'static str,
    requests: &'static str,
    settings: &'static str,
    not_set: &'static str,
    dns: &'static str,
    primary: &'static str,
    search_list: &'static str,
    servers: &'static str,
    time: &'static str,
    last_sync: &'static str,
    events: &'static str,
    records: &'static str,
    activation_events: &'static str,
    attempts: &'static str,
    activated: &'static str,
    failed: &'static str,
    no_response: &'static str,
    host_requests: &'static str,
    clients: &'static str,
    codes: &'static str,
    seen_in: &'static str,
    findings: &'static str,
    nothing: &'static str,
    checks: &'static str,
    checks_note: &'static str,
    steps: &'static str,
    warnings: &'static str,
    on: &'static str,
    off: &'static str,
    level: [&'static str; 3],
    step_status: [&'static str; 3],
}

const EN: Labels = Labels {
    title: "volact analysis of an activation bundle",
    bundle: "Bundle",
    collected: "collected",
    source: "source",
    machine: "Machine",
    roles: "activation roles",
    none: "none seen",
    products: "Products with a key (slmgr /dlv)",
    status: "license status",
    channel: "key channel",
    partial_key: "partial product key",
    reason: "notification reason",
    without_key: "products listed without a key",
    kms_client: "KMS client",
    kms_host: "KMS host",
    registered: "registered KMS host",
    from_dns: "KMS host from DNS",
    count: "current count",
    port: "listening port",
    publishing: "DNS publishing",
    requests: "requests (total / failed)",
    settings: "KMS settings in the registry",
    not_set: "none of the KMS values is set",
    dns: "DNS client",
    primary: "primary suffix",
    search_list: "suffix search list",
    servers: "DNS servers",
    time: "Windows Time",
    last_sync: "last successful sync",
    events: "Event logs",
    records: "records",
    activation_events: "activation events",
    attempts: "client activation attempts (12288)",
    activated: "activated",
    failed: "failed",
    no_response: "no response",
    host_requests: "requests processed by the host (12290)",
    clients: "clients",
    codes: "Codes found",
    seen_in: "in",
    findings: "Findings",
    nothing: "nothing wrong found",
    checks: "What volact doctor would check from this machine",
    checks_note: "(not run: analyze never touches the network; run `volact doctor` on that machine or its network)",
    steps: "Collection steps",
    warnings: "Reading the bundle",
    on: "on",
    off: "off",
    level: ["ERROR", "WARNING", "info"],
    step_status: ["ok", "FAILED", "not applicable"],
};

const ZH: Labels = Labels {
    title: "volact 啟用資料包分析",
    bundle: "資料包",
    collected: "收集時間",
    source: "來源",
    machine: "電腦",
    roles: "啟用角色",
    none: "未發現",
    products: "已安裝金鑰的產品（slmgr /dlv）",
    status: "授權狀態",
    channel: "金鑰通道",
    partial_key: "部分產品金鑰",
    reason: "通知原因",
    without_key: "未安裝金鑰的產品數",
    kms_client: "KMS 用戶端",
    kms_host: "KMS 主機",
    registered: "已登錄的 KMS 主機",
    from_dns: "由 DNS 找到的 KMS 主機",
    count: "目前計數",
    port: "接聽連接埠",
    publishing: "DNS 發布",
    requests: "要求（總數／失敗）",
    settings: "登錄中的 KMS 設定",
    not_set: "未設定任何 KMS 值",
    dns: "DNS 用戶端",
    primary: "主要尾碼",
    search_list: "尾碼搜尋清單",
    servers: "DNS 伺服器",
    time: "Windows 時間服務",
    last_sync: "上次成功同步",
    events: "事件記錄",
    records: "筆記錄",
    activation_events: "筆啟用事件",
    attempts: "用戶端啟用嘗試（12288）",
    activated: "已啟用",
    failed: "失敗",
    no_response: "沒有回應",
    host_requests: "主機處理的要求（12290）",
    clients: "個用戶端",
    codes: "找到的錯誤碼",
    seen_in: "出現於",
    findings: "發現",
    nothing: "未發現問題",
    checks: "volact doctor 會從此電腦進行的檢查",
    checks_note: "（未執行：analyze 從不連線網路；請在該電腦或其網路上執行 `volact doctor`）",
    steps: "收集步驟",
    warnings: "讀取資料包",
    on: "開啟",
    off: "關閉",
    level: ["錯誤", "警告", "資訊"],
    step_status: ["完成", "失敗", "不適用"],
};

fn labels(lang: Lang) -> &'static Labels {
    lang.pick(&EN, &ZH)
}

/// A finding's level as the reports write it.
fn level_word(l: &Labels, level: Level) -> &'static str {
    match level {
        Level::Error => l.level[0],
        Level::Warning => l.level[1],
        Level::Info | Level::Ok => l.level[2],
    }
}

fn status_index(s: StepStatus) -> usize {
    match s {
        StepStatus::Ok => 0,
        StepStatus::Failed => 1,
        StepStatus::NotApplicable => 2,
    }
}

/// One item per line, a (label, value) pair list per section: shared by text and Markdown.
struct Section {
    title: String,
    lines: Vec<Line>,
}

impl Section {
    /// A section of plain lines.
    fn new(title: impl Into<String>, lines: Vec<String>) -> Self {
        Section {
            title: title.into(),
            lines: lines.into_iter().map(Line::Plain).collect(),
        }
    }
}

/// One line of a section; leading spaces nest it under the line above.
enum Line {
    /// Data and labels: escaped in Markdown.
    Plain(String),
    /// Sentences (volact's own, with commands between backticks): escaped in Markdown, the
    /// commands kept as code.
    Prose(String),
    /// A finding (a sentence), coloured by its level in text.
    Finding(Level, String),
}

impl Line {
    fn text(&self) -> &str {
        match self {
            Line::Plain(s) | Line::Prose(s) | Line::Finding(_, s) => s,
        }
    }

    /// The line as a Markdown list item's text.
    fn markdown(&self, item: &str) -> String {
        match self {
            Line::Plain(_) => md::text(item).into_owned(),
            Line::Prose(_) | Line::Finding(..) => md_prose(item),
        }
    }
}

/// A sentence for Markdown: escaped, except that what stands between two backticks stays code.
fn md_prose(s: &str) -> String {
    let pieces: Vec<&str> = s.split('`').collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, piece) in pieces.iter().enumerate() {
        if i % 2 == 0 {
            out.push_str(&md::text(piece));
        } else if i + 1 < pieces.len() {
            out.push_str(&md::code(piece));
        } else {
            // A backtick that nothing closes is text.
            out.push_str("\\`");
            out.push_str(&md::text(piece));
        }
    }
    out
}

fn sections(a: &Analysis) -> Vec<Section> {
    let mut out = Vec::new();
    for section in [
        findings_section,
        machine_section,
        products_section,
        settings_section,
        dns_section,
        time_section,
        events_section,
        codes_section,
        checks_section,
        steps_section,
    ] {
        section(a, &mut out);
    }
    out
}

/// `label: value` in the language's punctuation.
fn kv(lang: Lang, k: &str, v: &str) -> String {
    format!("{k}{}{v}", sep(lang))
}

/// What separates a label from its value.
fn sep(lang: Lang) -> &'static str {
    lang.pick(": ", "：")
}

/// The findings, first: they are what the reader came for.
fn findings_section(a: &Analysis, out: &mut Vec<Section>) {
    let l = labels(a.lang);
    let mut lines = Vec::new();
    for f in &a.findings {
        let text = phrases::finding(&f.kind, a.lang);
        let line = format!("[{}] {text}", level_word(l, f.level));
        lines.push(Line::Finding(f.level, line));
        for c in crate::wire::marked(f) {
            let mark = volact_core::commands::text_mark(c.elevated, a.lang);
            let sep = if mark.is_empty() { "" } else { "  " };
            lines.push(Line::Prose(format!("    `{}`{sep}{mark}", c.run)));
        }
    }
    if lines.is_empty() {
        lines.push(Line::Plain(l.nothing.to_owned()));
    }
    let title = l.findings.into();
    out.push(Section { title, lines });
}

/// The machine: name, domain, OS and activation roles.
fn machine_section(a: &Analysis, out: &mut Vec<Section>) {
    let l = labels(a.lang);
    let mut lines = Vec::new();
    if let Some(s) = &a.machine.system {
        let mut who = s.computer_name.clone().unwrap_or_else(|| "?".into());
        if let Some(d) = &s.user_dns_domain {
            who.push_str(&format!(" ({d})"));
        }
        lines.push(who);
        let os: Vec<&str> = [
            &s.product_name,
            &s.display_version,
            &s.build,
            &s.installation_type,
        ]
        .iter()
        .filter_map(|x| x.as_deref())
        .collect();
        if !os.is_empty() {
            lines.push(os.join(" · "));
        }
    }
    lines.push(kv(
        a.lang,
        l.roles,
        &if a.machine.roles.is_empty() {
            l.none.to_owned()
        } else {
            a.machine.roles.join(", ")
        },
    ));
    out.push(Section::new(l.machine.to_owned(), lines));
}

/// The products with a key, with their KMS client and host details.
fn products_section(a: &Analysis, out: &mut Vec<Section>) {
    let l = labels(a.lang);
    let onoff = |b: bool| if b { l.on } else { l.off };
    let mut lines = Vec::new();
    for p in &a.products {
        lines.push(p.name.clone().unwrap_or_else(|| "?".into()));
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                lines.push(format!("  {}", kv(a.lang, k, &v)));
            }
        };
        add(l.status, p.license_status.clone());
        add(l.reason, p.notification_reason.map(|c| c.to_string()));
        add(l.channel, p.product_key_channel.clone());
        add(l.partial_key, p.partial_product_key.clone());
        if let Some(c) = &p.kms_client {
            lines.push(format!("  {}", l.kms_client));
            if let Some(n) = &c.registered_kms_name {
                lines.push(format!("    {}", kv(a.lang, l.registered, n)));
            }
            if let Some(n) = &c.kms_name_from_dns {
                lines.push(format!("    {}", kv(a.lang, l.from_dns, n)));
            }
            if c.dns_discovery_failed {
                lines.push(format!("    {}", kv(a.lang, l.from_dns, l.none)));
            }
        }
        if let Some(h) = &p.kms_host {
            lines.push(format!("  {}", l.kms_host));
            if let Some(n) = h.current_count {
                lines.push(format!("    {}", kv(a.lang, l.count, &n.to_string())));
            }
            if let Some(n) = h.listening_port {
                lines.push(format!("    {}", kv(a.lang, l.port, &n.to_string())));
            }
            if let Some(b) = h.dns_publishing {
                lines.push(format!("    {}", kv(a.lang, l.publishing, onoff(b))));
            }
            if let (Some(t), Some(f)) = (h.total_requests, h.failed_requests) {
                lines.push(format!(
                    "    {}",
                    kv(a.lang, l.requests, &format!("{t} / {f}"))
                ));
            }
        }
    }
    if a.products_without_key > 0 {
        lines.push(kv(
            a.lang,
            l.without_key,
            &a.products_without_key.to_string(),
        ));
    }
    if !lines.is_empty() {
        out.push(Section::new(l.products.to_owned(), lines));
    }
}

/// The KMS values set in the registry, by their registry names.
fn settings_section(a: &Analysis, out: &mut Vec<Section>) {
    let l = labels(a.lang);
    let s = &a.settings;
    let number = |v: Option<u64>| v.map(|n| n.to_string());
    let port = |v: Option<u16>| v.map(|n| n.to_string());
    let flag = |v: Option<bool>| v.map(|b| u8::from(b).to_string());
    let list = (!s.dns_publish_list.is_empty()).then(|| s.dns_publish_list.join("; "));
    let values = [
        ("KeyManagementServiceName", s.kms_name.clone()),
        ("KeyManagementServicePort", port(s.kms_port)),
        ("KeyManagementServiceListeningPort", port(s.listening_port)),
        ("DisableDnsPublishing", flag(s.disable_dns_publishing)),
        ("DnsDomainPublishList", list),
        ("EnableKmsLowPriority", flag(s.low_priority)),
        ("VLActivationInterval", number(s.activation_interval)),
        ("VLRenewalInterval", number(s.renewal_interval)),
        ("SkipRearm", flag(s.skip_rearm)),
        (
            "DiscoveredKeyManagementServiceName",
            s.discovered_name.clone(),
        ),
        (
            "DiscoveredKeyManagementServicePort",
            port(s.discovered_port),
        ),
    ];
    let mut lines: Vec<String> = values
        .into_iter()
        .filter_map(|(k, v)| Some(kv(a.lang, k, &v?)))
        .collect();
    if lines.is_empty() {
        lines.push(l.not_set.to_owned());
    }
    out.push(Section::new(l.settings.to_owned(), lines));
}

/// The DNS client: suffixes and each adapter's servers.
fn dns_section(a: &Analysis, out: &mut Vec<Section>) {
    let l = labels(a.lang);
    if let Some(d) = &a.dns {
        let mut lines = vec![
            kv(
                a.lang,
                l.primary,
                d.primary_suffix.as_deref().unwrap_or("-"),
            ),
            kv(
                a.lang,
                l.search_list,
                &if d.search_list.is_empty() {
                    "-".to_owned()
                } else {
                    d.search_list.join(", ")
                },
            ),
        ];
        for ad in &d.adapters {
            let name = ad.name.clone().unwrap_or_else(|| ad.id.clone());
            let servers = if ad.dns_servers.is_empty() {
                "-".to_owned()
            } else {
                ad.dns_servers.join(", ")
            };
            let mut line = kv(a.lang, &format!("{} ({name})", l.servers), &servers);
            if ad.dhcp {
                line.push_str(" (DHCP)");
            }
            if let Some(sfx) = &ad.suffix {
                line.push_str(&format!(" [{sfx}]"));
            }
            lines.push(line);
        }
        out.push(Section::new(l.dns.to_owned(), lines));
    }
}

/// Windows Time: source and last sync.
fn time_section(a: &Analysis, out: &mut Vec<Section>) {
    let l = labels(a.lang);
    if let Some(t) = &a.time {
        let mut lines = Vec::new();
        lines.push(kv(a.lang, l.source, t.source.as_deref().unwrap_or("?")));
        if let Some(x) = &t.last_sync {
            lines.push(kv(a.lang, l.last_sync, x));
        }
        out.push(Section::new(l.time.to_owned(), lines));
    }
}

/// The event logs and what `volact events` counted in them.
fn events_section(a: &Analysis, out: &mut Vec<Section>) {
    let l = labels(a.lang);
    let sep = sep(a.lang);
    if !a.event_logs.is_empty() {
        let mut lines = Vec::new();
        for e in &a.event_logs {
            let comma = if a.lang == Lang::ZhTw { "，" } else { ", " };
            let mut line = format!(
                "{} ({}){sep}{} {}{comma}{} {}",
                e.file, e.log, e.records, l.records, e.activation_events, l.activation_events
            );
            if let Some(n) = &e.note {
                line.push_str(&format!(" — {n}"));
            }
            lines.push(line);
        }
        if let Some(r) = &a.events {
            if let Some(c) = &r.client {
                lines.push(kv(
                    a.lang,
                    l.attempts,
                    &format!(
                        "{} ({} {}, {} {}, {} {})",
                        c.attempts_total,
                        c.activated,
                        l.activated,
                        c.failed,
                        l.failed,
                        c.no_response,
                        l.no_response
                    ),
                ));
                for h in &c.hosts {
                    lines.push(format!("  {}{sep}{}", h.kms, h.attempts));
                }
            }
            if let Some(h) = &r.host {
                lines.push(kv(
                    a.lang,
                    l.host_requests,
                    &format!("{} ({} {})", h.requests, h.clients_total, l.clients),
                ));
            }
            if r.slui_failures_total > 0 {
                lines.push(kv(
                    a.lang,
                    "8198 (slui.exe)",
                    &r.slui_failures_total.to_string(),
                ));
            }
        }
        out.push(Section::new(l.events.to_owned(), lines));
    }
}

/// Each code found, with its summary and where it was seen.
fn codes_section(a: &Analysis, out: &mut Vec<Section>) {
    let l = labels(a.lang);
    if !a.codes.is_empty() {
        let mut lines = Vec::new();
        for c in &a.codes {
            let name = c.name.map(|n| format!("  {n}")).unwrap_or_default();
            lines.push(format!("{}{name}", c.code));
            lines.push(format!("  {}", c.summary));
            lines.push(format!(
                "  {} {} (×{})",
                l.seen_in,
                c.files.join(", "),
                c.count
            ));
        }
        out.push(Section::new(l.codes.to_owned(), lines));
    }
}

/// The planned `volact doctor` checks and the command that runs them.
fn checks_section(a: &Analysis, out: &mut Vec<Section>) {
    let l = labels(a.lang);
    let mut lines = vec![Line::Prose(l.checks_note.to_owned())];
    for c in &a.checks {
        let target = phrases::target(&c.target, a.lang);
        let reason = phrases::reason(&c.reason, a.lang);
        let line = format!("{:<5} {target} — {reason}", c.check.id());
        lines.push(Line::Plain(line));
    }
    lines.push(Line::Plain(a.doctor_command.clone()));
    let title = l.checks.into();
    out.push(Section { title, lines });
}

/// The collection steps, then the problems met while reading the bundle.
fn steps_section(a: &Analysis, out: &mut Vec<Section>) {
    let l = labels(a.lang);
    let mut lines = vec![
        kv(a.lang, l.collected, &a.bundle.created_utc),
        kv(a.lang, l.source, &a.bundle.source),
    ];
    for s in &a.bundle.steps {
        let mut line = format!(
            "{:<20} {:<14} {:>6} ms  {}",
            s.id,
            l.step_status[status_index(s.status)],
            s.duration_ms,
            s.command
        );
        if let Some(c) = s.exit_code {
            line.push_str(&format!("  (exit {c})"));
        }
        lines.push(line);
    }
    out.push(Section::new(format!("{} — {}", l.bundle, l.steps), lines));
    if !a.bundle.warnings.is_empty() {
        let lines = if a.bundle.warning_details.len() == a.bundle.warnings.len() {
            a.bundle
                .warning_details
                .iter()
                .map(|w| w.message(a.lang))
                .collect()
        } else {
            a.bundle.warnings.clone()
        };
        out.push(Section::new(l.warnings, lines));
    }
}

/// Readable text; `color` adds ANSI styles (headings bold, errors red, warnings yellow).
pub fn text(a: &Analysis, color: bool) -> String {
    let l = labels(a.lang);
    let bold = Style::new().bold();
    let paint = |s: &str, st: Style| {
        if color {
            format!("{}{s}{}", st.render(), st.render_reset())
        } else {
            s.to_owned()
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "{}", paint(l.title, bold));
    let _ = writeln!(out, "{}", a.bundle.path);
    for s in sections(a) {
        let _ = writeln!(out, "\n{}", paint(&s.title, bold));
        for line in &s.lines {
            let styled = match line {
                Line::Finding(Level::Error, t) => paint(t, AnsiColor::Red.on_default()),
                Line::Finding(Level::Warning, t) => paint(t, AnsiColor::Yellow.on_default()),
                line => line.text().to_owned(),
            };
            let _ = writeln!(out, "  {styled}");
        }
    }
    redacted(out)
}

/// Markdown, for tickets.
pub fn markdown(a: &Analysis) -> String {
    let l = labels(a.lang);
    let mut out = format!("# {}\n\n{}\n", l.title, md::code(&a.bundle.path));
    for s in sections(a) {
        let _ = writeln!(out, "\n## {}\n", md::text(&s.title));
        for line in &s.lines {
            let text = line.text();
            let item = text.trim_start();
            let indent = "  ".repeat((text.len() - item.len()) / 2);
            let _ = writeln!(out, "{indent}- {}", line.markdown(item));
        }
    }
    redacted(out)
}

/// One JSON object per line: findings, codes, checks and steps, each with a `type`.
pub fn ndjson(a: &Analysis) -> String {
    /// A line: its `type`, then the item's fields.
    #[derive(Serialize)]
    struct Typed<T> {
        r#type: &'static str,
        #[serde(flatten)]
        item: T,
    }
    fn line<T: Serialize>(w: &mut ndjson::Writer<Vec<u8>>, r#type: &'static str, item: T) {
        // Writing into a Vec cannot fail, and every line serialises.
        let _ = w.line(&Typed { r#type, item });
    }
    let mut w = ndjson::Writer::new(Vec::new());
    for f in &a.findings {
        line(&mut w, "finding", FindingOut::new(f, a.lang));
    }
    for c in &a.codes {
        line(&mut w, "code", c);
    }
    for c in &a.checks {
        line(&mut w, "check", CheckOut::new(c, a.lang));
    }
    for s in &a.bundle.steps {
        let step = json!({"id": s.id, "status": s.status, "exit_code": s.exit_code, "duration_ms": s.duration_ms, "error": s.error});
        line(&mut w, "step", step);
    }
    redacted(String::from_utf8(w.into_inner()).unwrap_or_default())
}

/// CSV with a header: `type,id,level,code,target,text`, one row per finding, code, check and step.
pub fn csv(a: &Analysis) -> String {
    let l = labels(a.lang);
    let mut w = csv::Writer::new(Vec::new());
    let mut row = |cells: [&str; 6]| {
        // Writing into a Vec cannot fail.
        let _ = w.record(&cells);
    };
    row(["type", "id", "level", "code", "target", "text"]);
    for f in &a.findings {
        let codes: Vec<String> = f.codes.iter().map(ToString::to_string).collect();
        let text = phrases::finding(&f.kind, a.lang);
        let level = level_word(l, f.level);
        row(["finding", f.id(), level, &codes.join(" "), "", &text]);
    }
    for c in &a.codes {
        let code = c.code.to_string();
        let name = c.name.unwrap_or("");
        row(["code", name, "", &code, &c.files.join(" "), &c.summary]);
    }
    for c in &a.checks {
        let target = phrases::target(&c.target, a.lang);
        let reason = phrases::reason(&c.reason, a.lang);
        row(["check", c.check.id(), "", "", &target, &reason]);
    }
    for s in &a.bundle.steps {
        let status = l.step_status[status_index(s.status)];
        let error = s.error.as_deref().unwrap_or("");
        row(["step", &s.id, status, "", &s.command, error]);
    }
    redacted(String::from_utf8(w.into_inner()).unwrap_or_default())
}

/// Pretty JSON of the analysis, with a trailing newline.
pub fn json(a: &Analysis) -> String {
    let mut s = serde_json::to_string_pretty(a).unwrap_or_default();
    s.push('\n');
    redacted(s)
}

/// Every format passes through key redaction as a whole, whatever field a key came in by (the
/// analysis redacts names as it reads them; this also covers text built from them, and escapes
/// the format adds, such as JSON's `\t`).
fn redacted(s: String) -> String {
    match volact_core::key::redact_keys_in(&s) {
        std::borrow::Cow::Borrowed(_) => s,
        std::borrow::Cow::Owned(o) => o,
    }
}
