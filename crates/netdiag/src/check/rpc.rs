//! The RPC stage: one DCE/RPC bind to the KMS interface on the connected stream (the probe is
//! in [`crate::rpc`]), and what its reply means.

use std::net::SocketAddr;

use tokio::net::TcpStream;
use volact_core::Lang;

use super::common::{Ctx, ms, stage};
use crate::model::*;
use crate::rpc::{self, BindReply};

/// Sends the bind on `stream` (connected to `sa`) and judges the reply.
pub(crate) async fn bind(stream: &mut TcpStream, sa: SocketAddr, ctx: &Ctx) -> StageResult {
    let (reply, took) = rpc::probe(stream, ctx.timeout).await;
    let mut s = rpc_stage(&reply, ctx.lang);
    s.latency_ms = Some(ms(took));
    s.address = Some(sa.to_string());
    s.data = serde_json::to_value(&reply).unwrap_or_default();
    s
}

fn rpc_stage(reply: &BindReply, lang: Lang) -> StageResult {
    let (status, outcome, en, zh, codes): (
        Status,
        &'static str,
        String,
        String,
        &[(u32, Relation)],
    ) = match reply {
        BindReply::Accepted { .. } => (
            Status::Pass,
            "accepted",
            "The KMS RPC interface is present: the bind was accepted.".into(),
            "KMS 的 RPC 介面存在：繫結已被接受。".into(),
            &[],
        ),
        BindReply::Rejected { result, reason } => (
            Status::Fail,
            "rejected",
            format!(
                "An RPC server answered but rejected the KMS interface (result {result}, reason {reason}): this is not a KMS host."
            ),
            format!(
                "有 RPC 伺服器回應，但拒絕了 KMS 介面（result {result}，reason {reason}）：這不是 KMS 主機。"
            ),
            &[(0xC004_F074, Relation::Predicts)],
        ),
        BindReply::Nak { reason } => (
            Status::Fail,
            "bind-nak",
            format!(
                "An RPC server refused the bind (bind_nak{}): an RPC endpoint, but not serving KMS.",
                reason.map(|r| format!(", reason {r}")).unwrap_or_default()
            ),
            format!(
                "RPC 伺服器拒絕了繫結（bind_nak{}）：是 RPC 端點，但沒有提供 KMS。",
                reason.map(|r| format!("，reason {r}")).unwrap_or_default()
            ),
            &[(0xC004_F074, Relation::Predicts)],
        ),
        BindReply::OtherPdu { ptype } => (
            Status::Fail,
            "unexpected-pdu",
            format!("A DCE/RPC peer answered with packet type {ptype} instead of a bind reply."),
            format!("DCE/RPC 對端回覆了封包類型 {ptype}，而不是繫結回覆。"),
            &[(0xC004_F074, Relation::Predicts)],
        ),
        BindReply::NotDceRpc { why, .. } => (
            Status::Fail,
            "not-dcerpc",
            format!("Something else listens on this port: the reply is not DCE/RPC ({why})."),
            format!("這個連接埠上是別的服務：回覆不是 DCE/RPC（{why}）。"),
            &[(0xC004_F074, Relation::Predicts)],
        ),
        BindReply::Closed => (
            Status::Fail,
            "closed",
            "The peer closed the connection without answering the bind: not a KMS host.".into(),
            "對端沒有回覆繫結就關閉了連線：不是 KMS 主機。".into(),
            &[(0xC004_F074, Relation::Predicts)],
        ),
        BindReply::NoReply { bytes } => (
            Status::Fail,
            "no-reply",
            format!("No complete reply to the bind within the timeout ({bytes} bytes arrived)."),
            format!("逾時內沒有收到完整的繫結回覆（收到 {bytes} 位元組）。"),
            &[
                (0xC004_F039, Relation::Explains),
                (0xC004_F074, Relation::Predicts),
            ],
        ),
        BindReply::IoError { error } => (
            Status::Fail,
            "io-error",
            format!("The connection failed during the bind: {error}."),
            format!("繫結期間連線失敗：{error}。"),
            &[
                (0x8007_06BA, Relation::Explains),
                (0xC004_F074, Relation::Predicts),
            ],
        ),
    };
    let mut s = stage(
        Stage::Rpc,
        status,
        outcome,
        match lang {
            Lang::En => en,
            Lang::ZhTw => zh,
        },
    );
    s.codes = codes
        .iter()
        .map(|(c, r)| CodeRef::new(*c, *r, lang))
        .collect();
    s
}
