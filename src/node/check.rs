//! The invariant checker that tests call after every step.

use core::cmp::Ordering;
use core::fmt;

use super::{Node, RawIter, Sub, Tree};
use crate::ptr::PointerKind;

/// Which invariant of the tree is broken, as found by the O(n) invariant
/// checker the tests call after every step. Never seen outside a bug.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InvariantViolation {
    /// (I1) two in-order neighbours are not in strictly ascending order.
    Order,
    /// (I2) a stored height is not one more than the taller child's.
    Height,
    /// (I3) a node's children differ in height by more than one.
    Balance,
    /// (I4) a stored size is not one more than the children's sizes.
    Size,
    /// (I5) a block holds more entries than the block size, or none.
    BlockSize,
}

impl fmt::Display for InvariantViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Order => "(I1) keys are not strictly ascending",
            Self::Height => "(I2) a stored height is wrong",
            Self::Balance => "(I3) a node is out of balance",
            Self::Size => "(I4) a stored size is wrong",
            Self::BlockSize => "(I5) a block is empty or over the block size",
        })
    }
}

impl core::error::Error for InvariantViolation {}

/// Checks (I2)–(I5) at every node and block, then (I1) along the in-order
/// walk. O(n).
pub(crate) fn check<K: Ord, V, P: PointerKind>(
    tree: &Tree<K, V, P>,
) -> Result<(), InvariantViolation> {
    if let Some(root) = tree {
        node_shape(root)?;
    }
    let mut keys = RawIter::<K, V, P>::new(tree).map(|(key, _)| key);
    if let Some(mut previous) = keys.next() {
        for key in keys {
            if previous.cmp(key) != Ordering::Less {
                return Err(InvariantViolation::Order);
            }
            previous = key;
        }
    }
    Ok(())
}

fn shape<K, V, P: PointerKind>(sub: &Sub<K, V, P>) -> Result<(), InvariantViolation> {
    match sub {
        Sub::Block(block) if block.len() > P::BLOCK || block.len() == 0 => {
            Err(InvariantViolation::BlockSize)
        }
        Sub::Block(_) | Sub::Tree(None) => Ok(()),
        Sub::Tree(Some(node)) => node_shape(node),
    }
}

fn node_shape<K, V, P: PointerKind>(node: &Node<K, V, P>) -> Result<(), InvariantViolation> {
    shape(&node.left)?;
    shape(&node.right)?;
    let (hl, hr) = (node.left.height(), node.right.height());
    if node.height() != 1 + hl.max(hr) {
        return Err(InvariantViolation::Height);
    }
    if hl.abs_diff(hr) > 1 {
        return Err(InvariantViolation::Balance);
    }
    if node.size() != 1 + node.left.size() + node.right.size() {
        return Err(InvariantViolation::Size);
    }
    Ok(())
}
