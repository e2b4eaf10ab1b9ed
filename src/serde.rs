//! `Serialize` and `Deserialize` for maps, sets and histories (the `serde`
//! feature, off by default; it needs only `alloc`).
//!
//! The shapes are std's: a map is a serde map of its entries in key order,
//! with its length given up front, and a set is a sequence of its elements
//! in order. So what a `BTreeMap` or `BTreeSet` wrote reads into a map or set
//! of any pointer kind, and the other way round, in every format, and a
//! self-describing format writes the same text for both.
//!
//! Reading collects the entries into a vector (its first allocation bounded,
//! whatever length the input announces), sorts them unless they already
//! ascend, keeps one of each run of equal keys, and builds a balanced tree in
//! O(n), as `FromIterator` does. Of equal keys the result is what std's
//! `BTreeMap` deserializer, which inserts the entries one by one, makes: the
//! first key with the last value (for sets, the first element). Input that
//! is malformed, or of the wrong shape or types, gives the format's error.
//!
//! A [`History`](crate::History) of maps or sets is written with each
//! distinct node and block once (`serde/history.rs`).

mod history;

use alloc::vec::Vec;
use core::fmt;
use core::marker::PhantomData;

use ::serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use ::serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::map::GenericAvlMap;
use crate::node::{self, Keep};
use crate::ptr::PointerKind;
use crate::set::GenericAvlSet;

/// The most entries reserved before any is read: a length announced by the
/// input is a hint, not a promise, and a hostile one must not make the
/// reader allocate a huge buffer up front. Past it the vector grows as the
/// entries arrive.
const MAX_RESERVED: usize = 4096;

/// The capacity to reserve for an input that announces `hint` entries.
fn cautious(hint: Option<usize>) -> usize {
    hint.map_or(0, |len| len.min(MAX_RESERVED))
}

/// A tree of `entries` in any order: if their keys do not strictly ascend,
/// a stable sort and, of each run of equal keys, the first key with the last
/// value (as inserting them one by one would leave). O(n) for ascending
/// keys, O(n log n) otherwise; then O(n) to build.
fn build<K: Ord, V, P: PointerKind>(mut entries: Vec<(K, V)>) -> GenericAvlMap<K, V, P> {
    if !entries.is_sorted_by(|a, b| a.0 < b.0) {
        entries = node::collect_sorted(entries, Keep::FirstKey);
    }
    GenericAvlMap::from_tree(node::build_sorted(entries))
}

/// Writes the map as a serde map of its entries in key order, with its
/// length, as std's `BTreeMap` does.
///
/// Time: O(n).
///
/// # Examples
///
/// ```
/// use persistent_avl::AvlMap;
/// use std::collections::BTreeMap;
///
/// let map = AvlMap::from([("pear", 5), ("apple", 3)]);
/// let json = serde_json::to_string(&map).unwrap();
/// assert_eq!(json, r#"{"apple":3,"pear":5}"#);
///
/// let std_map: BTreeMap<&str, i32> = map.iter().map(|(&k, &v)| (k, v)).collect();
/// assert_eq!(json, serde_json::to_string(&std_map).unwrap());
/// ```
impl<K, V, P> Serialize for GenericAvlMap<K, V, P>
where
    K: Serialize,
    V: Serialize,
    P: PointerKind,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

/// Reads a serde map, in any key order, as std's `BTreeMap` does: of equal
/// keys the map keeps the first key with the last value. Malformed input,
/// or input of the wrong shape or types, gives the deserializer's error.
///
/// Time: O(n) when the keys arrive in ascending order (as every map and
/// `BTreeMap` writes them), O(n log n) otherwise; the entries are gathered
/// in a vector first, then built into a balanced tree in O(n).
///
/// # Panics
///
/// Only where std's `sort` may, on unsorted input: if the key type's `Ord`
/// is not a total order.
///
/// # Examples
///
/// ```
/// use persistent_avl::AvlMap;
///
/// let map: AvlMap<u32, String> =
///     serde_json::from_str(r#"{"2": "two", "1": "one", "2": "deux"}"#).unwrap();
/// assert_eq!(map, AvlMap::from([(1, "one".to_string()), (2, "deux".to_string())]));
/// assert!(map.check_invariants().is_ok());
///
/// assert!(serde_json::from_str::<AvlMap<u32, String>>(r#"{"1": 1}"#).is_err());
/// assert!(serde_json::from_str::<AvlMap<u32, String>>(r#"["one"]"#).is_err());
/// ```
impl<'de, K, V, P> Deserialize<'de> for GenericAvlMap<K, V, P>
where
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
    P: PointerKind,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(Gather::<Self>(PhantomData))
    }
}

/// Reads a `C`, a map or a set: gathers the entries or elements of a
/// serde map or sequence and hands them to [`build`].
struct Gather<C>(PhantomData<fn() -> C>);

impl<'de, K, V, P> Visitor<'de> for Gather<GenericAvlMap<K, V, P>>
where
    K: Deserialize<'de> + Ord,
    V: Deserialize<'de>,
    P: PointerKind,
{
    type Value = GenericAvlMap<K, V, P>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(cautious(access.size_hint()));
        while let Some(entry) = access.next_entry()? {
            entries.push(entry);
        }
        Ok(build(entries))
    }
}

/// Writes the set as a serde sequence of its elements in order, with its
/// length, as std's `BTreeSet` does.
///
/// Time: O(n).
///
/// # Examples
///
/// ```
/// use persistent_avl::AvlSet;
///
/// let set = AvlSet::from([3, 1, 2]);
/// assert_eq!(serde_json::to_string(&set).unwrap(), "[1,2,3]");
/// ```
impl<T: Serialize, P: PointerKind> Serialize for GenericAvlSet<T, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for element in self {
            seq.serialize_element(element)?;
        }
        seq.end()
    }
}

/// Reads a serde sequence, in any order, as std's `BTreeSet` does: of equal
/// elements the set keeps the first. Malformed input, or input of the wrong
/// shape or types, gives the deserializer's error.
///
/// Time: O(n) when the elements arrive in ascending order (as every set and
/// `BTreeSet` writes them), O(n log n) otherwise; the elements are gathered
/// in a vector first, then built into a balanced tree in O(n).
///
/// # Panics
///
/// Only where std's `sort` may, on unsorted input: if the element type's
/// `Ord` is not a total order.
///
/// # Examples
///
/// ```
/// use persistent_avl::AvlSet;
///
/// let set: AvlSet<i64> = serde_json::from_str("[5, -1, 5, 3]").unwrap();
/// assert_eq!(set, AvlSet::from([-1, 3, 5]));
/// assert!(set.check_invariants().is_ok());
///
/// assert!(serde_json::from_str::<AvlSet<i64>>(r#"{"a": 1}"#).is_err());
/// ```
impl<'de, T, P> Deserialize<'de> for GenericAvlSet<T, P>
where
    T: Deserialize<'de> + Ord,
    P: PointerKind,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(Gather::<Self>(PhantomData))
    }
}

impl<'de, T, P> Visitor<'de> for Gather<GenericAvlSet<T, P>>
where
    T: Deserialize<'de> + Ord,
    P: PointerKind,
{
    type Value = GenericAvlSet<T, P>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut elements = Vec::with_capacity(cautious(access.size_hint()));
        while let Some(element) = access.next_element()? {
            elements.push((element, ()));
        }
        Ok(GenericAvlSet::from_map(build(elements)))
    }
}
