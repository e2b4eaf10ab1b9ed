//! Blocks: the sorted runs of entries at the bottom of the tree.
//!
//! A block is a boxed slice of entries, exactly as long as it is: no spare
//! capacity, so an entry costs its own size and nothing more. It lives
//! inline in the node that holds it (one pointer hop from that node to the
//! entries), so it is shared with other versions exactly when that node is.
//!
//! # Invariants
//!
//! - (B1) keys strictly ascend along a block (a part of (I1));
//! - (B2) a block holds at most the map's block size of entries (`P::BLOCK`).
//!
//! The tree code never indexes a block itself: it calls the operations here,
//! which move entries (no `Clone`, no `Ord`) except where they say so.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::borrow::Borrow;

/// A sorted run of entries.
pub(crate) struct Block<K, V>(Box<[(K, V)]>);

impl<K: Clone, V: Clone> Clone for Block<K, V> {
    fn clone(&self) -> Self {
        Block(self.0.clone())
    }
}

impl<K, V> Block<K, V> {
    /// The empty block; allocates nothing.
    #[inline]
    pub(crate) fn empty() -> Self {
        Block(Box::default())
    }

    /// A block of `entries`, which must be in strictly ascending key order.
    #[inline]
    pub(crate) fn from_vec(entries: Vec<(K, V)>) -> Self {
        Block(entries.into_boxed_slice())
    }

    /// The entries, by value.
    #[inline]
    pub(crate) fn into_vec(self) -> Vec<(K, V)> {
        self.0.into_vec()
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    #[inline]
    pub(crate) fn entries(&self) -> &[(K, V)] {
        &self.0
    }

    #[inline]
    pub(crate) fn entries_mut(&mut self) -> &mut [(K, V)] {
        &mut self.0
    }

    /// Where `key` is: `Ok(index)` when present, `Err(index)` where it
    /// would go. Binary search: O(log len) comparisons.
    #[inline]
    pub(crate) fn search<Q>(&self, key: &Q) -> Result<usize, usize>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.0.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    /// Applies `change` to the entries as a `Vec`, then boxes them again
    /// without spare capacity.
    #[inline]
    fn edit<R>(&mut self, change: impl FnOnce(&mut Vec<(K, V)>) -> R) -> R {
        let mut entries = core::mem::take(&mut self.0).into_vec();
        let result = change(&mut entries);
        self.0 = entries.into_boxed_slice();
        result
    }

    /// Inserts `entry` at `index`, moving the later entries up.
    ///
    /// Requires: `index <= len`, and the key belongs there. One reallocation.
    pub(crate) fn insert(&mut self, index: usize, entry: (K, V)) {
        self.edit(|entries| {
            entries.reserve_exact(1);
            entries.insert(index, entry);
        });
    }

    /// Removes and returns the entry at `index`. Requires: `index < len`.
    pub(crate) fn remove(&mut self, index: usize) -> (K, V) {
        self.edit(|entries| entries.remove(index))
    }

    /// Splits off the entries from `at` on; `self` keeps those before.
    pub(crate) fn split_off(&mut self, at: usize) -> Self {
        Block(
            self.edit(|entries| entries.split_off(at))
                .into_boxed_slice(),
        )
    }

    /// The block of `left`, then `entry`, then `right`.
    ///
    /// Requires: every key of `left` below the entry's, every key of
    /// `right` above it.
    pub(crate) fn concat(left: Self, entry: (K, V), right: Self) -> Self {
        let mut entries = Vec::with_capacity(left.len() + 1 + right.len());
        entries.extend(left.into_vec());
        entries.push(entry);
        entries.extend(right.into_vec());
        Block::from_vec(entries)
    }

    /// The block with `entry` inserted at `index`, cloning the others; `self`
    /// is untouched. Requires: `index <= len`, and the key belongs there.
    pub(crate) fn inserted(&self, index: usize, entry: (K, V)) -> Vec<(K, V)>
    where
        K: Clone,
        V: Clone,
    {
        let mut entries = Vec::with_capacity(self.len() + 1);
        entries.extend_from_slice(&self.0[..index]);
        entries.push(entry);
        entries.extend_from_slice(&self.0[index..]);
        entries
    }

    /// The block without its entry at `index`, cloning the others, and that
    /// entry cloned; `self` is untouched. Requires: `index < len`.
    pub(crate) fn removed(&self, index: usize) -> (Self, (K, V))
    where
        K: Clone,
        V: Clone,
    {
        let mut entries = Vec::with_capacity(self.len() - 1);
        entries.extend_from_slice(&self.0[..index]);
        entries.extend_from_slice(&self.0[index + 1..]);
        (Block::from_vec(entries), self.0[index].clone())
    }
}
