//! Payloads of the Software Protection events of [`SPP_IDS`](super::SPP_IDS) (8196, 8230, 8233,
//! 1058, 16384, 12308, 8213-8215, 12309, 12310, 12320).
//!
//! The same event reaches this module in three shapes: separate `<Data>` items (one per line),
//! the rendered message of an Event Viewer copy (`Sku Id = …` lines), or one item holding every
//! insertion string joined with `", "` (EvtxECmd, Wazuh). Labelled values are read first; without
//! labels the items are read by position, and by shape (a code, a GUID, a distinguished name)
//! where the joined form leaves the positions unclear. A missing field is `None`, never an error.

use super::info::{InfoError, hresult, is_guid, looks_hresult, normalise_guid};
use super::*;

/// At most this many items are read from one event.
const MAX_ITEMS: usize = 16;

/// The payload of `id` when it is one of [`SPP_IDS`]; `None` for any other ID.
pub(super) fn parse(id: u32, text: &str) -> Option<Result<EventData, InfoError>> {
    let t = Text::new(text);
    let ev = match id {
        AUTO_ACTIVATION_FAILED => SppEvent::AutoActivationFailed {
            code: t.code(&["Error code"], 0),
        },
        ACPI_KEY_FAILED => SppEvent::AcpiKeyFailed {
            code: t.code(&["Error code"], 0),
        },
        SCHEDULE_REEVALUATED => SppEvent::ScheduleReevaluated(t.rules_state()),
        VL_ACTIVATION_FAILED => SppEvent::VlActivationFailed(VlFailure {
            reason: t.code(&["Reason"], 0),
            app_id: t.guid(&["AppId"], 0),
            sku_id: t.guid(&["SkuId"], 1),
            trigger: t.label(&["Trigger"], LINE).or_else(|| t.item(3)).map(clip),
        }),
        RESTART_SCHEDULED => SppEvent::RestartScheduled {
            at: t.first_time(),
            reason: t
                .label(&["Reason"], LINE)
                .or_else(|| t.item(1))
                .map(|s| clip(s.trim_end_matches('.'))),
        },
        AD_ACTIVATED => SppEvent::AdActivated(t.ad(false)),
        AD_OBJECT_NOT_RETRIEVED => SppEvent::AdObjectNotRetrieved(t.ad(true)),
        AD_OBJECT_NOT_USABLE => SppEvent::AdObjectNotUsable(t.ad(true)),
        AD_ACTIVATION_FAILED => SppEvent::AdActivationFailed(t.ad(false)),
        AVMA_RESPONSE => SppEvent::AvmaResponse(t.avma()),
        AVMA_REQUEST => SppEvent::AvmaRequest(t.avma()),
        TOKEN_ACTIVATED => SppEvent::TokenActivated {
            sku_id: t.guid(&["Sku Id", "SkuId"], 0),
        },
        _ => return None,
    };
    Some(Ok(EventData::Spp(ev)))
}

/// Where a labelled value ends: at the end of its line, or also at `;` (the `Key=Value;…` lists).
const LINE: &[char] = &['\n', '\r'];
const PAIR: &[char] = &['\n', '\r', ';'];

/// The event text, with its items.
struct Text<'a> {
    text: &'a str,
    items: Vec<&'a str>,
}

impl<'a> Text<'a> {
    fn new(text: &'a str) -> Self {
        let mut items: Vec<&str> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .take(MAX_ITEMS)
            .collect();
        // One line holding every insertion string joined with ", " (EvtxECmd, Wazuh).
        if items.len() == 1 && items[0].contains(", ") {
            items = items[0]
                .split(", ")
                .map(str::trim)
                .take(MAX_ITEMS)
                .collect();
        }
        Self { text, items }
    }

    /// Whether the text carries any of the event's labels (the rendered message).
    fn labelled(&self, labels: &[&str]) -> bool {
        labels.iter().any(|l| self.label(&[l], LINE).is_some())
    }

    /// The value after `label` followed by `=` or `:` (ASCII case-insensitive, not inside a
    /// longer word), up to one of `stop`.
    fn label(&self, labels: &[&str], stop: &[char]) -> Option<&'a str> {
        labels
            .iter()
            .find_map(|l| labelled_value(self.text, l, stop))
    }

    fn item(&self, i: usize) -> Option<&'a str> {
        self.items.get(i).copied().filter(|s| !s.is_empty())
    }

    /// A code: after one of `labels`, else the item at `pos`, else the first code-shaped item.
    fn code(&self, labels: &[&str], pos: usize) -> Option<ErrorCode> {
        if let Some(v) = self.label(labels, LINE) {
            return hresult(first_word(v));
        }
        self.item(pos)
            .filter(|s| looks_hresult(strip_hr(s)))
            .or_else(|| {
                self.items
                    .iter()
                    .copied()
                    .find(|s| looks_hresult(strip_hr(s)))
            })
            .and_then(|s| hresult(strip_hr(s)))
    }

    /// A GUID (normalised) or, when the value is not one (a redaction), the value as logged.
    fn guid(&self, labels: &[&str], nth: usize) -> Option<String> {
        if let Some(v) = self.label(labels, LINE) {
            return Some(guid_or_text(first_word(v.split(',').next().unwrap_or(v))));
        }
        self.items
            .iter()
            .flat_map(|s| s.split([',', ';', ' ']))
            .filter(|w| is_guid(w))
            .nth(nth)
            .map(normalise_guid)
    }

    fn first_time(&self) -> Option<Timestamp> {
        self.items
            .iter()
            .flat_map(|s| s.split_whitespace())
            .map(|w| w.trim_end_matches(['.', ',']))
            .find(|w| w.bytes().filter(|b| b.is_ascii_digit()).count() >= 8)
            .and_then(Timestamp::parse)
    }

    /// 8230: the `Key=Value;…` list of the kernel policies.
    fn rules_state(&self) -> RulesState {
        let get = |k: &str| self.label(&[k], PAIR);
        RulesState {
            app_id: get("AppId").map(guid_or_text),
            sku_id: get("SkuId").map(guid_or_text),
            license_state: get("LicenseState").map(clip),
            product_key_type: get("ProductKeyType").map(clip),
            partial_key: get("PartialProductKey").map(last_five),
            grace_end: get("GraceEndDate").map(clip),
            last_reason: get("LastConsumptionReason").and_then(hresult),
        }
    }

    /// 12308 / 8215 (`kms` false: a SKU ID) and 8213 / 8214 (`kms` true: a KMS ID).
    fn ad(&self, kms: bool) -> AdActivation {
        let labels = ["Error Code", "Kms Id", "Sku Id", "AO name", "AO DN"];
        if self.labelled(&labels) {
            let text = |l: &str| self.label(&[l], LINE).map(clip);
            return AdActivation {
                code: self.code(&["Error Code"], 0),
                kms_id: self.label(&["Kms Id"], LINE).map(guid_or_text),
                sku_id: self.label(&["Sku Id"], LINE).map(guid_or_text),
                ao_name: text("AO name"),
                ao_dn: text("AO DN"),
            };
        }
        // By shape: a code, a GUID (the SKU or KMS ID), a distinguished name, and the name.
        let mut a = AdActivation::default();
        let mut name: Vec<&str> = Vec::new();
        for s in &self.items {
            let upper = s.to_ascii_uppercase();
            if a.code.is_none() && looks_hresult(s) {
                a.code = hresult(s);
            } else if a.sku_id.is_none() && a.kms_id.is_none() && is_guid(s) {
                let g = Some(normalise_guid(s));
                if kms {
                    a.kms_id = g;
                } else {
                    a.sku_id = g;
                }
            } else if a.ao_dn.is_none() && (upper.contains("CN=") || upper.contains("DC=")) {
                a.ao_dn = Some(clip(s));
            } else {
                name.push(s);
            }
        }
        if !name.is_empty() {
            a.ao_name = Some(clip(&name.join(", ")));
        }
        a
    }

    /// 12309 / 12310: `Returned hr=` and the second insertion string.
    fn avma(&self) -> Avma {
        let code = self.code(&["Returned hr", "hr"], 0);
        let detail = if self.labelled(&["Returned hr"]) {
            // The line after "Returned hr=…".
            self.items
                .iter()
                .skip_while(|s| labelled_value(s, "Returned hr", LINE).is_none())
                .nth(1)
                .copied()
        } else {
            self.item(1)
        };
        Avma {
            code,
            detail: detail.map(clip),
        }
    }
}

fn labelled_value<'a>(text: &'a str, label: &str, stop: &[char]) -> Option<&'a str> {
    let hay = text.as_bytes();
    let needle = label.as_bytes();
    let mut from = 0;
    while from + needle.len() <= hay.len() {
        let at = hay[from..]
            .windows(needle.len())
            .position(|w| w.eq_ignore_ascii_case(needle))?
            + from;
        from = at + 1;
        if at > 0 && hay[at - 1].is_ascii_alphanumeric() {
            continue;
        }
        // `at + needle.len()` follows an ASCII match: a character boundary.
        let rest = text[at + needle.len()..].trim_start_matches([' ', '\t']);
        let Some(rest) = rest.strip_prefix(['=', ':']) else {
            continue;
        };
        let end = rest.find(stop).unwrap_or(rest.len());
        let v = rest[..end].trim();
        if !v.is_empty() {
            return Some(v);
        }
    }
    None
}

fn first_word(s: &str) -> &str {
    s.split_whitespace().next().unwrap_or("")
}

fn strip_hr(s: &str) -> &str {
    let s = s.trim();
    for p in ["Returned hr=", "hr=", "HR="] {
        // Compared as bytes: the prefix is ASCII, so a match ends at a character boundary.
        if s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes()) {
            return s[p.len()..].trim();
        }
    }
    s
}

fn guid_or_text(s: &str) -> String {
    if is_guid(s) {
        normalise_guid(s)
    } else {
        clip(s)
    }
}

/// A partial product key is five characters; anything longer keeps only its last five.
fn last_five(s: &str) -> String {
    let s = s.trim();
    let n = s.chars().count();
    s.chars().skip(n.saturating_sub(5)).collect()
}
