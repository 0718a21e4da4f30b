//! # volact-core
//!
//! The foundation of volact: Windows activation error codes as a type ([`ErrorCode`]), their
//! decoding into HRESULT fields, symbolic names for the whole licensing family and Win32 errors
//! ([`names`]), the bilingual knowledge base of activation errors ([`kb`]), finding codes in free text
//! ([`find`]), explanations that every front end renders ([`explain`], [`render`]), and product-key
//! checks and redaction ([`key`]).
//!
//! The crate is synchronous, allocation-light and free of I/O: the knowledge base and name tables
//! are compiled in (see `data/`), so a lookup is a binary search.
//!
//! ```
//! use volact_core::{explain, find, kb::Lang};
//!
//! let codes = find::distinct_codes("錯誤: 0xC004F074 無法啟用");
//! let e = explain::explain(codes[0], volact_core::Form::PrefixedHex, Lang::ZhTw);
//! assert!(e.known);
//! assert_eq!(e.name, Some("SL_E_VL_BINDING_SERVICE_UNAVAILABLE"));
//! ```

pub mod catalog;
pub mod clock;
pub mod code;
pub mod commands;
pub mod error;
pub mod event;
pub mod event_id;
pub mod explain;
pub mod find;
pub mod finding;
pub mod kb;
pub mod key;
pub mod kms;
pub mod lang;
pub mod names;
pub mod out;
pub mod phrases;
pub mod products;
pub mod render;
pub mod text;

pub use code::{Decoded, ErrorCode, Form, Severity};
pub use error::{ParseCodeError, ParseLangError};
pub use kb::Lang;
