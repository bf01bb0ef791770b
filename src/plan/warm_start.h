// An LP basis carried from one planning model to a related one: the same
// scenario with events applied, months frozen, integers fixed or stability
// rows added. Each column and row is remembered by what it means
// (ColumnInfo, RowInfo), not by its index, so the basis fits a model whose
// columns and rows differ in number and order.
//
//   Result<LpWarmStart> warm = SolveWarmStart(scenario, reference_request);
//   request.warm_start = &*warm;      // each related solve starts its LP there
//   Result<Plan> plan = SolvePlan(disrupted_scenario, request);
//
// A related model's LP started from the dual simplex at a near-optimal basis
// takes a fraction of the pivots of a cold start (risk draws: the baseline's
// basis; docs/benchmarks.md). The basis only changes where the LP starts,
// never what it solves: the optimum is the same LP's (an LP with several
// optima may return another of them).
#pragma once

#include <array>
#include <utility>
#include <vector>

#include "model/error.h"
#include "model/scenario.h"
#include "plan/cbc_backend.h"
#include "plan/model_builder.h"
#include "plan/plan_request.h"

namespace cobuild::plan {

class LpWarmStart {
 public:
  LpWarmStart() = default;
  // Remembers `basis` (one status per column and row of `built`).
  LpWarmStart(const BuiltModel& built, const LpBasis& basis);

  // The basis for `built`: a column or row this warm start knows keeps its
  // status; a new column starts at its lower bound and a new row with its
  // slack basic, so a model that differs by added columns and rows gets a
  // square basis (CLP repairs the rest, see MipSolver::SetBasis).
  LpBasis For(const BuiltModel& built) const;

  bool empty() const { return columns_.empty(); }

 private:
  using Key = std::array<int, 8>;
  std::vector<std::pair<Key, BasisStatus>> columns_;  // sorted by key
  std::vector<std::pair<Key, BasisStatus>> rows_;     // sorted by key
};

// Solves the LP relaxation of `request`'s model of `scenario` and returns
// its optimal basis. With `fixed_integer_months` set in every month the
// relaxation is the LP at the baseline's shifts and retooling: the basis of
// the baseline plan itself. Errors: the request does not fit the scenario
// (BuildPlanModel's), or the LP is not solved to optimality (Internal).
[[nodiscard]] Result<LpWarmStart> SolveWarmStart(const model::Scenario& scenario, const PlanRequest& request);

}  // namespace cobuild::plan
