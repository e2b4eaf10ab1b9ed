//! The block-size curve, measured as ratios to imbl in interleaved rounds.
//!
//! On a shared, noisy machine a criterion run of one map after another
//! moves by 20-50% between runs, which hides the differences between block
//! sizes. This harness builds one map per layout, then in each round times
//! every workload on every layout back to back (in an order that rotates
//! from round to round), divides each time by imbl's in the same round, and
//! prints the median of those ratios per layout and workload. The maps are
//! built by inserts; two more rows, `AvlMap` and imbl built by
//! `FromIterator`, show what a bulk build's layout in memory changes (each
//! divided by imbl's time on imbl's map built the same way).
//!
//! From the repository's root:
//!
//! ```sh
//! cargo bench -p persistent-avl-benches --bench curve    # 10^6 entries, 15 rounds
//! AVL_CURVE_N=100000 AVL_CURVE_ROUNDS=31 cargo bench -p persistent-avl-benches --bench curve
//! cargo bench -p persistent-avl-benches --features jemalloc --bench curve  # under jemalloc
//! ```
//!
//! `cargo test -p persistent-avl-benches --benches` runs it once on 10^4
//! entries, as a check.

// Shared with the other benches, which use the parts this one does not.
#[allow(dead_code, unused_macros, unused_imports)]
mod common;

common::bench_allocator!();

use persistent_avl::GenericAvlMap;
use std::hint::black_box;
use std::time::Instant;

use common::{BenchMap, build, collect, random_keys, shuffled};

/// How a layout's map is made: by inserts, or by `FromIterator`.
#[derive(Clone, Copy, PartialEq)]
enum Made {
    Inserts,
    Collected,
}

/// Keys per lookup batch, and entries per range query.
const LOOKUPS: usize = 100_000;
const RANGE: usize = 100;
const RANGES: usize = 2_000;
const INSERTS: usize = 10_000;

/// The workloads, in the order of the table's columns.
const WORKLOADS: [&str; 7] = [
    "get hit",
    "get miss",
    "iteration",
    "range of 100",
    "persistent insert",
    "persistent remove",
    "in-place build",
];

/// One layout under test: its name, how its map was made, and a closure
/// per workload returning the seconds it took.
struct Layout {
    name: &'static str,
    made: Made,
    run: Box<dyn FnMut(usize, usize) -> f64>,
}

/// The maps and inputs of one layout, made once.
fn layout<M: BenchMap + 'static>(n: usize, made: Made) -> Layout {
    let keys = random_keys(n, 1);
    let map = match made {
        Made::Inserts => build::<M>(&keys),
        Made::Collected => collect::<M>(&keys),
    };
    let hits = shuffled(&keys, 2)[..LOOKUPS.min(n)].to_vec();
    let misses = random_keys(LOOKUPS.min(n), 6);
    let starts = random_keys(RANGES, 7);
    let build_keys = random_keys(n, 8);
    // Present keys in random order (the keys are random), a different
    // stretch of them each round.
    let present = keys;
    Layout {
        name: M::NAME,
        made,
        run: Box::new(move |workload, round| {
            let start = Instant::now();
            match workload {
                0 => {
                    let found = hits.iter().filter(|&&k| map.get(k).is_some()).count();
                    assert_eq!(found, hits.len());
                }
                1 => {
                    let found = misses.iter().filter(|&&k| map.get(k).is_some()).count();
                    assert_eq!(found, 0);
                }
                2 => {
                    black_box(map.iter_sum());
                }
                3 => {
                    for &from in &starts {
                        black_box(map.range_sum(from, RANGE));
                    }
                }
                4 => {
                    // Fresh keys each round: disjoint seeds 100, 101, ...
                    let fresh = random_keys(INSERTS, 100 + round as u64);
                    let (took, last) = chain(&map, &fresh, |m, k| m.insert_persistent(k, k));
                    assert_eq!(last, map.len() + fresh.len());
                    return took;
                }
                5 => {
                    let count = INSERTS.min(present.len() / 2);
                    let from = (round * count) % (present.len() - count + 1);
                    let gone = &present[from..from + count];
                    let (took, last) = chain(&map, gone, M::remove_persistent);
                    assert_eq!(last, map.len() - count);
                    return took;
                }
                _ => {
                    let mut built = M::new();
                    for &k in &build_keys {
                        built.insert(k, k);
                    }
                    let took = start.elapsed().as_secs_f64();
                    drop(built);
                    return took;
                }
            }
            start.elapsed().as_secs_f64()
        }),
    }
}

/// A chain of versions from `map`, each made by `step` from the one before
/// with the next of `keys`, every version kept: the seconds it took, and
/// the last version's length. The versions are dropped after the clock
/// stops.
fn chain<M: BenchMap>(map: &M, keys: &[u64], step: impl Fn(&M, u64) -> M) -> (f64, usize) {
    let start = Instant::now();
    let mut versions = Vec::with_capacity(keys.len() + 1);
    versions.push(map.clone());
    for &k in keys {
        let next = step(&versions[versions.len() - 1], k);
        versions.push(next);
    }
    let took = start.elapsed().as_secs_f64();
    (took, versions[keys.len()].len())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--list") {
        println!("curve: bench");
        return;
    }
    let filters: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if !filters.is_empty() && !filters.iter().any(|f| "curve".contains(f.as_str())) {
        return;
    }
    let full = args.iter().any(|a| a == "--bench");
    let env = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (n, rounds) = if full {
        (env("AVL_CURVE_N", 1_000_000), env("AVL_CURVE_ROUNDS", 15))
    } else {
        (10_000, 1)
    };
    use Made::{Collected, Inserts};
    use persistent_avl::{ArcKind, AvlMap, BlockSize, Classic};
    let mut layouts = [
        layout::<imbl::OrdMap<u64, u64>>(n, Inserts),
        layout::<GenericAvlMap<u64, u64, Classic<ArcKind>>>(n, Inserts),
        layout::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 4>>>(n, Inserts),
        layout::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 8>>>(n, Inserts),
        layout::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 16>>>(n, Inserts),
        layout::<AvlMap<u64, u64>>(n, Inserts),
        layout::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 64>>>(n, Inserts),
        layout::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 128>>>(n, Inserts),
        layout::<imbl::OrdMap<u64, u64>>(n, Collected),
        layout::<AvlMap<u64, u64>>(n, Collected),
    ];
    // Each layout's ratios are to imbl's map made the same way.
    let base_of = |made: Made| {
        layouts
            .iter()
            .position(|l| l.made == made)
            .expect("imbl comes first among the maps made each way")
    };
    let bases: Vec<usize> = layouts.iter().map(|l| base_of(l.made)).collect();
    // ratios[layout][workload]: one ratio to imbl per round.
    let mut ratios = vec![vec![Vec::new(); WORKLOADS.len()]; layouts.len()];
    for round in 0..rounds {
        for workload in 0..WORKLOADS.len() {
            let mut times = vec![0.0; layouts.len()];
            for i in 0..layouts.len() {
                let at = (i + round) % layouts.len();
                times[at] = (layouts[at].run)(workload, round);
            }
            for ((per_layout, time), &base) in ratios.iter_mut().zip(&times).zip(&bases) {
                per_layout[workload].push(time / times[base]);
            }
        }
        eprintln!("round {} of {rounds} done", round + 1);
    }
    println!(
        "Block-size curve: n = {n} random `u64 -> u64` entries (maps built by inserts \
         unless the row says `FromIterator`), medians over {rounds} rounds of the ratio \
         to imbl's time in the same round, on imbl's map built the same way; \
         every map under {ALLOCATOR_NAME}"
    );
    println!();
    println!("| layout | {} |", WORKLOADS.join(" | "));
    println!("|---|{}", "--:|".repeat(WORKLOADS.len()));
    for (layout, per_workload) in layouts.iter().zip(ratios) {
        let cells: Vec<String> = per_workload
            .into_iter()
            .map(|r| format!("{:.2}", median(r)))
            .collect();
        let made = match layout.made {
            Inserts => "",
            Collected => ", `FromIterator`",
        };
        println!("| {}{made} | {} |", layout.name, cells.join(" | "));
    }
}
