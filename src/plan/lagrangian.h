// A Lagrangian bound for the planning MIP, and shift choices from it.
//
// Price every row except line capacity and its cover row with multipliers
// pi (first the LP duals, then subgradient steps). What is left splits into
// one small problem per line and month: choose whole shifts s, then fill
// kappa * s with the production columns of best reduced margin (a
// continuous knapsack, solved greedily for each s). For any sign-feasible pi
//   L(pi) = sum_i pi_i b_i + sum_blocks max_s [...] + sum_other max_bounds(c~ x)
// is an upper bound on the MIP optimum, and at the LP duals it is no weaker
// than the LP bound: it charges whole shifts where the LP charged fractions.
// (Geoffrion, "Lagrangean relaxation for integer programming", 1974.)
//
// The per-block argmax shifts are a good integer choice to fix and re-solve
// as an LP, which is how the planner uses them as a starting plan.
#pragma once

#include <chrono>
#include <span>
#include <vector>

#include "plan/model_builder.h"

namespace cobuild::plan {

struct LagrangianResult {
  bool valid = false;          // false when some priced column is unbounded
  double bound = 0;            // best (smallest) L(pi) found
  std::vector<double> shifts;  // per column: block-optimal shifts at the first pi (others 0)
  int iterations = 0;
};

// `row_duals` are LP duals in the maximisation convention; `incumbent` is
// the best known objective (for the step size); stops at `deadline`.
LagrangianResult LagrangianBound(const BuiltModel& built, std::span<const double> row_duals, double incumbent,
                                 int max_iterations, std::chrono::steady_clock::time_point deadline);

}  // namespace cobuild::plan
