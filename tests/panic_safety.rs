//! Panic safety: user code that panics mid-update never corrupts a version.
//!
//! The crate promises (lib docs, "Panics"): if `Ord` or `Clone` panics during
//! an update, the map is left as it was before the call, and every other
//! version is untouched. Path copying makes this subtle: an update copies
//! shared nodes as it goes (calling `Clone`) and compares keys (calling
//! `Ord`), and a panic between two of those steps must not leave a half-done
//! change behind, nor a change in a node another version still uses.
//!
//! The method: keys and values whose `Ord` or `Clone` (or a user closure)
//! panics on the k-th call, swept over k = 0, 1, 2, ... until the operation
//! completes. After each panic the map operated on must be valid
//! (`check_invariants`) and hold the same entries as before; every other
//! version (a clone kept beforehand, an older version) must be unchanged;
//! and every key and value must have been dropped exactly once by the end
//! (a live-instance count catches leaks and double drops).
//!
//! Each operation runs on a map that is unshared (nothing is copied), fully
//! shared with a kept clone (everything on the path is copied) and partly
//! shared with an older version.
//!
//! Last, "ord chaos" (after std's test of the same name): with an `Ord` that
//! answers at random, the order means nothing, but no operation may panic
//! (beyond the documented ones), hang, or break the tree's shape.

use persistent_avl::GenericAvlMap;
use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::Once;
use std::sync::mpsc;
use std::time::Duration;

use persistent_avl::{ArcKind, AvlSet, NodeRef, PointerKind, RcKind};

/// The layouts the properties run on: the default blocks (behind `Arc`),
/// blocks of two entries behind `Rc` (so that maps of a few dozen entries
/// split and merge blocks all the time), and the classic tree of one entry
/// per node.
type Classic = persistent_avl::Classic<ArcKind>;
type SmallRc = persistent_avl::BlockSize<RcKind, 2>;

// ---------------------------------------------------------------------------
// Fuses: panic on the k-th call.

/// The payload of every planned panic, so the hook can silence exactly these.
struct Boom;

thread_local! {
    static ORD_FUSE: Cell<Option<usize>> = const { Cell::new(None) };
    static CLONE_FUSE: Cell<Option<usize>> = const { Cell::new(None) };
    static CLOSURE_FUSE: Cell<Option<usize>> = const { Cell::new(None) };
    /// Keys and values alive on this thread (each test has its own thread).
    static LIVE: Cell<isize> = const { Cell::new(0) };
    /// The keys an `extract_if` of the running operation has yielded.
    static YIELDED: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// Records an entry an `extract_if` yielded, and drops it.
fn yielded((key, _): (Key, Val)) {
    YIELDED.with(|y| y.borrow_mut().push(key.0));
}

/// Counts one call against `fuse`; panics (and disarms) when it runs out.
fn tick(fuse: &'static std::thread::LocalKey<Cell<Option<usize>>>) {
    fuse.with(|f| match f.get() {
        None => {}
        Some(0) => {
            f.set(None);
            std::panic::panic_any(Boom);
        }
        Some(n) => f.set(Some(n - 1)),
    });
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bomb {
    /// `Key::cmp` (and `eq`, `partial_cmp`) panics.
    Ord,
    /// `Key::clone` or `Val::clone` panics.
    Clone,
    /// A closure the test passes to the map panics.
    Closure,
}

fn fuse(bomb: Bomb) -> &'static std::thread::LocalKey<Cell<Option<usize>>> {
    match bomb {
        Bomb::Ord => &ORD_FUSE,
        Bomb::Clone => &CLONE_FUSE,
        Bomb::Closure => &CLOSURE_FUSE,
    }
}

fn disarm() {
    for bomb in [Bomb::Ord, Bomb::Clone, Bomb::Closure] {
        fuse(bomb).with(|f| f.set(None));
    }
}

fn live() -> isize {
    LIVE.with(Cell::get)
}

fn born() {
    LIVE.with(|l| l.set(l.get() + 1));
}

/// Silences the planned panics (and only those: a failing assertion still
/// prints). Installed once per process.
fn quiet() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let text = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("");
            let documented = text.starts_with("range start")
                || text.contains("does not correctly implement a total order");
            if !payload.is::<Boom>() && !documented {
                default(info);
            }
        }));
    });
}

/// A key: `Ord` and `Clone` go through their fuses; instances are counted.
#[derive(Debug)]
struct Key(u32);

impl Key {
    fn new(k: u32) -> Self {
        born();
        Key(k)
    }
}

impl Clone for Key {
    fn clone(&self) -> Self {
        tick(&CLONE_FUSE);
        Key::new(self.0)
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        LIVE.with(|l| l.set(l.get() - 1));
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        tick(&ORD_FUSE);
        self.0.cmp(&other.0)
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Key {}

/// A value: `Clone` goes through its fuse; instances are counted.
#[derive(Debug)]
struct Val(u32);

impl Val {
    fn new(v: u32) -> Self {
        born();
        Val(v)
    }
}

impl Clone for Val {
    fn clone(&self) -> Self {
        tick(&CLONE_FUSE);
        Val::new(self.0)
    }
}

impl Drop for Val {
    fn drop(&mut self) {
        LIVE.with(|l| l.set(l.get() - 1));
    }
}

type M<P> = GenericAvlMap<Key, Val, P>;

/// The entries as plain numbers: reading them calls neither `Ord` nor `Clone`.
fn entries<P: PointerKind>(map: &M<P>) -> Vec<(u32, u32)> {
    map.iter().map(|(k, v)| (k.0, v.0)).collect()
}

// ---------------------------------------------------------------------------
// Scenes: the map operated on, an argument map, and the versions to guard.

#[derive(Clone, Copy, Debug)]
enum Sharing {
    /// Nothing else points into the maps: updates copy nothing.
    Unshared,
    /// A clone of each map is kept, plus an older version: every node an
    /// update changes must be copied.
    Shared,
    /// The maps are newer versions of kept older ones, after a few updates:
    /// some paths are already unique, others still shared.
    Derived,
}

const SHARINGS: [Sharing; 3] = [Sharing::Unshared, Sharing::Shared, Sharing::Derived];

struct Scene<P: PointerKind> {
    target: M<P>,
    other: M<P>,
    versions: Vec<M<P>>,
}

/// The target's keys, 0, 3, ..., 117, in a fixed scrambled order so the
/// tree has an irregular shape.
fn target_keys() -> Vec<u32> {
    (0..40).map(|i| (i * 17 % 40) * 3).collect()
}

/// The argument's keys: some between the target's, some equal to them.
fn other_keys() -> Vec<u32> {
    (10..25)
        .map(|i| 3 * i + 1)
        .chain((20..30).map(|i| 3 * i))
        .rev()
        .collect()
}

/// A map built by inserts, with values telling maps apart (`tag`).
fn build<P: PointerKind>(keys: &[u32], tag: u32) -> M<P> {
    let mut map = M::<P>::empty();
    for &k in keys {
        map.insert(Key::new(k), Val::new(k * 10 + tag));
    }
    map
}

impl<P: PointerKind> Scene<P> {
    fn new(sharing: Sharing) -> Self {
        let target = build::<P>(&target_keys(), 0);
        let other = build::<P>(&other_keys(), 1);
        match sharing {
            Sharing::Unshared => Scene {
                target,
                other,
                versions: Vec::new(),
            },
            Sharing::Shared => {
                let older = target
                    .removed(&Key::new(9))
                    .inserted(Key::new(1000), Val::new(0));
                Scene {
                    versions: vec![target.clone(), other.clone(), older],
                    target,
                    other,
                }
            }
            Sharing::Derived => {
                let mut new_target = target.clone();
                new_target.insert(Key::new(4), Val::new(4));
                new_target.insert(Key::new(200), Val::new(200));
                new_target.remove(&Key::new(30));
                new_target.remove(&Key::new(60));
                let mut new_other = other.clone();
                new_other.insert(Key::new(2), Val::new(2));
                new_other.remove(&Key::new(70));
                Scene {
                    target: new_target,
                    other: new_other,
                    versions: vec![target, other],
                }
            }
        }
    }
}

/// What must hold of the target (and the argument map) after a panic.
enum Expect {
    /// Exactly the entries it had.
    Unchanged,
    /// The entries it had plus, inserted in order, a prefix of these (each
    /// single insert is all-or-nothing, as `extend` is a loop of inserts).
    ExtendPrefix(Vec<(u32, u32)>),
    /// The same keys (values may have been changed by the user's closure).
    SameKeys,
    /// Exactly the entries it had but those an `extract_if` yielded
    /// (`YIELDED`), whether the operation panicked or not.
    AllButYielded,
    /// As `AllButYielded`, for the keys: the closure may have changed the
    /// values it saw.
    KeysButYielded,
}

/// Runs an operation; returns the new versions it made, checked once the
/// fuses are disarmed.
type Run<P> = Box<dyn Fn(&mut Scene<P>) -> Vec<M<P>>>;

struct Op<P: PointerKind> {
    name: String,
    run: Run<P>,
    expect: Expect,
    /// Whether the target may change when the operation succeeds.
    mutates: bool,
}

fn op<P: PointerKind>(
    name: impl Into<String>,
    expect: Expect,
    mutates: bool,
    run: impl Fn(&mut Scene<P>) -> Vec<M<P>> + 'static,
) -> Op<P> {
    Op {
        name: name.into(),
        run: Box::new(run),
        expect,
        mutates,
    }
}

fn k(k: u32) -> Key {
    Key::new(k)
}

fn v(v: u32) -> Val {
    Val::new(v)
}

/// Every mutating operation, with keys present, absent and at the ends.
fn operations<P: PointerKind>() -> Vec<Op<P>> {
    use Expect::{AllButYielded, ExtendPrefix, KeysButYielded, SameKeys, Unchanged};
    let mut ops: Vec<Op<P>> = Vec::new();
    for key in [0, 1, 58, 61, 117, 118, 200] {
        ops.push(op(format!("insert {key}"), Unchanged, true, move |s| {
            s.target.insert(k(key), v(7));
            vec![]
        }));
        ops.push(op(format!("inserted {key}"), Unchanged, false, move |s| {
            vec![s.target.inserted(k(key), v(7))]
        }));
        ops.push(op(format!("entry {key}"), Unchanged, true, move |s| {
            *s.target.entry(k(key)).or_insert(v(7)) = Val::new(8);
            vec![]
        }));
        ops.push(op(format!("get_mut {key}"), Unchanged, true, move |s| {
            if let Some(val) = s.target.get_mut(&Key::new(key)) {
                val.0 += 1;
            }
            vec![]
        }));
        ops.push(op(format!("split_off {key}"), Unchanged, true, move |s| {
            vec![s.target.split_off(&Key::new(key))]
        }));
    }
    // Every key of the target and a few absent ones: removals from every
    // position, which between them take every kind of rotation.
    for key in (0..=120).filter(|x| x % 3 == 0).chain([1, 4, 200]) {
        ops.push(op(format!("remove {key}"), Unchanged, true, move |s| {
            s.target.remove(&Key::new(key));
            vec![]
        }));
        ops.push(op(format!("removed {key}"), Unchanged, false, move |s| {
            vec![s.target.removed(&Key::new(key))]
        }));
    }
    ops.push(op("pop_first", Unchanged, true, |s| {
        s.target.pop_first();
        vec![]
    }));
    ops.push(op("pop_last", Unchanged, true, |s| {
        s.target.pop_last();
        vec![]
    }));
    ops.push(op("append", Unchanged, true, |s| {
        s.target.append(&mut s.other);
        vec![]
    }));
    ops.push(op("append into", Unchanged, true, |s| {
        s.other.append(&mut s.target);
        vec![]
    }));
    ops.push(op("retain", Unchanged, true, |s| {
        s.target.retain(|key, _| key.0 % 2 == 0);
        vec![]
    }));
    ops.push(op("retain few", Unchanged, true, |s| {
        s.target.retain(|key, _| key.0 != 30);
        vec![]
    }));
    ops.push(op("iter_mut partial", Unchanged, true, |s| {
        for (_, val) in s.target.iter_mut().take(25) {
            assert!(val.0 < 10_000);
        }
        vec![]
    }));
    ops.push(op("iter_mut from the back", Unchanged, true, |s| {
        for (_, val) in s.target.iter_mut().rev().take(25) {
            assert!(val.0 < 10_000);
        }
        vec![]
    }));
    ops.push(op("into_iter partial", Unchanged, false, |s| {
        let mut it = s.target.clone().into_iter();
        let _ = it.nth(3);
        let _ = it.next_back();
        vec![]
    }));
    let items: Vec<(u32, u32)> = vec![(5, 1), (200, 2), (3, 3), (31, 4), (7, 5), (31, 6)];
    let extend_items = items.clone();
    ops.push(op("extend", ExtendPrefix(items.clone()), true, move |s| {
        s.target
            .extend(extend_items.iter().map(|&(key, val)| (k(key), v(val))));
        vec![]
    }));
    let collect_items = items.clone();
    ops.push(op("collect", Unchanged, false, move |s| {
        let map: M<P> = s
            .target
            .iter()
            .map(|(key, val)| (key.clone(), val.clone()))
            .chain(collect_items.iter().map(|&(key, val)| (k(key), v(val))))
            .collect();
        vec![map]
    }));
    ops.push(op("from_sorted_iter", Unchanged, false, |s| {
        let map =
            M::<P>::from_sorted_iter(s.target.iter().map(|(key, val)| (key.clone(), val.clone())))
                .expect("sorted");
        vec![map]
    }));
    // `extract_if`, `range_mut` and the entries at the ends and of
    // `insert_entry`: a `Clone` may panic on each path they copy, an `Ord`
    // in the search for the range's ends.
    ops.push(op(
        "extract_if evens of 20..=90",
        AllButYielded,
        true,
        |s| {
            s.target
                .extract_if(k(20)..=k(90), |key, _| key.0 % 2 == 0)
                .for_each(yielded);
            vec![]
        },
    ));
    ops.push(op("extract_if 3 of 10..", AllButYielded, true, |s| {
        s.target
            .extract_if(k(10).., |key, _| key.0 % 9 != 0)
            .take(3)
            .for_each(yielded);
        vec![]
    }));
    ops.push(op("extract_if all of ..=60", AllButYielded, true, |s| {
        s.target.extract_if(..=k(60), |_, _| true).for_each(yielded);
        vec![]
    }));
    ops.push(op("range_mut 20..90", Unchanged, true, |s| {
        for (_, val) in s.target.range_mut(k(20)..k(90)) {
            assert!(val.0 < 10_000);
        }
        vec![]
    }));
    ops.push(op("range_mut from the back", Unchanged, true, |s| {
        for (_, val) in s.target.range_mut(k(7)..).rev().take(20) {
            assert!(val.0 < 10_000);
        }
        vec![]
    }));
    ops.push(op("range_mut, adding", SameKeys, true, |s| {
        for (_, val) in s.target.range_mut(..=k(50)) {
            val.0 += 1;
        }
        vec![]
    }));
    ops.push(op("first_entry get_mut", Unchanged, true, |s| {
        if let Some(mut first) = s.target.first_entry() {
            first.get_mut().0 += 1;
        }
        vec![]
    }));
    ops.push(op("last_entry remove", Unchanged, true, |s| {
        if let Some(last) = s.target.last_entry() {
            drop(last.remove_entry());
        }
        vec![]
    }));
    for key in [0, 61, 200] {
        ops.push(op(
            format!("insert_entry {key}"),
            Unchanged,
            true,
            move |s| {
                s.target.entry(k(key)).insert_entry(v(7)).get_mut().0 += 1;
                vec![]
            },
        ));
    }
    // User closures that panic.
    ops.push(op("extract_if, closure panics", AllButYielded, true, |s| {
        s.target
            .extract_if(k(10)..k(100), |key, _| {
                tick(&CLOSURE_FUSE);
                key.0 % 2 == 1
            })
            .for_each(yielded);
        vec![]
    }));
    ops.push(op(
        "extract_if changing values, closure panics",
        KeysButYielded,
        true,
        |s| {
            s.target
                .extract_if(k(10)..k(100), |key, val| {
                    val.0 += 1;
                    tick(&CLOSURE_FUSE);
                    key.0 % 4 == 0
                })
                .for_each(yielded);
            vec![]
        },
    ));
    ops.push(op("retain, closure panics", SameKeys, true, |s| {
        s.target.retain(|key, val| {
            tick(&CLOSURE_FUSE);
            val.0 += 1;
            key.0 % 2 == 0
        });
        vec![]
    }));
    ops.push(op("or_insert_with, closure panics", Unchanged, true, |s| {
        s.target.entry(k(61)).or_insert_with(|| {
            tick(&CLOSURE_FUSE);
            v(1)
        });
        vec![]
    }));
    let panicking_items = items;
    ops.push(op(
        "extend, iterator panics",
        ExtendPrefix(panicking_items.clone()),
        true,
        move |s| {
            s.target.extend(panicking_items.iter().map(|&(key, val)| {
                tick(&CLOSURE_FUSE);
                (k(key), v(val))
            }));
            vec![]
        },
    ));
    ops.push(op("collect, iterator panics", Unchanged, false, |_| {
        let map: M<P> = (0..50)
            .map(|i| {
                tick(&CLOSURE_FUSE);
                (k(i), v(i))
            })
            .collect();
        vec![map]
    }));
    ops
}

/// Checks what must hold of `after` given what the map held `before`.
fn check_expect(expect: &Expect, before: &[(u32, u32)], after: &[(u32, u32)], what: &str) {
    let keys = |e: &[(u32, u32)]| e.iter().map(|p| p.0).collect::<Vec<_>>();
    match expect {
        Expect::Unchanged => assert_eq!(after, before, "{what}: changed by a panic"),
        Expect::SameKeys => {
            assert_eq!(keys(after), keys(before), "{what}: keys changed by a panic");
        }
        Expect::AllButYielded | Expect::KeysButYielded => {
            let gone = YIELDED.with(|y| y.borrow().clone());
            let left: Vec<(u32, u32)> = before
                .iter()
                .copied()
                .filter(|(key, _)| !gone.contains(key))
                .collect();
            assert_eq!(
                before.len() - left.len(),
                gone.len(),
                "{what}: yielded a key twice, or one it did not hold"
            );
            if matches!(expect, Expect::AllButYielded) {
                assert_eq!(after, left, "{what}: not the entries left unyielded");
            } else {
                assert_eq!(
                    keys(after),
                    keys(&left),
                    "{what}: not the keys left unyielded"
                );
            }
        }
        Expect::ExtendPrefix(items) => {
            let mut expected: std::collections::BTreeMap<u32, u32> =
                before.iter().copied().collect();
            let mut ok = expected
                .iter()
                .map(|(&a, &b)| (a, b))
                .eq(after.iter().copied());
            for &(key, val) in items {
                expected.insert(key, val);
                ok |= expected
                    .iter()
                    .map(|(&a, &b)| (a, b))
                    .eq(after.iter().copied());
            }
            assert!(
                ok,
                "{what}: not the entries before plus a prefix of the items"
            );
        }
    }
}

/// Sweeps the fuse of `bomb` over k = 0, 1, ... until `op` completes.
/// Returns how many runs panicked.
fn sweep<P: PointerKind>(op: &Op<P>, bomb: Bomb, sharing: Sharing) -> usize {
    for k in 0..100_000 {
        let what = format!("{} ({bomb:?} fuse {k}, {sharing:?})", op.name);
        let live_before = live();
        let finished;
        {
            let mut scene = Scene::<P>::new(sharing);
            let target_before = entries(&scene.target);
            let other_before = entries(&scene.other);
            let versions_before: Vec<_> = scene.versions.iter().map(entries).collect();

            YIELDED.with(|y| y.borrow_mut().clear());
            fuse(bomb).with(|f| f.set(Some(k)));
            let result = catch_unwind(AssertUnwindSafe(|| (op.run)(&mut scene)));
            disarm();

            for map in [&scene.target, &scene.other]
                .into_iter()
                .chain(&scene.versions)
            {
                if let Err(e) = map.check_invariants() {
                    panic!("{what}: a map was left invalid: {e}");
                }
            }
            for (version, before) in scene.versions.iter().zip(&versions_before) {
                assert_eq!(&entries(version), before, "{what}: another version changed");
            }
            match result {
                Ok(products) => {
                    for product in &products {
                        product.check_invariants().unwrap();
                    }
                    if !op.mutates {
                        assert_eq!(entries(&scene.target), target_before, "{what}");
                    }
                    if matches!(op.expect, Expect::AllButYielded | Expect::KeysButYielded) {
                        check_expect(&op.expect, &target_before, &entries(&scene.target), &what);
                    }
                    finished = true;
                }
                Err(payload) => {
                    if !payload.is::<Boom>() {
                        // A real failure inside the library: report it.
                        resume_unwind(payload);
                    }
                    check_expect(&op.expect, &target_before, &entries(&scene.target), &what);
                    // The argument map is only ever changed by a complete
                    // append.
                    assert_eq!(
                        entries(&scene.other),
                        other_before,
                        "{what}: argument changed"
                    );
                    finished = false;
                }
            }
        }
        assert_eq!(
            live(),
            live_before,
            "{what}: a key or value leaked or was dropped twice"
        );
        if finished {
            return k;
        }
    }
    panic!("{}: never completed", op.name);
}

/// Sweeps every operation `filter` selects, under each of `bombs` and each
/// sharing. Returns the names of the operations whose fuse never fired, in
/// no scene: those that call no user code at all. The tests compare that
/// list with what they expect, so a sweep cannot pass vacuously.
fn sweep_all<P: PointerKind>(bombs: &[Bomb], filter: impl Fn(&str) -> bool) -> Vec<String> {
    quiet();
    let live_at_start = live();
    let mut never_fired = Vec::new();
    for op in operations::<P>().iter().filter(|o| filter(&o.name)) {
        let mut panics = 0;
        for &bomb in bombs {
            for sharing in SHARINGS {
                panics += sweep(op, bomb, sharing);
            }
        }
        if panics == 0 {
            never_fired.push(op.name.clone());
        }
    }
    assert_eq!(live(), live_at_start);
    never_fired
}

fn is_closure_op(name: &str) -> bool {
    name.contains("panics")
}

/// Operations that compare no keys: positional, or walking the tree.
fn calls_no_ord(name: &str) -> bool {
    name.starts_with("pop")
        || name.contains("iter")
        || name.starts_with("retain")
        || name.starts_with("first_entry")
        || name.starts_with("last_entry")
}

#[test]
fn ord_panics_leave_every_version_as_it_was() {
    let never = sweep_all::<ArcKind>(&[Bomb::Ord], |name| {
        !is_closure_op(name) && !calls_no_ord(name)
    });
    // Every key-based operation compares keys (the trees are never empty).
    assert_eq!(never, Vec::<String>::new());
}

#[test]
fn clone_panics_leave_every_version_as_it_was() {
    let with_blocks = sweep_all::<ArcKind>(&[Bomb::Clone], |name| !is_closure_op(name));
    let never = sweep_all::<Classic>(&[Bomb::Clone], |name| !is_closure_op(name));
    // Without blocks, only these clone nothing, in any scene: a split before
    // the first key moves no node; `get_mut` and removal of a key absent
    // from every scene copy nothing; and in-place removal of 4 and 200,
    // which exist only in the derived scene, whose own inserts already made
    // their paths unique.
    let absent_or_unique = [
        "split_off 0",
        "get_mut 1",
        "get_mut 58",
        "get_mut 61",
        "get_mut 118",
        "get_mut 200",
        "remove 120",
        "removed 120",
        "remove 1",
        "removed 1",
    ];
    assert_eq!(
        never[..],
        [&absent_or_unique[..], &["remove 4", "remove 200"]].concat()
    );
    // With blocks, removing 4 or 200 in place makes a new block of clones
    // of the entries that stay: a shared block gives up nothing by value.
    assert_eq!(with_blocks, absent_or_unique);
}

#[test]
fn ord_and_clone_panics_behind_rc() {
    let never = sweep_all::<SmallRc>(&[Bomb::Ord, Bomb::Clone], |name| !is_closure_op(name));
    assert_eq!(never, Vec::<String>::new());
}

#[test]
fn closure_panics_leave_the_map_valid() {
    assert_eq!(
        sweep_all::<ArcKind>(&[Bomb::Closure], is_closure_op),
        Vec::<String>::new()
    );
    assert_eq!(
        sweep_all::<SmallRc>(&[Bomb::Closure], is_closure_op),
        Vec::<String>::new()
    );
}

/// After its predicate panics, std's `extract_if` ends: the entry it was
/// looking at stays, unyielded, and so does every entry after it, however
/// the caught iterator is driven on.
#[test]
fn an_extract_if_whose_predicate_panicked_ends_as_std() {
    quiet();
    type Taken = (Vec<(u32, u32)>, Vec<(u32, u32)>);
    // Takes items until the predicate panics (the first time it sees 4),
    // then as many again as the iterator gives.
    fn drive(iter: &mut dyn Iterator<Item = (u32, u32)>) -> Taken {
        let mut before = Vec::new();
        let panicked = catch_unwind(AssertUnwindSafe(|| {
            for item in &mut *iter {
                before.push(item);
            }
        }));
        assert!(panicked.is_err(), "the predicate never panicked");
        (before, iter.collect())
    }
    let pick = || {
        let armed = Cell::new(true);
        move |k: &u32, v: &mut u32| {
            *v += 100;
            if *k == 4 && armed.replace(false) {
                std::panic::panic_any(Boom);
            }
            k % 2 == 1
        }
    };
    let mut std: std::collections::BTreeMap<u32, u32> = (0..10).map(|k| (k, k)).collect();
    let mut ours: M<ArcKind> = GenericAvlMap::empty();
    for k in 0..10 {
        ours.insert(Key::new(k), Val::new(k));
    }
    let expected = drive(&mut std.extract_if(.., pick()));
    let our_pick = pick();
    let got = drive(
        &mut ours
            .extract_if(.., move |k, v| our_pick(&k.0, &mut v.0))
            .map(|(k, v)| (k.0, v.0)),
    );
    assert_eq!(got, expected);
    assert_eq!(entries(&ours), std.into_iter().collect::<Vec<_>>());
}

#[test]
fn clone_panics_in_a_shared_set() {
    // The set is the map to `()`; `replace` is the one path of its own (it
    // swaps the stored key).
    quiet();
    let live_at_start = live();
    for bomb in [Bomb::Ord, Bomb::Clone] {
        for key in [0u32, 1, 30, 59, 120] {
            for fuse_at in 0.. {
                let mut set: AvlSet<Key> = (0..40).map(|i| Key::new(i * 3)).collect();
                let kept = set.clone();
                let before: Vec<u32> = set.iter().map(|x| x.0).collect();
                fuse(bomb).with(|f| f.set(Some(fuse_at)));
                let result = catch_unwind(AssertUnwindSafe(|| {
                    set.replace(Key::new(key));
                    set.remove(&Key::new(key + 3));
                }));
                disarm();
                set.check_invariants().unwrap();
                assert_eq!(kept.iter().map(|x| x.0).collect::<Vec<_>>(), before);
                if result.is_ok() {
                    break;
                }
                // Two steps: after a panic in the second the first stays done.
                let now: Vec<u32> = set.iter().map(|x| x.0).collect();
                let mut after_first = before.clone();
                if let Err(at) = after_first.binary_search(&key) {
                    after_first.insert(at, key);
                }
                assert!(
                    now == before || now == after_first,
                    "{bomb:?} {key} {fuse_at}"
                );
            }
        }
    }
    assert_eq!(live(), live_at_start);
}

// ---------------------------------------------------------------------------
// Ord chaos.

thread_local! {
    static CHAOS_STATE: Cell<u64> = const { Cell::new(1) };
    static CHAOS_MODE: Cell<Chaos> = const { Cell::new(Chaos::Random) };
    static CHAOS_CALLS: Cell<u64> = const { Cell::new(0) };
}

/// How the chaotic `Ord` answers.
#[derive(Clone, Copy, Debug)]
enum Chaos {
    /// Less, Equal or Greater at random.
    Random,
    /// The true order, reversed in every other run of 37 calls.
    Flipping,
    /// The true order, except one answer in eight at random.
    MostlyRight,
}

fn chaos_random() -> u64 {
    CHAOS_STATE.with(|s| {
        let mut x = s.get();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        s.set(x);
        x
    })
}

/// A key whose order is inconsistent.
#[derive(Clone, Debug)]
struct Wild(u32);

impl Ord for Wild {
    fn cmp(&self, other: &Self) -> Ordering {
        let calls = CHAOS_CALLS.with(|c| {
            c.set(c.get() + 1);
            c.get()
        });
        let random = || match chaos_random() % 3 {
            0 => Ordering::Less,
            1 => Ordering::Equal,
            _ => Ordering::Greater,
        };
        match CHAOS_MODE.with(Cell::get) {
            Chaos::Random => random(),
            Chaos::Flipping if (calls / 37).is_multiple_of(2) => self.0.cmp(&other.0),
            Chaos::Flipping => other.0.cmp(&self.0),
            Chaos::MostlyRight if chaos_random().is_multiple_of(8) => random(),
            Chaos::MostlyRight => self.0.cmp(&other.0),
        }
    }
}

impl PartialOrd for Wild {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Wild {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Wild {}

/// Checks heights (I2), balance (I3) and sizes (I4) from the stored values
/// alone, calling no `Ord`: a block counts as height 0. Returns (height,
/// size).
fn check_shape<K, V, P: PointerKind>(node: Option<NodeRef<'_, K, V, P>>) -> (usize, usize) {
    let Some(node) = node else {
        return (0, 0);
    };
    let (hl, sl) = check_shape(node.left());
    let (hr, sr) = check_shape(node.right());
    assert_eq!(node.height(), 1 + hl.max(hr), "stored height");
    assert!(hl.abs_diff(hr) <= 1, "out of balance");
    assert_eq!(node.len(), node.stored() + sl + sr, "stored size");
    (node.height(), node.len())
}

fn check_wild<P: PointerKind>(map: &GenericAvlMap<Wild, u32, P>) {
    let (height, len) = check_shape(map.root_node());
    assert_eq!((height, len), (map.height(), map.len()));
    assert_eq!(map.iter().count(), len);
    assert_eq!(map.iter().rev().count(), len);
    assert_eq!(map.keys().len(), len);
}

/// Runs `f`, accepting only the documented panics: `range` with bounds the
/// chaotic order calls crossed, and std's sort in `collect`.
fn tolerate<R>(f: impl FnOnce() -> R) -> Option<R> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => Some(r),
        Err(payload) => {
            let text = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("");
            if text.starts_with("range start") || text.contains("total order") {
                None
            } else {
                resume_unwind(payload)
            }
        }
    }
}

type WildMap<P> = GenericAvlMap<Wild, u32, P>;

/// A kept version and its entries (as plain numbers) when it was made.
type Kept<P> = (WildMap<P>, Vec<(u32, u32)>);

fn chaos_workload<P: PointerKind>(mode: Chaos, seed: u64) {
    CHAOS_MODE.with(|m| m.set(mode));
    CHAOS_STATE.with(|s| s.set(seed | 1));
    let mut rng = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut next = move |n: u64| {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng % n
    };
    let mut map: GenericAvlMap<Wild, u32, P> = GenericAvlMap::empty();
    // Kept versions, each with its entries when it was made: persistence does
    // not depend on the order, so these must never change.
    let mut kept: Vec<Kept<P>> = Vec::new();
    let snapshot =
        |m: &GenericAvlMap<Wild, u32, P>| m.iter().map(|(k, v)| (k.0, *v)).collect::<Vec<_>>();
    for step in 0..2_500u32 {
        let key = Wild(u32::try_from(next(500)).unwrap());
        match next(16) {
            0..=3 => {
                map.insert(key, step);
            }
            4..=5 => {
                map.remove(&key);
            }
            6 => map = map.inserted(key, step),
            7 => map = map.removed(&key),
            8 => {
                *map.entry(key).or_insert(0) += 1;
            }
            9 => {
                let mut other: GenericAvlMap<Wild, u32, P> = GenericAvlMap::empty();
                for _ in 0..next(40) {
                    other.insert(Wild(u32::try_from(next(500)).unwrap()), step);
                }
                map.append(&mut other);
                assert!(other.is_empty());
            }
            10 => {
                let mut high = map.split_off(&key);
                check_wild(&high);
                if next(2) == 0 {
                    map.append(&mut high);
                }
            }
            11 => {
                let _ = map.get(&key);
                let _ = map.contains_key(&key);
                let _ = map.rank(&key);
                if let Some(v) = map.get_mut(&key) {
                    *v += 1;
                }
                let _ = map.range(key.clone()..).count();
                let _ = map.range(..key.clone()).rev().count();
                let other = Wild(u32::try_from(next(500)).unwrap());
                let _ = tolerate(|| map.range(key.clone()..other.clone()).count());
                let _ = tolerate(|| map.range(key.clone()..=other.clone()).next_back());
                let _ = tolerate(|| {
                    for (_, v) in map.range_mut(other.clone()..=key.clone()) {
                        *v += 1;
                    }
                });
                let _ = tolerate(|| {
                    map.extract_if(key.clone()..other, |k, _| k.0 % 5 == 0)
                        .take(3)
                        .count()
                });
            }
            12 => {
                let _ = map.pop_first();
                let _ = map.pop_last();
                if let Some(mut first) = map.first_entry() {
                    *first.get_mut() += 1;
                }
                if let Some(last) = map.last_entry() {
                    last.remove();
                }
            }
            13 => map.retain(|k, _| k.0 % 7 != step % 7),
            14 => {
                if let Some(copy) = tolerate(|| {
                    map.iter()
                        .map(|(k, v)| (k.clone(), *v))
                        .collect::<GenericAvlMap<_, _, P>>()
                }) {
                    check_wild(&copy);
                }
            }
            _ => {
                if kept.len() == 8 {
                    let at = usize::try_from(next(8)).unwrap();
                    kept.swap_remove(at);
                }
                let entries = snapshot(&map);
                kept.push((map.clone(), entries));
            }
        }
        check_wild(&map);
    }
    for (version, entries) in &kept {
        check_wild(version);
        assert_eq!(&snapshot(version), entries, "a kept version changed");
    }
}

#[test]
fn ord_chaos_keeps_the_shape_right() {
    quiet();
    // On a thread of its own, so that a hang fails the test instead of
    // stalling the run.
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        for (i, mode) in [Chaos::Random, Chaos::Flipping, Chaos::MostlyRight]
            .into_iter()
            .enumerate()
        {
            for seed in 1..=3u64 {
                chaos_workload::<ArcKind>(mode, seed * 7 + i as u64);
                chaos_workload::<Classic>(mode, seed * 7 + i as u64);
                chaos_workload::<SmallRc>(mode, seed * 11 + i as u64);
            }
        }
        done.send(()).unwrap();
    });
    match finished.recv_timeout(Duration::from_secs(120)) {
        Ok(()) => {}
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("ord chaos: an operation hung"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("ord chaos: an operation panicked"),
    }
}
