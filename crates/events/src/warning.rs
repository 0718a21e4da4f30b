//! Warnings about damaged or partly read input, with their text in English and Traditional Chinese.

use serde::Serialize;
use volact_core::event::text::TextProblemKind;
use volact_core::key::redact_keys_in;

/// A warning about one input: which file, and what happened (a stable `kind` and its details).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// The input's name.
    pub file: String,
    /// What happened.
    #[serde(flatten)]
    pub kind: WarningKind,
}

/// What a [`Warning`] is about. Serialised as `kind` (snake case) with the details beside it.
/// `error` details come from the EVTX or XML reader and are in English only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningKind {
    /// The file ends inside a chunk (the records of that chunk before the end are read).
    Truncated {
        /// Bytes after the last whole chunk.
        bytes: u64,
    },
    /// Chunks with wrong CRC32 checksums (their records were read anyway).
    BadChecksums {
        /// How many chunks.
        chunks: u64,
    },
    /// One chunk could not be parsed and was skipped.
    ChunkNotParsed {
        /// Chunk number (0-based).
        chunk: usize,
        /// The reader's error.
        error: String,
    },
    /// A record of a chunk could not be read.
    RecordUnreadable {
        /// Chunk number (0-based).
        chunk: usize,
        /// The reader's error.
        error: String,
    },
    /// Too many damaged records in a row: the rest of the chunk was skipped.
    TooManyDamagedRecords {
        /// Chunk number (0-based).
        chunk: usize,
    },
    /// A record could not be rendered to XML.
    RecordNotRendered {
        /// Event record ID.
        record: u64,
        /// The reader's error.
        error: String,
    },
    /// A record's XML could not be read.
    RecordBadXml {
        /// Event record ID.
        record: u64,
        /// The reader's error.
        error: String,
    },
    /// Consecutive chunks could not be read and were skipped.
    ChunksSkipped {
        /// How many chunks (1 or more).
        count: usize,
        /// The error of the first one.
        error: String,
    },
    /// An XML file stopped being readable; the rest was not read.
    XmlRestUnread {
        /// The reader's error.
        error: String,
    },
    /// Over-long lines were cut.
    LinesCut {
        /// How many lines.
        count: u64,
        /// The longest line kept, in bytes.
        max: usize,
    },
    /// Invalid byte sequences were replaced.
    BytesReplaced,
    /// Records a chunk's header lists that could not be read (cut off, zeroed or damaged).
    RecordsMissing {
        /// Chunk number (0-based, in the file).
        chunk: u64,
        /// Records the chunk header lists.
        listed: u64,
        /// Records read from the chunk.
        read: u64,
    },
    /// A note, not damage: record numbers absent between two consecutive chunks (cleared, or
    /// overwritten as the log wrapped, or a chunk zeroed between used ones).
    RecordsAbsent {
        /// The first absent record number.
        first: u64,
        /// The last absent record number.
        last: u64,
    },
    /// The file could not be read at all (`error` is the whole English sentence).
    FileUnreadable {
        /// The reader's error.
        error: String,
    },
    /// The XML reader cut or skipped something over a limit (one warning per kind).
    XmlCut(crate::xml::limits::XmlCut),
    /// Records of a JSON or CSV input that could not be read (counted as skipped); where the
    /// first one is and why.
    RecordsUnread(crate::forms::Unread),
}

impl Warning {
    /// A warning about `file` (product keys in the texts are redacted).
    pub fn new(file: &str, kind: WarningKind) -> Self {
        let mut kind = kind;
        match &mut kind {
            WarningKind::ChunkNotParsed { error, .. }
            | WarningKind::RecordUnreadable { error, .. }
            | WarningKind::RecordNotRendered { error, .. }
            | WarningKind::RecordBadXml { error, .. }
            | WarningKind::ChunksSkipped { error, .. }
            | WarningKind::XmlRestUnread { error }
            | WarningKind::FileUnreadable { error } => {
                *error = redact_keys_in(error).into_owned();
            }
            _ => {}
        }
        Self {
            file: redact_keys_in(file).into_owned(),
            kind,
        }
    }

    /// The stable identifier of the kind (as in the JSON `kind` field).
    pub fn kind_id(&self) -> &'static str {
        use WarningKind as K;
        match self.kind {
            K::Truncated { .. } => "truncated",
            K::BadChecksums { .. } => "bad_checksums",
            K::ChunkNotParsed { .. } => "chunk_not_parsed",
            K::RecordUnreadable { .. } => "record_unreadable",
            K::TooManyDamagedRecords { .. } => "too_many_damaged_records",
            K::RecordNotRendered { .. } => "record_not_rendered",
            K::RecordBadXml { .. } => "record_bad_xml",
            K::ChunksSkipped { .. } => "chunks_skipped",
            K::XmlRestUnread { .. } => "xml_rest_unread",
            K::LinesCut { .. } => "lines_cut",
            K::BytesReplaced => "bytes_replaced",
            K::RecordsMissing { .. } => "records_missing",
            K::RecordsAbsent { .. } => "records_absent",
            K::FileUnreadable { .. } => "file_unreadable",
            K::XmlCut(_) => "xml_cut",
            K::RecordsUnread(_) => "records_unread",
        }
    }
}

/// An activation event whose data could not be read: where, which event, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadExample {
    /// Where (`file:line` for text input), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Event ID, when it was seen.
    pub id: Option<u32>,
    /// Why (a stable `kind` and its details).
    #[serde(flatten)]
    pub kind: TextProblemKind,
}

impl BadExample {
    /// A bad example (product keys in the texts are redacted).
    pub fn new(location: Option<String>, id: Option<u32>, kind: TextProblemKind) -> Self {
        let kind = match kind {
            TextProblemKind::BadField {
                index,
                field,
                value,
            } => TextProblemKind::BadField {
                index,
                field,
                value: redact_keys_in(&value).into_owned(),
            },
            k => k,
        };
        Self {
            location: location.map(|l| redact_keys_in(&l).into_owned()),
            id,
            kind,
        }
    }
}

#[cfg(test)]
mod tests;
