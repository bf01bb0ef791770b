// A plan file in JSON (io::ParsePlanJson, as check-plan, replan --baseline
// and the server's jobs read it) against the default scenario.
#include "fuzz_support.h"
#include "io/plan_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cobuild;
  (void)io::ParsePlanJson(fuzz::AsText(data, size), "fuzz.json", fuzz::DefaultScenario());
  return 0;
}
