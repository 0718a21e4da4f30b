//! One module per subcommand.

pub(crate) mod catalog;
pub(crate) mod collect;
pub(crate) mod docs;
pub(crate) mod doctor;
pub(crate) mod events;
pub(crate) mod explain;
pub(crate) mod key;
pub(crate) mod products;
pub(crate) mod scan;
pub(crate) mod serve;

use std::io::Write;

/// Writes text to standard output, product keys redacted (`crate::output`). Colours were decided
/// by the caller (`Ctx::color`); on a legacy Windows console, anstream turns the ANSI styles into
/// console calls.
pub(crate) fn print(ctx: &crate::Ctx, s: &str) -> anyhow::Result<()> {
    let choice = if ctx.color {
        anstream::ColorChoice::Always
    } else {
        anstream::ColorChoice::Never
    };
    let mut out =
        crate::output::Redacting::new(anstream::AutoStream::new(std::io::stdout().lock(), choice));
    out.write_all(s.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// Writes a JSON value with a trailing newline, product keys redacted.
pub(crate) fn print_json<T: serde::Serialize>(v: &T) -> anyhow::Result<()> {
    let mut out = std::io::BufWriter::new(crate::output::stdout());
    serde_json::to_writer_pretty(&mut out, v)?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}
