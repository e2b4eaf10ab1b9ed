//! The four rebalancing rotations of the AVL tree (LL, RR, LR, RL), observed
//! through the public shape view [`NodeRef`].
//!
//! Each test builds the smallest tree that needs one rotation and asserts
//! the exact shape after it: which key is the root, which keys hang where,
//! and the stored heights and sizes. Removal is covered by a single and a
//! double rotation, and persistence by checking that the versions made
//! before a rotation keep the shape they had.

use persistent_avl::{GenericAvlMap, GenericAvlSet};
use persistent_avl::{NodeRef, PointerKind, RcKind};

/// The classic AVL tree, one entry per node (`Classic`, no blocks), whose shapes
/// these tests pin down.
type Classic = persistent_avl::Classic<persistent_avl::ArcKind>;
type ClassicRc = persistent_avl::Classic<RcKind>;

/// A tree's shape: each node with its key and two subtrees.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    Empty,
    Node(i32, Box<Shape>, Box<Shape>),
}

/// Shorthand for a node of a shape.
fn n(key: i32, left: Shape, right: Shape) -> Shape {
    Shape::Node(key, Box::new(left), Box::new(right))
}

/// A leaf.
fn l(key: i32) -> Shape {
    n(key, Shape::Empty, Shape::Empty)
}

const E: Shape = Shape::Empty;

/// Reads the shape of a subtree, checking on the way that every stored
/// height and size agrees with the children (so the rotation also fixed the
/// bookkeeping of the nodes it moved).
fn shape<V, P: PointerKind>(node: Option<NodeRef<'_, i32, V, P>>) -> Shape {
    let Some(node) = node else {
        return Shape::Empty;
    };
    let (hl, hr) = (
        node.left().map_or(0, |c| c.height()),
        node.right().map_or(0, |c| c.height()),
    );
    let (sl, sr) = (
        node.left().map_or(0, |c| c.len()),
        node.right().map_or(0, |c| c.len()),
    );
    assert_eq!(node.height(), 1 + hl.max(hr), "height at {}", node.key());
    assert_eq!(node.len(), 1 + sl + sr, "size at {}", node.key());
    n(*node.key(), shape(node.left()), shape(node.right()))
}

fn map_of(keys: &[i32]) -> GenericAvlMap<i32, (), Classic> {
    let mut map = GenericAvlMap::default();
    for &k in keys {
        map.insert(k, ());
    }
    map.check_invariants().unwrap();
    map
}

fn shape_of(map: &GenericAvlMap<i32, (), Classic>) -> Shape {
    shape(map.root_node())
}

/// The balanced tree of three keys every single-rotation case ends in.
fn one_two_three() -> Shape {
    n(2, l(1), l(3))
}

#[test]
fn ll_rotation_insert_3_2_1() {
    // 3 <- 2 <- 1 leans left twice: one right rotation at 3.
    let mut map = map_of(&[3, 2]);
    assert_eq!(shape_of(&map), n(3, l(2), E));
    map.insert(1, ());
    assert_eq!(shape_of(&map), one_two_three());
    assert_eq!(map.height(), 2);
}

#[test]
fn rr_rotation_insert_1_2_3() {
    // 1 -> 2 -> 3 leans right twice: one left rotation at 1.
    let mut map = map_of(&[1, 2]);
    assert_eq!(shape_of(&map), n(1, E, l(2)));
    map.insert(3, ());
    assert_eq!(shape_of(&map), one_two_three());
    assert_eq!(map.height(), 2);
}

#[test]
fn lr_rotation_insert_3_1_2() {
    // 3's left child 1 leans right: rotate 1 left, then 3 right; the middle
    // key 2 ends at the root.
    let mut map = map_of(&[3, 1]);
    assert_eq!(shape_of(&map), n(3, l(1), E));
    map.insert(2, ());
    assert_eq!(shape_of(&map), one_two_three());
}

#[test]
fn rl_rotation_insert_1_3_2() {
    // 1's right child 3 leans left: rotate 3 right, then 1 left.
    let mut map = map_of(&[1, 3]);
    assert_eq!(shape_of(&map), n(1, E, l(3)));
    map.insert(2, ());
    assert_eq!(shape_of(&map), one_two_three());
}

#[test]
fn rotations_below_the_root_keep_the_rest_in_place() {
    // LL at an inner node: 4 (2 (1, 3), 6 (5, 7)) plus 0 then -1 makes 1 lean
    // left twice; only the subtree at 1 rotates.
    let mut map = map_of(&[4, 2, 6, 1, 3, 5, 7, 0]);
    assert_eq!(
        shape_of(&map),
        n(4, n(2, n(1, l(0), E), l(3)), n(6, l(5), l(7)))
    );
    map.insert(-1, ());
    assert_eq!(
        shape_of(&map),
        n(4, n(2, n(0, l(-1), l(1)), l(3)), n(6, l(5), l(7)))
    );
    // RL at an inner node: 7 gets 9 then 8 on its right, leaning left there.
    map.insert(9, ());
    map.insert(8, ());
    assert_eq!(
        shape_of(&map),
        n(
            4,
            n(2, n(0, l(-1), l(1)), l(3)),
            n(6, l(5), n(8, l(7), l(9)))
        )
    );
    map.check_invariants().unwrap();
}

#[test]
fn removal_single_rotation() {
    // 2 (1, 3 (_, 4)): removing 1 leaves 2 right-heavy by two with its right
    // child leaning right, so one left rotation (RR) makes 3 the root.
    let mut map = map_of(&[2, 1, 3, 4]);
    assert_eq!(shape_of(&map), n(2, l(1), n(3, E, l(4))));
    assert_eq!(map.remove(&1), Some(()));
    assert_eq!(shape_of(&map), n(3, l(2), l(4)));

    // The mirror (LL): 3 (2 (1, _), 4), remove 4.
    let mut map = map_of(&[3, 2, 4, 1]);
    assert_eq!(shape_of(&map), n(3, n(2, l(1), E), l(4)));
    map.remove(&4);
    assert_eq!(shape_of(&map), n(2, l(1), l(3)));
}

#[test]
fn removal_single_rotation_with_balanced_sibling() {
    // 2 (1, 4 (3, 5)): after removing 1 the sibling 4 is balanced; this
    // removal case takes a single rotation, and the height does not shrink.
    let mut map = map_of(&[2, 1, 4, 3, 5]);
    assert_eq!(shape_of(&map), n(2, l(1), n(4, l(3), l(5))));
    map.remove(&1);
    assert_eq!(shape_of(&map), n(4, n(2, E, l(3)), l(5)));
    assert_eq!(map.height(), 3);
}

#[test]
fn removal_double_rotation() {
    // 2 (1, 4 (3, _)): removing 1 leaves the right child leaning left, so a
    // double rotation (RL) lifts 3.
    let mut map = map_of(&[2, 1, 4, 3]);
    assert_eq!(shape_of(&map), n(2, l(1), n(4, l(3), E)));
    map.remove(&1);
    assert_eq!(shape_of(&map), n(3, l(2), l(4)));

    // The mirror (LR): 3 (1 (_, 2), 4), remove 4.
    let mut map = map_of(&[3, 1, 4, 2]);
    assert_eq!(shape_of(&map), n(3, n(1, E, l(2)), l(4)));
    map.remove(&4);
    assert_eq!(shape_of(&map), n(2, l(1), l(3)));
}

#[test]
fn removal_of_a_node_with_two_children_uses_its_successor() {
    // 2 (1, 4 (3, 5)): removing the root moves its successor 3 up; then 4 is
    // fine and no rotation is needed.
    let mut map = map_of(&[2, 1, 4, 3, 5]);
    map.remove(&2);
    assert_eq!(shape_of(&map), n(3, l(1), n(4, E, l(5))));
}

#[test]
fn old_versions_keep_their_shape_across_a_rotation() {
    // Persistence: the rotation rearranges copies, never the nodes the older
    // version still points to.
    let v1 = map_of(&[3, 2]);
    let v2 = v1.inserted(1, ()); // LL
    assert_eq!(shape_of(&v1), n(3, l(2), E));
    assert_eq!(shape_of(&v2), one_two_three());
    assert_eq!(v1.len(), 2);
    assert_eq!(v1.height(), 2);

    // In-place insert on a map whose clone was kept: the same guarantee.
    let mut v3 = map_of(&[1, 3]);
    let kept = v3.clone();
    v3.insert(2, ()); // RL
    assert_eq!(shape_of(&kept), n(1, E, l(3)));
    assert_eq!(shape_of(&v3), one_two_three());

    // A removal rotation: v5 rotates, v4 keeps its shape.
    let v4 = map_of(&[2, 1, 4, 3]);
    let v5 = v4.removed(&1); // RL
    assert_eq!(shape_of(&v4), n(2, l(1), n(4, l(3), E)));
    assert_eq!(shape_of(&v5), n(3, l(2), l(4)));
}

#[test]
fn subtrees_off_the_rotated_path_stay_shared() {
    // The LL rotation at 1 in the tree below copies the path 4, 2, 1, 0 and
    // creates -1; the whole right subtree 6 and the leaf 3 are the same
    // nodes in both versions.
    let v1 = map_of(&[4, 2, 6, 1, 3, 5, 7, 0]);
    let v2 = v1.inserted(-1, ());
    let (r1, r2) = (v1.root_node().unwrap(), v2.root_node().unwrap());
    assert!(!r1.same_node(r2));
    assert!(r1.right().unwrap().same_node(r2.right().unwrap()));
    let (a, b) = (r1.left().unwrap(), r2.left().unwrap());
    assert!(!a.same_node(b));
    assert!(a.right().unwrap().same_node(b.right().unwrap())); // leaf 3
    assert_eq!(
        shape_of(&v1),
        n(4, n(2, n(1, l(0), E), l(3)), n(6, l(5), l(7)))
    );
}

#[test]
fn rotations_in_a_set_behind_rc() {
    // The set and the `Rc` kind share the map's algorithm: LR then RL.
    let mut set: GenericAvlSet<i32, ClassicRc> = GenericAvlSet::default();
    set.insert(3);
    set.insert(1);
    let before = set.clone();
    set.insert(2);
    assert_eq!(shape(set.root_node()), one_two_three());
    assert_eq!(shape(before.root_node()), n(3, l(1), E));

    let mut set: GenericAvlSet<i32, ClassicRc> = GenericAvlSet::default();
    for k in [1, 3, 2] {
        set.insert(k);
    }
    assert_eq!(shape(set.root_node()), one_two_three());
    set.check_invariants().unwrap();
}
