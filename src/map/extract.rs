//! `extract_if`: a lazy walk over a range of keys that removes the entries
//! a predicate picks.

use core::fmt;
use core::iter::FusedIterator;
use core::marker::PhantomData;

use super::GenericAvlMap;
use crate::node::{self, Unfold, Window};
use crate::ptr::{ArcKind, PointerKind};

/// The walk behind the map's and the set's `extract_if`: the positions of
/// the range not yet visited. Positions stay right because only the walk
/// changes the map while it lives (it borrows the map mutably), and each
/// removal moves the end down by one.
pub(crate) struct Extract<'a, K, V, P: PointerKind> {
    map: &'a mut GenericAvlMap<K, V, P>,
    /// The position of the next entry to visit.
    next: usize,
    /// One past the position of the range's last entry.
    end: usize,
}

impl<'a, K: Clone, V: Clone, P: PointerKind> Extract<'a, K, V, P> {
    /// The entries at positions `start..end` of `map`.
    pub(crate) fn new(map: &'a mut GenericAvlMap<K, V, P>, start: usize, end: usize) -> Self {
        Extract {
            map,
            next: start,
            end,
        }
    }

    /// Visits entries in order until `pick` returns `true` for one, and
    /// removes and returns it. The visits walk the range as `range_mut`
    /// does, copying the shared nodes and blocks they enter so that `pick`
    /// may change the values: O(log n) to start, O(1) amortised per visit,
    /// and O(log n) for the removal. If `pick` or `Clone` panics, the map
    /// is valid, holding every entry not yet removed, and the walk is over.
    pub(crate) fn next_where(
        &mut self,
        mut pick: impl FnMut(&K, &mut V) -> bool,
    ) -> Option<(K, V)> {
        if self.next >= self.end {
            return None;
        }
        // Should `pick` panic, the walk is over, as std's is: the end is put
        // back only when it returns.
        let end = core::mem::replace(&mut self.end, self.next);
        let window = Window::root(&mut self.map.root, self.next, end);
        let picked = Unfold::new(window, end - self.next).position(|(key, value)| pick(key, value));
        self.end = end;
        let Some(offset) = picked else {
            self.next = end;
            return None;
        };
        self.next += offset;
        let removed = node::remove_at(&mut self.map.root, self.next);
        self.end -= 1;
        removed
    }

    /// At most the entries not yet visited.
    pub(crate) fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(self.end - self.next))
    }

    /// The entry the walk visits next, if any.
    pub(crate) fn peek(&self) -> Option<(&K, &V)> {
        if self.next < self.end {
            self.map.get_index(self.next)
        } else {
            None
        }
    }
}

/// The iterator of [`AvlMap::extract_if`](crate::GenericAvlMap::extract_if):
/// removes and yields, in key order, the entries of a range for which its
/// predicate returns `true`.
///
/// Lazy, as std's: entries are visited only as the iterator is advanced,
/// and those not yet visited when it is dropped stay in the map. O(log n)
/// per entry removed, O(1) amortised per other visit.
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct ExtractIf<'a, K, V, R, F, P: PointerKind = ArcKind> {
    pub(super) walk: Extract<'a, K, V, P>,
    pub(super) pick: F,
    pub(super) range: PhantomData<fn() -> R>,
}

impl<K: Clone, V: Clone, R, F, P> Iterator for ExtractIf<'_, K, V, R, F, P>
where
    F: FnMut(&K, &mut V) -> bool,
    P: PointerKind,
{
    type Item = (K, V);

    fn next(&mut self) -> Option<(K, V)> {
        self.walk.next_where(&mut self.pick)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.walk.size_hint()
    }
}

impl<K: Clone, V: Clone, R, F, P> FusedIterator for ExtractIf<'_, K, V, R, F, P>
where
    F: FnMut(&K, &mut V) -> bool,
    P: PointerKind,
{
}

/// Shows the entry the iterator visits next.
impl<K, V, R, F, P> fmt::Debug for ExtractIf<'_, K, V, R, F, P>
where
    K: fmt::Debug + Clone,
    V: fmt::Debug + Clone,
    P: PointerKind,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExtractIf")
            .field("peek", &self.walk.peek())
            .finish_non_exhaustive()
    }
}
