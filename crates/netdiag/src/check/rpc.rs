//! The RPC stage: one DCE/RPC bind to the KMS interface on the connected stream (the probe is
//! in [`crate::rpc`]); what the reply means is [`Outcome::from_reply`].

use std::net::SocketAddr;

use tokio::net::TcpStream;

use super::common::{Ctx, ms};
use crate::finding::{Outcome, Probe};
use crate::rpc;

/// Sends the bind on `stream` (connected to `sa`) and judges the reply.
pub(crate) async fn bind(stream: &mut TcpStream, sa: SocketAddr, ctx: &Ctx) -> Probe {
    let (reply, took) = rpc::probe(stream, ctx.timeout).await;
    let mut p = Probe::new(Outcome::from_reply(&reply));
    p.latency_ms = Some(ms(took));
    p.address = Some(sa.to_string());
    p.data = serde_json::to_value(&reply).unwrap_or_default();
    p
}
