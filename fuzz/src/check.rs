//! Checks of one version against its model. Each panics with a message
//! naming the check and `what` (the step and operation, or the version).

use persistent_avl::{GenericAvlMap, GenericAvlSet};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::ops::Bound::{Excluded, Unbounded};

use persistent_avl::PointerKind;
use persistent_avl::map::DiffItem;

use crate::End;
use crate::panics::{catch, message};

/// The model of a map.
pub type Model = BTreeMap<u8, u32>;

/// The model of a set.
pub type SetModel = BTreeSet<u8>;

/// The tree is valid (`check_invariants`) and holds exactly the model's
/// entries, read forwards and backwards. O(n).
pub fn map<P: PointerKind>(map: &GenericAvlMap<u8, u32, P>, model: &Model, what: &dyn Debug) {
    if let Err(broken) = map.check_invariants() {
        panic!("{what:?}: invariant broken: {broken}\n  map: {map:?}");
    }
    assert_eq!(map.len(), model.len(), "{what:?}: len");
    assert_eq!(map.is_empty(), model.is_empty(), "{what:?}: is_empty");
    assert!(
        map.iter().eq(model.iter()),
        "{what:?}: entries differ\n  ours: {map:?}\n  std:  {model:?}"
    );
    assert!(
        map.iter().rev().eq(model.iter().rev()),
        "{what:?}: entries read backwards differ\n  std: {model:?}"
    );
    assert_eq!(map.iter().len(), model.len(), "{what:?}: iter().len()");
    assert_eq!(
        map.first_key_value(),
        model.first_key_value(),
        "{what:?}: first_key_value"
    );
    assert_eq!(
        map.last_key_value(),
        model.last_key_value(),
        "{what:?}: last_key_value"
    );
}

/// [`map`] plus the keys and values iterators and the lookups and order
/// statistics of `probes` and of the first, middle and last positions:
/// what every kept version is checked with at the end of a run.
pub fn map_deep<P: PointerKind>(
    map: &GenericAvlMap<u8, u32, P>,
    model: &Model,
    probes: &[u8],
    what: &dyn Debug,
) {
    self::map(map, model, what);
    assert!(map.keys().eq(model.keys()), "{what:?}: keys");
    assert!(
        map.keys().rev().eq(model.keys().rev()),
        "{what:?}: keys.rev"
    );
    assert!(map.values().eq(model.values()), "{what:?}: values");
    assert!(
        map.values().rev().eq(model.values().rev()),
        "{what:?}: values.rev"
    );
    for &key in probes {
        map_probe(map, model, key, what);
    }
    let len = model.len();
    for index in [0, len / 2, len.saturating_sub(1), len] {
        assert_eq!(
            map.get_index(index),
            model.iter().nth(index),
            "{what:?}: get_index({index})"
        );
        if let Some((&key, _)) = model.iter().nth(index) {
            map_probe(map, model, key, what);
        }
    }
}

/// Every lookup and order statistic of one key.
pub fn map_probe<P: PointerKind>(
    map: &GenericAvlMap<u8, u32, P>,
    model: &Model,
    key: u8,
    what: &dyn Debug,
) {
    let rank = model.range(..key).count();
    let present = model.contains_key(&key);
    assert_eq!(map.get(&key), model.get(&key), "{what:?}: get({key})");
    assert_eq!(
        map.get_key_value(&key),
        model.get_key_value(&key),
        "{what:?}: get_key_value({key})"
    );
    assert_eq!(
        map.contains_key(&key),
        present,
        "{what:?}: contains_key({key})"
    );
    assert_eq!(map.rank(&key), rank, "{what:?}: rank({key})");
    assert_eq!(
        map.get_index_of(&key),
        present.then_some(rank),
        "{what:?}: get_index_of({key})"
    );
    assert_eq!(
        map.get_index(rank),
        model.range(key..).next(),
        "{what:?}: get_index(rank({key}))"
    );
    assert_eq!(
        map.get_prev(&key),
        model.range(..key).next_back(),
        "{what:?}: get_prev({key})"
    );
    assert_eq!(
        map.get_next(&key),
        model.range((Excluded(key), Unbounded)).next(),
        "{what:?}: get_next({key})"
    );
}

/// The set is valid and holds exactly the model's elements, both ways. O(n).
pub fn set<P: PointerKind>(set: &GenericAvlSet<u8, P>, model: &SetModel, what: &dyn Debug) {
    if let Err(broken) = set.check_invariants() {
        panic!("{what:?}: invariant broken: {broken}\n  set: {set:?}");
    }
    assert_eq!(set.len(), model.len(), "{what:?}: len");
    assert_eq!(set.is_empty(), model.is_empty(), "{what:?}: is_empty");
    assert!(
        set.iter().eq(model.iter()),
        "{what:?}: elements differ\n  ours: {set:?}\n  std:  {model:?}"
    );
    assert!(
        set.iter().rev().eq(model.iter().rev()),
        "{what:?}: elements read backwards differ\n  std: {model:?}"
    );
    assert_eq!(set.iter().len(), model.len(), "{what:?}: iter().len()");
    assert_eq!(set.first(), model.first(), "{what:?}: first");
    assert_eq!(set.last(), model.last(), "{what:?}: last");
}

/// [`set`] plus lookups and order statistics, as [`map_deep`].
pub fn set_deep<P: PointerKind>(
    set: &GenericAvlSet<u8, P>,
    model: &SetModel,
    probes: &[u8],
    what: &dyn Debug,
) {
    self::set(set, model, what);
    for &x in probes {
        set_probe(set, model, x, what);
    }
    let len = model.len();
    for index in [0, len / 2, len.saturating_sub(1), len] {
        assert_eq!(
            set.get_index(index),
            model.iter().nth(index),
            "{what:?}: get_index({index})"
        );
        if let Some(&x) = model.iter().nth(index) {
            set_probe(set, model, x, what);
        }
    }
}

/// Every lookup and order statistic of one element.
pub fn set_probe<P: PointerKind>(
    set: &GenericAvlSet<u8, P>,
    model: &SetModel,
    x: u8,
    what: &dyn Debug,
) {
    let rank = model.range(..x).count();
    let present = model.contains(&x);
    assert_eq!(set.get(&x), model.get(&x), "{what:?}: get({x})");
    assert_eq!(set.contains(&x), present, "{what:?}: contains({x})");
    assert_eq!(set.rank(&x), rank, "{what:?}: rank({x})");
    assert_eq!(
        set.get_index_of(&x),
        present.then_some(rank),
        "{what:?}: get_index_of({x})"
    );
    assert_eq!(
        set.get_index(rank),
        model.range(x..).next(),
        "{what:?}: get_index(rank({x}))"
    );
    assert_eq!(
        set.get_prev(&x),
        model.range(..x).next_back(),
        "{what:?}: get_prev({x})"
    );
    assert_eq!(
        set.get_next(&x),
        model.range((Excluded(x), Unbounded)).next(),
        "{what:?}: get_next({x})"
    );
}

/// Takes every item of `iter`, from the front or the back as the bits of
/// `ends` say (lowest first; a set bit means the back), checking each item
/// and the `len` left against `expected`; then that the spent iterator
/// stays spent.
pub fn walk_both_ends<I>(mut iter: I, expected: &[I::Item], mut ends: u64, what: &dyn Debug)
where
    I: DoubleEndedIterator + ExactSizeIterator,
    I::Item: PartialEq + Debug,
{
    let (mut front, mut back) = (0, expected.len());
    assert_eq!(iter.len(), back, "{what:?}: len before walking");
    while front < back {
        let (got, want) = if ends & 1 == 1 {
            back -= 1;
            (iter.next_back(), &expected[back])
        } else {
            front += 1;
            (iter.next(), &expected[front - 1])
        };
        assert_eq!(got.as_ref(), Some(want), "{what:?}: walking both ends");
        assert_eq!(iter.len(), back - front, "{what:?}: len while walking");
        assert_eq!(
            iter.size_hint(),
            (back - front, Some(back - front)),
            "{what:?}: size_hint while walking"
        );
        ends = ends.rotate_right(1);
    }
    assert!(iter.next().is_none(), "{what:?}: spent iterator yields");
    assert!(
        iter.next_back().is_none(),
        "{what:?}: spent iterator yields"
    );
    assert!(iter.next().is_none(), "{what:?}: spent iterator yields");
}

/// Compares two outcomes of a call that may panic: they must panic in the
/// same cases, with std's message naming `ours` instead of `std_name`.
/// Returns both values when neither panicked.
pub fn same_outcome<A, B>(
    std_result: std::thread::Result<A>,
    our_result: std::thread::Result<B>,
    std_name: &str,
    ours: &str,
    what: &dyn Debug,
) -> Option<(A, B)> {
    match (std_result, our_result) {
        (Ok(a), Ok(b)) => Some((a, b)),
        (Err(std_panic), Err(our_panic)) => {
            let expected = message(&*std_panic).replace(std_name, ours);
            assert_eq!(
                message(&*our_panic),
                expected,
                "{what:?}: both panicked, with different messages"
            );
            None
        }
        (Err(std_panic), Ok(_)) => panic!(
            "{what:?}: std panicked ({:?}) and ours did not",
            message(&*std_panic)
        ),
        (Ok(_), Err(our_panic)) => panic!(
            "{what:?}: ours panicked ({:?}) and std did not",
            message(&*our_panic)
        ),
    }
}

/// `range` with any bounds, against std's: both panic in exactly the same
/// cases (with std's message, naming `AvlMap`), and otherwise yield the same
/// entries forwards, backwards, from both ends, with the same `len`.
///
/// Except on an empty map, where ours must return an empty range whatever
/// the bounds. std checks the bounds only when its tree has a root node,
/// and a `BTreeMap` emptied by `remove` or `pop_first` keeps its root while
/// a new or cleared one has none: `range(5..2)` panics on the first and not
/// on the second, so std is no model there.
pub fn map_range<P: PointerKind>(
    map: &GenericAvlMap<u8, u32, P>,
    model: &Model,
    start: End,
    end: End,
    ends: u64,
    what: &dyn Debug,
) {
    let bounds = (start.bound(), end.bound());
    let what = &(what, "range", bounds);
    let our_result = catch(|| map.range(bounds));
    let std_range = || model.range(bounds).collect::<Vec<_>>();
    compare_range(
        model.is_empty(),
        std_range,
        our_result,
        ("BTreeMap", "AvlMap"),
        ends,
        what,
    );
}

/// [`map_range`] for sets: std's message names `BTreeSet`, ours `AvlSet`.
pub fn set_range<P: PointerKind>(
    set: &GenericAvlSet<u8, P>,
    model: &SetModel,
    start: End,
    end: End,
    ends: u64,
    what: &dyn Debug,
) {
    let bounds = (start.bound(), end.bound());
    let what = &(what, "range", bounds);
    let our_result = catch(|| set.range(bounds));
    let std_range = || model.range(bounds).collect::<Vec<_>>();
    compare_range(
        model.is_empty(),
        std_range,
        our_result,
        ("BTreeSet", "AvlSet"),
        ends,
        what,
    );
}

/// What [`map_range`] and [`set_range`] check of our range, given whether
/// the model is empty and its own range: on an empty model, an empty range;
/// otherwise std's outcome (the same entries, or the same panic, `names`
/// giving std's type name and ours), forwards, backwards and from both ends.
fn compare_range<I>(
    model_is_empty: bool,
    std_range: impl FnOnce() -> Vec<I::Item>,
    our_result: std::thread::Result<I>,
    names: (&str, &str),
    ends: u64,
    what: &dyn Debug,
) where
    I: DoubleEndedIterator + ExactSizeIterator + Clone,
    I::Item: Copy + PartialEq + Debug,
{
    if model_is_empty {
        empty_range(our_result, what);
        return;
    }
    let std_result = catch(std_range);
    let Some((expected, range)) = same_outcome(std_result, our_result, names.0, names.1, what)
    else {
        return;
    };
    assert_eq!(range.len(), expected.len(), "{what:?}: len");
    assert!(range.clone().eq(expected.iter().copied()), "{what:?}");
    assert!(
        range.clone().rev().eq(expected.iter().rev().copied()),
        "{what:?}: rev"
    );
    walk_both_ends(range, &expected, ends, what);
}

fn empty_range<I>(our_result: std::thread::Result<I>, what: &dyn Debug)
where
    I: DoubleEndedIterator + ExactSizeIterator + Clone,
    I::Item: Debug,
{
    match our_result {
        Ok(range) => {
            assert_eq!(range.len(), 0, "{what:?}: len on an empty map");
            assert!(range.clone().next().is_none(), "{what:?}: empty map");
            assert!(range.clone().next_back().is_none(), "{what:?}: empty map");
        }
        Err(panic) => panic!(
            "{what:?}: ours panicked on an empty map or set ({:?}); std returns an empty range \
             when its tree has no root",
            message(&*panic)
        ),
    }
}

/// A diff item with the references followed, for comparing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Added(u8, u32),
    Removed(u8, u32),
    Changed(u8, u32, u32),
}

/// The change a diff item describes, checking `DiffItem::key` on the way.
pub fn owned(item: &DiffItem<'_, u8, u32>) -> Change {
    let key = *item.key();
    let change = match *item {
        DiffItem::Added(&k, &v) => Change::Added(k, v),
        DiffItem::Removed(&k, &v) => Change::Removed(k, v),
        DiffItem::Changed { key, old, new } => Change::Changed(*key, *old, *new),
    };
    let (Change::Added(k, _) | Change::Removed(k, _) | Change::Changed(k, _, _)) = change;
    assert_eq!(k, key, "DiffItem::key");
    change
}

/// The differences from `old` to `new` by a merge of their sorted entries.
pub fn naive_diff(old: &Model, new: &Model, same: impl Fn(u32, u32) -> bool) -> Vec<Change> {
    let mut changes = Vec::new();
    let (mut a, mut b) = (old.iter().peekable(), new.iter().peekable());
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return changes,
            (Some((&k, &v)), None) => {
                changes.push(Change::Removed(k, v));
                a.next();
            }
            (None, Some((&k, &v))) => {
                changes.push(Change::Added(k, v));
                b.next();
            }
            (Some((&ka, &va)), Some((&kb, &vb))) => {
                if ka < kb {
                    changes.push(Change::Removed(ka, va));
                    a.next();
                } else if kb < ka {
                    changes.push(Change::Added(kb, vb));
                    b.next();
                } else {
                    if !same(va, vb) {
                        changes.push(Change::Changed(ka, va, vb));
                    }
                    a.next();
                    b.next();
                }
            }
        }
    }
}

impl From<&DiffItem<'_, u8, u32>> for Change {
    fn from(item: &DiffItem<'_, u8, u32>) -> Change {
        owned(item)
    }
}
