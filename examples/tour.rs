//! A tour of `persistent-avl`: why a search tree needs balancing, what an AVL
//! tree looks like, its four rotations, how persistent versions share
//! their nodes, and a history with undo, redo and diffs.
//!
//! ```text
//! cargo run --release --example tour
//! ```

use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use persistent_avl::{AvlMap, History, NodeRef};

fn main() {
    degenerate_case();
    picture();
    rotations();
    versions();
    sharing();
    cheap_clone();
    history();
}

fn heading(title: &str) {
    println!("\n== {title} ==\n");
}

// 1. Sorted inserts: a plain search tree becomes a list, an AVL tree does not.

/// A plain binary search tree with no balancing, its nodes in a `Vec`:
/// `(key, left, right)`.
#[derive(Default)]
struct PlainBst {
    nodes: Vec<(u64, Option<usize>, Option<usize>)>,
    height: usize,
}

impl PlainBst {
    /// Inserts `key` at the leaf where the search for it ends. Iterative: a
    /// sorted run makes the tree a list far too deep for recursion.
    fn insert(&mut self, key: u64) {
        let new = self.nodes.len();
        let mut depth = 1;
        if new > 0 {
            let mut at = 0;
            loop {
                depth += 1;
                let (k, left, right) = &mut self.nodes[at];
                if key == *k {
                    return;
                }
                let child = if key < *k { left } else { right };
                if let Some(next) = *child {
                    at = next;
                } else {
                    *child = Some(new);
                    break;
                }
            }
        }
        self.nodes.push((key, None, None));
        self.height = self.height.max(depth);
    }

    fn from_keys(keys: &[u64]) -> Self {
        let mut bst = PlainBst::default();
        for &k in keys {
            bst.insert(k);
        }
        bst
    }

    fn root(&self) -> Option<usize> {
        (!self.nodes.is_empty()).then_some(0)
    }

    /// Height of the subtree at `at` (recursive: for the small pictures only).
    fn height_at(&self, at: Option<usize>) -> usize {
        at.map_or(0, |i| {
            let (_, l, r) = self.nodes[i];
            1 + self.height_at(l).max(self.height_at(r))
        })
    }

    /// The picture of this tree, each node with its balance factor.
    fn draw(&self) -> Vec<String> {
        let kids = |i: usize| (self.nodes[i].1, self.nodes[i].2);
        let label = |i: usize| {
            let (k, l, r) = self.nodes[i];
            let bf = self.height_at(l).cast_signed() - self.height_at(r).cast_signed();
            format!("{k} (bf {bf:+})")
        };
        draw(self.root(), &kids, &label)
    }
}

fn avl(keys: &[u64]) -> AvlMap<u64, ()> {
    let mut map = AvlMap::new();
    for &k in keys {
        map.insert(k, ());
    }
    map
}

fn degenerate_case() {
    heading("1. Sorted inserts: a plain search tree degenerates, an AVL tree does not");
    println!("Insert 1, 2, 3, 4, 5 in this order (the seeds' example):\n");
    let keys = [1, 2, 3, 4, 5];
    let (plain, tree) = (PlainBst::from_keys(&keys).draw(), draw_avl(&avl(&keys)));
    print_side_by_side(("plain BST: a list", &plain), ("AvlMap", &tree));

    println!("\nHeight after inserting 1..=n in order (a lookup visits up to `height` nodes):\n");
    println!(
        "{:>9} {:>10} {:>10} {:>7} {:>10} {:>6} {:>7}",
        "n", "plain BST", "build", "AvlMap", "build", "best", "bound"
    );
    for n in [5_u32, 1_000, 10_000, 20_000, 1_000_000] {
        let keys: Vec<u64> = (1..=u64::from(n)).collect();
        // 10^6 sorted keys would take a plain BST 5 * 10^11 steps: not run.
        let (plain, plain_time) = if n <= 20_000 {
            let start = Instant::now();
            let height = PlainBst::from_keys(&keys).height;
            (height.to_string(), format!("{:.1?}", start.elapsed()))
        } else {
            (String::from("-"), String::from("(not run)"))
        };
        let start = Instant::now();
        let tree = avl(&keys).height();
        let tree_time = format!("{:.1?}", start.elapsed());
        let n = f64::from(n);
        let best = (n + 1.0).log2().ceil();
        let bound = 1.4405 * (n + 2.0).log2() - 0.3277;
        println!(
            "{n:>9} {plain:>10} {plain_time:>10} {tree:>7} {tree_time:>10} {best:>6} {bound:>7.2}"
        );
    }
    println!("\nbest: ceil(log2(n+1)), the height of a perfect tree; bound: the AVL worst case,");
    println!("1.4405 log2(n+2) - 0.3277. Sorted inserts cost the plain tree O(n) each, O(n^2)");
    println!("in all; the AvlMap pays O(log n) each and here even reaches the best height.");
}

// 2. Pictures of trees, from the `NodeRef` view.

/// Draws a tree sideways: the root on the left, larger keys above, smaller
/// below. `kids` gives a node's (left, right) children.
fn draw<T: Copy>(
    root: Option<T>,
    kids: &dyn Fn(T) -> (Option<T>, Option<T>),
    label: &dyn Fn(T) -> String,
) -> Vec<String> {
    fn walk<T: Copy>(
        node: T,
        prefix: &str,
        edge: &str,
        kids: &dyn Fn(T) -> (Option<T>, Option<T>),
        label: &dyn Fn(T) -> String,
        out: &mut Vec<String>,
    ) {
        // The vertical line to this node's parent runs past one of its sides.
        let (above, below) = match edge {
            "┌── " => ("    ", "│   "),
            "└── " => ("│   ", "    "),
            _ => ("", ""),
        };
        let (left, right) = kids(node);
        if let Some(r) = right {
            walk(r, &format!("{prefix}{above}"), "┌── ", kids, label, out);
        }
        out.push(format!("{prefix}{edge}{}", label(node)));
        if let Some(l) = left {
            walk(l, &format!("{prefix}{below}"), "└── ", kids, label, out);
        }
    }
    let mut out = Vec::new();
    if let Some(root) = root {
        walk(root, "", "", kids, label, &mut out);
    }
    out
}

/// `height(left) - height(right)`: the seeds' balance factor.
fn balance<K, V>(node: NodeRef<'_, K, V>) -> isize {
    let h = |n: Option<NodeRef<'_, K, V>>| n.map_or(0, |n| n.height()).cast_signed();
    h(node.left()) - h(node.right())
}

fn draw_avl<'a, K: std::fmt::Display, V>(map: &'a AvlMap<K, V>) -> Vec<String> {
    let kids = |n: NodeRef<'a, K, V>| (n.left(), n.right());
    let label =
        |n: NodeRef<'_, K, V>| format!("{} (h{}, bf {:+})", n.key(), n.height(), balance(n));
    draw(map.root_node(), &kids, &label)
}

/// Prints two pictures next to each other, under their titles if any.
fn print_side_by_side((title_a, a): (&str, &[String]), (title_b, b): (&str, &[String])) {
    let width = a
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .max(title_a.len())
        + 6;
    if !title_a.is_empty() || !title_b.is_empty() {
        println!("  {title_a:width$}{title_b}");
    }
    for i in 0..a.len().max(b.len()) {
        let left = a.get(i).map_or("", String::as_str);
        let pad = width - left.chars().count();
        println!("  {left}{:pad$}{}", "", b.get(i).map_or("", String::as_str));
    }
}

fn picture() {
    heading("2. Reading a tree: heights and balance factors");
    println!("1..=10 inserted in order. Sideways: root on the left, larger keys above.");
    println!("h = height of the subtree (a leaf is 1), bf = height(left) - height(right):\n");
    let map = avl(&(1..=10).collect::<Vec<_>>());
    for line in draw_avl(&map) {
        println!("  {line}");
    }

    // The AVL rule holds at every node of every version: count it on a big one.
    let big: AvlMap<u64, ()> = avl(&(0..100_000).map(shuffle).collect::<Vec<_>>());
    let mut counts = BTreeMap::new();
    walk_nodes(big.root_node(), &mut |n| {
        *counts.entry(balance(n)).or_insert(0) += 1;
    });
    assert!(counts.keys().all(|bf: &isize| bf.abs() <= 1));
    println!(
        "\nBalance factors over all {} nodes of a tree built in random order:",
        big.len()
    );
    println!(
        "  {counts:?}  (never outside -1..=1; height {})",
        big.height()
    );
}

// 3. The four rotations.

fn rotations() {
    heading("3. The four rotations");
    println!("Three keys inserted into a plain BST (left) leave a node with |bf| = 2, the");
    println!("critical node; the AvlMap (right) finds it on the way back up and rotates.");
    // The last case is the seeds' right rotation with its subtrees: A = 8,
    // B = 4, C = 10, D = 2 (which 1 makes taller) and E = 6, which moves
    // from B to A.
    let cases: [(&str, &[u64], &str); 5] = [
        (
            "LL",
            &[3, 2, 1],
            "left child's left grew: rotate right at 3",
        ),
        (
            "RR",
            &[1, 2, 3],
            "right child's right grew: rotate left at 1",
        ),
        (
            "LR",
            &[3, 1, 2],
            "left child's right grew: rotate left at 1, then right at 3",
        ),
        (
            "RL",
            &[1, 3, 2],
            "right child's left grew: rotate right at 3, then left at 1",
        ),
        (
            "LL",
            &[8, 4, 10, 2, 6, 1],
            "the seeds' A..E picture: 4 rises, 6 moves to 8",
        ),
    ];
    for (name, keys, what) in cases {
        println!("\n{name}: insert {keys:?}; {what}");
        let plain = PlainBst::from_keys(keys).draw();
        print_side_by_side(("", &plain), ("", &draw_avl(&avl(keys))));
    }
}

// 4. Versions: every update can make a new version and leave the old one.

fn versions() {
    heading("4. Versions side by side");
    let v1 = AvlMap::from([("apple", 3), ("fig", 2), ("pear", 5)]);
    let v2 = v1.inserted("plum", 7);
    let v3 = v2.removed("apple");
    let mut v4 = v3.clone(); // O(1); then an in-place update copies the path
    v4.insert("fig", 20);
    println!("v1                            = {v1:?}");
    println!("v2 = v1.inserted(\"plum\", 7)   = {v2:?}");
    println!("v3 = v2.removed(\"apple\")      = {v3:?}");
    println!("v4 = v3.clone(); v4.insert(\"fig\", 20)");
    println!("                              = {v4:?}");
    println!("v3 after v4's update          = {v3:?}");
    println!("v1 after all of it            = {v1:?}");
    assert_eq!(v1.len(), 3);
    assert_eq!(v3["fig"], 2);
    let same = v2.removed("kiwi").ptr_eq(&v2);
    println!("v2.removed(\"kiwi\").ptr_eq(&v2) = {same}: removing an absent key copies nothing");
}

// 5. Structural sharing, counted node by node.

/// Calls `f` on every node below and including `node`.
fn walk_nodes<'a, K, V>(node: Option<NodeRef<'a, K, V>>, f: &mut impl FnMut(NodeRef<'a, K, V>)) {
    if let Some(n) = node {
        f(n);
        walk_nodes(n.left(), f);
        walk_nodes(n.right(), f);
    }
}

fn node_ids<K, V>(map: &AvlMap<K, V>) -> HashSet<usize> {
    let mut ids = HashSet::with_capacity(map.len());
    walk_nodes(map.root_node(), &mut |n| _ = ids.insert(n.id()));
    ids
}

/// How many nodes `key`'s search visits: its depth, the root being 1.
fn depth<V>(map: &AvlMap<u64, V>, key: u64) -> usize {
    let (mut node, mut depth) = (map.root_node(), 0);
    while let Some(n) = node {
        depth += 1;
        node = match key.cmp(n.key()) {
            std::cmp::Ordering::Less => n.left(),
            std::cmp::Ordering::Greater => n.right(),
            std::cmp::Ordering::Equal => return depth,
        };
    }
    depth
}

/// A fixed permutation of the `u64`s (the finaliser of `splitmix64`).
fn shuffle(x: u64) -> u64 {
    let z = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn sharing() {
    const N: u64 = 1_000_000;
    heading("5. Shared nodes, counted");
    // Even keys 0, 2, .., 2(N-1), so odd keys are free to insert.
    let base: AvlMap<u64, u64> = (0..N).map(|i| (2 * i, i)).collect();
    let base_ids = node_ids(&base);
    println!(
        "base: {} entries, height {}; each version below is made from base,",
        base.len(),
        base.height()
    );
    println!("and its nodes are looked up among base's by `NodeRef::id`.\n");

    let odd = |i: u64| 2 * (shuffle(i) % N) + 1; // a key base does not hold
    let many = |edits: u64| {
        let mut v = base.clone();
        (0..edits).for_each(|i| _ = v.insert(odd(i), 0));
        v
    };
    let rows = [
        (
            "change the value of 1234568",
            base.inserted(1_234_568, 0),
            Some(1_234_568),
        ),
        (
            "insert a new key (777777)",
            base.inserted(777_777, 0),
            Some(777_777),
        ),
        (
            "remove a key (123456)",
            base.removed(&123_456),
            Some(123_456),
        ),
        ("10 inserts, in place on a clone", many(10), None),
        ("1000 inserts, in place on a clone", many(1_000), None),
    ];
    println!(
        "{:<34} {:>8} {:>8} {:>8} {:>5}",
        "new version", "nodes", "shared", "new", "path"
    );
    for (what, version, key) in rows {
        let mut shared = 0;
        walk_nodes(version.root_node(), &mut |n| {
            shared += usize::from(base_ids.contains(&n.id()));
        });
        let fresh = version.len() - shared;
        let depth = key.map_or(String::from("-"), |k| depth(&base, k).to_string());
        println!(
            "{what:<34} {:>8} {shared:>8} {fresh:>8} {depth:>5}",
            version.len()
        );
    }
    println!("\npath: nodes on the key's search path in base. One edit copies exactly those");
    println!("(an insert adds its new leaf; a removed leaf is dropped, not copied; a");
    println!("rebalancing remove may copy a few more); every other node stays shared.");
}

// 6. Clone is O(1).

fn cheap_clone() {
    heading("6. Clone is O(1)");
    let avl: AvlMap<u64, u64> = (0..1_000_000).map(|k| (k, k)).collect();
    let btree: BTreeMap<u64, u64> = avl.iter().map(|(&k, &v)| (k, v)).collect();
    let start = Instant::now();
    let copies: Vec<_> = (0..1_000).map(|_| avl.clone()).collect();
    let per_avl = start.elapsed() / 1_000;
    let start = Instant::now();
    let btree_copy = btree.clone();
    let per_btree = start.elapsed();
    assert!(copies.iter().all(|c| c.ptr_eq(&avl)) && btree_copy.len() == btree.len());
    println!("AvlMap::clone,   10^6 entries: {per_avl:>10.2?}  (one reference-count bump)");
    println!("BTreeMap::clone, 10^6 entries: {per_btree:>10.2?}  (copies every entry)");
}

// 7. History and diff.

fn history() {
    heading("7. History: undo, redo, and what changed");
    let mut doc = History::new(AvlMap::from([(1, "title"), (2, "intro")]));
    let start = doc.current_id();
    doc.edit(|d| _ = d.insert(2, "introduction"));
    doc.edit(|d| _ = d.insert(3, "body"));
    let full = doc.current_id();
    println!("{start}: {:?}", doc.get(start).unwrap());
    println!("{full}: {:?}", doc.current());
    println!(
        "diff {start} -> {full}: {:?}",
        doc.diff(start, full).unwrap()
    );
    doc.undo();
    println!("undo  -> {}: {:?}", doc.current_id(), doc.current());
    doc.redo();
    println!("redo  -> {}: {:?}", doc.current_id(), doc.current());
    doc.undo();
    let other = doc.edit(|d| _ = d.insert(3, "summary"));
    println!("undo, then an edit -> {other}: {:?}", doc.current());
    println!(
        "      {full}, the redo branch, is dropped: can_redo = {}",
        doc.can_redo()
    );
    assert!(doc.get(full).is_none() && !doc.can_redo());

    // The diff skips what two versions share: it opens a few paths, not the map.
    let old: AvlMap<u64, u64> = (0..1_000_000).map(|k| (k, k)).collect();
    let new = old.inserted(10, 0).removed(&500_000).inserted(2_000_000, 0);
    let mut diff = old.diff(&new);
    println!(
        "\n10^6 entries, 3 edits: {:?}",
        diff.by_ref().collect::<Vec<_>>()
    );
    println!(
        "the diff opened {} nodes; the two maps hold {} (a walk of both reads them all)",
        diff.nodes_opened(),
        old.len() + new.len()
    );
}
