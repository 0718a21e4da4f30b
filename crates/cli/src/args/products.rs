//! `volact products`.

use super::{Format, choice};

#[derive(Debug, clap::Args)]
pub(crate) struct ProductsArgs {
    #[arg(value_name = "QUERY")]
    pub(crate) query: Vec<String>,

    #[arg(long)]
    pub(crate) gvlk: bool,

    #[arg(long, value_name = "FAMILY", value_parser = ["windows", "server", "office"])]
    pub(crate) family: Option<String>,

    #[arg(long, short, value_parser = choice("format", Format::REPORT),
          default_value = "text")]
    pub(crate) format: Format,
}
