//! Serde support (the `serde` feature).

mod history;
