//! Loopback protocol peers for tests: an authoritative DNS server (hickory-server) with SRV zones,
//! DNS servers that fail or stay silent, TCP listeners that misbehave in every useful way, a
//! DCE/RPC responder that counts the PDUs it receives, an SNTP responder with a chosen offset, and
//! a real `chronyd` (optionally under libfaketime). Everything binds to 127.0.0.1 only.
//!
//! Each peer runs on a thread of its own and stops when dropped, so synchronous tests can use
//! them as well as async ones.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener as StdTcpListener, UdpSocket as StdUdpSocket};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hickory_proto::rr::rdata::{A, AAAA, SOA, SRV, TXT};
use hickory_proto::rr::{LowerName, Name, RData, Record};
use hickory_server::Server;
use hickory_server::net::runtime::TokioRuntimeProvider;
use hickory_server::store::in_memory::InMemoryZoneHandler;
use hickory_server::zone_handler::{AxfrPolicy, Catalog, ZoneType};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::watch;

const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// A running peer's background thread; dropping the handle stops it.
struct Runner {
    stop: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Runner {
    fn spawn<F, Fut>(f: F) -> io::Result<Runner>
    where
        F: FnOnce(watch::Receiver<bool>) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + 'static,
    {
        let (stop, rx) = watch::channel(false);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread = std::thread::spawn(move || {
            let local = tokio::task::LocalSet::new();
            local.block_on(&rt, f(rx));
        });
        Ok(Runner {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

async fn stopped(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// DNS
// ---------------------------------------------------------------------------------------------

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

/// Binds a UDP socket on loopback and answers each datagram with what `answer` returns for it
/// (nothing when it returns `None`), until the returned runner is dropped.
fn udp_peer(
    max: usize,
    answer: impl Fn(&[u8]) -> Option<Vec<u8>> + Send + 'static,
) -> io::Result<(SocketAddr, Runner)> {
    let sock = StdUdpSocket::bind((LOOPBACK, 0))?;
    sock.set_nonblocking(true)?;
    let addr = sock.local_addr()?;
    let runner = Runner::spawn(move |stop| async move {
        let sock = tokio::net::UdpSocket::from_std(sock).expect("udp");
        let mut buf = vec![0u8; max];
        let serve = async {
            loop {
                let Ok((n, from)) = sock.recv_from(&mut buf).await else {
                    continue;
                };
                if let Some(r) = answer(&buf[..n]) {
                    let _ = sock.send_to(&r, from).await;
                }
            }
        };
        tokio::select! {
            () = serve => {},
            () = stopped(stop) => {},
        }
    })?;
    Ok((addr, runner))
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

// ---------------------------------------------------------------------------------------------
// TCP and DCE/RPC
// ---------------------------------------------------------------------------------------------

/// What a [`TcpPeer`] does with each connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Behavior {
    /// Accept, then close at once.
    AcceptClose,
    /// Accept, read whatever comes, never answer, never close.
    Silent,
    /// Send these bytes, then close.
    Garbage(Vec<u8>),
    /// Answer the bind with a DCE/RPC header claiming the largest possible lengths
    /// (frag_length and auth_length 0xFFFF: the 32 bits at offset 8 all ones, "4 GB"), then send
    /// zeros slowly and never close.
    HugeFrag,
    /// Send one byte of a valid bind_ack every `0` milliseconds, never finishing.
    Drip(u64),
    /// A DCE/RPC server answering every bind as given, counting the PDUs it receives.
    Rpc(RpcAnswer),
    /// Answer the bind with bind_ack accepted, then keep the connection open forever.
    AcceptNeverClose,
}

/// How the RPC responder answers a bind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RpcAnswer {
    /// bind_ack, context accepted (a KMS host).
    Accept,
    /// bind_ack, context rejected with provider_rejection / abstract syntax not supported.
    ProviderReject,
    /// bind_nak, reason 4 (protocol version not supported).
    Nak,
}

/// What a peer saw.
#[derive(Debug, Default)]
pub struct Counters {
    /// Connections accepted.
    pub connections: AtomicUsize,
    /// Connections that ended (peer closed or reset).
    pub closed: AtomicUsize,
    /// Whole DCE/RPC PDUs received (by their frag_length).
    pub pdus: AtomicUsize,
    /// Bind PDUs received.
    pub binds: AtomicUsize,
    /// Request PDUs (packet type 0) received: activation requests. Must stay 0.
    pub requests: AtomicUsize,
    /// Bytes received.
    pub bytes: AtomicUsize,
}

impl Counters {
    /// Reads one counter.
    pub fn get(c: &AtomicUsize) -> usize {
        c.load(Ordering::SeqCst)
    }
}

/// A TCP listener on 127.0.0.1 with a chosen behaviour.
pub struct TcpPeer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// What it saw.
    pub counters: Arc<Counters>,
    _runner: Runner,
}

impl TcpPeer {
    /// Starts it.
    pub fn start(behavior: Behavior) -> io::Result<TcpPeer> {
        let l = StdTcpListener::bind((LOOPBACK, 0))?;
        l.set_nonblocking(true)?;
        let addr = l.local_addr()?;
        let counters = Arc::new(Counters::default());
        let c = counters.clone();
        let runner = Runner::spawn(move |stop| async move {
            let l = tokio::net::TcpListener::from_std(l).expect("listener");
            let accept = async {
                loop {
                    let Ok((s, _)) = l.accept().await else {
                        continue;
                    };
                    c.connections.fetch_add(1, Ordering::SeqCst);
                    let c = c.clone();
                    let b = behavior.clone();
                    let stop = stop.clone();
                    tokio::task::spawn_local(async move {
                        tokio::select! {
                            () = serve(s, b, c.clone()) => {},
                            () = stopped(stop) => {},
                        }
                    });
                }
            };
            tokio::select! {
                () = accept => {},
                () = stopped(stop.clone()) => {},
            }
        })?;
        Ok(TcpPeer {
            addr,
            counters,
            _runner: runner,
        })
    }

    /// Waits (at most `limit`) until `n` connections have ended; returns whether they did.
    pub fn wait_closed(&self, n: usize, limit: Duration) -> bool {
        let end = Instant::now() + limit;
        while Instant::now() < end {
            if Counters::get(&self.counters.closed) >= n {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }
}

/// A bind_ack for call `call_id` with one result.
pub fn bind_ack(call_id: u32, result: u16, reason: u16) -> Vec<u8> {
    let mut p = vec![5, 0, 12, 3, 0x10, 0, 0, 0, 0, 0, 0, 0];
    p.extend_from_slice(&call_id.to_le_bytes());
    p.extend_from_slice(&5840u16.to_le_bytes());
    p.extend_from_slice(&5840u16.to_le_bytes());
    p.extend_from_slice(&0x0001_2345u32.to_le_bytes());
    p.extend_from_slice(&5u16.to_le_bytes());
    p.extend_from_slice(b"1688\0");
    while p.len() % 4 != 0 {
        p.push(0);
    }
    p.extend_from_slice(&[1, 0, 0, 0]);
    p.extend_from_slice(&result.to_le_bytes());
    p.extend_from_slice(&reason.to_le_bytes());
    p.extend_from_slice(&[
        0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11, 0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48,
        0x60,
    ]);
    p.extend_from_slice(&2u32.to_le_bytes());
    let len = p.len() as u16;
    p[8..10].copy_from_slice(&len.to_le_bytes());
    p
}

/// A bind_ack for call 1, context accepted, whose secondary address is `sec_addr` (any bytes a
/// hostile or odd server may put there).
pub fn bind_ack_with_sec_addr(sec_addr: &[u8]) -> Vec<u8> {
    let mut p = vec![5, 0, 12, 3, 0x10, 0, 0, 0, 0, 0, 0, 0];
    p.extend_from_slice(&1u32.to_le_bytes());
    p.extend_from_slice(&5840u16.to_le_bytes());
    p.extend_from_slice(&5840u16.to_le_bytes());
    p.extend_from_slice(&0x0001_2345u32.to_le_bytes());
    p.extend_from_slice(&(sec_addr.len() as u16 + 1).to_le_bytes());
    p.extend_from_slice(sec_addr);
    p.push(0);
    while p.len() % 4 != 0 {
        p.push(0);
    }
    p.extend_from_slice(&[1, 0, 0, 0]);
    p.extend_from_slice(&0u16.to_le_bytes());
    p.extend_from_slice(&0u16.to_le_bytes());
    p.extend_from_slice(&[
        0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11, 0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48,
        0x60,
    ]);
    p.extend_from_slice(&2u32.to_le_bytes());
    let len = p.len() as u16;
    p[8..10].copy_from_slice(&len.to_le_bytes());
    p
}

/// A bind_nak for call `call_id`.
pub fn bind_nak(call_id: u32, reason: u16) -> Vec<u8> {
    let mut p = vec![5, 0, 13, 3, 0x10, 0, 0, 0, 20, 0, 0, 0];
    p.extend_from_slice(&call_id.to_le_bytes());
    p.extend_from_slice(&reason.to_le_bytes());
    p.extend_from_slice(&[0, 0]); // no protocol versions listed
    p
}

async fn serve(mut s: tokio::net::TcpStream, b: Behavior, c: Arc<Counters>) {
    match b {
        Behavior::AcceptClose => {}
        Behavior::Garbage(bytes) => {
            let _ = s.write_all(&bytes).await;
            let _ = s.shutdown().await;
        }
        Behavior::Silent => {
            let mut buf = [0u8; 512];
            loop {
                match s.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        c.bytes.fetch_add(n, Ordering::SeqCst);
                    }
                }
            }
        }
        Behavior::HugeFrag => {
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf).await;
            let _ = s
                .write_all(&[
                    5, 0, 12, 3, 0x10, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0,
                ])
                .await;
            loop {
                tokio::select! {
                    r = s.read(&mut buf) => if matches!(r, Ok(0) | Err(_)) { break },
                    () = tokio::time::sleep(Duration::from_millis(100)) => {
                        if s.write_all(&[0u8; 64]).await.is_err() { break; }
                    }
                }
            }
        }
        Behavior::Drip(every_ms) => {
            let mut buf = [0u8; 512];
            let _ = s.read(&mut buf).await;
            let ack = bind_ack(1, 0, 0);
            let mut i = 0;
            loop {
                tokio::select! {
                    r = s.read(&mut buf) => if matches!(r, Ok(0) | Err(_)) { break },
                    () = tokio::time::sleep(Duration::from_millis(every_ms)) => {
                        // Never send the last byte.
                        if i + 1 >= ack.len() { continue; }
                        if s.write_all(&ack[i..=i]).await.is_err() { break; }
                        i += 1;
                    }
                }
            }
        }
        Behavior::Rpc(answer) => rpc_conn(&mut s, answer, &c, false).await,
        Behavior::AcceptNeverClose => rpc_conn(&mut s, RpcAnswer::Accept, &c, true).await,
    }
    c.closed.fetch_add(1, Ordering::SeqCst);
}

async fn rpc_conn(s: &mut tokio::net::TcpStream, answer: RpcAnswer, c: &Counters, hold: bool) {
    // Bounded buffer: PDUs larger than this are counted by their header and skipped.
    let mut buf = vec![0u8; 0];
    let mut chunk = [0u8; 4096];
    let mut skip = 0usize;
    loop {
        let n = match s.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        c.bytes.fetch_add(n, Ordering::SeqCst);
        let mut data = &chunk[..n];
        if skip > 0 {
            let k = skip.min(data.len());
            skip -= k;
            data = &data[k..];
        }
        buf.extend_from_slice(data);
        while buf.len() >= 16 {
            let frag = usize::from(u16::from_le_bytes([buf[8], buf[9]])).max(16);
            let ptype = buf[2];
            let call_id = u32::from_le_bytes([buf[12], buf[13], buf[14], buf[15]]);
            if buf.len() < frag {
                if frag > 8192 {
                    skip = frag - buf.len();
                    buf.clear();
                    c.pdus.fetch_add(1, Ordering::SeqCst);
                }
                break;
            }
            buf.drain(..frag);
            c.pdus.fetch_add(1, Ordering::SeqCst);
            match ptype {
                11 => {
                    c.binds.fetch_add(1, Ordering::SeqCst);
                    let reply = match answer {
                        RpcAnswer::Accept => bind_ack(call_id, 0, 0),
                        RpcAnswer::ProviderReject => bind_ack(call_id, 2, 1),
                        RpcAnswer::Nak => bind_nak(call_id, 4),
                    };
                    if s.write_all(&reply).await.is_err() {
                        return;
                    }
                }
                0 => {
                    c.requests.fetch_add(1, Ordering::SeqCst);
                }
                _ => {}
            }
        }
    }
    if hold {
        // Never closes from this side; the loop above ended because the client went away.
    }
}

/// A port on 127.0.0.1 where nothing listens (connections are refused).
pub fn refused_port() -> io::Result<u16> {
    let l = StdTcpListener::bind((LOOPBACK, 0))?;
    let port = l.local_addr()?.port();
    drop(l);
    Ok(port)
}

/// A listener whose accept queue is full, so new connections on loopback time out instead of
/// completing (SYNs are dropped). Holds its filler connections until dropped.
pub struct Blackhole {
    /// Where it listens.
    pub addr: SocketAddr,
    _listener: std::net::TcpListener,
    _fillers: Vec<std::net::TcpStream>,
}

impl Blackhole {
    /// Starts one: listen with backlog 0, then connect until a connection attempt hangs.
    pub fn start() -> io::Result<Blackhole> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (listener, fillers) = rt.block_on(async {
            let sock = tokio::net::TcpSocket::new_v4()?;
            sock.bind((LOOPBACK, 0).into())?;
            let l = sock.listen(0)?;
            let addr = l.local_addr()?;
            let mut fillers = Vec::new();
            for _ in 0..16 {
                match tokio::time::timeout(
                    Duration::from_millis(200),
                    tokio::net::TcpStream::connect(addr),
                )
                .await
                {
                    Ok(Ok(s)) => fillers.push(s.into_std()?),
                    _ => return Ok::<_, io::Error>((l.into_std()?, fillers)),
                }
            }
            Err(io::Error::other("the accept queue never filled"))
        })?;
        let addr = listener.local_addr()?;
        Ok(Blackhole {
            addr,
            _listener: listener,
            _fillers: fillers,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// NTP
// ---------------------------------------------------------------------------------------------

/// A hand-rolled SNTP server whose clock runs `offset` seconds from the local one.
pub struct SntpPeer {
    /// Where it listens (UDP).
    pub addr: SocketAddr,
    _runner: Runner,
}

/// How a [`SntpPeer::start_hostile`] answers: replies that carry no usable time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SntpHostile {
    /// A server reply whose receive and transmit timestamps are zero.
    ZeroTimestamps,
    /// A well-formed reply from a server at this stratum (16: unsynchronised).
    Stratum(u8),
    /// A kiss-o'-death: stratum 0 with this kiss code (`RATE`, `DENY`, ...).
    Kiss([u8; 4]),
    /// Leap indicator 3 (alarm: the server's clock is not synchronised), stratum 2.
    LeapAlarm,
    /// A reply five hours ahead whose transmit time is before its receive time.
    Backwards,
}

impl SntpPeer {
    /// Starts it.
    pub fn start(offset_s: f64) -> io::Result<SntpPeer> {
        Self::start_with(offset_s, |_, _| {})
    }

    /// Starts an SNTP peer that answers every request in the `mode` given, echoing the client's
    /// transmit time as the origin (so the reply is addressed to the request).
    pub fn start_hostile(mode: SntpHostile) -> io::Result<SntpPeer> {
        Self::start_with(5.0 * 3600.0, move |r, now| match mode {
            SntpHostile::ZeroTimestamps => r[32..48].fill(0),
            SntpHostile::Stratum(s) => r[1] = s,
            SntpHostile::Kiss(code) => {
                r[1] = 0;
                r[12..16].copy_from_slice(&code);
                r[16..24].fill(0);
                r[32..48].fill(0);
            }
            SntpHostile::LeapAlarm => r[0] = 0xE4,
            SntpHostile::Backwards => {
                r[32..40].copy_from_slice(&ntp_ts(now + 1.0));
            }
        })
    }

    /// Starts a peer whose clock runs `offset_s` seconds from the local one and that answers each
    /// request with a well-formed server reply (stratum 2) passed through `shape` first.
    fn start_with(
        offset_s: f64,
        shape: impl Fn(&mut [u8; 48], f64) + Send + 'static,
    ) -> io::Result<SntpPeer> {
        let (addr, runner) = udp_peer(512, move |req| {
            if req.len() < 48 {
                return None;
            }
            let now = ntp_now() + offset_s;
            let mut r = [0u8; 48];
            r[0] = 0x24; // LI 0, VN 4, mode 4
            r[1] = 2;
            r[2] = req[2];
            r[3] = 0xEC;
            r[12..16].copy_from_slice(b"LOCL");
            r[16..24].copy_from_slice(&ntp_ts(now));
            r[24..32].copy_from_slice(&req[40..48]);
            r[32..40].copy_from_slice(&ntp_ts(now));
            r[40..48].copy_from_slice(&ntp_ts(now));
            shape(&mut r, now);
            Some(r.to_vec())
        })?;
        Ok(SntpPeer {
            addr,
            _runner: runner,
        })
    }
}

fn ntp_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
        + 2_208_988_800.0
}

fn ntp_ts(t: f64) -> [u8; 8] {
    let s = t.floor();
    let mut b = [0u8; 8];
    b[..4].copy_from_slice(&((s as u64 & 0xFFFF_FFFF) as u32).to_be_bytes());
    b[4..].copy_from_slice(&(((t - s) * 4_294_967_296.0) as u32).to_be_bytes());
    b
}

/// A silent UDP port (reads, never answers): for "no time source answered" and DNS timeouts.
pub struct SilentUdp {
    /// Where it listens.
    pub addr: SocketAddr,
    _sock: StdUdpSocket,
}

impl SilentUdp {
    /// Binds it.
    pub fn start() -> io::Result<SilentUdp> {
        let s = StdUdpSocket::bind((LOOPBACK, 0))?;
        Ok(SilentUdp {
            addr: s.local_addr()?,
            _sock: s,
        })
    }
}

/// A real `chronyd` serving NTP on a loopback port, never touching the system clock (`-x`), with
/// its files in a temporary directory. Optionally under libfaketime with a shifted clock.
pub struct Chrony {
    /// Where it serves NTP.
    pub addr: SocketAddr,
    child: std::process::Child,
    dir: PathBuf,
}

/// Where chronyd is, if installed.
pub fn chronyd_path() -> Option<PathBuf> {
    ["/usr/sbin/chronyd", "/usr/bin/chronyd", "/sbin/chronyd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Where libfaketime is, if installed.
pub fn libfaketime_path() -> Option<PathBuf> {
    let dirs = [
        "/usr/lib/x86_64-linux-gnu/faketime",
        "/usr/lib/aarch64-linux-gnu/faketime",
        "/usr/lib/faketime",
        "/usr/lib64/faketime",
    ];
    dirs.iter()
        .map(|d| Path::new(d).join("libfaketime.so.1"))
        .find(|p| p.exists())
}

/// For tests that need chrony (and libfaketime when `faketime`): `None` with a printed reason
/// when missing, but a panic when the `CI` variable is set (CI installs them, see
/// `.ci/setup.d/20-ntp.sh`).
pub fn require_chrony(faketime: bool) -> Option<()> {
    let missing = if chronyd_path().is_none() {
        Some("chronyd is not installed (Debian: apt-get install chrony)")
    } else if faketime && libfaketime_path().is_none() {
        Some("libfaketime is not installed (Debian: apt-get install libfaketime)")
    } else {
        None
    };
    match missing {
        None => Some(()),
        Some(why) if std::env::var_os("CI").is_some() => {
            panic!("CI is set but {why}; .ci/setup.d/20-ntp.sh should have installed it")
        }
        Some(why) => {
            eprintln!("SKIPPED: {why}");
            None
        }
    }
}

static CHRONY_SEQ: AtomicUsize = AtomicUsize::new(0);

impl Chrony {
    /// Starts chronyd; with `faketime` (for example `"+5h"`) under libfaketime. Waits until it
    /// answers SNTP (at most 10 s).
    pub fn start(faketime: Option<&str>) -> io::Result<Chrony> {
        let bin = chronyd_path().ok_or_else(|| io::Error::other("chronyd not installed"))?;
        let dir = std::env::temp_dir().join(format!(
            "volact-chrony-{}-{}",
            std::process::id(),
            CHRONY_SEQ.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir)?;
        let port = {
            let s = StdUdpSocket::bind((LOOPBACK, 0))?;
            s.local_addr()?.port()
        };
        let conf = dir.join("chrony.conf");
        std::fs::write(
            &conf,
            format!(
                "port {port}\nbindaddress 127.0.0.1\nlocal stratum 8\nallow 127.0.0.1\ncmdport 0\npidfile {d}/chronyd.pid\ndriftfile {d}/drift\n",
                d = dir.display()
            ),
        )?;
        let mut cmd = std::process::Command::new(bin);
        cmd.arg("-d")
            .arg("-x")
            .arg("-t")
            .arg("600")
            .arg("-f")
            .arg(&conf);
        if is_root() {
            cmd.arg("-u").arg("root");
        } else {
            cmd.arg("-U");
        }
        if let Some(shift) = faketime {
            let lib =
                libfaketime_path().ok_or_else(|| io::Error::other("libfaketime not installed"))?;
            cmd.env("LD_PRELOAD", lib).env("FAKETIME", shift);
        }
        cmd.stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(dir.join("chronyd.log"))?);
        let child = cmd.spawn()?;
        let addr = SocketAddr::from((LOOPBACK, port));
        let mut me = Chrony { addr, child, dir };
        let end = Instant::now() + Duration::from_secs(10);
        while Instant::now() < end {
            if let Ok(Some(status)) = me.child.try_wait() {
                let log = std::fs::read_to_string(me.dir.join("chronyd.log")).unwrap_or_default();
                return Err(io::Error::other(format!(
                    "chronyd exited ({status}): {log}"
                )));
            }
            if sntp_answers(addr) {
                return Ok(me);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let log = std::fs::read_to_string(me.dir.join("chronyd.log")).unwrap_or_default();
        let _ = me.child.kill();
        Err(io::Error::other(format!("chronyd never answered: {log}")))
    }
}

fn sntp_answers(addr: SocketAddr) -> bool {
    let Ok(s) = StdUdpSocket::bind((LOOPBACK, 0)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(200)));
    let mut p = [0u8; 48];
    p[0] = 0x23;
    p[40..48].copy_from_slice(&ntp_ts(ntp_now()));
    if s.send_to(&p, addr).is_err() {
        return false;
    }
    let mut buf = [0u8; 128];
    matches!(s.recv_from(&mut buf), Ok((n, _)) if n >= 48 && buf[0] & 7 == 4)
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Drop for Chrony {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

// ---------------------------------------------------------------------------------------------
// Fleets
// ---------------------------------------------------------------------------------------------

/// Many endpoints on 127.0.0.1 at once, all served by one thread: healthy KMS-like RPC
/// responders, silent listeners (accept, never answer) and refused ports. For fleet tests and the
/// benchmark.
pub struct Fleet {
    /// Healthy endpoints (bind accepted).
    pub healthy: Vec<SocketAddr>,
    /// Silent endpoints (connect succeeds, no reply).
    pub silent: Vec<SocketAddr>,
    /// Refused endpoints (nothing listens).
    pub refused: Vec<SocketAddr>,
    /// What the healthy responders saw, summed.
    pub counters: Arc<Counters>,
    _runner: Runner,
}

impl Fleet {
    /// Starts `healthy` RPC responders and `silent` listeners, and picks `refused` free ports.
    pub fn start(healthy: usize, silent: usize, refused: usize) -> io::Result<Fleet> {
        let mut listeners = Vec::new();
        let mut h = Vec::new();
        let mut s = Vec::new();
        for i in 0..healthy + silent {
            let l = StdTcpListener::bind((LOOPBACK, 0))?;
            l.set_nonblocking(true)?;
            let a = l.local_addr()?;
            let b = if i < healthy {
                h.push(a);
                Behavior::Rpc(RpcAnswer::Accept)
            } else {
                s.push(a);
                Behavior::Silent
            };
            listeners.push((l, b));
        }
        // Distinct ports: the kernel may hand a just-freed port out again.
        let mut r: Vec<SocketAddr> = Vec::new();
        let mut tries = 0;
        while r.len() < refused {
            tries += 1;
            if tries > refused * 20 + 100 {
                return Err(io::Error::other("cannot find enough distinct free ports"));
            }
            let a = SocketAddr::from((LOOPBACK, refused_port()?));
            if !r.contains(&a) && !h.contains(&a) && !s.contains(&a) {
                r.push(a);
            }
        }
        let counters = Arc::new(Counters::default());
        let c = counters.clone();
        let runner = Runner::spawn(move |stop| async move {
            for (l, b) in listeners {
                let l = tokio::net::TcpListener::from_std(l).expect("listener");
                let c = c.clone();
                let stop = stop.clone();
                tokio::task::spawn_local(async move {
                    loop {
                        let Ok((sock, _)) = l.accept().await else {
                            continue;
                        };
                        c.connections.fetch_add(1, Ordering::SeqCst);
                        let c = c.clone();
                        let b = b.clone();
                        let stop = stop.clone();
                        tokio::task::spawn_local(async move {
                            tokio::select! {
                                () = serve(sock, b, c) => {},
                                () = stopped(stop) => {},
                            }
                        });
                    }
                });
            }
            stopped(stop).await;
        })?;
        Ok(Fleet {
            healthy: h,
            silent: s,
            refused: r,
            counters,
            _runner: runner,
        })
    }

    /// A hosts file (`host:port` per line) listing every endpoint, interleaved.
    pub fn hosts_file(&self) -> String {
        let mut out = String::from("# volact doctor fleet on loopback\n");
        let n = self
            .healthy
            .len()
            .max(self.silent.len())
            .max(self.refused.len());
        for i in 0..n {
            for list in [&self.healthy, &self.silent, &self.refused] {
                if let Some(a) = list.get(i) {
                    out.push_str(&format!("{a}\n"));
                }
            }
        }
        out
    }
}
