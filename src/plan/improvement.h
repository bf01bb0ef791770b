// Primal improvement of a planning MIP's incumbent (issue 17): small
// sub-MIPs solved with CBC around the incumbent, each accepted only when it
// yields a better plan that keeps every row.
//
//   ImprovementResult better = ImproveIncumbent(solver, built, root_lp.values, incumbent, params);
//
// Neighbourhoods, in a fixed order for a seed:
// - RINS (from the second round when ImprovementParams::rins_first is off):
//   integer columns where the incumbent and the root LP agree stay
//   fixed; the others are free.
// - One line's workforce: its shifts, levers and shift changes over the
//   whole horizon are free, its retooling and every other line fixed.
// - Fix-and-optimize over windows of months: the integer decisions (shifts,
//   levers, retooling, shift changes) of `window_months` consecutive months
//   are free, every other integer column is fixed at the incumbent's value.
// - Fix-and-optimize over groups of lines: the integer decisions of the
//   lines of one plant (or of `lines_per_group` lines) over the horizon.
// Continuous columns (cars, shipments, unmet) are always free. Each sub-MIP
// is offered the incumbent as its start, so it never returns worse; it is
// bounded by a node limit (a work limit: with the time limit not reached,
// runs repeat exactly) and the time left.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "plan/cbc_backend.h"
#include "plan/model_builder.h"

namespace cobuild::plan {

// Models with at most this many integer columns go to branch and cut whole:
// a sub-MIP of them would be most of the MIP itself. The generated S network
// (338 integer columns) reached a 4.4% gap in 29 s with the sub-MIPs, before
// the stall rule ended it, and the 0.1% target in 7 s without them.
inline constexpr int kImprovementMinIntegers = 400;

struct ImprovementParams {
  std::chrono::steady_clock::time_point deadline;
  int seed = 1;
  int64_t nodes_per_subproblem = 200;  // CBC node limit of each sub-MIP
  double seconds_per_subproblem = 2;   // wall-time cap of each sub-MIP (a safeguard; the node limit decides)
  int window_months = 6;               // months freed together; windows overlap by half
  int lines_per_group = 4;             // lines freed together when a plant has more
  int max_rounds = 3;                  // passes over every neighbourhood; a round without gain ends
  // Free integer columns above which a neighbourhood is split or skipped:
  // keeps each sub-MIP to a fraction of a second.
  int max_free_integers = 150;
  // A model with more columns than this gets sub-MIPs over the free plants'
  // columns only (improvement.cc, Restrict): the other plants' flows stay.
  // Every model by default: on the default scenario (9,277 columns) a
  // sub-MIP over the whole network takes 0.3 to 2 s (CBC's preprocessing and
  // LP over every column), one over the freed plants 0.05 to 0.3 s, and the
  // 10 s plan's gap fell from 0.26-0.31% to 0.20-0.22%.
  int local_columns = 0;
  // Stops when the plan has not gained stall_gap_share of its gap to `bound`
  // (the gap when the clock last restarted, in one step or in many) for this
  // long (the stall rule; 0 = no such stop). Smaller gains are kept but do
  // not restart the stall clock: on the default scenario at a 60 s limit
  // the plan reaches 0.14% in 18 s, then gains GBP 0.03m to 0.8m every few
  // seconds; with a share of 1% of each single gain those kept the
  // improvement going to 49 to 55 s in `make demo`, for GBP 0.5m.
  double stall_seconds = 0;
  double stall_gap_share = 0.05;
  // RINS in the first round. Off after branch and cut's root, whose
  // heuristics already searched around the same incumbent and root LP.
  bool rins_first = true;
  // Stops once (bound - incumbent) / |incumbent| reaches this (the gap target).
  double target_gap = 0;
  double bound = 0;
  // A bound that moves while the improvement runs (a search on another
  // thread): when set, the smaller of it and `bound` is used.
  std::function<double()> current_bound;
  std::function<bool()> should_stop;
  // Called after each accepted improvement with its objective.
  std::function<void(double)> on_improvement;
};

// A sub-MIP over the free columns only: every other column stays at its
// value in `values`, its share moved into the row bounds and the objective's
// offset; rows without a free column are left out (the values keep them).
struct Restriction {
  LinearProgram lp;
  std::vector<int> column;  // the sub-MIP's column -> the model's
};
Restriction Restrict(const LinearProgram& lp, const std::vector<double>& values,
                     const std::vector<char>& is_free);

struct ImprovementResult {
  std::vector<double> values;  // the best plan's columns (the incumbent when nothing improved)
  double objective = 0;
  int subproblems = 0;  // sub-MIPs solved
  int improvements = 0;
  int rins_improvements = 0;
  int workforce_improvements = 0;
  int window_improvements = 0;
  int line_improvements = 0;
  bool stalled = false;     // a whole round, or the stall time, found nothing better
  bool stall_rule = false;  // the stall time did (the solve's stall rule ended it)
};

// `incumbent` must be a feasible point of `built.lp` with integral integer
// columns; `lp_values` the root LP's solution. The solver's bounds are
// restored before return.
ImprovementResult ImproveIncumbent(MipSolver& solver, const BuiltModel& built,
                                   const std::vector<double>& lp_values, std::vector<double> incumbent,
                                   const ImprovementParams& params);

// Each row's activity at `values`.
std::vector<double> RowActivity(const LinearProgram& lp, const std::vector<double>& values);

// Whether `values` keep every bound and row of the model, each to the
// tolerance of WithinBounds (linear_program.h). The planner checks CBC's
// results with it: CBC stopped inside its preprocessing can hand back values
// of the preprocessed model, which break rows by thousands of cars.
bool KeepsEveryRow(const LinearProgram& lp, const std::vector<double>& values);

// KeepsEveryRow, and every integer column is whole.
bool IsFeasiblePoint(const LinearProgram& lp, const std::vector<double>& values);

}  // namespace cobuild::plan
