//! Property tests: parsing round-trips for every value, and finding never panics and never misses a
//! code embedded in noise.

use proptest::prelude::*;
use volact_core::find::find_codes;
use volact_core::{ErrorCode, Form, key};

proptest! {
    #[test]
    fn hex_forms_round_trip(v in any::<u32>()) {
        let code = ErrorCode::new(v);
        prop_assert_eq!(ErrorCode::parse(&format!("0x{v:08X}")).unwrap(), code);
        prop_assert_eq!(ErrorCode::parse(&format!("0x{v:08x}")).unwrap(), code);
        prop_assert_eq!(ErrorCode::parse(&format!("{v:08X}")).unwrap(), code);
        prop_assert_eq!(ErrorCode::parse(&code.to_string()).unwrap(), code);
    }

    #[test]
    fn decimal_forms_round_trip(v in 0x1_0000u32..) {
        let code = ErrorCode::new(v);
        // Exactly eight digits are read as hex (`80070005`): Windows prints codes in hex, and a
        // failure code in decimal has ten digits.
        if v.to_string().len() != 8 {
            prop_assert_eq!(ErrorCode::parse(&v.to_string()).unwrap(), code);
        }
        if (v as i32) < 0 {
            let (c, form) = ErrorCode::parse_with_form(&(v as i32).to_string()).unwrap();
            prop_assert_eq!(c, code);
            prop_assert_eq!(form, Form::SignedDecimal);
        }
    }

    #[test]
    fn parse_never_panics(s in "\\PC{0,40}") {
        let _ = ErrorCode::parse(&s);
    }

    #[test]
    fn find_never_panics(s in "\\PC{0,400}") {
        for f in find_codes(&s) {
            prop_assert!(s.is_char_boundary(f.start) && s.is_char_boundary(f.end));
            prop_assert!(f.start < f.end);
        }
    }

    #[test]
    fn find_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let s = String::from_utf8_lossy(&bytes);
        let _ = find_codes(&s);
        let _ = key::redact_keys_in(&s);
        let _ = key::check(&s);
    }

    /// A code written as `0x` + 8 hex digits is found wherever it sits in noise, as long as it is
    /// separated from the noise by a non-word character.
    #[test]
    fn embedded_code_is_found(
        before in "[a-zA-Z0-9 :=,.\\-錯誤碼]{0,60}",
        after in "[a-zA-Z0-9 :=,.\\-錯誤碼]{0,60}",
        v in any::<u32>(),
        sep1 in "[ :=(\\[\"'\t]",
        sep2 in "[ .,;)\\]\"'\t\n]",
        lower in any::<bool>(),
    ) {
        let code = if lower { format!("0x{v:08x}") } else { format!("0x{v:08X}") };
        let text = format!("{before}{sep1}{code}{sep2}{after}");
        let found = find_codes(&text);
        let start = before.len() + sep1.len();
        prop_assert!(
            found.iter().any(|f| f.code.value() == v && f.start == start),
            "{text:?} -> {found:?}"
        );
    }

    #[test]
    fn redaction_never_leaks_more_than_five(key_chars in "[BCDFGHJKMNPQRTVWXY2346789]{25}") {
        let key = format!(
            "{}-{}-{}-{}-{}",
            &key_chars[0..5], &key_chars[5..10], &key_chars[10..15], &key_chars[15..20], &key_chars[20..25]
        );
        let text = format!("Installing key {key} now");
        let red = key::redact_keys_in(&text);
        prop_assert!(!red.contains(&key_chars[0..5]) || key_chars[0..5] == key_chars[20..25]);
        let expected = format!("*****-*****-*****-*****-{}", &key_chars[20..25]);
        prop_assert!(red.contains(&expected));
        prop_assert_eq!(key::check(&key).redacted, expected);
    }
}
