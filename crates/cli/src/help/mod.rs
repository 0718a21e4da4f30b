//! The help in the user's language: [`localise`] gives every command, argument and value of the
//! clap definition (`crate::args`) its words from the one phrase table ([`phrases`]), in English
//! or Traditional Chinese. In Chinese it also draws the frame clap would draw in English (the
//! "Usage:" line, section headings, `[default: ...]`, the built-in `--help`, `--version` and
//! `help`), and [`man_page`] translates the man page's section headings.
//!
//! The language is known before clap parses anything (`args::lang_in`, then the locale), so
//! `volact --lang zh-TW --help` is already in Chinese.

mod phrases;
#[cfg(test)]
mod tests;

use clap::{Arg, Command};
use volact_core::Lang;

use phrases::PHRASES;

/// The text of `id` in `lang`: the row of that id, else of the part after its last `/` (the
/// words every command shares, such as `format`).
fn text(id: &str, lang: Lang) -> Option<&'static str> {
    let find = |id: &str| PHRASES.iter().find(|p| p.0 == id);
    let row = find(id).or_else(|| id.rsplit_once('/').and_then(|(_, shared)| find(shared)))?;
    Some(lang.pick(row.1, row.2))
}

/// A word clap draws, which the table always has.
fn word(id: &str, lang: Lang) -> &'static str {
    text(id, lang).unwrap_or_default()
}

/// The summary and the long text of a doc-comment-like text, as clap's derive splits a doc
/// comment: the first paragraph without its final full stop, and the whole text when it has more
/// than one paragraph.
fn split(text: &'static str) -> (String, Option<&'static str>) {
    let (first, long) = match text.split_once("\n\n") {
        Some((first, _)) => (first, Some(text)),
        None => (text, None),
    };
    let short = match first.strip_suffix('.').or_else(|| first.strip_suffix('。')) {
        Some(s) if !s.ends_with('.') => s,
        _ => first,
    };
    (short.to_owned(), long)
}

/// The help of one value of an option (`format`, `doctor/format`, `color`), its summary only.
pub(crate) fn value(option: &str, value: &str, lang: Lang) -> String {
    text(&format!("{option}={value}"), lang)
        .map(|t| split(t).0)
        .unwrap_or_default()
}

/// `cmd` (the whole command line, as `args` defines it) with every text in `lang`, and the frame
/// clap draws around them in `lang` too: what `--help` and the man page show.
pub(crate) fn localise(cmd: Command, lang: Lang) -> Command {
    let cmd = texts(cmd, lang);
    if lang == Lang::En {
        // clap draws the frame in English itself.
        return cmd;
    }
    let mut cmd = cmd;
    // The built-in `--help`, `--version` and `help` exist once clap has built the command.
    cmd.build();
    frame(cmd, "", lang)
}

/// `cmd` with the texts of its commands, arguments and values in `lang`, nothing else changed:
/// what the shell completions describe options with.
pub(crate) fn texts(cmd: Command, lang: Lang) -> Command {
    let top = split(word("volact#about", lang)).0;
    words(cmd, "", lang).about(top)
}

/// The id of a command from its path (`""` is the top level).
fn command_id(path: &str) -> &str {
    if path.is_empty() { "volact" } else { path }
}

/// The path of the subcommand `name` of the command at `path`.
fn sub_path(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path} {name}")
    }
}

/// The id of an argument of the command at `path`.
fn arg_id(path: &str, arg: &str) -> String {
    if path.is_empty() {
        arg.to_owned()
    } else {
        format!("{path}/{arg}")
    }
}

/// The texts of the command at `path`, its arguments and its subcommands.
fn words(cmd: Command, path: &str, lang: Lang) -> Command {
    let id = command_id(path);
    let mut cmd = cmd;
    if let Some(t) = text(id, lang) {
        let (short, long) = split(t);
        cmd = cmd.about(short).long_about(long);
    }
    if let Some(t) = text(&format!("{id}#after"), lang) {
        cmd = cmd.after_help(t);
    }
    cmd = cmd.mut_args(|a| match text(&arg_id(path, a.get_id().as_str()), lang) {
        Some(t) => {
            let (short, long) = split(t);
            a.help(short).long_help(long)
        }
        None => a,
    });
    cmd.mut_subcommands(|s| {
        let sub = sub_path(path, s.get_name());
        words(s, &sub, lang)
    })
}

/// What clap draws around the texts, in `lang` (a built command: the built-in arguments and the
/// `help` subcommand are there).
fn frame(cmd: Command, path: &str, lang: Lang) -> Command {
    let template = template(&cmd, lang);
    let cmd = cmd.help_template(template).mut_args(|a| builtin(a, lang));
    let cmd = cmd.mut_args(|a| {
        let id = arg_id(path, a.get_id().as_str());
        defaults_and_values(a, &id, lang)
    });
    cmd.mut_subcommands(|s| {
        // clap's own `help` subcommand (volact has no other of that name).
        let s = if s.get_name() == "help" {
            let s = s.about(word("clap#help-command", lang));
            if s.get_arguments().any(|a| a.get_id() == "subcommand") {
                s.mut_arg("subcommand", |a| {
                    a.help(word("clap#help-command/subcommand", lang))
                })
            } else {
                s
            }
        } else {
            s
        };
        let sub = sub_path(path, s.get_name());
        frame(s, &sub, lang)
    })
}

/// The help template: clap's default with its headings in `lang` (clap adds an ASCII colon to
/// headings it draws, so the headings are drawn here, only for the sections the command has).
fn template(cmd: &Command, lang: Lang) -> String {
    let mut t = format!(
        "{{before-help}}{{about-with-newline}}\n{}{{usage}}\n\n",
        word("clap#usage", lang)
    );
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        t.push_str(word("clap#commands", lang));
        t.push_str("\n{subcommands}\n\n");
    }
    if cmd.get_positionals().any(|a| !a.is_hide_set()) {
        t.push_str(word("clap#arguments", lang));
        t.push_str("\n{positionals}\n\n");
    }
    t.push_str(word("clap#options", lang));
    t.push_str("\n{options}{after-help}");
    t
}

/// The built-in `--help` and `--version` in `lang`.
fn builtin(a: Arg, lang: Lang) -> Arg {
    match a.get_id().as_str() {
        "help" if a.get_long_help().is_some() => a
            .help(word("clap#help-short", lang))
            .long_help(word("clap#help-long", lang)),
        "help" => a.help(word("clap#help", lang)),
        "version" => a.help(word("clap#version", lang)),
        _ => a,
    }
}

/// `[default: ...]`, `[aliases: ...]` and the possible values, which clap writes in English,
/// written into the help text of the argument `id` in `lang` instead, where clap puts them: after
/// the summary, and in the long help the values one per line (with their help), then the default.
fn defaults_and_values(a: Arg, id: &str, lang: Lang) -> Arg {
    let mut a = a;
    let mut short = a.get_help().map(ToString::to_string).unwrap_or_default();
    let mut long = a.get_long_help().map(ToString::to_string);
    let summary = short.clone();
    let takes_values = a.get_action().takes_values();
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let default = (takes_values && !defaults.is_empty() && !a.is_hide_default_value_set())
        .then(|| format!("[{}{}]", word("clap#default", lang), defaults.join(", ")));
    if let Some(d) = &default {
        short = format!("{short} {d}");
        a = a.hide_default_value(true);
    }
    let visible: Vec<String> = a
        .get_visible_aliases()
        .unwrap_or_default()
        .iter()
        .map(|n| format!("--{n}"))
        .collect();
    if !visible.is_empty() {
        short = format!(
            "{short} [{}{}]",
            word("clap#aliases", lang),
            visible.join(", ")
        );
        // Every alias still works, none is shown by clap.
        let all: Vec<String> = a
            .get_all_aliases()
            .unwrap_or_default()
            .iter()
            .map(ToString::to_string)
            .collect();
        a = a.visible_alias(None);
        for n in all {
            a = a.alias(n);
        }
    }
    let values: Vec<_> = a
        .get_possible_values()
        .into_iter()
        .filter(|v| !v.is_hide_set())
        .collect();
    if takes_values && !values.is_empty() && !a.is_hide_possible_values_set() {
        let names: Vec<&str> = values.iter().map(|v| v.get_name()).collect();
        short = format!(
            "{short} [{}{}]",
            word("clap#values", lang),
            names.join(", ")
        );
        if values.iter().any(|v| v.get_help().is_some()) {
            let mut l = long.take().unwrap_or(summary);
            l.push_str("\n\n");
            l.push_str(word("clap#values-long", lang));
            for v in &values {
                let help = value(id, v.get_name(), lang);
                l.push_str(&format!("\n- {}：{help}", v.get_name()));
            }
            long = Some(l);
        }
        a = a.hide_possible_values(true);
    }
    if let (Some(l), Some(d)) = (&mut long, &default) {
        l.push_str("\n\n");
        l.push_str(d);
    }
    let a = a.help(short);
    match long {
        Some(l) => a.long_help(l),
        None => a,
    }
}

/// A man page rendered by clap_mangen with its section headings (`.SH NAME`, ...) in `lang`, and
/// the lists of values written into the help (`- text：...`) kept one per line.
pub(crate) fn man_page(roff: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return roff.to_owned();
    }
    let mut out = String::with_capacity(roff.len());
    for line in roff.split_inclusive('\n') {
        let heading = line.strip_prefix(".SH ").map(str::trim_end);
        match heading.and_then(|h| text(&format!("man#{h}"), lang)) {
            Some(t) => {
                out.push_str(".SH ");
                out.push_str(t);
                out.push('\n');
            }
            None => {
                if line.starts_with("\\- ") {
                    out.push_str(".br\n");
                }
                out.push_str(line);
            }
        }
    }
    out
}
