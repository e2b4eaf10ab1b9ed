//! Exact allocation counts: the cost model of path copying, as documented in
//! the complexity table of `AvlMap`.
//!
//! A counting `#[global_allocator]` records, per thread, every allocation
//! and the bytes allocated and freed. The test harness runs each test on its
//! own thread, so a test reads exact counts for what it does itself, even
//! while other tests run in parallel.
//!
//! Pinned down here:
//! - an insert into a map nobody shares allocates exactly the new node in
//!   the classic tree, and over blocks the new block (three allocations when
//!   a full block splits); replacing a value allocates nothing (nodes and
//!   blocks are changed in place);
//! - on a map shared with a kept clone, an insert copies exactly the nodes on
//!   its search path and adds one leaf: never more than height + 1;
//! - removing an absent key allocates nothing, and `removed` then returns
//!   the very same version (`ptr_eq`);
//! - a remove on a shared map copies at most 3 nodes per level (the path and
//!   the two a rotation may move), so at most 3 × height; unshared, none in
//!   the classic tree and at most one block over blocks, but a node and a
//!   block where the root's own entry goes and a block takes its place;
//! - whatever versions are made and dropped, every byte is given back;
//! - a `History` of single-key edits keeps, per version, only what its edit
//!   copied (about a path); with a limit it keeps only the newest versions'
//!   worth; dropped, it frees everything;
//! - a bulk build allocates each node and block once; a union, intersection
//!   or difference of unrelated maps little beyond its result;
//! - a range or `iter` allocates one stack per end it is read from: with no
//!   end bound, read from the front, one;
//! - `get_mut` copies exactly what another version shares on its way (the
//!   nodes, and the block holding the entry), and nothing for an absent
//!   key.

use persistent_avl::{GenericAvlMap, GenericAvlSet};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use std::collections::HashSet;

use persistent_avl::{ArcKind, BlockSize, History, NodeRef, PointerKind, RcKind};

/// The classic tree, one entry per node (`Classic`, no blocks): sections (a) to
/// (f) pin down its cost model; section (g) that of blocks.
type Classic = persistent_avl::Classic<ArcKind>;
type ClassicRc = persistent_avl::Classic<RcKind>;

mod common;
use common::Rng;

// ---------------------------------------------------------------------------
// The counting allocator.

struct Counting;

thread_local! {
    static ALLOCS: Cell<u64> = const { Cell::new(0) };
    static FREES: Cell<u64> = const { Cell::new(0) };
    static BYTES_ALLOCATED: Cell<u64> = const { Cell::new(0) };
    static BYTES_FREED: Cell<u64> = const { Cell::new(0) };
}

fn add(counter: &'static std::thread::LocalKey<Cell<u64>>, n: usize) {
    // `try_with`: the thread may be tearing its locals down. The counters are
    // `const`-initialised `Cell`s without destructors, so touching them
    // never allocates.
    let _ = counter.try_with(|c| c.set(c.get() + n as u64));
}

// SAFETY: every method forwards to `System` unchanged and only updates
// thread-local counters on the side.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(&ALLOCS, 1);
        add(&BYTES_ALLOCATED, layout.size());
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        add(&ALLOCS, 1);
        add(&BYTES_ALLOCATED, layout.size());
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add(&FREES, 1);
        add(&BYTES_FREED, layout.size());
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A move of the block: the old bytes freed, the new ones allocated.
        add(&ALLOCS, 1);
        add(&FREES, 1);
        add(&BYTES_FREED, layout.size());
        add(&BYTES_ALLOCATED, new_size);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// This thread's counters at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Snapshot {
    allocs: u64,
    frees: u64,
    bytes_allocated: u64,
    bytes_freed: u64,
}

fn snapshot() -> Snapshot {
    Snapshot {
        allocs: ALLOCS.with(Cell::get),
        frees: FREES.with(Cell::get),
        bytes_allocated: BYTES_ALLOCATED.with(Cell::get),
        bytes_freed: BYTES_FREED.with(Cell::get),
    }
}

/// How many allocations `f` makes on this thread, and its result.
fn allocations<R>(f: impl FnOnce() -> R) -> (u64, R) {
    let before = ALLOCS.with(Cell::get);
    let result = f();
    (ALLOCS.with(Cell::get) - before, result)
}

// ---------------------------------------------------------------------------
// Helpers.

/// A map of `n` distinct random even keys (odd keys are then never present),
/// built by inserts so the shape is an ordinary AVL shape, not a perfect one.
fn random_map<P: PointerKind>(n: usize, rng: &mut Rng) -> GenericAvlMap<u64, u64, P> {
    let mut map = GenericAvlMap::empty();
    while map.len() < n {
        let k = rng.below(8 * n as u64) * 2;
        map.insert(k, k);
    }
    map
}

/// A key of `map`, drawn at random. Requires: `map` is not empty.
fn any_key<P: PointerKind>(map: &GenericAvlMap<u64, u64, P>, rng: &mut Rng) -> u64 {
    *map.get_index(rng.below(map.len() as u64) as usize)
        .unwrap()
        .0
}

/// The number of nodes on the search path for `key`: those an insert of a
/// new key copies when all are shared.
fn search_path_len<P: PointerKind>(map: &GenericAvlMap<u64, u64, P>, key: u64) -> u64 {
    let mut len = 0;
    let mut cur: Option<NodeRef<'_, u64, u64, P>> = map.root_node();
    while let Some(node) = cur {
        len += 1;
        cur = match key.cmp(node.key()) {
            std::cmp::Ordering::Less => node.left(),
            std::cmp::Ordering::Greater => node.right(),
            std::cmp::Ordering::Equal => return len,
        };
    }
    len
}

// ---------------------------------------------------------------------------
// (a) Unshared maps: one allocation per new key, none per replaced value.

fn unshared_insert_allocates_one_node<P: PointerKind>() {
    let mut rng = Rng(1);
    let mut map: GenericAvlMap<u64, u64, P> = GenericAvlMap::empty();
    for i in 0..20_000u64 {
        let k = rng.below(10_000);
        let present = map.contains_key(&k);
        let (n, old) = allocations(|| map.insert(k, i));
        assert_eq!(old.is_some(), present);
        // A new key: the leaf and nothing else, rotations included. An old
        // key: the value is replaced where it is.
        assert_eq!(n, u64::from(!present), "insert of {k} (present: {present})");
    }
    map.check_invariants().unwrap();

    // Through the entry API too: a vacant entry allocates its node, an
    // occupied one nothing.
    for k in [5_000_001, 0, 5_000_002, 77] {
        let present = map.contains_key(&k);
        let (n, ()) = allocations(|| *map.entry(k).or_insert(0) += 1);
        assert_eq!(n, u64::from(!present));
    }
    // So does a set.
    let mut set: GenericAvlSet<u64, P> = GenericAvlSet::default();
    for k in 0..1000 {
        assert_eq!(allocations(|| set.insert(k % 700)).0, u64::from(k < 700));
    }
}

#[test]
fn unshared_insert_allocates_one_node_arc() {
    unshared_insert_allocates_one_node::<Classic>();
}

#[test]
fn unshared_insert_allocates_one_node_rc() {
    unshared_insert_allocates_one_node::<ClassicRc>();
}

// ---------------------------------------------------------------------------
// (b) Shared maps: the search path is copied, plus one leaf.

fn shared_insert_copies_the_path<P: PointerKind>() {
    let mut rng = Rng(2);
    let mut map: GenericAvlMap<u64, u64, P> = random_map(10_000, &mut rng);
    for _ in 0..2_000 {
        // Mostly new keys (the map starts with even keys only; odd ones
        // accumulate as the loop runs).
        let k = rng.below(160_000) | 1;
        let new_key = !map.contains_key(&k);
        let height = map.height() as u64;
        let path = search_path_len(&map, k);

        // In place, with a clone kept: every node on the path is shared, so
        // each is copied once; the leaf is new; the rotations move only
        // copies. Exactly path + 1, and so at most height + 1.
        let kept = map.clone();
        let (n, _) = allocations(|| map.insert(k, k));
        assert_eq!(n, path + u64::from(new_key), "insert of {k}");
        assert!(n <= height + 1);
        assert_eq!(kept.len() + usize::from(new_key), map.len());
        assert_eq!(kept.contains_key(&k), !new_key);

        // The persistent form costs the same.
        let k2 = rng.below(160_000) | 1;
        let height = map.height() as u64;
        let path = search_path_len(&map, k2);
        let (n, next) = allocations(|| map.inserted(k2, k2));
        let new_key = !map.contains_key(&k2);
        assert_eq!(n, if new_key { path + 1 } else { path });
        assert!(n <= height + 1);
        assert!(next.contains_key(&k2));
        drop(kept);
    }

    // Replacing a value in a shared map copies the path to it and no more.
    let kept = map.clone();
    let k = *map.get_index(map.len() / 3).unwrap().0;
    let path = search_path_len(&map, k);
    assert_eq!(allocations(|| map.insert(k, 0)).0, path);
    // A second change on the now unshared path allocates nothing.
    assert_eq!(allocations(|| map.insert(k, 1)).0, 0);
    assert_eq!(kept.get(&k), Some(&k));
    map.check_invariants().unwrap();
}

#[test]
fn shared_insert_copies_the_path_arc() {
    shared_insert_copies_the_path::<Classic>();
}

#[test]
fn shared_insert_copies_the_path_rc() {
    shared_insert_copies_the_path::<ClassicRc>();
}

// ---------------------------------------------------------------------------
// (c) Absent keys: nothing allocated, nothing copied.

fn removing_a_missing_key_allocates_nothing<P: PointerKind>() {
    let mut rng = Rng(3);
    let mut map: GenericAvlMap<u64, u64, P> = random_map(10_000, &mut rng);
    let kept = map.clone();
    for _ in 0..1_000 {
        let missing = rng.below(160_000) | 1;
        let (n, removed) = allocations(|| map.removed(&missing));
        assert_eq!(n, 0);
        assert!(
            removed.ptr_eq(&map),
            "removed(absent) must be the same version"
        );
        drop(removed);
        let (n, old) = allocations(|| map.remove(&missing));
        assert_eq!((n, old), (0, None));
        assert!(map.ptr_eq(&kept), "remove(absent) must copy nothing");
    }
    // Out-of-range pops on an empty map, likewise.
    let mut empty: GenericAvlMap<u64, u64, P> = GenericAvlMap::empty();
    assert_eq!(allocations(|| empty.pop_first()), (0, None));
    assert_eq!(allocations(|| empty.pop_last()), (0, None));
}

#[test]
fn removing_a_missing_key_allocates_nothing_arc() {
    removing_a_missing_key_allocates_nothing::<Classic>();
}

#[test]
fn removing_a_missing_key_allocates_nothing_rc() {
    removing_a_missing_key_allocates_nothing::<ClassicRc>();
}

// ---------------------------------------------------------------------------
// (d) Removes: at most 3 nodes per level when shared, none when unshared.

fn remove_allocations_are_bounded<P: PointerKind>() {
    let mut rng = Rng(4);
    let mut map: GenericAvlMap<u64, u64, P> = random_map(10_000, &mut rng);
    for _ in 0..2_000 {
        let k = any_key(&map, &mut rng);
        let height = map.height() as u64;
        let kept = map.clone();
        let (n, old) = allocations(|| map.remove(&k));
        assert_eq!(old, Some(k));
        // At least every ancestor of the key's node is copied (the node
        // itself is copied too when it has two children; with one or none it
        // is left out of the new version, not copied); at most three nodes
        // per level.
        assert!(
            n + 1 >= search_path_len(&kept, k),
            "remove of {k}: {n} allocations"
        );
        assert!(n <= 3 * height, "remove of {k}: {n} > 3 × {height}");
        assert!(kept.contains_key(&k));

        // The persistent form obeys the same bound.
        let k = any_key(&map, &mut rng);
        let height = map.height() as u64;
        let (n, next) = allocations(|| map.removed(&k));
        assert!(n <= 3 * height);
        assert!(!next.contains_key(&k) && map.contains_key(&k));

        // Pops are removes at the ends.
        let height = map.height() as u64;
        let kept = map.clone();
        assert!(allocations(|| map.pop_first()).0 <= 3 * height);
        let height = map.height() as u64;
        assert!(allocations(|| map.pop_last()).0 <= 3 * height);
        drop(kept);
    }
    map.check_invariants().unwrap();

    // Unshared: every node on the path is changed where it is.
    let mut map: GenericAvlMap<u64, u64, P> = random_map(10_000, &mut rng);
    while map.len() > 5_000 {
        let k = any_key(&map, &mut rng);
        assert_eq!(allocations(|| map.remove(&k)), (0, Some(k)));
        assert_eq!(allocations(|| map.pop_first()).0, 0);
        assert_eq!(allocations(|| map.pop_last()).0, 0);
    }
    map.check_invariants().unwrap();
}

#[test]
fn remove_allocations_are_bounded_arc() {
    remove_allocations_are_bounded::<Classic>();
}

#[test]
fn remove_allocations_are_bounded_rc() {
    remove_allocations_are_bounded::<ClassicRc>();
}

// ---------------------------------------------------------------------------
// (e) Nothing leaks: after every version is dropped, every byte is back.

fn every_byte_is_freed<P: PointerKind>() {
    let start = snapshot();
    {
        let mut rng = Rng(5);
        let mut versions: Vec<GenericAvlMap<u64, String, P>> = Vec::new();
        let mut map: GenericAvlMap<u64, String, P> = GenericAvlMap::empty();
        for round in 0..60u64 {
            for _ in 0..50 {
                let k = rng.below(3_000);
                map.insert(k, format!("v{k}"));
            }
            for _ in 0..20 {
                let k = rng.below(3_000);
                let _ = map.remove(&k);
            }
            versions.push(map.clone());
            versions.push(map.inserted(round, "persistent".into()));
            versions.push(map.removed(&(round * 7)));
            *map.entry(round + 10_000).or_default() += "x";
            if let Some(v) = map.get_mut(&(round * 3)) {
                v.push('!');
            }
            match round % 6 {
                0 => {
                    let mut other = versions[versions.len() / 2].clone();
                    map.append(&mut other);
                }
                1 => {
                    let high = map.split_off(&1_500);
                    versions.push(high);
                }
                2 => map.retain(|k, _| k % 5 != 0),
                3 => {
                    // A partly consumed owning iterator, from both ends,
                    // over a version that shares nodes with others.
                    let mut it = versions[versions.len() - 2].clone().into_iter();
                    let _ = it.next();
                    let _ = it.next_back();
                    let _ = it.nth(10);
                }
                4 => {
                    for (_, v) in map.iter_mut().take(30) {
                        v.push('~');
                    }
                }
                _ => {
                    let copy: GenericAvlMap<u64, String, P> =
                        map.range(100..900).map(|(k, v)| (*k, v.clone())).collect();
                    versions.push(copy);
                }
            }
            let _ = map.pop_first();
            let _ = map.pop_last();
            if round % 10 == 9 {
                // Drop some versions out of order.
                versions.swap_remove(round as usize % versions.len());
                versions.retain(|v| v.len() % 3 != 0);
            }
        }
        for v in &versions {
            v.check_invariants().unwrap();
        }
        // The sets share the same machinery.
        let mut set: GenericAvlSet<String, P> = (0..500).map(|i| i.to_string()).collect();
        let old = set.clone();
        set.retain(|s| s.len() > 2);
        let mut tail = set.split_off("5");
        set.append(&mut tail);
        let _ = set.inserted("new".into()).removed("100");
        drop((old, set));
    }
    let end = snapshot();
    let allocated = end.bytes_allocated - start.bytes_allocated;
    let freed = end.bytes_freed - start.bytes_freed;
    assert!(allocated > 0);
    assert_eq!(allocated, freed, "bytes allocated vs freed");
    assert_eq!(end.allocs - start.allocs, end.frees - start.frees);
}

#[test]
fn every_byte_is_freed_arc() {
    every_byte_is_freed::<Classic>();
}

#[test]
fn every_byte_is_freed_rc() {
    every_byte_is_freed::<ClassicRc>();
}

// ---------------------------------------------------------------------------
// (f) Versions in a `History` cost what their edits copied.

/// Bytes of one `u64 → u64` node of the classic layout behind `Arc`: the
/// 40-byte node (its entry, two 8-byte subtrees, height and size) and the
/// allocation's two reference counts. (With blocks, a subtree takes 16
/// bytes and a node 72.)
const NODE_BYTES: u64 = 56;

/// Bytes allocated and not yet freed on this thread since `start`.
fn live_since(start: Snapshot) -> i64 {
    let now = snapshot();
    let allocated = (now.bytes_allocated - start.bytes_allocated) as i64;
    let freed = (now.bytes_freed - start.bytes_freed) as i64;
    allocated - freed
}

/// One single-key edit of `map`, chosen by `rng`: a new key (odd: never in
/// a `random_map`), a removal, or a new value for a present key.
fn single_key_edit(map: &mut GenericAvlMap<u64, u64, Classic>, rng: &mut Rng) {
    match rng.below(3) {
        0 => {
            let k = rng.below(1 << 40) | 1;
            map.insert(k, k);
        }
        1 => {
            let k = any_key(map, rng);
            map.remove(&k);
        }
        _ => {
            let k = any_key(map, rng);
            *map.get_mut(&k).unwrap() += 1;
        }
    }
}

/// The distinct nodes of all the versions a history keeps.
fn distinct_nodes(history: &History<GenericAvlMap<u64, u64, Classic>>) -> usize {
    let mut ids = HashSet::new();
    for id in history.ids() {
        let mut stack: Vec<_> = history.get(id).unwrap().root_node().into_iter().collect();
        while let Some(node) = stack.pop() {
            // A node already seen was reached from another version: so is
            // everything below it.
            if ids.insert(node.id()) {
                stack.extend(node.left());
                stack.extend(node.right());
            }
        }
    }
    ids.len()
}

/// A node of `u64 → u64` behind `Arc` in the classic layout is 56 bytes,
/// as documented: an insert into an unshared map allocates exactly that.
#[test]
fn a_classic_node_is_56_bytes() {
    let mut map: GenericAvlMap<u64, u64, Classic> = (0..100).map(|k| (2 * k, k)).collect();
    let start = snapshot();
    map.insert(51, 0);
    assert_eq!(live_since(start), NODE_BYTES as i64);
}

/// 1000 single-key edits (random keys; inserts, removes and new values)
/// through `History::edit` on a 10^5-entry map keep every version and, in
/// all, at most 1000 · (height + 3) new nodes: a copied path and a little
/// per version, however large the map. Allocations minus frees count
/// exactly those nodes (the version list's growth is reallocation, net
/// zero).
#[test]
fn a_history_of_single_key_edits_keeps_about_a_path_per_version() {
    let mut rng = Rng(6);
    let base: GenericAvlMap<u64, u64, Classic> = random_map(100_000, &mut rng);
    let (n, height) = (base.len(), base.height() as u64);
    let mut history = History::new(base);
    let start = snapshot();
    for _ in 0..1000 {
        history.edit(|m| single_key_edit(m, &mut rng));
    }
    let end = snapshot();
    let live = live_since(start);
    assert_eq!(history.len(), 1001);

    let new_nodes = (distinct_nodes(&history) - n) as u64;
    assert_eq!(
        end.allocs - start.allocs - (end.frees - start.frees),
        new_nodes
    );
    let bound = 1000 * (height + 3);
    eprintln!(
        "1000 single-key edits of a {n}-entry map (height {height}): {new_nodes} new nodes \
         ({:.1} per version; bound {bound}), {live} live bytes ({:.0} per version)",
        new_nodes as f64 / 1000.0,
        live as f64 / 1000.0,
    );
    assert!(
        new_nodes <= bound,
        "{new_nodes} nodes > 1000 × ({height} + 3)"
    );
    // The live bytes are those nodes and the list of versions (at most a
    // few dozen bytes per version, with the list's spare capacity).
    let node_bytes = (new_nodes * NODE_BYTES) as i64;
    assert!(
        live >= node_bytes && live <= node_bytes + 1001 * 128,
        "{live} live bytes"
    );
}

/// With `with_limit(10)`, the same 1000 edits leave only the newest 10
/// versions: the live bytes are the current map plus about 10 versions'
/// worth of copied paths, not 1000; and dropping the history frees every
/// byte.
#[test]
fn a_limited_history_keeps_only_the_newest_versions_worth() {
    let start = snapshot();
    let mut rng = Rng(7);
    let base: GenericAvlMap<u64, u64, Classic> = random_map(100_000, &mut rng);
    let height = base.height() as u64;
    let mut history = History::with_limit(base, 10);
    for _ in 0..1000 {
        history.edit(|m| single_key_edit(m, &mut rng));
    }
    let live = live_since(start);
    assert_eq!(history.len(), 10);

    let nodes = distinct_nodes(&history) as u64;
    let current = history.current().len() as u64;
    let older = nodes - current;
    let bound = 10 * (height + 3);
    assert!(
        older <= bound,
        "{older} nodes beyond the current version > {bound}"
    );
    // Nodes and a small list of 10 versions: nothing of the 990 dropped.
    let node_bytes = (nodes * NODE_BYTES) as i64;
    assert!(
        live >= node_bytes && live <= node_bytes + 4096,
        "{live} live bytes"
    );

    drop(history);
    assert_eq!(
        live_since(start),
        0,
        "dropping the history frees everything"
    );
    // Printed last: the harness's capture of the output allocates.
    eprintln!(
        "limit 10 after 1000 edits: {current} nodes in the current version, {older} more held \
         by the 9 older ones (bound {bound}); {live} live bytes, {} beyond the current version",
        live - (current * NODE_BYTES) as i64
    );
}

/// An unlimited history frees everything when dropped too, with versions
/// made by `push` and redo branches dropped along the way.
#[test]
fn dropping_a_history_frees_every_byte() {
    let start = snapshot();
    {
        let mut rng = Rng(8);
        let mut history = History::new(random_map::<Classic>(10_000, &mut rng));
        for round in 0..300 {
            history.edit(|m| single_key_edit(m, &mut rng));
            if round % 7 == 0 {
                history.undo();
                history.undo();
            }
            if round % 11 == 0 {
                let next = history.current().inserted(round, round);
                history.push(next);
                history.checkpoint(format!("round {round}"));
            }
        }
        assert!(history.len() > 100);
    }
    assert_eq!(live_since(start), 0);
}

// ---------------------------------------------------------------------------
// (g) Blocks: an update allocates the block it changes and the nodes on its
// path, and nothing else: the blocks beside the path are shared.

type Small = BlockSize<ArcKind, 8>;
type SmallRc = BlockSize<RcKind, 8>;

/// Where an insert of `key` lands, read off the tree: the nodes on its way,
/// the non-empty blocks beside that way (held by those nodes, not entered),
/// and the length of the block it ends in; `None` when a node holds `key`.
fn landing<P: PointerKind>(
    map: &GenericAvlMap<u64, u64, P>,
    key: u64,
) -> Option<(u64, u64, usize)> {
    let (mut nodes, mut beside) = (0, 0);
    let mut cur = map.root_node()?;
    loop {
        nodes += 1;
        let (next, block, other) = match key.cmp(cur.key()) {
            std::cmp::Ordering::Less => (cur.left(), cur.left_block(), cur.right_block()),
            std::cmp::Ordering::Greater => (cur.right(), cur.right_block(), cur.left_block()),
            std::cmp::Ordering::Equal => return None,
        };
        beside += u64::from(!other.is_empty());
        match next {
            Some(node) => cur = node,
            None => return Some((nodes, beside, block.len())),
        }
    }
}

fn block_inserts_allocate_what_they_change<P: PointerKind>() {
    let block = P::BLOCK;
    let mut rng = Rng(9);
    let mut map: GenericAvlMap<u64, u64, P> = random_map(10_000, &mut rng);
    for _ in 0..3_000 {
        let k = rng.below(160_000) | 1;
        let Some((_, _, len)) = landing(&map, k) else {
            continue;
        };
        if map.contains_key(&k) {
            continue;
        }
        let full = len == block;
        // Unshared: the block is made anew with the entry (a shared slice
        // cannot grow in place); a full one becomes a node over two new
        // halves.
        let mut unshared = map.clone();
        drop(std::mem::take(&mut map));
        let (n, _) = allocations(|| unshared.insert(k, k));
        assert_eq!(n, if full { 3 } else { 1 }, "in-place insert of {k}");
        map = unshared;

        // Shared: each node on the way is copied, sharing the blocks it
        // holds beside the way; the block entered is made anew with the
        // entry (and split as above when full). Nothing else.
        let k2 = rng.below(160_000) | 1;
        let Some((nodes, _, len)) = landing(&map, k2) else {
            continue;
        };
        if map.contains_key(&k2) {
            continue;
        }
        let (n, next) = allocations(|| map.inserted(k2, k2));
        let split = if len == block { 2 } else { 0 };
        assert_eq!(
            n,
            nodes + 1 + split,
            "persistent insert of {k2}: {nodes} nodes, block of {len}"
        );
        assert!(next.contains_key(&k2));
    }
    map.check_invariants().unwrap();
}

#[test]
fn block_inserts_allocate_what_they_change_arc() {
    block_inserts_allocate_what_they_change::<Small>();
}

#[test]
fn block_inserts_allocate_what_they_change_rc() {
    block_inserts_allocate_what_they_change::<SmallRc>();
}

fn block_removes_are_bounded<P: PointerKind>() {
    let mut rng = Rng(10);
    let mut map: GenericAvlMap<u64, u64, P> = random_map(10_000, &mut rng);
    while map.len() > 4_000 {
        let k = any_key(&map, &mut rng);
        // Shared: at most three nodes per level (the path and the two a
        // rotation may move), and one block: the one the entry left, or
        // the one a bottom node merges into.
        let height = map.height() as u64;
        let (n, next) = allocations(|| map.removed(&k));
        assert!(n <= 3 * height + 1, "persistent remove of {k}: {n}");
        assert!(!next.contains_key(&k));
        drop(next);
        // Unshared: the block the entry left is made anew without it, or
        // a node that now fits in one block becomes that block; nothing
        // when the entry was a node's own and a child takes its place.
        let (n, old) = allocations(|| map.remove(&k));
        assert_eq!(old, Some(k));
        assert!(n <= 1, "in-place remove of {k}: {n}");
    }
    map.check_invariants().unwrap();
    // Absent keys: nothing, as in the classic tree.
    let kept = map.clone();
    assert_eq!(allocations(|| map.remove(&1)), (0, None));
    assert!(map.ptr_eq(&kept));

    // Partly shared: after the first remove the top of the tree is this
    // version's own and the rest is shared with `kept`. Each remove then
    // changes in place down to the first shared node and copies below it,
    // within the same bound, and an absent key copies nothing.
    while map.len() > 2_000 {
        let k = any_key(&map, &mut rng);
        let height = map.height() as u64;
        let (n, old) = allocations(|| map.remove(&k));
        assert_eq!(old, Some(k));
        assert!(n <= 3 * height + 1, "partly shared remove of {k}: {n}");
        assert_eq!(allocations(|| map.remove(&(k + 1))), (0, None));
    }
    map.check_invariants().unwrap();
    assert_eq!(kept.len(), 4_000);
    kept.check_invariants().unwrap();
}

#[test]
fn block_removes_are_bounded_arc() {
    block_removes_are_bounded::<Small>();
}

#[test]
fn block_removes_are_bounded_rc() {
    block_removes_are_bounded::<SmallRc>();
}

/// A version's root is always a node. Keys inserted in ascending order
/// leave the first key at the root with nothing on its left and one block
/// of the rest on its right; when that key goes, the block is made a node
/// holding its first entry over a block of the rest: a node and a block,
/// even though the map is unshared. (Every other unshared remove allocates
/// at most one block.)
#[test]
fn removing_a_small_roots_own_key_makes_its_block_a_node() {
    for (len, expected) in [(2, 1), (3, 2), (9, 2)] {
        let mut map = GenericAvlMap::<u64, u64, Small>::empty();
        for k in 0..len {
            map.insert(k, k);
        }
        let root = *map.root_node().unwrap().key();
        assert_eq!(root, 0, "ascending inserts keep the first key at the root");
        assert_eq!(allocations(|| map.remove(&0)), (expected, Some(0)));
        map.check_invariants().unwrap();
        assert!(map.keys().copied().eq(1..len));
    }
}

#[test]
fn every_byte_is_freed_with_blocks() {
    every_byte_is_freed::<Small>();
    every_byte_is_freed::<BlockSize<RcKind, 3>>();
    every_byte_is_freed::<ArcKind>();
}

/// Splits and appends keep blocks from thinning out: after 10^4 rounds of
/// `split_off` at a random key and `append` of the two halves again, a
/// 10^5-entry map holds at most 10% more bytes than when freshly built.
fn split_and_append_rounds_keep_the_layout_compact<P: PointerKind>() {
    let n = 100_000u64;
    let mut rng = Rng(11);
    let start = snapshot();
    let mut map: GenericAvlMap<u64, u64, P> = (0..n).map(|k| (k, k)).collect();
    let fresh = live_since(start);
    for _ in 0..10_000 {
        let mut high = map.split_off(&rng.below(n));
        map.append(&mut high);
    }
    let churned = live_since(start);
    map.check_invariants().unwrap();
    assert_eq!(map.len(), n as usize);
    eprintln!(
        "block size {}: {:.1} bytes per entry fresh, {:.1} after the rounds",
        P::BLOCK,
        fresh as f64 / n as f64,
        churned as f64 / n as f64
    );
    assert!(
        churned * 10 <= fresh * 11,
        "{churned} bytes after the rounds, {fresh} fresh"
    );
}

#[test]
fn split_and_append_rounds_keep_the_layout_compact_default() {
    split_and_append_rounds_keep_the_layout_compact::<ArcKind>();
}

#[test]
fn split_and_append_rounds_keep_the_layout_compact_small() {
    split_and_append_rounds_keep_the_layout_compact::<Small>();
}

// ---------------------------------------------------------------------------
// (h) Bulk builds allocate each node and each block once, and nothing else
// that outlives them.

/// The nodes and the non-empty blocks of a map, each by its address.
fn addresses<P: PointerKind>(map: &GenericAvlMap<u64, u64, P>) -> HashSet<usize> {
    let mut seen = HashSet::new();
    let mut stack: Vec<_> = map.root_node().into_iter().collect();
    while let Some(node) = stack.pop() {
        seen.insert(node.id());
        for block in [node.left_block(), node.right_block()] {
            if !block.is_empty() {
                seen.insert(block.as_ptr() as usize);
            }
        }
        stack.extend(node.left());
        stack.extend(node.right());
    }
    seen
}

/// How many nodes and non-empty blocks a map holds in memory.
fn nodes_and_blocks<P: PointerKind>(map: &GenericAvlMap<u64, u64, P>) -> u64 {
    addresses(map).len() as u64
}

fn a_sorted_build_allocates_each_node_and_block_once<P: PointerKind>() {
    for n in [0u64, 1, 2, 31, 32, 33, 100, 1000, 10_000] {
        let entries: Vec<(u64, u64)> = (0..n).map(|k| (k, k)).collect();
        // `from_sorted_iter` collects the entries into one vector, then makes
        // each block straight from it: one allocation per block, none more.
        // With more than one block, the blocks are made first, all of them,
        // and the nodes after: one vector holds the blocks meanwhile, and one
        // the nodes' entries.
        let (allocs, map) =
            allocations(|| GenericAvlMap::<u64, u64, P>::from_sorted_iter(entries).unwrap());
        map.check_invariants().unwrap();
        let vector = u64::from(n > 0) + 2 * u64::from(P::BLOCK > 0 && n > P::BLOCK as u64);
        assert_eq!(allocs, vector + nodes_and_blocks(&map), "n = {n}");
        // `FromIterator` the same, plus the buffer std's stable sort may
        // take.
        let (allocs, built) = allocations(|| {
            (0..n)
                .rev()
                .map(|k| (k, k))
                .collect::<GenericAvlMap<u64, u64, P>>()
        });
        let least = vector + nodes_and_blocks(&built);
        assert!(
            (least..=least + 1).contains(&allocs),
            "n = {n}, unsorted: {allocs} against {least}"
        );
        assert!(built.iter().eq(map.iter()));
    }
}

#[test]
fn a_sorted_build_allocates_each_node_and_block_once_default() {
    a_sorted_build_allocates_each_node_and_block_once::<ArcKind>();
}

#[test]
fn a_sorted_build_allocates_each_node_and_block_once_small_and_classic() {
    a_sorted_build_allocates_each_node_and_block_once::<BlockSize<RcKind, 4>>();
    a_sorted_build_allocates_each_node_and_block_once::<Classic>();
}

// ---------------------------------------------------------------------------
// (i) Set algebra on unrelated maps allocates little beyond its result.

/// A union, intersection and difference of two random maps of 10^4 entries
/// each (about one key in eight in both). Near the bottom of the recursion,
/// two small subtrees that share nothing are merged entry by entry into the
/// result rather than split further, which would cut blocks and copy paths
/// only to rebuild them at once. So each operation allocates its result's
/// nodes and blocks and at most one more allocation per block's worth of
/// input entries (measured: 64% to 91% of that allowance; splitting down to
/// the blocks took 2.5 to 34 times the result's count, beyond it in every
/// case).
fn unrelated_merges_allocate_little_beyond_their_result<P: PointerKind>() {
    let mut rng = Rng(41);
    let a = random_map::<P>(10_000, &mut rng);
    let b = random_map::<P>(10_000, &mut rng);
    let allowance = ((a.len() + b.len()) / P::BLOCK) as u64;
    let check = |what: &str, (allocs, result): (u64, GenericAvlMap<u64, u64, P>)| {
        result.check_invariants().unwrap();
        let parts = nodes_and_blocks(&result);
        assert!(
            allocs <= parts + allowance,
            "{what}: {allocs} allocations for a result of {parts} nodes and blocks \
             (allowance {allowance})"
        );
        result
    };
    let union = check("union", allocations(|| a.union_map(&b)));
    let both = check("intersection", allocations(|| a.intersection_map(&b)));
    let only = check("difference", allocations(|| a.difference_map(&b)));
    // The maps do overlap, so every case has something to keep and drop.
    assert!(both.len() > 1000 && union.len() < 19_000 && only.len() < 9_000);
}

#[test]
fn unrelated_merges_allocate_little_beyond_their_result_default() {
    unrelated_merges_allocate_little_beyond_their_result::<ArcKind>();
}

#[test]
fn unrelated_merges_allocate_little_beyond_their_result_small() {
    unrelated_merges_allocate_little_beyond_their_result::<BlockSize<ArcKind, 8>>();
}

/// A range keeps one stack of nodes for each end it is read from, and no
/// more: made with no end and read from the front only, as a page of
/// results is (`range(k..).take(n)`), it allocates one stack and never
/// walks down to the map's last entry; read from the back as well, it
/// allocates the second then. A range with two bounds finds both ends at
/// once. `iter` is the range with neither bound.
fn a_range_allocates_a_stack_per_end_it_is_read_from<P: PointerKind>() {
    let mut rng = Rng(43);
    let map = random_map::<P>(10_000, &mut rng);
    let from = *map.keys().nth(5_000).unwrap();
    let (allocs, page) = allocations(|| map.range(from..).take(100).count());
    assert_eq!((allocs, page), (1, 100), "a page read from the front");
    let (allocs, ends) = allocations(|| {
        let mut range = map.range(from..);
        (
            range.next().map(|(k, _)| *k),
            range.next_back().map(|(k, _)| *k),
        )
    });
    assert_eq!(allocs, 2, "read from both ends");
    assert_eq!(ends, (Some(from), map.last_key_value().map(|(k, _)| *k)));
    let (allocs, first) = allocations(|| map.range(from..from + 1_000).next().map(|(k, _)| *k));
    assert_eq!((allocs, first), (2, Some(from)), "two bounds");
    // The whole map is the range with neither bound.
    let (allocs, page) = allocations(|| map.iter().take(100).count());
    assert_eq!((allocs, page), (1, 100), "iter read from the front");
    let (allocs, last) = allocations(|| map.iter().next_back().map(|(k, _)| *k));
    assert_eq!(allocs, 2, "iter read from the back");
    assert_eq!(last, map.last_key_value().map(|(k, _)| *k));
}

#[test]
fn a_range_allocates_a_stack_per_end_it_is_read_from_default() {
    a_range_allocates_a_stack_per_end_it_is_read_from::<ArcKind>();
}

#[test]
fn a_range_allocates_a_stack_per_end_it_is_read_from_classic() {
    a_range_allocates_a_stack_per_end_it_is_read_from::<Classic>();
}

// ---------------------------------------------------------------------------
// (j) `get_mut` copies what is shared on its path, and only for a present key.

/// How many of the nodes on the way to `key`, and of the block holding it,
/// are among `shared`: what a change to its value must copy.
fn shared_on_the_way<P: PointerKind>(
    map: &GenericAvlMap<u64, u64, P>,
    key: u64,
    shared: &HashSet<usize>,
) -> u64 {
    let mut copies = 0;
    let mut cur = map.root_node();
    while let Some(node) = cur {
        copies += u64::from(shared.contains(&node.id()));
        let (next, block) = match key.cmp(node.key()) {
            std::cmp::Ordering::Less => (node.left(), node.left_block()),
            std::cmp::Ordering::Greater => (node.right(), node.right_block()),
            std::cmp::Ordering::Equal => return copies,
        };
        if next.is_none() {
            return copies + u64::from(shared.contains(&(block.as_ptr() as usize)));
        }
        cur = next;
    }
    copies
}

/// On a map shared with a kept clone, `get_mut` of a present key copies
/// exactly the nodes on its way that the clone still holds, and the block
/// holding the entry if the clone holds it; again, nothing. Of an absent
/// key, nothing, wherever the way stops being unshared.
fn get_mut_copies_what_is_shared_on_its_way<P: PointerKind>() {
    let mut rng = Rng(47);
    let mut map = random_map::<P>(10_000, &mut rng);
    let kept = map.clone();
    let model: std::collections::BTreeMap<u64, u64> = kept.iter().map(|(&k, &v)| (k, v)).collect();
    let mut changed = model.clone();
    let shared = addresses(&kept);
    for round in 0..2_000 {
        let missing = rng.below(160_000) | 1;
        assert_eq!(allocations(|| map.get_mut(&missing).is_none()), (0, true));
        let k = any_key(&map, &mut rng);
        let copies = shared_on_the_way(&map, k, &shared);
        if round == 0 {
            // Everything is shared yet: the whole way.
            let way = landing(&map, k).map_or(search_path_len(&map, k), |(nodes, ..)| nodes + 1);
            assert_eq!(copies, way);
        }
        let (n, value) = allocations(|| map.get_mut(&k).map(|v| std::mem::replace(v, round)));
        assert_eq!(n, copies, "get_mut of {k}");
        assert_eq!(value, changed.insert(k, round));
        assert_eq!(allocations(|| map.get_mut(&k).is_some()), (0, true));
    }
    assert!(kept.iter().map(|(&k, &v)| (k, v)).eq(model));
    assert!(map.iter().map(|(&k, &v)| (k, v)).eq(changed));
    map.check_invariants().unwrap();
}

#[test]
fn get_mut_copies_what_is_shared_on_its_way_classic() {
    get_mut_copies_what_is_shared_on_its_way::<Classic>();
}

#[test]
fn get_mut_copies_what_is_shared_on_its_way_small() {
    get_mut_copies_what_is_shared_on_its_way::<Small>();
}

#[test]
fn get_mut_copies_what_is_shared_on_its_way_rc() {
    get_mut_copies_what_is_shared_on_its_way::<RcKind>();
}
