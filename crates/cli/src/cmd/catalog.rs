//! `volact list` and `volact search`: the knowledge base as a catalogue.

use serde::Serialize;
use volact_core::kb::{self, ActivationType, Entry};
use volact_core::render;

use crate::Ctx;
use crate::args::{Format, ListArgs, SearchArgs};
use crate::exit::Exit;

/// JSON form of one catalogue row.
#[derive(Serialize)]
struct Row {
    code: String,
    name: Option<&'static str>,
    activation_types: Vec<&'static str>,
    message: &'static str,
    seed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<u32>,
}

#[derive(Serialize)]
struct Catalog {
    schema_version: u32,
    lang: volact_core::Lang,
    #[serde(skip_serializing_if = "Option::is_none")]
    query: Option<String>,
    results: Vec<Row>,
}

fn row(e: &Entry, ctx: &Ctx, score: Option<u32>) -> Row {
    Row {
        code: e.code.to_string(),
        name: e.name,
        activation_types: e.types.iter().map(|t| t.id()).collect(),
        message: e.text(ctx.lang).message,
        seed: e.seed,
        score,
    }
}

fn output(
    ctx: &Ctx,
    format: Format,
    entries: &[&'static Entry],
    scores: Option<&[u32]>,
    query: Option<String>,
) -> anyhow::Result<()> {
    match format {
        Format::Text => super::print(ctx, &render::entries_text(entries, ctx.lang, ctx.color)),
        Format::Markdown => super::print(ctx, &render::entries_markdown(entries, ctx.lang)),
        Format::Json => super::print_json(&Catalog {
            schema_version: volact_core::explain::SCHEMA_VERSION,
            lang: ctx.lang,
            query,
            results: entries
                .iter()
                .enumerate()
                .map(|(i, e)| row(e, ctx, scores.map(|s| s[i])))
                .collect(),
        }),
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
    output(ctx, args.format, &entries, None, None)?;
    Ok(Exit::Ok)
}

pub(crate) fn search(ctx: &Ctx, args: SearchArgs) -> anyhow::Result<Exit> {
    let query = args.words.join(" ");
    let hits = kb::search(&query);
    let entries: Vec<&'static Entry> = hits.iter().map(|h| h.entry).collect();
    let scores: Vec<u32> = hits.iter().map(|h| h.score).collect();
    output(
        ctx,
        args.format,
        &entries,
        Some(&scores),
        Some(query.clone()),
    )?;
    if hits.is_empty() {
        if args.format != Format::Json {
            let msg = match ctx.lang {
                volact_core::Lang::En => {
                    format!("volact: nothing in the knowledge base matches {query:?}")
                }
                volact_core::Lang::ZhTw => format!("volact：知識庫中沒有符合 {query:?} 的項目"),
            };
            eprintln!("{msg}");
        }
        return Ok(Exit::Attention);
    }
    Ok(Exit::Ok)
}
