//! Bulk construction from sorted entries, in O(n).

use alloc::vec::{self, Vec};
use core::cmp::Ordering;

use super::{Block, Sub, Tree, assemble};
use crate::ptr::PointerKind;

/// Sorts `entries` by key (stable) and keeps one entry of equal keys as
/// `keep` says (`Keep::LastEntry` is std's `BTreeMap::from_iter`). O(n log n).
pub(crate) fn collect_sorted<K: Ord, V>(mut entries: Vec<(K, V)>, keep: Keep) -> Vec<(K, V)> {
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    dedup_sorted(entries, keep)
}

/// Which key a run of equal keys keeps; the value is always the last.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// The last entry, key and value: as std's `from_iter`.
    LastEntry,
    /// The first key with the last value: as std's `extend`, which
    /// inserts one by one, and `insert` keeps the key it finds.
    FirstKey,
}

/// Keeps one entry of each run of equal keys in `entries` (sorted by key,
/// stably), as `keep` says. O(n).
pub(crate) fn dedup_sorted<K: Ord, V>(mut entries: Vec<(K, V)>, keep: Keep) -> Vec<(K, V)> {
    // `dedup_by` keeps the earlier of two equal neighbours; swapping moves
    // the later entry (or value) into the slot that is kept.
    entries.dedup_by(|later, kept| {
        let equal = later.0.cmp(&kept.0) == Ordering::Equal;
        if equal {
            match keep {
                Keep::LastEntry => core::mem::swap(later, kept),
                Keep::FirstKey => core::mem::swap(&mut later.1, &mut kept.1),
            }
        }
        equal
    });
    entries
}

/// A balanced tree of `entries`, which must be in strictly ascending key
/// order: blocks filled to the block size, under nodes whose two halves
/// differ in size by at most one. O(n); allocates each node and each
/// non-empty block once, straight from `entries` (n nodes for blocks of
/// size 0).
pub(crate) fn build_sorted<K, V, P: PointerKind>(entries: Vec<(K, V)>) -> Tree<K, V, P> {
    let len = entries.len();
    let mut entries = entries.into_iter();
    if len <= P::BLOCK {
        // Too few for a node over blocks: a version's root is a node, so
        // the middle entry is one, over the halves as blocks.
        let lower = run(&mut entries, len / 2);
        let middle = entries.next()?;
        let upper = run(&mut entries, len - len / 2 - 1);
        return Some(assemble(lower, middle, upper));
    }
    match build::<K, V, P>(&mut entries, len) {
        Sub::Tree(tree) => tree,
        Sub::Block(_) => None,
    }
}

/// The next `n` entries as one block, or the empty subtree. One allocation:
/// a vector's iterator, taken n at a time, has a length std trusts, so the
/// block is made in place with no vector between.
fn run<K, V, P: PointerKind>(entries: &mut vec::IntoIter<(K, V)>, n: usize) -> Sub<K, V, P> {
    let run = entries.take(n);
    if run.len() == 0 {
        Sub::empty()
    } else {
        Sub::Block(Block::from_exact(run))
    }
}

/// A subtree of `entries`, which must be in strictly ascending key order:
/// a block if they fit in one, else a balanced tree as [`build_sorted`]
/// makes it. O(n).
pub(crate) fn sub_from_sorted<K, V, P: PointerKind>(entries: Vec<(K, V)>) -> Sub<K, V, P> {
    let len = entries.len();
    build::<K, V, P>(&mut entries.into_iter(), len)
}

/// The next `n` entries as a subtree: a block if they fit in one, else a
/// node over two halves whose sizes differ by at most one, so whose heights
/// do too (the height built for a size grows with the size, one step at a
/// time): (I3).
///
/// Nodes and blocks are allocated in key order: each node after its left
/// subtree and before its right, so an in-order walk of a built tree reads
/// memory front to back.
fn build<K, V, P: PointerKind>(entries: &mut vec::IntoIter<(K, V)>, n: usize) -> Sub<K, V, P> {
    if n <= P::BLOCK {
        return run(entries, n);
    }
    let left_len = n / 2;
    let left = build::<K, V, P>(entries, left_len);
    let Some(entry) = entries.next() else {
        return left;
    };
    let mut link = assemble(left, entry, Sub::empty());
    let right = build::<K, V, P>(entries, n - left_len - 1);
    if !right.is_empty() {
        let node = link.get_mut().expect("a node just made has no other owner");
        node.right = right;
        node.fix();
    }
    Sub::Tree(Some(link))
}
