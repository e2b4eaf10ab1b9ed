//! The kit shared by the whole-tree operation tests, `model_algebra` (the
//! sequential forms) and `model_parallel` (the `par_*` forms and parallel
//! iterators).
//!
//! - Checks: a result is valid and holds what a std model holds
//!   ([`check_map`], [`check_set`]) or what the sequential form's result
//!   holds ([`check_twin`], [`check_set_twin`]); [`check_merges`] and
//!   [`check_parallel_filters`] run every merge and every filter at once.
//! - Models: the merges done with std's `BTreeMap`s, and [`mix`], the
//!   combining closure of the `_with` forms.
//! - Cases and their strategies: a [`PairCase`] is two maps built
//!   independently, one far smaller than the other, or as versions of one
//!   map a few edits apart; a [`OneCase`] is one map and the keys,
//!   positions, ranges, filters and windows to try on it. Keys come from
//!   spans of 16 to 2000 keys, so that the maps collide and overlap.
//! - [`Tagged`], a key whose tag takes no part in comparisons, to see which
//!   of two equal keys a result holds, and [`check_kept_keys`].
//! - Sharing: [`close_versions`] of one map, and [`assert_shares_all_but`]
//!   with the bound [`paths`].
//! - Panic safety: [`Fused`] keys and fused closures that panic at a chosen
//!   call ([`tick`]), and [`sweep`], which moves the panic through every
//!   call and checks the inputs after each one; [`on_the_pool`] counts the
//!   calls made on rayon's pool.

use persistent_avl::{GenericAvlMap, GenericAvlSet};
use std::any::Any;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::ops::Bound::{Excluded, Included, Unbounded};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering::Relaxed};
use std::sync::{Mutex, Once};

use persistent_avl::{AvlMap, AvlSet, PointerKind};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

pub use super::Tagged;
use super::{Bounds, Model, SetModel, key, value};

// ---------------------------------------------------------------------------
// Checks

/// `map` is valid and holds exactly `model`'s entries, in order.
pub fn check_map<K, V, P>(
    what: &str,
    map: &GenericAvlMap<K, V, P>,
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
pub fn check_set<T, P>(
    what: &str,
    set: &GenericAvlSet<T, P>,
    model: &BTreeSet<T>,
) -> Result<(), TestCaseError>
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
pub fn check_twin<K, V>(
    what: &str,
    par: &AvlMap<K, V>,
    seq: &AvlMap<K, V>,
) -> Result<(), TestCaseError>
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
pub fn check_set_twin<T: Ord + Debug>(
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
pub struct NodeShape<K> {
    key: K,
    height: usize,
    blocks: (usize, usize),
    children: (bool, bool),
}

/// The tree's shape: every node's key, height, block lengths and children.
pub fn shape<K: Clone, V, P: PointerKind>(map: &GenericAvlMap<K, V, P>) -> Vec<NodeShape<K>> {
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
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

/// The planned panics of the panic-safety tests, and the documented ones of
/// `range`, print nothing; anything else (a failing assertion) still does.
pub fn quiet() {
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
/// The larger value: a combination that gives `v` for `v` twice, as
/// `union_map_with_idempotent` asks.
pub fn larger<K>(_: &K, first: u32, second: u32) -> u32 {
    first.max(second)
}

pub fn mix<K: Copy + Into<u64>>(key: &K, first: u32, second: u32) -> u32 {
    let key = (*key).into() as u32;
    first.wrapping_mul(31) ^ second.wrapping_add(key)
}

/// Every key of either; where both hold one, the first map's key with the
/// second map's value: what std's `extend` does.
pub fn union_model<K: Ord + Copy, V: Copy>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
) -> BTreeMap<K, V> {
    let mut union = a.clone();
    union.extend(b.iter().map(|(&k, &v)| (k, v)));
    union
}

pub fn union_with_model<K: Ord + Copy>(
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

pub fn intersection_model<K: Ord + Copy, V: Copy>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
) -> BTreeMap<K, V> {
    a.iter()
        .filter(|(k, _)| b.contains_key(k))
        .map(|(&k, &v)| (k, v))
        .collect()
}

pub fn intersection_with_model<K: Ord + Copy>(
    a: &BTreeMap<K, u32>,
    b: &BTreeMap<K, u32>,
    f: impl Fn(&K, u32, u32) -> u32,
) -> BTreeMap<K, u32> {
    a.iter()
        .filter_map(|(k, &v)| b.get(k).map(|&w| (*k, f(k, v, w))))
        .collect()
}

pub fn difference_model<K: Ord + Copy, V: Copy>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
) -> BTreeMap<K, V> {
    a.iter()
        .filter(|(k, _)| !b.contains_key(k))
        .map(|(&k, &v)| (k, v))
        .collect()
}

pub fn symmetric_difference_model<K: Ord + Copy, V: Copy>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
) -> BTreeMap<K, V> {
    let mut either = difference_model(a, b);
    either.extend(difference_model(b, a));
    either
}

/// A map built from `entries` by one insert after another (an irregular
/// shape), or collected (a balanced build).
pub fn build<P: PointerKind>(
    entries: &[(u16, u32)],
    by_insert: bool,
) -> GenericAvlMap<u16, u32, P> {
    if by_insert {
        let mut map = GenericAvlMap::empty();
        for &(k, v) in entries {
            map.insert(k, v);
        }
        map
    } else {
        entries.iter().copied().collect()
    }
}

pub fn keys_of(model: &Model) -> SetModel {
    model.keys().copied().collect()
}

pub fn set_of<P: PointerKind>(map: &GenericAvlMap<u16, u32, P>) -> GenericAvlSet<u16, P> {
    map.keys().copied().collect()
}

// ---------------------------------------------------------------------------
// Cases

/// One edit that derives a version from another.
#[derive(Clone, Copy, Debug)]
pub enum Edit {
    /// In place, on a clone: copies the path it changes.
    Insert(u16, u32),
    /// The persistent `removed`.
    Remove(u16),
}

impl Edit {
    pub fn apply<P: PointerKind>(self, map: &mut GenericAvlMap<u16, u32, P>, model: &mut Model) {
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
pub enum Second {
    /// Built on its own from these entries.
    Fresh(Vec<(u16, u32)>),
    /// The base map after these edits: it shares most nodes with the first.
    Edited(Vec<Edit>),
}

/// Two maps: the first is a base map after `first_edits`.
#[derive(Clone, Debug)]
pub struct PairCase {
    pub base: Vec<(u16, u32)>,
    pub by_insert: bool,
    pub first_edits: Vec<Edit>,
    pub second: Second,
}

/// A pair of maps made from a [`PairCase`], with the base they came from,
/// and their models.
pub struct Pair<P: PointerKind> {
    pub base: GenericAvlMap<u16, u32, P>,
    pub a: GenericAvlMap<u16, u32, P>,
    pub b: GenericAvlMap<u16, u32, P>,
    pub base_model: Model,
    pub ma: Model,
    pub mb: Model,
}

impl PairCase {
    pub fn build<P: PointerKind>(&self) -> Pair<P> {
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
pub enum Pick {
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
    pub fn keeps(self, key: u16, value: u32) -> bool {
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
pub struct OneCase {
    pub entries: Vec<(u16, u32)>,
    pub by_insert: bool,
    /// Keys to split at and to look around (present or not).
    pub probes: Vec<u16>,
    /// Positions to split at, some past the end.
    pub indices: Vec<usize>,
    /// Ranges of every kind of bound, including ones std rejects.
    pub ranges: Vec<Bounds>,
    pub picks: Vec<Pick>,
    /// `(skip, take)` windows of the parallel iterators.
    pub windows: Vec<(Index, Index)>,
}

fn span() -> impl Strategy<Value = u16> {
    prop_oneof![Just(16u16), Just(64), Just(300), Just(2000)]
}

pub fn entry(span: u16) -> impl Strategy<Value = (u16, u32)> + Clone {
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
pub fn pair_case() -> impl Strategy<Value = PairCase> {
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

pub fn one_case() -> impl Strategy<Value = OneCase> {
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
// Merges and filters, sequential and parallel

/// Every merge of `a` with `b` matches its model.
pub fn check_merges<K, P>(
    a: &GenericAvlMap<K, u32, P>,
    b: &GenericAvlMap<K, u32, P>,
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
        "union_map_with_idempotent",
        &a.union_map_with_idempotent(b, larger),
        &union_with_model(ma, mb, larger),
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

/// The parallel filters return the sequential results.
///
/// Only with the `rayon` feature, so that the other test binaries that
/// include this kit still build without it.
#[cfg(feature = "rayon")]
pub fn check_parallel_filters<K>(
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
// Which key a result holds

pub type Tags = Vec<(u32, char, u32)>;

pub fn tagged<P: PointerKind>(entries: &[(u32, char, u32)]) -> GenericAvlMap<Tagged, u32, P> {
    entries.iter().map(|&(k, t, v)| (Tagged(k, t), v)).collect()
}

pub fn tags<'a>(entries: impl Iterator<Item = (&'a Tagged, &'a u32)>) -> Tags {
    entries.map(|(k, &v)| (k.0, k.1, v)).collect()
}

/// Which key each merge keeps, on one layout, against std.
pub fn check_kept_keys<P: PointerKind>(first: &[(u32, char, u32)], second: &[(u32, char, u32)]) {
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

// ---------------------------------------------------------------------------
// Sharing

/// The model of a map with `u32` keys: the large maps and [`Keyed`] maps.
pub type LargeModel = BTreeMap<u32, u32>;

pub type Keyed<P> = GenericAvlMap<u32, u32, P>;

/// A map of `n` even keys, and a version `edits` edits later (inserts of odd
/// keys and removals of even ones, spread over the map), made in place on a
/// clone and by the persistent forms, alternately.
pub fn close_versions<P: PointerKind>(n: u32, edits: u32) -> (Keyed<P>, Keyed<P>) {
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

/// How many entries a result `edits` changes away from `map` may store
/// apart from it: two paths per change, each path the nodes from the root
/// down and one block. (Measured: at most about one path per change.)
pub fn paths<P: PointerKind>(edits: usize, map: &Keyed<P>) -> usize {
    2 * edits.max(1) * (map.height() + P::BLOCK.max(1))
}

/// `result` stores at most `bound` entries in nodes and blocks that `base`
/// does not hold; and the bound means something: a copy of `result` built
/// from scratch, which shares nothing, would not pass it.
pub fn assert_shares_all_but<P: PointerKind>(
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

// ---------------------------------------------------------------------------
// rayon's pool and panic safety

/// Counts the calls of a closure made on rayon's pool (the test's own
/// thread is not one of its threads).
pub fn on_the_pool(calls: &AtomicUsize) {
    if rayon::current_thread_index().is_some() {
        calls.fetch_add(1, Relaxed);
    }
}

/// The payload of every planned panic.
pub struct Boom;

/// Fuses: the call that finds one at 0 panics; below 0 they are off. Shared
/// by every thread, so that a parallel operation's calls on rayon's pool
/// count too; [`FUSES`] gives them to one test at a time.
pub static ORD_FUSE: AtomicIsize = AtomicIsize::new(-1);
pub static CLOSURE_FUSE: AtomicIsize = AtomicIsize::new(-1);
pub static FUSES: Mutex<()> = Mutex::new(());

/// How many planned panics were raised on rayon's pool.
pub static PANICS_ON_THE_POOL: AtomicUsize = AtomicUsize::new(0);

/// Counts one call against `fuse`; the call that finds it at 0 panics.
pub fn tick(fuse: &AtomicIsize) {
    if fuse.load(Relaxed) >= 0 && fuse.fetch_sub(1, Relaxed) == 0 {
        on_the_pool(&PANICS_ON_THE_POOL);
        std::panic::panic_any(Boom);
    }
}

/// A key whose `Ord` goes through [`ORD_FUSE`].
#[derive(Clone, Copy, Debug)]
pub struct Fused(pub u32);

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

pub type FusedMap<P> = GenericAvlMap<Fused, u32, P>;

/// An operation to sweep: it makes a new map from the inputs it holds.
pub type FusedOp<'a, P> = Box<dyn Fn() -> FusedMap<P> + 'a>;

/// The entries as numbers: reading them calls no `Ord`.
pub fn numbers<P: PointerKind>(map: &FusedMap<P>) -> Vec<(u32, u32)> {
    map.iter().map(|(k, &v)| (k.0, v)).collect()
}

/// Runs `op` with `fuse` set to each of `fuses` in turn until a run
/// completes, and returns its result and how many runs panicked. After each
/// panic, `inputs` must be valid and hold what they held.
pub fn sweep<R, P: PointerKind>(
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
