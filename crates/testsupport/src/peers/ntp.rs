//! Time peers: the SNTP responder (with hostile variants) and a real chronyd.

use super::*;

/// A hand-rolled SNTP server whose clock runs `offset` seconds from the local one.
pub struct SntpPeer {
    /// Where it listens (UDP).
    pub addr: SocketAddr,
    _runner: Runner,
}

/// How a [`SntpPeer::start_hostile`] answers: replies that carry no usable time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SntpHostile {
    /// A server reply whose receive and transmit timestamps are zero.
    ZeroTimestamps,
    /// A well-formed reply from a server at this stratum (16: unsynchronised).
    Stratum(u8),
    /// A kiss-o'-death: stratum 0 with this kiss code (`RATE`, `DENY`, ...).
    Kiss([u8; 4]),
    /// Leap indicator 3 (alarm: the server's clock is not synchronised), stratum 2.
    LeapAlarm,
    /// A reply five hours ahead whose transmit time is before its receive time.
    Backwards,
}

impl SntpPeer {
    /// Starts it.
    pub fn start(offset_s: f64) -> io::Result<SntpPeer> {
        Self::start_with(offset_s, |_, _| {})
    }

    /// Starts an SNTP peer that answers every request in the `mode` given, echoing the client's
    /// transmit time as the origin (so the reply is addressed to the request).
    pub fn start_hostile(mode: SntpHostile) -> io::Result<SntpPeer> {
        Self::start_with(5.0 * 3600.0, move |r, now| match mode {
            SntpHostile::ZeroTimestamps => r[32..48].fill(0),
            SntpHostile::Stratum(s) => r[1] = s,
            SntpHostile::Kiss(code) => {
                r[1] = 0;
                r[12..16].copy_from_slice(&code);
                r[16..24].fill(0);
                r[32..48].fill(0);
            }
            SntpHostile::LeapAlarm => r[0] = 0xE4,
            SntpHostile::Backwards => {
                r[32..40].copy_from_slice(&ntp_ts(now + 1.0));
            }
        })
    }

    /// Starts a peer whose clock runs `offset_s` seconds from the local one and that answers each
    /// request with a well-formed server reply (stratum 2) passed through `shape` first.
    fn start_with(
        offset_s: f64,
        shape: impl Fn(&mut [u8; 48], f64) + Send + 'static,
    ) -> io::Result<SntpPeer> {
        let (addr, runner) = udp_peer(512, move |req| {
            if req.len() < 48 {
                return None;
            }
            let now = ntp_now() + offset_s;
            let mut r = [0u8; 48];
            r[0] = 0x24; // LI 0, VN 4, mode 4
            r[1] = 2;
            r[2] = req[2];
            r[3] = 0xEC;
            r[12..16].copy_from_slice(b"LOCL");
            r[16..24].copy_from_slice(&ntp_ts(now));
            r[24..32].copy_from_slice(&req[40..48]);
            r[32..40].copy_from_slice(&ntp_ts(now));
            r[40..48].copy_from_slice(&ntp_ts(now));
            shape(&mut r, now);
            Some(r.to_vec())
        })?;
        Ok(SntpPeer {
            addr,
            _runner: runner,
        })
    }
}

fn ntp_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64()
        + 2_208_988_800.0
}

fn ntp_ts(t: f64) -> [u8; 8] {
    let s = t.floor();
    let mut b = [0u8; 8];
    b[..4].copy_from_slice(&((s as u64 & 0xFFFF_FFFF) as u32).to_be_bytes());
    b[4..].copy_from_slice(&(((t - s) * 4_294_967_296.0) as u32).to_be_bytes());
    b
}

/// A silent UDP port (reads, never answers): for "no time source answered" and DNS timeouts.
pub struct SilentUdp {
    /// Where it listens.
    pub addr: SocketAddr,
    _sock: StdUdpSocket,
}

impl SilentUdp {
    /// Binds it.
    pub fn start() -> io::Result<SilentUdp> {
        let s = StdUdpSocket::bind((LOOPBACK, 0))?;
        Ok(SilentUdp {
            addr: s.local_addr()?,
            _sock: s,
        })
    }
}

/// A real `chronyd` serving NTP on a loopback port, never touching the system clock (`-x`), with
/// its files in a temporary directory. Optionally under libfaketime with a shifted clock.
pub struct Chrony {
    /// Where it serves NTP.
    pub addr: SocketAddr,
    child: std::process::Child,
    dir: PathBuf,
}

/// Where chronyd is, if installed.
pub fn chronyd_path() -> Option<PathBuf> {
    ["/usr/sbin/chronyd", "/usr/bin/chronyd", "/sbin/chronyd"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Where libfaketime is, if installed.
pub fn libfaketime_path() -> Option<PathBuf> {
    let dirs = [
        "/usr/lib/x86_64-linux-gnu/faketime",
        "/usr/lib/aarch64-linux-gnu/faketime",
        "/usr/lib/faketime",
        "/usr/lib64/faketime",
    ];
    dirs.iter()
        .map(|d| Path::new(d).join("libfaketime.so.1"))
        .find(|p| p.exists())
}

/// For tests that need chrony (and libfaketime when `faketime`): `None` with a printed reason
/// when missing, but a panic when the `CI` variable is set (CI installs them, see
/// `.ci/setup.d/20-ntp.sh`).
pub fn require_chrony(faketime: bool) -> Option<()> {
    let missing = if chronyd_path().is_none() {
        Some("chronyd is not installed (Debian: apt-get install chrony)")
    } else if faketime && libfaketime_path().is_none() {
        Some("libfaketime is not installed (Debian: apt-get install libfaketime)")
    } else {
        None
    };
    match missing {
        None => Some(()),
        Some(why) if std::env::var_os("CI").is_some() => {
            panic!("CI is set but {why}; .ci/setup.d/20-ntp.sh should have installed it")
        }
        Some(why) => {
            eprintln!("SKIPPED: {why}");
            None
        }
    }
}

static CHRONY_SEQ: AtomicUsize = AtomicUsize::new(0);

impl Chrony {
    /// Starts chronyd; with `faketime` (for example `"+5h"`) under libfaketime. Waits until it
    /// answers SNTP (at most 10 s).
    pub fn start(faketime: Option<&str>) -> io::Result<Chrony> {
        let bin = chronyd_path().ok_or_else(|| io::Error::other("chronyd not installed"))?;
        let dir = std::env::temp_dir().join(format!(
            "volact-chrony-{}-{}",
            std::process::id(),
            CHRONY_SEQ.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir)?;
        let port = {
            let s = StdUdpSocket::bind((LOOPBACK, 0))?;
            s.local_addr()?.port()
        };
        let conf = dir.join("chrony.conf");
        std::fs::write(
            &conf,
            format!(
                "port {port}\nbindaddress 127.0.0.1\nlocal stratum 8\nallow 127.0.0.1\ncmdport 0\npidfile {d}/chronyd.pid\ndriftfile {d}/drift\n",
                d = dir.display()
            ),
        )?;
        let mut cmd = std::process::Command::new(bin);
        cmd.arg("-d")
            .arg("-x")
            .arg("-t")
            .arg("600")
            .arg("-f")
            .arg(&conf);
        if is_root() {
            cmd.arg("-u").arg("root");
        } else {
            cmd.arg("-U");
        }
        if let Some(shift) = faketime {
            let lib =
                libfaketime_path().ok_or_else(|| io::Error::other("libfaketime not installed"))?;
            cmd.env("LD_PRELOAD", lib).env("FAKETIME", shift);
        }
        cmd.stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(dir.join("chronyd.log"))?);
        let child = cmd.spawn()?;
        let addr = SocketAddr::from((LOOPBACK, port));
        let mut me = Chrony { addr, child, dir };
        let end = Instant::now() + Duration::from_secs(10);
        while Instant::now() < end {
            if let Ok(Some(status)) = me.child.try_wait() {
                let log = std::fs::read_to_string(me.dir.join("chronyd.log")).unwrap_or_default();
                return Err(io::Error::other(format!(
                    "chronyd exited ({status}): {log}"
                )));
            }
            if sntp_answers(addr) {
                return Ok(me);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let log = std::fs::read_to_string(me.dir.join("chronyd.log")).unwrap_or_default();
        let _ = me.child.kill();
        Err(io::Error::other(format!("chronyd never answered: {log}")))
    }
}

fn sntp_answers(addr: SocketAddr) -> bool {
    let Ok(s) = StdUdpSocket::bind((LOOPBACK, 0)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_millis(200)));
    let mut p = [0u8; 48];
    p[0] = 0x23;
    p[40..48].copy_from_slice(&ntp_ts(ntp_now()));
    if s.send_to(&p, addr).is_err() {
        return false;
    }
    let mut buf = [0u8; 128];
    matches!(s.recv_from(&mut buf), Ok((n, _)) if n >= 48 && buf[0] & 7 == 4)
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

impl Drop for Chrony {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
