//! What a snapshot says about the machine: one rule per concern (the license state, a KMS client
//! that is not activated, the KMS host's counters), each giving [`Finding`]s whose kind, a
//! [`Diagnosis`], holds the facts they rest on. No sentence is written here: `crate::phrases`
//! words them at report time.

use serde::Serialize;
use volact_core::ErrorCode;
use volact_core::commands::{self, Case};
use volact_core::finding::{Finding, Kind, Level};
use volact_core::kms::{CLIENT_THRESHOLD, SERVER_THRESHOLD};

use super::known::HostKey;
use super::model::{KmsHost, LicenseState, Snapshot, is_grace};
use volact_core::products::Group;

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
    /// The installed key is the published KMS client setup key (GVLK) of this edition.
    GvlkInstalled {
        /// The edition (the product table's name).
        edition: &'static str,
    },
    /// The installed key is the GVLK of another edition than the one the Activation ID names.
    GvlkOfAnotherEdition {
        /// The edition whose GVLK ends with the partial key.
        installed: &'static str,
        /// The edition the Activation ID names.
        edition: &'static str,
        /// Its Activation ID (for `volact products <Activation ID> --gvlk`).
        activation_id: Option<&'static str>,
        /// Office (`ospp.vbs`) rather than Windows (`slmgr.vbs`).
        office: bool,
    },
    /// A retail, OEM or MAK key where a KMS client key belongs: the machine has a KMS host set
    /// or found, or KMS activation failed with 0xC004F074.
    KmsClientKeyNeeded {
        /// The key's channel.
        channel: KeyChannel,
        /// The edition, when the product table names it.
        edition: Option<&'static str>,
        /// Its Activation ID (for `volact products <Activation ID> --gvlk`).
        activation_id: Option<&'static str>,
        /// Office (`ospp.vbs`) rather than Windows (`slmgr.vbs`).
        office: bool,
    },
    /// A KMS host whose host key cannot activate the products newer host keys activate
    /// (their clients get 0xC004F042 or 0xC004F015).
    HostKeyCannotServe {
        /// The installed host key, with what it activates and what it cannot.
        host_key: HostKey,
        /// The newest host key of its kind, with the hosts it installs on and their updates.
        needs: &'static Group,
    },
    /// The product was activated by Active Directory-based activation (an activation object),
    /// so no KMS host counts it.
    ActivatedByAd,
    /// `slmgr /ao-list` shows an Active Directory activation object.
    AdActivationObject,
    /// 0xC004F081: no activation object in Active Directory for this product.
    AdObjectNotFound,
    /// 0xC004F083 or 0x80072030: the forest's schema is too old for AD-based activation.
    AdSchemaTooOld {
        /// The code printed.
        code: ErrorCode,
    },
    /// 0x8007007B on a retail key: AD-based activation only activates KMS client (GVLK) keys.
    AdRetailChannel,
}

/// The channel of a key that is not a KMS client key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyChannel {
    /// A retail key.
    Retail,
    /// An OEM key.
    Oem,
    /// A Multiple Activation Key.
    Mak,
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
            Diagnosis::GvlkInstalled { .. } => "gvlk-installed",
            Diagnosis::GvlkOfAnotherEdition { .. } => "gvlk-of-another-edition",
            Diagnosis::KmsClientKeyNeeded { .. } => "kms-client-key-needed",
            Diagnosis::HostKeyCannotServe { .. } => "host-key-cannot-serve",
            Diagnosis::ActivatedByAd => "activated-by-ad",
            Diagnosis::AdActivationObject => "ad-activation-object",
            Diagnosis::AdObjectNotFound => "ad-object-not-found",
            Diagnosis::AdSchemaTooOld { .. } => "ad-schema-too-old",
            Diagnosis::AdRetailChannel => "ad-retail-channel",
        }
    }
}

impl Diagnosis {
    /// The finding: its level, and the code this state produces or was caused by. What scan
    /// calls "attention" is [`Level::Warning`].
    pub fn finding(self) -> Finding<Diagnosis> {
        let level = match self {
            Diagnosis::Licensed { .. }
            | Diagnosis::KmsCountSufficient { .. }
            | Diagnosis::GvlkInstalled { .. } => Level::Ok,
            Diagnosis::KmsFailedRequests { .. }
            | Diagnosis::KmsDnsPublishingOff
            | Diagnosis::ActivatedByAd
            | Diagnosis::AdActivationObject => Level::Info,
            _ => Level::Warning,
        };
        let codes: Vec<u32> = match self {
            Diagnosis::Notification { reason } => {
                reason.map(ErrorCode::value).into_iter().collect()
            }
            Diagnosis::KmsHostNotFound => vec![0x8007_232B],
            Diagnosis::KmsCountBelowThreshold { .. } => vec![0xC004_F038],
            Diagnosis::KmsUnreachable => vec![KMS_UNREACHABLE],
            Diagnosis::ActivationFailed { code } | Diagnosis::AdSchemaTooOld { code } => {
                vec![code.value()]
            }
            Diagnosis::HostKeyCannotServe { .. } => vec![0xC004_F042, 0xC004_F015],
            Diagnosis::AdObjectNotFound => vec![AD_NO_OBJECT],
            Diagnosis::AdRetailChannel => vec![AD_RETAIL],
            _ => Vec::new(),
        };
        let f = Finding::new(self, level).with_codes(codes.into_iter().map(ErrorCode::new));
        self.commands()
            .into_iter()
            .fold(f, |f, (run, _)| f.with_command(run))
    }

    /// The commands this finding recommends, in order, each with the activation it performs
    /// (for rows whose elevation depends on it: `slmgr /ato`). Every one is a row of volact's
    /// commands table (tested for every kind).
    pub fn commands(&self) -> Vec<(String, Option<Case>)> {
        let one = |run: &str, case| vec![(run.to_owned(), case)];
        let kms_key = |office: bool| {
            if office {
                vec![
                    ("ospp.vbs /inpkey:<KMS client setup key>".to_owned(), None),
                    ("ospp.vbs /act".to_owned(), None),
                ]
            } else {
                vec![
                    ("slmgr.vbs /ipk <KMS client setup key>".to_owned(), None),
                    ("slmgr.vbs /ato".to_owned(), Some(Case::Kms)),
                ]
            }
        };
        match *self {
            Diagnosis::KmsClientNotActivated => one("slmgr.vbs /ato", Some(Case::Kms)),
            Diagnosis::KmsHostNotFound => one(
                &format!("slmgr.vbs /skms <kms-host>:{}", volact_core::kms::PORT),
                None,
            ),
            Diagnosis::KmsDnsPublishingOff => one("slmgr.vbs /sdns", None),
            Diagnosis::GvlkOfAnotherEdition { office, .. }
            | Diagnosis::KmsClientKeyNeeded { office, .. } => kms_key(office),
            Diagnosis::HostKeyCannotServe { .. } => vec![
                ("slmgr.vbs /ipk <KMS host key>".to_owned(), None),
                ("slmgr.vbs /ato".to_owned(), Some(Case::Online)),
            ],
            Diagnosis::AdObjectNotFound => {
                one("slmgr.vbs /ad-activation-online <KMS host key>", None)
            }
            Diagnosis::AdRetailChannel => vec![
                ("slmgr.vbs /ipk <KMS client setup key>".to_owned(), None),
                ("slmgr.vbs /ato".to_owned(), Some(Case::Ad)),
            ],
            _ => Vec::new(),
        }
    }

    /// [`Diagnosis::commands`] with their marks from the commands table (`{run, elevated,
    /// runs_on}`, as the JSON carries them).
    pub fn marked(&self) -> Vec<commands::Marked> {
        self.commands()
            .iter()
            .filter_map(|(run, case)| commands::mark(run, *case))
            .collect()
    }
}

/// 0xC004F081: no Active Directory activation object for this product.
const AD_NO_OBJECT: u32 = 0xC004_F081;

/// 0x8007007B on a retail key (the 8198 event of an AD-based activation attempt).
const AD_RETAIL: u32 = 0x8007_007B;

/// The schema is too old for AD-based activation (0xC004F083, 0x80072030).
const AD_SCHEMA: &[u32] = &[0xC004_F083, 0x8007_2030];

/// Codes of failed KMS activation that a wrong key type explains: a KMS host was looked for
/// (0xC004F074). Not 0xC004F069: on a retail product it says no volume (KMS client) SKU is
/// installed, so installing a GVLK would fail again; the product must be converted first.
const KMS_KEY_CODES: &[u32] = &[KMS_UNREACHABLE];

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
    if s.error_code.is_some_and(super::ospp::is_failure) {
        out.extend(attempt(s));
    } else {
        out.extend(kms_client(s));
    }
    out.extend(key(s));
    out.extend(ad(s));
    if let Some(h) = &s.kms_host {
        kms_host(h, &mut out);
    }
    out.extend(host_key(s));
    out.into_iter().map(Diagnosis::finding).collect()
}

/// Every code a snapshot printed: the attempt's error, the notification reason, ospp's KB notice.
fn codes(s: &Snapshot) -> impl Iterator<Item = u32> + '_ {
    [s.error_code, s.notification_reason, s.kb_notice]
        .into_iter()
        .flatten()
        .map(ErrorCode::value)
}

/// The channel of a key that is not a KMS client key, from the description's channel and the
/// `Product Key Channel:` line.
fn key_channel(s: &Snapshot) -> Option<KeyChannel> {
    let c = format!(
        "{} {}",
        s.channel.as_deref().unwrap_or(""),
        s.product_key_channel.as_deref().unwrap_or("")
    )
    .to_ascii_uppercase();
    if c.contains("MAK") {
        Some(KeyChannel::Mak)
    } else if c.contains("OEM") {
        Some(KeyChannel::Oem)
    } else if c.contains("RETAIL") {
        Some(KeyChannel::Retail)
    } else {
        None
    }
}

/// The installed key against the product table: this edition's GVLK, another edition's, or a
/// retail/OEM/MAK key where a KMS client key belongs.
fn key(s: &Snapshot) -> Option<Diagnosis> {
    let office = s.product == super::model::Product::Office;
    if let Some(installed) = s.gvlk_edition {
        let edition = s.edition.map(|e| e.product);
        return Some(match edition {
            Some(e) if e.name != installed => Diagnosis::GvlkOfAnotherEdition {
                installed,
                edition: e.name,
                activation_id: e.activation_id,
                office,
            },
            _ => Diagnosis::GvlkInstalled { edition: installed },
        });
    }
    let channel = key_channel(s)?;
    let host_set = s.kms_client.as_ref().is_some_and(|c| {
        c.registered_kms_name.is_some() || c.kms_name_from_dns.is_some() || c.kms_ip.is_some()
    });
    let kms_failed = codes(s).any(|c| KMS_KEY_CODES.contains(&c));
    (host_set || kms_failed).then_some(Diagnosis::KmsClientKeyNeeded {
        channel,
        edition: s.edition.map(|e| e.product.name),
        activation_id: s.edition.and_then(|e| e.product.activation_id),
        office,
    })
}

/// Active Directory-based activation: activated by an object, an object listed, or its codes.
fn ad(s: &Snapshot) -> Vec<Diagnosis> {
    let mut out = Vec::new();
    if s.ad_client.is_some() {
        out.push(
            if s.license_state.is_some() || s.service_version.is_some() {
                Diagnosis::ActivatedByAd
            } else {
                Diagnosis::AdActivationObject
            },
        );
    }
    let seen: Vec<u32> = codes(s).collect();
    if seen.contains(&AD_NO_OBJECT) {
        out.push(Diagnosis::AdObjectNotFound);
    }
    if let Some(c) = seen.iter().find(|c| AD_SCHEMA.contains(c)) {
        out.push(Diagnosis::AdSchemaTooOld {
            code: ErrorCode::new(*c),
        });
    }
    if seen.contains(&AD_RETAIL) && key_channel(s) == Some(KeyChannel::Retail) {
        out.push(Diagnosis::AdRetailChannel);
    }
    out
}

/// A KMS host whose host key older host keys of its kind outdo: which products it cannot serve.
fn host_key(s: &Snapshot) -> Option<Diagnosis> {
    let host_key = s.host_key?;
    let needs = host_key.newest()?;
    (!host_key.cannot_serve().is_empty())
        .then_some(Diagnosis::HostKeyCannotServe { host_key, needs })
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
    let ad = [AD_NO_OBJECT, AD_RETAIL].contains(&code.value()) || AD_SCHEMA.contains(&code.value());
    if ad && (code.value() != AD_RETAIL || key_channel(s) == Some(KeyChannel::Retail)) {
        // Said by the AD diagnoses.
        return None;
    }
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
