//! Text parser for the `pub const` lines of the windows-sys sources.
//!
//! windows-sys 0.61.2 writes every integer constant on one line, e.g.
//!
//! ```text
//! pub const SL_E_VL_BINDING_SERVICE_UNAVAILABLE: windows_sys::core::HRESULT = 0xC004F074_u32 as _;
//! pub const ERROR_ACCESS_DENIED: WIN32_ERROR = 5u32;
//! pub const WSAECONNREFUSED: WSA_ERROR = 10061i32;
//! pub const INVALID_HANDLE_VALUE: HANDLE = -1i32 as _;
//! ```
//!
//! Only such lines are recognised; anything whose value is not an integer literal (GUIDs, strings,
//! floats, references to other constants, associated constants inside `impl` blocks) is skipped.

/// One integer constant read from a single source line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Constant<'a> {
    /// The constant's identifier, e.g. `ERROR_ACCESS_DENIED`.
    pub(crate) name: &'a str,
    /// The declared type as written, e.g. `windows_sys::core::HRESULT` or `WIN32_ERROR`.
    pub(crate) ty: &'a str,
    /// The literal's mathematical value (before any `as _` cast).
    pub(crate) value: i128,
}

impl<'a> Constant<'a> {
    /// The last path segment of the declared type (`HRESULT` for `windows_sys::core::HRESULT`).
    pub(crate) fn type_name(&self) -> &'a str {
        self.ty.rsplit("::").next().unwrap_or(self.ty)
    }
}

/// A value as a 32-bit pattern: non-negative values up to `u32::MAX` as they are, negative values
/// that fit an `i32` in two's complement (what `-1i32 as _` means for a 32-bit type).
pub(crate) fn bits32(value: i128) -> Option<u32> {
    match u32::try_from(value) {
        Ok(v) => Some(v),
        Err(_) => i32::try_from(value).ok().map(i32::cast_unsigned),
    }
}

/// Parses one source line; `None` unless it is a top-level `pub const NAME: TYPE = <int literal>;`,
/// optionally followed by a cast (`... as _`).
pub(crate) fn parse_line(line: &str) -> Option<Constant<'_>> {
    let rest = line.strip_prefix("pub const ")?;
    let (name, rest) = rest.split_once(": ")?;
    if !is_identifier(name) {
        return None;
    }
    let (ty, rest) = rest.split_once(" = ")?;
    let ty = ty.trim();
    if ty.is_empty() {
        return None;
    }
    let expr = rest.trim_end().strip_suffix(';')?.trim();
    let literal = match expr.split_once(" as ") {
        Some((literal, target)) => {
            let target = target.trim();
            if target != "_" && !target.split("::").all(is_identifier) {
                return None;
            }
            literal.trim()
        }
        None => expr,
    };
    let value = parse_int_literal(literal)?;
    Some(Constant { name, ty, value })
}

/// Parses a Rust integer literal with optional minus sign, `0x` prefix, `_` separators and type
/// suffix (`5u32`, `-2147467259i32`, `0xC004F074_u32`, `7`). Floats and anything else give `None`,
/// as does a value that does not fit its suffix type.
pub(crate) fn parse_int_literal(text: &str) -> Option<i128> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (radix, body) = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(rest) => (16, rest),
        None => (10, text),
    };
    // Integer suffixes start with `u` or `i`, neither of which is a hex digit.
    let (digits, suffix) = match body.find(['u', 'i']) {
        Some(at) => body.split_at(at),
        None => (body, ""),
    };
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(&digits, radix).ok()?;
    let value = if negative { -magnitude } else { magnitude };
    let fits = match suffix {
        "" => true,
        "u8" => u8::try_from(value).is_ok(),
        "u16" => u16::try_from(value).is_ok(),
        "u32" => u32::try_from(value).is_ok(),
        "u64" | "usize" => u64::try_from(value).is_ok(),
        "i8" => i8::try_from(value).is_ok(),
        "i16" => i16::try_from(value).is_ok(),
        "i32" => i32::try_from(value).is_ok(),
        "i64" | "isize" => i64::try_from(value).is_ok(),
        _ => false,
    };
    fits.then_some(value)
}

/// True for a non-empty ASCII Rust identifier (`[A-Za-z_][A-Za-z0-9_]*`).
fn is_identifier(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(line: &str) -> (&str, &str, i128) {
        let c = parse_line(line).unwrap_or_else(|| panic!("did not parse: {line}"));
        (c.name, c.type_name(), c.value)
    }

    #[test]
    fn hex_with_cast() {
        let line = "pub const SL_E_VL_BINDING_SERVICE_UNAVAILABLE: windows_sys::core::HRESULT = 0xC004F074_u32 as _;";
        let c = parse_line(line).unwrap();
        assert_eq!(c.name, "SL_E_VL_BINDING_SERVICE_UNAVAILABLE");
        assert_eq!(c.ty, "windows_sys::core::HRESULT");
        assert_eq!(c.type_name(), "HRESULT");
        assert_eq!(c.value, 0xC004_F074);
        assert_eq!(bits32(c.value), Some(0xC004_F074));
    }

    #[test]
    fn ntstatus_hex() {
        assert_eq!(
            parsed("pub const RPC_NT_SERVER_UNAVAILABLE: NTSTATUS = 0xC0020017_u32 as _;"),
            ("RPC_NT_SERVER_UNAVAILABLE", "NTSTATUS", 0xC002_0017)
        );
    }

    #[test]
    fn decimal_with_suffix() {
        assert_eq!(
            parsed("pub const ERROR_ACCESS_DENIED: WIN32_ERROR = 5u32;"),
            ("ERROR_ACCESS_DENIED", "WIN32_ERROR", 5)
        );
        assert_eq!(
            parsed("pub const WSAECONNREFUSED: WSA_ERROR = 10061i32;"),
            ("WSAECONNREFUSED", "WSA_ERROR", 10061)
        );
        assert_eq!(
            parsed("pub const ERROR_INTERNET_NAME_NOT_RESOLVED: u32 = 12007u32;"),
            ("ERROR_INTERNET_NAME_NOT_RESOLVED", "u32", 12007)
        );
        assert_eq!(
            parsed("pub const FACILITY_WIN32K_NTGDI: NTSTATUS_FACILITY_CODE = 63u32;"),
            ("FACILITY_WIN32K_NTGDI", "NTSTATUS_FACILITY_CODE", 63)
        );
    }

    #[test]
    fn large_decimal_u32() {
        let c = parse_line("pub const ERROR_BAD_SECTION_NAME_LINE: WIN32_ERROR = 3758096385u32;")
            .unwrap();
        assert_eq!(c.value, 3_758_096_385);
        assert_eq!(bits32(c.value), Some(0xE000_0001));
    }

    #[test]
    fn negative_i32() {
        let c = parse_line("pub const E_FAIL_LIKE: i32 = -2147467259i32;").unwrap();
        assert_eq!(c.value, -2_147_467_259);
        assert_eq!(bits32(c.value), Some(0x8000_4005));
        let c = parse_line("pub const INVALID_HANDLE_VALUE: HANDLE = -1i32 as _;").unwrap();
        assert_eq!(c.value, -1);
        assert_eq!(bits32(c.value), Some(0xFFFF_FFFF));
    }

    #[test]
    fn cast_to_named_type() {
        assert_eq!(
            parsed("pub const X: super::super::Foundation::HWND = 3u32 as isize;"),
            ("X", "HWND", 3)
        );
    }

    #[test]
    fn unsuffixed_and_separated() {
        assert_eq!(parsed("pub const A: u32 = 1_000;"), ("A", "u32", 1000));
        assert_eq!(parsed("pub const B: u16 = 0xFF_FF;"), ("B", "u16", 0xFFFF));
    }

    #[test]
    fn non_literals_are_skipped() {
        for line in [
            "pub const IID_X: windows_sys::core::GUID = windows_sys::core::GUID::from_u128(0x00000000_0000_0000_c000_000000000046);",
            "pub const NAME: windows_sys::core::PCWSTR = windows_sys::core::w!(\"Name\");",
            "pub const ALIAS: WIN32_ERROR = ERROR_ACCESS_DENIED;",
            "pub const UIA_ScrollPatternNoScroll: f64 = -1f64;",
            "pub const HALF: f32 = 0.5;",
            "pub const WEIRD: u32 = 5u32 + 1;",
            "    pub const Interactive: Self = Self(2i32);",
            "// pub const COMMENTED: u32 = 1u32;",
            "pub const NO_SEMICOLON: u32 = 1u32",
            "pub struct NOT_A_CONST { pub x: u32 }",
        ] {
            assert_eq!(parse_line(line), None, "{line}");
        }
    }

    #[test]
    fn literal_must_fit_its_suffix() {
        assert_eq!(parse_int_literal("256u8"), None);
        assert_eq!(parse_int_literal("-1u32"), None);
        assert_eq!(parse_int_literal("0x1_0000_0000_u32"), None);
        assert_eq!(parse_int_literal("-2147483648i32"), Some(-2_147_483_648));
        assert_eq!(
            parse_int_literal("18446744073709551615u64"),
            Some(i128::from(u64::MAX))
        );
        assert_eq!(parse_int_literal("0x"), None);
        assert_eq!(parse_int_literal("u32"), None);
        assert_eq!(parse_int_literal("12ab"), None);
    }

    #[test]
    fn bits32_range() {
        assert_eq!(bits32(i128::from(u32::MAX)), Some(u32::MAX));
        assert_eq!(bits32(i128::from(u32::MAX) + 1), None);
        assert_eq!(bits32(i128::from(i32::MIN)), Some(0x8000_0000));
        assert_eq!(bits32(i128::from(i32::MIN) - 1), None);
    }
}
