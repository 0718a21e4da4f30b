//! Parsers of the Info string and of separate Data items.
//!
//! The KMS events with a fixed field list (12288: 10 fields, 12289: 8, 12290: 9, 12293: 2) reach
//! volact in several layouts, and all of them give the same record:
//!
//! * the field list in one item (the "Info:" line Event Viewer shows; Vista-era hosts log 12290
//!   this way), joined with `,` (12290) or `", "` (12288, 12289);
//! * the fields as separate items, with or without one extra leading item; on a modern host that
//!   leading item (Data\[0\]) holds the whole list joined with `,`, so a 12290 has 10 items;
//! * the flattened form of tools such as EvtxECmd and Wazuh, which join every item with `", "`:
//!   a 10-item 12290 becomes one string of 18 comma fields, the nine fields twice.
//!
//! [`parse_data`] takes the items after the first when there is one item more than the layout
//! has fields and none of the others holds a comma; [`layout_fields`] turns every other layout
//! into the one field list the parsers read.

use thiserror::Error;

use super::{
    CLIENT_REQUEST, CLIENT_RESPONSE, ClientRequest, ClientResponse, DNS_PUBLISH_FAILED,
    DNS_PUBLISHED, DnsPublish, EventData, HOST_REQUEST, HostPort, HostRequest, LICENSING_STATUS,
    LicenseState, LicensingStatus, SLUI_FAILED, SluiFailed, StatusFlags, Timestamp, clip,
};
use crate::code::ErrorCode;
use crate::find;

/// Why an Info string or a set of Data items could not be read as the event it claims to be.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum InfoError {
    /// Nothing but white space.
    #[error("event {id}: the data is empty")]
    Empty {
        /// Event ID.
        id: u32,
    },
    /// The HRESULT field (field 0, or `hr=`) is missing or empty.
    #[error("event {id}: the result code (field 0) is missing")]
    MissingCode {
        /// Event ID.
        id: u32,
    },
    /// A field is present but not of the documented type.
    #[error("event {id}: field {index} ({field}) is not valid: {value:?}")]
    BadField {
        /// Event ID.
        id: u32,
        /// Zero-based index in the Info layout.
        index: usize,
        /// What the field should hold.
        field: &'static str,
        /// The value, cut to 64 characters.
        value: String,
    },
}

/// Number of fields of the Info layout of `id` (12288: 10, 12289: 8, 12290: 9, 12293: 2), if fixed.
pub(crate) fn layout_len(id: u32) -> Option<usize> {
    match id {
        CLIENT_REQUEST => Some(10),
        CLIENT_RESPONSE => Some(8),
        HOST_REQUEST => Some(9),
        DNS_PUBLISH_FAILED => Some(2),
        _ => None,
    }
}

/// Parses the comma-separated Info string of event `id` (as Event Viewer shows it under "Info:").
///
/// Tolerant of white space around fields and of missing trailing fields (they become `None`).
/// A flattened line holding the fields twice (see the module notes) reads as the fields once.
/// IDs without a documented layout give [`EventData::Other`] with the codes found in the text.
///
/// ```
/// use volact_core::event::{parse_info, EventData};
/// let d = parse_info(12289, "0x0,0x0,1,0,37,120,10080,2026/11/24 14:14").unwrap();
/// let EventData::ClientResponse(r) = d else { panic!() };
/// assert_eq!((r.activated, r.current_count), (Some(true), Some(37)));
/// ```
pub fn parse_info(id: u32, info: &str) -> Result<EventData, InfoError> {
    match layout_len(id) {
        Some(n) => {
            let mut buf = [""; MAX_SPLIT];
            parse_fields(id, layout_fields(n, &[info], false, &mut buf))
        }
        None => parse_free(id, info),
    }
}

/// Parses event `id` from its `<Data>` items, in any of the layouts of the module notes.
///
/// ```
/// use volact_core::event::{parse_data, EventData};
/// let list = "0x0,25,pc1,{5CD1D6D4-3D4B-4A65-9D1B-000000000001},2026/11/20 9:30,0,1,259200,\
///             2ffd8952-1b8b-4d2a-9b49-000000000002";
/// let mut items = vec![list];
/// items.extend(list.split(','));
/// let EventData::HostRequest(h) = parse_data(12290, &items).unwrap() else { panic!() };
/// assert_eq!(h.client.as_deref(), Some("pc1"));
/// assert_eq!(h.cmid.as_deref(), Some("5cd1d6d4-3d4b-4a65-9d1b-000000000001"));
/// // The same event as one Info line, and flattened by a tool: the same record.
/// assert_eq!(parse_data(12290, &[list]), parse_data(12290, &items));
/// let flat = items.join(", ");
/// assert_eq!(parse_data(12290, &[flat.as_str()]), parse_data(12290, &items));
/// ```
pub fn parse_data(id: u32, items: &[&str]) -> Result<EventData, InfoError> {
    let Some(n) = layout_len(id) else {
        return match id {
            DNS_PUBLISHED => {
                let domain = items
                    .iter()
                    .rev()
                    .map(|s| s.trim())
                    .find(|s| !s.is_empty() && !looks_hresult(s))
                    .map(clip);
                Ok(EventData::DnsPublished(DnsPublish { code: None, domain }))
            }
            _ => {
                // Free-form payloads: read the items as lines of one text.
                let mut joined = String::new();
                for it in items {
                    if joined.len() > 64 * 1024 {
                        break;
                    }
                    joined.push_str(it);
                    joined.push('\n');
                }
                parse_free(id, &joined)
            }
        };
    };
    let mut buf = [""; MAX_SPLIT];
    // One leading item, then one item per field (a modern host's 12290: the joined list, then
    // the nine fields): the items after the first are the fields, whatever the first holds.
    if items.len() == n + 1 && !items[1..].iter().any(|s| s.contains(',')) {
        for (slot, s) in buf.iter_mut().zip(&items[1..]) {
            *slot = s.trim();
        }
        return parse_fields(id, &buf[..n]);
    }
    parse_fields(id, layout_fields(n, items, true, &mut buf))
}

/// Most comma fields read from the items of one fixed-layout event (the longest layout twice,
/// with room to spare); anything after them is never a field.
const MAX_SPLIT: usize = 48;

/// The `n` fields of a fixed layout (fewer when the event is cut short), from `items` in any of
/// the layouts of the module notes. Every item is split at its commas into one list of trimmed
/// fields, then:
///
/// * the list holds the fields twice (a joined Data\[0\] and the separate items, whether a
///   tool flattened them or not): the fields once; where the two copies differ, the separate
///   items win;
/// * with `leading` (items, not an Info line, whose fields always start at 0): when the list
///   has one field more than the layout, that first field is the leading item; otherwise the
///   fields start at the first HRESULT among the first two fields (or at 0).
pub(crate) fn layout_fields<'a, 'b>(
    n: usize,
    items: &[&'a str],
    leading: bool,
    buf: &'b mut [&'a str; MAX_SPLIT],
) -> &'b [&'a str] {
    let mut len = 0;
    'items: for it in items {
        for f in it.split(',') {
            if len == MAX_SPLIT {
                break 'items;
            }
            buf[len] = f.trim();
            len += 1;
        }
    }
    let flat = &buf[..len];
    let twice = || flat[..n] == flat[n..2 * n];
    let start = match field_start(n, len, |i| looks_hresult(flat[i]), twice) {
        s if leading || s == n => s,
        _ => 0,
    };
    let end = (start + n).min(len);
    &buf[start..end]
}

/// Where the fields of a layout of `n` start in a list of `len` fields: the rule of
/// [`layout_fields`], with `hresult(i)` telling whether field `i` looks like an HRESULT and
/// `twice()` whether the first `2n` fields are the same `n` twice (asked only when there are
/// that many). The EVTX reader's fast lane decides the same way.
fn field_start(
    n: usize,
    len: usize,
    hresult: impl Fn(usize) -> bool,
    twice: impl FnOnce() -> bool,
) -> usize {
    if n >= 2 && len >= 2 * n && twice() {
        0
    } else if n >= 2 && len == 2 * n && hresult(n) {
        n
    } else if len == n + 1 {
        1
    } else if len > 0 && hresult(0) {
        0
    } else if len > 1 && hresult(1) {
        1
    } else {
        0
    }
}

/// Whether `s` looks like a logged HRESULT: `0x` followed by 1-8 hex digits.
pub(crate) fn looks_hresult(s: &str) -> bool {
    let s = s.trim();
    s.strip_prefix("0x")
        .or_else(|| s.strip_prefix("0X"))
        .is_some_and(|h| (1..=8).contains(&h.len()) && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

struct Fields<'a> {
    id: u32,
    f: &'a [&'a str],
}

impl<'a> Fields<'a> {
    fn get(&self, i: usize) -> Option<&'a str> {
        self.f
            .get(i)
            .copied()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    fn bad(&self, index: usize, field: &'static str, value: &str) -> InfoError {
        let value: String = value.chars().take(64).collect();
        InfoError::BadField {
            id: self.id,
            index,
            field,
            value,
        }
    }

    fn code(&self, i: usize) -> Result<ErrorCode, InfoError> {
        let v = self.get(i).ok_or(InfoError::MissingCode { id: self.id })?;
        hresult(v).ok_or_else(|| self.bad(i, "HRESULT", v))
    }

    fn flags(&self, i: usize) -> Result<Option<StatusFlags>, InfoError> {
        self.get(i)
            .map(|v| {
                let h = v
                    .strip_prefix("0x")
                    .or_else(|| v.strip_prefix("0X"))
                    .unwrap_or(v);
                u32::from_str_radix(h, 16)
                    .map(StatusFlags)
                    .map_err(|_| self.bad(i, "status flags", v))
            })
            .transpose()
    }

    fn num<T: std::str::FromStr>(
        &self,
        i: usize,
        what: &'static str,
    ) -> Result<Option<T>, InfoError> {
        self.get(i)
            .map(|v| v.parse::<T>().map_err(|_| self.bad(i, what, v)))
            .transpose()
    }

    fn flag(&self, i: usize, what: &'static str) -> Result<Option<bool>, InfoError> {
        self.get(i)
            .map(|v| match v.to_ascii_lowercase().as_str() {
                "0" | "false" | "no" => Ok(false),
                "1" | "true" | "yes" => Ok(true),
                _ => Err(self.bad(i, what, v)),
            })
            .transpose()
    }

    /// A field documented as unused by some sources: read when it is 0/1, else `None`.
    fn lenient_flag(&self, i: usize) -> Option<bool> {
        self.flag(i, "flag").ok().flatten()
    }

    fn state(&self, i: usize) -> Result<Option<LicenseState>, InfoError> {
        Ok(self
            .num::<u32>(i, "license state 0-6")?
            .map(LicenseState::from_number))
    }

    fn time(&self, i: usize) -> Result<Option<Timestamp>, InfoError> {
        self.get(i)
            .map(|v| Timestamp::parse(v).ok_or_else(|| self.bad(i, "client timestamp", v)))
            .transpose()
    }

    fn guid(&self, i: usize) -> Option<String> {
        self.get(i).map(normalise_guid)
    }

    fn text(&self, i: usize) -> Option<String> {
        self.get(i).map(clip)
    }
}

/// Lower case, without braces.
pub(crate) fn normalise_guid(s: &str) -> String {
    let s = s.trim();
    let s = s.strip_prefix('{').unwrap_or(s);
    let s = s.strip_suffix('}').unwrap_or(s);
    let mut out = clip(s);
    out.make_ascii_lowercase();
    out
}

/// Whether `s` is a GUID `8-4-4-4-12`, with or without braces.
pub(crate) fn is_guid(s: &str) -> bool {
    let s = s.trim();
    let s = s.strip_prefix('{').unwrap_or(s);
    let s = s.strip_suffix('}').unwrap_or(s);
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// An HRESULT as logged: `0xC004F074` (1-8 hex digits, never wrapped as Win32), `hr=0x…`, or any
/// form [`ErrorCode::parse`] accepts.
pub(crate) fn hresult(v: &str) -> Option<ErrorCode> {
    let v = v.trim();
    let v = v
        .strip_prefix("hr=")
        .or_else(|| v.strip_prefix("HR="))
        .unwrap_or(v)
        .trim();
    if let Some(h) = v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        let h = h.trim_start_matches('0');
        if h.len() > 8 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        return Some(ErrorCode::new(if h.is_empty() {
            0
        } else {
            u32::from_str_radix(h, 16).ok()?
        }));
    }
    ErrorCode::parse(v).ok()
}

fn parse_fields(id: u32, f: &[&str]) -> Result<EventData, InfoError> {
    if f.iter().all(|s| s.trim().is_empty()) {
        return Err(InfoError::Empty { id });
    }
    let x = Fields { id, f };
    Ok(match id {
        CLIENT_REQUEST => EventData::ClientRequest(ClientRequest {
            code: Some(x.code(0)?),
            status: x.flags(1)?,
            kms: x.get(2).and_then(HostPort::parse),
            cmid: x.guid(3),
            client_time: x.time(4)?,
            vm: x.lenient_flag(5),
            license_state: x.state(6)?,
            minutes_to_expiry: x.num(7, "minutes to expiry")?,
            activation_id: x.guid(8),
            min_count: x.num(9, "minimum count")?,
        }),
        CLIENT_RESPONSE => EventData::ClientResponse(ClientResponse {
            code: Some(x.code(0)?),
            status: x.flags(1)?,
            activated: x.flag(2, "activated flag 0/1")?,
            current_count: x.num(4, "current count")?,
            activation_interval: x.num(5, "activation interval (minutes)")?,
            renewal_interval: x.num(6, "renewal interval (minutes)")?,
            client_time: x.time(7)?,
        }),
        HOST_REQUEST => EventData::HostRequest(HostRequest {
            code: Some(x.code(0)?),
            min_count: x.num(1, "minimum count")?,
            client: x.text(2),
            cmid: x.guid(3),
            client_time: x.time(4)?,
            vm: x.flag(5, "VM flag 0/1")?,
            license_state: x.state(6)?,
            minutes_to_expiry: x.num(7, "minutes to expiry")?,
            activation_id: x.guid(8),
        }),
        DNS_PUBLISH_FAILED => EventData::DnsPublishFailed(DnsPublish {
            code: Some(x.code(0)?),
            domain: x.text(1),
        }),
        _ => unreachable!("parse_fields is only called for fixed layouts"),
    })
}

/// Finds `key=` (ASCII case-insensitive) in `s` and returns the value up to `;`, `,`, a quote or
/// white space.
fn key_value<'a>(s: &'a str, key: &str) -> Option<&'a str> {
    let lower = s.to_ascii_lowercase();
    let key = key.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find(&key) {
        let at = from + p;
        let before_ok = at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric();
        let start = at + key.len();
        if before_ok {
            let rest = &s[start..];
            let end = rest
                .find(|c: char| c == ';' || c == ',' || c == '"' || c.is_whitespace())
                .unwrap_or(rest.len());
            let v = &rest[..end];
            if !v.is_empty() {
                return Some(v);
            }
        }
        from = start;
    }
    None
}

/// Distinct codes in `text`, in order, without success codes (`0x00000000` fills status lists).
fn distinct_codes(text: &str) -> Vec<ErrorCode> {
    let mut out: Vec<ErrorCode> = Vec::new();
    find::find_codes_with(text, |f| {
        if f.code.value() != 0 && !out.contains(&f.code) {
            out.push(f.code);
        }
        out.len() < 256
    });
    out
}

fn parse_free(id: u32, text: &str) -> Result<EventData, InfoError> {
    if let Some(spp) = super::extra::parse(id, text) {
        return spp; // the Software Protection events of SPP_IDS (event/extra.rs)
    }
    if text.trim().is_empty() {
        // Events without data are normal for most IDs; only 8198 must carry its code.
        return match id {
            SLUI_FAILED => Err(InfoError::Empty { id }),
            DNS_PUBLISHED => Ok(EventData::DnsPublished(DnsPublish::default())),
            LICENSING_STATUS => Ok(EventData::LicensingStatus(LicensingStatus::default())),
            _ => Ok(EventData::Other { codes: Vec::new() }),
        };
    }
    Ok(match id {
        DNS_PUBLISHED => EventData::DnsPublished(DnsPublish {
            code: None,
            domain: Some(clip(text.trim().trim_matches(['\'', '"']))),
        }),
        SLUI_FAILED => {
            let code = match key_value(text, "hr=") {
                Some(v) => Some(hresult(v).ok_or_else(|| InfoError::BadField {
                    id,
                    index: 0,
                    field: "hr= HRESULT",
                    value: v.chars().take(64).collect(),
                })?),
                None => distinct_codes(text).first().copied(),
            };
            let rule_id = key_value(text, "RuleId=").map(normalise_guid);
            if code.is_none() && rule_id.is_none() {
                return Err(InfoError::MissingCode { id });
            }
            EventData::SluiFailed(SluiFailed {
                code,
                rule_id,
                action: key_value(text, "Action=").map(clip),
                app_id: key_value(text, "AppId=").map(normalise_guid),
                sku_id: key_value(text, "SkuId=").map(normalise_guid),
                trigger: key_value(text, "Trigger=").map(clip),
            })
        }
        LICENSING_STATUS => {
            // "Application Id=<GUID>" in the rendered message; the first Data item in the XML.
            let mut app_id = key_value(text, "Application Id=").map(normalise_guid);
            let mut skus: Vec<String> = Vec::new();
            for word in text.split(|c: char| !(c.is_ascii_hexdigit() || c == '-')) {
                if is_guid(word) {
                    let g = normalise_guid(word);
                    if app_id.is_none() {
                        app_id = Some(g);
                    } else if Some(&g) != app_id.as_ref() && !skus.contains(&g) && skus.len() < 256
                    {
                        skus.push(g);
                    }
                }
            }
            EventData::LicensingStatus(LicensingStatus {
                app_id,
                skus,
                codes: distinct_codes(text),
            })
        }
        _ => EventData::Other {
            codes: distinct_codes(text),
        },
    })
}

#[cfg(test)]
mod tests;
