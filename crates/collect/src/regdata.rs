//! Turning raw registry data into the JSON of [`crate::RegValue`]. Portable, so it is tested on
//! every OS; the Windows collector feeds it what the registry API returns.

use serde_json::Value;

/// Binary data longer than this is summarised by its size.
const MAX_BINARY: usize = 4096;

/// The name of a registry type number, and the data as JSON.
pub(crate) fn convert(ty: u32, bytes: &[u8]) -> (String, Value) {
    let name = match ty {
        0 => "REG_NONE",
        1 => "REG_SZ",
        2 => "REG_EXPAND_SZ",
        3 => "REG_BINARY",
        4 => "REG_DWORD",
        5 => "REG_DWORD_BIG_ENDIAN",
        6 => "REG_LINK",
        7 => "REG_MULTI_SZ",
        11 => "REG_QWORD",
        _ => "",
    };
    let name = if name.is_empty() {
        format!("REG_TYPE_{ty}")
    } else {
        name.to_owned()
    };
    let data = match ty {
        1 | 2 | 6 => Value::String(utf16(bytes).split('\0').next().unwrap_or("").to_owned()),
        7 => Value::Array(
            utf16(bytes)
                .split('\0')
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_owned()))
                .collect(),
        ),
        4 if bytes.len() >= 4 => {
            Value::from(u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
        }
        5 if bytes.len() >= 4 => {
            Value::from(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
        }
        11 if bytes.len() >= 8 => {
            let mut b = [0u8; 8];
            b.copy_from_slice(&bytes[..8]);
            Value::from(u64::from_le_bytes(b))
        }
        _ if bytes.len() > MAX_BINARY => Value::String(format!("<{} bytes>", bytes.len())),
        _ => Value::String(bytes.iter().map(|b| format!("{b:02x}")).collect()),
    };
    (name, data)
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    #[test]
    fn each_type() {
        assert_eq!(
            convert(1, &w("kms01.corp.example\0")),
            ("REG_SZ".into(), Value::from("kms01.corp.example"))
        );
        assert_eq!(
            convert(7, &w("a.example\0b.example,0,0\0\0")).1,
            serde_json::json!(["a.example", "b.example,0,0"])
        );
        assert_eq!(
            convert(4, &1u32.to_le_bytes()),
            ("REG_DWORD".into(), Value::from(1))
        );
        assert_eq!(convert(11, &7u64.to_le_bytes()).1, Value::from(7));
        assert_eq!(convert(3, &[0xde, 0xad]).1, Value::from("dead"));
        assert_eq!(convert(3, &vec![0; 5000]).1, Value::from("<5000 bytes>"));
        assert_eq!(
            convert(4, &[1]).1,
            Value::from("01"),
            "short DWORD kept as hex"
        );
        assert_eq!(convert(99, b"").0, "REG_TYPE_99");
    }
}
