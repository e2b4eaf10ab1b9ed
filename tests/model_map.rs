//! `AvlMap` behaves as std's `BTreeMap`.
//!
//! Random runs of every mutating operation are applied to an `AvlMap` and to
//! a `BTreeMap` (the model); each call must return what std returns. After
//! every step the tree must pass `check_invariants` (order, heights, balance,
//! sizes), and every read-only view must agree with the model: iteration
//! forwards, backwards and from both ends at once, `first`/`last`, lookups,
//! `rank`/`get_index`/`get_index_of`, and ranges with their `len`.
//!
//! The same runs go through both pointer kinds, `Arc` and `Rc`.
//!
//! A failing case prints as a `MapCase` literal: paste it into
//! `run_map::<ArcKind>(&...)`, as `a_pasted_case_replays` does.

mod common;

use persistent_avl::GenericAvlMap;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::hash::{BuildHasher, RandomState};
use std::ops::Bound::{Excluded, Included, Unbounded};

use common::{
    Half, Keep, MapCase, Model, OnEntry, Op, Pick, Tagged, at_step, check_map_views, map_case,
};
use persistent_avl::{ArcKind, AvlMap, AvlMapRc, PointerKind, RcKind};

/// The layouts the properties run on: the default blocks (behind `Arc`),
/// blocks of two entries behind `Rc` (so that maps of a few dozen entries
/// split and merge blocks all the time), and the classic tree of one entry
/// per node.
type Classic = persistent_avl::Classic<ArcKind>;
type SmallRc = persistent_avl::BlockSize<RcKind, 2>;
use proptest::collection::vec;
use proptest::prelude::*;

/// Applies the case's operations to an empty map and to the model, checking
/// everything after every step, then the whole-map traits at the end.
fn run_map<P: PointerKind>(case: &MapCase) -> Result<(), TestCaseError> {
    let mut map = GenericAvlMap::<u16, u32, P>::empty();
    let mut model = Model::new();
    for (step, op) in case.ops.iter().enumerate() {
        at_step(step, op, op.apply(&mut map, &mut model))?;
        at_step(
            step,
            op,
            check_map_views(&map, &model, &case.ranges, case.ends),
        )?;
    }
    check_whole_map(map, &model)
}

/// `Debug`, `Eq`, `Ord`, `Hash` and the consuming iterators agree with the
/// model, and with a map of the same entries built in another shape.
fn check_whole_map<P: PointerKind>(
    map: GenericAvlMap<u16, u32, P>,
    model: &Model,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(format!("{map:?}"), format!("{model:?}"));

    let rebuilt: GenericAvlMap<u16, u32, P> = model.iter().map(|(&k, &v)| (k, v)).collect();
    prop_assert_eq!(rebuilt.check_invariants(), Ok(()));
    prop_assert!(map == rebuilt);
    prop_assert_eq!(map.cmp(&rebuilt), Ordering::Equal);
    let hasher = RandomState::new();
    prop_assert_eq!(hasher.hash_one(&map), hasher.hash_one(&rebuilt));
    if let Some((&last, _)) = model.last_key_value() {
        let shorter = rebuilt.removed(&last);
        prop_assert!(map != shorter);
        let shorter_model: Model = model.range(..last).map(|(&k, &v)| (k, v)).collect();
        prop_assert_eq!(map.cmp(&shorter), model.cmp(&shorter_model));
        prop_assert_eq!(shorter.cmp(&map), shorter_model.cmp(model));
    }

    // From a clone, the consuming iterators copy the shared nodes...
    prop_assert!(map.clone().into_keys().eq(model.keys().copied()));
    prop_assert!(map.clone().into_values().eq(model.values().copied()));
    prop_assert!(
        map.clone()
            .into_iter()
            .rev()
            .eq(model.iter().rev().map(|(&k, &v)| (k, v)))
    );
    prop_assert!((&map).into_iter().eq(model.iter()));
    // ...and from the last version they move the entries out.
    prop_assert_eq!(map.into_iter().len(), model.len());
    Ok(())
}

proptest! {
    #![proptest_config(common::config())]

    #[test]
    fn arc_map_matches_btreemap(case in map_case(200)) {
        run_map::<ArcKind>(&case)?;
        run_map::<Classic>(&case)?;
    }

    #[test]
    fn rc_map_matches_btreemap(case in map_case(200)) {
        run_map::<SmallRc>(&case)?;
    }

    /// Collecting keeps, of equal keys, the last value, as std does.
    #[test]
    fn from_iter_matches_btreemap(entries in vec((0..64u16, 0..1000u32), 0..200)) {
        let ours: AvlMap<u16, u32> = entries.iter().copied().collect();
        let rc: AvlMapRc<u16, u32> = entries.iter().copied().collect();
        let model: Model = entries.iter().copied().collect();
        common::check_same(&ours, &model)?;
        common::check_same(&rc, &model)?;
    }

    /// `from_sorted_iter` accepts exactly the strictly ascending key lists,
    /// and otherwise names the first key not above its predecessor.
    #[test]
    fn from_sorted_iter_checks_the_order(keys in sorted_or_almost(), value in 0..1000u32) {
        let first_bad = (1..keys.len()).find(|&i| keys[i - 1] >= keys[i]);
        let built = AvlMap::<u16, u32>::from_sorted_iter(keys.iter().map(|&k| (k, value)));
        match (built, first_bad) {
            (Ok(map), None) => {
                let model: Model = keys.iter().map(|&k| (k, value)).collect();
                common::check_same(&map, &model)?;
            }
            (Err(err), Some(index)) => prop_assert_eq!(err.index(), index),
            (built, expected) => prop_assert!(
                false,
                "from_sorted_iter gave {:?}, expected the first bad index {:?}",
                built.map(|m| m.len()),
                expected
            ),
        }
    }
}

/// Key lists: strictly ascending ones, ascending ones with one key swapped
/// or repeated, and random ones.
fn sorted_or_almost() -> impl Strategy<Value = Vec<u16>> {
    let ascending = vec(0..500u16, 0..80).prop_map(|mut keys| {
        keys.sort_unstable();
        keys.dedup();
        keys
    });
    prop_oneof![
        2 => ascending.clone(),
        2 => (ascending, any::<prop::sample::Index>(), any::<bool>()).prop_map(
            |(mut keys, at, repeat)| {
                if keys.len() >= 2 {
                    let i = at.index(keys.len() - 1);
                    if repeat {
                        keys[i + 1] = keys[i];
                    } else {
                        keys.swap(i, i + 1);
                    }
                }
                keys
            }
        ),
        1 => vec(0..20u16, 0..20),
    ]
}

/// The `Debug` of a failing case is this literal; it compiles and replays.
#[test]
fn a_pasted_case_replays() {
    run_map::<ArcKind>(&MapCase {
        ops: vec![
            Op::Extend(vec![(5, 50), (1, 10), (9, 90), (3, 30), (7, 70)]),
            Op::SplitOff(4, Half::RejoinReversed),
            Op::Retain(Keep::DropMultiplesOf(3)),
            Op::EntryRemove(5),
            Op::Removed(5),
            Op::IterMut {
                front: 1,
                back: 1,
                add: 2,
            },
            Op::IntoIterRebuild { front: 1, back: 1 },
        ],
        ranges: vec![(Included(2), Excluded(9)), (Unbounded, Included(1))],
        ends: 0x5,
    })
    .unwrap();
}

/// So do cases of `extract_if` (stopped early, changing the values it
/// sees), `range_mut` (with bounds std rejects, then from both ends), the
/// entries at the ends and `insert_entry`.
#[test]
fn a_pasted_case_of_the_range_and_entry_operations_replays() {
    run_map::<SmallRc>(&MapCase {
        ops: vec![
            Op::Extend(vec![(5, 50), (1, 10), (9, 90), (3, 30), (7, 70), (2, 20)]),
            Op::ExtractIf {
                range: (Included(2), Excluded(9)),
                pick: Pick::KeyModBump(2, 1, 5),
                stop_after: Some(1),
            },
            Op::RangeMut {
                range: (Excluded(7), Included(3)),
                delta: 4,
                ends: 0x5,
            },
            Op::RangeMut {
                range: (Unbounded, Included(5)),
                delta: 4,
                ends: 0x5,
            },
            Op::FirstEntry(OnEntry::GetMut(3)),
            Op::LastEntry(OnEntry::RemoveEntry),
            Op::InsertEntry(4, 40, OnEntry::IntoMut(1)),
            Op::InsertEntry(5, 0, OnEntry::Remove),
            Op::VacantInsertEntry(6, 60, OnEntry::Read),
            Op::ExtractIf {
                range: (Unbounded, Unbounded),
                pick: Pick::All,
                stop_after: None,
            },
            Op::RangeMut {
                range: (Excluded(3), Excluded(3)),
                delta: 1,
                ends: 0x0,
            },
        ],
        ranges: vec![(Included(2), Excluded(9))],
        ends: 0x3,
    })
    .unwrap();
}

#[test]
fn from_iter_keeps_the_last_value_of_equal_keys_as_std() {
    let entries = [(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e'), (3, 'f')];
    let std: BTreeMap<i32, char> = entries.into_iter().collect();
    let arc: AvlMap<i32, char> = entries.into_iter().collect();
    let rc: AvlMapRc<i32, char> = entries.into_iter().collect();
    let from = AvlMap::from(entries);

    let expected = [(&1, &'e'), (&2, &'d'), (&3, &'f')];
    assert_eq!(std.iter().collect::<Vec<_>>(), expected);
    assert_eq!(arc.iter().collect::<Vec<_>>(), expected);
    assert_eq!(rc.iter().collect::<Vec<_>>(), expected);
    assert_eq!(from.iter().collect::<Vec<_>>(), expected);
    arc.check_invariants().unwrap();
    rc.check_invariants().unwrap();
}

#[test]
fn from_sorted_iter_rejects_the_first_key_not_above_the_previous() {
    fn build(keys: &[i32]) -> Result<Vec<i32>, usize> {
        AvlMap::<i32, ()>::from_sorted_iter(keys.iter().map(|&k| (k, ())))
            .map(|map| {
                map.check_invariants().unwrap();
                map.into_keys().collect()
            })
            .map_err(|err| err.index())
    }
    assert_eq!(build(&[]), Ok(vec![]));
    assert_eq!(build(&[7]), Ok(vec![7]));
    assert_eq!(build(&[1, 2, 3]), Ok(vec![1, 2, 3]));
    assert_eq!(build(&[2, 1]), Err(1));
    assert_eq!(build(&[1, 1]), Err(1));
    assert_eq!(build(&[1, 3, 2]), Err(2));
    assert_eq!(build(&[0, 1, 2, 3, 3, 1]), Err(4));
    assert_eq!(build(&[5, 6, 7, 8, 9, 0]), Err(5));

    let err = AvlMapRc::<i32, ()>::from_sorted_iter([(1, ()), (3, ()), (3, ())]).unwrap_err();
    assert_eq!(err.index(), 2);
    assert!(err.to_string().contains('2'));
}

#[test]
fn from_sorted_iter_builds_a_valid_tree_of_every_small_size() {
    for n in 0..=100 {
        let map = AvlMap::<u32, u32>::from_sorted_iter((0..n).map(|k| (k, k))).unwrap();
        map.check_invariants().unwrap();
        assert_eq!(map.len(), n as usize);
        assert!(map.keys().copied().eq(0..n));
    }
}

fn tags<'a>(keys: impl Iterator<Item = &'a Tagged>) -> Vec<(u32, char)> {
    keys.map(|t| (t.0, t.1)).collect()
}

/// Of two equal keys, every operation keeps the one std keeps.
#[test]
fn equal_keys_are_kept_as_std_keeps_them() {
    let entries = [
        (Tagged(1, 'a'), 0),
        (Tagged(2, 'b'), 0),
        (Tagged(1, 'c'), 1),
    ];
    let mut ours: AvlMap<Tagged, i32> = entries.into_iter().collect();
    let mut std: BTreeMap<Tagged, i32> = entries.into_iter().collect();
    assert_eq!(tags(ours.keys()), tags(std.keys()), "from_iter");

    assert_eq!(
        ours.insert(Tagged(2, 'd'), 5),
        std.insert(Tagged(2, 'd'), 5)
    );
    assert_eq!(tags(ours.keys()), tags(std.keys()), "insert");

    ours.extend([(Tagged(1, 'e'), 6)]);
    std.extend([(Tagged(1, 'e'), 6)]);
    assert_eq!(tags(ours.keys()), tags(std.keys()), "extend");

    let (a, b) = (
        ours.remove_entry(&Tagged(1, 'x')),
        std.remove_entry(&Tagged(1, 'x')),
    );
    assert_eq!(
        a.map(|(k, v)| (k.1, v)),
        b.map(|(k, v)| (k.1, v)),
        "remove_entry"
    );
    assert_eq!(
        ours.entry(Tagged(2, 'y')).key().1,
        std.entry(Tagged(2, 'y')).key().1
    );
    ours.check_invariants().unwrap();
}

/// `append` of a key both maps hold keeps `self`'s key and takes `other`'s
/// value, as `insert` and `extend` do. std's `append` has done so since
/// rust-lang/rust#145628 (it used to take `other`'s key too).
#[test]
fn append_keeps_the_stored_key_and_takes_the_new_value_as_std() {
    let start = [(Tagged(1, 'a'), 0), (Tagged(2, 'b'), 0)];
    let other = [(Tagged(2, 'c'), 7), (Tagged(3, 'd'), 8)];
    let mut ours: AvlMap<Tagged, i32> = start.into_iter().collect();
    let mut std: BTreeMap<Tagged, i32> = start.into_iter().collect();
    ours.append(&mut other.into_iter().collect());
    std.append(&mut other.into_iter().collect());
    let entries = |it: &mut dyn Iterator<Item = (&Tagged, &i32)>| -> Vec<(u32, char, i32)> {
        it.map(|(k, v)| (k.0, k.1, *v)).collect()
    };
    assert_eq!(
        entries(&mut std.iter()),
        [(1, 'a', 0), (2, 'b', 7), (3, 'd', 8)]
    );
    assert_eq!(entries(&mut ours.iter()), entries(&mut std.iter()));
}

#[test]
fn extend_from_references_copies_as_std() {
    let source: BTreeMap<u16, u32> = [(3, 30), (1, 10), (2, 20)].into();
    let mut ours: AvlMap<u16, u32> = AvlMap::from([(2, 0), (4, 40)]);
    let mut std: BTreeMap<u16, u32> = BTreeMap::from([(2, 0), (4, 40)]);
    ours.extend(&source);
    std.extend(&source);
    assert!(ours.iter().eq(std.iter()));
    ours.check_invariants().unwrap();
}

#[test]
#[should_panic(expected = "range start is greater than range end")]
fn a_range_starting_above_its_end_panics_as_std() {
    let map = AvlMap::from([(1, ()), (5, ())]);
    let _ = map.range((Included(4), Excluded(2)));
}

#[test]
#[should_panic(expected = "range start and end are equal and excluded")]
fn a_range_excluding_both_ends_at_one_key_panics_as_std() {
    let map = AvlMap::from([(1, ()), (5, ())]);
    let _ = map.range((Excluded(3), Excluded(3)));
}

#[test]
fn empty_ranges_that_std_accepts_are_empty() {
    let map: AvlMap<u16, ()> = (0..10).map(|k| (k, ())).collect();
    let std: BTreeMap<u16, ()> = (0..10).map(|k| (k, ())).collect();
    for range in [
        (Included(3), Excluded(3)),
        (Excluded(3), Included(3)),
        (Included(20), Unbounded),
        (Unbounded, Excluded(0)),
    ] {
        assert_eq!(map.range(range).len(), 0);
        assert_eq!(map.range(range).count(), std.range(range).count());
    }
}
