//! Join and split: the two operations the bulk algorithms are built from
//! ("Just Join for Parallel Ordered Sets", Blelloch, Ferizovic and Sun,
//! SPAA 2016; OCaml's `Map`).
//!
//! All of them take their trees by value: a unique node is reused in place, a
//! shared one is copied. A caller whose input must survive a panic (from
//! `Ord` or `Clone`) passes a clone of its root and keeps the original until
//! the result is ready.

use core::cmp::Ordering;

use super::{Link, Tree, create, height, rebalance, size};
use crate::ptr::PointerKind;

/// The tree of `left`, the entry, then `right`, for any two AVL trees.
///
/// Requires: every key of `left` below `key`, every key of `right` above.
/// Walks down the spine of the taller tree until the heights are within one,
/// then rebalances on the way up: O(|height(left) - height(right)| + 1).
pub(crate) fn join<K: Clone, V: Clone, P: PointerKind>(
    left: Tree<K, V, P>,
    key: K,
    value: V,
    right: Tree<K, V, P>,
) -> Link<K, V, P> {
    let (hl, hr) = (height(&left), height(&right));
    match (left, right) {
        (Some(mut link), right) if hl > hr + 1 => {
            let node = link.make_mut();
            let spine = node.right.take();
            node.right = Some(join(spine, key, value, right));
            rebalance(&mut link);
            link
        }
        (left, Some(mut link)) if hr > hl + 1 => {
            let node = link.make_mut();
            let spine = node.left.take();
            node.left = Some(join(left, key, value, spine));
            rebalance(&mut link);
            link
        }
        (left, right) => create(left, key, value, right),
    }
}

/// Splits `tree` into its first `index` entries and the rest, calling no
/// `Ord`. O(log n).
pub(crate) fn split_at<K: Clone, V: Clone, P: PointerKind>(
    tree: Tree<K, V, P>,
    index: usize,
) -> (Tree<K, V, P>, Tree<K, V, P>) {
    if index == 0 {
        return (None, tree);
    }
    if index >= size(&tree) {
        return (tree, None);
    }
    let Some(link) = tree else {
        return (None, None);
    };
    let (left, key, value, right) = link.into_node().into_parts();
    let left_size = size(&left);
    if index <= left_size {
        let (ll, lr) = split_at(left, index);
        (ll, Some(join(lr, key, value, right)))
    } else {
        let (rl, rr) = split_at(right, index - left_size - 1);
        (Some(join(left, key, value, rl)), rr)
    }
}

/// A tree split at a key: the entries below it, the entry equal to it (if
/// any) and the entries above it.
struct Split<K, V, P: PointerKind> {
    below: Tree<K, V, P>,
    found: Option<(K, V)>,
    above: Tree<K, V, P>,
}

/// Splits `tree` at `key`. O(log n).
fn split_key<K: Ord + Clone, V: Clone, P: PointerKind>(
    tree: Tree<K, V, P>,
    key: &K,
) -> Split<K, V, P> {
    let Some(link) = tree else {
        return Split {
            below: None,
            found: None,
            above: None,
        };
    };
    let order = key.cmp(&link.key);
    let (left, k, v, right) = link.into_node().into_parts();
    match order {
        Ordering::Less => {
            let split = split_key(left, key);
            Split {
                above: Some(join(split.above, k, v, right)),
                ..split
            }
        }
        Ordering::Greater => {
            let split = split_key(right, key);
            Split {
                below: Some(join(left, k, v, split.below)),
                ..split
            }
        }
        Ordering::Equal => Split {
            below: left,
            found: Some((k, v)),
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
    let Some(b_root) = b else {
        return a;
    };
    if a.is_none() {
        return Some(b_root);
    }
    let (bl, key, value, br) = b_root.into_node().into_parts();
    let split = split_key(a, &key);
    let key = split.found.map_or(key, |(stored, _)| stored);
    let left = union(split.below, bl);
    let right = union(split.above, br);
    Some(join(left, key, value, right))
}
