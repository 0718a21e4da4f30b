use super::*;

/// Every id the clap definition can ask for, each command and argument with the path it is
/// looked up under.
fn ids(cmd: &Command, path: &str, out: &mut Vec<String>) {
    let id = command_id(path);
    out.push(id.to_owned());
    out.push(format!("{id}#after"));
    for a in cmd.get_arguments() {
        let arg = arg_id(path, a.get_id().as_str());
        for v in a.get_possible_values() {
            out.push(format!("{arg}={}", v.get_name()));
            out.push(format!("{}={}", a.get_id(), v.get_name()));
        }
        out.push(arg);
        out.push(a.get_id().to_string());
    }
    for s in cmd.get_subcommands() {
        let sub = sub_path(path, s.get_name());
        ids(s, &sub, out);
    }
}

#[test]
fn every_command_and_argument_has_words_in_both_languages() {
    let cmd = crate::args::command(Lang::En);
    fn check(cmd: &Command, path: &str) {
        let id = command_id(path);
        for lang in [Lang::En, Lang::ZhTw] {
            assert!(text(id, lang).is_some_and(|t| !t.is_empty()), "{id}");
            for a in cmd.get_arguments() {
                let arg = arg_id(path, a.get_id().as_str());
                assert!(text(&arg, lang).is_some(), "{arg}");
                for v in a.get_possible_values() {
                    // Values with help (formats, colours) have it in both languages.
                    if v.get_help().is_some() {
                        assert!(
                            !value(&arg, v.get_name(), lang).is_empty(),
                            "{arg}={}",
                            v.get_name()
                        );
                    }
                }
            }
        }
        for s in cmd.get_subcommands() {
            let sub = sub_path(path, s.get_name());
            check(s, &sub);
        }
    }
    check(&cmd, "");
}

#[test]
fn every_row_of_the_table_is_used_and_ids_are_unique() {
    let mut known = Vec::new();
    ids(&crate::args::command(Lang::En), "", &mut known);
    let mut seen = std::collections::HashSet::new();
    for (id, en, zh) in PHRASES {
        assert!(seen.insert(id), "{id} twice");
        assert!(!en.is_empty() && !zh.is_empty(), "{id}");
        let frame = id.starts_with("clap#") || id.starts_with("man#") || *id == "volact#about";
        assert!(
            frame || known.iter().any(|k| k == id),
            "{id} names nothing in the CLI"
        );
    }
}

#[test]
fn summaries_lose_their_full_stop_as_in_clap() {
    assert_eq!(split("One sentence."), ("One sentence".to_owned(), None));
    assert_eq!(split("Etc.."), ("Etc..".to_owned(), None));
    assert_eq!(split("一句。"), ("一句".to_owned(), None));
    assert_eq!(
        split("First.\n\nSecond."),
        ("First".to_owned(), Some("First.\n\nSecond."))
    );
}

#[test]
fn man_page_headings_and_value_lists() {
    let roff = ".TH volact 1\n.SH NAME\nvolact\n.SH OPTIONS\n.TP\n可用的值：\n\\- json：JSON\n";
    assert_eq!(man_page(roff, Lang::En), roff);
    assert_eq!(
        man_page(roff, Lang::ZhTw),
        ".TH volact 1\n.SH 名稱\nvolact\n.SH 選項\n.TP\n可用的值：\n.br\n\\- json：JSON\n"
    );
}
