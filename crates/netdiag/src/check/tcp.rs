//! The TCP stage: a connection to the KMS port.

use std::net::SocketAddr;

use serde_json::json;
use tokio::net::TcpStream;
use tokio::time::Instant;
use volact_core::Lang;

use super::common::{Ctx, ms, stage};
use crate::model::*;

/// Connects to `sa` within the timeout: the stage result, and the stream when connected.
pub(crate) async fn connect(sa: SocketAddr, ctx: &Ctx) -> (StageResult, Option<TcpStream>) {
    let lang = ctx.lang;
    let start = Instant::now();
    let conn = tokio::time::timeout(ctx.timeout, TcpStream::connect(sa)).await;
    let latency = ms(start.elapsed());
    let (mut s, stream) = match conn {
        Ok(Ok(stream)) => (
            stage(
                Stage::Tcp,
                Status::Pass,
                "connected",
                match lang {
                    Lang::En => format!("Connected to {sa}."),
                    Lang::ZhTw => format!("已連線到 {sa}。"),
                },
            ),
            Some(stream),
        ),
        Err(_) => (failed(sa, "timed-out", None, lang), None),
        Ok(Err(e)) => {
            let outcome = if e.kind() == std::io::ErrorKind::ConnectionRefused {
                "refused"
            } else {
                "unreachable"
            };
            (failed(sa, outcome, Some(&e), lang), None)
        }
    };
    s.latency_ms = Some(latency);
    s.address = Some(sa.to_string());
    (s, stream)
}

/// A connection that failed: timed out, refused or unreachable.
fn failed(
    sa: SocketAddr,
    outcome: &'static str,
    error: Option<&std::io::Error>,
    lang: Lang,
) -> StageResult {
    let (en, zh) = match outcome {
        "timed-out" => (
            "no answer within the timeout (filtered, or the host is down)",
            "逾時沒有回應（被過濾，或主機已關機）",
        ),
        "refused" => (
            "connection refused: nothing listens on the port, or a firewall rejects it",
            "連線被拒：這個連接埠沒有程式接聽，或被防火牆拒絕",
        ),
        _ => ("the connection failed", "連線失敗"),
    };
    let mut s = stage(
        Stage::Tcp,
        Status::Fail,
        outcome,
        match lang {
            Lang::En => format!("{sa}: {en}."),
            Lang::ZhTw => format!("{sa}：{zh}。"),
        },
    );
    if let Some(e) = error {
        s.data = json!({ "error": e.to_string() });
    }
    s.codes
        .push(CodeRef::new(0x8007_06BA, Relation::Explains, lang));
    if outcome == "timed-out" {
        s.codes
            .push(CodeRef::new(0xC004_F039, Relation::Explains, lang));
    }
    s.codes
        .push(CodeRef::new(0xC004_F074, Relation::Predicts, lang));
    s
}
