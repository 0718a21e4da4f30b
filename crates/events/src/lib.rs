//! # volact-events
//!
//! Reading KMS client and host event logs (.evtx, XML exports, text) into reports.
