use super::*;

#[test]
fn resolv_conf_lines() {
    let (s, l) = parse_resolv_conf(
        "# comment\nnameserver 10.0.0.2\nnameserver fe80::1%eth0\nnameserver bogus\ndomain old.example\nsearch Corp.Example. lab.example ; x\n",
    );
    assert_eq!(
        s,
        vec![
            "10.0.0.2:53".parse::<SocketAddr>().unwrap(),
            "[fe80::1]:53".parse().unwrap()
        ]
    );
    assert_eq!(l, ["corp.example", "lab.example"]);
    let (s, l) = parse_resolv_conf("search a.example\ndomain b.example\n");
    assert!(s.is_empty());
    assert_eq!(l, ["b.example"]);
}

#[test]
fn codes_match_the_documented_mapping() {
    assert_eq!(code_for(LookupOutcome::NameNotFound), Some(0x8007232B));
    assert_eq!(code_for(LookupOutcome::NoRecords), Some(0x8007251D));
    assert_eq!(code_for(LookupOutcome::ServerFailure), Some(0x8007232A));
    assert_eq!(code_for(LookupOutcome::NoDnsServer), Some(0x8007267C));
}
