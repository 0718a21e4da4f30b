//! `w32tm /query /status` (English labels).

use crate::analysis::TimeStatus;

/// The source, last sync and stratum, and whether the source is the machine's own clock.
pub(super) fn parse_w32tm(text: &str) -> TimeStatus {
    let mut t = TimeStatus::default();
    for line in text.lines() {
        let Some((label, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match label.trim() {
            "Source" => t.source = Some(value.to_owned()),
            "Last Successful Sync Time" => t.last_sync = Some(value.to_owned()),
            "Stratum" => t.stratum = Some(value.to_owned()),
            _ => {}
        }
    }
    t.unsynchronised = t.source.as_deref().is_some_and(|s| {
        let s = s.to_ascii_lowercase();
        s.contains("local cmos clock") || s.contains("free-running system clock")
    });
    t
}
