//! TCP and DCE/RPC peers: listeners that misbehave, the bind responder that counts what it receives.

use super::*;

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

pub(crate) async fn serve(mut s: tokio::net::TcpStream, b: Behavior, c: Arc<Counters>) {
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
