// Replanning after a disruption: what the events cost with no action, and
// the recovery plan that loses least.
//
// Three plans of one scenario, all with the same levers (the scenario's
// extra shifts, weekend days and backlog; docs/planning-model.md, "Levers"),
// so that a disruption can only cost:
// - baseline: the plan before the events (given, or solved first), planned
//   with the levers in every month;
// - disrupted: the baseline with no action taken: each line's output cut to
//   what its remaining capacity (availability, supply caps) allows from the
//   shifts, extra shifts and weekend days the baseline planned, every
//   variant on a line cut in the same proportion, shipments cut with it,
//   shipments beyond a lowered demand cut too, the rest of the demand unmet;
//   shifts (and their cost) stay as planned;
// - recovered: a re-solve of the months from the first event on (earlier
//   months frozen at the baseline) with a stability penalty per car moved
//   away from the baseline, on the same model as the baseline.
//
// Recovery levers, all weighed by the planner: more shifts on existing lines
// (up to their maximum), moving volume to other lines and plants that can
// build it (or be retooled in time), imports from plants outside the market,
// and the scenario's levers: backlog (demand served up to
// `backlog_max_months` late at a delay cost), extra shifts beyond a line's
// maximum and weekend days, recorded per line and month in the plan's shift
// entries. The cost of the events is each plan's contribution minus the
// baseline's.
//
// A baseline that is itself a disrupted or recovered plan (its basis lists
// events) keeps those events applied and its frozen months; only the events
// it does not include are new, and the recovery freezes the months before
// the first of them.
//
//   Result<ReplanResult> r = Replan(scenario, baseline, scenario.events, {});
//   CheckPlan(r->disrupted_scenario, r->recovered, r->RecoveryRequest());
#pragma once

#include <span>
#include <string>
#include <vector>

#include "model/error.h"
#include "model/event.h"
#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/plan_request.h"
#include "plan/warm_start.h"
#include "replan/compare.h"

namespace cobuild::replan {

struct ReplanOptions {
  plan::PlanOptions plan;  // solve limits, seed, threads
  // Take the time limit (and the relative gap) from the scenario's
  // `replan:` section rather than from `plan.solve`.
  bool use_scenario_time_limit = true;
  // Keep the baseline's integer decisions (shifts per line and month, and
  // retooling) in every month outside the capacity events' own windows (each
  // from its first month to recovery_months after its last), re-optimising
  // only production and shipments there: the recovery is an LP outside the
  // windows and a small MIP inside them (all an LP without capacity events).
  // An approximation `Risk` uses for speed; the report says so.
  bool fix_integers_outside_window = false;
  // Where the recovery's root LP starts (PlanRequest::warm_start); Risk
  // passes the baseline's basis to every draw.
  const plan::LpWarmStart* warm_start = nullptr;
};

// One company's contribution in the three plans. The cost of the events,
// like for like (the same levers in every plan), is baseline minus plan.
struct CompanyDelta {
  int company = -1;
  double baseline_gbp = 0;
  double disrupted_gbp = 0;
  double recovered_gbp = 0;
  double DisruptedCost() const { return baseline_gbp - disrupted_gbp; }
  double RecoveredCost() const { return baseline_gbp - recovered_gbp; }
};

// Cars the recovery sells beyond the disrupted plan, by where they came from.
struct LeverUnits {
  std::string lever;  // see kLevers
  double units = 0;
  // The lever's share of what the recovery wins back in GBP: the recovery's
  // contribution gain over the disrupted plan (all companies) per net car it
  // sells beyond that plan, times the lever's cars. An average attribution:
  // the levers' values and moved_away_gbp sum to the gain; it does not
  // price one lever's marginal car (0 when the recovery sells no net car).
  double value_gbp = 0;
};

inline constexpr const char* kLevers[] = {
    "same lines after the stop",  // more output on the disrupted lines once they run again
    "other lines and plants",     // local lines the events did not touch
    "imports",                    // plants outside the market
    "extra shifts",               // beyond a line's maximum (ShiftEntry::extra_shifts_per_day)
    "weekend work",               // weekend days (ShiftEntry::weekend_days)
};

struct ReplanReport {
  double baseline_units_sold = 0;
  double disrupted_units_sold = 0;
  double recovered_units_sold = 0;
  // Sales below the baseline (positive = lost), by brand, market and month
  // of sale; cells of zero are left out (SalesDifference of the baseline and
  // each plan).
  std::vector<UnitsCell> disrupted_lost;
  std::vector<UnitsCell> recovered_lost;
  std::vector<LeverUnits> levers;  // one per kLevers entry, in order
  // The recovery's sales against the two other plans, per brand and market
  // over the horizon (backlog moves sales between months), summed:
  // won back = min(recovered - disrupted, baseline - disrupted), at least 0:
  // cars the events cost with no action that the recovery sells after all;
  // beyond baseline = max(0, recovered - baseline): cars the baseline did not
  // sell either (demand it left unmet, or that a demand change added), which
  // the recovery's levers happen to reach. Only the first counts as
  // recovering the loss; the second is listed apart.
  double won_back_units = 0;
  double beyond_baseline_units = 0;
  std::vector<UnitsCell> beyond_baseline;  // per brand and market (month -1)
  double moved_away_units = 0;             // cars the recovery sells less of elsewhere (<= 0)
  double moved_away_gbp = 0;               // their share of the gain, as LeverUnits::value_gbp (<= 0)
  double served_late_units = 0;            // demand served after its month through the backlog
  std::vector<CompanyDelta> companies;
  double baseline_objective_gbp = 0;
  double disrupted_objective_gbp = 0;
  double recovered_objective_gbp = 0;
  // Months in which the recovery sells less than the baseline, with the
  // shortfall in cars.
  std::vector<std::pair<int, double>> short_months;
  int frozen_months = 0;
  // How the recovery was solved when it was not the full MIP, in words
  // ("" for the full re-solve).
  std::string approximation;
};

struct ReplanResult {
  std::vector<model::Event> events;     // every event applied: the baseline's own, then the new ones
  model::Scenario disrupted_scenario;   // events applied; the disrupted and recovered plans' scenario
  plan::PlanRequest disrupted_request;  // availability and caps of the events
  plan::PlanRequest recovery_request;   // the same with frozen months and the stability penalty
  plan::Plan baseline;
  plan::Plan frozen_reference;  // the baseline without solver rounding; the recovery's frozen months
  plan::Plan disrupted;
  plan::Plan recovered;
  ReplanReport report;

  // recovery_request pointing at `frozen_reference` (for the checker).
  plan::PlanRequest RecoveryRequest() const;
};

// `baseline` must be a plan of `scenario` (for example from plan::SolvePlan).
// Errors: conflicting events (InvalidInput) and solver failures (Internal).
[[nodiscard]] Result<ReplanResult> Replan(const model::Scenario& scenario, const plan::Plan& baseline,
                                          std::span<const model::Event> events, const ReplanOptions& options);

// The LP basis of `baseline` as a recovery sees it (the scenario's model with
// the baseline's shifts and retooling fixed and the recovery's stability
// rows), for recoveries of it to start their root LP from
// (ReplanOptions::warm_start). `options` gives the LP's time limit and stop
// check. Errors: a baseline that does not fit the scenario, an LP not solved.
[[nodiscard]] Result<plan::LpWarmStart> BaselineWarmStart(const model::Scenario& scenario,
                                                          const plan::Plan& baseline,
                                                          const plan::PlanOptions& options);
// The request whose model BaselineWarmStart solves: the model a basis of
// it (LpWarmStart::For) is read from and rebuilt on (risk draws ship the
// basis to other processes instead of solving the LP again there).
plan::PlanRequest BaselineWarmStartRequest(const model::Scenario& scenario, const plan::Plan& baseline,
                                           const plan::PlanOptions& options);

// The disrupted plan alone (no solve), checked against `disrupted_scenario`
// with `request` (availability and supply caps of the events).
plan::Plan DisruptedPlan(const model::Scenario& disrupted_scenario, const plan::Plan& baseline,
                         const plan::PlanRequest& request);

}  // namespace cobuild::replan
