#include "server/worker_pool.h"

#include <algorithm>
#include <utility>

namespace cobuild::server {

WorkerPool::WorkerPool(int num_workers, size_t max_queued) : max_queued_(max_queued) {
  const int n = std::max(1, num_workers);
  threads_.reserve(n);
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { Run(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    tasks_.clear();
  }
  wake_.notify_all();
  idle_.notify_all();
  for (auto& t : threads_) t.join();
}

bool WorkerPool::Submit(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || tasks_.size() >= max_queued_) return false;
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

size_t WorkerPool::queued() const {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

int WorkerPool::busy() const {
  std::lock_guard lock(mutex_);
  return busy_;
}

void WorkerPool::WaitIdle() {
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [this] { return tasks_.empty() && busy_ == 0; });
}

bool WorkerPool::WaitIdleFor(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return tasks_.empty() && busy_ == 0; });
}

size_t WorkerPool::DropQueued() {
  std::lock_guard lock(mutex_);
  const size_t dropped = tasks_.size();
  tasks_.clear();
  if (busy_ == 0) idle_.notify_all();
  return dropped;
}

void WorkerPool::Run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (stopping_) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
      ++busy_;
    }
    task();
    std::lock_guard lock(mutex_);
    if (--busy_ == 0 && tasks_.empty()) idle_.notify_all();
  }
}

}  // namespace cobuild::server
