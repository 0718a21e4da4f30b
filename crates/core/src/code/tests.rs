use super::*;

macro_rules! parses {
    ($($name:ident: $input:expr => $value:expr, $form:ident;)*) => {$(
        #[test]
        fn $name() {
            let (code, form) = ErrorCode::parse_with_form($input).unwrap();
            assert_eq!(code.value(), $value, "input {:?}", $input);
            assert_eq!(form, Form::$form);
        }
    )*};
}

parses! {
    prefixed_upper:        "0xC004F074"   => 0xC004F074, PrefixedHex;
    prefixed_capital_x:    "0XC004F074"   => 0xC004F074, PrefixedHex;
    prefixed_lower:        "0xc004f074"   => 0xC004F074, PrefixedHex;
    bare_upper:            "C004F074"     => 0xC004F074, BareHex;
    bare_lower:            "c004f074"     => 0xC004F074, BareHex;
    bare_all_digits:       "80070005"     => 0x80070005, BareHex;
    signed_decimal:        "-1073418124"  => 0xC004F074, SignedDecimal;
    unsigned_decimal:      "3221549172"   => 0xC004F074, UnsignedDecimal;
    signed_min:            "-2147483648"  => 0x80000000, SignedDecimal;
    surrounding_space:     "  0x8007232b\n" => 0x8007232B, PrefixedHex;
    win32_decimal:         "1722"         => 0x800706BA, Win32Decimal;
    win32_hex:             "0x6BA"        => 0x800706BA, Win32Hex;
    zero:                  "0"            => 0, UnsignedDecimal;
    leading_zero_hex:      "0x00000005"   => 5, PrefixedHex;
    informational:         "0x4004F065"   => 0x4004F065, PrefixedHex;
}

#[test]
fn rejects_bad_input() {
    for bad in [
        "",
        "   ",
        "0x",
        "0xZZ",
        "0x1C004F074",
        "-",
        "-12a",
        "4294967296",
        "-2147483649",
        "hello",
        "C004F07",
        "0xC004F074 and more text to make it long",
    ] {
        assert!(ErrorCode::parse(bad).is_err(), "{bad:?} should not parse");
    }
}

#[test]
fn displays_canonical_form() {
    assert_eq!(ErrorCode(0xc004f074).to_string(), "0xC004F074");
    assert_eq!(ErrorCode(5).to_string(), "0x00000005");
    assert_eq!(ErrorCode(0xC004F074).signed(), -1073418124);
}

#[test]
fn decodes_licensing_code() {
    let d = ErrorCode(0xC004F074).decode();
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(d.facility, 4);
    assert_eq!(d.facility_name, Some("FACILITY_ITF"));
    assert_eq!(d.code, 0xF074);
    assert!(d.win32.is_none());
}

#[test]
fn decodes_ntstatus_code() {
    let d = ErrorCode(0xC0020017).decode();
    assert_eq!(d.facility, 2);
    assert_eq!(d.facility_name, Some("FACILITY_RPC_RUNTIME"));
    assert!(
        ErrorCode(0xC0020017)
            .names()
            .contains(&"RPC_NT_SERVER_UNAVAILABLE")
    );
}

#[test]
fn decodes_hresult_from_nt() {
    let d = ErrorCode(0xD0000022).decode();
    assert!(d.ntstatus_mapped);
    let nt = d.ntstatus.unwrap();
    assert_eq!(nt.value, ErrorCode(0xC0000022));
    assert!(nt.names.contains(&"STATUS_ACCESS_DENIED"));
}

#[test]
fn success_codes_prefer_generic_names() {
    assert_eq!(ErrorCode(0).names().first(), Some(&"S_OK"));
    assert_eq!(ErrorCode(1).names().first(), Some(&"S_FALSE"));
}

#[test]
fn decodes_win32_code() {
    let d = ErrorCode(0x80070005).decode();
    assert_eq!(d.severity, Severity::Failure);
    assert_eq!(d.facility, 7);
    assert_eq!(d.facility_name, Some("FACILITY_WIN32"));
    let w = d.win32.unwrap();
    assert_eq!(w.code, 5);
    assert_eq!(w.names.first(), Some(&"ERROR_ACCESS_DENIED"));
    let d = ErrorCode(0x8007232B).decode();
    assert!(
        d.win32
            .unwrap()
            .names
            .contains(&"DNS_ERROR_RCODE_NAME_ERROR")
    );
}

#[test]
fn decodes_unknown_code_honestly() {
    let d = ErrorCode(0x8ABC1234).decode();
    assert_eq!(d.severity, Severity::Failure);
    assert_eq!(
        d.facility, 0x2BC,
        "eleven bits: the X bit is not part of the facility"
    );
    assert_eq!(d.facility_name, None);
    assert!(d.win32.is_none());
    assert!(ErrorCode(0x8ABC1234).names().is_empty());
}
