//! Read-only descents: by key and by position. These are the only places,
//! with `split_key`, where the tree calls `Ord`.

use core::borrow::Borrow;
use core::cmp::Ordering;

use super::{Node, Tree, size};
use crate::ptr::PointerKind;

/// The node holding `key`, if any. O(log n) comparisons.
pub(crate) fn find<'a, K, V, P, Q>(tree: &'a Tree<K, V, P>, key: &Q) -> Option<&'a Node<K, V, P>>
where
    K: Borrow<Q>,
    Q: Ord + ?Sized,
    P: PointerKind,
{
    let mut cur = tree.as_deref();
    while let Some(node) = cur {
        cur = match key.cmp(node.key.borrow()) {
            Ordering::Less => node.left.as_deref(),
            Ordering::Greater => node.right.as_deref(),
            Ordering::Equal => return Some(node),
        };
    }
    None
}

/// Where `key` is: `Ok(index)` when present, `Err(index)` where it would be
/// inserted. O(log n) comparisons.
pub(crate) fn search<K, V, P, Q>(tree: &Tree<K, V, P>, key: &Q) -> Result<usize, usize>
where
    K: Borrow<Q>,
    Q: Ord + ?Sized,
    P: PointerKind,
{
    let mut cur = tree.as_deref();
    let mut before = 0;
    while let Some(node) = cur {
        cur = match key.cmp(node.key.borrow()) {
            Ordering::Less => node.left.as_deref(),
            Ordering::Greater => {
                before += size(&node.left) + 1;
                node.right.as_deref()
            }
            Ordering::Equal => return Ok(before + size(&node.left)),
        };
    }
    Err(before)
}

/// The node at in-order position `index`, if `index < size`. O(log n).
pub(crate) fn nth<K, V, P: PointerKind>(
    tree: &Tree<K, V, P>,
    mut index: usize,
) -> Option<&Node<K, V, P>> {
    let mut cur = tree.as_deref();
    while let Some(node) = cur {
        let left = size(&node.left);
        cur = match index.cmp(&left) {
            Ordering::Less => node.left.as_deref(),
            Ordering::Equal => return Some(node),
            Ordering::Greater => {
                index -= left + 1;
                node.right.as_deref()
            }
        };
    }
    None
}
