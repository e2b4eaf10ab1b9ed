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
//! A block is work of height 0, like an entry: a run of entries compared one
//! by one, unless both sides reach the very same run (same memory), which
//! they skip.
//!
//! Two versions that differ in d entries open O(d log n) nodes and compare
//! the blocks they do not share; two trees that share nothing are
//! merged in O(n + m).

use alloc::vec::Vec;
use core::cmp::Ordering;

use super::{Link, Runs, Sub, Tree, height};
use crate::ptr::PointerKind;

/// One piece of work on a side: a node not yet opened, or entries not yet
/// compared (a node's own entry, or what is left of a block).
enum Work<'a, K, V, P: PointerKind> {
    Subtree(&'a Link<K, V, P>),
    Entries(&'a [(K, V)]),
}

impl<K, V, P: PointerKind> Clone for Work<'_, K, V, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K, V, P: PointerKind> Copy for Work<'_, K, V, P> {}

impl<K, V, P: PointerKind> Work<'_, K, V, P> {
    /// The height of what is left to open: entries are already open.
    fn height(self) -> usize {
        match self {
            Work::Subtree(link) => link.height(),
            Work::Entries(_) => 0,
        }
    }
}

/// The next unshared entry of each side, `None` for a side used up.
pub(crate) type Heads<'a, K, V> = (Option<&'a (K, V)>, Option<&'a (K, V)>);

/// Two in-order walks that skip their shared subtrees.
pub(crate) struct Zip<'a, K, V, P: PointerKind> {
    old: Vec<Work<'a, K, V, P>>,
    new: Vec<Work<'a, K, V, P>>,
    /// Nodes opened so far, on both sides: the walk's cost.
    opened: usize,
    /// Entries skipped because both sides hold them.
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

/// Pushes a subtree: a node to open, a block's entries, or nothing.
fn push<'a, K, V, P: PointerKind>(stack: &mut Vec<Work<'a, K, V, P>>, sub: &'a Sub<K, V, P>) {
    match sub {
        Sub::Tree(Some(link)) => stack.push(Work::Subtree(link)),
        Sub::Tree(None) => {}
        Sub::Block(block) => stack.push(Work::Entries(block.entries())),
    }
}

/// Replaces the subtree on top of `stack` by its left subtree, entry and
/// right subtree, the left on top.
fn open<'a, K, V, P: PointerKind>(stack: &mut Vec<Work<'a, K, V, P>>, link: &'a Link<K, V, P>) {
    stack.pop();
    push(stack, &link.right);
    stack.push(Work::Entries(core::slice::from_ref(&link.entry)));
    push(stack, &link.left);
}

/// Takes the first of the entries on top of `stack`.
fn pop_entry<K, V, P: PointerKind>(stack: &mut Vec<Work<'_, K, V, P>>) {
    match stack.pop() {
        Some(Work::Entries([_, rest @ ..])) if !rest.is_empty() => {
            stack.push(Work::Entries(rest));
        }
        _ => {}
    }
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

    /// Entries skipped so far because both trees hold them.
    pub(crate) fn shared(&self) -> usize {
        self.shared
    }

    /// The next entries of each side that the two do not share, after
    /// skipping every subtree (and run of entries) found on top of both
    /// sides at once; `None` for a side that is used up. Leaves them on top:
    /// take them with [`pop_old`](Self::pop_old) and
    /// [`pop_new`](Self::pop_new).
    pub(crate) fn heads(&mut self) -> Heads<'a, K, V> {
        loop {
            let (old, new) = (self.old.last().copied(), self.new.last().copied());
            match (old, new) {
                (Some(Work::Subtree(a)), Some(Work::Subtree(b))) if Link::ptr_eq(a, b) => {
                    self.shared += a.size();
                    self.old.pop();
                    self.new.pop();
                }
                (Some(Work::Entries(a)), Some(Work::Entries(b)))
                    if core::ptr::eq(a.as_ptr(), b.as_ptr()) =>
                {
                    // One run of one block: the rest of it is shared too.
                    let common = a.len().min(b.len());
                    self.shared += common;
                    self.old.pop();
                    self.new.pop();
                    if a.len() > common {
                        self.old.push(Work::Entries(&a[common..]));
                    }
                    if b.len() > common {
                        self.new.push(Work::Entries(&b[common..]));
                    }
                }
                (Some(Work::Entries(a)), Some(Work::Entries(b))) => {
                    return (a.first(), b.first());
                }
                (Some(Work::Entries(a)), None) => return (a.first(), None),
                (None, Some(Work::Entries(b))) => return (None, b.first()),
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

    /// The runs of entries on top of both sides, when both tops are runs
    /// and not the same memory (which [`heads`](Self::heads) skips): for a
    /// caller that walks two unshared runs side by side in bulk.
    pub(crate) fn runs(&self) -> Option<Runs<'a, K, V>> {
        match (self.old.last(), self.new.last()) {
            (Some(Work::Entries(a)), Some(Work::Entries(b)))
                if !core::ptr::eq(a.as_ptr(), b.as_ptr()) =>
            {
                Some((a, b))
            }
            _ => None,
        }
    }

    /// Takes the first `count` entries of both top runs. Requires: both
    /// tops are runs at least `count` long.
    pub(crate) fn pop_both(&mut self, count: usize) {
        for stack in [&mut self.old, &mut self.new] {
            if let Some(Work::Entries(run)) = stack.pop()
                && run.len() > count
            {
                stack.push(Work::Entries(&run[count..]));
            }
        }
    }

    /// Takes the old side's head entry.
    pub(crate) fn pop_old(&mut self) {
        pop_entry(&mut self.old);
    }

    /// Takes the new side's head entry.
    pub(crate) fn pop_new(&mut self) {
        pop_entry(&mut self.new);
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
                (Some(a), Some(b)) if a == b => {
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
                (Some(a), Some(b)) => match a.cmp(b) {
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
