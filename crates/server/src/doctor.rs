//! `POST /api/v1/doctor`: `volact doctor` checks run from the server, only when it was started
//! with `--allow-doctor`. The answer is the netdiag report, as `volact doctor --format json`.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use volact_core::ErrorCode;
use volact_core::kb::Check;
use volact_netdiag::model::Origin;
use volact_netdiag::{Options, Progress, target};

use crate::error::{ApiError, json_error};
use crate::request::{Query, check_length, is_json, media_type, read_body, short};
use crate::state::AppState;

/// Most KMS hosts one request may check.
pub(crate) const MAX_TARGETS: usize = 64;
/// Most domains or time servers one request may name.
pub(crate) const MAX_NAMES: usize = 8;
/// Longest per-stage timeout a request may ask for, in milliseconds.
pub(crate) const MAX_TIMEOUT_MS: u64 = 10_000;
/// Default per-stage timeout, in milliseconds.
pub(crate) const DEFAULT_TIMEOUT_MS: u64 = 3_000;

const SHAPE: &str = "{\"targets\": [\"HOST[:PORT]\", ...], \"domains\": [...], \"dns_server\": \"IP[:PORT]\", \"time_servers\": [...], \"explain\": \"CODE\", \"checks\": [\"dns\"|\"tcp\"|\"rpc\"|\"clock\"], \"timeout_ms\": N} (all optional, but a target or a domain is needed)";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct DoctorBody {
    #[serde(default)]
    targets: Vec<String>,
    #[serde(default)]
    domains: Vec<String>,
    #[serde(default)]
    dns_server: Option<String>,
    #[serde(default)]
    time_servers: Vec<String>,
    #[serde(default)]
    explain: Option<String>,
    #[serde(default)]
    checks: Option<Vec<String>>,
    #[serde(default)]
    timeout_ms: Option<u64>,
}

fn bad(m: String) -> ApiError {
    ApiError::bad("bad_doctor_request", m)
}

fn options(b: DoctorBody, lang: volact_core::Lang) -> Result<Options, ApiError> {
    if b.targets.is_empty() && b.domains.is_empty() {
        return Err(bad(
            "Give at least one target (a KMS host) or one domain to check.".into(),
        ));
    }
    if b.targets.len() > MAX_TARGETS {
        return Err(bad(format!("At most {MAX_TARGETS} targets per request.")));
    }
    if b.domains.len() > MAX_NAMES || b.time_servers.len() > MAX_NAMES {
        return Err(bad(format!(
            "At most {MAX_NAMES} domains and {MAX_NAMES} time servers per request."
        )));
    }
    let timeout_ms = b.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
    if !(1..=MAX_TIMEOUT_MS).contains(&timeout_ms) {
        return Err(bad(format!(
            "timeout_ms must be from 1 to {MAX_TIMEOUT_MS}."
        )));
    }
    // One request never probes more than MAX_TARGETS hosts, SRV-discovered targets included:
    // netdiag resolves and probes no host past `max_hosts` and reports the rest as not probed.
    let mut opts = Options {
        lang,
        timeout: Duration::from_millis(timeout_ms),
        concurrency: MAX_TARGETS,
        max_hosts: Some(MAX_TARGETS),
        ..Options::default()
    };
    for d in &b.domains {
        let d = d.trim().trim_end_matches('.');
        if !target::valid_hostname(d) {
            return Err(bad(format!("{:?} is not a DNS domain name.", short(d))));
        }
        opts.domains.push(d.to_ascii_lowercase());
    }
    let mut seen = std::collections::HashSet::new();
    for t in &b.targets {
        let t = target::parse(t, target::KMS_PORT, Origin::Argument)
            .map_err(|e| bad(format!("target: {}.", short(&e))))?;
        if seen.insert((t.host.clone(), t.port)) {
            opts.hosts.push(t);
        }
    }
    for t in &b.time_servers {
        let t = target::parse(t, target::NTP_PORT, Origin::Argument)
            .map_err(|e| bad(format!("time server: {}.", short(&e))))?;
        opts.time_servers.push(t);
    }
    if let Some(s) = &b.dns_server {
        let sa = s
            .parse::<SocketAddr>()
            .ok()
            .or_else(|| s.parse::<IpAddr>().ok().map(|ip| SocketAddr::new(ip, 53)))
            .ok_or_else(|| {
                bad(format!(
                    "dns_server {:?} is not IP or IP:PORT (IPv6 with a port: [::1]:53).",
                    short(s)
                ))
            })?;
        opts.dns_server = Some(sa);
    }
    if b.explain.is_some() && b.checks.is_some() {
        return Err(bad("Give explain or checks, not both.".into()));
    }
    if let Some(code) = &b.explain {
        let code =
            ErrorCode::parse(code).map_err(|e| bad(format!("explain {:?}: {e}.", short(code))))?;
        opts.checks = volact_netdiag::checks_for(code).map_err(|e| bad(format!("{e}.")))?;
        opts.explain = Some(code);
    }
    if let Some(list) = &b.checks {
        let mut checks = Vec::new();
        for c in list {
            let check = match c.as_str() {
                "dns" => Check::Dns,
                "tcp" => Check::Tcp,
                "rpc" => Check::Rpc,
                "clock" => Check::Clock,
                other => {
                    return Err(bad(format!(
                        "check {:?} is not one of dns, tcp, rpc, clock.",
                        short(other)
                    )));
                }
            };
            if !checks.contains(&check) {
                checks.push(check);
            }
        }
        if checks.is_empty() {
            return Err(bad("checks is empty.".into()));
        }
        // Walk order, as the CLI runs them.
        opts.checks = volact_netdiag::all_checks()
            .into_iter()
            .filter(|c| checks.contains(c))
            .collect();
    }
    Ok(opts)
}

/// `POST /api/v1/doctor?lang=`.
pub(crate) async fn handler(
    State(st): State<Arc<AppState>>,
    req: Request,
) -> Result<Response, ApiError> {
    if !st.cfg.allow_doctor {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "doctor_disabled",
            "Network checks are off on this server; start it with `volact serve --allow-doctor` to allow them.",
        ));
    }
    let (parts, body) = req.into_parts();
    let lang = Query::parse(&parts.uri)?.lang()?;
    // A JSON content type is required: a page of another site cannot send one without the
    // browser asking this server first (a preflight, which it never allows).
    match media_type(&parts.headers).as_deref() {
        Some(mt) if is_json(mt) => {}
        _ => return Err(ApiError::unsupported_type("application/json only")),
    }
    same_origin(&parts.headers)?;
    let limit = 64 * 1024;
    check_length(&parts.headers, limit)?;
    let bytes = read_body(body, limit, &st).await?.bytes;
    let b: DoctorBody = serde_json::from_slice(&bytes).map_err(|e| json_error(&e, SHAPE))?;
    let opts = options(b, lang)?;
    let permit = st.heavy_permit().await?;
    let report = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        volact_netdiag::run(&opts, &Progress::Hidden)
    })
    .await
    .map_err(|_| ApiError::internal("the checks failed"))?
    .map_err(|e| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "doctor_unavailable",
            format!("The checks could not run: {e}."),
        )
    })?;
    let mut s = serde_json::to_string_pretty(&report)
        .map_err(|_| ApiError::internal("the report could not be written"))?;
    s.push('\n');
    crate::state::heavy_response(&st, crate::redact::scrub_json(&s)).await
}

/// Refuses a request that a browser sent from another site: `Sec-Fetch-Site` other than
/// `same-origin` or `none`, or an `Origin` that is not `http://` and this request's `Host`.
/// Clients that are not browsers (curl, scripts) send neither and are served.
fn same_origin(headers: &HeaderMap) -> Result<(), ApiError> {
    let refuse = |why: &str| {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "cross_origin",
            format!(
                "Network checks can only be asked for from this server's own page or by a client that is not a browser; {why}."
            ),
        ))
    };
    if let Some(site) = headers.get("sec-fetch-site") {
        let site = site.to_str().unwrap_or("").trim().to_ascii_lowercase();
        if site != "same-origin" && site != "none" {
            return refuse("the browser says the request comes from another site");
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("").trim().to_ascii_lowercase();
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(|h| h.trim().to_ascii_lowercase());
        let same = host.is_some_and(|h| origin == format!("http://{h}"));
        if !same {
            return refuse("the request's Origin is another site");
        }
    }
    Ok(())
}
