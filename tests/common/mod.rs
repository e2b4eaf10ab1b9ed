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

use persistent_avl::{GenericAvlMap, GenericAvlSet};
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Bound;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use persistent_avl::PointerKind;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::RngAlgorithm;

pub mod algebra;
mod ops;
pub use ops::*;

/// The model of a map.
pub type Model = BTreeMap<u16, u32>;

/// The model of a set.
pub type SetModel = BTreeSet<u16>;

/// A range of keys, as `range` takes it: from [`bounds`] one std accepts,
/// from [`any_bounds`] possibly one std's `range` rejects.
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

/// Any range: mostly ones std accepts, and one in three drawn as it comes,
/// so crossed (`5..2`) and equal excluded (`(Excluded(3), Excluded(3))`)
/// bounds are frequent, which std's `range` and `range_mut` reject on a
/// non-empty map.
pub fn any_bounds(span: u16) -> impl Strategy<Value = Bounds> {
    let bound = move || {
        prop_oneof![
            1 => Just(Bound::Unbounded),
            3 => key(span).prop_map(Bound::Included),
            3 => key(span).prop_map(Bound::Excluded),
        ]
    };
    prop_oneof![
        6 => bounds(span),
        2 => (bound(), bound()),
        1 => key(span).prop_map(|k| (Bound::Excluded(k), Bound::Excluded(k))),
    ]
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

/// The ranges the `ExtractIf` operations take: any, crossed and equal
/// excluded ones included, which std's `extract_if` takes (selecting
/// nothing) where its `range` panics.
pub fn extract_bounds(span: u16) -> impl Strategy<Value = Bounds> {
    any_bounds(span)
}

/// `extract_if` predicates on keys and values (for maps).
fn pick() -> impl Strategy<Value = Pick> {
    prop_oneof![
        3 => pick_key(),
        2 => (2u16..6, 0u16..6, value())
            .prop_map(|(m, r, add)| Pick::KeyModBump(m, r % m, add)),
        1 => Just(Pick::OddValues),
        1 => value().prop_map(Pick::NothingBump),
    ]
}

/// `extract_if` predicates on keys only (for sets, and for maps).
fn pick_key() -> impl Strategy<Value = Pick> {
    prop_oneof![
        4 => (2u16..6, 0u16..6).prop_map(|(m, r)| Pick::KeyMod(m, r % m)),
        1 => Just(Pick::All),
        1 => Just(Pick::Nothing),
    ]
}

/// How many items to take from an `extract_if` before dropping it: all of
/// them, or a few.
fn stop_after() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![1 => Just(None), 1 => (0..5usize).prop_map(Some)]
}

/// What to do with an occupied entry.
fn on_entry() -> impl Strategy<Value = OnEntry> {
    prop_oneof![
        1 => Just(OnEntry::Read),
        2 => value().prop_map(OnEntry::GetMut),
        2 => value().prop_map(OnEntry::Insert),
        1 => value().prop_map(OnEntry::IntoMut),
        2 => Just(OnEntry::Remove),
        2 => Just(OnEntry::RemoveEntry),
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
        4 => (extract_bounds(span), pick(), stop_after()).prop_map(|(range, pick, stop_after)| {
            Op::ExtractIf { range, pick, stop_after }
        }),
        4 => (any_bounds(span), v(), any::<u8>())
            .prop_map(|(range, delta, ends)| Op::RangeMut { range, delta, ends }),
        2 => on_entry().prop_map(Op::FirstEntry),
        2 => on_entry().prop_map(Op::LastEntry),
        3 => (kv(), on_entry()).prop_map(|((k, v), then)| Op::InsertEntry(k, v, then)),
        2 => (kv(), on_entry()).prop_map(|((k, v), then)| Op::VacantInsertEntry(k, v, then)),
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
        4 => (extract_bounds(span), pick_key(), stop_after()).prop_map(
            |(range, pick, stop_after)| SetOp::ExtractIf { range, pick, stop_after }
        ),
    ]
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

thread_local! {
    /// Whether the panic hook stays silent: while [`outcome`] runs.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, returning its value or its panic's message. The panics it
/// catches are not printed; every other panic is.
pub fn outcome<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default()
    })
}

/// Our outcome of a call that takes a range against std's: the same value,
/// or a panic with std's message naming our type (`names`: std's type name,
/// ours) where std's names its own.
///
/// Except on an empty collection (`on_empty` is what the call must then
/// return): ours accepts any bounds there, and std is no model. It checks
/// the bounds only when its tree has a root node, and a `BTreeMap` emptied
/// by `remove` keeps its root while a new or cleared one has none, so its
/// `range_mut(5..2)` panics on the first and not on the second.
pub fn check_outcome<T: PartialEq + fmt::Debug>(
    ours: Result<T, String>,
    std: Result<T, String>,
    on_empty: Option<T>,
    names: (&str, &str),
) -> Result<(), TestCaseError> {
    match on_empty {
        Some(expected) => prop_assert_eq!(ours, Ok(expected), "on an empty collection"),
        None => prop_assert_eq!(ours, std.map_err(|m| m.replace(names.0, names.1))),
    }
    Ok(())
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
    map: &GenericAvlMap<u16, u32, P>,
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
    set: &GenericAvlSet<u16, P>,
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
    map: &GenericAvlMap<u16, u32, P>,
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
    set: &GenericAvlSet<u16, P>,
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

/// splitmix64: a small deterministic generator, so that failures reproduce.
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The differences from `old` to `new`, by a merge of their entries: what
/// `AvlMap::diff` must report, in order.
pub fn merge_diff<'a, K: Ord, V: PartialEq>(
    old: &'a BTreeMap<K, V>,
    new: &'a BTreeMap<K, V>,
) -> Vec<persistent_avl::map::DiffItem<'a, K, V>> {
    use persistent_avl::map::DiffItem;
    use std::cmp::Ordering;

    let mut diff = Vec::new();
    let (mut old, mut new) = (old.iter().peekable(), new.iter().peekable());
    loop {
        let order = match (old.peek(), new.peek()) {
            (None, None) => return diff,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((a, _)), Some((b, _))) => a.cmp(b),
        };
        match order {
            Ordering::Less => {
                let (k, v) = old.next().unwrap();
                diff.push(DiffItem::Removed(k, v));
            }
            Ordering::Greater => {
                let (k, v) = new.next().unwrap();
                diff.push(DiffItem::Added(k, v));
            }
            Ordering::Equal => {
                let ((_, was), (key, now)) = (old.next().unwrap(), new.next().unwrap());
                if was != now {
                    diff.push(DiffItem::Changed {
                        key,
                        old: was,
                        new: now,
                    });
                }
            }
        }
    }
}

/// A key whose tag takes no part in comparisons, to see which of two equal
/// keys a map or set keeps.
#[derive(Clone, Copy, Debug)]
pub struct Tagged(pub u32, pub char);

impl PartialEq for Tagged {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl Eq for Tagged {}
impl PartialOrd for Tagged {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Tagged {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}
