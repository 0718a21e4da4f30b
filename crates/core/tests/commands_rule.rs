//! The rule `build.rs` applies to every knowledge-base command, run here on the real commands table
//! (`volact_core::commands`, compiled from `data/commands.toml`): a command that matches no row,
//! disagrees with its row, or leaves out the case `slmgr /ato` needs is refused with a message
//! naming the row; an entry that leaves `elevated` out gets the row's.

use std::collections::BTreeMap;

use volact_core::commands::{self, Elevation};

include!("../build_support/command_words.rs");
include!("../build_support/kb_rule.rs");

/// Each row's words and, for a row that depends on the activation, its cases.
type Table = (Vec<Vec<String>>, Vec<Option<BTreeMap<String, bool>>>);

/// The compiled table in the shape the build rule reads.
fn table() -> Table {
    let words = commands::all()
        .iter()
        .map(|c| c.words.iter().map(|w| (*w).to_owned()).collect())
        .collect();
    let cases = commands::all()
        .iter()
        .map(|c| match c.elevation {
            Elevation::Always(_) => None,
            Elevation::ByCase {
                kms,
                ad,
                vm,
                online,
            } => Some(
                [("kms", kms), ("ad", ad), ("vm", vm), ("online", online)]
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
            ),
        })
        .collect();
    (words, cases)
}

#[test]
fn the_build_rule_accepts_agreeing_commands_and_refuses_the_rest() {
    let (words, cases) = table();
    let rows: Vec<RuleRow<'_>> = commands::all()
        .iter()
        .zip(&words)
        .zip(&cases)
        .map(|((c, w), k)| RuleRow {
            id: c.id,
            words: w,
            elevated: match c.elevation {
                Elevation::Always(v) => Some(v),
                Elevation::ByCase { .. } => None,
            },
            cases: k.as_ref(),
        })
        .collect();
    let slmgr = r"cscript //nologo %windir%\system32\slmgr.vbs";
    let rule = |run: &str, el, case| kb_command_rule(&rows, run, el, case);

    // Agreeing, or left out: the row's value.
    assert_eq!(rule(&format!("{slmgr} /dlv"), Some(false), None), Ok(false));
    assert_eq!(rule(&format!("{slmgr} /ipk <MAK>"), None, None), Ok(true));
    assert_eq!(rule(&format!("{slmgr} /ato"), None, Some("kms")), Ok(false));
    assert_eq!(
        rule(&format!("{slmgr} /ato"), Some(true), Some("online")),
        Ok(true)
    );
    assert_eq!(rule("w32tm /resync", Some(true), None), Ok(true));

    // Disagreeing: the message names the row and its value.
    let e = rule(&format!("{slmgr} /skms <kms-host>:1688"), Some(false), None).unwrap_err();
    assert_eq!(
        e,
        "elevated = false, but row \"slmgr-skms\" of data/commands.toml says true"
    );
    let e = rule(&format!("{slmgr} /ato"), Some(true), Some("kms")).unwrap_err();
    assert!(e.ends_with("says false for case \"kms\""), "{e}");
    let e = rule(
        r#"cscript //nologo "%ProgramFiles%\Microsoft Office\Office16\ospp.vbs" /dstatus"#,
        Some(false),
        None,
    )
    .unwrap_err();
    assert!(e.contains("\"ospp-dstatus\""), "{e}");

    // /ato without its case, a case where none applies, an unknown case, an unknown command.
    let e = rule(&format!("{slmgr} /ato"), Some(false), None).unwrap_err();
    assert!(e.contains("say which with case"), "{e}");
    let e = rule(&format!("{slmgr} /dlv"), None, Some("kms")).unwrap_err();
    assert!(e.contains("does not depend on the case"), "{e}");
    let e = rule(&format!("{slmgr} /ato"), None, Some("phone")).unwrap_err();
    assert!(e.contains("unknown case"), "{e}");
    let e = rule("format c: /q", Some(true), None).unwrap_err();
    assert!(e.contains("matches no row"), "{e}");
}
