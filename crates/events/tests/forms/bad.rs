//! Bad input in the new forms: no panic, no hang, bounded memory, and every record counted.

use volact_events::analyze::SkipReason;
use volact_events::forms::Form;
use volact_events::forms::json::{MAX_NESTING, MAX_RECORD};

use super::build::evtx_dump_jsonl;
use super::read;

fn skipped(r: &volact_events::analyze::Report, why: SkipReason) -> u64 {
    r.stats
        .skipped
        .iter()
        .find(|s| s.reason == why)
        .map_or(0, |s| s.count)
}

#[test]
fn truncated_json_keeps_the_whole_records_and_counts_the_cut_one() {
    let all = evtx_dump_jsonl();
    let cut = &all[..all.len() - 40];
    let (r, form) = read(cut.as_bytes());
    assert_eq!(form, Form::EvtxDumpJson);
    assert_eq!(r.stats.records_read, 4);
    assert_eq!(r.stats.events_used, 3);
    assert_eq!(skipped(&r, SkipReason::CorruptRecord), 1);
    assert_eq!(r.warning_details[0].kind_id(), "records_unread");
    assert!(r.warnings[0].contains("cut off"), "{:?}", r.warnings);
}

#[test]
fn invalid_json_records_are_counted_and_the_rest_read() {
    let text = format!("{{\"Event\": {{\"System\": tru}}}}\n{}", evtx_dump_jsonl());
    let (r, _) = read(text.as_bytes());
    assert_eq!((r.stats.records_read, r.stats.events_used), (5, 4));
    assert_eq!(skipped(&r, SkipReason::CorruptRecord), 1);
    assert!(r.warnings[0].contains("not valid JSON"), "{:?}", r.warnings);
}

#[test]
fn a_huge_record_is_skipped_in_bounded_memory() {
    let mut text = String::from("{\"EventID\": 12290, \"EventData\": {\"Data\": \"");
    text.push_str(&"0".repeat(MAX_RECORD + 10));
    text.push_str("\"}}\n");
    text.push_str(&evtx_dump_jsonl());
    let (r, _) = read(text.as_bytes());
    assert_eq!((r.stats.records_read, r.stats.events_used), (5, 4));
    assert_eq!(skipped(&r, SkipReason::Limit), 1);
}

#[test]
fn deeply_nested_json_is_skipped() {
    let depth = 100_000;
    let mut text = "[".repeat(depth);
    text.push_str(&"]".repeat(depth));
    text.push('\n');
    let nested = format!(
        "{}{}",
        "{\"a\":".repeat(depth),
        "1".to_owned() + &"}".repeat(depth)
    );
    text.push_str(&nested);
    text.push('\n');
    text.push_str(&evtx_dump_jsonl());
    let (r, _) = read(text.as_bytes());
    assert_eq!(r.stats.events_used, 4);
    assert_eq!(skipped(&r, SkipReason::Limit), 2);
    assert!(MAX_NESTING < depth);
}

#[test]
fn binary_garbage_and_unclosed_strings_end() {
    let mut garbage: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    garbage[0] = b'{';
    let (r, _) = read(&garbage);
    assert_eq!(r.stats.events_used, 0);
    let (r, _) = read(b"{\"EventID\": \"12290, \"EventData\": {\"Data\": [\"0x0");
    assert_eq!((r.stats.records_read, r.stats.events_used), (1, 0));
    let (r, form) = read(b"[1, 2, \"x\", null, {\"no\": \"event\"}]");
    assert_eq!((form, r.stats.records_read), (Form::Json, 0));
}

#[test]
fn csv_with_an_unclosed_quote_is_counted() {
    let mut text =
        String::from("RecordNumber,EventRecordId,TimeCreated,EventId,Provider,Channel,Payload\n");
    text.push_str(
        "1,1,2026-11-24 09:00:00,12290,Microsoft-Windows-Security-SPP,Key Management Service,\"{\n",
    );
    for _ in 0..1000 {
        text.push_str("no end\n");
    }
    let (r, form) = read(text.as_bytes());
    assert_eq!(form, Form::EvtxEcmdCsv);
    assert!(r.stats.records_skipped >= 1);
    assert_eq!(r.stats.records_read, r.stats.records_skipped);
}

#[test]
fn text_with_an_endless_event_xml_block_is_bounded() {
    let mut text = String::from("Zdroj: x\n<Event xmlns=\"e\">\n");
    let line = format!("<Data>{}</Data>\n", "x".repeat(1000));
    for _ in 0..3000 {
        text.push_str(&line);
    }
    let (r, form) = read(text.as_bytes());
    assert_eq!(form, Form::EventViewerCopy);
    assert_eq!(r.stats.events_used, 0);
}

#[test]
fn mutated_forms_never_panic() {
    use volact_events::analyze::{Analyzer, Options};
    use volact_events::source::{Kind, read_sniffed};
    let seeds = [
        evtx_dump_jsonl(),
        super::build::evtxecmd_csv(),
        super::build::wazuh(),
        super::build::wevtutil_text(1),
        super::build::xml_view_paste(),
    ];
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for seed in &seeds {
        for _ in 0..150 {
            let mut b = seed.as_bytes().to_vec();
            for _ in 0..(next() % 8 + 1) {
                let i = (next() as usize) % b.len();
                match next() % 3 {
                    0 => b[i] = next() as u8,
                    1 => b.truncate(i),
                    _ => b.insert(i, b"{}[]\",<>\n"[(next() % 9) as usize]),
                }
                if b.is_empty() {
                    break;
                }
            }
            for kind in [Kind::Json, Kind::Csv, Kind::Text, Kind::Xml] {
                let mut an = Analyzer::new(Options::default());
                let _ = read_sniffed(kind, "m", &b[..], &mut an);
                let r = an.report(volact_core::Lang::En);
                assert!(r.stats.records_read >= r.stats.events_used);
            }
        }
    }
}
