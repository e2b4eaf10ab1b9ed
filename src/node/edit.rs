//! In-place insert and remove on `&mut Tree`, copying shared nodes on the
//! path (path copying) and modifying unique ones where they are.
//!
//! Both run in two phases. Going down, they call `Ord` (insert) and make
//! every node they will change unique; a panic there leaves the tree meaning
//! what it meant. Coming back up, they fix sizes, heights and balance and call
//! no user code at all. Where a subtree's height did not change, the upward
//! pass only adjusts sizes: the seeds' early stop.

use core::cmp::Ordering;
use core::mem;

use super::{Link, Node, Tree, leaf, make_rotation_unique, rebalance, size};
use crate::ptr::PointerKind;

/// Inserts `key` where `nav` leads: `Less` goes left, `Greater` right,
/// `Equal` replaces the value there (and the key too, when `replace_key`).
///
/// Returns `Ok(grew)`, whether the height grew, or `Err((key, value))` with
/// the key not stored and the value replaced.
fn insert_rec<K, V, P, F>(
    slot: &mut Tree<K, V, P>,
    key: K,
    value: V,
    replace_key: bool,
    nav: &mut F,
) -> Result<bool, (K, V)>
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    F: FnMut(&Node<K, V, P>, &K) -> Ordering,
{
    let Some(link) = slot else {
        *slot = Some(leaf(key, value));
        return Ok(true);
    };
    let direction = nav(link, &key);
    let node = link.make_mut();
    let child = match direction {
        Ordering::Less => &mut node.left,
        Ordering::Greater => &mut node.right,
        Ordering::Equal => {
            let old_value = mem::replace(&mut node.value, value);
            let key = if replace_key {
                mem::replace(&mut node.key, key)
            } else {
                key
            };
            return Err((key, old_value));
        }
    };
    if !insert_rec(child, key, value, replace_key, nav)? {
        node.add_size(true);
        return Ok(false);
    }
    let before = node.height();
    rebalance(link);
    Ok(link.height() > before)
}

/// Inserts or replaces by key. Returns `Some((key, old_value))` when the key
/// was present: the key not stored (the argument, or the old key when
/// `replace_key`) and the value replaced. O(log n).
pub(crate) fn insert_by_key<K, V, P>(
    root: &mut Tree<K, V, P>,
    key: K,
    value: V,
    replace_key: bool,
) -> Option<(K, V)>
where
    K: Ord + Clone,
    V: Clone,
    P: PointerKind,
{
    insert_rec(root, key, value, replace_key, &mut |node, key| {
        key.cmp(&node.key)
    })
    .err()
}

/// Inserts a new entry at in-order position `index`, calling no `Ord`.
///
/// Requires: `index <= size(root)`, and the key belongs between the entries
/// at `index - 1` and `index`. O(log n).
pub(crate) fn insert_at<K: Clone, V: Clone, P: PointerKind>(
    root: &mut Tree<K, V, P>,
    index: usize,
    key: K,
    value: V,
) {
    debug_assert!(index <= size(root));
    let mut index = index;
    let result = insert_rec(root, key, value, false, &mut |node, _| {
        let left = size(&node.left);
        if index <= left {
            Ordering::Less
        } else {
            index -= left + 1;
            Ordering::Greater
        }
    });
    debug_assert!(result.is_ok());
}

/// Removes the entry at `index`. Returns it and whether the height shrank,
/// or `None` (changing nothing) when `index >= size`.
fn remove_rec<K: Clone, V: Clone, P: PointerKind>(
    slot: &mut Tree<K, V, P>,
    index: usize,
) -> Option<(K, V, bool)> {
    let link = slot.as_mut()?;
    let node = link.make_mut();
    let left = size(&node.left);
    if index == left && (node.left.is_none() || node.right.is_none()) {
        // At most one child: it takes this node's place.
        let child = node.left.take().or_else(|| node.right.take());
        let old = mem::replace(slot, child)?;
        let (_, key, value, _) = old.into_node().into_parts();
        return Some((key, value, true));
    }
    let went_left = index < left;
    make_rotation_unique(node, went_left);
    let (key, value, shrank) = match index.cmp(&left) {
        Ordering::Less => remove_rec(&mut node.left, index)?,
        Ordering::Greater => remove_rec(&mut node.right, index - left - 1)?,
        Ordering::Equal => {
            // Two children: the successor takes this entry's place.
            let (key, value, shrank) = remove_rec(&mut node.right, 0)?;
            let key = mem::replace(&mut node.key, key);
            let value = mem::replace(&mut node.value, value);
            (key, value, shrank)
        }
    };
    if !shrank {
        node.add_size(false);
        return Some((key, value, false));
    }
    let before = node.height();
    rebalance(link);
    Some((key, value, link.height() < before))
}

/// Removes and returns the entry at in-order position `index`, or `None`
/// (changing nothing, allocating nothing) when `index >= size`. Calls no
/// `Ord`. O(log n); copies at most the path and two nodes beside each of its
/// levels when shared.
pub(crate) fn remove_at<K: Clone, V: Clone, P: PointerKind>(
    root: &mut Tree<K, V, P>,
    index: usize,
) -> Option<(K, V)> {
    if index >= size(root) {
        return None;
    }
    remove_rec(root, index).map(|(key, value, _)| (key, value))
}

/// The entry at `index`, its value made mutable by copying the shared nodes
/// on its path; `None`, copying nothing, when `index >= size`. O(log n).
pub(crate) fn get_at_mut<K: Clone, V: Clone, P: PointerKind>(
    root: &mut Tree<K, V, P>,
    index: usize,
) -> Option<(&K, &mut V)> {
    if index >= size(root) {
        return None;
    }
    let link: &mut Link<K, V, P> = root.as_mut()?;
    let node = link.make_mut();
    let left = size(&node.left);
    match index.cmp(&left) {
        Ordering::Less => get_at_mut(&mut node.left, index),
        Ordering::Equal => Some((&node.key, &mut node.value)),
        Ordering::Greater => get_at_mut(&mut node.right, index - left - 1),
    }
}
