//! Bad input: a clear message, a documented exit code, no panic.

use crate::util::{codes, json, run, stderr};

fn assert_no_panic(out: &std::process::Output) {
    let e = stderr(out);
    assert!(!e.contains("panicked"), "{e}");
}

#[test]
fn empty_and_blank_arguments() {
    for arg in ["", "   ", "\n"] {
        let out = run(&["explain", arg], b"");
        assert_eq!(out.status.code(), Some(3), "{arg:?}");
        assert!(stderr(&out).contains("no error code found"));
        assert_no_panic(&out);
    }
}

#[test]
fn garbage_arguments() {
    for arg in [
        "hello world",
        "0x",
        "0xZZZZ",
        "-",
        "99999999999999999999",
        "C004F07",
    ] {
        let out = run(&["explain", arg], b"");
        assert_eq!(out.status.code(), Some(3), "{arg:?}");
        assert_no_panic(&out);
    }
}

#[test]
fn empty_stdin() {
    let out = run(&["explain", "-"], b"");
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("<stdin> (0 bytes)"));
}

#[test]
fn ten_megabytes_of_noise_on_stdin() {
    let mut noise = Vec::with_capacity(10 << 20);
    let mut x: u32 = 0x1234_5678;
    while noise.len() < 10 << 20 {
        // xorshift: deterministic pseudo-random bytes, including NULs and invalid UTF-8.
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        noise.extend_from_slice(&x.to_le_bytes());
    }
    let out = run(&["explain", "-"], &noise);
    assert_no_panic(&out);
    assert!(matches!(out.status.code(), Some(1 | 3)), "{:?}", out.status);
    // Noise with a real code in the middle: the code is still found.
    let mid = noise.len() / 2;
    noise.splice(mid..mid, b"\nError: 0xC004F074\n".iter().copied());
    let (v, _) = json(&["explain", "-f", "json", "-"], &noise);
    assert!(codes(&v).contains(&"0xC004F074".to_string()));
}

#[test]
fn one_enormous_line() {
    let mut line = "x".repeat(5 << 20);
    line.push_str(" 0xC004F06C ");
    line.push_str(&"y".repeat(3 << 20));
    let (v, exit) = json(&["explain", "-f", "json", "-"], line.as_bytes());
    assert_eq!(exit, 0);
    assert_eq!(codes(&v), ["0xC004F06C"]);
}

#[test]
fn invalid_utf8_on_stdin() {
    let out = run(
        &["explain", "-"],
        b"garbage \xc3\x28 \xff\xfe\xfd Error: 0x8007232B\n",
    );
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0));
    let e = stderr(&out);
    assert!(e.contains("not valid UTF-8"), "{e}");
}

#[test]
fn usage_errors() {
    for args in [
        &["explain"][..],
        &["--lang", "fr", "explain", "0xC004F074"],
        &["explain", "--format", "xml", "0xC004F074"],
        &["frobnicate"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

/// A reader that stops early (`volact ... | head`) is not an error: exit 0, nothing on stderr.
#[test]
fn closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    // Every known code, in text: far more than a pipe buffer holds.
    let (list, _) = json(&["list", "-f", "json"], b"");
    let all: Vec<String> = codes(&list);
    let mut child = crate::util::volact()
        .args(["--lang", "en", "explain"])
        .args(&all)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

/// `0x` and eight hex digits in full-width forms (`０ｘＣ００４Ｆ０７４`).
fn full_width(code: u32) -> String {
    format!("0x{code:08X}")
        .chars()
        .map(|c| char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c))
        .collect()
}

#[test]
fn full_width_code_where_a_3_mib_line_is_cut_is_found() {
    use volact_core::text::Pieces;
    const MIB: usize = 1 << 20;
    // Where standard input (a file: every read is full) is cut in a line with no line break:
    // at the end of the text read so far, as spaces show (a space is a place to cut).
    let spaces = " ".repeat(3 * MIB);
    let mut p = Pieces::new(spaces.as_bytes()).unwrap();
    let end = p.next_piece().unwrap().unwrap().0.len();
    // One 3 MiB line of Chinese text (no ASCII to cut after) with a different full-width code
    // every 33 bytes around that place, the text read so far ending inside the third character
    // of one (`０ｘ` + the first byte of `Ｃ`): that code must not be split.
    let unit = |code: u32| format!("錯{}", full_width(code));
    let first = end - 10 - 30 * 33;
    let mut line = "x".repeat(first % 3);
    line.push_str(&"錯".repeat(first / 3));
    let mut expected = Vec::new();
    for n in 0..60 {
        let code = if n == 30 {
            0xC004_F074
        } else {
            0xC004_0000 + n
        };
        line.push_str(&unit(code));
        expected.push(format!("0x{code:08X}"));
    }
    assert_eq!(&line[end - 10..end - 1], "錯０ｘ");
    assert!(line[end - 10..].starts_with("錯０ｘＣ００４Ｆ０７４"));
    while line.len() < 3 * MIB {
        line.push('錯');
    }
    line.push('\n');
    let file = std::env::temp_dir().join(format!("volact-fw-{}.txt", std::process::id()));
    std::fs::write(&file, &line).unwrap();
    let out = crate::util::volact()
        .args(["explain", "-f", "json", "-"])
        .stdin(std::fs::File::open(&file).unwrap())
        .output()
        .unwrap();
    std::fs::remove_file(&file).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "unknown codes need attention");
    let mut found = codes(&v);
    found.sort();
    expected.sort();
    assert_eq!(found, expected);
    // Each found whole: a split 0xC004F074 would come back as the bare hex after the cut.
    for r in v["results"].as_array().unwrap() {
        assert_eq!(r["form"], "prefixed-hex", "{}", r["code"]);
    }
}

#[test]
fn each_command_accepts_only_its_formats() {
    let all = ["text", "json", "ndjson", "csv", "markdown"];
    for (cmd, formats) in [
        (&["explain"][..], "text, json, markdown"),
        (&["list"], "text, json, markdown"),
        (&["search"], "text, json, markdown"),
        (&["key", "check"], "text, json"),
        (&["doctor"], "text, json, ndjson"),
        (&["scan"], "text, json, ndjson, csv, markdown"),
        (&["events"], "text, json, ndjson, csv, markdown"),
        (&["analyze"], "text, json, ndjson, csv, markdown"),
    ] {
        for f in all
            .iter()
            .filter(|f| !formats.split(", ").any(|g| g == **f))
        {
            let mut args = cmd.to_vec();
            args.extend(["--format", f]);
            let out = run(&args, b"");
            assert_eq!(out.status.code(), Some(2), "{args:?}");
            let e = stderr(&out);
            assert!(
                e.contains(&format!("invalid value '{f}' for '--format <FORMAT>'"))
                    && e.contains(&format!("[possible values: {formats}]")),
                "{args:?}: {e}"
            );
        }
    }
}
