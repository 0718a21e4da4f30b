//! Renderers: readable text (ANSI colours optional) and NDJSON, in the report's language. JSON is
//! the serde form of [`Report`].

use std::fmt::Write as _;

use anstyle::{AnsiColor, Style};
use serde_json::json;
use volact_core::Lang;

use crate::model::*;
use crate::phrases::{self, Label, label};

/// Above this many hosts, text output gives one line per host instead of every stage.
pub const COMPACT_ABOVE: usize = 20;
/// SRV records of one domain listed in text output (JSON and NDJSON list all).
pub const TEXT_RECORDS: usize = 50;

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
    paint(s, &format!("[{}]", phrases::status_word(s, lang)), color)
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
            phrases::relation(c.relation, lang),
            c.summary
        );
    }
}

fn next(out: &mut String, cmds: &[NextCommand], indent: &str, lang: Lang) {
    if cmds.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}{}", label(Label::NextCommands, lang));
    for c in cmds {
        let on = match c.on {
            "kms-host" => label(Label::KmsHost, lang),
            _ => label(Label::Client, lang),
        };
        let _ = writeln!(out, "{indent}  [{on}] {}", c.run);
        let _ = writeln!(out, "{indent}      {}", c.purpose);
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
        label(Label::Checks, lang),
        checks.join(", "),
        label(Label::Timeout, lang),
        r.timeout_ms
    );
    if let Some(e) = &r.explain {
        let _ = writeln!(
            o,
            "{} {} {}— {}",
            label(Label::ChecksNamedBy, lang),
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
        label(Label::DnsDiscovery, lang),
        badge(d.status, lang, color)
    );
    let servers = if d.dns_servers.is_empty() {
        label(Label::NoneConfigured, lang).to_owned()
    } else {
        let from = match d.dns_servers_from {
            "argument" => "--dns-server",
            "system" => label(Label::SystemSettings, lang),
            other => other,
        };
        format!("{} ({from})", d.dns_servers.join(", "))
    };
    let _ = writeln!(o, "  {} {servers}", label(Label::DnsServers, lang));
    let search = if d.search_list.is_empty() {
        label(Label::EmptyList, lang).to_owned()
    } else {
        d.search_list.join(", ")
    };
    let _ = writeln!(o, "  {} {search}", label(Label::SearchList, lang));
    let _ = writeln!(o, "  {}", d.summary);
    for dl in &d.domains {
        let _ = writeln!(
            o,
            "  {} {} ({}) {}",
            badge(dl.status, lang, color),
            dl.summary,
            phrases::source(dl.source, lang),
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
                label(Label::SrvRecord, lang),
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
                    phrases::flag(*f, lang)
                );
            }
        }
        if hidden > 0 {
            let _ = writeln!(o, "      {}", phrases::more_records(hidden, lang));
        }
    }
    next(o, &d.next_commands, "  ", lang);
    o.push('\n');
}

/// One line per host (more than [`COMPACT_ABOVE`] hosts).
fn hosts_compact(o: &mut String, hosts: &[HostReport], lang: Lang, color: bool) {
    let _ = writeln!(o, "{}", label(Label::Hosts, lang));
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
        label(Label::Host, lang),
        h.target,
        phrases::origin(&h.origin, lang),
        badge(h.status, lang, color)
    );
    for (i, s) in h.stages.iter().enumerate() {
        let lat = ms(s.latency_ms);
        let _ = writeln!(
            o,
            "  {}. {} {} {}{}",
            i + 1,
            phrases::stage_name(s.stage, lang),
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
            label(Label::FirstFailingStage, lang),
            phrases::stage_name(f, lang)
        );
    }
    if !h.codes.is_empty() {
        let _ = writeln!(o, "  {}", label(Label::Codes, lang));
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
        label(Label::Clock, lang),
        badge(c.status, lang, color),
        c.summary
    );
    for s in &c.sources {
        let what = match &s.outcome {
            crate::sntp::SntpOutcome::Answer {
                offset_s, stratum, ..
            } => phrases::source_answer(*offset_s, *stratum, lang),
            crate::sntp::SntpOutcome::NoAnswer => label(Label::NoAnswer, lang).to_owned(),
            crate::sntp::SntpOutcome::Unusable { reason, detail } => {
                phrases::unusable_text(*reason, detail, lang)
            }
            crate::sntp::SntpOutcome::IoError { error } => {
                format!("{} ({error})", label(Label::Error, lang))
            }
        };
        let role = match s.role {
            "argument" => "--time-server",
            "kms-host" => label(Label::KmsHost, lang),
            "domain" => label(Label::Domain, lang),
            other => other,
        };
        let _ = writeln!(
            o,
            "  {} [{role}]{} {what}",
            s.server,
            label(Label::Colon, lang)
        );
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
            phrases::hosts_file(
                s.hosts_file_lines,
                r.hosts
                    .iter()
                    .filter(|h| matches!(h.origin, Origin::HostsFile { .. }))
                    .count(),
                s.hosts_file_skipped,
                lang
            )
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
                phrases::more_hosts(s.not_probed - s.not_probed_hosts.len(), lang)
            );
        }
    }
    let first = r
        .first_failure
        .map(|f| phrases::first_failing(f, lang))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "{} {}{first} — {}",
        label(Label::Verdict, lang),
        badge(r.status, lang, color),
        phrases::host_counts(s, lang)
    );
    if r.hosts.is_empty()
        && r.discovery
            .as_ref()
            .is_some_and(|d| d.status == Status::Fail)
    {
        let _ = writeln!(o, "{}", label(Label::NoHostToCheck, lang));
    }
}

/// The report as NDJSON: one `discovery` line, one `host` line per host, one `clock` line, and a
/// final `summary` line; each object carries `type` and `schema_version`.
pub fn ndjson(r: &Report) -> String {
    let mut lines = Vec::with_capacity(r.hosts.len() + 3);
    if let Some(d) = &r.discovery {
        lines.push(
            json!({"type": "discovery", "schema_version": SCHEMA_VERSION, "lang": r.lang, "discovery": d}),
        );
    }
    for h in &r.hosts {
        lines.push(
            json!({"type": "host", "schema_version": SCHEMA_VERSION, "lang": r.lang, "host": h}),
        );
    }
    if let Some(c) = &r.clock {
        lines.push(
            json!({"type": "clock", "schema_version": SCHEMA_VERSION, "lang": r.lang, "clock": c}),
        );
    }
    lines.push(json!({
        "type": "summary",
        "schema_version": SCHEMA_VERSION,
        "lang": r.lang,
        "checks": r.checks,
        "explain": r.explain,
        "status": r.status,
        "first_failure": r.first_failure,
        "summary": r.summary,
    }));
    // The report is redacted already; this also covers a report built or changed by a caller.
    volact_core::key::redact_keys_in(&volact_core::out::ndjson::to_string(lines)).into_owned()
}
