//! The rules: each finding and planned check from a small bundle built for it (one test per
//! situation; the sentences themselves are tested in `src/phrases/tests.rs`).

use std::io::Cursor;
use std::path::Path;

use volact_collect::{
    Bundle, Captured, CapturedFile, CheckReason, CheckTarget, Collector, Content, FileKind,
    Finding, FindingKind, Level, analyze, collect_into, phrases, render,
};
use volact_core::kms::Stage;
use volact_core::{ErrorCode, Lang};

/// A step that writes one text file (or fails).
struct Step {
    id: &'static str,
    file: &'static str,
    kind: FileKind,
    text: String,
    error: Option<&'static str>,
}

impl Collector for Step {
    fn id(&self) -> &str {
        self.id
    }
    fn command(&self) -> String {
        format!("{} (test)", self.id)
    }
    fn collect(&self) -> Captured {
        match self.error {
            Some(e) => Captured::failed(e),
            None => Captured {
                exit_code: Some(0),
                files: vec![CapturedFile {
                    name: self.file.into(),
                    kind: self.kind,
                    content: Content::Text(self.text.clone(), None),
                }],
                ..Captured::default()
            },
        }
    }
}

fn step(id: &'static str, file: &'static str, kind: FileKind, text: &str) -> Box<dyn Collector> {
    Box::new(Step {
        id,
        file,
        kind,
        text: text.to_owned(),
        error: None,
    })
}

fn bundle(steps: Vec<Box<dyn Collector>>) -> Bundle {
    let mut zip = Cursor::new(Vec::new());
    let path = Path::new("test.zip");
    collect_into(&steps, "test", &mut zip, path, &mut |_| {}).unwrap();
    zip.set_position(0);
    Bundle::read(zip, path).unwrap()
}

fn kinds(f: &[Finding]) -> Vec<&FindingKind> {
    f.iter().map(|f| &f.kind).collect()
}

fn find<'a>(f: &'a [Finding], id: &str) -> &'a Finding {
    f.iter()
        .find(|f| f.id() == id)
        .unwrap_or_else(|| panic!("no {id} in {:?}", kinds(f)))
}

const CLIENT_DNS_DISCOVERY: &str = "\
Name: Windows(R), Enterprise edition
Description: Windows(R) Operating System, VOLUME_KMSCLIENT channel
Product Key Channel: Volume:GVLK
Partial Product Key: 2YT43
License Status: Notification
Notification Reason: 0xC004F009.

Key Management Service client information
    Client Machine ID (CMID): 6e2e9f4c-3a1b-4d8e-9c5f-2b7a1d0e8f34
    DNS auto-discovery: KMS name not available
";

const NO_SUFFIX_NO_SERVERS: &str = r#"{"primary_suffix":null,"search_list":[],"search_list_source":"none",
 "adapters":[{"id":"{A}","name":"Ethernet0","suffix":null,"dns_servers":[],"dhcp":true}]}"#;

#[test]
fn a_client_that_finds_no_kms_host() {
    let b = bundle(vec![
        step(
            "slmgr-dlv",
            "slmgr-dlv.txt",
            FileKind::Slmgr,
            CLIENT_DNS_DISCOVERY,
        ),
        step("dns", "dns.json", FileKind::Dns, NO_SUFFIX_NO_SERVERS),
        step(
            "w32tm-status",
            "w32tm-status.txt",
            FileKind::Text,
            "Source: Free-running System Clock\r\nLast Successful Sync Time: unspecified\r\n",
        ),
        Box::new(Step {
            id: "ipconfig-all",
            file: "ipconfig-all.txt",
            kind: FileKind::Text,
            text: String::new(),
            error: Some("cannot start ipconfig.exe: Access is denied."),
        }),
    ]);
    let a = analyze(&b, Lang::En);
    let f = &a.findings;
    let not_licensed = find(f, "product-not-licensed");
    assert_eq!(
        not_licensed.kind,
        FindingKind::ProductNotLicensed {
            product: "Windows(R), Enterprise edition".into(),
            status: "Notification".into(),
            reason: Some(ErrorCode::new(0xC004_F009)),
        }
    );
    assert_eq!(not_licensed.level, Level::Error);
    assert_eq!(not_licensed.codes, [ErrorCode::new(0xC004_F009)]);
    let srv = ErrorCode::new(0x8007_232B);
    for (id, level) in [
        ("dns-discovery-failed", Level::Error),
        ("no-dns-suffix", Level::Warning),
        ("no-dns-servers", Level::Warning),
    ] {
        assert_eq!(find(f, id).level, level, "{id}");
        assert_eq!(find(f, id).codes, [srv], "{id}");
    }
    let clock = find(f, "clock-unsynchronised");
    assert_eq!(clock.codes, [ErrorCode::new(0xC004_F06C)]);
    assert_eq!(
        find(f, "step-failed").kind,
        FindingKind::StepFailed {
            step: "ipconfig-all".into(),
            error: "cannot start ipconfig.exe: Access is denied.".into(),
        }
    );
    // Most serious first.
    assert!(f.windows(2).all(|w| w[0].level >= w[1].level));
    assert!(a.needs_attention());

    // The next commands carry the mark of volact's commands table, in JSON and in the text.
    assert_eq!(clock.commands, ["w32tm /query /status", "w32tm /resync"]);
    let v: serde_json::Value = serde_json::from_str(&render::json(&a)).unwrap();
    let clock_cmds = v["findings"]
        .as_array()
        .and_then(|f| f.iter().find(|x| x["id"] == "clock-unsynchronised"))
        .map(|x| &x["commands"])
        .unwrap();
    assert_eq!(clock_cmds[1]["run"], "w32tm /resync");
    assert_eq!(clock_cmds[1]["elevated"], true);
    assert_eq!(clock_cmds[0]["elevated"], false);
    assert_eq!(clock_cmds[0]["runs_on"], "any");
    let text = render::text(&a, false);
    assert!(
        text.contains("`w32tm /resync`  [elevated prompt]"),
        "{text}"
    );
    assert!(text.contains("`w32tm /query /status`\n"), "{text}");

    // No domain to search: only the hosts the records would name, and a time server.
    let plan: Vec<(Stage, &CheckTarget, &CheckReason)> = a
        .checks
        .iter()
        .map(|c| (c.check, &c.target, &c.reason))
        .collect();
    assert_eq!(
        plan,
        [
            (Stage::Tcp, &CheckTarget::SrvHosts, &CheckReason::SrvHostTcp),
            (Stage::Rpc, &CheckTarget::SrvHosts, &CheckReason::KmsRpc),
            (
                Stage::Clock,
                &CheckTarget::AnyTimeServer,
                &CheckReason::ClientClock
            ),
        ]
    );
    assert_eq!(a.doctor_command, "volact doctor");
    // The JSON says each finding in the analysis language, with its facts.
    let v = serde_json::to_value(&a).unwrap();
    let step_failed = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "step-failed")
        .unwrap();
    assert_eq!(
        step_failed["text"],
        "Collection step ipconfig-all failed: cannot start ipconfig.exe: Access is denied."
    );
    assert_eq!(step_failed["facts"]["step"], "ipconfig-all");
    assert_eq!(v["checks"][2]["target"], "a time server");
}

#[test]
fn slmgr_output_without_english_labels() {
    let b = bundle(vec![step(
        "slmgr-dlv",
        "slmgr-dlv.txt",
        FileKind::Slmgr,
        // Polish: no label table (German, Chinese, … are read since the label tables).
        "Nazwa: Windows(R), Enterprise edition\r\nStan licencji: Powiadomienie\r\nPrzyczyna powiadomienia: 0xC004F009.\r\n",
    )]);
    let a = analyze(&b, Lang::ZhTw);
    let f = find(&a.findings, "slmgr-not-parsed");
    assert_eq!(f.level, Level::Info);
    assert!(a.products.is_empty());
    // The code in it is still found.
    assert_eq!(a.codes[0].code, ErrorCode::new(0xC004_F009));
    assert!(phrases::finding(&f.kind, a.lang).starts_with("slmgr 輸出沒有英文標籤"));
}

const HOST: &str = "\
Name: Windows(R), ServerStandard edition
Description: Windows(R) Operating System, VOLUME_KMS_WS22 channel
Product Key Channel: Volume:CSVLK
Partial Product Key: KW3QB
License Status: Licensed

Key Management Service is enabled on this machine
    Current count: 3
    Listening on Port: 1700
    DNS publishing disabled

Key Management Service cumulative requests received from clients
    Total requests received: 12
    Failed requests received: 4
";

#[test]
fn a_kms_host_whose_name_the_bundle_does_not_give() {
    let b = bundle(vec![step(
        "slmgr-dlv",
        "slmgr-dlv.txt",
        FileKind::Slmgr,
        HOST,
    )]);
    for lang in Lang::ALL {
        let a = analyze(&b, lang);
        assert_eq!(a.machine.roles, ["kms-host"]);
        let f = &a.findings;
        // Below both thresholds: servers do not activate either.
        let low = find(f, "host-count-low");
        assert_eq!(low.kind, FindingKind::HostCountLow { count: 3 });
        assert_eq!(low.level, Level::Error);
        assert_eq!(low.codes, [ErrorCode::new(0xC004_F038)]);
        assert_eq!(find(f, "host-dns-publishing-off").level, Level::Warning);
        assert_eq!(
            find(f, "host-failed-requests").kind,
            FindingKind::HostFailedRequests {
                failed: 4,
                total: 12
            }
        );
        let port = a
            .checks
            .iter()
            .find(|c| c.reason == CheckReason::HostFirewall)
            .unwrap();
        assert_eq!(port.target, CheckTarget::ThisHost { port: 1700 });
        let clock = a.checks.last().unwrap();
        assert_eq!(clock.reason, CheckReason::HostClock);
        // "this host" is not a name `volact doctor` can be given, in any language.
        assert_eq!(a.doctor_command, "volact doctor", "{lang:?}");
    }
    let zh = analyze(&b, Lang::ZhTw);
    let text = render::text(&zh, false);
    assert!(
        text.contains("tcp   此主機:1700 — 請從用戶端執行"),
        "{text}"
    );
}

#[test]
fn a_kms_host_with_enough_for_servers_is_a_warning() {
    let b = bundle(vec![step(
        "slmgr-dlv",
        "slmgr-dlv.txt",
        FileKind::Slmgr,
        &HOST.replace("Current count: 3", "Current count: 5"),
    )]);
    let a = analyze(&b, Lang::En);
    assert_eq!(find(&a.findings, "host-count-low").level, Level::Warning);
    let b = bundle(vec![step(
        "slmgr-dlv",
        "slmgr-dlv.txt",
        FileKind::Slmgr,
        &HOST.replace("Current count: 3", "Current count: 25"),
    )]);
    let a = analyze(&b, Lang::En);
    assert!(a.findings.iter().all(|f| f.id() != "host-count-low"));
}
