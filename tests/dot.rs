//! `dot::versions_to_dot`: several versions in one Graphviz graph.
//!
//! Pinned down here, for versions that share all but a path:
//! - every node of every version is drawn exactly once, as one
//!   `nN [label="..."]` line, so the node lines are exactly the distinct
//!   node ids (by `NodeRef::id`);
//! - every parent-child pair is one edge, and each version's box points at
//!   its root;
//! - the shaded nodes are exactly those that two or more versions reach;
//! - labels are valid DOT strings: quotes and backslashes in keys and
//!   version names are escaped, and unescaping gives back the `Debug` text.

use persistent_avl::GenericAvlMap;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Debug;

use persistent_avl::{NodeRef, PointerKind, dot};

/// The classic tree, one entry per node (`Classic`, no blocks), whose drawings
/// most tests here pin down.
type Classic = persistent_avl::Classic<persistent_avl::ArcKind>;

/// The nodes of a tree: id → (key's `Debug` text, child ids).
fn nodes<K: Debug, V, P: PointerKind>(
    map: &GenericAvlMap<K, V, P>,
) -> BTreeMap<usize, (String, Vec<usize>)> {
    let mut out = BTreeMap::new();
    let mut stack: Vec<NodeRef<'_, K, V, P>> = map.root_node().into_iter().collect();
    while let Some(node) = stack.pop() {
        let children: Vec<_> = [node.left(), node.right()].into_iter().flatten().collect();
        let ids = children.iter().map(NodeRef::id).collect();
        out.insert(node.id(), (format!("{:?}", node.key()), ids));
        stack.extend(children);
    }
    out
}

/// A DOT quoted string's content, unescaped; `None` if a quote inside it is
/// not escaped (the string would end early) or an escape is cut short.
fn unescape(quoted: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = quoted.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return None,
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    Some(out)
}

/// What the text draws.
#[derive(Debug, Default)]
struct Drawing {
    /// Every `nN [label="..."];` line: N and the unescaped label, in order.
    node_lines: Vec<(usize, String)>,
    /// `nA -> nB;` edges between real nodes.
    edges: Vec<(usize, usize)>,
    /// `nN [style=filled, ...];` lines.
    shaded: Vec<usize>,
    /// `versionI [shape=box, label="..."];`: the unescaped names.
    versions: Vec<String>,
    /// `versionI -> nN;`
    roots: Vec<(usize, usize)>,
}

/// `n123` → 123; `None` for anything else (such as the invisible `n123l`).
fn node_id(word: &str) -> Option<usize> {
    let digits = word.strip_prefix('n')?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().unwrap())
}

fn parse(text: &str) -> Drawing {
    let mut drawing = Drawing::default();
    assert!(text.starts_with("digraph "), "{text}");
    assert_eq!(text.trim_end().lines().last(), Some("}"));
    for line in text.lines() {
        let line = line.trim();
        let Some((head, rest)) = line.split_once(' ') else {
            continue;
        };
        if let Some(label) = rest
            .strip_prefix("[label=\"")
            .and_then(|r| r.strip_suffix("\"];"))
        {
            let id = node_id(head).unwrap_or_else(|| panic!("a label line of no node: {line}"));
            let label = unescape(label).unwrap_or_else(|| panic!("a label cut short: {line}"));
            drawing.node_lines.push((id, label));
        } else if rest.starts_with("[style=filled") {
            drawing.shaded.push(node_id(head).unwrap());
        } else if let Some(target) = rest.strip_prefix("-> ").and_then(|r| r.strip_suffix(';')) {
            if let Some(index) = head.strip_prefix("version") {
                drawing
                    .roots
                    .push((index.parse().unwrap(), node_id(target).unwrap()));
            } else if let (Some(from), Some(to)) = (node_id(head), node_id(target)) {
                drawing.edges.push((from, to));
            }
        } else if let Some(name) = rest
            .strip_prefix("[shape=box, label=\"")
            .and_then(|r| r.strip_suffix("\"];"))
        {
            assert_eq!(head, format!("version{}", drawing.versions.len()));
            drawing
                .versions
                .push(unescape(name).unwrap_or_else(|| panic!("{line}")));
        }
    }
    drawing
}

/// Checks the drawing of `versions` against their trees: each node once,
/// with its key; each edge once; each version's root; and the shading.
fn check_drawing<K: Debug, V, P: PointerKind>(
    versions: &[(&str, &GenericAvlMap<K, V, P>)],
) -> Drawing {
    let text = dot::versions_to_dot(versions);
    let drawing = parse(&text);
    let trees: Vec<_> = versions.iter().map(|(_, map)| nodes(map)).collect();
    let mut all: BTreeMap<usize, (String, Vec<usize>)> = BTreeMap::new();
    for tree in &trees {
        all.extend(tree.clone());
    }

    // Each distinct node exactly once, labelled with its key.
    let drawn: BTreeSet<usize> = drawing.node_lines.iter().map(|&(id, _)| id).collect();
    assert_eq!(
        drawn.len(),
        drawing.node_lines.len(),
        "a node drawn twice:\n{text}"
    );
    assert_eq!(
        drawing.node_lines.len(),
        all.len(),
        "node lines vs distinct node ids"
    );
    assert_eq!(drawn, all.keys().copied().collect());
    for (id, label) in &drawing.node_lines {
        assert_eq!(label, &all[id].0, "label of n{id}");
    }

    // Each parent-child pair once.
    let edges: BTreeSet<(usize, usize)> = drawing.edges.iter().copied().collect();
    assert_eq!(edges.len(), drawing.edges.len(), "an edge drawn twice");
    let expected: BTreeSet<(usize, usize)> = all
        .iter()
        .flat_map(|(&id, (_, children))| children.iter().map(move |&c| (id, c)))
        .collect();
    assert_eq!(edges, expected);

    // Each version named, pointing at its root.
    let names: Vec<&str> = versions.iter().map(|&(name, _)| name).collect();
    assert_eq!(drawing.versions, names);
    let roots: Vec<(usize, usize)> = versions
        .iter()
        .enumerate()
        .filter_map(|(i, (_, map))| map.root_node().map(|r| (i, r.id())))
        .collect();
    assert_eq!(drawing.roots, roots);
    drawing
}

/// Every node's key text, by id, over all of `trees`.
fn all_keys(trees: &[BTreeMap<usize, (String, Vec<usize>)>]) -> HashMap<usize, String> {
    trees
        .iter()
        .flatten()
        .map(|(&id, (key, _))| (id, key.clone()))
        .collect()
}

/// The ids of the nodes that two or more of `trees` reach.
fn reached_by_two_or_more(trees: &[BTreeMap<usize, (String, Vec<usize>)>]) -> BTreeSet<usize> {
    let mut count: HashMap<usize, usize> = HashMap::new();
    for tree in trees {
        for &id in tree.keys() {
            *count.entry(id).or_default() += 1;
        }
    }
    count
        .into_iter()
        .filter(|&(_, c)| c >= 2)
        .map(|(id, _)| id)
        .collect()
}

/// Two versions sharing all but one path (an insert at the far right, a new
/// value in the middle): every node is drawn once, with its key, and every
/// edge once.
#[test]
fn each_node_is_drawn_once() {
    let v1: GenericAvlMap<u32, u32, Classic> = (1..=200).map(|k| (k, k)).collect();
    for v2 in [v1.inserted(1000, 0), v1.inserted(77, 0)] {
        let drawing = check_drawing(&[("v1", &v1), ("v2", &v2)]);
        let sharing = v1.sharing(&v2);
        let distinct = sharing.shared + sharing.only_first + sharing.only_second;
        assert_eq!(drawing.node_lines.len(), distinct);
        assert!(sharing.only_second <= v2.height() + 1);
    }
    // The same version twice, or an empty one, draws its nodes once.
    let drawing = check_drawing(&[
        ("a", &v1),
        ("b", &v1.clone()),
        ("empty", &GenericAvlMap::default()),
    ]);
    assert_eq!(drawing.node_lines.len(), 200);
}

/// The shaded nodes are exactly those reached from two or more versions:
/// for two versions, the nodes they share; for three, those any two share.
#[test]
fn shared_nodes_are_exactly_the_shaded_ones() {
    let v1: GenericAvlMap<u32, u32, Classic> = (1..=200).map(|k| (k, k)).collect();
    let v2 = v1.inserted(1000, 0);
    let v3 = v1.inserted(77, 0);
    for versions in [
        vec![("v1", &v1), ("v2", &v2)],
        vec![("v1", &v1), ("v2", &v2), ("v3", &v3)],
    ] {
        let drawing = check_drawing(&versions);
        let trees: Vec<_> = versions.iter().map(|(_, map)| nodes(map)).collect();
        let expected = reached_by_two_or_more(&trees);
        let shaded: BTreeSet<usize> = drawing.shaded.iter().copied().collect();
        assert_eq!(shaded.len(), drawing.shaded.len(), "a node shaded twice");
        let keys = all_keys(&trees);
        let missing: Vec<&String> = expected.difference(&shaded).map(|id| &keys[id]).collect();
        let extra = shaded.difference(&expected).count();
        assert!(
            missing.is_empty() && extra == 0,
            "{} versions: {} nodes reached from two or more, {} shaded; {} not shaded (keys {:?}, ...); \
             {extra} shaded but not shared",
            versions.len(),
            expected.len(),
            shaded.len(),
            missing.len(),
            &missing[..missing.len().min(8)],
        );
    }
}

/// The smallest case of the shading, the module's own example: 1..=7 and a
/// version with 8 inserted copy the path 4, 6, 7; both reach 1, 2, 3 and 5.
#[test]
fn shading_of_the_documented_example() {
    let v1: GenericAvlMap<i32, (), Classic> = (1..=7).map(|k| (k, ())).collect();
    let v2 = v1.inserted(8, ());
    let text = dot::versions_to_dot(&[("v1", &v1), ("v2", &v2)]);
    let drawing = parse(&text);
    let labels: HashMap<usize, String> = drawing.node_lines.iter().cloned().collect();
    let mut shaded: Vec<i32> = drawing
        .shaded
        .iter()
        .map(|id| labels[id].parse().unwrap())
        .collect();
    shaded.sort_unstable();
    assert_eq!(shaded, [1, 2, 3, 5], "shaded keys; the text:\n{text}");
}

/// Keys and version names with quotes, backslashes and newlines come out as
/// valid DOT strings that unescape to their `Debug` text (and names to
/// themselves).
#[test]
fn labels_escape_quotes() {
    let keys = [
        "plain",
        "say \"hi\"",
        "\"",
        "back\\slash",
        "both \\\" at once",
        "two\nlines",
        "",
    ];
    let v1: GenericAvlMap<String, u32, Classic> = keys.iter().map(|k| (k.to_string(), 0)).collect();
    let v2 = v1.inserted("\"new\" key".to_string(), 1);
    let drawing = check_drawing(&[("the \"old\" one", &v1), ("new\\", &v2)]);
    let labels: BTreeSet<&str> = drawing.node_lines.iter().map(|(_, l)| l.as_str()).collect();
    for key in keys.iter().copied().chain(["\"new\" key"]) {
        assert!(
            labels.contains(format!("{key:?}").as_str()),
            "label of {key:?}: {labels:?}"
        );
    }
    assert_eq!(drawing.versions, ["the \"old\" one", "new\\"]);
    // No line of the text holds a raw newline from a key.
    let text = dot::versions_to_dot(&[("x\ny", &v1)]);
    assert!(
        text.lines()
            .all(|l| l.is_empty() || l.starts_with(' ') || l.starts_with('d') || l == "}")
    );
    assert_eq!(parse(&text).versions, ["x\ny"]);
}

/// With blocks, each block is one record listing its keys, drawn once
/// (whichever versions reach it, through one node or through two) and
/// shaded exactly when both versions reach it.
#[test]
fn blocks_are_drawn_once_as_records_and_shaded_when_shared() {
    type Small = persistent_avl::BlockSize<persistent_avl::ArcKind, 4>;
    let v1: GenericAvlMap<u32, (), Small> = (1..=40).map(|k| (k, ())).collect();
    let v2 = v1.inserted(41, ()).removed(&3);
    let text = dot::versions_to_dot(&[("v1", &v1), ("v2", &v2)]);

    // Every block of both versions: its name (from the address of its
    // entries), its label, and how many versions reach it; and how many
    // blocks hang under nodes both versions hold.
    let mut blocks: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut nodes: BTreeMap<usize, usize> = BTreeMap::new();
    for map in [&v1, &v2] {
        let mut stack: Vec<_> = map.root_node().into_iter().collect();
        while let Some(node) = stack.pop() {
            *nodes.entry(node.id()).or_default() += 1;
            for block in [node.left_block(), node.right_block()] {
                if block.is_empty() {
                    continue;
                }
                let label: Vec<String> = block.iter().map(|(k, ())| k.to_string()).collect();
                let name = format!("b{}", block.as_ptr() as usize);
                blocks.entry(name).or_insert((label.join("|"), 0)).1 += 1;
            }
            stack.extend(node.left());
            stack.extend(node.right());
        }
    }
    assert!(blocks.len() > 10, "the maps have blocks");
    // Each version's copied path keeps the blocks beside it: blocks are
    // shared through copied nodes too, not only under shared ones.
    let shared_blocks = blocks.values().filter(|(_, n)| *n == 2).count();
    let shared_nodes = nodes.values().filter(|n| **n == 2).count();
    let fresh_nodes = nodes.len() - shared_nodes;
    assert!(
        shared_blocks > shared_nodes + 1,
        "{shared_blocks} {shared_nodes}"
    );
    assert!(fresh_nodes > 0);
    assert_eq!(text.matches("shape=record").count(), blocks.len());
    for (name, (label, reached)) in &blocks {
        let line = format!("  {name} [shape=record, label=\"{label}\"];");
        assert_eq!(text.matches(&line).count(), 1, "{line}");
        let shaded = text.contains(&format!("  {name} [style=filled"));
        assert_eq!(shaded, *reached == 2, "{name} reached by {reached}");
    }
}
