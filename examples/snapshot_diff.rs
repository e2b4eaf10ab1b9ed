//! What changed between two snapshots of a million-entry map, found in
//! microseconds: `diff` skips every subtree the two versions share, where
//! comparing them entry by entry reads both maps whole.
//!
//! ```text
//! cargo run --release --example snapshot_diff
//! ```

use std::cmp::Ordering;
use std::hint::black_box;
use std::time::{Duration, Instant};

use persistent_avl::AvlMap;
use persistent_avl::map::DiffItem;

type Map = AvlMap<u64, u64>;

const N: u64 = 1_000_000;

fn main() {
    // Even keys 0, 2, .., 2(N - 1), so that odd keys are free to insert.
    let base: Map = (0..N).map(|i| (2 * i, i)).collect();
    println!(
        "base: {} entries (u64 -> u64), height {}",
        base.len(),
        base.height()
    );

    let mut snapshot = base.clone(); // O(1): shares every node
    for key in [7, 500_001, 1_234_567, 1_999_999] {
        snapshot.insert(key, 0);
    }
    for key in [0, 999_998, 1_999_998] {
        snapshot.remove(&key);
    }
    for key in [2, 1_000_000, 1_500_000] {
        *snapshot.get_mut(&key).expect("an even key") += 1;
    }
    println!("snapshot: a clone of base after 4 inserts, 3 removes and 3 value changes\n");

    println!("base.diff(&snapshot):");
    let start = Instant::now();
    let mut diff = base.diff(&snapshot);
    let changes: Vec<_> = diff.by_ref().collect();
    let cold_time = start.elapsed();
    for change in changes {
        match change {
            DiffItem::Added(k, v) => println!("  + {k:>9} => {v}"),
            DiffItem::Removed(k, v) => println!("  - {k:>9}    (was {v})"),
            DiffItem::Changed { key, old, new } => println!("  ~ {key:>9} :  {old} -> {new}"),
        }
    }
    let opened = diff.nodes_opened();
    let nodes = base.len() + snapshot.len();
    println!(
        "  nodes opened: {opened} of the {nodes} the two versions hold ({:.4}%), {:.1} per change",
        100.0 * opened as f64 / nodes as f64,
        opened as f64 / 10.0,
    );

    // The same answer from a walk over both maps, entry by entry.
    let by_diff: Vec<_> = base.diff(&snapshot).collect();
    assert_eq!(by_diff, full_walk(&base, &snapshot));

    let diff_time = best_of(200, || black_box(base.diff(&snapshot).count()));
    let walk_time = best_of(5, || black_box(full_walk(&base, &snapshot).len()));
    println!("\nTime to find the 10 changes (best of several runs):");
    println!(
        "  diff (skips shared subtrees)        {diff_time:>10.2?}   (first run: {cold_time:.2?})"
    );
    println!("  full walk (merge of both iter())    {walk_time:>10.2?}");
    println!(
        "  the diff is {:.0}x faster",
        walk_time.as_secs_f64() / diff_time.as_secs_f64()
    );

    let sharing = base.sharing(&snapshot);
    let sharing_time = best_of(200, || black_box(base.sharing(&snapshot)));
    println!("\nbase.sharing(&snapshot), in {sharing_time:.2?}:");
    println!(
        "  shared {}, only in base {}, only in snapshot {}",
        sharing.shared, sharing.only_first, sharing.only_second
    );
    println!(
        "  so the snapshot stores {} entries of its own (in the nodes it copied and the blocks it changed)",
        sharing.only_second
    );

    // `same_contents` walks the same way: equal contents under different
    // roots. `==` compares every entry, as std's does.
    let rewritten = base.inserted(1_234_568, 617_284); // the value it had
    assert!(!rewritten.ptr_eq(&base));
    let mut walk = rewritten.diff(&base);
    assert_eq!(walk.next(), None);
    let same_time = best_of(200, || black_box(rewritten.same_contents(&base)));
    let eq_time = best_of(5, || black_box(rewritten == base));
    println!("\nEqual contents, different roots (a value rewritten with itself):");
    println!(
        "  rewritten.same_contents(&base)      {same_time:>10.2?}   (the diff's walk: {} nodes opened)",
        walk.nodes_opened()
    );
    println!("  rewritten == base                   {eq_time:>10.2?}   (every entry, as std)");

    scaling(&base);
    unrelated(&base);
}

/// The differences found by walking both maps in key order, as a merge.
fn full_walk<'a>(old: &'a Map, new: &'a Map) -> Vec<DiffItem<'a, u64, u64>> {
    let (mut old, mut new) = (old.iter().peekable(), new.iter().peekable());
    let mut out = Vec::new();
    loop {
        let item = match (old.peek().copied(), new.peek().copied()) {
            (None, None) => return out,
            (Some((k, v)), None) => {
                old.next();
                DiffItem::Removed(k, v)
            }
            (None, Some((k, v))) => {
                new.next();
                DiffItem::Added(k, v)
            }
            (Some((k, a)), Some((j, b))) => match k.cmp(j) {
                Ordering::Less => {
                    old.next();
                    DiffItem::Removed(k, a)
                }
                Ordering::Greater => {
                    new.next();
                    DiffItem::Added(j, b)
                }
                Ordering::Equal => {
                    old.next();
                    new.next();
                    if a == b {
                        continue;
                    }
                    DiffItem::Changed {
                        key: j,
                        old: a,
                        new: b,
                    }
                }
            },
        };
        out.push(item);
    }
}

/// The cost of a diff as the number of changes grows.
fn scaling(base: &Map) {
    println!("\nMore changes (a third each inserts, removes and value changes, at random keys):\n");
    println!(
        "{:>8} {:>14} {:>9} {:>11} {:>11} {:>7}",
        "changes", "nodes opened", "per chg", "diff", "full walk", "ratio"
    );
    for edits in [1, 10, 100, 1_000, 10_000, 100_000] {
        let mut version = base.clone();
        for i in 0..edits {
            let r = shuffle(i);
            let even = 2 * (r % N);
            match i % 3 {
                0 => _ = version.insert(even + 1, 0),
                1 => _ = version.remove(&even),
                _ => _ = version.get_mut(&even).map(|v| *v += 1),
            }
        }
        let mut diff = base.diff(&version);
        let changes = diff.by_ref().count();
        let opened = diff.nodes_opened();
        let runs = if edits >= 10_000 { 5 } else { 50 };
        let diff_time = best_of(runs, || black_box(base.diff(&version).count()));
        let walk_time = best_of(3, || black_box(full_walk(base, &version).len()));
        let ratio = walk_time.as_secs_f64() / diff_time.as_secs_f64();
        let ratio = if ratio >= 10.0 {
            format!("{ratio:.0}x")
        } else {
            format!("{ratio:.1}x")
        };
        println!(
            "{changes:>8} {opened:>14} {:>9.1} {:>11} {:>11} {ratio:>7}",
            opened as f64 / changes as f64,
            format!("{diff_time:.2?}"),
            format!("{walk_time:.2?}"),
        );
    }
    println!("\nper chg: nodes opened per change, about twice the height while changes are far");
    println!("apart (the two paths; the blocks the versions do not share are compared),");
    println!("fewer as their paths overlap: O(d log n) for d changes. The nodes it opens are");
    println!("scattered in memory, so from about 1% of the entries changed a merge, which");
    println!("reads both maps in order, is as fast.");
}

/// Two maps with the same contents built separately share nothing.
fn unrelated(base: &Map) {
    let twin: Map = base.iter().map(|(&k, &v)| (k, v)).collect();
    let mut diff = base.diff(&twin);
    assert_eq!(diff.by_ref().count(), 0);
    let opened = diff.nodes_opened();
    let diff_time = best_of(3, || black_box(base.diff(&twin).count()));
    let walk_time = best_of(3, || black_box(full_walk(base, &twin).len()));
    println!("\nA twin of base built separately (same entries, no node in common):");
    let sharing = base.sharing(&twin);
    println!(
        "  shared {}, only in base {}, only in the twin {}",
        sharing.shared, sharing.only_first, sharing.only_second
    );
    println!("  diff: opens all {opened} nodes, {diff_time:.2?}; full walk: {walk_time:.2?}");
    println!(
        "  Both are O(n + m); here the diff costs {:.1}x the merge, so for versions known",
        diff_time.as_secs_f64() / walk_time.as_secs_f64()
    );
    println!("  to be unrelated a merge of the iterators is the faster way.");
}

/// The shortest of `runs` timed calls of `f`.
fn best_of<T>(runs: u32, mut f: impl FnMut() -> T) -> Duration {
    (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .min()
        .expect("at least one run")
}

/// A fixed permutation of the `u64`s (the finaliser of `splitmix64`).
fn shuffle(x: u64) -> u64 {
    let z = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
