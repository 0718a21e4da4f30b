//! CSV as RFC 4180 writes it: fields separated by commas, quoted when they hold a comma, a quote
//! or a line break (quotes doubled), records ended by CRLF. Cells that a spreadsheet would run as a
//! formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) are prefixed with `'`,
//! unless the cell is a plain number such as `-3600`.

use std::borrow::Cow;
use std::io;

/// The record terminator RFC 4180 prescribes.
pub const LINE_END: &str = "\r\n";

/// Whether `s` is a plain decimal number (`-12`, `+3.5`), which no spreadsheet runs as a formula.
fn is_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut dot = false;
    !digits.is_empty()
        && digits.bytes().all(|b| match b {
            b'0'..=b'9' => true,
            b'.' if !dot => {
                dot = true;
                true
            }
            _ => false,
        })
        && digits.bytes().any(|b| b.is_ascii_digit())
}

/// One cell, defused and quoted as needed.
///
/// ```
/// use volact_core::out::csv::cell;
/// assert_eq!(cell("kms01"), "kms01");
/// assert_eq!(cell("a,b"), "\"a,b\"");
/// assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
/// assert_eq!(cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
/// assert_eq!(cell("-3600"), "-3600");
/// ```
pub fn cell(s: &str) -> Cow<'_, str> {
    let defuse = s.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(s);
    let quote = s.contains([',', '"', '\n', '\r']);
    match (defuse, quote) {
        (false, false) => Cow::Borrowed(s),
        (true, false) => Cow::Owned(format!("'{s}")),
        (d, true) => {
            let mut o = String::with_capacity(s.len() + 4);
            o.push('"');
            if d {
                o.push('\'');
            }
            o.push_str(&s.replace('"', "\"\""));
            o.push('"');
            Cow::Owned(o)
        }
    }
}

/// One record as a string, with its CRLF.
pub fn record<S: AsRef<str>>(cells: &[S]) -> String {
    let mut o = String::new();
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        o.push_str(&cell(c.as_ref()));
    }
    o.push_str(LINE_END);
    o
}

/// Writes records to `W`.
///
/// ```
/// use volact_core::out::csv::Writer;
/// let mut w = Writer::new(Vec::new());
/// w.record(&["name", "count"]).unwrap();
/// w.record(&["kms01, main", "25"]).unwrap();
/// assert_eq!(w.into_inner(), b"name,count\r\n\"kms01, main\",25\r\n");
/// ```
#[derive(Debug)]
pub struct Writer<W> {
    out: W,
}

impl<W: io::Write> Writer<W> {
    /// A writer over `out`.
    pub fn new(out: W) -> Self {
        Self { out }
    }

    /// Writes one record.
    pub fn record<S: AsRef<str>>(&mut self, cells: &[S]) -> io::Result<()> {
        self.out.write_all(record(cells).as_bytes())
    }

    /// The writer it was made over.
    pub fn into_inner(self) -> W {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defusal_spares_numbers_only() {
        for (i, o) in [
            ("-1", "-1"),
            ("+2.5", "+2.5"),
            ("-", "'-"),
            ("-.", "'-."),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("-1,2", "\"'-1,2\""),
            ("\r=1", "\"'\r=1\""),
            ("", ""),
        ] {
            assert_eq!(cell(i), o, "{i:?}");
        }
    }

    #[test]
    fn records_end_in_crlf() {
        assert_eq!(record(&["a", "b\nc"]), "a,\"b\nc\"\r\n");
    }
}
