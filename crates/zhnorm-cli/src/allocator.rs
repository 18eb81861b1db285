//! The allocator of the `zhnorm` binary, of xtask and of the Python module: mimalloc, asked for
//! plain blocks wherever a plain block is aligned enough.
//!
//! `mimalloc::MiMalloc` passes every request to mimalloc's aligned entry points
//! (`mi_malloc_aligned`), which check the alignment on every call before taking the same fast
//! path as `mi_malloc`. The pipeline makes about one allocation for every four bytes of article
//! text, and these checks showed in its profile (callgrind, 5 MB dump: `mi_heap_malloc_aligned_at`
//! alone 1.1 % of the worker's instructions).
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use mimalloc::MiMalloc;

/// Every mimalloc block is aligned to a machine word at least (mimalloc's `MI_INTPTR_SIZE`).
const WORD: usize = size_of::<usize>();

/// mimalloc, by its plain entry points for alignments up to a word, by `MiMalloc` above.
#[derive(Debug, Clone, Copy, Default)]
pub struct Allocator;

// SAFETY: each method hands the request to mimalloc, which returns blocks of at least the size
// asked and aligned to at least a word; requests for more alignment go to `MiMalloc`'s aligned
// calls. `mi_free` and `mi_realloc` take blocks from either entry point.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            // SAFETY: a plain allocation of a non-zero size (the caller's contract).
            unsafe { libmimalloc_sys::mi_malloc(layout.size()).cast() }
        } else {
            // SAFETY: forwarded with the caller's own guarantees.
            unsafe { MiMalloc.alloc(layout) }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= WORD {
            // SAFETY: as in `alloc`.
            unsafe { libmimalloc_sys::mi_zalloc(layout.size()).cast() }
        } else {
            // SAFETY: forwarded with the caller's own guarantees.
            unsafe { MiMalloc.alloc_zeroed(layout) }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator, so from mimalloc.
        unsafe { libmimalloc_sys::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= WORD {
            // SAFETY: `ptr` came from mimalloc; the new block keeps word alignment.
            unsafe { libmimalloc_sys::mi_realloc(ptr.cast::<c_void>(), new_size).cast() }
        } else {
            // SAFETY: forwarded with the caller's own guarantees.
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every size and alignment gets a block of its alignment that keeps its bytes through
    /// growing and shrinking, by either entry point.
    #[test]
    fn blocks_are_aligned_and_keep_their_bytes() {
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 3, 8, 24, 100, 4000, 70_000] {
                let layout = Layout::from_size_align(size, align).unwrap();
                // SAFETY: non-zero sizes; every block is freed once with its layout.
                unsafe {
                    let zeroed = Allocator.alloc_zeroed(layout);
                    assert!(!zeroed.is_null());
                    assert_eq!(
                        zeroed as usize % align,
                        0,
                        "{size} bytes aligned to {align}"
                    );
                    assert!(
                        std::slice::from_raw_parts(zeroed, size)
                            .iter()
                            .all(|&b| b == 0)
                    );
                    Allocator.dealloc(zeroed, layout);

                    let block = Allocator.alloc(layout);
                    assert_eq!(block as usize % align, 0, "{size} bytes aligned to {align}");
                    for i in 0..size {
                        block.add(i).write(i as u8);
                    }
                    // Grown, then shrunk below its first size.
                    let mut current = (block, size);
                    for new_size in [size * 3, size.div_ceil(2)] {
                        let old = Layout::from_size_align(current.1, align).unwrap();
                        let moved = Allocator.realloc(current.0, old, new_size);
                        assert_eq!(moved as usize % align, 0);
                        let kept = size.min(new_size);
                        let bytes = std::slice::from_raw_parts(moved, kept);
                        assert!(bytes.iter().enumerate().all(|(i, &b)| b == i as u8));
                        current = (moved, new_size);
                    }
                    Allocator.dealloc(
                        current.0,
                        Layout::from_size_align(current.1, align).unwrap(),
                    );
                }
            }
        }
    }
}
