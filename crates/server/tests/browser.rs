//! The help-desk page in a real headless Chromium, driven through chromedriver (WebDriver) with
//! fantoccini. Only loopback traffic: the server listens on 127.0.0.1:0 in this process,
//! chromedriver on a free 127.0.0.1 port, and the browser loads nothing else.
//!
//! One test function shares one browser and walks what a help desk does: look up 0xC004F074 in
//! English and 繁體中文, reach a code with the keyboard alone, paste an slmgr output that carries a
//! `<script>`, upload a host log and a client log, then checks accessibility basics and the CSP.
//! Screenshots of each step go to `<target>/screenshots/` and their paths are printed.
//!
//! Needs Debian's `chromium` and `chromium-driver` (.ci/setup.d/50-chromium.sh installs them).
//! Without them the test fails when `CI` is set and otherwise prints why and passes.

use std::collections::BTreeSet;
use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use volact_core::explain::{Explanation, explain};
use volact_core::{ErrorCode, Form, Lang};
use volact_events::analyze::{Analyzer, Options as EventOptions, Report};
use volact_testsupport::evtx::kms::{HostLog, HostLogSpec, Written, client_application_log};
use volact_testsupport::evtx::{EvtxEvent, EvtxWriter};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long any one wait for the page may take before the test fails.
const WAIT: Duration = Duration::from_secs(15);

/// A pasted "log": a hostile `<script>`, a product-key-shaped string, and real-looking
/// `slmgr /dlv` output of an unactivated KMS client followed by the error `slmgr /ato` printed.
const PASTE: &str = "<script>window.__pwned=1;document.title='pwned'</script>
Installed key: ABCDE-FGHIJ-KLMNO-PQRST-VWXY2
Software licensing service version: 10.0.19041.3636

Name: Windows(R), Enterprise edition
Description: Windows(R) Operating System, VOLUME_KMSCLIENT channel
Activation ID: 73111121-5638-40f6-bc11-f1d7b0d64300
Application ID: 55c92734-d682-4d71-983e-d6ec3f16059f
Extended PID: 03612-03048-000-000000-03-1033-19041.0000-1012024
Product Key Channel: Volume:GVLK
Partial Product Key: VWXY2
License Status: Notification
Notification Reason: 0xC004F056.
Remaining Windows rearm count: 1001
Trusted time: 11/24/2026 9:12:44 AM

Most recent activation information:
Key Management Service client information
    Client Machine ID (CMID): 6c1c9d2e-5a7e-4d1c-9b3c-0f2d3e4a5b6c
    DNS auto-discovery: KMS name not available
    Activation interval: 120 minutes
    Renewal interval: 10080 minutes
    KMS host caching is enabled

Error: 0xC004F074 The Software Licensing Service reported that the computer could not be activated. No Key Management Service (KMS) could be contacted.
";

/// `slmgr /dli` on a KMS host.
const HOST_DLI: &str = "Name: Windows(R), ServerStandard edition
Description: Windows(R) Operating System, VOLUME_KMS_C channel
Partial Product Key: 8XDDG
License Status: Licensed

Key Management Service is enabled on this machine
    Current count: 12
    Listening on Port: 1688
    DNS publishing enabled
    KMS priority: Normal

Key Management Service cumulative requests received from clients
    Total requests received: 14000
    Failed requests received: 31
";

// ------------------------------------------------------------------------------------------------
// Processes and files that must not outlive the test, even when it panics.
// ------------------------------------------------------------------------------------------------

/// chromedriver, stopped on drop: asked to shut down (it closes any browser it still runs),
/// then killed if it has not exited within two seconds.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = driver_request(self.port, "GET", "/shutdown", None);
        let deadline = Instant::now() + Duration::from_secs(2);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let p = std::env::temp_dir().join(format!(
            "volact-browser-{tag}-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&p).expect("create a temporary directory");
        Self(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Stops the server when dropped.
struct Server {
    base: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn screenshot_dir() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().and_then(Path::parent).unwrap_or(manifest);
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) if Path::new(&t).is_absolute() => PathBuf::from(t),
        Some(t) => root.join(t),
        None => root.join("target"),
    };
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("create the screenshot directory");
    dir
}

/// One HTTP/1.1 request to chromedriver on loopback (for the browser log, which fantoccini does
/// not expose, and for shutting it down). Returns the JSON body (null when there is none).
fn driver_request(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<Value> {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    // chromedriver keeps the connection open: read the head, then Content-Length bytes (or
    // chunks up to the last one).
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        let n = s.read(&mut buf)?;
        if n == 0 {
            break raw.len();
        }
        raw.extend_from_slice(&buf[..n]);
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    loop {
        let body = &raw[head_end..];
        let complete = match length {
            Some(n) => body.len() >= n,
            None if chunked => body.windows(5).any(|w| w == b"0\r\n\r\n"),
            None => false,
        };
        if complete {
            break;
        }
        let n = s.read(&mut buf)?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    let rest = String::from_utf8_lossy(&raw[head_end..]).into_owned();
    let json_text = if chunked {
        let mut out = String::new();
        let mut r = rest.as_str();
        while let Some((size, tail)) = r.split_once("\r\n") {
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 || tail.len() < n {
                break;
            }
            out.push_str(&tail[..n]);
            r = tail[n..].trim_start_matches("\r\n");
        }
        out
    } else {
        rest
    };
    Ok(serde_json::from_str(&json_text).unwrap_or(Value::Null))
}

// ------------------------------------------------------------------------------------------------
// Test data and expectations, computed from the libraries the server uses.
// ------------------------------------------------------------------------------------------------

fn explained(code: &str, lang: Lang) -> Explanation {
    let c = ErrorCode::parse(code).expect("a valid code");
    explain(c, Form::PrefixedHex, lang)
}

/// A KMS host log with every outcome: healthy renewals, clocks more than 4 hours off
/// (0xC004F06C), a few 0xC004F042, and some requests refused with 0xC004F038 (count too low).
/// Returns the file and what was written.
fn write_host_log(dir: &Path) -> (PathBuf, Vec<(String, Written)>) {
    let spec = HostLogSpec {
        clients: 40,
        clones: 4,
        skewed: 3,
        days: 9,
        renewal: 2 * 86_400,
        seed: 11,
        ..HostLogSpec::default()
    };
    let log = HostLog::new(spec.clone());
    let clients = log.clients().to_vec();
    let mut written: Vec<(EvtxEvent, Written)> = HostLog::new(spec).collect();
    // On the first two days some machines were refused because the count was still too low.
    let t0 = written.first().map_or(0, |(_, w)| w.time);
    for (k, i) in [5usize, 9, 13, 21].into_iter().enumerate() {
        let w = Written {
            client: i,
            time: t0 + 600 + k as i64 * 40_000,
            client_time: (t0 + 600 + k as i64 * 40_000).div_euclid(60) * 60,
            code: 0xC004_F038,
        };
        written.push((log.event(i, &w), w));
    }
    written.sort_by_key(|(_, w)| w.time);
    let path = dir.join("Key Management Service.evtx");
    let mut w = EvtxWriter::new(std::io::BufWriter::new(
        std::fs::File::create(&path).expect("create the host log"),
    ));
    for (ev, _) in &written {
        w.push(ev).expect("write an event");
    }
    w.finish().expect("finish the host log");
    let out = written
        .into_iter()
        .map(|(_, w)| (clients[w.client].name.clone(), w))
        .collect();
    (path, out)
}

/// A client's Application log: a request refused for a low count, one without an answer, one
/// that activated.
fn write_client_log(dir: &Path) -> PathBuf {
    let events = client_application_log(
        "pc-help-7.contoso.test",
        "kms01.contoso.test:1688",
        &[
            (0, Some((0xC004_F038, false, 12))),
            (0x8007_06BA, None),
            (0, Some((0, true, 27))),
        ],
        1_795_000_000,
    );
    let path = dir.join("Application.evtx");
    let mut w = EvtxWriter::new(std::io::BufWriter::new(
        std::fs::File::create(&path).expect("create the client log"),
    ));
    for ev in &events {
        w.push(ev).expect("write an event");
    }
    w.finish().expect("finish the client log");
    path
}

/// The report the server computes for an uploaded file (same library, same options).
fn events_report(path: &Path) -> Report {
    let data = std::fs::read(path).expect("read the log back");
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("upload");
    let mut an = Analyzer::new(EventOptions::default());
    volact_events::evtx::read_evtx(Cursor::new(&data[..]), name, &mut an)
        .expect("the generated log is readable");
    an.report(Lang::En)
}

/// Standard base64 (to hand a file's bytes to the page's script).
fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(char::from(T[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

// ------------------------------------------------------------------------------------------------
// Browser helpers.
// ------------------------------------------------------------------------------------------------

struct Page {
    c: Client,
    shots: PathBuf,
    base: String,
}

impl Page {
    async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.c
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Polls `expr` (a JS expression) until it is truthy; fails the test with `what` and a
    /// screenshot after [`WAIT`].
    async fn wait_for(&self, expr: &str, what: &str) {
        let start = Instant::now();
        let script = format!("return !!({expr});");
        loop {
            if let Ok(Value::Bool(true)) = self.c.execute(&script, vec![]).await {
                return;
            }
            if start.elapsed() > WAIT {
                let p = self.shot("failure").await;
                let body = self
                    .js("return document.body.innerText.slice(0, 3000)", vec![])
                    .await;
                panic!("timed out waiting for {what} ({expr}); screenshot {p}\npage text: {body}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn find(&self, css: &str) -> Element {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.expect("element text")
    }

    async fn goto(&self, path: &str) {
        self.c
            .goto(&format!("{}{path}", self.base))
            .await
            .expect("navigate");
        self.wait_for("document.querySelector('#view-home')", "the page to start")
            .await;
    }

    async fn press(&self, key: Key) {
        let k = char::from(key);
        let seq = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
        self.c.perform_actions(seq).await.expect("press a key");
    }

    async fn active_id(&self) -> String {
        self.js(
            "return document.activeElement ? (document.activeElement.id || '') : ''",
            vec![],
        )
        .await
        .as_str()
        .unwrap_or("")
        .to_owned()
    }

    /// Saves a PNG of the element `css` (or of the whole page) as `<name>.png` and returns its
    /// path. The window is made as tall as the page first, so the picture is complete.
    async fn shot_of(&self, name: &str, css: Option<&str>) -> String {
        let h = self
            .js("return document.documentElement.scrollHeight", vec![])
            .await
            .as_u64()
            .unwrap_or(1000);
        let w = self
            .js("return window.outerWidth", vec![])
            .await
            .as_u64()
            .unwrap_or(1280) as u32;
        let _ = self
            .c
            .set_window_size(w, (h as u32 + 140).clamp(600, 8000))
            .await;
        let png = match css {
            Some(css) => self.find(css).await.screenshot().await,
            None => self.c.screenshot().await,
        }
        .expect("screenshot");
        let _ = self.c.set_window_size(w, 1000).await;
        let p = self.shots.join(format!("{name}.png"));
        std::fs::write(&p, &png).expect("write a screenshot");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
        println!("screenshot: {}", p.display());
        p.display().to_string()
    }

    /// A full-page screenshot.
    async fn shot(&self, name: &str) -> String {
        self.shot_of(name, None).await
    }

    async fn set_lang(&self, lang: &str) {
        self.find("#lang")
            .await
            .select_by_value(lang)
            .await
            .expect("choose a language");
        self.wait_for(
            &format!("document.documentElement.lang === '{lang}'"),
            "the language switch",
        )
        .await;
    }

    /// Problems with labels, inline styles, button names, heading order, ids, and JavaScript
    /// values leaking into the text (`null`, `undefined`, `[object …]`) on the current view.
    async fn accessibility_problems(&self) -> Vec<String> {
        let v = self
            .js(
                r#"
const out = [];
const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
for (const el of document.querySelectorAll('input, select, textarea')) {
  const byLabel = el.labels && Array.from(el.labels).some((l) => l.textContent.trim() !== '');
  const byAria = (el.getAttribute('aria-label') || '').trim() !== '' ||
    (el.getAttribute('aria-labelledby') || '').split(/\s+/).some((id) => id && document.getElementById(id) && document.getElementById(id).textContent.trim() !== '');
  if (!byLabel && !byAria) out.push('no label: ' + el.outerHTML.slice(0, 120));
}
for (const el of document.querySelectorAll('[style]')) out.push('inline style: ' + el.outerHTML.slice(0, 120));
for (const el of document.querySelectorAll('button')) {
  if (el.textContent.trim() === '' && !(el.getAttribute('aria-label') || '').trim()) out.push('button without a name: ' + el.outerHTML.slice(0, 120));
}
for (const el of document.querySelectorAll('img')) if (!el.hasAttribute('alt')) out.push('img without alt');
for (const el of document.querySelectorAll('a[href]')) if (visible(el) && el.textContent.trim() === '' && !el.getAttribute('aria-label')) out.push('empty link: ' + el.outerHTML.slice(0, 120));
const hs = Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).filter(visible);
if (hs.filter((x) => x.tagName === 'H1').length !== 1) out.push('visible h1 count: ' + hs.filter((x) => x.tagName === 'H1').length);
let prev = 0;
for (const x of hs) { const n = +x.tagName[1]; if (prev && n > prev + 1) out.push('heading jumps from h' + prev + ' to h' + n + ': ' + x.textContent.slice(0, 60)); prev = n; }
const ids = new Set();
for (const el of document.querySelectorAll('[id]')) { if (ids.has(el.id)) out.push('duplicate id: ' + el.id); ids.add(el.id); }
if (!document.documentElement.lang) out.push('no html lang');
const text = document.body.innerText;
for (const junk of [/\bnull\b/, /\bundefined\b/, /\[object /, /\bNaN\b/]) {
  const m = junk.exec(text);
  if (m) out.push('leaked value in the text: ' + text.slice(Math.max(0, m.index - 60), m.index + 40));
}
return out;
"#,
                vec![],
            )
            .await;
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

// ------------------------------------------------------------------------------------------------
// The test.
// ------------------------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_desk_page_in_headless_chromium() {
    for bin in [CHROMIUM, CHROMEDRIVER] {
        if !Path::new(bin).exists() {
            let msg = format!(
                "{bin} is missing: install Debian's chromium and chromium-driver (.ci/setup.d/50-chromium.sh)"
            );
            if std::env::var_os("CI").is_some() {
                panic!("{msg}");
            }
            println!("skipping the browser test: {msg}");
            return;
        }
    }
    let started = Instant::now();
    let work = TempDir::new("work");
    let profile = TempDir::new("profile");

    // The server, in this process, on loopback.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let addr = listener.local_addr().expect("local address");
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(volact_server::serve(
        listener,
        volact_server::Config::default(),
        async move {
            let _ = stop_rx.await;
        },
    ));
    let server = Server {
        base: format!("http://{addr}"),
        stop: Some(stop_tx),
    };

    // chromedriver on a free loopback port.
    let port = free_port();
    let driver = Driver {
        child: Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver"),
        port,
    };
    let deadline = Instant::now() + Duration::from_secs(15);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps",
                format!("--user-data-dir={}", profile.0.display()), "--window-size=1280,1000",
                "--lang=en-US",
            ],
        },
        "goog:loggingPrefs": { "browser": "ALL" },
    });
    let caps = caps.as_object().cloned().expect("an object");
    let client = ClientBuilder::rustls()
        .expect("rustls connector")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session in Chromium");
    let session = client
        .session_id()
        .await
        .ok()
        .flatten()
        .expect("a session id");
    let page = Page {
        c: client.clone(),
        shots: screenshot_dir(),
        base: server.base.clone(),
    };

    // Runs the steps in a task so that a failed assertion still closes the browser first.
    let outcome = tokio::spawn(async move { steps(&page, port, &session, &work).await }).await;
    let _ = client.close().await;
    drop(driver);
    drop(server);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
    println!("browser test took {:.1} s", started.elapsed().as_secs_f64());
}

async fn steps(page: &Page, port: u16, session: &str, work: &TempDir) {
    // --- 1. Search in English, open the page, switch to 繁體中文 ------------------------------
    page.goto("/").await;
    page.js(
        "localStorage.setItem('volact.lang', 'en'); return 1",
        vec![],
    )
    .await;
    page.goto("/").await;
    assert_eq!(
        page.js("return document.documentElement.lang", vec![])
            .await,
        "en"
    );
    let title_home = page.c.title().await.expect("title");
    let en = explained("0xC004F074", Lang::En);
    let zh = explained("0xC004F074", Lang::ZhTw);
    page.find("#q")
        .await
        .send_keys("0xC004F074")
        .await
        .expect("type");
    page.wait_for(
        "document.querySelector('#search-results a[href=\"/code/0xC004F074\"]')",
        "0xC004F074 among the results",
    )
    .await;
    page.find("#search-results a[href=\"/code/0xC004F074\"]")
        .await
        .click()
        .await
        .expect("open the result");
    page.wait_for(
        "location.pathname === '/code/0xC004F074' && document.querySelector('.code-page .lead')",
        "the page of 0xC004F074",
    )
    .await;
    let h1 = page.text("#view-code h1").await;
    assert!(h1.contains("0xC004F074"), "{h1}");
    assert!(h1.contains(en.name.expect("a name")), "{h1}");
    let lead = page.text(".code-page .lead").await;
    assert_eq!(lead, en.message.expect("an English message"));
    let body = page.text(".code-page").await;
    for s in en
        .causes
        .iter()
        .chain(en.steps.iter())
        .chain([&en.commands[0].run])
    {
        assert!(body.contains(s), "the page lacks {s:?}");
    }
    assert_eq!(
        page.js(
            "return document.querySelectorAll('.code-page ol.steps li').length",
            vec![]
        )
        .await,
        json!(en.steps.len()),
        "every step, in a list"
    );
    assert!(
        page.js(
            "return document.querySelectorAll('.code-page button.copy').length",
            vec![]
        )
        .await
        .as_u64()
        .unwrap_or(0)
            >= 1,
        "copy buttons"
    );
    // The copy button copies and says so (button text and the polite live region).
    page.find(".code-page button.copy")
        .await
        .click()
        .await
        .expect("copy a command");
    page.wait_for(
        "document.querySelector('.code-page button.copy').textContent === 'Copied' && document.getElementById('announce').textContent !== ''",
        "the copy confirmation",
    )
    .await;
    page.shot("01-code-en").await;

    page.set_lang("zh-TW").await;
    let zh_message = zh.message.expect("a zh-TW message");
    page.wait_for(
        &format!(
            "document.querySelector('.code-page .lead') && document.querySelector('.code-page .lead').textContent === {}",
            json!(zh_message)
        ),
        "the zh-TW explanation",
    )
    .await;
    let body = page.text(".code-page").await;
    assert!(body.contains(zh.steps[0]), "zh step 1 missing");
    assert!(body.contains(zh.causes[0]), "zh cause 1 missing");
    assert_eq!(
        page.js("return localStorage.getItem('volact.lang')", vec![])
            .await,
        "zh-TW"
    );
    // The choice is remembered across loads, and deep links work.
    page.goto("/code/c004f074").await;
    page.wait_for(
        &format!(
            "document.querySelector('.code-page .lead') && document.querySelector('.code-page .lead').textContent === {}",
            json!(zh_message)
        ),
        "the zh-TW explanation after a reload of a deep link",
    )
    .await;
    assert_eq!(
        page.js("return location.pathname", vec![]).await,
        "/code/0xC004F074",
        "the address shows the canonical code"
    );
    page.shot("02-code-zh-TW").await;

    // --- 2. Keyboard only: Tab to the search box, type, arrow into the results, Enter ---------
    page.goto("/").await;
    let mut reached = false;
    for _ in 0..15 {
        page.press(Key::Tab).await;
        if page.active_id().await == "q" {
            reached = true;
            break;
        }
    }
    assert!(reached, "the search box is reachable with Tab");
    let f06c = explained("0xC004F06C", Lang::ZhTw);
    page.c
        .active_element()
        .await
        .expect("focused element")
        .send_keys("c004f06c")
        .await
        .expect("type");
    page.wait_for(
        "document.querySelector('#search-results li:first-child a[href=\"/code/0xC004F06C\"]')",
        "0xC004F06C first among the results",
    )
    .await;
    page.press(Key::Down).await;
    assert_eq!(
        page.js("return document.activeElement.getAttribute('href')", vec![])
            .await,
        "/code/0xC004F06C",
        "the Down arrow moves into the results"
    );
    page.press(Key::Enter).await;
    page.wait_for(
        &format!(
            "document.querySelector('.code-page .lead') && document.querySelector('.code-page .lead').textContent === {}",
            json!(f06c.message.expect("message"))
        ),
        "0xC004F06C opened with Enter",
    )
    .await;
    assert_eq!(
        page.js("return document.activeElement.tagName", vec![])
            .await,
        "H1",
        "focus moves to the new page's heading"
    );
    page.shot("03-keyboard").await;
    // The activation-type filter: the KMS host codes of the knowledge base, all of them.
    page.goto("/").await;
    let host_codes = volact_core::kb::list(Some(volact_core::kb::ActivationType::KmsHost)).len();
    page.find("#type")
        .await
        .select_by_value("kms-host")
        .await
        .expect("filter by type");
    page.wait_for(
        &format!("document.querySelector('#search-count').textContent.includes('{host_codes}')"),
        "the filtered count",
    )
    .await;
    if page
        .js("return !document.getElementById('show-all').hidden", vec![])
        .await
        == json!(true)
    {
        page.find("#show-all")
            .await
            .click()
            .await
            .expect("show all");
    }
    page.wait_for(
        &format!("document.querySelectorAll('#search-results a').length === {host_codes}"),
        "every KMS host code listed",
    )
    .await;
    // A code typed in decimal goes straight to its page with Enter.
    page.goto("/").await;
    page.find("#q")
        .await
        .send_keys(&format!("-1073418124{}", Key::Enter))
        .await
        .expect("type");
    page.wait_for(
        "location.pathname === '/code/0xC004F074' && document.querySelector('.code-page .lead')",
        "a decimal code opened with Enter",
    )
    .await;
    page.set_lang("en").await;
    page.wait_for(
        &format!(
            "document.querySelector('.code-page .lead') && document.querySelector('.code-page .lead').textContent === {}",
            json!(en.message.expect("message"))
        ),
        "English again",
    )
    .await;

    // A code typed in any form the API reads is a match, counted, with its button first.
    for (typed, code) in [
        ("-1073418124", "0xC004F074"),
        ("3221549172", "0xC004F074"),
        ("1722", "0x800706BA"),
        ("0x6BA", "0x800706BA"),
        ("SL_E_VL_INVALID_TIMESTAMP", "0xC004F06C"),
    ] {
        page.goto("/").await;
        page.find("#q").await.send_keys(typed).await.expect("type");
        page.wait_for(
            &format!(
                "document.querySelector('#search-results li:first-child a[href=\"/code/{code}\"]') && document.getElementById('search-count').textContent !== ''"
            ),
            &format!("{typed} opens {code}"),
        )
        .await;
        let count = page.text("#search-count").await;
        assert!(
            !count.contains("No code matches"),
            "{typed}: {count:?} above the button that opens {code}"
        );
    }
    page.shot("03b-decimal-search").await;

    // The language in the address wins, and follows the language switch.
    page.goto("/?lang=zh-TW").await;
    page.wait_for(
        "document.documentElement.lang === 'zh-TW' && document.getElementById('lang').value === 'zh-TW'",
        "zh-TW from the address",
    )
    .await;
    page.goto("/code/0xC004F074?lang=zh-TW").await;
    page.wait_for(
        &format!(
            "document.querySelector('.code-page .lead') && document.querySelector('.code-page .lead').textContent === {}",
            json!(zh.message.expect("a zh-TW message"))
        ),
        "the zh-TW explanation from the address",
    )
    .await;
    page.set_lang("en").await;
    page.wait_for(
        "new URLSearchParams(location.search).get('lang') === 'en'",
        "the address follows the language switch",
    )
    .await;
    page.wait_for(
        &format!(
            "document.querySelector('.code-page .lead') && document.querySelector('.code-page .lead').textContent === {}",
            json!(en.message.expect("message"))
        ),
        "English after the switch",
    )
    .await;
    page.goto("/?lang=en").await;
    assert_eq!(
        page.js("return document.documentElement.lang", vec![])
            .await,
        "en"
    );

    // --- 3. Paste: codes, slmgr snapshot, and a <script> that must stay text ----------------
    page.goto("/#paste").await;
    let expected =
        volact_scan::scan_str("pasted", PASTE, &volact_scan::Options::default()).report(Lang::En);
    assert!(
        expected.summary.len() >= 2,
        "the test log has codes: {:?}",
        expected.summary
    );
    assert_eq!(expected.snapshots.len(), 1, "the test log has one snapshot");
    let textarea = page.find("#paste-text").await;
    page.js(
        "arguments[0].value = arguments[1]; return 1",
        vec![
            serde_json::to_value(&textarea).expect("element reference"),
            json!(PASTE),
        ],
    )
    .await;
    page.find("#paste-go")
        .await
        .click()
        .await
        .expect("submit the paste");
    page.wait_for(
        "document.querySelector('#paste-out .snapshot') && document.querySelectorAll('#paste-out .found-code').length > 0",
        "the analysis",
    )
    .await;
    let out = page.text("#paste-out").await;
    for c in &expected.summary {
        let code = c.code.to_string();
        assert!(out.contains(&code), "found code {code} is shown");
        assert!(out.contains(&c.meaning), "meaning of {code} is shown");
    }
    assert_eq!(
        page.js(
            "return document.querySelectorAll('#paste-out .found-code').length",
            vec![]
        )
        .await,
        json!(expected.summary.len())
    );
    for d in &expected.snapshots[0].diagnosis {
        assert!(
            out.contains(&d.message),
            "diagnosis {:?} is shown",
            d.message
        );
    }
    assert!(
        out.contains("6c1c9d2e-5a7e-4d1c-9b3c-0f2d3e4a5b6c"),
        "the CMID"
    );
    assert!(out.contains("Notification"), "the license status");
    let script = "<script>window.__pwned=1;document.title='pwned'</script>";
    let shown = page.text("#paste-out .text-view").await;
    assert!(shown.contains(script), "the <script> is shown as text");
    assert_eq!(
        page.js("return typeof window.__pwned", vec![]).await,
        "undefined",
        "the pasted script did not run"
    );
    assert_eq!(page.c.title().await.expect("title"), title_home);
    assert_eq!(
        page.js("return document.scripts.length", vec![]).await,
        json!(1),
        "no script element was added"
    );
    assert!(
        !out.contains("ABCDE-FGHIJ-KLMNO-PQRST-VWXY2"),
        "the product key is masked"
    );
    assert!(out.contains("*****-*****-*****-*****-VWXY2"), "masked key");
    page.js(
        "document.getElementById('paste').scrollIntoView(); return 1",
        vec![],
    )
    .await;
    page.shot_of("04-paste", Some("#paste")).await;

    // A KMS host's snapshot: its port is a number that names, not one that counts.
    let textarea = page.find("#paste-text").await;
    page.js(
        "arguments[0].value = arguments[1]; return 1",
        vec![
            serde_json::to_value(&textarea).expect("element reference"),
            json!(HOST_DLI),
        ],
    )
    .await;
    page.find("#paste-go")
        .await
        .click()
        .await
        .expect("submit the host snapshot");
    page.wait_for(
        "Array.from(document.querySelectorAll('#paste-out dt')).some((d) => d.textContent === 'Listening port')",
        "the KMS host's snapshot",
    )
    .await;
    let facts = page
        .js(
            "const v = (name) => { const d = Array.from(document.querySelectorAll('#paste-out dt')).find((x) => x.textContent === name); return d ? d.nextElementSibling.textContent : null; }; return [v('Listening port'), v('Total requests')]",
            vec![],
        )
        .await;
    assert_eq!(
        facts[0], "1688",
        "the port, without a group separator: {facts}"
    );
    assert_eq!(facts[1], "14,000", "a count keeps its separator: {facts}");
    page.shot_of("04b-paste-host", Some("#paste")).await;

    // --- 4. Upload a host log: count, failing clients, the per-day chart ---------------------
    let (host_path, written) = write_host_log(&work.0);
    let report = events_report(&host_path);
    let host = report.host.as_ref().expect("a host view");
    let count = host.count.as_ref().expect("a count").count;
    let failing: BTreeSet<String> = host
        .clients
        .iter()
        .filter(|c| {
            c.last_code.as_ref().is_some_and(|k| k.code.value() != 0)
                || c.codes.iter().any(|k| k.code.value() != 0)
        })
        .map(|c| c.name.clone())
        .collect();
    // The generator's own record agrees about who failed.
    let failing_written: BTreeSet<String> = written
        .iter()
        .filter(|(_, w)| w.code != 0)
        .map(|(n, _)| n.clone())
        .collect();
    assert_eq!(failing, failing_written, "the test data is what it says");
    assert!(!failing.is_empty() && failing.len() < 500);
    let report_json = serde_json::to_value(&report).expect("report JSON");
    let per_day = report_json["host"]["per_day"].as_array().cloned();

    page.find("#file")
        .await
        .send_keys(&host_path.display().to_string())
        .await
        .expect("choose the host log");
    page.wait_for(
        "document.querySelector('#upload-out .host-report')",
        "the host report",
    )
    .await;
    let big = page.text("#upload-out .count .big").await;
    assert!(
        big.contains(&count.to_string()),
        "count {count} shown in {big:?}"
    );
    let names = page
        .js(
            "return Array.from(document.querySelectorAll('#upload-out table.failing-clients tbody tr > :first-child')).map((x) => x.textContent)",
            vec![],
        )
        .await;
    let names: BTreeSet<String> = names
        .as_array()
        .expect("names")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    assert_eq!(names, failing, "the failing clients table");
    let rows = page
        .js(
            "return document.querySelectorAll('#upload-out table.failing-clients tbody tr').length",
            vec![],
        )
        .await;
    assert_eq!(rows, json!(failing.len()), "one row per failing client");
    let up = page.text("#upload-out").await;
    assert!(up.contains("0xC004F06C"), "the skew code is listed");
    for s in &host.skewed {
        assert!(up.contains(&s.name), "skewed client {} listed", s.name);
    }
    match per_day {
        Some(days) => {
            assert!(days.len() >= 2, "several days");
            let groups = page
                .js(
                    "return document.querySelectorAll('#upload-out svg.chart g.day').length",
                    vec![],
                )
                .await;
            assert_eq!(groups, json!(days.len()), "one bar group per day");
            let segs = page
                .js(
                    "return ['activated','count_too_low','failed'].map((k) => document.querySelectorAll('#upload-out svg.chart rect.seg-' + k).length)",
                    vec![],
                )
                .await;
            let nonzero = |k: &str| {
                days.iter()
                    .filter(|d| d[k].as_u64().unwrap_or(0) > 0)
                    .count()
            };
            assert_eq!(
                segs,
                json!([
                    nonzero("activated"),
                    nonzero("count_too_low"),
                    nonzero("failed")
                ]),
                "one segment per non-empty outcome and day"
            );
            let a11y = page
                .js(
                    "const s = document.querySelector('#upload-out svg.chart'); return [s.getAttribute('role'), !!s.querySelector('title'), (s.querySelector('desc') || {}).textContent || '', document.querySelectorAll('#upload-out .chart-data tbody tr').length]",
                    vec![],
                )
                .await;
            assert_eq!(a11y[0], "img");
            assert_eq!(a11y[1], true);
            assert!(
                a11y[2]
                    .as_str()
                    .unwrap_or("")
                    .contains(&days.len().to_string()),
                "the description says how many days"
            );
            assert_eq!(
                a11y[3],
                json!(days.len().min(400)),
                "the chart's table has the days"
            );
        }
        None => println!("note: host.per_day is not in the events report yet; chart not checked"),
    }
    page.js(
        "document.getElementById('upload').scrollIntoView(); return 1",
        vec![],
    )
    .await;
    page.shot_of("05-upload-host", Some("#upload")).await;

    // A client log shows the client's attempts.
    let client_path = write_client_log(&work.0);
    let creport = events_report(&client_path);
    let cv = creport.client.as_ref().expect("a client view");
    page.find("#file")
        .await
        .send_keys(&client_path.display().to_string())
        .await
        .expect("choose the client log");
    page.wait_for(
        "document.querySelector('#upload-out .client-report')",
        "the client report",
    )
    .await;
    let rows = page
        .js(
            "return document.querySelectorAll('#upload-out .client-report table tbody tr').length",
            vec![],
        )
        .await
        .as_u64()
        .unwrap_or(0);
    assert!(
        rows as usize >= cv.attempts.len(),
        "attempts are listed: {rows} rows for {} attempts",
        cv.attempts.len()
    );
    let up = page.text("#upload-out .client-report").await;
    assert!(up.contains("0xC004F038"), "the refusal code");
    assert!(up.contains("no response"), "the unanswered request");
    page.shot_of("06-upload-client", Some("#upload")).await;
    // Switching the language asks for the report again, in that language.
    let zh_report = {
        let data = std::fs::read(&client_path).expect("read the log back");
        let mut an = Analyzer::new(EventOptions::default());
        volact_events::evtx::read_evtx(Cursor::new(&data[..]), "Application.evtx", &mut an)
            .expect("readable");
        an.report(Lang::ZhTw)
    };
    let zh_summary = zh_report
        .client
        .as_ref()
        .and_then(|c| c.codes.iter().find(|k| k.code.value() == 0xC004_F038))
        .map(|k| k.summary.clone())
        .expect("the refusal in the zh-TW report");
    page.set_lang("zh-TW").await;
    page.wait_for(
        &format!(
            "document.querySelector('#upload-out .client-report') && document.querySelector('#upload-out .client-report').textContent.includes({})",
            json!(zh_summary)
        ),
        "the client report in zh-TW",
    )
    .await;
    page.set_lang("en").await;
    page.wait_for(
        "document.querySelector('#upload-out .client-report') && document.querySelector('#upload-out .client-report').textContent.includes('no response')",
        "the client report in English again",
    )
    .await;
    // Drag and drop: a file dropped on the box is analysed like a chosen one.
    let bytes = std::fs::read(&client_path).expect("read the client log");
    page.js(
        "const bin = atob(arguments[0]); const a = new Uint8Array(bin.length);
         for (let i = 0; i < bin.length; i++) a[i] = bin.charCodeAt(i);
         const dt = new DataTransfer();
         dt.items.add(new File([a], 'dropped-Application.evtx', { type: 'application/octet-stream' }));
         const box = document.getElementById('drop');
         box.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
         box.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
         return 1",
        vec![json!(base64(&bytes))],
    )
    .await;
    page.wait_for(
        "document.querySelector('#upload-out h3') && document.querySelector('#upload-out h3').textContent.includes('dropped-Application.evtx') && document.querySelector('#upload-out .client-report')",
        "the report of the dropped file",
    )
    .await;

    // --- 5. Accessibility basics, headers, console ------------------------------------------
    let problems = page.accessibility_problems().await;
    assert!(problems.is_empty(), "home view: {problems:#?}");
    page.goto("/code/0xC004F074").await;
    page.wait_for(
        "document.querySelector('.code-page .lead')",
        "the code page",
    )
    .await;
    let problems = page.accessibility_problems().await;
    assert!(problems.is_empty(), "code view: {problems:#?}");
    // An error from the API is shown in a visible alert.
    page.goto("/code/not-a-code").await;
    page.wait_for(
        "!document.getElementById('error').hidden",
        "an error message",
    )
    .await;
    let role = page
        .js("const e = document.getElementById('error'); return [e.getAttribute('role'), e.getAttribute('aria-live'), e.textContent]", vec![])
        .await;
    assert_eq!(role[0], "alert");
    assert_eq!(role[1], "assertive");
    let shown = role[2].as_str().unwrap_or("");
    assert!(
        shown.contains("bad_code") && !shown.contains("[object"),
        "the error kind and message are shown as text: {shown}"
    );
    page.shot("07-error").await;
    // A narrow screen: nothing wider than the window.
    page.goto("/code/0xC004F074").await;
    page.wait_for(
        "document.querySelector('.code-page .lead')",
        "the code page",
    )
    .await;
    page.c
        .set_window_size(390, 844)
        .await
        .expect("narrow window");
    let widths = page
        .js(
            "const d = document.documentElement; return [d.clientWidth, d.scrollWidth - d.clientWidth]",
            vec![],
        )
        .await;
    let (width, overflow) = (
        widths[0].as_i64().unwrap_or(0),
        widths[1].as_i64().unwrap_or(0),
    );
    assert!(width <= 400, "the window really is narrow: {width}px");
    assert!(
        overflow <= 0,
        "horizontal overflow of {overflow}px on a {width}px screen"
    );
    page.shot("08-narrow").await;
    page.c
        .set_window_size(1280, 1000)
        .await
        .expect("window size");

    // --- Products: an Activation ID names its edition; whole GVLKs only when asked; 繁體中文 ---
    page.goto("/#products").await;
    page.set_lang("en").await;
    let out = products(
        page,
        Some("2d5a5a60-3040-48bf-beb0-fcd770c20ce0"),
        "table.products",
    )
    .await;
    assert!(out.contains("Windows 10 Enterprise LTSB 2016"), "{out}");
    assert!(out.contains("QJ4BJ"), "the key's tail: {out}");
    let whole = "DCPHK-NFMTC-H88MJ-PFHPY-QJ4BJ";
    assert!(!out.contains(whole), "no whole key unasked: {out}");
    assert!(out.contains("KB5034768"), "host updates: {out}");
    page.find("#products-gvlk")
        .await
        .click()
        .await
        .expect("tick GVLKs");
    let out = products(page, None, "table.products").await;
    assert!(out.contains(whole), "the whole GVLK: {out}");
    page.set_lang("zh-TW").await;
    let out = products(page, None, "table.products").await;
    assert!(out.contains("需先安裝 KB5034768"), "{out}");
    let a11y = page.accessibility_problems().await;
    assert_eq!(a11y, Vec::<String>::new(), "products");
    page.find("#products-q").await.clear().await.expect("clear");
    let out = products(page, Some("Windows 95"), "#products-count").await;
    assert_eq!(out, "沒有符合的產品。");
    page.shot("09-products-zh").await;
    page.set_lang("en").await;

    // The headers of the page itself, as the browser received them.
    let headers = page
        .c
        .execute_async(
            "const done = arguments[arguments.length - 1]; fetch('/').then((r) => done([r.headers.get('content-security-policy'), r.headers.get('x-content-type-options'), r.headers.get('content-type')])).catch((e) => done(String(e)))",
            vec![],
        )
        .await
        .expect("fetch the page headers");
    let csp = headers[0].as_str().unwrap_or("");
    assert!(csp.contains("default-src 'none'"), "CSP: {headers}");
    assert!(csp.contains("script-src 'self'"), "CSP: {headers}");
    assert!(!csp.contains("unsafe-inline"), "CSP: {headers}");
    assert_eq!(headers[1], "nosniff");
    assert!(headers[2].as_str().unwrap_or("").starts_with("text/html"));

    // The browser console: the log is captured (a probe shows up) and has no CSP violation
    // and no error.
    page.js("console.warn('volact-log-probe'); return 1", vec![])
        .await;
    let log = driver_request(
        port,
        "POST",
        &format!("/session/{session}/se/log"),
        Some(&json!({"type": "browser"})),
    )
    .expect("read the browser log from chromedriver");
    let entries = log["value"].as_array().cloned().unwrap_or_default();
    assert!(
        entries.iter().any(|e| e["message"]
            .as_str()
            .unwrap_or("")
            .contains("volact-log-probe")),
        "the browser log is readable: {log}"
    );
    let bad: Vec<&Value> = entries
        .iter()
        .filter(|e| {
            let m = e["message"].as_str().unwrap_or("");
            e["level"] == "SEVERE"
                || m.contains("Content Security Policy")
                || m.contains("Refused to")
        })
        .collect();
    // 400 answers the page asked for on purpose (the bad code) are logged by Chromium as
    // network errors; anything else is a problem.
    let bad: Vec<&Value> = bad
        .into_iter()
        .filter(|e| {
            !e["message"]
                .as_str()
                .unwrap_or("")
                .contains("/api/v1/codes/not-a-code")
        })
        .collect();
    assert!(bad.is_empty(), "console errors: {bad:#?}");
}

/// Types `query` (if any) into the products search, asks, waits for `css` in the answer and returns
/// the text of the answer.
async fn products(page: &Page, query: Option<&str>, css: &str) -> String {
    page.js(
        "document.getElementById('products-out').replaceChildren(); return 1",
        vec![],
    )
    .await;
    if let Some(q) = query {
        let input = page.find("#products-q").await;
        input.send_keys(q).await.expect("type a search");
    }
    let go = page.find("#products-go").await;
    go.click().await.expect("find products");
    let answered = format!("document.querySelector('#products-out {css}')");
    page.wait_for(&answered, "the products answer").await;
    page.text("#products-out").await
}

// ------------------------------------------------------------------------------------------------
// Colour contrast of the stylesheet, light and dark (no browser needed).
// ------------------------------------------------------------------------------------------------

/// The `--name: #rrggbb` custom properties of the first block that starts with `start`.
fn css_colours(css: &str, start: &str) -> std::collections::HashMap<String, [u8; 3]> {
    let from = css
        .find(start)
        .unwrap_or_else(|| panic!("{start} in app.css"));
    let block = &css[from..from + css[from..].find('}').expect("block end")];
    let mut out = std::collections::HashMap::new();
    for line in block.lines() {
        let line = line.trim();
        let Some(rest) = line.strip_prefix("--") else {
            continue;
        };
        let Some((name, value)) = rest.split_once(':') else {
            continue;
        };
        let v = value.trim().trim_end_matches(';');
        if let Some(hex) = v.strip_prefix('#').filter(|h| h.len() == 6) {
            let b = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex colour");
            out.insert(name.trim().to_owned(), [b(0), b(2), b(4)]);
        }
    }
    out
}

/// WCAG 2 contrast ratio.
fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let lum = |c: [u8; 3]| {
        let ch = |v: u8| {
            let x = f64::from(v) / 255.0;
            if x <= 0.039_28 {
                x / 12.92
            } else {
                ((x + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn base64_matches_the_standard() {
    assert_eq!(base64(b""), "");
    assert_eq!(base64(b"f"), "Zg==");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foo"), "Zm9v");
    assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    assert_eq!(base64(&[0xFF, 0xEE]), "/+4=");
}

#[test]
fn stylesheet_colours_have_enough_contrast() {
    let css = include_str!("../assets/app.css");
    // Text on the backgrounds it is used on: at least 4.5:1.
    let text = [
        ("fg", "bg"),
        ("fg", "panel"),
        ("fg", "card"),
        ("fg", "hit-bg"),
        ("fg", "bad-bg"),
        ("fg", "warn-bg"),
        ("muted", "bg"),
        ("muted", "panel"),
        ("muted", "card"),
        ("muted", "warn-bg"),
        ("link", "bg"),
        ("link", "panel"),
        ("link", "card"),
        ("link", "warn-bg"),
        ("link", "bad-bg"),
        ("link", "hit-bg"),
        ("link-visited", "bg"),
        ("accent-fg", "accent"),
        ("bad", "bad-bg"),
        ("bad", "bg"),
        ("bad", "panel"),
        ("warn", "warn-bg"),
        ("warn", "bg"),
        ("ok", "ok-bg"),
        ("ok", "bg"),
        ("ok", "panel"),
        ("mark-fg", "hit-bg"),
    ];
    // Borders, focus rings and chart shapes: at least 3:1.
    let shapes = [
        ("border", "bg"),
        ("border", "panel"),
        ("focus", "bg"),
        ("focus", "panel"),
        ("focus", "card"),
        ("accent", "bg"),
        ("bar-ok", "card"),
        ("bar-failed", "card"),
        ("bar-low-fg", "card"),
        ("bar-low-fg", "bar-low-bg"),
        ("bar-failed-dot", "bar-failed"),
        ("bar-other-fg", "card"),
    ];
    let mut failures = Vec::new();
    for (scheme, start) in [("light", ":root {"), ("dark", "  :root {")] {
        let c = css_colours(css, start);
        for (pairs, min) in [(&text[..], 4.5), (&shapes[..], 3.0)] {
            for (fg, bg) in pairs {
                let (Some(a), Some(b)) = (c.get(*fg), c.get(*bg)) else {
                    failures.push(format!(
                        "{scheme}: --{fg} or --{bg} is not a #rrggbb colour"
                    ));
                    continue;
                };
                let r = contrast(*a, *b);
                if r < min {
                    failures.push(format!(
                        "{scheme}: --{fg} on --{bg} is {r:.2}:1, below {min}:1"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Both schemes were really read.
    assert!(css_colours(css, "  :root {").len() >= 20);
    assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 0.01);
}
