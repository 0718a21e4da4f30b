//! The access log: one line per request (time, method, path with keys redacted, status, bytes,
//! milliseconds). Never a body, never a header. Lines go through a bounded channel to one thread
//! that writes them to standard error through a buffer, flushed whenever the channel runs dry, so
//! a request never waits for the terminal. When the writer cannot keep up (standard error blocked
//! or slow), lines beyond [`LOG_QUEUE`] waiting ones are dropped and counted; the count is
//! written as soon as the writer catches up, and at exit.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{Method, StatusCode};
use volact_core::Lang;

/// Most access-log lines waiting for the writer (about 2 MiB at most).
pub const LOG_QUEUE: usize = 8192;

/// A writer for the access log (tests use one that blocks).
pub type SharedWriter = Arc<Mutex<Option<Box<dyn Write + Send>>>>;

/// Where access-log lines go.
#[derive(Clone, Default)]
pub enum AccessLog {
    /// Nowhere (`volact serve --quiet`; the library default).
    #[default]
    Off,
    /// Standard error, buffered.
    Stderr,
    /// Kept in memory (for tests).
    Memory(Arc<Mutex<Vec<String>>>),
    /// A writer of the caller's, taken by the log thread when the server starts, written
    /// as standard error is.
    Writer(SharedWriter),
}

impl std::fmt::Debug for AccessLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AccessLog::Off => "Off",
            AccessLog::Stderr => "Stderr",
            AccessLog::Memory(_) => "Memory",
            AccessLog::Writer(_) => "Writer",
        })
    }
}

/// The line saying how many lines were dropped.
fn dropped_line(n: u64, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{} volact: {n} access-log line(s) dropped: standard error did not keep up\n",
            utc_now()
        ),
        Lang::ZhTw => format!(
            "{} volact：標準錯誤輸出跟不上，已捨棄 {n} 行存取記錄\n",
            utc_now()
        ),
    }
}

/// The channel to the writer thread.
pub(crate) struct Channel {
    tx: Option<mpsc::SyncSender<String>>,
    dropped: Arc<AtomicU64>,
    done: Option<Mutex<mpsc::Receiver<()>>>,
}

impl std::fmt::Debug for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Channel")
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        // The writer ends once every line is out; it reports what was dropped. Wait a moment
        // for it, never for ever (standard error may be blocked).
        drop(self.tx.take());
        if let Some(done) = self.done.take()
            && let Ok(done) = done.into_inner()
        {
            let _ = done.recv_timeout(Duration::from_secs(2));
        }
    }
}

/// The running logger.
#[derive(Debug)]
pub(crate) enum Logger {
    Off,
    Channel(Channel),
    Memory(Arc<Mutex<Vec<String>>>),
}

fn writer_thread(
    mut w: Box<dyn Write + Send>,
    rx: mpsc::Receiver<String>,
    dropped: Arc<AtomicU64>,
    done: mpsc::Sender<()>,
    lang: Lang,
) {
    let report = |w: &mut dyn Write| {
        let n = dropped.swap(0, Ordering::AcqRel);
        if n > 0 {
            let _ = w.write_all(dropped_line(n, lang).as_bytes());
        }
    };
    while let Ok(line) = rx.recv() {
        let _ = w.write_all(line.as_bytes());
        while let Ok(more) = rx.try_recv() {
            let _ = w.write_all(more.as_bytes());
        }
        // Caught up: say what could not be written meanwhile.
        report(&mut *w);
        let _ = w.flush();
    }
    report(&mut *w);
    let _ = w.flush();
    let _ = done.send(());
}

impl Logger {
    pub(crate) fn start(cfg: &AccessLog, lang: Lang) -> Self {
        let w: Box<dyn Write + Send> = match cfg {
            AccessLog::Off => return Logger::Off,
            AccessLog::Memory(m) => return Logger::Memory(m.clone()),
            AccessLog::Stderr => Box::new(std::io::BufWriter::with_capacity(
                64 * 1024,
                std::io::stderr(),
            )),
            AccessLog::Writer(shared) => match shared.lock().ok().and_then(|mut g| g.take()) {
                Some(w) => w,
                None => return Logger::Off,
            },
        };
        let (tx, rx) = mpsc::sync_channel::<String>(LOG_QUEUE);
        let (done_tx, done_rx) = mpsc::channel();
        let dropped = Arc::new(AtomicU64::new(0));
        let d = dropped.clone();
        let spawned = std::thread::Builder::new()
            .name("volact-access-log".into())
            .spawn(move || writer_thread(w, rx, d, done_tx, lang));
        match spawned {
            Ok(_) => Logger::Channel(Channel {
                tx: Some(tx),
                dropped,
                done: Some(Mutex::new(done_rx)),
            }),
            Err(_) => Logger::Off,
        }
    }

    pub(crate) fn enabled(&self) -> bool {
        !matches!(self, Logger::Off)
    }

    /// Logs one request. `path` is the path and query as received; it is decoded and keys in it
    /// are redacted here (the decoded form is logged when it held a key).
    pub(crate) fn log(
        &self,
        method: &Method,
        path: &str,
        status: StatusCode,
        bytes: Option<u64>,
        took: Duration,
    ) {
        if !self.enabled() {
            return;
        }
        let decoded = crate::redact::percent_decode(path);
        let path = match crate::redact::scrub(&decoded) {
            std::borrow::Cow::Owned(masked) => masked,
            std::borrow::Cow::Borrowed(_) => volact_core::key::redact_keys_in(path).into_owned(),
        };
        // Control characters would let a client forge log lines.
        let path: String = path
            .chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .take(2048)
            .collect();
        let bytes = bytes.map_or_else(|| "-".to_owned(), |b| b.to_string());
        let line = format!(
            "{} {method} {path} {} {bytes} {:.1}ms\n",
            utc_now(),
            status.as_u16(),
            took.as_secs_f64() * 1000.0
        );
        match self {
            Logger::Off => {}
            Logger::Channel(c) => {
                if let Some(tx) = &c.tx
                    && let Err(mpsc::TrySendError::Full(_)) = tx.try_send(line)
                {
                    c.dropped.fetch_add(1, Ordering::AcqRel);
                }
            }
            Logger::Memory(m) => {
                if let Ok(mut m) = m.lock() {
                    m.push(line);
                }
            }
        }
    }
}

/// `2026-11-24T16:50:00Z`.
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    volact_core::event::Timestamp::from_unix(secs, true).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_line_redacts_keys_and_control_characters() {
        let mem = Arc::new(Mutex::new(Vec::new()));
        let l = Logger::start(&AccessLog::Memory(mem.clone()), Lang::En);
        l.log(
            &Method::GET,
            "/api/v1/codes/ABCDE-FGHIJ-KLMNO-PQRST-VWXY2\r\nforged",
            StatusCode::BAD_REQUEST,
            Some(12),
            Duration::from_micros(1500),
        );
        let lines = mem.lock().unwrap();
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert!(!line.contains("ABCDE"), "{line}");
        assert!(
            line.contains("*****-*****-*****-*****-VWXY2??forged 400 12 1.5ms\n"),
            "{line}"
        );
        assert_eq!(line.matches('\n').count(), 1);
    }

    #[test]
    fn escaped_and_full_width_keys_in_the_path_are_masked() {
        let mem = Arc::new(Mutex::new(Vec::new()));
        let l = Logger::start(&AccessLog::Memory(mem.clone()), Lang::En);
        for p in [
            "/api/v1/codes/BCDFG%2DHJKMN%2DPQRTV%2DWXY23%2D46789",
            "/api/v1/codes?q=BCDFG%09-HJKMN-PQRTV-WXY23-46789",
            "/api/v1/codes?q=BCDFG+HJKMN+PQRTV+WXY23+46789",
            "/api/v1/codes/%EF%BC%A2%EF%BC%A3%EF%BC%A4%EF%BC%A6%EF%BC%A7%EF%BC%8DHJKMN-PQRTV-WXY23-46789",
            "/api/v1/codes/ＢＣＤＦＧ－ＨＪＫＭＮ－ＰＱＲＴＶ－ＷＸＹ２３－４６７８９",
        ] {
            l.log(&Method::GET, p, StatusCode::OK, None, Duration::ZERO);
        }
        let lines = mem.lock().unwrap();
        assert_eq!(lines.len(), 5);
        for line in lines.iter() {
            for g in [
                "BCDFG",
                "HJKMN",
                "PQRTV",
                "WXY23",
                "ＢＣＤ",
                "%EF%BC%A2",
                "ＨＪＫ",
            ] {
                assert!(!line.contains(g), "{line}");
            }
            assert!(
                line.contains("46789") || line.contains("４６７８９"),
                "{line}"
            );
        }
    }

    /// A writer that blocks until opened, like standard error piped to a process that stopped
    /// reading.
    struct Gate {
        state: Arc<(Mutex<(bool, bool)>, std::sync::Condvar)>,
        out: Arc<Mutex<Vec<u8>>>,
    }

    impl Write for Gate {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            let (m, cv) = &*self.state;
            let mut g = m.lock().unwrap();
            g.1 = true; // a write has started
            cv.notify_all();
            while !g.0 {
                g = cv.wait(g).unwrap();
            }
            self.out.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_blocked_writer_drops_lines_beyond_the_queue_and_counts_them() {
        let state = Arc::new((Mutex::new((false, false)), std::sync::Condvar::new()));
        let out = Arc::new(Mutex::new(Vec::new()));
        let gate = Gate {
            state: state.clone(),
            out: out.clone(),
        };
        let shared: SharedWriter = Arc::new(Mutex::new(Some(Box::new(gate))));
        let l = Logger::start(&AccessLog::Writer(shared), Lang::En);
        let line = |l: &Logger, i: usize| {
            l.log(
                &Method::GET,
                &format!("/healthz?n={i}"),
                StatusCode::OK,
                Some(30),
                Duration::ZERO,
            );
        };
        // The first line reaches the writer, which blocks on it.
        line(&l, 0);
        {
            let (m, cv) = &*state;
            let mut g = m.lock().unwrap();
            while !g.1 {
                g = cv.wait(g).unwrap();
            }
        }
        let total = LOG_QUEUE * 4;
        for i in 1..total {
            line(&l, i);
        }
        let Logger::Channel(c) = &l else {
            panic!("a channel")
        };
        let dropped = (total - 1 - LOG_QUEUE) as u64;
        assert_eq!(
            c.dropped.load(Ordering::Acquire),
            dropped,
            "lines beyond the queue"
        );
        // The writer catches up; at exit (drop) everything queued is written, and the count.
        {
            let (m, cv) = &*state;
            m.lock().unwrap().0 = true;
            cv.notify_all();
        }
        drop(l);
        let text = String::from_utf8(out.lock().unwrap().clone()).unwrap();
        let written = text
            .lines()
            .filter(|l| l.contains(" GET /healthz?n="))
            .count();
        assert_eq!(
            written,
            1 + LOG_QUEUE,
            "{}",
            &text[text.len().saturating_sub(300)..]
        );
        assert!(
            text.contains(&format!("volact: {dropped} access-log line(s) dropped")),
            "{}",
            &text[text.len().saturating_sub(300)..]
        );
        assert_eq!(
            written as u64 + dropped,
            total as u64,
            "every line accounted for"
        );
    }

    #[test]
    fn utc_dates() {
        let s = utc_now();
        assert_eq!(s.len(), 20, "{s}");
        assert!(s.starts_with("20"), "{s}");
    }
}
