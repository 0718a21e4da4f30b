//! `volact key`.

use super::{Format, choice};

#[derive(Debug, clap::Subcommand)]
pub(crate) enum KeyCommand {
    Check(KeyCheckArgs),
}

#[derive(Debug, clap::Args)]
pub(crate) struct KeyCheckArgs {
    #[arg(value_name = "KEY")]
    pub(crate) key: Option<String>,

    #[arg(long, short, value_parser = choice("format", Format::SHORT),
          default_value = "text")]
    pub(crate) format: Format,
}
