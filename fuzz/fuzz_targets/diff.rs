//! `diff`, `diff_by` and `==` between versions, against a naive diff of the
//! two models.
//!
//! Versions come from a chain of map (or set) operations with branches
//! (`SwitchTo` an older version), persistent forms, split halves and
//! unrelated builds (`FromIter`, `FromSortedIter`); every one is kept.
//! `Compare(i, j, m)` picks two kept versions and checks, both ways:
//! `a.diff(&b)` and `a.diff_by(&b, values equal modulo m)` against a merge
//! of the two models' sorted entries; that the diff stays spent and that a
//! clone of it taken part way reads the same rest; `a == b`, `partial_cmp`
//! and `cmp` against std's. A third chain has `f64` values with NaN among
//! them: there `==` must still agree with std's, which finds a map holding
//! NaN unequal even to itself.

#![no_main]

use persistent_avl::GenericAvlMap;
use std::collections::BTreeMap;
use std::fmt::Debug;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use persistent_avl::PointerKind;
use persistent_avl::set::DiffItem as SetDiffItem;
use persistent_avl_fuzz::check::{self, Change, Model, SetModel, naive_diff};
use persistent_avl_fuzz::map_ops::{self, MapOp, Version, pick};
use persistent_avl_fuzz::set_ops::{self, SetOp, SetVersion};

#[derive(Arbitrary, Debug)]
enum Step<O> {
    /// An operation on the current version; what it makes is kept.
    Op(O),
    /// Compares two kept versions; values are "the same" for `diff_by`
    /// when equal modulo 1 + (the third number % 8).
    Compare(u8, u8, u8),
}

#[derive(Arbitrary, Debug)]
enum NanStep {
    /// Inserts `value` as an `f64`, 0 as NaN.
    Insert(u8, u8),
    /// The persistent form; the new version becomes current.
    Inserted(u8, u8),
    Remove(u8),
    Branch(u8),
    Compare(u8, u8),
}

#[derive(Arbitrary, Debug)]
struct Input {
    /// The pointer kind and block size the input runs on.
    layout: persistent_avl_fuzz::Layout,
    map_steps: Vec<Step<MapOp>>,
    set_steps: Vec<Step<SetOp>>,
    nan_steps: Vec<NanStep>,
}

/// Checks an iterator that should yield `expected`: all of it, then a
/// clone taken after `at` items reads the same rest, then it stays spent.
fn same_walk<I>(mut diff: I, expected: &[Change], at: usize, what: &dyn Debug)
where
    I: Iterator + Clone,
    I::Item: Debug,
    for<'x> &'x I::Item: Into<Change>,
{
    let got: Vec<Change> = diff.clone().map(|item| (&item).into()).collect();
    assert_eq!(got, expected, "{what:?}");
    let at = at % (expected.len() + 1);
    diff.by_ref().take(at).for_each(drop);
    let rest = diff.clone();
    let rest: Vec<Change> = rest.map(|item| (&item).into()).collect();
    assert_eq!(
        rest,
        expected[at..],
        "{what:?}: a clone taken after {at} items"
    );
    diff.by_ref().for_each(drop);
    assert!(diff.next().is_none(), "{what:?}: spent, then yields");
}

fn compare_maps<P: PointerKind>(a: &Version<P>, b: &Version<P>, modulus: u8, what: &dyn Debug) {
    let ((a, am), (b, bm)) = (a, b);
    let m = 1 + u32::from(modulus % 8);
    let same = |x: u32, y: u32| x % m == y % m;
    same_walk(
        a.diff(b),
        &naive_diff(am, bm, |x, y| x == y),
        usize::from(modulus),
        &(what, "diff"),
    );
    same_walk(
        a.diff_by(b, |x: &u32, y: &u32| same(*x, *y)),
        &naive_diff(am, bm, same),
        usize::from(modulus / 8),
        &(what, "diff_by modulo", m),
    );
    assert_eq!(a == b, am == bm, "{what:?}: ==");
    assert_eq!(a != b, am != bm, "{what:?}: !=");
    assert_eq!(
        a.partial_cmp(b),
        am.partial_cmp(bm),
        "{what:?}: partial_cmp"
    );
    assert_eq!(a.cmp(b), am.cmp(bm), "{what:?}: cmp");
}

fn set_changes(old: &SetModel, new: &SetModel) -> Vec<(bool, u8)> {
    let removed = old.difference(new).map(|&x| (false, x));
    let mut changes: Vec<(bool, u8)> = removed
        .chain(new.difference(old).map(|&x| (true, x)))
        .collect();
    changes.sort_by_key(|&(_, x)| x);
    changes
}

fn compare_sets<P: PointerKind>(a: &SetVersion<P>, b: &SetVersion<P>, at: u8, what: &dyn Debug) {
    let ((a, am), (b, bm)) = (a, b);
    let expected = set_changes(am, bm);
    let read = |item: SetDiffItem<'_, u8>| match item {
        SetDiffItem::Added(&x) => (true, x),
        SetDiffItem::Removed(&x) => (false, x),
    };
    let mut diff = a.diff(b);
    let got: Vec<(bool, u8)> = diff.clone().map(read).collect();
    assert_eq!(got, expected, "{what:?}: set diff");
    let at = usize::from(at) % (expected.len() + 1);
    diff.by_ref().take(at).for_each(drop);
    let rest: Vec<(bool, u8)> = diff.clone().map(read).collect();
    assert_eq!(
        rest,
        expected[at..],
        "{what:?}: a clone taken after {at} items"
    );
    diff.by_ref().for_each(drop);
    assert!(diff.next().is_none(), "{what:?}: spent, then yields");
    assert_eq!(a == b, am == bm, "{what:?}: ==");
    assert_eq!(a.cmp(b), am.cmp(bm), "{what:?}: cmp");
}

fn run_maps<P: PointerKind>(steps: &[Step<MapOp>]) {
    let mut map = map_ops::Map::<P>::empty();
    let mut model = Model::new();
    let mut kept: Vec<Version<P>> = vec![(map.clone(), model.clone())];
    for (step, s) in steps.iter().enumerate() {
        match s {
            Step::Op(op) => {
                let what = &(step, op);
                let made = map_ops::apply(op, &mut map, &mut model, &kept, false, what);
                check::map(&map, &model, what);
                kept.extend(made);
                kept.push((map.clone(), model.clone()));
            }
            &Step::Compare(i, j, m) => {
                let (a, b) = (pick(&kept, i).unwrap(), pick(&kept, j).unwrap());
                compare_maps(a, b, m, &(step, "compare", i, j));
                compare_maps(b, a, m, &(step, "compare", j, i));
            }
        }
    }
    for (index, (version, version_model)) in kept.iter().enumerate() {
        check::map(version, version_model, &("kept version", index));
    }
}

fn run_sets<P: PointerKind>(steps: &[Step<SetOp>]) {
    let mut set = set_ops::Set::<P>::empty();
    let mut model = SetModel::new();
    let mut kept: Vec<SetVersion<P>> = vec![(set.clone(), model.clone())];
    for (step, s) in steps.iter().enumerate() {
        match s {
            Step::Op(op) => {
                let what = &(step, op);
                let made = set_ops::apply(op, &mut set, &mut model, &kept, false, what);
                check::set(&set, &model, what);
                kept.extend(made);
                kept.push((set.clone(), model.clone()));
            }
            &Step::Compare(i, j, at) => {
                let (a, b) = (pick(&kept, i).unwrap(), pick(&kept, j).unwrap());
                compare_sets(a, b, at, &(step, "compare", i, j));
                compare_sets(b, a, at, &(step, "compare", j, i));
            }
        }
    }
    for (index, (version, version_model)) in kept.iter().enumerate() {
        check::set(version, version_model, &("kept version", index));
    }
}

fn float(value: u8) -> f64 {
    if value == 0 {
        f64::NAN
    } else {
        f64::from(value)
    }
}

/// `==` and `partial_cmp` with NaN values, on versions that share nodes.
fn run_nans<P: PointerKind>(steps: &[NanStep]) {
    type Floats<P> = (GenericAvlMap<u8, f64, P>, BTreeMap<u8, f64>);
    let mut current: Floats<P> = (GenericAvlMap::empty(), BTreeMap::new());
    let mut kept: Vec<Floats<P>> = vec![current.clone()];
    for (step, s) in steps.iter().enumerate() {
        let what = &(step, s);
        match *s {
            NanStep::Insert(k, v) => {
                let (ours, std) = (current.0.insert(k, float(v)), current.1.insert(k, float(v)));
                assert_eq!(ours.map(f64::to_bits), std.map(f64::to_bits), "{what:?}");
            }
            NanStep::Inserted(k, v) => {
                current.0 = current.0.inserted(k, float(v));
                current.1.insert(k, float(v));
            }
            NanStep::Remove(k) => {
                let (ours, std) = (current.0.remove(&k), current.1.remove(&k));
                assert_eq!(ours.map(f64::to_bits), std.map(f64::to_bits), "{what:?}");
            }
            NanStep::Branch(i) => current = pick(&kept, i).unwrap().clone(),
            NanStep::Compare(i, j) => {
                let ((a, am), (b, bm)) = (pick(&kept, i).unwrap(), pick(&kept, j).unwrap());
                assert_eq!(a == b, am == bm, "{what:?}: ==");
                assert_eq!(a != b, am != bm, "{what:?}: !=");
                assert_eq!(
                    a.partial_cmp(b),
                    am.partial_cmp(bm),
                    "{what:?}: partial_cmp"
                );
            }
        }
        let (map, model) = &current;
        assert!(
            map.iter()
                .map(|(&k, v)| (k, v.to_bits()))
                .eq(model.iter().map(|(&k, v)| (k, v.to_bits()))),
            "{what:?}: entries"
        );
        assert_eq!(
            map == &map.clone(),
            model == &model.clone(),
            "{what:?}: == a clone"
        );
        kept.push(current.clone());
    }
}

fn run<P: PointerKind>(input: &Input) {
    run_maps::<P>(&input.map_steps);
    run_sets::<P>(&input.set_steps);
    run_nans::<P>(&input.nan_steps);
}

fuzz_target!(|input: Input| {
    persistent_avl_fuzz::panics::install_hook();
    persistent_avl_fuzz::on_layout!(input.layout, run(&input));
});
