//! `volact completions` and `volact man`: generated from the clap definition, so they never drift,
//! with the help in the language of the output (`crate::help`).

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use clap::CommandFactory;

use crate::Ctx;
use crate::exit::Exit;

pub(crate) fn completions(ctx: &Ctx, shell: clap_complete::Shell) -> anyhow::Result<Exit> {
    // The descriptions in the language of the output; the options as clap defines them.
    let mut cmd = crate::help::texts(crate::args::Cli::command(), ctx.lang);
    let mut out = crate::output::stdout();
    clap_complete::generate(shell, &mut cmd, "volact", &mut out);
    out.flush()?;
    Ok(Exit::Ok)
}

pub(crate) fn man(ctx: &Ctx, out_dir: Option<&Path>) -> anyhow::Result<Exit> {
    match out_dir {
        None => {
            let mut out = crate::output::stdout();
            out.write_all(page(ctx, crate::args::command(ctx.lang))?.as_bytes())?;
            out.flush()?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            // No page for the `help` subcommand (as `clap_mangen::generate_to`).
            let cmd = crate::args::Cli::command().disable_help_subcommand(true);
            let mut cmd = crate::help::localise(cmd, ctx.lang);
            cmd.build();
            write_pages(ctx, &cmd, dir)
                .with_context(|| format!("cannot write man pages to {}", dir.display()))?;
        }
    }
    Ok(Exit::Ok)
}

/// The man page of `cmd`, its section headings in the language of the output.
fn page(ctx: &Ctx, cmd: clap::Command) -> std::io::Result<String> {
    let mut roff = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut roff)?;
    Ok(crate::help::man_page(
        &String::from_utf8_lossy(&roff),
        ctx.lang,
    ))
}

/// One page for `cmd` and one for each of its visible subcommands, as
/// `clap_mangen::generate_to` writes them (`volact.1`, `volact-explain.1`, ...).
fn write_pages(ctx: &Ctx, cmd: &clap::Command, dir: &Path) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(ctx, sub, dir)?;
    }
    let name = clap_mangen::Man::new(cmd.clone()).get_filename();
    std::fs::write(dir.join(name), page(ctx, cmd.clone())?)
}
