//! The operations: one mutating call each on an `AvlMap` or `AvlSet`, made
//! on the model too, with their return values compared.

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
        }
        Ok(())
    }
}
