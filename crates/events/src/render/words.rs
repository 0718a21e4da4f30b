//! The words and small formats the renderers share: labels in both languages, times,
//! codes, skew, the attention lines, client cells.

use std::fmt::Write as _;

use volact_core::Lang;
use volact_core::event::Timestamp;

use crate::analyze::{ClientRow, CodeCount, Report};

pub(super) fn per_day_header(lang: Lang) -> &'static str {
    lang.pick(
        "Requests per day (UTC, newest days)",
        "每日要求次數（UTC，最近幾天）",
    )
}

pub(super) fn per_day_columns(lang: Lang) -> &'static str {
    lang.pick(
        "date | requests | activated | count too low (0xC004F038) | other codes",
        "日期 | 要求 | 已啟用 | 計數不足（0xC004F038） | 其他代碼",
    )
}

/// "… N earlier days (M requests) not shown", or `None` when every day is shown.
pub(super) fn per_day_more(h: &crate::analyze::HostView, lang: Lang) -> Option<String> {
    let hidden = h.per_day.len().saturating_sub(TEXT_DAYS);
    if hidden == 0 && h.per_day_omitted == 0 {
        return None;
    }
    let hidden_requests: u64 =
        h.per_day[..hidden].iter().map(|d| d.requests).sum::<u64>() + h.per_day_omitted;
    Some(match lang {
        Lang::En => format!(
            "… {hidden_requests} requests on earlier days not shown{}",
            if hidden > 0 {
                format!(" ({hidden} more days in --format json)")
            } else {
                String::new()
            }
        ),
        Lang::ZhTw => format!(
            "… 更早日期的 {hidden_requests} 次要求未列出{}",
            if hidden > 0 {
                format!("（另 {hidden} 天見 --format json）")
            } else {
                String::new()
            }
        ),
    })
}

pub(super) fn ts(t: Option<Timestamp>) -> String {
    t.map_or_else(|| "-".to_owned(), |t| t.to_string())
}

pub(super) fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

/// `label value`, as in "attempts: 3".
pub(super) fn field(label: &str, value: impl std::fmt::Display) -> String {
    format!("{label} {value}")
}

pub(super) fn code_line(c: &CodeCount) -> String {
    match c.name {
        Some(n) if c.summary.starts_with(n) => format!("{} {}", c.code, c.summary),
        Some(n) => format!("{} {n}: {}", c.code, c.summary),
        None => format!("{}: {}", c.code, c.summary),
    }
}

/// A client's clock skew (client time minus host time: positive means the client is ahead of the
/// KMS host) in the words of [`volact_core::clock`]: "the client's clock is 7 h 15 min ahead of
/// the KMS host", "用戶端的時鐘比 KMS 主機慢 6 小時 00 分".
pub fn skew(secs: i64, lang: Lang) -> String {
    use volact_core::clock::{Party, describe};
    // Exact for every skew a log can hold (|secs| < 2^53).
    describe(secs as f64, Party::ClientClock, Party::KmsHost, lang)
}

pub(super) fn names(n: &[String], total: u64) -> String {
    let mut s = n.join(", ");
    if total > n.len() as u64 {
        let _ = write!(s, ", … (+{})", total - n.len() as u64);
    }
    s
}

/// The mark after the last request of a client outside the count's window.
pub(super) fn outside_mark(lang: Lang) -> &'static str {
    lang.pick(
        " (outside the 30-day window, not counted)",
        "（超出 30 天範圍，不列入計數）",
    )
}

pub(super) fn client_cells(c: &ClientRow, lang: Lang) -> Vec<String> {
    let mut last = ts(c.last_seen);
    if c.outside_window {
        last.push_str(outside_mark(lang));
    }
    vec![
        c.name.clone(),
        c.cmid.clone(),
        last,
        c.last_code
            .as_ref()
            .map_or_else(|| "-".to_owned(), |x| x.code.to_string()),
        c.license_state
            .as_ref()
            .map_or_else(|| "-".to_owned(), |s| s.label.to_string()),
        match c.vm {
            Some(true) => lang.pick("yes", "是").to_owned(),
            Some(false) => lang.pick("no", "否").to_owned(),
            None => "-".to_owned(),
        },
        opt(c.min_count),
        c.requests.to_string(),
        product_cell(c.product, c.activation_id.as_deref()),
        c.family.map_or_else(
            || "-".to_owned(),
            |f| family_label(Some(f), lang).to_owned(),
        ),
    ]
}

/// A product as a cell: its name, or the Activation ID as logged when the products table does
/// not know it (never a guess), or `-`.
pub(super) fn product_cell(product: Option<&str>, activation_id: Option<&str>) -> String {
    product.or(activation_id).unwrap_or("-").to_owned()
}

/// A product family in `lang` (`None`: not named by the products table).
pub(super) fn family_label(f: Option<volact_core::products::Family>, lang: Lang) -> &'static str {
    use volact_core::products::Family;
    match f {
        Some(Family::Windows) => lang.pick("Windows client", "Windows 用戶端"),
        Some(Family::Server) => lang.pick("Windows Server", "Windows Server"),
        Some(Family::Office) => lang.pick("Office", "Office"),
        None => lang.pick("not in the products table", "不在產品表中"),
    }
}

/// Rows listed in text and Markdown before "…and N more" (CSV, JSON and NDJSON list all).
pub const TEXT_ROWS: usize = 50;

/// Days of the per-day histogram shown in text and Markdown (the newest; JSON lists all).
pub const TEXT_DAYS: usize = 14;

/// The examples of unreadable data in `lang` (the English texts if the details do not match).
pub(super) fn bad_texts(s: &crate::analyze::Stats, lang: Lang) -> Vec<String> {
    if s.bad_example_details.len() == s.bad_examples.len() {
        s.bad_example_details
            .iter()
            .map(|b| b.message(lang))
            .collect()
    } else {
        s.bad_examples.clone()
    }
}

/// The kept warnings in `lang` (the English texts if the details do not match them).
pub(super) fn warning_texts(r: &Report, lang: Lang) -> Vec<String> {
    if r.warning_details.len() == r.warnings.len() {
        r.warning_details.iter().map(|w| w.message(lang)).collect()
    } else {
        r.warnings.clone()
    }
}
