//! Trees as numbered parts, for saving many versions with each node and
//! block written once, and for rebuilding them with their sharing.
//!
//! A part is one node (its entry and the numbers of its two subtrees) or
//! one block (its entries). [`PartTable`] numbers the distinct nodes and blocks
//! of any number of trees, children before parents, so a part refers only
//! to parts before it; a tree is then the number of its root. Number 0 is
//! the empty subtree and part `i` of the list has number `i + 1`.
//!
//! [`Rebuild`] takes the parts back in the same order and checks every
//! invariant of the node module as it goes (keys in order, the AVL rule,
//! block sizes; heights and sizes are computed, never read), so that parts
//! from an untrusted file make valid trees or an error, never a panic. The
//! checks are local to each part, which is enough: a tree is valid when
//! each of its nodes is valid over valid subtrees.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use super::{Block, Link, Sub, Tree, create};
use crate::ptr::PointerKind;

/// One part, borrowed from a tree being saved.
pub(crate) enum PartRef<'a, K, V> {
    /// A block's entries, in order.
    Block(&'a [(K, V)]),
    /// A node: the numbers of its left subtree, its entry, and the number of
    /// its right subtree.
    Node(usize, &'a (K, V), usize),
}

/// One part, read back: entries of type `E` (a map's `(K, V)`, or a set's
/// element).
pub(crate) enum SavedPart<E> {
    /// A block's entries.
    Block(Vec<E>),
    /// A node: its left subtree's number, its entry, its right subtree's.
    Node(usize, E, usize),
}

/// The distinct nodes and blocks of the trees added so far, numbered
/// children first.
pub(crate) struct PartTable<'a, K, V> {
    list: Vec<PartRef<'a, K, V>>,
    /// The number of each node or block seen, by its allocation's address.
    seen: BTreeMap<usize, usize>,
}

impl<'a, K, V> PartTable<'a, K, V> {
    pub(crate) fn new() -> Self {
        PartTable {
            list: Vec::new(),
            seen: BTreeMap::new(),
        }
    }

    /// Numbers the nodes and blocks of `tree` not seen before and returns
    /// the number of its root (0 if empty). O(m log p) for m new parts
    /// among p; a subtree seen before costs O(log p), however large.
    pub(crate) fn add<P: PointerKind>(&mut self, tree: &'a Tree<K, V, P>) -> usize {
        tree.as_ref().map_or(0, |link| self.add_node(link))
    }

    fn add_node<P: PointerKind>(&mut self, link: &'a Link<K, V, P>) -> usize {
        let node: &'a super::Node<K, V, P> = link;
        let address = core::ptr::from_ref(node).addr();
        if let Some(&number) = self.seen.get(&address) {
            return number;
        }
        let left = self.add_sub(&node.left);
        let right = self.add_sub(&node.right);
        self.push(address, PartRef::Node(left, &node.entry, right))
    }

    fn add_sub<P: PointerKind>(&mut self, sub: &'a Sub<K, V, P>) -> usize {
        match sub {
            Sub::Tree(tree) => self.add(tree),
            Sub::Block(block) => {
                let entries = block.entries();
                let address = entries.as_ptr().addr();
                match self.seen.get(&address) {
                    Some(&number) => number,
                    None => self.push(address, PartRef::Block(entries)),
                }
            }
        }
    }

    fn push(&mut self, address: usize, part: PartRef<'a, K, V>) -> usize {
        self.list.push(part);
        let number = self.list.len();
        self.seen.insert(address, number);
        number
    }

    /// The parts, in the order they were numbered.
    pub(crate) fn list(&self) -> &[PartRef<'a, K, V>] {
        &self.list
    }
}

/// Why saved parts do not make valid trees.
pub(crate) type Invalid = &'static str;

/// Trees rebuilt from their parts, one part at a time.
pub(crate) struct Rebuild<K, V, P: PointerKind> {
    built: Vec<Sub<K, V, P>>,
}

impl<K: Ord, V, P: PointerKind> Rebuild<K, V, P> {
    pub(crate) fn new() -> Self {
        Rebuild { built: Vec::new() }
    }

    /// Makes the next part, checking it. O(B) for a block of B entries,
    /// O(log n) for a node (to find the keys it must lie between).
    pub(crate) fn push(&mut self, part: SavedPart<(K, V)>) -> Result<(), Invalid> {
        let sub = match part {
            SavedPart::Block(entries) => {
                if entries.len() > P::BLOCK {
                    return Err("a block holds more entries than the block size");
                }
                if entries.windows(2).any(|w| w[0].0 >= w[1].0) {
                    return Err("a block's keys are not strictly ascending");
                }
                Sub::Block(Block::from_vec(entries).ok_or("a block is empty")?)
            }
            SavedPart::Node(left, entry, right) => {
                let left = self.get(left)?;
                let right = self.get(right)?;
                if left.height().abs_diff(right.height()) > 1 {
                    return Err("a node's subtrees differ in height by more than one");
                }
                let below = last_key(&left).is_none_or(|key| key < &entry.0);
                let above = first_key(&right).is_none_or(|key| key > &entry.0);
                if !(below && above) {
                    return Err("a node's key is not between its subtrees' keys");
                }
                Sub::Tree(Some(create(left, entry, right)))
            }
        };
        self.built.push(sub);
        Ok(())
    }

    /// The subtree numbered `number`, among the parts made so far.
    fn get(&self, number: usize) -> Result<Sub<K, V, P>, Invalid> {
        match number.checked_sub(1) {
            None => Ok(Sub::Tree(None)),
            Some(at) => self
                .built
                .get(at)
                .cloned()
                .ok_or("a part refers to a part not before it"),
        }
    }

    /// The tree whose root is part `number`: a node, or 0 for the empty
    /// tree. O(1).
    pub(crate) fn tree(&self, number: usize) -> Result<Tree<K, V, P>, Invalid> {
        match self.get(number)? {
            Sub::Tree(tree) => Ok(tree),
            Sub::Block(_) => Err("a version's root is a block, not a node"),
        }
    }
}

/// The smallest key of a subtree. O(log n).
fn first_key<K, V, P: PointerKind>(sub: &Sub<K, V, P>) -> Option<&K> {
    match sub {
        Sub::Block(block) => block.entries().first().map(|(key, _)| key),
        Sub::Tree(None) => None,
        Sub::Tree(Some(node)) => first_key(&node.left).or(Some(&node.entry.0)),
    }
}

/// The largest key of a subtree. O(log n).
fn last_key<K, V, P: PointerKind>(sub: &Sub<K, V, P>) -> Option<&K> {
    match sub {
        Sub::Block(block) => block.entries().last().map(|(key, _)| key),
        Sub::Tree(None) => None,
        Sub::Tree(Some(node)) => last_key(&node.right).or(Some(&node.entry.0)),
    }
}
