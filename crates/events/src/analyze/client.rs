//! The client view: 12288 requests paired with their 12289 responses into attempts, and the
//! attempts summed per KMS host and per code.

use std::collections::BTreeMap;

use volact_core::ErrorCode;
use volact_core::Lang;
use volact_core::event::{Event, EventData, HostPort};

use super::report::{Attempt, ClientView, CodeCount, HostContact, Outcome};
use super::store::norm_name;

/// The client view of the kept client events (`None` without any).
pub(super) fn client_view(events: &[Event], lang: Lang) -> Option<ClientView> {
    if events.is_empty() {
        return None;
    }
    let mut evs: Vec<&Event> = events.iter().collect();
    evs.sort_by(|a, b| {
        let ka = (
            a.computer.as_deref().map(norm_name),
            a.time.map(|t| t.unix()),
            a.record_id,
        );
        let kb = (
            b.computer.as_deref().map(norm_name),
            b.time.map(|t| t.unix()),
            b.record_id,
        );
        ka.cmp(&kb).then(a.id.cmp(&b.id))
    });
    let mut attempts: Vec<Attempt> = Vec::new();
    let mut orphan_responses = 0u64;
    let mut i = 0;
    while i < evs.len() {
        let e = evs[i];
        match &e.data {
            EventData::ClientRequest(r) => {
                let next = evs.get(i + 1).filter(|n| {
                    n.computer.as_deref().map(norm_name) == e.computer.as_deref().map(norm_name)
                });
                let resp = match next.map(|n| (&n.data, n)) {
                    Some((EventData::ClientResponse(resp), n)) => {
                        i += 1;
                        Some((resp, n.time))
                    }
                    _ => None,
                };
                attempts.push(Attempt::new(e, r, resp, lang));
            }
            EventData::ClientResponse(_) => orphan_responses += 1,
            _ => {}
        }
        i += 1;
    }
    let mut hosts: BTreeMap<String, HostContact> = BTreeMap::new();
    for a in &attempts {
        let key = a
            .kms
            .as_ref()
            .map_or_else(|| "-".to_owned(), HostPort::to_string);
        let h = hosts.entry(key.clone()).or_insert_with(|| HostContact {
            kms: key,
            attempts: 0,
            activated: 0,
            failed: 0,
            no_response: 0,
            last_current_count: None,
        });
        h.attempts += 1;
        match a.outcome {
            Outcome::Activated => h.activated += 1,
            Outcome::NoResponse => h.no_response += 1,
            Outcome::Failed | Outcome::NotActivated => h.failed += 1,
        }
        if let Some(c) = a.response.as_ref().and_then(|r| r.current_count) {
            h.last_current_count = Some(c);
        }
    }
    let mut codes: BTreeMap<ErrorCode, u64> = BTreeMap::new();
    for a in &attempts {
        if let Some(c) = a.code.as_ref() {
            *codes.entry(c.code).or_default() += 1;
        }
    }
    let mut code_list: Vec<CodeCount> = codes
        .iter()
        .map(|(c, n)| CodeCount::new(*c, *n, lang))
        .collect();
    code_list.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
    let last_current_count = attempts
        .iter()
        .rev()
        .find_map(|a| a.response.as_ref().and_then(|r| r.current_count));
    Some(ClientView {
        attempts_total: attempts.len() as u64,
        activated: attempts
            .iter()
            .filter(|a| a.outcome == Outcome::Activated)
            .count() as u64,
        failed: attempts
            .iter()
            .filter(|a| matches!(a.outcome, Outcome::Failed | Outcome::NotActivated))
            .count() as u64,
        no_response: attempts
            .iter()
            .filter(|a| a.outcome == Outcome::NoResponse)
            .count() as u64,
        responses_without_request: orphan_responses,
        last_current_count,
        hosts: hosts.into_values().collect(),
        codes: code_list,
        attempts,
    })
}
