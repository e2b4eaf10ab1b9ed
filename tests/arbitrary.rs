//! The `arbitrary` feature builds maps and sets from bytes as the arbitrary
//! crate builds std's `BTreeMap` and `BTreeSet`.
//!
//! From the same bytes, a map must hold exactly the entries of the
//! `BTreeMap<K, V>` built from them (of equal keys, the same key and value
//! kept), consume exactly the same bytes, and pass `check_invariants`; the
//! same for sets, for both `arbitrary` and `arbitrary_take_rest`, for
//! hand-written buffers and random ones, behind `Arc`, behind `Rc`, and for
//! the classic tree of one entry per node.

#![cfg(feature = "arbitrary")]

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use arbitrary::{Arbitrary, Unstructured};
use persistent_avl::{
    ArcKind, AvlMap, AvlMapRc, AvlSet, AvlSetRc, GenericAvlMap, GenericAvlSet, PointerKind, RcKind,
};
use proptest::collection::vec;
use proptest::prelude::*;

/// One entry per node.
type Classic = persistent_avl::Classic<ArcKind>;

/// A key whose tag takes no part in comparisons, to see which of two equal
/// keys a map keeps.
#[derive(Clone, Copy, Debug)]
struct Tagged(u8, u8);

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
impl<'a> Arbitrary<'a> for Tagged {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Tagged(u.arbitrary()?, u.arbitrary()?))
    }
}

/// The entries, with each key's every field (so a tag shows).
fn entries_of<'m, K: Debug + 'm, V: Debug + 'm>(
    it: impl Iterator<Item = (&'m K, &'m V)>,
) -> Vec<String> {
    it.map(|(k, v)| format!("{k:?} => {v:?}")).collect()
}

/// From `bytes`, `GenericAvlMap<K, V, P>` and `BTreeMap<K, V>` come out with
/// the same entries and leave the same bytes, or fail alike; by
/// `arbitrary` and by `arbitrary_take_rest`. Returns the map's length.
fn map_agrees<'a, K, V, P>(bytes: &'a [u8]) -> usize
where
    K: Arbitrary<'a> + Ord + Debug,
    V: Arbitrary<'a> + Debug,
    P: PointerKind,
{
    let (mut u_ours, mut u_std) = (Unstructured::new(bytes), Unstructured::new(bytes));
    let ours = GenericAvlMap::<K, V, P>::arbitrary(&mut u_ours);
    let std = BTreeMap::<K, V>::arbitrary(&mut u_std);
    assert_eq!(u_ours.len(), u_std.len(), "bytes left after {bytes:?}");
    let len = match (ours, std) {
        (Ok(ours), Ok(std)) => {
            ours.check_invariants().unwrap();
            assert_eq!(ours.len(), std.len());
            assert_eq!(entries_of(ours.iter()), entries_of(std.iter()), "{bytes:?}");
            ours.len()
        }
        (Err(a), Err(b)) => {
            assert_eq!(a, b);
            0
        }
        (ours, std) => panic!("from {bytes:?}: {ours:?} against {std:?}"),
    };

    let ours = GenericAvlMap::<K, V, P>::arbitrary_take_rest(Unstructured::new(bytes));
    let std = BTreeMap::<K, V>::arbitrary_take_rest(Unstructured::new(bytes));
    match (ours, std) {
        (Ok(ours), Ok(std)) => {
            ours.check_invariants().unwrap();
            assert_eq!(entries_of(ours.iter()), entries_of(std.iter()), "{bytes:?}");
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        (ours, std) => panic!("take_rest from {bytes:?}: {ours:?} against {std:?}"),
    }
    len
}

/// [`map_agrees`] for sets.
fn set_agrees<'a, T, P>(bytes: &'a [u8]) -> usize
where
    T: Arbitrary<'a> + Ord + Debug,
    P: PointerKind,
{
    let (mut u_ours, mut u_std) = (Unstructured::new(bytes), Unstructured::new(bytes));
    let ours = GenericAvlSet::<T, P>::arbitrary(&mut u_ours).unwrap();
    let std = BTreeSet::<T>::arbitrary(&mut u_std).unwrap();
    assert_eq!(u_ours.len(), u_std.len(), "bytes left after {bytes:?}");
    ours.check_invariants().unwrap();
    assert_eq!(format!("{ours:?}"), format!("{std:?}"));

    let ours = GenericAvlSet::<T, P>::arbitrary_take_rest(Unstructured::new(bytes)).unwrap();
    let std = BTreeSet::<T>::arbitrary_take_rest(Unstructured::new(bytes)).unwrap();
    ours.check_invariants().unwrap();
    assert_eq!(format!("{ours:?}"), format!("{std:?}"));
    ours.len()
}

/// Every key and value type, every layout.
fn all_agree(bytes: &[u8]) {
    map_agrees::<u8, u16, ArcKind>(bytes);
    map_agrees::<u8, u16, RcKind>(bytes);
    map_agrees::<u8, u16, Classic>(bytes);
    map_agrees::<Tagged, u8, ArcKind>(bytes);
    map_agrees::<Tagged, u8, RcKind>(bytes);
    map_agrees::<i16, Vec<u8>, ArcKind>(bytes);
    map_agrees::<String, bool, RcKind>(bytes);
    set_agrees::<u8, ArcKind>(bytes);
    set_agrees::<u8, RcKind>(bytes);
    set_agrees::<Tagged, Classic>(bytes);
    set_agrees::<u32, RcKind>(bytes);
}

#[test]
fn no_bytes_make_an_empty_map_and_set() {
    assert!(
        AvlMap::<u8, u8>::arbitrary(&mut Unstructured::new(&[]))
            .unwrap()
            .is_empty()
    );
    assert!(
        AvlMapRc::<u8, u8>::arbitrary_take_rest(Unstructured::new(&[]))
            .unwrap()
            .is_empty()
    );
    assert!(
        AvlSet::<u8>::arbitrary(&mut Unstructured::new(&[]))
            .unwrap()
            .is_empty()
    );
    assert!(
        AvlSetRc::<u8>::arbitrary_take_rest(Unstructured::new(&[]))
            .unwrap()
            .is_empty()
    );
    assert_eq!(map_agrees::<u8, u8, ArcKind>(&[]), 0);
    assert_eq!(set_agrees::<u8, RcKind>(&[]), 0);
}

/// An odd byte says an entry follows, key bytes then value bytes; an even
/// byte ends the map.
#[test]
fn entries_follow_odd_bytes_until_an_even_one() {
    let bytes = [1, 30, 3, 3, 10, 1, 5, 20, 2, 2, 99, 99];
    let map = AvlMap::<u8, u8>::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
    assert_eq!(map, AvlMap::from([(10, 1), (20, 2), (30, 3)]));
    assert_eq!(map_agrees::<u8, u8, ArcKind>(&bytes), 3);
    all_agree(&bytes);

    // The rest of the input: no closing byte needed.
    let map =
        AvlMapRc::<u8, u8>::arbitrary_take_rest(Unstructured::new(&[1, 4, 40, 1, 5])).unwrap();
    assert_eq!(map, AvlMapRc::from([(4, 40), (5, 0)]));
}

/// Of equal keys, the last entry wins, its key included, as in `BTreeMap`.
#[test]
fn of_equal_keys_the_last_entry_is_kept_as_in_btreemap() {
    // Entries (key, tag, value): (7, 1, 10), (3, 2, 20), (7, 3, 30), (7, 4, 40).
    let bytes = [1, 7, 1, 10, 1, 3, 2, 20, 1, 7, 3, 30, 1, 7, 4, 40, 0];
    let map = AvlMap::<Tagged, u8>::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
    let std = BTreeMap::<Tagged, u8>::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
    let kept = |it: &mut dyn Iterator<Item = (&Tagged, &u8)>| -> Vec<(u8, u8, u8)> {
        it.map(|(k, v)| (k.0, k.1, *v)).collect()
    };
    assert_eq!(kept(&mut std.iter()), [(3, 2, 20), (7, 4, 40)]);
    assert_eq!(kept(&mut map.iter()), kept(&mut std.iter()));
    all_agree(&bytes);

    let set = AvlSet::<Tagged>::arbitrary(&mut Unstructured::new(&[1, 5, 1, 1, 5, 2, 0])).unwrap();
    let std =
        BTreeSet::<Tagged>::arbitrary(&mut Unstructured::new(&[1, 5, 1, 1, 5, 2, 0])).unwrap();
    assert_eq!(
        set.iter().map(|t| t.1).collect::<Vec<_>>(),
        std.iter().map(|t| t.1).collect::<Vec<_>>()
    );
}

#[test]
fn fixed_buffers_build_what_btreemap_builds() {
    let counting: Vec<u8> = (0..=255).collect();
    let all_odd: Vec<u8> = (0..300).map(|i| (i * 2 + 1) as u8).collect();
    let buffers: [&[u8]; 8] = [
        &[0],
        &[1],
        &[1, 1, 1, 1, 1, 1, 1, 1],
        &[255; 64],
        &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
        &counting,
        &all_odd,
        b"\x01hello\x01world\x00",
    ];
    for bytes in buffers {
        all_agree(bytes);
    }
    // Enough entries for a tree of many nodes.
    assert!(map_agrees::<u8, u16, Classic>(&[255; 64]) > 0);
    assert!(map_agrees::<u8, u16, ArcKind>(&all_odd) > 10);
}

#[test]
fn size_hints_are_btreemaps() {
    assert_eq!(
        <AvlMap<u8, u32> as Arbitrary>::size_hint(0),
        <BTreeMap<u8, u32> as Arbitrary>::size_hint(0)
    );
    assert_eq!(
        <AvlSetRc<u64> as Arbitrary>::size_hint(0),
        <BTreeSet<u64> as Arbitrary>::size_hint(0)
    );
    assert_eq!(<AvlMap<u8, u32> as Arbitrary>::size_hint(0), (0, None));
}

proptest! {
    #[test]
    fn random_bytes_build_what_btreemap_and_btreeset_build(bytes in vec(any::<u8>(), 0..600)) {
        all_agree(&bytes);
    }

    /// Mostly odd bytes: long runs of entries, with many equal keys.
    #[test]
    fn long_random_inputs_build_what_btreemap_builds(
        bytes in vec(prop_oneof![3 => Just(1u8), 1 => 0..16u8, 1 => any::<u8>()], 0..4000),
    ) {
        let len = map_agrees::<u8, u8, ArcKind>(&bytes);
        prop_assert!(len <= 256);
        map_agrees::<u8, u8, RcKind>(&bytes);
        map_agrees::<u16, u8, Classic>(&bytes);
        set_agrees::<u16, ArcKind>(&bytes);
    }
}
