//! The TCP stage: a connection to the KMS port.

use std::net::SocketAddr;

use serde_json::json;
use tokio::net::TcpStream;
use tokio::time::Instant;

use super::common::{Ctx, ms};
use crate::finding::{Outcome, Probe};

/// Connects to `sa` within the timeout: what was found, and the stream when connected.
pub(crate) async fn connect(sa: SocketAddr, ctx: &Ctx) -> (Probe, Option<TcpStream>) {
    let start = Instant::now();
    let conn = tokio::time::timeout(ctx.timeout, TcpStream::connect(sa)).await;
    let latency = ms(start.elapsed());
    let (mut p, stream) = match conn {
        Ok(Ok(stream)) => (Probe::new(Outcome::Connected { address: sa }), Some(stream)),
        Err(_) => (Probe::new(Outcome::TimedOut { address: sa }), None),
        Ok(Err(e)) => {
            let outcome = if e.kind() == std::io::ErrorKind::ConnectionRefused {
                Outcome::Refused { address: sa }
            } else {
                Outcome::Unreachable { address: sa }
            };
            let mut p = Probe::new(outcome);
            p.data = json!({ "error": e.to_string() });
            (p, None)
        }
    };
    p.latency_ms = Some(latency);
    p.address = Some(sa.to_string());
    (p, stream)
}
