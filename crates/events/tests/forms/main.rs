//! Every form a user has of the same events reads into the same report: event XML (native,
//! "Save as XML", `wevtutil qe /f:xml`, Event Viewer's XML View pasted), `wevtutil qe /f:text`
//! in two languages, `evtx_dump` JSON and JSON Lines, EvtxECmd JSON and CSV, Wazuh alerts,
//! hayabusa-style JSON; the real captures of `../shared/data/real` as published; and bad input.

mod bad;
mod build;
mod real;

use serde_json::Value;
use volact_core::Lang;
use volact_events::analyze::{Analyzer, Options, Report};
use volact_events::forms::Form;
use volact_events::source::read_stream_typed;

/// Reads `bytes` as one input; the report and the form it was recognised as.
pub fn read(bytes: &[u8]) -> (Report, Form) {
    let mut an = Analyzer::new(Options::default());
    let form = read_stream_typed("input", bytes, &mut an).expect("readable");
    (an.report(Lang::En), form)
}

/// What the host and client views say, without the times the forms write differently (the
/// event time: UTC in XML and JSON, local in text).
pub fn meaning(r: &Report) -> Value {
    let mut v = serde_json::json!({
        "host": r.host,
        "client": r.client,
        "slui": r.slui_failures.iter().map(|s| (s.code.as_ref().map(|c| c.code.to_string()), s.trigger.clone(), s.sku_id.clone())).collect::<Vec<_>>(),
        "other": r.other_codes.iter().map(|o| (o.event_id, o.code.code.to_string(), o.code.count)).collect::<Vec<_>>(),
        "used": r.stats.events_used,
    });
    strip(
        &mut v,
        &[
            "first_seen",
            "last_seen",
            "time",
            "per_day",
            "now",
            "window_start",
            "max_skew_secs",
        ],
    );
    v
}

fn strip(v: &mut Value, keys: &[&str]) {
    match v {
        Value::Object(m) => {
            m.retain(|k, _| !keys.contains(&k.as_str()));
            for x in m.values_mut() {
                strip(x, keys);
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| strip(x, keys)),
        _ => {}
    }
}
