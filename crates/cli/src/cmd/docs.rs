//! `volact completions` and `volact man`: generated from the clap definition, so they never drift.

use std::path::Path;

use anyhow::Context;
use clap::CommandFactory;

use crate::args::Cli;
use crate::exit::Exit;

pub(crate) fn completions(shell: clap_complete::Shell) -> anyhow::Result<Exit> {
    let mut cmd = Cli::command();
    let mut out = crate::output::stdout();
    clap_complete::generate(shell, &mut cmd, "volact", &mut out);
    std::io::Write::flush(&mut out)?;
    Ok(Exit::Ok)
}

pub(crate) fn man(out_dir: Option<&Path>) -> anyhow::Result<Exit> {
    let cmd = Cli::command();
    match out_dir {
        None => {
            let mut out = crate::output::stdout();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            std::io::Write::flush(&mut out)?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            clap_mangen::generate_to(cmd, dir)
                .with_context(|| format!("cannot write man pages to {}", dir.display()))?;
        }
    }
    Ok(Exit::Ok)
}
