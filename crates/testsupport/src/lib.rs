//! # volact-testsupport
//!
//! Helpers for volact's tests, never shipped: an EVTX writer ([`evtx`]) that produces Application
//! and Key Management Service logs, and loopback protocol peers ([`peers`]).

pub mod evtx;
pub mod peers;
mod shared;

pub use shared::{real_capture, shared_data};
