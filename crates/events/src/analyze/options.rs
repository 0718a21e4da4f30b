//! What the analyzer keeps: its limits, options and the reasons a record is skipped.

use serde::Serialize;
use volact_core::event::Timestamp;

/// Client events (12288/12289) kept for pairing; more are counted as skipped.
pub const MAX_CLIENT_EVENTS: usize = 200_000;
/// Distinct (client name, CMID) rows kept for the host view.
pub const MAX_CLIENTS: usize = 200_000;
/// Warnings kept (the rest are counted).
pub const MAX_WARNINGS: usize = 100;
/// Listed items (DNS failures, 8198 events, examples) kept per list.
pub const MAX_LISTED: usize = 1000;
/// Names kept per CMID.
pub const MAX_NAMES_PER_CMID: usize = 20;
/// More than this many seconds between client timestamp and event time fails with 0xC004F06C
/// (the one definition is [`volact_core::kms::CLOCK_LIMIT_SECS`]).
pub use volact_core::kms::CLOCK_LIMIT_SECS as MAX_SKEW_SECS;
/// The host counts distinct CMIDs from this many days; minimum counts client and server
/// operating systems need (defined once in [`volact_core::kms`]).
pub use volact_core::kms::{CLIENT_THRESHOLD, COUNT_WINDOW_DAYS, SERVER_THRESHOLD};
/// The count never exceeds this (twice the highest policy, 2 × 25).
pub const COUNT_CAP: u32 = 50;
/// Days kept in the per-day histogram of host requests (the newest ones; the requests of older
/// days are counted in `HostView::per_day_omitted`).
pub const MAX_DAYS: usize = 4000;
/// The code a KMS host returns when its count is too low (`SL_E_VL_NOT_ENOUGH_COUNT`).
pub const COUNT_TOO_LOW: u32 = 0xC004_F038;

/// What to keep.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Keep events logged at or after this time.
    pub since: Option<Timestamp>,
    /// Keep events logged at or before this time.
    pub until: Option<Timestamp>,
    /// "Now" for the host count (default: the newest host event).
    pub now: Option<Timestamp>,
    /// Keep only this client (name, short name or CMID; case-insensitive).
    pub client: Option<String>,
}

/// Why a record was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// Not an activation event (another provider or event ID).
    OtherEvent,
    /// No event ID could be found.
    NoEventId,
    /// An activation event whose data does not have the documented layout.
    BadData,
    /// A damaged record (evtx) that could not be parsed.
    CorruptRecord,
    /// Outside `--since` / `--until`.
    OutsideTimeRange,
    /// `--since` / `--until` given, but the event has no time.
    NoTime,
    /// Another client than `--client`.
    OtherClient,
    /// Over a memory limit (see the constants of this module).
    Limit,
}

impl SkipReason {
    /// All reasons, in report order.
    pub const ALL: [SkipReason; 8] = [
        SkipReason::OtherEvent,
        SkipReason::NoEventId,
        SkipReason::BadData,
        SkipReason::CorruptRecord,
        SkipReason::OutsideTimeRange,
        SkipReason::NoTime,
        SkipReason::OtherClient,
        SkipReason::Limit,
    ];

    /// Stable identifier.
    pub fn id(self) -> &'static str {
        match self {
            SkipReason::OtherEvent => "other_event",
            SkipReason::NoEventId => "no_event_id",
            SkipReason::BadData => "bad_data",
            SkipReason::CorruptRecord => "corrupt_record",
            SkipReason::OutsideTimeRange => "outside_time_range",
            SkipReason::NoTime => "no_time",
            SkipReason::OtherClient => "other_client",
            SkipReason::Limit => "limit",
        }
    }
}
