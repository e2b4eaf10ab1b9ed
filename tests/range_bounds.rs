//! `range` takes the same bounds as std's and rejects the same ones, with
//! the same messages, on maps and sets, empty or not.
//!
//! std's `BTreeMap::range` and `BTreeSet::range` panic if the start is
//! above the end, or if both ends are the same excluded key; but they check
//! only when the tree is non-empty, so on an empty collection every pair of
//! bounds gives an empty range. Each test below tries every pair of bounds
//! over a few keys on both sides and requires the same outcome: the same
//! entries, or a panic with std's message naming our type where std's names
//! its own.

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound::{self, Excluded, Included, Unbounded};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use persistent_avl::{AvlMap, AvlMapRc, AvlSet, AvlSetRc};

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, returning its value or its panic message; the panics it
/// expects are not printed, every other panic is.
fn outcome<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    })
}

/// Every pair of bounds over keys 0..=4 (including crossed pairs and equal
/// excluded ends).
fn all_bounds() -> Vec<(Bound<u8>, Bound<u8>)> {
    let one = || {
        std::iter::once(Unbounded)
            .chain((0..=4).map(Included))
            .chain((0..=4).map(Excluded))
    };
    one()
        .flat_map(|start| one().map(move |end| (start, end)))
        .collect()
}

/// Contents the tests run on: empty, one key, and keys at both ends and in
/// the middle of the bounds' span.
fn contents() -> Vec<Vec<u8>> {
    vec![vec![], vec![2], vec![0, 1, 3, 4], (0..=4).collect()]
}

/// std's message with its type's name replaced by ours.
fn renamed(
    outcome: Result<Vec<u8>, String>,
    std_name: &str,
    ours: &str,
) -> Result<Vec<u8>, String> {
    outcome.map_err(|message| message.replace(std_name, ours))
}

#[test]
fn map_ranges_match_std_on_every_pair_of_bounds() {
    let mut panics_seen = 0;
    for keys in contents() {
        let std: BTreeMap<u8, ()> = keys.iter().map(|&k| (k, ())).collect();
        let arc: AvlMap<u8, ()> = keys.iter().map(|&k| (k, ())).collect();
        let rc: AvlMapRc<u8, ()> = keys.iter().map(|&k| (k, ())).collect();
        for bounds in all_bounds() {
            let expected = outcome(|| std.range(bounds).map(|(k, ())| *k).collect::<Vec<_>>());
            panics_seen += usize::from(expected.is_err());
            let expected = renamed(expected, "BTreeMap", "AvlMap");
            let got = outcome(|| arc.range(bounds).map(|(k, ())| *k).collect());
            assert_eq!(got, expected, "Arc map {keys:?}, range {bounds:?}");
            let got = outcome(|| rc.range(bounds).map(|(k, ())| *k).collect());
            assert_eq!(got, expected, "Rc map {keys:?}, range {bounds:?}");
            if let Ok(entries) = &expected {
                let back: Vec<u8> = arc.range(bounds).rev().map(|(k, ())| *k).collect();
                assert!(back.iter().rev().eq(entries), "backwards {bounds:?}");
                assert_eq!(arc.range(bounds).len(), entries.len());
            }
        }
    }
    // The sweep does reach the rejected bounds on the non-empty maps.
    assert!(panics_seen > 0);
}

#[test]
fn set_ranges_match_std_and_name_the_set_when_they_panic() {
    let mut panics_seen = 0;
    for keys in contents() {
        let std: BTreeSet<u8> = keys.iter().copied().collect();
        let arc: AvlSet<u8> = keys.iter().copied().collect();
        let rc: AvlSetRc<u8> = keys.iter().copied().collect();
        for bounds in all_bounds() {
            let expected = outcome(|| std.range(bounds).copied().collect::<Vec<_>>());
            panics_seen += usize::from(expected.is_err());
            let expected = renamed(expected, "BTreeSet", "AvlSet");
            assert_eq!(
                outcome(|| arc.range(bounds).copied().collect()),
                expected,
                "Arc set {keys:?}, range {bounds:?}"
            );
            assert_eq!(
                outcome(|| rc.range(bounds).copied().collect()),
                expected,
                "Rc set {keys:?}, range {bounds:?}"
            );
        }
    }
    assert!(panics_seen > 0);
}

#[test]
#[allow(clippy::reversed_empty_ranges)]
fn empty_collections_accept_any_bounds_as_std() {
    let map = AvlMap::<i32, i32>::new();
    assert_eq!(map.range(5..2).count(), 0);
    assert_eq!(map.range(5..=2).len(), 0);
    assert_eq!(map.range((Excluded(3), Excluded(3))).count(), 0);
    let set = AvlSet::<i32>::new();
    assert_eq!(set.range(5..2).count(), 0);
    assert_eq!(set.range((Excluded(3), Excluded(3))).next_back(), None);
    // ... and so do the std collections they stand in for.
    assert_eq!(BTreeMap::<i32, i32>::new().range(5..2).count(), 0);
    assert_eq!(BTreeSet::<i32>::new().range(5..=2).count(), 0);
}

#[test]
fn a_set_range_panics_with_the_sets_name() {
    let set = AvlSet::from([1, 5]);
    let message = outcome(|| set.range((Excluded(3), Excluded(3))).count()).unwrap_err();
    assert_eq!(
        message,
        "range start and end are equal and excluded in AvlSet"
    );
    let message = outcome(|| set.range((Included(4), Included(2))).count()).unwrap_err();
    assert_eq!(message, "range start is greater than range end in AvlSet");
}
