//! Cases the fuzz targets found, kept as tests (see `fuzz/README.md`).

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use persistent_avl::AvlMap;

thread_local! {
    /// Clones left before the next one panics; `None` never panics.
    static CLONES_LEFT: Cell<Option<usize>> = const { Cell::new(None) };
}

/// A key whose `Clone` panics when the countdown runs out.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key(u32);

impl Clone for Key {
    fn clone(&self) -> Self {
        CLONES_LEFT.with(|left| match left.get() {
            Some(0) => panic!("planned Clone panic"),
            Some(n) => left.set(Some(n - 1)),
            None => {}
        });
        Key(self.0)
    }
}

/// Found by the `adversarial` target: `retain` that drops a few entries of
/// a map nobody shares removes them one at a time, and each removal from a
/// block makes a new block of clones. A `Clone` panic in the third removal
/// left the first two done. The map must hold every entry it held, whichever
/// clone panics.
#[test]
fn a_clone_panic_in_retain_leaves_every_key() {
    let keys: Vec<u32> = (0..200).collect();
    for fuse in 0..200 {
        let mut map: AvlMap<Key, u32> = keys.iter().map(|&k| (Key(k), k)).collect();
        CLONES_LEFT.with(|left| left.set(Some(fuse)));
        let result = catch_unwind(AssertUnwindSafe(|| {
            // Drops 3 of 200: few enough to remove one by one.
            map.retain(|k, _| k.0 % 67 != 5);
        }));
        CLONES_LEFT.with(|left| left.set(None));
        map.check_invariants().unwrap();
        if result.is_err() {
            assert!(
                map.keys().map(|k| k.0).eq(keys.iter().copied()),
                "fuse {fuse}: a panic changed the keys"
            );
        } else {
            assert_eq!(map.len(), 197, "fuse {fuse}");
            assert!(map.keys().all(|k| k.0 % 67 != 5));
            return;
        }
    }
    panic!("every fuse went off: the retain never finished");
}
