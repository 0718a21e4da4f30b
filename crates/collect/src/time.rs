//! UTC timestamps for the manifest and file names, without a date-time dependency.

use std::time::{SystemTime, UNIX_EPOCH};

/// Formats a point in time as RFC 3339 UTC with seconds: `2026-11-24T14:05:09Z`. Times before
/// 1970 (a broken clock) are shown as the epoch. The calendar arithmetic is core's event
/// [`Timestamp`](volact_core::event::Timestamp), so there is one implementation of it.
pub(crate) fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let secs = i64::try_from(secs).unwrap_or(i64::MAX / 2);
    volact_core::event::Timestamp::from_unix(secs, true).to_string()
}

/// A compact UTC stamp for file names: `20261124-140509`.
pub fn file_stamp(t: SystemTime) -> String {
    rfc3339(t)
        .trim_end_matches('Z')
        .replace(['-', ':'], "")
        .replace('T', "-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn known_dates() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_709_251_199); // leap year, last second of Feb
        assert_eq!(rfc3339(t), "2024-02-29T23:59:59Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_795_961_109);
        assert_eq!(rfc3339(t), "2026-11-29T14:05:09Z");
        assert_eq!(file_stamp(t), "20261129-140509");
    }
}
