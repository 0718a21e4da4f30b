//! `volact serve`: the JSON API and the help-desk web page (placeholder, being built).

use crate::Ctx;
use crate::exit::Exit;

/// Arguments of `volact serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(crate) listen: std::net::SocketAddr,
    /// Allow `POST /api/v1/doctor` to run network checks.
    #[arg(long)]
    pub(crate) allow_doctor: bool,
}

/// Runs `volact serve`.
pub(crate) fn run(_ctx: &Ctx, args: ServeArgs) -> anyhow::Result<Exit> {
    let rt = tokio::runtime::Runtime::new()?;
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.listen).await?;
        let cfg = volact_server::Config {
            allow_doctor: args.allow_doctor,
        };
        volact_server::serve(listener, cfg, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    })?;
    Ok(Exit::Ok)
}
