//! `AvlSet` against std's `BTreeSet`: every operation and the set algebra.
//!
//! See `persistent_avl_fuzz::set_ops::run`: each step is checked on a set
//! whose every version is kept (so each update copies the shared path) and
//! on an unshared twin (so each update works in place), and every kept
//! version is checked against its model snapshot at the end.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use persistent_avl_fuzz::set_ops::{SetOp, run};

#[derive(Arbitrary, Debug)]
struct Input {
    /// The pointer kind and block size the input runs on.
    layout: persistent_avl_fuzz::Layout,
    /// Elements looked up in every kept version at the end.
    probes: Vec<u8>,
    ops: Vec<SetOp>,
}

fuzz_target!(|input: Input| {
    persistent_avl_fuzz::panics::install_hook();
    persistent_avl_fuzz::on_layout!(input.layout, run(&input.ops, &input.probes));
});
