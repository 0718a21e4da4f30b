//! `volact explain`: every code in the inputs, with its full knowledge-base entry.

use std::io::IsTerminal;

use anyhow::Context;
use volact_core::explain::{Collector, MAX_CODES};
use volact_core::{products, render};

use crate::Ctx;
use crate::args::{ExplainArgs, Format};
use crate::exit::{Exit, Failure};
use crate::input;

pub(crate) fn run(ctx: &Ctx, args: ExplainArgs) -> anyhow::Result<Exit> {
    let mut collector = Collector::new();
    let mut stdin_used = false;
    // Activation IDs the product table knows are shown as its rows (a host key's: the rows of the
    // products it activates).
    let mut found: Vec<&'static products::Product> = Vec::new();
    for arg in &args.inputs {
        let rows = match products::group_by_activation_id(arg) {
            Some(g) => products::activated_by(g),
            None => products::by_activation_id(arg).into_iter().collect(),
        };
        if !rows.is_empty() {
            for p in rows {
                if !found.iter().any(|f| std::ptr::eq(*f, p)) {
                    found.push(p);
                }
            }
            continue;
        }
        if arg == "-" {
            if stdin_used {
                continue;
            }
            stdin_used = true;
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                eprintln!(
                    "volact: reading standard input; end with Ctrl-D (Ctrl-Z then Enter on Windows)"
                );
            }
            let before = collector.len();
            let stats = input::for_each_chunk(stdin.lock(), |text| {
                collector.add_text(text);
            })
            .context("cannot read standard input")?;
            if stats.replaced {
                eprintln!(
                    "volact: warning: standard input is not valid {}; invalid bytes were replaced and the rest was read",
                    stats.encoding
                );
            }
            if collector.len() == before {
                collector.add_unmatched(&format!("<stdin> ({} bytes)", stats.bytes));
            }
        } else {
            collector.add_argument(arg);
        }
    }
    if collector.limit_hit() {
        eprintln!(
            "volact: warning: more than {MAX_CODES} distinct codes in the input; only the first {MAX_CODES} are explained"
        );
    }
    if collector.is_empty() && !found.is_empty() {
        print_products(ctx, args.format, &found, true)?;
        return Ok(Exit::Ok);
    }
    if collector.is_empty() {
        let report = collector.report(ctx.lang);
        if args.format == Format::Json {
            super::print_json(&report)?;
        }
        let what: Vec<&str> = report.unmatched.iter().map(String::as_str).collect();
        return Err(Failure(
            Exit::NothingFound,
            format!("no error code found in: {}", what.join(", ")),
        )
        .into());
    }
    let report = collector.report(ctx.lang);
    match args.format {
        Format::Json => super::print_json(&report)?,
        Format::Markdown => super::print(ctx, &render::report_markdown(&report))?,
        // clap accepts text, json and markdown only here.
        Format::Text | Format::Ndjson | Format::Csv => {
            super::print(ctx, &render::report_text(&report, ctx.color))?
        }
    }
    if args.format != Format::Json {
        if report
            .results
            .iter()
            .any(|r| products::concerns_products(r.code))
        {
            super::print(ctx, &format!("\n{}\n", products::pointer(ctx.lang)))?;
        }
        if !found.is_empty() {
            print_products(ctx, args.format, &found, false)?;
        }
    }
    Ok(if report.all_known() && report.unmatched.is_empty() {
        Exit::Ok
    } else {
        Exit::Attention
    })
}

/// The product rows of the Activation IDs given (JSON only when they are all there is).
fn print_products(
    ctx: &Ctx,
    format: Format,
    found: &[&'static products::Product],
    alone: bool,
) -> anyhow::Result<()> {
    let doc = products::Doc::new(found, ctx.lang, None, None, false);
    match format {
        Format::Json if alone => super::print_json(&doc),
        Format::Markdown => super::print(ctx, &products::markdown(&doc, ctx.lang)),
        _ => super::print(
            ctx,
            &format!(
                "{}{}",
                if alone { "" } else { "\n" },
                products::text(&doc, ctx.lang)
            ),
        ),
    }
}
