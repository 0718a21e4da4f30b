//! The server on a real socket (127.0.0.1 only): keep-alive, slow clients cut off, shutdown.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use volact_server::Config;

mod socket;

use socket::{Server, read_response};

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let srv = Server::start(Config::default());
    let mut s = TcpStream::connect(srv.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    for path in [
        "/healthz",
        "/api/v1/codes/0xC004F074?lang=zh-TW",
        "/",
        "/api/nope",
    ] {
        write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
        let (head, body) = read_response(&mut s);
        let want = if path == "/api/nope" { "404" } else { "200" };
        assert!(
            head.starts_with(&format!("HTTP/1.1 {want}")),
            "{path}: {head}"
        );
        assert!(
            head.contains("content-security-policy: default-src 'none'"),
            "{head}"
        );
        assert!(!body.is_empty());
    }
    // A POST with a body on the same connection.
    let text = "Error 0xC004F074";
    write!(
        s,
        "POST /api/v1/analyze HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{text}",
        text.len()
    )
    .unwrap();
    let (head, body) = read_response(&mut s);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["summary"][0]["code"], "0xC004F074");
}

#[test]
fn a_client_dripping_its_headers_is_cut_off() {
    let srv = Server::start(Config {
        header_read_timeout: Duration::from_millis(400),
        ..Config::default()
    });
    let mut s = TcpStream::connect(srv.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let start = Instant::now();
    let request = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let mut cut = false;
    for b in request {
        if s.write_all(&[*b]).is_err() {
            cut = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        if start.elapsed() > Duration::from_secs(3) {
            break;
        }
    }
    // Whatever was written, the server has closed the connection (possibly after a 408) well
    // before the drip would have finished, without answering the request.
    let mut rest = Vec::new();
    let _ = s.read_to_end(&mut rest);
    let elapsed = start.elapsed();
    let text = String::from_utf8_lossy(&rest);
    eprintln!("cut off after {elapsed:?} (write failed: {cut}); the server sent {text:?}");
    assert!(!text.contains("200 OK"), "{text}");
    // The whole drip takes more than 5 s; the server gives up after 0.4 s.
    assert!(
        elapsed < Duration::from_secs(3),
        "not cut off after {elapsed:?} ({cut})"
    );
    assert!(
        elapsed >= Duration::from_millis(300),
        "cut off too early: {elapsed:?}"
    );
    // A normal client on another connection is served meanwhile.
    let mut ok = TcpStream::connect(srv.addr).unwrap();
    ok.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(ok, "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let (head, _) = read_response(&mut ok);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
}

#[test]
fn an_idle_connection_is_closed() {
    let srv = Server::start(Config {
        header_read_timeout: Duration::from_millis(300),
        ..Config::default()
    });
    let mut s = TcpStream::connect(srv.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let start = Instant::now();
    let mut rest = Vec::new();
    let _ = s.read_to_end(&mut rest);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn shutdown_stops_accepting() {
    let srv = Server::start(Config::default());
    let addr = srv.addr;
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let (head, _) = read_response(&mut s);
    assert!(head.starts_with("HTTP/1.1 200"));
    drop(srv);
    assert!(
        TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err(),
        "still accepting after shutdown"
    );
}
