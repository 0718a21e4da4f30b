//! `volact explain`.

use super::{Format, choice};

#[derive(Debug, clap::Args)]
pub(crate) struct ExplainArgs {
    #[arg(required = true, value_name = "INPUT", allow_negative_numbers = true)]
    pub(crate) inputs: Vec<String>,

    #[arg(long, short, value_parser = choice("format", Format::DOCUMENT),
          default_value = "text")]
    pub(crate) format: Format,
}
