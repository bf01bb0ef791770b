// Work items solved in worker processes forked from this one: the risk
// draws and the deal's sweep points on the cores of one machine, without
// MPI (docs/scale-out.md, "Worker processes").
//
// Processes rather than threads: CBC's CbcMain0/CbcMain1 keep global state
// and are not safe to run concurrently in one process (coin-or/Cbc issue
// #332). Each worker inherits the caller's memory at the fork (the scenario,
// the plans, a prepared warm start), so no context is sent: only item
// indices go down a command pipe per worker (int32, native order) and each
// result comes back up a result pipe as a frame (int32 index, uint64 length,
// the bytes). Items are handed out one at a time, in `order`, to whichever
// worker is free (dynamic scheduling: an item may take a tenth of a second
// or many seconds). Results come back in item order; an item's result must
// depend on its index and the forked state only, and then the results are
// byte for byte the same for any number of workers.
//
// Failure is never silent and leaves no process behind:
//  * a worker that dies (a signal, an exit) while it holds an item fails the
//    run with an error naming the worker, its pid, the item and how it
//    ended; the other workers are killed and reaped before it returns;
//  * a worker dies with its parent (PR_SET_PDEATHSIG on Linux) and ends
//    when its command pipe closes, so no worker outlives the run;
//  * SIGPIPE is ignored while the workers run (a write to a dead worker's
//    pipe gives EPIPE, not the death of this process) and restored after.
//
// The caller must fork only while no other thread of this process is inside
// a CBC solve: hold plan::CbcSolveLock around the call (scale does not
// depend on plan).
//
//   const plan::CbcSolveLock lock;
//   auto texts = scale::RunInWorkerProcesses(n, [&](int i) { return Encode(Solve(i)); },
//                                            {.workers = 0, .order = LongestFirst(...)});
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "model/error.h"

namespace cobuild::scale {

struct ProcessOptions {
  // Worker processes: 0 = one per core; 1 = every item in this process, no
  // fork. At most one per item.
  int workers = 0;
  // The order to hand items out in (a permutation of 0..count-1, longest
  // expected first where a cost is known); empty: index order.
  std::vector<int> order;
  // Called in this process after each finished item (finished, total).
  std::function<void(int finished, int total)> on_progress;
  // Polled between items (and every 0.1 s while workers solve); true kills
  // the workers and ends the run with an error.
  std::function<bool()> should_stop;
};

// The number of workers `requested` gives for `count` items: 0 = the
// machine's cores; never more than the items, never less than 1.
int WorkerCount(int requested, int count);

// Runs items 0..count-1 (solve(i) in a worker, or here with one worker) and
// returns their results in item order. InvalidInput when `options.order` is
// not a permutation of the items; Internal error when a worker died holding
// an item or the run was stopped.
[[nodiscard]] Result<std::vector<std::string>> RunInWorkerProcesses(
    int count, const std::function<std::string(int)>& solve, const ProcessOptions& options);

}  // namespace cobuild::scale
