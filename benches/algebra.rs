//! The bulk operations, sequential and parallel, against imbl's `OrdMap`
//! and std's `BTreeMap`, on `u64` keys and values.
//!
//! From the repository's root:
//!
//! ```text
//! cargo bench -p persistent-avl-benches --bench algebra     # 10^6 entries, a few minutes
//! AVL_BENCH_QUICK=1 cargo bench -p persistent-avl-benches --bench algebra
//!                                                 # every size / 100: a smoke run
//! cargo test -p persistent-avl-benches --bench algebra      # each row once, sizes / 100
//! cargo bench -p persistent-avl-benches --bench algebra -- union_versions/  # one group
//! ```
//!
//! Groups, each with ids `<group>/<row>`:
//!
//! - `union_<shape>`, `intersection_<shape>`, `difference_<shape>` (`a`
//!   minus `b`), for three shapes of inputs `(a, b)`:
//!   - `random`: two maps of 5·10^5 independent random keys (disjoint, as
//!     random `u64` keys almost surely are: the intersection is empty);
//!   - `big_small`: a map of 10^6 random keys and one of 10^3, half of them
//!     keys of the big map and half new;
//!   - `versions`: a map of 10^6 random keys and a version of it 10^3 edits
//!     away (500 inserts of new keys and 500 removes, in place on a clone),
//!     so that for the persistent maps the two share all but those paths.
//!
//!   Rows: `AvlMap` (`union_map`, `intersection_map`, `difference_map`),
//!   `AvlMap-par` (`par_union_map`, ...), `AvlMap-par-outside` (the same,
//!   called from outside the pool: see "Threads" below), `imbl` (`union`,
//!   `intersection`, `relative_complement`; imbl 7's `difference` is a
//!   deprecated alias of `symmetric_difference`), `BTreeMap` (std has no
//!   set algebra on maps: the fastest plain form for the shape, see
//!   [`StdOps`]). For the `random` shape, also `AvlMap-halves`: the
//!   inputs cut beforehand (untimed) at the middle key of the two, and the
//!   sequential form run on the two halves at once with one `rayon::join`.
//!   It is the same work as `AvlMap-par` with the parallel recursion taken
//!   out, so it shows what two threads can gain on this machine for this
//!   work, in the same run.
//! - `iter_sum`: the wrapping sum of the values of a 10^6-entry map:
//!   `AvlMap-par` and `AvlMap-par-outside` (`par_iter`), `AvlMap` (`iter`),
//!   `imbl`, `BTreeMap`.
//! - `build`: a map of 10^6 entries in random key order: `AvlMap-par-range`
//!   (`(0..n).into_par_iter().map(..).collect()`, the keys made in the
//!   parallel iterator), `AvlMap-par-vec` (`vec.into_par_iter().collect()`)
//!   and `AvlMap-par-vec-outside`, and `FromIterator` from the same `Vec`
//!   for `AvlMap`, `BTreeMap`, `imbl`; the `Vec` is cloned in the untimed
//!   setup.
//! - `filter_drop1pct`, `filter_drop50pct`: keep the entries of a
//!   10^6-entry map whose key is not a multiple of 100 (or of 2): `AvlMap`
//!   (`filter`), `AvlMap-par` and `AvlMap-par-outside` (`par_filter`),
//!   `imbl-remove` (clone, then `remove` each dropped key), `imbl-collect`
//!   (collect the kept entries; imbl has no filter, and which of the two is
//!   faster depends on how much is dropped), `BTreeMap` (collect the kept
//!   entries: faster here than clone + `retain`).
//! - `map_values`: every value times 3: `AvlMap` (`map_values`),
//!   `AvlMap-par` and `AvlMap-par-outside` (`par_map_values`), `imbl`
//!   (clone, then `get_mut` of every key in order: twice as fast as
//!   collecting), `BTreeMap` (collect the mapped entries).
//!
//! Timing. The inputs are built once (per shape for the set algebra, once
//! for the other groups: by `FromIterator` from the keys in random order),
//! when the first benchmark that needs them runs, and borrowed. Each row's
//! timed part is what it takes to make the result while keeping the inputs:
//! imbl's set algebra consumes both maps, so its row clones them inside the
//! timed part (O(1)); `BTreeMap` rows that need an owned copy clone inside
//! it too (O(n)). The result is returned and dropped outside the timed part
//! (`iter_batched` with an empty setup). Before its first sample, every
//! row's result is checked against `BTreeMap`'s.
//!
//! Threads. The rayon pool is the global one, as many threads as cores, and
//! the thread that runs the benchmarks is the first of them
//! (`use_current_thread`, in `main`): a `-par` row's call starts on a pool
//! thread, as a call from any rayon task does. Each parallel form also has
//! an `-outside` row whose calls are made from a thread of no rayon pool,
//! as a program's own thread is when its pool was built without it: each
//! call hands its work to a second pool of as many threads and sleeps until
//! the result is back (`iter_custom`, with the same batches and untimed
//! drops as the other rows). Either way, a call made after the pool's
//! threads have gone to sleep waits for them to wake, which on this 2-core
//! virtual machine takes up to a few milliseconds (`docs/parallel.md`,
//! "Calling from outside the pool").

#[allow(dead_code, unused_macros, unused_imports)] // the parts `map.rs` uses
mod common;

common::bench_allocator!();

use std::cell::LazyCell;
use std::collections::BTreeMap;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

use common::{BenchMap, random_keys, shuffled, splitmix64};
use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup, Criterion, criterion_group};
use persistent_avl::AvlMap;
use rayon::prelude::*;
use rayon::{ThreadPool, ThreadPoolBuilder};

type Avl = AvlMap<u64, u64>;
type Imbl = imbl::OrdMap<u64, u64>;
type Std = BTreeMap<u64, u64>;

/// `AVL_BENCH_QUICK=1`: every size divided by 100, and short measurements.
/// So too without `--bench` (`cargo test -p persistent-avl-benches
/// --benches`, where criterion runs each benchmark once as a check).
fn quick() -> bool {
    std::env::var("AVL_BENCH_QUICK").is_ok_and(|v| v == "1")
        || !std::env::args().any(|a| a == "--bench")
}

/// A size of the full run, divided by 100 in a quick run.
fn size(full: usize) -> usize {
    if quick() { full / 100 } else { full }
}

const HALF: usize = 500_000;
const BIG: usize = 1_000_000;
const SMALL: usize = 1_000;
const EDITS: usize = 1_000;

fn collect<M: FromIterator<(u64, u64)>>(keys: &[u64]) -> M {
    keys.iter().map(|&k| (k, k)).collect()
}

fn copied<'a>(
    entries: impl Iterator<Item = (&'a u64, &'a u64)>,
) -> impl Iterator<Item = (u64, u64)> {
    entries.map(|(k, v)| (*k, *v))
}

/// The big map of the `big_small` and `versions` shapes, and the map of
/// the other groups: 10^6 random keys.
fn big_keys() -> Vec<u64> {
    random_keys(size(BIG), 1)
}

// ---------------------------------------------------------------------------
// Set algebra.

#[derive(Clone, Copy)]
enum Op {
    Union,
    Intersection,
    Difference,
}

const OPS: [Op; 3] = [Op::Union, Op::Intersection, Op::Difference];

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Union => "union",
            Op::Intersection => "intersection",
            Op::Difference => "difference",
        }
    }

    fn avl(self, a: &Avl, b: &Avl) -> Avl {
        match self {
            Op::Union => a.union_map(b),
            Op::Intersection => a.intersection_map(b),
            Op::Difference => a.difference_map(b),
        }
    }

    fn avl_par(self, a: &Avl, b: &Avl) -> Avl {
        match self {
            Op::Union => a.par_union_map(b),
            Op::Intersection => a.par_intersection_map(b),
            Op::Difference => a.par_difference_map(b),
        }
    }

    /// imbl's forms consume both maps: the clones (O(1), shared nodes) keep
    /// the inputs, as the persistent maps' forms do.
    fn imbl(self, a: &Imbl, b: &Imbl) -> Imbl {
        let (a, b) = (a.clone(), b.clone());
        match self {
            Op::Union => a.union(b),
            Op::Intersection => a.intersection(b),
            Op::Difference => a.relative_complement(b),
        }
    }

    fn std(self, a: &Std, b: &Std) -> Std {
        match self {
            Op::Union => StdOps::union(a, b),
            Op::Intersection => StdOps::intersection(a, b),
            Op::Difference => StdOps::difference(a, b),
        }
    }
}

/// Set algebra on std's `BTreeMap`, which has none: for each shape the
/// fastest of the plain forms we measured (at 10^6 entries, this machine),
/// leaving both inputs as they were. "Skewed" is one map 16 times the
/// other's size or more.
///
/// - union: of sizes alike, `a.iter().chain(b).collect()` (`from_iter`'s
///   stable sort merges the two sorted runs in linear time, then builds in
///   bulk; 0.75-0.85x clone + `append`, 0.3-0.55x clone + `extend`);
///   skewed, clone the larger and insert the smaller's entries (0.4-0.45x
///   either bulk form);
/// - intersection: of sizes alike, one merge walk of the two sorted
///   iterators, collected (0.2-0.25x filtering one by `contains_key` on the
///   other, 0.12-0.2x clone + `retain`); skewed, look the smaller's keys up
///   in the larger;
/// - difference `a - b`: of sizes alike, the merge walk (0.04-0.55x
///   filtering or clone + `retain`); `a` much larger, clone `a` and remove
///   `b`'s keys (0.3x the walk, 0.2x filtering); `b` much larger, filter
///   `a` by lookups in `b`.
struct StdOps;

impl StdOps {
    const SKEW: usize = 16;

    fn union(a: &Std, b: &Std) -> Std {
        // Where both hold a key, `b`'s value, as `AvlMap::union_map`.
        if a.len() >= Self::SKEW * b.len() {
            let mut out = a.clone();
            out.extend(copied(b.iter()));
            out
        } else if b.len() >= Self::SKEW * a.len() {
            let mut out = b.clone();
            for (&k, &v) in a {
                out.entry(k).or_insert(v);
            }
            out
        } else {
            // `from_iter` keeps the last of equal keys: `b`'s.
            copied(a.iter().chain(b)).collect()
        }
    }

    fn intersection(a: &Std, b: &Std) -> Std {
        // `a`'s entries, as `AvlMap::intersection_map`.
        if a.len() >= Self::SKEW * b.len() {
            copied(b.keys().filter_map(|k| a.get_key_value(k))).collect()
        } else if b.len() >= Self::SKEW * a.len() {
            copied(a.iter().filter(|(k, _)| b.contains_key(k))).collect()
        } else {
            Self::walk(a, b, false, true)
        }
    }

    fn difference(a: &Std, b: &Std) -> Std {
        if a.len() >= Self::SKEW * b.len() {
            let mut out = a.clone();
            for k in b.keys() {
                out.remove(k);
            }
            out
        } else if b.len() >= Self::SKEW * a.len() {
            copied(a.iter().filter(|(k, _)| !b.contains_key(k))).collect()
        } else {
            Self::walk(a, b, true, false)
        }
    }

    /// One walk of both maps in key order, keeping `a`'s entries whose key
    /// is only in `a` (`only_a`) and those whose key is in both (`both`);
    /// the sorted `Vec` is built into a map in linear time.
    fn walk(a: &Std, b: &Std, only_a: bool, both: bool) -> Std {
        let mut out = Vec::new();
        let (mut xs, mut ys) = (a.iter(), b.iter());
        let (mut x, mut y) = (xs.next(), ys.next());
        while let (Some((&ka, &va)), Some((kb, _))) = (x, y) {
            match ka.cmp(kb) {
                std::cmp::Ordering::Less => {
                    if only_a {
                        out.push((ka, va));
                    }
                    x = xs.next();
                }
                std::cmp::Ordering::Greater => y = ys.next(),
                std::cmp::Ordering::Equal => {
                    if both {
                        out.push((ka, va));
                    }
                    x = xs.next();
                    y = ys.next();
                }
            }
        }
        if only_a {
            out.extend(copied(x.into_iter().chain(xs)));
        }
        out.into_iter().collect()
    }
}

#[derive(Clone, Copy)]
enum Shape {
    Random,
    BigSmall,
    Versions,
}

const SHAPES: [Shape; 3] = [Shape::Random, Shape::BigSmall, Shape::Versions];

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Random => "random",
            Shape::BigSmall => "big_small",
            Shape::Versions => "versions",
        }
    }

    /// The two inputs, the same keys for every map kind.
    fn inputs<M: BenchMap>(self) -> (M, M) {
        match self {
            Shape::Random => (
                collect(&random_keys(size(HALF), 11)),
                collect(&random_keys(size(HALF), 12)),
            ),
            Shape::BigSmall => {
                let big = big_keys();
                let half = size(SMALL) / 2;
                let mut small = shuffled(&big, 13);
                small.truncate(half);
                small.extend(random_keys(size(SMALL) - half, 14));
                (collect(&big), collect(&small))
            }
            Shape::Versions => {
                let big = big_keys();
                let a: M = collect(&big);
                let mut b = a.clone();
                for k in random_keys(size(EDITS) / 2, 15) {
                    b.insert(k, k);
                }
                for &k in &shuffled(&big, 16)[..size(EDITS) / 2] {
                    assert!(b.remove(k));
                }
                (a, b)
            }
        }
    }
}

/// The inputs of one shape for every map kind.
struct Inputs {
    avl: (Avl, Avl),
    imbl: (Imbl, Imbl),
    std: (Std, Std),
}

impl Inputs {
    fn new(shape: Shape) -> Self {
        Inputs {
            avl: shape.inputs(),
            imbl: shape.inputs(),
            std: shape.inputs(),
        }
    }
}

/// The inputs `(a, b)` cut at the middle key of the two into the pairs
/// below and above it (`range_map`), for the `AvlMap-halves` rows.
fn halves((a, b): &(Avl, Avl)) -> [(Avl, Avl); 2] {
    let mut keys: Vec<u64> = a.keys().chain(b.keys()).copied().collect();
    keys.sort_unstable();
    let middle = keys[keys.len() / 2];
    [
        (a.range_map(..middle), b.range_map(..middle)),
        (a.range_map(middle..), b.range_map(middle..)),
    ]
}

/// What a row's result is checked by: the length and a hash of the entries
/// in order, or the value of a sum.
trait Digest {
    fn digest(&self) -> (usize, u64);
}

fn digest_entries<'a>(
    len: usize,
    entries: impl Iterator<Item = (&'a u64, &'a u64)>,
) -> (usize, u64) {
    let hash = entries.fold(0, |acc, (k, v)| splitmix64(acc ^ k).wrapping_add(*v));
    (len, hash)
}

impl Digest for Avl {
    fn digest(&self) -> (usize, u64) {
        digest_entries(self.len(), self.iter())
    }
}

impl Digest for Imbl {
    fn digest(&self) -> (usize, u64) {
        digest_entries(self.len(), self.iter())
    }
}

impl Digest for Std {
    fn digest(&self) -> (usize, u64) {
        digest_entries(self.len(), self.iter())
    }
}

/// The result of an `AvlMap-halves` row: the maps below and above the
/// cut, checked as the one map they make together.
impl Digest for (Avl, Avl) {
    fn digest(&self) -> (usize, u64) {
        let len = self.0.len() + self.1.len();
        digest_entries(len, self.0.iter().chain(self.1.iter()))
    }
}

impl Digest for u64 {
    fn digest(&self) -> (usize, u64) {
        (0, *self)
    }
}

/// Which thread makes a row's calls.
#[derive(Clone, Copy)]
enum Caller {
    /// The benchmark's own thread, the first of rayon's global pool.
    PoolThread,
    /// A thread of no rayon pool, as a program's own thread is when its
    /// pool was built without it: each call hands its work to
    /// [`OUTSIDE`]'s threads and sleeps until the result is back.
    PlainThread,
}

/// One row: `call` on the group's data, built on first use (so that a
/// filter skips the building too) and borrowed, and on an input made by
/// `setup` (untimed). The result is checked once against `expected`
/// (std's digest), then timed as `how.0` makes the calls, in batches of
/// `how.1` (criterion's rule: a batch's inputs are made, its calls run
/// back to back, and their results are dropped outside the timed part).
fn bench_row<D: Sync, I: Send, T: Digest + Send>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    (caller, batch): (Caller, BatchSize),
    data: &LazyCell<D, impl FnOnce() -> D>,
    expected: impl Fn(&D) -> (usize, u64),
    setup: impl Fn(&D) -> I + Sync,
    call: impl Fn(&D, I) -> T + Sync,
) {
    let mut checked = false;
    g.bench_function(name, |b| {
        let data = LazyCell::force(data);
        if !checked {
            let what = format!("{name}: a result other than BTreeMap's");
            assert_eq!(call(data, setup(data)).digest(), expected(data), "{what}");
            checked = true;
        }
        let setup = || setup(data);
        let call = |input| call(data, input);
        match caller {
            Caller::PoolThread => b.iter_batched(setup, call, batch),
            Caller::PlainThread => b.iter_custom(|iters| {
                from_plain_thread(iters, per_batch(batch, iters), &setup, &call)
            }),
        }
    });
}

/// How many calls criterion's `iter_batched` makes per batch.
fn per_batch(batch: BatchSize, iters: u64) -> u64 {
    match batch {
        BatchSize::SmallInput => iters.div_ceil(10),
        _ => iters.div_ceil(1000),
    }
}

/// Times `iters` calls of `call`, made from a new thread that belongs to
/// no rayon pool, each handing its work to [`OUTSIDE`]: in batches of
/// `batch`, as `iter_batched` does on the benchmark's thread.
fn from_plain_thread<I: Send, T: Send>(
    iters: u64,
    batch: u64,
    setup: &(impl Fn() -> I + Sync),
    call: &(impl Fn(I) -> T + Sync),
) -> Duration {
    let run = || {
        let mut took = Duration::ZERO;
        let mut left = iters;
        while left > 0 {
            let n = left.min(batch);
            left -= n;
            let inputs: Vec<I> = (0..n).map(|_| setup()).collect();
            let start = Instant::now();
            let results: Vec<T> = inputs
                .into_iter()
                .map(|input| OUTSIDE.install(|| call(input)))
                .collect();
            took += start.elapsed();
            drop(results);
        }
        took
    };
    std::thread::scope(|s| s.spawn(run).join()).expect("the calling thread does not panic")
}

/// One row: `routine` on the group's data, built on first use (so that a
/// filter skips the building too) and borrowed, called from the
/// benchmark's thread.
fn row<D: Sync, T: Digest + Send>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    data: &LazyCell<D, impl FnOnce() -> D>,
    expected: impl Fn(&D) -> (usize, u64),
    routine: impl Fn(&D) -> T + Sync,
) {
    row_from(g, name, Caller::PoolThread, data, expected, routine);
}

/// The `AvlMap-par-outside` row: as [`row`], called from a thread outside
/// the pool.
fn row_outside<D: Sync, T: Digest + Send>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    data: &LazyCell<D, impl FnOnce() -> D>,
    expected: impl Fn(&D) -> (usize, u64),
    routine: impl Fn(&D) -> T + Sync,
) {
    let name = "AvlMap-par-outside";
    row_from(g, name, Caller::PlainThread, data, expected, routine);
}

fn row_from<D: Sync, T: Digest + Send>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    caller: Caller,
    data: &LazyCell<D, impl FnOnce() -> D>,
    expected: impl Fn(&D) -> (usize, u64),
    routine: impl Fn(&D) -> T + Sync,
) {
    let how = (caller, BatchSize::SmallInput);
    bench_row(g, name, how, data, expected, |_| (), |d, ()| routine(d));
}

fn set_algebra(c: &mut Criterion) {
    for shape in SHAPES {
        let inputs = LazyCell::new(|| Inputs::new(shape));
        let cut = LazyCell::new(|| halves(&LazyCell::force(&inputs).avl));
        for op in OPS {
            let mut g = c.benchmark_group(format!("{}_{}", op.name(), shape.name()));
            let expected = |i: &Inputs| op.std(&i.std.0, &i.std.1).digest();
            row(&mut g, "AvlMap", &inputs, expected, |i| {
                op.avl(&i.avl.0, &i.avl.1)
            });
            row(&mut g, "AvlMap-par", &inputs, expected, |i| {
                op.avl_par(&i.avl.0, &i.avl.1)
            });
            row_outside(&mut g, &inputs, expected, |i| {
                op.avl_par(&i.avl.0, &i.avl.1)
            });
            if matches!(shape, Shape::Random) {
                let whole = |_: &[(Avl, Avl); 2]| expected(LazyCell::force(&inputs));
                row(&mut g, "AvlMap-halves", &cut, whole, |[low, high]| {
                    rayon::join(|| op.avl(&low.0, &low.1), || op.avl(&high.0, &high.1))
                });
            }
            row(&mut g, "imbl", &inputs, expected, |i| {
                op.imbl(&i.imbl.0, &i.imbl.1)
            });
            row(&mut g, "BTreeMap", &inputs, expected, |i| {
                op.std(&i.std.0, &i.std.1)
            });
            g.finish();
        }
    }
}

// ---------------------------------------------------------------------------
// Iteration, building, filtering, mapping.

/// The 10^6-entry maps of the other groups, the same keys for each kind.
struct Maps {
    avl: Avl,
    imbl: Imbl,
    std: Std,
}

impl Maps {
    fn new() -> Self {
        let keys = big_keys();
        Maps {
            avl: collect(&keys),
            imbl: collect(&keys),
            std: collect(&keys),
        }
    }
}

fn sum<'a>(values: impl Iterator<Item = &'a u64>) -> u64 {
    values.fold(0, |acc, v| acc.wrapping_add(*v))
}

fn iter_sum(c: &mut Criterion, maps: &LazyCell<Maps, impl FnOnce() -> Maps>) {
    let mut g = c.benchmark_group("iter_sum");
    let expected = |m: &Maps| sum(m.std.values()).digest();
    let par_sum = |m: &Avl| {
        m.par_iter()
            .map(|(_, v)| *v)
            .reduce(|| 0, u64::wrapping_add)
    };
    row(&mut g, "AvlMap-par", maps, expected, |m| par_sum(&m.avl));
    row_outside(&mut g, maps, expected, |m| par_sum(&m.avl));
    row(&mut g, "AvlMap", maps, expected, |m| sum(m.avl.values()));
    row(&mut g, "imbl", maps, expected, |m| sum(m.imbl.values()));
    row(&mut g, "BTreeMap", maps, expected, |m| sum(m.std.values()));
    g.finish();
}

/// The entry for position `i` of the unsorted input of `build`.
fn unsorted_entry(i: u64) -> (u64, u64) {
    (splitmix64(i), i)
}

/// The input of `build`, cloned for each iteration in the untimed setup,
/// and the digest of the map it makes.
struct Unsorted {
    pairs: Vec<(u64, u64)>,
    expected: (usize, u64),
}

fn build(c: &mut Criterion) {
    let n = size(BIG) as u64;
    let input = LazyCell::new(|| {
        let pairs: Vec<_> = (0..n).map(unsorted_entry).collect();
        let expected = Std::from_iter(pairs.clone()).digest();
        Unsorted { pairs, expected }
    });
    let mut g = c.benchmark_group("build");
    row(
        &mut g,
        "AvlMap-par-range",
        &input,
        |u| u.expected,
        |_| (0..n).into_par_iter().map(unsorted_entry).collect::<Avl>(),
    );
    let par_collect = |v: Vec<_>| v.into_par_iter().collect::<Avl>();
    let (here, plain) = (Caller::PoolThread, Caller::PlainThread);
    from_vec(&mut g, "AvlMap-par-vec", here, &input, par_collect);
    from_vec(&mut g, "AvlMap-par-vec-outside", plain, &input, par_collect);
    from_vec(&mut g, "AvlMap", here, &input, Avl::from_iter);
    from_vec(&mut g, "BTreeMap", here, &input, Std::from_iter);
    from_vec(&mut g, "imbl", here, &input, Imbl::from_iter);
    g.finish();
}

/// A row of `build` that takes its input by value, cloned for each call
/// in the untimed setup, called by `caller`.
fn from_vec<T: Digest + Send>(
    g: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    caller: Caller,
    input: &LazyCell<Unsorted, impl FnOnce() -> Unsorted>,
    make: impl Fn(Vec<(u64, u64)>) -> T + Sync,
) {
    let how = (caller, BatchSize::LargeInput);
    let setup = |u: &Unsorted| u.pairs.clone();
    bench_row(g, name, how, input, |u| u.expected, setup, |_, v| make(v));
}

fn filter(c: &mut Criterion, maps: &LazyCell<Maps, impl FnOnce() -> Maps>) {
    for (name, every) in [("filter_drop1pct", 100), ("filter_drop50pct", 2)] {
        let keep = move |k: &u64| !k.is_multiple_of(every);
        let mut g = c.benchmark_group(name);
        let expected = |m: &Maps| {
            copied(m.std.iter().filter(|(k, _)| keep(k)))
                .collect::<Std>()
                .digest()
        };
        row(&mut g, "AvlMap", maps, expected, |m| {
            m.avl.filter(|k, _| keep(k))
        });
        row(&mut g, "AvlMap-par", maps, expected, |m| {
            m.avl.par_filter(|k, _| keep(k))
        });
        row_outside(&mut g, maps, expected, |m| m.avl.par_filter(|k, _| keep(k)));
        row(&mut g, "imbl-remove", maps, expected, |m| {
            let mut out = m.imbl.clone();
            for k in m.imbl.keys().filter(|k| !keep(k)) {
                out.remove(k);
            }
            out
        });
        row(&mut g, "imbl-collect", maps, expected, |m| {
            copied(m.imbl.iter().filter(|(k, _)| keep(k))).collect::<Imbl>()
        });
        row(&mut g, "BTreeMap", maps, expected, |m| {
            copied(m.std.iter().filter(|(k, _)| keep(k))).collect::<Std>()
        });
        g.finish();
    }
}

fn map_values(c: &mut Criterion, maps: &LazyCell<Maps, impl FnOnce() -> Maps>) {
    let f = |v: &u64| v.wrapping_mul(3);
    let std_form = move |m: &Maps| m.std.iter().map(|(k, v)| (*k, f(v))).collect::<Std>();
    let mut g = c.benchmark_group("map_values");
    let expected = |m: &Maps| std_form(m).digest();
    row(&mut g, "AvlMap", maps, expected, |m| {
        m.avl.map_values(|_, v| f(v))
    });
    row(&mut g, "AvlMap-par", maps, expected, |m| {
        m.avl.par_map_values(|_, v| f(v))
    });
    row_outside(&mut g, maps, expected, |m| {
        m.avl.par_map_values(|_, v| f(v))
    });
    row(&mut g, "imbl", maps, expected, |m| {
        let mut out = m.imbl.clone();
        for k in m.imbl.keys() {
            if let Some(v) = out.get_mut(k) {
                *v = f(v);
            }
        }
        out
    });
    row(&mut g, "BTreeMap", maps, expected, std_form);
    g.finish();
}

fn bulk(c: &mut Criterion) {
    let maps = LazyCell::new(Maps::new);
    iter_sum(c, &maps);
    build(c);
    filter(c, &maps);
    map_values(c, &maps);
}

fn config() -> Criterion {
    // As `map.rs`: 10 samples, short measurements, so that the whole run
    // (76 benchmarks, most on 10^6 entries) takes a few minutes on 2 cores.
    let (warm_up, measure) = if quick() {
        (Duration::from_millis(100), Duration::from_millis(300))
    } else {
        (Duration::from_millis(500), Duration::from_secs(2))
    };
    Criterion::default()
        .sample_size(10)
        .warm_up_time(warm_up)
        .measurement_time(measure)
}

criterion_group! {
    name = benches;
    config = config();
    targets = set_algebra, bulk
}

/// A pool of as many threads as rayon's global one, none of them the
/// thread that runs the benchmarks: the `-outside` rows hand their calls
/// to it from a thread of no pool.
static OUTSIDE: LazyLock<ThreadPool> = LazyLock::new(|| {
    ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .build()
        .expect("a second pool of rayon threads")
});

/// `criterion_main!`, after making this thread the first of rayon's global
/// pool, so that the `-par` rows' calls start on a pool thread, as they do
/// from within any rayon task (see `docs/parallel.md`, "Calling from
/// outside the pool").
fn main() {
    ThreadPoolBuilder::new()
        .use_current_thread()
        .build_global()
        .expect("the global pool is built first, here");
    benches();
    Criterion::default().configure_from_args().final_summary();
}
