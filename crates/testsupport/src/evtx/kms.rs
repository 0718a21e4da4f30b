//! Realistic KMS logs for tests and benchmarks: a host's "Key Management Service" log (12290)
//! with thousands of clients renewing over weeks, some cloned CMIDs and some skewed clocks, a
//! host Application log (12293/12294 among noise), and a client Application log (12288/12289).
//!
//! Every generator also returns (or yields) its own list of what it wrote, so a test can compute
//! the expected report independently of the code under test.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::EvtxEvent;

/// The Vista-era provider of KMS events (slsvc.exe), still printed in Microsoft's KMS articles.
pub const SLC: &str = "Microsoft-Windows-Security-Licensing-SLC";
/// The provider of KMS host and client events since Windows 7 (sppsvc.exe).
pub const SPP: &str = "Microsoft-Windows-Security-SPP";
/// The GUID of [`SPP`].
pub const SPP_GUID: &str = "{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}";
/// The event source of a host's 12290 records (`Provider/@EventSourceName`).
pub const KMS_SOURCE: &str = "KmsRequests";
/// The event source of Security-SPP events in the Application log.
pub const SPP_SOURCE: &str = "Software Protection Platform Service";
/// The host's KMS channel.
pub const KMS_CHANNEL: &str = "Key Management Service";

/// How the fields of a KMS event (12288, 12289, 12290) are laid out in its `<Data>` items.
///
/// What Windows writes is known only from indirect evidence (the event's message shows only
/// the first insertion string, which Event Viewer renders as the whole comma list; scripts read
/// the fields from the items after it): [`Layout::Joined`] is the best reading of it and the
/// default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// A first item holding every field joined (with `,` for 12290, `", "` for 12288 and
    /// 12289), then one item per field: a modern Windows (provider [`SPP`]).
    #[default]
    Joined,
    /// One item per field, nothing before them.
    Fields,
    /// The joined list alone, as Vista-era hosts may have logged it (provider [`SLC`]).
    InfoOnly,
    /// `0`, then one item per field (what this writer wrote before; no known Windows does).
    LeadingZero,
}

impl Layout {
    /// The `<Data>` items of `fields` in this layout, joined with `sep` where joined.
    pub fn items(self, fields: Vec<String>, sep: &str) -> Vec<String> {
        match self {
            Layout::Joined => std::iter::once(fields.join(sep)).chain(fields).collect(),
            Layout::Fields => fields,
            Layout::InfoOnly => vec![fields.join(sep)],
            Layout::LeadingZero => std::iter::once("0".to_owned()).chain(fields).collect(),
        }
    }

    /// The event of `provider` … in this layout, with the provider (and its GUID and event
    /// source) Windows of that era uses: [`SLC`] for [`Layout::InfoOnly`], else [`SPP`].
    #[allow(clippy::too_many_arguments)]
    pub fn event(
        self,
        source: &str,
        channel: &str,
        id: u16,
        time: i64,
        computer: &str,
        fields: Vec<String>,
        sep: &str,
    ) -> EvtxEvent {
        let items = self.items(fields, sep);
        match self {
            Layout::InfoOnly => EvtxEvent::new(SLC, channel, id, time, computer, items),
            _ => EvtxEvent::new(SPP, channel, id, time, computer, items)
                .with_source(SPP_GUID, source),
        }
    }

    /// Parses `joined`, `fields`, `info` or `zero`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "joined" => Layout::Joined,
            "fields" => Layout::Fields,
            "info" => Layout::InfoOnly,
            "zero" => Layout::LeadingZero,
            _ => return None,
        })
    }
}

/// Activation IDs used by the generator (client OS SKUs first, then server SKUs).
pub const SKUS: [&str; 4] = [
    "2de67392-b7a7-462a-b1ca-108dd189f588",
    "73111121-5638-40f6-bc11-f1d7b0d64300",
    "8c1c5410-9f39-4805-8c9d-63a07706358f",
    "ef6cfc9f-8c5d-44ac-9aad-de6a2ea0ae03",
];

/// A small deterministic PRNG (SplitMix64).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeded.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// One simulated KMS client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimClient {
    /// Name as the host logs it.
    pub name: String,
    /// CMID (shared by clones).
    pub cmid: String,
    /// 25 (client OS) or 5 (server OS).
    pub min_count: u32,
    /// Clock offset of the client, seconds (client minus true time).
    pub clock_offset: i64,
    /// Activation ID.
    pub sku: &'static str,
    /// VM flag.
    pub vm: bool,
}

/// One 12290 the generator wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Index into the client list.
    pub client: usize,
    /// Event time (UTC seconds).
    pub time: i64,
    /// Client timestamp as written (UTC seconds, minute precision).
    pub client_time: i64,
    /// HRESULT returned.
    pub code: u32,
}

/// Parameters of a host log.
#[derive(Debug, Clone)]
pub struct HostLogSpec {
    /// Distinct machines (before clones are added).
    pub clients: usize,
    /// Extra names sharing the CMID of an existing machine, spread over a few groups.
    pub clones: usize,
    /// Machines with a clock more than 4 hours off.
    pub skewed: usize,
    /// Share of server OS machines, in percent.
    pub servers_percent: u64,
    /// Days covered.
    pub days: i64,
    /// Time of the last possible event (UTC seconds).
    pub end: i64,
    /// Renewal interval of healthy clients, seconds (7 days by default on Windows).
    pub renewal: i64,
    /// PRNG seed.
    pub seed: u64,
    /// Stop after this many records (`None`: every request in the period).
    pub max_records: Option<u64>,
    /// How the 12290 fields are laid out (the default: as a modern host writes them).
    pub layout: Layout,
}

impl Default for HostLogSpec {
    fn default() -> Self {
        Self {
            clients: 2000,
            clones: 12,
            skewed: 9,
            servers_percent: 10,
            days: 60,
            end: 1_795_000_000, // 2026-11-18T11:06:40Z
            renewal: 7 * 86_400,
            seed: 7,
            max_records: None,
            layout: Layout::default(),
        }
    }
}

fn guid(r: &mut Rng) -> String {
    let a = r.next_u64();
    let b = r.next_u64();
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFFF,
        b >> 48,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// `yyyy/M/d H:mm` as the client timestamp is logged.
pub fn client_stamp(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let rem = unix.rem_euclid(86_400);
    // civil_from_days (Howard Hinnant), independent of volact-core.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y}/{m}/{d} {}:{:02}", rem / 3600, rem % 3600 / 60)
}

/// The simulated machines of `spec` (clones appended after the originals).
pub fn clients(spec: &HostLogSpec) -> Vec<SimClient> {
    let mut r = Rng::new(spec.seed);
    let mut out = Vec::with_capacity(spec.clients + spec.clones);
    for i in 0..spec.clients {
        let server = r.below(100) < spec.servers_percent;
        let step = (spec.clients / spec.skewed.max(1)).max(1);
        let skewed = spec.skewed > 0 && i % step == 3 % step && i / step < spec.skewed;
        let offset = if skewed {
            let h = 4 * 3600 + 600 + r.below(5 * 3600) as i64;
            if r.below(2) == 0 { h } else { -h }
        } else {
            r.below(600) as i64 - 300
        };
        out.push(SimClient {
            name: if server {
                format!("srv{i:05}.contoso.test")
            } else {
                format!("pc{i:05}.contoso.test")
            },
            cmid: guid(&mut r),
            min_count: if server { 5 } else { 25 },
            clock_offset: offset,
            sku: if server {
                SKUS[2 + (i % 2)]
            } else {
                SKUS[i % 2]
            },
            vm: r.below(3) == 0,
        });
    }
    // Clones: groups of 2-4 extra names with the CMID of an existing machine.
    let mut made = 0;
    let mut group = 0;
    while made < spec.clones && spec.clients > 0 {
        let src = (17 + group * 101) % spec.clients;
        let extra = (2 + group % 3).min(spec.clones - made);
        for k in 0..extra {
            let base = out[src].clone();
            out.push(SimClient {
                name: format!("clone{group}-{k}.contoso.test"),
                clock_offset: r.below(600) as i64 - 300,
                ..base
            });
            made += 1;
        }
        group += 1;
    }
    out
}

/// The 12290 events of the host log, in time order, with what was written.
pub struct HostLog {
    clients: Vec<SimClient>,
    /// Next renewal time per client, earliest first.
    next: BinaryHeap<Reverse<(i64, usize)>>,
    spec: HostLogSpec,
    rng: Rng,
    written: u64,
}

impl HostLog {
    /// A generator for `spec`.
    pub fn new(spec: HostLogSpec) -> Self {
        let clients = clients(&spec);
        let mut rng = Rng::new(spec.seed ^ 0xABCD);
        let start = spec.end - spec.days * 86_400;
        let next = (0..clients.len())
            .map(|i| Reverse((start + rng.below(spec.renewal as u64) as i64, i)))
            .collect();
        Self {
            clients,
            next,
            rng,
            written: 0,
            spec,
        }
    }

    /// The simulated machines.
    pub fn clients(&self) -> &[SimClient] {
        &self.clients
    }

    /// The event for one request of client `i` at `t`.
    pub fn event(&self, i: usize, w: &Written) -> EvtxEvent {
        let c = &self.clients[i];
        let state = if w.code == 0 { 1 } else { 2 };
        let expiry = if w.code == 0 { 259_200 } else { 43_200 };
        let fields = vec![
            format!("0x{:X}", w.code),
            c.min_count.to_string(),
            c.name.clone(),
            c.cmid.clone(),
            client_stamp(w.client_time),
            u8::from(c.vm).to_string(),
            state.to_string(),
            expiry.to_string(),
            c.sku.to_owned(),
        ];
        self.spec.layout.event(
            KMS_SOURCE,
            KMS_CHANNEL,
            12290,
            w.time,
            "kms01.contoso.test",
            fields,
            ",",
        )
    }
}

impl Iterator for HostLog {
    type Item = (EvtxEvent, Written);

    fn next(&mut self) -> Option<Self::Item> {
        if self.spec.max_records.is_some_and(|m| self.written >= m) {
            return None;
        }
        let Reverse((t, i)) = self.next.pop()?;
        if t > self.spec.end {
            return None;
        }
        let c = &self.clients[i];
        let skewed = c.clock_offset.abs() > 4 * 3600;
        let code = if skewed {
            0xC004_F06C
        } else if self.rng.below(200) == 0 {
            0xC004_F042
        } else {
            0
        };
        let client_time = (t + c.clock_offset).div_euclid(60) * 60;
        let w = Written {
            client: i,
            time: t,
            client_time,
            code,
        };
        // Healthy clients renew after the renewal interval; failing ones retry after 2 hours.
        let due =
            t + if code == 0 {
                self.spec.renewal
            } else {
                2 * 3600
            } + self.rng.below(3600) as i64;
        self.next.push(Reverse((due, i)));
        self.written += 1;
        let ev = self.event(i, &w);
        Some((ev, w))
    }
}

/// A host Application log: `failures` 12293 (with domain and code), `successes` 12294, and
/// `noise` events of other providers. Returns the events and the 12293 codes written.
pub fn host_application_log(
    failures: usize,
    successes: usize,
    noise: usize,
    t0: i64,
) -> (Vec<EvtxEvent>, Vec<(String, u32)>) {
    let mut out = Vec::new();
    let mut written = Vec::new();
    let codes = [0x8007_232B_u32, 0x8007_2338, 0x8007_0005];
    for i in 0..noise {
        out.push(EvtxEvent::new(
            "Service Control Manager",
            "Application",
            7036,
            t0 + i as i64,
            "kms01.contoso.test",
            vec!["sppsvc".into(), "running".into()],
        ));
    }
    for i in 0..failures {
        let domain = format!("site{}.contoso.test", i % 3);
        let code = codes[i % codes.len()];
        let mut e = EvtxEvent::new(
            SLC,
            "Application",
            12293,
            t0 + 10_000 + i as i64 * 86_400,
            "kms01.contoso.test",
            vec![format!("0x{code:08X}"), domain.clone()],
        );
        e.level = 3;
        out.push(e);
        written.push((domain, code));
    }
    for i in 0..successes {
        out.push(EvtxEvent::new(
            SLC,
            "Application",
            12294,
            t0 + 20_000 + i as i64 * 86_400,
            "kms01.contoso.test",
            vec!["contoso.test".into()],
        ));
    }
    (out, written)
}

/// One client attempt: the 12288 code, and the 12289 (code, activated, current count) if answered.
pub type Attempt = (u32, Option<(u32, bool, u32)>);

/// A client Application log of one machine: `(code_12288, Some((code_12289, activated, count)))`
/// per attempt, one hour apart; `None` writes a 12288 without answer. The events are laid out
/// as a modern Windows writes them ([`Layout::Joined`], the lists joined with `", "`).
pub fn client_application_log(
    computer: &str,
    kms: &str,
    attempts: &[Attempt],
    t0: i64,
) -> Vec<EvtxEvent> {
    client_application_log_with(Layout::default(), computer, kms, attempts, t0)
}

/// [`client_application_log`] in `layout`.
pub fn client_application_log_with(
    layout: Layout,
    computer: &str,
    kms: &str,
    attempts: &[Attempt],
    t0: i64,
) -> Vec<EvtxEvent> {
    let cmid = "5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11";
    let mut out = Vec::new();
    for (i, (req, resp)) in attempts.iter().enumerate() {
        let t = t0 + i as i64 * 3600;
        out.push(client_request(layout, computer, t, *req, kms, cmid));
        if let Some((code, activated, count)) = resp {
            out.push(client_response(
                layout, computer, t, *code, *activated, *count,
            ));
        }
    }
    out
}

/// One 12288 (the client's request to `kms`, logged at `t`) in `layout`.
pub fn client_request(
    layout: Layout,
    computer: &str,
    t: i64,
    code: u32,
    kms: &str,
    cmid: &str,
) -> EvtxEvent {
    let fields = vec![
        format!("0x{code:X}"),
        "0x0".to_owned(),
        kms.to_owned(),
        cmid.to_owned(),
        client_stamp(t),
        "0".to_owned(),
        "2".to_owned(),
        "43200".to_owned(),
        SKUS[0].to_owned(),
        "25".to_owned(),
    ];
    layout.event(SPP_SOURCE, "Application", 12288, t, computer, fields, ", ")
}

/// One 12289 (the KMS host's answer, logged one second after `t`) in `layout`.
pub fn client_response(
    layout: Layout,
    computer: &str,
    t: i64,
    code: u32,
    activated: bool,
    count: u32,
) -> EvtxEvent {
    let fields = vec![
        format!("0x{code:X}"),
        "0x0".to_owned(),
        u8::from(activated).to_string(),
        "0".to_owned(),
        count.to_string(),
        "120".to_owned(),
        "10080".to_owned(),
        client_stamp(t),
    ];
    layout.event(
        SPP_SOURCE,
        "Application",
        12289,
        t + 1,
        computer,
        fields,
        ", ",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps() {
        assert_eq!(client_stamp(0), "1970/1/1 0:00");
        assert_eq!(client_stamp(1_795_000_000), "2026/11/18 11:06");
    }

    #[test]
    fn clients_have_clones_and_skew() {
        let spec = HostLogSpec::default();
        let c = clients(&spec);
        assert_eq!(c.len(), spec.clients + spec.clones);
        let skewed = c.iter().filter(|c| c.clock_offset.abs() > 4 * 3600).count();
        assert_eq!(skewed, spec.skewed);
        let mut cmids: Vec<&str> = c.iter().map(|c| c.cmid.as_str()).collect();
        cmids.sort_unstable();
        cmids.dedup();
        assert!(cmids.len() < c.len());
    }
}
