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

pub(crate) const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// A running peer's background thread; dropping the handle stops it.
pub(crate) struct Runner {
    stop: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Runner {
    pub(crate) fn spawn<F, Fut>(f: F) -> io::Result<Runner>
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

pub(crate) async fn stopped(mut rx: watch::Receiver<bool>) {
    while !*rx.borrow() {
        if rx.changed().await.is_err() {
            return;
        }
    }
}

mod dns;
mod fleet;
mod ntp;
mod tcp;

pub use dns::*;
pub use fleet::*;
pub use ntp::*;
pub use tcp::*;

/// Binds a UDP socket on loopback and answers each datagram with what `answer` returns for it
/// (nothing when it returns `None`), until the returned runner is dropped.
pub(crate) fn udp_peer(
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
