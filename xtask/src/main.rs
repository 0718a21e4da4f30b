//! Maintenance tasks for the volact workspace, run as `cargo run -p xtask -- <task>`.
//!
//! Tasks:
//!
//! - `names [--check]`: regenerate the Windows error-name tables in `crates/core/data/names/` from
//!   the windows-sys sources; with `--check`, only verify that the committed tables are current.

mod names;
mod parse;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

const USAGE: &str = "\
usage: cargo run -p xtask -- <task>

tasks:
  names           regenerate crates/core/data/names/*.tsv from windows-sys
  names --check   fail if the committed tables differ from what would be generated";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["names"] => names::run(&workspace_root()?, false),
        ["names", "--check"] => names::run(&workspace_root()?, true),
        ["-h" | "--help" | "help"] => {
            println!("{USAGE}");
            Ok(())
        }
        [] => bail!("no task given\n\n{USAGE}"),
        _ => bail!("unknown arguments: {}\n\n{USAGE}", args.join(" ")),
    }
}

/// The workspace root: the parent of this crate's directory.
fn workspace_root() -> Result<PathBuf> {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map(Path::to_path_buf)
        .with_context(|| format!("{} has no parent directory", manifest_dir.display()))
}
