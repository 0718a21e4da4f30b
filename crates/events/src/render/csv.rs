//! CSV: the per-client table of the host view, the attempts of the client view and the Software
//! Protection events, written by the toolkit's RFC 4180 writer (CRLF, formula defusal).

use std::io;

use volact_core::out::csv::Writer;

use super::words::*;
use crate::analyze::Report;

/// A CSV document written into memory (the writer cannot fail there).
fn in_memory(f: impl FnOnce(&mut Writer<&mut Vec<u8>>) -> io::Result<()>) -> String {
    let mut buf = Vec::new();
    let mut w = Writer::new(&mut buf);
    // Writing into a `Vec` does not fail.
    let _ = f(&mut w);
    String::from_utf8_lossy(&buf).into_owned()
}

/// The per-client CSV of the host view (column names are stable identifiers, in English).
pub fn clients_csv(r: &Report) -> String {
    in_memory(|w| write_clients_csv(r, w))
}

/// [`clients_csv`] into a CSV writer.
pub fn write_clients_csv<W: io::Write>(r: &Report, w: &mut Writer<W>) -> io::Result<()> {
    w.record(&[
        "name",
        "cmid",
        "requests",
        "first_seen",
        "last_seen",
        "last_client_time",
        "last_code",
        "last_code_name",
        "codes",
        "license_state",
        "license_state_label",
        "minutes_to_expiry",
        "vm",
        "min_count",
        "os",
        "activation_id",
        "skewed_requests",
        "max_skew_secs",
        "shared_cmid",
        "outside_window",
        "product",
        "family",
    ])?;
    if let Some(h) = &r.host {
        for c in &h.clients {
            let codes: Vec<String> = c
                .codes
                .iter()
                .map(|x| format!("{}={}", x.code, x.count))
                .collect();
            w.record(&[
                c.name.clone(),
                c.cmid.clone(),
                c.requests.to_string(),
                ts(c.first_seen),
                ts(c.last_seen),
                ts(c.last_client_time),
                cell(c.last_code.as_ref().map(|x| x.code)),
                c.last_code
                    .as_ref()
                    .and_then(|x| x.name)
                    .unwrap_or("")
                    .to_owned(),
                codes.join(" "),
                cell(c.license_state.as_ref().map(|s| s.value)),
                cell(c.license_state.as_ref().map(|s| &s.label)),
                cell(c.minutes_to_expiry),
                c.vm.map_or_else(String::new, |v| u8::from(v).to_string()),
                cell(c.min_count),
                c.os.unwrap_or("").to_owned(),
                c.activation_id.clone().unwrap_or_default(),
                c.skewed_requests.to_string(),
                cell(c.max_skew_secs),
                c.shared_cmid.to_string(),
                c.outside_window.to_string(),
                c.product.unwrap_or("").to_owned(),
                c.family.map_or("", |f| f.id()).to_owned(),
            ])?;
        }
    }
    Ok(())
}

/// The attempts of the client view as CSV.
pub fn attempts_csv(r: &Report) -> String {
    in_memory(|w| write_attempts_csv(r, w))
}

/// [`attempts_csv`] into a CSV writer.
pub fn write_attempts_csv<W: io::Write>(r: &Report, w: &mut Writer<W>) -> io::Result<()> {
    w.record(&[
        "time",
        "computer",
        "kms",
        "cmid",
        "outcome",
        "code",
        "code_name",
        "request_code",
        "response_code",
        "activated",
        "current_count",
        "license_state",
        "min_count",
    ])?;
    if let Some(c) = &r.client {
        for a in &c.attempts {
            w.record(&[
                ts(a.time),
                a.computer.clone().unwrap_or_default(),
                a.kms.as_ref().map_or_else(String::new, ToString::to_string),
                a.cmid.clone().unwrap_or_default(),
                serde_json::to_value(a.outcome)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                cell(a.code.as_ref().map(|x| x.code)),
                a.code
                    .as_ref()
                    .and_then(|x| x.name)
                    .unwrap_or("")
                    .to_owned(),
                cell(a.request_code),
                cell(a.response.as_ref().and_then(|p| p.code)),
                a.response
                    .as_ref()
                    .and_then(|p| p.activated)
                    .map_or_else(String::new, |x| u8::from(x).to_string()),
                cell(a.response.as_ref().and_then(|p| p.current_count)),
                cell(a.license_state.as_ref().map(|s| s.value)),
                cell(a.min_count),
            ])?;
        }
    }
    Ok(())
}

/// The Software Protection events (8196, 8230, 8233, 1058, 16384, 12308, 8213-8215, 12309,
/// 12310, 12320) as CSV, one row per event listed.
pub fn spp_csv(r: &Report) -> String {
    in_memory(|w| write_spp_csv(r, w))
}

/// [`spp_csv`] into a CSV writer.
pub fn write_spp_csv<W: io::Write>(r: &Report, w: &mut Writer<W>) -> io::Result<()> {
    w.record(&[
        "time",
        "computer",
        "event_id",
        "event",
        "code",
        "code_name",
        "sku_id",
        "office",
        "detail",
        "transient",
        "routine",
    ])?;
    for e in r.spp.iter().flat_map(|v| &v.events) {
        w.record(&[
            ts(e.time),
            e.computer.clone().unwrap_or_default(),
            e.event_id.to_string(),
            e.event.to_owned(),
            cell(e.code.as_ref().map(|x| x.code)),
            e.code
                .as_ref()
                .and_then(|x| x.name)
                .unwrap_or("")
                .to_owned(),
            e.sku_id.clone().unwrap_or_default(),
            e.office.to_string(),
            e.detail.clone().unwrap_or_default(),
            cell(e.transient),
            e.routine.to_string(),
        ])?;
    }
    Ok(())
}

/// An optional value as a cell: empty when absent.
fn cell(v: Option<impl ToString>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// `--format csv`: the per-client table when there are host events, else the attempts, else the
/// Software Protection events (when there are any).
pub fn csv(r: &Report) -> String {
    let host_rows = r.host.as_ref().is_some_and(|h| !h.clients.is_empty());
    let spp_rows = r.spp.as_ref().is_some_and(|v| !v.events.is_empty());
    if host_rows || (r.client.is_none() && !spp_rows) {
        clients_csv(r)
    } else if r.client.is_some() {
        attempts_csv(r)
    } else {
        spp_csv(r)
    }
}
