//! The command-line definition: only what the user typed (clap structs). Validation and the
//! choices that depend on the environment (language, colour) happen in `main.rs`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const AFTER_HELP: &str = "\
Exit codes:
  0  every code found is in the knowledge base (explain), entries found (search), key exact (key check)
  1  something needs attention: a code volact cannot fully explain, no search hit, a key with problems
  2  usage error (bad arguments)
  3  no error code found in the input
  4  input could not be read (I/O error)

Environment: VOLACT_LANG, LC_ALL, LC_MESSAGES, LANG pick the default language; NO_COLOR turns colours off.";

/// Explain and diagnose Windows volume activation (MAK and KMS) errors, in English and 繁體中文.
///
/// volact diagnoses; it never activates Windows, never sends a KMS activation request and never
/// stores product keys.
#[derive(Debug, Parser)]
#[command(name = "volact", version, about, long_about, after_help = AFTER_HELP)]
pub(crate) struct Cli {
    /// Language of the output: en or zh-TW (default: from VOLACT_LANG or the system locale).
    #[arg(long, global = true, value_name = "LANG", value_parser = parse_lang)]
    pub(crate) lang: Option<volact_core::Lang>,

    /// When to use colours in text output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,

    #[command(subcommand)]
    pub(crate) command: Command,
}

fn parse_lang(s: &str) -> Result<volact_core::Lang, String> {
    s.parse()
        .map_err(|e: volact_core::ParseLangError| e.to_string())
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Explain error codes given in any form, or found in pasted text ("-" reads standard input).
    ///
    /// Accepts 0xC004F074, C004F074, c004f074, -1073418124, 3221549172, small Win32 numbers such as
    /// 1722, symbolic names such as SL_E_VL_INVALID_TIMESTAMP or ERROR_ACCESS_DENIED, and free text: dialogs in English or Chinese, slmgr output, log lines, hr=0x... fields.
    Explain(ExplainArgs),
    /// List the knowledge base, optionally only one activation type.
    List(ListArgs),
    /// Search the knowledge base in English and Traditional Chinese (e.g. DNS, 1688, 寬限期).
    Search(SearchArgs),
    /// Find and explain activation codes, slmgr snapshots and event text in files, folders or stdin.
    Scan(crate::cmd::scan::ScanArgs),
    /// Read KMS client and host event logs (.evtx, XML, text) into client and host reports.
    Events(crate::cmd::events::EventsArgs),
    /// Check KMS discovery (DNS SRV), TCP 1688, the KMS RPC interface and the clock, for one host or a fleet.
    Doctor(crate::cmd::doctor::DoctorArgs),
    /// Gather this Windows machine's activation evidence into one zip bundle (changes nothing).
    Collect(crate::cmd::collect::CollectArgs),
    /// Analyse a bundle written by `volact collect`, on any operating system.
    Analyze(crate::cmd::collect::AnalyzeArgs),
    /// Serve the JSON API and the help-desk web page (loopback only unless told otherwise).
    Serve(crate::cmd::serve::ServeArgs),
    /// Product-key tools.
    Key {
        #[command(subcommand)]
        command: KeyCommand,
    },
    /// Print a shell completion script.
    Completions {
        /// The shell to generate for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write man pages for every command into a directory.
    Man {
        /// Write volact.1 and one page per subcommand into this directory instead of printing.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// Codes or text to explain; "-" reads standard input (UTF-8 or UTF-16).
    #[arg(required = true, value_name = "INPUT", allow_negative_numbers = true)]
    pub(crate) inputs: Vec<String>,

    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Only entries of this activation type.
    #[arg(long = "type", short = 't', value_name = "TYPE", value_parser = ["mak", "kms-client", "kms-host"])]
    pub(crate) ty: Option<String>,

    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// Words that must all occur in an entry (either language).
    #[arg(required = true, value_name = "WORDS")]
    pub(crate) words: Vec<String>,

    /// Output format.
    #[arg(long, short, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

#[derive(Debug, Subcommand)]
pub(crate) enum KeyCommand {
    /// Check the shape of a product key read from standard input; prints only its last 5 characters.
    ///
    /// Finds wrong dashes (en dash, em dash, full-width), spaces, lower case, full-width characters
    /// and characters never used in keys. Related codes: 0xC004F050, 0x80070490.
    Check(KeyCheckArgs),
}

#[derive(Debug, Args)]
pub(crate) struct KeyCheckArgs {
    /// The key. Prefer standard input: a key on the command line can end up in shell history.
    #[arg(value_name = "KEY")]
    pub(crate) key: Option<String>,

    /// Output format.
    #[arg(long, short, value_enum, default_value_t = KeyFormat::Text)]
    pub(crate) format: KeyFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Readable text.
    Text,
    /// One JSON document.
    Json,
    /// Markdown, for tickets and wikis.
    Markdown,
}

/// Output formats of the reporting commands (scan, events, analyze).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// Readable text.
    Text,
    /// One JSON document.
    Json,
    /// One JSON object per line.
    Ndjson,
    /// Comma-separated values, one row per item.
    Csv,
    /// Markdown, for tickets and wikis.
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KeyFormat {
    /// Readable text.
    Text,
    /// One JSON document.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colours when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
