//! proptest strategies for maps and sets (the `proptest` feature).
//!
//! [`avl_map`] and [`avl_set`] draw maps and sets as proptest's
//! `collection::btree_map` and `collection::btree_set` draw std's, and
//! shrink as they do; [`generic_avl_map`] and [`generic_avl_set`] do the same
//! for any [`PointerKind`] (`Rc`, or another [`BlockSize`](crate::BlockSize)).
//! `GenericAvlMap` and `GenericAvlSet` implement proptest's
//! [`Arbitrary`], so `any::<AvlMap<K, V>>()` works too.
//!
//! # Sizes
//!
//! The size range bounds the number of distinct keys, as in `btree_map`:
//! a length is drawn from the range, that many entries are drawn (of equal
//! keys, the last drawn wins, as in `collect`), and a map with fewer keys
//! than the range's minimum is rejected and drawn again. So a map drawn with
//! `5..10` has between 5 and 9 keys. When the key strategy cannot produce
//! enough distinct keys (a `bool` key with a minimum of 3), every draw is
//! rejected and the test fails with proptest's "too many local rejects".
//!
//! # Shrinking
//!
//! A failing map shrinks as the `BTreeMap` would: entries are removed one at
//! a time (never below the minimum size), then keys and values shrink with
//! their own strategies; a key that shrinks onto another merges the two.
//! The tree is built anew from the shrunk entries at each step, in O(n).
//!
//! ```
//! use persistent_avl::AvlMap;
//! use persistent_avl::proptest::avl_map;
//! use proptest::prelude::*;
//!
//! proptest! {
//!     // In a test file, each of these would carry `#[test]`.
//!     fn get_finds_every_key(map in avl_map(0..1000u32, any::<u8>(), 0..50)) {
//!         prop_assert!(map.iter().all(|(k, v)| map.get(k) == Some(v)));
//!     }
//!
//!     fn keys_come_in_order(map in any::<AvlMap<i16, bool>>()) {
//!         prop_assert!(map.keys().zip(map.keys().skip(1)).all(|(a, b)| a < b));
//!     }
//! }
//! get_finds_every_key();
//! keys_come_in_order();
//! ```

use core::fmt;
use core::marker::PhantomData;

use ::proptest::arbitrary::{Arbitrary, any_with};
use ::proptest::collection::{
    BTreeMapStrategy, BTreeMapValueTree, BTreeSetStrategy, BTreeSetValueTree, SizeRange, btree_map,
    btree_set,
};
use ::proptest::strategy::{NewTree, Strategy, ValueTree};
use ::proptest::test_runner::TestRunner;

use crate::map::GenericAvlMap;
use crate::ptr::{ArcKind, PointerKind};
use crate::set::GenericAvlSet;

/// Draws an [`AvlMap`](crate::AvlMap) of `size` distinct keys drawn from
/// `key`, each with a value drawn from `value`; see [`generic_avl_map`] for
/// other pointer kinds.
///
/// The sizes and the shrinking are `btree_map`'s (see the [module
/// docs](self)): between `size`'s minimum and maximum keys; of equal keys
/// drawn, the last wins; maps with too few keys are drawn again.
///
/// Time: per map, what `btree_map` takes to draw its n entries (O(n log n)
/// plus the draws), then O(n) to build the tree; O(n) per shrink step.
///
/// ```
/// use persistent_avl::proptest::avl_map;
/// use proptest::prelude::*;
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let strategy = avl_map(0..100u32, any::<bool>(), 5..10);
/// runner
///     .run(&strategy, |map| {
///         assert!((5..10).contains(&map.len()));
///         assert!(map.keys().all(|&k| k < 100));
///         Ok(())
///     })
///     .unwrap();
/// ```
pub fn avl_map<K: Strategy, V: Strategy>(
    key: K,
    value: V,
    size: impl Into<SizeRange>,
) -> MapStrategy<K, V, ArcKind>
where
    K::Value: Ord,
{
    generic_avl_map(key, value, size)
}

/// Draws a [`GenericAvlMap`] of pointer kind `P` (`Rc`, or another block
/// size), as [`avl_map`] draws an `AvlMap`.
///
/// Time: per map, what `btree_map` takes to draw its n entries (O(n log n)
/// plus the draws), then O(n) to build the tree; O(n) per shrink step.
///
/// ```
/// use persistent_avl::proptest::generic_avl_map;
/// use persistent_avl::{AvlMapRc, GenericAvlMap, RcKind};
/// use proptest::prelude::*;
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let strategy = generic_avl_map::<RcKind, _, _>(any::<u8>(), 0..10i32, 3);
/// runner
///     .run(&strategy, |map: AvlMapRc<u8, i32>| {
///         assert_eq!(map.len(), 3);
///         Ok(())
///     })
///     .unwrap();
///
/// // The classic tree of one entry per node.
/// type Classic = persistent_avl::Classic<persistent_avl::ArcKind>;
/// let strategy = generic_avl_map::<Classic, _, _>(any::<u16>(), any::<u16>(), 0..=64);
/// runner
///     .run(&strategy, |map: GenericAvlMap<u16, u16, Classic>| {
///         assert!(map.len() <= 64);
///         Ok(())
///     })
///     .unwrap();
/// ```
pub fn generic_avl_map<P: PointerKind, K: Strategy, V: Strategy>(
    key: K,
    value: V,
    size: impl Into<SizeRange>,
) -> MapStrategy<K, V, P>
where
    K::Value: Ord,
{
    MapStrategy {
        entries: btree_map(key, value, size),
        kind: PhantomData,
    }
}

/// Draws an [`AvlSet`](crate::AvlSet) of `size` distinct elements drawn from
/// `element`; see [`generic_avl_set`] for other pointer kinds.
///
/// The sizes and the shrinking are `btree_set`'s (see the [module
/// docs](self)): between `size`'s minimum and maximum elements; sets with
/// too few are drawn again.
///
/// Time: per set, what `btree_set` takes to draw its n elements (O(n log n)
/// plus the draws), then O(n) to build the tree; O(n) per shrink step.
///
/// ```
/// use persistent_avl::proptest::avl_set;
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// runner
///     .run(&avl_set(0..20u8, 1..=20), |set| {
///         assert!((1..=20).contains(&set.len()));
///         assert!(set.iter().all(|&x| x < 20));
///         Ok(())
///     })
///     .unwrap();
/// ```
pub fn avl_set<T: Strategy>(element: T, size: impl Into<SizeRange>) -> SetStrategy<T, ArcKind>
where
    T::Value: Ord,
{
    generic_avl_set(element, size)
}

/// Draws a [`GenericAvlSet`] of pointer kind `P`, as [`avl_set`] draws an
/// `AvlSet`.
///
/// Time: per set, what `btree_set` takes to draw its n elements (O(n log n)
/// plus the draws), then O(n) to build the tree; O(n) per shrink step.
///
/// ```
/// use persistent_avl::proptest::generic_avl_set;
/// use persistent_avl::{AvlSetRc, RcKind};
/// use proptest::prelude::*;
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let strategy = generic_avl_set::<RcKind, _>(any::<char>(), 0..8);
/// runner
///     .run(&strategy, |set: AvlSetRc<char>| {
///         assert!(set.len() < 8);
///         Ok(())
///     })
///     .unwrap();
/// ```
pub fn generic_avl_set<P: PointerKind, T: Strategy>(
    element: T,
    size: impl Into<SizeRange>,
) -> SetStrategy<T, P>
where
    T::Value: Ord,
{
    SetStrategy {
        elements: btree_set(element, size),
        kind: PhantomData,
    }
}

/// The strategy [`avl_map`] and [`generic_avl_map`] return: maps of pointer
/// kind `P`, drawn and shrunk as `btree_map` draws and shrinks.
///
/// Time: see [`avl_map`].
///
/// ```
/// use persistent_avl::proptest::{MapStrategy, avl_map};
/// use proptest::strategy::Just;
///
/// // A named type, to keep in a struct or return from a function.
/// fn small_maps() -> MapStrategy<std::ops::Range<u8>, Just<()>> {
///     avl_map(0..10u8, Just(()), 0..5)
/// }
/// let _ = small_maps();
/// ```
pub struct MapStrategy<K, V, P = ArcKind>
where
    K: Strategy,
    V: Strategy,
    K::Value: Ord,
{
    entries: BTreeMapStrategy<K, V>,
    kind: PhantomData<fn() -> P>,
}

/// The value tree of a [`MapStrategy`]: the map drawn, shrinking as a
/// `BTreeMap` drawn by `btree_map` shrinks.
///
/// Time: O(n) for each `current`, which builds the tree.
///
/// ```
/// use persistent_avl::proptest::avl_map;
/// use proptest::strategy::{Just, Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let mut tree = avl_map(0..100u32, Just('x'), 1..10).new_tree(&mut runner).unwrap();
/// let first = tree.current();
/// // Shrinking removes entries first, never below the minimum of one.
/// while tree.simplify() {}
/// let simplest = tree.current();
/// assert!((1..=first.len()).contains(&simplest.len()));
/// ```
pub struct MapValueTree<K, V, P = ArcKind>
where
    K: ValueTree,
    V: ValueTree,
    K::Value: Ord,
{
    entries: BTreeMapValueTree<K, V>,
    kind: PhantomData<fn() -> P>,
}

/// The strategy [`avl_set`] and [`generic_avl_set`] return: sets of pointer
/// kind `P`, drawn and shrunk as `btree_set` draws and shrinks.
///
/// Time: see [`avl_set`].
///
/// ```
/// use persistent_avl::proptest::{SetStrategy, avl_set};
///
/// fn digits() -> SetStrategy<std::ops::Range<u8>> {
///     avl_set(0..10u8, 0..=10)
/// }
/// let _ = digits();
/// ```
pub struct SetStrategy<T, P = ArcKind>
where
    T: Strategy,
    T::Value: Ord,
{
    elements: BTreeSetStrategy<T>,
    kind: PhantomData<fn() -> P>,
}

/// The value tree of a [`SetStrategy`]: the set drawn, shrinking as a
/// `BTreeSet` drawn by `btree_set` shrinks.
///
/// Time: O(n) for each `current`, which builds the tree.
///
/// ```
/// use persistent_avl::proptest::avl_set;
/// use proptest::strategy::{Strategy, ValueTree};
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let mut tree = avl_set(0..1000u32, 0..10).new_tree(&mut runner).unwrap();
/// while tree.simplify() {}
/// // With no failing test to keep, everything shrinks away.
/// assert!(tree.current().is_empty());
/// ```
pub struct SetValueTree<T, P = ArcKind>
where
    T: ValueTree,
    T::Value: Ord,
{
    elements: BTreeSetValueTree<T>,
    kind: PhantomData<fn() -> P>,
}

impl<K, V, P> Strategy for MapStrategy<K, V, P>
where
    K: Strategy,
    V: Strategy,
    K::Value: Ord,
    P: PointerKind,
{
    type Tree = MapValueTree<K::Tree, V::Tree, P>;
    type Value = GenericAvlMap<K::Value, V::Value, P>;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        Ok(MapValueTree {
            entries: self.entries.new_tree(runner)?,
            kind: PhantomData,
        })
    }
}

impl<K, V, P> ValueTree for MapValueTree<K, V, P>
where
    K: ValueTree,
    V: ValueTree,
    K::Value: Ord,
    P: PointerKind,
{
    type Value = GenericAvlMap<K::Value, V::Value, P>;

    fn current(&self) -> Self::Value {
        // Already in strictly ascending order: the sort in `collect` finds
        // one run, and the build is O(n).
        self.entries.current().into_iter().collect()
    }

    fn simplify(&mut self) -> bool {
        self.entries.simplify()
    }

    fn complicate(&mut self) -> bool {
        self.entries.complicate()
    }
}

impl<T, P> Strategy for SetStrategy<T, P>
where
    T: Strategy,
    T::Value: Ord,
    P: PointerKind,
{
    type Tree = SetValueTree<T::Tree, P>;
    type Value = GenericAvlSet<T::Value, P>;

    fn new_tree(&self, runner: &mut TestRunner) -> NewTree<Self> {
        Ok(SetValueTree {
            elements: self.elements.new_tree(runner)?,
            kind: PhantomData,
        })
    }
}

impl<T, P> ValueTree for SetValueTree<T, P>
where
    T: ValueTree,
    T::Value: Ord,
    P: PointerKind,
{
    type Value = GenericAvlSet<T::Value, P>;

    fn current(&self) -> Self::Value {
        self.elements.current().into_iter().collect()
    }

    fn simplify(&mut self) -> bool {
        self.elements.simplify()
    }

    fn complicate(&mut self) -> bool {
        self.elements.complicate()
    }
}

// `Clone` and `Debug` by hand: derived, they would ask `P` for them too.

impl<K, V, P> Clone for MapStrategy<K, V, P>
where
    K: Strategy + Clone,
    V: Strategy + Clone,
    K::Value: Ord,
{
    fn clone(&self) -> Self {
        MapStrategy {
            entries: self.entries.clone(),
            kind: PhantomData,
        }
    }
}

impl<K, V, P> fmt::Debug for MapStrategy<K, V, P>
where
    K: Strategy,
    V: Strategy,
    K::Value: Ord,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MapStrategy").field(&self.entries).finish()
    }
}

impl<K, V, P> Clone for MapValueTree<K, V, P>
where
    K: ValueTree + Clone,
    V: ValueTree + Clone,
    K::Value: Ord,
{
    fn clone(&self) -> Self {
        MapValueTree {
            entries: self.entries.clone(),
            kind: PhantomData,
        }
    }
}

impl<K, V, P> fmt::Debug for MapValueTree<K, V, P>
where
    K: ValueTree + fmt::Debug,
    V: ValueTree + fmt::Debug,
    K::Value: Ord,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MapValueTree").field(&self.entries).finish()
    }
}

impl<T, P> Clone for SetStrategy<T, P>
where
    T: Strategy + Clone,
    T::Value: Ord,
{
    fn clone(&self) -> Self {
        SetStrategy {
            elements: self.elements.clone(),
            kind: PhantomData,
        }
    }
}

impl<T, P> fmt::Debug for SetStrategy<T, P>
where
    T: Strategy,
    T::Value: Ord,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SetStrategy").field(&self.elements).finish()
    }
}

impl<T, P> Clone for SetValueTree<T, P>
where
    T: ValueTree + Clone,
    T::Value: Ord,
{
    fn clone(&self) -> Self {
        SetValueTree {
            elements: self.elements.clone(),
            kind: PhantomData,
        }
    }
}

impl<T, P> fmt::Debug for SetValueTree<T, P>
where
    T: ValueTree + fmt::Debug,
    T::Value: Ord,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SetValueTree").field(&self.elements).finish()
    }
}

/// Maps drawn as `any::<BTreeMap<K, V>>()` draws std's, with the same
/// parameters: the size range, then the key's and the value's parameters.
///
/// Time: see [`avl_map`].
///
/// ```
/// use persistent_avl::{AvlMap, AvlMapRc};
/// use proptest::collection::SizeRange;
/// use proptest::prelude::*;
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let strategy = any_with::<AvlMap<u8, bool>>((SizeRange::from(2..4), (), ()));
/// runner
///     .run(&strategy, |map| {
///         assert!((2..4).contains(&map.len()));
///         Ok(())
///     })
///     .unwrap();
/// runner.run(&any::<AvlMapRc<u8, u8>>(), |_| Ok(())).unwrap();
/// ```
impl<K, V, P> Arbitrary for GenericAvlMap<K, V, P>
where
    K: Arbitrary + Ord,
    V: Arbitrary,
    P: PointerKind,
{
    type Parameters = (SizeRange, K::Parameters, V::Parameters);
    type Strategy = MapStrategy<K::Strategy, V::Strategy, P>;

    fn arbitrary_with((size, key, value): Self::Parameters) -> Self::Strategy {
        generic_avl_map(any_with::<K>(key), any_with::<V>(value), size)
    }
}

/// Sets drawn as `any::<BTreeSet<T>>()` draws std's, with the same
/// parameters: the size range, then the element's parameters.
///
/// Time: see [`avl_set`].
///
/// ```
/// use persistent_avl::AvlSet;
/// use proptest::collection::SizeRange;
/// use proptest::prelude::*;
/// use proptest::test_runner::TestRunner;
///
/// let mut runner = TestRunner::deterministic();
/// let strategy = any_with::<AvlSet<u32>>((SizeRange::from(10), ()));
/// runner
///     .run(&strategy, |set| {
///         assert_eq!(set.len(), 10);
///         Ok(())
///     })
///     .unwrap();
/// ```
impl<T, P> Arbitrary for GenericAvlSet<T, P>
where
    T: Arbitrary + Ord,
    P: PointerKind,
{
    type Parameters = (SizeRange, T::Parameters);
    type Strategy = SetStrategy<T::Strategy, P>;

    fn arbitrary_with((size, element): Self::Parameters) -> Self::Strategy {
        generic_avl_set(any_with::<T>(element), size)
    }
}
