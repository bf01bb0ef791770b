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
