//! Walking two versions side by side, skipping what they share.
//!
//! Each side is a stack of work in key order: subtrees not yet opened and
//! entries not yet compared, the next one on top. When both tops are the
//! same subtree (one pointer, so one content), both skip it whole, at any
//! depth and whatever the shapes around it. Otherwise the taller top subtree
//! is opened, so that a subtree shared at different depths in the two trees
//! comes to the top of both stacks at once: it starts where the other side's
//! top starts, so it lies on that top's left spine, and opening the taller
//! side walks down exactly that spine.
//!
//! Two versions that differ in d entries open O(d log n) nodes; two trees
//! that share nothing are merged in O(n + m).

use alloc::vec::Vec;
use core::cmp::Ordering;

use super::{Link, Node, Tree, height};
use crate::ptr::PointerKind;

/// One piece of work on a side.
enum Work<'a, K, V, P: PointerKind> {
    Subtree(&'a Link<K, V, P>),
    Entry(&'a Node<K, V, P>),
}

impl<K, V, P: PointerKind> Clone for Work<'_, K, V, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K, V, P: PointerKind> Copy for Work<'_, K, V, P> {}

impl<K, V, P: PointerKind> Work<'_, K, V, P> {
    /// The height of what is left to open: an entry is already open.
    fn height(self) -> usize {
        match self {
            Work::Subtree(link) => link.height(),
            Work::Entry(_) => 0,
        }
    }
}

/// The next unshared entry of each side, `None` for a side used up.
pub(crate) type Heads<'a, K, V, P> = (Option<&'a Node<K, V, P>>, Option<&'a Node<K, V, P>>);

/// Two in-order walks that skip their shared subtrees.
pub(crate) struct Zip<'a, K, V, P: PointerKind> {
    old: Vec<Work<'a, K, V, P>>,
    new: Vec<Work<'a, K, V, P>>,
    /// Nodes opened so far, on both sides: the walk's cost.
    opened: usize,
    /// Nodes skipped because both sides hold them.
    shared: usize,
}

impl<K, V, P: PointerKind> Clone for Zip<'_, K, V, P> {
    fn clone(&self) -> Self {
        Zip {
            old: self.old.clone(),
            new: self.new.clone(),
            opened: self.opened,
            shared: self.shared,
        }
    }
}

fn start<K, V, P: PointerKind>(tree: &Tree<K, V, P>) -> Vec<Work<'_, K, V, P>> {
    let mut stack = Vec::with_capacity(2 * height(tree) + 1);
    stack.extend(tree.as_ref().map(Work::Subtree));
    stack
}

/// Replaces the subtree on top of `stack` by its left subtree, entry and
/// right subtree, the left on top.
fn open<'a, K, V, P: PointerKind>(stack: &mut Vec<Work<'a, K, V, P>>, link: &'a Link<K, V, P>) {
    stack.pop();
    stack.extend(link.right.as_ref().map(Work::Subtree));
    stack.push(Work::Entry(link));
    stack.extend(link.left.as_ref().map(Work::Subtree));
}

impl<'a, K, V, P: PointerKind> Zip<'a, K, V, P> {
    pub(crate) fn new(old: &'a Tree<K, V, P>, new: &'a Tree<K, V, P>) -> Self {
        Zip {
            old: start(old),
            new: start(new),
            opened: 0,
            shared: 0,
        }
    }

    /// Nodes opened so far.
    pub(crate) fn opened(&self) -> usize {
        self.opened
    }

    /// Nodes skipped so far because both trees hold them.
    pub(crate) fn shared(&self) -> usize {
        self.shared
    }

    /// The next entries of each side that the two do not share, after
    /// skipping every subtree (and entry) found on top of both sides at
    /// once; `None` for a side that is used up. Leaves them on top: take
    /// them with [`pop_old`](Self::pop_old) and [`pop_new`](Self::pop_new).
    pub(crate) fn heads(&mut self) -> Heads<'a, K, V, P> {
        loop {
            let (old, new) = (self.old.last().copied(), self.new.last().copied());
            match (old, new) {
                (Some(Work::Subtree(a)), Some(Work::Subtree(b))) if Link::ptr_eq(a, b) => {
                    self.shared += a.size();
                    self.old.pop();
                    self.new.pop();
                }
                (Some(Work::Entry(a)), Some(Work::Entry(b))) if core::ptr::eq(a, b) => {
                    self.shared += 1;
                    self.old.pop();
                    self.new.pop();
                }
                (Some(Work::Entry(a)), Some(Work::Entry(b))) => return (Some(a), Some(b)),
                (Some(Work::Entry(a)), None) => return (Some(a), None),
                (None, Some(Work::Entry(b))) => return (None, Some(b)),
                (None, None) => return (None, None),
                (old, new) => {
                    // At least one top is an unopened subtree: open the
                    // taller (the old one on a tie).
                    let old_height = old.map_or(0, Work::height);
                    let new_height = new.map_or(0, Work::height);
                    self.opened += 1;
                    match (old, new) {
                        (Some(Work::Subtree(a)), _) if old_height >= new_height => {
                            open(&mut self.old, a);
                        }
                        (_, Some(Work::Subtree(b))) => open(&mut self.new, b),
                        (Some(Work::Subtree(a)), _) => open(&mut self.old, a),
                        _ => return (None, None),
                    }
                }
            }
        }
    }

    /// Takes the old side's head entry.
    pub(crate) fn pop_old(&mut self) {
        self.old.pop();
    }

    /// Takes the new side's head entry.
    pub(crate) fn pop_new(&mut self) {
        self.new.pop();
    }

    /// Whether the two trees hold equal entries in the same order, skipping
    /// what they share: sound because `Eq` is reflexive, so a shared entry
    /// equals itself. Consumes the walk.
    pub(crate) fn equal(mut self) -> bool
    where
        K: Eq,
        V: Eq,
    {
        loop {
            match self.heads() {
                (None, None) => return true,
                (Some(a), Some(b)) if a.key == b.key && a.value == b.value => {
                    self.pop_old();
                    self.pop_new();
                }
                _ => return false,
            }
        }
    }

    /// The two trees' entries compared lexicographically, by `Ord` on keys
    /// then values, skipping what they share: sound because `Ord` implies a
    /// reflexive `==`, so a shared entry compares equal to itself. Consumes
    /// the walk.
    pub(crate) fn compare(mut self) -> Ordering
    where
        K: Ord,
        V: Ord,
    {
        loop {
            match self.heads() {
                (None, None) => return Ordering::Equal,
                (None, Some(_)) => return Ordering::Less,
                (Some(_), None) => return Ordering::Greater,
                (Some(a), Some(b)) => match (&a.key, &a.value).cmp(&(&b.key, &b.value)) {
                    Ordering::Equal => {
                        self.pop_old();
                        self.pop_new();
                    }
                    unequal => return unequal,
                },
            }
        }
    }
}
