//! `ospp.vbs /dstatus` and `/act` (Office): always English, upper-case labels, one block per
//! product. Read into the same [`Snapshot`] as slmgr output, with [`Product::Office`], so that
//! one diagnosis serves both.

use volact_core::ErrorCode;

use super::model::{KmsClient, LicenseState, Product, Snapshot, UNKNOWN_STATE};
use super::parse::{Section, SlmgrParser};
use super::rows::{CLIENT, after, apply, channel_of, first_number, some};

/// Words that mark ospp output.
/// `/dstatus` prints its status line for every product, `/act` its attempt line first (the
/// block filter hands the parsers the text around them: names and error lines come along).
pub(super) const MARKERS: &[&str] = &["LICENSE STATUS:", ATTEMPT];

/// What ospp prints to say an `/act` attempt starts.
const ATTEMPT: &str = "Installed product key detected - attempting to activate";

/// Reads an ospp line; returns whether it was one (ospp speaks English only).
pub(super) fn take(p: &mut SlmgrParser, t: &str, n: u64) -> bool {
    let hit = take_line(p, t, n);
    if hit {
        p.line_lang = Some(0);
    }
    hit
}

fn take_line(p: &mut SlmgrParser, t: &str, n: u64) -> bool {
    if t.starts_with(ATTEMPT) {
        start(p, n);
        p.attempt = true;
        return true;
    }
    if t.starts_with("PRODUCT ID:") {
        start(p, n);
        return true;
    }
    if let Some(v) = t.strip_prefix("SKU ID:") {
        if !fresh(p) {
            start(p, n);
        }
        let s = office(p, n);
        s.activation_id = some(v);
        return true;
    }
    if let Some(v) = t.strip_prefix("LICENSE NAME:") {
        if p.current.as_ref().is_none_or(|s| s.name.is_some()) {
            start(p, n);
        }
        office(p, n).name = some(v);
        return true;
    }
    let Some(s) = p.current.as_mut().filter(|s| s.product == Product::Office) else {
        return false;
    };
    field(s, t) || client(s, t)
}

/// Whether the current snapshot is an Office one still waiting for its product's lines.
fn fresh(p: &SlmgrParser) -> bool {
    p.current.as_ref().is_some_and(|s| {
        s.product == Product::Office && s.name.is_none() && s.activation_id.is_none()
    })
}

/// Closes what was read and opens an Office snapshot at line `n`.
fn start(p: &mut SlmgrParser, n: u64) {
    p.close();
    office(p, n);
}

/// The current snapshot, opened as Office when none is.
fn office(p: &mut SlmgrParser, n: u64) -> &mut Snapshot {
    p.section = Section::Main;
    let s = p.open(n);
    s.product = Product::Office;
    s
}

/// The product's own lines.
fn field(s: &mut Snapshot, t: &str) -> bool {
    if let Some(v) = t.strip_prefix("LICENSE DESCRIPTION:") {
        s.channel = channel_of(v);
        s.description = some(v);
    } else if let Some(v) = t.strip_prefix("LICENSE STATUS:") {
        s.license_state = Some(state(v));
        s.license_status = some(v);
    } else if let Some(v) = t.strip_prefix("REMAINING GRACE:") {
        let minutes = minutes(v);
        if s.license_state == Some(LicenseState::Licensed) {
            s.expiration_minutes = minutes;
            s.expiration = some(t);
        } else {
            s.time_remaining_minutes = minutes;
            s.time_remaining = some(v);
        }
    } else if let Some(v) = after(t, "Last 5 characters of installed product key:") {
        s.partial_product_key = some(v);
    } else if let Some(v) = t.strip_prefix("Activation Type Configuration:") {
        s.activation_type = some(v);
    } else if let Some(v) = t.strip_prefix("ERROR CODE:") {
        let code = code(v);
        if s.license_state == Some(LicenseState::Notification) {
            // ospp prints the notification reason as the status's error code.
            s.notification_reason = code;
        } else {
            s.error_code = code;
            if code.is_some_and(is_failure) {
                s.activation_succeeded = Some(false);
            }
        }
    } else if let Some(v) = t.strip_prefix("ERROR DESCRIPTION:") {
        s.error_description = some(v);
    } else if let Some(v) = t.strip_prefix("NOTICE: A KB article has been detected") {
        s.kb_notice = code(v);
    } else if let Some(v) = t.strip_prefix("FOR MORE INFORMATION PLEASE VISIT:") {
        s.more_info = some(v);
    } else if t.starts_with("<Product activation successful>") {
        s.activation_succeeded = Some(true);
    } else {
        return t.starts_with("BETA EXPIRATION:");
    }
    true
}

/// The KMS client lines ospp prints under the product (same words as slmgr's, plus its own).
fn client(s: &mut Snapshot, t: &str) -> bool {
    let mut c = s.kms_client.take().unwrap_or_default();
    let hit = if let Some(v) = after(t, "KMS machine registry override defined:") {
        c.registered_kms_name = some(v);
        true
    } else if let Some(v) = after(t, "KMS host caching:") {
        c.host_caching = Some(v.eq_ignore_ascii_case("enabled"));
        true
    } else {
        apply(CLIENT, &mut c, t, t)
    };
    if hit || c != KmsClient::default() {
        s.kms_client = Some(c);
    }
    hit
}

/// The state in `---LICENSED---`, `---OOB_GRACE---`, `---NOTIFICATIONS---`, ….
pub(super) fn state(v: &str) -> LicenseState {
    match v.trim().trim_matches('-').trim() {
        "LICENSED" => LicenseState::Licensed,
        "UNLICENSED" => LicenseState::Unlicensed,
        "OOB_GRACE" => LicenseState::OobGrace,
        "OOT_GRACE" => LicenseState::OotGrace,
        "NON_GENUINE_GRACE" => LicenseState::NonGenuineGrace,
        "NOTIFICATIONS" | "NOTIFICATION" => LicenseState::Notification,
        "EXTENDED_GRACE" => LicenseState::ExtendedGrace,
        _ => UNKNOWN_STATE,
    }
}

/// The minutes in `180 days  (259200 minute(s) before expiring)`; the days when no minutes are.
fn minutes(v: &str) -> Option<u64> {
    match v.split_once('(') {
        Some((_, m)) if m.contains("minute") => first_number(m),
        _ => first_number(v).and_then(|d| d.checked_mul(24 * 60)),
    }
}

/// The first code in a value.
fn code(v: &str) -> Option<ErrorCode> {
    volact_core::find::find_codes(v).first().map(|f| f.code)
}

/// Whether a code reports a failure (severity bit set), not a status such as 0x4004F00C.
pub(super) fn is_failure(c: ErrorCode) -> bool {
    c.value() & 0x8000_0000 != 0
}
