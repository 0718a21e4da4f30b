//! The knowledge base agrees with the generated name tables and with the seed page, and is written in
//! its own words.

use std::path::PathBuf;

use volact_core::{ErrorCode, kb, names};

/// Names an entry may carry for its code: licensing, HRESULT, NTSTATUS or, for FACILITY_WIN32
/// codes, the Win32 error's names.
fn table_names(code: ErrorCode) -> Vec<&'static str> {
    let v = code.value();
    let mut n = names::licensing(v);
    n.extend(names::hresult(v));
    n.extend(names::ntstatus(v));
    if v >> 16 == 0x8007 {
        n.extend(names::win32((v & 0xFFFF) as u16));
    }
    n
}

#[test]
fn entry_names_match_the_windows_metadata() {
    for e in kb::entries() {
        let Some(name) = e.name else { continue };
        let mut candidates = table_names(e.code);
        for a in e.aliases {
            candidates.extend(table_names(*a));
        }
        // 0x80072EE7 wraps WinINet error 12007, which the Win32 table carries.
        assert!(
            candidates.contains(&name),
            "{}: name {name} is not what the tables give ({candidates:?})",
            e.code
        );
    }
}

#[test]
fn entries_without_a_name_are_unnamed_in_the_tables_too() {
    for e in kb::entries().iter().filter(|e| e.name.is_none()) {
        assert!(
            table_names(e.code).is_empty(),
            "{} has names in the tables: {:?}",
            e.code,
            table_names(e.code)
        );
    }
}

fn shared_dir() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if p.join("seed").is_dir() {
        Some(p)
    } else if std::env::var_os("CI").is_some() {
        panic!("CI is set but {} is missing", p.display());
    } else {
        eprintln!("skipping: ../shared/seed not found next to the checkout");
        None
    }
}

fn seed_text() -> Option<String> {
    let dir = shared_dir()?.join("seed");
    let mut text = String::new();
    for e in std::fs::read_dir(dir).unwrap() {
        text.push_str(&std::fs::read_to_string(e.unwrap().path()).unwrap());
    }
    Some(text)
}

#[test]
fn seed_codes_are_exactly_the_seed_pages_codes() {
    let Some(seed) = seed_text() else { return };
    // Codes in the first column of the seed's table rows.
    let mut seed_codes: Vec<u32> = seed
        .lines()
        .filter_map(|l| l.strip_prefix('|'))
        .filter_map(|l| l.split('|').next())
        .filter_map(|c| ErrorCode::parse(c.trim()).ok())
        .map(ErrorCode::value)
        .collect();
    seed_codes.sort();
    seed_codes.dedup();
    let mut kb_seed: Vec<u32> = kb::entries()
        .iter()
        .filter(|e| e.seed)
        .map(|e| e.code.value())
        .collect();
    kb_seed.sort();
    assert_eq!(seed_codes.len(), 30);
    assert_eq!(kb_seed, seed_codes);
}

/// Own words: no Chinese sentence of the knowledge base repeats a long run of the seed page. Terms
/// (such as 提升權限的命令提示字元, eleven characters) and commands are shared by necessity; sixteen
/// Chinese characters in a row is copying.
#[test]
fn chinese_text_is_not_copied_from_the_seed() {
    let Some(seed) = seed_text() else { return };
    let seed: Vec<char> = seed.chars().filter(|c| !c.is_whitespace()).collect();
    let seed: String = seed.into_iter().collect();
    const RUN: usize = 16;
    let mut copied = Vec::new();
    for e in kb::entries() {
        let t = &e.zh_tw;
        let texts = std::iter::once(t.message)
            .chain(t.causes.iter().copied())
            .chain(t.steps.iter().copied());
        for s in texts {
            let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
            for w in chars.windows(RUN) {
                let run: String = w.iter().collect();
                if w.iter().all(|c| !c.is_ascii()) && seed.contains(&run) {
                    copied.push(format!("{}: {run}", e.code));
                    break;
                }
            }
        }
    }
    assert!(
        copied.is_empty(),
        "runs copied from the seed:\n{}",
        copied.join("\n")
    );
}
