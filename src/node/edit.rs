//! Single-entry insert and remove on `&mut Tree`: in place where this
//! version owns the nodes alone, by copying the path where they are shared.
//!
//! A descent modifies unique nodes where they are. At the first shared node
//! it switches to copying: below that point every node is reachable from
//! another version, so each node on the path is rebuilt from its copied child
//! and its untouched one (the sibling, node or block, gains one reference;
//! nothing is counted twice), and nothing already there is changed. The copy replaces the shared node only
//! once it is complete.
//!
//! At the bottom, an insert goes into a block while it has room; a full
//! block and the new entry become a node of height 1 over two half blocks,
//! which the way up rebalances like a new leaf of the classic tree. A remove
//! from the blocks of a bottom node that leaves it small enough to fit in
//! one block turns it into that block (its height drops from 1 to 0), so
//! blocks do not thin out.
//!
//! A remove rotates only above a subtree that got shorter, which most
//! removes over blocks never make (an entry leaves a block, whose height
//! stays 0). So it walks down once reading only its path; a change that
//! would shorten a subtree below the root stops it before anything changes,
//! and it walks down again making unique the siblings each level's rotation
//! could move. In the classic tree, where nearly every remove shortens a
//! subtree, the one walk prepares from the start.
//!
//! Panics: on unique nodes all user code runs going down (`Ord`) or before
//! anything changes (`Clone` of the siblings a remove may rotate, made
//! unique first); coming back up fixes sizes, heights and balance and calls
//! no user code. The copying part changes nothing until it is installed. So
//! a panic anywhere leaves the tree meaning what it meant.
//!
//! Where a subtree's height did not change, the way up only adjusts sizes:
//! the early stop.

use core::borrow::Borrow;
use core::cmp::Ordering;
use core::mem;

use super::{
    Block, Link, Node, Runs, Sub, Tree, assemble, create, make_rotation_unique, rebalance,
    runs_fitting_one_block, size, split_run,
};
use crate::ptr::PointerKind;

/// What an insert did below a node.
enum Inserted<K, V> {
    /// Added an entry; `grew` when the subtree got taller.
    New { grew: bool },
    /// The key was present: the key not stored and the value replaced.
    Replaced(K, V),
}

/// Where an insert goes: into a node's left or right subtree (or onto its
/// entry, `Equal`), and where in a block (`Ok`: onto that entry).
trait InsertNav<K, V, P: PointerKind> {
    /// The way from a node with this entry and left subtree; only a
    /// navigator that counts reads the left subtree's size (a load of
    /// another node).
    fn node(&mut self, probe: &K, entry: &(K, V), left: &Sub<K, V, P>) -> Ordering;
    fn block(&mut self, probe: &K, entries: &[(K, V)]) -> Result<usize, usize>;
}

/// By the key being inserted.
struct ByKey;

impl<K: Ord, V, P: PointerKind> InsertNav<K, V, P> for ByKey {
    #[inline]
    fn node(&mut self, probe: &K, entry: &(K, V), _: &Sub<K, V, P>) -> Ordering {
        probe.cmp(&entry.0)
    }

    #[inline]
    fn block(&mut self, probe: &K, entries: &[(K, V)]) -> Result<usize, usize> {
        entries.binary_search_by(|(k, _)| k.cmp(probe))
    }
}

/// To in-order position `index` (counting down as it goes), calling no
/// `Ord`: the key is known to belong there.
struct ToPosition(usize);

impl<K, V, P: PointerKind> InsertNav<K, V, P> for ToPosition {
    #[inline]
    fn node(&mut self, _: &K, _: &(K, V), left: &Sub<K, V, P>) -> Ordering {
        let left_size = left.size();
        if self.0 <= left_size {
            Ordering::Less
        } else {
            self.0 -= left_size + 1;
            Ordering::Greater
        }
    }

    #[inline]
    fn block(&mut self, _: &K, _: &[(K, V)]) -> Result<usize, usize> {
        Err(self.0)
    }
}

/// Puts `new` in place of `old`'s entry: the value always, the key too when
/// `replace_key`. Returns the key not stored and the old value.
#[inline]
fn replace_entry<K, V>(old: &mut (K, V), new: (K, V), replace_key: bool) -> (K, V) {
    let value = mem::replace(&mut old.1, new.1);
    let key = if replace_key {
        mem::replace(&mut old.0, new.0)
    } else {
        new.0
    };
    (key, value)
}

/// The subtree that `entries` (a run of height 0: a block's, or none) with
/// `entry` inserted at `at` becomes, and whether it is taller: a block if
/// they fit in one, else a node over two half blocks (with blocks of size 0,
/// the classic new leaf). Clones the entries of `entries`.
#[inline]
fn grown<K: Clone, V: Clone, P: PointerKind>(
    entries: &[(K, V)],
    at: usize,
    entry: (K, V),
) -> (Sub<K, V, P>, bool) {
    if entries.len() < P::BLOCK {
        (
            Sub::Block(Block::joined(&entries[..at], entry, &entries[at..])),
            false,
        )
    } else {
        (Sub::Tree(Some(split_run(entries, at, entry))), true)
    }
}

/// Inserts `entry` into the subtree `slot`, where `nav` leads.
fn insert_sub<K, V, P, N>(
    slot: &mut Sub<K, V, P>,
    entry: (K, V),
    replace_key: bool,
    nav: &mut N,
) -> Inserted<K, V>
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    N: InsertNav<K, V, P>,
{
    let block = match slot {
        Sub::Tree(Some(link)) => return insert_node(link, entry, replace_key, nav),
        Sub::Tree(None) => {
            let (tree, grew) = grown(&[], 0, entry);
            *slot = tree;
            return Inserted::New { grew };
        }
        Sub::Block(block) => block,
    };
    match nav.block(&entry.0, block.entries()) {
        Ok(at) => {
            let (key, value) = replace_entry(&mut block.entries_mut()[at], entry, replace_key);
            Inserted::Replaced(key, value)
        }
        Err(at) => {
            let (tree, grew) = grown(block.entries(), at, entry);
            *slot = tree;
            Inserted::New { grew }
        }
    }
}

/// Inserts `entry` into the subtree of the node `link`, where `nav` leads.
fn insert_node<K, V, P, N>(
    link: &mut Link<K, V, P>,
    entry: (K, V),
    replace_key: bool,
    nav: &mut N,
) -> Inserted<K, V>
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    N: InsertNav<K, V, P>,
{
    let direction = nav.node(&entry.0, &link.entry, &link.left);
    let Some(node) = link.get_mut() else {
        let (copy, outcome) = insert_copy(link, direction, entry, replace_key, nav);
        *link = copy;
        return outcome;
    };
    let child = match direction {
        Ordering::Less => &mut node.left,
        Ordering::Greater => &mut node.right,
        Ordering::Equal => {
            let (key, value) = replace_entry(&mut node.entry, entry, replace_key);
            return Inserted::Replaced(key, value);
        }
    };
    match insert_sub(child, entry, replace_key, nav) {
        Inserted::New { grew: false } => {
            node.add_size(true);
            Inserted::New { grew: false }
        }
        Inserted::New { grew: true } => {
            let before = node.height();
            rebalance(link);
            Inserted::New {
                grew: link.height() > before,
            }
        }
        replaced @ Inserted::Replaced(..) => replaced,
    }
}

/// The copying half of [`insert_node`]: a new subtree equal to the shared
/// `node`'s plus the entry, which `direction` (from `nav`) places.
fn insert_copy<K, V, P, N>(
    node: &Node<K, V, P>,
    direction: Ordering,
    entry: (K, V),
    replace_key: bool,
    nav: &mut N,
) -> (Link<K, V, P>, Inserted<K, V>)
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    N: InsertNav<K, V, P>,
{
    let (left, right, outcome) = match direction {
        // The sibling the copy will share is read on the way down
        // ([`Sub::touch`]), so that the reference count taken on it on the
        // way up (an atomic, which would wait for a miss and stall
        // everything behind it) finds it in cache.
        Ordering::Less => {
            node.right.touch();
            let (left, outcome) = insert_below(&node.left, entry, replace_key, nav);
            (left, node.right.clone(), outcome)
        }
        Ordering::Greater => {
            node.left.touch();
            let (right, outcome) = insert_below(&node.right, entry, replace_key, nav);
            (node.left.clone(), right, outcome)
        }
        Ordering::Equal => {
            let mut stored = node.entry.clone();
            let (key, value) = replace_entry(&mut stored, entry, replace_key);
            let copy = assemble(node.left.clone(), stored, node.right.clone());
            return (copy, Inserted::Replaced(key, value));
        }
    };
    let mut copy = assemble(left, node.entry.clone(), right);
    let outcome = match outcome {
        Inserted::New { grew: true } => {
            rebalance(&mut copy);
            Inserted::New {
                grew: copy.height() > node.height(),
            }
        }
        other => other,
    };
    (copy, outcome)
}

/// [`insert_copy`] into the shared subtree `child`: a copy of it with the
/// entry.
fn insert_below<K, V, P, N>(
    child: &Sub<K, V, P>,
    entry: (K, V),
    replace_key: bool,
    nav: &mut N,
) -> (Sub<K, V, P>, Inserted<K, V>)
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    N: InsertNav<K, V, P>,
{
    let block = match child {
        Sub::Tree(Some(link)) => {
            let direction = nav.node(&entry.0, &link.entry, &link.left);
            let (copy, outcome) = insert_copy(link, direction, entry, replace_key, nav);
            return (Sub::Tree(Some(copy)), outcome);
        }
        Sub::Tree(None) => {
            let (tree, grew) = grown(&[], 0, entry);
            return (tree, Inserted::New { grew });
        }
        Sub::Block(block) => block,
    };
    match nav.block(&entry.0, block.entries()) {
        Ok(at) => {
            let mut copy = block.clone();
            let (key, value) = replace_entry(&mut copy.entries_mut()[at], entry, replace_key);
            (Sub::Block(copy), Inserted::Replaced(key, value))
        }
        Err(at) => {
            let (tree, grew) = grown(block.entries(), at, entry);
            (tree, Inserted::New { grew })
        }
    }
}

/// What a remove going down `path` reads ahead ([`Sub::touch`]): the
/// sibling its copy will share, as an insert does, and the sibling's
/// children when it is the taller, since a rotation on the way up may copy
/// it, taking references on its children.
#[inline]
fn touch_for_remove<K, V, P: PointerKind>(sibling: &Sub<K, V, P>, path: &Sub<K, V, P>) {
    sibling.touch();
    if let Some(node) = sibling.node()
        && node.height() > path.height()
    {
        node.left.touch();
        node.right.touch();
    }
}

/// Inserts or replaces by key. Returns `Some((key, old_value))` when the key
/// was present: the key not stored (the argument, or the old key when
/// `replace_key`) and the value replaced. O(log n).
pub(crate) fn insert_by_key<K, V, P>(
    root: &mut Tree<K, V, P>,
    key: K,
    value: V,
    replace_key: bool,
) -> Option<(K, V)>
where
    K: Ord + Clone,
    V: Clone,
    P: PointerKind,
{
    let Some(link) = root else {
        *root = Some(create(Sub::empty(), (key, value), Sub::empty()));
        return None;
    };
    match insert_node(link, (key, value), replace_key, &mut ByKey) {
        Inserted::Replaced(key, value) => Some((key, value)),
        Inserted::New { .. } => None,
    }
}

/// Inserts a new entry at in-order position `index`, calling no `Ord`.
///
/// Requires: `index <= size(root)`, and the key belongs between the entries
/// at `index - 1` and `index`. O(log n).
pub(crate) fn insert_at<K: Clone, V: Clone, P: PointerKind>(
    root: &mut Tree<K, V, P>,
    index: usize,
    key: K,
    value: V,
) {
    debug_assert!(index <= size(root));
    let Some(link) = root else {
        *root = Some(create(Sub::empty(), (key, value), Sub::empty()));
        return;
    };
    let outcome = insert_node(link, (key, value), false, &mut ToPosition(index));
    debug_assert!(matches!(outcome, Inserted::New { .. }));
}

/// Where a remove goes: into a node's left or right subtree, or its entry
/// (`Equal`), and which entry of a block (`None`: not there).
trait RemoveNav<K, V, P: PointerKind> {
    /// The way from a node with this entry and left subtree. Only a
    /// navigator that counts reads the left subtree's size, which is a load
    /// of another node.
    fn node(&mut self, entry: &(K, V), left: &Sub<K, V, P>) -> Ordering;
    fn block(&mut self, entries: &[(K, V)]) -> Option<usize>;
}

/// To the entry with a key equal to `.0`.
struct ToKey<'q, Q: ?Sized>(&'q Q);

impl<K: Borrow<Q>, V, P: PointerKind, Q: Ord + ?Sized> RemoveNav<K, V, P> for ToKey<'_, Q> {
    #[inline]
    fn node(&mut self, entry: &(K, V), _: &Sub<K, V, P>) -> Ordering {
        self.0.cmp(entry.0.borrow())
    }

    #[inline]
    fn block(&mut self, entries: &[(K, V)]) -> Option<usize> {
        entries
            .binary_search_by(|(k, _)| k.borrow().cmp(self.0))
            .ok()
    }
}

/// To in-order position `.0`, counting down as it goes.
struct ToIndex(usize);

impl<K, V, P: PointerKind> RemoveNav<K, V, P> for ToIndex {
    #[inline]
    fn node(&mut self, _: &(K, V), left: &Sub<K, V, P>) -> Ordering {
        let left_size = left.size();
        let order = self.0.cmp(&left_size);
        if order == Ordering::Greater {
            self.0 -= left_size + 1;
        }
        order
    }

    #[inline]
    fn block(&mut self, entries: &[(K, V)]) -> Option<usize> {
        (self.0 < entries.len()).then_some(self.0)
    }
}

/// What becomes of a node after a remove below or at it.
enum After<K, V, P: PointerKind> {
    /// It stays (or its copy took its place); `shrank` when its subtree got
    /// shorter.
    Stays { shrank: bool },
    /// It gives way to one of its subtrees (the other being empty), which
    /// takes its place: its own entry was the one removed.
    GivesWayTo { left: bool },
    /// A subtree one shorter and not a node takes its place: the node's two
    /// runs and its entry merged into one block as one of them went, or,
    /// when it was shared, a copy of its subtree without the entry.
    Becomes(Sub<K, V, P>),
}

/// A remove's result at a node: the entry removed, unless it is the node's
/// own and still in it, and what becomes of the node.
type Outcome<K, V, P> = (Option<(K, V)>, After<K, V, P>);

/// One walk down of a remove.
struct Walk<K, V, P: PointerKind> {
    /// Whether this walk makes unique, going down, the nodes each level's
    /// rotation could move ([`make_rotation_unique`]).
    prepared: bool,
    /// A copy of a shared node's subtree without the entry, made by an
    /// unprepared walk that then stopped because the copy is shorter: the
    /// prepared walk after it reaches the same node (when `Ord` is
    /// consistent) and installs this copy rather than making it again.
    copied: Option<Copied<K, V, P>>,
}

/// A shared node, and a copy of its subtree without the entry removed.
struct Copied<K, V, P: PointerKind> {
    of: Link<K, V, P>,
    removed: Removed<K, V, P>,
}

/// Why an in-place remove stopped, having changed nothing.
enum Halt {
    /// No entry is where the navigator leads.
    Absent,
    /// A subtree below the root would get shorter, so a node above it may
    /// rotate, and this try did not make the nodes a rotation moves unique
    /// on its way down ([`make_rotation_unique`]): the caller tries again,
    /// making them unique.
    Unprepared,
}

/// Replaces the node in `link`, unique, as `after` says, returning the
/// subtree that takes its place and, when the node's own entry was the one
/// removed, that entry. Moves entries; calls no user code.
fn give_way<K: Clone, V: Clone, P: PointerKind>(
    link: Link<K, V, P>,
    after: After<K, V, P>,
) -> (Sub<K, V, P>, Option<(K, V)>) {
    if let After::Becomes(replacement) = after {
        return (replacement, None);
    }
    let (left, entry, right) = link.into_node().into_parts();
    match after {
        After::GivesWayTo { left: true } => (left, Some(entry)),
        _ => (right, Some(entry)),
    }
}

/// A bottom node's two runs, and the index of the entry that goes among
/// them and the node's own entry (left run, node's entry, right run).
type Merging<'a, K, V> = (Runs<'a, K, V>, usize);

/// When `node`'s children are both runs (blocks or nothing) that, with its
/// entry, hold at most one block's worth once one entry goes: the two runs,
/// and the index, among them and the node's entry, of the entry `nav` leads
/// to (which goes `direction` from the node), or [`Halt::Absent`].
/// `Ok(None)` when the runs do not fit. The rule that keeps blocks from
/// thinning out as entries are removed: the node becomes one block, its
/// height dropping from 1 to 0.
fn merge_index<'a, K, V, P: PointerKind, N: RemoveNav<K, V, P>>(
    node: &'a Node<K, V, P>,
    direction: Ordering,
    nav: &mut N,
) -> Result<Option<Merging<'a, K, V>>, Halt> {
    let (Some(left), Some(right)) = (node.left.run(), node.right.run()) else {
        return Ok(None);
    };
    if left.len() + right.len() > P::BLOCK {
        return Ok(None);
    }
    let index = match direction {
        Ordering::Less => nav.block(left),
        Ordering::Equal => Some(left.len()),
        Ordering::Greater => nav.block(right).map(|at| left.len() + 1 + at),
    };
    let index = index.ok_or(Halt::Absent)?;
    Ok(Some(((left, right), index)))
}

/// The entry at `index` among a node's two runs and its own entry
/// (`middle`), and the one block the rest makes, which takes the node's
/// place; both cloned, changing nothing. Requires: [`merge_index`] gave the
/// runs and `index`.
fn merge_without<K: Clone, V: Clone, P: PointerKind>(
    (left, right): Runs<'_, K, V>,
    middle: &(K, V),
    index: usize,
) -> Outcome<K, V, P> {
    let entry = match index.cmp(&left.len()) {
        Ordering::Less => &left[index],
        Ordering::Equal => middle,
        Ordering::Greater => &right[index - left.len() - 1],
    };
    let merged = Block::merged_without(left, middle, right, index);
    (Some(entry.clone()), After::Becomes(Sub::Block(merged)))
}

/// Removes the entry `nav` leads to from the unique-or-shared node `link`,
/// in place where unique. Returns the entry (unless the node's own entry
/// was removed and the caller takes it out with [`give_way`]) and what
/// becomes of the node, or why it stopped, having changed nothing.
///
/// `at_root` for a version's root, which stays a node and has no node above
/// to rebalance. A walk that is not `prepared` stops, before changing
/// anything, where a subtree below the root would get shorter
/// ([`Halt::Unprepared`]); most removes shorten nothing (an entry leaves a
/// block, whose height stays 0), and skip reading the siblings.
fn remove_node<K, V, P, N>(
    link: &mut Link<K, V, P>,
    nav: &mut N,
    at_root: bool,
    walk: &mut Walk<K, V, P>,
) -> Result<Outcome<K, V, P>, Halt>
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    N: RemoveNav<K, V, P>,
{
    let unprepared = !at_root && !walk.prepared;
    let Some(node) = link.get_mut() else {
        let removed = match walk.copied.take() {
            Some(Copied { of, removed }) if Link::ptr_eq(&of, link) => removed,
            _ => remove_copy(link, nav, !at_root).ok_or(Halt::Absent)?,
        };
        if removed.shrank && unprepared {
            walk.copied = Some(Copied {
                of: link.clone(),
                removed,
            });
            return Err(Halt::Unprepared);
        }
        let after = match removed.tree {
            Sub::Tree(Some(copy)) => {
                *link = copy;
                After::Stays {
                    shrank: removed.shrank,
                }
            }
            other => After::Becomes(other),
        };
        return Ok((Some(removed.entry), after));
    };
    let direction = nav.node(&node.entry, &node.left);
    if direction == Ordering::Equal && (node.left.is_empty() || node.right.is_empty()) {
        if unprepared {
            return Err(Halt::Unprepared);
        }
        return Ok((
            None,
            After::GivesWayTo {
                left: node.right.is_empty(),
            },
        ));
    }
    if !at_root && let Some((runs, index)) = merge_index(node, direction, nav)? {
        if unprepared {
            return Err(Halt::Unprepared);
        }
        return Ok(merge_without(runs, &node.entry, index));
    }
    if walk.prepared {
        make_rotation_unique(node, direction == Ordering::Less);
    }
    let (entry, shrank) = match direction {
        Ordering::Less => remove_sub(&mut node.left, nav, walk)?,
        Ordering::Greater => remove_sub(&mut node.right, nav, walk)?,
        Ordering::Equal => {
            // Two subtrees: the successor takes this entry's place.
            let (successor, shrank) = remove_sub(&mut node.right, &mut ToIndex(0), walk)?;
            (mem::replace(&mut node.entry, successor), shrank)
        }
    };
    if !shrank {
        node.add_size(false);
        return Ok((Some(entry), After::Stays { shrank: false }));
    }
    let before = node.height();
    rebalance(link);
    Ok((
        Some(entry),
        After::Stays {
            shrank: link.height() < before,
        },
    ))
}

/// Removes the entry `nav` leads to from the subtree `slot`. Returns it and
/// whether the subtree got shorter, or why it stopped, having changed
/// nothing.
fn remove_sub<K, V, P, N>(
    slot: &mut Sub<K, V, P>,
    nav: &mut N,
    walk: &mut Walk<K, V, P>,
) -> Result<((K, V), bool), Halt>
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    N: RemoveNav<K, V, P>,
{
    let link = match slot {
        Sub::Block(block) => {
            let index = nav.block(block.entries()).ok_or(Halt::Absent)?;
            let (rest, entry) = block.removed(index);
            *slot = Sub::from_block(rest);
            return Ok((entry, false));
        }
        Sub::Tree(None) => return Err(Halt::Absent),
        Sub::Tree(Some(link)) => link,
    };
    let (entry, after) = remove_node(link, nav, false, walk)?;
    if let After::Stays { shrank } = after {
        return entry.map(|entry| (entry, shrank)).ok_or(Halt::Absent);
    }
    let Sub::Tree(Some(old)) = slot.take() else {
        return Err(Halt::Absent);
    };
    let (replacement, own) = give_way(old, after);
    *slot = replacement;
    entry.or(own).map(|entry| (entry, true)).ok_or(Halt::Absent)
}

/// An entry taken out of a subtree, and what is left of it.
struct Removed<K, V, P: PointerKind> {
    tree: Sub<K, V, P>,
    shrank: bool,
    entry: (K, V),
}

/// The copying half of the remove: the shared `node`'s subtree without the
/// entry `nav` leads to (`Less` left, `Greater` right, `Equal` here), which
/// is returned cloned. Copies the path, the block the entry leaves, and the
/// nodes a rebalancing rotation moves. `None`, copying nothing, when
/// `nav` leads off the tree.
fn remove_copy<K, V, P, N>(
    node: &Node<K, V, P>,
    nav: &mut N,
    may_merge: bool,
) -> Option<Removed<K, V, P>>
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    N: RemoveNav<K, V, P>,
{
    match nav.node(&node.entry, &node.left) {
        Ordering::Less => {
            touch_for_remove(&node.right, &node.left);
            let below = remove_copy_sub(&node.left, nav)?;
            let copy = assemble(below.tree, node.entry.clone(), node.right.clone());
            Some(finish_copy(
                node,
                copy,
                below.shrank,
                below.entry,
                may_merge,
            ))
        }
        Ordering::Greater => {
            touch_for_remove(&node.left, &node.right);
            let below = remove_copy_sub(&node.right, nav)?;
            let copy = assemble(node.left.clone(), node.entry.clone(), below.tree);
            Some(finish_copy(
                node,
                copy,
                below.shrank,
                below.entry,
                may_merge,
            ))
        }
        Ordering::Equal => {
            let entry = node.entry.clone();
            if node.left.is_empty() || node.right.is_empty() {
                // At most one subtree holds entries: it takes this node's
                // place.
                let tree = if node.left.is_empty() {
                    node.right.clone()
                } else {
                    node.left.clone()
                };
                return Some(Removed {
                    tree,
                    shrank: true,
                    entry,
                });
            }
            // Two subtrees: the successor takes this entry's place.
            let successor = remove_copy_sub(&node.right, &mut ToIndex(0))?;
            let copy = assemble(node.left.clone(), successor.entry, successor.tree);
            Some(finish_copy(node, copy, successor.shrank, entry, may_merge))
        }
    }
}

/// [`remove_copy`] below a node: into a shared node, or a copy of a block
/// without the entry.
fn remove_copy_sub<K, V, P, N>(sub: &Sub<K, V, P>, nav: &mut N) -> Option<Removed<K, V, P>>
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    N: RemoveNav<K, V, P>,
{
    match sub {
        Sub::Tree(Some(link)) => remove_copy(link, nav, true),
        Sub::Tree(None) => None,
        Sub::Block(block) => {
            let at = nav.block(block.entries())?;
            let (rest, entry) = block.removed(at);
            Some(Removed {
                tree: Sub::from_block(rest),
                shrank: false,
                entry,
            })
        }
    }
}

/// Rebalances `copy`, a copy of `node` one entry smaller, if its changed
/// child shrank (or merges it into one block, as the in-place remove does),
/// and packs up the result.
fn finish_copy<K: Clone, V: Clone, P: PointerKind>(
    node: &Node<K, V, P>,
    mut copy: Link<K, V, P>,
    child_shrank: bool,
    entry: (K, V),
    may_merge: bool,
) -> Removed<K, V, P> {
    // Only a node that was at the bottom (height 1, over two runs) merges:
    // as in place, its subtree then shrinks by exactly one.
    if may_merge
        && node.height() == 1
        && let Some((left, right)) = runs_fitting_one_block(&copy.left, &copy.right)
    {
        return Removed {
            tree: Sub::Block(Block::joined(left, copy.entry.clone(), right)),
            shrank: true,
            entry,
        };
    }
    let shrank = child_shrank && {
        rebalance(&mut copy);
        copy.height() < node.height()
    };
    Removed {
        tree: Sub::Tree(Some(copy)),
        shrank,
        entry,
    }
}

/// Removes from a version's tree the entry that a navigator made by `nav`
/// leads to: in place where its nodes are unique, copying the path below
/// the first shared one (where nothing is copied unless the entry is
/// there). The first walk prepares the rotations when `prepare` (the
/// caller knows the entry is there); otherwise a second walk, with a new
/// navigator, does where a subtree would get shorter. O(log n).
fn remove_from_root<K, V, P, N>(
    root: &mut Tree<K, V, P>,
    nav: impl Fn() -> N,
    prepare: bool,
) -> Option<(K, V)>
where
    K: Clone,
    V: Clone,
    P: PointerKind,
    N: RemoveNav<K, V, P>,
{
    let link = root.as_mut()?;
    let mut walk = Walk {
        prepared: prepare,
        copied: None,
    };
    let (entry, after) = match remove_node(link, &mut nav(), true, &mut walk) {
        Ok(done) => done,
        Err(Halt::Absent) => return None,
        Err(Halt::Unprepared) => {
            walk.prepared = true;
            remove_node(link, &mut nav(), true, &mut walk).ok()?
        }
    };
    let heir = match after {
        After::Stays { .. } => return entry,
        After::Becomes(copy) => copy.into_tree(),
        After::GivesWayTo { left } => {
            // The root's own entry goes and a child takes its place; a
            // block is made a node first (cloning), before anything changes.
            let node = root.as_ref()?;
            let child = if left { &node.left } else { &node.right };
            child.clone().into_tree()
        }
    };
    let old = mem::replace(root, heir)?;
    entry.or_else(|| Some(old.into_node().entry))
}

/// Removes and returns the entry with a key equal to `key`, or `None`,
/// changing nothing and allocating nothing, when there is none. O(log n);
/// copies the path below the first shared node, and the nodes a rotation
/// moves.
pub(crate) fn remove_by_key<K, V, P, Q>(root: &mut Tree<K, V, P>, key: &Q) -> Option<(K, V)>
where
    K: Borrow<Q> + Clone,
    V: Clone,
    P: PointerKind,
    Q: Ord + ?Sized,
{
    // In a tree of one entry per node nearly every remove shortens a
    // subtree (the node that leaves, or the successor that takes its place,
    // is at the bottom), so a first walk that does not prepare rotations
    // would nearly always stop and walk again. When the root is this
    // version's own, a search that changes nothing finds the entry's
    // position (its loads of the siblings, to count, are the ones the
    // preparing walk then makes), and one walk to that position prepares
    // and removes. A shared root is copied in one walk.
    if P::BLOCK == 0 && root.as_mut().is_some_and(|link| link.get_mut().is_some()) {
        let index = super::search(root, key).ok()?;
        return remove_from_root(root, || ToIndex(index), true);
    }
    remove_from_root(root, || ToKey(key), false)
}

/// Removes and returns the entry at in-order position `index`, or `None`
/// (changing nothing, allocating nothing) when `index >= size`. Calls no
/// `Ord`. O(log n); copies at most the path and two nodes beside each of its
/// levels when shared.
pub(crate) fn remove_at<K: Clone, V: Clone, P: PointerKind>(
    root: &mut Tree<K, V, P>,
    index: usize,
) -> Option<(K, V)> {
    if index >= size(root) {
        return None;
    }
    // The entry is there: in a tree of one entry per node, prepare the
    // rotations in the one walk (see `remove_by_key`).
    remove_from_root(root, || ToIndex(index), P::BLOCK == 0)
}

/// The value of the entry with a key equal to `key`, made mutable by copying
/// the shared nodes on its path and the block it is in, if shared; `None`,
/// copying nothing, when the key is absent. O(log n).
///
/// One walk down, which makes each node unique as it passes. Where the
/// path first meets a shared node, a read-only search from there makes
/// sure the key is below before anything is copied; an unshared path is
/// walked once, and no subtree sizes are read.
pub(crate) fn find_mut<'a, K, V, P, Q>(root: &'a mut Tree<K, V, P>, key: &Q) -> Option<&'a mut V>
where
    K: Borrow<Q> + Clone,
    V: Clone,
    P: PointerKind,
    Q: Ord + ?Sized,
{
    let mut link = root.as_mut()?;
    let mut present = false;
    loop {
        if !present && link.is_shared() {
            super::find_in(link, key)?;
            present = true;
        }
        let node = link.make_mut();
        let next = match key.cmp(node.entry.0.borrow()) {
            Ordering::Less => &mut node.left,
            Ordering::Equal => return Some(&mut node.entry.1),
            Ordering::Greater => &mut node.right,
        };
        match next {
            Sub::Tree(Some(next)) => link = next,
            Sub::Tree(None) => return None,
            Sub::Block(block) => {
                let at = block.search(key).ok()?;
                return block.entries_mut().get_mut(at).map(|(_, value)| value);
            }
        }
    }
}

/// The entry at `index`, its value made mutable by copying the shared nodes
/// on its path; `None`, copying nothing, when `index >= size`. O(log n).
pub(crate) fn get_at_mut<K: Clone, V: Clone, P: PointerKind>(
    root: &mut Tree<K, V, P>,
    index: usize,
) -> Option<(&K, &mut V)> {
    if index >= size(root) {
        return None;
    }
    let mut index = index;
    let mut node: &mut Node<K, V, P> = root.as_mut()?.make_mut();
    loop {
        let left = node.left.size();
        let next = match index.cmp(&left) {
            Ordering::Less => &mut node.left,
            Ordering::Equal => return Some((&node.entry.0, &mut node.entry.1)),
            Ordering::Greater => {
                index -= left + 1;
                &mut node.right
            }
        };
        match next {
            Sub::Tree(Some(link)) => node = link.make_mut(),
            Sub::Tree(None) => return None,
            Sub::Block(block) => {
                let (key, value) = block.entries_mut().get_mut(index)?;
                return Some((&*key, value));
            }
        }
    }
}
