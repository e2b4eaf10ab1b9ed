//! [`AvlSet`], a persistent ordered set, and its iterators.
//!
//! The set is a map to `()`, as std's and rpds's are: every algorithm is the
//! map's.

mod algebra;
mod diff;
mod iter;

pub use diff::{Diff, DiffItem};
pub use iter::{
    Difference, ExtractIf, Intersection, IntoIter, Iter, Range, SymmetricDifference, Union,
};

use core::borrow::Borrow;
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::RangeBounds;

use crate::map::{GenericAvlMap, Sharing, SharingAmong, UnsortedError};
use crate::ptr::{ArcKind, PointerKind, RcKind};
use crate::view::NodeRef;

/// A persistent ordered set on an AVL tree, generic over the shared pointer
/// its nodes live behind.
///
/// Most code names it through [`AvlSet`] (behind `Arc`) or [`AvlSetRc`]
/// (behind `Rc`), which fix the pointer kind so that `AvlSet::new()`,
/// `AvlSet::from_iter(..)` and `AvlSet::from([..])` infer their type; name
/// `GenericAvlSet` for another block size or in code generic over the kind.
///
/// The API is std's `BTreeSet`'s; like [`GenericAvlMap`], `clone` is O(1)
/// and an update copies only the path it changes, so old versions stay
/// valid. What a persistent set asks that std's does not is the map's: see
/// [`GenericAvlMap`]'s section on it (`T: Clone` for updates, `Send` needing
/// `Sync`, no covariance).
///
/// # Complexity
///
/// As [`GenericAvlMap`]'s for the same operations; the lazy set algebra
/// (`union`, `intersection`, `difference`, `symmetric_difference`) is
/// O(n + m) to consume, and `intersection` and `difference` probe the larger
/// set in O(m log n) instead when the other is 16 times smaller.
///
/// # Examples
///
/// ```
/// use persistent_avl::AvlSet;
///
/// let v1 = AvlSet::from([3, 1, 2]);
/// let v2 = v1.inserted(4);
/// assert_eq!(v1.iter().collect::<Vec<_>>(), [&1, &2, &3]);
/// assert_eq!(v2.difference(&v1).collect::<Vec<_>>(), [&4]);
/// ```
pub struct GenericAvlSet<T, P: PointerKind = ArcKind> {
    map: GenericAvlMap<T, (), P>,
}

/// The persistent ordered set behind `Arc`: versions are `Send + Sync` when
/// `T` is. Its methods are documented on [`GenericAvlSet`].
///
/// ```
/// use persistent_avl::AvlSet;
///
/// let evens = AvlSet::from_iter((0..10).filter(|n| n % 2 == 0));
/// let small = AvlSet::from([0, 1, 2, 3]);
/// assert_eq!(&evens & &small, AvlSet::from([0, 2]));
/// ```
pub type AvlSet<T> = GenericAvlSet<T, ArcKind>;

/// The persistent ordered set behind `Rc`: single-threaded, with cheaper
/// reference counts. Its methods are documented on [`GenericAvlSet`].
///
/// ```
/// use persistent_avl::AvlSetRc;
///
/// let mut set = AvlSetRc::new();
/// set.insert('x');
/// assert!(set.contains(&'x'));
/// assert_eq!(AvlSetRc::from(['x']), set);
/// ```
pub type AvlSetRc<T> = GenericAvlSet<T, RcKind>;

impl<T, P: PointerKind> GenericAvlSet<T, P> {
    /// Makes an empty set. O(1); allocates nothing.
    ///
    /// ```
    /// use persistent_avl::{AvlSet, AvlSetRc};
    ///
    /// let mut set = AvlSet::new();
    /// set.insert(1);
    /// assert_eq!(set.len(), 1);
    /// let single_threaded: AvlSetRc<u8> = AvlSetRc::new();
    /// assert!(single_threaded.is_empty());
    /// ```
    pub const fn new() -> Self {
        Self::empty()
    }

    /// Makes an empty set, as [`new`](Self::new). O(1).
    ///
    /// ```
    /// use persistent_avl::AvlSetRc;
    ///
    /// let set: AvlSetRc<u8> = AvlSetRc::empty();
    /// assert!(set.is_empty());
    /// ```
    pub const fn empty() -> Self {
        GenericAvlSet {
            map: GenericAvlMap::empty(),
        }
    }

    pub(crate) fn from_map(map: GenericAvlMap<T, (), P>) -> Self {
        GenericAvlSet { map }
    }

    #[cfg_attr(not(feature = "rayon"), allow(dead_code))]
    pub(crate) fn into_map(self) -> GenericAvlMap<T, (), P> {
        self.map
    }

    #[cfg_attr(not(feature = "rayon"), allow(dead_code))]
    pub(crate) fn as_map(&self) -> &GenericAvlMap<T, (), P> {
        &self.map
    }

    /// The number of elements. O(1).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// assert_eq!(AvlSet::from([1, 2, 2]).len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the set has no elements. O(1).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// assert!(AvlSet::<i32>::new().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The height of the tree; see [`AvlMap::height`](crate::GenericAvlMap::height). O(1).
    ///
    /// ```
    /// use persistent_avl::{ArcKind, AvlSet, Classic, GenericAvlSet};
    ///
    /// let classic: GenericAvlSet<u32, Classic<ArcKind>> = (0..1000).collect();
    /// assert_eq!(classic.height(), 10); // one element per node
    /// let set: AvlSet<u32> = (0..1000).collect();
    /// assert!(set.height() < 10); // nodes over blocks of elements
    /// ```
    pub fn height(&self) -> usize {
        self.map.height()
    }

    /// Whether the two versions share their root node; see
    /// [`AvlMap::ptr_eq`](crate::GenericAvlMap::ptr_eq). O(1).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let a = AvlSet::from([1]);
    /// assert!(a.ptr_eq(&a.clone()));
    /// ```
    pub fn ptr_eq(&self, other: &Self) -> bool {
        self.map.ptr_eq(&other.map)
    }

    /// Whether the two sets hold the same elements: `self == other`, for
    /// `Eq` elements, but skipping every subtree the two versions share; see
    /// [`AvlMap::same_contents`](crate::GenericAvlMap::same_contents). O(d log n) for versions that differ in d
    /// elements, O(n) for versions that share nothing.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let base: AvlSet<u32> = (0..100_000).collect();
    /// let edited = base.removed(&7).inserted(7);
    /// assert!(edited.same_contents(&base));
    /// assert!(!edited.removed(&8).same_contents(&base));
    /// ```
    pub fn same_contents(&self, other: &Self) -> bool
    where
        T: Eq,
    {
        self.map.same_contents(&other.map)
    }

    /// A view of the root node; see [`AvlMap::root_node`](crate::GenericAvlMap::root_node). O(1).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let set = AvlSet::from([1, 2, 3]);
    /// assert_eq!(set.root_node().map(|n| *n.key()), Some(2));
    /// ```
    pub fn root_node(&self) -> Option<NodeRef<'_, T, (), P>> {
        self.map.root_node()
    }

    /// Removes every element. O(1).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let mut set = AvlSet::from([1]);
    /// set.clear();
    /// assert!(set.is_empty());
    /// ```
    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// An iterator over the elements in order. O(log n) to start;
    /// double-ended and exact-size.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let set = AvlSet::from([2, 1]);
    /// assert_eq!(set.iter().collect::<Vec<_>>(), [&1, &2]);
    /// ```
    pub fn iter(&self) -> Iter<'_, T, P> {
        Iter {
            inner: self.map.keys().inner,
        }
    }

    /// The smallest element. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// assert_eq!(AvlSet::from([2, 1]).first(), Some(&1));
    /// ```
    pub fn first(&self) -> Option<&T> {
        self.map.first_key_value().map(|(t, ())| t)
    }

    /// The largest element. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// assert_eq!(AvlSet::from([2, 1]).last(), Some(&2));
    /// ```
    pub fn last(&self) -> Option<&T> {
        self.map.last_key_value().map(|(t, ())| t)
    }

    /// The element at position `index` in order. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// assert_eq!(AvlSet::from([30, 10, 20]).get_index(1), Some(&20));
    /// ```
    pub fn get_index(&self, index: usize) -> Option<&T> {
        self.map.get_index(index).map(|(t, ())| t)
    }
}

impl<T: Ord, P: PointerKind> GenericAvlSet<T, P> {
    /// Whether the set holds `value`. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let set = AvlSet::from([1]);
    /// assert!(set.contains(&1) && !set.contains(&2));
    /// ```
    pub fn contains<Q>(&self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.contains_key(value)
    }

    /// The stored element equal to `value`. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let set = AvlSet::from([String::from("a")]);
    /// assert_eq!(set.get("a").map(String::as_str), Some("a"));
    /// ```
    pub fn get<Q>(&self, value: &Q) -> Option<&T>
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.get_key_value(value).map(|(t, ())| t)
    }

    /// The number of elements below `value`. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// assert_eq!(AvlSet::from([10, 20, 30]).rank(&25), 2);
    /// ```
    pub fn rank<Q>(&self, value: &Q) -> usize
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.rank(value)
    }

    /// The position of `value` in order, if present. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// assert_eq!(AvlSet::from([10, 20, 30]).get_index_of(&30), Some(2));
    /// ```
    pub fn get_index_of<Q>(&self, value: &Q) -> Option<usize>
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.get_index_of(value)
    }

    /// An iterator over the elements in `range`, in order. Lazy, O(log n)
    /// to start; double-ended and exact-size.
    ///
    /// # Panics
    ///
    /// As std's `BTreeSet::range`: on a non-empty set, if the start is above
    /// the end, or if they are equal and both excluded. An empty set checks
    /// no bounds and returns an empty range, as a new or cleared std one does
    /// (std's answer on one emptied by removals depends on how it got
    /// empty; this one never panics when empty).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let set: AvlSet<i32> = (1..10).collect();
    /// assert_eq!(set.range(4..=6).collect::<Vec<_>>(), [&4, &5, &6]);
    ///
    /// assert_eq!(AvlSet::<i32>::new().range(5..2).count(), 0); // std checks no bounds either
    /// ```
    pub fn range<Q, R>(&self, range: R) -> Range<'_, T, P>
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
        R: RangeBounds<Q>,
    {
        Range {
            inner: self
                .map
                .raw_range(range.start_bound(), range.end_bound(), "AvlSet"),
        }
    }

    /// The elements of `self` or `other`, lazily, in order. O(n + m) to
    /// consume.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let (a, b) = (AvlSet::from([1, 2]), AvlSet::from([2, 3]));
    /// assert_eq!(a.union(&b).collect::<Vec<_>>(), [&1, &2, &3]);
    /// ```
    pub fn union<'a>(&'a self, other: &'a Self) -> Union<'a, T, P> {
        Union::new(self, other)
    }

    /// The elements of both `self` and `other`, lazily, in order. O(n + m),
    /// or O(m log n) when one set is much smaller.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let (a, b) = (AvlSet::from([1, 2]), AvlSet::from([2, 3]));
    /// assert_eq!(a.intersection(&b).collect::<Vec<_>>(), [&2]);
    /// ```
    pub fn intersection<'a>(&'a self, other: &'a Self) -> Intersection<'a, T, P> {
        Intersection::new(self, other)
    }

    /// The elements of `self` not in `other`, lazily, in order. O(n + m), or
    /// O(n log m) when `self` is much smaller.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let (a, b) = (AvlSet::from([1, 2]), AvlSet::from([2, 3]));
    /// assert_eq!(a.difference(&b).collect::<Vec<_>>(), [&1]);
    /// ```
    pub fn difference<'a>(&'a self, other: &'a Self) -> Difference<'a, T, P> {
        Difference::new(self, other)
    }

    /// The elements in exactly one of the sets, lazily, in order. O(n + m).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let (a, b) = (AvlSet::from([1, 2]), AvlSet::from([2, 3]));
    /// assert_eq!(a.symmetric_difference(&b).collect::<Vec<_>>(), [&1, &3]);
    /// ```
    pub fn symmetric_difference<'a>(&'a self, other: &'a Self) -> SymmetricDifference<'a, T, P> {
        SymmetricDifference::new(self, other)
    }

    /// Whether every element of `self` is in `other`. O(n + m), or
    /// O(n log m) when `self` is much smaller; for two versions of one set,
    /// O(d log m) when they differ in d elements, as the walk skips the
    /// subtrees both hold (as [`diff`](Self::diff) does).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// assert!(AvlSet::from([1]).is_subset(&AvlSet::from([1, 2])));
    /// ```
    pub fn is_subset(&self, other: &Self) -> bool {
        if self.len() > other.len() {
            return false;
        }
        if self.len().saturating_mul(iter::PROBE_RATIO) < other.len() {
            // Look each element up in the larger set.
            return self.difference(other).next().is_none();
        }
        // Side by side, skipping what both hold: no element only in `self`.
        self.diff(other).all(|d| matches!(d, DiffItem::Added(_)))
    }

    /// Whether every element of `other` is in `self`. As
    /// [`is_subset`](Self::is_subset).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// assert!(AvlSet::from([1, 2]).is_superset(&AvlSet::from([2])));
    /// ```
    pub fn is_superset(&self, other: &Self) -> bool {
        other.is_subset(self)
    }

    /// Whether the sets have no element in common. As
    /// [`intersection`](Self::intersection).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// assert!(AvlSet::from([1]).is_disjoint(&AvlSet::from([2])));
    /// ```
    pub fn is_disjoint(&self, other: &Self) -> bool {
        self.intersection(other).next().is_none()
    }

    /// The differences from `self` (the old version) to `other` (the new),
    /// lazily and in order, skipping every subtree the two share; see
    /// [`AvlMap::diff`](crate::GenericAvlMap::diff). O(d log n) for versions that differ in d elements.
    ///
    /// ```
    /// use persistent_avl::{AvlSet, set::DiffItem};
    ///
    /// let old: AvlSet<u32> = (0..1000).collect();
    /// let new = old.removed(&3).inserted(5000);
    /// let changes: Vec<_> = old.diff(&new).collect();
    /// assert_eq!(changes, [DiffItem::Removed(&3), DiffItem::Added(&5000)]);
    /// ```
    pub fn diff<'a>(&'a self, other: &'a Self) -> Diff<'a, T, P> {
        let same: diff::Same = |(), ()| true;
        Diff::new(self.map.diff_by(&other.map, same))
    }

    /// How many nodes `self` and `other` share and how many each holds
    /// alone; see [`AvlMap::sharing`](crate::GenericAvlMap::sharing). O(d log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let v1: AvlSet<u32> = (0..100).collect();
    /// assert_eq!(v1.sharing(&v1.clone()).shared, 100);
    /// ```
    pub fn sharing(&self, other: &Self) -> Sharing {
        self.map.sharing(&other.map)
    }

    /// Counts the distinct nodes of `versions`, those two or more hold, and
    /// those each holds alone; see [`GenericAvlMap::sharing_among`]. O(d log d).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let v1: AvlSet<u32> = (0..100).collect();
    /// let counts = AvlSet::sharing_among(&[&v1, &v1.clone()]);
    /// assert_eq!((counts.distinct, counts.shared), (100, 100));
    /// ```
    pub fn sharing_among(versions: &[&Self]) -> SharingAmong {
        let maps: alloc::vec::Vec<&GenericAvlMap<T, (), P>> =
            versions.iter().map(|set| &set.map).collect();
        GenericAvlMap::sharing_among(&maps)
    }

    /// Checks the tree's invariants; see `AvlMap::check_invariants`. O(n).
    #[doc(hidden)]
    pub fn check_invariants(&self) -> Result<(), crate::InvariantViolation> {
        self.map.check_invariants()
    }
}

impl<T: Ord + Clone, P: PointerKind> GenericAvlSet<T, P> {
    /// Builds a set from elements already in strictly ascending order, in
    /// O(n); see [`GenericAvlMap::from_sorted_iter`].
    ///
    /// # Errors
    ///
    /// [`UnsortedError`] with the position of the first element out of
    /// order.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let set = AvlSet::<_>::from_sorted_iter(0..100).unwrap();
    /// assert_eq!(set.len(), 100);
    /// ```
    pub fn from_sorted_iter<I: IntoIterator<Item = T>>(iter: I) -> Result<Self, UnsortedError> {
        GenericAvlMap::from_sorted_iter(iter.into_iter().map(|t| (t, ())))
            .map(|map| GenericAvlSet { map })
    }

    /// Adds `value`; returns whether it was new. An equal element already
    /// present is kept, as in std. O(log n); allocates as
    /// [`AvlMap::insert`](crate::GenericAvlMap::insert). See [`inserted`](Self::inserted) for the
    /// persistent form.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let mut set = AvlSet::new();
    /// assert!(set.insert(1));
    /// assert!(!set.insert(1));
    /// ```
    pub fn insert(&mut self, value: T) -> bool {
        self.map.insert(value, ()).is_none()
    }

    /// The persistent form of [`insert`](Self::insert): a new version with
    /// `value`, leaving `self` untouched. O(log n); at most h + 1 nodes.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let v1 = AvlSet::from([1]);
    /// let v2 = v1.inserted(2);
    /// assert_eq!((v1.len(), v2.len()), (1, 2));
    /// ```
    #[must_use = "`inserted` returns a new version and leaves `self` unchanged"]
    pub fn inserted(&self, value: T) -> Self {
        GenericAvlSet {
            map: self.map.inserted(value, ()),
        }
    }

    /// Adds `value`, replacing and returning an equal element already
    /// present. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let mut set = AvlSet::from([1]);
    /// assert_eq!(set.replace(1), Some(1));
    /// assert_eq!(set.replace(2), None);
    /// ```
    pub fn replace(&mut self, value: T) -> Option<T> {
        crate::node::insert_by_key(self.map.root_mut(), value, (), true).map(|(old, ())| old)
    }

    /// Removes `value`; returns whether it was present. O(log n); allocates
    /// as [`AvlMap::remove`](crate::GenericAvlMap::remove). See [`removed`](Self::removed) for the
    /// persistent form.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let mut set = AvlSet::from([1]);
    /// assert!(set.remove(&1));
    /// assert!(!set.remove(&1));
    /// ```
    pub fn remove<Q>(&mut self, value: &Q) -> bool
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.remove(value).is_some()
    }

    /// The persistent form of [`remove`](Self::remove): a new version
    /// without `value`, `ptr_eq` to `self` when it was absent. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let v1 = AvlSet::from([1, 2]);
    /// let v2 = v1.removed(&1);
    /// assert_eq!((v1.len(), v2.len()), (2, 1));
    /// ```
    #[must_use = "`removed` returns a new version and leaves `self` unchanged"]
    pub fn removed<Q>(&self, value: &Q) -> Self
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        GenericAvlSet {
            map: self.map.removed(value),
        }
    }

    /// Removes and returns the stored element equal to `value`. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let mut set = AvlSet::from([1]);
    /// assert_eq!(set.take(&1), Some(1));
    /// ```
    pub fn take<Q>(&mut self, value: &Q) -> Option<T>
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.remove_entry(value).map(|(t, ())| t)
    }

    /// Removes and returns the smallest element. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let mut set = AvlSet::from([1, 2]);
    /// assert_eq!(set.pop_first(), Some(1));
    /// ```
    pub fn pop_first(&mut self) -> Option<T> {
        self.map.pop_first().map(|(t, ())| t)
    }

    /// Removes and returns the largest element. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let mut set = AvlSet::from([1, 2]);
    /// assert_eq!(set.pop_last(), Some(2));
    /// ```
    pub fn pop_last(&mut self) -> Option<T> {
        self.map.pop_last().map(|(t, ())| t)
    }

    /// An iterator that removes and yields, in order, the elements in
    /// `range` for which `pick` returns `true`. Lazy, as std's: elements
    /// not yet visited when it is dropped stay in the set. O(log n) per
    /// element removed, O(1) amortised per other visit; see
    /// [`AvlMap::extract_if`](crate::GenericAvlMap::extract_if). As
    /// std's, it takes any bounds: crossed ones cover no element.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let mut set: AvlSet<i32> = (0..10).collect();
    /// let odd: Vec<i32> = set.extract_if(..5, |x| x % 2 == 1).collect();
    /// assert_eq!(odd, [1, 3]);
    /// assert_eq!(set.len(), 8);
    /// ```
    pub fn extract_if<'a, F, R>(&'a mut self, range: R, pick: F) -> ExtractIf<'a, T, R, F, P>
    where
        R: RangeBounds<T>,
        F: 'a + FnMut(&T) -> bool,
    {
        let (start, end) = self
            .map
            .positions_unchecked(range.start_bound(), range.end_bound());
        ExtractIf {
            walk: crate::map::Extract::new(&mut self.map, start, end),
            pick,
            range: core::marker::PhantomData,
        }
    }

    /// Keeps only the elements for which `keep` returns `true`. O(n); see
    /// [`AvlMap::retain`](crate::GenericAvlMap::retain).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let mut set: AvlSet<i32> = (0..6).collect();
    /// set.retain(|&x| x % 3 == 0);
    /// assert_eq!(set.iter().collect::<Vec<_>>(), [&0, &3]);
    /// ```
    pub fn retain<F: FnMut(&T) -> bool>(&mut self, mut keep: F) {
        self.map.retain(|t, ()| keep(t));
    }

    /// Moves every element of `other` into `self`, leaving `other` empty; of
    /// two equal elements, `self`'s stays, as in std. O(m log(n/m + 1)); see
    /// [`AvlMap::append`](crate::GenericAvlMap::append).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let (mut a, mut b) = (AvlSet::from([1]), AvlSet::from([2]));
    /// a.append(&mut b);
    /// assert_eq!((a.len(), b.len()), (2, 0));
    /// ```
    pub fn append(&mut self, other: &mut Self) {
        self.map.append(&mut other.map);
    }

    /// Splits at `value`: `self` keeps the elements below it, the returned
    /// set holds the rest. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let mut low: AvlSet<i32> = (0..10).collect();
    /// let high = low.split_off(&4);
    /// assert_eq!((low.len(), high.len()), (4, 6));
    /// ```
    #[must_use = "the elements from `value` on are moved into the returned set"]
    pub fn split_off<Q>(&mut self, value: &Q) -> Self
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        GenericAvlSet {
            map: self.map.split_off(value),
        }
    }
}

/// O(1): the new version shares the whole tree.
impl<T, P: PointerKind> Clone for GenericAvlSet<T, P> {
    fn clone(&self) -> Self {
        GenericAvlSet {
            map: self.map.clone(),
        }
    }
}

/// An empty set. O(1).
impl<T, P: PointerKind> Default for GenericAvlSet<T, P> {
    fn default() -> Self {
        Self::empty()
    }
}

/// Formats as `{a, b, ...}` in order. O(n).
impl<T: fmt::Debug, P: PointerKind> fmt::Debug for GenericAvlSet<T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// Equal when the two sets have the same length and their elements, in
/// order, are pairwise equal by `PartialEq`: std's `BTreeSet` rule, so `!=`
/// and [`partial_cmp`](PartialOrd::partial_cmp) agree with it for every
/// element type. O(1) when the lengths differ, O(n) otherwise. For `Eq`
/// elements, [`AvlSet::same_contents`](crate::GenericAvlSet::same_contents) answers the same question skipping
/// the subtrees the two versions share.
impl<T: PartialEq, P: PointerKind> PartialEq for GenericAvlSet<T, P> {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl<T: Eq, P: PointerKind> Eq for GenericAvlSet<T, P> {}

/// Lexicographic over the elements in order, as std; agrees with `==`.
/// O(n).
impl<T: PartialOrd, P: PointerKind> PartialOrd for GenericAvlSet<T, P> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.iter().partial_cmp(other.iter())
    }
}

/// Lexicographic over the elements in order, as std; skips the subtrees
/// the two versions share, as the map's `Ord` does. O(d log n) for versions
/// that differ in d elements, O(n) for versions that share nothing.
impl<T: Ord, P: PointerKind> Ord for GenericAvlSet<T, P> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.map.cmp(&other.map)
    }
}

/// Hashes the length, then every element in order. O(n).
impl<T: Hash, P: PointerKind> Hash for GenericAvlSet<T, P> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.len().hash(state);
        for value in self {
            value.hash(state);
        }
    }
}

/// Sorts and builds a balanced tree in O(n) after the sort; see
/// [`AvlMap`](crate::AvlMap)'s `FromIterator`.
impl<T: Ord, P: PointerKind> FromIterator<T> for GenericAvlSet<T, P> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        GenericAvlSet {
            map: iter.into_iter().map(|t| (t, ())).collect(),
        }
    }
}

/// Inserts every element, as `insert` would one by one (an element already
/// there stays). Many elements are built into a tree and united with the
/// set, as the map's `Extend`.
impl<T: Ord + Clone, P: PointerKind> Extend<T> for GenericAvlSet<T, P> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        self.map.extend(iter.into_iter().map(|value| (value, ())));
    }
}

/// Inserts copies of every element. O(m log(n + m)).
impl<'a, T: Ord + Copy, P: PointerKind> Extend<&'a T> for GenericAvlSet<T, P> {
    fn extend<I: IntoIterator<Item = &'a T>>(&mut self, iter: I) {
        self.extend(iter.into_iter().copied());
    }
}

/// `AvlSet::from([a, b, ...])`. O(N log N). For every pointer kind, as
/// the map's.
impl<T: Ord, P: PointerKind, const N: usize> From<[T; N]> for GenericAvlSet<T, P> {
    fn from(values: [T; N]) -> Self {
        values.into_iter().collect()
    }
}

/// Moves elements out of nodes this version owns alone, cloning shared
/// ones. O(n).
impl<T: Clone, P: PointerKind> IntoIterator for GenericAvlSet<T, P> {
    type Item = T;
    type IntoIter = IntoIter<T, P>;

    fn into_iter(self) -> IntoIter<T, P> {
        IntoIter {
            inner: self.map.into_iter().inner,
        }
    }
}

impl<'a, T, P: PointerKind> IntoIterator for &'a GenericAvlSet<T, P> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T, P>;

    fn into_iter(self) -> Iter<'a, T, P> {
        self.iter()
    }
}
