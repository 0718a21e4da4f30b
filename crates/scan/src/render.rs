//! Renderers of a [`ScanReport`]: text (optionally with ANSI styles), Markdown, CSV, NDJSON and
//! JSON, with labels in the report's language. Every string in the report was redacted when it
//! was read, so no renderer can print a whole product key.

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use serde::Serialize;
use volact_core::event::{Event, EventData};
use volact_core::explain::Coverage;
use volact_core::{ErrorCode, Lang};

use crate::report::{ScanReport, SkipReason, SnapshotOut, Status};
use crate::slmgr::{LicenseState, Severity};

struct Labels {
    summary: &'static str,
    codes: &'static str,
    matches_in: &'static str,
    of: &'static str,
    inputs_word: &'static str,
    known: &'static str,
    named: &'static str,
    unknown: &'static str,
    times_in: &'static str,
    files: &'static str,
    first: &'static str,
    last: &'static str,
    snapshots: &'static str,
    license_status: &'static str,
    partial_key: &'static str,
    notification_reason: &'static str,
    time_remaining: &'static str,
    kms_client: &'static str,
    kms_from_dns: &'static str,
    kms_registered: &'static str,
    kms_not_found: &'static str,
    kms_host: &'static str,
    current_count: &'static str,
    port: &'static str,
    requests: &'static str,
    failed: &'static str,
    events: &'static str,
    details: &'static str,
    shown_of: &'static str,
    inputs: &'static str,
    read: &'static str,
    skipped: &'static str,
    errors: &'static str,
    bytes: &'static str,
    lines: &'static str,
    binary: &'static str,
    not_a_file: &'static str,
    replaced: &'static str,
    event_problems: &'static str,
    nothing: &'static str,
    product: &'static str,
    code: &'static str,
    name: &'static str,
    coverage: &'static str,
    count: &'static str,
    meaning: &'static str,
    place: &'static str,
    context: &'static str,
    diagnosis: &'static str,
}

const EN: Labels = Labels {
    summary: "Summary by code",
    codes: "code(s)",
    matches_in: "match(es) in",
    of: "of",
    inputs_word: "input(s)",
    known: "known",
    named: "named",
    unknown: "unknown",
    times_in: "time(s) in",
    files: "file(s)",
    first: "first",
    last: "last",
    snapshots: "slmgr license snapshots",
    license_status: "License status",
    partial_key: "partial product key",
    notification_reason: "notification reason",
    time_remaining: "time remaining",
    kms_client: "KMS client",
    kms_from_dns: "KMS host from DNS",
    kms_registered: "KMS host set with /skms",
    kms_not_found: "no KMS host found by DNS",
    kms_host: "KMS host",
    current_count: "current count",
    port: "port",
    requests: "requests",
    failed: "failed",
    events: "Events",
    details: "Matches",
    shown_of: "shown of",
    inputs: "Inputs",
    read: "read",
    skipped: "skipped",
    errors: "error(s)",
    bytes: "bytes",
    lines: "lines",
    binary: "binary",
    not_a_file: "not a file",
    replaced: "invalid bytes replaced",
    event_problems: "event text that could not be read",
    nothing: "No activation code, slmgr output or event found.",
    product: "product",
    code: "Code",
    name: "Name",
    coverage: "Coverage",
    count: "Count",
    meaning: "Meaning",
    place: "Place",
    context: "Context",
    diagnosis: "Diagnosis",
};

const ZH: Labels = Labels {
    summary: "依代碼彙總",
    codes: "個代碼",
    matches_in: "筆符合，位於",
    of: "/",
    inputs_word: "個輸入",
    known: "已知",
    named: "有名稱",
    unknown: "未知",
    times_in: "次，位於",
    files: "個檔案",
    first: "首次",
    last: "最後",
    snapshots: "slmgr 授權快照",
    license_status: "授權狀態",
    partial_key: "部分產品金鑰",
    notification_reason: "通知原因",
    time_remaining: "剩餘時間",
    kms_client: "KMS 用戶端",
    kms_from_dns: "DNS 找到的 KMS 主機",
    kms_registered: "以 /skms 指定的 KMS 主機",
    kms_not_found: "DNS 找不到 KMS 主機",
    kms_host: "KMS 主機",
    current_count: "目前計數",
    port: "連接埠",
    requests: "要求",
    failed: "失敗",
    events: "事件",
    details: "符合項目",
    shown_of: "筆已顯示，共",
    inputs: "輸入",
    read: "已讀取",
    skipped: "已略過",
    errors: "個錯誤",
    bytes: "位元組",
    lines: "行",
    binary: "二進位檔",
    not_a_file: "不是檔案",
    replaced: "無效位元組已取代",
    event_problems: "無法讀取的事件文字",
    nothing: "找不到啟用錯誤碼、slmgr 輸出或事件。",
    product: "產品",
    code: "代碼",
    name: "名稱",
    coverage: "涵蓋",
    count: "次數",
    meaning: "說明",
    place: "位置",
    context: "上下文",
    diagnosis: "診斷",
};

fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::En => &EN,
        Lang::ZhTw => &ZH,
    }
}

fn coverage(l: &Labels, c: Coverage) -> &'static str {
    match c {
        Coverage::Known => l.known,
        Coverage::Named => l.named,
        Coverage::Unknown => l.unknown,
    }
}

struct Styles {
    head: Style,
    code: Style,
    warn: Style,
    ok: Style,
    dim: Style,
}

impl Styles {
    fn new(color: bool) -> Styles {
        if color {
            Styles {
                head: Style::new().bold(),
                code: AnsiColor::Cyan.on_default().bold(),
                warn: AnsiColor::Yellow.on_default().bold(),
                ok: AnsiColor::Green.on_default(),
                dim: Style::new().dimmed(),
            }
        } else {
            Styles {
                head: Style::new(),
                code: Style::new(),
                warn: Style::new(),
                ok: Style::new(),
                dim: Style::new(),
            }
        }
    }
}

fn paint(s: Style, t: &str) -> String {
    format!("{s}{t}{s:#}")
}

fn mark(sev: Severity) -> &'static str {
    match sev {
        Severity::Ok => "✓",
        Severity::Info => "i",
        Severity::Attention => "!",
    }
}

fn snapshot_lines(s: &SnapshotOut, l: &Labels, lang: Lang) -> Vec<String> {
    let sn = &s.snapshot;
    let mut out = Vec::new();
    let mut facts = Vec::new();
    if let Some(st) = &sn.license_status {
        facts.push(format!("{}: {st}", l.license_status));
    } else if let Some(st) = sn.license_state {
        let word = match (st, lang) {
            (LicenseState::Licensed, Lang::En) => "Licensed",
            (LicenseState::Licensed, Lang::ZhTw) => "已授權",
            (_, Lang::En) => "Not licensed",
            (_, Lang::ZhTw) => "未授權",
        };
        facts.push(format!("{}: {word}", l.license_status));
    }
    if let Some(k) = &sn.partial_product_key {
        facts.push(format!("{}: {k}", l.partial_key));
    }
    if let Some(r) = sn.notification_reason {
        facts.push(format!("{}: {r}", l.notification_reason));
    }
    if !facts.is_empty() {
        out.push(facts.join(" · "));
    }
    let mut t = Vec::new();
    if let Some(e) = &sn.expiration {
        // The line as slmgr printed it: it names its own kind of expiration.
        t.push(e.clone());
    }
    if let Some(e) = &sn.time_remaining {
        t.push(format!("{}: {e}", l.time_remaining));
    }
    if let Some(x) = &sn.xpr {
        t.push(x.clone());
    }
    if !t.is_empty() {
        out.push(t.join(" · "));
    }
    if let Some(c) = &sn.kms_client {
        let host = if let Some(h) = &c.registered_kms_name {
            format!("{}: {h}", l.kms_registered)
        } else if let Some(h) = &c.kms_name_from_dns {
            format!("{}: {h}", l.kms_from_dns)
        } else if c.dns_discovery_failed {
            l.kms_not_found.to_owned()
        } else {
            String::new()
        };
        let ip = c
            .kms_ip
            .as_deref()
            .map(|i| format!(" ({i})"))
            .unwrap_or_default();
        out.push(
            format!("{}: {host}{ip}", l.kms_client)
                .trim_end()
                .to_owned(),
        );
    }
    if let Some(h) = &s.snapshot.kms_host {
        let mut parts = Vec::new();
        if let Some(c) = h.current_count {
            parts.push(format!("{} {c}", l.current_count));
        }
        if let Some(p) = h.listening_port {
            parts.push(format!("{} {p}", l.port));
        }
        if let Some(t) = h.total_requests {
            parts.push(format!(
                "{} {t} ({} {})",
                l.requests,
                l.failed,
                h.failed_requests.unwrap_or(0)
            ));
        }
        out.push(format!("{}: {}", l.kms_host, parts.join(", ")));
    }
    out
}

fn snapshot_title(s: &SnapshotOut, l: &Labels) -> String {
    let sn = &s.snapshot;
    let name = sn.name.as_deref().unwrap_or(l.product);
    match &sn.channel {
        Some(c) => format!("{name} ({c})"),
        None => name.to_owned(),
    }
}

/// One line about an event: its ID, what it is, its code and the fields that matter most.
fn event_brief(e: &Event, lang: Lang) -> String {
    let zh = lang == Lang::ZhTw;
    let pick = |en: &'static str, z: &'static str| if zh { z } else { en };
    let (what, code, extra): (&str, Option<ErrorCode>, Vec<String>) = match &e.data {
        EventData::ClientRequest(r) => (
            pick(
                "KMS client sent an activation request",
                "KMS 用戶端送出啟用要求",
            ),
            r.code,
            [
                r.kms.as_ref().map(|k| k.to_string()),
                r.license_state.map(|s| s.label(lang)),
                r.min_count
                    .map(|n| format!("{} {n}", pick("needs count", "需要計數"))),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        EventData::ClientResponse(r) => (
            pick(
                "KMS client processed the host's response",
                "KMS 用戶端處理了主機的回應",
            ),
            r.code,
            [
                r.activated.map(|a| {
                    if a {
                        pick("activated", "已啟用").to_owned()
                    } else {
                        pick("not activated", "未啟用").to_owned()
                    }
                }),
                r.current_count
                    .map(|n| format!("{} {n}", pick("host count", "主機計數"))),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        EventData::HostRequest(r) => (
            pick("KMS host processed a request", "KMS 主機處理了一個要求"),
            r.code,
            [
                r.client.clone(),
                r.license_state.map(|s| s.label(lang)),
                r.min_count
                    .map(|n| format!("{} {n}", pick("needs count", "需要計數"))),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        EventData::DnsPublishFailed(d) => (
            pick(
                "KMS host could not publish its SRV record",
                "KMS 主機無法發佈 SRV 記錄",
            ),
            d.code,
            d.domain.iter().cloned().collect(),
        ),
        EventData::DnsPublished(d) => (
            pick(
                "KMS host published its SRV record",
                "KMS 主機已發佈 SRV 記錄",
            ),
            d.code,
            d.domain.iter().cloned().collect(),
        ),
        EventData::SluiFailed(d) => (
            pick(
                "License Activation (slui.exe) failed",
                "授權啟用 (slui.exe) 失敗",
            ),
            d.code,
            d.trigger.iter().cloned().collect(),
        ),
        EventData::LicensingStatus(d) => (
            pick("licensing status check", "授權狀態檢查"),
            d.codes.first().copied(),
            Vec::new(),
        ),
        EventData::Other { codes } => (
            pick("activation event", "啟用事件"),
            codes.first().copied(),
            Vec::new(),
        ),
    };
    let mut s = format!("{} {what}", e.id);
    if let Some(c) = code {
        let _ = write!(s, "  {c}");
    }
    if !extra.is_empty() {
        let _ = write!(s, "  ({})", extra.join(", "));
    }
    if let Some(c) = &e.computer {
        let _ = write!(s, "  @{c}");
    }
    s
}

fn input_footer(r: &ScanReport, l: &Labels, st: &Styles) -> String {
    let t = &r.totals;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} {}, {} {}, {} {}; {} {}, {} {}",
        paint(st.head, l.inputs),
        t.read,
        l.read,
        t.skipped,
        l.skipped,
        t.errors,
        l.errors,
        t.bytes,
        l.bytes,
        t.lines,
        l.lines
    );
    if t.event_problems > 0 {
        let _ = writeln!(s, "  {}: {}", l.event_problems, t.event_problems);
        for p in r.event_problems.iter().take(20) {
            let _ = writeln!(s, "    {}:{}  {}", p.path, p.line, p.message(r.lang));
        }
    }
    for i in &r.inputs {
        match i.status {
            Status::Skipped => {
                let why = match i.skip_reason {
                    Some(SkipReason::Binary) => l.binary,
                    Some(SkipReason::NotAFile) | None => l.not_a_file,
                };
                let _ = writeln!(s, "  {}: {} ({why})", l.skipped, i.path);
            }
            Status::Error => {
                let _ = writeln!(
                    s,
                    "  {}: {}: {}",
                    paint(st.warn, "error"),
                    i.path,
                    i.error.as_deref().unwrap_or("")
                );
            }
            Status::Read if i.replaced => {
                let _ = writeln!(s, "  {}: {} ({})", l.read, i.path, l.replaced);
            }
            Status::Read => {}
        }
    }
    s
}

/// Readable text; `color` adds ANSI styles.
pub fn text(r: &ScanReport, color: bool) -> String {
    let l = labels(r.lang);
    let st = Styles::new(color);
    let mut s = String::new();
    let files_with = r.inputs.iter().filter(|i| i.matches > 0).count();
    if r.summary.is_empty() && r.snapshots.is_empty() && r.events.is_empty() {
        let _ = writeln!(s, "{}\n", l.nothing);
    }
    if !r.summary.is_empty() {
        let _ = writeln!(
            s,
            "{}: {} {}, {} {} {files_with} {} {} {}\n",
            paint(st.head, l.summary),
            r.summary.len(),
            l.codes,
            r.totals.matches,
            l.matches_in,
            l.of,
            r.totals.inputs,
            l.inputs_word
        );
        for c in &r.summary {
            let _ = writeln!(
                s,
                "  {}  {}  [{}]  {} {} {} {}",
                paint(st.code, &c.code.to_string()),
                c.name.unwrap_or("-"),
                coverage(l, c.coverage),
                c.count,
                l.times_in,
                c.files,
                l.files
            );
            let _ = writeln!(
                s,
                "      {}",
                paint(
                    st.dim,
                    &format!(
                        "{} {}:{}:{}  ·  {} {}:{}:{}",
                        l.first,
                        c.first.path,
                        c.first.line,
                        c.first.column,
                        l.last,
                        c.last.path,
                        c.last.line,
                        c.last.column
                    )
                )
            );
            let _ = writeln!(s, "      {}", c.meaning);
        }
        s.push('\n');
    }
    if !r.snapshots.is_empty() {
        let _ = writeln!(
            s,
            "{}: {}\n",
            paint(st.head, l.snapshots),
            r.snapshots.len()
        );
        for sn in &r.snapshots {
            let _ = writeln!(
                s,
                "  {}:{}  {}",
                sn.path,
                sn.snapshot.line,
                paint(st.head, &snapshot_title(sn, l))
            );
            for line in snapshot_lines(sn, l, r.lang) {
                let _ = writeln!(s, "      {line}");
            }
            for d in &sn.diagnosis {
                let style = match d.severity {
                    Severity::Attention => st.warn,
                    Severity::Ok => st.ok,
                    Severity::Info => st.dim,
                };
                let _ = writeln!(s, "      {} {}", paint(style, mark(d.severity)), d.message);
            }
        }
        s.push('\n');
    }
    if !r.events.is_empty() {
        let _ = writeln!(s, "{}: {}\n", paint(st.head, l.events), r.events.len());
        for e in &r.events {
            let _ = writeln!(
                s,
                "  {}:{}  {}",
                e.path,
                e.line,
                event_brief(&e.event, r.lang)
            );
        }
        s.push('\n');
    }
    if !r.matches.is_empty() {
        let _ = writeln!(s, "{}\n", paint(st.head, l.details));
        for m in &r.matches {
            let p = &m.m.place;
            let _ = writeln!(
                s,
                "  {}:{}:{}  {}  {}",
                p.path,
                p.line,
                p.column,
                paint(st.code, &m.m.code.to_string()),
                m.m.context
            );
        }
        if r.matches_truncated {
            let _ = writeln!(
                s,
                "  … {} {} {} (--max-matches)",
                r.matches.len(),
                l.shown_of,
                r.totals.matches
            );
        }
        s.push('\n');
    }
    s.push_str(&input_footer(r, l, &st));
    s
}

fn md_cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('`', "'")
        .replace(['\n', '\r'], " ")
}

/// Markdown, for tickets and wikis.
pub fn markdown(r: &ScanReport) -> String {
    let l = labels(r.lang);
    let mut s = String::new();
    let _ = writeln!(s, "# volact scan\n");
    if r.summary.is_empty() && r.snapshots.is_empty() && r.events.is_empty() {
        let _ = writeln!(s, "{}\n", l.nothing);
    }
    if !r.summary.is_empty() {
        let _ = writeln!(s, "## {}\n", l.summary);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} |",
            l.code, l.name, l.coverage, l.count, l.first, l.last, l.meaning
        );
        let _ = writeln!(s, "|---|---|---|---:|---|---|---|");
        for c in &r.summary {
            let _ = writeln!(
                s,
                "| `{}` | {} | {} | {} | {}:{}:{} | {}:{}:{} | {} |",
                c.code,
                c.name.map(|n| format!("`{n}`")).unwrap_or_default(),
                coverage(l, c.coverage),
                c.count,
                md_cell(&c.first.path),
                c.first.line,
                c.first.column,
                md_cell(&c.last.path),
                c.last.line,
                c.last.column,
                md_cell(&c.meaning)
            );
        }
        s.push('\n');
    }
    if !r.snapshots.is_empty() {
        let _ = writeln!(s, "## {}\n", l.snapshots);
        for sn in &r.snapshots {
            let _ = writeln!(
                s,
                "### {} ({}:{})\n",
                md_cell(&snapshot_title(sn, l)),
                md_cell(&sn.path),
                sn.snapshot.line
            );
            for line in snapshot_lines(sn, l, r.lang) {
                let _ = writeln!(s, "- {}", md_cell(&line));
            }
            if !sn.diagnosis.is_empty() {
                let _ = writeln!(s, "\n**{}**\n", l.diagnosis);
                for d in &sn.diagnosis {
                    let _ = writeln!(s, "- {} {}", mark(d.severity), md_cell(&d.message));
                }
            }
            s.push('\n');
        }
    }
    if !r.events.is_empty() {
        let _ = writeln!(s, "## {}\n", l.events);
        for e in &r.events {
            let _ = writeln!(
                s,
                "- {}:{} `{}`",
                md_cell(&e.path),
                e.line,
                md_cell(&event_brief(&e.event, r.lang))
            );
        }
        s.push('\n');
    }
    if !r.matches.is_empty() {
        let _ = writeln!(s, "## {}\n", l.details);
        let _ = writeln!(s, "| {} | {} | {} |", l.place, l.code, l.context);
        let _ = writeln!(s, "|---|---|---|");
        for m in &r.matches {
            let p = &m.m.place;
            let _ = writeln!(
                s,
                "| {}:{}:{} | `{}` | {} |",
                md_cell(&p.path),
                p.line,
                p.column,
                m.m.code,
                md_cell(&m.m.context)
            );
        }
        if r.matches_truncated {
            let _ = writeln!(
                s,
                "\n{} {} {}",
                r.matches.len(),
                l.shown_of,
                r.totals.matches
            );
        }
        s.push('\n');
    }
    let t = &r.totals;
    let _ = writeln!(
        s,
        "{}: {} {}, {} {}, {} {}; {} {}, {} {}",
        l.inputs,
        t.read,
        l.read,
        t.skipped,
        l.skipped,
        t.errors,
        l.errors,
        t.bytes,
        l.bytes,
        t.lines,
        l.lines
    );
    s
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

/// CSV: a header, then one row per match and one per snapshot diagnosis. Column names are
/// stable machine names; `meaning` is in the report's language.
pub fn csv(r: &ScanReport) -> String {
    let mut s = String::from("kind,path,line,column,code,name,coverage,meaning,context\n");
    let l = labels(r.lang);
    let meaning = |code| {
        r.summary
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.meaning.as_str())
            .unwrap_or("")
    };
    for m in &r.matches {
        let p = &m.m.place;
        let _ = writeln!(
            s,
            "match,{},{},{},{},{},{},{},{}",
            csv_field(&p.path),
            p.line,
            p.column,
            m.m.code,
            m.name.unwrap_or(""),
            coverage_id(m.coverage),
            csv_field(meaning(m.m.code)),
            csv_field(&m.m.context)
        );
    }
    for sn in &r.snapshots {
        for d in &sn.diagnosis {
            let _ = writeln!(
                s,
                "diagnosis,{},{},,{},{},{},{},{}",
                csv_field(&sn.path),
                sn.snapshot.line,
                d.code.map(|c| c.to_string()).unwrap_or_default(),
                d.kind,
                severity_id(d.severity),
                csv_field(&d.message),
                csv_field(&snapshot_title(sn, l))
            );
        }
    }
    s
}

fn coverage_id(c: Coverage) -> &'static str {
    match c {
        Coverage::Known => "known",
        Coverage::Named => "named",
        Coverage::Unknown => "unknown",
    }
}

fn severity_id(s: Severity) -> &'static str {
    match s {
        Severity::Ok => "ok",
        Severity::Info => "info",
        Severity::Attention => "attention",
    }
}

#[derive(Serialize)]
struct Tagged<'a, T: Serialize> {
    #[serde(rename = "type")]
    ty: &'static str,
    #[serde(flatten)]
    item: &'a T,
}

#[derive(Serialize)]
struct Header<'a> {
    schema_version: u32,
    lang: Lang,
    matches_truncated: bool,
    totals: &'a crate::report::Totals,
}

/// NDJSON: one JSON object per line, each with a `type`: `header` first, then `code` (summary),
/// `snapshot`, `event`, `match` and `input` records.
pub fn ndjson(r: &ScanReport) -> String {
    let mut s = String::new();
    let mut line = |ty: &'static str, v: &dyn erased::Ser| {
        s.push_str(&v.tagged(ty));
        s.push('\n');
    };
    line(
        "header",
        &Header {
            schema_version: r.schema_version,
            lang: r.lang,
            matches_truncated: r.matches_truncated,
            totals: &r.totals,
        },
    );
    for c in &r.summary {
        line("code", c);
    }
    for sn in &r.snapshots {
        line("snapshot", sn);
    }
    for e in &r.events {
        line("event", e);
    }
    for m in &r.matches {
        line("match", m);
    }
    for i in &r.inputs {
        line("input", i);
    }
    s
}

mod erased {
    use serde::Serialize;

    /// Serialises any record with a `type` tag, without generics at the call site.
    pub(super) trait Ser {
        fn tagged(&self, ty: &'static str) -> String;
    }

    impl<T: Serialize> Ser for T {
        fn tagged(&self, ty: &'static str) -> String {
            serde_json::to_string(&super::Tagged { ty, item: self })
                .unwrap_or_else(|e| format!("{{\"type\":\"error\",\"error\":\"{e}\"}}"))
        }
    }
}

/// The JSON document (pretty-printed), with a trailing newline.
pub fn json(r: &ScanReport) -> String {
    let mut s =
        serde_json::to_string_pretty(r).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"));
    s.push('\n');
    s
}
