//! Every stage against real peers on loopback (127.0.0.1 only): hickory-server as the
//! authoritative DNS server, TCP listeners that misbehave, a DCE/RPC responder, SNTP and chronyd.

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use volact_core::kb::Check;
use volact_netdiag::model::{LookupOutcome, Origin, Report, SrvFlag, Stage, Status};
use volact_netdiag::{Options, Progress, SystemDns, target};
use volact_testsupport::peers::{
    Behavior, Blackhole, Chrony, Counters, DnsPeer, RawDns, RawDnsPeer, RpcAnswer, SilentUdp,
    SntpPeer, TcpPeer, Zone, refused_port, require_chrony,
};

const LO: Ipv4Addr = Ipv4Addr::LOCALHOST;
const T: Duration = Duration::from_millis(800);

/// A resolv.conf in a temp dir, so no test reads the machine's own.
fn resolv_conf(text: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "volact-netdiag-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("resolv.conf");
    std::fs::write(&p, text).unwrap();
    p
}

fn opts() -> Options {
    Options {
        timeout: T,
        system_dns: SystemDns::ResolvConf(resolv_conf("")),
        ..Options::default()
    }
}

fn kms(addr: SocketAddr) -> target::Target {
    target::parse(&addr.to_string(), 1688, Origin::Argument).unwrap()
}

fn run(o: &Options) -> Report {
    let r = volact_netdiag::run(o, &Progress::Hidden).unwrap();
    assert_marks(&serde_json::to_value(&r).unwrap());
    r
}

/// Every next command anywhere in a report (discovery, hosts, Azure notes, clock) carries the
/// mark of volact's commands table; doctor's `slmgr /ato` is KMS activation.
fn assert_marks(v: &serde_json::Value) {
    use volact_core::commands::{Case, lookup};
    for c in v["next_commands"].as_array().into_iter().flatten() {
        let run = c["run"].as_str().unwrap();
        let row = lookup(run).unwrap_or_else(|| panic!("not in the table: {run}"));
        assert_eq!(
            c["elevated"],
            row.elevated(Some(Case::Kms)).unwrap(),
            "{run}"
        );
        assert_eq!(c["runs_on"], row.runs_on.id(), "{run}");
    }
    match v {
        serde_json::Value::Object(o) => o.values().for_each(assert_marks),
        serde_json::Value::Array(a) => a.iter().for_each(assert_marks),
        _ => {}
    }
}

fn codes(v: &[volact_netdiag::model::CodeRef]) -> Vec<String> {
    v.iter().map(|c| c.code.to_string()).collect()
}

fn stage(r: &Report, host: usize, s: Stage) -> &volact_netdiag::model::StageResult {
    r.hosts[host]
        .stages
        .iter()
        .find(|x| x.stage == s)
        .unwrap_or_else(|| panic!("no {s:?} stage in {:#?}", r.hosts[host]))
}

fn only(checks: &[Check]) -> Vec<Check> {
    checks.to_vec()
}

// ------------------------------------------------------------------------------------------
// DNS discovery
// ------------------------------------------------------------------------------------------

#[test]
fn discovery_finds_a_healthy_kms_host_and_the_walk_passes() {
    let rpc = TcpPeer::start(Behavior::Rpc(RpcAnswer::Accept)).unwrap();
    let ntp = SntpPeer::start(1.5).unwrap();
    let dns = DnsPeer::start(&[Zone::new("good.test")
        .kms_srv(0, 0, rpc.addr.port(), "kms1.good.test")
        .a("kms1", LO)])
    .unwrap();
    let mut o = opts();
    o.domains = vec!["good.test".into()];
    o.dns_server = Some(dns.addr);
    o.time_servers = vec![kms(ntp.addr)];
    let r = run(&o);
    let d = r.discovery.as_ref().unwrap();
    assert_eq!(d.status, Status::Warn, "{d:#?}"); // the port is not 1688
    assert_eq!(d.domains[0].outcome, LookupOutcome::Found);
    assert_eq!(d.domains[0].query, "_vlmcs._tcp.good.test.");
    let rec = &d.domains[0].records[0];
    assert_eq!(rec.target, "kms1.good.test");
    assert_eq!(rec.addresses, vec![std::net::IpAddr::from(LO)]);
    assert_eq!(rec.flags, vec![SrvFlag::NonDefaultPort]);
    assert_eq!(r.hosts.len(), 1);
    let h = &r.hosts[0];
    assert_eq!(
        h.origin,
        Origin::Srv {
            domain: "good.test".into()
        }
    );
    assert_eq!(h.status, Status::Pass, "{h:#?}");
    assert_eq!(stage(&r, 0, Stage::Tcp).outcome, "connected");
    assert_eq!(stage(&r, 0, Stage::Rpc).outcome, "accepted");
    assert!(h.next_commands.iter().any(|c| {
        c.run
            .ends_with(&format!("/skms kms1.good.test:{}", rpc.addr.port()))
    }));
    let c = r.clock.as_ref().unwrap();
    assert_eq!(c.status, Status::Pass);
    // The source runs 1.5 s ahead, so this machine is 1.5 s behind: negative.
    let off = c.offset_s.unwrap();
    assert!((off + 1.5).abs() < 0.5, "{off}");
    assert!(c.summary.contains("This machine is 1.5"), "{}", c.summary);
    assert!(
        c.summary.contains(" s behind the time source"),
        "{}",
        c.summary
    );
    assert_eq!(r.first_failure, None);
    assert!(!r.needs_attention());
}

#[test]
fn nxdomain_maps_to_0x8007232b() {
    let dns = DnsPeer::start(&[Zone::new("nx.test")]).unwrap();
    let mut o = opts();
    o.domains = vec!["nx.test".into()];
    o.dns_server = Some(dns.addr);
    o.checks = only(&[Check::Dns]);
    let r = run(&o);
    let d = r.discovery.unwrap();
    assert_eq!(d.status, Status::Fail);
    assert_eq!(d.domains[0].outcome, LookupOutcome::NameNotFound);
    assert_eq!(codes(&d.domains[0].codes), ["0x8007232B"]);
    assert_eq!(r.first_failure, Some(Stage::Dns));
    assert!(
        d.next_commands
            .iter()
            .any(|c| c.run.starts_with("nslookup -type=srv _vlmcs._tcp.nx.test"))
    );
}

#[test]
fn a_name_without_srv_records_maps_to_0x8007251d() {
    let dns = DnsPeer::start(&[Zone::new("empty.test").txt("_vlmcs._tcp", "no kms here")]).unwrap();
    let mut o = opts();
    o.domains = vec!["empty.test".into()];
    o.dns_server = Some(dns.addr);
    o.checks = only(&[Check::Dns]);
    let r = run(&o);
    let d = r.discovery.unwrap();
    assert_eq!(d.domains[0].outcome, LookupOutcome::NoRecords, "{d:#?}");
    assert_eq!(codes(&d.domains[0].codes), ["0x8007251D"]);
}

#[test]
fn servfail_maps_to_0x8007232a() {
    let dns = RawDnsPeer::start(RawDns::ServFail).unwrap();
    let mut o = opts();
    o.domains = vec!["broken.test".into()];
    o.dns_server = Some(dns.addr);
    o.checks = only(&[Check::Dns]);
    let r = run(&o);
    let d = r.discovery.unwrap();
    assert_eq!(d.domains[0].outcome, LookupOutcome::ServerFailure, "{d:#?}");
    assert_eq!(codes(&d.domains[0].codes), ["0x8007232A"]);
    assert!(Counters::get(&dns.queries) >= 1);
}

#[test]
fn a_silent_dns_server_maps_to_0x8007232a_within_the_timeout() {
    let dns = SilentUdp::start().unwrap();
    let mut o = opts();
    o.domains = vec!["silent.test".into()];
    o.dns_server = Some(dns.addr);
    o.checks = only(&[Check::Dns]);
    let start = Instant::now();
    let r = run(&o);
    assert!(start.elapsed() < T * 6, "{:?}", start.elapsed());
    let d = r.discovery.unwrap();
    assert_eq!(d.domains[0].outcome, LookupOutcome::ServerFailure, "{d:#?}");
    assert_eq!(codes(&d.domains[0].codes), ["0x8007232A"]);
}

#[test]
fn no_dns_server_configured_maps_to_0x8007267c_and_names_the_suffixes_tried() {
    let mut o = opts();
    o.system_dns = SystemDns::ResolvConf(resolv_conf("search corp.test lab.test\n"));
    o.checks = only(&[Check::Dns]);
    let r = run(&o);
    let d = r.discovery.unwrap();
    assert_eq!(d.dns_servers_from, "none");
    assert_eq!(d.search_list, ["corp.test", "lab.test"]);
    let tried: Vec<&str> = d.domains.iter().map(|x| x.domain.as_str()).collect();
    assert_eq!(tried, ["corp.test", "lab.test"]);
    for x in &d.domains {
        assert_eq!(x.outcome, LookupOutcome::NoDnsServer);
        assert_eq!(codes(&x.codes), ["0x8007267C"]);
    }
    assert!(d.summary.contains("corp.test, lab.test"), "{}", d.summary);
}

#[test]
fn the_search_list_is_walked_and_one_suffix_with_records_is_enough() {
    let rpc = TcpPeer::start(Behavior::Rpc(RpcAnswer::Accept)).unwrap();
    let dns = DnsPeer::start(&[
        Zone::new("corp.test"),
        Zone::new("lab.test")
            .kms_srv(0, 0, rpc.addr.port(), "kms.lab.test")
            .a("kms", LO),
    ])
    .unwrap();
    let mut o = opts();
    o.system_dns = SystemDns::ResolvConf(resolv_conf(
        "nameserver 127.0.0.1\nsearch corp.test lab.test\n",
    ));
    o.dns_server = Some(dns.addr);
    o.checks = only(&[Check::Dns, Check::Tcp, Check::Rpc]);
    let r = run(&o);
    let d = r.discovery.as_ref().unwrap();
    assert_eq!(d.domains.len(), 2);
    assert_eq!(d.domains[0].outcome, LookupOutcome::NameNotFound);
    assert_eq!(d.domains[1].outcome, LookupOutcome::Found);
    assert_ne!(d.status, Status::Fail);
    assert_eq!(
        r.hosts[0].target,
        format!("kms.lab.test:{}", rpc.addr.port())
    );
    assert_eq!(r.hosts[0].status, Status::Pass);
}

#[test]
fn srv_targets_without_address_several_hosts_and_odd_ports_are_flagged() {
    let a = TcpPeer::start(Behavior::Rpc(RpcAnswer::Accept)).unwrap();
    let b = TcpPeer::start(Behavior::Rpc(RpcAnswer::Accept)).unwrap();
    let dns = DnsPeer::start(&[Zone::new("multi.test")
        .kms_srv(0, 10, a.addr.port(), "kms-a")
        .kms_srv(0, 20, b.addr.port(), "kms-b")
        .kms_srv(10, 0, 1688, "ghost")
        .a("kms-a", LO)
        .a("kms-b", LO)])
    .unwrap();
    let mut o = opts();
    o.domains = vec!["multi.test".into()];
    o.dns_server = Some(dns.addr);
    o.checks = only(&[Check::Dns, Check::Tcp, Check::Rpc]);
    let r = run(&o);
    let d = r.discovery.as_ref().unwrap();
    let recs = &d.domains[0].records;
    assert_eq!(recs.len(), 3);
    // Sorted by priority, then weight descending.
    assert_eq!(recs[0].target, "kms-b.multi.test");
    assert_eq!(recs[1].target, "kms-a.multi.test");
    assert_eq!(recs[2].target, "ghost.multi.test");
    assert_eq!(recs[2].flags, vec![SrvFlag::NoAddress]);
    assert_eq!(recs[0].flags, vec![SrvFlag::NonDefaultPort]);
    assert_eq!(d.status, Status::Warn);
    assert_eq!(r.hosts.len(), 3);
    let ghost = r
        .hosts
        .iter()
        .find(|h| h.host == "ghost.multi.test")
        .unwrap();
    assert_eq!(ghost.status, Status::Fail);
    assert_eq!(ghost.first_failure, Some(Stage::Dns));
    assert!(codes(&ghost.codes).contains(&"0xC004F074".to_string()));
    assert_eq!(r.summary.pass, 2);
    assert_eq!(r.summary.fail, 1);
}

// ------------------------------------------------------------------------------------------
// TCP
// ------------------------------------------------------------------------------------------

fn probe(addr: SocketAddr) -> (Report, Duration) {
    let mut o = opts();
    o.hosts = vec![kms(addr)];
    o.checks = only(&[Check::Tcp, Check::Rpc]);
    let start = Instant::now();
    let r = run(&o);
    (r, start.elapsed())
}

#[test]
fn tcp_refused_maps_to_0x800706ba() {
    let (r, _) = probe(SocketAddr::from((LO, refused_port().unwrap())));
    let s = stage(&r, 0, Stage::Tcp);
    assert_eq!(s.outcome, "refused");
    assert_eq!(s.status, Status::Fail);
    assert_eq!(codes(&s.codes), ["0x800706BA", "0xC004F074"]);
    assert_eq!(stage(&r, 0, Stage::Rpc).status, Status::Skip);
    assert_eq!(r.hosts[0].first_failure, Some(Stage::Tcp));
    let next: Vec<&str> = r.hosts[0]
        .next_commands
        .iter()
        .map(|c| c.run.as_str())
        .collect();
    assert!(
        next.iter()
            .any(|c| c.starts_with("Test-NetConnection 127.0.0.1 -Port")),
        "{next:?}"
    );
    assert!(next.iter().any(|c| c.contains("advfirewall")), "{next:?}");
}

#[test]
fn tcp_timeout_on_a_full_accept_queue() {
    let bh = Blackhole::start().unwrap();
    let (r, took) = probe(bh.addr);
    let s = stage(&r, 0, Stage::Tcp);
    assert_eq!(s.outcome, "timed-out", "{s:#?}");
    assert!(codes(&s.codes).contains(&"0xC004F039".to_string()));
    assert!(took < T * 4, "{took:?}");
}

// ------------------------------------------------------------------------------------------
// DCE/RPC
// ------------------------------------------------------------------------------------------

#[test]
fn rpc_accepted_and_the_peer_received_exactly_one_pdu() {
    let p = TcpPeer::start(Behavior::Rpc(RpcAnswer::Accept)).unwrap();
    let (r, _) = probe(p.addr);
    let s = stage(&r, 0, Stage::Rpc);
    assert_eq!(s.outcome, "accepted");
    assert_eq!(s.status, Status::Pass);
    assert!(
        p.wait_closed(1, Duration::from_secs(5)),
        "the probe must close the connection"
    );
    let c = &p.counters;
    assert_eq!(Counters::get(&c.connections), 1);
    assert_eq!(Counters::get(&c.pdus), 1, "exactly one PDU");
    assert_eq!(Counters::get(&c.binds), 1, "and it is the bind");
    assert_eq!(Counters::get(&c.requests), 0, "never an activation request");
    assert_eq!(Counters::get(&c.bytes), volact_netdiag::rpc::BIND_LEN);
}

#[test]
fn rpc_provider_rejection_is_an_rpc_server_that_is_not_kms() {
    let p = TcpPeer::start(Behavior::Rpc(RpcAnswer::ProviderReject)).unwrap();
    let (r, _) = probe(p.addr);
    let s = stage(&r, 0, Stage::Rpc);
    assert_eq!(s.outcome, "rejected");
    assert_eq!(s.status, Status::Fail);
    assert_eq!(s.data["result"], 2);
    assert_eq!(s.data["reason"], 1);
    assert_eq!(codes(&s.codes), ["0xC004F074"]);
    assert!(p.wait_closed(1, Duration::from_secs(5)));
    assert_eq!(Counters::get(&p.counters.pdus), 1);
}

#[test]
fn rpc_bind_nak() {
    let p = TcpPeer::start(Behavior::Rpc(RpcAnswer::Nak)).unwrap();
    let (r, _) = probe(p.addr);
    let s = stage(&r, 0, Stage::Rpc);
    assert_eq!(s.outcome, "bind-nak");
    assert_eq!(s.data["reason"], 4);
    assert!(p.wait_closed(1, Duration::from_secs(5)));
    assert_eq!(Counters::get(&p.counters.pdus), 1);
}

#[test]
fn garbage_means_something_else_listens() {
    let p = TcpPeer::start(Behavior::Garbage(
        b"HTTP/1.1 400 Bad Request\r\n\r\n".to_vec(),
    ))
    .unwrap();
    let (r, _) = probe(p.addr);
    assert_eq!(stage(&r, 0, Stage::Rpc).outcome, "not-dcerpc");
}

#[test]
fn accept_and_close_is_not_kms() {
    let p = TcpPeer::start(Behavior::AcceptClose).unwrap();
    let (r, _) = probe(p.addr);
    let s = stage(&r, 0, Stage::Rpc);
    assert!(matches!(s.outcome, "closed" | "io-error"), "{s:#?}");
    assert_eq!(s.status, Status::Fail);
}

#[test]
fn a_silent_listener_gives_no_reply_within_the_timeout() {
    let p = TcpPeer::start(Behavior::Silent).unwrap();
    let (r, took) = probe(p.addr);
    let s = stage(&r, 0, Stage::Rpc);
    assert_eq!(s.outcome, "no-reply");
    assert!(codes(&s.codes).contains(&"0xC004F039".to_string()));
    assert!(took < T * 3, "{took:?}");
    assert!(p.wait_closed(1, Duration::from_secs(5)));
}

#[test]
fn hostile_peers_end_within_the_timeout() {
    for b in [
        Behavior::HugeFrag,
        Behavior::Drip(50),
        Behavior::AcceptNeverClose,
        Behavior::Silent,
    ] {
        let p = TcpPeer::start(b.clone()).unwrap();
        let (r, took) = probe(p.addr);
        assert!(took < T * 3, "{b:?} took {took:?}");
        let s = stage(&r, 0, Stage::Rpc);
        match b {
            Behavior::HugeFrag => {
                assert_eq!(s.outcome, "not-dcerpc", "{s:#?}");
                assert!(s.summary.contains("65535"), "{}", s.summary);
            }
            Behavior::Drip(_) => assert_eq!(s.outcome, "no-reply", "{s:#?}"),
            Behavior::AcceptNeverClose => assert_eq!(s.outcome, "accepted", "{s:#?}"),
            _ => assert_eq!(s.outcome, "no-reply"),
        }
        assert!(
            p.wait_closed(1, Duration::from_secs(5)),
            "{b:?}: connection left open"
        );
    }
}

// ------------------------------------------------------------------------------------------
// Clock
// ------------------------------------------------------------------------------------------

fn clock_only(servers: &[SocketAddr]) -> Report {
    let mut o = opts();
    o.checks = only(&[Check::Clock]);
    o.time_servers = servers.iter().map(|a| kms(*a)).collect();
    run(&o)
}

#[test]
fn clock_against_a_real_chronyd() {
    if require_chrony(false).is_none() {
        return;
    }
    let c = Chrony::start(None).unwrap();
    let r = clock_only(&[c.addr]);
    let clock = r.clock.unwrap();
    assert_eq!(clock.status, Status::Pass, "{clock:#?}");
    assert!(clock.offset_s.unwrap().abs() < 60.0);
    assert!(clock.codes.is_empty());
}

#[test]
fn a_clock_five_hours_ahead_predicts_0xc004f06c() {
    if require_chrony(true).is_none() {
        return;
    }
    let c = Chrony::start(Some("+5h")).unwrap();
    let r = clock_only(&[c.addr]);
    let clock = r.clock.unwrap();
    assert_eq!(clock.status, Status::Fail, "{clock:#?}");
    // chronyd runs five hours ahead: this machine is five hours behind (negative).
    let off = clock.offset_s.unwrap();
    assert!((off + 5.0 * 3600.0).abs() < 120.0, "{off}");
    assert!(
        clock
            .summary
            .starts_with("This machine is 5 h 00 min behind the time source"),
        "{}",
        clock.summary
    );
    assert_eq!(codes(&clock.codes), ["0xC004F06C", "0xC004F074"]);
    assert_eq!(r.first_failure, Some(Stage::Clock));
    assert!(clock.next_commands.iter().any(|n| n.run == "w32tm /resync"));
}

#[test]
fn the_kms_hosts_are_the_time_sources_when_none_is_given() {
    if require_chrony(true).is_none() {
        return;
    }
    let c = Chrony::start(Some("+5h")).unwrap();
    let rpc = TcpPeer::start(Behavior::Rpc(RpcAnswer::Accept)).unwrap();
    let mut o = opts();
    o.hosts = vec![kms(rpc.addr)];
    o.ntp_port = c.addr.port();
    let r = run(&o);
    let h = &r.hosts[0];
    assert_eq!(stage(&r, 0, Stage::Rpc).outcome, "accepted");
    let s = stage(&r, 0, Stage::Clock);
    assert_eq!(s.outcome, "offset-fail");
    assert_eq!(h.first_failure, Some(Stage::Clock));
    let clock = r.clock.unwrap();
    assert_eq!(clock.sources[0].role, "kms-host");
    assert_eq!(clock.status, Status::Fail);
}

#[test]
fn an_offset_above_the_warning_level_warns() {
    let p = SntpPeer::start(600.0).unwrap();
    let r = clock_only(&[p.addr]);
    let c = r.clock.unwrap();
    assert_eq!(c.status, Status::Warn);
    assert!(c.codes.is_empty());
    assert!(!r.status.needs_attention());
}

#[test]
fn no_time_source_answered_is_said_clearly() {
    let silent = SilentUdp::start().unwrap();
    let start = Instant::now();
    let r = clock_only(&[silent.addr]);
    assert!(start.elapsed() < T * 3);
    let c = r.clock.unwrap();
    assert_eq!(c.status, Status::Unknown);
    assert!(
        c.summary.contains("No time source answered"),
        "{}",
        c.summary
    );
    assert!(c.summary.contains(&silent.addr.to_string()));
    assert!(r.status.needs_attention());
}

// ------------------------------------------------------------------------------------------
// --explain and the fleet
// ------------------------------------------------------------------------------------------

#[test]
fn explain_selects_the_checks_of_the_kb_entry() {
    use volact_core::ErrorCode;
    let c = |v| volact_netdiag::checks_for(ErrorCode::new(v));
    assert_eq!(c(0xC004F06C).unwrap(), [Check::Clock]);
    assert_eq!(c(0xC004F039).unwrap(), [Check::Tcp, Check::Rpc]);
    assert_eq!(
        c(0xC004F074).unwrap(),
        [Check::Dns, Check::Tcp, Check::Rpc, Check::Clock]
    );
    assert!(c(0xC004C003).is_err());
    assert!(c(0x12345678).is_err());
    // Clock only: no TCP, no RPC traffic at all.
    let p = TcpPeer::start(Behavior::Rpc(RpcAnswer::Accept)).unwrap();
    let ntp = SntpPeer::start(0.0).unwrap();
    let mut o = opts();
    o.checks = c(0xC004F06C).unwrap();
    o.hosts = vec![kms(p.addr)];
    o.time_servers = vec![kms(ntp.addr)];
    let r = run(&o);
    assert!(r.hosts.is_empty() || r.hosts[0].stages.iter().all(|s| s.stage == Stage::Dns));
    assert_eq!(r.clock.unwrap().status, Status::Pass);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(Counters::get(&p.counters.connections), 0);
}

#[test]
fn a_thousand_unreachable_hosts_finish_in_about_one_timeout() {
    let bh = Blackhole::start().unwrap();
    let mut text = String::new();
    for i in 0..500 {
        // Same blackhole, distinct entries: loopback has many addresses (127.0.0.0/8) but the
        // listener is on 127.0.0.1, so repeat the port with a comment to keep lines distinct.
        text.push_str(&format!("127.0.0.1:{} # {i}\n", bh.addr.port()));
    }
    let mut refused = Vec::new();
    for _ in 0..500 {
        refused.push(refused_port().unwrap());
    }
    for p in &refused {
        text.push_str(&format!("127.0.0.1:{p}\n"));
    }
    let hf = target::read_hosts(text.as_bytes(), "fleet.txt").unwrap();
    let mut o = opts();
    o.timeout = Duration::from_secs(1);
    // The hosts file keeps one line per distinct target; repeat the blackhole explicitly.
    o.hosts = hf.targets.clone();
    while o.hosts.len() < 1000 {
        o.hosts.push(kms(bh.addr));
    }
    o.checks = only(&[Check::Tcp, Check::Rpc]);
    let start = Instant::now();
    let r = run(&o);
    let took = start.elapsed();
    assert_eq!(r.hosts.len(), 1000);
    assert_eq!(r.summary.fail, 1000);
    let timed_out = r
        .hosts
        .iter()
        .filter(|h| h.stages.iter().any(|s| s.outcome == "timed-out"))
        .count();
    let refused_n = r
        .hosts
        .iter()
        .filter(|h| h.stages.iter().any(|s| s.outcome == "refused"))
        .count();
    assert_eq!(
        refused_n + timed_out,
        1000,
        "refused {refused_n}, timed out {timed_out}"
    );
    assert!(timed_out >= 500);
    // Serially this would take 500 s; bounded concurrency makes it about one timeout.
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn a_mixed_fleet_gives_one_verdict_per_host_and_one_pdu_per_healthy_host() {
    use volact_testsupport::peers::Fleet;
    let fleet = Fleet::start(40, 30, 30).unwrap();
    let hf = target::read_hosts(fleet.hosts_file().as_bytes(), "fleet").unwrap();
    assert_eq!(hf.targets.len(), 100);
    let mut o = opts();
    o.hosts = hf.targets;
    o.concurrency = 16;
    o.checks = only(&[Check::Tcp, Check::Rpc]);
    let r = run(&o);
    assert_eq!(r.summary.hosts, 100);
    assert_eq!(r.summary.pass, 40);
    assert_eq!(r.summary.fail, 60);
    // Input order is kept.
    assert_eq!(r.hosts[0].target, fleet.healthy[0].to_string());
    assert_eq!(r.hosts[1].target, fleet.silent[0].to_string());
    let outcome = |h: &volact_netdiag::model::HostReport| {
        h.first_failure
            .and_then(|f| h.stages.iter().find(|s| s.stage == f))
            .map(|s| s.outcome)
    };
    assert_eq!(outcome(&r.hosts[1]), Some("no-reply"));
    assert_eq!(outcome(&r.hosts[2]), Some("refused"));
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(Counters::get(&fleet.counters.binds), 40);
    assert_eq!(Counters::get(&fleet.counters.requests), 0);
}

#[test]
fn run_async_is_send_for_servers() {
    fn assert_send<T: Send>(_: &T) {}
    let o = opts();
    let p = Progress::Hidden;
    let fut = volact_netdiag::run_async(&o, &p);
    assert_send(&fut);
    drop(fut);
}

#[test]
fn nothing_to_search_is_undecided_not_a_pass() {
    let mut o = opts();
    o.checks = only(&[Check::Dns, Check::Tcp, Check::Rpc]);
    let r = run(&o);
    let d = r.discovery.unwrap();
    assert_eq!(d.status, Status::Unknown);
    assert!(d.summary.contains("--domain"), "{}", d.summary);
    assert!(r.hosts.is_empty());
    assert!(r.status.needs_attention());
}

#[test]
fn a_refused_query_is_reported_as_refused() {
    // hickory-server refuses names outside the zones it serves.
    let dns = DnsPeer::start(&[Zone::new("good.test")]).unwrap();
    let mut o = opts();
    o.domains = vec!["elsewhere.test".into()];
    o.dns_server = Some(dns.addr);
    o.checks = only(&[Check::Dns]);
    let r = run(&o);
    let d = r.discovery.unwrap();
    assert_eq!(d.domains[0].outcome, LookupOutcome::Refused, "{d:#?}");
    assert_eq!(codes(&d.domains[0].codes), ["0x8007232D"]);
    assert_eq!(d.status, Status::Fail);
}

// ------------------------------------------------------------------------------------------
// Replies that give no usable time, "no service" SRV records, product keys, the host limit
// ------------------------------------------------------------------------------------------

#[test]
fn sntp_replies_without_a_usable_time_give_no_verdict() {
    use volact_netdiag::sntp::{SntpOutcome, Unusable};
    use volact_testsupport::peers::SntpHostile;
    for (mode, want, detail) in [
        (SntpHostile::ZeroTimestamps, Unusable::ZeroTimestamp, "T2=0"),
        (
            SntpHostile::Stratum(16),
            Unusable::Unsynchronised,
            "stratum=16",
        ),
        (SntpHostile::Kiss(*b"RATE"), Unusable::KissOfDeath, "RATE"),
        (SntpHostile::Kiss(*b"DENY"), Unusable::KissOfDeath, "DENY"),
        (SntpHostile::LeapAlarm, Unusable::Unsynchronised, "LI=3"),
        (SntpHostile::Backwards, Unusable::Inconsistent, "T3<T2"),
    ] {
        let p = SntpPeer::start_hostile(mode).unwrap();
        for lang in [volact_core::Lang::En, volact_core::Lang::ZhTw] {
            let mut o = opts();
            o.lang = lang;
            o.checks = only(&[Check::Clock]);
            o.time_servers = vec![kms(p.addr)];
            let r = run(&o);
            let c = r.clock.unwrap();
            assert_eq!(c.status, Status::Unknown, "{mode:?}: {c:#?}");
            assert_eq!(c.offset_s, None, "{mode:?}");
            assert!(c.codes.is_empty(), "{mode:?}: no code is predicted");
            assert_eq!(
                c.sources[0].outcome,
                SntpOutcome::Unusable {
                    reason: want,
                    detail: detail.into()
                },
                "{mode:?}"
            );
            let (phrase, why) = match lang {
                volact_core::Lang::En => ("no usable time from this source", want.describe(lang)),
                volact_core::Lang::ZhTw => ("此來源沒有可用的時間", want.describe(lang)),
            };
            assert!(c.summary.contains(phrase), "{mode:?}: {}", c.summary);
            assert!(c.summary.contains(why), "{mode:?}: {}", c.summary);
            assert!(!c.summary.contains("0xC004F06C"), "{}", c.summary);
            let text = volact_netdiag::render::text(&r_clone(&o), false);
            assert!(!text.contains("0xC004F06C"), "{text}");
            assert!(!text.contains(" h "), "no offset is shown: {text}");
        }
    }
}

fn r_clone(o: &Options) -> Report {
    run(o)
}

#[test]
fn a_kms_host_answering_sntp_with_zero_timestamps_is_not_a_clock_failure() {
    use volact_testsupport::peers::SntpHostile;
    let p = SntpPeer::start_hostile(SntpHostile::ZeroTimestamps).unwrap();
    let rpc = TcpPeer::start(Behavior::Rpc(RpcAnswer::Accept)).unwrap();
    let mut o = opts();
    o.hosts = vec![kms(rpc.addr)];
    o.ntp_port = p.addr.port();
    let r = run(&o);
    let s = stage(&r, 0, Stage::Clock);
    assert_eq!(s.outcome, "no-usable-time");
    assert_eq!(s.status, Status::Skip);
    assert!(s.codes.is_empty());
    assert_eq!(r.hosts[0].first_failure, None, "{:#?}", r.hosts[0]);
    assert_ne!(r.clock.unwrap().status, Status::Fail);
}

#[test]
fn an_srv_target_of_dot_means_no_kms_service_and_nothing_is_probed() {
    let dns = DnsPeer::start(&[Zone::new("none.test").kms_srv_no_service()]).unwrap();
    for lang in [volact_core::Lang::En, volact_core::Lang::ZhTw] {
        let mut o = opts();
        o.lang = lang;
        o.domains = vec!["none.test".into()];
        o.dns_server = Some(dns.addr);
        o.checks = only(&[Check::Dns, Check::Tcp, Check::Rpc]);
        let r = run(&o);
        let d = r.discovery.as_ref().unwrap();
        let dl = &d.domains[0];
        assert_eq!(dl.outcome, LookupOutcome::NoService, "{dl:#?}");
        assert_eq!(dl.status, Status::Fail);
        assert_eq!(codes(&dl.codes), ["0x8007251D", "0xC004F074"]);
        assert_eq!(dl.records.len(), 1);
        assert_eq!(dl.records[0].target, ".");
        assert_eq!(dl.records[0].flags, vec![SrvFlag::NoService]);
        assert!(r.hosts.is_empty(), "nothing is probed: {:#?}", r.hosts);
        assert_eq!(d.status, Status::Fail);
        let text = volact_netdiag::render::text(&r, false);
        match lang {
            volact_core::Lang::En => {
                assert!(
                    dl.summary.contains("publishes no KMS service"),
                    "{}",
                    dl.summary
                )
            }
            volact_core::Lang::ZhTw => {
                assert!(dl.summary.contains("不提供 KMS 服務"), "{}", dl.summary)
            }
        }
        assert!(!text.contains("refused"), "{text}");
        assert!(!text.contains(":0"), "no host \"\" port 0: {text}");
    }
}

const KEY: &str = "BCDFG-HJKMN-PQRTV-WXY23-46789";

fn assert_no_key(what: &str, s: &str) {
    for part in [
        "BCDFG", "HJKMN", "PQRTV", "WXY23", "bcdfg", "hjkmn", "pqrtv", "wxy23",
    ] {
        assert!(!s.contains(part), "{what} leaks {part}: {s}");
    }
}

fn every_format(r: &Report) -> Vec<(&'static str, String)> {
    vec![
        ("text", volact_netdiag::render::text(r, false)),
        ("text-color", volact_netdiag::render::text(r, true)),
        ("ndjson", volact_netdiag::render::ndjson(r)),
        ("json", serde_json::to_string(r).unwrap()),
    ]
}

#[test]
fn keys_in_srv_targets_and_rpc_replies_never_reach_the_report() {
    // The peer names a key as its SRV target and puts keys (one split by a tab) into its RPC
    // reply's secondary address.
    let sec = format!("{KEY} and {}\t{}", &KEY[..5], &KEY[5..]);
    let rpc = TcpPeer::start(Behavior::Garbage(
        volact_testsupport::peers::bind_ack_with_sec_addr(sec.as_bytes()),
    ))
    .unwrap();
    // A second target is the key with a tab (a raw byte in the DNS label) after its first group:
    // not a host name, so never probed, and shown without the `\009` escape so redaction sees it.
    let tabbed = format!("{}\t{}", &KEY[..5], &KEY[5..]);
    let dns = DnsPeer::start(&[Zone::new("leak.test")
        .kms_srv(0, 0, rpc.addr.port(), KEY)
        .kms_srv_raw_label(1, 0, 1688, tabbed.as_bytes())
        .a(KEY, LO)])
    .unwrap();
    for lang in [volact_core::Lang::En, volact_core::Lang::ZhTw] {
        let mut o = opts();
        o.lang = lang;
        o.domains = vec!["leak.test".into()];
        o.dns_server = Some(dns.addr);
        o.checks = only(&[Check::Dns, Check::Tcp, Check::Rpc]);
        let r = run(&o);
        assert_eq!(r.hosts.len(), 1, "{r:#?}");
        let recs = &r.discovery.as_ref().unwrap().domains[0].records;
        assert_eq!(recs[1].flags, vec![SrvFlag::BadTarget], "{recs:#?}");
        assert!(!recs[1].target.contains('\\'), "{}", recs[1].target);
        assert_eq!(stage(&r, 0, Stage::Rpc).outcome, "accepted");
        for (what, s) in every_format(&r) {
            assert_no_key(what, &s);
            assert!(s.contains("46789"), "{what} keeps the last five: {s}");
        }
    }
}

#[test]
fn a_key_given_as_a_domain_host_or_time_server_is_never_sent() {
    let dns = RawDnsPeer::start(RawDns::Silent).unwrap();
    let ntp = SntpPeer::start(0.0).unwrap();
    let mut o = opts();
    o.domains = vec![KEY.to_lowercase(), format!("{KEY}.contoso.test")];
    o.dns_server = Some(dns.addr);
    // Built directly (the CLI and target::parse refuse these before the library is called).
    o.hosts = vec![target::Target {
        host: KEY.into(),
        port: 1688,
        origin: Origin::Argument,
    }];
    o.time_servers = vec![target::Target {
        host: KEY.into(),
        port: ntp.addr.port(),
        origin: Origin::Argument,
    }];
    let r = run(&o);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(dns.queries.load(std::sync::atomic::Ordering::SeqCst), 0);
    assert!(r.hosts.is_empty());
    assert_eq!(r.summary.not_probed, 2);
    let d = r.discovery.as_ref().unwrap();
    assert!(
        d.domains
            .iter()
            .all(|d| d.outcome == LookupOutcome::BadName)
    );
    for (what, s) in every_format(&r) {
        assert_no_key(what, &s);
    }
}

#[test]
fn one_run_probes_at_most_max_hosts_of_a_huge_srv_answer() {
    let rpc = TcpPeer::start(Behavior::Rpc(RpcAnswer::Accept)).unwrap();
    // 1,900 targets, each resolving to the RPC responder's address.
    let dns =
        volact_testsupport::peers::SrvFloodPeer::start("x.test", 1900, rpc.addr.port()).unwrap();
    let mut o = opts();
    o.timeout = Duration::from_secs(5);
    o.domains = vec!["x.test".into()];
    o.dns_server = Some(dns.addr);
    o.checks = only(&[Check::Dns, Check::Tcp, Check::Rpc]);
    o.max_hosts = Some(64);
    let r = run(&o);
    let d = r.discovery.as_ref().unwrap();
    assert_eq!(
        d.domains[0].records.len(),
        1900,
        "{:?}",
        d.domains[0].detail
    );
    assert_eq!(r.hosts.len(), 64);
    assert_eq!(r.summary.hosts, 64);
    assert_eq!(r.summary.not_probed, 1836);
    assert_eq!(r.summary.not_probed_hosts.len(), 100);
    let why = r.summary.not_probed_reason.as_deref().unwrap();
    assert!(why.contains("1836 host(s) not probed"), "{why}");
    assert!(why.contains("at most 64 hosts"), "{why}");
    let flagged = d.domains[0]
        .records
        .iter()
        .filter(|r| r.flags.contains(&SrvFlag::NotProbed))
        .count();
    assert_eq!(flagged, 1836);
    // Unprobed targets are not even resolved: one SRV query over UDP, one over TCP, and the
    // address lookups (A and AAAA) of the 64 targets probed.
    assert_eq!(dns.srv_queries.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert!(
        dns.address_queries
            .load(std::sync::atomic::Ordering::SeqCst)
            <= 128
    );
    assert!(
        d.domains[0]
            .records
            .iter()
            .filter(|r| r.flags.contains(&SrvFlag::NotProbed))
            .all(|r| r.addresses.is_empty())
    );
    assert!(rpc.wait_closed(64, Duration::from_secs(5)));
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(Counters::get(&rpc.counters.connections), 64);
    let text = volact_netdiag::render::text(&r, false);
    assert!(text.contains("1836 host(s) not probed"), "{text}");
    assert!(text.contains("… and 1736 more"), "{text}");
    assert!(
        text.contains("… 1850 more records (all in --format json)"),
        "{text}"
    );

    // The limit counts given hosts too, and the words exist in Chinese.
    let mut o2 = o.clone();
    o2.lang = volact_core::Lang::ZhTw;
    o2.max_hosts = Some(2);
    o2.hosts = vec![kms(rpc.addr), kms(SocketAddr::from((LO, 9)))];
    o2.hosts.push(kms(SocketAddr::from((LO, 10))));
    let r = run(&o2);
    assert_eq!(r.hosts.len(), 2);
    assert_eq!(r.summary.not_probed, 1 + 1900);
    assert!(
        r.summary
            .not_probed_reason
            .as_deref()
            .unwrap()
            .contains("1901 部主機未檢查"),
        "{:?}",
        r.summary.not_probed_reason
    );
}

/// Azure's global KMS name, answered by the loopback DNS peer with 127.0.0.1 (only that server is
/// asked, so Azure is never contacted): a refused port gives Microsoft's Azure causes.
#[test]
fn azure_kms_endpoint_on_loopback_gets_the_azure_causes() {
    let dns = DnsPeer::start(&[Zone::new("core.windows.net").a("azkms", LO)]).unwrap();
    let port = refused_port().unwrap();
    let mut o = opts();
    o.dns_server = Some(dns.addr);
    let host = format!("azkms.core.windows.net:{port}");
    o.hosts = vec![target::parse(&host, 1688, Origin::Argument).unwrap()];
    o.checks = only(&[Check::Dns, Check::Tcp]);
    let r = run(&o);
    assert_eq!(stage(&r, 0, Stage::Dns).status, Status::Pass);
    assert_eq!(stage(&r, 0, Stage::Tcp).outcome, "refused");
    let a = r.hosts[0].azure.as_ref().expect("an Azure note");
    assert!(a.summary.contains("forced tunnelling"), "{}", a.summary);
    assert_eq!(codes(&a.codes), ["0x800705B4", "0xC004F074"]);
    assert_eq!(
        a.next_commands[0].run,
        format!("Test-NetConnection azkms.core.windows.net -Port {port}")
    );
    let text = volact_netdiag::render::text(&r, false);
    assert!(
        text.contains("Azure: azkms.core.windows.net is the KMS endpoint"),
        "{text}"
    );
}
