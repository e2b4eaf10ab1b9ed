//! A `History` of maps or sets saves each distinct node and block once and
//! loads back with the same versions, the same place in the line and the
//! same sharing; input that does not make valid trees is an error, never a
//! panic or an invalid tree.
#![cfg(feature = "serde")]

use persistent_avl::{
    ArcKind, AvlMap, AvlMapRc, AvlSet, BlockSize, GenericAvlMap, GenericAvlSet, History,
    PointerKind,
};
use proptest::prelude::*;
use serde::ser::{SerializeMap, Serializer};

type Classic = persistent_avl::Classic<ArcKind>;
type Small = BlockSize<ArcKind, 4>;

/// Every version's number, label and contents, the current version's
/// number, and whether undo and redo can move.
type Line<U> = (Vec<(String, Option<String>, U)>, String, bool, bool);

/// The line of versions as the history's readers see it.
fn line<T, U: PartialEq + std::fmt::Debug>(
    history: &History<T>,
    contents: impl Fn(&T) -> U,
) -> Line<U>
where
    T: Clone,
{
    let versions = history
        .ids()
        .map(|id| {
            (
                id.to_string(),
                history.label(id).map(str::to_owned),
                contents(history.get(id).expect("an id from ids() is kept")),
            )
        })
        .collect();
    (
        versions,
        history.current_id().to_string(),
        history.can_undo(),
        history.can_redo(),
    )
}

fn entries<P: PointerKind>(map: &GenericAvlMap<u32, String, P>) -> Vec<(u32, String)> {
    map.iter().map(|(k, v)| (*k, v.clone())).collect()
}

fn sharing<P: PointerKind>(history: &History<GenericAvlMap<u32, String, P>>) -> (usize, usize) {
    let versions: Vec<_> = history.ids().map(|id| history.get(id).unwrap()).collect();
    let counts = GenericAvlMap::sharing_among(&versions);
    (counts.distinct, counts.shared)
}

/// Saves `history` as JSON and loads it back, checking that every loaded
/// version is a valid tree, that the line reads the same, and that the
/// loaded versions share exactly as the saved ones did.
fn round_trip<P: PointerKind>(
    history: &History<GenericAvlMap<u32, String, P>>,
) -> History<GenericAvlMap<u32, String, P>> {
    let text = serde_json::to_string(history).expect("a history serializes");
    let loaded: History<GenericAvlMap<u32, String, P>> =
        serde_json::from_str(&text).expect("a saved history loads");
    for id in loaded.ids() {
        assert_eq!(loaded.get(id).unwrap().check_invariants(), Ok(()));
    }
    assert_eq!(line(&loaded, entries), line(history, entries));
    assert_eq!(sharing(&loaded), sharing(history));
    loaded
}

/// A history of `edits` one-key edits of an n-entry map, with labels, an
/// undo and a limit when asked.
fn edited<P: PointerKind>(
    n: u32,
    edits: u32,
    limit: Option<usize>,
) -> History<GenericAvlMap<u32, String, P>> {
    let base: GenericAvlMap<u32, String, P> = (0..n).map(|k| (k * 2, k.to_string())).collect();
    let mut history = match limit {
        Some(limit) => History::with_limit(base, limit),
        None => History::new(base),
    };
    for i in 0..edits {
        let key = i.wrapping_mul(7919) % (2 * n + 1);
        history.edit(|m| match i % 3 {
            0 => drop(m.insert(key, format!("edit {i}"))),
            1 => drop(m.remove(&key)),
            _ => drop(m.insert(key | 1, String::new())),
        });
        if i % 10 == 0 {
            history.checkpoint(format!("after edit {i}"));
        }
    }
    history
}

#[test]
fn a_history_of_maps_loads_with_its_versions_labels_and_place() {
    let mut history = edited::<ArcKind>(1000, 50, None);
    history.undo();
    history.undo();
    let loaded = round_trip(&history);
    assert!(loaded.can_redo());
}

#[test]
fn every_layout_and_pointer_kind_round_trips() {
    round_trip(&edited::<Classic>(300, 40, None));
    round_trip(&edited::<Small>(300, 40, None));
    round_trip(&edited::<persistent_avl::RcKind>(300, 40, None));
    round_trip(&edited::<ArcKind>(0, 5, None));
}

#[test]
fn a_limited_history_keeps_its_limit() {
    let history = edited::<ArcKind>(200, 30, Some(8));
    let mut loaded = round_trip(&history);
    assert_eq!(loaded.len(), 8);
    for _ in 0..5 {
        loaded.edit(|m| drop(m.insert(1, String::new())));
    }
    assert_eq!(
        loaded.len(),
        8,
        "the loaded history still drops its oldest versions"
    );
}

#[test]
fn a_loaded_history_makes_new_versions_and_fresh_ids() {
    let history = edited::<ArcKind>(100, 3, None);
    let mut loaded = round_trip(&history);
    let old_id = history.current_id();
    // Ids name the history that made them: the loaded one is another.
    assert!(loaded.get(old_id).is_none());
    let next = loaded.edit(|m| drop(m.insert(5, "five".into())));
    assert_eq!(next.to_string(), "v4");
    assert_eq!(loaded.current().get(&5).map(String::as_str), Some("five"));
}

#[test]
fn a_history_of_sets_writes_elements_alone_and_round_trips() {
    let mut history = History::new(AvlSet::from([3, 1, 2]));
    history.edit(|s| _ = s.insert(10));
    history.checkpoint("ten");
    history.edit(|s| _ = s.remove(&1));
    let text = serde_json::to_string(&history).unwrap();
    assert!(
        text.contains(r#"{"Block":[3,10]}"#) && !text.contains(",null]"),
        "set parts hold elements, not (element, ()) pairs: {text}"
    );
    let loaded: History<AvlSet<i32>> = serde_json::from_str(&text).unwrap();
    let elements = |s: &AvlSet<i32>| s.iter().copied().collect::<Vec<_>>();
    assert_eq!(line(&loaded, elements), line(&history, elements));
    assert_eq!(
        loaded.find_label("ten").map(|id| id.to_string()),
        Some("v1".into())
    );

    let classic = History::new(GenericAvlSet::<u8, Classic>::from([1, 2, 3]));
    let text = serde_json::to_string(&classic).unwrap();
    let loaded: History<GenericAvlSet<u8, Classic>> = serde_json::from_str(&text).unwrap();
    assert!(loaded.current().iter().eq([1, 2, 3].iter()));
}

/// Counts the bytes a serializer writes.
#[derive(Default)]
struct Count(usize);

impl std::io::Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The JSON bytes of one version written as a plain map.
fn plain_bytes<P: PointerKind>(map: &GenericAvlMap<u32, String, P>) -> usize {
    let mut count = Count::default();
    let mut serializer = serde_json::Serializer::new(&mut count);
    let mut out = serializer.serialize_map(Some(map.len())).unwrap();
    for (k, v) in map {
        out.serialize_entry(k, v).unwrap();
    }
    SerializeMap::end(out).unwrap();
    count.0
}

#[test]
fn a_history_costs_about_one_document_plus_a_path_per_edit() {
    // 100 one-key edits of a 10^4-entry map.
    let history = edited::<ArcKind>(10_000, 100, None);
    let mut count = Count::default();
    serde_json::to_writer(&mut count, &history).unwrap();
    let saved = count.0;
    let document = plain_bytes(history.current());
    let every_version: usize = history
        .ids()
        .map(|id| plain_bytes(history.get(id).unwrap()))
        .sum();
    // Each edit copies one path of nodes (about 1.44 log2 of 10^4 / 32
    // blocks, so at most 13) and one block of at most 32 entries; written as
    // parts that costs at most 13 node entries and 32 block entries per
    // edit. Allow twice a document for the part numbers and the framing.
    let per_edit = (13 + 32) * document / 10_000;
    assert!(
        saved <= 2 * document + 100 * 2 * per_edit,
        "saved {saved} bytes, a document is {document}"
    );
    assert!(
        saved * 20 < every_version,
        "saved {saved}, every version {every_version}"
    );
}

/// Loads `text` as a history of maps and returns the error's message.
fn load_error(text: &str) -> String {
    match serde_json::from_str::<History<GenericAvlMap<u32, u32, Small>>>(text) {
        Ok(history) => panic!("loaded an invalid history: {:?}", history.current()),
        Err(err) => err.to_string(),
    }
}

fn doc(parts: &str, versions: &str, current: usize, next: u64, limit: &str) -> String {
    format!(
        r#"{{"parts":{parts},"versions":{versions},"current":{current},"next":{next},"limit":{limit}}}"#
    )
}

const ONE: &str = r#"[{"number":0,"label":null,"root":2}]"#;

#[test]
fn parts_that_break_an_invariant_are_errors() {
    let cases = [
        // A block out of order, too big, or empty.
        (
            r#"[{"Block":[[2,0],[1,0]]},{"Node":[1,[3,0],0]}]"#,
            "strictly ascending",
        ),
        (
            r#"[{"Block":[[1,0],[2,0],[3,0],[4,0],[5,0]]},{"Node":[1,[9,0],0]}]"#,
            "block size",
        ),
        (r#"[{"Block":[]},{"Node":[1,[9,0],0]}]"#, "empty"),
        // A node's key not between its subtrees' keys.
        (r#"[{"Block":[[5,0]]},{"Node":[1,[3,0],0]}]"#, "between"),
        (r#"[{"Block":[[5,0]]},{"Node":[0,[7,0],1]}]"#, "between"),
        // References to a later part or to itself.
        (
            r#"[{"Node":[2,[1,0],0]},{"Block":[[0,0]]}]"#,
            "not before it",
        ),
        (
            r#"[{"Block":[[0,0]]},{"Node":[2,[1,0],0]}]"#,
            "not before it",
        ),
    ];
    for (parts, why) in cases {
        let err = load_error(&doc(parts, ONE, 0, 1, "null"));
        assert!(err.contains(why), "{parts}: {err}");
    }
    // Out of balance: a node of height 2 beside an empty subtree... twice.
    let tall = r#"[{"Node":[0,[1,0],0]},{"Node":[1,[2,0],0]},{"Node":[2,[3,0],0]}]"#;
    let versions = r#"[{"number":0,"label":null,"root":3}]"#;
    assert!(load_error(&doc(tall, versions, 0, 1, "null")).contains("height"));
    // A root that is a block.
    let block_root = r#"[{"number":0,"label":null,"root":1}]"#;
    let err = load_error(&doc(r#"[{"Block":[[1,0]]}]"#, block_root, 0, 1, "null"));
    assert!(err.contains("root"), "{err}");
}

#[test]
fn a_line_that_breaks_the_history_is_an_error() {
    let parts = r#"[{"Block":[[1,0]]},{"Node":[1,[2,0],0]}]"#;
    let two = r#"[{"number":3,"label":null,"root":2},{"number":3,"label":"x","root":0}]"#;
    assert!(load_error(&doc(parts, two, 0, 9, "null")).contains("ascending"));
    assert!(load_error(&doc(parts, ONE, 1, 1, "null")).contains("current"));
    assert!(load_error(&doc(parts, ONE, 0, 0, "null")).contains("next"));
    assert!(load_error(&doc(parts, ONE, 0, 1, "0")).contains("limit"));
    assert!(load_error(&doc(parts, "[]", 0, 1, "null")).contains("current"));
    // The same parts make a valid history.
    let ok: History<GenericAvlMap<u32, u32, Small>> =
        serde_json::from_str(&doc(parts, ONE, 0, 1, "null")).unwrap();
    assert_eq!(
        ok.current().iter().collect::<Vec<_>>(),
        [(&1, &0), (&2, &0)]
    );
}

#[test]
fn malformed_input_is_an_error() {
    let good = serde_json::to_string(&edited::<Small>(50, 5, None)).unwrap();
    for cut in [0, 1, good.len() / 3, good.len() / 2, good.len() - 1] {
        assert!(
            serde_json::from_str::<History<GenericAvlMap<u32, String, Small>>>(&good[..cut])
                .is_err(),
            "loaded a history cut at {cut}"
        );
    }
    // Values of the wrong type.
    assert!(serde_json::from_str::<History<GenericAvlMap<u32, u32, Small>>>(&good).is_err());
    assert!(serde_json::from_str::<History<AvlMap<u32, String>>>("[1, 2, 3]").is_err());
    assert!(serde_json::from_str::<History<AvlMap<u32, String>>>("{}").is_err());
}

/// Random edits, undos and labels on a small map behind `Rc`.
fn history_of(steps: &[(u8, u16)]) -> History<AvlMapRc<u32, String>> {
    let mut history = History::new(AvlMapRc::from([(1, "one".to_string())]));
    for &(what, key) in steps {
        let key = u32::from(key);
        match what % 5 {
            0 | 1 => drop(history.edit(|m| drop(m.insert(key, key.to_string())))),
            2 => drop(history.edit(|m| drop(m.remove(&key)))),
            3 => drop(history.undo()),
            _ => history.checkpoint(format!("at {key}")),
        }
    }
    history
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_histories_round_trip_with_their_sharing(
        steps in prop::collection::vec((any::<u8>(), 0u16..400), 0..120),
    ) {
        round_trip(&history_of(&steps));
    }

    #[test]
    fn a_damaged_file_loads_as_an_error_or_as_valid_trees(
        steps in prop::collection::vec((any::<u8>(), 0u16..200), 1..60),
        at in any::<prop::sample::Index>(),
        byte in prop::sample::select(b"0123456789,[]{}\"Nodeblk ".to_vec()),
    ) {
        let text = serde_json::to_string(&history_of(&steps)).unwrap();
        let mut damaged = text.into_bytes();
        let at = at.index(damaged.len());
        damaged[at] = byte;
        if let Ok(loaded) = serde_json::from_slice::<History<AvlMapRc<u32, String>>>(&damaged) {
            for id in loaded.ids() {
                prop_assert_eq!(loaded.get(id).unwrap().check_invariants(), Ok(()));
            }
        }
    }
}
