//! `volact collect` and `volact analyze`.

use std::path::PathBuf;

use super::{Format, choice};

#[derive(Debug, clap::Args)]
pub(crate) struct CollectArgs {
    #[arg(long, short, value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,

    #[arg(long, value_name = "DIR")]
    pub(crate) replay: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct AnalyzeArgs {
    #[arg(value_name = "BUNDLE")]
    pub(crate) bundle: PathBuf,

    #[arg(long, short, value_parser = choice("format", Format::REPORT),
          default_value = "text")]
    pub(crate) format: Format,
}
