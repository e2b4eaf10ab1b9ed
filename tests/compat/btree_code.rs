// Ordinary code written for std's `BTreeMap` and `BTreeSet`, as their users
// spell it. `tests/btree_compat.rs` includes this file twice: once where
// `Map`, `Set`, `Entry`, `btree_map` and `btree_set` are std's, once where
// they are this crate's. Nothing here may name the crate: the point is that
// code written for std compiles and behaves the same.
//
// Each section writes what it sees to the transcript, `Debug`-formatted.

use std::collections::HashSet;
use std::collections::hash_map::DefaultHasher;
use std::fmt::Debug;
use std::hash::{Hash, Hasher};
use std::ops::Bound::{self, Excluded, Included, Unbounded};

/// The transcript of every section, in order.
pub fn run() -> Vec<String> {
    let mut out = Transcript(Vec::new());
    building(&mut out);
    entries(&mut out);
    ends(&mut out);
    ranges(&mut out);
    removing_and_moving(&mut out);
    iterating(&mut out);
    extending_and_indexing(&mut out);
    comparing_and_hashing(&mut out);
    default_iterators(&mut out);
    sets(&mut out);
    set_algebra(&mut out);
    out.0
}

struct Transcript(Vec<String>);

impl Transcript {
    fn note(&mut self, what: &str, value: impl Debug) {
        self.0.push(format!("{what}: {value:?}"));
    }
}

fn building(out: &mut Transcript) {
    let mut map = Map::new();
    map.insert(3, "c");
    map.insert(1, "a");
    out.note("insert into new", map.insert(2, "b"));
    out.note("insert again", map.insert(2, "B"));
    out.note("new, then inserts", &map);

    let empty: Map<i32, String> = Map::default();
    out.note("default", (&empty, empty.len(), empty.is_empty()));

    let mut inferred = Map::default();
    inferred.insert(String::from("k"), vec![1u8, 2]);
    out.note("default, typed by its insert", &inferred);

    let from_array = Map::from([(2, 'b'), (1, 'a'), (2, 'z')]);
    out.note("from an array, the last of equal keys", &from_array);

    let squares = Map::from_iter((1..6).map(|i| (i, i * i)));
    out.note("from_iter", &squares);

    let by_length: Map<_, _> = ["pear", "fig", "apple", "kiwi"]
        .iter()
        .map(|w| (w.len(), *w))
        .collect();
    out.note("collect", &by_length);

    let owned: Map<String, usize> = vec!["b".to_string(), "a".to_string()]
        .into_iter()
        .enumerate()
        .map(|(i, s)| (s, i))
        .collect();
    out.note("collect owned keys", &owned);

    let nested: Map<&str, Map<u8, bool>> =
        Map::from([("x", Map::from([(1, true)])), ("y", Map::new())]);
    out.note("maps of maps", &nested);

    let cloned = squares.clone();
    out.note("clone", (&cloned, cloned == squares));
}

/// Counts through the entry API, as a word count does.
fn count(entry: Entry<'_, &'static str, u32>) -> u32 {
    match entry {
        Entry::Occupied(mut occupied) => {
            *occupied.get_mut() += 1;
            *occupied.get()
        }
        Entry::Vacant(vacant) => *vacant.insert(1),
    }
}

fn entries(out: &mut Transcript) {
    let text = "the cat and a hat sat on the bat mats and the cat";

    let mut counts = Map::new();
    for word in text.split(' ') {
        *counts.entry(word).or_insert(0) += 1;
    }
    out.note("or_insert counts", &counts);

    let mut groups: Map<usize, Vec<&str>> = Map::new();
    for word in text.split(' ') {
        groups
            .entry(word.len())
            .or_insert_with(|| Vec::with_capacity(4))
            .push(word);
    }
    out.note("or_insert_with groups", &groups);

    let mut letters: Map<char, usize> = Map::new();
    for word in text.split(' ') {
        *letters.entry(word.chars().next().unwrap()).or_default() += word.len();
    }
    out.note("or_default sums", &letters);

    let lengths: &mut usize = letters.entry('z').or_insert_with_key(|c| *c as usize);
    *lengths += 1;
    out.note("or_insert_with_key", letters.get(&'z'));

    counts.entry("cat").and_modify(|n| *n += 10).or_insert(100);
    counts.entry("dog").and_modify(|n| *n += 10).or_insert(100);
    out.note("and_modify", &counts);

    let cat = *counts.entry("cat").key();
    let cow = *counts.entry("cow").key();
    out.note("entry key", (cat, cow, counts.contains_key("cow")));

    let entry = counts.entry("emu").insert_entry(7);
    out.note("insert_entry, vacant", (entry.key(), entry.get()));
    let entry = counts.entry("the").insert_entry(0);
    out.note("insert_entry, occupied", (*entry.key(), *entry.get()));
    out.note("insert_entry, then remove_entry", entry.remove_entry());

    match counts.entry("and") {
        Entry::Occupied(mut occupied) => {
            *occupied.get_mut() += 1;
            let old = occupied.insert(42);
            out.note("occupied insert", (old, occupied.get()));
        }
        Entry::Vacant(vacant) => {
            vacant.insert(0);
        }
    }
    match counts.entry("fox") {
        Entry::Occupied(occupied) => {
            occupied.remove();
        }
        Entry::Vacant(vacant) => {
            out.note("vacant key", vacant.key());
            let mut occupied = vacant.insert_entry(5);
            *occupied.get_mut() *= 3;
            out.note("vacant insert_entry", occupied.get());
        }
    }
    let hat = match counts.entry("hat") {
        Entry::Occupied(occupied) => Ok(occupied.remove_entry()),
        Entry::Vacant(vacant) => Err(vacant.into_key()),
    };
    out.note("remove_entry", hat);
    let gnu = match counts.entry("gnu") {
        Entry::Occupied(occupied) => Ok(occupied.remove()),
        Entry::Vacant(vacant) => Err(vacant.into_key()),
    };
    out.note("into_key", gnu);
    if let Entry::Occupied(occupied) = counts.entry("bat") {
        *occupied.into_mut() += 100;
    }

    let mut tally = Map::new();
    for word in text.split(' ') {
        count(tally.entry(word));
    }
    out.note("entries passed to a function", (count(tally.entry("the")), &tally));
    out.note("after the entry API", &counts);
}

fn ends(out: &mut Transcript) {
    let mut map: Map<i32, String> = (1..=5).map(|i| (i, i.to_string())).collect();
    out.note("first_key_value", map.first_key_value());
    out.note("last_key_value", map.last_key_value());
    out.note("pop_first", map.pop_first());
    out.note("pop_last", map.pop_last());

    if let Some(mut first) = map.first_entry() {
        first.get_mut().push('!');
        out.note("first_entry", (first.key(), first.get()));
    }
    if let Some(last) = map.last_entry() {
        out.note("last_entry removed", last.remove_entry());
    }
    if let Some(mut first) = map.first_entry()
        && *first.key() > 0
    {
        out.note("first_entry insert", first.insert("first".to_string()));
    }
    out.note("after the ends", &map);

    let mut empty: Map<u8, u8> = Map::new();
    out.note(
        "the ends of an empty map",
        (
            empty.first_key_value().is_none(),
            empty.pop_last(),
            empty.first_entry().is_none(),
            empty.last_entry().is_none(),
        ),
    );
}

fn ranges(out: &mut Transcript) {
    let map: Map<i32, char> = (0..10).zip('a'..).collect();
    out.note("range a..b", map.range(2..5).collect::<Vec<_>>());
    out.note("range ..=b", map.range(..=3).collect::<Vec<_>>());
    out.note("range a..", map.range(7..).collect::<Vec<_>>());
    out.note("range ..", map.range(..).count());
    out.note("range a..=a", map.range(4..=4).collect::<Vec<_>>());
    out.note("range a..a", map.range(4..4).collect::<Vec<_>>());
    out.note(
        "range of bounds",
        map.range((Excluded(2), Included(6))).collect::<Vec<_>>(),
    );
    out.note(
        "range of bound references",
        map.range((Included(&8), Unbounded)).collect::<Vec<_>>(),
    );
    let (low, high): (Bound<i32>, Bound<i32>) = (Excluded(1), Excluded(4));
    out.note("range of a bounds pair", map.range((low, high)).rev().collect::<Vec<_>>());
    let mut both_ends = map.range(3..8);
    out.note(
        "range from both ends",
        (
            both_ends.next(),
            both_ends.next_back(),
            both_ends.map(|(_, c)| c).collect::<String>(),
        ),
    );
    out.note("range past the keys", map.range(20..).next());

    let names: Map<String, u32> = ["dave", "alice", "carol", "bob", "erin"]
        .iter()
        .enumerate()
        .map(|(i, name)| (name.to_string(), i as u32))
        .collect();
    out.note(
        "range of &str in String keys",
        names.range::<str, _>((Included("b"), Excluded("d"))).collect::<Vec<_>>(),
    );
    out.note(
        "range of &str from a key",
        names
            .range::<str, _>((Excluded("carol"), Unbounded))
            .map(|(k, _)| k.as_str())
            .collect::<Vec<_>>(),
    );
    out.note(
        "lookups by &str",
        (names.get("carol"), names.contains_key("zed"), &names["erin"]),
    );

    let mut map = map;
    for (_, c) in map.range_mut(3..6) {
        *c = c.to_ascii_uppercase();
    }
    if let Some((k, c)) = map.range_mut(..=1).next_back() {
        *c = '#';
        out.note("range_mut from the back", k);
    }
    let mut scores: Map<String, u32> = names.clone();
    for (_, score) in scores.range_mut::<str, _>((Included("bob"), Included("dave"))) {
        *score += 100;
    }
    out.note("range_mut", (&map, &scores));
}

fn removing_and_moving(out: &mut Transcript) {
    let mut map: Map<i32, i32> = (0..20).map(|i| (i, i * 10)).collect();
    map.retain(|k, v| {
        *v += 1;
        k % 3 != 0
    });
    out.note("retain", &map);

    let evens: Map<i32, i32> = map.extract_if(.., |k, _| k % 2 == 0).collect();
    out.note("extract_if", (&evens, &map));
    let changed: Vec<(i32, i32)> = map
        .extract_if(5..15, |_, v| {
            *v += 1000;
            *v % 3 == 0
        })
        .collect();
    out.note("extract_if a range, changing values", (&changed, &map));
    let first_two: Vec<_> = map.extract_if(.., |_, _| true).take(2).collect();
    out.note("extract_if stopped early", (&first_two, &map));
    {
        let mut lazy = map.extract_if(.., |k, _| *k > 10);
        out.note("extract_if, one at a time", lazy.next());
    }
    out.note("after a dropped extract_if", &map);

    let mut map: Map<i32, &str> = Map::from([(1, "a"), (3, "c"), (5, "e"), (7, "g")]);
    let high = map.split_off(&4);
    out.note("split_off", (&map, &high));
    let everything = map.split_off(&0);
    out.note("split_off below every key", (&map, &everything));
    let mut low = everything;
    let mut more = Map::from([(2, "b"), (3, "C"), (9, "i")]);
    low.append(&mut more);
    out.note("append", (&low, more.is_empty()));

    out.note("get_mut", low.get_mut(&3).map(|v| std::mem::replace(v, "three")));
    out.note("get_key_value", low.get_key_value(&3));
    out.note("remove", (low.remove(&9), low.remove(&9)));
    out.note("remove_entry", low.remove_entry(&1));
    out.note("contains_key", (low.contains_key(&2), low.contains_key(&1)));
    let len_before = low.len();
    low.clear();
    out.note("clear", (len_before, low.len(), low.is_empty()));
}

fn iterating(out: &mut Transcript) {
    let mut map: Map<u8, String> = (1..=4).map(|i| (i, "x".repeat(i.into()))).collect();
    out.note("iter", map.iter().collect::<Vec<_>>());
    out.note("iter rev", map.iter().rev().map(|(k, _)| *k).collect::<Vec<_>>());
    out.note("iter len", (map.iter().len(), map.keys().len(), map.values().len()));
    out.note("iter nth", map.iter().nth(2));
    out.note("keys", map.keys().copied().collect::<Vec<u8>>());
    out.note("keys sum", map.keys().map(|&k| u32::from(k)).sum::<u32>());
    out.note("values", map.values().cloned().collect::<Vec<String>>());
    out.note("values max", map.values().max());

    for (k, v) in map.iter_mut() {
        v.push_str(&k.to_string());
    }
    for v in map.values_mut() {
        v.insert(0, '<');
    }
    out.note("iter_mut and values_mut", &map);

    for (k, v) in &mut map {
        if k % 2 == 0 {
            v.clear();
        }
    }
    let mut seen = Vec::new();
    for (k, v) in &map {
        seen.push(format!("{k}={v}"));
    }
    out.note("for over & and &mut", seen);

    out.note("into_keys", map.clone().into_keys().collect::<Vec<_>>());
    out.note("into_values", map.clone().into_values().collect::<Vec<_>>());
    out.note("into_iter rev", map.clone().into_iter().rev().collect::<Vec<_>>());
    let mut owned = map.clone().into_iter();
    out.note("into_iter len", (owned.len(), owned.next(), owned.len()));
    out.note("into_iter Debug, part taken", format!("{owned:?}"));
    let mut keys = map.clone().into_keys();
    keys.next_back();
    out.note("into_keys Debug", format!("{keys:?}"));
    let mut values = map.clone().into_values();
    values.next();
    out.note("into_values Debug", format!("{values:?}"));
    let mut lent = map.iter_mut();
    lent.next();
    out.note("iter_mut Debug, part taken", format!("{lent:?}"));
    let mut lent = map.values_mut();
    lent.next_back();
    out.note("values_mut Debug", format!("{lent:?}"));
    let mut lent = map.range_mut(2..4);
    out.note("range_mut Debug", format!("{lent:?}"));
    lent.next();
    out.note("range_mut Debug, part taken", format!("{lent:?}"));
    let mut total = 0;
    for (k, v) in map {
        total += usize::from(k) * v.len();
    }
    out.note("for over an owned map", total);
}

fn extending_and_indexing(out: &mut Transcript) {
    let mut map = Map::from([(1, 10), (2, 20)]);
    map.extend([(3, 30), (1, 11)]);
    map.extend(vec![(4, 40)]);
    let other = Map::from([(5, 50), (2, 22)]);
    map.extend(&other);
    map.extend(other.iter().map(|(k, v)| (k + 10, *v)));
    let pairs = [(7, 70)];
    map.extend(pairs.iter().map(|(k, v)| (k, v)));
    out.note("extend", &map);
    out.note("index", (map[&1], map[&12]));

    let mut words: Map<String, Vec<&str>> = Map::new();
    words.extend([("a".to_string(), vec!["x"])]);
    words.entry("a".to_string()).or_default().push("y");
    out.note("index by &str", &words["a"]);
}

fn hash_of<T: Hash>(value: &T) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

fn comparing_and_hashing(out: &mut Transcript) {
    let a = Map::from([(1, 'a'), (2, 'b')]);
    let b = a.clone();
    let c = Map::from([(1, 'b')]);
    let empty = Map::new();
    out.note("eq", (a == b, a != c, a == empty, empty == Map::default()));
    out.note("ord", (a < c, a.cmp(&b), c.partial_cmp(&a), empty < a));
    out.note("max, min", (a.clone().max(c.clone()), a.clone().min(empty.clone())));
    let mut sorted = vec![c.clone(), a.clone(), empty.clone(), Map::from([(1, 'a')])];
    sorted.sort();
    out.note("sort maps", &sorted);
    out.note("equal maps hash equal", hash_of(&a) == hash_of(&b));
    let distinct: HashSet<Map<i32, char>> = [a.clone(), b, c, empty].into_iter().collect();
    out.note("maps in a HashSet", distinct.len());

    let mut by_set: Map<Set<u8>, &str> = Map::new();
    by_set.insert(Set::from([2, 1]), "one-two");
    by_set.insert(Set::new(), "none");
    by_set.insert(Set::from([1, 2]), "again");
    out.note("sets as keys", &by_set);

    let as_text = format!("{a:?} {:#?}", Map::from([(0u8, ())]));
    out.note("Debug", as_text);
    let set_text = format!("{:?}", Set::from(["b", "a"]));
    out.note("set Debug", set_text);
}

/// An iterator held in a struct that derives `Default`, as std's iterators
/// allow.
#[derive(Default)]
struct Cursor<'a> {
    keys: btree_map::Keys<'a, u8, u8>,
    elements: btree_set::Iter<'a, u8>,
}

fn default_iterators(out: &mut Transcript) {
    let empty: Map<u8, u8> = Map::new();
    let iter: btree_map::Iter<'_, u8, u8> = Default::default();
    out.note("Iter default is empty", (iter.len(), empty.iter().eq(iter)));
    let keys: btree_map::Keys<'_, u8, u8> = Default::default();
    let values: btree_map::Values<'_, u8, u8> = Default::default();
    let range: btree_map::Range<'_, u8, u8> = Default::default();
    out.note(
        "Keys, Values, Range default",
        (keys.len(), values.len(), range.count()),
    );
    let iter_mut: btree_map::IterMut<'_, u8, u8> = Default::default();
    let values_mut: btree_map::ValuesMut<'_, u8, u8> = Default::default();
    let range_mut: btree_map::RangeMut<'_, u8, u8> = Default::default();
    out.note(
        "IterMut, ValuesMut, RangeMut default",
        (iter_mut.len(), values_mut.len(), range_mut.count()),
    );
    let into_iter: btree_map::IntoIter<u8, u8> = Default::default();
    let into_keys: btree_map::IntoKeys<u8, u8> = Default::default();
    let into_values: btree_map::IntoValues<u8, u8> = Default::default();
    out.note(
        "IntoIter, IntoKeys, IntoValues default",
        (into_iter.len(), into_keys.len(), into_values.len()),
    );
    let set_iter: btree_set::Iter<'_, u8> = Default::default();
    let set_range: btree_set::Range<'_, u8> = Default::default();
    let set_into: btree_set::IntoIter<u8> = Default::default();
    out.note(
        "set iterators default",
        (set_iter.len(), set_range.count(), set_into.len()),
    );
    let mut cursor = Cursor::default();
    out.note(
        "in a derived Default",
        (cursor.keys.next(), cursor.elements.next_back()),
    );
}

fn sets(out: &mut Transcript) {
    let mut set = Set::new();
    out.note("insert", (set.insert(3), set.insert(1), set.insert(3)));
    set.extend([5, 4, 2]);
    set.extend(&[9, 8]);
    out.note("extend", &set);
    out.note("Set::default", Set::<u8>::default());
    out.note("Set::from", Set::from(['b', 'a', 'b']));
    out.note("Set::from_iter", Set::from_iter("hello".chars()));
    let collected: Set<_> = (1..4).map(|i| i * 10).collect();
    out.note("collect", &collected);

    out.note("contains, get", (set.contains(&4), set.contains(&6), set.get(&5)));
    out.note("first, last", (set.first(), set.last()));
    out.note("pop_first, pop_last", (set.pop_first(), set.pop_last()));
    out.note("remove", (set.remove(&4), set.remove(&4)));
    out.note("take", (set.take(&5), set.take(&5)));
    out.note("replace", (set.replace(2), set.replace(7)));
    out.note("range", set.range(2..=7).collect::<Vec<_>>());
    out.note(
        "range of bounds",
        set.range((Excluded(2), Unbounded)).rev().collect::<Vec<_>>(),
    );

    let mut numbers: Set<u32> = (0..30).collect();
    numbers.retain(|n| n % 5 != 0);
    let odd: Vec<u32> = numbers.extract_if(..10, |n| n % 2 == 1).collect();
    let stopped: Vec<u32> = numbers.extract_if(20.., |_| true).take(3).collect();
    out.note("retain, extract_if", (&odd, &stopped, &numbers));
    let high = numbers.split_off(&15);
    out.note("split_off", (&numbers, &high));
    let mut more = Set::from([100, 2]);
    numbers.append(&mut more);
    out.note("append", (&numbers, more.len()));

    let names: Set<String> = ["b", "a", "c"].iter().map(|s| s.to_string()).collect();
    out.note("&str lookups", (names.contains("a"), names.get("c"), names.contains("z")));
    out.note(
        "range of &str",
        names.range::<str, _>((Included("b"), Unbounded)).collect::<Vec<_>>(),
    );

    let mut seen = Vec::new();
    for name in &names {
        seen.push(name.len());
    }
    let mut owned = Vec::new();
    for name in names.clone() {
        owned.push(name);
    }
    out.note("for loops", (seen, owned));
    out.note("into_iter rev", names.into_iter().rev().collect::<Vec<_>>());
    out.note("iter rev", set.iter().rev().copied().collect::<Vec<_>>());
    out.note("iter len", set.iter().len());
}

fn set_algebra(out: &mut Transcript) {
    let a: Set<i32> = (1..=6).collect();
    let b = Set::from([4, 5, 6, 7, 8]);
    out.note("|", &a | &b);
    out.note("&", &a & &b);
    out.note("-", &a - &b);
    out.note("^", &a ^ &b);
    out.note("union", a.union(&b).cloned().collect::<Vec<i32>>());
    out.note("intersection", a.intersection(&b).collect::<Vec<&i32>>());
    out.note("difference", a.difference(&b).collect::<Vec<_>>());
    out.note(
        "symmetric_difference",
        a.symmetric_difference(&b).copied().collect::<Set<i32>>(),
    );
    let mut union = a.union(&b);
    out.note("union, lazily", (union.next(), union.next(), union.count()));
    let small = Set::from([2, 3]);
    out.note(
        "is_subset, is_superset, is_disjoint",
        (
            small.is_subset(&a),
            a.is_superset(&small),
            small.is_disjoint(&b),
            a.is_disjoint(&b),
        ),
    );
    out.note("ord", (a < b, a.cmp(&a.clone()), small <= a));
    let mut sorted = vec![b.clone(), small.clone(), a.clone()];
    sorted.sort();
    out.note("sort sets", sorted);
    out.note("equal sets hash equal", hash_of(&a) == hash_of(&a.clone()));
}
