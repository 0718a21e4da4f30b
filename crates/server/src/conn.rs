//! Connections: the open-file limit, the cap on open connections (the oldest idle one is closed
//! first when the cap is reached), and write deadlines (a client that stops reading, or reads a
//! response too slowly, is disconnected).

use std::collections::HashMap;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, ready};
use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::Notify;
use tokio::time::Sleep;

/// Raises the soft limit of open files to the hard limit where the system allows it, and returns
/// the soft limit in force afterwards (`None` where there is no such limit, as on Windows, whose
/// sockets are not counted against one).
pub fn raise_fd_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let now = getrlimit(Resource::Nofile);
        let soft = now.current?;
        // The hard limit first; some systems refuse it when it is unlimited or above what the
        // kernel allows (Linux's nr_open, macOS's OPEN_MAX), so smaller steps follow.
        let hard = now.maximum.unwrap_or(u64::MAX);
        let mut wanted: Vec<u64> = now.maximum.into_iter().collect();
        wanted.extend([1 << 20, 65_536, 10_240]);
        for w in wanted {
            if w <= soft || w > hard {
                continue;
            }
            let ok = setrlimit(
                Resource::Nofile,
                Rlimit {
                    current: Some(w),
                    maximum: now.maximum,
                },
            )
            .is_ok();
            if ok {
                break;
            }
        }
        getrlimit(Resource::Nofile).current
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The connection cap for an open-file limit: below the limit by an eighth (at least 64), so that
/// analyses, network checks and the log always have descriptors left.
pub fn connection_cap(wanted: usize, fd_limit: Option<u64>) -> usize {
    let wanted = wanted.max(1);
    match fd_limit {
        Some(l) => {
            let l = usize::try_from(l).unwrap_or(usize::MAX);
            let room = l.saturating_sub((l / 8).max(64)).max(8);
            wanted.min(room)
        }
        None => wanted,
    }
}

/// One open connection, as the cap sees it.
#[derive(Debug)]
pub(crate) struct ConnInfo {
    /// Requests being answered on it.
    busy: AtomicUsize,
    /// Milliseconds since the registry's start at its last read or write.
    last: AtomicU64,
    /// Chosen to be closed.
    closing: AtomicBool,
    /// Woken to close it.
    pub(crate) close: Notify,
    epoch: Instant,
}

impl ConnInfo {
    fn touch(&self) {
        self.last
            .store(self.epoch.elapsed().as_millis() as u64, Ordering::Relaxed);
    }

    /// Marks a request as being answered until the guard is dropped.
    pub(crate) fn busy(self: &Arc<Self>) -> BusyGuard {
        self.busy.fetch_add(1, Ordering::AcqRel);
        self.touch();
        BusyGuard(self.clone())
    }
}

/// See [`ConnInfo::busy`].
pub(crate) struct BusyGuard(Arc<ConnInfo>);

impl Drop for BusyGuard {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, Ordering::AcqRel);
        self.0.touch();
    }
}

/// A response body that keeps its connection marked busy until it is dropped.
pub(crate) struct BusyBody {
    pub(crate) inner: axum::body::Body,
    pub(crate) _busy: BusyGuard,
}

impl http_body::Body for BusyBody {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// The open connections.
#[derive(Debug)]
pub(crate) struct Registry {
    conns: Mutex<HashMap<u64, Arc<ConnInfo>>>,
    next: AtomicU64,
    epoch: Instant,
    cap: usize,
    closed_idle: AtomicU64,
    refused: AtomicU64,
}

/// Removes its connection from the registry when dropped.
pub(crate) struct Admitted {
    reg: Arc<Registry>,
    id: u64,
    pub(crate) info: Arc<ConnInfo>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        if let Ok(mut m) = self.reg.conns.lock() {
            m.remove(&self.id);
        }
    }
}

impl Registry {
    pub(crate) fn new(cap: usize) -> Arc<Self> {
        Arc::new(Self {
            conns: Mutex::new(HashMap::new()),
            next: AtomicU64::new(0),
            epoch: Instant::now(),
            cap: cap.max(1),
            closed_idle: AtomicU64::new(0),
            refused: AtomicU64::new(0),
        })
    }

    /// Takes a new connection in. At the cap, the connection idle the longest is told to close
    /// (it is not answering a request); when every connection is busy the new one is refused.
    pub(crate) fn admit(self: &Arc<Self>) -> Option<Admitted> {
        let mut m = self.conns.lock().ok()?;
        if m.len() >= self.cap {
            let mut live = 0usize;
            let mut oldest: Option<&Arc<ConnInfo>> = None;
            for c in m.values() {
                if c.closing.load(Ordering::Relaxed) {
                    continue;
                }
                live += 1;
                if c.busy.load(Ordering::Acquire) == 0
                    && oldest.is_none_or(|o| {
                        c.last.load(Ordering::Relaxed) < o.last.load(Ordering::Relaxed)
                    })
                {
                    oldest = Some(c);
                }
            }
            // Connections told to close are gone within moments; never let them pile up.
            let too_many = m.len() >= self.cap + self.cap / 8 + 8;
            if live >= self.cap || too_many {
                match oldest {
                    Some(o) if !too_many => {
                        o.closing.store(true, Ordering::Relaxed);
                        o.close.notify_one();
                        self.closed_idle.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        self.refused.fetch_add(1, Ordering::Relaxed);
                        return None;
                    }
                }
            }
        }
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        let info = Arc::new(ConnInfo {
            busy: AtomicUsize::new(0),
            last: AtomicU64::new(0),
            closing: AtomicBool::new(false),
            close: Notify::new(),
            epoch: self.epoch,
        });
        info.touch();
        m.insert(id, info.clone());
        Some(Admitted {
            reg: self.clone(),
            id,
            info,
        })
    }

    /// Connections open now.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.conns.lock().map_or(0, |m| m.len())
    }
}

/// A socket whose writes must make progress within `stall` and whose answer to a request must
/// be written within `total` (counted from the first write after the client last sent
/// something); otherwise writes fail with `TimedOut` and hyper drops the connection.
pub(crate) struct TimedIo<T> {
    inner: T,
    info: Arc<ConnInfo>,
    stall: Duration,
    total: Duration,
    writing_since: Option<Instant>,
    timer: Option<Pin<Box<Sleep>>>,
}

impl<T> TimedIo<T> {
    pub(crate) fn new(inner: T, info: Arc<ConnInfo>, stall: Duration, total: Duration) -> Self {
        Self {
            inner,
            info,
            stall,
            total,
            writing_since: None,
            timer: None,
        }
    }

    fn deadline_passed(&self) -> bool {
        self.writing_since.is_some_and(|s| s.elapsed() > self.total)
    }

    /// After a write could not proceed: arms the timer (the sooner of the stall and the total
    /// deadline) and fails once it fires.
    fn pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        if self.timer.is_none() {
            let now = Instant::now();
            let mut until = now + self.stall;
            if let Some(s) = self.writing_since {
                until = until.min(s + self.total);
            }
            self.timer = Some(Box::pin(tokio::time::sleep_until(until.into())));
        }
        if let Some(t) = self.timer.as_mut()
            && t.as_mut().poll(cx).is_ready()
        {
            self.timer = None;
            return Poll::Ready(Err(timed_out()));
        }
        Poll::Pending
    }

    fn wrote(&mut self) {
        self.timer = None;
        self.info.touch();
    }

    /// After a write to the inner connection: progress when it is done, the stall timer when
    /// it is pending.
    fn written(
        &mut self,
        cx: &mut Context<'_>,
        r: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match r {
            Poll::Ready(r) => {
                self.wrote();
                Poll::Ready(r)
            }
            Poll::Pending => self.pending(cx),
        }
    }

    fn start_writing(&mut self) -> io::Result<()> {
        if self.writing_since.is_none() {
            self.writing_since = Some(Instant::now());
        }
        if self.deadline_passed() {
            return Err(timed_out());
        }
        Ok(())
    }
}

fn timed_out() -> io::Error {
    io::Error::new(
        io::ErrorKind::TimedOut,
        "the client did not read the answer in time",
    )
}

use std::future::Future as _;

impl<T: AsyncRead + Unpin> AsyncRead for TimedIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let r = ready!(Pin::new(&mut self.inner).poll_read(cx, buf));
        if r.is_ok() && buf.filled().len() > before {
            // The client sent something: a new request, so a new answer to write.
            self.writing_since = None;
            self.info.touch();
        }
        Poll::Ready(r)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for TimedIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.start_writing()?;
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.written(cx, r)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.start_writing()?;
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.written(cx, r)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Ready(r) => {
                self.timer = None;
                Poll::Ready(r)
            }
            Poll::Pending => self.pending(cx).map(|r| r.map(|_| ())),
        }
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_shutdown(cx) {
            Poll::Ready(r) => Poll::Ready(r),
            Poll::Pending => self.pending(cx).map(|r| r.map(|_| ())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_stays_below_the_open_file_limit() {
        assert_eq!(connection_cap(4096, Some(1024)), 896);
        assert_eq!(connection_cap(4096, Some(256)), 192);
        assert_eq!(connection_cap(4096, Some(1 << 20)), 4096);
        assert_eq!(connection_cap(4096, None), 4096);
        assert_eq!(connection_cap(4096, Some(10)), 8);
    }

    #[test]
    fn at_the_cap_the_oldest_idle_connection_is_closed_and_busy_ones_are_kept() {
        let reg = Registry::new(3);
        let a = reg.admit().unwrap();
        std::thread::sleep(Duration::from_millis(5));
        let b = reg.admit().unwrap();
        std::thread::sleep(Duration::from_millis(5));
        let c = reg.admit().unwrap();
        let _busy_a = a.info.busy();
        // a is busy (and was touched), b is the oldest idle one.
        let d = reg.admit().unwrap();
        assert!(b.info.closing.load(Ordering::Relaxed));
        assert!(!a.info.closing.load(Ordering::Relaxed));
        assert!(!c.info.closing.load(Ordering::Relaxed));
        drop(b);
        assert_eq!(reg.len(), 3);
        // Everything busy: a new connection is refused.
        let _bc = c.info.busy();
        let _bd = d.info.busy();
        assert!(reg.admit().is_none());
        assert_eq!(reg.refused.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn the_soft_limit_is_raised_where_possible() {
        let after = raise_fd_limit();
        #[cfg(unix)]
        {
            use rustix::process::{Resource, getrlimit};
            let now = getrlimit(Resource::Nofile);
            assert_eq!(after, now.current);
            if let (Some(s), Some(h)) = (now.current, now.maximum) {
                assert!(
                    s == h || s >= 10_240,
                    "soft limit {s} not raised towards {h}"
                );
            }
        }
        #[cfg(not(unix))]
        assert_eq!(after, None);
    }
}
