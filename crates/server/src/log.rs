//! The access log: one line per request (time, method, path with keys redacted, status, bytes,
//! milliseconds). Never a body, never a header. Lines go through a channel to one thread that
//! writes them to standard error through a buffer, flushed whenever the channel runs dry, so a
//! request never waits for the terminal.

use std::io::Write;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{Method, StatusCode};

/// Where access-log lines go.
#[derive(Debug, Clone, Default)]
pub enum AccessLog {
    /// Nowhere (`volact serve --quiet`; the library default).
    #[default]
    Off,
    /// Standard error, buffered.
    Stderr,
    /// Kept in memory (for tests).
    Memory(Arc<Mutex<Vec<String>>>),
}

/// The running logger.
#[derive(Debug)]
pub(crate) enum Logger {
    Off,
    Channel(mpsc::Sender<String>),
    Memory(Arc<Mutex<Vec<String>>>),
}

impl Logger {
    pub(crate) fn start(cfg: &AccessLog) -> Self {
        match cfg {
            AccessLog::Off => Logger::Off,
            AccessLog::Memory(m) => Logger::Memory(m.clone()),
            AccessLog::Stderr => {
                let (tx, rx) = mpsc::channel::<String>();
                let spawned = std::thread::Builder::new()
                    .name("volact-access-log".into())
                    .spawn(move || {
                        let mut w = std::io::BufWriter::with_capacity(64 * 1024, std::io::stderr());
                        while let Ok(line) = rx.recv() {
                            let _ = w.write_all(line.as_bytes());
                            while let Ok(more) = rx.try_recv() {
                                let _ = w.write_all(more.as_bytes());
                            }
                            let _ = w.flush();
                        }
                    });
                match spawned {
                    Ok(_) => Logger::Channel(tx),
                    Err(_) => Logger::Off,
                }
            }
        }
    }

    pub(crate) fn enabled(&self) -> bool {
        !matches!(self, Logger::Off)
    }

    /// Logs one request. `path` is the path and query as received; keys in it are redacted here.
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
        let path = volact_core::key::redact_keys_in(path);
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
            Logger::Channel(tx) => {
                let _ = tx.send(line);
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
        let l = Logger::start(&AccessLog::Memory(mem.clone()));
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
    fn utc_dates() {
        let s = utc_now();
        assert_eq!(s.len(), 20, "{s}");
        assert!(s.starts_with("20"), "{s}");
    }
}
