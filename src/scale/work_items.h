// Scale-out: a list of independent work items (risk draws, line-months,
// scenarios of a batch, sweep points) spread over the ranks of an MPI job,
// or run in this process when there is no MPI job. docs/scale-out.md
// describes the design; in short:
//
//  * Every rank runs the same binary. Rank 0 runs the command as usual; the
//    other ranks never parse the command line: main() hands them to
//    ServeWorkerRank(), which waits for jobs from rank 0.
//  * A job is a kind (a name registered with RegisterWorkKind in every
//    process) and a context text that rank 0 sends to each worker rank: for
//    risk, the scenario's YAML text, the baseline plan's JSON and the
//    options. A worker rank builds its item solver from the context alone,
//    so no shared disk is needed, for inputs or results.
//  * Rank 0 hands out item indices one at a time to whichever rank is free
//    (dynamic scheduling: items take from 0.1 s to minutes), solves items
//    itself in a second thread while it schedules, gathers the results (one
//    text per item) and returns them in item order. An item's result must
//    depend on its index and the context only; then the results are
//    identical whatever the number of ranks, and identical to the run
//    without MPI.
//  * A worker rank sends a heartbeat every HeartbeatSeconds() while it
//    solves. A rank that is silent for longer than the heartbeat timeout,
//    or whose job set-up failed, is reported (rank, item) and its item is
//    re-queued on another rank (rank 0's own thread at least), so a dead
//    rank never hangs the run. Under a plain `mpirun` Open MPI ends the
//    whole job when a rank dies: rank 0 then catches the SIGTERM, writes the
//    finished items to the partial file and names the items in flight.
//    `mpirun --enable-recovery` keeps the job alive and the item is
//    re-queued instead.
//
//   // main(): every process
//   scale::RegisterWorkKind("risk", MakeRiskItemSolver);
//   if (auto started = scale::StartMpiIfLaunched(argc, argv); !started) ...
//   if (scale::IsWorkerRank()) return scale::ServeWorkerRank();
//   ... run the command; inside it:
//   auto results = scale::RunWorkItems(n, solve_here, {.kind = "risk", .context = text});
//   ...
//   return scale::FinishMpi(exit_code);
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/error.h"

namespace cobuild::scale {

// Solves item `index` and returns its result as text (any bytes).
using ItemSolver = std::function<std::string(int index)>;
// Builds a kind's item solver from a job's context (on a worker rank).
using ItemSolverFactory = std::function<Result<ItemSolver>(std::string_view context)>;

// Registers a kind of job; call in every process before ServeWorkerRank.
void RegisterWorkKind(std::string kind, ItemSolverFactory factory);

// True when cobuild was built with MPI (COBUILD_WITH_MPI).
bool MpiBuilt();
// True when the environment says mpirun, srun or another PMIx launcher
// started this process (OMPI_COMM_WORLD_SIZE, PMIX_RANK, PMI_SIZE).
bool LaunchedByMpiLauncher();

// Starts MPI when this process was launched by an MPI launcher or `--mpi`
// is among the arguments. InvalidInput for `--mpi` in a build without MPI.
// Without either it does nothing: every command runs as in a build without
// MPI.
[[nodiscard]] Result<void> StartMpiIfLaunched(int argc, char** argv);
bool MpiActive();
int Rank();  // 0 without MPI
int Size();  // 1 without MPI
inline bool IsWorkerRank() { return MpiActive() && Rank() > 0; }

// On a worker rank: serves jobs until rank 0 says stop; the process's exit
// code.
int ServeWorkerRank();

// On rank 0 (or without MPI): stops the worker ranks and MPI, returns
// `exit_code` to return from main().
int FinishMpi(int exit_code);

struct WorkOptions {
  std::string kind;     // as registered with RegisterWorkKind
  std::string context;  // sent to every worker rank
  // Without MPI: items solved at once in this process, in threads (only
  // for thread-safe item solvers; a CBC solve is not).
  int local_threads = 1;
  // Without MPI: worker processes forked from this one to solve items in
  // (scale/worker_processes.h; 0 = one per core, 1 = none: threads here).
  // The caller holds plan::CbcSolveLock when it is not 1.
  int processes = 1;
  // The order to hand items out in: a permutation of 0..count-1 (longest
  // expected first, say, so the run does not end on one slow item); empty:
  // index order. Results come back in item order whatever it is.
  std::vector<int> order;
  // Rank 0 solves items in a second thread beside scheduling. Off for a
  // very large job, where scheduling should have rank 0 to itself.
  bool root_solves = true;
  // A worker rank silent this long while it holds an item is taken for dead.
  double heartbeat_timeout_s = 60;
  // Where rank 0 writes the finished items when the run cannot complete
  // (one JSON line per item: {"item": i, "result": text}); empty: none.
  std::string partial_path;
  // Called on rank 0 (this thread) after each finished item.
  std::function<void(int finished, int total)> on_progress;
  // Incidents (a dead rank and its re-queued item) as they happen, on rank 0.
  std::function<void(const std::string& message)> on_incident;
};

// Runs items 0..count-1 and returns their results in item order: on the MPI
// job's ranks when MPI is active, else here with `solve_here`. On rank 0
// `solve_here` also solves items in rank 0's own thread. InvalidInput when
// `options.order` is not a permutation of the items; Internal error when
// the run was ended (SIGTERM from the launcher); the finished items are
// then in WorkOptions::partial_path.
[[nodiscard]] Result<std::vector<std::string>> RunWorkItems(int count, const ItemSolver& solve_here,
                                                            const WorkOptions& options);

// `order` as the items to hand out, first to last: 0..count-1 when empty;
// InvalidInput when it is not a permutation of them.
[[nodiscard]] Result<std::vector<int>> HandOutOrder(int count, const std::vector<int>& order);

// Seconds between a busy worker rank's heartbeats.
double HeartbeatSeconds();

}  // namespace cobuild::scale
