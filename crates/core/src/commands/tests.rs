use super::*;
use crate::{explain, kb, render};

#[test]
fn every_row_recognises_its_own_pattern_and_cites_a_source() {
    assert!(all().len() >= 90, "{}", all().len());
    for c in all() {
        assert_eq!(lookup(c.pattern).map(|r| r.id), Some(c.id), "{}", c.pattern);
        assert!(c.source().is_some(), "{}: source {}", c.id, c.source);
        assert_eq!(by_id(c.id).map(|r| r.pattern), Some(c.pattern));
        if c.basis == Basis::Inferred {
            assert!(c.why.is_some_and(|w| !w.is_empty()), "{}", c.id);
        }
    }
}

#[test]
fn command_lines_are_recognised_in_every_form() {
    let cases = [
        (
            r"cscript //nologo %windir%\system32\slmgr.vbs /skms kms01:1688",
            "slmgr-skms",
        ),
        (
            "slmgr.vbs /skms-domain corp.example.com",
            "slmgr-skms-domain",
        ),
        ("SLMGR /DLV all", "slmgr-dlv"),
        (r"cscript C:\Windows\System32\slmgr.vbs /ato", "slmgr-ato"),
        (
            r#"cscript //nologo "%ProgramFiles%\Microsoft Office\Office16\ospp.vbs" /dstatus"#,
            "ospp-dstatus",
        ),
        (r#"cscript ospp.vbs /inpkey:XXXXX"#, "ospp-inpkey"),
        ("cscript ospp.vbs /act", "ospp-act"),
        ("cscript ospp.vbs /actcid:123", "ospp-actcid"),
        ("w32tm /query /status /verbose", "w32tm-query"),
        ("w32tm /resync", "w32tm-resync"),
        (
            r#"netsh advfirewall firewall set rule name="Key Management Service (TCP-In)" new enable=yes"#,
            "netsh-firewall-set-rule",
        ),
        (
            "Test-NetConnection azkms.core.windows.net -Port 1688",
            "test-netconnection",
        ),
        (
            "(Get-CimInstance SoftwareLicensingService).OA3xOriginalProductKeyDescription",
            "get-ciminstance",
        ),
        (
            r#"powershell -NoProfile -Command "Get-CimInstance Win32_BIOS | Select-Object Manufacturer""#,
            "get-ciminstance",
        ),
        (
            "DISM /online /Set-Edition:ServerStandard /ProductKey:x /AcceptEula",
            "dism-set-edition",
        ),
        ("slui.exe 0x2a 0xC004F074", "slui-0x2a"),
        ("netstat -ano | findstr :1688", "netstat"),
    ];
    for (run, id) in cases {
        assert_eq!(lookup(run).map(|c| c.id), Some(id), "{run}");
    }
    for unknown in [
        "",
        "slmgr.vbs /nonsense",
        "format c:",
        "cscript //nologo",
        "powershell -Command",
    ] {
        assert!(lookup(unknown).is_none(), "{unknown:?}");
    }
}

#[test]
fn ato_depends_on_the_activation() {
    let ato = by_id("slmgr-ato").unwrap();
    assert_eq!(ato.elevated(None), None);
    assert_eq!(ato.elevated(Some(Case::Kms)), Some(false));
    assert_eq!(ato.elevated(Some(Case::Ad)), Some(false));
    assert_eq!(ato.elevated(Some(Case::Vm)), Some(false));
    assert_eq!(ato.elevated(Some(Case::Online)), Some(true));
    assert_eq!(ato.source, "SLM");
    assert_eq!(ato.basis, Basis::Stated);
    // Microsoft's reference: these need elevation, the read-only ones do not.
    let elevated = "ipk skms ckms rilc upk cpky rearm sdns cdns sprt";
    let not_elevated = "dli dlv xpr ao-list ad-activation-online";
    for (switches, want) in [(elevated, true), (not_elevated, false)] {
        for s in switches.split(' ') {
            let row = lookup(&format!("slmgr.vbs /{s}")).unwrap();
            assert_eq!(row.elevated(None), Some(want), "/{s}");
        }
    }
    assert_eq!(by_id("slmgr-skms").unwrap().runs_on, RunsOn::KmsClient);
    assert_eq!(by_id("slmgr-cdns").unwrap().runs_on, RunsOn::KmsHost);
}

#[test]
fn mark_serialises_elevated_and_runs_on() {
    let m = mark("w32tm /resync", None).unwrap();
    let v = serde_json::to_value(&m).unwrap();
    assert_eq!(v["run"], "w32tm /resync");
    assert_eq!(v["elevated"], true);
    assert_eq!(v["runs_on"], "any");
    assert!(v.get("id").is_none());
    assert!(mark("format c:", None).is_none());
}

/// The knowledge base was checked against the table when it was built; this re-checks it at run
/// time: every command is recognised, and its mark is the row's (for `/ato`, one of its cases).
#[test]
fn every_knowledge_base_command_carries_the_table_mark() {
    let mut n = 0;
    for e in kb::entries() {
        for c in e.commands {
            let row = lookup(c.run).unwrap_or_else(|| panic!("{}: {}", e.code, c.run));
            match row.elevation {
                Elevation::Always(v) => assert_eq!(c.elevated, v, "{}: {}", e.code, c.run),
                Elevation::ByCase {
                    kms,
                    ad,
                    vm,
                    online,
                } => assert!(
                    [kms, ad, vm, online].contains(&c.elevated),
                    "{}: {}",
                    e.code,
                    c.run
                ),
            }
            n += 1;
        }
    }
    assert!(n > 300, "{n}");
}

/// `explain` shows the same words for the mark as [`text_mark`] and [`markdown_mark`].
#[test]
fn explain_shows_the_same_mark() {
    for lang in Lang::ALL {
        let mut c = explain::Collector::new();
        c.add_argument("0xC004F074");
        let r = c.report(lang);
        let text = render::report_text(&r, false);
        let md = render::report_markdown(&r);
        assert!(text.contains(&text_mark(true, lang)), "{text}");
        assert!(md.contains(&markdown_mark(true, lang)), "{md}");
        assert_eq!(text_mark(false, lang), "");
    }
}
