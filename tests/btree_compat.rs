//! Code written for std's `BTreeMap` and `BTreeSet` compiles unchanged
//! against `AvlMap` and `AvlSet`, and does the same.
//!
//! `compat/btree_code.rs` is ordinary std code: it builds maps and sets the
//! ways std users do (`new`, `default`, `from`, `from_iter`, `collect`),
//! uses the entry API, ranges of every bound type (`&str` lookups of
//! `String` keys among them), `range_mut`, `retain`, `extract_if`,
//! `split_off`, `append`, the ends, every iterator, `for` loops, `Extend`,
//! `Index`, the comparison and hashing traits, the iterators' `Default`,
//! and the set operators and lazy set algebra. It is included twice: in a
//! module where its names (`Map`, `Set`, `Entry`, `btree_map`,
//! `btree_set`) are std's, and in one where they are this crate's. Each
//! copy writes a transcript of what it saw, and the two must be equal.
//!
//! Last, `range` with bounds std rejects panics with std's message, naming
//! our type where std's names its own.

use std::ops::Bound::{Excluded, Included};
use std::panic::{AssertUnwindSafe, catch_unwind};

use persistent_avl::{AvlMap, AvlSet};

// std's `extract_if` and `insert_entry` are stable since Rust 1.91 and
// 1.92: this test needs that toolchain, the library only its `rust-version`.
#[allow(clippy::incompatible_msrv)]
mod with_std {
    use std::collections::btree_map::Entry;
    use std::collections::{btree_map, btree_set};

    type Map<K, V> = std::collections::BTreeMap<K, V>;
    type Set<T> = std::collections::BTreeSet<T>;

    include!("compat/btree_code.rs");
}

#[allow(clippy::incompatible_msrv)]
mod with_avl {
    use persistent_avl::map::Entry;
    use persistent_avl::{map as btree_map, set as btree_set};

    type Map<K, V> = persistent_avl::AvlMap<K, V>;
    type Set<T> = persistent_avl::AvlSet<T>;

    include!("compat/btree_code.rs");
}

#[test]
fn std_code_does_the_same_with_avl_maps_and_sets() {
    let std = with_std::run();
    let ours = with_avl::run();
    // Line by line first, so that a difference names its section.
    for (theirs, ours) in std.iter().zip(&ours) {
        assert_eq!(ours, theirs);
    }
    assert_eq!(ours.len(), std.len());
    // The transcript does record what the code did.
    assert!(std.len() > 100, "only {} lines", std.len());
    assert!(std.iter().any(|line| line.starts_with("extract_if: ")));
}

/// The message of the panic `f` ends in, if it panics.
fn panic_message(f: impl FnOnce()) -> Option<String> {
    let payload = catch_unwind(AssertUnwindSafe(f)).err()?;
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
}

#[test]
fn inverted_ranges_panic_naming_our_types_as_std_names_its_own() {
    let std_set = std::collections::BTreeSet::from([1, 5]);
    let std_map = std::collections::BTreeMap::from([(1, ()), (5, ())]);
    let set = AvlSet::from([1, 5]);
    let map = AvlMap::from([(1, ()), (5, ())]);
    let inverted = (Included(4), Excluded(2));

    assert_eq!(
        panic_message(|| {
            let _ = std_set.range(inverted);
        })
        .as_deref(),
        Some("range start is greater than range end in BTreeSet")
    );
    assert_eq!(
        panic_message(|| {
            let _ = set.range(inverted);
        })
        .as_deref(),
        Some("range start is greater than range end in AvlSet")
    );
    assert_eq!(
        panic_message(|| {
            let _ = std_map.range(inverted);
        })
        .as_deref(),
        Some("range start is greater than range end in BTreeMap")
    );
    assert_eq!(
        panic_message(|| {
            let _ = map.range(inverted);
        })
        .as_deref(),
        Some("range start is greater than range end in AvlMap")
    );
}

/// The set's owning iterator lists the elements it has left, as the map's
/// does (std's shows its inner map's entries, an implementation detail).
#[test]
fn a_sets_owning_iterator_shows_what_is_left() {
    let mut left = AvlSet::from([1, 2, 3, 4]).into_iter();
    left.next();
    left.next_back();
    assert_eq!(format!("{left:?}"), "[2, 3]");
    let mut shared = AvlSet::from([5, 6]);
    let keep = shared.clone();
    shared.insert(7);
    let mut owned = shared.into_iter();
    owned.next();
    assert_eq!(format!("{owned:?}"), "[6, 7]");
    assert_eq!(keep.len(), 2);
}
