//! Sentences of core that are built from facts rather than taken from the knowledge base.

use crate::code::{Decoded, ErrorCode};
use crate::kb::Lang;

/// One sentence about a code the knowledge base does not have: what its fields and names say.
pub fn describe_unknown(code: ErrorCode, d: &Decoded, name: Option<&str>, lang: Lang) -> String {
    let fac = match d.facility_name {
        Some(n) => format!("{} ({n})", d.facility),
        None => d.facility.to_string(),
    };
    let slui = format!("slui.exe 0x2a {code}");
    if d.severity == crate::code::Severity::Success {
        return match lang {
            Lang::En => format!(
                "{}: a success code, not an error.",
                name.unwrap_or("Success")
            ),
            Lang::ZhTw => format!("{}：表示成功的代碼，不是錯誤。", name.unwrap_or("成功")),
        };
    }
    if let Some(nt) = &d.ntstatus {
        let nt_name = nt.names.first().copied();
        return match lang {
            Lang::En => format!(
                "NTSTATUS {} ({}) carried in an HRESULT; not an activation-specific code.",
                nt.value,
                nt_name.unwrap_or("no symbolic name known")
            ),
            Lang::ZhTw => format!(
                "包在 HRESULT 中的 NTSTATUS {} ({})，不是啟用專屬的錯誤碼。",
                nt.value,
                nt_name.unwrap_or("沒有已知的符號名稱")
            ),
        };
    }
    match (lang, &d.win32, name) {
        (Lang::En, Some(w), _) => format!(
            "Win32 error {} ({}) carried in an HRESULT; not an activation-specific code.",
            w.code,
            w.names.first().copied().unwrap_or("no symbolic name known")
        ),
        (Lang::ZhTw, Some(w), _) => format!(
            "包在 HRESULT 中的 Win32 錯誤 {} ({})，不是啟用專屬的錯誤碼。",
            w.code,
            w.names.first().copied().unwrap_or("沒有已知的符號名稱")
        ),
        (Lang::En, None, Some(n)) => format!(
            "{n}: facility {fac}, code {}. Named by Windows' metadata but not explained here; `{slui}` shows Windows' own text for it.",
            d.code
        ),
        (Lang::ZhTw, None, Some(n)) => format!(
            "{n}：設施 {fac}，代碼 {}。Windows 中繼資料有這個名稱，但本工具沒有說明；可執行 `{slui}` 查看 Windows 本身的訊息。",
            d.code
        ),
        (Lang::En, None, None) => format!(
            "Unknown code: severity {}, facility {fac}, code {}. No source volact has names it; on Windows, `{slui}` may show its text.",
            d.severity.as_str(),
            d.code
        ),
        (Lang::ZhTw, None, None) => format!(
            "未知的代碼：嚴重性 {}，設施 {fac}，代碼 {}。volact 所用的資料來源都沒有這個代碼的名稱；在 Windows 上可執行 `{slui}` 查看說明文字。",
            severity_word(d.severity.as_str(), Lang::ZhTw),
            d.code
        ),
    }
}

/// The severity word in the given language.
pub(crate) fn severity_word(severity: &str, lang: Lang) -> &str {
    match (lang, severity) {
        (Lang::ZhTw, "success") => "成功",
        (Lang::ZhTw, "informational") => "資訊",
        (Lang::ZhTw, "failure") => "失敗",
        (Lang::ZhTw, "error") => "錯誤",
        _ => severity,
    }
}
