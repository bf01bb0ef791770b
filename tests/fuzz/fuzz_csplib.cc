// A CSPLib prob001 instance (io::ReadCsplibInstance).
#include "fuzz_support.h"
#include "io/csplib_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cobuild;
  (void)io::ReadCsplibInstance(fuzz::ScratchFile("instance.txt", fuzz::AsText(data, size)));
  return 0;
}
