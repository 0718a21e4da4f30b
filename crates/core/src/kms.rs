//! The facts of KMS activation that every part of volact relies on, defined once: the port, the
//! activation thresholds, the counting window, the clock limit, the license states and the stages
//! of the walk a KMS client makes. Sources: ACTIVATION-FACTS §3 (thresholds, window, clock) and the
//! `SoftwareLicensingProduct.LicenseStatus` values.

use serde::{Serialize, Serializer};

use crate::lang::Lang;

/// The TCP port a KMS host listens on unless configured otherwise.
pub const PORT: u16 = 1688;

/// The DNS name prefix of the SRV record that publishes KMS hosts (`_vlmcs._tcp.<domain>`).
pub const SRV_PREFIX: &str = "_vlmcs._tcp";

/// Distinct client-OS machines a KMS host must have counted before it activates client OSes.
pub const CLIENT_THRESHOLD: u32 = 25;

/// Distinct machines a KMS host must have counted before it activates server OSes (and Office).
pub const SERVER_THRESHOLD: u32 = 5;

/// How long a KMS host keeps a client in its count, in days.
pub const COUNT_WINDOW_DAYS: i64 = 30;

/// [`COUNT_WINDOW_DAYS`] in seconds.
pub const COUNT_WINDOW_SECS: i64 = COUNT_WINDOW_DAYS * 24 * 3600;

/// The largest clock difference between client and host that KMS accepts, in seconds (4 hours).
pub const CLOCK_LIMIT_SECS: i64 = 4 * 3600;

/// A stage of the walk a KMS client makes, in order; also the checks `volact doctor` runs to
/// confirm or rule out a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Name resolution: the SRV lookup of `_vlmcs._tcp.<domain>`, or a host name's addresses.
    Dns,
    /// The TCP connection to the KMS port ([`PORT`] unless given).
    Tcp,
    /// The DCE/RPC bind to the KMS interface.
    Rpc,
    /// The clock offset against a time source (more than [`CLOCK_LIMIT_SECS`] fails KMS).
    Clock,
}

impl Stage {
    /// Every stage, in the order a client meets them.
    pub const ALL: [Stage; 4] = [Stage::Dns, Stage::Tcp, Stage::Rpc, Stage::Clock];

    /// The stable identifier: `dns`, `tcp`, `rpc`, `clock`.
    pub const fn id(self) -> &'static str {
        match self {
            Stage::Dns => "dns",
            Stage::Tcp => "tcp",
            Stage::Rpc => "rpc",
            Stage::Clock => "clock",
        }
    }
}

/// License state 0-6 as in 12288/12290 and `SoftwareLicensingProduct.LicenseStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LicenseState {
    /// 0.
    Unlicensed,
    /// 1.
    Licensed,
    /// 2: initial (out-of-box) grace.
    OobGrace,
    /// 3: out-of-tolerance grace (KMS license expired or hardware changed).
    OotGrace,
    /// 4: non-genuine grace.
    NonGenuineGrace,
    /// 5: notification.
    Notification,
    /// 6: extended grace.
    ExtendedGrace,
    /// Any other number.
    Other(u32),
}

impl LicenseState {
    /// From the logged number.
    pub fn from_number(n: u32) -> Self {
        match n {
            0 => Self::Unlicensed,
            1 => Self::Licensed,
            2 => Self::OobGrace,
            3 => Self::OotGrace,
            4 => Self::NonGenuineGrace,
            5 => Self::Notification,
            6 => Self::ExtendedGrace,
            n => Self::Other(n),
        }
    }

    /// The logged number.
    pub fn number(self) -> u32 {
        match self {
            Self::Unlicensed => 0,
            Self::Licensed => 1,
            Self::OobGrace => 2,
            Self::OotGrace => 3,
            Self::NonGenuineGrace => 4,
            Self::Notification => 5,
            Self::ExtendedGrace => 6,
            Self::Other(n) => n,
        }
    }

    /// A stable identifier: `unlicensed`, `licensed`, `oob_grace`, …; `other` for unknown numbers.
    pub fn id(self) -> &'static str {
        match self {
            Self::Unlicensed => "unlicensed",
            Self::Licensed => "licensed",
            Self::OobGrace => "oob_grace",
            Self::OotGrace => "oot_grace",
            Self::NonGenuineGrace => "non_genuine_grace",
            Self::Notification => "notification",
            Self::ExtendedGrace => "extended_grace",
            Self::Other(_) => "other",
        }
    }

    /// A label in `lang`.
    pub fn label(self, lang: Lang) -> String {
        self.label_cow(lang).into_owned()
    }

    /// Like [`LicenseState::label`], borrowed when the label is fixed text.
    pub fn label_cow(self, lang: Lang) -> std::borrow::Cow<'static, str> {
        let s = match (self, lang) {
            (Self::Unlicensed, Lang::En) => "unlicensed",
            (Self::Licensed, Lang::En) => "licensed",
            (Self::OobGrace, Lang::En) => "initial grace period",
            (Self::OotGrace, Lang::En) => {
                "additional grace (KMS license expired or hardware changed)"
            }
            (Self::NonGenuineGrace, Lang::En) => "non-genuine grace period",
            (Self::Notification, Lang::En) => "notification",
            (Self::ExtendedGrace, Lang::En) => "extended grace period",
            (Self::Unlicensed, Lang::ZhTw) => "未授權",
            (Self::Licensed, Lang::ZhTw) => "已授權",
            (Self::OobGrace, Lang::ZhTw) => "初始寬限期",
            (Self::OotGrace, Lang::ZhTw) => "額外寬限期（KMS 授權到期或硬體變更）",
            (Self::NonGenuineGrace, Lang::ZhTw) => "非正版寬限期",
            (Self::Notification, Lang::ZhTw) => "通知狀態",
            (Self::ExtendedGrace, Lang::ZhTw) => "延長寬限期",
            (Self::Other(n), Lang::En) => return format!("unknown state {n}").into(),
            (Self::Other(n), Lang::ZhTw) => return format!("未知狀態 {n}").into(),
        };
        s.into()
    }
}

impl Serialize for LicenseState {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("LicenseState", 2)?;
        st.serialize_field("value", &self.number())?;
        st.serialize_field("name", self.id())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts() {
        assert_eq!(PORT, 1688);
        assert_eq!((CLIENT_THRESHOLD, SERVER_THRESHOLD), (25, 5));
        assert_eq!(COUNT_WINDOW_SECS, 2_592_000);
        assert_eq!(CLOCK_LIMIT_SECS, 14_400);
    }

    #[test]
    fn states_round_trip() {
        for n in 0..8 {
            assert_eq!(LicenseState::from_number(n).number(), n);
        }
        assert_eq!(LicenseState::from_number(3).id(), "oot_grace");
    }

    #[test]
    fn stage_ids() {
        let ids: Vec<_> = Stage::ALL.iter().map(|s| s.id()).collect();
        assert_eq!(ids, ["dns", "tcp", "rpc", "clock"]);
    }
}
