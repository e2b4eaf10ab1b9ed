//! The set's whole-tree operations, each returning a new version, and the
//! operators `|`, `&`, `-` and `^`, which use them. The lazy, std-named
//! `union`, `intersection`, `difference` and `symmetric_difference` are in
//! `mod.rs`; the forms here end in `_set` and build a tree that shares
//! with its inputs.

use core::borrow::Borrow;
use core::ops::{BitAnd, BitOr, BitXor, RangeBounds, Sub};

use super::GenericAvlSet;
use crate::ptr::PointerKind;

impl<T: Ord + Clone, P: PointerKind> GenericAvlSet<T, P> {
    /// A new set of the elements of `self` or `other` (of an element in
    /// both, `self`'s copy); the tree form of the lazy
    /// [`union`](Self::union), and what `&a | &b` returns.
    ///
    /// Time: O(m log(n/m + 1)) for sizes m <= n, by join and split; a
    /// subtree both sets share is taken whole, so two versions of one set
    /// unite in time proportional to their difference. Neither set changes.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let (a, b) = (AvlSet::from([1, 2]), AvlSet::from([2, 3]));
    /// assert_eq!(a.union_set(&b), AvlSet::from([1, 2, 3]));
    /// assert_eq!(&a | &b, AvlSet::from([1, 2, 3]));
    /// ```
    #[must_use = "the union is a new set; `self` is unchanged"]
    pub fn union_set(&self, other: &Self) -> Self {
        // The map's union keeps the first key and the second value; a set's
        // value is `()`, so this keeps `self`'s element.
        Self::from_map(self.map.union_map(&other.map))
    }

    /// A new set of the elements in both sets (`self`'s copies); the tree
    /// form of the lazy [`intersection`](Self::intersection), and what
    /// `&a & &b` returns. Time: as [`union_set`](Self::union_set).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let (a, b) = (AvlSet::from([1, 2]), AvlSet::from([2, 3]));
    /// assert_eq!(a.intersection_set(&b), AvlSet::from([2]));
    /// assert_eq!(&a & &b, AvlSet::from([2]));
    /// ```
    #[must_use = "the intersection is a new set; `self` is unchanged"]
    pub fn intersection_set(&self, other: &Self) -> Self {
        Self::from_map(self.map.intersection_map(&other.map))
    }

    /// A new set of the elements of `self` not in `other`; the tree form of
    /// the lazy [`difference`](Self::difference), and what `&a - &b`
    /// returns. Time: as [`union_set`](Self::union_set); a subtree both
    /// share is dropped whole.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let (a, b) = (AvlSet::from([1, 2]), AvlSet::from([2, 3]));
    /// assert_eq!(a.difference_set(&b), AvlSet::from([1]));
    /// assert_eq!(&a - &b, AvlSet::from([1]));
    /// ```
    #[must_use = "the difference is a new set; `self` is unchanged"]
    pub fn difference_set(&self, other: &Self) -> Self {
        Self::from_map(self.map.difference_map(&other.map))
    }

    /// A new set of the elements in exactly one of the sets; the tree form
    /// of the lazy [`symmetric_difference`](Self::symmetric_difference),
    /// and what `&a ^ &b` returns. Time: as [`union_set`](Self::union_set).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let (a, b) = (AvlSet::from([1, 2]), AvlSet::from([2, 3]));
    /// assert_eq!(a.symmetric_difference_set(&b), AvlSet::from([1, 3]));
    /// assert_eq!(&a ^ &b, AvlSet::from([1, 3]));
    /// ```
    #[must_use = "the symmetric difference is a new set; `self` is unchanged"]
    pub fn symmetric_difference_set(&self, other: &Self) -> Self {
        Self::from_map(self.map.symmetric_difference_map(&other.map))
    }

    /// The set split at `value`: a new set of the elements below it, the
    /// element equal to it (cloned) if there is one, and a new set of those
    /// above it. `self` is unchanged. The persistent form of
    /// [`split_off`](Self::split_off); O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let set: AvlSet<i32> = (1..=5).collect();
    /// let (below, at, above) = set.split(&3);
    /// assert_eq!((below.len(), at, above.len()), (2, Some(3), 2));
    /// ```
    #[must_use = "the halves are new sets; `self` is unchanged"]
    pub fn split<Q>(&self, value: &Q) -> (Self, Option<T>, Self)
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let (below, found, above) = self.map.split(value);
        (
            Self::from_map(below),
            found.map(|(t, ())| t),
            Self::from_map(above),
        )
    }

    /// The set split by position: a new set of the first `index` elements
    /// and a new set of the rest. `self` is unchanged; O(log n), calling no
    /// `Ord`.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let set: AvlSet<i32> = (0..10).collect();
    /// let (first, rest) = set.split_at(4);
    /// assert_eq!((first.len(), rest.first()), (4, Some(&4)));
    /// ```
    #[must_use = "the halves are new sets; `self` is unchanged"]
    pub fn split_at(&self, index: usize) -> (Self, Self) {
        let (low, high) = self.map.split_at(index);
        (Self::from_map(low), Self::from_map(high))
    }

    /// A new set of the elements in `range`, sharing all but O(log n) nodes
    /// with `self`: the persistent form of the lazy [`range`](Self::range).
    /// O(log n).
    ///
    /// # Panics
    ///
    /// As [`range`](Self::range).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let set: AvlSet<i32> = (0..100).collect();
    /// assert_eq!(set.range_set(10..=19).len(), 10);
    /// ```
    #[must_use = "the subset is a new set; `self` is unchanged"]
    pub fn range_set<Q, R>(&self, range: R) -> Self
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
        R: RangeBounds<Q>,
    {
        Self::from_map(
            self.map
                .range_map_in(range.start_bound(), range.end_bound(), "AvlSet"),
        )
    }

    /// A new set of the elements for which `keep` returns `true`, sharing
    /// the subtrees where it drops nothing with `self`: the persistent form
    /// of [`retain`](Self::retain). O(n) calls of `keep`, in no particular
    /// order.
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let set: AvlSet<i32> = (0..10).collect();
    /// assert_eq!(set.filter(|v| v % 3 == 0), AvlSet::from([0, 3, 6, 9]));
    /// ```
    #[must_use = "the filtered set is new; `self` is unchanged"]
    pub fn filter<F>(&self, keep: F) -> Self
    where
        F: Fn(&T) -> bool,
    {
        Self::from_map(self.map.filter(|t, ()| keep(t)))
    }
}

impl<T: Ord, P: PointerKind> GenericAvlSet<T, P> {
    /// The greatest element strictly below `value`, if any. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let set = AvlSet::from([10, 20, 30]);
    /// assert_eq!(set.get_prev(&20), Some(&10));
    /// assert_eq!(set.get_prev(&10), None);
    /// ```
    pub fn get_prev<Q>(&self, value: &Q) -> Option<&T>
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.get_prev(value).map(|(t, ())| t)
    }

    /// The least element strictly above `value`, if any. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlSet;
    ///
    /// let set = AvlSet::from([10, 20, 30]);
    /// assert_eq!(set.get_next(&20), Some(&30));
    /// assert_eq!(set.get_next(&30), None);
    /// ```
    pub fn get_next<Q>(&self, value: &Q) -> Option<&T>
    where
        T: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.map.get_next(value).map(|(t, ())| t)
    }
}

macro_rules! set_operator {
    ($trait:ident, $method:ident, $tree_form:ident, $what:literal) => {
        #[doc = concat!("`&a ", $what, " &b`: ")]
        #[doc = concat!("[`", stringify!($tree_form), "`](GenericAvlSet::", stringify!($tree_form), "),")]
        /// a new set that shares with both. O(m log(n/m + 1)) for sizes
        /// m <= n.
        impl<T: Ord + Clone, P: PointerKind> $trait<&GenericAvlSet<T, P>> for &GenericAvlSet<T, P> {
            type Output = GenericAvlSet<T, P>;

            fn $method(self, other: &GenericAvlSet<T, P>) -> GenericAvlSet<T, P> {
                self.$tree_form(other)
            }
        }
    };
}

set_operator!(BitOr, bitor, union_set, "|");
set_operator!(BitAnd, bitand, intersection_set, "&");
set_operator!(Sub, sub, difference_set, "-");
set_operator!(BitXor, bitxor, symmetric_difference_set, "^");
