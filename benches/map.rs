//! `AvlMap` (behind `Arc`), `AvlMapRc`, std's `BTreeMap`, rpds's
//! `RedBlackTreeMapSync` and `RedBlackTreeMap`, and imbl's `OrdMap`, on
//! `u64` keys and values.
//!
//! From the repository's root:
//!
//! ```text
//! cargo bench -p persistent-avl-benches --bench map                  # sizes 10^3 and 10^5
//! AVL_BENCH_LARGE=1 cargo bench -p persistent-avl-benches --bench map  # and 10^6 (longer)
//! cargo bench -p persistent-avl-benches --bench map -- get_present/  # one group
//! cargo bench -p persistent-avl-benches --bench map -- 'get_present/.*/1000$' --quick
//! cargo bench -p persistent-avl-benches --features jemalloc --bench map  # under jemalloc
//! python3 benches/report.py                                          # tables and charts
//! ```
//!
//! One group per workload, with ids `<group>/<map>/<size>`, `<map>` one of
//! `AvlMap`, `AvlMapRc`, `AvlMap-B0` (`Classic<ArcKind>`, no blocks: the
//! classic tree of one entry per node), `BTreeMap`, `rpds-sync`, `rpds-rc`, `imbl`. Each
//! group's throughput is set to the number of operations or entries an
//! iteration does, so the `thrpt` column (and `report.py`) gives the time per
//! operation, per entry or per map, as listed:
//!
//! - `build_ascending` (per entry): insert `0..n` in place into an empty map;
//! - `build_random` (per entry): insert `n` random keys in place;
//! - `from_iter` (per entry): `FromIterator` from a `Vec` of `n` pairs in
//!   random key order, consumed;
//! - `insert_persistent` (per operation): from a prebuilt map of `n` random
//!   keys, a chain of [`batch`] persistent inserts of new keys, each on the
//!   version before, every version kept alive in a `Vec`; each iteration
//!   takes the next batch of keys from a pool of 64 batches, so that its
//!   paths are not the ones the iteration before left in cache. std has no
//!   persistent form, so `BTreeMap`'s figure is clone + insert, O(n) per
//!   version, and it runs only at 10^3;
//! - `remove_persistent` (per operation): the same with persistent removes of
//!   present keys;
//! - `remove_random` (per entry): remove every key in place, in random order,
//!   from a map built by inserts and shared with no other version;
//! - `get_present`, `get_absent` (per lookup): batches of 1000 lookups, in
//!   random order, of present keys or of keys not in the map;
//! - `get_present_collected`, `get_absent_collected` (per lookup): the same
//!   on a map built by `FromIterator`;
//! - `get_mut` (per lookup): batches of 1000 `get_mut` calls of present
//!   keys, as `get_present`, each adding one to the value, on a map built
//!   by inserts and shared with no other version;
//! - `iter` (per entry): visit every entry in order, summing;
//! - `iter_collected` (per entry): the same on a map built by `FromIterator`,
//!   whose nodes a bulk build may lay out differently from inserts;
//! - `range100` (per query): batches of range queries, each visiting the 100
//!   entries from a random present key on;
//! - `range100_collected` (per query): the same on a map built by
//!   `FromIterator`;
//! - `clone` (per map): clone the map (O(1) for the persistent maps);
//! - `drop` (per entry): drop a map that shares no node with any other, so
//!   that every node is freed;
//! - `diff10` (per diff): the diff of a map and a version 10 persistent
//!   inserts away from it, consumed, for the maps that diff versions.
//!
//! Unless a workload says otherwise, its map holds `n` random keys, built by
//! in-place inserts in that order, the same way for every map kind, and only
//! when its benchmark runs (so a filter skips the building too); maps made in
//! the timed part are dropped outside it.

mod common;

common::bench_allocator!();

use std::cell::LazyCell;
use std::hint::black_box;
use std::time::Duration;

use common::{BenchMap, build, collect, for_each_map, random_keys, shuffled, splitmix64};
use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, BenchmarkId, Criterion, Throughput};
use criterion::{criterion_group, criterion_main};

/// 10^3 and 10^5; and 10^6 when the environment sets `AVL_BENCH_LARGE=1`.
fn sizes() -> Vec<usize> {
    let mut sizes = vec![1_000, 100_000];
    if std::env::var("AVL_BENCH_LARGE").is_ok_and(|v| v == "1") {
        sizes.push(1_000_000);
    }
    sizes
}

/// The keys of the prebuilt maps, the same for every map kind.
fn keys(n: usize) -> Vec<u64> {
    random_keys(n, 1)
}

/// Persistent updates per iteration: 1000, or `n / 10` if fewer, so that a
/// chain of them changes the map's size by at most a tenth.
fn batch(n: usize) -> usize {
    (n / 10).clamp(1, 1_000)
}

/// Lookups per iteration of `get_present` and `get_absent`.
const LOOKUPS: usize = 1_000;

/// The keys the lookups take their batches from: at least 64 batches' worth,
/// all present (the map's keys, shuffled again as often as needed) or all
/// absent (seed 6, disjoint from the map's keys). With fewer, a small map's
/// batches would repeat one sequence of keys, whose branches the processor
/// learns, and the lookups would cost less than in any real use: at 10^3
/// entries the classic layout measured 1.3x faster than blocks with 1000
/// keys repeated, and 1.4x slower in a stream of random keys
/// (`docs/benchmarks.md`, "Lookups of a small map").
fn lookup_pool(n: usize, present: bool) -> Vec<u64> {
    let len = n.max(64 * LOOKUPS);
    if present {
        let keys = keys(n);
        (2..)
            .flat_map(|seed| shuffled(&keys, seed))
            .take(len)
            .collect()
    } else {
        random_keys(len, 6)
    }
}

/// Queries per iteration of `range100`, and the entries each visits.
const RANGE_QUERIES: usize = 100;
const RANGE_LEN: usize = 100;

fn id<M: BenchMap>(n: usize) -> BenchmarkId {
    BenchmarkId::new(M::NAME, n)
}

/// Successive windows of `len` items of `pool`, round and round: the keys
/// of one batch of lookups, so that the batches of a run together touch the
/// whole pool rather than the same few paths.
fn windows<'a>(pool: &'a [u64], len: usize) -> impl FnMut() -> &'a [u64] {
    let len = len.min(pool.len());
    let mut at = 0;
    move || {
        if at + len > pool.len() {
            at = 0;
        }
        at += len;
        &pool[at - len..at]
    }
}

fn build_ascending<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(id::<M>(n), |b| {
        b.iter_batched(
            M::new,
            |mut map| {
                for k in 0..n as u64 {
                    map.insert(k, k);
                }
                map
            },
            BatchSize::LargeInput,
        );
    });
}

fn build_random<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    let keys = keys(n);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(id::<M>(n), |b| {
        b.iter_batched(
            M::new,
            |mut map| {
                for &k in &keys {
                    map.insert(k, k);
                }
                map
            },
            BatchSize::LargeInput,
        );
    });
}

fn from_iter<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    let pairs: Vec<(u64, u64)> = keys(n).into_iter().map(|k| (k, k)).collect();
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(id::<M>(n), |b| {
        b.iter_batched(
            || pairs.clone(),
            |pairs| pairs.into_iter().collect::<M>(),
            BatchSize::LargeInput,
        );
    });
}

/// A chain of `batch(n)` persistent updates `step(version, key)` from the
/// prebuilt map, every version kept.
fn persistent_chain<M: BenchMap>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    n: usize,
    pool: &[u64],
    step: impl Fn(&M, u64) -> M,
) {
    if !M::SHARES_VERSIONS && n > 1_000 {
        return; // each version a full copy: O(n) per operation
    }
    let base = LazyCell::new(|| build::<M>(&keys(n)));
    // Each iteration takes the next window of the pool, so that the paths
    // it walks were not all walked, and cached, by the iteration before.
    let mut next = windows(pool, batch(n));
    g.throughput(Throughput::Elements(batch(n) as u64));
    g.bench_function(id::<M>(n), |b| {
        let base = LazyCell::force(&base);
        b.iter_batched(
            || {
                let mut versions = Vec::with_capacity(batch(n) + 1);
                versions.push(base.clone());
                (versions, next())
            },
            |(mut versions, update_keys)| {
                for &k in update_keys {
                    let next = step(&versions[versions.len() - 1], k);
                    versions.push(next);
                }
                versions
            },
            BatchSize::LargeInput,
        );
    });
}

fn insert_persistent<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    // Seed 4: none of them is among the map's keys (seed 1). A pool of up to
    // 64 batches.
    let pool = random_keys(batch(n) * 64, 4);
    persistent_chain::<M>(g, n, &pool, |m, k| m.insert_persistent(k, k));
}

fn remove_persistent<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    // Distinct present keys, so that each one a chain removes is there.
    let mut pool = shuffled(&keys(n), 5);
    pool.truncate(batch(n) * 64);
    persistent_chain::<M>(g, n, &pool, M::remove_persistent);
}

fn remove_random<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    let keys = keys(n);
    let order = shuffled(&keys, 3);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(id::<M>(n), |b| {
        // A fresh map each time, not a clone: a persistent map's clone
        // shares every node, and removing from it would copy paths instead.
        b.iter_batched(
            || build::<M>(&keys),
            |mut map| {
                for &k in &order {
                    assert!(map.remove(k));
                }
                map
            },
            BatchSize::LargeInput,
        );
    });
}

/// Batches of `LOOKUPS` lookups of successive windows of [`lookup_pool`].
fn lookups<M: BenchMap>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    n: usize,
    make: fn(&[u64]) -> M,
    present: bool,
) {
    let map = LazyCell::new(|| make(&keys(n)));
    let pool = lookup_pool(n, present);
    let mut next = windows(&pool, LOOKUPS);
    g.throughput(Throughput::Elements(LOOKUPS.min(pool.len()) as u64));
    g.bench_function(id::<M>(n), |b| {
        let map = LazyCell::force(&map);
        b.iter(|| {
            let mut sum = 0u64;
            for &k in next() {
                match map.get(k) {
                    Some(v) => sum = sum.wrapping_add(*v),
                    None => assert!(!present),
                }
            }
            sum
        });
    });
}

fn get_present<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    lookups::<M>(g, n, build::<M>, true);
}

fn get_absent<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    lookups::<M>(g, n, build::<M>, false);
}

fn get_present_collected<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    lookups::<M>(g, n, collect::<M>, true);
}

fn get_absent_collected<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    lookups::<M>(g, n, collect::<M>, false);
}

fn get_mut<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    // Built when its benchmark first runs, and changed in place from then
    // on: the batches add to values and never share the map.
    let mut map: Option<M> = None;
    let pool = lookup_pool(n, true);
    let mut next = windows(&pool, LOOKUPS);
    g.throughput(Throughput::Elements(LOOKUPS.min(pool.len()) as u64));
    g.bench_function(id::<M>(n), |b| {
        let map = map.get_or_insert_with(|| build::<M>(&keys(n)));
        b.iter(|| {
            let mut sum = 0u64;
            for &k in next() {
                let value = map.get_mut(k).expect("the pool holds present keys");
                *value = value.wrapping_add(1);
                sum = sum.wrapping_add(*value);
            }
            sum
        });
    });
}

fn iter<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    iter_of::<M>(g, n, build::<M>);
}

fn iter_collected<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    iter_of::<M>(g, n, collect::<M>);
}

fn iter_of<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize, make: fn(&[u64]) -> M) {
    let map = LazyCell::new(|| make(&keys(n)));
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(id::<M>(n), |b| {
        let map = LazyCell::force(&map);
        assert_eq!(map.len(), n);
        b.iter(|| black_box(map).iter_sum());
    });
}

fn range100<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    range100_of::<M>(g, n, build::<M>);
}

fn range100_collected<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    range100_of::<M>(g, n, collect::<M>);
}

fn range100_of<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize, make: fn(&[u64]) -> M) {
    let mut sorted = keys(n);
    sorted.sort_unstable();
    // Start keys with at least RANGE_LEN entries from them on, at random.
    let starts: Vec<u64> = (0..10_000u64)
        .map(|i| {
            let at = splitmix64(i ^ 0x7_0000_0000) % (n - RANGE_LEN + 1) as u64;
            sorted[usize::try_from(at).unwrap()]
        })
        .collect();
    let expected: u64 = sorted[..RANGE_LEN]
        .iter()
        .fold(0, |acc, &k| acc.wrapping_add(k).wrapping_add(k));
    let map = LazyCell::new(|| make(&keys(n)));
    let mut next = windows(&starts, RANGE_QUERIES);
    g.throughput(Throughput::Elements(RANGE_QUERIES as u64));
    g.bench_function(id::<M>(n), |b| {
        let map = LazyCell::force(&map);
        assert_eq!(map.range_sum(sorted[0], RANGE_LEN), expected);
        b.iter(|| {
            next()
                .iter()
                .fold(0u64, |acc, &from| acc ^ map.range_sum(from, RANGE_LEN))
        });
    });
}

fn clone_map<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    let map = LazyCell::new(|| build::<M>(&keys(n)));
    g.throughput(Throughput::Elements(1));
    g.bench_function(id::<M>(n), |b| {
        let map = LazyCell::force(&map);
        b.iter_batched(|| (), |()| black_box(map).clone(), BatchSize::LargeInput);
    });
}

fn drop_map<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    let keys = keys(n);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(id::<M>(n), |b| {
        // Built afresh, not cloned: a persistent map's clone shares every
        // node, and dropping it would free none of them.
        b.iter_batched(|| build::<M>(&keys), std::mem::drop, BatchSize::LargeInput);
    });
}

/// The diff of two versions 10 persistent inserts apart, for the maps that
/// have a diff of versions.
fn diff10<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, n: usize) {
    let maps = LazyCell::new(|| {
        let base = build::<M>(&keys(n));
        let mut other = base.clone();
        for k in random_keys(10, 9) {
            other = other.insert_persistent(k, k);
        }
        (base, other)
    });
    if M::new().diff_len(&M::new()).is_none() {
        return;
    }
    g.throughput(Throughput::Elements(1));
    g.bench_function(id::<M>(n), |b| {
        let (base, other) = LazyCell::force(&maps);
        assert_eq!(base.diff_len(other), Some(10));
        b.iter(|| black_box(base).diff_len(black_box(other)));
    });
}

/// Runs one criterion group, `name`: `each` at every size.
fn group(
    c: &mut Criterion,
    name: &str,
    mut each: impl FnMut(&mut BenchmarkGroup<'_, WallTime>, usize),
) {
    let mut g = c.benchmark_group(name);
    for n in sizes() {
        each(&mut g, n);
    }
    g.finish();
}

/// One group per workload, each map kind at each size.
fn all(c: &mut Criterion) {
    macro_rules! workloads {
        ($($name:literal: $workload:ident),* $(,)?) => {$(
            group(c, $name, |g, n| {
                for_each_map!($workload(g, n));
            });
        )*};
    }
    workloads! {
        "build_ascending": build_ascending,
        "build_random": build_random,
        "from_iter": from_iter,
        "insert_persistent": insert_persistent,
        "remove_persistent": remove_persistent,
        "remove_random": remove_random,
        "get_present": get_present,
        "get_absent": get_absent,
        "get_present_collected": get_present_collected,
        "get_absent_collected": get_absent_collected,
        "get_mut": get_mut,
        "iter": iter,
        "iter_collected": iter_collected,
        "range100": range100,
        "range100_collected": range100_collected,
        "clone": clone_map,
        "drop": drop_map,
        "diff10": diff10,
    }
}

/// The block-size curve, when the environment sets `AVL_BENCH_BLOCKS=1`:
/// the reads and the persistent insert at the other block sizes, at the
/// largest size run.
fn block_sizes(c: &mut Criterion) {
    if !std::env::var("AVL_BENCH_BLOCKS").is_ok_and(|v| v == "1") {
        return;
    }
    let n = *sizes().last().expect("at least one size");
    macro_rules! workloads {
        ($($name:literal: $workload:ident),* $(,)?) => {$(
            let mut g = c.benchmark_group($name);
            common::for_each_block_size!($workload(&mut g, n));
            g.finish();
        )*};
    }
    workloads! {
        "get_present": get_present,
        "get_absent": get_absent,
        "iter": iter,
        "range100": range100,
        "insert_persistent": insert_persistent,
        "build_random": build_random,
    }
}

criterion_group! {
    name = benches;
    // Modest settings, so that the default run (18 workloads × 7 maps × 2
    // sizes) stays near eleven minutes on 2 cores; see docs/benchmarks.md.
    // Benchmarks whose iteration takes long (10^6 entries) switch to flat
    // sampling on their own: 10 iterations. Pass `--sample-size` or
    // `--measurement-time` to go further.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = all, block_sizes
}
criterion_main!(benches);
