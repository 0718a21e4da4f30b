//! One shape for what an analysis or a probe found, in every part of volact.
//!
//! A [`Finding`] is language-free: a kind (the crate's own enum, one variant per finding, whose
//! fields are the typed facts it rests on), a [`Level`], the codes it explains or predicts and the
//! next commands to run. Sentences are written at report time, in one phrases module per crate,
//! from the kind and its facts. Adding a finding is one variant, one phrase pair and one test.
//!
//! ```
//! use serde::Serialize;
//! use volact_core::finding::{Finding, Kind, Level};
//! use volact_core::{ErrorCode, Lang};
//!
//! #[derive(Serialize)]
//! #[serde(tag = "kind", rename_all = "kebab-case")]
//! enum HostFinding {
//!     CountBelowThreshold { count: u32, needed: u32 },
//! }
//!
//! impl Kind for HostFinding {
//!     fn id(&self) -> &'static str {
//!         match self {
//!             HostFinding::CountBelowThreshold { .. } => "count-below-threshold",
//!         }
//!     }
//! }
//!
//! // The phrases module of the crate:
//! fn phrase(k: &HostFinding, lang: Lang) -> String {
//!     match k {
//!         HostFinding::CountBelowThreshold { count, needed } => lang.pick(
//!             format!("the host counts {count} machines; {needed} are needed"),
//!             format!("主機只計到 {count} 台電腦，需要 {needed} 台"),
//!         ),
//!     }
//! }
//!
//! let f = Finding::new(HostFinding::CountBelowThreshold { count: 3, needed: 25 }, Level::Error)
//!     .with_code(ErrorCode::new(0xC004F038));
//! assert_eq!(f.id(), "count-below-threshold");
//! assert_eq!(phrase(&f.kind, Lang::En), "the host counts 3 machines; 25 are needed");
//! ```

use serde::Serialize;

use crate::code::ErrorCode;

/// How much a finding matters, from "all is well" to "activation fails". One scale for every
/// crate; each report may show it under its own historical name (scan's `attention`, doctor's
/// `fail`), but the value is this one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// All is well.
    Ok,
    /// Worth knowing.
    Info,
    /// Likely to cause trouble, or the evidence needed to decide is missing.
    Warning,
    /// Activation is failing or will fail.
    Error,
}

impl Level {
    /// Every level, least serious first.
    pub const ALL: [Level; 4] = [Level::Ok, Level::Info, Level::Warning, Level::Error];

    /// The stable identifier: `ok`, `info`, `warning`, `error`.
    pub const fn id(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    /// Whether someone should act on it (a warning or an error).
    pub fn needs_attention(self) -> bool {
        self >= Level::Warning
    }
}

/// The kind of a finding: a crate's own enum, one variant per finding, with the facts as fields.
pub trait Kind {
    /// The stable identifier, used as the JSON `kind` (or `id`); never translated.
    fn id(&self) -> &'static str;
}

/// One finding: what, how serious, which codes, what to run next. Language-free.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding<K> {
    /// What was found, with the facts it rests on.
    pub kind: K,
    /// How much it matters.
    pub level: Level,
    /// The codes it explains or predicts, most relevant first.
    pub codes: Vec<ErrorCode>,
    /// Commands worth running next, in order (command lines, not sentences).
    pub commands: Vec<String>,
}

impl<K: Kind> Finding<K> {
    /// A finding with no codes and no commands.
    pub fn new(kind: K, level: Level) -> Self {
        Self {
            kind,
            level,
            codes: Vec::new(),
            commands: Vec::new(),
        }
    }

    /// Adds a code it explains or predicts.
    #[must_use]
    pub fn with_code(mut self, code: ErrorCode) -> Self {
        self.codes.push(code);
        self
    }

    /// Adds codes it explains or predicts.
    #[must_use]
    pub fn with_codes(mut self, codes: impl IntoIterator<Item = ErrorCode>) -> Self {
        self.codes.extend(codes);
        self
    }

    /// Adds a command to run next.
    #[must_use]
    pub fn with_command(mut self, run: impl Into<String>) -> Self {
        self.commands.push(run.into());
        self
    }

    /// The stable identifier of its kind.
    pub fn id(&self) -> &'static str {
        self.kind.id()
    }
}

/// Serialises as `{"kind": id, "level", "codes", "commands", "facts": <the kind's fields>}`, so
/// every report that adds its findings to JSON gives them the same shape.
impl<K: Kind + Serialize> Serialize for Finding<K> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Finding", 5)?;
        st.serialize_field("kind", self.kind.id())?;
        st.serialize_field("level", &self.level)?;
        st.serialize_field("codes", &self.codes)?;
        st.serialize_field("commands", &self.commands)?;
        st.serialize_field("facts", &self.kind)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq, Eq, Serialize)]
    #[serde(rename_all = "snake_case")]
    enum K {
        Skew { seconds: i64 },
    }

    impl Kind for K {
        fn id(&self) -> &'static str {
            "clock-skew"
        }
    }

    #[test]
    fn levels_are_ordered() {
        assert!(Level::Error > Level::Warning && Level::Warning > Level::Info);
        assert!(Level::Warning.needs_attention() && !Level::Info.needs_attention());
        let ids: Vec<_> = Level::ALL.iter().map(|l| l.id()).collect();
        assert_eq!(ids, ["ok", "info", "warning", "error"]);
    }

    #[test]
    fn serialises_with_facts() {
        let f = Finding::new(K::Skew { seconds: 18_000 }, Level::Error)
            .with_code(ErrorCode::new(0xC004F06C))
            .with_command("w32tm /resync");
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["kind"], "clock-skew");
        assert_eq!(v["level"], "error");
        assert_eq!(v["codes"][0], "0xC004F06C");
        assert_eq!(v["commands"][0], "w32tm /resync");
        assert_eq!(v["facts"]["skew"]["seconds"], 18_000);
    }
}
