#include "server/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <latch>
#include <thread>

namespace cobuild::server {
namespace {

TEST(WorkerPoolTest, RunsEveryTask) {
  std::atomic<int> done = 0;
  WorkerPool pool(2, 100);
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(pool.Submit([&] { ++done; }));
  pool.WaitIdle();
  EXPECT_EQ(done.load(), 50);
}

TEST(WorkerPoolTest, NeverRunsMoreTasksThanWorkers) {
  std::atomic<int> running = 0;
  std::atomic<int> most = 0;
  WorkerPool pool(2, 100);
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(pool.Submit([&] {
      const int now = ++running;
      int seen = most.load();
      while (now > seen && !most.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      --running;
    }));
  }
  pool.WaitIdle();
  EXPECT_EQ(most.load(), 2);
}

TEST(WorkerPoolTest, RejectsTasksBeyondTheQueueBound) {
  std::latch release(1);
  std::latch started(1);
  WorkerPool pool(1, 2);
  ASSERT_TRUE(pool.Submit([&] {
    started.count_down();
    release.wait();
  }));
  started.wait();  // the worker is busy; the queue is empty
  EXPECT_TRUE(pool.Submit([] {}));
  EXPECT_TRUE(pool.Submit([] {}));
  EXPECT_FALSE(pool.Submit([] {}));
  EXPECT_EQ(pool.queued(), 2u);
  EXPECT_EQ(pool.busy(), 1);
  release.count_down();
  pool.WaitIdle();
  EXPECT_EQ(pool.queued(), 0u);
  EXPECT_TRUE(pool.Submit([] {}));
}

TEST(WorkerPoolTest, DestructorFinishesRunningTaskAndDropsQueuedOnes) {
  std::atomic<int> finished = 0;
  std::atomic<int> dropped_ran = 0;
  std::latch started(1);
  {
    WorkerPool pool(1, 10);
    ASSERT_TRUE(pool.Submit([&] {
      started.count_down();
      // Long enough for the destructor to start and clear the queue.
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      ++finished;
    }));
    ASSERT_TRUE(pool.Submit([&] { ++dropped_ran; }));
    started.wait();
  }
  EXPECT_EQ(finished.load(), 1);
  EXPECT_EQ(dropped_ran.load(), 0);
}

}  // namespace
}  // namespace cobuild::server
