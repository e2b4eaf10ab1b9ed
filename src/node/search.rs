//! Read-only descents: by key, to a key's neighbours and by position.
//! These are the only places, with `split_key` and the edits' navigation,
//! where the tree calls `Ord`.

use core::borrow::Borrow;
use core::cmp::Ordering;

use super::{Sub, Tree};
use crate::ptr::PointerKind;

/// The subtree to descend into first: the root, as a borrowed subtree.
enum Cursor<'a, K, V, P: PointerKind> {
    Node(&'a super::Node<K, V, P>),
    Block(&'a [(K, V)]),
    Empty,
}

#[inline]
fn root<K, V, P: PointerKind>(tree: &Tree<K, V, P>) -> Cursor<'_, K, V, P> {
    tree.as_deref().map_or(Cursor::Empty, Cursor::Node)
}

#[inline]
fn down<K, V, P: PointerKind>(sub: &Sub<K, V, P>) -> Cursor<'_, K, V, P> {
    match sub {
        Sub::Tree(Some(link)) => Cursor::Node(link),
        Sub::Tree(None) => Cursor::Empty,
        Sub::Block(block) => Cursor::Block(block.entries()),
    }
}

/// The entry with `key`, if any. O(log n) comparisons.
pub(crate) fn find<'a, K, V, P, Q>(tree: &'a Tree<K, V, P>, key: &Q) -> Option<&'a (K, V)>
where
    K: Borrow<Q>,
    Q: Ord + ?Sized,
    P: PointerKind,
{
    find_from(root(tree), key)
}

/// The entry with `key` in the subtree of `node`, if any. O(log n)
/// comparisons.
pub(crate) fn find_in<'a, K, V, P, Q>(node: &'a super::Node<K, V, P>, key: &Q) -> Option<&'a (K, V)>
where
    K: Borrow<Q>,
    Q: Ord + ?Sized,
    P: PointerKind,
{
    find_from(Cursor::Node(node), key)
}

#[inline]
fn find_from<'a, K, V, P, Q>(mut cur: Cursor<'a, K, V, P>, key: &Q) -> Option<&'a (K, V)>
where
    K: Borrow<Q>,
    Q: Ord + ?Sized,
    P: PointerKind,
{
    loop {
        match cur {
            Cursor::Node(node) => {
                cur = match key.cmp(node.key().borrow()) {
                    Ordering::Less => down(&node.left),
                    Ordering::Greater => down(&node.right),
                    Ordering::Equal => return Some(&node.entry),
                };
            }
            Cursor::Block(entries) => {
                let at = entries
                    .binary_search_by(|(k, _)| k.borrow().cmp(key))
                    .ok()?;
                return entries.get(at);
            }
            Cursor::Empty => return None,
        }
    }
}

/// Which neighbour of a key [`neighbour`] finds.
#[derive(Clone, Copy)]
pub(crate) enum Side {
    /// The entry with the greatest key strictly below.
    Below,
    /// The entry with the least key strictly above.
    Above,
}

/// The nearest entry on `side` of `key`, if any. One walk down, which
/// remembers the last node it passed that lies on that side: everything
/// below that node on the way is nearer to `key`. O(log n) comparisons.
pub(crate) fn neighbour<'a, K, V, P, Q>(
    tree: &'a Tree<K, V, P>,
    key: &Q,
    side: Side,
) -> Option<&'a (K, V)>
where
    K: Borrow<Q>,
    Q: Ord + ?Sized,
    P: PointerKind,
{
    let mut cur = root(tree);
    let mut nearest = None;
    loop {
        match cur {
            Cursor::Node(node) => {
                let order = node.key().borrow().cmp(key);
                cur = match (side, order) {
                    (Side::Below, Ordering::Less) => {
                        nearest = Some(&node.entry);
                        down(&node.right)
                    }
                    (Side::Below, _) => down(&node.left),
                    (Side::Above, Ordering::Greater) => {
                        nearest = Some(&node.entry);
                        down(&node.left)
                    }
                    (Side::Above, _) => down(&node.right),
                };
            }
            Cursor::Block(entries) => {
                let found = match side {
                    Side::Below => entries
                        .partition_point(|(k, _)| k.borrow() < key)
                        .checked_sub(1)
                        .and_then(|at| entries.get(at)),
                    Side::Above => entries.get(entries.partition_point(|(k, _)| k.borrow() <= key)),
                };
                return found.or(nearest);
            }
            Cursor::Empty => return nearest,
        }
    }
}

/// Where `key` is: `Ok(index)` when present, `Err(index)` where it would be
/// inserted. O(log n) comparisons.
pub(crate) fn search<K, V, P, Q>(tree: &Tree<K, V, P>, key: &Q) -> Result<usize, usize>
where
    K: Borrow<Q>,
    Q: Ord + ?Sized,
    P: PointerKind,
{
    let mut cur = root(tree);
    let mut before = 0;
    loop {
        match cur {
            Cursor::Node(node) => {
                cur = match key.cmp(node.key().borrow()) {
                    Ordering::Less => down(&node.left),
                    Ordering::Greater => {
                        before += node.left.size() + 1;
                        down(&node.right)
                    }
                    Ordering::Equal => return Ok(before + node.left.size()),
                };
            }
            Cursor::Block(entries) => {
                return entries
                    .binary_search_by(|(k, _)| k.borrow().cmp(key))
                    .map(|at| before + at)
                    .map_err(|at| before + at);
            }
            Cursor::Empty => return Err(before),
        }
    }
}

/// The entry at in-order position `index`, if `index < size`. O(log n).
pub(crate) fn nth<K, V, P: PointerKind>(tree: &Tree<K, V, P>, mut index: usize) -> Option<&(K, V)> {
    let mut cur = root(tree);
    loop {
        match cur {
            Cursor::Node(node) => {
                let left = node.left.size();
                cur = match index.cmp(&left) {
                    Ordering::Less => down(&node.left),
                    Ordering::Equal => return Some(&node.entry),
                    Ordering::Greater => {
                        index -= left + 1;
                        down(&node.right)
                    }
                };
            }
            Cursor::Block(entries) => return entries.get(index),
            Cursor::Empty => return None,
        }
    }
}
