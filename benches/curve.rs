//! The block-size curve, measured as ratios to imbl in interleaved rounds.
//!
//! On a shared, noisy machine a criterion run of one map after another
//! moves by 20-50% between runs, which hides the differences between block
//! sizes. This harness builds one map per layout, then in each round times
//! every workload on every layout back to back (in an order that rotates
//! from round to round), divides each time by imbl's in the same round, and
//! prints the median of those ratios per layout and workload.
//!
//! From the repository's root:
//!
//! ```sh
//! cargo bench -p persistent-avl-benches --bench curve    # 10^6 entries, 15 rounds
//! AVL_CURVE_N=100000 AVL_CURVE_ROUNDS=31 cargo bench -p persistent-avl-benches --bench curve
//! ```
//!
//! `cargo test -p persistent-avl-benches --benches` runs it once on 10^4
//! entries, as a check.

// Shared with the other benches, which use the parts this one does not.
#[allow(dead_code, unused_macros, unused_imports)]
mod common;

use persistent_avl::GenericAvlMap;
use std::hint::black_box;
use std::time::Instant;

use common::{BenchMap, build, random_keys, shuffled};

/// Keys per lookup batch, and entries per range query.
const LOOKUPS: usize = 100_000;
const RANGE: usize = 100;
const RANGES: usize = 2_000;
const INSERTS: usize = 10_000;

/// The workloads, in the order of the table's columns.
const WORKLOADS: [&str; 6] = [
    "get hit",
    "get miss",
    "iteration",
    "range of 100",
    "persistent insert",
    "in-place build",
];

/// One layout under test: its name and a closure per workload returning
/// the seconds it took.
struct Layout {
    name: &'static str,
    run: Box<dyn FnMut(usize, usize) -> f64>,
}

/// The maps and inputs of one layout, made once.
fn layout<M: BenchMap + 'static>(n: usize) -> Layout {
    let keys = random_keys(n, 1);
    let map = build::<M>(&keys);
    let hits = shuffled(&keys, 2)[..LOOKUPS.min(n)].to_vec();
    let misses = random_keys(LOOKUPS.min(n), 6);
    let starts = random_keys(RANGES, 7);
    let build_keys = random_keys(n, 8);
    Layout {
        name: M::NAME,
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
                    let start = Instant::now();
                    let mut versions = Vec::with_capacity(INSERTS + 1);
                    versions.push(map.clone());
                    for &k in &fresh {
                        let next = versions[versions.len() - 1].insert_persistent(k, k);
                        versions.push(next);
                    }
                    let took = start.elapsed().as_secs_f64();
                    drop(versions);
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
    use persistent_avl::{ArcKind, AvlMap, BlockSize};
    let mut layouts = [
        layout::<imbl::OrdMap<u64, u64>>(n),
        layout::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 0>>>(n),
        layout::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 4>>>(n),
        layout::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 8>>>(n),
        layout::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 16>>>(n),
        layout::<AvlMap<u64, u64>>(n),
        layout::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 64>>>(n),
        layout::<GenericAvlMap<u64, u64, BlockSize<ArcKind, 128>>>(n),
    ];
    // ratios[layout][workload]: one ratio to imbl per round.
    let mut ratios = vec![vec![Vec::new(); WORKLOADS.len()]; layouts.len()];
    for round in 0..rounds {
        for workload in 0..WORKLOADS.len() {
            let mut times = vec![0.0; layouts.len()];
            for i in 0..layouts.len() {
                let at = (i + round) % layouts.len();
                times[at] = (layouts[at].run)(workload, round);
            }
            for (per_layout, time) in ratios.iter_mut().zip(&times) {
                per_layout[workload].push(time / times[0]);
            }
        }
        eprintln!("round {} of {rounds} done", round + 1);
    }
    println!(
        "Block-size curve: n = {n} random `u64 -> u64` entries (maps built by inserts), \
         medians over {rounds} rounds of the ratio to imbl's time in the same round"
    );
    println!();
    println!("| layout | {} |", WORKLOADS.join(" | "));
    println!("|---|{}", "--:|".repeat(WORKLOADS.len()));
    for (layout, per_workload) in layouts.iter().zip(ratios) {
        let cells: Vec<String> = per_workload
            .into_iter()
            .map(|r| format!("{:.2}", median(r)))
            .collect();
        println!("| {} | {} |", layout.name, cells.join(" | "));
    }
}
