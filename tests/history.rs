//! `History`: a line of versions with undo, redo, labels and time travel.
//!
//! Pinned down here:
//! - against a model (a list of `BTreeMap` snapshots and a current index,
//!   where an edit drops the redo branch): after any sequence of edits,
//!   pushes, undos, redos, checkpoints, jumps and reads, the current version,
//!   `can_undo`/`can_redo`, the kept ids, every version by id (the very
//!   version made, or `None` once dropped), the labels and the diff between
//!   any two versions all agree; with `with_limit(n)` too, keeping only the
//!   newest n;
//! - time travel ("the value of key k at version v"), labels found newest
//!   first, `push` of a version made with `inserted`;
//! - with `Arc`, a history is `Send + Sync` and can be read and diffed from
//!   several threads at once.

mod common;
use common::Rng;

use std::collections::{BTreeMap, BTreeSet};

use common::{Model, check_same, config};
use persistent_avl::map::DiffItem;
use persistent_avl::{ArcKind, AvlMap, AvlSet, History, PointerKind, VersionId, set};
use proptest::collection::vec;
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Diffs, owned, and the naive diff.

/// One difference, owning its key and values.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Change<K, V> {
    Added(K, V),
    Removed(K, V),
    Changed(K, V, V),
}

fn owned<'a, K: Clone + 'a, V: Clone + 'a>(
    items: impl Iterator<Item = DiffItem<'a, K, V>>,
) -> Vec<Change<K, V>> {
    items
        .map(|item| match item {
            DiffItem::Added(k, v) => Change::Added(k.clone(), v.clone()),
            DiffItem::Removed(k, v) => Change::Removed(k.clone(), v.clone()),
            DiffItem::Changed { key, old, new } => {
                Change::Changed(key.clone(), old.clone(), new.clone())
            }
        })
        .collect()
}

/// Every key of either snapshot, in order, with what happened to it.
fn naive_diff<K: Ord + Clone, V: PartialEq + Clone>(
    old: &BTreeMap<K, V>,
    new: &BTreeMap<K, V>,
) -> Vec<Change<K, V>> {
    let keys: BTreeSet<&K> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .filter_map(|k| match (old.get(k), new.get(k)) {
            (Some(o), None) => Some(Change::Removed(k.clone(), o.clone())),
            (None, Some(n)) => Some(Change::Added(k.clone(), n.clone())),
            (Some(o), Some(n)) if o != n => Some(Change::Changed(k.clone(), o.clone(), n.clone())),
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The model.

/// One kept version of the model.
#[derive(Clone, Debug)]
struct Kept {
    id: VersionId,
    snapshot: Model,
    label: Option<String>,
}

/// A history by definition: the kept versions oldest first and the index of
/// the current one; an edit drops every version after the current one, then
/// the oldest while there are more than `limit`.
#[derive(Debug)]
struct ModelHistory {
    kept: Vec<Kept>,
    current: usize,
    limit: Option<usize>,
}

impl ModelHistory {
    fn current(&self) -> &Kept {
        &self.kept[self.current]
    }

    fn index(&self, id: VersionId) -> Option<usize> {
        self.kept.iter().position(|v| v.id == id)
    }

    fn push(&mut self, id: VersionId, snapshot: Model) {
        self.kept.truncate(self.current + 1);
        self.kept.push(Kept {
            id,
            snapshot,
            label: None,
        });
        if let Some(limit) = self.limit {
            let excess = self.kept.len().saturating_sub(limit);
            self.kept.drain(..excess);
        }
        self.current = self.kept.len() - 1;
    }

    /// The newest kept version labelled `label`.
    fn find_label(&self, label: &str) -> Option<VersionId> {
        self.kept
            .iter()
            .rev()
            .find(|v| v.label.as_deref() == Some(label))
            .map(|v| v.id)
    }
}

/// One step of a run.
#[derive(Clone, Debug)]
enum Action {
    /// `edit(|m| m.insert(k, v))`.
    Insert(u16, u32),
    /// `edit(|m| m.remove(&k))`, a new version even when `k` is absent.
    Remove(u16),
    /// `push(current().inserted(k, v))`.
    PushInserted(u16, u32),
    Undo,
    Redo,
    /// `checkpoint` with one of a few labels, so that labels repeat.
    Checkpoint(u8),
    /// `jump_to` one of the ids made so far, kept or dropped.
    JumpTo(usize),
    /// `get` of one of the ids made so far, compared entry by entry.
    Read(usize),
    /// `diff` between two of the ids made so far.
    Diff(usize, usize),
}

fn action() -> impl Strategy<Value = Action> {
    let k = || 0u16..24;
    prop_oneof![
        8 => (k(), 0..100u32).prop_map(|(k, v)| Action::Insert(k, v)),
        4 => k().prop_map(Action::Remove),
        2 => (k(), 0..100u32).prop_map(|(k, v)| Action::PushInserted(k, v)),
        4 => Just(Action::Undo),
        3 => Just(Action::Redo),
        2 => (0u8..3).prop_map(Action::Checkpoint),
        2 => any::<usize>().prop_map(Action::JumpTo),
        2 => any::<usize>().prop_map(Action::Read),
        3 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Action::Diff(a, b)),
    ]
}

fn label(n: u8) -> String {
    format!("label {n}")
}

/// Runs `actions` on a history and on the model side by side, checking
/// everything observable after each.
fn run(actions: &[Action], limit: Option<usize>) -> Result<(), TestCaseError> {
    let initial: AvlMap<u16, u32> = (0..8).map(|k| (k, 1000 + u32::from(k))).collect();
    let mut history = match limit {
        Some(limit) => History::with_limit(initial.clone(), limit),
        None => History::new(initial.clone()),
    };
    let first = history.current_id();
    let mut model = ModelHistory {
        kept: vec![Kept {
            id: first,
            snapshot: initial.iter().map(|(&k, &v)| (k, v)).collect(),
            label: None,
        }],
        current: 0,
        limit: limit.map(|l| l.max(1)),
    };
    // Every version ever made, kept or not, with the map itself as made.
    let mut made: Vec<(VersionId, AvlMap<u16, u32>, Model)> =
        vec![(first, initial, model.current().snapshot.clone())];

    for (step, action) in actions.iter().enumerate() {
        let at = |e: TestCaseError| TestCaseError::fail(format!("step {step}, {action:?}: {e}"));
        let pick = |i: usize| made[i % made.len()].0;
        let before = history.current_id();
        let new_version = match *action {
            Action::Insert(k, v) => {
                let id = history.edit(|m| {
                    m.insert(k, v);
                });
                let mut snapshot = model.current().snapshot.clone();
                snapshot.insert(k, v);
                Some((id, snapshot))
            }
            Action::Remove(k) => {
                let id = history.edit(|m| {
                    m.remove(&k);
                });
                let mut snapshot = model.current().snapshot.clone();
                snapshot.remove(&k);
                Some((id, snapshot))
            }
            Action::PushInserted(k, v) => {
                let next = history.current().inserted(k, v);
                let id = history.push(next);
                let mut snapshot = model.current().snapshot.clone();
                snapshot.insert(k, v);
                Some((id, snapshot))
            }
            Action::Undo => {
                let can = model.current > 0;
                prop_assert_eq!(history.undo(), can, "step {}", step);
                if can {
                    model.current -= 1;
                }
                None
            }
            Action::Redo => {
                let can = model.current + 1 < model.kept.len();
                prop_assert_eq!(history.redo(), can, "step {}", step);
                if can {
                    model.current += 1;
                }
                None
            }
            Action::Checkpoint(n) => {
                history.checkpoint(label(n));
                let current = model.current;
                model.kept[current].label = Some(label(n));
                None
            }
            Action::JumpTo(i) => {
                let id = pick(i);
                let index = model.index(id);
                prop_assert_eq!(history.jump_to(id), index.is_some(), "step {}", step);
                if let Some(index) = index {
                    model.current = index;
                }
                None
            }
            Action::Read(i) => {
                let id = pick(i);
                match model.index(id) {
                    Some(index) => {
                        let got = history
                            .get(id)
                            .ok_or_else(|| at(TestCaseError::fail("kept id not found")))?;
                        check_same(got, &model.kept[index].snapshot).map_err(at)?;
                    }
                    None => prop_assert!(history.get(id).is_none()),
                }
                None
            }
            Action::Diff(i, j) => {
                let (from, to) = (pick(i), pick(j));
                match (model.index(from), model.index(to)) {
                    (Some(a), Some(b)) => {
                        let diff = history
                            .diff(from, to)
                            .ok_or_else(|| at(TestCaseError::fail("no diff")))?;
                        prop_assert_eq!(
                            owned(diff),
                            naive_diff(&model.kept[a].snapshot, &model.kept[b].snapshot),
                            "step {}: diff({}, {})",
                            step,
                            from,
                            to
                        );
                    }
                    _ => prop_assert!(history.diff(from, to).is_none()),
                }
                None
            }
        };
        if let Some((id, snapshot)) = new_version {
            // Ids grow with every new version and are never reused.
            prop_assert!(made.iter().all(|&(old, _, _)| old < id), "id {} reused", id);
            prop_assert_eq!(history.current_id(), id);
            // An edit's diff from the version it started from is its change,
            // if a limit did not just drop that version.
            let started_from = model.current().snapshot.clone();
            model.push(id, snapshot.clone());
            match history.diff(before, id) {
                Some(diff) => {
                    prop_assert!(model.index(before).is_some());
                    prop_assert_eq!(owned(diff), naive_diff(&started_from, &snapshot));
                }
                None => prop_assert!(model.index(before).is_none()),
            }
            made.push((id, history.current().clone(), snapshot));
        }
        check_against_model(&history, &model, &made).map_err(at)?;
    }
    Ok(())
}

/// Everything observable of `history` agrees with `model`.
fn check_against_model(
    history: &History<AvlMap<u16, u32>>,
    model: &ModelHistory,
    made: &[(VersionId, AvlMap<u16, u32>, Model)],
) -> Result<(), TestCaseError> {
    check_same(history.current(), &model.current().snapshot)?;
    prop_assert_eq!(history.current_id(), model.current().id);
    prop_assert_eq!(history.can_undo(), model.current > 0);
    prop_assert_eq!(history.can_redo(), model.current + 1 < model.kept.len());
    prop_assert_eq!(history.len(), model.kept.len());
    prop_assert!(history.ids().eq(model.kept.iter().map(|v| v.id)));
    prop_assert!(
        history
            .ids()
            .rev()
            .eq(model.kept.iter().rev().map(|v| v.id))
    );
    // Every version ever made: the very version made while kept (it was
    // checked against its snapshot when made, and versions never change),
    // `None` once dropped.
    for (id, map, _) in made {
        match model.index(*id) {
            Some(index) => {
                let got = history.get(*id);
                prop_assert!(got.is_some_and(|m| m.ptr_eq(map)), "get({}) changed", id);
                prop_assert_eq!(history.label(*id), model.kept[index].label.as_deref());
            }
            None => {
                prop_assert!(history.get(*id).is_none(), "get({}) of a dropped id", id);
                prop_assert_eq!(history.label(*id), None);
            }
        }
    }
    for n in 0..3 {
        prop_assert_eq!(history.find_label(&label(n)), model.find_label(&label(n)));
    }
    prop_assert_eq!(history.find_label("never used"), None);
    Ok(())
}

fn limit() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![2 => Just(None), 1 => (0usize..8).prop_map(Some)]
}

proptest! {
    #![proptest_config(config())]

    /// Any run agrees with the model, with or without a limit.
    #[test]
    fn history_agrees_with_the_model(actions in vec(action(), 0..80), limit in limit()) {
        run(&actions, limit)?;
    }

    /// With a limit, only the newest `limit` versions are ever kept.
    #[test]
    fn a_limited_history_keeps_the_newest(limit in 1usize..6, edits in 0usize..30) {
        let mut history = History::with_limit(AvlSet::<usize>::new(), limit);
        let mut ids = vec![history.current_id()];
        for x in 0..edits {
            ids.push(history.edit(|s| {
                s.insert(x);
            }));
        }
        let kept = ids.len().min(limit);
        prop_assert_eq!(history.len(), kept);
        prop_assert!(history.ids().eq(ids[ids.len() - kept..].iter().copied()));
        for (n, &id) in ids.iter().enumerate() {
            let dropped = n < ids.len() - kept;
            // Version n holds 0..n.
            prop_assert_eq!(history.get(id).map(AvlSet::len), (!dropped).then_some(n));
            prop_assert_eq!(history.jump_to(id), !dropped);
        }
    }
}

// ---------------------------------------------------------------------------
// Time travel, labels, push.

/// "The value of key k at version v", for every key and version of a
/// history of 300 random edits, read after the fact from the history alone.
#[test]
fn time_travel_reads_any_key_at_any_version() {
    let mut rng = Rng(1);
    let mut history = History::new(AvlMap::<u64, u64>::new());
    let mut truth: Vec<(VersionId, BTreeMap<u64, u64>)> =
        vec![(history.current_id(), BTreeMap::new())];
    for step in 0..300 {
        let k = rng.below(40);
        let mut now = truth.last().unwrap().1.clone();
        let id = if rng.below(4) == 0 {
            now.remove(&k);
            history.edit(|m| {
                m.remove(&k);
            })
        } else {
            now.insert(k, step);
            history.edit(|m| {
                m.insert(k, step);
            })
        };
        truth.push((id, now));
    }
    for (id, then) in &truth {
        let version = history
            .get(*id)
            .expect("an unlimited history keeps every version");
        for k in 0..40 {
            assert_eq!(version.get(&k), then.get(&k), "key {k} at {id}");
        }
    }
    // Reading the past moved nothing.
    assert_eq!(history.current_id(), truth.last().unwrap().0);
    assert!(!history.can_redo());
    // Ids name versions in order, shown as `v<n>`.
    assert!(truth.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(truth[0].0.to_string(), "v0");
    assert_eq!(truth[300].0.to_string(), "v300");
}

/// `find_label` returns the newest kept version with the label; a new
/// checkpoint on a version replaces its label; dropping the redo branch
/// drops its labels.
#[test]
fn labels_are_found_newest_first() {
    let mut history = History::new(AvlSet::<u32>::new());
    history.checkpoint("release");
    let v0 = history.current_id();
    let mut ids = vec![v0];
    for x in 1..=8 {
        ids.push(history.edit(|s| {
            s.insert(x);
        }));
        if x % 3 == 0 {
            history.checkpoint("release");
        }
    }
    // Labelled: v0, v3, v6.
    assert_eq!(history.find_label("release"), Some(ids[6]));
    assert_eq!(history.label(ids[3]), Some("release"));
    assert_eq!(history.label(ids[4]), None);

    // Relabelling v6 leaves v3 the newest "release".
    assert!(history.jump_to(ids[6]));
    history.checkpoint("beta");
    assert_eq!(history.label(ids[6]), Some("beta"));
    assert_eq!(history.find_label("release"), Some(ids[3]));
    assert_eq!(history.find_label("beta"), Some(ids[6]));

    // Undo to v4 and edit: v5.. are dropped, and their labels with them.
    assert!(history.jump_to(ids[4]));
    let branch = history.edit(|s| {
        s.insert(100);
    });
    assert_eq!(history.find_label("beta"), None);
    assert_eq!(history.label(ids[6]), None);
    assert_eq!(history.get(ids[6]), None);
    assert!(!history.can_redo());
    assert!(branch > ids[8], "ids are never reused");
    assert_eq!(history.find_label("release"), Some(ids[3]));
    assert_eq!(history.get(ids[3]), Some(&AvlSet::from([1, 2, 3])));
    assert_eq!(history.get(branch), Some(&AvlSet::from([1, 2, 3, 4, 100])));
}

/// `push` takes a version built elsewhere, say with `inserted`: it becomes
/// current, shares all but the copied path with the version before, and
/// drops the redo branch as `edit` does.
#[test]
fn push_a_version_built_with_inserted() {
    let start: AvlMap<u32, u32> = (0..1000).map(|k| (k, k)).collect();
    let mut history = History::new(start);
    let before = history.current_id();
    let next = history.current().inserted(5000, 1);
    let pushed = history.push(next);
    assert_eq!(history.current_id(), pushed);
    assert_eq!(history.current().get(&5000), Some(&1));
    let (old, new) = (history.get(before).unwrap(), history.current());
    let sharing = old.sharing(new);
    assert_eq!(sharing.shared + sharing.only_first, 1000);
    // What the copy stores anew: the nodes on the path, the leaf (without
    // blocks), or the two blocks of each node on the path (with them).
    let copied = (new.height() + 1) * (1 + 2 * <ArcKind as PointerKind>::BLOCK);
    assert!(sharing.only_second <= copied, "{sharing:?}");
    let changes = owned(history.diff(before, pushed).unwrap());
    assert_eq!(changes, [Change::Added(5000, 1)]);

    // After an undo, a push drops the redo branch.
    assert!(history.undo());
    let other = history.current().removed(&0);
    let branch = history.push(other);
    assert_eq!(history.get(pushed), None);
    assert_eq!(history.ids().collect::<Vec<_>>(), [before, branch]);
    let changes = owned(history.diff(before, branch).unwrap());
    assert_eq!(changes, [Change::Removed(0, 0)]);
    assert_eq!(history.diff(pushed, branch).map(Iterator::count), None);
}

/// Sets keep a history too, and their diffs between any two kept versions
/// are the naive ones.
#[test]
fn set_history_diffs_any_two_versions() {
    let mut rng = Rng(2);
    let mut history = History::with_limit(AvlSet::<u32>::new(), 40);
    let mut truth: Vec<(VersionId, BTreeSet<u32>)> = vec![(history.current_id(), BTreeSet::new())];
    for _ in 0..60 {
        let x = rng.below(50) as u32;
        let mut now = truth.last().unwrap().1.clone();
        let id = if now.contains(&x) {
            now.remove(&x);
            history.edit(|s| {
                s.remove(&x);
            })
        } else {
            now.insert(x);
            history.edit(|s| {
                s.insert(x);
            })
        };
        truth.push((id, now));
    }
    let kept = &truth[truth.len() - 40..];
    assert!(history.get(truth[0].0).is_none());
    assert!(history.diff(truth[0].0, kept[0].0).is_none());
    for (from, old) in kept {
        for (to, new) in kept {
            let ours: Vec<_> = history
                .diff(*from, *to)
                .unwrap()
                .map(|item| match item {
                    set::DiffItem::Added(x) => (*x, true),
                    set::DiffItem::Removed(x) => (*x, false),
                })
                .collect();
            let naive: Vec<_> = old
                .symmetric_difference(new)
                .map(|x| (*x, new.contains(x)))
                .collect();
            assert_eq!(ours, naive, "diff({from}, {to})");
        }
    }
}

/// A limit of 0 keeps one version; jumps, gets and diffs to a dropped id
/// answer `false` and `None`, and change nothing.
#[test]
fn dropped_versions_answer_none() {
    let mut history = History::with_limit(AvlMap::<u8, u8>::new(), 0);
    let v0 = history.current_id();
    let v1 = history.edit(|m| {
        m.insert(1, 1);
    });
    assert_eq!(history.len(), 1);
    assert!(!history.can_undo() && !history.undo());
    assert!(!history.jump_to(v0));
    assert_eq!(history.current_id(), v1);
    assert!(history.get(v0).is_none() && history.label(v0).is_none());
    assert!(history.diff(v0, v1).is_none() && history.diff(v1, v0).is_none());
    assert_eq!(history.diff(v1, v1).map(Iterator::count), Some(0));
    assert!(format!("{history:?}").contains(&format!("{v1:?}")));
}

// ---------------------------------------------------------------------------
// Threads.

fn assert_send_sync<T: Send + Sync>() {}

/// Compile-time: with `Arc`, histories of maps and sets, their ids and
/// their diffs cross threads.
#[test]
fn arc_history_is_send_and_sync() {
    assert_send_sync::<History<AvlMap<u64, u64>>>();
    assert_send_sync::<History<AvlSet<String>>>();
    assert_send_sync::<VersionId>();
    assert_send_sync::<persistent_avl::map::Diff<'static, u64, u64>>();
    assert_send_sync::<set::Diff<'static, String>>();
}

/// One history, read by four threads at once: each diffs its own pairs of
/// versions and reads its own keys across all versions, against snapshots
/// taken while the history was built.
#[test]
fn a_history_is_read_from_several_threads_at_once() {
    let mut rng = Rng(3);
    let mut history = History::new((0..2000u64).map(|k| (k, k)).collect::<AvlMap<u64, u64>>());
    let mut truth = vec![(
        history.current_id(),
        history
            .current()
            .iter()
            .map(|(&k, &v)| (k, v))
            .collect::<BTreeMap<_, _>>(),
    )];
    for step in 0..200u64 {
        let k = rng.below(2500);
        let mut now = truth.last().unwrap().1.clone();
        let id = if step % 5 == 0 {
            now.remove(&k);
            history.edit(|m| {
                m.remove(&k);
            })
        } else {
            now.insert(k, step);
            history.edit(|m| {
                m.insert(k, step);
            })
        };
        truth.push((id, now));
    }
    let (history, truth) = (&history, &truth);
    std::thread::scope(|scope| {
        for t in 0..4usize {
            scope.spawn(move || {
                for i in (t..truth.len()).step_by(4) {
                    let (to, new) = &truth[i];
                    for back in [1, 7, 50] {
                        let (from, old) = &truth[i.saturating_sub(back)];
                        let ours = owned(history.diff(*from, *to).unwrap());
                        assert_eq!(ours, naive_diff(old, new), "thread {t}: diff({from}, {to})");
                    }
                    let version = history.get(*to).unwrap();
                    for k in (t as u64..2500).step_by(97) {
                        assert_eq!(version.get(&k), new.get(&k));
                    }
                }
            });
        }
    });
}

/// An id names a version of the history that made it and of no other:
/// every other history, even one with the same number of versions, answers
/// as it does for a version it no longer keeps.
#[test]
fn an_id_from_another_history_names_nothing() {
    let mut mine = History::new(AvlMap::from([(1, "mine")]));
    let mut theirs = History::new(AvlMap::from([(1, "theirs")]));
    let mut my_ids = vec![mine.current_id()];
    let mut their_ids = vec![theirs.current_id()];
    for k in 2..6 {
        my_ids.push(mine.edit(|m| _ = m.insert(k, "mine")));
        their_ids.push(theirs.edit(|m| _ = m.insert(k, "theirs")));
    }
    mine.checkpoint("label");
    for (&my_id, &their_id) in my_ids.iter().zip(&their_ids) {
        assert_ne!(my_id, their_id);
        assert!(mine.get(my_id).is_some());
        assert!(mine.get(their_id).is_none());
        assert!(theirs.get(my_id).is_none());
        assert_eq!(mine.label(their_id), None);
        assert!(mine.diff(my_id, their_id).is_none());
        assert!(mine.diff(their_id, my_id).is_none());
        // Refused jumps leave the current version where it was.
        let current = mine.current_id();
        assert!(!mine.jump_to(their_id));
        assert_eq!(mine.current_id(), current);
        assert!(mine.current().values().all(|v| *v == "mine"));
    }
    // Within its own history an id still works after the other one moves.
    assert!(theirs.jump_to(their_ids[1]));
    assert!(mine.jump_to(my_ids[1]));
    assert_eq!(mine.current()[&1], "mine");
    assert_eq!(mine.find_label("label"), my_ids.last().copied());

    // The same for set histories, and across threads' histories.
    let sets = History::new(AvlSet::<u8>::new());
    let other = std::thread::spawn(|| History::new(AvlSet::<u8>::new()).current_id())
        .join()
        .unwrap();
    assert!(sets.get(other).is_none());
    assert!(sets.get(sets.current_id()).is_some());
}

#[test]
fn a_cloned_history_has_the_same_line_and_its_own_ids() {
    let mut history = History::with_limit(AvlMap::from([(1, 'a')]), 5);
    for k in 2..9 {
        history.edit(|m| _ = m.insert(k, 'x'));
    }
    history.checkpoint("last");
    history.undo();
    let mut copy = history.clone();
    // The same versions, labels, place and limit...
    let line = |h: &History<AvlMap<i32, char>>| {
        h.ids()
            .map(|id| {
                (
                    id.to_string(),
                    h.label(id).map(str::to_owned),
                    h.get(id).cloned(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(line(&copy), line(&history));
    assert_eq!(
        copy.current_id().to_string(),
        history.current_id().to_string()
    );
    assert!(copy.can_redo());
    // ...under ids of its own, and edits stay in the history they were made in.
    assert!(history.ids().all(|id| copy.get(id).is_none()));
    copy.edit(|m| _ = m.insert(100, 'c'));
    assert!(
        history
            .ids()
            .all(|id| !history.get(id).unwrap().contains_key(&100))
    );
    assert_eq!(copy.len(), 5, "the copy keeps the limit");
    assert!(
        history.can_redo(),
        "the original's redo branch is untouched"
    );
}

#[test]
fn a_default_history_holds_one_default_version() {
    let history: History<AvlSet<u8>> = History::default();
    assert_eq!(history.len(), 1);
    assert!(history.current().is_empty());
    assert!(!history.can_undo());
}
