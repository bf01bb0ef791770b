// AFL++ persistent-mode driver for a harness, for builds with COBUILD_FUZZ
// (every file compiled by GCC with -fsanitize-coverage=trace-pc).
//
// Debian 12's AFL++ 4.04c cannot load its GCC plugin into Debian's GCC
// 12.2.0 (a version check fails), and afl-g++ without the plugin offers no
// persistent mode, which runs hundreds of times slower here. So the edge
// coverage the plugin would add comes from GCC's own trace-pc hook below,
// written into AFL++'s shared map the way its instrumentation does, and the
// fork server, shared-memory input and persistent loop come from AFL++'s
// runtime (afl-compiler-rt.o), linked in.
#include <unistd.h>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" {
extern uint8_t* __afl_area_ptr;
extern unsigned char* __afl_fuzz_ptr;
extern unsigned int* __afl_fuzz_len;
int __afl_persistent_loop(unsigned int max_runs);
void __afl_manual_init();
// The input comes through shared memory, not stdin.
int __afl_sharedmem_fuzzing = 1;

namespace {
thread_local uintptr_t t_previous_location = 0;
}

// An edge (previous block, this block) bumps one byte of the 64 KiB map.
__attribute__((no_sanitize_coverage)) void __sanitizer_cov_trace_pc() {
  uintptr_t location = reinterpret_cast<uintptr_t>(__builtin_return_address(0));
  location = ((location >> 4) ^ (location << 8)) & 0xFFFF;
  __afl_area_ptr[location ^ t_previous_location]++;
  t_previous_location = location >> 1;
}
}

namespace {
// afl-fuzz looks for these in the binary to use persistent mode and start
// the fork server after the caches below are filled.
__attribute__((used)) const char kPersistent[] = "##SIG_AFL_PERSISTENT##";
__attribute__((used)) const char kDeferred[] = "##SIG_AFL_DEFER_FORKSRV##";
unsigned char g_stdin_input[1 << 20];
}  // namespace

int main() {
  LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(""), 0);  // fill caches
  __afl_manual_init();
  while (__afl_persistent_loop(100000)) {
    if (__afl_fuzz_ptr != nullptr) {
      LLVMFuzzerTestOneInput(__afl_fuzz_ptr, *__afl_fuzz_len);
    } else {  // run by hand: one input on stdin
      const ssize_t size = ::read(0, g_stdin_input, sizeof g_stdin_input);
      LLVMFuzzerTestOneInput(g_stdin_input, size > 0 ? static_cast<size_t>(size) : 0);
    }
  }
  return 0;
}
