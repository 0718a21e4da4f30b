//! The host count, its thresholds and its 30-day window come from the whole log: `--since`,
//! `--until` and `--client` choose the rows shown, never the count (issue 14, item 1). Clients
//! whose CMID's newest request is outside the window are marked as no longer counted, in every
//! format (item 2).

use std::fmt::Write as _;

use volact_core::Lang;
use volact_core::event::Timestamp;
use volact_events::analyze::{Analyzer, Options, Report};
use volact_events::render;
use volact_events::source::read_xml;

/// "Now" of the log: its newest host request (2026-11-26T12:00:00Z).
const NOW: i64 = 1_795_694_400;
const DAY: i64 = 86_400;

/// One 12290 (host request) as `wevtutil qe /f:xml` writes it.
fn host_request(s: &mut String, time: i64, client: &str, cmid: &str, min_count: u32) {
    let t = Timestamp::from_unix(time, true);
    let (y, mo, d, h, mi, _) = t.civil();
    let _ = writeln!(
        s,
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
         <Provider Name='Microsoft-Windows-Security-Licensing-SLC'/><EventID>12290</EventID>\
         <TimeCreated SystemTime='{t}'/><Channel>Key Management Service</Channel>\
         <Computer>kms01.contoso.test</Computer></System><EventData><Data>1</Data>\
         <Data>0x0</Data><Data>{min_count}</Data><Data>{client}</Data><Data>{cmid}</Data>\
         <Data>{y}/{mo}/{d} {h}:{mi:02}</Data><Data>0</Data><Data>1</Data><Data>259200</Data>\
         <Data>2ffd8952-423e-4903-b993-72a1aa44cf82</Data></EventData></Event>"
    );
}

fn cmid(i: u32) -> String {
    format!("5cd1d6d4-3d4b-4a65-9d1b-{i:012}")
}

/// A host log: 26 client-OS machines and ws007 inside the window (27 distinct CMIDs, each
/// requesting every few days), and three old machines last seen 40-42 days before "now".
fn host_log() -> String {
    let mut s = String::new();
    for i in 1..=26u32 {
        let name = format!("pc{i:02}.contoso.test");
        for back in [i64::from(i), i64::from(i) + 20, i64::from(i) + 50] {
            host_request(&mut s, NOW - back * DAY, &name, &cmid(i), 25);
        }
    }
    for back in [60, 33, 2] {
        host_request(
            &mut s,
            NOW - back * DAY,
            "ws007.contoso.test",
            &cmid(7007),
            25,
        );
    }
    for (i, back) in [(1u32, 40i64), (2, 41), (3, 42)] {
        let name = format!("old{i}.contoso.test");
        host_request(&mut s, NOW - (back + 10) * DAY, &name, &cmid(9000 + i), 25);
        host_request(&mut s, NOW - back * DAY, &name, &cmid(9000 + i), 25);
    }
    // The newest request of the log: pc01 again, at "now".
    host_request(&mut s, NOW, "pc01.contoso.test", &cmid(1), 25);
    s
}

fn report(opts: Options, lang: Lang) -> Report {
    let mut an = Analyzer::new(opts);
    read_xml("kms.xml", host_log().as_bytes(), &mut an);
    an.report(lang)
}

fn at(t: i64) -> Option<Timestamp> {
    Some(Timestamp::from_unix(t, true))
}

/// Every filter gives the count of the whole log: 27 CMIDs in the window ending at the newest
/// host request, the thresholds reached, the window the same.
#[test]
fn filters_do_not_change_the_count() {
    let filters = [
        ("none", Options::default()),
        (
            "--client ws007",
            Options {
                client: Some("ws007".into()),
                ..Options::default()
            },
        ),
        (
            "--since 10 days",
            Options {
                since: at(NOW - 10 * DAY),
                ..Options::default()
            },
        ),
        (
            "--until 35 days",
            Options {
                until: at(NOW - 35 * DAY),
                ..Options::default()
            },
        ),
        (
            "--since/--until and --client",
            Options {
                since: at(NOW - 45 * DAY),
                until: at(NOW - 30 * DAY),
                client: Some(cmid(7007)),
                ..Options::default()
            },
        ),
    ];
    for (what, opts) in filters {
        let r = report(opts, Lang::En);
        let h = r
            .host
            .as_ref()
            .unwrap_or_else(|| panic!("{what}: no host view"));
        let c = h.count.as_ref().unwrap();
        assert_eq!(c.distinct_cmids, 27, "{what}");
        assert_eq!((c.count, c.client_os, c.server_os), (27, 27, 0), "{what}");
        assert!(c.client_os_activates && c.server_os_activates, "{what}");
        assert_eq!(c.now.unix(), NOW, "{what}");
        assert_eq!(c.window_start.unix(), NOW - 30 * DAY, "{what}");
        assert!(
            !r.attention.contains(&"count_below_client_threshold"),
            "{what}: {:?}",
            r.attention
        );
        // The text says so in both languages.
        let text = render::text(&r);
        assert!(
            text.contains("count the host would have now: 27"),
            "{what}:\n{text}"
        );
        assert!(text.contains("client OS threshold 25: reached"), "{what}");
    }
    // The filters still choose what is shown.
    let r = report(
        Options {
            client: Some("ws007".into()),
            ..Options::default()
        },
        Lang::ZhTw,
    );
    let h = r.host.as_ref().unwrap();
    assert_eq!((h.requests, h.clients_total), (3, 1));
    assert_eq!(h.clients[0].name, "ws007.contoso.test");
    let zh = render::text(&r);
    assert!(zh.contains("主機目前應有的計數： 27"), "{zh}");
    assert!(zh.contains("用戶端作業系統門檻 25: 已達到"), "{zh}");
    let r = report(
        Options {
            since: at(NOW - 10 * DAY),
            ..Options::default()
        },
        Lang::En,
    );
    let h = r.host.as_ref().unwrap();
    // pc01..pc10 (pc01 twice) and ws007.
    assert_eq!((h.requests, h.clients_total), (12, 11));
}

/// `--now` still moves the window (and only it).
#[test]
fn now_moves_the_window_whatever_the_filters() {
    let r = report(
        Options {
            now: at(NOW - 40 * DAY),
            client: Some("old1".into()),
            ..Options::default()
        },
        Lang::En,
    );
    let c = r.host.as_ref().unwrap().count.clone().unwrap();
    assert_eq!(c.now.unix(), NOW - 40 * DAY);
    // Only the three old machines have their newest request in (now - 30 days, now]; the others'
    // newest requests are after "now".
    assert_eq!(c.distinct_cmids, 3);
}

/// Clients whose CMID was last seen before the window are marked in every format, and the
/// mark comes from the whole log's window (here --since/--until would otherwise put the old
/// requests inside a window of their own).
#[test]
fn clients_outside_the_window_are_marked_in_every_format() {
    for opts in [
        Options::default(),
        Options {
            since: at(NOW - 55 * DAY),
            until: at(NOW - 35 * DAY),
            ..Options::default()
        },
    ] {
        let filtered = opts.since.is_some();
        let r = report(opts, Lang::En);
        let h = r.host.as_ref().unwrap();
        assert_eq!(h.count.as_ref().unwrap().count, 27);
        let outside: Vec<&str> = h
            .clients
            .iter()
            .filter(|c| c.outside_window)
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(
            outside,
            [
                "old1.contoso.test",
                "old2.contoso.test",
                "old3.contoso.test"
            ]
        );
        assert_eq!(h.clients_outside_window, 3);
        if filtered {
            // Shown: the old machines and the requests of pc05..pc26 from 20 and 50 days back
            // that fall in the range; those machines are in the window all the same.
            assert!(h.clients.iter().any(|c| !c.outside_window));
        } else {
            assert_eq!(h.clients.len(), 30);
        }

        // JSON: the field on each client row, and the total.
        let j = serde_json::to_value(&r).unwrap();
        let rows = j["host"]["clients"].as_array().unwrap();
        for row in rows {
            let name = row["name"].as_str().unwrap();
            assert_eq!(row["outside_window"], name.starts_with("old"), "{name}");
            assert!(row["shared_cmid"].is_boolean(), "existing fields stay");
        }
        assert_eq!(j["host"]["clients_outside_window"], 3);
        assert_eq!(j["host"]["count"]["count"], 27);

        // NDJSON: the client lines carry it; the count line is the whole log's.
        let nd = render::ndjson(&r);
        let mut marked = 0;
        for line in nd.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            match v["type"].as_str().unwrap() {
                "client" => {
                    let old = v["name"].as_str().unwrap().starts_with("old");
                    assert_eq!(v["outside_window"], old);
                    marked += usize::from(old);
                }
                "count" => assert_eq!(v["count"], 27),
                _ => {}
            }
        }
        assert_eq!(marked, 3);

        // CSV: a column after the earlier ones (the product columns follow it).
        let csv = render::clients_csv(&r);
        let mut lines = csv.lines();
        let head = lines.next().unwrap();
        assert!(
            head.ends_with(",shared_cmid,outside_window,product,family"),
            "{head}"
        );
        for line in lines {
            let old = line.starts_with("old");
            let want = if old { ",true,," } else { ",false,," };
            assert!(line.trim_end().ends_with(want), "{line}");
        }

        // Text and Markdown, both languages: the row is marked, and the number is said.
        let text = render::text(&r);
        let old1 = text
            .lines()
            .find(|l| l.contains("old1.contoso.test"))
            .unwrap();
        assert!(
            old1.contains("(outside the 30-day window, not counted)"),
            "{old1}"
        );
        let pc = text.lines().find(|l| l.contains(&cmid(5))).unwrap();
        assert!(!pc.contains("outside"), "{pc}");
        assert!(text.contains("clients outside the 30-day window (no longer counted): 3"));
        let md = render::markdown(&r);
        let old2 = md
            .lines()
            .find(|l| l.contains("old2.contoso.test"))
            .unwrap();
        assert!(
            old2.starts_with("| ") && old2.contains("not counted"),
            "{old2}"
        );
        let mut zh = r.clone();
        zh.lang = Lang::ZhTw;
        let zh_text = render::text(&zh);
        let old3 = zh_text
            .lines()
            .find(|l| l.contains("old3.contoso.test"))
            .unwrap();
        assert!(old3.contains("（超出 30 天範圍，不列入計數）"), "{old3}");
        assert!(zh_text.contains("超出 30 天範圍的用戶端（已不列入計數）： 3"));
        let zh_md = render::markdown(&zh);
        assert!(zh_md.contains("不列入計數"));
    }
}
