#include "plan/cbc_backend.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace cobuild::plan {
namespace {

// max 5x + 4y  s.t.  6x + 4y <= 24,  x + 2y <= 6,  x, y >= 0 integer.
// LP optimum x = 3, y = 1.5 (21); integer optimum x = 4, y = 0 (20).
LinearProgram SmallMip() {
  LinearProgram lp;
  const int x = lp.AddColumn(0, kInfinity, 5, true, "x");
  const int y = lp.AddColumn(0, kInfinity, 4, true, "y");
  const int r0 = lp.AddRow(-kInfinity, 24, "r0");
  const int r1 = lp.AddRow(-kInfinity, 6, "r1");
  lp.AddEntry(r0, x, 6);
  lp.AddEntry(r0, y, 4);
  lp.AddEntry(r1, x, 1);
  lp.AddEntry(r1, y, 2);
  return lp;
}

TEST(MipSolverTest, RelaxationMaximisesWithDualsInTheMaximisationSign) {
  MipSolver solver(SmallMip());
  const LpSolution lp = solver.SolveRelaxation(10);
  ASSERT_EQ(lp.status, LpStatus::kOptimal);
  EXPECT_NEAR(lp.objective, 21, 1e-9);
  ASSERT_EQ(lp.values.size(), 2u);
  EXPECT_NEAR(lp.values[0], 3, 1e-9);
  EXPECT_NEAR(lp.values[1], 1.5, 1e-9);
  // One more unit of r0 is worth 0.75, of r1 0.5 (both binding).
  ASSERT_EQ(lp.row_duals.size(), 2u);
  EXPECT_NEAR(lp.row_duals[0], 0.75, 1e-9);
  EXPECT_NEAR(lp.row_duals[1], 0.5, 1e-9);
}

TEST(MipSolverTest, SolvesTheIntegerProgramAndKeepsTheObjectiveOffset) {
  LinearProgram lp = SmallMip();
  lp.objective_offset = 100;
  MipSolver solver(lp);
  const MipSolution mip = solver.SolveMip({.time_limit_seconds = 10}, {});
  ASSERT_EQ(mip.status, SolveStatus::kOptimal) << mip.message;
  EXPECT_NEAR(mip.objective, 120, 1e-6);
  ASSERT_EQ(mip.values.size(), 2u);
  EXPECT_NEAR(mip.values[0], 4, 1e-6);
  EXPECT_NEAR(mip.values[1], 0, 1e-6);
  EXPECT_GE(mip.bound, mip.objective - 1e-6);
}

// The optimal basis of one solve starts another solver at the optimum.
TEST(MipSolverTest, ABasisCarriesToAnotherSolver) {
  MipSolver first(SmallMip());
  EXPECT_TRUE(first.Basis().columns.empty());
  ASSERT_EQ(first.SolveRelaxation(10).status, LpStatus::kOptimal);
  const LpBasis basis = first.Basis();
  ASSERT_EQ(basis.columns.size(), 2u);
  ASSERT_EQ(basis.rows.size(), 2u);
  // x and y basic, both rows binding.
  EXPECT_EQ(basis.columns[0], BasisStatus::kBasic);
  EXPECT_EQ(basis.columns[1], BasisStatus::kBasic);
  EXPECT_NE(basis.rows[0], BasisStatus::kBasic);
  EXPECT_NE(basis.rows[1], BasisStatus::kBasic);
  MipSolver second(SmallMip());
  second.SetBasis(basis);
  const LpSolution lp = second.SolveRelaxation(10);
  ASSERT_EQ(lp.status, LpStatus::kOptimal);
  EXPECT_NEAR(lp.objective, 21, 1e-9);
  EXPECT_EQ(second.Basis().columns, basis.columns);
}

TEST(CbcSolveLockTest, IsReentrantWithinAThread) {
  const CbcSolveLock outer;
  bool waited = false;
  const CbcSolveLock inner([&] { waited = true; });
  EXPECT_FALSE(waited);
  // A solve inside a held lock takes it again without waiting.
  MipSolver solver(SmallMip());
  EXPECT_EQ(solver.SolveMip({.time_limit_seconds = 10}, {}).status, SolveStatus::kOptimal);
}

TEST(CbcSolveLockTest, ASecondThreadWaitsUntilTheFirstReleases) {
  CbcSolveLock held;
  std::atomic<bool> waited = false;
  std::atomic<bool> acquired = false;
  std::thread other([&] {
    const CbcSolveLock lock([&] { waited = true; });
    acquired = true;
  });
  while (!waited) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(acquired);
  held.Release();
  held.Release();  // a second release does nothing
  other.join();
  EXPECT_TRUE(acquired);
}

TEST(CbcSolveLockTest, SolvesFromTwoThreadsBothSucceed) {
  std::vector<SolveStatus> status(2, SolveStatus::kError);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&status, t] {
      MipSolver solver(SmallMip());
      status[t] = solver.SolveMip({.time_limit_seconds = 10}, {}).status;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(status[0], SolveStatus::kOptimal);
  EXPECT_EQ(status[1], SolveStatus::kOptimal);
}

}  // namespace
}  // namespace cobuild::plan
