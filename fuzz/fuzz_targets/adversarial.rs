//! Keys and values whose `Ord` and `Clone` panic where the input says, and
//! keys whose `Ord` answers from the input's bytes: the guarantees the crate
//! documents under "Panics", and its "ord chaos" promise.
//!
//! Each step arms at most one fuse (the k-th call of `Ord`, of `Clone`, or
//! of a closure the step passes, panics) and runs one operation under
//! `catch_unwind`. Then:
//!
//! - after a planned panic, the map operated on is valid and holds what it
//!   held before (the same keys, for the operations whose closure edits
//!   values as it goes; the entries before plus a prefix of the new ones, for
//!   `extend`), and an argument map (of `append` or the set algebra) is
//!   unchanged;
//! - when the order is consistent and nothing panicked, the map and what the
//!   operation returned and made agree with a `BTreeMap` model;
//! - with an inconsistent order no operation panics, except `range` and
//!   `range_map` with bounds the order calls crossed and the sort in
//!   `collect` (std's own panics), and every tree keeps its shape: stored
//!   heights and sizes right, balanced, iterators as long as `len` (the
//!   order of the keys means nothing then);
//! - every version kept along the way (the input says which steps keep
//!   theirs, so that some updates find the map unshared and work in place,
//!   and others copy the shared path) holds the entries it held when it was
//!   made, whatever panicked after;
//! - once every version is dropped, no key or value is alive: nothing
//!   leaked and nothing was dropped twice.

#![no_main]

use persistent_avl::GenericAvlMap;
use std::cell::{Cell, RefCell};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt::Debug;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use persistent_avl::map::Entry;
use persistent_avl::{NodeRef, PointerKind};
use persistent_avl_fuzz::map_ops::pick;
use persistent_avl_fuzz::panics::{catch, message};

// ---------------------------------------------------------------------------
// Keys and values that panic on cue, answer at random, and are counted.

/// The payload of every planned panic.
struct Boom;

thread_local! {
    static ORD_FUSE: Cell<Option<u8>> = const { Cell::new(None) };
    static CLONE_FUSE: Cell<Option<u8>> = const { Cell::new(None) };
    static CLOSURE_FUSE: Cell<Option<u8>> = const { Cell::new(None) };
    /// Keys and values alive.
    static LIVE: Cell<isize> = const { Cell::new(0) };
    /// The answers of an inconsistent `Ord`, used in turn; empty: the true
    /// order.
    static CHAOS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static CHAOS_AT: Cell<usize> = const { Cell::new(0) };
}

type Fuse = std::thread::LocalKey<Cell<Option<u8>>>;

/// Counts one call against `fuse`; panics (and disarms) when it runs out.
fn tick(fuse: &'static Fuse) {
    fuse.with(|f| match f.get() {
        None => {}
        Some(0) => {
            f.set(None);
            std::panic::panic_any(Boom);
        }
        Some(n) => f.set(Some(n - 1)),
    });
}

fn disarm() {
    for fuse in [&ORD_FUSE, &CLONE_FUSE, &CLOSURE_FUSE] {
        fuse.with(|f| f.set(None));
    }
}

fn live() -> isize {
    LIVE.with(Cell::get)
}

fn born() {
    LIVE.with(|l| l.set(l.get() + 1));
}

fn died() {
    LIVE.with(|l| l.set(l.get() - 1));
}

#[derive(Debug)]
struct Key(u8);

fn key(k: u8) -> Key {
    born();
    Key(k)
}

impl Clone for Key {
    fn clone(&self) -> Self {
        tick(&CLONE_FUSE);
        key(self.0)
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        died();
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> Ordering {
        tick(&ORD_FUSE);
        let answer = CHAOS.with(|bytes| {
            let bytes = bytes.borrow();
            if bytes.is_empty() {
                return None;
            }
            let at = CHAOS_AT.with(|a| {
                let at = a.get();
                a.set(at.wrapping_add(1));
                at
            });
            match bytes[at % bytes.len()] % 4 {
                0 => Some(Ordering::Less),
                1 => Some(Ordering::Equal),
                2 => Some(Ordering::Greater),
                _ => None,
            }
        });
        answer.unwrap_or_else(|| self.0.cmp(&other.0))
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

#[derive(Debug, PartialEq)]
struct Val(u8);

fn val(v: u8) -> Val {
    born();
    Val(v)
}

impl Clone for Val {
    fn clone(&self) -> Self {
        tick(&CLONE_FUSE);
        val(self.0)
    }
}

impl Drop for Val {
    fn drop(&mut self) {
        died();
    }
}

type M<P> = GenericAvlMap<Key, Val, P>;
type Model = BTreeMap<u8, u8>;
type Entries = Vec<(u8, u8)>;

/// The entries as plain numbers: reading them calls neither `Ord` nor
/// `Clone`.
fn entries<P: PointerKind>(map: &M<P>) -> Entries {
    map.iter().map(|(k, v)| (k.0, v.0)).collect()
}

fn plain(model: &Model) -> Entries {
    model.iter().map(|(&k, &v)| (k, v)).collect()
}

fn build<P: PointerKind>(items: &[(u8, u8)]) -> M<P> {
    let mut map = M::<P>::empty();
    for &(k, v) in items {
        map.insert(key(k), val(v));
    }
    map
}

// ---------------------------------------------------------------------------
// Shape checks that call no `Ord`.

/// Stored heights (I2), balance (I3) and sizes (I4), from the nodes alone
/// (a block counts as height 0 and holds its entries). Returns (height,
/// size).
fn shape<K, V, P: PointerKind>(
    node: Option<NodeRef<'_, K, V, P>>,
    what: &dyn Debug,
) -> (usize, usize) {
    let Some(node) = node else {
        return (0, 0);
    };
    let (hl, sl) = shape(node.left(), what);
    let (hr, sr) = shape(node.right(), what);
    assert_eq!(node.height(), 1 + hl.max(hr), "{what:?}: a stored height");
    assert!(hl.abs_diff(hr) <= 1, "{what:?}: out of balance");
    assert_eq!(
        node.len(),
        node.stored() + sl + sr,
        "{what:?}: a stored size"
    );
    (node.height(), node.len())
}

/// The tree's shape, and its iterators as long as `len`; with a consistent
/// order, every invariant.
fn valid<P: PointerKind>(map: &M<P>, chaos: bool, what: &dyn Debug) {
    let (height, len) = shape(map.root_node(), what);
    assert_eq!(
        (height, len),
        (map.height(), map.len()),
        "{what:?}: height, len"
    );
    assert_eq!(map.iter().count(), len, "{what:?}: iter().count()");
    assert_eq!(
        map.iter().rev().count(),
        len,
        "{what:?}: iter().rev().count()"
    );
    assert_eq!(map.keys().len(), len, "{what:?}: keys().len()");
    if !chaos && let Err(broken) = map.check_invariants() {
        panic!("{what:?}: invariant broken: {broken}");
    }
}

// ---------------------------------------------------------------------------
// Operations.

#[derive(Arbitrary, Clone, Copy, Debug)]
enum Bomb {
    /// The k-th call of `Key::cmp` panics.
    Ord(u8),
    /// The k-th call of `Key::clone` or `Val::clone` panics.
    Clone(u8),
    /// The k-th call of the closure the step passes panics.
    Closure(u8),
}

#[derive(Arbitrary, Clone, Debug)]
enum Op {
    Insert(u8, u8),
    Inserted(u8, u8),
    Remove(u8),
    Removed(u8),
    RemoveEntry(u8),
    /// `get_mut`, adding one to the value.
    GetMut(u8),
    EntryOrInsert(u8, u8),
    /// `or_insert_with` whose closure ticks the closure fuse.
    EntryOrInsertWith(u8, u8),
    EntryAndModify(u8, u8),
    /// `remove_entry` of an occupied entry, `into_key` of a vacant one.
    EntryRemove(u8),
    PopFirst,
    PopLast,
    /// `retain` whose closure ticks, adds one to each value, and drops the
    /// keys divisible by 2 + (the number % 5).
    Retain(u8),
    Clear,
    Append(Vec<(u8, u8)>),
    /// Appends a clone of a kept version.
    AppendVersion(u8),
    /// `split_off`; the high half is kept, the low one stays current.
    SplitOff(u8),
    /// `extend` from an iterator that ticks the closure fuse.
    Extend(Vec<(u8, u8)>),
    /// Inserts `count` keys from `start` on, 1 + (`step` % 8) apart: a
    /// large map from a few bytes.
    Fill(u8, u8, u8),
    /// `iter_mut`, adding to every value.
    IterMut(u8),
    /// Collects clones of the entries and these (through a ticking
    /// iterator) into a new map.
    Collect(Vec<(u8, u8)>),
    /// `from_sorted_iter` of clones of the entries.
    FromSorted,
    /// `into_iter` of a clone (cloning out of shared nodes), `n` items read.
    IntoIter(u8),
    /// Lookups, order statistics, ranges, and a diff with the last kept
    /// version.
    Read(u8, u8),
    SwitchTo(u8),
    /// An operation that returns new maps, with a clone of a kept version
    /// (which shares nodes with the map) as the other operand where it
    /// takes one; the map and the operand stay as they were.
    Whole(Whole, u8),
}

/// The operations that return new maps. The closures they pass tick the
/// closure fuse.
#[derive(Arbitrary, Clone, Copy, Debug)]
enum Whole {
    Union,
    /// `union_map_with`, adding the two values.
    UnionWith,
    /// `union_map_with_idempotent` with the larger value.
    UnionWithIdempotent,
    Intersection,
    /// `intersection_map_with`, adding the two values.
    IntersectionWith,
    Difference,
    SymmetricDifference,
    /// `filter`, dropping the keys divisible by 2 + (the number % 5).
    Filter(u8),
    /// `filter_map`, dropping as `Filter` does and adding one to the
    /// values it keeps.
    FilterMap(u8),
    /// `map_values`, adding the number.
    MapValues(u8),
    Split(u8),
    SplitAt(u8),
    /// `range_map` from the smaller key to the larger, the end excluded.
    RangeMap(u8, u8),
}

#[derive(Arbitrary, Debug)]
struct Step {
    op: Op,
    bomb: Option<Bomb>,
    /// Whether the version after the step is kept. A map whose versions
    /// are not kept can be unshared, and then updates work in place.
    keep: bool,
}

#[derive(Arbitrary, Debug)]
struct Input {
    /// The pointer kind and block size the input runs on.
    layout: persistent_avl_fuzz::Layout,
    /// The answers of an inconsistent `Ord`, if any.
    chaos: Option<Vec<u8>>,
    steps: Vec<Step>,
}

/// What a planned panic may leave in the map operated on.
enum Expect {
    Unchanged,
    /// The values may have been changed by the step's closure.
    SameKeys,
    /// The entries before plus, inserted in order, a prefix of these.
    ExtendPrefix(Entries),
}

fn expect(op: &Op) -> Expect {
    match op {
        Op::Retain(_) | Op::IterMut(_) => Expect::SameKeys,
        Op::Extend(items) => Expect::ExtendPrefix(items.clone()),
        &Op::Fill(start, count, step) => Expect::ExtendPrefix(
            persistent_avl_fuzz::fill(start, count, step)
                .map(|k| (k, k))
                .collect(),
        ),
        _ => Expect::Unchanged,
    }
}

fn retain_keeps(k: u8, m: u8) -> bool {
    !k.is_multiple_of(2 + m % 5)
}

/// What an operation returned, as numbers, to compare with the model's.
type Observed = Vec<usize>;

/// Runs `op` on the map (`other` is its argument map, if it takes one);
/// the versions it makes go to `made`.
fn call<P: PointerKind>(
    op: &Op,
    map: &mut M<P>,
    other: &mut M<P>,
    previous: &M<P>,
    made: &mut Vec<M<P>>,
) -> Observed {
    let some = |v: Option<&Val>| v.map_or(999, |v| usize::from(v.0));
    match *op {
        Op::Insert(k, v) => vec![some(map.insert(key(k), val(v)).as_ref())],
        Op::Inserted(k, v) => {
            made.push(map.inserted(key(k), val(v)));
            vec![]
        }
        Op::Remove(k) => vec![some(map.remove(&key(k)).as_ref())],
        Op::Removed(k) => {
            made.push(map.removed(&key(k)));
            vec![]
        }
        Op::RemoveEntry(k) => match map.remove_entry(&key(k)) {
            Some((k, v)) => vec![k.0.into(), v.0.into()],
            None => vec![],
        },
        Op::GetMut(k) => match map.get_mut(&key(k)) {
            Some(v) => {
                v.0 = v.0.wrapping_add(1);
                vec![v.0.into()]
            }
            None => vec![],
        },
        Op::EntryOrInsert(k, v) => {
            let value = map.entry(key(k)).or_insert(val(v));
            value.0 = value.0.wrapping_add(1);
            vec![value.0.into()]
        }
        Op::EntryOrInsertWith(k, v) => {
            let value = map.entry(key(k)).or_insert_with(|| {
                tick(&CLOSURE_FUSE);
                val(v)
            });
            vec![value.0.into()]
        }
        Op::EntryAndModify(k, v) => {
            let value = map
                .entry(key(k))
                .and_modify(|x| x.0 = x.0.wrapping_add(1))
                .or_insert(val(v));
            vec![value.0.into()]
        }
        Op::EntryRemove(k) => match map.entry(key(k)) {
            Entry::Occupied(entry) => {
                let (k, v) = entry.remove_entry();
                vec![k.0.into(), v.0.into()]
            }
            Entry::Vacant(entry) => vec![entry.into_key().0.into()],
        },
        Op::PopFirst => map
            .pop_first()
            .map_or(vec![], |(k, v)| vec![k.0.into(), v.0.into()]),
        Op::PopLast => map
            .pop_last()
            .map_or(vec![], |(k, v)| vec![k.0.into(), v.0.into()]),
        Op::Retain(m) => {
            map.retain(|k, v| {
                tick(&CLOSURE_FUSE);
                v.0 = v.0.wrapping_add(1);
                retain_keeps(k.0, m)
            });
            vec![]
        }
        Op::Clear => {
            map.clear();
            vec![]
        }
        Op::Append(_) | Op::AppendVersion(_) => {
            map.append(other);
            vec![other.len()]
        }
        Op::SplitOff(k) => {
            made.push(map.split_off(&key(k)));
            vec![]
        }
        Op::Extend(ref items) => {
            map.extend(items.iter().map(|&(k, v)| {
                tick(&CLOSURE_FUSE);
                (key(k), val(v))
            }));
            vec![]
        }
        Op::Fill(start, count, step) => {
            map.extend(persistent_avl_fuzz::fill(start, count, step).map(|k| (key(k), val(k))));
            vec![]
        }
        Op::IterMut(add) => {
            for (_, v) in map.iter_mut() {
                v.0 = v.0.wrapping_add(add);
            }
            vec![]
        }
        Op::Collect(ref items) => {
            let copy = map.iter().map(|(k, v)| (k.clone(), v.clone()));
            let more = items.iter().map(|&(k, v)| {
                tick(&CLOSURE_FUSE);
                (key(k), val(v))
            });
            made.push(copy.chain(more).collect());
            vec![]
        }
        Op::FromSorted => {
            let copy = map.iter().map(|(k, v)| (k.clone(), v.clone()));
            match M::<P>::from_sorted_iter(copy) {
                Ok(built) => {
                    made.push(built);
                    vec![1]
                }
                Err(_) => vec![0],
            }
        }
        Op::IntoIter(n) => map
            .clone()
            .into_iter()
            .take(usize::from(n))
            .flat_map(|(k, v)| [k.0.into(), v.0.into()])
            .collect(),
        Op::Read(a, b) => {
            let (lo, hi) = (a.min(b), a.max(b));
            vec![
                some(map.get(&key(a))),
                usize::from(map.contains_key(&key(a))),
                map.rank(&key(a)),
                map.get_index_of(&key(a)).unwrap_or(999),
                map.range(key(a)..).count(),
                map.range(..key(a)).rev().count(),
                map.range(key(lo)..key(hi)).len(),
                map.range(key(lo)..=key(hi)).rev().count(),
                map.diff(previous).count(),
            ]
        }
        Op::SwitchTo(_) => vec![],
        Op::Whole(how, _) => whole(how, map, other, made),
    }
}

/// Runs a whole-tree operation of `map` (with `other`); the maps it
/// returns go to `made`.
fn whole<P: PointerKind>(how: Whole, map: &M<P>, other: &M<P>, made: &mut Vec<M<P>>) -> Observed {
    let add = |_: &Key, a: Val, b: Val| {
        tick(&CLOSURE_FUSE);
        val(a.0.wrapping_add(b.0))
    };
    let larger = |_: &Key, a: Val, b: Val| {
        tick(&CLOSURE_FUSE);
        if a.0 >= b.0 { a } else { b }
    };
    match how {
        Whole::Union => made.push(map.union_map(other)),
        Whole::UnionWith => made.push(map.union_map_with(other, add)),
        Whole::UnionWithIdempotent => made.push(map.union_map_with_idempotent(other, larger)),
        Whole::Intersection => made.push(map.intersection_map(other)),
        Whole::IntersectionWith => made.push(map.intersection_map_with(other, add)),
        Whole::Difference => made.push(map.difference_map(other)),
        Whole::SymmetricDifference => made.push(map.symmetric_difference_map(other)),
        Whole::Filter(m) => made.push(map.filter(|k, _| {
            tick(&CLOSURE_FUSE);
            retain_keeps(k.0, m)
        })),
        Whole::FilterMap(m) => made.push(map.filter_map(|k, v| {
            tick(&CLOSURE_FUSE);
            retain_keeps(k.0, m).then(|| val(v.0.wrapping_add(1)))
        })),
        Whole::MapValues(add) => made.push(map.map_values(|_, v| {
            tick(&CLOSURE_FUSE);
            val(v.0.wrapping_add(add))
        })),
        Whole::Split(k) => {
            let (below, found, above) = map.split(&key(k));
            made.push(below);
            made.push(above);
            return found.map_or(vec![], |(k, v)| vec![k.0.into(), v.0.into()]);
        }
        Whole::SplitAt(i) => {
            let (first, rest) = map.split_at(usize::from(i));
            made.push(first);
            made.push(rest);
        }
        Whole::RangeMap(a, b) => made.push(map.range_map(key(a.min(b))..key(a.max(b)))),
    }
    vec![]
}

/// What `whole` returns and makes, by the model.
fn model_whole(how: Whole, model: &Model, other: &Model) -> (Observed, Vec<Model>) {
    let with = |f: fn(u8, u8) -> u8, keep_only: bool| -> Model {
        let mut out: Model = if keep_only {
            Model::new()
        } else {
            model.clone()
        };
        for (&k, &v) in other {
            match model.get(&k) {
                Some(&mine) => {
                    out.insert(k, f(mine, v));
                }
                None if !keep_only => {
                    out.insert(k, v);
                }
                None => {}
            }
        }
        out
    };
    // The entries of `a` whose keys `b` does not hold.
    let only = |a: &Model, b: &Model| -> Model {
        a.iter()
            .filter(|(k, _)| !b.contains_key(k))
            .map(|(&k, &v)| (k, v))
            .collect()
    };
    let kept = |m: u8| -> Model {
        model
            .iter()
            .filter(|(k, _)| retain_keeps(**k, m))
            .map(|(&k, &v)| (k, v))
            .collect()
    };
    let models = match how {
        Whole::Union => vec![with(|_, b| b, false)],
        Whole::UnionWith => vec![with(u8::wrapping_add, false)],
        Whole::UnionWithIdempotent => vec![with(u8::max, false)],
        Whole::Intersection => vec![with(|a, _| a, true)],
        Whole::IntersectionWith => vec![with(u8::wrapping_add, true)],
        Whole::Difference => vec![only(model, other)],
        Whole::SymmetricDifference => {
            let mut out = only(model, other);
            out.extend(only(other, model));
            vec![out]
        }
        Whole::Filter(m) => vec![kept(m)],
        Whole::FilterMap(m) => vec![
            kept(m)
                .into_iter()
                .map(|(k, v)| (k, v.wrapping_add(1)))
                .collect(),
        ],
        Whole::MapValues(add) => vec![
            model
                .iter()
                .map(|(&k, &v)| (k, v.wrapping_add(add)))
                .collect(),
        ],
        Whole::Split(k) => {
            let mut low = model.clone();
            let mut high = low.split_off(&k);
            let found = high.remove(&k);
            let observed = found.map_or(vec![], |v| vec![k.into(), v.into()]);
            return (observed, vec![low, high]);
        }
        Whole::SplitAt(i) => {
            let i = usize::from(i);
            vec![
                model.iter().take(i).map(|(&k, &v)| (k, v)).collect(),
                model.iter().skip(i).map(|(&k, &v)| (k, v)).collect(),
            ]
        }
        Whole::RangeMap(a, b) => vec![
            model
                .range(a.min(b)..a.max(b))
                .map(|(&k, &v)| (k, v))
                .collect(),
        ],
    };
    (vec![], models)
}

/// What `call` returns and makes, by the model.
fn model_call(
    op: &Op,
    model: &mut Model,
    other: &mut Model,
    previous: &Model,
) -> (Observed, Vec<Model>) {
    let some = |v: Option<u8>| v.map_or(999, usize::from);
    let mut made = Vec::new();
    let observed = match *op {
        Op::Insert(k, v) => vec![some(model.insert(k, v))],
        Op::Inserted(k, v) => {
            let mut new = model.clone();
            new.insert(k, v);
            made.push(new);
            vec![]
        }
        Op::Remove(k) => vec![some(model.remove(&k))],
        Op::Removed(k) => {
            let mut new = model.clone();
            new.remove(&k);
            made.push(new);
            vec![]
        }
        Op::RemoveEntry(k) => model
            .remove_entry(&k)
            .map_or(vec![], |(k, v)| vec![k.into(), v.into()]),
        Op::GetMut(k) => match model.get_mut(&k) {
            Some(v) => {
                *v = v.wrapping_add(1);
                vec![usize::from(*v)]
            }
            None => vec![],
        },
        Op::EntryOrInsert(k, v) => {
            let value = model.entry(k).or_insert(v);
            *value = value.wrapping_add(1);
            vec![usize::from(*value)]
        }
        Op::EntryOrInsertWith(k, v) => vec![usize::from(*model.entry(k).or_insert(v))],
        Op::EntryAndModify(k, v) => {
            let value = model
                .entry(k)
                .and_modify(|x| *x = x.wrapping_add(1))
                .or_insert(v);
            vec![usize::from(*value)]
        }
        Op::EntryRemove(k) => model
            .remove_entry(&k)
            .map_or(vec![k.into()], |(k, v)| vec![k.into(), v.into()]),
        Op::PopFirst => model
            .pop_first()
            .map_or(vec![], |(k, v)| vec![k.into(), v.into()]),
        Op::PopLast => model
            .pop_last()
            .map_or(vec![], |(k, v)| vec![k.into(), v.into()]),
        Op::Retain(m) => {
            model.retain(|&k, v| {
                *v = v.wrapping_add(1);
                retain_keeps(k, m)
            });
            vec![]
        }
        Op::Clear => {
            model.clear();
            vec![]
        }
        Op::Append(_) | Op::AppendVersion(_) => {
            model.append(other);
            vec![0]
        }
        Op::SplitOff(k) => {
            made.push(model.split_off(&k));
            vec![]
        }
        Op::Extend(ref items) => {
            model.extend(items.iter().copied());
            vec![]
        }
        Op::Fill(start, count, step) => {
            model.extend(persistent_avl_fuzz::fill(start, count, step).map(|k| (k, k)));
            vec![]
        }
        Op::IterMut(add) => {
            for v in model.values_mut() {
                *v = v.wrapping_add(add);
            }
            vec![]
        }
        Op::Collect(ref items) => {
            made.push(
                model
                    .iter()
                    .map(|(&k, &v)| (k, v))
                    .chain(items.iter().copied())
                    .collect(),
            );
            vec![]
        }
        Op::FromSorted => {
            made.push(model.clone());
            vec![1]
        }
        Op::IntoIter(n) => model
            .iter()
            .take(usize::from(n))
            .flat_map(|(&k, &v)| [k.into(), v.into()])
            .collect(),
        Op::Read(a, b) => {
            let (lo, hi) = (a.min(b), a.max(b));
            let changed = model
                .iter()
                .filter(|(k, v)| previous.get(k) != Some(v))
                .count()
                + previous.keys().filter(|k| !model.contains_key(k)).count();
            vec![
                some(model.get(&a).copied()),
                usize::from(model.contains_key(&a)),
                model.range(..a).count(),
                if model.contains_key(&a) {
                    model.range(..a).count()
                } else {
                    999
                },
                model.range(a..).count(),
                model.range(..a).count(),
                model.range(lo..hi).count(),
                model.range(lo..=hi).count(),
                changed,
            ]
        }
        Op::SwitchTo(_) => vec![],
        Op::Whole(how, _) => {
            let (observed, models) = model_whole(how, model, other);
            made = models;
            observed
        }
    };
    (observed, made)
}

/// Whether `after` is `before` with a prefix of `items` inserted in order.
fn is_extend_prefix(before: &Entries, items: &Entries, after: &Entries) -> bool {
    let mut expected: Model = before.iter().copied().collect();
    if plain(&expected) == *after {
        return true;
    }
    for &(k, v) in items {
        expected.insert(k, v);
        if plain(&expected) == *after {
            return true;
        }
    }
    false
}

/// A version kept, with its entries when it was made.
type Kept<P> = (M<P>, Entries);

fn run<P: PointerKind>(input: &Input) {
    let chaos = input.chaos.is_some();
    CHAOS.with(|c| *c.borrow_mut() = input.chaos.clone().unwrap_or_default());
    CHAOS_AT.with(|a| a.set(0));
    disarm();
    assert_eq!(live(), 0, "keys or values alive before the run");
    {
        let mut map = M::<P>::empty();
        let mut model = Model::new();
        let mut kept: Vec<Kept<P>> = vec![(map.clone(), vec![])];
        for (index, step) in input.steps.iter().enumerate() {
            let what = &(index, step);
            let op = &step.op;
            if let Op::SwitchTo(i) = *op {
                let (version, snapshot) = pick(&kept, i).unwrap();
                map = version.clone();
                model = snapshot.iter().copied().collect();
            }
            let mut other = match *op {
                Op::Append(ref items) => build::<P>(items),
                Op::AppendVersion(i) | Op::Whole(_, i) => pick(&kept, i).unwrap().0.clone(),
                _ => M::<P>::empty(),
            };
            let (previous, previous_entries) = kept.last().unwrap().clone();
            let before = entries(&map);
            let other_before = entries(&other);
            let mut made = Vec::new();
            match step.bomb {
                Some(Bomb::Ord(n)) => ORD_FUSE.with(|f| f.set(Some(n))),
                Some(Bomb::Clone(n)) => CLONE_FUSE.with(|f| f.set(Some(n))),
                Some(Bomb::Closure(n)) => CLOSURE_FUSE.with(|f| f.set(Some(n))),
                None => {}
            }
            let result = catch(|| call(op, &mut map, &mut other, &previous, &mut made));
            disarm();

            valid(&map, chaos, &(what, "the map operated on"));
            valid(&other, chaos, &(what, "the argument map"));
            for product in &made {
                valid(product, chaos, &(what, "a version the step made"));
            }
            assert_eq!(
                entries(&previous),
                previous_entries,
                "{what:?}: the last kept version changed"
            );
            match result {
                Ok(observed) => {
                    if !chaos {
                        let mut other_model: Model = other_before.iter().copied().collect();
                        let previous_model: Model = previous_entries.iter().copied().collect();
                        let (expected, made_models) =
                            model_call(op, &mut model, &mut other_model, &previous_model);
                        assert_eq!(observed, expected, "{what:?}: what the call returned");
                        assert_eq!(entries(&map), plain(&model), "{what:?}: the map");
                        assert_eq!(
                            entries(&other),
                            plain(&other_model),
                            "{what:?}: the argument map"
                        );
                        let made_entries: Vec<Entries> = made.iter().map(entries).collect();
                        let made_expected: Vec<Entries> = made_models.iter().map(plain).collect();
                        assert_eq!(made_entries, made_expected, "{what:?}: the versions made");
                    } else if matches!(op, Op::Append(_) | Op::AppendVersion(_)) {
                        assert!(other.is_empty(), "{what:?}: appended, so empty");
                    }
                }
                Err(payload) => {
                    let after = entries(&map);
                    if payload.is::<Boom>() {
                        match expect(op) {
                            Expect::Unchanged => {
                                assert_eq!(after, before, "{what:?}: changed by a planned panic");
                            }
                            Expect::SameKeys => {
                                let keys = |e: &Entries| e.iter().map(|p| p.0).collect::<Vec<_>>();
                                assert_eq!(
                                    keys(&after),
                                    keys(&before),
                                    "{what:?}: keys changed by a planned panic"
                                );
                            }
                            Expect::ExtendPrefix(items) => {
                                if !chaos {
                                    assert!(
                                        is_extend_prefix(&before, &items, &after),
                                        "{what:?}: not the entries before plus a prefix of the new ones: {after:?}"
                                    );
                                }
                            }
                        }
                        assert_eq!(
                            entries(&other),
                            other_before,
                            "{what:?}: the argument map changed by a planned panic"
                        );
                        model = after.iter().copied().collect();
                    } else {
                        let text = message(&*payload);
                        let documented = chaos
                            && (text.starts_with("range start")
                                || text.contains("does not correctly implement a total order"));
                        if !documented {
                            panic!("{what:?}: an unplanned panic: {text:?}");
                        }
                        assert_eq!(after, before, "{what:?}: changed by {text:?}");
                    }
                }
            }
            for product in made {
                let snapshot = entries(&product);
                kept.push((product, snapshot));
            }
            if step.keep {
                let snapshot = entries(&map);
                kept.push((map.clone(), snapshot));
            }
        }
        for (index, (version, snapshot)) in kept.iter().enumerate() {
            valid(version, chaos, &("kept version", index));
            assert_eq!(&entries(version), snapshot, "kept version {index} changed");
        }
    }
    assert_eq!(live(), 0, "a key or value leaked or was dropped twice");
}

fuzz_target!(|input: Input| {
    persistent_avl_fuzz::panics::install_hook();
    persistent_avl_fuzz::on_layout!(input.layout, run(&input));
});
