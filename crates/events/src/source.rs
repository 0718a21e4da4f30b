//! Inputs: files, directories and standard input, recognised by content (not by name).

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

use volact_core::Lang;
use volact_core::event::text::TextEventReader;

use crate::analyze::{Analyzer, InputSummary};

/// Directory depth followed when expanding directories.
pub const MAX_DEPTH: usize = 8;

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

/// Why an entry met while expanding directories was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotRead {
    /// A directory that could not be listed (the system's message).
    Unlisted(String),
    /// A directory deeper than [`MAX_DEPTH`] levels.
    TooDeep,
    /// A directory reached again through a link (a loop, or a second way to one directory):
    /// its files are read once.
    Loop {
        /// The directory it is, as first reached.
        first: PathBuf,
    },
    /// A file reached again through a link: read once.
    SameFile {
        /// The path it was read under.
        first: PathBuf,
    },
    /// A FIFO, socket or device: it may never end, or wait for a writer, so only a path given
    /// on its own is read as a stream.
    Special,
    /// A link that leads nowhere, or an entry whose type could not be read (the system's
    /// message).
    Unreachable(String),
}

/// Files under `paths` (directories expanded recursively, sorted); `-` stays as is.
/// Entries not read are reported in the second list, with the reason in English.
pub fn expand(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    expand_in(paths, Lang::En)
}

/// Like [`expand`], with the reasons in `lang`.
pub fn expand_in(paths: &[PathBuf], lang: Lang) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let (files, skipped) = expand_typed(paths);
    let skipped = skipped
        .into_iter()
        .map(|(p, why)| (p, why.message(lang)))
        .collect();
    (files, skipped)
}

/// Like [`expand`], with the reasons typed. Every directory is listed once, whatever links lead
/// to it (links back to a folder being read are loops: reported, not followed), and every file
/// is listed once; FIFOs, sockets and devices inside folders are reported, not read.
pub fn expand_typed(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, NotRead)>) {
    let mut w = Walk::default();
    for p in paths {
        if p.as_os_str() == "-" || !p.is_dir() {
            w.files.push(p.clone());
        } else {
            w.dir(p, 0);
        }
    }
    (w.files, w.skipped)
}

/// A walk through directories: what was found, and what was seen (by canonical path).
#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    skipped: Vec<(PathBuf, NotRead)>,
    dirs_seen: std::collections::HashMap<PathBuf, PathBuf>,
    files_seen: std::collections::HashMap<PathBuf, PathBuf>,
}

impl Walk {
    fn dir(&mut self, dir: &Path, depth: usize) {
        // The canonical path names a directory once, whatever links lead to it.
        let real = match std::fs::canonicalize(dir) {
            Ok(r) => r,
            Err(e) => {
                self.skipped
                    .push((dir.to_path_buf(), NotRead::Unreachable(e.to_string())));
                return;
            }
        };
        if let Some(first) = self.dirs_seen.get(&real) {
            self.skipped.push((
                dir.to_path_buf(),
                NotRead::Loop {
                    first: first.clone(),
                },
            ));
            return;
        }
        if depth > MAX_DEPTH {
            self.skipped.push((dir.to_path_buf(), NotRead::TooDeep));
            return;
        }
        self.dirs_seen.insert(real, dir.to_path_buf());
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                self.skipped
                    .push((dir.to_path_buf(), NotRead::Unlisted(e.to_string())));
                return;
            }
        };
        entries.sort();
        for p in entries {
            // Through links, as the files they lead to are read.
            let meta = match std::fs::metadata(&p) {
                Ok(m) => m,
                Err(e) => {
                    self.skipped.push((p, NotRead::Unreachable(e.to_string())));
                    continue;
                }
            };
            if meta.is_dir() {
                self.dir(&p, depth + 1);
            } else if meta.is_file() {
                match std::fs::canonicalize(&p) {
                    Ok(real) => {
                        if let Some(first) = self.files_seen.get(&real) {
                            let first = first.clone();
                            self.skipped.push((p, NotRead::SameFile { first }));
                        } else {
                            self.files_seen.insert(real, p.clone());
                            self.files.push(p);
                        }
                    }
                    Err(e) => self.skipped.push((p, NotRead::Unreachable(e.to_string()))),
                }
            } else {
                self.skipped.push((p, NotRead::Special));
            }
        }
    }
}

/// Why an input could not be read at all.
#[derive(Debug)]
#[non_exhaustive]
pub enum InputError {
    /// It could not be opened.
    Open(io::Error),
    /// Reading it failed.
    Read(io::Error),
    /// It starts like a .evtx file but its file header cannot be read.
    Evtx(crate::evtx::ReadError),
}

/// Reads one input (a file path, or `-` for standard input) into `an`; an error is worded in
/// English.
pub fn read_input(path: &Path, an: &mut Analyzer) -> InputSummary {
    read_input_in(path, an, Lang::En)
}

/// Like [`read_input`], an error worded in `lang`. A path that is not a regular file (a FIFO, a
/// device) is read as a stream, in bounded memory.
pub fn read_input_in(path: &Path, an: &mut Analyzer, lang: Lang) -> InputSummary {
    let name = path.display().to_string();
    let before = (an.records_read(), an.events_used(), an.records_skipped());
    let result = if path.as_os_str() == "-" {
        read_stream_typed(&name, io::stdin(), an)
    } else {
        match File::open(path) {
            Err(e) => Err(InputError::Open(e)),
            Ok(f) => {
                // A FIFO or a device cannot seek: read as a stream, as standard input is.
                let regular = f.metadata().is_ok_and(|m| m.is_file());
                if regular {
                    read_file(&name, f, an)
                } else {
                    read_stream_typed(&name, f, an)
                }
            }
        }
    };
    let (kind, error) = match result {
        Ok(k) => (Some(k.id()), None),
        Err(e) => (None, Some(e.message(&name, lang))),
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

fn read_file(name: &str, mut f: File, an: &mut Analyzer) -> Result<Kind, InputError> {
    let mut head = [0u8; 64];
    let n = read_head(&mut f, &mut head).map_err(InputError::Read)?;
    let kind = sniff(&head[..n]);
    use std::io::Seek;
    f.seek(io::SeekFrom::Start(0)).map_err(InputError::Read)?;
    match kind {
        Kind::Evtx => crate::evtx::read_evtx_file(&f, name, an).map_err(InputError::Evtx)?,
        Kind::Xml => read_xml(name, f, an),
        Kind::Text => read_text(name, f, an).map_err(InputError::Read)?,
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

/// Reads a stream of unknown kind (standard input), in bounded memory whatever its length
/// (a .evtx stream is read chunk by chunk); an error is worded in English.
pub fn read_stream<R: Read + Send>(name: &str, r: R, an: &mut Analyzer) -> Result<Kind, String> {
    read_stream_typed(name, r, an).map_err(|e| e.message(name, Lang::En))
}

/// Like [`read_stream`], with the error typed.
pub fn read_stream_typed<R: Read + Send>(
    name: &str,
    mut r: R,
    an: &mut Analyzer,
) -> Result<Kind, InputError> {
    let mut head = [0u8; 64];
    let n = read_head(&mut r, &mut head).map_err(InputError::Read)?;
    let kind = sniff(&head[..n]);
    let chained = Cursor::new(head[..n].to_vec()).chain(r);
    match kind {
        Kind::Evtx => {
            crate::evtx::read_evtx_stream(chained, name, an).map_err(InputError::Evtx)?;
        }
        Kind::Xml => read_xml(name, chained, an),
        Kind::Text => read_text(name, chained, an).map_err(InputError::Read)?,
    }
    Ok(kind)
}

/// Reads event XML (see [`crate::xml::read_xml`]).
pub fn read_xml<R: Read>(name: &str, r: R, an: &mut Analyzer) {
    crate::xml::read_xml(name, r, an);
}

/// Reads text through [`TextEventReader`].
pub fn read_text<R: Read>(name: &str, r: R, an: &mut Analyzer) -> io::Result<()> {
    let mut reader = TextEventReader::new();
    let mut out = Vec::new();
    let mut line_no = 0u64;
    let lines = volact_core::text::for_each_line(r, crate::decode::MAX_LINE, |line, _| {
        line_no += 1;
        let s = String::from_utf8_lossy(line);
        reader.push_line(&s, line_no, &mut out);
        for te in out.drain(..) {
            an.read(1);
            an.event(te.event);
        }
    })?;
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
    if lines.cut > 0 {
        an.warn(
            name,
            crate::WarningKind::LinesCut {
                count: lines.cut,
                max: crate::decode::MAX_LINE,
            },
        );
    }
    if lines.replaced {
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
