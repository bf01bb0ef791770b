// Runs jobs: records them in Storage, queues them on a bounded WorkerPool,
// runs the registered handler with progress and cancellation, and stores the
// outcome.
//
//   JobManager jobs(storage, registry, {.num_workers = 1, .max_queued = 64});
//   jobs.Recover();                  // at start: fail interrupted jobs, requeue queued ones
//   auto id = jobs.Start("validate", scenario_id, nlohmann::json::object());
//   // *id is nullopt when the queue is full.
//
// Life of a job: queued -> running -> succeeded | failed | cancelled. A
// result is written in the same transaction as 'succeeded'. Cancel() of a
// queued job takes effect at once; of a running job, when its handler next
// looks at its stop token (its result, if any, is dropped). When the manager
// is destroyed, running jobs are asked to stop and are marked failed
// ("server stopped"), and queued jobs stay queued for the next start.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string_view>

#include "model/error.h"
#include "server/job_process.h"
#include "server/job_registry.h"
#include "server/storage.h"
#include "server/worker_pool.h"

namespace cobuild::server {

struct JobManagerOptions {
  int num_workers = 1;
  size_t max_queued = 64;
  // Progress is written to the database at most this often per job.
  std::chrono::milliseconds progress_interval{200};
  // Where handlers run: with a command, each job in a child process of its
  // own (server/job_process.h; `cobuild serve` does this, so that a solver
  // crash fails one job, not the server); without, on the worker threads.
  JobProcessOptions process;
};

class JobManager {
 public:
  JobManager(Storage& storage, const JobRegistry& registry, JobManagerOptions options);
  ~JobManager();
  JobManager(const JobManager&) = delete;
  JobManager& operator=(const JobManager&) = delete;

  // Marks jobs left 'running' by a previous process failed and queues the
  // jobs left 'queued'. Returns how many were marked failed.
  [[nodiscard]] Result<int> Recover();

  // Records a job and queues it. InvalidInput for a kind this build cannot
  // run or a missing scenario_id, NotFound for an unknown scenario; nullopt
  // (nothing recorded) when the queue is full.
  [[nodiscard]] Result<std::optional<int64_t>> Start(std::string_view kind,
                                                     std::optional<int64_t> scenario_id,
                                                     const nlohmann::json& params);

  // NotFound for an unknown job; InvalidInput when it has already finished.
  [[nodiscard]] Result<void> Cancel(int64_t id);

  // Blocks until no job is queued or running in this process (for tests).
  void WaitIdle() { pool_.WaitIdle(); }

  // Stops taking jobs, leaves queued ones queued in the database, asks
  // running ones to stop and waits up to `grace` for them. Jobs still running
  // then (an engine that cannot be interrupted) are marked failed in the
  // database, so the process may exit at once. True when none was left.
  bool Shutdown(std::chrono::milliseconds grace);

  int num_workers() const { return pool_.num_workers(); }
  size_t queued() const { return pool_.queued(); }
  int busy() const { return pool_.busy(); }

 private:
  bool Enqueue(int64_t id);  // requires mutex_
  void Run(int64_t id, std::stop_token stop);

  Storage& storage_;
  const JobRegistry& registry_;
  const JobManagerOptions options_;
  std::mutex mutex_;
  std::map<int64_t, std::stop_source> active_;  // queued or running here
  bool shutting_down_ = false;
  // Last member: destroyed (joined) first, while the rest still exists.
  WorkerPool pool_;
};

}  // namespace cobuild::server
