//! # volact-netdiag
//!
//! Staged live checks the way a KMS client walks them: DNS SRV discovery, TCP 1688, a DCE/RPC bind
//! to the KMS interface (and nothing more), and the clock.
//!
//! The probe never activates anything: on the RPC stage it sends exactly one PDU, the `bind` for
//! the KMS interface, reads the reply in bounded memory and closes the connection. It never sends
//! an RPC `request`, so a KMS host never counts, charges or activates anything because of it.
//!
//! [`run`] is the synchronous entry point (it starts its own Tokio runtime); [`run_async`] runs
//! inside an existing runtime. Both return a [`Report`], whose serde form is the JSON wire format;
//! [`render`] turns it into text or NDJSON in English or Traditional Chinese. The library draws
//! nothing: a front end that shows progress implements [`Observer`] and passes [`Progress::To`].
//!
//! Inside, each stage's probe returns a language-free [`finding::Outcome`] (one variant per
//! `outcome` id, with its facts), and discovery, each domain, the clock and the hosts not probed
//! a [`finding::Verdict`]. The walk lives in `check/` and never sees a language: `plan.rs` (what
//! runs, on which hosts), `dns.rs`, `tcp.rs`, `rpc.rs`, `clock.rs` (one file per stage),
//! `host.rs` (one host's walk) and `mod.rs` (the run, giving the facts). `assemble.rs` then
//! builds the [`Report`] in the report's language: every sentence comes from one module,
//! `phrases.rs`.
//!
//! ```no_run
//! use volact_netdiag::{Options, Progress, target};
//! let mut opts = Options::default();
//! opts.hosts.push(target::parse("kms.contoso.com", 1688, volact_netdiag::model::Origin::Argument).unwrap());
//! let report = volact_netdiag::run(&opts, &Progress::Hidden).unwrap();
//! println!("{}", volact_netdiag::render::text(&report, false));
//! ```

mod advice;
mod assemble;
pub mod azure;
mod check;
pub mod dns;
mod error;
pub mod finding;
pub mod model;
mod options;
mod phrases;
mod progress;
pub mod render;
pub mod rpc;
pub mod sntp;
pub mod target;

pub use check::{CLOCK_FAIL_S, LOOKUP_CONCURRENCY};
pub use dns::SystemDns;
pub use error::Error;
pub use model::{Report, SCHEMA_VERSION, Stage, Status};
pub use options::{
    DEFAULT_CLOCK_WARN_S, DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT, Options, all_checks, checks_for,
};
pub use progress::{Observer, Progress};
pub use target::Target;

/// Runs the checks inside the current Tokio runtime.
pub async fn run_async(opts: &Options, progress: &Progress<'_>) -> Report {
    assemble::report(opts, check::run(opts, progress).await)
}

/// Runs the checks on a runtime of its own (for the CLI and other synchronous callers).
pub fn run(opts: &Options, progress: &Progress<'_>) -> Result<Report, Error> {
    let mut opts = opts.clone();
    opts.concurrency = fit_concurrency(opts.concurrency);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    let walk = rt.block_on(check::run(&opts, progress));
    // Do not wait for stray resolver tasks.
    rt.shutdown_background();
    Ok(assemble::report(&opts, walk))
}

/// Keeps the number of sockets in flight within the process's file limit (raising the soft limit
/// when allowed).
#[cfg(unix)]
fn fit_concurrency(want: usize) -> usize {
    let want = want.max(1);
    let need = want as u64 + 128;
    match rlimit::increase_nofile_limit(need) {
        Ok(got) if got >= need => want,
        Ok(got) => (got.saturating_sub(128).max(16) as usize).min(want),
        Err(_) => want.min(256),
    }
}

#[cfg(not(unix))]
fn fit_concurrency(want: usize) -> usize {
    want.max(1)
}
