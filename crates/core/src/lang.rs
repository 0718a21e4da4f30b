//! The output languages of volact, and the one "English or Chinese" choice ([`Lang::pick`]).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::error::ParseLangError;

/// An output language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize)]
pub enum Lang {
    /// English.
    #[default]
    #[serde(rename = "en")]
    En,
    /// Traditional Chinese as used in Taiwan.
    #[serde(rename = "zh-TW")]
    ZhTw,
}

impl Lang {
    /// Both languages, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhTw];

    /// The one "English or Traditional Chinese" choice: `en` in English, `zh` in Chinese. Every
    /// phrase table goes through it, so adding a language is a change to this type and to the
    /// tables, not to the code that uses them.
    ///
    /// ```
    /// use volact_core::Lang;
    /// assert_eq!(Lang::ZhTw.pick("host", "主機"), "主機");
    /// ```
    pub fn pick<T>(self, en: T, zh: T) -> T {
        match self {
            Lang::En => en,
            Lang::ZhTw => zh,
        }
    }

    /// The BCP 47 tag: `en` or `zh-TW`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhTw => "zh-TW",
        }
    }

    /// Picks a language from a locale string such as `zh_TW.UTF-8`, `zh-Hant-TW`, `en_US` or `C`.
    ///
    /// Traditional Chinese locales (Taiwan, Hong Kong, Macau, or explicitly `Hant`) give
    /// [`Lang::ZhTw`]; anything else that names a language gives [`Lang::En`]; an empty string gives
    /// `None` so the caller can try the next source.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let l = locale.trim();
        if l.is_empty() {
            return None;
        }
        let l = l
            .split(['.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let mut parts = l.split(['_', '-']);
        let lang = parts.next().unwrap_or("");
        if lang == "zh" {
            let rest: Vec<&str> = parts.collect();
            let traditional = rest
                .iter()
                .any(|p| matches!(*p, "tw" | "hk" | "mo" | "hant"));
            let simplified = rest.iter().any(|p| matches!(*p, "cn" | "sg" | "hans"));
            // A bare `zh` is ambiguous; we only ship Traditional Chinese, which a Chinese reader
            // will still read more easily than English.
            if traditional || !simplified {
                return Some(Lang::ZhTw);
            }
        }
        Some(Lang::En)
    }
}

impl FromStr for Lang {
    type Err = ParseLangError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "en" | "en-us" | "en-gb" | "english" => Ok(Lang::En),
            "zh-tw" | "zh-hant" | "zh-hant-tw" | "zh-hk" | "tw" => Ok(Lang::ZhTw),
            _ => Err(ParseLangError(s.to_owned())),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}
