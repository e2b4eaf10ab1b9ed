//! Bulk construction from sorted entries, in O(n).

use alloc::vec::Vec;
use core::cmp::Ordering;

use super::{Tree, assemble};
use crate::ptr::PointerKind;

/// Sorts `entries` by key (stable) and keeps, of equal keys, the last entry,
/// as std's `BTreeMap::from_iter` does. O(n log n).
pub(crate) fn collect_sorted<K: Ord, V>(mut entries: Vec<(K, V)>) -> Vec<(K, V)> {
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    // `dedup_by` keeps the earlier of two equal neighbours; swapping moves
    // the later entry into the slot that is kept.
    entries.dedup_by(|later, kept| {
        let equal = later.0.cmp(&kept.0) == Ordering::Equal;
        if equal {
            core::mem::swap(later, kept);
        }
        equal
    });
    entries
}

/// A perfectly balanced tree of `entries`, which must be in strictly
/// ascending key order. O(n); allocates exactly n nodes.
pub(crate) fn build_sorted<K, V, P: PointerKind>(entries: Vec<(K, V)>) -> Tree<K, V, P> {
    let len = entries.len();
    build::<K, V, P>(&mut entries.into_iter(), len)
}

/// The next `n` entries as a tree whose two halves differ in size by at most
/// one, so in height by at most one (I3).
///
/// Nodes are allocated in key order: each one after its left subtree and
/// before its right, so an in-order walk of a built tree reads memory front
/// to back.
fn build<K, V, P: PointerKind>(
    entries: &mut impl Iterator<Item = (K, V)>,
    n: usize,
) -> Tree<K, V, P> {
    if n == 0 {
        return None;
    }
    let left_len = n / 2;
    let left = build::<K, V, P>(entries, left_len);
    let (key, value) = entries.next()?;
    let mut link = assemble(left, key, value, None);
    let right = build::<K, V, P>(entries, n - left_len - 1);
    if right.is_some() {
        let node = link.get_mut().expect("a node just made has no other owner");
        node.right = right;
        node.fix();
    }
    Some(link)
}
