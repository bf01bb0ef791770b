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

// The result documents of a replan and a risk run, the same from the API's
// jobs and `cobuild replan|risk --format json` (docs/api.md).
//
// ReplanResultJson: {events, baseline, disrupted, recovered, report}; each
// plan as io::PlanResultJson (utilization, plant years, lines, ...; the
// disrupted and recovered ones with the events' line availability), report
// the replan's figures (ReplanReportJson's keys, its `levers` as
// `scenario_levers`) plus per-company GBP and the recovery levers as lists.
nlohmann::json ReplanResultJson(const model::Scenario& scenario, const replan::ReplanResult& result);
// RiskJson: draw counts, baseline_contribution_gbp, `percentiles`
// {contribution_gbp, disrupted_contribution_gbp, units_lost,
// disrupted_units_lost} each {p10, p50, p90} (null when no draw
// succeeded), `distributions` for the histograms, RiskDownsideJson's keys
// and `draws` (each draw with its events, and its error if it failed).
nlohmann::json RiskJson(const model::Scenario& scenario, const replan::RiskResult& result);

}  // namespace cobuild::io
