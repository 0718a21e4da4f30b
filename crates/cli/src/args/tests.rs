use super::*;

#[test]
fn cli_definition_is_consistent() {
    command(Lang::En).debug_assert();
    command(Lang::ZhTw).debug_assert();
}

#[test]
fn lang_is_found_before_clap_parses() {
    let args = |s: &str| -> Vec<std::ffi::OsString> { s.split(' ').map(Into::into).collect() };
    assert_eq!(
        lang_in(args("volact --lang zh-TW --help")),
        Some(Lang::ZhTw)
    );
    assert_eq!(
        lang_in(args("volact explain --lang=zh-TW -h")),
        Some(Lang::ZhTw)
    );
    assert_eq!(
        lang_in(args("volact --lang en scan --help")),
        Some(Lang::En)
    );
    assert_eq!(lang_in(args("volact --lang fr --help")), None);
    assert_eq!(lang_in(args("volact explain -- --lang zh-TW")), None);
    assert_eq!(lang_in(args("volact --help")), None);
}

#[test]
fn every_format_has_a_name_that_parses_back() {
    for f in Format::ALL {
        let cmd = clap::Command::new("t").arg(
            clap::Arg::new("f")
                .long("format")
                .value_parser(choice("format", Format::ALL)),
        );
        let m = cmd
            .try_get_matches_from(["t", "--format", f.name()])
            .unwrap();
        assert_eq!(m.get_one::<Format>("f"), Some(f));
    }
}
