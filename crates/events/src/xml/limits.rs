//! The limits that bound the XML reader's time and memory, and what it cut to keep them.

use serde::Serialize;
use volact_core::Lang;

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

impl XmlCut {
    /// The sentence (without the file name) in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        let (n, limit, line, at) = (self.count, self.limit, self.line, self.offset);
        match lang {
            Lang::En => {
                let what = match self.what {
                    CutWhat::Text => {
                        format!("{n} text run(s) longer than {limit} bytes were cut to that length")
                    }
                    CutWhat::AttributeValue => {
                        format!("{n} attribute value(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Attributes => format!(
                        "{n} element(s) have more than {limit} attributes; the attributes after the first {limit} were ignored"
                    ),
                    CutWhat::Tag => format!(
                        "{n} tag(s) longer than {limit} bytes; the rest of each tag was ignored"
                    ),
                    CutWhat::Name => {
                        format!("{n} element name(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Comment => {
                        format!("{n} comment(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Cdata => {
                        format!("{n} CDATA section(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::ProcessingInstruction => {
                        format!("{n} processing instruction(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Doctype => {
                        format!("{n} DOCTYPE declaration(s) longer than {limit} bytes were cut")
                    }
                    CutWhat::Depth if self.records > 0 => format!(
                        "{n} element(s) nested deeper than {limit} levels were skipped with everything inside them, including {} <Event> record(s) (counted as skipped)",
                        self.records
                    ),
                    CutWhat::Depth => format!(
                        "{n} element(s) nested deeper than {limit} levels were skipped with everything inside them"
                    ),
                    CutWhat::Markup => format!(
                        "{n} unknown markup part(s) starting with <! (not a comment, CDATA or DOCTYPE) were skipped up to their >"
                    ),
                };
                format!("XML: {what} (the first at line {line}, byte {at})")
            }
            Lang::ZhTw => {
                let what = match self.what {
                    CutWhat::Text => {
                        format!("有 {n} 段文字超過 {limit} 位元組，已截短為此長度")
                    }
                    CutWhat::AttributeValue => {
                        format!("有 {n} 個屬性值超過 {limit} 位元組，已截短")
                    }
                    CutWhat::Attributes => {
                        format!("有 {n} 個元素的屬性多於 {limit} 個，前 {limit} 個之後的屬性已忽略")
                    }
                    CutWhat::Tag => {
                        format!("有 {n} 個標籤超過 {limit} 位元組，各標籤其餘部分已忽略")
                    }
                    CutWhat::Name => {
                        format!("有 {n} 個元素名稱超過 {limit} 位元組，已截短")
                    }
                    CutWhat::Comment => format!("有 {n} 個註解超過 {limit} 位元組，已截短"),
                    CutWhat::Cdata => {
                        format!("有 {n} 個 CDATA 區段超過 {limit} 位元組，已截短")
                    }
                    CutWhat::ProcessingInstruction => {
                        format!("有 {n} 個處理指示超過 {limit} 位元組，已截短")
                    }
                    CutWhat::Doctype => {
                        format!("有 {n} 個 DOCTYPE 宣告超過 {limit} 位元組，已截短")
                    }
                    CutWhat::Depth if self.records > 0 => format!(
                        "有 {n} 個元素的巢狀層數超過 {limit} 層，已連同其內容一併略過，其中包含 {} 筆 <Event> 記錄（計為略過）",
                        self.records
                    ),
                    CutWhat::Depth => {
                        format!("有 {n} 個元素的巢狀層數超過 {limit} 層，已連同其內容一併略過")
                    }
                    CutWhat::Markup => format!(
                        "有 {n} 處以 <! 開頭、但不是註解、CDATA 或 DOCTYPE 的未知標記，已略過至其 >"
                    ),
                };
                format!("XML：{what}（第一處在第 {line} 行，第 {at} 位元組）")
            }
        }
    }
}
