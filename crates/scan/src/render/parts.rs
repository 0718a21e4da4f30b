//! Pieces shared by the renderers: a snapshot's title and fact lines, an event's one-line brief,
//! the mark of a level and the stable words of the CSV's coverage column.

use std::fmt::Write as _;

use volact_core::Lang;
use volact_core::event::{Event, EventData};
use volact_core::explain::Coverage;
use volact_core::finding::Level;

use crate::phrases::{self, Labels};
use crate::report::{InputReport, ScanReport, SkipReason, SnapshotOut};

/// `✓`, `i` or `!` (warnings and errors: what scan calls attention).
pub(super) fn mark(level: Level) -> &'static str {
    match level {
        Level::Ok => "✓",
        Level::Info => "i",
        Level::Warning | Level::Error => "!",
    }
}

/// What a snapshot says, a few facts per line.
pub(super) fn snapshot_lines(s: &SnapshotOut, l: &Labels, lang: Lang) -> Vec<String> {
    let sn = &s.snapshot;
    let mut out = Vec::new();
    let mut facts = Vec::new();
    if let Some(st) = &sn.license_status {
        facts.push(format!("{}: {st}", l.license_status));
    } else if let Some(st) = sn.license_state {
        let word = phrases::licensed_word(st, lang);
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
    if let Some(e) = sn.edition {
        let p = e.product;
        out.push(format!(
            "{}: {} · {} {}",
            l.edition,
            p.name,
            l.kms_count_needed,
            p.kms_count()
        ));
    }
    if let Some(k) = sn.host_key {
        let n = k.activates().len();
        out.push(format!(
            "{}: {} · {n} {}",
            l.host_key, k.0.name, l.products_word
        ));
    }
    if let Some(line) = kms_client_line(s, l) {
        out.push(line);
    }
    if let Some(line) = kms_host_line(s, l) {
        out.push(line);
    }
    out
}

fn kms_client_line(s: &SnapshotOut, l: &Labels) -> Option<String> {
    let c = s.snapshot.kms_client.as_ref()?;
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
    Some(
        format!("{}: {host}{ip}", l.kms_client)
            .trim_end()
            .to_owned(),
    )
}

fn kms_host_line(s: &SnapshotOut, l: &Labels) -> Option<String> {
    let h = s.snapshot.kms_host.as_ref()?;
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
    Some(format!("{}: {}", l.kms_host, parts.join(", ")))
}

/// The product's name and channel, and the language of the output when it was not English.
pub(super) fn snapshot_title(s: &SnapshotOut, l: &Labels) -> String {
    let sn = &s.snapshot;
    let name = sn.name.as_deref().unwrap_or(l.product);
    let title = match &sn.channel {
        Some(c) => format!("{name} ({c})"),
        None => name.to_owned(),
    };
    match sn.language.as_str() {
        "en" | "" => title,
        lang => format!("{title} [{lang}]"),
    }
}

/// One line about an event: its ID, what it is, its code and the fields that matter most.
pub(super) fn event_brief(e: &Event, lang: Lang) -> String {
    let needs = |n: u32| format!("{} {n}", phrases::needs_count(lang));
    let (code, extra): (Option<volact_core::ErrorCode>, Vec<String>) = match &e.data {
        EventData::ClientRequest(r) => (
            r.code,
            [
                r.kms.as_ref().map(|k| k.to_string()),
                r.license_state.map(|s| s.label(lang)),
                r.min_count.map(needs),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        EventData::ClientResponse(r) => (
            r.code,
            [
                r.activated.map(|a| phrases::activated(a, lang).to_owned()),
                r.current_count
                    .map(|n| format!("{} {n}", phrases::host_count(lang))),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        EventData::HostRequest(r) => (
            r.code,
            [
                r.client.clone(),
                r.license_state.map(|s| s.label(lang)),
                r.min_count.map(needs),
            ]
            .into_iter()
            .flatten()
            .collect(),
        ),
        EventData::DnsPublishFailed(d) => (d.code, d.domain.iter().cloned().collect()),
        EventData::DnsPublished(d) => (d.code, d.domain.iter().cloned().collect()),
        EventData::SluiFailed(d) => (d.code, d.trigger.iter().cloned().collect()),
        EventData::LicensingStatus(d) => (d.codes.first().copied(), Vec::new()),
        EventData::Other { codes } => (codes.first().copied(), Vec::new()),
        EventData::Spp(s) => (
            s.code(),
            s.sku_id().into_iter().map(str::to_owned).collect(),
        ),
    };
    let mut s = format!("{} {}", e.id, phrases::event_title(&e.data, lang));
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

/// `known`, `named` or `unknown` (the CSV's stable words).
pub(super) fn coverage_id(c: Coverage) -> &'static str {
    match c {
        Coverage::Known => "known",
        Coverage::Named => "named",
        Coverage::Unknown => "unknown",
    }
}

/// `N shown of M`: the matches listed and all matches found.
pub(super) fn shown_of(r: &ScanReport, l: &Labels) -> String {
    format!("{} {} {}", r.matches.len(), l.shown_of, r.totals.matches)
}

/// The totals line: inputs read, skipped and failed; bytes and lines (`inputs` is the label,
/// styled or not).
pub(super) fn totals(inputs: &str, r: &ScanReport, l: &Labels) -> String {
    let t = &r.totals;
    format!(
        "{inputs}: {} {}, {} {}, {} {}; {} {}, {} {}",
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
    )
}

/// The sentences every format shows after the summary: the values collapsed into one counted
/// line (or listed last with `--all-codes`), and the event log files skipped.
pub(super) fn notes(r: &ScanReport) -> Vec<String> {
    let t = &r.totals;
    let mut out = Vec::new();
    if t.other_values > 0 {
        let listed = r.summary.iter().any(|c| !c.rank.listed());
        out.push(phrases::other_values(
            t.other_values,
            t.other_lines,
            listed,
            r.lang,
        ));
    }
    if t.evtx_skipped > 0 {
        out.push(phrases::evtx_summary(t.evtx_skipped, r.lang));
    }
    out
}

/// Why an input was skipped, in the report's language (event logs name the command that reads
/// them).
pub(super) fn skip_why(i: &InputReport, l: &Labels, lang: Lang) -> String {
    match i.skip_reason {
        Some(SkipReason::Binary) => l.binary.to_owned(),
        Some(SkipReason::Evtx) => phrases::evtx_skipped(&i.path, lang),
        Some(SkipReason::NotAFile) | None => l.not_a_file.to_owned(),
    }
}

/// What a renderer wrote into memory, as text.
pub(super) fn into_string(write: impl FnOnce(&mut Vec<u8>) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail, and every record serialises.
    let _ = write(&mut out);
    String::from_utf8(out).unwrap_or_default()
}
