//! Product keys in what the writer of a bundle chose (member file names, manifest strings, the
//! bundle's own path) never reach any output of `analyze`.

use std::io::{Cursor, Read};
use std::path::Path;

use volact_collect::{Bundle, analyze, recorded, render};
use volact_core::Lang;

/// Made-up keys, in several forms (not real product keys).
const NAMES: &[&str] = &[
    "slmgr BCDFG-HJKMN-PQRTV-WXY23-46789.txt",
    "xBCDFG-HJKMN-PQRTV-WXY23-46789foo.txt",
    "ＢＣＤＦＧ－ＨＪＫＭＮ－ＰＱＲＴＶ－ＷＸＹ２３－４６７８９.txt",
    "BCD\tFG-HJKMN-PQRTV-WXY23-46789.txt",
    "BCDFG HJKMN PQRTV WXY23 46789.txt",
];

fn replay() -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/kms-client");
    let (source, collectors) = recorded(&dir).expect("recording loads");
    let mut out = Cursor::new(Vec::new());
    volact_collect::collect_into(
        &collectors,
        &source,
        &mut out,
        Path::new("bundle.zip"),
        &mut |_| {},
    )
    .unwrap();
    out.into_inner()
}

/// The zip with `slmgr-dlv.txt` renamed to `name` (in the manifest too) and one member the
/// manifest lists but the zip lacks (a warning that names it).
fn renamed(zip: &[u8], name: &str) -> Vec<u8> {
    let mut a = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..a.len() {
        let mut f = a.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        let mut n = f.name().unwrap().into_owned();
        if n == "manifest.json" {
            let mut v: serde_json::Value = serde_json::from_slice(&b).unwrap();
            for step in v["steps"].as_array_mut().unwrap() {
                for file in step["files"].as_array_mut().unwrap() {
                    if file["name"] == "slmgr-dlv.txt" {
                        file["name"] = name.into();
                    }
                }
                if step["id"] == "registry" {
                    let mut missing = step["files"][0].clone();
                    missing["name"] = format!("missing {name}").into();
                    step["files"].as_array_mut().unwrap().push(missing);
                    step["command"] = format!("reg query {name}").into();
                }
            }
            b = serde_json::to_vec(&v).unwrap();
        } else if n == "slmgr-dlv.txt" {
            n = name.to_owned();
        }
        w.start_file(n, zip::write::SimpleFileOptions::default())
            .unwrap();
        std::io::Write::write_all(&mut w, &b).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Escapes decoded, width folded, only letters and digits: the first four groups are not there.
fn assert_no_key(what: &str, s: &str) {
    let decoded = s.replace("\\t", "\t");
    let folded: String = decoded
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap(),
            c => c,
        })
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_uppercase();
    for run in ["BCDFGHJKMN", "HJKMNPQRTV", "PQRTVWXY23"] {
        assert!(!folded.contains(run), "{what}: key leaked: {s}");
    }
}

#[test]
fn keys_in_member_names_are_redacted_in_all_five_formats() {
    let zip = replay();
    for name in NAMES {
        let z = renamed(&zip, name);
        let bundle = Bundle::read(
            Cursor::new(z),
            Path::new("/tmp/BCDFG-HJKMN-PQRTV-WXY23-46789.zip"),
        )
        .unwrap();
        assert!(bundle.files.iter().any(|f| f.name.contains(".txt")));
        for lang in Lang::ALL {
            let a = analyze(&bundle, lang);
            // The model itself holds no key, whatever serialises it.
            assert_no_key("model", &serde_json::to_string(&a).unwrap());
            for (what, out) in [
                ("json", render::json(&a)),
                ("text", render::text(&a, true)),
                ("markdown", render::markdown(&a)),
                ("ndjson", render::ndjson(&a)),
                ("csv", render::csv(&a)),
            ] {
                assert_no_key(&format!("{name} {what} {lang:?}"), &out);
            }
            // The slmgr output was still read under its new name.
            assert!(!a.products.is_empty(), "{name}");
        }
    }
}
