//! With the `serde` feature, maps and sets serialize and deserialize as std's
//! `BTreeMap` and `BTreeSet` do: the same JSON text and the same bincode
//! bytes out, the same result (or an error for the same input) in, whatever
//! the order of the input and however many times a key repeats, and a valid
//! tree after every successful read.
#![cfg(feature = "serde")]

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;

use persistent_avl::{
    ArcKind, AvlMap, AvlMapRc, AvlSet, AvlSetRc, GenericAvlMap, GenericAvlSet, PointerKind,
};
use proptest::collection::vec;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The classic tree of one entry per node.
type Classic = persistent_avl::Classic<ArcKind>;

/// Reads `json` into a map of kind `P` and into a `BTreeMap`, and checks that
/// both fail, with the same class of error, or both succeed with the same
/// entries and a valid tree. Returns the map when it read.
fn read_map_as_std<K, V, P>(json: &str) -> Option<GenericAvlMap<K, V, P>>
where
    K: DeserializeOwned + Ord + Debug,
    V: DeserializeOwned + PartialEq + Debug,
    P: PointerKind,
{
    let ours = serde_json::from_str::<GenericAvlMap<K, V, P>>(json);
    let std = serde_json::from_str::<BTreeMap<K, V>>(json);
    match (ours, std) {
        (Ok(map), Ok(model)) => {
            map.check_invariants().unwrap();
            assert!(map.iter().eq(model.iter()), "{json}: {map:?} != {model:?}");
            Some(map)
        }
        (Err(ours), Err(std)) => {
            assert_eq!(ours.classify(), std.classify(), "{json}: {ours} / {std}");
            None
        }
        (ours, std) => panic!("{json}: we read {ours:?}, std read {std:?}"),
    }
}

/// As [`read_map_as_std`], for sets against `BTreeSet`.
fn read_set_as_std<T, P>(json: &str) -> Option<GenericAvlSet<T, P>>
where
    T: DeserializeOwned + Ord + Debug,
    P: PointerKind,
{
    let ours = serde_json::from_str::<GenericAvlSet<T, P>>(json);
    let std = serde_json::from_str::<BTreeSet<T>>(json);
    match (ours, std) {
        (Ok(set), Ok(model)) => {
            set.check_invariants().unwrap();
            assert!(set.iter().eq(model.iter()), "{json}: {set:?} != {model:?}");
            Some(set)
        }
        (Err(ours), Err(std)) => {
            assert_eq!(ours.classify(), std.classify(), "{json}: {ours} / {std}");
            None
        }
        (ours, std) => panic!("{json}: we read {ours:?}, std read {std:?}"),
    }
}

/// A map of kind `P` round-trips through JSON: it writes what the `BTreeMap`
/// of the same entries writes, reads back equal with valid invariants, and
/// the `BTreeMap` read from its text writes the same text again.
fn json_round_trip_map<K, V, P>(map: &GenericAvlMap<K, V, P>)
where
    K: Serialize + DeserializeOwned + Ord + Clone + Debug,
    V: Serialize + DeserializeOwned + PartialEq + Clone + Debug,
    P: PointerKind,
{
    let model: BTreeMap<K, V> = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    let json = serde_json::to_string(map).unwrap();
    assert_eq!(json, serde_json::to_string(&model).unwrap());

    let back: GenericAvlMap<K, V, P> = serde_json::from_str(&json).unwrap();
    back.check_invariants().unwrap();
    assert!(back.iter().eq(map.iter()));

    let via_std: BTreeMap<K, V> = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_string(&via_std).unwrap(), json);
}

/// As [`json_round_trip_map`], for sets.
fn json_round_trip_set<T, P>(set: &GenericAvlSet<T, P>)
where
    T: Serialize + DeserializeOwned + Ord + Clone + Debug,
    P: PointerKind,
{
    let model: BTreeSet<T> = set.iter().cloned().collect();
    let json = serde_json::to_string(set).unwrap();
    assert_eq!(json, serde_json::to_string(&model).unwrap());

    let back: GenericAvlSet<T, P> = serde_json::from_str(&json).unwrap();
    back.check_invariants().unwrap();
    assert!(back.iter().eq(set.iter()));

    let via_std: BTreeSet<T> = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_string(&via_std).unwrap(), json);
}

fn words(n: u32) -> impl Iterator<Item = String> {
    (0..n).map(|i| format!("w{:05}", i.wrapping_mul(7919) % 100_000))
}

#[test]
fn map_with_string_keys_round_trips_through_json_as_btree_map_does() {
    let map: AvlMap<String, u32> = words(1000).zip(0..).collect();
    assert_eq!(map.len(), 1000);
    json_round_trip_map(&map);
    json_round_trip_map(&AvlMap::<String, u32>::new());
    json_round_trip_map(&AvlMap::from([("one".to_string(), 1)]));
}

#[test]
fn map_with_integer_keys_writes_them_as_json_strings_as_btree_map_does() {
    let map = AvlMap::from([(10_u32, "ten".to_string()), (9, "nine".to_string())]);
    // JSON object keys are strings: serde_json quotes integer keys, for
    // BTreeMap and AvlMap alike, and reads them back as integers.
    assert_eq!(
        serde_json::to_string(&map).unwrap(),
        r#"{"9":"nine","10":"ten"}"#
    );
    json_round_trip_map(&map);
    let big: AvlMap<u32, i64> = (0..2000).map(|i| (i * 3, -i64::from(i))).collect();
    json_round_trip_map(&big);
}

#[test]
fn integer_keys_read_from_json_strings_exactly_as_btree_map_reads_them() {
    // Whatever serde_json accepts or refuses as an integer key, AvlMap
    // accepts or refuses it too.
    for json in [
        r#"{"1":"a","2":"b"}"#,
        r#"{"1":"a","01":"b"}"#,
        r#"{"-1":"a"}"#,
        r#"{" 1":"a"}"#,
        r#"{"1.0":"a"}"#,
        r#"{"4294967296":"a"}"#,
        r#"{"x":"a"}"#,
        r#"{"":"a"}"#,
    ] {
        read_map_as_std::<u32, String, ArcKind>(json);
    }
    assert!(read_map_as_std::<u32, String, ArcKind>(r#"{"1":"a","2":"b"}"#).is_some());
    assert!(read_map_as_std::<u32, String, ArcKind>(r#"{"x":"a"}"#).is_none());
    assert!(read_map_as_std::<u32, String, ArcKind>(r#"{"-1":"a"}"#).is_none());
}

#[test]
fn set_round_trips_through_json_as_btree_set_does() {
    let strings: AvlSet<String> = words(1000).collect();
    json_round_trip_set(&strings);
    let ints: AvlSet<i32> = (-500..1500).map(|i| i * 7 % 1009).collect();
    json_round_trip_set(&ints);
    json_round_trip_set(&AvlSet::<u8>::new());
    assert_eq!(
        serde_json::to_string(&AvlSet::from([3, 1, 2])).unwrap(),
        "[1,2,3]"
    );
}

#[test]
fn rc_and_classic_kinds_round_trip_through_json() {
    let rc: AvlMapRc<u32, String> = (0..700).map(|i| (i, i.to_string())).collect();
    json_round_trip_map(&rc);
    let classic: GenericAvlMap<String, u64, Classic> = words(700).zip(0..).collect();
    json_round_trip_map(&classic);
    let rc_set: AvlSetRc<String> = words(300).collect();
    json_round_trip_set(&rc_set);
    let classic_set: GenericAvlSet<u16, Classic> = (0..300).rev().collect();
    json_round_trip_set(&classic_set);

    // What one kind writes, another reads.
    let json = serde_json::to_string(&classic).unwrap();
    let arc: AvlMap<String, u64> = serde_json::from_str(&json).unwrap();
    arc.check_invariants().unwrap();
    assert!(arc.iter().eq(classic.iter()));
}

#[test]
fn map_read_from_a_btree_maps_json_writes_the_same_json() {
    let model: BTreeMap<String, Vec<u8>> =
        words(500).map(|w| (w.clone(), w.into_bytes())).collect();
    let json = serde_json::to_string(&model).unwrap();
    let map: AvlMap<String, Vec<u8>> = read_map_as_std::<_, _, ArcKind>(&json).unwrap();
    assert_eq!(serde_json::to_string(&map).unwrap(), json);
}

#[test]
fn unsorted_input_reads_as_btree_map_and_btree_set_read_it() {
    let map = read_map_as_std::<String, i32, ArcKind>(r#"{"pear":1,"apple":2,"plum":3,"fig":4}"#)
        .unwrap();
    assert_eq!(
        map.keys().collect::<Vec<_>>(),
        ["apple", "fig", "pear", "plum"]
    );
    let descending: String = {
        let entries: Vec<String> = (0..300).rev().map(|i| format!(r#""{i}":{i}"#)).collect();
        format!("{{{}}}", entries.join(","))
    };
    read_map_as_std::<u32, u32, ArcKind>(&descending).unwrap();
    read_map_as_std::<u32, u32, Classic>(&descending).unwrap();
    let set = read_set_as_std::<i32, ArcKind>("[5,-3,9,0,2]").unwrap();
    assert_eq!(set.iter().copied().collect::<Vec<_>>(), [-3, 0, 2, 5, 9]);
}

#[test]
fn of_duplicated_keys_the_last_value_wins_as_in_btree_map() {
    let map =
        read_map_as_std::<String, i32, ArcKind>(r#"{"a":1,"b":2,"a":3,"b":4,"a":5}"#).unwrap();
    assert_eq!(map.get("a"), Some(&5));
    assert_eq!(map.get("b"), Some(&4));
    assert_eq!(map.len(), 2);
    // Duplicates in otherwise ascending input.
    let map = read_map_as_std::<u32, u32, Classic>(r#"{"1":1,"2":2,"2":3,"3":4}"#).unwrap();
    assert_eq!(map.get(&2), Some(&3));
    let set = read_set_as_std::<u8, ArcKind>("[3,1,3,2,1,3]").unwrap();
    assert_eq!(set.len(), 3);
}

/// A key whose order ignores ASCII case, so two keys can be equal by `Ord`
/// and still tell apart which one a map kept.
#[derive(Debug, Clone)]
struct Caseless(String);

impl Ord for Caseless {
    fn cmp(&self, other: &Self) -> Ordering {
        let lower = |s: &String| s.to_ascii_lowercase();
        lower(&self.0).cmp(&lower(&other.0))
    }
}
impl PartialOrd for Caseless {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl PartialEq for Caseless {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Caseless {}
impl Serialize for Caseless {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}
impl<'de> Deserialize<'de> for Caseless {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Caseless)
    }
}

#[test]
fn of_keys_equal_by_ord_the_first_key_stays_with_the_last_value_as_in_btree_map() {
    for json in [
        r#"{"a":1,"A":2}"#,
        r#"{"B":1,"a":2,"b":3,"A":4}"#,
        r#"{"x":1,"X":2,"x":3}"#,
    ] {
        let map = read_map_as_std::<Caseless, i32, ArcKind>(json).unwrap();
        let model: BTreeMap<Caseless, i32> = serde_json::from_str(json).unwrap();
        // `==` on Caseless ignores case: compare the spellings kept.
        let spelled = |k: &Caseless| k.0.clone();
        assert_eq!(
            map.keys().map(spelled).collect::<Vec<_>>(),
            model.keys().map(spelled).collect::<Vec<_>>(),
            "{json}"
        );
    }
    let set = read_set_as_std::<Caseless, ArcKind>(r#"["b","A","a","B"]"#).unwrap();
    let model: BTreeSet<Caseless> = serde_json::from_str(r#"["b","A","a","B"]"#).unwrap();
    let spelled: Vec<_> = set.iter().map(|k| k.0.as_str()).collect();
    assert_eq!(spelled, ["A", "b"]);
    assert_eq!(
        spelled,
        model.iter().map(|k| k.0.as_str()).collect::<Vec<_>>()
    );
}

#[test]
fn every_truncation_of_valid_json_is_an_error_as_for_btree_map() {
    let map: AvlMap<String, Vec<u32>> = words(20).map(|w| (w, vec![1, 22, 333])).collect();
    let json = serde_json::to_string(&map).unwrap();
    for end in 0..json.len() {
        assert!(read_map_as_std::<String, Vec<u32>, ArcKind>(&json[..end]).is_none());
    }
    let set: AvlSet<u32> = (0..50).map(|i| i * 1000).collect();
    let json = serde_json::to_string(&set).unwrap();
    for end in 0..json.len() {
        assert!(read_set_as_std::<u32, ArcKind>(&json[..end]).is_none());
    }
}

#[test]
fn input_of_the_wrong_shape_or_type_is_an_error_as_for_btree_map() {
    for json in [
        "",
        "   ",
        "null",
        "1",
        r#""a map""#,
        "[1,2]",
        r#"[["a",1]]"#,
        r#"{"a":"one"}"#,
        r#"{"a":1,"b":null}"#,
        r#"{"a":-1}"#,
        r#"{"a":4294967296}"#,
        r#"{"a":1,}"#,
        r#"{"a":1 "b":2}"#,
        r#"{"a":1}}"#,
        r#"{a:1}"#,
    ] {
        assert!(
            read_map_as_std::<String, u32, ArcKind>(json).is_none(),
            "{json}"
        );
    }
    for json in [
        "",
        "null",
        "7",
        r#"{"a":1}"#,
        r#"[1,"2"]"#,
        "[1,2.5]",
        "[1,-2]",
        "[1,256]",
        "[1,,2]",
        "[1,2]]",
    ] {
        assert!(read_set_as_std::<u8, ArcKind>(json).is_none(), "{json}");
    }
}

#[test]
fn empty_containers_read_as_empty() {
    let map = read_map_as_std::<String, u32, ArcKind>(" { } ").unwrap();
    assert!(map.is_empty());
    let set = read_set_as_std::<u8, Classic>("[]").unwrap();
    assert!(set.is_empty());
}

#[test]
fn nested_maps_and_sets_round_trip_through_json() {
    let inner = |i: u32| -> AvlSet<String> { words(i % 7).collect() };
    let map: AvlMap<u32, AvlSet<String>> = (0..100).map(|i| (i, inner(i))).collect();
    let json = serde_json::to_string(&map).unwrap();
    let model: BTreeMap<u32, BTreeSet<String>> = serde_json::from_str(&json).unwrap();
    assert_eq!(serde_json::to_string(&model).unwrap(), json);
    let back: AvlMap<u32, AvlSet<String>> = serde_json::from_str(&json).unwrap();
    back.check_invariants().unwrap();
    assert_eq!(back, map);
    for set in back.values() {
        set.check_invariants().unwrap();
    }
}

#[test]
fn bincode_writes_the_same_bytes_as_for_btree_map_and_reads_them_back() {
    let map: AvlMap<u32, String> = (0..1000).map(|i| (i * 13 % 997, i.to_string())).collect();
    let model: BTreeMap<u32, String> = map.iter().map(|(&k, v)| (k, v.clone())).collect();
    let bytes = bincode::serialize(&map).unwrap();
    assert_eq!(bytes, bincode::serialize(&model).unwrap());
    let back: AvlMap<u32, String> = bincode::deserialize(&bytes).unwrap();
    back.check_invariants().unwrap();
    assert_eq!(back, map);
    let classic: GenericAvlMap<u32, String, Classic> = bincode::deserialize(&bytes).unwrap();
    classic.check_invariants().unwrap();
    assert!(classic.iter().eq(model.iter()));

    let set: AvlSetRc<i64> = (-300..300).map(|i| i * i).collect();
    let std_set: BTreeSet<i64> = set.iter().copied().collect();
    let bytes = bincode::serialize(&set).unwrap();
    assert_eq!(bytes, bincode::serialize(&std_set).unwrap());
    let back: AvlSetRc<i64> = bincode::deserialize(&bytes).unwrap();
    back.check_invariants().unwrap();
    assert_eq!(back, set);
}

#[test]
fn bincode_input_cut_short_or_announcing_too_many_entries_is_an_error() {
    let map: AvlMap<u32, u64> = (0..100).map(|i| (i, u64::from(i) << 40)).collect();
    let bytes = bincode::serialize(&map).unwrap();
    for end in 0..bytes.len() {
        assert!(bincode::deserialize::<AvlMap<u32, u64>>(&bytes[..end]).is_err());
        assert!(bincode::deserialize::<BTreeMap<u32, u64>>(&bytes[..end]).is_err());
    }
    // A length prefix far beyond the bytes that follow: an error, not an
    // attempt to reserve room for that many entries first.
    let mut hostile = u64::MAX.to_le_bytes().to_vec();
    hostile.extend_from_slice(&bytes[8..]);
    assert!(bincode::deserialize::<AvlMap<u32, u64>>(&hostile).is_err());
    assert!(bincode::deserialize::<AvlSet<u32>>(&hostile).is_err());
    let mut hostile_set = (1_u64 << 60).to_le_bytes().to_vec();
    hostile_set.extend_from_slice(&[0; 64]);
    assert!(bincode::deserialize::<AvlSet<u64>>(&hostile_set).is_err());
}

#[test]
fn bincode_reads_unsorted_entries_with_duplicates_as_btree_map_does() {
    // Bincode writes a map as its length and its entries, so a sequence of
    // pairs with the same length prefix reads as a map in that order.
    let pairs: Vec<(u16, u16)> = vec![(5, 0), (1, 1), (5, 2), (3, 3), (1, 4), (0, 5)];
    let bytes = bincode::serialize(&pairs).unwrap();
    let model: BTreeMap<u16, u16> = bincode::deserialize(&bytes).unwrap();
    let map: AvlMap<u16, u16> = bincode::deserialize(&bytes).unwrap();
    map.check_invariants().unwrap();
    assert!(map.iter().eq(model.iter()));
    assert_eq!(map, AvlMap::from([(0, 5), (1, 4), (3, 3), (5, 2)]));
}

/// JSON text of `entries` as one object, in the given order, repeats kept.
fn json_object(entries: &[(u16, u16)]) -> String {
    let body: Vec<String> = entries
        .iter()
        .map(|(k, v)| format!(r#""{k}":{v}"#))
        .collect();
    format!("{{{}}}", body.join(","))
}

fn json_array(elements: &[u16]) -> String {
    let body: Vec<String> = elements.iter().map(u16::to_string).collect();
    format!("[{}]", body.join(","))
}

fn check_map_from_entries<P: PointerKind>(entries: &[(u16, u16)]) -> Result<(), TestCaseError> {
    let model: BTreeMap<u16, u16> = entries.iter().copied().collect();
    let json = serde_json::to_string(&model).unwrap();
    let map: GenericAvlMap<u16, u16, P> = serde_json::from_str(&json).unwrap();
    prop_assert!(map.check_invariants().is_ok());
    prop_assert!(map.iter().eq(model.iter()));
    prop_assert_eq!(serde_json::to_string(&map).unwrap(), json);

    // The same entries written in their own order, duplicates included.
    let raw = json_object(entries);
    let model: BTreeMap<u16, u16> = serde_json::from_str(&raw).unwrap();
    let map: GenericAvlMap<u16, u16, P> = serde_json::from_str(&raw).unwrap();
    prop_assert!(map.check_invariants().is_ok());
    prop_assert!(map.iter().eq(model.iter()));
    Ok(())
}

proptest! {
    #[test]
    fn any_btree_maps_json_reads_into_an_equal_map(entries in vec((any::<u16>(), any::<u16>()), 0..600)) {
        check_map_from_entries::<ArcKind>(&entries)?;
        check_map_from_entries::<Classic>(&entries)?;
    }

    #[test]
    fn any_json_object_of_few_keys_reads_as_btree_map_reads_it(entries in vec((0..40_u16, any::<u16>()), 0..200)) {
        check_map_from_entries::<ArcKind>(&entries)?;
    }

    #[test]
    fn any_json_array_reads_into_the_set_btree_set_reads(elements in vec(0..500_u16, 0..600)) {
        let raw = json_array(&elements);
        let model: BTreeSet<u16> = serde_json::from_str(&raw).unwrap();
        let set: AvlSet<u16> = serde_json::from_str(&raw).unwrap();
        prop_assert!(set.check_invariants().is_ok());
        prop_assert!(set.iter().eq(model.iter()));
        prop_assert_eq!(serde_json::to_string(&set).unwrap(), serde_json::to_string(&model).unwrap());
    }

    #[test]
    fn any_bincode_map_round_trips(entries in vec((any::<u16>(), any::<u16>()), 0..600)) {
        let model: BTreeMap<u16, u16> = entries.iter().copied().collect();
        let bytes = bincode::serialize(&model).unwrap();
        let map: AvlMapRc<u16, u16> = bincode::deserialize(&bytes).unwrap();
        prop_assert!(map.check_invariants().is_ok());
        prop_assert!(map.iter().eq(model.iter()));
        prop_assert_eq!(bincode::serialize(&map).unwrap(), bytes);
    }
}
