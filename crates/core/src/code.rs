//! The [`ErrorCode`] type: one 32-bit activation or Windows error code, parsed from any form a user
//! pastes and decoded into its HRESULT fields.
//!
//! Windows shows the same code as `0xC004F074`, `C004F074`, `-1073418124` (WMI, PowerShell `$?`,
//! Win32 metadata, which types HRESULTs as signed) or `3221549172` (unsigned decimal in some logs).
//! All of them are the same [`ErrorCode`], which always displays as `0xC004F074`.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::error::ParseCodeError;
use crate::names;

/// A 32-bit error code (HRESULT, NTSTATUS-style SL code, or an HRESULT wrapping a Win32 error).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ErrorCode(pub(crate) u32);

/// How the text of a code was written, so a front end can say how it read the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    /// `0x` followed by hex digits: `0xC004F074`.
    PrefixedHex,
    /// Eight hex digits without a prefix: `C004F074`.
    BareHex,
    /// A negative decimal number, the signed view of the HRESULT: `-1073418124`.
    SignedDecimal,
    /// An unsigned decimal number: `3221549172`.
    UnsignedDecimal,
    /// A small decimal number read as a Win32 error and wrapped as `HRESULT_FROM_WIN32`: `1722`.
    Win32Decimal,
    /// A short `0x` number (at most `0xFFFF`) read as a Win32 error: `0x6BA`.
    Win32Hex,
    /// A symbolic name: `SL_E_VL_INVALID_TIMESTAMP`, `ERROR_ACCESS_DENIED`.
    Name,
}

impl ErrorCode {
    /// Wraps a raw 32-bit value.
    pub const fn new(value: u32) -> Self {
        Self(value)
    }

    /// The HRESULT that wraps Win32 error `code` (`HRESULT_FROM_WIN32`): `0x8007xxxx`, or `S_OK` for 0.
    pub const fn from_win32(code: u16) -> Self {
        if code == 0 {
            Self(0)
        } else {
            Self(0x8007_0000 | code as u32)
        }
    }

    /// The unsigned value.
    pub const fn value(self) -> u32 {
        self.0
    }

    /// The signed view, as Win32 metadata and WMI print it.
    pub const fn signed(self) -> i32 {
        self.0 as i32
    }

    /// Parses one code written in any supported form, strictly: the whole string must be the code.
    ///
    /// Accepted: `0xC004F074`, `0XC004F074`, `C004F074`, `c004f074`, `-1073418124`, `3221549172`,
    /// and, read as Win32 errors wrapped in an HRESULT, small numbers such as `1722` or `0x6BA`.
    ///
    /// ```
    /// use volact_core::ErrorCode;
    /// let code: ErrorCode = "-1073418124".parse().unwrap();
    /// assert_eq!(code.to_string(), "0xC004F074");
    /// assert_eq!(ErrorCode::parse("1722").unwrap().to_string(), "0x800706BA");
    /// ```
    pub fn parse(input: &str) -> Result<Self, ParseCodeError> {
        Self::parse_with_form(input).map(|(c, _)| c)
    }

    /// Like [`ErrorCode::parse`], and also says which form the input was in.
    pub fn parse_with_form(input: &str) -> Result<(Self, Form), ParseCodeError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(ParseCodeError::Empty);
        }
        if s.len() > 24 {
            return Err(ParseCodeError::TooLong { len: s.len() });
        }
        if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
            if hex.is_empty() || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(ParseCodeError::InvalidHex {
                    input: s.to_owned(),
                });
            }
            let digits = hex.trim_start_matches('0');
            if digits.len() > 8 {
                return Err(ParseCodeError::OutOfRange {
                    input: s.to_owned(),
                });
            }
            let v = u32::from_str_radix(hex.get(hex.len().saturating_sub(8)..).unwrap_or(hex), 16)
                .map_err(|_| ParseCodeError::OutOfRange {
                    input: s.to_owned(),
                })?;
            if hex.len() < 8 && (1..=0xFFFF).contains(&v) {
                return Ok((Self::from_win32(v as u16), Form::Win32Hex));
            }
            return Ok((Self(v), Form::PrefixedHex));
        }
        let bytes = s.as_bytes();
        if bytes.len() == 8 && bytes.iter().all(u8::is_ascii_hexdigit) {
            // Eight hex digits are a code written without its prefix, even when they happen to be
            // all decimal digits (`80070005`): Windows always shows codes in hex.
            let v = u32::from_str_radix(s, 16).expect("eight hex digits fit in u32");
            return Ok((Self(v), Form::BareHex));
        }
        if let Some(dec) = s.strip_prefix('-') {
            if dec.is_empty() || !dec.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ParseCodeError::Unrecognised {
                    input: s.to_owned(),
                });
            }
            let v: i64 = dec.parse().map_err(|_| ParseCodeError::OutOfRange {
                input: s.to_owned(),
            })?;
            if v > i64::from(i32::MAX) + 1 {
                return Err(ParseCodeError::OutOfRange {
                    input: s.to_owned(),
                });
            }
            return Ok((Self((-v) as i32 as u32), Form::SignedDecimal));
        }
        if bytes.iter().all(u8::is_ascii_digit) {
            let v: u64 = s.parse().map_err(|_| ParseCodeError::OutOfRange {
                input: s.to_owned(),
            })?;
            let v = u32::try_from(v).map_err(|_| ParseCodeError::OutOfRange {
                input: s.to_owned(),
            })?;
            if (1..=0xFFFF).contains(&v) {
                return Ok((Self::from_win32(v as u16), Form::Win32Decimal));
            }
            return Ok((Self(v), Form::UnsignedDecimal));
        }
        Err(ParseCodeError::Unrecognised {
            input: s.to_owned(),
        })
    }

    /// Splits the code into its HRESULT fields and names what can be named, without inventing anything.
    pub fn decode(self) -> Decoded {
        let v = self.0;
        let severity = match v >> 30 {
            0 => Severity::Success,
            1 => Severity::Informational,
            2 => Severity::Failure,
            _ => Severity::Error,
        };
        let facility = ((v >> 16) & 0x7FF) as u16;
        let low = (v & 0xFFFF) as u16;
        // With both severity bits set, a value may be an NTSTATUS (whose facility field is twelve
        // bits wide and numbered differently) or an HRESULT such as the SL_E_* licensing codes,
        // which Windows' metadata types as HRESULT. Only values the NTSTATUS table names are read
        // as NTSTATUS.
        let ntstatus_style =
            v >> 30 == 3 && names::licensing(v).is_empty() && !names::ntstatus(v).is_empty();
        let facility_name = if ntstatus_style {
            names::ntstatus_facility(((v >> 16) & 0xFFF) as u16)
        } else {
            names::hresult_facility(facility)
        };
        let win32 = (facility == 7 && v >> 30 == 2).then(|| Win32 {
            code: low,
            names: names::win32(low),
        });
        Decoded {
            severity,
            customer: v & 0x2000_0000 != 0,
            ntstatus_mapped: v & 0x1000_0000 != 0,
            facility,
            facility_name,
            code: low,
            win32,
            ntstatus: (v >> 31 == 1 && v & 0x1000_0000 != 0).then(|| {
                let nt = v & !0x1000_0000;
                NtStatus {
                    value: ErrorCode(nt),
                    names: names::ntstatus(nt),
                }
            }),
        }
    }

    /// Every symbolic name the name tables give for this exact value (not for its Win32 part).
    pub fn names(self) -> Vec<&'static str> {
        let mut v = names::licensing(self.0);
        v.extend(names::hresult(self.0));
        if self.0 >> 30 == 3 && v.is_empty() {
            v.extend(names::ntstatus(self.0));
        }
        v
    }
}

/// The severity bits of a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Top bits `00`: success.
    Success,
    /// Top bits `01`: informational (for example the `SL_I_*` codes).
    Informational,
    /// Top bits `10`: an ordinary failure HRESULT.
    Failure,
    /// Top bits `11`: an error in the NTSTATUS layout, as the `SL_E_*` licensing codes are.
    Error,
}

impl Severity {
    /// A stable lower-case word.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Success => "success",
            Severity::Informational => "informational",
            Severity::Failure => "failure",
            Severity::Error => "error",
        }
    }
}

/// The Win32 error inside a `FACILITY_WIN32` HRESULT.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Win32 {
    /// The Win32 error number.
    pub code: u16,
    /// Its symbolic names, primary first (empty when no table names it).
    pub names: Vec<&'static str>,
}

/// The NTSTATUS inside an `HRESULT_FROM_NT` value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NtStatus {
    /// The NTSTATUS value (the HRESULT without its N bit).
    pub value: ErrorCode,
    /// Its symbolic names (empty when no table names it).
    pub names: Vec<&'static str>,
}

/// The fields of a code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decoded {
    /// Severity bits.
    pub severity: Severity,
    /// The customer bit (set on codes defined by third parties).
    pub customer: bool,
    /// The N bit: an NTSTATUS mapped into an HRESULT.
    pub ntstatus_mapped: bool,
    /// The facility number.
    pub facility: u16,
    /// The facility's symbolic name, when the tables have one.
    pub facility_name: Option<&'static str>,
    /// The low sixteen bits.
    pub code: u16,
    /// For `FACILITY_WIN32` failures, the Win32 error they wrap.
    pub win32: Option<Win32>,
    /// For failures with the N bit set (`HRESULT_FROM_NT`), the NTSTATUS they wrap.
    pub ntstatus: Option<NtStatus>,
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:08X}", self.0)
    }
}

impl fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ErrorCode(0x{:08X})", self.0)
    }
}

impl FromStr for ErrorCode {
    type Err = ParseCodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests;
