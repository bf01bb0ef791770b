// Scenario YAML (io::ParseScenarioDetailed, as `cobuild validate` and
// POST /api/scenarios read it).
#include "fuzz_support.h"
#include "io/scenario_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cobuild;
  const io::ScenarioParse parse = io::ParseScenarioDetailed(fuzz::AsText(data, size), "fuzz.yaml");
  fuzz::Require(parse.scenario.has_value() == parse.diagnostics.empty(),
                "a scenario comes back exactly when there is no diagnostic");
  fuzz::Require(parse.diagnostics.size() <= io::kMaxDiagnostics + 1, "diagnostics are capped");
  return 0;
}
