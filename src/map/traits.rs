//! Standard trait implementations for [`AvlMap`](crate::AvlMap).

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::cmp::Ordering;
use core::fmt;
use core::hash::{Hash, Hasher};
use core::ops::Index;

use super::{GenericAvlMap, IntoIter, Iter, IterMut};
use crate::node::{self, Owned, Unfold, Zip};
use crate::ptr::PointerKind;

/// O(1): the new version shares the whole tree.
impl<K, V, P: PointerKind> Clone for GenericAvlMap<K, V, P> {
    fn clone(&self) -> Self {
        GenericAvlMap {
            root: self.root.clone(),
        }
    }
}

/// An empty map. O(1).
impl<K, V, P: PointerKind> Default for GenericAvlMap<K, V, P> {
    fn default() -> Self {
        Self::empty()
    }
}

/// Formats as `{k: v, ...}` in key order. O(n).
impl<K: fmt::Debug, V: fmt::Debug, P: PointerKind> fmt::Debug for GenericAvlMap<K, V, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// Equal when the two maps have the same length and their entries, in key
/// order, are pairwise equal by `PartialEq`: std's `BTreeMap` rule, so `!=`
/// and [`partial_cmp`](PartialOrd::partial_cmp) agree with it for every key
/// and value type. O(1) when the lengths differ, O(n) otherwise.
///
/// Every entry is compared, even one that both versions share: for a value
/// type whose `==` is not reflexive, an entry need not equal itself (a map
/// holding `f64::NAN` is not equal to its own clone, as in std). For `Eq`
/// keys and values, [`AvlMap::same_contents`](crate::GenericAvlMap::same_contents) answers the same question in
/// time proportional to the versions' difference, skipping what they share.
///
/// ```
/// use persistent_avl::AvlMap;
///
/// let map = AvlMap::from([(1, 0.5), (2, f64::NAN)]);
/// assert!(map != map.clone()); // NaN != NaN, as in std's BTreeMap
/// assert_eq!(map.partial_cmp(&map.clone()), None);
/// ```
impl<K: PartialEq, V: PartialEq, P: PointerKind> PartialEq for GenericAvlMap<K, V, P> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<K: Eq, V: Eq, P: PointerKind> Eq for GenericAvlMap<K, V, P> {}

/// Lexicographic over the entries in key order, as std; every entry is
/// compared, so it agrees with `==` (see [`PartialEq`]). O(n).
impl<K: PartialOrd, V: PartialOrd, P: PointerKind> PartialOrd for GenericAvlMap<K, V, P> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.iter().partial_cmp(other.iter())
    }
}

/// Lexicographic over the entries in key order, as std. `Ord` keys and
/// values compare equal to themselves, so it skips the subtrees the two
/// versions share: O(d log n) for versions that differ in d entries, O(n)
/// for versions that share nothing.
impl<K: Ord, V: Ord, P: PointerKind> Ord for GenericAvlMap<K, V, P> {
    fn cmp(&self, other: &Self) -> Ordering {
        Zip::new(self.root(), other.root()).compare()
    }
}

/// Hashes the length, then every entry in key order. O(n).
impl<K: Hash, V: Hash, P: PointerKind> Hash for GenericAvlMap<K, V, P> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.len().hash(state);
        for entry in self {
            entry.hash(state);
        }
    }
}

/// `map[&key]`: the value for `key`. O(log n).
///
/// # Panics
///
/// If the key is not in the map, as std's `BTreeMap`.
impl<K, Q, V, P> Index<&Q> for GenericAvlMap<K, V, P>
where
    K: Borrow<Q> + Ord,
    Q: Ord + ?Sized,
    P: PointerKind,
{
    type Output = V;

    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

/// Collects, sorts (stably) and builds a perfectly balanced tree in O(n)
/// after the O(n log n) sort. Of equal keys, the last entry wins, as in std.
/// Panics only where std's sort does: if `Ord` is not a total order.
impl<K: Ord, V, P: PointerKind> FromIterator<(K, V)> for GenericAvlMap<K, V, P> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let entries = node::collect_sorted(iter.into_iter().collect(), node::Keep::LastEntry);
        Self::from_tree(node::build_sorted(entries))
    }
}

/// Inserts every entry, as [`AvlMap::insert`](crate::GenericAvlMap::insert) would one by one: where a key
/// is already there it keeps its key and takes the new value, and of equal
/// new keys the last wins.
///
/// A few entries are inserted one by one, O(m log(n + m)). Many are sorted,
/// built into a tree and united with this one by join (as
/// [`union_map`](crate::GenericAvlMap::union_map)): O(m log m + m log(n/m + 1)), and if
/// `Ord` or `Clone` panics the map is left as it was.
impl<K: Ord + Clone, V: Clone, P: PointerKind> Extend<(K, V)> for GenericAvlMap<K, V, P> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        let mut iter = iter.into_iter();
        let first: Vec<(K, V)> = iter.by_ref().take(BULK).collect();
        if first.len() < BULK {
            for (key, value) in first {
                self.insert(key, value);
            }
            return;
        }
        let mut entries = first;
        entries.extend(iter);
        let entries = node::collect_sorted(entries, node::Keep::FirstKey);
        let more = Self::from_tree(node::build_sorted(entries));
        *self = self.union_map(&more);
    }
}

/// From this many new entries on, `extend` builds them into a tree and
/// unites it with the map rather than inserting them one by one.
const BULK: usize = 64;

/// Inserts copies of every entry. O(m log(n + m)).
impl<'a, K: Ord + Copy, V: Copy, P: PointerKind> Extend<(&'a K, &'a V)> for GenericAvlMap<K, V, P> {
    fn extend<I: IntoIterator<Item = (&'a K, &'a V)>>(&mut self, iter: I) {
        self.extend(iter.into_iter().map(|(&k, &v)| (k, v)));
    }
}

/// `AvlMap::from([(k, v), ...])`, as [`FromIterator`]. O(N log N).
///
/// For every pointer kind; the aliases [`AvlMap`](crate::AvlMap) and
/// [`AvlMapRc`](crate::AvlMapRc) fix the kind, so `AvlMap::from([..])`
/// needs no type annotation.
impl<K: Ord, V, P: PointerKind, const N: usize> From<[(K, V); N]> for GenericAvlMap<K, V, P> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

/// Moves entries out of the nodes this version owns alone and clones them
/// from shared ones. O(n).
impl<K: Clone, V: Clone, P: PointerKind> IntoIterator for GenericAvlMap<K, V, P> {
    type Item = (K, V);
    type IntoIter = IntoIter<K, V, P>;

    fn into_iter(self) -> IntoIter<K, V, P> {
        let len = self.len();
        IntoIter {
            inner: Unfold::new(Owned::root(self.root), len),
        }
    }
}

impl<'a, K, V, P: PointerKind> IntoIterator for &'a GenericAvlMap<K, V, P> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V, P>;

    fn into_iter(self) -> Iter<'a, K, V, P> {
        self.iter()
    }
}

impl<'a, K: Clone, V: Clone, P: PointerKind> IntoIterator for &'a mut GenericAvlMap<K, V, P> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = IterMut<'a, K, V, P>;

    fn into_iter(self) -> IterMut<'a, K, V, P> {
        self.iter_mut()
    }
}
