//! The clock stage: one KMS host's SNTP answer, and the clock verdict over every source asked
//! (`--time-server`, else the KMS hosts, else the domain).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hickory_resolver::TokioResolver;
use tokio::time::Instant;
use volact_core::Lang;
use volact_core::clock::{self, Party};

use super::common::{Ctx, LOOKUP_CONCURRENCY, has_key, map_bounded, ms, stage};
use crate::advice::{self, tr};
use crate::dns;
use crate::model::*;
use crate::sntp::{self, SntpOutcome, unusable_text};
use crate::target::{self, Target};

/// More than this offset, in seconds, and KMS refuses the client (0xC004F06C).
pub const CLOCK_FAIL_S: f64 = 4.0 * 3600.0;

/// "This machine is 2 h 00 min behind `reference`", in volact's one convention.
fn offset_sentence(offset_s: f64, reference: Party<'_>, lang: Lang) -> String {
    clock::capitalized(&clock::describe(
        offset_s,
        Party::ThisMachine,
        reference,
        lang,
    ))
}

pub(crate) fn clock_stage(o: &SntpOutcome, warn_s: f64, lang: Lang, server: &str) -> StageResult {
    let reference = Party::Named {
        en: server,
        zh: server,
    };
    let mut s = match o {
        SntpOutcome::Answer { offset_s, .. } => {
            let a = offset_s.abs();
            let said = offset_sentence(*offset_s, reference, lang);
            if a > CLOCK_FAIL_S {
                let mut s = stage(
                    Stage::Clock,
                    Status::Fail,
                    "offset-fail",
                    match lang {
                        Lang::En => {
                            format!("{said}: more than 4 hours apart, KMS refuses the client.")
                        }
                        Lang::ZhTw => format!("{said}：相差超過 4 小時，KMS 會拒絕用戶端。"),
                    },
                );
                s.codes
                    .push(CodeRef::new(0xC004_F06C, Relation::Predicts, lang));
                s.codes
                    .push(CodeRef::new(0xC004_F074, Relation::Predicts, lang));
                s
            } else if a > warn_s {
                let level = clock::magnitude(warn_s, lang);
                stage(
                    Stage::Clock,
                    Status::Warn,
                    "offset-warn",
                    match lang {
                        Lang::En => format!(
                            "{said}: under the 4-hour KMS limit, but above the {level} warning level."
                        ),
                        Lang::ZhTw => {
                            format!("{said}：未超過 KMS 的 4 小時上限，但超過 {level}的警告門檻。")
                        }
                    },
                )
            } else {
                stage(
                    Stage::Clock,
                    Status::Pass,
                    "offset-ok",
                    match lang {
                        Lang::En => format!("{said}."),
                        Lang::ZhTw => format!("{said}。"),
                    },
                )
            }
        }
        SntpOutcome::NoAnswer => stage(
            Stage::Clock,
            Status::Skip,
            "no-answer",
            match lang {
                Lang::En => format!(
                    "{server} did not answer SNTP; the clock could not be compared with it."
                ),
                Lang::ZhTw => format!("{server} 沒有回應 SNTP，無法比對時鐘。"),
            },
        ),
        SntpOutcome::Unusable { reason, detail } => {
            let text = unusable_text(*reason, detail, lang);
            stage(
                Stage::Clock,
                Status::Skip,
                "no-usable-time",
                match lang {
                    Lang::En => format!("{server}: {text}; the clock was not compared with it."),
                    Lang::ZhTw => format!("{server}：{text}；未與它比對時鐘。"),
                },
            )
        }
        SntpOutcome::IoError { error } => stage(
            Stage::Clock,
            Status::Skip,
            "io-error",
            match lang {
                Lang::En => format!("{server}: SNTP query failed ({error})."),
                Lang::ZhTw => format!("{server}：SNTP 查詢失敗（{error}）。"),
            },
        ),
    };
    s.data = serde_json::to_value(o).unwrap_or_default();
    s
}

/// Where the clock stage takes its time sources from.
pub(crate) struct Sources<'a> {
    /// `--time-server` sources (none shaped like a product key).
    pub(crate) time_servers: &'a [Target],
    /// SRV discovery, when it ran: its domains are the fallback sources.
    pub(crate) discovery: Option<&'a Discovery>,
    /// The host reports, whose clock stages asked the KMS hosts.
    pub(crate) hosts: &'a [HostReport],
    /// The fallback domains when discovery did not run (`--domain`, else the search list).
    pub(crate) domains: &'a [String],
}

/// The clock verdict: `--time-server`, else each KMS host's answer, else the domain's.
pub(crate) async fn clock(src: Sources<'_>, ctx: &Ctx) -> ClockReport {
    let lang = ctx.lang;
    let sources = gather(&src, ctx).await;
    // The answer with the largest offset (the first of equals), and who gave it.
    let worst = sources
        .iter()
        .filter_map(|s| match s.outcome {
            SntpOutcome::Answer { offset_s, .. } => Some((offset_s, s)),
            _ => None,
        })
        .fold(None, |m: Option<(f64, &ClockSource)>, x| match m {
            Some(y) if y.0.abs() >= x.0.abs() => Some(y),
            _ => Some(x),
        });
    let mut codes = Vec::new();
    let mut next = Vec::new();
    let (status, summary) = match worst {
        None => {
            next.push(advice::w32tm_status(lang));
            (
                Status::Unknown,
                no_time_summary(&sources, src.time_servers.is_empty(), lang),
            )
        }
        Some((o, source)) => {
            let (status, summary) = offset_verdict(o, source, ctx.warn_s, lang);
            if status == Status::Fail {
                codes.push(CodeRef::new(0xC004_F06C, Relation::Predicts, lang));
                codes.push(CodeRef::new(0xC004_F074, Relation::Predicts, lang));
            }
            if status != Status::Pass {
                next.push(advice::w32tm_status(lang));
                next.push(advice::w32tm_resync(lang));
            }
            (status, summary)
        }
    };
    let worst_offset = worst.map(|(o, _)| o);
    ClockReport {
        status,
        summary,
        offset_s: worst_offset,
        warn_above_s: ctx.warn_s,
        fail_above_s: CLOCK_FAIL_S,
        sources,
        codes,
        next_commands: next,
    }
}

/// Asks the time sources: the `--time-server` ones, else takes the KMS hosts' answers and, when
/// none answered, asks the domains.
async fn gather(src: &Sources<'_>, ctx: &Ctx) -> Vec<ClockSource> {
    if !src.time_servers.is_empty() {
        return ask_all(src.time_servers.to_vec(), "argument", ctx).await;
    }
    let mut sources = Vec::new();
    for h in src.hosts {
        if let Some(s) = h
            .stages
            .iter()
            .find(|s| s.stage == Stage::Clock && s.outcome != "skipped")
        {
            let outcome: SntpOutcome =
                serde_json::from_value(s.data.clone()).unwrap_or(SntpOutcome::NoAnswer);
            sources.push(ClockSource {
                server: target::join(&h.host, ctx.ntp_port),
                address: s.address.clone(),
                role: "kms-host",
                outcome,
                latency_ms: s.latency_ms.unwrap_or_default(),
            });
        }
    }
    // Many KMS hosts do not serve NTP: fall back to the domain (its domain controllers).
    let answered = sources
        .iter()
        .any(|s| matches!(s.outcome, SntpOutcome::Answer { .. }));
    if !answered {
        let domains: Vec<String> = match src.discovery {
            Some(d) => d.domains.iter().map(|d| d.domain.clone()).collect(),
            None => src.domains.to_vec(),
        };
        let targets: Vec<Target> = domains
            .into_iter()
            .filter(|d| !has_key(d) && target::valid_hostname(d))
            .map(|d| Target {
                host: d,
                port: ctx.ntp_port,
                origin: Origin::Argument,
            })
            .collect();
        sources.extend(ask_all(targets, "domain", ctx).await);
    }
    sources
}

/// Asks every target, a bounded number at once, in order.
async fn ask_all(targets: Vec<Target>, role: &'static str, ctx: &Ctx) -> Vec<ClockSource> {
    let resolver = ctx.resolver.clone();
    let timeout = ctx.timeout;
    let got = map_bounded(targets, LOOKUP_CONCURRENCY, |t| {
        let resolver = resolver.clone();
        async move { ask(&t, role, resolver, timeout).await }
    })
    .await;
    got.into_iter().flatten().collect()
}

/// "No time source answered (asked: ...)": the clock was not checked.
fn no_time_summary(sources: &[ClockSource], no_time_server: bool, lang: Lang) -> String {
    let mut asked: Vec<&str> = sources.iter().map(|s| s.server.as_str()).take(5).collect();
    let more = sources.len().saturating_sub(asked.len());
    let more_text = match lang {
        Lang::En => format!("and {more} more"),
        Lang::ZhTw => format!("及另外 {more} 個"),
    };
    if more > 0 {
        asked.push(&more_text);
    }
    let asked = if asked.is_empty() {
        tr(lang, "none could be asked", "沒有可詢問的來源")
    } else {
        asked.join(match lang {
            Lang::En => ", ",
            Lang::ZhTw => "、",
        })
    };
    let hint = if no_time_server {
        tr(
            lang,
            " Give --time-server (for example a domain controller).",
            "請用 --time-server 指定時間來源（例如網域控制站）。",
        )
    } else {
        String::new()
    };
    let unusable = sources.iter().find_map(|s| match &s.outcome {
        SntpOutcome::Unusable { reason, detail } => Some((s, *reason, detail)),
        _ => None,
    });
    match (unusable, lang) {
        (Some((s, reason, detail)), Lang::En) => format!(
            "No time source gave a usable time (asked: {asked}); the clock was NOT checked. {}: {}.{hint}",
            s.server,
            unusable_text(reason, detail, lang)
        ),
        (Some((s, reason, detail)), Lang::ZhTw) => format!(
            "沒有任何時間來源提供可用的時間（已詢問：{asked}）；時鐘並未檢查。{}：{}。{hint}",
            s.server,
            unusable_text(reason, detail, lang)
        ),
        (None, Lang::En) => {
            format!("No time source answered (asked: {asked}); the clock was NOT checked.{hint}")
        }
        (None, Lang::ZhTw) => {
            format!("沒有任何時間來源回應（已詢問：{asked}）；時鐘並未檢查。{hint}")
        }
    }
}

/// The verdict on the largest offset `o`, given by `src`.
fn offset_verdict(o: f64, src: &ClockSource, warn_s: f64, lang: Lang) -> (Status, String) {
    let (en, zh) = match src.role {
        "kms-host" => (
            format!("the KMS host's time ({})", src.server),
            format!("KMS 主機（{}）的時間", src.server),
        ),
        "domain" => (
            format!("the domain's time source ({})", src.server),
            format!("網域的時間來源（{}）", src.server),
        ),
        _ => (
            format!("the time source ({})", src.server),
            format!("時間來源（{}）", src.server),
        ),
    };
    let said = offset_sentence(o, Party::Named { en: &en, zh: &zh }, lang);
    if o.abs() > CLOCK_FAIL_S {
        (
            Status::Fail,
            match lang {
                Lang::En => format!(
                    "{said}: more than 4 hours apart, KMS activation fails with 0xC004F06C."
                ),
                Lang::ZhTw => format!("{said}：相差超過 4 小時，KMS 啟用會以 0xC004F06C 失敗。"),
            },
        )
    } else if o.abs() > warn_s {
        let level = clock::magnitude(warn_s, lang);
        (
            Status::Warn,
            match lang {
                Lang::En => format!(
                    "{said}: within the 4-hour KMS limit, but above the {level} warning level (Kerberos allows 5 minutes)."
                ),
                Lang::ZhTw => format!(
                    "{said}：在 KMS 的 4 小時上限內，但超過 {level}的警告門檻（Kerberos 只容許 5 分鐘）。"
                ),
            },
        )
    } else {
        (
            Status::Pass,
            match lang {
                Lang::En => format!("{said}: fine."),
                Lang::ZhTw => format!("{said}：正常。"),
            },
        )
    }
}

async fn ask(
    t: &Target,
    role: &'static str,
    resolver: Option<Arc<TokioResolver>>,
    timeout: Duration,
) -> ClockSource {
    let start = Instant::now();
    let ip = match t.ip() {
        Some(ip) => Some(ip),
        None => match resolver {
            Some(r) => tokio::time::timeout(timeout * 3, dns::addresses(&r, &t.host))
                .await
                .ok()
                .and_then(Result::ok)
                .and_then(|a| a.first().copied()),
            None => None,
        },
    };
    let Some(ip) = ip else {
        return ClockSource {
            server: t.display(),
            address: None,
            role,
            outcome: SntpOutcome::IoError {
                error: "the name has no address".into(),
            },
            latency_ms: ms(start.elapsed()),
        };
    };
    let sa = SocketAddr::new(ip, t.port);
    let (outcome, _) = sntp::query(sa, timeout).await;
    ClockSource {
        server: t.display(),
        address: Some(sa.to_string()),
        role,
        outcome,
        latency_ms: ms(start.elapsed()),
    }
}
