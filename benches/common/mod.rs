//! What the benchmarks compare, and the keys they use.
//!
//! Every compared map implements [`BenchMap`]; the workloads in `map.rs` and
//! the measurements in `memory.rs` are written once over it. To add a peer,
//! implement `BenchMap` for it here and add it to [`for_each_map!`].
//!
//! This file is a module of each bench (`mod common;`), not a bench of its
//! own: `benches/Cargo.toml` lists the bench targets.

use persistent_avl::GenericAvlMap;
use std::collections::BTreeMap;

use persistent_avl::{ArcKind, AvlMap, AvlMapRc, BlockSize, Classic};

/// The operations the workloads need, on `u64` keys and values.
///
/// `FromIterator` is std's, which every compared map implements.
pub trait BenchMap: Clone + FromIterator<(u64, u64)> {
    /// The label in the benchmark ids, as `<group>/<NAME>/<size>`: no `/`.
    const NAME: &'static str;

    /// Whether the persistent forms share structure (O(log n)) rather than
    /// copying the whole map (O(n)).
    const SHARES_VERSIONS: bool;

    fn new() -> Self;
    fn len(&self) -> usize;

    /// Inserts in place, replacing the value of a present key.
    fn insert(&mut self, key: u64, value: u64);

    /// A new version holding `key`, leaving `self` as it was (both stay
    /// usable). For a persistent map this is its persistent insert; for a
    /// map without one it is a full clone and then an in-place insert.
    fn insert_persistent(&self, key: u64, value: u64) -> Self;

    fn get(&self, key: u64) -> Option<&u64>;

    /// The value, to change in place (copying what another version shares).
    fn get_mut(&mut self, key: u64) -> Option<&mut u64>;

    /// Removes in place; whether the key was present.
    fn remove(&mut self, key: u64) -> bool;

    /// A new version without `key`, leaving `self` as it was; as
    /// [`insert_persistent`](Self::insert_persistent).
    fn remove_persistent(&self, key: u64) -> Self;

    /// Visits every entry in key order; the wrapping sum of keys and values.
    fn iter_sum(&self) -> u64;

    /// Visits the first `count` entries with keys `>= from`, in order; the
    /// wrapping sum of their keys and values.
    fn range_sum(&self, from: u64, count: usize) -> u64;

    /// The number of differences between `self` and `other`, from the map's
    /// own diff of two versions; `None` for a map without one.
    fn diff_len(&self, other: &Self) -> Option<usize> {
        let _ = other;
        None
    }
}

fn sum<'a>(entries: impl Iterator<Item = (&'a u64, &'a u64)>) -> u64 {
    entries.fold(0, |acc, (k, v)| acc.wrapping_add(*k).wrapping_add(*v))
}

/// `AvlMap` and `AvlMapRc` differ only in their pointer kind.
macro_rules! impl_avl {
    ($map:ty, $name:literal) => {
        impl BenchMap for $map {
            const NAME: &'static str = $name;
            const SHARES_VERSIONS: bool = true;

            fn new() -> Self {
                Self::default()
            }
            fn len(&self) -> usize {
                self.len()
            }
            fn insert(&mut self, key: u64, value: u64) {
                self.insert(key, value);
            }
            fn insert_persistent(&self, key: u64, value: u64) -> Self {
                self.inserted(key, value)
            }
            fn get(&self, key: u64) -> Option<&u64> {
                self.get(&key)
            }
            fn get_mut(&mut self, key: u64) -> Option<&mut u64> {
                self.get_mut(&key)
            }
            fn remove(&mut self, key: u64) -> bool {
                self.remove(&key).is_some()
            }
            fn remove_persistent(&self, key: u64) -> Self {
                self.removed(&key)
            }
            fn iter_sum(&self) -> u64 {
                sum(self.iter())
            }
            fn range_sum(&self, from: u64, count: usize) -> u64 {
                sum(self.range(from..).take(count))
            }
            fn diff_len(&self, other: &Self) -> Option<usize> {
                Some(self.diff(other).count())
            }
        }
    };
}

impl_avl!(AvlMap<u64, u64>, "AvlMap");
impl_avl!(AvlMapRc<u64, u64>, "AvlMapRc");
impl_avl!(GenericAvlMap<u64, u64, Classic<ArcKind>>, "AvlMap-B0");
impl_avl!(GenericAvlMap<u64, u64, BlockSize<ArcKind, 4>>, "AvlMap-B4");
impl_avl!(GenericAvlMap<u64, u64, BlockSize<ArcKind, 8>>, "AvlMap-B8");
impl_avl!(GenericAvlMap<u64, u64, BlockSize<ArcKind, 16>>, "AvlMap-B16");
impl_avl!(GenericAvlMap<u64, u64, BlockSize<ArcKind, 64>>, "AvlMap-B64");
impl_avl!(GenericAvlMap<u64, u64, BlockSize<ArcKind, 128>>, "AvlMap-B128");

/// rpds's map behind `Arc` (`RedBlackTreeMapSync`) and behind `Rc` (its
/// default, `RedBlackTreeMap`). Its persistent forms have std's names
/// (`insert`, `remove`); the in-place ones end in `_mut`.
macro_rules! impl_rpds {
    ($map:ty, $name:literal) => {
        impl BenchMap for $map {
            const NAME: &'static str = $name;
            const SHARES_VERSIONS: bool = true;

            fn new() -> Self {
                Self::default()
            }
            fn len(&self) -> usize {
                self.size()
            }
            fn insert(&mut self, key: u64, value: u64) {
                self.insert_mut(key, value);
            }
            fn insert_persistent(&self, key: u64, value: u64) -> Self {
                self.insert(key, value)
            }
            fn get(&self, key: u64) -> Option<&u64> {
                self.get(&key)
            }
            fn get_mut(&mut self, key: u64) -> Option<&mut u64> {
                self.get_mut(&key)
            }
            fn remove(&mut self, key: u64) -> bool {
                self.remove_mut(&key)
            }
            fn remove_persistent(&self, key: u64) -> Self {
                self.remove(&key)
            }
            fn iter_sum(&self) -> u64 {
                sum(self.iter())
            }
            fn range_sum(&self, from: u64, count: usize) -> u64 {
                sum(self.range(from..).take(count))
            }
        }
    };
}

impl_rpds!(rpds::RedBlackTreeMapSync<u64, u64>, "rpds-sync");
impl_rpds!(rpds::RedBlackTreeMap<u64, u64>, "rpds-rc");

/// imbl's B-tree map (behind `Arc`): persistent `update` and `without`,
/// in-place `insert` and `remove` as std.
impl BenchMap for imbl::OrdMap<u64, u64> {
    const NAME: &'static str = "imbl";
    const SHARES_VERSIONS: bool = true;

    fn new() -> Self {
        Self::new()
    }
    fn len(&self) -> usize {
        self.len()
    }
    fn insert(&mut self, key: u64, value: u64) {
        self.insert(key, value);
    }
    fn insert_persistent(&self, key: u64, value: u64) -> Self {
        self.update(key, value)
    }
    fn get(&self, key: u64) -> Option<&u64> {
        self.get(&key)
    }
    fn get_mut(&mut self, key: u64) -> Option<&mut u64> {
        self.get_mut(&key)
    }
    fn remove(&mut self, key: u64) -> bool {
        self.remove(&key).is_some()
    }
    fn remove_persistent(&self, key: u64) -> Self {
        self.without(&key)
    }
    fn iter_sum(&self) -> u64 {
        sum(self.iter())
    }
    fn range_sum(&self, from: u64, count: usize) -> u64 {
        sum(self.range(from..).take(count))
    }
    fn diff_len(&self, other: &Self) -> Option<usize> {
        Some(self.diff(other).count())
    }
}

impl BenchMap for BTreeMap<u64, u64> {
    const NAME: &'static str = "BTreeMap";
    const SHARES_VERSIONS: bool = false;

    fn new() -> Self {
        BTreeMap::new()
    }
    fn len(&self) -> usize {
        self.len()
    }
    fn insert(&mut self, key: u64, value: u64) {
        self.insert(key, value);
    }
    /// std has no persistent form: this is `clone` (O(n), every entry
    /// copied) and then `insert`, so its time grows with the map's size.
    fn insert_persistent(&self, key: u64, value: u64) -> Self {
        let mut next = self.clone();
        next.insert(key, value);
        next
    }
    fn get(&self, key: u64) -> Option<&u64> {
        self.get(&key)
    }
    fn get_mut(&mut self, key: u64) -> Option<&mut u64> {
        self.get_mut(&key)
    }
    fn remove(&mut self, key: u64) -> bool {
        self.remove(&key).is_some()
    }
    /// `clone` and then `remove`, as [`insert_persistent`](Self::insert_persistent).
    fn remove_persistent(&self, key: u64) -> Self {
        let mut next = self.clone();
        next.remove(&key);
        next
    }
    fn iter_sum(&self) -> u64 {
        sum(self.iter())
    }
    fn range_sum(&self, from: u64, count: usize) -> u64 {
        sum(self.range(from..).take(count))
    }
}

/// Calls `$workload::<M>($args..)` for every compared map `M`, in the order
/// the results are printed.
macro_rules! for_each_map {
    ($workload:ident($($arg:expr),* $(,)?)) => {{
        $workload::<persistent_avl::AvlMap<u64, u64>>($($arg),*);
        $workload::<persistent_avl::AvlMapRc<u64, u64>>($($arg),*);
        $workload::<
            persistent_avl::GenericAvlMap<u64, u64, persistent_avl::Classic<persistent_avl::ArcKind>>,
        >($($arg),*);
        $workload::<std::collections::BTreeMap<u64, u64>>($($arg),*);
        $workload::<rpds::RedBlackTreeMapSync<u64, u64>>($($arg),*);
        $workload::<rpds::RedBlackTreeMap<u64, u64>>($($arg),*);
        $workload::<imbl::OrdMap<u64, u64>>($($arg),*);
    }};
}
pub(crate) use for_each_map;

/// Runs `$workload::<M>(args)` for `AvlMap` at other block sizes than the
/// default 32 and the classic 0 (which [`for_each_map`] runs): the curve of
/// block size against speed and memory (`docs/design.md`, section 9).
macro_rules! for_each_block_size {
    ($workload:ident($($arg:expr),* $(,)?)) => {{
        use persistent_avl::{ArcKind, BlockSize, GenericAvlMap};
        $workload::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 4>>>($($arg),*);
        $workload::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 8>>>($($arg),*);
        $workload::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 16>>>($($arg),*);
        $workload::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 64>>>($($arg),*);
        $workload::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 128>>>($($arg),*);
    }};
}
#[allow(unused_imports)]
pub(crate) use for_each_block_size;

/// `SplitMix64`: a bijection of `u64` with good mixing, so distinct inputs
/// give distinct, well-spread outputs.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `n` distinct pseudo-random keys, the same on every run. Different seeds
/// give disjoint sets (for `n < 2^32`): the inputs `seed · 2^32 + i` differ
/// and [`splitmix64`] is a bijection.
pub fn random_keys(n: usize, seed: u64) -> Vec<u64> {
    (0..n as u64)
        .map(|i| splitmix64(seed.wrapping_mul(0x1_0000_0000).wrapping_add(i)))
        .collect()
}

/// The keys in another deterministic order (Fisher–Yates with [`splitmix64`]).
pub fn shuffled(keys: &[u64], seed: u64) -> Vec<u64> {
    let mut out = keys.to_vec();
    let mut state = seed;
    for i in (1..out.len()).rev() {
        state = splitmix64(state);
        let j = usize::try_from(state % (i as u64 + 1)).unwrap();
        out.swap(i, j);
    }
    out
}

/// A map of `keys` (each mapped to itself) built by in-place inserts in
/// that order.
pub fn build<M: BenchMap>(keys: &[u64]) -> M {
    let mut map = M::new();
    for &k in keys {
        map.insert(k, k);
    }
    map
}

/// A map of `keys` (each mapped to itself) built by `FromIterator` rather
/// than by inserts: for the persistent maps, a different layout in memory.
pub fn collect<M: BenchMap>(keys: &[u64]) -> M {
    keys.iter().map(|&k| (k, k)).collect()
}

/// The allocator the benchmarks run under: jemalloc with the `jemalloc`
/// feature, else the system's. Invoked once at the top of each bench that
/// times maps (`memory.rs` counts bytes with an allocator of its own).
///
/// The choice matters for maps grown by inserts: an allocator that keeps
/// each size of allocation on pages of its own (jemalloc, mimalloc) keeps
/// the tree's nodes together, where glibc's places them in the holes freed
/// blocks leave all over the heap.
macro_rules! bench_allocator {
    () => {
        #[cfg(feature = "jemalloc")]
        #[global_allocator]
        static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

        /// The allocator's name, for the benchmarks' output.
        #[allow(dead_code)]
        const ALLOCATOR_NAME: &str = if cfg!(feature = "jemalloc") {
            "jemalloc"
        } else {
            "the system's allocator"
        };
    };
}
pub(crate) use bench_allocator;
