//! Compiles the knowledge base (`data/kb/*.toml`) and the name tables (`data/names/*.tsv`) into Rust
//! source in `OUT_DIR`, and fails the build when the data breaks a rule of `data/kb/README.md`.
//!
//! Everything is checked here, once, so that the runtime side is a set of sorted static tables and a
//! lookup is a binary search: no parsing, no allocation at start-up.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[path = "build_support/products.rs"]
mod products;

/// Mirrors `volact_core::kb::Entry`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    code: String,
    name: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    types: Vec<String>,
    #[serde(default)]
    events: Vec<u16>,
    #[serde(default)]
    checks: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    sources: Vec<String>,
    #[serde(default)]
    seed: bool,
    en: Option<RawText>,
    #[serde(rename = "zh-TW")]
    zh_tw: Option<RawText>,
    #[serde(default)]
    commands: Vec<RawCommand>,
}

/// Mirrors `volact_core::kb::Text`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    message: String,
    causes: Vec<String>,
    steps: Vec<String>,
    note: Option<String>,
}

/// Mirrors `volact_core::kb::Command`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommand {
    run: String,
    en: String,
    #[serde(rename = "zh-TW")]
    zh_tw: String,
    /// Checked against (or, when left out, taken from) `data/commands.toml`.
    elevated: Option<bool>,
    /// `kms`, `ad`, `vm` or `online`, for a command whose elevation depends on it (`slmgr /ato`).
    case: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    entry: Vec<RawEntry>,
}

/// Mirrors `volact_core::kb::Source`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    publisher: String,
    date: Option<String>,
    location: String,
    url: Option<String>,
}

const TYPES: &[(&str, &str)] = &[
    ("mak", "Mak"),
    ("kms-client", "KmsClient"),
    ("kms-host", "KmsHost"),
];
const CHECKS: &[(&str, &str)] = &[
    ("dns", "Dns"),
    ("tcp", "Tcp"),
    ("rpc", "Rpc"),
    ("clock", "Clock"),
];
/// The seed page lists exactly this many codes.
const SEED_CODES: usize = 30;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let kb_dir = dir.join("data/kb");
    let names_dir = dir.join("data/names");
    println!("cargo:rerun-if-changed={}", kb_dir.display());
    println!("cargo:rerun-if-changed={}", names_dir.display());

    let mut errors = Vec::new();
    let kb = build_kb(&kb_dir, &mut errors);
    let names = build_names(&names_dir, &mut errors);
    let products = build_products(&dir.join("data/products"), &mut errors);
    if !errors.is_empty() {
        let mut msg = format!("the volact data has {} problem(s):\n", errors.len());
        for e in &errors {
            let _ = writeln!(msg, "  - {e}");
        }
        panic!("{msg}");
    }
    fs::write(out.join("kb_data.rs"), kb).expect("write kb_data.rs");
    fs::write(out.join("names_data.rs"), names).expect("write names_data.rs");
    fs::write(out.join("products_data.rs"), products).expect("write products_data.rs");
}

/// `data/products/*.tsv` checked and compiled (`build_support/products.rs`).
fn build_products(dir: &Path, errors: &mut Vec<String>) -> String {
    println!("cargo:rerun-if-changed={}", dir.display());
    let read = |name: &str, errors: &mut Vec<String>| {
        fs::read_to_string(dir.join(name)).unwrap_or_else(|e| {
            errors.push(format!("products/{name}: cannot read: {e}"));
            String::new()
        })
    };
    let texts = [
        read("sources.tsv", errors),
        read("groups.tsv", errors),
        read("hosts.tsv", errors),
        read("notes.tsv", errors),
        read("products.tsv", errors),
    ];
    let files = products::Files {
        sources: &texts[0],
        groups: &texts[1],
        hosts: &texts[2],
        notes: &texts[3],
        products: &texts[4],
    };
    products::build(&files).unwrap_or_else(|e| {
        errors.extend(e.into_iter().map(|m| format!("products/{m}")));
        String::new()
    })
}

/// Parses `0x` + exactly eight upper-case hex digits.
fn parse_code(s: &str) -> Option<u32> {
    let hex = s.strip_prefix("0x")?;
    if hex.len() != 8
        || !hex
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
    {
        return None;
    }
    u32::from_str_radix(hex, 16).ok()
}

fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

fn rust_str_slice(items: &[String]) -> String {
    let inner: Vec<String> = items.iter().map(|s| rust_str(s)).collect();
    format!("&[{}]", inner.join(", "))
}

fn kb_files(dir: &Path, errors: &mut Vec<String>) -> Vec<PathBuf> {
    let mut files = Vec::new();
    match fs::read_dir(dir) {
        Ok(rd) => {
            for e in rd.flatten() {
                let p = e.path();
                let is_toml = p.extension().is_some_and(|x| x == "toml");
                let is_sources = p.file_name().is_some_and(|n| n == "sources.toml");
                if is_toml && !is_sources {
                    files.push(p);
                }
            }
        }
        Err(e) => errors.push(format!("{}: cannot read: {e}", dir.display())),
    }
    files.sort();
    files
}

include!("build_support/internal_words.rs");
include!("build_support/commands.rs");

/// Records an error when a user-visible text holds an internal word.
fn check_wording(where_: &str, what: &str, text: &str, errors: &mut Vec<String>) {
    if let Some(w) = internal_word(text) {
        errors.push(format!(
            "{where_}: {what} uses the internal word {w:?}; say it the way a user would"
        ));
    }
}

fn check_text(where_: &str, lang: &str, t: &RawText, errors: &mut Vec<String>) {
    check_wording(where_, &format!("[{lang}] message"), &t.message, errors);
    for c in t.causes.iter().chain(&t.steps) {
        check_wording(where_, &format!("[{lang}] a cause or step"), c, errors);
    }
    if let Some(n) = &t.note {
        check_wording(where_, &format!("[{lang}] note"), n, errors);
    }
    if t.message.trim().is_empty() {
        errors.push(format!("{where_}: [{lang}] message is empty"));
    }
    if t.causes.is_empty() || t.causes.iter().any(|c| c.trim().is_empty()) {
        errors.push(format!(
            "{where_}: [{lang}] needs at least one cause, none empty"
        ));
    }
    if t.steps.is_empty() || t.steps.iter().any(|c| c.trim().is_empty()) {
        errors.push(format!(
            "{where_}: [{lang}] needs at least one step, none empty"
        ));
    }
    if t.note.as_deref().is_some_and(|n| n.trim().is_empty()) {
        errors.push(format!("{where_}: [{lang}] note is present but empty"));
    }
}

fn text_literal(t: &RawText) -> String {
    format!(
        "Text {{ message: {}, causes: {}, steps: {}, note: {} }}",
        rust_str(&t.message),
        rust_str_slice(&t.causes),
        rust_str_slice(&t.steps),
        match &t.note {
            Some(n) => format!("Some({})", rust_str(n)),
            None => "None".to_string(),
        }
    )
}

fn build_kb(dir: &Path, errors: &mut Vec<String>) -> String {
    let sources = read_sources(dir, errors);
    let mut entries = read_entries(dir, errors);
    // The commands table (`data/commands.toml`, written to `commands_data.rs`) is the rule for
    // every entry command's `elevated`.
    let table = build_command_table(&dir.join("../commands.toml"), dir, errors);
    resolve_kb_commands(&mut entries, &table, errors);
    let owner = check_codes(&entries, errors);
    for (file, e) in &entries {
        check_entry(file, e, &owner, &sources, errors);
    }
    let seed_count = entries.iter().filter(|(_, e)| e.seed).count();
    if errors.is_empty() && seed_count != SEED_CODES {
        errors.push(format!(
            "{seed_count} entries are marked seed = true; the seed page has {SEED_CODES} codes"
        ));
    }
    if !errors.is_empty() {
        return String::new();
    }
    entries.sort_by_key(|(_, e)| parse_code(&e.code));
    let mut out = String::new();
    out.push_str("// @generated by build.rs from data/kb; do not edit.\n\n");
    let tag_index = emit_sources(&mut out, &sources);
    out.push_str("/// Every knowledge-base entry, sorted by code.\n");
    out.push_str("pub(super) static ENTRIES: &[Entry] = &[\n");
    let mut index: Vec<(u32, usize)> = Vec::new();
    for (i, (file, e)) in entries.iter().enumerate() {
        index.push((parse_code(&e.code).unwrap(), i));
        for a in &e.aliases {
            index.push((parse_code(a).unwrap(), i));
        }
        emit_entry(&mut out, file, e, &tag_index);
    }
    out.push_str("];\n\n");
    index.sort();
    out.push_str(
        "/// Code or alias value to position in [`ENTRIES`], sorted by value for binary search.\n",
    );
    out.push_str("pub(super) static INDEX: &[(u32, u16)] = &[\n");
    for (v, i) in index {
        let _ = writeln!(out, "    (0x{v:08X}, {i}),");
    }
    out.push_str("];\n");
    out
}

/// `sources.toml`: every document the entries cite, by tag.
fn read_sources(dir: &Path, errors: &mut Vec<String>) -> BTreeMap<String, RawSource> {
    // Sources.
    let sources_path = dir.join("sources.toml");
    let sources: BTreeMap<String, RawSource> = match fs::read_to_string(&sources_path) {
        Ok(s) => match toml::from_str(&s) {
            Ok(v) => v,
            Err(e) => {
                errors.push(format!("{}: {e}", sources_path.display()));
                BTreeMap::new()
            }
        },
        Err(e) => {
            errors.push(format!("{}: cannot read: {e}", sources_path.display()));
            BTreeMap::new()
        }
    };
    for (tag, src) in &sources {
        // Tags are shown to users in citations ("[EC23] ...").
        check_wording("sources.toml", &format!("tag {tag:?}"), tag, errors);
        check_wording(
            "sources.toml",
            &format!("the title of {tag:?}"),
            &src.title,
            errors,
        );
    }

    sources
}

/// Every entry of `data/kb/*.toml`, with the file it came from.
fn read_entries(dir: &Path, errors: &mut Vec<String>) -> Vec<(String, RawEntry)> {
    // Entries, with the file each came from.
    let mut entries: Vec<(String, RawEntry)> = Vec::new();
    for path in kb_files(dir, errors) {
        let fname = path.file_name().unwrap().to_string_lossy().into_owned();
        match fs::read_to_string(&path) {
            Ok(text) => match toml::from_str::<RawFile>(&text) {
                Ok(f) => entries.extend(f.entry.into_iter().map(|e| (fname.clone(), e))),
                Err(e) => errors.push(format!("{fname}: {e}")),
            },
            Err(e) => errors.push(format!("{fname}: cannot read: {e}")),
        }
    }

    entries
}

/// Pass 1: codes and aliases are well formed and unique. Returns who owns each value.
fn check_codes(entries: &[(String, RawEntry)], errors: &mut Vec<String>) -> BTreeMap<u32, String> {
    // Pass 1: codes and aliases are well formed and unique.
    let mut owner: BTreeMap<u32, String> = BTreeMap::new();
    for (file, e) in entries {
        let where_ = format!("{file}: entry {}", e.code);
        match parse_code(&e.code) {
            Some(v) => {
                if let Some(prev) = owner.insert(v, where_.clone()) {
                    errors.push(format!("{where_}: code already used by {prev}"));
                }
            }
            None => errors.push(format!(
                "{where_}: code must be 0x and eight upper-case hex digits"
            )),
        }
        for a in &e.aliases {
            match parse_code(a) {
                Some(v) => {
                    if let Some(prev) = owner.insert(v, where_.clone()) {
                        errors.push(format!("{where_}: alias {a} already used by {prev}"));
                    }
                }
                None => errors.push(format!(
                    "{where_}: alias {a:?} must be 0x and eight upper-case hex digits"
                )),
            }
        }
    }

    owner
}

/// Pass 2: every other rule, for one entry.
fn check_entry(
    file: &str,
    e: &RawEntry,
    owner: &BTreeMap<u32, String>,
    sources: &BTreeMap<String, RawSource>,
    errors: &mut Vec<String>,
) {
    let where_ = format!("{file}: entry {}", e.code);
    let own = parse_code(&e.code);
    if let Some(n) = &e.name
        && (n.is_empty()
            || !n
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'))
    {
        errors.push(format!(
            "{where_}: name {n:?} is not an upper-case symbolic name"
        ));
    }
    if e.types.is_empty() {
        errors.push(format!("{where_}: types is empty"));
    }
    let mut seen = BTreeSet::new();
    for t in &e.types {
        if !TYPES.iter().any(|(k, _)| k == t) {
            errors.push(format!(
                "{where_}: unknown type {t:?} (mak, kms-client, kms-host)"
            ));
        }
        if !seen.insert(t) {
            errors.push(format!("{where_}: type {t:?} listed twice"));
        }
    }
    for c in &e.checks {
        if !CHECKS.iter().any(|(k, _)| k == c) {
            errors.push(format!(
                "{where_}: unknown check {c:?} (dns, tcp, rpc, clock)"
            ));
        }
    }
    for r in &e.related {
        match parse_code(r) {
            Some(v) if Some(v) == own => {
                errors.push(format!("{where_}: related names the entry itself"))
            }
            Some(v) if !owner.contains_key(&v) => errors.push(format!(
                "{where_}: related {r} is not in the knowledge base"
            )),
            Some(_) => {}
            None => errors.push(format!(
                "{where_}: related {r:?} must be 0x and eight upper-case hex digits"
            )),
        }
    }
    if e.sources.is_empty() {
        errors.push(format!("{where_}: sources is empty"));
    }
    for s in &e.sources {
        if !sources.contains_key(s) {
            errors.push(format!(
                "{where_}: source {s:?} is not defined in sources.toml"
            ));
        }
    }
    match (&e.en, &e.zh_tw) {
        (Some(en), Some(zh)) => {
            check_text(&where_, "en", en, errors);
            check_text(&where_, "zh-TW", zh, errors);
            if en.causes.len() != zh.causes.len() {
                errors.push(format!(
                    "{where_}: {} causes in en but {} in zh-TW",
                    en.causes.len(),
                    zh.causes.len()
                ));
            }
            if en.steps.len() != zh.steps.len() {
                errors.push(format!(
                    "{where_}: {} steps in en but {} in zh-TW",
                    en.steps.len(),
                    zh.steps.len()
                ));
            }
            if e.name.is_none() && (en.note.is_none() || zh.note.is_none()) {
                errors.push(format!(
                    "{where_}: an entry without a name needs a note in both languages"
                ));
            }
        }
        (None, _) => errors.push(format!("{where_}: the [entry.en] section is missing")),
        (_, None) => errors.push(format!("{where_}: the [entry.zh-TW] section is missing")),
    }
    for (i, c) in e.commands.iter().enumerate() {
        check_wording(&where_, "a command's text", &c.en, errors);
        check_wording(&where_, "a command's text", &c.zh_tw, errors);
        if c.run.trim().is_empty() || c.en.trim().is_empty() || c.zh_tw.trim().is_empty() {
            errors.push(format!(
                "{where_}: command {} needs run, en and zh-TW",
                i + 1
            ));
        }
    }
}

/// Writes `SOURCES` and returns each tag's position in it.
fn emit_sources<'a>(
    out: &mut String,
    sources: &'a BTreeMap<String, RawSource>,
) -> BTreeMap<&'a String, usize> {
    out.push_str("/// Every source document cited by the knowledge base, sorted by tag.\n");
    out.push_str("pub(super) static SOURCES: &[Source] = &[\n");
    let tag_index: BTreeMap<&String, usize> =
        sources.keys().enumerate().map(|(i, k)| (k, i)).collect();
    for (tag, s) in sources {
        let opt = |o: &Option<String>| match o {
            Some(v) => format!("Some({})", rust_str(v)),
            None => "None".to_string(),
        };
        let _ = writeln!(
            out,
            "    Source {{ tag: {}, title: {}, publisher: {}, date: {}, location: {}, url: {} }},",
            rust_str(tag),
            rust_str(&s.title),
            rust_str(&s.publisher),
            opt(&s.date),
            rust_str(&s.location),
            opt(&s.url)
        );
    }
    out.push_str("];\n\n");

    tag_index
}

/// Writes one `Entry { .. }` of `ENTRIES`.
fn emit_entry(out: &mut String, file: &str, e: &RawEntry, tag_index: &BTreeMap<&String, usize>) {
    let code = parse_code(&e.code).unwrap();
    let codes = |v: &[String]| {
        let inner: Vec<String> = v
            .iter()
            .map(|c| format!("ErrorCode(0x{:08X})", parse_code(c).unwrap()))
            .collect();
        format!("&[{}]", inner.join(", "))
    };
    let enum_list = |v: &[String], table: &[(&str, &str)], ty: &str| {
        let inner: Vec<String> = v
            .iter()
            .map(|t| {
                let variant = table.iter().find(|(k, _)| k == t).unwrap().1;
                format!("{ty}::{variant}")
            })
            .collect();
        format!("&[{}]", inner.join(", "))
    };
    let srcs: Vec<String> = e
        .sources
        .iter()
        .map(|s| format!("&SOURCES[{}]", tag_index[s]))
        .collect();
    let cmds: Vec<String> = e
        .commands
        .iter()
        .map(|c| {
            format!(
                "Command {{ run: {}, en: {}, zh_tw: {}, elevated: {} }}",
                rust_str(&c.run),
                rust_str(&c.en),
                rust_str(&c.zh_tw),
                c.elevated.unwrap_or_default()
            )
        })
        .collect();
    let _ = writeln!(out, "    Entry {{");
    let _ = writeln!(out, "        code: ErrorCode(0x{code:08X}),");
    let _ = writeln!(
        out,
        "        name: {},",
        match &e.name {
            Some(n) => format!("Some({})", rust_str(n)),
            None => "None".into(),
        }
    );
    let _ = writeln!(out, "        aliases: {},", codes(&e.aliases));
    let _ = writeln!(
        out,
        "        types: {},",
        enum_list(&e.types, TYPES, "ActivationType")
    );
    let _ = writeln!(out, "        events: &{:?},", e.events);
    let _ = writeln!(
        out,
        "        checks: {},",
        enum_list(&e.checks, CHECKS, "Check")
    );
    let _ = writeln!(out, "        related: {},", codes(&e.related));
    let _ = writeln!(out, "        sources: &[{}],", srcs.join(", "));
    let _ = writeln!(out, "        seed: {},", e.seed);
    let _ = writeln!(out, "        en: {},", text_literal(e.en.as_ref().unwrap()));
    let _ = writeln!(
        out,
        "        zh_tw: {},",
        text_literal(e.zh_tw.as_ref().unwrap())
    );
    let _ = writeln!(out, "        commands: &[{}],", cmds.join(", "));
    let _ = writeln!(out, "        file: {},", rust_str(file));
    let _ = writeln!(out, "    }},");
}

struct Table {
    rows: Vec<(u32, String)>,
}

fn read_tsv(path: &Path, cols: usize, errors: &mut Vec<String>) -> Vec<Vec<String>> {
    let fname = path.file_name().unwrap().to_string_lossy().into_owned();
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            errors.push(format!(
                "names/{fname}: cannot read ({e}); run `cargo run -p xtask -- names`"
            ));
            return Vec::new();
        }
    };
    let mut rows = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<String> = line.split('\t').map(str::to_owned).collect();
        if f.len() < cols {
            errors.push(format!(
                "names/{fname}:{}: expected {cols} tab-separated columns, found {}",
                n + 1,
                f.len()
            ));
            continue;
        }
        rows.push(f);
    }
    rows
}

fn parse_value(s: &str) -> Option<u32> {
    match s.strip_prefix("0x") {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

fn table(path: &Path, errors: &mut Vec<String>) -> Table {
    let mut rows = Vec::new();
    for f in read_tsv(path, 2, errors) {
        match parse_value(&f[0]) {
            Some(v) => rows.push((v, f[1].clone())),
            None => errors.push(format!("{}: bad value {:?}", path.display(), f[0])),
        }
    }
    rows.sort();
    rows.dedup();
    Table { rows }
}

fn emit_table(out: &mut String, name: &str, doc: &str, t: &Table) {
    let _ = writeln!(out, "/// {doc}");
    let _ = writeln!(out, "pub(super) static {name}: &[(u32, &str)] = &[");
    for (v, n) in &t.rows {
        let _ = writeln!(out, "    (0x{v:08X}, {}),", rust_str(n));
    }
    out.push_str("];\n\n");
}

fn build_names(dir: &Path, errors: &mut Vec<String>) -> String {
    let licensing = table(&dir.join("licensing.tsv"), errors);
    let win32 = table(&dir.join("win32.tsv"), errors);
    let hresult = table(&dir.join("hresult.tsv"), errors);
    let ntstatus = table(&dir.join("ntstatus.tsv"), errors);
    let mut fac_h = Vec::new();
    let mut fac_n = Vec::new();
    for f in read_tsv(&dir.join("facility.tsv"), 3, errors) {
        let Some(v) = parse_value(&f[1]) else {
            errors.push(format!("names/facility.tsv: bad value {:?}", f[1]));
            continue;
        };
        match f[0].as_str() {
            "hresult" => fac_h.push((v, f[2].clone())),
            "ntstatus" => fac_n.push((v, f[2].clone())),
            other => errors.push(format!("names/facility.tsv: unknown kind {other:?}")),
        }
    }
    fac_h.sort();
    fac_h.dedup();
    fac_n.sort();
    fac_n.dedup();
    for (t, what) in [
        (&licensing.rows, "licensing"),
        (&win32.rows, "win32"),
        (&fac_h, "facility"),
    ] {
        if t.is_empty() {
            errors.push(format!("names/{what}: the table is empty"));
        }
    }
    let mut out = String::from("// @generated by build.rs from data/names; do not edit.\n\n");
    emit_table(
        &mut out,
        "LICENSING",
        "SL_E_*, SL_I_*, SL_REMAPPING_* HRESULTs.",
        &licensing,
    );
    emit_table(
        &mut out,
        "WIN32",
        "Win32 error numbers (ERROR_*, DNS_*, RPC_S_*, WSAE*, WinINet).",
        &win32,
    );
    emit_table(
        &mut out,
        "HRESULT",
        "Other HRESULT constants of Win32::Foundation.",
        &hresult,
    );
    emit_table(&mut out, "NTSTATUS", "NTSTATUS constants.", &ntstatus);
    emit_table(
        &mut out,
        "FACILITY_HRESULT",
        "HRESULT facility numbers.",
        &Table { rows: fac_h },
    );
    emit_table(
        &mut out,
        "FACILITY_NTSTATUS",
        "NTSTATUS facility numbers.",
        &Table { rows: fac_n },
    );
    out
}
