//! Help in both languages: the English help and man page stay as they were (snapshots), and
//! `--lang zh-TW` (or a Chinese locale) gives the same help in Traditional Chinese.

use crate::util::{run, stdout, volact};

/// Every command path with its own help.
const COMMANDS: &[&[&str]] = &[
    &[],
    &["explain"],
    &["list"],
    &["search"],
    &["scan"],
    &["events"],
    &["doctor"],
    &["collect"],
    &["analyze"],
    &["serve"],
    &["key"],
    &["key", "check"],
    &["completions"],
    &["man"],
];

/// The help of `path` (`--help`, or `-h` when `short`), with the language arguments given first.
fn help(lang: &[&str], path: &[&str], short: bool) -> String {
    let mut args: Vec<&str> = lang.to_vec();
    args.extend_from_slice(path);
    args.push(if short { "-h" } else { "--help" });
    let out = run(&args, b"");
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    stdout(&out)
}

/// A snapshot name for a command path.
fn name(prefix: &str, path: &[&str]) -> String {
    if path.is_empty() {
        format!("{prefix}_volact")
    } else {
        format!("{prefix}_{}", path.join("_"))
    }
}

#[test]
fn english_help_is_unchanged() {
    for path in COMMANDS {
        insta::assert_snapshot!(name("help_en", path), help(&[], path, false));
        insta::assert_snapshot!(name("short_help_en", path), help(&[], path, true));
    }
}

/// The man page with the version left out (it changes with every release).
fn man(args: &[&str]) -> String {
    let out = run(args, b"");
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    stdout(&out).replace(env!("CARGO_PKG_VERSION"), "VERSION")
}

#[test]
fn english_man_page_is_unchanged() {
    insta::assert_snapshot!("man_en", man(&["man"]));
}
