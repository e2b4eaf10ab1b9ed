//! Catching the panics a target expects without tripping libFuzzer.
//!
//! `libfuzzer-sys` installs a panic hook that aborts the process, so that a
//! failed assertion is a crash even though its test harness catches the
//! unwind. The targets also expect some panics (std's `range` rejecting its
//! bounds, a key's `Ord` panicking on purpose) and catch them with
//! [`catch`]: while a `catch` runs, the hook installed here stays silent and
//! lets the panic unwind; outside one, it hands over to libFuzzer's hook,
//! which prints the message and aborts.

use std::any::Any;
use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

thread_local! {
    static CATCHING: Cell<usize> = const { Cell::new(0) };
}

/// Wraps the hook in place (libFuzzer's) once per process. Called by
/// [`catch`]; call it first thing in a target that never catches.
pub fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) == 0 {
                abort(info);
            }
        }));
    });
}

/// Runs `f`, returning its panic as an `Err` instead of aborting. A panic
/// inside `f` is silent: whoever calls this decides whether it was expected,
/// and panics again, outside, with a message if it was not.
pub fn catch<R>(f: impl FnOnce() -> R) -> Result<R, Box<dyn Any + Send>> {
    install_hook();
    CATCHING.with(|c| c.set(c.get() + 1));
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(c.get() - 1));
    result
}

/// The message of a panic payload, or `""` for a payload that is not text.
pub fn message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("")
}
