//! Rayon tasks read old versions while another thread keeps making new ones
//! from them.
//!
//! A writer thread starts from a 6,000-entry `u32 -> u64` map and makes new
//! versions from earlier ones: in place on a clone, persistently (through
//! `inserted` and `removed`, dropping the versions on the way), and from two
//! earlier versions at once (`union_map`, `par_union_map`, `difference_map`
//! of a `filter`, `intersection_map`, `par_filter`). It publishes each
//! version with its model, the `BTreeMap` made by the same calls, in a list
//! that the readers share.
//!
//! Meanwhile reader tasks on a 4-thread rayon pool pick published versions,
//! the newest and older ones, and check each against its model: `get` of
//! random keys and of stored ones, `get_index`, ranges both ways, full walks,
//! `par_iter().collect()`, a parallel map-reduce that depends on the order
//! of the entries, `par_values().sum()`, `par_keys()` slices, a parallel
//! collect into a new map, and `check_invariants`. For two versions they
//! check `diff` both ways against a merge of the two models, `same_contents`,
//! and one of `par_union_map`, `par_extend`, `par_difference_map` and
//! `par_intersection_map` against the models' union, difference or
//! intersection.
//! Each task also makes and drops a version of its own from the one it reads.
//!
//! A version changed after it was published would no longer equal its model
//! snapshot, so these reads would fail; `checks_catch_a_changed_version`
//! shows that they do. At the end every version still equals its model, and
//! the first keeps its root node.
//!
//! Random choices come from seeded generators; how many versions the writer
//! makes (at most `MAX_VERSIONS`, for about `WRITE_FOR`) and which of them a
//! reader sees depend on timing, but every check compares with a model.

mod common;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::ops::Bound;
use std::sync::atomic::{self, AtomicBool, AtomicUsize};
use std::sync::{Arc, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use persistent_avl::AvlMap;

use common::merge_diff;
use rayon::prelude::*;

type Map = AvlMap<u32, u64>;
/// What a version must hold.
type Model = BTreeMap<u32, u64>;

/// Keys are drawn below this, so about half the random lookups miss.
const SPAN: u32 = 12_000;
/// The entries of the first version.
const BASE_LEN: usize = 6_000;
/// The writer makes at least this many versions, whatever the time...
const MIN_VERSIONS: usize = 30;
/// ...and at most this many.
const MAX_VERSIONS: usize = 200;
/// How long the writer goes on making versions, once it has the minimum.
const WRITE_FOR: Duration = Duration::from_millis(1_200);
/// The writer waits for reads that overlap its writes (about one per
/// reader), but not longer than this: a machine too busy to run them at all.
const GIVE_UP: Duration = Duration::from_secs(20);
/// The threads of the readers' pool.
const POOL_THREADS: usize = 4;
/// The long-lived reader tasks, one per thread of the pool.
const READERS: usize = POOL_THREADS;
/// Each reader reads at least this many times, the last time (after the
/// writer has stopped) the newest version.
const MIN_ROUNDS: usize = 3;
/// A value the writer never writes (its values are below 2^48).
const MARK: u64 = u64::MAX;

// ---------------------------------------------------------------------------
// The random numbers and the versions
// ---------------------------------------------------------------------------

/// SplitMix64: small, seeded, good enough to pick keys and versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (not 0).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// An index below `len` (not 0).
    fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap()
    }

    /// A key below `SPAN`.
    fn key(&mut self) -> u32 {
        u32::try_from(self.below(u64::from(SPAN))).unwrap()
    }
}

/// One published version, with its model beside it. Cloning it clones the
/// map (O(1), a new handle on the same nodes) and shares the model.
#[derive(Clone)]
struct Version {
    /// Its place in the order made: 0 for the first.
    number: usize,
    /// How it was made, for the messages: "v12.union_map(v3)".
    how: Arc<str>,
    /// The version it was made from (itself for the first).
    parent: usize,
    map: Map,
    model: Arc<Model>,
}

impl Version {
    fn name(&self) -> String {
        format!("v{} = {}", self.number, self.how)
    }
}

/// What the writer and the readers share.
struct Shared {
    /// Every version published so far, in the order made.
    versions: RwLock<Vec<Version>>,
    /// Set until the writer stops (or panics).
    writing: AtomicBool,
    /// Set when a reader panics, so that the others and the writer stop.
    failed: AtomicBool,
    /// Reader rounds that began and ended while the writer was writing.
    overlapping_rounds: AtomicUsize,
    /// All reader rounds.
    rounds: AtomicUsize,
}

/// Stores `value` in the flag when dropped: at the end of a scope, by a
/// return or by a panic.
struct SetOnDrop<'a>(&'a AtomicBool, bool);

impl Drop for SetOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(self.1, atomic::Ordering::Release);
    }
}

/// Sets the flag only when dropped by a panic.
struct SetOnPanic<'a>(&'a AtomicBool);

impl Drop for SetOnPanic<'_> {
    fn drop(&mut self) {
        if thread::panicking() {
            self.0.store(true, atomic::Ordering::Release);
        }
    }
}

/// `Err` with the message unless the condition holds.
macro_rules! ensure {
    ($cond:expr, $($message:tt)+) => {
        if !$cond {
            return Err(format!($($message)+));
        }
    };
}

// ---------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------

#[test]
fn rayon_tasks_read_old_versions_while_a_thread_makes_new_ones() {
    let start = Instant::now();
    let base = base_version();
    let base_root = base.map.root_node().map(|node| node.id());
    let shared = Shared {
        versions: RwLock::new(vec![base]),
        writing: AtomicBool::new(true),
        failed: AtomicBool::new(false),
        overlapping_rounds: AtomicUsize::new(0),
        rounds: AtomicUsize::new(0),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(POOL_THREADS)
        .thread_name(|i| format!("reader-{i}"))
        .build()
        .unwrap();

    thread::scope(|scope| {
        let writer = thread::Builder::new()
            .name("writer".into())
            .spawn_scoped(scope, || write(&shared, start))
            .unwrap();
        pool.scope(|tasks| {
            for task in 0..READERS {
                let shared = &shared;
                tasks.spawn(move |_| read_while_written(shared, task));
            }
        });
        if let Err(panic) = writer.join() {
            std::panic::resume_unwind(panic);
        }
    });

    let versions = shared.versions.into_inner().unwrap();
    let rounds = shared.rounds.into_inner();
    let overlapping = shared.overlapping_rounds.into_inner();
    let reading = start.elapsed();
    assert!(versions.len() > MIN_VERSIONS, "{} versions", versions.len());
    assert!(rounds >= READERS * MIN_ROUNDS, "{rounds} reader rounds");
    assert!(
        overlapping > 0,
        "no reader round overlapped the writer in {reading:?}"
    );

    // Every version still equals its model: making a version from others
    // never changed them, while they were read or after.
    pool.install(|| {
        versions.par_iter().for_each(|version| {
            if let Err(message) = check_whole(version) {
                panic!("at the end: {message}");
            }
        });
    });
    assert_eq!(
        versions[0].map.root_node().map(|node| node.id()),
        base_root,
        "the first version's root node was replaced"
    );
    println!(
        "{} versions, {rounds} reader rounds ({overlapping} while the writer wrote), \
         {reading:?} to write and read, {:?} in all",
        versions.len(),
        start.elapsed()
    );
}

/// The checks must be able to fail: a version whose map no longer matches
/// its model (as if it had been changed after it was published), in a value,
/// a key added or a key removed, fails them.
#[test]
fn checks_catch_a_changed_version() {
    let base = base_version();
    let mut rng = Rng(77);
    let other = Version {
        number: 1,
        how: "v0 + 1".into(),
        parent: 0,
        map: base.map.inserted(SPAN + 1, 1),
        model: Arc::new({
            let mut model = Model::clone(&base.model);
            model.insert(SPAN + 1, 1);
            model
        }),
    };
    check_round(&base, &other, &mut rng).unwrap();
    check_round(&other, &base, &mut rng).unwrap();

    let (&stored, _) = base.model.iter().nth(BASE_LEN / 2).unwrap();
    let absent = (0..SPAN).find(|k| !base.model.contains_key(k)).unwrap();
    let tampered: [(&str, Map); 3] = [
        ("a changed value", base.map.inserted(stored, 12_345)),
        ("a key removed", base.map.removed(&stored)),
        ("a key added", base.map.inserted(absent, 0)),
    ];
    for (what, map) in tampered {
        let changed = Version {
            map,
            ..base.clone()
        };
        // On its own, and in a pair (the diff is checked against the model).
        let alone = check_version(&changed, &mut rng);
        assert!(alone.is_err(), "{what}: not caught");
        let parallel = check_parallel(&changed, &mut rng);
        assert!(parallel.is_err(), "{what}: not caught on the pool");
        let whole = check_whole(&changed);
        assert!(whole.is_err(), "{what}: not caught by the walk");
        let paired = check_pair(&other, &changed, &mut rng);
        assert!(paired.is_err(), "{what}: not caught in a pair");
        println!("{what}: {}", alone.unwrap_err());
    }
}

// ---------------------------------------------------------------------------
// The writer
// ---------------------------------------------------------------------------

/// The first version: `BASE_LEN` random keys.
fn base_version() -> Version {
    let mut rng = Rng(1);
    let (mut map, mut model) = (Map::new(), Model::new());
    while model.len() < BASE_LEN {
        let k = rng.key();
        map.insert(k, u64::from(k));
        model.insert(k, u64::from(k));
    }
    Version {
        number: 0,
        how: "base".into(),
        parent: 0,
        map,
        model: Arc::new(model),
    }
}

/// Makes versions from earlier ones and publishes each, until it has made
/// `MAX_VERSIONS` or `WRITE_FOR` has passed (and at least `MIN_VERSIONS`),
/// then waits for the readers to have read while it wrote.
fn write(shared: &Shared, start: Instant) {
    let _stopped = SetOnDrop(&shared.writing, false);
    let mut rng = Rng(2);
    let mut made = vec![shared.versions.read().unwrap()[0].clone()];
    loop {
        if shared.failed.load(atomic::Ordering::Acquire) {
            return;
        }
        let n = made.len();
        if n <= MIN_VERSIONS || (n <= MAX_VERSIONS && start.elapsed() < WRITE_FOR) {
            let next = derive(&made, &mut rng);
            shared.versions.write().unwrap().push(next.clone());
            made.push(next);
            // Let the readers pick it up before the next one.
            thread::yield_now();
        } else if shared.overlapping_rounds.load(atomic::Ordering::Acquire) >= READERS
            || start.elapsed() > GIVE_UP
        {
            return;
        } else {
            thread::sleep(Duration::from_millis(1));
        }
    }
}

/// A new version from one or two of `made`, by one of several ways, with
/// the same changes made to a copy of the model. It writes values that name
/// the version (`n << 32 | key`), so that diffs find changed values.
fn derive(made: &[Version], rng: &mut Rng) -> Version {
    let n = made.len();
    let newest = n - 1;
    let a = match rng.below(8) {
        0..=2 => newest,
        3 => 0,
        _ => rng.index(n),
    };
    let b = rng.index(n);
    let (a, b) = (&made[a], &made[b]);
    let (va, vb) = (a.number, b.number);
    let value = |k: u32| ((n as u64) << 32) | u64::from(k);
    let mut model = Model::clone(&a.model);
    let (map, how): (Map, String) = match rng.below(10) {
        // In place, on a clone.
        0..=2 => {
            let mut map = a.map.clone();
            for _ in 0..30 {
                let k = rng.key();
                match rng.below(6) {
                    0 | 1 => assert_eq!(map.remove(&k), model.remove(&k), "v{n}: remove {k}"),
                    2 => {
                        if let Some(v) = map.get_mut(&k) {
                            *v = value(k);
                        }
                        if let Some(v) = model.get_mut(&k) {
                            *v = value(k);
                        }
                    }
                    _ => assert_eq!(
                        map.insert(k, value(k)),
                        model.insert(k, value(k)),
                        "v{n}: insert {k}"
                    ),
                }
            }
            (map, format!("v{va} edited in place"))
        }
        // Persistently, through versions dropped on the way; each one left
        // behind keeps what it had.
        3..=5 => {
            let mut map = a.map.clone();
            for _ in 0..30 {
                let k = rng.key();
                let remove = rng.below(3) == 0;
                let next = if remove {
                    map.removed(&k)
                } else {
                    map.inserted(k, value(k))
                };
                assert_eq!(
                    map.get(&k),
                    model.get(&k),
                    "v{n}: a step changed its source"
                );
                if remove {
                    model.remove(&k);
                } else {
                    model.insert(k, value(k));
                }
                map = next;
            }
            (map, format!("v{va} inserted/removed"))
        }
        // The union of two versions: `b`'s values where both hold a key.
        6 => {
            for (&k, &v) in b.model.iter() {
                model.insert(k, v);
            }
            if n.is_multiple_of(2) {
                (a.map.union_map(&b.map), format!("v{va}.union_map(v{vb})"))
            } else {
                (
                    a.map.par_union_map(&b.map),
                    format!("v{va}.par_union_map(v{vb})"),
                )
            }
        }
        // The union with `a`'s values where both hold a key, by a difference
        // of two whole versions.
        7 => {
            for (&k, &v) in b.model.iter() {
                model.entry(k).or_insert(v);
            }
            let only_b = b.map.difference_map(&a.map);
            (
                a.map.union_map(&only_b),
                format!("v{va}.union_map(v{vb}.difference_map(v{va}))"),
            )
        }
        // `a` without `b`'s keys in a window.
        8 => {
            let lo = rng.key();
            let hi = lo.saturating_add(u32::try_from(rng.below(600)).unwrap());
            let window = b.map.filter(|k, _| (lo..hi).contains(k));
            for k in b.model.range(lo..hi).map(|(k, _)| k) {
                model.remove(k);
            }
            (
                a.map.difference_map(&window),
                format!("v{va}.difference_map(v{vb}.filter({lo}..{hi}))"),
            )
        }
        // `a` filtered (a third of a window), or its keys that `b` holds.
        _ => {
            if rng.below(2) == 0 {
                let lo = rng.key();
                let hi = lo.saturating_add(900);
                let keep = |k: &u32, _: &u64| !((lo..hi).contains(k) && k.is_multiple_of(3));
                model.retain(|k, v| keep(k, v));
                (
                    a.map.par_filter(keep),
                    format!("v{va}.par_filter({lo}..{hi})"),
                )
            } else {
                model.retain(|k, _| b.model.contains_key(k));
                (
                    a.map.intersection_map(&b.map),
                    format!("v{va}.intersection_map(v{vb})"),
                )
            }
        }
    };
    // The sources are as they were, in length at least; the readers and the
    // end check the rest.
    for source in [a, b] {
        assert_eq!(
            source.map.len(),
            source.model.len(),
            "v{n}: {} changed",
            source.name()
        );
    }
    Version {
        number: n,
        how: how.into(),
        parent: va,
        map,
        model: Arc::new(model),
    }
}

// ---------------------------------------------------------------------------
// The readers
// ---------------------------------------------------------------------------

/// One reader task: rounds of reads of published versions until the writer
/// stops, then one of the newest.
fn read_while_written(shared: &Shared, task: usize) {
    let _failed = SetOnPanic(&shared.failed);
    let mut rng = Rng(1_000 + task as u64);
    let mut round = 0;
    loop {
        let writing = shared.writing.load(atomic::Ordering::Acquire);
        if shared.failed.load(atomic::Ordering::Acquire) {
            return;
        }
        let (a, b) = pick(shared, &mut rng, !writing);
        if let Err(message) = check_round(&a, &b, &mut rng) {
            panic!("reader {task}, round {round}: {message}");
        }
        round += 1;
        shared.rounds.fetch_add(1, atomic::Ordering::AcqRel);
        if writing && shared.writing.load(atomic::Ordering::Acquire) {
            shared
                .overlapping_rounds
                .fetch_add(1, atomic::Ordering::AcqRel);
        }
        if !writing && round >= MIN_ROUNDS {
            return;
        }
    }
}

/// Two published versions: the first the newest (always when `newest`),
/// the first or any; the second its parent, the first, or any.
fn pick(shared: &Shared, rng: &mut Rng, newest: bool) -> (Version, Version) {
    let versions = shared.versions.read().unwrap();
    let last = versions.len() - 1;
    let a = match rng.below(4) {
        _ if newest => last,
        0 => last,
        _ => rng.index(versions.len()),
    };
    let b = match rng.below(4) {
        0 => versions[a].parent,
        1 => 0,
        _ => rng.index(versions.len()),
    };
    // Clones: the lock is not held while reading.
    (versions[a].clone(), versions[b].clone())
}

/// Everything a reader checks of `a`, and of `a` with `b`.
fn check_round(a: &Version, b: &Version, rng: &mut Rng) -> Result<(), String> {
    check_version(a, rng)?;
    check_parallel(a, rng)?;
    check_pair(a, b, rng)?;
    a.map
        .check_invariants()
        .map_err(|violation| format!("{}: {violation}", a.name()))
}

/// Sequential reads: lookups, positions, ranges, walks; and a version of
/// the task's own, made from this one and dropped.
fn check_version(version: &Version, rng: &mut Rng) -> Result<(), String> {
    let (map, model, name) = (&version.map, &*version.model, version.name());

    let k = rng.key();
    let scratch = map.inserted(k, MARK).removed(&rng.key());
    ensure!(
        scratch.len() <= model.len() + 1,
        "{name}: a version of it has {} entries",
        scratch.len()
    );
    drop(scratch);
    ensure!(
        map.get(&k) == model.get(&k),
        "{name}: a version made from it changed its key {k}: {:?}, model {:?}",
        map.get(&k),
        model.get(&k)
    );

    ensure!(
        map.len() == model.len(),
        "{name}: len {}, model {}",
        map.len(),
        model.len()
    );
    for _ in 0..100 {
        let k = rng.key();
        ensure!(
            map.get(&k) == model.get(&k),
            "{name}: get {k}: {:?}, model {:?}",
            map.get(&k),
            model.get(&k)
        );
    }
    let entries: Vec<(&u32, &u64)> = model.iter().collect();
    if !entries.is_empty() {
        for _ in 0..50 {
            let i = rng.index(entries.len());
            let (k, v) = entries[i];
            ensure!(
                map.get(k) == Some(v),
                "{name}: get {k}: {:?}, model {v}",
                map.get(k)
            );
            ensure!(
                map.get_index(i) == Some((k, v)),
                "{name}: get_index {i}: {:?}, model {:?}",
                map.get_index(i),
                (k, v)
            );
        }
    }
    ensure!(
        map.first_key_value() == model.first_key_value()
            && map.last_key_value() == model.last_key_value(),
        "{name}: first {:?} and last {:?}, model {:?} and {:?}",
        map.first_key_value(),
        map.last_key_value(),
        model.first_key_value(),
        model.last_key_value()
    );
    for _ in 0..10 {
        let bounds = random_bounds(rng);
        same(
            &format!("{name}: range {bounds:?}"),
            map.range(bounds),
            model.range(bounds),
        )?;
        same(
            &format!("{name}: range {bounds:?} backwards"),
            map.range(bounds).rev(),
            model.range(bounds).rev(),
        )?;
        let (len, want) = (map.range(bounds).len(), model.range(bounds).count());
        ensure!(
            len == want,
            "{name}: range {bounds:?} len {len}, model {want}"
        );
    }
    same(
        &format!("{name}: iter"),
        map.iter(),
        entries.iter().copied(),
    )?;
    same(
        &format!("{name}: iter backwards"),
        map.iter().rev(),
        entries.iter().rev().copied(),
    )
}

/// Reads on the pool: parallel iterators, reductions and collects.
fn check_parallel(version: &Version, rng: &mut Rng) -> Result<(), String> {
    let (map, model, name) = (&version.map, &*version.model, version.name());
    let entries: Vec<(&u32, &u64)> = model.iter().collect();

    let len = map.par_iter().len();
    ensure!(len == entries.len(), "{name}: par_iter len {len}");
    let collected: Vec<(&u32, &u64)> = map.par_iter().collect();
    same(
        &format!("{name}: par_iter().collect()"),
        collected,
        entries.iter().copied(),
    )?;
    let backwards: Vec<(&u32, &u64)> = map.par_iter().rev().collect();
    same(
        &format!("{name}: par_iter().rev().collect()"),
        backwards,
        entries.iter().rev().copied(),
    )?;
    // Each entry where its position says, checked on the pool.
    let misplaced = map
        .par_iter()
        .enumerate()
        .find_first(|&(i, entry)| entries.get(i) != Some(&entry));
    ensure!(
        misplaced.is_none(),
        "{name}: par_iter().enumerate() gives {misplaced:?}, model {:?}",
        misplaced.and_then(|(i, _)| entries.get(i))
    );

    // Map-reduce: a sum, and a digest that changes with the order.
    let sum: u64 = map.par_values().sum();
    let want: u64 = model.values().sum();
    ensure!(
        sum == want,
        "{name}: par_values().sum() {sum}, model {want}"
    );
    let key_sum: u64 = map.par_keys().map(|&k| u64::from(k)).sum();
    let want: u64 = model.keys().map(|&k| u64::from(k)).sum();
    ensure!(
        key_sum == want,
        "{name}: par_keys() sum {key_sum}, model {want}"
    );
    let digest = map
        .par_iter()
        .map(|(&k, &v)| Digest::of(k, v))
        .reduce(|| Digest::EMPTY, Digest::then);
    let want = model
        .iter()
        .map(|(&k, &v)| Digest::of(k, v))
        .fold(Digest::EMPTY, Digest::then);
    ensure!(
        digest == want,
        "{name}: par_iter() map-reduce {digest:?}, model {want:?}"
    );
    let thirds = map.par_keys().filter(|&&k| k.is_multiple_of(3)).count();
    let want = model.keys().filter(|&&k| k.is_multiple_of(3)).count();
    ensure!(
        thirds == want,
        "{name}: par_keys().filter().count() {thirds}, model {want}"
    );
    ensure!(
        map.par_keys().min() == model.keys().next() && map.par_keys().max() == model.keys().last(),
        "{name}: par_keys() min {:?} and max {:?}",
        map.par_keys().min(),
        map.par_keys().max()
    );

    // A slice by position, split by rayon at other positions.
    let skip = rng.index(entries.len() + 1);
    let take = rng.index(entries.len() + 1);
    let slice: Vec<&u32> = map.par_keys().skip(skip).take(take).collect();
    same(
        &format!("{name}: par_keys().skip({skip}).take({take})"),
        slice,
        model.keys().skip(skip).take(take),
    )?;

    // A new map, collected on the pool.
    let copy: Map = map.par_iter().map(|(&k, &v)| (k, v)).collect();
    copy.check_invariants()
        .map_err(|violation| format!("{name}: collected copy: {violation}"))?;
    same(
        &format!("{name}: collected copy"),
        copy.iter(),
        entries.iter().copied(),
    )
}

/// Two versions: the diff both ways against a merge of their models, and
/// one of the parallel set operations against the models'.
fn check_pair(a: &Version, b: &Version, rng: &mut Rng) -> Result<(), String> {
    let (an, bn) = (a.name(), b.name());
    same(
        &format!("diff from {an} to {bn}"),
        a.map.diff(&b.map),
        merge_diff(&a.model, &b.model),
    )?;
    same(
        &format!("diff from {bn} to {an}"),
        b.map.diff(&a.map),
        merge_diff(&b.model, &a.model),
    )?;
    let equal = a.map.same_contents(&b.map);
    ensure!(
        equal == (a.model == b.model),
        "same_contents of {an} and {bn}: {equal}"
    );

    // One of the parallel set operations, against the models'.
    let mut model = Model::clone(&a.model);
    let (what, made) = match rng.below(4) {
        0 => {
            model.extend(b.model.iter().map(|(&k, &v)| (k, v)));
            ("par_union_map", a.map.par_union_map(&b.map))
        }
        1 => {
            model.extend(b.model.iter().map(|(&k, &v)| (k, v)));
            let mut extended = a.map.clone();
            extended.par_extend(b.map.par_iter().map(|(&k, &v)| (k, v)));
            ("par_extend", extended)
        }
        2 => {
            model.retain(|k, _| !b.model.contains_key(k));
            ("par_difference_map", a.map.par_difference_map(&b.map))
        }
        _ => {
            model.retain(|k, _| b.model.contains_key(k));
            ("par_intersection_map", a.map.par_intersection_map(&b.map))
        }
    };
    check_made(&format!("{an} {what} {bn}"), &made, &model)?;
    for source in [a, b] {
        ensure!(
            source.map.len() == source.model.len(),
            "{}: changed by a set operation: len {}, model {}",
            source.name(),
            source.map.len(),
            source.model.len()
        );
    }
    Ok(())
}

/// A map made from versions: balanced, and the model's entries.
fn check_made(what: &str, made: &Map, model: &Model) -> Result<(), String> {
    made.check_invariants()
        .map_err(|violation| format!("{what}: {violation}"))?;
    ensure!(
        made.len() == model.len(),
        "{what}: len {}, model {}",
        made.len(),
        model.len()
    );
    same(what, made.iter(), model.iter())
}

/// The end's check of a version: balanced, and its model's entries.
fn check_whole(version: &Version) -> Result<(), String> {
    check_made(&version.name(), &version.map, &version.model)
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// `Ok` if the two sequences are equal, else where they first differ.
fn same<T: PartialEq + Debug>(
    what: &str,
    got: impl IntoIterator<Item = T>,
    want: impl IntoIterator<Item = T>,
) -> Result<(), String> {
    let (mut got, mut want) = (got.into_iter(), want.into_iter());
    for i in 0.. {
        match (got.next(), want.next()) {
            (None, None) => return Ok(()),
            (g, w) if g == w => {}
            (g, w) => {
                return Err(format!("{what}: item {i} is {g:?}, the model's is {w:?}"));
            }
        }
    }
    unreachable!()
}

/// An order-dependent digest of a run of entries: `hash` of the run as a
/// polynomial in `BASE`, and `BASE` to the run's length. Joining runs with
/// `then` is associative but not commutative, so rayon's reduce gives the
/// sequential fold's digest only if every entry comes in its place.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Digest {
    hash: u64,
    scale: u64,
}

impl Digest {
    const BASE: u64 = 0x0000_0100_0000_01B3;
    const EMPTY: Digest = Digest { hash: 0, scale: 1 };

    fn of(k: u32, v: u64) -> Digest {
        let mut rng = Rng(u64::from(k) ^ v.rotate_left(29));
        Digest {
            hash: rng.next(),
            scale: Self::BASE,
        }
    }

    fn then(self, next: Digest) -> Digest {
        Digest {
            hash: self.hash.wrapping_mul(next.scale).wrapping_add(next.hash),
            scale: self.scale.wrapping_mul(next.scale),
        }
    }
}

/// A range `range` accepts: keys in order, not both excluded when equal;
/// narrow, medium or wide, now and then open at one end.
fn random_bounds(rng: &mut Rng) -> (Bound<u32>, Bound<u32>) {
    let width = [8, 200, 3_000][rng.index(3)];
    let start = rng.key();
    let end = start + u32::try_from(rng.below(width)).unwrap();
    let mut bound = |key| match rng.below(16) {
        0 => Bound::Unbounded,
        1..8 => Bound::Included(key),
        _ => Bound::Excluded(key),
    };
    match (bound(start), bound(end)) {
        (Bound::Excluded(s), Bound::Excluded(e)) if s == e => {
            (Bound::Included(s), Bound::Excluded(e))
        }
        bounds => bounds,
    }
}
