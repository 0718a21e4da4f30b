//! Markdown escaping, by where the text goes: a table cell ([`cell`]), running prose ([`text`])
//! or inline code ([`code`]).

use std::borrow::Cow;

/// Text for a table cell: `|` escaped and line breaks folded to spaces, nothing else touched, so
/// identifiers such as `SL_E_VL_…` read as they are.
///
/// ```
/// assert_eq!(volact_core::out::md::cell("a|b\nc"), "a\\|b c");
/// ```
pub fn cell(s: &str) -> Cow<'_, str> {
    if !s.contains(['|', '\n', '\r']) {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        match c {
            '|' => o.push_str("\\|"),
            '\r' => {}
            '\n' => o.push(' '),
            c => o.push(c),
        }
    }
    Cow::Owned(o)
}

/// Text for prose or a list item: the characters that start emphasis, links, HTML or tables
/// (`\` `*` `_` `` ` `` `[` `]` `<` `>` `|`) escaped with a backslash, line breaks folded.
///
/// ```
/// assert_eq!(volact_core::out::md::text("a *b* <c>"), "a \\*b\\* \\<c\\>");
/// ```
pub fn text(s: &str) -> Cow<'_, str> {
    const SPECIAL: [char; 11] = ['\\', '*', '_', '`', '[', ']', '<', '>', '|', '\n', '\r'];
    if !s.contains(SPECIAL) {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\r' => {}
            '\n' => o.push(' '),
            c if SPECIAL.contains(&c) => {
                o.push('\\');
                o.push(c);
            }
            c => o.push(c),
        }
    }
    Cow::Owned(o)
}

/// Inline code: `s` between enough backticks that none inside ends it, padded with a space when
/// it starts or ends with a backtick; line breaks folded.
///
/// ```
/// use volact_core::out::md::code;
/// assert_eq!(code("slmgr /dlv"), "`slmgr /dlv`");
/// assert_eq!(code("a`b"), "``a`b``");
/// ```
pub fn code(s: &str) -> String {
    let s = s.replace(['\r', '\n'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_identifiers() {
        assert_eq!(cell("SL_E_VL_BINDING"), "SL_E_VL_BINDING");
        assert!(matches!(cell("plain"), Cow::Borrowed(_)));
        assert_eq!(cell("x\r\ny"), "x y");
    }

    #[test]
    fn prose_escapes() {
        assert_eq!(text("[a](b)"), "\\[a\\](b)");
        assert_eq!(text("a\\b"), "a\\\\b");
    }

    #[test]
    fn code_fences() {
        assert_eq!(code("`x`"), "`` `x` ``");
        assert_eq!(code("a\nb"), "`a b`");
    }
}
