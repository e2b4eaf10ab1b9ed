//! Set operations: every call of `AvlSet`, its set algebra included, each
//! made on the set and on its `BTreeSet` model, with the results compared.

use persistent_avl::GenericAvlSet;
use std::fmt::Debug;

use arbitrary::Arbitrary;
use persistent_avl::PointerKind;

use crate::check::{self, SetModel};
use crate::map_ops::{extract_some, pick};
use crate::{End, Half, Keep, drawn_bounds};

/// The set every target fuzzes.
pub type Set<P> = GenericAvlSet<u8, P>;

/// A version and its model.
pub type SetVersion<P> = (Set<P>, SetModel);

/// One call (or a few related calls) on a set.
#[derive(Arbitrary, Clone, Debug)]
pub enum SetOp {
    Insert(u8),
    Inserted {
        x: u8,
        adopt: bool,
    },
    Replace(u8),
    Remove(u8),
    Removed {
        x: u8,
        adopt: bool,
    },
    Take(u8),
    /// `get`, `contains`, `rank`, `get_index_of`, `get_index`.
    Get(u8),
    GetIndex(u8),
    PopFirst,
    PopLast,
    Retain(Keep),
    Clear,
    Append(Vec<u8>),
    AppendVersion(u8),
    SplitOff(u8, Half),
    Extend(Vec<u8>),
    ExtendRefs(Vec<u8>),
    /// Extends with `count` elements from `start` on, `step` apart.
    Fill {
        start: u8,
        count: u8,
        step: u8,
    },
    FromIter {
        xs: Vec<u8>,
        adopt: bool,
    },
    FromSortedIter {
        xs: Vec<u8>,
        sort: bool,
        adopt: bool,
    },
    /// `into_iter` of a clone, or of the set itself if `consume` (it becomes
    /// what was read), read from both ends and dropped part way.
    IntoIter {
        front: u8,
        back: u8,
        consume: bool,
    },
    Range(End, End, u64),
    /// As `MapOp::ExtractIf`: removes the elements `rule` would not keep.
    ExtractIf {
        start: End,
        end: End,
        rule: Keep,
        stop_after: Option<u8>,
    },
    SwitchTo(u8),
    /// The set algebra between the current set and another, both ways.
    Algebra(Other),
}

/// The other operand of the set algebra.
#[derive(Arbitrary, Clone, Debug)]
pub enum Other {
    /// The current set with these elements toggled: shares most nodes.
    Current(Vec<u8>),
    /// A kept version with these elements toggled.
    Version(u8, Vec<u8>),
    /// A set collected from these elements: shares nothing.
    Fresh(Vec<u8>),
}

impl SetOp {
    /// The element the operation is about, for a closer look after it.
    pub fn key(&self) -> Option<u8> {
        match *self {
            SetOp::Insert(x)
            | SetOp::Inserted { x, .. }
            | SetOp::Replace(x)
            | SetOp::Remove(x)
            | SetOp::Removed { x, .. }
            | SetOp::Take(x)
            | SetOp::Get(x)
            | SetOp::SplitOff(x, _) => Some(x),
            _ => None,
        }
    }
}

/// A copy of `set` that shares no node with it.
pub fn deep_copy<P: PointerKind>(set: &Set<P>) -> Set<P> {
    set.iter().copied().collect()
}

/// Inserts each of `xs` that is absent and removes each that is present.
pub fn toggle<P: PointerKind>(set: &mut Set<P>, model: &mut SetModel, xs: &[u8]) {
    for &x in xs {
        if !model.remove(&x) {
            model.insert(x);
        }
        if !set.remove(&x) {
            set.insert(x);
        }
    }
}

/// Applies `op` to `set` and `model`, comparing every result; as
/// `map_ops::apply`.
pub fn apply<P: PointerKind>(
    op: &SetOp,
    set: &mut Set<P>,
    model: &mut SetModel,
    kept: &[SetVersion<P>],
    unshared: bool,
    what: &dyn Debug,
) -> Vec<SetVersion<P>> {
    let mut made = Vec::new();
    let mut keep = |version: &Set<P>, model: &SetModel| {
        if !unshared {
            made.push((version.clone(), model.clone()));
        }
    };
    match *op {
        SetOp::Insert(x) => assert_eq!(set.insert(x), model.insert(x), "{what:?}"),
        SetOp::Inserted { x, adopt } => {
            let new = set.inserted(x);
            let mut new_model = model.clone();
            new_model.insert(x);
            check::set(&new, &new_model, &(what, "the new version"));
            keep(&new, &new_model);
            if adopt {
                (*set, *model) = (new, new_model);
            }
        }
        SetOp::Replace(x) => assert_eq!(set.replace(x), model.replace(x), "{what:?}"),
        SetOp::Remove(x) => assert_eq!(set.remove(&x), model.remove(&x), "{what:?}"),
        SetOp::Removed { x, adopt } => {
            let new = set.removed(&x);
            let mut new_model = model.clone();
            if !new_model.remove(&x) {
                assert!(
                    new.ptr_eq(set),
                    "{what:?}: removing an absent element made a new root"
                );
            }
            check::set(&new, &new_model, &(what, "the new version"));
            keep(&new, &new_model);
            if adopt {
                (*set, *model) = (new, new_model);
            }
        }
        SetOp::Take(x) => assert_eq!(set.take(&x), model.take(&x), "{what:?}"),
        SetOp::Get(x) => check::set_probe(set, model, x, what),
        SetOp::GetIndex(index) => {
            let index = usize::from(index);
            assert_eq!(set.get_index(index), model.iter().nth(index), "{what:?}");
        }
        SetOp::PopFirst => assert_eq!(set.pop_first(), model.pop_first(), "{what:?}"),
        SetOp::PopLast => assert_eq!(set.pop_last(), model.pop_last(), "{what:?}"),
        SetOp::Retain(rule) => {
            let (mut ours, mut std) = (Vec::new(), Vec::new());
            set.retain(|&x| {
                ours.push(x);
                rule.keeps_key(x)
            });
            model.retain(|&x| {
                std.push(x);
                rule.keeps_key(x)
            });
            assert_eq!(ours, std, "{what:?}: the elements retain visited");
        }
        SetOp::Clear => {
            set.clear();
            model.clear();
        }
        SetOp::Append(ref xs) => {
            let mut other = Set::<P>::empty();
            let mut other_model = SetModel::new();
            for &x in xs {
                other.insert(x);
                other_model.insert(x);
            }
            set.append(&mut other);
            model.append(&mut other_model);
            check::set(&other, &other_model, &(what, "appended, so empty"));
        }
        SetOp::AppendVersion(index) => {
            if let Some((version, version_model)) = pick(kept, index) {
                let mut other = if unshared {
                    deep_copy(version)
                } else {
                    version.clone()
                };
                let mut other_model = version_model.clone();
                set.append(&mut other);
                model.append(&mut other_model);
                check::set(&other, &other_model, &(what, "appended, so empty"));
            }
        }
        SetOp::SplitOff(x, half) => {
            let mut high = set.split_off(&x);
            let mut high_model = model.split_off(&x);
            check::set(set, model, &(what, "the low half"));
            check::set(&high, &high_model, &(what, "the high half"));
            keep(set, model);
            keep(&high, &high_model);
            match half {
                Half::Low => {}
                Half::High => (*set, *model) = (high, high_model),
                Half::Rejoin => {
                    set.append(&mut high);
                    model.append(&mut high_model);
                }
                Half::RejoinReversed => {
                    high.append(set);
                    high_model.append(model);
                    (*set, *model) = (high, high_model);
                }
            }
        }
        SetOp::Extend(ref xs) => {
            set.extend(xs.iter().copied());
            model.extend(xs.iter().copied());
        }
        SetOp::Fill { start, count, step } => {
            let xs = crate::fill(start, count, step);
            set.extend(xs.clone());
            model.extend(xs);
        }
        SetOp::ExtendRefs(ref xs) => {
            set.extend(xs.iter());
            model.extend(xs.iter());
        }
        SetOp::FromIter { ref xs, adopt } => {
            let built: Set<P> = xs.iter().copied().collect();
            let built_model: SetModel = xs.iter().copied().collect();
            check::set(&built, &built_model, &(what, "collected"));
            keep(&built, &built_model);
            if adopt {
                (*set, *model) = (built, built_model);
            }
        }
        SetOp::FromSortedIter {
            ref xs,
            sort,
            adopt,
        } => {
            let mut xs = xs.clone();
            if sort {
                xs.sort_unstable();
                xs.dedup();
            }
            let first_unsorted = xs.windows(2).position(|w| w[1] <= w[0]);
            match (
                Set::<P>::from_sorted_iter(xs.iter().copied()),
                first_unsorted,
            ) {
                (Ok(built), None) => {
                    let built_model: SetModel = xs.iter().copied().collect();
                    check::set(&built, &built_model, &(what, "built"));
                    keep(&built, &built_model);
                    if adopt {
                        (*set, *model) = (built, built_model);
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
        SetOp::IntoIter {
            front,
            back,
            consume,
        } => {
            let (source, source_model) = if consume {
                (std::mem::take(set), std::mem::take(model))
            } else {
                (set.clone(), model.clone())
            };
            let len = source_model.len();
            let front = usize::from(front) % (len + 1);
            let back = usize::from(back) % (len - front + 1);
            let (mut ours, mut std) = (source.into_iter(), source_model.into_iter());
            assert_eq!(ours.len(), std.len(), "{what:?}: len");
            let mut read = Vec::new();
            for _ in 0..front {
                let x = ours.next();
                assert_eq!(x, std.next(), "{what:?}: from the front");
                read.extend(x);
            }
            for _ in 0..back {
                let x = ours.next_back();
                assert_eq!(x, std.next_back(), "{what:?}: from the back");
                read.extend(x);
            }
            assert_eq!(ours.len(), std.len(), "{what:?}: len left");
            drop(ours);
            if consume {
                *set = read.iter().copied().collect();
                *model = read.into_iter().collect();
            }
        }
        SetOp::Range(start, end, ends) => check::set_range(set, model, start, end, ends, what),
        SetOp::ExtractIf {
            start,
            end,
            rule,
            stop_after,
        } => {
            let bounds = drawn_bounds(start, end);
            let what = &(what, "extract_if", bounds);
            let (mut seen, mut std_seen) = (Vec::new(), Vec::new());
            let ours = set.extract_if(bounds, |&x| {
                seen.push(x);
                !rule.keeps_key(x)
            });
            let std = model.extract_if(bounds, |&x| {
                std_seen.push(x);
                !rule.keeps_key(x)
            });
            let (taken, std_taken) = extract_some(ours, std, stop_after, what);
            assert_eq!(taken, std_taken, "{what:?}: the elements extracted");
            assert_eq!(seen, std_seen, "{what:?}: the elements the predicate saw");
        }
        SetOp::SwitchTo(index) => {
            if let Some((version, version_model)) = pick(kept, index) {
                *set = if unshared {
                    deep_copy(version)
                } else {
                    version.clone()
                };
                *model = version_model.clone();
            }
        }
        SetOp::Algebra(ref other) => {
            let (other, other_model) = match other {
                Other::Current(xs) => {
                    let (mut other, mut other_model) = (set.clone(), model.clone());
                    toggle(&mut other, &mut other_model, xs);
                    (other, other_model)
                }
                Other::Version(index, xs) => match pick(kept, *index) {
                    Some((version, version_model)) => {
                        let (mut other, mut other_model) = (version.clone(), version_model.clone());
                        toggle(&mut other, &mut other_model, xs);
                        (other, other_model)
                    }
                    None => (Set::<P>::empty(), SetModel::new()),
                },
                Other::Fresh(xs) => (
                    xs.iter().copied().collect(),
                    xs.iter().copied().collect::<SetModel>(),
                ),
            };
            check::set(&other, &other_model, &(what, "the other operand"));
            algebra(set, model, &other, &other_model, what);
            algebra(&other, &other_model, set, model, &(what, "reversed"));
            keep(&other, &other_model);
        }
    }
    made
}

/// Checks one lazy set-algebra iterator against std's, and its `size_hint`
/// against what it yields.
fn same_items<'a, I, J>(ours: I, std: J, name: &str, what: &dyn Debug)
where
    I: Iterator<Item = &'a u8> + Clone,
    J: Iterator<Item = &'a u8>,
{
    let (low, high) = ours.size_hint();
    let got: Vec<&u8> = ours.clone().collect();
    let want: Vec<&u8> = std.collect();
    assert_eq!(got, want, "{what:?}: {name}");
    assert!(
        low <= got.len() && high.is_none_or(|high| got.len() <= high),
        "{what:?}: {name}: size_hint {:?} but {} items",
        (low, high),
        got.len()
    );
    let mut spent = ours;
    spent.by_ref().for_each(drop);
    assert!(
        spent.next().is_none(),
        "{what:?}: {name}: spent, then yields"
    );
}

/// `a op b` for every operation of the set algebra, against std's.
pub fn algebra<P: PointerKind>(
    a: &Set<P>,
    am: &SetModel,
    b: &Set<P>,
    bm: &SetModel,
    what: &dyn Debug,
) {
    same_items(a.union(b), am.union(bm), "union", what);
    same_items(a.intersection(b), am.intersection(bm), "intersection", what);
    same_items(a.difference(b), am.difference(bm), "difference", what);
    same_items(
        a.symmetric_difference(b),
        am.symmetric_difference(bm),
        "symmetric_difference",
        what,
    );
    let trees = [
        ("union_set", a.union_set(b), am | bm),
        ("intersection_set", a.intersection_set(b), am & bm),
        ("difference_set", a.difference_set(b), am - bm),
        (
            "symmetric_difference_set",
            a.symmetric_difference_set(b),
            am ^ bm,
        ),
        ("|", a | b, am | bm),
        ("&", a & b, am & bm),
        ("-", a - b, am - bm),
        ("^", a ^ b, am ^ bm),
    ];
    for (name, ours, std) in &trees {
        check::set(ours, std, &(what, name));
    }
    assert_eq!(a.is_subset(b), am.is_subset(bm), "{what:?}: is_subset");
    assert_eq!(
        a.is_superset(b),
        am.is_superset(bm),
        "{what:?}: is_superset"
    );
    assert_eq!(
        a.is_disjoint(b),
        am.is_disjoint(bm),
        "{what:?}: is_disjoint"
    );
    assert_eq!(a == b, am == bm, "{what:?}: ==");
    assert_eq!(a.cmp(b), am.cmp(bm), "{what:?}: cmp");
    assert_eq!(
        a.partial_cmp(b),
        am.partial_cmp(bm),
        "{what:?}: partial_cmp"
    );
}

/// Runs a whole set input, as `map_ops::run`.
pub fn run<P: PointerKind>(ops: &[SetOp], probes: &[u8]) {
    let mut set = Set::<P>::empty();
    let mut model = SetModel::new();
    let mut twin = Set::<P>::empty();
    let mut twin_model = SetModel::new();
    let mut kept: Vec<SetVersion<P>> = Vec::new();
    for (step, op) in ops.iter().enumerate() {
        let what = &(step, op);
        let made = apply(op, &mut set, &mut model, &kept, false, what);
        let twin_what = &(step, op, "the unshared twin");
        apply(op, &mut twin, &mut twin_model, &kept, true, twin_what);
        check::set(&set, &model, what);
        check::set(&twin, &twin_model, twin_what);
        assert_eq!(model, twin_model, "{what:?}: the twin's model drifted");
        if let Some(x) = op.key() {
            check::set_probe(&set, &model, x, what);
        }
        kept.extend(made);
        kept.push((set.clone(), model.clone()));
    }
    for (index, (version, version_model)) in kept.iter().enumerate() {
        check::set_deep(version, version_model, probes, &("kept version", index));
        assert_eq!(
            format!("{version:?}"),
            format!("{version_model:?}"),
            "kept version {index}: Debug"
        );
    }
}
