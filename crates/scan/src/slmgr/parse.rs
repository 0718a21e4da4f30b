//! The reader of slmgr output: a small state machine fed one line at a time
//! ([`SlmgrParser::push_line`]), so it works on streams and on text mixed with other log lines.
//! A snapshot starts at `Name:` (or the `Software licensing service version:` line that `/dlv`
//! prints first) and collects the labels that follow; unknown lines are ignored, and a stretch of
//! unrelated lines ends the snapshot.

use volact_core::ErrorCode;

use super::model::{KmsClient, KmsHost, LicenseState, Snapshot, parse_state};

/// Lines without any slmgr label after which an open snapshot is closed.
const MAX_GAP: u32 = 12;

/// Reads slmgr output line by line.
#[derive(Debug, Default)]
pub struct SlmgrParser {
    current: Option<Snapshot>,
    section: Section,
    gap: u32,
    /// The line before, when it may be a product name printed by `/xpr` (`Windows(R), … edition:`).
    xpr_name: Option<String>,
    done: Vec<Snapshot>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum Section {
    #[default]
    Main,
    Client,
    Host,
}

fn after<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(label)?;
    Some(rest.trim())
}

fn some(v: &str) -> Option<String> {
    let v = volact_core::key::redact_keys_in(v.trim()).into_owned();
    (!v.is_empty()).then_some(v)
}

fn first_number(s: &str) -> Option<u64> {
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let digits: String = s[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn channel_of(description: &str) -> Option<String> {
    let i = description.find(" channel")?;
    let word = description[..i].rsplit([' ', ',']).next()?;
    let ok = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    ok.then(|| word.to_owned())
}

/// Whether a line is what `/xpr` prints about the expiry or the state.
fn is_xpr(t: &str) -> bool {
    t.contains("will expire")
        || t.starts_with("The machine is permanently activated")
        || t.contains("grace period ends")
        || t.contains("in Notification mode")
}

/// The license state an `/xpr` line states.
fn xpr_state(t: &str) -> Option<LicenseState> {
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
fn is_strong(t: &str) -> bool {
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
enum Key {
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

/// A line slmgr prints and what it sets: `(key, set(target, value, whole line))`. The first row
/// whose key matches takes the line.
type Row<T> = (Key, fn(&mut T, &str, &str));

/// The product's own lines (`Description:` to `Configured Activation Type:`).
const PRODUCT: &[Row<Snapshot>] = &[
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
const CLIENT: &[Row<KmsClient>] = &[
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
const HOST: &[Row<KmsHost>] = &[
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

/// Applies the first row of `rows` that matches line `t` to `target`; returns whether one did.
fn apply<T>(rows: &[Row<T>], target: &mut T, t: &str) -> bool {
    for (key, set) in rows {
        if let Some(v) = key.value(t) {
            set(target, v, t);
            return true;
        }
    }
    false
}

impl SlmgrParser {
    /// A new parser.
    pub fn new() -> Self {
        Self::default()
    }

    fn close(&mut self) {
        if let Some(s) = self.current.take()
            && s.is_meaningful()
        {
            self.done.push(s);
        }
        self.section = Section::Main;
        self.gap = 0;
    }

    fn open(&mut self, line_no: u64) -> &mut Snapshot {
        self.current.get_or_insert_with(|| Snapshot {
            line: line_no,
            end_line: line_no,
            ..Snapshot::default()
        })
    }

    /// Feeds one line (with or without its line break).
    pub fn push_line(&mut self, line: &str, line_no: u64) {
        let t = line.trim();
        if t.is_empty() {
            return;
        }
        if !self.take(t, line_no) {
            self.gap += 1;
            if self.gap > MAX_GAP {
                self.close();
            }
            // A possible /xpr product line: ends with ':' and names an edition.
            self.xpr_name =
                (t.ends_with(':') && t.len() < 200).then(|| t[..t.len() - 1].to_owned());
        } else {
            self.gap = 0;
            if let Some(s) = self.current.as_mut() {
                s.end_line = line_no;
            }
        }
    }

    /// Handles a line; returns whether it was slmgr output.
    fn take(&mut self, t: &str, n: u64) -> bool {
        if self.take_start(t, n) || self.take_xpr(t, n) {
            return true;
        }
        if self.current.is_none() && !is_strong(t) {
            return false;
        }
        let section = self.section;
        let s = self.open(n);
        if apply(PRODUCT, s, t) {
            true
        } else if t.starts_with("Key Management Service client information") {
            s.kms_client.get_or_insert_with(KmsClient::default);
            self.section = Section::Client;
            true
        } else if t.starts_with("Key Management Service is enabled on this machine")
            || t.starts_with("Key Management Service cumulative requests")
        {
            s.kms_host.get_or_insert_with(KmsHost::default);
            self.section = Section::Host;
            true
        } else if section == Section::Client || t.starts_with("Client Machine ID") {
            apply(
                CLIENT,
                s.kms_client.get_or_insert_with(KmsClient::default),
                t,
            )
        } else if section == Section::Host {
            apply(HOST, s.kms_host.get_or_insert_with(KmsHost::default), t)
        } else {
            false
        }
    }

    /// The lines that start a snapshot: `Software licensing service version:` and `Name:`.
    fn take_start(&mut self, t: &str, n: u64) -> bool {
        if let Some(v) = after(t, "Software licensing service version:") {
            self.close();
            self.open(n).service_version = some(v);
            return true;
        }
        if let Some(v) = after(t, "Name:") {
            let keep = self
                .current
                .as_ref()
                .is_some_and(|s| s.name.is_none() && s.license_status.is_none());
            if !keep {
                self.close();
            }
            self.open(n).name = some(v);
            self.section = Section::Main;
            return true;
        }
        false
    }

    /// What `/xpr` prints: one snapshot of its own, named by the line before when it can be.
    fn take_xpr(&mut self, t: &str, n: u64) -> bool {
        let open = self
            .current
            .as_ref()
            .is_none_or(|s| s.license_status.is_some());
        if !(is_xpr(t) && open) {
            return false;
        }
        let name = self.xpr_name.take();
        self.close();
        let first = if name.is_some() {
            n.saturating_sub(1).max(1)
        } else {
            n
        };
        let s = self.open(first);
        s.name = name.as_deref().and_then(some);
        s.end_line = n;
        s.xpr = some(t);
        if let Some(state) = xpr_state(t) {
            s.license_state = Some(state);
        }
        self.close();
        true
    }

    /// Closes the snapshot being read (at the end of an input or a gap in it).
    pub fn flush(&mut self) {
        self.close();
        self.xpr_name = None;
    }

    /// Takes the snapshots completed so far.
    pub fn take_done(&mut self) -> Vec<Snapshot> {
        std::mem::take(&mut self.done)
    }

    /// Ends the input and returns every snapshot.
    pub fn finish(mut self) -> Vec<Snapshot> {
        self.flush();
        self.done
    }
}

/// Parses a whole text (convenience for tests and the HTTP server).
pub fn parse(text: &str) -> Vec<Snapshot> {
    let mut p = SlmgrParser::new();
    for (i, line) in text.lines().enumerate() {
        p.push_line(line, i as u64 + 1);
    }
    p.finish()
}
