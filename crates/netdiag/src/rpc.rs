//! The DCE/RPC bind probe: one connection-oriented `bind` PDU for the KMS interface, one reply read
//! in bounded memory, then the connection is closed.
//!
//! The probe never sends a `request` PDU, so it never asks for an activation and never changes a
//! KMS host's count. Layout: C706 §12.6 and MS-RPCE §2.2 (little-endian data representation).

use std::time::Duration;

use serde::Serialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

/// The KMS RPC interface, `51c82175-844e-4750-b0d8-ec255555bc06` version 1.0, as it appears on the
/// wire (first three fields little-endian).
pub const KMS_INTERFACE: [u8; 16] = [
    0x75, 0x21, 0xc8, 0x51, 0x4e, 0x84, 0x50, 0x47, 0xb0, 0xd8, 0xec, 0x25, 0x55, 0x55, 0xbc, 0x06,
];

/// The NDR transfer syntax, `8a885d04-1ceb-11c9-9fe8-08002b104860` version 2, on the wire.
pub const NDR_SYNTAX: [u8; 16] = [
    0x04, 0x5d, 0x88, 0x8a, 0xeb, 0x1c, 0xc9, 0x11, 0x9f, 0xe8, 0x08, 0x00, 0x2b, 0x10, 0x48, 0x60,
];

/// Packet type of a bind request.
pub const PTYPE_BIND: u8 = 11;
/// Packet type of a bind acknowledgement.
pub const PTYPE_BIND_ACK: u8 = 12;
/// Packet type of a bind refusal.
pub const PTYPE_BIND_NAK: u8 = 13;
/// Packet type of a request (the probe never sends one).
pub const PTYPE_REQUEST: u8 = 0;

/// Length of the bind PDU the probe sends.
pub const BIND_LEN: usize = 72;

/// The most bytes of a reply the probe ever reads. A bind_ack for one context is about 60 bytes;
/// whatever a peer claims in its length fields, nothing more is read or allocated.
pub const MAX_REPLY: usize = 1024;

/// The bind PDU: version 5.0, flags FIRST|LAST, little-endian, call id 1, one presentation
/// context (the KMS interface 1.0 with NDR 2.0).
pub fn bind_pdu() -> [u8; BIND_LEN] {
    let mut p = [0u8; BIND_LEN];
    p[0] = 5; // rpc_vers
    p[1] = 0; // rpc_vers_minor
    p[2] = PTYPE_BIND;
    p[3] = 0x03; // PFC_FIRST_FRAG | PFC_LAST_FRAG
    p[4] = 0x10; // packed_drep: little-endian integers, ASCII, IEEE floats
    p[8..10].copy_from_slice(&(BIND_LEN as u16).to_le_bytes()); // frag_length
    // auth_length 0 at 10..12
    p[12..16].copy_from_slice(&1u32.to_le_bytes()); // call_id
    p[16..18].copy_from_slice(&5840u16.to_le_bytes()); // max_xmit_frag
    p[18..20].copy_from_slice(&5840u16.to_le_bytes()); // max_recv_frag
    // assoc_group_id 0 at 20..24
    p[24] = 1; // n_context_elem
    // reserved 25..28, p_cont_id 0 at 28..30
    p[30] = 1; // n_transfer_syn
    p[32..48].copy_from_slice(&KMS_INTERFACE);
    p[48..52].copy_from_slice(&1u32.to_le_bytes()); // interface version 1.0
    p[52..68].copy_from_slice(&NDR_SYNTAX);
    p[68..72].copy_from_slice(&2u32.to_le_bytes()); // NDR version 2
    p
}

/// What the peer answered to the bind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum BindReply {
    /// bind_ack with the KMS context accepted: the KMS RPC interface is present.
    Accepted {
        /// The secondary address (the port the server names), when given.
        sec_addr: Option<String>,
    },
    /// bind_ack with the context rejected: an RPC server that does not serve KMS.
    Rejected {
        /// 1 user rejection, 2 provider rejection, 3 negotiate ack.
        result: u16,
        /// 0 not specified, 1 abstract syntax not supported, 2 transfer syntaxes not supported,
        /// 3 local limit exceeded.
        reason: u16,
    },
    /// bind_nak: an RPC server refused the association.
    Nak {
        /// The reject reason, when present.
        reason: Option<u16>,
    },
    /// Some DCE/RPC PDU other than bind_ack or bind_nak.
    OtherPdu {
        /// Its packet type.
        ptype: u8,
    },
    /// Bytes that are not a DCE/RPC reply (something else listens on the port).
    NotDceRpc {
        /// The first bytes, in hex (at most 16).
        first_bytes: String,
        /// Why they were rejected.
        why: String,
    },
    /// The peer closed the connection without answering.
    Closed,
    /// Nothing (or not a whole reply) arrived within the timeout.
    NoReply {
        /// How many bytes arrived before the time ran out.
        bytes: usize,
    },
    /// Reading or writing failed (for example a reset).
    IoError {
        /// The error.
        error: String,
    },
}

fn hex(b: &[u8]) -> String {
    b.iter().take(16).map(|x| format!("{x:02x}")).collect()
}

/// Reads a reply from `buf` (the bytes read so far). Returns `None` while more bytes are needed.
/// `buf` never holds more than [`MAX_REPLY`] bytes.
pub fn parse_reply(buf: &[u8]) -> Option<BindReply> {
    if buf.is_empty() {
        return None;
    }
    if buf[0] != 5 {
        return Some(BindReply::NotDceRpc {
            first_bytes: hex(buf),
            why: format!("version byte {} (DCE/RPC is 5)", buf[0]),
        });
    }
    if buf.len() < 16 {
        return None;
    }
    if buf[1] != 0 {
        return Some(BindReply::NotDceRpc {
            first_bytes: hex(buf),
            why: format!("minor version {} (expected 0)", buf[1]),
        });
    }
    let little = buf[4] & 0xF0 == 0x10;
    let rd16 = |o: usize| -> u16 {
        let b = [buf[o], buf[o + 1]];
        if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        }
    };
    let ptype = buf[2];
    let frag = usize::from(rd16(8));
    let auth = usize::from(rd16(10));
    if frag < 16 {
        return Some(BindReply::NotDceRpc {
            first_bytes: hex(buf),
            why: format!("fragment length {frag} is shorter than a header"),
        });
    }
    if frag > MAX_REPLY || auth > MAX_REPLY {
        return Some(BindReply::NotDceRpc {
            first_bytes: hex(buf),
            why: format!(
                "fragment length {frag} / auth length {auth} is far larger than any bind reply (read at most {MAX_REPLY} bytes)"
            ),
        });
    }
    match ptype {
        PTYPE_BIND_NAK => {
            // The reason follows the header; a short nak is still a nak.
            let reason = (buf.len() >= 18 && frag >= 18).then(|| rd16(16));
            Some(BindReply::Nak { reason })
        }
        PTYPE_BIND_ACK => {
            if buf.len() < frag {
                return None;
            }
            let pdu = &buf[..frag];
            Some(parse_ack(pdu, &rd16))
        }
        other => Some(BindReply::OtherPdu { ptype: other }),
    }
}

fn parse_ack(pdu: &[u8], rd16: &dyn Fn(usize) -> u16) -> BindReply {
    let bad = |why: &str| BindReply::NotDceRpc {
        first_bytes: hex(pdu),
        why: why.to_owned(),
    };
    if pdu.len() < 26 {
        return bad("bind_ack too short for its fixed fields");
    }
    let sec_len = usize::from(rd16(24));
    let sec_end = 26 + sec_len;
    if sec_end > pdu.len() {
        return bad("bind_ack secondary address runs past the fragment");
    }
    let sec_addr = (sec_len > 0).then(|| {
        String::from_utf8_lossy(&pdu[26..sec_end])
            .trim_end_matches('\0')
            .to_owned()
    });
    let results = sec_end.div_ceil(4) * 4;
    if results + 8 > pdu.len() {
        return bad("bind_ack has no result list");
    }
    let n = pdu[results];
    if n == 0 {
        return bad("bind_ack lists no presentation context result");
    }
    let result = rd16(results + 4);
    let reason = rd16(results + 6);
    if result == 0 {
        BindReply::Accepted { sec_addr }
    } else {
        BindReply::Rejected { result, reason }
    }
}

/// Sends the bind on a connected stream and reads one reply, all within `timeout`. Never sends
/// anything else; the caller drops the stream afterwards.
pub async fn probe(stream: &mut TcpStream, timeout: Duration) -> (BindReply, Duration) {
    let start = Instant::now();
    let deadline = start + timeout;
    let pdu = bind_pdu();
    match tokio::time::timeout_at(deadline, stream.write_all(&pdu)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            return (
                BindReply::IoError {
                    error: e.to_string(),
                },
                start.elapsed(),
            );
        }
        Err(_) => return (BindReply::NoReply { bytes: 0 }, start.elapsed()),
    }
    let mut buf = [0u8; MAX_REPLY];
    let mut have = 0usize;
    loop {
        if let Some(r) = parse_reply(&buf[..have]) {
            return (r, start.elapsed());
        }
        if have == buf.len() {
            return (
                BindReply::NotDceRpc {
                    first_bytes: hex(&buf),
                    why: format!("no complete reply in the first {MAX_REPLY} bytes"),
                },
                start.elapsed(),
            );
        }
        match tokio::time::timeout_at(deadline, stream.read(&mut buf[have..])).await {
            Ok(Ok(0)) => {
                let r = if have == 0 {
                    BindReply::Closed
                } else {
                    BindReply::NotDceRpc {
                        first_bytes: hex(&buf[..have]),
                        why: format!("connection closed after {have} bytes of a partial reply"),
                    }
                };
                return (r, start.elapsed());
            }
            Ok(Ok(n)) => have += n,
            Ok(Err(e)) => {
                return (
                    BindReply::IoError {
                        error: e.to_string(),
                    },
                    start.elapsed(),
                );
            }
            Err(_) => return (BindReply::NoReply { bytes: have }, start.elapsed()),
        }
    }
}

#[cfg(test)]
mod tests;
