//! Help in both languages: the English help and man page stay as they were (snapshots), and
//! `--lang zh-TW` (or a Chinese locale) gives the same help in Traditional Chinese.

use crate::util::{run, stdout, volact};

/// Every command path with its own help.
const COMMANDS: &[&[&str]] = &[
    &[],
    &["explain"],
    &["list"],
    &["search"],
    &["products"],
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

#[test]
fn chinese_help_of_every_command() {
    for path in COMMANDS {
        let zh = help(&["--lang", "zh-TW"], path, false);
        insta::assert_snapshot!(name("help_zh", path), zh);
        // The frame is in Chinese too, and no English sentence of the help is left.
        assert!(
            zh.contains("用法：volact") && zh.contains("選項："),
            "{path:?}: {zh}"
        );
        assert!(
            !zh.contains("Usage:") && !zh.contains("Options:"),
            "{path:?}: {zh}"
        );
        for english in ["Print help", "[default:", "[alias", "ossible values"] {
            assert!(!zh.contains(english), "{path:?}: {english} in {zh}");
        }
        let short = help(&["--lang", "zh-TW"], path, true);
        assert!(short.contains("顯示說明"), "{path:?}: {short}");
        // `--lang` after the command and the locale give the same help.
        let mut args: Vec<&str> = path.to_vec();
        args.extend(["--help", "--lang=zh-TW"]);
        assert_eq!(stdout(&run(&args, b"")), zh, "{args:?}");
        let mut args: Vec<&str> = path.to_vec();
        args.push("--help");
        let out = volact()
            .env("LANG", "zh_TW.UTF-8")
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(stdout(&out), zh, "LANG=zh_TW.UTF-8 {args:?}");
    }
}

#[test]
fn chinese_help_keeps_the_english_for_english_users() {
    // --lang en wins over a Chinese locale.
    let out = volact()
        .env("LANG", "zh_TW.UTF-8")
        .args(["--lang", "en", "--help"])
        .output()
        .unwrap();
    assert_eq!(stdout(&out), help(&[], &[], false));
}

#[test]
fn chinese_man_page() {
    let zh = man(&["--lang", "zh-TW", "man"]);
    insta::assert_snapshot!("man_zh", zh);
    for heading in [
        ".SH 名稱",
        ".SH 用法",
        ".SH 說明",
        ".SH 選項",
        ".SH 子命令",
        ".SH 補充說明",
    ] {
        assert!(zh.contains(heading), "{heading}");
    }
    assert!(zh.contains("結束代碼") && !zh.contains("Exit codes"));
    let dir = std::env::temp_dir().join(format!("volact-man-zh-{}", std::process::id()));
    let out = run(
        &["--lang", "zh-TW", "man", "--out-dir", dir.to_str().unwrap()],
        b"",
    );
    assert_eq!(out.status.code(), Some(0));
    let doctor = std::fs::read_to_string(dir.join("volact-doctor.1")).unwrap();
    assert!(
        doctor.contains(".SH 選項") && doctor.contains("檢查階段"),
        "{doctor}"
    );
    // The same pages as in English (none for the `help` subcommand).
    let en = std::env::temp_dir().join(format!("volact-man-en-{}", std::process::id()));
    let out = run(&["man", "--out-dir", en.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0));
    let names = |d: &std::path::Path| {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    assert_eq!(names(&dir), names(&en));
    assert!(dir.join("volact-key-check.1").exists());
    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&en).unwrap();
}

#[test]
fn chinese_completions_describe_the_same_options() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let en = stdout(&run(&["completions", shell], b""));
        let zh = stdout(&run(&["--lang", "zh-TW", "completions", shell], b""));
        // The same options (`--text`, the alias of `--binary`, included), described in Chinese.
        assert_eq!(en.lines().count(), zh.lines().count(), "{shell}");
        assert_eq!(en.contains("--text"), zh.contains("--text"), "{shell}");
        if shell == "bash" {
            assert_eq!(en, zh, "bash completions carry no descriptions");
        } else {
            assert!(
                zh.contains("輸出格式") && !zh.contains("Output format"),
                "{shell}"
            );
        }
    }
}
