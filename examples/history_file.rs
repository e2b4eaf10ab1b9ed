//! Saving a history of versions: each distinct node written once.
//!
//! ```text
//! cargo run --release --features serde --example history_file
//! ```
//!
//! Makes 1000 one-key edits of a 10^5-entry map, keeping every version in a
//! `History`, and compares the bytes of the saved history (JSON, through
//! serde_json) with the bytes of every version written as a plain map, as a
//! `BTreeMap` of each would be. Then loads the file and checks that the
//! versions come back equal and sharing the same nodes.

use std::io::Write;
use std::time::Instant;

use persistent_avl::{AvlMap, History};

const ENTRIES: u64 = 100_000;
const EDITS: u64 = 1000;

/// A writer that only counts what is written to it.
#[derive(Default)]
struct Count(usize);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The JSON bytes of one version written as a plain map, as a `BTreeMap`
/// of its entries would be.
fn plain_bytes(map: &AvlMap<u64, u64>) -> usize {
    let mut count = Count::default();
    serde_json::to_writer(&mut count, map).expect("counting cannot fail");
    count.0
}

fn mib(bytes: usize) -> String {
    // Display only: file sizes far below 2^52 bytes convert exactly.
    #[allow(clippy::cast_precision_loss)]
    let mib = bytes as f64 / (1024.0 * 1024.0);
    format!("{mib:.2} MiB")
}

fn main() {
    let base: AvlMap<u64, u64> = (0..ENTRIES).map(|k| (k, k)).collect();
    let mut history = History::new(base);
    for i in 0..EDITS {
        let key = i * 7919 % ENTRIES;
        history.edit(|map| _ = map.insert(key, i));
    }
    let versions: Vec<&AvlMap<u64, u64>> = history.ids().filter_map(|id| history.get(id)).collect();

    let started = Instant::now();
    let saved = serde_json::to_vec(&history).expect("a history serializes");
    let save_time = started.elapsed();
    let document = plain_bytes(history.current());
    let every_version: usize = versions.iter().map(|map| plain_bytes(map)).sum();

    println!("{EDITS} one-key edits of a {ENTRIES}-entry map, every version kept (JSON):");
    println!("  one version as a plain map      {:>12}", mib(document));
    println!(
        "  every version as a plain map    {:>12}",
        mib(every_version)
    );
    println!(
        "  the history, each node once     {:>12}  ({:.2}x one version, {:.4}x every version; saved in {save_time:.0?})",
        mib(saved.len()),
        ratio(saved.len(), document),
        ratio(saved.len(), every_version),
    );
    let per_edit = (saved.len().saturating_sub(document)) / usize::try_from(EDITS).unwrap_or(1);
    println!("  beyond one version, per edit    {per_edit:>8} bytes");

    let started = Instant::now();
    let loaded: History<AvlMap<u64, u64>> =
        serde_json::from_slice(&saved).expect("the saved history loads");
    let load_time = started.elapsed();
    let reloaded: Vec<&AvlMap<u64, u64>> = loaded.ids().filter_map(|id| loaded.get(id)).collect();
    let before = AvlMap::sharing_among(&versions);
    let after = AvlMap::sharing_among(&reloaded);
    assert!(versions.iter().zip(&reloaded).all(|(a, b)| a == b));
    assert_eq!(before.distinct, after.distinct);
    println!(
        "loaded in {load_time:.0?}: {} versions, equal, holding {} distinct entries in nodes and blocks as before ({} for {} versions of {ENTRIES})",
        reloaded.len(),
        after.distinct,
        after.distinct,
        reloaded.len(),
    );
}

fn ratio(a: usize, b: usize) -> f64 {
    // Display only.
    #[allow(clippy::cast_precision_loss)]
    let r = a as f64 / b as f64;
    r
}
