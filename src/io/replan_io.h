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
// The downside of a risk analysis, part of RiskJson and of the server's
// risk result: `loss_gbp` percentiles (baseline minus the draw's recovered
// contribution: P90 is the bad tail), `companies` (each company's baseline,
// contribution and loss percentiles), `losses_gbp` (each successful draw's
// loss, in draw order) and `worst_draws` (the kWorstDraws largest losses,
// worst first, with their events and each company's loss). Percentiles are
// null when no draw succeeded.
inline constexpr int kWorstDraws = 10;
nlohmann::json RiskDownsideJson(const model::Scenario& scenario, const replan::RiskResult& result);
nlohmann::json ComparisonJson(const replan::Comparison& comparison);

}  // namespace cobuild::io
