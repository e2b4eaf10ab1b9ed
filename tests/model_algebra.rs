//! The whole-tree operations behave as their std models.
//!
//! Maps: `union_map`, `intersection_map`, `difference_map`,
//! `symmetric_difference_map` and the `_with` forms against the same
//! operations done on `BTreeMap`s; `split`, `split_at`, `range_map` (which
//! must panic exactly when the lazy `range` does), `filter`, `filter_map`,
//! `map_values`, `get_prev` and `get_next`. Sets: the `_set` forms, the
//! operators `|`, `&`, `-` and `^`, and the same slicing, against
//! `BTreeSet`. Every result must pass `check_invariants`, and every input
//! must hold afterwards exactly what it held before.
//!
//! The map properties run on three layouts: the default blocks of 32,
//! blocks of 4 (so that maps of a few dozen entries have many nodes and
//! blocks), and the classic tree of one entry per node. Pairs of maps are
//! built three ways: independently, one far smaller than the other, and as
//! versions of one map a few edits apart, which share most of their nodes.
//!
//! The parallel forms (`par_*`, parallel iterators, collect and extend)
//! exist only for the default `ArcKind` maps and sets; they must return
//! exactly what the sequential forms return. They fork only above 4096
//! entries, so a few cases use maps of 10^4 to 3 * 10^4 entries, and check
//! that a closure really ran on rayon's pool.
//!
//! Beyond contents: results built from close versions must share all but
//! the paths to what differs (counted by `sharing`), and a panic in `Ord` or
//! in a closure must leave both inputs intact.

mod common;

use std::any::Any;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::ops::Bound::{Excluded, Included, Unbounded};
use std::ops::RangeBounds;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering::Relaxed};
use std::sync::{Mutex, Once, PoisonError};

use common::{Bounds, Model, SetModel, key, value};
use persistent_avl::{ArcKind, AvlMap, AvlSet, BlockSize, PointerKind};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use rayon::prelude::*;

/// Blocks of four entries: small maps get many nodes and blocks.
type Small = BlockSize<ArcKind, 4>;
/// One entry per node.
type Classic = BlockSize<ArcKind, 0>;

// ---------------------------------------------------------------------------
// Checks

/// `map` is valid and holds exactly `model`'s entries, in order.
fn check_map<K, V, P>(
    what: &str,
    map: &AvlMap<K, V, P>,
    model: &BTreeMap<K, V>,
) -> Result<(), TestCaseError>
where
    K: Ord + Debug,
    V: PartialEq + Debug,
    P: PointerKind,
{
    prop_assert_eq!(map.check_invariants(), Ok(()), "{}: invariants", what);
    prop_assert_eq!(map.len(), model.len(), "{}: len", what);
    prop_assert!(
        map.iter().eq(model.iter()),
        "{}: got {:?}, expected {:?}",
        what,
        map,
        model
    );
    Ok(())
}

/// `set` is valid and holds exactly `model`'s elements, in order.
fn check_set<T, P>(what: &str, set: &AvlSet<T, P>, model: &BTreeSet<T>) -> Result<(), TestCaseError>
where
    T: Ord + Debug,
    P: PointerKind,
{
    prop_assert_eq!(set.check_invariants(), Ok(()), "{}: invariants", what);
    prop_assert_eq!(set.len(), model.len(), "{}: len", what);
    prop_assert!(
        set.iter().eq(model.iter()),
        "{}: got {:?}, expected {:?}",
        what,
        set,
        model
    );
    Ok(())
}

/// A parallel form's result `par` is valid and holds what the sequential
/// form's result `seq` holds.
fn check_twin<K, V>(what: &str, par: &AvlMap<K, V>, seq: &AvlMap<K, V>) -> Result<(), TestCaseError>
where
    K: Ord + Debug,
    V: PartialEq + Debug,
{
    prop_assert_eq!(par.check_invariants(), Ok(()), "{}: invariants", what);
    prop_assert_eq!(par.len(), seq.len(), "{}: len", what);
    prop_assert!(
        par.iter().eq(seq.iter()),
        "{}: not the sequential result",
        what
    );
    Ok(())
}

/// [`check_twin`] for sets.
fn check_set_twin<T: Ord + Debug>(
    what: &str,
    par: &AvlSet<T>,
    seq: &AvlSet<T>,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(par.check_invariants(), Ok(()), "{}: invariants", what);
    prop_assert!(
        par.iter().eq(seq.iter()),
        "{}: not the sequential result",
        what
    );
    Ok(())
}

/// One node of a tree's shape, in pre-order.
#[derive(Debug, PartialEq)]
struct NodeShape<K> {
    key: K,
    height: usize,
    blocks: (usize, usize),
    children: (bool, bool),
}

/// The tree's shape: every node's key, height, block lengths and children.
fn shape<K: Clone, V, P: PointerKind>(map: &AvlMap<K, V, P>) -> Vec<NodeShape<K>> {
    let mut nodes = Vec::new();
    let mut stack: Vec<_> = map.root_node().into_iter().collect();
    while let Some(node) = stack.pop() {
        nodes.push(NodeShape {
            key: node.key().clone(),
            height: node.height(),
            blocks: (node.left_block().len(), node.right_block().len()),
            children: (node.left().is_some(), node.right().is_some()),
        });
        stack.extend(node.right());
        stack.extend(node.left());
    }
    nodes
}

/// The message of a panic, as `panic!` with arguments leaves it.
fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// Whether std (and so the lazy `range`) rejects the bounds.
fn rejected(range: &Bounds) -> bool {
    match *range {
        (Excluded(s), Excluded(e)) if s == e => true,
        (Included(s) | Excluded(s), Included(e) | Excluded(e)) => s > e,
        _ => false,
    }
}

/// The planned panics of the panic-safety tests, and the documented ones of
/// `range`, print nothing; anything else (a failing assertion) still does.
fn quiet() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let planned = info.payload().is::<Boom>()
                || panic_message(info.payload()).starts_with("range start");
            if !planned {
                default(info);
            }
        }));
    });
}

// ---------------------------------------------------------------------------
// Models: each operation done with std's maps and sets

/// Combines a value of a key both maps hold: not symmetric, and not `v` for
/// `(k, v, v)`, so a swapped argument or a shared entry taken as it is
/// shows.
fn mix<K: Copy + Into<u64>>(key: &K, first: u32, second: u32) -> u32 {
    let key = (*key).into() as u32;
    first.wrapping_mul(31) ^ second.wrapping_add(key)
}

/// Every key of either; where both hold one, the first map's key with the
/// second map's value: what std's `extend` does.
fn union_model<K: Ord + Copy, V: Copy>(a: &BTreeMap<K, V>, b: &BTreeMap<K, V>) -> BTreeMap<K, V> {
    let mut union = a.clone();
    union.extend(b.iter().map(|(&k, &v)| (k, v)));
    union
}

fn union_with_model<K: Ord + Copy>(
    a: &BTreeMap<K, u32>,
    b: &BTreeMap<K, u32>,
    f: impl Fn(&K, u32, u32) -> u32,
) -> BTreeMap<K, u32> {
    let mut union = a.clone();
    for (k, &v) in b {
        match union.get_mut(k) {
            Some(first) => *first = f(k, *first, v),
            None => _ = union.insert(*k, v),
        }
    }
    union
}

fn intersection_model<K: Ord + Copy, V: Copy>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
) -> BTreeMap<K, V> {
    a.iter()
        .filter(|(k, _)| b.contains_key(k))
        .map(|(&k, &v)| (k, v))
        .collect()
}

fn intersection_with_model<K: Ord + Copy>(
    a: &BTreeMap<K, u32>,
    b: &BTreeMap<K, u32>,
    f: impl Fn(&K, u32, u32) -> u32,
) -> BTreeMap<K, u32> {
    a.iter()
        .filter_map(|(k, &v)| b.get(k).map(|&w| (*k, f(k, v, w))))
        .collect()
}

fn difference_model<K: Ord + Copy, V: Copy>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
) -> BTreeMap<K, V> {
    a.iter()
        .filter(|(k, _)| !b.contains_key(k))
        .map(|(&k, &v)| (k, v))
        .collect()
}

fn symmetric_difference_model<K: Ord + Copy, V: Copy>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
) -> BTreeMap<K, V> {
    let mut either = difference_model(a, b);
    either.extend(difference_model(b, a));
    either
}

/// The entries of `model` in `range`, by `RangeBounds::contains` (empty for
/// bounds std would reject).
fn range_model<V: Copy>(model: &BTreeMap<u16, V>, range: &Bounds) -> BTreeMap<u16, V> {
    model
        .iter()
        .filter(|(k, _)| range.contains(*k))
        .map(|(&k, &v)| (k, v))
        .collect()
}

/// A map built from `entries` by one insert after another (an irregular
/// shape), or collected (a balanced build).
fn build<P: PointerKind>(entries: &[(u16, u32)], by_insert: bool) -> AvlMap<u16, u32, P> {
    if by_insert {
        let mut map = AvlMap::empty();
        for &(k, v) in entries {
            map.insert(k, v);
        }
        map
    } else {
        entries.iter().copied().collect()
    }
}

fn keys_of(model: &Model) -> SetModel {
    model.keys().copied().collect()
}

fn set_of<P: PointerKind>(map: &AvlMap<u16, u32, P>) -> AvlSet<u16, P> {
    map.keys().copied().collect()
}

// ---------------------------------------------------------------------------
// Cases

/// One edit that derives a version from another.
#[derive(Clone, Copy, Debug)]
enum Edit {
    /// In place, on a clone: copies the path it changes.
    Insert(u16, u32),
    /// The persistent `removed`.
    Remove(u16),
}

impl Edit {
    fn apply<P: PointerKind>(self, map: &mut AvlMap<u16, u32, P>, model: &mut Model) {
        match self {
            Edit::Insert(k, v) => {
                map.insert(k, v);
                model.insert(k, v);
            }
            Edit::Remove(k) => {
                *map = map.removed(&k);
                model.remove(&k);
            }
        }
    }
}

/// How the second map of a pair is made.
#[derive(Clone, Debug)]
enum Second {
    /// Built on its own from these entries.
    Fresh(Vec<(u16, u32)>),
    /// The base map after these edits: it shares most nodes with the first.
    Edited(Vec<Edit>),
}

/// Two maps: the first is a base map after `first_edits`.
#[derive(Clone, Debug)]
struct PairCase {
    base: Vec<(u16, u32)>,
    by_insert: bool,
    first_edits: Vec<Edit>,
    second: Second,
}

/// A pair of maps made from a [`PairCase`], with the base they came from,
/// and their models.
struct Pair<P: PointerKind> {
    base: AvlMap<u16, u32, P>,
    a: AvlMap<u16, u32, P>,
    b: AvlMap<u16, u32, P>,
    base_model: Model,
    ma: Model,
    mb: Model,
}

impl PairCase {
    fn build<P: PointerKind>(&self) -> Pair<P> {
        let base = build::<P>(&self.base, self.by_insert);
        let base_model: Model = self.base.iter().copied().collect();
        let (mut a, mut ma) = (base.clone(), base_model.clone());
        for edit in &self.first_edits {
            edit.apply(&mut a, &mut ma);
        }
        let (b, mb) = match &self.second {
            Second::Fresh(entries) => (
                build::<P>(entries, !self.by_insert),
                entries.iter().copied().collect(),
            ),
            Second::Edited(edits) => {
                let (mut b, mut mb) = (base.clone(), base_model.clone());
                for edit in edits {
                    edit.apply(&mut b, &mut mb);
                }
                (b, mb)
            }
        };
        Pair {
            base,
            a,
            b,
            base_model,
            ma,
            mb,
        }
    }
}

/// What a filter keeps.
#[derive(Clone, Copy, Debug)]
enum Pick {
    All,
    Nothing,
    Below(u16),
    AtLeast(u16),
    DropMultiplesOf(u16),
    /// Drops one key: the result should share all but one path.
    DropKey(u16),
    OddValues,
}

impl Pick {
    fn keeps(self, key: u16, value: u32) -> bool {
        match self {
            Pick::All => true,
            Pick::Nothing => false,
            Pick::Below(at) => key < at,
            Pick::AtLeast(at) => key >= at,
            Pick::DropMultiplesOf(m) => !key.is_multiple_of(m),
            Pick::DropKey(k) => key != k,
            Pick::OddValues => value % 2 == 1,
        }
    }
}

/// One map, and what to split, slice and filter it by.
#[derive(Clone, Debug)]
struct OneCase {
    entries: Vec<(u16, u32)>,
    by_insert: bool,
    /// Keys to split at and to look around (present or not).
    probes: Vec<u16>,
    /// Positions to split at, some past the end.
    indices: Vec<usize>,
    /// Ranges of every kind of bound, including ones std rejects.
    ranges: Vec<Bounds>,
    picks: Vec<Pick>,
    /// `(skip, take)` windows of the parallel iterators.
    windows: Vec<(Index, Index)>,
}

fn span() -> impl Strategy<Value = u16> {
    prop_oneof![Just(16u16), Just(64), Just(300), Just(2000)]
}

fn entry(span: u16) -> impl Strategy<Value = (u16, u32)> + Clone {
    (key(span), value())
}

fn edit(span: u16) -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => entry(span).prop_map(|(k, v)| Edit::Insert(k, v)),
        2 => key(span).prop_map(Edit::Remove),
    ]
}

/// Pairs of similar sizes, lopsided pairs (the second tiny), and close
/// versions of one map.
fn pair_case() -> impl Strategy<Value = PairCase> {
    span().prop_flat_map(|span| {
        let second = prop_oneof![
            2 => vec(entry(span), 0..300).prop_map(Second::Fresh),
            1 => vec(entry(span), 0..6).prop_map(Second::Fresh),
            3 => vec(edit(span), 0..12).prop_map(Second::Edited),
        ];
        (
            vec(entry(span), 0..300),
            any::<bool>(),
            vec(edit(span), 0..6),
            second,
        )
            .prop_map(|(base, by_insert, first_edits, second)| PairCase {
                base,
                by_insert,
                first_edits,
                second,
            })
    })
}

/// A bound of any kind; a pair of them may be one std rejects.
fn any_bounds(span: u16) -> impl Strategy<Value = Bounds> {
    let bound = move || {
        prop_oneof![
            1 => Just(Unbounded),
            3 => key(span).prop_map(Included),
            3 => key(span).prop_map(Excluded),
        ]
    };
    (bound(), bound())
}

fn pick(span: u16) -> impl Strategy<Value = Pick> {
    prop_oneof![
        1 => Just(Pick::All),
        1 => Just(Pick::Nothing),
        2 => key(span).prop_map(Pick::Below),
        2 => key(span).prop_map(Pick::AtLeast),
        2 => (2u16..10).prop_map(Pick::DropMultiplesOf),
        2 => key(span).prop_map(Pick::DropKey),
        1 => Just(Pick::OddValues),
    ]
}

fn one_case() -> impl Strategy<Value = OneCase> {
    span().prop_flat_map(|span| {
        (
            vec(entry(span), 0..300),
            any::<bool>(),
            vec(key(span), 0..6),
            vec(0..400usize, 0..4),
            vec(any_bounds(span), 1..6),
            vec(pick(span), 1..4),
            vec(any::<(Index, Index)>(), 1..6),
        )
            .prop_map(
                |(entries, by_insert, probes, indices, ranges, picks, windows)| OneCase {
                    entries,
                    by_insert,
                    probes,
                    indices,
                    ranges,
                    picks,
                    windows,
                },
            )
    })
}

// ---------------------------------------------------------------------------
// Map algebra

/// Every merge of `a` with `b` matches its model.
fn check_merges<K, P>(
    a: &AvlMap<K, u32, P>,
    b: &AvlMap<K, u32, P>,
    ma: &BTreeMap<K, u32>,
    mb: &BTreeMap<K, u32>,
) -> Result<(), TestCaseError>
where
    K: Ord + Copy + Debug + Into<u64>,
    P: PointerKind,
{
    check_map("union_map", &a.union_map(b), &union_model(ma, mb))?;
    check_map(
        "union_map_with",
        &a.union_map_with(b, mix),
        &union_with_model(ma, mb, mix),
    )?;
    check_map(
        "intersection_map",
        &a.intersection_map(b),
        &intersection_model(ma, mb),
    )?;
    check_map(
        "intersection_map_with",
        &a.intersection_map_with(b, mix),
        &intersection_with_model(ma, mb, mix),
    )?;
    check_map(
        "difference_map",
        &a.difference_map(b),
        &difference_model(ma, mb),
    )?;
    check_map(
        "symmetric_difference_map",
        &a.symmetric_difference_map(b),
        &symmetric_difference_model(ma, mb),
    )
}

/// Every merge of the pair, both ways round and each map with itself; then
/// the inputs are as they were.
fn run_merges<P: PointerKind>(case: &PairCase) -> Result<(), TestCaseError> {
    let Pair {
        base,
        a,
        b,
        base_model,
        ma,
        mb,
    } = case.build::<P>();
    check_merges(&a, &b, &ma, &mb)?;
    check_merges(&b, &a, &mb, &ma)?;
    check_merges(&a, &a, &ma, &ma)?;
    check_merges(&a, &base, &ma, &base_model)?;
    check_map("the first input afterwards", &a, &ma)?;
    check_map("the second input afterwards", &b, &mb)?;
    check_map("the base afterwards", &base, &base_model)
}

/// Every parallel merge of `a` with `b` returns the sequential result.
fn check_parallel_merges<K>(a: &AvlMap<K, u32>, b: &AvlMap<K, u32>) -> Result<(), TestCaseError>
where
    K: Ord + Copy + Debug + Into<u64> + Send + Sync,
{
    check_twin("par_union_map", &a.par_union_map(b), &a.union_map(b))?;
    check_twin(
        "par_union_map_with",
        &a.par_union_map_with(b, mix),
        &a.union_map_with(b, mix),
    )?;
    check_twin(
        "par_intersection_map",
        &a.par_intersection_map(b),
        &a.intersection_map(b),
    )?;
    check_twin(
        "par_intersection_map_with",
        &a.par_intersection_map_with(b, mix),
        &a.intersection_map_with(b, mix),
    )?;
    check_twin(
        "par_difference_map",
        &a.par_difference_map(b),
        &a.difference_map(b),
    )?;
    check_twin(
        "par_symmetric_difference_map",
        &a.par_symmetric_difference_map(b),
        &a.symmetric_difference_map(b),
    )
}

// ---------------------------------------------------------------------------
// Map slicing and filtering

/// `split`, `split_at`, `range_map`, `get_prev` and `get_next` of one map.
fn run_slices<P: PointerKind>(case: &OneCase) -> Result<(), TestCaseError> {
    let map = build::<P>(&case.entries, case.by_insert);
    let model: Model = case.entries.iter().copied().collect();

    let mut probes = case.probes.clone();
    probes.extend(model.keys().next());
    probes.extend(model.keys().next_back());
    for &key in &probes {
        let (below, found, above) = map.split(&key);
        let what = format!("split({key})");
        check_map(
            &what,
            &below,
            &range_model(&model, &(Unbounded, Excluded(key))),
        )?;
        prop_assert_eq!(
            found,
            model.get_key_value(&key).map(|(&k, &v)| (k, v)),
            "{}",
            what
        );
        check_map(
            &what,
            &above,
            &range_model(&model, &(Excluded(key), Unbounded)),
        )?;
    }

    let mut indices = case.indices.clone();
    indices.extend([0, model.len(), model.len() + 1]);
    let entries: Vec<(u16, u32)> = model.iter().map(|(&k, &v)| (k, v)).collect();
    for &index in &indices {
        let (first, rest) = map.split_at(index);
        let at = index.min(entries.len());
        let what = format!("split_at({index})");
        check_map(&what, &first, &entries[..at].iter().copied().collect())?;
        check_map(&what, &rest, &entries[at..].iter().copied().collect())?;
    }

    for range in &case.ranges {
        check_range_map(&map, &model, range)?;
    }

    // Around every key, and the probes.
    let mut around: Vec<u16> = probes;
    for &k in model.keys() {
        around.extend([k.wrapping_sub(1), k, k.wrapping_add(1)]);
    }
    for key in around {
        prop_assert_eq!(
            map.get_prev(&key),
            model.range(..key).next_back(),
            "get_prev({})",
            key
        );
        prop_assert_eq!(
            map.get_next(&key),
            model.range((Excluded(key), Unbounded)).next(),
            "get_next({})",
            key
        );
    }
    check_map("the map afterwards", &map, &model)
}

/// `range_map(range)` panics, with the same message, exactly when the lazy
/// `range(range)` does (on a non-empty map, for the bounds std rejects), and
/// otherwise holds what the lazy range yields.
fn check_range_map<P: PointerKind>(
    map: &AvlMap<u16, u32, P>,
    model: &Model,
    range: &Bounds,
) -> Result<(), TestCaseError> {
    quiet();
    let lazy = catch_unwind(AssertUnwindSafe(|| {
        map.range(*range).map(|(&k, &v)| (k, v)).collect::<Vec<_>>()
    }));
    let tree = catch_unwind(AssertUnwindSafe(|| map.range_map(*range)));
    let should_panic = !model.is_empty() && rejected(range);
    match (lazy, tree) {
        (Ok(lazy), Ok(tree)) => {
            prop_assert!(!should_panic, "range_map({:?}) did not panic", range);
            let what = format!("range_map({range:?})");
            let expected = range_model(model, range);
            prop_assert!(
                lazy.iter()
                    .copied()
                    .eq(expected.iter().map(|(&k, &v)| (k, v)))
            );
            check_map(&what, &tree, &expected)
        }
        (Err(lazy), Err(tree)) => {
            prop_assert!(should_panic, "range({:?}) panicked", range);
            prop_assert_eq!(panic_message(&*tree), panic_message(&*lazy));
            Ok(())
        }
        (lazy, tree) => Err(TestCaseError::fail(format!(
            "{range:?}: range panicked: {}, range_map panicked: {}",
            lazy.is_err(),
            tree.is_err()
        ))),
    }
}

/// `filter`, `filter_map` and `map_values` of one map.
fn run_filters<P: PointerKind>(case: &OneCase) -> Result<(), TestCaseError> {
    let map = build::<P>(&case.entries, case.by_insert);
    let model: Model = case.entries.iter().copied().collect();
    for &pick in &case.picks {
        let kept: Model = model
            .iter()
            .filter(|&(&k, &v)| pick.keeps(k, v))
            .map(|(&k, &v)| (k, v))
            .collect();
        check_map(
            &format!("filter({pick:?})"),
            &map.filter(|&k, &v| pick.keeps(k, v)),
            &kept,
        )?;
        let mapped: BTreeMap<u16, u64> = kept
            .iter()
            .map(|(&k, &v)| (k, u64::from(v) * 3 + u64::from(k)))
            .collect();
        check_map(
            &format!("filter_map({pick:?})"),
            &map.filter_map(|&k, &v| pick.keeps(k, v).then(|| u64::from(v) * 3 + u64::from(k))),
            &mapped,
        )?;
    }
    let labels = map.map_values(|&k, &v| (u64::from(v) << 16) | u64::from(k));
    let label_model: BTreeMap<u16, u64> = model
        .iter()
        .map(|(&k, &v)| (k, (u64::from(v) << 16) | u64::from(k)))
        .collect();
    check_map("map_values", &labels, &label_model)?;
    prop_assert_eq!(shape(&labels), shape(&map), "map_values changed the shape");
    check_map("the map afterwards", &map, &model)
}

/// The parallel filters return the sequential results.
fn check_parallel_filters<K>(
    map: &AvlMap<K, u32>,
    keep: impl Fn(&K, &u32) -> bool + Sync,
) -> Result<(), TestCaseError>
where
    K: Ord + Copy + Debug + Into<u64> + Send + Sync,
{
    check_twin("par_filter", &map.par_filter(&keep), &map.filter(&keep))?;
    let f = |k: &K, v: &u32| keep(k, v).then(|| u64::from(*v) * 3 + (*k).into());
    check_twin("par_filter_map", &map.par_filter_map(f), &map.filter_map(f))?;
    let g = |k: &K, v: &u32| (u64::from(*v) << 32) | (*k).into();
    let par = map.par_map_values(g);
    check_twin("par_map_values", &par, &map.map_values(g))?;
    prop_assert_eq!(shape(&par), shape(map), "par_map_values changed the shape");
    Ok(())
}

// ---------------------------------------------------------------------------
// Sets

/// Every merge of `a` with `b`, as a method and as an operator, matches
/// std's.
fn check_set_merges<P: PointerKind>(
    a: &AvlSet<u16, P>,
    b: &AvlSet<u16, P>,
    ma: &SetModel,
    mb: &SetModel,
) -> Result<(), TestCaseError> {
    let union = a.union_set(b);
    check_set("union_set", &union, &ma.union(mb).copied().collect())?;
    check_set("a | b", &(a | b), &ma.union(mb).copied().collect())?;
    prop_assert!((a | b) == union);

    let intersection = a.intersection_set(b);
    check_set(
        "intersection_set",
        &intersection,
        &ma.intersection(mb).copied().collect(),
    )?;
    check_set("a & b", &(a & b), &ma.intersection(mb).copied().collect())?;
    prop_assert!((a & b) == intersection);

    let difference = a.difference_set(b);
    check_set(
        "difference_set",
        &difference,
        &ma.difference(mb).copied().collect(),
    )?;
    check_set("a - b", &(a - b), &ma.difference(mb).copied().collect())?;
    prop_assert!((a - b) == difference);

    let either = a.symmetric_difference_set(b);
    check_set(
        "symmetric_difference_set",
        &either,
        &ma.symmetric_difference(mb).copied().collect(),
    )?;
    check_set(
        "a ^ b",
        &(a ^ b),
        &ma.symmetric_difference(mb).copied().collect(),
    )?;
    prop_assert!((a ^ b) == either);
    Ok(())
}

fn check_parallel_set_merges(a: &AvlSet<u16>, b: &AvlSet<u16>) -> Result<(), TestCaseError> {
    check_set_twin("par_union_set", &a.par_union_set(b), &a.union_set(b))?;
    check_set_twin(
        "par_intersection_set",
        &a.par_intersection_set(b),
        &a.intersection_set(b),
    )?;
    check_set_twin(
        "par_difference_set",
        &a.par_difference_set(b),
        &a.difference_set(b),
    )?;
    check_set_twin(
        "par_symmetric_difference_set",
        &a.par_symmetric_difference_set(b),
        &a.symmetric_difference_set(b),
    )
}

fn run_set_merges<P: PointerKind>(case: &PairCase) -> Result<(), TestCaseError> {
    let pair = case.build::<P>();
    let (a, b, base) = (set_of(&pair.a), set_of(&pair.b), set_of(&pair.base));
    let (ma, mb, mbase) = (
        keys_of(&pair.ma),
        keys_of(&pair.mb),
        keys_of(&pair.base_model),
    );
    check_set_merges(&a, &b, &ma, &mb)?;
    check_set_merges(&b, &a, &mb, &ma)?;
    check_set_merges(&a, &a, &ma, &ma)?;
    check_set_merges(&a, &base, &ma, &mbase)?;
    check_set("the first input afterwards", &a, &ma)?;
    check_set("the second input afterwards", &b, &mb)
}

/// `split`, `split_at`, `range_set`, `filter`, `get_prev` and `get_next` of
/// one set.
fn run_set_slices<P: PointerKind>(case: &OneCase) -> Result<(), TestCaseError> {
    quiet();
    let set: AvlSet<u16, P> = case.entries.iter().map(|&(k, _)| k).collect();
    let model: SetModel = case.entries.iter().map(|&(k, _)| k).collect();
    let elements: Vec<u16> = model.iter().copied().collect();

    for &key in &case.probes {
        let (below, found, above) = set.split(&key);
        let what = format!("split({key})");
        check_set(&what, &below, &model.range(..key).copied().collect())?;
        prop_assert_eq!(found, model.get(&key).copied(), "{}", what);
        check_set(
            &what,
            &above,
            &model.range((Excluded(key), Unbounded)).copied().collect(),
        )?;
        prop_assert_eq!(set.get_prev(&key), model.range(..key).next_back());
        prop_assert_eq!(
            set.get_next(&key),
            model.range((Excluded(key), Unbounded)).next()
        );
    }
    for &index in case.indices.iter().chain(&[0, model.len()]) {
        let (first, rest) = set.split_at(index);
        let at = index.min(elements.len());
        check_set(
            "split_at",
            &first,
            &elements[..at].iter().copied().collect(),
        )?;
        check_set("split_at", &rest, &elements[at..].iter().copied().collect())?;
    }
    for range in &case.ranges {
        let lazy = catch_unwind(AssertUnwindSafe(|| set.range(*range).count()));
        let tree = catch_unwind(AssertUnwindSafe(|| set.range_set(*range)));
        match (lazy, tree) {
            (Ok(_), Ok(tree)) => check_set(
                &format!("range_set({range:?})"),
                &tree,
                &model
                    .iter()
                    .filter(|k| range.contains(*k))
                    .copied()
                    .collect(),
            )?,
            (Err(lazy), Err(tree)) => {
                prop_assert_eq!(panic_message(&*tree), panic_message(&*lazy));
            }
            (lazy, _) => {
                return Err(TestCaseError::fail(format!(
                    "{range:?}: only one of range and range_set panicked (range: {})",
                    lazy.is_err()
                )));
            }
        }
    }
    for &pick in &case.picks {
        check_set(
            &format!("filter({pick:?})"),
            &set.filter(|&k| pick.keeps(k, 1)),
            &model
                .iter()
                .filter(|&&k| pick.keeps(k, 1))
                .copied()
                .collect(),
        )?;
    }
    check_set("the set afterwards", &set, &model)
}

// ---------------------------------------------------------------------------
// Parallel iterators

/// Every parallel iterator over `map` (and its set of keys) yields what the
/// sequential one yields: whole, reversed, enumerated, and in each window
/// `(skip, take)`, which splits the parallel producer at those positions.
fn check_parallel_iterators(
    map: &AvlMap<u16, u32>,
    windows: &[(usize, usize)],
) -> Result<(), TestCaseError> {
    let entries: Vec<(&u16, &u32)> = map.iter().collect();
    let set = set_of(map);
    let elements: Vec<&u16> = set.iter().collect();
    let n = entries.len();

    prop_assert_eq!(map.par_iter().len(), n);
    prop_assert_eq!(map.par_iter().collect::<Vec<_>>(), entries.clone());
    prop_assert!(
        map.par_keys()
            .collect::<Vec<_>>()
            .into_iter()
            .eq(map.keys())
    );
    prop_assert!(
        map.par_values()
            .collect::<Vec<_>>()
            .into_iter()
            .eq(map.values())
    );
    prop_assert_eq!(set.par_iter().len(), n);
    prop_assert_eq!(set.par_iter().collect::<Vec<_>>(), elements.clone());
    prop_assert!(
        map.par_iter()
            .rev()
            .collect::<Vec<_>>()
            .into_iter()
            .eq(entries.iter().rev().copied())
    );
    prop_assert!(
        map.par_iter()
            .enumerate()
            .collect::<Vec<_>>()
            .into_iter()
            .eq(entries.iter().copied().enumerate())
    );
    for &(skip, take) in windows {
        let window = &entries[skip.min(n)..(skip + take).min(n)];
        prop_assert_eq!(
            map.par_iter()
                .with_min_len(1)
                .skip(skip)
                .take(take)
                .collect::<Vec<_>>(),
            window,
            "par_iter().skip({}).take({})",
            skip,
            take
        );
        let back: Vec<_> = entries
            .iter()
            .rev()
            .skip(skip)
            .take(take)
            .copied()
            .collect();
        prop_assert_eq!(
            map.par_iter()
                .with_min_len(1)
                .rev()
                .skip(skip)
                .take(take)
                .collect::<Vec<_>>(),
            back,
            "par_iter().rev().skip({}).take({})",
            skip,
            take
        );
        prop_assert_eq!(
            set.par_iter()
                .with_min_len(1)
                .skip(skip)
                .take(take)
                .collect::<Vec<_>>(),
            &elements[skip.min(n)..(skip + take).min(n)],
            "set par_iter().skip({}).take({})",
            skip,
            take
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The properties

proptest! {
    #![proptest_config(common::config())]

    #[test]
    fn merging_two_maps_matches_btreemap(case in pair_case()) {
        run_merges::<ArcKind>(&case)?;
        run_merges::<Small>(&case)?;
        run_merges::<Classic>(&case)?;
    }

    #[test]
    fn parallel_merges_of_two_maps_return_the_sequential_result(case in pair_case()) {
        let pair = case.build::<ArcKind>();
        check_parallel_merges(&pair.a, &pair.b)?;
        check_parallel_merges(&pair.b, &pair.a)?;
        check_parallel_merges(&pair.a, &pair.base)?;
        check_map("the first input afterwards", &pair.a, &pair.ma)?;
        check_map("the second input afterwards", &pair.b, &pair.mb)?;
    }

    #[test]
    fn splitting_and_slicing_a_map_matches_btreemap(case in one_case()) {
        run_slices::<ArcKind>(&case)?;
        run_slices::<Small>(&case)?;
        run_slices::<Classic>(&case)?;
    }

    #[test]
    fn filtering_and_mapping_a_map_matches_btreemap(case in one_case()) {
        run_filters::<ArcKind>(&case)?;
        run_filters::<Small>(&case)?;
        run_filters::<Classic>(&case)?;
        let map = build::<ArcKind>(&case.entries, case.by_insert);
        for &pick in &case.picks {
            check_parallel_filters(&map, |&k, &v| pick.keeps(k, v))?;
        }
    }

    #[test]
    fn merging_two_sets_matches_btreeset(case in pair_case()) {
        run_set_merges::<ArcKind>(&case)?;
        run_set_merges::<Small>(&case)?;
        run_set_merges::<Classic>(&case)?;
        let pair = case.build::<ArcKind>();
        let (a, b) = (set_of(&pair.a), set_of(&pair.b));
        check_parallel_set_merges(&a, &b)?;
        check_parallel_set_merges(&b, &a)?;
        for pick in [Pick::DropMultiplesOf(3), Pick::Below(100)] {
            check_set_twin(
                "par_filter",
                &a.par_filter(|&k| pick.keeps(k, 1)),
                &a.filter(|&k| pick.keeps(k, 1)),
            )?;
        }
    }

    #[test]
    fn splitting_and_filtering_a_set_matches_btreeset(case in one_case()) {
        run_set_slices::<ArcKind>(&case)?;
        run_set_slices::<Small>(&case)?;
        run_set_slices::<Classic>(&case)?;
    }

    #[test]
    fn parallel_iterators_yield_what_the_sequential_ones_do(case in one_case()) {
        let map = build::<ArcKind>(&case.entries, case.by_insert);
        let n = map.len();
        let windows: Vec<(usize, usize)> = case
            .windows
            .iter()
            .map(|(skip, take)| (skip.index(n + 2), take.index(n + 2)))
            .collect();
        check_parallel_iterators(&map, &windows)?;
    }

    /// Collecting keeps, of equal keys, the last entry, as std's `from_iter`;
    /// extending adds every entry, as std's `extend`.
    #[test]
    fn parallel_collect_and_extend_match_btreemap(
        existing in vec(entry(64), 0..100),
        more in vec(entry(64), 0..300),
    ) {
        let collected: AvlMap<u16, u32> = more.par_iter().copied().collect();
        check_map("collect", &collected, &more.iter().copied().collect())?;
        let set: AvlSet<u16> = more.par_iter().map(|&(k, _)| k).collect();
        check_set("collect", &set, &more.iter().map(|&(k, _)| k).collect())?;

        let mut map: AvlMap<u16, u32> = existing.iter().copied().collect();
        let before = map.clone();
        let mut model: Model = existing.iter().copied().collect();
        let before_model = model.clone();
        map.par_extend(more.par_iter().copied());
        model.extend(more.iter().copied());
        check_map("par_extend", &map, &model)?;
        check_map("the version before par_extend", &before, &before_model)?;

        let mut set = set_of(&before);
        let mut set_model = keys_of(&before_model);
        set.par_extend(more.par_iter().map(|&(k, _)| k));
        set_model.extend(more.iter().map(|&(k, _)| k));
        check_set("par_extend", &set, &set_model)?;
    }
}

// ---------------------------------------------------------------------------
// Large maps: the parallel forms really fork

/// How the second large map is made.
#[derive(Clone, Debug)]
enum LargeSecond {
    /// The first after these edits (key, insert or remove).
    Edited(Vec<(u32, bool)>),
    /// The keys `start, start + stride, ...`, `len` of them.
    Progression { start: u32, stride: u32, len: u32 },
}

#[derive(Clone, Debug)]
struct LargeCase {
    len: u32,
    stride: u32,
    second: LargeSecond,
}

fn large_case() -> impl Strategy<Value = LargeCase> {
    let second = prop_oneof![
        vec((0..60_000u32, any::<bool>()), 0..40).prop_map(LargeSecond::Edited),
        (0..30_000u32, 1..4u32, 0..20_000u32)
            .prop_map(|(start, stride, len)| LargeSecond::Progression { start, stride, len }),
    ];
    (10_000..30_000u32, 1..3u32, second).prop_map(|(len, stride, second)| LargeCase {
        len,
        stride,
        second,
    })
}

type LargeModel = BTreeMap<u32, u32>;

impl LargeCase {
    fn build(&self) -> (AvlMap<u32, u32>, AvlMap<u32, u32>, LargeModel, LargeModel) {
        let ma: LargeModel = (0..self.len).map(|i| (i * self.stride, i % 1000)).collect();
        let a: AvlMap<u32, u32> = ma.iter().map(|(&k, &v)| (k, v)).collect();
        match self.second {
            LargeSecond::Edited(ref edits) => {
                let (mut b, mut mb) = (a.clone(), ma.clone());
                for &(k, insert) in edits {
                    if insert {
                        b.insert(k, k % 7);
                        mb.insert(k, k % 7);
                    } else {
                        b.remove(&k);
                        mb.remove(&k);
                    }
                }
                (a, b, ma, mb)
            }
            LargeSecond::Progression { start, stride, len } => {
                let mb: LargeModel = (0..len).map(|i| (start + i * stride, i % 500)).collect();
                let b = mb.iter().map(|(&k, &v)| (k, v)).collect();
                (a, b, ma, mb)
            }
        }
    }
}

/// Counts the calls of a closure made on rayon's pool (the test's own
/// thread is not one of its threads).
fn on_the_pool(calls: &AtomicUsize) {
    if rayon::current_thread_index().is_some() {
        calls.fetch_add(1, Relaxed);
    }
}

/// Every parallel form on a large pair returns the sequential result (and
/// the merges the models' results), and the closures run on rayon's pool.
fn run_large(case: &LargeCase) -> Result<(), TestCaseError> {
    let (a, b, ma, mb) = case.build();
    check_merges(&a, &b, &ma, &mb)?;
    check_parallel_merges(&a, &b)?;
    check_parallel_merges(&b, &a)?;

    let forked = AtomicUsize::new(0);
    let keep = |k: &u32, _: &u32| {
        on_the_pool(&forked);
        !k.is_multiple_of(5)
    };
    check_parallel_filters(&a, keep)?;
    prop_assert!(forked.load(Relaxed) > 0, "par_filter never ran on the pool");
    let forked = AtomicUsize::new(0);
    let combined = a.par_union_map_with(&a, |k, x, y| {
        on_the_pool(&forked);
        mix(k, x, y)
    });
    check_twin(
        "par_union_map_with of a map with itself",
        &combined,
        &a.union_map_with(&a, mix),
    )?;
    prop_assert!(
        forked.load(Relaxed) > 0,
        "par_union_map_with never ran on the pool"
    );

    let (sa, sb): (AvlSet<u32>, AvlSet<u32>) =
        (a.keys().copied().collect(), b.keys().copied().collect());
    check_set_twin("par_union_set", &sa.par_union_set(&sb), &sa.union_set(&sb))?;
    check_set_twin(
        "par_intersection_set",
        &sa.par_intersection_set(&sb),
        &sa.intersection_set(&sb),
    )?;
    check_set_twin(
        "par_difference_set",
        &sa.par_difference_set(&sb),
        &sa.difference_set(&sb),
    )?;
    check_set_twin(
        "par_symmetric_difference_set",
        &sa.par_symmetric_difference_set(&sb),
        &sa.symmetric_difference_set(&sb),
    )?;
    check_set_twin(
        "par_filter",
        &sa.par_filter(|k| k.is_multiple_of(3)),
        &sa.filter(|k| k.is_multiple_of(3)),
    )?;

    // Parts as small as rayon will make them (the producer's own minimum
    // length still holds).
    prop_assert!(
        a.par_iter()
            .with_max_len(1)
            .collect::<Vec<_>>()
            .into_iter()
            .eq(a.iter())
    );
    prop_assert!(
        a.par_iter()
            .with_max_len(1)
            .rev()
            .collect::<Vec<_>>()
            .into_iter()
            .eq(a.iter().rev())
    );
    prop_assert!(
        sa.par_iter()
            .with_max_len(1)
            .collect::<Vec<_>>()
            .into_iter()
            .eq(sa.iter())
    );
    prop_assert_eq!(
        a.par_keys().map(|&k| u64::from(k)).sum::<u64>(),
        ma.keys().map(|&k| u64::from(k)).sum::<u64>()
    );

    check_map("the first input afterwards", &a, &ma)?;
    check_map("the second input afterwards", &b, &mb)?;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..common::config() })]

    #[test]
    fn parallel_forms_of_large_maps_fork_and_return_the_sequential_result(case in large_case()) {
        run_large(&case)?;
    }
}

#[test]
fn parallel_iterators_split_at_every_position() -> Result<(), TestCaseError> {
    // Four blocks of 32 and the nodes above them, and some more.
    let map: AvlMap<u16, u32> = (0..140).map(|k| (k * 2, u32::from(k))).collect();
    let entries: Vec<(&u16, &u32)> = map.iter().collect();
    let set = set_of(&map);
    let elements: Vec<&u16> = set.iter().collect();
    let n = entries.len();
    for skip in 0..=n {
        for take in 0..=n - skip {
            let window = skip..skip + take;
            let got: Vec<_> = map
                .par_iter()
                .with_min_len(1)
                .skip(skip)
                .take(take)
                .collect();
            prop_assert_eq!(
                got,
                &entries[window.clone()],
                "skip({}).take({})",
                skip,
                take
            );
            let got: Vec<_> = set.par_iter().skip(skip).take(take).collect();
            prop_assert_eq!(got, &elements[window], "set skip({}).take({})", skip, take);
        }
        let back: Vec<_> = entries.iter().rev().skip(skip).copied().collect();
        let got: Vec<_> = map.par_iter().rev().skip(skip).collect();
        prop_assert_eq!(got, back, "rev().skip({})", skip);
        let got: Vec<_> = map.par_iter().skip(skip).enumerate().collect();
        let expected: Vec<_> = entries[skip..].iter().copied().enumerate().collect();
        prop_assert_eq!(got, expected, "skip({}).enumerate()", skip);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Which key a result holds

/// A key whose tag takes no part in comparisons, to see which of two equal
/// keys a result holds.
#[derive(Clone, Copy, Debug)]
struct Tagged(u32, char);

impl PartialEq for Tagged {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl Eq for Tagged {}
impl PartialOrd for Tagged {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Tagged {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

type Tags = Vec<(u32, char, u32)>;

fn tagged<P: PointerKind>(entries: &[(u32, char, u32)]) -> AvlMap<Tagged, u32, P> {
    entries.iter().map(|&(k, t, v)| (Tagged(k, t), v)).collect()
}

fn tags<'a>(entries: impl Iterator<Item = (&'a Tagged, &'a u32)>) -> Tags {
    entries.map(|(k, &v)| (k.0, k.1, v)).collect()
}

/// Which key each merge keeps, on one layout, against std.
fn check_kept_keys<P: PointerKind>(first: &[(u32, char, u32)], second: &[(u32, char, u32)]) {
    let (a, b) = (tagged::<P>(first), tagged::<P>(second));
    let std_a: BTreeMap<Tagged, u32> = first.iter().map(|&(k, t, v)| (Tagged(k, t), v)).collect();
    let std_b: BTreeMap<Tagged, u32> = second.iter().map(|&(k, t, v)| (Tagged(k, t), v)).collect();
    let with = |_: &Tagged, x: u32, y: u32| x * 10 + y;

    let mut std_union = std_a.clone();
    std_union.extend(std_b.iter().map(|(&k, &v)| (k, v)));
    assert_eq!(
        tags(a.union_map(&b).iter()),
        tags(std_union.iter()),
        "union_map"
    );
    let mut std_union_with = std_a.clone();
    for (k, &v) in &std_b {
        match std_union_with.get_mut(k) {
            Some(x) => *x = with(k, *x, v),
            None => _ = std_union_with.insert(*k, v),
        }
    }
    assert_eq!(
        tags(a.union_map_with(&b, with).iter()),
        tags(std_union_with.iter()),
        "union_map_with"
    );
    let std_both: BTreeMap<Tagged, u32> = std_a
        .iter()
        .filter(|(k, _)| std_b.contains_key(k))
        .map(|(&k, &v)| (k, v))
        .collect();
    assert_eq!(
        tags(a.intersection_map(&b).iter()),
        tags(std_both.iter()),
        "intersection_map"
    );
    let std_both_with: Vec<_> = std_both
        .iter()
        .map(|(k, &v)| (k.0, k.1, with(k, v, std_b[k])))
        .collect();
    assert_eq!(
        tags(a.intersection_map_with(&b, with).iter()),
        std_both_with,
        "intersection_map_with"
    );
    // Each entry of a symmetric difference comes from the map that holds it.
    let either = a.symmetric_difference_map(&b);
    for (k, v) in &either {
        let from = if std_a.contains_key(k) {
            &std_a
        } else {
            &std_b
        };
        let (stored, &value) = from.get_key_value(k).unwrap();
        assert_eq!((k.1, *v), (stored.1, value), "symmetric_difference_map");
    }
}

const LEFT: [(u32, char, u32); 4] = [(1, 'a', 10), (2, 'a', 20), (4, 'a', 40), (6, 'a', 60)];
const RIGHT: [(u32, char, u32); 4] = [(2, 'b', 2), (3, 'b', 3), (4, 'b', 4), (7, 'b', 7)];

#[test]
fn union_keeps_the_left_key_and_the_right_value() {
    let union = tagged::<ArcKind>(&LEFT).union_map(&tagged(&RIGHT));
    assert_eq!(
        tags(union.iter()),
        [
            (1, 'a', 10),
            (2, 'a', 2),
            (3, 'b', 3),
            (4, 'a', 4),
            (6, 'a', 60),
            (7, 'b', 7)
        ]
    );
    check_kept_keys::<ArcKind>(&LEFT, &RIGHT);
    check_kept_keys::<Small>(&LEFT, &RIGHT);
    check_kept_keys::<Classic>(&LEFT, &RIGHT);
}

#[test]
fn the_combining_forms_keep_the_left_key_and_pass_the_left_value_first() {
    let (a, b) = (tagged::<ArcKind>(&LEFT), tagged::<ArcKind>(&RIGHT));
    let union = a.union_map_with(&b, |_, x, y| x * 100 + y);
    assert_eq!(
        tags(union.iter()),
        [
            (1, 'a', 10),
            (2, 'a', 2002),
            (3, 'b', 3),
            (4, 'a', 4004),
            (6, 'a', 60),
            (7, 'b', 7)
        ]
    );
    let both = a.intersection_map_with(&b, |_, x, y| x * 100 + y);
    assert_eq!(tags(both.iter()), [(2, 'a', 2002), (4, 'a', 4004)]);
    let both = a.intersection_map(&b);
    assert_eq!(tags(both.iter()), [(2, 'a', 20), (4, 'a', 40)]);
}

#[test]
fn large_parallel_merges_keep_the_same_keys_as_the_sequential_ones() {
    // Every key of the left map, every third of the right map's: forks.
    let left: Vec<_> = (0..20_000).map(|k| (k, 'a', k)).collect();
    let right: Vec<_> = (0..20_000).map(|k| (k * 3, 'b', k + 1)).collect();
    let (a, b) = (tagged::<ArcKind>(&left), tagged::<ArcKind>(&right));
    for (par, seq, what) in [
        (a.par_union_map(&b), a.union_map(&b), "union"),
        (b.par_union_map(&a), b.union_map(&a), "union, swapped"),
        (
            a.par_intersection_map(&b),
            a.intersection_map(&b),
            "intersection",
        ),
        (
            b.par_intersection_map(&a),
            b.intersection_map(&a),
            "intersection, swapped",
        ),
        (
            a.par_symmetric_difference_map(&b),
            a.symmetric_difference_map(&b),
            "symmetric difference",
        ),
        (
            a.par_union_map_with(&b, |_, x, y| x ^ y),
            a.union_map_with(&b, |_, x, y| x ^ y),
            "union_with",
        ),
    ] {
        par.check_invariants().unwrap();
        assert_eq!(tags(par.iter()), tags(seq.iter()), "{what}");
    }
    check_kept_keys::<ArcKind>(&left, &right);
}

#[test]
fn set_algebra_keeps_the_left_copy_of_equal_elements() {
    let element = |(k, t, _): (u32, char, u32)| Tagged(k, t);
    let a: AvlSet<Tagged> = LEFT.into_iter().map(element).collect();
    let b: AvlSet<Tagged> = RIGHT.into_iter().map(element).collect();
    let read = |set: &AvlSet<Tagged>| set.iter().map(|t| (t.0, t.1)).collect::<Vec<_>>();
    let union = [(1, 'a'), (2, 'a'), (3, 'b'), (4, 'a'), (6, 'a'), (7, 'b')];
    assert_eq!(read(&a.union_set(&b)), union);
    assert_eq!(read(&(&a | &b)), union);
    assert_eq!(read(&a.par_union_set(&b)), union);
    assert_eq!(read(&a.intersection_set(&b)), [(2, 'a'), (4, 'a')]);
    assert_eq!(read(&(&a & &b)), [(2, 'a'), (4, 'a')]);
    assert_eq!(read(&(&b & &a)), [(2, 'b'), (4, 'b')]);
    assert_eq!(read(&a.par_intersection_set(&b)), [(2, 'a'), (4, 'a')]);
    assert_eq!(read(&(&a ^ &b)), [(1, 'a'), (3, 'b'), (6, 'a'), (7, 'b')]);
    // std's lazy union also yields the left copy.
    let (sa, sb): (BTreeSet<Tagged>, BTreeSet<Tagged>) =
        (a.iter().copied().collect(), b.iter().copied().collect());
    assert_eq!(sa.union(&sb).map(|t| (t.0, t.1)).collect::<Vec<_>>(), union);
}

#[test]
fn split_returns_the_stored_entry() {
    let map = tagged::<Small>(&LEFT);
    let (below, found, above) = map.split(&Tagged(2, 'z'));
    assert_eq!(found.map(|(k, v)| (k.0, k.1, v)), Some((2, 'a', 20)));
    assert_eq!(tags(below.iter()), [(1, 'a', 10)]);
    assert_eq!(tags(above.iter()), [(4, 'a', 40), (6, 'a', 60)]);
    let set: AvlSet<Tagged> = [Tagged(5, 'a'), Tagged(9, 'a')].into();
    assert_eq!(set.split(&Tagged(9, 'z')).1.map(|t| t.1), Some('a'));
}

#[test]
fn parallel_collect_keeps_the_last_of_equal_keys_as_from_iter() {
    // Enough entries that rayon sorts them in parallel, each key 30 times.
    let entries: Vec<(Tagged, u32)> = (0..30_000u32)
        .map(|i| {
            (
                Tagged((i * 7919) % 1000, char::from(b'a' + (i % 26) as u8)),
                i,
            )
        })
        .collect();
    let ours: AvlMap<Tagged, u32> = entries.par_iter().copied().collect();
    let std: BTreeMap<Tagged, u32> = entries.iter().copied().collect();
    ours.check_invariants().unwrap();
    assert_eq!(tags(ours.iter()), tags(std.iter()));

    let ours: AvlSet<Tagged> = entries.par_iter().map(|&(k, _)| k).collect();
    let std: BTreeSet<Tagged> = entries.iter().map(|&(k, _)| k).collect();
    ours.check_invariants().unwrap();
    let read = |it: &mut dyn Iterator<Item = &Tagged>| it.map(|t| (t.0, t.1)).collect::<Vec<_>>();
    assert_eq!(read(&mut ours.iter()), read(&mut std.iter()));
}

/// Extends a map and a set of `start` by `more` with std's `extend`, this
/// crate's `extend` and `par_extend`: all three must keep the same keys.
fn check_extend_keeps_keys_as_std(start: &[(Tagged, u32)], more: &[(Tagged, u32)]) {
    let mut std: BTreeMap<Tagged, u32> = start.iter().copied().collect();
    std.extend(more.iter().copied());
    let mut sequential: AvlMap<Tagged, u32> = start.iter().copied().collect();
    sequential.extend(more.iter().copied());
    let mut parallel: AvlMap<Tagged, u32> = start.iter().copied().collect();
    parallel.par_extend(more.par_iter().copied());
    sequential.check_invariants().unwrap();
    parallel.check_invariants().unwrap();
    assert_eq!(tags(sequential.iter()), tags(std.iter()), "extend");
    assert_eq!(tags(parallel.iter()), tags(std.iter()), "par_extend");

    let read = |it: &mut dyn Iterator<Item = &Tagged>| it.map(|t| (t.0, t.1)).collect::<Vec<_>>();
    let elements = || more.iter().map(|&(k, _)| k);
    let mut std: BTreeSet<Tagged> = start.iter().map(|&(k, _)| k).collect();
    std.extend(elements());
    let mut sequential: AvlSet<Tagged> = start.iter().map(|&(k, _)| k).collect();
    sequential.extend(elements());
    let mut parallel: AvlSet<Tagged> = start.iter().map(|&(k, _)| k).collect();
    parallel.par_extend(more.par_iter().map(|&(k, _)| k));
    assert_eq!(
        read(&mut sequential.iter()),
        read(&mut std.iter()),
        "set extend"
    );
    assert_eq!(
        read(&mut parallel.iter()),
        read(&mut std.iter()),
        "set par_extend"
    );
}

/// std's `extend` is a loop of inserts: a key already there keeps its key
/// and takes the new value; of equal new keys, the map keeps the first key
/// with the last value, and a set the first element.
#[test]
fn parallel_extend_keeps_keys_and_values_as_extend_does() {
    let start = [(Tagged(1, 'a'), 1), (Tagged(2, 'a'), 2)];
    // A key the map holds, given twice, and a new key given twice.
    let more = [
        (Tagged(2, 'b'), 20),
        (Tagged(3, 'b'), 30),
        (Tagged(2, 'c'), 21),
        (Tagged(3, 'c'), 31),
    ];
    check_extend_keeps_keys_as_std(&start, &more);
    // Many entries: each key of 0..100 given four times, half of them held.
    let start: Vec<_> = (0..100).step_by(2).map(|k| (Tagged(k, 'a'), k)).collect();
    let more: Vec<_> = (0..400)
        .map(|i| (Tagged(i * 37 % 100, char::from(b'b' + (i / 100) as u8)), i))
        .collect();
    check_extend_keeps_keys_as_std(&start, &more);
}

// ---------------------------------------------------------------------------
// Sharing

type Keyed<P> = AvlMap<u32, u32, P>;

/// A map of `n` even keys, and a version `edits` edits later (inserts of odd
/// keys and removals of even ones, spread over the map), made in place on a
/// clone and by the persistent forms, alternately.
fn close_versions<P: PointerKind>(n: u32, edits: u32) -> (Keyed<P>, Keyed<P>) {
    let a: Keyed<P> = (0..n).map(|k| (2 * k, k)).collect();
    let mut b = a.clone();
    for e in 0..edits {
        let at = (e * 7919 + 13) % n;
        match e % 4 {
            0 => _ = b.insert(2 * at + 1, e),
            1 => _ = b.remove(&(2 * at)),
            2 => b = b.inserted(2 * at + 1, e),
            _ => b = b.removed(&(2 * at)),
        }
    }
    (a, b)
}

fn model_of<P: PointerKind>(map: &Keyed<P>) -> LargeModel {
    map.iter().map(|(&k, &v)| (k, v)).collect()
}

/// How many entries a result `edits` changes away from `map` may store
/// apart from it: two paths per change, each path the nodes from the root
/// down and one block. (Measured: at most about one path per change.)
fn paths<P: PointerKind>(edits: usize, map: &Keyed<P>) -> usize {
    2 * edits.max(1) * (map.height() + P::BLOCK.max(1))
}

/// `result` stores at most `bound` entries in nodes and blocks that `base`
/// does not hold; and the bound means something: a copy of `result` built
/// from scratch, which shares nothing, would not pass it.
fn assert_shares_all_but<P: PointerKind>(
    what: &str,
    result: &Keyed<P>,
    base: &Keyed<P>,
    bound: usize,
) {
    let alone = result.sharing(base).only_first;
    assert!(
        alone <= bound,
        "{what}: {alone} of {} entries not shared, more than {bound}",
        result.len()
    );
    let rebuilt: Keyed<P> = result.iter().map(|(&k, &v)| (k, v)).collect();
    let rebuilt_alone = rebuilt.sharing(base).only_first;
    assert!(
        rebuilt_alone > bound,
        "{what}: the bound {bound} would pass a rebuilt copy ({rebuilt_alone} not shared)"
    );
}

/// The merges of two versions a few edits apart, checked and measured.
fn merges_of_close_versions_share_structure<P: PointerKind>() -> Result<(), TestCaseError> {
    const EDITS: u32 = 6;
    let (a, b) = close_versions::<P>(2000, EDITS);
    let (ma, mb) = (model_of(&a), model_of(&b));
    let bound = paths(EDITS as usize, &b);

    let union = a.union_map(&b);
    check_map("union_map", &union, &union_model(&ma, &mb))?;
    assert_shares_all_but("union_map with the second", &union, &b, bound);
    assert_shares_all_but("union_map with the first", &union, &a, bound);

    let both = a.intersection_map(&b);
    check_map("intersection_map", &both, &intersection_model(&ma, &mb))?;
    assert_shares_all_but("intersection_map with the first", &both, &a, bound);

    // What one version has and the other lacks: the few edited keys.
    let removed = a.difference_map(&b);
    check_map("difference_map", &removed, &difference_model(&ma, &mb))?;
    prop_assert!(removed.len() <= EDITS as usize);
    let either = a.symmetric_difference_map(&b);
    check_map(
        "symmetric_difference_map",
        &either,
        &symmetric_difference_model(&ma, &mb),
    )?;
    prop_assert!(either.len() <= EDITS as usize);

    // Removing a few keys by a difference keeps the rest of the tree.
    let few: Keyed<P> = (0..EDITS)
        .map(|e| (2 * ((e * 7919 + 13) % 2000), 0))
        .collect();
    let rest = a.difference_map(&few);
    check_map(
        "difference_map",
        &rest,
        &difference_model(&ma, &model_of(&few)),
    )?;
    assert_shares_all_but("difference_map of a few keys", &rest, &a, bound);

    check_map("the first input afterwards", &a, &ma)?;
    check_map("the second input afterwards", &b, &mb)
}

#[test]
fn merges_of_close_versions_share_all_but_the_paths_to_their_differences()
-> Result<(), TestCaseError> {
    merges_of_close_versions_share_structure::<ArcKind>()?;
    merges_of_close_versions_share_structure::<Small>()?;
    merges_of_close_versions_share_structure::<Classic>()
}

fn slices_share_structure<P: PointerKind>() -> Result<(), TestCaseError> {
    let (map, _) = close_versions::<P>(2000, 0);
    let model = model_of(&map);
    let one = paths(1, &map);

    let dropped = map.filter(|&k, _| k != 1234);
    let mut expected = model.clone();
    expected.remove(&1234);
    check_map("filter", &dropped, &expected)?;
    assert_shares_all_but("filter dropping one key", &dropped, &map, one);
    let kept = map.filter(|_, _| true);
    prop_assert_eq!(
        kept.sharing(&map).only_first,
        0,
        "filter keeping everything"
    );

    let (below, _, above) = map.split(&2001);
    assert_shares_all_but("split, below", &below, &map, one);
    assert_shares_all_but("split, above", &above, &map, one);
    let (first, rest) = map.split_at(777);
    assert_shares_all_but("split_at, first", &first, &map, one);
    assert_shares_all_but("split_at, rest", &rest, &map, one);
    let middle = map.range_map(1000..3000);
    check_map(
        "range_map",
        &middle,
        &model.range(1000..3000).map(|(&k, &v)| (k, v)).collect(),
    )?;
    assert_shares_all_but("range_map", &middle, &map, 2 * one);
    Ok(())
}

#[test]
fn filter_split_and_range_share_all_but_one_path_with_the_map() -> Result<(), TestCaseError> {
    slices_share_structure::<ArcKind>()?;
    slices_share_structure::<Small>()?;
    slices_share_structure::<Classic>()
}

#[test]
fn large_parallel_merges_of_close_versions_share_as_the_sequential_ones()
-> Result<(), TestCaseError> {
    const EDITS: u32 = 8;
    let (a, b) = close_versions::<ArcKind>(20_000, EDITS);
    let bound = paths(EDITS as usize, &b);
    let union = a.par_union_map(&b);
    check_twin("par_union_map", &union, &a.union_map(&b))?;
    assert_shares_all_but("par_union_map with the second", &union, &b, bound);
    let both = a.par_intersection_map(&b);
    check_twin("par_intersection_map", &both, &a.intersection_map(&b))?;
    assert_shares_all_but("par_intersection_map with the first", &both, &a, bound);
    let dropped = a.par_filter(|&k, _| k != 20_000);
    assert_shares_all_but("par_filter dropping one key", &dropped, &a, paths(1, &a));
    Ok(())
}

// ---------------------------------------------------------------------------
// Panic safety

/// The payload of every planned panic.
struct Boom;

/// Fuses: the call that finds one at 0 panics; below 0 they are off. Shared
/// by every thread, so that a parallel operation's calls on rayon's pool
/// count too; [`FUSES`] gives them to one test at a time.
static ORD_FUSE: AtomicIsize = AtomicIsize::new(-1);
static CLOSURE_FUSE: AtomicIsize = AtomicIsize::new(-1);
static FUSES: Mutex<()> = Mutex::new(());

/// How many planned panics were raised on rayon's pool.
static PANICS_ON_THE_POOL: AtomicUsize = AtomicUsize::new(0);

/// Counts one call against `fuse`; the call that finds it at 0 panics.
fn tick(fuse: &AtomicIsize) {
    if fuse.load(Relaxed) >= 0 && fuse.fetch_sub(1, Relaxed) == 0 {
        on_the_pool(&PANICS_ON_THE_POOL);
        std::panic::panic_any(Boom);
    }
}

/// A key whose `Ord` goes through [`ORD_FUSE`].
#[derive(Clone, Copy, Debug)]
struct Fused(u32);

impl Ord for Fused {
    fn cmp(&self, other: &Self) -> Ordering {
        tick(&ORD_FUSE);
        self.0.cmp(&other.0)
    }
}
impl PartialOrd for Fused {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Fused {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Fused {}

type FusedMap<P> = AvlMap<Fused, u32, P>;

/// An operation to sweep: it makes a new map from the inputs it holds.
type FusedOp<'a, P> = Box<dyn Fn() -> FusedMap<P> + 'a>;

/// The entries as numbers: reading them calls no `Ord`.
fn numbers<P: PointerKind>(map: &FusedMap<P>) -> Vec<(u32, u32)> {
    map.iter().map(|(k, &v)| (k.0, v)).collect()
}

/// Runs `op` with `fuse` set to each of `fuses` in turn until a run
/// completes, and returns its result and how many runs panicked. After each
/// panic, `inputs` must be valid and hold what they held.
fn sweep<R, P: PointerKind>(
    what: &str,
    fuse: &AtomicIsize,
    fuses: impl Iterator<Item = isize>,
    inputs: &[&FusedMap<P>],
    op: impl Fn() -> R,
) -> (R, usize) {
    let before: Vec<_> = inputs.iter().map(|map| numbers(map)).collect();
    let mut panics = 0;
    for at in fuses {
        fuse.store(at, Relaxed);
        let result = catch_unwind(AssertUnwindSafe(&op));
        fuse.store(-1, Relaxed);
        match result {
            Ok(result) => return (result, panics),
            Err(payload) => {
                assert!(payload.is::<Boom>(), "{what}: {}", panic_message(&*payload));
                panics += 1;
                for (input, before) in inputs.iter().zip(&before) {
                    assert_eq!(input.check_invariants(), Ok(()), "{what}, fuse {at}");
                    assert_eq!(
                        &numbers(input),
                        before,
                        "{what}, fuse {at}: an input changed"
                    );
                }
            }
        }
    }
    panic!("{what}: never completed");
}

/// Sweeps every merge and filter of `a` and `b`, with `Ord` and the
/// closures panicking at every call in turn, and checks each completed
/// result against the same operation on plain keys.
fn merges_survive_panics<P: PointerKind>(a: &FusedMap<P>, b: &FusedMap<P>) {
    let plain = |map: &FusedMap<P>| -> Keyed<P> { map.iter().map(|(k, &v)| (k.0, v)).collect() };
    let (pa, pb) = (plain(a), plain(b));
    let every = || 0..;
    let both = [a, b];
    let cases: [(&str, &AtomicIsize, FusedOp<'_, P>, Keyed<P>); 11] = [
        (
            "union_map",
            &ORD_FUSE,
            Box::new(|| a.union_map(b)),
            pa.union_map(&pb),
        ),
        (
            "intersection_map",
            &ORD_FUSE,
            Box::new(|| a.intersection_map(b)),
            pa.intersection_map(&pb),
        ),
        (
            "difference_map",
            &ORD_FUSE,
            Box::new(|| a.difference_map(b)),
            pa.difference_map(&pb),
        ),
        (
            "symmetric_difference_map",
            &ORD_FUSE,
            Box::new(|| a.symmetric_difference_map(b)),
            pa.symmetric_difference_map(&pb),
        ),
        (
            "union_map_with",
            &ORD_FUSE,
            Box::new(|| a.union_map_with(b, |_, x, y| x + y)),
            pa.union_map_with(&pb, |_, x, y| x + y),
        ),
        (
            "union_map_with, the closure panics",
            &CLOSURE_FUSE,
            Box::new(|| {
                a.union_map_with(b, |_, x, y| {
                    tick(&CLOSURE_FUSE);
                    x + y
                })
            }),
            pa.union_map_with(&pb, |_, x, y| x + y),
        ),
        (
            "intersection_map_with, the closure panics",
            &CLOSURE_FUSE,
            Box::new(|| {
                a.intersection_map_with(b, |_, x, y| {
                    tick(&CLOSURE_FUSE);
                    x * y
                })
            }),
            pa.intersection_map_with(&pb, |_, x, y| x * y),
        ),
        (
            "filter, the closure panics",
            &CLOSURE_FUSE,
            Box::new(|| {
                a.filter(|k, _| {
                    tick(&CLOSURE_FUSE);
                    !k.0.is_multiple_of(4)
                })
            }),
            pa.filter(|k, _| !k.is_multiple_of(4)),
        ),
        (
            "filter_map, the closure panics",
            &CLOSURE_FUSE,
            Box::new(|| {
                a.filter_map(|k, v| {
                    tick(&CLOSURE_FUSE);
                    (!k.0.is_multiple_of(3)).then_some(v + 1)
                })
            }),
            pa.filter_map(|k, v| (!k.is_multiple_of(3)).then_some(v + 1)),
        ),
        (
            "map_values, the closure panics",
            &CLOSURE_FUSE,
            Box::new(|| {
                a.map_values(|_, v| {
                    tick(&CLOSURE_FUSE);
                    v * 2
                })
            }),
            pa.map_values(|_, v| v * 2),
        ),
        (
            "range_map",
            &ORD_FUSE,
            Box::new(|| a.range_map(Fused(30)..Fused(300))),
            pa.range_map(30..300),
        ),
    ];
    for (what, fuse, op, expected) in cases {
        let (result, panics) = sweep(what, fuse, every(), &both, op);
        assert!(panics > 0, "{what}: nothing panicked");
        assert_eq!(result.check_invariants(), Ok(()), "{what}");
        assert!(
            numbers(&result)
                .into_iter()
                .eq(expected.iter().map(|(&k, &v)| (k, v))),
            "{what}: wrong result after the sweep"
        );
    }
}

/// A map of keys 0, 3, ..., 357 built in a scrambled order; a version of
/// it a few edits later; and a map built on its own, with keys between
/// theirs and equal to some.
fn fused_maps<P: PointerKind>() -> (FusedMap<P>, FusedMap<P>, FusedMap<P>) {
    let mut a = FusedMap::<P>::empty();
    for i in 0..120 {
        let k = (i * 37 % 120) * 3;
        a.insert(Fused(k), k);
    }
    let mut edited = a.clone();
    edited.insert(Fused(4), 1);
    edited.insert(Fused(400), 2);
    edited.remove(&Fused(30));
    edited = edited.removed(&Fused(300)).inserted(Fused(60), 3);
    let fresh: FusedMap<P> = (40..100).map(|i| (Fused(i * 2), i)).collect();
    (a, edited, fresh)
}

fn panics_leave_inputs_intact<P: PointerKind>() {
    let (a, edited, fresh) = fused_maps::<P>();
    merges_survive_panics(&a, &edited);
    merges_survive_panics(&edited, &a);
    merges_survive_panics(&a, &fresh);
}

#[test]
fn a_panic_in_ord_or_a_closure_leaves_both_inputs_intact_and_valid() {
    quiet();
    let _one_at_a_time = FUSES.lock().unwrap_or_else(PoisonError::into_inner);
    panics_leave_inputs_intact::<ArcKind>();
    panics_leave_inputs_intact::<Small>();
    panics_leave_inputs_intact::<Classic>();
}

#[test]
fn a_panic_on_the_pool_leaves_both_inputs_of_a_parallel_form_intact_and_valid() {
    quiet();
    let _one_at_a_time = FUSES.lock().unwrap_or_else(PoisonError::into_inner);
    let a: FusedMap<ArcKind> = (0..8000).map(|k| (Fused(k * 2), k)).collect();
    let mut b = a.clone();
    for k in (0..16_000).step_by(997) {
        b.insert(Fused(k), 0);
        b.remove(&Fused(k + 500));
    }
    let fresh: FusedMap<ArcKind> = (0..6000).map(|k| (Fused(k * 3), k)).collect();
    // 0, 1, 4, 13, 40, ...: a panic early, late, and in between.
    let fuses = || std::iter::successors(Some(0isize), |n| Some(n * 3 + 1));
    for (x, y) in [(&a, &b), (&b, &a), (&a, &fresh)] {
        let inputs = [x, y];
        let ops: [(&str, &AtomicIsize, FusedOp<'_, ArcKind>); 6] = [
            ("par_union_map", &ORD_FUSE, Box::new(|| x.par_union_map(y))),
            (
                "par_intersection_map",
                &ORD_FUSE,
                Box::new(|| x.par_intersection_map(y)),
            ),
            (
                "par_difference_map",
                &ORD_FUSE,
                Box::new(|| x.par_difference_map(y)),
            ),
            (
                "par_symmetric_difference_map",
                &ORD_FUSE,
                Box::new(|| x.par_symmetric_difference_map(y)),
            ),
            (
                "par_union_map_with, the closure panics",
                &CLOSURE_FUSE,
                Box::new(|| {
                    x.par_union_map_with(y, |_, v, w| {
                        tick(&CLOSURE_FUSE);
                        v ^ w
                    })
                }),
            ),
            (
                "par_filter, the closure panics",
                &CLOSURE_FUSE,
                Box::new(|| {
                    x.par_filter(|k, _| {
                        tick(&CLOSURE_FUSE);
                        !k.0.is_multiple_of(5)
                    })
                }),
            ),
        ];
        for (what, fuse, op) in ops {
            let (result, panics) = sweep(what, fuse, fuses(), &inputs, op);
            assert!(panics > 0, "{what}: nothing panicked");
            assert_eq!(result.check_invariants(), Ok(()), "{what}");
        }
    }
    assert!(
        PANICS_ON_THE_POOL.load(Relaxed) > 0,
        "no panic was raised on rayon's pool"
    );
}

// ---------------------------------------------------------------------------
// Range syntax

#[test]
fn range_map_and_range_set_take_every_kind_of_range() {
    let map: AvlMap<u16, u32, Small> = (0..50).map(|k| (k * 2, u32::from(k))).collect();
    let keys = |m: AvlMap<u16, u32, Small>| m.into_keys().collect::<Vec<_>>();
    assert_eq!(keys(map.range_map(10..16)), [10, 12, 14]);
    assert_eq!(keys(map.range_map(10..=16)), [10, 12, 14, 16]);
    assert_eq!(keys(map.range_map(..4)), [0, 2]);
    assert_eq!(keys(map.range_map(..=4)), [0, 2, 4]);
    assert_eq!(keys(map.range_map(95..)), [96, 98]);
    assert_eq!(map.range_map(..).len(), 50);
    assert_eq!(keys(map.range_map((Excluded(10), Excluded(16)))), [12, 14]);
    assert_eq!(keys(map.range_map((Excluded(97), Unbounded))), [98]);
    assert!(map.range_map(7..7).is_empty());

    let words: AvlMap<String, u32> = ["ant", "bee", "cat", "dog"]
        .iter()
        .map(|w| (w.to_string(), 0))
        .collect();
    let middle = words.range_map::<str, _>((Included("b"), Excluded("d")));
    assert_eq!(middle.into_keys().collect::<Vec<_>>(), ["bee", "cat"]);
    let set: AvlSet<String> = words.keys().cloned().collect();
    assert_eq!(set.range_set::<str, _>((Included("c"), Unbounded)).len(), 2);

    // An empty map checks no bounds, as the lazy range does not.
    let empty = AvlMap::<u16, u32>::new();
    #[allow(clippy::reversed_empty_ranges)]
    let backwards = empty.range_map(5..2);
    assert!(backwards.is_empty());
}

// ---------------------------------------------------------------------------
// Owning and mutable parallel iterators, subsets, bulk extend

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `into_par_iter` yields what `into_iter` does, split anywhere, and
    /// leaves every other version of the map as it was.
    #[test]
    fn owning_parallel_iterators_yield_what_into_iter_does(
        entries in vec(entry(4000), 0..3000),
        skip in 0usize..3200,
        take in 0usize..3200,
    ) {
        let map: AvlMap<u16, u32> = entries.iter().copied().collect();
        let model: Model = entries.iter().copied().collect();
        let kept = map.clone();
        let all: Vec<(u16, u32)> = model.iter().map(|(&k, &v)| (k, v)).collect();
        prop_assert_eq!(map.clone().into_par_iter().collect::<Vec<_>>(), all.clone());
        let window: Vec<(u16, u32)> = map
            .clone()
            .into_par_iter()
            .with_min_len(1)
            .skip(skip)
            .take(take)
            .collect();
        let expected: Vec<(u16, u32)> = all.iter().copied().skip(skip).take(take).collect();
        prop_assert_eq!(window, expected);
        prop_assert_eq!(
            map.clone().into_par_iter().rev().collect::<Vec<_>>(),
            all.iter().rev().copied().collect::<Vec<_>>()
        );
        let set = set_of(&map);
        prop_assert_eq!(
            set.into_par_iter().collect::<Vec<_>>(),
            model.keys().copied().collect::<Vec<_>>()
        );
        check_map("the map after into_par_iter of clones", &kept, &model)?;
    }

    /// `par_iter_mut` and `par_values_mut` change every value as
    /// `iter_mut` would, and leave an older version as it was.
    #[test]
    fn mutable_parallel_iterators_change_values_as_iter_mut_does(
        entries in vec(entry(4000), 0..3000),
    ) {
        let mut map: AvlMap<u16, u32> = entries.iter().copied().collect();
        let model: Model = entries.iter().copied().collect();
        let old = map.clone();
        map.par_iter_mut().for_each(|(k, v)| *v = v.wrapping_add(u32::from(*k)));
        map.par_values_mut().for_each(|v| *v = v.wrapping_mul(3));
        let changed: Model = model
            .iter()
            .map(|(&k, &v)| (k, v.wrapping_add(u32::from(k)).wrapping_mul(3)))
            .collect();
        check_map("par_iter_mut then par_values_mut", &map, &changed)?;
        check_map("the version before", &old, &model)?;
    }

    /// `is_subset` and `is_superset` agree with std on independent sets,
    /// on a set and a far larger one, and on versions a few edits apart
    /// (where the walk skips what they share).
    #[test]
    fn subset_tests_match_btreeset(case in pair_case()) {
        let pair = case.build::<ArcKind>();
        let (a, b) = (set_of(&pair.a), set_of(&pair.b));
        let (ma, mb) = (keys_of(&pair.ma), keys_of(&pair.mb));
        prop_assert_eq!(a.is_subset(&b), ma.is_subset(&mb));
        prop_assert_eq!(b.is_subset(&a), mb.is_subset(&ma));
        prop_assert_eq!(a.is_superset(&b), ma.is_superset(&mb));
        prop_assert_eq!(a.is_disjoint(&b), ma.is_disjoint(&mb));
        let smaller = a.intersection_set(&b);
        prop_assert!(smaller.is_subset(&a) && smaller.is_subset(&b));
    }

    /// `extend` with enough entries to build and unite them keeps std's
    /// `extend`: a key already there keeps its key and takes the new
    /// value; of equal new keys the last value wins. The old version is
    /// unchanged.
    #[test]
    fn a_bulk_extend_matches_btreemap(
        existing in vec(entry(600), 0..400),
        more in vec(entry(600), 64..400),
    ) {
        let mut map: AvlMap<u16, u32> = existing.iter().copied().collect();
        let mut model: Model = existing.iter().copied().collect();
        let (old, old_model) = (map.clone(), model.clone());
        map.extend(more.iter().copied());
        model.extend(more.iter().copied());
        check_map("extend", &map, &model)?;
        check_map("the version before extend", &old, &old_model)?;
        let mut set = set_of(&old);
        let mut set_model = keys_of(&old_model);
        set.extend(more.iter().map(|&(k, _)| k));
        set_model.extend(more.iter().map(|&(k, _)| k));
        check_set("extend", &set, &set_model)?;
    }
}
