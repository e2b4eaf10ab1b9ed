//! [`History`]: a line of versions with undo, redo, labels and time travel.

use alloc::collections::VecDeque;
use alloc::string::String;
use core::fmt;

use crate::map::{Diff, GenericAvlMap};
use crate::ptr::PointerKind;
use crate::set::{self, GenericAvlSet};

/// The name of one version in a [`History`]: ids grow by one with every
/// edit and are never reused, so an id names the same version for as long
/// as the history keeps it.
///
/// An id also names the history that made it: every other history answers
/// `None` (or `false`) for it, as for a version it no longer keeps, so an
/// id can never name an unrelated version by accident.
///
/// ```
/// use persistent_avl::{AvlSet, History};
///
/// let mut one = History::new(AvlSet::from([1]));
/// let other = History::new(AvlSet::from([2]));
/// let id = one.edit(|s| _ = s.insert(3));
/// assert!(one.get(id).is_some());
/// assert!(other.get(id).is_none()); // an id from `one` names nothing here
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VersionId {
    /// The history that made the id, unique to it (see [`next_history`]).
    history: usize,
    /// The version's place in its history's line of edits.
    seq: u64,
}

/// Prints the version's number in its history: `v0`, `v1`, ...
impl fmt::Display for VersionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.seq)
    }
}

/// A number no other history has: a process-wide counter. (Histories made
/// by 2^64 calls on a 64-bit target, or 2^32 on a 32-bit one, would wrap it;
/// neither fits in a program's life.)
fn next_history() -> usize {
    use core::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

struct Version<T> {
    id: VersionId,
    value: T,
    label: Option<String>,
}

/// The versions of a value, oldest first, with one of them current: an
/// editor's undo stack, or a store's time line.
///
/// Each edit makes a new version from the current one and makes it current;
/// [`undo`](Self::undo) and [`redo`](Self::redo) move along the line, and an
/// edit made after an undo drops the versions it undid (the redo branch), as
/// in an editor. Any kept version can be read, labelled, diffed against
/// another, or made current again.
///
/// With persistent maps and sets as `T`, a version costs only what its edit
/// copied: a single-key edit of an n-entry map keeps O(log n) nodes and at
/// most one block. A history made [`with_limit`](Self::with_limit) keeps
/// only its newest versions and frees the nodes only the dropped ones held.
/// For a long history that is read little, the classic layout
/// ([`Classic`](crate::Classic)) keeps the fewest bytes per version: about
/// 1.2 KB per one-key edit of a 10^6-entry `u64 -> u64` map, against 1.5 KB
/// with the default blocks (`docs/benchmarks.md`), at two to three times
/// the default's time per lookup.
///
/// # Complexity
///
/// `edit` costs a clone of the current version (O(1) for maps and sets) plus
/// the edit; `undo`, `redo`, `current` are O(1); finding a version by id or
/// label is O(log v) or O(v) for v kept versions.
///
/// # Saving
///
/// With the `serde` feature, a history of maps or sets is `Serialize` and
/// `Deserialize` in a form that writes each distinct node and block once
/// and each version as the number of its root: 1000 one-key edits of a
/// map cost about the map plus 1000 paths, not 1000 maps. Loading gives
/// back the same versions, labels and current version, sharing exactly the
/// nodes the saved ones shared; the loaded history is a new one, so ids
/// from the saved one name nothing in it. Input that does not make valid
/// trees is an error. Saving is O(p log p) for p distinct nodes and blocks,
/// loading O(p log n).
///
/// ```
/// # #[cfg(feature = "serde")] {
/// use persistent_avl::{AvlMap, History};
///
/// let mut doc = History::new((0..1000).map(|k| (k, k)).collect::<AvlMap<u32, u32>>());
/// for k in 0..10 {
///     doc.edit(|d| _ = d.insert(k, 0));
/// }
/// let saved = serde_json::to_string(&doc).unwrap();
/// let loaded: History<AvlMap<u32, u32>> = serde_json::from_str(&saved).unwrap();
/// assert_eq!(loaded.len(), 11);
/// assert_eq!(loaded.current(), doc.current());
/// # }
/// ```
///
/// # Examples
///
/// ```
/// use persistent_avl::{AvlMap, History};
///
/// let mut doc = History::new(AvlMap::new());
/// doc.edit(|d| {
///     d.insert(1, "hello");
/// });
/// let greeting = doc.current_id();
/// doc.edit(|d| {
///     d.insert(2, "world");
/// });
/// assert!(doc.undo());
/// assert_eq!(doc.current().len(), 1);
/// assert!(doc.redo());
/// assert_eq!(doc.get(greeting).and_then(|d| d.get(&2)), None); // time travel
/// ```
pub struct History<T> {
    /// This history's own number, in every id it makes.
    id: usize,
    versions: VecDeque<Version<T>>,
    /// Index of the current version in `versions`.
    current: usize,
    next_id: u64,
    limit: Option<usize>,
}

impl<T: Clone> History<T> {
    /// A history of one version, `initial`, keeping every version. O(1).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// let history = History::new(AvlSet::from([1]));
    /// assert_eq!(history.len(), 1);
    /// ```
    pub fn new(initial: T) -> Self {
        let id = next_history();
        let mut versions = VecDeque::new();
        versions.push_back(Version {
            id: VersionId {
                history: id,
                seq: 0,
            },
            value: initial,
            label: None,
        });
        History {
            id,
            versions,
            current: 0,
            next_id: 1,
            limit: None,
        }
    }

    /// A history that keeps at most `limit` versions (at least one): an
    /// edit beyond that drops the oldest. O(1).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// let mut history = History::with_limit(AvlSet::new(), 3);
    /// for x in 0..10 {
    ///     history.edit(|s| {
    ///         s.insert(x);
    ///     });
    /// }
    /// assert_eq!(history.len(), 3);
    /// ```
    pub fn with_limit(initial: T, limit: usize) -> Self {
        History {
            limit: Some(limit.max(1)),
            ..Self::new(initial)
        }
    }

    /// The current version. O(1).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// assert!(History::new(AvlSet::<u8>::new()).current().is_empty());
    /// ```
    pub fn current(&self) -> &T {
        &self.versions[self.current].value
    }

    /// The current version's id. O(1).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// let mut history = History::new(AvlSet::new());
    /// let first = history.current_id();
    /// history.edit(|s| {
    ///     s.insert(1);
    /// });
    /// assert_ne!(history.current_id(), first);
    /// ```
    pub fn current_id(&self) -> VersionId {
        self.versions[self.current].id
    }

    /// Makes a new version: a clone of the current one, changed by `change`,
    /// then current. Drops the redo branch, and the oldest version if the
    /// history is full. Returns the new version's id. O(1) plus `change`.
    ///
    /// ```
    /// use persistent_avl::{AvlMap, History};
    ///
    /// let mut history = History::new(AvlMap::new());
    /// history.edit(|m| {
    ///     m.insert("k", 1);
    /// });
    /// assert_eq!(history.current()["k"], 1);
    /// ```
    pub fn edit<F: FnOnce(&mut T)>(&mut self, change: F) -> VersionId {
        let mut value = self.current().clone();
        change(&mut value);
        self.push(value)
    }

    /// Makes `value`, a version built elsewhere (say with `inserted`), the
    /// new current version, as [`edit`](Self::edit) does. O(1).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// let mut history = History::new(AvlSet::from([1]));
    /// let next = history.current().inserted(2);
    /// history.push(next);
    /// assert_eq!(history.current().len(), 2);
    /// ```
    pub fn push(&mut self, value: T) -> VersionId {
        self.versions.truncate(self.current + 1);
        let id = VersionId {
            history: self.id,
            seq: self.next_id,
        };
        self.next_id += 1;
        self.versions.push_back(Version {
            id,
            value,
            label: None,
        });
        if let Some(limit) = self.limit {
            while self.versions.len() > limit {
                self.versions.pop_front();
            }
        }
        self.current = self.versions.len() - 1;
        id
    }

    /// Steps back to the version before the current one; `false` (doing
    /// nothing) at the oldest kept version. O(1).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// let mut history = History::new(AvlSet::new());
    /// assert!(!history.undo());
    /// history.edit(|s| {
    ///     s.insert(1);
    /// });
    /// assert!(history.undo());
    /// assert!(history.current().is_empty());
    /// ```
    pub fn undo(&mut self) -> bool {
        let can = self.can_undo();
        if can {
            self.current -= 1;
        }
        can
    }

    /// Steps forward to the version an undo left; `false` (doing nothing)
    /// when there is none. O(1).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// let mut history = History::new(AvlSet::new());
    /// history.edit(|s| {
    ///     s.insert(1);
    /// });
    /// history.undo();
    /// assert!(history.redo());
    /// assert!(!history.redo());
    /// ```
    pub fn redo(&mut self) -> bool {
        let can = self.can_redo();
        if can {
            self.current += 1;
        }
        can
    }

    /// Whether [`undo`](Self::undo) would move. O(1).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// assert!(!History::new(AvlSet::<u8>::new()).can_undo());
    /// ```
    pub fn can_undo(&self) -> bool {
        self.current > 0
    }

    /// Whether [`redo`](Self::redo) would move. O(1).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// assert!(!History::new(AvlSet::<u8>::new()).can_redo());
    /// ```
    pub fn can_redo(&self) -> bool {
        self.current + 1 < self.versions.len()
    }

    /// Names the current version `label` (replacing a label it had), for
    /// [`find_label`](Self::find_label). O(1).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// let mut history = History::new(AvlSet::new());
    /// history.checkpoint("empty");
    /// history.edit(|s| {
    ///     s.insert(1);
    /// });
    /// let empty = history.find_label("empty").unwrap();
    /// assert!(history.get(empty).unwrap().is_empty());
    /// ```
    pub fn checkpoint(&mut self, label: impl Into<String>) {
        self.versions[self.current].label = Some(label.into());
    }

    /// The newest kept version labelled `label`. O(v).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// let history = History::new(AvlSet::<u8>::new());
    /// assert_eq!(history.find_label("nope"), None);
    /// ```
    pub fn find_label(&self, label: &str) -> Option<VersionId> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.label.as_deref() == Some(label))
            .map(|v| v.id)
    }

    /// The label of version `id`, if it has one. O(log v).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// let mut history = History::new(AvlSet::<u8>::new());
    /// history.checkpoint("start");
    /// assert_eq!(history.label(history.current_id()), Some("start"));
    /// ```
    pub fn label(&self, id: VersionId) -> Option<&str> {
        self.version(id)?.label.as_deref()
    }

    fn index(&self, id: VersionId) -> Option<usize> {
        if id.history != self.id {
            return None;
        }
        // Ids ascend along the deque.
        self.versions
            .binary_search_by_key(&id.seq, |v| v.id.seq)
            .ok()
    }

    fn version(&self, id: VersionId) -> Option<&Version<T>> {
        self.versions.get(self.index(id)?)
    }

    /// Version `id`, if the history still keeps it: read any version
    /// without changing which is current. O(log v).
    ///
    /// ```
    /// use persistent_avl::{AvlMap, History};
    ///
    /// let mut history = History::new(AvlMap::from([(1, 'a')]));
    /// let first = history.current_id();
    /// history.edit(|m| {
    ///     m.insert(1, 'b');
    /// });
    /// assert_eq!(history.get(first).unwrap()[&1], 'a');
    /// ```
    pub fn get(&self, id: VersionId) -> Option<&T> {
        self.version(id).map(|v| &v.value)
    }

    /// Makes version `id` current, as if by undos or redos; `false` (doing
    /// nothing) if the history no longer keeps it. O(log v).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// let mut history = History::new(AvlSet::new());
    /// let start = history.current_id();
    /// for x in 0..5 {
    ///     history.edit(|s| {
    ///         s.insert(x);
    ///     });
    /// }
    /// assert!(history.jump_to(start));
    /// assert!(history.current().is_empty());
    /// assert!(history.can_redo());
    /// ```
    pub fn jump_to(&mut self, id: VersionId) -> bool {
        match self.index(id) {
            Some(index) => {
                self.current = index;
                true
            }
            None => false,
        }
    }

    /// The number of versions kept. O(1).
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// assert_eq!(History::new(AvlSet::<u8>::new()).len(), 1);
    /// ```
    #[allow(clippy::len_without_is_empty)] // a history always has a version
    pub fn len(&self) -> usize {
        self.versions.len()
    }

    /// The ids of the kept versions, oldest first. O(1) to start.
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History};
    ///
    /// let mut history = History::new(AvlSet::new());
    /// history.edit(|s| {
    ///     s.insert(1);
    /// });
    /// assert_eq!(history.ids().count(), 2);
    /// ```
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = VersionId> + '_ {
        self.versions.iter().map(|v| v.id)
    }
}

impl<K: Ord, V, P: PointerKind> History<GenericAvlMap<K, V, P>> {
    /// The differences from version `from` to version `to`, if both are
    /// kept; see [`AvlMap::diff`](crate::GenericAvlMap::diff). O(d log n) for d differences.
    ///
    /// ```
    /// use persistent_avl::{AvlMap, History, map::DiffItem};
    ///
    /// let mut history = History::new(AvlMap::from([(1, 'a')]));
    /// let before = history.current_id();
    /// let after = history.edit(|m| {
    ///     m.insert(2, 'b');
    /// });
    /// let changes: Vec<_> = history.diff(before, after).unwrap().collect();
    /// assert_eq!(changes, [DiffItem::Added(&2, &'b')]);
    /// ```
    pub fn diff(&self, from: VersionId, to: VersionId) -> Option<Diff<'_, K, V, P>>
    where
        V: PartialEq,
    {
        Some(self.get(from)?.diff(self.get(to)?))
    }
}

impl<T: Ord, P: PointerKind> History<GenericAvlSet<T, P>> {
    /// The differences from version `from` to version `to`, if both are
    /// kept; see [`AvlSet::diff`](crate::GenericAvlSet::diff). O(d log n) for d differences.
    ///
    /// ```
    /// use persistent_avl::{AvlSet, History, set::DiffItem};
    ///
    /// let mut history = History::new(AvlSet::from([1]));
    /// let before = history.current_id();
    /// let after = history.edit(|s| {
    ///     s.remove(&1);
    /// });
    /// let changes: Vec<_> = history.diff(before, after).unwrap().collect();
    /// assert_eq!(changes, [DiffItem::Removed(&1)]);
    /// ```
    pub fn diff(&self, from: VersionId, to: VersionId) -> Option<set::Diff<'_, T, P>> {
        Some(self.get(from)?.diff(self.get(to)?))
    }
}

/// A history taken apart, for saving and loading: each version's number,
/// label and value, oldest first, which is current, the next version's
/// number and the limit.
#[cfg(feature = "serde")]
pub(crate) struct Line<T> {
    pub(crate) versions: alloc::vec::Vec<(u64, Option<String>, T)>,
    pub(crate) current: usize,
    pub(crate) next: u64,
    pub(crate) limit: Option<usize>,
}

#[cfg(feature = "serde")]
impl<T> History<T> {
    /// The versions, oldest first: number, label, value. O(1) to start.
    pub(crate) fn saved_versions(&self) -> impl ExactSizeIterator<Item = (u64, Option<&str>, &T)> {
        self.versions
            .iter()
            .map(|v| (v.id.seq, v.label.as_deref(), &v.value))
    }

    /// Which version is current, the next version's number and the limit.
    pub(crate) fn saved_place(&self) -> (usize, u64, Option<usize>) {
        (self.current, self.next_id, self.limit)
    }

    /// A history of the line's versions, under a new history's id, after
    /// checking what the methods rely on: at least one version, numbers
    /// strictly ascending and below the next one, the current one among
    /// them, and no more versions than a limit of at least one. O(v).
    pub(crate) fn from_line(line: Line<T>) -> Result<Self, &'static str> {
        let Line {
            versions,
            current,
            next,
            limit,
        } = line;
        if current >= versions.len() {
            return Err("the current version is not among the versions");
        }
        if versions.windows(2).any(|w| w[0].0 >= w[1].0) {
            return Err("version numbers are not strictly ascending");
        }
        if versions.last().is_some_and(|v| v.0 >= next) {
            return Err("a version's number is not below the next one");
        }
        if limit.is_some_and(|limit| limit == 0 || versions.len() > limit) {
            return Err("the history holds more versions than its limit");
        }
        let id = next_history();
        let versions = versions
            .into_iter()
            .map(|(seq, label, value)| Version {
                id: VersionId { history: id, seq },
                value,
                label,
            })
            .collect();
        Ok(History {
            id,
            versions,
            current,
            next_id: next,
            limit,
        })
    }
}

/// A copy of the history: the same versions (each cloned, O(1) for maps
/// and sets), labels, current version and limit, under a new history's id.
/// O(v) for v kept versions.
///
/// The copy is a history of its own: edits to one do not reach the other,
/// and, since both would number their next versions alike, an id from one
/// names nothing in the other (list the copy's with [`ids`](Self::ids)).
///
/// ```
/// use persistent_avl::{AvlSet, History};
///
/// let mut history = History::new(AvlSet::from([1]));
/// let first = history.current_id();
/// history.edit(|s| _ = s.insert(2));
/// let mut copy = history.clone();
/// copy.edit(|s| _ = s.insert(3));
/// assert_eq!(history.current().len(), 2);
/// assert_eq!(copy.current().len(), 3);
/// assert!(copy.get(first).is_none());
/// let copy_first = copy.ids().next().unwrap();
/// assert_eq!(copy.get(copy_first), history.get(first));
/// ```
impl<T: Clone> Clone for History<T> {
    fn clone(&self) -> Self {
        let id = next_history();
        History {
            id,
            versions: self
                .versions
                .iter()
                .map(|v| Version {
                    id: VersionId {
                        history: id,
                        seq: v.id.seq,
                    },
                    value: v.value.clone(),
                    label: v.label.clone(),
                })
                .collect(),
            current: self.current,
            next_id: self.next_id,
            limit: self.limit,
        }
    }
}

/// A history of one version, `T::default()`, as [`History::new`]. O(1)
/// plus the default.
///
/// ```
/// use persistent_avl::{AvlMap, History};
///
/// let history: History<AvlMap<u8, u8>> = History::default();
/// assert_eq!(history.len(), 1);
/// assert!(history.current().is_empty());
/// ```
impl<T: Clone + Default> Default for History<T> {
    fn default() -> Self {
        History::new(T::default())
    }
}

/// Shows the current version's id and how many versions are kept.
impl<T: fmt::Debug> fmt::Debug for History<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("History")
            .field("current", &self.versions[self.current].id)
            .field("versions", &self.versions.len())
            .finish_non_exhaustive()
    }
}
