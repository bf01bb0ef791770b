// Explains a plan with LP duals at its integer decisions: with every shift
// and retooling decision fixed, the planning model is an LP whose row duals
// price line capacity, contracts, share limits and supply caps. Also names,
// for every unmet demand, the constraint that stopped it.
//
// Duals are first-order: "one more shift is worth GBP X" holds while the
// LP basis stays optimal. Line-capacity statements are re-priced exactly
// when the caller can re-solve (see RowRelaxation).
#pragma once

#include <chrono>
#include <functional>
#include <optional>

#include "model/scenario.h"
#include "plan/cbc_backend.h"
#include "plan/model_builder.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

namespace cobuild::plan {

// The objective of the LP of `at_plan` (the plan's integers fixed) re-solved
// with row `row`'s upper bound raised by `delta`; nullopt when that solve
// does not end optimal. Used to re-price line-capacity statements exactly.
using RowRelaxation = std::function<std::optional<double>(int row, double delta)>;

// Fills plan->binding and plan->unmet_causes. `at_plan` is the LP solved with
// the plan's integer decisions fixed (values and duals). With `relax`, the
// line-capacity statements that could be listed are re-priced exactly and
// those whose capacity gains nothing are dropped (degenerate duals); without
// it they stay first-order. Re-pricing stops at `deadline` (the solve's time
// limit): the statements not re-priced by then are left out, not listed at
// their first-order value, and counted in plan->stats.binding_not_repriced.
void Explain(const model::Scenario& scenario, const PlanRequest& request, const BuiltModel& built,
             const LpSolution& at_plan, const RowRelaxation& relax,
             std::chrono::steady_clock::time_point deadline, Plan* plan);

}  // namespace cobuild::plan
