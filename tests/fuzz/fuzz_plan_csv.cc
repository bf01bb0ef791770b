// A plan file in CSV (io::ParsePlanCsv) against the default scenario.
#include "fuzz_support.h"
#include "io/plan_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cobuild;
  (void)io::ParsePlanCsv(fuzz::AsText(data, size), "fuzz.csv", fuzz::DefaultScenario());
  return 0;
}
