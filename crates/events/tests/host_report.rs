//! A realistic KMS host log (2,000 machines renewing over 60 days, cloned CMIDs, skewed clocks),
//! written as .evtx, as wevtutil XML and as text; the report must match what the generator says it
//! wrote, computed here without the report code.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use common::{TempDir, report_of};
use volact_core::Lang;
use volact_core::event::Timestamp;
use volact_events::analyze::Options;
use volact_testsupport::evtx::kms::{HostLog, HostLogSpec, SimClient, Written};
use volact_testsupport::evtx::{EvtxEvent, to_bytes};

struct Expected {
    requests: u64,
    distinct_in_window: u64,
    client_os: u64,
    server_os: u64,
    count: u32,
    skewed_names: BTreeSet<String>,
    cloned: BTreeMap<String, BTreeSet<String>>,
    codes: BTreeMap<u32, u64>,
    per_client: BTreeMap<(String, String), (u64, u32)>, // requests, last code
    /// `YYYY-MM-DD` (UTC) -> [requests, activated (0x0), count too low (0xC004F038), other].
    per_day: BTreeMap<String, [u64; 4]>,
}

/// The UTC date of `t` (seconds since 1970), by the civil-from-days algorithm written out here
/// (not the report's code).
fn utc_date(t: i64) -> String {
    let z = t.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn per_day_of(written: &[Written]) -> BTreeMap<String, [u64; 4]> {
    let mut per_day: BTreeMap<String, [u64; 4]> = BTreeMap::new();
    for w in written {
        let d = per_day.entry(utc_date(w.time)).or_default();
        d[0] += 1;
        match w.code {
            0 => d[1] += 1,
            0xC004_F038 => d[2] += 1,
            _ => d[3] += 1,
        }
    }
    per_day
}

fn per_day_in(h: &volact_events::analyze::HostView) -> BTreeMap<String, [u64; 4]> {
    let dates: Vec<&str> = h.per_day.iter().map(|d| d.date.as_str()).collect();
    assert!(dates.windows(2).all(|w| w[0] < w[1]), "not oldest first");
    h.per_day
        .iter()
        .map(|d| {
            assert_eq!(d.requests, d.activated + d.count_too_low + d.failed);
            (
                d.date.clone(),
                [d.requests, d.activated, d.count_too_low, d.failed],
            )
        })
        .collect()
}

fn expected(clients: &[SimClient], written: &[Written], now: i64) -> Expected {
    let start = now - 30 * 86_400;
    let mut last_per_cmid: HashMap<&str, (i64, u32)> = HashMap::new();
    let mut names_per_cmid: HashMap<&str, BTreeSet<String>> = HashMap::new();
    let mut skewed_names = BTreeSet::new();
    let mut codes = BTreeMap::new();
    let mut per_client: BTreeMap<(String, String), (u64, u32)> = BTreeMap::new();
    for w in written {
        let c = &clients[w.client];
        let e = last_per_cmid.entry(&c.cmid).or_insert((i64::MIN, 0));
        if w.time >= e.0 {
            *e = (w.time, c.min_count);
        }
        names_per_cmid
            .entry(&c.cmid)
            .or_default()
            .insert(c.name.clone());
        if (w.client_time - w.time).abs() > 4 * 3600 {
            skewed_names.insert(c.name.clone());
        }
        *codes.entry(w.code).or_insert(0u64) += 1;
        let pc = per_client
            .entry((c.name.clone(), c.cmid.clone()))
            .or_insert((0, 0));
        pc.0 += 1;
        pc.1 = w.code; // written in time order
    }
    let in_window: Vec<u32> = last_per_cmid
        .values()
        .filter(|(t, _)| *t > start && *t <= now)
        .map(|(_, m)| *m)
        .collect();
    let client_os = in_window.iter().filter(|m| **m == 25).count() as u64;
    let server_os = in_window.iter().filter(|m| **m == 5).count() as u64;
    Expected {
        requests: written.len() as u64,
        distinct_in_window: in_window.len() as u64,
        client_os,
        server_os,
        count: (in_window.len() as u32).min(50),
        skewed_names,
        cloned: names_per_cmid
            .into_iter()
            .filter(|(_, n)| n.len() > 1)
            .map(|(c, n)| (c.to_owned(), n))
            .collect(),
        codes,
        per_client,
        per_day: per_day_of(written),
    }
}

fn generate() -> (Vec<SimClient>, Vec<EvtxEvent>, Vec<Written>) {
    let log = HostLog::new(HostLogSpec::default());
    let clients = log.clients().to_vec();
    let (events, written): (Vec<_>, Vec<_>) = log.unzip();
    (clients, events, written)
}

fn check(r: &volact_events::Report, exp: &Expected) {
    let h = r.host.as_ref().expect("host view");
    assert_eq!(h.requests, exp.requests);
    let c = h.count.as_ref().unwrap();
    assert_eq!(c.distinct_cmids, exp.distinct_in_window);
    assert_eq!(
        (c.client_os, c.server_os, c.unknown_os),
        (exp.client_os, exp.server_os, 0)
    );
    assert_eq!(c.count, exp.count);
    assert_eq!(c.cap, 50);
    assert!(c.client_os_activates && c.server_os_activates);
    let skewed: BTreeSet<String> = h.skewed.iter().map(|s| s.name.clone()).collect();
    assert_eq!(skewed, exp.skewed_names);
    assert!(h.skewed.iter().all(|s| s.max_skew_secs.abs() > 4 * 3600));
    let cloned: BTreeMap<String, BTreeSet<String>> = h
        .cloned
        .iter()
        .map(|c| (c.cmid.clone(), c.names.iter().cloned().collect()))
        .collect();
    assert_eq!(cloned, exp.cloned);
    let codes: BTreeMap<u32, u64> = h.codes.iter().map(|c| (c.code.value(), c.count)).collect();
    assert_eq!(codes, exp.codes);
    let rows: BTreeMap<(String, String), (u64, u32)> = h
        .clients
        .iter()
        .map(|c| {
            (
                (c.name.clone(), c.cmid.clone()),
                (c.requests, c.last_code.as_ref().unwrap().code.value()),
            )
        })
        .collect();
    assert_eq!(rows, exp.per_client);
    assert_eq!(per_day_in(h), exp.per_day);
    assert_eq!(h.per_day_omitted, 0);
    for a in ["clock_skew", "cloned_cmids", "host_errors"] {
        assert!(
            r.attention.contains(&a),
            "{a} missing from {:?}",
            r.attention
        );
    }
}

#[test]
fn realistic_host_log_as_evtx() {
    let (clients, events, written) = generate();
    assert!(written.len() > 10_000, "{} records", written.len());
    assert!(clients.len() >= 2000);
    let newest = written.iter().map(|w| w.time).max().unwrap();
    let exp = expected(&clients, &written, newest);
    assert!(exp.distinct_in_window > 50 && !exp.skewed_names.is_empty() && !exp.cloned.is_empty());
    let dir = TempDir::new("host");
    let p = dir.path("Key Management Service.evtx");
    std::fs::write(&p, to_bytes(&events)).unwrap();
    let r = report_of(&[&p], Options::default(), Lang::En);
    assert_eq!(r.stats.records_read, written.len() as u64);
    assert_eq!(r.stats.events_used, written.len() as u64);
    check(&r, &exp);

    // --now 45 days earlier: the window moves, computed independently again.
    let now = newest - 45 * 86_400;
    let exp_then = expected(&clients, &written, now);
    let r = report_of(
        &[&p],
        Options {
            now: Some(Timestamp::from_unix(now, true)),
            ..Options::default()
        },
        Lang::En,
    );
    let c = r.host.unwrap().count.unwrap();
    assert_eq!(c.distinct_cmids, exp_then.distinct_in_window);

    // --since/--until: the per-day histogram holds only the requests in the range.
    let (since, until) = (newest - 20 * 86_400, newest - 5 * 86_400);
    let in_range: Vec<Written> = written
        .iter()
        .filter(|w| w.time >= since && w.time <= until)
        .cloned()
        .collect();
    assert!(in_range.len() > 1000);
    let r = report_of(
        &[&p],
        Options {
            since: Some(Timestamp::from_unix(since, true)),
            until: Some(Timestamp::from_unix(until, true)),
            ..Options::default()
        },
        Lang::En,
    );
    let h = r.host.unwrap();
    assert_eq!(h.requests, in_range.len() as u64);
    assert_eq!(per_day_in(&h), per_day_of(&in_range));

    // --client keeps one machine's rows only.
    let name = &clients[5].name;
    let r = report_of(
        &[&p],
        Options {
            client: Some(name.to_uppercase()),
            ..Options::default()
        },
        Lang::En,
    );
    let h = r.host.unwrap();
    assert_eq!(h.clients.len(), 1);
    assert_eq!(&h.clients[0].name, name);
    assert_eq!(
        h.requests,
        exp.per_client[&(name.clone(), clients[5].cmid.clone())].0
    );
    let mine: Vec<Written> = written
        .iter()
        .filter(|w| clients[w.client].name == *name)
        .cloned()
        .collect();
    assert_eq!(per_day_in(&h), per_day_of(&mine));
}

fn xml_of(events: &[EvtxEvent]) -> String {
    let mut s = String::new();
    for (i, e) in events.iter().enumerate() {
        let t = Timestamp::from_unix(e.time, true);
        let _ = write!(
            s,
            "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='{}'/><EventID Qualifiers='16384'>{}</EventID><TimeCreated SystemTime='{}'/><EventRecordID>{}</EventRecordID><Channel>{}</Channel><Computer>{}</Computer></System><EventData>",
            e.provider,
            e.event_id,
            t,
            i + 1,
            e.channel,
            e.computer
        );
        for d in &e.data {
            let _ = write!(s, "<Data>{d}</Data>");
        }
        s.push_str("</EventData></Event>\r\n");
    }
    s
}

#[test]
fn the_same_log_as_xml_and_as_text() {
    let (clients, events, written) = generate();
    let newest = written.iter().map(|w| w.time).max().unwrap();
    let exp = expected(&clients, &written, newest);
    let dir = TempDir::new("host-xml");
    // wevtutil-style stream without root, UTF-8.
    let p = dir.path("kms.xml");
    std::fs::write(&p, xml_of(&events)).unwrap();
    let r = report_of(&[&p], Options::default(), Lang::ZhTw);
    check(&r, &exp);
    // Event Viewer "Save as XML" with <Events> root, UTF-16 LE with BOM.
    let p16 = dir.path("kms-saved.xml");
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Events>{}</Events>",
        xml_of(&events)
    );
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(doc.encode_utf16().flat_map(u16::to_le_bytes));
    std::fs::write(&p16, bytes).unwrap();
    check(&report_of(&[&p16], Options::default(), Lang::En), &exp);
    // Text: Event Viewer "Copy details" blocks. Text dates have no zone, so clock skew is not
    // judged; everything else must match.
    let mut text = String::new();
    for e in &events {
        let t = Timestamp::from_unix(e.time, false);
        let info: Vec<&str> = e.data.iter().skip(1).map(String::as_str).collect();
        let _ = write!(
            text,
            "Log Name:      Key Management Service\r\nSource:        {}\r\nDate:          {t}\r\nEvent ID:      12290\r\nComputer:      {}\r\nDescription:\r\nAn activation request has been processed.\r\nInfo:\r\n{}\r\n\r\n",
            e.provider,
            e.computer,
            info.join(", ")
        );
    }
    let pt = dir.path("kms.txt");
    std::fs::write(&pt, text).unwrap();
    let r = report_of(&[&pt], Options::default(), Lang::En);
    let h = r.host.unwrap();
    assert_eq!(h.requests, exp.requests);
    assert_eq!(h.count.unwrap().distinct_cmids, exp.distinct_in_window);
    assert_eq!(h.skewed_requests, 0);
    assert_eq!(h.cloned.len(), exp.cloned.len());
}
