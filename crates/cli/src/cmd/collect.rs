//! `volact collect` (being built).

use crate::Ctx;
use crate::exit::{Exit, Failure};

/// Arguments of `volact collect`.
#[derive(Debug, clap::Args)]
pub(crate) struct CollectArgs {}

/// Arguments of `volact analyze`.
#[derive(Debug, clap::Args)]
pub(crate) struct AnalyzeArgs {
    /// The bundle.
    pub(crate) bundle: String,
}

/// Runs `volact collect`.
pub(crate) fn collect(_ctx: &Ctx, _args: CollectArgs) -> anyhow::Result<Exit> {
    Err(Failure(Exit::Usage, "volact collect is not built yet".into()).into())
}

/// Runs `volact analyze`.
pub(crate) fn analyze(_ctx: &Ctx, _args: AnalyzeArgs) -> anyhow::Result<Exit> {
    Err(Failure(Exit::Usage, "volact analyze is not built yet".into()).into())
}
