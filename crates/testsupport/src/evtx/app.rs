//! A client's Application log as a busy Windows machine keeps it: KMS client events (12288,
//! 12289) and activation failures (8198) among other Security-SPP events and the events of many
//! other providers (installers, crashes, services, profiles, databases, security products),
//! classic events with unnamed `<Data>` and manifest events with named ones.
//!
//! The generator counts what it wrote ([`AppWritten`]), so a test can check a report against it.

use super::EvtxEvent;
use super::kms::{Layout, Rng, SPP, SPP_GUID, SPP_SOURCE, client_request, client_response};

/// Parameters of an Application log.
#[derive(Debug, Clone)]
pub struct AppLogSpec {
    /// Records to write.
    pub records: u64,
    /// Share of KMS client records (12288, 12289, 8198), in per mille.
    pub kms_per_mille: u64,
    /// Time of the first record (UTC seconds).
    pub start: i64,
    /// The machine's name.
    pub computer: String,
    /// The KMS host the client asks (`host:port`).
    pub kms: String,
    /// How the 12288/12289 fields are laid out.
    pub layout: Layout,
    /// PRNG seed.
    pub seed: u64,
}

impl Default for AppLogSpec {
    fn default() -> Self {
        Self {
            records: 200_000,
            kms_per_mille: 60,
            start: 1_790_000_000,
            computer: "pc0042.contoso.test".to_owned(),
            kms: "kms01.contoso.test:1688".to_owned(),
            layout: Layout::default(),
            seed: 11,
        }
    }
}

/// What an [`AppLog`] wrote so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AppWritten {
    /// 12288 requests.
    pub requests: u64,
    /// 12288 requests that failed (0xC004F074).
    pub failed_requests: u64,
    /// 12289 answers.
    pub responses: u64,
    /// 8198 activation failures (all 0xC004F074).
    pub slui: u64,
    /// Other Security-SPP events (16384, 16394).
    pub spp_other: u64,
    /// Events of other providers.
    pub noise: u64,
}

/// The records of an Application log, in time order.
pub struct AppLog {
    spec: AppLogSpec,
    rng: Rng,
    t: i64,
    written: AppWritten,
    /// A 12289 due after the last 12288.
    answer: Option<i64>,
}

/// The CMID of the simulated machine.
const CMID: &str = "0e6c1b1a-52f4-4c38-9a35-6f2d1c7b9e40";

impl AppLog {
    /// A generator for `spec`.
    pub fn new(spec: AppLogSpec) -> Self {
        Self {
            rng: Rng::new(spec.seed),
            t: spec.start,
            written: AppWritten::default(),
            answer: None,
            spec,
        }
    }

    /// What was written so far.
    pub fn written(&self) -> AppWritten {
        self.written
    }

    fn kms_event(&mut self) -> EvtxEvent {
        let (c, t, l) = (self.spec.computer.clone(), self.t, self.spec.layout);
        if let Some(at) = self.answer.take() {
            self.written.responses += 1;
            let count = 25 + self.rng.below(20) as u32;
            return client_response(l, &c, at, 0, true, count);
        }
        if self.rng.below(4) == 0 {
            self.written.slui += 1;
            let mut e = EvtxEvent::new(
                SPP,
                "Application",
                8198,
                t,
                &c,
                vec![
                    "hr=0xC004F074".to_owned(),
                    "RuleId=eeba1977-569e-4571-b639-7623d8bfecc0;Action=AutoActivate;\
                     AppId=55c92734-d682-4d71-983e-d6ec3f16059f;\
                     SkuId=2de67392-b7a7-462a-b1ca-108dd189f588;\
                     NotificationInterval=1440;Trigger=TimerEvent"
                        .to_owned(),
                ],
            )
            .with_source(SPP_GUID, SPP_SOURCE);
            e.qualifiers = 49152;
            e.level = 2;
            return e;
        }
        self.written.requests += 1;
        let code = if self.rng.below(5) == 0 {
            self.written.failed_requests += 1;
            0xC004_F074
        } else {
            self.answer = Some(t);
            0
        };
        client_request(l, &c, t, code, &self.spec.kms, CMID)
    }

    fn spp_other(&mut self) -> EvtxEvent {
        self.written.spp_other += 1;
        let (c, t) = (self.spec.computer.clone(), self.t);
        let e = if self.rng.below(2) == 0 {
            EvtxEvent::new(
                SPP,
                "Application",
                16384,
                t,
                &c,
                vec![
                    crate::evtx::kms::client_stamp(t + 86_400),
                    "RulesEngine".to_owned(),
                ],
            )
        } else {
            EvtxEvent::new(SPP, "Application", 16394, t, &c, Vec::new())
        };
        e.with_source(SPP_GUID, SPP_SOURCE)
    }

    fn noise(&mut self) -> EvtxEvent {
        self.written.noise += 1;
        let r = self.rng.next_u64();
        noise_event(r, self.t, &self.spec.computer)
    }
}

/// One event of another provider, chosen and filled from the random bits `r`.
fn noise_event(r: u64, t: i64, c: &str) -> EvtxEvent {
    let app = [
        "chrome.exe",
        "OUTLOOK.EXE",
        "Teams.exe",
        "explorer.exe",
        "msedge.exe",
    ];
    let a = app[(r >> 8) as usize % app.len()];
    let n = (r >> 16) as u32;
    let ev = |p: &str, id: u16, data: Vec<String>| EvtxEvent::new(p, "Application", id, t, c, data);
    match r % 12 {
        0 => ev(
            "MsiInstaller",
            1033,
            vec![
                format!("Contoso Agent {}.{}", n % 9, n % 97),
                format!("{}.{}.{}", n % 9, n % 97, n % 4000),
                "1033".into(),
                "0".into(),
                "Contoso Ltd.".into(),
                "(NULL)".into(),
            ],
        ),
        1 => ev(
            "MsiInstaller",
            11707,
            vec![format!("Product: Contoso Agent {} -- Installation completed successfully.", n % 9)],
        ),
        2 => {
            let mut e = ev(
                "Application Error",
                1000,
                vec![
                    a.into(),
                    format!("1{}.0.{}.{}", n % 30, n % 6000, n % 200),
                    format!("{:08x}", n),
                    "ntdll.dll".into(),
                    "10.0.19041.3636".into(),
                    "a9b1c2d3".into(),
                    "c0000005".into(),
                    format!("{:016x}", u64::from(n) * 16),
                    format!("{:x}", n % 40_000),
                    format!("{:016x}", r),
                    format!("C:\\Program Files\\Contoso\\{a}"),
                    "C:\\Windows\\SYSTEM32\\ntdll.dll".into(),
                    guid_of(r),
                    String::new(),
                    String::new(),
                ],
            );
            e.level = 2;
            e
        }
        3 => ev(
            "Windows Error Reporting",
            1001,
            vec![
                format!("{}", r % 2_000_000_000),
                "5".into(),
                "APPCRASH".into(),
                "Not available".into(),
                "0".into(),
                a.into(),
                "c0000005".into(),
                "\\\\?\\C:\\ProgramData\\Microsoft\\Windows\\WER\\Temp\\WER1A2B.tmp.WERInternalMetadata.xml".into(),
                format!("\\\\?\\C:\\ProgramData\\Microsoft\\Windows\\WER\\ReportArchive\\AppCrash_{a}"),
                "0".into(),
                guid_of(r),
                "0".into(),
            ],
        ),
        4 => ev("Microsoft-Windows-RestartManager", 10000, Vec::new()).with_named_data(&[
            ("RmSessionId", (n % 8).to_string()),
            ("UTCStartTime", format!("2026-11-{:02}T{:02}:{:02}:00.0000000Z", 1 + n % 28, n % 24, n % 60)),
        ]),
        5 => ev("Microsoft-Windows-RestartManager", 10001, Vec::new()).with_named_data(&[
            ("RmSessionId", (n % 8).to_string()),
            ("UTCStartTime", format!("2026-11-{:02}T{:02}:{:02}:00.0000000Z", 1 + n % 28, n % 24, n % 60)),
        ]),
        6 => ev(
            "ESENT",
            326,
            vec![
                "svchost".into(),
                format!("{},D,50", n % 9000),
                String::new(),
                "C:\\ProgramData\\Microsoft\\Network\\Downloader\\qmgr.db".into(),
                "0".into(),
            ],
        ),
        7 => ev("Microsoft-Windows-User Profiles Service", 1531, Vec::new()),
        8 => ev(
            "SecurityCenter",
            15,
            vec!["Windows Defender".into(), "SECURITY_PRODUCT_STATE_ON".into()],
        ),
        9 => ev(
            ".NET Runtime",
            1026,
            vec![format!(
                "Application: {a}\nFramework Version: v4.0.30319\nDescription: The process was \
                 terminated due to an unhandled exception.\nException Info: \
                 System.IO.IOException\n   at Contoso.Sync.Run()\n"
            )],
        ),
        10 => ev("Microsoft-Windows-Winlogon", 6003, Vec::new())
            .with_named_data(&[("SubscriberName", "SessionEnv".into())]),
        _ => ev("edgeupdate", 0, vec!["Service stopped".into()]),
    }
}

fn guid_of(r: u64) -> String {
    let s = r.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        r >> 32,
        (r >> 16) & 0xFFFF,
        r & 0xFFFF,
        s >> 48,
        s & 0xFFFF_FFFF_FFFF
    )
}

impl Iterator for AppLog {
    type Item = EvtxEvent;

    fn next(&mut self) -> Option<EvtxEvent> {
        let w = self.written;
        let done = w.requests + w.responses + w.slui + w.spp_other + w.noise;
        if done >= self.spec.records {
            return None;
        }
        self.t += 1 + self.rng.below(90) as i64;
        let roll = self.rng.below(1000);
        Some(if self.answer.is_some() || roll < self.spec.kms_per_mille {
            self.kms_event()
        } else if roll < self.spec.kms_per_mille + 10 {
            self.spp_other()
        } else {
            self.noise()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_and_every_kind_appears() {
        let spec = AppLogSpec {
            records: 5000,
            ..AppLogSpec::default()
        };
        let mut log = AppLog::new(spec);
        let events: Vec<EvtxEvent> = log.by_ref().collect();
        let w = log.written();
        assert_eq!(events.len(), 5000);
        assert_eq!(
            w.requests + w.responses + w.slui + w.spp_other + w.noise,
            5000
        );
        assert!(w.requests > 100 && w.responses > 50 && w.slui > 20 && w.spp_other > 10);
        // Every successful request is answered, but perhaps the very last one.
        assert!(w.requests - w.failed_requests - w.responses <= 1);
        let providers: std::collections::BTreeSet<&str> =
            events.iter().map(|e| e.provider.as_str()).collect();
        assert!(providers.len() >= 10, "{providers:?}");
        assert!(events.iter().any(|e| !e.data_names.is_empty()));
    }
}
