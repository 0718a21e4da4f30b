use super::*;

fn server_reply(sent: &[u8; 8], t2: f64, t3: f64, stratum: u8) -> [u8; 48] {
    let mut r = [0u8; 48];
    r[0] = 0x24;
    r[1] = stratum;
    r[16..24].copy_from_slice(&to_ts(t2 - 10.0));
    r[24..32].copy_from_slice(sent);
    r[32..40].copy_from_slice(&to_ts(t2));
    r[40..48].copy_from_slice(&to_ts(t3));
    r
}

fn sent_at(t1: f64) -> [u8; 8] {
    let p = client_packet(t1);
    let mut sent = [0u8; 8];
    sent.copy_from_slice(&p[40..48]);
    sent
}

#[test]
fn offset_and_delay_follow_rfc_4330_with_volacts_sign() {
    let t1 = 3_970_000_000.25;
    let sent = sent_at(t1);
    // Server 5 hours ahead, 10 ms each way: this machine is 5 hours behind (negative).
    let shift = 5.0 * 3600.0;
    let r = server_reply(&sent, t1 + 0.01 + shift, t1 + 0.011 + shift, 2);
    let SntpOutcome::Answer {
        offset_s, delay_s, ..
    } = parse_reply(&r, &sent, t1, t1 + 0.021)
    else {
        panic!("no answer")
    };
    assert!((offset_s + shift).abs() < 0.001, "{offset_s}");
    assert!((delay_s - 0.02).abs() < 0.001, "{delay_s}");
}

fn reason(o: &SntpOutcome) -> Option<Unusable> {
    match o {
        SntpOutcome::Unusable { reason, .. } => Some(*reason),
        _ => None,
    }
}

#[test]
fn replies_without_a_usable_time_are_never_answers() {
    let t1 = 3_970_000_000.0;
    let sent = sent_at(t1);
    let good = server_reply(&sent, t1, t1, 2);
    assert!(matches!(
        parse_reply(&good, &sent, t1, t1),
        SntpOutcome::Answer { .. }
    ));
    let mut kod = server_reply(&sent, t1, t1, 0);
    kod[12..16].copy_from_slice(b"RATE");
    assert_eq!(
        parse_reply(&kod, &sent, t1, t1),
        SntpOutcome::Unusable {
            reason: Unusable::KissOfDeath,
            detail: "RATE".into()
        }
    );
    type Change = fn(&mut [u8; 48]);
    let cases: Vec<(Change, Unusable)> = vec![
        (|r| r[1] = 16, Unusable::Unsynchronised),
        (|r| r[1] = 200, Unusable::Unsynchronised),
        (|r| r[0] = 0xE4, Unusable::Unsynchronised),
        (|r| r[32..48].fill(0), Unusable::ZeroTimestamp),
        (|r| r[40..48].fill(0), Unusable::ZeroTimestamp),
        (|r| r[32..40].fill(0), Unusable::ZeroTimestamp),
        (|r| r[16..24].fill(0), Unusable::ZeroTimestamp),
        (|r| r[8] = 0x10, Unusable::TooUncertain),
        (|r| r[4] = 0x80, Unusable::TooUncertain),
        (|r| r[0] = 0x23, Unusable::NotAServerReply),
        (|r| r[0] = 0x04, Unusable::NotAServerReply),
        (|r| r[0] = 0x3C, Unusable::NotAServerReply),
    ];
    for (i, (change, want)) in cases.iter().enumerate() {
        let mut r = good;
        change(&mut r);
        assert_eq!(
            reason(&parse_reply(&r, &sent, t1, t1)),
            Some(*want),
            "case {i}"
        );
    }
    let backwards = server_reply(&sent, t1 + 1.0, t1, 2);
    assert_eq!(
        reason(&parse_reply(&backwards, &sent, t1, t1)),
        Some(Unusable::Inconsistent)
    );
    assert_eq!(
        reason(&parse_reply(&good[..20], &sent, t1, t1)),
        Some(Unusable::TooShort)
    );
    let mut stray = good;
    stray[24] ^= 1;
    assert!(is_stray(&parse_reply(&stray, &sent, t1, t1)));
    // Every reason has words in both languages.
    for u in [
        Unusable::KissOfDeath,
        Unusable::Unsynchronised,
        Unusable::TooUncertain,
        Unusable::TooShort,
        Unusable::NotAServerReply,
        Unusable::ZeroTimestamp,
        Unusable::Inconsistent,
    ] {
        assert!(u.describe(volact_core::Lang::En).is_ascii());
        assert!(!u.describe(volact_core::Lang::ZhTw).is_ascii());
    }
}

#[test]
fn era_rollover() {
    // 2036-02-07 wraps the 32-bit seconds; a time just after it must not read as 1900.
    let near = 4_294_967_296.0 + 100.0;
    let b = to_ts(near + 5.0);
    assert!((from_ts(&b, near) - (near + 5.0)).abs() < 1e-3);
}
