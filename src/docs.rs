//! The design documents of the repository (`docs/` there), for readers of
//! the generated documentation: what the tree looks like and why, what a
//! version costs, how the whole-tree operations and their parallel forms
//! work, and the benchmarks against std's `BTreeMap`, imbl and rpds, with
//! the notes of how their numbers were measured.
//!
//! The pages are written for the repository, so their links to one another
//! and to source files point there; their text pictures show here as they
//! do there, and their drawings follow each page.

// The pages' brackets are text (`[2]` names a node in a picture), not
// links, and their prose is written for the repository's readers.
#![allow(rustdoc::broken_intra_doc_links, clippy::doc_markdown)]

#[doc = include_str!("../docs/design.md")]
pub mod design {}

#[doc = include_str!("../docs/versions.md")]
///
/// ## The drawings
///
/// A plain search tree after inserting 1..=7 in order (a list of height 7),
/// and the `AvlMap` of the same inserts (height 3):
///
#[doc = concat!("<div>", include_str!("../docs/degenerate-bst.svg"), "</div>")]
#[doc = concat!("<div>", include_str!("../docs/degenerate-avl.svg"), "</div>")]
///
/// v1 = 1..=15 and v2 = v1.inserted(16): v2 owns only the copied path 8,
/// 12, 14, 15 and the new 16:
///
#[doc = concat!("<div>", include_str!("../docs/path-copy.svg"), "</div>")]
///
/// v0 = 1..=7, v1 = v0 with 8 inserted, v2 = v1 with 3 removed:
///
#[doc = concat!("<div>", include_str!("../docs/history.svg"), "</div>")]
///
/// old = 1..=11 and new = old.inserted(12), after the left rotation at the
/// root:
///
#[doc = concat!("<div>", include_str!("../docs/rotation.svg"), "</div>")]
pub mod versions {}

#[doc = include_str!("../docs/parallel.md")]
pub mod parallel {}

#[doc = include_str!("../docs/benchmarks.md")]
///
/// ## The drawings
///
/// Time relative to imbl at n = 10³, 10⁵ and 10⁶:
///
#[doc = concat!("<div>", include_str!("../docs/bench-1e3.svg"), "</div>")]
#[doc = concat!("<div>", include_str!("../docs/bench-1e5.svg"), "</div>")]
#[doc = concat!("<div>", include_str!("../docs/bench-1e6.svg"), "</div>")]
pub mod benchmarks {}

#[doc = include_str!("../docs/benchmark-notes.md")]
pub mod benchmark_notes {}
