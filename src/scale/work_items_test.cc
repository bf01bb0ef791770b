#include "scale/work_items.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

namespace cobuild::scale {
namespace {

std::string Square(int i) { return std::to_string(i * i); }

TEST(WorkItemsTest, ResultsComeBackInItemOrderWhateverTheThreads) {
  for (int threads : {1, 2, 5}) {
    WorkOptions options;
    options.local_threads = threads;
    int last_progress = 0;
    options.on_progress = [&](int done, int total) {
      EXPECT_EQ(done, last_progress + 1);
      EXPECT_EQ(total, 23);
      last_progress = done;
    };
    auto results = RunWorkItems(23, Square, options);
    ASSERT_TRUE(results) << results.error().message;
    ASSERT_EQ(results->size(), 23u);
    for (int i = 0; i < 23; ++i) EXPECT_EQ((*results)[static_cast<size_t>(i)], Square(i));
    EXPECT_EQ(last_progress, 23);
  }
}

// Items start in the order given; their results still come back in item
// order.
TEST(WorkItemsTest, ItemsStartInTheGivenOrderAndComeBackInItemOrder) {
  for (int threads : {1, 3}) {
    std::vector<int> started;
    std::mutex mutex;
    WorkOptions options;
    options.local_threads = threads;
    options.order = {4, 0, 3, 1, 2};
    auto results = RunWorkItems(
        5,
        [&](int i) {
          {
            const std::lock_guard lock(mutex);
            started.push_back(i);
          }
          return Square(i);
        },
        options);
    ASSERT_TRUE(results) << results.error().message;
    for (int i = 0; i < 5; ++i) EXPECT_EQ((*results)[static_cast<size_t>(i)], Square(i));
    ASSERT_EQ(started.size(), 5u);
    if (threads == 1) {
      EXPECT_EQ(started, options.order);
    }
  }
}

TEST(WorkItemsTest, AnOrderThatIsNotAPermutationIsRefused) {
  for (const std::vector<int>& order :
       std::vector<std::vector<int>>{{0, 1}, {0, 1, 1}, {0, 1, 3}, {2, 1, -1}}) {
    WorkOptions options;
    options.order = order;
    auto results = RunWorkItems(3, Square, options);
    ASSERT_FALSE(results);
    EXPECT_NE(results.error().message.find("each of the 3 items once"), std::string::npos);
  }
}

TEST(WorkItemsTest, NoItemsIsNoWork) {
  auto results = RunWorkItems(0, Square, {});
  ASSERT_TRUE(results);
  EXPECT_TRUE(results->empty());
}

TEST(WorkItemsTest, WithoutALauncherMpiStaysOff) {
  // ctest does not run this binary under mpirun.
  if (LaunchedByMpiLauncher()) GTEST_SKIP() << "started by an MPI launcher";
  char name[] = "test";
  char* argv[] = {name, nullptr};
  ASSERT_TRUE(StartMpiIfLaunched(1, argv));
  EXPECT_FALSE(MpiActive());
  EXPECT_EQ(Rank(), 0);
  EXPECT_EQ(Size(), 1);
  EXPECT_FALSE(IsWorkerRank());
  EXPECT_EQ(FinishMpi(3), 3);
}

TEST(WorkItemsTest, MpiFlagIsRefusedOnlyWithoutMpi) {
  if (MpiBuilt()) GTEST_SKIP() << "built with MPI: --mpi would start it";
  char name[] = "test";
  char flag[] = "--mpi";
  char* argv[] = {name, flag, nullptr};
  auto started = StartMpiIfLaunched(2, argv);
  ASSERT_FALSE(started);
  EXPECT_NE(started.error().message.find("COBUILD_WITH_MPI"), std::string::npos);
}

}  // namespace
}  // namespace cobuild::scale
