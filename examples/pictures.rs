//! Writes the Graphviz sources of the pictures in `docs/versions.md`, with
//! the library's own export, `dot::versions_to_dot`.
//!
//! ```text
//! cargo run --example pictures            # writes docs/*.dot
//! for f in docs/*.dot; do dot -Tsvg "$f" -o "${f%.dot}.svg"; done
//! ```
//!
//! An argument names another directory to write into. The node names in the
//! export are addresses; they are renumbered in order of appearance so that
//! every run writes the same files.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use persistent_avl::{AvlMap, History, dot};

fn main() -> std::io::Result<()> {
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("docs"), PathBuf::from);
    std::fs::create_dir_all(&dir)?;

    // (a) The degenerate case: 1..=7 inserted in order.
    let mut plain = PlainBst::default();
    let mut avl = AvlMap::new();
    for k in 1..=7 {
        plain.insert(k);
        avl.insert(k, ());
    }
    write(
        &dir,
        "degenerate-bst",
        &plain.to_dot("plain BST, 1..=7 in order"),
    )?;
    write(
        &dir,
        "degenerate-avl",
        &dot::versions_to_dot(&[("AvlMap, 1..=7 in order", &avl)]),
    )?;

    // (b) Two versions that share all but one path.
    let v1: AvlMap<u32, ()> = (1..=15).map(|k| (k, ())).collect();
    let v2 = v1.inserted(16, ());
    write(
        &dir,
        "path-copy",
        &dot::versions_to_dot(&[("v1 = 1..=15", &v1), ("v2 = v1.inserted(16)", &v2)]),
    )?;

    // (c) A rotation moves shared subtrees to other depths: the diff's case.
    let mut old = AvlMap::new();
    for k in 1..=11 {
        old.insert(k, ());
    }
    let new = old.inserted(12, ());
    write(
        &dir,
        "rotation",
        &dot::versions_to_dot(&[("old = 1..=11", &old), ("new = old.inserted(12)", &new)]),
    )?;

    // (d) A small history's three versions.
    let mut history = History::new((1..=7).map(|k| (k, ())).collect::<AvlMap<u32, ()>>());
    history.edit(|m| _ = m.insert(8, ()));
    history.edit(|m| _ = m.remove(&3));
    let names: Vec<(String, &AvlMap<u32, ()>)> = history
        .ids()
        .zip(["1..=7", "edit: insert 8", "edit: remove 3"])
        .map(|(id, what)| (format!("{id}: {what}"), history.get(id).expect("kept")))
        .collect();
    let versions: Vec<(&str, &AvlMap<u32, ()>)> = names
        .iter()
        .map(|(name, map)| (name.as_str(), *map))
        .collect();
    write(&dir, "history", &dot::versions_to_dot(&versions))?;
    Ok(())
}

fn write(dir: &Path, name: &str, dot: &str) -> std::io::Result<()> {
    let path = dir.join(format!("{name}.dot"));
    std::fs::write(&path, renumber(dot))?;
    println!("wrote {}", path.display());
    Ok(())
}

/// `text` with every node name `n<digits>` (an address) replaced by `n<i>`,
/// i counting distinct names in order of first appearance.
fn renumber(text: &str) -> String {
    let mut names: Vec<&str> = Vec::new();
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_name = bytes[i] == b'n'
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if starts_name {
            let end = (i + 1..bytes.len())
                .find(|&j| !bytes[j].is_ascii_digit())
                .unwrap_or(bytes.len());
            let name = &text[i..end];
            let index = names.iter().position(|&n| n == name).unwrap_or_else(|| {
                names.push(name);
                names.len() - 1
            });
            let _ = write!(out, "n{index}");
            i = end;
        } else {
            let c = text[i..].chars().next().expect("in bounds");
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// A plain binary search tree with no balancing: `(key, left, right)`.
#[derive(Default)]
struct PlainBst {
    nodes: Vec<(u32, Option<usize>, Option<usize>)>,
}

impl PlainBst {
    fn insert(&mut self, key: u32) {
        let new = self.nodes.len();
        let mut at = 0;
        while at < new {
            let (k, left, right) = &mut self.nodes[at];
            if key == *k {
                return;
            }
            let child = if key < *k { left } else { right };
            match *child {
                Some(next) => at = next,
                None => {
                    *child = Some(new);
                    break;
                }
            }
        }
        self.nodes.push((key, None, None));
    }

    /// DOT text in the style of `dot::versions_to_dot`: a box for the tree,
    /// circles for the nodes, invisible stand-ins for missing children.
    fn to_dot(&self, name: &str) -> String {
        let mut out = String::from("digraph versions {\n");
        out += "  node [shape=circle, fontname=\"monospace\"];\n";
        let _ = writeln!(out, "  version0 [shape=box, label=\"{name}\"];");
        if !self.nodes.is_empty() {
            out += "  version0 -> n0;\n";
        }
        for (i, &(key, left, right)) in self.nodes.iter().enumerate() {
            let _ = writeln!(out, "  n{i} [label=\"{key}\"];");
            if left.is_none() && right.is_none() {
                continue;
            }
            for (side, child) in [("l", left), ("r", right)] {
                if let Some(child) = child {
                    let _ = writeln!(out, "  n{i} -> n{child};");
                } else {
                    let _ = writeln!(out, "  n{i}{side} [style=invis, label=\"\"];");
                    let _ = writeln!(out, "  n{i} -> n{i}{side} [style=invis];");
                }
            }
        }
        out + "}\n"
    }
}
