#include "scale/worker_processes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "scale/work_items.h"

namespace cobuild::scale {
namespace {

using ::testing::HasSubstr;

// Larger than a pipe's buffer for some items, so results arrive in pieces.
std::string Item(int i) { return std::to_string(i) + ":" + std::string(static_cast<size_t>(i) * 7919, 'x'); }

// No child of this process is left, running or unreaped.
bool NoChildLeft() { return waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD; }

TEST(WorkerProcessesTest, ResultsComeBackInItemOrderWhateverTheWorkers) {
  std::vector<std::string> expected;
  for (int i = 0; i < 40; ++i) expected.push_back(Item(i));
  for (int workers : {1, 2, 3}) {
    int last_progress = 0;
    auto results = RunInWorkerProcesses(
        40, Item, {.workers = workers, .order = {}, .on_progress = [&](int done, int total) {
                     EXPECT_EQ(done, last_progress + 1);
                     EXPECT_EQ(total, 40);
                     last_progress = done;
                   }});
    ASSERT_TRUE(results) << results.error().message;
    EXPECT_EQ(*results, expected) << workers << " workers";
    EXPECT_EQ(last_progress, 40);
    EXPECT_TRUE(NoChildLeft()) << workers << " workers";
  }
}

TEST(WorkerProcessesTest, ItemsAreSolvedInWorkersAndHandedOutInTheGivenOrder) {
  const pid_t parent = getpid();
  // Each item says which process solved it and how many items that process
  // had solved before: with one worker that is the order they were given.
  int solved_here = 0;
  auto solve = [&](int i) {
    return std::to_string(i) + (getpid() == parent ? " parent " : " child ") + std::to_string(solved_here++);
  };
  auto one = RunInWorkerProcesses(4, solve, {.workers = 1, .order = {2, 0, 3, 1}});
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(*one, (std::vector<std::string>{"0 parent 1", "1 parent 3", "2 parent 0", "3 parent 2"}));
  auto two = RunInWorkerProcesses(4, solve, {.workers = 2, .order = {2, 0, 3, 1}});
  ASSERT_TRUE(two) << two.error().message;
  for (const std::string& text : *two) EXPECT_THAT(text, HasSubstr(" child ")) << text;
  EXPECT_TRUE(NoChildLeft());
}

TEST(WorkerProcessesTest, AWorkerKilledMidRunFailsTheRunAndLeavesNoProcess) {
  const pid_t parent = getpid();
  auto solve = [parent](int i) {
    if (i == 5 && getpid() != parent) raise(SIGKILL);
    // The others take long enough to be in flight when item 5 dies.
    std::this_thread::sleep_for(std::chrono::milliseconds(i == 5 ? 0 : 50));
    return Item(i);
  };
  auto results = RunInWorkerProcesses(12, solve, {.workers = 3});
  ASSERT_FALSE(results);
  EXPECT_EQ(results.error().kind, ErrorKind::kInternal);
  EXPECT_THAT(results.error().message, HasSubstr("was killed by signal 9"));
  EXPECT_THAT(results.error().message, HasSubstr("while solving item 5"));
  EXPECT_TRUE(NoChildLeft());
}

TEST(WorkerProcessesTest, AWorkerThatExitsHoldingAnItemFailsTheRun) {
  const pid_t parent = getpid();
  auto solve = [parent](int i) {
    if (i == 2 && getpid() != parent) _exit(3);
    return Item(i);
  };
  auto results = RunInWorkerProcesses(6, solve, {.workers = 2});
  ASSERT_FALSE(results);
  EXPECT_THAT(results.error().message, HasSubstr("exited with status 3 while solving item 2"));
  EXPECT_TRUE(NoChildLeft());
}

TEST(WorkerProcessesTest, AStopRequestKillsTheWorkers) {
  const auto start = std::chrono::steady_clock::now();
  auto solve = [](int i) {
    std::this_thread::sleep_for(std::chrono::seconds(30));
    return Item(i);
  };
  auto results = RunInWorkerProcesses(4, solve, {.workers = 2, .should_stop = [start] {
                                                   return std::chrono::steady_clock::now() - start >
                                                          std::chrono::milliseconds(300);
                                                 }});
  ASSERT_FALSE(results);
  EXPECT_THAT(results.error().message, HasSubstr("stopped on request after 0 of 4 items"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_TRUE(NoChildLeft());
}

TEST(WorkerProcessesTest, AnOrderThatIsNotAPermutationIsRefused) {
  auto results = RunInWorkerProcesses(3, Item, {.workers = 2, .order = {0, 0, 1}});
  ASSERT_FALSE(results);
  EXPECT_EQ(results.error().kind, ErrorKind::kInvalidInput);
}

TEST(WorkerProcessesTest, WorkItemsRunInWorkerProcessesWhenAsked) {
  WorkOptions options;
  options.processes = 2;
  auto results = RunWorkItems(9, Item, options);
  ASSERT_TRUE(results) << results.error().message;
  for (int i = 0; i < 9; ++i) EXPECT_EQ((*results)[static_cast<size_t>(i)], Item(i));
  EXPECT_TRUE(NoChildLeft());
}

TEST(WorkerProcessesTest, WorkerCountIsOnePerCoreAtMostOnePerItem) {
  EXPECT_EQ(WorkerCount(3, 10), 3);
  EXPECT_EQ(WorkerCount(8, 2), 2);
  EXPECT_EQ(WorkerCount(1, 0), 1);
  EXPECT_GE(WorkerCount(0, 100), 1);
  EXPECT_LE(WorkerCount(0, 100), static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

}  // namespace
}  // namespace cobuild::scale
