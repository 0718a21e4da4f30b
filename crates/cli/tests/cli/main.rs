//! Integration tests of the `volact` binary. One test binary; modules by topic:
//! - `util`: the hermetic command builder (clears every variable that changes output);
//! - `explain`: input forms, free text, JSON contract, coverage of the seed and extra codes;
//! - `catalog`: `list` and `search`;
//! - `key`: `key check`, redaction;
//! - `redaction`: no product key in any output, in any form;
//! - `bad_input`: empty, garbage, huge and mis-encoded input;
//! - `snapshots`: insta snapshots of user-visible output in both languages;
//! - `docs`: completions and man page;
//! - `help`: help and man page in both languages.

mod attack;
mod bad_input;
mod catalog;
mod collect;
mod docs;
mod doctor;
mod events;
mod explain;
mod help;
mod key;
mod products;
mod redaction;
mod scan;
mod serve;
mod snapshots;
mod util;
