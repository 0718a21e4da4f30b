//! Writes a synthetic KMS host log ("Key Management Service" channel, event 12290) for benchmarks.
//!
//! Usage: `cargo run --release -p volact-testsupport --example gen_kms_log -- OUT.evtx [RECORDS]
//! [MACHINES]` (default 1,000,000 records: 25,000 machines renewing over 300 days, with clones and
//! skewed clocks). Memory stays at one 64 KiB chunk plus the client list.

use std::fs::File;
use std::io::BufWriter;

use volact_testsupport::evtx::EvtxWriter;
use volact_testsupport::evtx::kms::{HostLog, HostLogSpec};

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next() else {
        eprintln!("usage: gen_kms_log OUT.evtx [RECORDS] [MACHINES]");
        std::process::exit(2);
    };
    let records: u64 = args
        .next()
        .map_or(1_000_000, |s| s.parse().expect("RECORDS is a number"));
    let clients: usize = args
        .next()
        .map_or(25_000, |s| s.parse().expect("MACHINES is a number"));
    let spec = HostLogSpec {
        clients,
        clones: 40,
        skewed: 30,
        days: 300,
        max_records: Some(records),
        ..HostLogSpec::default()
    };
    let mut w = EvtxWriter::new(BufWriter::new(File::create(&out)?));
    let mut n = 0u64;
    for (ev, _) in HostLog::new(spec) {
        w.push(&ev)?;
        n += 1;
    }
    w.finish()?;
    eprintln!("{out}: {n} records");
    Ok(())
}
