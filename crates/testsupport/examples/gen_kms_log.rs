//! Writes a synthetic KMS log for benchmarks: a host's "Key Management Service" log (event 12290)
//! or, with `--app`, a client's Application log (12288, 12289 and 8198 among other providers'
//! events).
//!
//! Usage: `cargo run --release -p volact-testsupport --example gen_kms_log -- [--app]
//! [--layout joined|fields|info|zero] OUT.evtx [RECORDS] [MACHINES]`.
//! Host log: default 1,000,000 records, 25,000 machines renewing over 300 days, with clones and
//! skewed clocks. Application log: default 200,000 records, 6 % of them KMS client events.
//! `--layout` picks how the KMS events' fields are laid out in their `<Data>` items: `joined`
//! (the default: the list joined in the first item, then one item per field, as a modern Windows
//! writes them), `fields` (one item per field), `info` (the joined list alone, Vista era), `zero`
//! (`0`, then one item per field). Memory stays at one 64 KiB chunk plus the client list.

use std::fs::File;
use std::io::BufWriter;

use volact_testsupport::evtx::EvtxWriter;
use volact_testsupport::evtx::app::{AppLog, AppLogSpec};
use volact_testsupport::evtx::kms::{HostLog, HostLogSpec, Layout};

const USAGE: &str =
    "usage: gen_kms_log [--app] [--layout joined|fields|info|zero] OUT.evtx [RECORDS] [MACHINES]";

fn main() -> std::io::Result<()> {
    let mut app = false;
    let mut layout = Layout::default();
    let mut rest = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--app" => app = true,
            "--layout" => {
                layout = args
                    .next()
                    .as_deref()
                    .and_then(Layout::parse)
                    .unwrap_or_else(|| {
                        eprintln!("{USAGE}");
                        std::process::exit(2)
                    })
            }
            _ => rest.push(a),
        }
    }
    let mut rest = rest.into_iter();
    let Some(out) = rest.next() else {
        eprintln!("{USAGE}");
        std::process::exit(2);
    };
    let records: Option<u64> = rest.next().map(|s| s.parse().expect("RECORDS is a number"));
    let clients: usize = rest
        .next()
        .map_or(25_000, |s| s.parse().expect("MACHINES is a number"));
    let mut w = EvtxWriter::new(BufWriter::new(File::create(&out)?));
    if app {
        let spec = AppLogSpec {
            records: records.unwrap_or(200_000),
            layout,
            ..AppLogSpec::default()
        };
        let mut log = AppLog::new(spec);
        for ev in log.by_ref() {
            w.push(&ev)?;
        }
        let n = w.summary().records;
        w.finish()?;
        eprintln!("{out}: {n} records, {:?}", log.written());
        return Ok(());
    }
    let spec = HostLogSpec {
        clients,
        clones: 40,
        skewed: 30,
        days: 300,
        max_records: Some(records.unwrap_or(1_000_000)),
        layout,
        ..HostLogSpec::default()
    };
    for (ev, _) in HostLog::new(spec) {
        w.push(&ev)?;
    }
    let n = w.summary().records;
    w.finish()?;
    eprintln!("{out}: {n} records");
    Ok(())
}
