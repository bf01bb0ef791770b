// A plan's summary (plan/plan_summary.h) as JSON and its production as a
// CSV table: what the API's plan views, the dashboard's plan page and
// `cobuild plan --format json` ("summary") show.
//
//   nlohmann::json views = io::PlanViewsJson(scenario, plan, request);
//
// PlanSummaryJson keys:
//   months, plants, companies, brands: id/name lists (months as "2026-01";
//     plants and brands also name their company)
//   utilization: {plants, months, built[p][t], capacity[p][t], share[p][t]}
//     with capacity the cars the plant's lines can build at maximum regular
//     shifts, times the line availability of the plan's request (outages);
//     lever output (extra shifts, weekend days) can take a share above 1
//   units_by_brand: [{plant, brand, units}] over the horizon, by plant
//   spare_capacity: [{plant, line, capacity, retooling_stop, built,
//     built_regular, built_on_levers, spare, lever_capacity}] over the horizon
//   plant_years: [{plant, year, capacity, retooling_stop, built, built_regular,
//     built_on_levers, spare, lever_capacity, utilization,
//     utilization_with_levers, built_by_company: [{company, built}]}]: every
//     company, its brands' cars of `built` (the plant's host is
//     plants[].company)
//   In both, each line-month's cars split against its regular capacity less
//   retooling_stop, what a retooling's downtime stops of it
//   (plan/plan_summary.h): built_regular up to it, built_on_levers beyond
//   it (extra shifts, weekend days), spare the regular capacity left unused,
//   summed over line-months (never negative); lever_capacity what every
//   lever could add; utilization built / capacity,
//   utilization_with_levers built / (capacity - retooling_stop + lever_capacity)
//   variants: [{id, name, brand, powertrain}]
//   lines: [{id, name, plant, max_shifts_per_day, built[t], capacity[t],
//     availability[t], shifts_per_day[t], extra_shifts_per_day[t],
//     weekend_days[t], variants: [{month, variant, units}]}]: per month, the
//     line's cars, capacity (times availability), the share of capacity the
//     events leave (1: none lost), the plan's shifts and levers, and the
//     variants built (months with cars only)
//   calendars: [{plant, working_days[t], shutdown_days[t], shutdowns:
//     [{reason, month, weeks}]}]: working days after shutdowns and the days
//     the declared shutdowns removed
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

// A plan's result document, the same from the API's plan job and `cobuild
// plan --format json`: PlanViewsJson with the plan file itself (as `cobuild
// plan --out` writes it, for check-plan and sequence) under "plan".
nlohmann::json PlanResultJson(const model::Scenario& scenario, const plan::Plan& plan,
                              const plan::PlanRequest& request = {});

// Two plans' cars built and capacity per plant and month side by side, for
// a comparison's difference heatmap: {plants: [{id, name}], months, a_built,
// b_built, a_capacity, b_capacity}, each [plant][month]. Plants (by id) and
// months (by date) are the union of both sides', in A's order then B's new
// ones; a plant or month a side lacks is null there.
nlohmann::json PlantMonthsSideBySideJson(const model::Scenario& scenario_a, const plan::PlanSummary& a,
                                         const model::Scenario& scenario_b, const plan::PlanSummary& b);

// Production as CSV: plant,line,variant,brand,company,month,units (entries
// with cars only).
std::string WriteProductionCsv(const model::Scenario& scenario, const plan::Plan& plan);

}  // namespace cobuild::io
