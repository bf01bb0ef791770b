// A fixed number of worker threads with a bounded queue of tasks, for the
// server's long-running jobs (solves), so that they never take the threads
// that answer HTTP requests. Tasks must not throw.
//
//   WorkerPool pool(/*num_workers=*/2, /*max_queued=*/64);
//   if (!pool.Submit([] { Solve(); })) { /* queue full: tell the client */ }
//
// The destructor stops taking tasks, lets running tasks finish and drops the
// tasks still queued (the server keeps their jobs as 'queued' in the
// database and resubmits them at the next start).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace cobuild::server {

class WorkerPool {
 public:
  WorkerPool(int num_workers, size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false when the queue is full or the pool is stopping.
  [[nodiscard]] bool Submit(std::function<void()> task);

  // Blocks until no task is queued or running.
  void WaitIdle();
  // The same, for at most `timeout`; true when idle.
  bool WaitIdleFor(std::chrono::milliseconds timeout);
  // Drops the tasks not started yet; returns how many.
  size_t DropQueued();

  // Tasks waiting for a worker.
  size_t queued() const;
  // Tasks being run.
  int busy() const;
  int num_workers() const { return static_cast<int>(threads_.size()); }

 private:
  void Run();

  const size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> tasks_;
  int busy_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace cobuild::server
