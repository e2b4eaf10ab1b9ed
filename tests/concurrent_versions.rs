//! Many versions read in parallel while new ones are made from old ones.
//!
//! One thread, the writer, starts from a 20,000-entry map and keeps making
//! versions, each from an earlier one: the newest, the first, or any other.
//! It makes them every way a version can be made (in place on a clone,
//! persistently, by `retain`, by `split_off` and `append`, through `entry`)
//! and publishes each with its model, the `BTreeMap` made by the same calls.
//! So a node is held by many versions, and its reference count changes on
//! several threads at once.
//!
//! Meanwhile rayon tasks read the published versions, old and new: every
//! `get`, `rank`, `get_index`, range (forwards and backwards, and its
//! length) and full walk of a version must give what its model gives, and
//! `diff` between two versions must give the merge of their two models. A
//! task also makes and drops a version of its own from the one it reads.
//!
//! Afterwards every version still equals its model and keeps the tree's
//! invariants: making a version from another never changes the other.

use std::collections::BTreeMap;
use std::ops::Bound;
use std::sync::{Arc, mpsc};

use persistent_avl::map;
use persistent_avl::{AvlMap, History};
use rayon::prelude::*;

mod common;

use common::Rng;
use common::merge_diff;

/// What a version must hold.
type Model = BTreeMap<u64, u64>;

/// Keys are drawn below this, so about half the random lookups miss.
const SPAN: u64 = 40_000;
/// The entries of the first version.
const BASE_LEN: usize = 20_000;
/// The versions the writer makes from earlier ones.
const VERSIONS: u64 = 80;
/// The reader tasks started as each version is published.
const READS_PER_VERSION: u64 = 2;
/// The threads the reader tasks run on: more than a small machine's cores,
/// so that reads are preempted midway.
const READERS: usize = 4;

// Compile-time: a version, its borrowing iterators, a diff of two versions
// and a history of versions cross and share across threads.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<AvlMap<u64, u64>>();
    assert_send_sync::<map::Iter<'static, u64, u64>>();
    assert_send_sync::<map::Range<'static, u64, u64>>();
    assert_send_sync::<map::Diff<'static, u64, u64>>();
    assert_send_sync::<History<AvlMap<u64, u64>>>();
};

/// One published version, with its model beside it. Cloning it clones the
/// map (O(1), a new handle on the same nodes) and shares the model.
#[derive(Clone)]
struct Version {
    /// Its place in the order made: 0 for the first.
    number: u64,
    map: AvlMap<u64, u64>,
    model: Arc<Model>,
}

#[test]
fn versions_read_in_parallel_while_new_ones_are_made_from_old_ones() {
    let mut rng = Rng(1);
    let (mut map, mut model) = (AvlMap::new(), Model::new());
    while model.len() < BASE_LEN {
        let k = rng.below(SPAN);
        map.insert(k, k);
        model.insert(k, k);
    }
    let base = Version {
        number: 0,
        map,
        model: Arc::new(model),
    };

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(READERS)
        .build()
        .unwrap();
    let (publish, published) = mpsc::channel();
    let mut versions = vec![base.clone()];
    std::thread::scope(|scope| {
        scope.spawn(move || write(base, &publish));
        // Reader tasks for each version as it arrives, until the writer
        // hangs up (when it has made them all, or has panicked).
        pool.in_place_scope(|readers| {
            let mut rng = Rng(2);
            let mut task = 0;
            loop {
                for i in 0..READS_PER_VERSION {
                    // The newest version, and any two.
                    let newest = versions.len() - 1;
                    let one = if i == 0 {
                        newest
                    } else {
                        pick(&mut rng, newest)
                    };
                    let other = pick(&mut rng, newest);
                    let (one, other) = (versions[one].clone(), versions[other].clone());
                    let mut rng = Rng(1_000 + task);
                    task += 1;
                    readers.spawn(move |_| read(&one, &other, &mut rng));
                }
                match published.recv() {
                    Ok(version) => versions.push(version),
                    Err(mpsc::RecvError) => break,
                }
            }
        });
    });

    assert_eq!(versions.len() as u64, 1 + VERSIONS);
    pool.install(|| {
        versions.par_iter().for_each(|version| {
            version.map.check_invariants().unwrap();
            assert!(version.map.iter().eq(version.model.iter()));
        });
    });
}

/// Any index up to `newest`.
fn pick(rng: &mut Rng, newest: usize) -> usize {
    usize::try_from(rng.below(newest as u64 + 1)).unwrap()
}

/// The writer: makes `VERSIONS` versions, each from an earlier one, and
/// publishes each as it is made.
fn write(base: Version, publish: &mpsc::Sender<Version>) {
    let mut rng = Rng(3);
    let mut made = vec![base];
    for n in 1..=VERSIONS {
        let newest = made.len() - 1;
        let source = match rng.below(4) {
            0 => newest,
            1 => 0,
            _ => pick(&mut rng, newest),
        };
        let next = derive(&made[source], n, &mut rng);
        // The source is as it was, in length at least; the end checks the rest.
        assert_eq!(made[source].map.len(), made[source].model.len());
        publish
            .send(next.clone())
            .expect("the readers listen until the writer hangs up");
        made.push(next);
    }
}

/// A new version from `source`, made one of five ways (by `n`), with the
/// same calls made on a copy of its model. Values written are `n`, so that
/// diffs find changed values as well as added and removed keys.
fn derive(source: &Version, n: u64, rng: &mut Rng) -> Version {
    let mut model = Model::clone(&source.model);
    let mut map = source.map.clone();
    match n % 5 {
        // In place, on a clone.
        0 => {
            for _ in 0..20 {
                let k = rng.below(SPAN);
                if rng.below(3) == 0 {
                    assert_eq!(map.remove(&k), model.remove(&k));
                } else {
                    assert_eq!(map.insert(k, n), model.insert(k, n));
                }
            }
        }
        // Persistently, through versions dropped on the way.
        1 => {
            for _ in 0..20 {
                let k = rng.below(SPAN);
                if rng.below(3) == 0 {
                    map = map.removed(&k);
                    model.remove(&k);
                } else {
                    map = map.inserted(k, n);
                    model.insert(k, n);
                }
            }
        }
        // `retain` dropping a few keys and changing the values of others.
        2 => {
            let start = rng.below(SPAN);
            let window = start..start + 200;
            let mut keep = |k: &u64, v: &mut u64| {
                if window.contains(k) {
                    *v = n;
                    !k.is_multiple_of(3)
                } else {
                    true
                }
            };
            map.retain(&mut keep);
            model.retain(keep);
        }
        // `split_off`, both halves changed, and `append`, which overlap.
        3 => {
            let at = rng.below(SPAN);
            let mut high = map.split_off(&at);
            let mut model_high = model.split_off(&at);
            for _ in 0..10 {
                let k = rng.below(SPAN);
                assert_eq!(high.insert(k, n), model_high.insert(k, n));
                let k = rng.below(SPAN);
                assert_eq!(map.remove(&k), model.remove(&k));
            }
            map.append(&mut high);
            model.append(&mut model_high);
            assert!(high.is_empty());
        }
        // `entry`, `get_mut` and the ends.
        _ => {
            for _ in 0..10 {
                let k = rng.below(SPAN);
                *map.entry(k).or_insert(0) += n;
                *model.entry(k).or_insert(0) += n;
                let k = rng.below(SPAN);
                if let Some(v) = map.get_mut(&k) {
                    *v = n;
                }
                if let Some(v) = model.get_mut(&k) {
                    *v = n;
                }
            }
            assert_eq!(map.pop_first(), model.pop_first());
            assert_eq!(map.pop_last(), model.pop_last());
        }
    }
    Version {
        number: n,
        map,
        model: Arc::new(model),
    }
}

/// One reader task: every read of `version` against its model, and the
/// diff from `version` to `other` against the merge of their models.
fn read(version: &Version, other: &Version, rng: &mut Rng) {
    let (map, model) = (&version.map, &*version.model);
    let number = version.number;

    // Versions of the task's own, made and dropped first: the reads below
    // see none of them.
    let k = rng.below(SPAN);
    let scratch = map.inserted(k, u64::MAX);
    assert_eq!(scratch.get(&k), Some(&u64::MAX));
    let scratch = scratch.removed(&k);
    assert_eq!(
        scratch.len() + usize::from(model.contains_key(&k)),
        model.len()
    );
    drop(scratch);

    assert_eq!(map.len(), model.len(), "version {number}: len");
    let entries: Vec<(&u64, &u64)> = model.iter().collect();
    assert!(
        map.iter().eq(entries.iter().copied()),
        "version {number}: iter"
    );
    assert!(map.iter().rev().eq(entries.iter().rev().copied()));
    for _ in 0..200 {
        let k = rng.below(SPAN);
        assert_eq!(map.get(&k), model.get(&k), "version {number}: get {k}");
        let rank = entries.partition_point(|&(e, _)| *e < k);
        assert_eq!(map.rank(&k), rank, "version {number}: rank {k}");
    }
    for _ in 0..50 {
        let i = usize::try_from(rng.below(entries.len() as u64 + 1)).unwrap();
        let entry = entries.get(i).copied();
        assert_eq!(map.get_index(i), entry, "version {number}: get_index {i}");
        if let Some(&(k, v)) = entries.get(i) {
            assert_eq!(map.get(k), Some(v));
            assert_eq!(map.rank(k), i);
        }
    }
    for _ in 0..10 {
        let bounds = random_bounds(rng);
        assert!(
            map.range(bounds).eq(model.range(bounds)),
            "version {number}: range {bounds:?}"
        );
        assert!(map.range(bounds).rev().eq(model.range(bounds).rev()));
        assert_eq!(map.range(bounds).len(), model.range(bounds).count());
    }

    assert!(
        map.diff(&other.map).eq(merge_diff(model, &other.model)),
        "diff from version {number} to version {}",
        other.number
    );
}

/// A range `range` accepts: keys in order, not both excluded when equal;
/// narrow, medium or wide.
fn random_bounds(rng: &mut Rng) -> (Bound<u64>, Bound<u64>) {
    let width = [16, 256, 2_048][usize::try_from(rng.below(3)).unwrap()];
    let start = rng.below(SPAN);
    let end = start + rng.below(width);
    // Now and then open at one end, a walk to that end of the map.
    let mut bound = |key| match rng.below(20) {
        0 => Bound::Unbounded,
        1..10 => Bound::Included(key),
        _ => Bound::Excluded(key),
    };
    match (bound(start), bound(end)) {
        (Bound::Excluded(s), Bound::Excluded(e)) if s == e => {
            (Bound::Included(s), Bound::Excluded(e))
        }
        bounds => bounds,
    }
}
