//! The analysis of a bundle: what the machine is, what slmgr, the event logs and the registry say,
//! which codes appear where, what is wrong, and which `volact doctor` checks would confirm it from
//! that machine. Offline: nothing here touches the network.
//!
//! The model is [`crate::analysis`]; here it is built: [`names`] redacts what the bundle names,
//! [`facts`] and [`w32tm`] read the settings, [`codes`] the evidence, [`findings`] holds the rules
//! and [`plan`] the `volact doctor` checks. The rules and the plan are language-free; their words
//! are in `phrases.rs`.

mod codes;
mod facts;
mod findings;
mod names;
mod plan;
#[cfg(test)]
mod tests;
mod w32tm;

use volact_core::Lang;
use volact_scan::slmgr;

pub use facts::{SPP_KEY, lookup_domains};

use crate::analysis::{Analysis, BundleInfo, Machine, SCHEMA_VERSION, StepSummary};
use crate::bundle::{Bundle, BundleWarning};
use crate::manifest::FileKind;
use crate::model::{DnsConfig, RegistryDump, SystemInfo};

/// Analyses a bundle in one language.
pub fn analyze(bundle: &Bundle, lang: Lang) -> Analysis {
    // Member names, the manifest and the bundle's own path come from whoever wrote the zip:
    // product keys in them are redacted before anything is built from them.
    let redacted = names::with_names_redacted(bundle);
    let bundle = redacted.as_ref();
    let system = bundle
        .file(FileKind::System)
        .and_then(|f| serde_json::from_slice::<SystemInfo>(&f.data).ok());
    let registry = bundle
        .file(FileKind::Registry)
        .and_then(|f| serde_json::from_slice::<RegistryDump>(&f.data).ok())
        .unwrap_or_default();
    let dns = bundle
        .file(FileKind::Dns)
        .and_then(|f| serde_json::from_slice::<DnsConfig>(&f.data).ok());
    let snapshot = bundle
        .file(FileKind::Slmgr)
        .map(|f| slmgr::parse(&f.text()));
    let time = bundle
        .files
        .iter()
        .find(|f| f.step == "w32tm-status")
        .map(|f| w32tm::parse_w32tm(&f.text()));
    let settings = facts::settings(&registry);
    let ntp_server = facts::ntp_server(&registry);
    // A parsed dump can take many times its size; it is not needed past this point.
    drop(registry);
    let events = crate::events::read(bundle, lang);
    let codes = codes::codes_in(bundle, &events.codes, lang);
    let scan = codes::scan(bundle, lang);
    let (products, without): (Vec<_>, Vec<_>) = snapshot
        .clone()
        .unwrap_or_default()
        .into_iter()
        .partition(|p| p.partial_product_key.is_some());
    let roles = facts::roles(&products, &settings);
    let mut a = Analysis {
        schema_version: SCHEMA_VERSION,
        lang,
        bundle: bundle_info(bundle),
        machine: Machine { system, roles },
        products,
        products_without_key: without.len(),
        settings,
        dns,
        time,
        ntp_server,
        event_logs: events.logs,
        events: events.report,
        scan,
        codes,
        findings: Vec::new(),
        checks: Vec::new(),
        doctor_command: String::new(),
    };
    a.findings = findings::findings(&a, snapshot.as_ref(), bundle);
    a.checks = plan::plan_checks(&a);
    a.doctor_command = plan::doctor_command(&a);
    a
}

/// What the bundle is, how each step ended, and the problems met while reading it (JSON dumps
/// that are not JSON included).
fn bundle_info(bundle: &Bundle) -> BundleInfo {
    let m = &bundle.manifest;
    let steps: Vec<StepSummary> = m
        .steps
        .iter()
        .map(|s| StepSummary {
            id: s.id.clone(),
            command: s.command.clone(),
            status: s.status,
            exit_code: s.exit_code,
            duration_ms: s.duration_ms,
            error: s.error.clone(),
        })
        .collect();
    let mut warning_details = bundle.warning_details.clone();
    for kind in [FileKind::Registry, FileKind::Dns, FileKind::System] {
        if let Some(f) = bundle.file(kind)
            && serde_json::from_slice::<serde::de::IgnoredAny>(&f.data).is_err()
        {
            warning_details.push(BundleWarning::NotJson {
                file: f.name.clone(),
            });
        }
    }
    let warnings = warning_details
        .iter()
        .map(|w| w.message(Lang::En))
        .collect();
    BundleInfo {
        path: bundle.path.display().to_string(),
        created_utc: m.created_utc.clone(),
        volact_version: m.volact_version.clone(),
        source: m.source.clone(),
        keys_redacted: m.keys_redacted,
        steps,
        warnings,
        warning_details,
        read: bundle.stats.clone(),
    }
}
