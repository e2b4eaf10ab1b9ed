//! Parallel operations on rayon's thread pool (the `rayon` feature, on by
//! default).
//!
//! - Set algebra, filtering and mapping that fork the two halves of their
//!   join-based recursion with `rayon::join` above a grain size, and run
//!   sequentially below it: `par_union_map` (and `_with`,
//!   `_with_idempotent`), `par_intersection_map`,
//!   `par_difference_map`, `par_symmetric_difference_map`, `par_filter`,
//!   `par_filter_map`, `par_map_values`, and the sets' `par_*_set`. Each
//!   returns exactly what its sequential twin returns.
//! - Indexed parallel iterators over a version: `map.par_iter()` (from
//!   rayon's prelude, through `&AvlMap: IntoParallelIterator`),
//!   [`par_keys`](crate::GenericAvlMap::par_keys) and [`par_values`](crate::GenericAvlMap::par_values),
//!   and `set.par_iter()`. They split by position, using the subtree sizes,
//!   so every thread gets an equal share, and each part starts in O(log n).
//!   `into_par_iter()` on a map or set splits the same way, cutting the map
//!   by position; [`par_iter_mut`](crate::GenericAvlMap::par_iter_mut) and
//!   [`par_values_mut`](crate::GenericAvlMap::par_values_mut) gather their mutable
//!   references in one sequential pass first.
//! - `FromParallelIterator` and `ParallelExtend` for maps and sets: the
//!   entries are collected, sorted and merged in parallel, then built into
//!   a balanced tree in O(n).
//!
//! All of it is for the default [`ArcKind`] maps and sets (an `Rc` tree
//! cannot cross threads), with keys and values that are `Send + Sync`.
//!
//! # Calling from a thread outside the pool
//!
//! A call from a thread that is not one of the pool's (by default, a
//! program's main thread) hands all its work to the pool and sleeps until
//! the result is back. If the pool's threads have gone to sleep since their
//! last work, no work starts until one of them wakes; on a 2-core virtual
//! machine that took up to 2.8 ms after an idle spell of 20 ms or more
//! (`docs/parallel.md`, "Calling from outside the pool"), where calls made
//! back to back did not notice it. A program that calls the parallel forms
//! from its main thread can make that thread one of the pool's, once,
//! before the pool's first use, so that each call starts working at once:
//!
//! ```
//! use persistent_avl::AvlMap;
//!
//! rayon::ThreadPoolBuilder::new()
//!     .use_current_thread()
//!     .build_global()
//!     .expect("the global pool is built once, before its first use");
//!
//! let a: AvlMap<u32, u32> = (0..100_000).map(|k| (k * 2, k)).collect();
//! let b: AvlMap<u32, u32> = (0..100_000).map(|k| (k * 3, k)).collect();
//! // This thread runs half of the union; another of the pool's the rest.
//! assert_eq!(rayon::current_thread_index(), Some(0));
//! assert_eq!(a.par_union_map(&b).len(), 100_000 + 100_000 - 33_334);
//! ```

use alloc::vec::Vec;

use ::rayon::iter::plumbing::{Consumer, Producer, ProducerCallback, UnindexedConsumer, bridge};
use ::rayon::iter::{
    FromParallelIterator, IndexedParallelIterator, IntoParallelIterator, ParallelExtend,
    ParallelIterator,
};
use ::rayon::slice::ParallelSliceMut;

use crate::map::{self, GenericAvlMap};
use crate::node::{self, Both, Combine, Fork, Keep, RawIter, Task, Tree};
use crate::ptr::ArcKind;
use crate::set::{self, GenericAvlSet};

/// Halves with fewer entries than this run sequentially: below it, the cost
/// of handing a task to another thread outweighs the work.
const GRAIN: usize = 4096;

/// Runs the two halves on rayon's pool when they are big enough.
#[derive(Clone, Copy)]
pub(crate) struct Par;

impl<T> Fork<T> for Par
where
    T: Task + Send,
    T::Out: Send,
{
    #[inline]
    fn join(self, a: T, b: T) -> (T::Out, T::Out) {
        if a.size() + b.size() < GRAIN {
            return (a.run(node::Seq), b.run(node::Seq));
        }
        ::rayon::join(move || a.run(self), move || b.run(self))
    }
}

impl<K, V> GenericAvlMap<K, V, ArcKind>
where
    K: Ord + Clone + Send + Sync,
    V: Clone + Send + Sync,
{
    fn par_merged<F>(&self, other: &Self, how: &Combine<F>) -> Self
    where
        F: Both<K, V> + Sync,
    {
        Self::from_tree(node::merge(
            self.root().clone(),
            other.root().clone(),
            how,
            Par,
        ))
    }

    /// [`union_map`](Self::union_map), in parallel: the same result.
    ///
    /// Time: O(m log(n/m + 1)) work for sizes m <= n, O(log n log m) span.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let a: AvlMap<u32, u32> = (0..10_000).map(|k| (k * 2, k)).collect();
    /// let b: AvlMap<u32, u32> = (0..10_000).map(|k| (k * 3, k)).collect();
    /// assert!(a.par_union_map(&b).iter().eq(a.union_map(&b).iter()));
    /// ```
    #[must_use = "the union is a new map; `self` is unchanged"]
    pub fn par_union_map(&self, other: &Self) -> Self {
        self.par_merged(other, &map::union_of())
    }

    /// [`union_map_with`](Self::union_map_with), in parallel: the same
    /// result; `f` runs on several threads, in no particular order.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let a = AvlMap::from([(1, 10), (2, 20)]);
    /// let b = AvlMap::from([(2, 2), (3, 3)]);
    /// let sum = a.par_union_map_with(&b, |_, x, y| x + y);
    /// assert_eq!(sum.into_iter().collect::<Vec<_>>(), [(1, 10), (2, 22), (3, 3)]);
    /// ```
    #[must_use = "the union is a new map; `self` is unchanged"]
    pub fn par_union_map_with<F>(&self, other: &Self, f: F) -> Self
    where
        F: Fn(&K, V, V) -> V + Sync,
    {
        self.par_merged(other, &map::combined_with(true, true, false, f))
    }

    /// [`union_map_with_idempotent`](Self::union_map_with_idempotent), in
    /// parallel: the same result, with the same promise about `f`.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let a = AvlMap::from([(1, 10), (2, 20)]);
    /// let b = AvlMap::from([(2, 25), (3, 3)]);
    /// let most = a.par_union_map_with_idempotent(&b, |_, x, y| x.max(y));
    /// assert_eq!(most.into_iter().collect::<Vec<_>>(), [(1, 10), (2, 25), (3, 3)]);
    /// ```
    #[must_use = "the union is a new map; `self` is unchanged"]
    pub fn par_union_map_with_idempotent<F>(&self, other: &Self, f: F) -> Self
    where
        F: Fn(&K, V, V) -> V + Sync,
    {
        self.par_merged(other, &map::combined_with(true, true, true, f))
    }

    /// [`intersection_map`](Self::intersection_map), in parallel: the same
    /// result. Time: as [`par_union_map`](Self::par_union_map).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let a: AvlMap<u32, ()> = (0..10_000).map(|k| (k * 2, ())).collect();
    /// let b: AvlMap<u32, ()> = (0..10_000).map(|k| (k * 3, ())).collect();
    /// assert_eq!(a.par_intersection_map(&b).len(), 3_334);
    /// ```
    #[must_use = "the intersection is a new map; `self` is unchanged"]
    pub fn par_intersection_map(&self, other: &Self) -> Self {
        self.par_merged(other, &map::intersection_of())
    }

    /// [`intersection_map_with`](Self::intersection_map_with), in parallel:
    /// the same result; `f` runs on several threads, in no particular order.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let a = AvlMap::from([(1, 10), (2, 20)]);
    /// let b = AvlMap::from([(2, 2), (3, 3)]);
    /// let both = a.par_intersection_map_with(&b, |_, x, y| x * y);
    /// assert_eq!(both.into_iter().collect::<Vec<_>>(), [(2, 40)]);
    /// ```
    #[must_use = "the intersection is a new map; `self` is unchanged"]
    pub fn par_intersection_map_with<F>(&self, other: &Self, f: F) -> Self
    where
        F: Fn(&K, V, V) -> V + Sync,
    {
        self.par_merged(other, &map::combined_with(false, false, false, f))
    }

    /// [`difference_map`](Self::difference_map), in parallel: the same
    /// result. Time: as [`par_union_map`](Self::par_union_map).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let a: AvlMap<u32, ()> = (0..10_000).map(|k| (k, ())).collect();
    /// let b: AvlMap<u32, ()> = (0..10_000).map(|k| (k * 2, ())).collect();
    /// assert_eq!(a.par_difference_map(&b).len(), 5_000);
    /// ```
    #[must_use = "the difference is a new map; `self` is unchanged"]
    pub fn par_difference_map(&self, other: &Self) -> Self {
        if let Some(rest) = self.difference_by_removals(other) {
            return rest;
        }
        self.par_merged(other, &map::difference_of())
    }

    /// [`symmetric_difference_map`](Self::symmetric_difference_map), in
    /// parallel: the same result. Time: as
    /// [`par_union_map`](Self::par_union_map).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let a: AvlMap<u32, ()> = (0..10_000).map(|k| (k, ())).collect();
    /// let b: AvlMap<u32, ()> = (5_000..15_000).map(|k| (k, ())).collect();
    /// assert_eq!(a.par_symmetric_difference_map(&b).len(), 10_000);
    /// ```
    #[must_use = "the symmetric difference is a new map; `self` is unchanged"]
    pub fn par_symmetric_difference_map(&self, other: &Self) -> Self {
        self.par_merged(other, &map::symmetric_difference_of())
    }

    /// [`filter`](Self::filter), in parallel: the same result, sharing the
    /// same subtrees with `self`. O(n) work, O(log^2 n) span.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map: AvlMap<u32, u32> = (0..10_000).map(|k| (k, k)).collect();
    /// assert_eq!(map.par_filter(|k, _| k % 10 == 0).len(), 1_000);
    /// ```
    #[must_use = "the filtered map is new; `self` is unchanged"]
    pub fn par_filter<F>(&self, keep: F) -> Self
    where
        F: Fn(&K, &V) -> bool + Sync,
    {
        match node::filter(self.root(), &keep, Par) {
            Some(root) => Self::from_tree(root),
            None => self.clone(),
        }
    }

    /// [`filter_map`](Self::filter_map), in parallel: the same result.
    /// O(n) work, O(log^2 n) span.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map: AvlMap<u32, u32> = (0..10_000).map(|k| (k, k)).collect();
    /// let halves = map.par_filter_map(|_, v| (v % 2 == 0).then(|| v / 2));
    /// assert_eq!(halves.get(&10), Some(&5));
    /// ```
    #[must_use = "the new map is the result; `self` is unchanged"]
    pub fn par_filter_map<W, F>(&self, f: F) -> GenericAvlMap<K, W, ArcKind>
    where
        W: Clone + Send + Sync,
        F: Fn(&K, &V) -> Option<W> + Sync,
    {
        GenericAvlMap::from_tree(node::filter_map(self.root(), &f, Par))
    }

    /// [`map_values`](Self::map_values), in parallel: the same result, in
    /// the same shape. O(n) work, O(log n) span.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map: AvlMap<u32, u32> = (0..10_000).map(|k| (k, k)).collect();
    /// let squares = map.par_map_values(|_, v| u64::from(*v) * u64::from(*v));
    /// assert_eq!(squares[&9_999], 99_980_001);
    /// ```
    #[must_use = "the new map is the result; `self` is unchanged"]
    pub fn par_map_values<W, F>(&self, f: F) -> GenericAvlMap<K, W, ArcKind>
    where
        W: Send + Sync,
        F: Fn(&K, &V) -> W + Sync,
    {
        GenericAvlMap::from_tree(node::map_values(self.root(), &f, Par))
    }
}

impl<K: Sync + Send, V: Sync + Send> GenericAvlMap<K, V, ArcKind> {
    /// A parallel iterator over the keys, in order: indexed, split by
    /// position. O(log n) to start each part.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    /// use rayon::prelude::*;
    ///
    /// let map: AvlMap<u64, ()> = (1..=100).map(|k| (k, ())).collect();
    /// assert_eq!(map.par_keys().sum::<u64>(), 5050);
    /// ```
    pub fn par_keys(&self) -> impl IndexedParallelIterator<Item = &K> {
        self.par_iter_entries().map(|(key, _)| key)
    }

    /// A parallel iterator over the values, in key order: indexed, split by
    /// position. O(log n) to start each part.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    /// use rayon::prelude::*;
    ///
    /// let map: AvlMap<u32, u64> = (1..=100).map(|k| (k, u64::from(k) * 2)).collect();
    /// assert_eq!(map.par_values().sum::<u64>(), 10_100);
    /// ```
    pub fn par_values(&self) -> impl IndexedParallelIterator<Item = &V> {
        self.par_iter_entries().map(|(_, value)| value)
    }

    /// A parallel iterator over the entries in key order with mutable
    /// values: indexed. The nodes and blocks this version shares are copied
    /// first (as [`iter_mut`](Self::iter_mut) copies them), and the mutable
    /// references are gathered in one sequential O(n) pass; the work done
    /// with them is parallel.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    /// use rayon::prelude::*;
    ///
    /// let mut map: AvlMap<u32, u32> = (0..1000).map(|k| (k, k)).collect();
    /// let old = map.clone();
    /// map.par_iter_mut().for_each(|(k, v)| *v += k);
    /// assert_eq!((map[&10], old[&10]), (20, 10));
    /// ```
    pub fn par_iter_mut(&mut self) -> impl IndexedParallelIterator<Item = (&K, &mut V)>
    where
        K: Ord + Clone,
        V: Clone,
    {
        self.iter_mut().collect::<Vec<_>>().into_par_iter()
    }

    /// The mutable values of [`par_iter_mut`](Self::par_iter_mut), in key
    /// order.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    /// use rayon::prelude::*;
    ///
    /// let mut map: AvlMap<u32, u64> = (0..1000).map(|k| (k, 1)).collect();
    /// map.par_values_mut().for_each(|v| *v *= 3);
    /// assert_eq!(map.values().sum::<u64>(), 3000);
    /// ```
    pub fn par_values_mut(&mut self) -> impl IndexedParallelIterator<Item = &mut V>
    where
        K: Ord + Clone,
        V: Clone,
    {
        self.values_mut().collect::<Vec<_>>().into_par_iter()
    }

    fn par_iter_entries(&self) -> ParIter<'_, K, V> {
        ParIter {
            tree: self.root(),
            len: self.len(),
        }
    }
}

/// A parallel iterator over a map's entries in key order, made by
/// `par_iter` (rayon's `IntoParallelRefIterator`) on an [`AvlMap`](crate::AvlMap).
///
/// Indexed: rayon splits it by position, each part starting in O(log n)
/// from the subtree sizes, so the parts are even whatever the tree's shape.
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct ParIter<'a, K, V> {
    tree: &'a Tree<K, V, ArcKind>,
    len: usize,
}

impl<'a, K: Sync + Send, V: Sync + Send> IntoParallelIterator for &'a GenericAvlMap<K, V, ArcKind> {
    type Item = (&'a K, &'a V);
    type Iter = ParIter<'a, K, V>;

    fn into_par_iter(self) -> ParIter<'a, K, V> {
        self.par_iter_entries()
    }
}

/// An owning parallel iterator over a map's entries in key order, made by
/// `into_par_iter` on an [`AvlMap`](crate::AvlMap): indexed. Each split cuts the map by
/// position (O(log n), sharing all but the cut path); each part then moves
/// out the entries it holds alone and clones the shared ones, as `into_iter`
/// does.
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct IntoParIter<K, V> {
    map: GenericAvlMap<K, V, ArcKind>,
}

impl<K, V> IntoParallelIterator for GenericAvlMap<K, V, ArcKind>
where
    K: Ord + Clone + Send + Sync,
    V: Clone + Send + Sync,
{
    type Item = (K, V);
    type Iter = IntoParIter<K, V>;

    fn into_par_iter(self) -> IntoParIter<K, V> {
        IntoParIter { map: self }
    }
}

impl<K, V> ParallelIterator for IntoParIter<K, V>
where
    K: Ord + Clone + Send + Sync,
    V: Clone + Send + Sync,
{
    type Item = (K, V);

    fn drive_unindexed<C: UnindexedConsumer<(K, V)>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn opt_len(&self) -> Option<usize> {
        Some(self.map.len())
    }
}

impl<K, V> IndexedParallelIterator for IntoParIter<K, V>
where
    K: Ord + Clone + Send + Sync,
    V: Clone + Send + Sync,
{
    fn len(&self) -> usize {
        self.map.len()
    }

    fn drive<C: Consumer<(K, V)>>(self, consumer: C) -> C::Result {
        bridge(self, consumer)
    }

    fn with_producer<CB: ProducerCallback<(K, V)>>(self, callback: CB) -> CB::Output {
        callback.callback(Owned(self.map))
    }
}

/// A map as a producer of its entries: split by position.
struct Owned<K, V>(GenericAvlMap<K, V, ArcKind>);

impl<K, V> Producer for Owned<K, V>
where
    K: Ord + Clone + Send + Sync,
    V: Clone + Send + Sync,
{
    type Item = (K, V);
    type IntoIter = map::IntoIter<K, V, ArcKind>;

    fn into_iter(self) -> map::IntoIter<K, V, ArcKind> {
        self.0.into_iter()
    }

    fn min_len(&self) -> usize {
        // Each cut copies a path: not worth it for less than a few blocks.
        1024
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        let (low, high) = self.0.split_at(index);
        (Owned(low), Owned(high))
    }
}

/// A parallel iterator over a set's elements in order, made by `par_iter`
/// (rayon's `IntoParallelRefIterator`) on an [`AvlSet`](crate::AvlSet). Indexed, as
/// [`ParIter`].
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct SetParIter<'a, T> {
    tree: &'a Tree<T, (), ArcKind>,
    len: usize,
}

impl<'a, T: Sync + Send> IntoParallelIterator for &'a GenericAvlSet<T, ArcKind> {
    type Item = &'a T;
    type Iter = SetParIter<'a, T>;

    fn into_par_iter(self) -> SetParIter<'a, T> {
        SetParIter {
            tree: self.as_map().root(),
            len: self.len(),
        }
    }
}

/// The entries at positions `start..end` of a tree, as one of the public
/// sequential iterators (`I`), split in two by position.
struct Part<'a, K, V, I> {
    tree: &'a Tree<K, V, ArcKind>,
    start: usize,
    end: usize,
    face: fn(RawIter<'a, K, V, ArcKind>) -> I,
}

impl<K, V, I> Producer for Part<'_, K, V, I>
where
    K: Sync + Send,
    V: Sync + Send,
    I: DoubleEndedIterator + ExactSizeIterator + Send,
{
    type Item = I::Item;
    type IntoIter = I;

    fn into_iter(self) -> I {
        (self.face)(RawIter::positions(self.tree, self.start, self.end))
    }

    fn min_len(&self) -> usize {
        // A part of a block or two: starting a part costs a descent.
        64
    }

    fn split_at(self, index: usize) -> (Self, Self) {
        let mid = self.start + index;
        (Part { end: mid, ..self }, Part { start: mid, ..self })
    }
}

macro_rules! indexed_parallel_iterator {
    ($name:ident<$lt:lifetime, $($param:ident),+>, $k:ty, $v:ty, $item:ty, $face:expr) => {
        impl<$lt, $($param: Sync + Send),+> ParallelIterator for $name<$lt, $($param),+> {
            type Item = $item;

            fn drive_unindexed<C: UnindexedConsumer<$item>>(self, consumer: C) -> C::Result {
                bridge(self, consumer)
            }

            fn opt_len(&self) -> Option<usize> {
                Some(self.len)
            }
        }

        impl<$lt, $($param: Sync + Send),+> IndexedParallelIterator for $name<$lt, $($param),+> {
            fn len(&self) -> usize {
                self.len
            }

            fn drive<C: Consumer<$item>>(self, consumer: C) -> C::Result {
                bridge(self, consumer)
            }

            fn with_producer<CB: ProducerCallback<$item>>(self, callback: CB) -> CB::Output {
                callback.callback(Part {
                    tree: self.tree,
                    start: 0,
                    end: self.len,
                    face: $face,
                })
            }
        }
    };
}

indexed_parallel_iterator!(ParIter<'a, K, V>, K, V, (&'a K, &'a V), |inner| map::Iter {
    inner
});
indexed_parallel_iterator!(SetParIter<'a, T>, T, (), &'a T, |inner| set::Iter { inner });

/// Collects in parallel, sorts stably, keeps one entry of equal keys as
/// `keep` says, and builds the tree. O(n log n) work.
///
/// On a pool of two threads each thread sorts half of the entries in place
/// with std's stable sort, which on two cores takes about a sixth less time
/// than rayon's parallel merge sort of them all (`docs/benchmark-notes.md`,
/// "The parallel build, sorted in halves"). The two sorted halves are then
/// cut at one key into a lower part and an upper part of about half the
/// entries each, and each thread merges one part's two runs: the tree is
/// built of the two merged parts as they are. A larger pool sorts with
/// rayon's merge sort, spread over all its threads.
fn tree_from_par<K: Ord + Send, V: Send>(
    entries: impl ParallelIterator<Item = (K, V)>,
    keep: Keep,
) -> Tree<K, V, ArcKind> {
    let mut entries: Vec<(K, V)> = entries.collect();
    let by_key = |a: &(K, V), b: &(K, V)| a.0.cmp(&b.0);
    let threads = ::rayon::current_num_threads();
    if threads > 2 {
        entries.par_sort_by(by_key);
        return node::build_sorted(node::dedup_sorted(entries, keep));
    }
    if threads < 2 || entries.len() < 2 * GRAIN {
        return node::build_sorted(node::collect_sorted(entries, keep));
    }
    let half = entries.len() / 2;
    let (lower, upper) = entries.split_at_mut(half);
    ::rayon::join(|| lower.sort_by(by_key), || upper.sort_by(by_key));
    let (lower, upper) = entries.split_at(half);
    let cut = node::halving_cut(lower, upper);
    let (below, above) = entries
        .into_par_iter()
        .with_producer(MergeParts { half, cut, keep });
    node::build_pair(below, above)
}

/// Takes the entries, two sorted halves, apart where [`tree_from_par`] cut
/// them, moving each entry out once, and merges the lower part's two runs
/// and the upper part's on two threads.
struct MergeParts {
    half: usize,
    cut: (usize, usize),
    keep: Keep,
}

impl<K: Ord + Send, V: Send> ProducerCallback<(K, V)> for MergeParts {
    type Output = (Vec<(K, V)>, Vec<(K, V)>);

    fn callback<P: Producer<Item = (K, V)>>(self, entries: P) -> Self::Output {
        let (lower, upper) = entries.split_at(self.half);
        let (lower_below, lower_above) = lower.split_at(self.cut.0);
        let (upper_below, upper_above) = upper.split_at(self.cut.1);
        let keep = self.keep;
        ::rayon::join(
            || node::merge_sorted(lower_below.into_iter(), upper_below.into_iter(), keep),
            || node::merge_sorted(lower_above.into_iter(), upper_above.into_iter(), keep),
        )
    }
}

/// Builds the map in parallel: O(n log n) work to sort, O(n) to build. Of
/// equal keys the last one wins, as in std's `FromIterator`.
impl<K: Ord + Send, V: Send> FromParallelIterator<(K, V)> for GenericAvlMap<K, V, ArcKind> {
    fn from_par_iter<I: IntoParallelIterator<Item = (K, V)>>(iter: I) -> Self {
        Self::from_tree(tree_from_par(iter.into_par_iter(), Keep::LastEntry))
    }
}

/// Adds every entry as `extend` does (a key already there keeps its key and
/// takes the new value; of equal new keys, the first key and the last
/// value): built into a map in parallel, then united with this one by
/// [`par_union_map`](crate::GenericAvlMap::par_union_map).
impl<K, V> ParallelExtend<(K, V)> for GenericAvlMap<K, V, ArcKind>
where
    K: Ord + Clone + Send + Sync,
    V: Clone + Send + Sync,
{
    fn par_extend<I: IntoParallelIterator<Item = (K, V)>>(&mut self, iter: I) {
        let more = Self::from_tree(tree_from_par(iter.into_par_iter(), Keep::FirstKey));
        *self = self.par_union_map(&more);
    }
}

/// The set's elements by value, in order, in parallel: indexed, split by
/// position as the map's [`IntoParIter`].
impl<T: Ord + Clone + Send + Sync> IntoParallelIterator for GenericAvlSet<T, ArcKind> {
    type Item = T;
    type Iter = ::rayon::iter::Map<IntoParIter<T, ()>, fn((T, ())) -> T>;

    fn into_par_iter(self) -> Self::Iter {
        let element: fn((T, ())) -> T = |(t, ())| t;
        self.into_map().into_par_iter().map(element)
    }
}

/// Builds the set in parallel: O(n log n) work to sort, O(n) to build.
impl<T: Ord + Send> FromParallelIterator<T> for GenericAvlSet<T, ArcKind> {
    fn from_par_iter<I: IntoParallelIterator<Item = T>>(iter: I) -> Self {
        GenericAvlSet::from_map(iter.into_par_iter().map(|t| (t, ())).collect())
    }
}

/// Adds every element, as the map's `ParallelExtend`.
impl<T: Ord + Clone + Send + Sync> ParallelExtend<T> for GenericAvlSet<T, ArcKind> {
    fn par_extend<I: IntoParallelIterator<Item = T>>(&mut self, iter: I) {
        let mut map = self.as_map().clone();
        map.par_extend(iter.into_par_iter().map(|t| (t, ())));
        *self = GenericAvlSet::from_map(map);
    }
}

impl<T: Ord + Clone + Send + Sync> GenericAvlSet<T, ArcKind> {
    /// [`union_set`](Self::union_set), in parallel: the same result.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let a: AvlSet<u32> = (0..10_000).map(|k| k * 2).collect();
    /// let b: AvlSet<u32> = (0..10_000).map(|k| k * 3).collect();
    /// assert_eq!(a.par_union_set(&b), a.union_set(&b));
    /// ```
    #[must_use = "the union is a new set; `self` is unchanged"]
    pub fn par_union_set(&self, other: &Self) -> Self {
        GenericAvlSet::from_map(self.as_map().par_union_map(other.as_map()))
    }

    /// [`intersection_set`](Self::intersection_set), in parallel: the same
    /// result.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let a: AvlSet<u32> = (0..10_000).map(|k| k * 2).collect();
    /// let b: AvlSet<u32> = (0..10_000).map(|k| k * 3).collect();
    /// assert_eq!(a.par_intersection_set(&b).len(), 3_334);
    /// ```
    #[must_use = "the intersection is a new set; `self` is unchanged"]
    pub fn par_intersection_set(&self, other: &Self) -> Self {
        GenericAvlSet::from_map(self.as_map().par_intersection_map(other.as_map()))
    }

    /// [`difference_set`](Self::difference_set), in parallel: the same
    /// result.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let a: AvlSet<u32> = (0..10_000).collect();
    /// let b: AvlSet<u32> = (0..10_000).map(|k| k * 2).collect();
    /// assert_eq!(a.par_difference_set(&b).len(), 5_000);
    /// ```
    #[must_use = "the difference is a new set; `self` is unchanged"]
    pub fn par_difference_set(&self, other: &Self) -> Self {
        GenericAvlSet::from_map(self.as_map().par_difference_map(other.as_map()))
    }

    /// [`symmetric_difference_set`](Self::symmetric_difference_set), in
    /// parallel: the same result.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let a: AvlSet<u32> = (0..10_000).collect();
    /// let b: AvlSet<u32> = (5_000..15_000).collect();
    /// assert_eq!(a.par_symmetric_difference_set(&b).len(), 10_000);
    /// ```
    #[must_use = "the symmetric difference is a new set; `self` is unchanged"]
    pub fn par_symmetric_difference_set(&self, other: &Self) -> Self {
        GenericAvlSet::from_map(self.as_map().par_symmetric_difference_map(other.as_map()))
    }

    /// [`filter`](Self::filter), in parallel: the same result.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let set: AvlSet<u32> = (0..10_000).collect();
    /// assert_eq!(set.par_filter(|k| k % 10 == 0).len(), 1_000);
    /// ```
    #[must_use = "the filtered set is new; `self` is unchanged"]
    pub fn par_filter<F>(&self, keep: F) -> Self
    where
        F: Fn(&T) -> bool + Sync,
    {
        GenericAvlSet::from_map(self.as_map().par_filter(|k, ()| keep(k)))
    }
}
