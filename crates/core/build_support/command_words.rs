// Shared by build.rs and src/commands.rs through `include!`: how a command line is recognised, so
// the build check and the run-time lookup cannot disagree.

/// The words of a command line that identify it, in lower case: the program (without folder,
/// `.exe` or `.vbs`; `cscript //nologo <script>` and `powershell ... -Command "<command>"` are
/// unwrapped to the script or command inside), then its arguments. Quotes group words and are
/// dropped; a leading `(` of the program is ignored (`(Get-CimInstance X).Property`).
fn command_words(run: &str) -> Vec<String> {
    unwrap_words(split_words(run), true)
}

/// Splits at white space outside double or single quotes, dropping the quotes.
fn split_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut quoted = false;
    for c in s.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => cur.push(c),
            None if c == '"' || c == '\'' => {
                quote = Some(c);
                quoted = true;
            }
            None if c.is_whitespace() => {
                if !cur.is_empty() || quoted {
                    out.push(std::mem::take(&mut cur));
                }
                quoted = false;
            }
            None => cur.push(c),
        }
    }
    if !cur.is_empty() || quoted {
        out.push(cur);
    }
    out
}

/// A program word as the table writes it: `%windir%\system32\slmgr.vbs` is `slmgr`.
fn program_word(w: &str) -> String {
    let w = w.trim_start_matches('(');
    let name = w.rsplit(['\\', '/']).next().unwrap_or(w).to_lowercase();
    let name = name.strip_suffix(".exe").unwrap_or(&name);
    name.strip_suffix(".vbs").unwrap_or(name).to_string()
}

fn unwrap_words(words: Vec<String>, outer: bool) -> Vec<String> {
    let Some(first) = words.first() else {
        return words;
    };
    let program = program_word(first);
    let mut rest = 1;
    if program == "cscript" || program == "wscript" {
        while words.get(rest).is_some_and(|w| w.starts_with("//")) {
            rest += 1;
        }
        let tail: Vec<String> = words.into_iter().skip(rest).collect();
        return unwrap_words(tail, outer);
    }
    if outer && (program == "powershell" || program == "pwsh") {
        let at = words
            .iter()
            .position(|w| w.eq_ignore_ascii_case("-command") || w.eq_ignore_ascii_case("-c"));
        if let Some(inner) = at.and_then(|i| words.get(i + 1)) {
            return unwrap_words(split_words(inner), false);
        }
        rest = 1;
    }
    let mut out = Vec::with_capacity(words.len());
    out.push(program);
    out.extend(words.iter().skip(rest).map(|w| w.to_lowercase()));
    out
}

/// Whether a row's words (lower case) begin the command's words. A row word ending in `:` or `=`
/// (`/inpkey:`, `/set-edition:`) matches any word that starts with it.
fn words_match<P: AsRef<str>>(row: &[P], words: &[String]) -> bool {
    row.len() <= words.len()
        && row.iter().zip(words).all(|(p, w)| {
            let p = p.as_ref();
            if p.ends_with(':') || p.ends_with('=') {
                w.starts_with(p)
            } else {
                w == p
            }
        })
}

/// The row whose words match the most words of the command (the most specific), if any.
fn best_row<'p, P: AsRef<str> + 'p, I: IntoIterator<Item = &'p [P]>>(
    rows: I,
    words: &[String],
) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, row) in rows.into_iter().enumerate() {
        if words_match(row, words) && best.is_none_or(|(_, n)| row.len() > n) {
            best = Some((i, row.len()));
        }
    }
    best.map(|(i, _)| i)
}
