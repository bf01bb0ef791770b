// Heap settings for a process whose only work is solving items one after
// another (an MPI rank, a risk worker process).
//
// Every item builds and frees a model of some tens of MB. By default glibc
// gives freed memory at the top of the heap back to the kernel once it
// exceeds a threshold (M_TRIM_THRESHOLD), and a thread's heap does so on
// every large free, so the next item touches the same amount of memory
// afresh and pays a page fault for every 4 KiB of it. With the solves in a
// second thread (MPI ranks) that was 1.4 million page faults for 60 risk
// draws of the default scenario against 0.6 million in worker processes,
// and 11% more CPU time (docs/scale-out.md). Keeping the freed memory
// (trim threshold 1 GiB) and serving blocks up to 32 MiB from the heap
// rather than from fresh mappings (M_MMAP_THRESHOLD, glibc's maximum)
// keeps the process at its largest item's footprint instead. What is
// solved does not change, only where its memory comes from.
#pragma once

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace cobuild::scale {

inline void KeepFreedHeapMemory() {
#if defined(__GLIBC__)
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
#endif
}

}  // namespace cobuild::scale
