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
            _ => None,
        };
        Finding::new(self, level).with_codes(code)
    }
}

/// Whole days in `minutes`.
pub fn days(minutes: u64) -> u64 {
    minutes / (24 * 60)
}

/// What a snapshot says about the machine, language-free.
pub fn diagnose(s: &Snapshot) -> Vec<Finding<Diagnosis>> {
    let mut out = Vec::new();
    out.extend(license_state(s));
    out.extend(kms_client(s));
    if let Some(h) = &s.kms_host {
        kms_host(h, &mut out);
    }
    out.into_iter().map(Diagnosis::finding).collect()
}

/// The license state: activated, notification, unlicensed or in a grace period.
fn license_state(s: &Snapshot) -> Option<Diagnosis> {
    match s.license_state? {
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
