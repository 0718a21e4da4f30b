//! `volact list` and `volact search`.

use super::{Format, choice};

#[derive(Debug, clap::Args)]
pub(crate) struct ListArgs {
    #[arg(long = "type", short = 't', value_name = "TYPE", value_parser = ["mak", "kms-client", "kms-host"])]
    pub(crate) ty: Option<String>,

    #[arg(long, short, value_parser = choice("format", Format::DOCUMENT),
          default_value = "text")]
    pub(crate) format: Format,
}

#[derive(Debug, clap::Args)]
pub(crate) struct SearchArgs {
    #[arg(required = true, value_name = "WORDS")]
    pub(crate) words: Vec<String>,

    #[arg(long, short, value_parser = choice("format", Format::DOCUMENT),
          default_value = "text")]
    pub(crate) format: Format,
}
