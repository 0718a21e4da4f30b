//! No internal wording reaches users: every knowledge-base entry and every activation event ID,
//! explained in both languages and rendered as text, Markdown and JSON (values, not field names),
//! is free of the project's workshop words ("seed table" once reached users through 0xC004F014).
//! `build.rs` refuses the same words in the knowledge-base files.

use volact_core::code::Form;
use volact_core::explain::{Collector, event_ids, explain};
use volact_core::kb::{self, Lang};
use volact_core::render;

include!("../build_support/internal_words.rs");

fn json_strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| json_strings(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| json_strings(x, out)),
        _ => {}
    }
}

#[test]
fn the_word_check_itself_works() {
    assert_eq!(internal_word("The seed table points"), Some("seed"));
    assert_eq!(internal_word("種子表格指出"), Some("種子"));
    assert_eq!(internal_word("a TODO here"), Some("todo"));
    assert_eq!(internal_word("seedless succeeds; todos"), None);
}

#[test]
fn no_internal_wording_in_any_explanation() {
    for lang in Lang::ALL {
        let mut c = Collector::new();
        for e in kb::entries() {
            c.add_argument(&e.code.to_string());
        }
        for id in event_ids() {
            c.add_argument(&id.to_string());
        }
        c.add_argument("error 1722");
        let r = c.report(lang);
        assert!(r.results.len() > kb::entries().len());
        let mut texts = vec![render::report_text(&r, false), render::report_markdown(&r)];
        json_strings(&serde_json::to_value(&r).unwrap(), &mut texts);
        let entries: Vec<&kb::Entry> = kb::entries().iter().collect();
        texts.push(render::entries_text(&entries, lang, false));
        texts.push(render::entries_markdown(&entries, lang));
        for t in &texts {
            for line in t.lines() {
                assert!(
                    internal_word(line).is_none(),
                    "{lang:?}: {:?} in {line:?}",
                    internal_word(line)
                );
            }
        }
    }
    // An alias and a code written in decimal go through the same renderers.
    let e = explain(
        volact_core::ErrorCode::new(0x4004F065),
        Form::PrefixedHex,
        Lang::ZhTw,
    );
    assert!(internal_word(&e.summary).is_none());
}
