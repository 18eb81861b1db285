//! The test binary's allocator: the system's, counting per thread what is allocated, so that a
//! test can assert that memory and work grow linearly with its input without a clock (a count
//! does not depend on how busy the machine is).

#![allow(unsafe_code)] // A `GlobalAlloc` is an unsafe trait; this is its only use in the project.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

thread_local! {
    static LIVE: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<usize> = const { Cell::new(0) };
    static COUNT: Cell<u64> = const { Cell::new(0) };
}

fn grew(bytes: usize) {
    // `try_with`: a thread being torn down may still free memory after its locals are gone.
    let _ = LIVE.try_with(|live| {
        let now = live.get() + bytes;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
    let _ = COUNT.try_with(|count| count.set(count.get() + 1));
}

fn shrank(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(bytes)));
}

// SAFETY: every call is passed on unchanged to the system allocator; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: the caller's contract for `alloc` is the same as `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grew(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrank(layout.size());
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        shrank(layout.size());
        grew(new_size);
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// What one thread allocated while `f` ran: the peak of live bytes above those live at the start,
/// and the number of allocations (a measure of work).
#[derive(Debug, Clone, Copy)]
pub struct Allocated {
    pub peak_bytes: usize,
    pub allocations: u64,
}

pub fn measure<T>(f: impl FnOnce() -> T) -> (T, Allocated) {
    let start_live = LIVE.with(Cell::get);
    let start_count = COUNT.with(Cell::get);
    PEAK.with(|peak| peak.set(start_live));
    let value = f();
    let allocated = Allocated {
        peak_bytes: PEAK.with(Cell::get) - start_live,
        allocations: COUNT.with(Cell::get) - start_count,
    };
    (value, allocated)
}
