//! Persistent ordered maps and sets on AVL trees.
//!
//! [`AvlMap`] and [`AvlSet`] have the API of std's `BTreeMap` and `BTreeSet`,
//! and one more property: every version stays valid. `clone` is O(1), and an
//! update copies only the O(log n) nodes on the path it changes; the rest of
//! the tree is shared between the old version and the new one behind std
//! `Arc` (or `Rc`, see [`RcKind`]).
//!
//! ```
//! use persistent_avl::AvlMap;
//!
//! let mut v1 = AvlMap::new();
//! v1.insert("apple", 3);
//! v1.insert("pear", 5);
//!
//! let v2 = v1.inserted("plum", 7); // a new version; v1 is untouched
//! let v3 = v2.removed("apple");
//!
//! assert_eq!(v1.len(), 2);
//! assert_eq!(v2.get("plum"), Some(&7));
//! assert_eq!(v3.keys().collect::<Vec<_>>(), [&"pear", &"plum"]);
//! assert_eq!(v1.get("apple"), Some(&3));
//! ```
//!
//! # The types
//!
//! [`AvlMap`] and [`AvlSet`] keep their nodes behind `Arc`, [`AvlMapRc`]
//! and [`AvlSetRc`] behind `Rc`. All four are aliases of
//! [`GenericAvlMap`] and [`GenericAvlSet`], which take the pointer kind as
//! a parameter (and with it the block size, see [`BlockSize`]); their pages
//! document every method. Code written for std's `BTreeMap` and `BTreeSet`
//! compiles against the aliases unchanged, as long as keys and values are
//! `Clone` (see [`GenericAvlMap`] for what a persistent map asks that std
//! does not).
//!
//! # In place or persistent
//!
//! Each update comes in two forms, documented side by side:
//!
//! | in place (`&mut self`, as std) | persistent (`&self`, returns the new version) |
//! |---|---|
//! | [`AvlMap::insert`](crate::GenericAvlMap::insert) | [`AvlMap::inserted`](crate::GenericAvlMap::inserted) |
//! | [`AvlMap::remove`](crate::GenericAvlMap::remove) | [`AvlMap::removed`](crate::GenericAvlMap::removed) |
//! | [`AvlSet::insert`](crate::GenericAvlSet::insert) | [`AvlSet::inserted`](crate::GenericAvlSet::inserted) |
//! | [`AvlSet::remove`](crate::GenericAvlSet::remove) | [`AvlSet::removed`](crate::GenericAvlSet::removed) |
//!
//! The whole-tree operations return new versions too: set algebra
//! ([`AvlMap::union_map`](crate::GenericAvlMap::union_map), [`AvlMap::intersection_map`](crate::GenericAvlMap::intersection_map),
//! [`AvlMap::difference_map`](crate::GenericAvlMap::difference_map), [`AvlMap::symmetric_difference_map`](crate::GenericAvlMap::symmetric_difference_map), and
//! on sets [`AvlSet::union_set`](crate::GenericAvlSet::union_set) and the others, which the operators `|`,
//! `&`, `-` and `^` use), [`AvlMap::split`](crate::GenericAvlMap::split), [`AvlMap::range_map`](crate::GenericAvlMap::range_map) and
//! [`AvlMap::filter`](crate::GenericAvlMap::filter), the persistent twins of `split_off`, `range` and
//! `retain`. They are built from join and split, and share with their
//! inputs every subtree they do not change.
//!
//! The in-place forms modify nodes that only this version owns where they
//! are, and copy the shared ones; so `let old = map.clone(); map.insert(..)`
//! leaves `old` intact, and inserting into a map nobody shares allocates one
//! block (or, in the classic layout, one node).
//!
//! # Layout
//!
//! The tree is an AVL tree of nodes, one entry each, over sorted blocks of
//! up to 32 entries at its bottom, each block one allocation shared between
//! versions on its own, as a node is: about 19 bytes per `u64 -> u64`
//! entry, reads that touch few nodes, and persistent updates that copy the
//! nodes on their path and one block. A block counts as an empty subtree
//! for the AVL rule, so the classic rotations and height bound hold for the
//! nodes. [`BlockSize`] picks another block size, and [`Classic`] the
//! classic AVL tree of one entry per node, whose nodes are smaller as they
//! never point to blocks.
//!
//! A change to a block's length builds a new block of clones of its
//! entries, even when no other version holds it (a shared slice cannot give
//! up its entries by value without `unsafe`): cheap for plain data, and
//! worth wrapping in `Arc` for keys or values that own memory.
//!
//! # Threads
//!
//! With the default [`ArcKind`], a map is `Send + Sync` when its keys and
//! values are: clone it into as many threads as you like and read it there.
//!
//! # Panics
//!
//! If `Ord` or `Clone` panics during an update, the map is left as it was
//! before the call, and every other version is untouched.
//!
//! # Features
//!
//! - `std` (default): without it the crate is `no_std` and needs only `alloc`.
//! - `rayon` (default; needs `std`): the [`rayon`](mod@crate::rayon) module's
//!   parallel set algebra (`par_union_map` and the other `par_` forms),
//!   indexed parallel iterators (`par_iter`, `par_keys`, `par_values`) and
//!   parallel `collect` and `par_extend`, on rayon's thread pool.
//! - `serde` (off by default; works without `std`): `Serialize` and
//!   `Deserialize` for maps and sets of every pointer kind, in the shapes of
//!   std's `BTreeMap` (a serde map) and `BTreeSet` (a sequence), so either
//!   reads what the other wrote. Writing is O(n); reading is O(n) for input
//!   in key order and O(n log n) otherwise, and of equal keys keeps what
//!   std's `BTreeMap` would. A [`History`] of maps or sets is written with
//!   each distinct node once and loads back sharing as it did.
//! - `proptest` (needs `std`): the [`proptest`](mod@crate::proptest)
//!   module's strategies, `avl_map` and `avl_set` (and `generic_` forms for
//!   every pointer kind), which draw and shrink maps and sets as proptest's
//!   `btree_map` and `btree_set` do, and proptest's `Arbitrary` for maps and
//!   sets, so `any::<AvlMap<K, V>>()` works.
//! - `arbitrary` (needs `std`): the [`arbitrary`](mod@crate::arbitrary)
//!   module's `arbitrary::Arbitrary` for maps and sets, built from the
//!   fuzzer's bytes as the arbitrary crate builds a `BTreeMap`, for
//!   `cargo fuzz` targets.
//!
//! The design, with pictures, is in the [`docs`] module (the repository's
//! `docs/` pages): [`docs::design`], [`docs::versions`], [`docs::parallel`]
//! and [`docs::benchmarks`].

#![cfg_attr(not(feature = "std"), no_std)]
#![forbid(unsafe_code)]
#![warn(missing_docs, unreachable_pub, clippy::pedantic)]
// Lookups take `&Q` like std; every method that returns a value is also
// marked or documented where ignoring it would be a bug.
#![allow(clippy::must_use_candidate)]
// `map::Iter`, `set::Iter`: the module names are part of the path, as in std.
#![allow(clippy::module_name_repetitions)]

extern crate alloc;

mod face;
mod history;
mod node;
mod ptr;
mod view;

pub mod map;
pub mod set;

#[cfg(feature = "arbitrary")]
pub mod arbitrary;
pub mod docs;
pub mod dot;
#[cfg(feature = "proptest")]
pub mod proptest;
#[cfg(feature = "rayon")]
pub mod rayon;
#[cfg(feature = "serde")]
mod serde;

pub use history::{History, VersionId};
pub use map::{AvlMap, AvlMapRc, GenericAvlMap, Sharing, SharingAmong};
pub use node::InvariantViolation;
pub use ptr::{ArcKind, BlockSize, Classic, PointerKind, RcKind};
pub use set::{AvlSet, AvlSetRc, GenericAvlSet};
pub use view::NodeRef;

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
