// Shared by build.rs and tests/wording.rs through `include!`: one list of internal words.

/// Words of the project's own workshop that must never reach a user through the knowledge base
/// (ASCII ones as whole words, any case). Included by `build.rs` (knowledge-base files) and by
/// `tests/wording.rs` (rendered output), so both check one list.
const INTERNAL_WORDS: &[&str] = &[
    "seed",
    "seeds",
    "fixture",
    "fixtures",
    "todo",
    "fixme",
    "xxx",
    "tbd",
    "stub",
    "placeholder",
    "lorem",
    "dummy",
    "種子",
    "待辦",
    "佔位",
    "占位",
    "測試資料",
    "假資料",
];

/// The first internal word in `text`, if any.
fn internal_word(text: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    INTERNAL_WORDS.iter().copied().find(|w| {
        lower.match_indices(w).any(|(i, _)| {
            if !w.is_ascii() {
                return true;
            }
            let before = lower[..i].chars().next_back();
            let after = lower[i + w.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}
