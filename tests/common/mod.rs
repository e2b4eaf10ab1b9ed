//! The model-testing kit shared by the model and persistence tests.
//!
//! An [`Op`] is one mutating call on an `AvlMap` (a [`SetOp`] on an
//! `AvlSet`). [`Op::apply`] makes the call on the map and the same call on
//! std's `BTreeMap`, the model, and asserts that both return the same thing;
//! the checks afterwards assert that both hold the same entries.
//!
//! Every `Debug` here prints Rust source. When a property fails, proptest's
//! `minimal failing input: case = MapCase { ops: vec![Op::Insert(3, 7), ..],
//! .. }` pastes into a test as it is (with `use std::ops::Bound::*;`):
//!
//! ```ignore
//! #[test]
//! fn regression() {
//!     run_map::<ArcKind>(&MapCase { ops: vec![Op::Insert(3, 7)], ranges: vec![], ends: 0 })
//!         .unwrap();
//! }
//! ```
//!
//! Keys are `u16` from a small span (16 to 300 keys), so that inserts
//! collide and removals hit; now and then any `u16`, for an outlier.

// Each test binary uses a different part of the kit.
#![allow(dead_code)]

use std::collections::btree_map::Entry as StdEntry;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Bound;

use persistent_avl::map::Entry;
use persistent_avl::{AvlMap, AvlSet, PointerKind};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::RngAlgorithm;

/// The model of a map.
pub type Model = BTreeMap<u16, u32>;

/// The model of a set.
pub type SetModel = BTreeSet<u16>;

/// A range of keys, as `range` takes it; never one std would reject.
pub type Bounds = (Bound<u16>, Bound<u16>);

// ---------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------

/// proptest's defaults (256 cases, `PROPTEST_CASES` and the other variables
/// still apply) with the XorShift generator: in an unoptimised build the
/// default ChaCha spends most of a run drawing random numbers, about ten
/// times as long as XorShift.
pub fn config() -> ProptestConfig {
    ProptestConfig {
        rng_algorithm: RngAlgorithm::XorShift,
        ..ProptestConfig::default()
    }
}

/// Keys mostly below `span`, where they collide; rarely any `u16`.
pub fn key(span: u16) -> impl Strategy<Value = u16> + Clone {
    prop_oneof![15 => 0..span, 1 => any::<u16>()]
}

/// Values small enough to read in a failing case.
pub fn value() -> impl Strategy<Value = u32> + Clone {
    0..1000u32
}

/// Key spans: a crowded map, a medium one, a sparse and larger one.
pub fn span() -> impl Strategy<Value = u16> {
    prop_oneof![Just(16u16), Just(64), Just(300)]
}

fn entries(span: u16, max: usize) -> impl Strategy<Value = Vec<(u16, u32)>> {
    vec((key(span), value()), 0..max)
}

fn keys(span: u16, max: usize) -> impl Strategy<Value = Vec<u16>> {
    vec(key(span), 0..max)
}

/// A range std accepts: bounds in order, and not both excluded when equal.
pub fn bounds(span: u16) -> impl Strategy<Value = Bounds> {
    let bound = move || {
        prop_oneof![
            1 => Just(Bound::Unbounded),
            3 => key(span).prop_map(Bound::Included),
            3 => key(span).prop_map(Bound::Excluded),
        ]
    };
    (bound(), bound()).prop_map(|(start, end)| {
        use Bound::{Excluded, Included};
        let (start, end) = match (start, end) {
            (Included(s) | Excluded(s), Included(e) | Excluded(e)) if s > e => {
                (with_key(start, e), with_key(end, s))
            }
            other => other,
        };
        match (start, end) {
            (Excluded(s), Excluded(e)) if s == e => (Included(s), Excluded(e)),
            other => other,
        }
    })
}

fn with_key(bound: Bound<u16>, key: u16) -> Bound<u16> {
    match bound {
        Bound::Included(_) => Bound::Included(key),
        Bound::Excluded(_) => Bound::Excluded(key),
        Bound::Unbounded => Bound::Unbounded,
    }
}

fn half() -> impl Strategy<Value = Half> {
    prop_oneof![
        Just(Half::Low),
        Just(Half::High),
        Just(Half::Rejoin),
        Just(Half::RejoinReversed),
    ]
}

/// Predicates on keys only (for sets, and for maps).
fn keep_key(span: u16) -> impl Strategy<Value = Keep> {
    prop_oneof![
        1 => Just(Keep::All),
        1 => Just(Keep::Nothing),
        2 => key(span).prop_map(Keep::Below),
        2 => key(span).prop_map(Keep::AtLeast),
        3 => (2u16..10).prop_map(Keep::DropMultiplesOf),
    ]
}

fn keep(span: u16) -> impl Strategy<Value = Keep> {
    prop_oneof![
        9 => keep_key(span),
        1 => Just(Keep::OddValues),
        1 => Just(Keep::BumpThenDropMultiplesOf3),
    ]
}

/// One map operation, weighted so that maps grow to a few dozen entries and
/// shrink again; `Clear` is rare.
pub fn op(span: u16) -> impl Strategy<Value = Op> {
    let k = move || key(span);
    let v = value;
    let kv = move || (key(span), value());
    prop_oneof![
        40 => kv().prop_map(|(k, v)| Op::Insert(k, v)),
        14 => k().prop_map(Op::Remove),
        6 => k().prop_map(Op::RemoveEntry),
        6 => kv().prop_map(|(k, v)| Op::GetMut(k, v)),
        4 => kv().prop_map(|(k, v)| Op::EntryOrInsert(k, v)),
        4 => kv().prop_map(|(k, v)| Op::EntryOrInsertWith(k, v)),
        3 => k().prop_map(Op::EntryOrInsertWithKey),
        3 => k().prop_map(Op::EntryOrDefault),
        4 => kv().prop_map(|(k, v)| Op::EntryAndModify(k, v)),
        4 => kv().prop_map(|(k, v)| Op::EntryInsert(k, v)),
        4 => k().prop_map(Op::EntryRemove),
        3 => k().prop_map(Op::EntryRemoveEntry),
        3 => kv().prop_map(|(k, v)| Op::EntryGetMut(k, v)),
        4 => Just(Op::PopFirst),
        4 => Just(Op::PopLast),
        4 => keep(span).prop_map(Op::Retain),
        1 => Just(Op::Clear),
        4 => entries(span, 32).prop_map(Op::Append),
        2 => entries(span, 8).prop_map(Op::AppendEdited),
        4 => (k(), half()).prop_map(|(k, h)| Op::SplitOff(k, h)),
        4 => entries(span, 48).prop_map(Op::Extend),
        12 => kv().prop_map(|(k, v)| Op::Inserted(k, v)),
        8 => k().prop_map(Op::Removed),
        3 => (0..40usize, 0..40usize, v())
            .prop_map(|(front, back, add)| Op::IterMut { front, back, add }),
        2 => v().prop_map(Op::ValuesMut),
        2 => (0..40usize, 0..40usize)
            .prop_map(|(front, back)| Op::IntoIterRebuild { front, back }),
    ]
}

/// One set operation, weighted as [`op`].
pub fn set_op(span: u16) -> impl Strategy<Value = SetOp> {
    let k = move || key(span);
    prop_oneof![
        40 => k().prop_map(SetOp::Insert),
        6 => k().prop_map(SetOp::Replace),
        14 => k().prop_map(SetOp::Remove),
        6 => k().prop_map(SetOp::Take),
        4 => Just(SetOp::PopFirst),
        4 => Just(SetOp::PopLast),
        4 => keep_key(span).prop_map(SetOp::Retain),
        1 => Just(SetOp::Clear),
        4 => keys(span, 32).prop_map(SetOp::Append),
        2 => keys(span, 8).prop_map(SetOp::AppendEdited),
        4 => (k(), half()).prop_map(|(k, h)| SetOp::SplitOff(k, h)),
        3 => keys(span, 48).prop_map(SetOp::Extend),
        2 => keys(span, 16).prop_map(SetOp::ExtendRefs),
        12 => k().prop_map(SetOp::Inserted),
        8 => k().prop_map(SetOp::Removed),
        2 => (0..40usize, 0..40usize)
            .prop_map(|(front, back)| SetOp::IntoIterRebuild { front, back }),
    ]
}

// ---------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------

/// A `retain` predicate, drawn from a few.
#[derive(Clone, Copy)]
pub enum Keep {
    All,
    Nothing,
    Below(u16),
    AtLeast(u16),
    DropMultiplesOf(u16),
    /// Maps only.
    OddValues,
    /// Maps only: adds 1 to every value it sees, then drops keys divisible by 3.
    BumpThenDropMultiplesOf3,
}

impl Keep {
    pub fn keeps(self, key: u16, value: &mut u32) -> bool {
        match self {
            Keep::OddValues => *value % 2 == 1,
            Keep::BumpThenDropMultiplesOf3 => {
                *value += 1;
                !key.is_multiple_of(3)
            }
            _ => self.keeps_key(key),
        }
    }

    pub fn keeps_key(self, key: u16) -> bool {
        match self {
            Keep::All => true,
            Keep::Nothing => false,
            Keep::Below(at) => key < at,
            Keep::AtLeast(at) => key >= at,
            Keep::DropMultiplesOf(m) => !key.is_multiple_of(m),
            Keep::OddValues | Keep::BumpThenDropMultiplesOf3 => {
                unreachable!("{self:?} reads values; sets have none")
            }
        }
    }
}

impl fmt::Debug for Keep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Keep::All => write!(f, "Keep::All"),
            Keep::Nothing => write!(f, "Keep::Nothing"),
            Keep::Below(at) => write!(f, "Keep::Below({at})"),
            Keep::AtLeast(at) => write!(f, "Keep::AtLeast({at})"),
            Keep::DropMultiplesOf(m) => write!(f, "Keep::DropMultiplesOf({m})"),
            Keep::OddValues => write!(f, "Keep::OddValues"),
            Keep::BumpThenDropMultiplesOf3 => write!(f, "Keep::BumpThenDropMultiplesOf3"),
        }
    }
}

/// What to do with the two halves after `split_off`.
#[derive(Clone, Copy)]
pub enum Half {
    /// Keep the low half, drop the high one.
    Low,
    /// Keep the high half.
    High,
    /// Append the high half back onto the low one.
    Rejoin,
    /// Append the low half onto the high one.
    RejoinReversed,
}

impl fmt::Debug for Half {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Half::Low => write!(f, "Half::Low"),
            Half::High => write!(f, "Half::High"),
            Half::Rejoin => write!(f, "Half::Rejoin"),
            Half::RejoinReversed => write!(f, "Half::RejoinReversed"),
        }
    }
}

/// One mutating call on a map.
#[derive(Clone)]
pub enum Op {
    Insert(u16, u32),
    Remove(u16),
    RemoveEntry(u16),
    /// `get_mut`, adding the value to what is there.
    GetMut(u16, u32),
    /// `*entry(k).or_insert(v) += 1`.
    EntryOrInsert(u16, u32),
    /// `or_insert_with(|| v)`, also checking whether the closure ran.
    EntryOrInsertWith(u16, u32),
    /// `or_insert_with_key(|k| 3 * k)`.
    EntryOrInsertWithKey(u16),
    /// `*entry(k).or_default() += 1`.
    EntryOrDefault(u16),
    /// `entry(k).and_modify(|x| *x ^= v).or_insert(v)`.
    EntryAndModify(u16, u32),
    /// Occupied: `insert(v)`, returning the old value; vacant: `insert(v)`.
    EntryInsert(u16, u32),
    /// Occupied: `remove()`; vacant: `into_key()`.
    EntryRemove(u16),
    /// Occupied: `remove_entry()`; vacant: `into_key()`.
    EntryRemoveEntry(u16),
    /// Occupied: `get_mut` adding `v`, then `into_mut` adding 1.
    EntryGetMut(u16, u32),
    PopFirst,
    PopLast,
    Retain(Keep),
    Clear,
    /// `append` of a map built from these entries.
    Append(Vec<(u16, u32)>),
    /// `append` of a clone of the map with these entries inserted: the two
    /// trees share nodes.
    AppendEdited(Vec<(u16, u32)>),
    SplitOff(u16, Half),
    Extend(Vec<(u16, u32)>),
    /// `map = map.inserted(k, v)`.
    Inserted(u16, u32),
    /// `map = map.removed(&k)`, which must be `ptr_eq` to `map` when `k` is
    /// absent.
    Removed(u16),
    /// Adds `add` to `front` values from the front of `iter_mut`, then to
    /// `back` values from the back.
    IterMut {
        front: usize,
        back: usize,
        add: u32,
    },
    /// Adds the value to every value through `values_mut`.
    ValuesMut(u32),
    /// Takes `front` entries from the front of `into_iter`, `back` from the
    /// back, the rest in order, and rebuilds the map with `from_sorted_iter`.
    IntoIterRebuild {
        front: usize,
        back: usize,
    },
}

impl fmt::Debug for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Op::Insert(k, v) => write!(f, "Op::Insert({k}, {v})"),
            Op::Remove(k) => write!(f, "Op::Remove({k})"),
            Op::RemoveEntry(k) => write!(f, "Op::RemoveEntry({k})"),
            Op::GetMut(k, v) => write!(f, "Op::GetMut({k}, {v})"),
            Op::EntryOrInsert(k, v) => write!(f, "Op::EntryOrInsert({k}, {v})"),
            Op::EntryOrInsertWith(k, v) => write!(f, "Op::EntryOrInsertWith({k}, {v})"),
            Op::EntryOrInsertWithKey(k) => write!(f, "Op::EntryOrInsertWithKey({k})"),
            Op::EntryOrDefault(k) => write!(f, "Op::EntryOrDefault({k})"),
            Op::EntryAndModify(k, v) => write!(f, "Op::EntryAndModify({k}, {v})"),
            Op::EntryInsert(k, v) => write!(f, "Op::EntryInsert({k}, {v})"),
            Op::EntryRemove(k) => write!(f, "Op::EntryRemove({k})"),
            Op::EntryRemoveEntry(k) => write!(f, "Op::EntryRemoveEntry({k})"),
            Op::EntryGetMut(k, v) => write!(f, "Op::EntryGetMut({k}, {v})"),
            Op::PopFirst => write!(f, "Op::PopFirst"),
            Op::PopLast => write!(f, "Op::PopLast"),
            Op::Retain(keep) => write!(f, "Op::Retain({keep:?})"),
            Op::Clear => write!(f, "Op::Clear"),
            Op::Append(es) => write!(f, "Op::Append(vec!{es:?})"),
            Op::AppendEdited(es) => write!(f, "Op::AppendEdited(vec!{es:?})"),
            Op::SplitOff(k, half) => write!(f, "Op::SplitOff({k}, {half:?})"),
            Op::Extend(es) => write!(f, "Op::Extend(vec!{es:?})"),
            Op::Inserted(k, v) => write!(f, "Op::Inserted({k}, {v})"),
            Op::Removed(k) => write!(f, "Op::Removed({k})"),
            Op::IterMut { front, back, add } => write!(
                f,
                "Op::IterMut {{ front: {front}, back: {back}, add: {add} }}"
            ),
            Op::ValuesMut(add) => write!(f, "Op::ValuesMut({add})"),
            Op::IntoIterRebuild { front, back } => {
                write!(f, "Op::IntoIterRebuild {{ front: {front}, back: {back} }}")
            }
        }
    }
}

impl Op {
    /// Performs the operation on `map` and on `model`, asserting that both
    /// return the same.
    #[allow(clippy::too_many_lines)] // one arm per operation reads best
    pub fn apply<P: PointerKind>(
        &self,
        map: &mut AvlMap<u16, u32, P>,
        model: &mut Model,
    ) -> Result<(), TestCaseError> {
        match *self {
            Op::Insert(k, v) => prop_assert_eq!(map.insert(k, v), model.insert(k, v)),
            Op::Remove(k) => prop_assert_eq!(map.remove(&k), model.remove(&k)),
            Op::RemoveEntry(k) => prop_assert_eq!(map.remove_entry(&k), model.remove_entry(&k)),
            Op::GetMut(k, add) => {
                let ours = map.get_mut(&k).map(|v| bump(v, add));
                let theirs = model.get_mut(&k).map(|v| bump(v, add));
                prop_assert_eq!(ours, theirs);
            }
            Op::EntryOrInsert(k, v) => {
                let ours = bump(map.entry(k).or_insert(v), 1);
                let theirs = bump(model.entry(k).or_insert(v), 1);
                prop_assert_eq!(ours, theirs);
            }
            Op::EntryOrInsertWith(k, v) => {
                let (mut ours_ran, mut theirs_ran) = (false, false);
                let ours = *map.entry(k).or_insert_with(|| {
                    ours_ran = true;
                    v
                });
                let theirs = *model.entry(k).or_insert_with(|| {
                    theirs_ran = true;
                    v
                });
                prop_assert_eq!((ours, ours_ran), (theirs, theirs_ran));
            }
            Op::EntryOrInsertWithKey(k) => {
                let ours = *map.entry(k).or_insert_with_key(|&k| 3 * u32::from(k));
                let theirs = *model.entry(k).or_insert_with_key(|&k| 3 * u32::from(k));
                prop_assert_eq!(ours, theirs);
            }
            Op::EntryOrDefault(k) => {
                let ours = bump(map.entry(k).or_default(), 1);
                let theirs = bump(model.entry(k).or_default(), 1);
                prop_assert_eq!(ours, theirs);
            }
            Op::EntryAndModify(k, v) => {
                let ours = *map.entry(k).and_modify(|x| *x ^= v).or_insert(v);
                let theirs = *model.entry(k).and_modify(|x| *x ^= v).or_insert(v);
                prop_assert_eq!(ours, theirs);
            }
            Op::EntryInsert(k, v) => {
                prop_assert_eq!(*map.entry(k).key(), k);
                let ours = match map.entry(k) {
                    Entry::Occupied(mut e) => {
                        let old = e.insert(v);
                        (Some(old), *e.key(), *e.get())
                    }
                    Entry::Vacant(e) => (None, *e.key(), *e.insert(v)),
                };
                let theirs = match model.entry(k) {
                    StdEntry::Occupied(mut e) => {
                        let old = e.insert(v);
                        (Some(old), *e.key(), *e.get())
                    }
                    StdEntry::Vacant(e) => (None, *e.key(), *e.insert(v)),
                };
                prop_assert_eq!(ours, theirs);
            }
            Op::EntryRemove(k) => {
                let ours = match map.entry(k) {
                    Entry::Occupied(e) => Ok(e.remove()),
                    Entry::Vacant(e) => Err(e.into_key()),
                };
                let theirs = match model.entry(k) {
                    StdEntry::Occupied(e) => Ok(e.remove()),
                    StdEntry::Vacant(e) => Err(e.into_key()),
                };
                prop_assert_eq!(ours, theirs);
            }
            Op::EntryRemoveEntry(k) => {
                let ours = match map.entry(k) {
                    Entry::Occupied(e) => Ok(e.remove_entry()),
                    Entry::Vacant(e) => Err(e.into_key()),
                };
                let theirs = match model.entry(k) {
                    StdEntry::Occupied(e) => Ok(e.remove_entry()),
                    StdEntry::Vacant(e) => Err(e.into_key()),
                };
                prop_assert_eq!(ours, theirs);
            }
            Op::EntryGetMut(k, add) => {
                let ours = match map.entry(k) {
                    Entry::Occupied(mut e) => {
                        let got = bump(e.get_mut(), add);
                        Some((got, bump(e.into_mut(), 1)))
                    }
                    Entry::Vacant(_) => None,
                };
                let theirs = match model.entry(k) {
                    StdEntry::Occupied(mut e) => {
                        let got = bump(e.get_mut(), add);
                        Some((got, bump(e.into_mut(), 1)))
                    }
                    StdEntry::Vacant(_) => None,
                };
                prop_assert_eq!(ours, theirs);
            }
            Op::PopFirst => prop_assert_eq!(map.pop_first(), model.pop_first()),
            Op::PopLast => prop_assert_eq!(map.pop_last(), model.pop_last()),
            Op::Retain(keep) => {
                // Both visit every entry once, in key order.
                let (mut ours, mut theirs) = (Vec::new(), Vec::new());
                map.retain(|&k, v| {
                    ours.push(k);
                    keep.keeps(k, v)
                });
                model.retain(|&k, v| {
                    theirs.push(k);
                    keep.keeps(k, v)
                });
                prop_assert_eq!(ours, theirs);
            }
            Op::Clear => {
                map.clear();
                model.clear();
            }
            Op::Append(ref es) => {
                let mut other: AvlMap<u16, u32, P> = es.iter().copied().collect();
                let mut model_other: Model = es.iter().copied().collect();
                check_same(&other, &model_other)?;
                map.append(&mut other);
                model.append(&mut model_other);
                check_same(&other, &model_other)?;
            }
            Op::AppendEdited(ref es) => {
                let mut other = map.clone();
                other.extend(es.iter().copied());
                let mut model_other = model.clone();
                model_other.extend(es.iter().copied());
                map.append(&mut other);
                model.append(&mut model_other);
                check_same(&other, &model_other)?;
            }
            Op::SplitOff(at, half) => {
                let mut high = map.split_off(&at);
                let mut model_high = model.split_off(&at);
                check_same(map, model)?;
                check_same(&high, &model_high)?;
                match half {
                    Half::Low => {}
                    Half::High => {
                        *map = high;
                        *model = model_high;
                    }
                    Half::Rejoin => {
                        map.append(&mut high);
                        model.append(&mut model_high);
                    }
                    Half::RejoinReversed => {
                        high.append(map);
                        model_high.append(model);
                        check_same(map, model)?;
                        *map = high;
                        *model = model_high;
                    }
                }
            }
            Op::Extend(ref es) => {
                map.extend(es.iter().copied());
                model.extend(es.iter().copied());
            }
            Op::Inserted(k, v) => {
                *map = map.inserted(k, v);
                model.insert(k, v);
            }
            Op::Removed(k) => {
                let next = map.removed(&k);
                if !model.contains_key(&k) {
                    prop_assert!(next.ptr_eq(map), "removed({k}) of an absent key copied");
                }
                *map = next;
                model.remove(&k);
            }
            Op::IterMut { front, back, add } => {
                let mut ours = map.iter_mut();
                let mut theirs = model.iter_mut();
                for _ in 0..front {
                    let a = ours.next().map(|(&k, v)| (k, bump(v, add)));
                    let b = theirs.next().map(|(&k, v)| (k, bump(v, add)));
                    prop_assert_eq!(a, b);
                    prop_assert_eq!(ours.len(), theirs.len());
                }
                for _ in 0..back {
                    let a = ours.next_back().map(|(&k, v)| (k, bump(v, add)));
                    let b = theirs.next_back().map(|(&k, v)| (k, bump(v, add)));
                    prop_assert_eq!(a, b);
                    prop_assert_eq!(ours.len(), theirs.len());
                }
            }
            Op::ValuesMut(add) => {
                let ours: Vec<u32> = map.values_mut().map(|v| bump(v, add)).collect();
                let theirs: Vec<u32> = model.values_mut().map(|v| bump(v, add)).collect();
                prop_assert_eq!(ours, theirs);
            }
            Op::IntoIterRebuild { front, back } => {
                let mut ours = std::mem::take(map).into_iter();
                let mut theirs = std::mem::take(model).into_iter();
                let (mut head, mut tail) = (Vec::new(), Vec::new());
                for _ in 0..front {
                    let a = ours.next();
                    prop_assert_eq!(a, theirs.next());
                    prop_assert_eq!(ours.len(), theirs.len());
                    head.extend(a);
                }
                for _ in 0..back {
                    let a = ours.next_back();
                    prop_assert_eq!(a, theirs.next_back());
                    prop_assert_eq!(ours.len(), theirs.len());
                    tail.extend(a);
                }
                let middle: Vec<(u16, u32)> = ours.collect();
                prop_assert_eq!(&middle, &theirs.collect::<Vec<_>>());
                head.extend(middle);
                head.extend(tail.into_iter().rev());
                *map = AvlMap::from_sorted_iter(head.iter().copied())
                    .expect("into_iter yields keys in ascending order");
                *model = head.into_iter().collect();
            }
        }
        Ok(())
    }
}

fn bump(value: &mut u32, add: u32) -> u32 {
    *value = value.wrapping_add(add);
    *value
}

/// One mutating call on a set.
#[derive(Clone)]
pub enum SetOp {
    Insert(u16),
    Replace(u16),
    Remove(u16),
    Take(u16),
    PopFirst,
    PopLast,
    Retain(Keep),
    Clear,
    /// `append` of a set built from these elements.
    Append(Vec<u16>),
    /// `append` of a clone of the set with these elements inserted.
    AppendEdited(Vec<u16>),
    SplitOff(u16, Half),
    Extend(Vec<u16>),
    /// `extend` from references (`Extend<&T>`).
    ExtendRefs(Vec<u16>),
    /// `set = set.inserted(t)`.
    Inserted(u16),
    /// `set = set.removed(&t)`, `ptr_eq` to `set` when `t` is absent.
    Removed(u16),
    /// As [`Op::IntoIterRebuild`].
    IntoIterRebuild {
        front: usize,
        back: usize,
    },
}

impl fmt::Debug for SetOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetOp::Insert(t) => write!(f, "SetOp::Insert({t})"),
            SetOp::Replace(t) => write!(f, "SetOp::Replace({t})"),
            SetOp::Remove(t) => write!(f, "SetOp::Remove({t})"),
            SetOp::Take(t) => write!(f, "SetOp::Take({t})"),
            SetOp::PopFirst => write!(f, "SetOp::PopFirst"),
            SetOp::PopLast => write!(f, "SetOp::PopLast"),
            SetOp::Retain(keep) => write!(f, "SetOp::Retain({keep:?})"),
            SetOp::Clear => write!(f, "SetOp::Clear"),
            SetOp::Append(ts) => write!(f, "SetOp::Append(vec!{ts:?})"),
            SetOp::AppendEdited(ts) => write!(f, "SetOp::AppendEdited(vec!{ts:?})"),
            SetOp::SplitOff(t, half) => write!(f, "SetOp::SplitOff({t}, {half:?})"),
            SetOp::Extend(ts) => write!(f, "SetOp::Extend(vec!{ts:?})"),
            SetOp::ExtendRefs(ts) => write!(f, "SetOp::ExtendRefs(vec!{ts:?})"),
            SetOp::Inserted(t) => write!(f, "SetOp::Inserted({t})"),
            SetOp::Removed(t) => write!(f, "SetOp::Removed({t})"),
            SetOp::IntoIterRebuild { front, back } => {
                write!(
                    f,
                    "SetOp::IntoIterRebuild {{ front: {front}, back: {back} }}"
                )
            }
        }
    }
}

impl SetOp {
    /// Performs the operation on `set` and on `model`, asserting that both
    /// return the same.
    pub fn apply<P: PointerKind>(
        &self,
        set: &mut AvlSet<u16, P>,
        model: &mut SetModel,
    ) -> Result<(), TestCaseError> {
        match *self {
            SetOp::Insert(t) => prop_assert_eq!(set.insert(t), model.insert(t)),
            SetOp::Replace(t) => prop_assert_eq!(set.replace(t), model.replace(t)),
            SetOp::Remove(t) => prop_assert_eq!(set.remove(&t), model.remove(&t)),
            SetOp::Take(t) => prop_assert_eq!(set.take(&t), model.take(&t)),
            SetOp::PopFirst => prop_assert_eq!(set.pop_first(), model.pop_first()),
            SetOp::PopLast => prop_assert_eq!(set.pop_last(), model.pop_last()),
            SetOp::Retain(keep) => {
                let (mut ours, mut theirs) = (Vec::new(), Vec::new());
                set.retain(|&t| {
                    ours.push(t);
                    keep.keeps_key(t)
                });
                model.retain(|&t| {
                    theirs.push(t);
                    keep.keeps_key(t)
                });
                prop_assert_eq!(ours, theirs);
            }
            SetOp::Clear => {
                set.clear();
                model.clear();
            }
            SetOp::Append(ref ts) => {
                let mut other: AvlSet<u16, P> = ts.iter().copied().collect();
                let mut model_other: SetModel = ts.iter().copied().collect();
                check_same_set(&other, &model_other)?;
                set.append(&mut other);
                model.append(&mut model_other);
                check_same_set(&other, &model_other)?;
            }
            SetOp::AppendEdited(ref ts) => {
                let mut other = set.clone();
                other.extend(ts.iter().copied());
                let mut model_other = model.clone();
                model_other.extend(ts.iter().copied());
                set.append(&mut other);
                model.append(&mut model_other);
                check_same_set(&other, &model_other)?;
            }
            SetOp::SplitOff(at, half) => {
                let mut high = set.split_off(&at);
                let mut model_high = model.split_off(&at);
                check_same_set(set, model)?;
                check_same_set(&high, &model_high)?;
                match half {
                    Half::Low => {}
                    Half::High => {
                        *set = high;
                        *model = model_high;
                    }
                    Half::Rejoin => {
                        set.append(&mut high);
                        model.append(&mut model_high);
                    }
                    Half::RejoinReversed => {
                        high.append(set);
                        model_high.append(model);
                        check_same_set(set, model)?;
                        *set = high;
                        *model = model_high;
                    }
                }
            }
            SetOp::Extend(ref ts) => {
                set.extend(ts.iter().copied());
                model.extend(ts.iter().copied());
            }
            SetOp::ExtendRefs(ref ts) => {
                set.extend(ts);
                model.extend(ts);
            }
            SetOp::Inserted(t) => {
                *set = set.inserted(t);
                model.insert(t);
            }
            SetOp::Removed(t) => {
                let next = set.removed(&t);
                if !model.contains(&t) {
                    prop_assert!(next.ptr_eq(set), "removed({t}) of an absent element copied");
                }
                *set = next;
                model.remove(&t);
            }
            SetOp::IntoIterRebuild { front, back } => {
                let mut ours = std::mem::take(set).into_iter();
                let mut theirs = std::mem::take(model).into_iter();
                let (mut head, mut tail) = (Vec::new(), Vec::new());
                for _ in 0..front {
                    let a = ours.next();
                    prop_assert_eq!(a, theirs.next());
                    prop_assert_eq!(ours.len(), theirs.len());
                    head.extend(a);
                }
                for _ in 0..back {
                    let a = ours.next_back();
                    prop_assert_eq!(a, theirs.next_back());
                    prop_assert_eq!(ours.len(), theirs.len());
                    tail.extend(a);
                }
                let middle: Vec<u16> = ours.collect();
                prop_assert_eq!(&middle, &theirs.collect::<Vec<_>>());
                head.extend(middle);
                head.extend(tail.into_iter().rev());
                *set = AvlSet::from_sorted_iter(head.iter().copied())
                    .expect("into_iter yields elements in ascending order");
                *model = head.into_iter().collect();
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Whole runs, pasteable
// ---------------------------------------------------------------------------

/// A map run: the operations, and what to look at after each of them.
#[derive(Clone)]
pub struct MapCase {
    pub ops: Vec<Op>,
    /// Ranges checked after every step.
    pub ranges: Vec<Bounds>,
    /// Which end double-ended walks take from at each step (bit set: back).
    pub ends: u64,
}

/// A set run, as [`MapCase`].
#[derive(Clone)]
pub struct SetCase {
    pub ops: Vec<SetOp>,
    pub ranges: Vec<Bounds>,
    pub ends: u64,
}

impl fmt::Debug for MapCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_case(f, "MapCase", &self.ops, &self.ranges, self.ends)
    }
}

impl fmt::Debug for SetCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_case(f, "SetCase", &self.ops, &self.ranges, self.ends)
    }
}

/// A case as a struct literal; with `{:#?}` (as proptest prints the failing
/// input) one operation per line.
fn write_case<T: fmt::Debug>(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    ops: &[T],
    ranges: &[Bounds],
    ends: u64,
) -> fmt::Result {
    if !f.alternate() {
        return write!(
            f,
            "{name} {{ ops: vec!{ops:?}, ranges: vec!{ranges:?}, ends: {ends:#x} }}"
        );
    }
    writeln!(f, "{name} {{")?;
    writeln!(f, "    ops: vec![")?;
    for op in ops {
        writeln!(f, "        {op:?},")?;
    }
    writeln!(f, "    ],")?;
    writeln!(f, "    ranges: vec!{ranges:?},")?;
    writeln!(f, "    ends: {ends:#x},")?;
    write!(f, "}}")
}

/// Adds the step and the operation to a failure, so the message says where
/// the run went wrong.
pub fn at_step(
    step: usize,
    op: &dyn fmt::Debug,
    result: Result<(), TestCaseError>,
) -> Result<(), TestCaseError> {
    result.map_err(|e| TestCaseError::fail(format!("at step {step}, {op:?}: {e}")))
}

/// Up to `max_ops` operations over one key span.
pub fn map_case(max_ops: usize) -> impl Strategy<Value = MapCase> {
    span().prop_flat_map(move |span| {
        (
            vec(op(span), 0..max_ops),
            vec(bounds(span), 1..4),
            any::<u64>(),
        )
            .prop_map(|(ops, ranges, ends)| MapCase { ops, ranges, ends })
    })
}

/// Up to `max_ops` set operations over one key span.
pub fn set_case(max_ops: usize) -> impl Strategy<Value = SetCase> {
    span().prop_flat_map(move |span| {
        (
            vec(set_op(span), 0..max_ops),
            vec(bounds(span), 1..4),
            any::<u64>(),
        )
            .prop_map(|(ops, ranges, ends)| SetCase { ops, ranges, ends })
    })
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/// The tree is valid and holds exactly the model's entries, in order.
pub fn check_same<P: PointerKind>(
    map: &AvlMap<u16, u32, P>,
    model: &Model,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(map.check_invariants(), Ok(()));
    prop_assert_eq!(map.len(), model.len());
    prop_assert_eq!(
        map.iter().collect::<Vec<_>>(),
        model.iter().collect::<Vec<_>>()
    );
    Ok(())
}

/// The tree is valid and holds exactly the model's elements, in order.
pub fn check_same_set<P: PointerKind>(
    set: &AvlSet<u16, P>,
    model: &SetModel,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(set.check_invariants(), Ok(()));
    prop_assert_eq!(set.len(), model.len());
    prop_assert_eq!(
        set.iter().collect::<Vec<_>>(),
        model.iter().collect::<Vec<_>>()
    );
    Ok(())
}

/// Every read-only view of `map` agrees with `model`: the entries both ways
/// and from both ends, the first and last, every lookup and order statistic
/// of every key and of the gaps between keys, and each of `ranges` (items,
/// `len`, reversed, both ends).
pub fn check_map_views<P: PointerKind>(
    map: &AvlMap<u16, u32, P>,
    model: &Model,
    ranges: &[Bounds],
    ends: u64,
) -> Result<(), TestCaseError> {
    check_same(map, model)?;
    prop_assert_eq!(map.is_empty(), model.is_empty());
    prop_assert_eq!(map.first_key_value(), model.first_key_value());
    prop_assert_eq!(map.last_key_value(), model.last_key_value());

    let entries: Vec<(&u16, &u32)> = model.iter().collect();
    prop_assert_eq!(map.iter().len(), entries.len());
    prop_assert!(map.iter().rev().eq(entries.iter().rev().copied()));
    prop_assert!(map.keys().eq(model.keys()));
    prop_assert!(map.values().eq(model.values()));
    prop_assert!(map.keys().rev().eq(model.keys().rev()));
    walk_both_ends(map.iter(), &entries, ends)?;

    for (i, &(k, v)) in entries.iter().enumerate() {
        prop_assert_eq!(map.get(k), Some(v));
        prop_assert_eq!(map.get_key_value(k), Some((k, v)));
        prop_assert!(map.contains_key(k));
        prop_assert_eq!(map.rank(k), i, "rank({})", k);
        prop_assert_eq!(map.get_index_of(k), Some(i), "get_index_of({})", k);
        prop_assert_eq!(map.get_index(i), Some((k, v)), "get_index({})", i);
        // The gap just above `k`, if it is one.
        if let Some(gap) = k.checked_add(1)
            && !model.contains_key(&gap)
        {
            prop_assert_eq!(map.rank(&gap), i + 1, "rank({}) of an absent key", gap);
            prop_assert_eq!(map.get_index_of(&gap), None);
            prop_assert_eq!(map.get(&gap), None);
            prop_assert!(!map.contains_key(&gap));
        }
    }
    if !model.contains_key(&0) {
        prop_assert_eq!(map.rank(&0), 0);
        prop_assert_eq!(map.get(&0), None);
    }
    prop_assert_eq!(map.get_index(model.len()), None);

    for &range in ranges {
        let expected: Vec<(&u16, &u32)> = model.range(range).collect();
        let ours = map.range(range);
        prop_assert_eq!(ours.len(), expected.len(), "range({:?}).len()", range);
        prop_assert_eq!(ours.clone().collect::<Vec<_>>(), expected.clone());
        prop_assert!(
            ours.clone().rev().eq(expected.iter().rev().copied()),
            "range({:?}).rev()",
            range
        );
        walk_both_ends(ours, &expected, ends)?;
    }
    Ok(())
}

/// [`check_map_views`] for sets.
pub fn check_set_views<P: PointerKind>(
    set: &AvlSet<u16, P>,
    model: &SetModel,
    ranges: &[Bounds],
    ends: u64,
) -> Result<(), TestCaseError> {
    check_same_set(set, model)?;
    prop_assert_eq!(set.is_empty(), model.is_empty());
    prop_assert_eq!(set.first(), model.first());
    prop_assert_eq!(set.last(), model.last());

    let elements: Vec<&u16> = model.iter().collect();
    prop_assert_eq!(set.iter().len(), elements.len());
    prop_assert!(set.iter().rev().eq(model.iter().rev()));
    walk_both_ends(set.iter(), &elements, ends)?;

    for (i, &t) in elements.iter().enumerate() {
        prop_assert!(set.contains(t));
        prop_assert_eq!(set.get(t), Some(t));
        prop_assert_eq!(set.rank(t), i, "rank({})", t);
        prop_assert_eq!(set.get_index_of(t), Some(i), "get_index_of({})", t);
        prop_assert_eq!(set.get_index(i), Some(t), "get_index({})", i);
        if let Some(gap) = t.checked_add(1)
            && !model.contains(&gap)
        {
            prop_assert_eq!(set.rank(&gap), i + 1, "rank({}) of an absent element", gap);
            prop_assert_eq!(set.get_index_of(&gap), None);
            prop_assert!(!set.contains(&gap));
            prop_assert_eq!(set.get(&gap), None);
        }
    }
    if !model.contains(&0) {
        prop_assert_eq!(set.rank(&0), 0);
    }
    prop_assert_eq!(set.get_index(model.len()), None);

    for &range in ranges {
        let expected: Vec<&u16> = model.range(range).collect();
        let ours = set.range(range);
        prop_assert_eq!(ours.len(), expected.len(), "range({:?}).len()", range);
        prop_assert_eq!(ours.clone().collect::<Vec<_>>(), expected.clone());
        prop_assert!(
            ours.clone().rev().eq(expected.iter().rev().copied()),
            "range({:?}).rev()",
            range
        );
        walk_both_ends(ours, &expected, ends)?;
    }
    Ok(())
}

/// Takes every item of `iter`, from the front or the back as the bits of
/// `ends` say (lowest first; set means back), checking each item and the
/// `len` left against `expected`; then that the spent iterator stays spent.
pub fn walk_both_ends<I>(
    mut iter: I,
    expected: &[I::Item],
    mut ends: u64,
) -> Result<(), TestCaseError>
where
    I: DoubleEndedIterator + ExactSizeIterator,
    I::Item: PartialEq + fmt::Debug,
{
    let (mut front, mut back) = (0, expected.len());
    while front < back {
        let (got, want) = if ends & 1 == 1 {
            back -= 1;
            (iter.next_back(), &expected[back])
        } else {
            front += 1;
            (iter.next(), &expected[front - 1])
        };
        prop_assert_eq!(got.as_ref(), Some(want));
        prop_assert_eq!(iter.len(), back - front);
        prop_assert_eq!(iter.size_hint(), (back - front, Some(back - front)));
        ends = ends.rotate_right(1);
    }
    prop_assert!(iter.next().is_none());
    prop_assert!(iter.next_back().is_none());
    prop_assert!(iter.next().is_none());
    Ok(())
}
