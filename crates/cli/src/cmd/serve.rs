//! `volact serve`: the JSON API and the help-desk web page. Everything but argument handling and
//! the start-up messages lives in `volact-server`.

use std::net::SocketAddr;
use std::time::Duration;

use volact_core::Lang;

use crate::Ctx;
use crate::exit::{Exit, Failure};

const AFTER_HELP: &str = "\
The page is at http://ADDRESS/ and the API under /api/v1 (described by /api/openapi.json; see
docs/serve.md). With port 0 the system picks a free port. Once listening, the server prints
\"volact: listening on http://ADDRESS/\" on standard error, then one access-log line per request
(time, method, path with product keys masked, status, bytes, milliseconds; never a body) unless
--quiet is given. Nothing uploaded is written to disk.

Limits: 1 MiB for pasted text, --max-upload for event logs; at most --max-heavy analyses at once
(more wait 2 s, then get 503 with Retry-After); 10 s to send the request headers, 30 s to send a
body, 120 s for a whole request; a client that stops reading its answer for 10 s (or takes more
than 60 s) is disconnected. The Host header must name the listen address (or localhost on
loopback) or a name given with --allow-host; anything else gets 421.

Exit codes:
  0  stopped by Ctrl-C (or SIGTERM) after finishing the requests in flight
  2  usage error
  4  the address could not be bound (in use, or not allowed)

Examples:
  volact serve                                   http://127.0.0.1:8080/
  volact serve --listen 127.0.0.1:0 --quiet      any free port, no access log
  volact serve --listen 0.0.0.0:8080 --allow-doctor";

/// Arguments of `volact serve`.
#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub(crate) struct ServeArgs {
    /// Address to listen on (loopback unless told otherwise; port 0 picks a free port).
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    pub(crate) listen: SocketAddr,

    /// Allow `POST /api/v1/doctor` to run network checks (DNS, TCP, RPC bind, SNTP) from this
    /// machine to the hosts a request names.
    #[arg(long)]
    pub(crate) allow_doctor: bool,

    /// No access log on standard error.
    #[arg(long, short)]
    pub(crate) quiet: bool,

    /// Largest event log accepted by `POST /api/v1/events`, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 64,
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub(crate) max_upload: u32,

    /// Analyses (analyze, events, doctor) running at once (0: twice the CPUs).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub(crate) max_heavy: usize,

    /// Another host name the Host header may give (a reverse proxy's, or this machine's DNS
    /// name); repeatable. Without it only the listen address (and localhost on loopback) is
    /// answered, against DNS rebinding.
    #[arg(long = "allow-host", value_name = "NAME")]
    pub(crate) allow_host: Vec<String>,
}

fn warn_public(lang: Lang, addr: SocketAddr) {
    let msg = match lang {
        Lang::En => format!(
            "volact: warning: listening on {addr}, which is not a loopback address: anyone who can reach this machine can use the API"
        ),
        Lang::ZhTw => format!(
            "volact：警告：正在 {addr} 上接聽，這不是回送（loopback）位址：能連到這台電腦的任何人都能使用此 API"
        ),
    };
    eprintln!("{msg}");
}

/// Runs `volact serve`.
pub(crate) fn run(ctx: &Ctx, args: ServeArgs) -> anyhow::Result<Exit> {
    let mut cfg = volact_server::Config {
        allow_doctor: args.allow_doctor,
        max_upload: (args.max_upload as usize) << 20,
        access_log: if args.quiet {
            volact_server::AccessLog::Off
        } else {
            volact_server::AccessLog::Stderr
        },
        allowed_hosts: args.allow_host.clone(),
        lang: ctx.lang,
        ..volact_server::Config::default()
    };
    if args.max_heavy > 0 {
        cfg.max_heavy = args.max_heavy;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure(Exit::Io, format!("cannot start the runtime: {e}")))?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .map_err(|e| Failure(Exit::Io, format!("cannot listen on {}: {e}", args.listen)))?;
        let addr = listener.local_addr()?;
        if !addr.ip().is_loopback() {
            warn_public(ctx.lang, addr);
        }
        if args.allow_doctor {
            eprintln!(
                "{}",
                match ctx.lang {
                    Lang::En =>
                        "volact: POST /api/v1/doctor is allowed: requests can make this machine probe hosts they name",
                    Lang::ZhTw =>
                        "volact：已允許 POST /api/v1/doctor：請求可以讓這台電腦探測其指定的主機",
                }
            );
        }
        eprintln!("volact: listening on http://{addr}/");
        volact_server::serve(listener, cfg, shutdown_signal()).await?;
        anyhow::Ok(())
    })?;
    // Blocking tasks (analyses in flight when the deadline passed) are not waited for.
    rt.shutdown_timeout(Duration::from_secs(1));
    Ok(Exit::Ok)
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
