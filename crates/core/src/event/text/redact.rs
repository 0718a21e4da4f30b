//! Values somebody replaced before sharing a log: placeholders such as `<CMID>`, `<DateTime>` or
//! `<KMS Host FQDN>` (support articles write them), and masks such as `xxxx` or `***`. Such a
//! field holds no value: it is read as absent, and the record is counted as partial.

use serde::Serialize;

/// How a value was hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Redaction {
    /// A name in angle brackets standing for the value (`<CMID>`, `<KMS Host FQDN>:1688`).
    Placeholder,
    /// The value overwritten with `x`, `X` or `*` (`xxxx`, `XXXXXXXX-XXXX-…`, `***`).
    Masked,
}

impl Redaction {
    /// Stable identifier.
    pub fn id(self) -> &'static str {
        match self {
            Redaction::Placeholder => "placeholder",
            Redaction::Masked => "masked",
        }
    }
}

/// Longest text between angle brackets taken for a placeholder.
const MAX_PLACEHOLDER: usize = 48;

/// Whether `v` (one field) is a placeholder or a mask rather than a value.
///
/// ```
/// use volact_core::event::text::{redaction, Redaction};
/// assert_eq!(redaction("<KMS Host FQDN>:1688"), Some(Redaction::Placeholder));
/// assert_eq!(redaction("36f27b39-xxxx-440b-be67-a09996d27a38"), Some(Redaction::Masked));
/// assert_eq!(redaction("***"), Some(Redaction::Masked));
/// assert_eq!(redaction("0xC004F074"), None);
/// assert_eq!(redaction("kms01.contoso.com:1688"), None);
/// ```
pub fn redaction(v: &str) -> Option<Redaction> {
    let v = v.trim();
    if let Some(a) = v.find('<')
        && let Some(len) = v[a + 1..].find('>')
    {
        let inner = &v[a + 1..a + 1 + len];
        if !inner.is_empty()
            && inner.len() <= MAX_PLACEHOLDER
            && inner.chars().any(char::is_alphabetic)
            && inner
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.'))
        {
            return Some(Redaction::Placeholder);
        }
    }
    if v.contains("***") {
        return Some(Redaction::Masked);
    }
    let masked_token = v
        .split(|c: char| !c.is_alphanumeric())
        .any(|t| t.len() >= 3 && t.bytes().all(|b| b == b'x' || b == b'X'));
    masked_token.then_some(Redaction::Masked)
}

/// The comma list `s` with every hidden field left empty, and how the first one was hidden;
/// `None` when no field is hidden (the list is used as it is).
///
/// ```
/// use volact_core::event::text::{scrub_list, Redaction};
/// let (list, how) = scrub_list("0x0, 25, <KMS Client name>, <CMID>, 2026/11/24 9:30").unwrap();
/// assert_eq!(list, "0x0, 25, , , 2026/11/24 9:30");
/// assert_eq!(how, Redaction::Placeholder);
/// ```
pub fn scrub_list(s: &str) -> Option<(String, Redaction)> {
    let mut first = None;
    for f in s.split(',') {
        if let Some(r) = redaction(f) {
            first.get_or_insert(r);
        }
    }
    let how = first?;
    let fields: Vec<&str> = s
        .split(',')
        .map(|f| match redaction(f) {
            // Keep the list's own spacing: ", <CMID>," becomes ", ,".
            Some(_) if f.starts_with(char::is_whitespace) => " ",
            Some(_) => "",
            None => f,
        })
        .collect();
    Some((fields.join(","), how))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_not_redactions() {
        for v in [
            "0xC004F06C",
            "2010/9/29 21:46",
            "36f27b39-2fd5-440b-be67-a09996d27a38",
            "pc1.contoso.com",
            "<>",
            "Exxon",
            "box",
            "",
        ] {
            assert_eq!(redaction(v), None, "{v}");
        }
    }

    #[test]
    fn placeholders_and_masks() {
        for v in [
            "<CMID>",
            "<DateTime>",
            " <KMS Host FQDN>:1688 ",
            "<KMS Client name>",
        ] {
            assert_eq!(redaction(v), Some(Redaction::Placeholder), "{v}");
        }
        for v in [
            "xxxx",
            "XXXXXXXXXXXXXXXXXX",
            "pc-xxxx",
            "***",
            "{XXXXXXXX-XXXX}",
        ] {
            assert_eq!(redaction(v), Some(Redaction::Masked), "{v}");
        }
    }

    #[test]
    fn scrubbing_keeps_positions() {
        assert_eq!(scrub_list("0x0,1,pc"), None);
        let (s, _) = scrub_list("0x0,<CMID>,2").unwrap();
        assert_eq!(s.split(',').count(), 3);
        assert_eq!(s.split(',').nth(1).map(str::trim), Some(""));
    }
}
