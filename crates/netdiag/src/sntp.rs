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
    /// A valid answer.
    Answer {
        /// Server time minus local time, in seconds (positive: the server is ahead).
        offset_s: f64,
        /// Round-trip delay, in seconds.
        delay_s: f64,
        /// The server's stratum.
        stratum: u8,
    },
    /// The server answered with a kiss-o'-death or an unsynchronised stratum 0.
    Refused {
        /// The kiss code, when printable.
        code: String,
    },
    /// A reply that is not a valid server answer to our packet.
    Invalid {
        /// Why.
        why: String,
    },
    /// No answer within the timeout.
    NoAnswer,
    /// Sending or receiving failed (for example ICMP port unreachable).
    IoError {
        /// The error.
        error: String,
    },
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

/// Checks a reply to a packet sent with transmit bytes `sent` at `t1`, received at `t4`.
pub fn parse_reply(r: &[u8], sent: &[u8; 8], t1: f64, t4: f64) -> SntpOutcome {
    if r.len() < 48 {
        return SntpOutcome::Invalid {
            why: format!("{} bytes (an NTP reply has at least 48)", r.len()),
        };
    }
    let mode = r[0] & 7;
    if mode != 4 {
        return SntpOutcome::Invalid {
            why: format!("mode {mode} (a server answers with 4)"),
        };
    }
    if &r[24..32] != sent {
        return SntpOutcome::Invalid {
            why: "the reply does not answer our packet (origin timestamp differs)".into(),
        };
    }
    let stratum = r[1];
    if stratum == 0 || r[0] >> 6 == 3 {
        let code: String = r[12..16]
            .iter()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|&c| char::from(c))
            .collect();
        return SntpOutcome::Refused {
            code: if code.is_empty() {
                "unsynchronised".into()
            } else {
                code
            },
        };
    }
    let t2 = from_ts(&r[32..40], t1);
    let t3 = from_ts(&r[40..48], t1);
    let offset_s = ((t2 - t1) + (t3 - t4)) / 2.0;
    let delay_s = ((t4 - t1) - (t3 - t2)).max(0.0);
    SntpOutcome::Answer {
        offset_s,
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
                // A stray datagram that does not answer our packet: keep waiting.
                if matches!(&out, SntpOutcome::Invalid { why } if why.contains("origin")) {
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
mod tests {
    use super::*;

    fn server_reply(sent: &[u8; 8], t2: f64, t3: f64, stratum: u8) -> [u8; 48] {
        let mut r = [0u8; 48];
        r[0] = 0x24;
        r[1] = stratum;
        r[24..32].copy_from_slice(sent);
        r[32..40].copy_from_slice(&to_ts(t2));
        r[40..48].copy_from_slice(&to_ts(t3));
        r
    }

    #[test]
    fn offset_and_delay_follow_rfc_4330() {
        let t1 = 3_970_000_000.25;
        let p = client_packet(t1);
        let mut sent = [0u8; 8];
        sent.copy_from_slice(&p[40..48]);
        // Server 5 hours ahead, 10 ms each way.
        let shift = 5.0 * 3600.0;
        let r = server_reply(&sent, t1 + 0.01 + shift, t1 + 0.011 + shift, 2);
        let SntpOutcome::Answer {
            offset_s, delay_s, ..
        } = parse_reply(&r, &sent, t1, t1 + 0.021)
        else {
            panic!("no answer")
        };
        assert!((offset_s - shift).abs() < 0.001, "{offset_s}");
        assert!((delay_s - 0.02).abs() < 0.001, "{delay_s}");
    }

    #[test]
    fn kiss_of_death_and_bad_replies() {
        let t1 = 3_970_000_000.0;
        let p = client_packet(t1);
        let mut sent = [0u8; 8];
        sent.copy_from_slice(&p[40..48]);
        let mut r = server_reply(&sent, t1, t1, 0);
        r[12..16].copy_from_slice(b"RATE");
        assert_eq!(
            parse_reply(&r, &sent, t1, t1),
            SntpOutcome::Refused {
                code: "RATE".into()
            }
        );
        assert!(matches!(
            parse_reply(&r[..20], &sent, t1, t1),
            SntpOutcome::Invalid { .. }
        ));
        let mut client = r;
        client[0] = 0x23;
        assert!(matches!(
            parse_reply(&client, &sent, t1, t1),
            SntpOutcome::Invalid { .. }
        ));
    }

    #[test]
    fn era_rollover() {
        // 2036-02-07 wraps the 32-bit seconds; a time just after it must not read as 1900.
        let near = 4_294_967_296.0 + 100.0;
        let b = to_ts(near + 5.0);
        assert!((from_ts(&b, near) - (near + 5.0)).abs() < 1e-3);
    }
}
