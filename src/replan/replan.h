// Replanning after a disruption: what the events cost with no action, and
// the recovery plan that loses least.
//
// Three plans of one scenario:
// - baseline: the plan before the events (given, or solved first);
// - disrupted: the baseline with no action taken: each line's output cut to
//   what its remaining capacity (availability, supply caps) allows, every
//   variant on a line cut in the same proportion, shipments cut with it,
//   shipments beyond a lowered demand cut too, the rest of the demand unmet;
//   shifts (and their cost) stay as planned;
// - recovered: a re-solve of the months from the first event on (earlier
//   months frozen at the baseline) with a stability penalty per car moved
//   away from the baseline, a backlog rule, and the recovery levers below.
//
// Recovery levers, all weighed by the planner: more shifts on existing lines
// (up to their maximum), moving volume to other lines and plants that can
// build it (or be retooled in time), imports from plants outside the market,
// backlog (demand served up to `backlog_max_months` late at a delay cost),
// and, when the scenario's `replan:` section allows them, extra shifts
// beyond a line's maximum and weekend work. Those two are modelled as
// capacity the planner can buy at a premium: for each line a copy "<line>+x"
// on the same plant with `extra_shifts_per_day` shifts at
// (1 + extra_shift_premium) times the shift cost, and for each plant a copy
// "<plant>+weekend" with `weekend_days_per_month` working days in the months
// from the first event on, whose lines ("<line>+weekend") cost
// (1 + weekend_premium) times a shift. Both, and the backlog, exist only in
// the recovery window: from the first month a capacity event (outage, rate
// reduction, supply cap) touches to `recovery_months` after the last; tariff,
// demand and contract changes alone re-solve without them. Copies are appended after the scenario's own
// plants and lines, so the baseline's indices stay valid.
//
//   Result<ReplanResult> r = Replan(scenario, baseline, scenario.events, {});
//   CheckPlan(r->recovery_scenario, r->recovered, r->RecoveryRequest());
#pragma once

#include <span>
#include <string>
#include <vector>

#include "model/error.h"
#include "model/event.h"
#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

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
};

// Units of one brand in one market and month.
struct UnitsCell {
  int brand = -1;
  int market = -1;
  int month = -1;
  double units = 0;
};

struct CompanyDelta {
  int company = -1;
  double baseline_gbp = 0;
  double disrupted_gbp = 0;
  double recovered_gbp = 0;
};

// Cars the recovery sells beyond the disrupted plan, by where they came from.
struct LeverUnits {
  std::string lever;  // see kLevers
  double units = 0;
};

inline constexpr const char* kLevers[] = {
    "same lines after the stop",   // more output on the disrupted lines once they run again
    "other lines and plants",      // local lines the events did not touch
    "imports",                     // plants outside the market
    "extra shifts",                // beyond a line's maximum ("<line>+x")
    "weekend work",                // "<plant>+weekend"
};

struct ReplanReport {
  double baseline_units_sold = 0;
  double disrupted_units_sold = 0;
  double recovered_units_sold = 0;
  // Sales below the baseline (positive = lost), by brand, market and month
  // of sale; cells of zero are left out.
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
  double moved_away_units = 0;     // cars the recovery sells less of elsewhere (<= 0)
  double served_late_units = 0;    // demand served after its month through the backlog
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
  std::vector<model::Event> events;
  model::Scenario disrupted_scenario;   // events applied
  model::Scenario recovery_scenario;    // plus extra-shift and weekend capacity
  plan::PlanRequest disrupted_request;  // availability and caps of the events
  plan::PlanRequest recovery_request;   // the same on the recovery scenario, frozen months, backlog
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

// The disrupted plan alone (no solve), checked against `disrupted_scenario`
// with `request` (availability and supply caps of the events).
plan::Plan DisruptedPlan(const model::Scenario& disrupted_scenario, const plan::Plan& baseline,
                         const plan::PlanRequest& request);

// The recovery scenario: `disrupted_scenario` plus the extra-shift and
// weekend copies its replan settings allow, appended after its own plants
// and lines (none when `first_month` < 0). `request`'s line availability (sized for the disrupted
// scenario's lines) is extended to the copies, which share their original
// line's availability inside the recovery window [first_month, last_month +
// recovery_months] and have none outside it, and supply caps naming a plant
// also cover its copy.
model::Scenario RecoveryScenario(const model::Scenario& disrupted_scenario, int first_month, int last_month,
                                 plan::PlanRequest& request);

}  // namespace cobuild::replan
