//! Hostile inputs found by attacking the release binary (issue #14 judging).

use volact_core::Lang;
use volact_scan::{Options, render, scan_bytes};

const GROUPS: [&str; 4] = ["QXBCD", "FGHJK", "MPRTV", "WXY23"];

/// A key wrapped across lines, on the line of an error code: the context of the match is one line,
/// where the groups left no longer look like a key, so they were shown.
#[test]
fn a_key_wrapped_across_lines_is_not_shown_in_a_context() {
    for text in [
        "error 0xC004F074 with key QXBCD-FGHJK-MPRTV-\r\nWXY23-46789 typed\r\n",
        "typed QXBCD-FGHJK-\nMPRTV-WXY23-46789 then error 0xC004F074\n",
        "a\nQXBCD\nFGHJK\nMPRTV\nWXY23\n46789 0xC004F074\n",
        "0xC004F074 key QXBCD-\nFGHJK-\nMPRTV-\nWXY23-\n46789\n",
    ] {
        let r = scan_bytes("t", text.as_bytes(), &Options::default()).report(Lang::En);
        assert!(!r.matches.is_empty(), "{text:?}: the code is found");
        let json = render::json(&r);
        for g in GROUPS {
            assert!(!json.contains(g), "{text:?}: {g} in {json}");
        }
    }
}

/// Lines around a key that do not hold one keep their context as it was.
#[test]
fn contexts_without_wrapped_keys_are_unchanged() {
    let text = "first line QXBCD\nerror 0xC004F074 here FGHJK\nlast\n";
    let r = scan_bytes("t", text.as_bytes(), &Options::default()).report(Lang::En);
    assert_eq!(r.matches[0].m.context, "error 0xC004F074 here FGHJK");
}
