// Included by build.rs: the commands table (`data/commands.toml`), its checks, the check of every
// knowledge-base command against it, and the generated `commands_data.rs`.

include!("command_words.rs");
include!("kb_rule.rs");

/// Mirrors `volact_core::commands::Command`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommandRow {
    id: String,
    #[serde(rename = "match")]
    words: Vec<String>,
    pattern: String,
    elevated: Option<bool>,
    cases: Option<BTreeMap<String, bool>>,
    runs_on: String,
    source: String,
    basis: String,
    why: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommandFile {
    command: Vec<RawCommandRow>,
}

/// The activation cases of `slmgr /ato` (and any row whose elevation depends on the case).
const CASES: &[(&str, &str)] = &[
    ("kms", "Kms"),
    ("ad", "Ad"),
    ("vm", "Vm"),
    ("online", "Online"),
];
const RUNS_ON: &[(&str, &str)] = &[
    ("any", "Any"),
    ("kms-client", "KmsClient"),
    ("kms-host", "KmsHost"),
    ("admin", "Admin"),
    ("vm-host", "VmHost"),
];
const BASES: &[(&str, &str)] = &[("stated", "Stated"), ("inferred", "Inferred")];

fn variant(table: &[(&str, &'static str)], v: &str) -> Option<&'static str> {
    table.iter().find(|(k, _)| *k == v).map(|(_, x)| *x)
}

/// Reads and checks `commands.toml`; the source tags must be in `kb/sources.toml`.
fn read_command_table(path: &Path, kb_dir: &Path, errors: &mut Vec<String>) -> Vec<RawCommandRow> {
    let mut src_errors = Vec::new();
    let sources = read_sources(kb_dir, &mut src_errors);
    let rows = match fs::read_to_string(path) {
        Ok(t) => match toml::from_str::<RawCommandFile>(&t) {
            Ok(f) => f.command,
            Err(e) => {
                errors.push(format!("commands.toml: {e}"));
                return Vec::new();
            }
        },
        Err(e) => {
            errors.push(format!("commands.toml: cannot read: {e}"));
            return Vec::new();
        }
    };
    let mut ids = BTreeSet::new();
    let mut keys = BTreeSet::new();
    for r in &rows {
        let at = format!("commands.toml: command {:?}", r.id);
        if !ids.insert(r.id.clone()) {
            errors.push(format!("{at}: the id is used twice"));
        }
        if r.words.is_empty()
            || r.words
                .iter()
                .any(|w| w.is_empty() || *w != w.to_lowercase())
        {
            errors.push(format!(
                "{at}: match needs at least one word, all lower case"
            ));
        }
        if !keys.insert(r.words.clone()) {
            errors.push(format!(
                "{at}: another row has the same match words {:?}",
                r.words
            ));
        }
        if best_row([r.words.as_slice()], &command_words(&r.pattern)) != Some(0) {
            errors.push(format!(
                "{at}: its own pattern {:?} does not match {:?}",
                r.pattern, r.words
            ));
        }
        match (&r.elevated, &r.cases) {
            (Some(_), None) => {}
            (None, Some(c)) => {
                for (k, _) in CASES {
                    if !c.contains_key(*k) {
                        errors.push(format!(
                            "{at}: cases must give kms, ad, vm and online; {k} is missing"
                        ));
                    }
                }
                for k in c.keys() {
                    if variant(CASES, k).is_none() {
                        errors.push(format!("{at}: unknown case {k:?} (kms, ad, vm, online)"));
                    }
                }
            }
            _ => errors.push(format!(
                "{at}: give either elevated or cases, not both or neither"
            )),
        }
        if variant(RUNS_ON, &r.runs_on).is_none() {
            errors.push(format!(
                "{at}: unknown runs_on {:?} (any, kms-client, kms-host, admin, vm-host)",
                r.runs_on
            ));
        }
        if variant(BASES, &r.basis).is_none() {
            errors.push(format!(
                "{at}: unknown basis {:?} (stated, inferred)",
                r.basis
            ));
        }
        if r.basis == "inferred" && r.why.as_deref().is_none_or(|w| w.trim().is_empty()) {
            errors.push(format!(
                "{at}: an inferred row says why (the source does not state it)"
            ));
        }
        if !sources.contains_key(&r.source) {
            errors.push(format!(
                "{at}: source {:?} is not defined in kb/sources.toml",
                r.source
            ));
        }
        if let Some(w) = &r.why {
            check_wording(&at, "why", w, errors);
        }
    }
    rows
}

/// Reads and checks `commands.toml` and writes `commands_data.rs` into `OUT_DIR`; the rows, for
/// the knowledge-base check.
fn build_command_table(path: &Path, kb_dir: &Path, errors: &mut Vec<String>) -> Vec<RawCommandRow> {
    println!("cargo:rerun-if-changed={}", path.display());
    let table = read_command_table(path, kb_dir, errors);
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    fs::write(out.join("commands_data.rs"), emit_command_table(&table))
        .expect("write commands_data.rs");
    table
}

/// Checks every knowledge-base command against the table and fills in `elevated` where the entry
/// leaves it out: a command that matches no row, leaves out a case the row needs, names a case the
/// row does not have, or disagrees with the row is an error.
fn resolve_kb_commands(
    entries: &mut [(String, RawEntry)],
    table: &[RawCommandRow],
    errors: &mut Vec<String>,
) {
    let rows: Vec<RuleRow<'_>> = table
        .iter()
        .map(|r| RuleRow {
            id: &r.id,
            words: &r.words,
            elevated: r.elevated,
            cases: r.cases.as_ref(),
        })
        .collect();
    for (file, e) in entries.iter_mut() {
        for c in &mut e.commands {
            match kb_command_rule(&rows, &c.run, c.elevated, c.case.as_deref()) {
                Ok(v) => c.elevated = Some(v),
                Err(why) => errors.push(format!(
                    "{file}: entry {}: command {:?}: {why}",
                    e.code, c.run
                )),
            }
        }
    }
}

/// `commands_data.rs`: the table as a static array, in file order.
fn emit_command_table(rows: &[RawCommandRow]) -> String {
    let mut out =
        String::from("// @generated by build.rs from data/commands.toml; do not edit.\n\n");
    out.push_str("/// Every command volact recommends, in the order of `data/commands.toml`.\n");
    out.push_str("pub(super) static COMMANDS: &[Command] = &[\n");
    for r in rows {
        let elevation = match (&r.elevated, &r.cases) {
            (Some(v), _) => format!("Elevation::Always({v})"),
            (None, Some(c)) => format!(
                "Elevation::ByCase {{ kms: {}, ad: {}, vm: {}, online: {} }}",
                c["kms"], c["ad"], c["vm"], c["online"]
            ),
            (None, None) => unreachable!("checked"),
        };
        let why = match &r.why {
            Some(w) => format!("Some({})", rust_str(w)),
            None => "None".into(),
        };
        let _ = writeln!(
            out,
            "    Command {{ id: {}, words: {}, pattern: {}, elevation: {elevation}, runs_on: RunsOn::{}, source: {}, basis: Basis::{}, why: {why} }},",
            rust_str(&r.id),
            rust_str_slice(&r.words),
            rust_str(&r.pattern),
            variant(RUNS_ON, &r.runs_on).unwrap(),
            rust_str(&r.source),
            variant(BASES, &r.basis).unwrap(),
        );
    }
    out.push_str("];\n");
    out
}
