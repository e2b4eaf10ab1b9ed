//! A read-only view of the tree's nodes, for seeing its shape and what two
//! versions share.

use core::fmt;

use crate::node::{Link, Node};
use crate::ptr::{ArcKind, PointerKind};

/// One node of a version's tree: its entry, its subtrees, its height and the
/// number of entries below it.
///
/// Created by [`AvlMap::root_node`](crate::GenericAvlMap::root_node). Two views
/// [`same_node`](NodeRef::same_node) each other when they look at one shared
/// node, which is how path copying can be seen and counted. Every method is
/// O(1).
///
/// ```
/// use persistent_avl::{ArcKind, AvlMap, Classic, GenericAvlMap};
///
/// // The classic tree, one entry per node.
/// let map: GenericAvlMap<i32, (), Classic<ArcKind>> = (1..=3).map(|k| (k, ())).collect();
/// let root = map.root_node().unwrap();
/// assert_eq!(*root.key(), 2);
/// assert_eq!(*root.left().unwrap().key(), 1);
/// assert_eq!(root.height(), 2);
/// assert_eq!(root.len(), 3);
///
/// // With blocks, the two other entries sit in the root's blocks.
/// let map: AvlMap<i32, ()> = (1..=3).map(|k| (k, ())).collect();
/// let root = map.root_node().unwrap();
/// assert_eq!((root.left_block(), root.right_block()), (&[(1, ())][..], &[(3, ())][..]));
/// assert_eq!(root.height(), 1);
/// ```
pub struct NodeRef<'a, K, V, P: PointerKind = ArcKind> {
    link: &'a Link<K, V, P>,
}

impl<K, V, P: PointerKind> Clone for NodeRef<'_, K, V, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K, V, P: PointerKind> Copy for NodeRef<'_, K, V, P> {}

impl<'a, K, V, P: PointerKind> NodeRef<'a, K, V, P> {
    pub(crate) fn new(link: &'a Link<K, V, P>) -> Self {
        NodeRef { link }
    }

    fn node(self) -> &'a Node<K, V, P> {
        self.link
    }

    /// The node's key. O(1).
    ///
    /// ```
    /// # use persistent_avl::AvlMap;
    /// let map = AvlMap::from([(7, 'x')]);
    /// assert_eq!(map.root_node().map(|n| *n.key()), Some(7));
    /// ```
    pub fn key(&self) -> &'a K {
        self.node().key()
    }

    /// The node's value. O(1).
    ///
    /// ```
    /// # use persistent_avl::AvlMap;
    /// let map = AvlMap::from([(7, 'x')]);
    /// assert_eq!(map.root_node().map(|n| *n.value()), Some('x'));
    /// ```
    pub fn value(&self) -> &'a V {
        &self.node().entry.1
    }

    /// The left subtree's root, holding the smaller keys, if the left
    /// subtree is a node rather than a block (see
    /// [`left_block`](Self::left_block)). O(1).
    ///
    /// ```
    /// use persistent_avl::{ArcKind, AvlMap, Classic, GenericAvlMap};
    ///
    /// let map: GenericAvlMap<i32, (), Classic<ArcKind>> = [(1, ()), (2, ())].into_iter().collect();
    /// let root = map.root_node().unwrap();
    /// assert_eq!(root.left().map(|n| *n.key()), Some(1));
    /// ```
    pub fn left(&self) -> Option<NodeRef<'a, K, V, P>> {
        self.node().left.node().map(|link| NodeRef::new(link))
    }

    /// The right subtree's root, holding the larger keys, if the right
    /// subtree is a node rather than a block. O(1).
    ///
    /// ```
    /// # use persistent_avl::AvlMap;
    /// let map = AvlMap::from([(1, ()), (2, ())]);
    /// assert!(map.root_node().unwrap().right().is_none());
    /// ```
    pub fn right(&self) -> Option<NodeRef<'a, K, V, P>> {
        self.node().right.node().map(|link| NodeRef::new(link))
    }

    /// The entries of the left subtree when it is a block, in order; empty
    /// when it is a node or empty. O(1).
    ///
    /// ```
    /// use persistent_avl::{ArcKind, AvlMap, BlockSize, GenericAvlMap};
    ///
    /// let map: GenericAvlMap<i32, (), BlockSize<ArcKind, 4>> = (1..=3).map(|k| (k, ())).collect();
    /// let root = map.root_node().unwrap();
    /// assert_eq!(*root.key(), 2);
    /// assert_eq!(root.left_block(), [(1, ())]);
    /// assert!(root.left().is_none());
    /// ```
    pub fn left_block(&self) -> &'a [(K, V)] {
        self.node().left.run().unwrap_or_default()
    }

    /// The entries of the right subtree when it is a block; see
    /// [`left_block`](Self::left_block). O(1).
    ///
    /// ```
    /// use persistent_avl::{ArcKind, AvlMap, BlockSize, GenericAvlMap};
    ///
    /// let map: GenericAvlMap<i32, (), BlockSize<ArcKind, 4>> = (1..=3).map(|k| (k, ())).collect();
    /// assert_eq!(map.root_node().unwrap().right_block(), [(3, ())]);
    /// ```
    pub fn right_block(&self) -> &'a [(K, V)] {
        self.node().right.run().unwrap_or_default()
    }

    /// The entries this node holds without going through another node: its
    /// own and those of its blocks (1 in a [`Classic`](crate::Classic)
    /// tree). A block is shared on its own, so two nodes may hold the same
    /// block. O(1).
    ///
    /// ```
    /// use persistent_avl::{ArcKind, AvlMap, BlockSize, GenericAvlMap};
    ///
    /// let map: GenericAvlMap<i32, (), BlockSize<ArcKind, 4>> = (1..=3).map(|k| (k, ())).collect();
    /// assert_eq!(map.root_node().unwrap().stored(), 3);
    /// ```
    pub fn stored(&self) -> usize {
        1 + self.left_block().len() + self.right_block().len()
    }

    /// Height of the subtree rooted here; a node over two blocks (or, with
    /// the classic tree, a leaf) has height 1. O(1).
    ///
    /// ```
    /// # use persistent_avl::AvlMap;
    /// let map = AvlMap::from([(1, ())]);
    /// assert_eq!(map.root_node().unwrap().height(), 1);
    /// ```
    pub fn height(&self) -> usize {
        self.node().height()
    }

    /// Number of entries in the subtree rooted here. O(1).
    ///
    /// ```
    /// # use persistent_avl::AvlMap;
    /// let map: AvlMap<_, _> = (0..10).map(|k| (k, ())).collect();
    /// assert_eq!(map.root_node().unwrap().len(), 10);
    /// ```
    #[allow(clippy::len_without_is_empty)] // a node is never empty
    pub fn len(&self) -> usize {
        self.node().size()
    }

    /// Whether the two views look at the same node, shared between the
    /// versions they came from. O(1).
    ///
    /// ```
    /// # use persistent_avl::AvlMap;
    /// let v1: AvlMap<_, _> = (0..100).map(|k| (k, ())).collect();
    /// let v2 = v1.inserted(1000, ());
    /// let (r1, r2) = (v1.root_node().unwrap(), v2.root_node().unwrap());
    /// assert!(!r1.same_node(r2)); // the root is on every path: copied
    /// assert!(r1.left().unwrap().same_node(r2.left().unwrap())); // shared
    /// ```
    pub fn same_node(self, other: NodeRef<'_, K, V, P>) -> bool {
        Link::ptr_eq(self.link, other.link)
    }

    /// An address that identifies the node while it lives, for counting
    /// distinct nodes across versions (in a `HashSet`, say). O(1).
    ///
    /// ```
    /// # use persistent_avl::AvlMap;
    /// let v1 = AvlMap::from([(1, ())]);
    /// let v2 = v1.clone();
    /// assert_eq!(v1.root_node().unwrap().id(), v2.root_node().unwrap().id());
    /// ```
    pub fn id(&self) -> usize {
        core::ptr::from_ref(self.node()).addr()
    }
}

impl<K: fmt::Debug, V: fmt::Debug, P: PointerKind> fmt::Debug for NodeRef<'_, K, V, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NodeRef")
            .field("key", self.key())
            .field("value", self.value())
            .field("height", &self.height())
            .field("len", &self.len())
            .finish()
    }
}
