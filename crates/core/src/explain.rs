//! Turning codes into explanations: the one model every front end (CLI, JSON, HTTP) renders.
//!
//! The JSON wire format of `volact explain --format json` is [`ExplainReport`]: an object with
//! `schema_version` and `results`, one [`Explanation`] per distinct code. Fields are always present;
//! those that only a knowledge-base entry can fill are `null` or empty for unknown codes.

use serde::Serialize;

use crate::code::{Decoded, ErrorCode, Form};
use crate::find;
use crate::kb::{self, Lang};
use crate::key;

/// Version of the JSON produced by [`ExplainReport`]. Bumped on any incompatible change (fields
/// added later, such as [`Explanation::event`], do not bump it).
pub const SCHEMA_VERSION: u32 = 1;

/// How far volact can explain a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coverage {
    /// In the knowledge base: full explanation.
    Known,
    /// Not in the knowledge base, but a name table names it.
    Named,
    /// Neither: only its HRESULT fields can be decoded.
    Unknown,
}

/// A facility, by number and (when known) name.
#[derive(Clone, Debug, Serialize)]
pub struct FacilityOut {
    /// Facility number.
    pub number: u16,
    /// Symbolic name, when known.
    pub name: Option<&'static str>,
}

/// A command, with its purpose in the chosen language.
#[derive(Clone, Debug, Serialize)]
pub struct CommandOut {
    /// The command line.
    pub run: &'static str,
    /// What it does.
    pub purpose: &'static str,
    /// Whether it needs an elevated prompt.
    pub elevated: bool,
}

/// A related entry.
#[derive(Clone, Debug, Serialize)]
pub struct RelatedOut {
    /// Its code.
    pub code: ErrorCode,
    /// Its name.
    pub name: Option<&'static str>,
    /// Its message in the chosen language.
    pub message: &'static str,
}

use crate::event_id::event_of;
pub use crate::event_id::{EventIdOut, EventMachine, event_ids, is_event_id};

/// One code, explained in one language.
#[derive(Clone, Debug, Serialize)]
pub struct Explanation {
    /// The code in canonical form, `0xC004F074`.
    pub code: ErrorCode,
    /// How it was written in the input.
    pub form: Form,
    /// The text it was read from (key-shaped strings redacted), when it came from free text.
    pub input: Option<String>,
    /// The signed decimal view.
    pub signed: i32,
    /// The unsigned decimal view.
    pub unsigned: u32,
    /// The main symbolic name, if any.
    pub name: Option<&'static str>,
    /// Other names the tables give for the same value.
    pub other_names: Vec<&'static str>,
    /// Whether the knowledge base explains it.
    pub known: bool,
    /// Known, named or unknown.
    pub coverage: Coverage,
    /// When the code is an alias, the code of the entry that explains it.
    pub entry_code: Option<ErrorCode>,
    /// Severity bits, as a word.
    pub severity: &'static str,
    /// The facility.
    pub facility: FacilityOut,
    /// The HRESULT fields.
    pub decoded: Decoded,
    /// One line for every code: the message when known, otherwise what the decoding says.
    pub summary: String,
    /// The message (known codes only).
    pub message: Option<&'static str>,
    /// Activation types (`mak`, `kms-client`, `kms-host`).
    pub activation_types: &'static [kb::ActivationType],
    /// Likely causes.
    pub causes: &'static [&'static str],
    /// Steps, in order.
    pub steps: &'static [&'static str],
    /// Commands to run.
    pub commands: Vec<CommandOut>,
    /// Related event IDs.
    pub event_ids: &'static [u16],
    /// `volact doctor` checks that apply.
    pub checks: &'static [kb::Check],
    /// Entries worth reading next.
    pub related: Vec<RelatedOut>,
    /// A remark about the code.
    pub note: Option<&'static str>,
    /// Whether the code is one of the 30 of Microsoft's Traditional Chinese article on activation
    /// error codes (the first sources of the knowledge base).
    pub seed: bool,
    /// Documents the explanation rests on.
    pub sources: Vec<&'static kb::Source>,
    /// The language of the texts.
    pub lang: Lang,
    /// When the number was written in decimal and is the ID of an activation event: that event.
    /// The other fields are then the number read as a Win32 error (a second, less likely reading),
    /// and `summary` speaks of the event.
    pub event: Option<EventIdOut>,
}

/// The whole answer of `volact explain`.
#[derive(Clone, Debug, Serialize)]
pub struct ExplainReport {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The language of the texts.
    pub lang: Lang,
    /// One result per distinct code, in order of first appearance.
    pub results: Vec<Explanation>,
    /// Inputs in which no code was found (redacted, shortened).
    pub unmatched: Vec<String>,
}

impl ExplainReport {
    /// Whether every code found is in the knowledge base (or is an activation event ID).
    pub fn all_known(&self) -> bool {
        self.results.iter().all(|r| r.known || r.event.is_some())
    }
}

/// Explains one code.
pub fn explain(code: ErrorCode, form: Form, lang: Lang) -> Explanation {
    let entry = kb::lookup(code);
    let decoded = code.decode();
    let mut table_names = code.names();
    let name = entry
        .and_then(|e| e.name)
        .or_else(|| table_names.first().copied())
        .or_else(|| {
            decoded
                .win32
                .as_ref()
                .and_then(|w| w.names.first().copied())
        })
        .or_else(|| {
            decoded
                .ntstatus
                .as_ref()
                .and_then(|n| n.names.first().copied())
        });
    table_names.retain(|n| Some(*n) != name);
    let coverage = if entry.is_some() {
        Coverage::Known
    } else if name.is_some() {
        Coverage::Named
    } else {
        Coverage::Unknown
    };
    let summary = match entry {
        Some(e) => e.text(lang).message.to_owned(),
        None => crate::phrases::describe_unknown(code, &decoded, name, lang),
    };
    let text = entry.map(|e| e.text(lang));
    let event = event_of(code, form, lang, &summary);
    let summary = match &event {
        Some(ev) => crate::event_id::describe_event(ev, lang),
        None => summary,
    };
    Explanation {
        code,
        form,
        input: None,
        signed: code.signed(),
        unsigned: code.value(),
        name,
        other_names: table_names,
        known: entry.is_some(),
        coverage,
        entry_code: entry.filter(|e| e.code != code).map(|e| e.code),
        severity: decoded.severity.as_str(),
        facility: FacilityOut {
            number: decoded.facility,
            name: decoded.facility_name,
        },
        decoded,
        summary,
        message: text.map(|t| t.message),
        activation_types: entry.map(|e| e.types).unwrap_or_default(),
        causes: text.map(|t| t.causes).unwrap_or_default(),
        steps: text.map(|t| t.steps).unwrap_or_default(),
        commands: entry
            .map(|e| {
                e.commands
                    .iter()
                    .map(|c| CommandOut {
                        run: c.run,
                        purpose: c.purpose(lang),
                        elevated: c.elevated,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        event_ids: entry.map(|e| e.events).unwrap_or_default(),
        checks: entry.map(|e| e.checks).unwrap_or_default(),
        related: entry
            .map(|e| {
                e.related
                    .iter()
                    .filter_map(|r| kb::lookup(*r))
                    .map(|r| RelatedOut {
                        code: r.code,
                        name: r.name,
                        message: r.text(lang).message,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        note: text.and_then(|t| t.note),
        seed: entry.is_some_and(|e| e.seed),
        sources: entry.map(|e| e.sources.to_vec()).unwrap_or_default(),
        lang,
        event,
    }
}

/// Shortens and redacts an input for display: at most `max` characters, keys masked.
pub fn excerpt(input: &str, max: usize) -> String {
    let red = key::redact_keys_in(input.trim());
    let one_line: String = red
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if one_line.chars().count() > max {
        let mut s: String = one_line.chars().take(max).collect();
        s.push('…');
        s
    } else {
        one_line
    }
}

/// Collects codes from inputs into a report: each input is first tried as one code in any form
/// (`c004f074`, `-1073418124`, `1722`), then searched as free text. Distinct codes, first
/// appearance first.
#[derive(Debug, Default)]
pub struct Collector {
    seen: std::collections::HashSet<ErrorCode>,
    found: Vec<(ErrorCode, Form, Option<String>)>,
    unmatched: Vec<String>,
    limit_hit: bool,
}

/// The most distinct codes one report holds; more than this in one input is not a pasted error.
pub const MAX_CODES: usize = 10_000;

impl Collector {
    /// An empty collector.
    pub fn new() -> Self {
        Self::default()
    }

    fn push(&mut self, code: ErrorCode, form: Form, context: Option<String>) {
        if self.seen.len() >= MAX_CODES {
            self.limit_hit = true;
            return;
        }
        if self.seen.insert(code) {
            self.found.push((code, form, context));
        }
    }

    /// Adds one command-line argument: a code in any form, a symbolic name, or free text.
    pub fn add_argument(&mut self, arg: &str) {
        if let Ok((code, form)) = ErrorCode::parse_with_form(arg) {
            self.push(code, form, None);
            return;
        }
        if let Some(code) = kb::by_name(arg)
            .map(|e| e.code)
            .or_else(|| crate::names::code_of(arg))
        {
            self.push(code, Form::Name, None);
            return;
        }
        if !self.add_text(arg) {
            self.unmatched.push(excerpt(arg, 60));
        }
    }

    /// Adds free text (a line, a paste, a chunk of a stream). Returns whether any code was found.
    pub fn add_text(&mut self, text: &str) -> bool {
        let mut any = false;
        for f in find::find_codes(text) {
            any = true;
            if self.seen.contains(&f.code) {
                // Only a code's first appearance is shown: no context to build.
                continue;
            }
            self.push(f.code, f.form, Some(context(text, f.start, f.end)));
        }
        any
    }

    /// Records an input (such as standard input) in which nothing was found.
    pub fn add_unmatched(&mut self, what: &str) {
        self.unmatched.push(what.to_owned());
    }

    /// Whether more than [`MAX_CODES`] distinct codes were offered.
    pub fn limit_hit(&self) -> bool {
        self.limit_hit
    }

    /// Number of distinct codes so far.
    pub fn len(&self) -> usize {
        self.found.len()
    }

    /// Whether no code was found.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// Explains everything collected.
    pub fn report(self, lang: Lang) -> ExplainReport {
        ExplainReport {
            schema_version: SCHEMA_VERSION,
            lang,
            results: self
                .found
                .into_iter()
                .map(|(code, form, ctx)| {
                    let mut e = explain(code, form, lang);
                    e.input = ctx;
                    e
                })
                .collect(),
            unmatched: self.unmatched,
        }
    }
}

/// Lines longer than this (in bytes) are shown around the code rather than from their start.
const LONG_LINE: usize = 4096;

/// The excerpt shown with a code found at `start..end` of `text`: its line, shortened to 120
/// characters with keys masked. A very long line is shown from a little before the code, and only
/// a window around the code is read (twice the widest key on each side, so no key is cut where
/// the window ends), which keeps the work per code bounded however long the line is.
fn context(text: &str, start: usize, end: usize) -> String {
    let line = line_around(text, start, end);
    if line.len() <= LONG_LINE {
        return excerpt(line, 120);
    }
    let line_start = line.as_ptr() as usize - text.as_ptr() as usize;
    let line_end = line_start + line.len();
    let reach = key::MAX_KEY_SPAN * 2;
    let mut ws = start.saturating_sub(reach).max(line_start);
    while !text.is_char_boundary(ws) {
        ws += 1;
    }
    let mut we = (end + reach).min(line_end);
    while !text.is_char_boundary(we) {
        we -= 1;
    }
    let before = key::redact_keys_in(&text[ws..start]);
    let after = key::redact_keys_in(&text[start..we]);
    let shown_before = 40;
    let n = before.chars().count();
    let tail: String = before
        .chars()
        .skip(n.saturating_sub(shown_before))
        .collect();
    let lead = if ws > line_start || n > shown_before {
        "…"
    } else {
        ""
    };
    excerpt(&format!("{lead}{tail}{after}"), 120)
}

fn line_around(text: &str, start: usize, end: usize) -> &str {
    let ls = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let le = text[end..].find('\n').map_or(text.len(), |i| end + i);
    &text[ls..le]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_deep_in_a_long_line_is_shown_with_its_surroundings() {
        let key = "BCDFG-HJKMN-PQRTV-WXY23-46789";
        let text = format!(
            "{} key {key} then 0xC004F074 here {}",
            "x ".repeat(5000),
            "y ".repeat(5000)
        );
        let mut c = Collector::new();
        assert!(c.add_text(&text));
        let shown = c.found[0].2.clone().unwrap();
        assert!(shown.starts_with('…'), "{shown}");
        assert!(shown.contains("0xC004F074 here"), "{shown}");
        assert!(
            !shown.contains("BCDFG") && !shown.contains("WXY23"),
            "{shown}"
        );
        assert!(shown.chars().count() <= 121);
        // Thousands of codes on one long line: only first appearances get an excerpt.
        let many = "0xC004F074 0xC004F038 ".repeat(100_000);
        let mut c = Collector::new();
        assert!(c.add_text(&many));
        assert_eq!(c.len(), 2);
    }

    #[test]
    fn known_code() {
        let e = explain(ErrorCode::new(0xC004F074), Form::PrefixedHex, Lang::En);
        assert!(e.known);
        assert_eq!(e.name, Some("SL_E_VL_BINDING_SERVICE_UNAVAILABLE"));
        assert!(!e.steps.is_empty());
        assert_eq!(e.facility.number, 4);
    }

    #[test]
    fn alias_resolves_to_entry() {
        let e = explain(ErrorCode::new(0x4004F065), Form::PrefixedHex, Lang::En);
        assert!(e.known);
        assert_eq!(e.entry_code, Some(ErrorCode::new(0xC004F065)));
    }

    #[test]
    fn named_and_unknown_codes() {
        let e = explain(ErrorCode::new(0xC004F013), Form::PrefixedHex, Lang::En);
        assert_eq!(e.coverage, Coverage::Named);
        assert_eq!(e.name, Some("SL_E_RIGHT_NOT_GRANTED"));
        let e = explain(ErrorCode::new(0xD0000022), Form::PrefixedHex, Lang::En);
        assert_eq!(e.coverage, Coverage::Named);
        assert_eq!(e.name, Some("STATUS_ACCESS_DENIED"));
        assert!(e.summary.contains("0xC0000022"), "{}", e.summary);
        let e = explain(ErrorCode::new(0), Form::UnsignedDecimal, Lang::ZhTw);
        assert_eq!(e.name, Some("S_OK"));
        assert!(e.summary.contains("成功"), "{}", e.summary);
        let e = explain(ErrorCode::new(0x8ABC1234), Form::PrefixedHex, Lang::En);
        assert_eq!(e.coverage, Coverage::Unknown);
        assert!(e.name.is_none() && e.message.is_none() && e.steps.is_empty());
        assert!(e.summary.contains("facility 700"), "{}", e.summary);
    }

    #[test]
    fn symbolic_names_as_arguments() {
        let mut c = Collector::new();
        c.add_argument("SL_E_VL_INVALID_TIMESTAMP");
        c.add_argument("dns_error_rcode_name_error");
        c.add_argument("RPC_NT_SERVER_UNAVAILABLE");
        c.add_argument("NOT_A_NAME_AT_ALL");
        let r = c.report(Lang::En);
        let codes: Vec<String> = r.results.iter().map(|r| r.code.to_string()).collect();
        assert_eq!(codes, ["0xC004F06C", "0x8007232B", "0xC0020017"]);
        assert_eq!(r.results[0].form, Form::Name);
        assert_eq!(r.unmatched, ["NOT_A_NAME_AT_ALL"]);
    }

    #[test]
    fn decimal_event_ids_are_explained_as_events_first() {
        for id in event_ids() {
            let (code, form) = ErrorCode::parse_with_form(&id.to_string()).unwrap();
            for lang in Lang::ALL {
                let e = explain(code, form, lang);
                let ev = e.event.as_ref().unwrap_or_else(|| panic!("{id}"));
                assert_eq!(ev.id, id);
                assert!(e.summary.contains(&id.to_string()), "{}", e.summary);
                assert!(ev.where_to_look.contains(ev.log), "{}", ev.where_to_look);
                assert!(ev.where_to_look.contains("volact events"));
                assert!(!ev.as_win32.is_empty());
                assert!(!ev.title.is_empty() && !ev.records.is_empty());
            }
        }
        let e = explain(ErrorCode::from_win32(12288), Form::Win32Decimal, Lang::En);
        let ev = e.event.as_ref().unwrap();
        assert_eq!((ev.machine, ev.log), (EventMachine::Client, "Application"));
        assert!(
            e.summary
                .starts_with("12288 is the ID of an activation event")
        );
        assert!(ev.as_win32.contains("Win32 error 12288"), "{}", ev.as_win32);
        assert!(ev.codes.contains(&ErrorCode::new(0xC004F074)));
        let e = explain(ErrorCode::from_win32(12290), Form::Win32Decimal, Lang::ZhTw);
        let ev = e.event.as_ref().unwrap();
        assert_eq!(
            (ev.machine, ev.log),
            (EventMachine::KmsHost, "Key Management Service")
        );
        assert!(e.summary.contains("不是錯誤碼"), "{}", e.summary);
        // The Win32 reading stays, second: 1003 is also ERROR_CAN_NOT_COMPLETE.
        let e = explain(ErrorCode::from_win32(1003), Form::Win32Decimal, Lang::En);
        assert_eq!(e.name, Some("ERROR_CAN_NOT_COMPLETE"));
        assert!(
            e.event
                .as_ref()
                .unwrap()
                .as_win32
                .contains("ERROR_CAN_NOT_COMPLETE")
        );
        // Written in hex it is a code, not an event.
        let e = explain(ErrorCode::from_win32(12288), Form::Win32Hex, Lang::En);
        assert!(e.event.is_none());
        let e = explain(ErrorCode::from_win32(1722), Form::Win32Decimal, Lang::En);
        assert!(e.event.is_none());
        // The JSON carries it as an added field.
        let mut c = Collector::new();
        c.add_argument("12288");
        c.add_argument("error 1722");
        let r = c.report(Lang::En);
        assert!(r.all_known());
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["results"][0]["event"]["id"], 12288);
        assert_eq!(json["results"][0]["event"]["log"], "Application");
        assert_eq!(json["results"][0]["code"], "0x80073000");
        assert_eq!(json["results"][1]["code"], "0x800706BA");
        assert!(json["results"][1]["event"].is_null());
        assert_eq!(json["results"][1]["input"], "error 1722");
    }

    #[test]
    fn collector_dedupes_and_keeps_order() {
        let mut c = Collector::new();
        c.add_argument("c004f074");
        c.add_argument("Error: 0x8007232B then 0xC004F074");
        c.add_argument("nothing here");
        let r = c.report(Lang::En);
        let codes: Vec<String> = r.results.iter().map(|r| r.code.to_string()).collect();
        assert_eq!(codes, ["0xC004F074", "0x8007232B"]);
        assert_eq!(r.unmatched, ["nothing here"]);
    }
}
