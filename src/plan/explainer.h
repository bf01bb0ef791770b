// Explains a plan with LP duals at its integer decisions: with every shift
// and retooling decision fixed, the planning model is an LP whose row duals
// price line capacity, contracts, share limits and supply caps. Also names,
// for every unmet demand, the constraint that stopped it.
//
// Duals are first-order: "one more shift is worth GBP X" holds while the
// LP basis stays optimal, which for one shift in one month it usually does.
#pragma once

#include "model/scenario.h"
#include "plan/cbc_backend.h"
#include "plan/model_builder.h"
#include "plan/plan.h"
#include "plan/plan_request.h"

namespace cobuild::plan {

// Fills plan->binding and plan->unmet_causes. `at_plan` is the LP solved with
// the plan's integer decisions fixed (values and duals).
void Explain(const model::Scenario& scenario, const PlanRequest& request, const BuiltModel& built,
             const LpSolution& at_plan, Plan* plan);

}  // namespace cobuild::plan
