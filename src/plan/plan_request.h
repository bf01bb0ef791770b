// What to plan and how: solver parameters, and the replanning hooks (frozen
// months from a baseline, stability penalty, backlog, availability
// multipliers, supply caps) that disruption replanning builds on.
//
//   PlanRequest request;
//   request.options.solve.time_limit_seconds = 30;
//   request.baseline = &baseline;      // replan: keep months < frozen_months
//   request.frozen_months = 9;
//   request.SetLineAvailability(scenario, line, month, 0.0);  // an outage
//   Result<Plan> plan = SolvePlan(scenario, request);
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/powertrain.h"
#include "model/scenario.h"
#include "plan/plan.h"

namespace cobuild::plan {

// One progress line of a running solve.
struct Progress {
  std::string phase;  // "lp", "retool", "start", "bound", "improve", "mip", "done"
  double elapsed_seconds = 0;
  bool has_incumbent = false;
  double incumbent_gbp = 0;  // best plan's objective so far
  double bound_gbp = 0;      // best proven upper bound
  double gap = 0;
};

// A plan or bound that moves by less than this share of the objective has
// not moved, for the stall rule (a hundredth of the default 0.1% gap target).
inline constexpr double kStallMove = 1e-5;

struct SolveParams {
  double time_limit_seconds = 60;  // wall time for the whole solve, enforced by us
  double relative_gap = 1e-4;      // stop when (bound - incumbent)/|incumbent| <= this
  // Stall rule: stop when for this long neither the best plan nor the bound
  // moved by more than kStallMove of the plan's objective (in branch and
  // cut), or no sub-MIP improved the plan (primal improvement); 0 = never.
  double stall_seconds = 10;
  int threads = 1;
  int seed = 1;
  int64_t max_nodes = -1;  // branch-and-cut node limit (a work limit); -1 = none
  // Called from the solving thread, at most about once per second.
  std::function<void(const Progress&)> on_progress;
  // Polled from the solving thread between steps, at every LP iteration and
  // at every branch-and-cut event; once it returns true the solve ends as if
  // its time limit had passed: with the best plan found so far (or none,
  // kTimeLimitNoSolution), and stats.stopped set.
  std::function<bool()> should_stop;
};

struct PlanOptions {
  SolveParams solve;
  bool shift_cover_cuts = true;    // y <= min(D, kappa) * s (docs/planning-model.md)
  bool starting_plan = true;       // LP rounding heuristic as first incumbent
  bool improvement = true;         // sub-MIPs around the incumbent (plan/improvement.h)
  bool explain = true;             // duals of binding rows at the fixed integers
  int lagrangian_iterations = 60;  // subgradient steps tightening the bound; 0 = LP bound only
  // When set, receives the plan's value of every column of the model solved
  // (the one WritePlanModel writes, in its order): a plan found is then
  // checked against the written file (tests), or compared with another
  // solver's.
  std::vector<double>* column_values = nullptr;
};

class LpWarmStart;  // plan/warm_start.h

// At most `units_per_month[t]` cars with one of `powertrains` (all when
// empty) built across `plants` (all when empty), e.g. battery packs.
struct SupplyCap {
  std::string name;
  std::vector<int> plants;
  std::vector<model::Powertrain> powertrains;
  std::vector<double> units_per_month;
};

// The levers the scenario's `replan:` keys give every plan.
Levers ScenarioLevers(const model::Scenario& scenario);

struct PlanRequest {
  PlanOptions options;

  // Replanning: months < frozen_months keep `baseline`'s production, shifts,
  // shipments and retooling; later months pay `stability_penalty_gbp_per_car`
  // for every car of (line, variant, month) moved away from the baseline.
  const Plan* baseline = nullptr;
  int frozen_months = 0;
  double stability_penalty_gbp_per_car = 0;
  // Months (one flag per month, or empty for none) whose integer decisions,
  // shifts per line and retooling decided in that month, are fixed at
  // `baseline`'s while production and shipments stay free: with every month
  // flagged the plan is an LP (risk analysis re-solves that way outside its
  // recovery windows).
  std::vector<char> fixed_integer_months;

  // Extra shifts, weekend work and backlog: the scenario's (its `replan:`
  // keys) unless set here; every plan of one scenario uses the same.
  std::optional<Levers> levers;

  // Multipliers on a line's output per shift, [line * num_months + month];
  // empty means 1 everywhere. 0 is an outage, 0.5 a rate reduction.
  std::vector<double> line_availability;
  std::vector<SupplyCap> supply_caps;

  // A plan of the same scenario whose integer decisions (shifts, levers,
  // retooling) are tried as one more starting plan: a replan starts from
  // the plan with no action, so the recovery never does worse than it.
  const Plan* start = nullptr;

  // The LP basis of a related model (plan/warm_start.h) to start the root
  // LP from instead of a cold start: risk draws start from the baseline's.
  // It changes how fast the LP solves, not what it solves.
  const LpWarmStart* warm_start = nullptr;

  // Brands left out entirely (no demand, no production): "without partner".
  std::vector<int> excluded_brands;

  // Participation and host-first rows (docs/planning-model.md,
  // "Participation and host-first"): floors from a plan without the deal's
  // contract, set by deal::SolveWithDealRules; empty: no such rows.
  DealFloors deal_floors;

  void SetLineAvailability(const model::Scenario& scenario, int line, int month, double multiplier);
  void SetPlantAvailability(const model::Scenario& scenario, int plant, int month, double multiplier);
  double LineAvailability(const model::Scenario& scenario, int line, int month) const;
  bool IsExcludedVariant(const model::Scenario& scenario, int variant) const;
  Levers LeversFor(const model::Scenario& scenario) const;
  bool IntegersFixed(int month) const {
    return static_cast<size_t>(month) < fixed_integer_months.size() && fixed_integer_months[month] != 0;
  }
};

}  // namespace cobuild::plan
