#include "plan/cbc_backend.h"

#include <gtest/gtest.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "plan/improvement.h"

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

// A multi-dimensional knapsack with `items` binaries and `knapsacks` rows,
// weights and profits from a fixed linear congruential sequence: CBC finds
// plans at its root but needs many nodes to prove one optimal, so a small
// node limit or a stop request ends the search with a plan and a gap.
LinearProgram Knapsacks(int items, int knapsacks) {
  uint32_t state = 12345;
  auto next = [&state](int lo, int hi) {
    state = state * 1103515245u + 12345u;
    return lo + static_cast<int>((state >> 16) % static_cast<uint32_t>(hi - lo + 1));
  };
  LinearProgram lp;
  for (int j = 0; j < items; ++j) lp.AddColumn(0, 1, next(20, 120), true, "");
  for (int i = 0; i < knapsacks; ++i) {
    double total = 0;
    const int row = lp.AddRow(-kInfinity, 0, "");
    for (int j = 0; j < items; ++j) {
      const int weight = next(10, 100);
      lp.AddEntry(row, j, weight);
      total += weight;
    }
    lp.row_upper[row] = std::floor(total / 3);
  }
  return lp;
}

// The first ten items in every knapsack: a start that fits (ten items weigh
// at most 1,000, each row's capacity is a third of all its items' weights;
// each test asserts it).
std::vector<double> TenItems(const LinearProgram& lp) {
  std::vector<double> start(lp.num_cols(), 0.0);
  for (int j = 0; j < 10; ++j) start[j] = 1;
  return start;
}

// What a MIP result must be whenever it carries a plan: whole, keeping every
// row, worth what it says.
void ExpectAConsistentPlan(const LinearProgram& lp, const MipSolution& mip) {
  ASSERT_TRUE(mip.status == SolveStatus::kOptimal || mip.status == SolveStatus::kFeasibleGap) << mip.message;
  ASSERT_EQ(mip.values.size(), static_cast<size_t>(lp.num_cols()));
  EXPECT_TRUE(IsFeasiblePoint(lp, mip.values));
  EXPECT_NEAR(lp.Evaluate(mip.values), mip.objective, 1e-6 * std::max(1.0, std::abs(mip.objective)));
  EXPECT_GE(mip.bound, mip.objective - 1e-6);
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

// A re-solve by primal simplex after half the columns were fixed finds the
// dual simplex's optimum, and a plain re-solve after it, at the root's
// bounds, returns the root's optimum.
TEST(MipSolverTest, APrimalResolveAfterFixingFindsTheSameOptimum) {
  const LinearProgram lp = Knapsacks(40, 5);
  std::vector<double> fixed(lp.num_cols(), 0.0);
  for (int j = 0; j < lp.num_cols(); j += 6) fixed[j] = 1;  // 7 items in, 13 out, 20 free
  double objective[2] = {0, 0};
  for (const Simplex method : {Simplex::kDual, Simplex::kPrimal}) {
    MipSolver solver(lp);
    const LpSolution root = solver.SolveRelaxation(10);
    ASSERT_EQ(root.status, LpStatus::kOptimal);
    // The even items fixed, the odd ones free.
    for (int j = 0; j < lp.num_cols(); j += 2) solver.SetColumnBounds(j, fixed[j], fixed[j]);
    const LpSolution at = solver.SolveRelaxation(10, method);
    ASSERT_EQ(at.status, LpStatus::kOptimal);
    EXPECT_LE(at.objective, root.objective + 1e-6);
    objective[method == Simplex::kPrimal] = at.objective;
    // Back to the root's bounds: a plain re-solve returns the root's optimum.
    for (int j = 0; j < lp.num_cols(); j += 2) solver.SetColumnBounds(j, 0, 1);
    EXPECT_NEAR(solver.SolveRelaxation(10).objective, root.objective, 1e-6);
  }
  EXPECT_NEAR(objective[0], objective[1], 1e-6);
}

// A primal re-solve stopped in its second phase hands back the feasible
// point it stopped at; a dual one hands back none. The start is feasible:
// the LP optimum with the odd items out, whose bounds are then loosened.
TEST(MipSolverTest, AStoppedPrimalResolveHandsBackAFeasiblePoint) {
  const LinearProgram lp = Knapsacks(40, 5);
  for (const Simplex method : {Simplex::kDual, Simplex::kPrimal}) {
    MipSolver solver(lp);
    for (int j = 1; j < lp.num_cols(); j += 2) solver.SetColumnBounds(j, 0, 0);
    const LpSolution start = solver.SolveRelaxation(10);
    ASSERT_EQ(start.status, LpStatus::kOptimal);
    for (int j = 1; j < lp.num_cols(); j += 2) solver.SetColumnBounds(j, 0, 1);
    bool stop = true;
    solver.SetStopCheck([&stop] { return stop; });
    const LpSolution stopped = solver.SolveRelaxation(10, method);
    ASSERT_EQ(stopped.status, LpStatus::kTimeLimit) << "the freed items pay: a re-solve needs iterations";
    if (method == Simplex::kDual) {
      EXPECT_TRUE(stopped.values.empty());
      continue;
    }
    ASSERT_EQ(stopped.values.size(), static_cast<size_t>(lp.num_cols()));
    EXPECT_TRUE(KeepsEveryRow(lp, stopped.values));
    stop = false;
    const LpSolution optimum = solver.SolveRelaxation(10);
    ASSERT_EQ(optimum.status, LpStatus::kOptimal);
    EXPECT_LE(lp.Evaluate(stopped.values), optimum.objective + 1e-6);
    EXPECT_GE(lp.Evaluate(stopped.values), start.objective - 1e-6);  // primal phase 2 never loses
  }
}

// A primal re-solve stopped after bounds that cut its last point off hands
// back no point that breaks them: the last optimum's items fixed out, then
// stopped before it can move (what CLP's own infeasibility count, left from
// the last solve, would have let through).
TEST(MipSolverTest, AStoppedPrimalResolveHandsBackNoPointBreakingItsBounds) {
  const LinearProgram lp = Knapsacks(40, 5);
  MipSolver solver(lp);
  const LpSolution optimum = solver.SolveRelaxation(10);
  ASSERT_EQ(optimum.status, LpStatus::kOptimal);
  std::vector<int> fixed_out;
  for (int j = 0; j < lp.num_cols(); ++j) {
    if (optimum.values[j] > 0.5) fixed_out.push_back(j);
  }
  ASSERT_FALSE(fixed_out.empty());
  for (const int j : fixed_out) solver.SetColumnBounds(j, 0, 0);
  solver.SetStopCheck([] { return true; });
  const LpSolution stopped = solver.SolveRelaxation(10, Simplex::kPrimal);
  ASSERT_EQ(stopped.status, LpStatus::kTimeLimit);
  if (stopped.values.empty()) return;
  for (const int j : fixed_out) EXPECT_LE(stopped.values[j], 1e-6) << "item " << j;
  EXPECT_TRUE(KeepsEveryRow(lp, stopped.values));
}

// Preprocessing off is how a solve is retried when CBC's preprocessing
// claims the model infeasible. A search stopped by a limit after CBC found a
// plan hands that plan back.
TEST(MipSolverTest, ANodeLimitWithoutPreprocessingKeepsCbcsPlan) {
  const LinearProgram lp = Knapsacks(60, 6);
  MipSolver solver(lp);
  const MipSolution mip = solver.SolveMip(
      {.time_limit_seconds = 60, .relative_gap = 1e-9, .max_nodes = 5, .preprocess = false, .cuts = false},
      {});
  ExpectAConsistentPlan(lp, mip);
  EXPECT_EQ(mip.status, SolveStatus::kFeasibleGap);
  EXPECT_EQ(mip.stop_rule, StopRule::kNodeLimit);
}

// A stop request ends CBC's search as the deadline would; the plan CBC had
// comes back, with or without preprocessing, with or without a start.
TEST(MipSolverTest, AStopRequestAfterTheFirstPlanKeepsIt) {
  const LinearProgram lp = Knapsacks(60, 6);
  const std::vector<double> start = TenItems(lp);
  ASSERT_TRUE(IsFeasiblePoint(lp, start));
  for (const bool preprocess : {false, true}) {
    for (const bool with_start : {false, true}) {
      SCOPED_TRACE(::testing::Message() << (preprocess ? "preprocessing" : "no preprocessing")
                                        << (with_start ? ", from a start" : ", no start"));
      MipSolver solver(lp);
      bool found = false;
      const MipSolution mip =
          solver.SolveMip({.time_limit_seconds = 60,
                           .relative_gap = 1e-9,
                           .preprocess = preprocess,
                           .cuts = false,
                           .on_progress = [&](const Progress& p) { found |= p.has_incumbent; },
                           .should_stop = [&] { return found; }},
                          with_start ? start : std::vector<double>{});
      EXPECT_TRUE(found);
      ExpectAConsistentPlan(lp, mip);
      EXPECT_EQ(mip.stop_rule, StopRule::kStopRequest);
      if (with_start) {
        EXPECT_GE(mip.objective, lp.Evaluate(start) - 1e-6);
      }
    }
  }
}

// With a start (as every sub-MIP and the final branch and cut have), the
// plan CBC hands back after a node limit is worth at least the start and is
// the plan whose objective it reports.
TEST(MipSolverTest, ANodeLimitWithoutPreprocessingFromAStartKeepsThePlan) {
  const LinearProgram lp = Knapsacks(60, 6);
  MipSolver solver(lp);
  const std::vector<double> start = TenItems(lp);
  ASSERT_TRUE(IsFeasiblePoint(lp, start));
  for (const int64_t nodes : {0, 1, 5, 50}) {
    SCOPED_TRACE(::testing::Message() << "node limit " << nodes);
    const MipSolution mip = solver.SolveMip({.time_limit_seconds = 60,
                                             .relative_gap = 1e-9,
                                             .max_nodes = nodes,
                                             .preprocess = false,
                                             .cuts = false},
                                            start);
    ExpectAConsistentPlan(lp, mip);
    EXPECT_GE(mip.objective, lp.Evaluate(start) - 1e-6);
  }
}

// A search whose LPs our deadline cut short has no bound to claim: the
// objective of an interrupted simplex is no bound (a deal fee point once
// came back "optimal" at a gap of 0, its bound GBP 110m below a plan the
// planner already held). With a time limit of 0 the deadline stops CBC's
// first LP at its first iteration, before CBC showed any bound: no proof,
// and no bound (infinite).
TEST(MipSolverTest, AnLpCutShortByTheDeadlineClaimsNoBound) {
  const LinearProgram lp = Knapsacks(400, 30);
  const std::vector<double> start = TenItems(lp);
  ASSERT_TRUE(IsFeasiblePoint(lp, start));
  for (const bool with_start : {false, true}) {
    SCOPED_TRACE(with_start ? "from a start" : "no start");
    MipSolver solver(lp);
    const MipSolution cut_short =
        solver.SolveMip({.time_limit_seconds = 0}, with_start ? start : std::vector<double>{});
    EXPECT_NE(cut_short.status, SolveStatus::kOptimal) << cut_short.message;
    EXPECT_EQ(cut_short.bound, kInfinity) << cut_short.message;
  }
}

// Progress is in the model's terms: the objective's offset included (CBC's
// own objective leaves it out), and a bound shown only when it is one (never
// below the plan shown with it: a progress line keeps the smallest bound it
// was shown).
TEST(MipSolverTest, ProgressCountsTheOffsetAndShowsNoBoundBelowThePlan) {
  LinearProgram lp = Knapsacks(60, 6);
  lp.objective_offset = 1e6;
  MipSolver solver(lp);
  std::vector<Progress> seen;
  const MipSolution mip = solver.SolveMip({.time_limit_seconds = 60,
                                           .relative_gap = 1e-9,
                                           .max_nodes = 200,
                                           .preprocess = false,
                                           .cuts = false,
                                           .on_progress = [&](const Progress& p) { seen.push_back(p); }},
                                          {});
  ExpectAConsistentPlan(lp, mip);
  int with_plan = 0;
  for (const Progress& p : seen) {
    if (!p.has_incumbent) continue;
    ++with_plan;
    EXPECT_GE(p.incumbent_gbp, lp.objective_offset);  // every plan here is worth at least 0 before it
    EXPECT_LE(p.incumbent_gbp, mip.objective + 1e-6);
    if (p.bound_gbp != 0) {
      EXPECT_GE(p.bound_gbp, p.incumbent_gbp - 1e-6);
    }
  }
  EXPECT_GT(with_plan, 0);
}

// A solver's process keeps freed memory for the next solve's work arrays:
// a 24 MiB block, which glibc would otherwise map on its own and unmap when
// freed, comes from the heap and stays there, free, once freed.
TEST(MipSolverTest, AProcessWithASolverKeepsFreedBlocksInItsHeap) {
#if !defined(__GLIBC__) || defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "glibc's own allocator only";
#else
  const MipSolver solver(SmallMip());
  constexpr size_t kBlock = 24u << 20;
  char* volatile block = static_cast<char*>(std::malloc(kBlock));
  ASSERT_NE(block, nullptr);
  std::memset(block, 1, kBlock);
  const struct mallinfo2 held = mallinfo2();
  EXPECT_GE(held.uordblks, kBlock);  // from the heap, not a mapping of its own
  EXPECT_LT(held.hblkhd, kBlock);
  std::free(block);
  EXPECT_GE(mallinfo2().keepcost, kBlock);  // the heap's free top, kept
#endif
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

// The stall rule's clock (StallClock): 10 s without a move stops the search,
// counted from the end of the root, whose cut rounds are progress CBC
// reports only when the root ends.
TEST(StallClockTest, ALongRootIsNoStall) {
  StallClock clock(5);
  // Nothing moves for 8 s, but the search is in its root: no stall.
  for (double t = 0; t <= 8; t += 1) clock.Observe(t, /*at_root=*/true, true, 100, 200);
  EXPECT_FALSE(clock.Stalled(8));
  // The 9 s root ends; nothing moves after it. Its last look was at 8 s,
  // and the window is the root's 9 s (longer than the 5 s asked).
  clock.Observe(9, false, true, 100, 200);
  clock.Observe(16.9, false, true, 100, 200);
  EXPECT_FALSE(clock.Stalled(16.9));
  clock.Observe(17.1, false, true, 100, 200);
  EXPECT_TRUE(clock.Stalled(17.1));
}

TEST(StallClockTest, AMoveOfTheIncumbentOrBoundRestartsTheClock) {
  StallClock clock(10);
  clock.Observe(0, false, false, 0, 200);
  clock.Observe(9, false, true, 100, 200);  // a first incumbent moves
  EXPECT_FALSE(clock.Stalled(18));
  clock.Observe(18, false, true, 100, 150);  // the bound moves
  EXPECT_FALSE(clock.Stalled(27));
  // A move smaller than kStallMove of the objective is no move.
  clock.Observe(27, false, true, 100 + 1e-4, 150);
  EXPECT_TRUE(clock.Stalled(28.5));
}

TEST(StallClockTest, TheWindowIsNeverShorterThanTheRoot) {
  StallClock clock(10);
  clock.Observe(0, true, true, 100, 200);
  clock.Observe(25, true, true, 100, 200);
  clock.Observe(30, false, true, 100, 180);  // the 30 s root ends, its cuts moved the bound
  EXPECT_FALSE(clock.Stalled(45));           // 15 s without a move: within the root's 30 s
  EXPECT_FALSE(clock.Stalled(59.9));
  EXPECT_TRUE(clock.Stalled(60.1));
  EXPECT_NEAR(clock.Overdue(62), 2, 1e-9);
}

TEST(StallClockTest, ZeroSecondsNeverStalls) {
  StallClock clock(0);
  clock.Observe(0, false, true, 100, 200);
  EXPECT_FALSE(clock.Stalled(1e6));
}

}  // namespace
}  // namespace cobuild::plan
