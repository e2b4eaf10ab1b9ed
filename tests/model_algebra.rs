//! The sequential whole-tree operations behave as their std models.
//!
//! Maps: `union_map`, `intersection_map`, `difference_map`,
//! `symmetric_difference_map` and the `_with` forms against the same
//! operations done on `BTreeMap`s; `split`, `split_at`, `range_map` (which
//! must panic exactly when the lazy `range` does, and takes every kind of
//! range), `filter`, `filter_map`, `map_values`, `get_prev` and `get_next`.
//! Sets: the `_set` forms, the operators `|`, `&`, `-` and `^`, the same
//! slicing, `is_subset`, `is_superset` and `is_disjoint`, against
//! `BTreeSet`; and a bulk `extend` of maps and sets against std's `extend`.
//! Every result must pass `check_invariants`, and every input must hold
//! afterwards exactly what it held before. The filter and set-merge
//! properties also check, on the same cases, that `par_filter`,
//! `par_filter_map`, `par_map_values` and the parallel set merges return the
//! sequential result (the parallel forms on their own are tested in
//! `model_parallel.rs`).
//!
//! The map properties run on three layouts: the default blocks of 32,
//! blocks of 4 (so that maps of a few dozen entries have many nodes and
//! blocks), and the classic tree of one entry per node. Pairs of maps are
//! built three ways: independently, one far smaller than the other, and as
//! versions of one map a few edits apart, which share most of their nodes.
//!
//! The bulk `extend` property draws the map it extends with the crate's own
//! `avl_map` strategy, so it runs with the `proptest` feature.
//!
//! Beyond contents: of two equal keys, the merges, `split` and the set
//! operations keep the one std keeps; results built from close versions
//! must share all but the paths to what differs (counted by `sharing`); a
//! merge entry by entry clones only the entries it keeps; and a panic in
//! `Ord` or in a closure must leave both inputs intact.

mod common;

use persistent_avl::{GenericAvlMap, GenericAvlSet};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound::{Excluded, Included, Unbounded};
use std::ops::RangeBounds;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::PoisonError;
use std::sync::atomic::AtomicIsize;

use common::algebra::{
    CLOSURE_FUSE, FUSES, Fused, FusedMap, FusedOp, Keyed, LargeModel, ORD_FUSE, OneCase, Pair,
    PairCase, Pick, Tagged, assert_shares_all_but, build, check_kept_keys, check_map, check_merges,
    check_parallel_filters, check_set, check_set_twin, close_versions, difference_model,
    intersection_model, keys_of, larger, numbers, one_case, pair_case, panic_message, paths, quiet,
    set_of, shape, sweep, symmetric_difference_model, tagged, tags, tick, union_model,
    union_with_model,
};
use common::{Bounds, Model, SetModel};
use persistent_avl::{ArcKind, AvlMap, AvlSet, BlockSize, PointerKind};
use proptest::prelude::*;
#[cfg(feature = "proptest")]
use {common::algebra::entry, persistent_avl::proptest::avl_map, proptest::collection::vec};

/// Blocks of four entries: small maps get many nodes and blocks.
type Small = BlockSize<ArcKind, 4>;
/// One entry per node.
type Classic = persistent_avl::Classic<ArcKind>;

// ---------------------------------------------------------------------------
// Ranges

/// Whether std (and so the lazy `range`) rejects the bounds.
fn rejected(range: &Bounds) -> bool {
    match *range {
        (Excluded(s), Excluded(e)) if s == e => true,
        (Included(s) | Excluded(s), Included(e) | Excluded(e)) => s > e,
        _ => false,
    }
}

/// The entries of `model` in `range`, by `RangeBounds::contains` (empty for
/// bounds std would reject).
fn range_model<V: Copy>(model: &BTreeMap<u16, V>, range: &Bounds) -> BTreeMap<u16, V> {
    model
        .iter()
        .filter(|(k, _)| range.contains(*k))
        .map(|(&k, &v)| (k, v))
        .collect()
}

// ---------------------------------------------------------------------------
// Map algebra

/// Every merge of the pair, both ways round and each map with itself; then
/// the inputs are as they were.
fn run_merges<P: PointerKind>(case: &PairCase) -> Result<(), TestCaseError> {
    let Pair {
        base,
        a,
        b,
        base_model,
        ma,
        mb,
    } = case.build::<P>();
    check_merges(&a, &b, &ma, &mb)?;
    check_merges(&b, &a, &mb, &ma)?;
    check_merges(&a, &a, &ma, &ma)?;
    check_merges(&a, &base, &ma, &base_model)?;
    check_map("the first input afterwards", &a, &ma)?;
    check_map("the second input afterwards", &b, &mb)?;
    check_map("the base afterwards", &base, &base_model)
}

// ---------------------------------------------------------------------------
// Map slicing and filtering

/// `split`, `split_at`, `range_map`, `get_prev` and `get_next` of one map.
fn run_slices<P: PointerKind>(case: &OneCase) -> Result<(), TestCaseError> {
    let map = build::<P>(&case.entries, case.by_insert);
    let model: Model = case.entries.iter().copied().collect();

    let mut probes = case.probes.clone();
    probes.extend(model.keys().next());
    probes.extend(model.keys().next_back());
    for &key in &probes {
        let (below, found, above) = map.split(&key);
        let what = format!("split({key})");
        check_map(
            &what,
            &below,
            &range_model(&model, &(Unbounded, Excluded(key))),
        )?;
        prop_assert_eq!(
            found,
            model.get_key_value(&key).map(|(&k, &v)| (k, v)),
            "{}",
            what
        );
        check_map(
            &what,
            &above,
            &range_model(&model, &(Excluded(key), Unbounded)),
        )?;
    }

    let mut indices = case.indices.clone();
    indices.extend([0, model.len(), model.len() + 1]);
    let entries: Vec<(u16, u32)> = model.iter().map(|(&k, &v)| (k, v)).collect();
    for &index in &indices {
        let (first, rest) = map.split_at(index);
        let at = index.min(entries.len());
        let what = format!("split_at({index})");
        check_map(&what, &first, &entries[..at].iter().copied().collect())?;
        check_map(&what, &rest, &entries[at..].iter().copied().collect())?;
    }

    for range in &case.ranges {
        check_range_map(&map, &model, range)?;
    }

    // Around every key, and the probes.
    let mut around: Vec<u16> = probes;
    for &k in model.keys() {
        around.extend([k.wrapping_sub(1), k, k.wrapping_add(1)]);
    }
    for key in around {
        prop_assert_eq!(
            map.get_prev(&key),
            model.range(..key).next_back(),
            "get_prev({})",
            key
        );
        prop_assert_eq!(
            map.get_next(&key),
            model.range((Excluded(key), Unbounded)).next(),
            "get_next({})",
            key
        );
    }
    check_map("the map afterwards", &map, &model)
}

/// `range_map(range)` panics, with the same message, exactly when the lazy
/// `range(range)` does (on a non-empty map, for the bounds std rejects), and
/// otherwise holds what the lazy range yields.
fn check_range_map<P: PointerKind>(
    map: &GenericAvlMap<u16, u32, P>,
    model: &Model,
    range: &Bounds,
) -> Result<(), TestCaseError> {
    quiet();
    let lazy = catch_unwind(AssertUnwindSafe(|| {
        map.range(*range).map(|(&k, &v)| (k, v)).collect::<Vec<_>>()
    }));
    let tree = catch_unwind(AssertUnwindSafe(|| map.range_map(*range)));
    let should_panic = !model.is_empty() && rejected(range);
    match (lazy, tree) {
        (Ok(lazy), Ok(tree)) => {
            prop_assert!(!should_panic, "range_map({:?}) did not panic", range);
            let what = format!("range_map({range:?})");
            let expected = range_model(model, range);
            prop_assert!(
                lazy.iter()
                    .copied()
                    .eq(expected.iter().map(|(&k, &v)| (k, v)))
            );
            check_map(&what, &tree, &expected)
        }
        (Err(lazy), Err(tree)) => {
            prop_assert!(should_panic, "range({:?}) panicked", range);
            prop_assert_eq!(panic_message(&*tree), panic_message(&*lazy));
            Ok(())
        }
        (lazy, tree) => Err(TestCaseError::fail(format!(
            "{range:?}: range panicked: {}, range_map panicked: {}",
            lazy.is_err(),
            tree.is_err()
        ))),
    }
}

/// `filter`, `filter_map` and `map_values` of one map.
fn run_filters<P: PointerKind>(case: &OneCase) -> Result<(), TestCaseError> {
    let map = build::<P>(&case.entries, case.by_insert);
    let model: Model = case.entries.iter().copied().collect();
    for &pick in &case.picks {
        let kept: Model = model
            .iter()
            .filter(|&(&k, &v)| pick.keeps(k, v))
            .map(|(&k, &v)| (k, v))
            .collect();
        check_map(
            &format!("filter({pick:?})"),
            &map.filter(|&k, &v| pick.keeps(k, v)),
            &kept,
        )?;
        let mapped: BTreeMap<u16, u64> = kept
            .iter()
            .map(|(&k, &v)| (k, u64::from(v) * 3 + u64::from(k)))
            .collect();
        check_map(
            &format!("filter_map({pick:?})"),
            &map.filter_map(|&k, &v| pick.keeps(k, v).then(|| u64::from(v) * 3 + u64::from(k))),
            &mapped,
        )?;
    }
    let labels = map.map_values(|&k, &v| (u64::from(v) << 16) | u64::from(k));
    let label_model: BTreeMap<u16, u64> = model
        .iter()
        .map(|(&k, &v)| (k, (u64::from(v) << 16) | u64::from(k)))
        .collect();
    check_map("map_values", &labels, &label_model)?;
    prop_assert_eq!(shape(&labels), shape(&map), "map_values changed the shape");
    check_map("the map afterwards", &map, &model)
}

// ---------------------------------------------------------------------------
// Sets

/// Every merge of `a` with `b`, as a method and as an operator, matches
/// std's.
fn check_set_merges<P: PointerKind>(
    a: &GenericAvlSet<u16, P>,
    b: &GenericAvlSet<u16, P>,
    ma: &SetModel,
    mb: &SetModel,
) -> Result<(), TestCaseError> {
    let union = a.union_set(b);
    check_set("union_set", &union, &ma.union(mb).copied().collect())?;
    check_set("a | b", &(a | b), &ma.union(mb).copied().collect())?;
    prop_assert!((a | b) == union);

    let intersection = a.intersection_set(b);
    check_set(
        "intersection_set",
        &intersection,
        &ma.intersection(mb).copied().collect(),
    )?;
    check_set("a & b", &(a & b), &ma.intersection(mb).copied().collect())?;
    prop_assert!((a & b) == intersection);

    let difference = a.difference_set(b);
    check_set(
        "difference_set",
        &difference,
        &ma.difference(mb).copied().collect(),
    )?;
    check_set("a - b", &(a - b), &ma.difference(mb).copied().collect())?;
    prop_assert!((a - b) == difference);

    let either = a.symmetric_difference_set(b);
    check_set(
        "symmetric_difference_set",
        &either,
        &ma.symmetric_difference(mb).copied().collect(),
    )?;
    check_set(
        "a ^ b",
        &(a ^ b),
        &ma.symmetric_difference(mb).copied().collect(),
    )?;
    prop_assert!((a ^ b) == either);
    Ok(())
}

fn check_parallel_set_merges(a: &AvlSet<u16>, b: &AvlSet<u16>) -> Result<(), TestCaseError> {
    check_set_twin("par_union_set", &a.par_union_set(b), &a.union_set(b))?;
    check_set_twin(
        "par_intersection_set",
        &a.par_intersection_set(b),
        &a.intersection_set(b),
    )?;
    check_set_twin(
        "par_difference_set",
        &a.par_difference_set(b),
        &a.difference_set(b),
    )?;
    check_set_twin(
        "par_symmetric_difference_set",
        &a.par_symmetric_difference_set(b),
        &a.symmetric_difference_set(b),
    )
}

fn run_set_merges<P: PointerKind>(case: &PairCase) -> Result<(), TestCaseError> {
    let pair = case.build::<P>();
    let (a, b, base) = (set_of(&pair.a), set_of(&pair.b), set_of(&pair.base));
    let (ma, mb, mbase) = (
        keys_of(&pair.ma),
        keys_of(&pair.mb),
        keys_of(&pair.base_model),
    );
    check_set_merges(&a, &b, &ma, &mb)?;
    check_set_merges(&b, &a, &mb, &ma)?;
    check_set_merges(&a, &a, &ma, &ma)?;
    check_set_merges(&a, &base, &ma, &mbase)?;
    check_set("the first input afterwards", &a, &ma)?;
    check_set("the second input afterwards", &b, &mb)
}

/// `split`, `split_at`, `range_set`, `filter`, `get_prev` and `get_next` of
/// one set.
fn run_set_slices<P: PointerKind>(case: &OneCase) -> Result<(), TestCaseError> {
    quiet();
    let set: GenericAvlSet<u16, P> = case.entries.iter().map(|&(k, _)| k).collect();
    let model: SetModel = case.entries.iter().map(|&(k, _)| k).collect();
    let elements: Vec<u16> = model.iter().copied().collect();

    for &key in &case.probes {
        let (below, found, above) = set.split(&key);
        let what = format!("split({key})");
        check_set(&what, &below, &model.range(..key).copied().collect())?;
        prop_assert_eq!(found, model.get(&key).copied(), "{}", what);
        check_set(
            &what,
            &above,
            &model.range((Excluded(key), Unbounded)).copied().collect(),
        )?;
        prop_assert_eq!(set.get_prev(&key), model.range(..key).next_back());
        prop_assert_eq!(
            set.get_next(&key),
            model.range((Excluded(key), Unbounded)).next()
        );
    }
    for &index in case.indices.iter().chain(&[0, model.len()]) {
        let (first, rest) = set.split_at(index);
        let at = index.min(elements.len());
        check_set(
            "split_at",
            &first,
            &elements[..at].iter().copied().collect(),
        )?;
        check_set("split_at", &rest, &elements[at..].iter().copied().collect())?;
    }
    for range in &case.ranges {
        let lazy = catch_unwind(AssertUnwindSafe(|| set.range(*range).count()));
        let tree = catch_unwind(AssertUnwindSafe(|| set.range_set(*range)));
        match (lazy, tree) {
            (Ok(_), Ok(tree)) => check_set(
                &format!("range_set({range:?})"),
                &tree,
                &model
                    .iter()
                    .filter(|k| range.contains(*k))
                    .copied()
                    .collect(),
            )?,
            (Err(lazy), Err(tree)) => {
                prop_assert_eq!(panic_message(&*tree), panic_message(&*lazy));
            }
            (lazy, _) => {
                return Err(TestCaseError::fail(format!(
                    "{range:?}: only one of range and range_set panicked (range: {})",
                    lazy.is_err()
                )));
            }
        }
    }
    for &pick in &case.picks {
        check_set(
            &format!("filter({pick:?})"),
            &set.filter(|&k| pick.keeps(k, 1)),
            &model
                .iter()
                .filter(|&&k| pick.keeps(k, 1))
                .copied()
                .collect(),
        )?;
    }
    check_set("the set afterwards", &set, &model)
}

// ---------------------------------------------------------------------------
// The properties

proptest! {
    #![proptest_config(common::config())]

    #[test]
    fn merging_two_maps_matches_btreemap(case in pair_case()) {
        run_merges::<ArcKind>(&case)?;
        run_merges::<Small>(&case)?;
        run_merges::<Classic>(&case)?;
    }

    #[test]
    fn splitting_and_slicing_a_map_matches_btreemap(case in one_case()) {
        run_slices::<ArcKind>(&case)?;
        run_slices::<Small>(&case)?;
        run_slices::<Classic>(&case)?;
    }

    #[test]
    fn filtering_and_mapping_a_map_matches_btreemap(case in one_case()) {
        run_filters::<ArcKind>(&case)?;
        run_filters::<Small>(&case)?;
        run_filters::<Classic>(&case)?;
        let map = build::<ArcKind>(&case.entries, case.by_insert);
        for &pick in &case.picks {
            check_parallel_filters(&map, |&k, &v| pick.keeps(k, v))?;
        }
    }

    #[test]
    fn merging_two_sets_matches_btreeset(case in pair_case()) {
        run_set_merges::<ArcKind>(&case)?;
        run_set_merges::<Small>(&case)?;
        run_set_merges::<Classic>(&case)?;
        let pair = case.build::<ArcKind>();
        let (a, b) = (set_of(&pair.a), set_of(&pair.b));
        check_parallel_set_merges(&a, &b)?;
        check_parallel_set_merges(&b, &a)?;
        for pick in [Pick::DropMultiplesOf(3), Pick::Below(100)] {
            check_set_twin(
                "par_filter",
                &a.par_filter(|&k| pick.keeps(k, 1)),
                &a.filter(|&k| pick.keeps(k, 1)),
            )?;
        }
    }

    #[test]
    fn splitting_and_filtering_a_set_matches_btreeset(case in one_case()) {
        run_set_slices::<ArcKind>(&case)?;
        run_set_slices::<Small>(&case)?;
        run_set_slices::<Classic>(&case)?;
    }
}

// ---------------------------------------------------------------------------
// Which key a result holds

const LEFT: [(u32, char, u32); 4] = [(1, 'a', 10), (2, 'a', 20), (4, 'a', 40), (6, 'a', 60)];
const RIGHT: [(u32, char, u32); 4] = [(2, 'b', 2), (3, 'b', 3), (4, 'b', 4), (7, 'b', 7)];

#[test]
fn union_keeps_the_left_key_and_the_right_value() {
    let union = tagged::<ArcKind>(&LEFT).union_map(&tagged(&RIGHT));
    assert_eq!(
        tags(union.iter()),
        [
            (1, 'a', 10),
            (2, 'a', 2),
            (3, 'b', 3),
            (4, 'a', 4),
            (6, 'a', 60),
            (7, 'b', 7)
        ]
    );
    check_kept_keys::<ArcKind>(&LEFT, &RIGHT);
    check_kept_keys::<Small>(&LEFT, &RIGHT);
    check_kept_keys::<Classic>(&LEFT, &RIGHT);
}

#[test]
fn the_combining_forms_keep_the_left_key_and_pass_the_left_value_first() {
    let (a, b) = (tagged::<ArcKind>(&LEFT), tagged::<ArcKind>(&RIGHT));
    let union = a.union_map_with(&b, |_, x, y| x * 100 + y);
    assert_eq!(
        tags(union.iter()),
        [
            (1, 'a', 10),
            (2, 'a', 2002),
            (3, 'b', 3),
            (4, 'a', 4004),
            (6, 'a', 60),
            (7, 'b', 7)
        ]
    );
    let both = a.intersection_map_with(&b, |_, x, y| x * 100 + y);
    assert_eq!(tags(both.iter()), [(2, 'a', 2002), (4, 'a', 4004)]);
    let both = a.intersection_map(&b);
    assert_eq!(tags(both.iter()), [(2, 'a', 20), (4, 'a', 40)]);
}

#[test]
fn set_algebra_keeps_the_left_copy_of_equal_elements() {
    let element = |(k, t, _): (u32, char, u32)| Tagged(k, t);
    let a: AvlSet<Tagged> = LEFT.into_iter().map(element).collect();
    let b: AvlSet<Tagged> = RIGHT.into_iter().map(element).collect();
    let read = |set: &AvlSet<Tagged>| set.iter().map(|t| (t.0, t.1)).collect::<Vec<_>>();
    let union = [(1, 'a'), (2, 'a'), (3, 'b'), (4, 'a'), (6, 'a'), (7, 'b')];
    assert_eq!(read(&a.union_set(&b)), union);
    assert_eq!(read(&(&a | &b)), union);
    assert_eq!(read(&a.par_union_set(&b)), union);
    assert_eq!(read(&a.intersection_set(&b)), [(2, 'a'), (4, 'a')]);
    assert_eq!(read(&(&a & &b)), [(2, 'a'), (4, 'a')]);
    assert_eq!(read(&(&b & &a)), [(2, 'b'), (4, 'b')]);
    assert_eq!(read(&a.par_intersection_set(&b)), [(2, 'a'), (4, 'a')]);
    assert_eq!(read(&(&a ^ &b)), [(1, 'a'), (3, 'b'), (6, 'a'), (7, 'b')]);
    // std's lazy union also yields the left copy.
    let (sa, sb): (BTreeSet<Tagged>, BTreeSet<Tagged>) =
        (a.iter().copied().collect(), b.iter().copied().collect());
    assert_eq!(sa.union(&sb).map(|t| (t.0, t.1)).collect::<Vec<_>>(), union);
}

thread_local! {
    /// Clones of `Counted` made on this thread.
    static CLONES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Of those, clones of odd numbers.
    static ODD_CLONES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// A number whose clones are counted.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Counted(u32);

impl Clone for Counted {
    fn clone(&self) -> Self {
        CLONES.with(|c| c.set(c.get() + 1));
        if self.0 % 2 == 1 {
            ODD_CLONES.with(|c| c.set(c.get() + 1));
        }
        Counted(self.0)
    }
}

/// How many clones `f` makes, and its result.
fn clones<R>(f: impl FnOnce() -> R) -> (usize, R) {
    let before = CLONES.with(std::cell::Cell::get);
    let result = f();
    (CLONES.with(std::cell::Cell::get) - before, result)
}

/// Two maps of `n` keys each, `n / 2` of them in both, built apart so that
/// they share nothing, and small enough to be merged entry by entry: each
/// merge clones the key and the value of every entry it keeps and nothing
/// else, so a key both hold and the result drops costs no clone, and one
/// it keeps costs a key and a value (with a `_with` form, a key and the two
/// values for the closure). `n` is large enough that no result fits in one
/// block: a version's root is a node, and a block made into one is copied.
fn merges_clone_only_what_they_keep<P: PointerKind>(n: u32) {
    let map = |keys: std::ops::Range<u32>| -> GenericAvlMap<Counted, Counted, P> {
        keys.map(|k| (Counted(k), Counted(k))).collect()
    };
    let half = n / 2;
    let (a, b) = (map(0..n), map(half..n + half));
    let sum = |_: &Counted, x: Counted, y: Counted| Counted(x.0 + y.0);
    let check = |what: &str, expected: usize, merge: &dyn Fn() -> GenericAvlMap<_, _, P>| {
        let (made, result) = clones(merge);
        assert_eq!(made, expected, "{what}: clones");
        assert!(result.check_invariants().is_ok(), "{what}");
    };
    // Two clones for each entry kept, three for each key both hold whose
    // values a closure combines.
    let (n, half) = (n as usize, half as usize);
    check("difference", 2 * half, &|| a.difference_map(&b));
    check("intersection", 2 * half, &|| a.intersection_map(&b));
    check("symmetric difference", 2 * n, &|| {
        a.symmetric_difference_map(&b)
    });
    check("union", 2 * (n + half), &|| a.union_map(&b));
    check("union_map_with", 2 * n + 3 * half, &|| {
        a.union_map_with(&b, sum)
    });
    check("intersection_map_with", 3 * half, &|| {
        a.intersection_map_with(&b, sum)
    });
}

#[test]
fn merges_clone_only_what_they_keep_default() {
    merges_clone_only_what_they_keep::<ArcKind>(100);
}

#[test]
fn merges_clone_only_what_they_keep_small_blocks() {
    merges_clone_only_what_they_keep::<Small>(20);
}

/// How many clones of odd numbers `f` makes, and its result.
fn odd_clones<R>(f: impl FnOnce() -> R) -> (usize, R) {
    let before = ODD_CLONES.with(std::cell::Cell::get);
    let result = f();
    (ODD_CLONES.with(std::cell::Cell::get) - before, result)
}

/// A small map whose keys fall between a large one's (odd keys among even
/// ones), merged with it either way round. The small map, a few blocks'
/// worth, is read in place: the large one is taken apart node by node and
/// the small one's entries cut at its keys by index, never split into
/// copied pieces. So the small map's entries are cloned only into the
/// result, a key and a value for each it keeps: none for an intersection,
/// which keeps nothing, or for the large map minus the small one.
fn a_small_map_is_cloned_only_into_the_result<P: PointerKind>(small_len: u32, big_len: u32) {
    let step = 2 * big_len / small_len;
    let small: GenericAvlMap<Counted, Counted, P> = (0..small_len)
        .map(|i| (Counted(i * step + 1), Counted(i * step + 1)))
        .collect();
    let big: GenericAvlMap<Counted, Counted, P> = (0..big_len)
        .map(|i| (Counted(2 * i), Counted(2 * i)))
        .collect();
    let check = |what: &str, expected: usize, merge: &dyn Fn() -> GenericAvlMap<_, _, P>| {
        let (made, result) = odd_clones(merge);
        assert_eq!(made, expected, "{what}: clones of the small map's entries");
        assert!(result.check_invariants().is_ok(), "{what}");
    };
    let kept = 2 * small_len as usize;
    check("small & big", 0, &|| small.intersection_map(&big));
    check("big & small", 0, &|| big.intersection_map(&small));
    check("small - big", kept, &|| small.difference_map(&big));
    check("big - small", 0, &|| big.difference_map(&small));
    check("small | big", kept, &|| small.union_map(&big));
    check("big | small", kept, &|| big.union_map(&small));
}

#[test]
fn a_small_map_is_cloned_only_into_the_result_default() {
    a_small_map_is_cloned_only_into_the_result::<ArcKind>(64, 4096);
}

#[test]
fn a_small_map_is_cloned_only_into_the_result_small_blocks() {
    a_small_map_is_cloned_only_into_the_result::<Small>(16, 1024);
}

#[test]
fn split_returns_the_stored_entry() {
    let map = tagged::<Small>(&LEFT);
    let (below, found, above) = map.split(&Tagged(2, 'z'));
    assert_eq!(found.map(|(k, v)| (k.0, k.1, v)), Some((2, 'a', 20)));
    assert_eq!(tags(below.iter()), [(1, 'a', 10)]);
    assert_eq!(tags(above.iter()), [(4, 'a', 40), (6, 'a', 60)]);
    let set: AvlSet<Tagged> = [Tagged(5, 'a'), Tagged(9, 'a')].into();
    assert_eq!(set.split(&Tagged(9, 'z')).1.map(|t| t.1), Some('a'));
}

// ---------------------------------------------------------------------------
// Sharing

fn model_of<P: PointerKind>(map: &Keyed<P>) -> LargeModel {
    map.iter().map(|(&k, &v)| (k, v)).collect()
}

/// The merges of two versions a few edits apart, checked and measured.
fn merges_of_close_versions_share_structure<P: PointerKind>() -> Result<(), TestCaseError> {
    const EDITS: u32 = 6;
    let (a, b) = close_versions::<P>(2000, EDITS);
    let (ma, mb) = (model_of(&a), model_of(&b));
    let bound = paths(EDITS as usize, &b);

    let union = a.union_map(&b);
    check_map("union_map", &union, &union_model(&ma, &mb))?;
    assert_shares_all_but("union_map with the second", &union, &b, bound);
    assert_shares_all_but("union_map with the first", &union, &a, bound);

    // With the promise that `f(k, v, v) == v`, shared subtrees stay whole;
    // without it, every shared key is combined, so copied.
    let most = a.union_map_with_idempotent(&b, larger);
    check_map(
        "union_map_with_idempotent",
        &most,
        &union_with_model(&ma, &mb, larger),
    )?;
    assert_shares_all_but("union_map_with_idempotent", &most, &b, bound);
    let combined = a.union_map_with(&b, larger);
    prop_assert!(
        combined.sharing(&b).only_first > bound,
        "union_map_with opens what the two share"
    );

    let both = a.intersection_map(&b);
    check_map("intersection_map", &both, &intersection_model(&ma, &mb))?;
    assert_shares_all_but("intersection_map with the first", &both, &a, bound);

    // What one version has and the other lacks: the few edited keys.
    let removed = a.difference_map(&b);
    check_map("difference_map", &removed, &difference_model(&ma, &mb))?;
    prop_assert!(removed.len() <= EDITS as usize);
    let either = a.symmetric_difference_map(&b);
    check_map(
        "symmetric_difference_map",
        &either,
        &symmetric_difference_model(&ma, &mb),
    )?;
    prop_assert!(either.len() <= EDITS as usize);

    // Removing a few keys by a difference keeps the rest of the tree.
    let few: Keyed<P> = (0..EDITS)
        .map(|e| (2 * ((e * 7919 + 13) % 2000), 0))
        .collect();
    let rest = a.difference_map(&few);
    check_map(
        "difference_map",
        &rest,
        &difference_model(&ma, &model_of(&few)),
    )?;
    assert_shares_all_but("difference_map of a few keys", &rest, &a, bound);

    check_map("the first input afterwards", &a, &ma)?;
    check_map("the second input afterwards", &b, &mb)
}

#[test]
fn merges_of_close_versions_share_all_but_the_paths_to_their_differences()
-> Result<(), TestCaseError> {
    merges_of_close_versions_share_structure::<ArcKind>()?;
    merges_of_close_versions_share_structure::<Small>()?;
    merges_of_close_versions_share_structure::<Classic>()
}

fn slices_share_structure<P: PointerKind>() -> Result<(), TestCaseError> {
    let (map, _) = close_versions::<P>(2000, 0);
    let model = model_of(&map);
    let one = paths(1, &map);

    let dropped = map.filter(|&k, _| k != 1234);
    let mut expected = model.clone();
    expected.remove(&1234);
    check_map("filter", &dropped, &expected)?;
    assert_shares_all_but("filter dropping one key", &dropped, &map, one);
    let kept = map.filter(|_, _| true);
    prop_assert_eq!(
        kept.sharing(&map).only_first,
        0,
        "filter keeping everything"
    );

    let (below, _, above) = map.split(&2001);
    assert_shares_all_but("split, below", &below, &map, one);
    assert_shares_all_but("split, above", &above, &map, one);
    let (first, rest) = map.split_at(777);
    assert_shares_all_but("split_at, first", &first, &map, one);
    assert_shares_all_but("split_at, rest", &rest, &map, one);
    let middle = map.range_map(1000..3000);
    check_map(
        "range_map",
        &middle,
        &model.range(1000..3000).map(|(&k, &v)| (k, v)).collect(),
    )?;
    assert_shares_all_but("range_map", &middle, &map, 2 * one);
    Ok(())
}

#[test]
fn filter_split_and_range_share_all_but_one_path_with_the_map() -> Result<(), TestCaseError> {
    slices_share_structure::<ArcKind>()?;
    slices_share_structure::<Small>()?;
    slices_share_structure::<Classic>()
}

// ---------------------------------------------------------------------------
// Panic safety

/// Sweeps every merge and filter of `a` and `b`, with `Ord` and the
/// closures panicking at every call in turn, and checks each completed
/// result against the same operation on plain keys.
fn merges_survive_panics<P: PointerKind>(a: &FusedMap<P>, b: &FusedMap<P>) {
    let plain = |map: &FusedMap<P>| -> Keyed<P> { map.iter().map(|(k, &v)| (k.0, v)).collect() };
    let (pa, pb) = (plain(a), plain(b));
    let every = || 0..;
    let both = [a, b];
    let cases: [(&str, &AtomicIsize, FusedOp<'_, P>, Keyed<P>); 11] = [
        (
            "union_map",
            &ORD_FUSE,
            Box::new(|| a.union_map(b)),
            pa.union_map(&pb),
        ),
        (
            "intersection_map",
            &ORD_FUSE,
            Box::new(|| a.intersection_map(b)),
            pa.intersection_map(&pb),
        ),
        (
            "difference_map",
            &ORD_FUSE,
            Box::new(|| a.difference_map(b)),
            pa.difference_map(&pb),
        ),
        (
            "symmetric_difference_map",
            &ORD_FUSE,
            Box::new(|| a.symmetric_difference_map(b)),
            pa.symmetric_difference_map(&pb),
        ),
        (
            "union_map_with",
            &ORD_FUSE,
            Box::new(|| a.union_map_with(b, |_, x, y| x + y)),
            pa.union_map_with(&pb, |_, x, y| x + y),
        ),
        (
            "union_map_with, the closure panics",
            &CLOSURE_FUSE,
            Box::new(|| {
                a.union_map_with(b, |_, x, y| {
                    tick(&CLOSURE_FUSE);
                    x + y
                })
            }),
            pa.union_map_with(&pb, |_, x, y| x + y),
        ),
        (
            "intersection_map_with, the closure panics",
            &CLOSURE_FUSE,
            Box::new(|| {
                a.intersection_map_with(b, |_, x, y| {
                    tick(&CLOSURE_FUSE);
                    x * y
                })
            }),
            pa.intersection_map_with(&pb, |_, x, y| x * y),
        ),
        (
            "filter, the closure panics",
            &CLOSURE_FUSE,
            Box::new(|| {
                a.filter(|k, _| {
                    tick(&CLOSURE_FUSE);
                    !k.0.is_multiple_of(4)
                })
            }),
            pa.filter(|k, _| !k.is_multiple_of(4)),
        ),
        (
            "filter_map, the closure panics",
            &CLOSURE_FUSE,
            Box::new(|| {
                a.filter_map(|k, v| {
                    tick(&CLOSURE_FUSE);
                    (!k.0.is_multiple_of(3)).then_some(v + 1)
                })
            }),
            pa.filter_map(|k, v| (!k.is_multiple_of(3)).then_some(v + 1)),
        ),
        (
            "map_values, the closure panics",
            &CLOSURE_FUSE,
            Box::new(|| {
                a.map_values(|_, v| {
                    tick(&CLOSURE_FUSE);
                    v * 2
                })
            }),
            pa.map_values(|_, v| v * 2),
        ),
        (
            "range_map",
            &ORD_FUSE,
            Box::new(|| a.range_map(Fused(30)..Fused(300))),
            pa.range_map(30..300),
        ),
    ];
    for (what, fuse, op, expected) in cases {
        let (result, panics) = sweep(what, fuse, every(), &both, op);
        assert!(panics > 0, "{what}: nothing panicked");
        assert_eq!(result.check_invariants(), Ok(()), "{what}");
        assert!(
            numbers(&result)
                .into_iter()
                .eq(expected.iter().map(|(&k, &v)| (k, v))),
            "{what}: wrong result after the sweep"
        );
    }
}

/// A map of keys 0, 3, ..., 357 built in a scrambled order; a version of
/// it a few edits later; a map built on its own, with keys between theirs
/// and equal to some; and a map of six such keys, small enough beside the
/// first to be read in place.
fn fused_maps<P: PointerKind>() -> (FusedMap<P>, FusedMap<P>, FusedMap<P>, FusedMap<P>) {
    let mut a = FusedMap::<P>::empty();
    for i in 0..120 {
        let k = (i * 37 % 120) * 3;
        a.insert(Fused(k), k);
    }
    let mut edited = a.clone();
    edited.insert(Fused(4), 1);
    edited.insert(Fused(400), 2);
    edited.remove(&Fused(30));
    edited = edited.removed(&Fused(300)).inserted(Fused(60), 3);
    let fresh: FusedMap<P> = (40..100).map(|i| (Fused(i * 2), i)).collect();
    let few: FusedMap<P> = [3, 31, 90, 91, 200, 357]
        .into_iter()
        .map(|k| (Fused(k), k + 1))
        .collect();
    (a, edited, fresh, few)
}

fn panics_leave_inputs_intact<P: PointerKind>() {
    let (a, edited, fresh, few) = fused_maps::<P>();
    merges_survive_panics(&a, &edited);
    merges_survive_panics(&edited, &a);
    merges_survive_panics(&a, &fresh);
    merges_survive_panics(&a, &few);
    merges_survive_panics(&few, &a);
}

#[test]
fn a_panic_in_ord_or_a_closure_leaves_both_inputs_intact_and_valid() {
    quiet();
    let _one_at_a_time = FUSES.lock().unwrap_or_else(PoisonError::into_inner);
    panics_leave_inputs_intact::<ArcKind>();
    panics_leave_inputs_intact::<Small>();
    panics_leave_inputs_intact::<Classic>();
}

// ---------------------------------------------------------------------------
// Range syntax

#[test]
fn range_map_and_range_set_take_every_kind_of_range() {
    let map: GenericAvlMap<u16, u32, Small> = (0..50).map(|k| (k * 2, u32::from(k))).collect();
    let keys = |m: GenericAvlMap<u16, u32, Small>| m.into_keys().collect::<Vec<_>>();
    assert_eq!(keys(map.range_map(10..16)), [10, 12, 14]);
    assert_eq!(keys(map.range_map(10..=16)), [10, 12, 14, 16]);
    assert_eq!(keys(map.range_map(..4)), [0, 2]);
    assert_eq!(keys(map.range_map(..=4)), [0, 2, 4]);
    assert_eq!(keys(map.range_map(95..)), [96, 98]);
    assert_eq!(map.range_map(..).len(), 50);
    assert_eq!(keys(map.range_map((Excluded(10), Excluded(16)))), [12, 14]);
    assert_eq!(keys(map.range_map((Excluded(97), Unbounded))), [98]);
    assert!(map.range_map(7..7).is_empty());

    let words: AvlMap<String, u32> = ["ant", "bee", "cat", "dog"]
        .iter()
        .map(|w| (w.to_string(), 0))
        .collect();
    let middle = words.range_map::<str, _>((Included("b"), Excluded("d")));
    assert_eq!(middle.into_keys().collect::<Vec<_>>(), ["bee", "cat"]);
    let set: AvlSet<String> = words.keys().cloned().collect();
    assert_eq!(set.range_set::<str, _>((Included("c"), Unbounded)).len(), 2);

    // An empty map checks no bounds, as the lazy range does not.
    let empty = AvlMap::<u16, u32>::new();
    #[allow(clippy::reversed_empty_ranges)]
    let backwards = empty.range_map(5..2);
    assert!(backwards.is_empty());
}

// ---------------------------------------------------------------------------
// Subsets, bulk extend

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `is_subset` and `is_superset` agree with std on independent sets,
    /// on a set and a far larger one, and on versions a few edits apart
    /// (where the walk skips what they share).
    #[test]
    fn subset_tests_match_btreeset(case in pair_case()) {
        let pair = case.build::<ArcKind>();
        let (a, b) = (set_of(&pair.a), set_of(&pair.b));
        let (ma, mb) = (keys_of(&pair.ma), keys_of(&pair.mb));
        prop_assert_eq!(a.is_subset(&b), ma.is_subset(&mb));
        prop_assert_eq!(b.is_subset(&a), mb.is_subset(&ma));
        prop_assert_eq!(a.is_superset(&b), ma.is_superset(&mb));
        prop_assert_eq!(a.is_disjoint(&b), ma.is_disjoint(&mb));
        let smaller = a.intersection_set(&b);
        prop_assert!(smaller.is_subset(&a) && smaller.is_subset(&b));
    }

    /// `extend` with enough entries to build and unite them keeps std's
    /// `extend`: a key already there keeps its key and takes the new
    /// value; of equal new keys the last value wins. The old version is
    /// unchanged.
    /// The map extended is drawn by the crate's own `avl_map` strategy.
    #[cfg(feature = "proptest")]
    #[test]
    fn a_bulk_extend_matches_btreemap(
        existing in avl_map(common::key(600), common::value(), 0..400),
        more in vec(entry(600), 64..400),
    ) {
        let mut model: Model = existing.iter().map(|(&k, &v)| (k, v)).collect();
        let mut map: AvlMap<u16, u32> = existing;
        let (old, old_model) = (map.clone(), model.clone());
        map.extend(more.iter().copied());
        model.extend(more.iter().copied());
        check_map("extend", &map, &model)?;
        check_map("the version before extend", &old, &old_model)?;
        let mut set = set_of(&old);
        let mut set_model = keys_of(&old_model);
        set.extend(more.iter().map(|&(k, _)| k));
        set_model.extend(more.iter().map(|&(k, _)| k));
        check_set("extend", &set, &set_model)?;
    }
}

/// A difference with a far smaller map removes its keys one by one from a
/// copy: the same result as the split-and-join path, inputs untouched.
fn difference_with_a_far_smaller_map<P: PointerKind>() -> Result<(), TestCaseError> {
    let big: GenericAvlMap<u32, u32, P> = (0..10_000).map(|k| (k * 2, k)).collect();
    let model_big = model_of(&big);
    // Keys the big map holds and keys it does not, in no order.
    let small: GenericAvlMap<u32, u32, P> = (0..40).map(|i| ((i * 7919) % 20_001, i)).collect();
    let model_small = model_of(&small);
    let rest = big.difference_map(&small);
    check_map(
        "difference_map with a far smaller map",
        &rest,
        &difference_model(&model_big, &model_small),
    )?;
    prop_assert!(rest.len() < big.len(), "some keys were removed");
    check_map("the big map afterwards", &big, &model_big)?;
    check_map("the small map afterwards", &small, &model_small)
}

#[test]
fn a_difference_with_a_far_smaller_map_matches_btreemap() -> Result<(), TestCaseError> {
    difference_with_a_far_smaller_map::<ArcKind>()?;
    let big: AvlMap<u32, u32> = (0..10_000).map(|k| (k * 2, k)).collect();
    let small: AvlMap<u32, u32> = (0..40).map(|i| ((i * 7919) % 20_001, i)).collect();
    prop_assert!(
        big.par_difference_map(&small)
            .iter()
            .eq(big.difference_map(&small).iter()),
        "par_difference_map"
    );
    difference_with_a_far_smaller_map::<Small>()?;
    difference_with_a_far_smaller_map::<Classic>()
}
