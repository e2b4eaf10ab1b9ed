//! Blocks: the sorted runs of entries at the bottom of the tree.
//!
//! A block is one shared allocation, `Arc<[(K, V)]>` or `Rc<[(K, V)]>`:
//! the reference counts, then the entries, exactly as many as it holds (no
//! spare capacity). The node above holds the pointer, so a lookup reaches
//! the entries in one hop from that node; and the block is shared on its
//! own, so copying the node for a new version copies none of its blocks.
//!
//! # Invariants
//!
//! - (B1) keys strictly ascend along a block (a part of (I1));
//! - (B2) a block holds at most the map's block size of entries (`P::BLOCK`);
//! - (B3) a block holds at least one entry: the empty subtree is no block.
//!
//! A shared slice cannot give up its entries by value, even when no one
//! else holds it, without `unsafe`. So every operation that changes a
//! block's length builds a new block, cloning the entries it keeps (one
//! allocation for the new block, one free for the old), whether the old
//! one is shared or not; an update in place of an entry's value clones
//! only when the block is shared. All the `Clone` calls happen before the
//! new block exists, so a panic leaves the old one as it was.
//!
//! The tree code never indexes a block itself: it calls the operations here.

use alloc::vec::Vec;
use core::borrow::Borrow;
use core::iter;

use crate::ptr::PointerKind;

/// A sorted run of one entry or more, shared.
pub(crate) struct Block<K, V, P: PointerKind>(P::Slice<(K, V)>);

impl<K, V, P: PointerKind> Clone for Block<K, V, P> {
    /// Another reference to the same block. O(1).
    #[inline]
    fn clone(&self) -> Self {
        Block(self.0.clone())
    }
}

impl<K, V, P: PointerKind> Block<K, V, P> {
    /// A block of `run`, in strictly ascending key order, or `None` for an
    /// empty run. Moves the entries.
    #[inline]
    pub(crate) fn from_vec(run: Vec<(K, V)>) -> Option<Self> {
        (!run.is_empty()).then(|| Block(P::slice_from_vec(run)))
    }

    /// Whether the two are one block (one allocation). O(1).
    #[inline]
    pub(crate) fn ptr_eq(a: &Self, b: &Self) -> bool {
        core::ptr::eq(a.0.as_ptr(), b.0.as_ptr())
    }

    /// A block of the entries `iter` yields (at least one, strictly
    /// ascending), in one allocation when the iterator's length is exact
    /// (as a `map` over a slice's iterator is).
    #[inline]
    pub(crate) fn from_exact(iter: impl ExactSizeIterator<Item = (K, V)>) -> Self {
        debug_assert!(iter.len() > 0);
        Block(P::slice_from_iter(iter))
    }

    /// Reads the block's header, so that its first cache line is on its
    /// way before the block is read.
    #[inline]
    pub(crate) fn touch(&self) {
        core::hint::black_box(P::slice_touch(&self.0));
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    #[inline]
    pub(crate) fn entries(&self) -> &[(K, V)] {
        &self.0
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
}

impl<K: Clone, V: Clone, P: PointerKind> Block<K, V, P> {
    /// A block of clones of `entries` (at least one, strictly ascending).
    #[inline]
    fn cloned<'a>(entries: impl Iterator<Item = &'a (K, V)>) -> Self
    where
        K: 'a,
        V: 'a,
    {
        Block(P::slice_from_iter(entries.cloned()))
    }

    /// A block of clones of `run`, or `None` for an empty run.
    #[inline]
    pub(crate) fn of(run: &[(K, V)]) -> Option<Self> {
        (!run.is_empty()).then(|| Self::cloned(run.iter()))
    }

    /// The entries, mutably: cloned first into a block of their own if the
    /// block is shared.
    #[inline]
    pub(crate) fn entries_mut(&mut self) -> &mut [(K, V)] {
        P::slice_make_mut(&mut self.0)
    }

    /// A new block without the entry at `index` (`None` if it was the only
    /// one), and that entry, all cloned. Requires: `index < len`.
    pub(crate) fn removed(&self, index: usize) -> (Option<Self>, (K, V)) {
        let (before, after) = self.0.split_at(index);
        let rest = (self.len() > 1).then(|| Self::cloned(before.iter().chain(&after[1..])));
        (rest, after[0].clone())
    }

    /// The block cut before `index` into two new blocks (`None` for an
    /// empty side), cloned.
    pub(crate) fn split(&self, index: usize) -> (Option<Self>, Option<Self>) {
        let (below, above) = self.0.split_at(index);
        (Self::of(below), Self::of(above))
    }

    /// The block of `left`, then `entry`, then `right`, cloned but for
    /// `entry`. Requires: every key of `left` below the entry's, every key
    /// of `right` above it.
    pub(crate) fn joined(left: &[(K, V)], entry: (K, V), right: &[(K, V)]) -> Self {
        Block(P::slice_from_iter(
            left.iter()
                .cloned()
                .chain(iter::once(entry))
                .chain(right.iter().cloned()),
        ))
    }

    /// The entries of `left`, `middle` and `right`, in that order, without
    /// the one at `skip` (counting through all three), as a new block,
    /// cloned: a node's two runs and its own entry merged as one of them is
    /// removed. Requires: at least two entries in all, `skip` among them.
    pub(crate) fn merged_without(
        left: &[(K, V)],
        middle: &(K, V),
        right: &[(K, V)],
        skip: usize,
    ) -> Self {
        let middle = iter::once(middle);
        let entries = match skip.cmp(&left.len()) {
            core::cmp::Ordering::Less => {
                let (before, after) = left.split_at(skip);
                P::slice_from_iter(
                    before
                        .iter()
                        .chain(&after[1..])
                        .chain(middle)
                        .chain(right)
                        .cloned(),
                )
            }
            core::cmp::Ordering::Equal => P::slice_from_iter(left.iter().chain(right).cloned()),
            core::cmp::Ordering::Greater => {
                let (before, after) = right.split_at(skip - left.len() - 1);
                P::slice_from_iter(
                    left.iter()
                        .chain(middle)
                        .chain(before)
                        .chain(&after[1..])
                        .cloned(),
                )
            }
        };
        Block(entries)
    }
}
