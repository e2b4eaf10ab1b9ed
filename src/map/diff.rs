//! Snapshot diffing: what changed between two versions, in time proportional
//! to the change.

use core::cmp::Ordering;
use core::fmt;
use core::iter::FusedIterator;

use crate::node::Zip;
use crate::ptr::{ArcKind, PointerKind};

/// One difference between two versions of a map, as [`AvlMap::diff`](crate::GenericAvlMap::diff)
/// reports it: `old.diff(&new)` describes how to get from `old` to `new`.
///
/// [`AvlMap::diff`]: crate::GenericAvlMap::diff
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiffItem<'a, K, V> {
    /// The key is in the new version only.
    Added(&'a K, &'a V),
    /// The key is in the old version only.
    Removed(&'a K, &'a V),
    /// The key is in both, with unequal values.
    Changed {
        /// The key (as stored in the new version).
        key: &'a K,
        /// Its value in the old version.
        old: &'a V,
        /// Its value in the new version.
        new: &'a V,
    },
}

impl<'a, K, V> DiffItem<'a, K, V> {
    /// The key the difference is about. O(1).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let old = AvlMap::from([(1, 'a')]);
    /// let new = old.inserted(2, 'b');
    /// assert_eq!(old.diff(&new).next().map(|d| *d.key()), Some(2));
    /// ```
    pub fn key(&self) -> &'a K {
        match *self {
            DiffItem::Added(key, _) | DiffItem::Removed(key, _) | DiffItem::Changed { key, .. } => {
                key
            }
        }
    }
}

/// The differences between two versions of a map, in key order: made by
/// [`AvlMap::diff_by`](super::AvlMap::diff_by), and by
/// [`AvlMap::diff`](super::AvlMap::diff) as [`Diff`].
///
/// Lazy. It skips every subtree the two versions share, at any depth, so
/// two versions that differ in d entries cost O(d log n) in all, and two
/// that share nothing O(n + m).
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct DiffBy<'a, K, V, P: PointerKind, F> {
    pub(super) zip: Zip<'a, K, V, P>,
    pub(super) same: F,
}

/// The differences between two versions of a map, values compared with
/// `PartialEq`; made by [`AvlMap::diff`](super::AvlMap::diff). See
/// [`DiffBy`].
pub type Diff<'a, K, V, P = ArcKind> = DiffBy<'a, K, V, P, fn(&V, &V) -> bool>;

impl<K, V, P: PointerKind, F> DiffBy<'_, K, V, P, F> {
    /// Nodes the walk has opened so far, in both versions: its cost, for
    /// tests and measurements. O(1).
    #[doc(hidden)]
    pub fn nodes_opened(&self) -> usize {
        self.zip.opened()
    }
}

impl<K: Ord, V, P: PointerKind, F: FnMut(&V, &V) -> bool> DiffBy<'_, K, V, P, F> {
    /// Skips, in one tight loop, the entries at the front of two unshared
    /// runs (two copies of a block, say) that hold equal keys and the same
    /// values: what `next` would skip one at a time.
    fn skip_equal_runs(&mut self) {
        let Some((old, new)) = self.zip.runs() else {
            return;
        };
        let equal = old
            .iter()
            .zip(new)
            .take_while(|(a, b)| a.0.cmp(&b.0) == Ordering::Equal && (self.same)(&a.1, &b.1))
            .count();
        if equal > 0 {
            self.zip.pop_both(equal);
        }
    }
}

impl<'a, K, V, P, F> Iterator for DiffBy<'a, K, V, P, F>
where
    K: Ord,
    P: PointerKind,
    F: FnMut(&V, &V) -> bool,
{
    type Item = DiffItem<'a, K, V>;

    fn next(&mut self) -> Option<DiffItem<'a, K, V>> {
        loop {
            match self.zip.heads() {
                (None, None) => return None,
                (Some(old), None) => {
                    self.zip.pop_old();
                    return Some(DiffItem::Removed(&old.0, &old.1));
                }
                (None, Some(new)) => {
                    self.zip.pop_new();
                    return Some(DiffItem::Added(&new.0, &new.1));
                }
                (Some(old), Some(new)) => match old.0.cmp(&new.0) {
                    Ordering::Less => {
                        self.zip.pop_old();
                        return Some(DiffItem::Removed(&old.0, &old.1));
                    }
                    Ordering::Greater => {
                        self.zip.pop_new();
                        return Some(DiffItem::Added(&new.0, &new.1));
                    }
                    Ordering::Equal => {
                        self.zip.pop_old();
                        self.zip.pop_new();
                        if !(self.same)(&old.1, &new.1) {
                            return Some(DiffItem::Changed {
                                key: &new.0,
                                old: &old.1,
                                new: &new.1,
                            });
                        }
                        self.skip_equal_runs();
                    }
                },
            }
        }
    }
}

impl<K: Ord, V, P: PointerKind, F: FnMut(&V, &V) -> bool> FusedIterator for DiffBy<'_, K, V, P, F> {}

impl<K, V, P: PointerKind, F: Clone> Clone for DiffBy<'_, K, V, P, F> {
    fn clone(&self) -> Self {
        DiffBy {
            zip: self.zip.clone(),
            same: self.same.clone(),
        }
    }
}

impl<K, V, P, F> fmt::Debug for DiffBy<'_, K, V, P, F>
where
    K: Ord + fmt::Debug,
    V: fmt::Debug,
    P: PointerKind,
    F: FnMut(&V, &V) -> bool + Clone,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.clone()).finish()
    }
}
