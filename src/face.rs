//! The macro that turns an internal walk into a public iterator type.

/// Declares a public iterator struct wrapping one of the walks in
/// `node::iter`, mapping each item, and implements `Iterator`,
/// `DoubleEndedIterator`, `ExactSizeIterator` and `FusedIterator` for it.
/// The `@clone` form adds `Clone` and a `Debug` that lists what is left;
/// the `@peek` form, for iterators that lend or move their items, a `Debug`
/// that lists what is left without taking it.
macro_rules! iterator_face {
    (
        $(#[$attr:meta])*
        $name:ident<$($lt:lifetime,)? $($param:ident $(= $default:ty)?),+>
        where [$($bound:tt)*]
        wraps $inner:ty, yields $item:ty, via |$entry:pat_param| $map:expr;
    ) => {
        $(#[$attr])*
        ///
        /// Double-ended and exact-size; each item costs O(1) amortised, and
        /// the iterator holds at most two stacks of the tree's height.
        #[must_use = "iterators are lazy and do nothing unless consumed"]
        pub struct $name<$($lt,)? $($param $(= $default)?),+>
        where
            $($bound)*
        {
            pub(crate) inner: $inner,
        }

        impl<$($lt,)? $($param),+> Iterator for $name<$($lt,)? $($param),+>
        where
            $($bound)*
        {
            type Item = $item;

            #[inline]
            fn next(&mut self) -> Option<$item> {
                self.inner.next().map(|$entry| $map)
            }

            #[inline]
            fn size_hint(&self) -> (usize, Option<usize>) {
                self.inner.size_hint()
            }

            #[inline]
            fn fold<B, F>(self, init: B, mut f: F) -> B
            where
                F: FnMut(B, $item) -> B,
            {
                self.inner.fold(init, move |acc, $entry| f(acc, $map))
            }
        }

        impl<$($lt,)? $($param),+> DoubleEndedIterator for $name<$($lt,)? $($param),+>
        where
            $($bound)*
        {
            #[inline]
            fn next_back(&mut self) -> Option<$item> {
                self.inner.next_back().map(|$entry| $map)
            }
        }

        impl<$($lt,)? $($param),+> ExactSizeIterator for $name<$($lt,)? $($param),+>
        where
            $($bound)*
        {
            #[inline]
            fn len(&self) -> usize {
                self.inner.len()
            }
        }

        impl<$($lt,)? $($param),+> core::iter::FusedIterator for $name<$($lt,)? $($param),+>
        where
            $($bound)*
        {
        }

        /// An iterator that yields nothing, as std's iterators' `default`.
        impl<$($lt,)? $($param),+> Default for $name<$($lt,)? $($param),+>
        where
            $($bound)*
        {
            fn default() -> Self {
                $name {
                    inner: Default::default(),
                }
            }
        }
    };
    (@peek $name:ident<$($lt:lifetime,)? $($param:ident),+> where [$($bound:tt)*]
        debug [$($debug:tt)*] shows |$key:pat_param, $value:pat_param| $show:expr) => {
        /// Lists the items left, without taking them.
        impl<$($lt,)? $($param),+> core::fmt::Debug for $name<$($lt,)? $($param),+>
        where
            $($bound)*
            $($debug)*
        {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                let mut list = f.debug_list();
                self.inner.peek(&mut |$key, $value| {
                    list.entry(&$show);
                });
                list.finish()
            }
        }
    };
    (@clone $name:ident<$($lt:lifetime,)? $($param:ident),+> where [$($bound:tt)*] yields $item:ty) => {
        impl<$($lt,)? $($param),+> Clone for $name<$($lt,)? $($param),+>
        where
            $($bound)*
        {
            fn clone(&self) -> Self {
                $name {
                    inner: self.inner.clone(),
                }
            }
        }

        impl<$($lt,)? $($param),+> core::fmt::Debug for $name<$($lt,)? $($param),+>
        where
            $($bound)*
            $item: core::fmt::Debug,
        {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_list().entries(self.clone()).finish()
            }
        }
    };
}

pub(crate) use iterator_face;
