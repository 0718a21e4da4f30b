//! DNS peers: the authoritative server with SRV zones, hand-rolled servers that fail, flood or stay silent.

use super::*;

/// One authoritative zone.
#[derive(Clone, Debug)]
pub struct Zone {
    origin: String,
    records: Vec<(String, RData)>,
}

impl Zone {
    /// A zone for `origin` (for example `contoso.test`), with its SOA.
    pub fn new(origin: &str) -> Self {
        Self {
            origin: origin.trim_end_matches('.').to_owned(),
            records: vec![],
        }
    }

    fn fqdn(&self, name: &str) -> String {
        let name = name.trim_end_matches('.');
        if name == "@" {
            format!("{}.", self.origin)
        } else if name.ends_with(&self.origin) {
            format!("{name}.")
        } else {
            format!("{name}.{}.", self.origin)
        }
    }

    /// Adds `_vlmcs._tcp.<origin>` SRV `priority weight port target`.
    pub fn kms_srv(self, priority: u16, weight: u16, port: u16, target: &str) -> Self {
        let name = format!("_vlmcs._tcp.{}", self.origin);
        self.srv(&name, priority, weight, port, target)
    }

    /// Adds a SRV record.
    pub fn srv(mut self, name: &str, priority: u16, weight: u16, port: u16, target: &str) -> Self {
        let target = Name::from_str(&self.fqdn(target)).expect("target name");
        let n = self.fqdn(name);
        self.records
            .push((n, RData::SRV(SRV::new(priority, weight, port, target))));
        self
    }

    /// Adds `_vlmcs._tcp.<origin>` SRV `priority weight port` whose target's first label is
    /// `label` as raw bytes (any bytes, as a hostile server may send), under the zone's origin.
    pub fn kms_srv_raw_label(
        mut self,
        priority: u16,
        weight: u16,
        port: u16,
        label: &[u8],
    ) -> Self {
        let mut labels: Vec<Vec<u8>> = vec![label.to_vec()];
        labels.extend(self.origin.split('.').map(|l| l.as_bytes().to_vec()));
        let mut target = Name::from_labels(labels).expect("target labels");
        target.set_fqdn(true);
        let n = self.fqdn(&format!("_vlmcs._tcp.{}", self.origin));
        self.records
            .push((n, RData::SRV(SRV::new(priority, weight, port, target))));
        self
    }

    /// Adds `_vlmcs._tcp.<origin>` SRV `0 0 0 .`: RFC 2782's "service decidedly not available
    /// at this domain".
    pub fn kms_srv_no_service(mut self) -> Self {
        let n = self.fqdn(&format!("_vlmcs._tcp.{}", self.origin));
        self.records
            .push((n, RData::SRV(SRV::new(0, 0, 0, Name::root()))));
        self
    }

    /// Adds an A record.
    pub fn a(mut self, name: &str, ip: Ipv4Addr) -> Self {
        let n = self.fqdn(name);
        self.records.push((n, RData::A(A(ip))));
        self
    }

    /// Adds an AAAA record.
    pub fn aaaa(mut self, name: &str, ip: std::net::Ipv6Addr) -> Self {
        let n = self.fqdn(name);
        self.records.push((n, RData::AAAA(AAAA(ip))));
        self
    }

    /// Adds a TXT record (makes a name exist without SRV data: NODATA).
    pub fn txt(mut self, name: &str, text: &str) -> Self {
        let n = self.fqdn(name);
        self.records
            .push((n, RData::TXT(TXT::new(vec![text.to_owned()]))));
        self
    }

    fn handler(&self) -> InMemoryZoneHandler<TokioRuntimeProvider> {
        let origin = Name::from_str(&format!("{}.", self.origin)).expect("zone origin");
        let mut h = InMemoryZoneHandler::<TokioRuntimeProvider>::empty(
            origin.clone(),
            ZoneType::Primary,
            AxfrPolicy::Deny,
        );
        let soa = SOA::new(
            Name::from_str(&format!("ns.{}.", self.origin)).expect("ns"),
            Name::from_str(&format!("hostmaster.{}.", self.origin)).expect("rname"),
            1,
            3600,
            600,
            86400,
            60,
        );
        h.upsert_mut(Record::from_rdata(origin, 60, RData::SOA(soa)), 1);
        for (name, data) in &self.records {
            let n = Name::from_str(name).expect("record name");
            h.upsert_mut(Record::from_rdata(n, 60, data.clone()), 1);
        }
        h
    }
}

/// An authoritative DNS server (hickory-server) on 127.0.0.1, UDP and TCP on the same port.
pub struct DnsPeer {
    /// Where it listens.
    pub addr: SocketAddr,
    _runner: Runner,
}

impl DnsPeer {
    /// Serves the zones. Names outside them are refused; names inside that do not exist get
    /// NXDOMAIN; names with other types only get NODATA.
    pub fn start(zones: &[Zone]) -> io::Result<DnsPeer> {
        let (udp, tcp) = bind_udp_tcp_pair()?;
        let addr = udp.local_addr()?;
        let zones = zones.to_vec();
        let runner = Runner::spawn(move |stop| async move {
            let mut catalog = Catalog::new();
            for z in &zones {
                let origin = Name::from_str(&format!("{}.", z.origin)).expect("origin");
                catalog.upsert(LowerName::new(&origin), vec![Arc::new(z.handler())]);
            }
            let mut server = Server::new(catalog);
            let udp = tokio::net::UdpSocket::from_std(udp).expect("udp");
            let tcp = tokio::net::TcpListener::from_std(tcp).expect("tcp");
            server.register_socket(udp);
            server.register_listener(tcp, Duration::from_secs(5), 4096);
            stopped(stop).await;
            let _ = server.shutdown_gracefully().await;
        })?;
        Ok(DnsPeer {
            addr,
            _runner: runner,
        })
    }
}

fn bind_udp_tcp_pair() -> io::Result<(StdUdpSocket, StdTcpListener)> {
    for _ in 0..50 {
        let udp = StdUdpSocket::bind((LOOPBACK, 0))?;
        let port = udp.local_addr()?.port();
        if let Ok(tcp) = StdTcpListener::bind((LOOPBACK, port)) {
            udp.set_nonblocking(true)?;
            tcp.set_nonblocking(true)?;
            return Ok((udp, tcp));
        }
    }
    Err(io::Error::other("no free port for both UDP and TCP"))
}

/// How a [`RawDnsPeer`] answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RawDns {
    /// Echo the query with RCODE 2 (SERVFAIL).
    ServFail,
    /// Read queries and never answer.
    Silent,
}

/// A hand-rolled UDP DNS peer that fails on purpose.
pub struct RawDnsPeer {
    /// Where it listens (UDP).
    pub addr: SocketAddr,
    /// Queries received.
    pub queries: Arc<AtomicUsize>,
    _runner: Runner,
}

impl RawDnsPeer {
    /// Starts it.
    pub fn start(mode: RawDns) -> io::Result<RawDnsPeer> {
        let queries = Arc::new(AtomicUsize::new(0));
        let q = queries.clone();
        let (addr, runner) = udp_peer(1500, move |query| {
            q.fetch_add(1, Ordering::SeqCst);
            if mode == RawDns::ServFail && query.len() >= 12 {
                let mut r = query.to_vec();
                r[2] |= 0x80; // QR
                r[3] = (r[3] & 0xF0) | 2; // RCODE SERVFAIL
                return Some(r);
            }
            None
        })?;
        Ok(RawDnsPeer {
            addr,
            queries,
            _runner: runner,
        })
    }
}

/// A hand-rolled DNS server (UDP and TCP on one port) for one domain, whose
/// `_vlmcs._tcp.<domain>` SRV answer lists `count` targets `h<i>.<domain>`, all on `port`, with
/// names compressed as real servers write them (hickory-server stops compressing after 120
/// names, so it cannot fit thousands of records into one message). Over UDP the SRV answer is
/// truncated (TC), so the resolver asks again over TCP. Every target resolves to 127.0.0.1 (A;
/// AAAA has no data); other names get NXDOMAIN. Counts the queries by type.
pub struct SrvFloodPeer {
    /// Where it listens (UDP and TCP).
    pub addr: SocketAddr,
    /// SRV queries received.
    pub srv_queries: Arc<AtomicUsize>,
    /// A and AAAA queries received.
    pub address_queries: Arc<AtomicUsize>,
    _runner: Runner,
}

struct Flood {
    domain: String,
    count: usize,
    port: u16,
    srv: Arc<AtomicUsize>,
    addr: Arc<AtomicUsize>,
}

impl Flood {
    /// The answer to one query message, or `None` for something that is not a query.
    fn answer(&self, q: &[u8], tcp: bool) -> Option<Vec<u8>> {
        if q.len() < 12 || q[2] & 0x80 != 0 {
            return None;
        }
        let mut i = 12;
        let mut labels: Vec<String> = Vec::new();
        loop {
            let len = usize::from(*q.get(i)?);
            i += 1;
            if len == 0 {
                break;
            }
            if len > 63 {
                return None;
            }
            labels.push(String::from_utf8_lossy(q.get(i..i + len)?).to_ascii_lowercase());
            i += len;
        }
        let qtype = u16::from_be_bytes([*q.get(i)?, *q.get(i + 1)?]);
        let question = &q[12..i + 4];
        let name = labels.join(".");
        let mut r = Vec::with_capacity(64);
        r.extend_from_slice(&q[..2]);
        r.push(0x84 | (q[2] & 0x01)); // QR, AA, RD as asked
        r.push(0x00);
        r.extend_from_slice(&[0, 1, 0, 0, 0, 0, 0, 0]);
        r.extend_from_slice(question);
        let srv_name = format!("_vlmcs._tcp.{}", self.domain);
        // Offset of the domain inside the question name, for compression pointers.
        let domain_at = 12 + 1 + 6 + 1 + 4;
        let set_answers = |r: &mut Vec<u8>, n: usize| {
            r[6..8].copy_from_slice(&(n as u16).to_be_bytes());
        };
        if name == srv_name && qtype == 33 {
            self.srv.fetch_add(1, Ordering::SeqCst);
            if !tcp {
                r[2] |= 0x02; // TC: ask again over TCP
                return Some(r);
            }
            for k in 0..self.count {
                let label = format!("h{k}");
                r.extend_from_slice(&[0xC0, 12]); // owner: the question name
                r.extend_from_slice(&33u16.to_be_bytes());
                r.extend_from_slice(&1u16.to_be_bytes());
                r.extend_from_slice(&60u32.to_be_bytes());
                let rdlen = 6 + 1 + label.len() + 2;
                r.extend_from_slice(&(rdlen as u16).to_be_bytes());
                r.extend_from_slice(&[0, 0, 0, 0]);
                r.extend_from_slice(&self.port.to_be_bytes());
                r.push(label.len() as u8);
                r.extend_from_slice(label.as_bytes());
                r.extend_from_slice(&(0xC000u16 | domain_at as u16).to_be_bytes());
            }
            set_answers(&mut r, self.count);
            return Some(r);
        }
        let host = labels.first().and_then(|l| l.strip_prefix('h'));
        let ours = labels.len() > 1
            && labels[1..].join(".") == self.domain
            && host
                .and_then(|n| n.parse::<usize>().ok())
                .is_some_and(|n| n < self.count);
        if ours && (qtype == 1 || qtype == 28) {
            self.addr.fetch_add(1, Ordering::SeqCst);
            if qtype == 1 {
                r.extend_from_slice(&[0xC0, 12]);
                r.extend_from_slice(&1u16.to_be_bytes());
                r.extend_from_slice(&1u16.to_be_bytes());
                r.extend_from_slice(&60u32.to_be_bytes());
                r.extend_from_slice(&4u16.to_be_bytes());
                r.extend_from_slice(&LOOPBACK.octets());
                set_answers(&mut r, 1);
            }
            return Some(r);
        }
        r[3] = 3; // NXDOMAIN
        Some(r)
    }
}

impl SrvFloodPeer {
    /// Serves `count` SRV targets for `domain` (a two-label name such as `x.test` keeps the
    /// compression offsets simple: it must not start with a label longer than 63 bytes).
    pub fn start(domain: &str, count: usize, port: u16) -> io::Result<SrvFloodPeer> {
        let (udp, tcp) = bind_udp_tcp_pair()?;
        let addr = udp.local_addr()?;
        let srv = Arc::new(AtomicUsize::new(0));
        let address = Arc::new(AtomicUsize::new(0));
        let flood = Arc::new(Flood {
            domain: domain.trim_end_matches('.').to_ascii_lowercase(),
            count,
            port,
            srv: srv.clone(),
            addr: address.clone(),
        });
        let runner = Runner::spawn(move |stop| async move {
            let udp = tokio::net::UdpSocket::from_std(udp).expect("udp");
            let tcp = tokio::net::TcpListener::from_std(tcp).expect("tcp");
            let f = flood.clone();
            let serve_udp = async move {
                let mut buf = [0u8; 1500];
                loop {
                    let Ok((n, from)) = udp.recv_from(&mut buf).await else {
                        continue;
                    };
                    if let Some(r) = f.answer(&buf[..n], false) {
                        let _ = udp.send_to(&r, from).await;
                    }
                }
            };
            let serve_tcp = async move {
                loop {
                    let Ok((mut s, _)) = tcp.accept().await else {
                        continue;
                    };
                    let f = flood.clone();
                    tokio::task::spawn_local(async move {
                        loop {
                            let mut len = [0u8; 2];
                            if s.read_exact(&mut len).await.is_err() {
                                return;
                            }
                            let mut q = vec![0u8; usize::from(u16::from_be_bytes(len))];
                            if s.read_exact(&mut q).await.is_err() {
                                return;
                            }
                            let Some(r) = f.answer(&q, true) else {
                                return;
                            };
                            let mut out = (r.len() as u16).to_be_bytes().to_vec();
                            out.extend_from_slice(&r);
                            if s.write_all(&out).await.is_err() {
                                return;
                            }
                        }
                    });
                }
            };
            tokio::select! {
                () = serve_udp => {},
                () = serve_tcp => {},
                () = stopped(stop) => {},
            }
        })?;
        Ok(SrvFloodPeer {
            addr,
            srv_queries: srv,
            address_queries: address,
            _runner: runner,
        })
    }
}
