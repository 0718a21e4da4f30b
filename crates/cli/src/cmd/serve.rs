//! `volact serve`: the JSON API and the help-desk web page. Everything but argument handling and
//! the start-up messages lives in `volact-server`.

use std::net::SocketAddr;
use std::time::Duration;

use volact_core::Lang;

use crate::Ctx;
use crate::args::ServeArgs;
use crate::exit::{Exit, Failure};

fn warn_public(lang: Lang, addr: SocketAddr) {
    let msg = lang.pick(
        format!(
            "volact: warning: listening on {addr}, which is not a loopback address: anyone who can reach this machine can use the API"
        ),
        format!(
            "volact：警告：正在 {addr} 上接聽，這不是回送（loopback）位址：能連到這台電腦的任何人都能使用此 API"
        ),
    );
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
                ctx.lang.pick(
                    "volact: POST /api/v1/doctor is allowed: requests can make this machine probe hosts they name",
                    "volact：已允許 POST /api/v1/doctor：請求可以讓這台電腦探測其指定的主機",
                )
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
