//! The code the fuzz targets share: operation enums decoded from the fuzzer's
//! bytes with `arbitrary`, each applied to an `AvlMap` or `AvlSet` and to the
//! std `BTreeMap` or `BTreeSet` that models it, and the checks that compare a
//! version with its model.
//!
//! Every divergence is a panic whose message names what differed, so
//! libFuzzer records the input as a crash. `Debug` of an input prints its
//! operations, one call each, for turning a crash into a regression test
//! (see the README).

pub mod check;
pub mod map_ops;
pub mod panics;
pub mod set_ops;

use arbitrary::Arbitrary;
use std::ops::Bound;

/// The layout an input runs on: the pointer kind and the block size.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// `ArcKind`: `Arc` nodes over blocks of the default size.
    Arc,
    /// `RcKind`: `Rc` nodes over blocks of the default size.
    Rc,
    /// No blocks (`Classic`): the classic tree of one entry per node.
    Classic,
    /// Blocks of 2 behind `Rc`: small maps split and merge blocks all the
    /// time.
    TinyBlocks,
    /// Blocks of 5 behind `Arc`.
    SmallBlocks,
}

/// Calls `$run::<P>(..)` with the pointer kind `P` of the layout `$layout`.
#[macro_export]
macro_rules! on_layout {
    ($layout:expr, $run:ident($($arg:expr),* $(,)?)) => {
        match $layout {
            $crate::Layout::Arc => $run::<persistent_avl::ArcKind>($($arg),*),
            $crate::Layout::Rc => $run::<persistent_avl::RcKind>($($arg),*),
            $crate::Layout::Classic => {
                $run::<persistent_avl::Classic<persistent_avl::ArcKind>>($($arg),*)
            }
            $crate::Layout::TinyBlocks => {
                $run::<persistent_avl::BlockSize<persistent_avl::RcKind, 2>>($($arg),*)
            }
            $crate::Layout::SmallBlocks => {
                $run::<persistent_avl::BlockSize<persistent_avl::ArcKind, 5>>($($arg),*)
            }
        }
    };
}

/// One end of a range, any key: ranges may be crossed, empty, or
/// `(Excluded(x), Excluded(x))`, which std's `range` rejects on a non-empty
/// tree.
#[derive(Arbitrary, Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Included(u8),
    Excluded(u8),
    Unbounded,
}

impl End {
    /// The bound `range` takes.
    pub fn bound(self) -> Bound<u8> {
        match self {
            End::Included(k) => Bound::Included(k),
            End::Excluded(k) => Bound::Excluded(k),
            End::Unbounded => Bound::Unbounded,
        }
    }
}

/// The bounds `start`, `end` as drawn: `extract_if` takes any pair, as
/// std's does, crossed and equal excluded ones selecting nothing.
pub fn drawn_bounds(start: End, end: End) -> (Bound<u8>, Bound<u8>) {
    (start.bound(), end.bound())
}

/// The keys of a `Fill` operation: `count` of them from `start` on, each
/// 1 + (`step` % 8) above the one before, wrapping around at 256.
pub fn fill(start: u8, count: u8, step: u8) -> impl Iterator<Item = u8> + Clone {
    let step = 1 + step % 8;
    (0..count).map(move |i| start.wrapping_add(i.wrapping_mul(step)))
}

/// A `retain` predicate.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Keep {
    All,
    Nothing,
    Below(u8),
    AtLeast(u8),
    /// Drops the keys divisible by 2 + (the number % 8).
    DropMultiplesOf(u8),
    /// Maps only (sets read it as `All`).
    OddValues,
    /// Maps only: adds 1 to every value it sees, then drops keys divisible
    /// by 3 (sets: only the drop).
    BumpThenDropMultiplesOf3,
}

impl Keep {
    /// Whether a map entry stays; may change the value, as `retain` allows.
    pub fn keeps(self, key: u8, value: &mut u32) -> bool {
        match self {
            Keep::OddValues => *value % 2 == 1,
            Keep::BumpThenDropMultiplesOf3 => {
                *value = value.wrapping_add(1);
                !key.is_multiple_of(3)
            }
            _ => self.keeps_key(key),
        }
    }

    /// Whether a set element stays.
    pub fn keeps_key(self, key: u8) -> bool {
        match self {
            Keep::All | Keep::OddValues => true,
            Keep::Nothing => false,
            Keep::Below(at) => key < at,
            Keep::AtLeast(at) => key >= at,
            Keep::DropMultiplesOf(m) => !key.is_multiple_of(2 + m % 8),
            Keep::BumpThenDropMultiplesOf3 => !key.is_multiple_of(3),
        }
    }
}

/// What becomes of the two halves after `split_off`. Both halves are kept
/// as versions either way.
#[derive(Arbitrary, Clone, Copy, Debug)]
pub enum Half {
    /// The low half stays current.
    Low,
    /// The high half becomes current.
    High,
    /// The high half is appended back onto the low one.
    Rejoin,
    /// The low half is appended onto the high one.
    RejoinReversed,
}
