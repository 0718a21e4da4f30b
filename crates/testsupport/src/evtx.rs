//! An EVTX writer: file header, chunks with correct CRC32 and BinXML records.
