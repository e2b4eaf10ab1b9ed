//! A tour of `persistent-avl`: why a search tree needs balancing, what an AVL
//! tree looks like, its four rotations, how persistent versions share
//! their nodes, a history with undo, redo and diffs, what the default
//! layout (nodes over blocks of entries) buys over one entry per node, and
//! set algebra by join and split, on one thread and on rayon's pool.
//!
//! ```text
//! cargo run --release --example tour
//! ```

use persistent_avl::GenericAvlMap;
use std::collections::{BTreeMap, HashSet};
use std::time::Instant;

use persistent_avl::{ArcKind, AvlMap, BlockSize, History, NodeRef, PointerKind};

/// The classic AVL tree, one entry per node (`Classic`, no blocks): sections 1
/// to 5 show its shapes and its sharing node by node.
type Classic = persistent_avl::Classic<ArcKind>;
type ClassicMap<K, V> = GenericAvlMap<K, V, Classic>;
type ClassicNode<'a, K, V> = NodeRef<'a, K, V, Classic>;

fn main() {
    // This thread is one of rayon's, so that the parallel calls of section 9
    // start here, rather than being handed to the pool and waited for.
    rayon::ThreadPoolBuilder::new()
        .use_current_thread()
        .build_global()
        .expect("the global pool is built once, here, before its first use");
    degenerate_case();
    picture();
    rotations();
    versions();
    sharing();
    cheap_clone();
    history();
    blocks();
    algebra();
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

fn avl(keys: &[u64]) -> ClassicMap<u64, ()> {
    let mut map = ClassicMap::default();
    for &k in keys {
        map.insert(k, ());
    }
    map
}

fn degenerate_case() {
    heading("1. Sorted inserts: a plain search tree degenerates, an AVL tree does not");
    println!("Insert 1, 2, 3, 4, 5 in this order. Each node shows its balance factor,");
    println!("bf = height(left subtree) - height(right subtree), where a subtree's height");
    println!("h is the number of nodes on its longest downward path (empty: 0). An AVL");
    println!("tree keeps every bf in -1..=1; section 2 reads these numbers in detail.\n");
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

/// `height(left) - height(right)`: the node's balance factor.
fn balance<K, V>(node: ClassicNode<'_, K, V>) -> isize {
    let h = |n: Option<ClassicNode<'_, K, V>>| n.map_or(0, |n| n.height()).cast_signed();
    h(node.left()) - h(node.right())
}

fn draw_avl<'a, K: std::fmt::Display, V>(map: &'a ClassicMap<K, V>) -> Vec<String> {
    let kids = |n: ClassicNode<'a, K, V>| (n.left(), n.right());
    let label =
        |n: ClassicNode<'_, K, V>| format!("{} (h{}, bf {:+})", n.key(), n.height(), balance(n));
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
    let big: ClassicMap<u64, ()> = avl(&(0..100_000).map(shuffle).collect::<Vec<_>>());
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
    // The last case is the right rotation with its subtrees named as in
    // docs/design.md: A = 8,
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
            "the A..E picture: 4 rises, 6 moves to 8",
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
fn walk_nodes<'a, K, V, P: PointerKind>(
    node: Option<NodeRef<'a, K, V, P>>,
    f: &mut impl FnMut(NodeRef<'a, K, V, P>),
) {
    if let Some(n) = node {
        f(n);
        walk_nodes(n.left(), f);
        walk_nodes(n.right(), f);
    }
}

fn node_ids<K, V>(map: &ClassicMap<K, V>) -> HashSet<usize> {
    let mut ids = HashSet::with_capacity(map.len());
    walk_nodes(map.root_node(), &mut |n| _ = ids.insert(n.id()));
    ids
}

/// How many nodes `key`'s search visits: its depth, the root being 1.
fn depth<V>(map: &ClassicMap<u64, V>, key: u64) -> usize {
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
    println!("(The classic tree of one entry per node; section 8 shows the default blocks.)\n");
    // Even keys 0, 2, .., 2(N-1), so odd keys are free to insert.
    let base: ClassicMap<u64, u64> = (0..N).map(|i| (2 * i, i)).collect();
    let base_ids = node_ids(&base);
    println!(
        "base: {} entries, the even keys 0, 2, .., {} (odd keys are free to",
        base.len(),
        2 * (N - 1)
    );
    println!(
        "insert), height {}. Each version below is made from base, and its nodes",
        base.height()
    );
    println!("are looked up among base's by `NodeRef::id`.\n");

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

// 8. Blocks: the default layout.

/// Bytes of one node of a `u64 -> u64` map behind `Arc`: its entry, two
/// subtrees, height and size, and the allocation's two reference counts.
/// A subtree takes 16 bytes where it may be a block (its pointer carries
/// the block's length) and 8 in the classic layout, which has no blocks:
/// 72 and 56 bytes (pinned by the crate's tests).
fn node_bytes<P: PointerKind>() -> usize {
    if P::BLOCK == 0 { 56 } else { 72 }
}

/// What a layout costs at `n` entries, read off the tree: its height, its
/// nodes, its non-empty blocks, and so its allocations and requested bytes.
struct Footprint {
    height: usize,
    nodes: usize,
    blocks: usize,
    bytes: usize,
}

fn footprint<P: PointerKind>(map: &GenericAvlMap<u64, u64, P>) -> Footprint {
    let (mut nodes, mut blocks, mut in_blocks) = (0, 0, 0);
    walk_nodes(map.root_node(), &mut |n| {
        nodes += 1;
        for block in [n.left_block(), n.right_block()] {
            blocks += usize::from(!block.is_empty());
            in_blocks += block.len();
        }
    });
    Footprint {
        height: map.height(),
        nodes,
        blocks,
        bytes: nodes * node_bytes::<P>() + blocks * BLOCK_HEADER + in_blocks * ENTRY_BYTES,
    }
}

/// Bytes of a block's two reference counts, and of one `u64 -> u64` entry.
const BLOCK_HEADER: usize = 16;
const ENTRY_BYTES: usize = std::mem::size_of::<(u64, u64)>();

/// The bytes `map` holds in nodes and blocks not in `seen` (the pieces of
/// the older versions), which it then adds to `seen`: what a new version
/// made. Walks down from the root, stopping at every node an older version
/// holds, since its whole subtree is shared.
fn new_bytes<P: PointerKind>(map: &GenericAvlMap<u64, u64, P>, seen: &mut HashSet<usize>) -> usize {
    let mut bytes = 0;
    let mut stack: Vec<_> = map.root_node().into_iter().collect();
    while let Some(n) = stack.pop() {
        if !seen.insert(n.id()) {
            continue;
        }
        bytes += node_bytes::<P>();
        for block in [n.left_block(), n.right_block()] {
            if !block.is_empty() && seen.insert(block.as_ptr() as usize) {
                bytes += BLOCK_HEADER + block.len() * ENTRY_BYTES;
            }
        }
        stack.extend(n.left());
        stack.extend(n.right());
    }
    bytes
}

/// The average bytes a one-key persistent insert adds, over a chain of
/// `count` inserts of new keys starting from `map`, every version kept.
fn bytes_per_version<P: PointerKind>(map: &GenericAvlMap<u64, u64, P>, count: u64) -> f64 {
    // Every node and block of `map`, by address: what nothing new is.
    let mut seen = HashSet::new();
    new_bytes(map, &mut seen);
    // Every version is kept, so that no address is freed and reused.
    let mut versions = vec![map.clone()];
    let mut total = 0;
    for i in 0..count {
        // `shuffle` is a bijection, so these keys are not the map's.
        let next = versions[versions.len() - 1].inserted(shuffle(u64::MAX - i), i);
        total += new_bytes(&next, &mut seen);
        versions.push(next);
    }
    total as f64 / count as f64
}

/// Nanoseconds per lookup of `keys` in `map`, best of three rounds.
fn lookup_ns<P: PointerKind>(map: &GenericAvlMap<u64, u64, P>, keys: &[u64]) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..3 {
        let start = Instant::now();
        let found = keys.iter().filter(|k| map.contains_key(k)).count();
        let per = start.elapsed().as_nanos() as f64 / keys.len() as f64;
        assert_eq!(found, keys.len());
        best = best.min(per);
    }
    best
}

fn blocks() {
    const N: u64 = 1_000_000;
    heading("8. Blocks: the default layout");
    println!("Sections 1 to 5 drew the classic tree, one entry per node. By default a map");
    println!(
        "keeps its entries in sorted blocks of up to {} entries under the nodes at",
        ArcKind::BLOCK
    );
    println!("the bottom of the tree, each block one allocation shared on its own, like a");
    println!("node. A block counts as height 0, like an empty subtree, so the AVL rule,");
    println!("the four rotations and the balance factors act on the nodes as before. A");
    println!("full block that takes one more entry becomes a node over two half blocks");
    println!("(the new leaf of the classic tree); a node whose blocks shrink until all");
    println!("fit in one becomes that block.\n");

    println!("1..=20 inserted in order, blocks of up to 4 entries, drawn as in section 2:\n");
    let mut small: GenericAvlMap<u64, (), BlockSize<ArcKind, 4>> = GenericAvlMap::default();
    for k in 1..=20 {
        small.insert(k, ());
    }
    type Small<'a> = NodeRef<'a, u64, (), BlockSize<ArcKind, 4>>;
    fn kids(n: Small<'_>) -> (Option<Small<'_>>, Option<Small<'_>>) {
        (n.left(), n.right())
    }
    let label = |n: Small<'_>| {
        let keys = |b: &[(u64, ())]| b.iter().map(|(k, ())| k.to_string()).collect::<Vec<_>>();
        let (l, r) = (keys(n.left_block()), keys(n.right_block()));
        let mut text = format!("{} (h{})", n.key(), n.height());
        if !l.is_empty() || !r.is_empty() {
            text += &format!("  blocks [{}] [{}]", l.join(" "), r.join(" "));
        }
        text
    };
    for line in draw(small.root_node(), &kids, &label) {
        println!("  {line}");
    }

    println!("\nOne million random u64 keys, three layouts, and the default grown by inserts:\n");
    let keys: Vec<u64> = (0..N).map(shuffle).collect();
    let probes: Vec<u64> = keys.iter().step_by(3).copied().collect();
    let classic: ClassicMap<u64, u64> = keys.iter().map(|&k| (k, k)).collect();
    let eight: GenericAvlMap<u64, u64, BlockSize<ArcKind, 8>> =
        keys.iter().map(|&k| (k, k)).collect();
    let default: AvlMap<u64, u64> = keys.iter().map(|&k| (k, k)).collect();
    let mut grown: AvlMap<u64, u64> = AvlMap::new();
    for &k in &keys {
        grown.insert(k, k);
    }
    println!(
        "{:<22} {:>6} {:>8} {:>8} {:>11} {:>11} {:>13} {:>8}",
        "layout",
        "height",
        "nodes",
        "blocks",
        "allocations",
        "bytes/entry",
        "bytes/version",
        "lookup"
    );
    let rows = [
        (
            "one entry per node",
            footprint(&classic),
            lookup_ns(&classic, &probes),
        ),
        (
            "blocks of up to 8",
            footprint(&eight),
            lookup_ns(&eight, &probes),
        ),
        (
            "default blocks",
            footprint(&default),
            lookup_ns(&default, &probes),
        ),
        (
            "default, by inserts",
            footprint(&grown),
            lookup_ns(&grown, &probes),
        ),
    ];
    let per_version = [
        bytes_per_version(&classic, 100),
        bytes_per_version(&eight, 100),
        bytes_per_version(&default, 100),
        bytes_per_version(&grown, 100),
    ];
    for ((name, f, ns), version) in rows.into_iter().zip(per_version) {
        println!(
            "{name:<22} {:>6} {:>8} {:>8} {:>11} {:>11.1} {:>13.0} {:>6.0}ns",
            f.height,
            f.nodes,
            f.blocks,
            f.nodes + f.blocks,
            f.bytes as f64 / N as f64,
            version,
            ns
        );
    }
    println!("\nbytes/entry: the bytes the tree asks the allocator for, per entry: nodes of 72");
    println!("bytes (56 with one entry per node, whose subtrees are never blocks and so take");
    println!("half the room), 16 per block and 16 per entry in a block. bytes/version: what");
    println!("one persistent insert of a new key adds, keeping the old version: the nodes on");
    println!("its path and the one block it changed (averaged over 100 in a chain). Lookup:");
    println!("a third of the keys, in random order, best of three rounds. Fewer, denser");
    println!("nodes mean fewer cache misses per lookup, fewer allocations and shorter paths");
    println!("to copy; larger blocks make the one copied block larger, so a long history of");
    println!("versions costs least with one entry per node (see docs/design.md).");
    println!("The first three were built by `collect`, which fills each block and makes");
    println!("all the nodes after all the blocks, so the nodes lie together in memory. The");
    println!("last grew one insert at a time: its blocks split when full, so they are part");
    println!("empty and there are more nodes, and its nodes lie wherever the allocator found");
    println!("room: with glibc's malloc, in the holes old blocks left all over the heap; with");
    println!("one that keeps each size on pages of its own (jemalloc, mimalloc), together.");
    println!("Collecting such a map again lays it out as the third.");
}

// 9. Union, intersection and difference by join and split, sequential and
// parallel.

/// The best of ten runs of `f`, in milliseconds, and its last result. Ten,
/// not three: the first runs are slower while the allocator still takes
/// fresh memory from the system (page faults), and a parallel form
/// allocates on two threads, each with memory of its own to warm up.
fn best_ms<T>(mut f: impl FnMut() -> T) -> (f64, T) {
    let mut best = f64::INFINITY;
    let mut out = None;
    for _ in 0..10 {
        let start = Instant::now();
        let result = f();
        best = best.min(start.elapsed().as_secs_f64() * 1e3);
        out = Some(result);
    }
    (best, out.expect("ten runs"))
}

fn algebra() {
    use persistent_avl::Sharing;

    const N: u64 = 500_000;
    heading("9. Set algebra by join and split");
    println!("`union_map`, `intersection_map` and `difference_map` split one map at the");
    println!("other's root key and combine the halves, below and above, on their own; two");
    println!("halves share nothing, so `par_union_map` and the others hand them to rayon's");
    println!("threads. A subtree both maps hold (one pointer) is kept or dropped whole.\n");
    let a: AvlMap<u64, u64> = (0..N).map(|i| (shuffle(i), i)).collect();
    let b: AvlMap<u64, u64> = (N..2 * N).map(|i| (shuffle(i), i)).collect();
    println!(
        "two maps of {N} random keys each, on {} threads, this one among them",
        rayon::current_num_threads()
    );
    println!("(a call from a thread outside the pool would also wait for the pool to wake");
    println!("up: see docs/parallel.md); best of ten runs each:\n");
    println!(
        "{:<16} {:>12} {:>12} {:>8} {:>10}",
        "operation", "sequential", "parallel", "speedup", "result"
    );
    type Op = fn(&AvlMap<u64, u64>, &AvlMap<u64, u64>) -> AvlMap<u64, u64>;
    let ops: [(&str, Op, Op); 3] = [
        ("union", AvlMap::union_map, AvlMap::par_union_map),
        (
            "intersection",
            AvlMap::intersection_map,
            AvlMap::par_intersection_map,
        ),
        (
            "difference",
            AvlMap::difference_map,
            AvlMap::par_difference_map,
        ),
    ];
    for (name, seq, par) in ops {
        let (seq_ms, s) = best_ms(|| seq(&a, &b));
        let (par_ms, p) = best_ms(|| par(&a, &b));
        assert!(s.iter().eq(p.iter()), "parallel and sequential agree");
        println!(
            "{name:<16} {seq_ms:>10.1}ms {par_ms:>10.1}ms {:>7.2}x {:>10}",
            seq_ms / par_ms,
            s.len()
        );
    }

    println!("\nTwo versions of one map, the second 1000 edits away from the first:\n");
    let mut edited = a.clone();
    for i in 0..500 {
        edited.insert(shuffle(2 * N + i), 0);
        edited.remove(&shuffle(i));
    }
    let (ms, union) = best_ms(|| a.union_map(&edited));
    let Sharing {
        shared, only_first, ..
    } = union.sharing(&edited);
    println!("union of the two: {ms:.2}ms, {} entries;", union.len());
    println!("it shares the nodes and blocks of {shared} of them with the edited version and");
    println!("holds {only_first} in nodes and blocks of its own: the work and the memory follow");
    println!("the edits, not the size of the map (a union of unrelated maps above took");
    println!("the whole map's time).");
}
