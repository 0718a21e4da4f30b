use volact_core::Lang;
use volact_core::event::{Event, Timestamp};

use crate::analyze::store::*;
use crate::analyze::*;
use crate::guid::format_guid;
use proptest::prelude::*;
use volact_core::event::{EventData, HostRequest};

/// Names that share long prefixes, differ in case, white space or non-ASCII letters, and
/// CMIDs that are GUIDs (either case, braces) or other text.
fn name() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "desktop-finance-01",
        "Desktop-Finance-02",
        "desktop-finance-010",
        "DESKTOP-FINANCE-0",
        "desktop-finance-01 ",
        "workstation-0001.corp.example.com",
        "workstation-0001.corp.example.co",
        "電腦-01",
        "電腦-02",
        "Äbc-long-name-shared-prefix-1",
        "äbc-long-name-shared-prefix-2",
        " pc1",
        "PC1.",
        "a",
        "",
    ])
    .prop_map(str::to_owned)
}

fn cmid() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<u128>().prop_map(format_guid),
        any::<u128>().prop_map(|g| format!("{{{}}}", format_guid(g).to_uppercase())),
        prop::sample::select(vec![
            "",
            "not-a-guid",
            "zz",
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0x"
        ])
        .prop_map(str::to_owned),
    ]
}

/// Text and Markdown made from a report with only the rows they show are the same as from
/// the full report; `clients_total` and the skewed-clock list stay complete.
#[test]
fn first_rows_render_as_all_rows() {
    let fill = || {
        let mut an = Analyzer::new(Options::default());
        for i in 0..300u32 {
            let info = format!(
                "0x0, 25, pc{:03}, {:08x}-0000-0000-0000-000000000000, {}, 0, 1, 0, a",
                (i * 7) % 300,
                i / 2,
                if i % 9 == 0 { "2020/1/1 0:00" } else { "" }
            );
            let mut e = Event::new(12290, volact_core::event::parse_info(12290, &info).unwrap());
            e.time = Some(Timestamp::from_unix(1_795_000_000 + i64::from(i), true));
            an.event(e);
        }
        an
    };
    for lang in [Lang::En, Lang::ZhTw] {
        let all = fill().report_with(lang, ClientRows::All);
        let first = fill().report_with(lang, ClientRows::First(crate::render::TEXT_ROWS));
        let (ha, hf) = (all.host.as_ref().unwrap(), first.host.as_ref().unwrap());
        assert_eq!(
            (ha.clients.len(), hf.clients.len()),
            (300, crate::render::TEXT_ROWS)
        );
        assert_eq!((ha.clients_total, hf.clients_total), (300, 300));
        assert_eq!(ha.skewed.len(), 34);
        assert_eq!(
            serde_json::to_string(&ha.skewed).unwrap(),
            serde_json::to_string(&hf.skewed).unwrap()
        );
        assert_eq!(crate::render::text(&all), crate::render::text(&first));
        assert_eq!(
            crate::render::markdown(&all),
            crate::render::markdown(&first)
        );
    }
}

/// Rows built on several threads are the rows built on one, in the same order.
#[test]
fn rows_on_threads_equal_rows_on_one() {
    let fill = || {
        let mut an = Analyzer::new(Options::default());
        for i in 0..9_000u32 {
            // Some clones (two names on one CMID), codes and states that vary.
            let info = format!(
                "0x{:X}, 25, PC{:05}.corp, {:08x}-0000-0000-0000-000000000000, 2026/1/1 0:00, {}, {}, {}, {:08x}-1111-2222-3333-444444444444",
                if i % 7 == 0 { 0xC004_F06Cu32 } else { 0 },
                (i * 7919) % 9_000,
                i / 2,
                i % 2,
                i % 7,
                i * 13,
                i % 3
            );
            let mut e = Event::new(12290, volact_core::event::parse_info(12290, &info).unwrap());
            e.time = Some(Timestamp::from_unix(1_795_000_000 + i64::from(i), true));
            an.event(e);
        }
        an
    };
    let one = fill().take_clients(Lang::ZhTw, 1);
    let four = fill().take_clients(Lang::ZhTw, 4);
    assert_eq!(one.len(), 9_000);
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&four).unwrap()
    );
}

proptest! {
    /// Client rows come out ordered by normalised name, then CMID text, as a plain sort of
    /// those strings orders them (the report sorts by integer prefixes first).
    #[test]
    fn rows_sort_as_their_text_keys(rows in prop::collection::vec((name(), cmid()), 1..60)) {
        let mut an = Analyzer::new(Options::default());
        for (i, (n, c)) in rows.iter().enumerate() {
            let mut e = Event::new(
                12290,
                EventData::HostRequest(HostRequest {
                    client: (!n.is_empty()).then(|| n.clone()),
                    cmid: (!c.is_empty()).then(|| c.clone()),
                    ..HostRequest::default()
                }),
            );
            e.time = Some(Timestamp::from_unix(1_795_000_000 + i as i64, true));
            an.event(e);
        }
        let r = an.report(Lang::En);
        let got: Vec<(String, String)> = r
            .host
            .map(|h| h.clients.into_iter().map(|c| (norm_name(&c.name), c.cmid)).collect())
            .unwrap_or_default();
        let mut want = got.clone();
        want.sort();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn guid_text_is_the_usual_form(g in any::<u128>()) {
        let want = format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            g >> 96,
            (g >> 80) & 0xFFFF,
            (g >> 64) & 0xFFFF,
            (g >> 48) & 0xFFFF,
            g & 0xFFFF_FFFF_FFFF
        );
        prop_assert_eq!(format_guid(g), want);
    }
}
