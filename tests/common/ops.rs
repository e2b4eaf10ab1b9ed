//! The operations: one mutating call each on an `AvlMap` or `AvlSet`, made
//! on the model too, with their return values compared.
//!
//! The model's `extract_if` and `insert_entry` are std's, stable since Rust
//! 1.91 and 1.92: the tests need that toolchain, the library only its
//! `rust-version`.
#![allow(clippy::incompatible_msrv)]

use persistent_avl::{GenericAvlMap, GenericAvlSet};
use std::collections::btree_map::Entry as StdEntry;
use std::fmt;

use persistent_avl::PointerKind;
use persistent_avl::map::Entry;

use super::*;
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

/// An `extract_if` predicate, drawn from a few: which entries it picks
/// (removes and yields), and whether it changes the values it sees, as
/// std's lets it, picked or kept.
#[derive(Clone, Copy)]
pub enum Pick {
    /// Keys with `key % m == r`.
    KeyMod(u16, u16),
    /// Maps only: adds `add` to every value it sees, then picks as
    /// `KeyMod(m, r)`.
    KeyModBump(u16, u16, u32),
    /// Maps only: odd values.
    OddValues,
    All,
    Nothing,
    /// Maps only: adds `add` to every value it sees and picks none.
    NothingBump(u32),
}

impl Pick {
    pub fn picks(self, key: u16, value: &mut u32) -> bool {
        match self {
            Pick::KeyModBump(m, r, add) => {
                bump(value, add);
                key % m == r
            }
            Pick::OddValues => *value % 2 == 1,
            Pick::NothingBump(add) => {
                bump(value, add);
                false
            }
            _ => self.picks_key(key),
        }
    }

    pub fn picks_key(self, key: u16) -> bool {
        match self {
            Pick::KeyMod(m, r) => key % m == r,
            Pick::All => true,
            Pick::Nothing => false,
            Pick::KeyModBump(..) | Pick::OddValues | Pick::NothingBump(_) => {
                unreachable!("{self:?} reads values; sets have none")
            }
        }
    }
}

impl fmt::Debug for Pick {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pick::KeyMod(m, r) => write!(f, "Pick::KeyMod({m}, {r})"),
            Pick::KeyModBump(m, r, add) => write!(f, "Pick::KeyModBump({m}, {r}, {add})"),
            Pick::OddValues => write!(f, "Pick::OddValues"),
            Pick::All => write!(f, "Pick::All"),
            Pick::Nothing => write!(f, "Pick::Nothing"),
            Pick::NothingBump(add) => write!(f, "Pick::NothingBump({add})"),
        }
    }
}

/// What to do with an occupied entry (from `first_entry`, `last_entry` or
/// `insert_entry`): each returns the key and a value, or nothing.
#[derive(Clone, Copy)]
pub enum OnEntry {
    /// Only `key()` and `get()`.
    Read,
    /// `get_mut`, adding to the value.
    GetMut(u32),
    /// `insert`, returning the old value.
    Insert(u32),
    /// `into_mut`, adding to the value.
    IntoMut(u32),
    Remove,
    RemoveEntry,
}

impl fmt::Debug for OnEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OnEntry::Read => write!(f, "OnEntry::Read"),
            OnEntry::GetMut(add) => write!(f, "OnEntry::GetMut({add})"),
            OnEntry::Insert(v) => write!(f, "OnEntry::Insert({v})"),
            OnEntry::IntoMut(add) => write!(f, "OnEntry::IntoMut({add})"),
            OnEntry::Remove => write!(f, "OnEntry::Remove"),
            OnEntry::RemoveEntry => write!(f, "OnEntry::RemoveEntry"),
        }
    }
}

/// Does `$then` (an [`OnEntry`]) with the occupied entry `$entry`, ours or
/// std's (their types differ, the code is the same). Gives what the entry
/// held, and the key and value the call returned, if any.
macro_rules! on_occupied {
    ($entry:expr, $then:expr) => {{
        let mut entry = $entry;
        let held: (u16, u32) = (*entry.key(), *entry.get());
        let returned: Option<(u16, u32)> = match $then {
            OnEntry::Read => None,
            OnEntry::GetMut(add) => Some((held.0, bump(entry.get_mut(), add))),
            OnEntry::Insert(value) => Some((held.0, entry.insert(value))),
            OnEntry::IntoMut(add) => Some((held.0, bump(entry.into_mut(), add))),
            OnEntry::Remove => Some((held.0, entry.remove())),
            OnEntry::RemoveEntry => Some(entry.remove_entry()),
        };
        (held, returned)
    }};
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
    /// `extract_if(range, pick)`: takes every item, or only `stop_after`
    /// of them and drops the iterator, so that the entries not yet visited
    /// must stay. Also compares the keys `pick` was called on, in order.
    ExtractIf {
        range: Bounds,
        pick: Pick,
        stop_after: Option<usize>,
    },
    /// `range_mut(range)`, any bounds (std's panics must be ours), adding
    /// `delta` to every value lent; the bits of `ends` (lowest first) say
    /// which end each step takes from (set: the back).
    RangeMut {
        range: Bounds,
        delta: u32,
        ends: u8,
    },
    FirstEntry(OnEntry),
    LastEntry(OnEntry),
    /// `entry(k).insert_entry(v)`, occupied or vacant, then `then` with
    /// the entry it returns.
    InsertEntry(u16, u32, OnEntry),
    /// Vacant: `insert_entry(v)`, then `then`; occupied: reads it.
    VacantInsertEntry(u16, u32, OnEntry),
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
            Op::ExtractIf {
                range,
                pick,
                stop_after,
            } => write!(
                f,
                "Op::ExtractIf {{ range: {range:?}, pick: {pick:?}, stop_after: {stop_after:?} }}"
            ),
            Op::RangeMut { range, delta, ends } => write!(
                f,
                "Op::RangeMut {{ range: {range:?}, delta: {delta}, ends: {ends:#x} }}"
            ),
            Op::FirstEntry(then) => write!(f, "Op::FirstEntry({then:?})"),
            Op::LastEntry(then) => write!(f, "Op::LastEntry({then:?})"),
            Op::InsertEntry(k, v, then) => write!(f, "Op::InsertEntry({k}, {v}, {then:?})"),
            Op::VacantInsertEntry(k, v, then) => {
                write!(f, "Op::VacantInsertEntry({k}, {v}, {then:?})")
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
        map: &mut GenericAvlMap<u16, u32, P>,
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
                let mut other: GenericAvlMap<u16, u32, P> = es.iter().copied().collect();
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
                *map = GenericAvlMap::from_sorted_iter(head.iter().copied())
                    .expect("into_iter yields keys in ascending order");
                *model = head.into_iter().collect();
            }
            Op::ExtractIf {
                range,
                pick,
                stop_after,
            } => {
                let on_empty = model.is_empty().then(|| (Vec::new(), Vec::new(), None));
                let mut hints = Vec::new();
                let ours = outcome(|| {
                    let mut seen = Vec::new();
                    let mut iter = map.extract_if(range, |&k, v| {
                        seen.push(k);
                        pick.picks(k, v)
                    });
                    let (items, again) = extract_some(&mut iter, stop_after, &mut hints);
                    drop(iter);
                    (items, seen, again)
                });
                let theirs = outcome(|| {
                    let mut seen = Vec::new();
                    let mut iter = model.extract_if(range, |&k, v| {
                        seen.push(k);
                        pick.picks(k, v)
                    });
                    let (items, again) = extract_some(&mut iter, stop_after, &mut Vec::new());
                    drop(iter);
                    (items, seen, again)
                });
                if let Ok((items, _, _)) = &ours {
                    check_extract_hints(&hints, items.len(), stop_after.is_none())?;
                }
                check_outcome(ours, theirs, on_empty, ("BTreeMap", "AvlMap"))?;
            }
            Op::RangeMut { range, delta, ends } => {
                let on_empty = model.is_empty().then(|| (Vec::new(), true));
                let mut hints = Vec::new();
                let ours = outcome(|| {
                    lend_both_ends(map.range_mut(range), ends, delta, |iter| {
                        hints.push(iter.size_hint());
                    })
                });
                let theirs =
                    outcome(|| lend_both_ends(model.range_mut(range), ends, delta, |_| {}));
                if let Ok((items, _)) = &ours {
                    // Exact, as `len()`: one hint before each step, the last
                    // before the step that found nothing.
                    let n = items.len();
                    let expected: Vec<_> = (0..=n).rev().map(|left| (left, Some(left))).collect();
                    prop_assert_eq!(&hints, &expected, "range_mut size_hint");
                }
                check_outcome(ours, theirs, on_empty, ("BTreeMap", "AvlMap"))?;
            }
            Op::FirstEntry(then) => {
                let ours = map.first_entry().map(|e| on_occupied!(e, then));
                let theirs = model.first_entry().map(|e| on_occupied!(e, then));
                prop_assert_eq!(ours, theirs);
            }
            Op::LastEntry(then) => {
                let ours = map.last_entry().map(|e| on_occupied!(e, then));
                let theirs = model.last_entry().map(|e| on_occupied!(e, then));
                prop_assert_eq!(ours, theirs);
            }
            Op::InsertEntry(k, v, then) => {
                let ours = on_occupied!(map.entry(k).insert_entry(v), then);
                let theirs = on_occupied!(model.entry(k).insert_entry(v), then);
                prop_assert_eq!(ours, theirs);
            }
            Op::VacantInsertEntry(k, v, then) => {
                let ours = match map.entry(k) {
                    Entry::Vacant(e) => Ok(on_occupied!(e.insert_entry(v), then)),
                    Entry::Occupied(e) => Err((*e.key(), *e.get())),
                };
                let theirs = match model.entry(k) {
                    StdEntry::Vacant(e) => Ok(on_occupied!(e.insert_entry(v), then)),
                    StdEntry::Occupied(e) => Err((*e.key(), *e.get())),
                };
                prop_assert_eq!(ours, theirs);
            }
        }
        Ok(())
    }
}

/// Takes items from an `extract_if` until it ends, or until `stop_after`
/// are taken; records its `size_hint` before each step in `hints`. Gives
/// the items, and, if it ended, what one more `next` returns (it is fused:
/// nothing).
fn extract_some<I: Iterator>(
    iter: &mut I,
    stop_after: Option<usize>,
    hints: &mut Vec<(usize, Option<usize>)>,
) -> (Vec<I::Item>, Option<I::Item>) {
    let mut items = Vec::new();
    while stop_after.is_none_or(|n| items.len() < n) {
        hints.push(iter.size_hint());
        match iter.next() {
            Some(item) => items.push(item),
            None => return (items, iter.next()),
        }
    }
    (items, None)
}

/// The `size_hint`s of an `extract_if` taken `yielded` items from (to its
/// end if `ended`) were sound: each upper bound at least the items it went
/// on to yield, each lower bound at most those (when all are known).
fn check_extract_hints(
    hints: &[(usize, Option<usize>)],
    yielded: usize,
    ended: bool,
) -> Result<(), TestCaseError> {
    for (step, &(low, high)) in hints.iter().enumerate() {
        let later = yielded.saturating_sub(step);
        prop_assert!(
            high.is_none_or(|high| high >= later),
            "extract_if size_hint {:?} before step {}, and {} items followed",
            (low, high),
            step,
            later
        );
        if ended {
            prop_assert!(
                low <= later,
                "extract_if size_hint {:?} before step {}, and only {} items followed",
                (low, high),
                step,
                later
            );
        }
    }
    Ok(())
}

/// Takes every item of a `range_mut`, from the ends the bits of `ends`
/// say, adding `add` to each value; calls `hint` before each step. Gives
/// the entries as changed, in the order taken, and whether the spent
/// iterator stays spent at both ends.
fn lend_both_ends<'a, I>(
    mut iter: I,
    mut ends: u8,
    add: u32,
    mut hint: impl FnMut(&I),
) -> (Vec<(u16, u32)>, bool)
where
    I: DoubleEndedIterator<Item = (&'a u16, &'a mut u32)>,
{
    let mut items = Vec::new();
    loop {
        hint(&iter);
        let item = if ends & 1 == 1 {
            iter.next_back()
        } else {
            iter.next()
        };
        ends = ends.rotate_right(1);
        let Some((&k, v)) = item else { break };
        items.push((k, bump(v, add)));
    }
    let spent = iter.next().is_none() && iter.next_back().is_none();
    (items, spent)
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
    /// As [`Op::ExtractIf`], picking by element.
    ExtractIf {
        range: Bounds,
        pick: Pick,
        stop_after: Option<usize>,
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
            SetOp::ExtractIf {
                range,
                pick,
                stop_after,
            } => write!(
                f,
                "SetOp::ExtractIf {{ range: {range:?}, pick: {pick:?}, stop_after: {stop_after:?} }}"
            ),
        }
    }
}

impl SetOp {
    /// Performs the operation on `set` and on `model`, asserting that both
    /// return the same.
    pub fn apply<P: PointerKind>(
        &self,
        set: &mut GenericAvlSet<u16, P>,
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
                let mut other: GenericAvlSet<u16, P> = ts.iter().copied().collect();
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
                *set = GenericAvlSet::from_sorted_iter(head.iter().copied())
                    .expect("into_iter yields elements in ascending order");
                *model = head.into_iter().collect();
            }
            SetOp::ExtractIf {
                range,
                pick,
                stop_after,
            } => {
                let on_empty = model.is_empty().then(|| (Vec::new(), Vec::new(), None));
                let mut hints = Vec::new();
                let ours = outcome(|| {
                    let mut seen = Vec::new();
                    let mut iter = set.extract_if(range, |&t| {
                        seen.push(t);
                        pick.picks_key(t)
                    });
                    let (items, again) = extract_some(&mut iter, stop_after, &mut hints);
                    drop(iter);
                    (items, seen, again)
                });
                let theirs = outcome(|| {
                    let mut seen = Vec::new();
                    let mut iter = model.extract_if(range, |&t| {
                        seen.push(t);
                        pick.picks_key(t)
                    });
                    let (items, again) = extract_some(&mut iter, stop_after, &mut Vec::new());
                    drop(iter);
                    (items, seen, again)
                });
                if let Ok((items, _, _)) = &ours {
                    check_extract_hints(&hints, items.len(), stop_after.is_none())?;
                }
                check_outcome(ours, theirs, on_empty, ("BTreeSet", "AvlSet"))?;
            }
        }
        Ok(())
    }
}
