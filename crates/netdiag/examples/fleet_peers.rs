//! Starts a fleet of loopback endpoints for `bench/doctor/run.sh` and writes its hosts file.
//!
//! `cargo run --release -p volact-netdiag --example fleet_peers -- HOSTS_FILE [HEALTHY SILENT REFUSED]`
//!
//! Serves until standard input closes (the benchmark keeps a pipe open while it measures).

use std::io::Read;

use volact_testsupport::peers::{Counters, Fleet};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: fleet_peers HOSTS_FILE [HEALTHY SILENT REFUSED]");
        std::process::exit(2);
    };
    let n = |i: usize, d: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let fleet = match Fleet::start(n(1, 334), n(2, 333), n(3, 333)) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("fleet_peers: cannot start the fleet: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = std::fs::write(path, fleet.hosts_file()) {
        eprintln!("fleet_peers: cannot write {path}: {e}");
        std::process::exit(1);
    }
    eprintln!(
        "fleet_peers: {} healthy, {} silent, {} refused endpoints; hosts file {path}",
        fleet.healthy.len(),
        fleet.silent.len(),
        fleet.refused.len()
    );
    let mut sink = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut sink);
    eprintln!(
        "fleet_peers: {} connections, {} PDUs, {} binds, {} requests",
        Counters::get(&fleet.counters.connections),
        Counters::get(&fleet.counters.pdus),
        Counters::get(&fleet.counters.binds),
        Counters::get(&fleet.counters.requests)
    );
}
