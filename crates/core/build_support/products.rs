//! The product tables (`data/products/*.tsv`): read, checked and turned into Rust source.
//!
//! Used as a module by `build.rs` (which fails the build on any error) and by
//! `tests/products_build.rs` (which shows that a broken table is refused). Plain `std` only, so
//! both can compile it; the rules are in `data/products/README.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

include!("internal_words.rs");

/// The text of the five tables.
pub(crate) struct Files<'a> {
    pub(crate) sources: &'a str,
    pub(crate) groups: &'a str,
    pub(crate) hosts: &'a str,
    pub(crate) notes: &'a str,
    pub(crate) products: &'a str,
}

/// The characters a product key is made of (no vowels but `N` is not among the excluded ones;
/// no `0`, `1`, `5`).
const KEY_CHARS: &[u8] = b"BCDFGHJKMNPQRTVWXY2346789";
const FAMILIES: &[(&str, &str)] = &[
    ("windows", "Windows"),
    ("server", "Server"),
    ("office", "Office"),
];

/// One row of a table: its line number (from 1) and its cells.
struct Row<'a> {
    line: usize,
    cells: Vec<&'a str>,
}

fn rows<'a>(file: &str, text: &'a str, cols: usize, errors: &mut Vec<String>) -> Vec<Row<'a>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cells: Vec<&str> = line.split('\t').collect();
        if cells.len() != cols {
            errors.push(format!(
                "{file}:{}: expected {cols} tab-separated columns, found {}",
                n + 1,
                cells.len()
            ));
            continue;
        }
        if let Some(c) = cells.iter().find(|c| c.trim() != **c || c.is_empty()) {
            errors.push(format!(
                "{file}:{}: the cell {c:?} is empty or has spaces around it",
                n + 1
            ));
            continue;
        }
        out.push(Row { line: n + 1, cells });
    }
    out
}

/// `8-4-4-4-12` lower-case hex digits.
pub(crate) fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// Five groups of five key characters, joined by dashes.
pub(crate) fn is_gvlk(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .all(|p| p.len() == 5 && p.bytes().all(|b| KEY_CHARS.contains(&b)))
}

fn list(cell: &str) -> Vec<&str> {
    if cell == "-" {
        Vec::new()
    } else {
        cell.split(',').collect()
    }
}

fn opt(cell: &str) -> Option<&str> {
    (cell != "-").then_some(cell)
}

fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

fn rust_opt(s: Option<&str>) -> String {
    s.map_or_else(|| "None".to_owned(), |v| format!("Some({})", rust_str(v)))
}

fn wording(where_: &str, text: &str, errors: &mut Vec<String>) {
    if let Some(w) = internal_word(text) {
        errors.push(format!(
            "{where_}: uses the internal word {w:?}; say it the way a user would"
        ));
    }
}

/// Checks the tables and returns the Rust source of `volact_core::products`' statics, or every
/// problem found.
pub(crate) fn build(f: &Files) -> Result<String, Vec<String>> {
    let mut errors = Vec::new();
    let sources = rows("sources.tsv", f.sources, 7, &mut errors);
    let groups = rows("groups.tsv", f.groups, 6, &mut errors);
    let hosts = rows("hosts.tsv", f.hosts, 4, &mut errors);
    let notes = rows("notes.tsv", f.notes, 3, &mut errors);
    let products = rows("products.tsv", f.products, 9, &mut errors);

    let source_ix = check_sources(&sources, &mut errors);
    let note_ix = check_notes(&notes, &mut errors);
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    let group_ix = check_groups(&groups, &source_ix, &mut ids, &mut errors);
    for h in &hosts {
        let where_ = format!("hosts.tsv:{}", h.line);
        if !group_ix.contains_key(h.cells[0]) {
            errors.push(format!(
                "{where_}: group {:?} is not in groups.tsv",
                h.cells[0]
            ));
        }
        let update = h.cells[2];
        if update.starts_with("KB") && !update[2..].bytes().all(|b| b.is_ascii_digit()) {
            errors.push(format!("{where_}: update {update:?} is not KB and digits"));
        }
        if !source_ix.contains_key(h.cells[3]) {
            errors.push(format!(
                "{where_}: source {:?} is not in sources.tsv",
                h.cells[3]
            ));
        }
    }
    check_products(
        &products,
        &source_ix,
        &note_ix,
        &group_ix,
        &groups,
        &mut ids,
        &mut errors,
    );
    if products.is_empty() {
        errors.push("products.tsv: the table is empty".to_owned());
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(emit(
        &sources, &notes, &groups, &hosts, &products, &source_ix, &note_ix, &group_ix,
    ))
}

/// The position of each row by its first cell; a first cell used twice is an error.
fn index<'a>(file: &str, rows: &[Row<'a>], errors: &mut Vec<String>) -> BTreeMap<&'a str, usize> {
    let mut ix = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        if ix.insert(r.cells[0], i).is_some() {
            errors.push(format!(
                "{file}:{}: {:?} is defined twice",
                r.line, r.cells[0]
            ));
        }
    }
    ix
}

fn check_sources<'a>(sources: &[Row<'a>], errors: &mut Vec<String>) -> BTreeMap<&'a str, usize> {
    for s in sources {
        let where_ = format!("sources.tsv:{}", s.line);
        if !matches!(s.cells[1], "microsoft" | "third-party") {
            errors.push(format!("{where_}: kind must be microsoft or third-party"));
        }
        let url = s.cells[6];
        if url != "-" && !url.starts_with("https://") {
            errors.push(format!("{where_}: url must start with https:// (or be -)"));
        }
        wording(&where_, s.cells[4], errors);
    }
    index("sources.tsv", sources, errors)
}

fn check_notes<'a>(notes: &[Row<'a>], errors: &mut Vec<String>) -> BTreeMap<&'a str, usize> {
    for n in notes {
        let where_ = format!("notes.tsv:{}", n.line);
        if n.cells[2].is_ascii() {
            errors.push(format!("{where_}: the zh-TW text is not in Chinese"));
        }
        wording(&where_, n.cells[1], errors);
        wording(&where_, n.cells[2], errors);
    }
    index("notes.tsv", notes, errors)
}

fn check_groups<'a>(
    groups: &[Row<'a>],
    source_ix: &BTreeMap<&str, usize>,
    ids: &mut BTreeMap<&'a str, String>,
    errors: &mut Vec<String>,
) -> BTreeMap<&'a str, usize> {
    for g in groups {
        let where_ = format!("groups.tsv:{}", g.line);
        let c = &g.cells;
        if !matches!(c[1], "windows" | "office") {
            errors.push(format!("{where_}: family must be windows or office"));
        }
        check_id(&where_, c[3], c[4], source_ix, ids, errors);
        if c[5] == "-" {
            errors.push(format!("{where_}: sources is empty"));
        }
        for s in list(c[5]) {
            if !source_ix.contains_key(s) {
                errors.push(format!("{where_}: source {s:?} is not in sources.tsv"));
            }
        }
    }
    index("groups.tsv", groups, errors)
}

/// An Activation ID and the source that gives it: a GUID and a source, or `-` and `-`.
fn check_id<'a>(
    where_: &str,
    id: &'a str,
    source: &str,
    source_ix: &BTreeMap<&str, usize>,
    ids: &mut BTreeMap<&'a str, String>,
    errors: &mut Vec<String>,
) {
    match (id, source) {
        ("-", "-") => {}
        ("-", _) | (_, "-") => errors.push(format!(
            "{where_}: an Activation ID and its source go together (both or neither)"
        )),
        _ => {
            if !is_guid(id) {
                errors.push(format!(
                    "{where_}: Activation ID {id:?} is not a lower-case GUID"
                ));
            }
            if let Some(prev) = ids.insert(id, where_.to_owned()) {
                errors.push(format!(
                    "{where_}: Activation ID {id} is also used by {prev}"
                ));
            }
            if !source_ix.contains_key(source) {
                errors.push(format!("{where_}: source {source:?} is not in sources.tsv"));
            }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_products<'a>(
    products: &[Row<'a>],
    source_ix: &BTreeMap<&str, usize>,
    note_ix: &BTreeMap<&str, usize>,
    group_ix: &BTreeMap<&str, usize>,
    groups: &[Row<'_>],
    ids: &mut BTreeMap<&'a str, String>,
    errors: &mut Vec<String>,
) {
    let mut keys: BTreeMap<&str, usize> = BTreeMap::new();
    let mut names = BTreeSet::new();
    for p in products {
        let where_ = format!("products.tsv:{}", p.line);
        let c = &p.cells;
        check_id(&where_, c[0], c[6], source_ix, ids, errors);
        if !FAMILIES.iter().any(|(k, _)| *k == c[1]) {
            errors.push(format!(
                "{where_}: family must be windows, server or office"
            ));
        }
        if !names.insert(c[3]) {
            errors.push(format!("{where_}: name {:?} listed twice", c[3]));
        }
        if !is_gvlk(c[4]) {
            errors.push(format!(
                "{where_}: GVLK {:?} is not five groups of five key characters",
                c[4]
            ));
        }
        if let Some(prev) = keys.insert(c[4], p.line) {
            errors.push(format!("{where_}: GVLK also on line {prev}"));
        }
        for g in list(c[5]) {
            match group_ix.get(g) {
                None => errors.push(format!("{where_}: group {g:?} is not in groups.tsv")),
                Some(&i) if (groups[i].cells[1] == "office") != (c[1] == "office") => {
                    errors.push(format!("{where_}: group {g:?} is for another family"))
                }
                Some(_) => {}
            }
        }
        if !source_ix.contains_key(c[7]) {
            errors.push(format!(
                "{where_}: GVLK source {:?} is not in sources.tsv",
                c[7]
            ));
        }
        if c[8] != "-" && !note_ix.contains_key(c[8]) {
            errors.push(format!("{where_}: note {:?} is not in notes.tsv", c[8]));
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn emit(
    sources: &[Row<'_>],
    notes: &[Row<'_>],
    groups: &[Row<'_>],
    hosts: &[Row<'_>],
    products: &[Row<'_>],
    source_ix: &BTreeMap<&str, usize>,
    note_ix: &BTreeMap<&str, usize>,
    group_ix: &BTreeMap<&str, usize>,
) -> String {
    let mut out = String::from("// @generated by build.rs from data/products; do not edit.\n\n");
    let src = |tag: &str| format!("&SOURCES[{}]", source_ix[tag]);
    let src_opt =
        |tag: &str| opt(tag).map_or_else(|| "None".to_owned(), |t| format!("Some({})", src(t)));
    out.push_str(
        "/// Every document the product tables cite.\npub(super) static SOURCES: &[Source] = &[\n",
    );
    for s in sources {
        let [tag, _, publisher, date, title, location] =
            [0, 1, 2, 3, 4, 5].map(|i| rust_str(s.cells[i]));
        let (third, url) = (s.cells[1] == "third-party", rust_opt(opt(s.cells[6])));
        let _ = writeln!(
            out,
            "    Source {{ tag: {tag}, third_party: {third}, publisher: {publisher}, date: {date}, title: {title}, location: {location}, url: {url} }},"
        );
    }
    out.push_str("];\n\n/// The notes rows carry.\npub(super) static NOTES: &[Note] = &[\n");
    for n in notes {
        let [id, en, zh] = [0, 1, 2].map(|i| rust_str(n.cells[i]));
        let _ = writeln!(out, "    Note {{ id: {id}, en: {en}, zh_tw: {zh} }},");
    }
    out.push_str("];\n\n/// The host-key groups.\npub(super) static GROUPS: &[Group] = &[\n");
    for g in groups {
        let c = &g.cells;
        let hs: Vec<String> = hosts
            .iter()
            .filter(|h| h.cells[0] == c[0])
            .map(|h| {
                format!(
                    "Host {{ os: {}, update: {}, source: {} }}",
                    rust_str(h.cells[1]),
                    rust_opt(opt(h.cells[2])),
                    src(h.cells[3])
                )
            })
            .collect();
        let ss: Vec<String> = list(c[5]).into_iter().map(src).collect();
        let _ = writeln!(
            out,
            "    Group {{ id: {}, office: {}, name: {}, activation_id: {}, id_source: {}, hosts: &[{}], sources: &[{}] }},",
            rust_str(c[0]),
            c[1] == "office",
            rust_str(c[2]),
            rust_opt(opt(c[3])),
            src_opt(c[4]),
            hs.join(", "),
            ss.join(", ")
        );
    }
    out.push_str("];\n\n/// Every product, in the order of the table.\npub(super) static PRODUCTS: &[Product] = &[\n");
    let mut by_id: Vec<(&str, usize)> = Vec::new();
    let mut by_tail: Vec<(&str, usize)> = Vec::new();
    for (i, p) in products.iter().enumerate() {
        let c = &p.cells;
        if let Some(id) = opt(c[0]) {
            by_id.push((id, i));
        }
        by_tail.push((&c[4][c[4].len() - 5..], i));
        let family = FAMILIES
            .iter()
            .find(|(k, _)| *k == c[1])
            .map_or("Windows", |(_, v)| v);
        let gs: Vec<String> = list(c[5])
            .into_iter()
            .map(|g| format!("&GROUPS[{}]", group_ix[g]))
            .collect();
        let note = opt(c[8]).map_or_else(
            || "None".to_owned(),
            |n| format!("Some(&NOTES[{}])", note_ix[n]),
        );
        let _ = writeln!(
            out,
            "    Product {{ activation_id: {}, family: Family::{family}, release: {}, name: {}, gvlk: {}, groups: &[{}], id_source: {}, gvlk_source: {}, note: {note} }},",
            rust_opt(opt(c[0])),
            rust_str(c[2]),
            rust_str(c[3]),
            rust_str(c[4]),
            gs.join(", "),
            src_opt(c[6]),
            src(c[7]),
        );
    }
    out.push_str("];\n\n");
    emit_index(&mut out, "BY_ID", "Activation ID", by_id);
    emit_index(
        &mut out,
        "BY_TAIL",
        "Last five characters of the GVLK",
        by_tail,
    );
    out
}

/// A sorted `(key, position in PRODUCTS)` table for binary search.
fn emit_index(out: &mut String, name: &str, what: &str, mut v: Vec<(&str, usize)>) {
    v.sort();
    let _ = writeln!(
        out,
        "/// {what} to position in [`PRODUCTS`], sorted.\npub(super) static {name}: &[(&str, u16)] = &["
    );
    for (k, i) in v {
        let _ = writeln!(out, "    ({}, {i}),", rust_str(k));
    }
    out.push_str("];\n\n");
}
