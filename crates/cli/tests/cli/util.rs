//! A hermetic way to run the binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The binary under test, with an environment that cannot change its output.
pub(crate) fn volact() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_volact"));
    for v in [
        "LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "LANGUAGE",
        "VOLACT_LANG",
        "NO_COLOR",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "TERM",
    ] {
        c.env_remove(v);
    }
    c.env("LANG", "C");
    c
}

/// Runs with the given arguments and standard input.
pub(crate) fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = volact()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn volact");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The process may exit before reading everything; that is not a test failure.
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait for volact");
    writer.join().unwrap();
    out
}

/// Runs and parses standard output as JSON.
pub(crate) fn json(args: &[&str], stdin: &[u8]) -> (serde_json::Value, i32) {
    let out = run(args, stdin);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out.status.code().unwrap())
}

pub(crate) fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Codes of the `results` array of a JSON report.
pub(crate) fn codes(v: &serde_json::Value) -> Vec<String> {
    v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap().to_owned())
        .collect()
}
