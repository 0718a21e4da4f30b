//! What a snapshot says about the machine: one rule per concern (the license state, a KMS client
//! that is not activated, the KMS host's counters), each giving [`Finding`]s whose kind, a
//! [`Diagnosis`], holds the facts they rest on. No sentence is written here: `crate::phrases`
//! words them at report time.

use serde::Serialize;
use volact_core::ErrorCode;
use volact_core::finding::{Finding, Kind, Level};
use volact_core::kms::{CLIENT_THRESHOLD, SERVER_THRESHOLD};

use super::model::{KmsHost, LicenseState, Snapshot, is_grace};

/// One finding about a snapshot, with its facts (the kind of a [`Finding`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Diagnosis {
    /// Activated; `minutes_left` of the activation's validity, when printed.
    Licensed {
        /// Minutes left.
        minutes_left: Option<u64>,
    },
    /// In notification mode, with the reason code when printed.
    Notification {
        /// `Notification Reason:`.
        reason: Option<ErrorCode>,
    },
    /// Unlicensed.
    Unlicensed,
    /// In a grace period (`state` says which).
    GracePeriod {
        /// The grace state.
        state: LicenseState,
        /// Minutes left, when printed.
        minutes_left: Option<u64>,
    },
    /// A KMS client with no KMS host set or found by DNS.
    KmsHostNotFound,
    /// A KMS client that is not activated.
    KmsClientNotActivated,
    /// The KMS host's count is below the client threshold (and maybe below the server one).
    KmsCountBelowThreshold {
        /// `Current count:`.
        count: u64,
        /// Count needed by servers.
        server_threshold: u32,
        /// Count needed by client operating systems.
        client_threshold: u32,
    },
    /// The KMS host's count is enough for every product.
    KmsCountSufficient {
        /// `Current count:`.
        count: u64,
        /// Count needed by servers.
        server_threshold: u32,
        /// Count needed by client operating systems.
        client_threshold: u32,
    },
    /// The KMS host has seen failed requests.
    KmsFailedRequests {
        /// `Failed requests received:`.
        failed: u64,
        /// `Total requests received:` (0 when not printed).
        total: u64,
    },
    /// The KMS host does not publish its SRV record.
    KmsDnsPublishingOff,
    /// An activation attempt (`slmgr /ato`, `ospp.vbs /act`) or ospp's status reported
    /// 0xC004F074: no KMS host could be reached.
    KmsUnreachable,
    /// An activation attempt or ospp's status reported a failure code.
    ActivationFailed {
        /// The code printed.
        code: ErrorCode,
    },
}

impl Kind for Diagnosis {
    /// A stable identifier (`licensed`, `notification`, `kms-count-below-threshold`, …).
    fn id(&self) -> &'static str {
        match self {
            Diagnosis::Licensed { .. } => "licensed",
            Diagnosis::Notification { .. } => "notification",
            Diagnosis::Unlicensed => "unlicensed",
            Diagnosis::GracePeriod { .. } => "grace-period",
            Diagnosis::KmsHostNotFound => "kms-host-not-found",
            Diagnosis::KmsClientNotActivated => "kms-client-not-activated",
            Diagnosis::KmsCountBelowThreshold { .. } => "kms-count-below-threshold",
            Diagnosis::KmsCountSufficient { .. } => "kms-count-sufficient",
            Diagnosis::KmsFailedRequests { .. } => "kms-failed-requests",
            Diagnosis::KmsDnsPublishingOff => "kms-dns-publishing-off",
            Diagnosis::KmsUnreachable => "kms-unreachable",
            Diagnosis::ActivationFailed { .. } => "activation-failed",
        }
    }
}

impl Diagnosis {
    /// The finding: its level, and the code this state produces or was caused by. What scan
    /// calls "attention" is [`Level::Warning`].
    pub fn finding(self) -> Finding<Diagnosis> {
        let level = match self {
            Diagnosis::Licensed { .. } | Diagnosis::KmsCountSufficient { .. } => Level::Ok,
            Diagnosis::KmsFailedRequests { .. } | Diagnosis::KmsDnsPublishingOff => Level::Info,
            _ => Level::Warning,
        };
        let code = match self {
            Diagnosis::Notification { reason } => reason,
            Diagnosis::KmsHostNotFound => Some(ErrorCode::new(0x8007_232B)),
            Diagnosis::KmsCountBelowThreshold { .. } => Some(ErrorCode::new(0xC004_F038)),
            Diagnosis::KmsUnreachable => Some(ErrorCode::new(KMS_UNREACHABLE)),
            Diagnosis::ActivationFailed { code } => Some(code),
            _ => None,
        };
        Finding::new(self, level).with_codes(code)
    }
}

/// No Key Management Service could be contacted.
const KMS_UNREACHABLE: u32 = 0xC004_F074;

/// Codes that say no KMS host name was found (DNS name or SRV record missing).
const KMS_NOT_FOUND: &[u32] = &[0x8007_232B, 0x8007_251D];

/// Whole days in `minutes`.
pub fn days(minutes: u64) -> u64 {
    minutes / (24 * 60)
}

/// What a snapshot says about the machine, language-free.
pub fn diagnose(s: &Snapshot) -> Vec<Finding<Diagnosis>> {
    let mut out = Vec::new();
    out.extend(license_state(s));
    match attempt(s) {
        Some(d) => out.push(d),
        None => out.extend(kms_client(s)),
    }
    if let Some(h) = &s.kms_host {
        kms_host(h, &mut out);
    }
    out.into_iter().map(Diagnosis::finding).collect()
}

/// The license state: activated, notification, unlicensed or in a grace period. A snapshot of
/// a successful activation attempt alone (`/ato`, `/act`) reads as activated.
fn license_state(s: &Snapshot) -> Option<Diagnosis> {
    let Some(state) = s.license_state else {
        return (s.activation_succeeded == Some(true))
            .then_some(Diagnosis::Licensed { minutes_left: None });
    };
    match state {
        LicenseState::Licensed => Some(Diagnosis::Licensed {
            minutes_left: s.expiration_minutes,
        }),
        LicenseState::Notification => Some(Diagnosis::Notification {
            reason: s.notification_reason,
        }),
        LicenseState::Unlicensed => Some(Diagnosis::Unlicensed),
        state if is_grace(state) => Some(Diagnosis::GracePeriod {
            state,
            minutes_left: s.time_remaining_minutes.or(s.expiration_minutes),
        }),
        _ => None,
    }
}

/// The failure code of an activation attempt or of ospp's status: no KMS host reachable, no
/// KMS host found, or another failure.
fn attempt(s: &Snapshot) -> Option<Diagnosis> {
    let code = s.error_code.filter(|c| super::ospp::is_failure(*c))?;
    Some(if code.value() == KMS_UNREACHABLE {
        Diagnosis::KmsUnreachable
    } else if KMS_NOT_FOUND.contains(&code.value()) && s.is_kms_client() {
        Diagnosis::KmsHostNotFound
    } else {
        Diagnosis::ActivationFailed { code }
    })
}

/// A KMS client that is not activated: no host to ask, or a failed request.
fn kms_client(s: &Snapshot) -> Option<Diagnosis> {
    let activated = s.license_state == Some(LicenseState::Licensed);
    if !s.is_kms_client() || activated || s.license_state.is_none() {
        return None;
    }
    let no_host = s.kms_client.as_ref().is_some_and(|c| {
        c.dns_discovery_failed && c.registered_kms_name.is_none() && c.kms_name_from_dns.is_none()
    });
    Some(if no_host {
        Diagnosis::KmsHostNotFound
    } else {
        Diagnosis::KmsClientNotActivated
    })
}

/// The KMS host's count against the thresholds, its failed requests and DNS publishing.
fn kms_host(h: &KmsHost, out: &mut Vec<Diagnosis>) {
    if let Some(count) = h.current_count {
        let (server_threshold, client_threshold) = (SERVER_THRESHOLD, CLIENT_THRESHOLD);
        out.push(if count < u64::from(client_threshold) {
            Diagnosis::KmsCountBelowThreshold {
                count,
                server_threshold,
                client_threshold,
            }
        } else {
            Diagnosis::KmsCountSufficient {
                count,
                server_threshold,
                client_threshold,
            }
        });
    }
    if let Some(failed) = h.failed_requests.filter(|f| *f > 0) {
        out.push(Diagnosis::KmsFailedRequests {
            failed,
            total: h.total_requests.unwrap_or(0),
        });
    }
    if h.dns_publishing == Some(false) {
        out.push(Diagnosis::KmsDnsPublishingOff);
    }
}
