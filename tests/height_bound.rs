//! The AVL height bound: a tree of n entries has height
//! h <= 1.4405 log2(n + 2) - 0.3277 (Adelson-Velsky and Landis; Knuth 6.2.3),
//! which is what makes every operation O(log n).
//!
//! - Sorted inserts, the worst case of a plain search tree (a list of height
//!   n), stay balanced: checked at every n up to 10^5, both ways.
//! - The bound is tight: minimal AVL trees (Fibonacci trees) reach it. They
//!   are built in the map exactly, by inserting their keys in level order,
//!   which needs no rotation, and their height meets the bound with almost
//!   no slack.
//! - Dropping is recursive only as deep as the tree is high, so even a
//!   million entries drop on a thread with a 64 KiB stack.

use persistent_avl::GenericAvlMap;
use std::collections::VecDeque;

use persistent_avl::{NodeRef, PointerKind};

mod common;
use common::Rng;

/// The classic AVL tree, one entry per node (`Classic`, no blocks), whose shapes
/// these tests pin down.
type Classic = persistent_avl::Classic<persistent_avl::ArcKind>;

/// The bound, in floating point. Heights are small integers and the bound's
/// slack (at least 0.001 below 2^64 entries) is far above f64 rounding.
fn bound(n: usize) -> f64 {
    1.4405 * ((n + 2) as f64).log2() - 0.3277
}

/// The least possible height of any binary tree of n nodes.
fn optimal_height(n: usize) -> usize {
    if n == 0 { 0 } else { n.ilog2() as usize + 1 }
}

/// The n at which `check_invariants` runs in full (it is O(n)).
fn worth_a_full_check(n: usize) -> bool {
    n <= 300 || (n + 1).is_power_of_two() || n.is_power_of_two() || (n - 1).is_power_of_two()
}

/// A plain (unbalanced) search tree: sorted inserts make
/// it a list.
#[derive(Default)]
struct PlainBst {
    /// (key, left, right) by index.
    nodes: Vec<(u32, Option<usize>, Option<usize>)>,
}

impl PlainBst {
    fn insert(&mut self, key: u32) {
        let new = self.nodes.len();
        self.nodes.push((key, None, None));
        if new == 0 {
            return;
        }
        let mut at = 0;
        loop {
            let (k, l, r) = self.nodes[at];
            let slot = if key < k { l } else { r };
            match slot {
                Some(next) => at = next,
                None => {
                    if key < k {
                        self.nodes[at].1 = Some(new);
                    } else {
                        self.nodes[at].2 = Some(new);
                    }
                    return;
                }
            }
        }
    }

    fn height(&self) -> usize {
        // Iterative: the tree may be a long list.
        let mut best = 0;
        let mut stack = if self.nodes.is_empty() {
            vec![]
        } else {
            vec![(0, 1)]
        };
        while let Some((at, depth)) = stack.pop() {
            best = best.max(depth);
            let (_, l, r) = self.nodes[at];
            stack.extend(l.into_iter().chain(r).map(|c| (c, depth + 1)));
        }
        best
    }
}

#[test]
fn sorted_inserts_would_make_a_plain_search_tree_a_list() {
    // The contrast that motivates balancing: the same 2000 sorted inserts.
    let mut plain = PlainBst::default();
    let mut avl: GenericAvlMap<u32, (), Classic> = GenericAvlMap::default();
    for k in 1..=2000 {
        plain.insert(k);
        avl.insert(k, ());
    }
    assert_eq!(plain.height(), 2000);
    assert_eq!(avl.height(), 11);
    assert!((avl.height() as f64) <= bound(2000));
}

fn sorted_inserts_stay_balanced(keys: impl Iterator<Item = u32>) {
    let mut map: GenericAvlMap<u32, (), Classic> = GenericAvlMap::default();
    for key in keys {
        map.insert(key, ());
        let (n, h) = (map.len(), map.height());
        assert!(h as f64 <= bound(n), "n = {n}: height {h} above the bound");
        // Sorted inserts even reach the least height any tree of n nodes
        // can have (a known property of AVL insertion of sorted keys), far
        // from the n of a plain search tree.
        assert_eq!(h, optimal_height(n), "n = {n}");
        if worth_a_full_check(n) {
            map.check_invariants().unwrap();
        }
    }
    map.check_invariants().unwrap();
}

#[test]
fn ascending_inserts_stay_balanced_at_every_n() {
    sorted_inserts_stay_balanced(1..=100_000);
}

#[test]
fn descending_inserts_stay_balanced_at_every_n() {
    sorted_inserts_stay_balanced((1..=100_000).rev());
}

#[test]
fn removals_in_order_stay_balanced() {
    // Emptying from one end, the other, and alternately, keeps the bound.
    let full: GenericAvlMap<u32, (), Classic> = (0..20_000).map(|k| (k, ())).collect();
    for way in 0..3 {
        let mut map = full.clone();
        let mut i = 0;
        while !map.is_empty() {
            match (way, i % 2) {
                (0, _) | (2, 0) => map.pop_first(),
                _ => map.pop_last(),
            };
            i += 1;
            assert!(map.height() as f64 <= bound(map.len()));
            if worth_a_full_check(map.len()) {
                map.check_invariants().unwrap();
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Fibonacci trees: the fewest nodes for a height, so the worst case.

/// N(h), the size of a minimal AVL tree of height h:
/// N(0) = 0, N(1) = 1, N(h) = N(h-1) + N(h-2) + 1.
fn minimal_size(h: usize) -> usize {
    let (mut a, mut b) = (0, 1); // N(0), N(1)
    for _ in 0..h {
        (a, b) = (b, a + b + 1);
    }
    a
}

/// A tree shape with its in-order keys.
struct Shape {
    key: u32,
    left: Option<Box<Shape>>,
    right: Option<Box<Shape>>,
}

/// The minimal AVL tree of height `h` on the keys from `*next` on: one
/// subtree of height h-1 and one of h-2, the taller on the left, or on the
/// side `lean` chooses for each node.
fn fibonacci_tree(h: usize, next: &mut u32, lean: &mut impl FnMut() -> bool) -> Option<Box<Shape>> {
    if h == 0 {
        return None;
    }
    let left_taller = lean();
    let (hl, hr) = if h == 1 {
        (0, 0)
    } else if left_taller {
        (h - 1, h - 2)
    } else {
        (h - 2, h - 1)
    };
    let left = fibonacci_tree(hl, next, lean);
    let key = *next;
    *next += 1;
    let right = fibonacci_tree(hr, next, lean);
    Some(Box::new(Shape { key, left, right }))
}

/// The keys of a shape in level order (breadth first).
fn level_order(root: &Shape) -> Vec<u32> {
    let mut out = Vec::new();
    let mut queue = VecDeque::from([root]);
    while let Some(node) = queue.pop_front() {
        out.push(node.key);
        queue.extend(node.left.as_deref());
        queue.extend(node.right.as_deref());
    }
    out
}

/// Asserts that the map's tree has exactly `shape`, and that every node
/// with a child leans by exactly one (the minimal tree's signature).
/// Returns the number of nodes compared.
fn assert_same_shape<P: PointerKind>(
    node: Option<NodeRef<'_, u32, (), P>>,
    shape: Option<&Shape>,
) -> usize {
    match (node, shape) {
        (None, None) => 0,
        (Some(node), Some(shape)) => {
            assert_eq!(*node.key(), shape.key);
            let (hl, hr) = (
                node.left().map_or(0, |c| c.height()),
                node.right().map_or(0, |c| c.height()),
            );
            if node.height() > 1 {
                assert_eq!(
                    hl.abs_diff(hr),
                    1,
                    "balance factor at {} is not ±1",
                    shape.key
                );
            }
            1 + assert_same_shape(node.left(), shape.left.as_deref())
                + assert_same_shape(node.right(), shape.right.as_deref())
        }
        (node, shape) => panic!(
            "shapes differ: map has {:?}, minimal tree has {:?}",
            node.map(|n| *n.key()),
            shape.map(|s| s.key)
        ),
    }
}

/// Builds the minimal tree of height h in a map and checks it; returns the
/// bound's slack, bound(N(h)) - h.
fn check_minimal_tree(h: usize, lean: &mut impl FnMut() -> bool) -> f64 {
    let mut next = 0;
    let shape = fibonacci_tree(h, &mut next, lean).expect("h >= 1");
    let n = minimal_size(h);
    assert_eq!(next as usize, n);
    // Every prefix of a level order of an AVL tree is itself balanced, so
    // no insert rotates and the map ends with exactly this shape.
    let mut map: GenericAvlMap<u32, (), Classic> = GenericAvlMap::default();
    for key in level_order(&shape) {
        map.insert(key, ());
    }
    assert_eq!(assert_same_shape(map.root_node(), Some(&shape)), n);
    assert_eq!((map.height(), map.len()), (h, n));
    if n <= 50_000 {
        map.check_invariants().unwrap();
    }
    let slack = bound(n) - h as f64;
    assert!(slack >= 0.0, "h = {h}, n = {n}: height above the bound");
    slack
}

#[test]
fn minimal_avl_trees_reach_the_bound() {
    let mut slacks = Vec::new();
    for h in 1..=25 {
        slacks.push(check_minimal_tree(h, &mut || true));
    }
    // The bound is tight for these, the worst trees: the slack shrinks to
    // about 0.0013 (its least, at h = 20) and then grows only as fast as
    // 1.4405 exceeds 1 / log2(golden ratio) = 1.44042.
    for (h, slack) in (1..).zip(&slacks) {
        if h >= 11 {
            assert!(*slack < 0.01, "h = {h}: slack {slack}");
        }
    }
    let least = slacks.iter().copied().fold(f64::INFINITY, f64::min);
    assert!((0.001..0.0014).contains(&least), "least slack {least}");
    // So the bound, rounded down, names the height of the minimal trees
    // exactly: no higher AVL tree of that size is allowed.
    for h in 1..=25 {
        assert_eq!(bound(minimal_size(h)).floor() as usize, h);
    }
}

#[test]
fn minimal_avl_trees_of_mixed_leaning_are_built_exactly() {
    // The same with each node leaning left or right at random.
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut lean = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state & 1 == 0
    };
    for h in 1..=20 {
        check_minimal_tree(h, &mut lean);
    }
}

// ---------------------------------------------------------------------------
// Dropping.

/// Drops `value` on a new thread with a 64 KiB stack.
fn drop_on_small_stack<T: Send + 'static>(value: T) {
    std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(move || drop(value))
        .expect("spawn")
        .join()
        .expect("the drop overflowed or panicked");
}

#[test]
fn a_million_entries_drop_on_a_small_stack() {
    let n = 1_000_000u32;
    let map: GenericAvlMap<u32, u32, Classic> =
        GenericAvlMap::from_sorted_iter((0..n).map(|k| (k, k))).unwrap();
    assert!(map.height() as f64 <= bound(map.len()));
    // Several versions sharing most of it.
    let mut versions = vec![map.clone()];
    let mut v = map.clone();
    for k in (0..n).step_by(99_991) {
        v.remove(&k);
        v.insert(n + k, k);
        versions.push(v.clone());
    }
    let mut low = v.clone();
    let high = low.split_off(&(n / 2));
    versions.extend([low, high, map.inserted(n * 2, 0)]);
    // Dropped one at a time, the last owner of the shared nodes goes last.
    drop_on_small_stack((map, versions, v));
}

#[test]
fn a_million_sorted_inserts_drop_on_a_small_stack() {
    let mut map: GenericAvlMap<u32, (), Classic> = GenericAvlMap::default();
    for k in 0..1_000_000u32 {
        map.insert(k, ());
    }
    assert_eq!(map.height(), optimal_height(1_000_000));
    drop_on_small_stack(map);
}

/// The nodes of a version, counted through the shape view.
fn count_nodes<P: PointerKind>(map: &GenericAvlMap<u64, u64, P>) -> usize {
    let mut stack: Vec<_> = map.root_node().into_iter().collect();
    let mut nodes = 0;
    while let Some(node) = stack.pop() {
        nodes += 1;
        stack.extend(node.left());
        stack.extend(node.right());
    }
    nodes
}

/// With blocks, a block counts as height 0, so the AVL bound holds for the
/// nodes: h <= 1.4405 log2(nodes + 2) - 0.3277, and with at most one node
/// per entry, the bound in the entries holds too. Random inserts then
/// removes, checked every 500 steps, for several block sizes.
fn blocked_heights_obey_the_bound<P: PointerKind>() {
    let mut rng = Rng(31);
    let mut map: GenericAvlMap<u64, u64, P> = GenericAvlMap::default();
    let check = |map: &GenericAvlMap<u64, u64, P>| {
        let nodes = count_nodes(map);
        assert!(nodes <= map.len());
        assert!(
            (map.height() as f64) <= bound(nodes),
            "height {} over {nodes} nodes",
            map.height()
        );
        assert!((map.height() as f64) <= bound(map.len()));
    };
    for step in 0..30_000u64 {
        map.insert(rng.below(1 << 40), step);
        if step % 500 == 0 {
            check(&map);
        }
    }
    for step in 0..25_000 {
        let at = rng.below(map.len() as u64) as usize;
        let key = *map.get_index(at).unwrap().0;
        map.remove(&key);
        if step % 500 == 0 {
            check(&map);
        }
    }
    check(&map);
    map.check_invariants().unwrap();
}

#[test]
fn blocked_heights_obey_the_bound_in_their_nodes() {
    use persistent_avl::{ArcKind, BlockSize, RcKind};
    blocked_heights_obey_the_bound::<BlockSize<RcKind, 2>>();
    blocked_heights_obey_the_bound::<BlockSize<ArcKind, 16>>();
    blocked_heights_obey_the_bound::<ArcKind>();
}
