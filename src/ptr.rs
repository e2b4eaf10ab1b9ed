//! The shared pointer behind every node: std `Arc` or std `Rc`.
//!
//! A map is generic over a [`PointerKind`], a zero-sized marker that names a
//! pointer type through a generic associated type. [`ArcKind`] (the default)
//! makes versions `Send + Sync` when the keys and values are; [`RcKind`] skips
//! the atomic reference counts for single-threaded use.

use alloc::rc::Rc;
use alloc::sync::Arc;
use core::marker::PhantomData;
use core::ops::Deref;

pub(crate) mod sealed {
    use alloc::rc::Rc;
    use alloc::sync::Arc;
    use alloc::vec::Vec;
    use core::ops::Deref;

    /// The crate's side of a pointer kind: shared slices, for blocks.
    pub trait Sealed {
        /// A shared slice, `Arc<[T]>` or `Rc<[T]>`: one allocation holding
        /// the reference counts and the elements.
        type Slice<T>: Deref<Target = [T]> + Clone;

        /// A shared slice of the elements of `iter`: one allocation when
        /// std knows the iterator's exact length (chains of slices cloned
        /// and single elements), as the block code's iterators are.
        fn slice_from_iter<T, I: Iterator<Item = T>>(iter: I) -> Self::Slice<T>;

        /// A shared slice of `vec`'s elements, moved.
        fn slice_from_vec<T>(vec: Vec<T>) -> Self::Slice<T>;

        /// The elements, mutably, cloned first into a slice of their own if
        /// shared.
        fn slice_make_mut<T: Clone>(slice: &mut Self::Slice<T>) -> &mut [T];

        /// Reads the slice's reference count: a load from its allocation.
        fn slice_touch<T>(slice: &Self::Slice<T>) -> usize;
    }

    macro_rules! shared_slices {
        ($kind:ty, $ptr:ident) => {
            impl Sealed for $kind {
                type Slice<T> = $ptr<[T]>;

                #[inline]
                fn slice_from_iter<T, I: Iterator<Item = T>>(iter: I) -> $ptr<[T]> {
                    iter.collect()
                }

                #[inline]
                fn slice_from_vec<T>(vec: Vec<T>) -> $ptr<[T]> {
                    $ptr::from(vec)
                }

                #[inline]
                fn slice_make_mut<T: Clone>(slice: &mut $ptr<[T]>) -> &mut [T] {
                    $ptr::make_mut(slice)
                }

                #[inline]
                fn slice_touch<T>(slice: &$ptr<[T]>) -> usize {
                    $ptr::strong_count(slice)
                }
            }
        };
    }
    shared_slices!(super::ArcKind, Arc);
    shared_slices!(super::RcKind, Rc);

    /// The kinds a block size can be set on: `ArcKind` and `RcKind`, whose
    /// slices are real. (A block size set on `Classic`, whose slices have
    /// no values, could not make its blocks.)
    pub trait Base: Sealed {}

    impl Base for super::ArcKind {}
    impl Base for super::RcKind {}

    /// The slice type of a tree without blocks: it has no values, so a
    /// subtree, which can then only be a node or nothing, takes no room
    /// for a block's pointer (eight bytes where a block's takes sixteen).
    pub struct NoSlice<T>(core::convert::Infallible, core::marker::PhantomData<T>);

    impl<T> Deref for NoSlice<T> {
        type Target = [T];

        fn deref(&self) -> &[T] {
            match self.0 {}
        }
    }

    impl<T> Clone for NoSlice<T> {
        fn clone(&self) -> Self {
            match self.0 {}
        }
    }

    /// Never called: the tree code makes a block only where `BLOCK > 0`.
    const NO_BLOCKS: &str = "a tree without blocks makes no block";

    impl<P: Base> Sealed for super::Classic<P> {
        type Slice<T> = NoSlice<T>;

        fn slice_from_iter<T, I: Iterator<Item = T>>(_: I) -> NoSlice<T> {
            unreachable!("{NO_BLOCKS}")
        }

        fn slice_from_vec<T>(_: Vec<T>) -> NoSlice<T> {
            unreachable!("{NO_BLOCKS}")
        }

        fn slice_make_mut<T: Clone>(slice: &mut NoSlice<T>) -> &mut [T] {
            match slice.0 {}
        }

        fn slice_touch<T>(slice: &NoSlice<T>) -> usize {
            match slice.0 {}
        }
    }

    impl<P: Base, const N: usize> Sealed for super::BlockSize<P, N> {
        type Slice<T> = P::Slice<T>;

        #[inline]
        fn slice_from_iter<T, I: Iterator<Item = T>>(iter: I) -> Self::Slice<T> {
            P::slice_from_iter(iter)
        }

        #[inline]
        fn slice_from_vec<T>(vec: Vec<T>) -> Self::Slice<T> {
            P::slice_from_vec(vec)
        }

        #[inline]
        fn slice_make_mut<T: Clone>(slice: &mut Self::Slice<T>) -> &mut [T] {
            P::slice_make_mut(slice)
        }

        #[inline]
        fn slice_touch<T>(slice: &Self::Slice<T>) -> usize {
            P::slice_touch(slice)
        }
    }
}

/// A kind of reference-counted pointer that tree nodes live behind.
///
/// The trait is sealed: its implementations are [`ArcKind`] and
/// [`RcKind`], and [`BlockSize`] and [`Classic`] over either. Every method
/// is O(1), plus a clone where it says so. Maps call these; users pick a
/// kind and need not call them.
pub trait PointerKind: sealed::Sealed + Sized {
    /// The pointer type, `Arc<T>` or `Rc<T>`.
    type Ptr<T>: Deref<Target = T> + Clone;

    /// The most entries one block at the bottom of the tree holds (see
    /// [`BlockSize`]); 0 for the classic AVL tree of one entry per node
    /// ([`Classic`]).
    const BLOCK: usize;

    /// Moves `value` into a new allocation. O(1).
    ///
    /// ```
    /// use persistent_avl::{ArcKind, PointerKind};
    ///
    /// let p = ArcKind::new(5);
    /// assert_eq!(*p, 5);
    /// ```
    fn new<T>(value: T) -> Self::Ptr<T>;

    /// A mutable reference to the pointee, cloning it first if it is shared
    /// (std's `make_mut`). O(1) plus the clone.
    ///
    /// ```
    /// use persistent_avl::{PointerKind, RcKind};
    ///
    /// let mut a = RcKind::new(1);
    /// let b = a.clone();
    /// *RcKind::make_mut(&mut a) += 1;
    /// assert_eq!((*a, *b), (2, 1));
    /// ```
    fn make_mut<T: Clone>(ptr: &mut Self::Ptr<T>) -> &mut T;

    /// A mutable reference to the pointee if this is the only reference to
    /// it, `None` if it is shared (std's `get_mut`). O(1).
    ///
    /// ```
    /// use persistent_avl::{PointerKind, RcKind};
    ///
    /// let mut a = RcKind::new(1);
    /// *RcKind::get_mut(&mut a).unwrap() += 1;
    /// let b = a.clone();
    /// assert!(RcKind::get_mut(&mut a).is_none());
    /// assert_eq!(*b, 2);
    /// ```
    fn get_mut<T>(ptr: &mut Self::Ptr<T>) -> Option<&mut T>;

    /// The pointee by value: moved out if this is the only reference, cloned
    /// otherwise (std's `unwrap_or_clone`). O(1) plus the clone.
    ///
    /// ```
    /// use persistent_avl::{ArcKind, PointerKind};
    ///
    /// assert_eq!(ArcKind::unwrap_or_clone(ArcKind::new('x')), 'x');
    /// ```
    fn unwrap_or_clone<T: Clone>(ptr: Self::Ptr<T>) -> T;

    /// How many pointers share the pointee (std's `strong_count`). O(1).
    ///
    /// ```
    /// use persistent_avl::{ArcKind, PointerKind};
    ///
    /// let a = ArcKind::new(1);
    /// let b = a.clone();
    /// assert_eq!(ArcKind::strong_count(&a), 2);
    /// drop(b);
    /// assert_eq!(ArcKind::strong_count(&a), 1);
    /// ```
    fn strong_count<T>(ptr: &Self::Ptr<T>) -> usize;

    /// Whether the two pointers point to the same allocation. O(1).
    ///
    /// ```
    /// use persistent_avl::{ArcKind, PointerKind};
    ///
    /// let a = ArcKind::new(1);
    /// assert!(ArcKind::ptr_eq(&a, &a.clone()));
    /// assert!(!ArcKind::ptr_eq(&a, &ArcKind::new(1)));
    /// ```
    fn ptr_eq<T>(a: &Self::Ptr<T>, b: &Self::Ptr<T>) -> bool;
}

/// Nodes behind std [`Arc`]: versions are `Send + Sync` when `K` and `V` are.
/// The default pointer kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ArcKind;

/// Nodes behind std [`Rc`]: faster reference counting, single-threaded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RcKind;

/// The block size of [`ArcKind`] and [`RcKind`], chosen by measurement
/// (docs/design.md, section 9): at 32, lookups of present keys and
/// persistent inserts are fastest, an entry takes under 20 bytes and a
/// one-key version 0.8x imbl's bytes; above 32, each version copies a
/// larger block.
pub(crate) const DEFAULT_BLOCK: usize = 32;

impl PointerKind for ArcKind {
    type Ptr<T> = Arc<T>;
    const BLOCK: usize = DEFAULT_BLOCK;

    #[inline]
    fn new<T>(value: T) -> Arc<T> {
        Arc::new(value)
    }

    #[inline]
    fn make_mut<T: Clone>(ptr: &mut Arc<T>) -> &mut T {
        Arc::make_mut(ptr)
    }

    #[inline]
    fn get_mut<T>(ptr: &mut Arc<T>) -> Option<&mut T> {
        Arc::get_mut(ptr)
    }

    #[inline]
    fn unwrap_or_clone<T: Clone>(ptr: Arc<T>) -> T {
        Arc::unwrap_or_clone(ptr)
    }

    #[inline]
    fn ptr_eq<T>(a: &Arc<T>, b: &Arc<T>) -> bool {
        Arc::ptr_eq(a, b)
    }

    #[inline]
    fn strong_count<T>(ptr: &Arc<T>) -> usize {
        Arc::strong_count(ptr)
    }
}

impl PointerKind for RcKind {
    type Ptr<T> = Rc<T>;
    const BLOCK: usize = DEFAULT_BLOCK;

    #[inline]
    fn new<T>(value: T) -> Rc<T> {
        Rc::new(value)
    }

    #[inline]
    fn make_mut<T: Clone>(ptr: &mut Rc<T>) -> &mut T {
        Rc::make_mut(ptr)
    }

    #[inline]
    fn get_mut<T>(ptr: &mut Rc<T>) -> Option<&mut T> {
        Rc::get_mut(ptr)
    }

    #[inline]
    fn unwrap_or_clone<T: Clone>(ptr: Rc<T>) -> T {
        Rc::unwrap_or_clone(ptr)
    }

    #[inline]
    fn ptr_eq<T>(a: &Rc<T>, b: &Rc<T>) -> bool {
        Rc::ptr_eq(a, b)
    }

    #[inline]
    fn strong_count<T>(ptr: &Rc<T>) -> usize {
        Rc::strong_count(ptr)
    }
}

/// The pointer methods of a kind that only changes the block size of the
/// kind `$p`: `$p`'s own.
macro_rules! pointers_of {
    ($p:ident) => {
        #[inline]
        fn new<T>(value: T) -> Self::Ptr<T> {
            $p::new(value)
        }

        #[inline]
        fn make_mut<T: Clone>(ptr: &mut Self::Ptr<T>) -> &mut T {
            $p::make_mut(ptr)
        }

        #[inline]
        fn get_mut<T>(ptr: &mut Self::Ptr<T>) -> Option<&mut T> {
            $p::get_mut(ptr)
        }

        #[inline]
        fn unwrap_or_clone<T: Clone>(ptr: Self::Ptr<T>) -> T {
            $p::unwrap_or_clone(ptr)
        }

        #[inline]
        fn ptr_eq<T>(a: &Self::Ptr<T>, b: &Self::Ptr<T>) -> bool {
            $p::ptr_eq(a, b)
        }

        #[inline]
        fn strong_count<T>(ptr: &Self::Ptr<T>) -> usize {
            $p::strong_count(ptr)
        }
    };
}

/// The pointer kind `P` ([`ArcKind`] or [`RcKind`]) with blocks of at most
/// `N` entries at the bottom of the tree:
/// `GenericAvlMap<K, V, BlockSize<ArcKind, 8>>`. [`ArcKind`] and
/// [`RcKind`] alone use blocks of 32.
///
/// Large blocks make iteration and ranges faster and the tree smaller; a
/// persistent update copies the nodes on its path and the one block it
/// changes, so per version blocks of 8 to 16 cost least among block sizes
/// and those above 32 most. `N` is at least 1 (a map with `N = 0` does not
/// compile): the tree without blocks is [`Classic`]. `docs/design.md` has
/// the measured trade-off. Every operation costs as for `P`, plus O(N) per
/// update for the block it changes (a new block, its other entries cloned).
///
/// ```
/// use persistent_avl::{ArcKind, AvlMap, BlockSize, GenericAvlMap};
///
/// let default: AvlMap<u32, u32> = (0..1000).map(|k| (k, k)).collect();
/// // Small blocks: a taller tree over shorter blocks.
/// let small: GenericAvlMap<u32, u32, BlockSize<ArcKind, 8>> = (0..1000).map(|k| (k, k)).collect();
/// assert!(small.height() > default.height());
/// assert!(small.iter().eq(default.iter()));
/// ```
///
/// A block size of 0 is refused when the map is built (use [`Classic`]):
///
/// ```compile_fail
/// use persistent_avl::{ArcKind, BlockSize, GenericAvlMap};
///
/// let mut map: GenericAvlMap<u32, u32, BlockSize<ArcKind, 0>> = GenericAvlMap::new();
/// map.insert(1, 1);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BlockSize<P, const N: usize>(PhantomData<P>);

impl<P: PointerKind + sealed::Base, const N: usize> PointerKind for BlockSize<P, N> {
    type Ptr<T> = P::Ptr<T>;
    const BLOCK: usize = {
        assert!(
            N > 0,
            "BlockSize<P, 0>: the tree without blocks is Classic<P>"
        );
        N
    };

    pointers_of!(P);
}

/// The pointer kind `P` ([`ArcKind`] or [`RcKind`]) without blocks: the
/// classic AVL tree, one entry per node, as in the textbooks:
/// `GenericAvlMap<K, V, Classic<ArcKind>>`.
///
/// Each entry is a node of its own, so a lookup walks about 1.44 log2(n)
/// nodes at most and a persistent update copies the nodes on its path and
/// nothing else. As its subtrees are never blocks, a node is 16 bytes
/// smaller than in a tree with blocks (for `u64` keys and values, 56 bytes
/// with the reference counts, against 72): of every layout, the one that
/// retains the fewest bytes per version when many versions are kept, and
/// the slowest to read and to build (`docs/design.md`, section 9, has the
/// measured trade-off). The rotations and balance factors of
/// `docs/design.md` are those of this tree. Every operation costs as for
/// `P`.
///
/// ```
/// use persistent_avl::{ArcKind, AvlMap, Classic, GenericAvlMap};
///
/// // One entry per node: a perfectly balanced tree of 1023 entries has
/// // height 10.
/// let classic: GenericAvlMap<u32, u32, Classic<ArcKind>> = (0..1023).map(|k| (k, k)).collect();
/// assert_eq!(classic.height(), 10);
/// let blocked: AvlMap<u32, u32> = (0..1023).map(|k| (k, k)).collect();
/// assert!(blocked.height() < classic.height());
/// assert!(blocked.iter().eq(classic.iter()));
/// ```
///
/// Neither `Classic` nor `BlockSize` can be set on the other:
///
/// ```compile_fail
/// use persistent_avl::{ArcKind, BlockSize, Classic, GenericAvlMap};
///
/// let map: GenericAvlMap<u32, u32, BlockSize<Classic<ArcKind>, 8>> = GenericAvlMap::new();
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Classic<P>(PhantomData<P>);

impl<P: PointerKind + sealed::Base> PointerKind for Classic<P> {
    type Ptr<T> = P::Ptr<T>;
    const BLOCK: usize = 0;

    pointers_of!(P);
}
