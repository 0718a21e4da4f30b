//! Every doctor outcome: its id, stage, status and codes, and a sentence in both languages;
//! every verdict (discovery, a domain, the clock, hosts not probed): its codes, next commands and
//! sentences. A new outcome adds one row to `every_outcome`, a new verdict one to `every_verdict`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use volact_core::Lang;
use volact_core::finding::{Kind, Level};
use volact_core::kms::Stage;

use super::*;
use crate::phrases;

fn sa() -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 5)), 1688)
}

/// One sample of every outcome, with its id, stage and status.
fn every_outcome() -> Vec<(Outcome, &'static str, Stage, Status)> {
    let host = || "kms.contoso.com".to_owned();
    let server = || "10.0.0.5:123".to_owned();
    let addresses = vec![sa().ip()];
    vec![
        (
            Outcome::AddressGiven,
            "address-given",
            Stage::Dns,
            Status::Skip,
        ),
        (
            Outcome::Resolved {
                host: host(),
                addresses: addresses.clone(),
            },
            "resolved",
            Stage::Dns,
            Status::Pass,
        ),
        (
            Outcome::SrvTargetResolved {
                host: host(),
                addresses,
            },
            "srv-target-resolved",
            Stage::Dns,
            Status::Pass,
        ),
        (
            Outcome::NoAddress {
                host: host(),
                lookup: LookupOutcome::NameNotFound,
            },
            "no-address",
            Stage::Dns,
            Status::Fail,
        ),
        (
            Outcome::Connected { address: sa() },
            "connected",
            Stage::Tcp,
            Status::Pass,
        ),
        (
            Outcome::TimedOut { address: sa() },
            "timed-out",
            Stage::Tcp,
            Status::Fail,
        ),
        (
            Outcome::Refused { address: sa() },
            "refused",
            Stage::Tcp,
            Status::Fail,
        ),
        (
            Outcome::Unreachable { address: sa() },
            "unreachable",
            Stage::Tcp,
            Status::Fail,
        ),
        (Outcome::Accepted, "accepted", Stage::Rpc, Status::Pass),
        (
            Outcome::Rejected {
                result: 2,
                reason: 1,
            },
            "rejected",
            Stage::Rpc,
            Status::Fail,
        ),
        (
            Outcome::BindNak { reason: Some(4) },
            "bind-nak",
            Stage::Rpc,
            Status::Fail,
        ),
        (
            Outcome::UnexpectedPdu { ptype: 2 },
            "unexpected-pdu",
            Stage::Rpc,
            Status::Fail,
        ),
        (
            Outcome::NotDceRpc {
                why: "version 72".into(),
            },
            "not-dcerpc",
            Stage::Rpc,
            Status::Fail,
        ),
        (Outcome::Closed, "closed", Stage::Rpc, Status::Fail),
        (
            Outcome::NoReply { bytes: 3 },
            "no-reply",
            Stage::Rpc,
            Status::Fail,
        ),
        (
            Outcome::RpcIoError {
                error: "reset".into(),
            },
            "io-error",
            Stage::Rpc,
            Status::Fail,
        ),
        (
            Outcome::OffsetOk {
                server: server(),
                offset_s: 2.0,
            },
            "offset-ok",
            Stage::Clock,
            Status::Pass,
        ),
        (
            Outcome::OffsetWarn {
                server: server(),
                offset_s: -600.0,
                warn_s: 300.0,
            },
            "offset-warn",
            Stage::Clock,
            Status::Warn,
        ),
        (
            Outcome::OffsetFail {
                server: server(),
                offset_s: 18_000.0,
            },
            "offset-fail",
            Stage::Clock,
            Status::Fail,
        ),
        (
            Outcome::NoAnswer { server: server() },
            "no-answer",
            Stage::Clock,
            Status::Skip,
        ),
        (
            Outcome::NoUsableTime {
                server: server(),
                reason: Unusable::Unsynchronised,
                detail: "stratum=16".into(),
            },
            "no-usable-time",
            Stage::Clock,
            Status::Skip,
        ),
        (
            Outcome::ClockIoError {
                server: server(),
                error: "port unreachable".into(),
            },
            "io-error",
            Stage::Clock,
            Status::Skip,
        ),
        (
            Outcome::Skipped { stage: Stage::Rpc },
            "skipped",
            Stage::Rpc,
            Status::Skip,
        ),
    ]
}

#[test]
fn every_outcome_has_its_id_stage_status_and_both_sentences() {
    for (o, id, stage, status) in every_outcome() {
        assert_eq!(o.id(), id, "{o:?}");
        assert_eq!(o.stage(), stage, "{o:?}");
        assert_eq!(o.status(), status, "{o:?}");
        let en = phrases::outcome(&o, Lang::En);
        let zh = phrases::outcome(&o, Lang::ZhTw);
        assert!(en.ends_with('.'), "{en}");
        assert!(zh.ends_with('。'), "{zh}");
        assert!(!zh.is_ascii(), "{zh}");
        // Failures say which codes they explain or predict, and what to run next.
        if status == Status::Fail {
            assert!(!o.codes().is_empty(), "{o:?}");
            assert!(!o.commands().is_empty(), "{o:?}");
            assert_eq!(o.level(), Level::Error);
        }
    }
}

#[test]
fn the_clock_outcome_follows_the_warning_level_and_the_kms_limit() {
    let answer = |offset_s| SntpOutcome::Answer {
        offset_s,
        delay_s: 0.01,
        stratum: 2,
    };
    let id = |o: f64| Outcome::from_sntp(&answer(o), "s:123", 300.0).id();
    assert_eq!(id(299.0), "offset-ok");
    assert_eq!(id(-301.0), "offset-warn");
    assert_eq!(id(4.0 * 3600.0), "offset-warn");
    assert_eq!(id(-4.0 * 3600.0 - 1.0), "offset-fail");
    assert_eq!(
        Outcome::from_sntp(&answer(-20_000.0), "s:123", 300.0).codes(),
        [
            (0xC004_F06C, Relation::Predicts),
            (0xC004_F074, Relation::Predicts)
        ]
    );
}

#[test]
fn tcp_codes_keep_their_order() {
    assert_eq!(
        Outcome::TimedOut { address: sa() }.codes(),
        [
            (0x8007_06BA, Relation::Explains),
            (0xC004_F039, Relation::Explains),
            (0xC004_F074, Relation::Predicts)
        ]
    );
    assert_eq!(
        Outcome::NoAddress {
            host: "h".into(),
            lookup: LookupOutcome::NameNotFound
        }
        .codes()
        .last(),
        Some(&(0xC004_F074, Relation::Predicts))
    );
}

#[test]
fn a_probe_is_a_finding_in_the_core_shape() {
    let t = crate::target::parse("kms.contoso.com", 1688, crate::model::Origin::Argument).unwrap();
    let p = Probe::new(Outcome::Refused { address: sa() });
    let f = p.finding(&t);
    assert_eq!(f.id(), "refused");
    assert_eq!(f.level, Level::Error);
    assert_eq!(f.codes.len(), 2);
    assert!(f.commands[0].starts_with("Test-NetConnection kms.contoso.com -Port 1688"));
    let v = serde_json::to_value(&f).unwrap();
    assert_eq!(v["kind"], "refused");
    assert_eq!(v["facts"]["address"], "10.0.0.5:1688");
}

/// A verdict, its codes and how many next commands follow from it.
type VerdictRow = (Verdict, Vec<(u32, Relation)>, usize);

/// One sample of every verdict.
fn every_verdict() -> Vec<VerdictRow> {
    let query = || "_vlmcs._tcp.contoso.com.".to_owned();
    let tried = || vec!["contoso.com".to_owned(), "fabrikam.com".to_owned()];
    let offset = |status| Verdict::ClockOffset {
        status,
        role: "kms-host",
        server: "kms.contoso.com:123".into(),
        offset_s: -5.0 * 3600.0,
        warn_s: 300.0,
    };
    vec![
        (Verdict::NoDomain, vec![], 0),
        (
            Verdict::Discovered {
                hosts_found: 2,
                tried: tried(),
            },
            vec![],
            0,
        ),
        (Verdict::DiscoveryFailed { tried: tried() }, vec![], 0),
        (
            Verdict::LookupFailed {
                query: query(),
                outcome: LookupOutcome::NameNotFound,
            },
            vec![(0x8007_232B, Relation::Explains)],
            0,
        ),
        (
            Verdict::NoService { query: query() },
            vec![
                (0x8007_251D, Relation::Predicts),
                (0xC004_F074, Relation::Predicts),
            ],
            0,
        ),
        (
            Verdict::Records {
                query: query(),
                count: 2,
                flagged: true,
            },
            vec![],
            0,
        ),
        (
            Verdict::NoTime {
                asked: vec!["10.0.0.5:123".into()],
                more: 3,
                unusable: Some((
                    "10.0.0.5:123".into(),
                    Unusable::Unsynchronised,
                    "stratum=16".into(),
                )),
                hint: true,
            },
            vec![],
            1,
        ),
        (offset(Status::Pass), vec![], 0),
        (offset(Status::Warn), vec![], 2),
        (offset(Status::Fail), CLOCK_FAIL_CODES.to_vec(), 2),
        (
            Verdict::NotProbed {
                over_limit: 3,
                max: 2,
                keys: 1,
            },
            vec![],
            0,
        ),
    ]
}

#[test]
fn every_verdict_has_its_codes_commands_and_both_sentences() {
    for (v, codes, commands) in every_verdict() {
        assert_eq!(v.codes(), codes, "{v:?}");
        assert_eq!(v.commands().len(), commands, "{v:?}");
        let en = phrases::verdict(&v, Lang::En);
        let zh = phrases::verdict(&v, Lang::ZhTw);
        assert!(en.is_ascii() && !en.is_empty(), "{en}");
        assert!(!zh.is_ascii(), "{zh}");
        assert_ne!(en, zh);
    }
    assert_eq!(
        phrases::verdict(&every_verdict()[2].0, Lang::En),
        "KMS discovery failed: no usable _vlmcs._tcp record (tried contoso.com, fabrikam.com)."
    );
    assert_eq!(
        phrases::verdict(&every_verdict()[10].0, Lang::ZhTw),
        "3 部主機未檢查：每次執行最多檢查 2 部主機（指定的與自動探索到的合計）；1 部主機未檢查：看起來是產品金鑰，金鑰絕不會送上網路。"
    );
}

/// Every command an outcome (for every stage) or a verdict recommends carries the mark of
/// volact's commands table.
#[test]
fn every_recommended_command_carries_the_table_mark() {
    let t = crate::target::parse("kms.contoso.com", 1688, crate::model::Origin::Argument).unwrap();
    let mut n = 0;
    for (o, ..) in every_outcome() {
        for c in o.commands().iter().flat_map(|hc| hc.cmds(&t)) {
            crate::advice::tests::assert_marked(&c);
            n += 1;
        }
    }
    for (v, ..) in every_verdict() {
        for c in v.commands() {
            crate::advice::tests::assert_marked(&c);
            n += 1;
        }
    }
    assert!(n >= 10, "{n}");
}

#[test]
fn the_clock_status_follows_the_verdict() {
    assert_eq!(Verdict::NoDomain.clock_status(), Status::Unknown);
    for (v, _, _) in every_verdict() {
        if let Verdict::ClockOffset { status, .. } = v {
            assert_eq!(v.clock_status(), status);
        }
    }
}
