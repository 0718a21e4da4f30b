//! `volact doctor` (being built).

use crate::Ctx;
use crate::exit::{Exit, Failure};

/// Arguments of `volact doctor`.
#[derive(Debug, clap::Args)]
pub(crate) struct DoctorArgs {
    /// Inputs.
    #[arg(value_name = "INPUT")]
    pub(crate) inputs: Vec<String>,
}

/// Runs `volact doctor`.
pub(crate) fn run(_ctx: &Ctx, _args: DoctorArgs) -> anyhow::Result<Exit> {
    Err(Failure(Exit::Usage, "volact doctor is not built yet".into()).into())
}
