//! Handing freed heap memory back to the operating system.
//!
//! glibc's allocator keeps freed memory in its heap for reuse. After `run`
//! rechunks the ledgers, the per-sheet chunks (~200 MB at province scale)
//! are free but scattered between live allocations, in pieces too small
//! for the large arrays the statistics and writers allocate next, so they
//! went on counting against the 1 GiB peak. `malloc_trim` returns their
//! pages to the system. Other allocators return memory on their own, so
//! the call is made on glibc only.

/// Returns freed heap pages to the operating system (glibc only).
pub fn release_freed() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim walks glibc's own heap and takes no pointer from
    // us; it is safe to call at any time from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}
