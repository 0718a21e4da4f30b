// Shared by build.rs (through build_support/commands.rs) and tests/commands_rule.rs through
// `include!`: the rule that checks one knowledge-base command against the commands table. Needs
// `command_words.rs` and `std::collections::BTreeMap` in scope.

/// A row of the commands table, as the rule needs it.
struct RuleRow<'a> {
    id: &'a str,
    words: &'a [String],
    elevated: Option<bool>,
    cases: Option<&'a BTreeMap<String, bool>>,
}

/// What `elevated` is for the knowledge-base command `run`, which gives `elevated` and `case` or
/// leaves them out; or why the command is refused.
fn kb_command_rule(
    rows: &[RuleRow<'_>],
    run: &str,
    elevated: Option<bool>,
    case: Option<&str>,
) -> Result<bool, String> {
    let words = command_words(run);
    let Some(i) = best_row(rows.iter().map(|r| r.words), &words) else {
        return Err("matches no row of data/commands.toml; add the command there first".into());
    };
    let row = &rows[i];
    let want = match (row.elevated, row.cases, case) {
        (Some(v), _, None) => v,
        (Some(_), _, Some(k)) => {
            return Err(format!(
                "case {k:?} given, but row {:?} does not depend on the case",
                row.id
            ));
        }
        (None, Some(cases), Some(k)) => match cases.get(k) {
            Some(v) => *v,
            None => return Err(format!("unknown case {k:?} (kms, ad, vm, online)")),
        },
        (None, _, None) => {
            return Err(format!(
                "row {:?} needs elevation for some activations only; say which with case = \"kms\", \"ad\", \"vm\" or \"online\"",
                row.id
            ));
        }
        (None, None, Some(_)) => return Err(format!("row {:?} has no elevation", row.id)),
    };
    match elevated {
        Some(v) if v != want => Err(format!(
            "elevated = {v}, but row {:?} of data/commands.toml says {want}{}",
            row.id,
            case.map(|k| format!(" for case {k:?}")).unwrap_or_default()
        )),
        _ => Ok(want),
    }
}
