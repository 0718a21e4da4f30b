//! Every next command doctor can write carries the mark of volact's commands table
//! (`volact_core::commands`): elevation and where it runs, in the model and in the text.

use volact_core::Lang;
use volact_core::commands::{self, RunsOn};

use super::*;

/// One sample of every command, placeholders and concrete values, Azure's endpoint included.
pub(crate) fn every_cmd() -> Vec<Cmd> {
    let v = vec![
        Cmd::skms_placeholder(),
        Cmd::Skms {
            target: "azkms.core.windows.net:1688".into(),
        },
        Cmd::Ato,
        Cmd::NslookupSrv {
            domain: "contoso.com".into(),
            server: Some("10.0.0.53".into()),
        },
        Cmd::NslookupSrv {
            domain: "contoso.com".into(),
            server: None,
        },
        Cmd::SkmsDomain {
            domain: "contoso.com".into(),
        },
        Cmd::Ipconfig,
        Cmd::DnsPort {
            server: "10.0.0.53".into(),
        },
        Cmd::HostPublishing,
        Cmd::NslookupHost {
            host: "azkms.core.windows.net".into(),
        },
        Cmd::TestPort {
            host: "kms.contoso.com".into(),
            port: 1688,
        },
        Cmd::Firewall,
        Cmd::Netstat { port: 1688 },
        Cmd::Dlv,
        Cmd::W32tmStatus,
        Cmd::W32tmResync,
    ];
    // A new variant must be added above: this match does not build without it.
    for c in &v {
        match c {
            Cmd::Skms { .. }
            | Cmd::Ato
            | Cmd::NslookupSrv { .. }
            | Cmd::SkmsDomain { .. }
            | Cmd::Ipconfig
            | Cmd::DnsPort { .. }
            | Cmd::HostPublishing
            | Cmd::NslookupHost { .. }
            | Cmd::TestPort { .. }
            | Cmd::Firewall
            | Cmd::Netstat { .. }
            | Cmd::Dlv
            | Cmd::W32tmStatus
            | Cmd::W32tmResync => {}
        }
    }
    v
}

/// `c` is in the table, and what doctor writes for it (JSON fields and text) is the table's mark.
pub(crate) fn assert_marked(c: &Cmd) {
    let run = c.run();
    let row = commands::lookup(&run).unwrap_or_else(|| panic!("not in the table: {run}"));
    let elevated = row
        .elevated(c.case())
        .unwrap_or_else(|| panic!("{run}: the row needs a case"));
    for lang in Lang::ALL {
        let n = c.next(lang);
        assert_eq!(n.elevated, elevated, "{run}");
        assert_eq!(n.runs_on, row.runs_on, "{run}");
        let v = serde_json::to_value(&n).unwrap();
        assert_eq!(v["elevated"], elevated, "{run}");
        assert_eq!(v["runs_on"], row.runs_on.id(), "{run}");
    }
}

#[test]
fn every_command_is_in_the_table_with_its_mark() {
    for c in every_cmd() {
        assert_marked(&c);
    }
    let elevated = |c: Cmd| c.mark().unwrap().elevated;
    // As Microsoft's slmgr reference says: /skms and /skms-domain change the machine, KMS
    // activation by /ato does not need elevation.
    assert!(elevated(Cmd::skms_placeholder()));
    assert!(!elevated(Cmd::Ato));
    assert!(elevated(Cmd::W32tmResync));
    assert!(elevated(Cmd::Firewall));
    assert!(!elevated(Cmd::W32tmStatus));
    assert!(!elevated(Cmd::Dlv));
    assert_eq!(Cmd::Firewall.mark().unwrap().runs_on, RunsOn::KmsHost);
    assert_eq!(
        Cmd::skms_placeholder().mark().unwrap().runs_on,
        RunsOn::KmsClient
    );
}

#[test]
fn the_text_report_shows_the_mark_as_explain_does() {
    use crate::model::NextCommand;
    for lang in Lang::ALL {
        let cmds: Vec<NextCommand> = [Cmd::W32tmStatus, Cmd::W32tmResync]
            .iter()
            .map(|c| c.next(lang))
            .collect();
        let mut d = volact_core::out::Doc::new(String::new(), volact_core::out::Style::Text, lang);
        crate::render::next_for_tests(&mut d, &cmds);
        let text = d.finish();
        let mark = commands::text_mark(true, lang);
        let lines: Vec<&str> = text.lines().collect();
        let status = lines.iter().find(|l| l.contains("w32tm /query")).unwrap();
        let resync = lines.iter().find(|l| l.contains("w32tm /resync")).unwrap();
        assert!(!status.contains(&mark), "{text}");
        assert!(resync.ends_with(&mark), "{text}");
    }
}
