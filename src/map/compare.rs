//! Comparing two versions: equality that skips what they share, the diff,
//! and counts of the entries they store together.

use alloc::vec::Vec;

use super::{Diff, DiffBy, GenericAvlMap};
use crate::node::Zip;
use crate::ptr::PointerKind;
use crate::view::NodeRef;

/// How many entries two versions store together and how many each stores
/// alone, from [`AvlMap::sharing`](crate::GenericAvlMap::sharing) or [`AvlSet::sharing`](crate::GenericAvlSet::sharing):
/// an entry is counted where it is stored, in a node or in a block, so
/// "alone" is what dropping that version would free.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Sharing {
    /// Entries in nodes and blocks both versions hold: stored once,
    /// whichever version is dropped.
    pub shared: usize,
    /// Entries in nodes and blocks only the first version holds: freed
    /// when it is dropped.
    pub only_first: usize,
    /// Entries in nodes and blocks only the second version holds.
    pub only_second: usize,
}

/// How the nodes and blocks of several versions are shared, from
/// [`AvlMap::sharing_among`](crate::GenericAvlMap::sharing_among), counted in the entries they store: for memory
/// accounting across a history.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct SharingAmong {
    /// Entries stored in the distinct nodes and blocks of all the versions
    /// together: what they cost.
    pub distinct: usize,
    /// Entries in nodes and blocks that two or more of the versions hold.
    pub shared: usize,
    /// For each version, in order, the entries in nodes and blocks it alone
    /// holds: what dropping just that version would free.
    pub alone: Vec<usize>,
}

impl<K, V, P: PointerKind> GenericAvlMap<K, V, P> {
    /// Whether the two maps hold the same entries: `self == other`, for
    /// `Eq` keys and values, but skipping every subtree the two versions
    /// share, as [`diff`](Self::diff) does. Sound because `Eq` is
    /// reflexive: a shared entry equals itself, so it needs no comparing.
    /// `==` compares every entry, as std's does, so that it also serves
    /// types whose `==` is not reflexive (see [`PartialEq`]).
    ///
    /// Time: O(1) when the two share their root or differ in length,
    /// O(d log n) for versions that differ in d entries, O(n) for versions
    /// that share nothing.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let base: AvlMap<u32, u32> = (0..100_000).map(|k| (k, k)).collect();
    /// let edited = base.inserted(7, 0).inserted(7, 7); // same entries, new path
    /// assert!(!edited.ptr_eq(&base));
    /// assert!(edited.same_contents(&base)); // opens about two paths, not 10^5 nodes
    /// assert!(!base.inserted(8, 0).same_contents(&base));
    /// ```
    pub fn same_contents(&self, other: &Self) -> bool
    where
        K: Eq,
        V: Eq,
    {
        self.ptr_eq(other)
            || (self.len() == other.len() && Zip::new(&self.root, &other.root).equal())
    }
}

impl<K: Ord, V, P: PointerKind> GenericAvlMap<K, V, P> {
    /// The differences from `self` (the old version) to `other` (the new),
    /// lazily and in key order: keys added, removed, or with a changed value
    /// (by `PartialEq`). See [`diff_by`](Self::diff_by) for another
    /// equality.
    ///
    /// It skips every subtree the two versions share, at any depth: two
    /// versions that differ in d entries cost O(d log n), and two that share
    /// nothing O(n + m), a merge.
    ///
    /// Only entries in nodes the two versions do not share are compared: a
    /// shared node is one entry, unchanged, and is never reported. For
    /// values with a reflexive `==` (every `Eq` type) this is exactly a
    /// comparison of all entries: `a.diff(&b).next().is_none()` when
    /// `a == b`. For a value not equal to itself (`f64::NAN`) it is not: the
    /// NaN is reported as changed where an update copied its node, and not
    /// where the versions share it. `==` compares every entry, as std's
    /// does (see [`PartialEq`]).
    ///
    /// ```
    /// use persistent_avl::{AvlMap, map::DiffItem};
    ///
    /// let old: AvlMap<u32, char> = (0..1000).map(|k| (k, 'a')).collect();
    /// let new = old.inserted(5, 'b').removed(&7).inserted(2000, 'c');
    /// let changes: Vec<_> = old.diff(&new).collect();
    /// assert_eq!(
    ///     changes,
    ///     [
    ///         DiffItem::Changed { key: &5, old: &'a', new: &'b' },
    ///         DiffItem::Removed(&7, &'a'),
    ///         DiffItem::Added(&2000, &'c'),
    ///     ]
    /// );
    /// ```
    pub fn diff<'a>(&'a self, other: &'a Self) -> Diff<'a, K, V, P>
    where
        V: PartialEq,
    {
        self.diff_by(other, <V as PartialEq>::eq)
    }

    /// [`diff`](Self::diff) with `same(old, new)` deciding whether a value
    /// changed. Values in shared nodes are never compared (nor passed to
    /// `same`), as in `diff`: an entry both versions share is unchanged.
    /// O(d log n), as `diff`.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let old = AvlMap::from([(1, 1.0_f64), (2, 2.0)]);
    /// let new = old.inserted(1, 1.0000001).inserted(2, 3.0);
    /// let close = |a: &f64, b: &f64| (a - b).abs() < 1e-3;
    /// assert_eq!(old.diff_by(&new, close).count(), 1);
    /// ```
    pub fn diff_by<'a, F>(&'a self, other: &'a Self, same: F) -> DiffBy<'a, K, V, P, F>
    where
        F: FnMut(&V, &V) -> bool,
    {
        DiffBy {
            zip: Zip::new(&self.root, &other.root),
            same,
        }
    }

    /// How many entries `self` and `other` store together, and how many
    /// each stores alone: what dropping one of them would free. Walks only
    /// what differs: O(d log n) for versions that differ in d entries.
    ///
    /// ```
    /// use persistent_avl::{ArcKind, AvlMap, Classic, GenericAvlMap, PointerKind, Sharing};
    ///
    /// let v1: AvlMap<u32, ()> = (0..1000).map(|k| (k, ())).collect();
    /// let v2 = v1.inserted(5000, ());
    /// let Sharing { shared, only_first, only_second } = v1.sharing(&v2);
    /// assert_eq!(shared + only_first, v1.len());
    /// assert_eq!(shared + only_second, v2.len());
    /// // The copied path's nodes and the one block the insert changed.
    /// assert!(only_second <= v2.height() + ArcKind::BLOCK);
    ///
    /// // With one entry per node, just the path and the new leaf.
    /// let v1: GenericAvlMap<u32, (), Classic<ArcKind>> = (0..1000).map(|k| (k, ())).collect();
    /// let v2 = v1.inserted(5000, ());
    /// assert!(v1.sharing(&v2).only_second <= v2.height() + 1);
    /// ```
    pub fn sharing(&self, other: &Self) -> Sharing {
        // The diff's walk, run to the end: it skips (and counts) what the two
        // share. No value needs comparing, so none is.
        let mut walk = self.diff_by(other, |_, _| true);
        walk.by_ref().for_each(drop);
        let shared = walk.zip.shared();
        Sharing {
            shared,
            only_first: self.len() - shared,
            only_second: other.len() - shared,
        }
    }

    /// Counts the entries stored in the distinct nodes and blocks of
    /// `versions`, in those two or more of them hold, and in those each
    /// holds alone. Visits every distinct node once: O(d log d) for d
    /// distinct nodes and blocks (for two versions, [`sharing`](Self::sharing)
    /// visits only what differs).
    ///
    /// ```
    /// use persistent_avl::{ArcKind, AvlMap, PointerKind};
    ///
    /// let v1: AvlMap<u32, ()> = (0..1000).map(|k| (k, ())).collect();
    /// let v2 = v1.inserted(5000, ());
    /// let v3 = v2.removed(&0);
    /// let counts = AvlMap::sharing_among(&[&v1, &v2, &v3]);
    /// assert!(counts.distinct < 1100); // three versions, little more than one
    /// assert_eq!(counts.alone.len(), 3);
    /// // v2 alone holds its copied path and the one block it changed.
    /// assert!(counts.alone[1] <= v2.height() + ArcKind::BLOCK);
    /// ```
    pub fn sharing_among(versions: &[&Self]) -> SharingAmong {
        use alloc::collections::BTreeMap;
        // Address of a node or a block -> (the first version that reached
        // it, whether another did, the entries it stores).
        let mut seen: BTreeMap<usize, (usize, bool, usize)> = BTreeMap::new();
        for (version, map) in versions.iter().enumerate() {
            let mut stack: Vec<NodeRef<'_, K, V, P>> = map.root_node().into_iter().collect();
            while let Some(node) = stack.pop() {
                match seen.get(&node.id()) {
                    None => {
                        seen.insert(node.id(), (version, false, 1));
                        for block in [node.left_block(), node.right_block()] {
                            if !block.is_empty() {
                                reach(&mut seen, block_id(block), version, block.len());
                            }
                        }
                        stack.extend(node.left());
                        stack.extend(node.right());
                    }
                    // Reached before from another version: so is all of its
                    // subtree. Mark what is not marked yet.
                    Some(&(first, false, _)) if first != version => {
                        let mut marking = alloc::vec![node];
                        while let Some(shared) = marking.pop() {
                            if let Some(entry) = seen.get_mut(&shared.id())
                                && !entry.1
                            {
                                entry.1 = true;
                                for block in [shared.left_block(), shared.right_block()] {
                                    if let Some(entry) = seen.get_mut(&block_id(block))
                                        && !block.is_empty()
                                    {
                                        entry.1 = true;
                                    }
                                }
                                marking.extend(shared.left());
                                marking.extend(shared.right());
                            }
                        }
                    }
                    Some(_) => {}
                }
            }
        }
        let mut counts = SharingAmong {
            distinct: 0,
            shared: 0,
            alone: alloc::vec![0; versions.len()],
        };
        for &(first, shared, stored) in seen.values() {
            counts.distinct += stored;
            if shared {
                counts.shared += stored;
            } else {
                counts.alone[first] += stored;
            }
        }
        counts
    }
}

/// A block's identity: the address of its entries (never that of a node,
/// which is another allocation).
fn block_id<K, V>(block: &[(K, V)]) -> usize {
    block.as_ptr() as usize
}

/// Records that `version` reaches the block `id` of `len` entries.
fn reach(
    seen: &mut alloc::collections::BTreeMap<usize, (usize, bool, usize)>,
    id: usize,
    version: usize,
    len: usize,
) {
    let entry = seen.entry(id).or_insert((version, false, len));
    if entry.0 != version {
        entry.1 = true;
    }
}
