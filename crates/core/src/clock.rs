//! Clock offsets: one sign convention, one rounding rule, and the words for them in both
//! languages. Every front end that shows a clock difference (`doctor`, `events`, the server)
//! goes through this module, so the same difference always reads the same way.
//!
//! **Sign.** An offset is the number of seconds the machine in question is *ahead* of its
//! reference; a negative offset means it is behind. A client whose clock reads 10:00 while the
//! KMS host reads 05:00 is `+18000` (five hours ahead of the host).
//!
//! **Rounding.** The absolute value is rounded to the unit it is shown in, half away from zero,
//! and the unit is chosen *after* rounding: at least one hour is shown in whole minutes
//! (`5 h 00 min`), at least one minute in whole seconds (`12 min 05 s`), anything shorter in
//! milliseconds (`0.250 s`). So 3,599.7 s is `1 h 00 min`, and 17,999.97 s and 18,000.2 s are
//! both `5 h 00 min`. An offset that rounds to zero is "in step" and has no direction.
//!
//! ```
//! use volact_core::{Lang, clock::{self, Party}};
//! assert_eq!(
//!     clock::describe(-18_000.2, Party::ThisMachine, Party::TimeSource, Lang::En),
//!     "this machine is 5 h 00 min behind the time source"
//! );
//! assert_eq!(
//!     clock::describe(17_999.97, Party::ClientClock, Party::KmsHost, Lang::En),
//!     "the client's clock is 5 h 00 min ahead of the KMS host"
//! );
//! assert_eq!(clock::short(-18_000.0, Lang::ZhTw), "慢 5 小時 00 分");
//! ```

use crate::Lang;

/// Which way a clock is off, relative to its reference.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// The machine in question is ahead (positive offset).
    Ahead,
    /// The machine in question is behind (negative offset).
    Behind,
    /// The offset rounds to zero.
    InStep,
}

/// The rounded size of an offset, in the unit it is shown in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Magnitude {
    /// Below one minute: milliseconds (shown as seconds with three decimals).
    Millis(u64),
    /// From one minute to below one hour: whole minutes and seconds.
    MinSec {
        /// Minutes (0-59).
        min: u64,
        /// Seconds (0-59).
        sec: u64,
    },
    /// One hour or more: whole hours and minutes.
    HourMin {
        /// Hours.
        hours: u64,
        /// Minutes (0-59).
        min: u64,
    },
}

impl Magnitude {
    /// The rounded value in milliseconds (saturating), for comparisons.
    pub fn as_millis(self) -> u64 {
        match self {
            Magnitude::Millis(ms) => ms,
            Magnitude::MinSec { min, sec } => (min * 60 + sec) * 1000,
            Magnitude::HourMin { hours, min } => hours
                .saturating_mul(3600)
                .saturating_add(min * 60)
                .saturating_mul(1000),
        }
    }

    /// Whether it rounds to zero.
    pub fn is_zero(self) -> bool {
        self == Magnitude::Millis(0)
    }
}

/// An offset after rounding: its direction and size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rounded {
    /// Ahead, behind or in step.
    pub direction: Direction,
    /// The rounded absolute value.
    pub magnitude: Magnitude,
}

/// Rounds `offset_s` (seconds ahead of the reference) by the one rule of this module. `None` for
/// a value that is not a number or infinite.
pub fn round(offset_s: f64) -> Option<Rounded> {
    if !offset_s.is_finite() {
        return None;
    }
    let a = offset_s.abs();
    // `f64::round` rounds half away from zero; `as u64` saturates.
    let ms = (a * 1000.0).round() as u64;
    let magnitude = if ms < 60_000 {
        Magnitude::Millis(ms)
    } else {
        let secs = a.round() as u64;
        if secs < 3600 {
            Magnitude::MinSec {
                min: secs / 60,
                sec: secs % 60,
            }
        } else {
            let mins = (a / 60.0).round() as u64;
            Magnitude::HourMin {
                hours: mins / 60,
                min: mins % 60,
            }
        }
    };
    let direction = if magnitude.is_zero() {
        Direction::InStep
    } else if offset_s > 0.0 {
        Direction::Ahead
    } else {
        Direction::Behind
    };
    Some(Rounded {
        direction,
        magnitude,
    })
}

/// The size of an offset without its direction: `5 h 00 min`, `12 min 05 s`, `0.250 s`;
/// `5 小時 00 分`, `12 分 05 秒`, `0.250 秒`. A value that is not a number is `?`.
pub fn magnitude(offset_s: f64, lang: Lang) -> String {
    match round(offset_s) {
        Some(r) => fmt_magnitude(r.magnitude, lang),
        None => "?".to_owned(),
    }
}

fn fmt_magnitude(m: Magnitude, lang: Lang) -> String {
    match (m, lang) {
        (Magnitude::Millis(ms), Lang::En) => format!("{}.{:03} s", ms / 1000, ms % 1000),
        (Magnitude::Millis(ms), Lang::ZhTw) => format!("{}.{:03} 秒", ms / 1000, ms % 1000),
        (Magnitude::MinSec { min, sec }, Lang::En) => format!("{min} min {sec:02} s"),
        (Magnitude::MinSec { min, sec }, Lang::ZhTw) => format!("{min} 分 {sec:02} 秒"),
        (Magnitude::HourMin { hours, min }, Lang::En) => format!("{hours} h {min:02} min"),
        (Magnitude::HourMin { hours, min }, Lang::ZhTw) => format!("{hours} 小時 {min:02} 分"),
    }
}

/// The column form: `5 h 00 min ahead`, `5 h 00 min behind`, `in step`; `快 5 小時 00 分`,
/// `慢 5 小時 00 分`, `一致`. The reference is said by the column's heading.
pub fn short(offset_s: f64, lang: Lang) -> String {
    let Some(r) = round(offset_s) else {
        return match lang {
            Lang::En => "unknown".to_owned(),
            Lang::ZhTw => "未知".to_owned(),
        };
    };
    let m = fmt_magnitude(r.magnitude, lang);
    match (r.direction, lang) {
        (Direction::Ahead, Lang::En) => format!("{m} ahead"),
        (Direction::Behind, Lang::En) => format!("{m} behind"),
        (Direction::InStep, Lang::En) => "in step".to_owned(),
        (Direction::Ahead, Lang::ZhTw) => format!("快 {m}"),
        (Direction::Behind, Lang::ZhTw) => format!("慢 {m}"),
        (Direction::InStep, Lang::ZhTw) => "一致".to_owned(),
    }
}

/// Who or what a clock belongs to, in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party<'a> {
    /// "this machine" / "本機": where volact runs.
    ThisMachine,
    /// "the time source" / "時間來源".
    TimeSource,
    /// "the client's clock" / "用戶端的時鐘".
    ClientClock,
    /// "the client" / "用戶端".
    Client,
    /// "the KMS host" / "KMS 主機".
    KmsHost,
    /// Any other wording, given in both languages (for example a time source's address).
    Named {
        /// English, lower case at the start unless it is a name.
        en: &'a str,
        /// Traditional Chinese.
        zh: &'a str,
    },
}

impl Party<'_> {
    /// The words for it in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match self {
            Party::ThisMachine => lang.pick("this machine", "本機"),
            Party::TimeSource => lang.pick("the time source", "時間來源"),
            Party::ClientClock => lang.pick("the client's clock", "用戶端的時鐘"),
            Party::Client => lang.pick("the client", "用戶端"),
            Party::KmsHost => lang.pick("the KMS host", "KMS 主機"),
            Party::Named { en, zh } => lang.pick(*en, *zh),
        }
    }
}

/// Joins Chinese pieces, with a space only where an ASCII letter or digit meets another piece.
fn zh_join(parts: &[&str]) -> String {
    let mut out = String::new();
    for p in parts.iter().filter(|p| !p.is_empty()) {
        let left = out.chars().next_back();
        let right = p.chars().next();
        if let (Some(l), Some(r)) = (left, right)
            && (l.is_ascii_alphanumeric()
                || r.is_ascii_alphanumeric()
                || l.is_ascii_punctuation()
                || r.is_ascii_punctuation())
            && !l.is_whitespace()
            && !r.is_whitespace()
        {
            out.push(' ');
        }
        out.push_str(p);
    }
    out
}

/// The offset in words: "`subject` is 5 h 00 min behind `reference`" / "`subject`比`reference`慢
/// 5 小時 00 分"; in step: "`subject` is in step with `reference`" / "`subject`與`reference`的時間一致".
/// `offset_s` is the seconds `subject` is ahead of `reference`. English starts in lower case
/// (see [`capitalized`]).
pub fn describe(offset_s: f64, subject: Party<'_>, reference: Party<'_>, lang: Lang) -> String {
    let s = subject.name(lang);
    let r = reference.name(lang);
    let Some(rounded) = round(offset_s) else {
        return match lang {
            Lang::En => format!("the offset between {s} and {r} is unknown"),
            Lang::ZhTw => zh_join(&[s, "與", r, time_of(r), "差未知"]),
        };
    };
    let m = fmt_magnitude(rounded.magnitude, lang);
    match (rounded.direction, lang) {
        (Direction::Ahead, Lang::En) => format!("{s} is {m} ahead of {r}"),
        (Direction::Behind, Lang::En) => format!("{s} is {m} behind {r}"),
        (Direction::InStep, Lang::En) => format!("{s} is in step with {r}"),
        (Direction::Ahead, Lang::ZhTw) => zh_join(&[s, "比", r, "快", &m]),
        (Direction::Behind, Lang::ZhTw) => zh_join(&[s, "比", r, "慢", &m]),
        (Direction::InStep, Lang::ZhTw) => zh_join(&[s, "與", r, time_of(r), "一致"]),
    }
}

/// "的時間" after a reference that does not already end with it ("KMS 主機（kms01）的時間").
fn time_of(reference: &str) -> &'static str {
    if reference.ends_with("的時間") {
        ""
    } else {
        "的時間"
    }
}

/// `text` with its first letter in upper case (for a sentence that starts with [`describe`]).
pub fn capitalized(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_named_as_a_time_is_not_said_twice() {
        let r = Party::Named {
            en: "the KMS host (kms01)",
            zh: "KMS 主機（kms01）的時間",
        };
        let said = describe(0.0, Party::ThisMachine, r, Lang::ZhTw);
        assert_eq!(said, "本機與 KMS 主機（kms01）的時間一致");
        let said = describe(0.0, Party::ThisMachine, Party::KmsHost, Lang::ZhTw);
        assert_eq!(said, "本機與 KMS 主機的時間一致");
    }

    fn en(s: f64) -> String {
        magnitude(s, Lang::En)
    }

    #[test]
    fn units_are_chosen_after_rounding() {
        assert_eq!(en(17_999.97), "5 h 00 min");
        assert_eq!(en(18_000.2), "5 h 00 min");
        assert_eq!(en(-18_000.2), "5 h 00 min");
        assert_eq!(en(3599.7), "1 h 00 min");
        assert_eq!(en(3599.4), "59 min 59 s");
        assert_eq!(en(3630.0), "1 h 01 min");
        assert_eq!(en(3629.9), "1 h 00 min");
        assert_eq!(en(725.0), "12 min 05 s");
        assert_eq!(en(59.9996), "1 min 00 s");
        assert_eq!(en(59.9994), "59.999 s");
        assert_eq!(en(0.25), "0.250 s");
        assert_eq!(en(0.0), "0.000 s");
        assert_eq!(en(29_340.0), "8 h 09 min");
        assert_eq!(en(f64::NAN), "?");
        assert_eq!(
            en(1e300),
            format!("{} h {:02} min", u64::MAX / 60, u64::MAX % 60)
        );
        assert_eq!(magnitude(725.0, Lang::ZhTw), "12 分 05 秒");
        assert_eq!(magnitude(0.25, Lang::ZhTw), "0.250 秒");
        assert_eq!(magnitude(18_000.0, Lang::ZhTw), "5 小時 00 分");
    }

    #[test]
    fn sentences_in_both_languages() {
        assert_eq!(
            describe(-18_000.0, Party::ThisMachine, Party::TimeSource, Lang::En),
            "this machine is 5 h 00 min behind the time source"
        );
        assert_eq!(
            describe(-18_000.0, Party::ThisMachine, Party::TimeSource, Lang::ZhTw),
            "本機比時間來源慢 5 小時 00 分"
        );
        assert_eq!(
            describe(18_000.0, Party::ClientClock, Party::KmsHost, Lang::En),
            "the client's clock is 5 h 00 min ahead of the KMS host"
        );
        assert_eq!(
            describe(18_000.0, Party::ClientClock, Party::KmsHost, Lang::ZhTw),
            "用戶端的時鐘比 KMS 主機快 5 小時 00 分"
        );
        assert_eq!(
            describe(0.0004, Party::ThisMachine, Party::KmsHost, Lang::En),
            "this machine is in step with the KMS host"
        );
        assert_eq!(
            describe(-0.0004, Party::ThisMachine, Party::TimeSource, Lang::ZhTw),
            "本機與時間來源的時間一致"
        );
        let src = Party::Named {
            en: "10.0.0.2:123",
            zh: "10.0.0.2:123",
        };
        assert_eq!(
            describe(-725.0, Party::ThisMachine, src, Lang::ZhTw),
            "本機比 10.0.0.2:123 慢 12 分 05 秒"
        );
        assert_eq!(
            describe(f64::INFINITY, Party::ThisMachine, src, Lang::En),
            "the offset between this machine and 10.0.0.2:123 is unknown"
        );
        assert_eq!(
            capitalized(&describe(
                -1.5,
                Party::ThisMachine,
                Party::TimeSource,
                Lang::En
            )),
            "This machine is 1.500 s behind the time source"
        );
    }

    #[test]
    fn column_form() {
        assert_eq!(short(18_000.0, Lang::En), "5 h 00 min ahead");
        assert_eq!(short(-18_000.0, Lang::En), "5 h 00 min behind");
        assert_eq!(short(18_000.0, Lang::ZhTw), "快 5 小時 00 分");
        assert_eq!(short(-26_100.0, Lang::ZhTw), "慢 7 小時 15 分");
        assert_eq!(short(0.0, Lang::En), "in step");
        assert_eq!(short(-0.0, Lang::ZhTw), "一致");
        assert_eq!(short(f64::NAN, Lang::En), "unknown");
    }

    fn unit_ms(m: Magnitude) -> u64 {
        match m {
            Magnitude::Millis(_) => 1,
            Magnitude::MinSec { .. } => 1000,
            Magnitude::HourMin { .. } => 60_000,
        }
    }

    proptest::proptest! {
        #[test]
        fn the_sign_only_changes_the_direction(x in -1.0e7f64..1.0e7) {
            let a = round(x).unwrap();
            let b = round(-x).unwrap();
            proptest::prop_assert_eq!(a.magnitude, b.magnitude);
            match a.direction {
                Direction::InStep => proptest::prop_assert_eq!(b.direction, Direction::InStep),
                Direction::Ahead => {
                    proptest::prop_assert!(x > 0.0);
                    proptest::prop_assert_eq!(b.direction, Direction::Behind);
                }
                Direction::Behind => {
                    proptest::prop_assert!(x < 0.0);
                    proptest::prop_assert_eq!(b.direction, Direction::Ahead);
                }
            }
            let words = describe(x, Party::ThisMachine, Party::TimeSource, Lang::En);
            if x >= 0.0005 {
                proptest::prop_assert!(words.contains(" ahead of "), "{}", words);
            } else if x <= -0.0005 {
                proptest::prop_assert!(words.contains(" behind "), "{}", words);
            }
        }

        #[test]
        fn rounding_is_within_half_a_unit_and_the_unit_fits(x in 0.0f64..1.0e7) {
            let m = round(x).unwrap().magnitude;
            let unit = unit_ms(m);
            let err = (m.as_millis() as f64 - x * 1000.0).abs();
            proptest::prop_assert!(err <= unit as f64 / 2.0 + 1e-6, "{x} -> {m:?}");
            let shown = m.as_millis();
            match m {
                Magnitude::Millis(_) => proptest::prop_assert!(shown < 60_000),
                Magnitude::MinSec { sec, .. } => {
                    proptest::prop_assert!((60_000..3_600_000).contains(&shown));
                    proptest::prop_assert!(sec < 60);
                }
                Magnitude::HourMin { min, .. } => {
                    proptest::prop_assert!(shown >= 3_600_000);
                    proptest::prop_assert!(min < 60);
                }
            }
        }

        #[test]
        fn rounding_is_monotonic(x in 0.0f64..1.0e7, d in 0.0f64..100.0) {
            let a = round(x).unwrap().magnitude.as_millis();
            let b = round(x + d).unwrap().magnitude.as_millis();
            proptest::prop_assert!(a <= b, "{x} -> {a}, {} -> {b}", x + d);
        }

        #[test]
        fn a_few_hundred_ms_of_jitter_never_changes_whole_hours_text(h in 1u64..1000, j in -0.4f64..0.4) {
            // A 5-hour offset measured at 17,999.97 s or 18,000.2 s reads the same.
            let x = (h * 3600) as f64 + j;
            proptest::prop_assert_eq!(en(x), format!("{h} h 00 min"));
            proptest::prop_assert_eq!(en(-x), format!("{h} h 00 min"));
        }
    }
}
