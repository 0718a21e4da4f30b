//! `volact serve`.

use std::net::SocketAddr;

#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080")]
    pub(crate) listen: SocketAddr,

    #[arg(long)]
    pub(crate) allow_doctor: bool,

    #[arg(long, short)]
    pub(crate) quiet: bool,

    #[arg(long, value_name = "MIB", default_value_t = 64,
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub(crate) max_upload: u32,

    #[arg(long, value_name = "N", default_value_t = 0)]
    pub(crate) max_heavy: usize,

    #[arg(long = "allow-host", value_name = "NAME")]
    pub(crate) allow_host: Vec<String>,
}
