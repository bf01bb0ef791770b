// The network planner: builds the MIP of docs/planning-model.md, finds a
// starting plan by LP rounding, improves it with CBC (branch and cut), and
// explains the result with LP duals at the chosen integer decisions.
//
//   PlanRequest request;
//   request.options.solve.time_limit_seconds = 10;
//   Result<Plan> plan = SolvePlan(scenario, request);
//   if (plan && plan->HasSolution()) { ... CheckPlan(scenario, *plan, request) ... }
//
// A time limit or a gap is part of the returned Plan (status, gap, bound),
// not an error; errors are inconsistent requests and solver failures.
#pragma once

#include <string>

#include "model/error.h"
#include "model/scenario.h"
#include "plan/cbc_backend.h"
#include "plan/model_builder.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

namespace cobuild::plan {

[[nodiscard]] Result<Plan> SolvePlan(const model::Scenario& scenario, const PlanRequest& request);

// Rounds of cuts at the root for the retooling search's LP (Tightening 7;
// bench/planning/retool_bench takes the same). On the default scenario five
// rounds (0.4 s) move the LP from GBP 19,258.1m to 19,243.3m, and at the
// retooling-only optimum's retooling from 19,223.3m to 19,209.3m, where that
// retooling's best plan is 19,203.9m: the cuts price most of the shifts'
// integrality that the search alone cannot see.
inline constexpr int kRetoolCutRounds = 5;

// The model SolvePlan(scenario, request) solves (WritePlanModel writes the
// same; bench/planning/retool_bench searches it).
[[nodiscard]] Result<BuiltModel> BuildSolvedModel(const model::Scenario& scenario,
                                                  const PlanRequest& request);

// Writes exactly the model SolvePlan(scenario, request) solves (same
// columns, rows, bounds, integrality and objective) as MPS or LP, with
// readable names (plan/model_names.h) and a comment saying what it is and
// the objective's sense, so another solver can solve it and compare.
[[nodiscard]] Result<void> WritePlanModel(const model::Scenario& scenario, const PlanRequest& request,
                                          const std::string& path, ModelFileFormat format);

}  // namespace cobuild::plan
