//! `AvlMap` (behind `Arc`), `AvlMapRc` and std's `BTreeMap`, on `u64` keys
//! and values.
//!
//! ```text
//! cargo bench --bench map                      # sizes 10^3 and 10^5
//! AVL_BENCH_LARGE=1 cargo bench --bench map    # and 10^6 (longer; ~1.3 GB)
//! cargo bench --bench map -- get/              # one group
//! ```
//!
//! Groups, one per operation, with ids `<group>/<map>/<size>`; the
//! throughput is per entry, so the `thrpt` column compares across sizes:
//!
//! - `insert`: build a map of `size` random keys from empty, in place;
//! - `insert_persistent`: the same, keeping every version alive in a `Vec`.
//!   std has no persistent form, so `BTreeMap`'s figure is clone + insert,
//!   O(n) per version, and it runs only at 10^3;
//! - `get`: look up every key, present, in another random order;
//! - `remove`: remove every key in place, in random order, from a map built
//!   by inserts (and shared with no other version);
//! - `iter`: visit every entry in order.
//!
//! The maps built outside the timed part are built the same way for every
//! kind, and results are dropped outside it.

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::{BenchMap, for_each_map, random_keys, shuffled};
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

/// The keys inserted, the same for every map kind.
fn keys(n: usize) -> Vec<u64> {
    random_keys(n, 1)
}

/// A map of `keys` built by in-place inserts in that order.
fn build<M: BenchMap>(keys: &[u64]) -> M {
    let mut map = M::new();
    for &k in keys {
        map.insert(k, k);
    }
    map
}

fn id<M: BenchMap>(n: usize) -> BenchmarkId {
    BenchmarkId::new(M::NAME, n)
}

fn insert<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, keys: &[u64]) {
    g.bench_function(id::<M>(keys.len()), |b| {
        b.iter_batched(
            M::new,
            |mut map| {
                for &k in keys {
                    map.insert(k, k);
                }
                map
            },
            BatchSize::LargeInput,
        );
    });
}

fn insert_persistent<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, keys: &[u64]) {
    if !M::SHARES_VERSIONS && keys.len() > 1_000 {
        return; // n full copies: quadratic
    }
    g.bench_function(id::<M>(keys.len()), |b| {
        b.iter_batched(
            || {
                let mut versions = Vec::with_capacity(keys.len() + 1);
                versions.push(M::new());
                versions
            },
            |mut versions| {
                for &k in keys {
                    let next = versions[versions.len() - 1].insert_persistent(k, k);
                    versions.push(next);
                }
                versions
            },
            BatchSize::LargeInput,
        );
    });
}

fn get<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, keys: &[u64]) {
    let map: M = build(keys);
    let order = shuffled(keys, 2);
    g.bench_function(id::<M>(keys.len()), |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for &k in &order {
                sum = sum.wrapping_add(*map.get(k).unwrap());
            }
            sum
        });
    });
}

fn remove<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, keys: &[u64]) {
    let order = shuffled(keys, 3);
    g.bench_function(id::<M>(keys.len()), |b| {
        // A fresh map each time, not a clone: an `AvlMap` clone shares every
        // node, and removing from it would copy paths instead.
        b.iter_batched(
            || build::<M>(keys),
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

fn iter<M: BenchMap>(g: &mut BenchmarkGroup<'_, WallTime>, keys: &[u64]) {
    let map: M = build(keys);
    assert_eq!(map.len(), keys.len());
    g.bench_function(id::<M>(keys.len()), |b| {
        b.iter(|| black_box(&map).iter_sum());
    });
}

/// Runs one criterion group, `name`: `each` at every size.
fn group(
    c: &mut Criterion,
    name: &str,
    mut each: impl FnMut(&mut BenchmarkGroup<'_, WallTime>, &[u64]),
) {
    let mut g = c.benchmark_group(name);
    for n in sizes() {
        let keys = keys(n);
        g.throughput(Throughput::Elements(n as u64));
        each(&mut g, &keys);
    }
    g.finish();
}

/// One group per operation, each map kind at each size.
fn all(c: &mut Criterion) {
    group(c, "insert", |g, keys| for_each_map!(insert(g, keys)));
    group(c, "insert_persistent", |g, keys| {
        for_each_map!(insert_persistent(g, keys));
    });
    group(c, "get", |g, keys| for_each_map!(get(g, keys)));
    group(c, "remove", |g, keys| for_each_map!(remove(g, keys)));
    group(c, "iter", |g, keys| for_each_map!(iter(g, keys)));
}

criterion_group! {
    name = benches;
    // Modest settings, so that the default run (29 benchmarks) takes about
    // two minutes on 2 cores; the slowest benchmarks then warn that 20
    // samples take longer than 2 s, and take it. Pass `--sample-size` or
    // `--measurement-time` to go further.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = all
}
criterion_main!(benches);
