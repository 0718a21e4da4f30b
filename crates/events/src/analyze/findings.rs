//! What needs attention in a report: the rules that find each [`ReportFinding`] in the
//! report's sections, with its level, facts and codes; no words (those are in `crate::phrases`).

use volact_core::ErrorCode;
use volact_core::event::Timestamp;
use volact_core::finding::{Finding, Level};

use super::options::{COUNT_TOO_LOW, SkipReason};
use super::report::{Report, ReportFinding, SkuKey};

/// The code a host returns to a client whose clock is too far from its own (0xC004F06C).
const CLOCK_SKEW: u32 = 0xC004_F06C;
/// 8198's code when the machine is on the retail channel (Microsoft's ADBA troubleshooting).
const RETAIL_CHANNEL: u32 = 0x8007_007B;
/// No activation object for the product in Active Directory.
const AD_OBJECT_NOT_FOUND: u32 = 0xC004_F081;
/// The schema does not support AD-based activation.
const AD_SCHEMA: u32 = 0xC004_F083;
/// The directory object (the activation objects container) does not exist.
const AD_NO_CONTAINER: u32 = 0x8007_2030;
/// SKUs listed in a finding at most.
const MAX_SKUS: usize = 20;

/// The findings of a report, in report order (the order of `attention`).
pub(super) fn findings(r: &Report) -> Vec<Finding<ReportFinding>> {
    let mut a = Vec::new();
    if let Some(c) = &r.client {
        client_findings(c, &mut a);
    }
    if let Some(h) = &r.host {
        host_findings(h, &mut a);
    }
    if let Some(v) = &r.spp {
        spp_findings(v, &mut a);
        retail_channel(r, v, &mut a);
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
    a.into_iter().map(super::advice::with_commands).collect()
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
    let (clients, products) = super::products::refused(h);
    if clients > 0 {
        let codes = h.codes.iter().map(|c| c.code);
        let codes: Vec<ErrorCode> = codes
            .filter(|c| super::products::REFUSED.contains(&c.value()))
            .collect();
        let kind = ReportFinding::HostKeyCannotServe { clients, products };
        a.push(Finding::new(kind, Level::Error).with_codes(codes));
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

/// The Software Protection findings: how the 8198, 8196, 8233 and AD activation failures ended
/// (transient when a successful activation of the same client followed), and what the other
/// events mean.
fn spp_findings(v: &super::spp::SppView, a: &mut Vec<Finding<ReportFinding>>) {
    let codes_of = |o: &super::spp::FailureOutcome| -> Vec<ErrorCode> {
        o.persistent_codes
            .iter()
            .chain(&o.transient_codes)
            .map(|c| c.code)
            .filter(|c| c.value() != 0)
            .collect()
    };
    if let Some(o) = v.failures_of(8198) {
        if o.persistent > 0 {
            let kind = ReportFinding::SluiFailures {
                failures: o.persistent,
            };
            let codes = o.persistent_codes.iter().map(|c| c.code);
            a.push(Finding::new(kind, Level::Error).with_codes(codes.filter(|c| c.value() != 0)));
        }
        if o.transient > 0 {
            let t = |s: Option<i64>| s.map(|s| Timestamp::from_unix(s, true));
            let kind = ReportFinding::SluiTransient {
                failures: o.transient,
                clients: o.transient_clients,
                first: t(o.first_transient),
                last: t(o.last_transient),
                span_secs: o.first_transient.zip(o.last_transient).map(|(f, l)| l - f),
            };
            let codes = o.transient_codes.iter().map(|c| c.code);
            a.push(Finding::new(kind, Level::Ok).with_codes(codes.filter(|c| c.value() != 0)));
        }
    }
    // A failure that a later activation resolved is worth knowing, not an alarm.
    let level = |o: &super::spp::FailureOutcome, unresolved: Level| {
        if o.persistent > 0 {
            unresolved
        } else {
            Level::Ok
        }
    };
    if let Some(o) = v.failures_of(8196) {
        let kind = ReportFinding::AutoActivationFailed {
            failures: o.failures,
            transient: o.transient,
        };
        a.push(Finding::new(kind, level(o, Level::Warning)).with_codes(codes_of(o)));
    }
    if let Some(o) = v.failures_of(8233) {
        let kind = ReportFinding::VlActivationFailed {
            failures: o.failures,
            transient: o.transient,
            office: v.office_vl_failures,
        };
        a.push(Finding::new(kind, level(o, Level::Warning)).with_codes(codes_of(o)));
    }
    let ad: Vec<&super::spp::FailureOutcome> = [8213, 8214, 8215]
        .iter()
        .filter_map(|id| v.failures_of(*id))
        .collect();
    if !ad.is_empty() {
        let persistent: u64 = ad.iter().map(|o| o.persistent).sum();
        let kind = ReportFinding::AdActivationFailed {
            failures: ad.iter().map(|o| o.failures).sum(),
            transient: ad.iter().map(|o| o.transient).sum(),
            clients: v
                .clients
                .iter()
                .filter(|c| {
                    c.failures_persistent > 0
                        && c.events.iter().any(|e| (8213..=8215).contains(&e.event_id))
                })
                .count() as u64,
        };
        let lvl = if persistent > 0 {
            Level::Error
        } else {
            Level::Ok
        };
        let codes = distinct(ad.iter().flat_map(|o| codes_of(o)));
        a.push(Finding::new(kind, lvl).with_codes(codes));
        ad_codes(v, a);
    }
    success_and_routine_findings(v, a);
}

/// The AD-based activation failures whose code says what is missing in the directory: no
/// activation object for the product (0xC004F081), or a schema without the activation objects
/// container (0xC004F083, or 0x80072030 from the directory itself).
fn ad_codes(v: &super::spp::SppView, a: &mut Vec<Finding<ReportFinding>>) {
    let ad = |c: &[u32]| -> (u64, Vec<ErrorCode>) {
        let mine = v
            .codes
            .iter()
            .filter(|o| (8213..=8215).contains(&o.event_id) && c.contains(&o.code.code.value()));
        let n = mine.clone().map(|o| o.code.count).sum();
        (n, distinct(mine.map(|o| o.code.code)))
    };
    let (failures, codes) = ad(&[AD_OBJECT_NOT_FOUND]);
    if failures > 0 {
        let kind = ReportFinding::AdObjectNotFound { failures };
        a.push(Finding::new(kind, Level::Error).with_codes(codes));
    }
    let (failures, codes) = ad(&[AD_SCHEMA, AD_NO_CONTAINER]);
    if failures > 0 {
        let kind = ReportFinding::AdSchemaTooOld { failures };
        a.push(Finding::new(kind, Level::Error).with_codes(codes));
    }
}

/// 8198 failures with 0x8007007B that no successful activation followed: Microsoft's ADBA
/// troubleshooting names a retail-channel install (no GVLK) as the cause. The SKUs come from the
/// listed 8198 rows.
fn retail_channel(r: &Report, v: &super::spp::SppView, a: &mut Vec<Finding<ReportFinding>>) {
    let Some(o) = v.failures_of(8198) else {
        return;
    };
    let failures: u64 = o
        .persistent_codes
        .iter()
        .filter(|c| c.code.value() == RETAIL_CHANNEL)
        .map(|c| c.count)
        .sum();
    if failures == 0 {
        return;
    }
    let mut skus: Vec<SkuKey> = Vec::new();
    let rows = r.slui_failures.iter().filter(|s| {
        !s.transient
            && s.code
                .as_ref()
                .is_some_and(|c| c.code.value() == RETAIL_CHANNEL)
    });
    for sku in rows.filter_map(|s| s.sku_id.as_deref()) {
        if skus.len() < MAX_SKUS && !skus.iter().any(|k| k.sku_id.eq_ignore_ascii_case(sku)) {
            skus.push(SkuKey::new(sku));
        }
    }
    let kind = ReportFinding::RetailChannel { failures, skus };
    a.push(Finding::new(kind, Level::Error).with_code(ErrorCode::new(RETAIL_CHANNEL)));
}

/// What the successes (12308, 12320, AVMA) and the routine events (1058, 16384, 8230) mean.
fn success_and_routine_findings(v: &super::spp::SppView, a: &mut Vec<Finding<ReportFinding>>) {
    let ad_ok = v.count_of(12308);
    if ad_ok > 0 {
        let clients = v
            .clients
            .iter()
            .filter(|c| c.events.iter().any(|e| e.event_id == 12308))
            .count() as u64;
        let kind = ReportFinding::AdActivated {
            activations: ad_ok,
            clients,
        };
        a.push(Finding::new(kind, Level::Ok));
    }
    let (failed, codes) = v.codes_of(&[12309, 12310]);
    if failed + v.avma_activated > 0 {
        let kind = ReportFinding::AvmaResults {
            activated: v.avma_activated,
            failed,
        };
        let lvl = if failed > 0 {
            Level::Warning
        } else {
            Level::Ok
        };
        a.push(Finding::new(kind, lvl).with_codes(codes));
    }
    let token = v.count_of(12320);
    if token > 0 {
        let kind = ReportFinding::TokenActivated { activations: token };
        a.push(Finding::new(kind, Level::Ok));
    }
    let acpi = v.count_of(1058);
    if acpi > 0 {
        let kind = ReportFinding::AcpiKeyWarnings { warnings: acpi };
        a.push(Finding::new(kind, Level::Ok).with_codes(v.codes_of(&[1058]).1));
    }
    let (restarts, rechecks) = (v.count_of(16384), v.count_of(8230));
    if restarts + rechecks > 0 {
        let kind = ReportFinding::RoutineEvents {
            restarts_scheduled: restarts,
            schedule_rechecks: rechecks,
        };
        a.push(Finding::new(kind, Level::Ok));
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
