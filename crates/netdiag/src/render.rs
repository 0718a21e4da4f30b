//! Renderers: readable text (ANSI colours optional) and NDJSON, in the report's language. JSON is
//! the serde form of [`Report`].

use anstyle::{AnsiColor, Style};
use serde_json::json;
use volact_core::Lang;
use volact_core::commands;
use volact_core::out::{self, Doc};

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

/// The codes of a section, each with its relation and summary, indented by `indent`.
fn codes(d: &mut Doc<String>, codes: &[CodeRef], indent: &str) {
    let lang = d.lang();
    for c in codes {
        d.line(format_args!(
            "{indent}{} {}({}) {}",
            c.code,
            c.name.map(|n| format!("{n} ")).unwrap_or_default(),
            phrases::relation(c.relation, lang),
            c.summary
        ));
    }
}

#[cfg(test)]
pub(crate) fn next_for_tests(d: &mut Doc<String>, cmds: &[NextCommand]) {
    next(d, cmds);
}

/// The next commands of a section, under its heading; a command that needs an elevated prompt
/// carries the mark `volact explain` uses.
fn next(d: &mut Doc<String>, cmds: &[NextCommand]) {
    if cmds.is_empty() {
        return;
    }
    let lang = d.lang();
    d.item(label(Label::NextCommands, lang));
    for c in cmds {
        let on = match c.on {
            "kms-host" => label(Label::KmsHost, lang),
            _ => label(Label::Client, lang),
        };
        let mark = if !c.elevated {
            String::new()
        } else if d.is_text() {
            format!("  {}", commands::text_mark(true, lang))
        } else {
            commands::markdown_mark(true, lang)
        };
        d.line(format_args!("    [{on}] {}{mark}", c.run));
        d.line(format_args!("        {}", c.purpose));
    }
}

/// The report as readable text.
pub fn text(r: &Report, color: bool) -> String {
    let lang = r.lang;
    let mut d = Doc::new(String::new(), out::Style::Text, lang);
    header(&mut d, r);
    if let Some(disc) = &r.discovery {
        discovery(&mut d, disc, color);
    }
    if r.hosts.len() > COMPACT_ABOVE {
        hosts_compact(&mut d, &r.hosts, color);
    } else {
        for h in &r.hosts {
            host(&mut d, h, color);
        }
    }
    if let Some(c) = &r.clock {
        clock(&mut d, c, color);
    }
    footer(&mut d, r, color);
    let mut o = d.finish();
    if lang == Lang::ZhTw {
        // Labels end with a full-width colon, which needs no space after it.
        o = o.replace("： ", "：");
    }
    // The report is redacted already ([`Report::redact_keys`]); this also covers a report built
    // or changed by a caller.
    volact_core::key::redact_keys_in(&o).into_owned()
}

/// The title line, and the code `--explain` chose the checks by.
fn header(d: &mut Doc<String>, r: &Report) {
    let lang = r.lang;
    let checks: Vec<&str> = r.checks.iter().map(|c| c.id()).collect();
    d.line(format_args!(
        "volact doctor — {} {} · {} {} ms",
        label(Label::Checks, lang),
        checks.join(", "),
        label(Label::Timeout, lang),
        r.timeout_ms
    ));
    if let Some(e) = &r.explain {
        d.line(format_args!(
            "{} {} {}— {}",
            label(Label::ChecksNamedBy, lang),
            e.code.code,
            e.code.name.map(|n| format!("{n} ")).unwrap_or_default(),
            e.code.summary
        ));
    }
    d.line("");
}

/// The SRV discovery section.
fn discovery(d: &mut Doc<String>, disc: &Discovery, color: bool) {
    let lang = d.lang();
    d.line(format_args!(
        "{} {}",
        label(Label::DnsDiscovery, lang),
        badge(disc.status, lang, color)
    ));
    let servers = if disc.dns_servers.is_empty() {
        label(Label::NoneConfigured, lang).to_owned()
    } else {
        let from = match disc.dns_servers_from {
            "argument" => "--dns-server",
            "system" => label(Label::SystemSettings, lang),
            other => other,
        };
        format!("{} ({from})", disc.dns_servers.join(", "))
    };
    d.item(&format!("{} {servers}", label(Label::DnsServers, lang)));
    let search = if disc.search_list.is_empty() {
        label(Label::EmptyList, lang).to_owned()
    } else {
        disc.search_list.join(", ")
    };
    d.item(&format!("{} {search}", label(Label::SearchList, lang)));
    d.item(&disc.summary);
    for dl in &disc.domains {
        d.item(&format!(
            "{} {} ({}) {}",
            badge(dl.status, lang, color),
            dl.summary,
            phrases::source(dl.source, lang),
            ms(dl.latency_ms)
        ));
        codes(d, &dl.codes, "      ");
        records(d, &dl.records, color);
    }
    next(d, &disc.next_commands);
    d.line("");
}

/// A domain's SRV records (the first [`TEXT_RECORDS`]) with what looks wrong.
fn records(d: &mut Doc<String>, records: &[SrvRecord], color: bool) {
    let lang = d.lang();
    let hidden = records.len().saturating_sub(TEXT_RECORDS);
    for rec in records.iter().take(TEXT_RECORDS) {
        let addrs: Vec<String> = rec.addresses.iter().map(ToString::to_string).collect();
        let addrs = if addrs.is_empty() {
            "-".to_owned()
        } else {
            addrs.join(", ")
        };
        d.line(format_args!(
            "      {} {} {} {} {} → {addrs}",
            label(Label::SrvRecord, lang),
            rec.priority,
            rec.weight,
            rec.port,
            rec.target
        ));
        for f in &rec.flags {
            d.line(format_args!(
                "        {} {}",
                paint(Status::Warn, "!", color),
                phrases::flag(*f, lang)
            ));
        }
    }
    if hidden > 0 {
        d.line(format_args!(
            "      {}",
            phrases::more_records(hidden, lang)
        ));
    }
}

/// One line per host (more than [`COMPACT_ABOVE`] hosts).
fn hosts_compact(d: &mut Doc<String>, hosts: &[HostReport], color: bool) {
    let lang = d.lang();
    d.line(label(Label::Hosts, lang));
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
        d.item(&format!(
            "{:<9} {} {what} {code}",
            badge(h.status, lang, color),
            h.target
        ));
    }
    d.line("");
}

/// One host with every stage, its codes and next commands.
fn host(d: &mut Doc<String>, h: &HostReport, color: bool) {
    let lang = d.lang();
    d.line(format_args!(
        "{} {} ({}) {}",
        label(Label::Host, lang),
        h.target,
        phrases::origin(&h.origin, lang),
        badge(h.status, lang, color)
    ));
    for (i, s) in h.stages.iter().enumerate() {
        let lat = ms(s.latency_ms);
        d.numbered(
            i + 1,
            &format!(
                "{} {} {}{}",
                phrases::stage_name(s.stage, lang),
                badge(s.status, lang, color),
                s.summary,
                if lat.is_empty() {
                    String::new()
                } else {
                    format!(" ({lat})")
                }
            ),
        );
    }
    if let Some(f) = h.first_failure {
        d.item(&format!(
            "{} {}",
            label(Label::FirstFailingStage, lang),
            phrases::stage_name(f, lang)
        ));
    }
    if !h.codes.is_empty() {
        d.item(label(Label::Codes, lang));
        codes(d, &h.codes, "    ");
    }
    next(d, &h.next_commands);
    if let Some(a) = &h.azure {
        d.item(&format!("{} {}", label(Label::Azure, lang), a.summary));
        codes(d, &a.codes, "    ");
        next(d, &a.next_commands);
    }
    d.line("");
}

/// The clock section: the verdict and every source asked.
fn clock(d: &mut Doc<String>, c: &ClockReport, color: bool) {
    let lang = d.lang();
    d.line(format_args!(
        "{} {} {}",
        label(Label::Clock, lang),
        badge(c.status, lang, color),
        c.summary
    ));
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
        d.item(&format!(
            "{} [{role}]{} {what}",
            s.server,
            label(Label::Colon, lang)
        ));
    }
    codes(d, &c.codes, "  ");
    next(d, &c.next_commands);
    d.line("");
}

/// The hosts file and hosts not probed, then the verdict line.
fn footer(d: &mut Doc<String>, r: &Report, color: bool) {
    let lang = r.lang;
    let s = &r.summary;
    if s.hosts_file_lines > 0 {
        let used = r
            .hosts
            .iter()
            .filter(|h| matches!(h.origin, Origin::HostsFile { .. }))
            .count();
        d.line(phrases::hosts_file(
            s.hosts_file_lines,
            used,
            s.hosts_file_skipped,
            lang,
        ));
        for k in &s.skipped {
            d.item(k);
        }
    }
    if let Some(why) = &s.not_probed_reason {
        d.line(why);
        for h in &s.not_probed_hosts {
            d.item(h);
        }
        if s.not_probed > s.not_probed_hosts.len() {
            d.item(&phrases::more_hosts(
                s.not_probed - s.not_probed_hosts.len(),
                lang,
            ));
        }
    }
    let first = r
        .first_failure
        .map(|f| phrases::first_failing(f, lang))
        .unwrap_or_default();
    d.line(format_args!(
        "{} {}{first} — {}",
        label(Label::Verdict, lang),
        badge(r.status, lang, color),
        phrases::host_counts(s, lang)
    ));
    if r.hosts.is_empty()
        && r.discovery
            .as_ref()
            .is_some_and(|disc| disc.status == Status::Fail)
    {
        d.line(label(Label::NoHostToCheck, lang));
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
    volact_core::key::redact_keys_in(&out::ndjson::to_string(lines)).into_owned()
}
