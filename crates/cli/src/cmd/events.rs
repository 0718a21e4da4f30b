//! `volact events`: KMS client and host event logs (.evtx, XML, text) into client and host reports.

use std::io::IsTerminal;

use anyhow::Context;
use volact_events::analyze::{Analyzer, ClientRows, InputSummary, Options};
use volact_events::{render, source};

use crate::Ctx;
use crate::args::{EventsArgs, Format};
use crate::exit::{Exit, Failure};

/// Writes `out` to `w` with product keys redacted, a piece at a time (memory stays bounded however
/// large the report is). The reports use no colours.
fn write_redacted(out: &str, w: impl std::io::Write) -> std::io::Result<()> {
    use std::io::Write;
    let mut w = crate::output::Redacting::new(w);
    w.write_all(out.as_bytes())?;
    w.finish()?.flush()
}

/// Runs `volact events`.
pub(crate) fn run(ctx: &Ctx, args: EventsArgs) -> anyhow::Result<Exit> {
    let mut an = Analyzer::new(Options {
        since: args.since,
        until: args.until,
        now: args.now,
        client: args.client.clone(),
    });
    let (files, dir_errors) = source::expand_in(&args.inputs, ctx.lang);
    let mut inputs: Vec<InputSummary> = Vec::new();
    for (p, e) in dir_errors {
        inputs.push(InputSummary {
            name: p.display().to_string(),
            kind: None,
            records_read: 0,
            events_used: 0,
            records_skipped: 0,
            error: Some(e),
            form: None,
            nothing_used: None,
        });
    }
    let mut stdin_used = false;
    for f in &files {
        if f.as_os_str() == "-" {
            if stdin_used {
                continue;
            }
            stdin_used = true;
            if std::io::stdin().is_terminal() {
                eprintln!(
                    "volact: reading standard input; end with Ctrl-D (Ctrl-Z then Enter on Windows)"
                );
            }
        }
        let s = source::read_input_in(f, &mut an, ctx.lang);
        if let Some(e) = &s.error {
            eprintln!("volact: warning: {e}");
        }
        inputs.push(s);
    }
    // Text and Markdown show the first client rows only; the other formats (and the CSV file)
    // carry every row.
    let rows = match args.format {
        Format::Text | Format::Markdown if args.clients_csv.is_none() => {
            ClientRows::First(render::TEXT_ROWS)
        }
        _ => ClientRows::All,
    };
    let mut report = an.report_with(ctx.lang, rows);
    report.inputs = inputs;

    if let Some(path) = &args.clients_csv {
        let csv = render::clients_csv(&report);
        std::fs::File::create(path)
            .and_then(|f| write_redacted(&csv, std::io::BufWriter::new(f)))
            .with_context(|| format!("cannot write {}", path.display()))
            .map_err(|e| Failure(Exit::Io, format!("{e:#}")))?;
    }

    let out = match args.format {
        Format::Text => render::text(&report),
        Format::Markdown => render::markdown(&report),
        Format::Csv => render::csv(&report),
        Format::Ndjson => render::ndjson(&report),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&report)?;
            s.push('\n');
            s
        }
    };
    write_redacted(&out, std::io::stdout().lock())?;
    if matches!(args.format, Format::Csv) {
        // A CSV table has no place for notes: records read in part and inputs that gave
        // nothing are said on standard error.
        for p in &report.stats.partial {
            eprintln!("volact: {}: {}", p.label, p.count);
        }
        for i in &report.inputs {
            if let Some(n) = &i.nothing_used {
                let why = n.message(i.form.unwrap_or("-"), ctx.lang);
                eprintln!("volact: {}: {why}", i.name);
            }
        }
    }

    let all_failed = !report.inputs.is_empty() && report.inputs.iter().all(|i| i.error.is_some());
    if all_failed {
        return Err(Failure(Exit::Io, "no input could be read".into()).into());
    }
    let exit = if report.stats.events_used == 0 {
        Exit::NothingFound
    } else if report.attention.is_empty() {
        Exit::Ok
    } else {
        Exit::Attention
    };
    // The process ends right after this: freeing a large report (tens of thousands of client
    // rows) one allocation at a time would only delay the exit.
    std::mem::forget(report);
    Ok(exit)
}
