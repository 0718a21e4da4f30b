//! Hostile inputs found by attacking the release binary (issue #14 judging), end to end.

use crate::util::{run, stderr, stdout};

const GROUPS: [&str; 4] = ["QXBCD", "FGHJK", "MPRTV", "WXY23"];

fn event(client: &str) -> String {
    format!(
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
         <Provider Name='Microsoft-Windows-Security-Licensing-SLC'/><EventID Qualifiers='16384'>12290</EventID>\
         <TimeCreated SystemTime='2026-11-24T06:10:40Z'/><Computer>KMS01</Computer></System><EventData>\
         <Data></Data><Data>0x0</Data><Data>25</Data><Data>{client}</Data>\
         <Data>a1b2c3d4-1111-4a5b-8c9d-0e1f2a3b4c5d</Data><Data>2026/11/24 6:10</Data><Data>0</Data>\
         <Data>2</Data><Data>43200</Data><Data>ce8a4a4d-0dd1-4b1a-9e73-9dc6d3c6b1d6</Data></EventData></Event>"
    )
}

/// A client named with a key written with spaces or tabs for dashes starts a CSV row, right after
/// the header line (which ends in a word): the CSV printed it whole, the other formats masked it.
#[test]
fn events_csv_masks_a_spaced_key_at_the_start_of_a_row() {
    for sep in [" ", "\t", "\u{a0}"] {
        let key = GROUPS.join(sep) + sep + "46789";
        let xml = format!("<Events>{}</Events>", event(&key));
        for format in ["csv", "text", "json", "ndjson", "markdown"] {
            let o = run(
                &[
                    "events",
                    "--format",
                    format,
                    "--now",
                    "2026-11-25T00:00:00Z",
                    "-",
                ],
                xml.as_bytes(),
            );
            let all = stdout(&o) + &stderr(&o);
            assert!(
                all.contains("46789"),
                "{format}: the client is listed: {all}"
            );
            for g in GROUPS {
                assert!(!all.contains(g), "{sep:?} {format}: {g} in {all}");
            }
        }
    }
}
