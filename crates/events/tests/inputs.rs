//! Inputs that are not plain files: folders with link loops, FIFOs, special files. (Made with
//! Unix calls here; the code under test is the same on Windows, where links are made otherwise.)
#![cfg(unix)]

mod common;

use common::TempDir;
use volact_core::Lang;
use volact_events::analyze::{Analyzer, Options};
use volact_events::source::{NotRead, expand_in, expand_typed, read_input_in};
use volact_testsupport::evtx::kms::{HostLog, HostLogSpec};
use volact_testsupport::evtx::to_bytes;

fn host_log(records: u64) -> Vec<u8> {
    let spec = HostLogSpec {
        clients: 20,
        max_records: Some(records),
        ..HostLogSpec::default()
    };
    to_bytes(&HostLog::new(spec).map(|(e, _)| e).collect::<Vec<_>>())
}

/// Runs `f` on another thread; fails if it has not ended within a minute (a hang).
fn within_a_minute<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(60))
        .expect("did not end within a minute")
}

#[test]
fn folders_with_link_loops_are_read_once_and_the_loops_reported() {
    use std::os::unix::fs::symlink;
    let dir = TempDir::new("loops");
    let root = dir.path("logs");
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("kms.evtx"), host_log(200)).unwrap();
    std::fs::write(root.join("sub/kms2.evtx"), host_log(100)).unwrap();
    // Links back to the folder itself, to its parent, a loop between two links, and a second
    // way to a file: `volact events logs` used to run forever.
    for (link, to) in [
        ("self", "."),
        ("again", "."),
        ("sub/up", ".."),
        ("sub/upup", "../sub"),
        ("same.evtx", "kms.evtx"),
        ("a", "b"),
        ("b", "a"),
    ] {
        symlink(to, root.join(link)).unwrap();
    }
    let paths = vec![root.clone()];
    let (files, skipped) = within_a_minute(move || expand_typed(&paths));
    assert_eq!(
        files,
        vec![root.join("kms.evtx"), root.join("sub/kms2.evtx")]
    );
    let reason = |name: &str| {
        skipped
            .iter()
            .find(|(p, _)| *p == root.join(name))
            .map(|(_, w)| w.clone())
            .unwrap_or_else(|| panic!("{name} not reported: {skipped:?}"))
    };
    for l in ["self", "again", "sub/up", "sub/upup"] {
        assert!(matches!(reason(l), NotRead::Loop { .. }), "{l}");
    }
    assert!(matches!(reason("same.evtx"), NotRead::SameFile { .. }));
    // a -> b -> a leads nowhere.
    assert!(matches!(reason("a"), NotRead::Unreachable(_)));
    assert!(matches!(reason("b"), NotRead::Unreachable(_)));
    // Said in both languages.
    let paths = vec![root.clone()];
    let (_, en) = expand_in(&paths, Lang::En);
    let (_, zh) = expand_in(&paths, Lang::ZhTw);
    let of = |v: &[(std::path::PathBuf, String)]| {
        v.iter()
            .find(|(p, _)| *p == root.join("self"))
            .unwrap()
            .1
            .clone()
    };
    assert!(of(&en).contains("loop"), "{}", of(&en));
    assert!(of(&zh).contains("迴圈"), "{}", of(&zh));
}

/// A FIFO given on its own is read as a stream (it used to fail with "Illegal seek"); FIFOs met
/// inside a folder are reported, not read (they may wait for a writer forever).
#[test]
fn fifos_are_read_as_streams_and_reported_in_folders() {
    let dir = TempDir::new("fifo");
    let fifo = dir.path("pipe.evtx");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set but mkfifo failed"
        );
        eprintln!("skipping: mkfifo is not available");
        return;
    }
    std::fs::write(dir.path("plain.evtx"), host_log(50)).unwrap();
    let paths = vec![dir.0.clone()];
    let (files, skipped) = within_a_minute(move || expand_typed(&paths));
    assert_eq!(files, vec![dir.path("plain.evtx")]);
    assert_eq!(skipped, vec![(fifo.clone(), NotRead::Special)]);
    let (_, zh) = expand_in(std::slice::from_ref(&dir.0), Lang::ZhTw);
    assert!(
        zh[0].1.contains("FIFO") && zh[0].1.contains("略過"),
        "{}",
        zh[0].1
    );

    let bytes = host_log(300);
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(&fifo, bytes).unwrap())
    };
    let reader = {
        let fifo = fifo.clone();
        within_a_minute(move || {
            let mut an = Analyzer::new(Options::default());
            let s = read_input_in(&fifo, &mut an, Lang::En);
            (s, an.report(Lang::En))
        })
    };
    writer.join().unwrap();
    let (s, r) = reader;
    assert_eq!(s.error, None);
    assert_eq!(s.kind, Some("evtx"));
    assert_eq!(s.records_read, 300);
    assert_eq!(r.stats.events_used, 300);
    assert_eq!(r.warnings_total, 0, "{:?}", r.warnings);
}

/// A device given on its own is read as a stream too (here one that is empty).
#[test]
fn a_device_is_read_as_a_stream() {
    let null = std::path::Path::new("/dev/null");
    if !null.exists() {
        return;
    }
    let mut an = Analyzer::new(Options::default());
    let s = read_input_in(null, &mut an, Lang::En);
    assert_eq!(s.error, None);
    assert_eq!(s.kind, Some("text"));
    assert_eq!(s.records_read, 0);
}
