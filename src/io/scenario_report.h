// What `cobuild info` shows about a scenario, as text tables or JSON (the
// server's scenario page uses the same JSON): plants and lines with their
// yearly capacity, models by brand and powertrain, demand by brand, market
// and year.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/scenario.h"

namespace cobuild::io {

std::string ScenarioInfoText(const model::Scenario& scenario);
nlohmann::json ScenarioInfoJson(const model::Scenario& scenario);

// "3 companies, 7 brands, 5 plants, 9 lines, 13 variants, 4 markets, 36 months".
std::string ScenarioCounts(const model::Scenario& scenario);

}  // namespace cobuild::io
