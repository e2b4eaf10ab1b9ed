//! `range` takes the same bounds as std's and rejects the same ones, with
//! the same messages, on maps and sets, empty or not; so do `range_mut`
//! and `extract_if`.
//!
//! std's `BTreeMap::range` and `BTreeSet::range` panic if the start is
//! above the end, or if both ends are the same excluded key; but they check
//! only when the tree is non-empty, so on an empty collection every pair of
//! bounds gives an empty range. Each test below tries every pair of bounds
//! over a few keys on both sides and requires the same outcome: the same
//! entries, or a panic with std's message naming our type where std's names
//! its own.
//!
//! std's `extract_if` is the exception: it never checks its bounds, and
//! yields nothing for crossed ones.
//!
//! std's `extract_if` is stable since Rust 1.91: this test needs that
//! toolchain, the library only its `rust-version`.
#![allow(clippy::incompatible_msrv)]

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound::{self, Excluded, Included, Unbounded};

use persistent_avl::{AvlMap, AvlMapRc, AvlSet, AvlSetRc};

mod common;
use common::outcome;

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
fn renamed<T>(outcome: Result<T, String>, std_name: &str, ours: &str) -> Result<T, String> {
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

#[test]
fn range_mut_matches_std_on_every_pair_of_bounds() {
    let mut panics_seen = 0;
    for keys in contents() {
        for bounds in all_bounds() {
            let entries = || keys.iter().map(|&k| (k, u32::from(k)));
            let mut std: BTreeMap<u8, u32> = entries().collect();
            let mut arc: AvlMap<u8, u32> = entries().collect();
            let mut rc: AvlMapRc<u8, u32> = entries().collect();
            let mut backwards: AvlMap<u8, u32> = entries().collect();
            let add = |(k, v): (&u8, &mut u32)| {
                *v += 100;
                (*k, *v)
            };

            let expected = outcome(|| std.range_mut(bounds).map(add).collect::<Vec<_>>());
            panics_seen += usize::from(expected.is_err());
            let expected = renamed(expected, "BTreeMap", "AvlMap");
            let got = outcome(|| arc.range_mut(bounds).map(add).collect());
            assert_eq!(got, expected, "Arc map {keys:?}, range_mut {bounds:?}");
            let got = outcome(|| rc.range_mut(bounds).map(add).collect());
            assert_eq!(got, expected, "Rc map {keys:?}, range_mut {bounds:?}");
            let got = outcome(|| {
                let mut lent: Vec<_> = backwards.range_mut(bounds).rev().map(add).collect();
                lent.reverse();
                lent
            });
            assert_eq!(got, expected, "backwards {keys:?}, range_mut {bounds:?}");

            // The values lent were changed, and no others (none on a panic).
            for map in [&arc, &backwards] {
                map.check_invariants().unwrap();
                assert!(map.iter().eq(std.iter()), "{keys:?}, {bounds:?}");
            }
            assert!(rc.iter().eq(std.iter()), "{keys:?}, {bounds:?}");
        }
    }
    assert!(panics_seen > 0);
}

/// Runs `extract_if` with every pair of bounds (if `only_accepted`, only
/// those std's `range` accepts) on maps and sets of every content, with a
/// predicate that changes the values it sees, against std's. Returns how
/// many pairs it tried that `range` rejects.
fn extract_if_sweep(only_accepted: bool) -> usize {
    let mut rejected = 0;
    for keys in contents() {
        let set_std: BTreeSet<u8> = keys.iter().copied().collect();
        let map_std: BTreeMap<u8, u32> = keys.iter().map(|&k| (k, u32::from(k))).collect();
        for bounds in all_bounds() {
            let rejects = outcome(|| map_std.range(bounds).count()).is_err();
            if rejects && only_accepted {
                continue;
            }
            rejected += usize::from(rejects);
            let pick = |k: &u8, v: &mut u32| {
                *v += 100;
                k.is_multiple_of(2)
            };

            let mut std = map_std.clone();
            let expected = outcome(|| std.extract_if(bounds, pick).collect::<Vec<_>>());
            let mut arc: AvlMap<u8, u32> = map_std.iter().map(|(&k, &v)| (k, v)).collect();
            let got = outcome(|| arc.extract_if(bounds, pick).collect::<Vec<_>>());
            assert_eq!(
                got,
                renamed(expected, "BTreeMap", "AvlMap"),
                "map {keys:?}, extract_if {bounds:?}"
            );
            arc.check_invariants().unwrap();
            assert!(arc.iter().eq(std.iter()), "map {keys:?}, {bounds:?}");

            let mut std = set_std.clone();
            let expected = outcome(|| std.extract_if(bounds, |x| x % 2 == 1).collect::<Vec<_>>());
            let mut rc: AvlSetRc<u8> = set_std.iter().copied().collect();
            let got = outcome(|| rc.extract_if(bounds, |x| x % 2 == 1).collect::<Vec<_>>());
            assert_eq!(
                got,
                renamed(expected, "BTreeSet", "AvlSet"),
                "set {keys:?}, extract_if {bounds:?}"
            );
            assert!(rc.iter().eq(std.iter()), "set {keys:?}, {bounds:?}");
        }
    }
    rejected
}

#[test]
fn extract_if_matches_std_on_every_pair_of_bounds_range_accepts() {
    assert_eq!(extract_if_sweep(true), 0);
}

/// std's `extract_if` accepts the bounds its `range` rejects: crossed ones
/// and equal excluded ones select nothing, and nothing panics.
#[test]
fn extract_if_takes_every_pair_of_bounds_std_takes() {
    assert!(extract_if_sweep(false) > 0);
}

#[test]
#[allow(clippy::reversed_empty_ranges)]
fn std_extract_if_selects_nothing_from_crossed_bounds() {
    let mut std: BTreeMap<i32, i32> = (0..10).map(|k| (k, k)).collect();
    let mut visited = 0;
    assert_eq!(
        std.extract_if(5..2, |_, _| {
            visited += 1;
            true
        })
        .count(),
        0
    );
    assert_eq!(
        std.extract_if((Excluded(3), Excluded(3)), |_, _| true)
            .count(),
        0
    );
    assert_eq!((visited, std.len()), (0, 10));
    let mut std: BTreeSet<i32> = (0..10).collect();
    assert_eq!(std.extract_if(8..=1, |_| true).count(), 0);
    assert_eq!(std.len(), 10);
}

#[test]
#[allow(clippy::reversed_empty_ranges)]
fn empty_collections_accept_any_bounds_in_range_mut_and_extract_if() {
    let mut map = AvlMap::<i32, i32>::new();
    assert_eq!(map.range_mut(5..2).count(), 0);
    assert_eq!(map.range_mut((Excluded(3), Excluded(3))).next_back(), None);
    assert_eq!(map.extract_if(5..=2, |_, _| true).count(), 0);
    // Emptied by removal, too: std's `range_mut` panics there, as its
    // emptied tree keeps a root node to check the bounds against.
    let mut map = AvlMapRc::from([(1, 1)]);
    map.remove(&1);
    assert_eq!(map.range_mut(5..2).count(), 0);
    let mut set = AvlSet::<i32>::new();
    assert_eq!(
        set.extract_if((Excluded(3), Excluded(3)), |_| true).count(),
        0
    );
    let mut set = AvlSetRc::from([4]);
    set.pop_first();
    assert_eq!(set.extract_if(5..2, |_| true).count(), 0);
    assert_eq!(BTreeMap::<i32, i32>::new().range_mut(5..2).count(), 0);
}

#[test]
fn range_mut_panics_with_the_maps_name() {
    let mut map = AvlMap::from([(1, 1), (5, 5)]);
    let message = outcome(|| map.range_mut((Excluded(3), Excluded(3))).count()).unwrap_err();
    assert_eq!(
        message,
        "range start and end are equal and excluded in AvlMap"
    );
    let message = outcome(|| map.range_mut((Included(4), Included(2))).count()).unwrap_err();
    assert_eq!(message, "range start is greater than range end in AvlMap");
    assert_eq!(map, AvlMap::from([(1, 1), (5, 5)]));
}
