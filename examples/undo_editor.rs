//! Undo and redo over a persistent map: a tiny spreadsheet whose every edit
//! is a version in a `History`, and whose changes are printed by diffing
//! versions.
//!
//! ```text
//! cargo run --release --example undo_editor
//! ```
//!
//! The sheet is an `AvlMap<(u32, char), String>` keyed by (row, column), so
//! its cells come in reading order: A1, B1, A2, B2, ... Cell B9 holds the
//! total of column B, recomputed by every edit.

use persistent_avl::map::DiffItem;
use persistent_avl::{AvlMap, History, VersionId};

type Sheet = AvlMap<(u32, char), String>;

/// The row of the total, and its cell.
const TOTAL_ROW: u32 = 9;
const TOTAL: (u32, char) = (TOTAL_ROW, 'B');

/// One step of the script a user might type.
enum Step {
    /// Set cells, in one edit (one version); an empty value clears the cell.
    Set(&'static [(&'static str, &'static str)]),
    Undo,
    Redo,
    Checkpoint(&'static str),
    JumpTo(&'static str),
}

const SCRIPT: &[Step] = &[
    Step::Set(&[("A1", "Item"), ("B1", "Price"), ("A9", "Total")]),
    Step::Set(&[("A2", "tea"), ("B2", "3")]),
    Step::Set(&[("A3", "cake"), ("B3", "5")]),
    Step::Checkpoint("priced"),
    Step::Set(&[("B2", "4")]),
    Step::Set(&[("A3", ""), ("B3", "")]),
    Step::Undo,
    Step::Undo,
    Step::Redo,
    // An edit after an undo: the undone version (row 3 cleared) is dropped.
    Step::Set(&[("A4", "jam"), ("B4", "2")]),
    Step::Redo,
    Step::JumpTo("priced"),
];

fn main() {
    let mut history = History::new(Sheet::new());
    println!("Each step makes or moves to a version; its changes are the diff from the");
    println!("version current before the step to the one current after it.\n");
    for (number, step) in SCRIPT.iter().enumerate() {
        let before = history.current_id();
        let action = match step {
            Step::Set(cells) => {
                let undone = history.ids().filter(|&id| id > before).count();
                history.edit(|sheet| {
                    for &(cell, value) in *cells {
                        let key = parse(cell);
                        if value.is_empty() {
                            sheet.remove(&key);
                        } else {
                            sheet.insert(key, value.to_owned());
                        }
                    }
                    recompute_total(sheet);
                });
                let what: Vec<String> = cells
                    .iter()
                    .map(|(cell, value)| match *value {
                        "" => format!("clear {cell}"),
                        value => format!("{cell} = {value}"),
                    })
                    .collect();
                let dropped = match undone {
                    0 => String::new(),
                    n => format!("  (drops {n} undone version{})", plural(n)),
                };
                format!("edit: {}{dropped}", what.join(", "))
            }
            Step::Undo => String::from(if history.undo() {
                "undo"
            } else {
                "undo: nothing to undo"
            }),
            Step::Redo => String::from(if history.redo() {
                "redo"
            } else {
                "redo: nothing to redo"
            }),
            Step::Checkpoint(label) => {
                history.checkpoint(*label);
                format!("checkpoint \"{label}\"")
            }
            Step::JumpTo(label) => {
                let id = history.find_label(label).expect("the label was set");
                assert!(history.jump_to(id));
                format!("jump to \"{label}\"")
            }
        };
        let after = history.current_id();
        let version = if after == before {
            format!("{after}")
        } else {
            format!("{before} -> {after}")
        };
        println!("{:>2}. {action:<52} {version}", number + 1);
        print_changes(&history, before, after);
    }

    println!("\nThe sheet now (version {}):\n", history.current_id());
    print_sheet(history.current());

    println!("\nVersions kept (the cleared-row version was dropped by the edit after undo):");
    for id in history.ids() {
        let sheet = history.get(id).expect("a kept id");
        let mark = if id == history.current_id() {
            "  <- current"
        } else {
            ""
        };
        let label = history
            .label(id)
            .map(|l| format!(" \"{l}\""))
            .unwrap_or_default();
        println!("  {id}{label:<9} {:>2} cells{mark}", sheet.len());
    }
    assert!(
        history.can_redo(),
        "jumping back leaves the later versions to redo"
    );
}

/// Prints what changed from version `from` to version `to`, one cell a line.
fn print_changes(history: &History<Sheet>, from: VersionId, to: VersionId) {
    let diff = history.diff(from, to).expect("both versions are kept");
    for change in diff {
        let line = match change {
            DiffItem::Added(&cell, value) => format!("+ {} = {value:?}", name(cell)),
            DiffItem::Removed(&cell, value) => format!("- {}   (was {value:?})", name(cell)),
            DiffItem::Changed { key, old, new } => {
                format!("~ {} : {old:?} -> {new:?}", name(*key))
            }
        };
        println!("      {line}");
    }
}

/// Sets B9 to the sum of the numbers in column B above it.
fn recompute_total(sheet: &mut Sheet) {
    let total: u32 = sheet
        .range((2, 'B')..(TOTAL_ROW, 'A'))
        .filter(|((_, column), _)| *column == 'B')
        .filter_map(|(_, value)| value.parse::<u32>().ok())
        .sum();
    let total = total.to_string();
    // Writing an equal value would copy the path for nothing (the diff
    // would still report no change, as it compares values).
    if sheet.get(&TOTAL) != Some(&total) {
        sheet.insert(TOTAL, total);
    }
}

fn print_sheet(sheet: &Sheet) {
    println!("       A        B");
    let last_row = sheet.last_key_value().map_or(0, |((row, _), _)| *row);
    for row in 1..=last_row {
        let cell = |column| sheet.get(&(row, column)).map_or("", String::as_str);
        if !cell('A').is_empty() || !cell('B').is_empty() {
            println!("  {row:>2}   {:<8} {:>5}", cell('A'), cell('B'));
        }
    }
}

/// "B2" -> (2, 'B').
fn parse(cell: &str) -> (u32, char) {
    let mut chars = cell.chars();
    let column = chars.next().expect("a column letter");
    (chars.as_str().parse().expect("a row number"), column)
}

/// (2, 'B') -> "B2".
fn name((row, column): (u32, char)) -> String {
    format!("{column}{row}")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
