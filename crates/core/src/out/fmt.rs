//! Numbers and sizes as volact writes them, per language. Taiwan groups digits with a
//! comma as English does, so [`count`] is the same in both; units differ.

use crate::lang::Lang;

/// `n` with a comma between groups of three digits: `4,096`, `1,234,567`.
///
/// ```
/// assert_eq!(volact_core::out::fmt::count(1_156), "1,156");
/// assert_eq!(volact_core::out::fmt::count(999), "999");
/// ```
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size in bytes: whole KiB/MiB/GiB when it is one, else bytes with grouped digits
/// (`64 MiB`, `1,500 bytes`; `64 MiB`, `1,500 位元組`).
pub fn bytes(n: u64, lang: Lang) -> String {
    for (shift, unit) in [(30, "GiB"), (20, "MiB"), (10, "KiB")] {
        if n >= 1 << shift && n.is_multiple_of(1 << shift) {
            return format!("{} {unit}", n >> shift);
        }
    }
    format!("{} {}", count(n), lang.pick("bytes", "位元組"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(bytes(64 << 20, Lang::En), "64 MiB");
        assert_eq!(bytes(1500, Lang::ZhTw), "1,500 位元組");
        assert_eq!(count(0), "0");
        assert_eq!(count(1_000_000), "1,000,000");
    }
}
