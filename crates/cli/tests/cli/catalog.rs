//! `volact list` and `volact search`.

use crate::util::{codes, json, run};

#[test]
fn list_all_and_by_type() {
    let (all, exit) = json(&["list", "-f", "json"], b"");
    assert_eq!(exit, 0);
    let n = codes(&all).len();
    assert!(n >= 44, "{n} entries");
    for ty in ["mak", "kms-client", "kms-host"] {
        let (v, _) = json(&["list", "--type", ty, "-f", "json"], b"");
        let rows = v["results"].as_array().unwrap();
        assert!(!rows.is_empty() && rows.len() < n, "{ty}");
        for r in rows {
            assert!(
                r["activation_types"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|t| t == ty),
                "{ty}: {r}"
            );
        }
    }
    let (v, _) = json(&["list", "--type", "kms-host", "-f", "json"], b"");
    let host = codes(&v);
    assert!(host.contains(&"0xC004C008".to_string()));
    assert!(!host.contains(&"0xC004F038".to_string()));
    let out = run(&["list", "--type", "printer"], b"");
    assert_eq!(out.status.code(), Some(2));
}

fn search(words: &[&str]) -> Vec<String> {
    let mut args = vec!["search", "-f", "json"];
    args.extend(words);
    codes(&json(&args, b"").0)
}

#[test]
fn search_finds_the_right_entries() {
    let dns = search(&["DNS"]);
    for want in ["0x8007232B", "0x8007251D", "0x8007232A"] {
        assert!(dns.contains(&want.to_string()), "DNS -> {dns:?}");
    }
    assert!(!dns.contains(&"0xC004C001".to_string()));
    let port = search(&["1688"]);
    for want in ["0xC004F039", "0xC004F074", "0x800706BA"] {
        assert!(port.contains(&want.to_string()), "1688 -> {port:?}");
    }
    let grace = search(&["寬限期"]);
    for want in ["0xC004F009", "0xC004F064", "0xC004F065"] {
        assert!(grace.contains(&want.to_string()), "寬限期 -> {grace:?}");
    }
    assert!(!grace.contains(&"0x8007232B".to_string()));
    // Exact names and codes rank first.
    assert_eq!(search(&["SL_E_VL_INVALID_TIMESTAMP"])[0], "0xC004F06C");
    assert_eq!(search(&["c004f038"])[0], "0xC004F038");
    // Every word must match.
    let both = search(&["DNS", "publishing"]);
    assert!(both.iter().all(|c| dns.contains(c)));
}

#[test]
fn search_without_hits() {
    let out = run(&["search", "zzzqqqxxx"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing in the knowledge base"));
}
