//! The set's iterators, including the lazy set algebra.

use core::cmp::Ordering;
use core::fmt;
use core::iter::FusedIterator;
use core::marker::PhantomData;

use super::GenericAvlSet;
use crate::face::iterator_face;
use crate::map::Extract;
use crate::node::{Owned, RawIter, Unfold};
use crate::ptr::{ArcKind, PointerKind};

iterator_face! {
    /// An iterator over a set's elements in order, made by
    /// [`AvlSet::iter`](super::AvlSet::iter).
    Iter<'a, T, P = ArcKind>
    where [P: PointerKind,]
    wraps RawIter<'a, T, (), P>, yields &'a T, via |e| &e.0;
}

iterator_face!(@clone Iter<'a, T, P> where [P: PointerKind,] yields &'a T);

iterator_face! {
    /// An iterator over the elements within a range, made by
    /// [`AvlSet::range`](super::AvlSet::range).
    Range<'a, T, P = ArcKind>
    where [P: PointerKind,]
    wraps RawIter<'a, T, (), P>, yields &'a T, via |e| &e.0;
}

iterator_face!(@clone Range<'a, T, P> where [P: PointerKind,] yields &'a T);

iterator_face! {
    /// An owning iterator over a set's elements in order, made by
    /// `into_iter`.
    IntoIter<T, P = ArcKind>
    where [T: Clone, P: PointerKind,]
    wraps Unfold<Owned<T, (), P>>, yields T, via |(t, ())| t;
}

iterator_face! {
    @peek IntoIter<T, P> where [T: Clone, P: PointerKind,]
    debug [T: fmt::Debug,] shows |t, ()| t
}

/// The iterator of [`AvlSet::extract_if`](super::GenericAvlSet::extract_if):
/// removes and yields, in order, the elements of a range for which its
/// predicate returns `true`. Lazy: elements not yet visited when it is
/// dropped stay in the set. O(log n) per element removed, O(1) amortised per
/// other visit.
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct ExtractIf<'a, T, R, F, P: PointerKind = ArcKind> {
    pub(super) walk: Extract<'a, T, (), P>,
    pub(super) pick: F,
    pub(super) range: PhantomData<fn() -> R>,
}

impl<T: Clone, R, F: FnMut(&T) -> bool, P: PointerKind> Iterator for ExtractIf<'_, T, R, F, P> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        let pick = &mut self.pick;
        self.walk.next_where(|t, ()| pick(t)).map(|(t, ())| t)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.walk.size_hint()
    }
}

impl<T: Clone, R, F: FnMut(&T) -> bool, P: PointerKind> FusedIterator
    for ExtractIf<'_, T, R, F, P>
{
}

/// Shows the element the iterator visits next.
impl<T: fmt::Debug + Clone, R, F, P: PointerKind> fmt::Debug for ExtractIf<'_, T, R, F, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExtractIf")
            .field("peek", &self.walk.peek().map(|(t, ())| t))
            .finish_non_exhaustive()
    }
}

/// Walks two sorted sets side by side, pairing equal elements.
struct Merge<'a, T, P: PointerKind> {
    a: Iter<'a, T, P>,
    b: Iter<'a, T, P>,
    /// An element taken from one side but not yet returned, because the
    /// other side's was smaller.
    held: Option<Held<'a, T>>,
}

enum Held<'a, T> {
    A(&'a T),
    B(&'a T),
}

impl<T> Clone for Held<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Held<'_, T> {}

impl<T, P: PointerKind> Clone for Merge<'_, T, P> {
    fn clone(&self) -> Self {
        Merge {
            a: self.a.clone(),
            b: self.b.clone(),
            held: self.held,
        }
    }
}

impl<'a, T: Ord, P: PointerKind> Merge<'a, T, P> {
    fn new(a: &'a GenericAvlSet<T, P>, b: &'a GenericAvlSet<T, P>) -> Self {
        Merge {
            a: a.iter(),
            b: b.iter(),
            held: None,
        }
    }

    /// The next smallest element from either side, with its twin from the
    /// other side when both hold it; `(None, None)` at the end.
    fn next_pair(&mut self) -> (Option<&'a T>, Option<&'a T>) {
        let (mut a, mut b) = match self.held.take() {
            Some(Held::A(a)) => (Some(a), self.b.next()),
            Some(Held::B(b)) => (self.a.next(), Some(b)),
            None => (self.a.next(), self.b.next()),
        };
        if let (Some(x), Some(y)) = (a, b) {
            match x.cmp(y) {
                Ordering::Less => self.held = b.take().map(Held::B),
                Ordering::Greater => self.held = a.take().map(Held::A),
                Ordering::Equal => {}
            }
        }
        (a, b)
    }

    /// Elements left on each side, the held one included.
    fn lens(&self) -> (usize, usize) {
        let (a, b) = (self.a.len(), self.b.len());
        match self.held {
            Some(Held::A(_)) => (a + 1, b),
            Some(Held::B(_)) => (a, b + 1),
            None => (a, b),
        }
    }
}

/// Defines a set-algebra iterator: its struct, `Iterator`, `FusedIterator`,
/// `Clone` and a `Debug` that lists what is left.
macro_rules! algebra {
    ($(#[$attr:meta])* $name:ident($inner:ty) {
        next($this:ident) $next:block
        size_hint($hint:ident) $size_hint:block
    }) => {
        $(#[$attr])*
        ///
        /// Lazy: O(log n + log m) to start; consuming it all costs
        /// O(n + m), or O(m log n) when it probes the larger set.
        #[must_use = "iterators are lazy and do nothing unless consumed"]
        pub struct $name<'a, T, P: PointerKind = ArcKind> {
            inner: $inner,
        }

        impl<'a, T: Ord, P: PointerKind> Iterator for $name<'a, T, P> {
            type Item = &'a T;

            fn next(&mut self) -> Option<&'a T> {
                let $this = &mut self.inner;
                $next
            }

            fn size_hint(&self) -> (usize, Option<usize>) {
                let $hint = &self.inner;
                $size_hint
            }
        }

        impl<T: Ord, P: PointerKind> FusedIterator for $name<'_, T, P> {}

        impl<T, P: PointerKind> Clone for $name<'_, T, P> {
            fn clone(&self) -> Self {
                $name {
                    inner: self.inner.clone(),
                }
            }
        }

        impl<T: Ord + fmt::Debug, P: PointerKind> fmt::Debug for $name<'_, T, P> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.clone()).finish()
            }
        }
    };
}

/// A side of the algebra that walks one set and asks another about each
/// element: used when the walked set is much the smaller, as std does.
struct Probe<'a, T, P: PointerKind> {
    walk: Iter<'a, T, P>,
    other: &'a GenericAvlSet<T, P>,
}

impl<T, P: PointerKind> Clone for Probe<'_, T, P> {
    fn clone(&self) -> Self {
        Probe {
            walk: self.walk.clone(),
            other: self.other,
        }
    }
}

/// When one set is this many times smaller, probing the larger one
/// (O(m log n)) beats merging (O(m + n)).
pub(crate) const PROBE_RATIO: usize = 16;

/// How the intersection and the difference walk: side by side, or through
/// the smaller set with lookups in the larger.
enum Strategy<'a, T, P: PointerKind> {
    Merge(Merge<'a, T, P>),
    Probe(Probe<'a, T, P>),
}

impl<T, P: PointerKind> Clone for Strategy<'_, T, P> {
    fn clone(&self) -> Self {
        match self {
            Strategy::Merge(m) => Strategy::Merge(m.clone()),
            Strategy::Probe(p) => Strategy::Probe(p.clone()),
        }
    }
}

algebra! {
    /// The elements of either set, in order, each once; made by
    /// [`AvlSet::union`](super::AvlSet::union).
    Union(Merge<'a, T, P>) {
        next(merge) {
            let (a, b) = merge.next_pair();
            a.or(b)
        }
        size_hint(merge) {
            let (a, b) = merge.lens();
            (a.max(b), Some(a + b))
        }
    }
}

algebra! {
    /// The elements in exactly one of the sets, in order; made by
    /// [`AvlSet::symmetric_difference`](super::AvlSet::symmetric_difference).
    SymmetricDifference(Merge<'a, T, P>) {
        next(merge) {
            loop {
                match merge.next_pair() {
                    (Some(_), Some(_)) => {}
                    (a, b) => return a.or(b),
                }
            }
        }
        size_hint(merge) {
            let (a, b) = merge.lens();
            (0, Some(a + b))
        }
    }
}

algebra! {
    /// The elements in both sets, in order; made by
    /// [`AvlSet::intersection`](super::AvlSet::intersection).
    Intersection(Strategy<'a, T, P>) {
        next(strategy) {
            match strategy {
                Strategy::Merge(merge) => loop {
                    match merge.next_pair() {
                        (Some(a), Some(_)) => return Some(a),
                        (None, None) => return None,
                        _ => {
                            let (a, b) = merge.lens();
                            if a == 0 || b == 0 {
                                return None;
                            }
                        }
                    }
                },
                Strategy::Probe(probe) => probe.walk.by_ref().find(|t| probe.other.contains(t)),
            }
        }
        size_hint(strategy) {
            match strategy {
                Strategy::Merge(merge) => {
                    let (a, b) = merge.lens();
                    (0, Some(a.min(b)))
                }
                Strategy::Probe(probe) => (0, Some(probe.walk.len())),
            }
        }
    }
}

algebra! {
    /// The elements of the first set that are not in the second, in order;
    /// made by [`AvlSet::difference`](super::AvlSet::difference).
    Difference(Strategy<'a, T, P>) {
        next(strategy) {
            match strategy {
                Strategy::Merge(merge) => loop {
                    match merge.next_pair() {
                        (Some(a), None) => return Some(a),
                        (None, None) => return None,
                        // Equal, or `other`'s element is the smaller one:
                        // `self`'s, if any, is held for the next round.
                        (_, Some(_)) => {
                            if merge.lens().0 == 0 {
                                return None;
                            }
                        }
                    }
                },
                Strategy::Probe(probe) => probe.walk.by_ref().find(|t| !probe.other.contains(t)),
            }
        }
        size_hint(strategy) {
            match strategy {
                Strategy::Merge(merge) => {
                    let (a, b) = merge.lens();
                    (a.saturating_sub(b), Some(a))
                }
                Strategy::Probe(probe) => (0, Some(probe.walk.len())),
            }
        }
    }
}

impl<'a, T: Ord, P: PointerKind> Union<'a, T, P> {
    pub(super) fn new(a: &'a GenericAvlSet<T, P>, b: &'a GenericAvlSet<T, P>) -> Self {
        Union {
            inner: Merge::new(a, b),
        }
    }
}

impl<'a, T: Ord, P: PointerKind> SymmetricDifference<'a, T, P> {
    pub(super) fn new(a: &'a GenericAvlSet<T, P>, b: &'a GenericAvlSet<T, P>) -> Self {
        SymmetricDifference {
            inner: Merge::new(a, b),
        }
    }
}

impl<'a, T: Ord, P: PointerKind> Intersection<'a, T, P> {
    pub(super) fn new(a: &'a GenericAvlSet<T, P>, b: &'a GenericAvlSet<T, P>) -> Self {
        let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        let inner = if small.len() * PROBE_RATIO < large.len() {
            Strategy::Probe(Probe {
                walk: small.iter(),
                other: large,
            })
        } else {
            Strategy::Merge(Merge::new(a, b))
        };
        Intersection { inner }
    }
}

impl<'a, T: Ord, P: PointerKind> Difference<'a, T, P> {
    pub(super) fn new(a: &'a GenericAvlSet<T, P>, b: &'a GenericAvlSet<T, P>) -> Self {
        let inner = if a.len() * PROBE_RATIO < b.len() {
            Strategy::Probe(Probe {
                walk: a.iter(),
                other: b,
            })
        } else {
            Strategy::Merge(Merge::new(a, b))
        };
        Difference { inner }
    }
}
