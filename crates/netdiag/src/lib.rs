//! # volact-netdiag
//!
//! Staged live checks the way a KMS client walks them: DNS SRV discovery, TCP 1688, a DCE/RPC bind
//! to the KMS interface (and nothing more), and the clock.
