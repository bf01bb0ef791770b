// Retooling downtime and ramp-up curves (docs/planning-model.md, "Retooling
// downtime and ramp-up"): which share of a month a retooling stops its line,
// and which share of the line's regular capacity a new platform or a
// launched variant may use in its first months. The model builder, the
// no-action replan and the plan summary use these; the plan checker derives
// the same figures on its own from the doc.
//
//   for (const MonthShare& m : RetoolingDowntime(scenario, line, option, decided)) ...
//   const double stopped = StoppedShare(scenario, plan.retooling, line, month);
#pragma once

#include <span>
#include <vector>

#include "model/scenario.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

namespace cobuild::plan {

struct MonthShare {
  int month = -1;
  double share = 0;  // of the month's working days
  bool operator==(const MonthShare&) const = default;
};

// The months a retooling of `line` decided in `decision_month` stops the
// line, latest first: its last 5 * downtime_weeks working days before the
// ready month, never before the decision month (months without working
// days are passed over).
std::vector<MonthShare> RetoolingDowntime(const model::Scenario& scenario, int line,
                                          const model::Retooling& option, int decision_month);

// The share of `month` the plan's retoolings of `line` stop it (0 to 1).
double StoppedShare(const model::Scenario& scenario, std::span<const RetoolEntry> retooling, int line,
                    int month);

// The month a retooling's ramp-up starts: the first month from its ready
// month in which the line may build a car of the platform at all (a
// powertrain the line builds, the plant's company owns the brand or a
// contract covers that year, the variant launched, its brand not excluded
// by `request`). A ramp is the line learning to build the cars, so a line
// readied before its cars may be built ramps up when they may. `ready_month`
// itself when no such month lies in the horizon.
int RampStart(const model::Scenario& scenario, const PlanRequest& request, int line, int platform,
              int ready_month);

// The retooling option of `line` for `platform`, or nullptr.
const model::Retooling* RetoolingOption(const model::Scenario& scenario, int line, int platform);

// The most a line builds in a month on its maximum regular shifts at
// availability multiplier `availability`: what ramp-up shares are shares of.
double RegularCapacity(const model::Scenario& scenario, int line, int month, double availability);

}  // namespace cobuild::plan
