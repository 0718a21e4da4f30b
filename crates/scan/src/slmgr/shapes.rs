//! Values read by their shape when no label table knows the line's label (a language volact has
//! no table for, or a label a table lacks): GUIDs, the five-character partial key, channel tokens,
//! `host:port`, IP addresses, codes, minutes and counts. Only inside a snapshot (a channel
//! description may open one), only into fields still empty, and never in output whose labels
//! are all English (there every label is known, so an unknown line is something else). Each
//! field filled this way is listed in [`Snapshot::read_by_shape`].

use volact_core::ErrorCode;

use super::labels;
use super::model::{LicenseState, Snapshot};
use super::parse::{Section, SlmgrParser};
use super::rows::{channel_of, first_number, some};

/// The application IDs of Windows and Office (the same on every machine).
const APPLICATION_IDS: &[&str] = &[
    "55c92734-d682-4d71-983e-d6ec3f16059f",
    "0ff1ce15-a989-479d-af46-f275c6370663",
];

/// The characters of a product key.
const KEY_CHARS: &str = "BCDFGHJKMNPQRTVWXY2346789";

/// Reads line `t` by the shape of its value; returns whether it gave anything.
pub(super) fn take(p: &mut SlmgrParser, t: &str, printed: &str, n: u64) -> bool {
    let relied = p
        .current
        .as_ref()
        .is_some_and(|s| !s.read_by_shape.is_empty());
    if p.english_only() && !relied {
        return false;
    }
    let value = value_of(t);
    if p.current.is_none() {
        if channel_of(value).is_none() {
            return false;
        }
        // The line before may have named the product (`<label>: Windows(R), … edition`).
        let name = p.previous.take().filter(|l| is_name(value_of(l)));
        let first = if name.is_some() {
            n.saturating_sub(1).max(1)
        } else {
            n
        };
        let s = p.open(first);
        if let Some(l) = name {
            s.name = some(value_of(&l));
            s.read_by_shape.push("name");
        }
    }
    let section = p.section;
    let Some(s) = p.current.as_mut() else {
        return false;
    };
    let field = match section {
        Section::Main => main(s, value, printed),
        Section::Client => client(s, value),
        Section::Host => host(s, t, value),
        Section::Ad => None,
    };
    match field {
        Some(f) => {
            s.read_by_shape.push(f);
            true
        }
        None => false,
    }
}

/// The value of a `label: value` line (the whole line when it has no label).
fn value_of(t: &str) -> &str {
    match t.split_once(':') {
        Some((label, v)) if label.chars().count() <= 80 && !v.starts_with("//") => v.trim(),
        _ => t.trim(),
    }
}

/// A product line: codes, GUIDs, channel, name, partial key, minutes.
fn main(s: &mut Snapshot, v: &str, printed: &str) -> Option<&'static str> {
    if let Some(code) = code(v) {
        if s.license_state == Some(LicenseState::Notification) && s.notification_reason.is_none() {
            s.notification_reason = Some(code);
            return Some("notification_reason");
        }
        return None;
    }
    if is_guid(v) {
        let id = v.trim_matches(['{', '}']).to_ascii_lowercase();
        if APPLICATION_IDS.contains(&id.as_str()) {
            return set(&mut s.application_id, v, "application_id");
        }
        return set(&mut s.activation_id, v, "activation_id");
    }
    if s.channel.is_none()
        && let Some(c) = channel_of(v)
    {
        s.channel = Some(c);
        s.description = some(v);
        return Some("channel");
    }
    if is_name(v) {
        return set(&mut s.name, v, "name");
    }
    if v.len() == 5 && v.chars().all(|c| KEY_CHARS.contains(c)) {
        return set(&mut s.partial_product_key, v, "partial_product_key");
    }
    let m = minutes(v)?;
    if s.license_state == Some(LicenseState::Licensed) && s.expiration_minutes.is_none() {
        s.expiration_minutes = Some(m);
        s.expiration = some(printed);
        Some("expiration_minutes")
    } else if s.time_remaining_minutes.is_none() {
        s.time_remaining_minutes = Some(m);
        s.time_remaining = some(v);
        Some("time_remaining_minutes")
    } else {
        None
    }
}

/// A KMS client line: CMID, KMS host, its address, the two intervals.
fn client(s: &mut Snapshot, v: &str) -> Option<&'static str> {
    let c = s.kms_client.get_or_insert_with(Default::default);
    if is_guid(v) {
        return set(&mut c.cmid, v, "cmid");
    }
    if v.parse::<std::net::IpAddr>().is_ok() {
        return set(&mut c.kms_ip, v, "kms_ip");
    }
    if is_host_port(v) && c.registered_kms_name.is_none() {
        return set(&mut c.kms_name_from_dns, v, "kms_name_from_dns");
    }
    let m = minutes(v)?;
    first_empty(
        &mut [
            (
                &mut c.activation_interval_minutes,
                "activation_interval_minutes",
            ),
            (&mut c.renewal_interval_minutes, "renewal_interval_minutes"),
        ],
        m,
    )
}

/// A KMS host line holding one number: the counters in the order slmgr prints them.
fn host(s: &mut Snapshot, t: &str, v: &str) -> Option<&'static str> {
    if !v.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: u64 = v.parse().ok()?;
    let h = s.kms_host.get_or_insert_with(Default::default);
    if h.current_count.is_some() && h.listening_port.is_none() && h.total_requests.is_none() {
        h.listening_port = u16::try_from(n).ok();
        return Some("listening_port");
    }
    let counter = first_empty(
        &mut [
            (&mut h.current_count, "current_count"),
            (&mut h.total_requests, "total_requests"),
            (&mut h.failed_requests, "failed_requests"),
        ],
        n,
    );
    counter.or_else(|| {
        let label = t.split_once(':').map_or(t, |x| x.0).trim();
        let label: String = label.chars().take(120).collect();
        h.requests_by_status
            .push((some(&label).unwrap_or_default(), n));
        Some("requests_by_status")
    })
}

/// Sets the first empty slot to `n`; its name when one was empty.
fn first_empty(slots: &mut [(&mut Option<u64>, &'static str)], n: u64) -> Option<&'static str> {
    let (slot, name) = slots.iter_mut().find(|(s, _)| s.is_none())?;
    **slot = Some(n);
    Some(*name)
}

/// Whether a value names a product (`Windows(R), Enterprise edition`, `Office 16, … edition`).
fn is_name(v: &str) -> bool {
    v.ends_with(" edition") && v.contains(',')
}

/// Sets an empty field to `v`; the field's name when it did.
fn set(field: &mut Option<String>, v: &str, name: &'static str) -> Option<&'static str> {
    if field.is_some() {
        return None;
    }
    *field = some(v);
    field.is_some().then_some(name)
}

/// The code a value holds (`0xC004F056`).
fn code(v: &str) -> Option<ErrorCode> {
    volact_core::find::find_codes(v).first().map(|f| f.code)
}

/// Whether a value is a GUID (with or without braces).
pub(super) fn is_guid(v: &str) -> bool {
    let g = v.trim_matches(['{', '}']);
    let parts: Vec<&str> = g.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, len)| p.len() == len && p.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Whether a value is `host:port`.
fn is_host_port(v: &str) -> bool {
    let Some((host, port)) = v.rsplit_once(':') else {
        return false;
    };
    !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '[' | ']' | ':'))
        && port.parse::<u16>().is_ok_and(|p| p > 0)
}

/// The minutes in a value like `259200 minute(s)` or `120 分钟` (any table's minutes word).
fn minutes(v: &str) -> Option<u64> {
    let n = first_number(v)?;
    let start = v.find(|c: char| c.is_ascii_digit())?;
    let rest = v[start..].trim_start_matches(|c: char| c.is_ascii_digit());
    labels::is_minutes_word(rest).then_some(n)
}
