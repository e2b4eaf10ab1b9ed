//! Folding an iterator (`fold`, and so `sum`, `for_each`, `count` and the
//! rest of internal iteration) gives what calling `next` does, from any
//! point: after any number of items taken from the front and from the
//! back, on whole maps and on ranges, for every block size.
//!
//! The map's iterators fold a block's entries as one slice, a faster path
//! than `next` with its own bookkeeping; these tests hold the two to the
//! same answer as std's `BTreeMap`.

use persistent_avl::GenericAvlMap;
use std::collections::BTreeMap;
use std::ops::Bound::{Excluded, Included, Unbounded};

use persistent_avl::{ArcKind, BlockSize, PointerKind, RcKind};
use proptest::prelude::*;

/// The entries left in `it` after taking `front` from the front and `back`
/// from the back, read by `fold`.
fn folded<'a, I>(mut it: I, front: usize, back: usize) -> Vec<(u16, u32)>
where
    I: DoubleEndedIterator<Item = (&'a u16, &'a u32)>,
{
    it.by_ref().take(front).for_each(drop);
    it.by_ref().rev().take(back).for_each(drop);
    it.fold(Vec::new(), |mut out, (k, v)| {
        out.push((*k, *v));
        out
    })
}

/// The same from the model, by `next`.
fn expected<'a, I>(mut it: I, front: usize, back: usize) -> Vec<(u16, u32)>
where
    I: DoubleEndedIterator<Item = (&'a u16, &'a u32)>,
{
    it.by_ref().take(front).for_each(drop);
    it.by_ref().rev().take(back).for_each(drop);
    let mut out = Vec::new();
    for (k, v) in it {
        out.push((*k, *v));
    }
    out
}

fn check<P: PointerKind>(
    keys: &[u16],
    front: usize,
    back: usize,
    from: u16,
    to: u16,
) -> Result<(), TestCaseError> {
    // Built by inserts, so blocks are of every fill, and nodes sit between.
    let mut map: GenericAvlMap<u16, u32, P> = GenericAvlMap::default();
    let mut model = BTreeMap::new();
    for &k in keys {
        map.insert(k, u32::from(k) * 3);
        model.insert(k, u32::from(k) * 3);
    }
    map.check_invariants().unwrap();
    prop_assert_eq!(
        folded(map.iter(), front, back),
        expected(model.iter(), front, back)
    );
    let (lo, hi) = (from.min(to), from.max(to));
    prop_assert_eq!(
        folded(map.range(lo..=hi), front, back),
        expected(model.range(lo..=hi), front, back)
    );
    prop_assert_eq!(
        folded(map.range((Excluded(lo), Unbounded)), front, back),
        expected(model.range((Excluded(lo), Unbounded)), front, back)
    );
    prop_assert_eq!(
        folded(map.range((Unbounded, Included(hi))), front, back),
        expected(model.range((Unbounded, Included(hi))), front, back)
    );
    // The keys and values faces fold the same walk.
    let mut keys_left = map.keys();
    keys_left.by_ref().take(front).for_each(drop);
    let key_sum: u64 = keys_left.map(|&k| u64::from(k)).sum();
    let model_sum: u64 = model.keys().skip(front).map(|&k| u64::from(k)).sum();
    prop_assert_eq!(key_sum, model_sum);
    prop_assert_eq!(
        map.values().rev().skip(back).count(),
        model.len().saturating_sub(back)
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn folding_matches_next_from_any_point(
        keys in prop::collection::vec(0u16..2_000, 0..400),
        front in 0usize..120,
        back in 0usize..120,
        from in 0u16..2_000,
        to in 0u16..2_000,
    ) {
        check::<ArcKind>(&keys, front, back, from, to)?;
        check::<BlockSize<RcKind, 3>>(&keys, front, back, from, to)?;
        check::<persistent_avl::Classic<ArcKind>>(&keys, front, back, from, to)?;
    }
}
