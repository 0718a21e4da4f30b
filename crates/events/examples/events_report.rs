//! Reads event logs into a report and prints its JSON (or, with `--summary`, one line of counts):
//! a small driver for profiling the readers without the CLI.
//!
//! Usage: `cargo run --release -p volact-events --example events_report -- [--summary] [--timings]
//! FILE...` (`--timings` prints the time spent reading and building the report on stderr).

use volact_events::analyze::{Analyzer, Options};

fn main() {
    let mut summary = false;
    let mut timings = false;
    let start = std::time::Instant::now();
    let mut an = Analyzer::new(Options::default());
    for arg in std::env::args().skip(1) {
        if arg == "--summary" {
            summary = true;
            continue;
        }
        if arg == "--timings" {
            timings = true;
            continue;
        }
        let input = volact_events::source::read_input(std::path::Path::new(&arg), &mut an);
        if let Some(e) = input.error {
            eprintln!("{arg}: {e}");
            std::process::exit(4);
        }
    }
    let read = start.elapsed();
    let r = an.report(volact_core::Lang::En);
    if timings {
        eprintln!(
            "read {:.1} ms, report {:.1} ms",
            read.as_secs_f64() * 1e3,
            (start.elapsed() - read).as_secs_f64() * 1e3
        );
    }
    if summary {
        let h = r.host.as_ref();
        println!(
            "read {} used {} skipped {} host requests {} clients {}",
            r.stats.records_read,
            r.stats.events_used,
            r.stats.records_skipped,
            h.map_or(0, |h| h.requests),
            h.map_or(0, |h| h.clients_total)
        );
    } else {
        println!("{}", serde_json::to_string_pretty(&r).unwrap_or_default());
    }
}
