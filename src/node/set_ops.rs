//! Whole-tree algorithms built from split and join: union, intersection,
//! difference and symmetric difference of two trees, filtering and mapping
//! one ("Just Join for Parallel Ordered Sets", Blelloch, Ferizovic and Sun,
//! SPAA 2016; PaC-trees, Dhulipala, Blelloch, Gu and Sun, PLDI 2022, for
//! the blocks).
//!
//! Each recursion has two independent halves, handed to a [`Fork`], so the
//! same code runs in turn or in parallel.
//!
//! Two trees are merged by splitting one at the other's root key and
//! merging the halves: O(m log(n/m + 1)) work for sizes m <= n. Two runs
//! (blocks or nothing) are merged entry by entry, and so are two small
//! subtrees of like size that share nothing (see [`flat`]). A subtree both
//! trees hold (one pointer) is taken or dropped whole where that is sound,
//! so two versions of one map merge in time proportional to what differs
//! between them.
//!
//! Inputs are taken by value, as join takes them: callers pass clones of
//! their roots, so a panic in `Ord`, `Clone` or a closure leaves every
//! version as it was.

use alloc::vec::Vec;
use core::cmp::Ordering;

use super::build::sub_from_sorted;
use super::fork::{Fork, Task};
use super::join::{join, join2, split_key};
use super::{Block, Node, Sub, Tree, create};
use crate::ptr::PointerKind;

/// What a merge does with a subtree both trees hold (the same pointer).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum OnShared {
    /// Keep it whole: sound when a key in both comes out as it was.
    Keep,
    /// Drop it whole: sound when a key in both comes out of neither.
    Drop,
    /// Open it and combine its entries one by one.
    Open,
}

/// The entry for a key both trees hold, from the first tree's entry and the
/// second's, or `None` to drop the key.
pub(crate) trait Both<K, V> {
    /// From the two entries, by value: where a split has taken them out.
    fn owned(&self, first: (K, V), second: (K, V)) -> Option<(K, V)>;

    /// From the two entries in place: clones what the result keeps, and
    /// nothing else.
    fn cloned(&self, first: &(K, V), second: &(K, V)) -> Option<(K, V)>;
}

/// The first tree's key with the second tree's value: a union's.
pub(crate) struct FirstKeySecondValue;

impl<K: Clone, V: Clone> Both<K, V> for FirstKeySecondValue {
    fn owned(&self, (key, _): (K, V), (_, value): (K, V)) -> Option<(K, V)> {
        Some((key, value))
    }

    fn cloned(&self, (key, _): &(K, V), (_, value): &(K, V)) -> Option<(K, V)> {
        Some((key.clone(), value.clone()))
    }
}

/// The first tree's entry: an intersection's.
pub(crate) struct FirstEntry;

impl<K: Clone, V: Clone> Both<K, V> for FirstEntry {
    fn owned(&self, first: (K, V), _: (K, V)) -> Option<(K, V)> {
        Some(first)
    }

    fn cloned(&self, first: &(K, V), _: &(K, V)) -> Option<(K, V)> {
        Some(first.clone())
    }
}

/// Neither: the key is dropped, as by a difference.
pub(crate) struct Neither;

impl<K, V> Both<K, V> for Neither {
    fn owned(&self, _: (K, V), _: (K, V)) -> Option<(K, V)> {
        None
    }

    fn cloned(&self, _: &(K, V), _: &(K, V)) -> Option<(K, V)> {
        None
    }
}

/// The first tree's key, with the two values combined by the function.
pub(crate) struct Combined<F>(pub(crate) F);

impl<K: Clone, V: Clone, F: Fn(&K, V, V) -> V> Both<K, V> for Combined<F> {
    fn owned(&self, (key, a): (K, V), (_, b): (K, V)) -> Option<(K, V)> {
        let value = (self.0)(&key, a, b);
        Some((key, value))
    }

    fn cloned(&self, (key, a): &(K, V), (_, b): &(K, V)) -> Option<(K, V)> {
        let key = key.clone();
        let value = (self.0)(&key, a.clone(), b.clone());
        Some((key, value))
    }
}

/// How a merge combines two trees.
pub(crate) struct Combine<F> {
    /// Whether keys only in the first tree are kept.
    pub(crate) first_only: bool,
    /// Whether keys only in the second tree are kept.
    pub(crate) second_only: bool,
    /// What becomes of a subtree both hold.
    pub(crate) shared: OnShared,
    /// The entry for a key both hold, from the first tree's and the
    /// second's; `None` drops the key.
    pub(crate) both: F,
}

/// One half of a merge: two subtrees whose keys lie in one interval.
pub(crate) struct Merge<'c, K, V, P: PointerKind, F> {
    first: Sub<K, V, P>,
    second: Sub<K, V, P>,
    how: &'c Combine<F>,
}

/// The two trees combined as `how` says.
pub(crate) fn merge<K, V, P, F, Fk>(
    first: Tree<K, V, P>,
    second: Tree<K, V, P>,
    how: &Combine<F>,
    fork: Fk,
) -> Tree<K, V, P>
where
    K: Ord + Clone,
    V: Clone,
    P: PointerKind,
    F: Both<K, V>,
    for<'c> Fk: Fork<Merge<'c, K, V, P, F>>,
{
    Merge {
        first: Sub::from_tree(first),
        second: Sub::from_tree(second),
        how,
    }
    .run(fork)
    .into_tree()
}

impl<K, V, P, F> Task for Merge<'_, K, V, P, F>
where
    K: Ord + Clone,
    V: Clone,
    P: PointerKind,
    F: Both<K, V>,
{
    type Out = Sub<K, V, P>;

    fn size(&self) -> usize {
        self.first.size() + self.second.size()
    }

    fn run<Fk: Fork<Self>>(self, fork: Fk) -> Sub<K, V, P> {
        let Merge { first, second, how } = self;
        if first.is_empty() || second.is_empty() {
            let keep = if first.is_empty() {
                how.second_only
            } else {
                how.first_only
            };
            // One of the two is empty, so this is the other.
            let rest = join2(first, second);
            return if keep { rest } else { Sub::empty() };
        }
        if Sub::same(&first, &second) {
            match how.shared {
                OnShared::Keep => return first,
                OnShared::Drop => return Sub::empty(),
                OnShared::Open => {}
            }
        }
        if let (Some(a), Some(b)) = (first.run(), second.run()) {
            return merge_runs(a, b, how);
        }
        if flat(&first, &second) {
            return merge_flat(&first, &second, how);
        }
        // Split the other tree at a node's key: the second tree's root when
        // it is a node, so that two versions whose roots hold one key split
        // at once into their shared children.
        let (left, middle, right) = match second {
            Sub::Tree(Some(link)) => {
                let (below, entry, above) = link.into_node().into_parts();
                let split = split_key(first, &entry.0);
                let middle = match split.found {
                    Some(found) => how.both.owned(found, entry),
                    None => how.second_only.then_some(entry),
                };
                let (left, right) = fork.join(
                    Merge {
                        first: split.below,
                        second: below,
                        how,
                    },
                    Merge {
                        first: split.above,
                        second: above,
                        how,
                    },
                );
                (left, middle, right)
            }
            second => {
                // The second is a run, so the first is a node.
                let Sub::Tree(Some(link)) = first else {
                    debug_assert!(false, "two runs are merged above");
                    return Sub::empty();
                };
                let (below, entry, above) = link.into_node().into_parts();
                let split = split_key(second, &entry.0);
                let middle = match split.found {
                    Some(found) => how.both.owned(entry, found),
                    None => how.first_only.then_some(entry),
                };
                let (left, right) = fork.join(
                    Merge {
                        first: below,
                        second: split.below,
                        how,
                    },
                    Merge {
                        first: above,
                        second: split.above,
                        how,
                    },
                );
                (left, middle, right)
            }
        };
        match middle {
            Some(entry) => join(left, entry, right),
            None => join2(left, right),
        }
    }
}

/// Whether to merge two nodes' subtrees entry by entry rather than split
/// them further (two runs are always merged so, by [`merge_runs`]): only
/// when splitting would cost about as much, and would lose nothing worth
/// keeping:
///
/// - they hold at most `FLAT_BLOCKS` blocks' worth of entries in all, so
///   the merge's cost per call is bounded;
/// - neither holds more than four times the other's entries, so the merge's
///   O(m + n) stays within a constant of the split's O(m log(n/m + 1));
/// - they share no node or block, so two versions of one map, which share
///   almost everything, are still split down to what differs and keep the
///   rest. Their children are compared first, which settles it for most
///   pairs of versions at no cost, then their grandchildren.
///
/// Splitting two such subtrees would cut blocks and copy paths only for the
/// pieces to be merged and rebuilt at once.
fn flat<K, V, P: PointerKind>(first: &Sub<K, V, P>, second: &Sub<K, V, P>) -> bool {
    let (m, n) = (first.size(), second.size());
    if m + n > FLAT_BLOCKS * P::BLOCK || m.max(n) > 4 * m.min(n) {
        return false;
    }
    let (Some(a), Some(b)) = (first.node(), second.node()) else {
        return false;
    };
    // Children first: their pointers are in the two nodes at hand, so
    // this costs no memory access, and two versions usually share one.
    let children = [&a.left, &a.right];
    if [&b.left, &b.right]
        .iter()
        .any(|y| !y.is_empty() && children.iter().any(|x| Sub::same(x, y)))
    {
        return false;
    }
    // Then the grandchildren (a rotation moves a subtree by two levels at
    // most), and at last every node and block, which the merge would read
    // anyway.
    let near = |sub| {
        // A root, two children and four grandchildren at most.
        let (mut parts, mut len) = ([0; 7], 0);
        visit_parts(sub, 2, &mut |part| {
            parts[len] = part;
            len += 1;
        });
        (parts, len)
    };
    let ((near_a, len_a), (near_b, len_b)) = (near(first), near(second));
    if near_b[..len_b]
        .iter()
        .any(|part| near_a[..len_a].contains(part))
    {
        return false;
    }
    let mut parts = Vec::with_capacity(2 * m / P::BLOCK.max(1) + 2);
    visit_parts(first, usize::MAX, &mut |part| parts.push(part));
    parts.sort_unstable();
    let mut shared = false;
    visit_parts(second, usize::MAX, &mut |part| {
        shared |= parts.binary_search(&part).is_ok();
    });
    !shared
}

/// How many blocks' worth of entries [`flat`] merges at once, at most.
const FLAT_BLOCKS: usize = 32;

/// Calls `f` with the address of each node and block of `sub` at most
/// `depth` levels below its root.
fn visit_parts<K, V, P: PointerKind>(sub: &Sub<K, V, P>, depth: usize, f: &mut impl FnMut(usize)) {
    match sub {
        Sub::Tree(None) => {}
        Sub::Block(block) => f(block.entries().as_ptr() as usize),
        Sub::Tree(Some(link)) => {
            f(core::ptr::from_ref::<Node<K, V, P>>(link) as usize);
            if depth > 0 {
                visit_parts(&link.left, depth - 1, f);
                visit_parts(&link.right, depth - 1, f);
            }
        }
    }
}

/// Calls `f` on each entry of `sub`, in order.
fn visit<'a, K, V, P: PointerKind>(sub: &'a Sub<K, V, P>, f: &mut impl FnMut(&'a (K, V))) {
    match sub {
        Sub::Tree(None) => {}
        Sub::Block(block) => block.entries().iter().for_each(f),
        Sub::Tree(Some(link)) => {
            visit(&link.left, f);
            f(&link.entry);
            visit(&link.right, f);
        }
    }
}

/// Two runs merged entry by entry into a new subtree, cloning what it
/// keeps. O(len(a) + len(b)).
fn merge_runs<K, V, P, F>(a: &[(K, V)], b: &[(K, V)], how: &Combine<F>) -> Sub<K, V, P>
where
    K: Ord + Clone,
    V: Clone,
    P: PointerKind,
    F: Both<K, V>,
{
    sub_from_sorted(merged(|i| &a[i], a.len(), |j| &b[j], b.len(), how))
}

/// Two subtrees merged entry by entry into a new subtree, cloning what it
/// keeps: the entries of each listed by reference, then merged.
/// O(size(first) + size(second)). [`merge_runs`] is the same for two runs.
fn merge_flat<K, V, P, F>(
    first: &Sub<K, V, P>,
    second: &Sub<K, V, P>,
    how: &Combine<F>,
) -> Sub<K, V, P>
where
    K: Ord + Clone,
    V: Clone,
    P: PointerKind,
    F: Both<K, V>,
{
    let list = |sub| {
        let mut listed = Vec::with_capacity(Sub::size(sub));
        visit(sub, &mut |x| listed.push(x));
        listed
    };
    let (a, b) = (list(first), list(second));
    sub_from_sorted(merged(|i| a[i], a.len(), |j| b[j], b.len(), how))
}

/// The entries `first(0..first_len)` and `second(0..second_len)` (each in
/// ascending key order) merged as `how` says, cloned: O(m + n) for the two
/// lengths m and n.
///
/// Neither loop branches on which of two entries is the lesser, since for
/// keys that interleave at random such a branch would be mispredicted half
/// the time; equal keys, rare, take a branch of their own. Where both
/// sides' entries are kept (a union), each step takes the lesser by an
/// index; where one side's are (a difference), or neither's (an
/// intersection), the loop only steps past them, and that side's entries
/// are copied in runs, from one equal key to the next.
fn merged<'a, K, V, F>(
    first: impl Fn(usize) -> &'a (K, V),
    first_len: usize,
    second: impl Fn(usize) -> &'a (K, V),
    second_len: usize,
    how: &Combine<F>,
) -> Vec<(K, V)>
where
    K: Ord + Clone + 'a,
    V: Clone + 'a,
    F: Both<K, V>,
{
    let mut out = Vec::with_capacity(match (how.first_only, how.second_only) {
        (true, true) => first_len + second_len,
        (true, false) => first_len,
        (false, true) => second_len,
        (false, false) => first_len.min(second_len),
    });
    let (mut i, mut j) = (0, 0);
    if how.first_only && how.second_only {
        while i < first_len && j < second_len {
            let (x, y) = (first(i), second(j));
            let order = x.0.cmp(&y.0);
            if order == Ordering::Equal {
                out.extend(how.both.cloned(x, y));
                i += 1;
                j += 1;
                continue;
            }
            let from_first = order == Ordering::Less;
            // An index, not an `if`: a select the compiler makes branch-free.
            out.push([x, y][usize::from(!from_first)].clone());
            i += usize::from(from_first);
            j += usize::from(!from_first);
        }
    } else {
        // Where the runs of entries not yet copied start.
        let (mut run_i, mut run_j) = (0, 0);
        while i < first_len && j < second_len {
            let (x, y) = (first(i), second(j));
            let order = x.0.cmp(&y.0);
            if order == Ordering::Equal {
                // Entries passed since the last equal key, if any.
                if how.first_only && run_i < i {
                    out.extend((run_i..i).map(|i| first(i).clone()));
                }
                if how.second_only && run_j < j {
                    out.extend((run_j..j).map(|j| second(j).clone()));
                }
                out.extend(how.both.cloned(x, y));
                i += 1;
                j += 1;
                (run_i, run_j) = (i, j);
                continue;
            }
            let from_first = order == Ordering::Less;
            i += usize::from(from_first);
            j += usize::from(!from_first);
        }
        (i, j) = (run_i, run_j);
    }
    if how.first_only {
        out.extend((i..first_len).map(|i| first(i).clone()));
    }
    if how.second_only {
        out.extend((j..second_len).map(|j| second(j).clone()));
    }
    out
}

/// One half of a filter: a subtree, and the test each entry must pass.
pub(crate) struct Filter<'a, K, V, P: PointerKind, F> {
    sub: &'a Sub<K, V, P>,
    keep: &'a F,
}

/// The tree without the entries `keep` rejects, or `None` if it keeps them
/// all. Subtrees that keep every entry are shared with `tree`, so the
/// result differs from it only along the paths to what was dropped. O(n)
/// calls of `keep`, in no particular order.
pub(crate) fn filter<K, V, P, F, Fk>(
    tree: &Tree<K, V, P>,
    keep: &F,
    fork: Fk,
) -> Option<Tree<K, V, P>>
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    F: Fn(&K, &V) -> bool,
    for<'a> Fk: Fork<Filter<'a, K, V, P, F>>,
{
    let root = Sub::from_tree(tree.clone());
    Filter { sub: &root, keep }.run(fork).map(Sub::into_tree)
}

impl<K, V, P, F> Task for Filter<'_, K, V, P, F>
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    F: Fn(&K, &V) -> bool,
{
    /// The filtered subtree, or `None` when nothing was dropped.
    type Out = Option<Sub<K, V, P>>;

    fn size(&self) -> usize {
        self.sub.size()
    }

    fn run<Fk: Fork<Self>>(self, fork: Fk) -> Option<Sub<K, V, P>> {
        let keep = self.keep;
        match self.sub {
            Sub::Tree(None) => None,
            Sub::Block(block) => {
                // Nothing is copied until the first entry is dropped.
                let entries = block.entries();
                let mut run: Option<Vec<(K, V)>> = None;
                for (i, entry) in entries.iter().enumerate() {
                    let kept = keep(&entry.0, &entry.1);
                    match &mut run {
                        Some(run) if kept => run.push(entry.clone()),
                        Some(_) => {}
                        None if kept => {}
                        None => {
                            let mut first = Vec::with_capacity(entries.len() - 1);
                            first.extend_from_slice(&entries[..i]);
                            run = Some(first);
                        }
                    }
                }
                run.map(Sub::from_run)
            }
            Sub::Tree(Some(link)) => {
                let (left, right) = fork.join(
                    Filter {
                        sub: &link.left,
                        keep,
                    },
                    Filter {
                        sub: &link.right,
                        keep,
                    },
                );
                let (key, value) = &link.entry;
                let kept = keep(key, value);
                if kept && left.is_none() && right.is_none() {
                    return None;
                }
                let left = left.unwrap_or_else(|| link.left.clone());
                let right = right.unwrap_or_else(|| link.right.clone());
                Some(if kept {
                    join(left, link.entry.clone(), right)
                } else {
                    join2(left, right)
                })
            }
        }
    }
}

/// One half of a `filter_map`: a subtree, and the function that maps an
/// entry's value or drops it.
pub(crate) struct FilterMap<'a, K, V, P: PointerKind, F> {
    sub: &'a Sub<K, V, P>,
    f: &'a F,
}

/// A new tree of the entries for which `f` returns a value, with that
/// value. O(n) calls of `f`, in no particular order; O(n) work.
pub(crate) fn filter_map<K, V, W, P, F, Fk>(tree: &Tree<K, V, P>, f: &F, fork: Fk) -> Tree<K, W, P>
where
    K: Clone,
    W: Clone,
    P: PointerKind,
    F: Fn(&K, &V) -> Option<W>,
    for<'a> Fk: Fork<FilterMap<'a, K, V, P, F>>,
{
    let root = Sub::from_tree(tree.clone());
    FilterMap { sub: &root, f }.run(fork).into_tree()
}

impl<K, V, W, P, F> Task for FilterMap<'_, K, V, P, F>
where
    K: Clone,
    W: Clone,
    P: PointerKind,
    F: Fn(&K, &V) -> Option<W>,
{
    type Out = Sub<K, W, P>;

    fn size(&self) -> usize {
        self.sub.size()
    }

    fn run<Fk: Fork<Self>>(self, fork: Fk) -> Sub<K, W, P> {
        let f = self.f;
        let map = |(k, v): &(K, V)| f(k, v).map(|w| (k.clone(), w));
        match self.sub {
            Sub::Tree(None) => Sub::empty(),
            Sub::Block(block) => {
                let mut run = Vec::with_capacity(block.len());
                run.extend(block.entries().iter().filter_map(map));
                Sub::from_run(run)
            }
            Sub::Tree(Some(link)) => {
                let (left, right) = fork.join(
                    FilterMap { sub: &link.left, f },
                    FilterMap {
                        sub: &link.right,
                        f,
                    },
                );
                match map(&link.entry) {
                    Some(entry) => join(left, entry, right),
                    None => join2(left, right),
                }
            }
        }
    }
}

/// One half of a `map_values`: a subtree and the function for its values.
pub(crate) struct MapValues<'a, K, V, P: PointerKind, F> {
    sub: &'a Sub<K, V, P>,
    f: &'a F,
}

/// A tree of the same shape with every value mapped by `f`. O(n) calls of
/// `f`, in no particular order; O(n) work, no rebalancing.
pub(crate) fn map_values<K, V, W, P, F, Fk>(tree: &Tree<K, V, P>, f: &F, fork: Fk) -> Tree<K, W, P>
where
    K: Clone,
    P: PointerKind,
    F: Fn(&K, &V) -> W,
    for<'a> Fk: Fork<MapValues<'a, K, V, P, F>>,
{
    let root = Sub::from_tree(tree.clone());
    let mapped = MapValues { sub: &root, f }.run(fork);
    match mapped {
        Sub::Tree(tree) => tree,
        // The root of a version is a node, so its image is one too.
        Sub::Block(_) => None,
    }
}

impl<K, V, W, P, F> Task for MapValues<'_, K, V, P, F>
where
    K: Clone,
    P: PointerKind,
    F: Fn(&K, &V) -> W,
{
    type Out = Sub<K, W, P>;

    fn size(&self) -> usize {
        self.sub.size()
    }

    fn run<Fk: Fork<Self>>(self, fork: Fk) -> Sub<K, W, P> {
        let f = self.f;
        let map = |(k, v): &(K, V)| (k.clone(), f(k, v));
        match self.sub {
            Sub::Tree(None) => Sub::empty(),
            // One allocation: the block is built from an exact-size iterator.
            Sub::Block(block) => Sub::Block(Block::from_exact(block.entries().iter().map(map))),
            Sub::Tree(Some(link)) => {
                let (left, right) = fork.join(
                    MapValues { sub: &link.left, f },
                    MapValues {
                        sub: &link.right,
                        f,
                    },
                );
                // The same shape, so the same heights: still balanced.
                Sub::Tree(Some(create(left, map(&link.entry), right)))
            }
        }
    }
}
