//! Snapshot diffing for sets: the map's diff, with no values to compare.

use core::fmt;
use core::iter::FusedIterator;

use crate::map::{self, DiffBy};
use crate::ptr::{ArcKind, PointerKind};

/// One difference between two versions of a set, as
/// [`AvlSet::diff`](super::AvlSet::diff) reports it: `old.diff(&new)`
/// describes how to get from `old` to `new`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiffItem<'a, T> {
    /// In the new version only.
    Added(&'a T),
    /// In the old version only.
    Removed(&'a T),
}

/// How a set's diff compares values: they are all `()`, so never differ.
pub(super) type Same = fn(&(), &()) -> bool;

/// The differences between two versions of a set, in order; made by
/// [`AvlSet::diff`](super::AvlSet::diff).
///
/// Lazy; it skips every subtree the two versions share, so two versions that
/// differ in d elements cost O(d log n) in all, and two that share nothing
/// O(n + m).
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Diff<'a, T, P: PointerKind = ArcKind> {
    pub(super) inner: DiffBy<'a, T, (), P, Same>,
}

impl<'a, T, P: PointerKind> Diff<'a, T, P> {
    pub(super) fn new(inner: DiffBy<'a, T, (), P, Same>) -> Self {
        Diff { inner }
    }

    /// Nodes the walk has opened so far, in both versions. O(1).
    #[doc(hidden)]
    pub fn nodes_opened(&self) -> usize {
        self.inner.nodes_opened()
    }
}

impl<'a, T: Ord, P: PointerKind> Iterator for Diff<'a, T, P> {
    type Item = DiffItem<'a, T>;

    fn next(&mut self) -> Option<DiffItem<'a, T>> {
        self.inner.next().map(|item| match item {
            map::DiffItem::Added(t, ()) => DiffItem::Added(t),
            map::DiffItem::Removed(t, ()) | map::DiffItem::Changed { key: t, .. } => {
                DiffItem::Removed(t)
            }
        })
    }
}

impl<T: Ord, P: PointerKind> FusedIterator for Diff<'_, T, P> {}

impl<T, P: PointerKind> Clone for Diff<'_, T, P> {
    fn clone(&self) -> Self {
        Diff {
            inner: self.inner.clone(),
        }
    }
}

impl<T: Ord + fmt::Debug, P: PointerKind> fmt::Debug for Diff<'_, T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}
