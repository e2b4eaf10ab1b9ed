//! A [`History`] of maps or sets, saved with each node and block written
//! once.
//!
//! Versions of one map share most of their nodes, so writing each version
//! as a plain map would write the shared nodes once per version. A history
//! is written instead as its distinct parts (a node: its entry and the
//! numbers of its two subtrees; a block: its entries), children before
//! parents, and each version as the number of its root:
//!
//! ```text
//! History {
//!     parts:    [Block([(1, "a"), (2, "b")]), Block([(4, "d")]), Node(1, (3, "c"), 2), ...],
//!     versions: [Version { number: 0, label: None, root: 3 }, ...],
//!     current, next, limit,
//! }
//! ```
//!
//! Part numbers start at 1; 0 is the empty subtree. Loading rebuilds each
//! part once, so the loaded versions share exactly the nodes the saved ones
//! did, and checks every part as it goes (keys in order, the AVL rule,
//! block sizes, references only to earlier parts): input that does not
//! make valid trees gets serde's error, never a panic or an invalid tree.

use alloc::string::String;
use alloc::vec::Vec;

use ::serde::de::{Deserialize, Deserializer, Error as _};
use ::serde::ser::{Serialize, SerializeSeq, SerializeStruct, SerializeTupleVariant, Serializer};

use crate::history::{History, Line};
use crate::node::{Invalid, PartRef, PartTable, Rebuild, SavedPart, Tree};
use crate::ptr::PointerKind;
use crate::{GenericAvlMap, GenericAvlSet};

/// Writes the history: its distinct parts, then its versions as roots.
/// O(p log p) for p distinct nodes and blocks, plus what the entries cost
/// to write.
impl<K, V, P> Serialize for History<GenericAvlMap<K, V, P>>
where
    K: Serialize,
    V: Serialize,
    P: PointerKind,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        save(self, GenericAvlMap::root, whole, serializer)
    }
}

/// Reads a history written by its `Serialize`, with the saved versions'
/// sharing. O(p log n) for p parts, each checked.
impl<'de, K, V, P> Deserialize<'de> for History<GenericAvlMap<K, V, P>>
where
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
    P: PointerKind,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let saved = Saved::<(K, V)>::deserialize(deserializer)?;
        restore(saved, |entry| entry, GenericAvlMap::from_tree).map_err(D::Error::custom)
    }
}

/// Writes the history as a map's does, each part's elements alone.
impl<T, P> Serialize for History<GenericAvlSet<T, P>>
where
    T: Serialize,
    P: PointerKind,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        save(self, set_root, key, serializer)
    }
}

/// Reads a history of sets as a map's is read.
impl<'de, T, P> Deserialize<'de> for History<GenericAvlSet<T, P>>
where
    T: Deserialize<'de> + Ord,
    P: PointerKind,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let saved = Saved::<T>::deserialize(deserializer)?;
        restore(
            saved,
            |t| (t, ()),
            |tree| GenericAvlSet::from_map(GenericAvlMap::from_tree(tree)),
        )
        .map_err(D::Error::custom)
    }
}

fn set_root<T, P: PointerKind>(set: &GenericAvlSet<T, P>) -> &Tree<T, (), P> {
    set.as_map().root()
}

fn whole<K, V>(entry: &(K, V)) -> &(K, V) {
    entry
}

fn key<K, V>(entry: &(K, V)) -> &K {
    &entry.0
}

/// A history as read, before its parts are checked.
#[derive(::serde::Deserialize)]
#[serde(crate = "::serde", rename = "History")]
struct Saved<E> {
    parts: Vec<Part<E>>,
    versions: Vec<Version>,
    current: usize,
    next: u64,
    limit: Option<usize>,
}

#[derive(::serde::Deserialize)]
#[serde(crate = "::serde")]
enum Part<E> {
    Block(Vec<E>),
    Node(usize, E, usize),
}

#[derive(::serde::Deserialize)]
#[serde(crate = "::serde")]
struct Version {
    number: u64,
    label: Option<String>,
    root: usize,
}

/// A version as written.
#[derive(::serde::Serialize)]
#[serde(crate = "::serde", rename = "Version")]
struct VersionOut<'a> {
    number: u64,
    label: Option<&'a str>,
    root: usize,
}

fn save<T, K, V, P, E, S>(
    history: &History<T>,
    root: fn(&T) -> &Tree<K, V, P>,
    entry: fn(&(K, V)) -> &E,
    serializer: S,
) -> Result<S::Ok, S::Error>
where
    P: PointerKind,
    E: Serialize + ?Sized,
    S: Serializer,
{
    let mut parts = PartTable::new();
    let versions: Vec<VersionOut<'_>> = history
        .saved_versions()
        .map(|(number, label, value)| VersionOut {
            number,
            label,
            root: parts.add(root(value)),
        })
        .collect();
    let (current, next, limit) = history.saved_place();
    let mut out = serializer.serialize_struct("History", 5)?;
    out.serialize_field(
        "parts",
        &PartsOut {
            list: parts.list(),
            entry,
        },
    )?;
    out.serialize_field("versions", &versions)?;
    out.serialize_field("current", &current)?;
    out.serialize_field("next", &next)?;
    out.serialize_field("limit", &limit)?;
    out.end()
}

fn restore<E, K: Ord, V, P: PointerKind, T>(
    saved: Saved<E>,
    entry: fn(E) -> (K, V),
    face: fn(Tree<K, V, P>) -> T,
) -> Result<History<T>, Invalid> {
    let mut rebuild = Rebuild::new();
    for part in saved.parts {
        rebuild.push(match part {
            Part::Block(entries) => SavedPart::Block(entries.into_iter().map(entry).collect()),
            Part::Node(left, e, right) => SavedPart::Node(left, entry(e), right),
        })?;
    }
    let versions = saved
        .versions
        .into_iter()
        .map(|v| Ok((v.number, v.label, face(rebuild.tree(v.root)?))))
        .collect::<Result<Vec<_>, Invalid>>()?;
    History::from_line(Line {
        versions,
        current: saved.current,
        next: saved.next,
        limit: saved.limit,
    })
}

/// The parts, written as a sequence.
struct PartsOut<'p, 'a, K, V, E: ?Sized> {
    list: &'p [PartRef<'a, K, V>],
    entry: fn(&(K, V)) -> &E,
}

impl<K, V, E: Serialize + ?Sized> Serialize for PartsOut<'_, '_, K, V, E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.list.len()))?;
        for part in self.list {
            seq.serialize_element(&PartOut {
                part,
                entry: self.entry,
            })?;
        }
        seq.end()
    }
}

/// One part, written as the variant `Block` (its entries) or `Node` (left
/// number, entry, right number) of an enum `Part`.
struct PartOut<'p, 'a, K, V, E: ?Sized> {
    part: &'p PartRef<'a, K, V>,
    entry: fn(&(K, V)) -> &E,
}

impl<K, V, E: Serialize + ?Sized> Serialize for PartOut<'_, '_, K, V, E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self.part {
            PartRef::Block(entries) => serializer.serialize_newtype_variant(
                "Part",
                0,
                "Block",
                &EntriesOut {
                    entries,
                    entry: self.entry,
                },
            ),
            PartRef::Node(left, e, right) => {
                let mut node = serializer.serialize_tuple_variant("Part", 1, "Node", 3)?;
                node.serialize_field(&left)?;
                node.serialize_field((self.entry)(e))?;
                node.serialize_field(&right)?;
                node.end()
            }
        }
    }
}

/// A block's entries, written as a sequence.
struct EntriesOut<'a, K, V, E: ?Sized> {
    entries: &'a [(K, V)],
    entry: fn(&(K, V)) -> &E,
}

impl<K, V, E: Serialize + ?Sized> Serialize for EntriesOut<'_, K, V, E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.entries.len()))?;
        for entry in self.entries {
            seq.serialize_element((self.entry)(entry))?;
        }
        seq.end()
    }
}
