//! Graphviz pictures of versions: path copying, seen.
//!
//! [`versions_to_dot`] draws several versions of a map in one graph, each
//! node once however many versions reach it, with the nodes two or more
//! versions share shaded. `dot -Tsvg` turns the text into a picture.

use alloc::collections::BTreeSet;
use alloc::string::String;
use core::fmt::{self, Debug, Write};

use crate::map::AvlMap;
use crate::ptr::PointerKind;
use crate::view::NodeRef;

/// Graphviz DOT text drawing the trees of `versions`, each named by its
/// label: a box per version pointing at its root, a circle per node showing
/// its key, and each node drawn once, shaded when two or more of the
/// versions reach it. O(total distinct nodes × log of that).
///
/// ```
/// use persistent_avl::{AvlMap, dot};
///
/// let v1: AvlMap<i32, ()> = (1..=7).map(|k| (k, ())).collect();
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
    versions: &[(&str, &AvlMap<K, V, P>)],
) -> String {
    let mut out = String::new();
    // Writing to a `String` cannot fail.
    let _ = write_dot(&mut out, versions);
    out
}

fn write_dot<K: Debug, V, P: PointerKind>(
    out: &mut String,
    versions: &[(&str, &AvlMap<K, V, P>)],
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
    for id in shared {
        writeln!(out, "  n{id} [style=filled, fillcolor=lightgray];")?;
    }
    writeln!(out, "}}")
}

/// Draws `node` and what is below it, unless an earlier version drew it:
/// then the whole subtree is shared, and is only marked so.
fn draw<K: Debug, V, P: PointerKind>(
    out: &mut String,
    node: NodeRef<'_, K, V, P>,
    drawn: &mut BTreeSet<usize>,
    shared: &mut BTreeSet<usize>,
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
    match (node.left(), node.right()) {
        (None, None) => {}
        (left, right) => {
            // A missing child gets an invisible stand-in, so that a lone
            // child still sits on its own side.
            for (side, child) in [("l", left), ("r", right)] {
                if let Some(child) = child {
                    writeln!(out, "  n{id} -> n{};", child.id())?;
                    draw(out, child, drawn, shared)?;
                } else {
                    writeln!(out, "  n{id}{side} [style=invis, label=\"\"];")?;
                    writeln!(out, "  n{id} -> n{id}{side} [style=invis];")?;
                }
            }
        }
    }
    Ok(())
}

/// Marks `node` and every node below it as shared, stopping at subtrees
/// marked already.
fn mark_shared<K, V, P: PointerKind>(node: NodeRef<'_, K, V, P>, shared: &mut BTreeSet<usize>) {
    if shared.insert(node.id()) {
        for child in [node.left(), node.right()].into_iter().flatten() {
            mark_shared(child, shared);
        }
    }
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
