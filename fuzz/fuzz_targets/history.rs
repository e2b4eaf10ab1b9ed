//! `History<AvlMap<..>>` against a model: a `Vec` of (id, snapshot, label)
//! with a current index and an optional limit.
//!
//! After every step: `len`, `ids` (both ways), `current_id`, `current`,
//! `can_undo`, `can_redo` and every kept version's label agree with the
//! model, and each call returned what the model says (`undo`/`redo`/`jump_to`
//! moved or not, `get`/`label`/`find_label`/`diff` found the right version
//! or `None` for one the history dropped). New ids never repeat and grow.
//! A second history checks that neither accepts the other's ids. At the
//! end every kept version equals its snapshot and every dropped id is gone.

#![no_main]

use std::fmt::Debug;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use persistent_avl::{History, PointerKind, VersionId};
use persistent_avl_fuzz::check::{self, Change, Model, naive_diff};
use persistent_avl_fuzz::map_ops::{self, Map, MapOp, pick};

#[derive(Arbitrary, Debug)]
enum Op {
    /// `edit` with one map operation.
    Edit(MapOp),
    Push(Source),
    Undo,
    Redo,
    /// `checkpoint` with one of eight labels.
    Checkpoint(u8),
    FindLabel(u8),
    /// `label`, `get` and `jump_to` of an id ever issued, kept or dropped.
    Label(u8),
    Get(u8),
    JumpTo(u8),
    Diff(u8, u8),
    /// Asks the other history about an id of this one, and this one about
    /// an id of the other: both must refuse.
    Foreign(u8, u8),
    /// An edit of the other history, so that its ids move on too.
    OtherEdit(u8, u32),
}

/// Where a pushed version comes from.
#[derive(Arbitrary, Debug)]
enum Source {
    Inserted(u8, u32),
    Removed(u8),
    /// Any version the history ever held, kept or dropped.
    Earlier(u8),
    Fresh(Vec<(u8, u32)>),
}

#[derive(Arbitrary, Debug)]
struct Input {
    /// The pointer kind and block size the input runs on.
    layout: persistent_avl_fuzz::Layout,
    limit: Option<u8>,
    initial: Vec<(u8, u32)>,
    ops: Vec<Op>,
}

struct Kept {
    id: VersionId,
    model: Model,
    label: Option<String>,
}

/// The model of a history.
struct Line {
    versions: Vec<Kept>,
    current: usize,
    limit: Option<usize>,
}

impl Line {
    fn push(&mut self, id: VersionId, model: Model) {
        self.versions.truncate(self.current + 1);
        self.versions.push(Kept {
            id,
            model,
            label: None,
        });
        if let Some(limit) = self.limit {
            let excess = self.versions.len().saturating_sub(limit);
            self.versions.drain(..excess);
        }
        self.current = self.versions.len() - 1;
    }

    fn find(&self, id: VersionId) -> Option<&Kept> {
        self.versions.iter().find(|v| v.id == id)
    }
}

fn label(n: u8) -> String {
    format!("label {}", n % 8)
}

/// Every id the history issued, with the snapshot it was issued for.
type Issued = Vec<(VersionId, Model)>;

fn check_line<P: PointerKind>(history: &History<Map<P>>, line: &Line, what: &dyn Debug) {
    let ids: Vec<VersionId> = line.versions.iter().map(|v| v.id).collect();
    assert_eq!(history.len(), ids.len(), "{what:?}: len");
    assert!(history.ids().eq(ids.iter().copied()), "{what:?}: ids");
    assert!(
        history.ids().rev().eq(ids.iter().rev().copied()),
        "{what:?}: ids.rev"
    );
    let current = &line.versions[line.current];
    assert_eq!(history.current_id(), current.id, "{what:?}: current_id");
    check::map(history.current(), &current.model, &(what, "current"));
    assert_eq!(history.can_undo(), line.current > 0, "{what:?}: can_undo");
    assert_eq!(
        history.can_redo(),
        line.current + 1 < line.versions.len(),
        "{what:?}: can_redo"
    );
    for v in &line.versions {
        assert_eq!(
            history.label(v.id),
            v.label.as_deref(),
            "{what:?}: label({})",
            v.id
        );
    }
}

fn issue(issued: &mut Issued, id: VersionId, model: &Model, what: &dyn Debug) {
    if let Some(&(last, _)) = issued.last() {
        assert!(id > last, "{what:?}: id {id} issued after {last}");
    }
    issued.push((id, model.clone()));
}

fn run<P: PointerKind>(input: &Input) {
    let initial: Map<P> = input.initial.iter().copied().collect();
    let initial_model: Model = input.initial.iter().copied().collect();
    let limit = input.limit.map(|l| usize::from(l).max(1));
    let mut history = match input.limit {
        Some(l) => History::with_limit(initial, usize::from(l)),
        None => History::new(initial),
    };
    let mut line = Line {
        versions: vec![Kept {
            id: history.current_id(),
            model: initial_model.clone(),
            label: None,
        }],
        current: 0,
        limit,
    };
    let mut issued: Issued = vec![(history.current_id(), initial_model)];
    let mut other = History::new(Map::<P>::empty());
    let mut other_ids = vec![other.current_id()];
    check_line(&history, &line, &"start");

    for (step, op) in input.ops.iter().enumerate() {
        let what = &(step, op);
        match op {
            Op::Edit(map_op) => {
                let mut model = line.versions[line.current].model.clone();
                let id = history.edit(|map| {
                    map_ops::apply(map_op, map, &mut model, &[], false, what);
                });
                issue(&mut issued, id, &model, what);
                line.push(id, model);
            }
            Op::Push(source) => {
                let mut model = line.versions[line.current].model.clone();
                let value = match *source {
                    Source::Inserted(k, v) => {
                        model.insert(k, v);
                        history.current().inserted(k, v)
                    }
                    Source::Removed(k) => {
                        model.remove(&k);
                        history.current().removed(&k)
                    }
                    Source::Earlier(i) => {
                        let (id, earlier) = pick(&issued, i).unwrap();
                        // A dropped version's map is gone; rebuild it.
                        let value = match history.get(*id) {
                            Some(map) => map.clone(),
                            None => earlier.iter().map(|(&k, &v)| (k, v)).collect(),
                        };
                        model = earlier.clone();
                        value
                    }
                    Source::Fresh(ref entries) => {
                        model = entries.iter().copied().collect();
                        entries.iter().copied().collect()
                    }
                };
                check::map(&value, &model, &(what, "the pushed version"));
                let id = history.push(value);
                issue(&mut issued, id, &model, what);
                line.push(id, model);
            }
            Op::Undo => {
                let can = line.current > 0;
                assert_eq!(history.undo(), can, "{what:?}");
                if can {
                    line.current -= 1;
                }
            }
            Op::Redo => {
                let can = line.current + 1 < line.versions.len();
                assert_eq!(history.redo(), can, "{what:?}");
                if can {
                    line.current += 1;
                }
            }
            &Op::Checkpoint(n) => {
                history.checkpoint(label(n));
                line.versions[line.current].label = Some(label(n));
            }
            &Op::FindLabel(n) => {
                let expected = line
                    .versions
                    .iter()
                    .rev()
                    .find(|v| v.label == Some(label(n)))
                    .map(|v| v.id);
                assert_eq!(history.find_label(&label(n)), expected, "{what:?}");
            }
            &Op::Label(i) => {
                let id = pick(&issued, i).unwrap().0;
                let expected = line.find(id).and_then(|v| v.label.as_deref());
                assert_eq!(history.label(id), expected, "{what:?}");
            }
            &Op::Get(i) => {
                let id = pick(&issued, i).unwrap().0;
                match (history.get(id), line.find(id)) {
                    (Some(map), Some(kept)) => check::map(map, &kept.model, what),
                    (None, None) => {}
                    (map, _) => panic!("{what:?}: get({id}) is {map:?}, the model disagrees"),
                }
            }
            &Op::JumpTo(i) => {
                let id = pick(&issued, i).unwrap().0;
                let index = line.versions.iter().position(|v| v.id == id);
                assert_eq!(history.jump_to(id), index.is_some(), "{what:?}");
                if let Some(index) = index {
                    line.current = index;
                }
            }
            &Op::Diff(i, j) => {
                let (from, to) = (pick(&issued, i).unwrap().0, pick(&issued, j).unwrap().0);
                match (history.diff(from, to), line.find(from), line.find(to)) {
                    (Some(diff), Some(a), Some(b)) => {
                        let got: Vec<Change> = diff.map(|item| check::owned(&item)).collect();
                        let expected = naive_diff(&a.model, &b.model, |x, y| x == y);
                        assert_eq!(got, expected, "{what:?}: diff({from}, {to})");
                    }
                    (None, a, b) if a.is_none() || b.is_none() => {}
                    (diff, ..) => panic!(
                        "{what:?}: diff({from}, {to}) is_some {}, the model disagrees",
                        diff.is_some()
                    ),
                }
            }
            &Op::Foreign(i, j) => {
                let ours = pick(&issued, i).unwrap().0;
                let theirs = *pick(&other_ids, j).unwrap();
                refuses(&mut other, ours, &(what, "the other history, our id"));
                refuses(
                    &mut history,
                    theirs,
                    &(what, "this history, the other's id"),
                );
            }
            &Op::OtherEdit(k, v) => {
                other_ids.push(other.edit(|map| {
                    map.insert(k, v);
                }));
            }
        }
        check_line(&history, &line, what);
    }

    for (id, model) in &issued {
        match (history.get(*id), line.find(*id)) {
            (Some(map), Some(kept)) => {
                assert_eq!(&kept.model, model, "version {id}: the model's own snapshot");
                check::map_deep(map, model, &[], &("kept version", id));
            }
            (None, None) => {}
            (map, _) => panic!("at the end: get({id}) is {map:?}, the model disagrees"),
        }
    }
}

/// A history asked about an id it never issued finds nothing and moves
/// nowhere.
fn refuses<P: PointerKind>(history: &mut History<Map<P>>, id: VersionId, what: &dyn Debug) {
    let current = history.current_id();
    assert!(
        history.get(id).is_none(),
        "{what:?}: get({id}) found a version"
    );
    assert!(
        history.label(id).is_none(),
        "{what:?}: label({id}) found a label"
    );
    assert!(
        history.diff(id, current).is_none(),
        "{what:?}: diff({id}, ..) found a version"
    );
    assert!(
        history.diff(current, id).is_none(),
        "{what:?}: diff(.., {id}) found a version"
    );
    assert!(!history.jump_to(id), "{what:?}: jump_to({id}) moved");
    assert_eq!(
        history.current_id(),
        current,
        "{what:?}: jump_to({id}) moved"
    );
}

fuzz_target!(|input: Input| {
    persistent_avl_fuzz::panics::install_hook();
    persistent_avl_fuzz::on_layout!(input.layout, run(&input));
});
