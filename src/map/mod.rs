//! [`AvlMap`], a persistent ordered map, and its iterators and entries.

mod algebra;
mod compare;
mod diff;
mod entry;
mod extract;
mod iter;
mod traits;

pub(crate) use algebra::union_of;
#[cfg(feature = "rayon")]
pub(crate) use algebra::{combined_with, difference_of, intersection_of, symmetric_difference_of};
pub use compare::{Sharing, SharingAmong};
pub use diff::{Diff, DiffBy, DiffItem};
pub use entry::{Entry, OccupiedEntry, VacantEntry};
pub(crate) use extract::Extract;
pub use extract::ExtractIf;
pub use iter::{
    IntoIter, IntoKeys, IntoValues, Iter, IterMut, Keys, Range, RangeMut, Values, ValuesMut,
};

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::fmt;
use core::ops::{Bound, RangeBounds};

use crate::node::{self, Lent, RawIter, Tree, Unfold, Window};
use crate::ptr::{ArcKind, PointerKind, RcKind};
use crate::view::NodeRef;

/// A persistent ordered map on an AVL tree, generic over the shared
/// pointer its nodes live behind.
///
/// Most code names it through an alias that fixes the pointer kind:
/// [`AvlMap`] (behind `Arc`, the usual choice) or [`AvlMapRc`] (behind `Rc`).
/// The aliases are what let `AvlMap::new()`, `AvlMap::from_iter(..)`,
/// `AvlMap::from([..])` and `AvlMap::default()` infer their type as std's
/// `BTreeMap` ones do. Name `GenericAvlMap` itself for another block size,
/// `GenericAvlMap<K, V, BlockSize<ArcKind, 8>>`, or in code generic over
/// the pointer kind.
///
/// The API is std's `BTreeMap`'s, and every version is persistent: `clone`
/// is O(1) and shares the whole tree, and an update copies only the nodes on
/// the path it changes (path copying).
///
/// # What a persistent map asks that `BTreeMap` does not
///
/// - **`K: Clone` and `V: Clone` for updates.** An update of a version that
///   shares its nodes copies the nodes on its path, entries included. Reads,
///   iteration and `clone` need no `Clone`. For a value that cannot or should
///   not be cloned, store `Arc<V>`: a copy then costs one reference count.
/// - **`Send` needs `Sync` too.** Behind `Arc` the nodes are shared between
///   threads, so `AvlMap<K, V>` is `Send` only when `K` and `V` are both
///   `Send` and `Sync` (as `Arc<T>` is). [`AvlMapRc`] is neither.
/// - **`clone` never clones a key or a value**: it copies one pointer.
/// - **No covariance.** `BTreeMap<&'static str, V>` coerces to
///   `BTreeMap<&'a str, V>`; this map does not, because its nodes sit behind
///   a pointer named through the kind's associated type (`P::Ptr<Node>`),
///   and Rust makes every type behind an associated type invariant. Making
///   it covariant would need one concrete pointer type and `unsafe` to
///   choose between `Arc` and `Rc`, which the crate forbids. Where a
///   shorter lifetime is wanted, name it when the map is made (a
///   `let m: AvlMap<&'a str, V>` annotation), or rebuild the map with
///   `collect`:
///
/// ```compile_fail
/// use persistent_avl::AvlMap;
///
/// fn shorten<'a>(map: AvlMap<&'static str, u8>) -> AvlMap<&'a str, u8> {
///     map // error: the map is invariant in its key type
/// }
/// ```
///
/// ```
/// use persistent_avl::AvlMap;
///
/// fn shorten<'a>(map: &AvlMap<&'static str, u8>) -> AvlMap<&'a str, u8> {
///     map.iter().map(|(&k, &v)| (k, v)).collect() // O(n): a new tree
/// }
/// let short = shorten(&AvlMap::from([("a", 1)]));
/// assert_eq!(short.len(), 1);
/// ```
///
/// `P` chooses the shared pointer: [`ArcKind`] (the default; the map is
/// `Send + Sync` when `K` and `V` are) or [`RcKind`].
///
/// # Layout
///
/// Entries live in the AVL tree's nodes, one per node, and in sorted blocks
/// of up to 32 entries under the nodes at the bottom of the tree (a block
/// counts as an empty subtree for the AVL rule). Blocks make the tree about
/// 19 bytes per `u64 -> u64` entry and its reads fast. Nodes and blocks are
/// each shared on their own, so a persistent update copies the nodes on its
/// path and the one block it changes. A change to a block's length makes a
/// new block of clones of its entries even when no other version holds it
/// (a shared slice cannot give up its entries by value without `unsafe`), so
/// in-place inserts and removes clone up to B entries: for keys or values
/// that are costly to clone, wrap them in `Arc` or choose small blocks. [`BlockSize`](crate::BlockSize) picks another block size, down to
/// 0 for the classic tree of one entry per node: small blocks for
/// history-heavy use, where each version should cost as little as possible.
///
/// # Complexity
///
/// n is the map's length, h its height (at most 1.4405 log2(n + 2)), B the
/// block size.
///
/// | operation | time | allocations |
/// |---|---|---|
/// | `clone`, `len`, `is_empty`, `ptr_eq` | O(1) | 0 |
/// | `get`, `contains_key`, `rank`, `get_index` | O(log n) | 0 |
/// | `insert`, `inserted` | O(log n + B) | unshared: 1 block, or 3 when a block splits; shared: the path's nodes and 1 block (3 on a split) |
/// | `remove`, `removed`, `pop_first` | O(log n + B) | 0 if absent; unshared: at most 1; shared: at most 3 nodes per level and 1 block |
/// | `entry` | O(log n + B) | as `insert` |
/// | `range`, `iter` (to start) | O(log n) | 0 (two stacks of h) |
/// | iteration, per item | O(1) amortised | 0 |
/// | `split_off` | O(log n + B) | O(log n) |
/// | `append` of m <= n entries | O(m log(n/m + 1)) | as time |
/// | `from_iter` | O(n log n), O(n) if sorted | about 2n/(B + 1) |
/// | `retain`, `iter_mut` | O(n) | every node if shared, else 0 (`retain` may rebuild) |
/// | `range_mut` | O(log n) to start, O(1) amortised per entry | the range's shared nodes and blocks and the two paths to its ends |
/// | `extract_if` | O(log n) per removal, O(1) amortised per other visit | as `range_mut` over the entries visited, as `remove` per removal |
///
/// # Examples
///
/// ```
/// use persistent_avl::AvlMap;
///
/// let mut scores = AvlMap::new();
/// scores.insert("ada", 10);
/// scores.insert("bob", 7);
/// let snapshot = scores.clone(); // O(1)
/// scores.insert("ada", 12);
/// *scores.entry("cy").or_insert(0) += 1;
///
/// assert_eq!(snapshot["ada"], 10);
/// assert_eq!(scores["ada"], 12);
/// assert_eq!(scores.iter().collect::<Vec<_>>(), [(&"ada", &12), (&"bob", &7), (&"cy", &1)]);
/// ```
pub struct GenericAvlMap<K, V, P: PointerKind = ArcKind> {
    root: Tree<K, V, P>,
}

/// The persistent ordered map behind `Arc`: versions are `Send + Sync` when
/// `K` and `V` are. Its methods are documented on [`GenericAvlMap`].
///
/// ```
/// use persistent_avl::AvlMap;
///
/// let mut map = AvlMap::new();
/// map.insert(1, "one");
/// let copies = AvlMap::from_iter([(2, "two"), (3, "three")]);
/// assert_eq!(map.union_map(&copies).len(), 3);
/// ```
pub type AvlMap<K, V> = GenericAvlMap<K, V, ArcKind>;

/// The persistent ordered map behind `Rc`: single-threaded, with cheaper
/// reference counts. Its methods are documented on [`GenericAvlMap`].
///
/// ```
/// use persistent_avl::AvlMapRc;
///
/// let mut map = AvlMapRc::new();
/// map.insert(1, "one");
/// assert_eq!(map.get(&1), Some(&"one"));
/// assert_eq!(AvlMapRc::from([(1, "one")]), map);
/// ```
pub type AvlMapRc<K, V> = GenericAvlMap<K, V, RcKind>;

/// The error of [`AvlMap::from_sorted_iter`](crate::GenericAvlMap::from_sorted_iter): the entries were not in
/// strictly ascending key order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UnsortedError {
    index: usize,
}

impl UnsortedError {
    /// The position of the first entry whose key is not above the previous
    /// one's. O(1).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let err = AvlMap::<i32, ()>::from_sorted_iter([(1, ()), (3, ()), (2, ())]).unwrap_err();
    /// assert_eq!(err.index(), 2);
    /// ```
    pub fn index(&self) -> usize {
        self.index
    }
}

impl fmt::Display for UnsortedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "entry {} is not above the previous one in key order",
            self.index
        )
    }
}

impl core::error::Error for UnsortedError {}

impl<K, V, P: PointerKind> GenericAvlMap<K, V, P> {
    /// Makes an empty map. O(1); allocates nothing.
    ///
    /// ```
    /// use persistent_avl::{AvlMap, AvlMapRc};
    ///
    /// let mut map = AvlMap::new();
    /// map.insert(1, "a");
    /// assert_eq!(map.len(), 1);
    /// let single_threaded: AvlMapRc<u8, u8> = AvlMapRc::new();
    /// assert!(single_threaded.is_empty());
    /// ```
    pub const fn new() -> Self {
        Self::empty()
    }

    /// Makes an empty map, as [`new`](Self::new). O(1); allocates nothing.
    ///
    /// ```
    /// use persistent_avl::AvlMapRc;
    ///
    /// let map: AvlMapRc<u8, u8> = AvlMapRc::empty();
    /// assert!(map.is_empty());
    /// ```
    pub const fn empty() -> Self {
        GenericAvlMap { root: None }
    }

    pub(crate) fn from_tree(root: Tree<K, V, P>) -> Self {
        GenericAvlMap { root }
    }

    pub(crate) fn root(&self) -> &Tree<K, V, P> {
        &self.root
    }

    pub(crate) fn root_mut(&mut self) -> &mut Tree<K, V, P> {
        &mut self.root
    }

    /// The number of entries. O(1).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(1, 'a'), (2, 'b')]);
    /// assert_eq!(map.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        node::size(&self.root)
    }

    /// Whether the map has no entries. O(1).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::new();
    /// assert!(map.is_empty());
    /// map.insert(1, 'a');
    /// assert!(!map.is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.root.is_none()
    }

    /// The height of the tree: 0 when empty, and never more than
    /// 1.4405 log2(n + 2) - 0.3277. O(1).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// // Sorted inserts would make a plain search tree a list of height 1000.
    /// let mut map = AvlMap::new();
    /// for k in 0..1000 {
    ///     map.insert(k, ());
    /// }
    /// assert!(map.height() <= 14);
    /// ```
    pub fn height(&self) -> usize {
        node::height(&self.root)
    }

    /// Whether the two versions share their root node, so are equal without
    /// looking further. O(1).
    ///
    /// Two versions made from one another by changes that were undone may be
    /// equal without being `ptr_eq`; an update that changes nothing (removing
    /// an absent key) keeps the version `ptr_eq` to its source.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let a = AvlMap::from([(1, 'a')]);
    /// let b = a.clone();
    /// assert!(a.ptr_eq(&b));
    /// assert!(a.ptr_eq(&a.removed(&2)));
    /// assert!(!a.ptr_eq(&a.inserted(2, 'b')));
    /// ```
    pub fn ptr_eq(&self, other: &Self) -> bool {
        match (&self.root, &other.root) {
            (Some(a), Some(b)) => node::Link::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }

    /// A view of the root node, to look at the tree's shape and at what
    /// versions share (see [`NodeRef`]). O(1).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(1, ()), (2, ()), (3, ())]);
    /// assert_eq!(map.root_node().map(|n| *n.key()), Some(2));
    /// ```
    pub fn root_node(&self) -> Option<NodeRef<'_, K, V, P>> {
        self.root.as_ref().map(NodeRef::new)
    }

    /// Removes every entry. O(1), plus dropping the nodes no other version
    /// shares.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::from([(1, 'a')]);
    /// let old = map.clone();
    /// map.clear();
    /// assert!(map.is_empty());
    /// assert_eq!(old.len(), 1);
    /// ```
    pub fn clear(&mut self) {
        self.root = None;
    }

    /// An iterator over the entries, in key order. O(log n) to start, O(1)
    /// amortised per entry; double-ended and exact-size.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(3, 'c'), (1, 'a'), (2, 'b')]);
    /// let mut iter = map.iter();
    /// assert_eq!(iter.next(), Some((&1, &'a')));
    /// assert_eq!(iter.next_back(), Some((&3, &'c')));
    /// assert_eq!(iter.len(), 1);
    /// ```
    pub fn iter(&self) -> Iter<'_, K, V, P> {
        Iter {
            inner: RawIter::new(&self.root),
        }
    }

    /// An iterator over the keys, in order. O(log n) to start.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(2, 'b'), (1, 'a')]);
    /// assert_eq!(map.keys().collect::<Vec<_>>(), [&1, &2]);
    /// ```
    pub fn keys(&self) -> Keys<'_, K, V, P> {
        Keys {
            inner: RawIter::new(&self.root),
        }
    }

    /// An iterator over the values, in key order. O(log n) to start.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(2, 'b'), (1, 'a')]);
    /// assert_eq!(map.values().collect::<Vec<_>>(), [&'a', &'b']);
    /// ```
    pub fn values(&self) -> Values<'_, K, V, P> {
        Values {
            inner: RawIter::new(&self.root),
        }
    }

    /// The entry with the smallest key. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(2, 'b'), (1, 'a')]);
    /// assert_eq!(map.first_key_value(), Some((&1, &'a')));
    /// ```
    pub fn first_key_value(&self) -> Option<(&K, &V)> {
        self.get_index(0)
    }

    /// The entry with the largest key. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(2, 'b'), (1, 'a')]);
    /// assert_eq!(map.last_key_value(), Some((&2, &'b')));
    /// ```
    pub fn last_key_value(&self) -> Option<(&K, &V)> {
        self.get_index(self.len().checked_sub(1)?)
    }

    /// The entry at position `index` in key order (0 is the smallest), or
    /// `None` when `index >= len`. O(log n), from the subtree sizes.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(10, 'a'), (20, 'b'), (30, 'c')]);
    /// assert_eq!(map.get_index(1), Some((&20, &'b')));
    /// assert_eq!(map.get_index(3), None);
    /// ```
    pub fn get_index(&self, index: usize) -> Option<(&K, &V)> {
        node::nth(&self.root, index).map(|(k, v)| (k, v))
    }
}

impl<K: Ord, V, P: PointerKind> GenericAvlMap<K, V, P> {
    /// The value for `key`. O(log n); allocates nothing.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(String::from("a"), 1)]);
    /// assert_eq!(map.get("a"), Some(&1));
    /// assert_eq!(map.get("b"), None);
    /// ```
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        node::find(&self.root, key).map(|(_, v)| v)
    }

    /// The stored key and value for `key`. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(1, 'a')]);
    /// assert_eq!(map.get_key_value(&1), Some((&1, &'a')));
    /// ```
    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        node::find(&self.root, key).map(|(k, v)| (k, v))
    }

    /// Whether the map holds `key`. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(1, 'a')]);
    /// assert!(map.contains_key(&1));
    /// assert!(!map.contains_key(&2));
    /// ```
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        node::find(&self.root, key).is_some()
    }

    /// The number of keys below `key`: its position if present, where it
    /// would go if not. O(log n), from the subtree sizes.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(10, ()), (20, ()), (30, ())]);
    /// assert_eq!(map.rank(&20), 1);
    /// assert_eq!(map.rank(&25), 2);
    /// ```
    pub fn rank<Q>(&self, key: &Q) -> usize
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        node::search(&self.root, key).unwrap_or_else(|at| at)
    }

    /// The position of `key` in key order, if present: the inverse of
    /// [`get_index`](Self::get_index). O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(10, ()), (20, ()), (30, ())]);
    /// assert_eq!(map.get_index_of(&30), Some(2));
    /// assert_eq!(map.get_index_of(&25), None);
    /// ```
    pub fn get_index_of<Q>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        node::search(&self.root, key).ok()
    }

    /// An iterator over the entries whose keys are in `range`, in order.
    /// Lazy: O(log n) to start, O(1) amortised per entry; double-ended and
    /// exact-size (the count comes from the subtree sizes).
    ///
    /// # Panics
    ///
    /// As std's `BTreeMap::range`: on a non-empty map, if the start is above
    /// the end, or if they are equal and both excluded. An empty map checks
    /// no bounds and returns an empty range, as a new or cleared std one does
    /// (std's answer on one emptied by removals depends on how it got
    /// empty; this one never panics when empty).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map: AvlMap<i32, char> = (1..=5).zip('a'..).collect();
    /// let mid = map.range(2..4);
    /// assert_eq!(mid.len(), 2);
    /// assert_eq!(mid.collect::<Vec<_>>(), [(&2, &'b'), (&3, &'c')]);
    ///
    /// assert_eq!(AvlMap::<i32, char>::new().range(5..2).count(), 0); // std checks no bounds either
    /// ```
    pub fn range<Q, R>(&self, range: R) -> Range<'_, K, V, P>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
        R: RangeBounds<Q>,
    {
        Range {
            inner: self.raw_range(range.start_bound(), range.end_bound(), "AvlMap"),
        }
    }

    /// The walk behind `range` on the map and the set; `owner` names the
    /// collection in the panic message, as std's messages name `BTreeMap` or
    /// `BTreeSet`.
    pub(crate) fn raw_range<Q>(
        &self,
        start: Bound<&Q>,
        end: Bound<&Q>,
        owner: &str,
    ) -> RawIter<'_, K, V, P>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        // Like std, check the bounds only where there is a tree to search.
        if self.root.is_none() {
            return RawIter::empty();
        }
        check_range(start, end, owner);
        RawIter::range(&self.root, start, end)
    }

    /// The positions the bounds cover: `start..end`, with `end >= start`,
    /// after the checks of [`range`](Self::range) (made only when the map
    /// is not empty, as there). O(log n).
    pub(crate) fn positions_in<Q>(
        &self,
        start: Bound<&Q>,
        end: Bound<&Q>,
        owner: &str,
    ) -> (usize, usize)
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        if self.root.is_none() {
            return (0, 0);
        }
        check_range(start, end, owner);
        self.positions_unchecked(start, end)
    }

    /// The positions the bounds cover, with no checks: bounds that cross,
    /// or are equal and both excluded, cover nothing (std's `extract_if`
    /// takes any bounds). O(log n).
    pub(crate) fn positions_unchecked<Q>(&self, start: Bound<&Q>, end: Bound<&Q>) -> (usize, usize)
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        // The number of keys below `key`, or at most `key` when `with` it.
        let count = |key: &Q, with: bool| match node::search(&self.root, key) {
            Ok(at) => at + usize::from(with),
            Err(at) => at,
        };
        let first = match start {
            Bound::Included(key) => count(key, false),
            Bound::Excluded(key) => count(key, true),
            Bound::Unbounded => 0,
        };
        let last = match end {
            Bound::Included(key) => count(key, true),
            Bound::Excluded(key) => count(key, false),
            Bound::Unbounded => self.len(),
        };
        (first, last.max(first))
    }

    /// Checks the tree's invariants: keys in order (I1), stored heights (I2),
    /// balance (I3) and stored sizes (I4). O(n). For tests.
    #[doc(hidden)]
    pub fn check_invariants(&self) -> Result<(), crate::InvariantViolation> {
        node::check(&self.root)
    }
}

/// Panics, with std's messages naming `owner`, on bounds that std's `range`
/// rejects.
fn check_range<Q: Ord + ?Sized>(start: Bound<&Q>, end: Bound<&Q>, owner: &str) {
    match (start, end) {
        (Bound::Excluded(s), Bound::Excluded(e)) if s == e => {
            panic!("range start and end are equal and excluded in {owner}")
        }
        (Bound::Included(s) | Bound::Excluded(s), Bound::Included(e) | Bound::Excluded(e))
            if s > e =>
        {
            panic!("range start is greater than range end in {owner}")
        }
        _ => {}
    }
}

impl<K: Ord + Clone, V: Clone, P: PointerKind> GenericAvlMap<K, V, P> {
    /// Builds a map from entries already in strictly ascending key order, in
    /// O(n), checking the order as it goes.
    ///
    /// # Errors
    ///
    /// [`UnsortedError`] with the position of the first entry whose key is
    /// not above its predecessor's.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::<_, _>::from_sorted_iter((0..1000).map(|k| (k, k * k))).unwrap();
    /// assert_eq!(map.get(&12), Some(&144));
    /// assert!(AvlMap::<i32, i32>::from_sorted_iter([(1, 0), (1, 0)]).is_err());
    /// ```
    pub fn from_sorted_iter<I>(iter: I) -> Result<Self, UnsortedError>
    where
        I: IntoIterator<Item = (K, V)>,
    {
        let iter = iter.into_iter();
        let mut entries: Vec<(K, V)> = Vec::with_capacity(iter.size_hint().0);
        for (index, (key, value)) in iter.enumerate() {
            if let Some((last, _)) = entries.last()
                && *last >= key
            {
                return Err(UnsortedError { index });
            }
            entries.push((key, value));
        }
        Ok(Self::from_tree(node::build_sorted(entries)))
    }

    /// A mutable reference to the value for `key`, copying the shared nodes
    /// on its path. O(log n), in one walk down the tree. Allocates nothing
    /// when `key` is absent or its path is unshared; otherwise a copy of
    /// each node on the path that another version shares, and of the block
    /// holding the entry if it is shared: at most h + 1 allocations.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::from([(1, 10)]);
    /// let old = map.clone();
    /// *map.get_mut(&1).unwrap() += 1;
    /// assert_eq!((map[&1], old[&1]), (11, 10));
    /// ```
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        node::find_mut(&mut self.root, key)
    }

    /// Inserts `value` under `key`, returning the value it replaces. As in
    /// std, an existing key is kept and only the value replaced.
    ///
    /// O(log n + B) for blocks of B entries. When the map is unshared, a
    /// new key allocates one block (the one the entry goes into, made anew
    /// one entry longer; a full block splits instead, into a node over two
    /// halves: 3 allocations), or one node in the classic layout, and a key
    /// already there allocates nothing; when nodes are shared with other
    /// versions, it also copies those on the path. See
    /// [`inserted`](Self::inserted) for the persistent form.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::new();
    /// assert_eq!(map.insert(1, 'a'), None);
    /// assert_eq!(map.insert(1, 'b'), Some('a'));
    /// assert_eq!(map[&1], 'b');
    /// ```
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        node::insert_by_key(&mut self.root, key, value, false).map(|(_, v)| v)
    }

    /// The persistent form of [`insert`](Self::insert): a new version with
    /// `value` under `key`, leaving `self` untouched.
    ///
    /// O(log n); allocates at most h + 1 nodes (the copied path and the new
    /// leaf); everything else is shared with `self`.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let v1 = AvlMap::from([(1, 'a')]);
    /// let v2 = v1.inserted(2, 'b');
    /// assert_eq!(v1.len(), 1);
    /// assert_eq!(v2.len(), 2);
    /// ```
    #[must_use = "`inserted` returns a new version and leaves `self` unchanged"]
    pub fn inserted(&self, key: K, value: V) -> Self {
        let mut next = self.clone();
        next.insert(key, value);
        next
    }

    /// Removes `key`, returning its value. O(log n + B) for blocks of B
    /// entries. Allocates nothing when `key` is absent; when the map is
    /// unshared, at most one block (the one the entry leaves, made anew
    /// without it, or the one a bottom node merges into), and nothing in
    /// the classic layout, but for one case: a version's root is always a
    /// node, so when the root's own entry goes and a block takes its place,
    /// that block becomes a node over a block one entry shorter (2
    /// allocations). When nodes are shared it also copies those on the path
    /// and at most two beside each (those a rebalancing rotation could
    /// move). See [`removed`](Self::removed) for the persistent form.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::from([(1, 'a')]);
    /// assert_eq!(map.remove(&1), Some('a'));
    /// assert_eq!(map.remove(&1), None);
    /// ```
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.remove_entry(key).map(|(_, v)| v)
    }

    /// Removes `key`, returning the stored key and its value. O(log n), as
    /// [`remove`](Self::remove).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::from([(1, 'a')]);
    /// assert_eq!(map.remove_entry(&1), Some((1, 'a')));
    /// ```
    pub fn remove_entry<Q>(&mut self, key: &Q) -> Option<(K, V)>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        node::remove_by_key(&mut self.root, key)
    }

    /// The persistent form of [`remove`](Self::remove): a new version
    /// without `key`, leaving `self` untouched. When `key` is absent the
    /// result is `ptr_eq` to `self` and nothing is allocated.
    ///
    /// O(log n); allocates at most 3h nodes.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let v1 = AvlMap::from([(1, 'a'), (2, 'b')]);
    /// let v2 = v1.removed(&1);
    /// assert_eq!(v1.len(), 2);
    /// assert_eq!(v2.len(), 1);
    /// assert!(v1.removed(&9).ptr_eq(&v1));
    /// ```
    #[must_use = "`removed` returns a new version and leaves `self` unchanged"]
    pub fn removed<Q>(&self, key: &Q) -> Self
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let mut next = self.clone();
        next.remove(key);
        next
    }

    /// The entry for `key`, to read, insert, update or remove in place with
    /// one key search. O(log n) for the search; what follows walks the same
    /// path again by position, without comparing keys.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut counts = AvlMap::new();
    /// for word in ["a", "b", "a"] {
    ///     *counts.entry(word).or_insert(0) += 1;
    /// }
    /// assert_eq!(counts["a"], 2);
    /// ```
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V, P> {
        match node::search(&self.root, &key) {
            Ok(index) => Entry::Occupied(OccupiedEntry { map: self, index }),
            Err(index) => Entry::Vacant(VacantEntry {
                map: self,
                key,
                index,
            }),
        }
    }

    /// Removes and returns the entry with the smallest key. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::from([(1, 'a'), (2, 'b')]);
    /// assert_eq!(map.pop_first(), Some((1, 'a')));
    /// assert_eq!(map.len(), 1);
    /// ```
    pub fn pop_first(&mut self) -> Option<(K, V)> {
        node::remove_at(&mut self.root, 0)
    }

    /// Removes and returns the entry with the largest key. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::from([(1, 'a'), (2, 'b')]);
    /// assert_eq!(map.pop_last(), Some((2, 'b')));
    /// ```
    pub fn pop_last(&mut self) -> Option<(K, V)> {
        let last = self.len().checked_sub(1)?;
        node::remove_at(&mut self.root, last)
    }

    /// The entry of the smallest key, to read, change or remove in place;
    /// `None` if the map is empty. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::from([(1, 'a'), (2, 'b')]);
    /// if let Some(mut first) = map.first_entry() {
    ///     *first.get_mut() = 'z';
    /// }
    /// assert_eq!(map.last_entry().map(|e| e.remove_entry()), Some((2, 'b')));
    /// assert_eq!(map, AvlMap::from([(1, 'z')]));
    /// ```
    pub fn first_entry(&mut self) -> Option<OccupiedEntry<'_, K, V, P>> {
        (!self.is_empty()).then_some(OccupiedEntry {
            map: self,
            index: 0,
        })
    }

    /// The entry of the largest key, as [`first_entry`](Self::first_entry).
    /// O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::from([(1, 'a'), (2, 'b')]);
    /// assert_eq!(map.last_entry().map(|e| *e.key()), Some(2));
    /// assert!(AvlMap::<u8, u8>::new().last_entry().is_none());
    /// ```
    pub fn last_entry(&mut self) -> Option<OccupiedEntry<'_, K, V, P>> {
        let index = self.len().checked_sub(1)?;
        Some(OccupiedEntry { map: self, index })
    }

    /// An iterator over the entries whose keys are in `range`, with
    /// mutable values. Copies the nodes it reaches that other versions
    /// share, and no others: a short range of a shared map copies its own
    /// entries' nodes and blocks and the two paths to its ends. O(log n) to
    /// start, O(1) amortised per entry; double-ended and exact-size.
    ///
    /// # Panics
    ///
    /// On the bounds [`range`](Self::range) panics on.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map: AvlMap<i32, i32> = (1..=5).map(|k| (k, 0)).collect();
    /// let old = map.clone();
    /// for (_, v) in map.range_mut(2..4) {
    ///     *v += 1;
    /// }
    /// assert_eq!(map.values().collect::<Vec<_>>(), [&0, &1, &1, &0, &0]);
    /// assert!(old.values().all(|&v| v == 0));
    /// ```
    pub fn range_mut<Q, R>(&mut self, range: R) -> RangeMut<'_, K, V, P>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
        R: RangeBounds<Q>,
    {
        let (start, end) = self.positions_in(range.start_bound(), range.end_bound(), "AvlMap");
        RangeMut {
            inner: Unfold::new(Window::root(&mut self.root, start, end), end - start),
        }
    }

    /// An iterator that removes and yields, in key order, the entries in
    /// `range` for which `pick` returns `true`; `pick` may also change the
    /// values of the entries it keeps.
    ///
    /// Lazy, as std's: an entry is visited only when the iterator is
    /// advanced, and the entries not yet visited when it is dropped stay in
    /// the map. Each entry removed costs O(log n) and each other visit O(1)
    /// amortised (std's: O(1) amortised each): the visits walk the range in
    /// order as [`range_mut`](Self::range_mut) does, copying the nodes and
    /// blocks they enter where other versions share them, and each removal
    /// starts the walk again after the entry removed. If `pick` or `Clone`
    /// panics, the map holds every entry not yet yielded. For a new version
    /// without the entries, use [`filter`](Self::filter), which leaves
    /// `self` untouched.
    ///
    /// # Panics
    ///
    /// On the bounds [`range`](Self::range) panics on.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map: AvlMap<i32, i32> = (0..8).map(|k| (k, k * 10)).collect();
    /// let old = map.clone();
    /// let evens: AvlMap<i32, i32> = map.extract_if(2..6, |k, _| k % 2 == 0).collect();
    /// assert_eq!(evens, AvlMap::from([(2, 20), (4, 40)]));
    /// assert_eq!(map.keys().copied().collect::<Vec<_>>(), [0, 1, 3, 5, 6, 7]);
    /// assert_eq!(old.len(), 8);
    ///
    /// // Dropped after one item: the rest of the range stays.
    /// let first = map.extract_if(.., |_, _| true).next();
    /// assert_eq!(first, Some((0, 0)));
    /// assert_eq!(map.len(), 5);
    /// ```
    pub fn extract_if<F, R>(&mut self, range: R, pick: F) -> ExtractIf<'_, K, V, R, F, P>
    where
        R: RangeBounds<K>,
        F: FnMut(&K, &mut V) -> bool,
    {
        let (start, end) = self.positions_unchecked(range.start_bound(), range.end_bound());
        ExtractIf {
            walk: Extract::new(self, start, end),
            pick,
            range: core::marker::PhantomData,
        }
    }

    /// Keeps only the entries for which `keep` returns `true`, visiting each
    /// in key order once.
    ///
    /// O(n): copies the nodes other versions share, then removes the rest
    /// one by one when they are few (on a second reference to the tree,
    /// installed when done), or rebuilds the tree from clones of the kept
    /// entries when they are many. If `keep` or `Clone` panics, the map
    /// holds every entry it held, with the changes `keep` made to values so
    /// far.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map: AvlMap<i32, i32> = (0..8).map(|k| (k, k)).collect();
    /// map.retain(|&k, _| k % 2 == 0);
    /// assert_eq!(map.keys().collect::<Vec<_>>(), [&0, &2, &4, &6]);
    /// ```
    pub fn retain<F>(&mut self, mut keep: F)
    where
        F: FnMut(&K, &mut V) -> bool,
    {
        let dropped: Vec<usize> = self
            .iter_mut()
            .enumerate()
            .filter_map(|(i, (k, v))| (!keep(k, v)).then_some(i))
            .collect();
        if dropped.is_empty() {
            return;
        }
        let len = self.len();
        // Each removal costs about log2(n) steps; a rebuild costs n.
        if dropped.len() * (len.ilog2() as usize + 1) <= len {
            // On a second reference to the root, installed when done: each
            // removal makes a new block of clones, and if a `Clone` panics
            // the map must still hold every entry.
            let mut root = self.root.clone();
            for &index in dropped.iter().rev() {
                node::remove_at(&mut root, index);
            }
            self.root = root;
            return;
        }
        // Clones of the kept entries (blocks give up no entry by value), so
        // the map stays whole until the new tree is ready.
        let mut dropped = dropped.into_iter().peekable();
        let kept: Vec<(K, V)> = self
            .iter()
            .enumerate()
            .filter_map(|(i, (key, value))| {
                if dropped.peek() == Some(&i) {
                    dropped.next();
                    None
                } else {
                    Some((key.clone(), value.clone()))
                }
            })
            .collect();
        self.root = node::build_sorted(kept);
    }

    /// Moves every entry of `other` into `self`, leaving `other` empty. Where
    /// both hold a key, `self`'s key stays and `other`'s value replaces its
    /// value, as in std (and as `insert` does).
    ///
    /// O(m log(n/m + 1)) for sizes m <= n, by join-based union. If `Ord` or
    /// `Clone` panics, both maps are left as they were.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut a = AvlMap::from([(1, 'a'), (2, 'b')]);
    /// let mut b = AvlMap::from([(2, 'B'), (3, 'C')]);
    /// a.append(&mut b);
    /// assert_eq!(a.iter().collect::<Vec<_>>(), [(&1, &'a'), (&2, &'B'), (&3, &'C')]);
    /// assert!(b.is_empty());
    /// ```
    pub fn append(&mut self, other: &mut Self) {
        // Clones of the roots: the union copies what it changes, and `self`
        // and `other` stay whole until it has finished.
        self.root = node::merge(
            self.root.clone(),
            other.root.clone(),
            &union_of(),
            node::Seq,
        );
        other.root = None;
    }

    /// Splits the map at `key`: `self` keeps the keys below it, and the
    /// returned map holds `key` and everything above. O(log n); allocates
    /// O(log n) nodes.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut low: AvlMap<i32, ()> = (0..10).map(|k| (k, ())).collect();
    /// let high = low.split_off(&6);
    /// assert_eq!(low.len(), 6);
    /// assert_eq!(high.keys().next(), Some(&6));
    /// ```
    #[must_use = "the entries from `key` on are moved into the returned map"]
    pub fn split_off<Q>(&mut self, key: &Q) -> Self
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let index = self.rank(key);
        let (low, high) = node::split_at(self.root.clone(), index);
        self.root = low;
        Self::from_tree(high)
    }
}

/// The methods that lend or move entries out, which need no `Ord`.
impl<K: Clone, V: Clone, P: PointerKind> GenericAvlMap<K, V, P> {
    /// An iterator over the entries in key order with mutable values.
    /// Copies the nodes it reaches that other versions share. O(1) to start,
    /// O(1) amortised per entry; double-ended and exact-size.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::from([(1, 10), (2, 20)]);
    /// let old = map.clone();
    /// for (_, v) in map.iter_mut() {
    ///     *v += 1;
    /// }
    /// assert_eq!(map.values().collect::<Vec<_>>(), [&11, &21]);
    /// assert_eq!(old.values().collect::<Vec<_>>(), [&10, &20]);
    /// ```
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V, P> {
        let len = self.len();
        IterMut {
            inner: Unfold::new(Lent::root(&mut self.root), len),
        }
    }

    /// An iterator over mutable values in key order, as
    /// [`iter_mut`](Self::iter_mut).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::from([(1, String::from("a"))]);
    /// for v in map.values_mut() {
    ///     v.push('!');
    /// }
    /// assert_eq!(map[&1], "a!");
    /// ```
    pub fn values_mut(&mut self) -> ValuesMut<'_, K, V, P> {
        ValuesMut {
            inner: self.iter_mut().inner,
        }
    }

    /// Consumes the map into its keys, in order. Keys are moved out of the
    /// nodes this version owns alone and cloned from shared ones. O(n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(2, 'b'), (1, 'a')]);
    /// assert_eq!(map.into_keys().collect::<Vec<_>>(), [1, 2]);
    /// ```
    pub fn into_keys(self) -> IntoKeys<K, V, P> {
        IntoKeys {
            inner: self.into_iter().inner,
        }
    }

    /// Consumes the map into its values, in key order, as
    /// [`into_keys`](Self::into_keys). O(n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let map = AvlMap::from([(2, 'b'), (1, 'a')]);
    /// assert_eq!(map.into_values().collect::<Vec<_>>(), ['a', 'b']);
    /// ```
    pub fn into_values(self) -> IntoValues<K, V, P> {
        IntoValues {
            inner: self.into_iter().inner,
        }
    }
}
