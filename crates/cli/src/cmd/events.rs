//! `volact events`: KMS client and host event logs (.evtx, XML, text) into client and host reports.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context;
use volact_core::event::Timestamp;
use volact_events::analyze::{Analyzer, ClientRows, InputSummary, Options};
use volact_events::{render, source};

use crate::Ctx;
use crate::args::ReportFormat;
use crate::exit::{Exit, Failure};

const AFTER_HELP: &str = "\
Inputs are recognised by content: .evtx logs (the client's Application log, the host's
\"Key Management Service\" log), event XML (wevtutil qe ... /f:xml, Event Viewer \"Save as XML\"),
and text (Event Viewer \"Copy details\", support-article blocks, bare Info lines). UTF-8 and
UTF-16 are both read. Directories are read recursively.

Times (--since, --until, --now): 2026-11-24, 2026-11-24T14:00:00Z, 2026/11/24 14:00. A date alone
in --until means the end of that day. Times without a zone are compared as UTC.

Exit codes:
  0  activation events found, nothing needs attention
  1  something needs attention: failed or unanswered requests, error codes, clock skew, cloned
     CMIDs, a count below the threshold, DNS publishing failures, damaged input
  2  usage error
  3  no activation event found in the inputs
  4  no input could be read, or --clients-csv could not be written";

/// Arguments of `volact events`.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub(crate) struct EventsArgs {
    /// Files, folders, or - for standard input.
    #[arg(value_name = "FILE|DIR|-", required = true)]
    pub(crate) inputs: Vec<PathBuf>,

    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Text)]
    pub(crate) format: ReportFormat,

    /// Only events logged at or after this time.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) since: Option<Timestamp>,

    /// Only events logged at or before this time.
    #[arg(long, value_name = "TIME", value_parser = parse_until)]
    pub(crate) until: Option<Timestamp>,

    /// "Now" for the count the host would have (default: the newest host event).
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) now: Option<Timestamp>,

    /// Only this client: its name, short name (before the first dot) or CMID.
    #[arg(long, value_name = "NAME|CMID")]
    pub(crate) client: Option<String>,

    /// Also write the per-client table of the host view as CSV to this file.
    #[arg(long, value_name = "FILE")]
    pub(crate) clients_csv: Option<PathBuf>,
}

fn parse_time(s: &str) -> Result<Timestamp, String> {
    Timestamp::parse(s).ok_or_else(|| {
        format!(
            "{s:?} is not a time (examples: 2026-11-24, 2026-11-24T14:00:00Z, 2026/11/24 14:00)"
        )
    })
}

fn parse_until(s: &str) -> Result<Timestamp, String> {
    let t = parse_time(s)?;
    if s.contains(':') {
        Ok(t)
    } else {
        Ok(Timestamp::from_unix(t.unix() + 86_399, t.is_utc()))
    }
}

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
        ReportFormat::Text | ReportFormat::Markdown if args.clients_csv.is_none() => {
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
        ReportFormat::Text => render::text(&report),
        ReportFormat::Markdown => render::markdown(&report),
        ReportFormat::Csv => render::csv(&report),
        ReportFormat::Ndjson => render::ndjson(&report),
        ReportFormat::Json => {
            let mut s = serde_json::to_string_pretty(&report)?;
            s.push('\n');
            s
        }
    };
    write_redacted(&out, std::io::stdout().lock())?;

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
