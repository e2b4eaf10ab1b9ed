//! The proptest strategies of the `proptest` feature draw and shrink maps
//! and sets as proptest's `btree_map` and `btree_set` draw and shrink std's.
//!
//! Each drawn tree must pass `check_invariants` and hold a number of keys
//! within the size range; from the same random source, `avl_map` must draw
//! exactly the maps `btree_map` draws, and step for step shrink as it does;
//! a failing property must shrink to its smallest failing map or set; and
//! `any::<AvlMap<K, V>>()` must follow `any::<BTreeMap<K, V>>()`. All of it
//! for the default kind, `Rc`, and the classic tree of one entry per node.

#![cfg(feature = "proptest")]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::ops::RangeInclusive;

use persistent_avl::proptest::{avl_map, avl_set, generic_avl_map, generic_avl_set};
use persistent_avl::{
    ArcKind, AvlMap, AvlMapRc, AvlSet, AvlSetRc, BlockSize, GenericAvlMap, GenericAvlSet,
    PointerKind, RcKind,
};
use proptest::collection::{SizeRange, btree_map, btree_set};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};

/// One entry per node.
type Classic = persistent_avl::Classic<ArcKind>;
/// Blocks of two entries behind `Rc`: small maps have many nodes.
type SmallRc = BlockSize<RcKind, 2>;

/// How many maps or sets each check draws.
const DRAWS: usize = 200;

/// A runner that draws the same values on every run, and writes no
/// regression files.
fn runner() -> TestRunner {
    runner_with(Config::default())
}

/// [`runner`] with another configuration.
fn runner_with(config: Config) -> TestRunner {
    let config = Config {
        failure_persistence: None,
        ..config
    };
    TestRunner::new_with_rng(config, TestRng::deterministic_rng(RngAlgorithm::XorShift))
}

/// The smallest and the largest size a range allows.
fn bounds(size: &SizeRange) -> RangeInclusive<usize> {
    size.start()..=size.end_incl()
}

/// Draws maps of kind `P` with keys from `0..span` and checks each: valid,
/// keys strictly ascending and below `span`, as many as `size` allows.
fn maps_stay_in_their_size_range<P: PointerKind>(span: u16, size: SizeRange) {
    let allowed = bounds(&size);
    let strategy = generic_avl_map::<P, _, _>(0..span, any::<u8>(), size);
    let mut runner = runner();
    for _ in 0..DRAWS {
        let map = strategy.new_tree(&mut runner).unwrap().current();
        map.check_invariants().unwrap();
        assert!(
            allowed.contains(&map.len()),
            "{} keys, outside {allowed:?}",
            map.len()
        );
        assert_eq!(map.keys().count(), map.len());
        assert!(map.keys().zip(map.keys().skip(1)).all(|(a, b)| a < b));
        assert!(map.keys().all(|&k| k < span));
    }
}

/// As [`maps_stay_in_their_size_range`], for sets.
fn sets_stay_in_their_size_range<P: PointerKind>(span: u16, size: SizeRange) {
    let allowed = bounds(&size);
    let strategy = generic_avl_set::<P, _>(0..span, size);
    let mut runner = runner();
    for _ in 0..DRAWS {
        let set = strategy.new_tree(&mut runner).unwrap().current();
        set.check_invariants().unwrap();
        assert!(
            allowed.contains(&set.len()),
            "{} elements, outside {allowed:?}",
            set.len()
        );
        assert!(set.iter().zip(set.iter().skip(1)).all(|(a, b)| a < b));
        assert!(set.iter().all(|&x| x < span));
    }
}

/// Ranges of every form, over key spans where duplicates are common (16),
/// where the minimum needs most of the keys (12 of 16), and where they are
/// rare.
fn size_ranges() -> Vec<(u16, SizeRange)> {
    vec![
        (16, SizeRange::from(0..1)),
        (16, SizeRange::from(7)),
        (16, SizeRange::from(12..=16)),
        (16, SizeRange::from(5..10)),
        (16, SizeRange::from(0..100)),
        (10_000, SizeRange::from(0..=300)),
        (10_000, SizeRange::from(100..200)),
    ]
}

#[test]
fn drawn_maps_are_valid_with_as_many_distinct_keys_as_the_size_range_allows() {
    for (span, size) in size_ranges() {
        maps_stay_in_their_size_range::<ArcKind>(span, size.clone());
        maps_stay_in_their_size_range::<RcKind>(span, size.clone());
        maps_stay_in_their_size_range::<Classic>(span, size.clone());
        maps_stay_in_their_size_range::<SmallRc>(span, size);
    }
}

#[test]
fn drawn_sets_are_valid_with_as_many_distinct_elements_as_the_size_range_allows() {
    for (span, size) in size_ranges() {
        sets_stay_in_their_size_range::<ArcKind>(span, size.clone());
        sets_stay_in_their_size_range::<RcKind>(span, size.clone());
        sets_stay_in_their_size_range::<Classic>(span, size.clone());
        sets_stay_in_their_size_range::<SmallRc>(span, size);
    }
}

/// Draws from `ours` and `std` with runners in the same state, then walks
/// each pair of value trees down the same shrinking path (simplify, and
/// complicate after every third step, as if that step had passed), and
/// asserts that at every point `ours` holds what `std` holds, as `same`
/// compares them.
fn draws_and_shrinks_alike<A, B>(ours: &A, std: &B, same: impl Fn(&A::Value, &B::Value) -> bool)
where
    A: Strategy,
    B: Strategy,
{
    let (mut ours_runner, mut std_runner) = (runner(), runner());
    for draw in 0..DRAWS / 4 {
        let mut a = ours.new_tree(&mut ours_runner).unwrap();
        let mut b = std.new_tree(&mut std_runner).unwrap();
        assert!(
            same(&a.current(), &b.current()),
            "draw {draw}: {:?} against {:?}",
            a.current(),
            b.current()
        );
        for step in 1..=200 {
            let moved = if step % 3 == 0 {
                (a.complicate(), b.complicate())
            } else {
                (a.simplify(), b.simplify())
            };
            assert_eq!(moved.0, moved.1, "draw {draw}, shrink step {step}");
            assert!(
                same(&a.current(), &b.current()),
                "draw {draw}, shrink step {step}: {:?} against {:?}",
                a.current(),
                b.current()
            );
            if !moved.0 && step % 3 != 0 {
                break;
            }
        }
    }
}

fn same_map<K, V, P>(ours: &GenericAvlMap<K, V, P>, std: &BTreeMap<K, V>) -> bool
where
    K: Ord + Debug,
    V: PartialEq + Debug,
    P: PointerKind,
{
    ours.check_invariants().is_ok() && ours.len() == std.len() && ours.iter().eq(std.iter())
}

fn same_set<T: Ord + Debug, P: PointerKind>(ours: &GenericAvlSet<T, P>, std: &BTreeSet<T>) -> bool {
    ours.check_invariants().is_ok() && ours.len() == std.len() && ours.iter().eq(std.iter())
}

#[test]
fn avl_map_draws_and_shrinks_the_maps_btree_map_draws() {
    draws_and_shrinks_alike(
        &avl_map(0..40u16, 0..1000u32, 0..60),
        &btree_map(0..40u16, 0..1000u32, 0..60),
        same_map,
    );
    draws_and_shrinks_alike(
        &generic_avl_map::<RcKind, _, _>(any::<i32>(), any::<bool>(), 10..20),
        &btree_map(any::<i32>(), any::<bool>(), 10..20),
        same_map,
    );
    draws_and_shrinks_alike(
        &generic_avl_map::<Classic, _, _>(0..8u8, 0..3u8, 2..=5),
        &btree_map(0..8u8, 0..3u8, 2..=5),
        same_map,
    );
}

#[test]
fn avl_set_draws_and_shrinks_the_sets_btree_set_draws() {
    draws_and_shrinks_alike(
        &avl_set(0..40u16, 0..60),
        &btree_set(0..40u16, 0..60),
        same_set,
    );
    draws_and_shrinks_alike(
        &generic_avl_set::<SmallRc, _>(any::<u64>(), 30..=30),
        &btree_set(any::<u64>(), 30..=30),
        same_set,
    );
}

#[test]
fn any_map_and_set_follow_any_btreemap_and_btreeset() {
    draws_and_shrinks_alike(
        &any::<AvlMap<u8, u16>>(),
        &any::<BTreeMap<u8, u16>>(),
        same_map,
    );
    draws_and_shrinks_alike(&any::<AvlSetRc<i8>>(), &any::<BTreeSet<i8>>(), same_set);
    // The parameters are std's: the size range, then the keys' and values'.
    let params = (SizeRange::from(3..6), (), ());
    draws_and_shrinks_alike(
        &any_with::<AvlMapRc<u16, bool>>(params.clone()),
        &any_with::<BTreeMap<u16, bool>>(params),
        same_map,
    );
    let mut runner = runner();
    for _ in 0..DRAWS {
        let set = any_with::<AvlSet<u32>>((SizeRange::from(4..=4), ()))
            .new_tree(&mut runner)
            .unwrap()
            .current();
        assert_eq!(set.len(), 4);
    }
}

/// `bool` keys give at most two distinct keys: every draw of three or more
/// is rejected, and the strategy gives up as `btree_map` does.
#[test]
fn a_key_strategy_with_too_few_distinct_keys_fails_as_btree_map_does() {
    let few_rejects = || {
        runner_with(Config {
            max_local_rejects: 1000,
            ..Config::default()
        })
    };
    assert!(
        avl_map(any::<bool>(), Just(()), 3..5)
            .new_tree(&mut few_rejects())
            .is_err()
    );
    assert!(
        btree_map(any::<bool>(), Just(()), 3..5)
            .new_tree(&mut few_rejects())
            .is_err()
    );
    assert!(avl_set(0..2u8, 3).new_tree(&mut few_rejects()).is_err());
    // Two keys are possible, and drawn.
    let map = avl_map(any::<bool>(), Just(()), 2)
        .new_tree(&mut few_rejects())
        .unwrap()
        .current();
    assert_eq!(map.keys().collect::<Vec<_>>(), [&false, &true]);
}

/// Runs `property` on maps drawn by `strategy` and returns the minimal
/// failing map proptest reports.
fn minimal_failure<S: Strategy>(strategy: &S, property: fn(&S::Value) -> bool) -> S::Value {
    let mut runner = runner();
    match runner.run(strategy, |value| {
        prop_assert!(property(&value));
        Ok(())
    }) {
        Err(TestError::Fail(_, minimal)) => minimal,
        other => panic!("the property should fail: {other:?}"),
    }
}

/// "No key of 100 or more" fails; it shrinks to one entry, the key 100 and
/// the value 0.
fn a_map_shrinks_to_its_smallest_failing_case<P: PointerKind>() {
    let minimal = minimal_failure(
        &generic_avl_map::<P, _, _>(0..1000u32, 0..1000u32, 0..50),
        |map| map.keys().all(|&k| k < 100),
    );
    minimal.check_invariants().unwrap();
    assert!(minimal.iter().eq([(&100, &0)]), "{minimal:?}");
}

#[test]
fn a_failing_map_shrinks_to_the_smallest_map_that_fails() {
    a_map_shrinks_to_its_smallest_failing_case::<ArcKind>();
    a_map_shrinks_to_its_smallest_failing_case::<RcKind>();
    a_map_shrinks_to_its_smallest_failing_case::<Classic>();
}

#[test]
fn a_failing_set_shrinks_to_the_smallest_set_that_fails() {
    let minimal = minimal_failure(&avl_set(0..1000u32, 0..50), |set| {
        set.iter().all(|&x| x < 10)
    });
    assert_eq!(minimal, AvlSet::from([10]));
    let minimal = minimal_failure(&generic_avl_set::<SmallRc, _>(0..1000u32, 0..50), |set| {
        set.len() < 5
    });
    minimal.check_invariants().unwrap();
    assert_eq!(minimal.len(), 5, "{minimal:?}");
}

/// A property that always fails shrinks as far as it can, and never below
/// the size range's minimum.
#[test]
fn shrinking_never_goes_below_the_minimum_size() {
    let minimal = minimal_failure(&avl_map(0..1000u32, 0..10u8, 3..10), |_| false);
    minimal.check_invariants().unwrap();
    assert_eq!(minimal.len(), 3, "{minimal:?}");
    assert!(minimal.values().all(|&v| v == 0), "{minimal:?}");
    let minimal = minimal_failure(&generic_avl_set::<RcKind, _>(0..1000u32, 2..10), |_| false);
    assert_eq!(minimal.len(), 2, "{minimal:?}");
}
