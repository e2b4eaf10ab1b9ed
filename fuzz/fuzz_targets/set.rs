//! `AvlSet` against std's `BTreeSet`: every operation and the set algebra.
//!
//! See `persistent_avl_fuzz::set_ops::run`: each step is checked on a set
//! whose every version is kept (so each update copies the shared path) and
//! on an unshared twin (so each update works in place), and every kept
//! version is checked against its model snapshot at the end.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use persistent_avl::{ArcKind, RcKind};
use persistent_avl_fuzz::set_ops::{SetOp, run};

#[derive(Arbitrary, Debug)]
struct Input {
    /// `Rc` nodes instead of `Arc`.
    rc: bool,
    /// Elements looked up in every kept version at the end.
    probes: Vec<u8>,
    ops: Vec<SetOp>,
}

fuzz_target!(|input: Input| {
    persistent_avl_fuzz::panics::install_hook();
    if input.rc {
        run::<RcKind>(&input.ops, &input.probes);
    } else {
        run::<ArcKind>(&input.ops, &input.probes);
    }
});
