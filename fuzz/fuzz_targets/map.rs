//! `AvlMap` against std's `BTreeMap`: every operation, every version kept.
//!
//! See `persistent_avl_fuzz::map_ops::run`: each step is checked on a map
//! whose every version is kept (so each update copies the shared path) and
//! on an unshared twin (so each update works in place), and every kept
//! version is checked against its model snapshot at the end.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use persistent_avl_fuzz::map_ops::{MapOp, run};

#[derive(Arbitrary, Debug)]
struct Input {
    /// The pointer kind and block size the input runs on.
    layout: persistent_avl_fuzz::Layout,
    /// Keys looked up in every kept version at the end.
    probes: Vec<u8>,
    ops: Vec<MapOp>,
}

fuzz_target!(|input: Input| {
    persistent_avl_fuzz::panics::install_hook();
    persistent_avl_fuzz::on_layout!(input.layout, run(&input.ops, &input.probes));
});
