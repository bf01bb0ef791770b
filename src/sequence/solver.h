// The sequencing engine: a local search over day-D orders that minimises the
// ranked criteria lexicographically with the paint batch limit kept hard.
//
// Each search thread runs, from the start order:
//  * random moves drawn from three neighbourhoods: swap two cars (any
//    distance, nearby, or two cars with the same options and different
//    colours), move one car elsewhere (anywhere nearby, or next to a car of
//    its colour) and reverse a block; distances log-uniform; the
//    neighbourhood is drawn once per batch of 16 moves (same mix, and the
//    branches on the kind of move stay predictable);
//  * phase 1 compares the rank-1 criterion alone (lower ranks move freely,
//    which widens the rank-1 plateau) until it meets its bound, stalls, or
//    has used 30% of the budget; phase 2 restarts from the best order and
//    compares all ranks;
//  * acceptance of every move that is not worse lexicographically (equal
//    moves too, so the search drifts across plateaus), decided by
//    MoveEvaluator::Decide with early exit: a move that worsens the rank-1
//    criterion is rejected before any lower rank is looked at, so rank-1
//    units are never traded for lower ranks;
//  * a perturbation after a stall: a few random moves that keep the rank-1
//    criterion but may worsen lower ranks; after several fruitless
//    perturbations the search restarts from its best order.
// This follows the very fast local search (VFLS) of Estellon, Gardi and
// Nouioua and the iterated local search of Ribeiro et al. (EJOR 191(3),
// 2008): most of the time goes into evaluating many cheap moves.
//
// A search thread stops at `max_evals` move evaluations, at the wall-time
// limit, when `should_stop` says so, or when its best order meets the lower bound on every ranked
// criterion (lower_bound.h), whichever comes first.
//
// Determinism: For a fixed seed and a work
// limit reached before the time limit, the result is identical run to run
// and for any machine. With `threads` > 1 each thread runs its own search
// (seeds derived from `seed`, same work limit) and the best result wins,
// ties going to the lowest thread, so the result is deterministic too.
//
//   SolveParams params;
//   params.max_evals = 5'000'000;  // Deterministic work limit.
//   Result<SolveResult> r = Solve(instance, InputOrder(instance), params);
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "model/error.h"
#include "sequence/evaluator.h"
#include "sequence/instance.h"
#include "sequence/lower_bound.h"

namespace cobuild::sequence {

struct SolveParams {
  uint64_t seed = 1;
  int64_t max_evals = 0;     // Per thread; 0 = no work limit.
  double time_limit_s = 10;  // Wall time; 0 = none (then max_evals must be set).
  int threads = 1;
  // Times at which the best score is recorded (plus the end of the run).
  std::vector<double> snapshot_seconds = {1, 10};
  // Called from the calling thread about once a second with the elapsed
  // time and the best score so far.
  std::function<void(double seconds, int64_t best_score)> progress;
  // Polled from the calling thread every 20 ms; once it returns true the
  // search threads stop at their next check (every 256 moves) and the best
  // order so far is returned with `stopped` set (a cancelled job, say).
  std::function<bool()> should_stop;
};

struct Snapshot {
  double seconds = 0;
  int64_t score = 0;
};

struct SolveResult {
  std::vector<int> order;  // Day-D car indices, best order found.
  Criteria criteria;       // Re-scored from scratch.
  int64_t score = 0;
  int64_t initial_score = 0;  // Of the start order (after batch repair).
  int64_t move_evals = 0;     // Summed over threads.
  double seconds = 0;
  double cpu_seconds = 0;  // Summed over the search threads.
  std::vector<Snapshot> snapshots;
  LowerBound bound;  // Of the instance (lower_bound.h), computed once per solve.
  int best_thread = 0;
  bool stopped = false;  // SolveParams::should_stop ended the search.
};

// An order that respects the paint batch limit: `order` itself when it
// does, otherwise colour batches of at most L cars, each time from the
// colour with most cars left that differs from the previous batch (keeping
// each colour's cars in their `order` sequence). InvalidInput if no order
// can respect the limit.
[[nodiscard]] Result<std::vector<int>> MakeBatchFeasible(const Instance& instance,
                                                         std::span<const int> order);

// Runs the search from `start` (a permutation of the day-D cars).
[[nodiscard]] Result<SolveResult> Solve(const Instance& instance, std::span<const int> start,
                                        const SolveParams& params);

}  // namespace cobuild::sequence
