//! A minimal SNTP client (RFC 4330): one 48-byte client packet over UDP, one reply, the clock
//! offset and the round-trip delay.

use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tokio::net::UdpSocket;
use tokio::time::Instant;

/// Seconds from 1900-01-01 (NTP era 0) to 1970-01-01.
const NTP_UNIX_OFFSET: f64 = 2_208_988_800.0;

/// What one SNTP query gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum SntpOutcome {
    /// A valid answer from a synchronised server.
    Answer {
        /// Seconds this machine is ahead of the server (negative: behind), the convention of
        /// [`volact_core::clock`]. This is the RFC 4330 offset (server minus local) negated.
        offset_s: f64,
        /// Round-trip delay, in seconds.
        delay_s: f64,
        /// The server's stratum (1-15).
        stratum: u8,
    },
    /// The server replied, but the reply gives no usable time: a kiss-o'-death, an
    /// unsynchronised server, or a malformed answer. Never a verdict about the clock.
    Unusable {
        /// Why.
        reason: Unusable,
        /// The fact behind the reason in protocol terms, the same in every language: the kiss
        /// code (`RATE`), `stratum=16`, `LI=3`, `T3=0`, `len=20`, `mode=3`, ...; never a time.
        detail: String,
    },
    /// No answer within the timeout.
    NoAnswer,
    /// Sending or receiving failed (for example ICMP port unreachable).
    IoError {
        /// The error.
        error: String,
    },
}

/// Why an SNTP reply gives no usable time (RFC 4330 section 5, RFC 5905 sections 7.3 and 7.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unusable {
    /// Stratum 0 with a kiss code (`RATE`, `DENY`, `RSTR`, ...): the server refuses to serve.
    KissOfDeath,
    /// Leap indicator 3 (alarm), or stratum 16 or above: the server's own clock is not
    /// synchronised.
    Unsynchronised,
    /// The server's root distance is 16 s or more: its time is too uncertain to use.
    TooUncertain,
    /// Shorter than the 48 bytes of an NTP header.
    TooShort,
    /// Not a server reply (mode other than 4) or an unknown version.
    NotAServerReply,
    /// A receive or transmit timestamp of zero, or a zero reference timestamp (never set).
    ZeroTimestamp,
    /// The server says it sent the reply before it received the request.
    Inconsistent,
}

fn now_ntp() -> f64 {
    let d = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or(Duration::ZERO);
    d.as_secs_f64() + NTP_UNIX_OFFSET
}

fn to_ts(t: f64) -> [u8; 8] {
    let secs = t.floor();
    let frac = ((t - secs) * 4_294_967_296.0) as u32;
    let mut b = [0u8; 8];
    // Era wrap: NTP seconds are modulo 2^32.
    b[..4].copy_from_slice(&((secs as u64 & 0xFFFF_FFFF) as u32).to_be_bytes());
    b[4..].copy_from_slice(&frac.to_be_bytes());
    b
}

/// Reads a timestamp, choosing the NTP era closest to `near` (so it works after 2036).
fn from_ts(b: &[u8], near: f64) -> f64 {
    let secs = f64::from(u32::from_be_bytes([b[0], b[1], b[2], b[3]]));
    let frac = f64::from(u32::from_be_bytes([b[4], b[5], b[6], b[7]])) / 4_294_967_296.0;
    let era = 4_294_967_296.0;
    let base = (near / era).floor() * era;
    let mut t = base + secs + frac;
    if t - near > era / 2.0 {
        t -= era;
    } else if near - t > era / 2.0 {
        t += era;
    }
    t
}

/// The client packet: LI 0, version 4, mode 3 (client), transmit time `t1`.
pub fn client_packet(t1: f64) -> [u8; 48] {
    let mut p = [0u8; 48];
    p[0] = 0x23;
    p[40..48].copy_from_slice(&to_ts(t1));
    p
}

/// The root distance (RFC 5905 section 7.3) above which a server is taken as unsynchronised.
pub const MAX_ROOT_DISTANCE_S: f64 = 16.0;

fn unusable(reason: Unusable, detail: String) -> SntpOutcome {
    SntpOutcome::Unusable { reason, detail }
}

/// Whether a reply that does not echo our transmit time is ignored as a stray datagram.
pub fn is_stray(o: &SntpOutcome) -> bool {
    matches!(o, SntpOutcome::Unusable { detail, .. } if detail == STRAY)
}

const STRAY: &str = "T1\u{2260}origin";

/// Checks a reply to a packet sent with transmit bytes `sent` at `t1`, received at `t4`: every
/// test of RFC 4330 section 5 (mode, version, stratum, leap indicator, kiss codes, non-zero
/// timestamps, origin) plus RFC 5905's root distance, before any time is computed.
pub fn parse_reply(r: &[u8], sent: &[u8; 8], t1: f64, t4: f64) -> SntpOutcome {
    if r.len() < 48 {
        return unusable(Unusable::TooShort, format!("len={}", r.len()));
    }
    let li = r[0] >> 6;
    let vn = (r[0] >> 3) & 7;
    let mode = r[0] & 7;
    if mode != 4 {
        return unusable(Unusable::NotAServerReply, format!("mode={mode}"));
    }
    if !(1..=4).contains(&vn) {
        return unusable(Unusable::NotAServerReply, format!("VN={vn}"));
    }
    if &r[24..32] != sent {
        return unusable(Unusable::NotAServerReply, STRAY.into());
    }
    let stratum = r[1];
    if stratum == 0 {
        // A kiss code is four ASCII letters; anything else is shown as its hex.
        let code = &r[12..16];
        let detail = if code.iter().all(u8::is_ascii_alphanumeric) {
            code.iter().map(|&c| char::from(c)).collect()
        } else {
            code.iter().map(|c| format!("{c:02x}")).collect()
        };
        return unusable(Unusable::KissOfDeath, detail);
    }
    if stratum >= 16 {
        return unusable(Unusable::Unsynchronised, format!("stratum={stratum}"));
    }
    if li == 3 {
        return unusable(Unusable::Unsynchronised, "LI=3".into());
    }
    let root_delay = f64::from(i32::from_be_bytes([r[4], r[5], r[6], r[7]])) / 65536.0;
    let root_disp = f64::from(u32::from_be_bytes([r[8], r[9], r[10], r[11]])) / 65536.0;
    let distance = root_delay.abs() / 2.0 + root_disp;
    if distance >= MAX_ROOT_DISTANCE_S {
        return unusable(
            Unusable::TooUncertain,
            format!("root distance={distance:.1}s"),
        );
    }
    for (at, name) in [(32, "T2"), (40, "T3"), (16, "Tref")] {
        if r[at..at + 8].iter().all(|&b| b == 0) {
            return unusable(Unusable::ZeroTimestamp, format!("{name}=0"));
        }
    }
    let t2 = from_ts(&r[32..40], t1);
    let t3 = from_ts(&r[40..48], t1);
    if t3 < t2 {
        return unusable(Unusable::Inconsistent, "T3<T2".into());
    }
    let server_minus_local = ((t2 - t1) + (t3 - t4)) / 2.0;
    let delay_s = ((t4 - t1) - (t3 - t2)).max(0.0);
    SntpOutcome::Answer {
        // volact's convention: seconds this machine is ahead of the source.
        offset_s: -server_minus_local,
        delay_s,
        stratum,
    }
}

/// Queries `server` once, waiting at most `timeout`.
pub async fn query(server: SocketAddr, timeout: Duration) -> (SntpOutcome, Duration) {
    let start = Instant::now();
    let bind: SocketAddr = if server.is_ipv4() {
        ([0, 0, 0, 0], 0).into()
    } else {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let sock = match UdpSocket::bind(bind).await {
        Ok(s) => s,
        Err(e) => {
            return (
                SntpOutcome::IoError {
                    error: e.to_string(),
                },
                start.elapsed(),
            );
        }
    };
    if let Err(e) = sock.connect(server).await {
        return (
            SntpOutcome::IoError {
                error: e.to_string(),
            },
            start.elapsed(),
        );
    }
    let t1 = now_ntp();
    let packet = client_packet(t1);
    let mut sent = [0u8; 8];
    sent.copy_from_slice(&packet[40..48]);
    let deadline = start + timeout;
    if let Err(e) = sock.send(&packet).await {
        return (
            SntpOutcome::IoError {
                error: e.to_string(),
            },
            start.elapsed(),
        );
    }
    let mut buf = [0u8; 512];
    loop {
        match tokio::time::timeout_at(deadline, sock.recv(&mut buf)).await {
            Ok(Ok(n)) => {
                let t4 = now_ntp();
                let out = parse_reply(&buf[..n], &sent, t1, t4);
                // A stray datagram that does not answer our packet: keep waiting (until the
                // deadline, whatever arrives).
                if is_stray(&out) {
                    continue;
                }
                return (out, start.elapsed());
            }
            Ok(Err(e)) => {
                return (
                    SntpOutcome::IoError {
                        error: e.to_string(),
                    },
                    start.elapsed(),
                );
            }
            Err(_) => return (SntpOutcome::NoAnswer, start.elapsed()),
        }
    }
}

#[cfg(test)]
mod tests;
