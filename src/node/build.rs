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

impl Keep {
    /// Folds `later`, an entry with `kept`'s key that came after it, into
    /// `kept` as the rule says, leaving in `later` what is dropped.
    fn absorb<K, V>(self, kept: &mut (K, V), later: &mut (K, V)) {
        match self {
            Keep::LastEntry => core::mem::swap(later, kept),
            Keep::FirstKey => core::mem::swap(&mut later.1, &mut kept.1),
        }
    }
}

/// Keeps one entry of each run of equal keys in `entries` (sorted by key,
/// stably), as `keep` says. O(n).
pub(crate) fn dedup_sorted<K: Ord, V>(mut entries: Vec<(K, V)>, keep: Keep) -> Vec<(K, V)> {
    // `dedup_by` keeps the earlier of two equal neighbours; `absorb` moves
    // the later entry (or value) into the slot that is kept.
    entries.dedup_by(|later, kept| {
        let equal = later.0.cmp(&kept.0) == Ordering::Equal;
        if equal {
            keep.absorb(kept, later);
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
    match build_run(entries) {
        Sub::Tree(tree) => tree,
        Sub::Block(_) => None,
    }
}

/// The subtree of the entries `entries` yields, which must be in strictly
/// ascending key order: a block if they fit in one, else the tree
/// [`build_sorted`] builds, its blocks made first, then its nodes. O(n).
fn build_run<K, V, P: PointerKind>(mut entries: vec::IntoIter<(K, V)>) -> Sub<K, V, P> {
    let len = entries.len();
    if P::BLOCK == 0 {
        // No blocks to set apart: each node is made in turn.
        return shape::<K, V, P>(&mut entries, len);
    }
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
}

/// The tree of `below` and then `above`, each in strictly ascending key
/// order with every key of `below` under every key of `above`, without
/// copying them into one run: a node holding the first entry of `above`,
/// over the subtree [`build_sorted`] would build of `below` and the one of
/// the rest of `above`; or, where those two heights would differ by more
/// than one (the AVL rule), the tree of the two as one run. O(n).
///
/// When `below` holds half the entries, rounded down, the tree has the
/// shape [`build_sorted`] gives them all.
#[cfg(feature = "rayon")]
pub(crate) fn build_pair<K, V, P: PointerKind>(
    below: Vec<(K, V)>,
    above: Vec<(K, V)>,
) -> Tree<K, V, P> {
    let (m, n) = (below.len(), above.len());
    if m == 0 || n == 0 || built_height::<P>(m).abs_diff(built_height::<P>(n - 1)) > 1 {
        let mut all = below;
        all.extend(above);
        return build_sorted(all);
    }
    let mut above = above.into_iter();
    let middle = above.next()?;
    let left = build_run(below.into_iter());
    debug_assert_eq!(left.height(), built_height::<P>(m));
    Some(assemble(left, middle, build_run(above)))
}

/// Where to cut two runs, each sorted by key, into a lower part and an
/// upper one, so that every key of the lower part is under every key of the
/// upper one and each part holds about half of the entries: `(i, j)` for
/// `lower[..i]` and `upper[..j]` below. O(log n) comparisons.
#[cfg(feature = "rayon")]
pub(crate) fn halving_cut<K: Ord, V>(lower: &[(K, V)], upper: &[(K, V)]) -> (usize, usize) {
    // The k smallest entries of the two are `lower[..i]` and
    // `upper[..k - i]` for the least `i` whose `lower[i]` is not under
    // `upper[k - i - 1]`: a binary search.
    let k = usize::midpoint(lower.len(), upper.len());
    let (mut from, mut to) = (k.saturating_sub(upper.len()), k.min(lower.len()));
    while from < to {
        let i = from + (to - from) / 2;
        if lower[i].0.cmp(&upper[k - i - 1].0) == Ordering::Less {
            from = i + 1;
        } else {
            to = i;
        }
    }
    // Every entry of the pivot's key goes to the upper part.
    let pivot = match (lower.get(from), upper.get(k - from)) {
        (Some(a), Some(b)) => core::cmp::min_by(a, b, |a, b| a.0.cmp(&b.0)),
        (Some(a), None) => a,
        (None, Some(b)) => b,
        (None, None) => return (lower.len(), upper.len()),
    };
    let under = |entry: &(K, V)| entry.0.cmp(&pivot.0) == Ordering::Less;
    (lower.partition_point(under), upper.partition_point(under))
}

/// The height of the subtree [`shape`] builds of `n` entries: 0 for a block
/// or nothing, else one more than that of its left half, the taller.
#[cfg(feature = "rayon")]
fn built_height<P: PointerKind>(mut n: usize) -> usize {
    let mut height = 0;
    while n > P::BLOCK {
        n /= 2;
        height += 1;
    }
    height
}

/// The entries of two runs sorted by key, `lower` and then `upper`, merged
/// in key order, stably (of equal keys, `lower`'s first), keeping one entry
/// of equal keys as `keep` says: what [`collect_sorted`] makes of `lower`
/// and `upper` one after the other. O(m + n), moving every entry once.
#[cfg(feature = "rayon")]
pub(crate) fn merge_sorted<K: Ord, V>(
    mut lower: impl ExactSizeIterator<Item = (K, V)>,
    mut upper: impl ExactSizeIterator<Item = (K, V)>,
    keep: Keep,
) -> Vec<(K, V)> {
    let mut out: Vec<(K, V)> = Vec::with_capacity(lower.len() + upper.len());
    let (mut a, mut b) = (lower.next(), upper.next());
    loop {
        let mut entry = match (a.take(), b.take()) {
            (Some(x), Some(y)) => {
                if y.0.cmp(&x.0) == Ordering::Less {
                    a = Some(x);
                    b = upper.next();
                    y
                } else {
                    b = Some(y);
                    a = lower.next();
                    x
                }
            }
            (Some(x), None) => {
                a = lower.next();
                x
            }
            (None, Some(y)) => {
                b = upper.next();
                y
            }
            (None, None) => return out,
        };
        match out.last_mut() {
            Some(last) if last.0.cmp(&entry.0) == Ordering::Equal => keep.absorb(last, &mut entry),
            _ => out.push(entry),
        }
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
