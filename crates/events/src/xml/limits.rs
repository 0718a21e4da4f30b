//! The limits that bound the XML reader's time and memory, and what it cut to keep them.

use serde::Serialize;

/// Data items kept per event.
pub const MAX_ITEMS: usize = 64;
/// Text kept per data item (1003 status lists are long); single fields are cut further when typed.
pub const MAX_ITEM_TEXT: usize = 64 * 1024;
/// Longest text run between two tags passed to the parser, in bytes.
pub const MAX_TEXT: usize = 1024 * 1024;
/// Longest comment, CDATA section, processing instruction or DOCTYPE, in bytes.
pub const MAX_MARKUP: usize = 1024 * 1024;
/// Longest start tag (name and attributes), in bytes.
pub const MAX_TAG: usize = 1024 * 1024;
/// Longest element name, in bytes.
pub const MAX_NAME: usize = 1024;
/// Attributes kept per element.
pub const MAX_ATTRIBUTES: usize = 256;
/// Longest attribute value, in bytes.
pub const MAX_ATTRIBUTE_VALUE: usize = 64 * 1024;
/// Deepest nesting passed to the parser (event XML is 4-6 levels deep).
pub const MAX_DEPTH: usize = 64;

/// What the reader cut or skipped to keep time and memory bounded (see [`XmlCut`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CutWhat {
    /// A text run between two tags longer than [`MAX_TEXT`] bytes.
    Text,
    /// An attribute value longer than [`MAX_ATTRIBUTE_VALUE`] bytes.
    AttributeValue,
    /// An element with more than [`MAX_ATTRIBUTES`] attributes (the rest were dropped).
    Attributes,
    /// A tag longer than [`MAX_TAG`] bytes (its rest was dropped).
    Tag,
    /// An element name longer than [`MAX_NAME`] bytes.
    Name,
    /// A comment longer than [`MAX_MARKUP`] bytes.
    Comment,
    /// A CDATA section longer than [`MAX_MARKUP`] bytes.
    Cdata,
    /// A processing instruction longer than [`MAX_MARKUP`] bytes.
    ProcessingInstruction,
    /// A DOCTYPE declaration longer than [`MAX_MARKUP`] bytes.
    Doctype,
    /// An element nested deeper than [`MAX_DEPTH`] levels (skipped with everything inside).
    Depth,
    /// Markup starting with `<!` that is no comment, CDATA section or DOCTYPE (skipped up to
    /// the next `>`).
    Markup,
}

impl CutWhat {
    pub(super) const ALL: [CutWhat; 11] = [
        CutWhat::Text,
        CutWhat::AttributeValue,
        CutWhat::Attributes,
        CutWhat::Tag,
        CutWhat::Name,
        CutWhat::Comment,
        CutWhat::Cdata,
        CutWhat::ProcessingInstruction,
        CutWhat::Doctype,
        CutWhat::Depth,
        CutWhat::Markup,
    ];

    pub(super) fn limit(self) -> usize {
        match self {
            CutWhat::Text => MAX_TEXT,
            CutWhat::AttributeValue => MAX_ATTRIBUTE_VALUE,
            CutWhat::Attributes => MAX_ATTRIBUTES,
            CutWhat::Tag => MAX_TAG,
            CutWhat::Name => MAX_NAME,
            CutWhat::Comment
            | CutWhat::Cdata
            | CutWhat::ProcessingInstruction
            | CutWhat::Doctype => MAX_MARKUP,
            CutWhat::Depth => MAX_DEPTH,
            CutWhat::Markup => 0,
        }
    }
}

/// Everything of one kind the reader cut in one input: how often, the limit, and where the first
/// one starts (line, 1-based, and byte offset, 0-based, in the input as UTF-8 text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct XmlCut {
    /// What was cut.
    pub what: CutWhat,
    /// The limit (bytes; attributes for `attributes`; levels for `depth`).
    pub limit: u64,
    /// How many times.
    pub count: u64,
    /// Line of the first one.
    pub line: u64,
    /// Byte offset of the first one.
    pub offset: u64,
    /// `<Event>` records inside skipped elements (`depth` only): counted as read and skipped.
    pub records: u64,
}
