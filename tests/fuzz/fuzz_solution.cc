// A sequence solution file (io::ReadSolution, as `cobuild evaluate` reads
// it) against the tiny ROADEF instance of tests/data.
#include "fuzz_support.h"
#include "io/roadef_reader.h"
#include "io/sequence_solution.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cobuild;
  static const sequence::Instance instance = [] {
    auto read = io::ReadRoadefInstance(COBUILD_SOURCE_DIR "/tests/data/carseq/tiny_roadef");
    fuzz::Require(read.has_value(), "the tiny ROADEF instance reads");
    return *read;
  }();
  auto order = io::ReadSolution(fuzz::ScratchFile("solution.txt", fuzz::AsText(data, size)), instance);
  if (order) fuzz::Require(order->size() <= instance.cars.size(), "an order has at most every car once");
  return 0;
}
