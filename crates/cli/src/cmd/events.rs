//! `volact events` (being built).

use crate::Ctx;
use crate::exit::{Exit, Failure};

/// Arguments of `volact events`.
#[derive(Debug, clap::Args)]
pub(crate) struct EventsArgs {
    /// Inputs.
    #[arg(value_name = "INPUT")]
    pub(crate) inputs: Vec<String>,
}

/// Runs `volact events`.
pub(crate) fn run(_ctx: &Ctx, _args: EventsArgs) -> anyhow::Result<Exit> {
    Err(Failure(Exit::Usage, "volact events is not built yet".into()).into())
}
