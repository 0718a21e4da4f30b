//! Many idle connections against a server with few file descriptors (127.0.0.1 only): the
//! server raises its soft open-file limit where it can and caps its connections below the limit,
//! closing the oldest idle ones, so `/healthz` keeps answering at once.
//!
//! The server runs in a child process (this test binary again, with `VOLACT_CHILD_SERVER` set)
//! whose soft and hard open-file limits are 1,024, as on a default Linux system; this process
//! opens 2,000 idle connections to it. Unix only: Windows has no open-file limit on sockets.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The child: limits itself to 1,024 open files, serves on 127.0.0.1:0, prints its address, and
/// stops when its standard input closes.
#[test]
fn child_server() {
    if std::env::var_os("VOLACT_CHILD_SERVER").is_none() {
        return;
    }
    use rustix::process::{Resource, Rlimit, setrlimit};
    setrlimit(
        Resource::Nofile,
        Rlimit {
            current: Some(1024),
            maximum: Some(1024),
        },
    )
    .expect("lower the open-file limit");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("ADDR {}", l.local_addr().unwrap());
        let stop = async {
            let _ = tokio::task::spawn_blocking(|| {
                let mut sink = Vec::new();
                let _ = std::io::stdin().read_to_end(&mut sink);
            })
            .await;
        };
        volact_server::serve(l, volact_server::Config::default(), stop)
            .await
            .unwrap();
    });
}

/// Kills the child server on drop.
struct ChildServer(Child);

impl Drop for ChildServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn healthz(addr: SocketAddr) -> Duration {
    let start = Instant::now();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    start.elapsed()
}

#[test]
fn healthz_answers_at_once_with_2000_idle_connections_and_1024_open_files() {
    if std::env::var_os("VOLACT_CHILD_SERVER").is_some() {
        return;
    }
    // This process needs more than 2,000 descriptors itself.
    let mine = volact_server::raise_fd_limit().unwrap_or(0);
    if mine < 2200 {
        let msg = format!("the open-file limit here is {mine}: 2,200 are needed for the clients");
        if std::env::var_os("CI").is_some() {
            panic!("{msg}");
        }
        println!("skipping: {msg}");
        return;
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_server", "--nocapture", "--test-threads=1"])
        .env("VOLACT_CHILD_SERVER", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the child server");
    let stdout = child.stdout.take().unwrap();
    let child = ChildServer(child);
    let mut addr = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        // libtest writes "test child_server ... " before it on the same line.
        if let Some(i) = line.find("ADDR ") {
            addr = Some(line[i + 5..].trim().parse::<SocketAddr>().unwrap());
            break;
        }
    }
    let addr = addr.expect("the child server's address");
    assert!(healthz(addr) < Duration::from_secs(1));
    // 2,000 connections that send nothing.
    let mut idle = Vec::new();
    for _ in 0..2000 {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(5)) {
            Ok(s) => idle.push(s),
            Err(e) => panic!("connection {} refused: {e}", idle.len()),
        }
    }
    // Give the server a moment to take them all in.
    std::thread::sleep(Duration::from_millis(500));
    let mut times: Vec<Duration> = (0..5).map(|_| healthz(addr)).collect();
    times.sort();
    eprintln!("/healthz with 2,000 idle connections: {times:?}");
    assert!(
        times[2] < Duration::from_millis(200),
        "/healthz took {times:?} with 2,000 idle connections"
    );
    // The oldest idle connections were closed to make room (at most 896 are kept at 1,024 open
    // files): reading them gives the end at once.
    let mut closed = 0;
    for s in &mut idle {
        s.set_read_timeout(Some(Duration::from_millis(20))).unwrap();
        let mut b = [0u8; 16];
        match s.read(&mut b) {
            Ok(0) => closed += 1,
            Err(e)
                if e.kind() != std::io::ErrorKind::WouldBlock
                    && e.kind() != std::io::ErrorKind::TimedOut =>
            {
                closed += 1;
            }
            _ => {}
        }
    }
    eprintln!("{closed} of 2,000 idle connections were closed by the server");
    assert!(closed >= 2000 - 896 - 10, "only {closed} were closed");
    drop(idle);
    drop(child);
}
