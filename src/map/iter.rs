//! The map's iterators.

use crate::face::iterator_face;
use crate::node::{Lent, Owned, RawIter, Unfold, Window};
use crate::ptr::{ArcKind, PointerKind};

iterator_face! {
    /// An iterator over a map's entries in key order, made by
    /// [`AvlMap::iter`](super::AvlMap::iter).
    Iter<'a, K, V, P = ArcKind>
    where [P: PointerKind,]
    wraps RawIter<'a, K, V, P>, yields (&'a K, &'a V), via |e| (&e.0, &e.1);
}

iterator_face!(@clone Iter<'a, K, V, P> where [P: PointerKind,] yields (&'a K, &'a V));

iterator_face! {
    /// An iterator over a map's keys in order, made by
    /// [`AvlMap::keys`](super::AvlMap::keys).
    Keys<'a, K, V, P = ArcKind>
    where [P: PointerKind,]
    wraps RawIter<'a, K, V, P>, yields &'a K, via |e| &e.0;
}

iterator_face!(@clone Keys<'a, K, V, P> where [P: PointerKind,] yields &'a K);

iterator_face! {
    /// An iterator over a map's values in key order, made by
    /// [`AvlMap::values`](super::AvlMap::values).
    Values<'a, K, V, P = ArcKind>
    where [P: PointerKind,]
    wraps RawIter<'a, K, V, P>, yields &'a V, via |e| &e.1;
}

iterator_face!(@clone Values<'a, K, V, P> where [P: PointerKind,] yields &'a V);

iterator_face! {
    /// An iterator over the entries within a range of keys, made by
    /// [`AvlMap::range`](super::AvlMap::range).
    Range<'a, K, V, P = ArcKind>
    where [P: PointerKind,]
    wraps RawIter<'a, K, V, P>, yields (&'a K, &'a V), via |e| (&e.0, &e.1);
}

iterator_face!(@clone Range<'a, K, V, P> where [P: PointerKind,] yields (&'a K, &'a V));

iterator_face! {
    /// An iterator over a map's entries with mutable values, made by
    /// [`AvlMap::iter_mut`](super::AvlMap::iter_mut).
    IterMut<'a, K, V, P = ArcKind>
    where [K: Clone, V: Clone, P: PointerKind,]
    wraps Unfold<Lent<'a, K, V, P>>, yields (&'a K, &'a mut V), via |e| e;
}

iterator_face! {
    /// An iterator over the entries within a range of keys, with mutable
    /// values, made by [`AvlMap::range_mut`](super::GenericAvlMap::range_mut).
    RangeMut<'a, K, V, P = ArcKind>
    where [K: Clone, V: Clone, P: PointerKind,]
    wraps Unfold<Window<'a, K, V, P>>, yields (&'a K, &'a mut V), via |e| e;
}

iterator_face! {
    /// An iterator over a map's mutable values, made by
    /// [`AvlMap::values_mut`](super::AvlMap::values_mut).
    ValuesMut<'a, K, V, P = ArcKind>
    where [K: Clone, V: Clone, P: PointerKind,]
    wraps Unfold<Lent<'a, K, V, P>>, yields &'a mut V, via |(_, v)| v;
}

iterator_face! {
    /// An owning iterator over a map's entries in key order, made by
    /// `into_iter`.
    IntoIter<K, V, P = ArcKind>
    where [K: Clone, V: Clone, P: PointerKind,]
    wraps Unfold<Owned<K, V, P>>, yields (K, V), via |e| e;
}

iterator_face! {
    /// An owning iterator over a map's keys, made by
    /// [`AvlMap::into_keys`](super::AvlMap::into_keys).
    IntoKeys<K, V, P = ArcKind>
    where [K: Clone, V: Clone, P: PointerKind,]
    wraps Unfold<Owned<K, V, P>>, yields K, via |(k, _)| k;
}

iterator_face! {
    /// An owning iterator over a map's values, made by
    /// [`AvlMap::into_values`](super::AvlMap::into_values).
    IntoValues<K, V, P = ArcKind>
    where [K: Clone, V: Clone, P: PointerKind,]
    wraps Unfold<Owned<K, V, P>>, yields V, via |(_, v)| v;
}

iterator_face! {
    @peek IterMut<'a, K, V, P> where [K: Clone, V: Clone, P: PointerKind,]
    debug [K: core::fmt::Debug, V: core::fmt::Debug,] shows |k, v| (k, v)
}

iterator_face! {
    @peek RangeMut<'a, K, V, P> where [K: Clone, V: Clone, P: PointerKind,]
    debug [K: core::fmt::Debug, V: core::fmt::Debug,] shows |k, v| (k, v)
}

iterator_face! {
    @peek ValuesMut<'a, K, V, P> where [K: Clone, V: Clone, P: PointerKind,]
    debug [V: core::fmt::Debug,] shows |_, v| v
}

iterator_face! {
    @peek IntoIter<K, V, P> where [K: Clone, V: Clone, P: PointerKind,]
    debug [K: core::fmt::Debug, V: core::fmt::Debug,] shows |k, v| (k, v)
}

iterator_face! {
    @peek IntoKeys<K, V, P> where [K: Clone, V: Clone, P: PointerKind,]
    debug [K: core::fmt::Debug,] shows |k, _| k
}

iterator_face! {
    @peek IntoValues<K, V, P> where [K: Clone, V: Clone, P: PointerKind,]
    debug [V: core::fmt::Debug,] shows |_, v| v
}
