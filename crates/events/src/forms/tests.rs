//! Tests of the forms readers (the real captures are read in `tests/forms.rs`).
