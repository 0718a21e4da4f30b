//! Helpers shared by the integration tests of volact-events.

#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

use volact_core::Lang;
use volact_events::analyze::{Analyzer, Options, Report};
use volact_events::source::read_input;

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static N: AtomicU64 = AtomicU64::new(0);
        let p = std::env::temp_dir().join(format!(
            "volact-events-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Reads the files with default options.
pub fn report_of(paths: &[&Path], opts: Options, lang: Lang) -> Report {
    let mut an = Analyzer::new(opts);
    let mut inputs = Vec::new();
    for p in paths {
        inputs.push(read_input(p, &mut an));
    }
    let mut r = an.report(lang);
    r.inputs = inputs;
    r
}

/// A file of ../shared/data (or of `$VOLACT_SHARED_DATA`, for checkouts elsewhere); `None`
/// (after printing why) when absent outside CI.
pub fn shared(rel: &str) -> Option<PathBuf> {
    volact_testsupport::shared_data(rel)
}

/// Whether python3 with python-evtx is available; with CI set, its absence fails the test.
pub fn python_evtx() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import Evtx.Evtx"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!(
                "CI is set but python3 with python-evtx is missing (.ci/setup.d/40-python-evtx.sh installs it)"
            );
        }
        eprintln!("skipping the python-evtx cross-check: python3 -c 'import Evtx.Evtx' fails");
    }
    ok
}

/// What python-evtx reads from `path`: one JSON object per record.
pub const PY_DUMP: &str = r#"
import json, sys
import xml.etree.ElementTree as ET
import Evtx.Evtx as evtx
ns = '{http://schemas.microsoft.com/win/2004/08/events/event}'
out = {"header_ok": None, "chunks_ok": [], "records": []}
with evtx.Evtx(sys.argv[1]) as log:
    fh = log.get_file_header()
    out["header_ok"] = fh.verify()
    for ch in fh.chunks():
        out["chunks_ok"].append(ch.verify())
    for r in log.records():
        root = ET.fromstring(r.xml())
        sysn = root.find(ns + 'System')
        rec = {
            "record_id": int(sysn.find(ns + 'EventRecordID').text),
            "id": int(sysn.find(ns + 'EventID').text),
            "provider": sysn.find(ns + 'Provider').get('Name'),
            "channel": sysn.find(ns + 'Channel').text,
            "computer": sysn.find(ns + 'Computer').text,
            "time": sysn.find(ns + 'TimeCreated').get('SystemTime'),
            "data": [(d.text or '') for d in root.find(ns + 'EventData').findall(ns + 'Data')],
        }
        out["records"].append(rec)
print(json.dumps(out))
"#;

pub fn python_dump(path: &Path) -> serde_json::Value {
    let o = Command::new("python3")
        .args(["-c", PY_DUMP])
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(
        o.status.success(),
        "python-evtx failed on {}: {}",
        path.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).expect("python prints JSON")
}
