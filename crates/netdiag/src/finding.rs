//! What a doctor stage found, language-free: one [`Outcome`] variant per `outcome` id of the
//! JSON report, with the typed facts the sentence needs. The stage, status, codes and next
//! commands follow from the variant; the sentence is written at report time by
//! `phrases::outcome` (the crate's one phrases module).
//!
//! Adding an outcome (or a stage) is one variant here, one phrase pair in `phrases.rs` and one
//! test. What a run finds beyond one host's stages (discovery, a domain's lookup, the clock, the
//! hosts not probed) is its sibling [`Verdict`], written by `phrases::verdict` the same way.

use std::net::{IpAddr, SocketAddr};

use serde::Serialize;
use volact_core::ErrorCode;
use volact_core::finding::{Finding, Kind, Level};
use volact_core::kms::{self, Stage};

use crate::advice::{Cmd, HostCmd};
use crate::model::{LookupOutcome, Relation, Status};
use crate::rpc::BindReply;
use crate::sntp::{SntpOutcome, Unusable};
use crate::target::Target;

/// `0xC004F074`: no KMS could be contacted.
pub(crate) const NO_KMS: u32 = 0xC004_F074;
/// `0xC004F06C`: the request timestamp is invalid (clocks more than 4 hours apart).
const BAD_TIME: u32 = 0xC004_F06C;
/// `0xC004F039`: the KMS host did not answer in time.
const NO_ANSWER: u32 = 0xC004_F039;
/// `0x800706BA`: the RPC server is unavailable.
const RPC_UNAVAILABLE: u32 = 0x8007_06BA;

/// The codes a clock more than 4 hours off predicts.
pub(crate) const CLOCK_FAIL_CODES: [(u32, Relation); 2] =
    [(BAD_TIME, Relation::Predicts), (NO_KMS, Relation::Predicts)];

/// What one stage of one host found. Serialises as its facts alone (the id is [`Kind::id`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Outcome {
    /// dns: the host is an IP address; nothing to resolve.
    AddressGiven,
    /// dns: the name resolves.
    Resolved {
        /// The host name.
        host: String,
        /// Its addresses.
        addresses: Vec<IpAddr>,
    },
    /// dns: an SRV target whose addresses discovery found.
    SrvTargetResolved {
        /// The host name.
        host: String,
        /// Its addresses.
        addresses: Vec<IpAddr>,
    },
    /// dns: the name has no address.
    NoAddress {
        /// The host name.
        host: String,
        /// What the lookup gave.
        lookup: LookupOutcome,
    },
    /// tcp: connected.
    Connected {
        /// The address connected to.
        address: SocketAddr,
    },
    /// tcp: no answer within the timeout.
    TimedOut {
        /// The address tried.
        address: SocketAddr,
    },
    /// tcp: connection refused.
    Refused {
        /// The address tried.
        address: SocketAddr,
    },
    /// tcp: another connection error.
    Unreachable {
        /// The address tried.
        address: SocketAddr,
    },
    /// rpc: the bind was accepted: the KMS interface is present.
    Accepted,
    /// rpc: an RPC server rejected the KMS interface.
    Rejected {
        /// The bind_ack result.
        result: u16,
        /// The bind_ack reason.
        reason: u16,
    },
    /// rpc: bind_nak.
    BindNak {
        /// The reject reason, when present.
        reason: Option<u16>,
    },
    /// rpc: another DCE/RPC packet type.
    UnexpectedPdu {
        /// Its packet type.
        ptype: u8,
    },
    /// rpc: the reply is not DCE/RPC.
    NotDceRpc {
        /// Why.
        why: String,
    },
    /// rpc: the peer closed without answering.
    Closed,
    /// rpc: no whole reply within the timeout.
    NoReply {
        /// Bytes that arrived.
        bytes: usize,
    },
    /// rpc: the connection failed during the bind.
    RpcIoError {
        /// The error.
        error: String,
    },
    /// clock: within the warning level.
    OffsetOk {
        /// The time source, `host:port`.
        server: String,
        /// Seconds this machine is ahead of it (negative: behind).
        offset_s: f64,
    },
    /// clock: above the warning level, within the KMS limit.
    OffsetWarn {
        /// The time source.
        server: String,
        /// Seconds ahead (negative: behind).
        offset_s: f64,
        /// The warning level, in seconds.
        warn_s: f64,
    },
    /// clock: above the KMS limit (4 hours).
    OffsetFail {
        /// The time source.
        server: String,
        /// Seconds ahead (negative: behind).
        offset_s: f64,
    },
    /// clock: the source did not answer SNTP.
    NoAnswer {
        /// The time source.
        server: String,
    },
    /// clock: the source answered without a usable time.
    NoUsableTime {
        /// The time source.
        server: String,
        /// Why.
        reason: Unusable,
        /// The protocol fact behind the reason.
        detail: String,
    },
    /// clock: the SNTP query failed.
    ClockIoError {
        /// The time source.
        server: String,
        /// The error.
        error: String,
    },
    /// Not run: an earlier stage failed.
    Skipped {
        /// The stage not run.
        stage: Stage,
    },
}

impl Kind for Outcome {
    fn id(&self) -> &'static str {
        match self {
            Outcome::AddressGiven => "address-given",
            Outcome::Resolved { .. } => "resolved",
            Outcome::SrvTargetResolved { .. } => "srv-target-resolved",
            Outcome::NoAddress { .. } => "no-address",
            Outcome::Connected { .. } => "connected",
            Outcome::TimedOut { .. } => "timed-out",
            Outcome::Refused { .. } => "refused",
            Outcome::Unreachable { .. } => "unreachable",
            Outcome::Accepted => "accepted",
            Outcome::Rejected { .. } => "rejected",
            Outcome::BindNak { .. } => "bind-nak",
            Outcome::UnexpectedPdu { .. } => "unexpected-pdu",
            Outcome::NotDceRpc { .. } => "not-dcerpc",
            Outcome::Closed => "closed",
            Outcome::NoReply { .. } => "no-reply",
            Outcome::RpcIoError { .. } | Outcome::ClockIoError { .. } => "io-error",
            Outcome::OffsetOk { .. } => "offset-ok",
            Outcome::OffsetWarn { .. } => "offset-warn",
            Outcome::OffsetFail { .. } => "offset-fail",
            Outcome::NoAnswer { .. } => "no-answer",
            Outcome::NoUsableTime { .. } => "no-usable-time",
            Outcome::Skipped { .. } => "skipped",
        }
    }
}

impl Outcome {
    /// The RPC stage's outcome for the reply to the bind.
    pub fn from_reply(reply: &BindReply) -> Self {
        match reply {
            BindReply::Accepted { .. } => Outcome::Accepted,
            BindReply::Rejected { result, reason } => Outcome::Rejected {
                result: *result,
                reason: *reason,
            },
            BindReply::Nak { reason } => Outcome::BindNak { reason: *reason },
            BindReply::OtherPdu { ptype } => Outcome::UnexpectedPdu { ptype: *ptype },
            BindReply::NotDceRpc { why, .. } => Outcome::NotDceRpc { why: why.clone() },
            BindReply::Closed => Outcome::Closed,
            BindReply::NoReply { bytes } => Outcome::NoReply { bytes: *bytes },
            BindReply::IoError { error } => Outcome::RpcIoError {
                error: error.clone(),
            },
        }
    }

    /// The clock stage's outcome for `server`'s SNTP answer, against the warning level `warn_s`
    /// and the KMS limit.
    pub fn from_sntp(o: &SntpOutcome, server: &str, warn_s: f64) -> Self {
        let server = server.to_owned();
        match o {
            SntpOutcome::Answer { offset_s, .. } if offset_s.abs() > clock_limit_s() => {
                Outcome::OffsetFail {
                    server,
                    offset_s: *offset_s,
                }
            }
            SntpOutcome::Answer { offset_s, .. } if offset_s.abs() > warn_s => {
                Outcome::OffsetWarn {
                    server,
                    offset_s: *offset_s,
                    warn_s,
                }
            }
            SntpOutcome::Answer { offset_s, .. } => Outcome::OffsetOk {
                server,
                offset_s: *offset_s,
            },
            SntpOutcome::NoAnswer => Outcome::NoAnswer { server },
            SntpOutcome::Unusable { reason, detail } => Outcome::NoUsableTime {
                server,
                reason: *reason,
                detail: detail.clone(),
            },
            SntpOutcome::IoError { error } => Outcome::ClockIoError {
                server,
                error: error.clone(),
            },
        }
    }

    /// The stage it belongs to.
    pub fn stage(&self) -> Stage {
        match self {
            Outcome::AddressGiven
            | Outcome::Resolved { .. }
            | Outcome::SrvTargetResolved { .. }
            | Outcome::NoAddress { .. } => Stage::Dns,
            Outcome::Connected { .. }
            | Outcome::TimedOut { .. }
            | Outcome::Refused { .. }
            | Outcome::Unreachable { .. } => Stage::Tcp,
            Outcome::Accepted
            | Outcome::Rejected { .. }
            | Outcome::BindNak { .. }
            | Outcome::UnexpectedPdu { .. }
            | Outcome::NotDceRpc { .. }
            | Outcome::Closed
            | Outcome::NoReply { .. }
            | Outcome::RpcIoError { .. } => Stage::Rpc,
            Outcome::OffsetOk { .. }
            | Outcome::OffsetWarn { .. }
            | Outcome::OffsetFail { .. }
            | Outcome::NoAnswer { .. }
            | Outcome::NoUsableTime { .. }
            | Outcome::ClockIoError { .. } => Stage::Clock,
            Outcome::Skipped { stage } => *stage,
        }
    }

    /// Its status. A time source that gives no usable time is skipped, not failed: it says
    /// nothing about the clock.
    pub fn status(&self) -> Status {
        match self {
            Outcome::Resolved { .. }
            | Outcome::SrvTargetResolved { .. }
            | Outcome::Connected { .. }
            | Outcome::Accepted
            | Outcome::OffsetOk { .. } => Status::Pass,
            Outcome::AddressGiven
            | Outcome::NoAnswer { .. }
            | Outcome::NoUsableTime { .. }
            | Outcome::ClockIoError { .. }
            | Outcome::Skipped { .. } => Status::Skip,
            Outcome::OffsetWarn { .. } => Status::Warn,
            _ => Status::Fail,
        }
    }

    /// The level on volact's one scale.
    pub fn level(&self) -> Level {
        self.status().level()
    }

    /// The codes it explains or predicts, most relevant first.
    pub fn codes(&self) -> Vec<(u32, Relation)> {
        use Relation::{Explains, Predicts};
        match self {
            Outcome::NoAddress { lookup, .. } => {
                let lookup = match lookup {
                    LookupOutcome::Found => LookupOutcome::NoRecords,
                    o => *o,
                };
                let mut v: Vec<_> = crate::dns::code_for(lookup)
                    .map(|c| (c, Explains))
                    .into_iter()
                    .collect();
                v.push((NO_KMS, Predicts));
                v
            }
            Outcome::TimedOut { .. } => vec![
                (RPC_UNAVAILABLE, Explains),
                (NO_ANSWER, Explains),
                (NO_KMS, Predicts),
            ],
            Outcome::Refused { .. } | Outcome::Unreachable { .. } | Outcome::RpcIoError { .. } => {
                vec![(RPC_UNAVAILABLE, Explains), (NO_KMS, Predicts)]
            }
            Outcome::Rejected { .. }
            | Outcome::BindNak { .. }
            | Outcome::UnexpectedPdu { .. }
            | Outcome::NotDceRpc { .. }
            | Outcome::Closed => vec![(NO_KMS, Predicts)],
            Outcome::NoReply { .. } => vec![(NO_ANSWER, Explains), (NO_KMS, Predicts)],
            Outcome::OffsetFail { .. } => CLOCK_FAIL_CODES.to_vec(),
            _ => vec![],
        }
    }

    /// What to run next on the client or the KMS host.
    pub(crate) fn commands(&self) -> &'static [HostCmd] {
        match (self.stage(), self.status()) {
            (Stage::Dns, Status::Fail) => &[HostCmd::NslookupHost, HostCmd::Ipconfig],
            (Stage::Tcp, Status::Fail) => &[HostCmd::TestPort, HostCmd::Firewall, HostCmd::Dlv],
            (Stage::Rpc, Status::Fail) => &[HostCmd::Dlv, HostCmd::Netstat, HostCmd::Skms],
            (Stage::Clock, Status::Fail | Status::Warn) => &[HostCmd::W32tm],
            _ => &[],
        }
    }
}

/// What a run found beyond one host's stages, language-free: the discovery verdict, each
/// domain's SRV lookup, the clock verdict and the hosts not probed. The sibling of [`Outcome`]:
/// the sentence is written at report time by `phrases::verdict`; codes and next commands follow
/// from the variant.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// discovery: no domain to search (no `--domain`, an empty search list).
    NoDomain,
    /// discovery: some domain has usable records.
    Discovered {
        /// SRV records that name a host (neither `.` nor a bad target).
        hosts_found: usize,
        /// The domains tried.
        tried: Vec<String>,
    },
    /// discovery: no usable record (or a `--domain` given failed).
    DiscoveryFailed {
        /// The domains tried.
        tried: Vec<String>,
    },
    /// domain: the SRV lookup failed.
    LookupFailed {
        /// The name queried.
        query: String,
        /// What the lookup gave.
        outcome: LookupOutcome,
    },
    /// domain: the only target is `.`: no KMS service here (RFC 2782).
    NoService {
        /// The name queried.
        query: String,
    },
    /// domain: records found.
    Records {
        /// The name queried.
        query: String,
        /// How many.
        count: usize,
        /// Whether some need attention.
        flagged: bool,
    },
    /// clock: no source gave a usable time.
    NoTime {
        /// The first sources asked, `host:port`.
        asked: Vec<String>,
        /// How many more were asked.
        more: usize,
        /// The first source without a usable time: `host:port`, why, the protocol fact.
        unusable: Option<(String, Unusable, String)>,
        /// Suggest `--time-server` (none was given).
        hint: bool,
    },
    /// clock: the largest offset, judged.
    ClockOffset {
        /// Pass, warn or fail.
        status: Status,
        /// Who gave it: `argument`, `kms-host` or `domain`.
        role: &'static str,
        /// `host:port`.
        server: String,
        /// Seconds ahead (negative: behind).
        offset_s: f64,
        /// The warning level, in seconds.
        warn_s: f64,
    },
    /// Hosts not probed.
    NotProbed {
        /// Over the run's host limit.
        over_limit: usize,
        /// The host limit.
        max: usize,
        /// Refused: shaped like a product key.
        keys: usize,
    },
}

impl Verdict {
    /// The codes it explains or predicts, most relevant first.
    pub fn codes(&self) -> Vec<(u32, Relation)> {
        let code = |o| crate::dns::code_for(o).into_iter();
        match self {
            Verdict::LookupFailed { outcome, .. } => {
                code(*outcome).map(|c| (c, Relation::Explains)).collect()
            }
            Verdict::NoService { .. } => code(LookupOutcome::NoService)
                .flat_map(|c| [(c, Relation::Predicts), (NO_KMS, Relation::Predicts)])
                .collect(),
            Verdict::ClockOffset {
                status: Status::Fail,
                ..
            } => CLOCK_FAIL_CODES.to_vec(),
            _ => vec![],
        }
    }

    /// The clock's next commands (the discovery's depend on every domain: `check/dns.rs`).
    pub(crate) fn commands(&self) -> Vec<Cmd> {
        match self {
            Verdict::NoTime { .. } => vec![Cmd::W32tmStatus],
            Verdict::ClockOffset { status, .. } if *status != Status::Pass => {
                vec![Cmd::W32tmStatus, Cmd::W32tmResync]
            }
            _ => vec![],
        }
    }

    /// The clock's status: unknown without a usable time, else the offset's.
    pub fn clock_status(&self) -> Status {
        match self {
            Verdict::ClockOffset { status, .. } => *status,
            _ => Status::Unknown,
        }
    }
}

/// The KMS clock limit, in seconds.
pub(crate) fn clock_limit_s() -> f64 {
    kms::CLOCK_LIMIT_SECS as f64
}

impl Status {
    /// The level on volact's one scale: pass is ok, skip is information, warn and unknown are
    /// warnings, fail is an error.
    pub fn level(self) -> Level {
        match self {
            Status::Pass => Level::Ok,
            Status::Skip => Level::Info,
            Status::Warn | Status::Unknown => Level::Warning,
            Status::Fail => Level::Error,
        }
    }
}

/// One stage's finding with what was measured: language-free, turned into a
/// [`crate::model::StageResult`] at report time.
#[derive(Clone, Debug)]
pub struct Probe {
    /// What was found.
    pub outcome: Outcome,
    /// How long the stage took, in milliseconds.
    pub latency_ms: Option<f64>,
    /// The address used, when any.
    pub address: Option<String>,
    /// Extra facts for the JSON `data` field (the RPC reply, the SNTP answer, ...).
    pub data: serde_json::Value,
}

impl Probe {
    /// The finding in volact's one shape, for host `t`: the outcome, its level, the codes it
    /// explains or predicts and the command lines to run next.
    pub fn finding(&self, t: &Target) -> Finding<Outcome> {
        let mut f = Finding::new(self.outcome.clone(), self.outcome.level()).with_codes(
            self.outcome
                .codes()
                .into_iter()
                .map(|(c, _)| ErrorCode::new(c)),
        );
        for c in self.outcome.commands().iter().flat_map(|hc| hc.cmds(t)) {
            f = f.with_command(c.run());
        }
        f
    }

    /// A probe with no latency, address or data.
    pub fn new(outcome: Outcome) -> Self {
        Self {
            outcome,
            latency_ms: None,
            address: None,
            data: serde_json::Value::Null,
        }
    }
}

#[cfg(test)]
mod tests;
