//! The parallel forms return exactly what the sequential forms return.
//!
//! They exist only for the default `ArcKind` maps and sets: the `par_*`
//! merges (`par_union_map`, `par_intersection_map`, ..., the `_with` forms
//! and the `_set` forms), `par_filter`, `par_filter_map` and
//! `par_map_values`; the parallel iterators `par_iter`, `par_keys`,
//! `par_values`, `into_par_iter`, `par_iter_mut` and `par_values_mut`, which
//! must yield what the sequential iterators yield, reversed, enumerated and
//! split at any position; and parallel `collect` and `par_extend`, which
//! must keep the keys and values that std's `from_iter` and `extend` keep
//! (and a `collect` of distinct keys must build the tree `from_iter`
//! builds).
//! Every result must pass `check_invariants`, and every input must hold
//! afterwards exactly what it held before.
//!
//! The owning and mutable parallel iterators run on maps drawn by the
//! crate's own `avl_map` strategy, so those properties run with the
//! `proptest` feature.
//!
//! The parallel forms fork only above 4096 entries, so a few cases use maps
//! of 10^4 to 3 * 10^4 entries, and check that a closure really ran on
//! rayon's pool. Their results from close versions must share as much as
//! the sequential ones do, and a panic in `Ord` or in a closure, raised on
//! the pool, must leave both inputs intact.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::sync::PoisonError;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering::Relaxed};

use common::Model;
use common::algebra::{
    CLOSURE_FUSE, FUSES, Fused, FusedMap, FusedOp, LargeModel, ORD_FUSE, PANICS_ON_THE_POOL,
    Tagged, assert_shares_all_but, build, check_kept_keys, check_map, check_merges,
    check_parallel_filters, check_set, check_set_twin, check_twin, close_versions, entry, keys_of,
    larger, mix, on_the_pool, one_case, pair_case, paths, quiet, set_of, shape, sweep, tagged,
    tags, tick,
};
#[cfg(feature = "proptest")]
use persistent_avl::proptest::avl_map;
use persistent_avl::{ArcKind, AvlMap, AvlSet};
use proptest::collection::vec;
use proptest::prelude::*;
use rayon::prelude::*;

// ---------------------------------------------------------------------------
// Merges

/// Every parallel merge of `a` with `b` returns the sequential result.
fn check_parallel_merges<K>(a: &AvlMap<K, u32>, b: &AvlMap<K, u32>) -> Result<(), TestCaseError>
where
    K: Ord + Copy + Debug + Into<u64> + Send + Sync,
{
    check_twin("par_union_map", &a.par_union_map(b), &a.union_map(b))?;
    check_twin(
        "par_union_map_with",
        &a.par_union_map_with(b, mix),
        &a.union_map_with(b, mix),
    )?;
    check_twin(
        "par_union_map_with_idempotent",
        &a.par_union_map_with_idempotent(b, larger),
        &a.union_map_with_idempotent(b, larger),
    )?;
    check_twin(
        "par_intersection_map",
        &a.par_intersection_map(b),
        &a.intersection_map(b),
    )?;
    check_twin(
        "par_intersection_map_with",
        &a.par_intersection_map_with(b, mix),
        &a.intersection_map_with(b, mix),
    )?;
    check_twin(
        "par_difference_map",
        &a.par_difference_map(b),
        &a.difference_map(b),
    )?;
    check_twin(
        "par_symmetric_difference_map",
        &a.par_symmetric_difference_map(b),
        &a.symmetric_difference_map(b),
    )
}

// ---------------------------------------------------------------------------
// Parallel iterators

/// Every parallel iterator over `map` (and its set of keys) yields what the
/// sequential one yields: whole, reversed, enumerated, and in each window
/// `(skip, take)`, which splits the parallel producer at those positions.
fn check_parallel_iterators(
    map: &AvlMap<u16, u32>,
    windows: &[(usize, usize)],
) -> Result<(), TestCaseError> {
    let entries: Vec<(&u16, &u32)> = map.iter().collect();
    let set = set_of(map);
    let elements: Vec<&u16> = set.iter().collect();
    let n = entries.len();

    prop_assert_eq!(map.par_iter().len(), n);
    prop_assert_eq!(map.par_iter().collect::<Vec<_>>(), entries.clone());
    prop_assert!(
        map.par_keys()
            .collect::<Vec<_>>()
            .into_iter()
            .eq(map.keys())
    );
    prop_assert!(
        map.par_values()
            .collect::<Vec<_>>()
            .into_iter()
            .eq(map.values())
    );
    prop_assert_eq!(set.par_iter().len(), n);
    prop_assert_eq!(set.par_iter().collect::<Vec<_>>(), elements.clone());
    prop_assert!(
        map.par_iter()
            .rev()
            .collect::<Vec<_>>()
            .into_iter()
            .eq(entries.iter().rev().copied())
    );
    prop_assert!(
        map.par_iter()
            .enumerate()
            .collect::<Vec<_>>()
            .into_iter()
            .eq(entries.iter().copied().enumerate())
    );
    for &(skip, take) in windows {
        let window = &entries[skip.min(n)..(skip + take).min(n)];
        prop_assert_eq!(
            map.par_iter()
                .with_min_len(1)
                .skip(skip)
                .take(take)
                .collect::<Vec<_>>(),
            window,
            "par_iter().skip({}).take({})",
            skip,
            take
        );
        let back: Vec<_> = entries
            .iter()
            .rev()
            .skip(skip)
            .take(take)
            .copied()
            .collect();
        prop_assert_eq!(
            map.par_iter()
                .with_min_len(1)
                .rev()
                .skip(skip)
                .take(take)
                .collect::<Vec<_>>(),
            back,
            "par_iter().rev().skip({}).take({})",
            skip,
            take
        );
        prop_assert_eq!(
            set.par_iter()
                .with_min_len(1)
                .skip(skip)
                .take(take)
                .collect::<Vec<_>>(),
            &elements[skip.min(n)..(skip + take).min(n)],
            "set par_iter().skip({}).take({})",
            skip,
            take
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The properties

proptest! {
    #![proptest_config(common::config())]

    #[test]
    fn parallel_merges_of_two_maps_return_the_sequential_result(case in pair_case()) {
        let pair = case.build::<ArcKind>();
        check_parallel_merges(&pair.a, &pair.b)?;
        check_parallel_merges(&pair.b, &pair.a)?;
        check_parallel_merges(&pair.a, &pair.base)?;
        check_map("the first input afterwards", &pair.a, &pair.ma)?;
        check_map("the second input afterwards", &pair.b, &pair.mb)?;
    }

    #[test]
    fn parallel_iterators_yield_what_the_sequential_ones_do(case in one_case()) {
        let map = build::<ArcKind>(&case.entries, case.by_insert);
        let n = map.len();
        let windows: Vec<(usize, usize)> = case
            .windows
            .iter()
            .map(|(skip, take)| (skip.index(n + 2), take.index(n + 2)))
            .collect();
        check_parallel_iterators(&map, &windows)?;
    }

    /// Collecting keeps, of equal keys, the last entry, as std's `from_iter`;
    /// extending adds every entry, as std's `extend`.
    #[test]
    fn parallel_collect_and_extend_match_btreemap(
        existing in vec(entry(64), 0..100),
        more in vec(entry(64), 0..300),
    ) {
        let collected: AvlMap<u16, u32> = more.par_iter().copied().collect();
        check_map("collect", &collected, &more.iter().copied().collect())?;
        let set: AvlSet<u16> = more.par_iter().map(|&(k, _)| k).collect();
        check_set("collect", &set, &more.iter().map(|&(k, _)| k).collect())?;

        let mut map: AvlMap<u16, u32> = existing.iter().copied().collect();
        let before = map.clone();
        let mut model: Model = existing.iter().copied().collect();
        let before_model = model.clone();
        map.par_extend(more.par_iter().copied());
        model.extend(more.iter().copied());
        check_map("par_extend", &map, &model)?;
        check_map("the version before par_extend", &before, &before_model)?;

        let mut set = set_of(&before);
        let mut set_model = keys_of(&before_model);
        set.par_extend(more.par_iter().map(|&(k, _)| k));
        set_model.extend(more.iter().map(|&(k, _)| k));
        check_set("par_extend", &set, &set_model)?;
    }
}

/// `n` entries whose keys are spread over `0..span` in a random order,
/// some given more than once, the values their positions.
fn scattered(n: u32, span: u32, seed: u64) -> Vec<(u32, u32)> {
    let mut x = seed | 1;
    (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ((x % u64::from(span)) as u32, i)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Enough entries that they are sorted on several threads, on pools of
    /// one, two and four threads (each sorts its own way): the map std's
    /// `from_iter` and `extend` make, whatever the count and the repeats.
    #[test]
    fn large_parallel_collect_and_extend_match_btreemap(
        n in 8_000u32..40_000,
        spread in 1u32..4,
        seed in any::<u64>(),
    ) {
        let entries = scattered(n, n * spread / 2 + 1, seed);
        let start = scattered(100, n, !seed);
        let collected_model: LargeModel = entries.iter().copied().collect();
        let mut extended_model: LargeModel = start.iter().copied().collect();
        extended_model.extend(entries.iter().copied());
        for threads in [1, 2, 4] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let (collected, extended) = pool.install(|| {
                let collected: AvlMap<u32, u32> = entries.par_iter().copied().collect();
                let mut extended: AvlMap<u32, u32> = start.iter().copied().collect();
                extended.par_extend(entries.par_iter().copied());
                (collected, extended)
            });
            prop_assert_eq!(collected.check_invariants(), Ok(()));
            prop_assert!(
                collected.iter().eq(collected_model.iter()),
                "collect of {} entries on {} threads", n, threads
            );
            prop_assert_eq!(extended.check_invariants(), Ok(()));
            prop_assert!(
                extended.iter().eq(extended_model.iter()),
                "par_extend by {} entries on {} threads", n, threads
            );
        }
    }
}

/// On a pool of two threads a large build sorts each half of its input on
/// a thread of its own, cuts the two sorted halves at one key and merges
/// each part on a thread of its own. Where repeats of one key leave one
/// part far smaller than the other (a key filling half of the input, or
/// all of it), the two parts cannot stand side by side under one node and
/// are built as one: the map is still std's, and valid.
#[test]
fn large_parallel_collect_of_lopsided_inputs_matches_btreemap() {
    let one_key = |key: u32| (0..10_000).map(move |i| (key, i));
    let distinct = |from: u32| (from..from + 10_000).map(|k| (k, k));
    let inputs: [(&str, Vec<(u32, u32)>); 3] = [
        (
            "one key, then distinct keys",
            one_key(0).chain(distinct(1)).collect(),
        ),
        (
            "distinct keys, then one key",
            distinct(0).chain(one_key(20_000)).collect(),
        ),
        ("one key throughout", one_key(7).chain(one_key(7)).collect()),
    ];
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    for (what, entries) in inputs {
        let model: BTreeMap<u32, u32> = entries.iter().copied().collect();
        let mut extended_model = BTreeMap::from([(3, 3), (20_000, 1)]);
        extended_model.extend(entries.iter().copied());
        let (collected, extended) = pool.install(|| {
            let collected: AvlMap<u32, u32> = entries.par_iter().copied().collect();
            let mut extended = AvlMap::from([(3, 3), (20_000, 1)]);
            extended.par_extend(entries.par_iter().copied());
            (collected, extended)
        });
        assert_eq!(collected.check_invariants(), Ok(()), "collect: {what}");
        assert!(collected.iter().eq(model.iter()), "collect: {what}");
        assert_eq!(extended.check_invariants(), Ok(()), "par_extend: {what}");
        assert!(
            extended.iter().eq(extended_model.iter()),
            "par_extend: {what}"
        );
    }
}

/// With no key repeated, the two parts a large parallel build cuts its
/// entries into hold half of them each, rounded down below: the tree is
/// the very one `from_iter` builds, node for node and block for block.
#[test]
fn large_parallel_collect_of_distinct_keys_builds_the_tree_from_iter_builds() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    for n in [8_192u32, 8_193, 10_000, 33_333, 100_001] {
        let entries: Vec<(u32, u32)> = (0..n).map(|i| (i.wrapping_mul(2_654_435_761), i)).collect();
        let sequential: AvlMap<u32, u32> = entries.iter().copied().collect();
        let parallel: AvlMap<u32, u32> = pool.install(|| entries.par_iter().copied().collect());
        assert_eq!(parallel.check_invariants(), Ok(()), "{n} entries");
        assert_eq!(shape(&parallel), shape(&sequential), "{n} entries");
    }
}

#[test]
fn parallel_iterators_split_at_every_position() -> Result<(), TestCaseError> {
    // Four blocks of 32 and the nodes above them, and some more.
    let map: AvlMap<u16, u32> = (0..140).map(|k| (k * 2, u32::from(k))).collect();
    let entries: Vec<(&u16, &u32)> = map.iter().collect();
    let set = set_of(&map);
    let elements: Vec<&u16> = set.iter().collect();
    let n = entries.len();
    for skip in 0..=n {
        for take in 0..=n - skip {
            let window = skip..skip + take;
            let got: Vec<_> = map
                .par_iter()
                .with_min_len(1)
                .skip(skip)
                .take(take)
                .collect();
            prop_assert_eq!(
                got,
                &entries[window.clone()],
                "skip({}).take({})",
                skip,
                take
            );
            let got: Vec<_> = set.par_iter().skip(skip).take(take).collect();
            prop_assert_eq!(got, &elements[window], "set skip({}).take({})", skip, take);
        }
        let back: Vec<_> = entries.iter().rev().skip(skip).copied().collect();
        let got: Vec<_> = map.par_iter().rev().skip(skip).collect();
        prop_assert_eq!(got, back, "rev().skip({})", skip);
        let got: Vec<_> = map.par_iter().skip(skip).enumerate().collect();
        let expected: Vec<_> = entries[skip..].iter().copied().enumerate().collect();
        prop_assert_eq!(got, expected, "skip({}).enumerate()", skip);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Large maps: the parallel forms really fork

/// How the second large map is made.
#[derive(Clone, Debug)]
enum LargeSecond {
    /// The first after these edits (key, insert or remove).
    Edited(Vec<(u32, bool)>),
    /// The keys `start, start + stride, ...`, `len` of them.
    Progression { start: u32, stride: u32, len: u32 },
}

#[derive(Clone, Debug)]
struct LargeCase {
    len: u32,
    stride: u32,
    second: LargeSecond,
}

fn large_case() -> impl Strategy<Value = LargeCase> {
    let second = prop_oneof![
        vec((0..60_000u32, any::<bool>()), 0..40).prop_map(LargeSecond::Edited),
        (0..30_000u32, 1..4u32, 0..20_000u32)
            .prop_map(|(start, stride, len)| LargeSecond::Progression { start, stride, len }),
    ];
    (10_000..30_000u32, 1..3u32, second).prop_map(|(len, stride, second)| LargeCase {
        len,
        stride,
        second,
    })
}

impl LargeCase {
    fn build(&self) -> (AvlMap<u32, u32>, AvlMap<u32, u32>, LargeModel, LargeModel) {
        let ma: LargeModel = (0..self.len).map(|i| (i * self.stride, i % 1000)).collect();
        let a: AvlMap<u32, u32> = ma.iter().map(|(&k, &v)| (k, v)).collect();
        match self.second {
            LargeSecond::Edited(ref edits) => {
                let (mut b, mut mb) = (a.clone(), ma.clone());
                for &(k, insert) in edits {
                    if insert {
                        b.insert(k, k % 7);
                        mb.insert(k, k % 7);
                    } else {
                        b.remove(&k);
                        mb.remove(&k);
                    }
                }
                (a, b, ma, mb)
            }
            LargeSecond::Progression { start, stride, len } => {
                let mb: LargeModel = (0..len).map(|i| (start + i * stride, i % 500)).collect();
                let b = mb.iter().map(|(&k, &v)| (k, v)).collect();
                (a, b, ma, mb)
            }
        }
    }
}

/// Every parallel form on a large pair returns the sequential result (and
/// the merges the models' results), and the closures run on rayon's pool.
fn run_large(case: &LargeCase) -> Result<(), TestCaseError> {
    let (a, b, ma, mb) = case.build();
    check_merges(&a, &b, &ma, &mb)?;
    check_parallel_merges(&a, &b)?;
    check_parallel_merges(&b, &a)?;

    let forked = AtomicUsize::new(0);
    let keep = |k: &u32, _: &u32| {
        on_the_pool(&forked);
        !k.is_multiple_of(5)
    };
    check_parallel_filters(&a, keep)?;
    prop_assert!(forked.load(Relaxed) > 0, "par_filter never ran on the pool");
    let forked = AtomicUsize::new(0);
    let combined = a.par_union_map_with(&a, |k, x, y| {
        on_the_pool(&forked);
        mix(k, x, y)
    });
    check_twin(
        "par_union_map_with of a map with itself",
        &combined,
        &a.union_map_with(&a, mix),
    )?;
    prop_assert!(
        forked.load(Relaxed) > 0,
        "par_union_map_with never ran on the pool"
    );

    let (sa, sb): (AvlSet<u32>, AvlSet<u32>) =
        (a.keys().copied().collect(), b.keys().copied().collect());
    check_set_twin("par_union_set", &sa.par_union_set(&sb), &sa.union_set(&sb))?;
    check_set_twin(
        "par_intersection_set",
        &sa.par_intersection_set(&sb),
        &sa.intersection_set(&sb),
    )?;
    check_set_twin(
        "par_difference_set",
        &sa.par_difference_set(&sb),
        &sa.difference_set(&sb),
    )?;
    check_set_twin(
        "par_symmetric_difference_set",
        &sa.par_symmetric_difference_set(&sb),
        &sa.symmetric_difference_set(&sb),
    )?;
    check_set_twin(
        "par_filter",
        &sa.par_filter(|k| k.is_multiple_of(3)),
        &sa.filter(|k| k.is_multiple_of(3)),
    )?;

    // Parts as small as rayon will make them (the producer's own minimum
    // length still holds).
    prop_assert!(
        a.par_iter()
            .with_max_len(1)
            .collect::<Vec<_>>()
            .into_iter()
            .eq(a.iter())
    );
    prop_assert!(
        a.par_iter()
            .with_max_len(1)
            .rev()
            .collect::<Vec<_>>()
            .into_iter()
            .eq(a.iter().rev())
    );
    prop_assert!(
        sa.par_iter()
            .with_max_len(1)
            .collect::<Vec<_>>()
            .into_iter()
            .eq(sa.iter())
    );
    prop_assert_eq!(
        a.par_keys().map(|&k| u64::from(k)).sum::<u64>(),
        ma.keys().map(|&k| u64::from(k)).sum::<u64>()
    );

    check_map("the first input afterwards", &a, &ma)?;
    check_map("the second input afterwards", &b, &mb)?;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..common::config() })]

    #[test]
    fn parallel_forms_of_large_maps_fork_and_return_the_sequential_result(case in large_case()) {
        run_large(&case)?;
    }
}

// ---------------------------------------------------------------------------
// Which key a result holds

#[test]
fn large_parallel_merges_keep_the_same_keys_as_the_sequential_ones() {
    // Every key of the left map, every third of the right map's: forks.
    let left: Vec<_> = (0..20_000).map(|k| (k, 'a', k)).collect();
    let right: Vec<_> = (0..20_000).map(|k| (k * 3, 'b', k + 1)).collect();
    let (a, b) = (tagged::<ArcKind>(&left), tagged::<ArcKind>(&right));
    for (par, seq, what) in [
        (a.par_union_map(&b), a.union_map(&b), "union"),
        (b.par_union_map(&a), b.union_map(&a), "union, swapped"),
        (
            a.par_intersection_map(&b),
            a.intersection_map(&b),
            "intersection",
        ),
        (
            b.par_intersection_map(&a),
            b.intersection_map(&a),
            "intersection, swapped",
        ),
        (
            a.par_symmetric_difference_map(&b),
            a.symmetric_difference_map(&b),
            "symmetric difference",
        ),
        (
            a.par_union_map_with(&b, |_, x, y| x ^ y),
            a.union_map_with(&b, |_, x, y| x ^ y),
            "union_with",
        ),
    ] {
        par.check_invariants().unwrap();
        assert_eq!(tags(par.iter()), tags(seq.iter()), "{what}");
    }
    check_kept_keys::<ArcKind>(&left, &right);
}

#[test]
fn parallel_collect_keeps_the_last_of_equal_keys_as_from_iter() {
    // Enough entries that rayon sorts them in parallel, each key 30 times.
    let entries: Vec<(Tagged, u32)> = (0..30_000u32)
        .map(|i| {
            (
                Tagged((i * 7919) % 1000, char::from(b'a' + (i % 26) as u8)),
                i,
            )
        })
        .collect();
    let ours: AvlMap<Tagged, u32> = entries.par_iter().copied().collect();
    let std: BTreeMap<Tagged, u32> = entries.iter().copied().collect();
    ours.check_invariants().unwrap();
    assert_eq!(tags(ours.iter()), tags(std.iter()));

    let ours: AvlSet<Tagged> = entries.par_iter().map(|&(k, _)| k).collect();
    let std: BTreeSet<Tagged> = entries.iter().map(|&(k, _)| k).collect();
    ours.check_invariants().unwrap();
    let read = |it: &mut dyn Iterator<Item = &Tagged>| it.map(|t| (t.0, t.1)).collect::<Vec<_>>();
    assert_eq!(read(&mut ours.iter()), read(&mut std.iter()));
}

/// Extends a map and a set of `start` by `more` with std's `extend`, this
/// crate's `extend` and `par_extend`: all three must keep the same keys.
fn check_extend_keeps_keys_as_std(start: &[(Tagged, u32)], more: &[(Tagged, u32)]) {
    let mut std: BTreeMap<Tagged, u32> = start.iter().copied().collect();
    std.extend(more.iter().copied());
    let mut sequential: AvlMap<Tagged, u32> = start.iter().copied().collect();
    sequential.extend(more.iter().copied());
    let mut parallel: AvlMap<Tagged, u32> = start.iter().copied().collect();
    parallel.par_extend(more.par_iter().copied());
    sequential.check_invariants().unwrap();
    parallel.check_invariants().unwrap();
    assert_eq!(tags(sequential.iter()), tags(std.iter()), "extend");
    assert_eq!(tags(parallel.iter()), tags(std.iter()), "par_extend");

    let read = |it: &mut dyn Iterator<Item = &Tagged>| it.map(|t| (t.0, t.1)).collect::<Vec<_>>();
    let elements = || more.iter().map(|&(k, _)| k);
    let mut std: BTreeSet<Tagged> = start.iter().map(|&(k, _)| k).collect();
    std.extend(elements());
    let mut sequential: AvlSet<Tagged> = start.iter().map(|&(k, _)| k).collect();
    sequential.extend(elements());
    let mut parallel: AvlSet<Tagged> = start.iter().map(|&(k, _)| k).collect();
    parallel.par_extend(more.par_iter().map(|&(k, _)| k));
    assert_eq!(
        read(&mut sequential.iter()),
        read(&mut std.iter()),
        "set extend"
    );
    assert_eq!(
        read(&mut parallel.iter()),
        read(&mut std.iter()),
        "set par_extend"
    );
}

/// std's `extend` is a loop of inserts: a key already there keeps its key
/// and takes the new value; of equal new keys, the map keeps the first key
/// with the last value, and a set the first element.
#[test]
fn parallel_extend_keeps_keys_and_values_as_extend_does() {
    let start = [(Tagged(1, 'a'), 1), (Tagged(2, 'a'), 2)];
    // A key the map holds, given twice, and a new key given twice.
    let more = [
        (Tagged(2, 'b'), 20),
        (Tagged(3, 'b'), 30),
        (Tagged(2, 'c'), 21),
        (Tagged(3, 'c'), 31),
    ];
    check_extend_keeps_keys_as_std(&start, &more);
    // Many entries: each key of 0..100 given four times, half of them held.
    let start: Vec<_> = (0..100).step_by(2).map(|k| (Tagged(k, 'a'), k)).collect();
    let more: Vec<_> = (0..400)
        .map(|i| (Tagged(i * 37 % 100, char::from(b'b' + (i / 100) as u8)), i))
        .collect();
    check_extend_keeps_keys_as_std(&start, &more);
    // Enough entries that each half is sorted on a thread of its own before
    // the two are merged: each key of 0..1000 given 30 times, in both.
    let more: Vec<_> = (0..30_000)
        .map(|i| {
            (
                Tagged(i * 7919 % 1000, char::from(b'b' + (i % 26) as u8)),
                i,
            )
        })
        .collect();
    check_extend_keeps_keys_as_std(&start, &more);
}

// ---------------------------------------------------------------------------
// Sharing

#[test]
fn large_parallel_merges_of_close_versions_share_as_the_sequential_ones()
-> Result<(), TestCaseError> {
    const EDITS: u32 = 8;
    let (a, b) = close_versions::<ArcKind>(20_000, EDITS);
    let bound = paths(EDITS as usize, &b);
    let union = a.par_union_map(&b);
    check_twin("par_union_map", &union, &a.union_map(&b))?;
    assert_shares_all_but("par_union_map with the second", &union, &b, bound);
    let both = a.par_intersection_map(&b);
    check_twin("par_intersection_map", &both, &a.intersection_map(&b))?;
    assert_shares_all_but("par_intersection_map with the first", &both, &a, bound);
    let dropped = a.par_filter(|&k, _| k != 20_000);
    assert_shares_all_but("par_filter dropping one key", &dropped, &a, paths(1, &a));
    Ok(())
}

// ---------------------------------------------------------------------------
// Panic safety

#[test]
fn a_panic_on_the_pool_leaves_both_inputs_of_a_parallel_form_intact_and_valid() {
    quiet();
    let _one_at_a_time = FUSES.lock().unwrap_or_else(PoisonError::into_inner);
    let a: FusedMap<ArcKind> = (0..8000).map(|k| (Fused(k * 2), k)).collect();
    let mut b = a.clone();
    for k in (0..16_000).step_by(997) {
        b.insert(Fused(k), 0);
        b.remove(&Fused(k + 500));
    }
    let fresh: FusedMap<ArcKind> = (0..6000).map(|k| (Fused(k * 3), k)).collect();
    // 0, 1, 4, 13, 40, ...: a panic early, late, and in between.
    let fuses = || std::iter::successors(Some(0isize), |n| Some(n * 3 + 1));
    for (x, y) in [(&a, &b), (&b, &a), (&a, &fresh)] {
        let inputs = [x, y];
        let ops: [(&str, &AtomicIsize, FusedOp<'_, ArcKind>); 6] = [
            ("par_union_map", &ORD_FUSE, Box::new(|| x.par_union_map(y))),
            (
                "par_intersection_map",
                &ORD_FUSE,
                Box::new(|| x.par_intersection_map(y)),
            ),
            (
                "par_difference_map",
                &ORD_FUSE,
                Box::new(|| x.par_difference_map(y)),
            ),
            (
                "par_symmetric_difference_map",
                &ORD_FUSE,
                Box::new(|| x.par_symmetric_difference_map(y)),
            ),
            (
                "par_union_map_with, the closure panics",
                &CLOSURE_FUSE,
                Box::new(|| {
                    x.par_union_map_with(y, |_, v, w| {
                        tick(&CLOSURE_FUSE);
                        v ^ w
                    })
                }),
            ),
            (
                "par_filter, the closure panics",
                &CLOSURE_FUSE,
                Box::new(|| {
                    x.par_filter(|k, _| {
                        tick(&CLOSURE_FUSE);
                        !k.0.is_multiple_of(5)
                    })
                }),
            ),
        ];
        for (what, fuse, op) in ops {
            let (result, panics) = sweep(what, fuse, fuses(), &inputs, op);
            assert!(panics > 0, "{what}: nothing panicked");
            assert_eq!(result.check_invariants(), Ok(()), "{what}");
        }
    }
    assert!(
        PANICS_ON_THE_POOL.load(Relaxed) > 0,
        "no panic was raised on rayon's pool"
    );
}

// ---------------------------------------------------------------------------
// Owning and mutable parallel iterators

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `into_par_iter` yields what `into_iter` does, split anywhere, and
    /// leaves every other version of the map as it was.
    #[cfg(feature = "proptest")]
    #[test]
    fn owning_parallel_iterators_yield_what_into_iter_does(
        map in avl_map(common::key(4000), common::value(), 0..3000),
        skip in 0usize..3200,
        take in 0usize..3200,
    ) {
        let model: Model = map.iter().map(|(&k, &v)| (k, v)).collect();
        let kept = map.clone();
        let all: Vec<(u16, u32)> = model.iter().map(|(&k, &v)| (k, v)).collect();
        prop_assert_eq!(map.clone().into_par_iter().collect::<Vec<_>>(), all.clone());
        let window: Vec<(u16, u32)> = map
            .clone()
            .into_par_iter()
            .with_min_len(1)
            .skip(skip)
            .take(take)
            .collect();
        let expected: Vec<(u16, u32)> = all.iter().copied().skip(skip).take(take).collect();
        prop_assert_eq!(window, expected);
        prop_assert_eq!(
            map.clone().into_par_iter().rev().collect::<Vec<_>>(),
            all.iter().rev().copied().collect::<Vec<_>>()
        );
        let set = set_of(&map);
        prop_assert_eq!(
            set.into_par_iter().collect::<Vec<_>>(),
            model.keys().copied().collect::<Vec<_>>()
        );
        check_map("the map after into_par_iter of clones", &kept, &model)?;
    }

    /// `par_iter_mut` and `par_values_mut` change every value as
    /// `iter_mut` would, and leave an older version as it was.
    #[cfg(feature = "proptest")]
    #[test]
    fn mutable_parallel_iterators_change_values_as_iter_mut_does(
        map in avl_map(common::key(4000), common::value(), 0..3000),
    ) {
        let model: Model = map.iter().map(|(&k, &v)| (k, v)).collect();
        let mut map = map;
        let old = map.clone();
        map.par_iter_mut().for_each(|(k, v)| *v = v.wrapping_add(u32::from(*k)));
        map.par_values_mut().for_each(|v| *v = v.wrapping_mul(3));
        let changed: Model = model
            .iter()
            .map(|(&k, &v)| (k, v.wrapping_add(u32::from(k)).wrapping_mul(3)))
            .collect();
        check_map("par_iter_mut then par_values_mut", &map, &changed)?;
        check_map("the version before", &old, &model)?;
    }
}
