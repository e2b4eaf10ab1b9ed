//! Map operations: every mutating and reading call of `AvlMap`, each made
//! on the map and on its `BTreeMap` model, with the results compared.

use persistent_avl::GenericAvlMap;
use std::collections::btree_map::{Entry as StdEntry, OccupiedEntry as StdOccupied};
use std::fmt::Debug;

use arbitrary::Arbitrary;
use persistent_avl::PointerKind;
use persistent_avl::map::{Entry, OccupiedEntry};

use crate::check::{self, Model, same_outcome};
use crate::panics::catch;
use crate::{End, Half, Keep, drawn_bounds};

/// The map every target fuzzes: small keys, so that inserts collide and
/// removals hit.
pub type Map<P> = GenericAvlMap<u8, u32, P>;

/// A version and its model.
pub type Version<P> = (Map<P>, Model);

/// One call (or a few related calls) on a map.
#[derive(Arbitrary, Clone, Debug)]
pub enum MapOp {
    Insert(u8, u32),
    /// The persistent form; the new version is kept, and becomes current
    /// if `adopt`.
    Inserted {
        key: u8,
        value: u32,
        adopt: bool,
    },
    Remove(u8),
    Removed {
        key: u8,
        adopt: bool,
    },
    RemoveEntry(u8),
    /// `get`, `get_key_value`, `contains_key`, `rank`, `get_index_of`,
    /// `get_index` and `map[&key]`.
    Get(u8),
    /// `get_mut`, adding to the value found.
    GetMut(u8, u32),
    GetIndex(u8),
    Entry(u8, EntryOp),
    PopFirst,
    PopLast,
    Retain(Keep),
    Clear,
    /// Appends a map built from these entries.
    Append(Vec<(u8, u32)>),
    /// Appends (a clone of) a kept version, which shares nodes with it.
    AppendVersion(u8),
    SplitOff(u8, Half),
    Extend(Vec<(u8, u32)>),
    ExtendRefs(Vec<(u8, u32)>),
    /// Extends with `count` keys from `start` on, `step` apart, all with
    /// `value`: a large map from a few bytes.
    Fill {
        start: u8,
        count: u8,
        step: u8,
        value: u32,
    },
    /// `from_iter`; duplicate keys are likely, and the last one wins.
    FromIter {
        entries: Vec<(u8, u32)>,
        adopt: bool,
    },
    /// `from_sorted_iter` of the entries, first sorted and deduplicated by
    /// key if `sort`: `Ok` exactly when the keys strictly ascend.
    FromSortedIter {
        entries: Vec<(u8, u32)>,
        sort: bool,
        adopt: bool,
    },
    /// `iter_mut`: takes `front` items from the front, then `back` from the
    /// back, adding `add` to each value.
    IterMut {
        front: u8,
        back: u8,
        add: u32,
    },
    ValuesMut(u32),
    /// `into_iter`, `into_keys` or `into_values` of a clone, or of the map
    /// itself if `consume` (entries only; the map becomes what was read),
    /// read from both ends and dropped part way.
    IntoIter {
        front: u8,
        back: u8,
        which: IntoWhich,
        consume: bool,
    },
    /// `range` with any bounds; `ends` says which end each step reads.
    Range(End, End, u64),
    /// `extract_if` over the range, whatever its bounds (see
    /// [`drawn_bounds`]), removing the entries `rule` would not keep and
    /// changing values as `rule` does; takes every item, or only
    /// `stop_after` of them and drops the iterator, so that the entries it
    /// has not visited stay.
    ExtractIf {
        start: End,
        end: End,
        rule: Keep,
        stop_after: Option<u8>,
    },
    /// `range_mut` with any bounds, adding `add` to every value lent;
    /// `ends` says which end each step takes from.
    RangeMut {
        start: End,
        end: End,
        add: u32,
        ends: u64,
    },
    /// `first_entry`, then one thing with it.
    FirstEntry(OccupiedOp),
    /// `last_entry`, then one thing with it.
    LastEntry(OccupiedOp),
    /// Makes a kept version current again: a branch.
    SwitchTo(u8),
    /// A whole-tree operation of the map with a kept version (which shares
    /// nodes with it, or not if `unshared`), or on the map alone; the
    /// result is kept, and becomes current if `adopt`.
    Whole {
        how: Whole,
        with: u8,
        adopt: bool,
    },
}

/// The whole-tree operations, each returning a new version.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Whole {
    Union,
    UnionWith,
    /// `union_map_with_idempotent` with `max`, which keeps its promise.
    UnionWithIdempotent,
    Intersection,
    IntersectionWith,
    Difference,
    SymmetricDifference,
    Filter(Keep),
    FilterMap(Keep),
    MapValues(u32),
    Split(u8),
    SplitAt(u8),
    RangeMap(End, End),
}

/// What the `entry` call does.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum EntryOp {
    OrInsert(u32),
    OrInsertWith(u32),
    OrInsertWithKey,
    OrDefault,
    /// `and_modify(add).or_insert(value)`.
    AndModify(u32, u32),
    Key,
    /// `insert_entry(value)`, then one thing with the entry it returns.
    InsertEntry(u32, OccupiedOp),
    /// Matches on the entry and does one thing with it, whichever it is
    /// (after `VacantOp::InsertEntry`, the `OccupiedOp` with the entry it
    /// returns).
    Match(OccupiedOp, VacantOp),
}

#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum OccupiedOp {
    Get,
    Insert(u32),
    Remove,
    RemoveEntry,
    GetMut(u32),
    IntoMut(u32),
}

#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum VacantOp {
    Insert(u32),
    IntoKey,
    InsertEntry(u32),
}

#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntoWhich {
    Entries,
    Keys,
    Values,
}

impl MapOp {
    /// The key the operation is about, for a closer look after it.
    pub fn key(&self) -> Option<u8> {
        match *self {
            MapOp::Insert(key, _)
            | MapOp::Inserted { key, .. }
            | MapOp::Remove(key)
            | MapOp::Removed { key, .. }
            | MapOp::RemoveEntry(key)
            | MapOp::Get(key)
            | MapOp::GetMut(key, _)
            | MapOp::Entry(key, _)
            | MapOp::SplitOff(key, _) => Some(key),
            _ => None,
        }
    }
}

/// The maps `how` makes from `map` (and `other`), with their models, each
/// checked by the caller; `map` itself must not change.
fn whole<P: PointerKind>(
    how: Whole,
    map: &Map<P>,
    model: &Model,
    other: &Map<P>,
    other_model: &Model,
    what: &dyn Debug,
) -> Vec<Version<P>> {
    let combine = |a: u32, b: u32| a.wrapping_mul(31).wrapping_add(b);
    let in_other = |k: &u8| other_model.contains_key(k);
    let results = match how {
        Whole::Union => {
            let mut m = model.clone();
            m.extend(other_model.iter().map(|(&k, &v)| (k, v)));
            vec![(map.union_map(other), m)]
        }
        Whole::UnionWith => {
            let mut m = model.clone();
            for (&k, &v) in other_model {
                m.entry(k).and_modify(|a| *a = combine(*a, v)).or_insert(v);
            }
            vec![(map.union_map_with(other, |_, a, b| combine(a, b)), m)]
        }
        Whole::UnionWithIdempotent => {
            let mut m = model.clone();
            for (&k, &v) in other_model {
                m.entry(k).and_modify(|a| *a = (*a).max(v)).or_insert(v);
            }
            vec![(map.union_map_with_idempotent(other, |_, a, b| a.max(b)), m)]
        }
        Whole::Intersection => {
            let m = model
                .iter()
                .filter(|(k, _)| in_other(k))
                .map(|(&k, &v)| (k, v))
                .collect();
            vec![(map.intersection_map(other), m)]
        }
        Whole::IntersectionWith => {
            let m = model
                .iter()
                .filter_map(|(&k, &v)| other_model.get(&k).map(|&w| (k, combine(v, w))))
                .collect();
            vec![(map.intersection_map_with(other, |_, a, b| combine(a, b)), m)]
        }
        Whole::Difference => {
            let m = model
                .iter()
                .filter(|(k, _)| !in_other(k))
                .map(|(&k, &v)| (k, v))
                .collect();
            vec![(map.difference_map(other), m)]
        }
        Whole::SymmetricDifference => {
            let mut m: Model = model
                .iter()
                .filter(|(k, _)| !in_other(k))
                .map(|(&k, &v)| (k, v))
                .collect();
            m.extend(
                other_model
                    .iter()
                    .filter(|(k, _)| !model.contains_key(k))
                    .map(|(&k, &v)| (k, v)),
            );
            vec![(map.symmetric_difference_map(other), m)]
        }
        Whole::Filter(rule) => {
            let m = model
                .iter()
                .filter(|(k, _)| rule.keeps_key(**k))
                .map(|(&k, &v)| (k, v))
                .collect();
            vec![(map.filter(|&k, _| rule.keeps_key(k)), m)]
        }
        Whole::FilterMap(rule) => {
            let f = |k: u8, v: u32| rule.keeps_key(k).then(|| v ^ u32::from(k));
            let m = model
                .iter()
                .filter_map(|(&k, &v)| f(k, v).map(|w| (k, w)))
                .collect();
            vec![(map.filter_map(|&k, &v| f(k, v)), m)]
        }
        Whole::MapValues(add) => {
            let m = model
                .iter()
                .map(|(&k, &v)| (k, v.wrapping_add(add)))
                .collect();
            vec![(map.map_values(|_, v| v.wrapping_add(add)), m)]
        }
        Whole::Split(key) => {
            let (below, found, above) = map.split(&key);
            assert_eq!(
                found,
                model.get(&key).map(|&v| (key, v)),
                "{what:?}: split found"
            );
            let low = model.range(..key).map(|(&k, &v)| (k, v)).collect();
            let high = model
                .range(key..)
                .filter(|(k, _)| **k != key)
                .map(|(&k, &v)| (k, v))
                .collect();
            vec![(below, low), (above, high)]
        }
        Whole::SplitAt(index) => {
            let index = usize::from(index);
            let (first, rest) = map.split_at(index);
            let low = model.iter().take(index).map(|(&k, &v)| (k, v)).collect();
            let high = model.iter().skip(index).map(|(&k, &v)| (k, v)).collect();
            vec![(first, low), (rest, high)]
        }
        Whole::RangeMap(start, end) => {
            let bounds = (start.bound(), end.bound());
            let ours = catch(|| map.range_map(bounds));
            let std = catch(|| {
                model
                    .range(bounds)
                    .map(|(&k, &v)| (k, v))
                    .collect::<Model>()
            });
            match (ours, std) {
                (Ok(ours), Ok(std)) => vec![(ours, std)],
                // A non-empty std map panics on crossed bounds; ours must too,
                // and an empty one of ours does not check them.
                (Err(_), Err(_)) => vec![],
                (Ok(ours), Err(_)) if map.is_empty() => vec![(ours, Model::new())],
                (ours, std) => panic!(
                    "{what:?}: range_map panicked: ours {}, std {}",
                    ours.is_err(),
                    std.is_err()
                ),
            }
        }
    };
    check::map(map, model, &(what, "the map, after"));
    results
}

/// A copy of `map` that shares no node with it.
pub fn deep_copy<P: PointerKind>(map: &Map<P>) -> Map<P> {
    map.iter().map(|(&k, &v)| (k, v)).collect()
}

/// Applies `op` to `map` and `model`, comparing every result.
///
/// `kept` are the earlier versions (`SwitchTo`, `AppendVersion` read them).
/// Returns the other versions the operation made (persistent forms, built
/// maps, split halves), each with its model, unless `unshared`: then `map`
/// is a twin that no other version may share, so kept versions are copied
/// node by node and nothing the operation makes is returned.
pub fn apply<P: PointerKind>(
    op: &MapOp,
    map: &mut Map<P>,
    model: &mut Model,
    kept: &[Version<P>],
    unshared: bool,
    what: &dyn Debug,
) -> Vec<Version<P>> {
    let mut made = Vec::new();
    let mut keep = |version: &Map<P>, model: &Model| {
        if !unshared {
            made.push((version.clone(), model.clone()));
        }
    };
    match *op {
        MapOp::Insert(key, value) => {
            assert_eq!(map.insert(key, value), model.insert(key, value), "{what:?}");
        }
        MapOp::Inserted { key, value, adopt } => {
            let new = map.inserted(key, value);
            let mut new_model = model.clone();
            new_model.insert(key, value);
            check::map(&new, &new_model, &(what, "the new version"));
            keep(&new, &new_model);
            if adopt {
                (*map, *model) = (new, new_model);
            }
        }
        MapOp::Remove(key) => {
            assert_eq!(map.remove(&key), model.remove(&key), "{what:?}");
        }
        MapOp::Removed { key, adopt } => {
            let new = map.removed(&key);
            let mut new_model = model.clone();
            if new_model.remove(&key).is_none() {
                assert!(
                    new.ptr_eq(map),
                    "{what:?}: removing an absent key made a new root"
                );
            }
            check::map(&new, &new_model, &(what, "the new version"));
            keep(&new, &new_model);
            if adopt {
                (*map, *model) = (new, new_model);
            }
        }
        MapOp::RemoveEntry(key) => {
            assert_eq!(map.remove_entry(&key), model.remove_entry(&key), "{what:?}");
        }
        MapOp::Get(key) => {
            check::map_probe(map, model, key, what);
            let std_result = catch(|| model[&key]);
            let our_result = catch(|| map[&key]);
            if let Some((a, b)) = same_outcome(std_result, our_result, "BTreeMap", "AvlMap", what) {
                assert_eq!(a, b, "{what:?}: map[&key]");
            }
        }
        MapOp::GetMut(key, add) => match (map.get_mut(&key), model.get_mut(&key)) {
            (Some(ours), Some(std)) => {
                assert_eq!(ours, std, "{what:?}");
                *ours = ours.wrapping_add(add);
                *std = std.wrapping_add(add);
            }
            (None, None) => {}
            (ours, std) => panic!("{what:?}: get_mut: ours {ours:?}, std {std:?}"),
        },
        MapOp::GetIndex(index) => {
            let index = usize::from(index);
            assert_eq!(map.get_index(index), model.iter().nth(index), "{what:?}");
        }
        MapOp::Entry(key, op) => entry(map, model, key, op, what),
        MapOp::PopFirst => assert_eq!(map.pop_first(), model.pop_first(), "{what:?}"),
        MapOp::PopLast => assert_eq!(map.pop_last(), model.pop_last(), "{what:?}"),
        MapOp::Retain(rule) => {
            let (mut ours, mut std) = (Vec::new(), Vec::new());
            map.retain(|&k, v| {
                ours.push(k);
                rule.keeps(k, v)
            });
            model.retain(|&k, v| {
                std.push(k);
                rule.keeps(k, v)
            });
            assert_eq!(ours, std, "{what:?}: the keys retain visited");
        }
        MapOp::Clear => {
            map.clear();
            model.clear();
        }
        MapOp::Append(ref entries) => {
            let mut other = Map::<P>::empty();
            let mut other_model = Model::new();
            for &(k, v) in entries {
                other.insert(k, v);
                other_model.insert(k, v);
            }
            check::map(&other, &other_model, &(what, "the map to append"));
            map.append(&mut other);
            model.append(&mut other_model);
            check::map(&other, &other_model, &(what, "appended, so empty"));
        }
        MapOp::AppendVersion(index) => {
            if let Some((version, version_model)) = pick(kept, index) {
                let mut other = if unshared {
                    deep_copy(version)
                } else {
                    version.clone()
                };
                let mut other_model = version_model.clone();
                map.append(&mut other);
                model.append(&mut other_model);
                check::map(&other, &other_model, &(what, "appended, so empty"));
            }
        }
        MapOp::SplitOff(key, half) => {
            let mut high = map.split_off(&key);
            let mut high_model = model.split_off(&key);
            check::map(map, model, &(what, "the low half"));
            check::map(&high, &high_model, &(what, "the high half"));
            keep(map, model);
            keep(&high, &high_model);
            match half {
                Half::Low => {}
                Half::High => (*map, *model) = (high, high_model),
                Half::Rejoin => {
                    map.append(&mut high);
                    model.append(&mut high_model);
                }
                Half::RejoinReversed => {
                    high.append(map);
                    high_model.append(model);
                    check::map(map, model, &(what, "appended, so empty"));
                    (*map, *model) = (high, high_model);
                }
            }
        }
        MapOp::Extend(ref entries) => {
            map.extend(entries.iter().copied());
            model.extend(entries.iter().copied());
        }
        MapOp::Fill {
            start,
            count,
            step,
            value,
        } => {
            let keys = crate::fill(start, count, step);
            map.extend(keys.clone().map(|k| (k, value)));
            model.extend(keys.map(|k| (k, value)));
        }
        MapOp::ExtendRefs(ref entries) => {
            map.extend(entries.iter().map(|(k, v)| (k, v)));
            model.extend(entries.iter().map(|(k, v)| (k, v)));
        }
        MapOp::FromIter { ref entries, adopt } => {
            let built: Map<P> = entries.iter().copied().collect();
            let built_model: Model = entries.iter().copied().collect();
            check::map(&built, &built_model, &(what, "collected"));
            keep(&built, &built_model);
            if adopt {
                (*map, *model) = (built, built_model);
            }
        }
        MapOp::Whole { how, with, adopt } => {
            let empty = (Map::<P>::empty(), Model::new());
            let (other, other_model) = pick(kept, with).unwrap_or(&empty);
            let other = if unshared {
                deep_copy(other)
            } else {
                other.clone()
            };
            let results = whole(how, map, model, &other, other_model, what);
            check::map(&other, other_model, &(what, "the other map, after"));
            for (i, (made_map, made_model)) in results.into_iter().enumerate() {
                check::map(&made_map, &made_model, &(what, "result", i));
                if i == 0 && adopt {
                    (*map, *model) = (made_map.clone(), made_model.clone());
                }
                keep(&made_map, &made_model);
            }
        }
        MapOp::FromSortedIter {
            ref entries,
            sort,
            adopt,
        } => {
            let mut entries = entries.clone();
            if sort {
                entries.sort_by_key(|e| e.0);
                entries.dedup_by_key(|e| e.0);
            }
            let first_unsorted = entries.windows(2).position(|w| w[1].0 <= w[0].0);
            match (
                Map::<P>::from_sorted_iter(entries.iter().copied()),
                first_unsorted,
            ) {
                (Ok(built), None) => {
                    let built_model: Model = entries.iter().copied().collect();
                    check::map(&built, &built_model, &(what, "built"));
                    keep(&built, &built_model);
                    if adopt {
                        (*map, *model) = (built, built_model);
                    }
                }
                (Err(error), Some(at)) => {
                    assert_eq!(error.index(), at + 1, "{what:?}: the unsorted index");
                }
                (Ok(built), Some(at)) => {
                    panic!("{what:?}: unsorted at {} but built {built:?}", at + 1)
                }
                (Err(error), None) => panic!("{what:?}: sorted, but {error}"),
            }
        }
        MapOp::IterMut { front, back, add } => {
            let mut ours = map.iter_mut();
            let mut std = model.iter_mut();
            let len = std.len();
            assert_eq!(ours.len(), len, "{what:?}: iter_mut().len()");
            let front = usize::from(front) % (len + 1);
            let back = usize::from(back) % (len - front + 1);
            for _ in 0..front {
                bump_pair(ours.next(), std.next(), add, what);
            }
            for _ in 0..back {
                bump_pair(ours.next_back(), std.next_back(), add, what);
            }
            assert_eq!(ours.len(), std.len(), "{what:?}: iter_mut len left");
        }
        MapOp::ValuesMut(add) => {
            let mut ours = 0;
            for v in map.values_mut() {
                *v = v.wrapping_add(add);
                ours += 1;
            }
            for v in model.values_mut() {
                *v = v.wrapping_add(add);
            }
            assert_eq!(ours, model.len(), "{what:?}: values_mut count");
        }
        MapOp::IntoIter {
            front,
            back,
            which,
            consume,
        } => into_iter(map, model, front, back, which, consume, what),
        MapOp::Range(start, end, ends) => check::map_range(map, model, start, end, ends, what),
        MapOp::ExtractIf {
            start,
            end,
            rule,
            stop_after,
        } => {
            let bounds = drawn_bounds(start, end);
            let what = &(what, "extract_if", bounds);
            let (mut seen, mut std_seen) = (Vec::new(), Vec::new());
            let ours = map.extract_if(bounds, |&k, v| {
                seen.push(k);
                !rule.keeps(k, v)
            });
            let std = model.extract_if(bounds, |&k, v| {
                std_seen.push(k);
                !rule.keeps(k, v)
            });
            let (taken, std_taken) = extract_some(ours, std, stop_after, what);
            assert_eq!(taken, std_taken, "{what:?}: the entries extracted");
            assert_eq!(seen, std_seen, "{what:?}: the keys the predicate saw");
        }
        MapOp::RangeMut {
            start,
            end,
            add,
            ends,
        } => range_mut(map, model, (start.bound(), end.bound()), add, ends, what),
        MapOp::FirstEntry(op) => match (map.first_entry(), model.first_entry()) {
            (Some(ours), Some(std)) => occupied(ours, std, op, &(what, "first_entry")),
            (None, None) => {}
            (ours, std) => panic!("{what:?}: first_entry: ours {ours:?}, std {std:?}"),
        },
        MapOp::LastEntry(op) => match (map.last_entry(), model.last_entry()) {
            (Some(ours), Some(std)) => occupied(ours, std, op, &(what, "last_entry")),
            (None, None) => {}
            (ours, std) => panic!("{what:?}: last_entry: ours {ours:?}, std {std:?}"),
        },
        MapOp::SwitchTo(index) => {
            if let Some((version, version_model)) = pick(kept, index) {
                *map = if unshared {
                    deep_copy(version)
                } else {
                    version.clone()
                };
                *model = version_model.clone();
            }
        }
    }
    made
}

/// The kept version `index` names (modulo their number), if any.
pub fn pick<T>(kept: &[T], index: u8) -> Option<&T> {
    if kept.is_empty() {
        None
    } else {
        kept.get(usize::from(index) % kept.len())
    }
}

/// Takes items from both `extract_if`s, to their ends or `stop_after` of
/// them, checking each `size_hint` of ours is sound; then drops both.
pub(crate) fn extract_some<A, B>(
    mut ours: A,
    mut std: B,
    stop_after: Option<u8>,
    what: &dyn Debug,
) -> (Vec<A::Item>, Vec<B::Item>)
where
    A: Iterator,
    B: Iterator,
{
    let limit = stop_after.map_or(usize::MAX, usize::from);
    let (mut taken, mut std_taken) = (Vec::new(), Vec::new());
    let mut uppers = Vec::new();
    while taken.len() < limit {
        uppers.push(ours.size_hint().1);
        match (ours.next(), std.next()) {
            (Some(item), Some(std_item)) => {
                taken.push(item);
                std_taken.push(std_item);
            }
            (None, None) => {
                assert!(ours.next().is_none(), "{what:?}: yields after its end");
                break;
            }
            (item, std_item) => panic!(
                "{what:?}: extract_if item {}: ours {}, std {}",
                taken.len(),
                item.is_some(),
                std_item.is_some()
            ),
        }
    }
    for (step, upper) in uppers.into_iter().enumerate() {
        let later = taken.len() - step.min(taken.len());
        assert!(
            upper.is_none_or(|upper| upper >= later),
            "{what:?}: size_hint upper bound {upper:?} before step {step}, then {later} items"
        );
    }
    (taken, std_taken)
}

/// `range_mut` with any bounds against std's: the same panics (but none on
/// an empty map, as for `range`: see `check::map_range`), else the same
/// entries lent from the ends `ends` says, with `len` exact throughout;
/// adds `add` to each value lent.
fn range_mut<P: PointerKind>(
    map: &mut Map<P>,
    model: &mut Model,
    bounds: (std::ops::Bound<u8>, std::ops::Bound<u8>),
    add: u32,
    ends: u64,
    what: &dyn Debug,
) {
    let what = &(what, "range_mut", bounds);
    let model_was_empty = model.is_empty();
    let ours = catch(|| {
        let mut iter = map.range_mut(bounds);
        let len = iter.len();
        let lent = lend(&mut iter, add, ends);
        assert_eq!(lent.len(), len, "{what:?}: len");
        assert_eq!(iter.len(), 0, "{what:?}: len when spent");
        lent
    });
    let std = catch(|| lend(&mut model.range_mut(bounds), add, ends));
    if model_was_empty {
        match ours {
            Ok(lent) => assert!(lent.is_empty(), "{what:?}: lent from an empty map"),
            Err(panic) => panic!(
                "{what:?}: an empty map panicked: {:?}",
                crate::panics::message(&*panic)
            ),
        }
    } else if let Some((lent, std_lent)) = same_outcome(std, ours, "BTreeMap", "AvlMap", what) {
        assert_eq!(lent, std_lent, "{what:?}: the entries lent");
    }
}

/// Takes every item of a `range_mut`, from the ends the bits of `ends`
/// say, adding `add` to each value; gives the entries as changed, in the
/// order taken. A spent iterator must stay spent at both ends.
fn lend<'a, I>(iter: &mut I, add: u32, mut ends: u64) -> Vec<(u8, u32)>
where
    I: DoubleEndedIterator<Item = (&'a u8, &'a mut u32)>,
{
    let mut lent = Vec::new();
    loop {
        let item = if ends & 1 == 1 {
            iter.next_back()
        } else {
            iter.next()
        };
        ends = ends.rotate_right(1);
        let Some((&k, v)) = item else { break };
        *v = v.wrapping_add(add);
        lent.push((k, *v));
    }
    assert!(iter.next().is_none() && iter.next_back().is_none());
    lent
}

/// Does `op` with our occupied entry and std's, comparing what each gives.
fn occupied<P: PointerKind>(
    mut ours: OccupiedEntry<'_, u8, u32, P>,
    mut std: StdOccupied<'_, u8, u32>,
    op: OccupiedOp,
    what: &dyn Debug,
) {
    assert_eq!(ours.key(), std.key(), "{what:?}: key");
    assert_eq!(ours.get(), std.get(), "{what:?}: get");
    match op {
        OccupiedOp::Get => {}
        OccupiedOp::Insert(value) => {
            assert_eq!(ours.insert(value), std.insert(value), "{what:?}");
        }
        OccupiedOp::Remove => assert_eq!(ours.remove(), std.remove(), "{what:?}"),
        OccupiedOp::RemoveEntry => {
            assert_eq!(ours.remove_entry(), std.remove_entry(), "{what:?}");
        }
        OccupiedOp::GetMut(add) => {
            let (a, b) = (ours.get_mut(), std.get_mut());
            *a = a.wrapping_add(add);
            *b = b.wrapping_add(add);
            assert_eq!(ours.get(), std.get(), "{what:?}: after get_mut");
        }
        OccupiedOp::IntoMut(add) => {
            let (a, b) = (ours.into_mut(), std.into_mut());
            *a = a.wrapping_add(add);
            *b = b.wrapping_add(add);
            assert_eq!(a, b, "{what:?}: into_mut");
        }
    }
}

fn bump_pair(
    ours: Option<(&u8, &mut u32)>,
    std: Option<(&u8, &mut u32)>,
    add: u32,
    what: &dyn Debug,
) {
    match (ours, std) {
        (Some((k, v)), Some((sk, sv))) => {
            assert_eq!((k, &*v), (sk, &*sv), "{what:?}: iter_mut item");
            *v = v.wrapping_add(add);
            *sv = sv.wrapping_add(add);
        }
        (ours, std) => panic!("{what:?}: iter_mut: ours {ours:?}, std {std:?}"),
    }
}

fn entry<P: PointerKind>(
    map: &mut Map<P>,
    model: &mut Model,
    key: u8,
    op: EntryOp,
    what: &dyn Debug,
) {
    match op {
        EntryOp::OrInsert(value) => {
            let ours = map.entry(key).or_insert(value);
            let std = model.entry(key).or_insert(value);
            assert_eq!(ours, std, "{what:?}");
            *ours = ours.wrapping_add(1);
            *std = std.wrapping_add(1);
        }
        EntryOp::OrInsertWith(value) => {
            let (mut called, mut std_called) = (false, false);
            let ours = map.entry(key).or_insert_with(|| {
                called = true;
                value
            });
            let std = model.entry(key).or_insert_with(|| {
                std_called = true;
                value
            });
            assert_eq!(ours, std, "{what:?}");
            assert_eq!(called, std_called, "{what:?}: whether the default was made");
        }
        EntryOp::OrInsertWithKey => {
            let ours = map.entry(key).or_insert_with_key(|&k| u32::from(k) * 3);
            let std = model.entry(key).or_insert_with_key(|&k| u32::from(k) * 3);
            assert_eq!(ours, std, "{what:?}");
        }
        EntryOp::OrDefault => {
            let ours = map.entry(key).or_default();
            let std = model.entry(key).or_default();
            assert_eq!(ours, std, "{what:?}");
            *ours = ours.wrapping_add(7);
            *std = std.wrapping_add(7);
        }
        EntryOp::AndModify(add, value) => {
            let ours = map
                .entry(key)
                .and_modify(|v| *v = v.wrapping_add(add))
                .or_insert(value);
            let std = model
                .entry(key)
                .and_modify(|v| *v = v.wrapping_add(add))
                .or_insert(value);
            assert_eq!(ours, std, "{what:?}");
        }
        EntryOp::Key => assert_eq!(map.entry(key).key(), model.entry(key).key(), "{what:?}"),
        EntryOp::InsertEntry(value, then) => occupied(
            map.entry(key).insert_entry(value),
            model.entry(key).insert_entry(value),
            then,
            &(what, "insert_entry"),
        ),
        EntryOp::Match(if_occupied, if_vacant) => match (map.entry(key), model.entry(key)) {
            (Entry::Occupied(ours), StdEntry::Occupied(std)) => {
                occupied(ours, std, if_occupied, what);
            }
            (Entry::Vacant(ours), StdEntry::Vacant(std)) => {
                assert_eq!(ours.key(), std.key(), "{what:?}: key");
                match if_vacant {
                    VacantOp::Insert(value) => {
                        let (a, b) = (ours.insert(value), std.insert(value));
                        assert_eq!(a, b, "{what:?}");
                        *a = a.wrapping_add(1);
                        *b = b.wrapping_add(1);
                    }
                    VacantOp::IntoKey => assert_eq!(ours.into_key(), std.into_key(), "{what:?}"),
                    VacantOp::InsertEntry(value) => occupied(
                        ours.insert_entry(value),
                        std.insert_entry(value),
                        if_occupied,
                        &(what, "vacant insert_entry"),
                    ),
                }
            }
            (ours, std) => panic!("{what:?}: entry: ours {ours:?}, std {std:?}"),
        },
    }
}

fn into_iter<P: PointerKind>(
    map: &mut Map<P>,
    model: &mut Model,
    front: u8,
    back: u8,
    which: IntoWhich,
    consume: bool,
    what: &dyn Debug,
) {
    let consume = consume && which == IntoWhich::Entries;
    let (source, source_model) = if consume {
        (std::mem::take(map), std::mem::take(model))
    } else {
        (map.clone(), model.clone())
    };
    let len = source_model.len();
    let front = usize::from(front) % (len + 1);
    let back = usize::from(back) % (len - front + 1);
    match which {
        IntoWhich::Entries => {
            let read = read_ends(
                source.into_iter(),
                source_model.into_iter(),
                front,
                back,
                what,
            );
            if consume {
                *map = read.iter().copied().collect();
                *model = read.into_iter().collect();
            }
        }
        IntoWhich::Keys => {
            read_ends(
                source.into_keys(),
                source_model.into_keys(),
                front,
                back,
                what,
            );
        }
        IntoWhich::Values => {
            read_ends(
                source.into_values(),
                source_model.into_values(),
                front,
                back,
                what,
            );
        }
    }
}

/// Reads `front` items from the front of both iterators and `back` from the
/// back, comparing them and the lengths left; drops the rest unread.
fn read_ends<A, B, T>(
    mut ours: A,
    mut std: B,
    front: usize,
    back: usize,
    what: &dyn Debug,
) -> Vec<T>
where
    A: DoubleEndedIterator<Item = T> + ExactSizeIterator,
    B: DoubleEndedIterator<Item = T> + ExactSizeIterator,
    T: PartialEq + Debug,
{
    assert_eq!(ours.len(), std.len(), "{what:?}: len");
    let mut read = Vec::new();
    for _ in 0..front {
        let item = ours.next();
        assert_eq!(item, std.next(), "{what:?}: from the front");
        read.extend(item);
    }
    for _ in 0..back {
        let item = ours.next_back();
        assert_eq!(item, std.next_back(), "{what:?}: from the back");
        read.extend(item);
    }
    assert_eq!(ours.len(), std.len(), "{what:?}: len left");
    let rest = ours.len();
    if rest > 0 {
        assert_eq!(ours.size_hint(), (rest, Some(rest)), "{what:?}: size_hint");
    }
    read
}

/// Runs a whole map input: the operations on a map whose every version is
/// kept and on an unshared twin, each checked after every step, then every
/// kept version against its model.
pub fn run<P: PointerKind>(ops: &[MapOp], probes: &[u8]) {
    let mut map = Map::<P>::empty();
    let mut model = Model::new();
    let mut twin = Map::<P>::empty();
    let mut twin_model = Model::new();
    let mut kept: Vec<Version<P>> = Vec::new();
    for (step, op) in ops.iter().enumerate() {
        let what = &(step, op);
        let made = apply(op, &mut map, &mut model, &kept, false, what);
        let twin_what = &(step, op, "the unshared twin");
        apply(op, &mut twin, &mut twin_model, &kept, true, twin_what);
        check::map(&map, &model, what);
        check::map(&twin, &twin_model, twin_what);
        assert_eq!(model, twin_model, "{what:?}: the twin's model drifted");
        if let Some(key) = op.key() {
            check::map_probe(&map, &model, key, what);
        }
        kept.extend(made);
        kept.push((map.clone(), model.clone()));
    }
    for (index, (version, version_model)) in kept.iter().enumerate() {
        check::map_deep(version, version_model, probes, &("kept version", index));
        assert_eq!(
            format!("{version:?}"),
            format!("{version_model:?}"),
            "kept version {index}: Debug"
        );
    }
}
