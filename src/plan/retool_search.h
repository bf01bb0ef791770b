// Branch and bound over the retooling decisions alone: a bound on the
// planning MIP and LP points to round (docs/planning-model.md, Tightening 7).
//
// The LP relaxation retools lines a little (a quarter of Halewood 1, two
// thirds of Halewood 2 and an eighth of Castle Bromwich on the default
// scenario) and takes that share of the new platform's capacity for that
// share of the cost. The search splits the decisions: an option (a line and
// a platform) is free, "never" or "ever, decided in months [lo, hi]" (its
// at-most-once row an equation, its columns outside the window at 0). A
// node's children split one option (chosen by a RetoolBranching rule): a
// free option into never and ever, an ever option spread over months at
// the month where its LP mass reaches one half. A node whose LP takes every
// option whole is a leaf. The nodes are
// solved best first, each from its parent's basis, and at any stop the
// largest of the leaves and the open nodes' parents bounds every integer
// plan. Run to the end, it is the optimum of the model with only the
// retooling integral.
//
//   MipSolver solver(built.lp);
//   const LpSolution root = solver.SolveRelaxation(10);
//   RetoolSearch search = SearchRetooling(solver, built, RetoolOptions(built), root.objective,
//                                         deadline, /*max_lps=*/1000);
//   bound = std::min(bound, search.bound);
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "plan/cbc_backend.h"
#include "plan/linear_program.h"
#include "plan/model_builder.h"

namespace cobuild::plan {

// A retooling option (a line and a platform): its decision columns in month
// order and its at-most-once row.
struct RetoolOption {
  int once_row = -1;
  std::vector<int> columns;
};

// Every retooling option of the model, by line and platform.
std::vector<RetoolOption> RetoolOptions(const BuiltModel& built);

// Whether `values` (an LP point) leave some option fractional: a fractional
// total, or a whole one spread over months.
bool AnyRetoolingFractional(const std::vector<RetoolOption>& options, const std::vector<double>& values);

struct RetoolSearch {
  double bound = kInfinity;  // kInfinity: no bound (no node solved)
  LpSolution point;          // the best leaf, else the best node below the root: a point to round
  int lps = 0;               // node LPs solved
  bool proven = false;       // every node closed: `bound` is the retooling-only optimum
};

// How a node picks the option to split. kFractional leaves the LP's most
// fractional options to the last: it reaches high leaves (good points to
// round) in few LPs. kPseudoCost splits where the children are expected to
// lose the most LP value, from what past splits lost per unit of LP mass
// moved (averaged per option and kind of split): it closes the bound in
// fewer LPs. On the default scenario, from the root with its cuts, the
// search was proven at 1,179 LPs with kFractional and 351 with kPseudoCost;
// after 50 LPs kFractional's best leaf was GBP 19,196.7m, kPseudoCost had
// none above 19,185.6m (bench/planning/retool_bench, docs/benchmarks.md).
// The pseudo-costs are recorded under both rules.
enum class RetoolBranching { kFractional, kPseudoCost };

// The search, resumable: each Run() goes on from the open nodes the last
// one left. The planner runs it once before the starting plan and again,
// with the rest of its share of the time, once the primal improvement has
// stopped moving the plan (docs/planning-model.md, Tightening 7).
class RetoolSearcher {
 public:
  // From the relaxation `solver` holds (its LP value `root_objective`);
  // `built` and `options` must outlive the searcher.
  RetoolSearcher(MipSolver& solver, const BuiltModel& built, const std::vector<RetoolOption>& options,
                 double root_objective);
  ~RetoolSearcher();
  RetoolSearcher(const RetoolSearcher&) = delete;
  RetoolSearcher& operator=(const RetoolSearcher&) = delete;

  // Solves nodes until every node is closed, `deadline` or `max_lps` more
  // node LPs (a work limit: with no deadline reached, the search repeats
  // exactly). The solver's bounds and basis are restored after.
  // `on_bound`, when set, is called with the search's bound before each node
  // and at the end, from the thread that runs the search: the planner reads
  // the bound of a search on a thread of its own through it.
  void Run(MipSolver& solver, std::chrono::steady_clock::time_point deadline, int max_lps,
           RetoolBranching branching, const std::function<void(double)>& on_bound = {});
  // Drops the open nodes and starts again from the root, keeping the best
  // leaf, the bound so far and the pseudo-costs: the tree the next run
  // grows is shaped by its own rule alone. Nothing when Finished().
  void Restart();
  // Every node closed: nothing more to run.
  bool Finished() const;
  // The search so far: its bound, best point and LPs in all runs.
  const RetoolSearch& Result() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What ClimbRetooling found.
struct RetoolClimb {
  LpSolution point;  // the best leaf seen (the given one when no move gained)
  int lps = 0;       // LPs solved
  int moves = 0;     // moves that gained
};

// A local search over the months of a leaf's retooling: from `leaf` (an LP
// point whose every option is never or whole in one month), each retooled
// option's month moves earlier or later by 1, 2, 4, ... months while the
// leaf's LP (the retooling fixed there) gains, first earlier, then later,
// option by option, until a pass gains nothing, `deadline` or `max_lps`.
// The best-first search reaches far leaves slowly: on the default scenario
// its leaves after 2 s retool Castle Bromwich 1 in months 23, 22, ... 19,
// each better, where month 12 is the best (docs/planning-model.md,
// Tightening 7). The solver's bounds and basis are restored after.
RetoolClimb ClimbRetooling(MipSolver& solver, const BuiltModel& built,
                           const std::vector<RetoolOption>& options, const LpSolution& leaf,
                           std::chrono::steady_clock::time_point deadline, int max_lps);

// One run of a RetoolSearcher (kFractional): searches until every node is closed,
// `deadline` or `max_lps` node LPs.
RetoolSearch SearchRetooling(MipSolver& solver, const BuiltModel& built,
                             const std::vector<RetoolOption>& options, double root_objective,
                             std::chrono::steady_clock::time_point deadline, int max_lps);

}  // namespace cobuild::plan
