//! Running the two halves of a recursion one after the other, or at once.
//!
//! Every bulk algorithm recurses into two independent halves (the entries
//! below a pivot key and those above it). It describes one half as a
//! [`Task`], and hands the two to a [`Fork`]: [`Seq`] runs them in turn;
//! the `rayon` feature adds a fork that runs them on rayon's pool (in
//! `src/rayon.rs`). The algorithm is written once, and the parallel fork
//! asks for `Send` only where it is used.

/// One half of a recursion, run with the fork `F` for its own halves.
pub(crate) trait Task: Sized {
    /// What the half computes.
    type Out;

    /// The entries the half works on: a fork runs small halves in turn.
    #[cfg_attr(not(feature = "rayon"), allow(dead_code))]
    fn size(&self) -> usize;

    /// Runs the half.
    fn run<F: Fork<Self>>(self, fork: F) -> Self::Out;
}

/// A way to run two tasks of one kind.
pub(crate) trait Fork<T: Task>: Copy {
    /// Runs both tasks and returns their results, in order.
    fn join(self, a: T, b: T) -> (T::Out, T::Out);
}

/// Runs the two tasks one after the other, on this thread.
#[derive(Clone, Copy)]
pub(crate) struct Seq;

impl<T: Task> Fork<T> for Seq {
    #[inline]
    fn join(self, a: T, b: T) -> (T::Out, T::Out) {
        (a.run(self), b.run(self))
    }
}
