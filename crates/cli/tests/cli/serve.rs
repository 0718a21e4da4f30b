//! `volact serve`: the real binary on 127.0.0.1, port 0. The API answers must be the JSON the
//! other commands print with `--format json` for the same input.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use volact_testsupport::evtx::kms::{HostLog, HostLogSpec};
use volact_testsupport::evtx::to_bytes;

use crate::util::{run, stdout, volact};

const KEY: &str = "BCDFG-HJKMN-PQRTV-WXY23-46789";

/// A running `volact serve`, killed on drop; its standard error is collected line by line.
struct Serve {
    child: Child,
    addr: SocketAddr,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Serve {
    fn start(args: &[&str]) -> Self {
        let mut child = volact()
            .arg("serve")
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn volact serve");
        let err = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut s = Serve {
            child,
            addr: "127.0.0.1:1".parse().unwrap(),
            lines: rx,
            seen: Vec::new(),
        };
        let line = s
            .wait_for("listening on http://")
            .unwrap_or_else(|| panic!("no address printed: {:?}", s.seen));
        let url = line.split("http://").nth(1).unwrap().trim_end_matches('/');
        s.addr = url.parse().unwrap();
        s
    }

    /// Waits (10 s at most) for a line of standard error containing `needle`.
    fn wait_for(&mut self, needle: &str) -> Option<String> {
        let end = Instant::now() + Duration::from_secs(10);
        if let Some(l) = self.seen.iter().find(|l| l.contains(needle)) {
            return Some(l.clone());
        }
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    self.seen.push(l.clone());
                    if l.contains(needle) {
                        return Some(l);
                    }
                }
                Err(_) => return None,
            }
        }
        None
    }

    /// Everything written to standard error so far (waiting briefly for more).
    fn stderr(&mut self) -> String {
        while let Ok(l) = self.lines.recv_timeout(Duration::from_millis(300)) {
            self.seen.push(l);
        }
        self.seen.join("\n")
    }

    /// One request on a fresh connection: (status, body).
    fn request(&self, method: &str, path: &str, ct: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Type: {ct}\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        )
        .unwrap();
        s.write_all(body).unwrap();
        let mut all = Vec::new();
        s.read_to_end(&mut all).unwrap();
        let split = all
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a header block");
        let head = String::from_utf8_lossy(&all[..split]).into_owned();
        let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, all[split + 4..].to_vec())
    }

    fn get_json(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.request("GET", path, "text/plain", b"");
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
        serde_json::from_slice(&body).unwrap()
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn help_is_stable() {
    let out = run(&["serve", "--help"], b"");
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!("serve_help", stdout(&out));
}

#[test]
fn prints_its_address_and_answers_like_the_cli() {
    let mut srv = Serve::start(&["--listen", "127.0.0.1:0"]);
    assert_eq!(srv.addr.ip().to_string(), "127.0.0.1");
    assert_ne!(srv.addr.port(), 0);
    let health = srv.get_json("/healthz");
    assert_eq!(health["status"], "ok");
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));

    // A code, as `volact explain --format json`.
    for lang in ["en", "zh-TW"] {
        let (cli, _) =
            crate::util::json(&["--lang", lang, "explain", "-f", "json", "c004f074"], b"");
        let mut want = cli["results"][0].clone();
        want["schema_version"] = cli["schema_version"].clone();
        assert_eq!(
            srv.get_json(&format!("/api/v1/codes/c004f074?lang={lang}")),
            want
        );
    }
    // The catalogue, as `volact list --format json`.
    let (cli, _) = crate::util::json(&["list", "-f", "json", "--type", "kms-host"], b"");
    let api = srv.get_json("/api/v1/codes?type=kms-host");
    assert_eq!(api["results"], cli["results"]);
    let (cli, _) = crate::util::json(&["--lang", "zh-TW", "search", "-f", "json", "DNS"], b"");
    let api = srv.get_json("/api/v1/codes?q=DNS&lang=zh-TW");
    assert_eq!(api["results"], cli["results"]);

    // Pasted text, as `volact scan --format json -` (the input is called "pasted").
    let paste = format!(
        "Error: 0xC004F074\nLicense Status: Notification\nNotification Reason: 0xC004F056.\nkey {KEY}\n"
    );
    let cli = run(
        &["--lang", "zh-TW", "scan", "-f", "json", "-"],
        paste.as_bytes(),
    );
    let cli = stdout(&cli).replace("\"<stdin>\"", "\"pasted\"");
    let (status, api) = srv.request(
        "POST",
        "/api/v1/analyze?lang=zh-TW",
        "text/plain",
        paste.as_bytes(),
    );
    assert_eq!(status, 200);
    assert_eq!(String::from_utf8(api).unwrap(), cli);

    // A key, as `volact key check --format json`.
    for typed in [KEY, "bcdfg-hjkmn-pqrtv-wxy23-4678I"] {
        let cli = run(&["key", "check", "--format", "json"], typed.as_bytes());
        let body = serde_json::to_vec(&serde_json::json!({ "key": typed })).unwrap();
        let (status, api) = srv.request("POST", "/api/v1/keys/check", "application/json", &body);
        assert_eq!(status, 200);
        assert_eq!(String::from_utf8(api).unwrap(), stdout(&cli), "{typed}");
    }

    // The access log: one line per request, keys masked, no bodies.
    srv.request("GET", &format!("/api/v1/codes/{KEY}"), "text/plain", b"");
    let log = srv.stderr();
    assert!(log.contains(" GET /healthz 200 "), "{log}");
    assert!(log.contains(" POST /api/v1/keys/check 200 "), "{log}");
    assert!(
        log.contains("/api/v1/codes/*****-*****-*****-*****-46789 400"),
        "{log}"
    );
    assert!(!log.contains("HJKMN") && !log.contains("hjkmn"), "{log}");
    assert!(!log.contains("Notification"), "{log}");
    assert!(!log.contains("warning"), "loopback: no warning\n{log}");
}

/// A temp directory removed on drop.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn an_uploaded_event_log_gives_the_events_report() {
    let dir =
        TempDir(std::env::temp_dir().join(format!("volact-cli-serve-{}", std::process::id())));
    std::fs::create_dir_all(&dir.0).unwrap();
    let spec = HostLogSpec {
        clients: 30,
        clones: 2,
        skewed: 1,
        days: 20,
        seed: 3,
        ..HostLogSpec::default()
    };
    let log = to_bytes(&HostLog::new(spec).map(|(e, _)| e).collect::<Vec<_>>());
    std::fs::write(dir.0.join("kms.evtx"), &log).unwrap();
    let cli = volact()
        .current_dir(&dir.0)
        .args(["--lang", "zh-TW", "events", "--format", "json", "kms.evtx"])
        .output()
        .unwrap();
    let srv = Serve::start(&["--listen", "127.0.0.1:0", "--quiet"]);
    let boundary = "XyZvolact";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"kms.evtx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&log);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (status, api) = srv.request(
        "POST",
        "/api/v1/events?lang=zh-TW",
        &format!("multipart/form-data; boundary={boundary}"),
        &body,
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&api));
    assert_eq!(String::from_utf8(api).unwrap(), stdout(&cli));
}

#[test]
fn quiet_and_doctor_flags() {
    let mut srv = Serve::start(&["--listen", "127.0.0.1:0", "--quiet"]);
    let (status, body) = srv.request("POST", "/api/v1/doctor", "application/json", b"{}");
    assert_eq!(status, 403, "{}", String::from_utf8_lossy(&body));
    let log = srv.stderr();
    assert!(
        !log.contains("/api/v1/doctor"),
        "--quiet: no access log\n{log}"
    );
    drop(srv);
    let mut srv = Serve::start(&["--listen", "127.0.0.1:0", "--allow-doctor"]);
    let (status, body) = srv.request("POST", "/api/v1/doctor", "application/json", b"{}");
    assert_eq!(
        status,
        400,
        "enabled: a target is needed: {}",
        String::from_utf8_lossy(&body)
    );
    assert!(srv.stderr().contains("POST /api/v1/doctor is allowed"));
}

#[test]
fn warns_beyond_loopback_in_both_languages() {
    for (lang, needle) in [("en", "not a loopback address"), ("zh-TW", "不是回送")] {
        let mut srv = Serve::start(&["--lang", lang, "--listen", "0.0.0.0:0", "--quiet"]);
        assert!(
            srv.wait_for(needle).is_some(),
            "{lang}: no warning in {:?}",
            srv.seen
        );
    }
}

#[test]
fn an_address_in_use_is_an_io_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = run(&["serve", "--listen", &addr], b"");
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen on"));
    let out = run(&["serve", "--listen", "nonsense"], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn sigterm_stops_it_with_exit_code_0() {
    let mut srv = Serve::start(&["--listen", "127.0.0.1:0", "--quiet"]);
    let health = srv.get_json("/healthz");
    assert_eq!(health["status"], "ok");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &srv.child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let end = Instant::now() + Duration::from_secs(15);
    let code = loop {
        if let Some(st) = srv.child.try_wait().unwrap() {
            break st.code();
        }
        assert!(Instant::now() < end, "still running after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(code, Some(0), "{}", srv.stderr());
}
