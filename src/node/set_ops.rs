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
//! subtrees of like size that share nothing (see [`flat`]). A run, or a
//! small subtree against one four times its size or more, is read in place
//! rather than split (see [`in_place`]), so its entries are cloned only
//! into the result. A subtree both trees hold (one pointer) is taken or
//! dropped whole where that is sound, so two versions of one map merge in
//! time proportional to what differs between them.
//!
//! Inputs are taken by value, as join takes them: callers pass clones of
//! their roots, so a panic in `Ord`, `Clone` or a closure leaves every
//! version as it was.

use alloc::vec::Vec;
use core::cmp::Ordering;
use core::ops::Range;

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

/// An entry a merge combines: owned (taken out of a node), or borrowed
/// (still in its block or node), to be cloned only as far as the result
/// keeps it.
pub(crate) trait Entry<K, V>: Sized {
    /// The entry by value: moved if owned, cloned if borrowed.
    fn into_entry(self) -> (K, V);
    /// The key alone by value.
    fn into_key(self) -> K {
        self.into_entry().0
    }
    /// The value alone by value.
    fn into_value(self) -> V {
        self.into_entry().1
    }
}

impl<K, V> Entry<K, V> for (K, V) {
    fn into_entry(self) -> (K, V) {
        self
    }
}

impl<K: Clone, V: Clone> Entry<K, V> for &(K, V) {
    fn into_entry(self) -> (K, V) {
        self.clone()
    }

    fn into_key(self) -> K {
        self.0.clone()
    }

    fn into_value(self) -> V {
        self.1.clone()
    }
}

/// The entry for a key both trees hold, from the first tree's entry and the
/// second's, or `None` to drop the key. Of a borrowed entry it clones only
/// what the result keeps.
pub(crate) trait Both<K, V> {
    fn both(&self, first: impl Entry<K, V>, second: impl Entry<K, V>) -> Option<(K, V)>;
}

/// The first tree's key with the second tree's value: a union's.
pub(crate) struct FirstKeySecondValue;

impl<K, V> Both<K, V> for FirstKeySecondValue {
    fn both(&self, first: impl Entry<K, V>, second: impl Entry<K, V>) -> Option<(K, V)> {
        Some((first.into_key(), second.into_value()))
    }
}

/// The first tree's entry: an intersection's.
pub(crate) struct FirstEntry;

impl<K, V> Both<K, V> for FirstEntry {
    fn both(&self, first: impl Entry<K, V>, _: impl Entry<K, V>) -> Option<(K, V)> {
        Some(first.into_entry())
    }
}

/// Neither: the key is dropped, as by a difference.
pub(crate) struct Neither;

impl<K, V> Both<K, V> for Neither {
    fn both(&self, _: impl Entry<K, V>, _: impl Entry<K, V>) -> Option<(K, V)> {
        None
    }
}

/// The first tree's key, with the two values combined by the function.
pub(crate) struct Combined<F>(pub(crate) F);

impl<K, V, F: Fn(&K, V, V) -> V> Both<K, V> for Combined<F> {
    fn both(&self, first: impl Entry<K, V>, second: impl Entry<K, V>) -> Option<(K, V)> {
        let b = second.into_value();
        let (key, a) = first.into_entry();
        let value = (self.0)(&key, a, b);
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
        match (first.run(), second.run()) {
            (Some(a), Some(b)) => return merge_runs(a, b, how),
            (Some(a), None) => {
                let entry = |i: usize| &a[i];
                return in_place::<_, _, _, _, _, true>(&entry, 0..a.len(), &first, second, how);
            }
            (None, Some(b)) => {
                let entry = |i: usize| &b[i];
                return in_place::<_, _, _, _, _, false>(&entry, 0..b.len(), &second, first, how);
            }
            (None, None) => {}
        }
        if flat(&first, &second) {
            return merge_flat(&first, &second, how);
        }
        // A side much smaller than the other, and small, is listed and read
        // in place as a run is.
        let (m, n) = (first.size(), second.size());
        if m.min(n) <= LISTED_BLOCKS * P::BLOCK && m.max(n) >= 4 * m.min(n) {
            return if m <= n {
                let listed = list(&first);
                in_place::<_, _, _, _, _, true>(&|i| listed[i], 0..m, &first, second, how)
            } else {
                let listed = list(&second);
                in_place::<_, _, _, _, _, false>(&|i| listed[i], 0..n, &second, first, how)
            };
        }
        // Both are nodes. Split the first tree at the second's root key, so
        // that two versions whose roots hold one key split at once into
        // their shared children.
        let Sub::Tree(Some(link)) = second else {
            debug_assert!(false, "runs are merged above");
            return Sub::empty();
        };
        let (below, entry, above) = link.into_node().into_parts();
        let split = split_key(first, &entry.0);
        let middle = match split.found {
            Some(found) => how.both.both(found, entry),
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
        match middle {
            Some(entry) => join(left, entry, right),
            None => join2(left, right),
        }
    }
}

/// How many blocks' worth of entries a side may hold, at most, to be listed
/// and read in place against a side four times its size or more.
const LISTED_BLOCKS: usize = 4;

/// The entries of `sub` by reference, in order. O(n).
fn list<K, V, P: PointerKind>(sub: &Sub<K, V, P>) -> Vec<&(K, V)> {
    let mut listed = Vec::with_capacity(sub.size());
    visit(sub, &mut |entry| listed.push(entry));
    listed
}

/// A side read in place, the entries `entry(i)` for `i` in `range` (in key
/// order: a block's, or a small subtree's listed), merged with a tree;
/// `IN_PLACE_FIRST` says whether that side is the merge's first.
///
/// The tree is taken apart node by node and the range cut at each node's
/// key by index, so the side's entries are read where they lie and cloned
/// only into the result (splitting the side instead would copy the two
/// pieces of a block at every cut, and each piece again at the next).
/// Where the merge keeps none of the tree's own entries, the tree is only
/// read, never taken apart ([`gather`]). `whole` is the side's own subtree,
/// kept whole where all of it meets an empty part of the tree. O(m log(n/m
/// + 1)) for m entries in `range` and n in the tree.
fn in_place<'a, K, V, P, F, E, const IN_PLACE_FIRST: bool>(
    entry: &E,
    range: Range<usize>,
    whole: &Sub<K, V, P>,
    tree: Sub<K, V, P>,
    how: &Combine<F>,
) -> Sub<K, V, P>
where
    K: Ord + Clone + 'a,
    V: Clone + 'a,
    P: PointerKind,
    F: Both<K, V>,
    E: Fn(usize) -> &'a (K, V),
{
    let (here_only, tree_only) = keeps::<_, IN_PLACE_FIRST>(how);
    if range.is_empty() {
        return if tree_only { tree } else { Sub::empty() };
    }
    if tree.is_empty() {
        return if !here_only {
            Sub::empty()
        } else if range.len() == whole.size() {
            whole.clone()
        } else if range.len() <= P::BLOCK {
            Sub::Block(Block::from_exact(range.map(|i| entry(i).clone())))
        } else {
            sub_from_sorted(range.map(|i| entry(i).clone()).collect())
        };
    }
    if !tree_only {
        // The result holds entries of this side alone (combined, for a key
        // both hold): gathered in order, then built at once.
        let mut out = Vec::new();
        gather::<_, _, _, _, _, IN_PLACE_FIRST>(entry, range, &tree, how, &mut out);
        return sub_from_sorted(out);
    }
    // From here on the result keeps the tree's entries.
    let link = match tree {
        Sub::Tree(Some(link)) => link,
        tree => {
            let run = tree.run().unwrap_or_default();
            return sub_from_sorted(with_run::<_, _, _, _, IN_PLACE_FIRST>(
                entry, range, run, how,
            ));
        }
    };
    let (below, node_entry, above) = link.into_node().into_parts();
    let (at, found) = find(entry, range.clone(), &node_entry.0);
    let middle = if found {
        both::<_, _, _, IN_PLACE_FIRST>(how, entry(at), node_entry)
    } else {
        Some(node_entry)
    };
    let after = at + usize::from(found);
    let left = in_place::<_, _, _, _, _, IN_PLACE_FIRST>(entry, range.start..at, whole, below, how);
    let right =
        in_place::<_, _, _, _, _, IN_PLACE_FIRST>(entry, after..range.end, whole, above, how);
    match middle {
        Some(entry) => join(left, entry, right),
        None => join2(left, right),
    }
}

/// For [`in_place`] where the tree's own entries are never kept (an
/// intersection, or a difference that keeps the side read in place): pushes
/// onto `out`, in order, what the merge keeps of the entries `entry(i)`,
/// `i` in `range`, reading the tree by reference. Clones only what it
/// keeps.
fn gather<'a: 't, 't, K, V, P, F, E, const IN_PLACE_FIRST: bool>(
    entry: &E,
    range: Range<usize>,
    tree: &'t Sub<K, V, P>,
    how: &Combine<F>,
    out: &mut Vec<(K, V)>,
) where
    K: Ord + Clone + 'a,
    V: Clone + 'a,
    P: PointerKind,
    F: Both<K, V>,
    E: Fn(usize) -> &'a (K, V),
{
    let (here_only, _) = keeps::<_, IN_PLACE_FIRST>(how);
    if range.is_empty() {
        return;
    }
    let node = match tree {
        Sub::Tree(Some(link)) => link,
        Sub::Tree(None) => {
            if here_only {
                out.extend(range.map(|i| entry(i).clone()));
            }
            return;
        }
        Sub::Block(block) => {
            let run = block.entries();
            out.extend(with_run::<_, _, _, _, IN_PLACE_FIRST>(
                entry, range, run, how,
            ));
            return;
        }
    };
    let (at, found) = find(entry, range.clone(), &node.entry.0);
    gather::<_, _, _, _, _, IN_PLACE_FIRST>(entry, range.start..at, &node.left, how, out);
    if found {
        out.extend(both::<_, _, _, IN_PLACE_FIRST>(how, entry(at), &node.entry));
    }
    let after = at + usize::from(found);
    gather::<_, _, _, _, _, IN_PLACE_FIRST>(entry, after..range.end, &node.right, how, out);
}

/// The entries `entry(i)`, `i` in `range`, merged with the run `run` as
/// `how` says, the two in the merge's order ([`merged`]).
fn with_run<'a: 't, 't, K, V, F, E, const IN_PLACE_FIRST: bool>(
    entry: &E,
    range: Range<usize>,
    run: &'t [(K, V)],
    how: &Combine<F>,
) -> Vec<(K, V)>
where
    K: Ord + Clone + 'a,
    V: Clone + 'a,
    F: Both<K, V>,
    E: Fn(usize) -> &'a (K, V),
{
    let (start, len) = (range.start, range.len());
    let here = |i| -> &'t (K, V) { entry(start + i) };
    if IN_PLACE_FIRST {
        merged(here, len, |j| &run[j], run.len(), how)
    } else {
        merged(|i| &run[i], run.len(), here, len, how)
    }
}

/// Where `key` is among the entries `entry(i)`, `i` in `range`: the first
/// `i` whose key is not below it (or `range.end`), and whether that key is
/// `key`. A binary search.
fn find<'a, K: Ord + 'a, V: 'a>(
    entry: &impl Fn(usize) -> &'a (K, V),
    range: Range<usize>,
    key: &K,
) -> (usize, bool) {
    let (mut at, mut end) = (range.start, range.end);
    while at < end {
        let middle = at + (end - at) / 2;
        if entry(middle).0 < *key {
            at = middle + 1;
        } else {
            end = middle;
        }
    }
    (at, at < range.end && entry(at).0 == *key)
}

/// For a side read in place, whether the merge keeps the keys only that
/// side holds, and those only the other tree holds. `HERE_FIRST` says
/// whether the side read in place is the merge's first.
fn keeps<F, const HERE_FIRST: bool>(how: &Combine<F>) -> (bool, bool) {
    if HERE_FIRST {
        (how.first_only, how.second_only)
    } else {
        (how.second_only, how.first_only)
    }
}

/// The entry for a key both hold, from `here`, the entry of the side read
/// in place, and `there`, the other tree's, passed to `how` in the merge's
/// order.
fn both<K, V, F: Both<K, V>, const HERE_FIRST: bool>(
    how: &Combine<F>,
    here: impl Entry<K, V>,
    there: impl Entry<K, V>,
) -> Option<(K, V)> {
    if HERE_FIRST {
        how.both.both(here, there)
    } else {
        how.both.both(there, here)
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
                out.extend(how.both.both(x, y));
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
                out.extend(how.both.both(x, y));
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
