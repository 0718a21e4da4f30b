//! Renderers: readable text (ANSI colours optional) and NDJSON, in the report's language. JSON is
//! the serde form of [`Report`].

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use serde_json::json;
use volact_core::Lang;

use crate::model::*;

/// Above this many hosts, text output gives one line per host instead of every stage.
pub const COMPACT_ABOVE: usize = 20;
/// SRV records of one domain listed in text output (JSON and NDJSON list all).
pub const TEXT_RECORDS: usize = 50;

fn l(lang: Lang, en: &'static str, zh: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::ZhTw => zh,
    }
}

fn status_word(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Pass => l(lang, "PASS", "通過"),
        Status::Skip => l(lang, "SKIP", "略過"),
        Status::Warn => l(lang, "WARN", "警告"),
        Status::Unknown => l(lang, "UNKNOWN", "無法判定"),
        Status::Fail => l(lang, "FAIL", "失敗"),
    }
}

fn paint(s: Status, text: &str, color: bool) -> String {
    if !color {
        return text.to_owned();
    }
    let st = match s {
        Status::Pass => Style::new().fg_color(Some(AnsiColor::Green.into())).bold(),
        Status::Skip => Style::new().dimmed(),
        Status::Warn => Style::new().fg_color(Some(AnsiColor::Yellow.into())).bold(),
        Status::Unknown => Style::new()
            .fg_color(Some(AnsiColor::Magenta.into()))
            .bold(),
        Status::Fail => Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
    };
    format!("{st}{text}{st:#}")
}

fn badge(s: Status, lang: Lang, color: bool) -> String {
    paint(s, &format!("[{}]", status_word(s, lang)), color)
}

fn stage_name(s: Stage, lang: Lang) -> &'static str {
    match s {
        Stage::Dns => l(lang, "dns", "dns 名稱解析"),
        Stage::Tcp => l(lang, "tcp", "tcp 連線"),
        Stage::Rpc => l(lang, "rpc", "rpc 繫結"),
        Stage::Clock => l(lang, "clock", "clock 時鐘"),
    }
}

fn relation(r: Relation, lang: Lang) -> &'static str {
    match r {
        Relation::Explains => l(lang, "explains", "說明"),
        Relation::Predicts => l(lang, "predicts", "預測"),
    }
}

fn ms(v: Option<f64>) -> String {
    v.map(|m| format!("{m:.1} ms")).unwrap_or_default()
}

fn codes(out: &mut String, codes: &[CodeRef], indent: &str, lang: Lang) {
    for c in codes {
        let _ = writeln!(
            out,
            "{indent}{} {}({}) {}",
            c.code,
            c.name.map(|n| format!("{n} ")).unwrap_or_default(),
            relation(c.relation, lang),
            c.summary
        );
    }
}

fn next(out: &mut String, cmds: &[NextCommand], indent: &str, lang: Lang) {
    if cmds.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{indent}{}",
        l(lang, "Next commands:", "接下來可執行的命令：")
    );
    for c in cmds {
        let on = match c.on {
            "kms-host" => l(lang, "KMS host", "KMS 主機"),
            _ => l(lang, "client", "用戶端"),
        };
        let _ = writeln!(out, "{indent}  [{on}] {}", c.run);
        let _ = writeln!(out, "{indent}      {}", c.purpose);
    }
}

fn flag(f: SrvFlag, lang: Lang) -> &'static str {
    match f {
        SrvFlag::NoAddress => l(lang, "target has no address", "目標沒有位址"),
        SrvFlag::NonDefaultPort => l(lang, "port is not 1688", "連接埠不是 1688"),
        SrvFlag::NoService => l(
            lang,
            "target \".\": the domain says it offers no KMS service here; nothing probed",
            "目標為「.」：網域聲明這裡沒有 KMS 服務；未檢查",
        ),
        SrvFlag::BadTarget => l(
            lang,
            "target is not a host name; nothing probed",
            "目標不是主機名稱；未檢查",
        ),
        SrvFlag::NotProbed => l(
            lang,
            "not checked: the run's host limit was reached",
            "未檢查：已達本次執行的主機數上限",
        ),
    }
}

fn source(s: DomainSource, lang: Lang) -> &'static str {
    match s {
        DomainSource::Argument => l(lang, "--domain", "--domain"),
        DomainSource::SearchList => l(lang, "search list", "搜尋清單"),
    }
}

fn origin(o: &Origin, lang: Lang) -> String {
    match (o, lang) {
        (Origin::Argument, _) => "--kms".into(),
        (Origin::HostsFile { line }, Lang::En) => format!("hosts file line {line}"),
        (Origin::HostsFile { line }, Lang::ZhTw) => format!("主機清單第 {line} 行"),
        (Origin::Srv { domain }, Lang::En) => format!("SRV of {domain}"),
        (Origin::Srv { domain }, Lang::ZhTw) => format!("{domain} 的 SRV 記錄"),
    }
}

/// The report as readable text.
pub fn text(r: &Report, color: bool) -> String {
    let lang = r.lang;
    let mut o = String::new();
    header(&mut o, r);
    if let Some(d) = &r.discovery {
        discovery(&mut o, d, lang, color);
    }
    if r.hosts.len() > COMPACT_ABOVE {
        hosts_compact(&mut o, &r.hosts, lang, color);
    } else {
        for h in &r.hosts {
            host(&mut o, h, lang, color);
        }
    }
    if let Some(c) = &r.clock {
        clock(&mut o, c, lang, color);
    }
    footer(&mut o, r, color);
    if lang == Lang::ZhTw {
        // Labels end with a full-width colon, which needs no space after it.
        o = o.replace("： ", "：");
    }
    // The report is redacted already ([`Report::redact_keys`]); this also covers a report built
    // or changed by a caller.
    volact_core::key::redact_keys_in(&o).into_owned()
}

/// The title line, and the code `--explain` chose the checks by.
fn header(o: &mut String, r: &Report) {
    let lang = r.lang;
    let checks: Vec<&str> = r.checks.iter().map(|c| c.id()).collect();
    let _ = writeln!(
        o,
        "volact doctor — {} {} · {} {} ms",
        l(lang, "checks:", "檢查項目："),
        checks.join(", "),
        l(lang, "timeout", "逾時"),
        r.timeout_ms
    );
    if let Some(e) = &r.explain {
        let _ = writeln!(
            o,
            "{} {} {}— {}",
            l(lang, "Checks named by", "依照此代碼的檢查項目："),
            e.code.code,
            e.code.name.map(|n| format!("{n} ")).unwrap_or_default(),
            e.code.summary
        );
    }
    o.push('\n');
}

/// The SRV discovery section.
fn discovery(o: &mut String, d: &Discovery, lang: Lang, color: bool) {
    let _ = writeln!(
        o,
        "{} {}",
        l(lang, "DNS discovery", "DNS 自動探索"),
        badge(d.status, lang, color)
    );
    let servers = if d.dns_servers.is_empty() {
        l(lang, "none configured", "未設定").to_owned()
    } else {
        let from = match d.dns_servers_from {
            "argument" => "--dns-server",
            "system" => l(lang, "system settings", "系統設定"),
            other => other,
        };
        format!("{} ({from})", d.dns_servers.join(", "))
    };
    let _ = writeln!(o, "  {} {servers}", l(lang, "DNS servers:", "DNS 伺服器："));
    let search = if d.search_list.is_empty() {
        l(lang, "(empty)", "（空白）").to_owned()
    } else {
        d.search_list.join(", ")
    };
    let _ = writeln!(o, "  {} {search}", l(lang, "Search list:", "搜尋清單："));
    let _ = writeln!(o, "  {}", d.summary);
    for dl in &d.domains {
        let _ = writeln!(
            o,
            "  {} {} ({}) {}",
            badge(dl.status, lang, color),
            dl.summary,
            source(dl.source, lang),
            ms(dl.latency_ms)
        );
        codes(o, &dl.codes, "      ", lang);
        let hidden = dl.records.len().saturating_sub(TEXT_RECORDS);
        for rec in dl.records.iter().take(TEXT_RECORDS) {
            let addrs = if rec.addresses.is_empty() {
                "-".to_owned()
            } else {
                rec.addresses
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let _ = writeln!(
                o,
                "      {} {} {} {} {} → {addrs}",
                l(
                    lang,
                    "priority/weight/port/target:",
                    "優先順序/權重/連接埠/目標："
                ),
                rec.priority,
                rec.weight,
                rec.port,
                rec.target
            );
            for f in &rec.flags {
                let _ = writeln!(
                    o,
                    "        {} {}",
                    paint(Status::Warn, "!", color),
                    flag(*f, lang)
                );
            }
        }
        if hidden > 0 {
            let _ = writeln!(
                o,
                "      {}",
                match lang {
                    Lang::En => format!("… {hidden} more records (all in --format json)"),
                    Lang::ZhTw => format!("… 另有 {hidden} 筆記錄（完整清單見 --format json）"),
                }
            );
        }
    }
    next(o, &d.next_commands, "  ", lang);
    o.push('\n');
}

/// One line per host (more than [`COMPACT_ABOVE`] hosts).
fn hosts_compact(o: &mut String, hosts: &[HostReport], lang: Lang, color: bool) {
    let _ = writeln!(o, "{}", l(lang, "Hosts:", "主機："));
    for h in hosts {
        let last = h
            .first_failure
            .and_then(|f| h.stages.iter().find(|s| s.stage == f))
            .or_else(|| h.stages.iter().rev().find(|s| s.status != Status::Skip));
        let what = last
            .map(|s| format!("{} {}", s.stage.id(), s.outcome))
            .unwrap_or_default();
        let code = h
            .codes
            .first()
            .map(|c| c.code.to_string())
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "  {:<9} {} {what} {code}",
            badge(h.status, lang, color),
            h.target
        );
    }
    o.push('\n');
}

/// One host with every stage, its codes and next commands.
fn host(o: &mut String, h: &HostReport, lang: Lang, color: bool) {
    let _ = writeln!(
        o,
        "{} {} ({}) {}",
        l(lang, "Host", "主機"),
        h.target,
        origin(&h.origin, lang),
        badge(h.status, lang, color)
    );
    for (i, s) in h.stages.iter().enumerate() {
        let lat = ms(s.latency_ms);
        let _ = writeln!(
            o,
            "  {}. {} {} {}{}",
            i + 1,
            stage_name(s.stage, lang),
            badge(s.status, lang, color),
            s.summary,
            if lat.is_empty() {
                String::new()
            } else {
                format!(" ({lat})")
            }
        );
    }
    if let Some(f) = h.first_failure {
        let _ = writeln!(
            o,
            "  {} {}",
            l(lang, "First failing stage:", "第一個失敗的階段："),
            stage_name(f, lang)
        );
    }
    if !h.codes.is_empty() {
        let _ = writeln!(o, "  {}", l(lang, "Codes:", "相關代碼："));
        codes(o, &h.codes, "    ", lang);
    }
    next(o, &h.next_commands, "  ", lang);
    o.push('\n');
}

/// The clock section: the verdict and every source asked.
fn clock(o: &mut String, c: &ClockReport, lang: Lang, color: bool) {
    let _ = writeln!(
        o,
        "{} {} {}",
        l(lang, "Clock", "時鐘"),
        badge(c.status, lang, color),
        c.summary
    );
    for s in &c.sources {
        let what = match &s.outcome {
            crate::sntp::SntpOutcome::Answer {
                offset_s, stratum, ..
            } => {
                let said = volact_core::clock::describe(
                    *offset_s,
                    volact_core::clock::Party::ThisMachine,
                    volact_core::clock::Party::Named {
                        en: "this source",
                        zh: "此來源",
                    },
                    lang,
                );
                match lang {
                    Lang::En => format!("{said} (stratum {stratum})"),
                    Lang::ZhTw => format!("{said}（層級 {stratum}）"),
                }
            }
            crate::sntp::SntpOutcome::NoAnswer => l(lang, "no answer", "沒有回應").to_owned(),
            crate::sntp::SntpOutcome::Unusable { reason, detail } => {
                crate::sntp::unusable_text(*reason, detail, lang)
            }
            crate::sntp::SntpOutcome::IoError { error } => {
                format!("{} ({error})", l(lang, "error", "錯誤"))
            }
        };
        let role = match s.role {
            "argument" => "--time-server",
            "kms-host" => l(lang, "KMS host", "KMS 主機"),
            "domain" => l(lang, "domain", "網域"),
            other => other,
        };
        let _ = writeln!(o, "  {} [{role}]{} {what}", s.server, l(lang, ":", "："));
    }
    codes(o, &c.codes, "  ", lang);
    next(o, &c.next_commands, "  ", lang);
    o.push('\n');
}

/// The hosts file and hosts not probed, then the verdict line.
fn footer(o: &mut String, r: &Report, color: bool) {
    let lang = r.lang;
    let s = &r.summary;
    if s.hosts_file_lines > 0 {
        let _ = writeln!(
            o,
            "{}",
            match lang {
                Lang::En => format!(
                    "Hosts file: {} lines read, {} hosts used, {} lines skipped.",
                    s.hosts_file_lines,
                    r.hosts
                        .iter()
                        .filter(|h| matches!(h.origin, Origin::HostsFile { .. }))
                        .count(),
                    s.hosts_file_skipped
                ),
                Lang::ZhTw => format!(
                    "主機清單：讀取 {} 行，使用 {} 部主機，略過 {} 行。",
                    s.hosts_file_lines,
                    r.hosts
                        .iter()
                        .filter(|h| matches!(h.origin, Origin::HostsFile { .. }))
                        .count(),
                    s.hosts_file_skipped
                ),
            }
        );
        for k in &s.skipped {
            let _ = writeln!(o, "  {k}");
        }
    }
    if let Some(why) = &s.not_probed_reason {
        let _ = writeln!(o, "{why}");
        for h in &s.not_probed_hosts {
            let _ = writeln!(o, "  {h}");
        }
        if s.not_probed > s.not_probed_hosts.len() {
            let _ = writeln!(
                o,
                "  {}",
                match lang {
                    Lang::En => format!("… and {} more", s.not_probed - s.not_probed_hosts.len()),
                    Lang::ZhTw => format!("… 另有 {} 部", s.not_probed - s.not_probed_hosts.len()),
                }
            );
        }
    }
    let first = r
        .first_failure
        .map(|f| match lang {
            Lang::En => format!(" (first failing stage: {})", f.id()),
            Lang::ZhTw => format!("（第一個失敗的階段：{}）", f.id()),
        })
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "{} {}{first} — {}",
        l(lang, "Verdict:", "結論："),
        badge(r.status, lang, color),
        match lang {
            Lang::En => format!(
                "{} host(s): {} pass, {} warn, {} fail, {} unknown.",
                s.hosts, s.pass, s.warn, s.fail, s.unknown
            ),
            Lang::ZhTw => format!(
                "{} 部主機：{} 通過、{} 警告、{} 失敗、{} 無法判定。",
                s.hosts, s.pass, s.warn, s.fail, s.unknown
            ),
        }
    );
    if r.hosts.is_empty()
        && r.discovery
            .as_ref()
            .is_some_and(|d| d.status == Status::Fail)
    {
        let _ = writeln!(
            o,
            "{}",
            l(
                lang,
                "No KMS host to check: discovery found none. Give --kms HOST[:PORT] to check one directly.",
                "沒有可檢查的 KMS 主機：自動探索沒有找到。可用 --kms HOST[:PORT] 直接檢查。"
            )
        );
    }
}

/// The report as NDJSON: one `discovery` line, one `host` line per host, one `clock` line, and a
/// final `summary` line; each object carries `type` and `schema_version`.
pub fn ndjson(r: &Report) -> String {
    let mut o = String::new();
    let mut line = |v: serde_json::Value| {
        o.push_str(&volact_core::key::redact_keys_in(&v.to_string()));
        o.push('\n');
    };
    if let Some(d) = &r.discovery {
        line(
            json!({"type": "discovery", "schema_version": SCHEMA_VERSION, "lang": r.lang, "discovery": d}),
        );
    }
    for h in &r.hosts {
        line(json!({"type": "host", "schema_version": SCHEMA_VERSION, "lang": r.lang, "host": h}));
    }
    if let Some(c) = &r.clock {
        line(
            json!({"type": "clock", "schema_version": SCHEMA_VERSION, "lang": r.lang, "clock": c}),
        );
    }
    line(json!({
        "type": "summary",
        "schema_version": SCHEMA_VERSION,
        "lang": r.lang,
        "checks": r.checks,
        "explain": r.explain,
        "status": r.status,
        "first_failure": r.first_failure,
        "summary": r.summary,
    }));
    o
}
