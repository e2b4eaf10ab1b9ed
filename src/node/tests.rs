//! Unit tests of the raw tree: rotations against the balance-factor
//! formula, join, split, union and the bulk build, each checked against the
//! invariants, without blocks (the classic tree) and of other sizes.

use alloc::vec::Vec;

use super::*;
use crate::ptr::{ArcKind, BlockSize, RcKind};

/// The classic tree, one entry per node (no blocks), whose shapes
/// most tests here pin down.
type Classic = crate::ptr::Classic<ArcKind>;

type T = Tree<u32, (), Classic>;

/// A node of `left`, `key` and `right` with no balance requirement, for
/// setting up the cases a rotation starts from.
fn raw(left: T, key: u32, right: T) -> Link<u32, (), Classic> {
    assemble(Sub::from_tree(left), (key, ()), Sub::from_tree(right))
}

/// A perfect-ish tree of the keys `lo..hi` (balanced by halving).
fn keys(lo: u32, hi: u32) -> T {
    build_sorted((lo..hi).map(|k| (k, ())).collect())
}

/// The union of two trees, as `append` makes it: the sequential merge.
fn union<K: Ord + Clone, V: Clone, P: PointerKind>(
    a: Tree<K, V, P>,
    b: Tree<K, V, P>,
) -> Tree<K, V, P> {
    merge(a, b, &crate::map::union_of(), Seq)
}

fn in_order<P: PointerKind>(tree: &Tree<u32, (), P>) -> Vec<u32> {
    RawIter::new(tree).map(|(k, ())| *k).collect()
}

fn balance(sub: &Sub<u32, (), Classic>) -> isize {
    sub.node().map_or(0, |link| link.balance())
}

/// The heights of the nodes, in order.
fn node_heights(tree: &T) -> Vec<usize> {
    fn walk(node: &Node<u32, (), Classic>, out: &mut Vec<usize>) {
        if let Some(left) = node.left.node() {
            walk(left, out);
        }
        out.push(node.height());
        if let Some(right) = node.right.node() {
            walk(right, out);
        }
    }
    let mut out = Vec::new();
    if let Some(root) = tree {
        walk(root, &mut out);
    }
    out
}

/// Every shape a right rotation at A can meet when |bf(A)| <= 2: B's two
/// subtrees of heights 0..=3 and C's within two of B.
fn right_rotation_cases() -> Vec<T> {
    let mut cases = Vec::new();
    let sized = |h: usize, base: u32| -> T {
        // A tree of height exactly h on keys from `base`.
        let n = if h == 0 { 0 } else { (1u32 << h) - 1 };
        keys(base, base + n)
    };
    for hd in 0..=3usize {
        for he in 0..=3usize {
            if hd.abs_diff(he) > 1 {
                continue;
            }
            let hb = 1 + hd.max(he);
            for hc in hb.saturating_sub(2)..=hb + 2 {
                // Keys: D < B < E < A < C, spaced so the ranges never meet.
                let d = sized(hd, 0);
                let e = sized(he, 100);
                let c = sized(hc, 300);
                let b = raw(d, 50, e);
                cases.push(Some(raw(Some(b), 200, c)));
            }
        }
    }
    cases
}

#[test]
fn right_rotation_updates_balance_factors_by_the_formula() {
    for mut tree in right_rotation_cases() {
        let before = in_order(&tree);
        let link = tree.as_mut().unwrap();
        let old_a = link.balance();
        let old_b = balance(&link.left);
        rotate_right(link);
        // new_A = old_A - 1 - max(old_B, 0), derived in docs/design.md.
        let new_a = balance(&link.right);
        assert_eq!(new_a, old_a - 1 - old_b.max(0));
        // Its mirror for B, from the same derivation:
        // new_B = old_B - 1 + min(new_A, 0).
        assert_eq!(link.balance(), old_b - 1 + new_a.min(0));
        assert_eq!(in_order(&tree), before, "a rotation keeps the order");
    }
}

#[test]
fn left_rotation_is_the_mirror_image() {
    for mut tree in right_rotation_cases() {
        let link = tree.as_mut().unwrap();
        rotate_right(link);
        let shape = in_order(&tree);
        let heights = node_heights(&tree);
        rotate_left(tree.as_mut().unwrap());
        rotate_right(tree.as_mut().unwrap());
        // Left undoes right: same order, same heights everywhere.
        assert_eq!(in_order(&tree), shape);
        let again = node_heights(&tree);
        assert_eq!(again, heights);
    }
}

#[test]
fn rebalance_restores_the_avl_rule_with_one_rotation() {
    for mut tree in right_rotation_cases() {
        let link = tree.as_mut().unwrap();
        if link.balance().abs() > 2 {
            continue;
        }
        let keys = in_order(&tree);
        rebalance(tree.as_mut().unwrap());
        // Children were valid AVL trees, so one rebalance makes the whole
        // tree valid, whatever the case (LL, LR, or a balanced child).
        assert_eq!(check(&tree), Ok(()));
        assert_eq!(in_order(&tree), keys);
    }
}

#[test]
fn build_makes_a_perfectly_balanced_tree() {
    for n in 0..300u32 {
        let tree = keys(0, n);
        assert_eq!(check(&tree), Ok(()));
        assert_eq!(size(&tree), n as usize);
        // Halving gives the minimum height: ceil(log2(n + 1)).
        let min_height = (u32::BITS - n.leading_zeros()) as usize;
        assert_eq!(height(&tree), min_height, "n = {n}");
    }
}

#[test]
fn join_of_trees_of_any_heights_is_valid() {
    for left_len in [0, 1, 2, 5, 30, 200] {
        for right_len in [0, 1, 3, 17, 100, 1000] {
            let left = keys(0, left_len);
            let right = keys(left_len + 1, left_len + 1 + right_len);
            let joined =
                join::join(Sub::from_tree(left), (left_len, ()), Sub::from_tree(right)).into_tree();
            assert_eq!(check(&joined), Ok(()));
            let expected: Vec<u32> = (0..=left_len + right_len).collect();
            assert_eq!(in_order(&joined), expected);
        }
    }
}

#[test]
fn split_at_every_index_gives_two_valid_halves() {
    let n = 100u32;
    let whole = keys(0, n);
    for index in 0..=n as usize + 1 {
        let (low, high) = split_at(whole.clone(), index);
        assert_eq!(check(&low), Ok(()));
        assert_eq!(check(&high), Ok(()));
        let cut = index.min(n as usize);
        let all: Vec<u32> = (0..n).collect();
        assert_eq!(in_order(&low), all[..cut]);
        assert_eq!(in_order(&high), all[cut..]);
    }
    // The source is a clone's: untouched.
    assert_eq!(in_order(&whole), (0..n).collect::<Vec<_>>());
}

#[test]
fn union_takes_the_right_hand_value_and_keeps_the_left_hand_key() {
    let evens: Tree<u32, char, crate::ptr::Classic<RcKind>> =
        build_sorted((0..50).map(|k| (2 * k, 'a')).collect());
    let threes: Tree<u32, char, crate::ptr::Classic<RcKind>> =
        build_sorted((0..40).map(|k| (3 * k, 'b')).collect());
    let united = union(evens.clone(), threes.clone());
    assert_eq!(check(&united), Ok(()));
    let mut expected: Vec<(u32, char)> = (0..50).map(|k| (2 * k, 'a')).collect();
    expected.retain(|(k, _)| k % 3 != 0);
    expected.extend((0..40).map(|k| (3 * k, 'b')));
    expected.sort_unstable();
    let got: Vec<(u32, char)> = RawIter::new(&united).copied().collect();
    assert_eq!(got, expected);
}

#[test]
fn build_of_large_inputs_stays_perfectly_balanced() {
    for n in [1023u32, 1024, 1025, 2047, 5000, 70_000] {
        let tree = keys(0, n);
        assert_eq!(check(&tree), Ok(()), "n = {n}");
        assert_eq!(in_order(&tree), (0..n).collect::<Vec<_>>());
        let min_height = (u32::BITS - n.leading_zeros()) as usize;
        assert_eq!(height(&tree), min_height, "n = {n}");
    }
}

type B4 = BlockSize<ArcKind, 4>;

/// Blocks take part in join, split and union as subtrees of height 0.
#[test]
fn join_split_and_union_with_blocks() {
    for n in [0u32, 1, 3, 4, 5, 9, 10, 40, 200] {
        let tree: Tree<u32, (), B4> = build_sorted((0..n).map(|k| (k, ())).collect());
        assert_eq!(check(&tree), Ok(()), "n = {n}");
        assert_eq!(in_order(&tree), (0..n).collect::<Vec<_>>());
        for cut in 0..=n {
            let index = cut as usize;
            let (low, high) = split_at(tree.clone(), index);
            assert_eq!(check(&low), Ok(()));
            assert_eq!(check(&high), Ok(()));
            assert_eq!(in_order(&low), (0..cut).collect::<Vec<_>>());
            assert_eq!(in_order(&high), (cut..n).collect::<Vec<_>>());
            let rejoined = union(low, high);
            assert_eq!(check(&rejoined), Ok(()));
            assert_eq!(in_order(&rejoined), (0..n).collect::<Vec<_>>());
        }
    }
    let evens: Tree<u32, (), B4> = build_sorted((0..60).map(|k| (2 * k, ())).collect());
    let odds: Tree<u32, (), B4> = build_sorted((0..60).map(|k| (2 * k + 1, ())).collect());
    let all = union(evens, odds);
    assert_eq!(check(&all), Ok(()));
    assert_eq!(in_order(&all), (0..120).collect::<Vec<_>>());
}

/// A shared node of height 2 whose child merges into one block as a copied
/// remove passes through it must not merge too, even when its entries would
/// then fit in one block: only a node over two runs (height 1) merges, so
/// that a subtree never shrinks by more than one, which its parent's
/// rebalancing relies on.
///
/// ```text
///            R(50)                 X, over Y and nothing, has height 2 and
///          /       \               three entries; with blocks of 2, Y and
///       X(20)     (100..112,       then X would fit in one block each.
///       /          height 3)
///    Y(10)
///    /
///  [5]
/// ```
#[test]
fn a_copied_remove_merges_only_the_bottom_node() {
    type B2 = BlockSize<RcKind, 2>;
    let block = |k: u32| Sub::from_run(alloc::vec![(k, ())]);
    let y = assemble::<u32, (), B2>(block(5), (10, ()), Sub::empty());
    let x = assemble(Sub::Tree(Some(y)), (20, ()), Sub::empty());
    let right: Tree<u32, (), B2> = build_sorted((100..112).map(|k| (k, ())).collect());
    assert_eq!(height(&right), 3);
    let root = assemble(Sub::Tree(Some(x)), (50, ()), Sub::from_tree(right));
    let mut tree = Some(root);
    check(&tree).unwrap();
    let kept = tree.clone();

    let removed = remove_by_key(&mut tree, &5);
    assert_eq!(removed, Some((5, ())));
    check(&tree).unwrap();
    assert!(
        RawIter::new(&tree)
            .map(|(k, ())| *k)
            .eq([10, 20, 50].into_iter().chain(100..112))
    );
    check(&kept).unwrap();
    assert_eq!(size(&kept), 16);
}

#[test]
#[cfg(target_pointer_width = "64")]
fn a_node_that_never_points_to_a_block_is_sixteen_bytes_smaller() {
    use core::mem::size_of;
    // Two subtrees of eight bytes (a node or nothing), the size and height,
    // and the entry; with blocks, a subtree is sixteen (a block's pointer
    // carries its length). Add 16 for the reference counts of the node's
    // allocation: 56 and 72 bytes.
    assert_eq!(size_of::<Sub<u64, u64, Classic>>(), 8);
    assert_eq!(size_of::<Node<u64, u64, Classic>>(), 8 + 8 + 8 + 16);
    assert_eq!(size_of::<Sub<u64, u64, ArcKind>>(), 16);
    assert_eq!(size_of::<Node<u64, u64, ArcKind>>(), 16 + 16 + 8 + 16);
    assert_eq!(size_of::<Node<u64, u64, RcKind>>(), 16 + 16 + 8 + 16);
}
