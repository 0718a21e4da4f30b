//! NDJSON: one compact JSON value a line, each ended by `\n`.

use std::io;

use serde::Serialize;

/// Writes one JSON value a line.
///
/// ```
/// use volact_core::out::ndjson::Writer;
/// let mut w = Writer::new(Vec::new());
/// w.line(&serde_json::json!({"count": 25})).unwrap();
/// assert_eq!(w.into_inner(), b"{\"count\":25}\n");
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

    /// Writes `value` and a line break.
    pub fn line<T: Serialize + ?Sized>(&mut self, value: &T) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, value)?;
        self.out.write_all(b"\n")
    }

    /// The writer it was made over.
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// The lines of `values` as one string (for renderers that return a `String`).
pub fn to_string<T: Serialize>(values: impl IntoIterator<Item = T>) -> String {
    let mut w = Writer::new(Vec::new());
    for v in values {
        // Writing into a Vec cannot fail, and every value volact writes serialises.
        let _ = w.line(&v);
    }
    String::from_utf8(w.into_inner()).unwrap_or_default()
}
