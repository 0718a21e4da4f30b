use super::*;
use volact_core::Lang;

#[test]
fn both_languages_and_kind() {
    let w = Warning::new("a.evtx", WarningKind::BadChecksums { chunks: 2 });
    assert_eq!(
        w.message(Lang::En),
        "a.evtx: 2 chunk(s) have wrong CRC32 checksums; their records were read anyway"
    );
    let zh = w.message(Lang::ZhTw);
    assert!(
        zh.contains("總和檢查碼") && !zh.contains("checksum"),
        "{zh}"
    );
    let j = serde_json::to_value(&w).unwrap();
    assert_eq!(j["kind"], "bad_checksums");
    assert_eq!(j["kind"], w.kind_id());
    assert_eq!(j["chunks"], 2);
}

#[test]
fn absent_records_are_a_note_in_both_languages() {
    let w = Warning::new(
        "a.evtx",
        WarningKind::RecordsAbsent {
            first: 1156,
            last: 1417,
        },
    );
    let en = w.message(Lang::En);
    assert!(
        en.starts_with("a.evtx: records 1,156–1,417 are not in the file (262 records;"),
        "{en}"
    );
    let zh = w.message(Lang::ZhTw);
    assert!(
        zh.contains("1,156–1,417") && zh.contains("262 筆") && !zh.contains("records"),
        "{zh}"
    );
    assert_eq!(w.kind_id(), "records_absent");
    let j = serde_json::to_value(&w).unwrap();
    assert_eq!(
        (j["first"].as_u64(), j["last"].as_u64()),
        (Some(1156), Some(1417))
    );
}

#[test]
fn missing_records_are_said_in_both_languages() {
    let w = Warning::new(
        "a.evtx",
        WarningKind::RecordsMissing {
            chunk: 3,
            listed: 130,
            read: 14,
        },
    );
    let en = w.message(Lang::En);
    assert!(
        en.contains("lists 130 records but 14 could be read"),
        "{en}"
    );
    assert!(en.contains("the other 116 are missing"), "{en}");
    let zh = w.message(Lang::ZhTw);
    assert!(
        zh.contains("130") && zh.contains("116") && zh.contains("遺失"),
        "{zh}"
    );
    assert!(!zh.contains("records"), "{zh}");
    assert_eq!(w.kind_id(), "records_missing");
    let j = serde_json::to_value(&w).unwrap();
    assert_eq!(
        (j["listed"].as_u64(), j["read"].as_u64()),
        (Some(130), Some(14))
    );
}
