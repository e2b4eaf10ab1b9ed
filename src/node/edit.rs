//! Single-entry insert and remove on `&mut Tree`: in place where this
//! version owns the nodes alone, by copying the path where they are shared.
//!
//! A descent modifies unique nodes where they are. At the first shared node
//! it switches to copying: below that point every node is reachable from
//! another version, so each node on the path is rebuilt from its copied child
//! and its untouched one (the sibling gains one reference; nothing is counted
//! twice), and nothing already there is changed. The copy replaces the
//! shared node only once it is complete.
//!
//! Panics: on unique nodes all user code runs going down (`Ord`) or before
//! anything changes (`Clone` of the siblings a remove may rotate, made
//! unique first); coming back up fixes sizes, heights and balance and calls
//! no user code. The copying part changes nothing until it is installed. So
//! a panic anywhere leaves the tree meaning what it meant.
//!
//! Where a subtree's height did not change, the way up only adjusts sizes:
//! the seeds' early stop.

use core::borrow::Borrow;
use core::cmp::Ordering;
use core::mem;

use super::{Link, Node, Tree, assemble, leaf, make_rotation_unique, rebalance, size};
use crate::ptr::PointerKind;

/// What an insert did below a node.
enum Inserted<K, V> {
    /// Added an entry; `grew` when the subtree got taller.
    New { grew: bool },
    /// The key was present: the key not stored and the value replaced.
    Replaced(K, V),
}

/// Inserts `key` where `nav` leads: `Less` goes left, `Greater` right,
/// `Equal` replaces the value there (and the key too, when `replace_key`).
fn insert_rec<K, V, P, F>(
    slot: &mut Tree<K, V, P>,
    key: K,
    value: V,
    replace_key: bool,
    nav: &mut F,
) -> Inserted<K, V>
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    F: FnMut(&Node<K, V, P>, &K) -> Ordering,
{
    let Some(link) = slot else {
        *slot = Some(leaf(key, value));
        return Inserted::New { grew: true };
    };
    let direction = nav(link, &key);
    let Some(node) = link.get_mut() else {
        let (copy, outcome) = insert_copy(link, direction, key, value, replace_key, nav);
        *link = copy;
        return outcome;
    };
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
            return Inserted::Replaced(key, old_value);
        }
    };
    match insert_rec(child, key, value, replace_key, nav) {
        Inserted::New { grew: false } => {
            node.add_size(true);
            Inserted::New { grew: false }
        }
        Inserted::New { grew: true } => {
            let before = node.height();
            rebalance(link);
            Inserted::New {
                grew: link.height() > before,
            }
        }
        replaced @ Inserted::Replaced(..) => replaced,
    }
}

/// The copying half of [`insert_rec`]: a new subtree equal to the shared
/// `node`'s plus the entry, which `direction` (from `nav`) places.
fn insert_copy<K, V, P, F>(
    node: &Node<K, V, P>,
    direction: Ordering,
    key: K,
    value: V,
    replace_key: bool,
    nav: &mut F,
) -> (Link<K, V, P>, Inserted<K, V>)
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    F: FnMut(&Node<K, V, P>, &K) -> Ordering,
{
    let (left, right, outcome) = match direction {
        Ordering::Less => {
            touch(&node.right);
            let (left, outcome) = insert_below(&node.left, key, value, replace_key, nav);
            (Some(left), node.right.clone(), outcome)
        }
        Ordering::Greater => {
            touch(&node.left);
            let (right, outcome) = insert_below(&node.right, key, value, replace_key, nav);
            (node.left.clone(), Some(right), outcome)
        }
        Ordering::Equal => {
            let (stored, returned) = if replace_key {
                (key, node.key.clone())
            } else {
                (node.key.clone(), key)
            };
            let copy = assemble(node.left.clone(), stored, value, node.right.clone());
            return (copy, Inserted::Replaced(returned, node.value.clone()));
        }
    };
    let mut copy = assemble(left, node.key.clone(), node.value.clone(), right);
    let outcome = match outcome {
        Inserted::New { grew: true } => {
            rebalance(&mut copy);
            Inserted::New {
                grew: copy.height() > node.height(),
            }
        }
        other => other,
    };
    (copy, outcome)
}

/// Reads the root of `sibling`, the subtree a copy will share, on the way
/// down: its cache line then arrives while the descent goes on, so that the
/// reference count taken on it on the way up (an atomic, which would wait
/// for a miss and stall everything behind it) finds it in cache.
#[inline]
fn touch<K, V, P: PointerKind>(sibling: &Tree<K, V, P>) {
    core::hint::black_box(super::height(sibling));
}

/// [`touch`] for a remove going down `path`: the sibling, and when it is the
/// taller (a rotation on the way up may copy it, taking references on its
/// children) its children too.
#[inline]
fn touch_for_remove<K, V, P: PointerKind>(sibling: &Tree<K, V, P>, path: &Tree<K, V, P>) {
    if let Some(node) = sibling
        && node.height() > super::height(path)
    {
        touch(&node.left);
        touch(&node.right);
    }
}

/// [`insert_copy`] into the shared subtree `child`, or a new leaf where it
/// is empty.
fn insert_below<K, V, P, F>(
    child: &Tree<K, V, P>,
    key: K,
    value: V,
    replace_key: bool,
    nav: &mut F,
) -> (Link<K, V, P>, Inserted<K, V>)
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    F: FnMut(&Node<K, V, P>, &K) -> Ordering,
{
    match child {
        Some(child) => {
            let direction = nav(child, &key);
            insert_copy(child, direction, key, value, replace_key, nav)
        }
        None => (leaf(key, value), Inserted::New { grew: true }),
    }
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
    match insert_rec(root, key, value, replace_key, &mut |node, key| {
        key.cmp(&node.key)
    }) {
        Inserted::Replaced(key, value) => Some((key, value)),
        Inserted::New { .. } => None,
    }
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
    let outcome = insert_rec(root, key, value, false, &mut |node, _| {
        let left = size(&node.left);
        if index <= left {
            Ordering::Less
        } else {
            index -= left + 1;
            Ordering::Greater
        }
    });
    debug_assert!(matches!(outcome, Inserted::New { .. }));
}

/// An entry taken out of a subtree, and what is left of it.
struct Removed<K, V, P: PointerKind> {
    tree: Tree<K, V, P>,
    shrank: bool,
    key: K,
    value: V,
}

/// Removes the entry at `index`. Returns it and whether the height shrank,
/// or `None` (changing nothing) when `index >= size`.
fn remove_rec<K: Clone, V: Clone, P: PointerKind>(
    slot: &mut Tree<K, V, P>,
    index: usize,
) -> Option<(K, V, bool)> {
    let link = slot.as_mut()?;
    let Some(node) = link.get_mut() else {
        let removed = remove_copy(link, &mut to_index(index))?;
        *slot = removed.tree;
        return Some((removed.key, removed.value, removed.shrank));
    };
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

/// The copying half of [`remove_rec`]: the shared `node`'s subtree without
/// the entry `nav` leads to (`Less` left, `Greater` right, `Equal` here),
/// which is returned cloned. Copies the path, and the nodes a rebalancing
/// rotation moves. `None`, copying nothing, when `nav` leads off the tree.
fn remove_copy<K, V, P, F>(node: &Node<K, V, P>, nav: &mut F) -> Option<Removed<K, V, P>>
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    F: FnMut(&Node<K, V, P>) -> Ordering,
{
    match nav(node) {
        Ordering::Less => {
            touch_for_remove(&node.right, &node.left);
            let below = remove_copy(node.left.as_ref()?, nav)?;
            let copy = assemble(
                below.tree,
                node.key.clone(),
                node.value.clone(),
                node.right.clone(),
            );
            Some(finish_copy(
                node,
                copy,
                below.shrank,
                below.key,
                below.value,
            ))
        }
        Ordering::Greater => {
            touch_for_remove(&node.left, &node.right);
            let below = remove_copy(node.right.as_ref()?, nav)?;
            let copy = assemble(
                node.left.clone(),
                node.key.clone(),
                node.value.clone(),
                below.tree,
            );
            Some(finish_copy(
                node,
                copy,
                below.shrank,
                below.key,
                below.value,
            ))
        }
        Ordering::Equal => {
            let (key, value) = (node.key.clone(), node.value.clone());
            let Some(right) = node.right.as_ref().filter(|_| node.left.is_some()) else {
                // At most one child: it takes this node's place.
                let tree = node.left.clone().or_else(|| node.right.clone());
                return Some(Removed {
                    tree,
                    shrank: true,
                    key,
                    value,
                });
            };
            // Two children: the successor takes this entry's place.
            let successor = remove_copy(right, &mut leftmost)?;
            let copy = assemble(
                node.left.clone(),
                successor.key,
                successor.value,
                successor.tree,
            );
            Some(finish_copy(node, copy, successor.shrank, key, value))
        }
    }
}

/// A navigator to the smallest entry.
fn leftmost<K, V, P: PointerKind>(node: &Node<K, V, P>) -> Ordering {
    if node.left.is_some() {
        Ordering::Less
    } else {
        Ordering::Equal
    }
}

/// A navigator to in-order position `index`, counting down as it goes.
fn to_index<K, V, P: PointerKind>(mut index: usize) -> impl FnMut(&Node<K, V, P>) -> Ordering {
    move |node| {
        let left = size(&node.left);
        let order = index.cmp(&left);
        if order == Ordering::Greater {
            index -= left + 1;
        }
        order
    }
}

/// Rebalances `copy`, a copy of `node` one entry smaller, if its changed
/// child shrank, and packs up the result.
fn finish_copy<K: Clone, V: Clone, P: PointerKind>(
    node: &Node<K, V, P>,
    mut copy: Link<K, V, P>,
    child_shrank: bool,
    key: K,
    value: V,
) -> Removed<K, V, P> {
    let shrank = child_shrank && {
        rebalance(&mut copy);
        copy.height() < node.height()
    };
    Removed {
        tree: Some(copy),
        shrank,
        key,
        value,
    }
}

/// Removes `key` from a tree whose root other versions share, in one
/// descent: the copy is built on the way back up, so an absent key copies
/// nothing. Returns `Err(())` when the root is not shared: then the caller
/// searches first and removes in place with [`remove_at`]. O(log n).
pub(crate) fn remove_shared_by_key<K, V, P, Q>(
    root: &mut Tree<K, V, P>,
    key: &Q,
) -> Result<Option<(K, V)>, ()>
where
    K: Borrow<Q> + Clone,
    V: Clone,
    P: PointerKind,
    Q: Ord + ?Sized,
{
    let Some(link) = root.as_mut() else {
        return Ok(None);
    };
    if link.get_mut().is_some() {
        return Err(());
    }
    let Some(removed) = remove_copy(link, &mut |node| key.cmp(node.key.borrow())) else {
        return Ok(None);
    };
    *root = removed.tree;
    Ok(Some((removed.key, removed.value)))
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
