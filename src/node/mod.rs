//! The raw tree: node layout, heights and sizes, rotations and the
//! operations every face is built from.
//!
//! Nothing outside this module reads or writes a node's height or size.
//!
//! # Layout
//!
//! A tree is an AVL tree of nodes, each holding one entry, whose subtrees
//! ([`Sub`]) are nodes, blocks or nothing. A block ([`Block`], in
//! `leaf.rs`) is a sorted run of one to `P::BLOCK` entries in one shared
//! allocation, which the node above points to: shared on its own, like a
//! node. A block counts as height 0, as the empty subtree does, so the AVL
//! rule and the rotations see only nodes. With `P::BLOCK == 0` there are no
//! blocks and the tree is the classic AVL tree of one entry per node.
//!
//! A version's root is always a node (or nothing), so that cloning a version
//! is one reference count whatever its size.
//!
//! # Invariants
//!
//! Every tree reachable from any version satisfies:
//!
//! - (I1) in-order keys are strictly ascending (as far as `Ord` is consistent);
//! - (I2) `height == 1 + max(height(left), height(right))`; a block, empty or
//!   not, has height 0;
//! - (I3) `|height(left) - height(right)| <= 1` (the AVL rule);
//! - (I4) `size == 1 + size(left) + size(right)`; a block's size is its
//!   length;
//! - (I5) no block holds more than `P::BLOCK` entries.
//!
//! # Sharing and mutation
//!
//! Nodes are immutable once shared. Operations come in two shapes:
//!
//! - in place, on `&mut Tree` (`edit.rs`): each node on the path is made
//!   unique with `make_mut` (a no-op when it already is, one copy when it is
//!   shared), then changed. All user code (`Ord`, `Clone`) runs before the
//!   first change that alters what the tree means; the upward pass that fixes
//!   heights, sizes and balance runs none, so a panic leaves the tree as it
//!   was;
//! - by value, on owned subtrees (`join.rs`, `build.rs`): nodes are taken
//!   apart with `unwrap_or_clone` and new ones made with [`create`], so a
//!   unique node is reused and a shared one copied. Callers that need their
//!   input to survive a panic pass a clone of the root.

mod build;
mod check;
mod diff;
mod edit;
mod fork;
mod iter;
mod join;
mod leaf;
#[cfg(feature = "serde")]
mod parts;
mod search;
mod set_ops;
#[cfg(test)]
mod tests;

pub(crate) use build::{Keep, build_sorted, collect_sorted};
#[cfg(feature = "rayon")]
pub(crate) use build::{build_pair, dedup_sorted, halving_cut, merge_sorted};
pub use check::InvariantViolation;
pub(crate) use check::check;
pub(crate) use diff::Zip;
pub(crate) use edit::{find_mut, get_at_mut, insert_at, insert_by_key, remove_at, remove_by_key};
pub(crate) use fork::Seq;
#[cfg(feature = "rayon")]
pub(crate) use fork::{Fork, Task};
pub(crate) use iter::{Lent, Owned, RawIter, Unfold, Window};
pub(crate) use join::{split_at, split_key};
pub(crate) use leaf::Block;
#[cfg(feature = "serde")]
pub(crate) use parts::{Invalid, PartRef, PartTable, Rebuild, SavedPart};
pub(crate) use search::{Side, find, find_in, neighbour, nth, search};
pub(crate) use set_ops::{
    Both, Combine, Combined, FirstEntry, FirstKeySecondValue, Neither, OnShared,
};
pub(crate) use set_ops::{filter, filter_map, map_values, merge};

use alloc::vec::Vec;

use crate::ptr::PointerKind;

/// A shared pointer to a node. A newtype rather than an alias of
/// `P::Ptr<Node>`, so that `P` can be inferred from it.
pub(crate) struct Link<K, V, P: PointerKind>(P::Ptr<Node<K, V, P>>);

impl<K, V, P: PointerKind> Clone for Link<K, V, P> {
    #[inline]
    fn clone(&self) -> Self {
        Link(self.0.clone())
    }
}

impl<K, V, P: PointerKind> core::ops::Deref for Link<K, V, P> {
    type Target = Node<K, V, P>;

    #[inline]
    fn deref(&self) -> &Node<K, V, P> {
        &self.0
    }
}

impl<K, V, P: PointerKind> Link<K, V, P> {
    /// Whether the two links point to one node.
    #[inline]
    pub(crate) fn ptr_eq(a: &Self, b: &Self) -> bool {
        P::ptr_eq(&a.0, &b.0)
    }

    /// Whether another link points to the node too. O(1).
    #[inline]
    pub(crate) fn is_shared(&self) -> bool {
        P::strong_count(&self.0) > 1
    }

    /// The node, mutably, if no other link points to it.
    #[inline]
    pub(crate) fn get_mut(&mut self) -> Option<&mut Node<K, V, P>> {
        P::get_mut(&mut self.0)
    }

    /// The node, made unique first by copying it if it is shared.
    #[inline]
    pub(crate) fn make_mut(&mut self) -> &mut Node<K, V, P>
    where
        K: Clone,
        V: Clone,
    {
        P::make_mut(&mut self.0)
    }

    /// The node by value: moved out if unique, copied if shared.
    #[inline]
    pub(crate) fn into_node(self) -> Node<K, V, P>
    where
        K: Clone,
        V: Clone,
    {
        P::unwrap_or_clone(self.0)
    }
}

/// A version's tree: its root node, or nothing.
pub(crate) type Tree<K, V, P> = Option<Link<K, V, P>>;

/// A subtree: a node, a block of entries, or nothing. Sixteen bytes: the
/// empty subtree is a `Tree` rather than a third variant, so that it fits
/// beside the block's pointer. Eight in a tree without blocks
/// ([`crate::Classic`]), whose block type has no values: the enum is then
/// the node pointer alone.
pub(crate) enum Sub<K, V, P: PointerKind> {
    /// A node (`Some`) or the empty subtree (`None`, height 0).
    Tree(Tree<K, V, P>),
    /// A block (height 0).
    Block(Block<K, V, P>),
}

impl<K, V, P: PointerKind> Clone for Sub<K, V, P> {
    /// Another reference to the same subtree. O(1).
    #[inline]
    fn clone(&self) -> Self {
        match self {
            Sub::Tree(tree) => Sub::Tree(tree.clone()),
            Sub::Block(block) => Sub::Block(block.clone()),
        }
    }
}

impl<K, V, P: PointerKind> Sub<K, V, P> {
    /// The empty subtree.
    #[inline]
    pub(crate) const fn empty() -> Self {
        Sub::Tree(None)
    }

    /// A block of `run` (in strictly ascending key order), or the empty
    /// subtree for an empty run. Moves the entries.
    #[inline]
    pub(crate) fn from_run(run: Vec<(K, V)>) -> Self {
        Block::from_vec(run).map_or(Sub::empty(), Sub::Block)
    }

    /// A block, or the empty subtree for `None`.
    #[inline]
    pub(crate) fn from_block(block: Option<Block<K, V, P>>) -> Self {
        block.map_or(Sub::empty(), Sub::Block)
    }

    /// The node, if this is one.
    #[inline]
    pub(crate) fn node(&self) -> Option<&Link<K, V, P>> {
        match self {
            Sub::Tree(tree) => tree.as_ref(),
            Sub::Block(_) => None,
        }
    }

    /// The entries, if this is a run of height 0: a block's, or none for
    /// the empty subtree. `None` for a node.
    #[inline]
    pub(crate) fn run(&self) -> Option<&[(K, V)]> {
        match self {
            Sub::Tree(None) => Some(&[]),
            Sub::Tree(Some(_)) => None,
            Sub::Block(block) => Some(block.entries()),
        }
    }

    /// Reads the root of this subtree from memory (a node's height, or a
    /// block's reference count) and drops the value: its cache line then
    /// comes in while other work goes on, so that what later reads it (a
    /// reference count taken on it, or a walk entering it) finds it in
    /// cache. O(1).
    #[inline]
    pub(crate) fn touch(&self) {
        match self {
            Sub::Tree(Some(link)) => {
                core::hint::black_box(link.height());
            }
            Sub::Tree(None) => {}
            Sub::Block(block) => block.touch(),
        }
    }

    /// Height: a node's, or 0 for a block or nothing (I2). O(1).
    #[inline]
    pub(crate) fn height(&self) -> usize {
        match self {
            Sub::Tree(Some(link)) => link.height(),
            _ => 0,
        }
    }

    /// Number of entries. O(1).
    #[inline]
    pub(crate) fn size(&self) -> usize {
        match self {
            Sub::Tree(tree) => size(tree),
            Sub::Block(block) => block.len(),
        }
    }

    /// Whether the two are one subtree: the same node or block (one
    /// pointer), or both empty. O(1).
    #[inline]
    pub(crate) fn same(a: &Self, b: &Self) -> bool {
        match (a, b) {
            (Sub::Tree(None), Sub::Tree(None)) => true,
            (Sub::Tree(Some(x)), Sub::Tree(Some(y))) => Link::ptr_eq(x, y),
            (Sub::Block(x), Sub::Block(y)) => Block::ptr_eq(x, y),
            _ => false,
        }
    }

    /// Whether this holds no entry.
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        matches!(self, Sub::Tree(None))
    }

    /// Takes the subtree out, leaving the empty one.
    #[inline]
    pub(crate) fn take(&mut self) -> Self {
        core::mem::replace(self, Sub::empty())
    }

    /// The subtree as a version's root: a node as it is, nothing for the
    /// empty subtree, and a block made into a node holding its first entry
    /// over a block of the rest on its right (two allocations, or one for a
    /// block of one entry), the shape ascending inserts grow.
    pub(crate) fn into_tree(self) -> Tree<K, V, P>
    where
        K: Clone,
        V: Clone,
    {
        match self {
            Sub::Tree(tree) => tree,
            Sub::Block(block) => {
                let (first, rest) = block.entries().split_first()?;
                let rest = Sub::from_block(Block::of(rest));
                Some(create(Sub::empty(), first.clone(), rest))
            }
        }
    }

    /// A version's root as a subtree.
    #[inline]
    pub(crate) fn from_tree(tree: Tree<K, V, P>) -> Self {
        Sub::Tree(tree)
    }
}

/// Bits of `meta` that hold the height; the rest hold the size.
const HEIGHT_BITS: u32 = 8;
const HEIGHT_MASK: u64 = (1 << HEIGHT_BITS) - 1;

/// One entry and its two subtrees.
///
/// For `u64` keys and values on a 64-bit target the node is 56 bytes, 72
/// with the reference counts of its `Arc` or `Rc` allocation; 40 and 56 in
/// a tree without blocks, whose subtrees take 8 bytes rather than 16.
pub(crate) struct Node<K, V, P: PointerKind> {
    pub(crate) left: Sub<K, V, P>,
    pub(crate) right: Sub<K, V, P>,
    /// `size << 8 | height`: height needs 7 bits for any tree that fits in
    /// memory (I2 and the AVL bound), leaving 56 for the size.
    meta: u64,
    pub(crate) entry: (K, V),
}

impl<K: Clone, V: Clone, P: PointerKind> Clone for Node<K, V, P> {
    fn clone(&self) -> Self {
        Node {
            left: self.left.clone(),
            right: self.right.clone(),
            meta: self.meta,
            entry: self.entry.clone(),
        }
    }
}

impl<K, V, P: PointerKind> Node<K, V, P> {
    /// Height of the subtree rooted here (a node over two blocks has height
    /// 1). O(1).
    #[inline]
    pub(crate) fn height(&self) -> usize {
        // The mask keeps 8 bits, which always fit a `usize`.
        (self.meta & HEIGHT_MASK) as usize
    }

    /// Number of entries in the subtree rooted here. O(1).
    #[inline]
    pub(crate) fn size(&self) -> usize {
        // A size counts entries that exist in memory, so it fits a `usize`.
        #[allow(clippy::cast_possible_truncation)]
        let size = (self.meta >> HEIGHT_BITS) as usize;
        size
    }

    /// The node's key.
    #[inline]
    pub(crate) fn key(&self) -> &K {
        &self.entry.0
    }

    /// `height(left) - height(right)`: the balance factor.
    #[inline]
    pub(crate) fn balance(&self) -> isize {
        signed(self.left.height()) - signed(self.right.height())
    }

    /// Recomputes height and size from the children (I2, I4). O(1).
    #[inline]
    pub(super) fn fix(&mut self) {
        let h = 1 + self.left.height().max(self.right.height());
        let s = 1 + self.left.size() + self.right.size();
        self.meta = ((s as u64) << HEIGHT_BITS) | h as u64;
    }

    /// Adds one to the size (`grew`) or takes one away, height unchanged:
    /// the early stop, taken when a child's height did not change.
    #[inline]
    fn add_size(&mut self, grew: bool) {
        let one = 1 << HEIGHT_BITS;
        self.meta = if grew {
            self.meta + one
        } else {
            self.meta - one
        };
    }

    /// The node's parts, consuming it.
    #[inline]
    pub(crate) fn into_parts(self) -> Parts<K, V, P> {
        (self.left, self.entry, self.right)
    }
}

/// A node taken apart: left subtree, entry, right subtree.
pub(crate) type Parts<K, V, P> = (Sub<K, V, P>, (K, V), Sub<K, V, P>);

/// Height of a possibly empty tree. O(1).
#[inline]
pub(crate) fn height<K, V, P: PointerKind>(tree: &Tree<K, V, P>) -> usize {
    tree.as_ref().map_or(0, |n| n.height())
}

/// Number of entries of a possibly empty tree. O(1).
#[inline]
pub(crate) fn size<K, V, P: PointerKind>(tree: &Tree<K, V, P>) -> usize {
    tree.as_ref().map_or(0, |n| n.size())
}

/// Heights are tiny (at most about 92 for any tree that fits in memory), so
/// the conversion never wraps.
#[inline]
#[allow(clippy::cast_possible_wrap)]
fn signed(h: usize) -> isize {
    h as isize
}

/// Makes a node of `left`, the entry and `right`.
///
/// Requires: `|height(left) - height(right)| <= 1`; every key of `left` is
/// below the entry's and every key of `right` above it.
#[inline]
pub(crate) fn create<K, V, P: PointerKind>(
    left: Sub<K, V, P>,
    entry: (K, V),
    right: Sub<K, V, P>,
) -> Link<K, V, P> {
    debug_assert!(left.height().abs_diff(right.height()) <= 1);
    assemble(left, entry, right)
}

/// Makes a node of `left`, the entry and `right`, with no balance
/// requirement: for callers that [`rebalance`] it next.
///
/// Requires: every key of `left` is below the entry's and every key of
/// `right` above it.
#[inline]
pub(crate) fn assemble<K, V, P: PointerKind>(
    left: Sub<K, V, P>,
    entry: (K, V),
    right: Sub<K, V, P>,
) -> Link<K, V, P> {
    let mut node = Node {
        left,
        right,
        meta: 0,
        entry,
    };
    node.fix();
    Link(P::new(node))
}

/// The subtree of `left`, the entry and `right`, as [`create`] makes it,
/// except that two runs (blocks or nothing) that fit in one block with the
/// entry become that block (height 0 rather than 1): the rule that keeps
/// blocks from thinning out as entries are removed, split and joined.
///
/// Requires: as [`create`].
pub(crate) fn node_or_block<K: Clone, V: Clone, P: PointerKind>(
    left: Sub<K, V, P>,
    entry: (K, V),
    right: Sub<K, V, P>,
) -> Sub<K, V, P> {
    if let Some((l, r)) = runs_fitting_one_block(&left, &right) {
        return Sub::Block(Block::joined(l, entry, r));
    }
    Sub::Tree(Some(create(left, entry, right)))
}

/// Two runs of entries, side by side.
pub(crate) type Runs<'a, K, V> = (&'a [(K, V)], &'a [(K, V)]);

/// The entries of `left` and `right` when both are runs (blocks or
/// nothing) that fit in one block with one entry more between them: the
/// subtrees a node over them would merge into one block.
#[inline]
pub(crate) fn runs_fitting_one_block<'a, K, V, P: PointerKind>(
    left: &'a Sub<K, V, P>,
    right: &'a Sub<K, V, P>,
) -> Option<Runs<'a, K, V>> {
    let (l, r) = (left.run()?, right.run()?);
    (l.len() + 1 + r.len() <= P::BLOCK).then_some((l, r))
}

/// A node of height 1 holding `run` with `entry` inserted at `at`, more
/// entries than fit in one block: its middle entry, and the halves before
/// and after it as blocks. Clones the entries of `run`.
///
/// Requires: `run` in strictly ascending key order, `entry` belonging at
/// `at`, and at most `2 * P::BLOCK + 1` entries in all.
pub(crate) fn split_run<K: Clone, V: Clone, P: PointerKind>(
    run: &[(K, V)],
    at: usize,
    entry: (K, V),
) -> Link<K, V, P> {
    debug_assert!(run.len() < 2 * P::BLOCK + 1);
    // The middle of the `run.len() + 1` entries: (run.len() + 1) / 2.
    let middle = run.len().div_ceil(2);
    let (lower, middle_entry, upper) = match at.cmp(&middle) {
        // The new entry is in the lower half, which takes one entry fewer
        // from `run`.
        core::cmp::Ordering::Less => (
            Some(Block::joined(&run[..at], entry, &run[at..middle - 1])),
            run[middle - 1].clone(),
            Block::of(&run[middle..]),
        ),
        core::cmp::Ordering::Equal => (Block::of(&run[..at]), entry, Block::of(&run[at..])),
        core::cmp::Ordering::Greater => (
            Block::of(&run[..middle]),
            run[middle].clone(),
            Some(Block::joined(&run[middle + 1..at], entry, &run[at..])),
        ),
    };
    create(Sub::from_block(lower), middle_entry, Sub::from_block(upper))
}

/// The node in `sub`, if it is one, as a `&mut Link`: for rotations.
#[inline]
fn child_link<K, V, P: PointerKind>(sub: &mut Sub<K, V, P>) -> Option<&mut Link<K, V, P>> {
    match sub {
        Sub::Tree(tree) => tree.as_mut(),
        Sub::Block(_) => None,
    }
}

/// LL rotation: the left child `B` of `A` becomes the root.
///
/// ```text
///         A               B
///        / \             / \
///       B   C    =>     D   A
///      / \                 / \
///     D   E               E   C
/// ```
///
/// Requires: `A`'s left child is a node. `A` and `B` are made unique, so a
/// shared one is copied: callers that promise no user code in their upward
/// pass make them unique first. `D`, `E` and `C` move as they are, nodes or
/// blocks.
pub(crate) fn rotate_right<K: Clone, V: Clone, P: PointerKind>(link: &mut Link<K, V, P>) {
    let a = link.make_mut();
    let Sub::Tree(Some(mut b)) = a.left.take() else {
        debug_assert!(false, "rotate_right needs a left child node");
        return;
    };
    let b_node = b.make_mut();
    a.left = b_node.right.take();
    a.fix();
    core::mem::swap(link, &mut b);
    // `link` now holds B, and `b` holds A.
    let b_node = link.make_mut();
    b_node.right = Sub::Tree(Some(b));
    b_node.fix();
}

/// RR rotation: the right child of `A` becomes the root; the mirror image of
/// [`rotate_right`], with the same requirements.
pub(crate) fn rotate_left<K: Clone, V: Clone, P: PointerKind>(link: &mut Link<K, V, P>) {
    let a = link.make_mut();
    let Sub::Tree(Some(mut b)) = a.right.take() else {
        debug_assert!(false, "rotate_left needs a right child node");
        return;
    };
    let b_node = b.make_mut();
    a.right = b_node.left.take();
    a.fix();
    core::mem::swap(link, &mut b);
    let b_node = link.make_mut();
    b_node.left = Sub::Tree(Some(b));
    b_node.fix();
}

/// Restores (I2)–(I4) at the root of `link`, whose subtrees are valid AVL
/// trees, with at most one single or double rotation.
///
/// Requires: `|height(left) - height(right)| <= 2`. The rotations are the
/// four classic cases: LL and RR are single, LR and RL double (the child is
/// first rotated the other way). Makes unique only the nodes it rotates.
pub(crate) fn rebalance<K: Clone, V: Clone, P: PointerKind>(link: &mut Link<K, V, P>) {
    let node = link.make_mut();
    let balance = node.balance();
    debug_assert!(balance.abs() <= 2);
    if balance > 1 {
        // Left-heavy: LL, or LR when the left child leans right.
        if let Some(left) = child_link(&mut node.left)
            && left.balance() < 0
        {
            rotate_left(left);
        }
        rotate_right(link);
    } else if balance < -1 {
        // Right-heavy: RR, or RL when the right child leans left.
        if let Some(right) = child_link(&mut node.right)
            && right.balance() > 0
        {
            rotate_right(right);
        }
        rotate_left(link);
    } else {
        node.fix();
    }
}

/// The nodes that [`rebalance`] at `node` could rotate if the child on side
/// `went_left` shrinks by one: the sibling, when it is the taller child, and
/// the sibling's inner child, when a double rotation would move it.
///
/// Remove makes these unique on its way down, so that its upward pass copies
/// nothing and so runs no `Clone`.
pub(crate) fn make_rotation_unique<K: Clone, V: Clone, P: PointerKind>(
    node: &mut Node<K, V, P>,
    went_left: bool,
) {
    let (path, sibling) = if went_left {
        (&node.left, &mut node.right)
    } else {
        (&node.right, &mut node.left)
    };
    if sibling.height() <= path.height() {
        return;
    }
    let Some(sibling) = child_link(sibling) else {
        return;
    };
    let sibling = sibling.make_mut();
    let (inner, outer) = if went_left {
        (&mut sibling.left, &sibling.right)
    } else {
        (&mut sibling.right, &sibling.left)
    };
    if inner.height() > outer.height()
        && let Some(inner) = child_link(inner)
    {
        inner.make_mut();
    }
}
