// Writes a model::Scenario as a scenario file that io::ParseScenario() reads
// back to an equal Scenario (calendars and demand are written month by month).
//
//   std::string yaml = io::WriteScenarioYaml(scenario);
#pragma once

#include <string>

#include "model/scenario.h"

namespace cobuild::io {

std::string WriteScenarioYaml(const model::Scenario& scenario);

}  // namespace cobuild::io
