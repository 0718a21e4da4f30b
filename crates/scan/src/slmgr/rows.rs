//! The English lines slmgr prints and what each sets in a snapshot: tables of `(key, setter)`
//! rows, used by [`super::parse`] after a localised line was brought back to English
//! ([`super::labels`]).

use volact_core::ErrorCode;

use super::model::{AdClient, KmsClient, KmsHost, LicenseState, Snapshot, parse_state};

/// The value after `label` (ignoring ASCII case: ospp prints `Activation Interval:`).
pub(super) fn after<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let head = line.get(..label.len())?;
    head.eq_ignore_ascii_case(label)
        .then(|| line[label.len()..].trim())
}

pub(super) fn some(v: &str) -> Option<String> {
    let v = volact_core::key::redact_keys_in(v.trim()).into_owned();
    (!v.is_empty()).then_some(v)
}

pub(super) fn first_number(s: &str) -> Option<u64> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let digits: String = s[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The channel token before ` channel` (`VOLUME_KMSCLIENT`, `RETAIL`, `VOLUME_KMS_2012-R2_WIN10`,
/// …); `VOLUME-` typed for `VOLUME_` (seen in a retyped capture) reads as `VOLUME_`.
pub(super) fn channel_of(description: &str) -> Option<String> {
    let i = description.find(" channel")?;
    let word = description[..i].rsplit([' ', ',']).next()?;
    let ok = !word.is_empty()
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_' || c == '-');
    ok.then(|| match word.strip_prefix("VOLUME-") {
        Some(rest) => format!("VOLUME_{rest}"),
        None => word.to_owned(),
    })
}

/// Whether a line is what `/xpr` prints about the expiry or the state.
pub(super) fn is_xpr(t: &str) -> bool {
    t.contains("will expire")
        || t.starts_with("The machine is permanently activated")
        || t.contains("grace period ends")
        || t.contains("in Notification mode")
}

/// The license state an `/xpr` line states.
pub(super) fn xpr_state(t: &str) -> Option<LicenseState> {
    if t.starts_with("The machine is permanently activated") || t.contains("will expire") {
        Some(LicenseState::Licensed)
    } else if t.contains("in Notification mode") {
        Some(LicenseState::Notification)
    } else if t.starts_with("Initial grace") {
        Some(LicenseState::OobGrace)
    } else if t.starts_with("Additional grace") {
        Some(LicenseState::OotGrace)
    } else if t.starts_with("Non-genuine grace") {
        Some(LicenseState::NonGenuineGrace)
    } else if t.starts_with("Extended grace") {
        Some(LicenseState::ExtendedGrace)
    } else {
        None
    }
}

/// Lines that open a snapshot even without a `Name:` line before them.
pub(super) fn is_strong(t: &str) -> bool {
    [
        "License Status:",
        "Partial Product Key:",
        "Key Management Service is enabled on this machine",
        "Key Management Service client information",
    ]
    .iter()
    .any(|l| t.starts_with(l))
}

/// How a line is recognised.
#[derive(Clone, Copy)]
pub(super) enum Key {
    /// It starts with this label; the value follows it.
    Label(&'static str),
    /// It holds this text anywhere (a label without diagnostic value).
    Holds(&'static str),
    /// `… expiration:` (any kind but trusted time); the value follows `expiration:`.
    Expiration,
    /// `Remaining … rearm count:`; the value follows the first `:`.
    Rearm,
}

impl Key {
    /// The value the line gives, when it is this key's line.
    fn value(self, t: &str) -> Option<&str> {
        match self {
            Key::Label(label) => after(t, label),
            Key::Holds(what) => t.contains(what).then_some(""),
            Key::Expiration => (t.contains("expiration:") && !t.contains("Trusted"))
                .then(|| t.split_once("expiration:").map_or("", |x| x.1)),
            Key::Rearm => (t.starts_with("Remaining") && t.contains("rearm count:"))
                .then(|| t.split_once(':').map_or("", |x| x.1).trim()),
        }
    }
}

/// A line slmgr prints and what it sets: `(key, set(target, value, whole line as printed))`.
/// The first row whose key matches takes the line.
pub(super) type Row<T> = (Key, fn(&mut T, &str, &str));

/// The product's own lines (`Description:` to `Configured Activation Type:`).
pub(super) const PRODUCT: &[Row<Snapshot>] = &[
    (Key::Label("Description:"), |s, v, _| {
        s.channel = channel_of(v);
        s.description = some(v);
    }),
    (Key::Label("Activation ID:"), |s, v, _| {
        s.activation_id = some(v)
    }),
    (Key::Label("Application ID:"), |s, v, _| {
        s.application_id = some(v)
    }),
    (Key::Label("Extended PID:"), |s, v, _| {
        s.extended_pid = some(v)
    }),
    (Key::Label("Product Key Channel:"), |s, v, _| {
        s.product_key_channel = some(v)
    }),
    (Key::Label("Partial Product Key:"), |s, v, _| {
        s.partial_product_key = some(v)
    }),
    (Key::Label("License Status:"), |s, v, _| {
        s.license_state = Some(parse_state(v));
        s.license_status = some(v);
    }),
    (Key::Label("Notification Reason:"), |s, v, _| {
        s.notification_reason = volact_core::find::find_codes(v)
            .first()
            .map(|f| f.code)
            .or_else(|| ErrorCode::parse(v.trim().trim_end_matches('.')).ok());
    }),
    (Key::Expiration, |s, v, line| {
        s.expiration_minutes = first_number(v);
        s.expiration = some(line);
    }),
    (Key::Label("Time remaining:"), |s, v, _| {
        s.time_remaining_minutes = first_number(v);
        s.time_remaining = some(v);
    }),
    (Key::Rearm, |s, v, _| s.rearm_count = v.parse().ok()),
    (Key::Label("Trusted time:"), |s, v, _| {
        s.trusted_time = some(v)
    }),
    (Key::Label("Configured Activation Type:"), |s, v, _| {
        s.activation_type = some(v)
    }),
    (Key::Label("Please use slmgr.vbs /ato"), |s, _, _| {
        s.asks_for_ato = true
    }),
    // Known lines without diagnostic value.
    (Key::Label("Installation ID:"), |_, _, _| {}),
    (Key::Label("Use License URL:"), |_, _, _| {}),
    (Key::Label("Validation URL:"), |_, _, _| {}),
    (Key::Holds("Certificate URL:"), |_, _, _| {}),
];

/// The lines of the `Key Management Service client information` section.
pub(super) const CLIENT: &[Row<KmsClient>] = &[
    (Key::Label("Client Machine ID (CMID):"), |c, v, _| {
        c.cmid = some(v)
    }),
    (Key::Label("Registered KMS machine name:"), |c, v, _| {
        c.registered_kms_name = some(v)
    }),
    (
        Key::Label("Registered KMS SRV record lookup domain:"),
        |c, v, _| {
            c.srv_lookup_domain = some(v);
        },
    ),
    (Key::Label("KMS machine name from DNS:"), |c, v, _| {
        c.kms_name_from_dns = some(v)
    }),
    (
        Key::Label("DNS auto-discovery: KMS name not available"),
        |c, _, _| {
            c.dns_discovery_failed = true;
        },
    ),
    (Key::Label("KMS machine IP address:"), |c, v, _| {
        c.kms_ip = some(v)
    }),
    (Key::Label("KMS machine extended PID:"), |c, v, _| {
        c.kms_extended_pid = some(v)
    }),
    (Key::Label("Activation interval:"), |c, v, _| {
        c.activation_interval_minutes = first_number(v);
    }),
    (Key::Label("Renewal interval:"), |c, v, _| {
        c.renewal_interval_minutes = first_number(v)
    }),
    (Key::Label("KMS host caching is enabled"), |c, _, _| {
        c.host_caching = Some(true)
    }),
    (Key::Label("KMS host caching is disabled"), |c, _, _| {
        c.host_caching = Some(false)
    }),
];

/// The lines of the KMS host section.
pub(super) const HOST: &[Row<KmsHost>] = &[
    (Key::Label("Current count:"), |h, v, _| {
        h.current_count = first_number(v)
    }),
    (Key::Label("Listening on Port:"), |h, v, _| {
        h.listening_port = first_number(v).and_then(|p| u16::try_from(p).ok());
    }),
    (Key::Label("DNS publishing enabled"), |h, _, _| {
        h.dns_publishing = Some(true)
    }),
    (Key::Label("DNS publishing disabled"), |h, _, _| {
        h.dns_publishing = Some(false)
    }),
    (Key::Label("KMS priority:"), |h, v, _| h.priority = some(v)),
    (Key::Label("Total requests received:"), |h, v, _| {
        h.total_requests = first_number(v)
    }),
    (Key::Label("Failed requests received:"), |h, v, _| {
        h.failed_requests = first_number(v)
    }),
    (Key::Label("Requests with License Status "), |h, rest, _| {
        if let Some((status, count)) = rest.rsplit_once(':')
            && let Some(c) = first_number(count)
        {
            h.requests_by_status.push((status.trim().to_owned(), c));
        }
    }),
];

/// The lines of the `AD Activation client information` section.
pub(super) const AD: &[Row<AdClient>] = &[
    (Key::Label("AO DN:"), |a, v, _| a.ao_dn = some(v)),
    (Key::Label("AO extended PID:"), |a, v, _| {
        a.ao_extended_pid = some(v)
    }),
    (Key::Label("AO activation ID:"), |a, v, _| {
        a.ao_activation_id = some(v)
    }),
];

/// Applies the first row of `rows` that matches line `t` to `target`; returns whether one did.
/// `t` is the line in English, `printed` as it was printed.
pub(super) fn apply<T>(rows: &[Row<T>], target: &mut T, t: &str, printed: &str) -> bool {
    for (key, set) in rows {
        if let Some(v) = key.value(t) {
            set(target, v, printed);
            return true;
        }
    }
    false
}
