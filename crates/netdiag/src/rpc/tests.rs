use super::*;

const VECTOR: &str = "05000b03100000004800000001000000d016d0160000000001000000000001007521c8514e845047b0d8ec255555bc0601000000045d888aeb1cc9119fe808002b10486002000000";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn bind_matches_the_checked_test_vector() {
    assert_eq!(bind_pdu().to_vec(), unhex(VECTOR));
}

/// A bind_ack with one result, as the test peers send it.
fn ack(result: u16, reason: u16) -> Vec<u8> {
    volact_testsupport::peers::bind_ack(1, result, reason)
}

#[test]
fn parses_accept_and_reject() {
    assert_eq!(
        parse_reply(&ack(0, 0)),
        Some(BindReply::Accepted {
            sec_addr: Some("1688".into())
        })
    );
    assert_eq!(
        parse_reply(&ack(2, 1)),
        Some(BindReply::Rejected {
            result: 2,
            reason: 1
        })
    );
}

#[test]
fn waits_for_more_bytes_then_decides() {
    let a = ack(0, 0);
    for cut in 0..a.len() {
        assert_eq!(parse_reply(&a[..cut]), None, "cut at {cut}");
    }
}

#[test]
fn rejects_garbage_and_huge_lengths() {
    assert!(matches!(
        parse_reply(b"HTTP/1.1 400 Bad Request\r\n"),
        Some(BindReply::NotDceRpc { .. })
    ));
    let mut huge = ack(0, 0);
    huge[8..12].copy_from_slice(&[0xff; 4]);
    assert!(matches!(
        parse_reply(&huge),
        Some(BindReply::NotDceRpc { .. })
    ));
    let nak = [
        5,
        0,
        PTYPE_BIND_NAK,
        3,
        0x10,
        0,
        0,
        0,
        18,
        0,
        0,
        0,
        1,
        0,
        0,
        0,
        4,
        0,
    ];
    assert_eq!(parse_reply(&nak), Some(BindReply::Nak { reason: Some(4) }));
}

#[test]
fn never_panics_on_any_prefix_of_random_bytes() {
    let mut x: u32 = 0x1234_5678;
    for _ in 0..2000 {
        let mut b = [0u8; 64];
        for v in &mut b {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *v = x as u8;
        }
        b[0] = 5;
        b[1] = 0;
        b[2] = if x.is_multiple_of(2) {
            PTYPE_BIND_ACK
        } else {
            PTYPE_BIND_NAK
        };
        for cut in 0..b.len() {
            let _ = parse_reply(&b[..cut]);
        }
    }
}
