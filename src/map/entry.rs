//! The entry API: one key search, then read, insert, update or remove.
//!
//! An entry remembers the position the search found (the key's rank), so what
//! it does next walks the path again by subtree sizes and never calls `Ord`
//! again.
//!
//! The `expect`s below cannot fire: an entry borrows its map mutably, so the
//! position it found stays valid until the entry is used.
#![allow(clippy::missing_panics_doc)]

use core::fmt;

use super::GenericAvlMap;
use crate::node;
use crate::ptr::{ArcKind, PointerKind};

/// A view into one key's place in a map, occupied or vacant; made by
/// [`AvlMap::entry`](crate::GenericAvlMap::entry) with one O(log n) key search. Every method that follows
/// walks the path again by position in O(log n), without calling `Ord`.
pub enum Entry<'a, K, V, P: PointerKind = ArcKind> {
    /// The key is in the map.
    Occupied(OccupiedEntry<'a, K, V, P>),
    /// The key is not in the map.
    Vacant(VacantEntry<'a, K, V, P>),
}

/// An entry whose key is in the map; part of [`Entry`]. Each method is
/// O(log n).
pub struct OccupiedEntry<'a, K, V, P: PointerKind = ArcKind> {
    pub(super) map: &'a mut GenericAvlMap<K, V, P>,
    pub(super) index: usize,
}

/// An entry whose key is not in the map; part of [`Entry`]. `insert` is
/// O(log n), the rest O(1).
pub struct VacantEntry<'a, K, V, P: PointerKind = ArcKind> {
    pub(super) map: &'a mut GenericAvlMap<K, V, P>,
    pub(super) key: K,
    pub(super) index: usize,
}

impl<'a, K: Ord + Clone, V: Clone, P: PointerKind> Entry<'a, K, V, P> {
    /// The value, inserting `default` first if the key is vacant. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::new();
    /// *map.entry("a").or_insert(1) += 10;
    /// assert_eq!(map["a"], 11);
    /// ```
    pub fn or_insert(self, default: V) -> &'a mut V {
        self.or_insert_with(|| default)
    }

    /// The value, inserting `default()` first if the key is vacant. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map: AvlMap<&str, Vec<i32>> = AvlMap::new();
    /// map.entry("a").or_insert_with(Vec::new).push(1);
    /// assert_eq!(map["a"], [1]);
    /// ```
    pub fn or_insert_with<F: FnOnce() -> V>(self, default: F) -> &'a mut V {
        match self {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => entry.insert(default()),
        }
    }

    /// The value, inserting `default(&key)` first if the key is vacant.
    /// O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::new();
    /// map.entry("four").or_insert_with_key(|k| k.len());
    /// assert_eq!(map["four"], 4);
    /// ```
    pub fn or_insert_with_key<F: FnOnce(&K) -> V>(self, default: F) -> &'a mut V {
        match self {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => {
                let value = default(&entry.key);
                entry.insert(value)
            }
        }
    }

    /// The value, inserting `V::default()` first if the key is vacant.
    /// O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map: AvlMap<&str, u32> = AvlMap::new();
    /// *map.entry("a").or_default() += 1;
    /// assert_eq!(map["a"], 1);
    /// ```
    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }

    /// Applies `f` to the value if the key is occupied; returns the entry
    /// for chaining. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::from([("a", 1)]);
    /// map.entry("a").and_modify(|v| *v += 1).or_insert(0);
    /// map.entry("b").and_modify(|v| *v += 1).or_insert(0);
    /// assert_eq!((map["a"], map["b"]), (2, 0));
    /// ```
    #[must_use = "the entry is returned for chaining"]
    pub fn and_modify<F: FnOnce(&mut V)>(self, f: F) -> Self {
        match self {
            Entry::Occupied(mut entry) => {
                f(entry.get_mut());
                Entry::Occupied(entry)
            }
            vacant @ Entry::Vacant(_) => vacant,
        }
    }

    /// Sets the value of the entry, inserting the key if it is vacant, and
    /// returns the entry, now occupied. O(log n).
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map = AvlMap::from([("a", 1)]);
    /// let entry = map.entry("a").insert_entry(5);
    /// assert_eq!((entry.key(), entry.get()), (&"a", &5));
    /// let entry = map.entry("b").insert_entry(7);
    /// assert_eq!(entry.remove_entry(), ("b", 7));
    /// assert_eq!(map, AvlMap::from([("a", 5)]));
    /// ```
    pub fn insert_entry(self, value: V) -> OccupiedEntry<'a, K, V, P> {
        match self {
            Entry::Occupied(mut entry) => {
                entry.insert(value);
                entry
            }
            Entry::Vacant(entry) => entry.insert_entry(value),
        }
    }
}

impl<K, V, P: PointerKind> Entry<'_, K, V, P> {
    /// The entry's key: the stored one if occupied, the searched one if
    /// vacant. O(log n) if occupied, O(1) if vacant.
    ///
    /// ```
    /// use persistent_avl::AvlMap;
    ///
    /// let mut map: AvlMap<&str, ()> = AvlMap::new();
    /// assert_eq!(map.entry("a").key(), &"a");
    /// ```
    pub fn key(&self) -> &K {
        match self {
            Entry::Occupied(entry) => entry.key(),
            Entry::Vacant(entry) => entry.key(),
        }
    }
}

impl<K, V, P: PointerKind> OccupiedEntry<'_, K, V, P> {
    fn entry(&self) -> (&K, &V) {
        // The index came from the search, so it is below the length.
        self.map
            .get_index(self.index)
            .expect("an occupied entry's index is in the map")
    }

    /// The stored key. O(log n).
    ///
    /// ```
    /// use persistent_avl::{map::Entry, AvlMap};
    ///
    /// let mut map = AvlMap::from([("a", 1)]);
    /// if let Entry::Occupied(e) = map.entry("a") {
    ///     assert_eq!(e.key(), &"a");
    /// }
    /// ```
    pub fn key(&self) -> &K {
        self.entry().0
    }

    /// The value. O(log n).
    ///
    /// ```
    /// use persistent_avl::{map::Entry, AvlMap};
    ///
    /// let mut map = AvlMap::from([("a", 1)]);
    /// if let Entry::Occupied(e) = map.entry("a") {
    ///     assert_eq!(e.get(), &1);
    /// }
    /// ```
    pub fn get(&self) -> &V {
        self.entry().1
    }
}

impl<'a, K: Ord + Clone, V: Clone, P: PointerKind> OccupiedEntry<'a, K, V, P> {
    /// The value, mutably, copying the shared nodes on its path. O(log n).
    ///
    /// ```
    /// use persistent_avl::{map::Entry, AvlMap};
    ///
    /// let mut map = AvlMap::from([("a", 1)]);
    /// if let Entry::Occupied(mut e) = map.entry("a") {
    ///     *e.get_mut() += 1;
    /// }
    /// assert_eq!(map["a"], 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut V {
        self.value_mut()
    }

    fn value_mut(&mut self) -> &mut V {
        node::get_at_mut(&mut self.map.root, self.index)
            .expect("an occupied entry's index is in the map")
            .1
    }

    /// The value, mutably, for as long as the map was borrowed. O(log n).
    ///
    /// ```
    /// use persistent_avl::{map::Entry, AvlMap};
    ///
    /// let mut map = AvlMap::from([("a", 1)]);
    /// if let Entry::Occupied(e) = map.entry("a") {
    ///     *e.into_mut() = 5;
    /// }
    /// assert_eq!(map["a"], 5);
    /// ```
    pub fn into_mut(self) -> &'a mut V {
        node::get_at_mut(&mut self.map.root, self.index)
            .expect("an occupied entry's index is in the map")
            .1
    }

    /// Replaces the value, returning the old one. O(log n).
    ///
    /// ```
    /// use persistent_avl::{map::Entry, AvlMap};
    ///
    /// let mut map = AvlMap::from([("a", 1)]);
    /// if let Entry::Occupied(mut e) = map.entry("a") {
    ///     assert_eq!(e.insert(2), 1);
    /// }
    /// assert_eq!(map["a"], 2);
    /// ```
    pub fn insert(&mut self, value: V) -> V {
        core::mem::replace(self.value_mut(), value)
    }

    /// Removes the entry, returning its value. O(log n).
    ///
    /// ```
    /// use persistent_avl::{map::Entry, AvlMap};
    ///
    /// let mut map = AvlMap::from([("a", 1)]);
    /// if let Entry::Occupied(e) = map.entry("a") {
    ///     assert_eq!(e.remove(), 1);
    /// }
    /// assert!(map.is_empty());
    /// ```
    pub fn remove(self) -> V {
        self.remove_entry().1
    }

    /// Removes the entry, returning the stored key and its value. O(log n).
    ///
    /// ```
    /// use persistent_avl::{map::Entry, AvlMap};
    ///
    /// let mut map = AvlMap::from([("a", 1)]);
    /// if let Entry::Occupied(e) = map.entry("a") {
    ///     assert_eq!(e.remove_entry(), ("a", 1));
    /// }
    /// ```
    pub fn remove_entry(self) -> (K, V) {
        node::remove_at(&mut self.map.root, self.index)
            .expect("an occupied entry's index is in the map")
    }
}

impl<K, V, P: PointerKind> VacantEntry<'_, K, V, P> {
    /// The key that would be inserted. O(1).
    ///
    /// ```
    /// use persistent_avl::{map::Entry, AvlMap};
    ///
    /// let mut map: AvlMap<&str, ()> = AvlMap::new();
    /// if let Entry::Vacant(e) = map.entry("a") {
    ///     assert_eq!(e.key(), &"a");
    /// }
    /// ```
    pub fn key(&self) -> &K {
        &self.key
    }

    /// Takes the key back without inserting. O(1).
    ///
    /// ```
    /// use persistent_avl::{map::Entry, AvlMap};
    ///
    /// let mut map: AvlMap<String, ()> = AvlMap::new();
    /// if let Entry::Vacant(e) = map.entry("a".to_string()) {
    ///     assert_eq!(e.into_key(), "a");
    /// }
    /// assert!(map.is_empty());
    /// ```
    pub fn into_key(self) -> K {
        self.key
    }
}

impl<'a, K: Ord + Clone, V: Clone, P: PointerKind> VacantEntry<'a, K, V, P> {
    /// Inserts `value` under the entry's key and returns it, mutably.
    /// O(log n); allocates as [`AvlMap::insert`](crate::GenericAvlMap::insert).
    ///
    /// ```
    /// use persistent_avl::{map::Entry, AvlMap};
    ///
    /// let mut map = AvlMap::new();
    /// if let Entry::Vacant(e) = map.entry("a") {
    ///     *e.insert(1) += 1;
    /// }
    /// assert_eq!(map["a"], 2);
    /// ```
    pub fn insert(self, value: V) -> &'a mut V {
        node::insert_at(&mut self.map.root, self.index, self.key, value);
        node::get_at_mut(&mut self.map.root, self.index)
            .expect("the entry was just inserted at this index")
            .1
    }

    /// Inserts `value` under the entry's key and returns the entry, now
    /// occupied. O(log n); allocates as [`AvlMap::insert`](crate::GenericAvlMap::insert).
    ///
    /// ```
    /// use persistent_avl::{map::Entry, AvlMap};
    ///
    /// let mut map = AvlMap::new();
    /// if let Entry::Vacant(e) = map.entry("a") {
    ///     let mut occupied = e.insert_entry(1);
    ///     *occupied.get_mut() += 1;
    /// }
    /// assert_eq!(map["a"], 2);
    /// ```
    pub fn insert_entry(self, value: V) -> OccupiedEntry<'a, K, V, P> {
        node::insert_at(&mut self.map.root, self.index, self.key, value);
        OccupiedEntry {
            map: self.map,
            index: self.index,
        }
    }
}

impl<K: fmt::Debug, V: fmt::Debug, P: PointerKind> fmt::Debug for Entry<'_, K, V, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Entry::Occupied(e) => f.debug_tuple("Entry").field(e).finish(),
            Entry::Vacant(e) => f.debug_tuple("Entry").field(e).finish(),
        }
    }
}

impl<K: fmt::Debug, V: fmt::Debug, P: PointerKind> fmt::Debug for OccupiedEntry<'_, K, V, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OccupiedEntry")
            .field("key", self.key())
            .field("value", self.get())
            .finish()
    }
}

impl<K: fmt::Debug, V, P: PointerKind> fmt::Debug for VacantEntry<'_, K, V, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("VacantEntry").field(&self.key).finish()
    }
}
