//! Inputs: files, directories and standard input, recognised by content (not by name).

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

use crate::analyze::{Analyzer, InputSummary};
use crate::forms::Form;
use volact_core::Lang;

/// Directory depth followed when expanding directories.
pub const MAX_DEPTH: usize = 8;

/// What an input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A binary .evtx log.
    Evtx,
    /// Event XML.
    Xml,
    /// Text (Event Viewer copies, `wevtutil qe /f:text`, logs with Info lines).
    Text,
    /// JSON or JSON Lines (`evtx_dump`, EvtxECmd, hayabusa, Wazuh alerts).
    Json,
    /// CSV with an event ID column (EvtxECmd).
    Csv,
}

impl Kind {
    /// `evtx`, `xml` or `text`.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Evtx => "evtx",
            Kind::Xml => "xml",
            Kind::Text => "text",
            Kind::Json => "json",
            Kind::Csv => "csv",
        }
    }
}

/// Bytes looked at to recognise an input.
pub const HEAD: usize = 1024;

/// Guesses the kind from the first bytes (up to [`HEAD`]): by content, never by name.
pub fn sniff(head: &[u8]) -> Kind {
    if head.starts_with(b"ElfFile\0") {
        return Kind::Evtx;
    }
    // An ASCII view: without a BOM and the NUL bytes of UTF-16.
    let text: Vec<u8> = head
        .iter()
        .copied()
        .filter(|&b| !matches!(b, 0 | 0xEF | 0xBB | 0xBF | 0xFF | 0xFE))
        .collect();
    let t = String::from_utf8_lossy(&text);
    let t = t.trim_start();
    match t.as_bytes().first() {
        Some(b'<') => return Kind::Xml,
        Some(b'{' | b'[') => return Kind::Json,
        // Event Viewer's "XML View" pasted with its tree markers: `- <Event …`.
        Some(b'-') if t[1..].trim_start().starts_with('<') => return Kind::Xml,
        _ => {}
    }
    // `evtx_dump -o json`: "Record 1" before each object.
    if let Some(rest) = t.strip_prefix("Record ") {
        let after = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        if after.len() < rest.len() && after.trim_start().starts_with('{') {
            return Kind::Json;
        }
    }
    let first_line = t.lines().next().unwrap_or("");
    if crate::forms::csv::is_header(first_line) {
        return Kind::Csv;
    }
    Kind::Text
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
    let before = Counts::of(an);
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
    summary(
        name,
        an,
        &before,
        result.map_err(|e| e.message(&path.display().to_string(), lang)),
    )
}

/// The counts of an analyzer, taken before an input is read.
#[derive(Debug, Clone, Copy)]
pub struct Counts {
    read: u64,
    used: u64,
    skipped: u64,
    other: u64,
    no_id: u64,
    bad: u64,
    filtered: u64,
}

impl Counts {
    /// The counts of `an` now.
    pub fn of(an: &Analyzer) -> Self {
        use crate::analyze::SkipReason as S;
        Self {
            read: an.records_read(),
            used: an.events_used(),
            skipped: an.records_skipped(),
            other: an.skipped_for(S::OtherEvent) + an.skipped_for(S::NoEventId),
            no_id: an.skipped_for(S::NoEventId),
            bad: an.skipped_for(S::BadData),
            filtered: an.skipped_for(S::OutsideTimeRange)
                + an.skipped_for(S::NoTime)
                + an.skipped_for(S::OtherClient),
        }
    }
}

/// The summary of one input read into `an` since `before` was taken: its counts, its form, and
/// why it gave no activation event when it gave none.
pub fn summary(
    name: String,
    an: &Analyzer,
    before: &Counts,
    result: Result<crate::forms::Form, String>,
) -> InputSummary {
    use crate::analyze::NothingUsed as N;
    let now = Counts::of(an);
    let (form, error) = match result {
        Ok(f) => (Some(f), None),
        Err(e) => (None, Some(e)),
    };
    let read = now.read - before.read;
    let used = now.used - before.used;
    let skipped = now.skipped - before.skipped;
    let nothing_used = (form.is_some() && used == 0).then(|| {
        let (other, bad, filtered) = (
            now.other - before.other,
            now.bad - before.bad,
            now.filtered - before.filtered,
        );
        if read == 0 {
            N::NoRecords
        } else if bad > 0 && bad >= filtered {
            N::Unreadable { records: bad }
        } else if filtered > 0 {
            N::Filtered { records: filtered }
        } else if now.no_id - before.no_id == read {
            N::NoEventIds { records: read }
        } else if other >= skipped {
            N::NoActivationEvents { records: read }
        } else {
            N::Damaged {
                records: skipped - other,
            }
        }
    });
    InputSummary {
        name,
        kind: form.map(|f| kind_of(f).id()),
        records_read: read,
        events_used: used,
        records_skipped: skipped,
        error,
        form: form.map(crate::forms::Form::id),
        nothing_used,
    }
}

/// The broad kind of a form.
fn kind_of(f: crate::forms::Form) -> Kind {
    use crate::forms::Form as F;
    match f {
        F::Evtx => Kind::Evtx,
        F::EventXml | F::XmlViewPaste => Kind::Xml,
        F::Text | F::WevtutilText | F::EventViewerCopy => Kind::Text,
        F::EvtxDumpJson
        | F::EvtxEcmdJson
        | F::WazuhJson
        | F::EventJson
        | F::PowerShellJson
        | F::Json => Kind::Json,
        F::EvtxEcmdCsv | F::Csv => Kind::Csv,
    }
}

fn read_file(name: &str, mut f: File, an: &mut Analyzer) -> Result<Form, InputError> {
    let mut head = [0u8; HEAD];
    let n = volact_core::text::read_full(&mut f, &mut head).map_err(InputError::Read)?;
    let kind = sniff(&head[..n]);
    use std::io::Seek;
    f.seek(io::SeekFrom::Start(0)).map_err(InputError::Read)?;
    match kind {
        Kind::Evtx => {
            crate::evtx::read_evtx_file(&f, name, an).map_err(InputError::Evtx)?;
            Ok(Form::Evtx)
        }
        _ => read_sniffed(kind, name, f, an).map(|form| refine(form, &head[..n])),
    }
}

/// The form read from an input whose first bytes are `head`: event XML whose first mark is `-`
/// is a paste of Event Viewer's "XML View".
pub fn refine(form: Form, head: &[u8]) -> Form {
    let first = head.iter().find(|b| {
        !matches!(
            b,
            0 | 0xEF | 0xBB | 0xBF | 0xFF | 0xFE | b' ' | b'\t' | b'\r' | b'\n'
        )
    });
    match (form, first) {
        (Form::EventXml, Some(b'-')) => Form::XmlViewPaste,
        _ => form,
    }
}

/// Reads an input of a kind other than `.evtx` (already sniffed) into `an`; the form it was
/// recognised as.
pub fn read_sniffed<R: Read + Send>(
    kind: Kind,
    name: &str,
    r: R,
    an: &mut Analyzer,
) -> Result<Form, InputError> {
    match kind {
        Kind::Evtx => {
            crate::evtx::read_evtx_stream(r, name, an).map_err(InputError::Evtx)?;
            Ok(Form::Evtx)
        }
        Kind::Xml => Ok(crate::xml::read_xml_form(name, r, an)),
        Kind::Text => crate::forms::text::read_text(name, r, an).map_err(InputError::Read),
        Kind::Json => crate::forms::json::read_json(name, r, an).map_err(InputError::Read),
        Kind::Csv => crate::forms::csv::read_csv(name, r, an).map_err(InputError::Read),
    }
}

/// Reads a stream of unknown kind (standard input), in bounded memory whatever its length
/// (a .evtx stream is read chunk by chunk); an error is worded in English.
pub fn read_stream<R: Read + Send>(name: &str, r: R, an: &mut Analyzer) -> Result<Kind, String> {
    read_stream_typed(name, r, an)
        .map(kind_of)
        .map_err(|e| e.message(name, Lang::En))
}

/// Like [`read_stream`], with the error typed.
pub fn read_stream_typed<R: Read + Send>(
    name: &str,
    mut r: R,
    an: &mut Analyzer,
) -> Result<Form, InputError> {
    let mut head = [0u8; HEAD];
    let n = volact_core::text::read_full(&mut r, &mut head).map_err(InputError::Read)?;
    let kind = sniff(&head[..n]);
    let chained = Cursor::new(head[..n].to_vec()).chain(r);
    match kind {
        Kind::Evtx => {
            crate::evtx::read_evtx_stream(chained, name, an).map_err(InputError::Evtx)?;
            Ok(Form::Evtx)
        }
        _ => read_sniffed(kind, name, chained, an).map(|form| refine(form, &head[..n])),
    }
}

/// Reads event XML (see [`crate::xml::read_xml`]).
pub fn read_xml<R: Read>(name: &str, r: R, an: &mut Analyzer) {
    crate::xml::read_xml(name, r, an);
}

/// Reads text: Event Viewer copies (with their event XML, in any language), `wevtutil qe
/// /f:text`, support articles and logs with Info lines (see [`crate::forms::text`]).
pub fn read_text<R: Read>(name: &str, r: R, an: &mut Analyzer) -> io::Result<()> {
    crate::forms::text::read_text(name, r, an).map(|_| ())
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
        assert_eq!(sniff(b"- <Event xmlns=\"x\"> - <System>"), Kind::Xml);
        assert_eq!(sniff(b"\r\n  - <Event>"), Kind::Xml);
        assert_eq!(sniff(b"- item one\n- item two"), Kind::Text);
        assert_eq!(sniff(b"{\"Event\":{}}"), Kind::Json);
        assert_eq!(sniff(b"[\n  {"), Kind::Json);
        assert_eq!(sniff(b"Record 426\n{\"Event\""), Kind::Json);
        assert_eq!(sniff(b"Record keeping notes"), Kind::Text);
        assert_eq!(
            sniff(b"RecordNumber,EventRecordId,TimeCreated,EventId,Level,Provider,Channel"),
            Kind::Csv
        );
        assert_eq!(sniff(b"Event[0]:\r\n  Log Name: Application"), Kind::Text);
    }
}
