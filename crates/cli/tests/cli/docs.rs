//! Completions and man page come from the CLI definition.

use crate::util::{run, stdout};

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = run(&["completions", shell], b"");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let s = stdout(&out);
        assert!(s.contains("explain") && s.contains("volact"), "{shell}");
    }
}

#[test]
fn man_page() {
    let out = run(&["man"], b"");
    assert_eq!(out.status.code(), Some(0));
    let s = stdout(&out);
    assert!(s.contains(".TH volact 1"), "{}", &s[..s.len().min(200)]);
    assert!(s.contains("explain") && s.contains("Exit codes"));
    let dir = std::env::temp_dir().join(format!("volact-man-{}", std::process::id()));
    let out = run(&["man", "--out-dir", dir.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(0));
    assert!(dir.join("volact.1").exists());
    assert!(dir.join("volact-explain.1").exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
