//! A host's report from its stages: the Azure note for Azure's KMS endpoints (never contacted:
//! the stages are built here), and nothing of the kind for any other host.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use volact_core::Lang;

use super::*;
use crate::azure::{AzureCloud, ENDPOINTS};
use crate::finding::{Outcome, Probe};
use crate::model::LookupOutcome;

fn sa() -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 1688)
}

fn resolved(name: &str) -> Outcome {
    Outcome::Resolved {
        host: name.to_owned(),
        addresses: vec![sa().ip()],
    }
}

/// The report of host `name` whose stages found `outcomes`.
fn report(name: &str, outcomes: Vec<Outcome>, lang: Lang) -> HostReport {
    let t = crate::target::parse(name, 1688, Origin::Argument).unwrap();
    host(
        HostRun {
            target: t,
            probes: outcomes.into_iter().map(Probe::new).collect(),
        },
        lang,
    )
}

fn runs(cmds: &[NextCommand]) -> Vec<&str> {
    cmds.iter().map(|c| c.run.as_str()).collect()
}

#[test]
fn a_timeout_to_azure_kms_says_microsofts_causes_codes_and_commands() {
    let name = "azkms.core.windows.net";
    let out = || vec![resolved(name), Outcome::TimedOut { address: sa() }];
    let en = report(name, out(), Lang::En);
    let a = en.azure.as_ref().expect("an Azure note");
    assert_eq!(a.cloud, AzureCloud::Global);
    assert_eq!(a.failure, AzureFailure::Tcp);
    for words in [
        "KMS endpoint of global Azure",
        "forced tunnelling",
        "user-defined route",
        "network security group",
        "custom DNS",
        "20.118.99.224, 40.83.235.53",
        "0x800705B4",
        "0xC004F074",
    ] {
        assert!(a.summary.contains(words), "{words}: {}", a.summary);
    }
    let codes: Vec<String> = a.codes.iter().map(|c| c.code.to_string()).collect();
    assert_eq!(codes, ["0x800705B4", "0xC004F074"]);
    assert!(
        a.codes.iter().all(|c| c.known),
        "both codes have KB entries"
    );
    let next = runs(&a.next_commands);
    assert_eq!(
        next[0],
        "Test-NetConnection azkms.core.windows.net -Port 1688"
    );
    assert!(
        next[1].ends_with("/skms azkms.core.windows.net:1688"),
        "{next:?}"
    );
    assert!(a.next_commands[1].elevated && !a.next_commands[0].elevated);
    let v = serde_json::to_value(&en).unwrap();
    assert_eq!(v["azure"]["cloud"], "global");
    assert_eq!(v["azure"]["failure"], "tcp");
    assert_eq!(v["azure"]["next_commands"][1]["elevated"], true);
    assert_eq!(v["azure"]["next_commands"][1]["runs_on"], "kms-client");

    let zh = report(name, out(), Lang::ZhTw);
    let s = &zh.azure.as_ref().unwrap().summary;
    assert!(
        s.contains("強制通道") && s.contains("網路安全性群組") && s.contains("0x800705B4"),
        "{s}"
    );
    assert!(!s.is_ascii());
}

#[test]
fn every_cloud_and_both_failures_have_words_in_both_languages() {
    for (name, cloud) in ENDPOINTS {
        for (outcomes, failure) in [
            (
                vec![Outcome::NoAddress {
                    host: (*name).to_owned(),
                    lookup: LookupOutcome::NameNotFound,
                }],
                AzureFailure::Dns,
            ),
            (
                vec![resolved(name), Outcome::Refused { address: sa() }],
                AzureFailure::Tcp,
            ),
        ] {
            let en = report(name, outcomes.clone(), Lang::En);
            let zh = report(name, outcomes, Lang::ZhTw);
            let (a, b) = (en.azure.unwrap(), zh.azure.unwrap());
            assert_eq!((a.cloud, a.failure), (*cloud, failure));
            assert!(a.summary.contains(cloud.endpoint()), "{}", a.summary);
            assert!(a.summary.is_ascii() && !b.summary.is_ascii());
            assert!(b.summary.contains(cloud.endpoint()), "{}", b.summary);
            if failure == AzureFailure::Dns {
                assert!(a.summary.contains("custom DNS"), "{}", a.summary);
                assert!(runs(&a.next_commands)[0].starts_with("nslookup "));
            }
        }
    }
}

#[test]
fn other_hosts_and_passing_or_rpc_failures_get_no_azure_note() {
    let en = |name: &str, o: Outcome| report(name, vec![resolved(name), o], Lang::En);
    let h = en("kms.contoso.com", Outcome::TimedOut { address: sa() });
    assert!(h.azure.is_none());
    let v = serde_json::to_value(&h).unwrap();
    assert!(
        v.get("azure").is_none(),
        "the JSON of other hosts is unchanged"
    );
    let ok = en(
        "azkms.core.windows.net",
        Outcome::Connected { address: sa() },
    );
    assert!(ok.azure.is_none());
    // When it passes, the next commands point the client at the endpoint and activate (KMS
    // activation: no elevation).
    let ato = ok.next_commands.last().unwrap();
    assert!(ato.run.ends_with("/ato") && !ato.elevated, "{ato:?}");
}
