//! `volact scan`: activation codes, slmgr snapshots and event text in files, folders or stdin.
//! Everything but argument handling, the progress bar and the exit code lives in `volact-scan`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use volact_scan::{Options, Progress, Source, Verdict, render};

use crate::Ctx;
use crate::args::{Format as ReportFormat, ScanArgs};
use crate::exit::{Exit, Failure};

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
        let bar = crate::output::progress_bar(
            progress.total_bytes.load(Ordering::Relaxed),
            crate::output::Unit::Bytes,
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
