//! `volact list` and `volact search`: the knowledge base as a catalogue.

use volact_core::catalog::{self, Catalog};
use volact_core::kb::{self, ActivationType, Entry};
use volact_core::render;

use crate::Ctx;
use crate::args::{Format, ListArgs, SearchArgs};
use crate::exit::Exit;

/// Prints the catalogue; text and Markdown render the entries, JSON is `volact_core::catalog`'s
/// model (the same as `GET /api/v1/codes`).
fn output(
    ctx: &Ctx,
    format: Format,
    entries: &[&'static Entry],
    json: impl FnOnce() -> Catalog,
) -> anyhow::Result<()> {
    match format {
        Format::Markdown => super::print(ctx, &render::entries_markdown(entries, ctx.lang)),
        Format::Json => super::print_json(&json()),
        // clap accepts text, json and markdown only here.
        Format::Text | Format::Ndjson | Format::Csv => {
            super::print(ctx, &render::entries_text(entries, ctx.lang, ctx.color))
        }
    }
}

pub(crate) fn list(ctx: &Ctx, args: ListArgs) -> anyhow::Result<Exit> {
    let ty = args
        .ty
        .as_deref()
        .map(str::parse::<ActivationType>)
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let entries = kb::list(ty);
    output(ctx, args.format, &entries, || catalog::list(ctx.lang, ty))?;
    Ok(Exit::Ok)
}

pub(crate) fn search(ctx: &Ctx, args: SearchArgs) -> anyhow::Result<Exit> {
    let query = args.words.join(" ");
    let hits = kb::search(&query);
    let entries: Vec<&'static Entry> = hits.iter().map(|h| h.entry).collect();
    output(ctx, args.format, &entries, || {
        catalog::search(ctx.lang, &query, None)
    })?;
    if hits.is_empty() {
        if args.format != Format::Json {
            let (before, after) = ctx.lang.pick(
                ("volact: nothing in the knowledge base matches ", ""),
                ("volact：知識庫中沒有符合 ", " 的項目"),
            );
            eprintln!("{before}{query:?}{after}");
        }
        return Ok(Exit::Attention);
    }
    Ok(Exit::Ok)
}
