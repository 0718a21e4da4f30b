use super::*;

fn codes(text: &str) -> Vec<String> {
    find_codes(text)
        .iter()
        .map(|f| f.code.to_string())
        .collect()
}

#[test]
fn dialogs_in_both_languages() {
    assert_eq!(
        codes("錯誤: 0xC004F074 無法連絡金鑰管理服務"),
        ["0xC004F074"]
    );
    assert_eq!(codes("錯誤：0xC004F074"), ["0xC004F074"]);
    assert_eq!(codes("錯誤碼0xC004F074。"), ["0xC004F074"]);
    assert_eq!(
        codes("Error: 0xC004F074 The Software Licensing Service reported"),
        ["0xC004F074"]
    );
    assert_eq!(codes("Code 0x8007232b"), ["0x8007232B"]);
    assert_eq!(codes("hr=0x80072EE7"), ["0x80072EE7"]);
}

#[test]
fn slui_switch_is_not_a_code() {
    assert_eq!(codes("slui 0x2a 0x87E10BC6"), ["0x87E10BC6"]);
}

#[test]
fn spans_point_at_the_code() {
    let t = "x hr=0xc004f074 y";
    let f = &find_codes(t)[0];
    assert_eq!(&t[f.start..f.end], "0xc004f074");
}

#[test]
fn bare_hex_needs_to_be_recognised() {
    assert_eq!(codes("status C004F074 seen"), ["0xC004F074"]);
    assert!(codes("hash deadbeef and cafebabe").is_empty());
    assert!(codes("{e23b33b0-c8c9-472c-a5f9-f2bdfea0f156}").is_empty());
    assert!(codes("C004F074E").is_empty());
}

#[test]
fn decimal_forms() {
    assert_eq!(codes("HRESULT -1073418124 returned"), ["0xC004F074"]);
    assert_eq!(codes("LicenseStatusReason=3221549172"), ["0xC004F074"]);
    assert!(codes("timestamp 1700000000 and 4000000000").is_empty());
    assert!(codes("range 10-1073418124").is_empty());
}

#[test]
fn win32_numbers_after_a_word_for_error() {
    assert_eq!(codes("error 1722"), ["0x800706BA"]);
    assert_eq!(codes("Error: 1722"), ["0x800706BA"]);
    assert_eq!(codes("ERROR 5 while opening"), ["0x80070005"]);
    assert_eq!(codes("failed with error code 1722."), ["0x800706BA"]);
    assert_eq!(codes("Fehler 1722"), ["0x800706BA"]);
    assert_eq!(codes("erreur : 1722"), ["0x800706BA"]);
    assert_eq!(codes("errore 1722"), ["0x800706BA"]);
    assert_eq!(codes("錯誤 1722"), ["0x800706BA"]);
    assert_eq!(codes("發生錯誤：1722"), ["0x800706BA"]);
    assert_eq!(codes("错误代码 1722"), ["0x800706BA"]);
    assert_eq!(codes("エラー 1722"), ["0x800706BA"]);
    assert_eq!(codes("錯誤（1722）"), ["0x800706BA"]);
    // Full-width digits typed with a Chinese input method.
    assert_eq!(codes("錯誤：１７２２"), ["0x800706BA"]);
    // An activation event ID after "error" is kept (explain says it is an event).
    assert_eq!(codes("error 12288"), ["0x80073000"]);
    let f = &find_codes("x Error: 1722 y")[0];
    assert_eq!(f.form, Form::Win32Decimal);
    assert_eq!((f.start, f.end), (9, 13));
}

#[test]
fn bare_small_numbers_stay_ignored() {
    for t in [
        "1722",
        "port 1722 open",
        "errors 5",
        "errorlevel 1",
        "0 errors, 1722 warnings",
        "error 1.5 seconds",
        "error 2024-01-01",
        "error 10:30",
        "error 99999",
        "error 0",
        "error 12345",
        "error 1722abc",
        "terror 1722",
        "error -",
    ] {
        assert!(codes(t).is_empty(), "{t}: {:?}", codes(t));
    }
    // Codes in the usual forms after "error" are still found as before.
    assert_eq!(codes("Error: 0xC004F074"), ["0xC004F074"]);
    assert_eq!(codes("error -1073418124"), ["0xC004F074"]);
}

#[test]
fn not_codes() {
    assert!(codes("address 0x00007FF6A1B2C3D4").is_empty());
    assert!(codes("word0xC004F074").is_empty());
    assert!(codes("0xC004F074abc").is_empty());
    assert!(codes("").is_empty());
}

#[test]
fn fullwidth_input() {
    let t = "錯誤：０ｘＣ００４Ｆ０７４";
    let f = find_codes(t);
    assert_eq!(f[0].code.to_string(), "0xC004F074");
    assert_eq!(&t[f[0].start..f[0].end], "０ｘＣ００４Ｆ０７４");
}

#[test]
fn distinct_keeps_first_order() {
    let d = distinct_codes("0x8007232B 0xC004F074 0x8007232B");
    assert_eq!(d, [ErrorCode::new(0x8007232B), ErrorCode::new(0xC004F074)]);
}
