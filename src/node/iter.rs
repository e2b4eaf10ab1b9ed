//! The two in-order walks every iterator is built on.
//!
//! - [`RawIter`] walks shared references with two explicit stacks, one per
//!   end, each at most the height deep, and a count of what is left: the count
//!   makes it exact-size and keeps the two ends from crossing.
//! - [`Unfold`] hands out disjoint parts of the tree (mutable references, or
//!   owned entries): a deque of subtrees not yet opened and entries not yet
//!   returned, opened from whichever end reaches them first.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::cmp::Ordering;
use core::ops::Bound;

use super::{Link, Node, Tree, height, size};
use crate::ptr::PointerKind;

/// In-order walk over `&Node`, from both ends.
pub(crate) struct RawIter<'a, K, V, P: PointerKind> {
    /// Nodes still to return from the front, the next one on top.
    front: Vec<&'a Node<K, V, P>>,
    /// Nodes still to return from the back, the next one on top.
    back: Vec<&'a Node<K, V, P>>,
    /// Entries left between the two ends.
    len: usize,
}

impl<K, V, P: PointerKind> Clone for RawIter<'_, K, V, P> {
    fn clone(&self) -> Self {
        RawIter {
            front: self.front.clone(),
            back: self.back.clone(),
            len: self.len,
        }
    }
}

impl<'a, K, V, P: PointerKind> RawIter<'a, K, V, P> {
    /// A walk that returns nothing.
    pub(crate) fn empty() -> Self {
        RawIter {
            front: Vec::new(),
            back: Vec::new(),
            len: 0,
        }
    }

    /// Every entry of `tree`. O(log n).
    pub(crate) fn new(tree: &'a Tree<K, V, P>) -> Self {
        let mut walk = RawIter {
            front: Vec::with_capacity(height(tree)),
            back: Vec::with_capacity(height(tree)),
            len: size(tree),
        };
        walk.push_left_spine(tree.as_deref());
        walk.push_right_spine(tree.as_deref());
        walk
    }

    /// The entries of `tree` within the bounds. O(log n) comparisons.
    ///
    /// Requires: the bounds are not crossed (checked by the caller, which
    /// panics as std does).
    pub(crate) fn range<Q>(tree: &'a Tree<K, V, P>, start: Bound<&Q>, end: Bound<&Q>) -> Self
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        let mut front = Vec::with_capacity(height(tree));
        let mut back = Vec::with_capacity(height(tree));
        // Entries before `start`: the front stack holds the nodes at or after
        // it where the descent turned left.
        let mut before = 0;
        let mut cur = tree.as_deref();
        while let Some(node) = cur {
            let key = node.key.borrow();
            let at_or_after = match start {
                Bound::Included(s) => key.cmp(s) != Ordering::Less,
                Bound::Excluded(s) => key.cmp(s) == Ordering::Greater,
                Bound::Unbounded => true,
            };
            if at_or_after {
                front.push(node);
                cur = node.left.as_deref();
            } else {
                before += size(&node.left) + 1;
                cur = node.right.as_deref();
            }
        }
        // Entries up to `end`: the back stack holds the nodes at or before it
        // where the descent turned right.
        let mut through = 0;
        let mut cur = tree.as_deref();
        while let Some(node) = cur {
            let key = node.key.borrow();
            let at_or_before = match end {
                Bound::Included(e) => key.cmp(e) != Ordering::Greater,
                Bound::Excluded(e) => key.cmp(e) == Ordering::Less,
                Bound::Unbounded => true,
            };
            if at_or_before {
                through += size(&node.left) + 1;
                back.push(node);
                cur = node.right.as_deref();
            } else {
                cur = node.left.as_deref();
            }
        }
        RawIter {
            front,
            back,
            len: through.saturating_sub(before),
        }
    }

    fn push_left_spine(&mut self, mut cur: Option<&'a Node<K, V, P>>) {
        while let Some(node) = cur {
            self.front.push(node);
            cur = node.left.as_deref();
        }
    }

    fn push_right_spine(&mut self, mut cur: Option<&'a Node<K, V, P>>) {
        while let Some(node) = cur {
            self.back.push(node);
            cur = node.right.as_deref();
        }
    }

    /// Entries left.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

impl<'a, K, V, P: PointerKind> Iterator for RawIter<'a, K, V, P> {
    type Item = &'a Node<K, V, P>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.len == 0 {
            return None;
        }
        let node = self.front.pop()?;
        self.push_left_spine(node.right.as_deref());
        self.len -= 1;
        Some(node)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len, Some(self.len))
    }
}

impl<K, V, P: PointerKind> DoubleEndedIterator for RawIter<'_, K, V, P> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.len == 0 {
            return None;
        }
        let node = self.back.pop()?;
        self.push_right_spine(node.left.as_deref());
        self.len -= 1;
        Some(node)
    }
}

/// A subtree that can be opened into its left subtree, its entry and its
/// right subtree.
pub(crate) trait IntoParts: Sized {
    /// What the walk hands out for one entry.
    type Entry;
    fn open(self) -> (Option<Self>, Self::Entry, Option<Self>);
}

/// A subtree lent mutably: opening it makes its node unique.
pub(crate) struct Lent<'a, K, V, P: PointerKind>(pub(crate) &'a mut Link<K, V, P>);

impl<'a, K: Clone + 'a, V: Clone + 'a, P: PointerKind> IntoParts for Lent<'a, K, V, P> {
    type Entry = (&'a K, &'a mut V);

    fn open(self) -> (Option<Self>, Self::Entry, Option<Self>) {
        let Node {
            left,
            right,
            key,
            value,
            ..
        } = self.0.make_mut();
        (
            left.as_mut().map(Lent),
            (&*key, value),
            right.as_mut().map(Lent),
        )
    }
}

/// A subtree owned: opening it moves the entry out when the node is unique
/// and clones it when it is shared.
pub(crate) struct Owned<K, V, P: PointerKind>(pub(crate) Link<K, V, P>);

impl<K: Clone, V: Clone, P: PointerKind> IntoParts for Owned<K, V, P> {
    type Entry = (K, V);

    fn open(self) -> (Option<Self>, Self::Entry, Option<Self>) {
        let (left, key, value, right) = self.0.into_node().into_parts();
        (left.map(Owned), (key, value), right.map(Owned))
    }
}

enum Pending<S: IntoParts> {
    Subtree(S),
    Entry(S::Entry),
}

/// In-order walk that hands out disjoint parts, from both ends.
pub(crate) struct Unfold<S: IntoParts> {
    pending: VecDeque<Pending<S>>,
    len: usize,
}

impl<S: IntoParts> Unfold<S> {
    /// A walk over `root`, which holds `len` entries.
    pub(crate) fn new(root: Option<S>, len: usize) -> Self {
        Unfold {
            pending: root.map(Pending::Subtree).into_iter().collect(),
            len,
        }
    }

    /// Entries left.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

impl<S: IntoParts> Iterator for Unfold<S> {
    type Item = S::Entry;

    fn next(&mut self) -> Option<S::Entry> {
        loop {
            match self.pending.pop_front()? {
                Pending::Entry(entry) => {
                    self.len -= 1;
                    return Some(entry);
                }
                Pending::Subtree(subtree) => {
                    let (left, entry, right) = subtree.open();
                    if let Some(right) = right {
                        self.pending.push_front(Pending::Subtree(right));
                    }
                    self.pending.push_front(Pending::Entry(entry));
                    if let Some(left) = left {
                        self.pending.push_front(Pending::Subtree(left));
                    }
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len, Some(self.len))
    }
}

impl<S: IntoParts> DoubleEndedIterator for Unfold<S> {
    fn next_back(&mut self) -> Option<S::Entry> {
        loop {
            match self.pending.pop_back()? {
                Pending::Entry(entry) => {
                    self.len -= 1;
                    return Some(entry);
                }
                Pending::Subtree(subtree) => {
                    let (left, entry, right) = subtree.open();
                    if let Some(left) = left {
                        self.pending.push_back(Pending::Subtree(left));
                    }
                    self.pending.push_back(Pending::Entry(entry));
                    if let Some(right) = right {
                        self.pending.push_back(Pending::Subtree(right));
                    }
                }
            }
        }
    }
}
