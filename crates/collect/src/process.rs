//! Running a read-only command with a time limit and bounded output.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Most bytes kept from one stream; the rest is read and dropped so the child never blocks.
pub const MAX_OUTPUT: usize = 16 * 1024 * 1024;

/// What a finished (or stopped) command left.
#[derive(Debug, Clone)]
pub struct RunOutput {
    /// The exit code, `None` when it was killed or ended by a signal.
    pub exit_code: Option<i32>,
    /// Standard output, at most [`MAX_OUTPUT`] bytes.
    pub stdout: Vec<u8>,
    /// Standard error, at most [`MAX_OUTPUT`] bytes.
    pub stderr: Vec<u8>,
    /// Whether the time limit was reached and the command was killed.
    pub timed_out: bool,
    /// Whether output beyond [`MAX_OUTPUT`] was dropped.
    pub truncated: bool,
}

/// Runs `cmd` with no standard input, waiting at most `limit`.
///
/// # Errors
/// When the program cannot be started (not found, no permission).
pub fn run(mut cmd: Command, limit: Duration) -> std::io::Result<RunOutput> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    let out = child.stdout.take().map(reader);
    let err = child.stderr.take().map(reader);
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break Some(s);
        }
        if start.elapsed() >= limit {
            timed_out = true;
            let _ = child.kill();
            break child.wait().ok();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    // A grandchild may still hold the pipes open after a kill: wait a little, then take what
    // was read so far and leave the reader thread behind.
    let wait_until = Instant::now() + Duration::from_secs(2);
    let take = |s: Option<Stream>| match s {
        Some(s) => {
            while !s.1.is_finished() && Instant::now() < wait_until {
                std::thread::sleep(Duration::from_millis(10));
            }
            s.0.lock().map(|g| g.clone()).unwrap_or_default()
        }
        None => (Vec::new(), false),
    };
    let (stdout, t1) = take(out);
    let (stderr, t2) = take(err);
    Ok(RunOutput {
        exit_code: if timed_out {
            None
        } else {
            status.and_then(|s| s.code())
        },
        stdout,
        stderr,
        timed_out,
        truncated: t1 || t2,
    })
}

type Shared = std::sync::Arc<std::sync::Mutex<(Vec<u8>, bool)>>;
type Stream = (Shared, std::thread::JoinHandle<()>);

fn reader(mut r: impl Read + Send + 'static) -> Stream {
    let shared: Shared = Default::default();
    let mine = shared.clone();
    let handle = std::thread::spawn(move || {
        let mut buf = [0u8; 64 * 1024];
        loop {
            match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    let Ok(mut g) = mine.lock() else { break };
                    let room = MAX_OUTPUT - g.0.len();
                    if n > room {
                        g.1 = true;
                    }
                    g.0.extend_from_slice(&buf[..n.min(room)]);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
    });
    (shared, handle)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.args(["-c", script]);
        c
    }

    #[test]
    fn exit_code_and_both_streams() {
        let o = run(
            sh("echo out; echo err >&2; exit 3"),
            Duration::from_secs(20),
        )
        .unwrap();
        assert_eq!(o.exit_code, Some(3));
        assert_eq!(o.stdout, b"out\n");
        assert_eq!(o.stderr, b"err\n");
        assert!(!o.timed_out);
    }

    #[test]
    fn a_hanging_command_is_killed() {
        let t = Instant::now();
        let o = run(
            sh("echo started; exec sleep 30"),
            Duration::from_millis(300),
        )
        .unwrap();
        assert!(o.timed_out);
        assert_eq!(o.stdout, b"started\n");
        assert_eq!(o.exit_code, None);
        assert!(t.elapsed() < Duration::from_secs(20));
    }

    #[test]
    fn a_missing_program_is_an_error() {
        let e = run(
            Command::new("/nonexistent/volact-test-program"),
            Duration::from_secs(5),
        )
        .unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::NotFound);
    }
}
