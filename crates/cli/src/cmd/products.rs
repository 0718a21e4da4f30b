//! `volact products`: the volume products table (`volact_core::products`), listed or searched.
//!
//! The KMS client setup keys (GVLKs) are the one kind of product key volact prints whole: Microsoft
//! publishes them for KMS clients. Only with `--gvlk`, and only the table's own keys, does this
//! command write without the redacting writer (`crate::output`); the one thing the user typed that
//! the output repeats, the search, is redacted in the model (`products::Doc::new`), and messages go
//! to standard error through the redacting writer as always.

use std::io::Write;

use volact_core::products::{self, Doc, Family};

use crate::Ctx;
use crate::args::{Format, ProductsArgs};
use crate::exit::Exit;

pub(crate) fn run(ctx: &Ctx, args: ProductsArgs) -> anyhow::Result<Exit> {
    let family: Option<Family> = match args.family.as_deref() {
        Some(f) => Some(f.parse().map_err(anyhow::Error::msg)?),
        None => None,
    };
    let query = args.query.join(" ");
    let query = query.trim();
    let found = products::find(query, family);
    let doc = Doc::new(
        &found,
        ctx.lang,
        (!query.is_empty()).then_some(query),
        family,
        args.gvlk,
    );
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&doc)? + "\n",
        Format::Ndjson => products::ndjson(&doc),
        Format::Csv => products::csv(&doc),
        Format::Markdown => products::markdown(&doc, ctx.lang),
        Format::Text => products::text(&doc, ctx.lang),
    };
    if args.gvlk {
        write_published(&text)?;
    } else {
        super::print(ctx, &text)?;
    }
    if !found.is_empty() {
        return Ok(Exit::Ok);
    }
    if args.format != Format::Json {
        eprintln!("{}", nothing_found(ctx.lang, query));
    }
    Ok(Exit::Attention)
}

/// What standard error says when no product matches `query`.
fn nothing_found(lang: volact_core::Lang, query: &str) -> String {
    match lang {
        volact_core::Lang::En => format!(
            "volact: no product in the table matches {query:?}; try words of the name, an Activation ID or the last five characters of a key"
        ),
        volact_core::Lang::ZhTw => format!(
            "volact：產品表中沒有符合 {query:?} 的產品；請改用名稱中的字詞、啟用識別碼（Activation ID）或金鑰的最後五個字元"
        ),
    }
}

/// Writes the table with its published GVLKs whole (see the module documentation).
#[allow(clippy::disallowed_methods)]
fn write_published(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}
