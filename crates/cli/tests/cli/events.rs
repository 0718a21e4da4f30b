//! `volact events`: .evtx, XML and text inputs into client and host reports.

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

use volact_testsupport::evtx::kms::{
    HostLog, HostLogSpec, client_application_log, host_application_log,
};
use volact_testsupport::evtx::to_bytes;

use crate::util::{stderr, stdout, volact};

/// A temp directory with the fixture logs, removed on drop.
struct Fixtures(PathBuf);

impl Fixtures {
    fn new() -> Self {
        static N: AtomicU64 = AtomicU64::new(0);
        let dir = std::env::temp_dir().join(format!(
            "volact-cli-events-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let spec = HostLogSpec {
            clients: 30,
            clones: 2,
            skewed: 1,
            days: 30,
            seed: 11,
            ..HostLogSpec::default()
        };
        let kms: Vec<_> = HostLog::new(spec).map(|(e, _)| e).collect();
        std::fs::write(dir.join("kms.evtx"), to_bytes(&kms)).unwrap();
        let (app, _) = host_application_log(2, 1, 5, 1_794_000_000);
        std::fs::write(dir.join("host-app.evtx"), to_bytes(&app)).unwrap();
        let client = client_application_log(
            "pc1.contoso.test",
            "kms01.contoso.test:1688",
            &[
                (0, Some((0xC004_F038, false, 3))),
                (0x8007_06BA, None),
                (0, Some((0, true, 26))),
            ],
            1_794_000_000,
        );
        std::fs::write(dir.join("client.evtx"), to_bytes(&client)).unwrap();
        Self(dir)
    }

    fn run(&self, args: &[&str]) -> Output {
        volact()
            .current_dir(&self.0)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run volact")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Fixtures {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

#[test]
fn host_report_text_both_languages() {
    let f = Fixtures::new();
    let en = f.run(&["events", "kms.evtx", "host-app.evtx"]);
    assert_eq!(code(&en), 1, "{}", stderr(&en));
    insta::assert_snapshot!("events_host_text_en", stdout(&en));
    let zh = f.run(&["--lang", "zh-TW", "events", "kms.evtx", "host-app.evtx"]);
    assert_eq!(code(&zh), 1);
    insta::assert_snapshot!("events_host_text_zh", stdout(&zh));
}

#[test]
fn client_report_text_and_markdown() {
    let f = Fixtures::new();
    let en = f.run(&["events", "client.evtx"]);
    assert_eq!(code(&en), 1);
    insta::assert_snapshot!("events_client_text_en", stdout(&en));
    let zh = f.run(&["--lang", "zh-TW", "events", "client.evtx"]);
    insta::assert_snapshot!("events_client_text_zh", stdout(&zh));
    let md = f.run(&[
        "--lang",
        "zh-TW",
        "events",
        "-f",
        "markdown",
        "client.evtx",
        "host-app.evtx",
    ]);
    insta::assert_snapshot!("events_markdown_zh", stdout(&md));
}

#[test]
fn json_report_contract() {
    let f = Fixtures::new();
    let o = f.run(&[
        "events",
        "-f",
        "json",
        "kms.evtx",
        "host-app.evtx",
        "client.evtx",
    ]);
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["lang"], "en");
    let kms_records = v["inputs"][0]["records_read"].as_u64().unwrap();
    assert!(kms_records > 100);
    assert_eq!(v["inputs"][0]["kind"], "evtx");
    assert_eq!(v["inputs"][1]["records_skipped"], 5);
    assert_eq!(v["stats"]["skipped"][0]["reason"], "other_event");
    let h = &v["host"];
    assert_eq!(h["requests"].as_u64().unwrap(), kms_records);
    assert_eq!(h["count"]["client_threshold"], 25);
    assert_eq!(h["count"]["server_threshold"], 5);
    assert_eq!(h["count"]["cap"], 50);
    assert_eq!(h["cloned"].as_array().unwrap().len(), 1);
    assert_eq!(h["skewed"].as_array().unwrap().len(), 1);
    assert_eq!(h["dns_failures_total"], 2);
    assert_eq!(h["dns_failures"][0]["code"]["code"], "0x8007232B");
    // The per-day histogram adds up to the requests (every fixture request has a time).
    let days = h["per_day"].as_array().unwrap();
    assert!(days.len() > 14);
    let sum = |k: &str| days.iter().map(|d| d[k].as_u64().unwrap()).sum::<u64>();
    assert_eq!(sum("requests"), kms_records);
    assert_eq!(
        sum("activated") + sum("count_too_low") + sum("failed"),
        kms_records
    );
    assert_eq!(h["per_day_omitted"], 0);
    assert!(days[0]["date"].as_str().unwrap() < days[1]["date"].as_str().unwrap());
    let c = &v["client"];
    assert_eq!(c["attempts_total"], 3);
    assert_eq!(c["attempts"][1]["outcome"], "no_response");
    assert_eq!(c["attempts"][1]["code"]["code"], "0x800706BA");
    assert_eq!(c["last_current_count"], 26);
    let att: Vec<&str> = v["attention"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    for a in [
        "no_response",
        "clock_skew",
        "cloned_cmids",
        "dns_publishing_failed",
    ] {
        assert!(att.contains(&a), "{a} not in {att:?}");
    }
}

#[test]
fn ndjson_csv_and_clients_csv() {
    let f = Fixtures::new();
    let o = f.run(&["events", "-f", "ndjson", "kms.evtx", "client.evtx"]);
    let mut types = std::collections::BTreeSet::new();
    for line in stdout(&o).lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        types.insert(v["type"].as_str().unwrap().to_owned());
    }
    for t in [
        "summary",
        "input",
        "count",
        "client",
        "clone",
        "skew",
        "attempt",
        "host_contact",
        "day",
    ] {
        assert!(types.contains(t), "{t} missing: {types:?}");
    }
    // Markdown: the newest 14 days as a table, and what is not shown.
    let o = f.run(&["events", "-f", "markdown", "kms.evtx"]);
    let md = stdout(&o);
    let at = md.find("### Requests per day").expect("per-day section");
    let section: Vec<&str> = md[at..].lines().take(20).collect();
    assert_eq!(
        section.iter().filter(|l| l.starts_with("| 2026-")).count(),
        14,
        "{section:?}"
    );
    assert!(md[at..].contains("requests on earlier days not shown"));
    let o = f.run(&[
        "events",
        "-f",
        "csv",
        "--clients-csv",
        "clients.csv",
        "kms.evtx",
    ]);
    let csv = stdout(&o);
    assert!(csv.starts_with("name,cmid,requests,"));
    let written = std::fs::read_to_string(f.path("clients.csv")).unwrap();
    assert_eq!(written, csv);
    assert_eq!(written.lines().count(), 1 + 32);
    insta::assert_snapshot!(
        "events_clients_csv",
        written.lines().take(6).collect::<Vec<_>>().join("\n")
    );
    // Client-only input: CSV of the attempts.
    let o = f.run(&["events", "-f", "csv", "client.evtx"]);
    assert!(stdout(&o).starts_with("time,computer,kms,"));
    assert_eq!(stdout(&o).lines().count(), 4);
}

#[test]
fn filters_since_until_client() {
    let f = Fixtures::new();
    let all = f.run(&["events", "-f", "json", "kms.evtx"]);
    let all: serde_json::Value = serde_json::from_slice(&all.stdout).unwrap();
    let total = all["host"]["requests"].as_u64().unwrap();
    let o = f.run(&[
        "events",
        "-f",
        "json",
        "--since",
        "2026-11-10",
        "--until",
        "2026-11-15",
        "kms.evtx",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let part = v["host"]["requests"].as_u64().unwrap();
    assert!(part > 0 && part < total, "{part} of {total}");
    let skipped: u64 = v["stats"]["skipped"][0]["count"].as_u64().unwrap();
    assert_eq!(v["stats"]["skipped"][0]["reason"], "outside_time_range");
    assert_eq!(part + skipped, total);
    let o = f.run(&["events", "-f", "json", "--client", "PC00001", "kms.evtx"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows = v["host"]["clients"].as_array().unwrap();
    assert!(
        rows.iter()
            .all(|r| r["name"].as_str().unwrap().starts_with("pc00001.")),
        "{rows:?}"
    );
    let o = f.run(&["events", "--since", "yesterday", "kms.evtx"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("is not a time"));
}

#[test]
fn text_and_xml_from_standard_input() {
    let text = "Log Name:      Application\r\nSource:        Microsoft-Windows-Security-SPP\r\nDate:          11/24/2026 2:14:58 PM\r\nEvent ID:      12288\r\nComputer:      pc9.contoso.test\r\nDescription:\r\nThe client has sent an activation request to the key management service machine.\r\nInfo:\r\n0xC004F074, 0x0, kms01.contoso.test:1688, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/11/24 14:14, 0, 2, 43200, 2ffd8952-423e-4903-b993-72a1aa44cf82, 25\r\n";
    let o = crate::util::run(&["events", "-f", "json", "-"], text.as_bytes());
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["inputs"][0]["kind"], "text");
    assert_eq!(v["client"]["attempts"][0]["outcome"], "no_response");
    assert_eq!(v["client"]["attempts"][0]["code"]["code"], "0xC004F074");
    // UTF-16 LE XML (Event Viewer "Save as XML").
    let xml = "<Events><Event><System><Provider Name='Microsoft-Windows-Security-Licensing-SLC'/><EventID>12293</EventID><TimeCreated SystemTime='2026-11-24T06:00:00Z'/><Computer>kms01</Computer></System><EventData><Data>0x8007232B</Data><Data>contoso.test</Data></EventData></Event></Events>";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(xml.encode_utf16().flat_map(u16::to_le_bytes));
    let o = crate::util::run(&["events", "-f", "json", "-"], &bytes);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["inputs"][0]["kind"], "xml");
    assert_eq!(v["host"]["dns_failures"][0]["domain"], "contoso.test");
}

#[test]
fn exit_codes_nothing_found_and_unreadable() {
    let o = crate::util::run(&["events", "-"], b"just a log line\nnothing to see\n");
    assert_eq!(code(&o), 3);
    assert!(stdout(&o).contains("No activation events found."));
    let f = Fixtures::new();
    let o = f.run(&["events", "missing.evtx"]);
    assert_eq!(code(&o), 4);
    assert!(stderr(&o).contains("cannot open missing.evtx"));
    let o = f.run(&["events"]);
    assert_eq!(code(&o), 2);
}

#[test]
fn directories_are_read_recursively() {
    let f = Fixtures::new();
    let o = f.run(&["events", "-f", "json", "."]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["inputs"].as_array().unwrap().len(), 3);
}

fn shared(rel: &str) -> Option<PathBuf> {
    let p = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/"
    ))
    .join(rel);
    if p.exists() {
        Some(p)
    } else if std::env::var_os("CI").is_some() {
        panic!("CI is set but {} is missing", p.display());
    } else {
        eprintln!("skipping: {} not found", p.display());
        None
    }
}

#[test]
fn real_application_log_with_spp_codes() {
    let Some(p) = shared("evtx/Application_no_crc32.evtx") else {
        return;
    };
    let o = volact()
        .args(["events", "-f", "json"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(code(&o), 1);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let codes: Vec<&str> = v["other_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"]["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"0xC004F014") && codes.contains(&"0xC004F009"),
        "{codes:?}"
    );
    let Some(sec) = shared("evtx/security.evtx") else {
        return;
    };
    let o = volact().args(["events"]).arg(&sec).output().unwrap();
    assert_eq!(code(&o), 3);
}

/// "Now" of the window log below: its newest host request (2026-11-26T12:00:00Z).
const WINDOW_NOW: i64 = 1_795_694_400;

/// A host log as `wevtutil qe /f:xml` writes it: 26 machines and ws007 requested within the
/// last 30 days (27 distinct CMIDs), old1..old3 only 40-42 days before the newest request.
fn window_log() -> String {
    use std::fmt::Write as _;
    use volact_core::event::Timestamp;
    let day = 86_400;
    let mut s = String::from("<Events>\n");
    let mut add = |time: i64, client: &str, cmid: u32| {
        let t = Timestamp::from_unix(time, true);
        let (y, mo, d, h, mi, _) = t.civil();
        let _ = writeln!(
            s,
            "<Event><System><Provider Name='Microsoft-Windows-Security-Licensing-SLC'/>\
             <EventID>12290</EventID><TimeCreated SystemTime='{t}'/>\
             <Computer>kms01.contoso.test</Computer></System><EventData><Data>1</Data>\
             <Data>0x0</Data><Data>25</Data><Data>{client}</Data>\
             <Data>5cd1d6d4-3d4b-4a65-9d1b-{cmid:012}</Data><Data>{y}/{mo}/{d} {h}:{mi:02}</Data>\
             <Data>0</Data><Data>1</Data><Data>259200</Data>\
             <Data>2ffd8952-423e-4903-b993-72a1aa44cf82</Data></EventData></Event>"
        );
    };
    for i in 1..=26u32 {
        for back in [i64::from(i), i64::from(i) + 20, i64::from(i) + 50] {
            add(
                WINDOW_NOW - back * day,
                &format!("pc{i:02}.contoso.test"),
                i,
            );
        }
    }
    for back in [60, 33, 2] {
        add(WINDOW_NOW - back * day, "ws007.contoso.test", 7007);
    }
    for (i, back) in [(1u32, 40i64), (2, 41), (3, 42)] {
        let name = format!("old{i}.contoso.test");
        add(WINDOW_NOW - (back + 10) * day, &name, 9000 + i);
        add(WINDOW_NOW - back * day, &name, 9000 + i);
    }
    add(WINDOW_NOW, "pc01.contoso.test", 1);
    s.push_str("</Events>\n");
    s
}

/// `--client`, `--since` and `--until` choose the rows shown; the count (27 here), its
/// thresholds and its window come from the whole log, in every format (issue 14, item 1).
#[test]
fn filters_leave_the_host_count_whole() {
    let f = Fixtures::new();
    std::fs::write(f.path("kms.xml"), window_log()).unwrap();
    let filters: [&[&str]; 4] = [
        &["--client", "ws007"],
        &["--since", "2026-11-16"],
        &["--until", "2026-10-20"],
        &[
            "--since",
            "2026-10-01",
            "--until",
            "2026-10-20",
            "--client",
            "old1",
        ],
    ];
    for filter in filters {
        let run = |lang: &str, format: &str| {
            let mut args = vec!["--lang", lang, "events", "-f", format];
            args.extend_from_slice(filter);
            args.push("kms.xml");
            let o = f.run(&args);
            assert_eq!(code(&o), 0, "{filter:?} {format}: {}", stderr(&o));
            stdout(&o)
        };
        let text = run("en", "text");
        assert!(
            text.contains(
                "count the host would have now: 27  (30 days: 2026-10-27T12:00:00Z … 2026-11-26T12:00:00Z)"
            ),
            "{filter:?}:\n{text}"
        );
        assert!(
            text.contains("client OS threshold 25: reached"),
            "{filter:?}"
        );
        assert!(!text.contains("do not activate"), "{filter:?}:\n{text}");
        let zh = run("zh-TW", "text");
        assert!(zh.contains("主機目前應有的計數： 27"), "{filter:?}:\n{zh}");
        let md = run("en", "markdown");
        assert!(
            md.contains("count the host would have now: **27** (distinct CMIDs 27"),
            "{filter:?}:\n{md}"
        );
        let json: serde_json::Value = serde_json::from_str(&run("en", "json")).unwrap();
        let c = &json["host"]["count"];
        assert_eq!(
            (&c["count"], &c["distinct_cmids"], &c["client_os_activates"]),
            (&27.into(), &27.into(), &true.into()),
            "{filter:?}"
        );
        assert_eq!(c["now"], "2026-11-26T12:00:00Z");
        let nd = run("en", "ndjson");
        let count: Vec<serde_json::Value> = nd
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|v| v["type"] == "count")
            .collect();
        assert_eq!(count.len(), 1);
        assert_eq!(count[0]["count"], 27, "{filter:?}");
        // CSV carries no count, but its outside_window column comes from the same window
        // (before the product and family columns, empty: the SKU is not in the products table).
        let csv = run("en", "csv");
        for line in csv.lines().skip(1) {
            let want = if line.starts_with("old") {
                ",true,,"
            } else {
                ",false,,"
            };
            assert!(line.ends_with(want), "{filter:?}: {line}");
        }
    }
    // The filters still choose the rows.
    let o = f.run(&["events", "-f", "csv", "--client", "ws007", "kms.xml"]);
    assert_eq!(stdout(&o).lines().count(), 2);
    insta::assert_snapshot!(
        "events_client_filter_text_en",
        stdout(&f.run(&["events", "--client", "ws007", "kms.xml"]))
    );
}

/// Clients whose CMID was last seen before the 30-day window are marked as no longer counted,
/// in every format and both languages (issue 14, item 2).
#[test]
fn clients_outside_the_window_are_marked() {
    let f = Fixtures::new();
    std::fs::write(f.path("kms.xml"), window_log()).unwrap();
    let run = |args: &[&str]| {
        let o = f.run(args);
        assert_eq!(code(&o), 0, "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    let text = run(&["events", "kms.xml"]);
    insta::assert_snapshot!("events_outside_window_text_en", text);
    let zh = run(&["--lang", "zh-TW", "events", "kms.xml"]);
    insta::assert_snapshot!("events_outside_window_text_zh", zh);
    let md = run(&["events", "-f", "markdown", "kms.xml"]);
    let row = md
        .lines()
        .find(|l| l.contains("| old2.contoso.test"))
        .unwrap();
    assert!(
        row.contains("(outside the 30-day window, not counted)"),
        "{row}"
    );
    assert!(md.contains("- clients outside the 30-day window (no longer counted): 3"));
    let md_zh = run(&["--lang", "zh-TW", "events", "-f", "markdown", "kms.xml"]);
    let row = md_zh
        .lines()
        .find(|l| l.contains("| old2.contoso.test"))
        .unwrap();
    assert!(row.contains("（超出 30 天範圍，不列入計數）"), "{row}");
    let v: serde_json::Value =
        serde_json::from_str(&run(&["events", "-f", "json", "kms.xml"])).unwrap();
    assert_eq!(v["host"]["clients_outside_window"], 3);
    for row in v["host"]["clients"].as_array().unwrap() {
        let old = row["name"].as_str().unwrap().starts_with("old");
        assert_eq!(row["outside_window"], old, "{row}");
        assert!(row["last_seen"].is_string() && row["requests"].is_u64());
    }
    let nd = run(&["events", "-f", "ndjson", "kms.xml"]);
    let marked = nd
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["type"] == "client" && v["outside_window"] == true)
        .count();
    assert_eq!(marked, 3);
    let csv = run(&["events", "-f", "csv", "kms.xml"]);
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with(",shared_cmid,outside_window,product,family")
    );
    insta::assert_snapshot!(
        "events_outside_window_csv",
        csv.lines()
            .filter(|l| l.starts_with("name,") || l.starts_with("old") || l.starts_with("pc26"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Hostile XML (issue 14, item 13): 300,000 attributes on one element, a 3 MB text run with `>`
/// every KiB and a deep unclosed nesting are cut with a warning that says what and where, in both
/// languages, and the records around them are read.
#[test]
fn hostile_xml_is_cut_with_a_warning() {
    use std::fmt::Write as _;
    let f = Fixtures::new();
    let log = window_log();
    let (head, rest) = log.split_at(log.find("</Events>").unwrap());
    let mut xml = String::from(head);
    xml.push_str("<Event><System><Provider Name='Microsoft-Windows-Security-SPP'");
    for i in 0..300_000 {
        let _ = write!(xml, " a{i}='1'");
    }
    xml.push_str("/><EventID>1</EventID></System><EventData><Data>");
    for _ in 0..3_000 {
        xml.push_str(&"z".repeat(1023));
        xml.push('>');
    }
    xml.push_str("</Data></EventData></Event>\n");
    xml.push_str(&"<deep>".repeat(100_000));
    xml.push_str(rest);
    std::fs::write(f.path("hostile.xml"), &xml).unwrap();
    let o = f.run(&["events", "-f", "json", "hostile.xml"]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // The 88 host requests and the hostile event itself.
    assert_eq!(v["stats"]["records_read"], 89);
    assert_eq!(v["host"]["requests"], 88);
    assert_eq!(v["host"]["count"]["count"], 27);
    let kinds: Vec<&str> = v["warning_details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["what"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["text", "attributes", "depth"]);
    let o = f.run(&["events", "hostile.xml"]);
    let text = stdout(&o);
    assert!(
        text.contains("hostile.xml: XML: 1 element(s) have more than 256 attributes; the attributes after the first 256 were ignored (the first at line 90, byte "),
        "{text}"
    );
    assert!(text.contains("hostile.xml: XML: 1 text run(s) longer than 1048576 bytes were cut"));
    assert!(text.contains("nested deeper than 64 levels were skipped"));
    let o = f.run(&["--lang", "zh-TW", "events", "hostile.xml"]);
    let zh = stdout(&o);
    assert!(
        zh.contains("hostile.xml：XML：有 1 個元素的屬性多於 256 個，前 256 個之後的屬性已忽略（第一處在第 90 行，第 "),
        "{zh}"
    );
    assert!(zh.contains("巢狀層數超過 64 層"));
}

#[test]
fn event_viewer_xml_view_paste_from_a_real_capture() {
    let Some(text) = volact_testsupport::real_capture("event-8198-xml-hr-0x800704CF.xml") else {
        return;
    };
    let o = crate::util::run(&["events", "-f", "json", "-"], text.as_bytes());
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["inputs"][0]["kind"], "xml");
    assert_eq!(v["inputs"][0]["form"], "event_viewer_xml_view");
    assert_eq!(v["slui_failures"][0]["code"]["code"], "0x800704CF");
    assert_eq!(v["slui_failures"][0]["computer"], "DESKTOP-B7DJOVT");
}

#[test]
fn wazuh_alerts_and_evtx_dump_json_lines() {
    let wazuh = r#"{"timestamp":"2026-11-24T09:31:00.000+0000","rule":{"level":5,"description":"License activation (slui.exe) failed.","id":"60646"},"agent":{"id":"001","name":"pc1"},"data":{"win":{"system":{"providerName":"Microsoft-Windows-Security-SPP","eventSourceName":"Software Protection Platform Service","eventID":"8198","systemTime":"2026-11-24T09:29:42.0000000Z","eventRecordID":"503","channel":"Application","computer":"pc1.contoso.test"},"eventdata":{"data":"hr=0x803F7001, RuleId=eeba1977-569e-4571-b639-7623d8bfecc0;Action=AutoActivate;AppId=55c92734-d682-4d71-983e-d6ec3f16059f;SkuId=2ffd8952-423e-4903-b993-72a1aa44cf82;NotificationInterval=1440;Trigger=UserLogon"}}},"location":"EventChannel"}"#;
    let o = crate::util::run(&["events", "-f", "json", "-"], wazuh.as_bytes());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["inputs"][0]["form"], "wazuh_json");
    assert_eq!(v["slui_failures"][0]["code"]["code"], "0x803F7001");
    assert_eq!(v["slui_failures"][0]["trigger"], "UserLogon");
    let dump = r##"{"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Security-SPP","EventSourceName":"KmsRequests"}},"EventID":{"#attributes":{"Qualifiers":16384},"#text":12290},"TimeCreated":{"#attributes":{"SystemTime":"2026-11-24T09:30:12.0000000Z"}},"EventRecordID":77,"Channel":"Key Management Service","Computer":"kms01.contoso.test"},"EventData":{"Data":{"#text":["0xC004F038,25,pc7.contoso.test,5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11,2026/11/24 9:30,0,1,259200,2ffd8952-423e-4903-b993-72a1aa44cf82","0xC004F038","25","pc7.contoso.test","5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11","2026/11/24 9:30","0","1","259200","2ffd8952-423e-4903-b993-72a1aa44cf82"]}}}}"##;
    let o = crate::util::run(&["events", "-"], format!("Record 77\n{dump}\n").as_bytes());
    let out = stdout(&o);
    assert!(
        out.contains("(json: evtx_dump_json): read 1, used 1"),
        "{out}"
    );
    assert!(out.contains("pc7.contoso.test"), "{out}");
}

#[test]
fn placeholders_are_counted_in_every_format_and_empty_inputs_explained() {
    let line = "0xC004F06C,5,<KMS Client name>,36f27b39-2fd5-440b-be67-a09996d27a38,<DateTime>,0,2,41520,68531fb9-5511-4989-97be-d11a0f55633f\n";
    let o = crate::util::run(&["events", "-"], line.as_bytes());
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stdout(&o).contains("read in part: placeholders"),
        "{}",
        stdout(&o)
    );
    let o = crate::util::run(&["events", "-f", "markdown", "-"], line.as_bytes());
    assert!(
        stdout(&o).contains("read in part: placeholders such as \\<CMID\\>"),
        "{}",
        stdout(&o)
    );
    let o = crate::util::run(&["events", "-f", "ndjson", "-"], line.as_bytes());
    let summary: serde_json::Value =
        serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(summary["stats"]["records_partial"], 1, "{summary}");
    let o = crate::util::run(&["events", "-f", "csv", "-"], line.as_bytes());
    assert!(stderr(&o).contains("read in part"), "{}", stderr(&o));
    let o = crate::util::run(&["events", "-f", "json", "-"], line.as_bytes());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["stats"]["partial"][0]["reason"], "placeholder");
    assert_eq!(v["host"]["clients"][0]["min_count"], 5);
    // An input with nothing in it says what it was read as, and why nothing was used.
    let o = crate::util::run(&["events", "-"], b"just a log line\n");
    assert_eq!(code(&o), 3);
    assert!(
        stdout(&o).contains("read as text; no event record found in it"),
        "{}",
        stdout(&o)
    );
    let o = crate::util::run(&["events", "-f", "json", "-"], b"just a log line\n");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["inputs"][0]["nothing_used"]["kind"], "no_records");
}
