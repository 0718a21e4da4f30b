//! The `volact` binary: argument parsing, language and colour choice, and dispatch to the commands.
//! All the knowledge lives in `volact-core`; this crate only wires it to a terminal.

// Every message the CLI prints goes through `output`, product keys redacted: these replace the
// standard macros in every module declared below (a macro defined here is found before the
// standard library's).
#[allow(unused_macros)]
macro_rules! println {
    () => { $crate::output::out(format_args!(""), true) };
    ($($t:tt)*) => { $crate::output::out(format_args!($($t)*), true) };
}
#[allow(unused_macros)]
macro_rules! print {
    ($($t:tt)*) => { $crate::output::out(format_args!($($t)*), false) };
}
macro_rules! eprintln {
    () => { $crate::output::err(format_args!(""), true) };
    ($($t:tt)*) => { $crate::output::err(format_args!($($t)*), true) };
}
macro_rules! eprint {
    ($($t:tt)*) => { $crate::output::err(format_args!($($t)*), false) };
}

mod args;
mod cmd;
mod exit;
mod help;
mod input;
mod output;

use std::io;

use clap::FromArgMatches;
use volact_core::Lang;

use crate::args::{Cli, ColorChoice, Command};
use crate::exit::Exit;

/// What every command needs to know about how to write.
pub(crate) struct Ctx {
    pub(crate) lang: Lang,
    pub(crate) color: bool,
}

fn main() -> std::process::ExitCode {
    output::redact_panics();
    // The help is written in the language of the output, which is known before clap parses.
    let lang = args::lang_in(std::env::args_os()).unwrap_or_else(default_lang);
    let parsed = args::command(lang)
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            // clap prints help/version to stdout (exit 0) and usage errors to stderr (exit 2);
            // both repeat what was typed, so they are redacted too.
            output::clap_error(&e);
            return std::process::ExitCode::from(if e.use_stderr() {
                Exit::Usage as u8
            } else {
                0
            });
        }
    };
    let code = match run(cli, lang) {
        Ok(code) => code,
        Err(err) => {
            if is_broken_pipe(&err) {
                Exit::Ok
            } else {
                eprintln!("volact: error: {err:#}");
                err.downcast_ref::<exit::Failure>()
                    .map_or(Exit::Io, |f| f.0)
            }
        }
    };
    std::process::ExitCode::from(code as u8)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli, lang: Lang) -> anyhow::Result<Exit> {
    let lang = cli.lang.unwrap_or(lang);
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            anstream::AutoStream::choice(&io::stdout()) != anstream::ColorChoice::Never
        }
    };
    let ctx = Ctx { lang, color };
    match cli.command {
        Command::Explain(a) => cmd::explain::run(&ctx, a),
        Command::List(a) => cmd::catalog::list(&ctx, a),
        Command::Search(a) => cmd::catalog::search(&ctx, a),
        Command::Products(a) => cmd::products::run(&ctx, a),
        Command::Scan(a) => cmd::scan::run(&ctx, a),
        Command::Events(a) => cmd::events::run(&ctx, a),
        Command::Doctor(a) => cmd::doctor::run(&ctx, a),
        Command::Collect(a) => cmd::collect::collect(&ctx, a),
        Command::Analyze(a) => cmd::collect::analyze(&ctx, a),
        Command::Serve(a) => cmd::serve::run(&ctx, a),
        Command::Key { command } => match command {
            args::KeyCommand::Check(a) => cmd::key::check(&ctx, a),
        },
        Command::Completions { shell } => cmd::docs::completions(&ctx, shell),
        Command::Man { out_dir } => cmd::docs::man(&ctx, out_dir.as_deref()),
    }
}

/// The language when `--lang` is not given: `VOLACT_LANG`, then the POSIX locale variables, then
/// the operating system's locale (the user's display language on Windows).
fn default_lang() -> Lang {
    if let Ok(v) = std::env::var("VOLACT_LANG")
        && let Ok(l) = v.parse::<Lang>()
    {
        return l;
    }
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(v) = std::env::var(var)
            && let Some(l) = Lang::from_locale(&v)
        {
            return l;
        }
    }
    sys_locale::get_locale()
        .and_then(|l| Lang::from_locale(&l))
        .unwrap_or_default()
}
