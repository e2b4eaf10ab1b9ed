//! Threads: with the default `Arc` kind a version is `Send + Sync`, and
//! many threads may read it while others derive new versions from it.
//!
//! Deriving a version bumps reference counts and copies shared nodes (path
//! copying never writes to a node another version can see), so readers of
//! the old version must see exactly its contents throughout, and the old
//! version must be unchanged afterwards.

use std::collections::BTreeMap;
use std::ops::Bound;

use persistent_avl::{AvlMap, AvlSet};

mod common;
use common::Rng;

/// Compile-time: the default maps and sets cross and share across threads.
fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn default_kind_is_send_and_sync() {
    assert_send_sync::<AvlMap<u64, u64>>();
    assert_send_sync::<AvlSet<String>>();
    assert_send_sync::<AvlMap<String, Vec<u8>>>();
    // Their borrowing iterators too, as std's.
    assert_send_sync::<persistent_avl::map::Iter<'static, u64, u64>>();
    assert_send_sync::<persistent_avl::map::Range<'static, u64, u64>>();
}

/// Everything a reader checks of one version against its model.
fn check_reads(map: &AvlMap<u64, u64>, model: &BTreeMap<u64, u64>, rng: &mut Rng) {
    assert_eq!(map.len(), model.len());
    for _ in 0..200 {
        let k = rng.below(40_000);
        assert_eq!(map.get(&k), model.get(&k), "get {k}");
    }
    assert!(map.iter().eq(model.iter()));
    assert!(map.iter().rev().eq(model.iter().rev()));
    for _ in 0..20 {
        let (a, b) = (rng.below(40_000), rng.below(40_000));
        let (lo, hi) = (a.min(b), a.max(b));
        assert!(
            map.range(lo..hi).eq(model.range(lo..hi)),
            "range {lo}..{hi}"
        );
        let bounds = (Bound::Excluded(lo), Bound::Included(hi));
        if lo != hi {
            assert!(map.range(bounds).rev().eq(model.range(bounds).rev()));
        }
        assert_eq!(map.range(lo..hi).len(), model.range(lo..hi).count());
    }
}

#[test]
fn readers_see_one_version_while_new_ones_are_made() {
    let mut rng = Rng(7);
    let mut model = BTreeMap::new();
    let mut base: AvlMap<u64, u64> = AvlMap::new();
    for i in 0..20_000 {
        let k = rng.below(40_000);
        base.insert(k, i);
        model.insert(k, i);
    }
    let base_root = base.root_node().unwrap().id();

    std::thread::scope(|scope| {
        // Readers of `base`, by shared reference.
        for t in 0..4 {
            let (base, model) = (&base, &model);
            scope.spawn(move || {
                let mut rng = Rng(100 + t);
                for _ in 0..6 {
                    check_reads(base, model, &mut rng);
                }
            });
        }
        // Writers on their own threads: each derives versions from a clone
        // it owns, racing on the reference counts of the shared nodes.
        for t in 0..2 {
            let (mine, model) = (base.clone(), model.clone());
            scope.spawn(move || {
                let mut rng = Rng(200 + t);
                let (mut mine, mut model) = (mine, model);
                for i in 0..3_000 {
                    let k = rng.below(40_000);
                    if i % 3 == 0 {
                        assert_eq!(mine.remove(&k), model.remove(&k));
                    } else {
                        assert_eq!(mine.insert(k, i), model.insert(k, i));
                    }
                }
                mine.check_invariants().unwrap();
                check_reads(&mine, &model, &mut rng);
            });
        }
        // Meanwhile the main thread keeps making versions from `base`:
        // in place on clones, persistently, and with bulk operations.
        let mut rng = Rng(300);
        let mut versions = Vec::new();
        for i in 0..2_000u64 {
            let k = rng.below(40_000);
            let mut next = base.inserted(k, u64::MAX);
            next.remove(&rng.below(40_000));
            if let Some(v) = next.get_mut(&rng.below(40_000)) {
                *v = 0;
            }
            if i % 100 == 0 {
                let mut high = next.split_off(&20_000);
                high.retain(|k, _| k % 2 == 0);
                next.append(&mut high);
                for (_, v) in next.iter_mut().take(50) {
                    *v += 1;
                }
            }
            // The source still reads as before, from this thread too.
            assert_eq!(base.get(&k), model.get(&k));
            versions.push(next);
            if versions.len() > 20 {
                versions.remove(0);
            }
        }
        for v in &versions {
            v.check_invariants().unwrap();
        }
    });

    // The old version is exactly as it was, down to its root node.
    assert_eq!(base.root_node().unwrap().id(), base_root);
    base.check_invariants().unwrap();
    assert!(base.iter().eq(model.iter()));
}

#[test]
fn versions_moved_into_threads_stay_independent() {
    // Each thread gets its own clone (Send), changes it, and sends it back;
    // the source and every result are independent versions.
    let base: AvlMap<u64, u64> = (0..10_000).map(|k| (k, k)).collect();
    let results: Vec<AvlMap<u64, u64>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4u64)
            .map(|t| {
                let mut mine = base.clone();
                scope.spawn(move || {
                    for k in (t..10_000).step_by(4) {
                        mine.remove(&k);
                    }
                    mine.insert(100_000 + t, t);
                    mine
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (t, map) in (0u64..).zip(&results) {
        map.check_invariants().unwrap();
        assert_eq!(map.len(), 7_500 + 1);
        assert!(map.keys().all(|k| *k >= 100_000 || k % 4 != t));
        assert_eq!(map.get(&(100_000 + t)), Some(&t));
    }
    assert_eq!(base.len(), 10_000);
    assert!(base.iter().all(|(k, v)| k == v));
    // Sets are sent the same way.
    let set: AvlSet<String> = (0..100).map(|i| i.to_string()).collect();
    let handle = std::thread::spawn(move || set.inserted("x".into()).len());
    assert_eq!(handle.join().unwrap(), 101);
}
