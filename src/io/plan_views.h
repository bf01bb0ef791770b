// A plan's summary (plan/plan_summary.h) as JSON and its production as a
// CSV table: what the API's plan views, the dashboard's plan page and
// `cobuild plan --format json` ("summary") show.
//
//   nlohmann::json views = io::PlanViewsJson(scenario, plan, request);
//
// PlanSummaryJson keys:
//   months, plants, companies, brands: id/name lists (months as "2026-01")
//   utilization: {plants, months, built[p][t], capacity[p][t], share[p][t]}
//     with capacity the cars the plant's lines can build at maximum regular
//     shifts, times the line availability of the plan's request (outages);
//     lever output (extra shifts, weekend days) can take a share above 1
//   units_by_brand: [{plant, brand, units}] over the horizon, by plant
//   spare_capacity: [{plant, line, capacity, built, spare}] over the horizon
//     (spare at least 0)
//   plant_years: [{plant, year, capacity, built, spare, utilization}]
//   markets: [{market, sold, imported, duty_paid_gbp, duty_avoided_gbp, unmet}]
// PlanViewsJson adds scenario, status, objective_gbp, bound_gbp, gap,
// penalties_gbp, unmet_units, contributions (one object per company, GBP, as
// in the plan file), binding (strongest first) and stats.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/plan_request.h"
#include "plan/plan_summary.h"

namespace cobuild::io {

nlohmann::json PlanSummaryJson(const model::Scenario& scenario, const plan::PlanSummary& summary);

// The summary of `plan` with `request`'s line availability, and the plan's
// status, money and statistics.
nlohmann::json PlanViewsJson(const model::Scenario& scenario, const plan::Plan& plan,
                             const plan::PlanRequest& request = {});

// Production as CSV: plant,line,variant,brand,company,month,units (entries
// with cars only).
std::string WriteProductionCsv(const model::Scenario& scenario, const plan::Plan& plan);

}  // namespace cobuild::io
