//! `volact scan`.

use super::{Format, choice};

#[derive(Debug, clap::Args)]
pub(crate) struct ScanArgs {
    #[arg(value_name = "PATH|-")]
    pub(crate) inputs: Vec<String>,

    #[arg(long, short, value_parser = choice("format", Format::REPORT),
          default_value = "text")]
    pub(crate) format: Format,

    #[arg(long, short = 'g', value_name = "GLOB")]
    pub(crate) glob: Vec<String>,

    #[arg(long)]
    pub(crate) all_codes: bool,

    #[arg(long, short = 'a', visible_alias = "text")]
    pub(crate) binary: bool,

    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub(crate) max_matches: usize,

    #[arg(long, value_name = "N", default_value_t = 60)]
    pub(crate) context: usize,

    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub(crate) threads: usize,
}
