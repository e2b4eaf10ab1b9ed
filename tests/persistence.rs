//! Every version stays what it was.
//!
//! Updates copy the nodes they change and share the rest, in place or
//! through `inserted`/`removed`. These tests keep every version a run makes,
//! each with a snapshot of the model taken at the time, and check at the end
//! that each still holds exactly its snapshot and passes `check_invariants`:
//! nothing lost from a version, nothing from a later update leaked into it.
//!
//! The clone-and-edit property draws its starting maps with the crate's
//! own `avl_map` strategies, so it runs with the `proptest` feature.
//!
//! Also: `clone` is `ptr_eq`, and removing an absent key returns a version
//! `ptr_eq` to its source; and `range_mut` on a shared map copies exactly
//! the nodes and blocks it lends entries from and those above them, no
//! others.

mod common;

use persistent_avl::{GenericAvlMap, GenericAvlSet};
use std::fmt;
use std::ops::Range;

use common::{
    Model, Op, SetModel, SetOp, at_step, check_same, check_same_set, key, op, set_op, value,
};
use persistent_avl::{ArcKind, AvlMap, AvlMapRc, AvlSet, AvlSetRc, NodeRef, PointerKind, RcKind};

/// The layouts the properties run on: the default blocks (behind `Arc`),
/// blocks of two entries behind `Rc` (so that maps of a few dozen entries
/// split and merge blocks all the time), and the classic tree of one entry
/// per node.
type Classic = persistent_avl::Classic<ArcKind>;
type SmallRc = persistent_avl::BlockSize<RcKind, 2>;
#[cfg(feature = "proptest")]
use persistent_avl::proptest::{avl_map, generic_avl_map};
use proptest::collection::vec;
use proptest::prelude::*;

/// Applies `ops` in place, keeping a clone of every version and the model
/// as it was; then checks every version, before and after dropping half of
/// them.
fn every_version_survives<P: PointerKind>(ops: &[Op]) -> Result<(), TestCaseError> {
    let mut map = GenericAvlMap::<u16, u32, P>::empty();
    let mut model = Model::new();
    let mut versions = Vec::with_capacity(ops.len() + 1);
    for (step, op) in ops.iter().enumerate() {
        let kept = map.clone();
        prop_assert!(kept.ptr_eq(&map));
        versions.push((kept, model.clone()));
        at_step(step, op, op.apply(&mut map, &mut model))?;
        at_step(step, op, check_same(&map, &model))?;
    }
    versions.push((map, model));

    let check_all = |versions: &[(GenericAvlMap<u16, u32, P>, Model)],
                     stride: usize|
     -> Result<(), TestCaseError> {
        for (i, (version, snapshot)) in versions.iter().enumerate() {
            // Version `n` is the one from before `ops[n]`.
            let n = i * stride;
            let made_before = ops
                .get(n)
                .map_or("the end".to_string(), |op| format!("{op:?}"));
            check_same(version, snapshot).map_err(|e| {
                TestCaseError::fail(format!("version {n} (before {made_before}) changed: {e}"))
            })?;
        }
        Ok(())
    };
    check_all(&versions, 1)?;
    // Dropping versions frees only what no other version uses.
    let halved: Vec<_> = versions.into_iter().step_by(2).collect();
    check_all(&halved, 2)
}

/// As [`every_version_survives`], for sets.
fn every_set_version_survives<P: PointerKind>(ops: &[SetOp]) -> Result<(), TestCaseError> {
    let mut set = GenericAvlSet::<u16, P>::empty();
    let mut model = SetModel::new();
    let mut versions = Vec::with_capacity(ops.len() + 1);
    for (step, op) in ops.iter().enumerate() {
        versions.push((set.clone(), model.clone()));
        at_step(step, op, op.apply(&mut set, &mut model))?;
        at_step(step, op, check_same_set(&set, &model))?;
    }
    versions.push((set, model));
    for (n, (version, snapshot)) in versions.iter().enumerate() {
        let made_before = ops
            .get(n)
            .map_or("the end".to_string(), |op| format!("{op:?}"));
        check_same_set(version, snapshot).map_err(|e| {
            TestCaseError::fail(format!("version {n} (before {made_before}) changed: {e}"))
        })?;
    }
    Ok(())
}

/// Clones a map, then applies each step to one of the two (`true`: the
/// clone), checking both after every step.
#[cfg(feature = "proptest")]
fn clone_then_edit_both<P: PointerKind>(
    start: GenericAvlMap<u16, u32, P>,
    steps: &[(bool, Op)],
) -> Result<(), TestCaseError> {
    let mut original_model: Model = start.iter().map(|(&k, &v)| (k, v)).collect();
    let mut original = start;
    check_same(&original, &original_model)?;
    let mut copy = original.clone();
    let mut copy_model = original_model.clone();
    prop_assert!(copy.ptr_eq(&original));
    for (step, (on_copy, op)) in steps.iter().enumerate() {
        let result = if *on_copy {
            op.apply(&mut copy, &mut copy_model)
        } else {
            op.apply(&mut original, &mut original_model)
        };
        at_step(step, op, result)?;
        at_step(step, op, check_same(&original, &original_model))?;
        at_step(step, op, check_same(&copy, &copy_model))?;
    }
    Ok(())
}

/// A persistent update of an earlier version: `from` picks which (modulo
/// the number of versions so far).
#[derive(Clone)]
enum Edit {
    Inserted { from: usize, key: u16, value: u32 },
    Removed { from: usize, key: u16 },
}

impl fmt::Debug for Edit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Edit::Inserted { from, key, value } => write!(
                f,
                "Edit::Inserted {{ from: {from}, key: {key}, value: {value} }}"
            ),
            Edit::Removed { from, key } => {
                write!(f, "Edit::Removed {{ from: {from}, key: {key} }}")
            }
        }
    }
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (0..1000usize, key(48), value())
            .prop_map(|(from, key, value)| Edit::Inserted { from, key, value }),
        2 => (0..1000usize, key(48)).prop_map(|(from, key)| Edit::Removed { from, key }),
    ]
}

/// Grows a tree of versions: each edit makes a new version from an earlier
/// one with `inserted` or `removed`; all are kept and checked at the end.
fn history_of_persistent_edits<P: PointerKind>(edits: &[Edit]) -> Result<(), TestCaseError> {
    let mut versions = vec![(GenericAvlMap::<u16, u32, P>::empty(), Model::new())];
    for (step, edit) in edits.iter().enumerate() {
        let (next, next_model) = match *edit {
            Edit::Inserted { from, key, value } => {
                let (base, base_model) = &versions[from % versions.len()];
                let mut next_model = base_model.clone();
                next_model.insert(key, value);
                (base.inserted(key, value), next_model)
            }
            Edit::Removed { from, key } => {
                let (base, base_model) = &versions[from % versions.len()];
                let next = base.removed(&key);
                prop_assert_eq!(
                    next.ptr_eq(base),
                    !base_model.contains_key(&key),
                    "at step {}, {:?}: removed is ptr_eq to its source exactly when the key is absent",
                    step,
                    edit
                );
                let mut next_model = base_model.clone();
                next_model.remove(&key);
                (next, next_model)
            }
        };
        at_step(step, edit, check_same(&next, &next_model))?;
        versions.push((next, next_model));
    }
    for (n, (version, snapshot)) in versions.iter().enumerate() {
        check_same(version, snapshot)
            .map_err(|e| TestCaseError::fail(format!("version {n} changed by later edits: {e}")))?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(common::config())]

    #[test]
    fn every_arc_map_version_survives(ops in common::span().prop_flat_map(|s| vec(op(s), 0..200))) {
        every_version_survives::<ArcKind>(&ops)?;
        every_version_survives::<Classic>(&ops)?;
    }

    #[test]
    fn every_rc_map_version_survives(ops in common::span().prop_flat_map(|s| vec(op(s), 0..200))) {
        every_version_survives::<SmallRc>(&ops)?;
    }

    #[test]
    fn every_set_version_survives_arc_and_rc(
        ops in common::span().prop_flat_map(|s| vec(set_op(s), 0..200)),
    ) {
        every_set_version_survives::<ArcKind>(&ops)?;
        every_set_version_survives::<Classic>(&ops)?;
        every_set_version_survives::<SmallRc>(&ops)?;
    }

    /// The starting maps are drawn by the crate's own strategies, one for
    /// each layout.
    #[cfg(feature = "proptest")]
    #[test]
    fn a_clone_and_its_source_change_independently(
        arc in avl_map(key(64), value(), 0..100),
        classic in generic_avl_map::<Classic, _, _>(key(64), value(), 0..100),
        small_rc in generic_avl_map::<SmallRc, _, _>(key(64), value(), 0..100),
        steps in vec((any::<bool>(), op(64)), 1..12),
    ) {
        clone_then_edit_both(arc, &steps)?;
        clone_then_edit_both(classic, &steps)?;
        clone_then_edit_both(small_rc, &steps)?;
    }

    #[test]
    fn every_version_of_a_branching_history_survives(edits in vec(edit(), 0..200)) {
        history_of_persistent_edits::<ArcKind>(&edits)?;
        history_of_persistent_edits::<Classic>(&edits)?;
        history_of_persistent_edits::<SmallRc>(&edits)?;
    }
}

#[test]
fn a_clone_is_ptr_eq_to_its_source() {
    let map: AvlMap<i32, i32> = (0..50).map(|k| (k, k)).collect();
    assert!(map.clone().ptr_eq(&map));
    let rc: AvlMapRc<i32, i32> = (0..50).map(|k| (k, k)).collect();
    assert!(rc.clone().ptr_eq(&rc));
    let set: AvlSet<i32> = (0..50).collect();
    assert!(set.clone().ptr_eq(&set));
    let empty: AvlSetRc<i32> = AvlSetRc::empty();
    assert!(empty.clone().ptr_eq(&empty));
}

#[test]
fn removing_an_absent_key_returns_the_source_itself() {
    let map: AvlMap<i32, i32> = (0..50).map(|k| 2 * k).map(|k| (k, k)).collect();
    for absent in [-1, 1, 49, 99, 1000] {
        assert!(map.removed(&absent).ptr_eq(&map), "removed({absent})");
    }
    let rc: AvlMapRc<i32, i32> = map.iter().map(|(&k, &v)| (k, v)).collect();
    assert!(rc.removed(&7).ptr_eq(&rc));
    let set: AvlSet<i32> = map.keys().copied().collect();
    assert!(set.removed(&7).ptr_eq(&set));
    let empty: AvlMap<i32, i32> = AvlMap::new();
    assert!(empty.removed(&7).ptr_eq(&empty));
}

#[test]
fn a_change_makes_a_new_version_and_leaves_the_old_one() {
    let v1: AvlMap<i32, char> = AvlMap::from([(1, 'a'), (2, 'b')]);
    let v2 = v1.inserted(3, 'c');
    let v3 = v2.removed(&1);
    let v4 = v3.inserted(2, 'B');
    assert!(!v2.ptr_eq(&v1) && !v3.ptr_eq(&v2) && !v4.ptr_eq(&v3));
    assert_eq!(v1.iter().collect::<Vec<_>>(), [(&1, &'a'), (&2, &'b')]);
    assert_eq!(
        v2.iter().collect::<Vec<_>>(),
        [(&1, &'a'), (&2, &'b'), (&3, &'c')]
    );
    assert_eq!(v3.iter().collect::<Vec<_>>(), [(&2, &'b'), (&3, &'c')]);
    assert_eq!(v4.iter().collect::<Vec<_>>(), [(&2, &'B'), (&3, &'c')]);
    for version in [&v1, &v2, &v3, &v4] {
        version.check_invariants().unwrap();
    }
}

/// Every key removed, one at a time, from a version other versions share
/// (so by copying the path), for small block sizes and maps of every size
/// up to 80 built in three orders (and up to 30 split and joined at every
/// point): each result is a valid tree holding the
/// rest, and the version it came from is unchanged. Small blocks, and maps
/// split and joined at every point, make every case of a copied bottom node
/// merging into one block (or not) come up.
fn removing_every_key_from_shared_versions<P: PointerKind>() {
    for n in 1..=80u32 {
        let orders: [Vec<u32>; 3] = [
            (0..n).collect(),
            (0..n).rev().collect(),
            // 83 is prime and above every n, so this is a permutation.
            (0..n).map(|i| (i * 83) % n).collect(),
        ];
        // Shapes that inserts alone do not make: joined at every point by
        // `split_off` and `append`, which leave small blocks under nodes.
        let joined = (1..n).filter(|_| n <= 30).map(|at| {
            let mut low: GenericAvlMap<u32, u32, P> = (0..n).map(|k| (k, k)).collect();
            let mut high = low.split_off(&at);
            let mut low_again = low.split_off(&(at / 2));
            low_again.append(&mut high);
            low.append(&mut low_again);
            (low, (0..n).collect::<Vec<_>>())
        });
        let inserted = orders.iter().map(|order| {
            let mut map: GenericAvlMap<u32, u32, P> = GenericAvlMap::default();
            for &k in order {
                map.insert(k, k);
            }
            (map, order.clone())
        });
        for (map, order) in inserted.chain(joined) {
            let order = &order;
            for k in 0..n {
                let after = map.removed(&k);
                after.check_invariants().unwrap();
                assert_eq!(after.len(), n as usize - 1);
                assert!(!after.contains_key(&k));
                assert!(after.keys().copied().eq((0..n).filter(|&j| j != k)));
            }
            // Removed in order, each version shared with the one before.
            let mut version = map.clone();
            for &k in order {
                version = version.removed(&k);
                version.check_invariants().unwrap();
            }
            assert!(version.is_empty());
            map.check_invariants().unwrap();
            assert!(map.keys().copied().eq(0..n));
        }
    }
}

#[test]
fn removing_every_key_from_shared_versions_keeps_them_valid() {
    removing_every_key_from_shared_versions::<persistent_avl::BlockSize<RcKind, 1>>();
    removing_every_key_from_shared_versions::<SmallRc>();
    removing_every_key_from_shared_versions::<persistent_avl::BlockSize<ArcKind, 3>>();
    removing_every_key_from_shared_versions::<persistent_avl::BlockSize<ArcKind, 4>>();
    removing_every_key_from_shared_versions::<Classic>();
}

/// The entries stored in the nodes and blocks of `node`'s subtree (whose
/// first entry is at position `offset`) that hold a position of `window`
/// or lie above one. These are what `range_mut` over `window` must make its
/// own when every node is shared: the nodes and blocks it lends entries
/// from, and the nodes on the way down to them; nothing else.
fn copied_by_window<K, V, P: PointerKind>(
    node: Option<NodeRef<'_, K, V, P>>,
    offset: usize,
    window: &Range<usize>,
) -> usize {
    let Some(node) = node else { return 0 };
    if window.is_empty() || window.end <= offset || offset + node.len() <= window.start {
        return 0;
    }
    let block = |entries: &[(K, V)], at: usize| {
        let hit = !entries.is_empty() && at < window.end && window.start < at + entries.len();
        if hit { entries.len() } else { 0 }
    };
    let own = offset + node.left().map_or(0, |left| left.len()) + node.left_block().len();
    1 + copied_by_window(node.left(), offset, window)
        + block(node.left_block(), offset)
        + copied_by_window(node.right(), own + 1, window)
        + block(node.right_block(), own + 1)
}

/// `range_mut` over short ranges (and one long one) of a shared map of
/// 10^4 entries, built sorted and by scattered inserts.
///
/// The copies are exactly those [`copied_by_window`] counts, which bounds
/// them: the w entries lent, each in its node or block; the entries before
/// and after the range in the blocks at its two ends, at most
/// 2 (B - 1) for blocks of B; and the nodes above the range that hold no
/// entry of it, which lie on the paths from the root to the range's first
/// and last entries: at most h nodes each, the root on both, so 2h - 1.
/// A range of no entries copies nothing.
fn range_mut_copies_only_its_window<P: PointerKind>() {
    let n = 10_000u32;
    let sorted: GenericAvlMap<u32, u32, P> = (0..n).map(|k| (2 * k, k)).collect();
    let mut scattered = GenericAvlMap::<u32, u32, P>::empty();
    for i in 0..n {
        // 7919 is prime, so this visits every key once.
        let k = i * 7919 % n;
        scattered.insert(2 * k, k);
    }
    for map in [sorted, scattered] {
        let (height, block) = (map.height(), P::BLOCK);
        let ranges = [
            (0, 1),
            (0, 64),
            (5_000, 5_002),
            (7_001, 7_002),
            (9_000, 9_150),
            (12_345, 12_999),
            (19_990, 20_000),
            (2_000, 16_000),
        ];
        for (low, high) in ranges {
            let window = map.rank(&low)..map.rank(&high);
            let lent = window.len();
            let mut edited = map.clone();
            for (_, v) in edited.range_mut(low..high) {
                *v += n;
            }
            edited.check_invariants().unwrap();
            let shared = map.sharing(&edited);

            let copied = copied_by_window(map.root_node(), 0, &window);
            let what = format!("range_mut({low}..{high}), blocks of {block}, height {height}");
            assert_eq!(shared.only_second, copied, "{what}");
            assert_eq!(shared.only_first, copied, "{what}: copies are one for one");
            assert_eq!(shared.shared + copied, map.len(), "{what}");
            if lent == 0 {
                assert_eq!(copied, 0, "{what}");
            } else {
                let bound = lent + 2 * block.saturating_sub(1) + 2 * height - 1;
                assert!(copied <= bound, "{what}: {copied} copied, above {bound}");
            }
            if high - low < 1_000 {
                assert!(copied * 20 < map.len(), "{what}: {copied} copied");
            }

            // The values lent changed in the new version only.
            for (&k, &v) in &map {
                assert_eq!(v, k / 2);
                let expected = if (low..high).contains(&k) {
                    k / 2 + n
                } else {
                    k / 2
                };
                assert_eq!(edited[&k], expected, "{what}: key {k}");
            }
        }
    }
}

#[test]
fn range_mut_on_a_shared_map_copies_only_the_range_and_the_paths_to_it() {
    range_mut_copies_only_its_window::<ArcKind>();
    range_mut_copies_only_its_window::<Classic>();
    range_mut_copies_only_its_window::<SmallRc>();
    range_mut_copies_only_its_window::<persistent_avl::BlockSize<ArcKind, 5>>();
}
