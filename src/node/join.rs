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

use core::borrow::Borrow;
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

/// The subtree of `left` then `right`, with no entry between them.
///
/// Requires: every key of `left` below every key of `right`. Takes the
/// last entry out of `left` and joins with it: O(height(left) +
/// |height(left) - height(right)| + 1), calling no `Ord`.
pub(crate) fn join2<K: Clone, V: Clone, P: PointerKind>(
    left: Sub<K, V, P>,
    right: Sub<K, V, P>,
) -> Sub<K, V, P> {
    if right.is_empty() {
        return left;
    }
    match split_last(left) {
        Some((rest, last)) => join(rest, last, right),
        None => right,
    }
}

/// A subtree without its last entry, and that entry.
pub(crate) type Last<K, V, P> = (Sub<K, V, P>, (K, V));

/// The subtree without its last entry, and that entry; `None` for the empty
/// subtree. O(height), calling no `Ord`.
pub(crate) fn split_last<K: Clone, V: Clone, P: PointerKind>(
    sub: Sub<K, V, P>,
) -> Option<Last<K, V, P>> {
    match sub {
        Sub::Tree(None) => None,
        Sub::Block(block) => {
            let (rest, last) = block.removed(block.len() - 1);
            Some((Sub::from_block(rest), last))
        }
        Sub::Tree(Some(link)) => {
            let (left, entry, right) = link.into_node().into_parts();
            Some(match split_last(right) {
                None => (left, entry),
                Some((rest, last)) => (join(left, entry, rest), last),
            })
        }
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
pub(crate) struct Split<K, V, P: PointerKind> {
    pub(crate) below: Sub<K, V, P>,
    pub(crate) found: Option<(K, V)>,
    pub(crate) above: Sub<K, V, P>,
}

/// Splits `sub` at `key`. O(log n). A block whose keys all lie on one side
/// of `key` goes to that side whole, still shared.
pub(crate) fn split_key<K, V, P, Q>(sub: Sub<K, V, P>, key: &Q) -> Split<K, V, P>
where
    K: Borrow<Q> + Clone,
    V: Clone,
    P: PointerKind,
    Q: Ord + ?Sized,
{
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
            if found.is_none() && (at == 0 || at == entries.len()) {
                let (below, above) = if at == 0 {
                    (Sub::empty(), Sub::Block(block))
                } else {
                    (Sub::Block(block), Sub::empty())
                };
                return Split {
                    below,
                    found,
                    above,
                };
            }
            return Split {
                below: Sub::from_block(Block::of(&entries[..at])),
                above: Sub::from_block(Block::of(&entries[at + usize::from(found.is_some())..])),
                found,
            };
        }
    };
    let order = key.cmp(link.key().borrow());
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
