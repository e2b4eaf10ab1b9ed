//! `arbitrary::Arbitrary` for maps and sets (the `arbitrary` feature), so
//! that a `cargo fuzz` target can take an [`AvlMap`](crate::AvlMap) or an
//! [`AvlSet`](crate::AvlSet) as its input.
//!
//! A map is built from the fuzzer's bytes as the arbitrary crate builds a
//! `BTreeMap`: while the next byte is odd, one more entry, a key then a
//! value, each taking the bytes it needs; an even byte, or no bytes left,
//! ends the map. The entries go through `collect`, so of equal keys the last
//! entry wins, as in `BTreeMap`: the same bytes give a map with the same
//! entries as `BTreeMap<K, V>`, and leave the same bytes unread. Sets are
//! built the same way from elements.
//!
//! One difference, for keys whose `==` disagrees with `Ord` (which both
//! types ask it not to): the map merges keys that `Ord` finds equal, while
//! std's `BTreeMap` built by `collect` merges only neighbours that `==`
//! finds equal, and so can keep two keys that `Ord` calls equal.
//!
//! ```
//! use arbitrary::{Arbitrary, Unstructured};
//! use persistent_avl::AvlMap;
//!
//! // Odd byte: an entry follows (key byte, value byte); even byte: the end.
//! let bytes = [1, 30, 3, 1, 10, 1, 1, 30, 4, 0];
//! let map = AvlMap::<u8, u8>::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
//! assert_eq!(map, AvlMap::from([(10, 1), (30, 4)]));
//! ```

use ::arbitrary::{Arbitrary, Result, Unstructured};

use crate::map::GenericAvlMap;
use crate::ptr::PointerKind;
use crate::set::GenericAvlSet;

/// A map of the entries the bytes describe, as `BTreeMap<K, V>` builds it:
/// same entries, and of equal keys the last.
///
/// Time: O(n log n) for n entries, plus building each key and value.
/// `size_hint` is `(0, None)`, as for `BTreeMap`: no bytes make an empty
/// map, and a map has no largest size.
///
/// ```
/// use arbitrary::{Arbitrary, Unstructured};
/// use persistent_avl::AvlMapRc;
///
/// let bytes = [1, 7, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0];
/// let map = AvlMapRc::<u8, u32>::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
/// assert_eq!(map, AvlMapRc::from([(7, 0), (1, 0)]));
///
/// // The rest of the input, all of it for the map.
/// let map = AvlMapRc::<u8, u8>::arbitrary_take_rest(Unstructured::new(&[1, 2, 3])).unwrap();
/// assert_eq!(map, AvlMapRc::from([(2, 3)]));
/// assert!(AvlMapRc::<u8, u8>::arbitrary(&mut Unstructured::new(&[])).unwrap().is_empty());
/// ```
impl<'a, K, V, P> Arbitrary<'a> for GenericAvlMap<K, V, P>
where
    K: Arbitrary<'a> + Ord,
    V: Arbitrary<'a>,
    P: PointerKind,
{
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        u.arbitrary_iter()?.collect()
    }

    fn arbitrary_take_rest(u: Unstructured<'a>) -> Result<Self> {
        u.arbitrary_take_rest_iter()?.collect()
    }

    #[inline]
    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (0, None)
    }
}

/// A set of the elements the bytes describe, as `BTreeSet<T>` builds it.
///
/// Time: O(n log n) for n elements, plus building each one. `size_hint` is
/// `(0, None)`, as for `BTreeSet`.
///
/// ```
/// use arbitrary::{Arbitrary, Unstructured};
/// use persistent_avl::AvlSet;
///
/// let bytes = [1, b'b', 1, b'a', 1, b'b', 0];
/// let set = AvlSet::<u8>::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
/// assert_eq!(set, AvlSet::from([b'a', b'b']));
/// ```
impl<'a, T, P> Arbitrary<'a> for GenericAvlSet<T, P>
where
    T: Arbitrary<'a> + Ord,
    P: PointerKind,
{
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        u.arbitrary_iter()?.collect()
    }

    fn arbitrary_take_rest(u: Unstructured<'a>) -> Result<Self> {
        u.arbitrary_take_rest_iter()?.collect()
    }

    #[inline]
    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (0, None)
    }
}
