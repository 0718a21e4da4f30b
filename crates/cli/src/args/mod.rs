//! The command-line definition: only what the user typed (clap structs), one file per command
//! family. Validation and the choices that depend on the environment (language, colour) happen
//! in `main.rs`; the words of the help (both languages) are in `crate::help`, applied by
//! [`command`]. The commands (`crate::cmd`) depend on this module, never the reverse.

mod catalog;
mod collect;
mod doctor;
mod events;
mod explain;
mod key;
mod products;
mod scan;
mod serve;

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{CommandFactory, Parser, Subcommand};
use volact_core::Lang;

pub(crate) use catalog::{ListArgs, SearchArgs};
pub(crate) use collect::{AnalyzeArgs, CollectArgs};
pub(crate) use doctor::DoctorArgs;
pub(crate) use events::EventsArgs;
pub(crate) use explain::ExplainArgs;
pub(crate) use key::{KeyCheckArgs, KeyCommand};
pub(crate) use products::ProductsArgs;
pub(crate) use scan::ScanArgs;
pub(crate) use serve::ServeArgs;

/// The whole command line. Its help, in `lang`, comes from [`command`].
#[derive(Debug, Parser)]
#[command(name = "volact", version)]
pub(crate) struct Cli {
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    pub(crate) lang: Option<Lang>,

    #[arg(long, global = true, value_parser = choice("color", ColorChoice::ALL),
          default_value = "auto")]
    pub(crate) color: ColorChoice,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The clap command with its help in `lang` (`crate::help` holds the words).
pub(crate) fn command(lang: Lang) -> clap::Command {
    crate::help::localise(Cli::command(), lang)
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    s.parse()
        .map_err(|e: volact_core::ParseLangError| e.to_string())
}

/// The subcommands; each one's arguments are in the module of the same name.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    Explain(ExplainArgs),
    List(ListArgs),
    Search(SearchArgs),
    Products(ProductsArgs),
    Scan(ScanArgs),
    Events(EventsArgs),
    Doctor(DoctorArgs),
    Collect(CollectArgs),
    Analyze(AnalyzeArgs),
    Serve(ServeArgs),
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    Man {
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

/// A word from a closed list that an option accepts (an output format, a colour choice).
pub(crate) trait Choice: Copy + Send + Sync + 'static {
    /// Every value, in the order the help lists them.
    const ALL: &'static [Self];
    /// The word typed on the command line.
    fn name(self) -> &'static str;
}

/// A parser accepting the words of `allowed` only, with clap's own messages for anything else.
/// Each value's English help is `crate::help`'s `<option>=<word>` entry (for `--format`, a
/// command may have its own: `doctor/format=ndjson`).
pub(crate) fn choice<T: Choice>(
    option: &'static str,
    allowed: &'static [T],
) -> impl TypedValueParser<Value = T> {
    let values = allowed.iter().map(move |v| {
        PossibleValue::new(v.name()).help(crate::help::value(option, v.name(), Lang::En))
    });
    PossibleValuesParser::new(values).map(|s| {
        // Only the names given above get here.
        T::ALL
            .iter()
            .copied()
            .find(|v| v.name() == s)
            .unwrap_or(T::ALL[0])
    })
}

/// The one output format enum. Each command accepts the formats it can write (its `--format`
/// names them with [`choice`]); a command's `match` may treat the others as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Json,
    Ndjson,
    Csv,
    Markdown,
}

impl Format {
    /// explain, list, search.
    pub(crate) const DOCUMENT: &'static [Format] = &[Format::Text, Format::Json, Format::Markdown];
    /// scan, events, analyze.
    pub(crate) const REPORT: &'static [Format] = Format::ALL;
    /// doctor.
    pub(crate) const PROBE: &'static [Format] = &[Format::Text, Format::Json, Format::Ndjson];
    /// key check.
    pub(crate) const SHORT: &'static [Format] = &[Format::Text, Format::Json];
}

impl Choice for Format {
    const ALL: &'static [Self] = &[
        Format::Text,
        Format::Json,
        Format::Ndjson,
        Format::Csv,
        Format::Markdown,
    ];

    fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Json => "json",
            Format::Ndjson => "ndjson",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl Choice for ColorChoice {
    const ALL: &'static [Self] = &[ColorChoice::Auto, ColorChoice::Always, ColorChoice::Never];

    fn name(self) -> &'static str {
        match self {
            ColorChoice::Auto => "auto",
            ColorChoice::Always => "always",
            ColorChoice::Never => "never",
        }
    }
}

/// The language asked for on the command line (`--lang X` or `--lang=X`, anywhere before `--`),
/// read before clap parses anything so that `--help` is already in that language. A value that
/// is not a language is left for clap to report.
pub(crate) fn lang_in(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<Lang> {
    let mut found = None;
    let mut args = args.into_iter().skip(1);
    while let Some(a) = args.next() {
        let Some(a) = a.to_str() else { continue };
        if a == "--" {
            break;
        }
        let value = if a == "--lang" {
            args.next().and_then(|v| v.into_string().ok())
        } else {
            a.strip_prefix("--lang=").map(str::to_owned)
        };
        if let Some(v) = value {
            found = v.parse().ok().or(found);
        }
    }
    found
}

#[cfg(test)]
mod tests;
