//! `volact doctor` against real peers on loopback (127.0.0.1 only): hickory-server for DNS, a
//! DCE/RPC responder, refused ports, an SNTP responder. The system's DNS configuration is replaced
//! by a resolv.conf file (hidden `--resolv-conf`) so no test depends on the machine.

use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::time::Duration;

use volact_testsupport::peers::{
    Behavior, Counters, DnsPeer, RpcAnswer, SilentUdp, SntpPeer, TcpPeer, Zone, refused_port,
};

use crate::util::{json, run, stderr, stdout};

const LO: Ipv4Addr = Ipv4Addr::LOCALHOST;

fn temp_file(name: &str, text: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "volact-cli-doctor-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Replaces what changes from run to run: ports, latencies.
fn normalize(s: &str, ports: &[(u16, &str)]) -> String {
    let mut s = s.to_owned();
    for (p, name) in ports {
        s = s.replace(&format!(":{p}"), &format!(":<{name}>"));
        s = s.replace(&format!(" {p} "), &format!(" <{name}> "));
        s = s.replace(&format!("Port {p}"), &format!("Port <{name}>"));
    }
    // "12.3 ms" and "12.3 毫秒" → "<ms>".
    let mut out = String::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            let mut j = i;
            while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '.') {
                j += 1;
            }
            let rest: String = chars[j..chars.len().min(j + 4)].iter().collect();
            if chars[i..j].contains(&'.') && (rest.starts_with(" ms") || rest.starts_with(" 毫秒"))
            {
                out.push_str("<n>");
                i = j;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

struct Lab {
    rpc: TcpPeer,
    ntp: SntpPeer,
    dns: DnsPeer,
    resolv: PathBuf,
    refused: u16,
}

fn lab() -> Lab {
    let rpc = TcpPeer::start(Behavior::Rpc(RpcAnswer::Accept)).unwrap();
    // Two hours ahead: inside the 4-hour KMS limit, above the warning level. Rounded to whole
    // minutes, milliseconds of network delay never change the text.
    let ntp = SntpPeer::start(2.0 * 3600.0).unwrap();
    let dns = DnsPeer::start(&[
        Zone::new("contoso.test")
            .kms_srv(0, 0, rpc.addr.port(), "kms1")
            .a("kms1", LO),
        Zone::new("fabrikam.test"),
    ])
    .unwrap();
    let resolv = temp_file("resolv.conf", "search contoso.test\n");
    Lab {
        rpc,
        ntp,
        dns,
        resolv,
        refused: refused_port().unwrap(),
    }
}

impl Lab {
    fn args(&self) -> Vec<String> {
        vec![
            "doctor".into(),
            "--resolv-conf".into(),
            self.resolv.display().to_string(),
            "--dns-server".into(),
            self.dns.addr.to_string(),
            "--timeout".into(),
            "800ms".into(),
        ]
    }

    fn ports(&self) -> Vec<(u16, &'static str)> {
        vec![
            (self.rpc.addr.port(), "rpc-port"),
            (self.ntp.addr.port(), "ntp-port"),
            (self.dns.addr.port(), "dns-port"),
            (self.refused, "refused-port"),
        ]
    }

    fn run(&self, lang: &str, extra: &[&str]) -> (String, i32) {
        let mut a: Vec<String> = vec!["--lang".into(), lang.into()];
        a.extend(self.args());
        a.extend(extra.iter().map(|s| (*s).to_owned()));
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = run(&refs, b"");
        (
            normalize(&stdout(&out), &self.ports()),
            out.status.code().unwrap(),
        )
    }
}

#[test]
fn healthy_discovery_text_in_both_languages() {
    let lab = lab();
    let ntp = lab.ntp.addr.to_string();
    for (lang, name) in [("en", "doctor_healthy_en"), ("zh-TW", "doctor_healthy_zh")] {
        let (text, code) = lab.run(lang, &["--domain", "contoso.test", "--time-server", &ntp]);
        assert_eq!(code, 0, "{text}");
        insta::assert_snapshot!(name, text);
    }
    assert!(lab.rpc.wait_closed(2, Duration::from_secs(5)));
    assert_eq!(
        Counters::get(&lab.rpc.counters.pdus),
        2,
        "one bind per run, nothing else"
    );
    assert_eq!(Counters::get(&lab.rpc.counters.requests), 0);
}

#[test]
fn failures_text_in_both_languages() {
    let lab = lab();
    let kms = format!("127.0.0.1:{}", lab.refused);
    let silent = SilentUdp::start().unwrap();
    let ts = silent.addr.to_string();
    for (lang, name) in [
        ("en", "doctor_failures_en"),
        ("zh-TW", "doctor_failures_zh"),
    ] {
        let (text, code) = lab.run(
            lang,
            &[
                "--domain",
                "fabrikam.test",
                "--kms",
                &kms,
                "--time-server",
                &ts,
            ],
        );
        assert_eq!(code, 1, "{text}");
        let text = text.replace(&format!(":{}", silent.addr.port()), ":<silent-port>");
        insta::assert_snapshot!(name, text);
    }
}

#[test]
fn json_contract() {
    let lab = lab();
    let mut a = lab.args();
    a.extend(
        [
            "--domain",
            "contoso.test",
            "--domain",
            "fabrikam.test",
            "-f",
            "json",
        ]
        .map(String::from),
    );
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let (v, code) = json(&refs, b"");
    assert_eq!(code, 1);
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["lang"], "en");
    assert_eq!(
        v["checks"],
        serde_json::json!(["dns", "tcp", "rpc", "clock"])
    );
    let domains = v["discovery"]["domains"].as_array().unwrap();
    assert_eq!(domains[0]["outcome"], "found");
    assert_eq!(domains[0]["records"][0]["target"], "kms1.contoso.test");
    assert_eq!(domains[1]["outcome"], "name-not-found");
    assert_eq!(domains[1]["codes"][0]["code"], "0x8007232B");
    assert_eq!(domains[1]["codes"][0]["name"], "DNS_ERROR_RCODE_NAME_ERROR");
    assert_eq!(v["discovery"]["status"], "fail");
    let h = &v["hosts"][0];
    assert_eq!(h["origin"]["from"], "srv");
    assert_eq!(h["origin"]["domain"], "contoso.test");
    let outcomes: Vec<&str> = h["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        &outcomes[..3],
        ["srv-target-resolved", "connected", "accepted"]
    );
    assert!(h["stages"][1]["latency_ms"].is_number());
    assert_eq!(v["first_failure"], "dns");
    assert_eq!(v["status"], "fail");
}

#[test]
fn ndjson_has_one_object_per_line() {
    let lab = lab();
    let kms = lab.rpc.addr.to_string();
    let ntp = lab.ntp.addr.to_string();
    let mut a = lab.args();
    a.extend(["--kms", &kms, "--time-server", &ntp, "--format", "ndjson"].map(String::from));
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let out = run(&refs, b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let types: Vec<String> = stdout(&out)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("each line is JSON");
            assert_eq!(v["schema_version"], 1);
            v["type"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(types, ["host", "clock", "summary"]);
}

#[test]
fn explain_runs_only_the_checks_of_the_code() {
    let lab = lab();
    let kms = lab.rpc.addr.to_string();
    let ntp = lab.ntp.addr.to_string();
    let mut a = lab.args();
    a.extend(
        [
            "--explain",
            "0xC004F06C",
            "--kms",
            &kms,
            "--time-server",
            &ntp,
            "-f",
            "json",
        ]
        .map(String::from),
    );
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let (v, code) = json(&refs, b"");
    assert_eq!(code, 0);
    assert_eq!(v["checks"], serde_json::json!(["clock"]));
    assert_eq!(v["explain"]["code"]["code"], "0xC004F06C");
    assert!(v["discovery"].is_null());
    assert_eq!(v["clock"]["status"], "warn");
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        Counters::get(&lab.rpc.counters.connections),
        0,
        "no TCP for a clock code"
    );

    // A code that is not a network problem names no checks: a usage error.
    let out = run(&["doctor", "--explain", "0xC004C003"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("names no doctor checks"),
        "{}",
        stderr(&out)
    );
    let out = run(&["doctor", "--explain", "banana"], b"");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn hosts_file_counts_skips_and_redacts() {
    let lab = lab();
    let file = temp_file(
        "fleet.txt",
        &format!(
            "# lab fleet\n127.0.0.1:{}\n127.0.0.1:{} # refused\n\nnot a host\nABCDE-FGHIJ-KLMNO-PQRST-VWXYZ\n127.0.0.1:{}\n",
            lab.rpc.addr.port(),
            lab.refused,
            lab.rpc.addr.port()
        ),
    );
    let f = file.display().to_string();
    let (text, code) = lab.run("en", &["--hosts-file", &f, "--explain", "0xC004F039"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("Hosts file: 7 lines read, 2 hosts used, 3 lines skipped."),
        "{text}"
    );
    assert!(
        !text.contains("ABCDE-FGHIJ"),
        "a key-shaped line must be redacted: {text}"
    );
    assert!(text.contains("VWXYZ"), "{text}");
    assert!(text.contains("repeats an earlier line"), "{text}");

    let empty = temp_file("empty.txt", "# nothing\n\n");
    let out = run(
        &["doctor", "--hosts-file", &empty.display().to_string()],
        b"",
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let out = run(
        &["doctor", "--hosts-file", "/nonexistent/volact/fleet.txt"],
        b"",
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("/nonexistent/volact/fleet.txt"));
}

#[test]
fn hosts_file_from_stdin() {
    let lab = lab();
    let mut a = lab.args();
    a.extend(["--hosts-file", "-", "--explain", "0xC004F039", "-f", "json"].map(String::from));
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let input = format!("127.0.0.1:{}\n", lab.rpc.addr.port());
    let (v, code) = json(&refs, input.as_bytes());
    assert_eq!(code, 0);
    assert_eq!(v["hosts"][0]["status"], "pass");
    assert_eq!(v["hosts"][0]["origin"]["line"], 1);
}

#[test]
fn usage_errors() {
    for args in [
        &["doctor", "--kms", "bad host"][..],
        &["doctor", "--kms", "h:99999"],
        &["doctor", "--timeout", "soon"],
        &["doctor", "--timeout", "0s"],
        &["doctor", "--dns-server", "dns.example"],
        &["doctor", "--domain", "-bad domain"],
        &["doctor", "--concurrency", "0"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn help_explains_the_stages_and_that_nothing_is_activated() {
    let out = run(&["doctor", "--help"], b"");
    let s = stdout(&out);
    assert!(s.contains("never sends"), "{s}");
    assert!(s.contains("0xC004F06C"));
    assert!(s.contains("Exit codes:"));
}

#[test]
fn a_fleet_gives_one_line_per_host_in_text() {
    use volact_testsupport::peers::Fleet;
    let fleet = Fleet::start(10, 10, 5).unwrap();
    let file = temp_file("fleet.txt", &fleet.hosts_file());
    let resolv = temp_file("resolv.conf", "");
    let out = run(
        &[
            "doctor",
            "--resolv-conf",
            &resolv.display().to_string(),
            "--hosts-file",
            &file.display().to_string(),
            "--explain",
            "0xC004F039",
            "--timeout",
            "500ms",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let host_lines: Vec<&str> = text.lines().filter(|l| l.starts_with("  [")).collect();
    assert_eq!(host_lines.len(), 25, "{text}");
    assert_eq!(
        host_lines.iter().filter(|l| l.contains("[PASS]")).count(),
        10
    );
    assert_eq!(
        host_lines
            .iter()
            .filter(|l| l.contains("rpc no-reply 0xC004F039"))
            .count(),
        10,
        "{text}"
    );
    assert_eq!(
        host_lines
            .iter()
            .filter(|l| l.contains("tcp refused 0x800706BA"))
            .count(),
        5
    );
    assert!(
        text.contains("25 host(s): 10 pass, 0 warn, 15 fail, 0 unknown."),
        "{text}"
    );
    assert_eq!(Counters::get(&fleet.counters.requests), 0);
}

#[test]
fn a_kms_host_given_by_name_is_resolved_first() {
    let lab = lab();
    let mut a = lab.args();
    let name = format!("kms1.contoso.test:{}", lab.rpc.addr.port());
    let ntp = lab.ntp.addr.to_string();
    a.extend(["--kms", &name, "--time-server", &ntp, "-f", "json"].map(String::from));
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let (v, code) = json(&refs, b"");
    assert_eq!(code, 0);
    assert!(v["discovery"].is_null(), "explicit hosts skip discovery");
    assert_eq!(v["hosts"][0]["stages"][0]["outcome"], "resolved");
    assert_eq!(
        v["hosts"][0]["stages"][0]["data"]["addresses"][0],
        "127.0.0.1"
    );
    assert_eq!(v["hosts"][0]["stages"][2]["outcome"], "accepted");

    let mut a = lab.args();
    a.extend(
        [
            "--kms",
            "nohost.fabrikam.test",
            "--explain",
            "0xC004F039",
            "-f",
            "json",
        ]
        .map(String::from),
    );
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let (v, code) = json(&refs, b"");
    assert_eq!(code, 1);
    let s = &v["hosts"][0]["stages"][0];
    assert_eq!(s["outcome"], "no-address");
    assert_eq!(s["codes"][0]["code"], "0x8007232B");
    assert_eq!(v["hosts"][0]["first_failure"], "dns");
}

#[test]
fn json_in_traditional_chinese() {
    let lab = lab();
    let mut a: Vec<String> = vec!["--lang".into(), "zh-TW".into()];
    a.extend(lab.args());
    a.extend(
        [
            "--domain",
            "fabrikam.test",
            "--explain",
            "0x8007232B",
            "-f",
            "json",
        ]
        .map(String::from),
    );
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let (v, code) = json(&refs, b"");
    assert_eq!(code, 1);
    assert_eq!(v["lang"], "zh-TW");
    assert_eq!(v["checks"], serde_json::json!(["dns"]));
    let d = &v["discovery"]["domains"][0];
    assert_eq!(d["outcome"], "name-not-found");
    assert!(d["summary"].as_str().unwrap().contains("名稱不存在"), "{d}");
    assert!(
        v["discovery"]["summary"]
            .as_str()
            .unwrap()
            .contains("自動探索失敗")
    );
}

const KEY: &str = "BCDFG-HJKMN-PQRTV-WXY23-46789";

fn assert_no_key(what: &str, s: &str) {
    for part in ["BCDFG", "HJKMN", "PQRTV", "WXY23"] {
        assert!(
            !s.to_ascii_uppercase().contains(part),
            "{what} leaks {part}: {s}"
        );
    }
}

#[test]
fn a_product_key_as_a_name_is_refused_before_any_traffic() {
    use volact_testsupport::peers::{RawDns, RawDnsPeer};
    let dns = RawDnsPeer::start(RawDns::Silent).unwrap();
    let server = dns.addr.to_string();
    let glued = format!("{KEY}.contoso.test");
    let lower = KEY.to_lowercase();
    let cases: Vec<Vec<&str>> = vec![
        vec!["--domain", KEY],
        vec!["--domain", &glued],
        vec!["--domain", &lower],
        vec!["--kms", KEY],
        vec!["--kms", &glued],
        vec!["--time-server", KEY],
        vec!["--dns-server", KEY],
        vec!["--explain", KEY],
    ];
    for extra in cases {
        let mut a = vec!["doctor", "--dns-server", &server, "--timeout", "300ms"];
        if extra[0] == "--dns-server" {
            a.truncate(1);
            a.extend(["--timeout", "300ms"]);
        }
        a.extend(extra.iter().copied());
        let out = run(&a, b"");
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_no_key(&format!("{extra:?} stderr"), &err);
        assert_no_key(&format!("{extra:?} stdout"), &stdout(&out));
        assert!(
            err.contains("46789"),
            "{extra:?}: the redacted form is shown: {err}"
        );
    }
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        dns.queries.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "no DNS query carried the key"
    );
}

#[test]
fn a_key_in_an_srv_target_or_rpc_reply_is_redacted_in_every_format() {
    let sec = format!("{KEY}\u{1}");
    let rpc = TcpPeer::start(Behavior::Garbage(
        volact_testsupport::peers::bind_ack_with_sec_addr(sec.as_bytes()),
    ))
    .unwrap();
    let dns = DnsPeer::start(&[Zone::new("leak.test")
        .kms_srv(0, 0, rpc.addr.port(), KEY)
        .a(KEY, LO)])
    .unwrap();
    let resolv = temp_file("resolv.conf", "");
    for lang in ["en", "zh-TW"] {
        for format in ["text", "json", "ndjson"] {
            let a = [
                "--lang",
                lang,
                "doctor",
                "--resolv-conf",
                &resolv.display().to_string(),
                "--dns-server",
                &dns.addr.to_string(),
                "--domain",
                "leak.test",
                "--explain",
                "0xC004F074",
                "--time-server",
                &SilentUdp::start().unwrap().addr.to_string(),
                "--timeout",
                "500ms",
                "--format",
                format,
            ];
            let out = run(&a, b"");
            let s = stdout(&out);
            assert_no_key(&format!("{lang} {format}"), &s);
            assert_no_key(&format!("{lang} {format} stderr"), &stderr(&out));
            assert!(s.contains("46789"), "{lang} {format}: {s}");
            if format != "text" {
                assert!(
                    s.contains("accepted"),
                    "{lang} {format}: the probe ran: {s}"
                );
            }
        }
    }
}

#[test]
fn hostile_sntp_replies_are_no_usable_time_in_both_languages() {
    use volact_testsupport::peers::SntpHostile;
    let zero = SntpPeer::start_hostile(SntpHostile::ZeroTimestamps).unwrap();
    let kod = SntpPeer::start_hostile(SntpHostile::Kiss(*b"DENY")).unwrap();
    let s16 = SntpPeer::start_hostile(SntpHostile::Stratum(16)).unwrap();
    for (lang, phrase) in [
        ("en", "no usable time from this source"),
        ("zh-TW", "此來源沒有可用的時間"),
    ] {
        for p in [&zero, &kod, &s16] {
            let ts = p.addr.to_string();
            let out = run(
                &[
                    "--lang",
                    lang,
                    "doctor",
                    "--explain",
                    "0xC004F06C",
                    "--time-server",
                    &ts,
                    "--timeout",
                    "500ms",
                ],
                b"",
            );
            let text = stdout(&out);
            assert_eq!(out.status.code(), Some(1), "undecided, not passed: {text}");
            assert!(text.contains(phrase), "{text}");
            assert!(!text.contains("0xC004F06C fails"), "{text}");
            assert!(!text.contains("80469"), "{text}");
            assert!(
                text.contains("[UNKNOWN]") || text.contains("[無法判定]"),
                "{text}"
            );
        }
    }
}

#[test]
fn an_srv_target_of_dot_says_the_domain_publishes_no_kms_service() {
    let dns = DnsPeer::start(&[Zone::new("none.test").kms_srv_no_service()]).unwrap();
    let resolv = temp_file("resolv.conf", "");
    let out = run(
        &[
            "doctor",
            "--resolv-conf",
            &resolv.display().to_string(),
            "--dns-server",
            &dns.addr.to_string(),
            "--domain",
            "none.test",
            "--explain",
            "0x8007251D",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("publishes no KMS service"), "{text}");
    assert!(text.contains("0x8007251D"), "{text}");
    assert!(!text.contains("refused"), "{text}");
}

#[test]
fn max_hosts_limits_the_hosts_probed() {
    let lab = lab();
    let kms = format!("127.0.0.1:{}", lab.rpc.addr.port());
    let refused = format!("127.0.0.1:{}", lab.refused);
    let (text, code) = lab.run(
        "en",
        &[
            "--kms",
            &kms,
            "--kms",
            &refused,
            "--max-hosts",
            "1",
            "--explain",
            "0xC004F039",
        ],
    );
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("1 host(s) not probed: one run probes at most 1 hosts"),
        "{text}"
    );
    assert!(text.contains("127.0.0.1:<refused-port>"), "{text}");
    assert!(text.contains("1 host(s): 1 pass"), "{text}");
    let out = run(&["doctor", "--max-hosts", "0"], b"");
    assert_eq!(out.status.code(), Some(2));
}
