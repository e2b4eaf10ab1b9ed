//! Diffs between versions, checked against a naive diff of their entries.
//!
//! `old.diff(&new)` walks both trees at once and skips every subtree the two
//! versions share. Pinned down here:
//! - for any two versions (related by edits, a clone with a few keys
//!   changed, built independently, or far apart along a chain of bulk and
//!   rebalancing-heavy edits) the diff is exactly the naive one computed
//!   from the two sorted entry lists: same items, in key order, each
//!   reference pointing into the version it came from; for maps and sets,
//!   behind `Arc` and `Rc`;
//! - `diff_by` decides "changed" by its closure alone, and never asks it
//!   about a value both versions share;
//! - `b.diff(&a)` mirrors `a.diff(&b)`; `a == b` agrees with comparing the
//!   entries in order; `sharing` agrees with counting node ids;
//! - the walk's cost: it opens every node only one version holds, and few
//!   more; ten changes to a 10^6-entry map open a few hundred nodes; a
//!   version against itself or a clone opens none;
//! - a change right after (or right before) a long shared run is never
//!   dropped.

mod common;
use common::Rng;
use persistent_avl::{GenericAvlMap, GenericAvlSet};

use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;
use std::sync::OnceLock;

use common::{Model, Op, SetModel, SetOp, at_step, check_same, check_same_set, config, key};
use persistent_avl::map::DiffItem;
use persistent_avl::{ArcKind, AvlMap, AvlSet, NodeRef, PointerKind, RcKind, Sharing, set};

/// The layouts the properties run on: the default blocks (behind `Arc`),
/// blocks of two entries behind `Rc` (so that maps of a few dozen entries
/// split and merge blocks all the time), and the classic tree of one entry
/// per node.
type Classic = persistent_avl::Classic<ArcKind>;
type SmallRc = persistent_avl::BlockSize<RcKind, 2>;
use proptest::collection::vec;
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// The naive diff, and ours made comparable to it.

/// One difference, owning its key and values.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Change<K, V> {
    Added(K, V),
    Removed(K, V),
    Changed(K, V, V),
}

impl<K, V> Change<K, V> {
    /// The same difference seen from the other side: `new.diff(&old)`.
    fn mirrored(self) -> Self {
        match self {
            Change::Added(k, v) => Change::Removed(k, v),
            Change::Removed(k, v) => Change::Added(k, v),
            Change::Changed(k, old, new) => Change::Changed(k, new, old),
        }
    }
}

/// The diff by definition: every key of either side, in order, with what
/// happened to it; values compared with `same`.
fn naive_diff<K: Ord + Clone, V: Clone>(
    old: &BTreeMap<K, V>,
    new: &BTreeMap<K, V>,
    same: impl Fn(&V, &V) -> bool,
) -> Vec<Change<K, V>> {
    let keys: BTreeSet<&K> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .filter_map(|k| match (old.get(k), new.get(k)) {
            (Some(o), None) => Some(Change::Removed(k.clone(), o.clone())),
            (None, Some(n)) => Some(Change::Added(k.clone(), n.clone())),
            (Some(o), Some(n)) if !same(o, n) => {
                Some(Change::Changed(k.clone(), o.clone(), n.clone()))
            }
            _ => None,
        })
        .collect()
}

/// The naive diff of two sets.
fn naive_set_diff<T: Ord + Clone>(old: &BTreeSet<T>, new: &BTreeSet<T>) -> Vec<Change<T, ()>> {
    let old: BTreeMap<T, ()> = old.iter().map(|t| (t.clone(), ())).collect();
    let new: BTreeMap<T, ()> = new.iter().map(|t| (t.clone(), ())).collect();
    naive_diff(&old, &new, |(), ()| true)
}

/// The items of a map diff from `old` to `new`, owned; asserting that each
/// reference points into the version it describes (the key of `Changed`
/// into the new one, as documented) and that the iterator stays spent.
fn owned<'a, K, V, P>(
    old: &'a GenericAvlMap<K, V, P>,
    new: &'a GenericAvlMap<K, V, P>,
    mut items: impl Iterator<Item = DiffItem<'a, K, V>>,
) -> Vec<Change<K, V>>
where
    K: Ord + Clone + Debug,
    V: Clone,
    P: PointerKind,
{
    let stored_in = |map: &'a GenericAvlMap<K, V, P>, k: &K, v: &V| {
        let (sk, sv) = map
            .get_key_value(k)
            .expect("a reported key is in its version");
        std::ptr::eq(sk, k) && std::ptr::eq(sv, v)
    };
    let mut out = Vec::new();
    for item in items.by_ref() {
        out.push(match item {
            DiffItem::Added(k, v) => {
                assert!(
                    stored_in(new, k, v),
                    "Added({k:?}) must point into the new version"
                );
                Change::Added(k.clone(), v.clone())
            }
            DiffItem::Removed(k, v) => {
                assert!(
                    stored_in(old, k, v),
                    "Removed({k:?}) must point into the old version"
                );
                Change::Removed(k.clone(), v.clone())
            }
            DiffItem::Changed {
                key,
                old: o,
                new: n,
            } => {
                assert!(
                    stored_in(new, key, n),
                    "Changed({key:?}): key, new in the new version"
                );
                assert!(
                    std::ptr::eq(old.get(key).unwrap(), o),
                    "Changed({key:?}): old value"
                );
                assert!(std::ptr::eq(item.key(), key));
                Change::Changed(key.clone(), o.clone(), n.clone())
            }
        });
    }
    assert!(
        items.next().is_none() && items.next().is_none(),
        "a spent diff stays spent"
    );
    out
}

/// The items of a set diff, owned, with the references checked as `owned`.
fn owned_set<'a, T: Ord + Clone + Debug, P: PointerKind>(
    old: &'a GenericAvlSet<T, P>,
    new: &'a GenericAvlSet<T, P>,
    mut items: set::Diff<'a, T, P>,
) -> Vec<Change<T, ()>> {
    let mut out = Vec::new();
    for item in items.by_ref() {
        out.push(match item {
            set::DiffItem::Added(t) => {
                assert!(
                    std::ptr::eq(new.get(t).unwrap(), t),
                    "Added({t:?}) into the new set"
                );
                Change::Added(t.clone(), ())
            }
            set::DiffItem::Removed(t) => {
                assert!(
                    std::ptr::eq(old.get(t).unwrap(), t),
                    "Removed({t:?}) into the old set"
                );
                Change::Removed(t.clone(), ())
            }
        });
    }
    assert!(items.next().is_none() && items.next().is_none());
    out
}

// ---------------------------------------------------------------------------
// Node ids, by brute force.

/// What a version is made of: nodes, and blocks, each shared on its own.
/// Each is named by its address (a block by that of its entries).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Piece {
    Node(usize),
    Block(usize),
}

/// Every node and block of a tree, with the entries each stores, asserting
/// none is reached twice.
fn node_ids<K, V, P: PointerKind>(root: Option<NodeRef<'_, K, V, P>>) -> HashMap<Piece, usize> {
    let mut ids = HashMap::new();
    let mut stack: Vec<_> = root.into_iter().collect();
    while let Some(node) = stack.pop() {
        let first = ids.insert(Piece::Node(node.id()), 1).is_none();
        assert!(first, "a node reached twice in one tree");
        for block in [node.left_block(), node.right_block()] {
            if !block.is_empty() {
                let id = Piece::Block(block.as_ptr() as usize);
                let first = ids.insert(id, block.len()).is_none();
                assert!(first, "a block reached twice in one tree");
            }
        }
        stack.extend(node.left());
        stack.extend(node.right());
    }
    ids
}

/// `sharing` by definition: the entries stored in the nodes (and their
/// blocks) of the intersection and the two differences of the two versions'
/// node ids.
fn brute_sharing(a: &HashMap<Piece, usize>, b: &HashMap<Piece, usize>) -> Sharing {
    let weigh = |of: &HashMap<Piece, usize>, in_other: &HashMap<Piece, usize>, shared: bool| {
        of.iter()
            .filter(|(id, _)| in_other.contains_key(id) == shared)
            .map(|(_, stored)| stored)
            .sum()
    };
    Sharing {
        shared: weigh(a, b, true),
        only_first: weigh(a, b, false),
        only_second: weigh(b, a, false),
    }
}

/// Nodes only one of the two versions holds.
fn unshared_nodes(a: &HashMap<Piece, usize>, b: &HashMap<Piece, usize>) -> usize {
    let alone = |of: &HashMap<Piece, usize>, other: &HashMap<Piece, usize>| {
        of.keys()
            .filter(|id| matches!(id, Piece::Node(_)) && !other.contains_key(id))
            .count()
    };
    alone(a, b) + alone(b, a)
}

/// The most nodes a diff may open beyond those only one version holds. The
/// walk must open every unshared node; a shared one it opens only on the
/// way down to where the two versions' next pieces start together, so at
/// most a root-to-leaf path on each side per difference, plus one pair of
/// paths to start.
fn extra_opening_bound(differences: usize, height_a: usize, height_b: usize) -> usize {
    (differences + 1) * (height_a + height_b)
}

// ---------------------------------------------------------------------------
// The checks every pair of versions must pass.

/// Everything about the map versions `a` and `b`, whose entries the models
/// `ma` and `mb` hold.
fn check_map_pair<P: PointerKind>(
    a: &GenericAvlMap<u16, u32, P>,
    ma: &Model,
    b: &GenericAvlMap<u16, u32, P>,
    mb: &Model,
) -> Result<(), TestCaseError> {
    check_same(a, ma)?;
    check_same(b, mb)?;

    // The diff is the naive one, both ways round, mirrored.
    let forward = owned(a, b, a.diff(b));
    prop_assert_eq!(&forward, &naive_diff(ma, mb, u32::eq));
    let backward = owned(b, a, b.diff(a));
    let mirrored: Vec<_> = forward.iter().cloned().map(Change::mirrored).collect();
    prop_assert_eq!(&backward, &mirrored);

    // `diff_by`: "changed" is what the closure says, here "of another
    // parity"; and it is never asked about a value both versions share.
    let asked_about_shared = Cell::new(0);
    let same_parity = |x: &u32, y: &u32| {
        if std::ptr::eq(x, y) {
            asked_about_shared.set(asked_about_shared.get() + 1);
        }
        x % 2 == y % 2
    };
    let by_parity = owned(a, b, a.diff_by(b, same_parity));
    prop_assert_eq!(&by_parity, &naive_diff(ma, mb, |x, y| x % 2 == y % 2));
    // Even a closure that calls everything changed sees only unshared nodes.
    let all_changed = owned(
        a,
        b,
        a.diff_by(b, |x, y| {
            if std::ptr::eq(x, y) {
                asked_about_shared.set(asked_about_shared.get() + 1);
            }
            false
        }),
    );
    prop_assert_eq!(
        asked_about_shared.get(),
        0,
        "diff_by compared a shared value"
    );
    prop_assert!(all_changed.len() >= forward.len());

    // Equality and order are std's, entry by entry, whatever the shapes;
    // `same_contents` and `cmp`, which skip what the versions share, agree.
    let equal = ma == mb;
    prop_assert_eq!(a == b, equal);
    prop_assert_eq!(b == a, equal);
    prop_assert_eq!(a != b, !equal);
    prop_assert_eq!(a.same_contents(b), equal);
    prop_assert_eq!(forward.is_empty(), equal);
    prop_assert_eq!(a.partial_cmp(b), ma.partial_cmp(mb));
    prop_assert_eq!(a.cmp(b), ma.cmp(mb));
    prop_assert_eq!(b.cmp(a), mb.cmp(ma));

    // Sharing, counted from the node ids.
    let (ids_a, ids_b) = (node_ids(a.root_node()), node_ids(b.root_node()));
    let sharing = a.sharing(b);
    prop_assert_eq!(sharing, brute_sharing(&ids_a, &ids_b));
    let swapped = Sharing {
        shared: sharing.shared,
        only_first: sharing.only_second,
        only_second: sharing.only_first,
    };
    prop_assert_eq!(b.sharing(a), swapped);

    // The cost: every unshared node, and a bounded number of shared ones.
    let mut diff = a.diff(b);
    diff.by_ref().for_each(drop);
    let opened = diff.nodes_opened();
    let unshared = unshared_nodes(&ids_a, &ids_b);
    prop_assert!(
        opened >= unshared,
        "opened {} < {} unshared nodes",
        opened,
        unshared
    );
    let extra = extra_opening_bound(all_changed.len(), a.height(), b.height());
    prop_assert!(
        opened <= unshared + extra,
        "opened {} nodes: {} unshared + at most {} more",
        opened,
        unshared,
        extra
    );

    // A version against itself or a clone: nothing, at no cost.
    for (x, y) in [(a, a), (b, &b.clone())] {
        let mut same = x.diff(y);
        prop_assert!(same.next().is_none());
        prop_assert_eq!(same.nodes_opened(), 0);
    }
    Ok(())
}

/// Everything about the set versions `a` and `b`, as [`check_map_pair`].
fn check_set_pair<P: PointerKind>(
    a: &GenericAvlSet<u16, P>,
    ma: &SetModel,
    b: &GenericAvlSet<u16, P>,
    mb: &SetModel,
) -> Result<(), TestCaseError> {
    check_same_set(a, ma)?;
    check_same_set(b, mb)?;

    let forward = owned_set(a, b, a.diff(b));
    prop_assert_eq!(&forward, &naive_set_diff(ma, mb));
    let backward = owned_set(b, a, b.diff(a));
    let mirrored: Vec<_> = forward.iter().cloned().map(Change::mirrored).collect();
    prop_assert_eq!(&backward, &mirrored);

    let equal = ma == mb;
    prop_assert_eq!(a == b, equal);
    prop_assert_eq!(b == a, equal);
    prop_assert_eq!(a.same_contents(b), equal);
    prop_assert_eq!(forward.is_empty(), equal);
    prop_assert_eq!(a.partial_cmp(b), ma.partial_cmp(mb));
    prop_assert_eq!(a.cmp(b), ma.cmp(mb));

    let (ids_a, ids_b) = (node_ids(a.root_node()), node_ids(b.root_node()));
    let sharing = a.sharing(b);
    prop_assert_eq!(sharing, brute_sharing(&ids_a, &ids_b));

    let mut diff = a.diff(b);
    diff.by_ref().for_each(drop);
    let opened = diff.nodes_opened();
    let unshared = unshared_nodes(&ids_a, &ids_b);
    prop_assert!(opened >= unshared);
    // A set's copied-but-unchanged nodes are not differences, so bound by
    // the unshared nodes rather than the items.
    prop_assert!(opened <= unshared + extra_opening_bound(unshared, a.height(), b.height()));

    let clone = a.clone();
    let mut same = a.diff(&clone);
    prop_assert!(same.next().is_none());
    prop_assert_eq!(same.nodes_opened(), 0);
    Ok(())
}

// ---------------------------------------------------------------------------
// Building versions.

/// Applies `ops` to `map` and `model`, each as `Op::apply` does.
fn run_ops<P: PointerKind>(
    map: &mut GenericAvlMap<u16, u32, P>,
    model: &mut Model,
    ops: &[Op],
) -> Result<(), TestCaseError> {
    for (step, op) in ops.iter().enumerate() {
        at_step(step, op, op.apply(map, model))?;
    }
    Ok(())
}

fn run_set_ops<P: PointerKind>(
    set: &mut GenericAvlSet<u16, P>,
    model: &mut SetModel,
    ops: &[SetOp],
) -> Result<(), TestCaseError> {
    for (step, op) in ops.iter().enumerate() {
        at_step(step, op, op.apply(set, model))?;
    }
    Ok(())
}

/// How a base version is built, so that shapes differ.
#[derive(Clone, Copy, Debug)]
enum Build {
    /// `collect`: a perfectly balanced tree.
    Collect,
    /// Inserts in ascending order: rotations all along the right spine.
    Ascending,
    /// Inserts in a scrambled order: an ordinary, irregular AVL shape.
    Scrambled,
}

fn build() -> impl Strategy<Value = Build> {
    prop_oneof![
        Just(Build::Collect),
        Just(Build::Ascending),
        Just(Build::Scrambled)
    ]
}

/// The entries `(3i, i)` for `i < n`, built as `how` says.
fn base_map<P: PointerKind>(n: u16, how: Build) -> (GenericAvlMap<u16, u32, P>, Model) {
    let entries: Vec<(u16, u32)> = (0..n).map(|i| (3 * i, u32::from(i))).collect();
    let model: Model = entries.iter().copied().collect();
    let map = match how {
        Build::Collect => entries.into_iter().collect(),
        Build::Ascending => {
            let mut map = GenericAvlMap::empty();
            map.extend(entries);
            map
        }
        Build::Scrambled => {
            let mut map = GenericAvlMap::empty();
            // 7919 is prime and larger than n: a permutation of 0..n.
            let n = usize::from(n);
            for i in 0..n {
                let (k, v) = entries[i * 7919 % n];
                map.insert(k, v);
            }
            map
        }
    };
    (map, model)
}

/// One small change to a version: its key is an index into the keys of
/// the map at that point (`Set`, `Remove`) or any key (`Insert`).
#[derive(Clone, Copy, Debug)]
enum Small {
    Insert(u16, u32),
    Remove(usize),
    Set(usize, u32),
}

fn small() -> impl Strategy<Value = Small> {
    prop_oneof![
        (0u16..2000, 0..1000u32).prop_map(|(k, v)| Small::Insert(k, v)),
        any::<usize>().prop_map(Small::Remove),
        (any::<usize>(), 0..1000u32).prop_map(|(i, v)| Small::Set(i, v)),
    ]
}

fn apply_small<P: PointerKind>(
    map: &mut GenericAvlMap<u16, u32, P>,
    model: &mut Model,
    change: Small,
) {
    let nth_key = |map: &GenericAvlMap<u16, u32, P>, i: usize| {
        (!map.is_empty()).then(|| *map.get_index(i % map.len()).unwrap().0)
    };
    match change {
        Small::Insert(k, v) => {
            map.insert(k, v);
            model.insert(k, v);
        }
        Small::Remove(i) => {
            if let Some(k) = nth_key(map, i) {
                map.remove(&k);
                model.remove(&k);
            }
        }
        Small::Set(i, v) => {
            if let Some(k) = nth_key(map, i) {
                *map.get_mut(&k).unwrap() = v;
                model.insert(k, v);
            }
        }
    }
}

/// One step of a long chain of edits: any single operation, or one of the
/// bulk and rebalancing-heavy edits that reshape the tree.
#[derive(Clone, Debug)]
enum Step {
    Op(Op),
    /// Inserts `len` consecutive keys upwards from `start`: a rotation at
    /// about every other insert.
    AscendingRun(u16, u8, u32),
    /// Removes `len` consecutive keys downwards from `start`.
    DescendingRemoveRun(u16, u8),
    /// Rebuilds the map with `from_iter`: the same entries in a new shape
    /// that shares nothing with the old one.
    Rebuild,
    /// `split_off(at)`, rebuilds the high half with `from_iter`, and
    /// `append`s it back: a new right part joined to a shared left part.
    RebuildHigh(u16),
    /// `retain` of the keys off a multiple of `m`.
    RetainOff(u16),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        12 => common::op(300).prop_map(Step::Op),
        2 => (key(300), 1u8..64, 0..1000u32).prop_map(|(s, l, v)| Step::AscendingRun(s, l, v)),
        2 => (key(300), 1u8..64).prop_map(|(s, l)| Step::DescendingRemoveRun(s, l)),
        1 => Just(Step::Rebuild),
        1 => key(300).prop_map(Step::RebuildHigh),
        1 => (2u16..8).prop_map(Step::RetainOff),
    ]
}

fn apply_step<P: PointerKind>(
    map: &mut GenericAvlMap<u16, u32, P>,
    model: &mut Model,
    step: &Step,
) -> Result<(), TestCaseError> {
    match *step {
        Step::Op(ref op) => op.apply(map, model)?,
        Step::AscendingRun(start, len, v) => {
            for k in start..start.saturating_add(len.into()) {
                map.insert(k, v);
                model.insert(k, v);
            }
        }
        Step::DescendingRemoveRun(start, len) => {
            for k in (start.saturating_sub(len.into())..=start).rev() {
                prop_assert_eq!(map.remove(&k), model.remove(&k));
            }
        }
        Step::Rebuild => *map = map.iter().map(|(&k, &v)| (k, v)).collect(),
        Step::RebuildHigh(at) => {
            let high = map.split_off(&at);
            let mut rebuilt: GenericAvlMap<u16, u32, P> =
                high.iter().map(|(&k, &v)| (k, v)).collect();
            map.append(&mut rebuilt);
        }
        Step::RetainOff(m) => {
            map.retain(|k, _| !k.is_multiple_of(m));
            model.retain(|k, _| !k.is_multiple_of(m));
        }
    }
    check_same(map, model)
}

/// The set counterpart of [`Step`].
#[derive(Clone, Debug)]
enum SetStep {
    Op(SetOp),
    AscendingRun(u16, u8),
    DescendingRemoveRun(u16, u8),
    Rebuild,
    RebuildHigh(u16),
}

fn set_step() -> impl Strategy<Value = SetStep> {
    prop_oneof![
        12 => common::set_op(300).prop_map(SetStep::Op),
        2 => (key(300), 1u8..64).prop_map(|(s, l)| SetStep::AscendingRun(s, l)),
        2 => (key(300), 1u8..64).prop_map(|(s, l)| SetStep::DescendingRemoveRun(s, l)),
        1 => Just(SetStep::Rebuild),
        1 => key(300).prop_map(SetStep::RebuildHigh),
    ]
}

fn apply_set_step<P: PointerKind>(
    set: &mut GenericAvlSet<u16, P>,
    model: &mut SetModel,
    step: &SetStep,
) -> Result<(), TestCaseError> {
    match *step {
        SetStep::Op(ref op) => op.apply(set, model)?,
        SetStep::AscendingRun(start, len) => {
            for t in start..start.saturating_add(len.into()) {
                set.insert(t);
                model.insert(t);
            }
        }
        SetStep::DescendingRemoveRun(start, len) => {
            for t in (start.saturating_sub(len.into())..=start).rev() {
                prop_assert_eq!(set.remove(&t), model.remove(&t));
            }
        }
        SetStep::Rebuild => *set = set.iter().copied().collect(),
        SetStep::RebuildHigh(at) => {
            let high = set.split_off(&at);
            let mut rebuilt: GenericAvlSet<u16, P> = high.iter().copied().collect();
            set.append(&mut rebuilt);
        }
    }
    check_same_set(set, model)
}

// ---------------------------------------------------------------------------
// The properties, for any pointer kind.

/// (a) `b` is a clone of `a` changed by random operations.
fn related_by_ops<P: PointerKind>(first: &[Op], then: &[Op]) -> Result<(), TestCaseError> {
    let (mut a, mut ma) = (GenericAvlMap::<u16, u32, P>::empty(), Model::new());
    run_ops(&mut a, &mut ma, first)?;
    let (mut b, mut mb) = (a.clone(), ma.clone());
    run_ops(&mut b, &mut mb, then)?;
    check_map_pair(&a, &ma, &b, &mb)
}

/// (b) `b` is a clone of a larger `a` with a few keys changed.
fn a_few_changes<P: PointerKind>(
    n: u16,
    how: Build,
    changes: &[Small],
) -> Result<(), TestCaseError> {
    let (a, ma) = base_map::<P>(n, how);
    let (mut b, mut mb) = (a.clone(), ma.clone());
    for &change in changes {
        apply_small(&mut b, &mut mb, change);
    }
    check_map_pair(&a, &ma, &b, &mb)
}

/// (c) `a` and `b` are built independently: they share no node, equal
/// entries or not.
fn unrelated<P: PointerKind>(
    first: &[Op],
    then: &[Op],
    tweak: Option<(u16, u32)>,
) -> Result<(), TestCaseError> {
    let (mut a, mut ma) = (GenericAvlMap::<u16, u32, P>::empty(), Model::new());
    run_ops(&mut a, &mut ma, first)?;
    let (mut b, mut mb) = (GenericAvlMap::<u16, u32, P>::empty(), Model::new());
    run_ops(&mut b, &mut mb, then)?;
    check_map_pair(&a, &ma, &b, &mb)?;
    // The same entries as `a` inserted from the top down: equal content,
    // another shape, no node shared; then maybe one entry different.
    let mut c = GenericAvlMap::<u16, u32, P>::empty();
    for (&k, &v) in ma.iter().rev() {
        c.insert(k, v);
    }
    let mut mc = ma.clone();
    if let Some((k, v)) = tweak {
        c.insert(k, v);
        mc.insert(k, v);
    }
    prop_assert_eq!(a.sharing(&c).shared, 0);
    check_map_pair(&a, &ma, &c, &mc)
}

/// (d) A long chain of edits; checks the consecutive versions, the two ends
/// and some pairs far apart.
fn along_a_chain<P: PointerKind>(
    steps: &[Step],
    pairs: &[(usize, usize)],
) -> Result<(), TestCaseError> {
    let (mut map, mut model) = (GenericAvlMap::<u16, u32, P>::empty(), Model::new());
    let mut versions = vec![(map.clone(), model.clone())];
    for (i, step) in steps.iter().enumerate() {
        at_step(i, step, apply_step(&mut map, &mut model, step))?;
        versions.push((map.clone(), model.clone()));
    }
    let n = versions.len();
    let far = pairs.iter().map(|&(i, j)| (i % n, j % n));
    for (i, j) in (1..n).map(|j| (j - 1, j)).chain([(0, n - 1)]).chain(far) {
        let ((a, ma), (b, mb)) = (&versions[i], &versions[j]);
        check_map_pair(a, ma, b, mb)
            .map_err(|e| TestCaseError::fail(format!("versions {i} and {j}: {e}")))?;
    }
    Ok(())
}

fn sets_related_by_ops<P: PointerKind>(
    first: &[SetOp],
    then: &[SetOp],
) -> Result<(), TestCaseError> {
    let (mut a, mut ma) = (GenericAvlSet::<u16, P>::default(), SetModel::new());
    run_set_ops(&mut a, &mut ma, first)?;
    let (mut b, mut mb) = (a.clone(), ma.clone());
    run_set_ops(&mut b, &mut mb, then)?;
    check_set_pair(&a, &ma, &b, &mb)
}

fn sets_with_a_few_changes<P: PointerKind>(
    n: u16,
    how: Build,
    changes: &[Small],
) -> Result<(), TestCaseError> {
    let (map, model) = base_map::<P>(n, how);
    // The base's shape, as a set: the same inserts in the same order.
    let a: GenericAvlSet<u16, P> = match how {
        Build::Collect => map.keys().copied().collect(),
        Build::Ascending | Build::Scrambled => {
            let mut a = GenericAvlSet::default();
            let n = usize::from(n);
            a.extend((0..n).map(|i| {
                3 * (if matches!(how, Build::Scrambled) {
                    i * 7919 % n
                } else {
                    i
                }) as u16
            }));
            a
        }
    };
    let ma: SetModel = model.keys().copied().collect();
    let (mut b, mut mb) = (a.clone(), ma.clone());
    for &change in changes {
        match change {
            Small::Insert(t, _) => {
                b.insert(t);
                mb.insert(t);
            }
            Small::Remove(i) => {
                if !b.is_empty() {
                    let t = *b.get_index(i % b.len()).unwrap();
                    b.remove(&t);
                    mb.remove(&t);
                }
            }
            // A set has no values to change.
            Small::Set(..) => {}
        }
    }
    check_set_pair(&a, &ma, &b, &mb)
}

fn unrelated_sets<P: PointerKind>(first: &[SetOp], then: &[SetOp]) -> Result<(), TestCaseError> {
    let (mut a, mut ma) = (GenericAvlSet::<u16, P>::default(), SetModel::new());
    run_set_ops(&mut a, &mut ma, first)?;
    let (mut b, mut mb) = (GenericAvlSet::<u16, P>::default(), SetModel::new());
    run_set_ops(&mut b, &mut mb, then)?;
    check_set_pair(&a, &ma, &b, &mb)?;
    let mut c = GenericAvlSet::<u16, P>::default();
    c.extend(ma.iter().rev().copied());
    check_set_pair(&a, &ma, &c, &ma)
}

fn sets_along_a_chain<P: PointerKind>(
    steps: &[SetStep],
    pairs: &[(usize, usize)],
) -> Result<(), TestCaseError> {
    let (mut set, mut model) = (GenericAvlSet::<u16, P>::default(), SetModel::new());
    let mut versions = vec![(set.clone(), model.clone())];
    for (i, step) in steps.iter().enumerate() {
        at_step(i, step, apply_set_step(&mut set, &mut model, step))?;
        versions.push((set.clone(), model.clone()));
    }
    let n = versions.len();
    let far = pairs.iter().map(|&(i, j)| (i % n, j % n));
    for (i, j) in (1..n).map(|j| (j - 1, j)).chain([(0, n - 1)]).chain(far) {
        let ((a, ma), (b, mb)) = (&versions[i], &versions[j]);
        check_set_pair(a, ma, b, mb)
            .map_err(|e| TestCaseError::fail(format!("versions {i} and {j}: {e}")))?;
    }
    Ok(())
}

fn ops(max: usize) -> impl Strategy<Value = Vec<Op>> {
    common::span().prop_flat_map(move |span| vec(common::op(span), 0..max))
}

fn set_ops(max: usize) -> impl Strategy<Value = Vec<SetOp>> {
    common::span().prop_flat_map(move |span| vec(common::set_op(span), 0..max))
}

fn pairs() -> impl Strategy<Value = Vec<(usize, usize)>> {
    vec((any::<usize>(), any::<usize>()), 6)
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn maps_related_by_edits(first in ops(40), then in ops(20)) {
        related_by_ops::<ArcKind>(&first, &then)?;
        related_by_ops::<Classic>(&first, &then)?;
        related_by_ops::<SmallRc>(&first, &then)?;
    }

    #[test]
    fn maps_with_a_few_keys_changed(
        n in 0u16..600,
        how in build(),
        changes in vec(small(), 1..6),
    ) {
        a_few_changes::<ArcKind>(n, how, &changes)?;
        a_few_changes::<Classic>(n, how, &changes)?;
        a_few_changes::<SmallRc>(n, how, &changes)?;
    }

    #[test]
    fn maps_built_independently(
        first in ops(40),
        then in ops(40),
        tweak in proptest::option::of((key(300), common::value())),
    ) {
        unrelated::<ArcKind>(&first, &then, tweak)?;
        unrelated::<Classic>(&first, &then, tweak)?;
        unrelated::<SmallRc>(&first, &then, tweak)?;
    }

    #[test]
    fn sets_related_by_edits(first in set_ops(40), then in set_ops(20)) {
        sets_related_by_ops::<ArcKind>(&first, &then)?;
        sets_related_by_ops::<Classic>(&first, &then)?;
        sets_related_by_ops::<SmallRc>(&first, &then)?;
    }

    #[test]
    fn sets_with_a_few_elements_changed(
        n in 0u16..600,
        how in build(),
        changes in vec(small(), 1..6),
    ) {
        sets_with_a_few_changes::<ArcKind>(n, how, &changes)?;
        sets_with_a_few_changes::<Classic>(n, how, &changes)?;
        sets_with_a_few_changes::<SmallRc>(n, how, &changes)?;
    }

    #[test]
    fn sets_built_independently(first in set_ops(40), then in set_ops(40)) {
        unrelated_sets::<ArcKind>(&first, &then)?;
        unrelated_sets::<Classic>(&first, &then)?;
        unrelated_sets::<SmallRc>(&first, &then)?;
    }
}

proptest! {
    // Each case checks some sixty pairs of versions: fewer cases.
    #![proptest_config(ProptestConfig { cases: 64, ..config() })]

    #[test]
    fn maps_far_apart_on_a_chain(steps in vec(step(), 1..60), pairs in pairs()) {
        along_a_chain::<ArcKind>(&steps, &pairs)?;
        along_a_chain::<Classic>(&steps, &pairs)?;
        along_a_chain::<SmallRc>(&steps, &pairs)?;
    }

    #[test]
    fn sets_far_apart_on_a_chain(steps in vec(set_step(), 1..60), pairs in pairs()) {
        sets_along_a_chain::<ArcKind>(&steps, &pairs)?;
        sets_along_a_chain::<Classic>(&steps, &pairs)?;
        sets_along_a_chain::<SmallRc>(&steps, &pairs)?;
    }
}

// ---------------------------------------------------------------------------
// The node-visit bound on big maps.

const BIG: u64 = 1_000_000;

/// `BIG` entries `(2i, i)` from `from_sorted_iter`: a perfectly balanced
/// tree. Built once for the whole binary.
fn big_sorted() -> &'static AvlMap<u64, u64> {
    static MAP: OnceLock<AvlMap<u64, u64>> = OnceLock::new();
    MAP.get_or_init(|| AvlMap::from_sorted_iter((0..BIG).map(|i| (2 * i, i))).unwrap())
}

/// `BIG` random even keys inserted one by one in place: an irregular AVL
/// shape, as real use makes.
fn big_random() -> &'static AvlMap<u64, u64> {
    static MAP: OnceLock<AvlMap<u64, u64>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut rng = Rng(42);
        let mut map = AvlMap::new();
        while (map.len() as u64) < BIG {
            let k = 2 * rng.below(1 << 40);
            map.insert(k, k);
        }
        map
    })
}

/// What ten changes to a clone of `base` did: the expected diff and the
/// changed version.
fn ten_changes(base: &AvlMap<u64, u64>, seed: u64) -> (AvlMap<u64, u64>, Vec<Change<u64, u64>>) {
    let mut rng = Rng(seed);
    let mut new = base.clone();
    let mut changes = BTreeMap::new();
    // An entry of `new` not changed yet.
    let pick = |rng: &mut Rng, new: &AvlMap<u64, u64>, changes: &BTreeMap<u64, _>| loop {
        let (&k, &v) = new.get_index(rng.below(new.len() as u64) as usize).unwrap();
        if !changes.contains_key(&k) {
            break (k, v);
        }
    };
    for i in 0..10 {
        match i % 3 {
            // A new key: odd keys are never in the base.
            0 => {
                let k = 2 * rng.below(2 * BIG) + 1;
                new.insert(k, 7);
                changes.insert(k, Change::Added(k, 7));
            }
            1 => {
                let (k, v) = pick(&mut rng, &new, &changes);
                new.remove(&k);
                changes.insert(k, Change::Removed(k, v));
            }
            _ => {
                let (k, v) = pick(&mut rng, &new, &changes);
                new.insert(k, v + 1);
                changes.insert(k, Change::Changed(k, v, v + 1));
            }
        }
    }
    (new, changes.into_values().collect())
}

/// The bound of the brief: four times 10 · log2(n).
fn ten_change_bound(n: usize) -> usize {
    4 * 10 * n.ilog2() as usize
}

fn ten_changes_open_few_nodes(base: &AvlMap<u64, u64>, shape: &str) {
    let n = base.len();
    let bound = ten_change_bound(n);
    for seed in 0..5 {
        let (new, expected) = ten_changes(base, seed);
        assert_eq!(expected.len(), 10);

        let mut diff = base.diff(&new);
        let first = diff.next();
        let after_first = diff.nodes_opened();
        let mut got = owned(base, &new, first.into_iter());
        got.extend(owned(base, &new, diff.by_ref()));
        assert_eq!(got, expected, "{shape}, seed {seed}");
        let opened = diff.nodes_opened();

        let mut back = new.diff(base);
        back.by_ref().for_each(drop);
        let sharing = base.sharing(&new);
        eprintln!(
            "{shape} n={n} height={} / {}: 10 changes, nodes opened {opened} (back {}; first item \
             after {after_first}); unshared {} + {}; bound {bound}",
            base.height(),
            new.height(),
            back.nodes_opened(),
            sharing.only_first,
            sharing.only_second,
        );
        assert!(
            opened <= bound,
            "{shape}, seed {seed}: opened {opened} > {bound}"
        );
        assert!(back.nodes_opened() <= bound);
        // Lazy: the first item costs about two root-to-leaf paths.
        assert!(
            after_first <= 2 * (base.height() + new.height()),
            "{after_first}"
        );
        // Equality takes the same walk, and stops at the first difference.
        assert!(*base != new);
    }
}

/// Ten changes (inserts, removes and new values) to a clone of a 10^6-entry
/// map: the diff opens at most 4 · 10 · log2(n) nodes, on a perfectly
/// balanced tree.
#[test]
fn ten_changes_to_a_million_entries_sorted_build() {
    ten_changes_open_few_nodes(big_sorted(), "from_sorted_iter");
}

/// The same on a tree built by random inserts, whose shape is irregular.
#[test]
fn ten_changes_to_a_million_entries_random_build() {
    ten_changes_open_few_nodes(big_random(), "random inserts");
}

/// A version against itself, or against a clone: no item, no node opened,
/// and equal in O(1); whatever the size.
#[test]
fn a_version_against_itself_or_a_clone_opens_nothing() {
    for base in [big_sorted(), big_random()] {
        let clone = base.clone();
        for other in [base, &clone] {
            let mut diff = base.diff(other);
            assert_eq!(diff.next(), None);
            assert_eq!(diff.nodes_opened(), 0);
            let mut by = base.diff_by(other, |_, _| false);
            assert_eq!(by.next(), None);
            assert_eq!(by.nodes_opened(), 0);
            assert!(*base == *other);
            assert_eq!(
                base.sharing(other),
                Sharing {
                    shared: base.len(),
                    only_first: 0,
                    only_second: 0
                }
            );
        }
    }
}

/// `sharing` against node ids counted by brute force, on a larger map with
/// a few hundred changes, and against an unrelated rebuild of it.
#[test]
fn sharing_of_larger_maps_matches_counted_ids() {
    let mut rng = Rng(9);
    let base: AvlMap<u64, u64> = (0..20_000).map(|k| (2 * k, k)).collect();
    let mut new = base.clone();
    for _ in 0..300 {
        let k = rng.below(50_000);
        if k.is_multiple_of(3) {
            new.remove(&(k & !1));
        } else {
            new.insert(k, k);
        }
    }
    let rebuilt: AvlMap<u64, u64> = new.iter().map(|(&k, &v)| (k, v)).collect();
    let ids = [&base, &new, &rebuilt].map(|m| node_ids(m.root_node()));
    assert_eq!(base.sharing(&new), brute_sharing(&ids[0], &ids[1]));
    assert_eq!(new.sharing(&rebuilt), brute_sharing(&ids[1], &ids[2]));
    assert_eq!(new.sharing(&rebuilt).shared, 0);
    assert!(new == rebuilt);
}

// ---------------------------------------------------------------------------
// A change right next to a long shared run.

/// `n` entries `(4i, i)`, built as `how` says: the gaps `4i ± 1` take new
/// keys right before and right after each entry.
fn spaced<P: PointerKind>(n: u32, how: Build) -> GenericAvlMap<u32, u32, P> {
    let entries = (0..n).map(|i| (4 * i, i));
    match how {
        Build::Collect => entries.collect(),
        Build::Ascending => {
            let mut map = GenericAvlMap::empty();
            map.extend(entries);
            map
        }
        Build::Scrambled => {
            let mut map = GenericAvlMap::empty();
            for i in 0..n {
                let j = (u64::from(i) * 7919 % u64::from(n)) as u32;
                map.insert(4 * j, j);
            }
            map
        }
    }
}

/// Diffs `old` to `new` and back, expecting exactly `expected`.
fn expect_diff<P: PointerKind>(
    old: &GenericAvlMap<u32, u32, P>,
    new: &GenericAvlMap<u32, u32, P>,
    expected: &[Change<u32, u32>],
    what: &dyn Fn() -> String,
) {
    assert_eq!(owned(old, new, old.diff(new)), expected, "{}", what());
    let mirrored: Vec<_> = expected.iter().cloned().map(Change::mirrored).collect();
    assert_eq!(
        owned(new, old, new.diff(old)),
        mirrored,
        "{} (backwards)",
        what()
    );
    assert_eq!(old == new, expected.is_empty(), "{} (==)", what());
}

/// A peer's diff once dropped the update that came right after a long run
/// of shared subtrees. Here, at every position of a 1500-entry map, in three
/// shapes: a clone whose entry there alone differs (new value, removed, a
/// new key just before or just after it), so that everything before it and
/// everything after it is one long shared run; and a clone with two changes
/// with a shared run of every length between them. Each diff is exactly the
/// change, both ways round.
fn changes_next_to_long_shared_runs<P: PointerKind>() {
    const N: u32 = 1_000_000;
    let n = 1500;
    for how in [Build::Collect, Build::Ascending, Build::Scrambled] {
        let old = spaced::<P>(n, how);
        for i in 0..n {
            let k = 4 * i;
            let what = |change: &str| format!("{how:?}: {change} at entry {i} of {n}");

            let new = old.inserted(k, i + N);
            let expected = [Change::Changed(k, i, i + N)];
            expect_diff(&old, &new, &expected, &|| what("new value"));

            let new = old.removed(&k);
            expect_diff(&old, &new, &[Change::Removed(k, i)], &|| what("remove"));

            let new = old.inserted(k + 1, 0);
            expect_diff(&old, &new, &[Change::Added(k + 1, 0)], &|| {
                what("insert after")
            });

            if let Some(before) = k.checked_sub(1) {
                let new = old.inserted(before, 0);
                expect_diff(&old, &new, &[Change::Added(before, 0)], &|| {
                    what("insert before")
                });
            }

            // Two changes, with a shared run of n - 1 - 2i entries between
            // them (or adjacent, where they meet).
            let j = n - 1 - i;
            // (Values from `N` up are never in `old`.)
            if j > i {
                let new = old.inserted(k, N).inserted(4 * j, N);
                let expected = [Change::Changed(k, i, N), Change::Changed(4 * j, j, N)];
                expect_diff(&old, &new, &expected, &|| {
                    what(&format!("values at {i} and {j}"))
                });
                let new = old.removed(&k).inserted(4 * j + 1, 9);
                let expected = [Change::Removed(k, i), Change::Added(4 * j + 1, 9)];
                expect_diff(&old, &new, &expected, &|| {
                    what(&format!("remove, add at {j}"))
                });
            }
            // Two adjacent changes: the first right after a shared run, the
            // second right after the first.
            if i + 1 < n {
                let new = old.inserted(k, N).inserted(k + 4, N + 1);
                let expected = [
                    Change::Changed(k, i, N),
                    Change::Changed(k + 4, i + 1, N + 1),
                ];
                expect_diff(&old, &new, &expected, &|| what("adjacent values"));
            }
        }
    }
}

#[test]
fn changes_next_to_long_shared_runs_arc() {
    changes_next_to_long_shared_runs::<ArcKind>();
    changes_next_to_long_shared_runs::<Classic>();
}

#[test]
fn changes_next_to_long_shared_runs_rc() {
    changes_next_to_long_shared_runs::<SmallRc>();
}

/// Shared subtrees at different depths: appending many keys at the right
/// end rotates the old root's left part deeper into the new version, yet
/// the walk lines the shared subtrees up and skips them; likewise after a
/// `split_off` and `append` that rebuild the spine around shared parts.
#[test]
fn shared_subtrees_at_different_depths_are_skipped() {
    let old: AvlMap<u32, u32> = (0..4096).map(|k| (k, k)).collect();
    let mut new = old.clone();
    for k in 10_000..10_500 {
        new.insert(k, k);
    }
    let expected: Vec<_> = (10_000..10_500).map(|k| Change::Added(k, k)).collect();
    expect_diff(&old, &new, &expected, &|| "appended run".into());
    let sharing = old.sharing(&new);
    let mut diff = old.diff(&new);
    diff.by_ref().for_each(drop);
    eprintln!(
        "appended 500 keys to 4096: opened {}, unshared {} + {}, heights {} / {}",
        diff.nodes_opened(),
        sharing.only_first,
        sharing.only_second,
        old.height(),
        new.height()
    );
    assert!(
        diff.nodes_opened()
            <= sharing.only_first + sharing.only_second + 2 * (old.height() + new.height())
    );

    // Cut and glue back: the same entries, the middle rebuilt, the rest
    // shared at new depths.
    let mut glued = old.clone();
    let mut high = glued.split_off(&1000);
    let mut top = high.split_off(&3000);
    let mut middle: AvlMap<u32, u32> = high.iter().map(|(&k, &v)| (k, v)).collect();
    glued.append(&mut middle);
    glued.append(&mut top);
    expect_diff(&old, &glued, &[], &|| "cut and glued".into());
    let glued2 = glued.inserted(2000, 0);
    expect_diff(&old, &glued2, &[Change::Changed(2000, 2000, 0)], &|| {
        "glued + 1".into()
    });
}

/// `diff_by` compares values with its closure and no other way; `DiffItem`
/// knows its key; the diff is lazy, cloneable mid-way, and prints the
/// items it has left.
#[test]
fn diff_by_clone_and_debug() {
    let old: AvlMap<u32, f64> = (0..100).map(|k| (k, f64::from(k))).collect();
    let new = old.inserted(10, 10.000_1).inserted(20, 25.0).removed(&30);
    let close = |a: &f64, b: &f64| (a - b).abs() < 0.01;
    let items: Vec<_> = old.diff_by(&new, close).collect();
    assert_eq!(
        items,
        [
            DiffItem::Changed {
                key: &20,
                old: &20.0,
                new: &25.0
            },
            DiffItem::Removed(&30, &30.0)
        ]
    );
    assert_eq!(
        items.iter().map(DiffItem::key).collect::<Vec<_>>(),
        [&20, &30]
    );
    assert_eq!(old.diff(&new).count(), 3);

    let mut diff = old.diff(&new);
    assert_eq!(diff.next().map(|d| *d.key()), Some(10));
    let rest = diff.clone();
    assert_eq!(
        format!("{rest:?}"),
        format!("{:?}", diff.clone().collect::<Vec<_>>())
    );
    assert!(rest.eq(diff));

    let old_set: AvlSet<u32> = (0..100).collect();
    let new_set = old_set.removed(&5).inserted(500);
    let d = old_set.diff(&new_set);
    assert_eq!(format!("{d:?}"), "[Removed(5), Added(500)]");
}

// ---------------------------------------------------------------------------
// Sharing among several versions.

/// `sharing_among` agrees with counting, for every node id, how many of the
/// versions reach it: the entries stored in distinct nodes, in nodes reached
/// by two or more, and for each version in the nodes only it reaches.
#[test]
fn sharing_among_many_versions_matches_brute_force() {
    let mut rng = Rng(41);
    for round in 0..40 {
        let mut versions: Vec<AvlMap<u64, u64>> = vec![(0..500).map(|k| (k, k)).collect()];
        for _ in 0..(2 + round % 6) {
            // Each version from a random earlier one: a tree of versions.
            let from = versions[rng.below(versions.len() as u64) as usize].clone();
            let mut next = from;
            for _ in 0..rng.below(20) {
                let k = rng.below(700);
                if rng.below(3) == 0 {
                    next.remove(&k);
                } else {
                    next.insert(k, rng.next());
                }
            }
            versions.push(next);
        }
        if round % 4 == 0 {
            // And one built apart, sharing nothing.
            versions.push((0..300).map(|k| (k * 3, k)).collect());
        }
        let refs: Vec<&AvlMap<u64, u64>> = versions.iter().collect();
        let counts = AvlMap::sharing_among(&refs);

        let sets: Vec<HashMap<Piece, usize>> =
            versions.iter().map(|v| node_ids(v.root_node())).collect();
        let mut reach: HashMap<Piece, (usize, usize)> = HashMap::new();
        for set in &sets {
            for (&id, &stored) in set {
                reach.entry(id).or_insert((0, stored)).0 += 1;
            }
        }
        let total = |keep: &dyn Fn(usize) -> bool| -> usize {
            reach
                .values()
                .filter(|(n, _)| keep(*n))
                .map(|(_, stored)| stored)
                .sum()
        };
        assert_eq!(counts.distinct, total(&|_| true), "round {round}");
        assert_eq!(counts.shared, total(&|n| n >= 2));
        for (i, set) in sets.iter().enumerate() {
            let alone: usize = set
                .iter()
                .filter(|(id, _)| reach[id].0 == 1)
                .map(|(_, stored)| stored)
                .sum();
            assert_eq!(counts.alone[i], alone, "round {round}, version {i}");
        }
    }
}

// ---------------------------------------------------------------------------
// Equality: std's rule for `==`, the sharing shortcut only where it is sound.

/// With a value that is not equal to itself, `==`, `!=` and `partial_cmp`
/// answer as std's `BTreeMap` does, however the two maps were made: a NaN
/// in a node both versions share is compared like any other.
#[test]
fn equality_with_a_non_reflexive_value_follows_std() {
    let entries = [(1, 0.5), (2, f64::NAN), (3, 1.5)];
    let ours: AvlMap<i32, f64> = entries.into_iter().collect();
    let std: BTreeMap<i32, f64> = entries.into_iter().collect();
    let built_again: AvlMap<i32, f64> = entries.into_iter().collect();
    let std_again = std.clone();
    for other in [ours.clone(), built_again, ours.inserted(1, 0.5)] {
        assert_eq!(ours == other, std == std_again);
        assert_eq!(ours != other, std != std_again);
        assert_eq!(ours.partial_cmp(&other), std.partial_cmp(&std_again));
        assert!(ours != other);
        assert_eq!(ours.partial_cmp(&other), None);
    }
    // Without the NaN, the same three ways of making a copy are all equal.
    let plain = ours.inserted(2, 1.0);
    for other in [
        plain.clone(),
        plain.inserted(3, 1.5),
        plain.removed(&3).inserted(3, 1.5),
    ] {
        assert!(plain == other);
        assert_eq!(plain.partial_cmp(&other), Some(std::cmp::Ordering::Equal));
    }
}

/// A diff reports what changed between two versions: a NaN in a node the
/// two share did not change, so it is not reported; one in a node the
/// update copied is compared with `==`, and so reported.
#[test]
fn a_diff_compares_only_unshared_entries_even_unequal_to_themselves() {
    //        4
    //      /   \
    //     2     6        NaN at 1, off the path 4-6-7 that
    //    / \   / \       an update of key 7 copies; NaN at 6, on it
    //   1   3 5   7
    // No blocks: the classic tree, one entry per node.
    let old: GenericAvlMap<i32, f64, Classic> = (1..=7)
        .map(|k| (k, if k == 1 || k == 6 { f64::NAN } else { 1.0 }))
        .collect();
    assert_eq!(old.root_node().map(|n| *n.key()), Some(4));
    let new = old.inserted(7, 2.0);
    let changed: Vec<i32> = old.diff(&new).map(|d| *d.key()).collect();
    assert_eq!(changed, [6, 7]);
    assert!(old.diff(&old.clone()).next().is_none());
}

thread_local! {
    static EQ_CALLS: Cell<usize> = const { Cell::new(0) };
}

/// A value that counts the calls to its `==`.
#[derive(Clone, Debug, PartialOrd, Ord)]
struct Counted(u32);

impl PartialEq for Counted {
    fn eq(&self, other: &Self) -> bool {
        EQ_CALLS.with(|c| c.set(c.get() + 1));
        self.0 == other.0
    }
}

impl Eq for Counted {}

fn eq_calls_of(f: impl FnOnce() -> bool) -> (bool, usize) {
    EQ_CALLS.with(|c| c.set(0));
    let answer = f();
    (answer, EQ_CALLS.with(Cell::get))
}

/// `same_contents` gives `==`'s answer for `Eq` values, comparing only the
/// entries the versions do not share; `==` compares all of them.
#[test]
fn same_contents_compares_only_what_two_versions_do_not_share() {
    let n = 100_000u32;
    let base: AvlMap<u32, Counted> = (0..n).map(|k| (k, Counted(k))).collect();
    let rewritten = base.inserted(500, Counted(500)); // equal, one new path
    let changed = base.inserted(500, Counted(0));

    let (equal, calls) = eq_calls_of(|| rewritten == base);
    assert!(equal);
    assert_eq!(calls, n as usize, "== compares every value");

    let (equal, calls) = eq_calls_of(|| rewritten.same_contents(&base));
    assert!(equal);
    // Two paths, with the blocks of their nodes: a few hundred of the 10^5.
    let path = (base.height() + rewritten.height() + 2) * (1 + 2 * ArcKind::BLOCK);
    assert!(
        calls <= path && calls * 100 < n as usize,
        "{calls} values compared, more than two paths ({path})"
    );

    let (equal, calls) = eq_calls_of(|| changed.same_contents(&base));
    assert!(!equal);
    assert!(calls <= path);
    assert!(base.same_contents(&base.clone()));

    // Sets: the same answers as `==`.
    let set: AvlSet<u32> = (0..1000).collect();
    assert!(set.removed(&5).inserted(5).same_contents(&set));
    assert!(!set.removed(&5).same_contents(&set));
}
