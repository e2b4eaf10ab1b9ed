//! Join and split: the two operations the bulk algorithms are built from
//! ("Just Join for Parallel Ordered Sets", Blelloch, Ferizovic and Sun,
//! SPAA 2016; OCaml's `Map`).
//!
//! All of them take their trees by value: a unique node is reused in place, a
//! shared one is copied. A caller whose input must survive a panic (from
//! `Ord` or `Clone`) passes a clone of its root and keeps the original until
//! the result is ready.
//!
//! Blocks take part as subtrees of height 0: a split cuts a block in two,
//! and a join that would make a node over two blocks small enough to hold
//! together makes that one block instead ([`node_or_block`]), so repeated
//! splits and joins do not leave a trail of tiny blocks.

use core::cmp::Ordering;

use super::{Block, Sub, Tree, node_or_block, rebalance};
use crate::ptr::PointerKind;

/// The subtree of `left`, the entry, then `right`, for any two subtrees.
///
/// Requires: every key of `left` below the entry's, every key of `right`
/// above. Walks down the spine of the taller tree until the heights are
/// within one, then rebalances on the way up: O(|height(left) -
/// height(right)| + 1). The result is as tall as the taller input or one
/// taller.
pub(crate) fn join<K: Clone, V: Clone, P: PointerKind>(
    left: Sub<K, V, P>,
    entry: (K, V),
    right: Sub<K, V, P>,
) -> Sub<K, V, P> {
    let (hl, hr) = (left.height(), right.height());
    match (left, right) {
        (Sub::Tree(Some(mut link)), right) if hl > hr + 1 => {
            let node = link.make_mut();
            let spine = node.right.take();
            node.right = join(spine, entry, right);
            rebalance(&mut link);
            Sub::Tree(Some(link))
        }
        (left, Sub::Tree(Some(mut link))) if hr > hl + 1 => {
            let node = link.make_mut();
            let spine = node.left.take();
            node.left = join(left, entry, spine);
            rebalance(&mut link);
            Sub::Tree(Some(link))
        }
        (left, right) => node_or_block(left, entry, right),
    }
}

/// Splits `tree` into its first `index` entries and the rest, calling no
/// `Ord`. O(log n).
pub(crate) fn split_at<K: Clone, V: Clone, P: PointerKind>(
    tree: Tree<K, V, P>,
    index: usize,
) -> (Tree<K, V, P>, Tree<K, V, P>) {
    let (low, high) = split_sub_at(Sub::from_tree(tree), index);
    (low.into_tree(), high.into_tree())
}

fn split_sub_at<K: Clone, V: Clone, P: PointerKind>(
    sub: Sub<K, V, P>,
    index: usize,
) -> (Sub<K, V, P>, Sub<K, V, P>) {
    if index == 0 {
        return (Sub::empty(), sub);
    }
    if index >= sub.size() {
        return (sub, Sub::empty());
    }
    match sub {
        Sub::Block(block) => {
            let (low, high) = block.split(index);
            (Sub::from_block(low), Sub::from_block(high))
        }
        Sub::Tree(None) => (Sub::empty(), Sub::empty()),
        Sub::Tree(Some(link)) => {
            let (left, entry, right) = link.into_node().into_parts();
            let left_size = left.size();
            if index <= left_size {
                let (ll, lr) = split_sub_at(left, index);
                (ll, join(lr, entry, right))
            } else {
                let (rl, rr) = split_sub_at(right, index - left_size - 1);
                (join(left, entry, rl), rr)
            }
        }
    }
}

/// A subtree split at a key: the entries below it, the entry equal to it
/// (if any) and the entries above it.
struct Split<K, V, P: PointerKind> {
    below: Sub<K, V, P>,
    found: Option<(K, V)>,
    above: Sub<K, V, P>,
}

/// Splits `sub` at `key`. O(log n).
fn split_key<K: Ord + Clone, V: Clone, P: PointerKind>(
    sub: Sub<K, V, P>,
    key: &K,
) -> Split<K, V, P> {
    let link = match sub {
        Sub::Tree(Some(link)) => link,
        Sub::Tree(None) => {
            return Split {
                below: Sub::empty(),
                found: None,
                above: Sub::empty(),
            };
        }
        Sub::Block(block) => {
            let entries = block.entries();
            let (at, found) = match block.search(key) {
                Ok(at) => (at, Some(entries[at].clone())),
                Err(at) => (at, None),
            };
            return Split {
                below: Sub::from_block(Block::of(&entries[..at])),
                above: Sub::from_block(Block::of(&entries[at + usize::from(found.is_some())..])),
                found,
            };
        }
    };
    let order = key.cmp(link.key());
    let (left, entry, right) = link.into_node().into_parts();
    match order {
        Ordering::Less => {
            let split = split_key(left, key);
            Split {
                above: join(split.above, entry, right),
                ..split
            }
        }
        Ordering::Greater => {
            let split = split_key(right, key);
            Split {
                below: join(left, entry, split.below),
                ..split
            }
        }
        Ordering::Equal => Split {
            below: left,
            found: Some(entry),
            above: right,
        },
    }
}

/// Every entry of `a` and `b`. Where both hold a key, the result keeps
/// `a`'s key with `b`'s value, as std's `insert` and `append` do.
///
/// O(m log(n/m + 1)) for sizes m <= n: split `a` by `b`'s root, unite the
/// halves, join them back.
pub(crate) fn union<K: Ord + Clone, V: Clone, P: PointerKind>(
    a: Tree<K, V, P>,
    b: Tree<K, V, P>,
) -> Tree<K, V, P> {
    union_sub(Sub::from_tree(a), Sub::from_tree(b)).into_tree()
}

fn union_sub<K: Ord + Clone, V: Clone, P: PointerKind>(
    a: Sub<K, V, P>,
    b: Sub<K, V, P>,
) -> Sub<K, V, P> {
    if b.is_empty() {
        return a;
    }
    if a.is_empty() {
        return b;
    }
    let (bl, (key, value), br) = match b {
        Sub::Tree(Some(link)) => link.into_node().into_parts(),
        Sub::Tree(None) => return a,
        Sub::Block(block) => {
            // A block as a balanced tree: its middle entry over its halves.
            let entries = block.entries();
            let middle = entries.len() / 2;
            (
                Sub::from_block(Block::of(&entries[..middle])),
                entries[middle].clone(),
                Sub::from_block(Block::of(&entries[middle + 1..])),
            )
        }
    };
    let split = split_key(a, &key);
    let key = split.found.map_or(key, |(stored, _)| stored);
    let left = union_sub(split.below, bl);
    let right = union_sub(split.above, br);
    join(left, (key, value), right)
}
