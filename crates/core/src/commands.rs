//! The commands volact recommends, as data: one row per command (`slmgr /ato`, `w32tm /resync`,
//! `netsh advfirewall firewall set rule`, `Test-NetConnection`, ...), compiled in from
//! `data/commands.toml` and checked by `build.rs`, with whether it needs an elevated
//! (administrator) prompt, on which machine it runs and where that comes from.
//!
//! Every part of volact that recommends a command marks it from here: the knowledge base (its
//! `elevated` flags are checked against this table when it is built), `doctor`'s next commands and
//! `analyze`'s findings. [`lookup`] recognises a command line (`cscript //nologo
//! %windir%\system32\slmgr.vbs /skms kms01:1688` is the row `slmgr-skms`), [`mark`] gives its mark,
//! and [`text_mark`] / [`markdown_mark`] write the mark the way `volact explain` does.
//!
//! `slmgr /ato` is the one command whose elevation depends on what it does: KMS activation (and
//! activation by Active Directory or by the Hyper-V host) needs none, online activation (MAK,
//! retail, KMS host key, ESU add-on) does, as Microsoft's slmgr reference says. Its row is
//! [`Elevation::ByCase`], and a caller says the [`Case`].
//!
//! ```
//! use volact_core::commands::{self, Case, RunsOn};
//!
//! let skms = commands::lookup(r"cscript //nologo %windir%\system32\slmgr.vbs /skms kms01:1688").unwrap();
//! assert_eq!(skms.id, "slmgr-skms");
//! assert_eq!(skms.elevated(None), Some(true));
//! assert_eq!(skms.runs_on, RunsOn::KmsClient);
//! let ato = commands::mark("slmgr.vbs /ato", Some(Case::Kms)).unwrap();
//! assert!(!ato.elevated);
//! assert!(commands::mark("slmgr.vbs /ato", Some(Case::Online)).unwrap().elevated);
//! assert!(commands::mark("slmgr.vbs /ato", None).is_none());
//! ```

use serde::Serialize;

use crate::kb;
use crate::lang::Lang;

mod data {
    use super::{Basis, Command, Elevation, RunsOn};
    include!(concat!(env!("OUT_DIR"), "/commands_data.rs"));
}

include!("../build_support/command_words.rs");

/// Whether a command needs an elevated prompt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Elevation {
    /// Always (`true`) or never (`false`).
    Always(bool),
    /// It depends on the activation it performs (`slmgr /ato`).
    ByCase {
        /// KMS activation.
        kms: bool,
        /// Active Directory-based activation.
        ad: bool,
        /// Automatic virtual machine activation (by the Hyper-V host).
        vm: bool,
        /// Online activation against Microsoft (MAK, retail, KMS host key, ESU add-on).
        online: bool,
    },
}

/// Which activation a command performs, for rows whose elevation depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Case {
    /// KMS activation (a KMS client key installed).
    Kms,
    /// Active Directory-based activation.
    Ad,
    /// Automatic virtual machine activation.
    Vm,
    /// Online activation against Microsoft's servers.
    Online,
}

impl Case {
    /// The stable identifier: `kms`, `ad`, `vm`, `online` (as in the data files).
    pub fn id(self) -> &'static str {
        match self {
            Case::Kms => "kms",
            Case::Ad => "ad",
            Case::Vm => "vm",
            Case::Online => "online",
        }
    }
}

/// On which machine a command is run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunsOn {
    /// Any machine it concerns (the one being activated, or the one being checked).
    Any,
    /// A KMS client.
    KmsClient,
    /// The KMS host.
    KmsHost,
    /// A domain controller or an administrator's workstation with the management tools.
    Admin,
    /// The Hyper-V host of a virtual machine.
    VmHost,
}

impl RunsOn {
    /// The stable identifier: `any`, `kms-client`, `kms-host`, `admin`, `vm-host`.
    pub fn id(self) -> &'static str {
        match self {
            RunsOn::Any => "any",
            RunsOn::KmsClient => "kms-client",
            RunsOn::KmsHost => "kms-host",
            RunsOn::Admin => "admin",
            RunsOn::VmHost => "vm-host",
        }
    }

    /// A label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RunsOn::Any => lang.pick("any machine", "任何電腦"),
            RunsOn::KmsClient => lang.pick("KMS client", "KMS 用戶端"),
            RunsOn::KmsHost => lang.pick("KMS host", "KMS 主機"),
            RunsOn::Admin => lang.pick(
                "domain controller or admin workstation",
                "網域控制站或管理工作站",
            ),
            RunsOn::VmHost => lang.pick("Hyper-V host", "Hyper-V 主機"),
        }
    }
}

/// Whether the source states the elevation, or volact reads it from what the command does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// The cited source says whether it needs elevation.
    Stated,
    /// The source is silent; the row's `why` gives volact's reading.
    Inferred,
}

/// One row of the table.
#[derive(Debug)]
pub struct Command {
    /// Stable identifier (`slmgr-ato`, `w32tm-resync`).
    pub id: &'static str,
    /// The words that recognise it (program, then switches), lower case.
    pub words: &'static [&'static str],
    /// The command with its arguments as placeholders (`slmgr.vbs /skms <host>[:<port>]`).
    pub pattern: &'static str,
    /// Whether it needs an elevated prompt.
    pub elevation: Elevation,
    /// Where it is run.
    pub runs_on: RunsOn,
    /// The tag of its source in the knowledge base's `sources.toml`.
    pub source: &'static str,
    /// Stated by the source, or inferred.
    pub basis: Basis,
    /// Why, when the source is silent or the rule needs a word.
    pub why: Option<&'static str>,
}

impl Command {
    /// Whether it needs an elevated prompt for `case`; `None` when the row depends on the case
    /// and none is given.
    pub fn elevated(&self, case: Option<Case>) -> Option<bool> {
        match (self.elevation, case) {
            (Elevation::Always(v), _) => Some(v),
            (Elevation::ByCase { kms, .. }, Some(Case::Kms)) => Some(kms),
            (Elevation::ByCase { ad, .. }, Some(Case::Ad)) => Some(ad),
            (Elevation::ByCase { vm, .. }, Some(Case::Vm)) => Some(vm),
            (Elevation::ByCase { online, .. }, Some(Case::Online)) => Some(online),
            (Elevation::ByCase { .. }, None) => None,
        }
    }

    /// Its source document.
    pub fn source(&self) -> Option<&'static kb::Source> {
        kb::sources().iter().find(|s| s.tag == self.source)
    }
}

/// Every row, in the order of `data/commands.toml`.
pub fn all() -> &'static [Command] {
    data::COMMANDS
}

/// The row with this id.
pub fn by_id(id: &str) -> Option<&'static Command> {
    data::COMMANDS.iter().find(|c| c.id == id)
}

/// The row that recognises command line `run` (the most specific one), if any.
pub fn lookup(run: &str) -> Option<&'static Command> {
    let words = command_words(run);
    best_row(data::COMMANDS.iter().map(|c| c.words), &words).map(|i| &data::COMMANDS[i])
}

/// A recommended command with its mark: what the JSON of a report carries next to each command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Marked {
    /// The command line.
    pub run: String,
    /// Whether it needs an elevated (administrator) prompt.
    pub elevated: bool,
    /// Where it is run.
    pub runs_on: RunsOn,
    /// The table row (`slmgr-skms`).
    #[serde(skip)]
    pub id: &'static str,
}

/// `run` with its mark from the table; `None` when no row recognises it, or its row depends on the
/// case and `case` is `None`. Callers that build commands test that this is never `None`.
pub fn mark(run: &str, case: Option<Case>) -> Option<Marked> {
    let c = lookup(run)?;
    Some(Marked {
        run: run.to_string(),
        elevated: c.elevated(case)?,
        runs_on: c.runs_on,
        id: c.id,
    })
}

/// The words of the mark, as `volact explain` shows them: "elevated prompt".
pub fn label(lang: Lang) -> &'static str {
    lang.pick("elevated prompt", "需要提升權限的命令提示字元")
}

/// The mark after a command in text: `[elevated prompt]`, or nothing.
pub fn text_mark(elevated: bool, lang: Lang) -> String {
    if elevated {
        format!("[{}]", label(lang))
    } else {
        String::new()
    }
}

/// The mark after a command in Markdown: ` *(elevated prompt)*`, or nothing.
pub fn markdown_mark(elevated: bool, lang: Lang) -> String {
    if elevated {
        format!(" *({})*", label(lang))
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests;
