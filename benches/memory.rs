//! Memory of the compared maps, counted by a global allocator: bytes and
//! allocations per entry, and per version kept.
//!
//! From the repository's root:
//!
//! ```text
//! cargo bench -p persistent-avl-benches --bench memory    # 10^6 entries
//! AVL_MEMORY_OUT=target/memory.md cargo bench -p persistent-avl-benches --bench memory
//! ```
//!
//! For each map kind, on `u64` keys and values:
//!
//! - a map of 10^6 random keys built by in-place inserts, and one built by
//!   `FromIterator` from a `Vec` of the pairs in random order: the bytes
//!   live afterwards per entry, and the allocations made per entry (for
//!   `FromIterator` including its temporary buffers, freed by the end);
//! - from the inserts-built map, a chain of 10^4 persistent inserts of new
//!   keys, each on the version before, every version kept: the bytes they
//!   retain per version (live bytes after, minus before, over 10^4) and the
//!   allocations per insert; and the same for 10^4 persistent removes of
//!   present keys. `BTreeMap` has no persistent form and gets no figure.
//!
//! "Bytes" are the sizes requested (`Layout::size`), not what the system
//! allocator rounds them up to, nor its own headers. A `realloc` counts as
//! one allocation.
//!
//! The file named by `AVL_MEMORY_OUT` gets the table too; a relative path is
//! taken from the repository's root.
//!
//! Run without `--bench` (as `cargo test -p persistent-avl-benches --benches`
//! does), it checks itself on 10^4 entries and 100 versions instead, in well
//! under a second. Given a filter (`cargo bench -p persistent-avl-benches --
//! get_present`, which cargo passes to every bench), it runs only if the
//! filter is part of the word `memory`.

// Lookups, iteration and the allocator's choice: only the timing benches use them.
#[allow(dead_code, unused_macros, unused_imports)]
mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use common::{BenchMap, build, random_keys, shuffled};

// ---------------------------------------------------------------------------
// The counting allocator.

struct Counting;

/// Bytes requested and not yet freed.
static LIVE: AtomicUsize = AtomicUsize::new(0);
/// Calls to `alloc`, `alloc_zeroed` and `realloc`.
static ALLOCS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every method forwards to `System` unchanged and only updates
// counters on the side.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        LIVE.fetch_add(layout.size(), Relaxed);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        LIVE.fetch_add(layout.size(), Relaxed);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        LIVE.fetch_add(new_size, Relaxed);
        LIVE.fetch_sub(layout.size(), Relaxed);
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// The counters at one moment.
#[derive(Clone, Copy)]
struct Counts {
    live: usize,
    allocs: usize,
}

fn counts() -> Counts {
    Counts {
        live: LIVE.load(Relaxed),
        allocs: ALLOCS.load(Relaxed),
    }
}

/// What `f` retains and allocates, each divided by `per`; and its result.
fn measure<T>(per: usize, f: impl FnOnce() -> T) -> (T, Cost) {
    let before = counts();
    let out = f();
    let after = counts();
    #[allow(clippy::cast_precision_loss)] // counts far below 2^52
    let cost = Cost {
        bytes: (after.live as f64 - before.live as f64) / per as f64,
        allocs: (after.allocs - before.allocs) as f64 / per as f64,
    };
    (out, cost)
}

/// Bytes retained and allocations made, per entry or per version.
#[derive(Clone, Copy)]
struct Cost {
    bytes: f64,
    allocs: f64,
}

// ---------------------------------------------------------------------------
// The measurements.

struct Row {
    name: &'static str,
    inserts: Cost,
    from_iter: Cost,
    /// `None` for a map without persistent forms.
    insert_persistent: Option<Cost>,
    remove_persistent: Option<Cost>,
}

/// A chain of persistent updates `step(version, key)` from `base`, one per
/// key, every version kept: the cost per version.
fn chain<M: BenchMap>(base: &M, keys: &[u64], step: impl Fn(&M, u64) -> M) -> Cost {
    let mut versions = Vec::with_capacity(keys.len() + 1);
    versions.push(base.clone());
    let ((), cost) = measure(keys.len(), || {
        for &k in keys {
            let next = step(&versions[versions.len() - 1], k);
            versions.push(next);
        }
    });
    cost
}

fn row<M: BenchMap>(n: usize, versions: usize) -> Row {
    let keys = random_keys(n, 1);

    let pairs: Vec<(u64, u64)> = keys.iter().map(|&k| (k, k)).collect();
    let (map, from_iter) = measure(n, || pairs.iter().copied().collect::<M>());
    assert_eq!(map.len(), n);
    drop((map, pairs));

    let (base, inserts) = measure(n, || build::<M>(&keys));
    assert_eq!(base.len(), n);

    let (insert_persistent, remove_persistent) = if M::SHARES_VERSIONS {
        // Seed 4: none of them is among the map's keys (seed 1).
        let new_keys = random_keys(versions, 4);
        let mut present = shuffled(&keys, 5);
        present.truncate(versions);
        (
            Some(chain(&base, &new_keys, |m, k| m.insert_persistent(k, k))),
            Some(chain(&base, &present, M::remove_persistent)),
        )
    } else {
        (None, None)
    };
    Row {
        name: M::NAME,
        inserts,
        from_iter,
        insert_persistent,
        remove_persistent,
    }
}

/// Measures `M` and adds its row.
fn push_row<M: BenchMap>(rows: &mut Vec<Row>, n: usize, versions: usize) {
    rows.push(row::<M>(n, versions));
    eprintln!("measured {}", M::NAME);
}

fn table(n: usize, versions: usize, rows: &[Row]) -> String {
    fn cell(cost: Option<Cost>, bytes: bool) -> String {
        match cost {
            Some(c) if bytes => format!("{:.1}", c.bytes),
            Some(c) => format!("{:.2}", c.allocs),
            None => "—".to_owned(),
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Memory: maps of {n} random `u64 -> u64` entries; chains of {versions} \
         persistent updates, every version kept. Bytes are requested sizes \
         (`Layout::size`).\n"
    );
    out.push_str(
        "| map | bytes/entry (inserts) | allocs/entry (inserts) \
         | bytes/entry (FromIterator) | allocs/entry (FromIterator) \
         | bytes/version (persistent insert) | allocs/persistent insert \
         | bytes/version (persistent remove) | allocs/persistent remove |\n",
    );
    out.push_str("|---|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.name,
            cell(Some(r.inserts), true),
            cell(Some(r.inserts), false),
            cell(Some(r.from_iter), true),
            cell(Some(r.from_iter), false),
            cell(r.insert_persistent, true),
            cell(r.insert_persistent, false),
            cell(r.remove_persistent, true),
            cell(r.remove_persistent, false),
        );
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        println!("memory: bench");
        return;
    }
    // `cargo bench -p persistent-avl-benches -- <filter>` passes the filter
    // to every bench binary: run only if one of them names this one.
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if !filters.is_empty() && !filters.iter().any(|f| "memory".contains(f.as_str())) {
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --benches` does not, and
    // then a small run checks that everything works.
    let full = args.iter().any(|a| a == "--bench");
    let (n, versions) = if full {
        (1_000_000, 10_000)
    } else {
        (10_000, 100)
    };
    let mut rows = Vec::new();
    common::for_each_map!(push_row(&mut rows, n, versions));
    // The block-size curve: the default (32) and the classic tree (0) are
    // above; these are the other sizes.
    common::for_each_block_size!(push_row(&mut rows, n, versions));
    let table = table(n, versions, &rows);
    print!("{table}");
    if let Some(path) = std::env::var_os("AVL_MEMORY_OUT") {
        // Cargo runs a bench in its package's directory, `benches/`; a
        // relative path is taken from the repository's root instead, where
        // `target/` is.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the benchmark crate lives in a directory of the repository");
        let path = root.join(path);
        std::fs::write(&path, &table).unwrap_or_else(|e| {
            panic!("cannot write {}: {e}", path.display());
        });
        eprintln!("wrote {}", path.display());
    }
}
