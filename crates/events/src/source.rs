//! Inputs: files, directories and standard input, recognised by content (not by name).

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

use volact_core::event::text::TextEventReader;

use crate::analyze::{Analyzer, InputSummary};
use crate::decode::{Utf8Reader, read_line_bounded};

/// Directory depth followed when expanding directories.
pub const MAX_DEPTH: usize = 8;
/// Largest .evtx read from standard input (it must be buffered to be seeked).
pub const MAX_STDIN_EVTX: u64 = 4 << 30;

/// What an input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A binary .evtx log.
    Evtx,
    /// Event XML.
    Xml,
    /// Text (Event Viewer copies, logs with Info lines).
    Text,
}

impl Kind {
    /// `evtx`, `xml` or `text`.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Evtx => "evtx",
            Kind::Xml => "xml",
            Kind::Text => "text",
        }
    }
}

/// Guesses the kind from the first bytes.
pub fn sniff(head: &[u8]) -> Kind {
    if head.starts_with(b"ElfFile\0") {
        return Kind::Evtx;
    }
    // Skip a BOM and white space, in UTF-8 or UTF-16.
    let first = head.iter().copied().find(|&b| {
        !matches!(
            b,
            0 | 0xEF | 0xBB | 0xBF | 0xFF | 0xFE | b' ' | b'\t' | b'\r' | b'\n'
        )
    });
    if first == Some(b'<') {
        Kind::Xml
    } else {
        Kind::Text
    }
}

/// Files under `paths` (directories expanded recursively, sorted); `-` stays as is.
/// Unreadable directories are reported in the second list.
pub fn expand(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" || !p.is_dir() {
            files.push(p.clone());
        } else {
            walk(p, 0, &mut files, &mut errors);
        }
    }
    (files, errors)
}

fn walk(dir: &Path, depth: usize, files: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    if depth > MAX_DEPTH {
        errors.push((
            dir.to_path_buf(),
            format!("deeper than {MAX_DEPTH} levels, not read"),
        ));
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(e) => {
            errors.push((dir.to_path_buf(), e.to_string()));
            return;
        }
    };
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, depth + 1, files, errors);
        } else if p.is_file() {
            files.push(p);
        }
    }
}

/// Reads one input (a file path, or `-` for standard input) into `an`.
pub fn read_input(path: &Path, an: &mut Analyzer) -> InputSummary {
    let name = path.display().to_string();
    let before = (an.records_read(), an.events_used(), an.records_skipped());
    let result = if path.as_os_str() == "-" {
        read_stream(&name, io::stdin().lock(), an)
    } else {
        File::open(path)
            .map_err(|e| format!("cannot open {name}: {e}"))
            .and_then(|f| read_file(&name, f, an))
    };
    let (kind, error) = match result {
        Ok(k) => (Some(k.id()), None),
        Err(e) => (None, Some(e)),
    };
    InputSummary {
        name,
        kind,
        records_read: an.records_read() - before.0,
        events_used: an.events_used() - before.1,
        records_skipped: an.records_skipped() - before.2,
        error,
    }
}

fn read_file(name: &str, mut f: File, an: &mut Analyzer) -> Result<Kind, String> {
    let mut head = [0u8; 64];
    let n = read_head(&mut f, &mut head).map_err(|e| format!("cannot read {name}: {e}"))?;
    let kind = sniff(&head[..n]);
    use std::io::Seek;
    f.seek(io::SeekFrom::Start(0))
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    match kind {
        Kind::Evtx => crate::evtx::read_evtx_file(&f, name, an)
            .map_err(|e| format!("{name} is not a readable .evtx file: {e}"))?,
        Kind::Xml => read_xml(name, f, an),
        Kind::Text => read_text(name, f, an).map_err(|e| format!("cannot read {name}: {e}"))?,
    }
    Ok(kind)
}

fn read_head(r: &mut impl Read, head: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < head.len() {
        match r.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Reads a stream of unknown kind (standard input).
pub fn read_stream<R: Read>(name: &str, mut r: R, an: &mut Analyzer) -> Result<Kind, String> {
    let mut head = [0u8; 64];
    let n = read_head(&mut r, &mut head).map_err(|e| format!("cannot read {name}: {e}"))?;
    let kind = sniff(&head[..n]);
    let chained = Cursor::new(head[..n].to_vec()).chain(r);
    match kind {
        Kind::Evtx => {
            let mut buf = Vec::new();
            chained
                .take(MAX_STDIN_EVTX)
                .read_to_end(&mut buf)
                .map_err(|e| format!("cannot read {name}: {e}"))?;
            crate::evtx::read_evtx(Cursor::new(buf), name, an)
                .map_err(|e| format!("{name} is not a readable .evtx file: {e}"))?;
        }
        Kind::Xml => read_xml(name, chained, an),
        Kind::Text => {
            read_text(name, chained, an).map_err(|e| format!("cannot read {name}: {e}"))?
        }
    }
    Ok(kind)
}

/// Reads event XML (see [`crate::xml::read_xml`]).
pub fn read_xml<R: Read>(name: &str, r: R, an: &mut Analyzer) {
    crate::xml::read_xml(name, r, an);
}

/// Reads text through [`TextEventReader`].
pub fn read_text<R: Read>(name: &str, r: R, an: &mut Analyzer) -> io::Result<()> {
    let mut dec = Utf8Reader::new(r);
    let mut reader = TextEventReader::new();
    let mut line = Vec::new();
    let mut out = Vec::new();
    let mut line_no = 0u64;
    let mut cut = 0u64;
    while let Some(was_cut) = read_line_bounded(&mut dec, &mut line)? {
        line_no += 1;
        if was_cut {
            cut += 1;
        }
        let s = String::from_utf8_lossy(&line);
        reader.push_line(&s, line_no, &mut out);
        for te in out.drain(..) {
            an.read(1);
            an.event(te.event);
        }
    }
    reader.finish(&mut out);
    for te in out.drain(..) {
        an.read(1);
        an.event(te.event);
    }
    for p in reader.problems() {
        an.read(1);
        an.bad(crate::BadExample::new(
            Some(format!("{name}:{}", p.line)),
            p.id,
            p.kind.clone(),
        ));
    }
    let unlisted = reader.problem_count() - reader.problems().len() as u64;
    if unlisted > 0 {
        an.read(unlisted);
        an.skip_n(crate::analyze::SkipReason::BadData, unlisted);
    }
    if cut > 0 {
        an.warn(
            name,
            crate::WarningKind::LinesCut {
                count: cut,
                max: crate::decode::MAX_LINE,
            },
        );
    }
    if dec.had_replacements() {
        an.warn(name, crate::WarningKind::BytesReplaced);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b"ElfFile\0\0\0"), Kind::Evtx);
        assert_eq!(sniff(b"  \r\n<Events>"), Kind::Xml);
        assert_eq!(sniff(b"\xEF\xBB\xBF<?xml"), Kind::Xml);
        assert_eq!(sniff(b"\xFF\xFE<\0E\0"), Kind::Xml);
        assert_eq!(sniff(b"Log Name: Application"), Kind::Text);
        assert_eq!(sniff(b""), Kind::Text);
    }
}
