//! What needs attention in a report: stable identifiers derived from its sections.

use super::options::SkipReason;
use super::report::Report;

pub(super) fn attention(r: &Report) -> Vec<&'static str> {
    let mut a = Vec::new();
    if let Some(c) = &r.client {
        if c.failed > 0 {
            a.push("client_failures");
        }
        if c.no_response > 0 {
            a.push("no_response");
        }
    }
    if let Some(h) = &r.host {
        if h.codes.iter().any(|c| c.code.value() != 0) {
            a.push("host_errors");
        }
        if h.skewed_requests > 0 {
            a.push("clock_skew");
        }
        if !h.cloned.is_empty() {
            a.push("cloned_cmids");
        }
        if let Some(n) = &h.count {
            if n.client_os > 0 && !n.client_os_activates {
                a.push("count_below_client_threshold");
            }
            if n.server_os > 0 && !n.server_os_activates {
                a.push("count_below_server_threshold");
            }
        }
        if h.dns_failures_total > 0 {
            a.push("dns_publishing_failed");
        }
    }
    if r.slui_failures_total > 0 {
        a.push("slui_failures");
    }
    if r.stats.damaged_chunks > 0
        || r.stats
            .skipped
            .iter()
            .any(|s| matches!(s.reason, SkipReason::CorruptRecord | SkipReason::BadData))
        || r.warnings_total > 0
    {
        a.push("damaged_input");
    }
    a
}
