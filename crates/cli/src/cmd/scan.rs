//! `volact scan`: activation codes, slmgr snapshots and event text in files, folders or stdin.
//! Everything but argument handling, the progress bar and the exit code lives in `volact-scan`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use volact_scan::{Options, Progress, Source, Verdict, render};

use crate::Ctx;
use crate::args::ReportFormat;
use crate::exit::{Exit, Failure};

const AFTER_HELP: &str = "\
Exit codes:
  0  evidence found, every failure code is in the knowledge base and no snapshot needs attention
  1  something needs attention: a failure code volact cannot fully explain, or a failing diagnosis
  2  usage error (bad arguments, invalid glob)
  3  nothing found: no code, slmgr output or event in the inputs
  4  an input could not be read (the others are still reported)

Examples:
  volact scan logs/                        every file under logs/, recursively
  volact scan -g '*.log' -g '!old/**' logs/
  cscript //nologo slmgr.vbs /dlv | volact scan -
  volact scan --format json logs/ > report.json";

/// Arguments of `volact scan`.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub(crate) struct ScanArgs {
    /// Files or directories to scan; "-" reads standard input (default when it is not a terminal).
    #[arg(value_name = "PATH|-")]
    pub(crate) inputs: Vec<String>,

    /// Output format.
    #[arg(long, short, value_enum, default_value_t = ReportFormat::Text)]
    pub(crate) format: ReportFormat,

    /// Only files (found in directories) matching this glob; "!GLOB" excludes. Repeatable.
    #[arg(long, short = 'g', value_name = "GLOB")]
    pub(crate) glob: Vec<String>,

    /// Report every 0x + eight hex digits value, also those that are not plausible HRESULTs
    /// (addresses, hashes, 0x00000000 outside result fields).
    #[arg(long)]
    pub(crate) all_codes: bool,

    /// Scan files that look binary (NUL bytes) instead of skipping them.
    #[arg(long, short = 'a', visible_alias = "text")]
    pub(crate) binary: bool,

    /// Most matches listed in detail (all are counted in the summary); 0 lists all.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub(crate) max_matches: usize,

    /// Characters of context shown on each side of a match.
    #[arg(long, value_name = "N", default_value_t = 60)]
    pub(crate) context: usize,

    /// Threads scanning files in parallel (0: one per CPU).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub(crate) threads: usize,
}

/// Draws a progress bar on standard error after the first half second, while the scan runs.
fn progress_bar(progress: Arc<Progress>, done: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut waited = Duration::ZERO;
        while waited < Duration::from_millis(500) {
            if done.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
            waited += Duration::from_millis(50);
        }
        let bar = indicatif::ProgressBar::new(progress.total_bytes.load(Ordering::Relaxed));
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {bytes}/{total_bytes} {bytes_per_sec} {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        while !done.load(Ordering::Relaxed) {
            bar.set_length(progress.total_bytes.load(Ordering::Relaxed));
            bar.set_position(progress.bytes.load(Ordering::Relaxed));
            bar.set_message(format!(
                "{}/{} files",
                progress.files.load(Ordering::Relaxed),
                progress.total_files.load(Ordering::Relaxed)
            ));
            std::thread::sleep(Duration::from_millis(100));
        }
        bar.finish_and_clear();
    })
}

/// Runs `volact scan`.
pub(crate) fn run(ctx: &Ctx, args: ScanArgs) -> anyhow::Result<Exit> {
    let mut sources = Vec::new();
    for i in &args.inputs {
        sources.push(if i == "-" {
            Source::Stdin
        } else {
            Source::Path(PathBuf::from(i))
        });
    }
    if sources.is_empty() {
        if std::io::stdin().is_terminal() {
            return Err(Failure(
                Exit::Usage,
                "nothing to scan: give files or directories, or \"-\" for standard input".into(),
            )
            .into());
        }
        sources.push(Source::Stdin);
    }
    if sources.contains(&Source::Stdin) && std::io::stdin().is_terminal() {
        eprintln!("volact: reading standard input; end with Ctrl-D (Ctrl-Z then Enter on Windows)");
    }
    let opts = Options {
        all_codes: args.all_codes,
        binary: args.binary,
        globs: args.glob.clone(),
        max_matches: args.max_matches,
        context_chars: args.context,
        threads: args.threads,
    };
    let progress = Arc::new(Progress::default());
    let done = Arc::new(AtomicBool::new(false));
    let bar = std::io::stderr()
        .is_terminal()
        .then(|| progress_bar(progress.clone(), done.clone()));
    let result = volact_scan::scan(&sources, &opts, Some(&progress));
    done.store(true, Ordering::Relaxed);
    if let Some(b) = bar {
        let _ = b.join();
    }
    let scan = result.map_err(|e| Failure(Exit::Usage, e.to_string()))?;
    let report = scan.report(ctx.lang);
    for i in &report.inputs {
        if let Some(e) = &i.error {
            eprintln!("volact: error: {}: {e}", i.path);
        }
    }
    let out = match args.format {
        ReportFormat::Text => render::text(&report, ctx.color),
        ReportFormat::Json => render::json(&report),
        ReportFormat::Ndjson => render::ndjson(&report),
        ReportFormat::Csv => render::csv(&report),
        ReportFormat::Markdown => render::markdown(&report),
    };
    super::print(ctx, &out)?;
    Ok(match report.verdict() {
        Verdict::Ok => Exit::Ok,
        Verdict::Attention => Exit::Attention,
        Verdict::NothingFound => Exit::NothingFound,
        Verdict::IoError => Exit::Io,
    })
}
