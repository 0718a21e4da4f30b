//! Why an `.evtx` input could not be read, and how its records are read ([`ReadMode`]).

use volact_core::out::fmt::count as grouped;

/// Bytes in the file header block; chunks start after it.
pub const FILE_HEADER: u64 = 4096;

/// Why a `.evtx` input could not be read at all (its file header is missing or not one).
/// Anything after the file header is read as far as it goes and reported in warnings instead.
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    /// The input ends inside the 4,096-byte file header.
    HeaderCut {
        /// Bytes the input holds.
        len: u64,
    },
    /// The input does not start with the `ElfFile` signature.
    NotEvtx,
    /// Reading failed before the file header was complete.
    Io {
        /// Bytes read before the error.
        at: u64,
        /// The system's message.
        error: String,
    },
}

impl ReadError {
    /// The problem as a sentence in `lang` (without the file name).
    pub fn message(&self, lang: volact_core::Lang) -> String {
        use volact_core::Lang;
        let head = grouped(FILE_HEADER);
        match (self, lang) {
            (ReadError::HeaderCut { len }, Lang::En) => format!(
                "the file header of a .evtx file is {head} bytes, but this input ends at byte {} \
                 (cut short?): no record can be read",
                grouped(*len)
            ),
            (ReadError::HeaderCut { len }, Lang::ZhTw) => format!(
                ".evtx 檔案的檔頭有 {head} 位元組，但此輸入在第 {} 位元組就結束了（可能被截斷）：無法讀取任何記錄",
                grouped(*len)
            ),
            (ReadError::NotEvtx, Lang::En) => {
                "it does not start with the .evtx signature \"ElfFile\"".to_owned()
            }
            (ReadError::NotEvtx, Lang::ZhTw) => "開頭不是 .evtx 檔案的識別字「ElfFile」".to_owned(),
            (ReadError::Io { at, error }, Lang::En) => format!(
                "reading failed at byte {} of the {head}-byte file header: {error}",
                grouped(*at)
            ),
            (ReadError::Io { at, error }, Lang::ZhTw) => format!(
                "讀取 {head} 位元組的檔頭時，在第 {} 位元組失敗：{error}",
                grouped(*at)
            ),
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(volact_core::Lang::En))
    }
}

impl std::error::Error for ReadError {}

/// How the records of chunks holding activation events are read. Every mode gives the same
/// report (damaged chunks, those whose checksums are wrong, are read by the `evtx` crate in
/// every mode); tests compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadMode {
    /// Rendered to XML by the `evtx` crate and read back (the slowest, the reference).
    Rendered,
    /// Template values read directly, every record typed through its data items.
    Values,
    /// Like `Values`, and 12290 requests of the usual layout typed straight from their UTF-16
    /// values without allocating (the default).
    Typed,
}
