//! Fleets: many loopback endpoints served by one thread.

use super::tcp::serve;
use super::*;

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
