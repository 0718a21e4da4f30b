//! Parsers of the Info string and of separate Data items.

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
/// IDs without a documented layout give [`EventData::Other`] with the codes found in the text.
///
/// ```
/// use volact_core::event::{parse_info, EventData};
/// let d = parse_info(12289, "0x0,0x0,1,0,37,120,10080,2026/11/24 14:14").unwrap();
/// let EventData::ClientResponse(r) = d else { panic!() };
/// assert_eq!((r.activated, r.current_count), (Some(true), Some(37)));
/// ```
pub fn parse_info(id: u32, info: &str) -> Result<EventData, InfoError> {
    match id {
        CLIENT_REQUEST | CLIENT_RESPONSE | HOST_REQUEST | DNS_PUBLISH_FAILED => {
            let n = layout_len(id).unwrap_or(0);
            let fields: Vec<&str> = info.splitn(n + 1, ',').take(n).map(str::trim).collect();
            parse_fields(id, &fields)
        }
        _ => parse_free(id, info),
    }
}

/// Parses event `id` from its separate `<Data>` items, with or without the undocumented `Data[0]`.
///
/// Accepts the whole Info string in one item too (12288 and 12289 are logged that way).
///
/// ```
/// use volact_core::event::{parse_data, EventData};
/// let items = ["1", "0x0", "25", "pc1", "{5CD1D6D4-3D4B-4A65-9D1B-000000000001}", "2026/11/20 9:30",
///              "0", "1", "259200", "2ffd8952-1b8b-4d2a-9b49-000000000002"];
/// let EventData::HostRequest(h) = parse_data(12290, &items).unwrap() else { panic!() };
/// assert_eq!(h.client.as_deref(), Some("pc1"));
/// assert_eq!(h.cmid.as_deref(), Some("5cd1d6d4-3d4b-4a65-9d1b-000000000001"));
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
    // One item holding the whole comma list (possibly after Data[0]).
    if n > 2
        && let Some(list) = items.iter().find(|s| s.matches(',').count() >= 2)
    {
        return parse_info(id, list);
    }
    let start = if items.len() == n + 1 {
        1
    } else if items.first().is_some_and(|s| looks_hresult(s)) {
        0
    } else if items.get(1).is_some_and(|s| looks_hresult(s)) {
        1
    } else {
        0
    };
    // n is at most 10 (the fixed layouts): no allocation.
    let mut fields = [""; 16];
    let mut len = 0;
    for (slot, s) in fields.iter_mut().zip(items.iter().skip(start).take(n)) {
        *slot = s.trim();
        len += 1;
    }
    parse_fields(id, &fields[..len])
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
mod tests {
    use super::*;

    const CMID: &str = "5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11";
    const ACT: &str = "2ffd8952-423e-4903-b993-72a1aa44cf82";

    #[test]
    fn client_request_full_and_short() {
        let info = format!(
            "0xC004F06C,  0x0, kms01.contoso.com:1688, {{{}}}, 2026/11/24 14:14, 0, 2, 43200, {ACT}, 25",
            CMID.to_uppercase()
        );
        let EventData::ClientRequest(r) = parse_info(12288, &info).unwrap() else {
            panic!()
        };
        assert_eq!(r.code, Some(ErrorCode::new(0xC004_F06C)));
        assert_eq!(r.status, Some(StatusFlags(0)));
        assert_eq!(
            r.kms.as_ref().unwrap().to_string(),
            "kms01.contoso.com:1688"
        );
        assert_eq!(r.cmid.as_deref(), Some(CMID));
        assert_eq!(r.client_time.unwrap().to_string(), "2026-11-24T14:14:00");
        assert_eq!(r.vm, Some(false));
        assert_eq!(r.license_state, Some(LicenseState::OobGrace));
        assert_eq!(r.minutes_to_expiry, Some(43200));
        assert_eq!(r.activation_id.as_deref(), Some(ACT));
        assert_eq!(r.min_count, Some(25));
        // The F06C sample ends with an empty field 9; shorter lists lose trailing fields only.
        let short = format!("0x0, 0x0, kms:1688, {CMID}, 2026/11/24 14:14, 0, 1, 259200, {ACT}, ");
        let EventData::ClientRequest(r) = parse_info(12288, &short).unwrap() else {
            panic!()
        };
        assert_eq!(
            (r.min_count, r.license_state),
            (None, Some(LicenseState::Licensed))
        );
        let EventData::ClientRequest(r) = parse_info(12288, "0x800706BA").unwrap() else {
            panic!()
        };
        assert_eq!((r.code.unwrap().value(), r.kms), (0x8007_06BA, None));
    }

    #[test]
    fn client_response() {
        let EventData::ClientResponse(r) = parse_info(
            12289,
            " 0x0 , 0x4000008 , 0 , 0 , 3 , 120 , 10080 , 2026/11/24 14:14 ",
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(r.status.unwrap().names().len(), 2);
        assert_eq!(r.activated, Some(false));
        assert_eq!(r.current_count, Some(3));
        assert_eq!(
            (r.activation_interval, r.renewal_interval),
            (Some(120), Some(10080))
        );
    }

    #[test]
    fn host_request_info_and_data() {
        let info =
            format!("0x0, 5, srv1.contoso.com, {CMID}, 2026/11/24 14:14, 1, 1, 259200, {ACT}");
        let a = parse_info(12290, &info).unwrap();
        let items: Vec<&str> = info.split(',').collect();
        assert_eq!(parse_data(12290, &items).unwrap(), a);
        let mut with0 = vec!["xyz"];
        with0.extend(&items);
        assert_eq!(parse_data(12290, &with0).unwrap(), a);
        assert_eq!(parse_data(12290, &["0", info.as_str()]).unwrap(), a);
        let EventData::HostRequest(h) = a else {
            panic!()
        };
        assert_eq!(h.vm, Some(true));
        assert_eq!(h.min_count, Some(5));
        assert_eq!(h.client.as_deref(), Some("srv1.contoso.com"));
        // Truncated items keep what is there.
        let EventData::HostRequest(h) = parse_data(12290, &["0xC004F038", "25", "pc"]).unwrap()
        else {
            panic!()
        };
        assert_eq!((h.client.as_deref(), h.cmid), (Some("pc"), None));
    }

    #[test]
    fn errors_say_what_and_where() {
        assert_eq!(parse_info(12290, "  "), Err(InfoError::Empty { id: 12290 }));
        assert_eq!(
            parse_info(12288, ", 0x0, kms"),
            Err(InfoError::MissingCode { id: 12288 })
        );
        let e = parse_info(12290, "0x0, many, pc").unwrap_err();
        assert_eq!(
            e.to_string(),
            "event 12290: field 1 (minimum count) is not valid: \"many\""
        );
        assert!(matches!(
            parse_info(12288, "0xZZ"),
            Err(InfoError::BadField { index: 0, .. })
        ));
        assert!(matches!(
            parse_info(12289, "0x0,0x0,1,0,5,120,10080,yesterday"),
            Err(InfoError::BadField { index: 7, .. })
        ));
    }

    #[test]
    fn dns_events() {
        assert_eq!(
            parse_info(12293, "0x8007232B, contoso.com").unwrap(),
            EventData::DnsPublishFailed(DnsPublish {
                code: Some(ErrorCode::new(0x8007_232B)),
                domain: Some("contoso.com".into())
            })
        );
        assert_eq!(
            parse_data(12293, &["x", "0x80072338", "corp.example"]).unwrap(),
            parse_info(12293, "0x80072338,corp.example").unwrap()
        );
        assert_eq!(
            parse_data(12294, &["contoso.com"]).unwrap(),
            EventData::DnsPublished(DnsPublish {
                code: None,
                domain: Some("contoso.com".into())
            })
        );
    }

    #[test]
    fn slui_8198() {
        let items = [
            "hr=0xC004F074",
            "RuleId=eeba1977-569e-4571-b639-7623d8bfecc0;Action=AutoActivate;AppId=55c92734-d682-4d71-983e-d6ec3f16059f;SkuId=1cb6d605-11b3-4e14-bb30-da91c8e3983a;NotificationInterval=1440;Trigger=TimerEvent",
        ];
        let EventData::SluiFailed(s) = parse_data(8198, &items).unwrap() else {
            panic!()
        };
        assert_eq!(s.code, Some(ErrorCode::new(0xC004_F074)));
        assert_eq!(
            s.rule_id.as_deref(),
            Some("eeba1977-569e-4571-b639-7623d8bfecc0")
        );
        assert_eq!(s.action.as_deref(), Some("AutoActivate"));
        assert_eq!(
            s.sku_id.as_deref(),
            Some("1cb6d605-11b3-4e14-bb30-da91c8e3983a")
        );
        assert_eq!(s.trigger.as_deref(), Some("TimerEvent"));
        assert_eq!(
            parse_info(8198, "nothing here"),
            Err(InfoError::MissingCode { id: 8198 })
        );
    }

    #[test]
    fn licensing_status_1003() {
        let text = "Application Id=55c92734-d682-4d71-983e-d6ec3f16059f\nLicensing Status=\n\
                    1: 040fa323-92b1-4baf-97a2-5b67feaefddb, 1, 0 [(0 [0xC004F014, 0, 0], [(?)(?)(?)(?)(?)(?)])]\n\
                    2: 0724cb7d-3437-4cb7-93cb-830375d0079d, 1, 0 [(0 [0xC004F014, 0, 0], [(?)(?)])]\n";
        let EventData::LicensingStatus(l) = parse_info(1003, text).unwrap() else {
            panic!()
        };
        assert_eq!(
            l.app_id.as_deref(),
            Some("55c92734-d682-4d71-983e-d6ec3f16059f")
        );
        assert_eq!(l.skus.len(), 2);
        assert_eq!(l.codes, [ErrorCode::new(0xC004_F014)]);
        // The XML form: the application ID is the first Data item; 0x00000000 is not a finding.
        let EventData::LicensingStatus(l) = parse_data(
            1003,
            &[
                "<string>55c92734-d682-4d71-983e-d6ec3f16059f</string>",
                "<string>1: 2b1f36bb-c1cd-4306-bf5c-a0367c2d97d8, 1, 1 [(2 [0xC004E003, 0, 0], [( 1 0xC004F034)])(3 [0x00000000, 0, 0])]</string>",
            ],
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(
            l.app_id.as_deref(),
            Some("55c92734-d682-4d71-983e-d6ec3f16059f")
        );
        assert_eq!(l.skus, ["2b1f36bb-c1cd-4306-bf5c-a0367c2d97d8"]);
        assert_eq!(
            l.codes,
            [ErrorCode::new(0xC004_E003), ErrorCode::new(0xC004_F034)]
        );
    }

    #[test]
    fn other_ids_keep_codes() {
        assert_eq!(
            parse_data(16394, &["x 0xC004F034 y 0xC004F034", "0xC004E003"]).unwrap(),
            EventData::Other {
                codes: vec![ErrorCode::new(0xC004_F034), ErrorCode::new(0xC004_E003)]
            }
        );
    }

    #[test]
    fn hresult_forms() {
        assert_eq!(hresult("0x0"), Some(ErrorCode::new(0)));
        assert_eq!(hresult("0x6BA"), Some(ErrorCode::new(0x6BA)));
        assert_eq!(hresult("hr=0xC004F074"), Some(ErrorCode::new(0xC004_F074)));
        assert_eq!(hresult("-1073418124"), Some(ErrorCode::new(0xC004_F074)));
        assert_eq!(hresult("0x1C004F074"), None);
        assert!(is_guid("{5CD1D6D4-3D4B-4A65-9D1B-6F8E2F0C1A11}"));
        assert!(!is_guid("5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a1"));
    }
}
