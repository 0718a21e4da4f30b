//! # volact-scan
//!
//! Finding and explaining activation evidence in logs, `slmgr` output and pasted text.
