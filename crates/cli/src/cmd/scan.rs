//! `volact scan` (being built).

use crate::Ctx;
use crate::exit::{Exit, Failure};

/// Arguments of `volact scan`.
#[derive(Debug, clap::Args)]
pub(crate) struct ScanArgs {
    /// Inputs.
    #[arg(value_name = "INPUT")]
    pub(crate) inputs: Vec<String>,
}

/// Runs `volact scan`.
pub(crate) fn run(_ctx: &Ctx, _args: ScanArgs) -> anyhow::Result<Exit> {
    Err(Failure(Exit::Usage, "volact scan is not built yet".into()).into())
}
