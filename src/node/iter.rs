//! The two in-order walks every iterator is built on.
//!
//! - [`RawIter`] walks shared references with two explicit stacks, one per
//!   end, each at most the height deep, plus the run of a block each end is
//!   in, and a count of what is left: the count makes it exact-size and keeps
//!   the two ends from crossing.
//! - [`Unfold`] hands out disjoint parts of the tree (mutable references, or
//!   owned entries): a deque of subtrees not yet opened, blocks being
//!   walked, and entries not yet returned, opened from whichever end reaches
//!   them first.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::cmp::Ordering;
use core::ops::Bound;

use super::{Block, Link, Node, Sub, Tree, height, size};
use crate::ptr::PointerKind;

/// In-order walk over `&(K, V)`, from both ends.
pub(crate) struct RawIter<'a, K, V, P: PointerKind> {
    /// Nodes whose entry, then right subtree, are still to come from the
    /// front, the next one on top.
    front: Vec<&'a Node<K, V, P>>,
    /// The rest of the block the front is in, before the nodes of `front`.
    front_run: &'a [(K, V)],
    /// Nodes whose entry, then left subtree, are still to come from the
    /// back, the next one on top.
    back: Vec<&'a Node<K, V, P>>,
    /// The rest of the block the back is in, after the nodes of `back`.
    back_run: &'a [(K, V)],
    /// For a walk with no end (the whole tree, or a range with no end
    /// bound): the root, whose right spine the back stack is to hold, until
    /// the first call from the back makes it. A walk read from the front
    /// only then never descends to the map's last entry.
    back_root: Option<&'a Node<K, V, P>>,
    /// Entries left between the two ends.
    len: usize,
}

impl<K, V, P: PointerKind> Clone for RawIter<'_, K, V, P> {
    fn clone(&self) -> Self {
        RawIter {
            front: self.front.clone(),
            front_run: self.front_run,
            back: self.back.clone(),
            back_run: self.back_run,
            back_root: self.back_root,
            len: self.len,
        }
    }
}

impl<K, V, P: PointerKind> Default for RawIter<'_, K, V, P> {
    fn default() -> Self {
        RawIter::empty()
    }
}

impl<'a, K, V, P: PointerKind> RawIter<'a, K, V, P> {
    /// A walk that returns nothing.
    pub(crate) fn empty() -> Self {
        RawIter {
            front: Vec::new(),
            front_run: &[],
            back: Vec::new(),
            back_run: &[],
            back_root: None,
            len: 0,
        }
    }

    /// Every entry of `tree`. O(log n). The back is found on the first call
    /// from the back, as for a range with no end.
    pub(crate) fn new(tree: &'a Tree<K, V, P>) -> Self {
        let mut walk = RawIter {
            front: Vec::with_capacity(height(tree)),
            front_run: &[],
            back: Vec::new(),
            back_run: &[],
            back_root: tree.as_deref(),
            len: size(tree),
        };
        if let Some(root) = tree {
            walk.front.push(root);
            walk.push_left_spine(&root.left);
        }
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
        let at_or_after = |key: &K| match start {
            Bound::Included(s) => key.borrow().cmp(s) != Ordering::Less,
            Bound::Excluded(s) => key.borrow().cmp(s) == Ordering::Greater,
            Bound::Unbounded => true,
        };
        let at_or_before = |key: &K| match end {
            Bound::Included(e) => key.borrow().cmp(e) != Ordering::Greater,
            Bound::Excluded(e) => key.borrow().cmp(e) == Ordering::Less,
            Bound::Unbounded => true,
        };
        Self::between(
            tree,
            |key, _| at_or_after(key),
            |run, _| run.partition_point(|(k, _)| !at_or_after(k)),
            matches!(end, Bound::Unbounded),
            |key, _| at_or_before(key),
            |run, _| run.partition_point(|(k, _)| at_or_before(k)),
        )
    }

    /// The entries of `tree` at in-order positions `start..end`, calling no
    /// `Ord`: for splitting a walk by position. O(log n).
    ///
    /// Requires: `start <= end <= size(tree)`.
    #[cfg_attr(not(feature = "rayon"), allow(dead_code))]
    pub(crate) fn positions(tree: &'a Tree<K, V, P>, start: usize, end: usize) -> Self {
        Self::between(
            tree,
            |_, at| at >= start,
            |run, before| (start - before).min(run.len()),
            false,
            |_, at| at < end,
            |run, before| end.saturating_sub(before).min(run.len()),
        )
    }

    /// The walk from the first entry that `from` accepts to the last that
    /// `to` accepts, found in two descents. `from(key, position)` says
    /// whether a node's entry is at or after the start, and `from_run(run,
    /// before)` how many entries of a block (whose first entry is at
    /// position `before`) come before it; `to` and `to_run` say the same of
    /// the end: whether an entry is at or before it, and how many of a
    /// block's entries are. With `to_last` (`to` accepts every entry) the
    /// second descent waits for the first call from the back.
    fn between(
        tree: &'a Tree<K, V, P>,
        from: impl Fn(&K, usize) -> bool,
        from_run: impl Fn(&'a [(K, V)], usize) -> usize,
        to_last: bool,
        to: impl Fn(&K, usize) -> bool,
        to_run: impl Fn(&'a [(K, V)], usize) -> usize,
    ) -> Self {
        let Some(root) = tree.as_deref() else {
            return Self::empty();
        };
        let mut walk = Self::empty();
        walk.front.reserve(root.height());
        // Entries before the start: the front stack holds the nodes at or
        // after it where the descent turned left, and the run the rest of
        // the block it ends in.
        let (mut node, mut before) = (root, 0);
        loop {
            let at = before + node.left.size();
            let next = if from(node.key(), at) {
                walk.front.push(node);
                &node.left
            } else {
                before = at + 1;
                &node.right
            };
            match next {
                Sub::Tree(Some(link)) => node = link,
                Sub::Tree(None) => break,
                Sub::Block(block) => {
                    let skip = from_run(block.entries(), before);
                    walk.front_run = &block.entries()[skip..];
                    walk.touch_next();
                    before += skip;
                    break;
                }
            }
        }
        if to_last {
            walk.back_root = Some(root);
            walk.len = root.size() - before;
            return walk;
        }
        // Entries up to the end: the back stack holds the nodes at or
        // before it where the descent turned right.
        walk.back.reserve(root.height());
        let (mut node, mut through) = (root, 0);
        loop {
            let at = through + node.left.size();
            let next = if to(node.key(), at) {
                walk.back.push(node);
                through = at + 1;
                &node.right
            } else {
                &node.left
            };
            match next {
                Sub::Tree(Some(link)) => node = link,
                Sub::Tree(None) => break,
                Sub::Block(block) => {
                    let keep = to_run(block.entries(), through);
                    walk.back_run = &block.entries()[..keep];
                    walk.touch_next_back();
                    through += keep;
                    break;
                }
            }
        }
        walk.len = through.saturating_sub(before);
        walk
    }

    /// Pushes the nodes down the left spine of `sub` onto the front stack,
    /// and takes the block at its bottom as the front run.
    fn push_left_spine(&mut self, mut sub: &'a Sub<K, V, P>) {
        loop {
            match sub {
                Sub::Tree(Some(link)) => {
                    self.front.push(link);
                    sub = &link.left;
                }
                Sub::Tree(None) => return,
                Sub::Block(block) => {
                    self.front_run = block.entries();
                    self.touch_next();
                    return;
                }
            }
        }
    }

    /// Reads the root of the subtree that comes after the front's block
    /// and its next node, so that its first cache line arrives while the
    /// block is read rather than after.
    #[inline]
    fn touch_next(&self) {
        if let Some(node) = self.front.last() {
            node.right.touch();
        }
    }

    /// The mirror image of [`touch_next`](Self::touch_next), for the back.
    #[inline]
    fn touch_next_back(&self) {
        if let Some(node) = self.back.last() {
            node.left.touch();
        }
    }

    /// The mirror image of [`push_left_spine`](Self::push_left_spine).
    fn push_right_spine(&mut self, mut sub: &'a Sub<K, V, P>) {
        loop {
            match sub {
                Sub::Tree(Some(link)) => {
                    self.back.push(link);
                    sub = &link.right;
                }
                Sub::Tree(None) => return,
                Sub::Block(block) => {
                    self.back_run = block.entries();
                    self.touch_next_back();
                    return;
                }
            }
        }
    }

    /// Entries left.
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

impl<'a, K, V, P: PointerKind> Iterator for RawIter<'a, K, V, P> {
    type Item = &'a (K, V);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        if let Some((entry, rest)) = self.front_run.split_first() {
            self.front_run = rest;
            return Some(entry);
        }
        let node = self.front.pop()?;
        self.push_left_spine(&node.right);
        Some(&node.entry)
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.len, Some(self.len))
    }

    /// The walk of [`next`](Self::next), a block's run at a time: each run
    /// is folded as a slice, which the compiler turns into a tight loop.
    fn fold<B, F>(mut self, init: B, mut f: F) -> B
    where
        F: FnMut(B, Self::Item) -> B,
    {
        let mut acc = init;
        // The front yields entries in order; the next `len` of them are the
        // ones left, whatever the back has taken.
        let mut left = self.len;
        loop {
            let run = &self.front_run[..self.front_run.len().min(left)];
            left -= run.len();
            acc = run.iter().fold(acc, &mut f);
            if left == 0 {
                return acc;
            }
            let Some(node) = self.front.pop() else {
                return acc;
            };
            acc = f(acc, &node.entry);
            left -= 1;
            if left == 0 {
                return acc;
            }
            self.front_run = &[];
            self.push_left_spine(&node.right);
        }
    }
}

impl<K, V, P: PointerKind> DoubleEndedIterator for RawIter<'_, K, V, P> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.len == 0 {
            return None;
        }
        self.len -= 1;
        if let Some(root) = self.back_root.take() {
            self.back.reserve(root.height());
            self.back.push(root);
            self.push_right_spine(&root.right);
        }
        if let Some((entry, rest)) = self.back_run.split_last() {
            self.back_run = rest;
            return Some(entry);
        }
        let node = self.back.pop()?;
        self.push_right_spine(&node.left);
        Some(&node.entry)
    }
}

/// A subtree opened: a node's parts (its entry left out when a window
/// excludes it), or the run of a block's entries.
pub(crate) enum Opened<S: IntoParts> {
    Node(S, Option<S::Entry>, S),
    Run(S::Run),
}

/// A subtree that can be opened into its left subtree, its entry and its
/// right subtree, or into the entries of its block.
pub(crate) trait IntoParts: Sized {
    /// What the walk hands out for one entry.
    type Entry;
    /// The entries of a block, from both ends.
    type Run: DoubleEndedIterator<Item = Self::Entry>;
    fn open(self) -> Opened<Self>;
}

/// A subtree lent mutably: opening a node or a block makes it unique.
pub(crate) enum Lent<'a, K, V, P: PointerKind> {
    Node(&'a mut Link<K, V, P>),
    Block(&'a mut [(K, V)]),
}

impl<'a, K: Clone, V: Clone, P: PointerKind> Lent<'a, K, V, P> {
    fn of(sub: &'a mut Sub<K, V, P>) -> Self {
        match sub {
            Sub::Tree(Some(link)) => Lent::Node(link),
            Sub::Tree(None) => Lent::Block(&mut []),
            Sub::Block(block) => Lent::Block(block.entries_mut()),
        }
    }
}

/// A mutable walk over a block's entries.
pub(crate) struct LentRun<'a, K, V>(core::slice::IterMut<'a, (K, V)>);

impl<'a, K, V> LentRun<'a, K, V> {
    fn of(entries: &'a mut [(K, V)]) -> Self {
        LentRun(entries.iter_mut())
    }
}

impl<'a, K, V> Iterator for LentRun<'a, K, V> {
    type Item = (&'a K, &'a mut V);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(lend)
    }
}

impl<K, V> DoubleEndedIterator for LentRun<'_, K, V> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(lend)
    }
}

fn lend<K, V>(entry: &mut (K, V)) -> (&K, &mut V) {
    (&entry.0, &mut entry.1)
}

impl<'a, K: Clone + 'a, V: Clone + 'a, P: PointerKind> IntoParts for Lent<'a, K, V, P> {
    type Entry = (&'a K, &'a mut V);
    type Run = LentRun<'a, K, V>;

    fn open(self) -> Opened<Self> {
        match self {
            Lent::Node(link) => {
                let Node {
                    left, right, entry, ..
                } = link.make_mut();
                Opened::Node(Lent::of(left), Some(lend(entry)), Lent::of(right))
            }
            Lent::Block(entries) => Opened::Run(LentRun::of(entries)),
        }
    }
}

/// A subtree owned: opening a node moves its entry out when it is unique
/// and clones it when it is shared; a block's entries are cloned (a shared
/// slice gives up no entry by value), one at a time as they are taken.
pub(crate) struct Owned<K, V, P: PointerKind>(pub(crate) Sub<K, V, P>);

impl<K, V, P: PointerKind> Owned<K, V, P> {
    /// A version's whole tree, owned.
    pub(crate) fn root(tree: Tree<K, V, P>) -> Option<Self> {
        tree.map(|link| Owned(Sub::Tree(Some(link))))
    }
}

/// A block's entries, cloned as they are taken from either end.
pub(crate) struct OwnedRun<K, V, P: PointerKind> {
    block: Option<Block<K, V, P>>,
    left: core::ops::Range<usize>,
}

impl<K: Clone, V: Clone, P: PointerKind> Iterator for OwnedRun<K, V, P> {
    type Item = (K, V);

    #[inline]
    fn next(&mut self) -> Option<(K, V)> {
        let at = self.left.next()?;
        Some(self.block.as_ref()?.entries()[at].clone())
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.left.size_hint()
    }
}

impl<K: Clone, V: Clone, P: PointerKind> DoubleEndedIterator for OwnedRun<K, V, P> {
    #[inline]
    fn next_back(&mut self) -> Option<(K, V)> {
        let at = self.left.next_back()?;
        Some(self.block.as_ref()?.entries()[at].clone())
    }
}

impl<K: Clone, V: Clone, P: PointerKind> IntoParts for Owned<K, V, P> {
    type Entry = (K, V);
    type Run = OwnedRun<K, V, P>;

    fn open(self) -> Opened<Self> {
        match self.0 {
            Sub::Tree(Some(link)) => {
                let (left, entry, right) = link.into_node().into_parts();
                Opened::Node(Owned(left), Some(entry), Owned(right))
            }
            Sub::Tree(None) => Opened::Run(OwnedRun {
                block: None,
                left: 0..0,
            }),
            Sub::Block(block) => Opened::Run(OwnedRun {
                left: 0..block.len(),
                block: Some(block),
            }),
        }
    }
}

impl<'a, K, V, P: PointerKind> Lent<'a, K, V, P> {
    /// A version's whole tree, lent.
    pub(crate) fn root(tree: &'a mut Tree<K, V, P>) -> Option<Self> {
        tree.as_mut().map(Lent::Node)
    }
}

/// The entries at in-order positions `range` of a subtree, lent mutably:
/// opening makes unique only the nodes and blocks that hold entries in the
/// window or lie on the paths to its ends, so a short `range_mut` on a
/// shared map copies little.
pub(crate) enum Window<'a, K, V, P: PointerKind> {
    Node(&'a mut Link<K, V, P>, core::ops::Range<usize>),
    Block(&'a mut Block<K, V, P>, core::ops::Range<usize>),
    Empty,
}

impl<'a, K, V, P: PointerKind> Window<'a, K, V, P> {
    /// Positions `start..end` of a version's whole tree.
    pub(crate) fn root(tree: &'a mut Tree<K, V, P>, start: usize, end: usize) -> Option<Self> {
        let link = tree.as_mut()?;
        Some(if start < end {
            Window::Node(link, start..end)
        } else {
            Window::Empty
        })
    }

    fn of(sub: &'a mut Sub<K, V, P>, start: usize, end: usize) -> Self {
        if start >= end {
            return Window::Empty;
        }
        match sub {
            Sub::Tree(Some(link)) => Window::Node(link, start..end),
            Sub::Tree(None) => Window::Empty,
            Sub::Block(block) => Window::Block(block, start..end),
        }
    }
}

impl<'a, K: Clone + 'a, V: Clone + 'a, P: PointerKind> IntoParts for Window<'a, K, V, P> {
    type Entry = (&'a K, &'a mut V);
    type Run = LentRun<'a, K, V>;

    fn open(self) -> Opened<Self> {
        let run = |entries: &'a mut [(K, V)]| Opened::Run(LentRun::of(entries));
        match self {
            Window::Empty => run(&mut []),
            // The window lies within the block: its end is at most the
            // subtree's size.
            Window::Block(block, range) => {
                run(block.entries_mut().get_mut(range).unwrap_or_default())
            }
            Window::Node(link, range) => {
                let at = link.left.size();
                let Node {
                    left, right, entry, ..
                } = link.make_mut();
                let entry = range.contains(&at).then(|| lend(entry));
                let left = Window::of(left, range.start.min(at), range.end.min(at));
                let right = Window::of(
                    right,
                    range.start.saturating_sub(at + 1),
                    range.end.saturating_sub(at + 1),
                );
                Opened::Node(left, entry, right)
            }
        }
    }
}

/// A read-only look at the entries a walk still holds, in order, for the
/// `Debug` of the iterators that lend or move them.
pub(crate) trait Peek<K, V> {
    fn peek(&self, f: &mut dyn FnMut(&K, &V));
}

/// The entries at positions `range` of `sub`.
fn peek_sub<K, V, P: PointerKind>(
    sub: &Sub<K, V, P>,
    range: core::ops::Range<usize>,
    f: &mut dyn FnMut(&K, &V),
) {
    if range.is_empty() {
        return;
    }
    match sub {
        Sub::Tree(None) => {}
        Sub::Tree(Some(node)) => peek_node(node, range, f),
        Sub::Block(block) => peek_entries(block.entries().get(range).unwrap_or_default(), f),
    }
}

/// The entries at positions `range` of the subtree under `node`.
fn peek_node<K, V, P: PointerKind>(
    node: &Node<K, V, P>,
    range: core::ops::Range<usize>,
    f: &mut dyn FnMut(&K, &V),
) {
    let at = node.left.size();
    peek_sub(&node.left, range.start.min(at)..range.end.min(at), f);
    if range.contains(&at) {
        f(&node.entry.0, &node.entry.1);
    }
    let after = at + 1;
    peek_sub(
        &node.right,
        range.start.saturating_sub(after)..range.end.saturating_sub(after),
        f,
    );
}

fn peek_entries<K, V>(entries: &[(K, V)], f: &mut dyn FnMut(&K, &V)) {
    for (key, value) in entries {
        f(key, value);
    }
}

impl<K, V, P: PointerKind> Peek<K, V> for Lent<'_, K, V, P> {
    fn peek(&self, f: &mut dyn FnMut(&K, &V)) {
        match self {
            Lent::Node(link) => peek_node(link, 0..link.size(), f),
            Lent::Block(entries) => peek_entries(entries, f),
        }
    }
}

impl<K, V, P: PointerKind> Peek<K, V> for Window<'_, K, V, P> {
    fn peek(&self, f: &mut dyn FnMut(&K, &V)) {
        match self {
            Window::Node(link, range) => peek_node(link, range.clone(), f),
            Window::Block(block, range) => {
                peek_entries(block.entries().get(range.clone()).unwrap_or_default(), f);
            }
            Window::Empty => {}
        }
    }
}

impl<K, V, P: PointerKind> Peek<K, V> for Owned<K, V, P> {
    fn peek(&self, f: &mut dyn FnMut(&K, &V)) {
        peek_sub(&self.0, 0..self.0.size(), f);
    }
}

impl<K, V> Peek<K, V> for LentRun<'_, K, V> {
    fn peek(&self, f: &mut dyn FnMut(&K, &V)) {
        peek_entries(self.0.as_slice(), f);
    }
}

impl<K, V, P: PointerKind> Peek<K, V> for OwnedRun<K, V, P> {
    fn peek(&self, f: &mut dyn FnMut(&K, &V)) {
        if let Some(block) = &self.block {
            peek_entries(
                block.entries().get(self.left.clone()).unwrap_or_default(),
                f,
            );
        }
    }
}

impl<K, V> Peek<K, V> for (&K, &mut V) {
    fn peek(&self, f: &mut dyn FnMut(&K, &V)) {
        f(self.0, self.1);
    }
}

impl<K, V> Peek<K, V> for (K, V) {
    fn peek(&self, f: &mut dyn FnMut(&K, &V)) {
        f(&self.0, &self.1);
    }
}

enum Pending<S: IntoParts> {
    Subtree(S),
    Entry(S::Entry),
    Run(S::Run),
}

/// In-order walk that hands out disjoint parts, from both ends.
pub(crate) struct Unfold<S: IntoParts> {
    pending: VecDeque<Pending<S>>,
    len: usize,
}

impl<S: IntoParts> Default for Unfold<S> {
    fn default() -> Self {
        Unfold::new(None, 0)
    }
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

    /// Calls `f` on each entry left, in order, without taking any.
    pub(crate) fn peek<K, V>(&self, f: &mut dyn FnMut(&K, &V))
    where
        S: Peek<K, V>,
        S::Entry: Peek<K, V>,
        S::Run: Peek<K, V>,
    {
        for pending in &self.pending {
            match pending {
                Pending::Subtree(subtree) => subtree.peek(f),
                Pending::Entry(entry) => entry.peek(f),
                Pending::Run(run) => run.peek(f),
            }
        }
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
                Pending::Run(mut run) => {
                    if let Some(entry) = run.next() {
                        self.pending.push_front(Pending::Run(run));
                        self.len -= 1;
                        return Some(entry);
                    }
                }
                Pending::Subtree(subtree) => match subtree.open() {
                    Opened::Node(left, entry, right) => {
                        self.pending.push_front(Pending::Subtree(right));
                        if let Some(entry) = entry {
                            self.pending.push_front(Pending::Entry(entry));
                        }
                        self.pending.push_front(Pending::Subtree(left));
                    }
                    Opened::Run(run) => self.pending.push_front(Pending::Run(run)),
                },
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
                Pending::Run(mut run) => {
                    if let Some(entry) = run.next_back() {
                        self.pending.push_back(Pending::Run(run));
                        self.len -= 1;
                        return Some(entry);
                    }
                }
                Pending::Subtree(subtree) => match subtree.open() {
                    Opened::Node(left, entry, right) => {
                        self.pending.push_back(Pending::Subtree(left));
                        if let Some(entry) = entry {
                            self.pending.push_back(Pending::Entry(entry));
                        }
                        self.pending.push_back(Pending::Subtree(right));
                    }
                    Opened::Run(run) => self.pending.push_back(Pending::Run(run)),
                },
            }
        }
    }
}
