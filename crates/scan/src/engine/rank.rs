//! How much a value the finder returned matters, decided on the bytes around it without
//! allocating: known to the knowledge base, named (or in the Software Licensing range), an
//! unknown failure standing in an error context, or one of the many values of a log that no table
//! knows (handles, flags, hashes), which are only counted unless `--all-codes` lists them.

use std::sync::OnceLock;

use volact_core::ErrorCode;
use volact_core::{kb, names};

/// The rank of a code in the report, most important first: reports list codes and matches in
/// this order (then in input order). Serialised as `known`, `named`, `error-context`, `other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rank {
    /// The knowledge base explains it.
    Known = 0,
    /// A name table knows it, or it is in the Software Licensing range `0xC004xxxx`.
    Named = 1,
    /// No table knows it, but words around it say it is an error or a result.
    ErrorContext = 2,
    /// No table knows it and nothing says it is an error: counted, listed with `--all-codes`.
    Other = 3,
}

impl Rank {
    /// Every rank, in order.
    pub(crate) const ALL: [Rank; 4] = [Rank::Known, Rank::Named, Rank::ErrorContext, Rank::Other];

    /// Whether it is listed without `--all-codes`.
    pub fn listed(self) -> bool {
        self != Rank::Other
    }
}

/// How many words before a value are looked at.
const WORDS_BEFORE: usize = 3;
/// How far back (bytes) those words may start.
const REACH: usize = 64;

/// Bits of the filter over the values the tables know.
const FILTER_BITS: u32 = 20;

/// Whether a table may know `v`: one bit per hashed value of the knowledge base and the name
/// tables (128 KiB, about 2 % of the bits set), so that most values of a noisy log are told
/// unknown without a binary search.
fn may_be_known(v: u32) -> bool {
    static FILTER: OnceLock<Vec<u64>> = OnceLock::new();
    let hash = |v: u32| (v.wrapping_mul(0x9E37_79B1) >> (32 - FILTER_BITS)) as usize;
    let filter = FILTER.get_or_init(|| {
        let mut bits = vec![0u64; 1 << (FILTER_BITS - 6)];
        for v in kb::values().chain(names::named_values()) {
            let h = hash(v);
            bits[h >> 6] |= 1 << (h & 63);
        }
        bits
    });
    let h = hash(v);
    filter[h >> 6] & (1 << (h & 63)) != 0
}

/// The rank of `code`, found at byte `at` of `line` (the line, or a window of it that reaches at
/// least [`REACH`] bytes before `at`).
pub(crate) fn rank(code: ErrorCode, line: &[u8], at: usize) -> Rank {
    let v = code.value();
    let maybe = may_be_known(v);
    if maybe && kb::lookup(code).is_some() {
        return Rank::Known;
    }
    let named = (maybe && names::is_named(v)) || v >> 16 == 0xC004;
    if named && v >= 0x4000_0000 {
        return Rank::Named;
    }
    if v != 0 && v < 0x8000_0000 {
        // Success and informational values no table names are never listed: no words to read.
        return Rank::Other;
    }
    let (noise, error) = words_before(line, at);
    if v == 0 {
        // `0x00000000` is a result only in a result field (`hr=0x00000000`).
        return if error { Rank::Named } else { Rank::Other };
    }
    if v >= 0x8000_0000 && error && !noise {
        Rank::ErrorContext
    } else {
        Rank::Other
    }
}

/// Looks at up to [`WORDS_BEFORE`] words before `at` on its line: whether the nearest one says
/// the value is not a result (an address, a handle, a hash, flags), and whether any says it is an
/// error or a result (`error`, `hr`, `failed`, `status`, `code`, `錯誤`, `失敗`, `Fehler`, …).
fn words_before(line: &[u8], at: usize) -> (bool, bool) {
    let floor = at.saturating_sub(REACH);
    let mut p = at.min(line.len());
    let mut noise = false;
    for n in 0..WORDS_BEFORE {
        // Skip separators back to the end of a word; `@` right before a value is an address.
        while p > floor && !is_word_byte(line[p - 1]) {
            if line[p - 1] == b'\n' {
                return (noise, false);
            }
            if n == 0 && line[p - 1] == b'@' {
                noise = true;
            }
            p -= 1;
        }
        let end = p;
        while p > floor && is_word_byte(line[p - 1]) {
            p -= 1;
        }
        if p == end {
            break;
        }
        let w = &line[p..end];
        if n == 0 && (noise || is_noise_word(w)) {
            // An address, a handle or a hash, whatever words come before.
            return (true, false);
        }
        if is_error_word(w) {
            return (false, true);
        }
    }
    (noise, false)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// `test` on the ASCII word lowercased (false for words longer than 24 bytes).
fn lowered(w: &[u8], test: impl FnOnce(&[u8]) -> bool) -> bool {
    let mut buf = [0u8; 24];
    if w.len() > buf.len() {
        return false;
    }
    for (d, s) in buf.iter_mut().zip(w) {
        *d = s.to_ascii_lowercase();
    }
    test(&buf[..w.len()])
}

fn is_noise_word(w: &[u8]) -> bool {
    if !w.first().is_some_and(|f| {
        matches!(
            f | 0x20,
            b'a' | b'b' | b'c' | b'f' | b'h' | b'm' | b'o' | b'p' | b's'
        )
    }) && !w.last().is_some_and(|l| {
        matches!(
            l | 0x20,
            b'r' | b'e' | b'c' | b'h' | b'm' | b's' | b'k' | b'g' | b'd' | b't'
        )
    }) {
        return false;
    }
    const NOISE: &[&[u8]] = &[
        b"addr",
        b"ptr",
        b"pointer",
        b"handle",
        b"crc",
        b"hash",
        b"checksum",
        b"flags",
        b"flag",
        b"mask",
        b"base",
        b"offset",
        b"seed",
        b"cookie",
        b"magic",
        b"sig",
        b"at",
    ];
    lowered(w, |w| {
        NOISE
            .iter()
            .any(|n| w == *n || (n.len() > 3 && w.ends_with(n)))
    })
}

fn is_error_word(w: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (w.first(), w.last()) else {
        return false;
    };
    let non_ascii = first >= 0x80 || last >= 0x80;
    // Most words can be ruled out by their first and last letters alone.
    if !non_ascii
        && !matches!(first | 0x20, b'e' | b'f' | b'h' | b'r' | b's' | b'n' | b'0')
        && !matches!(last | 0x20, b'e' | b'r' | b's' | b't' | b'a' | b'c')
    {
        return false;
    }
    if non_ascii || w.iter().any(|b| *b >= 0x80) {
        // Words for "error", "failed" and "result" in the languages Windows logs are written in.
        const WORDS: &[&str] = &[
            "錯誤",
            "错误",
            "失敗",
            "失败",
            "結果",
            "结果",
            "エラー",
            "오류",
            "실패",
            "ошибк",
            "Ошибк",
            "échec",
            "Échec",
            "Fehlgeschlagen",
            "fehlgeschlagen",
        ];
        return WORDS
            .iter()
            .any(|x| memchr::memmem::find(w, x.as_bytes()).is_some());
    }
    const START: &[&[u8]] = &[
        b"err",
        b"fail",
        b"fehler",
        b"erreur",
        b"errore",
        b"hresult",
        b"result",
        b"status",
        b"reason",
        b"ntstatus",
    ];
    const END: &[&[u8]] = &[b"code", b"error", b"status", b"result", b"hr"];
    // `slui.exe 0x2a CODE` is how Windows shows an activation error's text.
    lowered(w, |w| {
        matches!(w, b"hr" | b"rc" | b"0x2a" | b"slui")
            || START.iter().any(|s| w.starts_with(s))
            || END.iter().any(|s| w.ends_with(s))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(text: &str) -> Rank {
        let at = text.rfind("0x").expect("a value");
        let v = u32::from_str_radix(&text[at + 2..at + 10], 16).expect("hex");
        rank(ErrorCode::new(v), text.as_bytes(), at)
    }

    #[test]
    fn the_filter_passes_every_known_value() {
        for v in kb::values().chain(names::named_values()) {
            assert!(may_be_known(v), "{v:#010x}");
        }
        let passed = (0..100_000u32)
            .filter(|i| may_be_known(i.wrapping_mul(2_654_435_761)))
            .count();
        assert!(passed < 10_000, "{passed}");
    }

    #[test]
    fn ranks() {
        assert_eq!(r("handle 0xC004F074"), Rank::Known);
        assert_eq!(r("handle 0x80070005"), Rank::Known);
        assert_eq!(r("handle 0x8007000E"), Rank::Named);
        assert_eq!(r("object 0xC004ABCD"), Rank::Named);
        assert_eq!(r("Activation failed: hr=0x9ABC1234"), Rank::ErrorContext);
        assert_eq!(r("Error: 0x9ABC1234 on line one"), Rank::ErrorContext);
        assert_eq!(r("錯誤：0x9ABC1234"), Rank::ErrorContext);
        assert_eq!(r("Fehler 0x9ABC1234"), Rank::ErrorContext);
        assert_eq!(r("failed with error code 0x9ABC1234"), Rank::ErrorContext);
        assert_eq!(r("HRESULT = 0x9ABC1234"), Rank::ErrorContext);
        assert_eq!(r("slui.exe 0x2a 0x9ABC1234"), Rank::ErrorContext);
        assert_eq!(r("session 0x9ABC1234"), Rank::Other);
        assert_eq!(r("error hash 0x9ABC1234"), Rank::Other);
        assert_eq!(r("error at 0x9ABC1234"), Rank::Other);
        assert_eq!(r("thread 0x9ABC1234"), Rank::Other);
        assert_eq!(r("error: 0x1ABC1234"), Rank::Other);
        assert_eq!(r("hr=0x00000000"), Rank::Named);
        assert_eq!(r("flags 0x00000000"), Rank::Other);
        // Words on the line before do not count.
        assert_eq!(r("error\nstate 0x9ABC1234"), Rank::Other);
    }
}
