//! `volact events`.

use std::path::PathBuf;

use volact_core::event::Timestamp;

use super::{Format, choice};

#[derive(Debug, clap::Args)]
pub(crate) struct EventsArgs {
    #[arg(value_name = "FILE|DIR|-", required = true)]
    pub(crate) inputs: Vec<PathBuf>,

    #[arg(long, short, value_parser = choice("format", Format::REPORT),
          default_value = "text")]
    pub(crate) format: Format,

    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) since: Option<Timestamp>,

    #[arg(long, value_name = "TIME", value_parser = parse_until)]
    pub(crate) until: Option<Timestamp>,

    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub(crate) now: Option<Timestamp>,

    #[arg(long, value_name = "NAME|CMID")]
    pub(crate) client: Option<String>,

    #[arg(long, value_name = "FILE")]
    pub(crate) clients_csv: Option<PathBuf>,
}

fn parse_time(s: &str) -> Result<Timestamp, String> {
    Timestamp::parse(s).ok_or_else(|| {
        format!(
            "{s:?} is not a time (examples: 2026-11-24, 2026-11-24T14:00:00Z, 2026/11/24 14:00)"
        )
    })
}

/// A time; a date alone means the end of that day.
fn parse_until(s: &str) -> Result<Timestamp, String> {
    let t = parse_time(s)?;
    if s.contains(':') {
        Ok(t)
    } else {
        Ok(Timestamp::from_unix(t.unix() + 86_399, t.is_utc()))
    }
}
