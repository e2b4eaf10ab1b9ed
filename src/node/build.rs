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
/// size 0), and, when there is more than one block, two vectors that it
/// frees before it returns.
///
/// The blocks are made first, all of them, then the nodes, both in key
/// order. So the nodes of a built tree lie together in memory, apart from
/// the blocks: the nodes a lookup passes through share pages and cache
/// lines, rather than each lying between two blocks. An in-order walk still
/// reads each of the two front to back.
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
    let built = if P::BLOCK == 0 {
        // No blocks to set apart: each node is made in turn.
        shape::<K, V, P>(&mut entries, len)
    } else {
        // Below a node, a block holds at least half the block size, rounded
        // down, and each block but the last is followed by a node's entry.
        let most = (len + 1) / (P::BLOCK / 2 + 1);
        let mut blocks = Vec::with_capacity(most);
        let mut middles = Vec::with_capacity(most);
        cut::<K, V, P>(&mut entries, len, &mut blocks, &mut middles);
        let mut parts = Cut {
            blocks: blocks.into_iter(),
            middles: middles.into_iter(),
        };
        shape::<K, V, P>(&mut parts, len)
    };
    match built {
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
/// a block if they fit in one, else a balanced tree shaped as
/// [`build_sorted`] shapes it, but with each block and node made in turn,
/// with no vector between: this builds the small subtrees of the set
/// operations. O(n).
pub(crate) fn sub_from_sorted<K, V, P: PointerKind>(entries: Vec<(K, V)>) -> Sub<K, V, P> {
    let len = entries.len();
    shape::<K, V, P>(&mut entries.into_iter(), len)
}

/// Where [`shape`] takes a subtree's blocks and its nodes' entries from, in
/// key order.
trait Parts<K, V, P: PointerKind> {
    /// The next block, of `n` entries (the empty subtree for none).
    fn block(&mut self, n: usize) -> Sub<K, V, P>;
    /// The next node's entry.
    fn middle(&mut self) -> Option<(K, V)>;
}

/// The entries themselves: each block is made when its turn comes.
impl<K, V, P: PointerKind> Parts<K, V, P> for vec::IntoIter<(K, V)> {
    #[inline]
    fn block(&mut self, n: usize) -> Sub<K, V, P> {
        run(self, n)
    }

    #[inline]
    fn middle(&mut self) -> Option<(K, V)> {
        self.next()
    }
}

/// The blocks, made beforehand by [`cut`], and the nodes' entries it set
/// aside.
struct Cut<K, V, P: PointerKind> {
    blocks: vec::IntoIter<Sub<K, V, P>>,
    middles: vec::IntoIter<(K, V)>,
}

impl<K, V, P: PointerKind> Parts<K, V, P> for Cut<K, V, P> {
    #[inline]
    fn block(&mut self, _: usize) -> Sub<K, V, P> {
        self.blocks.next().unwrap_or(Sub::empty())
    }

    #[inline]
    fn middle(&mut self) -> Option<(K, V)> {
        self.middles.next()
    }
}

/// Makes the blocks of a subtree of the next `n` entries into `blocks`, and
/// puts the entries of its nodes into `middles`, in key order: the
/// recursion of [`shape`], with no node made.
fn cut<K, V, P: PointerKind>(
    entries: &mut vec::IntoIter<(K, V)>,
    n: usize,
    blocks: &mut Vec<Sub<K, V, P>>,
    middles: &mut Vec<(K, V)>,
) {
    if n <= P::BLOCK {
        blocks.push(run(entries, n));
        return;
    }
    let left_len = n / 2;
    cut(entries, left_len, blocks, middles);
    middles.extend(entries.next());
    cut(entries, n - left_len - 1, blocks, middles);
}

/// A subtree of `n` entries taken from `parts`: a block if they fit in one,
/// else a node over two halves whose sizes differ by at most one, so whose
/// heights do too (the height built for a size grows with the size, one
/// step at a time): (I3). The shape depends on `n` alone.
///
/// Each node is made after its left subtree and before its right, so the
/// nodes lie in memory in key order.
fn shape<K, V, P: PointerKind>(parts: &mut impl Parts<K, V, P>, n: usize) -> Sub<K, V, P> {
    if n <= P::BLOCK {
        return parts.block(n);
    }
    let left_len = n / 2;
    let left = shape(parts, left_len);
    let Some(entry) = parts.middle() else {
        return left;
    };
    let mut link = assemble(left, entry, Sub::empty());
    let right = shape(parts, n - left_len - 1);
    if !right.is_empty() {
        let node = link.get_mut().expect("a node just made has no other owner");
        node.right = right;
        node.fix();
    }
    Sub::Tree(Some(link))
}
