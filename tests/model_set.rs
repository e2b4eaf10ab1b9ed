//! `AvlSet` behaves as std's `BTreeSet`.
//!
//! As `model_map.rs`: random runs of every mutating operation, checked
//! against the model after every step. Then the lazy set algebra (`union`,
//! `intersection`, `difference`, `symmetric_difference`) and the relations
//! (`is_subset`, `is_superset`, `is_disjoint`) against std's, on pairs of
//! similar sizes, on pairs where one set is more than 20 times smaller (which
//! take the probing path), on pairs where one is a subset of the other, and
//! on each version of a run paired with the versions one and eight steps
//! before it, which share most of its nodes. (One step apart, one version
//! always holds the other; pairs that do not nest are what found the
//! `difference` bug below.)
//!
//! The pairs of sets are drawn by the crate's own `avl_set` strategy, so
//! those properties run with the `proptest` feature (`cargo test
//! --all-features`).
//!
//! A failing run prints as a `SetCase` literal: paste it into
//! `run_set::<ArcKind>(&...)`.

mod common;

use persistent_avl::GenericAvlSet;
use std::collections::{BTreeSet, VecDeque};
use std::fmt::Debug;
use std::ops::Bound::{Excluded, Included, Unbounded};

use common::{
    Half, Keep, Pick, SetCase, SetModel, SetOp, Tagged, at_step, check_set_views, set_case,
};
use persistent_avl::{ArcKind, AvlSet, AvlSetRc, PointerKind, RcKind};

/// The layouts the properties run on: the default blocks (behind `Arc`),
/// blocks of two entries behind `Rc` (so that maps of a few dozen entries
/// split and merge blocks all the time), and the classic tree of one entry
/// per node.
type Classic = persistent_avl::Classic<ArcKind>;
type SmallRc = persistent_avl::BlockSize<RcKind, 2>;
#[cfg(feature = "proptest")]
use persistent_avl::proptest::avl_set;
#[cfg(feature = "proptest")]
use proptest::collection::vec;
use proptest::prelude::*;
#[cfg(feature = "proptest")]
use proptest::sample::Index;

/// How many steps back the older version paired with the current one is.
const PAIRED_STEPS_BACK: usize = 8;

fn run_set<P: PointerKind>(case: &SetCase) -> Result<(), TestCaseError> {
    let mut set = GenericAvlSet::<u16, P>::empty();
    let mut model = SetModel::new();
    let mut recent = VecDeque::new();
    for (step, op) in case.ops.iter().enumerate() {
        recent.push_back((set.clone(), model.clone()));
        if recent.len() > PAIRED_STEPS_BACK {
            recent.pop_front();
        }
        at_step(step, op, op.apply(&mut set, &mut model))?;
        at_step(
            step,
            op,
            check_set_views(&set, &model, &case.ranges, case.ends),
        )?;
        // The versions before share most of their nodes with this one. One
        // step apart, one holds the other; eight apart, rarely.
        for (older, older_model) in [recent.back(), recent.front()].into_iter().flatten() {
            at_step(step, op, check_algebra(&set, older, &model, older_model))?;
        }
    }
    prop_assert_eq!(format!("{set:?}"), format!("{model:?}"));
    prop_assert!(
        set.clone()
            .into_iter()
            .rev()
            .eq(model.iter().rev().copied())
    );
    prop_assert!(set.into_iter().eq(model.into_iter()));
    Ok(())
}

/// Every operation of the set algebra on `a` and `b`, both ways round,
/// agrees with std's on the models.
fn check_algebra<P: PointerKind>(
    a: &GenericAvlSet<u16, P>,
    b: &GenericAvlSet<u16, P>,
    ma: &SetModel,
    mb: &SetModel,
) -> Result<(), TestCaseError> {
    for (a, b, ma, mb) in [(a, b, ma, mb), (b, a, mb, ma)] {
        check_lazy("union", a.union(b), ma.union(mb))?;
        check_lazy("intersection", a.intersection(b), ma.intersection(mb))?;
        check_lazy("difference", a.difference(b), ma.difference(mb))?;
        check_lazy(
            "symmetric_difference",
            a.symmetric_difference(b),
            ma.symmetric_difference(mb),
        )?;
        prop_assert_eq!(a.is_subset(b), ma.is_subset(mb), "is_subset");
        prop_assert_eq!(a.is_superset(b), ma.is_superset(mb), "is_superset");
        prop_assert_eq!(a.is_disjoint(b), ma.is_disjoint(mb), "is_disjoint");
        prop_assert_eq!(a == b, ma == mb);
        prop_assert_eq!(a.cmp(b), ma.cmp(mb));
        prop_assert_eq!(a.partial_cmp(b), ma.partial_cmp(mb));
    }
    Ok(())
}

/// `ours` yields what `std` yields; at every point its `size_hint` holds what
/// is left, and a clone of it yields just that; once spent it stays spent.
fn check_lazy<'a, I>(
    name: &str,
    mut ours: I,
    std: impl Iterator<Item = &'a u16>,
) -> Result<(), TestCaseError>
where
    I: Iterator<Item = &'a u16> + Clone + Debug,
{
    let expected: Vec<&u16> = std.collect();
    prop_assert_eq!(
        format!("{ours:?}"),
        format!("{expected:?}"),
        "{} Debug",
        name
    );
    for (i, &want) in expected.iter().enumerate() {
        let left = expected.len() - i;
        let (low, high) = ours.size_hint();
        prop_assert!(
            low <= left && high.is_none_or(|high| left <= high),
            "{}: size_hint {:?} with {} left",
            name,
            (low, high),
            left
        );
        if i == expected.len() / 2 {
            prop_assert!(
                ours.clone().eq(expected[i..].iter().copied()),
                "{} clone",
                name
            );
        }
        prop_assert_eq!(ours.next(), Some(want), "{} item {}", name, i);
    }
    prop_assert_eq!(ours.size_hint().0, 0, "{} spent size_hint", name);
    prop_assert_eq!(ours.next(), None, "{} yields more than std", name);
    prop_assert_eq!(ours.next(), None, "{} is not fused", name);
    Ok(())
}

/// The set algebra on two drawn sets, and on the same sets laid out as `P`,
/// against std's on their models.
#[cfg(feature = "proptest")]
fn both<P: PointerKind>(a: &AvlSet<u16>, b: &AvlSet<u16>) -> Result<(), TestCaseError> {
    let (ma, mb): (SetModel, SetModel) = (a.iter().copied().collect(), b.iter().copied().collect());
    check_algebra(a, b, &ma, &mb)?;
    let (sa, sb): (GenericAvlSet<u16, P>, GenericAvlSet<u16, P>) =
        (a.iter().copied().collect(), b.iter().copied().collect());
    check_algebra(&sa, &sb, &ma, &mb)
}

/// A large set and a subset of it (of at most 20 picks, by position), plus
/// perhaps one element the large set lacks.
#[cfg(feature = "proptest")]
fn subset_pair() -> impl Strategy<Value = (AvlSet<u16>, AvlSet<u16>)> {
    (
        avl_set(0..256u16, 0..300),
        vec(any::<Index>(), 0..20),
        prop::option::of(0..256u16),
    )
        .prop_map(|(large, picks, extra)| {
            let mut small: AvlSet<u16> = if large.is_empty() {
                AvlSet::new()
            } else {
                picks
                    .iter()
                    .filter_map(|i| large.get_index(i.index(large.len())).copied())
                    .collect()
            };
            small.extend(extra);
            (small, large)
        })
}

proptest! {
    #![proptest_config(common::config())]

    #[test]
    fn arc_set_matches_btreeset(case in set_case(200)) {
        run_set::<ArcKind>(&case)?;
        run_set::<Classic>(&case)?;
    }

    #[test]
    fn rc_set_matches_btreeset(case in set_case(200)) {
        run_set::<SmallRc>(&case)?;
    }

    /// Two sets drawn by the crate's `avl_set` strategy, of up to 60 of 64
    /// elements.
    #[cfg(feature = "proptest")]
    #[test]
    fn algebra_of_similar_sets_matches_std(
        a in avl_set(0..64u16, 0..60),
        b in avl_set(0..64u16, 0..60),
    ) {
        both::<Classic>(&a, &b)?;
    }

    /// One set at least 20 times smaller than the other: `intersection`,
    /// `difference` and `is_subset` probe the larger set instead of merging.
    #[cfg(feature = "proptest")]
    #[test]
    fn algebra_of_lopsided_sets_matches_std(
        small in avl_set(0..512u16, 0..=4),
        large in avl_set(0..512u16, 100..400),
    ) {
        prop_assert!(small.len() * 20 <= large.len());
        both::<Classic>(&small, &large)?;
        both::<SmallRc>(&small, &large)?;
    }

    #[cfg(feature = "proptest")]
    #[test]
    fn algebra_of_a_set_and_its_subset_matches_std((small, large) in subset_pair()) {
        both::<Classic>(&small, &large)?;
    }
}

/// The `Debug` of a failing case is this literal; it compiles and replays.
#[test]
fn a_pasted_case_replays() {
    run_set::<SmallRc>(&SetCase {
        ops: vec![
            SetOp::Extend(vec![5, 1, 9, 3, 7]),
            SetOp::SplitOff(4, Half::Rejoin),
            SetOp::Retain(Keep::AtLeast(3)),
            SetOp::Replace(9),
            SetOp::Removed(4),
            SetOp::IntoIterRebuild { front: 1, back: 2 },
        ],
        ranges: vec![(Excluded(3), Unbounded), (Included(0), Included(7))],
        ends: 0x2,
    })
    .unwrap();
}

/// So does one of `extract_if`, run to its end and stopped early.
#[test]
fn a_pasted_case_of_extract_if_replays() {
    run_set::<ArcKind>(&SetCase {
        ops: vec![
            SetOp::Extend(vec![5, 1, 9, 3, 7, 12, 14, 15]),
            SetOp::ExtractIf {
                range: (Included(3), Unbounded),
                pick: Pick::KeyMod(3, 0),
                stop_after: None,
            },
            SetOp::ExtractIf {
                range: (Unbounded, Excluded(14)),
                pick: Pick::All,
                stop_after: Some(2),
            },
        ],
        ranges: vec![(Excluded(3), Unbounded)],
        ends: 0x1,
    })
    .unwrap();
}

fn tags<'a>(set: impl IntoIterator<Item = &'a Tagged>) -> Vec<char> {
    set.into_iter().map(|t| t.1).collect()
}

/// `insert` keeps the element already there, `replace` swaps it in and
/// returns the old one, `take` and `get` return the stored one: as std.
#[test]
fn insert_keeps_and_replace_swaps_equal_elements_as_std() {
    let start = [Tagged(1, 'a'), Tagged(2, 'b'), Tagged(1, 'c')];
    let mut ours: AvlSet<Tagged> = start.into_iter().collect();
    let mut std: BTreeSet<Tagged> = start.into_iter().collect();
    assert_eq!(tags(&ours), tags(&std), "from_iter keeps the last");

    assert_eq!(ours.insert(Tagged(2, 'd')), std.insert(Tagged(2, 'd')));
    assert_eq!(tags(&ours), tags(&std), "insert keeps");

    let (a, b) = (ours.replace(Tagged(2, 'e')), std.replace(Tagged(2, 'e')));
    assert_eq!(
        a.map(|t| t.1),
        b.map(|t| t.1),
        "replace returns the old one"
    );
    assert_eq!(tags(&ours), tags(&std), "replace swaps");

    assert_eq!(
        ours.get(&Tagged(1, 'x')).map(|t| t.1),
        std.get(&Tagged(1, 'x')).map(|t| t.1)
    );
    let (a, b) = (ours.take(&Tagged(1, 'x')), std.take(&Tagged(1, 'x')));
    assert_eq!(
        a.map(|t| t.1),
        b.map(|t| t.1),
        "take returns the stored one"
    );
    assert_eq!(tags(&ours), tags(&std));
    ours.check_invariants().unwrap();
}

/// The smallest reproduction of the bug the pair properties found: the
/// merging `difference` stopped as soon as `other`'s next element was the
/// smaller, so `{2} - {1}` came out empty, and `is_subset` (which asks
/// whether that difference is empty) said `{2}` is a subset of `{1}`.
#[test]
fn difference_goes_on_past_a_smaller_element_of_the_other_set() {
    let (two, one) = (AvlSet::from([2]), AvlSet::from([1]));
    assert_eq!(two.difference(&one).collect::<Vec<_>>(), [&2]);
    assert!(!two.is_subset(&one));
    assert!(!one.is_superset(&two));

    let (a, b) = (AvlSet::from([1, 3, 5]), AvlSet::from([0, 2, 3]));
    assert_eq!(a.difference(&b).collect::<Vec<_>>(), [&1, &5]);
    assert_eq!(b.difference(&a).collect::<Vec<_>>(), [&0, &2]);
}

/// `append` keeps the element `self` holds, as `insert` and std (since
/// rust-lang/rust#145628) do.
#[test]
fn append_keeps_the_stored_element_as_std() {
    let (start, other) = (
        [Tagged(1, 'a'), Tagged(2, 'b')],
        [Tagged(2, 'c'), Tagged(3, 'd')],
    );
    let mut ours: AvlSet<Tagged> = start.into_iter().collect();
    let mut std: BTreeSet<Tagged> = start.into_iter().collect();
    ours.append(&mut other.into_iter().collect());
    std.append(&mut other.into_iter().collect());
    assert_eq!(tags(&std), ['a', 'b', 'd']);
    assert_eq!(tags(&ours), tags(&std));
}

#[test]
fn from_iter_and_from_sorted_iter_follow_std() {
    let ours: AvlSetRc<i32> = [3, 1, 3, 2, 1].into_iter().collect();
    assert_eq!(ours.iter().collect::<Vec<_>>(), [&1, &2, &3]);
    ours.check_invariants().unwrap();

    let sorted = AvlSet::<i32>::from_sorted_iter([1, 2, 5]).unwrap();
    assert_eq!(sorted.iter().collect::<Vec<_>>(), [&1, &2, &5]);
    let index =
        |v: &[i32]| AvlSet::<i32>::from_sorted_iter(v.iter().copied()).map_err(|e| e.index());
    assert_eq!(index(&[1, 2, 2]).map(|s| s.len()), Err(2));
    assert_eq!(index(&[3, 1]).map(|s| s.len()), Err(1));
    assert_eq!(index(&[]).map(|s| s.len()), Ok(0));
}

#[test]
fn the_empty_set_relates_to_every_set_as_std() {
    let empty: AvlSet<u16> = AvlSet::new();
    let full: AvlSet<u16> = (0..100).collect();
    let (std_empty, std_full): (BTreeSet<u16>, BTreeSet<u16>) =
        (BTreeSet::new(), (0..100).collect());
    check_algebra(&empty, &full, &std_empty, &std_full).unwrap();
    check_algebra(&empty, &empty, &std_empty, &std_empty).unwrap();
    check_algebra(&full, &full.clone(), &std_full, &std_full).unwrap();
}
