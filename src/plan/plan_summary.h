// The one summary of a plan every presentation draws from: the CLI's plan
// table and `--format json`, the API's plan views (and so the dashboard),
// and plan comparisons. Per line and month, plant and month, plant and
// year: cars built against capacity; units by brand and plant; per market:
// sales, imports, the duty they paid and the duty local builds avoided.
// Per company the plan's own contributions (Plan::contributions, which the
// plan checker recomputes) are the figures.
//
// Capacity is what a line builds at its maximum regular shifts, times its
// availability in `request` (the outages and rate cuts of a disrupted or
// recovered plan's events; 1 without events). This is the rule the server's
// plan views always used; the CLI's table used to leave availability out,
// which overstated the capacity of a stopped plant. Retooling downtime is
// not taken off it (RetooledLine reports the capacity a downtime costs).
//
// Extra shifts and weekend days (the scenario's levers, docs/planning-
// model.md "Levers") are capacity beyond this. Each line-month's cars are
// split against its regular capacity less what a retooling stops of it
// (retooling_stop, the downtime's share of the month): up to it they count
// as built on regular shifts, above it as built on levers, and what it
// leaves unused is the line's spare. Line-years, plant-months and plant-years
// add up their line-months, so a plant with one line on Saturdays and
// another idle shows both the lever cars and the idle line's spare, never a
// net "negative spare" (docs/planning-model.md, "Capacity, levers and spare
// in the reports").
//
// "Duty avoided" by a car built inside its market (or under a local-content
// rule) is the duty the same car would have paid from the cheapest-duty
// import source that could build it and has a route to the market; 0 when
// no such source exists.
//
//   const PlanSummary summary = Summarize(scenario, plan, request);
//   for (const PlantYear& py : summary.plant_years) ... py.utilization()
#pragma once

#include <vector>

#include "model/scenario.h"
#include "plan/economics.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

namespace cobuild::plan {

// Cars built against capacity, for a line-month or a sum of line-months
// (a line's horizon, a plant-month, a plant-year). Per line-month, with
// open = capacity - retooling_stop: built = built_regular + built_on_levers
// and capacity = built_regular + spare_regular + retooling_stop; sums keep
// both identities.
struct Output {
  double built = 0;
  double capacity = 0;         // at maximum regular shifts, times availability
  double retooling_stop = 0;   // of `capacity`, what retooling downtime stops
  double built_regular = 0;    // min(built, open) per line-month
  double built_on_levers = 0;  // max(0, built - open) per line-month
  double spare_regular = 0;    // max(0, open - built) per line-month: never negative
  // What the levers the plan was made with add to `capacity` when every one
  // is used ($\bar C_{lt}$ - $\kappa_{lt} S_l$: the extra shifts that fit the
  // day and the weekend days, times availability, less the retooling
  // downtime's share; 0 without levers).
  double lever_capacity = 0;
  double spare() const { return spare_regular; }
  // Of the regular capacity: above 1 when levers build beyond it.
  double utilization() const { return capacity > 0 ? built / capacity : 0; }
  // Of what the line could build: the regular capacity a retooling leaves
  // open plus every lever's (which already leaves the stop out); at most 1
  // in a valid plan. The stop is left out as in the dashboard's "partners
  // fill": no shift or lever builds a car in a retooling's stopped days.
  double utilization_with_levers() const {
    const double usable = capacity - retooling_stop + lever_capacity;
    return usable > 0 ? built / usable : 0;
  }
  // Adds a line-month (or a sum of them) into this sum.
  void Add(const Output& o);
};

// Cars of one variant a line builds in a month.
struct VariantUnits {
  int variant = -1;
  double units = 0;
};

struct LineMonth : Output {
  int line = -1;
  int month = -1;
  double availability = 1;  // share of the line's capacity the request's events leave
  int shifts_per_day = 0;   // regular shifts the plan runs (0: the line stands)
  int extra_shifts_per_day = 0;
  int weekend_days = 0;
  std::vector<VariantUnits> variants;  // built, by variant index
};

struct PlantMonth : Output {
  int plant = -1;
  int month = -1;
};

struct PlantYear : Output {
  int plant = -1;
  int year = 0;
  // Of `built`, the cars of each company's brands, by company index: the
  // plant's host's own cars and its partners' (contracts, joint ventures).
  std::vector<double> built_by_company;
};

struct BrandPlant {
  int brand = -1;
  int plant = -1;
  double units = 0;
};

struct MarketTrade {
  int market = -1;
  double sold = 0;
  double imported = 0;  // from plants outside the market
  double duty_paid_gbp = 0;
  double duty_avoided_gbp = 0;
  double unmet = 0;
};

// A company's cars built at one plant at the plant's cost (plant costs and
// kits, docs/planning-model.md "Costs by plant and kits") against the same
// cars at their variants' own cost.
struct CompanyPlantCost {
  int company = -1;  // owner of the cars
  int plant = -1;
  double units = 0;
  double kit_units = 0;         // of which assembled from kits
  double cost_gbp = 0;          // landed: cost, kit freight and kit duty
  double default_cost_gbp = 0;  // the variants' unit_variable_cost_gbp
  double CostPerCar() const { return units > 0 ? cost_gbp / units : 0; }
  double DefaultCostPerCar() const { return units > 0 ? default_cost_gbp / units : 0; }
};

// A month of a retooling's ramp-up: the share of the line's regular
// capacity the new platform may use, that cap in cars, and the platform's
// cars the plan builds on the line.
struct RampMonth {
  int month = -1;
  double share = 1;
  double cap = 0;
  double built = 0;
};

// A retooling the plan decides (docs/planning-model.md, "Retooling downtime
// and ramp-up"): when the platform is ready, the months the line stops and
// the regular capacity that costs, and its first months (the ramp-up, or
// the ready month alone without one).
struct RetooledLine {
  int line = -1;
  int platform = -1;
  int decision_month = -1;
  int ready_month = -1;  // may lie beyond the horizon's end only in a malformed plan
  double downtime_weeks = 0;
  std::vector<int> downtime_months;  // latest first
  double downtime_lost_cars = 0;     // regular capacity of the stopped working days
  std::vector<RampMonth> ramp;
};

struct PlantStockCurve {
  int plant = -1;
  std::vector<double> units;  // cars held at the end of each month
  double holding_cost_gbp = 0;
  int peak_month = -1;  // first month of the largest stock; -1 when none is held
  double peak() const { return peak_month < 0 ? 0.0 : units[static_cast<size_t>(peak_month)]; }
};

struct PlanSummary {
  std::vector<LineMonth> line_months;    // every line and month, [line * num_months + month]
  std::vector<PlantMonth> plant_months;  // every plant and month, [plant * num_months + month]
  std::vector<PlantYear> plant_years;    // every plant and calendar year, by plant then year
  std::vector<BrandPlant> brand_plants;  // the pairs with production, by brand then plant
  std::vector<MarketTrade> markets;      // every market, in scenario order
  // Per company and plant, for the companies whose cars cost other than
  // their variants' own cost at some plant (where plant costs or kits
  // apply); by company then plant.
  std::vector<CompanyPlantCost> cost_by_plant;
  std::vector<RetooledLine> retooled;  // the plan's retoolings, in plan order
  // Regular-shift changes per line and their cost (docs/planning-model.md,
  // "Workforce"), every line in scenario order.
  std::vector<LineShiftChanges> shift_changes;
  // Finished-goods stock at each month's end per plant with a `stock:`
  // block, by plant in scenario order (docs/planning-model.md,
  // "Finished-goods stock").
  std::vector<PlantStockCurve> stock;
  double sold_after_horizon = 0;  // cars arriving after the horizon ("The horizon's end")

  // A line's output over the horizon.
  Output LineTotal(const model::Scenario& scenario, int line) const;
};

PlanSummary Summarize(const model::Scenario& scenario, const Plan& plan, const PlanRequest& request = {});

}  // namespace cobuild::plan
