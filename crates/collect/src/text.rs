//! Decoding what Windows tools print: UTF-16LE (`cscript //U`, PowerShell redirection), UTF-8,
//! or the console's OEM code page (`w32tm`, `ipconfig`).

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use volact_core::text::TextEncoding;

/// Decoded text and how it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with a byte-order mark removed.
    pub text: String,
    /// The encoding used (`UTF-8`, `UTF-16LE`, `Big5`, ...).
    pub encoding: &'static str,
    /// Whether invalid sequences were replaced by U+FFFD.
    pub replaced: bool,
}

/// Decodes `bytes`: a byte-order mark wins; then the zero-byte pattern of UTF-16; then UTF-8 if
/// the bytes are valid UTF-8; otherwise `fallback` (the OEM code page of the machine that
/// produced them), or windows-1252 when that is unknown.
pub fn decode(bytes: &[u8], fallback: Option<&'static Encoding>) -> Decoded {
    let enc = match volact_core::text::sniff(bytes) {
        (TextEncoding::Utf16Le, _) => UTF_16LE,
        (TextEncoding::Utf16Be, _) => UTF_16BE,
        (TextEncoding::Utf8, bom) if bom > 0 => UTF_8,
        (TextEncoding::Utf8, _) if std::str::from_utf8(bytes).is_ok() => UTF_8,
        (TextEncoding::Utf8, _) => fallback.unwrap_or(encoding_rs::WINDOWS_1252),
    };
    let (text, used, replaced) = enc.decode(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: used.name(),
        replaced,
    }
}

/// The encoding of a Windows code page number, when encoding_rs knows it. The DOS code pages 437
/// and 850 that English and Western European consoles use are not among them; their ASCII part
/// (all that `w32tm` and `ipconfig` print in those languages) reads the same in windows-1252.
pub fn code_page(cp: u32) -> Option<&'static Encoding> {
    Some(match cp {
        65001 => UTF_8,
        1200 => UTF_16LE,
        1201 => UTF_16BE,
        936 | 54936 => encoding_rs::GBK,
        950 => encoding_rs::BIG5,
        932 => encoding_rs::SHIFT_JIS,
        949 => encoding_rs::EUC_KR,
        866 => encoding_rs::IBM866,
        874 => encoding_rs::WINDOWS_874,
        1250 => encoding_rs::WINDOWS_1250,
        1251 => encoding_rs::WINDOWS_1251,
        437 | 850 | 1252 => encoding_rs::WINDOWS_1252,
        1253 => encoding_rs::WINDOWS_1253,
        1254 => encoding_rs::WINDOWS_1254,
        1255 => encoding_rs::WINDOWS_1255,
        1256 => encoding_rs::WINDOWS_1256,
        1257 => encoding_rs::WINDOWS_1257,
        1258 => encoding_rs::WINDOWS_1258,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16le_with_and_without_bom() {
        let t = "Name: Windows(R), EnterpriseN edition\r\n";
        let mut b: Vec<u8> = t.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&b, None).text, t);
        assert_eq!(decode(&b, None).encoding, "UTF-16LE");
        b.splice(0..0, [0xFF, 0xFE]);
        assert_eq!(decode(&b, None).text, t);
    }

    #[test]
    fn big5_console_output() {
        let (b, _, _) = encoding_rs::BIG5.encode("來源: time.windows.com\r\n");
        let d = decode(&b, code_page(950));
        assert_eq!(d.text, "來源: time.windows.com\r\n");
        assert_eq!(d.encoding, "Big5");
        assert!(!d.replaced);
    }

    #[test]
    fn utf8_wins_over_the_fallback() {
        let d = decode("錯誤 0xC004F074".as_bytes(), code_page(950));
        assert_eq!(d.encoding, "UTF-8");
    }
}
