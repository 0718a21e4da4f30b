//! What needs attention in a report: the rules that find each [`ReportFinding`] in the
//! report's sections, with its level, facts and codes; no words (those are in `crate::phrases`).

use volact_core::ErrorCode;
use volact_core::finding::{Finding, Level};

use super::options::{COUNT_TOO_LOW, SkipReason};
use super::report::{Report, ReportFinding};

/// The code a host returns to a client whose clock is too far from its own (0xC004F06C).
const CLOCK_SKEW: u32 = 0xC004_F06C;

/// The findings of a report, in report order (the order of `attention`).
pub(super) fn findings(r: &Report) -> Vec<Finding<ReportFinding>> {
    let mut a = Vec::new();
    if let Some(c) = &r.client {
        client_findings(c, &mut a);
    }
    if let Some(h) = &r.host {
        host_findings(h, &mut a);
    }
    if r.slui_failures_total > 0 {
        let codes = r.slui_failures.iter().filter_map(|s| s.code.as_ref());
        a.push(
            Finding::new(
                ReportFinding::SluiFailures {
                    failures: r.slui_failures_total,
                },
                Level::Warning,
            )
            .with_codes(distinct(codes.map(|c| c.code))),
        );
    }
    let damaged_records: u64 = r
        .stats
        .skipped
        .iter()
        .filter(|s| matches!(s.reason, SkipReason::CorruptRecord | SkipReason::BadData))
        .map(|s| s.count)
        .sum();
    let damaged = r.stats.damaged_chunks > 0
        || r.stats
            .skipped
            .iter()
            .any(|s| matches!(s.reason, SkipReason::CorruptRecord | SkipReason::BadData))
        || r.warnings_total > 0;
    if damaged {
        a.push(Finding::new(
            ReportFinding::DamagedInput {
                damaged_chunks: r.stats.damaged_chunks,
                damaged_records,
                warnings: r.warnings_total,
            },
            Level::Info,
        ));
    }
    a
}

fn client_findings(c: &super::report::ClientView, a: &mut Vec<Finding<ReportFinding>>) {
    if c.failed > 0 {
        let codes = c.codes.iter().map(|x| x.code).filter(|x| x.value() != 0);
        a.push(
            Finding::new(
                ReportFinding::ClientFailures {
                    failed: c.failed,
                    attempts: c.attempts_total,
                },
                Level::Error,
            )
            .with_codes(codes),
        );
    }
    if c.no_response > 0 {
        a.push(Finding::new(
            ReportFinding::NoResponse {
                no_response: c.no_response,
            },
            Level::Warning,
        ));
    }
}

fn host_findings(h: &super::report::HostView, a: &mut Vec<Finding<ReportFinding>>) {
    let errors: Vec<_> = h.codes.iter().filter(|c| c.code.value() != 0).collect();
    if !errors.is_empty() {
        a.push(
            Finding::new(
                ReportFinding::HostErrors {
                    requests: errors.iter().map(|c| c.count).sum(),
                },
                Level::Warning,
            )
            .with_codes(errors.iter().map(|c| c.code)),
        );
    }
    if h.skewed_requests > 0 {
        a.push(
            Finding::new(
                ReportFinding::ClockSkew {
                    requests: h.skewed_requests,
                    clients: h.skewed.len() as u64,
                    limit_secs: super::options::MAX_SKEW_SECS,
                },
                Level::Error,
            )
            .with_code(ErrorCode::new(CLOCK_SKEW)),
        );
    }
    if !h.cloned.is_empty() {
        a.push(Finding::new(
            ReportFinding::ClonedCmids {
                cmids: h.cloned.len() as u64,
            },
            Level::Warning,
        ));
    }
    if let Some(n) = &h.count {
        let too_low = ErrorCode::new(COUNT_TOO_LOW);
        if n.client_os > 0 && !n.client_os_activates {
            let kind = ReportFinding::CountBelowClientThreshold {
                count: n.count,
                threshold: n.client_threshold,
            };
            a.push(Finding::new(kind, Level::Error).with_code(too_low));
        }
        if n.server_os > 0 && !n.server_os_activates {
            let kind = ReportFinding::CountBelowServerThreshold {
                count: n.count,
                threshold: n.server_threshold,
            };
            a.push(Finding::new(kind, Level::Error).with_code(too_low));
        }
    }
    if h.clients_outside_window > 0 {
        let kind = ReportFinding::ClientsOutsideWindow {
            clients: h.clients_outside_window,
            window_days: volact_core::kms::COUNT_WINDOW_DAYS,
        };
        a.push(Finding::new(kind, Level::Ok));
    }
    if h.dns_failures_total > 0 {
        let codes = h.dns_failures.iter().filter_map(|d| d.code.as_ref());
        a.push(
            Finding::new(
                ReportFinding::DnsPublishingFailed {
                    failures: h.dns_failures_total,
                },
                Level::Warning,
            )
            .with_codes(distinct(codes.map(|c| c.code))),
        );
    }
}

/// `codes` without repeats, in order of first appearance.
fn distinct(codes: impl Iterator<Item = ErrorCode>) -> Vec<ErrorCode> {
    let mut out: Vec<ErrorCode> = Vec::new();
    for c in codes {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}
