// JSON for the replanning results: a replan's report (with ids and
// "YYYY-MM" months), a risk analysis, and a comparison of two plans.
//
//   std::cout << io::ReplanReportJson(result).dump(2);
#pragma once

#include <nlohmann/json.hpp>

#include "replan/compare.h"
#include "replan/replan.h"
#include "replan/risk.h"

namespace cobuild::io {

nlohmann::json ReplanReportJson(const replan::ReplanResult& result);
nlohmann::json RiskJson(const model::Scenario& scenario, const replan::RiskResult& result);
nlohmann::json ComparisonJson(const replan::Comparison& comparison);

}  // namespace cobuild::io
