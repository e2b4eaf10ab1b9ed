//! Graphviz pictures of versions: path copying, seen.
//!
//! [`versions_to_dot`] draws several versions of a map in one graph, each
//! node once however many versions reach it, with the nodes two or more
//! versions share shaded. `dot -Tsvg` turns the text into a picture.

use alloc::collections::BTreeSet;
use alloc::string::String;
use core::fmt::{self, Debug, Write};

use crate::map::GenericAvlMap;
use crate::ptr::PointerKind;
use crate::view::NodeRef;

/// Graphviz DOT text drawing the trees of `versions`, each named by its
/// label: a box per version pointing at its root, a circle per node showing
/// its key, a record per block showing its keys, and each node and block
/// drawn once, shaded when two or more of the versions reach it.
/// O(total distinct nodes × log of that, plus the entries of their blocks).
///
/// ```
/// use persistent_avl::{ArcKind, AvlMap, Classic, GenericAvlMap, dot};
///
/// // The classic tree, one entry per node (`Classic`, no blocks).
/// let v1: GenericAvlMap<i32, (), Classic<ArcKind>> = (1..=7).map(|k| (k, ())).collect();
/// let v2 = v1.inserted(8, ());
/// let text = dot::versions_to_dot(&[("v1", &v1), ("v2", &v2)]);
/// assert!(text.starts_with("digraph"));
/// // The 3 subtrees v2 shares with v1 hold 4 nodes: 1, 2, 3 and 5.
/// assert_eq!(text.matches("fillcolor").count(), 4);
/// // 7 nodes of v1, plus the path v2 copied (4, 6, 7) and its new 8.
/// let nodes = text
///     .lines()
///     .filter(|l| l.trim_start().starts_with('n') && l.contains("[label=") && !l.contains("invis"))
///     .count();
/// assert_eq!(nodes, 11);
/// ```
pub fn versions_to_dot<K: Debug, V, P: PointerKind>(
    versions: &[(&str, &GenericAvlMap<K, V, P>)],
) -> String {
    let mut out = String::new();
    // Writing to a `String` cannot fail.
    let _ = write_dot(&mut out, versions);
    out
}

fn write_dot<K: Debug, V, P: PointerKind>(
    out: &mut String,
    versions: &[(&str, &GenericAvlMap<K, V, P>)],
) -> fmt::Result {
    writeln!(out, "digraph versions {{")?;
    // Children in the order they are written: left, then right.
    writeln!(out, "  ordering=out;")?;
    writeln!(out, "  node [shape=circle, fontname=\"monospace\"];")?;
    let mut drawn = BTreeSet::new();
    let mut shared = BTreeSet::new();
    for (index, (name, map)) in versions.iter().enumerate() {
        writeln!(
            out,
            "  version{index} [shape=box, label=\"{}\"];",
            escape(name)
        )?;
        if let Some(root) = map.root_node() {
            writeln!(out, "  version{index} -> n{};", root.id())?;
            draw(out, root, &mut drawn, &mut shared)?;
        }
    }
    for name in shared {
        writeln!(out, "  {name} [style=filled, fillcolor=lightgray];")?;
    }
    writeln!(out, "}}")
}

/// Draws `node` and what is below it, unless an earlier version drew it:
/// then the whole subtree is shared, and is only marked so. A block is
/// drawn as one record, once, and marked shared when a second node (a copy
/// made for another version) holds it too.
fn draw<K: Debug, V, P: PointerKind>(
    out: &mut String,
    node: NodeRef<'_, K, V, P>,
    drawn: &mut BTreeSet<usize>,
    shared: &mut BTreeSet<String>,
) -> fmt::Result {
    let id = node.id();
    if !drawn.insert(id) {
        mark_shared(node, shared);
        return Ok(());
    }
    writeln!(
        out,
        "  n{id} [label=\"{}\"];",
        escape(&DebugText(node.key()))
    )?;
    let sides = [
        ("l", node.left(), node.left_block()),
        ("r", node.right(), node.right_block()),
    ];
    if sides
        .iter()
        .all(|(_, child, block)| child.is_none() && block.is_empty())
    {
        return Ok(());
    }
    for (side, child, block) in sides {
        if let Some(child) = child {
            writeln!(out, "  n{id} -> n{};", child.id())?;
            draw(out, child, drawn, shared)?;
        } else if block.is_empty() {
            // A missing child gets an invisible stand-in, so that a lone
            // child still sits on its own side.
            writeln!(out, "  n{id}{side} [style=invis, label=\"\"];")?;
            writeln!(out, "  n{id} -> n{id}{side} [style=invis];")?;
        } else {
            let block_id = block_name(block);
            writeln!(out, "  n{id} -> {block_id};")?;
            if !drawn.insert(block.as_ptr() as usize) {
                // Another version's node holds this very block.
                shared.insert(block_id);
                continue;
            }
            let mut label = String::new();
            for (i, (key, _)) in block.iter().enumerate() {
                if i > 0 {
                    label.push('|');
                }
                label.push_str(&escape_record(&DebugText(key)));
            }
            writeln!(out, "  {block_id} [shape=record, label=\"{label}\"];")?;
        }
    }
    Ok(())
}

/// Marks `node`, its blocks and every node below it as shared, stopping at
/// subtrees marked already.
fn mark_shared<K, V, P: PointerKind>(node: NodeRef<'_, K, V, P>, shared: &mut BTreeSet<String>) {
    let id = node.id();
    if shared.insert(alloc::format!("n{id}")) {
        for block in [node.left_block(), node.right_block()] {
            if !block.is_empty() {
                shared.insert(block_name(block));
            }
        }
        for child in [node.left(), node.right()].into_iter().flatten() {
            mark_shared(child, shared);
        }
    }
}

/// A block's name in the graph, from the address of its entries: one name
/// for one block, whichever nodes hold it.
fn block_name<K, V>(block: &[(K, V)]) -> String {
    alloc::format!("b{}", block.as_ptr() as usize)
}

/// [`escape`], plus the characters that structure a record's label.
fn escape_record(text: &dyn fmt::Display) -> String {
    let mut escaped = String::new();
    for c in escape(text).chars() {
        if matches!(c, '|' | '{' | '}' | '<' | '>') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// A value's `Debug` text, for a label.
struct DebugText<'a, T>(&'a T);

impl<T: Debug> fmt::Display for DebugText<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

/// `text` with the characters that end or break a DOT string escaped.
fn escape(text: &dyn fmt::Display) -> String {
    let mut raw = String::new();
    let _ = write!(raw, "{text}");
    let mut escaped = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '"' | '\\' => {
                escaped.push('\\');
                escaped.push(c);
            }
            '\n' => escaped.push_str("\\n"),
            c => escaped.push(c),
        }
    }
    escaped
}
